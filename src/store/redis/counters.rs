//! Window counters in Redis (`INCR` with an expiry set on the first hit), so that
//! throttles and ended sessions hold across every process.

use super::{unavailable, RedisStore};
use crate::store::StoreError;
use std::time::Duration;

impl crate::store::WindowCounters for RedisStore {
    fn hit(&self, key: &str, window: Duration) -> Result<u32, StoreError> {
        let key = format!("turnero:window:{key}");
        let ms = window.as_millis().max(1) as u64;
        self.run(move |inner| async move {
            let mut con = inner.commands().await?;
            // The window starts with the first hit: the expiry is set only then.
            let (n, _): (u32, i64) = redis::pipe()
                .cmd("INCR")
                .arg(&key)
                .cmd("PEXPIRE")
                .arg(&key)
                .arg(ms)
                .arg("NX")
                .query_async(&mut con)
                .await
                .map_err(unavailable)?;
            Ok(n)
        })
    }

    fn count(&self, key: &str) -> Result<u32, StoreError> {
        let key = format!("turnero:window:{key}");
        self.run(move |inner| async move {
            let mut con = inner.commands().await?;
            let n: Option<u32> = redis::cmd("GET")
                .arg(&key)
                .query_async(&mut con)
                .await
                .map_err(unavailable)?;
            Ok(n.unwrap_or(0))
        })
    }

    fn left(&self, key: &str) -> Result<Duration, StoreError> {
        let key = format!("turnero:window:{key}");
        self.run(move |inner| async move {
            let mut con = inner.commands().await?;
            let ms: i64 = redis::cmd("PTTL")
                .arg(&key)
                .query_async(&mut con)
                .await
                .map_err(unavailable)?;
            Ok(Duration::from_millis(u64::try_from(ms).unwrap_or(0)))
        })
    }

    fn clear(&self, key: &str) -> Result<(), StoreError> {
        let key = format!("turnero:window:{key}");
        self.run(move |inner| async move {
            let mut con = inner.commands().await?;
            redis::cmd("DEL")
                .arg(&key)
                .query_async::<()>(&mut con)
                .await
                .map_err(unavailable)
        })
    }
}
