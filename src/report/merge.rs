//! Adds days' [`DaySummary`]s up into the [`Report`] of a range: counts are summed, the
//! sorted runs of waits and service times are summarised together without merging
//! them, and each group is found by its slug in the configuration that covers them all.

use super::day::{Answer, DaySummary, GroupFacts, TurnKeys};
use super::fairness;
use super::forecast_accuracy::{alert_rows, forecast_rows};
use super::stats::{Satisfaction, Share, Summary};
use super::{CaseCount, Figures, PauseRow, Report, Row, TurnCounts};
use crate::domain::survey::{CaseType, Scores};
use crate::domain::OfficeSpec;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// A group of the range: its days' facts, by reference.
#[derive(Default)]
struct Group<'a> {
    turns: TurnCounts,
    waits: Vec<&'a [u32]>,
    services: Vec<&'a [u32]>,
    within: u32,
    scores: Vec<Scores>,
}

impl<'a> Group<'a> {
    fn add(&mut self, f: &'a GroupFacts) {
        self.turns.add(&f.turns);
        self.waits.push(&f.waits);
        self.services.push(&f.services);
        self.within += f.within;
    }

    fn figures(&self) -> Figures {
        let waits = Summary::of_runs(&self.waits);
        Figures {
            turns: self.turns.clone(),
            within_target: Share::new(self.within, waits.count as u32),
            wait_seconds: waits,
            service_seconds: Summary::of_runs(&self.services),
            satisfaction: Satisfaction::of(&self.scores, self.turns.served),
        }
    }
}

/// The groups of the range, indexed as the covering configuration lists them.
#[derive(Default)]
struct Groups<'a> {
    total: Group<'a>,
    service: Vec<Group<'a>>,
    class: [Group<'a>; 2],
    category: Vec<Group<'a>>,
    counter: Vec<Group<'a>>,
    agent: BTreeMap<&'a str, Group<'a>>,
    hour: BTreeMap<u8, Group<'a>>,
}

/// A day's slug indices mapped to the covering configuration's.
struct Map {
    service: Vec<Option<usize>>,
    category: Vec<Option<usize>>,
    counter: Vec<Option<usize>>,
}

impl Map {
    fn new(spec: &OfficeSpec, d: &DaySummary) -> Map {
        let idx = |ids: &[String], find: &dyn Fn(&str) -> Option<usize>| {
            ids.iter().map(|id| find(id)).collect()
        };
        Map {
            service: idx(&d.services, &|id| spec.service_idx(id).map(usize::from)),
            category: idx(&d.categories, &|id| spec.category_idx(id).map(usize::from)),
            counter: idx(&d.counters, &|id| spec.counter_idx(id).map(usize::from)),
        }
    }
}

