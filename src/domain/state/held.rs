//! Turns held back by a snooze ("voy en camino"): waiting, but out of the queue until
//! enough other turns have been called. Why not a place in the queue: the queue orders
//! turns by issue time, and the promise is "after the next N turns", which no issue time
//! expresses; held aside with a count, the turn comes back at its own (early) place, so
//! it is the next one called once the N have gone.

use super::OfficeState;
use crate::domain::spec::ServiceIdx;
use crate::domain::ticket::TicketStatus;

impl OfficeState {
    /// Puts a turn just sent back to waiting aside for `turns` calls; with none to wait
    /// for (or nobody else waiting for its counters) it goes straight back to the queue.
    pub(super) fn hold(&mut self, seq: u32, turns: u32) {
        let t = self.tickets[seq as usize];
        let turns = turns.min(u32::from(u16::MAX)) as u16;
        if turns == 0 || self.nobody_else_waits(t.service) {
            self.tickets[seq as usize].held_for = 0;
            self.queues.insert(t.service, t.preferential, seq);
        } else {
            self.tickets[seq as usize].held_for = turns;
            self.held.push(seq);
        }
    }

    /// Takes a waiting turn out of where it waits: the queue, or the held turns.
    pub(super) fn dequeue(&mut self, seq: u32) {
        let t = &mut self.tickets[seq as usize];
        if t.held_for > 0 {
            t.held_for = 0;
            self.held.retain(|&h| h != seq);
        } else {
            self.queues.remove(t.service, t.preferential, seq);
        }
    }

    /// A turn of `service` was called: every held turn competing with it has one call
    /// fewer to wait. Then no held turn is left waiting for calls that cannot come.
    pub(super) fn count_call(&mut self, service: ServiceIdx) {
        for &seq in &self.held {
            let t = &mut self.tickets[seq as usize];
            if self.spec.competing[t.service as usize].contains(&service) {
                t.held_for = t.held_for.saturating_sub(1);
            }
        }
        self.release_held();
    }

    /// Puts back in the queue the held turns whose calls are done, and those no call
    /// would ever come for: nobody else waits for their counters (the others cancelled,
    /// or were all called), so holding them would only leave a counter idle.
    pub(super) fn release_held(&mut self) {
        if self.held.is_empty() {
            return;
        }
        let held = std::mem::take(&mut self.held);
        let (ready, still): (Vec<u32>, Vec<u32>) = held.into_iter().partition(|&seq| {
            let t = &self.tickets[seq as usize];
            t.held_for == 0 || self.nobody_else_waits(t.service)
        });
        self.held = still;
        for seq in ready {
            let t = &mut self.tickets[seq as usize];
            t.held_for = 0;
            let (service, preferential) = (t.service, t.preferential);
            self.queues.insert(service, preferential, seq);
        }
    }

    /// Whether no turn waits in the queue of any service competing with `service`.
    fn nobody_else_waits(&self, service: ServiceIdx) -> bool {
        self.spec.competing[service as usize]
            .iter()
            .all(|&s| self.queues.count(s).0 == 0)
    }

    /// Calls a held turn still has to let go by (0 when it is in the queue).
    pub fn held_for(&self, seq: u32) -> u32 {
        self.tickets
            .get(seq as usize)
            .filter(|t| t.status == TicketStatus::Waiting)
            .map_or(0, |t| u32::from(t.held_for))
    }

    /// How many turns are held back by a snooze.
    pub fn held_count(&self) -> usize {
        self.held.len()
    }
}
