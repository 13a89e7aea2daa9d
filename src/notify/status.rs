//! How an office's gateway is doing, for supervisors
//! (`GET /api/v1/offices/{office}/notifications`) and their dashboard.

use chrono::{DateTime, NaiveDate, Utc};
use parking_lot::Mutex;
use serde::Serialize;
use std::sync::atomic::{AtomicI64, Ordering};

/// What `GET /offices/{office}/notifications` answers.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NotificationsStatus {
    /// `off` (no gateway configured), `ok`, or `failing` (its last try failed).
    #[schema(example = "ok")]
    pub gateway: &'static str,
    /// Why the last failed try failed (never a number or a text).
    pub last_error: Option<String>,
    /// Since when tries have been failing (RFC 3339), while they are.
    pub failing_since: Option<String>,
    /// Messages waiting to be sent or retried now.
    pub pending: u64,
    /// Messages the gateway accepted today (by this process).
    pub sent_today: u64,
    /// Messages given up on today (by this process).
    pub failed_today: u64,
}

#[derive(Default)]
struct Inner {
    day: Option<NaiveDate>,
    sent: u64,
    failed: u64,
    last_error: Option<String>,
    failing_since: Option<DateTime<Utc>>,
}

/// One office's delivery health.
#[derive(Default)]
pub struct Health {
    inner: Mutex<Inner>,
    pending: AtomicI64,
}

impl Health {
    fn on_day(inner: &mut Inner, day: NaiveDate) {
        if inner.day != Some(day) {
            inner.day = Some(day);
            inner.sent = 0;
            inner.failed = 0;
        }
    }

    /// A try succeeded: the gateway works.
    pub fn sent(&self, day: NaiveDate) {
        let mut inner = self.inner.lock();
        Self::on_day(&mut inner, day);
        inner.sent += 1;
        inner.failing_since = None;
    }

    /// A try failed (the message may still be retried).
    pub fn try_failed(&self, reason: &str, now: DateTime<Utc>) {
        let mut inner = self.inner.lock();
        inner.last_error = Some(reason.to_owned());
        inner.failing_since.get_or_insert(now);
    }

    /// A message was given up on.
    pub fn gave_up(&self, day: NaiveDate) {
        let mut inner = self.inner.lock();
        Self::on_day(&mut inner, day);
        inner.failed += 1;
    }

    /// One more (`+1`) or one less (`-1`) message waiting.
    pub fn pending(&self, delta: i64) {
        self.pending.fetch_add(delta, Ordering::Relaxed);
    }

    /// The status as of the office's `today`; `configured` says whether it has a gateway.
    pub fn status(
        &self,
        configured: bool,
        today: NaiveDate,
        local: impl Fn(DateTime<Utc>) -> String,
    ) -> NotificationsStatus {
        let inner = self.inner.lock();
        let today_counts = inner.day == Some(today);
        NotificationsStatus {
            gateway: match (configured, inner.failing_since) {
                (false, _) => "off",
                (true, None) => "ok",
                (true, Some(_)) => "failing",
            },
            last_error: inner.last_error.clone(),
            failing_since: inner.failing_since.map(local),
            pending: u64::try_from(self.pending.load(Ordering::Relaxed)).unwrap_or(0),
            sent_today: if today_counts { inner.sent } else { 0 },
            failed_today: if today_counts { inner.failed } else { 0 },
        }
    }
}
