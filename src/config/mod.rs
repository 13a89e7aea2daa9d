//! Configuration: offices, services, categories, counters, policy and users, from a TOML
//! file (or the built-in demo office), with every error reported by line.
//!
//! Precedence for server settings: command-line flag, then environment variable
//! (`TURNERO_*`), then the file's `[server]` table, then the default.

pub mod notifications;
mod parse;

use crate::domain::OfficeSpec;
use std::path::PathBuf;
use std::sync::Arc;

pub use parse::{parse, ConfigError};

/// The demo office's configuration text.
pub const DEMO_TOML: &str = include_str!("demo.toml");

/// The demo office's kiosk, paired in demo mode.
pub const DEMO_KIOSK: &str = "entrada";

/// `sha256:<hex>` of a kiosk's device token: what its `token_hash` holds.
pub fn kiosk_token_hash(token: &str) -> String {
    turnero_printer::agent::token_hash(token)
}

/// The demo kiosk's device token: derived from the demo password, so every demo process
/// started with the same password agrees, and a changed password changes it too.
pub fn demo_kiosk_token(demo_password: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest;
    let digest = sha2::Sha256::new()
        .chain_update(b"turnero demo kiosk\0")
        .chain_update(demo_password.as_bytes())
        .finalize();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Configures and reads everything.
    Admin,
    /// Reads figures of every office and acts on any counter.
    Supervisor,
    /// Works a counter of their own office.
    Agent,
}

impl Role {
    /// Parses `admin`, `supervisor` or `agent`.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "supervisor" => Some(Role::Supervisor),
            "agent" => Some(Role::Agent),
            _ => None,
        }
    }

    /// The API's name for the role.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Agent => "agent",
        }
    }
}

/// A person who signs in.
#[derive(Debug, Clone)]
pub struct User {
    /// Login name.
    pub username: String,
    /// Name shown on screens.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// The office an agent works in (supervisors and admins may have none).
    pub office: Option<String>,
    /// Argon2 PHC string.
    pub password_hash: String,
}

/// A kiosk (`[[offices.kiosks]]`): the device token it is paired with, and the printer
/// its tickets come out of.
#[derive(Debug, Clone)]
pub struct KioskSpec {
    /// Slug, unique within the office; what a kiosk sends as `"kiosk"`.
    pub id: String,
    /// Name shown to supervisors.
    pub name: String,
    /// `sha256:<hex>` of the device token its page sends to issue turns (none: the kiosk
    /// cannot be paired, and only staff print on it).
    pub token_hash: Option<String>,
    /// Where its tickets print (none: a screen-only kiosk, the ticket shown with its QR).
    pub printer: Option<KioskPrinter>,
    /// Paper width, code page and QR mode of its printer.
    pub options: turnero_printer::PrintOptions,
    /// A job not printed within this time is dropped: a stale ticket must not come out
    /// minutes later.
    pub ttl: std::time::Duration,
    /// Most attempts per job (server-driven printers).
    pub max_attempts: u32,
}

/// Who may issue an office's turns (API.md "Issuing turns").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ticketing {
    /// Paired kiosks and staff only (the default for a configured office).
    Kiosks,
    /// Anyone, each client address within `open_limit`; paired kiosks and staff
    /// unlimited.
    Open,
}

/// Who may take a turn from their own phone, with no kiosk (`join`, the `/join/{office}`
/// page a poster at the door opens).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JoinMode {
    /// Nobody: anonymous turns follow `ticketing` alone.
    #[default]
    Off,
    /// People in the lobby: an anonymous turn needs the code the lobby displays show now.
    Lobby,
    /// Anyone, anywhere: an anonymous turn needs a phone number, with a daily cap per
    /// number.
    Anywhere,
}

impl JoinMode {
    /// The configuration's and the API's name.
    pub fn as_str(self) -> &'static str {
        match self {
            JoinMode::Off => "off",
            JoinMode::Lobby => "lobby",
            JoinMode::Anywhere => "anywhere",
        }
    }
}

/// An office's issuing rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuingSpec {
    /// Who may issue.
    pub mode: Ticketing,
    /// Turns one anonymous address may take per `open_window` (whenever anonymous turns
    /// are allowed).
    pub open_limit: u32,
    /// The window of `open_limit`.
    pub open_window: std::time::Duration,
    /// Who may join from their phone.
    pub join: JoinMode,
    /// How long each lobby code lasts (`join_code_minutes`).
    pub join_code_window: std::time::Duration,
    /// Turns one phone number may take a day in `Anywhere` mode (`join_daily_limit`).
    pub join_daily_limit: u32,
}

