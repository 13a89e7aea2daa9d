//! When a turn with a contact is told what: pure, from the turn as the durable state
//! has it and the office's "near" rule. The watcher asks this at every change; a message
//! goes out once per *key* (claimed in the contact store), so asking again is harmless.

use crate::domain::spec::NearRule;
use crate::domain::{TicketStatus, TicketView};
use chrono::{DateTime, Utc};

/// Recalls after which the citizen is not messaged again (the first call and this many
/// recalls are told).
pub const RECALLS_TOLD: u16 = 2;

/// Which message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The turn is near: come back to the lobby.
    Near,
    /// The turn is called to a counter.
    Called,
    /// Called again, more insistently.
    Recalled,
    /// Marked as not present.
    NoShow,
}

impl Kind {
    /// Every kind, for metrics.
    pub const ALL: [Kind; 4] = [Kind::Near, Kind::Called, Kind::Recalled, Kind::NoShow];

    /// The name in metrics and in the office's `texts`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Near => "near",
            Kind::Called => "called",
            Kind::Recalled => "recalled",
            Kind::NoShow => "no_show",
        }
    }

    /// Whether a message of this kind still makes sense for a turn now in `status`: a
    /// "near" that comes after the call, or a "called" once the citizen is at the
    /// counter, would only confuse.
    pub fn still_fits(self, status: TicketStatus) -> bool {
        match self {
            Kind::Near => status == TicketStatus::Waiting,
            Kind::Called | Kind::Recalled => status == TicketStatus::Called,
            Kind::NoShow => status == TicketStatus::NoShow,
        }
    }
}

/// What to do about a turn's contact now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing yet.
    Wait,
    /// Send this message, once per `key` (the turn's sequence and what happened to it,
    /// so a turn transferred back to waiting is told again when it nears and is called).
    Send(Kind, String),
    /// The turn has ended for good: erase the contact.
    Erase,
}

/// What to do about the contact of `view`'s turn at `now`. A no-show keeps its contact
/// through the minute in which it may be undone (`undo_within`), then it is erased.
pub fn verdict(
    view: &TicketView,
    near: &NearRule,
    now: DateTime<Utc>,
    undo_within: chrono::Duration,
) -> Verdict {
    let t = &view.ticket;
    let key = |what: &str| format!("{}:{what}-{}", t.seq, t.transfers);
    match t.status {
        TicketStatus::Waiting => match (view.position, view.estimated_wait_seconds) {
            (Some(position), Some(wait)) if near.is_near(position, wait) => {
                Verdict::Send(Kind::Near, key("near"))
            }
            _ => Verdict::Wait,
        },
        TicketStatus::Called if t.recalls == 0 => Verdict::Send(Kind::Called, key("called")),
        TicketStatus::Called if t.recalls <= RECALLS_TOLD => {
            Verdict::Send(Kind::Recalled, key(&format!("recall{}", t.recalls)))
        }
        TicketStatus::Called | TicketStatus::Serving => Verdict::Wait,
        TicketStatus::NoShow => {
            let undoable = t.finished_at.is_some_and(|at| now - at <= undo_within);
            if undoable {
                Verdict::Send(Kind::NoShow, key("no_show"))
            } else {
                Verdict::Erase
            }
        }
        TicketStatus::Served | TicketStatus::Cancelled | TicketStatus::Expired => Verdict::Erase,
    }
}

/// The wait before try `attempt + 1` after try `attempt` (1-based) failed: 1 s, 2 s,
/// 4 s, 8 s, 16 s; `None` once [`MAX_TRIES`] have been made. A gateway's `Retry-After`
/// (429, 503) is respected when longer, up to a minute.
pub fn backoff(
    attempt: u32,
    retry_after: Option<std::time::Duration>,
) -> Option<std::time::Duration> {
    if attempt >= MAX_TRIES {
        return None;
    }
    let own = std::time::Duration::from_secs(1 << (attempt - 1).min(4));
    Some(
        retry_after
            .map_or(own, |asked| asked.max(own))
            .min(std::time::Duration::from_secs(60)),
    )
}

/// Tries per message: the first and five retries.
pub const MAX_TRIES: u32 = 6;

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_backoff_doubles_to_sixteen_seconds_then_gives_up() {
        let waits: Vec<_> = (1..=MAX_TRIES).map(|a| backoff(a, None)).collect();
        assert_eq!(
            waits,
            [1, 2, 4, 8, 16]
                .map(|s| Some(Duration::from_secs(s)))
                .into_iter()
                .chain([None])
                .collect::<Vec<_>>()
        );
        assert_eq!(
            backoff(1, Some(Duration::from_secs(30))),
            Some(Duration::from_secs(30)),
            "a Retry-After longer than ours is respected"
        );
        assert_eq!(
            backoff(3, Some(Duration::from_secs(1))),
            Some(Duration::from_secs(4)),
            "a shorter one does not hurry us"
        );
        assert_eq!(
            backoff(1, Some(Duration::from_secs(3600))),
            Some(Duration::from_secs(60)),
            "nor does a gateway hold a message for an hour"
        );
    }

    #[test]
    fn kinds_fit_only_their_moment() {
        assert!(Kind::Near.still_fits(TicketStatus::Waiting));
        assert!(!Kind::Near.still_fits(TicketStatus::Called));
        assert!(Kind::Called.still_fits(TicketStatus::Called));
        assert!(!Kind::Called.still_fits(TicketStatus::Serving));
        assert!(!Kind::Recalled.still_fits(TicketStatus::Cancelled));
        assert!(Kind::NoShow.still_fits(TicketStatus::NoShow));
    }
}
