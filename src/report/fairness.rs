//! Fairness that can be checked: calls out of order per agent and reason (with the
//! agents' notes), the preferential share of calls against the policy, the longest a
//! normal turn waited behind preferential ones, and the turns skipped by calls out of
//! order.
//!
//! Definitions (so every figure can be explained):
//! - A call out of order is a `TicketCalled` whose reason is `out_of_order` (a call by
//!   code); logs older than reasons count them under the reason `sin_motivo`.
//! - The preferential share counts every call of the day (first calls and calls again
//!   after a snooze or transfer), against `max_consecutive_preferential` = k: while normal
//!   turns wait, at most k of every k + 1 calls may be preferential (`policy_max_share`);
//!   `max_streak` is the longest run of preferential calls in a row while a normal turn
//!   of a competing service waited (a run is office-wide, ended by any normal call).
//! - A normal turn waited *behind* a preferential one when a preferential turn of a
//!   service competing with it (sharing a counter), issued after it, was first called
//!   while it waited. The longest such wait (issue → first call) is reported with how
//!   many preferential turns went ahead of it.
//! - A call out of order *skips* the turns the counter would have called before it under
//!   strict priority: waiting (not held by a snooze), of a service the counter serves, and
//!   either preferential or issued before it (for a preferential call: preferential and
//!   issued before it). A skipped turn's time is from its first skip to its first call.

use super::seconds;
use crate::domain::{CallReason, Event, OfficeSpec, OfficeState, TicketStatus};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The reason recorded for calls out of order written before reasons were asked for.
pub const NO_REASON: &str = "sin_motivo";
/// Notes listed per agent and reason (the latest), and skipped turns listed (the longest).
const LISTED: usize = 20;

/// One call out of order as a day records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct OutOfOrderCall {
    agent: String,
    reason: String,
    code: String,
    note: Option<String>,
    at: DateTime<Utc>,
}

/// A turn skipped by calls out of order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SkippedTurn {
    /// Its local day.
    pub day: NaiveDate,
    /// Its code.
    pub code: String,
    /// Calls out of order that went ahead of it.
    pub times: u32,
    /// From its first skip to its own first call (`null`: never called).
    pub seconds: Option<f64>,
}

/// The normal turn that waited longest behind preferential ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WaitBehind {
    /// Its local day.
    pub day: NaiveDate,
    /// Its code.
    pub code: String,
    /// Its wait, issue to first call, in minutes (two decimals).
    pub minutes: f64,
    /// Preferential turns issued after it and called before it.
    pub preferential_ahead: u32,
}

/// One day's fairness facts, kept in the day's summary and added up over a range.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct DayFairness {
    out_of_order: Vec<OutOfOrderCall>,
    calls: u32,
    preferential_calls: u32,
    max_streak: u32,
    /// Wait in milliseconds and sequence of the longest, for the comparisons.
    longest_behind: Option<(u32, u32, WaitBehind)>,
    skipped_turns: u32,
    skips: u32,
    skipped: Vec<SkippedTurn>,
}

/// Follows one day's replay: `before` sees each event with the state it applies to,
/// `after` the state it left.
pub(super) struct Watch {
    day: NaiveDate,
    waiting: BTreeSet<u32>,
    ahead_of: HashMap<u32, u32>,
    skips: BTreeMap<u32, (u32, DateTime<Utc>)>,
    /// Preferential calls in a row while a normal turn waited.
    run: u32,
    facts: DayFairness,
}

impl Watch {
    pub(super) fn new(day: NaiveDate) -> Watch {
        Watch {
            day,
            waiting: BTreeSet::new(),
            ahead_of: HashMap::new(),
            skips: BTreeMap::new(),
            run: 0,
            facts: DayFairness::default(),
        }
    }

