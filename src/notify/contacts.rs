//! A turn's contact: how to reach the citizen (a phone number, a browser's Web Push
//! subscription, or both) and the turn's language. Personal data: kept in the contact
//! store only while the turn lives, never in the event log, reports or logs (where a
//! number shows at all, it is [`mask`]ed).

use crate::domain::{Language, Token};
use serde::{Deserialize, Serialize};

/// A browser's Web Push subscription (`PushSubscription.toJSON()`), as the page sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebPushSubscription {
    /// The push service's address for this browser (https).
    pub endpoint: String,
    /// The browser's keys for encrypting messages.
    pub keys: WebPushKeys,
    /// When the subscription ends (milliseconds since the epoch), if the browser says.
    #[serde(
        default,
        rename = "expirationTime",
        skip_serializing_if = "Option::is_none"
    )]
    pub expiration_time: Option<f64>,
}

/// The keys of a [`WebPushSubscription`] (base64url, as browsers give them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebPushKeys {
    /// The browser's P-256 public key.
    pub p256dh: String,
    /// The authentication secret.
    pub auth: String,
}

impl WebPushSubscription {
    /// Whether it has the shape a push service can be sent to: an https endpoint and
    /// base64url keys of plausible size (65-byte key, 16-byte secret).
    pub fn is_valid(&self) -> bool {
        let b64url = |s: &str, min: usize, max: usize| {
            (min..=max).contains(&s.len())
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
        };
        self.endpoint.len() <= 2048
            && reqwest::Url::parse(&self.endpoint)
                .is_ok_and(|u| u.scheme() == "https" && u.host_str().is_some())
            && b64url(&self.keys.p256dh, 86, 88)
            && b64url(&self.keys.auth, 22, 24)
    }
}

/// How to reach the citizen of one turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    /// The turn's token (its sequence is the row's key): a row never reaches another turn.
    pub token: Token,
    /// The turn's language, for the texts.
    pub language: Language,
    /// E.164 phone number for the gateway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Browser subscription for Web Push.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_push: Option<WebPushSubscription>,
}

impl Contact {
    /// Whether there is still a way to reach the citizen.
    pub fn is_empty(&self) -> bool {
        self.phone.is_none() && self.web_push.is_none()
    }
}

/// A phone number in E.164 form (`+`, then 8 to 15 digits, the first not 0), with the
/// spaces, dashes, dots and parentheses people type taken out; `None` otherwise.
pub fn parse_phone(input: &str) -> Option<String> {
    let trimmed = input.trim();
    let rest = trimmed.strip_prefix('+')?;
    let mut digits = String::with_capacity(16);
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    let ok = (8..=15).contains(&digits.len()) && !digits.starts_with('0');
    ok.then(|| format!("+{digits}"))
}

/// A number as it may show in a log or on a screen: the country and operator part and
/// the last four digits (`+57300•••4567`), never the whole.
pub fn mask(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 8 {
        return "•••".into();
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}•••{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_e164() {
        assert_eq!(
            parse_phone("+573001234567").as_deref(),
            Some("+573001234567")
        );
        assert_eq!(
            parse_phone(" +57 300 123-4567 ").as_deref(),
            Some("+573001234567")
        );
        assert_eq!(
            parse_phone("+1 (415) 555.0100").as_deref(),
            Some("+14155550100")
        );
        for bad in [
            "3001234567",
            "+57",
            "+0573001234567",
            "+57300123456789012",
            "+57abc1234567",
            "",
        ] {
            assert_eq!(parse_phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_masked_number_keeps_little() {
        assert_eq!(mask("+573001234567"), "+57300•••4567");
        assert!(!mask("+573001234567").contains("3001234567"));
        assert_eq!(mask("+1234"), "•••");
    }

    #[test]
    fn subscriptions_are_checked() {
        let good = WebPushSubscription {
            endpoint: "https://push.example.net/send/abc".into(),
            keys: WebPushKeys {
                p256dh: "B".repeat(87),
                auth: "a".repeat(22),
            },
            expiration_time: None,
        };
        assert!(good.is_valid());
        let mut plain = good.clone();
        plain.endpoint = "http://push.example.net/x".into();
        assert!(!plain.is_valid());
        let mut short = good;
        short.keys.auth = "x".into();
        assert!(!short.is_valid());
    }
}
