//! What a day's log holds, as the domain sees it: events, records this version cannot
//! read, and damaged stretches between good records.
//!
//! The store finds these; the domain decides what they mean for the day's state (an
//! unknown record makes the office read-only unless it is marked safe to skip; a damaged
//! stretch may have held turns, so numbering continues above anything it could have held).

use super::event::Event;

/// The event schema this version writes. Records carry the schema that wrote them, so a
/// log written by a newer version is recognised as such rather than taken for damage.
pub const EVENT_SCHEMA: u16 = 2;

/// One position of a day's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogEntry {
    /// An event this version understands.
    Event(Event),
    /// A record that checks out but holds an event this version does not know.
    Unknown(UnknownEvent),
    /// Damaged bytes between two records that check out (not a torn tail).
    Gap(Gap),
}

impl LogEntry {
    /// Whether the entry is a record (counts in the log's version); a gap is not.
    pub fn is_record(&self) -> bool {
        !matches!(self, LogEntry::Gap(_))
    }

    /// The event, if this entry is one.
    pub fn event(&self) -> Option<&Event> {
        match self {
            LogEntry::Event(e) => Some(e),
            _ => None,
        }
    }
}

/// A record written by a version of Turnero that knows an event this one does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEvent {
    /// The event's `type`, when it could be read.
    pub kind: String,
    /// The schema version that wrote it.
    pub schema: u16,
    /// Whether its writer marked it as safe to ignore by versions that do not know it.
    pub skippable: bool,
}

/// Bytes between two good records that do not check out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    /// Where the damage starts in the file.
    pub offset: u64,
    /// How many bytes are damaged.
    pub bytes: u64,
}

impl Gap {
    /// The most turns the damaged bytes could have held: no issued-turn record is
    /// shorter than this, so numbering must leave this many numbers free.
    pub fn max_turns(&self) -> u32 {
        /// A `TicketIssued` record is well above 120 bytes (its token alone is 22).
        const SMALLEST_TURN_RECORD: u64 = 120;
        u32::try_from(self.bytes.div_ceil(SMALLEST_TURN_RECORD)).unwrap_or(u32::MAX)
    }
}

/// The number of records among `entries` (the log's version).
pub fn version_of(entries: &[LogEntry]) -> u64 {
    entries.iter().filter(|e| e.is_record()).count() as u64
}

/// The events among `entries`, in order.
pub fn events_of(entries: &[LogEntry]) -> impl Iterator<Item = &Event> + '_ {
    entries.iter().filter_map(LogEntry::event)
}
