//! The embedded log's file format.
//!
//! ```text
//! file    := magic record*
//! magic   := "TRNLOG01"                       8 bytes
//! record  := length crc payload
//! length  := u32, little endian               bytes of payload, 1..=MAX_RECORD
//! crc     := u32, little endian               CRC-32 (IEEE) of payload
//! payload := one event as UTF-8 JSON          see `domain::event::Event`
//! ```
//!
//! A record is written whole with one `write` and made durable with `fdatasync` before the
//! request that caused it is answered. A power cut can leave the last record torn (short,
//! or with a bad checksum): reading stops at the first record that does not check out, and
//! the store cuts the file there. JSON keeps the log readable with `strings` and lets
//! events gain optional fields without a format change.

use crate::domain::Event;

/// The first bytes of every log file.
pub const MAGIC: &[u8; 8] = b"TRNLOG01";
/// The largest payload accepted when reading; anything larger is a torn length.
pub const MAX_RECORD: usize = 1 << 20;
const HEADER: usize = 8;

/// Appends one framed record for `event` to `out`.
pub fn encode(event: &Event, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&[0; HEADER]);
    // Serializing our own event types to a Vec cannot fail.
    serde_json::to_writer(&mut *out, event).unwrap_or_default();
    let payload = &out[start + HEADER..];
    let len = payload.len() as u32;
    let crc = crc32fast::hash(payload);
    out[start..start + 4].copy_from_slice(&len.to_le_bytes());
    out[start + 4..start + 8].copy_from_slice(&crc.to_le_bytes());
}

/// What reading a log found.
#[derive(Debug)]
pub struct Decoded {
    /// Events of every record that checked out, in order.
    pub events: Vec<Event>,
    /// Bytes up to the end of the last good record: the file's valid length.
    pub valid_len: usize,
    /// Why reading stopped before the end of the file, if it did.
    pub damage: Option<String>,
}

/// Reads a whole log file's bytes (including the magic).
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if bytes.len() < MAGIC.len() {
        // A file cut before its header was complete holds no event.
        return Ok(Decoded {
            events: Vec::new(),
            valid_len: 0,
            damage: (!bytes.is_empty()).then(|| "cabecera incompleta".into()),
        });
    }
    if &bytes[..MAGIC.len()] != MAGIC {
        return Err("el archivo no es un registro de Turnero (cabecera desconocida)".into());
    }
    let mut pos = MAGIC.len();
    let mut events = Vec::new();
    let damage = loop {
        let rest = &bytes[pos..];
        if rest.is_empty() {
            break None;
        }
        if rest.len() < HEADER {
            break Some(format!("registro incompleto en el byte {pos}"));
        }
        let len = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let crc = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]);
        if len == 0 || len > MAX_RECORD || rest.len() < HEADER + len {
            break Some(format!("registro incompleto en el byte {pos}"));
        }
        let payload = &rest[HEADER..HEADER + len];
        if crc32fast::hash(payload) != crc {
            break Some(format!("suma de control errónea en el byte {pos}"));
        }
        match serde_json::from_slice::<Event>(payload) {
            Ok(event) => events.push(event),
            Err(e) => break Some(format!("evento ilegible en el byte {pos}: {e}")),
        }
        pos += HEADER + len;
    };
    Ok(Decoded {
        events,
        valid_len: pos,
        damage,
    })
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn every_cut_point_keeps_the_whole_records_before_it() {
        let events = sample(5);
        let mut bytes = MAGIC.to_vec();
        let mut ends = vec![bytes.len()];
        for e in &events {
            encode(e, &mut bytes);
            ends.push(bytes.len());
        }
        for cut in 0..=bytes.len() {
            let d = decode(&bytes[..cut]).unwrap();
            let whole = ends
                .iter()
                .filter(|&&end| end <= cut)
                .count()
                .saturating_sub(1);
            assert_eq!(d.events.len(), whole, "cut at {cut}");
            assert_eq!(d.events[..], events[..whole]);
            assert_eq!(d.damage.is_some(), !ends.contains(&cut) && cut != 0);
        }
    }

    #[test]
    fn a_flipped_byte_stops_reading_there() {
        let events = sample(3);
        let mut bytes = MAGIC.to_vec();
        for e in &events {
            encode(e, &mut bytes);
        }
        let last = bytes.len() - 3;
        bytes[last] ^= 0x40;
        let d = decode(&bytes).unwrap();
        assert_eq!(d.events.len(), 2);
        assert!(d.damage.unwrap().contains("suma de control"));
    }
}
