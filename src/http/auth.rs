//! Sign-in and sessions: argon2 password hashes, signed bearer tokens that expire, roles.
//!
//! A token is `base64url(username "|" expiry "|" nonce) "." base64url(HMAC-SHA256)`, the MAC taken
//! over the payload and the user's password hash, so changing a user's password in the
//! configuration ends their sessions. It carries no role: the role and office are read
//! from the configuration on every request, so a change there takes effect at once.
//! `POST /auth/logout` ends a session before its time (`revocations`). The key comes from `TURNERO_SECRET` (shared by every process
//! of an organisation) or, for a single process, a random key kept in the data folder.

use super::error::ApiError;
use super::hashing::HashPool;
use super::revocations::Revocations;
use super::schemas::{ErrorBody, Login, UserJson};
use super::AppState;
use crate::config::{Role, User};
use crate::store::WindowCounters;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest, HttpResponse};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::Utc;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use std::future::{ready, Ready};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

type HmacSha256 = Hmac<Sha256>;

/// The shared counter of a username's failed sign-ins from one address: the real user,
/// at their own window, is not locked out by someone guessing elsewhere.
fn user_key(username: &str, address: IpAddr) -> String {
    format!(
        "signin:{}:{}",
        URL_SAFE_NO_PAD.encode(username),
        super::client::bucket(address)
    )
}

/// The shared counter of an address's failed sign-ins, whatever the username: guessing
/// across usernames is throttled too.
fn address_key(address: IpAddr) -> String {
    format!("signin-from:{}", super::client::bucket(address))
}

/// The shared counter of an address's wrong device tokens.
fn device_key(address: IpAddr) -> String {
    format!("device-from:{}", super::client::bucket(address))
}

/// Failed sign-ins allowed per (username, address) in `THROTTLE_WINDOW`.
const MAX_FAILURES: u32 = 5;
/// Failed sign-ins allowed per address, across usernames, in `THROTTLE_WINDOW`.
const MAX_FAILURES_PER_ADDRESS: u32 = 20;
const THROTTLE_WINDOW: Duration = Duration::from_secs(300);

/// Hashes a password with argon2id and a random salt (for `turnero hash-password`).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("no se pudo calcular el hash: {e}"))
}

