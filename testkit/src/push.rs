//! A push service of our own for the tests, as a browser's would be: it hands out a
//! subscription (a P-256 key pair and a 16-byte secret, like `pushManager.subscribe`),
//! takes messages over HTTP on 127.0.0.1, checks each one as a real push service and
//! the browser would — the VAPID token's signature with the key it carries, its audience
//! (this endpoint's origin), its expiry (within 24 hours) and its subject; the TTL and
//! `aes128gcm` encoding — decrypts it (RFC 8291) and keeps it for the test to read.
//! It can be told to answer the next messages with another status (410 to unsubscribe,
//! 500 or 429 to be retried).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256PublicKey};
use web_push_native::jwt_simple::claims::NoCustomClaims;
use web_push_native::jwt_simple::common::VerificationOptions;
use web_push_native::p256;
use web_push_native::p256::elliptic_curve::sec1::ToEncodedPoint;

/// One message that passed every check, decrypted.
#[derive(Debug, Clone)]
pub struct Received {
    /// The decrypted bytes.
    pub payload: Vec<u8>,
    /// The decrypted bytes as JSON (`Null` when they are not JSON).
    pub message: serde_json::Value,
    /// The `TTL` header, in seconds.
    pub ttl: u64,
    /// The `Urgency` header, if any.
    pub urgency: Option<String>,
    /// The `Topic` header, if any.
    pub topic: Option<String>,
    /// The VAPID token's `sub`.
    pub subject: String,
    /// The VAPID token's `aud`.
    pub audience: String,
    /// How long the VAPID token had left when it arrived.
    pub token_valid_for: Duration,
    /// The VAPID public key (`k=`), base64url.
    pub vapid_key: String,
    /// The whole `Authorization` header.
    pub authorization: String,
    /// The status this endpoint answered.
    pub answered: u16,
    /// When it arrived (its checks and decryption done).
    pub at: std::time::Instant,
}

#[derive(Default)]
struct State {
    received: Vec<Received>,
    refused: Vec<String>,
    answers: VecDeque<(u16, Option<String>)>,
    vapid_key: Option<String>,
}

struct Shared {
    state: Mutex<State>,
    secret: p256::SecretKey,
    auth: [u8; 16],
    path: String,
    origin: String,
}

