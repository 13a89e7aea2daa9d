//! The sender against the tests' own push endpoint (`turnero_testkit::push`), which
//! checks the VAPID token and decrypts like a browser's push service and browser.

use super::*;
use crate::domain::Language;
use crate::webpush::{PushKind, PushMessage, Subscription};
use turnero_testkit::push::PushEndpoint;

fn sender(keys: VapidKeys) -> WebPushSender {
    WebPushSender::new(keys, "mailto:oficina@example.org", reqwest::Client::new())
}

fn subscribed(endpoint: &PushEndpoint) -> Subscription {
    Subscription::from_json(&endpoint.subscription(), true).unwrap()
}

#[tokio::test]
async fn a_message_arrives_signed_encrypted_and_whole() {
    let endpoint = PushEndpoint::start();
    let keys = VapidKeys::generate();
    endpoint.expect_vapid_key(&keys.public_base64url());
    let sender = sender(keys);
    let message = PushMessage::called(Language::Es, "tok123", "A-023", "Ventanilla 3");
    sender
        .send_message(&subscribed(&endpoint), &message)
        .await
        .unwrap();
    let got = endpoint.wait_for(1, Duration::from_secs(5)).await;
    assert!(endpoint.refused().is_empty(), "{:?}", endpoint.refused());
    let got = &got[0];
    let back: PushMessage = serde_json::from_value(got.message.clone()).unwrap();
    assert_eq!(back, message);
    assert_eq!(back.kind, PushKind::Called);
    assert_eq!(got.urgency.as_deref(), Some("high"));
    assert_eq!(got.ttl, 600);
    assert_eq!(got.subject, "mailto:oficina@example.org");
    // The audience keeps the endpoint's port: the origin, as RFC 8292 §2 says.
    assert_eq!(
        got.audience,
        endpoint
            .endpoint()
            .split("/push/")
            .next()
            .unwrap()
            .to_owned()
    );
    assert!(got.token_valid_for > Duration::from_secs(11 * 3600));
    let topic = got.topic.as_deref().unwrap();
    assert_eq!(topic.len(), 32);
    assert!(!topic.contains("tok123"));
}

#[tokio::test]
async fn a_message_signed_with_another_key_is_refused() {
    let endpoint = PushEndpoint::start();
    endpoint.expect_vapid_key(&VapidKeys::generate().public_base64url());
    let failed = sender(VapidKeys::generate())
        .send(
            &subscribed(&endpoint),
            b"hola",
            Duration::from_secs(60),
            Urgency::Normal,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            failed,
            PushError::Rejected {
                status: Some(403),
                ..
            }
        ),
        "{failed:?}"
    );
    assert!(endpoint.received().is_empty());
}

#[tokio::test]
async fn the_answers_tell_gone_retry_and_rejected_apart() {
    let endpoint = PushEndpoint::start();
    let sender = sender(VapidKeys::generate());
    let sub = subscribed(&endpoint);
    let send = || sender.send(&sub, b"{}", Duration::from_secs(60), Urgency::Low);
    endpoint.answer_next(410, None);
    assert_eq!(send().await, Err(PushError::Gone { status: 410 }));
    endpoint.answer_next(404, None);
    assert_eq!(send().await, Err(PushError::Gone { status: 404 }));
    endpoint.answer_next(500, None);
    assert!(matches!(
        send().await,
        Err(PushError::Retryable {
            retry_after: None,
            ..
        })
    ));
    endpoint.answer_next(429, Some("7"));
    match send().await {
        Err(PushError::Retryable { retry_after, .. }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(7)))
        }
        other => panic!("{other:?}"),
    }
    endpoint.answer_next(400, None);
    assert!(matches!(
        send().await,
        Err(PushError::Rejected {
            status: Some(400),
            ..
        })
    ));
    // And then it takes messages again.
    assert_eq!(send().await, Ok(()));
    assert_eq!(endpoint.received().len(), 6);
    assert!(endpoint.refused().is_empty(), "{:?}", endpoint.refused());
}

#[tokio::test]
async fn no_answer_is_retryable() {
    let endpoint = PushEndpoint::start();
    let sub = subscribed(&endpoint);
    drop(endpoint);
    let failed = sender(VapidKeys::generate())
        .send(&sub, b"{}", Duration::from_secs(60), Urgency::Normal)
        .await
        .unwrap_err();
    assert!(matches!(failed, PushError::Retryable { .. }), "{failed:?}");
}

#[tokio::test]
async fn a_message_too_large_is_refused_before_sending() {
    let endpoint = PushEndpoint::start();
    let failed = sender(VapidKeys::generate())
        .send(
            &subscribed(&endpoint),
            &[b'x'; 4096],
            Duration::from_secs(60),
            Urgency::Normal,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(failed, PushError::Rejected { status: None, .. }),
        "{failed:?}"
    );
    assert!(endpoint.received().is_empty() && endpoint.refused().is_empty());
}

#[test]
fn origins_keep_only_a_port_of_their_own() {
    let o = |u: &str| origin(&u.parse().unwrap()).unwrap();
    assert_eq!(
        o("https://fcm.googleapis.com/fcm/send/x"),
        "https://fcm.googleapis.com"
    );
    assert_eq!(
        o("https://push.example.com:443/x"),
        "https://push.example.com"
    );
    assert_eq!(
        o("https://push.example.com:8443/x"),
        "https://push.example.com:8443"
    );
    assert_eq!(o("http://127.0.0.1:9000/push/a"), "http://127.0.0.1:9000");
}

#[test]
fn retry_after_reads_seconds_and_dates() {
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00Z")
        .unwrap()
        .to_utc();
    assert_eq!(
        parse_retry_after("120", now),
        Some(Duration::from_secs(120))
    );
    assert_eq!(
        parse_retry_after("Mon, 02 Mar 2026 10:01:30 GMT", now),
        Some(Duration::from_secs(90))
    );
    assert_eq!(parse_retry_after("soon", now), None);
}

#[test]
fn subjects_are_mailto_or_https() {
    assert!(WebPushSender::is_valid_subject(
        "mailto:oficina@example.org"
    ));
    assert!(WebPushSender::is_valid_subject(
        "https://turnos.example.org"
    ));
    assert!(!WebPushSender::is_valid_subject("mailto:"));
    assert!(!WebPushSender::is_valid_subject("oficina@example.org"));
    assert!(!WebPushSender::is_valid_subject(
        "http://turnos.example.org"
    ));
}

#[tokio::test]
async fn a_token_is_signed_once_per_push_service_and_reused() {
    let one = PushEndpoint::start();
    let other = PushEndpoint::start();
    let sender = sender(VapidKeys::generate());
    for endpoint in [&one, &one, &other] {
        sender
            .send(
                &subscribed(endpoint),
                b"{}",
                Duration::from_secs(60),
                Urgency::Normal,
            )
            .await
            .unwrap();
    }
    let header = |e: &PushEndpoint, i: usize| e.received()[i].authorization.clone();
    assert_eq!(
        header(&one, 0),
        header(&one, 1),
        "reused for the same origin"
    );
    // Another origin (another port) has a token of its own, for its own audience.
    assert_ne!(header(&one, 0), header(&other, 0));
    assert!(one.refused().is_empty() && other.refused().is_empty());
}
