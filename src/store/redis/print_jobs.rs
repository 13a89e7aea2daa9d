//! The kiosks' print jobs in Redis (see `store::print_jobs`), keyed under the office's
//! hash tag like its logs, so each call's keys share one Cluster slot:
//! - `turnero:{OFFICE}:print:KIOSK:jobs` — a stream of jobs not finished yet (field `j`);
//! - `turnero:{OFFICE}:print:KIOSK:owner` — the owning process's id, with a lease (PX);
//! - `turnero:{OFFICE}:print:KIOSK:state` — the owner's report of the printer, with an
//!   expiry, so a dead owner's report goes away with its lease;
//! - `turnero:{OFFICE}:print:KIOSK:counts` — a hash, jobs `printed` and `failed`;
//! - `turnero:{OFFICE}:print:job:ID` and `…:print:token:TOKEN` — a job's state and a
//!   turn's latest job, kept for a while.
//!
//! Every change touching several keys is one script, so it happens whole or not at all.
//! Finishing a job takes its entry off the stream first: when two owners finish one job
//! (an owner change), the first outcome stays.

use super::entries::{field, text};
use super::{unavailable, Inner, RedisStore, OP_TIMEOUT};
use crate::store::print_jobs::{PrinterReport, QueuedJob, SharedPrintJobs};
use crate::store::StoreError;
use futures_util::future::BoxFuture;
use redis::Value;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// Jobs kept on a kiosk's stream at most: older ones are long past their time to live.
const STREAM_LIMIT: u32 = 10_000;

const ENQUEUE: &str = r#"
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[5], '*', 'j', ARGV[1])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[3])
return 1
"#;

const FINISH: &str = r#"
if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('HINCRBY', KEYS[3], ARGV[4], 1)
return 1
"#;

const HOLD: &str = r#"
local holder = redis.call('GET', KEYS[1])
if (not holder) or holder == ARGV[1] or ARGV[3] == '1' then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"#;

const LET_GO: &str = r#"
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
"#;

fn kiosk_key(office: &str, kiosk: &str, what: &str) -> String {
    format!("turnero:{{{office}}}:print:{kiosk}:{what}")
}

fn job_key(office: &str, job: &str) -> String {
    format!("turnero:{{{office}}}:print:job:{job}")
}

fn token_key(office: &str, token: &str) -> String {
    format!("turnero:{{{office}}}:print:token:{token}")
}

/// `GET owner`, `GET state`, `XLEN jobs`, `HMGET counts printed failed`.
type PrinterAnswer = (
    Option<String>,
    Option<String>,
    u64,
    (Option<u64>, Option<u64>),
);

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

impl RedisStore {
    /// Runs `work` on the store's runtime, bounded by `limit`, for a caller on any runtime.
    fn run_async<T, F, Fut>(
        &self,
        limit: Duration,
        work: F,
    ) -> BoxFuture<'static, Result<T, StoreError>>
    where
        T: Send + 'static,
        F: FnOnce(Arc<Inner>) -> Fut,
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
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
        Box::pin(async move { rx.await.unwrap_or_else(|_| Err(unavailable("no answer"))) })
    }

    /// Runs one of this file's scripts, whose answer is a `T`.
    fn script<T: redis::FromRedisValue + Send + 'static>(
        &self,
        source: &'static str,
        keys: Vec<String>,
        args: Vec<String>,
    ) -> BoxFuture<'static, Result<T, StoreError>> {
        self.run_async(OP_TIMEOUT, move |inner| async move {
            let mut con = inner.commands().await?;
            let script = redis::Script::new(source);
            let mut call = script.prepare_invoke();
            for k in &keys {
                call.key(k);
            }
            for a in &args {
                call.arg(a);
            }
            call.invoke_async::<T>(&mut con).await.map_err(unavailable)
        })
    }

    /// A script run for its effect.
    fn effect(
        &self,
        source: &'static str,
        keys: Vec<String>,
        args: Vec<String>,
    ) -> BoxFuture<'static, Result<(), StoreError>> {
        let answer = self.script::<i64>(source, keys, args);
        Box::pin(async move { answer.await.map(|_| ()) })
    }

    fn get(&self, key: String) -> BoxFuture<'static, Result<Option<String>, StoreError>> {
        self.run_async(OP_TIMEOUT, move |inner| async move {
            let mut con = inner.commands().await?;
            redis::cmd("GET")
                .arg(&key)
                .query_async(&mut con)
                .await
                .map_err(unavailable)
        })
    }
}

