//! What an acknowledgement means with the Redis in use: read from its persistence settings
//! at start, said in the log, and a start refused when Redis could evict log keys.

use super::connection::Connection;
use super::{unavailable, StoreError};
use redis::Value;

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
    /// `redis_version` (the oldest, on a cluster).
    pub version: String,
}

/// `WAITAOF` after every batch: the append is acknowledged only once Redis has fsynced it
/// to its own AOF, and to `replicas` replicas' (Redis 7.2 or later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitAof {
    /// Replicas that must have fsynced it too.
    pub replicas: u32,
}

/// `7.0.15` → (7, 0).
fn major_minor(version: &str) -> (u32, u32) {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// A command's answer from every node it went to (a cluster answers per node).
fn per_node(answer: Value) -> Vec<Value> {
    match answer {
        Value::Map(nodes) => nodes.into_iter().map(|(_, v)| v).collect(),
        other => vec![other],
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
        Value::SimpleString(s) | Value::VerbatimString { text: s, .. } => s.clone(),
        _ => String::new(),
    }
}

/// A setting as every node has it (the weakest is what counts: see `read`).
async fn config(con: &mut Connection, name: &str) -> Result<Vec<String>, StoreError> {
    let answer: Value = redis::cmd("CONFIG")
        .arg("GET")
        .arg(name)
        .query_async(con)
        .await
        .map_err(unavailable)?;
    Ok(per_node(answer)
        .iter()
        .map(|pair| match pair {
            Value::Array(items) => items.get(1).map(text).unwrap_or_default(),
            Value::Map(items) => items.first().map(|(_, v)| text(v)).unwrap_or_default(),
            _ => String::new(),
        })
        .collect())
}

/// Reads the settings from the server (from every node of a cluster: a setting counts as
/// safe only if every node has it).
pub(super) async fn read(con: &mut Connection) -> Result<Durability, StoreError> {
    let info: Value = redis::cmd("INFO")
        .arg("replication")
        .query_async(con)
        .await
        .map_err(unavailable)?;
    let replicas = per_node(info)
        .iter()
        .filter_map(|node| {
            text(node)
                .lines()
                .find_map(|l| l.strip_prefix("connected_slaves:"))
                .and_then(|n| n.trim().parse::<u32>().ok())
        })
        .max()
        .unwrap_or(0);
    let weakest = |values: Vec<String>, strong: &str| {
        values
            .iter()
            .find(|v| *v != strong)
            .or(values.first())
            .cloned()
            .unwrap_or_default()
    };
    let server: Value = redis::cmd("INFO")
        .arg("server")
        .query_async(con)
        .await
        .map_err(unavailable)?;
    let version = per_node(server)
        .iter()
        .filter_map(|node| {
            text(node)
                .lines()
                .find_map(|l| l.strip_prefix("redis_version:"))
                .map(|v| v.trim().to_owned())
        })
        .min_by_key(|v| major_minor(v))
        .unwrap_or_default();
    let policies = config(con, "maxmemory-policy").await?;
    Ok(Durability {
        appendonly: weakest(config(con, "appendonly").await?, "yes"),
        appendfsync: weakest(config(con, "appendfsync").await?, "always"),
        maxmemory_policy: policies
            .iter()
            .find(|p| p.starts_with("allkeys-"))
            .or(policies.first())
            .cloned()
            .unwrap_or_default(),
        replicas,
        version,
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

    /// Whether `WAITAOF` can be asked of this Redis; if not, why, for the start's error.
    pub fn refuse_wait_aof(&self, wait: WaitAof, cluster: bool) -> anyhow::Result<()> {
        if cluster {
            anyhow::bail!(
                "redis_waitaof no se puede usar con Redis Cluster: use appendfsync always en cada primario"
            );
        }
        if major_minor(&self.version) < (7, 2) {
            anyhow::bail!(
                "redis_waitaof necesita Redis 7.2 o posterior y este Redis es {}: actualice Redis, o quite redis_waitaof y use appendfsync always",
                self.version
            );
        }
        if self.appendonly != "yes" {
            anyhow::bail!(
                "redis_waitaof necesita appendonly yes en Redis: sin archivo AOF no hay nada que esperar"
            );
        }
        if wait.replicas > self.replicas {
            tracing::warn!(wanted = wait.replicas, connected = self.replicas, "redis_waitaof_replicas asks for more replicas than are connected: every turn will be refused until they are");
        }
        Ok(())
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