/// The demo users' hash: the salt comes from the password itself, so the same demo
/// password gives the same hash at every start and sessions (bound to the hash) survive
/// a restart of the demo. Never for configured users, whose salts must be random.
pub fn demo_password_hash(password: &str) -> anyhow::Result<String> {
    use sha2::Digest;
    let seed = Sha256::digest(format!("turnero-demo:{password}").as_bytes());
    let salt = SaltString::encode_b64(&seed[..16])
        .map_err(|e| anyhow::anyhow!("no se pudo calcular el hash: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("no se pudo calcular el hash: {e}"))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Signs and checks session tokens; throttles failed sign-ins (counted in the store's
/// shared counters, so the throttle holds across processes).
pub struct Sessions {
    key: Vec<u8>,
    ttl: chrono::Duration,
    failures: Arc<dyn WindowCounters>,
    /// A hash to verify against when the user does not exist, so timing tells nothing.
    decoy_hash: String,
    /// Sessions ended before their time.
    pub revocations: Revocations,
    /// Password checks, a bounded number at a time.
    pub hashing: HashPool,
}

impl Sessions {
    /// Sessions signed with `key`, lasting `ttl`, failed sign-ins counted in `failures`,
    /// ended sessions kept in `revocations`.
    pub fn new(
        key: Vec<u8>,
        ttl: chrono::Duration,
        decoy_hash: String,
        failures: Arc<dyn WindowCounters>,
        revocations: Revocations,
    ) -> Self {
        Sessions {
            key,
            ttl,
            failures,
            decoy_hash,
            revocations,
            hashing: HashPool::per_core(),
        }
    }

    fn mac(&self, payload: &[u8], password_hash: &str) -> HmacSha256 {
        // HMAC takes keys of any length.
        let mut mac = HmacSha256::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(payload);
        mac.update(b"\0");
        mac.update(password_hash.as_bytes());
        mac
    }

    /// A token for a user, valid while their password stays the same.
    pub fn issue(&self, username: &str, password_hash: &str) -> (String, chrono::DateTime<Utc>) {
        let expires = Utc::now() + self.ttl;
        // A nonce, so that two sessions opened in the same second are two tokens (one
        // can end without the other).
        let nonce: u64 = rand::random();
        let payload = format!("{username}|{}|{nonce:016x}", expires.timestamp());
        let sig = self
            .mac(payload.as_bytes(), password_hash)
            .finalize()
            .into_bytes();
        (
            format!(
                "{}.{}",
                URL_SAFE_NO_PAD.encode(payload),
                URL_SAFE_NO_PAD.encode(sig)
            ),
            expires,
        )
    }

    /// The username a valid, unexpired token belongs to, and when it expires;
    /// `password_hash` gives a user's current hash (a token signed with an older one is
    /// not valid).
    pub fn verify(
        &self,
        token: &str,
        password_hash: impl Fn(&str) -> Option<String>,
    ) -> Option<(String, chrono::DateTime<Utc>)> {
        let (payload, sig) = token.split_once('.')?;
        let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
        let text = std::str::from_utf8(&payload).ok()?;
        let (rest, _nonce) = text.rsplit_once('|')?;
        let (username, expires) = rest.rsplit_once('|')?;
        let hash = password_hash(username)?;
        self.mac(&payload, &hash).verify_slice(&sig).ok()?;
        let expires = chrono::DateTime::from_timestamp(expires.parse().ok()?, 0)?;
        (Utc::now() < expires).then(|| (username.to_owned(), expires))
    }

    /// How long until `username` may try again from `address`, if it had too many
    /// failed sign-ins lately there (or the address did, across usernames): the time
    /// left in the window that is full, so `Retry-After` tells the truth. When the
    /// counters cannot be read (Redis away) sign-in stays possible.
    fn throttled(&self, username: &str, address: IpAddr) -> Option<Duration> {
        let full = |key: String, max: u32| -> Option<Duration> {
            match self.failures.count(&key) {
                Ok(n) if n >= max => Some(self.failures.left(&key).unwrap_or(THROTTLE_WINDOW)),
                Ok(_) => None,
                Err(e) => {
                    tracing::warn!(error = %e, "sign-in throttle not readable; not throttling");
                    None
                }
            }
        };
        let user = full(user_key(username, address), MAX_FAILURES);
        let from = full(address_key(address), MAX_FAILURES_PER_ADDRESS);
        user.max(from).map(|d| d.max(Duration::from_secs(1)))
    }

    /// How long until `address` may present a device token again, after too many wrong
    /// ones (print agents, paired kiosks): guessing them is throttled like passwords.
    pub fn device_throttled(&self, address: IpAddr) -> Option<Duration> {
        let key = device_key(address);
        match self.failures.count(&key) {
            Ok(n) if n >= MAX_FAILURES_PER_ADDRESS => Some(
                self.failures
                    .left(&key)
                    .unwrap_or(THROTTLE_WINDOW)
                    .max(Duration::from_secs(1)),
            ),
            _ => None,
        }
    }

    /// Counts a wrong device token from `address`.
    pub fn record_device_failure(&self, address: IpAddr) {
        if let Err(e) = self.failures.hit(&device_key(address), THROTTLE_WINDOW) {
            tracing::warn!(error = %e, "device token throttle not written");
        }
    }

    fn record(&self, username: &str, address: IpAddr, ok: bool) {
        let result = if ok {
            self.failures.clear(&user_key(username, address))
        } else {
            self.failures
                .hit(&user_key(username, address), THROTTLE_WINDOW)
                .and_then(|_| self.failures.hit(&address_key(address), THROTTLE_WINDOW))
                .map(|_| ())
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "sign-in throttle not written");
        }
    }
}

/// The signed-in user of a request (an extractor: 401 when absent or invalid), and the
/// client address it came from (for the audit trail).
#[derive(Debug, Clone)]
pub struct Session(pub User, pub std::net::IpAddr);

impl Session {
    /// Refuses unless the user may act on an office's counters.
    pub fn may_operate(&self, office: &str) -> Result<(), ApiError> {
        match self.0.role {
            Role::Admin | Role::Supervisor => Ok(()),
            Role::Agent if self.0.office.as_deref() == Some(office) => Ok(()),
            Role::Agent => Err(ApiError::OtherOffice),
        }
    }

    /// Refuses unless the user is a supervisor or admin.
    pub fn must_supervise(&self) -> Result<(), ApiError> {
        match self.0.role {
            Role::Admin | Role::Supervisor => Ok(()),
            Role::Agent => Err(ApiError::RoleForbidden),
        }
    }
}

impl FromRequest for Session {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(session_of(req))
    }
}

fn session_of(req: &HttpRequest) -> Result<Session, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or(ApiError::ShuttingDown)?;
    let token = bearer(req).ok_or(ApiError::Unauthenticated)?;
    let (user, _) = valid_session(state, &token)?;
    let address = super::client::address(req, &state.config.server.trusted_proxies);
    Ok(Session(user, address))
}

