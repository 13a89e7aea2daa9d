//! The gateway's body and the messages' texts, filled in. Pure string work, so the
//! configuration check uses the same code as the sender.

/// The placeholders a message's text may hold.
pub const TEXT_PLACEHOLDERS: [&str; 4] = ["code", "counter", "office", "minutes"];

/// The placeholders a gateway body may hold.
pub const BODY_PLACEHOLDERS: [&str; 2] = ["phone", "text"];

/// What a message's placeholders stand for.
#[derive(Debug, Clone, Default)]
pub struct TextValues<'a> {
    /// `{code}`: the turn's code (`A-023`).
    pub code: &'a str,
    /// `{counter}`: the counter's name (empty before a call).
    pub counter: &'a str,
    /// `{office}`: the office's name.
    pub office: &'a str,
    /// `{minutes}`: minutes left to wait, rounded up.
    pub minutes: u32,
}

/// Replaces each `{name}` of `names` in one pass: a value that itself holds `{…}`
/// (a citizen's text never does, but an office's name might) is never filled in again.
fn fill(template: &str, names: &[&str], value: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name = after
            .find('}')
            .map(|close| &after[..close])
            .filter(|name| names.contains(name));
        match name {
            Some(name) => {
                out.push_str(&value(name));
                rest = &after[name.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `s` as it goes between a JSON string's quotes.
fn json_escaped(s: &str) -> String {
    let quoted = serde_json::Value::String(s.to_owned()).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

/// The gateway's body for one message: `{phone}` and `{text}` JSON-escaped (the template
/// puts them inside quotes).
pub fn render_body(template: &str, phone: &str, text: &str) -> String {
    fill(template, &BODY_PLACEHOLDERS, |name| match name {
        "phone" => json_escaped(phone),
        _ => json_escaped(text),
    })
}

/// A message's text for a turn.
pub fn render_text(template: &str, values: &TextValues<'_>) -> String {
    fill(template, &TEXT_PLACEHOLDERS, |name| match name {
        "code" => values.code.to_owned(),
        "counter" => values.counter.to_owned(),
        "office" => values.office.to_owned(),
        _ => values.minutes.to_string(),
    })
}

/// The `{name}`s of a template that are not among `known` (a mistyped `{codigo}` would
/// reach citizens as it is written).
pub fn unknown_placeholders(template: &str, known: &[&str]) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        let looks_like_one =
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if looks_like_one && !known.contains(&name) {
            unknown.push(format!("{{{name}}}"));
        }
        rest = if looks_like_one {
            &after[close + 1..]
        } else {
            after
        };
    }
    unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_escapes_what_a_text_may_hold() {
        let body = render_body(
            r#"{"to": "{phone}", "text": "{text}"}"#,
            "+573001234567",
            "Turnero: \"A-001\", pase a la\nventanilla \\ 3 {phone}",
        );
        let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["to"], "+573001234567");
        assert_eq!(
            parsed["text"], "Turnero: \"A-001\", pase a la\nventanilla \\ 3 {phone}",
            "a placeholder inside a value is not filled in again"
        );
    }

    #[test]
    fn the_body_keeps_json_braces_and_other_fields() {
        let body = render_body(
            r#"{"messaging_product": "whatsapp", "to": "{phone}", "text": {"body": "{text}"}}"#,
            "+34600111222",
            "ñandú — ok",
        );
        let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["text"]["body"], "ñandú — ok");
        assert_eq!(parsed["messaging_product"], "whatsapp");
    }

    #[test]
    fn texts_fill_every_placeholder_once() {
        let text = render_text(
            "{office}: {code}, pase a {counter} ({minutes} min) {unknown}",
            &TextValues {
                code: "A-023",
                counter: "Ventanilla {code}",
                office: "Oficina Central",
                minutes: 4,
            },
        );
        assert_eq!(
            text,
            "Oficina Central: A-023, pase a Ventanilla {code} (4 min) {unknown}"
        );
    }

    #[test]
    fn unknown_placeholders_are_found() {
        assert_eq!(
            unknown_placeholders("{codigo} y {code} {", &TEXT_PLACEHOLDERS),
            vec!["{codigo}"]
        );
        assert!(unknown_placeholders(r#"{"to": "{phone}"}"#, &BODY_PLACEHOLDERS).is_empty());
    }
}
