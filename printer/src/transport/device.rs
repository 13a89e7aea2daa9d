//! A printer behind a device file, such as `/dev/usb/lp0` on Linux.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::fs::{File, OpenOptions};

use super::{ensure_ready, query_status, write_job, BoxFuture, Transport, TransportError};
use crate::status::PrinterStatus;

/// Timeouts and behaviour of a [`DeviceTransport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceOptions {
    /// Longest wait to write one whole job.
    pub write_timeout: Duration,
    /// Longest wait for each status byte.
    pub status_timeout: Duration,
    /// Read status before each job when the path is a character device.
    pub query_status: bool,
}

impl Default for DeviceOptions {
    fn default() -> Self {
        Self {
            write_timeout: Duration::from_secs(10),
            status_timeout: Duration::from_secs(2),
            query_status: true,
        }
    }
}

/// A printer reached through a device file.
///
/// Status is read only from character devices (a regular file would get the query
/// bytes written into it). File reads run on tokio's blocking pool and cannot be
/// cancelled, so a device that once leaves a status query unanswered (a unidirectional
/// link) is not asked again: status is then unknown and jobs go out unchecked.
#[derive(Debug)]
pub struct DeviceTransport {
    path: PathBuf,
    options: DeviceOptions,
    status_unanswered: AtomicBool,
}

impl DeviceTransport {
    /// A printer at `path`.
    pub fn new(path: impl Into<PathBuf>, options: DeviceOptions) -> Self {
        Self {
            path: path.into(),
            options,
            status_unanswered: AtomicBool::new(false),
        }
    }

    /// The device path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    async fn wants_status(&self) -> bool {
        if !self.options.query_status || self.status_unanswered.load(Ordering::Relaxed) {
            return false;
        }
        is_char_device(&self.path).await
    }

    async fn open(&self, read: bool) -> Result<File, TransportError> {
        OpenOptions::new()
            .read(read)
            .write(true)
            .open(&self.path)
            .await
            .map_err(TransportError::Unreachable)
    }

    /// Status on an open file; `None` (and no more asking) when the device is silent.
    async fn read_status(&self, file: &mut File) -> Result<Option<PrinterStatus>, TransportError> {
        match query_status(file, self.options.status_timeout).await {
            Ok(status) => Ok(Some(status)),
            // Silence or end-of-file: a one-way link (or /dev/null) that cannot answer.
            Err(TransportError::Timeout(_) | TransportError::ConnectionLost(_)) => {
                tracing::warn!(device = %self.path.display(),
                    "device does not answer DLE EOT; printing without status checks");
                self.status_unanswered.store(true, Ordering::Relaxed);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    async fn send_job(&self, job: &[u8]) -> Result<Option<PrinterStatus>, TransportError> {
        let with_status = self.wants_status().await;
        let mut file = self.open(with_status).await?;
        let status = if with_status {
            match self.read_status(&mut file).await? {
                Some(status) => Some(ensure_ready(status)?),
                None => {
                    // The silent read still holds this handle; print on a fresh one.
                    file = self.open(false).await?;
                    None
                }
            }
        } else {
            None
        };
        write_job(&mut file, job, self.options.write_timeout).await?;
        Ok(status)
    }
}

async fn is_char_device(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        matches!(tokio::fs::metadata(path).await, Ok(m) if m.file_type().is_char_device())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

impl Transport for DeviceTransport {
    fn describe(&self) -> String {
        format!("file:{}", self.path.display())
    }

    fn status(&self) -> BoxFuture<'_, Result<Option<PrinterStatus>, TransportError>> {
        Box::pin(async move {
            if !self.wants_status().await {
                return Ok(None);
            }
            let mut file = self.open(true).await?;
            self.read_status(&mut file).await
        })
    }

    fn send<'a>(
        &'a self,
        job: &'a [u8],
    ) -> BoxFuture<'a, Result<Option<PrinterStatus>, TransportError>> {
        Box::pin(self.send_job(job))
    }
}
