//! Summaries of a list of durations, shares and survey scores, as the report shows them.

use crate::domain::survey::Scores;
use serde::Serialize;

/// Mean, median, 90th percentile and maximum of some durations in seconds; `null` when
/// there are none.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Summary {
    /// How many values.
    pub count: usize,
    /// Arithmetic mean.
    pub mean: Option<f64>,
    /// Median (nearest-rank 50th percentile).
    pub p50: Option<f64>,
    /// Nearest-rank 90th percentile.
    pub p90: Option<f64>,
    /// Largest value.
    pub max: Option<f64>,
}

/// The nearest-rank percentile of sorted values: the smallest value with at least `p`
/// percent of the values at or below it (so p50 of 1, 2, 3, 4 is 2: always an observed
/// value, never an interpolation).
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

impl Summary {
    /// Summarises whole milliseconds kept as sorted runs (one per day, say) as if they
    /// were one sorted list: the mean from the exact integer sum, the percentiles by
    /// selecting the ranked value across the runs (never merging them), so a year of
    /// days costs a few binary searches per figure.
    pub fn of_runs(runs: &[&[u32]]) -> Summary {
        let count: usize = runs.iter().map(|r| r.len()).sum();
        let sum: u64 = runs
            .iter()
            .flat_map(|r| r.iter())
            .map(|&v| u64::from(v))
            .sum();
        let secs = |ms: u32| f64::from(ms) / 1000.0;
        let max = runs.iter().filter_map(|r| r.last().copied()).max();
        let rank = |p: f64| {
            let rank = (p / 100.0 * count as f64).ceil() as usize;
            nth_smallest(runs, rank.clamp(1, count.max(1)), max.unwrap_or(0))
        };
        Summary {
            count,
            mean: (count > 0).then(|| round2(sum as f64 / 1000.0 / count as f64)),
            p50: (count > 0).then(|| secs(rank(50.0))),
            p90: (count > 0).then(|| secs(rank(90.0))),
            max: max.map(secs),
        }
    }

    /// Summarises values (in any order).
    pub fn of(values: &[f64]) -> Summary {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mean = (!sorted.is_empty()).then(|| sorted.iter().sum::<f64>() / sorted.len() as f64);
        Summary {
            count: sorted.len(),
            mean: mean.map(round2),
            p50: percentile(&sorted, 50.0),
            p90: percentile(&sorted, 90.0),
            max: sorted.last().copied(),
        }
    }
}

/// The `rank`-th smallest value (from 1) of sorted runs whose largest value is `max`:
/// the least value with at least `rank` values at or below it, found by bisecting the
/// values (it is always an observed value: the count grows only at observed values).
fn nth_smallest(runs: &[&[u32]], rank: usize, max: u32) -> u32 {
    let at_or_below =
        |v: u32| -> usize { runs.iter().map(|r| r.partition_point(|&x| x <= v)).sum() };
    let (mut lo, mut hi) = (0u32, max);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if at_or_below(mid) >= rank {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// How many of a total met a condition.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Share {
    /// How many met it.
    pub count: u32,
    /// Out of how many.
    pub total: u32,
    /// count / total (0–1), `null` when total is 0.
    pub share: Option<f64>,
}

impl Share {
    /// count out of total.
    pub fn new(count: u32, total: u32) -> Share {
        Share {
            count,
            total,
            share: ratio(count, total),
        }
    }
}

/// The mean answer to each question.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ByQuestion {
    /// The general question.
    pub overall: Option<f64>,
    /// Attention received.
    pub attention: Option<f64>,
    /// Clarity of the information.
    pub clarity: Option<f64>,
    /// Waiting time.
    pub wait_time: Option<f64>,
    /// Response time of the procedure.
    pub response_time: Option<f64>,
}

/// The satisfaction figures as protocol 000 §9.1.B–C defines them.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Satisfaction {
    /// Surveys answered.
    pub responses: u32,
    /// responses / turns served (`null` when none were served).
    pub response_rate: Option<f64>,
    /// The index: the arithmetic mean of the general question (1–5).
    pub index: Option<f64>,
    /// The mean of each question.
    pub by_question: ByQuestion,
    /// Share of responses whose general answer is below 3 (dissatisfied).
    pub below_3_share: Option<f64>,
    /// Share of responses whose general answer is 5 (totalmente satisfecho, the target).
    pub top_share: Option<f64>,
}

