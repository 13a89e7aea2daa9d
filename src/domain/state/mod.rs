//! An office's day: its turns, queues and counters, rebuilt by applying events in order.

use super::event::{CounterCarry, Event};
use super::log::LogEntry;
use super::policy;
use super::queue::WaitingQueues;
use super::spec::{CounterIdx, OfficeSpec, ServiceIdx};

mod apply;
mod estimate;
mod held;
mod issuers;
mod steps;

use super::ticket::{Ticket, TicketStatus};
use super::token::Token;
pub use apply::ApplyError;
use chrono::{DateTime, NaiveDate, Utc};
pub use issuers::IssuerCount;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

/// How many recent calls a lobby screen is shown.
pub const RECENT_CALLS: usize = 10;

/// Whether a counter is staffed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CounterStatus {
    /// Nobody at the window.
    Closed,
    /// An agent is at the window.
    Open,
    /// The agent stepped away, with a reason.
    Paused {
        /// Why.
        reason: String,
    },
}

/// A counter's live state.
#[derive(Debug, Clone)]
pub struct CounterState {
    /// Staffed, paused or closed.
    pub status: CounterStatus,
    /// The agent holding it.
    pub agent: Option<String>,
    /// The turn called to it or being served there.
    pub current: Option<u32>,
    /// When the status last changed.
    pub since: DateTime<Utc>,
}

impl CounterState {
    /// The API's name for the state: `closed`, `open`, `calling`, `serving` or `paused`.
    pub fn state_name(&self, tickets: &[Ticket]) -> &'static str {
        match (
            &self.status,
            self.current.map(|s| tickets[s as usize].status),
        ) {
            (CounterStatus::Closed, _) => "closed",
            (CounterStatus::Paused { .. }, _) => "paused",
            (CounterStatus::Open, Some(TicketStatus::Called)) => "calling",
            (CounterStatus::Open, Some(TicketStatus::Serving)) => "serving",
            (CounterStatus::Open, _) => "open",
        }
    }
}

/// A call shown on the lobby screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallRecord {
    /// The turn called.
    pub seq: u32,
    /// Where to go.
    pub counter: CounterIdx,
    /// Whether it was a recall.
    pub recall: bool,
    /// When.
    pub at: DateTime<Utc>,
}

/// Service times observed today for one service.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServiceStats {
    /// Turns finished.
    pub served: u32,
    /// Sum of their service times, in seconds.
    pub total_seconds: f64,
}

/// A turn with what the policy says about it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketView {
    /// The turn.
    pub ticket: Ticket,
    /// Turns called before it (while waiting).
    pub position: Option<u32>,
    /// Expected wait in seconds (while waiting).
    pub estimated_wait_seconds: Option<u32>,
}

/// Everything about one office's day.
#[derive(Debug, Clone)]
pub struct OfficeState {
    /// The office's configuration.
    pub spec: Arc<OfficeSpec>,
    /// The local day this state covers.
    pub day: NaiveDate,
    /// Every turn of the day, indexed by sequence.
    pub tickets: Vec<Ticket>,
    /// Counters, indexed like the spec's.
    pub counters: Vec<CounterState>,
    /// Latest calls, newest first.
    pub recent_calls: VecDeque<CallRecord>,
    /// Consecutive preferential calls (ratio policy).
    pub streak: u32,
    /// Whether the day has been closed.
    pub closed: bool,
    /// Time of the latest event applied.
    pub last_at: DateTime<Utc>,
    /// Service times observed today, per service.
    pub stats: Vec<ServiceStats>,
    queues: WaitingQueues,
    /// Waiting turns held out of the queue after a snooze (few: one per citizen on the
    /// way), by sequence.
    held: Vec<u32>,
    by_token: HashMap<Token, u32>,
    /// Names of the agents who called turns today (tickets keep an index into it).
    agents: Vec<String>,
    /// Who asked for the day's turns (tickets keep an index into it).
    issuers: issuers::IssuerBook,
    /// Turns whose survey was answered, as (turn's day, seq): from this day's log, plus
    /// those of earlier logs still within the survey window (seeded by the engine).
    answered: HashSet<(NaiveDate, u32)>,
    /// Per code service: the sequence of each number issued, and the next number.
    numbers: Vec<NumberBook>,
    /// Set when the log holds an event this version does not know (its type): the day
    /// can be read but must not be written until a version that knows it runs.
    pub read_only: Option<String>,
    /// The supervisors' alerts in force, oldest first (`AlertRaised` / `AlertCleared`).
    pub alerts: Vec<crate::domain::alerts::AlertInForce>,
    /// Per service, the general answers of today's latest surveys (at most
    /// `alerts::MAX_SATISFACTION_ANSWERS`), oldest first: the satisfaction alert's window.
    pub recent_scores: Vec<VecDeque<u8>>,
    /// When the latest staffing forecast was recorded (`ForecastMade`).
    pub last_forecast_at: Option<DateTime<Utc>>,
}

