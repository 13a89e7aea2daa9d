//! The `turnero` command: `serve` (the default), `check-config FILE [--data DIR]`,
//! `check-data DIR [--repair]`, `hash-password`, `new-device-token`, `new-vapid-keys`,
//! `export`, `import`.

use anyhow::Context;
use chrono::Utc;
use clap::{Args, Parser, Subcommand};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use turnero::config::Config;
use turnero::datacheck;
use turnero::engine::clock::SystemClock;
use turnero::server::{Application, Settings};
use turnero::telemetry::{self, LogFormat};

#[derive(Parser)]
#[command(
    name = "turnero",
    version,
    about = "Turnos para oficinas de atención al ciudadano"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Cmd {
    /// Starts the server (the default).
    Serve(ServeArgs),
    /// Validates a configuration file and explains each error with its line.
    CheckConfig {
        /// The TOML file.
        file: PathBuf,
        /// Also warns about what today's logs in this data folder hold that the
        /// configuration would orphan (read only: a running server may use the folder).
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
    },
    /// Verifies every log of the embedded store and reports what is damaged and what
    /// would be kept; changes nothing without --repair. Exit code: 0 intact, 1 damaged
    /// (also when repaired), 2 the folder is missing or in use.
    CheckData {
        /// The data folder (DIR/OFFICE/YYYY-MM-DD.log).
        dir: PathBuf,
        /// Rewrites each damaged log with the records that check out, keeping the original
        /// beside it (*.log.before-repair-<time>). Needs the server stopped.
        #[arg(long)]
        repair: bool,
    },
    /// Reads a password on standard input and prints its argon2 hash.
    HashPassword,
    /// Prints a new device token for a kiosk and the `token_hash` line for its
    /// `[[offices.kiosks]]` entry; the kiosk page is paired once with the token.
    NewDeviceToken,
    /// Prints a new VAPID key pair for Web Push: the private key for an office's
    /// `[offices.notifications] vapid_private_key` (or an environment variable it names
    /// as `env:NAME`) and the public key browsers subscribe with.
    NewVapidKeys,
    /// Writes every day of the configured offices from the Redis store
    /// (TURNERO_REDIS_URL) to the embedded log format in DIR.
    Export {
        /// The folder to write (embedded store layout, DIR/OFFICE/YYYY-MM-DD.log).
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
        /// The configuration naming the offices (none: the demo office).
        #[arg(long, env = "TURNERO_CONFIG")]
        config: Option<PathBuf>,
    },
    /// Reads every day of the configured offices from the embedded logs in DIR into the
    /// Redis store (TURNERO_REDIS_URL); days Redis already has are left alone.
    Import {
        /// The folder to read.
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
        /// The configuration naming the offices (none: the demo office).
        #[arg(long, env = "TURNERO_CONFIG")]
        config: Option<PathBuf>,
    },
}

#[derive(Args, Clone, Default)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TURNERO_BIND")]
    bind: Option<String>,
    /// Folder of the embedded store.
    #[arg(long, env = "TURNERO_DATA")]
    data: Option<PathBuf>,
    /// Configuration file (none: the demo office).
    #[arg(long, env = "TURNERO_CONFIG")]
    config: Option<PathBuf>,
    /// Log format.
    #[arg(long, env = "TURNERO_LOG_FORMAT", value_enum)]
    log_format: Option<LogFormat>,
    /// Base of the links in tickets and QR codes (none: the address each request came
    /// to, so a kiosk opened at the machine's network address prints QR codes a phone
    /// can open).
    #[arg(long, env = "TURNERO_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
}

/// Each argon2 check briefly takes a 19 MiB block. glibc raises its mmap threshold after
/// freeing such a block, so the next one lands on the heap and stays resident for the life
/// of the process. A fixed threshold keeps large blocks mapped and returned on free.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

