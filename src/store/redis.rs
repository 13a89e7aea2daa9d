//! The Redis store: the same contract as the embedded store, shared by every process of
//! an organisation.
//!
//! Keys carry the office as a hash tag, so that every key of an office lands on one
//! Redis Cluster slot and one script can touch them all:
//! - `turnero:{OFFICE}:YYYY-MM-DD:log` — a stream, one entry per record. Entry `k-1` is
//!   record number `k` (the version after it), so Redis itself refuses an entry behind the
//!   top. Fields: `e` the event as JSON, `s` its schema, `f` its flags, `b` its batch.
//! - `turnero:{OFFICE}:YYYY-MM-DD:batches` — a hash: batch id → `start:end` versions, so a
//!   batch retried after a lost reply is answered with the version it reached.
//! - `turnero:{OFFICE}:days` — a sorted set of the days that have a log.
//!
//! An append is one Lua script: every check (retry, version) before the first write, then
//! the batch's entries, so a batch is all or nothing and racing writers get one winner.
//! Appends are durable when Redis answers (as durable as its persistence settings make
//! them: see `durability`). Commands share one multiplexed connection that reconnects by
//! itself; blocking reads (followers) take dedicated connections. Every call gives up
//! after [`OP_TIMEOUT`], so a Redis that went away is a quick 503, never a hang.

use super::{Ahead, BatchId, EventStore, Loaded, Probe, StoreError, TURN_LEASE};
use crate::domain::log::{version_of, LogEntry, EVENT_SCHEMA};
use crate::domain::Event;
use chrono::NaiveDate;
use connection::{Connection, Target};
use entries::{ahead_of, entry_of};
use parking_lot::Mutex;
use redis::Value;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OnceCell;

mod connection;
mod contacts;
mod counters;
mod durability;
mod entries;
mod print_jobs;
mod retention;
mod scripts;
mod summaries;

pub use durability::{Durability, WaitAof};

/// The longest any one call to Redis may take before the store reports it unavailable.
pub const OP_TIMEOUT: Duration = Duration::from_millis(1500);
/// Records read per round trip when loading a log.
const PAGE: usize = 5000;

struct Inner {
    target: Target,
    /// Days of logs kept: older days are deleted when a new day's log begins.
    retention_days: u32,
    commands: OnceCell<Connection>,
    /// Dedicated connections for blocking reads, kept for reuse.
    blocking: Mutex<Vec<Connection>>,
    append: redis::Script,
    read_ahead: redis::Script,
    /// `WAITAOF` after each append, when the configuration asks for it.
    wait_aof: std::sync::OnceLock<WaitAof>,
    /// This process's name when it asks for an office's writing turn.
    writer: String,
}

/// Event logs in Redis, shared by every process that uses the same server.
pub struct RedisStore {
    inner: Arc<Inner>,
    runtime: tokio::runtime::Handle,
    /// Dropping it stops the store's own runtime thread.
    _stop: tokio::sync::oneshot::Sender<()>,
    /// How long a writing turn lasts ([`TURN_LEASE`]; longer in tests that step through
    /// it on a loaded machine).
    turn_lease: std::time::Duration,
}

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("redis: {e}"))
}

fn log_key(office: &str, day: NaiveDate) -> String {
    format!("turnero:{{{office}}}:{}:log", day.format("%Y-%m-%d"))
}

fn batches_key(office: &str, day: NaiveDate) -> String {
    format!("turnero:{{{office}}}:{}:batches", day.format("%Y-%m-%d"))
}

fn days_key(office: &str) -> String {
    format!("turnero:{{{office}}}:days")
}

/// The office's writing turn: who has it (a lease).
fn turn_key(office: &str) -> String {
    format!("turnero:{{{office}}}:turn")
}

/// The office's writing turn: who waits for it.
fn turn_waiter_key(office: &str) -> String {
    format!("turnero:{{{office}}}:turn-waiter")
}

