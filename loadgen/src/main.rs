//! Load generator: starts Turnero as a child process on an embedded store and prints the
//! figures of the queue-engine issue:
//! - turns issued per second over HTTP with 64 concurrent clients, and the ratio to
//!   `GET /healthz` on the same server in the same run;
//! - the same with 100,000 turns already waiting;
//! - the delay from an agent's call to its arrival at 1,000 connected screens (p50, p99, max);
//! - the server's resident memory with 1,000 screens connected and 100,000+ turns issued;
//! - with `--startup`, how long a start takes with a day of 100,000 turns and with a year
//!   of logs in the folder;
//! - with `--phones N`, only N citizens' pages following their own turns: the delay from a
//!   call to the called citizen's page (p50, p99, max) and the server's memory;
//! - with `--notify N`, only the notifications: N citizens with a phone become "near" at
//!   once, and a local fake SMS gateway times the messages (messages/s, p50/p99 delay);
//! - with `--web-push N`, the same for N citizens subscribed to Web Push, through a local
//!   push endpoint that checks and decrypts every message;
//! - with `--redis URL`, the same figures for Redis-backed processes, on one process and on
//!   `--processes N` sharing the office (clients and screens spread over them, calls made
//!   on the first), with each process's memory and the ratio to the embedded store.
//!
//! Run it in release: `cargo build --release && cargo run --release -p turnero-loadgen`
//! (options: `--help`).
//! It uses a bare keep-alive HTTP/1.1 client so the client's own cost stays small.

use anyhow::{bail, Context, Result};
use clap::Parser;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use server::{
    bench_config, listening_address, start_server, start_server_with, BENCH_CONFIG, KIOSK_TOKEN,
};

mod agent;
mod conn;
mod notify;
mod phones;
mod screens;
mod server;
mod startup;
mod web_push;

use conn::{get, post, Conn};
use screens::{percentile, screens_latency};

#[derive(Parser)]
#[command(about = "Mide el rendimiento de Turnero")]
struct Args {
    /// Concurrent HTTP clients.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Seconds each throughput phase lasts.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Turns waiting before the second issuing phase.
    #[arg(long, default_value_t = 100_000)]
    preload: u64,
    /// Lobby screens connected for the latency phase.
    #[arg(long, default_value_t = 1000)]
    screens: usize,
    /// Calls made during the latency phase.
    #[arg(long, default_value_t = 200)]
    calls: usize,
    /// The server binary (default: `turnero` beside this program).
    #[arg(long)]
    server: Option<PathBuf>,
    /// Only measure how long a start takes (a day of 100,000 turns, a year of logs).
    #[arg(long)]
    startup: bool,
    /// Also measure Redis-backed processes on this Redis (its `bench` office is cleared
    /// first), on one process and on `--processes`.
    #[arg(long, value_name = "URL")]
    redis: Option<String>,
    /// Processes sharing the Redis store for the second Redis run.
    #[arg(long, default_value_t = 2)]
    processes: usize,
    /// Only the issuing rate on an empty queue (no preload, screens or memory phases), for
    /// a quick comparison between two builds.
    #[arg(long)]
    quick: bool,
    /// With `--redis`: skip the embedded store's run.
    #[arg(long)]
    only_redis: bool,
    /// Only the phones phase: this many citizens' pages following their own turns, the
    /// delay from a call to the called citizen's page, and the server's memory.
    #[arg(long, value_name = "PAGES")]
    phones: Option<usize>,
    /// Only the notifications phase: this many citizens with a phone become near at once;
    /// messages per second through a local fake gateway, and their delays.
    #[arg(long, value_name = "CITIZENS")]
    notify: Option<usize>,
    /// Only the Web Push phase: this many subscribed citizens become near at once;
    /// messages per second through a local decrypting push endpoint, and their delays.
    #[arg(long, value_name = "CITIZENS")]
    web_push: Option<usize>,
}

