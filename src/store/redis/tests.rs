use super::*;
use crate::store::conformance::{store_conformance, Subject};
use turnero_testkit::{RedisCluster, RedisServer};

fn redis() -> Subject {
    let server = RedisServer::start();
    let (store, _) = RedisStore::open(&server.url(), 400).unwrap();
    Subject {
        store: Arc::new(store),
        _keep: Box::new(server),
    }
}

store_conformance!(redis());

/// The same contract, unchanged, on a Redis Cluster of three primaries.
mod cluster {
    use super::*;

    fn cluster() -> Subject {
        let cluster = RedisCluster::start();
        let (store, durability) = RedisStore::open(&cluster.url(), 400).unwrap();
        assert!(durability.is_strict(), "{durability:?}");
        Subject {
            store: Arc::new(store),
            _keep: Box::new(cluster),
        }
    }

    store_conformance!(cluster());
}

#[test]
fn the_persistence_settings_are_read_and_an_evicting_policy_refused() {
    let server = RedisServer::start();
    let (_, durability) = RedisStore::open(&server.url(), 400).unwrap();
    assert!(durability.is_strict(), "{durability:?}");
    assert!(durability.meaning().contains("disk"));
    let evicting = RedisServer::start_with(&["--maxmemory-policy", "allkeys-lru"]);
    let refused = RedisStore::open(&evicting.url(), 400).err().unwrap();
    assert!(refused.to_string().contains("noeviction"), "{refused}");
}

