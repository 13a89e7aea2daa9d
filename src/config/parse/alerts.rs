//! The supervisors' alert thresholds: per service `alert_waiting_over` and
//! `alert_wait_minutes_over`, per office `alert_pause_minutes_over`,
//! `alert_satisfaction_answers` and `alert_webhook_url`.

use super::errors::Errors;
use super::office::RawOffice;
use crate::domain::alerts::{AlertSpec, MAX_SATISFACTION_ANSWERS};
use toml::Spanned;

/// `alert_waiting_over`: at least 1 (an alert with nobody waiting would never clear).
pub(super) fn waiting_over(errors: &mut Errors<'_>, value: Option<&Spanned<u32>>) -> Option<u32> {
    let v = value?;
    if *v.get_ref() == 0 {
        errors.at(
            v,
            "alert_waiting_over debe ser al menos 1 (se avisa cuando esperan más personas que ese número)",
        );
    }
    Some(*v.get_ref())
}

/// `alert_wait_minutes_over`, in seconds: 1 to 600 minutes.
pub(super) fn wait_minutes_over(
    errors: &mut Errors<'_>,
    value: Option<&Spanned<u32>>,
) -> Option<u32> {
    let v = value?;
    if !(1..=600).contains(v.get_ref()) {
        errors.at(
            v,
            "alert_wait_minutes_over debe estar entre 1 y 600 minutos (sin él, se avisa al pasar la meta del servicio)",
        );
    }
    Some(v.get_ref() * 60)
}

/// The office's own thresholds and webhook.
pub(super) fn office_alerts(errors: &mut Errors<'_>, o: &RawOffice) -> AlertSpec {
    let mut spec = AlertSpec::default();
    if let Some(m) = &o.alert_pause_minutes_over {
        if !(1..=480).contains(m.get_ref()) {
            errors.at(
                m,
                "alert_pause_minutes_over debe estar entre 1 y 480 minutos de pausa",
            );
        }
        spec.pause_seconds_over = m.get_ref() * 60;
    }
    if let Some(k) = &o.alert_satisfaction_answers {
        if *k.get_ref() > MAX_SATISFACTION_ANSWERS {
            errors.at(
                k,
                format!("alert_satisfaction_answers debe estar entre 0 (sin aviso) y {MAX_SATISFACTION_ANSWERS} respuestas"),
            );
        }
        spec.satisfaction_answers = *k.get_ref();
    }
    if let Some(url) = &o.alert_webhook_url {
        let text = url.get_ref().trim();
        match reqwest::Url::parse(text) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                spec.webhook_url = Some(text.to_owned());
            }
            _ => errors.at(
                url,
                format!("alert_webhook_url «{text}» no es una dirección http(s) completa, como «https://avisos.example.org/turnero»"),
            ),
        }
    }
    spec
}