fn main() -> ExitCode {
    tune_allocator();
    turnero::limits::raise_open_files();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Cmd::CheckConfig { file, data }) => check_config(&file, data.as_deref()),
        Some(Cmd::CheckData { dir, repair }) => check_data(&dir, repair),
        Some(Cmd::HashPassword) => hash_password(),
        Some(Cmd::NewDeviceToken) => new_device_token(),
        Some(Cmd::NewVapidKeys) => new_vapid_keys(),
        Some(Cmd::Export { to, config }) => transfer(config.as_deref(), &to, true),
        Some(Cmd::Import { from, config }) => transfer(config.as_deref(), &from, false),
        Some(Cmd::Serve(args)) => serve(args),
        None => serve(cli.serve),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn check_config(file: &Path, data: Option<&Path>) -> anyhow::Result<ExitCode> {
    match Config::from_file(file) {
        Ok(config) => {
            println!(
                "{}: configuración válida ({} oficinas, {} usuarios)",
                file.display(),
                config.offices.len(),
                config.users.len()
            );
            for w in config.warnings() {
                println!("aviso: {w}");
            }
            if let Some(dir) = data {
                // Warnings, not errors: the configuration is valid and the logs keep all.
                let warnings = datacheck::orphans::config_warnings(&config, dir, Utc::now());
                for w in &warnings {
                    println!("{w}");
                }
                match warnings.len() {
                    0 => println!(
                        "{}: los registros de hoy encajan con esta configuración",
                        dir.display()
                    ),
                    n => println!("{n} avisos sobre los registros de {}", dir.display()),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            for e in &errors {
                println!("{}:{e}", file.display());
            }
            println!("{} errores", errors.len());
            Ok(ExitCode::FAILURE)
        }
    }
}

fn check_data(dir: &Path, repair: bool) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match datacheck::check_data(dir, repair, Utc::now(), &mut out) {
        Ok(outcome) => Ok(ExitCode::from(outcome.exit_code())),
        Err(e) => {
            eprintln!("check-data: {e}");
            Ok(ExitCode::from(e.exit_code()))
        }
    }
}

/// `export` (Redis → DIR) or `import` (DIR → Redis) of every configured office.
fn transfer(config: Option<&Path>, dir: &Path, export: bool) -> anyhow::Result<ExitCode> {
    let config = match config {
        Some(path) => Config::from_file(path).map_err(|errors| {
            anyhow::anyhow!(
                "la configuración tiene {} errores; vea turnero check-config",
                errors.len()
            )
        })?,
        None => Config::demo("-", "-").map_err(|e| anyhow::anyhow!("demo: {e:?}"))?,
    };
    let url = std::env::var("TURNERO_REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .context("defina TURNERO_REDIS_URL: export e import copian entre Redis y una carpeta")?;
    let retention = config
        .server
        .retention_days
        .unwrap_or(turnero::config::DEFAULT_RETENTION_DAYS);
    let (redis, _) = turnero::store::RedisStore::open(&url, retention)?;
    let folder = turnero::store::EmbeddedStore::open(dir)?;
    let (from, to): (
        &dyn turnero::store::EventStore,
        &dyn turnero::store::EventStore,
    ) = if export {
        (&redis, &folder)
    } else {
        (&folder, &redis)
    };
    for office in &config.offices {
        let copied = turnero::transfer::copy_office(from, to, &office.id)?;
        for (day, records) in &copied.days {
            println!("{}: {day}: {records} registros copiados", office.id);
        }
        for day in &copied.skipped {
            println!("{}: {day}: ya estaba en el destino, no se tocó", office.id);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Links in tickets follow the address each page was opened at: say which one phones
/// can reach, since a kiosk opened at `localhost` would print QR codes no phone can open.
fn say_where_phones_reach(address: std::net::SocketAddr) {
    let port = address.port();
    // The address of the interface that routes outwards (no packet is sent).
    let lan = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect("192.0.2.1:9").map(|_| s))
        .and_then(|s| s.local_addr())
        .ok()
        .map(|a| a.ip())
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified());
    let reach = match (address.ip().is_unspecified(), lan) {
        (true, Some(ip)) => format!("http://{ip}:{port}"),
        (false, _) if !address.ip().is_loopback() => format!("http://{address}"),
        _ => format!("http://<la dirección de red de este equipo>:{port}"),
    };
    tracing::warn!("los códigos QR de los tiquetes llevan la dirección con la que se abre cada página: abra el kiosco en {reach} (no en localhost) para que los teléfonos puedan abrirlos, o defina TURNERO_PUBLIC_URL");
}

fn new_device_token() -> anyhow::Result<ExitCode> {
    let (token, hash) = turnero_printer::agent::new_token();
    println!("{token}");
    println!("token_hash = \"{hash}\"");
    eprintln!("La primera línea es la clave del kiosco: guárdela solo en el kiosco. La segunda va en su [[offices.kiosks]]. Para vincular la página del kiosco, ábrala una vez en él como /kiosk/OFICINA#vincular={token} (el fragmento no viaja al servidor) o escriba la clave en «Vincular este kiosco».");
    Ok(ExitCode::SUCCESS)
}

fn new_vapid_keys() -> anyhow::Result<ExitCode> {
    let keys = turnero::webpush::VapidKeys::generate();
    println!("vapid_private_key = \"{}\"", keys.private_base64url());
    println!(
        "# clave pública (la que usan los navegadores): {}",
        keys.public_base64url()
    );
    eprintln!("La primera línea va en el [offices.notifications] de la oficina, con vapid_subject = \"mailto:…\" (a quien los servicios de notificaciones pueden escribir); para no dejar la clave en el archivo, guárdela en una variable de entorno y escriba vapid_private_key = \"env:NOMBRE\". La clave pública se deduce de la privada: el servidor la da a los teléfonos. Si cambia la clave, las suscripciones hechas con la anterior dejan de recibir avisos.");
    Ok(ExitCode::SUCCESS)
}

fn hash_password() -> anyhow::Result<ExitCode> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let password = input.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        anyhow::bail!("escriba la contraseña en la entrada estándar, p. ej.: echo -n 'clave' | turnero hash-password");
    }
    println!("{}", turnero::http::auth::hash_password(password)?);
    Ok(ExitCode::SUCCESS)
}

fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    telemetry::init(args.log_format.unwrap_or_default());
    let config = match &args.config {
        Some(path) => Config::from_file(path).map_err(|errors| {
            let list: Vec<String> = errors
                .iter()
                .map(|e| format!("  {}:{e}", path.display()))
                .collect();
            anyhow::anyhow!("la configuración tiene errores:\n{}", list.join("\n"))
        })?,
        None => {
            let password = std::env::var("TURNERO_DEMO_PASSWORD").unwrap_or_else(|_| "demo".into());
            let hash = turnero::http::auth::demo_password_hash(&password)?;
            let kiosk_token = turnero::config::demo_kiosk_token(&password);
            let config =
                Config::demo(&hash, &kiosk_token).map_err(|e| anyhow::anyhow!("demo: {e:?}"))?;
            tracing::warn!(
                "MODO DEMOSTRACIÓN: sin --config se usa la oficina de demostración «central»"
            );
            tracing::warn!("MODO DEMOSTRACIÓN: usuarios admin, supervisor y agente1…agente4, todos con la contraseña de TURNERO_DEMO_PASSWORD (por omisión «demo»); no lo use en producción");
            tracing::warn!("MODO DEMOSTRACIÓN: el kiosco «{}» (/kiosk/central) viene vinculado con la clave de dispositivo {kiosk_token}, derivada de esa contraseña: da turnos sin límite; desde la API, cada dirección toma a lo sumo 5 turnos cada 10 minutos", turnero::config::DEMO_KIOSK);
            config
        }
    };
    let mut config = config;
    if let Some(url) = args
        .public_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            anyhow::bail!("--public-url / TURNERO_PUBLIC_URL debe empezar por http:// o https:// (por ejemplo https://turnos.example.org)");
        }
        config.server.public_url = Some(url.trim_end_matches('/').to_owned());
    }
    for w in config.warnings() {
        tracing::warn!("{w}");
    }
    let bind = args
        .bind
        .or_else(|| config.server.bind.clone())
        .unwrap_or_else(|| "0.0.0.0:8080".into());
    let settings = Settings {
        data: args
            .data
            .or_else(|| config.server.data.clone())
            .unwrap_or_else(|| PathBuf::from("./data")),
        redis_url: std::env::var("TURNERO_REDIS_URL")
            .ok()
            .filter(|s| !s.is_empty())
            .or_else(|| config.server.redis_url.clone()),
        secret: std::env::var("TURNERO_SECRET")
            .ok()
            .filter(|s| !s.is_empty())
            .or_else(|| config.server.secret.clone()),
        token_ttl_hours: config.server.token_ttl_hours.unwrap_or(12),
    };
    let listener = std::net::TcpListener::bind(&bind)
        .with_context(|| format!("no se pudo escuchar en {bind}"))?;
    let address = listener.local_addr()?;
    let config_links_follow_requests = config.server.public_url.is_none()
        && config.offices.iter().any(|o| o.public_base_url.is_none());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let app = Application::build(config, &settings, Arc::new(SystemClock), listener)?;
        tracing::info!(%address, data = %settings.data.display(), "Turnero listening");
        println!("Turnero listening on http://{address}");
        if config_links_follow_requests {
            say_where_phones_reach(address);
        }
        app.run_until_signal().await
    })?;
    Ok(ExitCode::SUCCESS)
}
