//! The bench office's agent at counter v1, as the latency phases drive it: signed in, the
//! counter open, calling turns one by one and finishing each.

use crate::conn::{post, Conn};
use anyhow::{bail, Context, Result};
use std::time::Instant;

/// A signed-in agent at an open counter v1, on its own keep-alive connection.
pub struct Agent {
    conn: Conn,
    call: Vec<u8>,
    finish: Vec<u8>,
}

impl Agent {
    /// Signs in as the bench agent on `addr` and opens counter v1.
    pub async fn at_counter(addr: &str) -> Result<Agent> {
        let mut conn = Conn::open(addr).await?;
        let (status, body) = conn
            .request(&post(
                "/api/v1/auth/login",
                r#"{"username":"agente","password":"carga"}"#,
                None,
            ))
            .await?;
        if status != 200 {
            bail!("login: {status}");
        }
        let token = serde_json::from_slice::<serde_json::Value>(&body)?["token"]
            .as_str()
            .context("token")?
            .to_owned();
        conn.request(&post(
            "/api/v1/offices/bench/counters/v1/open",
            "",
            Some(&token),
        ))
        .await?;
        Ok(Agent {
            conn,
            call: post(
                "/api/v1/offices/bench/counters/v1/call-next",
                "",
                Some(&token),
            ),
            finish: post("/api/v1/offices/bench/counters/v1/finish", "", Some(&token)),
        })
    }

    /// Calls the next turn: when the request was sent, and the called turn's code.
    pub async fn call_next(&mut self) -> Result<(Instant, String)> {
        let sent = Instant::now();
        let (status, body) = self.conn.request(&self.call).await?;
        if status != 200 {
            bail!("call-next: {status}");
        }
        let code = serde_json::from_slice::<serde_json::Value>(&body)?["code"]
            .as_str()
            .context("code")?
            .to_owned();
        Ok((sent, code))
    }

    /// Finishes the turn at the counter.
    pub async fn finish(&mut self) -> Result<()> {
        self.conn.request(&self.finish).await?;
        Ok(())
    }
}
