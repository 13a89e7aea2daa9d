//! The walk over one day's events: replays the day with the domain and measures each
//! counter's idle and pause time, credited to its agent and the pause's reason.

use super::millis;
use crate::domain::schedule::end_of_day;
use crate::domain::state::CounterStatus;
use crate::domain::{Event, OfficeSpec, OfficeState};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Idle and pause time, from one day's events, in whole milliseconds (added up exactly
/// over any range of days, shown as seconds).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) struct Time {
    /// Per agent.
    pub(super) idle: BTreeMap<String, u64>,
    /// Per agent.
    pub(super) paused: BTreeMap<String, u64>,
    /// Per reason: pauses taken and their time.
    pub(super) pauses: BTreeMap<String, (u32, u64)>,
}

type Idle = Option<(DateTime<Utc>, String)>;
type Paused = Option<(DateTime<Utc>, String, String)>;

/// Ends a counter's idle and pause intervals at `at`, crediting their agents.
fn end_intervals(idle: &mut Idle, paused: &mut Paused, at: DateTime<Utc>, time: &mut Time) {
    if let Some((since, agent)) = idle.take() {
        *time.idle.entry(agent).or_default() += millis(since, at);
    }
    if let Some((since, reason, agent)) = paused.take() {
        let secs = millis(since, at);
        *time.paused.entry(agent).or_default() += secs;
        time.pauses.entry(reason).or_default().1 += secs;
    }
}

/// Replays one day and measures idle and pause time per counter as it goes.
pub(super) fn replay_day(
    spec: &Arc<OfficeSpec>,
    day: NaiveDate,
    events: &[Event],
    now: DateTime<Utc>,
    time: &mut Time,
    watch: &mut super::fairness::Watch,
) -> (OfficeState, Vec<u32>) {
    let mut state = OfficeState::new(spec.clone(), day, events.first().map_or(now, Event::at));
    let n = spec.counters.len();
    // Per counter: since when idle / paused (with reason and agent).
    let mut idle_since: Vec<Idle> = vec![None; n];
    let mut paused_since: Vec<Paused> = vec![None; n];
    let mut closed_served = Vec::new();
    for e in events {
        watch.before(&state, e);
        if state.apply(e).is_err() {
            continue;
        }
        watch.after(&state, e);
        let at = e.at();
        match e {
            Event::CounterPaused { reason, .. } => {
                time.pauses.entry(reason.clone()).or_default().0 += 1;
            }
            Event::DayClosed {
                closed_served: c, ..
            } => closed_served.extend(c.iter().copied()),
            _ => {}
        }
        // Close and reopen the intervals of every counter whose standing changed.
        for c in 0..n {
            let s = &state.counters[c];
            let agent = s.agent.clone().unwrap_or_default();
            let idle_now = !state.closed && s.status == CounterStatus::Open && s.current.is_none();
            let paused_now = match (&s.status, state.closed) {
                (CounterStatus::Paused { reason }, false) => Some(reason.clone()),
                _ => None,
            };
            let idle_same = idle_now == idle_since[c].is_some()
                && idle_since[c].as_ref().is_none_or(|(_, a)| *a == agent);
            let paused_same = paused_now.as_ref() == paused_since[c].as_ref().map(|p| &p.1)
                && paused_since[c].as_ref().is_none_or(|p| p.2 == agent);
            if idle_same && paused_same {
                continue;
            }
            end_intervals(&mut idle_since[c], &mut paused_since[c], at, time);
            if idle_now {
                idle_since[c] = Some((at, agent.clone()));
            }
            if let Some(reason) = paused_now {
                paused_since[c] = Some((at, reason, agent));
            }
        }
    }
    // A day still open (today, or a day the process never closed) ends now or at its
    // midnight, whichever is first.
    let until = end_of_day(spec.timezone, day).min(now).max(state.last_at);
    for c in 0..n {
        end_intervals(&mut idle_since[c], &mut paused_since[c], until, time);
    }
    (state, closed_served)
}
