//! The QR code of a ticket taken at the kiosk leads to the phone page at the address the
//! kiosk's browser used, never to `localhost:8080`: read off the screen and followed.

use crate::harness::{browser_available, free_port, Browser, Server, ONE_AT_A_TIME};
use fantoccini::Locator;

/// The text of the QR code in a PNG.
pub fn read_qr(png_bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let i = (y * w + x) * channels;
        buf[i]
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the ticket");
    grids[0].decode().unwrap().1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tickets_qr_opens_the_phone_page_at_the_address_the_kiosk_used() {
    if !browser_available("the_tickets_qr_opens_the_phone_page_at_the_address_the_kiosk_used") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    assert!(!base.contains(":8080"), "a port of its own: {base}");
    let b = Browser::start().await;
    b.client
        .goto(&format!("{base}/kiosk/central"))
        .await
        .unwrap();
    b.viewport(1080, 1920, true).await;
    b.wait_js("document.body.dataset.view === 'start'", 10, "the kiosk")
        .await;
    b.tap(".service[data-service=registro]").await;
    b.wait_js(
        "document.body.dataset.view === 'category'",
        5,
        "the question",
    )
    .await;
    b.tap("#no-preference").await;
    b.wait_js(
        "document.body.dataset.view === 'ticket' && document.querySelector('#ticket-qr').complete",
        5,
        "the ticket and its QR",
    )
    .await;
    let code = b.text("#ticket-code").await;
    let qr = b
        .client
        .find(Locator::Css("#ticket-qr"))
        .await
        .unwrap()
        .screenshot()
        .await
        .unwrap();
    std::fs::write(crate::harness::artifacts().join("kiosk-ticket-qr.png"), &qr).unwrap();
    let link = read_qr(&qr);
    assert!(
        link.starts_with(&format!("{base}/t/")),
        "the QR holds {link}, not under {base}"
    );

    // Followed as a phone would: its page shows the same turn.
    b.client.goto(&link).await.unwrap();
    b.wait_js(
        &format!("document.body.textContent.includes('{code}')"),
        10,
        "the phone page of the turn",
    )
    .await;
    b.quit().await;
}
