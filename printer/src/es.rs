//! Everything the printer crate says to people, in Spanish (usted, plain words).
//!
//! Another language would be a sibling module with the same functions.

use chrono::{Datelike, NaiveDateTime, Timelike};

/// Label above the turn code.
pub const YOUR_TURN: &str = "Su turno";

/// Invitation printed under the QR code.
pub const SCAN_INVITATION: &str = "Escanee el código para seguir su turno y calificar la atención";

/// Printed instead of the QR code when the address is too long to fit one.
pub const FOLLOW_AT: &str = "Siga su turno en:";

const MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// "Atención preferencial · Adulto mayor".
pub fn preferential(category: &str) -> String {
    format!("Atención preferencial · {category}")
}

/// "5 de marzo de 2025 · 09:41" (the office's local time).
pub fn issued_at(at: &NaiveDateTime) -> String {
    let month = MONTHS[at.month0() as usize % 12];
    format!(
        "{} de {} de {} · {:02}:{:02}",
        at.day(),
        month,
        at.year(),
        at.hour(),
        at.minute()
    )
}

/// "Personas antes de usted: 3".
pub fn people_ahead(n: u32) -> String {
    format!("Personas antes de usted: {n}")
}

/// "Espera estimada: 12 min", "menos de 1 min", "1 h 5 min" (rounded to the minute).
pub fn expected_wait(secs: u64) -> String {
    if secs < 60 {
        return "Espera estimada: menos de 1 min".to_owned();
    }
    let minutes = secs.saturating_add(30) / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("Espera estimada: {m} min"),
        (h, 0) => format!("Espera estimada: {h} h"),
        (h, m) => format!("Espera estimada: {h} h {m} min"),
    }
}

/// The printer has no paper.
pub const PAPER_OUT: &str = "La impresora no tiene papel.";
/// The cover is open.
pub const COVER_OPEN: &str = "La tapa de la impresora está abierta.";
/// Cutter, mechanical or other error.
pub const PRINTER_ERROR: &str = "La impresora tiene un error (cortador o mecanismo).";
/// Offline for another reason.
pub const OFFLINE: &str = "La impresora está fuera de línea.";
/// No connection could be opened.
pub const UNREACHABLE: &str = "No se pudo conectar con la impresora.";
/// The printer did not answer in time.
pub const TIMEOUT: &str = "La impresora no respondió a tiempo.";
/// The connection dropped while sending.
pub const CONNECTION_LOST: &str = "Se perdió la conexión con la impresora durante la impresión.";
/// Any other I/O failure.
pub const IO_ERROR: &str = "No se pudo enviar el turno a la impresora.";
/// The answer to a status query made no sense.
pub const BAD_STATUS: &str = "La impresora respondió algo inesperado.";
/// The queue was stopped before the job printed.
pub const SPOOL_STOPPED: &str = "La cola de impresión se detuvo.";

/// The job's time to live ran out; `last` is the last failure's reason, if any.
pub fn expired(last: Option<&str>) -> String {
    let base = "El turno no se imprimió a tiempo y se descartó para no imprimirlo tarde.";
    match last {
        Some(last) => format!("{base} {last}"),
        None => base.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_in_plain_spanish() {
        assert_eq!(expected_wait(0), "Espera estimada: menos de 1 min");
        assert_eq!(expected_wait(59), "Espera estimada: menos de 1 min");
        assert_eq!(expected_wait(60), "Espera estimada: 1 min");
        assert_eq!(expected_wait(12 * 60 + 10), "Espera estimada: 12 min");
        assert_eq!(expected_wait(3600), "Espera estimada: 1 h");
        assert_eq!(expected_wait(3600 + 5 * 60), "Espera estimada: 1 h 5 min");
        assert!(expected_wait(u64::MAX).starts_with("Espera estimada: "));
    }

    #[test]
    fn dates_in_spanish() {
        let at = chrono::NaiveDate::from_ymd_opt(2025, 3, 5)
            .unwrap()
            .and_hms_opt(9, 41, 7)
            .unwrap();
        assert_eq!(issued_at(&at), "5 de marzo de 2025 · 09:41");
    }
}
