//! Why a command was refused. Each variant has a stable API code; the Spanish sentence a
//! person reads is written in `crate::i18n`.

use chrono::DateTime;
use chrono_tz::Tz;

/// A command the office's rules refuse; the state is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// No such service in the office.
    #[error("service not found")]
    ServiceNotFound,
    /// No such category in the office.
    #[error("category not found")]
    CategoryNotFound,
    /// No such counter in the office.
    #[error("counter not found")]
    CounterNotFound,
    /// No turn with that token or code today.
    #[error("ticket not found")]
    TicketNotFound,
    /// Outside opening hours.
    #[error("office closed")]
    OfficeClosed {
        /// When it opens next, if ever.
        next_opening: Option<DateTime<Tz>>,
    },
    /// The service's number range for the day is used up.
    #[error("number range exhausted")]
    NumberRangeExhausted,
    /// The counter is closed.
    #[error("counter closed")]
    CounterClosed,
    /// The counter is paused.
    #[error("counter paused")]
    CounterPaused,
    /// The counter is not paused (resume).
    #[error("counter not paused")]
    CounterNotPaused,
    /// The counter's current turn is still called or being served.
    #[error("counter busy")]
    CounterBusy,
    /// The counter has no current turn.
    #[error("no current turn")]
    NoCurrentTurn,
    /// The current turn is already being served (recall, no-show, start).
    #[error("turn already being served")]
    AlreadyServing,
    /// Another agent holds the counter.
    #[error("counter taken")]
    CounterTaken {
        /// Who holds it.
        agent: String,
    },
    /// The agent already holds another counter.
    #[error("agent has a counter")]
    AgentHasCounter {
        /// The counter's name.
        counter: String,
    },
    /// The counter does not serve the turn's service.
    #[error("service not served")]
    ServiceNotServed,
    /// Transfer to the service the turn is already in.
    #[error("same service")]
    SameService,
    /// The turn is not waiting (call by code, cancel).
    #[error("turn not waiting")]
    TurnNotWaiting,
    /// A no-show needs more recalls first.
    #[error("recall required")]
    RecallRequired {
        /// Recalls the office requires.
        required: u16,
    },
    /// An undo with no no-show of this counter to take back (or the counter has moved
    /// on to another turn since).
    #[error("nothing to undo")]
    NothingToUndo,
    /// An undo past its time.
    #[error("undo expired")]
    UndoExpired {
        /// Seconds a no-show may be taken back in.
        seconds: u32,
    },
    /// A pause reason that is empty or too long.
    #[error("invalid reason")]
    InvalidReason,
    /// A call out of order without a reason.
    #[error("reason required")]
    ReasonRequired,
    /// A call out of order whose reason is not one of the office's.
    #[error("unknown reason")]
    UnknownReason,
    /// A call out of order for "another reason" without saying which.
    #[error("note required")]
    NoteRequired,
    /// A call's note over the limit.
    #[error("note too long")]
    NoteTooLong,
    /// A survey answer outside 1–5.
    #[error("invalid score")]
    InvalidScore {
        /// The question's id.
        question: &'static str,
    },
    /// A survey comment over the limit.
    #[error("comment too long")]
    CommentTooLong,
    /// A case type that does not exist.
    #[error("unknown case type")]
    UnknownCaseType,
    /// The survey of a turn that was not attended.
    #[error("turn not served")]
    NotServed,
    /// The turn's survey was already answered.
    #[error("survey already answered")]
    AlreadyAnswered,
    /// The office does not offer "voy en camino" (`snooze_turns = 0`).
    #[error("snooze not offered")]
    SnoozeOff,
    /// The turn already asked for a few minutes once.
    #[error("already snoozed")]
    AlreadySnoozed,
    /// Only a turn called and not yet at the window may ask for a few minutes.
    #[error("turn not called")]
    TurnNotCalled,
    /// The survey's time is over.
    #[error("survey closed")]
    SurveyClosed {
        /// Days the office gives to answer.
        days: u32,
    },
}

impl DomainError {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::ServiceNotFound => "service_not_found",
            DomainError::CategoryNotFound => "category_not_found",
            DomainError::CounterNotFound => "counter_not_found",
            DomainError::TicketNotFound => "ticket_not_found",
            DomainError::OfficeClosed { .. } => "office_closed",
            DomainError::NumberRangeExhausted => "number_range_exhausted",
            DomainError::CounterClosed => "counter_closed",
            DomainError::CounterPaused => "counter_paused",
            DomainError::CounterNotPaused => "counter_not_paused",
            DomainError::CounterBusy => "counter_busy",
            DomainError::NoCurrentTurn => "no_current_turn",
            DomainError::AlreadyServing => "already_serving",
            DomainError::CounterTaken { .. } => "counter_taken",
            DomainError::AgentHasCounter { .. } => "agent_has_counter",
            DomainError::ServiceNotServed => "service_not_served",
            DomainError::SameService => "same_service",
            DomainError::TurnNotWaiting => "turn_not_waiting",
            DomainError::RecallRequired { .. } => "recall_required",
            DomainError::NothingToUndo => "nothing_to_undo",
            DomainError::UndoExpired { .. } => "undo_expired",
            DomainError::InvalidReason => "invalid_reason",
            DomainError::ReasonRequired => "reason_required",
            DomainError::UnknownReason => "unknown_reason",
            DomainError::NoteRequired => "note_required",
            DomainError::NoteTooLong => "note_too_long",
            DomainError::InvalidScore { .. } => "invalid_score",
            DomainError::CommentTooLong => "comment_too_long",
            DomainError::UnknownCaseType => "unknown_case_type",
            DomainError::NotServed => "not_served",
            DomainError::AlreadyAnswered => "already_answered",
            DomainError::SurveyClosed { .. } => "survey_closed",
            DomainError::SnoozeOff => "snooze_off",
            DomainError::AlreadySnoozed => "already_snoozed",
            DomainError::TurnNotCalled => "turn_not_called",
        }
    }
}
