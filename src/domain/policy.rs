//! The priority policy: which waiting turn a counter calls next, and how many turns will
//! be called before a given one (its `position`). Both come from the same rule, so the
//! position a citizen reads is the order the counters follow.
//!
//! The rule. Waiting turns fall in two queues, each first come first served by issue time
//! (a transferred turn keeps its original issue time):
//! - **Q0**: preferential turns, and normal turns that have waited at least the aging
//!   threshold (when aging is configured);
//! - **Q1**: the other normal turns.
//!
//! A counter calls the head of Q0 before Q1 (the protocol's rule: preferential first).
//! With a cap of K consecutive preferential calls, once K calls in a row have gone to Q0
//! *while Q1 had turns waiting*, the next call goes to Q1 and the count starts again.
//! The count is kept per office.

use super::event::CallReason;
use super::queue::WaitingQueues;
use super::spec::{PolicySpec, ServiceIdx};
use super::ticket::Ticket;
use chrono::{DateTime, Duration, Utc};

/// The turn a counter should call, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// Sequence of the chosen turn.
    pub seq: u32,
    /// Why it was chosen.
    pub reason: CallReason,
    /// The office's consecutive-preferential count after this call.
    pub streak: u32,
}

/// The first sequence number whose turn is not yet aged at `now`: turns with a lower
/// sequence (issued earlier) that are normal count as preferential. `tickets` is the
/// day's turns in sequence order, whose issue times never decrease.
pub fn aging_cutoff(tickets: &[Ticket], policy: &PolicySpec, now: DateTime<Utc>) -> u32 {
    match policy.aging_seconds {
        None => 0,
        Some(secs) => {
            let limit = now - Duration::seconds(i64::from(secs));
            tickets.partition_point(|t| t.issued_at <= limit) as u32
        }
    }
}

fn min_opt(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Chooses the next turn for a counter serving `services`.
pub fn choose(
    queues: &WaitingQueues,
    services: &[ServiceIdx],
    cutoff: u32,
    streak: u32,
    policy: &PolicySpec,
) -> Option<Choice> {
    let mut preferential = None;
    let mut aged = None;
    let mut normal = None;
    for &s in services {
        preferential = min_opt(preferential, queues.preferential(s).first_at_or_after(0));
        aged = min_opt(
            aged,
            queues
                .normal(s)
                .first_at_or_after(0)
                .filter(|&seq| seq < cutoff),
        );
        normal = min_opt(normal, queues.normal(s).first_at_or_after(cutoff));
    }
    let q0 = match (preferential, aged) {
        (Some(p), Some(a)) if a < p => Some((a, CallReason::Aged)),
        (Some(p), _) => Some((p, CallReason::Preferential)),
        (None, Some(a)) => Some((a, CallReason::Aged)),
        (None, None) => None,
    };
    let cap = policy.max_consecutive_preferential;
    if let (Some(k), Some(n)) = (cap, normal) {
        if streak >= k {
            return Some(Choice {
                seq: n,
                reason: CallReason::RatioCap,
                streak: 0,
            });
        }
    }
    match (q0, normal) {
        (Some((seq, reason)), q1) => Some(Choice {
            seq,
            reason,
            streak: if cap.is_some() && q1.is_some() {
                streak + 1
            } else {
                0
            },
        }),
        (None, Some(seq)) => Some(Choice {
            seq,
            reason: CallReason::InOrder,
            streak: 0,
        }),
        (None, None) => None,
    }
}

/// How many waiting turns of the `competing` services the policy calls before the waiting
/// turn `ticket` (0 = next).
pub fn position(
    queues: &WaitingQueues,
    competing: &[ServiceIdx],
    ticket: &Ticket,
    cutoff: u32,
    streak: u32,
    policy: &PolicySpec,
) -> u32 {
    let seq = ticket.seq;
    let in_q0 = ticket.preferential || seq < cutoff;
    let mut q0_total = 0;
    let mut q0_ahead = 0;
    let mut q1_total = 0;
    let mut q1_ahead = 0;
    for &s in competing {
        let p = queues.preferential(s);
        let n = queues.normal(s);
        let aged_total = n.count_below(cutoff);
        q0_total += p.total() + aged_total;
        q1_total += n.total() - aged_total;
        if in_q0 {
            q0_ahead += p.count_below(seq) + n.count_below(seq.min(cutoff));
        } else {
            q1_ahead += n.count_below(seq) - aged_total;
        }
    }
    match policy.max_consecutive_preferential {
        None if in_q0 => q0_ahead,
        None => q1_ahead + q0_total,
        Some(k) => {
            let k = k.max(1);
            let first_run = k.saturating_sub(streak);
            if in_q0 {
                let q1_before = if q1_total == 0 || q0_ahead < first_run {
                    0
                } else {
                    1 + (q0_ahead - first_run) / k
                };
                q0_ahead + q1_before.min(q1_total)
            } else {
                q1_ahead + q0_total.min(first_run.saturating_add(q1_ahead.saturating_mul(k)))
            }
        }
    }
}
