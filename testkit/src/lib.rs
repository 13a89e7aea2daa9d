//! Starts a real `redis-server` (or a Redis Cluster of three primaries) for Turnero's
//! tests, on a free port with its own folder, and stops it when dropped.
//!
//! [`push`] is a Web Push endpoint that checks and decrypts what it receives.
//!
//! Used by the library's unit tests (`src/store/redis/tests.rs`) and the integration
//! tests (`tests/api/`). Tests that need Redis fail, never skip, when it cannot start.

#![warn(missing_docs)]

pub mod push;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// A running `redis-server` on 127.0.0.1 (`appendonly yes`, `appendfsync always`, no RDB
/// snapshots), killed when dropped.
pub struct RedisServer {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Its folder; `None` only once [`RedisServer::kill`] has given it away.
    dir: Option<TempDir>,
}

impl RedisServer {
    /// Starts one on a free port with a new folder.
    pub fn start() -> RedisServer {
        Self::start_with(&[])
    }

    /// Starts one on a free port with a new folder and `extra` arguments (given last, so
    /// they override the defaults, e.g. `["--appendfsync", "everysec"]`).
    pub fn start_with(extra: &[&str]) -> RedisServer {
        Self::spawn(new_dir(), free_port(), extra)
    }

    /// Starts one on `port` with a new, empty folder (a Redis back where it was, without
    /// its data).
    pub fn start_on(port: u16) -> RedisServer {
        Self::spawn(new_dir(), port, &[])
    }

    /// Starts one on `port` with its files in `dir` (the same Redis restarted, with its
    /// data, after [`RedisServer::kill`]).
    pub fn start_in(dir: TempDir, port: u16) -> RedisServer {
        Self::spawn(dir, port, &[])
    }

    fn spawn(dir: TempDir, port: u16, extra: &[&str]) -> RedisServer {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", ""])
            .args(["--appendonly", "yes", "--appendfsync", "always"])
            .arg("--dir")
            .arg(dir.path())
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("redis-server is needed for these tests (apt-get install redis-server): {e}")
            });
        let mut server = RedisServer {
            child,
            port,
            dir: Some(dir),
        };
        server.wait_until_it_answers();
        server
    }

    /// Waits (at most 10 s) until it answers `PING` with `PONG`: accepting connections is
    /// not enough, a Redis loading its append-only file answers `-LOADING`.
    fn wait_until_it_answers(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "redis-server on port {} stopped at once ({status}): a bad argument, or \
                     the port taken?",
                    self.port
                );
            }
            if pong(self.port) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "redis-server on port {} did not start",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Its URL, `redis://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Its folder (the append-only files are under it).
    pub fn dir(&self) -> &Path {
        self.dir
            .as_ref()
            .expect("the folder is kept until kill")
            .path()
    }

    /// Kills it (SIGKILL, no chance to write anything more) and gives back its folder and
    /// port, to start it again with [`RedisServer::start_in`].
    pub fn kill(mut self) -> (TempDir, u16) {
        self.stop();
        let dir = self.dir.take().expect("the folder is kept until kill");
        (dir, self.port)
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A Redis Cluster of three primaries (no replicas) on free ports, joined with
/// `redis-cli --cluster create`, stopped when dropped.
pub struct RedisCluster {
    nodes: Vec<RedisServer>,
}

impl RedisCluster {
    /// Starts the three nodes, joins them and waits (at most 20 s) until every node says
    /// `cluster_state:ok`.
    pub fn start() -> RedisCluster {
        let nodes: Vec<RedisServer> = (0..3)
            .map(|_| RedisServer::spawn(new_dir(), cluster_port(), &["--cluster-enabled", "yes"]))
            .collect();
        let out = Command::new("redis-cli")
            .args(["--cluster", "create"])
            .args(addresses(&nodes))
            .args(["--cluster-replicas", "0", "--cluster-yes"])
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "redis-cli is needed for the cluster tests (apt-get install redis-server): {e}"
                )
            });
        assert!(
            out.status.success(),
            "redis-cli --cluster create: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        for node in &nodes {
            loop {
                let info = Command::new("redis-cli")
                    .args(["-p", &node.port.to_string(), "cluster", "info"])
                    .output()
                    .expect("redis-cli runs");
                if String::from_utf8_lossy(&info.stdout).contains("cluster_state:ok") {
                    break;
                }
                assert!(Instant::now() < deadline, "the cluster did not come up");
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        RedisCluster { nodes }
    }

    /// The store's URL for it, `redis+cluster://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3`.
    pub fn url(&self) -> String {
        format!("redis+cluster://{}", addresses(&self.nodes).join(","))
    }
}

fn addresses(nodes: &[RedisServer]) -> Vec<String> {
    nodes
        .iter()
        .map(|n| format!("127.0.0.1:{}", n.port))
        .collect()
}

/// A port free right now on 127.0.0.1.
/// A free port for a cluster node whose bus port (the port + 10000) is free too, and
/// below 65536: a node cannot start without both.
fn cluster_port() -> u16 {
    loop {
        let port = free_port();
        if port <= 55535 && TcpListener::bind(("127.0.0.1", port + 10000)).is_ok() {
            return port;
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

fn new_dir() -> TempDir {
    tempfile::tempdir().expect("a temporary folder for redis-server")
}

/// Whether a Redis on `port` answers `PING` with `PONG` now.
fn pong(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    if stream.write_all(b"*1\r\n$4\r\nPING\r\n").is_err() {
        return false;
    }
    let mut reply = [0u8; 7];
    stream.read_exact(&mut reply).is_ok() && &reply == b"+PONG\r\n"
}