/// The token of an `Authorization: Bearer …` header (a session or a device token).
pub fn bearer(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
}

/// The user of a valid session token that was not ended (401 otherwise).
pub fn session_user(state: &AppState, token: &str) -> Result<User, ApiError> {
    valid_session(state, token).map(|(user, _)| user)
}

/// The user of a valid token that was not ended, and when it expires.
fn valid_session(state: &AppState, token: &str) -> Result<(User, chrono::DateTime<Utc>), ApiError> {
    let invalid = || ApiError::SessionInvalid;
    let (username, expires) = state
        .sessions
        .verify(token, |u| {
            state.config.user(u).map(|u| u.password_hash.clone())
        })
        .ok_or_else(invalid)?;
    // A session nobody can tell is still open is not taken as open.
    let revoked = state.sessions.revocations.is_revoked(token).map_err(|e| {
        tracing::warn!(error = %e, "ended sessions not readable");
        ApiError::StoreUnavailable
    })?;
    if revoked {
        return Err(invalid());
    }
    let user = state.config.user(&username).ok_or_else(invalid)?;
    Ok((user.clone(), expires))
}

/// `POST /api/v1/auth/logout`: ends the session of the bearer token at once, on every
/// process. 204; 401 when the token is not a valid session (already ended, expired).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The session ended."),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
    ))]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let token = bearer(&req).ok_or(ApiError::Unauthenticated)?;
    let (user, expires) = valid_session(&state, &token)?;
    let app = state.clone();
    web::block(move || app.sessions.revocations.revoke(&token, expires))
        .await
        .map_err(|_| ApiError::Overloaded)?
        .map_err(|e| {
            tracing::warn!(error = %e, "the session could not be ended");
            ApiError::StoreUnavailable
        })?;
    tracing::info!(username = %user.username, "signed out");
    super::audit::record_in_offices(
        &state,
        &Session(
            user,
            super::client::address(&req, &state.config.server.trusted_proxies),
        ),
        crate::domain::AuditAction::SignOut,
    )
    .await;
    Ok(HttpResponse::NoContent().finish())
}

/// Body of `POST /auth/login`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// Username.
    username: String,
    /// Password.
    password: String,
}

