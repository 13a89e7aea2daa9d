//! A fake SMS gateway run by the test: an HTTP server on 127.0.0.1:0 that records every
//! request and can be told to fail the next N with 500 (or 429 with a Retry-After).

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use parking_lot::Mutex;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One request the gateway received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub body: Value,
    /// Whether it was answered with a failure.
    pub failed: bool,
}

#[derive(Default)]
struct Inner {
    received: Vec<Received>,
    fail_next: u32,
    status: u16,
}

/// The running fake.
pub struct FakeGateway {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
    handle: actix_web::dev::ServerHandle,
}

impl FakeGateway {
    /// Starts it.
    pub fn start() -> FakeGateway {
        let inner = Arc::new(Mutex::new(Inner {
            status: 500,
            ..Inner::default()
        }));
        let shared = inner.clone();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            let shared = shared.clone();
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let shared = shared.clone();
                async move {
                    let header = |name: &str| {
                        req.headers()
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned)
                    };
                    let mut inner = shared.lock();
                    let failed = inner.fail_next > 0;
                    if failed {
                        inner.fail_next -= 1;
                    }
                    inner.received.push(Received {
                        method: req.method().to_string(),
                        authorization: header("authorization"),
                        content_type: header("content-type"),
                        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                        failed,
                    });
                    if failed {
                        let mut answer = HttpResponse::build(
                            actix_web::http::StatusCode::from_u16(inner.status).unwrap(),
                        );
                        if inner.status == 429 {
                            answer.insert_header(("Retry-After", "1"));
                        }
                        answer.body("{\"error\":\"down\"}")
                    } else {
                        HttpResponse::Ok().json(serde_json::json!({"id": "msg-1"}))
                    }
                }
            }))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .disable_signals()
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        FakeGateway {
            url: format!("http://127.0.0.1:{port}/send"),
            inner,
            handle,
        }
    }

    /// The next `n` requests are answered with `status` (500, 429…).
    pub fn fail_next(&self, n: u32, status: u16) {
        let mut inner = self.inner.lock();
        inner.fail_next = n;
        inner.status = status;
    }

    /// Every request so far.
    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().received.clone()
    }

    /// The requests answered 200, once there are at least `n` (panics after `secs`).
    pub async fn delivered(&self, n: usize, secs: u64) -> Vec<Received> {
        let until = Instant::now() + Duration::from_secs(secs);
        loop {
            let ok: Vec<_> = self.received().into_iter().filter(|r| !r.failed).collect();
            if ok.len() >= n {
                return ok;
            }
            assert!(
                Instant::now() < until,
                "{n} messages expected within {secs} s, got {}: {:?}",
                ok.len(),
                self.received()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops it.
    pub async fn stop(self) {
        self.handle.stop(false).await;
    }
}
