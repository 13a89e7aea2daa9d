//! The report from kept summaries: a closed day never changes, so its [`DaySummary`] is
//! computed once (at the day's close, or by the first report that misses it) and kept
//! beside its log by the store; a report then adds summaries up instead of replaying
//! every day. Today is always replayed.
//!
//! A kept summary is used only when all of these hold, else the day is replayed and its
//! summary written again: its frame is whole (magic, [`VERSION`], CRC-32 of the body),
//! it decodes, it is of its day, the log has the size it had then (`log_size`: a log
//! that grew or was rewritten since is replayed), and the configuration that covers the
//! day now has the fingerprint it had (a changed target wait, prefix or counter
//! changes figures).

use super::day::{Answer, DaySummary};
use super::Report;
use crate::domain::schedule::end_of_day;
use crate::domain::survey::last_day;
use crate::domain::{Event, LogEntry, OfficeSpec};
use crate::store::{EventStore, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The summary format's version: a summary of another version is rebuilt.
pub const VERSION: u16 = 1;
const MAGIC: &[u8; 4] = b"TRSM";
/// Magic, version (u16), CRC-32 of the body (u32), all little-endian.
const HEADER: usize = 10;
/// Threads a report reads its days on, at most (the writers keep the rest).
const MAX_THREADS: usize = 4;

/// Why a kept summary cannot be used.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SummaryError {
    /// Not a summary (too short or another magic).
    #[error("not a report summary")]
    NotASummary,
    /// Written by another version of the format.
    #[error("summary of format version {0}, this one reads {VERSION}")]
    OtherVersion(u16),
    /// The body's CRC does not match.
    #[error("damaged summary (CRC mismatch)")]
    Damaged,
    /// The body does not decode.
    #[error("undecodable summary: {0}")]
    Undecodable(String),
}

/// What is kept: the summary and what it was computed from.
#[derive(Serialize, Deserialize)]
struct Kept {
    /// [`fingerprint`] of the configuration that covered the day.
    fingerprint: [u8; 32],
    /// The log's `EventStore::log_size` when it was read.
    log_size: u64,
    summary: DaySummary,
}

