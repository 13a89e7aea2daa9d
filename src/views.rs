//! The public JSON shapes of API.md (Ticket, Call, counter, waiting), built from domain
//! state. Shared by the HTTP handlers and the lobby feed so both say the same thing.

use crate::domain::state::{CallRecord, CounterState, CounterStatus, OfficeState};
use crate::domain::{Language, OfficeSpec, TicketView};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

/// An instant as RFC 3339 with the office's UTC offset.
pub fn local_time(spec: &OfficeSpec, at: DateTime<Utc>) -> String {
    at.with_timezone(&spec.timezone)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// API.md's Ticket.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
#[schema(as = Ticket)]
pub struct TicketJson {
    /// Opaque handle.
    pub token: String,
    /// What people read (`A-023`).
    pub code: String,
    /// The number.
    pub number: u32,
    /// Office id.
    pub office: String,
    /// Service id it waits for now.
    pub service: String,
    /// Service name.
    pub service_name: String,
    /// Category id.
    pub category: String,
    /// Category label.
    pub category_label: String,
    /// Whether preferential.
    pub preferential: bool,
    /// Status.
    #[schema(value_type = crate::http::schemas::TicketStatusName)]
    pub status: &'static str,
    /// Issue time.
    pub issued_at: String,
    /// Last call time.
    pub called_at: Option<String>,
    /// Counter id.
    pub counter: Option<String>,
    /// Counter name.
    pub counter_name: Option<String>,
    /// Turns called before this one (while waiting).
    pub position: Option<u32>,
    /// Expected wait (while waiting).
    pub estimated_wait_seconds: Option<u32>,
    /// The language the citizen chose when taking it (`es`, `en`…; the office's own when
    /// none was chosen).
    #[schema(value_type = crate::http::schemas::LanguageCode)]
    pub language: Language,
    /// Whether the turn is near (waiting, within the office's `notify_at_position` or
    /// `notify_at_minutes`): time to come back to the lobby.
    pub near: bool,
    /// Times recalled at the current call.
    pub recalls: u16,
    /// Whether the citizen already asked for a few minutes ("voy en camino", once a turn).
    pub snoozed: bool,
    /// The turns a called citizen may let go by, once, with `POST …/snooze` (the office's
    /// `snooze_turns`; 0: not offered).
    pub snooze_turns: u32,
    /// The citizen's page (what the QR holds).
    pub status_url: String,
}

impl CounterJson {
    /// Completes the link of the current turn with `base` where it was built without
    /// one (by the engine, which answers commands and knows no request).
    pub fn rebase(mut self, base: &str) -> Self {
        if let Some(current) = &mut self.current {
            if current.status_url.starts_with('/') {
                current.status_url = format!("{base}{}", current.status_url);
            }
        }
        self
    }
}

/// Whom a ticket is shown to: where its links lead and the language of its names.
#[derive(Debug, Clone, Copy)]
pub struct Audience<'a> {
    /// The base of links (the server's public URL or the address the request came to),
    /// unless the office has its own `public_base_url`.
    pub base: &'a str,
    /// The language of the service's and category's names, and of the citizen's page the
    /// link opens.
    pub language: Language,
}

impl<'a> Audience<'a> {
    /// An audience reached under `base`, in `language`.
    pub fn new(base: &'a str, language: Language) -> Self {
        Audience { base, language }
    }
}

