//! Printing turns on kiosk printers: one serialized queue per printer, after the turn is
//! committed, never able to fail the turn.
//!
//! Each configured kiosk (`[[offices.kiosks]]`) has either a printer the server reaches
//! itself (`tcp://`, `file:`, `dir:`), worked by a `turnero_printer::PrinterQueue` with
//! retries, backoff and a time to live; or a print agent on the kiosk PC (`printer =
//! "agent"`), reached through an [`agent::AgentLink`]. Either way a job ends `printed` or
//! `failed` with a Spanish reason, and never prints after its time to live: a stale ticket
//! must not come out minutes later.
//!
//! The domain knows nothing of this: `http::citizens::issue` commits the turn first, then
//! asks [`PrintService::print_and_wait`], which waits a moment ([`BRIEF_WAIT`]) for the
//! outcome to put in the response's `print` object; a job still pending is answered
//! `queued`, and the kiosk can follow it at `GET /tickets/{token}/print`.
//!
//! With several processes (Redis) the job goes through the store instead, to whichever
//! process owns the kiosk: see [`shared`].

pub mod agent;
pub mod jobs;
pub mod shared;
pub mod status;
pub mod ticket;

use crate::config::{Config, KioskPrinter, KioskSpec};
use crate::domain::{OfficeSpec, TicketView};
use crate::i18n::es;
use crate::store::SharedPrintJobs;
use agent::AgentLink;
use chrono::{DateTime, SecondsFormat, Utc};
use jobs::{Book, JobRecord, PrintState, PrintStatus};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use turnero_printer::{
    JobOutcome, PrintJob, PrinterAddress, PrinterHealth, PrinterQueue, SpoolConfig, SubmitError,
};

pub use status::{PrinterJson, Problem};

/// How long a ticket request waits for its print job before answering `queued`.
pub const BRIEF_WAIT: Duration = Duration::from_millis(1500);

/// A failure remembered for supervisors.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LastError {
    /// Failure code.
    pub code: String,
    /// Spanish reason.
    pub reason: String,
    /// When (RFC 3339, UTC).
    pub at: String,
}

impl LastError {
    /// A failure that happened now.
    pub fn now(code: &str, reason: &str) -> Self {
        Self {
            code: code.to_owned(),
            reason: reason.to_owned(),
            at: rfc3339(Utc::now()),
        }
    }
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A printer the server drives itself. Its queue starts at once with one process; with
/// several, only on the process that owns the kiosk (two queues on one printer would
/// interleave their probes and jobs).
struct Direct {
    name: String,
    address: PrinterAddress,
    spool: SpoolConfig,
    queue: OnceLock<PrinterQueue>,
}

impl Direct {
    /// The queue, started on the current tokio runtime the first time.
    fn queue(&self) -> &PrinterQueue {
        self.queue.get_or_init(|| {
            PrinterQueue::spawn(self.name.clone(), self.address.transport(), self.spool)
        })
    }
}

/// How a kiosk's jobs reach its printer.
enum Backend {
    /// The server's own queue for the printer.
    Direct(Direct),
    /// A print agent on the kiosk PC.
    Agent {
        link: Arc<AgentLink>,
        token_hash: String,
    },
}

/// A kiosk and its printer's queue.
pub struct Kiosk {
    /// Office id.
    pub office: String,
    /// Its configuration.
    pub spec: KioskSpec,
    backend: Backend,
    last_error: Mutex<Option<LastError>>,
}

impl Kiosk {
    /// The agent link, for agent kiosks.
    pub fn agent(&self) -> Option<&Arc<AgentLink>> {
        match &self.backend {
            Backend::Agent { link, .. } => Some(link),
            Backend::Direct(_) => None,
        }
    }

    /// Whether `token` is this agent kiosk's device token.
    pub fn verify_agent_token(&self, token: &str) -> bool {
        match &self.backend {
            Backend::Agent { token_hash, .. } => verify_token(token, token_hash),
            Backend::Direct(_) => false,
        }
    }

    /// Hands a job to this process's queue or agent link; its outcome lands in `record`
    /// (and the kiosk's last error). `ttl` is the time the job has left.
    fn submit(self: &Arc<Self>, record: &Arc<JobRecord>, bytes: Vec<u8>, ttl: Duration) {
        match &self.backend {
            Backend::Direct(direct) => {
                let job = PrintJob::new(bytes, record.code.clone()).with_ttl(ttl);
                match direct.queue().submit(job) {
                    Ok(handle) => {
                        let record = record.clone();
                        let kiosk = self.clone();
                        tokio::spawn(async move {
                            match handle.outcome().await {
                                JobOutcome::Printed { .. } => {
                                    record.printed();
                                }
                                JobOutcome::Failed(f) => {
                                    let code = f.code.to_string();
                                    *kiosk.last_error.lock() =
                                        Some(LastError::now(&code, &f.reason));
                                    record.failed(code, f.reason);
                                }
                            }
                        });
                    }
                    Err(e) => {
                        let (code, reason) = match e {
                            SubmitError::QueueFull(_) => ("queue_full", es::PRINT_QUEUE_FULL),
                            SubmitError::UnknownPrinter(_) | SubmitError::Stopped(_) => {
                                ("spool_stopped", es::PRINT_QUEUE_STOPPED)
                            }
                        };
                        *self.last_error.lock() = Some(LastError::now(code, reason));
                        record.failed(code, reason);
                    }
                }
            }
            Backend::Agent { link, .. } => link.submit(record.clone(), &bytes, ttl),
        }
    }

