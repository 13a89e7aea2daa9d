//! Telling citizens by SMS/WhatsApp (the office's gateway) and Web Push, when
//! their turn is near, is called, is called again or was given up as a no-show.
//!
//! - `contacts`: what a citizen leaves (phone, browser subscription, language), kept in
//!   the [`ContactStore`] (beside the logs, never in them) until the turn ends;
//! - `watcher`: one task per office following the engine's feed; from the durable state
//!   and the office's `NearRule` (`rules`) it decides what is due, claims each message
//!   once in the store (of several processes one wins), queues it, and erases the
//!   contacts of ended turns;
//! - `delivery`: a bounded set of messages in flight (full: counted and dropped with a
//!   warning, never waited for), each tried up to six times with 1–16 s backoff,
//!   respecting `Retry-After`, given up once its moment has passed;
//! - `channel`: how a message goes out (`Channel::Gateway`, `Channel::WebPush`);
//!   `web_push`: the office's VAPID sender and the phone's message (a subscription the
//!   push service no longer has is dropped from the contact); `template`: the gateway's body and the texts; `status`: how the
//!   gateway is doing, for supervisors.
//!
//! Nothing here ever blocks the engine or a request: the engine only broadcasts, and
//! handlers only store a contact and wake the watcher.

pub mod channel;
pub mod contacts;
mod delivery;
pub mod rules;
pub mod status;
pub mod template;
mod watcher;
pub mod web_push;

use crate::config::notifications::NotificationsSpec;
use crate::config::Config;
use crate::engine::Engine;
use crate::metrics::{Metrics, NotifyCounters};
use crate::store::{ContactStore, StoreError};
use channel::{Channel, Recipient};
use chrono::NaiveDate;
use contacts::Contact;
use prometheus_client::metrics::{counter::Counter, gauge::Gauge};
use rules::Kind;
use std::collections::HashMap;
use std::sync::Arc;

/// Messages accepted and not yet sent or given up, in all: beyond it new ones are
/// dropped (counted, with a warning) rather than held up.
pub const QUEUE_CAPACITY: usize = 10_000;
/// Messages being sent at once (tries in flight to the gateways).
pub const SENDING_AT_ONCE: usize = 64;

/// One office's notifications: its configuration, channels, health and metrics.
pub struct OfficeNotifier {
    /// The office id.
    pub id: String,
    /// `[offices.notifications]`.
    pub spec: NotificationsSpec,
    gateway: Option<Channel>,
    web_push: Option<Channel>,
    web_push_key: Option<String>,
    /// How its gateway is doing.
    pub health: status::Health,
    wake: tokio::sync::Notify,
    queued: Gauge,
    dropped: Counter,
    counters: HashMap<(&'static str, Kind), NotifyCounters>,
}

impl OfficeNotifier {
    /// The channel that reaches `to`, if the office has one.
    pub fn channel_for(&self, to: &Recipient) -> Option<Channel> {
        match to {
            Recipient::Phone(_) => self.gateway.clone(),
            Recipient::WebPush(_) => self.web_push.clone(),
        }
    }

    /// The public key browsers subscribe with, where the office has Web Push.
    pub fn web_push_key(&self) -> Option<&str> {
        self.web_push_key.as_deref()
    }

    /// Where a contact's messages go, and how.
    fn routes(&self, contact: &Contact) -> Vec<(Channel, Recipient)> {
        let mut routes = Vec::new();
        let recipients = contact
            .phone
            .iter()
            .map(|p| Recipient::Phone(p.clone()))
            .chain(
                contact
                    .web_push
                    .iter()
                    .map(|w| Recipient::WebPush(w.clone())),
            );
        for to in recipients {
            if let Some(channel) = self.channel_for(&to) {
                routes.push((channel, to));
            }
        }
        routes
    }

