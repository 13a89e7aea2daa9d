//! Printing with several processes: a shared job stream per kiosk, worked by the one
//! process that owns the kiosk.
//!
//! A turn may be issued on any process, but a kiosk's printer is one device: a network
//! printer takes one connection at a time and must not get two queues' probes and jobs
//! interleaved, and a print agent is connected to one process. So each kiosk has one
//! *owner*, named by a lease in the store ([`LEASE`], renewed every [`RENEW_EVERY`]):
//! - a printer the server drives is owned by whichever process takes the lease first,
//!   and by another within a lease when that one stops or dies;
//! - an agent kiosk is owned by the process its agent is connected to: a new connection
//!   takes the lease over at once, so the agent can move between processes.
//!
//! The issuing process appends the job to the kiosk's stream in the store and polls the
//! job's state for up to [`super::BRIEF_WAIT`]; the owner reads the stream, hands each job
//! to its queue or agent, and writes the outcome, taking the entry off the stream in the
//! same step. An owner that dies leaves its unfinished entries on the stream, and the
//! next owner starts from the first: a job is printed at least once while its time to
//! live lasts (once, unless an owner died between printing and recording it), and the
//! first outcome recorded is the one kiosks and supervisors see. The owner also reports
//! its printer's state, with the lease's expiry, so the printers page of any process
//! shows every kiosk as its owner sees it, and "nobody drives it" when no one does.

use super::jobs::{JobRecord, PrintState, PrintStatus};
use super::status::{self, PrinterJson, Problem};
use super::{Backend, Kiosk, PrintService, BRIEF_WAIT};
use crate::i18n::es;
use crate::store::{PrinterReport, QueuedJob, SharedPrintJobs, StoreError};
use base64::Engine as _;
use parking_lot::Mutex;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// How long a kiosk's lease lasts unless renewed: the longest a dead owner's kiosk waits.
pub const LEASE: Duration = Duration::from_secs(5);
/// How often the owner renews its lease and reports its printer.
pub const RENEW_EVERY: Duration = Duration::from_secs(1);
/// How long a job's state stays readable in the store.
const KEEP: Duration = Duration::from_secs(6 * 3600);
/// Extra time, past a job's time to live, for its outcome to come back.
const OUTCOME_GRACE: Duration = Duration::from_secs(5);
/// How often a process looks whether an agent connected to it.
const AGENT_POLL: Duration = Duration::from_millis(200);

/// The store's job streams, and this process's name as an owner.
pub struct Shared {
    jobs: Arc<dyn SharedPrintJobs>,
    owner: String,
}

