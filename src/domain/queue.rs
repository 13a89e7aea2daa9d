//! The waiting turns of an office, per service and class, ordered by issue sequence.

use super::fenwick::Fenwick;
use super::spec::ServiceIdx;

/// Class 0 holds preferential turns, class 1 normal ones.
const PREFERENTIAL: usize = 0;
const NORMAL: usize = 1;

/// Waiting turns, as marks over the day's issue sequence, per service and class.
#[derive(Debug, Clone, Default)]
pub struct WaitingQueues {
    marks: Vec<[Fenwick; 2]>,
}

fn class(preferential: bool) -> usize {
    if preferential {
        PREFERENTIAL
    } else {
        NORMAL
    }
}

impl WaitingQueues {
    /// Empty queues for `services` services.
    pub fn new(services: usize) -> Self {
        WaitingQueues {
            marks: (0..services).map(|_| Default::default()).collect(),
        }
    }

    /// Puts a turn in the queue of its service.
    pub fn insert(&mut self, service: ServiceIdx, preferential: bool, seq: u32) {
        self.marks[service as usize][class(preferential)].insert(seq);
    }

    /// Takes a turn out of the queue of its service.
    pub fn remove(&mut self, service: ServiceIdx, preferential: bool, seq: u32) {
        self.marks[service as usize][class(preferential)].remove(seq);
    }

    /// Preferential turns waiting for a service.
    pub fn preferential(&self, service: ServiceIdx) -> &Fenwick {
        &self.marks[service as usize][PREFERENTIAL]
    }

    /// Normal turns waiting for a service.
    pub fn normal(&self, service: ServiceIdx) -> &Fenwick {
        &self.marks[service as usize][NORMAL]
    }

    /// Turns waiting for a service: (all, preferential).
    pub fn count(&self, service: ServiceIdx) -> (u32, u32) {
        let [p, n] = &self.marks[service as usize];
        (p.total() + n.total(), p.total())
    }

    /// Bytes of memory held.
    pub fn heap_bytes(&self) -> usize {
        self.marks
            .iter()
            .flat_map(|m| m.iter())
            .map(Fenwick::heap_bytes)
            .sum()
    }
}