#[test]
fn a_redis_that_went_away_is_a_quick_error_and_coming_back_needs_nothing() {
    let server = RedisServer::start();
    let port = server.port;
    let (store, _) = RedisStore::open(&server.url(), 400).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let e = crate::store::conformance::event;
    store
        .append("central", day, 0, BatchId::random(), &[e(0)])
        .unwrap();
    drop(server);
    let started = std::time::Instant::now();
    let refused = store.append("central", day, 1, BatchId::random(), &[e(1)]);
    assert!(
        matches!(refused, Err(StoreError::Unavailable(_))),
        "{refused:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // The same port again, the same (persisted) data? A new server has none: what matters
    // here is that the store reconnects by itself.
    let again = RedisServer::start_on(port);
    let mut back = false;
    for _ in 0..50 {
        if store.check().is_ok() {
            back = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(back, "the store reconnected by itself");
    drop(again);
}

#[test]
fn days_past_the_retention_are_deleted_when_a_new_day_begins() {
    let server = RedisServer::start();
    let (store, _) = RedisStore::open(&server.url(), 3).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let e = crate::store::conformance::event;
    for back in [6u64, 4, 3, 2] {
        let day = today.checked_sub_days(chrono::Days::new(back)).unwrap();
        store
            .append("central", day, 0, BatchId::random(), &[e(0)])
            .unwrap();
    }
    let old = today.checked_sub_days(chrono::Days::new(4)).unwrap();
    let kept_day = today.checked_sub_days(chrono::Days::new(3)).unwrap();
    store.write_summary("central", old, b"old").unwrap();
    store.write_summary("central", kept_day, b"kept").unwrap();
    store
        .append("central", today, 0, BatchId::random(), &[e(0)])
        .unwrap();
    assert_eq!(
        store.read_summary("central", old).unwrap(),
        None,
        "with its log"
    );
    assert_eq!(
        store.read_summary("central", kept_day).unwrap(),
        Some(b"kept".to_vec())
    );
    let kept: Vec<u64> = store
        .days("central")
        .unwrap()
        .iter()
        .map(|d| (today - *d).num_days() as u64)
        .collect();
    assert_eq!(kept, vec![3, 2, 0], "days before today - 3 are gone");
    assert!(store
        .read(
            "central",
            today.checked_sub_days(chrono::Days::new(4)).unwrap()
        )
        .unwrap()
        .is_empty());
    assert_eq!(
        version_of(
            &store
                .read(
                    "central",
                    today.checked_sub_days(chrono::Days::new(3)).unwrap()
                )
                .unwrap()
        ),
        1
    );
}

#[test]
fn a_probe_names_the_batch_that_wrote_a_record() {
    let server = RedisServer::start();
    let (store, _) = RedisStore::open(&server.url(), 400).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let e = crate::store::conformance::event;
    let (first, second) = (BatchId(7), BatchId(u64::MAX));
    store
        .append("central", day, 0, first, &[e(0), e(1)])
        .unwrap();
    store.append("central", day, 2, second, &[e(2)]).unwrap();
    let probe = |v| store.probe("central", day, v).unwrap();
    assert_eq!(
        probe(0),
        Probe {
            head: 3,
            batch: None
        }
    );
    assert_eq!(probe(1).batch, Some(first));
    assert_eq!(probe(2).batch, Some(first));
    assert_eq!(
        probe(3),
        Probe {
            head: 3,
            batch: Some(second)
        }
    );
    assert_eq!(probe(4).batch, None, "no record there");
    assert_eq!(store.probe("other", day, 0).unwrap().head, 0);
}

#[test]
fn waitaof_is_used_where_redis_can_and_refused_saying_why_where_it_cannot() {
    let server = RedisServer::start_with(&["--appendfsync", "everysec"]);
    let (store, durability) = RedisStore::open(&server.url(), 400).unwrap();
    assert!(!durability.is_strict());
    let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let e = crate::store::conformance::event;
    let local = WaitAof { replicas: 0 };
    let (major, minor) = {
        let mut v = durability
            .version
            .split('.')
            .map(|p| p.parse::<u32>().unwrap());
        (v.next().unwrap(), v.next().unwrap())
    };
    if (major, minor) >= (7, 2) {
        store.wait_aof(local, &durability).unwrap();
        assert_eq!(
            store
                .append("central", day, 0, BatchId::random(), &[e(0)])
                .unwrap(),
            1
        );
        // A replica that is not there: the append is not acknowledged, within the bound.
        let (strict, d) = RedisStore::open(&server.url(), 400).unwrap();
        strict.wait_aof(WaitAof { replicas: 1 }, &d).unwrap();
        let started = std::time::Instant::now();
        let refused = strict.append("central", day, 1, BatchId::random(), &[e(1)]);
        assert!(
            matches!(refused, Err(StoreError::Unavailable(_))),
            "{refused:?}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    } else {
        let refused = store.wait_aof(local, &durability).unwrap_err().to_string();
        assert!(
            refused.contains("7.2") && refused.contains(&durability.version),
            "{refused}"
        );
    }
    let cluster = RedisCluster::start();
    let (on_cluster, d) = RedisStore::open(&cluster.url(), 400).unwrap();
    let refused = on_cluster.wait_aof(local, &d).unwrap_err().to_string();
    assert!(refused.contains("Cluster"), "{refused}");
}

#[test]
fn the_writing_turn_goes_to_one_writer_then_to_the_one_waiting() {
    let server = RedisServer::start();
    let lease = std::time::Duration::from_millis(500);
    let open = || {
        RedisStore::open(&server.url(), 400)
            .unwrap()
            .0
            .with_turn_lease(lease)
    };
    let (a, b) = (open(), open());
    let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let e = crate::store::conformance::event;
    let turn = |s: &RedisStore, v| s.read_ahead("central", day, v, true).unwrap().turn;
    assert!(turn(&a, 0), "a free turn is given");
    assert!(turn(&a, 0), "and kept by its holder");
    assert!(!turn(&b, 0), "another writer waits");
    assert!(
        !b.read_ahead("central", day, 0, false).unwrap().turn,
        "reading alone never takes it"
    );
    a.append("central", day, 0, BatchId::random(), &[e(0)])
        .unwrap();
    assert!(
        !turn(&a, 1),
        "after its append, the writer that waited goes first"
    );
    let ahead = b.read_ahead("central", day, 0, true).unwrap();
    assert!(ahead.turn);
    assert_eq!(ahead.entries.len(), 1, "with what the other wrote");
    // A writer that takes its turn and never appends loses it when the lease runs out.
    std::thread::sleep(lease * 2);
    assert!(turn(&a, 1));
    // The turn is only a hint: an append without it is still compared and appended.
    b.append("central", day, 1, BatchId::random(), &[e(1)])
        .unwrap();
    assert!(matches!(
        a.append("central", day, 1, BatchId::random(), &[e(1)]),
        Err(StoreError::Conflict { .. })
    ));
}
