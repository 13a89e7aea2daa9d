//! The Web Push channel: the office's VAPID keys and `src/webpush/`'s sender behind
//! [`Channel::WebPush`](super::channel::Channel::WebPush), and the message a turn's
//! moment becomes on the phone (the page's own words, in the turn's language, rather
//! than the office's SMS texts: the page and its notifications replace each other).

use super::channel::SendError;
use super::contacts::WebPushSubscription;
use super::rules::Kind;
use super::{Notifier, OfficeNotifier};
use crate::config::notifications::NotificationsSpec;
use crate::domain::{OfficeState, TicketView};
use crate::webpush::{PushError, PushMessage, Subscription, VapidKeys, WebPushSender};

/// An office's Web Push: its sender, and whether the tests' loopback endpoints are taken.
pub struct WebPushChannel {
    sender: WebPushSender,
    allow_insecure: bool,
}

impl WebPushChannel {
    /// The office's channel when it has a VAPID key (read and checked with the
    /// configuration, so it reads here too), sending through `client`.
    pub fn from_spec(
        spec: &NotificationsSpec,
        client: &reqwest::Client,
        allow_insecure: bool,
    ) -> anyhow::Result<Option<WebPushChannel>> {
        let Some(key) = &spec.vapid_private_key else {
            return Ok(None);
        };
        let keys = VapidKeys::parse(&key.0)?;
        let subject = spec.vapid_subject.clone().unwrap_or_default();
        Ok(Some(WebPushChannel {
            sender: WebPushSender::new(keys, subject, client.clone()),
            allow_insecure,
        }))
    }

    /// The public key browsers subscribe with.
    pub fn public_key(&self) -> String {
        self.sender.public_key()
    }

    /// Sends the message `json` (a [`PushMessage`]) to `to`: a subscription the push
    /// service no longer has is `gone`, so the caller drops it.
    pub async fn send(&self, to: &WebPushSubscription, json: &str) -> Result<(), SendError> {
        let refused = |reason: String| SendError {
            reason,
            retry: false,
            retry_after: None,
            gone: false,
        };
        let value = serde_json::to_value(to).map_err(|e| refused(e.to_string()))?;
        let subscription = Subscription::from_json(&value, self.allow_insecure)
            .map_err(|e| refused(format!("suscripción no válida: {e}")))?;
        let message: PushMessage =
            serde_json::from_str(json).map_err(|e| refused(format!("mensaje no válido: {e}")))?;
        self.sender
            .send_message(&subscription, &message)
            .await
            .map_err(|e| match e {
                PushError::Gone { status } => SendError {
                    reason: format!(
                        "el servicio de notificaciones ya no tiene la suscripción (HTTP {status})"
                    ),
                    retry: false,
                    retry_after: None,
                    gone: true,
                },
                PushError::Retryable {
                    reason,
                    retry_after,
                } => SendError {
                    reason,
                    retry: true,
                    retry_after,
                    gone: false,
                },
                PushError::Rejected { reason, .. } => refused(reason),
            })
    }
}

/// The phone's message for `kind` of `view`'s turn, as JSON.
pub(super) fn message_of(state: &OfficeState, view: &TicketView, kind: Kind) -> String {
    let spec = &state.spec;
    let t = &view.ticket;
    let language = t.language.unwrap_or_else(|| spec.own_language());
    let code = spec.code(t.code_service, t.number);
    let token = t.token.to_string();
    let counter = t
        .counter
        .map(|c| spec.counters[c as usize].name.as_str())
        .unwrap_or("");
    let message = match kind {
        Kind::Near => PushMessage::near(language, &token, &code, view.position.unwrap_or(0)),
        Kind::Called => PushMessage::called(language, &token, &code, counter),
        Kind::Recalled => PushMessage::recalled(language, &token, &code, counter),
        Kind::NoShow => PushMessage::no_show(language, &token, &code),
    };
    String::from_utf8(message.to_bytes()).expect("JSON is UTF-8")
}

impl Notifier {
    /// Drops `gone` from turn `seq`'s contact, if it is still the one kept there (the
    /// citizen may have subscribed again meanwhile); a contact left empty is forgotten.
    pub(super) async fn forget_web_push(
        &self,
        office: &OfficeNotifier,
        day: chrono::NaiveDate,
        seq: u32,
        gone: &WebPushSubscription,
    ) {
        let contacts = self.contacts.clone();
        let (id, gone) = (office.id.clone(), gone.clone());
        let wake = tokio::task::spawn_blocking(move || {
            let rows = contacts.rows(&id, day)?;
            let Some(mut contact) = rows
                .into_iter()
                .find(|(s, _)| *s == seq)
                .and_then(|(_, row)| serde_json::from_str::<super::Contact>(&row).ok())
            else {
                return Ok(());
            };
            if contact.web_push.as_ref() != Some(&gone) {
                return Ok(());
            }
            contact.web_push = None;
            if contact.is_empty() {
                contacts.remove(&id, day, &[seq])
            } else {
                let row = serde_json::to_string(&contact)
                    .map_err(|e| crate::store::StoreError::Unavailable(e.to_string()))?;
                contacts.put(&id, day, seq, &row)
            }
        })
        .await;
        if !matches!(wake, Ok(Ok(()))) {
            tracing::warn!(office = %office.id, seq,
                "notifications: a subscription that is gone could not be dropped; it is dropped when the turn ends");
        }
    }
}
