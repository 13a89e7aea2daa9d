//! An office's day: its turns, queues and counters, rebuilt by applying events in order.

use super::event::{CounterCarry, Event};
use super::log::LogEntry;
use super::policy;
use super::queue::WaitingQueues;
use super::spec::{CounterIdx, OfficeSpec, ServiceIdx};
use super::ticket::{Ticket, TicketStatus};
use super::token::Token;
use chrono::{DateTime, NaiveDate, Utc};
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
    by_token: HashMap<Token, u32>,
    /// Names of the agents who called turns today (tickets keep an index into it).
    agents: Vec<String>,
    /// Turns whose survey was answered, as (turn's day, seq): from this day's log, plus
    /// those of earlier logs still within the survey window (seeded by the engine).
    answered: HashSet<(NaiveDate, u32)>,
    /// Per code service: the sequence of each number issued, and the next number.
    numbers: Vec<NumberBook>,
    /// Set when the log holds an event this version does not know (its type): the day
    /// can be read but must not be written until a version that knows it runs.
    pub read_only: Option<String>,
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
}

/// An event that does not fit the state. Events made by `decide` always fit; these come
/// from a log written under another configuration, damaged, or by another version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// A turn of a service the configuration no longer has.
    #[error("turn {code} of service {service}, which is no longer configured")]
    UnknownService {
        /// The service's slug.
        service: String,
        /// The turn's code as issued (`A-003`, or `?-003` without a known prefix).
        code: String,
    },
    /// A counter the configuration no longer has.
    #[error("counter {0}, which is no longer configured")]
    UnknownCounter(String),
    /// A turn the day does not hold (or holds only as a placeholder).
    #[error(
        "turn {0} is not in today's live state (its service was removed or its record damaged)"
    )]
    UnknownTurn(u32),
    /// A turn that had to be waiting was not.
    #[error("turn {0} is not waiting")]
    NotWaiting(u32),
    /// A turn that had to be called or in service was not (its call did not fit).
    #[error("turn {0} is not called nor in service")]
    NotCalled(u32),
    /// A turn issued with a sequence the day already used.
    #[error("turn {0} out of sequence")]
    OutOfSequence(u32),
    /// A record this version cannot read.
    #[error("event {kind} of schema {schema}, unknown to this version{}", if *.skippable { " (skipped: marked safe to skip)" } else { "" })]
    UnknownEvent {
        /// Its type.
        kind: String,
        /// The schema that wrote it.
        schema: u16,
        /// Whether it was marked safe to skip.
        skippable: bool,
    },
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
                })
                .collect(),
            spec,
            day,
            tickets: Vec::new(),
            recent_calls: VecDeque::with_capacity(RECENT_CALLS),
            streak: 0,
            closed: false,
            last_at: at,
            by_token: HashMap::new(),
            agents: Vec::new(),
            answered: HashSet::new(),
            read_only: None,
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

    /// Applies one position of the log: an event, an unknown record (the day becomes
    /// read-only unless it may be skipped) or a damaged stretch (numbering leaves room for
    /// every turn it could have held).
    pub fn apply_entry(&mut self, entry: &LogEntry) -> Result<(), ApplyError> {
        match entry {
            LogEntry::Event(e) => self.apply(e),
            LogEntry::Gap(gap) => {
                self.leave_room_for_lost_turns(gap.max_turns());
                Ok(())
            }
            LogEntry::Unknown(u) => {
                if !u.skippable && self.read_only.is_none() {
                    self.read_only = Some(u.kind.clone());
                }
                Err(ApplyError::UnknownEvent {
                    kind: u.kind.clone(),
                    schema: u.schema,
                    skippable: u.skippable,
                })
            }
        }
    }

    /// After a damaged stretch that may have held up to `turns` turns of any service:
    /// every service's numbering moves up by that much, until a later turn of the service
    /// shows where its numbering really stood.
    fn leave_room_for_lost_turns(&mut self, turns: u32) {
        for book in &mut self.numbers {
            book.unseen = book.unseen.saturating_add(turns);
        }
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

    fn intern_agent(&mut self, agent: &str) -> u16 {
        match self.agents.iter().position(|a| a == agent) {
            Some(i) => i as u16,
            None => {
                self.agents.push(agent.to_owned());
                (self.agents.len() - 1) as u16
            }
        }
    }

    /// The next number a service would issue: above every number the day may have used
    /// for its prefix (by this service, by a service of the same prefix that is no longer
    /// configured, or in a damaged stretch of the log).
    pub fn next_number(&self, service: ServiceIdx) -> u32 {
        let book = &self.numbers[service as usize];
        book.next.saturating_add(book.unseen)
    }

    /// Notes that `number` was used with `prefix` (`None`: a turn of an older log whose
    /// prefix is not known, so every service keeps above it).
    fn number_used(&mut self, prefix: Option<&str>, number: u32) {
        for (book, service) in self.numbers.iter_mut().zip(&self.spec.services) {
            if prefix.is_none_or(|p| p.eq_ignore_ascii_case(&service.prefix)) {
                book.next = book.next.max(number.saturating_add(1));
            }
        }
    }

    /// Placeholders for turns the state cannot hold (damaged or orphaned), so that later
    /// turns keep their sequence.
    fn push_placeholder(&mut self, number: u32, at: DateTime<Utc>) {
        let seq = self.tickets.len() as u32;
        self.tickets.push(Ticket {
            seq,
            number,
            token: Token::PLACEHOLDER,
            code_service: 0,
            service: 0,
            category: 0,
            preferential: false,
            status: TicketStatus::Expired,
            issued_at: at,
            called_at: None,
            first_called_at: None,
            started_at: None,
            finished_at: Some(at),
            counter: None,
            recalls: 0,
            transfers: 0,
            agent: None,
            placeholder: true,
        });
    }

    /// Turns waiting for a service: (all, preferential).
    pub fn waiting(&self, service: ServiceIdx) -> (u32, u32) {
        self.queues.count(service)
    }

    /// The waiting queues (for the policy).
    pub fn queues(&self) -> &WaitingQueues {
        &self.queues
    }

    /// Counters able to take turns of a service now (open or paused).
    pub fn staffed_counters(&self, service: ServiceIdx) -> u32 {
        self.spec
            .counters
            .iter()
            .zip(&self.counters)
            .filter(|(spec, state)| {
                spec.services.contains(&service) && state.status != CounterStatus::Closed
            })
            .count() as u32
    }

    /// Mean service time of a service today, or its configured default.
    pub fn mean_service_seconds(&self, service: ServiceIdx) -> f64 {
        let stats = self.stats[service as usize];
        if stats.served == 0 {
            f64::from(self.spec.services[service as usize].default_service_seconds)
        } else {
            stats.total_seconds / f64::from(stats.served)
        }
    }

    /// Expected wait for a turn with `position` turns ahead in a service.
    pub fn estimate_wait(&self, service: ServiceIdx, position: u32) -> u32 {
        let counters = match self.staffed_counters(service) {
            0 => self
                .spec
                .counters
                .iter()
                .filter(|c| c.services.contains(&service))
                .count()
                .max(1) as u32,
            n => n,
        };
        (f64::from(position) * self.mean_service_seconds(service) / f64::from(counters)).round()
            as u32
    }

    /// Where a waiting turn stands now.
    pub fn position(&self, ticket: &Ticket, now: DateTime<Utc>) -> u32 {
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

    /// How many turns a new normal turn of `service` would have ahead, and its wait.
    pub fn outlook_for_new_turn(&self, service: ServiceIdx) -> (u32, u32) {
        let ahead: u32 = self.spec.competing[service as usize]
            .iter()
            .map(|&s| self.queues.count(s).0)
            .sum();
        (ahead, self.estimate_wait(service, ahead))
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

    fn counter(&self, id: &str) -> Result<CounterIdx, ApplyError> {
        self.spec
            .counter_idx(id)
            .ok_or_else(|| ApplyError::UnknownCounter(id.to_owned()))
    }

    fn service(&self, id: &str, seq: u32) -> Result<ServiceIdx, ApplyError> {
        self.spec
            .service_idx(id)
            .ok_or_else(|| ApplyError::UnknownService {
                service: id.to_owned(),
                code: format!("#{seq}"),
            })
    }

    fn ticket_mut(&mut self, seq: u32) -> Result<&mut Ticket, ApplyError> {
        self.tickets
            .get_mut(seq as usize)
            .filter(|t| !t.placeholder)
            .ok_or(ApplyError::UnknownTurn(seq))
    }

    /// A live turn that is called or being served (what recall, start, finish and
    /// no-show act on).
    fn called_mut(&mut self, seq: u32) -> Result<&mut Ticket, ApplyError> {
        let t = self.ticket_mut(seq)?;
        match t.status {
            TicketStatus::Called | TicketStatus::Serving => Ok(t),
            _ => Err(ApplyError::NotCalled(seq)),
        }
    }

    fn leave_queue(&mut self, seq: u32) -> Result<(), ApplyError> {
        let t = *self.ticket_mut(seq)?;
        if t.status != TicketStatus::Waiting {
            return Err(ApplyError::NotWaiting(seq));
        }
        self.queues.remove(t.service, t.preferential, seq);
        Ok(())
    }

    fn release_counter(&mut self, seq: u32) {
        let counter = self.live_ticket(seq).and_then(|t| t.counter);
        if let Some(c) = counter {
            let counter = &mut self.counters[c as usize];
            if counter.current == Some(seq) {
                counter.current = None;
            }
        }
    }

    fn push_call(&mut self, record: CallRecord) {
        if self.recent_calls.len() == RECENT_CALLS {
            self.recent_calls.pop_back();
        }
        self.recent_calls.push_front(record);
    }

    /// Applies one event. Events made by `decide` always apply; an error means a log
    /// written under a different configuration (or damaged), and leaves the state
    /// unchanged but for keeping the turn's sequence and number in use.
    pub fn apply(&mut self, event: &Event) -> Result<(), ApplyError> {
        let at = event.at();
        match event {
            Event::DayOpened { counters, .. } => {
                let mut unknown = None;
                for carry in counters {
                    let Ok(c) = self.counter(&carry.counter) else {
                        // The other counters still carry over.
                        unknown = Some(ApplyError::UnknownCounter(carry.counter.clone()));
                        continue;
                    };
                    let state = &mut self.counters[c as usize];
                    state.agent = Some(carry.agent.clone());
                    state.since = at;
                    state.status = match &carry.paused {
                        Some(reason) => CounterStatus::Paused {
                            reason: reason.clone(),
                        },
                        None => CounterStatus::Open,
                    };
                }
                if let Some(e) = unknown {
                    self.last_at = self.last_at.max(at);
                    return Err(e);
                }
            }
            Event::TicketIssued {
                seq,
                number,
                token,
                service,
                category,
                preferential,
                prefix,
                ..
            } => {
                if (*seq as usize) < self.tickets.len() {
                    return Err(ApplyError::OutOfSequence(*seq));
                }
                // Turns a damaged stretch held before this one keep their sequence.
                while (*seq as usize) > self.tickets.len() {
                    self.push_placeholder(0, at);
                }
                let Some(service) = self.spec.service_idx(service) else {
                    // Kept as a placeholder: later turns keep their sequence, and its
                    // number stays used for its prefix.
                    self.push_placeholder(*number, at);
                    self.number_used(prefix.as_deref(), *number);
                    self.last_at = self.last_at.max(at);
                    return Err(ApplyError::UnknownService {
                        service: service.clone(),
                        code: format!("{}-{number:03}", prefix.as_deref().unwrap_or("?")),
                    });
                };
                let category = self.spec.category_idx(category).unwrap_or(0);
                self.tickets.push(Ticket {
                    seq: *seq,
                    number: *number,
                    token: *token,
                    code_service: service,
                    service,
                    category,
                    preferential: *preferential,
                    status: TicketStatus::Waiting,
                    issued_at: at,
                    called_at: None,
                    first_called_at: None,
                    started_at: None,
                    finished_at: None,
                    counter: None,
                    recalls: 0,
                    transfers: 0,
                    agent: None,
                    placeholder: false,
                });
                self.by_token.insert(*token, *seq);
                let book = &mut self.numbers[service as usize];
                if let Some(index) = number.checked_sub(book.first).map(|i| i as usize) {
                    if index >= book.seqs.len() {
                        book.seqs.resize(index + 1, NO_TURN);
                    }
                    book.seqs[index] = *seq;
                }
                // Prefixes are unique in an office: only this service's numbering moves.
                // Its number is also above any a damaged stretch held for it.
                book.next = book.next.max(number.saturating_add(1));
                book.unseen = 0;
                self.queues.insert(service, *preferential, *seq);
            }
            Event::TicketCalled {
                seq,
                counter,
                agent,
                streak,
                ..
            } => {
                // A counter no longer configured still called the turn: it leaves the
                // queue (it must not be called twice) but sits at no counter.
                let c = self.counter(counter);
                self.leave_queue(*seq)?;
                let a = self.intern_agent(agent);
                let t = self.ticket_mut(*seq)?;
                t.agent = Some(a);
                t.status = TicketStatus::Called;
                t.called_at = Some(at);
                t.first_called_at.get_or_insert(at);
                t.counter = c.as_ref().ok().copied();
                t.recalls = 0;
                self.streak = *streak;
                let c = match c {
                    Ok(c) => c,
                    Err(e) => {
                        self.last_at = self.last_at.max(at);
                        return Err(e);
                    }
                };
                let state = &mut self.counters[c as usize];
                state.current = Some(*seq);
                state.agent.get_or_insert_with(|| agent.clone());
                self.push_call(CallRecord {
                    seq: *seq,
                    counter: c,
                    recall: false,
                    at,
                });
            }
            Event::TicketRecalled { seq, counter, .. } => {
                let c = self.counter(counter)?;
                let t = self.called_mut(*seq)?;
                t.recalls = t.recalls.saturating_add(1);
                t.called_at = Some(at);
                self.push_call(CallRecord {
                    seq: *seq,
                    counter: c,
                    recall: true,
                    at,
                });
            }
            Event::ServiceStarted { seq, .. } => {
                let t = self.called_mut(*seq)?;
                t.status = TicketStatus::Serving;
                t.started_at = Some(at);
            }
            Event::TicketServed { seq, agent, .. } => {
                self.called_mut(*seq)?;
                let a = self.intern_agent(agent);
                let t = self.ticket_mut(*seq)?;
                t.agent = Some(a);
                t.status = TicketStatus::Served;
                t.finished_at = Some(at);
                let began = t.started_at.or(t.called_at).unwrap_or(at);
                let service = t.service;
                let secs = (at - began).num_milliseconds().max(0) as f64 / 1000.0;
                let stats = &mut self.stats[service as usize];
                stats.served += 1;
                stats.total_seconds += secs;
                self.release_counter(*seq);
            }
            Event::TicketNoShow { seq, .. } => {
                let t = self.called_mut(*seq)?;
                t.status = TicketStatus::NoShow;
                t.finished_at = Some(at);
                self.release_counter(*seq);
            }
            Event::TicketTransferred {
                seq, to_service, ..
            } => {
                let to = self.service(to_service, *seq)?;
                let t = *self.ticket_mut(*seq)?;
                if t.status.is_final() {
                    return Err(ApplyError::NotCalled(*seq));
                }
                if t.status == TicketStatus::Waiting {
                    // Its call did not fit this configuration: it still stands in a queue.
                    self.queues.remove(t.service, t.preferential, *seq);
                }
                self.release_counter(*seq);
                let t = self.ticket_mut(*seq)?;
                t.status = TicketStatus::Waiting;
                t.service = to;
                t.counter = None;
                t.called_at = None;
                t.started_at = None;
                t.recalls = 0;
                t.transfers = t.transfers.saturating_add(1);
                let preferential = t.preferential;
                self.queues.insert(to, preferential, *seq);
            }
            Event::TicketCancelled { seq, .. } => {
                self.leave_queue(*seq)?;
                let t = self.ticket_mut(*seq)?;
                t.status = TicketStatus::Cancelled;
                t.finished_at = Some(at);
            }
            Event::CounterOpened { counter, agent, .. } => {
                let c = self.counter(counter)?;
                let state = &mut self.counters[c as usize];
                state.status = CounterStatus::Open;
                state.agent = Some(agent.clone());
                state.since = at;
            }
            Event::CounterPaused {
                counter, reason, ..
            } => {
                let c = self.counter(counter)?;
                let state = &mut self.counters[c as usize];
                state.status = CounterStatus::Paused {
                    reason: reason.clone(),
                };
                state.since = at;
            }
            Event::CounterResumed { counter, .. } => {
                let c = self.counter(counter)?;
                let state = &mut self.counters[c as usize];
                state.status = CounterStatus::Open;
                state.since = at;
            }
            Event::CounterClosed { counter, .. } => {
                let c = self.counter(counter)?;
                let state = &mut self.counters[c as usize];
                state.status = CounterStatus::Closed;
                state.agent = None;
                state.current = None;
                state.since = at;
            }
            Event::SurveyAnswered { day, seq, .. } => {
                self.answered.insert((*day, *seq));
            }
            Event::LogDamaged { bytes, .. } => {
                self.leave_room_for_lost_turns(
                    super::log::Gap {
                        offset: 0,
                        bytes: *bytes,
                    }
                    .max_turns(),
                );
            }
            Event::DayClosed {
                expired,
                closed_served,
                ..
            } => {
                // Placeholders in the lists are passed over: the day closes all the same.
                for &seq in expired {
                    let Ok(t) = self.ticket_mut(seq).copied() else {
                        continue;
                    };
                    if t.status == TicketStatus::Waiting {
                        self.queues.remove(t.service, t.preferential, seq);
                    }
                    self.release_counter(seq);
                    let t = &mut self.tickets[seq as usize];
                    t.status = TicketStatus::Expired;
                    t.finished_at = Some(at);
                }
                for &seq in closed_served {
                    if self.ticket_mut(seq).is_err() {
                        continue;
                    }
                    self.release_counter(seq);
                    let t = &mut self.tickets[seq as usize];
                    t.status = TicketStatus::Served;
                    t.finished_at = Some(at);
                }
                self.closed = true;
            }
        }
        self.last_at = self.last_at.max(at);
        Ok(())
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
