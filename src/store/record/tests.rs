use super::*;
use chrono::Utc;

fn sample(n: u32) -> Vec<Event> {
    (0..n)
        .map(|i| Event::CounterOpened {
            counter: format!("v{i}"),
            agent: "ana".into(),
            at: Utc::now(),
        })
        .collect()
}

/// A log of `events` and the end offset of each record (the first is the magic's end).
fn log_of(events: &[Event]) -> (Vec<u8>, Vec<usize>) {
    let mut bytes = MAGIC.to_vec();
    let mut ends = vec![bytes.len()];
    for e in events {
        encode(e, &mut bytes);
        ends.push(bytes.len());
    }
    (bytes, ends)
}

fn events(d: &Decoded) -> Vec<Event> {
    crate::domain::log::events_of(&d.entries).cloned().collect()
}

/// The version 1 frame (length, CRC of the payload, payload), as written before schemas.
fn encode_v1(event: &Event, out: &mut Vec<u8>) {
    let payload = serde_json::to_vec(event).unwrap();
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
}

#[test]
fn every_cut_point_keeps_the_whole_records_before_it() {
    let events_in = sample(5);
    let (bytes, ends) = log_of(&events_in);
    for cut in 0..=bytes.len() {
        let d = decode(&bytes[..cut]);
        let whole = ends
            .iter()
            .filter(|&&end| end <= cut)
            .count()
            .saturating_sub(1);
        assert_eq!(events(&d), events_in[..whole], "cut at {cut}");
        assert!(d.damage.is_empty(), "a cut is never damage in the middle");
        assert_eq!(d.torn.is_some(), !ends.contains(&cut) && cut != 0);
        assert_eq!(d.valid_len, if cut < MAGIC.len() { 0 } else { ends[whole] });
    }
}

#[test]
fn a_flipped_byte_in_the_last_record_is_a_torn_tail() {
    let (mut bytes, ends) = log_of(&sample(3));
    let last = bytes.len() - 3;
    bytes[last] ^= 0x40;
    let d = decode(&bytes);
    assert_eq!(events(&d).len(), 2);
    assert_eq!(d.valid_len, ends[2]);
    assert!(d.torn.unwrap().reason.contains("suma de control"));
}

#[test]
fn damage_in_the_middle_keeps_every_record_after_it() {
    let input = sample(10);
    let (clean, ends) = log_of(&input);
    // A byte of a payload, of a length, of a checksum and of the sync marker of record 4.
    for (what, at) in [
        ("payload", ends[4] + 20),
        ("length", ends[4] + 5),
        ("schema", ends[4] + 9),
        ("crc", ends[4] + 13),
        ("sync", ends[4]),
    ] {
        let mut bytes = clean.clone();
        bytes[at] ^= 0x10;
        let d = decode(&bytes);
        let mut expected = input.clone();
        expected.remove(4);
        assert_eq!(events(&d), expected, "{what}");
        assert_eq!(d.damage.len(), 1, "{what}");
        assert_eq!(d.damage[0].offset, ends[4], "{what}");
        assert_eq!(d.damage[0].len, ends[5] - ends[4], "{what}");
        assert!(d.torn.is_none(), "{what}");
        assert_eq!(d.valid_len, bytes.len(), "{what}");
        assert_eq!(d.version(), 9, "{what}");
        assert!(
            matches!(d.entries[4], LogEntry::Gap(Gap { bytes, .. }) if bytes as usize == ends[5] - ends[4]),
            "{what}: the gap stands where the record was"
        );
    }
}

#[test]
fn a_damaged_length_that_swallows_the_rest_is_still_found_out() {
    let input = sample(6);
    let (mut bytes, ends) = log_of(&input);
    // Length of record 1 made huge but still within the file: the CRC covers it.
    let len_at = ends[1] + 4;
    let huge = (bytes.len() - ends[1] - HEADER) as u32;
    bytes[len_at..len_at + 4].copy_from_slice(&huge.to_le_bytes());
    let d = decode(&bytes);
    assert_eq!(events(&d).len(), 5);
    assert_eq!(d.damage.len(), 1);
}

#[test]
fn a_damaged_magic_keeps_every_record() {
    let input = sample(4);
    let (mut bytes, _) = log_of(&input);
    bytes[2] ^= 1;
    let d = decode(&bytes);
    assert!(d.magic_damaged);
    assert_eq!(events(&d), input);
    assert_eq!(d.damage.len(), 1);
    assert!(d.torn.is_none());
    assert_eq!(d.valid_len, bytes.len());
}

#[test]
fn unknown_events_are_kept_in_the_middle_and_at_the_end() {
    let input = sample(3);
    let (mut bytes, _) = log_of(&input[..2]);
    encode_raw(
        br#"{"type":"queue_merged","into":"caja"}"#,
        EVENT_SCHEMA + 1,
        0,
        &mut bytes,
    );
    encode(&input[2], &mut bytes);
    encode_raw(
        br#"{"type":"note_added","text":"x"}"#,
        EVENT_SCHEMA + 1,
        FLAG_SKIPPABLE,
        &mut bytes,
    );
    let d = decode(&bytes);
    assert!(d.damage.is_empty() && d.torn.is_none());
    assert_eq!(d.valid_len, bytes.len(), "nothing to cut");
    assert_eq!(d.version(), 5);
    assert_eq!(events(&d), input);
    assert_eq!(
        d.entries[2],
        LogEntry::Unknown(UnknownEvent {
            kind: "queue_merged".into(),
            schema: EVENT_SCHEMA + 1,
            skippable: false
        })
    );
    assert!(matches!(&d.entries[4], LogEntry::Unknown(u) if u.skippable && u.kind == "note_added"));
}

#[test]
fn version_1_logs_are_read_and_may_continue_in_version_2() {
    let input = sample(6);
    let mut bytes = MAGIC_V1.to_vec();
    let mut ends = vec![bytes.len()];
    for e in &input[..4] {
        encode_v1(e, &mut bytes);
        ends.push(bytes.len());
    }
    for e in &input[4..] {
        encode(e, &mut bytes);
    }
    let d = decode(&bytes);
    assert!(d.v1);
    assert_eq!(events(&d), input);
    assert!(d.damage.is_empty() && d.torn.is_none());
    // Damage in a version 1 record is found out and skipped too.
    bytes[ends[1] + 12] ^= 0x08;
    let d = decode(&bytes);
    let mut expected = input.clone();
    expected.remove(1);
    assert_eq!(events(&d), expected);
    assert_eq!(d.damage.len(), 1);
}

#[test]
fn the_fixture_written_by_version_1_still_loads() {
    let bytes = include_bytes!("../../../tests/fixtures/v1-day.log");
    let d = decode(bytes);
    assert!(d.v1);
    assert!(d.damage.is_empty() && d.torn.is_none());
    let events = events(&d);
    assert!(matches!(events[0], Event::DayOpened { .. }));
    let issued = events
        .iter()
        .filter(|e| matches!(e, Event::TicketIssued { .. }))
        .count();
    assert_eq!(issued, 5, "the fixture holds five turns");
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::TicketServed { .. })));
}
