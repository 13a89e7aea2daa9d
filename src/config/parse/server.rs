//! The file's `[server]` table, read as given (flags and environment override it later).

use super::errors::Errors;
use crate::config::ServerFileSettings;
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawServer {
    bind: Option<String>,
    data: Option<String>,
    redis_url: Option<String>,
    secret: Option<String>,
    token_ttl_hours: Option<u32>,
    pub(super) public_url: Option<String>,
    retention_days: Option<u32>,
    redis_waitaof: Option<bool>,
    redis_waitaof_replicas: Option<u32>,
    #[serde(default)]
    frame_ancestors: Vec<Spanned<String>>,
    #[serde(default)]
    trusted_proxies: Vec<Spanned<String>>,
    max_screens_per_address: Option<u32>,
    max_screens_per_office: Option<u32>,
    max_connections: Option<Spanned<u32>>,
    #[serde(default)]
    allow_insecure_push_endpoints: bool,
}

/// Whether `origin` is one a Content-Security-Policy can name: `https://host[:port]` (or
/// `http://`), nothing that could end the header's directive.
fn is_origin(origin: &str) -> bool {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    rest.is_some_and(|host| {
        !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.:*".contains(&b))
    })
}

impl RawServer {
    /// Reports what is wrong in the table.
    pub(super) fn check(&self, errors: &mut Errors<'_>) {
        if let Some(max) = self.max_connections.as_ref().filter(|m| *m.get_ref() == 0) {
            errors.at(
                max,
                "max_connections: con 0 el servidor no atendería a nadie; escriba un número mayor o quite la línea para usar el límite de archivos abiertos",
            );
        }
        for proxy in &self.trusted_proxies {
            if proxy.get_ref().parse::<std::net::IpAddr>().is_err() {
                errors.at(
                    proxy,
                    format!(
                        "trusted_proxies: «{}» no es una dirección IP; escriba la del proxy, como «10.0.0.2»",
                        proxy.get_ref()
                    ),
                );
            }
        }
        for origin in &self.frame_ancestors {
            if !is_origin(origin.get_ref()) {
                errors.at(
                    origin,
                    format!(
                        "frame_ancestors: «{}» no es un origen; escriba como «https://intranet.ejemplo.gov»",
                        origin.get_ref()
                    ),
                );
            }
        }
    }

    /// The settings as the rest of the server takes them.
    pub(super) fn into_settings(self) -> ServerFileSettings {
        ServerFileSettings {
            bind: self.bind,
            data: self.data.map(Into::into),
            redis_url: self.redis_url,
            secret: self.secret,
            token_ttl_hours: self.token_ttl_hours,
            public_url: self.public_url,
            retention_days: self.retention_days,
            max_screens_per_address: self.max_screens_per_address,
            max_screens_per_office: self.max_screens_per_office,
            max_connections: self.max_connections.map(Spanned::into_inner),
            allow_insecure_push_endpoints: self.allow_insecure_push_endpoints,
            trusted_proxies: self
                .trusted_proxies
                .iter()
                .filter_map(|p| p.get_ref().parse().ok())
                .collect(),
            frame_ancestors: self
                .frame_ancestors
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
            redis_waitaof: match (self.redis_waitaof, self.redis_waitaof_replicas) {
                (Some(true), replicas) | (None, replicas @ Some(_)) => Some(replicas.unwrap_or(0)),
                _ => None,
            },
        }
    }
}