impl Default for IssuingSpec {
    fn default() -> Self {
        IssuingSpec {
            mode: Ticketing::Kiosks,
            open_limit: 5,
            open_window: std::time::Duration::from_secs(600),
            join: JoinMode::Off,
            join_code_window: std::time::Duration::from_secs(5 * 60),
            join_daily_limit: 2,
        }
    }
}

/// How a kiosk's printer is reached.
#[derive(Debug, Clone)]
pub enum KioskPrinter {
    /// The server prints itself: `tcp://…`, `file:…` or `dir:…`.
    Direct(turnero_printer::PrinterAddress),
    /// A print agent on the kiosk PC pulls the jobs over a WebSocket.
    Agent {
        /// `sha256:<hex>` of the agent's device token, or an argon2 PHC string.
        token_hash: String,
    },
}

/// Server settings that a file may give and the environment may override.
#[derive(Debug, Clone, Default)]
pub struct ServerFileSettings {
    /// Address to listen on.
    pub bind: Option<String>,
    /// Data folder of the embedded store.
    pub data: Option<PathBuf>,
    /// Redis URL (use Redis instead of the embedded store).
    pub redis_url: Option<String>,
    /// Secret that signs session tokens (needed when several processes share Redis).
    pub secret: Option<String>,
    /// Hours a session token lasts.
    pub token_ttl_hours: Option<u32>,
    /// Base URL used in ticket links when an office gives none.
    pub public_url: Option<String>,
    /// Days of logs the Redis store keeps (default [`DEFAULT_RETENTION_DAYS`]).
    pub retention_days: Option<u32>,
    /// `redis_waitaof = true`: every batch waits until Redis has fsynced it, and the
    /// number of replicas (`redis_waitaof_replicas`) that must have too.
    pub redis_waitaof: Option<u32>,
    /// Origins that may show the pages in a frame (none: no framing at all).
    pub frame_ancestors: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (none: the peer is).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Lobby screens one address may hold open (default 100).
    pub max_screens_per_address: Option<u32>,
    /// Lobby screens one office may hold open (default 2,000).
    pub max_screens_per_office: Option<u32>,
    /// Connections served at once (default, and most: the open-file limit less a reserve).
    pub max_connections: Option<u32>,
    /// Also takes Web Push subscriptions whose endpoint is `http://` on a loopback
    /// address (default false: https on a named host only). For tests, whose push
    /// endpoint runs on 127.0.0.1; never needed with real browsers, whose push services
    /// are all https.
    pub allow_insecure_push_endpoints: bool,
}

/// Days of logs the Redis store keeps when the configuration says nothing.
pub const DEFAULT_RETENTION_DAYS: u32 = 400;

/// Everything the server runs with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Offices, in file order.
    pub offices: Vec<Arc<OfficeSpec>>,
    /// Lines printed above and below each office's tickets, by office id.
    pub ticket_text: Vec<(String, Vec<String>, Vec<String>)>,
    /// Kiosks and their printers, by office id (offices without kiosks are absent).
    pub kiosks: Vec<(String, Vec<KioskSpec>)>,
    /// Who may issue turns, by office id.
    pub issuing: Vec<(String, IssuingSpec)>,
    /// Notifications (gateway, texts, Web Push key), by office id.
    pub notifications: Vec<(String, notifications::NotificationsSpec)>,
    /// Users.
    pub users: Vec<User>,
    /// Settings from the `[server]` table.
    pub server: ServerFileSettings,
    /// Whether this is the built-in demo configuration.
    pub demo: bool,
    /// In demo mode, the device token the demo kiosk's page comes paired with.
    pub demo_kiosk_token: Option<String>,
}

impl Config {
    /// The built-in demo office, with its users all holding `password_hash` and its kiosk
    /// paired with `kiosk_token` (see [`demo_kiosk_token`]).
    pub fn demo(password_hash: &str, kiosk_token: &str) -> Result<Config, Vec<ConfigError>> {
        let mut config = parse(DEMO_TOML)?;
        for (_, kiosks) in &mut config.kiosks {
            for kiosk in kiosks.iter_mut().filter(|k| k.id == DEMO_KIOSK) {
                kiosk.token_hash = Some(kiosk_token_hash(kiosk_token));
            }
        }
        let user = |username: &str, name: &str, role| User {
            username: username.into(),
            name: name.into(),
            role,
            office: Some("central".into()),
            password_hash: password_hash.into(),
        };
        config.users = vec![
            user("admin", "Administración", Role::Admin),
            user("supervisor", "Supervisión", Role::Supervisor),
        ];
        for i in 1..=4 {
            config.users.push(user(
                &format!("agente{i}"),
                &format!("Agente {i}"),
                Role::Agent,
            ));
        }
        config.demo = true;
        config.demo_kiosk_token = Some(kiosk_token.to_owned());
        Ok(config)
    }

