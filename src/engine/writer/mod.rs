//! The per-office writer thread: batches commands, decides them and writes each batch to
//! the log; its syncer (see `syncer.rs`) flushes, applies what is durable to the state
//! everybody reads, and then answers. Rolls the day over at local midnight.
//!
//! The writer decides on its own *working* state: the durable state plus the batches in
//! flight. Commit is pipelined: while the syncer fsyncs batch k, the writer already
//! decides and writes batch k+1. Nobody else sees the working state, so when a write or
//! fsync fails, the writer waits for the syncer to settle every batch in flight, has the
//! store cut the log back to what is durable, and starts again from the durable state —
//! nothing decided on a refused batch survives. Until the store lets it do that, the
//! office refuses writes (503) and says so on `/readyz`; it retries by itself.
//!
//! The writer is not assumed to be the only one: a conflict on append (another process
//! wrote first) and a log that grew behind its back are both met by reading the records
//! it does not have (`load_since`) and applying them, then deciding again.

mod recovery;

use super::feed::{self, FeedEvent};
use super::health::HealthCell;
use super::open::{close_previous_day, earlier_answers, open_day, survey_window_start};
use super::syncer::{Pending, Syncer, ToSyncer, Written};
use super::{channel, Clock, EngineError, Job, Message, OfficeHandle, Outcome};
use crate::domain::schedule::{end_of_day, local_day};
use crate::domain::{close_day, decide, Event, OfficeSpec, OfficeState, Subject};
use crate::metrics::{Metrics, OfficeMetrics};
use crate::store::{BatchId, EventStore, StoreError};
use crate::views;
use chrono::{DateTime, NaiveDate, Utc};
use parking_lot::{Mutex, RwLock};
use prometheus_client::metrics::histogram::Histogram;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// Most commands decided into one append.
const MAX_BATCH: usize = 1024;
/// Waiting counts are broadcast at most this often (calls always go at once).
const WAITING_EVERY: Duration = Duration::from_millis(250);
/// How often an idle writer checks for the day's end, for records others wrote, and
/// (while the store refuses writes) whether it takes them again.
const TICK: Duration = Duration::from_secs(1);
/// How long a batch whose append failed is asked again (same batch id) before it is
/// refused: a caller must hear within 2 s.
const RETRY_WITHIN: Duration = Duration::from_millis(600);
/// How long a batch is decided again while other processes keep writing first, before it
/// is refused (503, retryable): callers must hear within 2 s.
const DECIDE_AGAIN_WITHIN: Duration = Duration::from_millis(1200);

struct Writer {
    spec: Arc<OfficeSpec>,
    /// What the writer decides on: the durable state plus the batches in flight.
    working: OfficeState,
    /// The log's version with the batches in flight.
    version: u64,
    /// The batch that wrote record `version`, when known (stores that keep batch ids): a
    /// log found with another batch there was replaced (a failover), and is reloaded.
    tip_batch: Option<BatchId>,
    /// What is durable: the state readers see (updated by the syncer).
    durable: Arc<RwLock<OfficeState>>,
    durable_version: Arc<AtomicU64>,
    /// The log's version with what this writer wrote (for the follower).
    written: Arc<AtomicU64>,
    /// Held while the writer runs: its follower stops when it goes.
    _alive: Arc<()>,
    previous: Arc<RwLock<Option<Arc<OfficeState>>>>,
    store: Arc<dyn EventStore>,
    clock: Arc<dyn Clock>,
    feed: broadcast::Sender<FeedEvent>,
    metrics: OfficeMetrics,
    health: Arc<HealthCell>,
    batch_size: Histogram,
    call_seconds: Histogram,
    waiting_dirty: bool,
    waiting_sent: Instant,
    /// Batches are numbered by epoch; a failed sync fails its whole epoch.
    epoch: u64,
    /// The epoch whose sync failed (set by the syncer), or `u64::MAX`.
    failed_epoch: Arc<AtomicU64>,
    to_syncer: Option<Sender<ToSyncer>>,
    syncer: Option<std::thread::JoinHandle<()>>,
    /// A write failed: the working state may hold refused decisions, and the log may hold
    /// bytes that were never confirmed. No command is decided until recovery succeeds.
    needs_recovery: bool,
    last_recovery: Option<Instant>,
    /// Surveys answered in earlier logs still within the survey window, as (turn's day,
    /// seq): seeded into each state the writer builds, so a turn is never answered twice.
    earlier_answers: HashSet<(NaiveDate, u32)>,
}

