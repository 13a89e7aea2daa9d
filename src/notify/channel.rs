//! The ways a message reaches a citizen. One enum (the office's gateway, Web Push
//! through `src/webpush/`), so that a new way is one more variant and one more arm,
//! with the queue, retries, metrics and supervision left as they are.

use super::contacts::WebPushSubscription;
use super::template::render_body;
use super::web_push::WebPushChannel;
use crate::config::notifications::{GatewayMethod, GatewaySpec};
use std::sync::Arc;
use std::time::Duration;

/// Where one message goes.
#[derive(Debug, Clone)]
pub enum Recipient {
    /// A phone number (E.164), through the office's gateway.
    Phone(String),
    /// A browser, through its push service.
    WebPush(WebPushSubscription),
}

/// How a message is sent.
#[derive(Clone)]
pub enum Channel {
    /// The office's SMS/WhatsApp gateway.
    Gateway(Arc<GatewaySpec>),
    /// The office's Web Push (its VAPID keys), to a browser's push service.
    WebPush(Arc<WebPushChannel>),
}

/// Why one try failed.
#[derive(Debug, Clone)]
pub struct SendError {
    /// What went wrong, for supervisors: never the number or the text.
    pub reason: String,
    /// Whether trying again could help (a 400 will be a 400 again).
    pub retry: bool,
    /// How long the other side asked us to wait (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// The recipient is no more (a push service's 404/410): drop it from the contact.
    pub gone: bool,
}

impl Channel {
    /// The name in metrics (`channel` label).
    pub fn label(&self) -> &'static str {
        match self {
            Channel::Gateway(_) => "sms",
            Channel::WebPush(_) => "web_push",
        }
    }

    /// Sends `text` to `to` once (for Web Push, `text` is the phone's JSON message).
    pub async fn send(
        &self,
        client: &reqwest::Client,
        to: &Recipient,
        text: &str,
    ) -> Result<(), SendError> {
        match (self, to) {
            (Channel::Gateway(spec), Recipient::Phone(phone)) => {
                gateway_send(client, spec, phone, text).await
            }
            (Channel::Gateway(_), Recipient::WebPush(_)) => Err(SendError {
                reason: "the gateway sends to phone numbers only".into(),
                retry: false,
                retry_after: None,
                gone: false,
            }),
            (Channel::WebPush(push), Recipient::WebPush(subscription)) => {
                push.send(subscription, text).await
            }
            (Channel::WebPush(_), Recipient::Phone(_)) => Err(SendError {
                reason: "Web Push sends to browsers only".into(),
                retry: false,
                retry_after: None,
                gone: false,
            }),
        }
    }
}

async fn gateway_send(
    client: &reqwest::Client,
    spec: &GatewaySpec,
    phone: &str,
    text: &str,
) -> Result<(), SendError> {
    let body = render_body(&spec.body, phone, text);
    let method = match spec.method {
        GatewayMethod::Post => reqwest::Method::POST,
        GatewayMethod::Put => reqwest::Method::PUT,
    };
    let mut request = client
        .request(method, &spec.url)
        .timeout(spec.timeout)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body);
    for (name, value) in &spec.headers {
        request = request.header(name.as_str(), value.0.as_str());
    }
    let response = request.send().await.map_err(|e| SendError {
        // The error's URL is the configured one (it holds no number), but say less.
        reason: if e.is_timeout() {
            format!("sin respuesta en {} s", spec.timeout.as_secs())
        } else if e.is_connect() {
            "no se pudo conectar con la pasarela".into()
        } else {
            "la conexión con la pasarela falló".into()
        },
        retry: true,
        retry_after: None,
        gone: false,
    })?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    // The answer's body may echo the number: it is not kept.
    Err(SendError {
        reason: format!("la pasarela respondió HTTP {}", status.as_u16()),
        retry: status.is_server_error()
            || status == reqwest::StatusCode::TOO_MANY_REQUESTS
            || status == reqwest::StatusCode::REQUEST_TIMEOUT,
        retry_after,
        gone: false,
    })
}
