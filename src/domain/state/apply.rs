//! Folding the log into the state: `apply` for one event, `apply_entry` for a position of
//! the log (an unknown record, a damaged stretch), and what happens to events that do not
//! fit this configuration (a typed `ApplyError`, a placeholder turn, numbers kept used).

use super::{CallRecord, CounterStatus, OfficeState, NO_TURN};
use crate::domain::event::Event;
use crate::domain::log::LogEntry;
use crate::domain::ticket::{Ticket, TicketStatus};

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
                issuer,
                language,
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
                let issuer = issuer.as_ref().map(|i| self.issuers.intern(i));
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
                    snoozed: false,
                    held_for: 0,
                    agent: None,
                    issuer,
                    language: *language,
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
                // Its number is also above any a damaged stretch held for it. A number
                // below the top was given again after the range ran out: the next
                // search starts after it.
                if *number < book.next {
                    book.wrap_from = number.saturating_add(1);
                } else {
                    book.unseen = 0;
                }
                book.next = book.next.max(number.saturating_add(1));
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
                self.count_call(self.tickets[*seq as usize].service);
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
            Event::NoShowUndone { seq, counter, .. } => {
                let c = self.counter(counter)?;
                let t = self.ticket_mut(*seq)?;
                if t.status != TicketStatus::NoShow {
                    return Err(ApplyError::NotCalled(*seq));
                }
                t.status = TicketStatus::Called;
                t.finished_at = None;
                t.counter = Some(c);
                self.counters[c as usize].current = Some(*seq);
            }
            Event::TicketSnoozed {
                seq,
                counter,
                turns,
                ..
            } => {
                self.counter(counter)?;
                let t = self.called_mut(*seq)?;
                if t.status != TicketStatus::Called {
                    return Err(ApplyError::NotCalled(*seq));
                }
                self.release_counter(*seq);
                let t = self.ticket_mut(*seq)?;
                t.status = TicketStatus::Waiting;
                t.snoozed = true;
                t.counter = None;
                t.called_at = None;
                t.recalls = 0;
                self.hold(*seq, *turns);
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
                    self.dequeue(*seq);
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
            Event::CounterTakenOver { counter, agent, .. } => {
                let c = self.counter(counter)?;
                self.counters[c as usize].agent = Some(agent.clone());
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
            // The audit trail's lines change nothing in the day.
            Event::StaffAction { .. } => {}
            Event::SurveyAnswered {
                day,
                seq,
                service,
                scores,
                ..
            } => {
                self.answered.insert((*day, *seq));
                // A survey of a service no longer offered still counts as answered.
                if let Some(s) = self.spec.service_idx(service) {
                    let window = &mut self.recent_scores[s as usize];
                    if window.len() >= crate::domain::alerts::MAX_SATISFACTION_ANSWERS as usize {
                        window.pop_front();
                    }
                    window.push_back(scores.overall);
                }
            }
            Event::AlertRaised { alert, at } => {
                if !self.alerts.iter().any(|a| &a.alert == alert) {
                    self.alerts.push(crate::domain::alerts::AlertInForce {
                        alert: alert.clone(),
                        since: *at,
                    });
                }
            }
            Event::AlertCleared { alert, .. } => self.alerts.retain(|a| &a.alert != alert),
            Event::ForecastMade { at, .. } => self.last_forecast_at = Some(*at),
            Event::LogDamaged { bytes, .. } => {
                self.leave_room_for_lost_turns(
                    crate::domain::log::Gap {
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
                        self.dequeue(seq);
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
        self.release_held();
        self.last_at = self.last_at.max(at);
        Ok(())
    }
}