/// Loads the office's day and starts its writer thread.
pub(super) fn spawn(
    spec: Arc<OfficeSpec>,
    store: Arc<dyn EventStore>,
    clock: Arc<dyn Clock>,
    metrics: OfficeMetrics,
    all: &Metrics,
) -> anyhow::Result<Arc<OfficeHandle>> {
    let now = clock.now();
    let today = local_day(spec.timezone, now);
    let previous = close_previous_day(&spec, store.as_ref(), today)?;
    if let Some(day) = previous.as_ref().map(|p| p.day) {
        // The last day before today may have closed while no process ran (or before its
        // summary was written): kept now, off this thread, if it is not kept already.
        crate::report::stored::summarise_in_background(store.clone(), spec.clone(), day);
    }
    let earlier_answers = earlier_answers(&spec, store.as_ref(), today)?;
    let carry = previous.as_ref().map(|p| p.carry()).unwrap_or_default();
    let opened = open_day(&spec, store.as_ref(), today, now, || carry.clone())?;
    let mut working = opened.state;
    working.seed_answered(earlier_answers.iter().copied());
    let health = Arc::new(HealthCell::default());
    metrics.log_damage.inc_by(opened.damage.len() as u64);
    health.set_damage(opened.damage);
    health.set_read_only(working.read_only.clone(), &metrics);
    health.set_unavailable(None, &metrics);

    let (tx, rx) = channel();
    let (feed, _) = broadcast::channel(feed::FEED_CAPACITY);
    let durable = Arc::new(RwLock::new(working.clone()));
    let durable_version = Arc::new(AtomicU64::new(opened.version));
    let previous = Arc::new(RwLock::new(previous.map(Arc::new)));
    let failed_epoch = Arc::new(AtomicU64::new(u64::MAX));
    let (to_syncer, syncer_rx) = std::sync::mpsc::channel();
    let syncer = Syncer {
        office: spec.id.clone(),
        store: store.clone(),
        durable: durable.clone(),
        durable_version: durable_version.clone(),
        feed: feed.clone(),
        metrics: metrics.clone(),
        append_seconds: all.append_seconds.clone(),
        failed_epoch: failed_epoch.clone(),
    };
    let syncer = std::thread::Builder::new()
        .name(format!("sync-{}", spec.id))
        .spawn(move || syncer.run(syncer_rx))?;
    let written = Arc::new(AtomicU64::new(opened.version));
    let alive = Arc::new(());
    if store.shared() {
        recovery::spawn_follower(
            spec.id.clone(),
            store.clone(),
            durable.clone(),
            written.clone(),
            tx.clone(),
            Arc::downgrade(&alive),
        )?;
    }
    let mut writer = Writer {
        spec: spec.clone(),
        working,
        version: opened.version,
        tip_batch: None,
        durable: durable.clone(),
        durable_version,
        written,
        _alive: alive,
        previous: previous.clone(),
        store,
        clock,
        feed: feed.clone(),
        metrics: metrics.clone(),
        health: health.clone(),
        batch_size: all.batch_size.clone(),
        call_seconds: all.store_call_seconds.clone(),
        waiting_dirty: false,
        waiting_sent: Instant::now(),
        epoch: 0,
        failed_epoch,
        to_syncer: Some(to_syncer),
        syncer: Some(syncer),
        needs_recovery: false,
        last_recovery: None,
        earlier_answers,
    };
    writer.update_waiting_gauges();
    let thread = std::thread::Builder::new()
        .name(format!("office-{}", spec.id))
        .spawn(move || writer.run(rx))?;
    Ok(Arc::new(OfficeHandle {
        spec,
        state: durable,
        previous,
        archive: Mutex::new(HashMap::new()),
        tx,
        feed,
        metrics,
        health,
        thread: Mutex::new(Some(thread)),
    }))
}

