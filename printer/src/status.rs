//! Printer status from the Epson real-time status bytes (`DLE EOT n`, n = 1..=4).
//!
//! Each answer is one byte whose bits 1 and 4 are always 1 and bits 0 and 7 always 0
//! (`b & 0x93 == 0x12`): that is how a real status byte is told from stray data.
//!
//! | query | bit | meaning when set |
//! |---|---|---|
//! | `10 04 01` printer | 3 (0x08) | offline |
//! | `10 04 02` offline cause | 2 (0x04) | cover open |
//! | | 3 (0x08) | paper being fed with the FEED button |
//! | | 5 (0x20) | printing stopped because the paper ran out |
//! | | 6 (0x40) | an error occurred |
//! | `10 04 03` error cause | 3 (0x08) | autocutter error (paper jam: recoverable) |
//! | | 5 (0x20) | unrecoverable error |
//! | | 6 (0x40) | auto-recoverable error (head too hot, cover opened while printing) |
//! | `10 04 04` paper sensors | 2–3 (0x0C) | roll near its end |
//! | | 5–6 (0x60) | paper out |

use crate::es;

/// The four `DLE EOT` queries, in the order their answers are passed to
/// [`PrinterStatus::parse`].
pub const STATUS_QUERIES: [[u8; 3]; 4] = [
    [0x10, 0x04, 0x01],
    [0x10, 0x04, 0x02],
    [0x10, 0x04, 0x03],
    [0x10, 0x04, 0x04],
];

/// Whether `b` has the fixed bits of a real-time status byte.
pub fn is_status_byte(b: u8) -> bool {
    b & 0x93 == 0x12
}

/// A printer's state as reported by `DLE EOT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PrinterStatus {
    /// Ready to print (n=1 bit 3 clear).
    pub online: bool,
    /// The paper cover is open (n=2 bit 2).
    pub cover_open: bool,
    /// The roll is near its end: still printing, change it soon (n=4 bits 2–3).
    pub paper_near_end: bool,
    /// No paper (n=4 bits 5–6, or n=2 bit 5: stopped at paper end).
    pub paper_out: bool,
    /// Autocutter error, e.g. a paper jam (n=3 bit 3).
    pub cutter_error: bool,
    /// Unrecoverable error: the printer needs service (n=3 bit 5).
    pub unrecoverable_error: bool,
    /// Error that clears by itself, e.g. head overheat (n=3 bit 6).
    pub auto_recoverable_error: bool,
    /// The four bytes as received, for logs.
    pub raw: [u8; 4],
}

/// What keeps a printer from printing, most actionable first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrinterProblem {
    /// Out of paper.
    PaperOut,
    /// Cover open.
    CoverOpen,
    /// Cutter, mechanical or other error.
    Error,
    /// Offline for another reason.
    Offline,
}

impl PrinterProblem {
    /// What to tell people, in Spanish.
    pub fn reason(self) -> &'static str {
        match self {
            PrinterProblem::PaperOut => es::PAPER_OUT,
            PrinterProblem::CoverOpen => es::COVER_OPEN,
            PrinterProblem::Error => es::PRINTER_ERROR,
            PrinterProblem::Offline => es::OFFLINE,
        }
    }
}

impl PrinterStatus {
    /// Parses the answers to [`STATUS_QUERIES`]; `Err(byte)` names the first byte that
    /// is not a status byte.
    pub fn parse(raw: [u8; 4]) -> Result<Self, u8> {
        if let Some(&bad) = raw.iter().find(|&&b| !is_status_byte(b)) {
            return Err(bad);
        }
        let [printer, offline, error, paper] = raw;
        Ok(Self {
            online: printer & 0x08 == 0,
            cover_open: offline & 0x04 != 0,
            paper_near_end: paper & 0x0C != 0,
            paper_out: paper & 0x60 != 0 || offline & 0x20 != 0,
            cutter_error: error & 0x08 != 0,
            unrecoverable_error: error & 0x20 != 0,
            auto_recoverable_error: error & 0x40 != 0 || offline & 0x40 != 0,
            raw,
        })
    }

    /// The status of a healthy printer with paper: `12 12 12 12`.
    pub fn ready() -> Self {
        // 0x12 always parses: its fixed bits are right and no flag is set.
        Self {
            online: true,
            cover_open: false,
            paper_near_end: false,
            paper_out: false,
            cutter_error: false,
            unrecoverable_error: false,
            auto_recoverable_error: false,
            raw: [0x12; 4],
        }
    }

    /// The reason this printer cannot print now, if any. Near end is not a problem.
    pub fn problem(&self) -> Option<PrinterProblem> {
        if self.paper_out {
            Some(PrinterProblem::PaperOut)
        } else if self.cover_open {
            Some(PrinterProblem::CoverOpen)
        } else if self.cutter_error || self.unrecoverable_error || self.auto_recoverable_error {
            Some(PrinterProblem::Error)
        } else if !self.online {
            Some(PrinterProblem::Offline)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn healthy_printer() {
        let s = PrinterStatus::parse([0x12, 0x12, 0x12, 0x12]).unwrap();
        assert_eq!(s, PrinterStatus::ready());
        assert_eq!(s.problem(), None);
    }

    #[test]
    fn paper_out_reported_by_tm_t20() {
        // Offline, "stopped at paper end" + error, paper end sensors.
        let s = PrinterStatus::parse([0x1A, 0x32, 0x12, 0x72]).unwrap();
        assert!(!s.online && s.paper_out);
        assert_eq!(s.problem(), Some(PrinterProblem::PaperOut));
    }

    #[test]
    fn cover_open_and_near_end() {
        let s = PrinterStatus::parse([0x1A, 0x16, 0x12, 0x1E]).unwrap();
        assert!(s.cover_open && s.paper_near_end && !s.paper_out);
        assert_eq!(s.problem(), Some(PrinterProblem::CoverOpen));
        let near = PrinterStatus::parse([0x12, 0x12, 0x12, 0x1E]).unwrap();
        assert_eq!(near.problem(), None);
    }

    #[test]
    fn errors() {
        let cutter = PrinterStatus::parse([0x1A, 0x52, 0x1A, 0x12]).unwrap();
        assert!(cutter.cutter_error);
        assert_eq!(cutter.problem(), Some(PrinterProblem::Error));
        let offline = PrinterStatus::parse([0x1A, 0x12, 0x12, 0x12]).unwrap();
        assert_eq!(offline.problem(), Some(PrinterProblem::Offline));
    }

    #[test]
    fn rejects_non_status_bytes() {
        assert_eq!(PrinterStatus::parse([0x12, b'A', 0x12, 0x12]), Err(b'A'));
        assert_eq!(PrinterStatus::parse([0x12, 0x12, 0x12, 0x00]), Err(0));
    }
}
