//! Telling citizens by SMS, on the screens: the phone page takes a number (a wrong one is
//! refused with the server's sentence) and the office's gateway is told when the turn is
//! near; the kiosk takes one on its keypad; when the gateway fails, the supervisor's
//! dashboard says so. The gateway is a fake run by the test.

use crate::harness::{
    browser_available, demo_config_file, free_port, Api, Browser, Server, ONE_AT_A_TIME,
};
use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A gateway that records every body and answers 200, or 500 while told to fail.
struct FakeGateway {
    url: String,
    bodies: Arc<Mutex<Vec<String>>>,
    failing: Arc<AtomicBool>,
}

impl FakeGateway {
    fn start() -> FakeGateway {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/sms", listener.local_addr().unwrap());
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let failing = Arc::new(AtomicBool::new(false));
        let (seen, fail) = (bodies.clone(), failing.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                seen.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&body).into_owned());
                let answer = if fail.load(Ordering::SeqCst) {
                    "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\nConnection: close\r\n\r\ndown"
                } else {
                    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
                };
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        FakeGateway {
            url,
            bodies,
            failing,
        }
    }

    /// Waits for a body holding `text`.
    async fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(b) = self
                .bodies
                .lock()
                .unwrap()
                .iter()
                .find(|b| b.contains(text))
            {
                return b.clone();
            }
            assert!(
                Instant::now() < deadline,
                "the gateway never got {text}: {:?}",
                self.bodies.lock().unwrap()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_leaves_a_number_on_the_phone_or_the_kiosk_and_the_supervisor_sees_a_failing_gateway(
) {
    let test = "a_citizen_leaves_a_number_on_the_phone_or_the_kiosk_and_the_supervisor_sees_a_failing_gateway";
    if !browser_available(test) || !crate::axe::axe_available(test) {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let gateway = FakeGateway::start();
    let data = tempfile::tempdir().unwrap();
    let config = demo_config_file(
        data.path(),
        &format!(
            "\n[offices.notifications]\ngateway_url = \"{}\"\n",
            gateway.url
        ),
    );
    let hash = turnero::http::auth::hash_password("demo").unwrap();
    let mut text = std::fs::read_to_string(&config).unwrap();
    text += &format!("\n[[users]]\nusername = \"supervisor\"\nname = \"Supervisión\"\nrole = \"supervisor\"\noffice = \"central\"\npassword_hash = \"{hash}\"\n");
    std::fs::write(&config, text).unwrap();
    let server = Server::start_with(data.path(), free_port(), Some(&config));
    let base = server.address.clone();
    let api = Api::new(&base);
    let agent = api.login("agente1").await;
    api.counter(&agent, "v1", "open", json!({})).await;
    let mut turns = Vec::new();
    // Taken by staff: the kiosk page below is anonymous, within the address's limit.
    for _ in 0..5 {
        let (status, turn) = api
            .post(
                "/offices/central/tickets",
                Some(&agent),
                json!({"service": "registro"}),
            )
            .await;
        assert_eq!(status, 201, "{turn}");
        turns.push(turn);
    }
    let mine = turns[4]["token"].as_str().unwrap().to_owned();

    // The phone page: the section opens on a touch; a wrong number is refused.
    let b = Browser::start().await;
    b.viewport(390, 844, true).await;
    b.client.goto(&format!("{base}/t/{mine}")).await.unwrap();
    b.wait_js(
        "!document.querySelector('#sms').hidden",
        10,
        "the SMS offer",
    )
    .await;
    assert!(
        b.eval("document.querySelector('#sms-form').hidden")
            .await
            .as_bool()
            .unwrap(),
        "nothing asked on load"
    );
    b.click("#sms-open").await;
    b.fill("#sms-phone", "300 123").await;
    b.click("#sms-submit").await;
    b.wait_js(
        "!document.querySelector('#sms-error').hidden",
        10,
        "the refusal",
    )
    .await;
    assert!(
        b.text("#sms-error").await.contains("+573001234567"),
        "{}",
        b.text("#sms-error").await
    );
    b.client
        .find(fantoccini::Locator::Css("#sms-phone"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    b.fill("#sms-phone", "+57 300 123 4567").await;
    b.click("#sms-submit").await;
    b.wait_js(
        "!document.querySelector('#sms-done').hidden",
        10,
        "the number kept",
    )
    .await;
    assert!(b.text("#sms-done").await.contains("+57300•••4567"));
    b.screenshot("phone-390x844-sms").await;
    let found = crate::axe::violations(&b, "phone, SMS").await;
    assert!(found.is_empty(), "{found:#?}");
    // One call later the turn is near: the gateway is told.
    api.counter(&agent, "v1", "call-next", json!({})).await;
    let near = gateway.wait_for("+573001234567").await;
    assert!(near.contains(turns[4]["code"].as_str().unwrap()), "{near}");

    // The kiosk: the number on a keypad, the countdown waiting meanwhile.
    b.viewport(1080, 1920, true).await;
    b.client
        .goto(&format!("{base}/kiosk/central"))
        .await
        .unwrap();
    b.wait_js("document.body.dataset.view === 'start'", 10, "the kiosk")
        .await;
    b.click("[data-service=\"registro\"]").await;
    b.wait_js(
        "document.body.dataset.view === 'category'",
        10,
        "the question",
    )
    .await;
    b.click("#no-preference").await;
    b.wait_js(
        "document.body.dataset.view === 'ticket' && !document.querySelector('#sms').hidden",
        10,
        "the ticket with the SMS offer",
    )
    .await;
    b.click("#sms-open").await;
    for key in "573009876543".chars() {
        b.click(&format!("#sms-keys [data-key=\"{key}\"]")).await;
    }
    assert_eq!(b.text("#sms-number").await, "+573009876543");
    b.screenshot("kiosk-1080x1920-sms-keypad").await;
    b.click("#sms-send").await;
    b.wait_js(
        "!document.querySelector('#sms-done').hidden",
        10,
        "the number kept",
    )
    .await;
    assert!(b.text("#sms-done").await.contains("+57300•••6543"));

    // The gateway fails: the supervisor's dashboard says so.
    gateway.failing.store(true, Ordering::SeqCst);
    for _ in 0..3 {
        api.counter(&agent, "v1", "finish", json!({})).await;
        api.counter(&agent, "v1", "call-next", json!({})).await;
    }
    gateway.wait_for("+573009876543").await;
    b.viewport(1366, 768, false).await;
    b.client.goto(&format!("{base}/supervisor")).await.unwrap();
    b.wait_js("document.body.dataset.view === 'login'", 10, "the sign-in")
        .await;
    b.fill("#username", "supervisor").await;
    b.fill("#password", "demo").await;
    b.click("#login-submit").await;
    b.wait_js(
        "!document.querySelector('#sms-status').hidden",
        40,
        "the failing gateway line",
    )
    .await;
    assert!(b.text("#sms-status").await.contains("fallando"));
    b.screenshot("supervisor-1366x768-sms-failing").await;
    b.quit().await;
}
