//! What one log file holds: the store's own reading of it (`record::decode`), where each
//! record that checks out lies in the file, and whether the day's turns run in sequence.
//!
//! `decode` says which stretches are damaged; everything else between the magic and the
//! end of the last good record is good records, one after another. Walking those
//! stretches frame by frame gives each record's extent, so a repair can copy the exact
//! bytes of every record (also of events this version does not know).

use crate::domain::log::{LogEntry, UnknownEvent};
use crate::domain::Event;
use crate::store::record::{self, Damage, Decoded, MAGIC, SYNC};

/// Header bytes of a version 2 record (sync, length, schema, flags, crc).
const HEADER_V2: usize = 16;
/// Header bytes of a version 1 record (length, crc).
const HEADER_V1: usize = 8;

/// Where one record that checks out lies in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordSpan {
    /// Its first byte.
    pub offset: usize,
    /// Its length, header included.
    pub len: usize,
    /// Whether it is a version 1 record (no sync marker, no schema).
    pub v1: bool,
}

impl RecordSpan {
    /// Its payload (the event's JSON) within the file's bytes.
    pub fn payload<'a>(&self, bytes: &'a [u8]) -> &'a [u8] {
        let header = if self.v1 { HEADER_V1 } else { HEADER_V2 };
        &bytes[self.offset + header..self.offset + self.len]
    }
}

/// A break in the day's sequence of issued turns (`seq` must run 0, 1, 2, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SequenceIssue {
    /// Turns `from..=to` are missing before the turn issued at `offset`.
    Missing {
        /// The first missing sequence number.
        from: u32,
        /// The last missing sequence number.
        to: u32,
        /// The record of the turn after them.
        offset: usize,
        /// The code of the turn before them, if any.
        before: Option<String>,
        /// The code of the turn after them.
        after: String,
    },
    /// A turn whose sequence number the day had already used.
    Repeated {
        /// Its sequence number.
        seq: u32,
        /// Its record.
        offset: usize,
        /// Its code.
        code: String,
    },
}

/// Everything checked about one log file.
#[derive(Debug)]
pub struct FileCheck {
    /// The file's length.
    pub len: usize,
    /// The store's reading of the file.
    pub decoded: Decoded,
    /// The extent of each record, in the order of `decoded`'s records; `None` when the
    /// good stretches could not be cut into records (then the file is not repaired).
    pub spans: Option<Vec<RecordSpan>>,
    /// Breaks in the turns' sequence.
    pub sequence: Vec<SequenceIssue>,
    /// Turns issued (`TicketIssued` records).
    pub turns: usize,
}

/// The code a turn was issued with (`A-003`; `?-003` when the log does not say its prefix).
pub fn code_of(prefix: Option<&str>, number: u32) -> String {
    format!("{}-{number:03}", prefix.unwrap_or("?"))
}

impl FileCheck {
    /// Checks a log file's bytes. Never fails: what does not check out is reported.
    pub fn of(bytes: &[u8]) -> FileCheck {
        let decoded = record::decode(bytes);
        let spans = spans(bytes, &decoded).filter(|s| s.len() as u64 == decoded.version());
        let mut check = FileCheck {
            len: bytes.len(),
            decoded,
            spans,
            sequence: Vec::new(),
            turns: 0,
        };
        check.check_sequence();
        check
    }

