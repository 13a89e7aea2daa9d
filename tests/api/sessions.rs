//! Sessions end when asked (`POST /auth/logout`), on every process and across a restart,
//! and when the user's password changes in the configuration.

use crate::helpers::{RedisServer, ServerProcess};

async fn me(server: &ServerProcess, token: &str) -> (u16, serde_json::Value) {
    let r = server
        .client
        .get(format!("{}/api/v1/auth/me", server.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or_default())
}

async fn logout(server: &ServerProcess, token: &str) -> u16 {
    server
        .client
        .post(format!("{}/api/v1/auth/logout", server.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ended_stays_ended_after_a_restart_and_others_go_on() {
    let data = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(data.path());
    let ended = server.login("agente1").await;
    let other = server.login("agente1").await;
    assert_eq!(me(&server, &ended).await.0, 200);
    assert_eq!(logout(&server, &ended).await, 204);
    let (status, body) = me(&server, &ended).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("session_invalid"))
    );
    assert_eq!(logout(&server, &ended).await, 401, "ended once");
    assert_eq!(logout(&server, "nonsense").await, 401);
    assert_eq!(
        server
            .client
            .post(format!("{}/api/v1/auth/logout", server.address))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    assert!(server.terminate().success());

    let server = ServerProcess::start(data.path());
    assert_eq!(
        me(&server, &ended).await.0,
        401,
        "the restart does not bring it back"
    );
    assert_eq!(
        me(&server, &other).await.0,
        200,
        "another session of the same user goes on"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ended_on_one_process_is_ended_on_all() {
    let redis = RedisServer::start();
    let a = ServerProcess::start_on_redis(&redis.url());
    let b = ServerProcess::start_on_redis(&redis.url());
    let token = a.login("supervisor").await;
    assert_eq!(me(&b, &token).await.0, 200);
    assert_eq!(logout(&b, &token).await, 204);
    assert_eq!(me(&a, &token).await.0, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_ends_the_users_sessions() {
    let data = tempfile::tempdir().unwrap();
    let start = |password: &str| {
        ServerProcess::spawn(
            data.path(),
            None,
            None,
            &[("TURNERO_DEMO_PASSWORD", password)],
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let server = start("demo");
    let token = server.login("agente1").await;
    assert!(server.terminate().success());
    let server = start("demo");
    assert_eq!(
        me(&server, &token).await.0,
        200,
        "same password: the session goes on"
    );
    assert!(server.terminate().success());
    let server = start("otra-clave");
    assert_eq!(
        me(&server, &token).await.0,
        401,
        "new password: the session ended"
    );
    let (status, body) = server
        .post(
            "/api/v1/auth/login",
            None,
            serde_json::json!({"username": "agente1", "password": "otra-clave"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}
