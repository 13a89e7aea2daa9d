//! A fake network receipt printer on 127.0.0.1: takes jobs, answers `DLE EOT`, and can
//! be told to run out of paper, open its cover, drop the connection mid-job, or hang.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

use turnero_printer::transport::{TcpOptions, TcpTransport};

/// How the fake behaves for the next connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Answers status "ready" and takes jobs.
    Normal,
    /// Answers status "paper out" (as a TM-T20 does).
    PaperOut,
    /// Answers status "cover open".
    CoverOpen,
    /// Accepts connections and never reads or answers until released.
    Hang,
}

pub const READY: [u8; 4] = [0x12, 0x12, 0x12, 0x12];
pub const PAPER_OUT: [u8; 4] = [0x1A, 0x32, 0x12, 0x72];
pub const COVER_OPEN: [u8; 4] = [0x1A, 0x16, 0x12, 0x12];

#[derive(Debug)]
struct Shared {
    mode: Mode,
    /// The next this-many jobs are cut off: the connection closes after 100 job bytes.
    drop_mid_job: usize,
    jobs: Vec<Vec<u8>>,
    connections: usize,
    status_queries: usize,
}

/// Handle to a running fake printer.
#[derive(Clone)]
pub struct FakePrinter {
    pub addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    release: Arc<Notify>,
}

/// The job's last four bytes: our partial cut, which the fake takes as "job complete".
const CUT: [u8; 4] = [0x1D, 0x56, 0x42, 0x00];

impl FakePrinter {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let fake = FakePrinter {
            addr,
            shared: Arc::new(Mutex::new(Shared {
                mode: Mode::Normal,
                drop_mid_job: 0,
                jobs: Vec::new(),
                connections: 0,
                status_queries: 0,
            })),
            release: Arc::new(Notify::new()),
        };
        let server = fake.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let conn = server.clone();
                tokio::spawn(async move { conn.serve(stream).await });
            }
        });
        fake
    }

    /// A transport to this printer with short timeouts, for tests.
    pub fn transport(&self) -> Arc<TcpTransport> {
        Arc::new(TcpTransport::new(
            self.addr.ip().to_string(),
            self.addr.port(),
            TcpOptions {
                connect_timeout: Duration::from_millis(500),
                write_timeout: Duration::from_millis(500),
                status_timeout: Duration::from_millis(200),
                query_status: true,
            },
        ))
    }

    pub fn set_mode(&self, mode: Mode) {
        self.shared.lock().unwrap().mode = mode;
    }

    pub fn drop_next_jobs_midway(&self, n: usize) {
        self.shared.lock().unwrap().drop_mid_job = n;
    }

    /// Lets hung connections go on as a normal printer would.
    pub fn release_hung(&self) {
        self.set_mode(Mode::Normal);
        self.release.notify_waiters();
    }

    pub fn jobs(&self) -> Vec<Vec<u8>> {
        self.shared.lock().unwrap().jobs.clone()
    }

    pub fn connections(&self) -> usize {
        self.shared.lock().unwrap().connections
    }

    pub fn status_queries(&self) -> usize {
        self.shared.lock().unwrap().status_queries
    }

    fn status_byte(&self, n: u8) -> u8 {
        let mode = self.shared.lock().unwrap().mode;
        let table = match mode {
            Mode::PaperOut => PAPER_OUT,
            Mode::CoverOpen => COVER_OPEN,
            Mode::Normal | Mode::Hang => READY,
        };
        table[usize::from(n.clamp(1, 4) - 1)]
    }

    async fn serve(self, mut stream: TcpStream) {
        let hang = {
            let mut s = self.shared.lock().unwrap();
            s.connections += 1;
            s.mode == Mode::Hang
        };
        if hang {
            // Hold the connection without reading until released.
            self.release.notified().await;
        }
        let mut pending: Vec<u8> = Vec::new();
        let mut job: Option<Vec<u8>> = None;
        let mut buf = [0u8; 4096];
        loop {
            let n = match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            pending.extend_from_slice(&buf[..n]);
            loop {
                match job.as_mut() {
                    None => {
                        if pending.is_empty() {
                            break;
                        }
                        if pending[0] == 0x10 {
                            if pending.len() < 3 {
                                break;
                            }
                            assert_eq!(pending[1], 0x04, "only DLE EOT is expected");
                            let answer = self.status_byte(pending[2]);
                            self.shared.lock().unwrap().status_queries += 1;
                            pending.drain(..3);
                            if stream.write_all(&[answer]).await.is_err() {
                                return;
                            }
                        } else {
                            job = Some(Vec::new());
                        }
                    }
                    Some(j) => {
                        j.append(&mut pending);
                        let cut_short = {
                            let s = self.shared.lock().unwrap();
                            s.drop_mid_job > 0 && j.len() >= 100
                        };
                        if cut_short {
                            self.shared.lock().unwrap().drop_mid_job -= 1;
                            return; // drops the connection mid-job
                        }
                        if let Some(end) = j.windows(4).position(|w| w == CUT) {
                            let rest = j.split_off(end + 4);
                            let done = job.take().unwrap();
                            self.shared.lock().unwrap().jobs.push(done);
                            pending = rest;
                        } else {
                            break;
                        }
                    }
                }
            }
        }
    }
}
