//! Opening hours: whether an office is open at an instant, and when it opens next.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

/// A half-open interval of local time within one day (`08:00-12:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    /// Opening time (inclusive).
    pub start: NaiveTime,
    /// Closing time (exclusive); `None` means until midnight.
    pub end: Option<NaiveTime>,
}

impl TimeRange {
    /// Whether a local time falls inside the range.
    pub fn contains(&self, t: NaiveTime) -> bool {
        t >= self.start && self.end.is_none_or(|end| t < end)
    }
}

/// Opening hours for each weekday (index 0 = Monday), plus closed dates (holidays).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklyHours {
    /// Ranges for each weekday, Monday first, sorted and not overlapping.
    pub days: [Vec<TimeRange>; 7],
    /// Dates on which the office does not open at all.
    pub closed_dates: Vec<NaiveDate>,
}

impl WeeklyHours {
    /// Open every day at every hour (the demo office).
    pub fn always() -> Self {
        let all = vec![TimeRange {
            start: NaiveTime::MIN,
            end: None,
        }];
        WeeklyHours {
            days: std::array::from_fn(|_| all.clone()),
            closed_dates: Vec::new(),
        }
    }

    fn ranges(&self, date: NaiveDate) -> &[TimeRange] {
        if self.closed_dates.contains(&date) {
            return &[];
        }
        &self.days[date.weekday().num_days_from_monday() as usize]
    }

    /// Whether the office is open at `now`.
    pub fn is_open(&self, tz: Tz, now: DateTime<Utc>) -> bool {
        let local = now.with_timezone(&tz);
        let t = local.time();
        self.ranges(local.date_naive())
            .iter()
            .any(|r| r.contains(t))
    }

    /// The next instant, after `now`, at which the office opens; `None` if it never opens
    /// in the coming year.
    pub fn next_opening(&self, tz: Tz, now: DateTime<Utc>) -> Option<DateTime<Tz>> {
        let local = now.with_timezone(&tz);
        let today = local.date_naive();
        for offset in 0..370 {
            let date = today + Duration::days(offset);
            for range in self.ranges(date) {
                let Some(start) = local_instant(tz, date, range.start) else {
                    continue;
                };
                if start > local {
                    return Some(start);
                }
            }
        }
        None
    }
}

/// The instant of a local date and time, choosing the earliest when a clock change makes
/// it ambiguous and the first valid minute after a gap.
pub fn local_instant(tz: Tz, date: NaiveDate, time: NaiveTime) -> Option<DateTime<Tz>> {
    let naive = date.and_time(time);
    tz.from_local_datetime(&naive).earliest().or_else(|| {
        (1..=180).find_map(|m| {
            tz.from_local_datetime(&(naive + Duration::minutes(m)))
                .earliest()
        })
    })
}

/// The local calendar day of an instant in a zone.
pub fn local_day(tz: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// The instant at which a local day ends (the next local midnight).
pub fn end_of_day(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    let next = day.succ_opt().unwrap_or(day);
    local_instant(tz, next, NaiveTime::MIN)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(|| next.and_time(NaiveTime::MIN).and_utc())
}

/// Parses a weekday written as `mon`…`sun` (English) or `lun`…`dom` (Spanish).
pub fn parse_weekday(s: &str) -> Option<Weekday> {
    Some(match s.to_ascii_lowercase().as_str() {
        "mon" | "lun" | "monday" | "lunes" => Weekday::Mon,
        "tue" | "mar" | "tuesday" | "martes" => Weekday::Tue,
        "wed" | "mie" | "wednesday" | "miercoles" => Weekday::Wed,
        "thu" | "jue" | "thursday" | "jueves" => Weekday::Thu,
        "fri" | "vie" | "friday" | "viernes" => Weekday::Fri,
        "sat" | "sab" | "saturday" | "sabado" => Weekday::Sat,
        "sun" | "dom" | "sunday" | "domingo" => Weekday::Sun,
        _ => return None,
    })
}

/// Parses `08:00-12:00` (or `08:00-24:00` for until midnight) into a range.
pub fn parse_range(s: &str) -> Result<TimeRange, String> {
    let (a, b) = s
        .split_once('-')
        .ok_or_else(|| format!("«{s}» no tiene la forma HH:MM-HH:MM"))?;
    let start = NaiveTime::parse_from_str(a.trim(), "%H:%M")
        .map_err(|_| format!("«{a}» no es una hora HH:MM válida"))?;
    let end = match b.trim() {
        "24:00" => None,
        b => Some(
            NaiveTime::parse_from_str(b, "%H:%M")
                .map_err(|_| format!("«{b}» no es una hora HH:MM válida"))?,
        ),
    };
    if end.is_some_and(|e| e <= start) {
        return Err(format!("el rango «{s}» termina antes de empezar"));
    }
    Ok(TimeRange { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weekdays_with_break() -> WeeklyHours {
        let mut h = WeeklyHours::default();
        for d in 0..5 {
            h.days[d] = vec![
                parse_range("08:00-12:00").unwrap(),
                parse_range("13:00-17:00").unwrap(),
            ];
        }
        h
    }

    #[test]
    fn open_and_closed_by_local_time() {
        let tz: Tz = "America/Bogota".parse().unwrap(); // UTC-5
        let h = weekdays_with_break();
        // Monday 2026-11-23 09:00 local = 14:00 UTC.
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert!(h.is_open(tz, at("2026-11-23T14:00:00Z")));
        assert!(!h.is_open(tz, at("2026-11-23T17:30:00Z"))); // 12:30 break
        assert!(!h.is_open(tz, at("2026-11-23T22:00:00Z"))); // 17:00 closed
        let next = h.next_opening(tz, at("2026-11-23T17:30:00Z")).unwrap();
        assert_eq!(next.to_rfc3339(), "2026-11-23T13:00:00-05:00");
        // Friday evening → Monday morning.
        let next = h.next_opening(tz, at("2026-11-27T23:00:00Z")).unwrap();
        assert_eq!(next.to_rfc3339(), "2026-11-30T08:00:00-05:00");
    }

    #[test]
    fn closed_dates_are_skipped() {
        let tz: Tz = "America/Bogota".parse().unwrap();
        let mut h = weekdays_with_break();
        h.closed_dates
            .push(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        let at: DateTime<Utc> = "2026-11-23T23:00:00Z".parse().unwrap();
        let next = h.next_opening(tz, at).unwrap();
        assert_eq!(next.to_rfc3339(), "2026-11-25T08:00:00-05:00");
    }

    #[test]
    fn day_ends_at_local_midnight() {
        let tz: Tz = "America/Bogota".parse().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            end_of_day(tz, day).to_rfc3339(),
            "2026-11-24T05:00:00+00:00"
        );
    }
}
