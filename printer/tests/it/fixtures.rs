//! The fixed ticket the snapshot and decoder tests print.

use chrono::NaiveDate;
use turnero_printer::{CodePage, PaperWidth, PrintOptions, QrMode, Ticket};

pub const SERVICE: &str =
    "Duplicado de cédula por pérdida o daño y rectificación de datos del registro civil";
pub const URL: &str = "https://turnero.example.gov.co/t/centro/2025-03-05/A-023?k=9f3ac1d2";

pub fn ticket() -> Ticket {
    Ticket {
        office_name: "Registraduría Auxiliar · Sede Centro".into(),
        header_lines: vec![
            "Calle 26 # 51-50, Bogotá".into(),
            "Lunes a viernes, 8:00 a 17:00".into(),
        ],
        code: "A-023".into(),
        service: SERVICE.into(),
        preferential_category: Some("Adulto mayor".into()),
        issued_at: NaiveDate::from_ymd_opt(2025, 3, 5)
            .unwrap()
            .and_hms_opt(9, 41, 7)
            .unwrap(),
        people_ahead: 7,
        expected_wait_secs: Some(12 * 60 + 20),
        status_url: URL.into(),
        footer_lines: vec![
            "¿Necesita ayuda? Acérquese al punto de información.".into(),
            String::new(),
            "Gracias por su paciencia — “Turnero”".into(),
        ],
        language: Default::default(),
    }
}

/// Every combination of paper, code page and QR mode, with a snapshot-friendly name.
pub fn all_options() -> Vec<(String, PrintOptions)> {
    let mut all = Vec::new();
    for (w, width) in [("80mm", PaperWidth::Mm80), ("58mm", PaperWidth::Mm58)] {
        for (c, code_page) in [("pc850", CodePage::Pc850), ("wpc1252", CodePage::Wpc1252)] {
            for (q, qr) in [("native", QrMode::Native), ("raster", QrMode::Raster)] {
                all.push((
                    format!("{w}_{c}_{q}"),
                    PrintOptions {
                        width,
                        code_page,
                        qr,
                    },
                ));
            }
        }
    }
    all
}
