//! Where events are kept: the `EventStore` trait, and the embedded file store.
//!
//! A store holds one log per office and local day. Appends are compare-and-append: the
//! caller says which version (number of records) it decided on, and the append fails with
//! `Conflict` if the log has moved on. Several processes may write the same log (Redis):
//! the loser of a race learns of it from the conflict, reads what the winner wrote with
//! `load_since`, and decides again, so no turn is issued twice or called by two windows.
//! Each batch carries an id, so a batch retried after a lost answer is recognised as
//! written rather than reported as a conflict.

pub mod contacts;
pub mod counters;
pub mod embedded;
pub mod print_jobs;
pub mod record;
pub mod redis;

#[cfg(test)]
pub mod conformance;
#[cfg(test)]
pub mod faulty;

use crate::domain::LogEntry;
use chrono::NaiveDate;
use std::time::Duration;

pub use contacts::{ContactStore, FileContacts};
pub use counters::{LocalCounters, WindowCounters};
pub use embedded::EmbeddedStore;
pub use print_jobs::{PrinterReport, QueuedJob, SharedPrintJobs};
pub use redis::RedisStore;

/// Why a store operation failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The log is not at the version the caller decided on.
    #[error("log is at version {actual}, expected {expected}")]
    Conflict {
        /// The version the caller expected.
        expected: u64,
        /// The version found.
        actual: u64,
    },
    /// The store cannot be reached or written (disk full, I/O error, Redis down).
    #[error("store unavailable: {0}")]
    Unavailable(String),
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError::Unavailable(e.to_string())
    }
}

/// Identifies one batch of events, so that the store can recognise a retry of a batch it
/// already wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BatchId(pub u64);

/// What [`EventStore::probe`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    /// The log's durable version.
    pub head: u64,
    /// The batch that wrote the record asked about, if the store keeps batch ids and the
    /// record exists.
    pub batch: Option<BatchId>,
}

/// How long an office's writing turn (see [`EventStore::read_ahead`]) lasts unless the
/// append gives it up: a decision and an append take about a millisecond; a writer that
/// takes longer loses its turn, not its correctness.
pub const TURN_LEASE: Duration = Duration::from_millis(10);

/// What [`EventStore::read_ahead`] found.
#[derive(Debug, Clone)]
pub struct Ahead {
    /// The head, and the batch at the version asked about.
    pub probe: Probe,
    /// The records after that version (as many as the head says, or more if the log grew
    /// meanwhile).
    pub entries: Vec<LogEntry>,
    /// Whether the caller has the writing turn (always, for a store one process owns).
    pub turn: bool,
}

impl BatchId {
    /// A fresh, random id.
    pub fn random() -> Self {
        BatchId(rand::random())
    }
}

/// A day's log as its writer loads it.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every record (and damaged stretch between records), in order.
    pub entries: Vec<LogEntry>,
    /// Bytes of a torn tail that loading cut off (kept aside by the store). They may have
    /// held a turn, so the writer records the cut in the log.
    pub cut_bytes: u64,
    /// What was found damaged, in Spanish, for the operator (also logged by the store).
    pub damage: Vec<String>,
}

impl Loaded {
    /// The log's version: the number of records.
    pub fn version(&self) -> u64 {
        crate::domain::log::version_of(&self.entries)
    }
}

