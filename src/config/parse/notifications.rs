//! `[offices.notifications]`: the office's SMS/WhatsApp gateway (`gateway_url`,
//! `gateway_method`, `gateway_headers` with `env:NAME` secrets, `gateway_body`), the
//! texts of its messages and the Web Push key. Secrets named by `env:` are read now, so
//! a missing variable stops the start with its line rather than failing every message.

use super::errors::Errors;
use crate::config::notifications::{
    GatewayMethod, GatewaySpec, NotificationsSpec, Secret, Texts, DEFAULT_GATEWAY_BODY,
};
use crate::domain::Language;
use crate::notify::template::{
    render_body, unknown_placeholders, BODY_PLACEHOLDERS, TEXT_PLACEHOLDERS,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::Duration;
use toml::Spanned;

/// Longest a message's text may be: four SMS segments.
const MAX_TEXT_CHARS: usize = 600;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNotifications {
    gateway_url: Option<Spanned<String>>,
    gateway_method: Option<Spanned<String>>,
    #[serde(default)]
    gateway_headers: BTreeMap<Spanned<String>, Spanned<String>>,
    gateway_body: Option<Spanned<String>>,
    gateway_timeout_seconds: Option<Spanned<u32>>,
    /// The texts in the office's own language.
    texts: Option<RawTexts>,
    /// The texts in its other languages, by code (`texts_in.en`).
    #[serde(default)]
    texts_in: BTreeMap<Spanned<String>, RawTexts>,
    vapid_private_key: Option<Spanned<String>>,
    vapid_subject: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTexts {
    near: Option<Spanned<String>>,
    called: Option<Spanned<String>>,
    recalled: Option<Spanned<String>>,
    no_show: Option<Spanned<String>>,
}

/// A value, or the environment variable it names (`env:NAME`).
fn secret(errors: &mut Errors<'_>, value: &Spanned<String>, what: &str) -> Option<Secret> {
    let Some(name) = value.get_ref().strip_prefix("env:") else {
        return Some(Secret(value.get_ref().clone()));
    };
    match std::env::var(name) {
        Ok(found) if !found.is_empty() => Some(Secret(found)),
        _ => {
            errors.at(
                value,
                format!("{what} nombra la variable de entorno {name}, que no está definida: defínala antes de iniciar Turnero o ponga el valor directamente"),
            );
            None
        }
    }
}

fn gateway(errors: &mut Errors<'_>, raw: &RawNotifications) -> Option<GatewaySpec> {
    let Some(url) = &raw.gateway_url else {
        let alone = |what: &str| {
            format!(
                "{what} sin gateway_url: indique la dirección de la pasarela de SMS o quite {what}"
            )
        };
        if let Some(m) = &raw.gateway_method {
            errors.at(m, alone("gateway_method"));
        }
        if let Some(b) = &raw.gateway_body {
            errors.at(b, alone("gateway_body"));
        }
        return None;
    };
    let text = url.get_ref().trim();
    let scheme_ok = text.starts_with("https://") || text.starts_with("http://");
    if !scheme_ok || reqwest::Url::parse(text).is_err() {
        errors.at(
            url,
            format!("gateway_url «{text}» no es una dirección http:// o https:// válida"),
        );
    }
    let method = match raw
        .gateway_method
        .as_ref()
        .map(|m| (m, m.get_ref().to_ascii_uppercase()))
    {
        None => GatewayMethod::Post,
        Some((_, m)) if m == "POST" => GatewayMethod::Post,
        Some((_, m)) if m == "PUT" => GatewayMethod::Put,
        Some((spanned, _)) => {
            errors.at(spanned, "gateway_method debe ser «POST» o «PUT»");
            GatewayMethod::Post
        }
    };
    let mut headers = Vec::new();
    for (name, value) in &raw.gateway_headers {
        if reqwest::header::HeaderName::from_bytes(name.get_ref().as_bytes()).is_err() {
            errors.at(
                name,
                format!(
                    "gateway_headers: «{}» no es un nombre de cabecera HTTP",
                    name.get_ref()
                ),
            );
            continue;
        }
        let what = format!("gateway_headers.{}", name.get_ref());
        if let Some(secret) = secret(errors, value, &what) {
            if reqwest::header::HeaderValue::from_str(&secret.0).is_err() {
                errors.at(value, format!("{what}: el valor no puede ir en una cabecera HTTP (saltos de línea o caracteres de control)"));
                continue;
            }
            headers.push((name.get_ref().clone(), secret));
        }
    }
    let body = raw
        .gateway_body
        .as_ref()
        .map_or(DEFAULT_GATEWAY_BODY, |b| b.get_ref().as_str())
        .to_owned();
    if let Some(spanned) = &raw.gateway_body {
        let unknown = unknown_placeholders(&body, &BODY_PLACEHOLDERS);
        if !unknown.is_empty() {
            errors.at(
                spanned,
                format!(
                    "gateway_body usa {}, que no existe: use {{phone}} y {{text}}",
                    unknown.join(", ")
                ),
            );
        }
        for needed in ["{phone}", "{text}"] {
            if !body.contains(needed) {
                errors.at(spanned, format!("gateway_body debe llevar {needed}: la pasarela necesita el número y el texto"));
            }
        }
        // Filled with a text full of quotes and line breaks, it must still be JSON.
        let sample = render_body(&body, "+573001234567", "«A-001» \"pase\"\n");
        if serde_json::from_str::<serde_json::Value>(&sample).is_err() {
            errors.at(spanned, "gateway_body no es JSON válido una vez puestos el número y el texto: ponga {phone} y {text} entre comillas, como en {\"to\": \"{phone}\", \"text\": \"{text}\"}");
        }
    }
    let timeout = match &raw.gateway_timeout_seconds {
        Some(s) if !(1..=60).contains(s.get_ref()) => {
            errors.at(s, "gateway_timeout_seconds debe estar entre 1 y 60");
            Duration::from_secs(10)
        }
        Some(s) => Duration::from_secs(u64::from(*s.get_ref())),
        None => Duration::from_secs(10),
    };
    Some(GatewaySpec {
        url: text.to_owned(),
        method,
        headers,
        body,
        timeout,
    })
}

fn texts(errors: &mut Errors<'_>, raw: Option<&RawTexts>, language: Language) -> Texts {
    let mut texts = Texts::default_in(language);
    let Some(raw) = raw else { return texts };
    for (given, slot, name) in [
        (&raw.near, &mut texts.near, "near"),
        (&raw.called, &mut texts.called, "called"),
        (&raw.recalled, &mut texts.recalled, "recalled"),
        (&raw.no_show, &mut texts.no_show, "no_show"),
    ] {
        let Some(given) = given else { continue };
        let text = given.get_ref().trim();
        if text.is_empty() || text.chars().count() > MAX_TEXT_CHARS {
            errors.at(
                given,
                format!("texts.{name} debe tener entre 1 y {MAX_TEXT_CHARS} caracteres"),
            );
            continue;
        }
        let unknown = unknown_placeholders(text, &TEXT_PLACEHOLDERS);
        if !unknown.is_empty() {
            errors.at(given, format!("texts.{name} usa {}, que no existe: use {{code}}, {{counter}}, {{office}} o {{minutes}}", unknown.join(", ")));
        }
        *slot = text.to_owned();
    }
    texts
}

/// The office's notifications; errors go to `errors`. `languages` are the office's, its
/// own first.
pub(super) fn notifications(
    errors: &mut Errors<'_>,
    raw: Option<&RawNotifications>,
    languages: &[Language],
) -> NotificationsSpec {
    let Some(raw) = raw else {
        return NotificationsSpec::default();
    };
    let own = languages.first().copied().unwrap_or(Language::Es);
    let mut by_language = vec![(own, texts(errors, raw.texts.as_ref(), own))];
    for (code, given) in &raw.texts_in {
        match Language::from_code(code.get_ref()) {
            Some(l) if l == own => errors.at(
                code,
                format!(
                    "texts_in.{}: es el idioma propio de la oficina; ponga esos textos en texts",
                    code.get_ref()
                ),
            ),
            Some(l) if languages.contains(&l) => {
                by_language.push((l, texts(errors, Some(given), l)))
            }
            _ => errors.at(
                code,
                format!(
                    "texts_in.{}: la oficina no ofrece ese idioma (languages)",
                    code.get_ref()
                ),
            ),
        }
    }
    let vapid_private_key = raw
        .vapid_private_key
        .as_ref()
        .and_then(|k| secret(errors, k, "vapid_private_key"));
    // A key that does not read stops the start here, with its line, rather than every
    // citizen's subscription later.
    if let (Some(given), Some(key)) = (&raw.vapid_private_key, &vapid_private_key) {
        if let Err(e) = crate::webpush::VapidKeys::parse(&key.0) {
            errors.at(given, format!("vapid_private_key: {e}"));
        } else if raw.vapid_subject.is_none() {
            // Push services (Apple's among them) refuse a token without a contact.
            errors.at(given, "falta vapid_subject: escriba a quién pueden escribir los servicios de notificaciones, como vapid_subject = \"mailto:soporte@ejemplo.gov\"");
        }
    }
    if let Some(subject) = &raw.vapid_subject {
        let s = subject.get_ref();
        if !(s.starts_with("mailto:") || s.starts_with("https:")) {
            errors.at(subject, "vapid_subject debe empezar por «mailto:» o «https:» (un contacto del responsable del servicio)");
        }
    }
    NotificationsSpec {
        gateway: gateway(errors, raw),
        texts: by_language,
        vapid_private_key,
        vapid_subject: raw.vapid_subject.as_ref().map(|s| s.get_ref().clone()),
    }
}
