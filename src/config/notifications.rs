//! An office's notifications (`[offices.notifications]`), as the server uses them: the
//! outgoing SMS/WhatsApp gateway, the texts of each message in each of the office's
//! languages, and the Web Push key (sent by `src/webpush/`).

use crate::domain::Language;
use std::fmt;
use std::time::Duration;

/// A value that must never be printed: a gateway's token, a VAPID private key.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(«oculto»)")
    }
}

/// How the gateway is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GatewayMethod {
    /// `POST` (the default).
    #[default]
    Post,
    /// `PUT`.
    Put,
}

/// The office's outgoing HTTP gateway for SMS or WhatsApp.
#[derive(Debug, Clone)]
pub struct GatewaySpec {
    /// `http://` or `https://` address each message is sent to.
    pub url: String,
    /// `POST` or `PUT`.
    pub method: GatewayMethod,
    /// Headers sent with each message; `env:NAME` values already read from the
    /// environment at start.
    pub headers: Vec<(String, Secret)>,
    /// The JSON body, with `{phone}` and `{text}` put in JSON-escaped.
    pub body: String,
    /// How long one call may take before it counts as failed.
    pub timeout: Duration,
}

/// The body sent when `gateway_body` says nothing (API.md).
pub const DEFAULT_GATEWAY_BODY: &str = r#"{"to": "{phone}", "text": "{text}"}"#;

/// What each message says, in one language; placeholders `{code}`, `{counter}`,
/// `{office}`, `{minutes}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts {
    /// The turn is near: come back to the lobby.
    pub near: String,
    /// The turn is called to a counter.
    pub called: String,
    /// The turn is called again (more insistent).
    pub recalled: String,
    /// The turn was marked as not present.
    pub no_show: String,
}

impl Texts {
    /// The built-in texts of a language.
    pub fn default_in(language: Language) -> Texts {
        crate::in_language!(language, |m| Texts {
            near: m::NOTIFY_NEAR.to_owned(),
            called: m::NOTIFY_CALLED.to_owned(),
            recalled: m::NOTIFY_RECALLED.to_owned(),
            no_show: m::NOTIFY_NO_SHOW.to_owned(),
        })
    }
}

/// An office's `[offices.notifications]`.
#[derive(Debug, Clone, Default)]
pub struct NotificationsSpec {
    /// The SMS/WhatsApp gateway (none: no messages by phone).
    pub gateway: Option<GatewaySpec>,
    /// The texts in each of the office's languages (its own first); a language missing
    /// here speaks with its built-in texts.
    pub texts: Vec<(Language, Texts)>,
    /// The VAPID private key for Web Push (value, or read from `env:NAME`).
    pub vapid_private_key: Option<Secret>,
    /// The VAPID subject (`mailto:` or `https:`).
    pub vapid_subject: Option<String>,
}

impl NotificationsSpec {
    /// The texts in `language` (the built-in ones when the office set none).
    pub fn texts_in(&self, language: Language) -> Texts {
        self.texts
            .iter()
            .find(|(l, _)| *l == language)
            .map_or_else(|| Texts::default_in(language), |(_, t)| t.clone())
    }

    /// Whether citizens may leave a phone number.
    pub fn sms(&self) -> bool {
        self.gateway.is_some()
    }

    /// Whether citizens may subscribe to Web Push.
    pub fn web_push(&self) -> bool {
        self.vapid_private_key.is_some()
    }
}
