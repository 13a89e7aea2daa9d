//! Password checks on a bounded pool: argon2 takes ~19 MiB and tens of milliseconds per
//! check by design, so a flood of sign-ins must not run them all at once. At most one
//! check per core runs; a few more may wait; beyond that a sign-in is answered 503 with
//! `Retry-After` at once, and memory stays flat while turns keep flowing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Sign-ins that may wait for a check, per core.
const WAITING_PER_CORE: usize = 4;

/// The pool is full: try again shortly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// Runs password checks, a bounded number at a time.
pub struct HashPool {
    running: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

impl HashPool {
    /// A pool of `parallel` checks at a time (at least one).
    pub fn new(parallel: usize) -> Self {
        let parallel = parallel.max(1);
        HashPool {
            running: Arc::new(Semaphore::new(parallel)),
            waiting: AtomicUsize::new(0),
            max_waiting: parallel * WAITING_PER_CORE,
        }
    }

    /// One check per core of this machine.
    pub fn per_core() -> Self {
        Self::new(std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    /// Runs `check` on a blocking thread when the pool has room; `Busy` at once when too
    /// many wait already.
    pub async fn run<F>(&self, check: F) -> Result<bool, Busy>
    where
        F: FnOnce() -> bool + Send + 'static,
    {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(Busy);
        }
        let permit = self.running.clone().acquire_owned().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let Ok(permit) = permit else { return Err(Busy) };
        let result = tokio::task::spawn_blocking(move || {
            let ok = check();
            drop(permit);
            ok
        })
        .await;
        result.map_err(|_| Busy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn at_most_n_run_a_few_wait_and_the_rest_are_turned_away() {
        let pool = Arc::new(HashPool::new(1));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (pool, running, most) = (pool.clone(), running.clone(), most.clone());
            tasks.push(tokio::spawn(async move {
                pool.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                    true
                })
                .await
            }));
        }
        let mut done = 0;
        let mut busy = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(true) => done += 1,
                Ok(false) => unreachable!(),
                Err(Busy) => busy += 1,
            }
        }
        assert_eq!(most.load(Ordering::SeqCst), 1, "one at a time");
        assert!(busy > 0, "the flood is turned away");
        assert!((1..=1 + WAITING_PER_CORE).contains(&done), "{done} ran");
    }
}