fn issue_request(i: usize) -> Vec<u8> {
    let service = ["registro", "catastro", "caja"][i % 3];
    post(
        "/api/v1/offices/bench/tickets",
        &format!(r#"{{"service":"{service}"}}"#),
        Some(KIOSK_TOKEN),
    )
}

/// Requests refused with 503 (the store refused them; retryable) in the last `hammer`.
static REFUSED: AtomicU64 = AtomicU64::new(0);

/// Runs `clients` connections sending requests for `duration`; returns requests per second
/// answered with `expect`. A 503 (the store refused, retryable) is counted in `REFUSED`,
/// not taken for a failure of the run.
async fn hammer(
    addrs: &[String],
    clients: usize,
    duration: Duration,
    make: fn(usize) -> Vec<u8>,
    expect: u16,
) -> Result<f64> {
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for c in 0..clients {
        let mut conn = Conn::open(&addrs[c % addrs.len()]).await?;
        let done = done.clone();
        let stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            let requests: Vec<Vec<u8>> = (0..3).map(|k| make(c + k)).collect();
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let (status, body) = conn.request(&requests[i % 3]).await?;
                if status == 503 {
                    REFUSED.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                    continue;
                }
                if status != expect {
                    bail!("estado {status}: {}", String::from_utf8_lossy(&body));
                }
                done.fetch_add(1, Ordering::Relaxed);
                i += 1;
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    let count = done.load(Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    for t in tasks {
        t.await??;
    }
    Ok(count as f64 / elapsed)
}

/// Issues turns as fast as possible until `total` have been issued.
async fn preload(addrs: &[String], clients: usize, total: u64) -> Result<()> {
    let left = Arc::new(AtomicU64::new(total));
    let mut tasks = Vec::new();
    for c in 0..clients {
        let mut conn = Conn::open(&addrs[c % addrs.len()]).await?;
        let left = left.clone();
        tasks.push(tokio::spawn(async move {
            let request = issue_request(c);
            while left
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                .is_ok()
            {
                let (status, _) = conn.request(&request).await?;
                if status == 503 {
                    // Refused (retryable): that turn is still to be issued.
                    left.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                if status != 201 {
                    bail!("estado {status} al precargar");
                }
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(())
}

fn rss_mb(pid: u32) -> Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .context("VmRSS")?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()?;
    Ok(kb / 1024.0)
}

fn main() -> Result<()> {
    let args = Args::parse();
    let binary = match &args.server {
        Some(path) => path.clone(),
        None => std::env::current_exe()?.with_file_name("turnero"),
    };
    if args.startup {
        let hash = turnero::http::auth::hash_password("carga")?;
        return startup::run(&binary, &bench_config(&hash));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if let Some(citizens) = args.notify {
        let base = BENCH_CONFIG.replace(
            "KIOSK_HASH",
            &turnero::config::kiosk_token_hash(KIOSK_TOKEN),
        );
        return runtime.block_on(notify::run(&binary, citizens.max(1), &base, KIOSK_TOKEN));
    }
    if let Some(citizens) = args.web_push {
        let base = BENCH_CONFIG.replace(
            "KIOSK_HASH",
            &turnero::config::kiosk_token_hash(KIOSK_TOKEN),
        );
        return runtime.block_on(web_push::run(&binary, citizens.max(1), &base, KIOSK_TOKEN));
    }
    if let Some(pages) = args.phones {
        return runtime.block_on(phones_phase(&binary, pages, args.calls));
    }
    runtime.block_on(async move {
        println!(
            "Turnero loadgen — {} clients, {} s per phase, {} cores",
            args.clients,
            args.seconds,
            std::thread::available_parallelism().map_or(1, |n| n.get())
        );
        let embedded = match (&args.redis, args.only_redis) {
            (Some(_), true) => None,
            _ => Some(suite(&binary, None, 1, &args).await?),
        };
        if let Some(url) = &args.redis {
            for processes in [1, args.processes] {
                clear_bench_office(url)?;
                let redis = suite(&binary, Some(url), processes, &args).await?;
                if let Some(embedded) = &embedded {
                    println!(
                        "    Redis, {processes} process(es): {:.2} of the embedded store's empty-queue rate, {:.2} of its rate with turns waiting",
                        redis.empty / embedded.empty,
                        redis.full / embedded.full
                    );
                }
            }
        }
        Ok(())
    })
}

/// The phones phase on one embedded-store server.
async fn phones_phase(binary: &Path, pages: usize, calls: usize) -> Result<()> {
    let server = start_server(binary, None)?;
    println!("== {pages} phone pages, each following its own turn (embedded store)");
    let (figures, readers) =
        phones::phones_latency(&server.addr, KIOSK_TOKEN, pages, calls).await?;
    let d = &figures.delays;
    println!(
        "call → the called citizen's page ({} calls): p50 {:.2} ms   p99 {:.2} ms   max {:.2} ms",
        d.len(),
        percentile(d, 50.0),
        percentile(d, 99.0),
        d.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "position updates received by the pages meanwhile: {} ({:.1} per call per page)",
        figures.updates,
        figures.updates as f64 / (d.len().max(1) * pages) as f64
    );
    println!(
        "server RSS with {pages} pages open: {:.1} MB",
        rss_mb(server.child.id())?
    );
    for r in readers {
        r.abort();
    }
    Ok(())
}

/// What one configuration measured.
struct Figures {
    empty: f64,
    full: f64,
}

/// Every phase on `processes` servers (on the embedded store, or sharing `redis`).
async fn suite(
    binary: &Path,
    redis: Option<&str>,
    processes: usize,
    args: &Args,
) -> Result<Figures> {
    let label = match redis {
        None => "embedded store, 1 process".to_owned(),
        Some(_) => format!("Redis store, {processes} process(es)"),
    };
    let servers = (0..processes)
        .map(|_| start_server(binary, redis))
        .collect::<Result<Vec<_>>>()?;
    let addrs: Vec<String> = servers.iter().map(|s| s.addr.clone()).collect();
    let phase = Duration::from_secs(args.seconds);
    println!("== {label}");
    hammer(
        &addrs,
        args.clients,
        Duration::from_secs(1),
        |_| get("/healthz"),
        200,
    )
    .await?;
    let healthz = hammer(&addrs, args.clients, phase, |_| get("/healthz"), 200).await?;
    println!("GET /healthz:                         {healthz:>9.0} req/s");
    REFUSED.store(0, Ordering::Relaxed);
    let empty = hammer(&addrs, args.clients, phase, issue_request, 201).await?;
    println!("issue, empty queue:                   {empty:>9.0} turns/s   ratio to healthz {:.2}   refused (503) {}", empty / healthz, REFUSED.swap(0, Ordering::Relaxed));
    if redis.is_none() {
        print_commit_stats(&addrs[0]).await?;
    } else {
        print_shared_stats(&addrs).await?;
    }
    if args.quick {
        return Ok(Figures {
            empty,
            full: f64::NAN,
        });
    }
    let waiting_before = fetch_waiting(&addrs[0]).await?;
    if waiting_before < args.preload {
        preload(&addrs, args.clients, args.preload - waiting_before).await?;
    }
    let waiting = fetch_waiting(&addrs[0]).await?;
    let full = hammer(&addrs, args.clients, phase, issue_request, 201).await?;
    println!("issue, {waiting} already waiting:     {full:>9.0} turns/s   {:.0} % of the empty-queue rate   refused (503) {}", 100.0 * full / empty, REFUSED.swap(0, Ordering::Relaxed));
    if redis.is_none() {
        print_commit_stats(&addrs[0]).await?;
    } else {
        print_shared_stats(&addrs).await?;
    }
    let (mut delays, readers) = screens_latency(&addrs, args.screens, args.calls).await?;
    delays.sort_by(f64::total_cmp);
    println!(
        "call → {} screens on {processes} process(es) ({} calls): p50 {:.2} ms   p99 {:.2} ms   max {:.2} ms",
        args.screens,
        args.calls,
        percentile(&delays, 50.0),
        percentile(&delays, 99.0),
        delays.last().copied().unwrap_or(f64::NAN)
    );
    for r in readers {
        r.abort();
    }
    drop(servers);
    // Memory on fresh servers holding exactly the issue's load: `preload` turns issued
    // and `screens` screens connected (spread over the processes).
    if let Some(url) = redis {
        clear_bench_office(url)?;
    }
    let servers = (0..processes)
        .map(|_| start_server(binary, redis))
        .collect::<Result<Vec<_>>>()?;
    let addrs: Vec<String> = servers.iter().map(|s| s.addr.clone()).collect();
    preload(&addrs, args.clients, args.preload).await?;
    let (_, readers) = screens_latency(&addrs, args.screens, 10).await?;
    let issued = fetch_waiting(&addrs[0]).await?;
    for (i, server) in servers.iter().enumerate() {
        println!(
            "server RSS (process {}), {} screens in all, {} turns issued: {:.1} MB",
            i + 1,
            args.screens,
            issued + 10,
            rss_mb(server.child.id())?
        );
    }
    for r in readers {
        r.abort();
    }
    Ok(Figures { empty, full })
}

/// Deletes the `bench` office's keys from a Redis, so each run starts from an empty day.
fn clear_bench_office(url: &str) -> Result<()> {
    let mut con = redis::Client::open(url)?.get_connection()?;
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("turnero:{bench}:*")
        .query(&mut con)?;
    if !keys.is_empty() {
        redis::cmd("DEL").arg(&keys).query::<()>(&mut con)?;
    }
    Ok(())
}

/// Mean append time and commands per append so far, from the server's own metrics.
/// Per process on a shared store: appends, their round trip, conflicts and waits for the
/// writing turn so far.
async fn print_shared_stats(addrs: &[String]) -> Result<()> {
    for (i, addr) in addrs.iter().enumerate() {
        let mut conn = Conn::open(addr).await?;
        let (_, body) = conn.request(&get("/metrics")).await?;
        let text = String::from_utf8_lossy(&body);
        let value = |name: &str| -> f64 {
            text.lines()
                .find_map(|l| l.strip_prefix(name).and_then(|v| v.trim().parse().ok()))
                .unwrap_or(f64::NAN)
        };
        let calls = value("turnero_store_call_seconds_count ");
        println!(
            "    process {}: {calls:.0} appends, {:.3} ms per append round trip, {:.1} commands per append, {:.0} conflicts, {:.0} waits for the writing turn",
            i + 1,
            1000.0 * value("turnero_store_call_seconds_sum ") / calls,
            value("turnero_store_batch_commands_sum ") / value("turnero_store_batch_commands_count "),
            value("turnero_store_conflicts_total{office=\"bench\"} "),
            value("turnero_store_turn_waits_total{office=\"bench\"} ")
        );
    }
    Ok(())
}

async fn print_commit_stats(addr: &str) -> Result<()> {
    let mut conn = Conn::open(addr).await?;
    let (_, body) = conn.request(&get("/metrics")).await?;
    let text = String::from_utf8_lossy(&body);
    let value = |name: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name).and_then(|v| v.trim().parse().ok()))
            .unwrap_or(f64::NAN)
    };
    let appends = value("turnero_store_append_seconds_count ");
    let append_time = value("turnero_store_append_seconds_sum ");
    let commands = value("turnero_store_batch_commands_sum ");
    println!(
        "    group commit so far: {appends:.0} appends, {:.3} ms per append (write + fsync), {:.1} commands per append",
        1000.0 * append_time / appends,
        commands / appends
    );
    Ok(())
}

async fn fetch_waiting(addr: &str) -> Result<u64> {
    let mut conn = Conn::open(addr).await?;
    let (_, body) = conn.request(&get("/api/v1/offices/bench")).await?;
    let office: serde_json::Value = serde_json::from_slice(&body)?;
    Ok(office["services"]
        .as_array()
        .context("services")?
        .iter()
        .filter_map(|s| s["waiting"].as_u64())
        .sum())
}
