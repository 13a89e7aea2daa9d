//! What a citizen does from the phone: "voy en camino" when called and not there yet
//! (once; the page says the turn comes back, and it does), and giving up a waiting turn,
//! both confirmed first.

use crate::harness::{browser_available, free_port, Api, Browser, Server, ONE_AT_A_TIME};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citizen_asks_for_a_few_minutes_and_gives_up_a_turn_from_the_phone() {
    let test = "the_citizen_asks_for_a_few_minutes_and_gives_up_a_turn_from_the_phone";
    if !browser_available(test) {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let api = Api::new(&base);
    let mine = api.issue("registro", "general").await;
    let others = [
        api.issue("registro", "general").await,
        api.issue("registro", "general").await,
    ];
    let token = mine["token"].as_str().unwrap();
    let agent = api.login("agente1").await;
    api.counter(&agent, "v1", "open", json!({})).await;
    let called = api.counter(&agent, "v1", "call-next", json!({})).await;
    assert_eq!(called["code"], mine["code"]);

    let b = Browser::start().await;
    b.viewport(390, 844, true).await;
    b.client.goto(&format!("{base}/t/{token}")).await.unwrap();
    b.wait_js(
        "document.body.dataset.status === 'called' && !document.querySelector('#snooze').hidden",
        10,
        "called, with «voy en camino» offered",
    )
    .await;
    assert!(
        b.eval("document.querySelector('#cancel').hidden")
            .await
            .as_bool()
            .unwrap(),
        "a called turn is not given up from here: the counter waits"
    );
    b.click("#snooze").await;
    b.wait_js("document.querySelector('#confirm').open", 5, "the question")
        .await;
    let question = b.text("#confirm-text").await;
    assert!(
        question.contains(mine["code"].as_str().unwrap()) && question.contains("3 turnos"),
        "{question}"
    );
    b.screenshot("phone-390x844-snooze-question").await;
    b.click("#confirm-yes").await;
    b.wait_js(
        "document.body.dataset.status === 'waiting' && !!document.querySelector('.snoozed-text')",
        10,
        "waiting again, told it comes back",
    )
    .await;
    assert_eq!(b.text("#ahead").await, "2", "back after the two others");
    assert!(
        b.eval("document.querySelector('#snooze').hidden")
            .await
            .as_bool()
            .unwrap(),
        "once per turn"
    );
    b.screenshot("phone-390x844-snoozed").await;
    // The counter went on with the others; then the snoozed turn is called again.
    for other in &others {
        let next = api.counter(&agent, "v1", "call-next", json!({})).await;
        assert_eq!(next["code"], other["code"]);
        api.counter(&agent, "v1", "finish", json!({})).await;
    }
    let back = api.counter(&agent, "v1", "call-next", json!({})).await;
    assert_eq!(back["code"], mine["code"]);
    b.wait_js(
        "document.body.dataset.status === 'called'",
        10,
        "called again",
    )
    .await;
    assert!(b
        .eval("document.querySelector('#snooze').hidden")
        .await
        .as_bool()
        .unwrap());

    // Giving up a waiting turn: asked first, "no" keeps it, "yes" cancels it.
    let later = api.issue("registro", "general").await;
    let later_token = later["token"].as_str().unwrap();
    b.client
        .goto(&format!("{base}/t/{later_token}"))
        .await
        .unwrap();
    b.wait_js("document.body.dataset.status === 'waiting'", 10, "waiting")
        .await;
    b.click("#cancel").await;
    b.wait_js("document.querySelector('#confirm').open", 5, "the question")
        .await;
    b.click("#confirm-no").await;
    let kept = api.get(&format!("/tickets/{later_token}"), None).await;
    assert_eq!(kept["status"], "waiting", "«no» keeps the turn");
    b.click("#cancel").await;
    b.wait_js("document.querySelector('#confirm').open", 5, "the question")
        .await;
    b.click("#confirm-yes").await;
    b.wait_js(
        "document.body.dataset.status === 'cancelled'",
        10,
        "cancelled",
    )
    .await;
    let gone = api.get(&format!("/tickets/{later_token}"), None).await;
    assert_eq!(gone["status"], "cancelled");
    b.quit().await;
}
