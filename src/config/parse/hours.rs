//! An office's opening hours: `always_open`, the weekly `[offices.hours]` ranges and
//! the closed dates.

use super::errors::Errors;
use super::office::RawOffice;
use crate::domain::schedule::{parse_range, parse_weekday, WeeklyHours};
use chrono::NaiveDate;

pub(super) fn hours(errors: &mut Errors<'_>, o: &RawOffice) -> WeeklyHours {
    if o.always_open {
        if let Some((day, _)) = o.hours.iter().next() {
            errors.at(
                day,
                "use always_open = true o un horario [hours], no los dos",
            );
        }
        return WeeklyHours::always();
    }
    let mut hours = WeeklyHours::default();
    if o.hours.is_empty() {
        errors.at(
            &o.id,
            format!(
                "la oficina «{}» no tiene horario: añada [offices.hours] (p. ej. mon = [\"08:00-12:00\", \"13:00-17:00\"]) o always_open = true",
                o.id.get_ref()
            ),
        );
    }
    for (day, ranges) in &o.hours {
        let Some(weekday) = parse_weekday(day.get_ref()) else {
            errors.at(
                day,
                format!(
                    "«{}» no es un día: use mon, tue, wed, thu, fri, sat o sun",
                    day.get_ref()
                ),
            );
            continue;
        };
        let slot = &mut hours.days[weekday.num_days_from_monday() as usize];
        for r in ranges {
            match parse_range(r.get_ref()) {
                Ok(range) => slot.push(range),
                Err(message) => errors.at(r, message),
            }
        }
        slot.sort_by_key(|r| r.start);
        if slot
            .windows(2)
            .any(|w| w[0].end.is_none_or(|end| end > w[1].start))
        {
            errors.at(
                day,
                format!("los horarios de «{}» se superponen", day.get_ref()),
            );
        }
    }
    for d in &o.closed_dates {
        match NaiveDate::parse_from_str(d.get_ref(), "%Y-%m-%d") {
            Ok(date) => hours.closed_dates.push(date),
            Err(_) => errors.at(d, format!("«{}» no es una fecha AAAA-MM-DD", d.get_ref())),
        }
    }
    hours
}
