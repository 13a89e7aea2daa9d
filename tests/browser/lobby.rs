//! The lobby TV never overflows: at 1280×720, 1366×768, 1920×1080 and 3840×2160, with
//! the longest names an office might configure, an announcement line, a filter, and the
//! offline notice shown.

use crate::harness::{browser_available, free_port, Api, Browser, Server, ONE_AT_A_TIME};
use crate::screenshots::assert_fits;
use serde_json::json;

const LONG_SERVICE: &str = "Registro de la Propiedad Inmueble, Mercantil y de Personas Jurídicas";
const LONG_COUNTER: &str = "Ventanilla de Atención Preferencial Número 12";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lobby_tv_fits_every_screen_with_long_names_and_the_offline_notice() {
    if !browser_available("the_lobby_tv_fits_every_screen_with_long_names_and_the_offline_notice") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let hash = turnero::http::auth::hash_password("demo").unwrap();
    let config = turnero::config::DEMO_TOML
        .replacen("name = \"Registro de la Propiedad\"", &format!("name = \"{LONG_SERVICE}\""), 1)
        .replacen("name = \"Ventanilla 1\"", &format!("name = \"{LONG_COUNTER}\""), 1)
        .replacen(
            "footer_lines = [\"Gracias por su visita\"]",
            "footer_lines = [\"Gracias por su visita\"]\ndisplay_notice = \"Hoy se atiende hasta las 4 de la tarde\"",
            1,
        )
        + &format!(
            "\n[[users]]\nusername = \"agente1\"\nname = \"Agente 1\"\nrole = \"agent\"\noffice = \"central\"\npassword_hash = \"{hash}\"\n"
        );
    let path = dir.path().join("turnero.toml");
    std::fs::write(&path, config).unwrap();
    let port = free_port();
    let server = Server::start_with(&dir.path().join("data"), port, Some(&path));
    let base = server.address.clone();
    let api = Api::new(&base);
    let agent = api.login("agente1").await;
    for _ in 0..3 {
        let (status, _) = api
            .post(
                "/offices/central/tickets",
                Some(&agent),
                json!({"service": "registro", "category": "discapacidad"}),
            )
            .await;
        assert_eq!(status, 201);
    }
    api.counter(&agent, "v1", "open", json!({})).await;
    api.counter(&agent, "v1", "call-next", json!({})).await;

    let b = Browser::start().await;
    let aviso = "Recuerde tener a mano su documento de identidad y los soportes del trámite que viene a realizar hoy";
    let sizes = [(1280, 720), (1366, 768), (1920, 1080), (3840, 2160)];
    // The office's announcement line shows on a screen given none of its own.
    b.client
        .goto(&format!("{base}/display/central"))
        .await
        .unwrap();
    b.wait_js(
        "!document.querySelector('#aviso').hidden",
        10,
        "the office's notice",
    )
    .await;
    assert_eq!(
        b.text("#aviso").await,
        "Hoy se atiende hasta las 4 de la tarde"
    );
    for query in [
        format!("?aviso={aviso}"),
        "?services=registro,catastro".to_owned(),
    ] {
        b.client
            .goto(&format!("{base}/display/central{query}"))
            .await
            .unwrap();
        b.wait_js(
            "document.querySelectorAll('#waiting li').length >= 2",
            10,
            "the display",
        )
        .await;
        for (w, h) in sizes {
            b.viewport(w, h, false).await;
            assert_fits(&b, &format!("display {w}x{h} {query}"), false).await;
        }
    }
    // The notice that sound is off takes its own place: it covers neither the call
    // nor the waiting counts.
    b.eval("(() => { document.querySelector('#sound').hidden = false; document.querySelector('#sound-text').textContent = 'El sonido está desactivado. Toque la pantalla o pulse una tecla para activar los avisos con voz.'; return true; })()").await;
    for (w, h) in sizes {
        b.viewport(w, h, false).await;
        assert_fits(&b, &format!("display {w}x{h} sound notice"), false).await;
        let covered = b
            .eval(
                "(() => { const s = document.querySelector('#sound').getBoundingClientRect();
                  return ['#now', '#waiting'].some((q) => { const r = document.querySelector(q).getBoundingClientRect();
                    return s.left < r.right && r.left < s.right && s.top < r.bottom && r.top < s.bottom; }); })()",
            )
            .await;
        assert_eq!(covered, false, "{w}x{h}: the sound notice covers the board");
    }
    b.screenshot("display-1280x720-sound-notice").await;
    b.eval("document.querySelector('#sound').hidden = true")
        .await;

    // The connection goes: the notice shows, and still nothing overflows.
    server.kill();
    b.wait_js(
        "!document.querySelector('#conn').hidden",
        20,
        "the offline notice",
    )
    .await;
    for (w, h) in sizes {
        b.viewport(w, h, false).await;
        assert_fits(&b, &format!("display {w}x{h} offline"), false).await;
        b.screenshot(&format!("display-{w}x{h}-offline-long-names"))
            .await;
    }
    b.quit().await;
}
