//! The satisfaction survey (protocol 000 §9.1.B–C) and the cases it may carry (§9): the
//! questions, the 1–5 scale, the case types, and the rules for who may answer and when.
//!
//! A survey arrives days after its turn, when the turn's day log is closed, so the answer
//! is written to the office's *current* log and names the turn by its day and sequence.
//! The Spanish texts people read live in `crate::i18n`.

use super::error::DomainError;
use super::state::OfficeState;
use super::ticket::TicketStatus;
use super::token::Token;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Longest comment accepted, in characters.
pub const MAX_COMMENT_CHARS: usize = 500;
/// Days after the turn's day during which the survey may be answered, unless configured.
pub const DEFAULT_SURVEY_DAYS: u32 = 7;
/// The question ids, in the order the protocol asks them: the general question, then the
/// four dimensions.
pub const QUESTIONS: [&str; 5] = [
    "overall",
    "attention",
    "clarity",
    "wait_time",
    "response_time",
];

/// The answers on the 1–5 scale (1 totalmente insatisfecho, 5 totalmente satisfecho).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores {
    /// The general question.
    pub overall: u8,
    /// Attention received in the visit.
    pub attention: u8,
    /// Clarity of the information received.
    pub clarity: u8,
    /// Waiting time to be attended at the window.
    pub wait_time: u8,
    /// Response time of the procedure.
    pub response_time: u8,
}

impl Scores {
    /// The answers in the order of [`QUESTIONS`].
    pub fn as_array(&self) -> [u8; 5] {
        [
            self.overall,
            self.attention,
            self.clarity,
            self.wait_time,
            self.response_time,
        ]
    }
}

/// The types of case a comment may carry (000 §9). Denuncias go to the inspection unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseType {
    /// Queja.
    Queja,
    /// Asesoría.
    Asesoria,
    /// Sugerencia.
    Sugerencia,
    /// Felicitación.
    Felicitacion,
    /// Denuncia (for the inspection unit).
    Denuncia,
    /// Petición.
    Peticion,
}

impl CaseType {
    /// Every type, in the protocol's order.
    pub const ALL: [CaseType; 6] = [
        CaseType::Queja,
        CaseType::Asesoria,
        CaseType::Sugerencia,
        CaseType::Felicitacion,
        CaseType::Denuncia,
        CaseType::Peticion,
    ];

    /// The API's id.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseType::Queja => "queja",
            CaseType::Asesoria => "asesoria",
            CaseType::Sugerencia => "sugerencia",
            CaseType::Felicitacion => "felicitacion",
            CaseType::Denuncia => "denuncia",
            CaseType::Peticion => "peticion",
        }
    }

    /// Parses an API id.
    pub fn parse(s: &str) -> Option<CaseType> {
        CaseType::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }
}

/// A survey as the citizen sent it, not yet checked (numbers may be out of range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyForm {
    /// Answers in the order of [`QUESTIONS`].
    pub scores: [i64; 5],
    /// Free text.
    pub comment: Option<String>,
    /// A case type id.
    pub case_type: Option<String>,
}

/// A survey that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSurvey {
    /// The answers.
    pub scores: Scores,
    /// Trimmed comment, if not empty.
    pub comment: Option<String>,
    /// The case type.
    pub case_type: Option<CaseType>,
}

impl SurveyForm {
    /// Checks the answers: each 1–5, a known case type, a comment of bounded length.
    pub fn validate(&self) -> Result<ValidSurvey, DomainError> {
        let mut s = [0u8; 5];
        for (i, (&v, slot)) in self.scores.iter().zip(s.iter_mut()).enumerate() {
            if !(1..=5).contains(&v) {
                return Err(DomainError::InvalidScore {
                    question: QUESTIONS[i],
                });
            }
            *slot = v as u8;
        }
        let comment = self
            .comment
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if comment.is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS) {
            return Err(DomainError::CommentTooLong);
        }
        let case_type = match self.case_type.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(id) => Some(CaseType::parse(id).ok_or(DomainError::UnknownCaseType)?),
        };
        Ok(ValidSurvey {
            scores: Scores {
                overall: s[0],
                attention: s[1],
                clarity: s[2],
                wait_time: s[3],
                response_time: s[4],
            },
            comment: comment.map(str::to_owned),
            case_type,
        })
    }
}

