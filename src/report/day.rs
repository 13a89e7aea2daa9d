//! One day's report facts ([`DaySummary`]): everything the report takes from a day, kept
//! so that days add up into any range with the figures a replay of every day would give.
//!
//! Why it is exact: waits and service times are whole milliseconds kept sorted (the
//! range's percentiles are selected across the days' runs, its means come from integer
//! sums), idle and pause times are whole milliseconds, and every group is named by its
//! slug (a service renamed or removed since still counts under its own), with the refs a
//! report needs to cover the slugs the configuration no longer has.

use super::fairness::{DayFairness, Watch};
use super::forecast_accuracy::{day_alerts, day_forecasts, DayAlerts, DayForecasts};
use super::walk::{replay_day, Time};
use super::{millis, TurnCounts};
use crate::domain::spec::{spec_refs, SpecRef};
use crate::domain::survey::{CaseType, Scores};
use crate::domain::{Event, OfficeSpec, TicketStatus};
use chrono::{DateTime, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The facts of one group of a day's turns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct GroupFacts {
    pub(super) turns: TurnCounts,
    /// Issue to first call, ms, ascending.
    #[serde(with = "deltas")]
    pub(super) waits: Vec<u32>,
    /// Start (or call) to finish, ms, ascending.
    #[serde(with = "deltas")]
    pub(super) services: Vec<u32>,
    /// Called within their service's target wait.
    pub(super) within: u32,
}

/// Where one turn counts, as indices into its day's slug lists (for the survey answers,
/// which arrive later and count in their turn's groups).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct TurnKeys {
    pub(super) service: u16,
    pub(super) category: u16,
    pub(super) preferential: bool,
    pub(super) counter: Option<u16>,
    pub(super) agent: Option<u16>,
    pub(super) hour: u8,
}

/// A survey answer found in a day's log (about a turn of that day or an earlier one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Answer {
    pub(super) day: NaiveDate,
    pub(super) seq: u32,
    pub(super) scores: Scores,
    pub(super) case_type: Option<CaseType>,
}

/// Everything the report needs from one day's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DaySummary {
    /// The local day.
    pub day: NaiveDate,
    /// The services, categories and counters the log names, as `covering` needs them.
    pub(super) refs: Vec<SpecRef>,
    /// Slugs of the services, categories and counters the indices below point to.
    pub(super) services: Vec<String>,
    pub(super) categories: Vec<String>,
    pub(super) counters: Vec<String>,
    /// Agents named by [`TurnKeys::agent`].
    pub(super) agents: Vec<String>,
    pub(super) total: GroupFacts,
    /// Aligned with `services`, `categories` and `counters`.
    pub(super) by_service: Vec<GroupFacts>,
    pub(super) by_category: Vec<GroupFacts>,
    pub(super) by_counter: Vec<GroupFacts>,
    /// Preferential, general.
    pub(super) by_class: [GroupFacts; 2],
    pub(super) by_agent: BTreeMap<String, GroupFacts>,
    pub(super) by_hour: BTreeMap<u8, GroupFacts>,
    /// The day's turns by sequence (placeholders left out).
    pub(super) turns: BTreeMap<u32, TurnKeys>,
    pub(super) time: Time,
    pub(super) fairness: DayFairness,
    pub(super) forecasts: DayForecasts,
    pub(super) alerts: DayAlerts,
    /// Survey answers written in this day's log.
    pub(super) answers: Vec<Answer>,
}

