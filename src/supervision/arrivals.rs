//! How many turns arrive per hour: today's recent rate and the same weekday's history,
//! read from past logs once per day and kept (a past day's arrivals never change).

use crate::domain::schedule::local_day;
use crate::domain::{Event, LogEntry, OfficeSpec};
use crate::store::EventStore;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;

/// Weeks back the same weekday is looked for.
pub const HISTORY_WEEKS: i64 = 4;

/// Per service slug, the local minute of the day of each turn issued.
type DayArrivals = HashMap<String, Vec<u32>>;

/// Past days' arrivals, per office and day.
#[derive(Default)]
pub struct History {
    days: Mutex<HashMap<(String, NaiveDate), Arc<DayArrivals>>>,
}

impl History {
    /// The mean arrivals of each service (indexed like the spec's) in the local hour
    /// starting at `now`'s minute, over the same weekday of the last
    /// [`HISTORY_WEEKS`] weeks the store holds; `None` when it holds none of them.
    /// Reads the store: call off the async threads.
    pub fn rates(
        &self,
        store: &dyn EventStore,
        spec: &OfficeSpec,
        now: DateTime<Utc>,
    ) -> Vec<Option<f64>> {
        let today = local_day(spec.timezone, now);
        let local = now.with_timezone(&spec.timezone);
        let from = local.hour() * 60 + local.minute();
        let known = store.days(&spec.id).unwrap_or_default();
        let days: Vec<Arc<DayArrivals>> = (1..=HISTORY_WEEKS)
            .map(|w| today - Duration::weeks(w))
            .filter(|d| known.contains(d) && d.weekday() == today.weekday())
            .filter_map(|d| self.day(store, spec, d))
            .collect();
        spec.services
            .iter()
            .map(|s| {
                (!days.is_empty()).then(|| {
                    let total: usize = days
                        .iter()
                        .map(|d| {
                            d.get(&s.id).map_or(0, |m| {
                                m.iter()
                                    .filter(|&&x| (from..from + 60).contains(&x))
                                    .count()
                            })
                        })
                        .sum();
                    total as f64 / days.len() as f64
                })
            })
            .collect()
    }

    fn day(
        &self,
        store: &dyn EventStore,
        spec: &OfficeSpec,
        day: NaiveDate,
    ) -> Option<Arc<DayArrivals>> {
        let key = (spec.id.clone(), day);
        if let Some(d) = self.days.lock().get(&key) {
            return Some(d.clone());
        }
        let entries = store.read(&spec.id, day).ok()?;
        let mut arrivals = DayArrivals::new();
        for e in entries {
            if let LogEntry::Event(Event::TicketIssued { service, at, .. }) = e {
                let local = at.with_timezone(&spec.timezone);
                arrivals
                    .entry(service)
                    .or_default()
                    .push(local.hour() * 60 + local.minute());
            }
        }
        let arrivals = Arc::new(arrivals);
        let mut days = self.days.lock();
        // Only the last weeks are ever asked for: forget the rest.
        days.retain(|(_, d), _| *d >= day - Duration::weeks(HISTORY_WEEKS + 1));
        days.insert(key, arrivals.clone());
        Some(arrivals)
    }
}
