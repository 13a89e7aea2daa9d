//! Alerts posted to the office's `alert_webhook_url` as they are raised and cleared:
//! `{"office", "event": "raised"|"cleared", "kind", "service", "counter", "kiosk",
//! "since", "at"}`, through the notifications' HTTP client, retried with their backoff
//! (`notify::rules::backoff`). With several processes every watcher sees the change;
//! the claim (`Notifier::claim_once`, as the citizens' messages are claimed) makes one of
//! them post it.

use crate::domain::alerts::AlertInForce;
use crate::engine::OfficeHandle;
use chrono::{DateTime, Utc};

/// Posts what changed between `before` and `after` (the alerts in force).
pub(super) fn changes(
    notifier: &std::sync::Arc<crate::notify::Notifier>,
    office: &OfficeHandle,
    before: &[AlertInForce],
    after: &[AlertInForce],
    now: DateTime<Utc>,
) {
    let Some(url) = office.spec.alerts.webhook_url.clone() else {
        return;
    };
    let raised = after
        .iter()
        .filter(|a| !before.iter().any(|b| b.alert == a.alert))
        .map(|a| ("raised", a));
    let cleared = before
        .iter()
        .filter(|b| !after.iter().any(|a| a.alert == b.alert))
        .map(|b| ("cleared", b));
    let day = office.read(|s| s.day);
    for (event, alert) in raised.chain(cleared) {
        let key = format!(
            "alert:{event}:{}:{}:{}:{}:{}",
            alert.alert.kind.as_str(),
            alert.alert.service.as_deref().unwrap_or(""),
            alert.alert.counter.as_deref().unwrap_or(""),
            alert.alert.kiosk.as_deref().unwrap_or(""),
            alert.since.timestamp()
        );
        if !notifier.claim_once(&office.spec.id, day, key) {
            continue;
        }
        let body = serde_json::json!({
            "office": office.spec.id,
            "event": event,
            "kind": alert.alert.kind,
            "service": alert.alert.service,
            "counter": alert.alert.counter,
            "kiosk": alert.alert.kiosk,
            "since": crate::views::local_time(&office.spec, alert.since),
            "at": crate::views::local_time(&office.spec, now),
        });
        tokio::spawn(post(notifier.client().clone(), url.clone(), body));
    }
}

async fn post(client: reqwest::Client, url: String, body: serde_json::Value) {
    let mut attempt = 1;
    loop {
        let answer = client
            .post(&url)
            .timeout(std::time::Duration::from_secs(10))
            .json(&body)
            .send()
            .await;
        let retry_after = match answer {
            Ok(r) if r.status().is_success() => return,
            Ok(r) if r.status().is_client_error() && r.status().as_u16() != 429 => {
                tracing::warn!(
                    status = r.status().as_u16(),
                    "the alert webhook refused an alert"
                );
                return;
            }
            Ok(r) => r
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(std::time::Duration::from_secs),
            Err(_) => None,
        };
        match crate::notify::rules::backoff(attempt, retry_after) {
            Some(wait) => tokio::time::sleep(wait).await,
            None => {
                tracing::warn!("the alert webhook did not take an alert after every retry");
                return;
            }
        }
        attempt += 1;
    }
}