/// Where no turn holds a number.
const NO_TURN: u32 = u32::MAX;

/// The numbers one service has given out today.
#[derive(Debug, Clone, Default)]
struct NumberBook {
    /// The first number of the service's range.
    first: u32,
    /// The turn holding each number from `first` on (`NO_TURN` where none does: numbers
    /// skipped after damage). Numbers run nearly contiguous, so a vector beats a map.
    seqs: Vec<u32>,
    /// The lowest number above every number the day may have used.
    next: u32,
    /// Turns a damaged stretch of the log may have held after the last number seen:
    /// added on top of `next` until a later turn of the service shows where it stood.
    unseen: u32,
    /// Once the range is used up and numbering wraps: the number after the last one
    /// given again, where the search for a free number starts.
    wrap_from: u32,
}

impl OfficeState {
    /// An empty day, before its `DayOpened` event.
    pub fn new(spec: Arc<OfficeSpec>, day: NaiveDate, at: DateTime<Utc>) -> Self {
        let services = spec.services.len();
        OfficeState {
            counters: spec
                .counters
                .iter()
                .map(|_| CounterState {
                    status: CounterStatus::Closed,
                    agent: None,
                    current: None,
                    since: at,
                })
                .collect(),
            queues: WaitingQueues::new(services),
            stats: vec![ServiceStats::default(); services],
            numbers: spec
                .services
                .iter()
                .map(|s| NumberBook {
                    first: s.first_number,
                    seqs: Vec::new(),
                    next: s.first_number,
                    unseen: 0,
                    wrap_from: s.first_number,
                })
                .collect(),
            spec,
            day,
            tickets: Vec::new(),
            recent_calls: VecDeque::with_capacity(RECENT_CALLS),
            streak: 0,
            closed: false,
            last_at: at,
            held: Vec::new(),
            by_token: HashMap::new(),
            agents: Vec::new(),
            issuers: issuers::IssuerBook::default(),
            answered: HashSet::new(),
            read_only: None,
            alerts: Vec::new(),
            recent_scores: vec![VecDeque::new(); services],
            last_forecast_at: None,
        }
    }

    /// Rebuilds a day from its events.
    pub fn replay(
        spec: Arc<OfficeSpec>,
        day: NaiveDate,
        events: &[Event],
    ) -> (Self, Vec<ApplyError>) {
        let first = events.first().map(Event::at);
        let mut state = OfficeState::new(spec, day, first.unwrap_or_else(|| midnight(day)));
        let errors = events.iter().filter_map(|e| state.apply(e).err()).collect();
        (state, errors)
    }

    /// Rebuilds a day from its log as the store read it (events, unknown records, gaps).
    pub fn replay_log(
        spec: Arc<OfficeSpec>,
        day: NaiveDate,
        entries: &[LogEntry],
    ) -> (Self, Vec<ApplyError>) {
        let first = super::log::events_of(entries).next().map(Event::at);
        let mut state = OfficeState::new(spec, day, first.unwrap_or_else(|| midnight(day)));
        let errors = entries
            .iter()
            .filter_map(|e| state.apply_entry(e).err())
            .collect();
        (state, errors)
    }

