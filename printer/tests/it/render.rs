//! Rendering: byte snapshots, and every job read back by the independent decoder.

use turnero_printer::{render, CodePage, PaperWidth, PrintOptions, QrMode, Ticket};

use crate::decoder::{decode, decode_raster_qr};
use crate::fixtures::{all_options, ticket, SERVICE, URL};

#[test]
fn snapshots_of_every_combination() {
    for (name, options) in all_options() {
        let bytes = render(&ticket(), &options);
        let decoded = decode(&bytes);
        insta::assert_snapshot!(name, decoded.listing);
    }
}

#[test]
fn default_options_are_80mm_pc850_native() {
    let o = PrintOptions::default();
    assert_eq!(
        (o.width, o.code_page, o.qr),
        (PaperWidth::Mm80, CodePage::Pc850, QrMode::Native)
    );
}

#[test]
fn every_job_reads_back_right() {
    for (name, options) in all_options() {
        let bytes = render(&ticket(), &options);
        let d = decode(&bytes);
        let cols = options.width.columns();

        assert!(d.initialized, "{name}: ESC @");
        assert_eq!(d.code_page, Some(options.code_page.esc_t()), "{name}");
        assert_eq!(d.cut, Some((66, 0)), "{name}: partial cut GS V B 0");
        assert_eq!(d.bytes_after_cut, 0, "{name}: the cut ends the job");
        assert!(bytes.starts_with(&[0x1B, 0x40, 0x1B, 0x74]), "{name}");

        let text = d.text();
        let joined = d
            .lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        for needle in [
            "ñ",
            "¿",
            "á",
            "é",
            "í",
            "ó",
            "·",
            "Registraduría Auxiliar · Sede Centro",
        ] {
            assert!(
                joined.contains(needle),
                "{name}: {needle:?} missing from\n{text}"
            );
        }
        assert!(
            joined.contains("Atención preferencial · Adulto mayor"),
            "{name}"
        );
        assert!(text.contains("5 de marzo de 2025 · 09:41"), "{name}");
        assert!(text.contains("Personas antes de usted: 7"), "{name}");
        assert!(text.contains("Espera estimada: 12 min"), "{name}");
        match options.code_page {
            CodePage::Pc850 => assert!(joined.contains("paciencia - \"Turnero\""), "{name}"),
            CodePage::Wpc1252 => assert!(joined.contains("paciencia — “Turnero”"), "{name}"),
        }

        // Every line fits the paper at its character size.
        for line in &d.lines {
            let width = line.bytes.len() * usize::from(line.size.0);
            assert!(width <= cols, "{name}: {:?} is {width} columns", line.text);
        }

        // The code: alone on its line, as large as fits.
        let code = d
            .lines
            .iter()
            .find(|l| l.text == "A-023")
            .expect("code line");
        let expected = match options.width {
            PaperWidth::Mm80 => 8,
            PaperWidth::Mm58 => 6,
        };
        assert_eq!(code.size, (expected, expected), "{name}");
        assert!(code.bold);
        assert!(d
            .lines
            .iter()
            .filter(|l| l.size != (1, 1))
            .all(|l| l.text == "A-023"));

        // The long service wraps onto whole words and reads back whole.
        let service_lines: Vec<&str> = d
            .lines
            .iter()
            .filter(|l| l.bold && l.size == (1, 1) && SERVICE.contains(l.text.as_str()))
            .map(|l| l.text.as_str())
            .collect();
        assert!(service_lines.len() >= 2, "{name}: service wraps");
        assert_eq!(service_lines.join(" "), SERVICE, "{name}");
        for l in &service_lines {
            assert!(!l.starts_with(' ') && !l.ends_with(' '));
        }

        let invitation = "Escanee el código para seguir su turno y calificar la atención";
        let joined = d
            .lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(joined.contains(invitation), "{name}");

        match options.qr {
            QrMode::Native => {
                assert_eq!(d.qr.len(), 1, "{name}");
                assert!(d.rasters.is_empty());
                let qr = &d.qr[0];
                assert_eq!(qr.data, URL.as_bytes(), "{name}");
                assert_eq!(qr.model, 50, "{name}: Model 2");
                assert_eq!(qr.ec, 49, "{name}: level M");
                // 66 bytes need version 5 (37 modules) at level M.
                let quiet = 8;
                assert!((37 + quiet) * usize::from(qr.module) <= options.width.dots());
                assert!(qr.module >= 4, "{name}: big enough to scan");
            }
            QrMode::Raster => {
                assert!(d.qr.is_empty());
                assert_eq!(d.rasters.len(), 1, "{name}");
                let r = &d.rasters[0];
                assert_eq!(r.width_bytes * 8, options.width.dots(), "{name}");
                assert_eq!(decode_raster_qr(r), URL, "{name}");
            }
        }
    }
}

