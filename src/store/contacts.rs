//! Where citizens' contacts wait for their turn's messages: a phone number or a browser
//! subscription per turn, and which messages were claimed for sending. Personal data, so
//! it is kept apart from the event log (which is permanent) and only until the turn ends:
//! rows are removed as turns end and a day's contacts go with the day.
//!
//! Embedded: `DATA/OFFICE/contacts.json` (mode 0600), rewritten whole by temp file,
//! fsync and rename at every change. Redis (`store/redis/contacts.rs`): a hash per office
//! and day with a two-day expiry, and one `SET NX` key per claimed message, so that of
//! several processes exactly one sends it.

use super::StoreError;
use chrono::NaiveDate;
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The contacts of every office's current day, shared by the processes of a store.
pub trait ContactStore: Send + Sync + 'static {
    /// Keeps (or replaces) the contact of turn `seq` of an office's `day`: an opaque JSON
    /// row the notifier writes and reads.
    fn put(&self, office: &str, day: NaiveDate, seq: u32, row: &str) -> Result<(), StoreError>;
    /// Every contact row of an office's day.
    fn rows(&self, office: &str, day: NaiveDate) -> Result<Vec<(u32, String)>, StoreError>;
    /// Forgets these turns' contacts (their turns ended, or the citizen asked), and the
    /// claims of their messages (keys `SEQ:…`).
    fn remove(&self, office: &str, day: NaiveDate, seqs: &[u32]) -> Result<(), StoreError>;
    /// Forgets every contact of an office's days before `day` (they closed).
    fn drop_before(&self, office: &str, day: NaiveDate) -> Result<(), StoreError>;
    /// Claims messages for sending (`keys` name a turn and a message); returns, per key,
    /// whether this call won it. A key is won once, by one caller of one process.
    fn claim(&self, office: &str, day: NaiveDate, keys: &[String])
        -> Result<Vec<bool>, StoreError>;
}

/// One office's file.
#[derive(Serialize, Deserialize, Default)]
struct OfficeFile {
    day: Option<NaiveDate>,
    contacts: BTreeMap<u32, String>,
    claimed: BTreeSet<String>,
}

/// The embedded store's contacts: one file per office beside its logs.
pub struct FileContacts {
    root: PathBuf,
    offices: Mutex<HashMap<String, OfficeFile>>,
}

impl FileContacts {
    /// Contacts under the data folder `root` (files are read as offices are first used).
    pub fn new(root: &Path) -> FileContacts {
        FileContacts {
            root: root.to_path_buf(),
            offices: Mutex::new(HashMap::new()),
        }
    }

    fn path(&self, office: &str) -> PathBuf {
        self.root.join(office).join("contacts.json")
    }

    /// Runs `f` on an office's file as it stands (read from disk the first time), and
    /// writes it back if `f` says it changed.
    fn with<R>(
        &self,
        office: &str,
        f: impl FnOnce(&mut OfficeFile) -> (R, bool),
    ) -> Result<R, StoreError> {
        let mut offices = self.offices.lock();
        if !offices.contains_key(office) {
            let loaded = match std::fs::read(self.path(office)) {
                Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                    StoreError::Unavailable(format!("{}: {e}", self.path(office).display()))
                })?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => OfficeFile::default(),
                Err(e) => return Err(e.into()),
            };
            offices.insert(office.to_owned(), loaded);
        }
        let file = offices.get_mut(office).expect("just inserted");
        let (answer, changed) = f(file);
        if changed {
            self.write(office, file)?;
        }
        Ok(answer)
    }

    fn write(&self, office: &str, file: &OfficeFile) -> Result<(), StoreError> {
        let path = self.path(office);
        if file.contacts.is_empty() && file.claimed.is_empty() {
            // Nothing personal left: no file at all.
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
                _ => sync_dir(path.parent()),
            };
        }
        let dir = path.parent().expect("an office folder");
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join("contacts.json.tmp");
        let bytes = serde_json::to_vec(file).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        {
            use std::io::Write;
            let mut f = options.open(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &path)?;
        sync_dir(Some(dir))
    }
}

/// Makes a rename or removal in `dir` durable.
fn sync_dir(dir: Option<&Path>) -> Result<(), StoreError> {
    if let Some(dir) = dir {
        if let Ok(d) = std::fs::File::open(dir) {
            d.sync_all()?;
        }
    }
    Ok(())
}

