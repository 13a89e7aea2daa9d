//! What Redis answers, read back into the store's terms: stream entries as log entries,
//! batch ids, and the read-ahead script's answer.

use super::{unavailable, PAGE};
use crate::domain::log::{LogEntry, UnknownEvent, EVENT_SCHEMA};
use crate::domain::Event;
use crate::store::{BatchId, Probe, StoreError};
use redis::Value;

pub(super) fn text(v: &Value) -> Option<String> {
    match v {
        Value::BulkString(b) => String::from_utf8(b.clone()).ok(),
        Value::SimpleString(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

/// The read-ahead script's answer: the probe, the records it gave, whether it gave a full
/// page (more may follow), and whether the writing turn was given.
pub(super) fn ahead_of(answer: Value) -> Result<(Probe, Vec<LogEntry>, bool, bool), StoreError> {
    let bad = || unavailable("the read-ahead script answered something else");
    let Value::Array(mut parts) = answer else {
        return Err(bad());
    };
    if parts.len() != 4 {
        return Err(bad());
    }
    let turn = parts.pop().and_then(|v| text(&v)) == Some("1".to_owned());
    let after = parts.pop().ok_or_else(bad)?;
    let at = parts.pop().ok_or_else(bad)?;
    let head = parts
        .pop()
        .and_then(|v| text(&v)?.parse::<u64>().ok())
        .ok_or_else(bad)?;
    let batch = text(&at)
        .and_then(|hex| u64::from_str_radix(&hex, 16).ok())
        .map(BatchId);
    let Value::Array(items) = after else {
        return Err(bad());
    };
    let full = items.len() >= PAGE;
    let entries = items
        .into_iter()
        .map(entry_of)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((Probe { head, batch }, entries, full, turn))
}

/// The value of field `name` among a stream entry's `[name, value, …]` fields.
pub(super) fn field(fields: &[Value], name: &str) -> Option<String> {
    fields
        .chunks(2)
        .find(|pair| text(&pair[0]).as_deref() == Some(name))
        .and_then(|pair| text(pair.get(1)?))
}

/// One stream entry as a log entry: the event, or an unknown record of a newer version.
pub(super) fn entry_of(item: Value) -> Result<LogEntry, StoreError> {
    let bad = || unavailable("a log entry is not as Turnero writes them");
    let Value::Array(mut parts) = item else {
        return Err(bad());
    };
    let Some(Value::Array(fields)) = parts.pop() else {
        return Err(bad());
    };
    let mut payload = None;
    let mut schema = EVENT_SCHEMA;
    let mut flags = 0u16;
    for pair in fields.chunks(2) {
        let [name, value] = pair else { continue };
        match text(name).as_deref() {
            Some("e") => payload = text(value),
            Some("s") => schema = text(value).and_then(|s| s.parse().ok()).unwrap_or(schema),
            Some("f") => flags = text(value).and_then(|s| s.parse().ok()).unwrap_or(0),
            _ => {}
        }
    }
    let payload = payload.ok_or_else(bad)?;
    Ok(match serde_json::from_str::<Event>(&payload) {
        Ok(event) => LogEntry::Event(event),
        Err(_) => LogEntry::Unknown(UnknownEvent {
            kind: serde_json::from_str::<serde_json::Value>(&payload)
                .ok()
                .and_then(|v| v.get("type")?.as_str().map(str::to_owned))
                .unwrap_or_default(),
            schema,
            skippable: flags & crate::store::record::FLAG_SKIPPABLE != 0,
        }),
    })
}
