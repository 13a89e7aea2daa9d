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

/// The routes `routes()` registers, as `(METHOD, path)`, read from its source: the
/// `web::scope("…")` prefixes around each `resource("…")` and the `.get(…)`/`.post(…)`
/// chained on it. Reading the source keeps the list in one place, the code.
fn registered_routes() -> std::collections::BTreeSet<(String, String)> {
    let source = include_str!("../../src/http/mod.rs");
    let start = source
        .find("pub fn routes(")
        .expect("routes() is in src/http/mod.rs");
    let body = &source[start..];
    let end = body.find("\n}\n").expect("routes() ends");
    let body = &body[..end];
    let mut routes = std::collections::BTreeSet::new();
    let mut scopes: Vec<(String, usize)> = Vec::new();
    let mut current: Option<(String, usize)> = None;
    let mut depth = 0usize;
    let mut i = 0;
    let literal = |from: usize| -> (String, usize) {
        let rest = &body[from..];
        let close = rest.find('"').expect("a closing quote");
        (rest[..close].to_owned(), from + close + 1)
    };
    while i < body.len() {
        let rest = &body[i..];
        if rest.starts_with("web::scope(\"") {
            let (prefix, next) = literal(i + "web::scope(\"".len());
            scopes.push((prefix, depth));
            i = next + 1;
            continue;
        }
        if rest.starts_with("resource(\"") {
            let (path, next) = literal(i + "resource(\"".len());
            let full: String = scopes.iter().map(|(p, _)| p.as_str()).collect::<String>() + &path;
            current = Some((full, depth));
            i = next + 1;
            continue;
        }
        for method in ["get", "post", "put", "patch", "delete"] {
            if rest.starts_with(&format!(".{method}(")) {
                if let Some((path, d)) = &current {
                    if *d == depth {
                        routes.insert((method.to_uppercase(), path.clone()));
                    }
                }
            }
        }
        match rest.as_bytes()[0] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                scopes.retain(|(_, d)| *d <= depth);
                if current.as_ref().is_some_and(|(_, d)| *d > depth) {
                    current = None;
                }
            }
            _ => {}
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    routes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_is_documented_and_nothing_else() {
    let app = spawn_app().await;
    let (status, doc) = app.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    app.shutdown().await;
    let documented: std::collections::BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let registered = registered_routes();
    assert!(
        registered.len() >= 40,
        "the reader of routes() found only {registered:?}"
    );
    assert!(registered.contains(&("POST".into(), "/api/v1/tickets/{token}/survey".into())));
    assert!(registered.contains(&("GET".into(), "/api/v1/offices/{office}".into())));
    let undocumented: Vec<_> = registered
        .iter()
        .filter(|r| r.1.starts_with("/api/v1") && !documented.contains(r))
        .collect();
    assert!(
        undocumented.is_empty(),
        "routed but not documented: {undocumented:?}"
    );
    let unrouted: Vec<_> = documented.difference(&registered).collect();
    assert!(
        unrouted.is_empty(),
        "documented but not routed: {unrouted:?}"
    );
    // Every operation can answer 503 (the store, overload, stopping, max_connections),
    // with a Retry-After; /readyz's 503 is its own report, without one.
    for (method, path) in &documented {
        let responses = &doc["paths"][path][method.to_lowercase()]["responses"];
        assert!(responses["503"].is_object(), "{method} {path}");
        if path != "/readyz" {
            assert!(
                responses["503"]["headers"]["Retry-After"].is_object(),
                "{method} {path}"
            );
        }
    }
}

/// What schemathesis found, kept fixed: a 405 names the methods the path takes; a body
/// that is a JSON array is refused, not read as a struct; whole numbers may be written
/// `5.0`; report days are exactly YYYY-MM-DD.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_match_the_document_where_schemathesis_looked() {
    let app = spawn_app().await;
    let response = app
        .client
        .delete(format!("{}/api/v1/tickets/x/survey", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET, POST");

    let (status, body) = app
        .post(
            "/api/v1/offices/central/tickets",
            None,
            Some(serde_json::json!(["registro"])),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "invalid_body");

    let supervisor = app.login("supervisor").await;
    let (status, body) = app
        .post(
            "/api/v1/offices/central/tickets/cancel",
            Some(&supervisor),
            Some(serde_json::json!({"service": "registro", "from": 1.0, "to": 3.0})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["cancelled"], 0);
    let (status, _) = app
        .post(
            "/api/v1/offices/central/tickets/cancel",
            Some(&supervisor),
            Some(serde_json::json!({"service": "registro", "from": 1.5, "to": 3})),
        )
        .await;
    assert_eq!(status, 400);

    for (query, expected) in [("from=2026-1-05", 400), ("from=&to=", 200)] {
        let response = app
            .client
            .get(format!(
                "{}/api/v1/offices/central/cases?{query}",
                app.address
            ))
            .bearer_auth(&supervisor)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected, "{query}");
    }
    app.shutdown().await;
}
