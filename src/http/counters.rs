//! Routes for agents at counters: open, call, recall, start, finish, no-show, transfer,
//! call by code, pause, resume, close. All need a session allowed on the office.

use super::auth::Session;
use super::error::ApiError;
use super::extract::{local_now, office};
use super::links::LinkBase;
use super::schemas::ErrorBody;
use super::AppState;
use crate::domain::{Command, CounterAction, DomainError, Subject};
use crate::views;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Body of `POST transfer`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    /// The service to send the turn to.
    service: String,
}

/// Body of `POST call`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallBody {
    /// The code of a waiting turn, e.g. `A-023`.
    code: String,
    /// Why it is called out of order: the id of one of the office's reasons
    /// (`GET …/call-reasons`). Required.
    #[serde(default)]
    reason: Option<String>,
    /// Free text, up to 200 characters (required for `otro`).
    #[serde(default)]
    note: Option<String>,
}

/// Body of `POST pause`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PauseBody {
    /// Why, in a few words.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    reason: String,
}

type CounterPath = web::Path<(String, String)>;

/// The path of every counter route, as the OpenAPI document describes it once.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // read by the document only; handlers take `CounterPath`
pub struct CounterParams {
    /// Office id.
    office: String,
    /// Counter id.
    counter: String,
}

async fn act(
    state: &AppState,
    session: &Session,
    path: &(String, String),
    base: &str,
    action: CounterAction,
) -> Result<HttpResponse, ApiError> {
    let (office_id, counter) = path;
    let o = office(state, office_id)?;
    session.may_operate(office_id)?;
    let returns_ticket = !matches!(
        action,
        CounterAction::Open
            | CounterAction::TakeOver
            | CounterAction::Pause { .. }
            | CounterAction::Resume
            | CounterAction::Close
    );
    let now = local_now(o);
    let audit = super::audit::of_counter_action(o, session, counter, &action);
    let command = Command::Counter {
        counter: counter.clone(),
        agent: session.0.username.clone(),
        action,
    };
    let command = match audit {
        Some(entry) => super::audit::audited(command, entry),
        None => command,
    };
    let outcome = o
        .execute(command)
        .await
        .map_err(|e| ApiError::from_engine(e, now))?;
    match (outcome.subject, returns_ticket) {
        (Subject::Nothing, _) => Ok(HttpResponse::NoContent().finish()),
        (_, true) => match outcome.ticket {
            Some(view) => Ok(HttpResponse::Ok().json(views::ticket(
                &o.spec,
                &view,
                &views::Audience::new(base, super::language::current_for(&o.spec)),
            ))),
            None => Err(ApiError::StoreUnavailable),
        },
        (_, false) => match outcome.counter {
            Some(c) => Ok(HttpResponse::Ok().json(c.rebase(base))),
            None => Err(ApiError::StoreUnavailable),
        },
    }
}

/// Body of `POST open` (optional).
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenBody {
    /// A supervisor or admin takes the counter from the agent holding it.
    #[serde(default)]
    take_over: bool,
}

/// `POST open`: the agent takes the counter; `{"take_over": true}`: a supervisor or admin
/// takes it from the agent holding it (recorded as an event; that agent's console sees
/// it on its next look).
#[utoipa::path(post, path = "/api/v1/offices/{office}/counters/{counter}/open", tag = "agents",
    params(CounterParams),
    request_body(content = Option<OpenBody>, content_type = "application/json",
        description = "Optional; an empty body opens the counter."),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The counter.", body = crate::views::CounterJson),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent of another office.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `counter_not_found`.", body = ErrorBody),
        (status = 409, description = "`agent_has_counter`, `counter_taken`.", body = ErrorBody),
    ))]
pub async fn open(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    link: LinkBase,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let body: OpenBody = super::extract::optional_body(&body)?;
    let action = if body.take_over {
        session.must_supervise()?;
        tracing::info!(office = %path.0, counter = %path.1, by = %session.0.username, "counter taken over");
        CounterAction::TakeOver
    } else {
        CounterAction::Open
    };
    act(&state, &session, &path, &link.0, action).await
}

/// `POST call-next`: 200 Ticket, or 204 when nobody waits.
#[utoipa::path(post, path = "/api/v1/offices/{office}/counters/{counter}/call-next", tag = "agents",
    params(CounterParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The turn.", body = crate::views::TicketJson),
        (status = 204, description = "Nobody waits."),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent of another office.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `counter_not_found`.", body = ErrorBody),
        (status = 409, description = "`counter_closed`, `counter_paused`, `counter_busy` (a turn is still called or served), `counter_taken`.", body = ErrorBody),
    ))]
pub async fn call_next(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    link: LinkBase,
) -> Result<HttpResponse, ApiError> {
    act(&state, &session, &path, &link.0, CounterAction::CallNext).await
}

