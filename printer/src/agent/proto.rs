//! The print agent's WebSocket messages, JSON with a `type` tag, shared by the server and
//! the agent so both read and write the same shapes.
//!
//! Server → agent: [`ServerMessage::Welcome`] once, then one [`ServerMessage::Job`] per
//! job (again after every reconnection while the job is unconfirmed and not expired).
//! Agent → server: [`AgentMessage::Status`] on connecting and whenever the printer's
//! state changes, [`AgentMessage::Result`] once per job it was sent (again if the server
//! sends the job again: the agent answers from memory and does not print twice).

use serde::{Deserialize, Serialize};

use crate::spool::{PrinterHealth, PrinterState};
use crate::status::PrinterStatus;

/// What the server sends to a print agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The connection is accepted for this office's kiosk.
    Welcome {
        /// Office id.
        office: String,
        /// Kiosk id.
        kiosk: String,
    },
    /// A ticket to print.
    Job {
        /// Unique job id, to confirm with [`AgentMessage::Result`].
        id: String,
        /// The turn code, for logs.
        code: String,
        /// The ESC/POS bytes, standard base64.
        bytes_base64: String,
        /// When the job expires (RFC 3339), for people and logs.
        expires_at: String,
        /// Milliseconds the job has left as it is sent: the agent counts its deadline
        /// from receipt with its own clock, so a kiosk PC whose clock is off still drops
        /// stale tickets on time.
        ttl_ms: u64,
    },
}

/// What a print agent sends to the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AgentMessage {
    /// The final outcome of one job.
    Result {
        /// The job's id.
        id: String,
        /// Whether it printed.
        ok: bool,
        /// Failure code (`paper_out`, `expired`…), when not printed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        /// Spanish reason, when not printed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Attempts it took, when printed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attempts: Option<u32>,
    },
    /// The local printer's state.
    Status(AgentStatus),
}

/// The local printer's state as an agent reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentStatus {
    /// `ok`, `error` or `unknown`.
    pub health: String,
    /// Failure code of the last problem, while `health` is `error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Spanish reason of the last problem, while `health` is `error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The last status the printer answered, if it answers status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusBits>,
    /// Where the agent prints (`file:/dev/usb/lp0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printer: Option<String>,
    /// Jobs waiting in the agent's queue.
    #[serde(default)]
    pub queued: u32,
}

impl AgentStatus {
    /// The report of a printer queue's state.
    pub fn from_state(state: &PrinterState) -> Self {
        let (health, code, reason) = health_parts(&state.health);
        Self {
            health: health.to_owned(),
            code,
            reason,
            status: state.status.as_ref().map(StatusBits::from),
            printer: Some(state.address.clone()),
            queued: u32::try_from(state.queued).unwrap_or(u32::MAX),
        }
    }
}

/// `ok`, `error` or `unknown`, with the error's code and reason.
pub fn health_parts(health: &PrinterHealth) -> (&'static str, Option<String>, Option<String>) {
    match health {
        PrinterHealth::Unknown => ("unknown", None, None),
        PrinterHealth::Ok => ("ok", None, None),
        PrinterHealth::Error(f) => ("error", Some(f.code.to_string()), Some(f.reason.clone())),
    }
}

/// A printer's `DLE EOT` status as plain flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusBits {
    /// Ready to print.
    pub online: bool,
    /// No paper.
    pub paper_out: bool,
    /// The roll is near its end.
    pub paper_near_end: bool,
    /// The cover is open.
    pub cover_open: bool,
    /// Cutter, mechanical or other error.
    pub error: bool,
}

impl From<&PrinterStatus> for StatusBits {
    fn from(s: &PrinterStatus) -> Self {
        Self {
            online: s.online,
            paper_out: s.paper_out,
            paper_near_end: s.paper_near_end,
            cover_open: s.cover_open,
            error: s.cutter_error || s.unrecoverable_error || s.auto_recoverable_error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_have_the_documented_shape() {
        let job = ServerMessage::Job {
            id: "j1".into(),
            code: "A-001".into(),
            bytes_base64: "Gw==".into(),
            expires_at: "2025-03-05T09:42:00Z".into(),
            ttl_ms: 60_000,
        };
        let json = serde_json::to_value(&job).unwrap();
        assert_eq!(json["type"], "job");
        assert_eq!(json["bytes_base64"], "Gw==");
        let result: AgentMessage = serde_json::from_str(
            r#"{"type":"result","id":"j1","ok":false,"code":"paper_out","reason":"x"}"#,
        )
        .unwrap();
        assert_eq!(
            result,
            AgentMessage::Result {
                id: "j1".into(),
                ok: false,
                code: Some("paper_out".into()),
                reason: Some("x".into()),
                attempts: None
            }
        );
        let status: AgentMessage =
            serde_json::from_str(r#"{"type":"status","health":"ok"}"#).unwrap();
        assert!(matches!(status, AgentMessage::Status(s) if s.health == "ok" && s.queued == 0));
    }
}
