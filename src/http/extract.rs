//! What a route's path names, resolved before the handler runs: the office of
//! `{office}`, the turn of `{token}`. Handlers take these extractors instead of reaching
//! into one another for lookups, and an unknown office or turn is one typed 404 here.

use super::error::ApiError;
use super::AppState;
use crate::domain::{DomainError, TicketView, Token};
use crate::engine::OfficeHandle;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use chrono::Utc;
use futures_util::future::LocalBoxFuture;
use std::future::{ready, Ready};
use std::sync::Arc;

/// How long a token not found here is looked for again on a shared store.
const TAKEN_IN_WITHIN: std::time::Duration = std::time::Duration::from_millis(300);

/// The office named by `{office}` (404 `office_not_found` when there is none).
pub struct OfficePath(pub Arc<OfficeHandle>);

impl OfficePath {
    /// The office's local time now, for sentences that name a time.
    pub fn local_now(&self) -> chrono::DateTime<chrono_tz::Tz> {
        local_now(&self.0)
    }
}

impl std::ops::Deref for OfficePath {
    type Target = OfficeHandle;
    fn deref(&self) -> &OfficeHandle {
        &self.0
    }
}

impl FromRequest for OfficePath {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(office_of(req))
    }
}

fn state_of(req: &HttpRequest) -> Result<&web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .ok_or(ApiError::ShuttingDown)
}

fn office_of(req: &HttpRequest) -> Result<OfficePath, ApiError> {
    let id = req.match_info().get("office").unwrap_or_default();
    office(state_of(req)?, id).map(|o| OfficePath(o.clone()))
}

/// A day in a query, exactly YYYY-MM-DD (chrono alone would also take `2026-1-5`);
/// absent or empty: `today`.
pub fn day_param(
    given: Option<&str>,
    today: chrono::NaiveDate,
) -> Result<chrono::NaiveDate, ApiError> {
    match given {
        None | Some("") => Ok(today),
        Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .filter(|d| d.format("%Y-%m-%d").to_string() == s)
            .ok_or(ApiError::InvalidDate),
    }
}

/// The office `id`, or 404.
pub fn office<'a>(state: &'a AppState, id: &str) -> Result<&'a Arc<OfficeHandle>, ApiError> {
    state
        .engine
        .office(id)
        .map_err(|_| ApiError::OfficeNotFound)
}

/// An office's local time now.
pub fn local_now(o: &OfficeHandle) -> chrono::DateTime<chrono_tz::Tz> {
    Utc::now().with_timezone(&o.spec.timezone)
}

/// The token of `{token}`, well formed (404 `ticket_not_found` otherwise); the turn is
/// not looked up.
pub struct TokenPath(pub Token);

impl FromRequest for TokenPath {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let raw = req.match_info().get("token").unwrap_or_default();
        ready(Token::parse(raw).map(TokenPath).ok_or(ApiError::BadToken))
    }
}

/// The turn of `{token}` with its office, live (position and wait as of now); an older
/// day's turn is read from the store. 404 when the token is malformed or names no turn.
pub struct TicketPath {
    /// The turn's office.
    pub office: Arc<OfficeHandle>,
    /// The turn as it stands.
    pub view: TicketView,
}

impl FromRequest for TicketPath {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state_of(&req)?.clone();
            let raw = req.match_info().get("token").unwrap_or_default();
            let (office, view) = by_token(&state, raw, crate::engine::Engine::find_ticket).await?;
            Ok(TicketPath { office, view })
        })
    }
}

/// Runs a search by a token on the blocking pool (an older day may be read from the
/// store). On a shared store a token not found is looked for again for a moment: it may
/// have been issued a moment ago on another process.
pub async fn by_token<R: Send + 'static>(
    state: &AppState,
    token: &str,
    search: fn(&crate::engine::Engine, &Token) -> Option<R>,
) -> Result<R, ApiError> {
    let token = Token::parse(token).ok_or(ApiError::BadToken)?;
    let find = || {
        let engine = state.engine.clone();
        async move {
            web::block(move || search(&engine, &token))
                .await
                .map_err(|_| ApiError::Overloaded)
        }
    };
    let mut found = find().await?;
    if found.is_none() && state.engine.shares_store() {
        // A kiosk or phone sent elsewhere by the load balancer must find its turn: read
        // the logs now and look again for a little while.
        state.engine.follow_now();
        let until = tokio::time::Instant::now() + TAKEN_IN_WITHIN;
        while found.is_none() && tokio::time::Instant::now() < until {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            found = find().await?;
        }
    }
    found.ok_or_else(|| ApiError::domain(DomainError::TicketNotFound))
}

/// Reads a JSON number that is whole, written `5` or `5.0` (JSON Schema's `integer` takes
/// both, so clients may send either); a fraction or a value out of `T`'s range is refused
/// like any other wrong type. For `#[serde(deserialize_with = "whole")]`.
pub fn whole<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<i64>,
{
    let number = <serde_json::Number as serde::Deserialize>::deserialize(deserializer)?;
    to_whole(&number).ok_or_else(|| {
        serde::de::Error::invalid_value(
            serde::de::Unexpected::Other(&number.to_string()),
            &"a whole number in range",
        )
    })
}

/// [`whole`] for an optional field (with `#[serde(default)]`).
pub fn whole_opt<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<i64>,
{
    #[derive(serde::Deserialize)]
    struct Whole<T: TryFrom<i64>>(#[serde(deserialize_with = "whole")] T);
    let value = <Option<Whole<T>> as serde::Deserialize>::deserialize(deserializer)?;
    Ok(value.map(|Whole(n)| n))
}

fn to_whole<T: TryFrom<i64>>(number: &serde_json::Number) -> Option<T> {
    let n = match number.as_i64() {
        Some(n) => n,
        None => {
            let f = number.as_f64()?;
            if f.fract() != 0.0 || f < i64::MIN as f64 || f >= i64::MAX as f64 {
                return None;
            }
            f as i64
        }
    };
    T::try_from(n).ok()
}

/// A JSON body that must be an object, read into `T` (serde alone would also read a
/// struct from an array, `["registro"]`, which the API does not take). Not JSON, too
/// large or not the fields `T` takes: the same 400/413 as `web::Json`.
pub struct JsonBody<T>(pub T);

impl<T: serde::de::DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // Checked as raw JSON first (no tree of values built: this is every turn's path),
        // then read into `T` once it is known to be an object.
        let raw = web::Json::<Box<serde_json::value::RawValue>>::from_request(req, payload);
        Box::pin(async move {
            let raw = raw.await?.into_inner();
            Ok(JsonBody(from_raw_object(raw.get())?))
        })
    }
}

/// `T` from JSON text that must be an object.
fn from_raw_object<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, ApiError> {
    if !json.trim_start().starts_with('{') {
        return Err(ApiError::invalid_body(
            "invalid type: expected a JSON object",
        ));
    }
    serde_json::from_str(json).map_err(|e| ApiError::invalid_body(&e.to_string()))
}

/// An optional JSON body: nothing, blank or `null` gives `T::default()`; otherwise an
/// object read into `T`, as [`JsonBody`].
pub fn optional_body<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    let raw: Option<Box<serde_json::value::RawValue>> =
        serde_json::from_slice(body).map_err(|e| ApiError::invalid_body(&e.to_string()))?;
    raw.map_or_else(|| Ok(T::default()), |raw| from_raw_object(raw.get()))
}
