//! The organisation's report against each office's own report, on generated days of two
//! offices in a real embedded store: one office alone is its own report; an office and
//! its exact copy double every count and keep every mean, percentile and index (the
//! percentiles are nearest-rank, so a multiset doubled has the same ones); two offices
//! of different days add up office by office.

use super::*;
use crate::domain::Event;
use crate::report::stored::tests::{first, simulate, spec, Lcg, DAYS};
use crate::report::{stored, Report, TurnCounts};
use crate::store::{BatchId, EmbeddedStore};
use chrono::{Duration, TimeZone};
use std::sync::Arc;

/// The demo office under another id and name.
fn norte() -> Arc<OfficeSpec> {
    let mut s = (*spec()).clone();
    s.id = "norte".into();
    s.name = "Norte".into();
    Arc::new(s)
}

/// Writes `DAYS` generated days for `office` (the last still open); returns the events.
fn fill(store: &EmbeddedStore, spec: &Arc<OfficeSpec>, seed: u64) -> Vec<Vec<Event>> {
    let (mut rng, mut served) = (Lcg(seed), Vec::new());
    (0..DAYS)
        .map(|d| {
            let day = first() + Duration::days(d);
            let mut events = simulate(spec, day, &mut rng, &mut served);
            if d == DAYS - 1 {
                events.pop();
            }
            store
                .append(&spec.id, day, 0, BatchId::random(), &events)
                .unwrap();
            events
        })
        .collect()
}

fn today() -> NaiveDate {
    first() + Duration::days(DAYS - 1)
}

