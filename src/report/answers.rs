//! Survey answers as read from the logs, selected by their turn's day.

use crate::domain::survey::{CaseType, Scores};
use crate::domain::Event;
use chrono::{DateTime, NaiveDate, Utc};

/// A survey answer as read from a log.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyRecord {
    /// The turn's day.
    pub day: NaiveDate,
    /// The turn's sequence.
    pub seq: u32,
    /// Service slug.
    pub service: String,
    /// Counter slug.
    pub counter: Option<String>,
    /// Agent.
    pub agent: Option<String>,
    /// The answers.
    pub scores: Scores,
    /// Free text.
    pub comment: Option<String>,
    /// Case type.
    pub case_type: Option<CaseType>,
    /// When it was answered.
    pub at: DateTime<Utc>,
}

/// Every survey answer in some logs whose TURN's day is within `from..=to`.
pub fn surveys(
    logs: &[(NaiveDate, Vec<Event>)],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<SurveyRecord> {
    logs.iter()
        .flat_map(|(_, events)| events)
        .filter_map(|e| match e {
            Event::SurveyAnswered {
                day,
                seq,
                service,
                counter,
                agent,
                scores,
                comment,
                case_type,
                at,
                ..
            } if (from..=to).contains(day) => Some(SurveyRecord {
                day: *day,
                seq: *seq,
                service: service.clone(),
                counter: counter.clone(),
                agent: agent.clone(),
                scores: *scores,
                comment: comment.clone(),
                case_type: *case_type,
                at: *at,
            }),
            _ => None,
        })
        .collect()
}
