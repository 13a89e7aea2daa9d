//! Logs: readable by a person by default, JSON lines on request; `RUST_LOG` filters.

use tracing_subscriber::{fmt, EnvFilter};

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// One readable line per event.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
}

/// Installs the global subscriber (once; later calls do nothing).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        // Client errors (4xx) are answered with a clear JSON error and are not the
        // operator's problem: only server errors are logged per request by default.
        .unwrap_or_else(|_| {
            EnvFilter::new(
                "info,actix_server=warn,actix_web=warn,tracing_actix_web::middleware=error",
            )
        });
    let builder = fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Human => builder.compact().try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
    };
}