    /// The turn with this token.
    pub fn ticket_by_token(&self, token: &Token) -> Option<&Ticket> {
        self.by_token.get(token).map(|&s| &self.tickets[s as usize])
    }

    /// The turn with this code (`A-017`).
    pub fn ticket_by_code(&self, code: &str) -> Option<&Ticket> {
        let (service, number) = self.spec.parse_code(code)?;
        let book = &self.numbers[service as usize];
        let seq = *book.seqs.get(number.checked_sub(book.first)? as usize)?;
        self.live_ticket(seq)
    }

    /// The live turn at `seq`: not a placeholder for a turn the state cannot hold.
    pub fn live_ticket(&self, seq: u32) -> Option<&Ticket> {
        self.tickets.get(seq as usize).filter(|t| !t.placeholder)
    }

    /// The agent who called or served a turn last.
    pub fn agent_of(&self, seq: u32) -> Option<&str> {
        let i = self.tickets.get(seq as usize)?.agent?;
        self.agents.get(i as usize).map(String::as_str)
    }

    /// Whether the survey of a turn (of this day or an earlier one) was answered.
    pub fn is_answered(&self, day: NaiveDate, seq: u32) -> bool {
        self.answered.contains(&(day, seq))
    }

    /// Every answered survey this state knows of, as (turn's day, seq).
    pub fn answered(&self) -> impl Iterator<Item = (NaiveDate, u32)> + '_ {
        self.answered.iter().copied()
    }

    /// Adds surveys answered in earlier logs (the engine reads them at start and carries
    /// them over each midnight), so "already answered" holds across days.
    pub fn seed_answered(&mut self, earlier: impl IntoIterator<Item = (NaiveDate, u32)>) {
        self.answered.extend(earlier);
    }

    /// The next number a service would issue: above every number the day may have used
    /// for its prefix (by this service, by a service of the same prefix that is no longer
    /// configured, or in a damaged stretch of the log).
    pub fn next_number(&self, service: ServiceIdx) -> u32 {
        let book = &self.numbers[service as usize];
        book.next.saturating_add(book.unseen)
    }

    /// The number a new turn of the service gets: the next one while the range lasts;
    /// past it (for a service that wraps), the first number from where the last wrap
    /// left off whose turn is final, so no two live turns share a code. `None`: every
    /// number is held by a live turn (or by a turn the log lost to damage, which may be
    /// live), or the service does not wrap.
    pub fn number_for(&self, service: ServiceIdx) -> Option<u32> {
        let spec = &self.spec.services[service as usize];
        let next = self.next_number(service);
        if next <= spec.last_number {
            return Some(next);
        }
        if spec.on_exhausted == super::OnExhausted::Refuse {
            return None;
        }
        let book = &self.numbers[service as usize];
        let (first, last) = (spec.first_number, spec.last_number);
        let size = u64::from(last - first) + 1;
        let start = u64::from(book.wrap_from.saturating_sub(first)) % size;
        (0..size)
            .map(|k| first + ((start + k) % size) as u32)
            .find(|&number| {
                let held = book.seqs.get((number - first) as usize).copied();
                held.is_some_and(|seq| {
                    seq != NO_TURN
                        && self
                            .tickets
                            .get(seq as usize)
                            .is_some_and(|t| !t.placeholder && t.status.is_final())
                })
            })
    }

    /// Turns waiting for a service: (all, preferential).
    pub fn waiting(&self, service: ServiceIdx) -> (u32, u32) {
        let (all, preferential) = self.queues.count(service);
        // A turn held back by a snooze still waits (it is only out of the queue's order).
        self.held
            .iter()
            .map(|&seq| &self.tickets[seq as usize])
            .filter(|t| t.service == service)
            .fold((all, preferential), |(a, p), t| {
                (a + 1, p + u32::from(t.preferential))
            })
    }

    /// The turn waiting longest (the first waiting in issue order: a transferred turn
    /// keeps its issue time), if any.
    pub fn longest_waiting(&self) -> Option<&Ticket> {
        self.tickets
            .iter()
            .find(|t| t.status == TicketStatus::Waiting && !t.placeholder)
    }

    /// The waiting queues (for the policy).
    pub fn queues(&self) -> &WaitingQueues {
        &self.queues
    }

    /// Where a waiting turn stands now.
    pub fn position(&self, ticket: &Ticket, now: DateTime<Utc>) -> u32 {
        if ticket.held_for > 0 {
            // Back in the queue after these calls (or once the turns waiting now are
            // called, if fewer), at its early place: next, or nearly.
            let others: u32 = self.spec.competing[ticket.service as usize]
                .iter()
                .map(|&s| self.queues.count(s).0)
                .sum();
            return u32::from(ticket.held_for).min(others);
        }
        let cutoff = policy::aging_cutoff(&self.tickets, &self.spec.policy, now);
        policy::position(
            &self.queues,
            &self.spec.competing[ticket.service as usize],
            ticket,
            cutoff,
            self.streak,
            &self.spec.policy,
        )
    }

    /// A turn with its live position and wait.
    pub fn view(&self, seq: u32, now: DateTime<Utc>) -> TicketView {
        let ticket = self.tickets[seq as usize];
        let (position, estimated_wait_seconds) = if ticket.status == TicketStatus::Waiting {
            let position = self.position(&ticket, now);
            (
                Some(position),
                Some(self.estimate_wait(ticket.service, position)),
            )
        } else {
            (None, None)
        };
        TicketView {
            ticket,
            position,
            estimated_wait_seconds,
        }
    }

    /// The first `limit` waiting turns a counter would call, in the order its policy calls
    /// them. Positions depend on the class and issue order only, so the first `limit` turns
    /// of each class (in issue order) hold all of them: the rest need not be looked at.
    pub fn waiting_for_counter(
        &self,
        counter: CounterIdx,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Vec<TicketView> {
        let services = &self.spec.counters[counter as usize].services;
        let (mut preferential, mut normal) = (Vec::new(), Vec::new());
        for t in self
            .tickets
            .iter()
            .filter(|t| t.status == TicketStatus::Waiting && services.contains(&t.service))
        {
            let class = if t.preferential {
                &mut preferential
            } else {
                &mut normal
            };
            if class.len() < limit {
                class.push(t.seq);
            }
            if preferential.len() >= limit && normal.len() >= limit {
                break;
            }
        }
        let mut views: Vec<_> = preferential
            .into_iter()
            .chain(normal)
            .map(|seq| self.view(seq, now))
            .collect();
        views.sort_by_key(|v| (v.position, v.ticket.seq));
        views.truncate(limit);
        views
    }

    /// How counters stand, for the next day's `DayOpened`.
    pub fn carry(&self) -> Vec<CounterCarry> {
        self.spec
            .counters
            .iter()
            .zip(&self.counters)
            .filter_map(|(spec, state)| {
                let agent = state.agent.clone()?;
                let paused = match &state.status {
                    CounterStatus::Closed => return None,
                    CounterStatus::Open => None,
                    CounterStatus::Paused { reason } => Some(reason.clone()),
                };
                Some(CounterCarry {
                    counter: spec.id.clone(),
                    agent,
                    paused,
                })
            })
            .collect()
    }

    /// Bytes of memory held by the day's turns and indexes, roughly.
    pub fn heap_bytes(&self) -> usize {
        self.tickets.capacity() * std::mem::size_of::<Ticket>()
            + self.by_token.capacity() * (std::mem::size_of::<(Token, u32)>() + 1)
            + self
                .numbers
                .iter()
                .map(|v| v.seqs.capacity() * 4)
                .sum::<usize>()
            + self.queues.heap_bytes()
    }
}

/// The start of a day, as a time for a state that has no event yet.
fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}