/// The bytes kept for a summary of a log of `log_size` replayed under `spec`.
pub fn encode(summary: &DaySummary, spec: &OfficeSpec, log_size: u64) -> Vec<u8> {
    let kept = Kept {
        fingerprint: fingerprint(spec),
        log_size,
        summary: summary.clone(),
    };
    let body = postcard::to_stdvec(&kept).expect("a summary always serializes");
    let mut out = Vec::with_capacity(HEADER + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// Reads kept bytes back: the summary, the fingerprint and log size it was made from.
fn decode(bytes: &[u8]) -> Result<Kept, SummaryError> {
    if bytes.len() < HEADER || &bytes[..4] != MAGIC {
        return Err(SummaryError::NotASummary);
    }
    let version = u16::from_le_bytes([bytes[4], bytes[5]]);
    if version != VERSION {
        return Err(SummaryError::OtherVersion(version));
    }
    let crc = u32::from_le_bytes([bytes[6], bytes[7], bytes[8], bytes[9]]);
    let body = &bytes[HEADER..];
    if crc32fast::hash(body) != crc {
        return Err(SummaryError::Damaged);
    }
    postcard::from_bytes(body).map_err(|e| SummaryError::Undecodable(e.to_string()))
}

/// A digest of everything in a configuration that a day's facts depend on: the zone
/// (hours of issue, the day's end), the hours, the services (prefixes in codes, target
/// waits), categories, counters (who competes with whom) and the calling policy. Names
/// and labels are read at report time and are not part of it.
pub fn fingerprint(spec: &OfficeSpec) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(format!(
        "{VERSION}|{:?}|{:?}|{:?}",
        spec.timezone, spec.hours, spec.policy
    ));
    for s in &spec.services {
        let facts = (
            &s.id,
            &s.prefix,
            s.first_number,
            s.last_number,
            s.target_wait_seconds,
        );
        h.update(format!("|s{facts:?}"));
    }
    for c in &spec.categories {
        h.update(format!("|k{:?}", (&c.id, c.preferential)));
    }
    for c in &spec.counters {
        h.update(format!("|c{:?}", (&c.id, &c.services)));
    }
    h.finalize().into()
}

/// The events of a day's durable log.
fn events_of(
    store: &dyn EventStore,
    office: &str,
    day: NaiveDate,
) -> Result<Vec<Event>, StoreError> {
    Ok(store
        .read(office, day)?
        .into_iter()
        .filter_map(|e| match e {
            LogEntry::Event(e) => Some(e),
            _ => None,
        })
        .collect())
}

/// The summary of a closed day (before today): the kept one when it is still good,
/// else replayed from the log and kept again (a failure to keep it is logged: the
/// report does not need it).
pub fn closed_day(
    store: &dyn EventStore,
    spec: &OfficeSpec,
    day: NaiveDate,
) -> Result<DaySummary, StoreError> {
    let office = &spec.id;
    let size = store.log_size(office, day)?;
    if let Some(bytes) = store.read_summary(office, day)? {
        match decode(&bytes) {
            Ok(k)
                if k.summary.day == day
                    && k.log_size == size
                    && k.fingerprint == fingerprint(&spec.covering_refs(&k.summary.refs)) =>
            {
                return Ok(k.summary);
            }
            Ok(_) => {
                tracing::info!(%office, %day, "report summary out of date; replaying the day")
            }
            Err(e) => {
                tracing::warn!(%office, %day, error = %e, "report summary unusable; replaying the day")
            }
        }
    }
    let events = events_of(store, office, day)?;
    let day_spec = Arc::new(spec.covering(&events));
    // The day is over: its intervals end at its midnight (or its last record).
    let summary = DaySummary::of(&day_spec, day, &events, end_of_day(spec.timezone, day));
    if let Err(e) = store.write_summary(office, day, &encode(&summary, &day_spec, size)) {
        tracing::warn!(%office, %day, error = %e, "could not keep the day's report summary");
    }
    Ok(summary)
}

/// Computes and keeps the summary of a day just closed, on a thread of its own so the
/// office's writer never waits for it.
pub fn summarise_in_background(store: Arc<dyn EventStore>, spec: Arc<OfficeSpec>, day: NaiveDate) {
    let spawned = std::thread::Builder::new()
        .name(format!("summary-{}", spec.id))
        .spawn(move || {
            if let Err(e) = closed_day(store.as_ref(), &spec, day) {
                tracing::warn!(office = %spec.id, %day, error = %e, "could not summarise the closed day");
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "could not start the summary thread; the first report will do it");
    }
}

/// The report of `from..=to` (days up to `today`) from the store: closed days through
/// their summaries, today replayed, plus the days after `to` in the survey window for
/// the answers they hold. The same figures as [`super::compute`] over the same logs.
pub fn report(
    store: &dyn EventStore,
    spec: &OfficeSpec,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Report, StoreError> {
    let summaries = summaries(store, spec, from, to, today, now)?;
    Ok(from_summaries(spec, from, to, &summaries))
}

/// The summaries a report of `from..=to` needs (days up to `today`): closed days kept
/// (or replayed and kept), today replayed up to `now`, and the days after `to` in the
/// survey window, in day order.
pub fn summaries(
    store: &dyn EventStore,
    spec: &OfficeSpec,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<DaySummary>, StoreError> {
    let last = last_day(to, spec.survey_days).min(today);
    let days: Vec<NaiveDate> = store
        .days(&spec.id)?
        .into_iter()
        .filter(|d| (from..=last).contains(d))
        .collect();
    let summary = |day: NaiveDate| {
        if day < today {
            closed_day(store, spec, day)
        } else {
            let events = events_of(store, &spec.id, day)?;
            Ok(DaySummary::of(
                &Arc::new(spec.covering(&events)),
                day,
                &events,
                now,
            ))
        }
    };
    // Days are independent: read (or replay, when cold) them on a few threads, each a
    // run of consecutive days, joined back in day order.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_THREADS);
    let chunk = days.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let runs: Vec<_> = days
            .chunks(chunk)
            .map(|run| scope.spawn(move || run.iter().map(|&d| summary(d)).collect::<Vec<_>>()))
            .collect();
        runs.into_iter()
            .flat_map(|run| run.join().expect("a summary thread never panics"))
            .collect::<Result<Vec<_>, StoreError>>()
    })
}

/// The report of `from..=to` from the summaries of its days and of the later days whose
/// survey answers about them count.
pub fn from_summaries(
    spec: &OfficeSpec,
    from: NaiveDate,
    to: NaiveDate,
    summaries: &[DaySummary],
) -> Report {
    let (cover, answers) = covered(spec, from, to, summaries);
    super::office_report(&cover, from, to, summaries, &answers)
}

/// The configuration that covers `summaries` (every slug they name) and the survey
/// answers they hold about turns of `from..=to`.
pub(super) fn covered(
    spec: &OfficeSpec,
    from: NaiveDate,
    to: NaiveDate,
    summaries: &[DaySummary],
) -> (OfficeSpec, Vec<Answer>) {
    let cover = spec.covering_refs(summaries.iter().flat_map(|s| &s.refs));
    let answers = summaries
        .iter()
        .flat_map(|s| &s.answers)
        .filter(|a| (from..=to).contains(&a.day))
        .cloned()
        .collect();
    (cover, answers)
}

#[cfg(test)]
pub(super) mod tests;
