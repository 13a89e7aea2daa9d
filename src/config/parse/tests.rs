//! The configuration parser on the demo office and on files with mistakes in them.

use super::*;
use crate::config::KioskPrinter;

#[test]
fn the_demo_parses_as_api_md_describes() {
    let c = parse(super::super::DEMO_TOML).unwrap();
    let o = &c.offices[0];
    assert_eq!(
        (o.id.as_str(), o.name.as_str()),
        ("central", "Oficina Central")
    );
    let services: Vec<_> = o
        .services
        .iter()
        .map(|s| (s.id.as_str(), s.prefix.as_str()))
        .collect();
    assert_eq!(
        services,
        [("registro", "A"), ("catastro", "B"), ("caja", "C")]
    );
    let preferential: Vec<_> = o
        .categories
        .iter()
        .map(|c| (c.id.as_str(), c.preferential))
        .collect();
    assert_eq!(
        preferential,
        [
            ("general", false),
            ("adulto_mayor", true),
            ("embarazada", true),
            ("discapacidad", true),
            ("nino_en_brazos", true)
        ]
    );
    assert_eq!(o.counters[2].services, [1, 2]);
    assert_eq!(o.counters[3].services, [0, 1, 2]);
}

#[test]
fn every_error_is_reported_with_its_line() {
    let text = r#"
[[offices]]
id = "Central"
name = "X"
timezone = "America/Bogot"
[offices.hours]
mon = ["08:00-12:00", "11:00-17:00"]
tue = ["8-12"]

[[offices.services]]
id = "a"
name = "A"
prefix = "A"

[[offices.services]]
id = "b"
name = "B"
prefix = "A"

[[offices.counters]]
id = "v1"
name = "V1"
services = ["a", "zzz"]

[[users]]
username = "ana"
name = "Ana"
role = "jefa"
password_hash = "x"
"#;
    let errors = parse(text).unwrap_err();
    let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
    let all = errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    for expected in [3, 5, 7, 8, 18, 23, 28, 29] {
        assert!(
            lines.contains(&expected),
            "no error on line {expected}:\n{all}"
        );
    }
    assert!(all.contains("zona horaria"), "{all}");
    assert!(
        all.contains("ninguna ventanilla atiende el servicio «b»"),
        "{all}"
    );
}

#[test]
fn kiosks_and_their_printers() {
    let hash = format!("sha256:{}", "ab".repeat(32));
    let device = format!("sha256:{}", "cd".repeat(32));
    let text = format!(
        r#"{}
[[offices.kiosks]]
id = "caja1"
name = "Caja"
token_hash = "{device}"
printer = "tcp://10.0.0.5:9100"
width = 58
code_page = "wpc1252"
qr = "raster"

[[offices.kiosks]]
id = "piso2"
name = "Segundo piso"
printer = "agent"
agent_token_hash = "{hash}"
ttl_seconds = 30
"#,
        super::super::DEMO_TOML
    );
    let c = parse(&text).unwrap();
    let kiosks = c.kiosks("central");
    assert_eq!(kiosks.len(), 3, "the demo's own screen-only kiosk and two");
    assert_eq!(kiosks[0].id, "entrada");
    assert!(kiosks[0].printer.is_none() && kiosks[0].token_hash.is_none());
    assert!(
        matches!(&kiosks[1].printer, Some(KioskPrinter::Direct(a)) if a.to_string() == "tcp://10.0.0.5:9100")
    );
    assert_eq!(kiosks[1].token_hash.as_deref(), Some(device.as_str()));
    assert_eq!(kiosks[1].options.width, turnero_printer::PaperWidth::Mm58);
    assert_eq!(
        kiosks[1].options.code_page,
        turnero_printer::CodePage::Wpc1252
    );
    assert_eq!(kiosks[1].options.qr, turnero_printer::QrMode::Raster);
    assert_eq!(kiosks[1].ttl, std::time::Duration::from_secs(60));
    assert!(
        matches!(&kiosks[2].printer, Some(KioskPrinter::Agent { token_hash }) if *token_hash == hash)
    );
    assert_eq!(kiosks[2].ttl, std::time::Duration::from_secs(30));
    assert!(c.kiosks("otra").is_empty());
}