impl RedisStore {
    /// The same store with writing turns of `lease` (a test steps through a turn, which
    /// the 10 ms of production would not leave it time to on a busy machine).
    #[cfg(test)]
    pub(crate) fn with_turn_lease(mut self, lease: std::time::Duration) -> Self {
        self.turn_lease = lease;
        self
    }

    /// Connects to the Redis at `url` (`redis://host:port/db`), checks that it answers,
    /// and reads its persistence settings (refusing one that may evict log keys).
    pub fn open(url: &str, retention_days: u32) -> anyhow::Result<(RedisStore, Durability)> {
        let target = Target::parse(url).map_err(|e| {
            anyhow::anyhow!("TURNERO_REDIS_URL no es una dirección de Redis válida: {e}")
        })?;
        let (handle_tx, handle_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("redis".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .thread_name("redis-io")
                    .enable_all()
                    .build();
                match runtime {
                    Ok(runtime) => {
                        let _ = handle_tx.send(Ok(runtime.handle().clone()));
                        runtime.block_on(async {
                            let _ = stopped.await;
                        });
                    }
                    Err(e) => {
                        let _ = handle_tx.send(Err(e));
                    }
                }
            })?;
        let runtime = handle_rx.recv()??;
        let store = RedisStore {
            inner: Arc::new(Inner {
                target,
                retention_days,
                commands: OnceCell::new(),
                blocking: Mutex::new(Vec::new()),
                append: redis::Script::new(scripts::APPEND),
                read_ahead: redis::Script::new(scripts::READ_AHEAD),
                wait_aof: std::sync::OnceLock::new(),
                writer: format!("{:016x}", rand::random::<u64>()),
            }),
            runtime,
            _stop: stop,
            turn_lease: TURN_LEASE,
        };
        let durability = store
            .run(|inner| async move {
                let mut con = inner.commands().await?;
                durability::read(&mut con).await
            })
            .map_err(|e| anyhow::anyhow!("no se pudo usar Redis en {url}: {e}"))?;
        durability.refuse_if_unsafe()?;
        Ok((store, durability))
    }

    /// Has every append wait until Redis has fsynced it (`WAITAOF`), for Redis run with
    /// `appendfsync everysec`. Refused, saying why, where Redis cannot do it.
    pub fn wait_aof(&self, wait: WaitAof, durability: &Durability) -> anyhow::Result<()> {
        durability.refuse_wait_aof(wait, matches!(self.inner.target, Target::Cluster(_)))?;
        let _ = self.inner.wait_aof.set(wait);
        Ok(())
    }

    /// Runs `work` on the store's runtime and waits for it, at most [`OP_TIMEOUT`]. Works
    /// from any thread, also one that is itself driving a runtime.
    fn run<T, F, Fut>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(Arc<Inner>) -> Fut,
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        self.run_for(OP_TIMEOUT, work)
    }

    fn run_for<T, F, Fut>(&self, limit: Duration, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(Arc<Inner>) -> Fut,
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let fut = work(self.inner.clone());
        self.runtime.spawn(async move {
            let result = match tokio::time::timeout(limit, fut).await {
                Ok(result) => result,
                Err(_) => Err(unavailable(format!(
                    "no answer within {} ms",
                    limit.as_millis()
                ))),
            };
            let _ = tx.send(result);
        });
        rx.recv_timeout(limit + Duration::from_millis(250))
            .unwrap_or_else(|_| Err(unavailable("no answer")))
    }
}

impl Inner {
    async fn commands(&self) -> Result<Connection, StoreError> {
        self.commands
            .get_or_try_init(|| self.target.commands())
            .await
            .cloned()
    }

    async fn blocking_connection(&self) -> Result<Connection, StoreError> {
        if let Some(con) = self.blocking.lock().pop() {
            return Ok(con);
        }
        self.target.blocking().await
    }

