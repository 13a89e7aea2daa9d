//! What supervisors see of a kiosk's printer (`GET /offices/{office}/printers`), as this
//! process knows it: its own queue's state, or its link to the kiosk's print agent.

use super::{rfc3339, Backend, Kiosk, LastError};
use crate::i18n::es;
use serde::{Deserialize, Serialize};
use turnero_printer::agent::proto::{health_parts, StatusBits};
use turnero_printer::PrinterHealth;

/// A printer's current problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Problem {
    /// Failure code (`paper_out`, `unreachable`, `agent_offline`…).
    pub code: String,
    /// Spanish reason.
    pub reason: String,
}

/// One kiosk printer as `GET /offices/{office}/printers` shows it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = Printer)]
pub struct PrinterJson {
    /// Kiosk id.
    pub kiosk: String,
    /// Kiosk name.
    pub name: String,
    /// `direct` (the server prints) or `agent`.
    pub mode: String,
    /// The printer's address (`tcp://…`; for agents, what the agent reports).
    pub address: String,
    /// `ok`, `error`, `unknown`, or `offline` (agent not connected).
    pub health: String,
    /// The current problem, if any.
    pub problem: Option<Problem>,
    /// Last `DLE EOT` status read, if the printer answers status.
    #[schema(value_type = Option<crate::http::schemas::StatusBits>)]
    pub status: Option<StatusBits>,
    /// Jobs waiting.
    pub queued: usize,
    /// Jobs printed (since the server started; with several processes, ever).
    pub printed: u64,
    /// Jobs failed or expired (likewise).
    pub failed: u64,
    /// The last job failure.
    pub last_error: Option<LastError>,
    /// When health or status last changed (direct) or the agent was last heard (agent).
    pub updated_at: Option<String>,
    /// The agent's connection, for agent kiosks.
    pub agent: Option<AgentJson>,
    /// With several processes: the one that drives this printer now (`null`: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served_by: Option<String>,
}

/// An agent's connection.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = PrinterAgent)]
pub struct AgentJson {
    /// Whether it is connected now.
    pub connected: bool,
    /// Since when.
    pub since: Option<String>,
    /// Last heard from.
    pub last_seen: Option<String>,
}

/// The printer's current problem, from its health.
pub fn problem(health: &PrinterHealth) -> Option<Problem> {
    match health {
        PrinterHealth::Error(f) => Some(Problem {
            code: f.code.to_string(),
            reason: f.reason.clone(),
        }),
        _ => None,
    }
}

/// The kiosk's printer as this process sees it.
pub fn local(k: &Kiosk) -> PrinterJson {
    match &k.backend {
        Backend::Direct(direct) => {
            let Some(queue) = direct.queue.get() else {
                // With several processes, only the kiosk's owner drives its printer.
                return unowned(k);
            };
            let s = queue.state();
            let (health, _, _) = health_parts(&s.health);
            PrinterJson {
                kiosk: k.spec.id.clone(),
                name: k.spec.name.clone(),
                mode: "direct".into(),
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
                served_by: None,
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
                mode: "agent".into(),
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
                served_by: None,
            }
        }
    }
}

/// The kiosk's printer when no process drives it: an agent connected nowhere, or a
/// printer whose owner's lease ran out.
pub fn unowned(k: &Kiosk) -> PrinterJson {
    let (mode, address, health, problem, agent) = match &k.backend {
        Backend::Direct(direct) => (
            "direct",
            direct.address.to_string(),
            "unknown",
            Problem {
                code: "no_owner".into(),
                reason: es::PRINT_NO_OWNER.into(),
            },
            None,
        ),
        Backend::Agent { .. } => (
            "agent",
            "agent".to_owned(),
            "offline",
            Problem {
                code: "agent_offline".into(),
                reason: es::AGENT_OFFLINE.into(),
            },
            Some(AgentJson {
                connected: false,
                since: None,
                last_seen: None,
            }),
        ),
    };
    PrinterJson {
        kiosk: k.spec.id.clone(),
        name: k.spec.name.clone(),
        mode: mode.into(),
        address,
        health: health.into(),
        problem: Some(problem),
        status: None,
        queued: 0,
        printed: 0,
        failed: 0,
        last_error: k.last_error.lock().clone(),
        updated_at: None,
        agent,
        served_by: None,
    }
}
