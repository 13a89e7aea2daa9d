//! Errors by line: the public `ConfigError`, and the collector that turns a TOML span
//! into a line and checks slugs and repeated ids.

use std::collections::HashSet;
use std::fmt;
use toml::Spanned;

/// One problem in a configuration, with the line it is on (1-based; 0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Line in the file.
    pub line: usize,
    /// What is wrong, in a plain sentence.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "línea {}: {}", self.line, self.message)
        }
    }
}

/// Whether an id is a slug: `[a-z0-9_-]{1,32}`.
pub fn is_slug(s: &str) -> bool {
    (1..=32).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

pub(super) struct Errors<'a> {
    pub(super) text: &'a str,
    pub(super) list: Vec<ConfigError>,
}

impl Errors<'_> {
    fn line_of(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    pub(super) fn at<T>(&mut self, spanned: &Spanned<T>, message: impl Into<String>) {
        let line = self.line_of(spanned.span().start);
        self.list.push(ConfigError {
            line,
            message: message.into(),
        });
    }

    pub(super) fn slug(&mut self, id: &Spanned<String>, what: &str) {
        if !is_slug(id.get_ref()) {
            self.at(
                id,
                format!(
                    "el identificador de {what} «{}» solo puede tener minúsculas sin tildes, cifras, «_» y «-» (hasta 32)",
                    id.get_ref()
                ),
            );
        }
    }

    pub(super) fn unique<'s>(
        &mut self,
        seen: &mut HashSet<&'s str>,
        id: &'s Spanned<String>,
        what: &str,
    ) {
        if !seen.insert(id.get_ref()) {
            self.at(id, format!("{what} «{}» está repetido", id.get_ref()));
        }
    }
}
