//! Joining from the door (`join`): a citizen takes a turn on their own phone, from the
//! `/join/{office}` page a poster at the entrance opens, with no kiosk and no paper.
//!
//! Who may is the office's choice. In `lobby` mode a turn needs the code the lobby
//! displays show now: it changes every `join_code_minutes` and is read only by a paired
//! display or staff, so only people standing in the office can join (a code copied from
//! a photo of the screen stops working minutes later). The code is an HMAC of the office
//! and the time window under the server's secret — every process sharing the secret
//! shows and accepts the same one, and nothing needs storing. In `anywhere` mode a turn
//! needs a phone number, and each number takes at most `join_daily_limit` turns a day,
//! counted under a keyed hash of the number (the number itself is never a key in Redis
//! nor in a log). The per-address limit of anonymous turns (`open_limit`) applies in both.

use super::error::{seconds, ApiError};
use super::extract::OfficePath;
use super::links::LinkBase;
use super::schemas::ErrorBody;
use super::AppState;
use crate::config::{IssuingSpec, JoinMode};
use crate::domain::schedule::{end_of_day, local_day};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use utoipa::ToSchema;

/// The letters a code is made of: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, which a person misreads
/// on a screen across a room.
const ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY34679";
/// Characters in a lobby code: 25⁶ ≈ 244 million, two valid at a time, behind the
/// per-address limit — not guessable.
pub const CODE_LEN: usize = 6;

/// The lobby codes and the phone numbers' keys, from the server's secret.
pub struct JoinCodes {
    key: Vec<u8>,
}

/// A lobby code and until when it is the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LobbyCode {
    /// What the display shows and the join page asks for.
    pub code: String,
    /// When the next code replaces it (the code still works one window more).
    pub changes_at: DateTime<Utc>,
}

impl JoinCodes {
    /// Codes under `secret` (the key that signs sessions: shared by every process).
    pub fn new(secret: &[u8]) -> Self {
        JoinCodes {
            key: secret.to_vec(),
        }
    }

    fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key");
        for part in parts {
            mac.update(&(part.len() as u32).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    fn code_of_window(&self, office: &str, window: i64) -> String {
        let mac = self.mac(&[b"join-code", office.as_bytes(), &window.to_be_bytes()]);
        mac.iter()
            .take(CODE_LEN)
            .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
            .collect()
    }

    fn window_of(now: DateTime<Utc>, length: std::time::Duration) -> i64 {
        now.timestamp().div_euclid(length.as_secs().max(1) as i64)
    }

    /// The office's code at `now`, for windows of `length`.
    pub fn current(
        &self,
        office: &str,
        now: DateTime<Utc>,
        length: std::time::Duration,
    ) -> LobbyCode {
        let window = Self::window_of(now, length);
        let secs = length.as_secs().max(1) as i64;
        LobbyCode {
            code: self.code_of_window(office, window),
            changes_at: DateTime::from_timestamp((window + 1) * secs, 0).unwrap_or(now),
        }
    }

    /// Whether `given` is the office's current code or the one just before it (a citizen
    /// who scanned as the screen changed is not turned away). Case, spaces and dashes
    /// do not matter; the comparison takes the same time whatever matches.
    pub fn accepts(
        &self,
        office: &str,
        given: &str,
        now: DateTime<Utc>,
        length: std::time::Duration,
    ) -> bool {
        let given: Vec<u8> = given
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'-'))
            .map(|b| b.to_ascii_uppercase())
            .collect();
        let window = Self::window_of(now, length);
        [window, window - 1].iter().fold(false, |ok, &w| {
            let code = self.code_of_window(office, w);
            ok | crate::config::constant_time_eq(code.as_bytes(), &given)
        })
    }

    /// The key a phone number's daily count is kept under: a keyed hash, so the store
    /// holds no number.
    pub fn phone_key(&self, office: &str, phone: &str) -> String {
        let mac = self.mac(&[b"join-phone", office.as_bytes(), phone.as_bytes()]);
        mac.iter().take(16).map(|b| format!("{b:02x}")).collect()
    }
}

/// What an anonymous turn brings to be let in.
pub struct JoinProof<'a> {
    /// The lobby code typed or scanned.
    pub code: Option<&'a str>,
    /// The citizen's phone number, already in its E.164 form.
    pub phone: Option<&'a str>,
}

/// Lets an anonymous turn in, or says why not, by the office's `join` mode (the
/// per-address limit is counted before, by the caller). Counts the phone's turn of the
/// day in `anywhere` mode; when the counters cannot be read (Redis away) the turn goes
/// ahead, as with the per-address limit.
pub fn admit(
    state: &AppState,
    o: &OfficePath,
    rules: &IssuingSpec,
    proof: &JoinProof<'_>,
) -> Result<(), ApiError> {
    let office = &o.spec.id;
    let now = state.engine.now();
    match rules.join {
        JoinMode::Off => Ok(()),
        JoinMode::Lobby => {
            let code = proof.code.ok_or(ApiError::JoinCodeInvalid)?;
            if state
                .join
                .accepts(office, code, now, rules.join_code_window)
            {
                Ok(())
            } else {
                tracing::info!(%office, "join refused: not the lobby's current code");
                Err(ApiError::JoinCodeInvalid)
            }
        }
        JoinMode::Anywhere => {
            let phone = proof.phone.ok_or(ApiError::PhoneRequired)?;
            let day = local_day(o.spec.timezone, now);
            let key = format!(
                "join-phone:{office}:{day}:{}",
                state.join.phone_key(office, phone)
            );
            // Longer than any day, so the count lasts until the key's day is over.
            let window = std::time::Duration::from_secs(26 * 3600);
            match state.counters.hit(&key, window) {
                Ok(n) if n > rules.join_daily_limit => {
                    let midnight = end_of_day(o.spec.timezone, day);
                    let left = (midnight - now).to_std().unwrap_or_default();
                    tracing::info!(%office, "join refused: the phone's turns for the day are taken");
                    Err(ApiError::JoinDailyLimit(seconds(left)))
                }
                Ok(_) => Ok(()),
                Err(e) => {
                    tracing::warn!(error = %e, "join daily limit not readable; not limiting");
                    Ok(())
                }
            }
        }
    }
}

