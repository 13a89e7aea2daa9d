//! The rules of the office, free of I/O: turns, numbering, opening hours, the priority
//! policy, counters and wait estimates. Time always comes in as an argument.
//!
//! `decide(state, command, now)` says which events a command produces (or why it is
//! refused); `state.apply(event)` folds an event into the state. The engine runs the two;
//! nothing here reads a clock, a file or the network.

pub mod alerts;
pub mod audit;
pub mod decide;
pub mod error;
pub mod event;
mod fenwick;
pub mod forecast;
pub mod issuer;
pub mod language;
pub mod log;
pub mod policy;
pub mod queue;
pub mod schedule;
pub mod spec;
pub mod state;
pub mod survey;
pub mod ticket;
pub mod token;

pub use audit::{AuditAction, AuditEntry};
pub use decide::{close_day, decide, Command, CounterAction, Subject};
pub use error::DomainError;
pub use event::{CallReason, CounterCarry, Event, OutOfOrder};
pub use issuer::Issuer;
pub use language::Language;
pub use log::LogEntry;
pub use spec::{
    CategorySpec, CounterSpec, OfficeSpec, OnExhausted, OutOfOrderReason, PolicySpec, ServiceSpec,
};
pub use state::{IssuerCount, OfficeState, TicketView};
pub use survey::{CaseType, Scores, SurveyForm, SurveyStatus, SurveyTurn};
pub use ticket::{Ticket, TicketStatus};
pub use token::Token;

#[cfg(test)]
mod replay_tests;
#[cfg(test)]
mod tests;
