//! Citizens' contacts in Redis: a hash per office and day (field: the turn's sequence)
//! that expires two days after its last change, so a number outlives its turn by at most
//! that even if every process died before erasing it; and a `SET NX EX` key per message
//! claimed, so that of several processes following the same office exactly one sends it.

use super::{unavailable, RedisStore};
use crate::store::contacts::ContactStore;
use crate::store::StoreError;
use chrono::NaiveDate;

/// Seconds a day's contacts and claims are kept at most (a turn never outlives its day).
const KEEP_SECONDS: u64 = 2 * 24 * 3600;

fn contacts_key(office: &str, day: NaiveDate) -> String {
    format!("turnero:{{{office}}}:contacts:{}", day.format("%Y-%m-%d"))
}

fn claim_key(office: &str, day: NaiveDate, key: &str) -> String {
    format!(
        "turnero:{{{office}}}:notified:{}:{key}",
        day.format("%Y-%m-%d")
    )
}

impl ContactStore for RedisStore {
    fn put(&self, office: &str, day: NaiveDate, seq: u32, row: &str) -> Result<(), StoreError> {
        let key = contacts_key(office, day);
        let row = row.to_owned();
        self.run(move |inner| async move {
            let mut con = inner.commands().await?;
            redis::pipe()
                .atomic()
                .cmd("HSET")
                .arg(&key)
                .arg(seq)
                .arg(row)
                .ignore()
                .cmd("EXPIRE")
                .arg(&key)
                .arg(KEEP_SECONDS)
                .ignore()
                .query_async::<()>(&mut con)
                .await
                .map_err(unavailable)
        })
    }

    fn rows(&self, office: &str, day: NaiveDate) -> Result<Vec<(u32, String)>, StoreError> {
        let key = contacts_key(office, day);
        self.run(move |inner| async move {
            let mut con = inner.commands().await?;
            let rows: Vec<(u32, String)> = redis::cmd("HGETALL")
                .arg(&key)
                .query_async(&mut con)
                .await
                .map_err(unavailable)?;
            Ok(rows)
        })
    }

    fn remove(&self, office: &str, day: NaiveDate, seqs: &[u32]) -> Result<(), StoreError> {
        if seqs.is_empty() {
            return Ok(());
        }
        let key = contacts_key(office, day);
        let seqs = seqs.to_vec();
        self.run(move |inner| async move {
            let mut con = inner.commands().await?;
            redis::cmd("HDEL")
                .arg(&key)
                .arg(seqs)
                .query_async::<()>(&mut con)
                .await
                .map_err(unavailable)
        })
    }

    fn drop_before(&self, office: &str, day: NaiveDate) -> Result<(), StoreError> {
        // Older days expired on their own (KEEP_SECONDS).
        let keys: Vec<String> = (1..=2)
            .filter_map(|back| day.checked_sub_days(chrono::Days::new(back)))
            .map(|d| contacts_key(office, d))
            .collect();
        self.run(move |inner| async move {
            let mut con = inner.commands().await?;
            redis::cmd("DEL")
                .arg(keys)
                .query_async::<()>(&mut con)
                .await
                .map_err(unavailable)
        })
    }

    fn claim(
        &self,
        office: &str,
        day: NaiveDate,
        keys: &[String],
    ) -> Result<Vec<bool>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = keys.iter().map(|k| claim_key(office, day, k)).collect();
        self.run(move |inner| async move {
            let mut con = inner.commands().await?;
            let mut pipe = redis::pipe();
            for key in &keys {
                pipe.cmd("SET")
                    .arg(key)
                    .arg(1)
                    .arg("NX")
                    .arg("EX")
                    .arg(KEEP_SECONDS);
            }
            let answers: Vec<Option<String>> =
                pipe.query_async(&mut con).await.map_err(unavailable)?;
            Ok(answers.into_iter().map(|a| a.is_some()).collect())
        })
    }
}
