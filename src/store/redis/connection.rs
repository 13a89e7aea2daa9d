//! The connections the Redis store uses, to one Redis or to a Redis Cluster: commands on
//! one multiplexed connection that reconnects by itself, blocking reads on their own.

use super::{unavailable, StoreError, OP_TIMEOUT};
use redis::aio::{
    ConnectionLike, ConnectionManager, ConnectionManagerConfig, MultiplexedConnection,
};
use redis::cluster_async::ClusterConnection;
use redis::{Cmd, Pipeline, RedisFuture, Value};
use std::time::Duration;

/// Where the store's Redis is: `redis://host:port/db`, or a cluster as
/// `redis+cluster://host:port,host:port,…` (any of its primaries; the rest are found).
pub enum Target {
    /// One Redis (a primary, perhaps with replicas).
    Single(redis::Client),
    /// A Redis Cluster.
    Cluster(Box<redis::cluster::ClusterClient>),
}

impl Target {
    /// Parses the URL.
    pub fn parse(url: &str) -> redis::RedisResult<Target> {
        match url.strip_prefix("redis+cluster://") {
            Some(nodes) => {
                let nodes: Vec<String> = nodes
                    .trim_end_matches('/')
                    .split(',')
                    .map(|n| format!("redis://{}", n.trim()))
                    .collect();
                redis::cluster::ClusterClient::builder(nodes)
                    .connection_timeout(OP_TIMEOUT)
                    .response_timeout(OP_TIMEOUT)
                    .build()
                    .map(|c| Target::Cluster(Box::new(c)))
            }
            None => redis::Client::open(url).map(Target::Single),
        }
    }

    /// The connection for commands.
    pub async fn commands(&self) -> Result<Connection, StoreError> {
        match self {
            Target::Single(client) => {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(OP_TIMEOUT))
                    .set_response_timeout(Some(OP_TIMEOUT))
                    .set_number_of_retries(2)
                    .set_max_delay(Duration::from_millis(500));
                client
                    .get_connection_manager_with_config(config)
                    .await
                    .map(Connection::Manager)
            }
            Target::Cluster(client) => client.get_async_connection().await.map(Connection::Cluster),
        }
        .map_err(unavailable)
    }

    /// A connection of its own for a blocking read (no response timeout: the read says how
    /// long it blocks).
    pub async fn blocking(&self) -> Result<Connection, StoreError> {
        match self {
            Target::Single(client) => {
                let config = redis::AsyncConnectionConfig::new()
                    .set_connection_timeout(Some(OP_TIMEOUT))
                    .set_response_timeout(None);
                client
                    .get_multiplexed_async_connection_with_config(&config)
                    .await
                    .map(Connection::Multiplexed)
            }
            Target::Cluster(client) => {
                let config = redis::cluster::ClusterConfig::new()
                    .set_connection_timeout(OP_TIMEOUT)
                    .set_response_timeout(Duration::from_secs(3600));
                client
                    .get_async_connection_with_config(config)
                    .await
                    .map(Connection::Cluster)
            }
        }
        .map_err(unavailable)
    }
}

/// One of the connections above.
#[derive(Clone)]
pub enum Connection {
    /// Commands to one Redis, reconnecting by itself.
    Manager(ConnectionManager),
    /// A blocking read's own connection to one Redis.
    Multiplexed(MultiplexedConnection),
    /// A Redis Cluster (commands routed by key slot).
    Cluster(ClusterConnection),
}

impl ConnectionLike for Connection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Connection::Manager(c) => c.req_packed_command(cmd),
            Connection::Multiplexed(c) => c.req_packed_command(cmd),
            Connection::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Connection::Manager(c) => c.req_packed_commands(pipeline, offset, count),
            Connection::Multiplexed(c) => c.req_packed_commands(pipeline, offset, count),
            Connection::Cluster(c) => c.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Connection::Manager(c) => c.get_db(),
            Connection::Multiplexed(c) => c.get_db(),
            Connection::Cluster(c) => c.get_db(),
        }
    }
}
