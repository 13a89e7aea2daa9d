//! Routes for agents at counters: open, call, recall, start, finish, no-show, transfer,
//! call by code, pause, resume, close. All need a session allowed on the office.

use super::auth::Session;
use super::error::ApiError;
use super::extract::{local_now, office};
use super::AppState;
use crate::domain::{Command, CounterAction, DomainError, Subject};
use crate::views;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

/// Body of `POST transfer`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    service: String,
}

/// Body of `POST call`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallBody {
    code: String,
}

/// Body of `POST pause`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PauseBody {
    reason: String,
}

type CounterPath = web::Path<(String, String)>;

async fn act(
    state: &AppState,
    session: &Session,
    path: &(String, String),
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
    let outcome = o
        .execute(Command::Counter {
            counter: counter.clone(),
            agent: session.0.username.clone(),
            action,
        })
        .await
        .map_err(|e| ApiError::from_engine(e, now))?;
    match (outcome.subject, returns_ticket) {
        (Subject::Nothing, _) => Ok(HttpResponse::NoContent().finish()),
        (_, true) => match outcome.ticket {
            Some(view) => Ok(HttpResponse::Ok().json(views::ticket(&o.spec, &view))),
            None => Err(ApiError::StoreUnavailable),
        },
        (_, false) => match outcome.counter {
            Some(c) => Ok(HttpResponse::Ok().json(c)),
            None => Err(ApiError::StoreUnavailable),
        },
    }
}

macro_rules! simple_action {
    ($name:ident, $action:expr, $doc:literal) => {
        #[doc = $doc]
        pub async fn $name(
            state: web::Data<AppState>,
            session: Session,
            path: CounterPath,
        ) -> Result<HttpResponse, ApiError> {
            act(&state, &session, &path, $action).await
        }
    };
}

/// Body of `POST open` (optional).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct OpenBody {
    #[serde(default)]
    take_over: bool,
}

/// `POST open`: the agent takes the counter; `{"take_over": true}`: a supervisor or admin
/// takes it from the agent holding it (recorded as an event; that agent's console sees
/// it on its next look).
pub async fn open(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let body: OpenBody = if body.iter().all(u8::is_ascii_whitespace) {
        OpenBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::invalid_body(&e.to_string()))?
    };
    let action = if body.take_over {
        session.must_supervise()?;
        tracing::info!(office = %path.0, counter = %path.1, by = %session.0.username, "counter taken over");
        CounterAction::TakeOver
    } else {
        CounterAction::Open
    };
    act(&state, &session, &path, action).await
}
simple_action!(
    call_next,
    CounterAction::CallNext,
    "`POST call-next`: 200 Ticket, or 204 when nobody waits."
);
simple_action!(
    recall,
    CounterAction::Recall,
    "`POST recall`: calls the current turn again."
);
simple_action!(
    start,
    CounterAction::Start,
    "`POST start`: the citizen arrived."
);
simple_action!(
    finish,
    CounterAction::Finish,
    "`POST finish`: the attention ended."
);
simple_action!(
    no_show,
    CounterAction::NoShow,
    "`POST no-show`: the citizen did not come."
);
simple_action!(
    resume,
    CounterAction::Resume,
    "`POST resume`: back from a pause."
);
simple_action!(
    close,
    CounterAction::Close,
    "`POST close`: the agent leaves the counter."
);

/// `POST transfer` `{"service"}`.
pub async fn transfer(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    body: web::Json<TransferBody>,
) -> Result<HttpResponse, ApiError> {
    let service = body.into_inner().service;
    act(&state, &session, &path, CounterAction::Transfer { service }).await
}

/// `POST call` `{"code"}`: one waiting turn out of order.
pub async fn call_code(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    body: web::Json<CallBody>,
) -> Result<HttpResponse, ApiError> {
    let code = body.into_inner().code;
    act(&state, &session, &path, CounterAction::Call { code }).await
}

/// `POST pause` `{"reason"}`.
pub async fn pause(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
    body: web::Json<PauseBody>,
) -> Result<HttpResponse, ApiError> {
    let reason = body.into_inner().reason;
    act(&state, &session, &path, CounterAction::Pause { reason }).await
}

/// `GET` a counter: `{id, name, state, services, current, agent}`.
pub async fn get_counter(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
) -> Result<HttpResponse, ApiError> {
    let (office_id, counter) = path.into_inner();
    let o = office(&state, &office_id)?;
    session.may_operate(&office_id)?;
    let now = state.engine.now();
    let idx = o
        .spec
        .counter_idx(&counter)
        .ok_or_else(|| ApiError::domain(DomainError::CounterNotFound))?;
    Ok(HttpResponse::Ok().json(o.read(|s| views::counter(s, idx, now))))
}

/// Most waiting turns listed for a counter.
const WAITING_LIST_LIMIT: usize = 200;

/// `GET .../counters/{counter}/waiting`: the waiting turns of the counter's services, in the
/// order the policy would call them (preferential ones marked, waits shown).
pub async fn waiting_list(
    state: web::Data<AppState>,
    session: Session,
    path: CounterPath,
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
            .map(|v| {
                let mut json = serde_json::to_value(views::ticket(&s.spec, v)).unwrap_or_default();
                json["waited_seconds"] = (now - v.ticket.issued_at).num_seconds().max(0).into();
                json
            })
            .collect::<Vec<_>>()
    });
    Ok(HttpResponse::Ok().json(list))
}