/// A durable, append-only home for each office's daily event logs.
///
/// Calls block: the engine calls them from its own per-office threads.
pub trait EventStore: Send + Sync + 'static {
    /// The day's log for its writer (empty if the day has no log yet). May cut a torn tail
    /// (keeping the bytes aside); never cuts or rewrites anything else.
    fn load(&self, office: &str, day: NaiveDate) -> Result<Loaded, StoreError>;

    /// The durable records after the first `version` ones (with the gaps among them), for
    /// a writer or follower catching up with what others wrote. Never changes the log.
    fn load_since(
        &self,
        office: &str,
        day: NaiveDate,
        version: u64,
    ) -> Result<Vec<LogEntry>, StoreError>;

    /// Appends `events` if the day's log holds exactly `expected_version` records, and
    /// returns the new version; when it returns `Ok` the events are durable. Appending a
    /// batch id the log already holds at that version returns its version again.
    fn append(
        &self,
        office: &str,
        day: NaiveDate,
        expected_version: u64,
        batch: BatchId,
        events: &[crate::domain::Event],
    ) -> Result<u64, StoreError>;

    /// Appends like [`EventStore::append`] but may return before the events are durable;
    /// [`EventStore::sync`] makes them so. Lets a writer decide and write the next batch
    /// while the previous one is being flushed. By default the same as `append`.
    fn append_buffered(
        &self,
        office: &str,
        day: NaiveDate,
        expected_version: u64,
        batch: BatchId,
        events: &[crate::domain::Event],
    ) -> Result<u64, StoreError> {
        self.append(office, day, expected_version, batch, events)
    }

    /// Makes every append of the day's log made so far durable. Nothing to do for stores
    /// whose appends are durable when they return.
    fn sync(&self, _office: &str, _day: NaiveDate) -> Result<(), StoreError> {
        Ok(())
    }

    /// After a failed write or sync: forgets every append that was not made durable, so
    /// the log holds exactly what was confirmed, and returns that version. Fails while the
    /// store cannot make sure of it (the disk still refuses); then call again later.
    fn discard_unsynced(&self, office: &str, day: NaiveDate) -> Result<u64, StoreError>;

    /// The events of a day for a reader that is not the office's writer (reports, older
    /// days): never changes the log, and gives only what is known to be durable.
    fn read(&self, office: &str, day: NaiveDate) -> Result<Vec<LogEntry>, StoreError> {
        self.load_since(office, day, 0)
    }

    /// Waits until the day's durable log holds more than `version` records, or `timeout`
    /// passes; returns the durable version then. How followers learn the log moved on.
    fn wait_for_change(
        &self,
        office: &str,
        day: NaiveDate,
        version: u64,
        timeout: Duration,
    ) -> Result<u64, StoreError>;

    /// The day's durable head, and which batch wrote record number `version`, where the
    /// store keeps batch ids (Redis, where a failover can put a different log in place of
    /// the one a process applied; the embedded store, which one process owns, need not).
    /// A writer compares it with the batch it knows at its version: a log that differs at
    /// the same version is then found, not built upon.
    fn probe(&self, office: &str, day: NaiveDate, version: u64) -> Result<Probe, StoreError> {
        Ok(Probe {
            head: self.wait_for_change(office, day, version, Duration::ZERO)?,
            batch: None,
        })
    }

    /// [`EventStore::probe`] at `version` and, when the log is longer, every record after
    /// it: what a writer on a shared store reads before deciding each batch, so that it
    /// decides on what the others wrote. Redis answers it in one round trip.
    ///
    /// With `claim`, the caller also asks for the office's writing turn: a short lease
    /// that others asking meanwhile are refused (`Ahead::turn` false), so that they wait
    /// for its append instead of deciding on a version it is about to pass (a conflict,
    /// which costs a re-read and a new decision). The turn goes to a waiting writer
    /// before the one that just wrote; an append gives it up. Only a hint: the
    /// compare-and-append alone keeps the log right, whoever ignores or outlives a turn.
    fn read_ahead(
        &self,
        office: &str,
        day: NaiveDate,
        version: u64,
        claim: bool,
    ) -> Result<Ahead, StoreError> {
        let _ = claim;
        let probe = self.probe(office, day, version)?;
        let entries = if probe.head > version {
            self.load_since(office, day, version)?
        } else {
            Vec::new()
        };
        Ok(Ahead {
            probe,
            entries,
            turn: true,
        })
    }

    /// The days that have a log for an office, oldest first.
    fn days(&self, office: &str) -> Result<Vec<NaiveDate>, StoreError>;

    /// A cheap measure of a day's log that changes when records are added to it (bytes
    /// for the embedded store, entries for Redis): a report summary made from a log of
    /// another size is out of date. By default, the records `read` gives.
    fn log_size(&self, office: &str, day: NaiveDate) -> Result<u64, StoreError> {
        Ok(self.read(office, day)?.len() as u64)
    }

    /// The report summary kept for a day (`crate::report::stored`), if any. By default
    /// none is kept (every report replays).
    fn read_summary(&self, _office: &str, _day: NaiveDate) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(None)
    }

    /// Keeps a day's report summary, whole or not at all (replacing the one before).
    fn write_summary(
        &self,
        _office: &str,
        _day: NaiveDate,
        _bytes: &[u8],
    ) -> Result<(), StoreError> {
        Ok(())
    }

    /// Whether the store can take writes now (for `/readyz`).
    fn check(&self) -> Result<(), StoreError>;

    /// The engine stopped: no more writes will come. The embedded store lets go of its
    /// data folder here, so a new store may open it at once (a restart within one
    /// process); later writes are refused.
    fn close(&self) {}

    /// Whether other processes may write the same logs (then each office's writer follows
    /// its log continuously, so screens here hear of what others did at once).
    fn shared(&self) -> bool {
        false
    }
}
