//! What a turn's printed ticket says: the printer crate's [`Ticket`] filled in from the
//! office's configuration and the turn's view, in the office's local time.

use crate::domain::Language;
use crate::domain::{OfficeSpec, TicketView};
use crate::views::{self, Audience};
use turnero_printer::{render, PrintOptions, Ticket};

/// The printed ticket of a turn. `header`/`footer` are the office's configured lines;
/// `reprint` adds a line saying it is a copy. Its own words and the names in it are in
/// the audience's language.
pub fn ticket(
    spec: &OfficeSpec,
    view: &TicketView,
    header: &[String],
    footer: &[String],
    reprint: bool,
    to: &Audience,
) -> Ticket {
    let json = views::ticket(spec, view, to);
    let mut header_lines = header.to_vec();
    if reprint {
        header_lines.push(crate::in_language!(to.language, |m| m::REPRINT_LINE).to_owned());
    }
    Ticket {
        office_name: spec.name.clone(),
        header_lines,
        code: json.code,
        service: json.service_name,
        preferential_category: json.preferential.then_some(json.category_label),
        issued_at: view
            .ticket
            .issued_at
            .with_timezone(&spec.timezone)
            .naive_local(),
        people_ahead: view.position.unwrap_or(0),
        expected_wait_secs: view.estimated_wait_seconds.map(u64::from),
        status_url: json.status_url,
        footer_lines: footer.to_vec(),
        language: printed(to.language),
    }
}

/// The printer crate's name for a language.
fn printed(language: Language) -> turnero_printer::Language {
    match language {
        Language::Es => turnero_printer::Language::Es,
        Language::En => turnero_printer::Language::En,
    }
}

/// The ESC/POS bytes of a turn's ticket.
pub fn escpos(
    spec: &OfficeSpec,
    view: &TicketView,
    header: &[String],
    footer: &[String],
    reprint: bool,
    options: &PrintOptions,
    to: &Audience,
) -> Vec<u8> {
    render(&ticket(spec, view, header, footer, reprint, to), options)
}
