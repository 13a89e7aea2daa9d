//! Opening an office's day for writing: load the log, replay it, record what loading had
//! to cut, open a day that has no log yet, and close the day before if it was left open.
//! Another process may do the same at the same moment: a conflict means it wrote first,
//! so the log is loaded again and its records taken as they are.

use crate::domain::schedule::end_of_day;
use crate::domain::state::ApplyError;
use crate::domain::{close_day, CounterCarry, Event, LogEntry, OfficeSpec, OfficeState};
use crate::store::{BatchId, EventStore, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashSet;
use std::sync::Arc;

/// Attempts at opening or closing a day while other writers keep getting in first.
const ATTEMPTS: usize = 5;
/// Events skipped while rebuilding a day that are logged one by one; the rest are counted.
const WARNINGS_PER_DAY: usize = 200;

/// A day's log loaded into a state, with what loading found.
pub(super) struct OpenedDay {
    /// The day's state.
    pub state: OfficeState,
    /// The log's version.
    pub version: u64,
    /// Damage found (and kept aside or cut) while loading, in Spanish.
    pub damage: Vec<String>,
}

/// Loads `day` for its writer. A torn tail the store cut is recorded in the log (it may
/// have held a turn, so numbering stays above it); a day with no log yet is opened with
/// `DayOpened`, carrying `carry` (the counters left open the day before).
pub(super) fn open_day(
    spec: &Arc<OfficeSpec>,
    store: &dyn EventStore,
    day: NaiveDate,
    now: DateTime<Utc>,
    carry: impl Fn() -> Vec<CounterCarry>,
) -> Result<OpenedDay, StoreError> {
    let mut last = None;
    for _ in 0..ATTEMPTS {
        let loaded = store.load(&spec.id, day)?;
        let mut version = loaded.version();
        let (mut state, errors) = OfficeState::replay_log(spec.clone(), day, &loaded.entries);
        warn_skipped(spec, day, &errors);
        let at = now.max(state.last_at);
        let mut missing = Vec::new();
        if version == 0 {
            missing.push(Event::DayOpened {
                day,
                at,
                counters: carry(),
            });
        }
        if loaded.cut_bytes > 0 && state.read_only.is_none() {
            missing.push(Event::LogDamaged {
                bytes: loaded.cut_bytes,
                at,
            });
        }
        if !missing.is_empty() {
            match store.append(&spec.id, day, version, BatchId::random(), &missing) {
                Ok(v) => {
                    for e in &missing {
                        let _ = state.apply(e);
                    }
                    version = v;
                }
                Err(e @ StoreError::Conflict { .. }) => {
                    tracing::info!(office = %spec.id, %day, "another process opened the day first; loading what it wrote");
                    last = Some(e);
                    continue;
                }
                Err(e) => return Err(e),
            }
        }
        if version > 0 && missing.is_empty() {
            tracing::info!(office = %spec.id, %day, records = version, turns = state.tickets.len(), "office state rebuilt from the log");
        }
        return Ok(OpenedDay {
            state,
            version,
            damage: loaded.damage,
        });
    }
    Err(last.unwrap_or_else(|| StoreError::Unavailable("could not open the day".into())))
}

/// The last day before `today` with a log, closed if it was left open (the process was
/// down at its midnight): waiting turns expire there, not today.
pub(super) fn close_previous_day(
    spec: &Arc<OfficeSpec>,
    store: &dyn EventStore,
    today: NaiveDate,
) -> Result<Option<OfficeState>, StoreError> {
    let Some(day) = store.days(&spec.id)?.into_iter().rfind(|d| *d < today) else {
        return Ok(None);
    };
    for _ in 0..ATTEMPTS {
        let loaded = store.load(&spec.id, day)?;
        let (mut state, errors) = OfficeState::replay_log(spec.clone(), day, &loaded.entries);
        warn_skipped(spec, day, &errors);
        if state.closed || state.read_only.is_some() {
            // A day holding events this version does not know is left as it is.
            return Ok(Some(state));
        }
        let at = end_of_day(spec.timezone, day).max(state.last_at);
        let close = close_day(&state, at);
        let batch = std::slice::from_ref(&close);
        match store.append(&spec.id, day, loaded.version(), BatchId::random(), batch) {
            Ok(_) => {
                let _ = state.apply(&close);
                return Ok(Some(state));
            }
            Err(StoreError::Conflict { .. }) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(StoreError::Unavailable(
        "could not close the previous day".into(),
    ))
}

/// One warning per event that no longer fits (configuration changed, damage, unknown).
fn warn_skipped(spec: &OfficeSpec, day: NaiveDate, errors: &[ApplyError]) {
    for e in errors.iter().take(WARNINGS_PER_DAY) {
        tracing::warn!(office = %spec.id, %day, error = %e, "event kept in the log but skipped for the live state");
    }
    if errors.len() > WARNINGS_PER_DAY {
        tracing::warn!(office = %spec.id, %day, more = errors.len() - WARNINGS_PER_DAY, "more events skipped for the live state");
    }
}

/// The surveys answered in the logs of the `survey_days` days before `today` (answers to
/// turns still within the window can only be there).
pub(super) fn earlier_answers(
    spec: &OfficeSpec,
    store: &dyn EventStore,
    today: NaiveDate,
) -> Result<HashSet<(NaiveDate, u32)>, StoreError> {
    let first = survey_window_start(spec, today);
    let mut answered = HashSet::new();
    for day in store.days(&spec.id)? {
        if day < first || day >= today {
            continue;
        }
        for e in store.read(&spec.id, day)? {
            if let LogEntry::Event(Event::SurveyAnswered { day, seq, .. }) = e {
                answered.insert((day, seq));
            }
        }
    }
    Ok(answered)
}

/// The oldest turn day whose survey may still be answered on `today`.
pub(super) fn survey_window_start(spec: &OfficeSpec, today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_days(chrono::Days::new(u64::from(spec.survey_days)))
        .unwrap_or(today)
}
