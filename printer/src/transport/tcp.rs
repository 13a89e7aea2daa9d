//! Raw TCP printing (port 9100), with `DLE EOT` status on the same connection.

use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::{
    ensure_ready, io_error, query_status, write_job, BoxFuture, Transport, TransportError,
};
use crate::status::PrinterStatus;

/// Timeouts and behaviour of a [`TcpTransport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpOptions {
    /// Longest wait to open the connection.
    pub connect_timeout: Duration,
    /// Longest wait to write one whole job.
    pub write_timeout: Duration,
    /// Longest wait for each status byte.
    pub status_timeout: Duration,
    /// Read status before each job and after it (to confirm the printer took it all).
    /// Turn off only for printers that never answer `DLE EOT`.
    pub query_status: bool,
}

impl Default for TcpOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(3),
            write_timeout: Duration::from_secs(10),
            status_timeout: Duration::from_secs(2),
            query_status: true,
        }
    }
}

/// A network printer reached by raw TCP; one connection per job.
#[derive(Debug, Clone)]
pub struct TcpTransport {
    host: String,
    port: u16,
    options: TcpOptions,
}

impl TcpTransport {
    /// A printer at `host:port` (9100 is the usual port).
    pub fn new(host: impl Into<String>, port: u16, options: TcpOptions) -> Self {
        Self {
            host: host.into(),
            port,
            options,
        }
    }

    async fn connect(&self) -> Result<TcpStream, TransportError> {
        let connect = TcpStream::connect((self.host.as_str(), self.port));
        match tokio::time::timeout(self.options.connect_timeout, connect).await {
            Err(_) => Err(TransportError::Timeout("connect")),
            Ok(Err(e)) => Err(TransportError::Unreachable(e)),
            Ok(Ok(stream)) => {
                // Tickets are small; send each write at once.
                let _ = stream.set_nodelay(true);
                if self.options.query_status {
                    // Closing resets the connection and drops unsent bytes, so a job
                    // abandoned on timeout cannot trickle out to the printer later. A
                    // completed job is confirmed by the status answer that follows it,
                    // so nothing of it is still unsent when we close.
                    let _ = stream.set_zero_linger();
                }
                Ok(stream)
            }
        }
    }

    async fn send_job(&self, job: &[u8]) -> Result<Option<PrinterStatus>, TransportError> {
        let mut stream = self.connect().await?;
        let timeout = self.options.status_timeout;
        let before = if self.options.query_status {
            Some(ensure_ready(query_status(&mut stream, timeout).await?)?)
        } else {
            None
        };
        write_job(&mut stream, job, self.options.write_timeout).await?;
        let after = if self.options.query_status {
            // An answer after the job proves the printer received all of it: a
            // connection that closed mid-job fails here even when the kernel had
            // accepted every byte.
            match query_status(&mut stream, timeout).await {
                Ok(status) => Some(status),
                Err(TransportError::Timeout(_)) => {
                    return Err(TransportError::ConnectionLost(
                        "no status answer after the job".into(),
                    ))
                }
                Err(e) => return Err(e),
            }
        } else {
            before
        };
        stream.shutdown().await.map_err(io_error)?;
        Ok(after.or(before))
    }
}

impl Transport for TcpTransport {
    fn describe(&self) -> String {
        if self.host.contains(':') {
            format!("tcp://[{}]:{}", self.host, self.port)
        } else {
            format!("tcp://{}:{}", self.host, self.port)
        }
    }

    fn status(&self) -> BoxFuture<'_, Result<Option<PrinterStatus>, TransportError>> {
        Box::pin(async move {
            if !self.options.query_status {
                return Ok(None);
            }
            let mut stream = self.connect().await?;
            let status = query_status(&mut stream, self.options.status_timeout).await?;
            let _ = stream.shutdown().await;
            Ok(Some(status))
        })
    }

    fn send<'a>(
        &'a self,
        job: &'a [u8],
    ) -> BoxFuture<'a, Result<Option<PrinterStatus>, TransportError>> {
        Box::pin(self.send_job(job))
    }
}
