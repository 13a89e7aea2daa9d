//! The command line: `check-config` explains errors by line (and, with `--data`, what a
//! new configuration would orphan in today's logs), `hash-password` prints a hash, and
//! `check-data` reports damaged logs without touching them, or repairs them.

use crate::helpers::ServerProcess;
use crate::integrity::{raw_record, the_log};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
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
fn new_vapid_keys_prints_a_private_key_that_gives_its_public_key() {
    let out = turnero().arg("new-vapid-keys").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let private = lines
        .next()
        .and_then(|l| l.strip_prefix("vapid_private_key = \""))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap_or_else(|| panic!("{text}"));
    let public = lines
        .next()
        .and_then(|l| l.rsplit(' ').next())
        .unwrap_or_else(|| panic!("{text}"));
    let keys = turnero::webpush::VapidKeys::parse(private).unwrap();
    assert_eq!(keys.public_base64url(), public, "{text}");
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("[offices.notifications]"), "{said}");
    assert!(said.contains("env:"), "{said}");
    // Two runs, two keys.
    let again = turnero().arg("new-vapid-keys").output().unwrap();
    assert_ne!(again.stdout, text.as_bytes());
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

// ---- check-data and check-config --data -------------------------------------------

/// A turn as the server gave it.
struct Issued {
    token: String,
    code: String,
    number: u64,
    service: String,
}

/// Issues `n` turns on the demo office, alternating `registro` and `caja`.
async fn issue_turns(client: &reqwest::Client, address: &str, n: usize) -> Vec<Issued> {
    let mut issued = Vec::new();
    for i in 0..n {
        let service = ["registro", "caja"][i % 2];
        issued.push(issue_one(client, address, service).await);
    }
    issued
}

async fn issue_one(client: &reqwest::Client, address: &str, service: &str) -> Issued {
    let r = client
        .post(format!("{address}/api/v1/offices/central/tickets"))
        .bearer_auth(crate::helpers::kiosk_token())
        .json(&json!({"service": service}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let t: Value = r.json().await.unwrap();
    Issued {
        token: t["token"].as_str().unwrap().to_owned(),
        code: t["code"].as_str().unwrap().to_owned(),
        number: t["number"].as_u64().unwrap(),
        service: service.to_owned(),
    }
}

/// Every file under a folder with its bytes (folders as empty entries).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut all = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all.insert(path.clone(), None);
            all.extend(snapshot(&path));
        } else {
            all.insert(path.clone(), Some(std::fs::read(&path).unwrap()));
        }
    }
    all
}

/// A version 2 record: offset, total length, JSON payload. The format, written out here
/// independently of the store's code: FF 'T' 'R' 'N', u32 LE length, u16 LE schema, u16
/// LE flags, u32 LE CRC-32 of length..flags and the payload, then the payload.
fn records(bytes: &[u8]) -> Vec<(usize, usize, Value)> {
    assert_eq!(&bytes[..8], b"TRNLOG02");
    let mut pos = 8;
    let mut out = Vec::new();
    while pos < bytes.len() {
        assert_eq!(&bytes[pos..pos + 4], b"\xFFTRN", "record at {pos}");
        let len = u32::from_le_bytes(bytes[pos + 4..pos + 8].try_into().unwrap()) as usize;
        let payload = &bytes[pos + 16..pos + 16 + len];
        out.push((pos, 16 + len, serde_json::from_slice(payload).unwrap()));
        pos += 16 + len;
    }
    out
}

/// Flips a byte inside the payload of the record of turn `code`; returns its offset.
fn damage_turn(log: &Path, code: &str) -> usize {
    let mut bytes = std::fs::read(log).unwrap();
    let (offset, _, _) = records(&bytes)
        .into_iter()
        .find(|(_, _, e)| {
            e["type"] == "ticket_issued"
                && format!(
                    "{}-{:03}",
                    e["prefix"].as_str().unwrap(),
                    e["number"].as_u64().unwrap()
                ) == code
        })
        .unwrap();
    bytes[offset + 16 + 5] ^= 0x20;
    std::fs::write(log, &bytes).unwrap();
    offset
}

/// Runs `turnero check-data` with `args`: exit code and standard output + error.
fn check_data(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let out = turnero().arg("check-data").args(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap(), text)
}

