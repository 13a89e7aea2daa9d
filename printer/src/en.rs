//! Everything the printer crate says to people, in English: the same items as `es`.
//!
//! Printed texts stay ASCII apart from the "·" the Spanish uses too, which both code
//! pages hold (PC850 0xFA, WPC1252 0xB7), so no English ticket depends on
//! transliteration.

use chrono::{Datelike, NaiveDateTime, Timelike};

/// Label above the turn code.
pub const YOUR_TURN: &str = "Your ticket";

/// Invitation printed under the QR code.
pub const SCAN_INVITATION: &str = "Scan the code to follow your ticket and rate our service";

/// Printed instead of the QR code when the address is too long to fit one.
pub const FOLLOW_AT: &str = "Follow your ticket at:";

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "Priority service · Older adult".
pub fn preferential(category: &str) -> String {
    format!("Priority service · {category}")
}

/// "5 March 2025 · 09:41" (the office's local time).
pub fn issued_at(at: &NaiveDateTime) -> String {
    let month = MONTHS[at.month0() as usize % 12];
    format!(
        "{} {} {} · {:02}:{:02}",
        at.day(),
        month,
        at.year(),
        at.hour(),
        at.minute()
    )
}

/// "People ahead of you: 3".
pub fn people_ahead(n: u32) -> String {
    format!("People ahead of you: {n}")
}

/// "Estimated wait: 12 min", "less than 1 min", "1 h 5 min" (rounded to the minute).
pub fn expected_wait(secs: u64) -> String {
    if secs < 60 {
        return "Estimated wait: less than 1 min".to_owned();
    }
    let minutes = secs.saturating_add(30) / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("Estimated wait: {m} min"),
        (h, 0) => format!("Estimated wait: {h} h"),
        (h, m) => format!("Estimated wait: {h} h {m} min"),
    }
}

/// The printer has no paper.
pub const PAPER_OUT: &str = "The printer is out of paper.";
/// The cover is open.
pub const COVER_OPEN: &str = "The printer cover is open.";
/// Cutter, mechanical or other error.
pub const PRINTER_ERROR: &str = "The printer has an error (cutter or mechanism).";
/// Offline for another reason.
pub const OFFLINE: &str = "The printer is offline.";
/// No connection could be opened.
pub const UNREACHABLE: &str = "Could not connect to the printer.";
/// The printer did not answer in time.
pub const TIMEOUT: &str = "The printer did not respond in time.";
/// The connection dropped while sending.
pub const CONNECTION_LOST: &str = "The connection to the printer was lost while printing.";
/// Any other I/O failure.
pub const IO_ERROR: &str = "The ticket could not be sent to the printer.";
/// The answer to a status query made no sense.
pub const BAD_STATUS: &str = "The printer gave an unexpected response.";
/// The queue was stopped before the job printed.
pub const SPOOL_STOPPED: &str = "The print queue stopped.";

/// The job's time to live ran out; `last` is the last failure's reason, if any.
pub fn expired(last: Option<&str>) -> String {
    let base =
        "The ticket was not printed in time and was discarded so that it would not print late.";
    match last {
        Some(last) => format!("{base} {last}"),
        None => base.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codepage::CodePage;

    #[test]
    fn waits_in_plain_english() {
        assert_eq!(expected_wait(0), "Estimated wait: less than 1 min");
        assert_eq!(expected_wait(59), "Estimated wait: less than 1 min");
        assert_eq!(expected_wait(60), "Estimated wait: 1 min");
        assert_eq!(expected_wait(12 * 60 + 10), "Estimated wait: 12 min");
        assert_eq!(expected_wait(3600), "Estimated wait: 1 h");
        assert_eq!(expected_wait(3600 + 5 * 60), "Estimated wait: 1 h 5 min");
        assert!(expected_wait(u64::MAX).starts_with("Estimated wait: "));
    }

    #[test]
    fn dates_in_english() {
        let at = chrono::NaiveDate::from_ymd_opt(2025, 3, 5)
            .unwrap()
            .and_hms_opt(9, 41, 7)
            .unwrap();
        assert_eq!(issued_at(&at), "5 March 2025 · 09:41");
    }

    #[test]
    fn english_lines_and_reasons() {
        assert_eq!(people_ahead(3), "People ahead of you: 3");
        assert_eq!(
            preferential("Older adult"),
            "Priority service · Older adult"
        );
        assert_eq!(
            expired(Some(PAPER_OUT)),
            "The ticket was not printed in time and was discarded so that it would not print late. The printer is out of paper."
        );
        assert!(expired(None).ends_with("late."));
    }

    /// Every English text is ASCII or "·", and prints as itself on both code pages:
    /// nothing is transliterated or printed as "?".
    #[test]
    fn english_prints_on_both_code_pages() {
        let at = chrono::NaiveDate::from_ymd_opt(2025, 12, 31)
            .unwrap()
            .and_hms_opt(23, 59, 0)
            .unwrap();
        let texts = [
            YOUR_TURN.to_owned(),
            SCAN_INVITATION.to_owned(),
            FOLLOW_AT.to_owned(),
            preferential("General"),
            issued_at(&at),
            people_ahead(12),
            expected_wait(3900),
            PAPER_OUT.to_owned(),
            COVER_OPEN.to_owned(),
            PRINTER_ERROR.to_owned(),
            OFFLINE.to_owned(),
            UNREACHABLE.to_owned(),
            TIMEOUT.to_owned(),
            CONNECTION_LOST.to_owned(),
            IO_ERROR.to_owned(),
            BAD_STATUS.to_owned(),
            SPOOL_STOPPED.to_owned(),
            expired(None),
        ];
        let months = (1..=12).map(|m| {
            issued_at(
                &chrono::NaiveDate::from_ymd_opt(2025, m, 1)
                    .unwrap()
                    .and_hms_opt(8, 0, 0)
                    .unwrap(),
            )
        });
        for text in texts.into_iter().chain(months) {
            for c in text.chars() {
                assert!(
                    c.is_ascii_graphic() || c == ' ' || c == '·',
                    "{c:?} in {text}"
                );
            }
            for page in [CodePage::Pc850, CodePage::Wpc1252] {
                let bytes = page.encode(&text);
                assert_eq!(bytes.len(), text.chars().count(), "{page:?}: {text}");
                let back: String = bytes
                    .iter()
                    .map(|&b| page.decode_byte(b).unwrap())
                    .collect();
                assert_eq!(back, text, "{page:?}");
            }
        }
    }

    /// The same items as `es`, so the two can be swapped.
    #[test]
    fn english_and_spanish_have_the_same_items() {
        let items = |source: &str| {
            let mut items: Vec<String> = source
                .split("\npub ")
                .skip(1)
                .map(|rest| {
                    let end = rest.find(['{', '=']).unwrap_or(rest.len());
                    rest[..end].split_whitespace().collect::<Vec<_>>().join(" ")
                })
                .collect();
            items.sort();
            items
        };
        let es = items(include_str!("es.rs"));
        assert!(es.len() > 15, "{es:?}");
        assert_eq!(items(include_str!("en.rs")), es);
    }
}
