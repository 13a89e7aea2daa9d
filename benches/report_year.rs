//! How long the office's report takes over a day, a month and a year of a busy office:
//! 2,400 turns a day for 366 days, generated through the domain (decide + apply, as the
//! engine does) and written through the embedded store's real log format into a
//! temporary data folder. Prints the log's size and bytes per event, then the report's
//! time (reading the logs as the engine does + `report::compute`) for each range.
//!
//! Then the same reports from the days' kept summaries (`report::stored`): cold (none
//! kept yet: each day replayed once and its summary written) and kept (read back), and
//! whether their JSON is the full replay's, byte for byte.
//!
//! Last, the organisation's report of the year over three such offices (the office's
//! folder copied under two more ids): its time, and each office's row against the
//! office's own report.
//!
//! `cargo bench --bench report_year` (release). `REPORT_BENCH_DAYS=60` for fewer days.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use std::sync::Arc;
use std::time::Instant;
use turnero::domain::{decide, Command, CounterAction, Event, OfficeState, Subject};
use turnero::report::stored;
use turnero::store::{BatchId, EmbeddedStore, EventStore};

const TURNS_PER_DAY: u32 = 2_400;
const COUNTERS: usize = 16;

/// A busy office: three services, five categories (four preferential), sixteen
/// counters serving everything.
fn office() -> String {
    let mut toml = String::from(
        r#"
[[offices]]
id = "central"
name = "Oficina Central"
timezone = "America/Bogota"
always_open = true
[offices.policy]
max_consecutive_preferential = 3
[[offices.services]]
id = "registro"
name = "Registro"
prefix = "A"
range = [1, 9999]
[[offices.services]]
id = "catastro"
name = "Catastro"
prefix = "B"
range = [1, 9999]
[[offices.services]]
id = "caja"
name = "Caja"
prefix = "C"
range = [1, 9999]
[[offices.categories]]
id = "general"
label = "General"
preferential = false
[[offices.categories]]
id = "adulto_mayor"
label = "Adulto mayor"
preferential = true
"#,
    );
    for c in 1..=COUNTERS {
        toml.push_str(&format!(
            "[[offices.counters]]\nid = \"v{c}\"\nname = \"Ventanilla {c}\"\nservices = [\"registro\", \"catastro\", \"caja\"]\n"
        ));
    }
    toml
}

