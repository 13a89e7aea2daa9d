//! The embedded store: one append-only file per office and local day under the data
//! folder (`DATA/OFFICE/YYYY-MM-DD.log`, format in `record.rs`), made durable with
//! `fdatasync` before each append returns.
//!
//! Opening a log checks every record; a torn tail left by a crash is cut off (the cut bytes
//! are kept beside the log as `*.corrupt-<time>` for inspection) and never stops the server
//! from starting. A `LOCK` file held with an exclusive lock keeps a second process out of
//! the same folder.

use super::record::{self, MAGIC};
use super::{EventStore, StoreError};
use crate::domain::Event;
use chrono::NaiveDate;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

struct OpenLog {
    /// Shared with a sync in progress, which runs without the store's lock.
    file: Arc<File>,
    /// Events written.
    version: u64,
    /// Bytes written.
    len: u64,
    /// Bytes known to be on disk.
    durable_len: u64,
    /// Events known to be on disk.
    durable_version: u64,
}

/// Durable logs in a local folder, for one process.
pub struct EmbeddedStore {
    root: PathBuf,
    logs: Mutex<HashMap<(String, NaiveDate), OpenLog>>,
    _lock: File,
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
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(root.join("LOCK"))?;
        if lock.try_lock().is_err() {
            anyhow::bail!(
                "otro proceso de Turnero usa la carpeta de datos {}; deténgalo o elija otra carpeta con --data",
                root.display()
            );
        }
        Ok(EmbeddedStore {
            root,
            logs: Mutex::new(HashMap::new()),
            _lock: lock,
        })
    }

    fn path(&self, office: &str, day: NaiveDate) -> PathBuf {
        self.root
            .join(office)
            .join(format!("{}.log", day.format("%Y-%m-%d")))
    }

    /// Opens a day's log, checking it and cutting a torn tail; returns its events.
    fn open_log(&self, office: &str, day: NaiveDate) -> Result<(OpenLog, Vec<Event>), StoreError> {
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
        let decoded = record::decode(&bytes)
            .map_err(|e| StoreError::Unavailable(format!("{}: {e}", path.display())))?;
        if let Some(damage) = &decoded.damage {
            keep_cut_tail(&path, &bytes[decoded.valid_len..]);
            tracing::warn!(
                log = %path.display(),
                %damage,
                kept = decoded.events.len(),
                cut_bytes = bytes.len() - decoded.valid_len,
                "torn record at the end of the log cut off (crash or power cut)"
            );
            file.set_len(decoded.valid_len as u64)?;
        }
        let mut len = decoded.valid_len as u64;
        if len == 0 {
            file.write_all(MAGIC)?;
            len = MAGIC.len() as u64;
            file.sync_all()?;
            sync_dir(&dir)?;
        } else if decoded.damage.is_some() {
            file.sync_all()?;
        }
        let version = decoded.events.len() as u64;
        let log = OpenLog {
            file: Arc::new(file),
            version,
            len,
            durable_len: len,
            durable_version: version,
        };
        Ok((log, decoded.events))
    }
}

impl EmbeddedStore {
    /// Writes a batch at the end of the day's log if it is at `expected_version`, without
    /// waiting for the disk.
    fn write(
        &self,
        office: &str,
        day: NaiveDate,
        expected_version: u64,
        events: &[Event],
    ) -> Result<u64, StoreError> {
        let mut logs = self.logs.lock();
        let key = (office.to_owned(), day);
        if !logs.contains_key(&key) {
            let (log, _) = self.open_log(office, day)?;
            logs.insert(key.clone(), log);
        }
        let Some(log) = logs.get_mut(&key) else {
            return Err(StoreError::Unavailable("log not open".into()));
        };
        if log.version != expected_version {
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
            // Leave no partial record behind: the next append starts on a clean end. The
            // log stays open so that a sync still covers the batches written before.
            if let Err(cut) = log.file.set_len(log.len) {
                tracing::error!(office, %day, error = %cut, "could not cut a partial write");
            }
            return Err(e.into());
        }
        log.len += buf.len() as u64;
        log.version += events.len() as u64;
        Ok(log.version)
    }
}