/// `POST recall`: calls the current turn again.
#[utoipa::path(post, path = "/api/v1/offices/{office}/counters/{counter}/recall", tag = "agents",
    params(CounterParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The turn.", body = crate::views::TicketJson),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent of another office.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `counter_not_found`.", body = ErrorBody),
        (status = 409, description = "`no_current_turn`, `already_serving`, `counter_closed`, `counter_taken`.", body = ErrorBody),
    ))]
pub async fn recall(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    link: LinkBase,
) -> Result<HttpResponse, ApiError> {
    act(&state, &session, &path, &link.0, CounterAction::Recall).await
}

/// `POST start`: the citizen arrived.
#[utoipa::path(post, path = "/api/v1/offices/{office}/counters/{counter}/start", tag = "agents",
    params(CounterParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The turn.", body = crate::views::TicketJson),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent of another office.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `counter_not_found`.", body = ErrorBody),
        (status = 409, description = "`no_current_turn`, `already_serving`, `counter_closed`, `counter_taken`.", body = ErrorBody),
    ))]
pub async fn start(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    link: LinkBase,
) -> Result<HttpResponse, ApiError> {
    act(&state, &session, &path, &link.0, CounterAction::Start).await
}

/// `POST finish`: the attention ended.
#[utoipa::path(post, path = "/api/v1/offices/{office}/counters/{counter}/finish", tag = "agents",
    params(CounterParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The turn.", body = crate::views::TicketJson),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent of another office.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `counter_not_found`.", body = ErrorBody),
        (status = 409, description = "`no_current_turn`, `recall_required`, `counter_closed`, `counter_taken`.", body = ErrorBody),
    ))]
pub async fn finish(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    link: LinkBase,
) -> Result<HttpResponse, ApiError> {
    act(&state, &session, &path, &link.0, CounterAction::Finish).await
}

/// `POST no-show`: the citizen did not come.
#[utoipa::path(post, path = "/api/v1/offices/{office}/counters/{counter}/no-show", tag = "agents",
    params(CounterParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The turn.", body = crate::views::TicketJson),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent of another office.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `counter_not_found`.", body = ErrorBody),
        (status = 409, description = "`recall_required` (the office asks for `min_recalls_before_no_show` recalls first, 1 by default), `no_current_turn`, `already_serving`, `counter_closed`, `counter_taken`.", body = ErrorBody),
    ))]
pub async fn no_show(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    link: LinkBase,
) -> Result<HttpResponse, ApiError> {
    act(&state, &session, &path, &link.0, CounterAction::NoShow).await
}

/// `POST undo-no-show`: the citizen came after all: the counter's latest no-show, within
/// a minute, is called again at the counter.
#[utoipa::path(post, path = "/api/v1/offices/{office}/counters/{counter}/undo-no-show", tag = "agents",
    params(CounterParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The turn, `called` again at this counter.", body = crate::views::TicketJson),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent of another office.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `counter_not_found`.", body = ErrorBody),
        (status = 409, description = "`nothing_to_undo`, `undo_expired` (more than a minute), `counter_busy` (another turn came since), `counter_closed`, `counter_taken`.", body = ErrorBody),
    ))]
pub async fn undo_no_show(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    link: LinkBase,
) -> Result<HttpResponse, ApiError> {
    act(&state, &session, &path, &link.0, CounterAction::UndoNoShow).await
}

/// `POST resume`: back from a pause.
#[utoipa::path(post, path = "/api/v1/offices/{office}/counters/{counter}/resume", tag = "agents",
    params(CounterParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The counter.", body = crate::views::CounterJson),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent of another office.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `counter_not_found`.", body = ErrorBody),
        (status = 409, description = "`counter_not_paused`, `counter_closed`, `counter_taken`.", body = ErrorBody),
    ))]
pub async fn resume(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    link: LinkBase,
) -> Result<HttpResponse, ApiError> {
    act(&state, &session, &path, &link.0, CounterAction::Resume).await
}

/// `POST close`: the agent leaves the counter.
#[utoipa::path(post, path = "/api/v1/offices/{office}/counters/{counter}/close", tag = "agents",
    params(CounterParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The counter.", body = crate::views::CounterJson),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent of another office.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `counter_not_found`.", body = ErrorBody),
        (status = 409, description = "`counter_busy`, `counter_closed`, `counter_taken`.", body = ErrorBody),
    ))]
pub async fn close(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    link: LinkBase,
) -> Result<HttpResponse, ApiError> {
    act(&state, &session, &path, &link.0, CounterAction::Close).await
}

/// `POST transfer` `{"service"}`.
#[utoipa::path(post, path = "/api/v1/offices/{office}/counters/{counter}/transfer", tag = "agents",
    params(CounterParams),
    request_body(content = TransferBody, content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The turn.", body = crate::views::TicketJson),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent of another office.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `counter_not_found`.", body = ErrorBody),
        (status = 409, description = "`no_current_turn`, `counter_closed`, `counter_taken`.", body = ErrorBody),
        (status = 422, description = "`same_service`.", body = ErrorBody),
    ))]
