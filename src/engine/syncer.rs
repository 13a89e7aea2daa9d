//! The syncer: flushes what the office's writer wrote, applies it to the office's durable
//! state (the one everybody reads), then answers the callers and broadcasts the calls.
//! Nobody hears of a change, and no screen or page shows it, before the fsync that covers
//! it.
//!
//! Batches arrive in order. Each drain of the queue costs one fsync per day touched, so
//! every batch written while the previous fsync ran shares the next one. If an fsync fails,
//! every batch of that epoch is refused (503) and the writer cuts the log back to what is
//! durable before it writes again.

use super::feed::{self, FeedEvent};
use super::{EngineError, Job, Outcome};
use crate::domain::state::OfficeState;
use crate::domain::{Event, TicketStatus};
use crate::metrics::OfficeMetrics;
use crate::store::EventStore;
use chrono::NaiveDate;
use parking_lot::RwLock;
use prometheus_client::metrics::histogram::Histogram;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::broadcast;

/// A command with the answer decided for it.
pub(super) struct Pending {
    /// The command and where to answer.
    pub job: Job,
    /// The decided answer (given only once durable).
    pub result: Option<Result<Outcome, EngineError>>,
}

/// A batch the writer has written (or decided to refuse), waiting for its fsync.
pub(super) struct Written {
    /// The writer's epoch when it was written.
    pub epoch: u64,
    /// The log it went to.
    pub day: NaiveDate,
    /// The commands, with their answers.
    pub pending: Vec<Pending>,
    /// The events written (empty: nothing to flush).
    pub events: Vec<Event>,
    /// The log's version once they are in.
    pub version: u64,
}

/// What the writer sends its syncer.
pub(super) enum ToSyncer {
    /// A batch to flush, apply and answer.
    Batch(Written),
    /// Answer once every batch sent before is flushed, applied and answered.
    Barrier(SyncSender<()>),
}

/// Applies events to the durable state (written by this process or another) and says
/// what screens and metrics must hear of them.
pub(super) fn apply_durable(
    state: &mut OfficeState,
    events: &[Event],
    office: &str,
) -> (Vec<FeedEvent>, Vec<MetricUpdate>) {
    let mut calls = Vec::new();
    let mut metrics = Vec::new();
    let mut turns = Vec::new();
    let mut alerts = false;
    for e in events {
        if let Err(err) = state.apply(e) {
            tracing::warn!(office, error = %err, "an event in the log does not apply to the live state");
            continue;
        }
        if let Event::TicketCalled { .. } | Event::TicketRecalled { .. } = e {
            if let Some(record) = state.recent_calls.front() {
                calls.push(feed::call_event(state, record));
            }
        }
        metrics.extend(MetricUpdate::of(state, e));
        turns.extend(e.turns());
        alerts |= matches!(e, Event::AlertRaised { .. } | Event::AlertCleared { .. });
    }
    if !turns.is_empty() {
        calls.push(FeedEvent::Turns(turns.into()));
    }
    if alerts {
        calls.push(FeedEvent::Alerts);
    }
    (calls, metrics)
}

/// One metric change an event causes, worked out while the writer holds the state.
#[derive(Debug, Clone, Copy)]
pub(super) enum MetricUpdate {
    /// A turn was issued for a service.
    Issued(u16),
    /// A turn of a service was called for the first time, after waiting this long.
    FirstCall(u16, f64),
    /// A turn of a service was called again after a transfer.
    Called(u16),
    /// A turn was served.
    Served(u16),
    /// A turn was marked as a no-show.
    NoShow(u16),
    /// A survey of a turn of a service was answered, with this general score (1–5).
    Survey(u16, u8),
}

impl MetricUpdate {
    /// The metric change of an event just applied to `state`.
    pub fn of(state: &OfficeState, event: &Event) -> Option<MetricUpdate> {
        let ticket = |seq: &u32| state.live_ticket(*seq);
        Some(match event {
            Event::TicketIssued { seq, .. } => MetricUpdate::Issued(ticket(seq)?.service),
            Event::TicketCalled { seq, at, .. } => {
                let t = ticket(seq)?;
                if t.transfers == 0 && t.first_called_at == Some(*at) {
                    let wait = (*at - t.issued_at).num_milliseconds() as f64 / 1000.0;
                    MetricUpdate::FirstCall(t.service, wait)
                } else {
                    MetricUpdate::Called(t.service)
                }
            }
            Event::TicketServed { seq, .. } => MetricUpdate::Served(ticket(seq)?.service),
            Event::TicketNoShow { seq, .. } => {
                let t = ticket(seq)?;
                (t.status == TicketStatus::NoShow).then_some(MetricUpdate::NoShow(t.service))?
            }
            Event::SurveyAnswered {
                service, scores, ..
            } => MetricUpdate::Survey(state.spec.service_idx(service)?, scores.overall),
            _ => return None,
        })
    }