    pub(super) fn before(&mut self, state: &OfficeState, e: &Event) {
        let Event::TicketCalled {
            seq,
            counter,
            agent,
            reason,
            out_of_order,
            at,
            ..
        } = e
        else {
            return;
        };
        let Some(t) = state.tickets.get(*seq as usize) else {
            return;
        };
        let spec = &state.spec;
        self.facts.calls += 1;
        let competing = &spec.competing[t.service as usize];
        if t.preferential {
            self.facts.preferential_calls += 1;
            let normal_waits = self.waiting.iter().any(|n| {
                let other = &state.tickets[*n as usize];
                !other.preferential && competing.contains(&other.service)
            });
            self.run = if normal_waits { self.run + 1 } else { 0 };
            self.facts.max_streak = self.facts.max_streak.max(self.run);
            if t.first_called_at.is_none() {
                for n in self.waiting.range(..*seq) {
                    let other = &state.tickets[*n as usize];
                    if !other.preferential && competing.contains(&other.service) {
                        *self.ahead_of.entry(*n).or_default() += 1;
                    }
                }
            }
        } else {
            self.run = 0;
        }
        if *reason != CallReason::OutOfOrder {
            return;
        }
        self.facts.out_of_order.push(OutOfOrderCall {
            agent: agent.clone(),
            reason: out_of_order
                .as_ref()
                .map_or_else(|| NO_REASON.to_owned(), |o| o.reason.clone()),
            code: spec.code(t.code_service, t.number),
            note: out_of_order.as_ref().and_then(|o| o.note.clone()),
            at: *at,
        });
        let Some(c) = spec.counter_idx(counter) else {
            return;
        };
        let serves = &spec.counters[c as usize].services;
        for s in &self.waiting {
            let other = &state.tickets[*s as usize];
            let ahead = if t.preferential {
                other.preferential && other.seq < t.seq
            } else {
                other.preferential || other.seq < t.seq
            };
            if *s != *seq && ahead && other.held_for == 0 && serves.contains(&other.service) {
                self.skips.entry(*s).or_insert((0, *at)).0 += 1;
            }
        }
    }

    pub(super) fn after(&mut self, state: &OfficeState, e: &Event) {
        for seq in e.turns() {
            match state.tickets.get(seq as usize) {
                Some(t) if t.status == TicketStatus::Waiting && !t.placeholder => {
                    self.waiting.insert(seq);
                }
                _ => {
                    self.waiting.remove(&seq);
                }
            }
        }
    }

    /// The day's facts, once its replay is over.
    pub(super) fn finish(mut self, state: &OfficeState) -> DayFairness {
        let day = self.day;
        let spec = &state.spec;
        for (seq, ahead) in &self.ahead_of {
            let t = &state.tickets[*seq as usize];
            let Some(called) = t.first_called_at else {
                continue;
            };
            let ms = (called - t.issued_at).num_milliseconds().max(0) as u32;
            let better = match &self.facts.longest_behind {
                None => true,
                Some((best, best_seq, _)) => ms > *best || (ms == *best && t.seq < *best_seq),
            };
            if better {
                self.facts.longest_behind = Some((
                    ms,
                    t.seq,
                    WaitBehind {
                        day,
                        code: spec.code(t.code_service, t.number),
                        minutes: super::stats::round2(f64::from(ms) / 60_000.0),
                        preferential_ahead: *ahead,
                    },
                ));
            }
        }
        self.facts.skipped_turns = self.skips.len() as u32;
        self.facts.skips = self.skips.values().map(|(n, _)| n).sum();
        self.facts.skipped = self
            .skips
            .iter()
            .map(|(seq, (times, first))| {
                let t = &state.tickets[*seq as usize];
                SkippedTurn {
                    day,
                    code: spec.code(t.code_service, t.number),
                    times: *times,
                    seconds: t.first_called_at.map(|c| seconds(*first, c)),
                }
            })
            .collect();
        longest_first(&mut self.facts.skipped);
        self.facts
    }
}

fn longest_first(list: &mut Vec<SkippedTurn>) {
    list.sort_by(|a, b| {
        b.seconds
            .unwrap_or(-1.0)
            .total_cmp(&a.seconds.unwrap_or(-1.0))
            .then(a.day.cmp(&b.day))
            .then(a.code.cmp(&b.code))
    });
    list.truncate(LISTED);
}

/// A note an agent wrote with a call out of order.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CallNote {
    /// The turn's local day.
    pub day: NaiveDate,
    /// The turn's code.
    pub code: String,
    /// The note.
    pub note: String,
}

