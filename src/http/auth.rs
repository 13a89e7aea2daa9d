//! Sign-in and sessions: argon2 password hashes, signed bearer tokens that expire, roles.
//!
//! A token is `base64url(username "|" expiry) "." base64url(HMAC-SHA256)`. It carries no
//! role: the role and office are read from the configuration on every request, so a change
//! there takes effect at once. The key comes from `TURNERO_SECRET` (shared by every process
//! of an organisation) or, for a single process, a random key kept in the data folder.

use super::error::ApiError;
use super::AppState;
use crate::config::{Role, User};
use crate::i18n::es;
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
use serde_json::json;
use sha2::Sha256;
use std::future::{ready, Ready};
use std::sync::Arc;
use std::time::Duration;

type HmacSha256 = Hmac<Sha256>;

/// The shared counter of a username's failed sign-ins.
fn throttle_key(username: &str) -> String {
    format!("signin:{}", URL_SAFE_NO_PAD.encode(username))
}

/// Failed sign-ins allowed per username in `THROTTLE_WINDOW`.
const MAX_FAILURES: u32 = 5;
const THROTTLE_WINDOW: Duration = Duration::from_secs(300);

/// Hashes a password with argon2id and a random salt (for `turnero hash-password`).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
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
}

impl Sessions {
    /// Sessions signed with `key`, lasting `ttl`, failed sign-ins counted in `failures`.
    pub fn new(
        key: Vec<u8>,
        ttl: chrono::Duration,
        decoy_hash: String,
        failures: Arc<dyn WindowCounters>,
    ) -> Self {
        Sessions {
            key,
            ttl,
            failures,
            decoy_hash,
        }
    }

    fn mac(&self, payload: &[u8]) -> HmacSha256 {
        // HMAC takes keys of any length.
        let mut mac = HmacSha256::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(payload);
        mac
    }

    /// A token for a user.
    pub fn issue(&self, username: &str) -> (String, chrono::DateTime<Utc>) {
        let expires = Utc::now() + self.ttl;
        let payload = format!("{username}|{}", expires.timestamp());
        let sig = self.mac(payload.as_bytes()).finalize().into_bytes();
        (
            format!(
                "{}.{}",
                URL_SAFE_NO_PAD.encode(payload),
                URL_SAFE_NO_PAD.encode(sig)
            ),
            expires,
        )
    }

    /// The username a valid, unexpired token belongs to.
    pub fn verify(&self, token: &str) -> Option<String> {
        let (payload, sig) = token.split_once('.')?;
        let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
        self.mac(&payload).verify_slice(&sig).ok()?;
        let payload = String::from_utf8(payload).ok()?;
        let (username, expires) = payload.rsplit_once('|')?;
        let expires: i64 = expires.parse().ok()?;
        (Utc::now().timestamp() < expires).then(|| username.to_owned())
    }

    /// Whether a username had too many failed sign-ins lately. When the counters cannot
    /// be read (Redis away) sign-in stays possible: sessions do not need the store.
    fn throttled(&self, username: &str) -> bool {
        match self.failures.count(&throttle_key(username)) {
            Ok(n) => n >= MAX_FAILURES,
            Err(e) => {
                tracing::warn!(error = %e, "sign-in throttle not readable; not throttling");
                false
            }
        }
    }

    fn record(&self, username: &str, ok: bool) {
        let key = throttle_key(username);
        let result = if ok {
            self.failures.clear(&key)
        } else {
            self.failures.hit(&key, THROTTLE_WINDOW).map(|_| ())
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "sign-in throttle not written");
        }
    }
}

/// The signed-in user of a request (an extractor: 401 when absent or invalid).
#[derive(Debug, Clone)]
pub struct Session(pub User);

impl Session {
    /// Refuses unless the user may act on an office's counters.
    pub fn may_operate(&self, office: &str) -> Result<(), ApiError> {
        match self.0.role {
            Role::Admin | Role::Supervisor => Ok(()),
            Role::Agent if self.0.office.as_deref() == Some(office) => Ok(()),
            Role::Agent => Err(ApiError::new(403, "forbidden", es::OTHER_OFFICE)),
        }
    }