impl Writer {
    fn run(&mut self, rx: Receiver<Message>) {
        let mut stopping = false;
        while !stopping {
            let timeout = if self.waiting_dirty {
                WAITING_EVERY.saturating_sub(self.waiting_sent.elapsed())
            } else {
                TICK
            };
            let mut batch = Vec::new();
            let mut woken = false;
            match rx.recv_timeout(timeout) {
                Ok(Message::Job(job)) => batch.push(job),
                Ok(Message::Follow) => woken = true,
                Ok(Message::Stop) => stopping = true,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => stopping = true,
            }
            // On a shared store, read what others wrote and wait for the writing turn
            // first, then take every job that came meanwhile: the batch is as large as
            // the wait allows, and decided on the log as it is.
            let day = self.working.day;
            let read_ahead = !batch.is_empty()
                && self.store.shared()
                && !self.needs_recovery
                && self.take_in_ahead().is_ok();
            // Woken by the follower: jobs already waiting go first (a batch reads what
            // others wrote before it is decided anyway).
            while !stopping && (woken || !batch.is_empty()) && batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(Message::Job(job)) => batch.push(job),
                    Ok(Message::Follow) => {}
                    Ok(Message::Stop) => stopping = true,
                    Err(_) => break,
                }
            }
            let now = self.now();
            if self.failed_epoch.load(Ordering::SeqCst) == self.epoch && !self.needs_recovery {
                self.fail("an fsync failed".into());
            }
            if self.needs_recovery {
                self.recover();
            }
            self.roll_over(now);
            if batch.is_empty() {
                self.follow();
            } else {
                let read_ahead = read_ahead && !self.needs_recovery && self.working.day == day;
                self.process(batch, now, read_ahead);
            }
            if self.waiting_dirty && (stopping || self.waiting_sent.elapsed() >= WAITING_EVERY) {
                self.broadcast_waiting();
            }
            self.written.store(self.version, Ordering::SeqCst);
        }
        // Let the syncer flush and answer what was written, then stop it.
        self.to_syncer = None;
        if let Some(syncer) = self.syncer.take() {
            let _ = syncer.join();
        }
        tracing::debug!(office = %self.spec.id, "writer stopped");
    }

    /// The clock's time, never before the last event (a clock stepping back must not
    /// reorder the log).
    fn now(&self) -> DateTime<Utc> {
        self.clock.now().max(self.working.last_at)
    }

    /// Why no command can be decided now, if none can.
    fn refusal(&self, now: DateTime<Utc>) -> Option<EngineError> {
        if self.needs_recovery {
            return Some(EngineError::Store(
                "the office's log does not take writes yet".into(),
            ));
        }
        if let Some(kind) = &self.working.read_only {
            return Some(EngineError::ReadOnly { kind: kind.clone() });
        }
        if local_day(self.spec.timezone, now) > self.working.day {
            return Some(EngineError::Store(
                "the new day's log could not be opened".into(),
            ));
        }
        None
    }

    /// Decides and writes a batch. `read_ahead`: the writer has just read what others
    /// wrote (and has the writing turn), so the first attempt need not read again.
    fn process(&mut self, jobs: Vec<Job>, now: DateTime<Utc>, read_ahead: bool) {
        self.batch_size.observe(jobs.len() as f64);
        let mut pending: Vec<Pending> = jobs
            .into_iter()
            .map(|job| Pending { job, result: None })
            .collect();
        let mut written = Written {
            epoch: self.epoch,
            day: self.working.day,
            pending: Vec::new(),
            events: Vec::new(),
            version: self.version,
        };
        if let Some(refusal) = self.refusal(now) {
            for p in &mut pending {
                p.result = Some(Err(refusal.clone()));
            }
        } else {
            self.decide_and_write(&mut pending, &mut written, now, read_ahead);
        }
        // Every batch goes through the syncer, even one with nothing written, so answers
        // leave in order and none describes a state that is not yet durable.
        written.pending = pending;
        self.send(ToSyncer::Batch(written));
    }

    fn decide_and_write(
        &mut self,
        pending: &mut [Pending],
        written: &mut Written,
        now: DateTime<Utc>,
        read_ahead: bool,
    ) {
        let started = Instant::now();
        for attempt in 1.. {
            if attempt > 1 && started.elapsed() > DECIDE_AGAIN_WITHIN {
                tracing::warn!(office = %self.spec.id, attempt, "other processes kept writing first; the batch is refused (retryable)");
                break;
            }
            if attempt > 2 {
                // Under heavy contention, step aside a moment so one writer's run of wins
                // ends (a random pause, so processes do not step aside in step).
                std::thread::sleep(Duration::from_micros(rand::random::<u64>() % 2000));
            }
            if self.store.shared() && !(attempt == 1 && read_ahead) {
                // Errors show in the append below; reading is only to be up to date.
                let _ = self.take_in_ahead();
            }
            let events = self.decide_all(pending, now);
            if events.is_empty() {
                return;
            }
            let batch = BatchId::random();
            match self.append(batch, &events) {
                Ok(version) => {
                    self.version = version;
                    self.tip_batch = Some(batch);
                    self.written.store(version, Ordering::SeqCst);
                    self.waiting_dirty = true;
                    written.events = events;
                    written.version = version;
                    return;
                }
                Err(StoreError::Conflict { .. }) => {
                    self.metrics.conflicts.inc();
                    tracing::debug!(office = %self.spec.id, attempt, "another process wrote first; deciding again");
                    // Not a failure of the store: the batch is decided again on what the
                    // other writer wrote (and refused, retryable, if others keep winning).
                    if !self.catch_up() {
                        break;
                    }
                }
                Err(e) => {
                    tracing::error!(office = %self.spec.id, error = %e, "write failed; the batch is refused");
                    self.fail(e.to_string());
                    break;
                }
            }
        }
        for p in pending.iter_mut() {
            if matches!(p.result, Some(Ok(_))) {
                p.result = Some(Err(EngineError::Store(
                    "the batch could not be written".into(),
                )));
            }
        }
    }

    /// Appends a decided batch. With a store shared over the network, a failed call may
    /// still have written the batch (the reply was lost): it is asked again with the same
    /// batch id, which the store recognises, for as long as a caller may wait.
    fn append(&mut self, batch: BatchId, events: &[Event]) -> Result<u64, StoreError> {
        let day = self.working.day;
        let started = Instant::now();
        let mut result =
            self.store
                .append_buffered(&self.spec.id, day, self.version, batch, events);
        self.call_seconds.observe(started.elapsed().as_secs_f64());
        while matches!(result, Err(StoreError::Unavailable(_)))
            && self.store.shared()
            && started.elapsed() < RETRY_WITHIN
        {
            tracing::warn!(office = %self.spec.id, error = ?result.as_ref().err(), "append failed; asking again with the same batch id");
            std::thread::sleep(Duration::from_millis(50));
            result = self
                .store
                .append_buffered(&self.spec.id, day, self.version, batch, events);
        }
        result
    }

    /// Decides every command in order on the working state, applying its events so the
    /// next sees them.
    fn decide_all(&mut self, pending: &mut [Pending], now: DateTime<Utc>) -> Vec<Event> {
        let mut events = Vec::new();
        for p in pending.iter_mut() {
            p.result = Some(match decide(&self.working, &p.job.command, now) {
                Ok((new, subject)) => {
                    for e in &new {
                        if let Err(err) = self.working.apply(e) {
                            tracing::error!(office = %self.spec.id, error = %err, "a decided event did not apply");
                        }
                    }
                    events.extend(new);
                    Ok(outcome(&self.working, subject, now))
                }
                Err(e) => Err(EngineError::Domain(e)),
            });
        }
        events
    }

    fn send(&mut self, message: ToSyncer) {
        if let Some(to_syncer) = &self.to_syncer {
            if let Err(unsent) = to_syncer.send(message) {
                if let ToSyncer::Batch(b) = unsent.0 {
                    for p in b.pending {
                        let _ = p.job.reply.send(Err(EngineError::Stopped));
                    }
                }
            }
        }
    }

    fn update_waiting_gauges(&self) {
        let state = self.durable.read();
        for (i, gauge) in self.metrics.waiting.iter().enumerate() {
            gauge.set(i64::from(state.waiting(i as u16).0));
        }
    }

    fn broadcast_waiting(&mut self) {
        let event = feed::waiting_event(&self.durable.read());
        let _ = self.feed.send(event);
        self.update_waiting_gauges();
        self.waiting_dirty = false;
        self.waiting_sent = Instant::now();
    }

    /// At local midnight: close the day (waiting turns expire), open the next one.
    fn roll_over(&mut self, now: DateTime<Utc>) {
        let today = local_day(self.spec.timezone, now);
        if today <= self.working.day || self.needs_recovery {
            return;
        }
        self.settle();
        let day = self.working.day;
        if !self.working.closed && self.working.read_only.is_none() {
            let at = end_of_day(self.spec.timezone, day).max(self.working.last_at);
            let close = close_day(&self.working, at);
            let batch = std::slice::from_ref(&close);
            let id = BatchId::random();
            match self
                .store
                .append(&self.spec.id, day, self.version, id, batch)
            {
                Ok(version) => {
                    let _ = self.working.apply(&close);
                    let _ = self.durable.write().apply(&close);
                    self.version = version;
                    self.tip_batch = Some(id);
                    self.durable_version.store(version, Ordering::SeqCst);
                }
                Err(StoreError::Conflict { .. }) => {
                    self.catch_up();
                    return;
                }
                Err(e) => {
                    tracing::error!(office = %self.spec.id, error = %e, "could not close the day; will retry");
                    self.fail(e.to_string());
                    return;
                }
            }
        }
        let carry = self.working.carry();
        match open_day(&self.spec, self.store.as_ref(), today, now, || {
            carry.clone()
        }) {
            Ok(opened) => {
                // Answers of the closing day join the earlier ones; those too old to
                // matter are dropped.
                let first = survey_window_start(&self.spec, today);
                self.earlier_answers = self
                    .working
                    .answered()
                    .filter(|(day, _)| *day >= first)
                    .collect();
                let mut next = opened.state;
                next.seed_answered(self.earlier_answers.iter().copied());
                let old = std::mem::replace(&mut *self.durable.write(), next.clone());
                *self.previous.write() = Some(Arc::new(old));
                self.working = next;
                self.version = opened.version;
                self.tip_batch = None;
                self.durable_version.store(opened.version, Ordering::SeqCst);
                self.metrics.log_damage.inc_by(opened.damage.len() as u64);
                self.health.set_damage(opened.damage);
                self.health
                    .set_read_only(self.working.read_only.clone(), &self.metrics);
                tracing::info!(office = %self.spec.id, %today, "new day opened");
                // The closed day never changes again: its report summary is made now,
                // off this thread.
                crate::report::stored::summarise_in_background(
                    self.store.clone(),
                    self.spec.clone(),
                    day,
                );
                let _ = self.feed.send(FeedEvent::Reset);
                self.waiting_dirty = true;
            }
            Err(e) => {
                tracing::error!(office = %self.spec.id, error = %e, "could not open the new day; will retry")
            }
        }
    }
}

/// What the caller is shown for a command: the turn or counter it touched.
fn outcome(state: &OfficeState, subject: Subject, now: DateTime<Utc>) -> Outcome {
    match subject {
        Subject::Ticket(seq) => {
            let view = state.view(seq, now);
            // Without a request there is no base: the link stays relative, and the HTTP
            // layer completes it (`CounterJson::rebase`).
            let counter = view
                .ticket
                .counter
                .map(|c| views::counter(state, c, now, ""));
            Outcome {
                subject,
                ticket: Some(view),
                counter,
            }
        }
        Subject::Counter(c) => Outcome {
            subject,
            ticket: None,
            counter: Some(views::counter(state, c, now, "")),
        },
        Subject::Nothing | Subject::Turns(_) => Outcome {
            subject,
            ticket: None,
            counter: None,
        },
    }
}