/// `POST /api/v1/auth/login`.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth",
    request_body(content = LoginBody, content_type = "application/json"),
    responses(
        (status = 200, description = "A session token.", body = Login),
        (status = 401, description = "`invalid_credentials` (no hint of which).", body = ErrorBody),
        (status = 429, description = "`too_many_attempts`: too many failed sign-ins.", body = ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds to wait."))),
    ))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: super::extract::JsonBody<LoginBody>,
) -> Result<HttpResponse, ApiError> {
    let LoginBody { username, password } = body.0;
    let address = super::client::address(&req, &state.config.server.trusted_proxies);
    if username.len() > 100 || password.len() > 1000 {
        return Err(ApiError::InvalidCredentials);
    }
    let throttled = {
        let state = state.clone();
        let username = username.clone();
        web::block(move || state.sessions.throttled(&username, address))
            .await
            .unwrap_or(None)
    };
    if let Some(wait) = throttled {
        return Err(ApiError::TooManyAttempts(super::error::seconds(wait)));
    }
    let user = state.config.user(&username).cloned();
    let hash = user.as_ref().map_or_else(
        || state.sessions.decoy_hash.clone(),
        |u| u.password_hash.clone(),
    );
    let ok = state
        .sessions
        .hashing
        .run(move || verify_password(&password, &hash))
        .await
        .map_err(|_| ApiError::SignInBusy)?;
    let user = match user {
        Some(user) if ok => user,
        _ => {
            let recorder = state.clone();
            let name = username.clone();
            let _ = web::block(move || recorder.sessions.record(&name, address, false)).await;
            tracing::info!(%username, "failed sign-in");
            return Err(ApiError::InvalidCredentials);
        }
    };
    {
        let recorder = state.clone();
        let name = username.clone();
        let _ = web::block(move || recorder.sessions.record(&name, address, true)).await;
    }
    let (token, expires) = state.sessions.issue(&user.username, &user.password_hash);
    tracing::info!(username = %user.username, role = user.role.as_str(), "signed in");
    super::audit::record_in_offices(
        &state,
        &Session(user.clone(), address),
        crate::domain::AuditAction::SignIn,
    )
    .await;
    Ok(HttpResponse::Ok().json(Login {
        token,
        expires_at: expires.to_rfc3339(),
        user: UserJson::of(user),
    }))
}

/// `GET /api/v1/auth/me`: the signed-in user.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in user.", body = UserJson),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
    ))]
pub async fn me(session: Session) -> HttpResponse {
    HttpResponse::Ok().json(UserJson::of(session.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_and_forgeries_do_not() {
        let sessions = |key: &[u8], ttl| {
            let counters: Arc<dyn WindowCounters> =
                Arc::new(crate::store::LocalCounters::default());
            Sessions::new(
                key.to_vec(),
                ttl,
                String::new(),
                counters.clone(),
                Revocations::open(counters, None).unwrap(),
            )
        };
        let hour = chrono::Duration::hours(1);
        let s = sessions(b"key", hour);
        let hash = |_: &str| Some("hash-1".to_owned());
        let (token, _) = s.issue("agente1", "hash-1");
        assert_ne!(
            token,
            s.issue("agente1", "hash-1").0,
            "each session its own token"
        );
        assert_eq!(
            s.verify(&token, hash).map(|v| v.0).as_deref(),
            Some("agente1")
        );
        assert_eq!(sessions(b"other", hour).verify(&token, hash), None);
        // A new password ends the sessions signed with the old one.
        assert_eq!(s.verify(&token, |_| Some("hash-2".to_owned())), None);
        assert_eq!(
            s.verify(&token, |_| None),
            None,
            "a user no longer configured"
        );
        let (payload, sig) = token.split_once('.').unwrap();
        let forged = format!(
            "{}.{sig}",
            URL_SAFE_NO_PAD.encode(format!("admin|{}|0", i64::MAX))
        );
        assert_eq!(s.verify(&forged, hash), None);
        assert_eq!(s.verify(payload, hash), None);
        let expired = sessions(b"key", chrono::Duration::seconds(-1));
        assert_eq!(s.verify(&expired.issue("x", "hash-1").0, hash), None);
    }

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("secreto").unwrap();
        assert!(verify_password("secreto", &hash));
        assert!(!verify_password("otro", &hash));
    }
}