    /// Reads and validates a configuration file.
    pub fn from_file(path: &std::path::Path) -> Result<Config, Vec<ConfigError>> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![ConfigError {
                line: 0,
                message: format!("no se pudo leer {}: {e}", path.display()),
            }]
        })?;
        parse(&text)
    }

    /// An office by id.
    pub fn office(&self, id: &str) -> Option<&Arc<OfficeSpec>> {
        self.offices.iter().find(|o| o.id == id)
    }

    /// The kiosks of an office (none when it has no `[[offices.kiosks]]`).
    pub fn kiosks(&self, office: &str) -> &[KioskSpec] {
        self.kiosks
            .iter()
            .find(|(id, _)| id == office)
            .map_or(&[], |(_, k)| k.as_slice())
    }

    /// Who may issue an office's turns.
    pub fn issuing(&self, office: &str) -> IssuingSpec {
        self.issuing
            .iter()
            .find(|(id, _)| id == office)
            .map_or_else(IssuingSpec::default, |(_, spec)| *spec)
    }

    /// The paired kiosk of an office whose device token is `token`, if any. Tokens are
    /// 256 random bits, so their SHA-256 is enough; compared in constant time.
    pub fn kiosk_by_token(&self, office: &str, token: &str) -> Option<&KioskSpec> {
        let hash = kiosk_token_hash(token);
        self.kiosks(office).iter().find(|k| {
            k.token_hash
                .as_deref()
                .is_some_and(|h| constant_time_eq(h.as_bytes(), hash.as_bytes()))
        })
    }

    /// What a valid configuration may still get wrong for the people using it, in
    /// Spanish: QR codes that lead to this machine only; an office that issues only at kiosks with no kiosk that can be paired
    /// takes turns from staff alone (kiosk pages set up before pairing existed stop
    /// issuing after an upgrade until a supervisor pairs them).
    pub fn warnings(&self) -> Vec<String> {
        let links = self.offices.iter().filter_map(|o| {
            let base = o.public_base_url.as_ref().or(self.server.public_url.as_ref())?;
            is_local_url(base).then(|| format!(
                "los códigos QR de la oficina «{}» llevan a {base}, una dirección de este equipo: ningún teléfono podrá abrirlos; ponga la dirección con la que los ciudadanos llegan al servidor (public_url, --public-url o TURNERO_PUBLIC_URL)",
                o.id
            ))
        });
        let unpaired = self.offices
            .iter()
            .filter(|o| self.issuing(&o.id).mode == Ticketing::Kiosks)
            .filter(|o| !self.kiosks(&o.id).iter().any(|k| k.token_hash.is_some()))
            .map(|o| {
                format!(
                    "la oficina «{}» entrega turnos solo en kioscos vinculados y con el personal (ticketing = \"kiosks\"), pero ninguno de sus kioscos tiene token_hash: genere uno con «turnero new-device-token» y vincule cada kiosco, o ponga ticketing = \"open\"",
                    o.id
                )
            });
        links.chain(unpaired).collect()
    }

    /// The header and footer lines printed on an office's tickets.
    pub fn ticket_lines(&self, office: &str) -> (&[String], &[String]) {
        self.ticket_text
            .iter()
            .find(|(id, _, _)| id == office)
            .map_or((&[], &[]), |(_, h, f)| (h.as_slice(), f.as_slice()))
    }

    /// An office's notifications (nothing configured: no gateway, built-in texts).
    pub fn notifications(&self, office: &str) -> &notifications::NotificationsSpec {
        static NONE: std::sync::LazyLock<notifications::NotificationsSpec> =
            std::sync::LazyLock::new(Default::default);
        self.notifications
            .iter()
            .find(|(id, _)| id == office)
            .map_or(&*NONE, |(_, spec)| spec)
    }

    /// A user by login name.
    pub fn user(&self, username: &str) -> Option<&User> {
        self.users.iter().find(|u| u.username == username)
    }
}

/// Byte strings compared without stopping at the first difference, so timing tells
/// nothing of a secret's hash.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether links under `base` point to this machine only, where no phone can follow.
pub fn is_local_url(base: &str) -> bool {
    let host = base
        .split("://")
        .nth(1)
        .unwrap_or(base)
        .split('/')
        .next()
        .unwrap_or("");
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
}