impl Satisfaction {
    /// Summarises the answers of a group that served `served` turns.
    pub fn of(scores: &[Scores], served: u32) -> Satisfaction {
        let n = scores.len() as u32;
        let mean = |f: fn(&Scores) -> u8| {
            (n > 0)
                .then(|| round2(scores.iter().map(|s| f64::from(f(s))).sum::<f64>() / f64::from(n)))
        };
        let overall = mean(|s| s.overall);
        Satisfaction {
            responses: n,
            response_rate: ratio(n, served),
            index: overall,
            by_question: ByQuestion {
                overall,
                attention: mean(|s| s.attention),
                clarity: mean(|s| s.clarity),
                wait_time: mean(|s| s.wait_time),
                response_time: mean(|s| s.response_time),
            },
            below_3_share: ratio(scores.iter().filter(|s| s.overall < 3).count() as u32, n),
            top_share: ratio(scores.iter().filter(|s| s.overall == 5).count() as u32, n),
        }
    }
}

/// a / b rounded to 4 decimals, or `None` when b is 0.
pub fn ratio(a: u32, b: u32) -> Option<f64> {
    (b > 0).then(|| (f64::from(a) / f64::from(b) * 10_000.0).round() / 10_000.0)
}

/// Rounds to 2 decimals (means are shown to the hundredth).
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&v, 50.0), Some(2.0));
        assert_eq!(percentile(&v, 90.0), Some(4.0));
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&ten, 50.0), Some(5.0));
        assert_eq!(percentile(&ten, 90.0), Some(9.0));
        assert_eq!(percentile(&[7.0], 90.0), Some(7.0));
        assert_eq!(percentile(&[], 50.0), None);
        let s = Summary::of(&[300.0, 60.0, 120.0]);
        assert_eq!(s.count, 3);
        assert_eq!(s.mean, Some(160.0));
        assert_eq!(s.p50, Some(120.0));
        assert_eq!(s.p90, Some(300.0));
        assert_eq!(s.max, Some(300.0));
        assert_eq!(Summary::of(&[]).mean, None);
    }

    #[test]
    fn runs_summarise_as_their_concatenation() {
        let a = [0u32, 5, 5, 900, 60_000];
        let b = [1u32, 2, 5, 7_000];
        let c: [u32; 0] = [];
        let all: Vec<f64> = a.iter().chain(&b).map(|&v| f64::from(v) / 1000.0).collect();
        let s = Summary::of_runs(&[&a, &c, &b]);
        let r = Summary::of(&all);
        assert_eq!(
            (s.count, s.p50, s.p90, s.max),
            (r.count, r.p50, r.p90, r.max)
        );
        assert_eq!(s.mean, Some(7.55)); // 67 918 ms / 9
        for rank in 1..=9 {
            let mut sorted: Vec<u32> = a.iter().chain(&b).copied().collect();
            sorted.sort_unstable();
            assert_eq!(nth_smallest(&[&a, &c, &b], rank, 60_000), sorted[rank - 1]);
        }
        let none = Summary::of_runs(&[&c]);
        assert_eq!(
            (none.count, none.mean, none.p50, none.max),
            (0, None, None, None)
        );
    }

    #[test]
    fn satisfaction_as_the_protocol_defines_it() {
        let s = |o, a| Scores {
            overall: o,
            attention: a,
            clarity: 4,
            wait_time: 3,
            response_time: 4,
        };
        let sat = Satisfaction::of(&[s(5, 5), s(2, 3), s(4, 4)], 6);
        assert_eq!(sat.responses, 3);
        assert_eq!(sat.response_rate, Some(0.5));
        assert_eq!(sat.index, Some(3.67)); // (5 + 2 + 4) / 3
        assert_eq!(sat.by_question.attention, Some(4.0));
        assert_eq!(sat.below_3_share, Some(0.3333));
        assert_eq!(sat.top_share, Some(0.3333));
        assert_eq!(Satisfaction::of(&[], 0).index, None);
    }
}
