//! The ticket: its data, the print options, and the layout that turns both into ESC/POS.

use chrono::NaiveDateTime;

use crate::codepage::CodePage;
use crate::escpos::{Align, EscPos};
use crate::qr;
use crate::wrap::wrap;

/// Everything printed on a citizen's ticket. Plain data: the server fills it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// Office name, printed bold at the top.
    pub office_name: String,
    /// Configured header lines under the office name (an empty string is a blank line).
    pub header_lines: Vec<String>,
    /// The turn code, e.g. `A-023`, printed as large as the paper allows.
    pub code: String,
    /// The service (trámite) the turn is for.
    pub service: String,
    /// Preferential category label (e.g. "Adulto mayor") when the turn is preferential.
    pub preferential_category: Option<String>,
    /// Issue date and time, already in the office's time zone.
    pub issued_at: NaiveDateTime,
    /// How many people are ahead in the queue.
    pub people_ahead: u32,
    /// Expected wait in seconds, when the server has an estimate.
    pub expected_wait_secs: Option<u64>,
    /// Address of the turn's status page: what the QR code holds.
    pub status_url: String,
    /// Configured footer lines (an empty string is a blank line).
    pub footer_lines: Vec<String>,
    /// The language of the ticket's own words ("Su turno" / "Your ticket"…): the one the
    /// citizen chose at the kiosk.
    pub language: Language,
}

/// A language the ticket's own words can be printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    /// Spanish.
    #[default]
    Es,
    /// English.
    En,
}

/// Evaluates `$body` with `$m` bound to the text module of `$language`.
macro_rules! in_language {
    ($language:expr, |$m:ident| $body:expr) => {
        match $language {
            Language::Es => {
                use crate::es as $m;
                $body
            }
            Language::En => {
                use crate::en as $m;
                $body
            }
        }
    };
}

/// Paper roll width, which fixes the columns of Font A and the printable dots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PaperWidth {
    /// 80 mm paper: 48 columns, 576 dots (TM-T20, TM-T88 class).
    #[default]
    Mm80,
    /// 58 mm paper: 32 columns, 384 dots.
    Mm58,
}

impl PaperWidth {
    /// Characters per line in Font A (12 × 24 dots).
    pub fn columns(self) -> usize {
        match self {
            PaperWidth::Mm80 => 48,
            PaperWidth::Mm58 => 32,
        }
    }

    /// Printable width in dots at 203 dpi.
    pub fn dots(self) -> usize {
        match self {
            PaperWidth::Mm80 => 576,
            PaperWidth::Mm58 => 384,
        }
    }

    /// Largest QR module, in dots, worth printing: about 1 mm at 80 mm, 0.75 mm at 58 mm.
    pub fn max_qr_module_dots(self) -> u8 {
        match self {
            PaperWidth::Mm80 => 8,
            PaperWidth::Mm58 => 6,
        }
    }
}

/// How the QR code is sent to the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum QrMode {
    /// The printer draws it from the data (`GS ( k`): small job, sharp symbol.
    #[default]
    Native,
    /// We draw it and send a raster image (`GS v 0`), for printers without native QR.
    Raster,
}

/// Per-printer rendering options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PrintOptions {
    /// Paper width.
    pub width: PaperWidth,
    /// Character code table; PC850 unless the printer is set up for WPC1252.
    pub code_page: CodePage,
    /// Native or raster QR code.
    pub qr: QrMode,
}

/// Lines fed after the last text before the cut, so the footer clears the cutter.
const FEED_BEFORE_CUT: u8 = 3;

/// Renders a ticket into the bytes of one ESC/POS print job.
///
/// Never fails: a status address too long for a QR code is printed as text instead
/// (and logged), and characters the code page lacks are transliterated.
pub fn render(ticket: &Ticket, options: &PrintOptions) -> Vec<u8> {
    in_language!(ticket.language, |m| render_with(
        ticket,
        options,
        &Words {
            your_turn: m::YOUR_TURN,
            scan_invitation: m::SCAN_INVITATION,
            follow_at: m::FOLLOW_AT,
            preferential: m::preferential,
            issued_at: m::issued_at,
            people_ahead: m::people_ahead,
            expected_wait: m::expected_wait,
        }
    ))
}

