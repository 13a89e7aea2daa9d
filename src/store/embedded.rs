//! The embedded store: one append-only file per office and local day under the data
//! folder (`DATA/OFFICE/YYYY-MM-DD.log`, format in `record.rs`), made durable with
//! `fdatasync` before each append is confirmed.
//!
//! Opening a log checks every record. A torn tail left by a crash is cut off (the bytes
//! are kept beside the log as `*.corrupt-<time>`); damage in the middle is never cut: the
//! records after it are read, and a copy of the damaged bytes is kept beside the log as
//! `*.damaged-<offset>` for inspection. An OS lock (`flock`) on the data folder itself
//! keeps a second process out; deleting or replacing a file cannot let one in.
//!
//! A failed write or fsync leaves the log *broken*: nothing more is written to it until
//! [`EventStore::discard_unsynced`] has cut it back to what was confirmed and read it back.

use super::record::{self, MAGIC};
use super::{BatchId, EventStore, Loaded, StoreError};
use crate::domain::log::LogEntry;
use crate::domain::Event;
use chrono::NaiveDate;
use parking_lot::{Condvar, Mutex};
use std::collections::{HashMap, VecDeque};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Batch ids remembered per log to recognise a retried batch.
const REMEMBERED_BATCHES: usize = 64;

struct OpenLog {
    /// Shared with a sync in progress, which runs without the store's lock.
    file: Arc<File>,
    /// Records written.
    version: u64,
    /// Bytes written.
    len: u64,
    /// Bytes known to be on disk.
    durable_len: u64,
    /// Records known to be on disk.
    durable_version: u64,
    /// The latest batches written: id, version before, version after.
    batches: VecDeque<(BatchId, u64, u64)>,
    /// A write or sync failed: refuse writes until the log is cut back and checked.
    broken: bool,
}

/// Durable logs in a local folder, for one process.
pub struct EmbeddedStore {
    root: PathBuf,
    logs: Mutex<HashMap<(String, NaiveDate), OpenLog>>,
    /// Signalled whenever a log's durable version grows.
    changed: Condvar,
    /// The data folder itself, held with an exclusive `flock` until the store is closed
    /// (the engine stopped) or dropped.
    folder_lock: parking_lot::Mutex<Option<File>>,
}

impl EmbeddedStore {
    /// Opens (creating if needed) the data folder and takes its lock.
    pub fn open(root: impl Into<PathBuf>) -> anyhow::Result<Self> {
        let root = root.into();
        std::fs::create_dir_all(&root).map_err(|e| {
            anyhow::anyhow!(
                "no se pudo crear la carpeta de datos {}: {e}",
                root.display()
            )
        })?;
        let folder = File::open(&root)?;
        if folder.try_lock().is_err() {
            anyhow::bail!(
                "otro proceso de Turnero usa la carpeta de datos {}; deténgalo o elija otra carpeta con --data",
                root.display()
            );
        }
        // For people: who holds the folder. The lock is on the folder, not on this file.
        let _ = std::fs::write(
            root.join("LOCK"),
            format!(
                "pid {}\nla carpeta está bloqueada mientras este proceso vive\n",
                std::process::id()
            ),
        );
        Ok(EmbeddedStore {
            root,
            logs: Mutex::new(HashMap::new()),
            changed: Condvar::new(),
            folder_lock: parking_lot::Mutex::new(Some(folder)),
        })
    }

    /// The file of an office's day.
    pub fn path(&self, office: &str, day: NaiveDate) -> PathBuf {
        log_path(&self.root, office, day)
    }