/// Builds a Ticket for `to`. Its `status_url` is under the office's own
/// `public_base_url`, else under the audience's base; it names the language (`?lang=en`)
/// when that is not the office's own, so the citizen's page opens in the language chosen
/// at the kiosk.
pub fn ticket(spec: &OfficeSpec, view: &TicketView, to: &Audience) -> TicketJson {
    let t = &view.ticket;
    let service = &spec.services[t.service as usize];
    let category = &spec.categories[t.category as usize];
    let counter = t.counter.map(|c| &spec.counters[c as usize]);
    let token = t.token.to_string();
    let language = if spec.own_language() == to.language {
        String::new()
    } else {
        format!("?lang={}", to.language.code())
    };
    TicketJson {
        status_url: format!(
            "{}/t/{}{language}",
            spec.public_base_url.as_deref().unwrap_or(to.base),
            token
        ),
        token,
        code: spec.code(t.code_service, t.number),
        number: t.number,
        office: spec.id.clone(),
        service: service.id.clone(),
        service_name: service.name_in(to.language).to_owned(),
        category: category.id.clone(),
        category_label: category.label_in(to.language).to_owned(),
        preferential: t.preferential,
        status: t.status.as_str(),
        issued_at: local_time(spec, t.issued_at),
        called_at: t.called_at.map(|at| local_time(spec, at)),
        counter: counter.map(|c| c.id.clone()),
        counter_name: counter.map(|c| c.name.clone()),
        position: view.position,
        estimated_wait_seconds: view.estimated_wait_seconds,
        language: t.language.unwrap_or_else(|| spec.own_language()),
        near: match (view.position, view.estimated_wait_seconds) {
            (Some(position), Some(wait)) => spec.near.is_near(position, wait),
            _ => false,
        },
        recalls: t.recalls,
        snoozed: t.snoozed,
        snooze_turns: spec.policy.snooze_turns,
    }
}

/// API.md's Call.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
#[schema(as = Call)]
pub struct CallJson {
    /// Turn code.
    pub code: String,
    /// Service id.
    pub service: String,
    /// Service name.
    pub service_name: String,
    /// Counter id.
    pub counter: String,
    /// Counter name.
    pub counter_name: String,
    /// Whether preferential.
    pub preferential: bool,
    /// Whether a recall.
    pub recall: bool,
    /// When.
    pub at: String,
}

/// Builds a Call.
pub fn call(state: &OfficeState, record: &CallRecord) -> CallJson {
    let spec = &state.spec;
    let t = &state.tickets[record.seq as usize];
    let service = &spec.services[t.service as usize];
    let counter = &spec.counters[record.counter as usize];
    CallJson {
        code: spec.code(t.code_service, t.number),
        service: service.id.clone(),
        service_name: service.name.clone(),
        counter: counter.id.clone(),
        counter_name: counter.name.clone(),
        preferential: t.preferential,
        recall: record.recall,
        at: local_time(spec, record.at),
    }
}

/// Waiting turns of one service.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
#[schema(as = Waiting)]
pub struct WaitingJson {
    /// Service id.
    pub service: String,
    /// Turns waiting.
    pub count: u32,
    /// Of which preferential.
    pub preferential: u32,
}

/// Waiting counts of every service, in configuration order.
pub fn waiting(state: &OfficeState) -> Vec<WaitingJson> {
    state
        .spec
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (count, preferential) = state.waiting(i as u16);
            WaitingJson {
                service: s.id.clone(),
                count,
                preferential,
            }
        })
        .collect()
}

/// A counter as agents and screens see it.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
#[schema(as = Counter)]
pub struct CounterJson {
    /// Counter id.
    pub id: String,
    /// Counter name.
    pub name: String,
    /// `closed`, `open`, `calling`, `serving` or `paused`.
    #[schema(value_type = crate::http::schemas::CounterStateName)]
    pub state: &'static str,
    /// Service ids it serves.
    pub services: Vec<String>,
    /// The turn called to it or being served.
    pub current: Option<TicketJson>,
    /// The agent holding it.
    pub agent: Option<String>,
    /// Pause reason while paused.
    pub pause_reason: Option<String>,
    /// When the state last changed.
    pub since: String,
}

/// Builds a counter; its current turn's link is under `base` (see [`ticket`]).
pub fn counter(state: &OfficeState, idx: u16, now: DateTime<Utc>, base: &str) -> CounterJson {
    let spec = &state.spec;
    let c: &CounterState = &state.counters[idx as usize];
    let cs = &spec.counters[idx as usize];
    CounterJson {
        id: cs.id.clone(),
        name: cs.name.clone(),
        state: c.state_name(&state.tickets),
        services: cs
            .services
            .iter()
            .map(|&s| spec.services[s as usize].id.clone())
            .collect(),
        current: c.current.map(|seq| {
            ticket(
                spec,
                &state.view(seq, now),
                &Audience::new(base, spec.own_language()),
            )
        }),
        agent: c.agent.clone(),
        pause_reason: match &c.status {
            CounterStatus::Paused { reason } => Some(reason.clone()),
            _ => None,
        },
        since: local_time(spec, c.since),
    }
}