/// A small deterministic generator (no randomness in figures meant to be compared).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// One day of the busy office: turns every 15 s from 08:00 to 18:00, sixteen agents
/// calling, serving 2–6 minutes, a few no-shows and calls out of order.
fn simulate(spec: &Arc<turnero::domain::OfficeSpec>, day: NaiveDate, rng: &mut Lcg) -> Vec<Event> {
    let tz = spec.timezone;
    let open = tz
        .from_local_datetime(&day.and_hms_opt(8, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let mut state = OfficeState::new(spec.clone(), day, open);
    let mut events = vec![Event::DayOpened {
        day,
        at: open,
        counters: vec![],
    }];
    let run = |state: &mut OfficeState, cmd: Command, now, events: &mut Vec<Event>| match decide(
        state, &cmd, now,
    ) {
        Ok((es, subject)) => {
            for e in &es {
                state.apply(e).expect("decided events apply");
            }
            events.extend(es);
            Some(subject)
        }
        Err(_) => None,
    };
    let act = |c: usize, action| Command::Counter {
        counter: format!("v{}", c + 1),
        agent: format!("agente{}", c + 1),
        action,
    };
    for c in 0..COUNTERS {
        run(&mut state, act(c, CounterAction::Open), open, &mut events);
    }
    let mut busy_until = [open; COUNTERS];
    let services = ["registro", "catastro", "caja"];
    let step = Duration::seconds(15);
    let mut now = open;
    let mut issued = 0;
    while issued < TURNS_PER_DAY || state.tickets.iter().any(|t| !t.status.is_final()) {
        if issued < TURNS_PER_DAY {
            let category = if rng.next(5) == 0 {
                "adulto_mayor"
            } else {
                "general"
            };
            let mut entropy = [0u8; 12];
            entropy[..8].copy_from_slice(&rng.0.to_le_bytes());
            let cmd = Command::Issue {
                service: services[rng.next(3) as usize].into(),
                category: Some(category.into()),
                issuer: None,
                entropy,
                language: None,
            };
            run(&mut state, cmd, now, &mut events);
            issued += 1;
        }
        for (c, busy) in busy_until.iter_mut().enumerate() {
            if now < *busy {
                continue;
            }
            if state.counters[c].current.is_some() {
                let finish = if rng.next(40) == 0 {
                    run(&mut state, act(c, CounterAction::Recall), now, &mut events);
                    CounterAction::NoShow
                } else {
                    CounterAction::Finish
                };
                run(&mut state, act(c, finish), now, &mut events);
            }
            let called = if rng.next(50) == 0 {
                // Now and then an agent calls the latest waiting turn by its code.
                let code = state
                    .tickets
                    .iter()
                    .rev()
                    .find(|t| t.status == turnero::domain::TicketStatus::Waiting && t.held_for == 0)
                    .map(|t| state.spec.code(t.code_service, t.number));
                code.and_then(|code| {
                    let action = CounterAction::Call {
                        code,
                        reason: Some(["cita", "relacionado"][rng.next(2) as usize].into()),
                        note: None,
                    };
                    run(&mut state, act(c, action), now, &mut events)
                })
            } else {
                run(
                    &mut state,
                    act(c, CounterAction::CallNext),
                    now,
                    &mut events,
                )
            };
            if let Some(Subject::Ticket(_)) = called {
                run(
                    &mut state,
                    act(c, CounterAction::Start),
                    now + Duration::seconds(40),
                    &mut events,
                );
                *busy = now + Duration::seconds(120 + rng.next(240) as i64);
            }
        }
        now += step;
    }
    for c in 0..COUNTERS {
        run(&mut state, act(c, CounterAction::Close), now, &mut events);
    }
    events.push(turnero::domain::close_day(&state, now));
    events
}

fn main() {
    let days: i64 = std::env::var("REPORT_BENCH_DAYS")
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(366);
    let config = turnero::config::parse(&office()).expect("the bench office parses");
    let spec = config.offices[0].clone();
    let data = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(data.path()).unwrap();
    let first = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let last = first + Duration::days(days - 1);
    let started = Instant::now();
    let (mut events_written, mut rng) = (0u64, Lcg(13));
    for d in 0..days {
        let day = first + Duration::days(d);
        let events = simulate(&spec, day, &mut rng);
        let mut version = 0;
        for chunk in events.chunks(512) {
            version = store
                .append_buffered("central", day, version, BatchId::random(), chunk)
                .unwrap();
        }
        store.sync("central", day).unwrap();
        events_written += events.len() as u64;
    }
    let bytes: u64 = std::fs::read_dir(data.path().join("central"))
        .unwrap()
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "generated {days} days, {} turns, {events_written} events, {:.1} MB of logs ({:.1} bytes per event) in {:.1} s",
        u64::from(TURNS_PER_DAY) * days as u64,
        bytes as f64 / 1e6,
        bytes as f64 / events_written as f64,
        started.elapsed().as_secs_f64()
    );
    // The last generated day is over: every day is closed, as a past year would be.
    let today = last + Duration::days(1);
    let now = turnero::domain::schedule::end_of_day(spec.timezone, last);
    let ranges = [
        ("day", last, last),
        ("month", last - Duration::days(30.min(days - 1)), last),
        ("year", first, last),
    ];
    let office_dir = data.path().join("central");
    let drop_summaries = || {
        for e in std::fs::read_dir(&office_dir)
            .unwrap()
            .filter_map(Result::ok)
        {
            if e.path().extension().is_some_and(|x| x == "summary") {
                std::fs::remove_file(e.path()).unwrap();
            }
        }
    };
    for (name, from, to) in ranges {
        let mut best = f64::MAX;
        let mut full = None;
        for _ in 0..3 {
            let t = Instant::now();
            let logs: Vec<(NaiveDate, Vec<Event>)> = store
                .days("central")
                .unwrap()
                .into_iter()
                .filter(|d| (from..=to).contains(d))
                .map(|d| {
                    let events = store
                        .read("central", d)
                        .unwrap()
                        .into_iter()
                        .filter_map(|e| match e {
                            turnero::domain::LogEntry::Event(e) => Some(e),
                            _ => None,
                        })
                        .collect();
                    (d, events)
                })
                .collect();
            let report = turnero::report::compute(&spec, from, to, &logs, now);
            best = best.min(t.elapsed().as_secs_f64());
            full = Some(report);
        }
        let full = full.expect("three runs");
        // Cold: no summaries yet, the report replays each day once and keeps its summary.
        drop_summaries();
        let t = Instant::now();
        let cold = stored::report(&store, &spec, from, to, today, now).unwrap();
        let cold_s = t.elapsed().as_secs_f64();
        let mut warm_s = f64::MAX;
        let mut warm = None;
        for _ in 0..3 {
            let t = Instant::now();
            let r = stored::report(&store, &spec, from, to, today, now).unwrap();
            warm_s = warm_s.min(t.elapsed().as_secs_f64());
            warm = Some(r);
        }
        let json = |r: &turnero::report::Report| serde_json::to_string(r).unwrap();
        let same = json(&full) == json(&cold) && Some(json(&full)) == warm.as_ref().map(json);
        println!(
            "report {name:>5} ({from}..{to}, {} turns): full replay {best:.3} s | summaries cold {cold_s:.3} s, kept {:.4} s (best of 3) | same JSON: {same}",
            full.total.turns.issued, warm_s
        );
        assert!(same, "the summaries must give the full replay's figures");
    }
    let summary_bytes: u64 = std::fs::read_dir(&office_dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "summary"))
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "summaries kept: {:.1} MB ({:.0} bytes per turn)",
        summary_bytes as f64 / 1e6,
        summary_bytes as f64 / (f64::from(TURNS_PER_DAY) * days as f64)
    );
    organisation(&store, data.path(), &spec, (first, last), today, now);
}

