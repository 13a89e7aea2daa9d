//! The per-office writer thread: batches commands, decides them and writes each batch to
//! the log; its syncer (see `syncer.rs`) flushes and then answers. Rolls the day over at
//! local midnight.
//!
//! Commit is pipelined: while the syncer fsyncs batch k, the writer already decides and
//! writes batch k+1, so the disk is always busy and requests never wait for a whole
//! decide–write–fsync cycle that started without them.

use super::feed::{self, FeedEvent};
use super::syncer::{MetricUpdate, Pending, Syncer, Written};
use super::{channel, Clock, EngineError, Job, Message, OfficeHandle, Outcome};
use crate::domain::schedule::{end_of_day, local_day};
use crate::domain::{close_day, decide, Event, OfficeSpec, OfficeState, Subject};
use crate::metrics::{Metrics, OfficeMetrics};
use crate::store::{EventStore, StoreError};
use crate::views;
use chrono::{DateTime, Utc};
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
/// How often an idle writer checks for the day's end.
const TICK: Duration = Duration::from_secs(1);
/// Attempts at a batch when the store reports a conflict (another process wrote first).
const CONFLICT_ATTEMPTS: usize = 5;

struct Writer {
    spec: Arc<OfficeSpec>,
    state: Arc<RwLock<OfficeState>>,
    previous: Arc<RwLock<Option<Arc<OfficeState>>>>,
    version: u64,
    store: Arc<dyn EventStore>,
    clock: Arc<dyn Clock>,
    feed: broadcast::Sender<FeedEvent>,
    metrics: OfficeMetrics,
    batch_size: Histogram,
    waiting_dirty: bool,
    waiting_sent: Instant,
    /// Batches are numbered by epoch; a failed sync fails its whole epoch.
    epoch: u64,
    /// The epoch whose sync failed (set by the syncer), or `u64::MAX`.
    failed_epoch: Arc<AtomicU64>,
    to_syncer: Option<Sender<Written>>,
    syncer: Option<std::thread::JoinHandle<()>>,
    /// Surveys answered in earlier logs still within the survey window, as (turn's day,
    /// seq): seeded into each state the writer builds, so a turn is never answered twice.
    earlier_answers: HashSet<(chrono::NaiveDate, u32)>,
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
    let (mut state, version, previous) = load_today(&spec, store.as_ref(), now)?;
    let earlier_answers = earlier_answers(&spec, store.as_ref(), state.day)?;
    state.seed_answered(earlier_answers.iter().copied());
    let (tx, rx) = channel();
    let (feed, _) = broadcast::channel(feed::FEED_CAPACITY);
    let state = Arc::new(RwLock::new(state));
    let previous = Arc::new(RwLock::new(previous));
    let failed_epoch = Arc::new(AtomicU64::new(u64::MAX));
    let (to_syncer, syncer_rx) = std::sync::mpsc::channel();
    let syncer = Syncer {
        office: spec.id.clone(),
        store: store.clone(),
        feed: feed.clone(),
        metrics: metrics.clone(),
        append_seconds: all.append_seconds.clone(),
        failed_epoch: failed_epoch.clone(),
    };
    let syncer = std::thread::Builder::new()
        .name(format!("sync-{}", spec.id))
        .spawn(move || syncer.run(syncer_rx))?;
    let mut writer = Writer {
        spec: spec.clone(),
        state: state.clone(),
        previous: previous.clone(),
        version,
        store,
        clock,
        feed: feed.clone(),
        metrics: metrics.clone(),
        batch_size: all.batch_size.clone(),
        waiting_dirty: false,
        waiting_sent: Instant::now(),
        epoch: 0,
        failed_epoch,
        to_syncer: Some(to_syncer),
        syncer: Some(syncer),
        earlier_answers,
    };
    writer.update_waiting_gauges();
    let thread = std::thread::Builder::new()
        .name(format!("office-{}", spec.id))
        .spawn(move || writer.run(rx))?;
    Ok(Arc::new(OfficeHandle {
        spec,
        state,
        previous,
        archive: Mutex::new(HashMap::new()),
        tx,
        feed,
        metrics,
        thread: Mutex::new(Some(thread)),
    }))
}