    /// Refuses unless the user is a supervisor or admin.
    pub fn must_supervise(&self) -> Result<(), ApiError> {
        match self.0.role {
            Role::Admin | Role::Supervisor => Ok(()),
            Role::Agent => Err(ApiError::new(403, "forbidden", es::ROLE_FORBIDDEN)),
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
        .ok_or_else(|| ApiError::new(503, "shutting_down", es::STOPPING))?;
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .ok_or_else(|| ApiError::new(401, "unauthenticated", es::UNAUTHENTICATED))?;
    let token = header
        .strip_prefix("Bearer ")
        .ok_or_else(|| ApiError::new(401, "unauthenticated", es::UNAUTHENTICATED))?;
    let username = state
        .sessions
        .verify(token.trim())
        .ok_or_else(|| ApiError::new(401, "session_invalid", es::SESSION_INVALID))?;
    let user = state
        .config
        .user(&username)
        .ok_or_else(|| ApiError::new(401, "session_invalid", es::SESSION_INVALID))?;
    Ok(Session(user.clone()))
}

/// Body of `POST /auth/login`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    username: String,
    password: String,
}

/// `POST /api/v1/auth/login`.
pub async fn login(
    state: web::Data<AppState>,
    body: web::Json<LoginBody>,
) -> Result<HttpResponse, ApiError> {
    let LoginBody { username, password } = body.into_inner();
    if username.len() > 100 || password.len() > 1000 {
        return Err(ApiError::new(
            401,
            "invalid_credentials",
            es::BAD_CREDENTIALS,
        ));
    }
    let throttled = {
        let state = state.clone();
        let username = username.clone();
        web::block(move || state.sessions.throttled(&username))
            .await
            .unwrap_or(false)
    };
    if throttled {
        return Err(ApiError::new(429, "too_many_attempts", es::TOO_MANY_ATTEMPTS).retry_after(60));
    }
    let user = state.config.user(&username).cloned();
    let hash = user.as_ref().map_or_else(
        || state.sessions.decoy_hash.clone(),
        |u| u.password_hash.clone(),
    );
    let ok = web::block(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let user = match user {
        Some(user) if ok => user,
        _ => {
            let recorder = state.clone();
            let name = username.clone();
            let _ = web::block(move || recorder.sessions.record(&name, false)).await;
            tracing::info!(%username, "failed sign-in");
            return Err(ApiError::new(
                401,
                "invalid_credentials",
                es::BAD_CREDENTIALS,
            ));
        }
    };
    {
        let recorder = state.clone();
        let name = username.clone();
        let _ = web::block(move || recorder.sessions.record(&name, true)).await;
    }
    let (token, expires) = state.sessions.issue(&user.username);
    tracing::info!(username = %user.username, role = user.role.as_str(), "signed in");
    Ok(HttpResponse::Ok().json(json!({
        "token": token,
        "expires_at": expires.to_rfc3339(),
        "user": {"username": user.username, "name": user.name, "role": user.role.as_str(), "office": user.office},
    })))
}

/// `GET /api/v1/auth/me`: the signed-in user.
pub async fn me(session: Session) -> HttpResponse {
    let u = session.0;
    HttpResponse::Ok().json(json!({"username": u.username, "name": u.name, "role": u.role.as_str(), "office": u.office}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_and_forgeries_do_not() {
        let s = Sessions::new(
            b"key".to_vec(),
            chrono::Duration::hours(1),
            String::new(),
            Arc::new(crate::store::LocalCounters::default()),
        );
        let (token, _) = s.issue("agente1");
        assert_eq!(s.verify(&token).as_deref(), Some("agente1"));
        let other = Sessions::new(
            b"other".to_vec(),
            chrono::Duration::hours(1),
            String::new(),
            Arc::new(crate::store::LocalCounters::default()),
        );
        assert_eq!(other.verify(&token), None);
        let (payload, sig) = token.split_once('.').unwrap();
        let forged = format!(
            "{}.{sig}",
            URL_SAFE_NO_PAD.encode(format!("admin|{}", i64::MAX))
        );
        assert_eq!(s.verify(&forged), None);
        assert_eq!(s.verify(payload), None);
        let expired = Sessions::new(
            b"key".to_vec(),
            chrono::Duration::seconds(-1),
            String::new(),
            Arc::new(crate::store::LocalCounters::default()),
        );
        assert_eq!(s.verify(&expired.issue("x").0), None);
    }

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("secreto").unwrap();
        assert!(verify_password("secreto", &hash));
        assert!(!verify_password("otro", &hash));
    }
}
