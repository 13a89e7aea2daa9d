//! One task per office: follows the engine's feed (and a slow tick, for what the feed
//! does not say: a no-show's undo minute running out, a contact stored by another
//! process), and at each change looks at every turn with a contact in the durable state.

use super::contacts::Contact;
use super::delivery::Outgoing;
use super::rules::{verdict, Kind, Verdict};
use super::template::{render_text, TextValues};
use super::{Notifier, OfficeNotifier};
use crate::domain::OfficeState;
use crate::engine::OfficeHandle;
use chrono::NaiveDate;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

/// A look at every contact at least this often, whatever the feed says.
const TICK: Duration = Duration::from_secs(2);
/// At most one look per this much time: a busy office's changes are taken together.
const GAP: Duration = Duration::from_millis(100);

/// What the watcher remembers between looks.
struct Watch {
    day: Option<NaiveDate>,
    /// Messages claimed already (by this process or another): not claimed again.
    claimed: HashSet<String>,
}

/// Follows one office until `shutdown`.
pub(super) async fn watch(
    notifier: Arc<Notifier>,
    handle: Arc<OfficeHandle>,
    office: Arc<OfficeNotifier>,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let mut feed = handle.subscribe();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut watch = Watch {
        day: None,
        claimed: HashSet::new(),
    };
    loop {
        tokio::select! {
            event = feed.recv() => {
                if let Err(tokio::sync::broadcast::error::RecvError::Closed) = event {
                    break;
                }
            }
            _ = office.wake.notified() => {}
            _ = tick.tick() => {}
            _ = shutdown.changed() => break,
        }
        tokio::time::sleep(GAP).await;
        // Whatever came meanwhile is seen by this one look.
        while !matches!(
            feed.try_recv(),
            Err(tokio::sync::broadcast::error::TryRecvError::Empty
                | tokio::sync::broadcast::error::TryRecvError::Closed)
        ) {}
        if let Err(e) = look(&notifier, &handle, &office, &mut watch).await {
            tracing::warn!(office = %office.id, error = %e, "notifications: the contacts could not be read or written; trying again shortly");
        }
    }
}

/// A message due, before it is claimed.
struct Due {
    key: String,
    seq: u32,
    contact: Contact,
    kind: Kind,
    text: String,
    /// The phone's Web Push message, where the contact has a subscription.
    push: Option<String>,
}

/// Runs blocking store work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, crate::store::StoreError> + Send + 'static,
) -> anyhow::Result<T> {
    Ok(tokio::task::spawn_blocking(work).await??)
}

async fn look(
    notifier: &Arc<Notifier>,
    handle: &OfficeHandle,
    office: &Arc<OfficeNotifier>,
    watch: &mut Watch,
) -> anyhow::Result<()> {
    let today = handle.read(|s| s.day);
    let store = notifier.contacts.clone();
    let id = office.id.clone();
    if watch.day != Some(today) {
        // A new day (or the first look): the days before closed, their turns ended.
        let (s, i) = (store.clone(), id.clone());
        blocking(move || s.drop_before(&i, today)).await?;
        watch.claimed.clear();
        watch.day = Some(today);
    }
    let (s, i) = (store.clone(), id.clone());
    let rows = blocking(move || s.rows(&i, today)).await?;
    if rows.is_empty() {
        return Ok(());
    }
    let now = notifier.engine.now();
    let (due, erase) = handle.read(|state| {
        let mut due = Vec::new();
        let mut erase = Vec::new();
        for (seq, row) in rows {
            let Ok(contact) = serde_json::from_str::<Contact>(&row) else {
                tracing::warn!(office = %id, seq, "notifications: an unreadable contact was erased");
                erase.push(seq);
                continue;
            };
            let Some(ticket) = state.tickets.get(seq as usize) else {
                // Issued on another process, not taken in here yet.
                continue;
            };
            if ticket.token != contact.token || ticket.placeholder {
                erase.push(seq);
                continue;
            }
            let view = state.view(seq, now);
            match verdict(
                &view,
                &state.spec.near,
                now,
                crate::domain::decide::UNDO_NO_SHOW_WITHIN,
            ) {
                Verdict::Erase => erase.push(seq),
                Verdict::Send(kind, key) if !watch.claimed.contains(&key) => {
                    if office.routes(&contact).is_empty() {
                        continue;
                    }
                    let text = text_of(office, state, &view, kind);
                    let push = contact
                        .web_push
                        .is_some()
                        .then(|| super::web_push::message_of(state, &view, kind));
                    due.push(Due {
                        key,
                        seq,
                        contact,
                        kind,
                        text,
                        push,
                    });
                }
                Verdict::Send(..) | Verdict::Wait => {}
            }
        }
        (due, erase)
    });
    if !due.is_empty() {
        let keys: Vec<String> = due.iter().map(|d| d.key.clone()).collect();
        let (s, i, k) = (store.clone(), id.clone(), keys.clone());
        let won = blocking(move || s.claim(&i, today, &k)).await?;
        watch.claimed.extend(keys);
        for (d, won) in due.into_iter().zip(won) {
            if !won {
                continue;
            }
            for (channel, to) in office.routes(&d.contact) {
                let text = match (&to, &d.push) {
                    (super::channel::Recipient::WebPush(_), Some(push)) => push.clone(),
                    _ => d.text.clone(),
                };
                notifier.enqueue(
                    office,
                    Outgoing {
                        day: today,
                        seq: d.seq,
                        token: d.contact.token,
                        kind: d.kind,
                        channel,
                        to,
                        text,
                    },
                );
            }
        }
    }
    if !erase.is_empty() {
        let (s, i) = (store.clone(), id.clone());
        blocking(move || s.remove(&i, today, &erase)).await?;
    }
    Ok(())
}

/// The message's text in the turn's language.
fn text_of(
    office: &OfficeNotifier,
    state: &OfficeState,
    view: &crate::domain::TicketView,
    kind: Kind,
) -> String {
    let spec = &state.spec;
    let t = &view.ticket;
    let language = t.language.unwrap_or_else(|| spec.own_language());
    let texts = office.spec.texts_in(language);
    let template = match kind {
        Kind::Near => &texts.near,
        Kind::Called => &texts.called,
        Kind::Recalled => &texts.recalled,
        Kind::NoShow => &texts.no_show,
    };
    let code = spec.code(t.code_service, t.number);
    let counter = t
        .counter
        .map(|c| spec.counters[c as usize].name.as_str())
        .unwrap_or("");
    let minutes = view.estimated_wait_seconds.map_or(0, |s| s.div_ceil(60));
    render_text(
        template,
        &TextValues {
            code: &code,
            counter,
            office: &spec.name,
            minutes,
        },
    )
}