async fn ticket(client: &reqwest::Client, address: &str, token: &str) -> Value {
    let r = client
        .get(format!("{address}/api/v1/tickets/{token}"))
        .send()
        .await
        .unwrap();
    r.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_data_says_ok_for_a_clean_folder_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let server = ServerProcess::start(dir.path());
    issue_turns(&client, &server.address, 5).await;
    assert!(server.terminate().success());
    let before = snapshot(dir.path());

    let (code, text) = check_data(&[dir.path().as_os_str()]);
    assert_eq!(code, 0, "{text}");
    let log = the_log(dir.path());
    assert!(
        text.contains(&format!("{}: OK: 6 registros, 5 turnos", log.display())),
        "{text}"
    );
    assert!(
        text.contains("1 archivo revisado: 1 íntegro, 0 dañados"),
        "{text}"
    );
    assert_eq!(snapshot(dir.path()), before, "check-data wrote nothing");

    let missing = dir.path().join("no-existe");
    let (code, text) = check_data(&[missing.as_os_str()]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("no existe"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flipped_byte_is_reported_and_repair_keeps_every_intact_turn() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let server = ServerProcess::start(dir.path());
    let issued = issue_turns(&client, &server.address, 12).await;
    assert!(server.terminate().success());
    let log = the_log(dir.path());
    let total = records(&std::fs::read(&log).unwrap()).len();
    let victim = &issued[5];
    let offset = damage_turn(&log, &victim.code);
    let damaged = std::fs::read(&log).unwrap();
    let before = snapshot(dir.path());

    let (code, text) = check_data(&[dir.path().as_os_str()]);
    assert_eq!(code, 1, "{text}");
    let line = text
        .lines()
        .find(|l| l.starts_with(&log.display().to_string()))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("DAÑADO"), "{line}");
    assert!(line.contains(&format!("desde el byte {offset}")), "{line}");
    assert!(
        line.contains(&format!("se conservarían {} registros íntegros", total - 1)),
        "{line}"
    );
    assert!(text.contains("falta el turno n.º 5"), "{text}");
    assert_eq!(
        snapshot(dir.path()),
        before,
        "without --repair nothing changes"
    );

    let repair = [dir.path().as_os_str(), "--repair".as_ref()];
    let (code, text) = check_data(&repair);
    assert_eq!(code, 1, "a repair still says something was damaged: {text}");
    assert!(text.contains("reparado: se quitaron"), "{text}");
    let kept: Vec<PathBuf> = std::fs::read_dir(dir.path().join("central"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".log.before-repair-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        std::fs::read(&kept[0]).unwrap(),
        damaged,
        "the original, whole"
    );
    let (code, text) = check_data(&[dir.path().as_os_str()]);
    assert_eq!(code, 0, "a repaired folder checks clean: {text}");
    assert!(text.contains(": OK: "), "{text}");

    let server = ServerProcess::start(dir.path());
    for t in issued.iter().filter(|t| t.code != victim.code) {
        let now = ticket(&client, &server.address, &t.token).await;
        assert_eq!(now["code"], t.code.as_str(), "intact turn {} kept", t.code);
    }
    for service in ["registro", "caja"] {
        let next = issue_one(&client, &server.address, service).await;
        let highest = issued
            .iter()
            .filter(|t| t.service == service)
            .map(|t| t.number)
            .max()
            .unwrap();
        assert!(
            next.number > highest,
            "{service}: {} is above every code given before",
            next.code
        );
        assert!(issued.iter().all(|t| t.code != next.code));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_event_is_not_damage_and_repair_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let server = ServerProcess::start(dir.path());
    let issued = issue_turns(&client, &server.address, 6).await;
    assert!(server.terminate().success());
    let log = the_log(dir.path());
    let unknown = raw_record(br#"{"type":"turno_futuro","seq":99}"#, 3, 0);
    let mut bytes = std::fs::read(&log).unwrap();
    bytes.extend_from_slice(&unknown);
    std::fs::write(&log, &bytes).unwrap();

    let (code, text) = check_data(&[dir.path().as_os_str()]);
    assert_eq!(code, 0, "an unknown event is not damage: {text}");
    assert!(text.contains(": OK: "), "{text}");
    assert!(
        text.contains("evento desconocido «turno_futuro» del esquema 3"),
        "{text}"
    );
    assert!(!text.contains("DAÑADO"), "{text}");

    // Damage elsewhere makes --repair rewrite the file: the unknown record stays, exact.
    damage_turn(&log, &issued[2].code);
    let repair = [dir.path().as_os_str(), "--repair".as_ref()];
    let (code, text) = check_data(&repair);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("reparado"), "{text}");
    let repaired = std::fs::read(&log).unwrap();
    assert!(
        repaired.windows(unknown.len()).any(|w| w == unknown),
        "the unknown record is kept byte for byte"
    );
    let (code, text) = check_data(&[dir.path().as_os_str()]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("«turno_futuro»"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repair_is_refused_while_a_server_holds_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let server = ServerProcess::start(dir.path());
    let issued = issue_turns(&client, &server.address, 6).await;
    assert!(server.terminate().success());
    damage_turn(&the_log(dir.path()), &issued[3].code);
    let server = ServerProcess::start(dir.path());
    // The server is up and has read the day (and kept its copy of the damaged bytes).
    ticket(&client, &server.address, &issued[0].token).await;
    let before = snapshot(dir.path());

    let repair = [dir.path().as_os_str(), "--repair".as_ref()];
    let (code, text) = check_data(&repair);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("otro proceso de Turnero usa la carpeta"),
        "{text}"
    );
    assert!(text.contains("No se ha cambiado nada"), "{text}");
    assert!(
        text.contains(&format!("(pid {})", server.child.id())),
        "names the server: {text}"
    );
    assert_eq!(
        snapshot(dir.path()),
        before,
        "a refused repair changes nothing"
    );
    assert!(server.terminate().success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_config_with_data_warns_about_turns_a_new_configuration_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let client = reqwest::Client::new();
    let server = ServerProcess::start(&data);
    let issued = issue_turns(&client, &server.address, 4).await;
    let login: Value = client
        .post(format!("{}/api/v1/auth/login", server.address))
        .json(&json!({"username": "agente1", "password": "demo"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let open = client
        .post(format!(
            "{}/api/v1/offices/central/counters/v4/open",
            server.address
        ))
        .bearer_auth(login["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert!(open.status().is_success(), "{}", open.text().await.unwrap());
    // An office the new configuration no longer has.
    std::fs::create_dir_all(data.join("antigua")).unwrap();
    std::fs::write(data.join("antigua/2020-01-01.log"), b"TRNLOG02").unwrap();

    // The demo office without the service «registro» nor the counter v4.
    let registro = "[[offices.services]]\nid = \"registro\"\nname = \"Registro de la Propiedad\"\nprefix = \"A\"\nnames = { en = \"Property Registry\" }\npictogram = \"documento\"\ntarget_wait_minutes = 20\n\n";
    let v4 = "[[offices.counters]]\nid = \"v4\"\nname = \"Ventanilla 4\"\nservices = [\"registro\", \"catastro\", \"caja\"]\n";
    let demo = turnero::config::DEMO_TOML;
    assert!(demo.contains(registro) && demo.contains(v4));
    let new = demo
        .replace(registro, "")
        .replace(v4, "")
        .replace("\"registro\", ", "");
    let file = dir.path().join("nueva.toml");
    std::fs::write(&file, new).unwrap();

    // The server still runs: the check reads without the folder's lock.
    let before = snapshot(&data);
    let out = turnero()
        .arg("check-config")
        .arg(&file)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "warnings are not errors: {text}");
    assert!(text.contains("configuración válida"), "{text}");
    for t in issued.iter().filter(|t| t.service == "registro") {
        assert!(
            text.contains(&format!(
                "aviso: oficina central: el turno {} es del servicio «registro», que ya no está configurado",
                t.code
            )),
            "{text}"
        );
    }
    for t in issued.iter().filter(|t| t.service == "caja") {
        assert!(
            !text.contains(&t.code),
            "{} is not orphaned: {text}",
            t.code
        );
    }
    assert!(
        text.contains("la ventanilla «v4» ya no está configurada"),
        "{text}"
    );
    assert!(
        text.contains("la oficina «antigua», que ya no está configurada"),
        "{text}"
    );
    assert_eq!(snapshot(&data), before, "check-config reads only");
    assert!(server.terminate().success());
}
