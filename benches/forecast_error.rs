//! How good the staffing forecast is: scripted days of the demo office simulated through
//! the domain (Poisson arrivals for Registro, exponential service times, a fixed number
//! of counters open), a forecast every quarter hour from 09:00 to 15:00 made as the server
//! makes it (the last hour's arrival rate, the service times observed so far, the counters
//! open, the queue now), and the actual mean wait of the turns issued in the hour after
//! each forecast. Prints, per scenario, the mean absolute error and the bias in minutes.
//!
//! `cargo bench --bench forecast_error` (`FORECAST_DAYS=N` days per scenario, 20 by
//! default).

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use turnero::domain::forecast::forecast;
use turnero::domain::{decide, Command, CounterAction, OfficeState, Subject, TicketStatus};

/// One scripted day: arrivals per hour, mean service minutes, counters open.
struct Scenario {
    name: &'static str,
    per_hour: f64,
    service_minutes: f64,
    counters: usize,
}

const SCENARIOS: [Scenario; 4] = [
    Scenario {
        name: "calm: 10/h, 9 min, 2 counters",
        per_hour: 10.0,
        service_minutes: 9.0,
        counters: 2,
    },
    Scenario {
        name: "busy: 20/h, 9 min, 4 counters",
        per_hour: 20.0,
        service_minutes: 9.0,
        counters: 4,
    },
    Scenario {
        name: "tight: 12/h, 9 min, 2 counters",
        per_hour: 12.0,
        service_minutes: 9.0,
        counters: 2,
    },
    Scenario {
        name: "quick: 40/h, 3 min, 3 counters",
        per_hour: 40.0,
        service_minutes: 3.0,
        counters: 3,
    },
];

const COUNTERS: [&str; 4] = ["v1", "v2", "v4", "v3"];

fn run(state: &mut OfficeState, command: Command, now: DateTime<Utc>) -> Option<Subject> {
    let (events, subject) = decide(state, &command, now).ok()?;
    for e in &events {
        state.apply(e).expect("decided events apply");
    }
    Some(subject)
}

fn act(counter: &str, action: CounterAction) -> Command {
    Command::Counter {
        counter: counter.into(),
        agent: format!("agente_{counter}"),
        action,
    }
}

/// An exponential draw with the given mean.
fn exponential(rng: &mut StdRng, mean: f64) -> f64 {
    -mean * (1.0 - rng.gen::<f64>()).ln()
}

