//! The spool against the fake TCP printer: printing, retries, status, time to live,
//! and isolation between printers.

use std::sync::Arc;
use std::time::{Duration, Instant};

use turnero_printer::{
    render, FailureCode, JobOutcome, PrintJob, PrintOptions, PrinterHealth, Spool, SpoolConfig,
    SubmitError, Transport,
};

use crate::fake_printer::{FakePrinter, Mode};
use crate::fixtures::ticket;

fn config() -> SpoolConfig {
    SpoolConfig {
        max_attempts: 20,
        initial_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(200),
        ttl: Duration::from_secs(5),
        attempt_timeout: Duration::from_secs(2),
        queue_capacity: 8,
        probe_interval: None,
    }
}

fn job() -> PrintJob {
    PrintJob::new(render(&ticket(), &PrintOptions::default()), "A-023")
}

async fn spool_with(fake: &FakePrinter, config: SpoolConfig) -> Spool {
    let spool = Spool::new(config);
    spool.add_printer("entrada", fake.transport() as Arc<dyn Transport>);
    spool
}

#[tokio::test]
async fn prints_a_ticket() {
    let fake = FakePrinter::start().await;
    let spool = spool_with(&fake, config()).await;
    let job = job();
    let bytes = job.bytes.clone();
    let outcome = spool.submit("entrada", job).unwrap().outcome().await;
    assert_eq!(outcome, JobOutcome::Printed { attempts: 1 });
    assert_eq!(fake.jobs(), vec![bytes]);
    assert_eq!(fake.status_queries(), 8, "status before and after the job");
    let state = spool.state("entrada").unwrap();
    assert_eq!(state.health, PrinterHealth::Ok);
    assert_eq!((state.printed, state.failed, state.queued), (1, 0, 0));
    assert!(state.status.unwrap().online);
    assert!(state.address.starts_with("tcp://127.0.0.1:"));
}

#[tokio::test]
async fn jobs_print_in_order_one_at_a_time() {
    let fake = FakePrinter::start().await;
    let spool = spool_with(&fake, config()).await;
    let handles: Vec<_> = (0..5u8)
        .map(|i| {
            let mut bytes = vec![0x1B, 0x40, b'0' + i, 0x0A];
            bytes.extend_from_slice(&[0x1D, 0x56, 0x42, 0x00]);
            spool
                .submit("entrada", PrintJob::new(bytes, format!("{i}")))
                .unwrap()
        })
        .collect();
    for h in handles {
        assert!(h.outcome().await.is_printed());
    }
    let order: Vec<u8> = fake.jobs().iter().map(|j| j[2]).collect();
    assert_eq!(order, b"01234");
    assert_eq!(fake.connections(), 5);
}

#[tokio::test]
async fn paper_out_is_retried_until_paper_is_back() {
    let fake = FakePrinter::start().await;
    fake.set_mode(Mode::PaperOut);
    let spool = spool_with(&fake, config()).await;
    let mut states = spool.subscribe("entrada").unwrap();
    let handle = spool.submit("entrada", job()).unwrap();

    // The state shows why, in Spanish, with the status bits.
    let state = states
        .wait_for(|s| matches!(s.health, PrinterHealth::Error(_)))
        .await
        .unwrap()
        .clone();
    let PrinterHealth::Error(failure) = state.health else {
        unreachable!()
    };
    assert_eq!(failure.code, FailureCode::PaperOut);
    assert_eq!(failure.reason, "La impresora no tiene papel.");
    assert!(state.status.unwrap().paper_out);
    assert!(
        fake.jobs().is_empty(),
        "nothing is sent to a printer without paper"
    );

    tokio::time::sleep(Duration::from_millis(300)).await;
    fake.set_mode(Mode::Normal);
    let JobOutcome::Printed { attempts } = handle.outcome().await else {
        panic!("should print once paper is back")
    };
    assert!(attempts >= 2);
    assert_eq!(fake.jobs().len(), 1);
    let state = spool.state("entrada").unwrap();
    assert_eq!(state.health, PrinterHealth::Ok);
    assert!(!state.status.unwrap().paper_out);
}

#[tokio::test]
async fn cover_open_until_time_to_live_expires() {
    let fake = FakePrinter::start().await;
    fake.set_mode(Mode::CoverOpen);
    let spool = spool_with(&fake, config()).await;
    let started = Instant::now();
    let job = job().with_ttl(Duration::from_millis(800));
    let outcome = spool.submit("entrada", job).unwrap().outcome().await;
    let elapsed = started.elapsed();
    let JobOutcome::Failed(f) = outcome else {
        panic!("must not print")
    };
    assert_eq!(f.code, FailureCode::Expired);
    assert!(f.reason.contains("no se imprimió a tiempo"), "{}", f.reason);
    assert!(
        f.reason.contains("La tapa de la impresora está abierta."),
        "{}",
        f.reason
    );
    assert!(elapsed < Duration::from_millis(1300 + 300), "{elapsed:?}");
    // Closing the cover later prints nothing: the job is gone.
    fake.set_mode(Mode::Normal);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(fake.jobs().is_empty());
    assert_eq!(spool.state("entrada").unwrap().failed, 1);
}

