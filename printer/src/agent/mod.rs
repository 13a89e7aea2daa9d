//! The print agent: runs beside a kiosk PC's USB or serial printer, receives that kiosk's
//! jobs from the server over a WebSocket, prints them through a local [`PrinterQueue`]
//! (retries, backoff, time to live), and reports each result and the printer's status.
//!
//! It reconnects by itself with a growing, jittered delay. Nothing is lost across a
//! disconnection: a result that could not be sent is sent after reconnecting, and a job the
//! server sends again (because it never saw the result) is answered from memory instead of
//! being printed twice. A job whose time to live has run out is reported as `expired` and
//! never printed.
//!
//! The binary `turnero-print-agent` is a thin command line around [`Agent`].

pub mod proto;

use std::collections::{HashMap, HashSet, VecDeque};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};

use crate::outcome::{Failure, FailureCode, JobOutcome};
use crate::spool::{PrintJob, PrinterQueue, SpoolConfig};
use crate::transport::Transport;
use proto::{AgentMessage, AgentStatus, ServerMessage};

/// How an agent reaches its server and prints.
#[derive(Debug, Clone)]
pub struct AgentConfig {
    /// The server's base address, `http://host:8080` (or `ws://…`).
    pub server: String,
    /// Office id.
    pub office: String,
    /// Kiosk id.
    pub kiosk: String,
    /// The kiosk's device token (its hash is in the server's configuration).
    pub token: String,
    /// Retries and queue of the local printer. Its `ttl` is unused: every job brings its
    /// own time to live from the server.
    pub spool: SpoolConfig,
    /// First wait before reconnecting.
    pub reconnect_min: Duration,
    /// Longest wait before reconnecting.
    pub reconnect_max: Duration,
}

impl AgentConfig {
    /// A configuration with default retries and reconnection delays.
    pub fn new(
        server: impl Into<String>,
        office: impl Into<String>,
        kiosk: impl Into<String>,
        token: impl Into<String>,
    ) -> Self {
        Self {
            server: server.into(),
            office: office.into(),
            kiosk: kiosk.into(),
            token: token.into(),
            spool: SpoolConfig::default(),
            reconnect_min: Duration::from_millis(500),
            reconnect_max: Duration::from_secs(30),
        }
    }

    /// The agent's WebSocket address on the server.
    pub fn url(&self) -> String {
        let base = self.server.trim_end_matches('/');
        let base = if let Some(rest) = base.strip_prefix("http://") {
            format!("ws://{rest}")
        } else if let Some(rest) = base.strip_prefix("https://") {
            format!("wss://{rest}")
        } else {
            base.to_owned()
        };
        format!(
            "{base}/api/v1/offices/{}/kiosks/{}/agent",
            self.office, self.kiosk
        )
    }
}

/// How often the agent pings the server.
const PING_EVERY: Duration = Duration::from_secs(15);
/// A server silent this long is taken as gone, and the agent reconnects.
const SILENCE_LIMIT: Duration = Duration::from_secs(45);
/// Results remembered, so a job the server sends again is not printed again.
const REMEMBERED: usize = 1024;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Why a connection attempt or a connection ended.
#[derive(Debug)]
enum Ended {
    /// The shutdown future completed.
    Shutdown,
    /// The connection could not be opened or was lost.
    Lost(String),
}

/// A running print agent. Build it with [`Agent::new`], then [`Agent::run`] it.
pub struct Agent {
    config: AgentConfig,
    queue: PrinterQueue,
    results_tx: mpsc::UnboundedSender<(String, JobOutcome)>,
    results_rx: mpsc::UnboundedReceiver<(String, JobOutcome)>,
    /// Jobs handed to the local queue whose outcome is not known yet.
    inflight: HashSet<String>,
    /// Results of finished jobs, by id, oldest first in `done_order`.
    done: HashMap<String, AgentMessage>,
    done_order: VecDeque<String>,
    /// Results not yet sent to the server.
    outbox: VecDeque<AgentMessage>,
    /// Successful connections so far (for logs and tests).
    connections: u64,
}

impl Agent {
    /// An agent printing through `transport`; starts its local queue on the current tokio
    /// runtime.
    pub fn new(config: AgentConfig, transport: Arc<dyn Transport>) -> Self {
        let queue = PrinterQueue::spawn(config.kiosk.clone(), transport, config.spool);
        let (results_tx, results_rx) = mpsc::unbounded_channel();
        Self {
            config,
            queue,
            results_tx,
            results_rx,
            inflight: HashSet::new(),
            done: HashMap::new(),
            done_order: VecDeque::new(),
            outbox: VecDeque::new(),
            connections: 0,
        }
    }

