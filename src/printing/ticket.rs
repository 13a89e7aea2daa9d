//! What a turn's printed ticket says: the printer crate's [`Ticket`] filled in from the
//! office's configuration and the turn's view, in the office's local time.

use crate::domain::{OfficeSpec, TicketView};
use crate::i18n::es;
use crate::views;
use turnero_printer::{render, PrintOptions, Ticket};

/// The printed ticket of a turn. `header`/`footer` are the office's configured lines;
/// `reprint` adds a line saying it is a copy.
pub fn ticket(
    spec: &OfficeSpec,
    view: &TicketView,
    header: &[String],
    footer: &[String],
    reprint: bool,
    base: &str,
) -> Ticket {
    let json = views::ticket(spec, view, base);
    let mut header_lines = header.to_vec();
    if reprint {
        header_lines.push(es::REPRINT_LINE.to_owned());
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
    base: &str,
) -> Vec<u8> {
    render(&ticket(spec, view, header, footer, reprint, base), options)
}
