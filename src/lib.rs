//! Turnero: an office queue and turn-ticketing system.
//!
//! # Layout
//! - [`domain`]: the office's rules, pure: turns, numbering, hours, policy, counters.
pub mod domain;
