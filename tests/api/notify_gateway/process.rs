//! The notifications with Turnero as a real process: the contact kept across a restart,
//! nothing sent once a turn ended, and the number gone from every file, the log and the
//! reports once its turn ends; with two processes on one Redis, one message per event.

use super::fake::FakeGateway;
use super::{notifications_toml, PHONE};
use crate::helpers::{demo_toml_paired, kiosk_token, RedisServer, ServerProcess};
use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;

/// The demo office with the fake gateway and a supervisor and an agent, as a file.
fn config_file(dir: &Path, gateway: &str, var: &str) -> std::path::PathBuf {
    let hash = turnero::http::auth::hash_password("demo").unwrap();
    let mut text = demo_toml_paired();
    text.push_str(&notifications_toml(gateway, var));
    for (user, role) in [("supervisor", "supervisor"), ("agente1", "agent")] {
        text.push_str(&format!(
            "\n[[users]]\nusername = \"{user}\"\nname = \"{user}\"\nrole = \"{role}\"\noffice = \"central\"\npassword_hash = \"{hash}\"\n"
        ));
    }
    let path = dir.join("turnero.toml");
    std::fs::write(&path, text).unwrap();
    path
}

async fn issue(server: &ServerProcess, phone: Option<&str>) -> Value {
    let mut body = json!({"service": "registro"});
    if let Some(p) = phone {
        body["phone"] = json!(p);
    }
    let (status, ticket) = server
        .post(
            "/api/v1/offices/central/tickets",
            Some(&kiosk_token()),
            body,
        )
        .await;
    assert_eq!(status, 201, "{ticket}");
    ticket
}

async fn act(server: &ServerProcess, agent: &str, action: &str) -> Value {
    let (status, body) = server
        .post(
            &format!("/api/v1/offices/central/counters/v1/{action}"),
            Some(agent),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{action}: {body}");
    body
}

/// Every file under `dir` that holds `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    found
}

