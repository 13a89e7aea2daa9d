//! The staffing forecast: the next hour of each service as an M/M/c queue (Erlang C)
//! with the observed rates, and the smallest change of staff that keeps it on target.
//!
//! **Pools.** A counter calls the oldest turn among the services it serves, so services
//! linked by shared counters (directly or through a chain of them) are one queue: one
//! pool, with the pooled arrival rate, the service time weighted by each service's share
//! of the load, and every open counter of the pool. Each service is then judged against
//! its own target with the pool's waits. Paused counters do not count (nobody serves).
//!
//! **Now and later.** Erlang C gives the steady state; the queue in the lobby now may be
//! longer than that state's mean. The excess drains (or, at ρ ≥ 1, grows) at
//! `λ − cμ` like a fluid, and an arrival at minute `t` of the hour waits for the excess
//! ahead of it plus the steady-state wait: `W(t) = excess(t)/(cμ) + Wq`, and is within
//! target with probability `1 − C·e^{−(cμ−λ)(T − excess(t)/(cμ))}`. The hour's figures
//! are the means over its minutes (arrivals are spread evenly).

use super::spec::{OfficeSpec, ServiceIdx};
use super::state::{CounterStatus, OfficeState};
use chrono::{DateTime, Duration, Utc};

/// Minutes ahead the forecast covers.
pub const HORIZON_MINUTES: u32 = 60;
/// The share of turns within target below which the forecast advises more counters.
pub const TARGET_SHARE: f64 = 0.8;
/// The most extra counters the advice looks for.
const MAX_EXTRA: u32 = 20;

/// Erlang C: the probability that an arrival waits, with `c` servers and offered load
/// `a = λ/μ` (in Erlangs). 1 when `a ≥ c` (the queue never settles). Computed through
/// the Erlang B recursion, which stays stable for large `c`.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    if c == 0 || a >= f64::from(c) {
        return 1.0;
    }
    if a <= 0.0 {
        return 0.0;
    }
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    let c = f64::from(c);
    c * b / (c - a * (1.0 - b))
}

/// An M/M/c queue: arrivals and service completions per second, and its servers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Queue {
    /// Arrivals per second (λ).
    pub lambda: f64,
    /// Completions per second of one server (μ).
    pub mu: f64,
    /// Servers.
    pub c: u32,
}

impl Queue {
    /// A queue from arrivals per hour and the mean service time in seconds.
    pub fn new(arrivals_per_hour: f64, mean_service_seconds: f64, c: u32) -> Queue {
        Queue {
            lambda: arrivals_per_hour.max(0.0) / 3600.0,
            mu: 1.0 / mean_service_seconds.max(1.0),
            c,
        }
    }

    /// Whether it settles (ρ < 1).
    pub fn stable(&self) -> bool {
        self.c > 0 && self.lambda < f64::from(self.c) * self.mu
    }

    /// The probability an arrival waits (Erlang C).
    pub fn wait_probability(&self) -> f64 {
        erlang_c(self.c, self.lambda / self.mu)
    }

    /// Mean wait in the queue, seconds (`Wq = C/(cμ − λ)`); `None` when it never settles.
    pub fn mean_wait(&self) -> Option<f64> {
        self.stable()
            .then(|| self.wait_probability() / (f64::from(self.c) * self.mu - self.lambda))
    }

    /// P(wait ≤ t seconds) = 1 − C·e^{−(cμ−λ)t}; 0 when it never settles.
    pub fn within(&self, t: f64) -> f64 {
        if !self.stable() {
            return 0.0;
        }
        if t < 0.0 {
            return 0.0;
        }
        let drain = f64::from(self.c) * self.mu - self.lambda;
        1.0 - self.wait_probability() * (-drain * t).exp()
    }
}

