//! Adds days' [`DaySummary`]s up into the figures of a range — of one office, or of
//! several (the organisation's report): counts are summed, the sorted runs of waits and
//! service times are summarised together without merging them, and each group is found
//! by its slug in the configuration that covers its office's days.
//!
//! Across offices, services and categories with the same slug are one group (the
//! organisation's "Registro" is every office's), agents are one person wherever they
//! worked, and counters — places in one office — are named `office/counter`.

use super::day::{Answer, DaySummary, GroupFacts, TurnKeys};
use super::forecast_accuracy::{alert_rows, forecast_rows, AlertCount, ForecastRow};
use super::stats::{Satisfaction, Share, Summary};
use super::{CaseCount, Figures, PauseRow, Row, TurnCounts};
use crate::domain::survey::{CaseType, Scores};
use crate::domain::OfficeSpec;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// One office's share of a range.
pub(super) struct Part<'a> {
    /// The configuration that covers the office's days (see `OfficeSpec::covering`).
    pub(super) spec: &'a OfficeSpec,
    /// The summaries of its days (days out of the range are left out).
    pub(super) days: Vec<&'a DaySummary>,
    /// The survey answers about its turns in range.
    pub(super) answers: &'a [Answer],
}

impl<'a> Part<'a> {
    /// The part of `spec`'s office: the days of `from..=to` among `days`.
    pub(super) fn new(
        spec: &'a OfficeSpec,
        from: NaiveDate,
        to: NaiveDate,
        days: &'a [DaySummary],
        answers: &'a [Answer],
    ) -> Self {
        let days = days
            .iter()
            .filter(|d| (from..=to).contains(&d.day))
            .collect();
        Part {
            spec,
            days,
            answers,
        }
    }
}

/// The figures of a range, before they are dressed as a report.
pub(super) struct Merged {
    pub(super) total: Figures,
    /// One row per part, in their order.
    pub(super) by_office: Vec<Row>,
    pub(super) by_service: Vec<Row>,
    pub(super) by_class: Vec<Row>,
    pub(super) by_category: Vec<Row>,
    pub(super) by_counter: Vec<Row>,
    pub(super) by_agent: Vec<Row>,
    pub(super) by_hour: Vec<Row>,
    pub(super) pauses: Vec<PauseRow>,
    pub(super) cases: Vec<CaseCount>,
    pub(super) forecast_accuracy: Vec<ForecastRow>,
    pub(super) alerts: Vec<AlertCount>,
}

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

/// Groups named by slug, in the order they were first met.
#[derive(Default)]
struct Slots<'a> {
    rows: Vec<(String, String)>,
    index: HashMap<String, usize>,
    groups: Vec<Group<'a>>,
}

impl Slots<'_> {
    /// The slot of `id` (named `name` when it is new).
    fn slot(&mut self, id: String, name: &str) -> usize {
        if let Some(&i) = self.index.get(&id) {
            return i;
        }
        self.index.insert(id.clone(), self.rows.len());
        self.rows.push((id, name.to_owned()));
        self.groups.push(Group::default());
        self.rows.len() - 1
    }

    fn rows(&self) -> Vec<Row> {
        self.rows
            .iter()
            .zip(&self.groups)
            .map(|((id, name), g)| row(id, name, g))
            .collect()
    }
}

/// The groups of the range.
#[derive(Default)]
struct Groups<'a> {
    total: Group<'a>,
    office: Vec<Group<'a>>,
    service: Slots<'a>,
    class: [Group<'a>; 2],
    category: Slots<'a>,
    counter: Slots<'a>,
    agent: BTreeMap<&'a str, Group<'a>>,
    hour: BTreeMap<u8, Group<'a>>,
}

/// A day's slug indices mapped to the range's slots.
struct Map {
    service: Vec<Option<usize>>,
    category: Vec<Option<usize>>,
    counter: Vec<Option<usize>>,
}

impl Map {
    /// `slots` are the slots of the spec's services, categories and counters, in its order.
    fn new(spec: &OfficeSpec, slots: &[Vec<usize>; 3], d: &DaySummary) -> Map {
        let idx = |ids: &[String], find: &dyn Fn(&str) -> Option<u16>, slots: &[usize]| {
            ids.iter()
                .map(|id| find(id).and_then(|i| slots.get(usize::from(i)).copied()))
                .collect()
        };
        Map {
            service: idx(&d.services, &|id| spec.service_idx(id), &slots[0]),
            category: idx(&d.categories, &|id| spec.category_idx(id), &slots[1]),
            counter: idx(&d.counters, &|id| spec.counter_idx(id), &slots[2]),
        }
    }
}

fn row(id: &str, name: &str, group: &Group) -> Row {
    Row {
        id: id.to_owned(),
        name: name.to_owned(),
        figures: group.figures(),
        idle_seconds: None,
        pause_seconds: None,
    }
}