    /// Records after the first `version`, read page by page.
    async fn since(
        &self,
        office: &str,
        day: NaiveDate,
        version: u64,
    ) -> Result<Vec<LogEntry>, StoreError> {
        let mut con = self.commands().await?;
        let key = log_key(office, day);
        let mut entries = Vec::new();
        let mut next = version + 1;
        loop {
            let page: Value = redis::cmd("XRANGE")
                .arg(&key)
                .arg(format!("{next}-0"))
                .arg("+")
                .arg("COUNT")
                .arg(PAGE)
                .query_async(&mut con)
                .await
                .map_err(unavailable)?;
            let Value::Array(items) = page else {
                return Err(unavailable("XRANGE gave no list"));
            };
            let n = items.len();
            for item in items {
                entries.push(entry_of(item)?);
            }
            if n < PAGE {
                return Ok(entries);
            }
            next = version + 1 + version_of(&entries);
        }
    }

    async fn head(&self, office: &str, day: NaiveDate) -> Result<u64, StoreError> {
        let mut con = self.commands().await?;
        redis::cmd("XLEN")
            .arg(log_key(office, day))
            .query_async(&mut con)
            .await
            .map_err(unavailable)
    }
}

impl EventStore for RedisStore {
    fn load(&self, office: &str, day: NaiveDate) -> Result<Loaded, StoreError> {
        let entries = self.load_since(office, day, 0)?;
        Ok(Loaded {
            entries,
            ..Loaded::default()
        })
    }

    fn load_since(
        &self,
        office: &str,
        day: NaiveDate,
        version: u64,
    ) -> Result<Vec<LogEntry>, StoreError> {
        let office = office.to_owned();
        // A long log takes several pages: give it time in proportion, still bounded.
        self.run_for(OP_TIMEOUT * 8, move |inner| async move {
            inner.since(&office, day, version).await
        })
    }

    fn append(
        &self,
        office: &str,
        day: NaiveDate,
        expected_version: u64,
        batch: BatchId,
        events: &[Event],
    ) -> Result<u64, StoreError> {
        let office_key = office.to_owned();
        let office = office.to_owned();
        let mut args: Vec<String> = Vec::with_capacity(3 + events.len() * 3);
        args.push(expected_version.to_string());
        args.push(format!("{:016x}", batch.0));
        args.push(day.format("%Y-%m-%d").to_string());
        args.push(self.inner.writer.clone());
        for e in events {
            args.push(serde_json::to_string(e).map_err(unavailable)?);
            args.push(EVENT_SCHEMA.to_string());
            let flags = if e.skippable() {
                super::record::FLAG_SKIPPABLE
            } else {
                0
            };
            args.push(flags.to_string());
        }
        let (ok, version): (i64, u64) = self.run(move |inner| async move {
            let mut con = inner.commands().await?;
            let mut call = inner.append.prepare_invoke();
            call.key(log_key(&office, day))
                .key(batches_key(&office, day))
                .key(days_key(&office))
                .key(turn_key(&office));
            for a in &args {
                call.arg(a);
            }
            let (ok, version): (i64, u64) =
                call.invoke_async(&mut con).await.map_err(unavailable)?;
            if let (1, Some(wait)) = (ok, inner.wait_aof.get()) {
                // Not acknowledged until fsynced; a retry with the same batch id is
                // recognised as written and waits again.
                let (local, replicas): (u32, u32) = redis::cmd("WAITAOF")
                    .arg(1)
                    .arg(wait.replicas)
                    .arg(OP_TIMEOUT.as_millis() as u64 / 2)
                    .query_async(&mut con)
                    .await
                    .map_err(unavailable)?;
                if local < 1 || replicas < wait.replicas {
                    return Err(unavailable(format!(
                        "WAITAOF: fsynced on {local} primary and {replicas} replica(s) in time"
                    )));
                }
            }
            Ok((ok, version))
        })?;
        if ok == 1 {
            if expected_version == 0 {
                self.forget_days_before_retention(&office_key, day);
            }
            Ok(version)
        } else {
            Err(StoreError::Conflict {
                expected: expected_version,
                actual: version,
            })
        }
    }

    fn discard_unsynced(&self, office: &str, day: NaiveDate) -> Result<u64, StoreError> {
        // Nothing is buffered: what Redis holds is what was confirmed.
        let office = office.to_owned();
        self.run(move |inner| async move { inner.head(&office, day).await })
    }

