//! Printed tickets for Turnero: a ticket's layout as ESC/POS bytes, the transports that
//! carry them to thermal receipt printers, printer status, and a print spool.
//!
//! ```no_run
//! # async fn demo(ticket: turnero_printer::Ticket) -> Result<(), Box<dyn std::error::Error>> {
//! use turnero_printer::{render, PrintJob, PrintOptions, PrinterAddress, Spool, SpoolConfig};
//! let spool = Spool::new(SpoolConfig::default());
//! let address: PrinterAddress = "tcp://10.0.0.5:9100".parse()?;
//! spool.add_printer("entrada", address.transport());
//! let bytes = render(&ticket, &PrintOptions::default());
//! let handle = spool.submit("entrada", PrintJob::new(bytes, ticket.code.clone()))?;
//! let outcome = handle.outcome().await; // Printed, or Failed with a Spanish reason
//! # let _ = outcome; Ok(()) }
//! ```
//!
//! # Layout
//! - [`layout`]: the [`Ticket`] data, [`PrintOptions`] and [`render`].
//! - [`codepage`]: Unicode → PC850 / WPC1252 bytes, with transliteration.
//! - [`escpos`]: the ESC/POS byte builder.
//! - [`qr`]: the QR code, native (`GS ( k`) or raster (`GS v 0`).
//! - `wrap`: word wrapping to the paper's columns.
//! - `es`: every Spanish sentence the crate prints or reports; `en`: the same in English.
//! - [`status`]: `DLE EOT` real-time status, parsed.
//! - [`transport`]: raw TCP, device file and folder transports.
//! - [`address`]: `tcp://`, `file:` and `dir:` printer addresses.
//! - [`spool`]: per-printer queues with retries, time to live and state.
//! - [`outcome`]: job outcomes and failure codes.
//! - [`agent`]: the print agent's loop and its WebSocket messages ([`agent::proto`]),
//!   run by the `turnero-print-agent` binary on a kiosk PC.
//!
//! # Why not the `escpos` crate
//! The `escpos` crate (0.20.1) was checked byte by byte and is wrong exactly where a
//! citizen's ticket must be right: `partial_cut()` sends `1D 56 41 01` (a full cut),
//! `qrcode()` defaults to QR Model 1, its PC850/PC858 encoder sends ASCII `-` as 0xF0
//! and passes characters missing from its tables as raw UTF-8, and its PC858 table lacks
//! `¿` and maps `®` wrongly. Its correct parts (`ESC @`, `ESC a`, `GS !`…) are each a
//! two- or three-byte constant, not worth a dependency that must then be worked around.
//! So this crate uses none of it: [`escpos::EscPos`] writes every command itself, the
//! code page tables are complete and tested against independent published tables, and
//! the snapshot tests pin every byte.
//!
//! # Invariants
//! - No text byte below 0x20 ever reaches the printer: ticket text cannot inject commands.
//! - Rendering never fails and never panics; a job is never sent after its deadline.

#![warn(missing_docs)]

pub mod address;
pub mod agent;
pub mod codepage;
// What the crate says to people: a ticket prints in its `Language`; the printer's own
// reasons are reported in Spanish (`es`), the language of the office's staff.
#[allow(dead_code)]
mod en;
mod es;
pub mod escpos;
pub mod layout;
pub mod outcome;
pub mod qr;
pub mod spool;
pub mod status;
pub mod transport;
mod wrap;

pub use address::{AddressError, PrinterAddress};
pub use codepage::CodePage;
pub use layout::{render, Language, PaperWidth, PrintOptions, QrMode, Ticket};
pub use outcome::{Failure, FailureCode, JobOutcome};
pub use spool::{
    JobHandle, PrintJob, PrinterHealth, PrinterQueue, PrinterState, Spool, SpoolConfig, SubmitError,
};
pub use status::{PrinterProblem, PrinterStatus};
pub use transport::{Transport, TransportError};