/// What the survey needs to know about a turn, possibly from an older (closed) day.
/// The caller reads it from the turn's day; for a turn of today the domain reads it again
/// from the live state, which is authoritative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyTurn {
    /// The turn's local day.
    pub day: NaiveDate,
    /// Its sequence in that day.
    pub seq: u32,
    /// Its token.
    pub token: Token,
    /// Its status.
    pub status: TicketStatus,
    /// Service slug (the one it ended in).
    pub service: String,
    /// Category slug.
    pub category: String,
    /// Counter slug, if it was called.
    pub counter: Option<String>,
    /// The agent who attended it, if known.
    pub agent: Option<String>,
}

impl SurveyTurn {
    /// The facts of a turn of `state`'s day.
    pub fn of(state: &OfficeState, seq: u32) -> Option<SurveyTurn> {
        let t = state.tickets.get(seq as usize)?;
        let spec = &state.spec;
        Some(SurveyTurn {
            day: state.day,
            seq,
            token: t.token,
            status: t.status,
            service: spec.services.get(t.service as usize)?.id.clone(),
            category: spec
                .categories
                .get(t.category as usize)
                .map(|c| c.id.clone())
                .unwrap_or_default(),
            counter: t
                .counter
                .and_then(|c| spec.counters.get(c as usize))
                .map(|c| c.id.clone()),
            agent: state.agent_of(seq).map(str::to_owned),
        })
    }
}

/// Where a turn's survey stands, for the citizen's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyStatus {
    /// It may be answered now.
    Open,
    /// It was answered.
    Answered,
    /// The turn has not been attended (yet, or ever).
    NotServed,
    /// Too late.
    Closed,
}

impl SurveyStatus {
    /// The API's name.
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyStatus::Open => "open",
            SurveyStatus::Answered => "answered",
            SurveyStatus::NotServed => "not_served",
            SurveyStatus::Closed => "closed",
        }
    }
}

/// The last local day on which a turn of `day` may be answered.
pub fn last_day(day: NaiveDate, survey_days: u32) -> NaiveDate {
    day.checked_add_days(chrono::Days::new(u64::from(survey_days)))
        .unwrap_or(day)
}

/// Where the survey of `turn` stands, judged on today's state (`today`).
pub fn status(today: &OfficeState, turn: &SurveyTurn) -> SurveyStatus {
    if today.is_answered(turn.day, turn.seq) {
        SurveyStatus::Answered
    } else if turn.status != TicketStatus::Served {
        SurveyStatus::NotServed
    } else if today.day > last_day(turn.day, today.spec.survey_days) {
        SurveyStatus::Closed
    } else {
        SurveyStatus::Open
    }
}

/// The facts of a turn, taken from today's state when the turn is today's.
pub fn current_facts(today: &OfficeState, turn: &SurveyTurn) -> Option<SurveyTurn> {
    if turn.day > today.day {
        return None;
    }
    if turn.day < today.day {
        // An older day is closed: its turns no longer change.
        return Some(turn.clone());
    }
    let facts = SurveyTurn::of(today, turn.seq)?;
    (facts.token == turn.token).then_some(facts)
}

/// The event that records an answered survey (validation first, then the turn's state).
pub(super) fn answer(
    today: &OfficeState,
    turn: &SurveyTurn,
    form: &SurveyForm,
    now: DateTime<Utc>,
) -> Result<super::event::Event, DomainError> {
    let survey = form.validate()?;
    let turn = current_facts(today, turn).ok_or(DomainError::TicketNotFound)?;
    match status(today, &turn) {
        SurveyStatus::Answered => return Err(DomainError::AlreadyAnswered),
        SurveyStatus::NotServed => return Err(DomainError::NotServed),
        SurveyStatus::Closed => {
            return Err(DomainError::SurveyClosed {
                days: today.spec.survey_days,
            })
        }
        SurveyStatus::Open => {}
    }
    Ok(super::event::Event::SurveyAnswered {
        day: turn.day,
        seq: turn.seq,
        token: turn.token,
        service: turn.service,
        category: turn.category,
        counter: turn.counter,
        agent: turn.agent,
        scores: survey.scores,
        comment: survey.comment,
        case_type: survey.case_type,
        at: now,
    })
}
