//! How long a start takes: with a day of 100,000 turns in today's log, and with a year of
//! logs in the folder. The logs are written through the store and the domain, as a real
//! day would write them; the server is started as a child process and timed until it
//! answers `/readyz`.

use anyhow::{Context, Result};
use chrono::{Days, Utc};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;
use turnero::config::Config;
use turnero::domain::schedule::{end_of_day, local_day};
use turnero::domain::{close_day, decide, CounterAction, Event, OfficeSpec, OfficeState};
use turnero::store::{BatchId, EmbeddedStore, EventStore};

/// Writes a day's log: `turns` issued over the demo's services, `served` of them called,
/// started and finished at the office's four counters; closed unless it is today.
fn write_day(
    store: &EmbeddedStore,
    spec: &Arc<OfficeSpec>,
    day: chrono::NaiveDate,
    turns: u32,
    served: u32,
    close: bool,
) -> Result<()> {
    let start = day.and_hms_opt(13, 0, 0).context("hour")?.and_utc();
    let mut state = OfficeState::new(spec.clone(), day, start);
    let mut version = store.load(&spec.id, day)?.version();
    let mut batch = vec![Event::DayOpened {
        day,
        at: start,
        counters: vec![],
    }];
    let run = |state: &mut OfficeState, batch: &mut Vec<Event>, command, at| {
        if let Ok((events, _)) = decide(state, &command, at) {
            for e in &events {
                let _ = state.apply(e);
            }
            batch.extend(events);
        }
    };
    let _ = state.apply(&batch[0]);
    let counters = spec.counters.len();
    let counter = |c: usize, action| turnero::domain::Command::Counter {
        counter: spec.counters[c].id.clone(),
        agent: format!("agente{}", c + 1),
        action,
    };
    for c in 0..counters {
        run(
            &mut state,
            &mut batch,
            counter(c, CounterAction::Open),
            start,
        );
    }
    for i in 0..turns {
        let at = start + chrono::Duration::milliseconds(i64::from(i) * 100);
        let service = ["registro", "catastro", "caja"][i as usize % 3];
        let issue = turnero::domain::Command::Issue {
            service: service.into(),
            category: Some(
                if i % 5 == 0 {
                    "adulto_mayor"
                } else {
                    "general"
                }
                .into(),
            ),
            issuer: None,
            entropy: rand::random(),
            language: None,
        };
        run(&mut state, &mut batch, issue, at);
        if i < served && i % 2 == 1 {
            for action in [
                CounterAction::CallNext,
                CounterAction::Start,
                CounterAction::Finish,
            ] {
                run(
                    &mut state,
                    &mut batch,
                    counter(i as usize % counters, action),
                    at,
                );
            }
        }
        if batch.len() >= 2000 {
            version = store.append(&spec.id, day, version, BatchId::random(), &batch)?;
            batch.clear();
        }
    }
    if close {
        let at = end_of_day(spec.timezone, day).max(state.last_at);
        batch.push(close_day(&state, at));
    }
    store.append(&spec.id, day, version, BatchId::random(), &batch)?;
    Ok(())
}

/// Starts the server on `data` and returns the seconds until `/readyz` answers 200.
fn time_start(binary: &Path, config: &Path, data: &Path) -> Result<f64> {
    let started = Instant::now();
    let mut child = Command::new(binary)
        .args(["serve", "--bind", "127.0.0.1:0", "--config"])
        .arg(config)
        .arg("--data")
        .arg(data)
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let addr = super::listening_address(&mut child)?;
    let ready = std::net::TcpStream::connect(&addr).and_then(|mut s| {
        use std::io::{Read, Write};
        s.write_all(b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
        let mut answer = String::new();
        s.read_to_string(&mut answer)?;
        Ok(answer.starts_with("HTTP/1.1 200"))
    })?;
    let seconds = started.elapsed().as_secs_f64();
    let _ = child.kill();
    let _ = child.wait();
    anyhow::ensure!(ready, "the server did not report ready");
    Ok(seconds)
}

/// Prints the start times, for the load generator's office (`config_text`, whose
/// ranges let a day hold 100,000 turns).
pub fn run(binary: &Path, config_text: &str) -> Result<()> {
    let folder = tempfile::tempdir()?;
    let config_path = folder.path().join("bench.toml");
    std::fs::write(&config_path, config_text)?;
    let config = Config::from_file(&config_path).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let spec = config.offices[0].clone();
    let office = spec.id.clone();
    let today = local_day(spec.timezone, Utc::now());
    let time_start = |data: &Path| time_start(binary, &config_path, data);

    let empty = tempfile::tempdir()?;
    let fresh = time_start(empty.path())?;
    println!(
        "start, empty folder:                  {:>7.0} ms",
        fresh * 1000.0
    );

    let big = tempfile::tempdir()?;
    {
        let store = EmbeddedStore::open(big.path())?;
        write_day(&store, &spec, today, 100_000, 60_000, false)?;
    }
    let size = std::fs::metadata(big.path().join(&office).join(format!("{today}.log")))?.len();
    let day = time_start(big.path())?;
    println!(
        "start, today's log of 100000 turns:   {:>7.0} ms   ({:.1} MB of log)",
        day * 1000.0,
        size as f64 / 1e6
    );

    let year = tempfile::tempdir()?;
    {
        let store = EmbeddedStore::open(year.path())?;
        for back in (1..=365).rev() {
            let day = today.checked_sub_days(Days::new(back)).context("day")?;
            write_day(&store, &spec, day, 400, 400, true)?;
        }
        write_day(&store, &spec, today, 400, 200, false)?;
    }
    let bytes: u64 = std::fs::read_dir(year.path().join(&office))?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    let year_start = time_start(year.path())?;
    println!(
        "start, a year of logs (366 days):     {:>7.0} ms   ({:.1} MB in the folder)",
        year_start * 1000.0,
        bytes as f64 / 1e6
    );
    Ok(())
}
