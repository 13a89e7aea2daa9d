//! An office's languages (`languages = ["es", "en"]`, its own first) and the names of its
//! services and categories in them (`names = { en = "…" }`, `labels = { en = "…" }`).

use super::errors::Errors;
use crate::domain::Language;
use std::collections::BTreeMap;
use toml::Spanned;

/// The names of something in other languages, as written in the configuration.
pub(super) type RawTranslations = BTreeMap<Spanned<String>, Spanned<String>>;

/// The office's languages, checked: known, not repeated, at least one. Spanish alone
/// when the configuration says nothing.
pub(super) fn languages(
    errors: &mut Errors<'_>,
    raw: Option<&Spanned<Vec<Spanned<String>>>>,
) -> Vec<Language> {
    let Some(raw) = raw else {
        return vec![Language::Es];
    };
    let mut languages = Vec::new();
    for code in raw.get_ref() {
        match Language::from_code(code.get_ref()) {
            Some(l) if languages.contains(&l) => {
                errors.at(code, format!("el idioma «{}» está repetido", l.code()))
            }
            Some(l) => languages.push(l),
            None => errors.at(code, unknown(code.get_ref())),
        }
    }
    if raw.get_ref().is_empty() {
        errors.at(
            raw,
            "languages no puede estar vacío; ponga primero el idioma propio de la oficina, por ejemplo [\"es\"]",
        );
    }
    if languages.is_empty() {
        languages.push(Language::Es);
    }
    languages
}

/// The translations of a name, checked against the office's languages: each must be one
/// of them (other than its own, which is the name itself) and not empty.
pub(super) fn translations(
    errors: &mut Errors<'_>,
    raw: Option<&RawTranslations>,
    offered: &[Language],
    key: &str,
) -> Vec<(Language, String)> {
    let mut out = Vec::new();
    for (code, text) in raw.into_iter().flatten() {
        let Some(language) = Language::from_code(code.get_ref()) else {
            errors.at(code, unknown(code.get_ref()));
            continue;
        };
        if offered.first() == Some(&language) {
            errors.at(
                code,
                format!(
                    "{key} da un texto en «{}», el idioma propio de la oficina: ese texto es el nombre mismo; quítelo de {key}",
                    language.code()
                ),
            );
        } else if !offered.contains(&language) {
            errors.at(
                code,
                format!(
                    "{key} da un texto en «{}», que no está en los languages de la oficina; añádalo a languages o quite el texto",
                    language.code()
                ),
            );
        } else if text.get_ref().trim().is_empty() {
            errors.at(
                text,
                format!("{key}.{} no puede estar vacío", language.code()),
            );
        } else {
            out.push((language, text.get_ref().trim().to_owned()));
        }
    }
    out
}

fn unknown(code: &str) -> String {
    let known: Vec<_> = Language::ALL.iter().map(|l| l.code()).collect();
    format!(
        "el idioma «{code}» no está disponible; use uno de: {}",
        known.join(", ")
    )
}
