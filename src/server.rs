//! The application: builds the engine and the HTTP server on a listener, runs until a
//! signal (or a test) stops it, then finishes requests under way and flushes the store.

use crate::config::Config;
use crate::engine::clock::Clock;
use crate::engine::Engine;
use crate::http::{self, auth::Sessions, AppState};
use crate::metrics::Metrics;
use crate::store::{
    ContactStore, EmbeddedStore, EventStore, FileContacts, LocalCounters, SharedPrintJobs,
    WindowCounters,
};
use actix_web::dev::{Server, ServerHandle};
use actix_web::{web, App, HttpMessage, HttpServer};
use anyhow::Context;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::watch;

/// What the server runs with, after flags, environment and file are merged.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Data folder of the embedded store.
    pub data: PathBuf,
    /// Redis URL, when the organisation runs Redis.
    pub redis_url: Option<String>,
    /// Key that signs session tokens; `None` keeps a random one in the data folder.
    pub secret: Option<String>,
    /// Hours a session lasts.
    pub token_ttl_hours: u32,
}

/// A running Turnero.
pub struct Application {
    port: u16,
    server: Server,
    engine: Arc<Engine>,
    shutdown: watch::Sender<bool>,
}

/// Stops a running application from elsewhere (signals, tests).
#[derive(Clone)]
pub struct StopHandle {
    server: ServerHandle,
    shutdown: Arc<watch::Sender<bool>>,
}

impl StopHandle {
    /// Tells screens to reconnect elsewhere, then stops taking requests and lets those
    /// under way finish.
    pub async fn stop(&self) {
        let _ = self.shutdown.send(true);
        self.server.stop(true).await;
    }
}

/// What the processes of one store share.
struct Stores {
    /// The offices' logs.
    events: Arc<dyn EventStore>,
    /// Counters over a time window (failed sign-ins).
    counters: Arc<dyn WindowCounters>,
    /// The kiosks' print jobs, with several processes.
    print_jobs: Option<Arc<dyn SharedPrintJobs>>,
    /// Citizens' contacts for notifications (never in the logs).
    contacts: Arc<dyn ContactStore>,
}

/// The store the settings name: Redis when a URL is given (shared by every process, which
/// then must share the session key too), else the embedded store in the data folder.
fn open_store(
    settings: &Settings,
    retention_days: u32,
    wait_aof: Option<u32>,
) -> anyhow::Result<Stores> {
    let Some(url) = &settings.redis_url else {
        return Ok(Stores {
            events: Arc::new(EmbeddedStore::open(&settings.data)?),
            counters: Arc::new(LocalCounters::default()),
            print_jobs: None,
            contacts: Arc::new(FileContacts::new(&settings.data)),
        });
    };
    if settings.secret.is_none() {
        anyhow::bail!(
            "con TURNERO_REDIS_URL hace falta TURNERO_SECRET, la misma clave en todos los procesos, para que una sesión abierta en uno valga en los demás"
        );
    }
    let (store, durability) = crate::store::RedisStore::open(url, retention_days.max(1))?;
    if let Some(replicas) = wait_aof {
        store.wait_aof(crate::store::redis::WaitAof { replicas }, &durability)?;
        tracing::info!(
            replicas,
            "every batch waits until Redis has fsynced it (WAITAOF)"
        );
    }
    if durability.is_strict() {
        tracing::info!(meaning = %durability.meaning(), "Redis store");
    } else {
        tracing::warn!(meaning = %durability.meaning(), "Redis store: an acknowledgement does not mean what it means with the embedded store");
    }
    let store = Arc::new(store);
    Ok(Stores {
        events: store.clone(),
        counters: store.clone(),
        contacts: store.clone(),
        print_jobs: Some(store),
    })
}

