//! Turnero: an office queue and turn-ticketing system.
//!
//! # Layout
//! - [`config`]: the TOML configuration, its validation by line, and the demo office.
//! - [`domain`]: the office's rules, pure: turns, numbering, hours, policy, counters.
//! - [`store`]: where events are kept: the `EventStore` trait and the embedded file log.
//! - [`engine`]: one writer thread per office: decide, append (group commit), broadcast.
//! - [`views`]: the JSON shapes of API.md, shared by HTTP and the lobby feed.
//! - [`metrics`]: Prometheus metrics.
//! - [`printing`]: kiosk printers: a queue per printer (or a print agent), after the turn
//!   is committed, never failing it; tickets rendered by the `turnero-printer` crate.
//! - [`transfer`]: `turnero export` / `import`: an office's days between stores.
//! - [`report`]: the office's figures (waits, outcomes, satisfaction, pauses, idle time)
//!   computed purely from the event logs; JSON and CSV.
//! - [`webpush`]: Web Push to the citizen's phone: VAPID keys, subscriptions, the encrypted
//!   message and its sender.
//! - [`datacheck`]: `check-data` (verify and repair the embedded store's logs) and
//!   `check-config --data` (what a new configuration would orphan in today's logs).
pub mod config;
pub mod datacheck;
pub mod domain;
pub mod engine;
pub mod http;
pub mod i18n;
pub mod limits;
pub mod metrics;
pub mod notify;
pub mod pages;
pub mod printing;
pub mod report;
pub mod server;
pub mod store;
pub mod supervision;
pub mod telemetry;
pub mod transfer;
pub mod views;
pub mod webpush;