/// The ticket's own words in one language.
struct Words {
    your_turn: &'static str,
    scan_invitation: &'static str,
    follow_at: &'static str,
    preferential: fn(&str) -> String,
    issued_at: fn(&NaiveDateTime) -> String,
    people_ahead: fn(u32) -> String,
    expected_wait: fn(u64) -> String,
}

fn render_with(ticket: &Ticket, options: &PrintOptions, words: &Words) -> Vec<u8> {
    let cp = options.code_page;
    let cols = options.width.columns();
    let mut out = EscPos::with_capacity(match options.qr {
        QrMode::Native => 1024,
        QrMode::Raster => 32 * 1024,
    });
    let text = |out: &mut EscPos, s: &str| {
        for line in wrap(&cp.encode(s), cols) {
            out.line(&line);
        }
    };
    let configured = |out: &mut EscPos, lines: &[String]| {
        for s in lines {
            let wrapped = wrap(&cp.encode(s), cols);
            if wrapped.is_empty() {
                out.line(b"");
            }
            for line in wrapped {
                out.line(&line);
            }
        }
    };

    out.init().code_page(cp).align(Align::Center);
    out.bold(true);
    text(&mut out, &ticket.office_name);
    out.bold(false);
    configured(&mut out, &ticket.header_lines);
    out.line(b"");

    text(&mut out, words.your_turn);
    let code = cp.encode(&ticket.code);
    let size = code_size(code.len(), cols);
    out.char_size(size, size).bold(true);
    for line in wrap(&code, cols / usize::from(size)) {
        out.line(&line);
    }
    out.char_size(1, 1).bold(false);
    out.line(b"");

    out.bold(true);
    text(&mut out, &ticket.service);
    out.bold(false);
    if let Some(category) = &ticket.preferential_category {
        text(&mut out, &(words.preferential)(category));
    }
    text(&mut out, &(words.issued_at)(&ticket.issued_at));
    text(&mut out, &(words.people_ahead)(ticket.people_ahead));
    if let Some(secs) = ticket.expected_wait_secs {
        text(&mut out, &(words.expected_wait)(secs));
    }

    if !ticket.status_url.is_empty() {
        out.line(b"");
        let data = ticket.status_url.as_bytes();
        let drawn = match options.qr {
            QrMode::Native => qr::native(&mut out, data, options.width),
            QrMode::Raster => qr::raster(&mut out, data, options.width),
        };
        match drawn {
            Ok(()) => {
                out.line(b"");
                text(&mut out, words.scan_invitation);
            }
            Err(error) => {
                tracing::warn!(%error, code = %ticket.code, "QR code not printed; printing the address");
                text(&mut out, words.follow_at);
                text(&mut out, &ticket.status_url);
            }
        }
    }

    if !ticket.footer_lines.is_empty() {
        out.line(b"");
        configured(&mut out, &ticket.footer_lines);
    }
    out.feed_lines(FEED_BEFORE_CUT).partial_cut(0);
    out.into_bytes()
}

/// The largest `GS !` multiplier (1..=8) at which `len` characters fit `cols` columns.
fn code_size(len: usize, cols: usize) -> u8 {
    (cols / len.max(1)).clamp(1, 8) as u8
}

#[cfg(test)]
mod tests {
    use super::code_size;

    #[test]
    fn code_is_as_large_as_fits() {
        assert_eq!(code_size(5, 48), 8);
        assert_eq!(code_size(5, 32), 6);
        assert_eq!(code_size(7, 48), 6);
        assert_eq!(code_size(9, 32), 3);
        assert_eq!(code_size(60, 48), 1);
        assert_eq!(code_size(0, 48), 8);
    }
}
