//! The server under load: the bench office's configuration and a real `turnero serve`
//! child process on a free port, killed when dropped.

use anyhow::{Context, Result};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub(crate) const BENCH_CONFIG: &str = r#"
# The thousand lobby screens all come from this machine's one address.
[server]
max_screens_per_address = 5000

[[offices]]
id = "bench"
name = "Oficina de Pruebas de Carga"
timezone = "America/Bogota"
always_open = true

[[offices.services]]
id = "registro"
name = "Registro"
prefix = "A"
range = [1, 99999999]

[[offices.services]]
id = "catastro"
name = "Catastro"
prefix = "B"
range = [1, 99999999]

[[offices.services]]
id = "caja"
name = "Caja"
prefix = "C"
range = [1, 99999999]

[[offices.counters]]
id = "v1"
name = "Ventanilla 1"
services = ["registro", "catastro", "caja"]

# The load comes from a paired kiosk, as in an office: never limited.
[[offices.kiosks]]
id = "kiosco"
name = "Kiosco de carga"
token_hash = "KIOSK_HASH"

[[users]]
username = "agente"
name = "Agente"
role = "agent"
office = "bench"
password_hash = "HASH"
"#;

/// The bench office's configuration, its agent's password hash filled in.
pub(crate) fn bench_config(password_hash: &str) -> String {
    BENCH_CONFIG
        .replace(
            "KIOSK_HASH",
            &turnero::config::kiosk_token_hash(KIOSK_TOKEN),
        )
        .replace("HASH", password_hash)
}

/// The device token of the bench office's kiosk, which sends every turn.
pub(crate) const KIOSK_TOKEN: &str = "loadgen-bench-kiosk-device-token-0123456789";

pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) addr: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start_server(binary: &Path, redis: Option<&str>) -> Result<Server> {
    let hash = turnero::http::auth::hash_password("carga")?;
    start_server_with(binary, redis, &bench_config(&hash))
}

/// Starts a server with a configuration text.
pub(crate) fn start_server_with(binary: &Path, redis: Option<&str>, text: &str) -> Result<Server> {
    let dir = tempfile::tempdir()?;
    let config = dir.path().join("bench.toml");
    std::fs::write(&config, text)?;
    let mut command = Command::new(binary);
    if let Some(url) = redis {
        command
            .env("TURNERO_REDIS_URL", url)
            .env("TURNERO_SECRET", "loadgen-shared-secret");
    }
    let mut child = command
        .args(["serve", "--bind", "127.0.0.1:0", "--config"])
        .arg(&config)
        .arg("--data")
        .arg(dir.path().join("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("no se pudo iniciar {}", binary.display()))?;
    let addr = listening_address(&mut child)?;
    Ok(Server {
        child,
        addr,
        _dir: dir,
    })
}

/// The address a server child process says it listens on, in its first line.
pub(crate) fn listening_address(child: &mut Child) -> Result<String> {
    let mut line = String::new();
    BufReader::new(child.stdout.take().context("stdout")?).read_line(&mut line)?;
    Ok(line
        .trim()
        .rsplit("http://")
        .next()
        .filter(|a| a.contains(':'))
        .with_context(|| format!("primera línea inesperada: {line:?}"))?
        .to_owned())
}
