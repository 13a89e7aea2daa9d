//! Parsing and validating the TOML configuration, reporting every error with its line.
//!
//! This module reads the file and puts the parts together; each part is checked in its
//! own submodule: offices with their services, categories, counters and policy
//! (`office`), opening hours (`hours`), kiosks and their printers (`kiosks`), who may
//! issue turns (`ticketing`), the SMS gateway and texts (`notifications`), users
//! (`users`), the `[server]` table (`server`), and errors by line (`errors`).

mod alerts;
mod errors;
mod hours;
mod kiosks;
mod languages;
mod notifications;
mod office;
mod reasons;
mod server;
mod ticketing;
mod users;

#[cfg(test)]
mod notification_tests;
#[cfg(test)]
mod reason_tests;
#[cfg(test)]
mod screen_tests;
#[cfg(test)]
mod tests;

pub use errors::ConfigError;

use super::Config;
use errors::Errors;
use office::{office_spec, RawOffice};
use serde::Deserialize;
use server::RawServer;
use std::collections::HashSet;
use std::sync::Arc;
use toml::Spanned;
use users::{users, RawUser};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    server: RawServer,
    #[serde(default)]
    offices: Vec<Spanned<RawOffice>>,
    #[serde(default)]
    users: Vec<Spanned<RawUser>>,
}

/// Parses and validates a configuration; returns every error found, by line.
pub fn parse(text: &str) -> Result<Config, Vec<ConfigError>> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        });
        vec![ConfigError {
            line,
            message: e.message().trim().to_owned(),
        }]
    })?;
    let mut errors = Errors {
        text,
        list: Vec::new(),
    };
    let mut offices = Vec::new();
    let mut ticket_text = Vec::new();
    let mut kiosk_lists = Vec::new();
    let mut issuing = Vec::new();
    let mut notifications = Vec::new();
    let mut office_ids = HashSet::new();
    if raw.offices.is_empty() {
        errors.list.push(ConfigError {
            line: 0,
            message: "la configuración no define ninguna oficina ([[offices]])".into(),
        });
    }
    for office in &raw.offices {
        let o = office.get_ref();
        errors.slug(&o.id, "oficina");
        errors.unique(&mut office_ids, &o.id, "La oficina");
        let office_kiosks = kiosks::kiosks(&mut errors, o);
        issuing.push((o.id.get_ref().clone(), ticketing::issuing(&mut errors, o)));
        if !office_kiosks.is_empty() {
            kiosk_lists.push((o.id.get_ref().clone(), office_kiosks));
        }
        if let Some(spec) = office_spec(&mut errors, office) {
            ticket_text.push((
                spec.id.clone(),
                o.header_lines.clone(),
                o.footer_lines.clone(),
            ));
            notifications.push((
                spec.id.clone(),
                notifications::notifications(
                    &mut errors,
                    o.notifications.as_ref(),
                    &spec.languages,
                ),
            ));
            offices.push(Arc::new(spec));
        }
    }
    raw.server.check(&mut errors);
    let users = users(&mut errors, &raw.users, &office_ids);
    if !errors.list.is_empty() {
        errors.list.sort_by_key(|e| e.line);
        return Err(errors.list);
    }
    Ok(Config {
        offices,
        ticket_text,
        kiosks: kiosk_lists,
        issuing,
        notifications,
        users,
        server: raw.server.into_settings(),
        demo: false,
        demo_kiosk_token: None,
    })
}
