//! The report from kept summaries against the full replay, on 30 generated days of the
//! demo office in a real embedded store: byte-identical JSON, cold and warm, and after
//! the summaries were deleted, damaged, outdated by their log, or the configuration
//! changed.

use super::*;
use crate::domain::survey::{CaseType, Scores};
use crate::domain::{
    close_day, decide, Command, CounterAction, OfficeState, Subject, TicketStatus,
};
use crate::store::{BatchId, EmbeddedStore};
use chrono::{Duration, TimeZone};

pub(crate) const DAYS: i64 = 30;
const TURNS: u32 = 200;

pub(crate) fn spec() -> Arc<OfficeSpec> {
    crate::config::Config::demo("x", "k").unwrap().offices[0].clone()
}

pub(crate) fn first() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()
}

pub(crate) struct Lcg(pub(crate) u64);
impl Lcg {
    pub(crate) fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// A served turn that may be answered later: (day, seq, token, service, category,
/// counter, agent).
pub(crate) type Served = (
    NaiveDate,
    u32,
    crate::domain::Token,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// One day through the domain: turns of every service and category, calls in and out
/// of order, no-shows, transfers, pauses, and the answers to earlier days' surveys.
pub(crate) fn simulate(
    spec: &Arc<OfficeSpec>,
    day: NaiveDate,
    rng: &mut Lcg,
    served: &mut Vec<Served>,
) -> Vec<Event> {
    let open = spec
        .timezone
        .from_local_datetime(&day.and_hms_opt(8, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let mut state = OfficeState::new(spec.clone(), day, open);
    let mut events = vec![Event::DayOpened {
        day,
        at: open,
        counters: vec![],
    }];
    let run = |state: &mut OfficeState, cmd: Command, now, events: &mut Vec<Event>| {
        let (es, subject) = decide(state, &cmd, now).ok()?;
        for e in &es {
            state.apply(e).expect("decided events apply");
        }
        events.extend(es);
        Some(subject)
    };
    let n = spec.counters.len();
    let act = |c: usize, action| Command::Counter {
        counter: spec.counters[c].id.clone(),
        agent: format!("agente{}", c + 1),
        action,
    };
    for c in 0..n {
        run(&mut state, act(c, CounterAction::Open), open, &mut events);
    }
    // Answers to the surveys of turns served one to three days before.
    let due: Vec<Served> = served
        .iter()
        .filter(|s| (1..=3).contains(&(day - s.0).num_days()) && rng.next(4) == 0)
        .cloned()
        .collect();
    served.retain(|s| (day - s.0).num_days() < 3);
    for (i, (d, seq, token, service, category, counter, agent)) in due.into_iter().enumerate() {
        let score = |rng: &mut Lcg| 1 + rng.next(5) as u8;
        events.push(Event::SurveyAnswered {
            day: d,
            seq,
            token,
            service,
            category,
            counter,
            agent,
            scores: Scores {
                overall: score(rng),
                attention: score(rng),
                clarity: score(rng),
                wait_time: score(rng),
                response_time: score(rng),
            },
            comment: None,
            case_type: (rng.next(5) == 0).then_some(CaseType::ALL[i % CaseType::ALL.len()]),
            at: open + Duration::seconds(i as i64),
        });
    }
    let mut busy = vec![open; n];
    let mut now = open;
    let mut issued = 0;
    while issued < TURNS || state.tickets.iter().any(|t| !t.status.is_final()) {
        if issued < TURNS {
            let category = &spec.categories[rng.next(spec.categories.len() as u64) as usize];
            let mut entropy = [0u8; 12];
            entropy[..8].copy_from_slice(&rng.0.to_le_bytes());
            let service = &spec.services[rng.next(spec.services.len() as u64) as usize];
            let cmd = Command::Issue {
                service: service.id.clone(),
                category: Some(category.id.clone()),
                issuer: None,
                entropy,
                language: None,
            };
            run(&mut state, cmd, now, &mut events);
            issued += 1;
        }
        for (c, busy) in busy.iter_mut().enumerate() {
            if now < *busy {
                continue;
            }
            if let Some(seq) = state.counters[c].current {
                let came = state.tickets[seq as usize].status != TicketStatus::Called;
                if !came {
                    run(&mut state, act(c, CounterAction::Recall), now, &mut events);
                }
                let action = match rng.next(30) {
                    _ if !came => CounterAction::NoShow,
                    0 => CounterAction::Transfer {
                        service: spec.services[rng.next(spec.services.len() as u64) as usize]
                            .id
                            .clone(),
                    },
                    _ => CounterAction::Finish,
                };
                if run(&mut state, act(c, action.clone()), now, &mut events).is_none() {
                    run(&mut state, act(c, CounterAction::Finish), now, &mut events);
                }
                let t = &state.tickets[seq as usize];
                if t.status == TicketStatus::Served {
                    served.push((
                        day,
                        t.seq,
                        t.token,
                        state.spec.services[usize::from(t.service)].id.clone(),
                        state.spec.categories[usize::from(t.category)].id.clone(),
                        t.counter
                            .map(|i| state.spec.counters[usize::from(i)].id.clone()),
                        state.agent_of(t.seq).map(str::to_owned),
                    ));
                }
            }
            if rng.next(60) == 0 {
                let reason = ["café", "almuerzo"][rng.next(2) as usize].to_owned();
                run(
                    &mut state,
                    act(c, CounterAction::Pause { reason }),
                    now,
                    &mut events,
                );
                *busy = now + Duration::seconds(300);
                continue;
            }
            run(&mut state, act(c, CounterAction::Resume), now, &mut events);
            let called = if rng.next(15) == 0 {
                let code = state
                    .tickets
                    .iter()
                    .rev()
                    .find(|t| t.status == TicketStatus::Waiting && t.held_for == 0)
                    .map(|t| state.spec.code(t.code_service, t.number));
                code.and_then(|code| {
                    let reason = state.spec.out_of_order_reasons[0].id.clone();
                    let call = CounterAction::Call {
                        code,
                        reason: Some(reason),
                        note: Some("cita previa".into()),
                    };
                    run(&mut state, act(c, call), now, &mut events)
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
                if rng.next(20) != 0 {
                    let start = now + Duration::seconds(20 + rng.next(40) as i64);
                    run(&mut state, act(c, CounterAction::Start), start, &mut events);
                }
                *busy = now + Duration::seconds(60 + rng.next(400) as i64);
            }
        }
        now += Duration::seconds(20 + rng.next(40) as i64);
    }
    for c in 0..n {
        run(&mut state, act(c, CounterAction::Close), now, &mut events);
    }
    events.push(close_day(&state, now));
    events
}

/// The data folder with `DAYS` days; the last is today (still open: no `DayClosed`).
fn generated() -> (tempfile::TempDir, EmbeddedStore, NaiveDate, DateTime<Utc>) {
    let spec = spec();
    let data = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(data.path()).unwrap();
    let (mut rng, mut served) = (Lcg(7), Vec::new());
    for d in 0..DAYS {
        let day = first() + Duration::days(d);
        let mut events = simulate(&spec, day, &mut rng, &mut served);
        if d == DAYS - 1 {
            events.pop();
        }
        store
            .append("central", day, 0, BatchId::random(), &events)
            .unwrap();
    }
    let today = first() + Duration::days(DAYS - 1);
    let now = spec
        .timezone
        .from_local_datetime(&today.and_hms_opt(20, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    (data, store, today, now)
}

/// The full replay as the report did it before summaries: every log in the window.
fn replayed(
    store: &EmbeddedStore,
    spec: &Arc<OfficeSpec>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> String {
    let last = last_day(to, spec.survey_days).min(today);
    let logs: Vec<(NaiveDate, Vec<Event>)> = store
        .days("central")
        .unwrap()
        .into_iter()
        .filter(|d| (from..=last).contains(d))
        .map(|d| (d, events_of(store, "central", d).unwrap()))
        .collect();
    serde_json::to_string(&super::super::compute(spec, from, to, &logs, now)).unwrap()
}

fn fast(
    store: &EmbeddedStore,
    spec: &Arc<OfficeSpec>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> String {
    serde_json::to_string(&report(store, spec, from, to, today, now).unwrap()).unwrap()
}

fn summary_file(data: &tempfile::TempDir, day: NaiveDate) -> std::path::PathBuf {
    data.path()
        .join("central")
        .join(format!("{}.summary", day.format("%Y-%m-%d")))
}

#[test]
fn summaries_give_the_full_replays_figures() {
    let (data, store, today, now) = generated();
    let spec = spec();
    let ranges = [
        (first(), today),                     // everything, today included
        (first(), today - Duration::days(1)), // closed days only
        (first() + Duration::days(3), first() + Duration::days(9)), // answers after `to`
        (today, today),
        (first(), first()),
    ];
    for (from, to) in ranges {
        let full = replayed(&store, &spec, from, to, today, now);
        assert_eq!(
            fast(&store, &spec, from, to, today, now),
            full,
            "cold {from}..{to}"
        );
        assert_eq!(
            fast(&store, &spec, from, to, today, now),
            full,
            "warm {from}..{to}"
        );
    }
    let all: Report =
        serde_json::from_str::<serde_json::Value>(&fast(&store, &spec, first(), today, today, now))
            .map(|_| report(&store, &spec, first(), today, today, now).unwrap())
            .unwrap();
    // The generated days exercise what the summaries must carry.
    assert_eq!(all.total.turns.issued, TURNS * DAYS as u32);
    assert!(all.total.satisfaction.responses > 50, "answers days later");
    assert!(!all.cases.is_empty());
    assert!(
        all.total.turns.transferred > 0 && all.total.turns.no_show > 0,
        "{:?}",
        all.total.turns
    );
    assert!(!all.pauses.is_empty() && !all.fairness.out_of_order.is_empty());
    // Every closed day has its summary; today has none.
    for d in 0..DAYS - 1 {
        assert!(summary_file(&data, first() + Duration::days(d)).exists());
    }
    assert!(!summary_file(&data, today).exists());
}

#[test]
fn a_deleted_damaged_or_outdated_summary_is_rebuilt() {
    let (data, store, today, now) = generated();
    let spec = spec();
    let (from, to) = (first(), today - Duration::days(1));
    let full = replayed(&store, &spec, from, to, today, now);
    assert_eq!(fast(&store, &spec, from, to, today, now), full);

    // Deleted: rebuilt and kept again.
    let deleted = first() + Duration::days(4);
    std::fs::remove_file(summary_file(&data, deleted)).unwrap();
    assert_eq!(fast(&store, &spec, from, to, today, now), full);
    assert!(summary_file(&data, deleted).exists());

    // One byte damaged in the middle: the CRC tells, the day is replayed.
    let damaged = first() + Duration::days(6);
    let path = summary_file(&data, damaged);
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(decode(&bytes).err(), Some(SummaryError::Damaged));
    assert_eq!(fast(&store, &spec, from, to, today, now), full);
    assert!(decode(&std::fs::read(&path).unwrap()).is_ok());

    // Another version of the format.
    let other = first() + Duration::days(7);
    let path = summary_file(&data, other);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[4] = 99;
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(decode(&bytes).err(), Some(SummaryError::OtherVersion(99)));
    assert_eq!(fast(&store, &spec, from, to, today, now), full);

    // Older than its log: a record added to a closed day after its summary was made.
    let grown = first() + Duration::days(2);
    let version = store.load("central", grown).unwrap().version();
    let answered = store.read("central", grown).unwrap().len();
    assert!(answered > 0);
    let late = Event::SurveyAnswered {
        day: grown,
        seq: 0,
        token: crate::domain::Token::new([9; 12], grown),
        service: spec.services[0].id.clone(),
        category: spec.categories[0].id.clone(),
        counter: None,
        agent: None,
        scores: Scores {
            overall: 1,
            attention: 1,
            clarity: 1,
            wait_time: 1,
            response_time: 1,
        },
        comment: None,
        case_type: Some(CaseType::ALL[0]),
        at: now,
    };
    store
        .append("central", grown, version, BatchId::random(), &[late])
        .unwrap();
    let full_after = replayed(&store, &spec, from, to, today, now);
    assert_ne!(full_after, full);
    assert_eq!(fast(&store, &spec, from, to, today, now), full_after);
}

#[test]
fn a_changed_configuration_never_makes_a_summary_wrong() {
    let (_data, store, today, now) = generated();
    let spec = spec();
    let (from, to) = (first(), today);
    assert_eq!(
        fast(&store, &spec, from, to, today, now),
        replayed(&store, &spec, from, to, today, now)
    );

    // A service renamed (a new slug, its old turns under the old one) with another
    // target wait, a counter removed, a category relabelled.
    let mut changed = (*spec).clone();
    changed.services[0].id = "registro_civil".into();
    changed.services[1].target_wait_seconds += 120;
    changed.counters.pop();
    changed.categories[0].label = "Todos".into();
    changed.derive_competing();
    let changed = Arc::new(changed);
    let full = replayed(&store, &changed, from, to, today, now);
    let fast_changed = fast(&store, &changed, from, to, today, now);
    assert_eq!(fast_changed, full);
    assert!(
        full.contains("\"id\":\"registro_civil\"")
            && full.contains(&format!("\"id\":\"{}\"", spec.services[0].id))
    );

    // Only names changed: the kept summaries still fit (same fingerprint).
    let mut renamed = (*spec).clone();
    renamed.services[2].name = "Caja y pagos".into();
    assert_eq!(fingerprint(&renamed), fingerprint(&spec));
    let renamed = Arc::new(renamed);
    assert_eq!(
        fast(&store, &renamed, from, to, today, now),
        replayed(&store, &renamed, from, to, today, now)
    );
}
