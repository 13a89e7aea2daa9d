//! Open connections, counted and capped (`[server] max_connections`, below the open-file
//! limit). Each connection is admitted or marked as it is accepted; a request on a marked
//! one is answered at once with 503 `too_many_connections` and the connection closed,
//! while those admitted carry on. Without it, past actix's own per-worker limit the
//! server stopped accepting and new clients hung in the backlog with no answer, and past
//! the file limit `accept` itself failed.

use super::error::ApiError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Extensions, ServiceRequest, ServiceResponse};
use actix_web::http::ConnectionType;
use actix_web::middleware::Next;
use actix_web::ResponseError;
use parking_lot::Mutex;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use std::any::Any;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Seconds a refused client is told to wait: admitted connections close within seconds
/// (actix's keep-alive is 5 s).
pub const RETRY_AFTER_SECONDS: u32 = 5;

/// A refusal is logged at most this often: a flood would otherwise flood the log too.
const WARN_EVERY: Duration = Duration::from_secs(60);

struct Inner {
    max: u32,
    open: AtomicU32,
    gauge: Gauge,
    refused: Counter,
    last_warned: Mutex<Option<Instant>>,
}

/// The server's connections, counted against its cap.
#[derive(Clone)]
pub struct Connections {
    inner: Arc<Inner>,
}

/// What a connection holds in its extensions from the moment it is accepted: actix drops
/// them with the connection (its dispatcher and last request), which frees the place.
pub struct Admission {
    admitted: bool,
    inner: Arc<Inner>,
}

impl Connections {
    /// At most `max` connections served at once; `open` follows how many are, `refused`
    /// counts those turned away.
    pub fn new(max: u32, open: Gauge, refused: Counter) -> Self {
        Connections {
            inner: Arc::new(Inner {
                max,
                open: AtomicU32::new(0),
                gauge: open,
                refused,
                last_warned: Mutex::new(None),
            }),
        }
    }

    /// Connections served now.
    pub fn open(&self) -> u32 {
        self.inner.open.load(Ordering::Acquire)
    }

    /// A place for a new connection, or its mark when every place is taken.
    pub fn admit(&self) -> Admission {
        let inner = &self.inner;
        // A compare-and-swap loop, so two connections racing for the last place do not
        // both get it.
        let admitted = inner
            .open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < inner.max).then_some(n + 1)
            })
            .is_ok();
        if admitted {
            inner.gauge.inc();
        } else {
            inner.refused.inc();
            let mut last = inner.last_warned.lock();
            if last.is_none_or(|at| at.elapsed() >= WARN_EVERY) {
                *last = Some(Instant::now());
                tracing::warn!(
                    max_connections = inner.max,
                    "connection refused: the server holds as many as max_connections allows (logged once a minute)"
                );
            }
        }
        Admission {
            admitted,
            inner: inner.clone(),
        }
    }

    /// The callback for `HttpServer::on_connect`: admits or marks each accepted connection.
    pub fn on_connect(&self) -> impl Fn(&dyn Any, &mut Extensions) + Send + Sync + 'static {
        let connections = self.clone();
        move |_, extensions| {
            extensions.insert(connections.admit());
        }
    }
}

impl Admission {
    /// Whether the connection has a place (else every request on it is refused).
    pub fn admitted(&self) -> bool {
        self.admitted
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        if self.admitted {
            self.inner.open.fetch_sub(1, Ordering::AcqRel);
            self.inner.gauge.dec();
        }
    }
}

/// The answer on a connection without a place: 503 in JSON with `Retry-After`, and the
/// connection closed after it so its descriptor is freed at once.
pub fn refusal() -> actix_web::HttpResponse {
    let mut response = ApiError::TooManyConnections.error_response();
    response
        .head_mut()
        .set_connection_type(ConnectionType::Close);
    response
}

/// Middleware (`middleware::from_fn`): refuses every request of a connection without a
/// place, passes the others on untouched.
pub async fn refuse_over_cap(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.conn_data::<Admission>().is_some_and(|a| !a.admitted()) {
        return Ok(req.into_response(refusal()));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_taken_up_to_the_cap_and_freed_when_connections_close() {
        let connections = Connections::new(2, Gauge::default(), Counter::default());
        let first = connections.admit();
        let second = connections.admit();
        let third = connections.admit();
        assert!(first.admitted() && second.admitted());
        assert!(!third.admitted());
        assert_eq!(connections.open(), 2);
        assert_eq!(connections.inner.refused.get(), 1);
        assert_eq!(connections.inner.gauge.get(), 2);
        drop(third);
        assert_eq!(connections.open(), 2, "a refused one held no place");
        drop(first);
        assert_eq!(connections.open(), 1);
        assert!(connections.admit().admitted());
    }

    #[actix_web::test]
    async fn the_refusal_says_why_and_closes() {
        let response = refusal();
        assert_eq!(response.status(), 503);
        assert_eq!(response.head().connection_type(), ConnectionType::Close);
        assert_eq!(
            response.headers().get("retry-after").unwrap(),
            &RETRY_AFTER_SECONDS.to_string()
        );
        let body = actix_web::body::to_bytes(response.into_body())
            .await
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["error"]["code"], "too_many_connections");
        assert_eq!(
            json["error"]["message"],
            crate::i18n::es::TOO_MANY_CONNECTIONS
        );
    }
}
