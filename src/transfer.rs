//! Moving an office's days between stores: `turnero export` writes the Redis store's days
//! to the embedded log format, `turnero import` reads them back, so an office can move
//! from one store to the other (or keep an archive on disk).
//!
//! Days are copied record by record through the store contract, in batches. A day that
//! already has a log at the destination is left alone (never mixed). A damaged stretch
//! becomes a `LogDamaged` record, so numbering stays above whatever it held; a record of
//! an event this version does not know cannot be written by it, so such a day is refused
//! (copy it with the version that wrote it).

use crate::domain::{Event, LogEntry};
use crate::store::{BatchId, EventStore, StoreError};
use chrono::{NaiveDate, Utc};

/// Records per append.
const BATCH: usize = 2000;

/// What copying one office did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Copied {
    /// Days copied, with their records.
    pub days: Vec<(NaiveDate, u64)>,
    /// Days left alone because the destination already had them.
    pub skipped: Vec<NaiveDate>,
}

/// Why a copy stopped.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// A store could not be read or written.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A day holds an event this version does not know.
    #[error("el día {day} tiene un evento «{kind}» de una versión más nueva de Turnero; cópielo con esa versión")]
    UnknownEvent {
        /// The day.
        day: NaiveDate,
        /// The event's type.
        kind: String,
    },
}

/// Copies every day of `office` from `from` to `to`.
pub fn copy_office(
    from: &dyn EventStore,
    to: &dyn EventStore,
    office: &str,
) -> Result<Copied, TransferError> {
    let mut copied = Copied::default();
    let present = to.days(office)?;
    for day in from.days(office)? {
        if present.contains(&day) && to.load(office, day)?.version() > 0 {
            copied.skipped.push(day);
            continue;
        }
        let entries = from.read(office, day)?;
        let events = events_to_copy(day, entries)?;
        to.load(office, day)?;
        let mut version = 0;
        for chunk in events.chunks(BATCH) {
            version = to.append(office, day, version, BatchId::random(), chunk)?;
        }
        copied.days.push((day, version));
    }
    Ok(copied)
}

/// The events to write for a day's entries: gaps become `LogDamaged`.
fn events_to_copy(day: NaiveDate, entries: Vec<LogEntry>) -> Result<Vec<Event>, TransferError> {
    entries
        .into_iter()
        .map(|entry| match entry {
            LogEntry::Event(e) => Ok(e),
            LogEntry::Gap(gap) => Ok(Event::LogDamaged {
                bytes: gap.bytes,
                at: Utc::now(),
            }),
            LogEntry::Unknown(u) => Err(TransferError::UnknownEvent { day, kind: u.kind }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::conformance::event;
    use crate::store::EmbeddedStore;

    #[test]
    fn days_are_copied_once_and_never_mixed() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let from = EmbeddedStore::open(a.path()).unwrap();
        let to = EmbeddedStore::open(b.path()).unwrap();
        let d1 = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let d2 = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        for (day, n) in [(d1, 3u32), (d2, 2500)] {
            from.load("central", day).unwrap();
            let events: Vec<_> = (0..n).map(event).collect();
            from.append("central", day, 0, BatchId::random(), &events)
                .unwrap();
        }
        let copied = copy_office(&from, &to, "central").unwrap();
        assert_eq!(copied.days, vec![(d1, 3), (d2, 2500)]);
        assert_eq!(
            to.read("central", d2).unwrap(),
            from.read("central", d2).unwrap()
        );
        let again = copy_office(&from, &to, "central").unwrap();
        assert!(again.days.is_empty());
        assert_eq!(again.skipped, vec![d1, d2]);
    }
}