/// The report of `from..=to` from the summaries of its days (`days` may hold others:
/// only those in range count) and the survey answers about turns in range.
pub(super) fn merge(
    spec: &OfficeSpec,
    from: NaiveDate,
    to: NaiveDate,
    days: &[DaySummary],
    answers: &[Answer],
) -> Report {
    let days: Vec<&DaySummary> = days
        .iter()
        .filter(|d| (from..=to).contains(&d.day))
        .collect();
    let mut g = Groups {
        service: spec.services.iter().map(|_| Group::default()).collect(),
        category: spec.categories.iter().map(|_| Group::default()).collect(),
        counter: spec.counters.iter().map(|_| Group::default()).collect(),
        ..Groups::default()
    };
    let maps: HashMap<NaiveDate, (Map, &DaySummary)> = days
        .iter()
        .map(|d| (d.day, (Map::new(spec, d), *d)))
        .collect();
    let (mut idle, mut paused) = (BTreeMap::<&str, u64>::new(), BTreeMap::<&str, u64>::new());
    let mut pauses: BTreeMap<&str, (u32, u64)> = BTreeMap::new();
    for d in &days {
        let m = &maps[&d.day].0;
        g.total.add(&d.total);
        let pairs = [
            (&mut g.service, &d.by_service, &m.service),
            (&mut g.category, &d.by_category, &m.category),
            (&mut g.counter, &d.by_counter, &m.counter),
        ];
        for (groups, facts, map) in pairs {
            for (f, i) in facts.iter().zip(map) {
                if let Some(group) = i.and_then(|i| groups.get_mut(i)) {
                    group.add(f);
                }
            }
        }
        for (class, f) in g.class.iter_mut().zip(&d.by_class) {
            class.add(f);
        }
        for (a, f) in &d.by_agent {
            g.agent.entry(a).or_default().add(f);
        }
        for (h, f) in &d.by_hour {
            g.hour.entry(*h).or_default().add(f);
        }
        for (a, ms) in &d.time.idle {
            *idle.entry(a).or_default() += ms;
        }
        for (a, ms) in &d.time.paused {
            *paused.entry(a).or_default() += ms;
        }
        for (r, (n, ms)) in &d.time.pauses {
            let p = pauses.entry(r).or_default();
            p.0 += n;
            p.1 += ms;
        }
    }
    let mut cases: BTreeMap<usize, u32> = BTreeMap::new();
    for s in answers {
        if let Some(c) = s.case_type {
            *cases
                .entry(CaseType::ALL.iter().position(|x| *x == c).unwrap_or(0))
                .or_default() += 1;
        }
        match maps
            .get(&s.day)
            .and_then(|(m, d)| Some((m, d, d.turns.get(&s.seq)?)))
        {
            Some((m, d, keys)) => each(&mut g, m, d, keys, |a| a.scores.push(s.scores)),
            // The turn's log was not readable: the answer still counts for the office.
            None => g.total.scores.push(s.scores),
        }
    }
    let row = |id: &str, name: &str, group: &Group| Row {
        id: id.to_owned(),
        name: name.to_owned(),
        figures: group.figures(),
        idle_seconds: None,
        pause_seconds: None,
    };
    let secs = |ms: u64| ms as f64 / 1000.0;
    Report {
        forecast_accuracy: forecast_rows(spec, days.iter().map(|d| &d.forecasts)),
        alerts: alert_rows(days.iter().map(|d| &d.alerts)),
        office: spec.id.clone(),
        from,
        to,
        timezone: spec.timezone.name().to_owned(),
        total: g.total.figures(),
        by_service: spec
            .services
            .iter()
            .zip(&g.service)
            .map(|(s, a)| row(&s.id, &s.name, a))
            .collect(),
        by_class: vec![
            row("preferential", "Preferencial", &g.class[0]),
            row("general", "General", &g.class[1]),
        ],
        by_category: spec
            .categories
            .iter()
            .zip(&g.category)
            .map(|(c, a)| row(&c.id, &c.label, a))
            .collect(),
        by_counter: spec
            .counters
            .iter()
            .zip(&g.counter)
            .map(|(c, a)| row(&c.id, &c.name, a))
            .collect(),
        by_agent: {
            let mut agents: Vec<&str> = g
                .agent
                .keys()
                .chain(idle.keys())
                .chain(paused.keys())
                .copied()
                .filter(|a| !a.is_empty())
                .collect();
            agents.sort_unstable();
            agents.dedup();
            let empty = Group::default();
            agents
                .into_iter()
                .map(|a| Row {
                    idle_seconds: Some(secs(idle.get(a).copied().unwrap_or(0))),
                    pause_seconds: Some(secs(paused.get(a).copied().unwrap_or(0))),
                    ..row(a, a, g.agent.get(a).unwrap_or(&empty))
                })
                .collect()
        },
        by_hour: g
            .hour
            .iter()
            .map(|(h, a)| {
                row(
                    &format!("{h:02}"),
                    &format!("{h:02}:00–{:02}:00", (h + 1) % 24),
                    a,
                )
            })
            .collect(),
        pauses: pauses
            .into_iter()
            .map(|(reason, (count, ms))| PauseRow {
                reason: reason.to_owned(),
                count,
                total_seconds: secs(ms),
            })
            .collect(),
        cases: cases
            .into_iter()
            .map(|(i, count)| CaseCount {
                case_type: CaseType::ALL[i],
                count,
            })
            .collect(),
        fairness: fairness::fairness(spec, days.iter().map(|d| &d.fairness)),
    }
}

/// Applies `f` to every group a turn counts in.
fn each<'a>(
    g: &mut Groups<'a>,
    m: &Map,
    d: &'a DaySummary,
    k: &TurnKeys,
    f: impl Fn(&mut Group<'a>),
) {
    f(&mut g.total);
    if let Some(s) = pick(&m.service, k.service).and_then(|i| g.service.get_mut(i)) {
        f(s);
    }
    f(&mut g.class[usize::from(!k.preferential)]);
    if let Some(c) = pick(&m.category, k.category).and_then(|i| g.category.get_mut(i)) {
        f(c);
    }
    if let Some(c) = k
        .counter
        .and_then(|c| pick(&m.counter, c))
        .and_then(|i| g.counter.get_mut(i))
    {
        f(c);
    }
    if let Some(a) = k.agent.and_then(|a| d.agents.get(usize::from(a))) {
        f(g.agent.entry(a).or_default());
    }
    f(g.hour.entry(k.hour).or_default());
}

/// The covering index of a day's index (`None` for one the day's lists do not hold).
fn pick(map: &[Option<usize>], i: u16) -> Option<usize> {
    map.get(usize::from(i)).copied().flatten()
}