impl Shared {
    /// This process's side of the shared streams.
    pub fn new(jobs: Arc<dyn SharedPrintJobs>, boot: u32) -> Self {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "turnero".into());
        Self {
            jobs,
            owner: format!("{host}/{}/{boot:08x}", std::process::id()),
        }
    }

    /// This process's name as a kiosk owner.
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// Puts the job on its kiosk's stream and waits a moment for the owner's outcome.
    pub async fn print_and_wait(
        &self,
        kiosk: &Arc<Kiosk>,
        record: &Arc<JobRecord>,
        bytes: Vec<u8>,
    ) -> PrintState {
        let queued = record.state();
        let ttl_ms = i64::try_from(kiosk.spec.ttl.as_millis()).unwrap_or(i64::MAX);
        let job = QueuedJob {
            id: record.id.clone(),
            token: record.token.clone(),
            code: record.code.clone(),
            reprint: queued.reprint,
            bytes_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
            expires_at_ms: chrono::Utc::now().timestamp_millis().saturating_add(ttl_ms),
        };
        let (office, id) = (&kiosk.office, &kiosk.spec.id);
        let enqueued = match serde_json::to_string(&queued) {
            Ok(json) => self.jobs.enqueue(office, id, &job, &json, KEEP).await,
            Err(e) => Err(StoreError::Unavailable(e.to_string())),
        };
        if let Err(e) = enqueued {
            tracing::warn!(%office, kiosk = %id, code = %record.code, error = %e, "the print job could not be put on the shared queue; not printed");
            record.failed("print_queue_unavailable", es::PRINT_QUEUE_UNAVAILABLE);
            return record.state();
        }
        // An agent kiosk that no process is connected to cannot answer in a moment.
        let report = self.jobs.printer(office, id).await.ok();
        if kiosk.agent().is_some() && report.as_ref().is_some_and(|r| r.owner.is_none()) {
            return describe(kiosk, queued, report.as_ref());
        }
        let deadline = Instant::now() + BRIEF_WAIT;
        let mut step = Duration::from_millis(5);
        let mut state = queued;
        while Instant::now() < deadline {
            tokio::time::sleep(step).await;
            step = (step * 2).min(Duration::from_millis(100));
            if let Some(s) = self.state(office, &record.id).await {
                state = s;
                if state.status != PrintStatus::Queued {
                    return state;
                }
            }
        }
        let report = self.jobs.printer(office, id).await.ok();
        describe(kiosk, state, report.as_ref())
    }

    async fn state(&self, office: &str, job: &str) -> Option<PrintState> {
        let json = self.jobs.state(office, job).await.ok()??;
        serde_json::from_str(&json).ok()
    }

    /// The state of a turn's latest job, from the store.
    pub async fn latest(
        &self,
        service: &PrintService,
        office: &str,
        token: &str,
    ) -> Result<Option<PrintState>, StoreError> {
        let Some(json) = self.jobs.latest(office, token).await? else {
            return Ok(None);
        };
        let Ok(state) = serde_json::from_str::<PrintState>(&json) else {
            return Ok(None);
        };
        let Some(kiosk) = service.kiosk(office, &state.kiosk) else {
            return Ok(Some(state));
        };
        let report = match state.status {
            PrintStatus::Queued => self.jobs.printer(office, &kiosk.spec.id).await.ok(),
            _ => None,
        };
        Ok(Some(describe(kiosk, state, report.as_ref())))
    }

    /// A kiosk's printer as its owner reports it, with the store's counts.
    pub async fn printer(&self, kiosk: &Kiosk) -> PrinterJson {
        let report = match self.jobs.printer(&kiosk.office, &kiosk.spec.id).await {
            Ok(report) => report,
            Err(e) => {
                let mut json = status::local(kiosk);
                json.problem = Some(Problem {
                    code: "store_unavailable".into(),
                    reason: format!("{} ({e})", es::STORE_UNAVAILABLE),
                });
                return json;
            }
        };
        let reported = report
            .state
            .as_deref()
            .filter(|_| report.owner.is_some())
            .and_then(|json| serde_json::from_str::<PrinterJson>(json).ok());
        let mut json = reported.unwrap_or_else(|| status::unowned(kiosk));
        json.queued = usize::try_from(report.queued).unwrap_or(usize::MAX);
        json.printed = report.printed;
        json.failed = report.failed;
        json.served_by = report.owner;
        json
    }
}

/// A job's state for a response: while queued, the printer's problem as its owner
/// reports it, or that nobody drives it.
fn describe(kiosk: &Kiosk, mut state: PrintState, report: Option<&PrinterReport>) -> PrintState {
    if state.status != PrintStatus::Queued {
        return state;
    }
    let Some(report) = report else { return state };
    let problem = match &report.owner {
        None => status::unowned(kiosk).problem,
        Some(_) => report
            .state
            .as_deref()
            .and_then(|json| serde_json::from_str::<PrinterJson>(json).ok())
            .and_then(|printer| printer.problem)
            .map(|p| match kiosk.backend {
                Backend::Direct(_) => Problem {
                    reason: format!("{} {}", p.reason, es::PRINT_RETRYING),
                    ..p
                },
                Backend::Agent { .. } => p,
            }),
    };
    if let Some(p) = problem {
        state.code = Some(p.code);
        state.reason = Some(p.reason);
    }
    state
}

