//! Turnero: an office queue and turn-ticketing system.
//!
//! # Layout
//! - [`domain`]: the office's rules, pure: turns, numbering, hours, policy, counters.
//! - [`store`]: where events are kept: the `EventStore` trait and the embedded file log.
pub mod domain;
pub mod store;
