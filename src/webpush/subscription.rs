//! The browser's `PushSubscription` (`subscription.toJSON()`): where its push service
//! takes messages for it, and the keys they are encrypted to. A citizen sends it, so
//! every part is checked before the server ever posts to that address.

use super::decode_base64url;
use serde::{Deserialize, Serialize};
use web_push_native::p256;

/// The longest endpoint taken. The push services' own are 150–500 characters.
pub const MAX_ENDPOINT_LENGTH: usize = 1024;

/// A validated push subscription, written back as the browser wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    endpoint: String,
    keys: Keys,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Keys {
    p256dh: String,
    auth: String,
}

/// What is wrong with a subscription the page sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SubscriptionError {
    /// Not `{endpoint, keys: {p256dh, auth}}`.
    #[error("the subscription is not a PushSubscription object")]
    NotASubscription,
    /// The endpoint is not an absolute URL within [`MAX_ENDPOINT_LENGTH`].
    #[error("the endpoint is not a URL")]
    BadEndpoint,
    /// The endpoint is not `https://` on a named host (or, where allowed, `http://`
    /// to a loopback address).
    #[error("the endpoint is not https on a named host")]
    InsecureEndpoint,
    /// `keys.p256dh` is not the base64url of a P-256 public key.
    #[error("keys.p256dh is not a P-256 public key")]
    BadKey,
    /// `keys.auth` is not the base64url of 16 bytes.
    #[error("keys.auth is not a 16-byte secret")]
    BadAuth,
}

impl Subscription {
    /// Checks the JSON of `PushSubscription.toJSON()`: `endpoint` an https URL on a
    /// named host (never an IP address or `localhost`, so a citizen cannot have the
    /// server post into its own network), `keys.p256dh` a point of P-256 and
    /// `keys.auth` 16 bytes. `allow_insecure` (the server's
    /// `allow_insecure_push_endpoints`, for tests) also takes `http://` to a loopback
    /// address. `expirationTime` and anything else are ignored.
    pub fn from_json(
        value: &serde_json::Value,
        allow_insecure: bool,
    ) -> Result<Subscription, SubscriptionError> {
        let endpoint = value
            .get("endpoint")
            .and_then(|e| e.as_str())
            .ok_or(SubscriptionError::NotASubscription)?;
        let keys = value
            .get("keys")
            .filter(|k| k.is_object())
            .ok_or(SubscriptionError::NotASubscription)?;
        let p256dh = keys
            .get("p256dh")
            .and_then(|k| k.as_str())
            .ok_or(SubscriptionError::BadKey)?;
        let auth = keys
            .get("auth")
            .and_then(|k| k.as_str())
            .ok_or(SubscriptionError::BadAuth)?;
        check_endpoint(endpoint, allow_insecure)?;
        decode_key(p256dh).ok_or(SubscriptionError::BadKey)?;
        decode_auth(auth).ok_or(SubscriptionError::BadAuth)?;
        Ok(Subscription {
            endpoint: endpoint.to_owned(),
            keys: Keys {
                p256dh: p256dh.trim().to_owned(),
                auth: auth.trim().to_owned(),
            },
        })
    }

    /// Where the push service takes messages for this browser.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The browser's public key, the receiving half of the encryption.
    pub(super) fn public_key(&self) -> p256::PublicKey {
        decode_key(&self.keys.p256dh).expect("checked when the subscription was read")
    }

    /// The browser's authentication secret.
    pub(super) fn auth(&self) -> web_push_native::Auth {
        let bytes = decode_auth(&self.keys.auth).expect("checked when the subscription was read");
        web_push_native::Auth::clone_from_slice(&bytes)
    }
}

fn decode_key(text: &str) -> Option<p256::PublicKey> {
    let bytes = decode_base64url(text)?;
    // Browsers send the uncompressed point (65 bytes): RFC 8291 §3.1.
    (bytes.len() == 65)
        .then(|| p256::PublicKey::from_sec1_bytes(&bytes).ok())
        .flatten()
}

fn decode_auth(text: &str) -> Option<Vec<u8>> {
    decode_base64url(text).filter(|b| b.len() == 16)
}