    /// While a job is queued: the printer's current problem as this process sees it.
    fn current_problem(&self) -> Option<Problem> {
        match &self.backend {
            Backend::Direct(direct) => match direct.queue.get()?.state().health {
                PrinterHealth::Error(f) => Some(Problem {
                    code: f.code.to_string(),
                    reason: format!("{} {}", f.reason, es::PRINT_RETRYING),
                }),
                _ => None,
            },
            Backend::Agent { link, .. } => (!link.is_connected()).then(|| Problem {
                code: "agent_offline".into(),
                reason: es::AGENT_OFFLINE.into(),
            }),
        }
    }
}

/// Checks a device token against `sha256:<hex>` (constant time) or an argon2 hash.
fn verify_token(token: &str, hash: &str) -> bool {
    match hash.strip_prefix("sha256:") {
        Some(_) => {
            let computed = turnero_printer::agent::token_hash(token);
            crate::config::constant_time_eq(computed.as_bytes(), hash.as_bytes())
        }
        None => {
            use argon2::password_hash::{PasswordHash, PasswordVerifier};
            PasswordHash::new(hash).is_ok_and(|h| {
                argon2::Argon2::default()
                    .verify_password(token.as_bytes(), &h)
                    .is_ok()
            })
        }
    }
}

/// Every kiosk's printer, the jobs of recent turns, and the agents.
pub struct PrintService {
    /// Kiosks by office id, in configuration order.
    offices: HashMap<String, Vec<Arc<Kiosk>>>,
    /// Header and footer lines by office id.
    lines: HashMap<String, (Vec<String>, Vec<String>)>,
    book: Book,
    /// Random per start, so job ids never repeat across restarts.
    boot: u32,
    next_job: AtomicU64,
    /// With several processes: the store's job streams, and this process's name there.
    shared: Option<shared::Shared>,
}

impl PrintService {
    /// A link for every agent kiosk and a queue for every kiosk printer the server drives.
    /// With `jobs` (several processes) the queues start only where a kiosk is owned: call
    /// [`PrintService::start_owners`] then. Needs a tokio runtime.
    pub fn new(config: &Config, jobs: Option<Arc<dyn SharedPrintJobs>>) -> Self {
        let mut offices = HashMap::new();
        for (office, kiosks) in &config.kiosks {
            let list = kiosks
                .iter()
                // A screen-only kiosk has nothing to drive.
                .filter_map(|k| {
                    let backend = match k.printer.as_ref()? {
                        KioskPrinter::Direct(address) => Backend::Direct(Direct {
                            name: format!("{office}/{}", k.id),
                            address: address.clone(),
                            spool: SpoolConfig {
                                max_attempts: k.max_attempts,
                                ttl: k.ttl,
                                queue_capacity: 64,
                                ..SpoolConfig::default()
                            },
                            queue: OnceLock::new(),
                        }),
                        KioskPrinter::Agent { token_hash } => Backend::Agent {
                            link: Arc::new(AgentLink::new(office, &k.id)),
                            token_hash: token_hash.clone(),
                        },
                    };
                    if let (Backend::Direct(direct), None) = (&backend, &jobs) {
                        direct.queue();
                    }
                    Some(Arc::new(Kiosk {
                        office: office.clone(),
                        spec: k.clone(),
                        backend,
                        last_error: Mutex::new(None),
                    }))
                })
                .collect();
            offices.insert(office.clone(), list);
        }
        let lines = config
            .ticket_text
            .iter()
            .map(|(id, h, f)| (id.clone(), (h.clone(), f.clone())))
            .collect();
        let boot = rand::random();
        Self {
            offices,
            lines,
            book: Book::default(),
            boot,
            next_job: AtomicU64::new(1),
            shared: jobs.map(|jobs| shared::Shared::new(jobs, boot)),
        }
    }

    /// A kiosk of an office.
    pub fn kiosk(&self, office: &str, kiosk: &str) -> Option<&Arc<Kiosk>> {
        self.offices
            .get(office)?
            .iter()
            .find(|k| k.spec.id == kiosk)
    }

    /// The kiosks of an office, in configuration order.
    pub fn kiosks(&self, office: &str) -> &[Arc<Kiosk>] {
        self.offices.get(office).map_or(&[], Vec::as_slice)
    }

    /// An office's configured header and footer lines.
    pub fn lines(&self, office: &str) -> (&[String], &[String]) {
        self.lines
            .get(office)
            .map_or((&[], &[]), |(h, f)| (h.as_slice(), f.as_slice()))
    }

