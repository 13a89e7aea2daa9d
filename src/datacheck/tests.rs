use super::repair::repaired_bytes;
use super::scan::{FileCheck, SequenceIssue};
use crate::domain::log::LogEntry;
use crate::domain::{Event, Token};
use crate::store::record::{self, MAGIC, MAGIC_V1};
use chrono::{DateTime, NaiveDate, Utc};

fn at(minute: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2026, 3, 2)
        .and_then(|d| d.and_hms_opt(14, minute, 0))
        .unwrap()
        .and_utc()
}

fn issued(seq: u32) -> Event {
    Event::TicketIssued {
        seq,
        number: seq + 1,
        token: Token::new(
            [seq as u8; 12],
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        ),
        service: "registro".into(),
        category: "general".into(),
        preferential: false,
        issuer: None,
        prefix: Some("A".into()),
        language: None,
        at: at(seq),
    }
}

/// A version 2 log of `n` turns, with each record's start.
fn log_of(n: u32) -> (Vec<u8>, Vec<usize>) {
    let mut bytes = MAGIC.to_vec();
    let mut starts = Vec::new();
    for seq in 0..n {
        starts.push(bytes.len());
        record::encode(&issued(seq), &mut bytes);
    }
    (bytes, starts)
}

fn records(entries: &[LogEntry]) -> Vec<LogEntry> {
    entries.iter().filter(|e| e.is_record()).cloned().collect()
}

#[test]
fn a_clean_log_is_intact_and_each_record_is_delimited() {
    let (bytes, starts) = log_of(4);
    let check = FileCheck::of(&bytes);
    assert!(check.intact() && !check.needs_repair());
    assert_eq!(check.turns, 4);
    let spans = check.spans.as_ref().unwrap();
    assert_eq!(spans.iter().map(|s| s.offset).collect::<Vec<_>>(), starts);
    assert!(check.sequence.is_empty());
}

#[test]
fn damage_in_the_middle_is_repaired_with_every_other_record_byte_for_byte() {
    let (mut bytes, starts) = log_of(5);
    bytes[starts[2] + 20] ^= 0x01;
    let check = FileCheck::of(&bytes);
    assert!(!check.intact() && check.needs_repair());
    assert_eq!(check.removed_bytes(), (starts[3] - starts[2]) as u64);
    assert!(matches!(
        check.sequence[..],
        [SequenceIssue::Missing { from: 2, to: 2, .. }]
    ));

    let fixed = repaired_bytes(&bytes, &check, at(59)).unwrap();
    let mut expected = bytes[..starts[2]].to_vec();
    expected.extend_from_slice(&bytes[starts[3]..]);
    assert_eq!(
        &fixed[..expected.len()],
        &expected[..],
        "records copied as they were"
    );
    let again = FileCheck::of(&fixed);
    assert!(
        again.intact(),
        "the gap is explained by the LogDamaged record"
    );
    assert_eq!(
        again.decoded.entries.last(),
        Some(&LogEntry::Event(Event::LogDamaged {
            bytes: check.removed_bytes(),
            at: at(59),
        }))
    );
}

#[test]
fn a_v1_log_is_rewritten_as_v2_with_the_same_records() {
    let mut bytes = std::fs::read("tests/fixtures/v1-day.log").unwrap();
    assert_eq!(&bytes[..8], MAGIC_V1);
    let clean = FileCheck::of(&bytes);
    assert!(clean.intact());
    assert!(clean.spans.as_ref().unwrap().iter().all(|s| s.v1));
    bytes.extend_from_slice(b"\x05\x00"); // a torn tail
    let check = FileCheck::of(&bytes);
    assert!(check.needs_repair());
    assert_eq!(check.removed_bytes(), 2);
    let fixed = repaired_bytes(&bytes, &check, at(0)).unwrap();
    let reread = record::decode(&fixed);
    assert!(!reread.v1 && reread.damage.is_empty() && reread.torn.is_none());
    let mut want = records(&clean.decoded.entries);
    want.push(LogEntry::Event(Event::LogDamaged {
        bytes: 2,
        at: want
            .iter()
            .filter_map(LogEntry::event)
            .map(Event::at)
            .max()
            .unwrap()
            .max(at(0)),
    }));
    assert_eq!(reread.entries, want);
}

#[test]
fn unknown_events_are_not_damage_and_survive_a_repair_of_the_magic() {
    let (mut bytes, _) = log_of(2);
    let start = bytes.len();
    record::encode_raw(
        br#"{"type":"nuevo","x":1}"#,
        7,
        record::FLAG_SKIPPABLE,
        &mut bytes,
    );
    let unknown = bytes[start..].to_vec();
    record::encode(&issued(2), &mut bytes);
    let check = FileCheck::of(&bytes);
    assert!(check.intact());
    let (span, u) = check.unknown().next().unwrap();
    assert_eq!(
        (span.offset, u.kind.as_str(), u.schema, u.skippable),
        (start, "nuevo", 7, true)
    );

    bytes[0] = b'X';
    let check = FileCheck::of(&bytes);
    assert!(check.decoded.magic_damaged && check.needs_repair());
    assert_eq!(check.removed_bytes(), 0);
    let fixed = repaired_bytes(&bytes, &check, at(30)).unwrap();
    assert_eq!(&fixed[..8], MAGIC);
    assert_eq!(&fixed[start..start + unknown.len()], &unknown[..]);
    assert!(FileCheck::of(&fixed).intact());
}

#[test]
fn a_repeated_turn_is_reported_and_not_repaired() {
    let mut bytes = MAGIC.to_vec();
    for e in [issued(0), issued(1), issued(1)] {
        record::encode(&e, &mut bytes);
    }
    let check = FileCheck::of(&bytes);
    assert!(!check.intact() && !check.needs_repair());
    assert!(matches!(
        check.sequence[..],
        [SequenceIssue::Repeated { seq: 1, .. }]
    ));
}

#[test]
fn check_data_writes_nothing_without_repair() {
    let dir = tempfile::tempdir().unwrap();
    let (mut bytes, starts) = log_of(3);
    bytes[starts[1] + 17] ^= 0x40;
    std::fs::create_dir_all(dir.path().join("central")).unwrap();
    let log = dir.path().join("central/2026-03-02.log");
    std::fs::write(&log, &bytes).unwrap();
    let mut out = Vec::new();
    let outcome = super::check_data(dir.path(), false, at(0), &mut out).unwrap();
    assert_eq!(outcome, super::Outcome::Damaged);
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains(&format!("desde el byte {}", starts[1])),
        "{text}"
    );
    assert!(
        text.contains("se conservarían 2 registros íntegros"),
        "{text}"
    );
    assert_eq!(std::fs::read(&log).unwrap(), bytes);
    assert_eq!(
        std::fs::read_dir(dir.path().join("central"))
            .unwrap()
            .count(),
        1
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