    /// Counts the change.
    pub fn count(self, m: &OfficeMetrics) {
        let get = |v: &Vec<_>, s: u16| v.get(s as usize).cloned();
        match self {
            MetricUpdate::Issued(s) => get(&m.issued, s).map(|c| c.inc()),
            MetricUpdate::FirstCall(s, wait) => {
                if let Some(h) = m.wait_seconds.get(s as usize) {
                    h.observe(wait);
                }
                get(&m.called, s).map(|c| c.inc())
            }
            MetricUpdate::Called(s) => get(&m.called, s).map(|c| c.inc()),
            MetricUpdate::Served(s) => get(&m.served, s).map(|c| c.inc()),
            MetricUpdate::NoShow(s) => get(&m.no_shows, s).map(|c| c.inc()),
            MetricUpdate::Survey(s, overall) => {
                if let Some(c) = m.survey_overall.get(usize::from(overall).wrapping_sub(1)) {
                    c.inc();
                }
                get(&m.survey_answers, s).map(|c| c.inc())
            }
        };
    }
}

/// The office's syncer thread.
pub(super) struct Syncer {
    /// Office id.
    pub office: String,
    /// The store to flush.
    pub store: Arc<dyn EventStore>,
    /// The state readers see: what is durable.
    pub durable: Arc<RwLock<OfficeState>>,
    /// The version of the durable state.
    pub durable_version: Arc<AtomicU64>,
    /// Where calls are broadcast.
    pub feed: broadcast::Sender<FeedEvent>,
    /// The office's metrics.
    pub metrics: OfficeMetrics,
    /// Time per flush.
    pub append_seconds: Histogram,
    /// Shared with the writer: the epoch whose flush failed.
    pub failed_epoch: Arc<AtomicU64>,
}

impl Syncer {
    /// Flushes and answers until the writer goes away, then drains what is left.
    pub fn run(self, rx: Receiver<ToSyncer>) {
        while let Ok(first) = rx.recv() {
            let mut batches = Vec::new();
            let mut barriers = Vec::new();
            let mut next = Some(first);
            // Everything queued now shares one flush; a barrier waits for all before it.
            while let Some(message) = next.take() {
                match message {
                    ToSyncer::Batch(b) => batches.push(b),
                    ToSyncer::Barrier(done) => {
                        barriers.push(done);
                        break;
                    }
                }
                next = rx.try_recv().ok();
            }
            let durable = self.flush(&batches);
            for (batch, ok) in batches.into_iter().zip(durable) {
                self.answer(batch, ok);
            }
            for done in barriers {
                let _ = done.send(());
            }
        }
    }

    /// Makes the batches durable; says, for each, whether it is.
    fn flush(&self, batches: &[Written]) -> Vec<bool> {
        let mut synced: Vec<(NaiveDate, Result<(), String>)> = Vec::new();
        batches
            .iter()
            .map(|b| {
                if b.events.is_empty() {
                    return true;
                }
                if self.failed_epoch.load(Ordering::SeqCst) == b.epoch {
                    return false;
                }
                let result = match synced.iter().find(|(day, _)| *day == b.day) {
                    Some((_, result)) => result.clone(),
                    None => {
                        let started = Instant::now();
                        let result = self.store.sync(&self.office, b.day).map_err(|e| e.to_string());
                        self.append_seconds.observe(started.elapsed().as_secs_f64());
                        synced.push((b.day, result.clone()));
                        result
                    }
                };
                if let Err(e) = &result {
                    tracing::error!(office = %self.office, error = %e, epoch = b.epoch, "fsync failed: the batches it covered are refused");
                    self.failed_epoch.store(b.epoch, Ordering::SeqCst);
                }
                result.is_ok()
            })
            .collect()
    }

    fn answer(&self, batch: Written, durable: bool) {
        if durable && !batch.events.is_empty() {
            let (calls, metrics) = {
                let mut state = self.durable.write();
                apply_durable(&mut state, &batch.events, &self.office)
            };
            self.durable_version.store(batch.version, Ordering::SeqCst);
            for m in metrics {
                m.count(&self.metrics);
            }
            for call in calls {
                let _ = self.feed.send(call);
            }
        }
        for p in batch.pending {
            let result = match p.result {
                Some(Ok(_)) if !durable => Err(EngineError::Store(
                    "the change could not be made durable".into(),
                )),
                Some(result) => result,
                None => Err(EngineError::Stopped),
            };
            let _ = p.job.reply.send(result);
        }
    }
}
