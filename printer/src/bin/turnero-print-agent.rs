//! `turnero-print-agent`: prints a kiosk's tickets on the printer attached to the kiosk PC
//! (USB, serial or a folder), taking its jobs from the Turnero server.
//!
//! ```text
//! turnero-print-agent --server http://10.0.0.2:8080 --office central --kiosk entrada \
//!     --printer file:/dev/usb/lp0          # token in TURNERO_AGENT_TOKEN
//! turnero-print-agent new-token            # a token and the hash for the configuration
//! ```

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use turnero_printer::agent::{new_token, Agent, AgentConfig};
use turnero_printer::PrinterAddress;

#[derive(Parser)]
#[command(
    name = "turnero-print-agent",
    version,
    about = "Imprime los turnos de un kiosco en la impresora conectada a este equipo"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Subcommand)]
enum Cmd {
    /// Connects to the server and prints (the default).
    Run(RunArgs),
    /// Prints a new device token and the `agent_token_hash` line for the configuration.
    NewToken,
}

#[derive(Args, Clone, Default)]
struct RunArgs {
    /// The Turnero server, e.g. http://10.0.0.2:8080.
    #[arg(long, env = "TURNERO_SERVER")]
    server: Option<String>,
    /// The office id.
    #[arg(long, env = "TURNERO_OFFICE")]
    office: Option<String>,
    /// The kiosk id (`[[offices.kiosks]]` with printer = "agent").
    #[arg(long, env = "TURNERO_KIOSK")]
    kiosk: Option<String>,
    /// The kiosk's device token (better in the environment than on the command line).
    #[arg(long, env = "TURNERO_AGENT_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// The local printer: file:/dev/usb/lp0, file:/dev/ttyUSB0, tcp://host:9100 or dir:/path.
    #[arg(long, env = "TURNERO_PRINTER")]
    printer: Option<String>,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        Some(Cmd::NewToken) => {
            let (token, hash) = new_token();
            println!("# Para el agente (TURNERO_AGENT_TOKEN o --token); guárdelo en secreto:");
            println!("{token}");
            println!("# Para la configuración del kiosco en el servidor:");
            println!("agent_token_hash = \"{hash}\"");
            ExitCode::SUCCESS
        }
        Some(Cmd::Run(args)) => run(args),
        None => run(cli.run),
    }
}

fn run(args: RunArgs) -> ExitCode {
    let missing = |what: &str, flag: &str, env: &str| {
        eprintln!("error: falta {what}: use --{flag} o la variable {env}");
        ExitCode::FAILURE
    };
    let Some(server) = args.server else {
        return missing("la dirección del servidor", "server", "TURNERO_SERVER");
    };
    let Some(office) = args.office else {
        return missing("la oficina", "office", "TURNERO_OFFICE");
    };
    let Some(kiosk) = args.kiosk else {
        return missing("el kiosco", "kiosk", "TURNERO_KIOSK");
    };
    let Some(token) = args.token else {
        return missing("la clave del dispositivo", "token", "TURNERO_AGENT_TOKEN");
    };
    let Some(printer) = args.printer else {
        return missing("la impresora", "printer", "TURNERO_PRINTER");
    };
    let address: PrinterAddress = match printer.parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: la impresora «{printer}» no es válida ({e})");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let config = AgentConfig::new(server, office, kiosk, token);
        tracing::info!(url = %config.url(), printer = %address, "print agent starting");
        let agent = Agent::new(config, address.transport());
        agent.run(signal()).await;
        tracing::info!("print agent stopped");
    });
    ExitCode::SUCCESS
}

async fn signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