/// Today's state from the store; if today has no log yet, the last day is closed and
/// today's log is opened with the counters it left open.
fn load_today(
    spec: &Arc<OfficeSpec>,
    store: &dyn EventStore,
    now: DateTime<Utc>,
) -> anyhow::Result<(OfficeState, u64, Option<Arc<OfficeState>>)> {
    let today = local_day(spec.timezone, now);
    let previous_day = store.days(&spec.id)?.into_iter().rfind(|d| *d < today);
    let previous = match previous_day {
        Some(day) => {
            let events = store.load(&spec.id, day)?;
            let (mut state, errors) = OfficeState::replay(spec.clone(), day, &events);
            report_replay_errors(spec, day, &errors);
            if !state.closed {
                let at = end_of_day(spec.timezone, day).max(state.last_at);
                let close = close_day(&state, at);
                store.append(
                    &spec.id,
                    day,
                    events.len() as u64,
                    std::slice::from_ref(&close),
                )?;
                let _ = state.apply(&close);
            }
            Some(Arc::new(state))
        }
        None => None,
    };
    let events = store.load(&spec.id, today)?;
    if events.is_empty() {
        let open = Event::DayOpened {
            day: today,
            at: now,
            counters: previous.as_ref().map(|p| p.carry()).unwrap_or_default(),
        };
        let version = store.append(&spec.id, today, 0, std::slice::from_ref(&open))?;
        let (state, _) = OfficeState::replay(spec.clone(), today, &[open]);
        return Ok((state, version, previous));
    }
    let (state, errors) = OfficeState::replay(spec.clone(), today, &events);
    report_replay_errors(spec, today, &errors);
    tracing::info!(office = %spec.id, %today, events = events.len(), turns = state.tickets.len(), "office state rebuilt from the log");
    Ok((state, events.len() as u64, previous))
}

/// The surveys answered in the logs of the `survey_days` days before `today` (answers to
/// turns still within the window can only be there).
fn earlier_answers(
    spec: &OfficeSpec,
    store: &dyn EventStore,
    today: chrono::NaiveDate,
) -> anyhow::Result<HashSet<(chrono::NaiveDate, u32)>> {
    let first = survey_window_start(spec, today);
    let mut answered = HashSet::new();
    for day in store.days(&spec.id)? {
        if day < first || day >= today {
            continue;
        }
        for e in store.read(&spec.id, day)? {
            if let Event::SurveyAnswered { day, seq, .. } = e {
                answered.insert((day, seq));
            }
        }
    }
    Ok(answered)
}

/// The oldest turn day whose survey may still be answered on `today`.
fn survey_window_start(spec: &OfficeSpec, today: chrono::NaiveDate) -> chrono::NaiveDate {
    today
        .checked_sub_days(chrono::Days::new(u64::from(spec.survey_days)))
        .unwrap_or(today)
}

