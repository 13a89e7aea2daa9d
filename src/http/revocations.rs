//! Sessions ended before their time (`POST /auth/logout`): a token's fingerprint is kept
//! until the token would have expired anyway, in the store's shared counters (so a
//! session ended on one process is ended on all) and, for a single process, in a file
//! of the data folder, so that a restart does not bring it back.

use crate::store::{StoreError, WindowCounters};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The counter key of a token: its SHA-256, never the token itself.
fn key(token: &str) -> String {
    format!(
        "revoked:{}",
        URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
    )
}

/// The ended sessions.
pub struct Revocations {
    counters: Arc<dyn WindowCounters>,
    /// `DATA/sessions.revoked` for the embedded store (a line per ended session:
    /// `fingerprint expiry`), `None` when the counters are shared and durable (Redis).
    file: Option<PathBuf>,
    lock: parking_lot::Mutex<()>,
}

impl Revocations {
    /// Ended sessions kept in `counters` and, if given, in `file` (read back now, expired
    /// lines left out and the file rewritten without them).
    pub fn open(counters: Arc<dyn WindowCounters>, file: Option<PathBuf>) -> anyhow::Result<Self> {
        if let Some(path) = &file {
            let now = Utc::now().timestamp();
            let text = match std::fs::read_to_string(path) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
                Err(e) => anyhow::bail!("no se pudo leer {}: {e}", path.display()),
            };
            let mut kept = String::new();
            for line in text.lines() {
                let Some((key, expiry)) = line.split_once(' ') else {
                    continue;
                };
                let Ok(expiry) = expiry.parse::<i64>() else {
                    continue;
                };
                if expiry > now {
                    counters.hit(key, Duration::from_secs((expiry - now) as u64))?;
                    kept.push_str(line);
                    kept.push('\n');
                }
            }
            if kept != text {
                std::fs::write(path, kept)?;
            }
        }
        Ok(Revocations {
            counters,
            file,
            lock: parking_lot::Mutex::new(()),
        })
    }

    /// Ends the session of `token`, which expires at `expires`.
    pub fn revoke(&self, token: &str, expires: DateTime<Utc>) -> Result<(), StoreError> {
        let left = (expires - Utc::now()).num_seconds().max(1) as u64;
        let key = key(token);
        if let Some(path) = &self.file {
            let _one = self.lock.lock();
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)?;
            writeln!(file, "{key} {}", expires.timestamp())?;
            file.sync_all()?;
        }
        self.counters
            .hit(&key, Duration::from_secs(left))
            .map(|_| ())
    }

    /// Whether the session of `token` was ended.
    pub fn is_revoked(&self, token: &str) -> Result<bool, StoreError> {
        self.counters.count(&key(token)).map(|n| n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::LocalCounters;

    #[test]
    fn an_ended_session_stays_ended_after_a_restart_until_it_would_have_expired() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sessions.revoked");
        let open =
            || Revocations::open(Arc::new(LocalCounters::default()), Some(file.clone())).unwrap();
        let r = open();
        assert!(!r.is_revoked("a").unwrap());
        r.revoke("a", Utc::now() + chrono::Duration::hours(1))
            .unwrap();
        r.revoke("old", Utc::now() - chrono::Duration::hours(1))
            .unwrap();
        assert!(r.is_revoked("a").unwrap());
        assert!(!r.is_revoked("b").unwrap());
        let again = open();
        assert!(again.is_revoked("a").unwrap());
        assert!(!again.is_revoked("old").unwrap());
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(text.lines().count(), 1, "expired lines are dropped: {text}");
        assert!(
            !text.contains(" a") && !text.starts_with("a "),
            "no token in the file"
        );
    }
}