    /// Connects, prints and reconnects until `shutdown` completes.
    pub async fn run(mut self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let url = self.config.url();
        let mut delay = self.config.reconnect_min;
        loop {
            let connect = tokio::select! {
                c = self.connect(&url) => c,
                () = &mut shutdown => return,
            };
            match connect {
                Ok(ws) => {
                    self.connections += 1;
                    delay = self.config.reconnect_min;
                    tracing::info!(%url, "connected to the server");
                    match self.session(ws, &mut shutdown).await {
                        Ended::Shutdown => return,
                        Ended::Lost(why) => {
                            tracing::warn!(%why, "connection to the server lost; reconnecting")
                        }
                    }
                }
                Err(Ended::Shutdown) => return,
                Err(Ended::Lost(why)) => {
                    tracing::warn!(%why, retry_in_ms = delay.as_millis() as u64, "cannot connect to the server");
                }
            }
            let wait = jitter(delay);
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = &mut shutdown => return,
            }
            delay = (delay * 2).min(self.config.reconnect_max);
        }
    }

    async fn connect(&self, url: &str) -> Result<Socket, Ended> {
        let mut request = url
            .into_client_request()
            .map_err(|e| Ended::Lost(format!("bad server address {url}: {e}")))?;
        let bearer = format!("Bearer {}", self.config.token)
            .parse()
            .map_err(|_| {
                Ended::Lost("the device token has characters a header cannot carry".into())
            })?;
        request.headers_mut().insert("authorization", bearer);
        match tokio::time::timeout(
            Duration::from_secs(10),
            tokio_tungstenite::connect_async(request),
        )
        .await
        {
            Err(_) => Err(Ended::Lost("timed out".into())),
            Ok(Ok((ws, _))) => Ok(ws),
            Ok(Err(tungstenite::Error::Http(response))) => {
                let status = response.status();
                let body = response
                    .body()
                    .as_deref()
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default()
                    .into_owned();
                if status.as_u16() == 401 || status.as_u16() == 403 {
                    tracing::error!(%status, %body, "the server refused the device token; check the agent's token and the kiosk's agent_token_hash");
                }
                Err(Ended::Lost(format!("server answered {status}: {body}")))
            }
            Ok(Err(e)) => Err(Ended::Lost(e.to_string())),
        }
    }

    async fn session<S>(&mut self, ws: Socket, shutdown: &mut std::pin::Pin<&mut S>) -> Ended
    where
        S: Future<Output = ()>,
    {
        let (mut sink, mut stream) = ws.split();
        let mut state = self.queue.subscribe();
        let status = AgentStatus::from_state(&state.borrow_and_update());
        if let Err(e) = send(&mut sink, &AgentMessage::Status(status)).await {
            return Ended::Lost(e);
        }
        while let Some(message) = self.outbox.pop_front() {
            if let Err(e) = send(&mut sink, &message).await {
                self.outbox.push_front(message);
                return Ended::Lost(e);
            }
        }
        let mut ping = tokio::time::interval(PING_EVERY);
        let mut last_heard = Instant::now();
        loop {
            let sent = tokio::select! {
                message = stream.next() => match message {
                    Some(Ok(Message::Text(text))) => {
                        last_heard = Instant::now();
                        match self.on_server_message(&text) {
                            Some(reply) => send(&mut sink, &reply).await,
                            None => Ok(()),
                        }
                    }
                    Some(Ok(Message::Close(_))) | None => return Ended::Lost("closed by the server".into()),
                    Some(Err(e)) => return Ended::Lost(e.to_string()),
                    Some(Ok(_)) => { last_heard = Instant::now(); Ok(()) }
                },
                Some((id, outcome)) = self.results_rx.recv() => {
                    let message = self.finished(id, &outcome);
                    match send(&mut sink, &message).await {
                        Ok(()) => Ok(()),
                        Err(e) => { self.outbox.push_back(message); Err(e) }
                    }
                }
                changed = state.changed() => match changed {
                    Ok(()) => {
                        let status = AgentStatus::from_state(&state.borrow_and_update());
                        send(&mut sink, &AgentMessage::Status(status)).await
                    }
                    Err(_) => return Ended::Lost("local print queue stopped".into()),
                },
                _ = ping.tick() => {
                    if last_heard.elapsed() > SILENCE_LIMIT {
                        return Ended::Lost("the server stopped answering".into());
                    }
                    sink.send(Message::Ping(Vec::new())).await.map_err(|e| e.to_string())
                }
                () = shutdown.as_mut() => {
                    let _ = sink.send(Message::Close(None)).await;
                    return Ended::Shutdown;
                }
            };
            if let Err(e) = sent {
                return Ended::Lost(e);
            }
        }
    }

    /// Handles one message from the server; returns an immediate reply, if any.
    fn on_server_message(&mut self, text: &str) -> Option<AgentMessage> {
        let message: ServerMessage = match serde_json::from_str(text) {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(error = %e, "message from the server not understood; ignored");
                return None;
            }
        };
        match message {
            ServerMessage::Welcome { office, kiosk } => {
                tracing::info!(%office, %kiosk, "server accepted the agent");
                None
            }
            ServerMessage::Job {
                id,
                code,
                bytes_base64,
                ttl_ms,
                ..
            } => {
                if let Some(result) = self.done.get(&id) {
                    tracing::info!(job = %id, %code, "job sent again; answering with its known result");
                    return Some(result.clone());
                }
                if self.inflight.contains(&id) {
                    return None;
                }
                let bytes = match base64::engine::general_purpose::STANDARD.decode(bytes_base64) {
                    Ok(b) => b,
                    Err(_) => {
                        let failure = Failure::new(FailureCode::Io, "job bytes are not base64");
                        return Some(self.finished(id, &JobOutcome::Failed(failure)));
                    }
                };
                if ttl_ms == 0 {
                    return Some(self.finished(id, &JobOutcome::Failed(Failure::expired(None))));
                }
                let job =
                    PrintJob::new(bytes, code.clone()).with_ttl(Duration::from_millis(ttl_ms));
                match self.queue.submit(job) {
                    Ok(handle) => {
                        tracing::info!(job = %id, %code, "printing");
                        self.inflight.insert(id.clone());
                        let tx = self.results_tx.clone();
                        tokio::spawn(async move {
                            let outcome = handle.outcome().await;
                            let _ = tx.send((id, outcome));
                        });
                        None
                    }
                    Err(e) => {
                        let failure = Failure::new(FailureCode::SpoolStopped, e.to_string());
                        Some(self.finished(id, &JobOutcome::Failed(failure)))
                    }
                }
            }
        }
    }

    /// Records a job's outcome and returns the result to send.
    fn finished(&mut self, id: String, outcome: &JobOutcome) -> AgentMessage {
        self.inflight.remove(&id);
        let message = match outcome {
            JobOutcome::Printed { attempts } => AgentMessage::Result {
                id: id.clone(),
                ok: true,
                code: None,
                reason: None,
                attempts: Some(*attempts),
            },
            JobOutcome::Failed(f) => AgentMessage::Result {
                id: id.clone(),
                ok: false,
                code: Some(f.code.to_string()),
                reason: Some(f.reason.clone()),
                attempts: None,
            },
        };
        if self.done.insert(id.clone(), message.clone()).is_none() {
            self.done_order.push_back(id);
            while self.done_order.len() > REMEMBERED {
                if let Some(old) = self.done_order.pop_front() {
                    self.done.remove(&old);
                }
            }
        }
        message
    }
}

