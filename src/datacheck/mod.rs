//! Checking the embedded store from the command line.
//!
//! - `turnero check-data DIR [--repair]` ([`check_data`]): reads every log of the data
//!   folder (`DIR/OFFICE/YYYY-MM-DD.log`), reports in Spanish what is damaged and what
//!   would be kept, and changes nothing unless asked to repair. A repair holds the folder
//!   lock (no server may run on it), keeps each damaged log whole beside it
//!   (`*.log.before-repair-<time>`), and rewrites it with every record that checks out,
//!   byte for byte, followed by a `LogDamaged` record so numbering stays above whatever
//!   the removed bytes held.
//! - `turnero check-config FILE --data DIR` ([`orphans::config_warnings`]): what today's
//!   logs hold that a new configuration would orphan (turns of removed services, removed
//!   counters), read without the lock, so it works beside a running server.
//!
//! Records of events this version does not know are never damage: they are reported and
//! always kept.

pub mod orphans;
pub mod repair;
pub mod report;
pub mod scan;

use crate::store::embedded::{days_in, log_path};
use crate::store::EmbeddedStore;
use chrono::{DateTime, Utc};
use std::io::Write;
use std::path::{Path, PathBuf};

pub use scan::FileCheck;

/// How the data folder stood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every log checks out (unknown events are not damage).
    Intact,
    /// Something is damaged (also when it was just repaired, so scripts notice).
    Damaged,
}

impl Outcome {
    /// The process exit code: 0 intact, 1 damaged.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Intact => 0,
            Outcome::Damaged => 1,
        }
    }
}

/// Why the data folder could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum DataCheckError {
    /// The folder does not exist.
    #[error("la carpeta de datos {0} no existe")]
    MissingFolder(PathBuf),
    /// The path is not a folder.
    #[error("{0} no es una carpeta de datos")]
    NotAFolder(PathBuf),
    /// Repairing needs the folder lock, and another process (a server) holds it.
    #[error("no se puede reparar {dir}: otro proceso de Turnero usa la carpeta{holder}. No se ha cambiado nada: detenga el servidor y vuelva a ejecutar turnero check-data --repair")]
    Locked {
        /// The data folder.
        dir: PathBuf,
        /// Who holds it, as the folder's `LOCK` note says (` (pid 123)`), or empty.
        holder: String,
    },
    /// The folder lock could not be taken for another reason.
    #[error("no se puede reparar {dir}: {reason}. No se ha cambiado nada")]
    LockFailed {
        /// The data folder.
        dir: PathBuf,
        /// What taking the lock said.
        reason: String,
    },
    /// The folder's listing could not be read.
    #[error("no se pudo leer la carpeta {path}: {source}")]
    List {
        /// The folder.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The report could not be written out.
    #[error("no se pudo escribir el informe: {0}")]
    Output(#[from] std::io::Error),
}

impl DataCheckError {
    /// The process exit code: 2 when the check could not be run as asked (no folder, the
    /// folder is in use), 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            DataCheckError::MissingFolder(_)
            | DataCheckError::NotAFolder(_)
            | DataCheckError::Locked { .. }
            | DataCheckError::LockFailed { .. } => 2,
            DataCheckError::List { .. } | DataCheckError::Output(_) => 1,
        }
    }
}

/// One day's log in the data folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFile {
    /// The office's slug (its folder's name).
    pub office: String,
    /// The file.
    pub path: PathBuf,
}

/// Every day's log under a data folder, by office then day. Hidden folders and files that
/// are not day logs (copies kept aside, temporary files) are passed over.
pub fn logs_in(dir: &Path) -> Result<Vec<LogFile>, DataCheckError> {
    let list_error = |path: &Path, source| DataCheckError::List {
        path: path.to_path_buf(),
        source,
    };
    let mut offices = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| list_error(dir, e))? {
        let entry = entry.map_err(|e| list_error(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir && !name.starts_with('.') {
            offices.push(name);
        }
    }
    offices.sort();
    let mut logs = Vec::new();
    for office in offices {
        let folder = dir.join(&office);
        let days = days_in(&folder).map_err(|e| list_error(&folder, std::io::Error::other(e)))?;
        logs.extend(days.into_iter().map(|day| LogFile {
            path: log_path(dir, &office, day),
            office: office.clone(),
        }));
    }
    Ok(logs)
}

/// Takes the data folder's lock as the server does (`EmbeddedStore::open`), saying clearly
/// when a server holds it.
fn lock(dir: &Path) -> Result<EmbeddedStore, DataCheckError> {
    let busy = std::fs::File::open(dir)
        .map(|f| matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock)))
        .unwrap_or(false);
    if busy {
        // The holder leaves a note with its pid for people (the lock is on the folder).
        let holder = std::fs::read_to_string(dir.join("LOCK"))
            .ok()
            .and_then(|note| note.lines().next().map(str::to_owned))
            .filter(|line| line.starts_with("pid "))
            .map_or_else(String::new, |pid| format!(" ({pid})"));
        return Err(DataCheckError::Locked {
            dir: dir.to_path_buf(),
            holder,
        });
    }
    EmbeddedStore::open(dir).map_err(|e| DataCheckError::LockFailed {
        dir: dir.to_path_buf(),
        reason: e.to_string(),
    })
}

/// `turnero check-data DIR [--repair]`: checks every log under `dir` and writes a line
/// per file and a summary to `out`. Without `repair` nothing is written to the folder.
/// With it, the folder lock is taken first and each damaged log is rewritten.
pub fn check_data(
    dir: &Path,
    repair: bool,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<Outcome, DataCheckError> {
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(DataCheckError::MissingFolder(dir.to_path_buf()))
        }
        Err(e) => {
            return Err(DataCheckError::List {
                path: dir.to_path_buf(),
                source: e,
            })
        }
        Ok(m) if !m.is_dir() => return Err(DataCheckError::NotAFolder(dir.to_path_buf())),
        Ok(_) => {}
    }
    // Held until every repair is done: no server can open the folder meanwhile.
    let _lock = if repair { Some(lock(dir)?) } else { None };
    let mut tally = report::Tally::default();
    for log in logs_in(dir)? {
        let bytes = match std::fs::read(&log.path) {
            Ok(bytes) => bytes,
            Err(e) => {
                writeln!(out, "{}", report::unreadable(&log.path, &e))?;
                tally.unreadable += 1;
                continue;
            }
        };
        let check = FileCheck::of(&bytes);
        writeln!(out, "{}", report::file_line(&log.path, &check, repair))?;
        for note in report::notes(&check) {
            writeln!(out, "  - {note}")?;
        }
        tally.add(&check);
        if repair && !check.intact() && !check.needs_repair() {
            writeln!(out, "  {}", report::not_repaired(&check))?;
        }
        if repair && check.needs_repair() {
            match repair::repair_file(&log.path, &bytes, &check, now) {
                Ok(done) => {
                    writeln!(out, "  {}", report::repaired(&done))?;
                    tally.repaired += 1;
                }
                Err(e) => {
                    writeln!(out, "  no se reparó: {e}")?;
                }
            }
        }
    }
    for line in report::summary(dir, &tally, repair) {
        writeln!(out, "{line}")?;
    }
    Ok(if tally.all_intact() {
        Outcome::Intact
    } else {
        Outcome::Damaged
    })
}

#[cfg(test)]
mod tests;
