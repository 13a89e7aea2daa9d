//! Live alerts for supervisors: which of the office's thresholds are crossed now, as a
//! pure function of the state, the time, the configuration and what the print service
//! says of the kiosks' printers.
//!
//! The alerts in force are part of the day's state (`OfficeState::alerts`), folded in
//! from `AlertRaised` / `AlertCleared` events, so every process reads the same list with
//! the same `since`, and the report can count them. [`changes`] diffs what holds now
//! against that list; the office's writer runs it (`Command::EvaluateAlerts`), so two
//! processes evaluating at once cannot both raise the same alert: the second decides on a
//! state that already holds the first's event (compare-and-append).

use super::event::Event;
use super::spec::ServiceIdx;
use super::state::{CounterStatus, OfficeState};
use super::ticket::TicketStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The mean general answer below which satisfaction alerts (the protocol's "insatisfecho").
pub const SATISFACTION_FLOOR: f64 = 3.0;
/// Most answers the satisfaction rule may look back on (`alert_satisfaction_answers`).
pub const MAX_SATISFACTION_ANSWERS: u32 = 100;
/// How long a counter may stay paused before it alerts, when the configuration does not say.
pub const DEFAULT_PAUSE_SECONDS_OVER: u32 = 15 * 60;
/// How many latest answers the satisfaction rule averages, when the configuration does
/// not say.
pub const DEFAULT_SATISFACTION_ANSWERS: u32 = 10;

/// The office-wide alert thresholds (`[[offices]]` keys `alert_*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSpec {
    /// A counter paused longer than this alerts (`alert_pause_minutes_over`).
    pub pause_seconds_over: u32,
    /// The satisfaction rule averages this many latest answers of a service
    /// (`alert_satisfaction_answers`); 0 turns it off.
    pub satisfaction_answers: u32,
    /// Where each alert raised and cleared is posted (`alert_webhook_url`), if anywhere.
    pub webhook_url: Option<String>,
}

impl Default for AlertSpec {
    fn default() -> Self {
        AlertSpec {
            pause_seconds_over: DEFAULT_PAUSE_SECONDS_OVER,
            satisfaction_answers: DEFAULT_SATISFACTION_ANSWERS,
            webhook_url: None,
        }
    }
}

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// The longest current wait of a service is over its limit (the target by default).
    WaitOver,
    /// More turns wait for a service than its `alert_waiting_over`.
    WaitingOver,
    /// Turns wait for a service and no open counter serves it.
    NoCounter,
    /// A counter has been paused longer than the office's limit.
    CounterPaused,
    /// A kiosk's printer is out of paper.
    PrinterPaper,
    /// A kiosk's printer does not answer or cannot print (offline, cover open…).
    PrinterOffline,
    /// The mean general answer of a service's latest surveys is below 3.
    SatisfactionLow,
}

impl AlertKind {
    /// Its name in the API (`wait_over`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::WaitOver => "wait_over",
            AlertKind::WaitingOver => "waiting_over",
            AlertKind::NoCounter => "no_counter",
            AlertKind::CounterPaused => "counter_paused",
            AlertKind::PrinterPaper => "printer_paper",
            AlertKind::PrinterOffline => "printer_offline",
            AlertKind::SatisfactionLow => "satisfaction_low",
        }
    }

    fn is_printer(self) -> bool {
        matches!(self, AlertKind::PrinterPaper | AlertKind::PrinterOffline)
    }
}

/// One alert's identity: its kind and what it is about (slugs, as events name things).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Alert {
    /// What.
    pub kind: AlertKind,
    /// The service it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The counter it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<String>,
    /// The kiosk whose printer it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kiosk: Option<String>,
}

/// An alert in force, since it was raised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertInForce {
    /// Which.
    pub alert: Alert,
    /// When it was raised.
    pub since: DateTime<Utc>,
}

/// The figures behind an alert now, for its message.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    /// The longest wait and the limit, in seconds.
    Wait {
        /// Longest current wait.
        seconds: u32,
        /// The limit.
        limit: u32,
    },
    /// Turns waiting and the limit.
    Waiting {
        /// Turns waiting.
        count: u32,
        /// The limit.
        limit: u32,
    },
    /// Turns waiting with no open counter.
    NoCounter {
        /// Turns waiting.
        count: u32,
    },
    /// A pause and how long it has lasted, in seconds.
    Paused {
        /// Seconds paused.
        seconds: u32,
        /// The limit.
        limit: u32,
        /// The reason the agent gave.
        reason: String,
    },
    /// A printer's problem, as the print service words it.
    Printer {
        /// The print service's reason.
        reason: String,
    },
    /// The mean general answer of the latest answers.
    Satisfaction {
        /// The mean, 1–5.
        mean: f64,
        /// How many answers it averages.
        answers: u32,
    },
}

/// An alert that holds now, with its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Which.
    pub alert: Alert,
    /// Its figures now.
    pub detail: Detail,
}

/// What the print service says of one kiosk's printer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterReport {
    /// The kiosk.
    pub kiosk: String,
    /// The kiosk's name, as supervisors read it in the alert.
    pub name: String,
    /// Its problem, if any.
    pub problem: Option<PrinterProblem>,
}