    /// Every record with its entry, in order (empty when the spans are unknown).
    pub fn records(&self) -> impl Iterator<Item = (&RecordSpan, &LogEntry)> + '_ {
        let entries = self.decoded.entries.iter().filter(|e| e.is_record());
        self.spans.iter().flatten().zip(entries)
    }

    /// Records of events this version does not know, with where they are.
    pub fn unknown(&self) -> impl Iterator<Item = (&RecordSpan, &UnknownEvent)> + '_ {
        self.records().filter_map(|(span, entry)| match entry {
            LogEntry::Unknown(u) => Some((span, u)),
            _ => None,
        })
    }

    /// Damaged stretches in the middle (not the magic), in file order.
    pub fn middle_damage(&self) -> impl Iterator<Item = &Damage> + '_ {
        self.decoded
            .damage
            .iter()
            .filter(|d| d.offset >= MAGIC.len())
    }

    /// Whether bytes of the file do not check out (magic, middle or tail).
    pub fn has_damaged_bytes(&self) -> bool {
        !self.decoded.damage.is_empty() || self.decoded.torn.is_some()
    }

    /// The bytes a repair removes: damaged stretches and the torn tail (a damaged magic
    /// is replaced, not removed: it held no event).
    pub fn removed_bytes(&self) -> u64 {
        let middle: usize = self.middle_damage().map(|d| d.len).sum();
        (middle + self.decoded.torn.as_ref().map_or(0, |t| t.len)) as u64
    }

    /// Whether the log itself records that damaged bytes were taken out of it (a repair,
    /// or a torn tail the server cut), which explains turns missing from the sequence.
    pub fn records_removed_damage(&self) -> bool {
        crate::domain::log::events_of(&self.decoded.entries)
            .any(|e| matches!(e, Event::LogDamaged { .. }))
    }

    /// Whether the sequence's breaks have no damage to account for them.
    pub fn sequence_unexplained(&self) -> bool {
        self.sequence.iter().any(|s| match s {
            SequenceIssue::Missing { .. } => {
                self.middle_damage().next().is_none() && !self.records_removed_damage()
            }
            SequenceIssue::Repeated { .. } => true,
        })
    }

    /// Whether the log checks out: no damaged bytes, every record delimited, and the turns
    /// in sequence (or their breaks accounted for by damage the log records).
    pub fn intact(&self) -> bool {
        !self.has_damaged_bytes() && self.spans.is_some() && !self.sequence_unexplained()
    }

    /// Whether `--repair` rewrites the file: it has damaged bytes and its records could be
    /// delimited. Breaks in the sequence alone are not repaired (no record is removed).
    pub fn needs_repair(&self) -> bool {
        self.has_damaged_bytes() && self.spans.is_some()
    }

    fn check_sequence(&mut self) {
        let mut next = 0u32;
        let mut last_code = None;
        let mut issues = Vec::new();
        let mut turns = 0;
        for (span, entry) in self.records() {
            let Some(Event::TicketIssued {
                seq,
                number,
                prefix,
                ..
            }) = entry.event()
            else {
                continue;
            };
            turns += 1;
            let code = code_of(prefix.as_deref(), *number);
            if *seq > next {
                issues.push(SequenceIssue::Missing {
                    from: next,
                    to: seq - 1,
                    offset: span.offset,
                    before: last_code.clone(),
                    after: code.clone(),
                });
            } else if *seq < next {
                issues.push(SequenceIssue::Repeated {
                    seq: *seq,
                    offset: span.offset,
                    code: code.clone(),
                });
            }
            next = next.max(seq.saturating_add(1));
            last_code = Some(code);
        }
        self.sequence = issues;
        self.turns = turns;
    }
}

/// The stretches that hold good records: from the magic to the end of the last good
/// record, less the damaged stretches.
fn good_stretches(decoded: &Decoded) -> Vec<(usize, usize)> {
    let mut stretches = Vec::new();
    let mut pos = MAGIC.len();
    for d in decoded.damage.iter().filter(|d| d.offset >= MAGIC.len()) {
        if d.offset > pos {
            stretches.push((pos, d.offset));
        }
        pos = pos.max(d.offset + d.len);
    }
    if decoded.valid_len > pos {
        stretches.push((pos, decoded.valid_len));
    }
    stretches
}

/// Cuts the good stretches into records. `None` if they do not cut cleanly (which would
/// mean this reading and `decode` disagree: then nothing is repaired).
fn spans(bytes: &[u8], decoded: &Decoded) -> Option<Vec<RecordSpan>> {
    let le32 = |b: &[u8]| -> Option<usize> {
        let b: [u8; 4] = b.try_into().ok()?;
        usize::try_from(u32::from_le_bytes(b)).ok()
    };
    let mut spans = Vec::new();
    for (mut pos, end) in good_stretches(decoded) {
        while pos < end {
            let rest = bytes.get(pos..end)?;
            let (len, v1) = if rest.starts_with(&SYNC) {
                (HEADER_V2 + le32(rest.get(4..8)?)?, false)
            } else {
                (HEADER_V1 + le32(rest.get(0..4)?)?, true)
            };
            if len > rest.len() {
                return None;
            }
            spans.push(RecordSpan {
                offset: pos,
                len,
                v1,
            });
            pos += len;
        }
    }
    Some(spans)
}
