//! What the phone shows: a small JSON the service worker (`display/sw.js`) turns into a
//! notification, in the turn's language, with the same words the page itself says.

use super::Urgency;
use crate::domain::Language;
use crate::in_language;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Which moment of the turn the message tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushKind {
    /// The turn is near (the office's `notify_at_position`).
    Near,
    /// The turn is called to a counter.
    Called,
    /// The turn was called and nobody came.
    NoShow,
}

/// The message's JSON: `{"kind", "title", "body", "url", "lang"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushMessage {
    /// Which moment it tells.
    pub kind: PushKind,
    /// The notification's title.
    pub title: String,
    /// The notification's text.
    pub body: String,
    /// The turn's page (`/t/<token>`), opened when the notification is touched.
    pub url: String,
    /// The language of the words (the notification's `lang`).
    pub lang: String,
}

impl PushMessage {
    /// The turn `code` is near: `people` turns go before it.
    pub fn near(language: Language, token: &str, code: &str, people: u32) -> PushMessage {
        let (title, body) = in_language!(language, |m| m::push_near(code, people));
        Self::new(PushKind::Near, language, token, title, body)
    }

    /// The turn `code` is called to `counter` (its name, as the lobby says it).
    pub fn called(language: Language, token: &str, code: &str, counter: &str) -> PushMessage {
        let (title, body) = in_language!(language, |m| m::push_called(code, counter));
        Self::new(PushKind::Called, language, token, title, body)
    }

    /// The turn `code` is called again to `counter`: the same notification, more
    /// insistent.
    pub fn recalled(language: Language, token: &str, code: &str, counter: &str) -> PushMessage {
        let (title, body) = in_language!(language, |m| m::push_recalled(code, counter));
        Self::new(PushKind::Called, language, token, title, body)
    }

    /// The turn `code` was called and marked as not present.
    pub fn no_show(language: Language, token: &str, code: &str) -> PushMessage {
        let (title, body) = in_language!(language, |m| m::push_no_show(code));
        Self::new(PushKind::NoShow, language, token, title, body)
    }

    fn new(
        kind: PushKind,
        language: Language,
        token: &str,
        title: String,
        body: String,
    ) -> PushMessage {
        PushMessage {
            kind,
            title,
            body,
            url: format!("/t/{token}"),
            lang: language.code().to_owned(),
        }
    }

    /// How long the push service keeps it for a phone that is off: past that, the news
    /// would mislead (a "near" an hour late), so it is better dropped.
    pub fn ttl(&self) -> Duration {
        Duration::from_secs(match self.kind {
            PushKind::Near => 15 * 60,
            PushKind::Called => 10 * 60,
            PushKind::NoShow => 60 * 60,
        })
    }

    /// How soon a phone saving battery should be woken for it (RFC 8030 §5.3).
    pub fn urgency(&self) -> Urgency {
        match self.kind {
            PushKind::Called => Urgency::High,
            PushKind::Near | PushKind::NoShow => Urgency::Normal,
        }
    }

    /// The bytes that are encrypted and sent.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("strings always serialize")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_speaks_the_turns_language_and_links_its_page() {
        let near = PushMessage::near(Language::Es, "tok", "A-023", 2);
        assert_eq!(near.title, "Su turno está próximo");
        assert!(near.body.contains("A-023"), "{}", near.body);
        assert_eq!(near.url, "/t/tok");
        assert_eq!(near.lang, "es");
        let called = PushMessage::called(Language::En, "tok", "A-023", "Counter 3");
        assert_eq!(called.title, "You are being called: ticket A-023");
        assert!(called.body.contains("Counter 3"));
        assert_eq!(called.urgency(), Urgency::High);
        let again = PushMessage::recalled(Language::Es, "tok", "A-023", "Ventanilla 3");
        assert_eq!(
            again.kind,
            PushKind::Called,
            "shown as a call: it stays and vibrates"
        );
        assert!(again.title.contains("de nuevo"), "{}", again.title);
        let gone = PushMessage::no_show(Language::Es, "tok", "A-023");
        assert_eq!(gone.kind, PushKind::NoShow);
        let json: serde_json::Value = serde_json::from_slice(&gone.to_bytes()).unwrap();
        assert_eq!(json["kind"], "no_show");
        assert_eq!(json["url"], "/t/tok");
    }
}
