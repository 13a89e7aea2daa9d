//! The small steps `apply` is made of: finding a turn, a counter or a service the event
//! names, taking a turn out of where it waits, freeing its counter, keeping numbers used.

use super::apply::ApplyError;
use super::{CallRecord, OfficeState, RECENT_CALLS};
use crate::domain::spec::{CounterIdx, ServiceIdx};
use crate::domain::ticket::{Ticket, TicketStatus};
use crate::domain::token::Token;
use chrono::{DateTime, Utc};

impl OfficeState {
    /// After a damaged stretch that may have held up to `turns` turns of any service:
    /// every service's numbering moves up by that much, until a later turn of the service
    /// shows where its numbering really stood.
    pub(super) fn leave_room_for_lost_turns(&mut self, turns: u32) {
        for book in &mut self.numbers {
            book.unseen = book.unseen.saturating_add(turns);
        }
    }

    pub(super) fn intern_agent(&mut self, agent: &str) -> u16 {
        match self.agents.iter().position(|a| a == agent) {
            Some(i) => i as u16,
            None => {
                self.agents.push(agent.to_owned());
                (self.agents.len() - 1) as u16
            }
        }
    }

    /// Notes that `number` was used with `prefix` (`None`: a turn of an older log whose
    /// prefix is not known, so every service keeps above it).
    pub(super) fn number_used(&mut self, prefix: Option<&str>, number: u32) {
        for (book, service) in self.numbers.iter_mut().zip(&self.spec.services) {
            if prefix.is_none_or(|p| p.eq_ignore_ascii_case(&service.prefix)) {
                book.next = book.next.max(number.saturating_add(1));
            }
        }
    }

    /// Placeholders for turns the state cannot hold (damaged or orphaned), so that later
    /// turns keep their sequence.
    pub(super) fn push_placeholder(&mut self, number: u32, at: DateTime<Utc>) {
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
            snoozed: false,
            held_for: 0,
            agent: None,
            issuer: None,
            language: None,
            placeholder: true,
        });
    }

    pub(super) fn counter(&self, id: &str) -> Result<CounterIdx, ApplyError> {
        self.spec
            .counter_idx(id)
            .ok_or_else(|| ApplyError::UnknownCounter(id.to_owned()))
    }

    pub(super) fn service(&self, id: &str, seq: u32) -> Result<ServiceIdx, ApplyError> {
        self.spec
            .service_idx(id)
            .ok_or_else(|| ApplyError::UnknownService {
                service: id.to_owned(),
                code: format!("#{seq}"),
            })
    }

    pub(super) fn ticket_mut(&mut self, seq: u32) -> Result<&mut Ticket, ApplyError> {
        self.tickets
            .get_mut(seq as usize)
            .filter(|t| !t.placeholder)
            .ok_or(ApplyError::UnknownTurn(seq))
    }

    /// A live turn that is called or being served (what recall, start, finish and
    /// no-show act on).
    pub(super) fn called_mut(&mut self, seq: u32) -> Result<&mut Ticket, ApplyError> {
        let t = self.ticket_mut(seq)?;
        match t.status {
            TicketStatus::Called | TicketStatus::Serving => Ok(t),
            _ => Err(ApplyError::NotCalled(seq)),
        }
    }

    pub(super) fn leave_queue(&mut self, seq: u32) -> Result<(), ApplyError> {
        let t = *self.ticket_mut(seq)?;
        if t.status != TicketStatus::Waiting {
            return Err(ApplyError::NotWaiting(seq));
        }
        self.dequeue(seq);
        Ok(())
    }

    pub(super) fn release_counter(&mut self, seq: u32) {
        let counter = self.live_ticket(seq).and_then(|t| t.counter);
        if let Some(c) = counter {
            let counter = &mut self.counters[c as usize];
            if counter.current == Some(seq) {
                counter.current = None;
            }
        }
    }

    pub(super) fn push_call(&mut self, record: CallRecord) {
        if self.recent_calls.len() == RECENT_CALLS {
            self.recent_calls.pop_back();
        }
        self.recent_calls.push_front(record);
    }
}
