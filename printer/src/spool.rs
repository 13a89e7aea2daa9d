//! The print spool: one serialized queue per printer, retries, time to live, and each
//! printer's current state.
//!
//! Each printer gets its own tokio task fed by a bounded channel, so a printer that
//! fails or hangs only delays its own jobs. A job is tried until it prints, its attempts
//! run out, or its time to live (counted from submission) runs out. Every attempt is cut
//! short at the job's deadline, and a job past its deadline is never sent: a stale
//! ticket must not come out minutes later, when the citizen has gone or been served.
//! With the TCP transport a cancelled attempt also resets the connection, so bytes
//! already queued in the kernel are dropped rather than delivered late.
//!
//! State is published on a `tokio::sync::watch` channel: readable at any time without
//! waiting for the worker, and subscribable by the server to tell the kiosk.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;

use crate::outcome::{Failure, FailureCode, JobOutcome};
use crate::status::PrinterStatus;
use crate::transport::{Transport, TransportError};

/// Retry, time-to-live and queue settings, shared by all printers of a spool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpoolConfig {
    /// Most attempts per job.
    pub max_attempts: u32,
    /// Wait after the first failed attempt; doubled after each further one.
    pub initial_backoff: Duration,
    /// Longest wait between attempts.
    pub max_backoff: Duration,
    /// Default time to live of a job, from submission: after it the job fails as expired.
    pub ttl: Duration,
    /// Longest a single attempt may take (connect, status, write).
    pub attempt_timeout: Duration,
    /// Jobs a printer's queue holds before [`Spool::submit`] refuses more.
    pub queue_capacity: usize,
    /// How often an idle printer's status is read to keep its state fresh (`None`: never).
    pub probe_interval: Option<Duration>,
}

impl Default for SpoolConfig {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            ttl: Duration::from_secs(60),
            attempt_timeout: Duration::from_secs(20),
            queue_capacity: 32,
            probe_interval: Some(Duration::from_secs(30)),
        }
    }
}

/// One job for one printer: the bytes from [`crate::render`] and a label for logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJob {
    /// ESC/POS bytes.
    pub bytes: Vec<u8>,
    /// Shown in logs, e.g. the turn code.
    pub label: String,
    /// Overrides [`SpoolConfig::ttl`] for this job.
    pub ttl: Option<Duration>,
}

impl PrintJob {
    /// A job with the spool's default time to live.
    pub fn new(bytes: Vec<u8>, label: impl Into<String>) -> Self {
        Self {
            bytes,
            label: label.into(),
            ttl: None,
        }
    }

    /// The same job with its own time to live.
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }
}

/// Whether a printer is known to work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterHealth {
    /// Nothing printed or checked yet.
    Unknown,
    /// The last job printed, or the last status check found it ready.
    Ok,
    /// The last attempt or status check failed.
    Error(Failure),
}

/// A printer's current state, as the server shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterState {
    /// Where the printer is (`tcp://…`).
    pub address: String,
    /// Working or not, with the last reason.
    pub health: PrinterHealth,
    /// Last status read from the printer, if its transport reads status.
    pub status: Option<PrinterStatus>,
    /// Jobs submitted and not finished yet.
    pub queued: usize,
    /// Jobs printed since the queue started.
    pub printed: u64,
    /// Jobs failed (including expired) since the queue started.
    pub failed: u64,
    /// When health or status last changed.
    pub updated_at: Option<DateTime<Utc>>,
}

/// Why a job could not even be queued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    /// No printer with that id in the spool.
    #[error("unknown printer {0:?}")]
    UnknownPrinter(String),
    /// The printer's queue is full (it has probably been failing for a while).
    #[error("print queue of {0:?} is full")]
    QueueFull(String),
    /// The printer's worker has stopped.
    #[error("print queue of {0:?} has stopped")]
    Stopped(String),
}

/// Extra wait, past a job's deadline, before its handle reports it expired: the worker
/// ends every attempt at the deadline, so its own answer normally comes first.
const HANDLE_GRACE: Duration = Duration::from_millis(500);

/// Awaits the outcome of one submitted job. Dropping it does not cancel the job.
#[derive(Debug)]
pub struct JobHandle {
    id: u64,
    deadline: Instant,
    rx: oneshot::Receiver<JobOutcome>,
}

impl JobHandle {
    /// The job's number within its printer's queue, for logs.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Waits for the outcome; never longer than the job's time to live (plus a little).
    pub async fn outcome(self) -> JobOutcome {
        match tokio::time::timeout_at(self.deadline + HANDLE_GRACE, self.rx).await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(_)) => JobOutcome::Failed(Failure::new(
                FailureCode::SpoolStopped,
                "printer worker ended without an answer",
            )),
            Err(_) => JobOutcome::Failed(Failure::expired(None)),
        }
    }
}

struct Queued {
    id: u64,
    job: PrintJob,
    deadline: Instant,
    reply: oneshot::Sender<JobOutcome>,
}

/// One printer's queue and the task that works it.
///
/// The task ends when the queue is dropped, after finishing the jobs already queued.
pub struct PrinterQueue {
    tx: mpsc::Sender<Queued>,
    state: Arc<watch::Sender<PrinterState>>,
    next_id: std::sync::atomic::AtomicU64,
    ttl: Duration,
    name: String,
}