/// The hour ahead of one queue, for one target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outlook {
    /// Mean wait of the hour's arrivals, seconds (`None`: no counter open while turns
    /// wait or arrive — the wait lasts until one opens).
    pub expected_wait: Option<f64>,
    /// Share of the hour's arrivals called within target.
    pub within_target: f64,
    /// The longest wait of an arrival within the hour, seconds.
    pub peak_wait: Option<f64>,
    /// Minutes from now after which a new arrival would wait over the target (0: now).
    pub passes_target_after: Option<u32>,
}

impl Outlook {
    /// Whether the hour stays on target: mean wait within it and at least
    /// [`TARGET_SHARE`] of the turns within it.
    pub fn on_target(&self, target: f64) -> bool {
        self.expected_wait.is_some_and(|w| w <= target) && self.within_target >= TARGET_SHARE
    }
}

/// The hour ahead of a queue with `waiting` turns in the lobby now, against `target`
/// seconds (see the module's notes).
pub fn outlook(queue: Queue, waiting: u32, target: f64) -> Outlook {
    if queue.c == 0 {
        let idle = waiting == 0 && queue.lambda == 0.0;
        return Outlook {
            expected_wait: idle.then_some(0.0),
            within_target: if idle { 1.0 } else { 0.0 },
            peak_wait: idle.then_some(0.0),
            passes_target_after: (!idle).then_some(0),
        };
    }
    let capacity = f64::from(queue.c) * queue.mu;
    let (steady_wait, steady_queue) = match queue.mean_wait() {
        Some(wq) => (wq, queue.lambda * wq),
        None => (0.0, 0.0),
    };
    let excess0 = (f64::from(waiting) - steady_queue).max(0.0);
    let growth = queue.lambda - capacity;
    let (mut total_wait, mut total_within, mut peak) = (0.0, 0.0, 0.0f64);
    let mut passes = None;
    for m in 0..HORIZON_MINUTES {
        let t = (f64::from(m) + 0.5) * 60.0;
        let excess = (excess0 + growth * t).max(0.0);
        let ahead = excess / capacity;
        let wait = ahead + steady_wait;
        let within = if queue.stable() {
            if ahead > target {
                0.0
            } else {
                queue.within(target - ahead)
            }
        } else if wait <= target {
            1.0
        } else {
            0.0
        };
        if wait > target && passes.is_none() {
            passes = Some(m);
        }
        total_wait += wait;
        total_within += within;
        peak = peak.max(wait);
    }
    let n = f64::from(HORIZON_MINUTES);
    Outlook {
        expected_wait: Some(total_wait / n),
        within_target: total_within / n,
        peak_wait: Some(peak),
        passes_target_after: passes,
    }
}

/// What the forecast advises for a service off target.
#[derive(Debug, Clone, PartialEq)]
pub struct Advice {
    /// Counters to open beyond those open now (`None`: more than the advice looks for).
    pub extra_counters: Option<u32>,
    /// Counters of the pool able to serve it that are closed or paused now.
    pub available: u32,
    /// Before when (the moment an arrival would first wait over the target; now or
    /// later).
    pub before: DateTime<Utc>,
    /// The wait it would reach within the hour, seconds (`None`: unbounded).
    pub would_reach: Option<u32>,
    /// The service's target, seconds.
    pub target: u32,
    /// The share of the hour's turns within target as things stand.
    pub within_target: f64,
}

/// One service's next hour.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceForecast {
    /// The service.
    pub service: ServiceIdx,
    /// Arrivals per hour assumed for it.
    pub arrivals_per_hour: f64,
    /// Counters of its pool open now.
    pub counters: u32,
    /// The hour.
    pub outlook: Outlook,
    /// What to do when the hour misses the target.
    pub advice: Option<Advice>,
}