fn check_endpoint(endpoint: &str, allow_insecure: bool) -> Result<(), SubscriptionError> {
    if endpoint.len() > MAX_ENDPOINT_LENGTH || endpoint.chars().any(|c| c.is_whitespace()) {
        return Err(SubscriptionError::BadEndpoint);
    }
    let uri: http::Uri = endpoint
        .parse()
        .map_err(|_| SubscriptionError::BadEndpoint)?;
    let authority = uri.authority().ok_or(SubscriptionError::BadEndpoint)?;
    let host = uri.host().ok_or(SubscriptionError::BadEndpoint)?;
    // Credentials in the address would go to whoever runs that host.
    if authority.as_str().contains('@') || host.is_empty() {
        return Err(SubscriptionError::BadEndpoint);
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let ip = bare.parse::<std::net::IpAddr>().ok();
    match uri.scheme_str() {
        Some("https") if ip.is_none() && is_public_name(bare) => Ok(()),
        Some("http" | "https") if allow_insecure && ip.is_some_and(|ip| ip.is_loopback()) => Ok(()),
        Some("http" | "https") => Err(SubscriptionError::InsecureEndpoint),
        _ => Err(SubscriptionError::BadEndpoint),
    }
}

/// A DNS name with a dot that is not `localhost` (push services are public hosts).
fn is_public_name(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host.contains('.')
        && host != "localhost"
        && !host.ends_with(".localhost")
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A subscription as Chrome gives one (keys from RFC 8291's example).
    fn chrome() -> serde_json::Value {
        json!({
            "endpoint": "https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91bHqjZxM0VImWWqDRN7U0a3AycjUf4O-byuxb_wJsKRaKvV_iKw56s16ekq6FUqoCF7k2nqXTh7RAWfzqBnz6ARGc5l9HCqJ3GqhfYm7V3HkNKHi_Y",
            "expirationTime": null,
            "keys": {
                "p256dh": "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
                "auth": "BTBZMqHH6r4Tts7J_aSIgg"
            }
        })
    }

    #[test]
    fn a_browser_subscription_is_taken_and_written_back_as_it_came() {
        let sub = Subscription::from_json(&chrome(), false).unwrap();
        assert!(sub.endpoint().starts_with("https://fcm.googleapis.com/"));
        let back = serde_json::to_value(&sub).unwrap();
        assert_eq!(back["keys"], chrome()["keys"]);
        assert_eq!(back["endpoint"], chrome()["endpoint"]);
        let again: Subscription = serde_json::from_value(back).unwrap();
        assert_eq!(again, sub);
        assert_eq!(sub.auth().len(), 16);
    }

    #[test]
    fn endpoints_must_be_https_on_a_public_name() {
        let with = |endpoint: &str, insecure: bool| {
            let mut sub = chrome();
            sub["endpoint"] = json!(endpoint);
            Subscription::from_json(&sub, insecure)
        };
        use SubscriptionError::*;
        assert!(with(
            "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
            false
        )
        .is_ok());
        assert!(with("https://web.push.apple.com:443/QGuQyavXutnMH", false).is_ok());
        assert_eq!(
            with("http://fcm.googleapis.com/x", false),
            Err(InsecureEndpoint)
        );
        assert_eq!(with("https://127.0.0.1/push", false), Err(InsecureEndpoint));
        assert_eq!(with("https://10.0.0.5/push", false), Err(InsecureEndpoint));
        assert_eq!(with("https://[::1]/push", false), Err(InsecureEndpoint));
        assert_eq!(with("https://localhost/push", false), Err(InsecureEndpoint));
        assert_eq!(with("https://intranet/push", false), Err(InsecureEndpoint));
        assert_eq!(
            with("http://127.0.0.1:9/push", false),
            Err(InsecureEndpoint)
        );
        assert_eq!(
            with("https://user:pw@push.example.com/x", false),
            Err(BadEndpoint)
        );
        assert_eq!(with("ftp://push.example.com/x", false), Err(BadEndpoint));
        assert_eq!(with("/relative/push", false), Err(BadEndpoint));
        assert_eq!(with("not a url", false), Err(BadEndpoint));
        let long = format!(
            "https://push.example.com/{}",
            "a".repeat(MAX_ENDPOINT_LENGTH)
        );
        assert_eq!(with(&long, false), Err(BadEndpoint));
        // The tests' own endpoint, only where the server allows it, and only loopback.
        assert!(with("http://127.0.0.1:9/push", true).is_ok());
        assert!(with("http://[::1]:9/push", true).is_ok());
        assert_eq!(with("http://10.0.0.5:9/push", true), Err(InsecureEndpoint));
        assert_eq!(
            with("http://push.example.com/x", true),
            Err(InsecureEndpoint)
        );
    }

    #[test]
    fn keys_must_be_what_a_browser_makes() {
        use SubscriptionError::*;
        let with = |p256dh: serde_json::Value, auth: serde_json::Value| {
            let mut sub = chrome();
            sub["keys"] = json!({"p256dh": p256dh, "auth": auth});
            Subscription::from_json(&sub, false)
        };
        let good_key = chrome()["keys"]["p256dh"].clone();
        let good_auth = chrome()["keys"]["auth"].clone();
        assert!(with(good_key.clone(), good_auth.clone()).is_ok());
        // A point off the curve: the last byte changed.
        let mut off = good_key.as_str().unwrap().to_owned();
        off.replace_range(off.len() - 2.., "AA");
        assert_eq!(with(json!(off), good_auth.clone()), Err(BadKey));
        assert_eq!(with(json!("AAAA"), good_auth.clone()), Err(BadKey));
        assert_eq!(with(json!(5), good_auth.clone()), Err(BadKey));
        assert_eq!(with(good_key.clone(), json!("AAAA")), Err(BadAuth));
        assert_eq!(with(good_key.clone(), json!("%%%%")), Err(BadAuth));
        assert_eq!(
            Subscription::from_json(&json!({"endpoint": "https://push.example.com/x"}), false),
            Err(NotASubscription)
        );
        assert_eq!(
            Subscription::from_json(&json!("https://push.example.com/x"), false),
            Err(NotASubscription)
        );
    }
}
