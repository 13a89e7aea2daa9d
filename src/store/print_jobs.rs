//! Print jobs shared by the processes of one store: each kiosk's job stream, the process
//! that owns the kiosk (a lease), the jobs' states and the printer's last report.
//!
//! With one process (the embedded store) printing needs none of this: the process that
//! issues a turn also drives every printer. With several processes (Redis) a turn may be
//! issued on one process while the kiosk's printer or print agent is driven by another, so
//! the job goes through the store: the issuing process appends it to the kiosk's stream,
//! the kiosk's owner reads it, prints it and writes its outcome, and any process can read
//! the job's state and the printer's report. `printing::shared` is the logic on top.

use super::StoreError;
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A job on a kiosk's stream: what the owner needs to print it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedJob {
    /// The job's id (unique across processes and restarts).
    pub id: String,
    /// The turn's token.
    pub token: String,
    /// The turn's code, for logs.
    pub code: String,
    /// Whether a supervisor asked for this copy.
    pub reprint: bool,
    /// The ESC/POS bytes, base64.
    pub bytes_base64: String,
    /// When the job must no longer print (Unix milliseconds).
    pub expires_at_ms: i64,
}

/// One kiosk's printer as the store knows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrinterReport {
    /// The process that owns the kiosk now, if any.
    pub owner: Option<String>,
    /// The owner's last report (JSON), while its lease lasts.
    pub state: Option<String>,
    /// Jobs on the stream not finished yet.
    pub queued: u64,
    /// Jobs printed, by whichever owner.
    pub printed: u64,
    /// Jobs failed or expired, by whichever owner.
    pub failed: u64,
}

/// The kiosks' job streams, shared by every process of a store.
///
/// Job states and reports are JSON strings to the store: their shape belongs to
/// `printing`. Every call is bounded in time and fails with `StoreError::Unavailable`.
pub trait SharedPrintJobs: Send + Sync {
    /// Appends `job` to the kiosk's stream and records `state` as the job's state and the
    /// job as its turn's latest, kept for `keep`.
    fn enqueue(
        &self,
        office: &str,
        kiosk: &str,
        job: &QueuedJob,
        state: &str,
        keep: Duration,
    ) -> BoxFuture<'static, Result<(), StoreError>>;

    /// A job's state.
    fn state(
        &self,
        office: &str,
        job: &str,
    ) -> BoxFuture<'static, Result<Option<String>, StoreError>>;

    /// The state of a turn's latest job.
    fn latest(
        &self,
        office: &str,
        token: &str,
    ) -> BoxFuture<'static, Result<Option<String>, StoreError>>;

    /// Records a job's final `state`, counts it as printed or failed and takes stream
    /// entry `entry` off the kiosk's stream, all at once.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &self,
        office: &str,
        kiosk: &str,
        entry: &str,
        job: &str,
        state: &str,
        printed: bool,
        keep: Duration,
    ) -> BoxFuture<'static, Result<(), StoreError>>;

    /// Takes or renews the kiosk's lease for `owner`, for `lease`. Without `take_over` it
    /// is taken only when no one holds it; with it, from whoever holds it (a print agent
    /// that connected to this process). Returns whether `owner` holds it now.
    fn hold(
        &self,
        office: &str,
        kiosk: &str,
        owner: &str,
        lease: Duration,
        take_over: bool,
    ) -> BoxFuture<'static, Result<bool, StoreError>>;

    /// Gives the lease up, if `owner` still holds it.
    fn let_go(
        &self,
        office: &str,
        kiosk: &str,
        owner: &str,
    ) -> BoxFuture<'static, Result<(), StoreError>>;

    /// The kiosk's stream entries after entry `after` (`"0"`: from the first), waiting up
    /// to `wait` for one to come.
    fn next_jobs(
        &self,
        office: &str,
        kiosk: &str,
        after: &str,
        wait: Duration,
    ) -> BoxFuture<'static, Result<Vec<(String, QueuedJob)>, StoreError>>;

    /// The owner's report of the printer (JSON), kept for `keep`.
    fn report(
        &self,
        office: &str,
        kiosk: &str,
        state: &str,
        keep: Duration,
    ) -> BoxFuture<'static, Result<(), StoreError>>;

    /// What the store knows of the kiosk's printer.
    fn printer(
        &self,
        office: &str,
        kiosk: &str,
    ) -> BoxFuture<'static, Result<PrinterReport, StoreError>>;
}