    fn counters(&self, channel: &Channel, kind: Kind) -> Option<&NotifyCounters> {
        self.counters.get(&(channel.label(), kind))
    }
}

/// Every office's notifications, for one process.
pub struct Notifier {
    client: reqwest::Client,
    contacts: Arc<dyn ContactStore>,
    engine: Arc<Engine>,
    offices: HashMap<String, Arc<OfficeNotifier>>,
    slots: Arc<tokio::sync::Semaphore>,
    sending: Arc<tokio::sync::Semaphore>,
}

impl Notifier {
    /// The notifier of every office of `config`; nothing runs until [`Notifier::start`].
    pub fn new(
        config: &Config,
        engine: Arc<Engine>,
        contacts: Arc<dyn ContactStore>,
        metrics: &Metrics,
    ) -> anyhow::Result<Notifier> {
        // One set of HTTP settings for every message the server sends.
        let builder = || {
            reqwest::Client::builder()
                .user_agent(concat!("Turnero/", env!("CARGO_PKG_VERSION")))
                .connect_timeout(std::time::Duration::from_secs(5))
                .pool_max_idle_per_host(SENDING_AT_ONCE)
        };
        let client = builder().build()?;
        // Citizens' push endpoints come from browsers: their hosts must resolve to public
        // addresses, and no redirect may lead elsewhere (`webpush::PublicOnly`). The
        // gateway and the alert webhook are the configuration's, on the shared client.
        let push_client = builder()
            .dns_resolver(Arc::new(crate::webpush::PublicOnly))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let mut offices = HashMap::new();
        for office in &config.offices {
            let spec = config.notifications(&office.id).clone();
            let (queued, dropped) = metrics.notify_queue(&office.id);
            let mut counters = HashMap::new();
            for channel in ["sms", "web_push"] {
                for kind in Kind::ALL {
                    counters.insert(
                        (channel, kind),
                        metrics.notify(&office.id, channel, kind.as_str()),
                    );
                }
            }
            let gateway = spec.gateway.clone().map(|g| Channel::Gateway(Arc::new(g)));
            let push = web_push::WebPushChannel::from_spec(
                &spec,
                &push_client,
                config.server.allow_insecure_push_endpoints,
            )?
            .map(Arc::new);
            let web_push_key = push.as_ref().map(|p| p.public_key());
            let web_push = push.map(Channel::WebPush);
            offices.insert(
                office.id.clone(),
                Arc::new(OfficeNotifier {
                    id: office.id.clone(),
                    spec,
                    gateway,
                    web_push,
                    web_push_key,
                    health: status::Health::default(),
                    wake: tokio::sync::Notify::new(),
                    queued,
                    dropped,
                    counters,
                }),
            );
        }
        Ok(Notifier {
            client,
            contacts,
            engine,
            offices,
            slots: Arc::new(tokio::sync::Semaphore::new(QUEUE_CAPACITY)),
            sending: Arc::new(tokio::sync::Semaphore::new(SENDING_AT_ONCE)),
        })
    }

    /// The one HTTP client of the notifications (shared with Web Push).
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Claims a message that must go out once among every process (an alert posted to
    /// the office's webhook), by `key` in the contact store's claims; `false` when
    /// another caller had it, or the store could not say (then nobody posts twice).
    pub fn claim_once(&self, office: &str, day: chrono::NaiveDate, key: String) -> bool {
        match self.contacts.claim(office, day, &[key]) {
            Ok(won) => won.first().copied().unwrap_or(false),
            Err(e) => {
                tracing::warn!(office, error = %e, "could not claim an alert for its webhook");
                false
            }
        }
    }

    /// An office's notifications.
    pub fn office(&self, id: &str) -> Option<&Arc<OfficeNotifier>> {
        self.offices.get(id)
    }

    /// Starts a watcher per office; they stop when `shutdown` turns true.
    pub fn start(self: &Arc<Self>, shutdown: tokio::sync::watch::Receiver<bool>) {
        for handle in self.engine.offices() {
            if let Some(office) = self.offices.get(&handle.spec.id) {
                tokio::spawn(watcher::watch(
                    self.clone(),
                    handle.clone(),
                    office.clone(),
                    shutdown.clone(),
                ));
            }
        }
    }

    /// The contact left for turn `seq` of an office's `day`, if any. Blocks (the store).
    pub fn contact(
        &self,
        office: &str,
        day: NaiveDate,
        seq: u32,
    ) -> Result<Option<Contact>, StoreError> {
        Ok(self
            .contacts
            .rows(office, day)?
            .into_iter()
            .find(|(s, _)| *s == seq)
            .and_then(|(_, row)| serde_json::from_str(&row).ok()))
    }

    /// Keeps a turn's contact (an empty one is forgotten) and has the office's watcher
    /// look at it at once. Blocks (the store).
    pub fn save(
        &self,
        office: &str,
        day: NaiveDate,
        seq: u32,
        contact: &Contact,
    ) -> Result<(), StoreError> {
        if contact.is_empty() {
            self.contacts.remove(office, day, &[seq])?;
        } else {
            let row = serde_json::to_string(contact)
                .map_err(|e| StoreError::Unavailable(e.to_string()))?;
            self.contacts.put(office, day, seq, &row)?;
        }
        if let Some(o) = self.offices.get(office) {
            o.wake.notify_one();
        }
        Ok(())
    }
}