impl PrinterQueue {
    /// Starts the queue's task on the current tokio runtime.
    pub fn spawn(
        name: impl Into<String>,
        transport: Arc<dyn Transport>,
        config: SpoolConfig,
    ) -> Self {
        let name = name.into();
        let (tx, rx) = mpsc::channel(config.queue_capacity.max(1));
        let state = Arc::new(watch::Sender::new(PrinterState {
            address: transport.describe(),
            health: PrinterHealth::Unknown,
            status: None,
            queued: 0,
            printed: 0,
            failed: 0,
            updated_at: None,
        }));
        let worker = Worker {
            name: name.clone(),
            transport,
            config,
            state: Arc::clone(&state),
        };
        tokio::spawn(worker.run(rx));
        Self {
            tx,
            state,
            next_id: std::sync::atomic::AtomicU64::new(1),
            ttl: config.ttl,
            name,
        }
    }

    /// Queues a job; the handle gives its outcome.
    pub fn submit(&self, job: PrintJob) -> Result<JobHandle, SubmitError> {
        let id = self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let deadline = Instant::now() + job.ttl.unwrap_or(self.ttl);
        let (reply, rx) = oneshot::channel();
        let label = job.label.clone();
        // Count before sending, so the worker never finishes a job it has not seen counted.
        self.state.send_modify(|s| s.queued += 1);
        let queued = Queued {
            id,
            job,
            deadline,
            reply,
        };
        if let Err(e) = self.tx.try_send(queued) {
            self.state
                .send_modify(|s| s.queued = s.queued.saturating_sub(1));
            return Err(match e {
                mpsc::error::TrySendError::Full(_) => SubmitError::QueueFull(self.name.clone()),
                mpsc::error::TrySendError::Closed(_) => SubmitError::Stopped(self.name.clone()),
            });
        }
        tracing::debug!(printer = %self.name, job = id, %label, "print job queued");
        Ok(JobHandle { id, deadline, rx })
    }

    /// The printer's state now.
    pub fn state(&self) -> PrinterState {
        self.state.borrow().clone()
    }

    /// A receiver that sees every change of the printer's state.
    pub fn subscribe(&self) -> watch::Receiver<PrinterState> {
        self.state.subscribe()
    }
}

struct Worker {
    name: String,
    transport: Arc<dyn Transport>,
    config: SpoolConfig,
    state: Arc<watch::Sender<PrinterState>>,
}

impl Worker {
    async fn run(self, mut rx: mpsc::Receiver<Queued>) {
        let mut probe = self.config.probe_interval.map(|every| {
            let mut i = tokio::time::interval_at(Instant::now() + every, every);
            i.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            i
        });
        loop {
            let queued = tokio::select! {
                queued = rx.recv() => match queued {
                    Some(queued) => queued,
                    None => break,
                },
                () = next_tick(&mut probe) => {
                    self.probe().await;
                    continue;
                }
            };
            let outcome = self.process(&queued).await;
            self.state.send_modify(|s| {
                s.queued = s.queued.saturating_sub(1);
                match outcome {
                    JobOutcome::Printed { .. } => s.printed += 1,
                    JobOutcome::Failed(_) => s.failed += 1,
                }
            });
            match &outcome {
                JobOutcome::Printed { attempts } => {
                    tracing::info!(printer = %self.name, job = queued.id, label = %queued.job.label, attempts, "ticket printed")
                }
                JobOutcome::Failed(f) => {
                    tracing::warn!(printer = %self.name, job = queued.id, label = %queued.job.label, code = %f.code, detail = %f.detail, "ticket not printed")
                }
            }
            // The submitter may have stopped waiting; the outcome is logged either way.
            let _ = queued.reply.send(outcome);
        }
        tracing::debug!(printer = %self.name, "print queue stopped");
    }

    async fn process(&self, queued: &Queued) -> JobOutcome {
        let deadline = queued.deadline;
        let mut last: Option<Failure> = None;
        let mut attempts = 0;
        loop {
            let now = Instant::now();
            if now >= deadline {
                return JobOutcome::Failed(Failure::expired(last.as_ref()));
            }
            attempts += 1;
            let budget = self.config.attempt_timeout.min(deadline - now);
            let send = self.transport.send(&queued.job.bytes);
            let failure = match tokio::time::timeout(budget, send).await {
                Ok(Ok(status)) => {
                    self.record(PrinterHealth::Ok, status);
                    return JobOutcome::Printed { attempts };
                }
                Ok(Err(e)) => {
                    let status = match &e {
                        TransportError::NotReady(status) => Some(*status),
                        _ => None,
                    };
                    let failure = Failure::from(&e);
                    self.record(PrinterHealth::Error(failure.clone()), status);
                    failure
                }
                Err(_) => {
                    let failure = Failure::new(FailureCode::Timeout, "print attempt timed out");
                    self.record(PrinterHealth::Error(failure.clone()), None);
                    failure
                }
            };
            tracing::debug!(printer = %self.name, job = queued.id, attempts, code = %failure.code, detail = %failure.detail, "print attempt failed");
            if attempts >= self.config.max_attempts {
                return JobOutcome::Failed(failure);
            }
            let backoff = self.backoff(attempts);
            if Instant::now() + backoff >= deadline {
                // The next attempt would start too late: give up now, not at the deadline.
                return JobOutcome::Failed(Failure::expired(Some(&failure)));
            }
            last = Some(failure);
            tokio::time::sleep(backoff).await;
        }
    }

