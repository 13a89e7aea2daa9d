//! Request bodies that arrive too slowly are dropped: a body must keep coming (a chunk at
//! least every [`IDLE`]) and, past [`GRACE`], at no less than [`FLOOR`] bytes a second on
//! average. Without it, a client trickling bodies held a connection each until the
//! server ran out. WebSocket upgrades are left alone: their stream is the socket.

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};
use std::time::Duration;
use tokio::time::Instant;

/// The longest wait for the next chunk of a body.
pub const IDLE: Duration = Duration::from_secs(5);
/// How long a body may take before the floor rate applies.
pub const GRACE: Duration = Duration::from_secs(5);
/// The slowest average a body may arrive at after [`GRACE`], in bytes per second.
pub const FLOOR: u64 = 1024;

fn timed_out(what: &str) -> PayloadError {
    PayloadError::Io(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        what.to_owned(),
    ))
}

/// `payload`, failing with a timed-out error when it comes too slowly.
pub fn bounded(payload: Payload) -> Payload {
    let started = Instant::now();
    let stream = futures_util::stream::unfold(
        (payload, 0u64, false),
        move |(mut payload, received, failed)| async move {
            if failed {
                return None;
            }
            let next = match tokio::time::timeout(IDLE, payload.next()).await {
                Err(_) => Some(Err(timed_out("the body stopped coming"))),
                Ok(None) => None,
                Ok(Some(Err(e))) => Some(Err(e)),
                Ok(Some(Ok(chunk))) => {
                    let received = received + chunk.len() as u64;
                    let elapsed = started.elapsed();
                    let floor = (elapsed.saturating_sub(GRACE).as_secs_f64() * FLOOR as f64) as u64;
                    if elapsed > GRACE && received < floor {
                        Some(Err(timed_out("the body comes too slowly")))
                    } else {
                        return Some((Ok(chunk), (payload, received, false)));
                    }
                }
            };
            next.map(|item| (item, (payload, received, true)))
        },
    );
    let stream: std::pin::Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(stream);
    Payload::from(stream)
}