/// The services linked by shared counters, as pools (each service in exactly one).
pub fn pools(spec: &OfficeSpec) -> Vec<Vec<ServiceIdx>> {
    let n = spec.services.len();
    let mut pool: Vec<usize> = (0..n).collect();
    fn root(pool: &mut [usize], mut i: usize) -> usize {
        while pool[i] != i {
            pool[i] = pool[pool[i]];
            i = pool[i];
        }
        i
    }
    for c in &spec.counters {
        for w in c.services.windows(2) {
            let (a, b) = (
                root(&mut pool, w[0] as usize),
                root(&mut pool, w[1] as usize),
            );
            pool[a] = b;
        }
    }
    let mut groups: Vec<Vec<ServiceIdx>> = Vec::new();
    let mut index = vec![usize::MAX; n];
    for s in 0..n {
        let r = root(&mut pool, s);
        if index[r] == usize::MAX {
            index[r] = groups.len();
            groups.push(Vec::new());
        }
        groups[index[r]].push(s as ServiceIdx);
    }
    groups
}

/// Forecasts every service's next hour from the state (service times, counters open,
/// turns waiting) and the arrivals per hour expected for each service (`arrivals`,
/// indexed like the services).
pub fn forecast(state: &OfficeState, arrivals: &[f64], now: DateTime<Utc>) -> Vec<ServiceForecast> {
    let spec = &state.spec;
    let mut out = Vec::with_capacity(spec.services.len());
    for pool in pools(spec) {
        let serves_pool = |services: &[ServiceIdx]| services.iter().any(|s| pool.contains(s));
        let (mut open, mut available) = (0u32, 0u32);
        for (c, st) in spec.counters.iter().zip(&state.counters) {
            if serves_pool(&c.services) {
                if st.status == CounterStatus::Open {
                    open += 1;
                } else {
                    available += 1;
                }
            }
        }
        let lambda: f64 = pool.iter().map(|&s| arrivals[s as usize]).sum();
        let waiting: u32 = pool.iter().map(|&s| state.waiting(s).0).sum();
        // The pool's service time: each service weighed by its load (arrivals, or the
        // turns waiting when nobody is expected), plain mean when neither.
        let weight = |s: ServiceIdx| {
            let w = arrivals[s as usize] + f64::from(state.waiting(s).0);
            if w > 0.0 {
                w
            } else {
                1e-9
            }
        };
        let total: f64 = pool.iter().map(|&s| weight(s)).sum();
        let mean = pool
            .iter()
            .map(|&s| weight(s) * state.expected_service_seconds(s))
            .sum::<f64>()
            / total;
        for &s in &pool {
            let target = f64::from(spec.services[s as usize].target_wait_seconds);
            let at = |c| outlook(Queue::new(lambda, mean, c), waiting, target);
            let now_outlook = at(open);
            let advice = (!now_outlook.on_target(target)).then(|| Advice {
                extra_counters: (1..=MAX_EXTRA).find(|k| at(open + k).on_target(target)),
                available,
                before: now
                    + Duration::minutes(i64::from(now_outlook.passes_target_after.unwrap_or(0))),
                would_reach: now_outlook.peak_wait.map(|w| w.round() as u32),
                target: target as u32,
                within_target: now_outlook.within_target,
            });
            out.push(ServiceForecast {
                service: s,
                arrivals_per_hour: arrivals[s as usize],
                counters: open,
                outlook: now_outlook,
                advice,
            });
        }
    }
    out.sort_by_key(|f| f.service);
    out
}

/// Arrivals per hour to plan with: today's recent rate (`recent` turns over the last
/// `window_minutes`, at most an hour) blended half and half with the same weekday's
/// history for the coming hour when there is any; the recent rate weighs less while
/// the day is young (its window shorter than an hour).
pub fn blended_rate(recent: u32, window_minutes: f64, history: Option<f64>) -> f64 {
    let window = window_minutes.clamp(0.0, 60.0);
    let rate = if window > 0.0 {
        f64::from(recent) * 60.0 / window
    } else {
        0.0
    };
    match history {
        None => rate,
        Some(h) => {
            let w = 0.5 * window / 60.0;
            w * rate + (1.0 - w) * h
        }
    }
}

#[cfg(test)]
#[path = "forecast_tests.rs"]
mod tests;