impl DaySummary {
    /// Replays one day's events under `spec` (which must cover them: see
    /// `OfficeSpec::covering`); `now` ends the intervals of a day still open.
    pub fn of(
        spec: &Arc<OfficeSpec>,
        day: NaiveDate,
        events: &[Event],
        now: DateTime<Utc>,
    ) -> Self {
        let mut time = Time::default();
        let mut watch = Watch::new(day);
        let (state, closed_served) = replay_day(spec, day, events, now, &mut time, &mut watch);
        let fairness = watch.finish(&state);
        let ids = |v: Vec<&String>| v.into_iter().cloned().collect::<Vec<_>>();
        let mut s = DaySummary {
            day,
            refs: spec_refs(events),
            services: ids(spec.services.iter().map(|s| &s.id).collect()),
            categories: ids(spec.categories.iter().map(|c| &c.id).collect()),
            counters: ids(spec.counters.iter().map(|c| &c.id).collect()),
            agents: Vec::new(),
            total: GroupFacts::default(),
            by_service: vec![GroupFacts::default(); spec.services.len()],
            by_category: vec![GroupFacts::default(); spec.categories.len()],
            by_counter: vec![GroupFacts::default(); spec.counters.len()],
            by_class: Default::default(),
            by_agent: BTreeMap::new(),
            by_hour: BTreeMap::new(),
            turns: BTreeMap::new(),
            time,
            fairness,
            forecasts: day_forecasts(events),
            alerts: day_alerts(events),
            answers: answers_in(events),
        };
        for t in state.tickets.iter().filter(|t| !t.placeholder) {
            let agent = state.agent_of(t.seq).map(str::to_owned);
            let keys = TurnKeys {
                service: t.code_service,
                category: t.category,
                preferential: t.preferential,
                counter: t.counter,
                agent: agent.as_ref().map(|a| s.agent_index(a)),
                hour: t.issued_at.with_timezone(&spec.timezone).hour() as u8,
            };
            let wait = t.first_called_at.map(|c| millis(t.issued_at, c) as u32);
            let target = u64::from(spec.services[usize::from(t.code_service)].target_wait_seconds);
            let service_time = (t.status == TicketStatus::Served
                && !closed_served.contains(&t.seq))
            .then(|| {
                t.finished_at
                    .zip(t.started_at.or(t.called_at))
                    .map(|(end, began)| millis(began, end) as u32)
            })
            .flatten();
            s.each(&keys, agent.as_deref(), |g| {
                g.turns.issued += 1;
                match t.status {
                    TicketStatus::Served => g.turns.served += 1,
                    TicketStatus::NoShow => g.turns.no_show += 1,
                    TicketStatus::Expired => g.turns.expired += 1,
                    TicketStatus::Cancelled => g.turns.cancelled += 1,
                    _ => {}
                }
                if t.transfers > 0 {
                    g.turns.transferred += 1;
                }
                if t.snoozed {
                    g.turns.snoozed += 1;
                }
                if let Some(w) = wait {
                    g.turns.called += 1;
                    g.waits.push(w);
                    // In whole ms: the same comparison as in seconds, without floats.
                    if u64::from(w) <= target * 1000 {
                        g.within += 1;
                    }
                }
                if let Some(v) = service_time {
                    g.services.push(v);
                }
            });
            s.turns.insert(t.seq, keys);
        }
        s.for_all(|g| {
            g.waits.sort_unstable();
            g.services.sort_unstable();
        });
        s
    }

    fn agent_index(&mut self, agent: &str) -> u16 {
        match self.agents.iter().position(|a| a == agent) {
            Some(i) => i as u16,
            None => {
                self.agents.push(agent.to_owned());
                (self.agents.len() - 1) as u16
            }
        }
    }

    fn each(&mut self, k: &TurnKeys, agent: Option<&str>, f: impl Fn(&mut GroupFacts)) {
        f(&mut self.total);
        f(&mut self.by_service[usize::from(k.service)]);
        f(&mut self.by_class[usize::from(!k.preferential)]);
        if let Some(c) = self.by_category.get_mut(usize::from(k.category)) {
            f(c);
        }
        if let Some(c) = k
            .counter
            .and_then(|c| self.by_counter.get_mut(usize::from(c)))
        {
            f(c);
        }
        if let Some(a) = agent {
            f(self.by_agent.entry(a.to_owned()).or_default());
        }
        f(self.by_hour.entry(k.hour).or_default());
    }

    fn for_all(&mut self, f: impl Fn(&mut GroupFacts)) {
        f(&mut self.total);
        self.by_service
            .iter_mut()
            .chain(&mut self.by_category)
            .chain(&mut self.by_counter)
            .chain(&mut self.by_class)
            .chain(self.by_agent.values_mut())
            .chain(self.by_hour.values_mut())
            .for_each(f);
    }
}

/// The survey answers written in some events.
fn answers_in(events: &[Event]) -> Vec<Answer> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::SurveyAnswered {
                day,
                seq,
                scores,
                case_type,
                ..
            } => Some(Answer {
                day: *day,
                seq: *seq,
                scores: *scores,
                case_type: *case_type,
            }),
            _ => None,
        })
        .collect()
}

/// Sorted runs kept as the differences between neighbours: small numbers, which the
/// summary's varint encoding writes in one or two bytes instead of three or four.
mod deltas {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(run: &[u32], s: S) -> Result<S::Ok, S::Error> {
        let mut last = 0;
        let d: Vec<u32> = run
            .iter()
            .map(|&v| {
                let step = v - last;
                last = v;
                step
            })
            .collect();
        d.serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
        let steps = Vec::<u32>::deserialize(d)?;
        let mut last = 0u32;
        steps
            .into_iter()
            .map(|step| {
                last = last
                    .checked_add(step)
                    .ok_or_else(|| D::Error::custom("a run past u32"))?;
                Ok(last)
            })
            .collect()
    }
}
