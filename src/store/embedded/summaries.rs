//! The report summaries of the embedded store: `DATA/OFFICE/YYYY-MM-DD.summary` beside
//! the day's log, replaced atomically (a temporary file, fsync, rename, fsync of the
//! folder), so a reader finds the old summary or the new one, never half of one.

use super::log_path;
use crate::store::StoreError;
use chrono::NaiveDate;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// The summary file of an office's day.
pub fn summary_path(root: &Path, office: &str, day: NaiveDate) -> PathBuf {
    log_path(root, office, day).with_extension("summary")
}

/// The log's length in bytes (0 when there is none).
pub(super) fn log_size(root: &Path, office: &str, day: NaiveDate) -> Result<u64, StoreError> {
    match std::fs::metadata(log_path(root, office, day)) {
        Ok(m) => Ok(m.len()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(0),
        Err(e) => Err(e.into()),
    }
}

pub(super) fn read(
    root: &Path,
    office: &str,
    day: NaiveDate,
) -> Result<Option<Vec<u8>>, StoreError> {
    match std::fs::read(summary_path(root, office, day)) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

pub(super) fn write(
    root: &Path,
    office: &str,
    day: NaiveDate,
    bytes: &[u8],
) -> Result<(), StoreError> {
    let path = summary_path(root, office, day);
    let dir = path.parent().unwrap_or(root);
    std::fs::create_dir_all(dir)?;
    // A name of its own per process and call, so two summarising one day at once never
    // write into the same temporary file.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("summary.{}-{n}.tmp", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(StoreError::from)
}