/// `GET /offices/{office}/join-code`: how a citizen joins from the phone, for the lobby
/// displays to show.
#[derive(Serialize, ToSchema)]
pub struct JoinInvite {
    /// `lobby` or `anywhere`.
    join: &'static str,
    /// The page to open (with the code, in `lobby` mode): what the QR holds.
    url: String,
    /// The current code (`lobby` mode; null otherwise).
    code: Option<String>,
    /// When the code changes (`lobby` mode): ask again then.
    changes_at: Option<String>,
    /// The QR code of `url`, as an SVG picture.
    qr_svg: String,
}

/// `GET /api/v1/offices/{office}/join-code`: the join page's address, QR and — in `lobby`
/// mode — the current code, for a paired lobby display or staff (never for anyone else:
/// the code is what proves a citizen is in the lobby). In `anywhere` mode anyone may ask.
#[utoipa::path(get, path = "/api/v1/offices/{office}/join-code", tag = "citizens",
    params(("office" = String, Path, description = "Office id.")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "How to join, with the code in `lobby` mode.", body = JoinInvite),
        (status = 401, description = "`unauthenticated`: `lobby` mode without a device token or session.", body = ErrorBody),
        (status = 403, description = "`device_token_invalid` or `forbidden`.", body = ErrorBody),
        (status = 404, description = "`office_not_found`, or `join_off`: the office takes no turns from phones.", body = ErrorBody),
    ))]
pub async fn join_code(
    state: web::Data<AppState>,
    req: HttpRequest,
    o: OfficePath,
    link: LinkBase,
) -> Result<HttpResponse, ApiError> {
    let office = &o.spec.id;
    let rules = state.config.issuing(office);
    let base = o.spec.public_base_url.as_deref().unwrap_or(&link.0);
    let page = format!("{base}/join/{office}");
    let (url, code, changes_at) = match rules.join {
        JoinMode::Off => return Err(ApiError::JoinOff),
        JoinMode::Anywhere => (page, None, None),
        JoinMode::Lobby => {
            if super::auth::bearer(&req).is_none() {
                return Err(ApiError::Unauthenticated);
            }
            super::issuing::device_or_staff(&state, &req, office).await?;
            let current = state
                .join
                .current(office, state.engine.now(), rules.join_code_window);
            let changes_at = current.changes_at.with_timezone(&o.spec.timezone);
            (
                format!("{page}?code={}", current.code),
                Some(current.code),
                Some(changes_at.to_rfc3339()),
            )
        }
    };
    let qr = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| ApiError::NotFound)?;
    let qr_svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(JoinInvite {
            join: rules.join.as_str(),
            url,
            code,
            changes_at,
            qr_svg,
        }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_code_lasts_its_window_and_the_next_then_is_refused() {
        let codes = JoinCodes::new(b"secreto de prueba");
        let five = Duration::from_secs(300);
        let now = at("2026-12-01T15:02:00Z");
        let current = codes.current("central", now, five);
        assert_eq!(current.code.len(), CODE_LEN);
        assert!(current.code.bytes().all(|b| ALPHABET.contains(&b)));
        assert_eq!(current.changes_at, at("2026-12-01T15:05:00Z"));
        assert!(codes.accepts("central", &current.code, now, five));
        let lower = current.code.to_lowercase();
        let typed = format!("{}-{}", &lower[..3], &lower[3..]);
        assert!(codes.accepts("central", &typed, now, five), "as typed");
        // The next window still takes it; the one after does not.
        assert!(codes.accepts("central", &current.code, at("2026-12-01T15:09:59Z"), five));
        assert!(!codes.accepts("central", &current.code, at("2026-12-01T15:10:00Z"), five));
        assert_ne!(
            codes
                .current("central", at("2026-12-01T15:05:00Z"), five)
                .code,
            current.code
        );
        // Another office, or another secret, has other codes.
        assert!(!codes.accepts("norte", &current.code, now, five));
        let other = JoinCodes::new(b"otro secreto");
        assert_ne!(other.current("central", now, five).code, current.code);
        assert!(!codes.accepts("central", "", now, five));
    }

    #[test]
    fn phone_numbers_are_kept_only_as_keyed_hashes() {
        let codes = JoinCodes::new(b"k");
        let key = codes.phone_key("central", "+573001234567");
        assert_eq!(key.len(), 32);
        assert!(!key.contains("3001234567"));
        assert_ne!(key, codes.phone_key("central", "+573001234568"));
    }
}
