//! How long a turn will wait: the one estimate behind the kiosk's service list, the
//! ticket on screen and on paper, and the citizen's page, so they never contradict each
//! other.
//!
//! The model is the queue's own: the counters able to serve a service take the turns
//! ahead one by one. With `c` such counters, `f` of them idle and `k` turns ahead, a turn
//! is called at once when `k < f`; otherwise it needs `k - f + 1` departures, which come
//! at a rate of `c` per mean service time (the M/M/c expectation). Service times learn
//! from today's finished turns, but start from the configured default and move away from
//! it only as turns accumulate, so two quick turns in the morning do not tell the next
//! citizens that a 20-minute procedure takes "less than a minute".

use super::{CounterStatus, OfficeState};
use crate::domain::spec::ServiceIdx;

/// How many finished turns the configured service time is worth: after this many, today's
/// observed mean counts as much as the configuration.
const PRIOR_TURNS: f64 = 5.0;

/// The expected wait, in seconds, of a turn with `ahead` turns before it, served by
/// `counters` counters of which `idle` are free now, each turn taking `mean` seconds.
pub fn expected_wait(ahead: u32, idle: u32, counters: u32, mean: f64) -> u32 {
    if ahead < idle {
        return 0;
    }
    let departures = f64::from(ahead - idle + 1);
    (departures * mean / f64::from(counters.max(1))).round() as u32
}

impl OfficeState {
    /// Counters able to take turns of a service now (open or paused).
    pub fn staffed_counters(&self, service: ServiceIdx) -> u32 {
        self.counters_for(service)
            .filter(|(_, state)| state.status != CounterStatus::Closed)
            .count() as u32
    }

    /// Open counters of a service with nobody at them: the next turn goes straight there.
    fn idle_counters(&self, service: ServiceIdx) -> u32 {
        self.counters_for(service)
            .filter(|(_, state)| state.status == CounterStatus::Open && state.current.is_none())
            .count() as u32
    }

    fn counters_for(
        &self,
        service: ServiceIdx,
    ) -> impl Iterator<Item = (&crate::domain::spec::CounterSpec, &super::CounterState)> {
        self.spec
            .counters
            .iter()
            .zip(&self.counters)
            .filter(move |(spec, _)| spec.services.contains(&service))
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

    /// The service time to plan with: the configured default, worth [`PRIOR_TURNS`]
    /// turns, blended with today's finished turns.
    pub fn expected_service_seconds(&self, service: ServiceIdx) -> f64 {
        let stats = self.stats[service as usize];
        let default = f64::from(self.spec.services[service as usize].default_service_seconds);
        (default * PRIOR_TURNS + stats.total_seconds) / (PRIOR_TURNS + f64::from(stats.served))
    }

    /// The mean service time of the turns the counters of `service` are busy with: each
    /// competing service (itself included) weighed by its waiting turns, `new` more for
    /// the service itself (a turn about to be taken), so that the kiosk's estimate before
    /// a turn and the ticket's after it are the same. An empty queue takes the service's own.
    fn mean_of_turns_ahead(&self, service: ServiceIdx, new: u32) -> f64 {
        let mut weight = 0.0;
        let mut total = 0.0;
        for &other in &self.spec.competing[service as usize] {
            let mut waiting = f64::from(self.queues.count(other).0);
            if other == service {
                waiting += f64::from(new);
            }
            weight += waiting;
            total += waiting * self.expected_service_seconds(other);
        }
        if weight == 0.0 {
            return self.expected_service_seconds(service);
        }
        total / weight
    }

    /// Expected wait for a waiting turn of a service with `position` turns ahead of it.
    pub fn estimate_wait(&self, service: ServiceIdx, position: u32) -> u32 {
        self.estimate(service, position, 0)
    }

    fn estimate(&self, service: ServiceIdx, position: u32, new: u32) -> u32 {
        let (counters, idle) = match self.staffed_counters(service) {
            // Nobody is at a counter yet (before opening): plan with every counter that
            // serves it, as the office is staffed to open them.
            0 => (self.counters_for(service).count().max(1) as u32, 0),
            n => (n, self.idle_counters(service)),
        };
        expected_wait(
            position,
            idle,
            counters,
            self.mean_of_turns_ahead(service, new),
        )
    }

    /// How many turns a new normal turn of `service` would have ahead, and its wait.
    pub fn outlook_for_new_turn(&self, service: ServiceIdx) -> (u32, u32) {
        let ahead: u32 = self.spec.competing[service as usize]
            .iter()
            .map(|&s| self.queues.count(s).0)
            .sum();
        (ahead, self.estimate(service, ahead, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::expected_wait;

    #[test]
    fn a_free_counter_means_no_wait() {
        assert_eq!(expected_wait(0, 1, 3, 300.0), 0);
        assert_eq!(expected_wait(1, 2, 3, 300.0), 0);
    }

    #[test]
    fn busy_counters_free_up_at_their_rate() {
        // Three turns ahead, three busy counters, 5 minutes each: 4 departures at
        // 3 per 5 minutes.
        assert_eq!(expected_wait(3, 0, 3, 300.0), 400);
        // One idle counter takes the first turn ahead at once.
        assert_eq!(expected_wait(3, 1, 3, 300.0), 300);
        assert_eq!(expected_wait(0, 0, 1, 180.0), 180);
        assert_eq!(
            expected_wait(5, 0, 0, 60.0),
            360,
            "no counter counts as one"
        );
    }
}
