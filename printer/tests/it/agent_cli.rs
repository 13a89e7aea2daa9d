//! The `turnero-print-agent` command line.

use std::process::Command;

use turnero_printer::agent::token_hash;

const BIN: &str = env!("CARGO_BIN_EXE_turnero-print-agent");

#[test]
fn new_token_prints_a_token_and_its_configuration_line() {
    let out = Command::new(BIN).arg("new-token").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines.len(), 2, "{text}");
    let token = lines[0];
    assert!(token.len() >= 43, "{token}");
    assert_eq!(
        lines[1],
        format!("agent_token_hash = \"{}\"", token_hash(token))
    );
}

#[test]
fn missing_settings_are_named() {
    let out = Command::new(BIN)
        .args(["--server", "http://127.0.0.1:1", "--office", "central"])
        .env_remove("TURNERO_KIOSK")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("TURNERO_KIOSK"), "{err}");

    let out = Command::new(BIN)
        .args([
            "--server",
            "http://127.0.0.1:1",
            "--office",
            "central",
            "--kiosk",
            "k1",
        ])
        .args(["--token", "t", "--printer", "lpt1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("la impresora «lpt1» no es válida"), "{err}");
}