/// Calls out of order by one agent with one reason.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OutOfOrderRow {
    /// The agent.
    pub agent: String,
    /// The reason's id.
    pub reason: String,
    /// The reason as the office names it.
    pub label: String,
    /// Calls.
    pub count: u32,
    /// The latest notes (at most 20), latest first.
    pub notes: Vec<CallNote>,
}

/// Preferential calls against the policy.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PreferentialShare {
    /// Calls in the range.
    pub calls: u32,
    /// Calls of preferential turns.
    pub preferential: u32,
    /// preferential / calls (`null` without calls).
    pub share: Option<f64>,
    /// The policy's `max_consecutive_preferential` (`null`: strict priority).
    pub policy_max_consecutive: Option<u32>,
    /// The share that cap allows while normal turns wait: k / (k + 1).
    pub policy_max_share: Option<f64>,
    /// The longest run of preferential calls in a row while a normal turn of a service
    /// sharing their counters waited (to compare with the cap).
    pub max_streak: u32,
}

/// Turns skipped by calls out of order.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Skipped {
    /// Turns skipped at least once.
    pub turns: u32,
    /// Skips in all.
    pub times: u32,
    /// The longest skipped (at most 20), from first skip to own call.
    pub longest: Vec<SkippedTurn>,
}

/// The report's `fairness` section.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Fairness {
    /// Calls out of order per agent and reason.
    pub out_of_order: Vec<OutOfOrderRow>,
    /// Preferential share of calls against the policy.
    pub preferential_share: PreferentialShare,
    /// The longest a normal turn waited behind preferential ones (`null`: none did).
    pub longest_wait_behind_preferential: Option<WaitBehind>,
    /// Turns skipped by calls out of order.
    pub skipped: Skipped,
}

/// Adds up the days' facts, in day order.
pub(super) fn fairness<'a>(
    spec: &OfficeSpec,
    days: impl IntoIterator<Item = &'a DayFairness>,
) -> Fairness {
    let mut rows: BTreeMap<(String, String), (u32, Vec<CallNote>)> = BTreeMap::new();
    let (mut calls, mut preferential, mut max_streak) = (0, 0, 0);
    let mut longest: Option<&(u32, u32, WaitBehind)> = None;
    let (mut turns, mut times, mut listed) = (0, 0, Vec::new());
    for d in days {
        for c in &d.out_of_order {
            let row = rows.entry((c.agent.clone(), c.reason.clone())).or_default();
            row.0 += 1;
            if let Some(note) = &c.note {
                row.1.push(CallNote {
                    day: c.at.with_timezone(&spec.timezone).date_naive(),
                    code: c.code.clone(),
                    note: note.clone(),
                });
            }
        }
        calls += d.calls;
        preferential += d.preferential_calls;
        max_streak = max_streak.max(d.max_streak);
        if let Some(b) = &d.longest_behind {
            if longest.is_none_or(|l| b.0 > l.0) {
                longest = Some(b);
            }
        }
        turns += d.skipped_turns;
        times += d.skips;
        listed.extend(d.skipped.iter().cloned());
        longest_first(&mut listed);
    }
    let k = spec.policy.max_consecutive_preferential;
    Fairness {
        out_of_order: rows
            .into_iter()
            .map(|((agent, reason), (count, mut notes))| {
                notes.reverse();
                notes.truncate(LISTED);
                OutOfOrderRow {
                    label: spec
                        .out_of_order_reasons
                        .iter()
                        .find(|r| r.id == reason)
                        .map_or_else(|| reason.clone(), |r| r.label.clone()),
                    agent,
                    reason,
                    count,
                    notes,
                }
            })
            .collect(),
        preferential_share: PreferentialShare {
            calls,
            preferential,
            share: super::stats::ratio(preferential, calls),
            policy_max_consecutive: k,
            policy_max_share: k.map(|k| super::stats::round2(f64::from(k) / f64::from(k + 1))),
            max_streak,
        },
        longest_wait_behind_preferential: longest.map(|(_, _, b)| b.clone()),
        skipped: Skipped {
            turns,
            times,
            longest: listed,
        },
    }
}
