//! The languages Turnero speaks, and which one a person gets: an office offers some of
//! them (its first is its own), a browser asks for some (`Accept-Language`), and the
//! best match wins, else the office's own.

use serde::{Deserialize, Serialize};

/// A language with a full catalogue of texts (screens, tickets, speech, API messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Spanish (Latin American usage, "usted").
    Es,
    /// English.
    En,
}

impl Language {
    /// Every language with a catalogue, Spanish first.
    pub const ALL: [Language; 2] = [Language::Es, Language::En];

    /// The ISO 639-1 code (`es`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Language::Es => "es",
            Language::En => "en",
        }
    }

    /// The language of exactly its code (`en`), as a configuration writes it.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language of a code or a language tag (`en`, `en-US`, `es_419`), any case.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.split(['-', '_']).next().unwrap_or("").trim();
        Language::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// The language to answer in: the first of `offered` that an `Accept-Language`
    /// header prefers (by its q-values, ties in the header's order), else `offered[0]`
    /// (Spanish when `offered` is empty).
    pub fn negotiate(accept_language: Option<&str>, offered: &[Language]) -> Language {
        let fallback = offered.first().copied().unwrap_or(Language::Es);
        let Some(header) = accept_language else {
            return fallback;
        };
        let mut best: Option<(f32, Language)> = None;
        for part in header.split(',').take(20) {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            // q=0 refuses a language; a q that is not a number counts as no preference.
            if q.is_nan() || q <= 0.0 {
                continue;
            }
            let found = if tag == "*" {
                // Any language: the first offered one the header does not refuse.
                offered.iter().copied().find(|l| !refused(header, *l))
            } else {
                Language::from_tag(tag).filter(|l| offered.contains(l))
            };
            if let Some(language) = found {
                if best.is_none_or(|(best_q, _)| q > best_q) {
                    best = Some((q, language));
                }
            }
        }
        best.map_or(fallback, |(_, language)| language)
    }
}

/// Whether an `Accept-Language` header refuses a language outright (`en;q=0`).
fn refused(header: &str, language: Language) -> bool {
    header.split(',').any(|part| {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim();
        Language::from_tag(tag) == Some(language)
            && pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .any(|q| q.trim().parse::<f32>().is_ok_and(|q| q == 0.0))
    })
}

#[cfg(test)]
mod tests {
    use super::Language::{self, En, Es};

    #[test]
    fn tags_name_their_language() {
        assert_eq!(Language::from_tag("en-US"), Some(En));
        assert_eq!(Language::from_tag("ES_419"), Some(Es));
        assert_eq!(Language::from_tag("pt-BR"), None);
        assert_eq!(Language::from_tag(""), None);
    }

    #[test]
    fn the_browser_s_preference_among_what_the_office_offers() {
        let both = [Es, En];
        assert_eq!(Language::negotiate(None, &both), Es);
        assert_eq!(Language::negotiate(Some("en-US,en;q=0.9"), &both), En);
        assert_eq!(Language::negotiate(Some("en"), &[Es]), Es, "not offered");
        assert_eq!(Language::negotiate(Some("fr, en;q=0.5"), &both), En);
        assert_eq!(Language::negotiate(Some("en;q=0.4, es;q=0.8"), &both), Es);
        assert_eq!(
            Language::negotiate(Some("en;q=0"), &[En, Es]),
            En,
            "refused: the office's own"
        );
        assert_eq!(Language::negotiate(Some("*"), &[En, Es]), En);
        assert_eq!(
            Language::negotiate(Some("es;q=0, *"), &both),
            En,
            "any but Spanish"
        );
        assert_eq!(Language::negotiate(Some(";;;,q=x,"), &both), Es);
        assert_eq!(Language::negotiate(Some("en"), &[]), Es);
    }
}
