//! Rewriting a damaged log: the magic, every record that checks out with its exact bytes,
//! in order, and one `LogDamaged` record for the bytes removed, so the day's numbering
//! stays above any turn they held.
//!
//! Version 2 records are copied byte for byte (unknown events included). A version 1
//! record (no schema) is put in a version 2 frame of schema 1 around its exact payload:
//! the store reads it the same, and the file becomes a version 2 file. The original is
//! first kept whole beside the log (`*.log.before-repair-<time>`); the new log is written
//! to a temporary file, synced and renamed over the log, and the folder synced. Before
//! anything is written, the new bytes are read back with the store's reader and must give
//! exactly the original's records plus the `LogDamaged` record.

use super::scan::FileCheck;
use crate::domain::log::LogEntry;
use crate::domain::Event;
use crate::store::record::{self, MAGIC};
use chrono::{DateTime, Utc};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a repair did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    /// Bytes removed (damaged stretches and torn tail).
    pub removed: u64,
    /// Records kept.
    pub kept: u64,
    /// Where the whole original file is.
    pub backup: PathBuf,
}

/// Why a file was not repaired. The log is left as it was in every case but `SyncFolder`,
/// which comes after the repaired log took its place.
#[derive(Debug, thiserror::Error)]
pub enum RepairError {
    /// Its records could not be delimited.
    #[error("no se pudieron delimitar sus registros íntegros; el log no se ha tocado")]
    Undelimited,
    /// The new bytes did not read back as the original's records.
    #[error("la copia reparada no se lee igual que los registros íntegros del original; el log no se ha tocado")]
    Mismatch,
    /// The original could not be kept aside.
    #[error("no se pudo guardar el original en {path}: {source}; el log no se ha tocado")]
    Backup {
        /// Where it was to go.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The repaired log is in place, but the folder could not be synced: it may not
    /// survive a power cut yet.
    #[error("el log está reparado, pero no se pudo asegurar en disco la carpeta {path}: {source}; vuelva a ejecutar check-data")]
    SyncFolder {
        /// The folder.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The new log could not be written or put in place.
    #[error("no se pudo escribir el log reparado {path}: {source}; el log no se ha tocado")]
    Replace {
        /// The file being written.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// The repaired file's bytes, checked by reading them back.
pub fn repaired_bytes(
    bytes: &[u8],
    check: &FileCheck,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, RepairError> {
    let spans = check.spans.as_ref().ok_or(RepairError::Undelimited)?;
    let mut out = Vec::with_capacity(bytes.len() + 128);
    out.extend_from_slice(MAGIC);
    for span in spans {
        if span.v1 {
            record::encode_raw(span.payload(bytes), 1, 0, &mut out);
        } else {
            out.extend_from_slice(&bytes[span.offset..span.offset + span.len]);
        }
    }
    // Like the writer after cutting a torn tail: never earlier than the day's last event.
    let last = crate::domain::log::events_of(&check.decoded.entries)
        .map(Event::at)
        .max();
    let damaged = Event::LogDamaged {
        bytes: check.removed_bytes(),
        at: last.map_or(now, |l| l.max(now)),
    };
    record::encode(&damaged, &mut out);

    let reread = record::decode(&out);
    let expected = check
        .decoded
        .entries
        .iter()
        .filter(|e| e.is_record())
        .cloned()
        .chain(std::iter::once(LogEntry::Event(damaged)));
    let clean = reread.damage.is_empty() && reread.torn.is_none() && !reread.v1;
    if !clean || !reread.entries.into_iter().eq(expected) {
        return Err(RepairError::Mismatch);
    }
    Ok(out)
}

/// Repairs the log at `path`, whose bytes are `bytes` and check `check`. The caller holds
/// the data folder's lock.
pub fn repair_file(
    path: &Path,
    bytes: &[u8],
    check: &FileCheck,
    now: DateTime<Utc>,
) -> Result<Repaired, RepairError> {
    let repaired = repaired_bytes(bytes, check, now)?;
    let stamp = now.format("%Y%m%dT%H%M%S%.f");
    let backup = path.with_extension(format!("log.before-repair-{stamp}"));
    write_synced(&backup, bytes, true).map_err(|source| RepairError::Backup {
        path: backup.clone(),
        source,
    })?;
    let temp = path.with_extension(format!("log.repairing-{stamp}"));
    let replace_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| RepairError::Replace { path, source }
    };
    let replaced = write_synced(&temp, &repaired, false)
        .map_err(replace_error(&temp))
        .and_then(|()| std::fs::rename(&temp, path).map_err(replace_error(path)));
    if let Err(e) = replaced {
        // The log is still the original; the half-written copy goes.
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    // The day's report summary was made from the old bytes: the next report replays the
    // repaired log (a summary also checks the log's size, which a repair could keep).
    let _ = std::fs::remove_file(path.with_extension("summary"));
    if let Some(dir) = path.parent() {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|source| RepairError::SyncFolder {
                path: dir.to_path_buf(),
                source,
            })?;
    }
    Ok(Repaired {
        removed: check.removed_bytes(),
        kept: check.decoded.version(),
        backup,
    })
}

/// Writes a whole file and syncs it; `new` refuses to replace an existing file.
fn write_synced(path: &Path, bytes: &[u8], new: bool) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true);
    if new {
        options.create_new(true);
    } else {
        options.create(true).truncate(true);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}