#[tokio::test]
async fn a_contact_survives_a_restart_and_the_number_leaves_with_its_turn() {
    let gateway = FakeGateway::start();
    let var = format!("TURNERO_TEST_SMS_{}", rand::random::<u32>());
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = config_file(dir.path(), &gateway.url, &var);
    let log = dir.path().join("server.log");
    let envs = [(var.as_str(), "Bearer secreto"), ("RUST_LOG", "info")];
    let server = ServerProcess::spawn(&data, Some(&config), Some(&log), &envs).unwrap();
    let a = issue(&server, Some(PHONE)).await;
    for _ in 0..3 {
        issue(&server, None).await;
    }
    // Four turns ahead: not near yet.
    let x = issue(&server, Some(PHONE)).await;
    let y = issue(&server, Some(PHONE)).await;
    let (status, _) = server
        .post(
            &format!("/api/v1/tickets/{}/cancel", y["token"].as_str().unwrap()),
            None,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let got = gateway.delivered(1, 10).await;
    assert_eq!(
        got[0].body["text"].as_str().unwrap(),
        format!(
            "Turnero: su turno {} está próximo. Acérquese a la sala.",
            a["code"].as_str().unwrap()
        )
    );
    assert!(server.terminate().success());
    let contacts = std::fs::read_to_string(data.join("central/contacts.json")).unwrap();
    assert!(
        contacts.contains(x["token"].as_str().unwrap()),
        "X's contact is kept: {contacts}"
    );

    let log2 = dir.path().join("server2.log");
    let server = ServerProcess::spawn(&data, Some(&config), Some(&log2), &envs).unwrap();
    let agent = server.login("agente1").await;
    act(&server, &agent, "open").await;
    // A is called; X has three ahead now and is near.
    act(&server, &agent, "call-next").await;
    let got = gateway.delivered(3, 10).await;
    let texts: Vec<&str> = got
        .iter()
        .map(|r| r.body["text"].as_str().unwrap())
        .collect();
    let (a_code, x_code) = (a["code"].as_str().unwrap(), x["code"].as_str().unwrap());
    assert!(
        texts.contains(&format!("Turnero: {a_code}, pase a Ventanilla 1.").as_str()),
        "{texts:?}"
    );
    assert!(
        texts.contains(
            &format!("Turnero: su turno {x_code} está próximo. Acérquese a la sala.").as_str()
        ),
        "{texts:?}"
    );
    act(&server, &agent, "start").await;
    act(&server, &agent, "finish").await;
    for _ in 0..3 {
        act(&server, &agent, "call-next").await;
        act(&server, &agent, "start").await;
        act(&server, &agent, "finish").await;
    }
    let called = act(&server, &agent, "call-next").await;
    assert_eq!(called["code"], x["code"]);
    let got = gateway.delivered(4, 10).await;
    assert_eq!(
        got[3].body["text"].as_str().unwrap(),
        format!("Turnero: {x_code}, pase a Ventanilla 1.")
    );
    act(&server, &agent, "start").await;
    act(&server, &agent, "finish").await;
    // Every turn with a number has ended: the number is gone.
    let until = std::time::Instant::now() + Duration::from_secs(10);
    while data.join("central/contacts.json").exists() && std::time::Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        !data.join("central/contacts.json").exists(),
        "the contacts file goes with the last contact"
    );
    assert_eq!(
        gateway.received().len(),
        4,
        "nothing for the cancelled turn, nothing twice after the restart: {:?}",
        gateway.received()
    );
    let supervisor = server.login("supervisor").await;
    for format in ["json", "csv"] {
        let r = server
            .client
            .get(format!(
                "{}/api/v1/offices/central/report?format={format}",
                server.address
            ))
            .bearer_auth(&supervisor)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let text = r.text().await.unwrap();
        assert!(
            !text.contains(PHONE) && !text.contains("3001234567"),
            "{format} report: {text}"
        );
    }
    assert!(server.terminate().success());
    assert_eq!(files_holding(&data, "3001234567"), Vec::<String>::new());
    for log in [&log, &log2] {
        let text = std::fs::read_to_string(log).unwrap();
        assert!(
            !text.contains("3001234567"),
            "the log holds the number: {text}"
        );
        assert!(
            text.contains("notification sent"),
            "the log says what was sent: {text}"
        );
        assert!(
            text.contains("+57300•••4567") || text.contains("+57300\\u2022\\u2022\\u20224567"),
            "{text}"
        );
    }
    gateway.stop().await;
}

#[tokio::test]
async fn two_processes_on_one_redis_send_each_message_once() {
    let redis = RedisServer::start();
    let gateway = FakeGateway::start();
    let var = format!("TURNERO_TEST_SMS_{}", rand::random::<u32>());
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(dir.path(), &gateway.url, &var);
    let url = redis.url();
    let envs = [
        (var.as_str(), "Bearer secreto"),
        ("TURNERO_REDIS_URL", url.as_str()),
        ("TURNERO_SECRET", "shared-test-secret"),
    ];
    let one = ServerProcess::spawn(&dir.path().join("a"), Some(&config), None, &envs).unwrap();
    let two = ServerProcess::spawn(&dir.path().join("b"), Some(&config), None, &envs).unwrap();
    let ticket = issue(&one, Some(PHONE)).await;
    gateway.delivered(1, 10).await;
    let agent = two.login("agente1").await;
    act(&two, &agent, "open").await;
    let called = act(&two, &agent, "call-next").await;
    assert_eq!(called["code"], ticket["code"]);
    gateway.delivered(2, 10).await;
    // Both processes watch the office for a while longer: still one message per event.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let texts: Vec<String> = gateway
        .received()
        .iter()
        .map(|r| r.body["text"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(
        texts[0].contains("próximo") && texts[1].contains("pase a"),
        "{texts:?}"
    );
    gateway.stop().await;
}