async fn send<S>(sink: &mut S, message: &AgentMessage) -> Result<(), String>
where
    S: futures_util::Sink<Message, Error = tungstenite::Error> + Unpin,
{
    let text = serde_json::to_string(message).map_err(|e| e.to_string())?;
    sink.send(Message::Text(text))
        .await
        .map_err(|e| e.to_string())
}

/// `d` plus up to a quarter more, so agents restarted together do not reconnect in step.
fn jitter(d: Duration) -> Duration {
    let quarter = d.as_millis() as u64 / 4;
    if quarter == 0 {
        return d;
    }
    d + Duration::from_millis(rand::random::<u64>() % quarter)
}

/// A new device token and the line to put in the kiosk's configuration.
///
/// The token is 256 random bits, base64url; the configuration keeps only its SHA-256,
/// which is enough for a secret of that strength and costs nothing per connection.
pub fn new_token() -> (String, String) {
    let bytes: [u8; 32] = rand::random();
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// `sha256:<hex>` of a device token, as `agent_token_hash` holds it.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(token.as_bytes());
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    // Every paired kiosk's turn hashes its token: no formatting machinery per byte.
    let mut hex = String::with_capacity(7 + 64);
    hex.push_str("sha256:");
    for b in digest {
        hex.push(char::from(DIGITS[usize::from(b >> 4)]));
        hex.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_from_the_server_address() {
        let c = AgentConfig::new("http://10.0.0.2:8080/", "central", "k1", "t");
        assert_eq!(
            c.url(),
            "ws://10.0.0.2:8080/api/v1/offices/central/kiosks/k1/agent"
        );
        let c = AgentConfig::new("https://turnos.example", "central", "k1", "t");
        assert_eq!(
            c.url(),
            "wss://turnos.example/api/v1/offices/central/kiosks/k1/agent"
        );
    }

    #[test]
    fn tokens_hash_to_the_configuration_form() {
        let (token, hash) = new_token();
        assert!(token.len() >= 43);
        assert_eq!(hash, token_hash(&token));
        assert_eq!(
            token_hash("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn jitter_adds_at_most_a_quarter() {
        for _ in 0..100 {
            let j = jitter(Duration::from_millis(1000));
            assert!(j >= Duration::from_millis(1000) && j < Duration::from_millis(1250));
        }
    }
}
