//! How job bytes reach a printer: the [`Transport`] trait and its errors.
//!
//! - [`TcpTransport`]: raw TCP ("JetDirect", port 9100), with status.
//! - [`DeviceTransport`]: a device file such as `/dev/usb/lp0`, with status when the
//!   device answers.
//! - [`DirTransport`]: one file per job in a folder, for development and tests.
//!
//! The trait returns boxed futures so the spool can hold any transport behind
//! `Arc<dyn Transport>`, including test doubles.

mod device;
mod dir;
mod tcp;

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

pub use device::{DeviceOptions, DeviceTransport};
pub use dir::DirTransport;
pub use tcp::{TcpOptions, TcpTransport};

use crate::status::{PrinterStatus, STATUS_QUERIES};

/// A boxed, sendable future, as returned by [`Transport`] methods.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One way of delivering print jobs to one printer.
pub trait Transport: Send + Sync + 'static {
    /// Where the jobs go, for logs (e.g. `tcp://10.0.0.5:9100`).
    fn describe(&self) -> String;

    /// Reads the printer's real-time status; `Ok(None)` when this transport cannot.
    fn status(&self) -> BoxFuture<'_, Result<Option<PrinterStatus>, TransportError>>;

    /// Delivers one job. Where status can be read, it is read first on the same
    /// connection, and a printer that cannot print gets nothing:
    /// [`TransportError::NotReady`]. Returns the status seen, if any.
    fn send<'a>(
        &'a self,
        job: &'a [u8],
    ) -> BoxFuture<'a, Result<Option<PrinterStatus>, TransportError>>;
}

/// Why a transport could not deliver a job or read status.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// The printer could not be reached (connection refused, no route, no device).
    #[error("cannot reach printer: {0}")]
    Unreachable(#[source] io::Error),
    /// An operation took longer than its timeout.
    #[error("printer timed out during {0}")]
    Timeout(&'static str),
    /// The connection broke or closed during the job.
    #[error("connection to printer lost: {0}")]
    ConnectionLost(String),
    /// Another I/O error.
    #[error("printer I/O error: {0}")]
    Io(#[source] io::Error),
    /// A status answer that is not a status byte.
    #[error("unexpected status byte {0:#04x}")]
    BadStatus(u8),
    /// The printer answered status and cannot print (paper out, cover open…).
    #[error("printer not ready: {0:?}")]
    NotReady(PrinterStatus),
}

/// Maps an I/O error during an open connection to lost or plain I/O.
pub(crate) fn io_error(e: io::Error) -> TransportError {
    use io::ErrorKind::*;
    match e.kind() {
        BrokenPipe | ConnectionReset | ConnectionAborted | UnexpectedEof | NotConnected => {
            TransportError::ConnectionLost(e.to_string())
        }
        _ => TransportError::Io(e),
    }
}

/// Sends the four `DLE EOT` queries and reads one answer byte for each.
pub(crate) async fn query_status<S>(
    stream: &mut S,
    timeout: Duration,
) -> Result<PrinterStatus, TransportError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut raw = [0u8; 4];
    for (query, answer) in STATUS_QUERIES.iter().zip(raw.iter_mut()) {
        let exchange = async {
            stream.write_all(query).await?;
            stream.flush().await?;
            stream.read_exact(std::slice::from_mut(answer)).await
        };
        match tokio::time::timeout(timeout, exchange).await {
            Err(_) => return Err(TransportError::Timeout("status query")),
            Ok(Err(e)) => return Err(io_error(e)),
            Ok(Ok(_)) => {}
        }
    }
    PrinterStatus::parse(raw).map_err(TransportError::BadStatus)
}

/// Writes the whole job within `timeout`.
pub(crate) async fn write_job<S>(
    stream: &mut S,
    job: &[u8],
    timeout: Duration,
) -> Result<(), TransportError>
where
    S: AsyncWrite + Unpin,
{
    let write = async {
        stream.write_all(job).await?;
        stream.flush().await
    };
    match tokio::time::timeout(timeout, write).await {
        Err(_) => Err(TransportError::Timeout("write")),
        Ok(Err(e)) => Err(io_error(e)),
        Ok(Ok(())) => Ok(()),
    }
}

/// Fails with [`TransportError::NotReady`] when `status` shows a problem.
pub(crate) fn ensure_ready(status: PrinterStatus) -> Result<PrinterStatus, TransportError> {
    match status.problem() {
        Some(_) => Err(TransportError::NotReady(status)),
        None => Ok(status),
    }
}
