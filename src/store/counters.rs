//! Counters over a time window, shared by every process that shares the store: how many
//! failed sign-ins a username had lately, so that a throttle holds across processes.

use super::StoreError;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Counts events per key within a window that starts with the key's first event.
pub trait WindowCounters: Send + Sync + 'static {
    /// Adds one to `key`'s count (starting a new window of `window` if none runs) and
    /// returns the count.
    fn hit(&self, key: &str, window: Duration) -> Result<u32, StoreError>;
    /// The count of `key` in its running window (0 if none runs).
    fn count(&self, key: &str) -> Result<u32, StoreError>;
    /// Forgets `key`.
    fn clear(&self, key: &str) -> Result<(), StoreError>;
    /// How long `key`'s running window has left (zero if none runs): what a
    /// `Retry-After` should say.
    fn left(&self, key: &str) -> Result<Duration, StoreError>;
}

/// Counters in this process's memory, for one process (the embedded store).
#[derive(Default)]
pub struct LocalCounters {
    counts: Mutex<HashMap<String, (u32, Instant, Duration)>>,
}

impl WindowCounters for LocalCounters {
    fn hit(&self, key: &str, window: Duration) -> Result<u32, StoreError> {
        let mut counts = self.counts.lock();
        if counts.len() > 10_000 {
            counts.retain(|_, (_, since, w)| since.elapsed() < *w);
        }
        let entry = counts
            .entry(key.to_owned())
            .or_insert((0, Instant::now(), window));
        if entry.1.elapsed() >= entry.2 {
            *entry = (0, Instant::now(), window);
        }
        entry.0 += 1;
        Ok(entry.0)
    }

    fn count(&self, key: &str) -> Result<u32, StoreError> {
        Ok(self
            .counts
            .lock()
            .get(key)
            .filter(|(_, since, window)| since.elapsed() < *window)
            .map_or(0, |(n, _, _)| *n))
    }

    fn clear(&self, key: &str) -> Result<(), StoreError> {
        self.counts.lock().remove(key);
        Ok(())
    }

    fn left(&self, key: &str) -> Result<Duration, StoreError> {
        Ok(self
            .counts
            .lock()
            .get(key)
            .map_or(Duration::ZERO, |(_, since, window)| {
                window.saturating_sub(since.elapsed())
            }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_counts_and_ends() {
        let c = LocalCounters::default();
        let w = Duration::from_millis(80);
        assert_eq!(c.hit("ana", w).unwrap(), 1);
        assert_eq!(c.hit("ana", w).unwrap(), 2);
        assert_eq!(c.count("ana").unwrap(), 2);
        assert_eq!(c.count("luis").unwrap(), 0);
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(c.count("ana").unwrap(), 0);
        assert_eq!(c.hit("ana", w).unwrap(), 1);
        c.clear("ana").unwrap();
        assert_eq!(c.count("ana").unwrap(), 0);
    }
}
