//! What an acknowledgement means with the Redis in use: read from its persistence settings
//! at start, said in the log, and a start refused when Redis could evict log keys.

use super::{unavailable, StoreError};
use redis::aio::ConnectionManager;

/// The persistence settings that decide what an acknowledged turn survives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Durability {
    /// `appendonly`: `yes` or `no`.
    pub appendonly: String,
    /// `appendfsync`: `always`, `everysec` or `no`.
    pub appendfsync: String,
    /// `maxmemory-policy`.
    pub maxmemory_policy: String,
    /// Replicas connected to this primary.
    pub replicas: u32,
}

async fn config(con: &mut ConnectionManager, name: &str) -> Result<String, StoreError> {
    let pair: Vec<String> = redis::cmd("CONFIG")
        .arg("GET")
        .arg(name)
        .query_async(con)
        .await
        .map_err(unavailable)?;
    Ok(pair.get(1).cloned().unwrap_or_default())
}

/// Reads the settings from the server.
pub(super) async fn read(con: &mut ConnectionManager) -> Result<Durability, StoreError> {
    let info: String = redis::cmd("INFO")
        .arg("replication")
        .query_async(con)
        .await
        .map_err(unavailable)?;
    let replicas = info
        .lines()
        .find_map(|l| l.strip_prefix("connected_slaves:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    Ok(Durability {
        appendonly: config(con, "appendonly").await?,
        appendfsync: config(con, "appendfsync").await?,
        maxmemory_policy: config(con, "maxmemory-policy").await?,
        replicas,
    })
}

impl Durability {
    /// What an acknowledgement means with these settings, for the log at start.
    pub fn meaning(&self) -> String {
        let disk = match (self.appendonly.as_str(), self.appendfsync.as_str()) {
            ("yes", "always") => "each acknowledged turn is on the Redis primary's disk (appendonly yes, appendfsync always)".to_owned(),
            ("yes", "everysec") => "up to one second of acknowledged turns can be lost if the Redis primary crashes (appendfsync everysec); use appendfsync always to lose none".to_owned(),
            ("yes", other) => format!("acknowledged turns reach the disk when the system flushes them (appendfsync {other}); a crash of the Redis host can lose them; use appendfsync always"),
            _ => "acknowledged turns live only in Redis's memory and its snapshots (appendonly no): a Redis crash loses those since the last snapshot; use appendonly yes with appendfsync always".to_owned(),
        };
        let replicas = if self.replicas > 0 {
            format!("; {} replica(s): replication is asynchronous, so a failover can lose acknowledged turns the replica had not yet received", self.replicas)
        } else {
            String::new()
        };
        format!("{disk}{replicas}")
    }

    /// Whether the settings promise that nothing acknowledged is lost by a Redis crash.
    pub fn is_strict(&self) -> bool {
        self.appendonly == "yes" && self.appendfsync == "always"
    }

    /// Refuses a policy that lets Redis evict keys without an expiry (the logs have none).
    pub fn refuse_if_unsafe(&self) -> anyhow::Result<()> {
        if self.maxmemory_policy.starts_with("allkeys-") {
            anyhow::bail!(
                "Redis tiene maxmemory-policy {}: podría borrar los registros de turnos cuando se llene la memoria. Use maxmemory-policy noeviction (o una política volatile-*) para Turnero",
                self.maxmemory_policy
            );
        }
        Ok(())
    }
}
