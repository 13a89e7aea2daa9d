//! The embedded log's file format.
//!
//! ```text
//! file    := magic record*
//! magic   := "TRNLOG02"                  8 bytes ("TRNLOG01" files are still read)
//! record  := sync length schema flags crc payload
//! sync    := FF 54 52 4E                 "\xFFTRN": 0xFF never occurs in UTF-8, so
//!                                        never inside a payload
//! length  := u32 LE                      bytes of payload, 1..=MAX_RECORD
//! schema  := u16 LE                      event schema that wrote it (domain::log)
//! flags   := u16 LE                      bit 0: a reader that does not know the event
//!                                        may skip it
//! crc     := u32 LE                      CRC-32 of length, schema, flags and payload
//! payload := one event as UTF-8 JSON     see `domain::event::Event`
//! ```
//!
//! Version 1 records (`length crc payload`, the CRC over the payload only, schema 1) are
//! read wherever they stand; new records are always version 2, also when appended to a
//! version 1 file (a version 2 record starts with the sync marker, which no valid version
//! 1 length can: it would exceed `MAX_RECORD`).
//!
//! Reading tells apart:
//! - a **torn tail**: bytes at the end that hold no record that checks out (a power cut
//!   during a write). The writer cuts them off and keeps them aside.
//! - **damage in the middle**: bytes that do not check out with good records after them.
//!   Reading resumes at the next record that checks out (the next sync marker whose
//!   record's CRC matches; for version 1, the next offset whose frame checks out), and
//!   the damaged stretch is reported as a [`Gap`] so numbering can stay above anything it
//!   held. Nothing is cut.
//! - an **unknown event**: a record that checks out but whose payload this version cannot
//!   decode (written by a newer Turnero). It is kept and reported, never taken for damage.

use crate::domain::log::{Gap, LogEntry, UnknownEvent, EVENT_SCHEMA};
use crate::domain::Event;

/// The first bytes of every log file this version creates.
pub const MAGIC: &[u8; 8] = b"TRNLOG02";
/// The first bytes of a log written before records carried a schema.
pub const MAGIC_V1: &[u8; 8] = b"TRNLOG01";
/// The start of every version 2 record.
pub const SYNC: [u8; 4] = [0xFF, b'T', b'R', b'N'];
/// The largest payload accepted when reading; anything larger is a damaged length.
pub const MAX_RECORD: usize = 1 << 20;
/// Flag: versions that do not know the event may skip it.
pub const FLAG_SKIPPABLE: u16 = 1;
const HEADER: usize = 16;
const HEADER_V1: usize = 8;

/// Appends one framed record for `event` to `out`.
pub fn encode(event: &Event, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&[0; HEADER]);
    // Serializing our own event types to a Vec cannot fail.
    serde_json::to_writer(&mut *out, event).unwrap_or_default();
    let flags = if event.skippable() { FLAG_SKIPPABLE } else { 0 };
    frame(out, start, EVENT_SCHEMA, flags);
}

/// Appends a record with an arbitrary payload (tests: events of a future version).
pub fn encode_raw(payload: &[u8], schema: u16, flags: u16, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&[0; HEADER]);
    out.extend_from_slice(payload);
    frame(out, start, schema, flags);
}

/// Fills in the header of the record that starts at `start` (payload already after it).
fn frame(out: &mut [u8], start: usize, schema: u16, flags: u16) {
    let len = (out.len() - start - HEADER) as u32;
    out[start..start + 4].copy_from_slice(&SYNC);
    out[start + 4..start + 8].copy_from_slice(&len.to_le_bytes());
    out[start + 8..start + 10].copy_from_slice(&schema.to_le_bytes());
    out[start + 10..start + 12].copy_from_slice(&flags.to_le_bytes());
    let crc = checksum(&out[start + 4..start + 12], &out[start + HEADER..]);
    out[start + 12..start + 16].copy_from_slice(&crc.to_le_bytes());
}

fn checksum(header: &[u8], payload: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(header);
    h.update(payload);
    h.finalize()
}

/// A stretch of bytes that does not check out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// Where it starts in the file.
    pub offset: usize,
    /// How long it is.
    pub len: usize,
    /// What was wrong with its first bytes, in Spanish.
    pub reason: String,
}

/// What reading a log found.
#[derive(Debug)]
pub struct Decoded {
    /// Every record that checked out (and the gaps between them), in order.
    pub entries: Vec<LogEntry>,
    /// Bytes up to the end of the last good record: where the file should end.
    pub valid_len: usize,
    /// Damaged stretches with good records after them (each is also a `Gap` entry).
    pub damage: Vec<Damage>,
    /// A torn tail after the last good record, if any.
    pub torn: Option<Damage>,
    /// Whether the file starts with the version 1 magic.
    pub v1: bool,
    /// Whether the magic itself is damaged (the records after it are still read).
    pub magic_damaged: bool,
}

impl Decoded {
    /// The number of records (the log's version).
    pub fn version(&self) -> u64 {
        crate::domain::log::version_of(&self.entries)
    }
}

/// One record read at a position.
enum Frame<'a> {
    /// A record that checks out, its payload, schema and flags, and its total length.
    Good {
        payload: &'a [u8],
        schema: u16,
        flags: u16,
        len: usize,
    },
    /// Nothing that checks out starts here.
    Bad(String),
}