pub async fn transfer(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    link: LinkBase,
    body: super::extract::JsonBody<TransferBody>,
) -> Result<HttpResponse, ApiError> {
    let service = body.0.service;
    act(
        &state,
        &session,
        &path,
        &link.0,
        CounterAction::Transfer { service },
    )
    .await
}

/// `POST call` `{"code", "reason", "note"}`: one waiting turn out of order, saying why.
#[utoipa::path(post, path = "/api/v1/offices/{office}/counters/{counter}/call", tag = "agents",
    params(CounterParams),
    request_body(content = CallBody, content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The turn.", body = crate::views::TicketJson),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent of another office.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `counter_not_found`.", body = ErrorBody),
        (status = 409, description = "`turn_not_waiting`, `service_not_served`, `counter_busy`, `counter_closed`, `counter_paused`, `counter_taken`.", body = ErrorBody),
        (status = 422, description = "`reason_required`, `unknown_reason`, `note_required` (for `otro`), `note_too_long`.", body = ErrorBody),
    ))]
pub async fn call_code(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    link: LinkBase,
    body: super::extract::JsonBody<CallBody>,
) -> Result<HttpResponse, ApiError> {
    let CallBody { code, reason, note } = body.0;
    act(
        &state,
        &session,
        &path,
        &link.0,
        CounterAction::Call { code, reason, note },
    )
    .await
}

/// `POST pause` `{"reason"}`.
#[utoipa::path(post, path = "/api/v1/offices/{office}/counters/{counter}/pause", tag = "agents",
    params(CounterParams),
    request_body(content = PauseBody, content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The counter.", body = crate::views::CounterJson),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent of another office.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `counter_not_found`.", body = ErrorBody),
        (status = 409, description = "`counter_busy`, `counter_paused`, `counter_closed`, `counter_taken`.", body = ErrorBody),
        (status = 422, description = "`invalid_reason`.", body = ErrorBody),
    ))]
pub async fn pause(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    link: LinkBase,
    body: super::extract::JsonBody<PauseBody>,
) -> Result<HttpResponse, ApiError> {
    let reason = body.0.reason;
    act(
        &state,
        &session,
        &path,
        &link.0,
        CounterAction::Pause { reason },
    )
    .await
}

/// `GET` a counter: `{id, name, state, services, current, agent}`.
#[utoipa::path(get, path = "/api/v1/offices/{office}/counters/{counter}", tag = "agents",
    params(CounterParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The counter.", body = crate::views::CounterJson),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent of another office.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `counter_not_found`.", body = ErrorBody),
    ))]
pub async fn get_counter(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    link: LinkBase,
) -> Result<HttpResponse, ApiError> {
    let (office_id, counter) = path.into_inner();
    let o = office(&state, &office_id)?;
    session.may_operate(&office_id)?;
    let now = state.engine.now();
    let idx = o
        .spec
        .counter_idx(&counter)
        .ok_or_else(|| ApiError::domain(DomainError::CounterNotFound))?;
    Ok(HttpResponse::Ok().json(o.read(|s| views::counter(s, idx, now, &link.0))))
}

/// A waiting turn in a counter's list.
#[derive(Serialize, ToSchema)]
pub struct WaitingTurn {
    /// The turn.
    #[serde(flatten)]
    ticket: views::TicketJson,
    /// How long it has waited.
    waited_seconds: i64,
}

/// Most waiting turns listed for a counter.
const WAITING_LIST_LIMIT: usize = 200;

/// `GET .../counters/{counter}/waiting`: the waiting turns of the counter's services, in the
/// order the policy would call them (preferential ones marked, waits shown).
#[utoipa::path(get, path = "/api/v1/offices/{office}/counters/{counter}/waiting", tag = "agents",
    params(CounterParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "At most 200 turns, in calling order.", body = Vec<WaitingTurn>),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent of another office.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `counter_not_found`.", body = ErrorBody),
    ))]
pub async fn waiting_list(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    link: LinkBase,
) -> Result<HttpResponse, ApiError> {
    let (office_id, counter) = path.into_inner();
    let o = office(&state, &office_id)?;
    session.may_operate(&office_id)?;
    let idx = o
        .spec
        .counter_idx(&counter)
        .ok_or_else(|| ApiError::domain(DomainError::CounterNotFound))?;
    let now = state.engine.now();
    let list = o.read(|s| {
        let views = s.waiting_for_counter(idx, WAITING_LIST_LIMIT, now);
        views
            .iter()
            .map(|v| WaitingTurn {
                ticket: views::ticket(
                    &s.spec,
                    v,
                    &views::Audience::new(&link.0, super::language::current_for(&s.spec)),
                ),
                waited_seconds: (now - v.ticket.issued_at).num_seconds().max(0),
            })
            .collect::<Vec<_>>()
    });
    Ok(HttpResponse::Ok().json(list))
}
