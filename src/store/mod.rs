//! Where events are kept: the `EventStore` trait, and the embedded file store.
//!
//! A store holds one log per office and local day. Appends are compare-and-append: the
//! caller says which version (number of events) it decided on, and the append fails with
//! `Conflict` if the log has moved on. One process with one writer per office never
//! conflicts; several processes sharing a Redis store will, and the loser reloads and
//! decides again, so no turn is issued twice or called by two windows.

pub mod embedded;
pub mod record;

use crate::domain::Event;
use chrono::NaiveDate;

pub use embedded::EmbeddedStore;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
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

/// A durable, append-only home for each office's daily event logs.
///
/// Calls block: the engine calls them from its own per-office thread.
pub trait EventStore: Send + Sync + 'static {
    /// The events of one office's day, in order (empty if the day has no log yet).
    fn load(&self, office: &str, day: NaiveDate) -> Result<Vec<Event>, StoreError>;

    /// Appends `events` if the day's log holds exactly `expected_version` events, and
    /// returns the new version. When it returns `Ok` the events are durable.
    fn append(
        &self,
        office: &str,
        day: NaiveDate,
        expected_version: u64,
        events: &[Event],
    ) -> Result<u64, StoreError>;

    /// Appends like [`EventStore::append`] but may return before the events are durable;
    /// [`EventStore::sync`] makes them so. Lets a writer decide and write the next batch
    /// while the previous one is being flushed. By default the same as `append`.
    fn append_buffered(
        &self,
        office: &str,
        day: NaiveDate,
        expected_version: u64,
        events: &[Event],
    ) -> Result<u64, StoreError> {
        self.append(office, day, expected_version, events)
    }

    /// Makes every append of the day's log made so far durable. Nothing to do for stores
    /// whose appends are durable when they return.
    fn sync(&self, _office: &str, _day: NaiveDate) -> Result<(), StoreError> {
        Ok(())
    }

    /// After a failed sync: forgets the appends that were not made durable, so the log
    /// holds only what was confirmed.
    fn discard_unsynced(&self, _office: &str, _day: NaiveDate) -> Result<(), StoreError> {
        Ok(())
    }

    /// The events of a day for a reader that is not the office's writer (reports, older
    /// days): never changes the log, and gives only what is known to be durable, so it is
    /// safe while the writer appends. By default the same as `load`.
    fn read(&self, office: &str, day: NaiveDate) -> Result<Vec<Event>, StoreError> {
        self.load(office, day)
    }

    /// The days that have a log for an office, oldest first.
    fn days(&self, office: &str) -> Result<Vec<NaiveDate>, StoreError>;

    /// Whether the store can take writes now (for `/readyz`).
    fn check(&self) -> Result<(), StoreError>;
}