#[test]
fn an_office_says_who_may_issue_its_turns() {
    use crate::config::Ticketing;
    let demo = super::super::DEMO_TOML;
    let demo_rules = parse(demo).unwrap().issuing("central");
    assert_eq!(demo_rules.mode, Ticketing::Open, "the demo is open to try");
    assert_eq!(
        (demo_rules.open_limit, demo_rules.open_window.as_secs()),
        (5, 600)
    );
    let configured = parse(&demo.replacen("ticketing = \"open\"\n", "", 1)).unwrap();
    assert_eq!(
        configured.issuing("central").mode,
        Ticketing::Kiosks,
        "a configured office issues only at kiosks unless it says otherwise"
    );
    let limited = parse(&demo.replacen(
        "ticketing = \"open\"",
        "ticketing = \"open\"\nopen_limit = 2\nopen_limit_minutes = 30",
        1,
    ))
    .unwrap()
    .issuing("central");
    assert_eq!(
        (limited.open_limit, limited.open_window.as_secs()),
        (2, 1800)
    );
    let errors = parse(&demo.replacen(
        "ticketing = \"open\"",
        "ticketing = \"libre\"\nopen_limit = 0",
        1,
    ))
    .unwrap_err();
    assert!(
        errors.iter().any(|e| e.message.contains("ticketing")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.message.contains("open_limit")),
        "{errors:?}"
    );
    let line = demo
        .lines()
        .position(|l| l.starts_with("ticketing"))
        .unwrap()
        + 1;
    assert_eq!(errors[0].line, line);
    let bad_hash = parse(&format!(
        "{demo}\n[[offices.kiosks]]\nid = \"k2\"\nname = \"K2\"\ntoken_hash = \"md5:1\"\n"
    ))
    .unwrap_err();
    assert!(
        bad_hash[0].message.contains("turnero new-device-token"),
        "{bad_hash:?}"
    );
}

#[test]
fn bad_kiosks_are_reported_by_line() {
    let text = format!(
        r#"{}
[[offices.kiosks]]
id = "Entrada"
name = "Entrada"
printer = "lpt1"
width = 76
code_page = "utf8"

[[offices.kiosks]]
id = "b"
name = "B"
printer = "agent"

[[offices.kiosks]]
id = "c"
name = "C"
printer = "agent"
agent_token_hash = "md5:123"
qr = "svg"
ttl_seconds = 3600
"#,
        super::super::DEMO_TOML
    );
    let base = super::super::DEMO_TOML.lines().count();
    let errors = parse(&text).unwrap_err();
    let lines: Vec<_> = errors.iter().map(|e| e.line - base).collect();
    let all = errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    for expected in [3, 5, 6, 7, 12, 18, 19, 20] {
        assert!(
            lines.contains(&expected),
            "no error on line {expected}:\n{all}"
        );
    }
    assert!(all.contains("falta agent_token_hash"), "{all}");
    assert!(all.contains("tcp://equipo:9100"), "{all}");
}

#[test]
fn syntax_errors_have_a_line() {
    let errors = parse("[[offices]]\nid = \n").unwrap_err();
    assert_eq!(errors[0].line, 2);
    let errors = parse("[[offices]]\nid = \"a\"\nbogus = 1\n").unwrap_err();
    assert_eq!(errors[0].line, 3, "{:?}", errors);
}

#[test]
fn waitaof_is_off_unless_asked_for() {
    let with =
        |server: &str| parse(&format!("[server]\n{server}\n{}", super::super::DEMO_TOML)).unwrap();
    assert_eq!(with("").server.redis_waitaof, None);
    assert_eq!(with("redis_waitaof = false").server.redis_waitaof, None);
    assert_eq!(with("redis_waitaof = true").server.redis_waitaof, Some(0));
    assert_eq!(
        with("redis_waitaof = true\nredis_waitaof_replicas = 2")
            .server
            .redis_waitaof,
        Some(2)
    );
    assert_eq!(
        with("redis_waitaof_replicas = 1").server.redis_waitaof,
        Some(1)
    );
}

#[test]
fn max_connections_is_optional_and_never_zero() {
    let with = |line: &str| parse(&format!("[server]\n{line}\n{}", super::super::DEMO_TOML));
    assert_eq!(with("").unwrap().server.max_connections, None);
    assert_eq!(
        with("max_connections = 40").unwrap().server.max_connections,
        Some(40)
    );
    let errors = with("max_connections = 0").unwrap_err();
    assert_eq!(errors[0].line, 2, "{errors:?}");
    assert!(errors[0].message.contains("max_connections"), "{errors:?}");
    assert!(with("max_connections = -1").is_err());
}

