//! What an office broadcasts to its lobby screens (and anything else that follows it).
//! Messages are serialized once, in the engine, and shared by every screen.

use crate::domain::spec::ServiceIdx;
use crate::domain::state::{CallRecord, OfficeState};
use crate::views;
use bytestring::ByteString;
use serde_json::json;
use std::sync::Arc;

/// Capacity of each office's broadcast channel; a screen further behind gets a snapshot.
pub const FEED_CAPACITY: usize = 512;

/// One broadcast message. Texts are `ByteString`s: every screen sends the same bytes
/// (a reference count, not a copy).
#[derive(Debug, Clone)]
pub enum FeedEvent {
    /// A turn was called or recalled: API.md's `{"type": "call", …}`.
    Call {
        /// The message, serialized.
        json: ByteString,
        /// The called turn's service, for screens that show only some.
        service: ServiceIdx,
    },
    /// Waiting counts changed: API.md's `{"type": "waiting", …}`.
    Waiting {
        /// The message for screens showing every service, serialized.
        json: ByteString,
        /// The counts, for screens showing only some services.
        counts: Arc<Vec<views::WaitingJson>>,
    },
    /// These turns changed (called, started, served, cancelled…): the pages following
    /// one of them look again at once; every other page follows its position at leisure.
    Turns(Arc<[u32]>),
    /// The supervisors' alerts in force changed (`AlertRaised` / `AlertCleared`): only
    /// the supervisors' stream (`src/supervision/`) listens; lobby screens never see them.
    Alerts,
    /// The state was replaced (a new day, or a reload): screens need a fresh snapshot.
    Reset,
}

/// The `call` message for a call record.
pub fn call_event(state: &OfficeState, record: &CallRecord) -> FeedEvent {
    let call = views::call(state, record);
    FeedEvent::Call {
        json: ByteString::from(json!({"type": "call", "call": call}).to_string()),
        service: state.tickets[record.seq as usize].service,
    }
}

/// The `waiting` message for the current counts.
pub fn waiting_event(state: &OfficeState) -> FeedEvent {
    let counts = views::waiting(state);
    FeedEvent::Waiting {
        json: json!({"type": "waiting", "waiting": counts})
            .to_string()
            .into(),
        counts: Arc::new(counts),
    }
}

/// A screen's `snapshot` message, limited to some services when given.
pub fn snapshot(state: &OfficeState, services: Option<&[ServiceIdx]>) -> String {
    let shown = |s: ServiceIdx| services.is_none_or(|list| list.contains(&s));
    let calls: Vec<_> = state
        .recent_calls
        .iter()
        .filter(|r| shown(state.tickets[r.seq as usize].service))
        .map(|r| views::call(state, r))
        .collect();
    let waiting: Vec<_> = views::waiting(state)
        .into_iter()
        .enumerate()
        .filter(|(i, _)| shown(*i as ServiceIdx))
        .map(|(_, w)| w)
        .collect();
    json!({
        "type": "snapshot",
        "office": state.spec.id,
        "office_name": state.spec.name,
        "calls": calls,
        "waiting": waiting,
    })
    .to_string()
}

/// The `waiting` message limited to some services.
pub fn filtered_waiting(counts: &[views::WaitingJson], services: &[String]) -> String {
    let shown: Vec<_> = counts
        .iter()
        .filter(|w| services.contains(&w.service))
        .collect();
    json!({"type": "waiting", "waiting": shown}).to_string()
}