/// Keeps the bytes cut from a damaged log beside it, so nothing is silently destroyed.
fn keep_cut_tail(path: &Path, tail: &[u8]) {
    if tail.is_empty() {
        return;
    }
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.f");
    let keep = path.with_extension(format!("log.corrupt-{stamp}"));
    if let Err(e) = std::fs::write(&keep, tail) {
        tracing::error!(path = %keep.display(), error = %e, "could not keep the cut bytes");
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

impl EventStore for EmbeddedStore {
    fn load(&self, office: &str, day: NaiveDate) -> Result<Vec<Event>, StoreError> {
        let (log, events) = self.open_log(office, day)?;
        self.logs.lock().insert((office.to_owned(), day), log);
        Ok(events)
    }

    fn append(
        &self,
        office: &str,
        day: NaiveDate,
        expected_version: u64,
        events: &[Event],
    ) -> Result<u64, StoreError> {
        let version = self.write(office, day, expected_version, events)?;
        self.sync(office, day)?;
        Ok(version)
    }

    fn append_buffered(
        &self,
        office: &str,
        day: NaiveDate,
        expected_version: u64,
        events: &[Event],
    ) -> Result<u64, StoreError> {
        self.write(office, day, expected_version, events)
    }

    fn sync(&self, office: &str, day: NaiveDate) -> Result<(), StoreError> {
        let key = (office.to_owned(), day);
        let (file, len, version) = {
            let logs = self.logs.lock();
            let Some(log) = logs.get(&key) else {
                return Ok(());
            };
            if log.durable_len == log.len {
                return Ok(());
            }
            (log.file.clone(), log.len, log.version)
        };
        // Without the lock: the writer goes on writing the next batch meanwhile; this
        // fdatasync covers at least everything written before it started.
        file.sync_data()?;
        let mut logs = self.logs.lock();
        if let Some(log) = logs.get_mut(&key) {
            if Arc::ptr_eq(&log.file, &file) && len > log.durable_len && len <= log.len {
                log.durable_len = len;
                log.durable_version = version;
            }
        }
        Ok(())
    }

    fn discard_unsynced(&self, office: &str, day: NaiveDate) -> Result<(), StoreError> {
        let mut logs = self.logs.lock();
        let key = (office.to_owned(), day);
        if let Some(log) = logs.get_mut(&key) {
            tracing::warn!(
                office,
                %day,
                kept = log.durable_version,
                dropped = log.version - log.durable_version,
                "discarding events that were written but not confirmed durable"
            );
            let result = log
                .file
                .set_len(log.durable_len)
                .and_then(|()| log.file.sync_all());
            log.len = log.durable_len;
            log.version = log.durable_version;
            if let Err(e) = result {
                logs.remove(&key);
                return Err(e.into());
            }
        }
        Ok(())
    }

    fn read(&self, office: &str, day: NaiveDate) -> Result<Vec<Event>, StoreError> {
        // A log the writer holds open: only its durable part (what was confirmed).
        let durable = self
            .logs
            .lock()
            .get(&(office.to_owned(), day))
            .map(|log| log.durable_version);
        let path = self.path(office, day);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        // A torn or half-written tail is left out, not cut: cutting is the writer's job.
        let mut events = record::decode(&bytes)
            .map_err(|e| StoreError::Unavailable(format!("{}: {e}", path.display())))?
            .events;
        if let Some(durable) = durable {
            events.truncate(durable as usize);
        }
        Ok(events)
    }

    fn days(&self, office: &str) -> Result<Vec<NaiveDate>, StoreError> {
        let dir = self.root.join(office);
        let mut days = Vec::new();
        let entries = match std::fs::read_dir(&dir) {
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

    fn check(&self) -> Result<(), StoreError> {
        let probe = self.root.join(".ready");
        std::fs::write(&probe, b"ok")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn event(i: u32) -> Event {
        Event::TicketCancelled {
            seq: i,
            at: "2026-11-23T14:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn appends_survive_reopening_and_conflicts_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        {
            let store = EmbeddedStore::open(dir.path()).unwrap();
            assert!(store.load("central", day).unwrap().is_empty());
            assert_eq!(
                store
                    .append("central", day, 0, &[event(0), event(1)])
                    .unwrap(),
                2
            );
            assert!(matches!(
                store.append("central", day, 1, &[event(2)]),
                Err(StoreError::Conflict {
                    expected: 1,
                    actual: 2
                })
            ));
            assert!(EmbeddedStore::open(dir.path()).is_err(), "folder is locked");
        }
        let store = EmbeddedStore::open(dir.path()).unwrap();
        assert_eq!(
            store.load("central", day).unwrap(),
            vec![event(0), event(1)]
        );
        assert_eq!(store.days("central").unwrap(), vec![day]);
    }

    #[test]
    fn a_torn_tail_is_cut_and_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        {
            let store = EmbeddedStore::open(dir.path()).unwrap();
            store.load("central", day).unwrap();
            store
                .append("central", day, 0, &[event(0), event(1)])
                .unwrap();
        }
        let path = dir.path().join("central/2026-11-23.log");
        let good = std::fs::metadata(&path).unwrap().len();
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&[40, 0, 0, 0, 1, 2, 3, 4, b'{', b'"']).unwrap();
        drop(f);
        let store = EmbeddedStore::open(dir.path()).unwrap();
        let events = store.load("central", day).unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), good);
        assert_eq!(store.append("central", day, 2, &[event(2)]).unwrap(), 3);
        let kept = std::fs::read_dir(dir.path().join("central"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("corrupt")
            })
            .count();
        assert_eq!(kept, 1);
    }

    #[test]
    fn unsynced_appends_can_be_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let store = EmbeddedStore::open(dir.path()).unwrap();
        store.load("central", day).unwrap();
        assert_eq!(
            store
                .append_buffered("central", day, 0, &[event(0)])
                .unwrap(),
            1
        );
        store.sync("central", day).unwrap();
        assert_eq!(
            store
                .append_buffered("central", day, 1, &[event(1), event(2)])
                .unwrap(),
            3
        );
        store.discard_unsynced("central", day).unwrap();
        assert_eq!(store.append("central", day, 1, &[event(3)]).unwrap(), 2);
        drop(store);
        let store = EmbeddedStore::open(dir.path()).unwrap();
        assert_eq!(
            store.load("central", day).unwrap(),
            vec![event(0), event(3)]
        );
    }
}