    fn backoff(&self, failed_attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(failed_attempts.saturating_sub(1));
        self.config
            .initial_backoff
            .saturating_mul(factor)
            .min(self.config.max_backoff)
    }

    async fn probe(&self) {
        let timeout = self.config.attempt_timeout;
        match tokio::time::timeout(timeout, self.transport.status()).await {
            Ok(Ok(None)) => {}
            Ok(Ok(Some(status))) => {
                let health = match status.problem() {
                    None => PrinterHealth::Ok,
                    Some(_) => {
                        PrinterHealth::Error(Failure::from(&TransportError::NotReady(status)))
                    }
                };
                self.record(health, Some(status));
            }
            Ok(Err(e)) => self.record(PrinterHealth::Error(Failure::from(&e)), None),
            Err(_) => self.record(
                PrinterHealth::Error(Failure::new(FailureCode::Timeout, "status probe timed out")),
                None,
            ),
        }
    }

    /// Publishes health and, when one was read, status; subscribers hear only changes.
    fn record(&self, health: PrinterHealth, status: Option<PrinterStatus>) {
        self.state.send_if_modified(|s| {
            let status = status.or(s.status);
            if s.health == health && s.status == status {
                return false;
            }
            if s.health != health {
                match &health {
                    PrinterHealth::Error(f) => {
                        tracing::warn!(printer = %self.name, code = %f.code, detail = %f.detail, "printer has a problem")
                    }
                    _ => tracing::info!(printer = %self.name, "printer ready"),
                }
            }
            s.health = health;
            s.status = status;
            s.updated_at = Some(Utc::now());
            true
        });
    }
}

async fn next_tick(probe: &mut Option<tokio::time::Interval>) {
    match probe {
        Some(interval) => {
            interval.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// All printers' queues, by printer id. Cheap to share behind an `Arc`.
#[derive(Default)]
pub struct Spool {
    config: SpoolConfig,
    printers: Mutex<HashMap<String, Arc<PrinterQueue>>>,
}

impl Spool {
    /// An empty spool; every printer added gets `config`.
    pub fn new(config: SpoolConfig) -> Self {
        Self {
            config,
            printers: Mutex::default(),
        }
    }

    /// The settings this spool gives its printers.
    pub fn config(&self) -> &SpoolConfig {
        &self.config
    }

    // A std mutex: it guards only a map lookup, never held across an await. A panic
    // while holding it cannot leave the map half-changed, so poisoning is ignored.
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<PrinterQueue>>> {
        self.printers.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds (or replaces) printer `id`, starting its queue on the current tokio runtime.
    /// A replaced printer's queue finishes the jobs it already has.
    pub fn add_printer(&self, id: impl Into<String>, transport: Arc<dyn Transport>) {
        let id = id.into();
        let queue = PrinterQueue::spawn(id.clone(), transport, self.config);
        self.map().insert(id, Arc::new(queue));
    }

    /// Removes printer `id`; its queue finishes the jobs it already has.
    pub fn remove_printer(&self, id: &str) -> bool {
        self.map().remove(id).is_some()
    }

    /// The ids of all printers.
    pub fn printer_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.map().keys().cloned().collect();
        ids.sort();
        ids
    }

    fn queue(&self, id: &str) -> Option<Arc<PrinterQueue>> {
        self.map().get(id).cloned()
    }

    /// Queues a job on printer `id`.
    pub fn submit(&self, id: &str, job: PrintJob) -> Result<JobHandle, SubmitError> {
        self.queue(id)
            .ok_or_else(|| SubmitError::UnknownPrinter(id.to_owned()))?
            .submit(job)
    }

    /// Printer `id`'s state now.
    pub fn state(&self, id: &str) -> Option<PrinterState> {
        self.queue(id).map(|q| q.state())
    }

    /// A receiver of printer `id`'s state changes.
    pub fn subscribe(&self, id: &str) -> Option<watch::Receiver<PrinterState>> {
        self.queue(id).map(|q| q.subscribe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let (tx, _rx) = watch::channel(PrinterState {
            address: String::new(),
            health: PrinterHealth::Unknown,
            status: None,
            queued: 0,
            printed: 0,
            failed: 0,
            updated_at: None,
        });
        let w = Worker {
            name: "t".into(),
            transport: Arc::new(crate::transport::DirTransport::new("/nonexistent")),
            config: SpoolConfig::default(),
            state: Arc::new(tx),
        };
        let ms: Vec<u128> = (1..=7).map(|a| w.backoff(a).as_millis()).collect();
        assert_eq!(ms, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(w.backoff(u32::MAX), Duration::from_secs(8));
    }
}
