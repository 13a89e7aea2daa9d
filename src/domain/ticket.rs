//! A turn (ticket) and its status.

use super::spec::{CategoryIdx, CounterIdx, ServiceIdx};
use super::token::Token;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a turn stands. `Served`, `NoShow`, `Cancelled` and `Expired` are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    /// In the queue.
    Waiting,
    /// Called to a counter; the citizen is walking there.
    Called,
    /// Being attended at the counter.
    Serving,
    /// Attended and finished.
    Served,
    /// Called, did not come.
    NoShow,
    /// Withdrawn by the citizen.
    Cancelled,
    /// Still waiting when the office's day ended.
    Expired,
}

impl TicketStatus {
    /// Whether no further change can happen to the turn.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            TicketStatus::Served
                | TicketStatus::NoShow
                | TicketStatus::Cancelled
                | TicketStatus::Expired
        )
    }

    /// The API's name for the status.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Waiting => "waiting",
            TicketStatus::Called => "called",
            TicketStatus::Serving => "serving",
            TicketStatus::Served => "served",
            TicketStatus::NoShow => "no_show",
            TicketStatus::Cancelled => "cancelled",
            TicketStatus::Expired => "expired",
        }
    }
}

/// One turn of one office's day. Small and `Copy`: an office holds one per turn issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket {
    /// Position in the day's issue order (0-based); the key of the waiting queues.
    pub seq: u32,
    /// The number people read, per service and day.
    pub number: u32,
    /// Unguessable handle for the citizen's page.
    pub token: Token,
    /// The service whose prefix the code carries (never changes).
    pub code_service: ServiceIdx,
    /// The service the turn waits for now (changes on transfer).
    pub service: ServiceIdx,
    /// Declared category.
    pub category: CategoryIdx,
    /// Whether the category is preferential.
    pub preferential: bool,
    /// Current status.
    pub status: TicketStatus,
    /// When it was issued (kept through transfers: it orders the queue).
    pub issued_at: DateTime<Utc>,
    /// Last time it was called (or recalled).
    pub called_at: Option<DateTime<Utc>>,
    /// When the first call happened (the end of the wait).
    pub first_called_at: Option<DateTime<Utc>>,
    /// When the attention started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it reached its final status.
    pub finished_at: Option<DateTime<Utc>>,
    /// The counter it was called to (while called or serving, and after).
    pub counter: Option<CounterIdx>,
    /// Times recalled at the current call.
    pub recalls: u16,
    /// Times transferred.
    pub transfers: u16,
    /// The agent who called or served it last, as an index into the day's agent names
    /// (`OfficeState::agent_of`).
    pub agent: Option<u16>,
    /// Who asked for it, as an index into the day's issuers (`OfficeState::issuer_of`).
    pub issuer: Option<u32>,
    /// The language the citizen chose, when not the office's own.
    pub language: Option<crate::domain::Language>,
    /// Whether the citizen asked for a few minutes once already (a turn snoozes once).
    pub snoozed: bool,
    /// While snoozed: the calls of its competing services still to go before it is back
    /// in the queue (0: in the queue, or not waiting).
    pub held_for: u16,
    /// Stands in for a turn the live state cannot hold (its service is no longer
    /// configured, or its record was damaged): keeps the day's sequence, never called.
    pub placeholder: bool,
}
