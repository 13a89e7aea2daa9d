//! The supervisor ahead of the queue: live alerts and the staffing forecast, around the
//! domain's pure rules (`domain::alerts`, `domain::forecast`).
//!
//! One task per office (`watch`) evaluates the alerts on every change the office's feed
//! tells of and every [`TICK`] (waits grow without events): it sends
//! `Command::EvaluateAlerts` with what the print service says of the kiosks' printers, so
//! the writer appends `AlertRaised` / `AlertCleared` when the set changes. When the set
//! in force changes (here or on another process: the `Alerts` feed message), it pushes
//! `{"type":"alerts","alerts":[…]}` to the supervisors' streams and posts each raise and
//! clear to the office's `alert_webhook_url` (`webhook.rs`). Each quarter hour it records
//! the forecast (`ForecastMade`) for the report's forecast-vs-actual section.

pub mod arrivals;
pub mod forecast;
pub mod view;
mod webhook;

use crate::domain::alerts::{AlertInForce, PrinterProblem, PrinterReport};
use crate::domain::Command;
use crate::engine::{Engine, OfficeHandle};
use crate::printing::PrintService;
use bytestring::ByteString;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// How often alerts are evaluated when nothing happens.
pub const TICK: Duration = Duration::from_secs(15);
/// The least time between two evaluations (a burst of changes is one evaluation).
const MIN_GAP: Duration = Duration::from_millis(200);

/// Alerts and forecasts of every office, for one process.
pub struct Supervision {
    engine: Arc<Engine>,
    printing: Arc<PrintService>,
    notifier: Arc<crate::notify::Notifier>,
    streams: HashMap<String, broadcast::Sender<ByteString>>,
    /// Past days' arrivals, per office and day (read once per day).
    pub arrivals: Arc<arrivals::History>,
}

impl Supervision {
    /// The supervision of every office of `engine`; nothing runs until [`Supervision::start`].
    pub fn new(
        engine: Arc<Engine>,
        printing: Arc<PrintService>,
        notifier: Arc<crate::notify::Notifier>,
    ) -> Supervision {
        let streams = engine
            .offices()
            .iter()
            .map(|o| (o.spec.id.clone(), broadcast::channel(64).0))
            .collect();
        Supervision {
            engine,
            printing,
            notifier,
            streams,
            arrivals: Default::default(),
        }
    }

    /// Starts one watcher per office; they stop when `shutdown` turns true.
    pub fn start(self: &Arc<Self>, shutdown: tokio::sync::watch::Receiver<bool>) {
        for office in self.engine.offices() {
            tokio::spawn(self.clone().watch(office.clone(), shutdown.clone()));
        }
    }

    /// Follows the alerts pushed to an office's supervisors.
    pub fn subscribe(&self, office: &str) -> Option<broadcast::Receiver<ByteString>> {
        self.streams.get(office).map(|s| s.subscribe())
    }

    /// What the print service says of an office's kiosk printers, as alert facts.
    pub async fn printer_reports(&self, office: &str) -> Vec<PrinterReport> {
        self.printing
            .printers(office)
            .await
            .into_iter()
            .map(|p| {
                let problem = match (p.health.as_str(), &p.problem) {
                    (_, Some(problem)) if problem.code == "paper_out" => {
                        Some(PrinterProblem::NoPaper(problem.reason.clone()))
                    }
                    (_, Some(problem)) => Some(PrinterProblem::Offline(problem.reason.clone())),
                    ("offline", None) => Some(PrinterProblem::Offline(String::new())),
                    _ => None,
                };
                PrinterReport {
                    kiosk: p.kiosk,
                    name: p.name,
                    problem,
                }
            })
            .collect()
    }

    /// Brings the office's alerts in force up to date now; returns the printers' facts
    /// it used. A refusal (the office cannot write now) leaves the alerts as they were.
    pub async fn evaluate(&self, office: &OfficeHandle) -> Vec<PrinterReport> {
        let printers = self.printer_reports(&office.spec.id).await;
        let command = Command::EvaluateAlerts {
            printers: printers.clone(),
        };
        if let Err(e) = office.execute(command).await {
            tracing::debug!(office = %office.spec.id, error = %e, "alerts not evaluated");
        }
        printers
    }

    async fn watch(
        self: Arc<Self>,
        office: Arc<OfficeHandle>,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
        let mut feed = office.subscribe();
        let mut tick = tokio::time::interval(TICK);
        let mut sent: Vec<AlertInForce> = Vec::new();
        let mut forecast_slot = None;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                event = feed.recv() => match event {
                    Err(broadcast::error::RecvError::Closed) => break,
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                },
                _ = shutdown.changed() => break,
            }
            if *shutdown.borrow() {
                break;
            }
            tokio::time::sleep(MIN_GAP).await;
            // Whatever came meanwhile is covered by this evaluation.
            while feed.try_recv().is_ok() {}
            let printers = self.evaluate(&office).await;
            let now = self.engine.now();
            let in_force = office.read(|s| s.alerts.clone());
            if in_force != sent {
                self.push(&office, &printers, now);
                webhook::changes(&self.notifier, &office, &sent, &in_force, now);
                sent = in_force;
            }
            let slot = now
                .timestamp()
                .div_euclid(crate::domain::decide::FORECAST_EVERY_SECONDS);
            if forecast_slot != Some(slot) {
                forecast_slot = Some(slot);
                self.record_forecast(&office).await;
            }
        }
    }

    fn push(
        &self,
        office: &OfficeHandle,
        printers: &[PrinterReport],
        now: chrono::DateTime<chrono::Utc>,
    ) {
        let Some(stream) = self.streams.get(&office.spec.id) else {
            return;
        };
        let language = office.spec.own_language();
        let alerts = office.read(|s| view::alerts(s, printers, now, language));
        let message = serde_json::json!({"type": "alerts", "alerts": alerts}).to_string();
        let _ = stream.send(message.into());
    }

    async fn record_forecast(&self, office: &Arc<OfficeHandle>) {
        let Ok(result) = forecast::compute(self, office).await else {
            return;
        };
        let services = result
            .iter()
            .map(|f| {
                (
                    office.spec.services[f.service as usize].id.clone(),
                    f.outlook
                        .expected_wait
                        .map_or(u32::MAX, |w| w.round() as u32),
                    (f.outlook.within_target * 1000.0).round() as u16,
                    f.counters as u16,
                )
            })
            .collect();
        let _ = office.execute(Command::RecordForecast { services }).await;
    }
}
