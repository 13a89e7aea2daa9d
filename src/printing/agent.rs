//! The server's side of a print agent: one [`AgentLink`] per agent kiosk holds the jobs
//! the agent has not confirmed, sends them over the agent's current connection (again
//! after every reconnection), and fails them with a reason when their time to live runs
//! out. The WebSocket itself is in `http::printing`.

use super::jobs::JobRecord;
use crate::i18n::es;
use base64::Engine as _;
use chrono::{DateTime, SecondsFormat, Utc};
use parking_lot::Mutex;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;
use turnero_printer::agent::proto::{AgentMessage, AgentStatus, ServerMessage};
use turnero_printer::Failure;

/// Extra time, past a job's deadline, for an agent's result already on its way.
const RESULT_GRACE: Duration = Duration::from_secs(2);

/// A connected agent, as the link knows it.
struct Connection {
    id: u64,
    tx: mpsc::UnboundedSender<String>,
    since: DateTime<Utc>,
}

struct Pending {
    record: Arc<JobRecord>,
    bytes_base64: String,
    deadline: Instant,
    expires_at: DateTime<Utc>,
}

impl Pending {
    fn message(&self) -> Option<String> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return None;
        }
        let job = ServerMessage::Job {
            id: self.record.id.clone(),
            code: self.record.code.clone(),
            bytes_base64: self.bytes_base64.clone(),
            expires_at: self.expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            ttl_ms: u64::try_from(left.as_millis()).unwrap_or(u64::MAX),
        };
        serde_json::to_string(&job).ok()
    }
}

#[derive(Default)]
struct Inner {
    pending: Vec<Pending>,
    conn: Option<Connection>,
    next_conn: u64,
    last_seen: Option<DateTime<Utc>>,
    reported: Option<AgentStatus>,
    printed: u64,
    failed: u64,
    last_error: Option<super::LastError>,
}

/// The agent of one kiosk, connected or not.
pub struct AgentLink {
    office: String,
    kiosk: String,
    inner: Mutex<Inner>,
}

/// What supervisors see of an agent.
pub struct AgentView {
    /// Whether an agent is connected now.
    pub connected: bool,
    /// Since when, if connected.
    pub since: Option<DateTime<Utc>>,
    /// When the agent was last heard from.
    pub last_seen: Option<DateTime<Utc>>,
    /// The agent's last status report.
    pub reported: Option<AgentStatus>,
    /// Jobs not confirmed yet.
    pub queued: usize,
    /// Jobs confirmed printed.
    pub printed: u64,
    /// Jobs failed or expired.
    pub failed: u64,
    /// The last failure.
    pub last_error: Option<super::LastError>,
}

impl AgentLink {
    /// A link with no agent connected.
    pub fn new(office: &str, kiosk: &str) -> Self {
        Self {
            office: office.to_owned(),
            kiosk: kiosk.to_owned(),
            inner: Mutex::default(),
        }
    }

    /// Queues a job for the agent (sent at once if it is connected) and arranges for it
    /// to fail when `ttl` runs out unconfirmed.
    pub fn submit(self: &Arc<Self>, record: Arc<JobRecord>, bytes: &[u8], ttl: Duration) {
        let pending = Pending {
            bytes_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
            deadline: Instant::now() + ttl,
            expires_at: Utc::now() + ttl,
            record: record.clone(),
        };
        {
            let mut inner = self.inner.lock();
            if let (Some(conn), Some(message)) = (&inner.conn, pending.message()) {
                let _ = conn.tx.send(message);
            }
            inner.pending.push(pending);
        }
        let link = Arc::clone(self);
        tokio::spawn(async move {
            tokio::time::sleep(ttl + RESULT_GRACE).await;
            link.expire(&record.id);
        });
    }

    fn expire(&self, id: &str) {
        let mut inner = self.inner.lock();
        let Some(i) = inner.pending.iter().position(|p| p.record.id == id) else {
            return;
        };
        let pending = inner.pending.remove(i);
        let mut reason = Failure::expired(None).reason;
        if inner.conn.is_none() {
            reason = format!("{reason} {}", es::AGENT_WAS_OFFLINE);
        }
        tracing::warn!(office = %self.office, kiosk = %self.kiosk, job = %id, code = %pending.record.code, "print job expired unconfirmed by the agent");
        inner.failed += 1;
        inner.last_error = Some(super::LastError::now("expired", &reason));
        pending.record.failed("expired", reason);
    }

    /// Registers a new connection (replacing any older one, whose socket then closes)
    /// and queues every unexpired pending job on it, oldest first.
    pub fn connect(&self) -> (u64, mpsc::UnboundedReceiver<String>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut inner = self.inner.lock();
        inner.next_conn += 1;
        let id = inner.next_conn;
        for p in &inner.pending {
            if let Some(message) = p.message() {
                let _ = tx.send(message);
            }
        }
        let now = Utc::now();
        inner.conn = Some(Connection { id, tx, since: now });
        inner.last_seen = Some(now);
        (id, rx)
    }

    /// Forgets connection `id` if it is still the current one.
    pub fn disconnect(&self, id: u64) {
        let mut inner = self.inner.lock();
        if inner.conn.as_ref().is_some_and(|c| c.id == id) {
            inner.conn = None;
        }
    }

    /// The agent was heard from.
    pub fn heard(&self) {
        self.inner.lock().last_seen = Some(Utc::now());
    }

    /// Handles a message from the agent.
    pub fn on_message(&self, message: AgentMessage) {
        let mut inner = self.inner.lock();
        inner.last_seen = Some(Utc::now());
        match message {
            AgentMessage::Status(status) => inner.reported = Some(status),
            AgentMessage::Result {
                id,
                ok,
                code,
                reason,
                ..
            } => {
                let Some(i) = inner.pending.iter().position(|p| p.record.id == id) else {
                    tracing::debug!(kiosk = %self.kiosk, job = %id, "result for a job no longer pending; ignored");
                    return;
                };
                let pending = inner.pending.remove(i);
                if ok {
                    inner.printed += 1;
                    pending.record.printed();
                    tracing::info!(office = %self.office, kiosk = %self.kiosk, code = %pending.record.code, "ticket printed by the agent");
                } else {
                    let code = code.unwrap_or_else(|| "printer_error".into());
                    let reason = reason.filter(|r| !r.trim().is_empty()).unwrap_or_else(|| {
                        turnero_printer::Failure::new(
                            turnero_printer::FailureCode::PrinterError,
                            "",
                        )
                        .reason
                    });
                    tracing::warn!(office = %self.office, kiosk = %self.kiosk, code = %pending.record.code, failure = %code, "the agent could not print the ticket");
                    inner.failed += 1;
                    inner.last_error = Some(super::LastError::now(&code, &reason));
                    pending.record.failed(code, reason);
                }
            }
        }
    }

    /// The current connection's number, if an agent is connected.
    pub fn connection_id(&self) -> Option<u64> {
        self.inner.lock().conn.as_ref().map(|c| c.id)
    }

    /// Whether an agent is connected now.
    pub fn is_connected(&self) -> bool {
        self.inner.lock().conn.is_some()
    }

    /// The link's state for supervisors.
    pub fn view(&self) -> AgentView {
        let inner = self.inner.lock();
        AgentView {
            connected: inner.conn.is_some(),
            since: inner.conn.as_ref().map(|c| c.since),
            last_seen: inner.last_seen,
            reported: inner.reported.clone(),
            queued: inner.pending.len(),
            printed: inner.printed,
            failed: inner.failed,
            last_error: inner.last_error.clone(),
        }
    }
}