/// One day: (forecast minutes, actual minutes) per quarter hour.
fn day(scenario: &Scenario, seed: u64) -> Vec<(f64, f64)> {
    let config = turnero::config::parse(turnero::config::DEMO_TOML).expect("the demo parses");
    let mut spec = (*config.offices[0]).clone();
    spec.services[0].default_service_seconds = (scenario.service_minutes * 60.0) as u32;
    let spec = Arc::new(spec);
    let start: DateTime<Utc> = "2026-11-23T13:00:00Z".parse().unwrap(); // 08:00 in Bogotá
    let mut state = OfficeState::new(spec.clone(), start.date_naive(), start);
    let mut rng = StdRng::seed_from_u64(seed);
    let counters = &COUNTERS[..scenario.counters];
    for c in counters {
        run(&mut state, act(c, CounterAction::Open), start);
    }
    let close = start + Duration::hours(8);
    let mean_gap = 3600.0 / scenario.per_hour;
    let mut next_arrival =
        start + Duration::milliseconds((exponential(&mut rng, mean_gap) * 1000.0) as i64);
    let mut free_at: Vec<Option<DateTime<Utc>>> = vec![None; counters.len()];
    let mut checkpoints: Vec<(DateTime<Utc>, f64)> = Vec::new();
    let mut next_check = start + Duration::hours(1);
    let mut n = 0u32;
    loop {
        let finish = free_at
            .iter()
            .enumerate()
            .filter_map(|(i, t)| t.map(|t| (t, i)))
            .min();
        let arrival = (next_arrival < close).then_some(next_arrival);
        let now = match (arrival, finish) {
            (None, None) => break,
            (Some(a), Some((f, _))) => a.min(f),
            (Some(a), None) => a,
            (None, Some((f, _))) => f,
        }
        .min(next_check.max(start));
        if now == next_check && next_check <= start + Duration::hours(7) {
            let recent = state
                .tickets
                .iter()
                .filter(|t| t.issued_at > now - Duration::hours(1) && t.issued_at <= now)
                .count() as f64;
            let mut arrivals = vec![0.0; spec.services.len()];
            arrivals[0] = recent;
            let registro = forecast(&state, &arrivals, now)
                .into_iter()
                .find(|f| f.service == 0)
                .and_then(|f| f.outlook.expected_wait);
            if let Some(wait) = registro {
                checkpoints.push((now, wait / 60.0));
            }
            next_check += Duration::minutes(15);
            continue;
        }
        if now == next_check {
            next_check = close + Duration::days(1);
            continue;
        }
        if Some(now) == arrival {
            n += 1;
            let mut entropy = [0u8; 12];
            entropy[..4].copy_from_slice(&n.to_le_bytes());
            entropy[4..12].copy_from_slice(&seed.to_le_bytes());
            run(
                &mut state,
                Command::Issue {
                    service: "registro".into(),
                    category: None,
                    issuer: None,
                    entropy,
                    language: None,
                },
                now,
            );
            next_arrival =
                now + Duration::milliseconds((exponential(&mut rng, mean_gap) * 1000.0) as i64);
        } else if let Some((_, i)) = finish.filter(|(f, _)| *f == now) {
            run(&mut state, act(counters[i], CounterAction::Finish), now);
            free_at[i] = None;
        }
        // Every free counter calls the next turn and starts at once.
        for (i, c) in counters.iter().enumerate() {
            if free_at[i].is_none() {
                if let Some(Subject::Ticket(_)) =
                    run(&mut state, act(c, CounterAction::CallNext), now)
                {
                    run(&mut state, act(c, CounterAction::Start), now);
                    let secs = exponential(&mut rng, scenario.service_minutes * 60.0);
                    free_at[i] = Some(now + Duration::milliseconds((secs * 1000.0) as i64));
                }
            }
        }
    }
    checkpoints
        .into_iter()
        .filter_map(|(at, forecast)| {
            let waits: Vec<f64> = state
                .tickets
                .iter()
                .filter(|t| t.issued_at >= at && t.issued_at < at + Duration::hours(1))
                .filter(|t| t.status != TicketStatus::Waiting)
                .filter_map(|t| {
                    t.first_called_at
                        .map(|c| (c - t.issued_at).num_milliseconds() as f64 / 60_000.0)
                })
                .collect();
            (!waits.is_empty()).then(|| (forecast, waits.iter().sum::<f64>() / waits.len() as f64))
        })
        .collect()
}

fn main() {
    let days: u64 = std::env::var("FORECAST_DAYS")
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(20);
    println!("forecast of the next hour's mean wait against the waits that came ({days} simulated days per scenario)");
    for scenario in &SCENARIOS {
        let pairs: Vec<(f64, f64)> = (0..days)
            .flat_map(|d| day(scenario, d * 7919 + 1))
            .collect();
        let n = pairs.len() as f64;
        let mae = pairs.iter().map(|(f, a)| (f - a).abs()).sum::<f64>() / n;
        let bias = pairs.iter().map(|(f, a)| f - a).sum::<f64>() / n;
        let actual = pairs.iter().map(|(_, a)| a).sum::<f64>() / n;
        let forecast = pairs.iter().map(|(f, _)| f).sum::<f64>() / n;
        println!(
            "{:<34} forecasts {:>4}  mean forecast {:>5.1} min  mean actual {:>5.1} min  MAE {:>5.1} min  bias {:>+5.1} min",
            scenario.name, pairs.len(), forecast, actual, mae, bias
        );
    }
}
