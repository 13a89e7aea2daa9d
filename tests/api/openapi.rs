//! The OpenAPI document describes routes the server really has.

use crate::helpers::spawn_app;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_operation_is_routed() {
    let app = spawn_app().await;
    let (status, doc) = app.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    let agent = app.login("supervisor").await;
    let issued = app.issue("registro", "general").await;
    let token = issued["token"].as_str().unwrap().to_owned();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 25);
    for (path, ops) in paths {
        let url = path
            .replace("{office}", "central")
            .replace("{counter}", "v2")
            .replace("{token}", &token);
        for method in ops.as_object().unwrap().keys() {
            let request = app
                .client
                .request(
                    method.to_uppercase().parse().unwrap(),
                    format!("{}{url}", app.address),
                )
                .bearer_auth(&agent);
            let request = if method == "post" {
                request.json(&serde_json::json!({}))
            } else {
                request
            };
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            assert_ne!(
                body["error"]["code"], "not_found",
                "{method} {path} is documented but not routed"
            );
            assert_ne!(status, 405, "{method} {path} is documented but not routed");
            assert!(status < 500, "{method} {path} → {status}");
        }
    }
    app.shutdown().await;
}
