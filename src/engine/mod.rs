//! The engine: runs each office's commands through the domain and the store, one writer
//! thread per office, and broadcasts what changed.
//!
//! For each office a thread takes commands from a bounded channel in batches: it decides
//! each one on its working state (applying the events at once so the next command sees
//! them), appends the whole batch's events to the store (group commit), and its syncer
//! fsyncs, applies the events to the durable state and only then answers the callers and
//! broadcasts calls to the screens. Readers (ticket pages, the queue, snapshots) take a
//! read lock on the durable state, so they never see what is not on disk. A failed
//! append or fsync refuses its batch and the office starts again from the durable state.

pub mod clock;
pub mod feed;
pub mod health;
mod open;
mod syncer;
mod writer;

use crate::domain::{
    Command, DomainError, OfficeSpec, OfficeState, Subject, SurveyTurn, TicketView, Token,
};
use crate::metrics::{Metrics, OfficeMetrics};
use crate::store::EventStore;
use chrono::{DateTime, NaiveDate, Utc};
use clock::Clock;
use feed::FeedEvent;
use parking_lot::{Mutex, RwLock};
use std::collections::HashMap;
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::Arc;
use tokio::sync::{broadcast, oneshot};

/// Commands that may queue for one office before callers are told to retry.
pub const QUEUE_CAPACITY: usize = 16_384;

/// Why the engine could not run a command.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EngineError {
    /// The office's rules refused it.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// No such office.
    #[error("office not found")]
    OfficeNotFound,
    /// The store could not take the events; nothing changed.
    #[error("store unavailable: {0}")]
    Store(String),
    /// The office's log holds an event this version does not know: it can be read, not
    /// written, until a version that knows it runs.
    #[error("read-only: the log holds an event of type {kind} this version does not know")]
    ReadOnly {
        /// The unknown event's type.
        kind: String,
    },
    /// Too many commands are queued for the office.
    #[error("overloaded")]
    Overloaded,
    /// The engine is shutting down.
    #[error("stopped")]
    Stopped,
}

/// What a command did, seen right after it (before later commands).
#[derive(Debug, Clone)]
pub struct Outcome {
    /// What it touched.
    pub subject: Subject,
    /// The turn it touched, with its position and wait.
    pub ticket: Option<TicketView>,
    /// The counter it touched, as JSON.
    pub counter: Option<crate::views::CounterJson>,
}

struct Job {
    command: Command,
    reply: oneshot::Sender<Result<Outcome, EngineError>>,
}

enum Message {
    Job(Job),
    /// The log grew behind the writer (another process wrote): take the records in.
    Follow,
    Stop,
}

/// One office: its state, its writer and its broadcast.
pub struct OfficeHandle {
    /// The office's configuration.
    pub spec: Arc<OfficeSpec>,
    state: Arc<RwLock<OfficeState>>,
    previous: Arc<RwLock<Option<Arc<OfficeState>>>>,
    archive: Mutex<HashMap<chrono::NaiveDate, Arc<OfficeState>>>,
    tx: SyncSender<Message>,
    feed: broadcast::Sender<FeedEvent>,
    metrics: OfficeMetrics,
    health: Arc<health::HealthCell>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl OfficeHandle {
    /// Runs a command and waits until its events are durable.
    pub async fn execute(&self, command: Command) -> Result<Outcome, EngineError> {
        let (reply, answer) = oneshot::channel();
        match self.tx.try_send(Message::Job(Job { command, reply })) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(EngineError::Overloaded),
            Err(TrySendError::Disconnected(_)) => return Err(EngineError::Stopped),
        }
        answer.await.unwrap_or(Err(EngineError::Stopped))
    }

    /// How the office stands with its log (for `/readyz`).
    pub fn health(&self) -> health::OfficeHealth {
        self.health.get()
    }

    /// Reads the current day's durable state.
    pub fn read<R>(&self, f: impl FnOnce(&OfficeState) -> R) -> R {
        f(&self.state.read())
    }

    /// Follows the office's changes.
    pub fn subscribe(&self) -> broadcast::Receiver<FeedEvent> {
        self.feed.subscribe()
    }

    /// Metric handles of the office.
    pub fn metrics(&self) -> &OfficeMetrics {
        &self.metrics
    }

    /// The state of a day before the current one that a ticket belongs to: yesterday, or
    /// an older day read from the store. Today's turns are only in the live state (never
    /// frozen in a cache: other processes may still be adding to today).
    pub fn day_of(&self, token: &Token, store: &dyn EventStore) -> Option<Arc<OfficeState>> {
        let day = token.day()?;
        if day >= self.state.read().day {
            return None;
        }
        if let Some(prev) = self.previous.read().as_ref().filter(|p| p.day == day) {
            return Some(prev.clone());
        }
        let mut archive = self.archive.lock();
        if let Some(state) = archive.get(&day) {
            return Some(state.clone());
        }
        if !store.days(&self.spec.id).ok()?.contains(&day) {
            return None;
        }
        let entries = store.read(&self.spec.id, day).ok()?;
        let (state, _) = OfficeState::replay_log(self.spec.clone(), day, &entries);
        let state = Arc::new(state);
        if archive.len() >= 4 {
            archive.clear();
        }
        archive.insert(day, state.clone());
        Some(state)
    }
}

/// Every office the process serves.
pub struct Engine {
    offices: Vec<Arc<OfficeHandle>>,
    by_id: HashMap<String, usize>,
    store: Arc<dyn EventStore>,
    clock: Arc<dyn Clock>,
}