    /// Opens a day's log, checking it and cutting a torn tail.
    fn open_log(&self, office: &str, day: NaiveDate) -> Result<(OpenLog, Loaded), StoreError> {
        let path = self.path(office, day);
        let dir = self.root.join(office);
        std::fs::create_dir_all(&dir)?;
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        let decoded = record::decode(&bytes);
        let mut loaded = Loaded::default();
        for d in &decoded.damage {
            let kept = keep_damaged(&path, d.offset, &bytes[d.offset..d.offset + d.len]);
            tracing::error!(
                log = %path.display(),
                offset = d.offset,
                bytes = d.len,
                reason = %d.reason,
                kept = %kept,
                "DAMAGED LOG: bytes in the middle do not check out; the records around them are kept, nothing is cut"
            );
            loaded.damage.push(format!(
                "{}: {} bytes dañados desde el byte {} ({}); copia en {kept}",
                path.display(),
                d.len,
                d.offset,
                d.reason
            ));
        }
        if let Some(torn) = &decoded.torn {
            let kept = keep_cut_tail(&path, &bytes[torn.offset..]);
            tracing::warn!(
                log = %path.display(),
                reason = %torn.reason,
                kept_records = decoded.version(),
                cut_bytes = torn.len,
                kept = %kept,
                "torn record at the end of the log cut off (crash or power cut)"
            );
            loaded.damage.push(format!(
                "{}: registro incompleto al final ({} bytes, {}), cortado; copia en {kept}",
                path.display(),
                torn.len,
                torn.reason
            ));
            file.set_len(decoded.valid_len as u64)?;
            loaded.cut_bytes = torn.len as u64;
        }
        let mut len = decoded.valid_len as u64;
        if len == 0 {
            file.write_all(MAGIC)?;
            len = MAGIC.len() as u64;
            file.sync_all()?;
            sync_dir(&dir)?;
        } else if decoded.torn.is_some() {
            file.sync_all()?;
        }
        let version = decoded.version();
        let log = OpenLog {
            file: Arc::new(file),
            version,
            len,
            durable_len: len,
            durable_version: version,
            batches: VecDeque::new(),
            broken: false,
        };
        loaded.entries = decoded.entries;
        Ok((log, loaded))
    }

    /// Writes a batch at the end of the day's log if it is at `expected_version`, without
    /// waiting for the disk.
    fn write(
        &self,
        office: &str,
        day: NaiveDate,
        expected_version: u64,
        batch: BatchId,
        events: &[Event],
    ) -> Result<u64, StoreError> {
        if self.folder_lock.lock().is_none() {
            return Err(StoreError::Unavailable("the store was closed".into()));
        }
        let mut logs = self.logs.lock();
        let key = (office.to_owned(), day);
        if !logs.contains_key(&key) {
            let (log, _) = self.open_log(office, day)?;
            logs.insert(key.clone(), log);
        }
        let Some(log) = logs.get_mut(&key) else {
            return Err(StoreError::Unavailable("log not open".into()));
        };
        if log.broken {
            return Err(StoreError::Unavailable(
                "the log must be cut back to what is durable first".into(),
            ));
        }
        if log.version != expected_version {
            if let Some(&(_, _, end)) = log
                .batches
                .iter()
                .find(|(id, start, _)| *id == batch && *start == expected_version)
            {
                return Ok(end);
            }
            return Err(StoreError::Conflict {
                expected: expected_version,
                actual: log.version,
            });
        }
        let mut buf = Vec::with_capacity(events.len() * 256);
        for e in events {
            record::encode(e, &mut buf);
        }
        if let Err(e) = (&*log.file).write_all(&buf) {
            // Maybe part of the batch reached the file: nothing is written again until
            // the log is cut back to what is durable and checked.
            log.broken = true;
            return Err(e.into());
        }
        log.len += buf.len() as u64;
        let start = log.version;
        log.version += events.len() as u64;
        if log.batches.len() == REMEMBERED_BATCHES {
            log.batches.pop_front();
        }
        log.batches.push_back((batch, start, log.version));
        Ok(log.version)
    }

    /// The durable part of a day's file (all of it when no writer holds it open).
    fn durable_bytes(&self, office: &str, day: NaiveDate) -> Result<Vec<u8>, StoreError> {
        let durable = self
            .logs
            .lock()
            .get(&(office.to_owned(), day))
            .map(|log| log.durable_len);
        let mut bytes = match std::fs::read(self.path(office, day)) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        if let Some(durable) = durable {
            bytes.truncate(durable as usize);
        }
        Ok(bytes)
    }
}