fn secs(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

/// The figures of the parts' ranges added up. With more than one part, counters are
/// named by office (`office/counter`, "Office · Counter").
pub(super) fn merge(parts: &[Part]) -> Merged {
    let mut g = Groups::default();
    let qualify = parts.len() > 1;
    let (mut idle, mut paused) = (BTreeMap::<&str, u64>::new(), BTreeMap::<&str, u64>::new());
    let mut pauses: BTreeMap<&str, (u32, u64)> = BTreeMap::new();
    let mut cases: BTreeMap<usize, u32> = BTreeMap::new();
    for (office, part) in parts.iter().enumerate() {
        let spec = part.spec;
        // Every configured group has a row, turns or not, in the configuration's order.
        let slots = [
            spec.services
                .iter()
                .map(|s| g.service.slot(s.id.clone(), &s.name))
                .collect(),
            spec.categories
                .iter()
                .map(|c| g.category.slot(c.id.clone(), &c.label))
                .collect(),
            spec.counters
                .iter()
                .map(|c| match qualify {
                    true => g.counter.slot(
                        format!("{}/{}", spec.id, c.id),
                        &format!("{} · {}", spec.name, c.name),
                    ),
                    false => g.counter.slot(c.id.clone(), &c.name),
                })
                .collect(),
        ];
        g.office.push(Group::default());
        let maps: HashMap<NaiveDate, (Map, &DaySummary)> = part
            .days
            .iter()
            .map(|d| (d.day, (Map::new(spec, &slots, d), *d)))
            .collect();
        for d in &part.days {
            let m = &maps[&d.day].0;
            g.total.add(&d.total);
            g.office[office].add(&d.total);
            let pairs = [
                (&mut g.service, &d.by_service, &m.service),
                (&mut g.category, &d.by_category, &m.category),
                (&mut g.counter, &d.by_counter, &m.counter),
            ];
            for (slots, facts, map) in pairs {
                for (f, i) in facts.iter().zip(map) {
                    if let Some(group) = i.and_then(|i| slots.groups.get_mut(i)) {
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
        for s in part.answers {
            if let Some(c) = s.case_type {
                *cases
                    .entry(CaseType::ALL.iter().position(|x| *x == c).unwrap_or(0))
                    .or_default() += 1;
            }
            match maps
                .get(&s.day)
                .and_then(|(m, d)| Some((m, d, d.turns.get(&s.seq)?)))
            {
                Some((m, d, keys)) => each(&mut g, office, m, d, keys, |a| a.scores.push(s.scores)),
                // The turn's log was not readable: the answer still counts for the office.
                None => {
                    g.total.scores.push(s.scores);
                    g.office[office].scores.push(s.scores);
                }
            }
        }
    }
    let specs: Vec<&OfficeSpec> = parts.iter().map(|p| p.spec).collect();
    let days = || parts.iter().flat_map(|p| &p.days);
    Merged {
        forecast_accuracy: forecast_rows(&specs, days().map(|d| &d.forecasts)),
        alerts: alert_rows(days().map(|d| &d.alerts)),
        total: g.total.figures(),
        by_office: parts
            .iter()
            .zip(&g.office)
            .map(|(p, o)| row(&p.spec.id, &p.spec.name, o))
            .collect(),
        by_service: g.service.rows(),
        by_class: vec![
            row("preferential", "Preferencial", &g.class[0]),
            row("general", "General", &g.class[1]),
        ],
        by_category: g.category.rows(),
        by_counter: g.counter.rows(),
        by_agent: agent_rows(&g.agent, &idle, &paused),
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
    }
}

/// Every agent who served, idled or paused, by username, with idle and pause time.
fn agent_rows(
    groups: &BTreeMap<&str, Group>,
    idle: &BTreeMap<&str, u64>,
    paused: &BTreeMap<&str, u64>,
) -> Vec<Row> {
    let mut agents: Vec<&str> = groups
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
            ..row(a, a, groups.get(a).unwrap_or(&empty))
        })
        .collect()
}

/// Applies `f` to every group a turn of part `office` counts in.
fn each<'a>(
    g: &mut Groups<'a>,
    office: usize,
    m: &Map,
    d: &'a DaySummary,
    k: &TurnKeys,
    f: impl Fn(&mut Group<'a>),
) {
    f(&mut g.total);
    f(&mut g.office[office]);
    if let Some(s) = pick(&m.service, k.service).and_then(|i| g.service.groups.get_mut(i)) {
        f(s);
    }
    f(&mut g.class[usize::from(!k.preferential)]);
    if let Some(c) = pick(&m.category, k.category).and_then(|i| g.category.groups.get_mut(i)) {
        f(c);
    }
    if let Some(c) = k
        .counter
        .and_then(|c| pick(&m.counter, c))
        .and_then(|i| g.counter.groups.get_mut(i))
    {
        f(c);
    }
    if let Some(a) = k.agent.and_then(|a| d.agents.get(usize::from(a))) {
        f(g.agent.entry(a).or_default());
    }
    f(g.hour.entry(k.hour).or_default());
}

/// The range's slot of a day's index (`None` for one the day's lists do not hold).
fn pick(map: &[Option<usize>], i: u16) -> Option<usize> {
    map.get(usize::from(i)).copied().flatten()
}
