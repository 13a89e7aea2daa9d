//! The satisfaction survey of a turn (citizen, no sign-in): what to ask and whether it may
//! be answered, and the answer itself. The rules live in `domain::survey`.

use super::error::ApiError;
use super::extract::local_now;
use super::AppState;
use crate::domain::survey::{self, CaseType, SurveyForm, SurveyTurn, MAX_COMMENT_CHARS, QUESTIONS};
use crate::domain::Command;
use crate::engine::OfficeHandle;
use crate::i18n::es;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// Body of `POST /tickets/{token}/survey`. Scores are read as any integer so that an
/// out-of-range answer gets the survey's own 422, not a generic 400.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyBody {
    overall: i64,
    attention: i64,
    clarity: i64,
    wait_time: i64,
    response_time: i64,
    comment: Option<String>,
    case_type: Option<String>,
}

async fn find(state: &AppState, token: &str) -> Result<(Arc<OfficeHandle>, SurveyTurn), ApiError> {
    super::extract::by_token(state, token, crate::engine::Engine::survey_turn).await
}

/// `GET /api/v1/tickets/{token}/survey` → whether the survey can be answered, its
/// questions, scale and case types.
pub async fn get_survey(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (o, turn) = find(&state, &path).await?;
    let status = o.read(|today| {
        let turn = survey::current_facts(today, &turn).unwrap_or_else(|| turn.clone());
        survey::status(today, &turn)
    });
    let questions: Vec<_> = QUESTIONS
        .iter()
        .map(|id| json!({"id": id, "text": es::survey_question(id)}))
        .collect();
    let scale: Vec<_> = es::SURVEY_SCALE
        .iter()
        .enumerate()
        .map(|(i, label)| json!({"value": i + 1, "label": label}))
        .collect();
    let case_types: Vec<_> = CaseType::ALL
        .iter()
        .map(|c| json!({"id": c.as_str(), "label": es::case_type_label(*c)}))
        .collect();
    Ok(HttpResponse::Ok().json(json!({
        "status": status.as_str(),
        "office": o.spec.id,
        "day": turn.day,
        "answer_until": survey::last_day(turn.day, o.spec.survey_days),
        "questions": questions,
        "scale": scale,
        "case_types": case_types,
        "max_comment_chars": MAX_COMMENT_CHARS,
    })))
}

/// `POST /api/v1/tickets/{token}/survey` → 201 once the answer is durable.
pub async fn post_survey(
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Json<SurveyBody>,
) -> Result<HttpResponse, ApiError> {
    let (o, turn) = find(&state, &path).await?;
    let b = body.into_inner();
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
    Ok(HttpResponse::Created().json(json!({
        "status": "answered",
        "office": o.spec.id,
        "day": day,
        "message": es::SURVEY_THANKS,
    })))
}