fn now() -> DateTime<Utc> {
    spec()
        .timezone
        .from_local_datetime(&today().and_hms_opt(20, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn office(store: &EmbeddedStore, spec: &OfficeSpec) -> Report {
    stored::report(store, spec, first(), today(), today(), now()).unwrap()
}

fn organisation(store: &EmbeddedStore, specs: &[&OfficeSpec]) -> OrganisationReport {
    report(store, specs, first(), today(), now()).unwrap()
}

fn doubled(t: &TurnCounts) -> TurnCounts {
    let mut d = t.clone();
    d.add(t);
    d
}

/// `row` of the copied organisation is `one` of one office, each count doubled.
fn assert_doubled(row: &Figures, one: &Figures, what: &str) {
    assert_eq!(row.turns, doubled(&one.turns), "{what}: turns");
    let (w, w1) = (&row.wait_seconds, &one.wait_seconds);
    assert_eq!(w.count, 2 * w1.count, "{what}: waits");
    assert_eq!(
        (w.mean, w.p50, w.p90, w.max),
        (w1.mean, w1.p50, w1.p90, w1.max),
        "{what}: wait"
    );
    let (s, s1) = (&row.service_seconds, &one.service_seconds);
    assert_eq!(
        (s.mean, s.p50, s.p90, s.max),
        (s1.mean, s1.p50, s1.p90, s1.max),
        "{what}: service"
    );
    assert_eq!(
        row.within_target.share, one.within_target.share,
        "{what}: within"
    );
    let (a, a1) = (&row.satisfaction, &one.satisfaction);
    assert_eq!(a.responses, 2 * a1.responses, "{what}: responses");
    assert_eq!(a.index, a1.index, "{what}: index");
    assert_eq!(a.by_question, a1.by_question, "{what}: by question");
}

#[test]
fn one_office_is_its_own_report() {
    let data = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(data.path()).unwrap();
    let central = spec();
    fill(&store, &central, 7);
    let one = office(&store, &central);
    let org = organisation(&store, &[&central]);
    assert_eq!((org.from, org.to), (one.from, one.to));
    assert_eq!(org.total, one.total);
    assert_eq!(org.by_office.len(), 1);
    assert_eq!(org.by_office[0].id, "central");
    assert_eq!(org.by_office[0].figures, one.total);
    assert_eq!(org.by_service, one.by_service);
    assert_eq!(org.by_class, one.by_class);
    assert_eq!(org.by_category, one.by_category);
    assert_eq!(
        org.by_counter, one.by_counter,
        "one office: counters by their own id"
    );
    assert_eq!(org.by_agent, one.by_agent);
    assert_eq!(org.by_hour, one.by_hour);
    assert_eq!(org.pauses, one.pauses);
    assert_eq!(org.cases, one.cases);
    assert_eq!(org.forecast_accuracy, one.forecast_accuracy);
    assert_eq!(org.alerts, one.alerts);
    assert_eq!(org.fairness.len(), 1);
    assert_eq!(org.fairness[0].fairness, one.fairness);
    assert!(one.total.satisfaction.responses > 50 && !one.cases.is_empty());
}

#[test]
fn a_copied_office_doubles_every_count_and_keeps_every_figure() {
    let data = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(data.path()).unwrap();
    let (central, norte) = (spec(), norte());
    fill(&store, &central, 7);
    fill(&store, &norte, 7);
    let one = office(&store, &central);
    let org = organisation(&store, &[&central, &norte]);
    assert_doubled(&org.total, &one.total, "total");
    let ids: Vec<&str> = org.by_office.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["central", "norte"]);
    assert_eq!(org.by_office[1].name, "Norte");
    for r in &org.by_office {
        assert_eq!(r.figures, one.total, "{}", r.id);
    }
    // Services, classes, categories, agents and hours: one row each across offices.
    let pairs = [
        (&org.by_service, &one.by_service),
        (&org.by_class, &one.by_class),
        (&org.by_category, &one.by_category),
        (&org.by_agent, &one.by_agent),
        (&org.by_hour, &one.by_hour),
    ];
    for (rows, ones) in pairs {
        assert_eq!(rows.len(), ones.len());
        for (r, o) in rows.iter().zip(ones) {
            assert_eq!((&r.id, &r.name), (&o.id, &o.name));
            assert_doubled(&r.figures, &o.figures, &r.id);
        }
    }
    for (r, o) in org.by_agent.iter().zip(&one.by_agent) {
        assert_eq!(r.idle_seconds, o.idle_seconds.map(|s| 2.0 * s), "{}", r.id);
        assert_eq!(
            r.pause_seconds,
            o.pause_seconds.map(|s| 2.0 * s),
            "{}",
            r.id
        );
    }
    // Counters are places of one office: each office's, under its name.
    assert_eq!(org.by_counter.len(), 2 * one.by_counter.len());
    for (i, o) in one.by_counter.iter().enumerate() {
        for (k, (id, name)) in [("central", &central.name), ("norte", &norte.name)]
            .into_iter()
            .enumerate()
        {
            let r = &org.by_counter[k * one.by_counter.len() + i];
            assert_eq!(r.id, format!("{id}/{}", o.id));
            assert_eq!(r.name, format!("{name} · {}", o.name));
            assert_eq!(r.figures, o.figures, "{}", r.id);
        }
    }
    for (r, o) in org.pauses.iter().zip(&one.pauses) {
        assert_eq!(
            (r.count, r.total_seconds),
            (2 * o.count, 2.0 * o.total_seconds)
        );
    }
    for (r, o) in org.cases.iter().zip(&one.cases) {
        assert_eq!(r.count, 2 * o.count);
    }
    let offices: Vec<&str> = org.fairness.iter().map(|f| f.office.as_str()).collect();
    assert_eq!(offices, ["central", "norte"]);
    assert!(org.fairness.iter().all(|f| f.fairness == one.fairness));
}

#[test]
fn offices_of_different_days_add_up_office_by_office() {
    let data = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(data.path()).unwrap();
    let (central, norte) = (spec(), norte());
    fill(&store, &central, 7);
    fill(&store, &norte, 11);
    let (a, b) = (office(&store, &central), office(&store, &norte));
    assert_ne!(a.total, b.total, "the two offices had different days");
    let org = organisation(&store, &[&central, &norte]);
    assert_eq!(org.by_office[0].figures, a.total);
    assert_eq!(org.by_office[1].figures, b.total);
    let mut turns = a.total.turns.clone();
    turns.add(&b.total.turns);
    assert_eq!(org.total.turns, turns);
    let (w, wa, wb) = (
        &org.total.wait_seconds,
        &a.total.wait_seconds,
        &b.total.wait_seconds,
    );
    assert_eq!(w.count, wa.count + wb.count);
    let some = |x: Option<f64>| x.expect("both offices called turns");
    assert_eq!(some(w.max), some(wa.max).max(some(wb.max)));
    // The median of a union lies between the medians of its halves.
    let (pa, pb) = (some(wa.p50), some(wb.p50));
    let p = some(w.p50);
    assert!(pa.min(pb) <= p && p <= pa.max(pb), "{w:?} {wa:?} {wb:?}");
    assert_eq!(
        org.total.satisfaction.responses,
        a.total.satisfaction.responses + b.total.satisfaction.responses
    );
    for (r, (ra, rb)) in org
        .by_service
        .iter()
        .zip(a.by_service.iter().zip(&b.by_service))
    {
        let mut t = ra.figures.turns.clone();
        t.add(&rb.figures.turns);
        assert_eq!(r.figures.turns, t, "{}", r.id);
    }
    assert_eq!(org.fairness[0].fairness, a.fairness);
    assert_eq!(org.fairness[1].fairness, b.fairness);
    // The same again from the kept summaries (the first call made them).
    assert_eq!(organisation(&store, &[&central, &norte]), org);
}