impl SharedPrintJobs for RedisStore {
    fn enqueue(
        &self,
        office: &str,
        kiosk: &str,
        job: &QueuedJob,
        state: &str,
        keep: Duration,
    ) -> BoxFuture<'static, Result<(), StoreError>> {
        let json = match serde_json::to_string(job) {
            Ok(json) => json,
            Err(e) => return Box::pin(async move { Err(unavailable(e)) }),
        };
        self.effect(
            ENQUEUE,
            vec![
                kiosk_key(office, kiosk, "jobs"),
                job_key(office, &job.id),
                token_key(office, &job.token),
            ],
            vec![
                json,
                state.to_owned(),
                millis(keep).to_string(),
                job.id.clone(),
                STREAM_LIMIT.to_string(),
            ],
        )
    }

    fn state(
        &self,
        office: &str,
        job: &str,
    ) -> BoxFuture<'static, Result<Option<String>, StoreError>> {
        self.get(job_key(office, job))
    }

    fn latest(
        &self,
        office: &str,
        token: &str,
    ) -> BoxFuture<'static, Result<Option<String>, StoreError>> {
        let token = token_key(office, token);
        let office = office.to_owned();
        self.run_async(OP_TIMEOUT, move |inner| async move {
            let mut con = inner.commands().await?;
            let id: Option<String> = redis::cmd("GET")
                .arg(&token)
                .query_async(&mut con)
                .await
                .map_err(unavailable)?;
            let Some(id) = id else { return Ok(None) };
            redis::cmd("GET")
                .arg(job_key(&office, &id))
                .query_async(&mut con)
                .await
                .map_err(unavailable)
        })
    }

    fn finish(
        &self,
        office: &str,
        kiosk: &str,
        entry: &str,
        job: &str,
        state: &str,
        printed: bool,
        keep: Duration,
    ) -> BoxFuture<'static, Result<(), StoreError>> {
        self.effect(
            FINISH,
            vec![
                kiosk_key(office, kiosk, "jobs"),
                job_key(office, job),
                kiosk_key(office, kiosk, "counts"),
            ],
            vec![
                entry.to_owned(),
                state.to_owned(),
                millis(keep).to_string(),
                if printed { "printed" } else { "failed" }.to_owned(),
            ],
        )
    }

    fn hold(
        &self,
        office: &str,
        kiosk: &str,
        owner: &str,
        lease: Duration,
        take_over: bool,
    ) -> BoxFuture<'static, Result<bool, StoreError>> {
        let held = self.script::<i64>(
            HOLD,
            vec![kiosk_key(office, kiosk, "owner")],
            vec![
                owner.to_owned(),
                millis(lease).to_string(),
                if take_over { "1" } else { "0" }.to_owned(),
            ],
        );
        Box::pin(async move { held.await.map(|n| n == 1) })
    }

    fn let_go(
        &self,
        office: &str,
        kiosk: &str,
        owner: &str,
    ) -> BoxFuture<'static, Result<(), StoreError>> {
        self.effect(
            LET_GO,
            vec![kiosk_key(office, kiosk, "owner")],
            vec![owner.to_owned()],
        )
    }

    fn next_jobs(
        &self,
        office: &str,
        kiosk: &str,
        after: &str,
        wait: Duration,
    ) -> BoxFuture<'static, Result<Vec<(String, QueuedJob)>, StoreError>> {
        let key = kiosk_key(office, kiosk, "jobs");
        let after = after.to_owned();
        self.run_async(wait + OP_TIMEOUT, move |inner| async move {
            let mut con = inner.blocking_connection().await?;
            let answer: Value = redis::cmd("XREAD")
                .arg("COUNT")
                .arg(100)
                .arg("BLOCK")
                .arg(millis(wait))
                .arg("STREAMS")
                .arg(&key)
                .arg(&after)
                .query_async(&mut con)
                .await
                .map_err(unavailable)?;
            inner.blocking.lock().push(con);
            Ok(jobs_of(answer))
        })
    }

    fn report(
        &self,
        office: &str,
        kiosk: &str,
        state: &str,
        keep: Duration,
    ) -> BoxFuture<'static, Result<(), StoreError>> {
        let key = kiosk_key(office, kiosk, "state");
        let state = state.to_owned();
        self.run_async(OP_TIMEOUT, move |inner| async move {
            let mut con = inner.commands().await?;
            redis::cmd("SET")
                .arg(&key)
                .arg(&state)
                .arg("PX")
                .arg(millis(keep))
                .query_async::<()>(&mut con)
                .await
                .map_err(unavailable)
        })
    }

    fn printer(
        &self,
        office: &str,
        kiosk: &str,
    ) -> BoxFuture<'static, Result<PrinterReport, StoreError>> {
        let keys = ["owner", "state", "jobs", "counts"].map(|what| kiosk_key(office, kiosk, what));
        self.run_async(OP_TIMEOUT, move |inner| async move {
            let mut con = inner.commands().await?;
            let (owner, state, queued, (printed, failed)): PrinterAnswer = redis::pipe()
                .cmd("GET")
                .arg(&keys[0])
                .cmd("GET")
                .arg(&keys[1])
                .cmd("XLEN")
                .arg(&keys[2])
                .cmd("HMGET")
                .arg(&keys[3])
                .arg("printed")
                .arg("failed")
                .query_async(&mut con)
                .await
                .map_err(unavailable)?;
            Ok(PrinterReport {
                owner,
                state,
                queued,
                printed: printed.unwrap_or(0),
                failed: failed.unwrap_or(0),
            })
        })
    }
}

/// The entries of an `XREAD` answer on one stream (none on a timeout). An entry that does
/// not hold a job as Turnero writes them is skipped, logged.
fn jobs_of(answer: Value) -> Vec<(String, QueuedJob)> {
    let streams = match answer {
        Value::Array(streams) => streams,
        Value::Map(pairs) => pairs
            .into_iter()
            .map(|(k, v)| Value::Array(vec![k, v]))
            .collect(),
        _ => return Vec::new(),
    };
    let mut jobs = Vec::new();
    for stream in streams {
        let Value::Array(mut parts) = stream else {
            continue;
        };
        let Some(Value::Array(entries)) = parts.pop() else {
            continue;
        };
        for entry in entries {
            let Value::Array(mut entry) = entry else {
                continue;
            };
            let fields = entry.pop();
            let Some(id) = entry.pop().as_ref().and_then(text) else {
                continue;
            };
            let job = match fields {
                Some(Value::Array(fields)) => field(&fields, "j")
                    .and_then(|json| serde_json::from_str::<QueuedJob>(&json).ok()),
                _ => None,
            };
            match job {
                Some(job) => jobs.push((id, job)),
                None => {
                    tracing::warn!(entry = %id, "a print job entry is not as Turnero writes them; skipped")
                }
            }
        }
    }
    jobs
}
