//! The file's `[server]` table, read as given (flags and environment override it later).

use crate::config::ServerFileSettings;
use serde::Deserialize;

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
}

impl RawServer {
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
            redis_waitaof: match (self.redis_waitaof, self.redis_waitaof_replicas) {
                (Some(true), replicas) | (None, replicas @ Some(_)) => Some(replicas.unwrap_or(0)),
                _ => None,
            },
        }
    }
}