    /// A new job's record, queued.
    fn new_record(
        &self,
        spec: &OfficeSpec,
        view: &TicketView,
        kiosk: &str,
        reprint: bool,
    ) -> Arc<JobRecord> {
        let id = format!(
            "{:08x}-{}",
            self.boot,
            self.next_job.fetch_add(1, Ordering::Relaxed)
        );
        Arc::new(JobRecord::new(
            id,
            &spec.id,
            kiosk,
            view.ticket.token.to_string(),
            spec.code(view.ticket.code_service, view.ticket.number),
            reprint,
        ))
    }

    /// The ticket's bytes for a kiosk's printer.
    fn ticket_bytes(
        &self,
        spec: &OfficeSpec,
        view: &TicketView,
        kiosk: &Kiosk,
        reprint: bool,
        to: &crate::views::Audience<'_>,
    ) -> Vec<u8> {
        let (header, footer) = self.lines(&spec.id);
        ticket::escpos(spec, view, header, footer, reprint, &kiosk.spec.options, to)
    }

    /// Sends a turn's ticket (for `to`: its QR and its words) to a kiosk's printer and waits up to [`BRIEF_WAIT`] for the
    /// outcome (not at all for a print agent known to be away). Never fails: an unknown
    /// kiosk or a full queue gives a job that has already failed, with its reason.
    pub async fn print_and_wait(
        &self,
        spec: &OfficeSpec,
        view: &TicketView,
        kiosk_id: &str,
        reprint: bool,
        to: &crate::views::Audience<'_>,
    ) -> PrintState {
        let record = self.new_record(spec, view, kiosk_id, reprint);
        let Some(kiosk) = self.kiosk(&spec.id, kiosk_id) else {
            tracing::warn!(office = %spec.id, kiosk = %kiosk_id, code = %record.code, "ticket asked for by a kiosk that is not configured; not printed");
            record.failed("kiosk_not_found", es::PRINT_KIOSK_UNKNOWN);
            self.book.insert(record.clone());
            return record.state();
        };
        let bytes = self.ticket_bytes(spec, view, kiosk, reprint, to);
        if let Some(shared) = &self.shared {
            return shared.print_and_wait(kiosk, &record, bytes).await;
        }
        self.book.insert(record.clone());
        kiosk.submit(&record, bytes, kiosk.spec.ttl);
        // An agent that is not connected cannot answer in a moment: say so at once.
        let offline = kiosk.agent().is_some_and(|link| !link.is_connected());
        if !offline {
            record.settle(BRIEF_WAIT).await;
        }
        Self::describe(kiosk, record.state())
    }

    /// A job's state for a response: while it is queued, the printer's current problem
    /// (or the agent's absence) with its reason, so the kiosk can tell the citizen.
    fn describe(kiosk: &Kiosk, mut state: PrintState) -> PrintState {
        if state.status == PrintStatus::Queued {
            if let Some(p) = kiosk.current_problem() {
                state.code = Some(p.code);
                state.reason = Some(p.reason);
            }
        }
        state
    }

    /// The state of a turn's latest print job, if it was ever sent to a printer.
    pub async fn latest(
        &self,
        office: &str,
        token: &str,
    ) -> Result<Option<PrintState>, crate::store::StoreError> {
        if let Some(shared) = &self.shared {
            return shared.latest(self, office, token).await;
        }
        let Some(record) = self.book.latest(token) else {
            return Ok(None);
        };
        let state = record.state();
        Ok(Some(match self.kiosk(&record.office, &record.kiosk) {
            Some(kiosk) => Self::describe(kiosk, state),
            None => state,
        }))
    }

    /// Each kiosk printer's state, for supervisors.
    pub async fn printers(&self, office: &str) -> Vec<PrinterJson> {
        let mut list = Vec::new();
        for kiosk in self.kiosks(office) {
            list.push(match &self.shared {
                Some(shared) => shared.printer(kiosk).await,
                None => status::local(kiosk),
            });
        }
        list
    }

    /// Starts, with several processes, the task that takes each kiosk's lease when it can
    /// (a printer the server drives; an agent kiosk whose agent is connected here) and
    /// then prints the kiosk's jobs. Needs a tokio runtime.
    pub fn start_owners(self: &Arc<Self>) {
        if self.shared.is_none() {
            return;
        }
        for kiosk in self.offices.values().flatten() {
            tokio::spawn(shared::own(self.clone(), kiosk.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::verify_token;

    #[test]
    fn device_tokens_verify_against_either_hash() {
        let (token, hash) = turnero_printer::agent::new_token();
        assert!(verify_token(&token, &hash));
        assert!(!verify_token("other", &hash));
        assert!(!verify_token(&token, "sha256:00"));
        let argon = crate::http::auth::hash_password("clave-larga").unwrap();
        assert!(verify_token("clave-larga", &argon));
        assert!(!verify_token("otra", &argon));
    }
}
