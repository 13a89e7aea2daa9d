//! Sending: each message holds one of [`QUEUE_CAPACITY`](super::QUEUE_CAPACITY) places
//! from the moment it is due until it is sent or given up, and one of
//! [`SENDING_AT_ONCE`](super::SENDING_AT_ONCE) only while a try is in flight (a message
//! waiting for its retry holds no sending place). Nobody ever waits for a place: a full
//! queue drops the message, counted and logged.

use super::channel::{Channel, Recipient};
use super::contacts::mask;
use super::rules::{backoff, Kind};
use super::{Notifier, OfficeNotifier};
use crate::domain::Token;
use chrono::NaiveDate;
use std::sync::Arc;

/// One message to one recipient.
pub(super) struct Outgoing {
    pub day: NaiveDate,
    pub seq: u32,
    pub token: Token,
    pub kind: Kind,
    pub channel: Channel,
    pub to: Recipient,
    pub text: String,
}

impl Outgoing {
    /// The recipient as a log may show it.
    fn shown(&self) -> String {
        match &self.to {
            Recipient::Phone(p) => mask(p),
            Recipient::WebPush(_) => "web push".into(),
        }
    }
}

impl Notifier {
    /// Takes a message for sending, unless the queue is full (then it is dropped).
    pub(super) fn enqueue(self: &Arc<Self>, office: &Arc<OfficeNotifier>, message: Outgoing) {
        let Ok(slot) = self.slots.clone().try_acquire_owned() else {
            office.dropped.inc();
            tracing::warn!(
                office = %office.id,
                seq = message.seq,
                kind = message.kind.as_str(),
                "notification dropped: the delivery queue is full"
            );
            return;
        };
        office.queued.inc();
        office.health.pending(1);
        let notifier = self.clone();
        let office = office.clone();
        tokio::spawn(async move {
            notifier.deliver(&office, &message).await;
            office.queued.dec();
            office.health.pending(-1);
            drop(slot);
        });
    }

    /// Whether a message still has a point: its turn is where the message speaks of, and
    /// the citizen has not taken the contact back.
    async fn still_wanted(&self, office: &OfficeNotifier, m: &Outgoing) -> bool {
        let Ok(handle) = self.engine.office(&office.id) else {
            return false;
        };
        let fits = handle.read(|s| {
            s.day == m.day
                && s.live_ticket(m.seq)
                    .is_some_and(|t| t.token == m.token && m.kind.still_fits(t.status))
        });
        if !fits {
            return false;
        }
        let contacts = self.contacts.clone();
        let (id, day, seq) = (office.id.clone(), m.day, m.seq);
        let found = tokio::task::spawn_blocking(move || {
            contacts.rows(&id, day).map(|rows| {
                rows.into_iter()
                    .find(|(s, _)| *s == seq)
                    .and_then(|(_, row)| serde_json::from_str::<super::Contact>(&row).ok())
            })
        })
        .await;
        match (found, &m.to) {
            (Ok(Ok(Some(c))), Recipient::Phone(p)) => c.phone.as_deref() == Some(p.as_str()),
            (Ok(Ok(Some(c))), Recipient::WebPush(w)) => c.web_push.as_ref() == Some(w),
            (Ok(Ok(None)), _) => false,
            // The store cannot say: the message was due, keep trying.
            _ => true,
        }
    }

    async fn deliver(&self, office: &OfficeNotifier, m: &Outgoing) {
        let counters = office.counters(&m.channel, m.kind);
        // The supervisors' gateway status speaks of the gateway: one browser's push
        // service failing says nothing about it.
        let gateway = matches!(m.channel, Channel::Gateway(_));
        let mut attempt = 1;
        loop {
            if attempt > 1 && !self.still_wanted(office, m).await {
                tracing::info!(office = %office.id, seq = m.seq, kind = m.kind.as_str(),
                    "notification no longer sent: the turn moved on or the contact was taken back");
                return;
            }
            let result = {
                let Ok(_sending) = self.sending.acquire().await else {
                    return;
                };
                m.channel.send(&self.client, &m.to, &m.text).await
            };
            let error = match result {
                Ok(()) => {
                    if let Some(c) = counters {
                        c.sent.inc();
                    }
                    if gateway {
                        office.health.sent(m.day);
                    }
                    tracing::info!(office = %office.id, seq = m.seq, kind = m.kind.as_str(),
                        channel = m.channel.label(), to = %m.shown(), attempt, "notification sent");
                    return;
                }
                Err(e) => e,
            };
            if error.gone {
                // The browser unsubscribed or its subscription expired: nothing more is
                // sent to it, for this turn or any other message.
                if let Some(c) = counters {
                    c.failed.inc();
                }
                tracing::info!(office = %office.id, seq = m.seq, kind = m.kind.as_str(),
                    channel = m.channel.label(), reason = %error.reason,
                    "notification not delivered: the subscription is gone; it is dropped");
                if let Recipient::WebPush(gone) = &m.to {
                    self.forget_web_push(office, m.day, m.seq, gone).await;
                }
                return;
            }
            if gateway {
                office.health.try_failed(&error.reason, self.engine.now());
            }
            let wait = if error.retry {
                backoff(attempt, error.retry_after)
            } else {
                None
            };
            let Some(wait) = wait else {
                if let Some(c) = counters {
                    c.failed.inc();
                }
                if gateway {
                    office.health.gave_up(m.day);
                }
                tracing::warn!(office = %office.id, seq = m.seq, kind = m.kind.as_str(),
                    channel = m.channel.label(), to = %m.shown(), attempt, reason = %error.reason,
                    "notification given up");
                return;
            };
            if let Some(c) = counters {
                c.retries.inc();
            }
            tracing::info!(office = %office.id, seq = m.seq, kind = m.kind.as_str(),
                attempt, reason = %error.reason, wait_ms = wait.as_millis() as u64,
                "notification failed; trying again");
            // A little spread, so a burst that failed together does not retry together.
            let spread = wait.mul_f64(rand::random::<f64>() * 0.1);
            tokio::time::sleep(wait + spread).await;
            attempt += 1;
        }
    }
}
