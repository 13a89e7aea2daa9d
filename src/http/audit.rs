//! The audit trail: every staff action that changes something — sign-in and sign-out, a
//! counter taken over, a call out of order, a no-show undone, a bulk cancel, a reprint —
//! is a `StaffAction` line in the office's log with who and from where, written in the
//! same batch as the change. Supervisors list a day's lines by user and kind
//! (`GET /api/v1/offices/{office}/audit`).

use super::auth::Session;
use super::error::ApiError;
use super::extract::OfficePath;
use super::schemas::ErrorBody;
use super::AppState;
use crate::domain::schedule::local_day;
use crate::domain::{AuditAction, AuditEntry, Command, Event, LogEntry};
use crate::engine::OfficeHandle;
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// The trail's line for `session` doing `action` about `detail`.
pub fn entry(session: &Session, action: AuditAction, detail: impl Into<String>) -> AuditEntry {
    AuditEntry {
        user: session.0.username.clone(),
        action,
        detail: detail.into(),
        address: super::client::bucket(session.1).to_string(),
    }
}

/// `command`, with its line of the trail in the same batch.
pub fn audited(command: Command, entry: AuditEntry) -> Command {
    Command::Audited {
        command: Box::new(command),
        entry,
    }
}

/// Writes a line of the trail alone (an action that changes no turn). A store that
/// fails is logged: the action itself has happened.
pub async fn record(office: &OfficeHandle, entry: AuditEntry) {
    let action = entry.action.as_str();
    if let Err(e) = office.execute(Command::Record { entry }).await {
        tracing::warn!(office = %office.spec.id, action, error = %e, "audit line not written");
    }
}

/// Writes `action` of `session`'s user in the trail of every office they may act on (an
/// agent's own; a supervisor's or admin's with no office, every office).
pub async fn record_in_offices(state: &AppState, session: &Session, action: AuditAction) {
    let detail = session.0.role.as_str();
    for office in state.engine.offices() {
        let theirs = match session.0.office.as_deref() {
            Some(own) => own == office.spec.id,
            None => true,
        };
        if theirs {
            record(office, entry(session, action, detail)).await;
        }
    }
}

/// The audit trail's line of a counter action that the trail keeps: a take-over (from
/// whom), a call out of order (which turn), a no-show taken back.
pub fn of_counter_action(
    o: &crate::engine::OfficeHandle,
    session: &Session,
    counter: &str,
    action: &crate::domain::CounterAction,
) -> Option<crate::domain::AuditEntry> {
    use crate::domain::AuditAction;
    let (kind, detail) = match action {
        crate::domain::CounterAction::TakeOver => {
            let holder = o.read(|s| {
                let c = s.spec.counters.iter().position(|c| c.id == counter)?;
                s.counters[c].agent.clone()
            });
            let detail = match holder {
                Some(agent) => format!("{counter} (de {agent})"),
                None => counter.to_owned(),
            };
            (AuditAction::TakeOver, detail)
        }
        crate::domain::CounterAction::Call { code, reason, note } => {
            let why = match (reason, note) {
                (Some(r), Some(n)) => format!(" ({r}: {n})"),
                (Some(r), None) => format!(" ({r})"),
                _ => String::new(),
            };
            (
                AuditAction::OutOfOrderCall,
                format!("{code} en {counter}{why}"),
            )
        }
        crate::domain::CounterAction::UndoNoShow => (AuditAction::NoShowUndone, counter.to_owned()),
        _ => return None,
    };
    Some(entry(session, kind, detail))
}

/// Query of `GET /audit`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The local day, YYYY-MM-DD (default, or empty: today).
    #[param(schema_with = super::report::day_or_empty)]
    day: Option<String>,
    /// Only this user's actions.
    user: Option<String>,
    /// Only this kind: `sign_in`, `sign_out`, `take_over`, `out_of_order_call`,
    /// `no_show_undone`, `bulk_cancel`, `reprint` (empty: every kind).
    #[param(schema_with = action_or_empty)]
    action: Option<String>,
}

/// An action's name, or the empty string for every kind.
fn action_or_empty() -> utoipa::openapi::Object {
    let mut names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
    names.push("");
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(names))
        .build()
}

/// One line of the trail.
#[derive(Serialize, ToSchema)]
pub struct AuditLine {
    /// When, in the office's time.
    at: String,
    /// The username.
    user: String,
    /// What kind of action.
    #[schema(example = "out_of_order_call")]
    action: &'static str,
    /// What it was about.
    detail: String,
    /// The client address it came from (an IPv6 client by its /64).
    address: String,
}

/// `GET /api/v1/offices/{office}/audit?day=YYYY-MM-DD[&user=…][&action=…]`: the day's
/// staff actions, oldest first.
#[utoipa::path(get, path = "/api/v1/offices/{office}/audit", tag = "supervisors",
    params(("office" = String, Path, description = "Office id."), AuditQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The day's staff actions, oldest first.", body = [AuditLine]),
        (status = 400, description = "`invalid_date` or `invalid_query` (an unknown action).", body = ErrorBody),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: agents, or another office's supervisor.", body = ErrorBody),
        (status = 404, description = "`office_not_found`.", body = ErrorBody),
    ))]
pub async fn list(
    state: web::Data<AppState>,
    session: Session,
    o: OfficePath,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    session.must_supervise()?;
    session.may_operate(&o.spec.id)?;
    let today = local_day(o.spec.timezone, state.engine.now());
    let day = super::extract::day_param(query.day.as_deref(), today)?;
    let action = match query.action.as_deref().filter(|a| !a.is_empty()) {
        None => None,
        Some(name) => Some(
            AuditAction::from_name(name)
                .ok_or_else(|| ApiError::UnknownAuditAction(name.to_owned()))?,
        ),
    };
    let events = day_events(&state, &o.0, day).await?;
    let spec = &o.spec;
    let lines: Vec<AuditLine> = events
        .into_iter()
        .filter_map(|e| match e {
            Event::StaffAction { entry, at } => Some((entry, at)),
            _ => None,
        })
        .filter(|(e, _)| {
            query
                .user
                .as_deref()
                .is_none_or(|u| u.is_empty() || e.user == u)
        })
        .filter(|(e, _)| action.is_none_or(|a| e.action == a))
        .map(|(e, at)| AuditLine {
            at: at.with_timezone(&spec.timezone).to_rfc3339(),
            user: e.user,
            action: e.action.as_str(),
            detail: e.detail,
            address: e.address,
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(lines))
}

/// The events of one of the office's days (none for a day without a log).
async fn day_events(
    state: &AppState,
    o: &Arc<OfficeHandle>,
    day: NaiveDate,
) -> Result<Vec<Event>, ApiError> {
    let store = state.engine.store().clone();
    let office = o.spec.id.clone();
    web::block(move || {
        if !store.days(&office)?.contains(&day) {
            return Ok(Vec::new());
        }
        store.read(&office, day)
    })
    .await
    .map_err(|_| ApiError::Overloaded)?
    .map(|entries| {
        entries
            .into_iter()
            .filter_map(|e| match e {
                LogEntry::Event(e) => Some(e),
                _ => None,
            })
            .collect()
    })
    .map_err(|e: crate::store::StoreError| {
        tracing::error!(error = %e, "could not read a log for the audit trail");
        ApiError::StoreUnavailable
    })
}
