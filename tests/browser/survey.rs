//! The satisfaction survey on the citizen's page: a turn is issued, called and finished
//! through the API; the citizen answers the five questions by tapping faces on a phone,
//! adds a comment and a case type, sends, and sees the thank-you, which stays after a
//! reload (the survey is answered once).

use crate::harness::{browser_available, free_port, Api, Browser, Server, ONE_AT_A_TIME};
use serde_json::json;

/// Fails with a clear message when the server has no survey endpoint (the backend part of
/// the issue is missing), instead of passing on the page's fallback.
async fn require_survey_endpoint(api: &Api, token: &str) {
    let response = reqwest::get(format!("{}/api/v1/tickets/{token}/survey", api.base))
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert!(
        status != 404 && status != 405,
        "GET /api/v1/tickets/{{token}}/survey answered {status}: the survey API is not in this \
         build yet, so the survey form cannot be tested against the real server"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citizen_answers_the_survey_on_the_phone() {
    if !browser_available("the_citizen_answers_the_survey_on_the_phone") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let api = Api::new(&base);

    let ticket = api.issue("registro", "general").await;
    let token = ticket["token"].as_str().unwrap().to_owned();
    let agent = api.login("agente1").await;
    api.counter(&agent, "v1", "open", json!({})).await;
    let called = api.counter(&agent, "v1", "call-next", json!({})).await;
    assert_eq!(called["token"], ticket["token"]);
    api.counter(&agent, "v1", "start", json!({})).await;
    api.counter(&agent, "v1", "finish", json!({})).await;
    require_survey_endpoint(&api, &token).await;

    let b = Browser::start().await;
    b.viewport(390, 844, true).await;
    b.client.goto(&format!("{base}/t/{token}")).await.unwrap();
    b.wait_js(
        "document.body.dataset.survey === 'open' && document.querySelector('#survey-form')",
        10,
        "the survey form",
    )
    .await;
    assert_eq!(b.eval("document.documentElement.lang").await, "es");
    let general = b.text("#q-overall legend").await;
    assert!(
        general.contains(
            "¿Qué tan satisfecho se encuentra usted a nivel general con la atención que recibió?"
        ),
        "{general}"
    );
    for dimension in [
        "atención que recibió en su visita",
        "claridad de la información recibida en su trámite",
        "tiempo de espera para ser atendido en ventanilla",
        "tiempo de respuesta de su trámite",
    ] {
        assert!(
            b.text("#survey-form").await.contains(dimension),
            "{dimension}"
        );
    }
    // Accessible: five radio groups of five, each radio with a name that says its word.
    let groups = b
        .eval(
            "['overall','attention','clarity','wait_time','response_time'].map(q => \
             document.querySelectorAll(`fieldset#q-${q} input[type=radio][name=${q}]`).length)",
        )
        .await;
    assert_eq!(groups, json!([5, 5, 5, 5, 5]));
    let name = b
        .eval("document.querySelector('label.opt[data-q=overall][data-v=\"1\"]').textContent")
        .await;
    assert!(
        name.as_str().unwrap().contains("Totalmente insatisfecho"),
        "{name}"
    );
    // The case types, in Spanish with accents; ids without.
    let cases = b
        .eval("[...document.querySelectorAll('.chip')].map(c => c.dataset.case + '=' + c.innerText.trim())")
        .await;
    for expected in [
        "queja=Queja",
        "asesoria=Asesoría",
        "sugerencia=Sugerencia",
        "felicitacion=Felicitación",
        "denuncia=Denuncia",
        "peticion=Petición",
    ] {
        assert!(
            cases.as_array().unwrap().iter().any(|c| c == expected),
            "{expected} in {cases}"
        );
    }
    // Thumb-sized choices: at least 44 CSS pixels each way, five in a row on a 390 px phone.
    let size = b
        .eval(
            "(() => { const r = document.querySelector('label.opt[data-q=overall][data-v=\"5\"] .opt-tile').getBoundingClientRect(); \
             return [Math.round(r.width), Math.round(r.height), Math.round(r.right)]; })()",
        )
        .await;
    assert!(size[0].as_i64().unwrap() >= 44, "tile {size}");
    assert!(size[1].as_i64().unwrap() >= 44, "tile {size}");
    assert!(size[2].as_i64().unwrap() <= 390, "tile {size}");

    // Sending with a question unanswered says which one, and sends nothing.
    b.tap("label.opt[data-q=overall][data-v=\"5\"]").await;
    b.eval("document.querySelector('#survey-submit').scrollIntoView({block: 'center'}), true")
        .await;
    b.tap("#survey-submit").await;
    b.wait_js(
        "!document.querySelector('#survey-error').hidden",
        5,
        "the missing answers",
    )
    .await;
    assert!(b.text("#survey-error").await.contains("la pregunta 2"));
    b.eval("window.scrollTo(0, 0), true").await;
    b.wait_js(
        "document.querySelector('#q-overall-chosen').textContent.includes('Totalmente satisfecho')",
        5,
        "the chosen word",
    )
    .await;
    b.screenshot("survey-390x844-1-form").await;

    // The rest by taps; the keyboard moves within a group too (arrow keys on a radio).
    for (q, v) in [
        ("attention", 5),
        ("clarity", 4),
        ("wait_time", 2),
        ("response_time", 3),
    ] {
        let selector = format!("label.opt[data-q={q}][data-v=\"{v}\"]");
        b.eval(&format!(
            "document.querySelector('{selector}').scrollIntoView({{block: 'center'}}), true"
        ))
        .await;
        b.tap(&selector).await;
    }
    b.eval("document.querySelector('input[name=response_time][value=\"3\"]').focus(), true")
        .await;
    b.press('\u{E014}').await; // ArrowRight: 3 → 4
    assert_eq!(
        b.eval("document.querySelector('input[name=response_time]:checked').value")
            .await,
        "4"
    );
    b.eval("document.querySelector('#comment').scrollIntoView({block: 'center'}), true")
        .await;
    b.fill(
        "#comment",
        "Muy amable la atención; la fila de Catastro fue lenta.",
    )
    .await;
    assert!(b.text("#comment-count").await.starts_with("54 de 500"));
    b.tap(".chip[data-case=sugerencia]").await;
    b.eval("document.querySelector('#survey-submit').scrollIntoView({block: 'end'}), true")
        .await;
    b.screenshot("survey-390x844-2-filled").await;
    b.tap("#survey-submit").await;
    b.wait_js(
        "document.body.dataset.survey === 'answered'",
        10,
        "the thank-you",
    )
    .await;
    assert!(b.text("#survey").await.contains("¡Gracias por su opinión!"));
    b.eval("window.scrollTo(0, 0), true").await;
    b.screenshot("survey-390x844-3-thanks").await;

    // The answer reached the server as given.
    let (status, again) = api
        .post(
            &format!("/tickets/{token}/survey"),
            None,
            json!({"overall": 1, "attention": 1, "clarity": 1, "wait_time": 1, "response_time": 1}),
        )
        .await;
    assert_eq!(status, 409, "{again}");
    assert_eq!(again["error"]["code"], "already_answered");

    // Reload: still the thank-you, no form.
    b.client.refresh().await.unwrap();
    b.wait_js(
        "document.body.dataset.survey === 'answered'",
        10,
        "the thank-you after a reload",
    )
    .await;
    assert!(b
        .eval("!document.querySelector('#survey-form')")
        .await
        .as_bool()
        .unwrap());
    assert!(b.text("#survey").await.contains("¡Gracias por su opinión!"));

    b.quit().await;
    drop(server);
}

/// A waiting turn has no survey (the API says `not_served`, the page shows none); once
/// served, an answer sent twice gets the server's sentence.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_survey_before_the_turn_is_served_and_one_answer_only() {
    if !browser_available("no_survey_before_the_turn_is_served_and_one_answer_only") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let api = Api::new(&base);
    let ticket = api.issue("caja", "general").await;
    let token = ticket["token"].as_str().unwrap().to_owned();
    require_survey_endpoint(&api, &token).await;
    let (status, body) = api
        .post(
            &format!("/tickets/{token}/survey"),
            None,
            json!({"overall": 5, "attention": 5, "clarity": 5, "wait_time": 5, "response_time": 5}),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "not_served");

    let b = Browser::start().await;
    b.viewport(390, 844, true).await;
    b.client.goto(&format!("{base}/t/{token}")).await.unwrap();
    b.wait_js(
        "document.body.dataset.status === 'waiting'",
        10,
        "the citizen's page",
    )
    .await;
    assert!(b
        .eval("document.querySelector('#survey').hidden && !document.querySelector('#survey-form')")
        .await
        .as_bool()
        .unwrap());

    // Served now; the form opens. Answered meanwhile from elsewhere (another tab): sending
    // shows the server's own sentence with the thank-you.
    let agent = api.login("agente3").await;
    api.counter(&agent, "v3", "open", json!({})).await;
    api.counter(&agent, "v3", "call-next", json!({})).await;
    api.counter(&agent, "v3", "finish", json!({})).await;
    b.client.refresh().await.unwrap();
    b.wait_js(
        "document.body.dataset.survey === 'open'",
        10,
        "the survey form",
    )
    .await;
    let (status, body) = api
        .post(
            &format!("/tickets/{token}/survey"),
            None,
            json!({"overall": 4, "attention": 4, "clarity": 4, "wait_time": 4, "response_time": 4}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    for q in [
        "overall",
        "attention",
        "clarity",
        "wait_time",
        "response_time",
    ] {
        b.eval(&format!(
            "document.querySelector('input[name={q}][value=\"3\"]').click(), true"
        ))
        .await;
    }
    b.eval("document.querySelector('#survey-submit').click(), true")
        .await;
    b.wait_js(
        "document.body.dataset.survey === 'answered'",
        10,
        "the thank-you",
    )
    .await;
    assert!(
        b.text("#survey")
            .await
            .contains("Usted ya respondió la encuesta"),
        "{}",
        b.text("#survey").await
    );
    b.quit().await;
    drop(server);
}
