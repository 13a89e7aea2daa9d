//! The alerts as API.md shows them: `{"kind", "service", "counter", "kiosk", "since",
//! "message"}`, the message in the reader's language with today's figures.

use crate::domain::alerts::{findings, PrinterReport};
use crate::domain::{Language, OfficeState};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One alert in force.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
#[schema(as = Alert)]
pub struct AlertJson {
    /// `wait_over`, `waiting_over`, `no_counter`, `counter_paused`, `printer_paper`,
    /// `printer_offline` or `satisfaction_low`.
    pub kind: &'static str,
    /// The service it is about.
    pub service: Option<String>,
    /// The counter it is about.
    pub counter: Option<String>,
    /// The kiosk whose printer it is about.
    pub kiosk: Option<String>,
    /// When it was raised (the office's offset).
    pub since: String,
    /// What is wrong, with its figures now, in the request's language.
    pub message: String,
}

/// The alerts in force, oldest first, worded with what holds at `now`.
pub fn alerts(
    state: &OfficeState,
    printers: &[PrinterReport],
    now: DateTime<Utc>,
    language: Language,
) -> Vec<AlertJson> {
    let spec = &state.spec;
    let found = findings(state, now, printers);
    state
        .alerts
        .iter()
        .map(|a| {
            let about = match (&a.alert.service, &a.alert.counter, &a.alert.kiosk) {
                (Some(s), _, _) => spec.service_idx(s).map_or(s.clone(), |i| {
                    spec.services[i as usize].name_in(language).to_owned()
                }),
                (_, Some(c), _) => spec
                    .counter_idx(c)
                    .map_or(c.clone(), |i| spec.counters[i as usize].name.clone()),
                (_, _, Some(k)) => printers
                    .iter()
                    .find(|p| &p.kiosk == k && !p.name.is_empty())
                    .map_or(k.clone(), |p| p.name.clone()),
                _ => String::new(),
            };
            let detail = found.iter().find(|f| f.alert == a.alert).map(|f| &f.detail);
            AlertJson {
                kind: a.alert.kind.as_str(),
                service: a.alert.service.clone(),
                counter: a.alert.counter.clone(),
                kiosk: a.alert.kiosk.clone(),
                since: crate::views::local_time(spec, a.since),
                message: crate::in_language!(language, |m| m::alert_message(
                    a.alert.kind,
                    &about,
                    detail
                )),
            }
        })
        .collect()
}
