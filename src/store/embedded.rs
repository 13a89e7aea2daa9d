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

struct OpenLog {
    file: File,
    version: u64,
    len: u64,
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
        Ok((OpenLog { file, version, len }, decoded.events))
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
        let written = log.file.write_all(&buf).and_then(|()| log.file.sync_data());
        if let Err(e) = written {
            // Leave no partial record behind: the next append starts on a clean end.
            let _ = log.file.set_len(log.len);
            logs.remove(&key);
            return Err(e.into());
        }
        log.len += buf.len() as u64;
        log.version += events.len() as u64;
        Ok(log.version)
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
}
