//! Transports and addresses on their own: TCP status, device file, folder.

use std::time::Duration;

use turnero_printer::transport::{DeviceOptions, DeviceTransport};
use turnero_printer::{
    render, JobOutcome, PrintJob, PrintOptions, PrinterAddress, PrinterProblem, Spool, SpoolConfig,
    Transport, TransportError,
};

use crate::fake_printer::{FakePrinter, Mode};
use crate::fixtures::ticket;

#[tokio::test]
async fn tcp_status_is_read_and_parsed() {
    let fake = FakePrinter::start().await;
    let t = fake.transport();
    let ready = t.status().await.unwrap().unwrap();
    assert_eq!(ready.problem(), None);

    fake.set_mode(Mode::CoverOpen);
    let status = t.status().await.unwrap().unwrap();
    assert!(status.cover_open && !status.online);
    assert_eq!(status.problem(), Some(PrinterProblem::CoverOpen));

    fake.set_mode(Mode::PaperOut);
    let err = t.send(b"\x1b@x\n\x1dVB\x00").await.unwrap_err();
    assert!(matches!(err, TransportError::NotReady(s) if s.paper_out));
    assert!(fake.jobs().is_empty());
}

#[tokio::test]
async fn tcp_status_times_out_on_a_hung_printer() {
    let fake = FakePrinter::start().await;
    fake.set_mode(Mode::Hang);
    let started = std::time::Instant::now();
    let err = fake.transport().status().await.unwrap_err();
    assert!(matches!(err, TransportError::Timeout(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(1));
    fake.release_hung();
}

#[tokio::test]
async fn folder_gets_one_file_per_job_sorted_by_time() {
    let dir = tempfile::tempdir().unwrap();
    let spool_dir = dir.path().join("cola");
    let address: PrinterAddress = format!("dir:{}", spool_dir.display()).parse().unwrap();
    let spool = Spool::new(SpoolConfig::default());
    spool.add_printer("dev", address.transport());
    let jobs: Vec<Vec<u8>> = (0..3u8).map(|i| vec![b'a' + i; 10]).collect();
    for j in &jobs {
        let outcome = spool
            .submit("dev", PrintJob::new(j.clone(), "x"))
            .unwrap()
            .outcome()
            .await;
        assert_eq!(outcome, JobOutcome::Printed { attempts: 1 });
    }
    let mut names: Vec<_> = std::fs::read_dir(&spool_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 3);
    assert!(names
        .iter()
        .all(|n| n.ends_with(".escpos") && !n.starts_with('.')));
    let contents: Vec<Vec<u8>> = names
        .iter()
        .map(|n| std::fs::read(spool_dir.join(n)).unwrap())
        .collect();
    assert_eq!(contents, jobs, "sorted names give submission order");
    assert_eq!(spool.state("dev").unwrap().status, None);
}

#[tokio::test]
async fn device_file_receives_the_job() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lp0");
    std::fs::write(&path, b"").unwrap();
    let t = DeviceTransport::new(&path, DeviceOptions::default());
    let bytes = render(&ticket(), &PrintOptions::default());
    assert_eq!(
        t.send(&bytes).await.unwrap(),
        None,
        "a plain file has no status"
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert_eq!(t.describe(), format!("file:{}", path.display()));
}

#[tokio::test]
async fn a_silent_character_device_prints_without_status() {
    // /dev/null is a character device that never answers DLE EOT.
    let t = DeviceTransport::new("/dev/null", DeviceOptions::default());
    assert_eq!(t.status().await.unwrap(), None);
    assert_eq!(t.send(b"\x1b@hola\n").await.unwrap(), None);
}

#[tokio::test]
async fn missing_device_is_unreachable() {
    let t = DeviceTransport::new("/dev/usb/no-such-lp9", DeviceOptions::default());
    let err = t.send(b"x").await.unwrap_err();
    assert!(matches!(err, TransportError::Unreachable(_)), "{err:?}");
}
