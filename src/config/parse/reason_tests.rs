//! `out_of_order_reasons`: the defaults, the office's own list in its order, mistakes by
//! line.

use super::*;

/// The demo office with `table` written before its first service.
fn with_reasons(table: &str) -> String {
    super::super::DEMO_TOML.replacen(
        "\n[[offices.services]]",
        &format!("\n{table}\n\n[[offices.services]]"),
        1,
    )
}

/// The line of the file that starts with `start`.
fn line_of(text: &str, start: &str) -> usize {
    text.lines().position(|l| l.starts_with(start)).unwrap() + 1
}

#[test]
fn an_office_without_a_list_has_the_protocols_reasons() {
    let c = parse(super::super::DEMO_TOML).unwrap();
    let ids: Vec<_> = c.offices[0]
        .out_of_order_reasons
        .iter()
        .map(|r| (r.id.as_str(), r.label.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("cita", "Cita programada"),
            ("error", "Llamado por error"),
            ("relacionado", "Trámite relacionado"),
            ("otro", "Otro motivo")
        ]
    );
}

#[test]
fn an_offices_own_reasons_keep_the_order_they_are_written_in() {
    let c = parse(&with_reasons(
        r#"out_of_order_reasons = { urgencia = "Urgencia médica", cita = " Cita previa ", otro = "Otro" }"#,
    ))
    .unwrap();
    let ids: Vec<_> = c.offices[0]
        .out_of_order_reasons
        .iter()
        .map(|r| (r.id.as_str(), r.label.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("urgencia", "Urgencia médica"),
            ("cita", "Cita previa"),
            ("otro", "Otro")
        ]
    );
}

#[test]
fn bad_reasons_are_reported_at_their_line() {
    let text = with_reasons("[offices.out_of_order_reasons]");
    let errors = parse(&text).unwrap_err();
    assert_eq!(
        errors[0].line,
        line_of(&text, "[offices.out_of_order_reasons]"),
        "{errors:?}"
    );
    assert!(
        errors[0].message.contains("al menos un motivo"),
        "{errors:?}"
    );
    let text = with_reasons("[offices.out_of_order_reasons]\nCita = \"Cita\"\nerror = \"\"");
    let errors = parse(&text).unwrap_err();
    let (cita, error) = (line_of(&text, "Cita ="), line_of(&text, "error ="));
    let lines: Vec<_> = errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    assert!(
        lines
            .iter()
            .any(|(l, m)| *l == cita && m.contains("«Cita» solo puede tener minúsculas")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|(l, m)| *l == error && m.contains("«error» necesita un texto")),
        "{lines:?}"
    );
}
