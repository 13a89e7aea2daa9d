//! The lobby TV shows and says every call, also when several come together: the newest
//! on the main card, the one before it on the "También llamado" card for a few seconds,
//! each in the live region for screen readers; one chime for a burst, then every call;
//! Turnero's recorded clips when the browser has no Spanish voice.

use crate::axe::{axe_available, violations};
use crate::harness::{
    browser_available, demo_config_file, free_port, Api, Browser, Server, ONE_AT_A_TIME,
};
use crate::screenshots::assert_fits;
use serde_json::{json, Value};
use std::time::Duration;

const LONG_COUNTER: &str = "Ventanilla de Atención Preferencial Número 12";

/// Records what the page plays, installed before its scripts run: the chime's
/// oscillators, each clip started (by the URL it was fetched from, with its start time
/// on the audio clock and its length) and each utterance given to speechSynthesis.
/// `voices` is what `speechSynthesis.getVoices()` answers; `languages`, when given, is
/// put in the office's answer (`GET /offices/central`) as its `languages`.
fn recorder(voices: Value, languages: Option<Value>) -> String {
    let languages = languages.map_or("null".to_owned(), |l| l.to_string());
    format!(
        r#"(() => {{
  const log = window.__audio = {{ oscillators: [], clips: [], utterances: [] }};
  const voices = {voices};
  const languages = {languages};
  const fetched = window.fetch;
  window.fetch = async (url, ...rest) => {{
    const response = await fetched(url, ...rest);
    if (!languages || !String(url).endsWith("/api/v1/offices/central")) return response;
    const office = await response.json();
    return new Response(JSON.stringify({{ ...office, languages }}), {{ status: 200, headers: {{ "content-type": "application/json" }} }});
  }};
  speechSynthesis.getVoices = () => voices;
  speechSynthesis.speak = (u) => {{
    if (u.text.trim()) log.utterances.push({{ text: u.text, lang: u.lang }});
    setTimeout(() => u.onend && u.onend(), 40);
  }};
  const names = new WeakMap();
  const arrayBuffer = Response.prototype.arrayBuffer;
  Response.prototype.arrayBuffer = async function () {{
    const bytes = await arrayBuffer.call(this);
    names.set(bytes, this.url);
    return bytes;
  }};
  const decode = BaseAudioContext.prototype.decodeAudioData;
  BaseAudioContext.prototype.decodeAudioData = function (bytes, ...rest) {{
    const url = names.get(bytes);
    return decode.call(this, bytes, ...rest).then((buffer) => {{ names.set(buffer, url); return buffer; }});
  }};
  const start = AudioBufferSourceNode.prototype.start;
  AudioBufferSourceNode.prototype.start = function (when, ...rest) {{
    const url = names.get(this.buffer) || "?";
    log.clips.push({{ clip: url.replace(/^.*\/audio\//, ""), when: when || 0, length: this.buffer.duration }});
    return start.call(this, when, ...rest);
  }};
  const oscillator = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (when, ...rest) {{
    log.oscillators.push(when || 0);
    return oscillator.call(this, when, ...rest);
  }};
}})();"#
    )
}

/// How many chimes the oscillators made: one chime is a few tones within a second.
fn chimes(log: &Value) -> usize {
    let mut times: Vec<f64> = log["oscillators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_f64().unwrap())
        .collect();
    times.sort_by(f64::total_cmp);
    times.windows(2).filter(|w| w[1] - w[0] > 1.0).count() + usize::from(!times.is_empty())
}

/// The clips of "Turno A {n}, diríjase a la ventanilla {counter}." as the Spanish
/// manifest names them.
fn clips_of(number: &str, counter: &str) -> Vec<String> {
    ["turno", "a", number, "dirijase-a-la", "ventanilla", counter]
        .iter()
        .map(|w| format!("es/{w}.opus"))
        .collect()
}

/// A display with the recorder in place, the office's board loaded.
async fn display(b: &Browser, base: &str, voices: Value, languages: Option<Value>) {
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": recorder(voices, languages) }),
    )
    .await;
    b.client
        .goto(&format!("{base}/display/central"))
        .await
        .unwrap();
    b.viewport(1920, 1080, false).await;
    b.wait_js(
        "document.querySelectorAll('#waiting li').length === 3 && document.querySelector('#voice').textContent",
        10,
        "the display and its voice line",
    )
    .await;
    assert_eq!(
        b.eval("document.querySelector('#sound').hidden").await,
        json!(true),
        "sound is on (autoplay allowed), so the playing path is the one tested"
    );
}

/// Agents at `counters` open them; each then calls the next turn.
async fn agents(api: &Api, counters: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (user, counter) in counters {
        let token = api.login(user).await;
        api.counter(&token, counter, "open", json!({})).await;
        out.push((token, counter.to_string()));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_calls_300_ms_apart_are_both_seen_and_both_in_the_live_region() {
    let name = "two_calls_300_ms_apart_are_both_seen_and_both_in_the_live_region";
    if !browser_available(name) {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let config = demo_config_file(dir.path(), "");
    let config_text = std::fs::read_to_string(&config).unwrap().replacen(
        "name = \"Ventanilla 1\"",
        &format!("name = \"{LONG_COUNTER}\""),
        1,
    );
    std::fs::write(&config, config_text).unwrap();
    let server = Server::start_with(&dir.path().join("data"), free_port(), Some(&config));
    let base = server.address.clone();
    let api = Api::new(&base);
    let kiosk = api.login("agente4").await;
    for _ in 0..4 {
        let (status, _) = api
            .post(
                "/offices/central/tickets",
                Some(&kiosk),
                json!({"service": "registro"}),
            )
            .await;
        assert_eq!(status, 201);
    }
    let at = agents(&api, &[("agente1", "v1"), ("agente2", "v2")]).await;
    let b = Browser::start().await;
    // An office that speaks Spanish only (the demo also speaks English).
    display(&b, &base, json!([]), Some(json!(["es"]))).await;

    api.counter(&at[0].0, "v1", "call-next", json!({})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    api.counter(&at[1].0, "v2", "call-next", json!({})).await;
    b.wait_js(
        "document.querySelector('#now').dataset.code === 'A-002' && document.querySelector('#also').dataset.code === 'A-001'",
        5,
        "the newest call on the main card, the one before on the 'also' card",
    )
    .await;
    assert_eq!(b.text("#now-counter").await, "Ventanilla 2");
    assert_eq!(b.text("#also-label").await, "También llamado");
    assert_eq!(b.text("#also-counter").await, LONG_COUNTER);
    let live = b
        .eval("[...document.querySelectorAll('#announce > *')].map((p) => p.textContent)")
        .await;
    assert_eq!(
        live,
        json!([
            "Turno A uno, diríjase a la ventanilla de Atención Preferencial Número doce.",
            "Turno A dos, diríjase a la ventanilla dos."
        ]),
        "each call is added to the live region, after the one before"
    );
    let region = b
        .eval("(() => { const r = document.querySelector('#announce'); return [r.getAttribute('role'), r.getAttribute('aria-live'), r.getAttribute('aria-atomic')]; })()")
        .await;
    assert_eq!(region, json!(["log", "assertive", "false"]));
    // The card is not in the history list too.
    assert!(!b.text("#history").await.contains("A-001"));
    for (w, h) in [(1280, 720), (1366, 768), (1920, 1080), (3840, 2160)] {
        b.viewport(w, h, false).await;
        assert_fits(&b, &format!("two calls {w}x{h}"), false).await;
        let inside = b
            .eval("(() => { const a = document.querySelector('#also').getBoundingClientRect(); return a.top >= 0 && a.bottom <= innerHeight && a.right <= innerWidth; })()")
            .await;
        assert_eq!(
            inside,
            json!(true),
            "{w}x{h}: the 'also' card is on the screen"
        );
    }
    b.viewport(1920, 1080, false).await;
    b.screenshot("display-1920x1080-two-calls").await;
    b.viewport(1280, 720, false).await;
    b.screenshot("display-1280x720-two-calls").await;
    if axe_available(name) {
        let found = violations(&b, "display with two calls").await;
        assert!(found.is_empty(), "{found:#?}");
    }

    // After about ten seconds the card goes back into the history.
    b.wait_js(
        "document.querySelector('#also').hidden && document.querySelector('#history').textContent.includes('A-001')",
        15,
        "the 'also' card back in the history",
    )
    .await;
    b.screenshot("display-1280x720-two-calls-later").await;
    b.quit().await;
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_spanish_voice_a_burst_is_one_chime_and_every_call_in_recorded_clips() {
    let name = "without_a_spanish_voice_a_burst_is_one_chime_and_every_call_in_recorded_clips";
    if !browser_available(name) {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let config = demo_config_file(dir.path(), "");
    let server = Server::start_with(&dir.path().join("data"), free_port(), Some(&config));
    let base = server.address.clone();
    let api = Api::new(&base);
    let token = api.login("agente4").await;
    for _ in 0..4 {
        api.post(
            "/offices/central/tickets",
            Some(&token),
            json!({"service": "registro"}),
        )
        .await;
    }
    let at = agents(
        &api,
        &[("agente1", "v1"), ("agente2", "v2"), ("agente4", "v4")],
    )
    .await;
    let b = Browser::start().await;
    // Only an English voice: none for Spanish, as on a Linux kiosk TV.
    display(
        &b,
        &base,
        json!([{"name": "English Test", "lang": "en-US", "localService": true, "default": true, "voiceURI": "en"}]),
        // An office that speaks Spanish only (the demo also speaks English).
        Some(json!(["es"])),
    )
    .await;
    assert_eq!(b.text("#voice").await, "Voz: grabaciones de Turnero");

    // One call alone: chime, then its clips, in order.
    api.counter(&at[0].0, "v1", "call-next", json!({})).await;
    b.wait_js(
        "window.__audio.clips.length >= 6",
        15,
        "the first call's clips",
    )
    .await;
    let log = b.eval("window.__audio").await;
    let played: Vec<String> = log["clips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["clip"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        played,
        clips_of("uno", "uno"),
        "Turno A uno, diríjase a la ventanilla uno"
    );
    assert_eq!(chimes(&log), 1);
    assert_eq!(log["utterances"], json!([]), "no voice was asked to speak");
    // Back to back on the audio clock: each clip starts when the one before ends, give or
    // take the short pause the player puts between words and after a comma.
    let clips = log["clips"].as_array().unwrap();
    for pair in clips.windows(2) {
        let end = pair[0]["when"].as_f64().unwrap() + pair[0]["length"].as_f64().unwrap();
        let gap = pair[1]["when"].as_f64().unwrap() - end;
        assert!(
            (0.0..0.35).contains(&gap),
            "a gap of {gap} s between clips: {pair:?}"
        );
    }
    // Wait for it to finish (calls made while it still speaks would join it), then a
    // burst of three.
    tokio::time::sleep(Duration::from_secs(7)).await;
    b.eval("(window.__audio.oscillators = [], window.__audio.clips = [], true)")
        .await;
    api.counter(&at[0].0, "v1", "finish", json!({})).await;
    for (token, counter) in &at {
        api.counter(token, counter, "call-next", json!({})).await;
    }
    b.wait_js("window.__audio.clips.length >= 18", 30, "the burst's clips")
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let log = b.eval("window.__audio").await;
    assert_eq!(chimes(&log), 1, "one chime for the burst: {log}");
    let played: Vec<String> = log["clips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["clip"].as_str().unwrap().to_owned())
        .collect();
    let mut expected = clips_of("dos", "uno");
    expected.extend(clips_of("tres", "dos"));
    expected.extend(clips_of("cuatro", "cuatro"));
    assert_eq!(
        played, expected,
        "every call of the burst, in the order made"
    );
    // Shortened: the calls follow one another without a chime or a long pause.
    let clips = log["clips"].as_array().unwrap();
    for call in [6, 12] {
        let end =
            clips[call - 1]["when"].as_f64().unwrap() + clips[call - 1]["length"].as_f64().unwrap();
        let gap = clips[call]["when"].as_f64().unwrap() - end;
        assert!(gap < 0.8, "{gap} s between two calls of a burst");
    }
    b.quit().await;
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_spanish_voice_the_tv_names_it_and_speaks_with_it() {
    let name = "with_a_spanish_voice_the_tv_names_it_and_speaks_with_it";
    if !browser_available(name) {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let api = Api::new(&base);
    api.issue("registro", "general").await;
    api.issue("registro", "general").await;
    let at = agents(&api, &[("agente1", "v1"), ("agente2", "v2")]).await;
    let b = Browser::start().await;
    display(
        &b,
        &base,
        json!([
            {"name": "English Test", "lang": "en-US", "localService": true, "default": true, "voiceURI": "en"},
            {"name": "Spanish Spain", "lang": "es-ES", "localService": true, "default": false, "voiceURI": "es-es"},
            {"name": "Microsoft Sabina", "lang": "es-MX", "localService": true, "default": false, "voiceURI": "es-mx"}
        ]),
        // An office that also speaks English. Without an English pack (i18n/en.js),
        // packFor("en") is Spanish, and Spanish is said once; with one, each call is
        // said in Spanish, then in English with the English voice.
        Some(json!(["es", "en"])),
    )
    .await;
    let english = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             import('/assets/js/i18n.js').then((m) => done(m.packFor('en') !== m.packFor('es')));",
            vec![],
        )
        .await
        .unwrap()
        == json!(true);
    let line = b.text("#voice").await;
    if english {
        assert_eq!(
            line,
            "Voz: es: Microsoft Sabina (es-MX) · en: English Test (en-US)"
        );
    } else {
        assert_eq!(
            line, "Voz: Microsoft Sabina (es-MX)",
            "the Latin American voice first, named for staff"
        );
    }
    for (token, counter) in &at {
        api.counter(token, counter, "call-next", json!({})).await;
    }
    let said = if english { 4 } else { 2 };
    b.wait_js(
        &format!("window.__audio.utterances.length >= {said}"),
        20,
        "the utterances",
    )
    .await;
    let log = b.eval("window.__audio").await;
    let utterances = log["utterances"].as_array().unwrap();
    let spanish: Vec<&Value> = utterances.iter().filter(|u| u["lang"] == "es-MX").collect();
    assert_eq!(
        spanish,
        [
            &json!({"text": "Turno A uno, diríjase a la ventanilla uno.", "lang": "es-MX"}),
            &json!({"text": "Turno A dos, diríjase a la ventanilla dos.", "lang": "es-MX"}),
        ]
    );
    if english {
        let langs: Vec<&str> = utterances
            .iter()
            .map(|u| u["lang"].as_str().unwrap())
            .collect();
        assert_eq!(
            langs,
            ["es-MX", "en-US", "es-MX", "en-US"],
            "each call in each language in turn"
        );
    } else {
        assert_eq!(utterances.len(), 2, "Spanish once: {utterances:?}");
    }
    assert_eq!(chimes(&log), 1, "one chime for both");
    assert_eq!(log["clips"], json!([]), "no clip when a voice speaks");
    // The line is small, under the last calls: it covers neither the calls nor the counts.
    for (w, h) in [(1280, 720), (3840, 2160)] {
        b.viewport(w, h, false).await;
        assert_fits(&b, &format!("voice line {w}x{h}"), false).await;
        let covered = b
            .eval("(() => { const v = document.querySelector('#voice').getBoundingClientRect();
                return [...document.querySelectorAll('#waiting li, #now, #history li, #also')].some((e) => { const r = e.getBoundingClientRect();
                  return v.left < r.right && r.left < v.right && v.top < r.bottom && r.top < v.bottom; }) || v.bottom > innerHeight; })()")
            .await;
        assert_eq!(
            covered,
            json!(false),
            "{w}x{h}: the voice line covers something"
        );
    }
    b.viewport(1280, 720, false).await;
    b.screenshot("display-1280x720-voice-line").await;
    b.quit().await;
    drop(server);
}

/// The words of a sentence become the clips of its language's manifest: phrases first,
/// every letter and number, and a counter named with words that have no clip said by
/// its number.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sentence_becomes_the_clips_of_its_words() {
    if !browser_available("a_sentence_becomes_the_clips_of_its_words") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let b = Browser::start().await;
    b.client
        .goto(&format!("{}/", server.address))
        .await
        .unwrap();
    let said = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             Promise.all([import('/assets/js/clips.js'), import('/assets/i18n/es.js'),
                          fetch('/assets/audio/es/manifest.json').then((r) => r.json()),
                          fetch('/assets/audio/en/manifest.json').then((r) => r.json())])
               .then(([clips, es, manifest, english]) => {
                 const words = (s, m = manifest) => clips.clipSequence(s, m).map((c) => c.word).join(' / ');
                 const call = (code, counter_name, recall = false) => words(es.spokenCall({ code, counter_name, recall }));
                 done({
                   plain: call('A-023', 'Ventanilla 3'),
                   recall: call('B-007', 'Módulo 12', true),
                   letters: call('VW-1999', 'Caja 2'),
                   unknown: call('C-100', 'Sala de Lactancia 2'),
                   none: call('C-101', 'Mostrador de informes'),
                   english: words('Ticket A twenty-three, please go to counter three.', english),
                   missing: [...new Set(Object.values(manifest.words))].length === Object.keys(manifest.words).length,
                 });
               });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        said,
        json!({
            "plain": "turno / a / veintitrés / diríjase a la / ventanilla / tres",
            "recall": "nuevo llamado / turno / be / siete / diríjase al / módulo / doce",
            "letters": "turno / ve / doble ve / mil / novecientos / noventa / y / nueve / diríjase a la / caja / dos",
            "unknown": "turno / ce / cien / diríjase a la / dos",
            "none": "turno / ce / ciento / uno",
            "english": "ticket / a / twenty / three / please go to / counter / three",
            "missing": true,
        })
    );
    // Every file the manifests name is served.
    for lang in ["es", "en"] {
        let manifest: serde_json::Value = reqwest::get(format!(
            "{}/assets/audio/{lang}/manifest.json",
            server.address
        ))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        for file in manifest["words"].as_object().unwrap().values() {
            let url = format!(
                "{}/assets/audio/{lang}/{}",
                server.address,
                file.as_str().unwrap()
            );
            let response = reqwest::get(&url).await.unwrap();
            assert_eq!(response.status(), 200, "{url}");
            assert_eq!(response.headers()["content-type"], "audio/ogg", "{url}");
        }
    }
    b.quit().await;
    drop(server);
}