/// The running endpoint; stopped when dropped.
pub struct PushEndpoint {
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl PushEndpoint {
    /// Starts one on a free port of 127.0.0.1, on its own thread (so it serves whether
    /// or not the test's runtime is busy), with a new browser-like key pair.
    pub fn start() -> PushEndpoint {
        use rand::RngCore;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.set_nonblocking(true).unwrap();
        let address = listener.local_addr().unwrap();
        let mut auth = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut auth);
        let mut id = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut id);
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            secret: p256::SecretKey::random(&mut rand::thread_rng()),
            auth,
            path: format!("/push/{}", URL_SAFE_NO_PAD.encode(id)),
            origin: format!("http://{address}"),
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = shared.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(serve(listener, serving, stopped));
        });
        PushEndpoint {
            shared,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The subscription as a browser's `subscription.toJSON()` gives it.
    pub fn subscription(&self) -> serde_json::Value {
        let public = self.shared.secret.public_key().to_encoded_point(false);
        serde_json::json!({
            "endpoint": self.endpoint(),
            "expirationTime": null,
            "keys": {
                "p256dh": URL_SAFE_NO_PAD.encode(public.as_bytes()),
                "auth": URL_SAFE_NO_PAD.encode(self.shared.auth),
            }
        })
    }

    /// The subscription's endpoint URL.
    pub fn endpoint(&self) -> String {
        format!("{}{}", self.shared.origin, self.shared.path)
    }

    /// Refuses (401) any message not signed with this VAPID public key (base64url), as a
    /// push service does for a subscription made with `applicationServerKey`.
    pub fn expect_vapid_key(&self, public_key: &str) {
        self.state().vapid_key = Some(public_key.to_owned());
    }

    /// Answers the next message (after its checks pass) with `status`, and a
    /// `Retry-After` header if given; later ones get 201 again. Calls queue up.
    pub fn answer_next(&self, status: u16, retry_after: Option<&str>) {
        self.state()
            .answers
            .push_back((status, retry_after.map(str::to_owned)));
    }

    /// Every message that passed the checks, in order, whatever was answered.
    pub fn received(&self) -> Vec<Received> {
        self.state().received.clone()
    }

    /// Why each refused request was refused (a bad token, encoding or body).
    pub fn refused(&self) -> Vec<String> {
        self.state().refused.clone()
    }

    /// Waits up to `within` until `count` messages have been received; panics, saying
    /// what came, if they do not.
    pub async fn wait_for(&self, count: usize, within: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            if tokio::time::Instant::now() >= deadline {
                panic!(
                    "the push endpoint received {} of {count} messages within {within:?}: {:?}; refused: {:?}",
                    received.len(),
                    received.iter().map(|r| &r.message).collect::<Vec<_>>(),
                    self.refused()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.shared.state.lock().unwrap()
    }
}

impl Drop for PushEndpoint {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
    loop {
        let stream = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let shared = shared.clone();
                async move { Ok::<_, std::convert::Infallible>(handle(&shared, request).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

fn answer(status: u16, text: &str) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .body(Full::new(Bytes::from(text.to_owned())))
        .unwrap()
}

async fn handle(shared: &Shared, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(body) => body.to_bytes().to_vec(),
        Err(_) => return answer(400, "unreadable body"),
    };
    match check(shared, &parts, body) {
        Ok(mut received) => {
            let mut state = shared.state.lock().unwrap();
            let (status, retry_after) = state.answers.pop_front().unwrap_or((201, None));
            received.answered = status;
            state.received.push(received);
            let mut response = answer(status, "");
            if let Some(after) = retry_after {
                response
                    .headers_mut()
                    .insert("retry-after", after.parse().unwrap());
            }
            if status == 201 {
                response.headers_mut().insert(
                    "location",
                    format!("{}/message/{}", shared.origin, state.received.len())
                        .parse()
                        .unwrap(),
                );
            }
            response
        }
        Err((status, why)) => {
            shared.state.lock().unwrap().refused.push(why.clone());
            answer(status, &why)
        }
    }
}

fn header<'a>(parts: &'a hyper::http::request::Parts, name: &str) -> Option<&'a str> {
    parts.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Every check a push service and the receiving browser make, in their order.
fn check(
    shared: &Shared,
    parts: &hyper::http::request::Parts,
    body: Vec<u8>,
) -> Result<Received, (u16, String)> {
    if parts.method != hyper::Method::POST || parts.uri.path() != shared.path {
        return Err((
            404,
            format!("{} {}: no such subscription", parts.method, parts.uri),
        ));
    }
    let (subject, audience, token_valid_for, vapid_key) = check_vapid(shared, parts)?;
    let ttl = header(parts, "ttl")
        .and_then(|t| t.parse::<u64>().ok())
        .ok_or((400, "no TTL header (RFC 8030 §5.2)".to_owned()))?;
    if header(parts, "content-encoding") != Some("aes128gcm") {
        return Err((
            400,
            "Content-Encoding is not aes128gcm (RFC 8291)".to_owned(),
        ));
    }
    if body.len() > 4096 {
        return Err((413, format!("{} bytes: more than 4096", body.len())));
    }
    let auth = web_push_native::Auth::clone_from_slice(&shared.auth);
    let payload = web_push_native::decrypt(body, &shared.secret, &auth)
        .map_err(|e| (400, format!("does not decrypt: {e}")))?;
    Ok(Received {
        message: serde_json::from_slice(&payload).unwrap_or(serde_json::Value::Null),
        payload,
        ttl,
        urgency: header(parts, "urgency").map(str::to_owned),
        topic: header(parts, "topic").map(str::to_owned),
        subject,
        audience,
        token_valid_for,
        vapid_key,
        authorization: header(parts, "authorization")
            .unwrap_or_default()
            .to_owned(),
        answered: 0,
        at: std::time::Instant::now(),
    })
}

/// `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292 §3): signed by the key it names
/// (the one subscribed with, when told), for this origin, expiring within 24 hours, with
/// a `mailto:` or `https:` subject.
fn check_vapid(
    shared: &Shared,
    parts: &hyper::http::request::Parts,
) -> Result<(String, String, Duration, String), (u16, String)> {
    let refuse = |why: String| (401, why);
    let value = header(parts, "authorization").ok_or(refuse("no Authorization".into()))?;
    let params = value
        .strip_prefix("vapid ")
        .ok_or(refuse(format!("not a vapid Authorization: {value}")))?;
    let mut token = None;
    let mut key = None;
    for param in params.split(',') {
        match param.trim().split_once('=') {
            Some(("t", t)) => token = Some(t.trim()),
            Some(("k", k)) => key = Some(k.trim()),
            _ => return Err(refuse(format!("unknown vapid parameter: {param}"))),
        }
    }
    let (token, key) = token
        .zip(key)
        .ok_or(refuse("vapid needs t= and k=".into()))?;
    if let Some(expected) = &shared.state.lock().unwrap().vapid_key {
        if expected != key {
            return Err((
                403,
                format!("signed with {key}, subscribed with {expected}"),
            ));
        }
    }
    let raw = URL_SAFE_NO_PAD
        .decode(key)
        .map_err(|e| refuse(format!("k= is not base64url: {e}")))?;
    if raw.len() != 65 {
        return Err(refuse(format!(
            "k= has {} bytes, not an uncompressed P-256 point",
            raw.len()
        )));
    }
    let public = ES256PublicKey::from_bytes(&raw).map_err(|e| refuse(format!("k=: {e}")))?;
    let options = VerificationOptions {
        allowed_audiences: Some(HashSet::from([shared.origin.clone()])),
        time_tolerance: Some(Duration::from_secs(60).into()),
        ..Default::default()
    };
    let claims = public
        .verify_token::<NoCustomClaims>(token, Some(options))
        .map_err(|e| refuse(format!("the VAPID token does not verify: {e}")))?;
    let expires = claims
        .expires_at
        .ok_or(refuse("the VAPID token has no exp".into()))?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let valid_for = Duration::from_secs(expires.as_secs()).saturating_sub(now);
    if valid_for > Duration::from_secs(24 * 3600) {
        return Err(refuse(format!(
            "exp is {valid_for:?} away: more than 24 hours"
        )));
    }
    let subject = claims
        .subject
        .filter(|s| s.starts_with("mailto:") || s.starts_with("https:"))
        .ok_or(refuse(
            "the VAPID token's sub is not mailto: or https:".into(),
        ))?;
    Ok((subject, shared.origin.clone(), valid_for, key.to_owned()))
}
