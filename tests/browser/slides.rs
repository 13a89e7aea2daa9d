//! The office's slides at the side of the lobby TV: shown when `display_slides` holds
//! images, rotating every `display_slide_seconds`, at every screen size without
//! overflow; left out with `slides=0`; served only by their listed names.

use crate::axe::{axe_available, violations};
use crate::harness::{
    browser_available, demo_config_file, free_port, Api, Browser, Server, ONE_AT_A_TIME,
};
use crate::screenshots::assert_fits;
use serde_json::json;
use std::path::Path;

/// A `width`×`height` PNG: a `colour` ground with a lighter band across its middle, so
/// the picture's edges and its fit are seen in the screenshots.
fn picture(path: &Path, width: u32, height: u32, colour: [u8; 3]) {
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    let mut data = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for _ in 0..width {
            let band = y > height * 2 / 5 && y < height * 3 / 5;
            data.extend(colour.map(|c| if band { c.saturating_add(90) } else { c }));
        }
    }
    writer.write_image_data(&data).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_slides_rotate_beside_the_calls_and_fit_every_screen() {
    let name = "the_office_slides_rotate_beside_the_calls_and_fit_every_screen";
    if !browser_available(name) {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("diapositivas");
    std::fs::create_dir(&folder).unwrap();
    picture(&folder.join("01 Bienvenida.png"), 1600, 900, [11, 79, 108]);
    picture(
        &folder.join("02 Horario de atención.png"),
        900,
        1200,
        [138, 75, 0],
    );
    std::fs::write(folder.join("léame.txt"), "not a slide").unwrap();
    let config = demo_config_file(
        dir.path(),
        &format!(
            "display_slides = {:?}\ndisplay_slide_seconds = 1",
            folder.display().to_string()
        ),
    );
    let server = Server::start_with(&dir.path().join("data"), free_port(), Some(&config));
    let base = server.address.clone();
    let api = Api::new(&base);

    // The API: the two images, by name, then each served; nothing outside the list.
    let list = api.get("/offices/central/slides", None).await;
    assert_eq!(list["seconds"], 1);
    let names: Vec<_> = list["slides"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["01 Bienvenida.png", "02 Horario de atención.png"]);
    let http = reqwest::Client::new();
    let url = list["slides"][0]["url"].as_str().unwrap();
    let image = http.get(format!("{base}{url}")).send().await.unwrap();
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/png");
    for bad in [
        "..%2Fturnero.toml",
        "..%2F..%2Fturnero.toml",
        "l%C3%A9ame.txt",
    ] {
        let response = http
            .get(format!("{base}/api/v1/offices/central/slides/{bad}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{bad}");
    }

    // A call on the board, so the side area stands beside real content.
    let agent = api.login("agente1").await;
    for _ in 0..2 {
        let (status, _) = api
            .post(
                "/offices/central/tickets",
                Some(&agent),
                json!({"service": "registro"}),
            )
            .await;
        assert_eq!(status, 201);
    }
    api.counter(&agent, "v1", "open", json!({})).await;
    api.counter(&agent, "v1", "call-next", json!({})).await;
    api.counter(&agent, "v1", "finish", json!({})).await;
    api.counter(&agent, "v1", "call-next", json!({})).await;

    let b = Browser::start().await;
    b.client
        .goto(&format!("{base}/display/central"))
        .await
        .unwrap();
    b.viewport(1920, 1080, false).await;
    b.wait_js(
        "document.querySelector('#slides').dataset.slide === '01 Bienvenida.png'",
        10,
        "the first slide",
    )
    .await;
    assert_eq!(
        b.eval("document.querySelector('#slides img.on').alt").await,
        "Bienvenida"
    );
    b.wait_js(
        "document.querySelector('#slides').dataset.slide === '02 Horario de atención.png'",
        5,
        "the second slide, a second later",
    )
    .await;
    b.wait_js(
        "document.querySelector('#slides').dataset.slide === '01 Bienvenida.png'",
        5,
        "the first slide again",
    )
    .await;
    for (w, h) in [(1280, 720), (1366, 768), (1920, 1080), (3840, 2160)] {
        b.viewport(w, h, false).await;
        assert_fits(&b, &format!("slides {w}x{h}"), false).await;
        let layout = b
            .eval(
                "(() => { const box = (q) => document.querySelector(q).getBoundingClientRect();
                  const s = box('#slides'), n = box('#now'), h = box('.side');
                  const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
                  return { apart: !meets(s, n) && !meets(s, h), inside: s.right <= innerWidth && s.bottom <= innerHeight && s.width > 100 && s.height > 100,
                           code: document.querySelector('#now-code').scrollWidth <= document.querySelector('#now').clientWidth }; })()",
            )
            .await;
        assert_eq!(
            layout,
            json!({"apart": true, "inside": true, "code": true}),
            "{w}x{h}"
        );
        b.screenshot(&format!("display-{w}x{h}-slides")).await;
    }
    b.viewport(1920, 1080, false).await;
    if axe_available(name) {
        let found = violations(&b, "display with slides").await;
        assert!(found.is_empty(), "{found:#?}");
    }

    // slides=0: this screen keeps the board as it was.
    b.client
        .goto(&format!("{base}/display/central?slides=0"))
        .await
        .unwrap();
    b.wait_js(
        "document.querySelector('#now').dataset.code === 'A-002'",
        10,
        "the board",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert_eq!(
        b.eval("document.querySelector('#slides').hidden && !document.body.classList.contains('with-slides')")
            .await,
        json!(true)
    );
    b.quit().await;
    drop(server);
}
