//! The satisfaction survey of a turn (citizen, no sign-in): what to ask and whether it may
//! be answered, and the answer itself. The rules live in `domain::survey`.

use super::error::ApiError;
use super::extract::local_now;
use super::schemas::ErrorBody;
use super::AppState;
use crate::domain::survey::{self, CaseType, SurveyForm, SurveyTurn, MAX_COMMENT_CHARS, QUESTIONS};
use crate::domain::Command;
use crate::engine::OfficeHandle;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

/// Body of `POST /tickets/{token}/survey`. Scores are read as any integer so that an
/// out-of-range answer gets the survey's own 422, not a generic 400.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyBody {
    /// The general question, 1 to 5.
    #[schema(minimum = 1, maximum = 5)]
    #[serde(deserialize_with = "super::extract::whole")]
    overall: i64,
    /// Attention, 1 to 5.
    #[schema(minimum = 1, maximum = 5)]
    #[serde(deserialize_with = "super::extract::whole")]
    attention: i64,
    /// Clarity, 1 to 5.
    #[schema(minimum = 1, maximum = 5)]
    #[serde(deserialize_with = "super::extract::whole")]
    clarity: i64,
    /// Waiting time, 1 to 5.
    #[schema(minimum = 1, maximum = 5)]
    #[serde(deserialize_with = "super::extract::whole")]
    wait_time: i64,
    /// Response time, 1 to 5.
    #[schema(minimum = 1, maximum = 5)]
    #[serde(deserialize_with = "super::extract::whole")]
    response_time: i64,
    /// A comment, at most 500 characters.
    #[schema(max_length = 500)]
    comment: Option<String>,
    /// The case the comment carries.
    #[schema(value_type = Option<CaseType>)]
    case_type: Option<String>,
}

/// One question of the survey.
#[derive(Serialize, ToSchema)]
pub struct Question {
    /// Question id (a field of the answer).
    id: &'static str,
    /// The question in Spanish.
    text: &'static str,
}

/// One step of the scale.
#[derive(Serialize, ToSchema)]
pub struct ScaleStep {
    /// 1 to 5.
    value: usize,
    /// What it means.
    label: &'static str,
}

/// One type of case.
#[derive(Serialize, ToSchema)]
pub struct CaseTypeInfo {
    /// Case type id.
    id: &'static str,
    /// What people read.
    label: &'static str,
}

/// Whether a survey can be answered.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum SurveyStatusName {
    /// It can be answered.
    Open,
    /// Already answered.
    Answered,
    /// The turn was not served.
    NotServed,
    /// Too late.
    Closed,
}

/// `GET /tickets/{token}/survey`.
#[derive(Serialize, ToSchema)]
pub struct SurveyInfo {
    /// Whether it can be answered.
    #[schema(value_type = SurveyStatusName)]
    status: &'static str,
    /// Office id.
    office: String,
    /// The turn's local day.
    day: chrono::NaiveDate,
    /// The last day it may be answered.
    answer_until: chrono::NaiveDate,
    /// The questions.
    questions: Vec<Question>,
    /// The scale.
    scale: Vec<ScaleStep>,
    /// The types of case a comment may carry.
    case_types: Vec<CaseTypeInfo>,
    /// Longest comment.
    max_comment_chars: usize,
}

/// `POST /tickets/{token}/survey` → 201.
#[derive(Serialize, ToSchema)]
pub struct SurveyAnswered {
    /// Always `answered`.
    status: &'static str,
    /// Office id.
    office: String,
    /// The turn's local day.
    day: chrono::NaiveDate,
    /// Thanks, in Spanish.
    message: &'static str,
}

async fn find(state: &AppState, token: &str) -> Result<(Arc<OfficeHandle>, SurveyTurn), ApiError> {
    super::extract::by_token(state, token, crate::engine::Engine::survey_turn).await
}

/// `GET /api/v1/tickets/{token}/survey` → whether the survey can be answered, its
/// questions, scale and case types.
#[utoipa::path(get, path = "/api/v1/tickets/{token}/survey", tag = "citizens",
    params(("token" = String, Path, description = "The ticket's token.")),
    responses(
        (status = 200, description = "The survey.", body = SurveyInfo),
        (status = 404, description = "`ticket_not_found`.", body = ErrorBody),
    ))]
pub async fn get_survey(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (o, turn) = find(&state, &path).await?;
    let status = o.read(|today| {
        let turn = survey::current_facts(today, &turn).unwrap_or_else(|| turn.clone());
        survey::status(today, &turn)
    });
    let language = super::language::current_for(&o.spec);
    let questions: Vec<_> = QUESTIONS
        .iter()
        .map(|id| Question {
            id,
            text: crate::in_language!(language, |m| m::survey_question(id)),
        })
        .collect();
    let scale: Vec<_> = crate::in_language!(language, |m| m::SURVEY_SCALE)
        .iter()
        .enumerate()
        .map(|(i, label)| ScaleStep {
            value: i + 1,
            label,
        })
        .collect();
    let case_types: Vec<_> = CaseType::ALL
        .iter()
        .map(|c| CaseTypeInfo {
            id: c.as_str(),
            label: crate::in_language!(language, |m| m::case_type_label(*c)),
        })
        .collect();
    Ok(HttpResponse::Ok().json(SurveyInfo {
        status: status.as_str(),
        office: o.spec.id.clone(),
        day: turn.day,
        answer_until: survey::last_day(turn.day, o.spec.survey_days),
        questions,
        scale,
        case_types,
        max_comment_chars: MAX_COMMENT_CHARS,
    }))
}

/// `POST /api/v1/tickets/{token}/survey` → 201 once the answer is durable.
#[utoipa::path(post, path = "/api/v1/tickets/{token}/survey", tag = "citizens",
    params(("token" = String, Path, description = "The ticket's token.")),
    request_body(content = SurveyBody, content_type = "application/json"),
    responses(
        (status = 201, description = "The answer is kept.", body = SurveyAnswered),
        (status = 404, description = "`ticket_not_found`.", body = ErrorBody),
        (status = 409, description = "`not_served`, `already_answered` or `survey_closed`.", body = ErrorBody),
        (status = 422, description = "`invalid_score`, `comment_too_long` or `unknown_case_type`.", body = ErrorBody),
    ))]
pub async fn post_survey(
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: super::extract::JsonBody<SurveyBody>,
) -> Result<HttpResponse, ApiError> {
    let (o, turn) = find(&state, &path).await?;
    let b = body.0;
    let form = SurveyForm {
        scores: [
            b.overall,
            b.attention,
            b.clarity,
            b.wait_time,
            b.response_time,
        ],
        comment: b.comment,
        case_type: b.case_type,
    };
    let day = turn.day;
    o.execute(Command::AnswerSurvey {
        turn: Box::new(turn),
        form: Box::new(form),
    })
    .await
    .map_err(|e| ApiError::from_engine(e, local_now(&o)))?;
    Ok(HttpResponse::Created().json(SurveyAnswered {
        status: "answered",
        office: o.spec.id.clone(),
        day,
        message: crate::in_language!(super::language::current_for(&o.spec), |m| m::SURVEY_THANKS),
    }))
}
