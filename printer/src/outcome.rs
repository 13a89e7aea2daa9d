//! What became of a print job: printed, or failed with a machine code and a Spanish
//! reason.

use std::fmt;

use crate::es;
use crate::status::PrinterProblem;
use crate::transport::TransportError;

/// Machine-readable failure cause, stable for the server and the kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureCode {
    /// The printer has no paper.
    PaperOut,
    /// The printer's cover is open.
    CoverOpen,
    /// Cutter, mechanical or other printer error.
    PrinterError,
    /// The printer is offline for another reason.
    Offline,
    /// No connection could be opened.
    Unreachable,
    /// The printer did not answer in time.
    Timeout,
    /// The connection broke during the job.
    ConnectionLost,
    /// The printer's status answer made no sense.
    BadStatus,
    /// Another I/O error.
    Io,
    /// The job's time to live ran out before it printed; it will never print.
    Expired,
    /// The printer's queue stopped before the job printed.
    SpoolStopped,
}

impl FailureCode {
    /// The code as a stable snake_case string, e.g. `paper_out`.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureCode::PaperOut => "paper_out",
            FailureCode::CoverOpen => "cover_open",
            FailureCode::PrinterError => "printer_error",
            FailureCode::Offline => "offline",
            FailureCode::Unreachable => "unreachable",
            FailureCode::Timeout => "timeout",
            FailureCode::ConnectionLost => "connection_lost",
            FailureCode::BadStatus => "bad_status",
            FailureCode::Io => "io_error",
            FailureCode::Expired => "expired",
            FailureCode::SpoolStopped => "spool_stopped",
        }
    }
}

impl fmt::Display for FailureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a job (or the latest attempt at one) failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Machine code.
    pub code: FailureCode,
    /// What to tell people, in Spanish.
    pub reason: String,
    /// Technical detail for operators' logs, in English.
    pub detail: String,
}

impl Failure {
    /// A failure with the standard Spanish reason for `code`.
    pub fn new(code: FailureCode, detail: impl Into<String>) -> Self {
        let reason = match code {
            FailureCode::PaperOut => es::PAPER_OUT,
            FailureCode::CoverOpen => es::COVER_OPEN,
            FailureCode::PrinterError => es::PRINTER_ERROR,
            FailureCode::Offline => es::OFFLINE,
            FailureCode::Unreachable => es::UNREACHABLE,
            FailureCode::Timeout => es::TIMEOUT,
            FailureCode::ConnectionLost => es::CONNECTION_LOST,
            FailureCode::BadStatus => es::BAD_STATUS,
            FailureCode::Io => es::IO_ERROR,
            FailureCode::SpoolStopped => es::SPOOL_STOPPED,
            FailureCode::Expired => return Self::expired(None),
        };
        Self {
            code,
            reason: reason.to_owned(),
            detail: detail.into(),
        }
    }

    /// The job ran out of time; `last` is the last attempt's failure, if any.
    pub fn expired(last: Option<&Failure>) -> Self {
        Self {
            code: FailureCode::Expired,
            reason: es::expired(last.map(|f| f.reason.as_str())),
            detail: match last {
                Some(f) => format!(
                    "time to live exceeded; last error: {} ({})",
                    f.code, f.detail
                ),
                None => "time to live exceeded before any attempt".to_owned(),
            },
        }
    }
}

impl From<&TransportError> for Failure {
    fn from(e: &TransportError) -> Self {
        let code = match e {
            TransportError::Unreachable(_) => FailureCode::Unreachable,
            TransportError::Timeout(_) => FailureCode::Timeout,
            TransportError::ConnectionLost(_) => FailureCode::ConnectionLost,
            TransportError::Io(_) => FailureCode::Io,
            TransportError::BadStatus(_) => FailureCode::BadStatus,
            TransportError::NotReady(status) => match status.problem() {
                Some(PrinterProblem::PaperOut) => FailureCode::PaperOut,
                Some(PrinterProblem::CoverOpen) => FailureCode::CoverOpen,
                Some(PrinterProblem::Error) => FailureCode::PrinterError,
                Some(PrinterProblem::Offline) | None => FailureCode::Offline,
            },
        };
        Failure::new(code, e.to_string())
    }
}

/// The final outcome of a print job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// The printer accepted the whole job.
    Printed {
        /// Attempts it took (1 = first time).
        attempts: u32,
    },
    /// The job was not printed and will not be.
    Failed(Failure),
}

impl JobOutcome {
    /// Whether the job printed.
    pub fn is_printed(&self) -> bool {
        matches!(self, JobOutcome::Printed { .. })
    }
}
