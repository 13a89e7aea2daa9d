//! Sending one message to one subscription: encrypt (aes128gcm, RFC 8291), sign the
//! VAPID token (RFC 8292), post it to the push service (RFC 8030) and read its answer as
//! what to do next: nothing, drop the subscription, try later, or give up.

use super::{PushMessage, Subscription, VapidKeys};
use sha2::Digest;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use web_push_native::jwt_simple::algorithms::ECDSAP256KeyPairLike;
use web_push_native::jwt_simple::claims::Claims;

/// The largest encrypted body every push service must take (RFC 8030 §7.2).
pub const MAX_ENCRYPTED_BYTES: usize = 4096;

/// How long a VAPID token is valid: RFC 8292 allows at most 24 hours.
const TOKEN_LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);

/// How long one post may take before it counts as a network failure (retryable).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a signed token is used again for the same push service: signing is most of
/// a message's cost, and RFC 8292 §2 lets a token be reused until it expires. Well
/// within [`TOKEN_LIFETIME`], so a token always has hours left when it is sent.
const TOKEN_REUSE: Duration = Duration::from_secs(60 * 60);

/// Push services whose tokens are kept (browsers use a handful: FCM, Mozilla, Apple,
/// Microsoft); past it the kept ones are forgotten.
const TOKENS_KEPT: usize = 64;

/// How soon a phone saving battery should be woken (RFC 8030 §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// Only on power and Wi-Fi.
    VeryLow,
    /// On power or Wi-Fi.
    Low,
    /// Unless the battery is low.
    Normal,
    /// At once, even on a low battery.
    High,
}

impl Urgency {
    fn header(self) -> &'static str {
        match self {
            Urgency::VeryLow => "very-low",
            Urgency::Low => "low",
            Urgency::Normal => "normal",
            Urgency::High => "high",
        }
    }
}

/// Why a message was not taken by the push service.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    /// 404 or 410: the browser unsubscribed or the subscription expired; drop it.
    #[error("the push service no longer has this subscription ({status})")]
    Gone {
        /// The status it answered.
        status: u16,
    },
    /// 5xx, 429 or no answer: the same message may be sent again later, not before
    /// `retry_after` when the service said so.
    #[error("the push service could not take the message now: {reason}")]
    Retryable {
        /// What happened.
        reason: String,
        /// The service's `Retry-After`, if it gave one.
        retry_after: Option<Duration>,
    },
    /// Any other refusal (a bad token, a message too large): sending it again as it is
    /// would be refused again.
    #[error("the message was refused ({status:?}): {reason}")]
    Rejected {
        /// The status it answered (none: refused here, before sending).
        status: Option<u16>,
        /// What it said.
        reason: String,
    },
}

/// Sends messages with the office's VAPID keys through the server's HTTP client.
pub struct WebPushSender {
    keys: VapidKeys,
    subject: String,
    client: reqwest::Client,
    /// The `Authorization` header last signed for each push service's origin, and when.
    tokens: parking_lot::Mutex<HashMap<String, (String, Instant)>>,
}

impl WebPushSender {
    /// A sender signing with `keys` as `subject` (the office's `vapid_subject`: a
    /// `mailto:` or `https:` address push services may write to; see
    /// [`WebPushSender::is_valid_subject`]), posting through `client`.
    pub fn new(keys: VapidKeys, subject: impl Into<String>, client: reqwest::Client) -> Self {
        WebPushSender {
            keys,
            subject: subject.into(),
            client,
            tokens: parking_lot::Mutex::new(HashMap::new()),
        }
    }

    /// Whether `subject` is what RFC 8292 §2.1 asks for: `mailto:` or an `https:` URL.
    pub fn is_valid_subject(subject: &str) -> bool {
        let rest = subject
            .strip_prefix("mailto:")
            .filter(|address| address.contains('@'))
            .or_else(|| subject.strip_prefix("https://"));
        rest.is_some_and(|r| !r.is_empty() && !r.chars().any(char::is_whitespace))
    }

    /// The public key browsers subscribe with (`applicationServerKey`).
    pub fn public_key(&self) -> String {
        self.keys.public_base64url()
    }

    /// Sends `payload` (encrypted here, at most [`MAX_ENCRYPTED_BYTES`] once encrypted),
    /// kept by the push service for `ttl` while the phone is off.
    pub async fn send(
        &self,
        subscription: &Subscription,
        payload: &[u8],
        ttl: Duration,
        urgency: Urgency,
    ) -> Result<(), PushError> {
        self.post(subscription, payload, ttl, urgency, None).await
    }

    /// Sends a turn's message with its own time to live and urgency, under a topic of
    /// its turn: a phone that was off gets only the latest of them (RFC 8030 §5.4),
    /// "called" rather than a stale "near".
    pub async fn send_message(
        &self,
        subscription: &Subscription,
        message: &PushMessage,
    ) -> Result<(), PushError> {
        let topic = topic_of(&message.url);
        let (ttl, urgency) = (message.ttl(), message.urgency());
        self.post(
            subscription,
            &message.to_bytes(),
            ttl,
            urgency,
            Some(&topic),
        )
        .await
    }

