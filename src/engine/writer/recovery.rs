//! How the writer gets back on its feet and keeps up with others: settling the syncer,
//! failing closed, recovering once the store takes writes again, and taking in records
//! another writer appended (after a conflict, or found by an idle tick).

use super::{Message, Writer};
use crate::domain::log::{version_of, LogEntry};
use crate::domain::OfficeState;
use crate::engine::feed::FeedEvent;
use crate::engine::syncer::{apply_durable, ToSyncer, Written};
use crate::store::EventStore;
use crate::store::{Ahead, Probe, StoreError};
use parking_lot::RwLock;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// While the store refuses writes, recovery is tried at most this often.
const RECOVERY_EVERY: Duration = Duration::from_millis(200);

/// How long a writer waits for the writing turn before it decides anyway.
const TURN_WAIT: Duration = Duration::from_millis(30);
/// How long a follower blocks on the log before looking again (and at the day).
const FOLLOW_WAIT: Duration = Duration::from_secs(1);
/// How long a follower rests when its writer is busy writing: the writer then reads what
/// others wrote itself, and a follower woken by every append would only cost round trips.
const BUSY_PAUSE: Duration = Duration::from_millis(20);

/// For a store other processes write too: a thread that blocks on the office's log and
/// tells the writer when it grew beyond what this writer wrote, so screens here hear of a
/// call made elsewhere at once. It ends when the writer is gone.
pub(super) fn spawn_follower(
    office: String,
    store: Arc<dyn EventStore>,
    durable: Arc<RwLock<OfficeState>>,
    written: Arc<AtomicU64>,
    writer: std::sync::mpsc::SyncSender<Message>,
    alive: std::sync::Weak<()>,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name(format!("follow-{office}"))
        .spawn(move || loop {
            let day = durable.read().day;
            let known = written.load(Ordering::SeqCst);
            match store.wait_for_change(&office, day, known, FOLLOW_WAIT) {
                // The writer wrote meanwhile: it is busy, and reads what others wrote
                // before each batch anyway.
                Ok(_) if written.load(Ordering::SeqCst) != known => {
                    std::thread::sleep(BUSY_PAUSE);
                }
                Ok(head) if head > known => {
                    if let Err(std::sync::mpsc::TrySendError::Disconnected(_)) =
                        writer.try_send(Message::Follow)
                    {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::debug!(office, error = %e, "follow: the store did not answer; retrying");
                    std::thread::sleep(Duration::from_millis(250));
                }
            }
            if alive.upgrade().is_none() {
                return;
            }
        })
        .map(|_| ())
}

impl Writer {
    /// Waits until every batch sent so far is flushed, applied and answered.
    pub(super) fn settle(&mut self) {
        let (done, settled) = std::sync::mpsc::sync_channel(1);
        self.send(ToSyncer::Barrier(done));
        let _ = settled.recv();
    }

    /// A write failed: no command is decided until recovery succeeds, and `/readyz` says so
    /// at once.
    pub(super) fn fail(&mut self, why: String) {
        self.needs_recovery = true;
        self.health.set_unavailable(Some(why), &self.metrics);
    }

    /// After a failed write or fsync: cut the log back to what is durable, make sure the
    /// store takes writes again, and start again from the durable state, in a new epoch
    /// (the failed one is refused as a whole).
    pub(super) fn recover(&mut self) {
        if self
            .last_recovery
            .is_some_and(|t| t.elapsed() < RECOVERY_EVERY)
        {
            return;
        }
        self.last_recovery = Some(Instant::now());
        self.settle();
        let day = self.working.day;
        let result = self
            .store
            .discard_unsynced(&self.spec.id, day)
            .and_then(|version| self.apply_durable_since(version))
            .and_then(|()| self.store.check());
        match result {
            Ok(()) => {
                self.working = self.durable.read().clone();
                self.version = self.durable_version.load(Ordering::SeqCst);
                self.tip_batch = None;
                self.epoch += 1;
                self.needs_recovery = false;
                self.metrics.recoveries.inc();
                self.health.set_unavailable(None, &self.metrics);
                tracing::warn!(office = %self.spec.id, version = self.version, "the log takes writes again; the office is back");
            }
            Err(e) => {
                let why = e.to_string();
                let new = self.health.get().unavailable.as_deref() != Some(why.as_str());
                self.health.set_unavailable(Some(why), &self.metrics);
                if new {
                    tracing::error!(office = %self.spec.id, error = %e, "the office takes no writes until its log is cut back to what is durable and the disk takes writes; retrying");
                }
            }
        }
    }

    /// Brings the durable state to the log's `version`: applies what others wrote since
    /// the durable state's version. A log shorter than what was applied (another store
    /// lost records) rebuilds the day from the log.
    fn apply_durable_since(&mut self, version: u64) -> Result<(), StoreError> {
        let known = self.durable_version.load(Ordering::SeqCst);
        if version == known {
            return Ok(());
        }
        if version < known {
            tracing::error!(office = %self.spec.id, version, known, "the log holds fewer records than were applied; rebuilding the day from it");
            return self.reload_day();
        }
        let entries = self
            .store
            .load_since(&self.spec.id, self.working.day, known)?;
        self.apply_foreign(&entries, known);
        Ok(())
    }

    /// Rebuilds the durable state from the day's log as the store has it now, and tells
    /// the screens to start again from it. The working state is the caller's to reset.
    fn reload_day(&mut self) -> Result<(), StoreError> {
        self.metrics.rebuilds.inc();
        let loaded = self.store.load(&self.spec.id, self.working.day)?;
        let (mut state, _) =
            OfficeState::replay_log(self.spec.clone(), self.working.day, &loaded.entries);
        state.seed_answered(self.earlier_answers.iter().copied());
        self.health
            .set_read_only(state.read_only.clone(), &self.metrics);
        *self.durable.write() = state;
        self.durable_version
            .store(loaded.version(), Ordering::SeqCst);
        let _ = self.feed.send(FeedEvent::Reset);
        Ok(())
    }

    /// Whether the log holds, at this writer's version, a record of another batch than
    /// the one this writer knows there: the log was replaced (a Redis failover to a
    /// replica that missed the last writes, then other writes). A batch not known yet is
    /// learnt from the probe.
    fn replaced(&mut self, probe: &Probe) -> bool {
        if probe.head < self.version {
            return false;
        }
        match (self.tip_batch, probe.batch) {
            (Some(known), Some(found)) => known != found,
            (None, found) => {
                self.tip_batch = found;
                false
            }
            (Some(_), None) => false,
        }
    }

    /// The log differs from what this writer applied: settle, reload the day from the log
    /// and continue from it, saying so.
    fn reload_replaced(&mut self, probe: &Probe) {
        self.settle();
        tracing::error!(office = %self.spec.id, version = self.version, head = probe.head, "the log holds another record than this process applied at its version (a Redis failover lost acknowledged records?); reloading the day from the log and resyncing the screens");
        match self.reload_day() {
            Ok(()) => {
                self.working = self.durable.read().clone();
                self.version = self.durable_version.load(Ordering::SeqCst);
                self.tip_batch = None;
                self.waiting_dirty = true;
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Applies records another writer appended (after `from`) to the durable state, with
    /// their calls and metrics, as if this process had written them.
    fn apply_foreign(&mut self, entries: &[LogEntry], from: u64) {
        let (calls, metrics) = {
            let mut state = self.durable.write();
            let mut calls = Vec::new();
            let mut metrics = Vec::new();
            for entry in entries {
                match entry {
                    LogEntry::Event(e) => {
                        let (c, m) =
                            apply_durable(&mut state, std::slice::from_ref(e), &self.spec.id);
                        calls.extend(c);
                        metrics.extend(m);
                    }
                    other => {
                        if let Err(e) = state.apply_entry(other) {
                            tracing::warn!(office = %self.spec.id, error = %e, "a record written by another process does not apply");
                        }
                    }
                }
            }
            self.health
                .set_read_only(state.read_only.clone(), &self.metrics);
            (calls, metrics)
        };
        self.durable_version
            .store(from + version_of(entries), Ordering::SeqCst);
        for m in metrics {
            m.count(&self.metrics);
        }
        for call in calls {
            let _ = self.feed.send(call);
        }
        self.waiting_dirty = true;
    }

    /// After a conflict: settle what is in flight, read what the other writer appended,
    /// and continue from the durable state. Returns false if the store could not be read.
    pub(super) fn catch_up(&mut self) -> bool {
        self.settle();
        if self.failed_epoch.load(Ordering::SeqCst) == self.epoch {
            self.fail("an fsync failed".into());
            return false;
        }
        let known = self.durable_version.load(Ordering::SeqCst);
        match self
            .store
            .load_since(&self.spec.id, self.working.day, known)
        {
            Ok(entries) => {
                self.apply_foreign(&entries, known);
                self.working = self.durable.read().clone();
                self.version = self.durable_version.load(Ordering::SeqCst);
                self.tip_batch = None;
                true
            }
            Err(e) => {
                tracing::error!(office = %self.spec.id, error = %e, "could not read what another process wrote");
                self.fail(e.to_string());
                false
            }
        }
    }

    /// When the log is ahead of what this writer wrote (another process appended), takes
    /// those records into the working state at once and hands them to the syncer in log
    /// order, so the durable state gets them after this writer's own batches: no settling,
    /// no copy of the state. Done before deciding each batch on a shared store, so a
    /// conflict needs two writers within one round trip.
    ///
    /// Also asks for the office's writing turn, and waits while another process has it
    /// (until its append shows in the log, at most [`TURN_WAIT`]): deciding while another
    /// writer is about to append would only end in a conflict.
    pub(super) fn take_in_ahead(&mut self) -> Result<(), StoreError> {
        let day = self.working.day;
        let until = Instant::now() + TURN_WAIT;
        loop {
            let Ahead {
                probe,
                entries,
                turn,
            } = self
                .store
                .read_ahead(&self.spec.id, day, self.version, true)?;
            if self.replaced(&probe) {
                self.reload_replaced(&probe);
                return Ok(());
            }
            if !entries.is_empty() {
                self.take_in(entries);
            }
            if turn || Instant::now() >= until {
                return Ok(());
            }
            self.metrics.turn_waits.inc();
            self.store.wait_for_change(
                &self.spec.id,
                day,
                self.version,
                crate::store::TURN_LEASE,
            )?;
        }
    }

    /// Takes records others appended after this writer's version into the working state,
    /// and hands them to the syncer after this writer's own batches.
    fn take_in(&mut self, entries: Vec<LogEntry>) {
        let day = self.working.day;
        let mut events = Vec::new();
        for entry in &entries {
            if let Err(e) = self.working.apply_entry(entry) {
                tracing::warn!(office = %self.spec.id, error = %e, "a record written by another process does not apply");
            }
            if let LogEntry::Event(e) = entry {
                events.push(e.clone());
            }
        }
        self.version += version_of(&entries);
        self.tip_batch = None;
        self.written.store(self.version, Ordering::SeqCst);
        self.waiting_dirty = true;
        self.send(ToSyncer::Batch(Written {
            epoch: self.epoch,
            day,
            pending: Vec::new(),
            events,
            version: self.version,
        }));
    }

    /// When idle: takes in records that others appended to today's log (one read), or
    /// finds that the log was cut or replaced.
    pub(super) fn follow(&mut self) {
        if self.needs_recovery {
            return;
        }
        let probe = match self.store.read_ahead(
            &self.spec.id,
            self.working.day,
            self.version,
            false,
        ) {
            Ok(Ahead { probe, entries, .. }) if !entries.is_empty() && !self.replaced(&probe) => {
                tracing::debug!(office = %self.spec.id, "the log grew behind this writer; taking the new records in");
                self.take_in(entries);
                return;
            }
            Ok(ahead) => ahead.probe,
            Err(e) => {
                tracing::debug!(office = %self.spec.id, error = %e, "could not read the log to follow it; will retry");
                return;
            }
        };
        if self.replaced(&probe) {
            self.reload_replaced(&probe);
        } else if probe.head < self.version {
            self.rebuild_if_shorter();
        }
    }

    /// The log holds fewer records than this writer wrote or applied (a Redis failover to
    /// a replica that had not received them): rebuild the day from the log as it is, and
    /// resync the screens. What is in flight is settled first, so a log that is merely
    /// still being flushed is not taken for a shorter one.
    fn rebuild_if_shorter(&mut self) {
        self.settle();
        let day = self.working.day;
        let head = self
            .store
            .wait_for_change(&self.spec.id, day, self.version, Duration::ZERO);
        let Ok(head) = head else { return };
        if head >= self.version {
            return;
        }
        tracing::error!(office = %self.spec.id, head, applied = self.version, "the log holds fewer records than this process applied (a failover lost acknowledged records?); rebuilding the day from the log");
        match self.apply_durable_since(head) {
            Ok(()) => {
                self.working = self.durable.read().clone();
                self.version = self.durable_version.load(Ordering::SeqCst);
                self.tip_batch = None;
                self.waiting_dirty = true;
            }
            Err(e) => self.fail(e.to_string()),
        }
    }
}
