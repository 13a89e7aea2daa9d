//! Print jobs as the server tracks them: each job's state (`queued`, `printed`,
//! `failed`), and the latest job of each turn, kept for a while so that kiosks can follow
//! a job and supervisors can reprint on the same kiosk.

use chrono::{SecondsFormat, Utc};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Where a print job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PrintStatus {
    /// Waiting for the printer (or being retried).
    Queued,
    /// The printer took the whole ticket.
    Printed,
    /// Not printed and never will be; `reason` says why.
    Failed,
}

/// The `print` object of API responses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = Print)]
pub struct PrintState {
    /// `queued`, `printed` or `failed`.
    pub status: PrintStatus,
    /// The job's id.
    pub job: String,
    /// The kiosk whose printer it is for.
    pub kiosk: String,
    /// Whether a supervisor asked for this copy.
    pub reprint: bool,
    /// Failure code when failed; the current problem's code while queued, if any.
    pub code: Option<String>,
    /// One Spanish sentence for `code`.
    pub reason: Option<String>,
    /// When the state last changed (RFC 3339, UTC).
    pub updated_at: String,
}

/// One job and its state, watchable.
#[derive(Debug)]
pub struct JobRecord {
    /// Unique id (unique across restarts too: it starts with a random boot prefix).
    pub id: String,
    /// Office id.
    pub office: String,
    /// Kiosk id.
    pub kiosk: String,
    /// The turn's token.
    pub token: String,
    /// The turn's code, for logs.
    pub code: String,
    state: watch::Sender<PrintState>,
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl JobRecord {
    /// A queued job.
    pub fn new(
        id: String,
        office: &str,
        kiosk: &str,
        token: String,
        code: String,
        reprint: bool,
    ) -> Self {
        let state = PrintState {
            status: PrintStatus::Queued,
            job: id.clone(),
            kiosk: kiosk.to_owned(),
            reprint,
            code: None,
            reason: None,
            updated_at: now(),
        };
        Self {
            id,
            office: office.to_owned(),
            kiosk: kiosk.to_owned(),
            token,
            code,
            state: watch::Sender::new(state),
        }
    }

    /// The state now.
    pub fn state(&self) -> PrintState {
        self.state.borrow().clone()
    }

    /// Whether the job is still queued.
    pub fn is_queued(&self) -> bool {
        self.state.borrow().status == PrintStatus::Queued
    }

    /// Marks the job printed; the first final state wins. Returns whether it changed.
    pub fn printed(&self) -> bool {
        self.finish(PrintStatus::Printed, None, None)
    }

    /// Marks the job failed; the first final state wins. Returns whether it changed.
    pub fn failed(&self, code: impl Into<String>, reason: impl Into<String>) -> bool {
        self.finish(PrintStatus::Failed, Some(code.into()), Some(reason.into()))
    }

    fn finish(&self, status: PrintStatus, code: Option<String>, reason: Option<String>) -> bool {
        self.state.send_if_modified(|s| {
            if s.status != PrintStatus::Queued {
                return false;
            }
            s.status = status;
            s.code = code;
            s.reason = reason;
            s.updated_at = now();
            true
        })
    }

    /// Waits up to `limit` for the job to print or fail; returns the state then.
    pub async fn settle(&self, limit: Duration) -> PrintState {
        let mut rx = self.state.subscribe();
        let _ = tokio::time::timeout(limit, rx.wait_for(|s| s.status != PrintStatus::Queued)).await;
        self.state()
    }
}

/// Tokens remembered (each with its latest job).
const REMEMBERED: usize = 20_000;

/// The latest job of each recent turn.
#[derive(Default)]
pub struct Book {
    inner: Mutex<BookInner>,
}

#[derive(Default)]
struct BookInner {
    by_token: HashMap<String, Arc<JobRecord>>,
    order: VecDeque<String>,
}

impl Book {
    /// Records `job` as its turn's latest.
    pub fn insert(&self, job: Arc<JobRecord>) {
        let mut inner = self.inner.lock();
        let token = job.token.clone();
        if inner.by_token.insert(token.clone(), job).is_none() {
            inner.order.push_back(token);
            while inner.order.len() > REMEMBERED {
                if let Some(old) = inner.order.pop_front() {
                    inner.by_token.remove(&old);
                }
            }
        }
    }

    /// The latest job of a turn.
    pub fn latest(&self, token: &str) -> Option<Arc<JobRecord>> {
        self.inner.lock().by_token.get(token).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_first_final_state_wins() {
        let job = JobRecord::new("j".into(), "o", "k", "t".into(), "A-001".into(), false);
        assert!(job.is_queued());
        assert_eq!(
            job.settle(Duration::from_millis(10)).await.status,
            PrintStatus::Queued
        );
        assert!(job.failed("paper_out", "La impresora no tiene papel."));
        assert!(!job.printed());
        let s = job.settle(Duration::from_secs(1)).await;
        assert_eq!(s.status, PrintStatus::Failed);
        assert_eq!(s.code.as_deref(), Some("paper_out"));
    }

    #[test]
    fn the_book_keeps_the_latest_job_per_turn() {
        let book = Book::default();
        let a = Arc::new(JobRecord::new(
            "1".into(),
            "o",
            "k1",
            "t".into(),
            "A-1".into(),
            false,
        ));
        let b = Arc::new(JobRecord::new(
            "2".into(),
            "o",
            "k2",
            "t".into(),
            "A-1".into(),
            true,
        ));
        book.insert(a);
        book.insert(b);
        assert_eq!(book.latest("t").unwrap().kiosk, "k2");
        assert!(book.latest("u").is_none());
    }
}