/// The file of an office's day under a data folder.
pub fn log_path(root: &Path, office: &str, day: NaiveDate) -> PathBuf {
    root.join(office)
        .join(format!("{}.log", day.format("%Y-%m-%d")))
}

/// Keeps the bytes cut from a log's end beside it, so nothing is silently destroyed.
/// Returns where they went.
pub fn keep_cut_tail(path: &Path, tail: &[u8]) -> String {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.f");
    let keep = path.with_extension(format!("log.corrupt-{stamp}"));
    if let Err(e) = std::fs::write(&keep, tail) {
        tracing::error!(path = %keep.display(), error = %e, "could not keep the cut bytes");
    }
    keep.display().to_string()
}

/// Keeps a copy of damaged bytes from the middle of a log beside it (once per stretch:
/// the name says where they start). Returns where they are.
fn keep_damaged(path: &Path, offset: usize, bytes: &[u8]) -> String {
    let keep = path.with_extension(format!("log.damaged-{offset}"));
    if !keep.exists() {
        if let Err(e) = std::fs::write(&keep, bytes) {
            tracing::error!(path = %keep.display(), error = %e, "could not keep a copy of the damaged bytes");
        }
    }
    keep.display().to_string()
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// The entries after the first `version` records.
fn after(entries: Vec<LogEntry>, version: u64) -> Vec<LogEntry> {
    let mut seen = 0;
    let mut entries = entries.into_iter().peekable();
    while seen < version {
        match entries.next() {
            Some(e) if e.is_record() => seen += 1,
            Some(_) => {}
            None => break,
        }
    }
    entries.collect()
}

impl EventStore for EmbeddedStore {
    fn load(&self, office: &str, day: NaiveDate) -> Result<Loaded, StoreError> {
        let (log, loaded) = self.open_log(office, day)?;
        self.logs.lock().insert((office.to_owned(), day), log);
        self.changed.notify_all();
        Ok(loaded)
    }

    fn load_since(
        &self,
        office: &str,
        day: NaiveDate,
        version: u64,
    ) -> Result<Vec<LogEntry>, StoreError> {
        let bytes = self.durable_bytes(office, day)?;
        // A torn or half-written tail is left out, not cut: cutting is the writer's job.
        Ok(after(record::decode(&bytes).entries, version))
    }

    fn append(
        &self,
        office: &str,
        day: NaiveDate,
        expected_version: u64,
        batch: BatchId,
        events: &[Event],
    ) -> Result<u64, StoreError> {
        let version = self.write(office, day, expected_version, batch, events)?;
        self.sync(office, day)?;
        Ok(version)
    }

    fn append_buffered(
        &self,
        office: &str,
        day: NaiveDate,
        expected_version: u64,
        batch: BatchId,
        events: &[Event],
    ) -> Result<u64, StoreError> {
        self.write(office, day, expected_version, batch, events)
    }

    fn close(&self) {
        // Let another store open the folder: this one's writers have stopped.
        self.folder_lock.lock().take();
    }

    fn sync(&self, office: &str, day: NaiveDate) -> Result<(), StoreError> {
        let key = (office.to_owned(), day);
        let (file, len, version) = {
            let logs = self.logs.lock();
            let Some(log) = logs.get(&key) else {
                return Ok(());
            };
            if log.broken {
                return Err(StoreError::Unavailable(
                    "an earlier write to this log failed".into(),
                ));
            }
            if log.durable_len == log.len {
                return Ok(());
            }
            (log.file.clone(), log.len, log.version)
        };
        // Without the lock: the writer goes on writing the next batch meanwhile; this
        // fdatasync covers at least everything written before it started.
        let synced = file.sync_data();
        let mut logs = self.logs.lock();
        if let Some(log) = logs.get_mut(&key) {
            if !Arc::ptr_eq(&log.file, &file) {
                return Err(StoreError::Unavailable("the log was reopened".into()));
            }
            if let Err(e) = synced {
                // After a failed fsync the kernel may have dropped the pages: what was
                // not confirmed before is gone for good, whatever a later fsync says.
                log.broken = true;
                return Err(e.into());
            }
            if log.broken {
                return Err(StoreError::Unavailable(
                    "a write to this log failed meanwhile".into(),
                ));
            }
            if len > log.durable_len && len <= log.len {
                log.durable_len = len;
                log.durable_version = version;
                self.changed.notify_all();
            }
        }
        Ok(())
    }

    fn discard_unsynced(&self, office: &str, day: NaiveDate) -> Result<u64, StoreError> {
        let mut logs = self.logs.lock();
        let key = (office.to_owned(), day);
        let Some(log) = logs.get_mut(&key) else {
            drop(logs);
            return self.load(office, day).map(|l| l.version());
        };
        if !log.broken && log.len == log.durable_len {
            return Ok(log.durable_version);
        }
        tracing::warn!(
            office,
            %day,
            kept = log.durable_version,
            dropped = log.version - log.durable_version,
            "cutting the log back to what was confirmed durable"
        );
        log.broken = true;
        log.file.set_len(log.durable_len)?;
        log.file.sync_all()?;
        // Read it back: the file must hold exactly the confirmed records.
        let bytes = std::fs::read(self.path(office, day))?;
        let decoded = record::decode(&bytes);
        if decoded.version() != log.durable_version || bytes.len() as u64 != log.durable_len {
            return Err(StoreError::Unavailable(format!(
                "the log holds {} records after cutting it back, {} were confirmed",
                decoded.version(),
                log.durable_version
            )));
        }
        log.len = log.durable_len;
        log.version = log.durable_version;
        log.broken = false;
        log.batches.clear();
        Ok(log.durable_version)
    }

    fn wait_for_change(
        &self,
        office: &str,
        day: NaiveDate,
        version: u64,
        timeout: Duration,
    ) -> Result<u64, StoreError> {
        let deadline = Instant::now() + timeout;
        let key = (office.to_owned(), day);
        let mut logs = self.logs.lock();
        loop {
            let head = match logs.get(&key) {
                Some(log) => log.durable_version,
                // Not open here: what the file holds is all there is.
                None => parking_lot::MutexGuard::unlocked(&mut logs, || {
                    self.load_since(office, day, 0)
                        .map(|e| crate::domain::log::version_of(&e))
                })?,
            };
            if head > version || self.changed.wait_until(&mut logs, deadline).timed_out() {
                return Ok(head);
            }
        }
    }

    fn days(&self, office: &str) -> Result<Vec<NaiveDate>, StoreError> {
        days_in(&self.root.join(office))
    }

    fn log_size(&self, office: &str, day: NaiveDate) -> Result<u64, StoreError> {
        summaries::log_size(&self.root, office, day)
    }

    fn read_summary(&self, office: &str, day: NaiveDate) -> Result<Option<Vec<u8>>, StoreError> {
        summaries::read(&self.root, office, day)
    }

    fn write_summary(&self, office: &str, day: NaiveDate, bytes: &[u8]) -> Result<(), StoreError> {
        summaries::write(&self.root, office, day, bytes)
    }

    fn check(&self) -> Result<(), StoreError> {
        // New blocks, made durable: a full disk or a read-only folder fails here even when
        // a small append into a block the log already has would still fit.
        let probe = self.root.join(".ready-probe");
        let result = File::create(&probe)
            .and_then(|mut f| f.write_all(&[0u8; 16 * 1024]).and_then(|()| f.sync_data()));
        let _ = std::fs::remove_file(&probe);
        result.map_err(StoreError::from)
    }
}

/// The days that have a log in an office's folder, oldest first.
pub fn days_in(dir: &Path) -> Result<Vec<NaiveDate>, StoreError> {
    let mut days = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(days),
        Err(e) => return Err(e.into()),
    };
    for entry in entries {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        if let Some(day) = name
            .strip_suffix(".log")
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        {
            days.push(day);
        }
    }
    days.sort_unstable();
    Ok(days)
}

mod summaries;
#[cfg(test)]
mod tests;
