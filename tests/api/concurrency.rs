//! Many issuers and agents at once: no duplicate number, no turn called twice.

use crate::helpers::spawn_app;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_issuers_and_four_agents() {
    let app = Arc::new(spawn_app().await);
    const ISSUERS: usize = 32;
    const EACH: usize = 25;
    let services = ["registro", "catastro", "caja"];
    let mut agents = Vec::new();
    for i in 1..=4 {
        let token = app.login(&format!("agente{i}")).await;
        let (status, _) = app.counter(&token, &format!("v{i}"), "open", None).await;
        assert_eq!(status, 200);
        agents.push((token, format!("v{i}")));
    }
    let issuers: Vec<_> = (0..ISSUERS)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                let mut codes = Vec::new();
                for j in 0..EACH {
                    let category = if (i + j) % 5 == 0 {
                        "embarazada"
                    } else {
                        "general"
                    };
                    let t = app.issue(services[(i + j) % 3], category).await;
                    codes.push(t["code"].as_str().unwrap().to_owned());
                }
                codes
            })
        })
        .collect();
    let done = Arc::new(AtomicBool::new(false));
    let callers: Vec<_> = agents
        .into_iter()
        .map(|(token, counter)| {
            let app = app.clone();
            let done = done.clone();
            tokio::spawn(async move {
                let mut called = Vec::new();
                loop {
                    // Read the flag before calling: a 204 after issuing ended means empty.
                    let finished = done.load(Ordering::SeqCst);
                    let (status, body) = app.counter(&token, &counter, "call-next", None).await;
                    match status {
                        200 => {
                            called.push(body["code"].as_str().unwrap().to_owned());
                            let (s, _) = app.counter(&token, &counter, "finish", None).await;
                            assert_eq!(s, 200);
                        }
                        204 if finished => break,
                        204 => {
                            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                        }
                        other => panic!("call-next answered {other}: {body}"),
                    }
                }
                called
            })
        })
        .collect();
    let mut issued = Vec::new();
    for h in issuers {
        issued.extend(h.await.unwrap());
    }
    done.store(true, Ordering::SeqCst);
    let mut called = Vec::new();
    for h in callers {
        called.extend(h.await.unwrap());
    }
    let unique: HashSet<_> = issued.iter().collect();
    assert_eq!(unique.len(), ISSUERS * EACH, "no code issued twice");
    for prefix in ["A", "B", "C"] {
        let mut numbers: Vec<u32> = issued
            .iter()
            .filter(|c| c.starts_with(prefix))
            .map(|c| c[2..].parse().unwrap())
            .collect();
        numbers.sort_unstable();
        let expected: Vec<u32> = (1..=numbers.len() as u32).collect();
        assert_eq!(numbers, expected, "no number skipped for {prefix}");
    }
    let called_unique: HashSet<_> = called.iter().collect();
    assert_eq!(called_unique.len(), called.len(), "no turn called twice");
    assert_eq!(called_unique, unique, "every turn was called once");
    let app = Arc::try_unwrap(app).ok().unwrap();
    app.shutdown().await;
}
