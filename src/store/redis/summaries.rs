//! The report summaries on Redis: one string key per office and day beside its log
//! (`turnero:{office}:YYYY-MM-DD:summary`, in the office's slot), replaced whole by one
//! `SET` and deleted with the day's log when it passes the retention.

use super::{unavailable, RedisStore};
use crate::store::StoreError;
use chrono::NaiveDate;

/// The key of an office's day's summary.
pub(super) fn summary_key(office: &str, day: NaiveDate) -> String {
    format!("turnero:{{{office}}}:{}:summary", day.format("%Y-%m-%d"))
}

impl RedisStore {
    /// The day's log length in entries (`XLEN`).
    pub(super) fn log_entries(&self, office: &str, day: NaiveDate) -> Result<u64, StoreError> {
        let key = super::log_key(office, day);
        self.run(move |inner| async move {
            let mut con = inner.commands().await?;
            redis::cmd("XLEN")
                .arg(key)
                .query_async(&mut con)
                .await
                .map_err(unavailable)
        })
    }

    pub(super) fn get_summary(
        &self,
        office: &str,
        day: NaiveDate,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let key = summary_key(office, day);
        self.run(move |inner| async move {
            let mut con = inner.commands().await?;
            redis::cmd("GET")
                .arg(key)
                .query_async(&mut con)
                .await
                .map_err(unavailable)
        })
    }

    pub(super) fn set_summary(
        &self,
        office: &str,
        day: NaiveDate,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        let key = summary_key(office, day);
        let bytes = bytes.to_vec();
        self.run(move |inner| async move {
            let mut con = inner.commands().await?;
            redis::cmd("SET")
                .arg(key)
                .arg(bytes)
                .query_async::<()>(&mut con)
                .await
                .map_err(unavailable)
        })
    }
}