/// Owns the kiosk whenever this process may and can, and while it does, prints the jobs
/// on the kiosk's stream. Runs as long as the process.
pub async fn own(service: Arc<PrintService>, kiosk: Arc<Kiosk>) {
    let Some(shared) = service.shared.as_ref() else {
        return;
    };
    let (office, id) = (kiosk.office.clone(), kiosk.spec.id.clone());
    let in_flight: Arc<Mutex<HashSet<String>>> = Arc::default();
    let mut held = false;
    let mut cursor = String::from("0");
    // The agent connection this process took the kiosk over for: once per connection,
    // so two agents of one kiosk on two processes do not take it from each other forever.
    let mut taken_for: Option<u64> = None;
    loop {
        let connection = kiosk.agent().map(|link| link.connection_id());
        if connection == Some(None) {
            if held {
                let _ = shared.jobs.let_go(&office, &id, &shared.owner).await;
                tracing::info!(%office, kiosk = %id, "print agent gone: this process no longer drives the kiosk");
                held = false;
            }
            taken_for = None;
            tokio::time::sleep(AGENT_POLL).await;
            continue;
        }
        let agent = connection.flatten();
        let take_over = agent.is_some() && agent != taken_for;
        match shared
            .jobs
            .hold(&office, &id, &shared.owner, LEASE, take_over)
            .await
        {
            Ok(true) => {
                if take_over {
                    taken_for = agent;
                }
                if !held {
                    tracing::info!(%office, kiosk = %id, owner = %shared.owner, "this process now drives the kiosk's printer");
                    if let Backend::Direct(direct) = &kiosk.backend {
                        direct.queue();
                    }
                    cursor = String::from("0");
                    held = true;
                }
            }
            Ok(false) => {
                if held {
                    tracing::warn!(%office, kiosk = %id, "another process took the kiosk over");
                }
                held = false;
            }
            Err(e) => {
                if held {
                    tracing::warn!(%office, kiosk = %id, error = %e, "the kiosk's lease could not be renewed: its jobs wait until the store answers");
                }
                held = false;
            }
        }
        if !held {
            tokio::time::sleep(if kiosk.agent().is_some() {
                AGENT_POLL
            } else {
                RENEW_EVERY
            })
            .await;
            continue;
        }
        if let Ok(report) = serde_json::to_string(&status::local(&kiosk)) {
            let _ = shared.jobs.report(&office, &id, &report, LEASE).await;
        }
        match shared
            .jobs
            .next_jobs(&office, &id, &cursor, RENEW_EVERY)
            .await
        {
            Ok(jobs) => {
                for (entry, job) in jobs {
                    cursor.clone_from(&entry);
                    if in_flight.lock().insert(entry.clone()) {
                        work(shared.jobs.clone(), &kiosk, entry, job, in_flight.clone());
                    }
                }
            }
            Err(e) => {
                tracing::debug!(%office, kiosk = %id, error = %e, "reading the kiosk's jobs failed; trying again");
                tokio::time::sleep(RENEW_EVERY).await;
            }
        }
    }
}

/// Prints one job from the stream and records its outcome.
fn work(
    jobs: Arc<dyn SharedPrintJobs>,
    kiosk: &Arc<Kiosk>,
    entry: String,
    job: QueuedJob,
    in_flight: Arc<Mutex<HashSet<String>>>,
) {
    let record = Arc::new(JobRecord::new(
        job.id.clone(),
        &kiosk.office,
        &kiosk.spec.id,
        job.token.clone(),
        job.code.clone(),
        job.reprint,
    ));
    let left_ms = job.expires_at_ms - chrono::Utc::now().timestamp_millis();
    let left = Duration::from_millis(u64::try_from(left_ms).unwrap_or(0));
    let bytes = base64::engine::general_purpose::STANDARD.decode(&job.bytes_base64);
    match bytes {
        _ if left.is_zero() => {
            let mut reason = turnero_printer::Failure::expired(None).reason;
            if kiosk.agent().is_some() {
                reason = format!("{reason} {}", es::AGENT_WAS_OFFLINE);
            }
            tracing::warn!(office = %kiosk.office, kiosk = %kiosk.spec.id, code = %job.code, "print job expired before any process could print it");
            record.failed("expired", reason);
        }
        Err(_) => {
            tracing::error!(office = %kiosk.office, kiosk = %kiosk.spec.id, code = %job.code, "a print job on the shared queue is damaged; not printed");
            record.failed("job_damaged", es::PRINT_JOB_DAMAGED);
        }
        Ok(bytes) => kiosk.submit(&record, bytes, left),
    }
    let (office, kiosk_id) = (kiosk.office.clone(), kiosk.spec.id.clone());
    tokio::spawn(async move {
        let mut state = record.settle(left + OUTCOME_GRACE).await;
        if state.status == PrintStatus::Queued {
            record.failed("expired", turnero_printer::Failure::expired(None).reason);
            state = record.state();
        }
        let printed = state.status == PrintStatus::Printed;
        if let Ok(json) = serde_json::to_string(&state) {
            // The outcome matters to the kiosk and to the counts: try for a while.
            for attempt in 1..=10 {
                match jobs
                    .finish(&office, &kiosk_id, &entry, &record.id, &json, printed, KEEP)
                    .await
                {
                    Ok(()) => break,
                    Err(e) => {
                        tracing::warn!(%office, kiosk = %kiosk_id, job = %record.id, attempt, error = %e, "a print job's outcome could not be recorded; trying again");
                        tokio::time::sleep(RENEW_EVERY).await;
                    }
                }
            }
        }
        in_flight.lock().remove(&entry);
    });
}
