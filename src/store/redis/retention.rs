//! Days past the retention leave Redis when a new day's log begins: their log, batch and
//! summary keys, then the day in the office's set of days.

use super::{batches_key, days_key, log_key, summaries, unavailable, RedisStore};
use chrono::NaiveDate;

impl RedisStore {
    /// A new day's log began: the office's days older than the retention are deleted
    /// (their log and batch keys). A failure only leaves them for the next day.
    pub(super) fn forget_days_before_retention(&self, office: &str, today: NaiveDate) {
        let Some(first_kept) =
            today.checked_sub_days(chrono::Days::new(u64::from(self.inner.retention_days)))
        else {
            return;
        };
        let office = office.to_owned();
        let name = office.clone();
        let result = self.run(move |inner| async move {
            let mut con = inner.commands().await?;
            let days: Vec<String> = redis::cmd("ZRANGE")
                .arg(days_key(&office))
                .arg(0)
                .arg(-1)
                .query_async(&mut con)
                .await
                .map_err(unavailable)?;
            let mut forgotten = 0;
            for d in days {
                let Ok(day) = NaiveDate::parse_from_str(&d, "%Y-%m-%d") else {
                    continue;
                };
                if day >= first_kept {
                    continue;
                }
                // One slot (the office's hash tag): one DEL for its keys, then the day.
                redis::cmd("DEL")
                    .arg(log_key(&office, day))
                    .arg(batches_key(&office, day))
                    .arg(summaries::summary_key(&office, day))
                    .query_async::<()>(&mut con)
                    .await
                    .map_err(unavailable)?;
                redis::cmd("ZREM")
                    .arg(days_key(&office))
                    .arg(&d)
                    .query_async::<()>(&mut con)
                    .await
                    .map_err(unavailable)?;
                forgotten += 1;
            }
            Ok(forgotten)
        });
        match result {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(office = %name, days = n, kept_from = %first_kept, "days past the retention deleted from Redis")
            }
            Err(e) => {
                tracing::warn!(office = %name, error = %e, "could not delete days past the retention; will try on the next day")
            }
        }
    }
}
