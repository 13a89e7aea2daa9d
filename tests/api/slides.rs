//! The office's slides for its lobby screens: listed from the configured folder, each
//! served by its listed name and by nothing else.

use crate::helpers::{demo_config, spawn_app, spawn_with};
use std::sync::Arc;
use turnero::engine::clock::SystemClock;

/// Bytes that start as a PNG does: the server serves a file as it is (the browser test
/// draws real pictures).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\nnot really";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_slides_are_listed_and_served_by_name_only() {
    let root = tempfile::tempdir().unwrap();
    let slides = root.path().join("diapositivas");
    std::fs::create_dir(&slides).unwrap();
    std::fs::write(slides.join("02 Horario.png"), PNG).unwrap();
    std::fs::write(
        slides.join("01 Bienvenida.jpg"),
        [0xFF, 0xD8, 0xFF, 0xE0, b'J', b'F', b'I', b'F'],
    )
    .unwrap();
    // Named like an image, holding something else (a configuration, say): never listed.
    std::fs::write(
        slides.join("03 Falsa.png"),
        b"[[users]]\npassword_hash = \"x\"",
    )
    .unwrap();
    std::fs::write(slides.join("notas.txt"), b"not an image").unwrap();
    std::fs::write(slides.join("logo.svg"), b"<svg/>").unwrap();
    let mut config = demo_config();
    let office = Arc::make_mut(&mut config.offices[0]);
    office.display_slides = Some(slides.clone());
    office.display_slide_seconds = 7;
    // A file beside the folder that a crafted name must never reach.
    std::fs::write(root.path().join("turnero.toml"), b"secret").unwrap();
    let app = spawn_with(config, Arc::new(SystemClock)).await;

    let (status, body) = app.get("/api/v1/offices/central/slides").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["seconds"], 7);
    let list = body["slides"].as_array().unwrap();
    let names: Vec<_> = list.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["01 Bienvenida.jpg", "02 Horario.png"],
        "images only, by name"
    );
    let url = list[1]["url"].as_str().unwrap();
    assert!(
        url.starts_with("/api/v1/offices/central/slides/02%20Horario.png?v="),
        "{url}"
    );

    let image = app
        .client
        .get(format!("{}{url}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/png");
    let etag = image.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(image.bytes().await.unwrap(), PNG);
    let again = app
        .client
        .get(format!("{}{url}", app.address))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        304,
        "a screen that has it already gets a 304"
    );
    let jpeg = app
        .client
        .get(format!(
            "{}/api/v1/offices/central/slides/01%20Bienvenida.jpg",
            app.address
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(jpeg.headers()["content-type"], "image/jpeg");

    // Names that are not listed images, or that try to leave the folder (a bare `..` the
    // client resolves itself before sending).
    for name in [
        "..%2Fturnero.toml",
        "..%2F..%2Fetc%2Fpasswd",
        "%2E%2E%2Fturnero.toml",
        "notas.txt",
        "logo.svg",
        "03%20Nueva.png",
        "%2Fetc%2Fpasswd",
    ] {
        let (status, body) = app
            .get(&format!("/api/v1/offices/central/slides/{name}"))
            .await;
        assert_eq!(status, 404, "{name}: {body}");
        assert_eq!(body["error"]["code"], "slide_not_found", "{name}: {body}");
    }

    // The folder is read on every request: a new image shows without a restart.
    std::fs::write(slides.join("03 Nueva.png"), PNG).unwrap();
    let (_, body) = app.get("/api/v1/offices/central/slides").await;
    assert_eq!(body["slides"].as_array().unwrap().len(), 3);
    let new = app
        .client
        .get(format!(
            "{}/api/v1/offices/central/slides/03%20Nueva.png",
            app.address
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(new.status(), 200);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_without_slides_lists_none() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/v1/offices/central/slides").await;
    assert_eq!(status, 200);
    assert_eq!(body, serde_json::json!({"slides": [], "seconds": 10}));
    let (status, body) = app.get("/api/v1/offices/central/slides/a.png").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("slide_not_found"))
    );
    let (status, _) = app.get("/api/v1/offices/nowhere/slides").await;
    assert_eq!(status, 404);
    app.shutdown().await;
}
