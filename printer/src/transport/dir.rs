//! A folder as a printer: one file per job, for development and tests.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{BoxFuture, Transport, TransportError};
use crate::status::PrinterStatus;

/// Writes each job to `<dir>/<UTC time>-<sequence>.escpos`, so names sort by time.
///
/// The file is written under a dot-name and renamed when complete, so a reader never
/// sees half a job. Status cannot be read.
#[derive(Debug)]
pub struct DirTransport {
    dir: PathBuf,
    seq: AtomicU64,
}

impl DirTransport {
    /// Jobs go to `dir`, created on the first job if missing.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            seq: AtomicU64::new(0),
        }
    }

    /// The folder jobs are written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    async fn write(&self, job: &[u8]) -> Result<Option<PrinterStatus>, TransportError> {
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(TransportError::Unreachable)?;
        let seq = self.seq.fetch_add(1, Ordering::Relaxed);
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ");
        let name = format!("{stamp}-{seq:06}.escpos");
        let tmp = self.dir.join(format!(".{name}.tmp"));
        tokio::fs::write(&tmp, job)
            .await
            .map_err(TransportError::Io)?;
        tokio::fs::rename(&tmp, self.dir.join(&name))
            .await
            .map_err(TransportError::Io)?;
        tracing::debug!(file = %name, bytes = job.len(), "job written to folder");
        Ok(None)
    }
}

impl Transport for DirTransport {
    fn describe(&self) -> String {
        format!("dir:{}", self.dir.display())
    }

    fn status(&self) -> BoxFuture<'_, Result<Option<PrinterStatus>, TransportError>> {
        Box::pin(async { Ok(None) })
    }

    fn send<'a>(
        &'a self,
        job: &'a [u8],
    ) -> BoxFuture<'a, Result<Option<PrinterStatus>, TransportError>> {
        Box::pin(self.write(job))
    }
}