/// Moves a file to `day`, dropping what an earlier day left.
fn at_day(file: &mut OfficeFile, day: NaiveDate) -> bool {
    if file.day == Some(day) {
        return false;
    }
    let had = !file.contacts.is_empty() || !file.claimed.is_empty();
    *file = OfficeFile {
        day: Some(day),
        ..OfficeFile::default()
    };
    had
}

impl ContactStore for FileContacts {
    fn put(&self, office: &str, day: NaiveDate, seq: u32, row: &str) -> Result<(), StoreError> {
        self.with(office, |file| {
            if file.day.is_some_and(|d| d > day) {
                return ((), false);
            }
            at_day(file, day);
            let changed = file.contacts.get(&seq).map(String::as_str) != Some(row);
            file.contacts.insert(seq, row.to_owned());
            ((), changed)
        })
    }

    fn rows(&self, office: &str, day: NaiveDate) -> Result<Vec<(u32, String)>, StoreError> {
        self.with(office, |file| {
            let rows = if file.day == Some(day) {
                file.contacts.iter().map(|(s, r)| (*s, r.clone())).collect()
            } else {
                Vec::new()
            };
            (rows, false)
        })
    }

    fn remove(&self, office: &str, day: NaiveDate, seqs: &[u32]) -> Result<(), StoreError> {
        self.with(office, |file| {
            if file.day != Some(day) {
                return ((), false);
            }
            let before = (file.contacts.len(), file.claimed.len());
            for seq in seqs {
                file.contacts.remove(seq);
                // Its claims go too: with no contact nothing can be sent for it again,
                // and the file leaves with the last contact.
                let prefix = format!("{seq}:");
                file.claimed.retain(|k| !k.starts_with(&prefix));
            }
            ((), (file.contacts.len(), file.claimed.len()) != before)
        })
    }

    fn drop_before(&self, office: &str, day: NaiveDate) -> Result<(), StoreError> {
        self.with(office, |file| match file.day {
            Some(d) if d < day => {
                *file = OfficeFile::default();
                ((), true)
            }
            _ => ((), false),
        })
    }

    fn claim(
        &self,
        office: &str,
        day: NaiveDate,
        keys: &[String],
    ) -> Result<Vec<bool>, StoreError> {
        self.with(office, |file| {
            if file.day.is_some_and(|d| d > day) {
                return (vec![false; keys.len()], false);
            }
            let moved = at_day(file, day);
            let won: Vec<bool> = keys
                .iter()
                .map(|k| file.claimed.insert(k.clone()))
                .collect();
            let changed = moved || won.iter().any(|w| *w);
            (won, changed)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    #[test]
    fn contacts_survive_a_restart_and_leave_with_their_day() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileContacts::new(dir.path());
        store
            .put("central", day(2), 4, r#"{"phone":"+573001234567"}"#)
            .unwrap();
        assert_eq!(
            store
                .claim("central", day(2), &["4:near-0".into()])
                .unwrap(),
            [true]
        );
        let again = FileContacts::new(dir.path());
        assert_eq!(again.rows("central", day(2)).unwrap().len(), 1);
        assert_eq!(
            again
                .claim("central", day(2), &["4:near-0".into(), "4:called-0".into()])
                .unwrap(),
            [false, true],
            "a claim is won once, across a restart"
        );
        again
            .put("central", day(2), 5, r#"{"phone":"+34600111222"}"#)
            .unwrap();
        again.remove("central", day(2), &[4]).unwrap();
        assert_eq!(again.rows("central", day(2)).unwrap().len(), 1);
        let text = std::fs::read_to_string(dir.path().join("central/contacts.json")).unwrap();
        assert!(
            !text.contains("+573001234567") && !text.contains("4:near"),
            "{text}"
        );
        again.drop_before("central", day(3)).unwrap();
        assert!(
            !dir.path().join("central/contacts.json").exists(),
            "gone at day close"
        );
        let last = FileContacts::new(dir.path());
        last.put("central", day(3), 1, "{}").unwrap();
        last.remove("central", day(3), &[1]).unwrap();
        assert!(
            !dir.path().join("central/contacts.json").exists(),
            "gone with the last contact"
        );
    }

    #[test]
    fn a_new_day_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileContacts::new(dir.path());
        store.put("central", day(2), 1, "{}").unwrap();
        store.put("central", day(3), 2, "{}").unwrap();
        assert!(store.rows("central", day(2)).unwrap().is_empty());
        assert_eq!(store.rows("central", day(3)).unwrap().len(), 1);
    }
}