#[tokio::test]
async fn connection_dropped_mid_job_is_retried() {
    let fake = FakePrinter::start().await;
    fake.drop_next_jobs_midway(1);
    let spool = spool_with(&fake, config()).await;
    let job = job();
    let bytes = job.bytes.clone();
    let outcome = spool.submit("entrada", job).unwrap().outcome().await;
    assert_eq!(outcome, JobOutcome::Printed { attempts: 2 });
    assert_eq!(fake.jobs(), vec![bytes], "one whole job arrived");
    assert_eq!(fake.connections(), 2);
}

#[tokio::test]
async fn attempts_run_out_with_the_last_reason() {
    // A port with nothing listening.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let spool = Spool::new(SpoolConfig {
        max_attempts: 3,
        ..config()
    });
    let address: turnero_printer::PrinterAddress =
        format!("tcp://127.0.0.1:{port}").parse().unwrap();
    spool.add_printer("caja", address.transport());
    let JobOutcome::Failed(f) = spool.submit("caja", job()).unwrap().outcome().await else {
        panic!("nobody is listening")
    };
    assert_eq!(f.code, FailureCode::Unreachable);
    assert_eq!(f.code.as_str(), "unreachable");
    assert_eq!(f.reason, "No se pudo conectar con la impresora.");
}

#[tokio::test]
async fn a_hanging_printer_expires_its_jobs_and_blocks_no_one_else() {
    let hung = FakePrinter::start().await;
    hung.set_mode(Mode::Hang);
    let good = FakePrinter::start().await;
    let spool = Spool::new(SpoolConfig {
        ttl: Duration::from_millis(1500),
        ..config()
    });
    spool.add_printer("hung", hung.transport());
    spool.add_printer("good", good.transport());

    let started = Instant::now();
    let stuck = spool.submit("hung", job()).unwrap();
    let behind = spool.submit("hung", job()).unwrap();
    let fine = spool.submit("good", job()).unwrap();
    assert!(fine.outcome().await.is_printed());
    // The good printer finished while the hung one still holds both its jobs.
    assert_eq!(
        spool.state("hung").unwrap().queued,
        2,
        "good printer not held up"
    );
    assert!(started.elapsed() < Duration::from_millis(1500));

    let (a, b) = tokio::join!(stuck.outcome(), behind.outcome());
    let elapsed = started.elapsed();
    for outcome in [a, b] {
        let JobOutcome::Failed(f) = outcome else {
            panic!("a hung printer prints nothing")
        };
        assert_eq!(f.code, FailureCode::Expired, "{f:?}");
    }
    // Both expire within the time to live plus the handle's grace, not later.
    assert!(elapsed < Duration::from_millis(2000), "{elapsed:?}");
    assert!(elapsed >= Duration::from_millis(1000), "{elapsed:?}");
    let state = spool.state("hung").unwrap();
    let PrinterHealth::Error(f) = state.health else {
        panic!("{state:?}")
    };
    assert_eq!(f.code, FailureCode::Timeout);
    assert_eq!(f.reason, "La impresora no respondió a tiempo.");

    // When the printer wakes up, no stale ticket comes out.
    hung.release_hung();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(hung.jobs().is_empty());
    assert_eq!(good.jobs().len(), 1);
}

#[tokio::test]
async fn idle_printers_are_probed() {
    let fake = FakePrinter::start().await;
    fake.set_mode(Mode::PaperOut);
    let spool = spool_with(
        &fake,
        SpoolConfig {
            probe_interval: Some(Duration::from_millis(100)),
            ..config()
        },
    )
    .await;
    let mut states = spool.subscribe("entrada").unwrap();
    let state = tokio::time::timeout(
        Duration::from_secs(2),
        states.wait_for(|s| s.status.is_some_and(|st| st.paper_out)),
    )
    .await
    .unwrap()
    .unwrap()
    .clone();
    assert!(matches!(state.health, PrinterHealth::Error(ref f) if f.code == FailureCode::PaperOut));
    fake.set_mode(Mode::Normal);
    tokio::time::timeout(
        Duration::from_secs(2),
        states.wait_for(|s| s.health == PrinterHealth::Ok),
    )
    .await
    .unwrap()
    .unwrap();
}

#[tokio::test]
async fn submit_errors() {
    let fake = FakePrinter::start().await;
    fake.set_mode(Mode::Hang);
    let spool = spool_with(
        &fake,
        SpoolConfig {
            queue_capacity: 1,
            ..config()
        },
    )
    .await;
    assert_eq!(
        spool.submit("nadie", job()).unwrap_err(),
        SubmitError::UnknownPrinter("nadie".into())
    );
    let _first = spool.submit("entrada", job()).unwrap();
    // Let the worker take the first job, so the second fills the queue.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let _second = spool.submit("entrada", job()).unwrap();
    assert_eq!(
        spool.submit("entrada", job()).unwrap_err(),
        SubmitError::QueueFull("entrada".into())
    );
    assert_eq!(spool.state("entrada").unwrap().queued, 2);
    assert_eq!(spool.printer_ids(), ["entrada"]);
    fake.release_hung();
}