    async fn post(
        &self,
        subscription: &Subscription,
        payload: &[u8],
        ttl: Duration,
        urgency: Urgency,
        topic: Option<&str>,
    ) -> Result<(), PushError> {
        let request = self.request(subscription, payload, ttl, urgency, topic)?;
        let response = match self.client.execute(request).await {
            Ok(response) => response,
            Err(e) => {
                return Err(PushError::Retryable {
                    reason: format!("no answer from the push service: {e}"),
                    retry_after: None,
                })
            }
        };
        let status = response.status().as_u16();
        if response.status().is_success() {
            return Ok(());
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, chrono::Utc::now()));
        let said = response.text().await.unwrap_or_default();
        let reason = format!("{status} {}", said.chars().take(200).collect::<String>());
        Err(match status {
            404 | 410 => PushError::Gone { status },
            429 | 500..=599 => PushError::Retryable {
                reason,
                retry_after,
            },
            _ => PushError::Rejected {
                status: Some(status),
                reason,
            },
        })
    }

    /// The encrypted, signed request (built by `web-push-native`, its VAPID header
    /// signed here so its audience keeps a non-default port: the crate's omits it).
    fn request(
        &self,
        subscription: &Subscription,
        payload: &[u8],
        ttl: Duration,
        urgency: Urgency,
        topic: Option<&str>,
    ) -> Result<reqwest::Request, PushError> {
        let refused = |reason: String| PushError::Rejected {
            status: None,
            reason,
        };
        let endpoint: http::Uri = subscription
            .endpoint()
            .parse()
            .map_err(|e| refused(format!("endpoint: {e}")))?;
        let mut request = web_push_native::WebPushBuilder::new(
            endpoint.clone(),
            subscription.public_key(),
            subscription.auth(),
        )
        .with_valid_duration(ttl)
        .build(payload.to_vec())
        .map_err(|e| refused(format!("encryption: {e}")))?;
        if request.body().len() > MAX_ENCRYPTED_BYTES {
            return Err(refused(format!(
                "the encrypted message has {} bytes, more than the {MAX_ENCRYPTED_BYTES} every push service takes",
                request.body().len()
            )));
        }
        let headers = request.headers_mut();
        let authorization = self
            .vapid_header(&endpoint)
            .map_err(|e| refused(format!("VAPID: {e}")))?;
        let header = |v: &str| http::HeaderValue::from_str(v).map_err(|e| refused(e.to_string()));
        headers.insert(http::header::AUTHORIZATION, header(&authorization)?);
        headers.insert("urgency", header(urgency.header())?);
        if let Some(topic) = topic {
            headers.insert("topic", header(topic)?);
        }
        let mut request =
            reqwest::Request::try_from(request).map_err(|e| refused(format!("request: {e}")))?;
        *request.timeout_mut() = Some(REQUEST_TIMEOUT);
        Ok(request)
    }

    /// `vapid t=<JWT>, k=<public key>` (RFC 8292 §3): the token names the endpoint's
    /// origin as its audience, expires within 24 hours and says who sends.
    fn vapid_header(&self, endpoint: &http::Uri) -> Result<String, String> {
        let audience = origin(endpoint).ok_or("the endpoint has no origin")?;
        if let Some((header, signed)) = self.tokens.lock().get(&audience) {
            if signed.elapsed() < TOKEN_REUSE {
                return Ok(header.clone());
            }
        }
        let claims = Claims::create(TOKEN_LIFETIME.into())
            .with_audience(&audience)
            .with_subject(&self.subject);
        let token = self.keys.pair().sign(claims).map_err(|e| e.to_string())?;
        let header = format!("vapid t={token}, k={}", self.keys.public_base64url());
        let mut tokens = self.tokens.lock();
        if tokens.len() >= TOKENS_KEPT {
            tokens.clear();
        }
        tokens.insert(audience, (header.clone(), Instant::now()));
        Ok(header)
    }
}

/// `scheme://host[:port]`, the port only when it is not the scheme's own.
fn origin(uri: &http::Uri) -> Option<String> {
    let scheme = uri.scheme_str()?;
    let host = uri.host()?;
    let default = match scheme {
        "https" => 443,
        "http" => 80,
        _ => 0,
    };
    Some(match uri.port_u16().filter(|p| *p != default) {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    })
}

/// A topic for one turn's messages: 32 base64url characters (the most RFC 8030 allows),
/// a digest of its page so the push service never sees the turn's token.
fn topic_of(url: &str) -> String {
    let digest = sha2::Sha256::digest(url.as_bytes());
    super::encode_base64url(&digest[..24])
}

/// `Retry-After` as seconds or as an HTTP date.
fn parse_retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (at.with_timezone(&chrono::Utc) - now)
            .to_std()
            .unwrap_or_default(),
    )
}

#[cfg(test)]
#[path = "sender_tests.rs"]
mod tests;
