//! Web Push (RFC 8030) to the citizen's phone, server side: the office's VAPID keys
//! (RFC 8292), the browser's `PushSubscription` as the page sends it, the message a phone
//! shows, and the sender that encrypts it (aes128gcm, RFC 8291) and posts it to the
//! push service.
//!
//! The cryptography is `web-push-native`'s (RustCrypto's P-256, AES-GCM and HKDF) and
//! `jwt-simple`'s (the ES256 signature of the VAPID token); this module only chooses
//! what goes in them and reads the push service's answer.
//!
//! - `keys.rs`: [`VapidKeys`]: generate, read from the configuration (base64url or PEM),
//!   the public key the browser's `applicationServerKey` takes.
//! - `subscription.rs`: [`Subscription`], validated (an https endpoint on a named host,
//!   a P-256 key and a 16-byte secret); `http://` to a loopback address only when the
//!   server's `allow_insecure_push_endpoints` says so (the tests' own push endpoint).
//! - `message.rs`: [`PushMessage`]: `{kind, title, body, url, lang}` in the turn's
//!   language, with its time to live and urgency.
//! - `public_dns.rs`: [`PublicOnly`], the push client's resolver: an endpoint's host
//!   must resolve to public addresses (a citizen's endpoint never reaches the office's
//!   own network).
//! - `sender.rs`: [`WebPushSender::send`] and [`PushError`]: gone (drop the
//!   subscription), retryable (later), rejected (never again as it is).

mod keys;
mod message;
mod public_dns;
mod sender;
mod subscription;

pub use keys::{KeyError, VapidKeys};
pub use message::{PushKind, PushMessage};
pub use public_dns::{is_public, NotPublic, PublicOnly};
pub use sender::{PushError, Urgency, WebPushSender, MAX_ENCRYPTED_BYTES};
pub use subscription::{Subscription, SubscriptionError, MAX_ENDPOINT_LENGTH};

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// base64url as browsers write keys (no padding), read with or without padding.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes base64url, padded or not.
fn decode_base64url(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    BASE64URL.decode(text.trim()).ok()
}

/// Encodes base64url without padding, as `applicationServerKey` and RFC 8292 want it.
fn encode_base64url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    BASE64URL.encode(bytes)
}
