//! Render speed without criterion: `cargo bench -p turnero-printer --bench render`.
//! Prints the mean time per render for each paper width and QR mode.

use std::hint::black_box;
use std::time::Instant;

use chrono::NaiveDate;
use turnero_printer::{render, CodePage, PaperWidth, PrintOptions, QrMode, Ticket};

fn ticket() -> Option<Ticket> {
    Some(Ticket {
        office_name: "Registraduría Auxiliar · Sede Centro".into(),
        header_lines: vec!["Calle 26 # 51-50, Bogotá".into()],
        code: "A-023".into(),
        service: "Duplicado de cédula por pérdida o daño y rectificación de datos".into(),
        preferential_category: Some("Adulto mayor".into()),
        issued_at: NaiveDate::from_ymd_opt(2025, 3, 5)?.and_hms_opt(9, 41, 7)?,
        people_ahead: 7,
        expected_wait_secs: Some(740),
        status_url: "https://turnero.example.gov.co/t/centro/2025-03-05/A-023?k=9f3ac1d2".into(),
        footer_lines: vec!["¿Necesita ayuda? Acérquese al punto de información.".into()],
        language: Default::default(),
    })
}

fn main() {
    let Some(ticket) = ticket() else { return };
    // `cargo bench` passes `--bench`; a test run (`cargo test --benches`) does one round.
    let quick = !std::env::args().any(|a| a == "--bench");
    for (width, wname) in [(PaperWidth::Mm80, "80mm"), (PaperWidth::Mm58, "58mm")] {
        for (qr, qname) in [(QrMode::Native, "native"), (QrMode::Raster, "raster")] {
            let options = PrintOptions {
                width,
                code_page: CodePage::Pc850,
                qr,
            };
            let iterations = match (quick, qr) {
                (true, _) => 1,
                (false, QrMode::Native) => 20_000,
                (false, QrMode::Raster) => 2_000,
            };
            for _ in 0..iterations / 10 {
                black_box(render(black_box(&ticket), &options));
            }
            let start = Instant::now();
            let mut bytes = 0;
            for _ in 0..iterations {
                bytes = black_box(render(black_box(&ticket), &options)).len();
            }
            let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);
            println!(
                "render {wname} {qname:6}: {per:8.1} µs/ticket ({bytes} bytes, {iterations} runs)"
            );
        }
    }
}
