//! Print agents over the WebSocket: the real agent loop printing to a folder and
//! surviving a restart, a hand-driven agent that drops its connection before confirming,
//! and guessing an agent's token.

use super::*;

/// A server on a given listener and data folder, so a test can restart it in place.
struct Running {
    address: String,
    stop: StopHandle,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

fn start(config: Config, data: &Path, listener: TcpListener) -> Running {
    let settings = Settings {
        data: data.to_path_buf(),
        redis_url: None,
        secret: Some("test-secret".into()),
        token_ttl_hours: 1,
    };
    let app = Application::build(config, &settings, Arc::new(SystemClock), listener).unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    let stop = app.stop_handle();
    let task = tokio::spawn(app.run_until_stopped());
    Running {
        address,
        stop,
        task,
    }
}

impl Running {
    fn app(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            client: reqwest::Client::new(),
            stop: self.stop.clone(),
            task: tokio::spawn(async { Ok(()) }),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    async fn stop(self) {
        self.stop.stop().await;
        self.task.await.unwrap().unwrap();
    }
}

/// Waits until the supervisor's view shows kiosk `id`'s agent connected (or not).
async fn agent_connected(app: &TestApp, supervisor: &str, id: &str, connected: bool) -> Value {
    let until = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let (status, printers) = get_as(app, "/api/v1/offices/central/printers", supervisor).await;
        assert_eq!(status, 200, "{printers}");
        let p = printers
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["kiosk"] == id)
            .unwrap()
            .clone();
        if p["agent"]["connected"] == connected {
            return p;
        }
        assert!(
            tokio::time::Instant::now() < until,
            "agent never became connected={connected}: {p}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn printed_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "escpos"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_print_agent_prints_confirms_and_survives_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let config = || with_kiosks(&agent_kiosk("puerta", ""));
    let server = start(config(), data.path(), listener);
    let app = server.app();

    let mut agent_config = AgentConfig::new(&server.address, "central", "puerta", AGENT_TOKEN);
    agent_config.reconnect_min = Duration::from_millis(100);
    agent_config.reconnect_max = Duration::from_millis(400);
    let agent = Agent::new(agent_config, Arc::new(DirTransport::new(out.path())));
    let (stop_agent, stopped) = tokio::sync::oneshot::channel::<()>();
    let agent_task = tokio::spawn(agent.run(async {
        let _ = stopped.await;
    }));

    let supervisor = app.login("supervisor").await;
    let seen = agent_connected(&app, &supervisor, "puerta", true).await;
    assert_eq!(seen["mode"], "agent");
    let ticket = issue_at(&app, "puerta").await;
    let print = if ticket["print"]["status"] == "queued" {
        settled(&app, token(&ticket), 10).await
    } else {
        ticket["print"].clone()
    };
    assert_eq!(print["status"], "printed", "{print}");
    let files = printed_files(out.path());
    assert_eq!(files.len(), 1);
    let bytes = std::fs::read(&files[0]).unwrap();
    assert!(contains(&bytes, b"A-001"));
    assert!(contains(
        &bytes,
        ticket["status_url"].as_str().unwrap().as_bytes()
    ));
    let seen = agent_connected(&app, &supervisor, "puerta", true).await;
    assert_eq!(seen["printed"], 1);
    assert_eq!(seen["health"], "ok", "{seen}");
    assert!(seen["address"].as_str().unwrap().starts_with("dir:"));

    // The server restarts on the same address; the agent comes back by itself.
    server.stop().await;
    let listener = TcpListener::bind(addr).unwrap();
    let server = start(config(), data.path(), listener);
    let app = server.app();
    let supervisor = app.login("supervisor").await;
    agent_connected(&app, &supervisor, "puerta", true).await;
    let again = issue_at(&app, "puerta").await;
    assert_eq!(again["code"], "A-002", "the turns survived the restart");
    let print = settled(&app, token(&again), 10).await;
    assert_eq!(print["status"], "printed", "{print}");
    assert_eq!(printed_files(out.path()).len(), 2);

    // The agent stops: its kiosk's jobs wait (the kiosk is told), then expire unprinted.
    let _ = stop_agent.send(());
    agent_task.await.unwrap();
    agent_connected(&app, &supervisor, "puerta", false).await;
    let waiting = issue_at(&app, "puerta").await;
    assert_eq!(waiting["print"]["status"], "queued");
    assert_eq!(waiting["print"]["code"], "agent_offline");
    server.stop().await;
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect_agent(app: &TestApp, kiosk: &str, token: &str) -> Result<Ws, u16> {
    let url = format!(
        "{}/api/v1/offices/central/kiosks/{kiosk}/agent",
        app.address.replace("http://", "ws://")
    );
    let mut request = url.into_client_request().unwrap();
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    match tokio_tungstenite::connect_async(request).await {
        Ok((ws, _)) => Ok(ws),
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => Err(r.status().as_u16()),
        Err(e) => panic!("{e}"),
    }
}

async fn next_json(ws: &mut Ws) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a message in time")
            .expect("socket open")
            .unwrap();
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unconfirmed_agent_jobs_are_sent_again_and_expire_with_a_reason() {
    let printer = FakePrinter::start().await;
    let app = spawn_with(
        with_kiosks(&format!(
            "{}{}",
            agent_kiosk("puerta", "ttl_seconds = 5"),
            tcp_kiosk("directa", &printer, "")
        )),
        Arc::new(SystemClock),
    )
    .await;
    assert_eq!(
        connect_agent(&app, "puerta", "wrong").await.err(),
        Some(401)
    );
    assert_eq!(
        connect_agent(&app, "directa", AGENT_TOKEN).await.err(),
        Some(409)
    );
    assert_eq!(
        connect_agent(&app, "otro", AGENT_TOKEN).await.err(),
        Some(404)
    );

    let mut ws = connect_agent(&app, "puerta", AGENT_TOKEN).await.unwrap();
    let welcome = next_json(&mut ws).await;
    assert_eq!(
        welcome,
        json!({"type": "welcome", "office": "central", "kiosk": "puerta"})
    );
    let ticket = issue_at(&app, "puerta").await;
    assert_eq!(
        ticket["print"]["status"], "queued",
        "the agent has not answered"
    );
    let job = next_json(&mut ws).await;
    assert_eq!(job["type"], "job");
    assert_eq!(job["code"], "A-001");
    assert_eq!(job["id"], ticket["print"]["job"]);
    assert!(job["ttl_ms"].as_u64().unwrap() <= 5000);
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(job["bytes_base64"].as_str().unwrap())
        .unwrap();
    assert!(contains(&bytes, b"A-001"));

    // The connection drops before the agent confirms: the job comes again.
    drop(ws);
    let mut ws = connect_agent(&app, "puerta", AGENT_TOKEN).await.unwrap();
    assert_eq!(next_json(&mut ws).await["type"], "welcome");
    let again = next_json(&mut ws).await;
    assert_eq!(again["id"], job["id"]);
    let status = json!({"type": "status", "health": "ok", "printer": "file:/dev/usb/lp0",
        "status": {"online": true, "paper_out": false, "paper_near_end": true, "cover_open": false, "error": false}});
    ws.send(Message::Text(status.to_string())).await.unwrap();
    let result = json!({"type": "result", "id": job["id"], "ok": true, "attempts": 1});
    ws.send(Message::Text(result.to_string())).await.unwrap();
    let print = settled(&app, token(&ticket), 5).await;
    assert_eq!(print["status"], "printed", "{print}");

    // A failure the agent reports reaches the kiosk with its reason.
    let second = issue_at(&app, "puerta").await;
    let job = next_json(&mut ws).await;
    let result = json!({"type": "result", "id": job["id"], "ok": false, "code": "paper_out", "reason": "La impresora no tiene papel."});
    ws.send(Message::Text(result.to_string())).await.unwrap();
    let print = settled(&app, token(&second), 5).await;
    assert_eq!(print["status"], "failed");
    assert_eq!(print["code"], "paper_out");
    assert_eq!(print["reason"], "La impresora no tiene papel.");

    let supervisor = app.login("supervisor").await;
    let (_, printers) = get_as(&app, "/api/v1/offices/central/printers", &supervisor).await;
    let agent = &printers[0];
    assert_eq!(agent["kiosk"], "puerta");
    assert_eq!(agent["agent"]["connected"], true);
    assert_eq!(agent["address"], "file:/dev/usb/lp0");
    assert_eq!(agent["status"]["paper_near_end"], true);
    assert_eq!(
        (agent["printed"].as_u64(), agent["failed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(agent["last_error"]["code"], "paper_out");

    // Gone for good: the job expires with a reason and is never sent again.
    let third = issue_at(&app, "puerta").await;
    let _ = next_json(&mut ws).await;
    drop(ws);
    let print = settled(&app, token(&third), 12).await;
    assert_eq!(print["status"], "failed", "{print}");
    assert_eq!(print["code"], "expired");
    assert!(
        print["reason"]
            .as_str()
            .unwrap()
            .contains("no estaba conectado"),
        "{print}"
    );
    let mut ws = connect_agent(&app, "puerta", AGENT_TOKEN).await.unwrap();
    assert_eq!(next_json(&mut ws).await["type"], "welcome");
    let text = async {
        while let Some(Ok(message)) = ws.next().await {
            if let Message::Text(text) = message {
                return Some(text);
            }
        }
        None
    };
    let nothing = tokio::time::timeout(Duration::from_millis(500), text).await;
    assert!(nothing.is_err(), "an expired job is not sent: {nothing:?}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_a_print_agents_token_is_throttled() {
    let app = spawn_with(
        with_kiosks(&agent_kiosk("puerta", "")),
        Arc::new(SystemClock),
    )
    .await;
    for i in 0..20 {
        assert_eq!(
            connect_agent(&app, "puerta", &format!("guess-{i}"))
                .await
                .err(),
            Some(401),
            "guess {i}"
        );
    }
    // Throttled now, even with the right token, for the rest of the window.
    assert_eq!(
        connect_agent(&app, "puerta", AGENT_TOKEN).await.err(),
        Some(429)
    );
    app.shutdown().await;
}
