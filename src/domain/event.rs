//! Events: every change to an office's day, as written to the log. The log is the record;
//! state, reports and wait figures are all derived from it.
//!
//! Events name services, categories and counters by their slugs (not indices) so a log
//! stays readable, and valid, when the configuration is reordered.

use super::alerts::Alert;
use super::survey::{CaseType, Scores};
use super::token::Token;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Why a turn was chosen by `call-next`, so the order can be explained afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallReason {
    /// A preferential turn, first in its class.
    Preferential,
    /// A normal turn that has waited past the aging threshold.
    Aged,
    /// A normal turn, first come first served.
    InOrder,
    /// A normal turn called because the cap of consecutive preferential calls was reached.
    RatioCap,
    /// Called by its code, out of order, by an agent.
    OutOfOrder,
}

/// Why an agent called a turn out of order, as they said it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutOfOrder {
    /// The id of one of the office's `out_of_order_reasons`.
    pub reason: String,
    /// The agent's free text (required for `otro`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How a counter stood when a day began (counters stay open across midnight).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterCarry {
    /// Counter slug.
    pub counter: String,
    /// The agent holding it.
    pub agent: String,
    /// The pause reason, if it was paused.
    pub paused: Option<String>,
}

/// One change in an office's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// First record of every day's log.
    DayOpened {
        /// The office's local day.
        day: NaiveDate,
        /// When.
        at: DateTime<Utc>,
        /// Counters still open from the day before.
        counters: Vec<CounterCarry>,
    },
    /// A turn was issued.
    TicketIssued {
        /// Sequence within the day.
        seq: u32,
        /// The number people read.
        number: u32,
        /// The citizen's handle.
        token: Token,
        /// Service slug.
        service: String,
        /// Category slug.
        category: String,
        /// Whether it is preferential.
        preferential: bool,
        /// Who asked for it (absent in logs of older versions, whose unauthenticated
        /// `kiosk` field is no longer read).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        issuer: Option<super::Issuer>,
        /// The prefix its code carries, so the code is never given again the same day even
        /// if the service is renamed or removed (absent in logs of older versions).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prefix: Option<String>,
        /// The language the citizen chose, when not the office's own (absent then, and in
        /// logs of older versions): a reprint, and whatever tells the citizen, speak it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        language: Option<super::Language>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A turn was called to a counter.
    TicketCalled {
        /// The turn.
        seq: u32,
        /// Counter slug.
        counter: String,
        /// The agent who called it.
        agent: String,
        /// Why this turn was chosen.
        reason: CallReason,
        /// Consecutive preferential calls after this one (ratio policy state).
        streak: u32,
        /// A call by code: the agent's reason (absent for calls by the policy, and in
        /// logs written before reasons were asked for).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        out_of_order: Option<OutOfOrder>,
        /// When.
        at: DateTime<Utc>,
    },
    /// The current turn was called again.
    TicketRecalled {
        /// The turn.
        seq: u32,
        /// Counter slug.
        counter: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// The citizen arrived and the attention began.
    ServiceStarted {
        /// The turn.
        seq: u32,
        /// Counter slug.
        counter: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// The attention finished.
    TicketServed {
        /// The turn.
        seq: u32,
        /// Counter slug.
        counter: String,
        /// The agent.
        agent: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// The citizen did not come.
    TicketNoShow {
        /// The turn.
        seq: u32,
        /// Counter slug.
        counter: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A no-show taken back: the turn is called again at the counter that marked it.
    NoShowUndone {
        /// The turn.
        seq: u32,
        /// Counter slug.
        counter: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// The citizen, called but not at the window yet, asked for a few minutes (once): the
    /// turn waits again, out of the queue, and is back in it — at its place by issue
    /// time — after `turns` calls of the services competing with it (sooner when none of
    /// them has turns waiting). The counter is free for the next turn.
    TicketSnoozed {
        /// The turn.
        seq: u32,
        /// Counter slug it had been called to.
        counter: String,
        /// Calls to let go by before it is back in the queue.
        turns: u32,
        /// When.
        at: DateTime<Utc>,
    },
    /// A member of staff did something the audit trail keeps (who, what, from where):
    /// written in the batch of the change itself. Changes no turn or counter, so a
    /// version that does not know it may pass over it.
    StaffAction {
        /// The line of the trail.
        #[serde(flatten)]
        entry: super::AuditEntry,
        /// When.
        at: DateTime<Utc>,
    },
    /// The turn went back to waiting, in another service, keeping its place by issue time.
    TicketTransferred {
        /// The turn.
        seq: u32,
        /// Counter slug that transferred it.
        counter: String,
        /// Service it leaves.
        from_service: String,
        /// Service it now waits for.
        to_service: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// The citizen withdrew the turn.
    TicketCancelled {
        /// The turn.
        seq: u32,
        /// When.
        at: DateTime<Utc>,
    },
    /// An agent took a counter.
    CounterOpened {
        /// Counter slug.
        counter: String,
        /// The agent.
        agent: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A supervisor took a counter over from the agent holding it.
    CounterTakenOver {
        /// Counter slug.
        counter: String,
        /// The agent who held it.
        from: String,
        /// Who holds it now.
        agent: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A counter paused, with a reason.
    CounterPaused {
        /// Counter slug.
        counter: String,
        /// Why.
        reason: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A paused counter resumed.
    CounterResumed {
        /// Counter slug.
        counter: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A counter closed.
    CounterClosed {
        /// Counter slug.
        counter: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A citizen answered the satisfaction survey of a turn. Written to the log of the
    /// day it was answered on; names the turn by its own day and sequence.
    SurveyAnswered {
        /// The turn's local day.
        day: NaiveDate,
        /// The turn's sequence in that day.
        seq: u32,
        /// The turn's token.
        token: Token,
        /// Service slug of the turn.
        service: String,
        /// Category slug of the turn.
        category: String,
        /// Counter slug that attended it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        counter: Option<String>,
        /// Agent who attended it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent: Option<String>,
        /// The answers, 1–5.
        scores: Scores,
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
        /// The case the comment carries.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        case_type: Option<CaseType>,
        /// When it was answered.
        at: DateTime<Utc>,
    },
    /// Bytes of the log that did not check out were cut (a torn tail at start, or a
    /// repair). They may have held turns, so numbering stays above anything they held.
    LogDamaged {
        /// How many bytes were cut.
        bytes: u64,
        /// When the damage was found.
        at: DateTime<Utc>,
    },
    /// A supervisors' alert began to hold (`domain::alerts`).
    AlertRaised {
        /// Which alert.
        alert: Alert,
        /// When.
        at: DateTime<Utc>,
    },
    /// An alert in force stopped holding.
    AlertCleared {
        /// Which alert.
        alert: Alert,
        /// When.
        at: DateTime<Utc>,
    },
    /// The staffing forecast of a service for the next hour, kept so the report can set
    /// it against the waits that came (`report::forecast_accuracy`).
    ForecastMade {
        /// Service slug.
        service: String,
        /// The hour's expected wait, in seconds.
        expected_wait_seconds: u32,
        /// The share of the hour's turns expected within target, in thousandths.
        within_target_permille: u16,
        /// Counters it counted on.
        counters: u16,
        /// When.
        at: DateTime<Utc>,
    },
    /// Last record of a day's log: turns left waiting or called expired, turns being
    /// served were closed as served.
    DayClosed {
        /// When (the local midnight, or later if the process was down then).
        at: DateTime<Utc>,
        /// Turns that expired.
        expired: Vec<u32>,
        /// Turns being served that were closed as served.
        closed_served: Vec<u32>,
    },
}

impl Event {
    /// When the event happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Event::DayOpened { at, .. }
            | Event::TicketIssued { at, .. }
            | Event::TicketCalled { at, .. }
            | Event::TicketRecalled { at, .. }
            | Event::ServiceStarted { at, .. }
            | Event::TicketServed { at, .. }
            | Event::TicketNoShow { at, .. }
            | Event::NoShowUndone { at, .. }
            | Event::TicketSnoozed { at, .. }
            | Event::StaffAction { at, .. }
            | Event::TicketTransferred { at, .. }
            | Event::TicketCancelled { at, .. }
            | Event::CounterOpened { at, .. }
            | Event::CounterTakenOver { at, .. }
            | Event::CounterPaused { at, .. }
            | Event::CounterResumed { at, .. }
            | Event::CounterClosed { at, .. }
            | Event::SurveyAnswered { at, .. }
            | Event::LogDamaged { at, .. }
            | Event::AlertRaised { at, .. }
            | Event::AlertCleared { at, .. }
            | Event::ForecastMade { at, .. }
            | Event::DayClosed { at, .. } => *at,
        }
    }

    /// The turns whose state the event changes (their sequence in the day), so that a page
    /// following one turn hears of it at once.
    pub fn turns(&self) -> Vec<u32> {
        match self {
            Event::TicketIssued { seq, .. }
            | Event::TicketCalled { seq, .. }
            | Event::TicketRecalled { seq, .. }
            | Event::ServiceStarted { seq, .. }
            | Event::TicketServed { seq, .. }
            | Event::TicketNoShow { seq, .. }
            | Event::NoShowUndone { seq, .. }
            | Event::TicketSnoozed { seq, .. }
            | Event::TicketTransferred { seq, .. }
            | Event::TicketCancelled { seq, .. } => vec![*seq],
            Event::DayClosed {
                expired,
                closed_served,
                ..
            } => expired.iter().chain(closed_served).copied().collect(),
            _ => Vec::new(),
        }
    }

    /// Whether a version of Turnero that does not know this event may ignore it and still
    /// hold the day right: the audit trail's lines, alerts and forecasts only annotate the
    /// day (turns, counters, surveys and numbering stand without them); every other event
    /// changes them.
    pub fn skippable(&self) -> bool {
        matches!(
            self,
            Event::StaffAction { .. }
                | Event::AlertRaised { .. }
                | Event::AlertCleared { .. }
                | Event::ForecastMade { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Event;
    use crate::domain::{Language, Token};

    #[test]
    fn a_turns_language_is_kept_only_when_chosen_and_older_logs_still_read() {
        let issued = |language| Event::TicketIssued {
            seq: 0,
            number: 1,
            token: Token::new(
                [7; 12],
                chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            ),
            service: "registro".into(),
            category: "general".into(),
            preferential: false,
            issuer: None,
            prefix: Some("A".into()),
            language,
            at: "2026-12-01T14:00:00Z".parse().unwrap(),
        };
        let english = serde_json::to_string(&issued(Some(Language::En))).unwrap();
        assert!(english.contains(r#""language":"en""#), "{english}");
        assert_eq!(
            serde_json::from_str::<Event>(&english).unwrap(),
            issued(Some(Language::En))
        );
        let own = serde_json::to_string(&issued(None)).unwrap();
        assert!(
            !own.contains("language"),
            "nothing written when not chosen: {own}"
        );
        // A record written before the field existed reads as the office's own.
        assert_eq!(serde_json::from_str::<Event>(&own).unwrap(), issued(None));
    }
}
