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
//! asks [`PrintService::print`] and waits a moment ([`BRIEF_WAIT`]) for the outcome to
//! put in the response's `print` object; a job still pending is answered `queued`, and the
//! kiosk can follow it at `GET /tickets/{token}/print`.

pub mod agent;
pub mod jobs;
pub mod ticket;

use crate::config::{Config, KioskPrinter, KioskSpec};
use crate::domain::{OfficeSpec, TicketView};
use crate::i18n::es;
use agent::AgentLink;
use chrono::{DateTime, SecondsFormat, Utc};
use jobs::{Book, JobRecord, PrintState, PrintStatus};
use parking_lot::Mutex;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use turnero_printer::agent::proto::{health_parts, StatusBits};
use turnero_printer::{
    JobOutcome, PrintJob, PrinterHealth, PrinterQueue, SpoolConfig, SubmitError,
};

/// How long a ticket request waits for its print job before answering `queued`.
pub const BRIEF_WAIT: Duration = Duration::from_millis(1500);

/// A failure remembered for supervisors.
#[derive(Debug, Clone, Serialize)]
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

/// How a kiosk's jobs reach its printer.
enum Backend {
    /// The server's own queue for the printer.
    Direct(PrinterQueue),
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
}

/// Checks a device token against `sha256:<hex>` (constant time) or an argon2 hash.
fn verify_token(token: &str, hash: &str) -> bool {
    match hash.strip_prefix("sha256:") {
        Some(_) => {
            let computed = turnero_printer::agent::token_hash(token);
            let (a, b) = (computed.as_bytes(), hash.as_bytes());
            a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
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
}

impl PrintService {
    /// Starts a queue for every kiosk printer the server drives (on the current tokio
    /// runtime) and a link for every agent kiosk.
    pub fn new(config: &Config) -> Self {
        let mut offices = HashMap::new();
        for (office, kiosks) in &config.kiosks {
            let list = kiosks
                .iter()
                .map(|k| {
                    let backend = match &k.printer {
                        KioskPrinter::Direct(address) => {
                            let spool = SpoolConfig {
                                max_attempts: k.max_attempts,
                                ttl: k.ttl,
                                queue_capacity: 64,
                                ..SpoolConfig::default()
                            };
                            Backend::Direct(PrinterQueue::spawn(
                                format!("{office}/{}", k.id),
                                address.transport(),
                                spool,
                            ))
                        }
                        KioskPrinter::Agent { token_hash } => Backend::Agent {
                            link: Arc::new(AgentLink::new(office, &k.id)),
                            token_hash: token_hash.clone(),
                        },
                    };
                    Arc::new(Kiosk {
                        office: office.clone(),
                        spec: k.clone(),
                        backend,
                        last_error: Mutex::new(None),
                    })
                })
                .collect();
            offices.insert(office.clone(), list);
        }
        let lines = config
            .ticket_text
            .iter()
            .map(|(id, h, f)| (id.clone(), (h.clone(), f.clone())))
            .collect();
        Self {
            offices,
            lines,
            book: Book::default(),
            boot: rand::random(),
            next_job: AtomicU64::new(1),
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

    /// The latest print job of a turn.
    pub fn latest(&self, token: &str) -> Option<Arc<JobRecord>> {
        self.book.latest(token)
    }

    /// Sends a turn's ticket to a kiosk's printer. Never fails: an unknown kiosk or a full
    /// queue gives a job that has already failed, with its reason.
    pub fn print(
        &self,
        spec: &OfficeSpec,
        view: &TicketView,
        kiosk_id: &str,
        reprint: bool,
    ) -> Arc<JobRecord> {
        let id = format!(
            "{:08x}-{}",
            self.boot,
            self.next_job.fetch_add(1, Ordering::Relaxed)
        );
        let code = spec.code(view.ticket.code_service, view.ticket.number);
        let record = Arc::new(JobRecord::new(
            id,
            &spec.id,
            kiosk_id,
            view.ticket.token.to_string(),
            code.clone(),
            reprint,
        ));
        self.book.insert(record.clone());
        let Some(kiosk) = self.kiosk(&spec.id, kiosk_id) else {
            tracing::warn!(office = %spec.id, kiosk = %kiosk_id, %code, "ticket asked for by a kiosk that is not configured; not printed");
            record.failed("kiosk_not_found", es::PRINT_KIOSK_UNKNOWN);
            return record;
        };
        let (header, footer) = self.lines(&spec.id);
        let bytes = ticket::escpos(spec, view, header, footer, reprint, &kiosk.spec.options);
        match &kiosk.backend {
            Backend::Direct(queue) => {
                let job = PrintJob::new(bytes, code).with_ttl(kiosk.spec.ttl);
                match queue.submit(job) {
                    Ok(handle) => {
                        let record = record.clone();
                        let kiosk = kiosk.clone();
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
                        *kiosk.last_error.lock() = Some(LastError::now(code, reason));
                        record.failed(code, reason);
                    }
                }
            }
            Backend::Agent { link, .. } => link.submit(record.clone(), &bytes, kiosk.spec.ttl),
        }
        record
    }

    /// A job's state for a response: while it is queued, the printer's current problem
    /// (or the agent's absence) with its reason, so the kiosk can tell the citizen.
    pub fn describe(&self, record: &JobRecord) -> PrintState {
        let mut state = record.state();
        if state.status != PrintStatus::Queued {
            return state;
        }
        let Some(kiosk) = self.kiosk(&record.office, &record.kiosk) else {
            return state;
        };
        match &kiosk.backend {
            Backend::Direct(queue) => {
                if let PrinterHealth::Error(f) = queue.state().health {
                    state.code = Some(f.code.to_string());
                    state.reason = Some(format!("{} {}", f.reason, es::PRINT_RETRYING));
                }
            }
            Backend::Agent { link, .. } => {
                if !link.is_connected() {
                    state.code = Some("agent_offline".into());
                    state.reason = Some(es::AGENT_OFFLINE.into());
                }
            }
        }
        state
    }

    /// Prints and waits up to [`BRIEF_WAIT`] for the outcome (not at all for a print
    /// agent that is not connected).
    pub async fn print_and_wait(
        &self,
        spec: &OfficeSpec,
        view: &TicketView,
        kiosk: &str,
        reprint: bool,
    ) -> PrintState {
        let record = self.print(spec, view, kiosk, reprint);
        // An agent that is not connected cannot answer in a moment: say so at once.
        let offline = self
            .kiosk(&spec.id, kiosk)
            .and_then(|k| k.agent())
            .is_some_and(|link| !link.is_connected());
        if !offline {
            record.settle(BRIEF_WAIT).await;
        }
        self.describe(&record)
    }

    /// Each kiosk printer's state, for supervisors.
    pub fn printers(&self, office: &str) -> Vec<PrinterJson> {
        self.kiosks(office)
            .iter()
            .map(|k| match &k.backend {
                Backend::Direct(queue) => {
                    let s = queue.state();
                    let (health, _, _) = health_parts(&s.health);
                    PrinterJson {
                        kiosk: k.spec.id.clone(),
                        name: k.spec.name.clone(),
                        mode: "direct",
                        address: s.address.clone(),
                        health: health.to_owned(),
                        problem: problem(&s.health),
                        status: s.status.as_ref().map(StatusBits::from),
                        queued: s.queued,
                        printed: s.printed,
                        failed: s.failed,
                        last_error: k.last_error.lock().clone(),
                        updated_at: s.updated_at.map(rfc3339),
                        agent: None,
                    }
                }
                Backend::Agent { link, .. } => {
                    let v = link.view();
                    let reported = v.reported.as_ref();
                    let health = match (v.connected, reported) {
                        (false, _) => "offline".to_owned(),
                        (true, Some(r)) => r.health.clone(),
                        (true, None) => "unknown".to_owned(),
                    };
                    let problem = if v.connected {
                        reported.and_then(|r| {
                            Some(Problem {
                                code: r.code.clone()?,
                                reason: r.reason.clone()?,
                            })
                        })
                    } else {
                        Some(Problem {
                            code: "agent_offline".into(),
                            reason: es::AGENT_OFFLINE.into(),
                        })
                    };
                    PrinterJson {
                        kiosk: k.spec.id.clone(),
                        name: k.spec.name.clone(),
                        mode: "agent",
                        address: reported
                            .and_then(|r| r.printer.clone())
                            .unwrap_or_else(|| "agent".into()),
                        health,
                        problem,
                        status: reported.and_then(|r| r.status),
                        queued: v.queued,
                        printed: v.printed,
                        failed: v.failed,
                        last_error: v.last_error,
                        updated_at: v.last_seen.map(rfc3339),
                        agent: Some(AgentJson {
                            connected: v.connected,
                            since: v.since.map(rfc3339),
                            last_seen: v.last_seen.map(rfc3339),
                        }),
                    }
                }
            })
            .collect()
    }
}

fn problem(health: &PrinterHealth) -> Option<Problem> {
    match health {
        PrinterHealth::Error(f) => Some(Problem {
            code: f.code.to_string(),
            reason: f.reason.clone(),
        }),
        _ => None,
    }
}

/// A printer's current problem.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// Failure code (`paper_out`, `unreachable`, `agent_offline`…).
    pub code: String,
    /// Spanish reason.
    pub reason: String,
}

/// One kiosk printer as `GET /offices/{office}/printers` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PrinterJson {
    /// Kiosk id.
    pub kiosk: String,
    /// Kiosk name.
    pub name: String,
    /// `direct` (the server prints) or `agent`.
    pub mode: &'static str,
    /// The printer's address (`tcp://…`; for agents, what the agent reports).
    pub address: String,
    /// `ok`, `error`, `unknown`, or `offline` (agent not connected).
    pub health: String,
    /// The current problem, if any.
    pub problem: Option<Problem>,
    /// Last `DLE EOT` status read, if the printer answers status.
    pub status: Option<StatusBits>,
    /// Jobs waiting.
    pub queued: usize,
    /// Jobs printed since the server started.
    pub printed: u64,
    /// Jobs failed or expired since the server started.
    pub failed: u64,
    /// The last job failure.
    pub last_error: Option<LastError>,
    /// When health or status last changed (direct) or the agent was last heard (agent).
    pub updated_at: Option<String>,
    /// The agent's connection, for agent kiosks.
    pub agent: Option<AgentJson>,
}

/// An agent's connection.
#[derive(Debug, Clone, Serialize)]
pub struct AgentJson {
    /// Whether it is connected now.
    pub connected: bool,
    /// Since when.
    pub since: Option<String>,
    /// Last heard from.
    pub last_seen: Option<String>,
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