#[test]
fn insecure_push_endpoints_are_refused_unless_the_server_says_otherwise() {
    let with =
        |line: &str| parse(&format!("[server]\n{line}\n{}", super::super::DEMO_TOML)).unwrap();
    assert!(!with("").server.allow_insecure_push_endpoints);
    assert!(
        with("allow_insecure_push_endpoints = true")
            .server
            .allow_insecure_push_endpoints
    );
}

#[test]
fn frame_ancestors_must_be_origins() {
    let with = |line: &str| parse(&format!("[server]\n{line}\n{}", super::super::DEMO_TOML));
    let ok = with(r#"frame_ancestors = ["https://intranet.example.gov", "http://tv.local:8080"]"#)
        .unwrap();
    assert_eq!(ok.server.frame_ancestors.len(), 2);
    for bad in [
        "*",
        "https://x; script-src *",
        "intranet",
        "javascript:alert(1)",
        "https://",
    ] {
        let errors = with(&format!("frame_ancestors = [{bad:?}]")).unwrap_err();
        assert_eq!(errors[0].line, 2, "{bad}: {errors:?}");
        assert!(errors[0].message.contains("frame_ancestors"), "{errors:?}");
    }
}

#[test]
fn a_service_says_what_happens_when_its_numbers_run_out() {
    use crate::domain::OnExhausted;
    let demo = super::super::DEMO_TOML;
    let with =
        |line: &str| parse(&demo.replacen("prefix = \"A\"", &format!("prefix = \"A\"\n{line}"), 1));
    assert_eq!(
        with("").unwrap().offices[0].services[0].on_exhausted,
        OnExhausted::Wrap
    );
    let refuse = with("on_range_exhausted = \"refuse\"").unwrap();
    assert_eq!(
        refuse.offices[0].services[0].on_exhausted,
        OnExhausted::Refuse
    );
    let errors = with("on_range_exhausted = \"borrar\"").unwrap_err();
    assert!(
        errors[0].message.contains("on_range_exhausted"),
        "{errors:?}"
    );
}

#[test]
fn an_office_only_kiosks_may_issue_at_without_a_pairable_kiosk_is_pointed_out() {
    let demo = super::super::DEMO_TOML;
    assert!(
        parse(demo).unwrap().warnings().is_empty(),
        "the demo is open"
    );
    let closed = parse(&demo.replacen("ticketing = \"open\"\n", "", 1)).unwrap();
    let warnings = closed.warnings();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].contains("turnero new-device-token"),
        "{warnings:?}"
    );
    let paired = parse(&demo.replacen("ticketing = \"open\"\n", "", 1).replacen(
        "name = \"Kiosco de la entrada\"\n",
        &format!(
            "name = \"Kiosco de la entrada\"\ntoken_hash = \"sha256:{}\"\n",
            "ab".repeat(32)
        ),
        1,
    ))
    .unwrap();
    assert!(paired.warnings().is_empty());
}

#[test]
fn qr_codes_that_lead_to_this_machine_only_are_pointed_out() {
    let demo = super::super::DEMO_TOML;
    let local = parse(&format!(
        "[server]\npublic_url = \"http://localhost:8080\"\n\n{demo}"
    ))
    .unwrap();
    let warnings = local.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("ningún teléfono podrá abrirlos")),
        "{warnings:?}"
    );
    let reachable = parse(&format!(
        "[server]\npublic_url = \"https://turnos.example.org\"\n\n{demo}"
    ))
    .unwrap();
    assert!(reachable.warnings().is_empty());
}

#[test]
fn a_service_may_have_a_pictogram_of_the_kiosks_set() {
    let demo = super::super::DEMO_TOML;
    let c = parse(demo).unwrap();
    let names: Vec<_> = c.offices[0]
        .services
        .iter()
        .map(|s| s.pictogram.as_deref())
        .collect();
    assert_eq!(names, [Some("documento"), Some("casa"), Some("pago")]);
    let errors =
        parse(&demo.replacen("pictogram = \"casa\"", "pictogram = \"castillo\"", 1)).unwrap_err();
    assert!(errors[0].message.contains("castillo"), "{errors:?}");
    assert!(errors[0].message.contains("documento, casa"), "{errors:?}");
}
