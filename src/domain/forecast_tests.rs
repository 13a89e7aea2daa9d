//! Erlang C against values computed by hand, and the forecast of scripted queues.

use super::*;
use crate::domain::tests::{act, day, issue, spec, t0};
use crate::domain::{decide, Command, CounterAction, OfficeSpec, PolicySpec};
use std::sync::Arc;

fn close(actual: f64, expected: f64, tolerance: f64) {
    assert!(
        (actual - expected).abs() <= tolerance * expected.abs().max(1e-9),
        "{actual} is not within {}% of {expected}",
        tolerance * 100.0
    );
}

#[test]
fn erlang_c_matches_hand_computed_values() {
    // c = 2, a = 1.5 (λ = 10/h, 9 min each): Σ_{k<2} a^k/k! = 1 + 1.5 = 2.5;
    // a²/2! · 1/(1 − ρ) = 1.125 / 0.25 = 4.5; C = 4.5 / (2.5 + 4.5) = 0.642857.
    close(erlang_c(2, 1.5), 0.642_857, 1e-5);
    // c = 1: C = ρ. a = 0.6 → 0.6.
    close(erlang_c(1, 0.6), 0.6, 1e-9);
    // c = 3, a = 2: Σ_{k<3} = 1 + 2 + 2 = 5; a³/3! · 1/(1 − 2/3) = 1.3333 · 3 = 4;
    // C = 4 / 9 = 0.444444.
    close(erlang_c(3, 2.0), 4.0 / 9.0, 1e-9);
    assert_eq!(erlang_c(2, 2.0), 1.0, "ρ = 1 never settles");
    assert_eq!(erlang_c(0, 0.5), 1.0);
    assert_eq!(erlang_c(2, 0.0), 0.0);
}

#[test]
fn mean_wait_and_share_within_target_follow_mmc() {
    // λ = 10/h, mean 9 min, c = 2: cμ − λ = 13.333 − 10 = 3.333/h;
    // Wq = C/(cμ − λ) = 0.642857 / 3.3333 h = 0.192857 h = 694.29 s (11.57 min);
    // P(W ≤ 15 min) = 1 − 0.642857 · e^{−3.3333 · 0.25} = 1 − 0.642857 · 0.434598 = 0.720616.
    let q = Queue::new(10.0, 540.0, 2);
    close(q.mean_wait().unwrap(), 694.29, 1e-4);
    close(q.within(900.0), 0.720_616, 1e-5);
    // With nobody in the lobby beyond the steady state, the hour is the steady state.
    let o = outlook(q, 0, 900.0);
    close(o.expected_wait.unwrap(), 694.29, 1e-4);
    close(o.within_target, 0.720_616, 1e-5);
    assert!(!o.on_target(900.0), "72% within target is under 80%");
    assert_eq!(Queue::new(20.0, 540.0, 2).mean_wait(), None, "ρ = 1.5");
}

#[test]
fn a_backlog_drains_or_grows_like_a_fluid() {
    // One counter, 6 min each (10/h capacity), 12 arrivals an hour: the queue grows by
    // 2 an hour. With 3 waiting, an arrival at minute t waits (3 + 2t/60)·6 min.
    let q = Queue::new(12.0, 360.0, 1);
    let o = outlook(q, 3, 1200.0);
    // Mean over the hour's minutes of 18 + 0.2·t min (t = 0.5 … 59.5) = 18 + 6 = 24 min.
    close(o.expected_wait.unwrap(), 24.0 * 60.0, 1e-3);
    // Over 20 min once 18 + 0.2t > 20, i.e. t > 10: minutes 0–9 within (10 of 60).
    close(o.within_target, 10.0 / 60.0, 1e-9);
    assert_eq!(o.passes_target_after, Some(10));
}

fn office(change: impl FnOnce(&mut OfficeSpec)) -> OfficeState {
    let mut spec = (*spec(PolicySpec::default())).clone();
    change(&mut spec);
    OfficeState::new(Arc::new(spec), day(), t0())
}

fn run(state: &mut OfficeState, cmd: Command, now: DateTime<Utc>) {
    let (events, _) = decide(state, &cmd, now).unwrap();
    for e in &events {
        state.apply(e).unwrap();
    }
}

#[test]
fn services_sharing_counters_are_one_pool() {
    let s = office(|_| {});
    // v1, v2 serve registro + catastro, v3 catastro + caja, v4 all: one pool.
    assert_eq!(pools(&s.spec), vec![vec![0, 1, 2]]);
    let split = office(|spec| {
        for c in &mut spec.counters {
            c.services.retain(|&x| x == 0 || c.id == "v3");
        }
        spec.counters[2].services = vec![2];
        spec.derive_competing();
    });
    assert_eq!(pools(&split.spec), vec![vec![0], vec![1], vec![2]]);
}

#[test]
fn advice_names_the_counters_and_the_time_to_open_them() {
    // Registro alone on v1 (18 min each, target 20), 5 waiting, 6 arrivals an hour:
    // capacity 3.33/h; the queue grows by 2.67 an hour.
    let mut s = office(|spec| {
        for c in &mut spec.counters {
            c.services.retain(|&x| x != 0);
        }
        spec.counters[0].services = vec![0];
        spec.services[0].default_service_seconds = 18 * 60;
        spec.services[0].target_wait_seconds = 20 * 60;
        spec.derive_competing();
    });
    run(&mut s, act("v1", CounterAction::Open), t0());
    for n in 0..5 {
        run(&mut s, issue("registro", "general", n), t0());
    }
    let f = forecast(&s, &[6.0, 0.0, 0.0], t0());
    let registro = &f[0];
    assert_eq!(registro.counters, 1);
    let advice = registro.advice.as_ref().expect("off target");
    let o = registro.outlook;
    assert!(o.expected_wait.unwrap() > 1200.0, "{o:?}");
    assert_eq!(advice.target, 1200);
    assert_eq!(advice.before, t0(), "already over: now");
    let extra = advice.extra_counters.unwrap();
    // With 2 counters: λ = 6, cμ = 6.67, backlog 5 drains; check the advice is the least.
    assert!(outlook(Queue::new(6.0, 1080.0, 1 + extra), 5, 1200.0).on_target(1200.0));
    assert!(!outlook(Queue::new(6.0, 1080.0, extra), 5, 1200.0).on_target(1200.0));
    assert_eq!(advice.available, 0, "v1 is the only one serving it");
}

#[test]
fn the_recent_rate_blends_with_history() {
    assert_eq!(blended_rate(10, 60.0, None), 10.0);
    assert_eq!(blended_rate(5, 30.0, None), 10.0, "5 in half an hour");
    // A full hour: half and half.
    assert_eq!(blended_rate(10, 60.0, Some(20.0)), 15.0);
    // A young day leans on history: 30 min → a quarter recent.
    assert_eq!(blended_rate(5, 30.0, Some(20.0)), 0.25 * 10.0 + 0.75 * 20.0);
    assert_eq!(blended_rate(0, 0.0, Some(8.0)), 8.0);
}
