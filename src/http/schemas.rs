//! Types of the OpenAPI document that are shared by several routes: the error body every
//! refusal answers, names that the code keeps as `&'static str`, and a few schema-only
//! types (said so on each) for bodies built from types of other crates.

use crate::config::User;
use serde::Serialize;
use std::borrow::Cow;
use utoipa::ToSchema;

/// Every error: `{"error": {"code", "message"}}` (built by `ApiError::error_response`).
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// The refusal.
    pub error: ErrorDetail,
}

/// The refusal inside an [`ErrorBody`].
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine code, e.g. `counter_busy`.
    pub code: &'static str,
    /// One sentence in Spanish a person can act on.
    #[schema(value_type = String)]
    pub message: Cow<'static, str>,
}

/// A turn's status, as `TicketStatus::as_str` names it (schema only: the code keeps the
/// name as a string).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum TicketStatusName {
    /// Waiting to be called.
    Waiting,
    /// Called to a counter.
    Called,
    /// Being attended.
    Serving,
    /// Attended.
    Served,
    /// Called and did not come.
    NoShow,
    /// Given up (by the citizen or a supervisor).
    Cancelled,
    /// Not called before the office closed.
    Expired,
}

/// A counter's state, as `views::counter` names it (schema only).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum CounterStateName {
    /// Nobody holds it.
    Closed,
    /// Held, nobody called.
    Open,
    /// A turn was called to it.
    Calling,
    /// A turn is being attended.
    Serving,
    /// Held and paused.
    Paused,
}

/// A printer's last `DLE EOT` status (schema only: the real type,
/// `turnero_printer::agent::proto::StatusBits`, lives in the printer crate).
#[derive(ToSchema)]
#[allow(dead_code)]
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

/// `GET /healthz`.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: &'static str,
}

/// `GET /readyz` (schema only: the handler builds it with `json!`, fields present or not
/// by what the office's health says).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Readiness {
    /// `ready` or `unavailable`.
    pub status: String,
    /// Every office and whether it is ready.
    pub offices: Vec<OfficeReadiness>,
    /// Why not ready (503 only).
    pub error: Option<ErrorDetail>,
}

/// One office in [`Readiness`] (schema only).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OfficeReadiness {
    /// Office id.
    pub id: String,
    /// Whether it takes writes.
    pub ready: bool,
    /// Why it is unavailable.
    pub unavailable: Option<String>,
    /// The event kind that made it read-only, with a sentence.
    #[schema(value_type = Option<Object>)]
    pub read_only: Option<()>,
    /// Damage found in its log.
    #[schema(value_type = Option<Vec<Object>>)]
    pub damage: Option<()>,
}

/// A member of staff, as `GET /auth/me` and the sign-in show them.
#[derive(Serialize, ToSchema)]
#[schema(as = User)]
pub struct UserJson {
    /// Login name.
    pub username: String,
    /// Name shown on screens.
    pub name: String,
    /// What they may do.
    #[schema(value_type = RoleName)]
    pub role: &'static str,
    /// The office an agent works in.
    pub office: Option<String>,
}

impl UserJson {
    /// What the API shows of a user (never the password hash).
    pub fn of(user: User) -> Self {
        UserJson {
            role: user.role.as_str(),
            username: user.username,
            name: user.name,
            office: user.office,
        }
    }
}

/// A role (schema only: `Role::as_str` names it).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum RoleName {
    /// Everything.
    Admin,
    /// Reports, printers, bulk actions, any office.
    Supervisor,
    /// Counters of their office.
    Agent,
}

/// `POST /auth/login` → 200.
#[derive(Serialize, ToSchema)]
pub struct Login {
    /// The session token, for `Authorization: Bearer`.
    pub token: String,
    /// When it expires (RFC 3339).
    pub expires_at: String,
    /// Who signed in.
    pub user: UserJson,
}

/// The language codes Turnero speaks (schema only: the fields keep the raw string, so
/// another code gets the API's own 422 `language_not_offered`; an office offers some of
/// them, listed in its `languages`).
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum LanguageCode {
    /// Spanish.
    Es,
    /// English.
    En,
}
