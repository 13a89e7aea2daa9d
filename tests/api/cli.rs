//! The command line: `check-config` explains errors by line, `hash-password` prints a hash.

use std::io::Write;
use std::process::{Command, Stdio};

fn turnero() -> Command {
    Command::new(env!("CARGO_BIN_EXE_turnero"))
}

#[test]
fn check_config_reports_each_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[offices]]\nid = \"central\"\nname = \"Central\"\ntimezone = \"Marte/Olympus\"\nalways_open = true\n\n[[offices.services]]\nid = \"registro\"\nname = \"Registro\"\nprefix = \"a1\"\n",
    )
    .unwrap();
    let out = turnero().arg("check-config").arg(&bad).output().unwrap();
    assert!(!out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("línea 4: la zona horaria «Marte/Olympus» no existe"),
        "{text}"
    );
    assert!(text.contains("línea 10: el prefijo «a1»"), "{text}");
    assert!(
        text.contains("ninguna ventanilla atiende el servicio «registro»"),
        "{text}"
    );

    let good = dir.path().join("good.toml");
    std::fs::write(&good, turnero::config::DEMO_TOML).unwrap();
    let out = turnero().arg("check-config").arg(&good).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn hash_password_prints_an_argon2_hash_the_server_accepts() {
    let mut child = turnero()
        .arg("hash-password")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"clave segura\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let hash = String::from_utf8(out.stdout).unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    let config = format!(
        "{}\n[[users]]\nusername = \"ana\"\nname = \"Ana\"\nrole = \"agent\"\noffice = \"central\"\npassword_hash = \"{}\"\n",
        turnero::config::DEMO_TOML,
        hash.trim()
    );
    assert!(turnero::config::parse(&config).is_ok());
}
