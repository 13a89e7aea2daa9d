//! A store that fails on demand, for fault-injection tests: EIO on write, on fsync, on
//! reload, on cutting back, as the test says. Everything else goes to the store inside.

use super::{BatchId, EventStore, Loaded, StoreError};
use crate::domain::{Event, LogEntry};
use chrono::NaiveDate;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Switches that make the next operations of one kind fail.
#[derive(Default)]
pub struct Faults {
    /// Appends fail (a full disk, EIO on write).
    pub write: AtomicBool,
    /// Fsyncs fail.
    pub sync: AtomicBool,
    /// Loads and reads fail (EIO on reload).
    pub load: AtomicBool,
    /// Cutting back after a failure fails.
    pub discard: AtomicBool,
    /// Operations refused so far.
    pub refused: AtomicU32,
}

/// The store inside, with [`Faults`] in front.
pub struct FaultyStore {
    /// The real store.
    pub inner: Arc<dyn EventStore>,
    /// What fails now.
    pub faults: Faults,
}

impl FaultyStore {
    /// Wraps a store.
    pub fn new(inner: Arc<dyn EventStore>) -> Self {
        FaultyStore {
            inner,
            faults: Faults::default(),
        }
    }

    fn fail_if(&self, switch: &AtomicBool, what: &str) -> Result<(), StoreError> {
        if switch.load(Ordering::SeqCst) {
            self.faults.refused.fetch_add(1, Ordering::SeqCst);
            return Err(StoreError::Unavailable(format!(
                "Input/output error (os error 5) on {what} (injected)"
            )));
        }
        Ok(())
    }
}

impl EventStore for FaultyStore {
    fn load(&self, office: &str, day: NaiveDate) -> Result<Loaded, StoreError> {
        self.fail_if(&self.faults.load, "load")?;
        self.inner.load(office, day)
    }
    fn load_since(
        &self,
        office: &str,
        day: NaiveDate,
        version: u64,
    ) -> Result<Vec<LogEntry>, StoreError> {
        self.fail_if(&self.faults.load, "read")?;
        self.inner.load_since(office, day, version)
    }
    fn append(
        &self,
        office: &str,
        day: NaiveDate,
        v: u64,
        batch: BatchId,
        events: &[Event],
    ) -> Result<u64, StoreError> {
        let version = self.append_buffered(office, day, v, batch, events)?;
        self.sync(office, day)?;
        Ok(version)
    }
    fn append_buffered(
        &self,
        office: &str,
        day: NaiveDate,
        v: u64,
        batch: BatchId,
        events: &[Event],
    ) -> Result<u64, StoreError> {
        self.fail_if(&self.faults.write, "write")?;
        self.inner.append_buffered(office, day, v, batch, events)
    }
    fn sync(&self, office: &str, day: NaiveDate) -> Result<(), StoreError> {
        self.fail_if(&self.faults.sync, "fsync")?;
        self.inner.sync(office, day)
    }
    fn discard_unsynced(&self, office: &str, day: NaiveDate) -> Result<u64, StoreError> {
        self.fail_if(&self.faults.discard, "truncate")?;
        self.inner.discard_unsynced(office, day)
    }
    fn read(&self, office: &str, day: NaiveDate) -> Result<Vec<LogEntry>, StoreError> {
        self.fail_if(&self.faults.load, "read")?;
        self.inner.read(office, day)
    }
    fn wait_for_change(
        &self,
        office: &str,
        day: NaiveDate,
        version: u64,
        timeout: Duration,
    ) -> Result<u64, StoreError> {
        self.inner.wait_for_change(office, day, version, timeout)
    }
    fn days(&self, office: &str) -> Result<Vec<NaiveDate>, StoreError> {
        self.inner.days(office)
    }
    // Summaries pass through untouched: the faults are the log's (a summary that cannot
    // be kept is only logged), and counting them would blur what a test refuses.
    fn log_size(&self, office: &str, day: NaiveDate) -> Result<u64, StoreError> {
        self.inner.log_size(office, day)
    }
    fn read_summary(&self, office: &str, day: NaiveDate) -> Result<Option<Vec<u8>>, StoreError> {
        self.inner.read_summary(office, day)
    }
    fn write_summary(&self, office: &str, day: NaiveDate, bytes: &[u8]) -> Result<(), StoreError> {
        self.inner.write_summary(office, day, bytes)
    }
    fn check(&self) -> Result<(), StoreError> {
        self.fail_if(&self.faults.write, "check")?;
        self.inner.check()
    }
}