fn report_replay_errors(
    spec: &OfficeSpec,
    day: chrono::NaiveDate,
    errors: &[crate::domain::state::ApplyError],
) {
    for e in errors.iter().take(10) {
        tracing::warn!(office = %spec.id, %day, error = %e, "event skipped while rebuilding (configuration changed?)");
    }
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
            match rx.recv_timeout(timeout) {
                Ok(Message::Job(job)) => batch.push(job),
                Ok(Message::Stop) => stopping = true,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => stopping = true,
            }
            while !stopping && !batch.is_empty() && batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(Message::Job(job)) => batch.push(job),
                    Ok(Message::Stop) => stopping = true,
                    Err(_) => break,
                }
            }
            let now = self.now();
            self.roll_over(now);
            if !batch.is_empty() {
                self.process(batch, now);
            }
            if self.waiting_dirty && (stopping || self.waiting_sent.elapsed() >= WAITING_EVERY) {
                self.broadcast_waiting();
            }
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
        self.clock.now().max(self.state.read().last_at)
    }

    fn process(&mut self, jobs: Vec<Job>, now: DateTime<Utc>) {
        self.recover_if_sync_failed();
        self.batch_size.observe(jobs.len() as f64);
        let mut pending: Vec<Pending> = jobs
            .into_iter()
            .map(|job| Pending { job, result: None })
            .collect();
        let day = self.state.read().day;
        let mut written = Written {
            epoch: self.epoch,
            day,
            pending: Vec::new(),
            has_events: false,
            calls: Vec::new(),
            metrics: Vec::new(),
        };
        for attempt in 1..=CONFLICT_ATTEMPTS {
            let (events, calls, metrics) = self.decide_all(&mut pending, now);
            if events.is_empty() {
                break;
            }
            match self
                .store
                .append_buffered(&self.spec.id, day, self.version, &events)
            {
                Ok(version) => {
                    self.version = version;
                    self.waiting_dirty = true;
                    written.has_events = true;
                    written.calls = calls;
                    written.metrics = metrics;
                    break;
                }
                Err(StoreError::Conflict { .. }) if attempt < CONFLICT_ATTEMPTS => {
                    tracing::info!(office = %self.spec.id, attempt, "another process wrote first; deciding again");
                    self.reload();
                }
                Err(e) => {
                    tracing::error!(office = %self.spec.id, error = %e, "write failed; the batch is refused and the state reloaded");
                    self.reload();
                    for p in &mut pending {
                        if matches!(p.result, Some(Ok(_))) {
                            p.result = Some(Err(EngineError::Store(e.to_string())));
                        }
                    }
                    break;
                }
            }
        }
        // Every batch goes through the syncer, even one with nothing written, so answers
        // leave in order and none describes a state that is not yet durable.
        written.pending = pending;
        if let Some(to_syncer) = &self.to_syncer {
            if let Err(unsent) = to_syncer.send(written) {
                for p in unsent.0.pending {
                    let _ = p.job.reply.send(Err(EngineError::Stopped));
                }
            }
        }
    }

    /// After the syncer reported a failed fsync: cut the log back to what is durable,
    /// reload, and start a new epoch (the failed one is refused as a whole).
    fn recover_if_sync_failed(&mut self) {
        if self.failed_epoch.load(Ordering::SeqCst) != self.epoch {
            return;
        }
        let day = self.state.read().day;
        match self.store.discard_unsynced(&self.spec.id, day) {
            Ok(()) => {
                self.reload();
                self.epoch += 1;
                tracing::warn!(office = %self.spec.id, epoch = self.epoch, "recovered from a failed sync");
            }
            Err(e) => {
                // Stay in the failed epoch: new batches keep being refused until the disk
                // takes writes again.
                tracing::error!(office = %self.spec.id, error = %e, "could not cut the log back after a failed sync; will retry");
            }
        }
    }

    /// Decides every command in order, applying its events so the next sees them.
    #[allow(clippy::type_complexity)]
    fn decide_all(
        &mut self,
        pending: &mut [Pending],
        now: DateTime<Utc>,
    ) -> (Vec<Event>, Vec<FeedEvent>, Vec<MetricUpdate>) {
        let mut state = self.state.write();
        let mut events = Vec::new();
        let mut calls = Vec::new();
        let mut metrics = Vec::new();
        for p in pending.iter_mut() {
            p.result = Some(match decide(&state, &p.job.command, now) {
                Ok((new, subject)) => {
                    for e in &new {
                        if let Err(err) = state.apply(e) {
                            tracing::error!(office = %self.spec.id, error = %err, "a decided event did not apply");
                        }
                        if let Event::TicketCalled { .. } | Event::TicketRecalled { .. } = e {
                            if let Some(record) = state.recent_calls.front() {
                                calls.push(feed::call_event(&state, record));
                            }
                        }
                        metrics.extend(MetricUpdate::of(&state, e));
                    }
                    events.extend(new);
                    Ok(outcome(&state, subject, now))
                }
                Err(e) => Err(EngineError::Domain(e)),
            });
        }
        (events, calls, metrics)
    }

    fn update_waiting_gauges(&self) {
        let state = self.state.read();
        for (i, gauge) in self.metrics.waiting.iter().enumerate() {
            gauge.set(i64::from(state.waiting(i as u16).0));
        }
    }

    fn broadcast_waiting(&mut self) {
        let event = feed::waiting_event(&self.state.read());
        let _ = self.feed.send(event);
        self.update_waiting_gauges();
        self.waiting_dirty = false;
        self.waiting_sent = Instant::now();
    }

    /// Replaces the state with what the store holds (after a failed or lost append).
    fn reload(&mut self) {
        let day = self.state.read().day;
        match self.store.load(&self.spec.id, day) {
            Ok(events) => {
                let (mut state, _) = OfficeState::replay(self.spec.clone(), day, &events);
                state.seed_answered(self.earlier_answers.iter().copied());
                self.version = events.len() as u64;
                *self.state.write() = state;
                let _ = self.feed.send(FeedEvent::Reset);
            }
            Err(e) => {
                tracing::error!(office = %self.spec.id, error = %e, "could not reload the office; will retry");
            }
        }
    }

    /// At local midnight: close the day (waiting turns expire), open the next one.
    fn roll_over(&mut self, now: DateTime<Utc>) {
        let today = local_day(self.spec.timezone, now);
        let (day, closed) = {
            let s = self.state.read();
            (s.day, s.closed)
        };
        if today <= day {
            return;
        }
        if !closed {
            let at = end_of_day(self.spec.timezone, day).max(self.state.read().last_at);
            let close = close_day(&self.state.read(), at);
            match self.store.append(
                &self.spec.id,
                day,
                self.version,
                std::slice::from_ref(&close),
            ) {
                Ok(_) => {
                    let _ = self.state.write().apply(&close);
                }
                Err(e) => {
                    tracing::error!(office = %self.spec.id, error = %e, "could not close the day; will retry");
                    if matches!(e, StoreError::Conflict { .. }) {
                        self.reload();
                    }
                    return;
                }
            }
        }
        let carry = self.state.read().carry();
        let result = self.store.load(&self.spec.id, today).and_then(|existing| {
            if existing.is_empty() {
                let open = Event::DayOpened {
                    day: today,
                    at: now,
                    counters: carry,
                };
                self.store
                    .append(&self.spec.id, today, 0, std::slice::from_ref(&open))?;
                Ok(vec![open])
            } else {
                Ok(existing)
            }
        });
        match result {
            Ok(events) => {
                let (mut next, _) = OfficeState::replay(self.spec.clone(), today, &events);
                // Answers of the closing day join the earlier ones; those too old to
                // matter are dropped.
                let first = survey_window_start(&self.spec, today);
                self.earlier_answers = self
                    .state
                    .read()
                    .answered()
                    .filter(|(day, _)| *day >= first)
                    .collect();
                next.seed_answered(self.earlier_answers.iter().copied());
                let old = std::mem::replace(&mut *self.state.write(), next);
                *self.previous.write() = Some(Arc::new(old));
                self.version = events.len() as u64;
                tracing::info!(office = %self.spec.id, %today, "new day opened");
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
            let counter = view.ticket.counter.map(|c| views::counter(state, c, now));
            Outcome {
                subject,
                ticket: Some(view),
                counter,
            }
        }
        Subject::Counter(c) => Outcome {
            subject,
            ticket: None,
            counter: Some(views::counter(state, c, now)),
        },
        Subject::Nothing => Outcome {
            subject,
            ticket: None,
            counter: None,
        },
    }
}
