//! `[offices.notifications]`: a gateway with its secret from the environment, texts in
//! two languages, a VAPID key that reads, and every mistake reported on its line in
//! Spanish.

use super::*;
use crate::config::notifications::{GatewayMethod, DEFAULT_GATEWAY_BODY};
use crate::domain::Language;

fn with(table: &str) -> String {
    format!(
        "{}\n[offices.notifications]\n{table}",
        super::super::DEMO_TOML
    )
}

fn errors_of(table: &str) -> Vec<ConfigError> {
    parse(&with(table)).err().unwrap_or_default()
}

#[test]
fn the_demo_sends_nothing() {
    let c = parse(super::super::DEMO_TOML).unwrap();
    let n = c.notifications("central");
    assert!(!n.sms() && !n.web_push());
    assert_eq!(
        n.texts_in(Language::Es).near,
        "Turnero: su turno {code} está próximo. Acérquese a la sala."
    );
}

#[test]
fn a_gateway_with_a_secret_from_the_environment_and_texts_in_two_languages() {
    std::env::set_var("TURNERO_PARSE_TEST_TOKEN", "Bearer abc");
    let c = parse(&with(
        r#"gateway_url = "https://sms.example.net/v1/send"
gateway_method = "put"
gateway_headers = { Authorization = "env:TURNERO_PARSE_TEST_TOKEN", X-Account = "oficina-1" }
gateway_body = '{"number": "{phone}", "message": {"body": "{text}"}}'
texts = { near = "{office}: {code} en unos {minutes} minutos." }
texts_in.en = { called = "{code}: go to {counter}." }
vapid_private_key = "RS0WdYWWo1HajXg3NZR1olzCf31i-ZBGDkFyCs7j1jw"
vapid_subject = "mailto:soporte@example.net"
"#,
    ))
    .unwrap_or_else(|e| panic!("{e:?}"));
    let n = c.notifications("central");
    let g = n.gateway.as_ref().unwrap();
    assert_eq!(g.url, "https://sms.example.net/v1/send");
    assert_eq!(g.method, GatewayMethod::Put);
    let headers: Vec<_> = g
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.0.as_str()))
        .collect();
    assert_eq!(
        headers,
        [("Authorization", "Bearer abc"), ("X-Account", "oficina-1")]
    );
    assert!(
        !format!("{g:?}").contains("Bearer abc"),
        "secrets never print"
    );
    assert_eq!(
        n.texts_in(Language::Es).near,
        "{office}: {code} en unos {minutes} minutos."
    );
    assert_eq!(
        n.texts_in(Language::Es).called,
        "Turnero: {code}, pase a {counter}."
    );
    assert_eq!(n.texts_in(Language::En).called, "{code}: go to {counter}.");
    assert!(n
        .texts_in(Language::En)
        .near
        .starts_with("Turnero: your turn"));
    assert!(n.web_push() && n.sms());
    assert_eq!(
        n.vapid_subject.as_deref(),
        Some("mailto:soporte@example.net")
    );
}

#[test]
fn the_default_body_is_api_md_s() {
    let c = parse(&with("gateway_url = \"http://127.0.0.1:9000/sms\"\n")).unwrap();
    let g = c.notifications("central").gateway.clone().unwrap();
    assert_eq!(g.body, DEFAULT_GATEWAY_BODY);
    assert_eq!(g.method, GatewayMethod::Post);
}

#[test]
fn mistakes_are_reported_on_their_line() {
    let line = |table: &str| {
        let errors = errors_of(table);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = &errors[0];
        assert!(e.line > 90, "{e:?}");
        e.message.clone()
    };
    assert!(line("gateway_url = \"ftp://sms.example.net\"\n").contains("http:// o https://"));
    assert!(
        line("gateway_url = \"https://a.example\"\ngateway_method = \"GET\"\n").contains("POST")
    );
    assert!(line("gateway_url = \"https://a.example\"\ngateway_headers = { Authorization = \"env:TURNERO_NO_SUCH_VARIABLE_42\" }\n")
        .contains("TURNERO_NO_SUCH_VARIABLE_42"));
    assert!(line("gateway_url = \"https://a.example\"\ngateway_body = '{\"to\": {phone}, \"text\": \"{text}\"}'\n")
        .contains("JSON"));
    assert!(
        line("gateway_url = \"https://a.example\"\ngateway_body = '{\"text\": \"{text}\"}'\n")
            .contains("{phone}")
    );
    assert!(line("texts = { near = \"Su turno {codigo}\" }\n").contains("{codigo}"));
    assert!(line("texts_in.fr = { near = \"Votre tour {code}\" }\n").contains("no ofrece"));
    assert!(
        line("gateway_body = '{\"to\": \"{phone}\", \"text\": \"{text}\"}'\n")
            .contains("sin gateway_url")
    );
    assert!(line("vapid_subject = \"soporte@example.net\"\n").contains("mailto:"));
    assert!(
        line("vapid_private_key = \"clave\"\nvapid_subject = \"mailto:a@example.net\"\n")
            .contains("turnero new-vapid-keys")
    );
    assert!(
        line("vapid_private_key = \"RS0WdYWWo1HajXg3NZR1olzCf31i-ZBGDkFyCs7j1jw\"\n")
            .contains("falta vapid_subject")
    );
    let unknown = errors_of("gateway_adress = \"https://a.example\"\n");
    assert!(!unknown.is_empty(), "a mistyped key is not ignored");
}

#[test]
fn a_vapid_key_from_the_environment_may_be_a_pem() {
    use web_push_native::p256::pkcs8::{EncodePrivateKey, LineEnding};
    let keys = crate::webpush::VapidKeys::generate();
    let secret = web_push_native::p256::SecretKey::from_slice(&{
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(keys.private_base64url())
            .unwrap()
    })
    .unwrap();
    let pem = secret.to_pkcs8_pem(LineEnding::LF).unwrap();
    std::env::set_var("TURNERO_PARSE_TEST_VAPID_PEM", pem.as_str());
    let c = parse(&with(
        "vapid_private_key = \"env:TURNERO_PARSE_TEST_VAPID_PEM\"\nvapid_subject = \"https://turnos.example.net\"\n",
    ))
    .unwrap_or_else(|e| panic!("{e:?}"));
    let key = c
        .notifications("central")
        .vapid_private_key
        .clone()
        .unwrap();
    assert_eq!(
        crate::webpush::VapidKeys::parse(&key.0)
            .unwrap()
            .public_base64url(),
        keys.public_base64url()
    );
}