fn read_frame(rest: &[u8], v1_allowed: bool) -> Frame<'_> {
    if rest.len() >= 4 && rest[..4] == SYNC {
        if rest.len() < HEADER {
            return Frame::Bad("registro incompleto".into());
        }
        let len = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]) as usize;
        let schema = u16::from_le_bytes([rest[8], rest[9]]);
        let flags = u16::from_le_bytes([rest[10], rest[11]]);
        let crc = u32::from_le_bytes([rest[12], rest[13], rest[14], rest[15]]);
        if len == 0 || len > MAX_RECORD || rest.len() < HEADER + len {
            return Frame::Bad("longitud de registro imposible o registro incompleto".into());
        }
        let payload = &rest[HEADER..HEADER + len];
        if checksum(&rest[4..12], payload) != crc {
            return Frame::Bad("suma de control errónea".into());
        }
        return Frame::Good {
            payload,
            schema,
            flags,
            len: HEADER + len,
        };
    }
    if !v1_allowed {
        return Frame::Bad("falta la marca de inicio de registro".into());
    }
    if rest.len() < HEADER_V1 {
        return Frame::Bad("registro incompleto".into());
    }
    let len = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
    let crc = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]);
    if len == 0 || len > MAX_RECORD || rest.len() < HEADER_V1 + len {
        return Frame::Bad("longitud de registro imposible o registro incompleto".into());
    }
    let payload = &rest[HEADER_V1..HEADER_V1 + len];
    if crc32fast::hash(payload) != crc {
        return Frame::Bad("suma de control errónea".into());
    }
    Frame::Good {
        payload,
        schema: 1,
        flags: 0,
        len: HEADER_V1 + len,
    }
}

/// The next offset after `from` where a record that checks out starts, if any.
fn resync(bytes: &[u8], from: usize, v1: bool) -> Option<usize> {
    let mut pos = from;
    while pos < bytes.len() {
        let next = if v1 {
            // Version 1 records have no marker: try every offset (only after damage).
            pos
        } else {
            pos + bytes[pos..].windows(4).position(|w| w == SYNC)?
        };
        if let Frame::Good { .. } = read_frame(&bytes[next..], v1) {
            return Some(next);
        }
        pos = next + 1;
    }
    None
}

fn entry_of(payload: &[u8], schema: u16, flags: u16) -> LogEntry {
    match serde_json::from_slice::<Event>(payload) {
        Ok(event) => LogEntry::Event(event),
        Err(_) => {
            // The record checks out, so this is an event we do not know, not damage.
            let kind = serde_json::from_slice::<serde_json::Value>(payload)
                .ok()
                .and_then(|v| v.get("type")?.as_str().map(str::to_owned))
                .unwrap_or_default();
            LogEntry::Unknown(UnknownEvent {
                kind,
                schema,
                skippable: flags & FLAG_SKIPPABLE != 0,
            })
        }
    }
}

/// Reads a whole log file's bytes (including the magic). Never fails: whatever does not
/// check out is reported as damage, and every record that does is kept.
pub fn decode(bytes: &[u8]) -> Decoded {
    let mut decoded = Decoded {
        entries: Vec::new(),
        valid_len: 0,
        damage: Vec::new(),
        torn: None,
        v1: false,
        magic_damaged: false,
    };
    if bytes.len() < MAGIC.len() {
        // A file cut before its header was complete holds no event.
        if !bytes.is_empty() {
            decoded.torn = Some(Damage {
                offset: 0,
                len: bytes.len(),
                reason: "cabecera incompleta".into(),
            });
        }
        return decoded;
    }
    // With a damaged magic the file's version is unknown: read both kinds of record.
    let lenient = match &bytes[..MAGIC.len()] {
        m if m == MAGIC => false,
        m if m == MAGIC_V1 => {
            decoded.v1 = true;
            true
        }
        _ => {
            decoded.magic_damaged = true;
            decoded.damage.push(Damage {
                offset: 0,
                len: MAGIC.len(),
                reason: "cabecera del archivo dañada".into(),
            });
            true
        }
    };
    let mut pos = MAGIC.len();
    while pos < bytes.len() {
        match read_frame(&bytes[pos..], lenient) {
            Frame::Good {
                payload,
                schema,
                flags,
                len,
            } => {
                decoded.entries.push(entry_of(payload, schema, flags));
                pos += len;
            }
            Frame::Bad(reason) => {
                let damage = |len| Damage {
                    offset: pos,
                    len,
                    reason: format!("{reason} en el byte {pos}"),
                };
                match resync(bytes, pos + 1, lenient) {
                    Some(next) => {
                        decoded.entries.push(LogEntry::Gap(Gap {
                            offset: pos as u64,
                            bytes: (next - pos) as u64,
                        }));
                        decoded.damage.push(damage(next - pos));
                        pos = next;
                    }
                    None => {
                        decoded.torn = Some(damage(bytes.len() - pos));
                        break;
                    }
                }
            }
        }
    }
    decoded.valid_len = decoded.torn.as_ref().map_or(bytes.len(), |t| t.offset);
    decoded
}

#[cfg(test)]
mod tests;