fn minimal() -> Ticket {
    Ticket {
        office_name: "Oficina".into(),
        header_lines: vec![],
        code: "B-7".into(),
        service: "Certificados".into(),
        preferential_category: None,
        issued_at: chrono::NaiveDate::from_ymd_opt(2025, 12, 31)
            .unwrap()
            .and_hms_opt(23, 59, 0)
            .unwrap(),
        people_ahead: 0,
        expected_wait_secs: None,
        status_url: "https://t.example/b7".into(),
        footer_lines: vec![],
        language: Default::default(),
    }
}

#[test]
fn optional_lines_are_left_out() {
    let d = decode(&render(&minimal(), &PrintOptions::default()));
    let text = d.text();
    assert!(!text.contains("preferencial"));
    assert!(!text.contains("Espera"));
    assert!(text.contains("Personas antes de usted: 0"));
    assert!(text.contains("31 de diciembre de 2025 · 23:59"));
}

#[test]
fn short_wait_in_plain_spanish() {
    let mut t = minimal();
    t.expected_wait_secs = Some(25);
    let text = decode(&render(&t, &PrintOptions::default())).text();
    assert!(text.contains("Espera estimada: menos de 1 min"));
}

#[test]
fn a_ticket_in_english_prints_its_own_words_in_english() {
    let mut t = ticket();
    t.language = turnero_printer::Language::En;
    let text = decode(&render(&t, &PrintOptions::default())).text();
    for words in [
        "Your ticket",
        "Priority service",
        "5 March 2025 · 09:41",
        "People ahead of you: 7",
        "Estimated wait: 12 min",
    ] {
        assert!(text.contains(words), "{words:?} in {text}");
    }
    assert!(!text.contains("Su turno"));
    // The office's own lines and names are printed as configured.
    assert!(text.contains("Adulto mayor"));
}

#[test]
fn long_codes_shrink_to_fit() {
    let mut t = minimal();
    for code in ["PREF-1234", "TRAMITE-ESPECIAL-0001", &"X".repeat(60)] {
        t.code = code.to_string();
        for width in [PaperWidth::Mm80, PaperWidth::Mm58] {
            let o = PrintOptions {
                width,
                ..Default::default()
            };
            let d = decode(&render(&t, &o));
            for l in &d.lines {
                assert!(l.bytes.len() * usize::from(l.size.0) <= width.columns());
            }
            if code.len() <= width.columns() {
                let line = d
                    .lines
                    .iter()
                    .find(|l| l.text == code)
                    .expect("code on one line");
                assert!(code.len() * usize::from(line.size.0) <= width.columns());
                assert!(
                    code.len() * usize::from(line.size.0 + 1) > width.columns() || line.size.0 == 8
                );
            }
        }
    }
}

#[test]
fn text_cannot_inject_commands() {
    let mut t = minimal();
    t.office_name = "Oficina\x1b@\x1dV\x41\x00 \u{1F600}".into();
    t.footer_lines = vec!["\x10\x04\x01fin\r\n".into()];
    // The decoder panics on any command or control byte it does not expect.
    let d = decode(&render(&t, &PrintOptions::default()));
    assert!(d.text().contains("Oficina@VA ?"));
    assert!(d.text().contains("fin"));
}

#[test]
fn an_address_too_long_for_a_qr_code_is_printed_as_text() {
    let mut t = minimal();
    t.status_url = format!("https://t.example/{}", "a".repeat(3000));
    for qr in [QrMode::Native, QrMode::Raster] {
        let d = decode(&render(
            &t,
            &PrintOptions {
                qr,
                ..Default::default()
            },
        ));
        assert!(d.qr.is_empty() && d.rasters.is_empty());
        assert!(d.text().contains("Siga su turno en:"));
        assert_eq!(d.cut, Some((66, 0)));
    }
}

#[test]
fn no_address_no_qr() {
    let mut t = minimal();
    t.status_url.clear();
    let d = decode(&render(&t, &PrintOptions::default()));
    assert!(d.qr.is_empty());
    assert!(!d.text().contains("Escanee"));
}