/// The organisation's report of `first..=last` over the office and two copies of it.
fn organisation(
    store: &EmbeddedStore,
    data: &std::path::Path,
    spec: &Arc<turnero::domain::OfficeSpec>,
    (first, last): (NaiveDate, NaiveDate),
    today: NaiveDate,
    now: chrono::DateTime<Utc>,
) {
    let mut specs = vec![spec.clone()];
    for id in ["norte", "sur"] {
        let folder = data.join(id);
        std::fs::create_dir_all(&folder).unwrap();
        for e in std::fs::read_dir(data.join("central")).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_file() {
                std::fs::copy(e.path(), folder.join(e.file_name())).unwrap();
            }
        }
        let mut copy = (**spec).clone();
        copy.id = id.to_owned();
        specs.push(Arc::new(copy));
    }
    let specs: Vec<&turnero::domain::OfficeSpec> = specs.iter().map(|s| s.as_ref()).collect();
    let one = stored::report(store, spec, first, last, today, now).unwrap();
    let mut best = f64::MAX;
    let mut org = None;
    for _ in 0..3 {
        let t = Instant::now();
        let r = turnero::report::organisation::report(store, &specs, first, last, now).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
        org = Some(r);
    }
    let org = org.expect("three runs");
    let rows_agree = org.by_office.iter().all(|r| r.figures == one.total);
    println!(
        "organisation report, year of {} offices ({} turns): {best:.3} s (best of 3) | each office's row is its own report: {rows_agree}",
        specs.len(),
        org.total.turns.issued
    );
    assert!(rows_agree && org.total.turns.issued == 3 * one.total.turns.issued);
}
