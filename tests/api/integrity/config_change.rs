//! The configuration changes between two starts: a service that had turns today (one of
//! them transferred) is removed and a counter renamed. The office still opens; the events
//! that no longer fit stay in the log, are skipped with one warning each, and are still
//! counted in the report under their own slug; put back, the configuration finds them.

use super::*;
use serde_json::json;

fn config(dir: &Path, name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let hash = turnero::http::auth::hash_password("demo").unwrap();
    let mut text = edit(crate::helpers::demo_toml_paired());
    for (user, role) in [("agente1", "agent"), ("supervisor", "supervisor")] {
        text.push_str(&format!(
            "\n[[users]]\nusername = \"{user}\"\nname = \"{user}\"\nrole = \"{role}\"\noffice = \"central\"\npassword_hash = \"{hash}\"\n"
        ));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The demo configuration without `registro` and with `v1` renamed `v9`.
fn changed(text: String) -> String {
    let start = text
        .find("[[offices.services]]\nid = \"registro\"")
        .unwrap();
    let end = start + text[start + 1..].find("[[offices.services]]").unwrap() + 1;
    let mut text = format!("{}{}", &text[..start], &text[end..]);
    text = text
        .replace("\"registro\", ", "")
        .replace(", \"registro\"", "");
    text.replace("id = \"v1\"", "id = \"v9\"")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_a_service_and_renaming_a_counter_never_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let original = config(dir.path(), "original.toml", |t| t);
    let edited = config(dir.path(), "edited.toml", changed);

    let server = ServerProcess::try_start(&data, Some(&original), None).unwrap();
    let first = server.issue("registro").await.unwrap();
    let agent = server.login("agente1").await;
    let v1 = "/api/v1/offices/central/counters/v1";
    for action in ["open", "call-next"] {
        let (status, body) = server
            .post(&format!("{v1}/{action}"), Some(&agent), json!({}))
            .await;
        assert_eq!(status, 200, "{action}: {body}");
    }
    let (status, moved) = server
        .post(
            &format!("{v1}/transfer"),
            Some(&agent),
            json!({"service": "catastro"}),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    let mut issued = vec![first.clone()];
    for service in ["registro", "catastro", "caja", "registro"] {
        issued.push(server.issue(service).await.unwrap());
    }
    assert!(server.terminate().success());

    let log = dir.path().join("edited.log");
    let server = ServerProcess::try_start(&data, Some(&edited), Some(&log))
        .expect("the edited configuration starts");
    let (status, ready) = server.get("/readyz").await;
    assert_eq!(status, 200, "{ready}");
    for t in &issued {
        let (status, now) = server
            .get(&format!("/api/v1/tickets/{}", t["token"].as_str().unwrap()))
            .await;
        if t["service"] == "registro" {
            assert_eq!(
                status, 404,
                "registro's turns are not in today's live state"
            );
        } else {
            assert_eq!((status, &now["code"]), (200, &t["code"]));
        }
    }
    let caja = server.issue("caja").await.unwrap();
    assert_eq!(caja["code"], "C-002");
    // One warning per event that no longer fits: 3 registro turns, the open, the call and
    // the transfer of A-001 (at v1), none of them a crash.
    let report_token = server.login("supervisor").await;
    let day = caja["issued_at"].as_str().unwrap()[..10].to_owned();
    let report = server
        .client
        .get(format!(
            "{}/api/v1/offices/central/report?from={day}&to={day}",
            server.address
        ))
        .bearer_auth(&report_token)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let registro = report["by_service"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "registro")
        .unwrap_or_else(|| panic!("registro is still in the report: {report}"));
    assert_eq!(registro["turns"]["issued"], 3, "{registro}");
    assert!(server.terminate().success());
    let warnings = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .filter(|l| l.contains("skipped for the live state"))
        .count();
    assert_eq!(warnings, 6, "one warning each");

    // Back to the first configuration: everything is where it was, and numbering goes on.
    let server = ServerProcess::try_start(&data, Some(&original), None).unwrap();
    let (status, now) = server
        .get(&format!(
            "/api/v1/tickets/{}",
            first["token"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (now["code"].as_str(), now["service"].as_str()),
        (Some("A-001"), Some("catastro"))
    );
    assert_eq!(server.issue("registro").await.unwrap()["code"], "A-004");
    assert_eq!(server.issue("caja").await.unwrap()["code"], "C-003");
}