impl Application {
    /// Opens the store, rebuilds every office and binds the server to `listener`.
    pub fn build(
        config: Config,
        settings: &Settings,
        clock: Arc<dyn Clock>,
        listener: TcpListener,
    ) -> anyhow::Result<Application> {
        let retention = config
            .server
            .retention_days
            .unwrap_or(crate::config::DEFAULT_RETENTION_DAYS);
        let stores = open_store(settings, retention, config.server.redis_waitaof)?;
        let metrics = Arc::new(Metrics::new());
        let engine = Arc::new(Engine::start(
            &config.offices,
            stores.events,
            clock,
            &metrics,
        )?);
        let key = match &settings.secret {
            Some(secret) => secret.as_bytes().to_vec(),
            None => local_secret(&settings.data)?,
        };
        let join = http::join::JoinCodes::new(&key);
        let decoy = http::auth::hash_password(&format!("{:x}", rand::random::<u128>()))?;
        // With Redis the ended sessions are kept there, shared and durable; alone, in
        // the data folder too, so a restart does not bring them back.
        let revoked_file = settings
            .redis_url
            .is_none()
            .then(|| settings.data.join("sessions.revoked"));
        let revocations =
            http::revocations::Revocations::open(stores.counters.clone(), revoked_file)?;
        let sessions = Sessions::new(
            key,
            chrono::Duration::hours(i64::from(settings.token_ttl_hours)),
            decoy,
            stores.counters.clone(),
            revocations,
        );
        let counters = stores.counters;
        let (shutdown, shutdown_rx) = watch::channel(false);
        let notifier = Arc::new(crate::notify::Notifier::new(
            &config,
            engine.clone(),
            stores.contacts,
            &metrics,
        )?);
        notifier.start(shutdown_rx.clone());
        let printing = Arc::new(crate::printing::PrintService::new(
            &config,
            stores.print_jobs,
        ));
        printing.start_owners();
        let supervision = Arc::new(crate::supervision::Supervision::new(
            engine.clone(),
            printing.clone(),
            notifier.clone(),
        ));
        supervision.start(shutdown_rx.clone());
        let cap = crate::limits::connection_cap(
            config.server.max_connections,
            crate::limits::open_files(),
        );
        if let Some(asked) = cap.clamped_from {
            tracing::warn!(
                asked,
                max_connections = cap.max,
                "max_connections is above the open-file limit less its reserve: cut to it"
            );
        }
        let screens_in_all = crate::limits::screens_in_all(cap.max);
        tracing::info!(
            max_connections = cap.max,
            screens_in_all,
            "connections capped below the open-file limit"
        );
        let connections = http::connections::Connections::new(
            cap.max,
            metrics.connections_open.clone(),
            metrics.connections_refused.clone(),
        );
        let screens = http::screens::ScreenSlots::new(
            config
                .server
                .max_screens_per_address
                .unwrap_or(http::screens::DEFAULT_PER_ADDRESS),
            config
                .server
                .max_screens_per_office
                .unwrap_or(http::screens::DEFAULT_PER_OFFICE),
            screens_in_all,
        );
        let state = web::Data::new(AppState {
            screens,
            engine: engine.clone(),
            printing,
            config: Arc::new(config),
            sessions,
            metrics,
            shutdown: shutdown_rx,
            counters,
            phones: Default::default(),
            join,
            notifier,
            supervision,
        });
        let port = listener.local_addr()?.port();
        let frame_ancestors = state.config.server.frame_ancestors.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .wrap(http::json_error_pages())
                .wrap_fn(|mut req, srv| {
                    use actix_web::dev::Service as _;
                    // A body must keep coming; a WebSocket's stream is the socket itself.
                    if !req.headers().contains_key(actix_web::http::header::UPGRADE) {
                        let payload = req.take_payload();
                        req.set_payload(http::slow_body::bounded(payload));
                    }
                    let secret = http::headers::holds_a_secret(req.path());
                    let fut = srv.call(req);
                    async move {
                        let mut res = fut.await?;
                        if secret {
                            http::headers::no_store(&mut res);
                        }
                        Ok(res)
                    }
                })
                // Inside the headers, request id and log: a refusal is an answer like any.
                .wrap(actix_web::middleware::from_fn(
                    http::connections::refuse_over_cap,
                ))
                .wrap(http::headers::defaults(&frame_ancestors))
                .wrap_fn(|req, srv| {
                    use actix_web::dev::Service as _;
                    let id = req
                        .extensions()
                        .get::<tracing_actix_web::RequestId>()
                        .copied();
                    let fut = srv.call(req);
                    async move {
                        let mut res = fut.await?;
                        if let Some(id) = id {
                            if let Ok(value) = id.to_string().parse() {
                                res.headers_mut().insert(
                                    actix_web::http::header::HeaderName::from_static(
                                        "x-request-id",
                                    ),
                                    value,
                                );
                            }
                        }
                        Ok(res)
                    }
                })
                .wrap(tracing_actix_web::TracingLogger::default())
                // Outermost: every answer below, refusals included, in the request's language.
                .wrap(actix_web::middleware::from_fn(http::language::scope))
                .configure(http::routes)
                .configure(crate::pages::routes)
                .default_service(web::to(http::not_found))
        })
        .on_connect(connections.on_connect())
        // actix's own cap (per worker) stays above ours: met, it stops accepting and
        // clients hang unanswered; ours refuses them at once. The margin is for refused
        // connections not yet closed.
        .max_connections(
            usize::try_from(cap.max)
                .unwrap_or(usize::MAX)
                .saturating_add(crate::limits::RESERVED_FILES as usize / 2),
        )
        .listen(listener)?
        .disable_signals()
        .shutdown_timeout(10)
        .run();
        Ok(Application {
            port,
            server,
            engine,
            shutdown,
        })
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle to stop the application.
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle {
            server: self.server.handle(),
            shutdown: Arc::new(self.shutdown.clone()),
        }
    }

    /// Serves until stopped, then flushes every office's writer.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.server.await?;
        let engine = self.engine;
        tokio::task::spawn_blocking(move || engine.shutdown()).await?;
        tracing::info!("stopped cleanly");
        Ok(())
    }

    /// Serves until SIGTERM or Ctrl-C.
    pub async fn run_until_signal(self) -> anyhow::Result<()> {
        let stop = self.stop_handle();
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("signal received: finishing requests under way");
            stop.stop().await;
        });
        self.run_until_stopped().await
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// A random signing key kept in the data folder, so sessions survive a restart.
fn local_secret(data: &Path) -> anyhow::Result<Vec<u8>> {
    let path = data.join("session.key");
    if let Ok(existing) = std::fs::read(&path) {
        if existing.len() >= 32 {
            return Ok(existing);
        }
    }
    let key: [u8; 32] = rand::random();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    use std::io::Write;
    options
        .open(&path)
        .and_then(|mut f| f.write_all(&key).and_then(|()| f.sync_all()))
        .with_context(|| {
            format!(
                "no se pudo guardar la clave de sesiones en {}",
                path.display()
            )
        })?;
    Ok(key.to_vec())
}