/// A printer problem that alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterProblem {
    /// Out of paper.
    NoPaper(String),
    /// Offline or otherwise unable to print, with the print service's reason.
    Offline(String),
}

/// Every alert that holds for the office at `now`, in a stable order.
pub fn findings(
    state: &OfficeState,
    now: DateTime<Utc>,
    printers: &[PrinterReport],
) -> Vec<Finding> {
    let spec = &state.spec;
    let mut found = Vec::new();
    let about_service = |kind, s: ServiceIdx| Alert {
        kind,
        service: Some(spec.services[s as usize].id.clone()),
        counter: None,
        kiosk: None,
    };
    // The oldest waiting turn of each service: the day's turns are in issue order.
    let mut oldest: Vec<Option<DateTime<Utc>>> = vec![None; spec.services.len()];
    for t in state
        .tickets
        .iter()
        .filter(|t| t.status == TicketStatus::Waiting && !t.placeholder)
    {
        let slot = &mut oldest[t.service as usize];
        if slot.is_none() {
            *slot = Some(t.issued_at);
        }
    }
    for (i, service) in spec.services.iter().enumerate() {
        let s = i as ServiceIdx;
        let (count, _) = state.waiting(s);
        if let Some(issued) = oldest[i] {
            let seconds = (now - issued).num_seconds().max(0) as u32;
            let limit = service
                .alert_wait_seconds_over
                .unwrap_or(service.target_wait_seconds);
            if seconds > limit {
                found.push(Finding {
                    alert: about_service(AlertKind::WaitOver, s),
                    detail: Detail::Wait { seconds, limit },
                });
            }
        }
        if let Some(limit) = service.alert_waiting_over {
            if count > limit {
                found.push(Finding {
                    alert: about_service(AlertKind::WaitingOver, s),
                    detail: Detail::Waiting { count, limit },
                });
            }
        }
        let open = spec
            .counters
            .iter()
            .zip(&state.counters)
            .any(|(c, st)| c.services.contains(&s) && st.status == CounterStatus::Open);
        if count > 0 && !open {
            found.push(Finding {
                alert: about_service(AlertKind::NoCounter, s),
                detail: Detail::NoCounter { count },
            });
        }
        let k = spec.alerts.satisfaction_answers as usize;
        let scores = &state.recent_scores[i];
        if k > 0 && scores.len() >= k {
            let latest = scores.iter().rev().take(k);
            let mean = latest.map(|&x| f64::from(x)).sum::<f64>() / k as f64;
            if mean < SATISFACTION_FLOOR {
                found.push(Finding {
                    alert: about_service(AlertKind::SatisfactionLow, s),
                    detail: Detail::Satisfaction {
                        mean,
                        answers: k as u32,
                    },
                });
            }
        }
    }
    for (c, st) in spec.counters.iter().zip(&state.counters) {
        if let CounterStatus::Paused { reason } = &st.status {
            let seconds = (now - st.since).num_seconds().max(0) as u32;
            let limit = spec.alerts.pause_seconds_over;
            if seconds > limit {
                found.push(Finding {
                    alert: Alert {
                        kind: AlertKind::CounterPaused,
                        service: None,
                        counter: Some(c.id.clone()),
                        kiosk: None,
                    },
                    detail: Detail::Paused {
                        seconds,
                        limit,
                        reason: reason.clone(),
                    },
                });
            }
        }
    }
    for p in printers {
        let (kind, reason) = match &p.problem {
            None => continue,
            Some(PrinterProblem::NoPaper(r)) => (AlertKind::PrinterPaper, r),
            Some(PrinterProblem::Offline(r)) => (AlertKind::PrinterOffline, r),
        };
        found.push(Finding {
            alert: Alert {
                kind,
                service: None,
                counter: None,
                kiosk: Some(p.kiosk.clone()),
            },
            detail: Detail::Printer {
                reason: reason.clone(),
            },
        });
    }
    found.sort_by(|a, b| a.alert.cmp(&b.alert));
    found
}

/// The events that bring the alerts in force in line with what holds at `now`: raise
/// what is new, clear what no longer holds. A printer alert of a kiosk `printers` does
/// not report on is left as it is (another process may drive that printer).
pub fn changes(state: &OfficeState, now: DateTime<Utc>, printers: &[PrinterReport]) -> Vec<Event> {
    let found = findings(state, now, printers);
    let holds = |a: &Alert| found.iter().any(|f| &f.alert == a);
    let reported = |a: &Alert| {
        !a.kind.is_printer()
            || printers
                .iter()
                .any(|p| a.kiosk.as_deref() == Some(&p.kiosk))
    };
    let mut events: Vec<Event> = state
        .alerts
        .iter()
        .filter(|f| reported(&f.alert) && !holds(&f.alert))
        .map(|f| Event::AlertCleared {
            alert: f.alert.clone(),
            at: now,
        })
        .collect();
    events.extend(
        found
            .into_iter()
            .filter(|f| !state.alerts.iter().any(|a| a.alert == f.alert))
            .map(|f| Event::AlertRaised {
                alert: f.alert,
                at: now,
            }),
    );
    events
}

#[cfg(test)]
#[path = "alerts_tests.rs"]
mod tests;