    fn wait_for_change(
        &self,
        office: &str,
        day: NaiveDate,
        version: u64,
        timeout: Duration,
    ) -> Result<u64, StoreError> {
        let office = office.to_owned();
        if timeout.is_zero() {
            return self.run(move |inner| async move { inner.head(&office, day).await });
        }
        let block_ms = timeout.as_millis().max(1) as u64;
        self.run_for(timeout + OP_TIMEOUT, move |inner| async move {
            let mut con = inner.blocking_connection().await?;
            let answer: Result<Value, _> = redis::cmd("XREAD")
                .arg("BLOCK")
                .arg(block_ms)
                .arg("COUNT")
                .arg(1)
                .arg("STREAMS")
                .arg(log_key(&office, day))
                .arg(format!("{version}-1"))
                .query_async(&mut con)
                .await;
            match answer {
                Ok(_) => {
                    inner.blocking.lock().push(con);
                    inner.head(&office, day).await
                }
                // A broken connection is not put back.
                Err(e) => Err(unavailable(e)),
            }
        })
    }

    fn probe(&self, office: &str, day: NaiveDate, version: u64) -> Result<Probe, StoreError> {
        // The read-ahead script finds the batch too; the records it also gives are few
        // where a probe is asked (at or near the head).
        self.read_ahead(office, day, version, false)
            .map(|a| a.probe)
    }

    fn read_ahead(
        &self,
        office: &str,
        day: NaiveDate,
        version: u64,
        claim: bool,
    ) -> Result<Ahead, StoreError> {
        let office = office.to_owned();
        let lease = self.turn_lease.as_millis() as u64;
        let writer = if claim {
            self.inner.writer.clone()
        } else {
            String::new()
        };
        self.run_for(OP_TIMEOUT * 8, move |inner| async move {
            let mut con = inner.commands().await?;
            let answer: Value = inner
                .read_ahead
                .key(log_key(&office, day))
                .key(turn_key(&office))
                .key(turn_waiter_key(&office))
                .arg(version)
                .arg(PAGE)
                .arg(&writer)
                .arg(lease)
                .invoke_async(&mut con)
                .await
                .map_err(unavailable)?;
            let (probe, mut entries, full, turn) = ahead_of(answer)?;
            if full {
                // A long way behind: the rest page by page.
                let read = version + version_of(&entries);
                entries.extend(inner.since(&office, day, read).await?);
            }
            Ok(Ahead {
                probe,
                entries,
                turn,
            })
        })
    }

    fn days(&self, office: &str) -> Result<Vec<NaiveDate>, StoreError> {
        let office = office.to_owned();
        let days: Vec<String> = self.run(move |inner| async move {
            let mut con = inner.commands().await?;
            redis::cmd("ZRANGE")
                .arg(days_key(&office))
                .arg(0)
                .arg(-1)
                .query_async(&mut con)
                .await
                .map_err(unavailable)
        })?;
        let mut days: Vec<NaiveDate> = days
            .iter()
            .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .collect();
        days.sort_unstable();
        Ok(days)
    }

    fn log_size(&self, office: &str, day: NaiveDate) -> Result<u64, StoreError> {
        self.log_entries(office, day)
    }

    fn read_summary(&self, office: &str, day: NaiveDate) -> Result<Option<Vec<u8>>, StoreError> {
        self.get_summary(office, day)
    }

    fn write_summary(&self, office: &str, day: NaiveDate, bytes: &[u8]) -> Result<(), StoreError> {
        self.set_summary(office, day, bytes)
    }

    fn check(&self) -> Result<(), StoreError> {
        self.run(|inner| async move {
            let mut con = inner.commands().await?;
            redis::cmd("SET")
                .arg("turnero:ready-probe")
                .arg(1)
                .arg("PX")
                .arg(10_000)
                .query_async::<()>(&mut con)
                .await
                .map_err(unavailable)
        })
    }

    fn shared(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests;