impl Engine {
    /// Loads each office's day from the store and starts its writer.
    pub fn start(
        specs: &[Arc<OfficeSpec>],
        store: Arc<dyn EventStore>,
        clock: Arc<dyn Clock>,
        metrics: &Metrics,
    ) -> anyhow::Result<Engine> {
        let mut offices = Vec::new();
        let mut by_id = HashMap::new();
        for spec in specs {
            let services: Vec<String> = spec.services.iter().map(|s| s.id.clone()).collect();
            let office_metrics = metrics.office(&spec.id, &services);
            let handle = writer::spawn(
                spec.clone(),
                store.clone(),
                clock.clone(),
                office_metrics,
                metrics,
            )?;
            by_id.insert(spec.id.clone(), offices.len());
            offices.push(handle);
        }
        Ok(Engine {
            offices,
            by_id,
            store,
            clock,
        })
    }

    /// An office by id.
    pub fn office(&self, id: &str) -> Result<&Arc<OfficeHandle>, EngineError> {
        self.by_id
            .get(id)
            .map(|&i| &self.offices[i])
            .ok_or(EngineError::OfficeNotFound)
    }

    /// Every office, in configuration order.
    pub fn offices(&self) -> &[Arc<OfficeHandle>] {
        &self.offices
    }

    /// The store behind the engine.
    pub fn store(&self) -> &Arc<dyn EventStore> {
        &self.store
    }

    /// Now, by the engine's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Whether other processes write the same logs.
    pub fn shares_store(&self) -> bool {
        self.store.shared()
    }

    /// Has every office's writer read its log now (rather than on its next tick), so that
    /// what another process just wrote shows here: for a turn issued a moment ago on
    /// another process and asked for here.
    pub fn follow_now(&self) {
        for office in &self.offices {
            let _ = office.tx.try_send(Message::Follow);
        }
    }

    /// Finds the turn with `token` (in today's state of any office, else in the day the
    /// token names, read from the store) and returns what `project` makes of it. Blocks
    /// when an older day must be read.
    pub fn find_by_token<R>(
        &self,
        token: &Token,
        project: impl Fn(&OfficeState, u32) -> Option<R>,
    ) -> Option<(Arc<OfficeHandle>, R)> {
        for office in &self.offices {
            let found = office.read(|s| s.ticket_by_token(token).and_then(|t| project(s, t.seq)));
            if let Some(found) = found {
                return Some((office.clone(), found));
            }
        }
        for office in &self.offices {
            if let Some(day) = office.day_of(token, self.store.as_ref()) {
                if let Some(t) = day.ticket_by_token(token) {
                    return Some((office.clone(), project(&day, t.seq)?));
                }
            }
        }
        None
    }

    /// Finds a ticket by token, with its live position and wait.
    pub fn find_ticket(&self, token: &Token) -> Option<(Arc<OfficeHandle>, TicketView)> {
        let now = self.clock.now();
        self.find_by_token(token, |s, seq| Some(s.view(seq, now)))
    }

    /// Finds a turn by token, with what its satisfaction survey needs to know about it.
    pub fn survey_turn(&self, token: &Token) -> Option<(Arc<OfficeHandle>, SurveyTurn)> {
        self.find_by_token(token, SurveyTurn::of)
    }

    /// The events of an office's days `from..=to`, and of the later days (up to `today`)
    /// in which surveys about those days' turns may have been answered, oldest first.
    /// Records this version cannot read and damaged stretches are left out.
    pub fn report_logs(
        &self,
        office: &OfficeHandle,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<Vec<(NaiveDate, Vec<crate::domain::Event>)>, crate::store::StoreError> {
        let id = &office.spec.id;
        let last = crate::domain::survey::last_day(to, office.spec.survey_days).min(today);
        self.store
            .days(id)?
            .into_iter()
            .filter(|d| (from..=last).contains(d))
            .map(|d| {
                let entries = self.store.read(id, d)?;
                let events = entries
                    .into_iter()
                    .filter_map(|e| match e {
                        crate::domain::LogEntry::Event(e) => Some(e),
                        _ => None,
                    })
                    .collect();
                Ok((d, events))
            })
            .collect()
    }

    /// The report of `from..=to` (see `report::stored::report`): closed days from their
    /// kept summaries (built and kept when missing or out of date), today replayed up to
    /// `now`.
    /// Blocks on the store.
    pub fn report(
        &self,
        office: &OfficeHandle,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<crate::report::Report, crate::store::StoreError> {
        crate::report::stored::report(self.store.as_ref(), &office.spec, from, to, today, now)
    }

    /// The organisation's report of `from..=to` over every office (see
    /// `report::organisation`): each office's closed days from their kept summaries, its
    /// today (in its own zone) replayed up to `now`.
    /// Blocks on the store.
    pub fn organisation_report(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<crate::report::organisation::OrganisationReport, crate::store::StoreError> {
        let specs: Vec<&crate::domain::OfficeSpec> =
            self.offices.iter().map(|o| o.spec.as_ref()).collect();
        crate::report::organisation::report(self.store.as_ref(), &specs, from, to, now)
    }

    /// Stops every writer after the commands already queued, and waits for them.
    pub fn shutdown(&self) {
        for office in &self.offices {
            let _ = office.tx.send(Message::Stop);
        }
        for office in &self.offices {
            if let Some(thread) = office.thread.lock().take() {
                let _ = thread.join();
            }
        }
        self.store.close();
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn channel() -> (SyncSender<Message>, mpsc::Receiver<Message>) {
    mpsc::sync_channel(QUEUE_CAPACITY)
}

#[cfg(test)]
mod tests;
