//! Parsing and validating the TOML configuration, reporting every error with its line.

use super::{Config, KioskPrinter, KioskSpec, Role, ServerFileSettings, User};
use crate::domain::schedule::{parse_range, parse_weekday, WeeklyHours};
use crate::domain::{CategorySpec, CounterSpec, OfficeSpec, PolicySpec, ServiceSpec};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::Arc;
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

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawServer {
    bind: Option<String>,
    data: Option<String>,
    redis_url: Option<String>,
    secret: Option<String>,
    token_ttl_hours: Option<u32>,
    public_url: Option<String>,
    retention_days: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffice {
    id: Spanned<String>,
    name: String,
    timezone: Spanned<String>,
    public_base_url: Option<String>,
    #[serde(default)]
    always_open: bool,
    #[serde(default)]
    hours: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    closed_dates: Vec<Spanned<String>>,
    #[serde(default)]
    header_lines: Vec<String>,
    #[serde(default)]
    footer_lines: Vec<String>,
    #[serde(default)]
    policy: RawPolicy,
    /// Days after a turn during which its satisfaction survey may be answered.
    survey_days: Option<Spanned<u32>>,
    #[serde(default)]
    services: Vec<Spanned<RawService>>,
    #[serde(default)]
    categories: Vec<Spanned<RawCategory>>,
    #[serde(default)]
    counters: Vec<Spanned<RawCounter>>,
    #[serde(default)]
    kiosks: Vec<Spanned<RawKiosk>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    max_consecutive_preferential: Option<Spanned<u32>>,
    aging_minutes: Option<Spanned<u32>>,
    min_recalls_before_no_show: Option<u16>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    id: Spanned<String>,
    name: String,
    prefix: Spanned<String>,
    range: Option<Spanned<[u32; 2]>>,
    target_wait_minutes: Option<u32>,
    default_service_minutes: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: Spanned<String>,
    label: String,
    preferential: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCounter {
    id: Spanned<String>,
    name: String,
    services: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKiosk {
    id: Spanned<String>,
    name: String,
    printer: Spanned<String>,
    width: Option<Spanned<u32>>,
    code_page: Option<Spanned<String>>,
    qr: Option<Spanned<String>>,
    agent_token_hash: Option<Spanned<String>>,
    ttl_seconds: Option<Spanned<u32>>,
    max_attempts: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUser {
    username: Spanned<String>,
    name: String,
    role: Spanned<String>,
    office: Option<Spanned<String>>,
    password_hash: Spanned<String>,
}

/// Whether an id is a slug: `[a-z0-9_-]{1,32}`.
pub fn is_slug(s: &str) -> bool {
    (1..=32).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

struct Errors<'a> {
    text: &'a str,
    list: Vec<ConfigError>,
}

impl Errors<'_> {
    fn line_of(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    fn at<T>(&mut self, spanned: &Spanned<T>, message: impl Into<String>) {
        let line = self.line_of(spanned.span().start);
        self.list.push(ConfigError {
            line,
            message: message.into(),
        });
    }

    fn slug(&mut self, id: &Spanned<String>, what: &str) {
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

    fn unique<'s>(&mut self, seen: &mut HashSet<&'s str>, id: &'s Spanned<String>, what: &str) {
        if !seen.insert(id.get_ref()) {
            self.at(id, format!("{what} «{}» está repetido", id.get_ref()));
        }
    }
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
        let office_kiosks = kiosks(&mut errors, o);
        if !office_kiosks.is_empty() {
            kiosk_lists.push((o.id.get_ref().clone(), office_kiosks));
        }
        if let Some(spec) = office_spec(&mut errors, office, &raw.server) {
            ticket_text.push((
                spec.id.clone(),
                o.header_lines.clone(),
                o.footer_lines.clone(),
            ));
            offices.push(Arc::new(spec));
        }
    }
    let users = users(&mut errors, &raw.users, &office_ids);
    if !errors.list.is_empty() {
        errors.list.sort_by_key(|e| e.line);
        return Err(errors.list);
    }
    let server = raw.server;
    Ok(Config {
        offices,
        ticket_text,
        kiosks: kiosk_lists,
        users,
        server: ServerFileSettings {
            bind: server.bind,
            data: server.data.map(Into::into),
            redis_url: server.redis_url,
            secret: server.secret,
            token_ttl_hours: server.token_ttl_hours,
            public_url: server.public_url,
            retention_days: server.retention_days,
        },
        demo: false,
    })
}

fn office_spec(
    errors: &mut Errors<'_>,
    office: &Spanned<RawOffice>,
    server: &RawServer,
) -> Option<OfficeSpec> {
    let o = office.get_ref();
    let before = errors.list.len();
    let timezone = o.timezone.get_ref().parse::<chrono_tz::Tz>().ok();
    if timezone.is_none() {
        errors.at(
            &o.timezone,
            format!(
                "la zona horaria «{}» no existe; use un nombre IANA como «America/Bogota»",
                o.timezone.get_ref()
            ),
        );
    }
    let hours = hours(errors, o);

    let mut services = Vec::new();
    let mut service_ids = HashSet::new();
    let mut prefixes = HashSet::new();
    if o.services.is_empty() {
        errors.at(
            &o.id,
            format!("la oficina «{}» no tiene servicios", o.id.get_ref()),
        );
    }
    for s in &o.services {
        let s = s.get_ref();
        errors.slug(&s.id, "servicio");
        errors.unique(&mut service_ids, &s.id, "El servicio");
        let prefix = s.prefix.get_ref();
        if prefix.is_empty() || prefix.len() > 3 || !prefix.chars().all(|c| c.is_ascii_uppercase())
        {
            errors.at(
                &s.prefix,
                format!("el prefijo «{prefix}» debe tener de 1 a 3 letras mayúsculas sin tildes"),
            );
        }
        if !prefixes.insert(prefix.as_str()) {
            errors.at(
                &s.prefix,
                format!("el prefijo «{prefix}» ya lo usa otro servicio: los turnos se repetirían"),
            );
        }
        let [first, last] = s.range.as_ref().map_or([1, 999], |r| *r.get_ref());
        if let Some(range) = &s.range {
            if first == 0 || first > last {
                errors.at(
                    range,
                    "el rango de números debe ser [primero, último] con 1 ≤ primero ≤ último",
                );
            }
        }
        services.push(ServiceSpec {
            id: s.id.get_ref().clone(),
            name: s.name.clone(),
            prefix: prefix.clone(),
            first_number: first,
            last_number: last,
            target_wait_seconds: s.target_wait_minutes.unwrap_or(15) * 60,
            default_service_seconds: s.default_service_minutes.unwrap_or(5).max(1) * 60,
        });
    }

    let mut categories = Vec::new();
    let mut category_ids = HashSet::new();
    for c in &o.categories {
        let c = c.get_ref();
        errors.slug(&c.id, "categoría");
        errors.unique(&mut category_ids, &c.id, "La categoría");
        categories.push(CategorySpec {
            id: c.id.get_ref().clone(),
            label: c.label.clone(),
            preferential: c.preferential,
        });
    }
    if !category_ids.contains("general") {
        // Tickets default to `general`: an office always has it.
        categories.insert(
            0,
            CategorySpec {
                id: "general".into(),
                label: "General".into(),
                preferential: false,
            },
        );
    }

    let mut counters = Vec::new();
    let mut counter_ids = HashSet::new();
    for c in &o.counters {
        let c = c.get_ref();
        errors.slug(&c.id, "ventanilla");
        errors.unique(&mut counter_ids, &c.id, "La ventanilla");
        let mut served = Vec::new();
        for s in &c.services {
            match services.iter().position(|x| x.id == *s.get_ref()) {
                Some(i) => served.push(i as u16),
                None => errors.at(
                    s,
                    format!(
                        "la ventanilla «{}» atiende el servicio «{}», que no existe en la oficina",
                        c.id.get_ref(),
                        s.get_ref()
                    ),
                ),
            }
        }
        if c.services.is_empty() {
            errors.at(
                &c.id,
                format!(
                    "la ventanilla «{}» no atiende ningún servicio",
                    c.id.get_ref()
                ),
            );
        }
        counters.push(CounterSpec {
            id: c.id.get_ref().clone(),
            name: c.name.clone(),
            services: served,
        });
    }
    for s in &o.services {
        let id = s.get_ref().id.get_ref();
        if !o
            .counters
            .iter()
            .any(|c| c.get_ref().services.iter().any(|x| x.get_ref() == id))
        {
            errors.at(
                &s.get_ref().id,
                format!(
                    "ninguna ventanilla atiende el servicio «{id}»: sus turnos nunca se llamarían"
                ),
            );
        }
    }

    let policy = &o.policy;
    if let Some(k) = &policy.max_consecutive_preferential {
        if *k.get_ref() == 0 {
            errors.at(k, "max_consecutive_preferential debe ser al menos 1");
        }
    }
    if let Some(a) = &policy.aging_minutes {
        if *a.get_ref() == 0 {
            errors.at(a, "aging_minutes debe ser al menos 1");
        }
    }
    if let Some(d) = &o.survey_days {
        if *d.get_ref() > 366 {
            errors.at(d, "survey_days debe ser como máximo 366");
        }
    }
    if errors.list.len() > before {
        return None;
    }
    let mut spec = OfficeSpec {
        id: o.id.get_ref().clone(),
        name: o.name.clone(),
        timezone: timezone?,
        hours,
        public_base_url: o
            .public_base_url
            .clone()
            .or_else(|| server.public_url.clone())
            .unwrap_or_else(|| "http://localhost:8080".into())
            .trim_end_matches('/')
            .to_owned(),
        services,
        categories,
        counters,
        policy: PolicySpec {
            max_consecutive_preferential: policy
                .max_consecutive_preferential
                .as_ref()
                .map(|k| *k.get_ref()),
            aging_seconds: policy.aging_minutes.as_ref().map(|a| a.get_ref() * 60),
            min_recalls_before_no_show: policy.min_recalls_before_no_show.unwrap_or(0),
        },
        survey_days: o
            .survey_days
            .as_ref()
            .map_or(crate::domain::survey::DEFAULT_SURVEY_DAYS, |d| *d.get_ref()),
        competing: Vec::new(),
    };
    spec.derive_competing();
    Some(spec)
}

fn hours(errors: &mut Errors<'_>, o: &RawOffice) -> WeeklyHours {
    if o.always_open {
        if let Some((day, _)) = o.hours.iter().next() {
            errors.at(
                day,
                "use always_open = true o un horario [hours], no los dos",
            );
        }
        return WeeklyHours::always();
    }
    let mut hours = WeeklyHours::default();
    if o.hours.is_empty() {
        errors.at(
            &o.id,
            format!(
                "la oficina «{}» no tiene horario: añada [offices.hours] (p. ej. mon = [\"08:00-12:00\", \"13:00-17:00\"]) o always_open = true",
                o.id.get_ref()
            ),
        );
    }
    for (day, ranges) in &o.hours {
        let Some(weekday) = parse_weekday(day.get_ref()) else {
            errors.at(
                day,
                format!(
                    "«{}» no es un día: use mon, tue, wed, thu, fri, sat o sun",
                    day.get_ref()
                ),
            );
            continue;
        };
        let slot = &mut hours.days[weekday.num_days_from_monday() as usize];
        for r in ranges {
            match parse_range(r.get_ref()) {
                Ok(range) => slot.push(range),
                Err(message) => errors.at(r, message),
            }
        }
        slot.sort_by_key(|r| r.start);
        if slot
            .windows(2)
            .any(|w| w[0].end.is_none_or(|end| end > w[1].start))
        {
            errors.at(
                day,
                format!("los horarios de «{}» se superponen", day.get_ref()),
            );
        }
    }
    for d in &o.closed_dates {
        match NaiveDate::parse_from_str(d.get_ref(), "%Y-%m-%d") {
            Ok(date) => hours.closed_dates.push(date),
            Err(_) => errors.at(d, format!("«{}» no es una fecha AAAA-MM-DD", d.get_ref())),
        }
    }
    hours
}

/// The office's kiosks; errors go to `errors`.
fn kiosks(errors: &mut Errors<'_>, o: &RawOffice) -> Vec<KioskSpec> {
    use turnero_printer::{CodePage, PaperWidth, PrintOptions, PrinterAddress, QrMode};
    let mut kiosks = Vec::new();
    let mut seen = HashSet::new();
    for k in &o.kiosks {
        let k = k.get_ref();
        errors.slug(&k.id, "kiosco");
        errors.unique(&mut seen, &k.id, "El kiosco");
        let before = errors.list.len();
        let printer = if k.printer.get_ref().trim() == "agent" {
            match &k.agent_token_hash {
                Some(hash) if is_agent_token_hash(hash.get_ref()) => Some(KioskPrinter::Agent {
                    token_hash: hash.get_ref().trim().to_owned(),
                }),
                Some(hash) => {
                    errors.at(
                        hash,
                        "agent_token_hash debe ser «sha256:» seguido de 64 cifras hexadecimales, o un hash argon2: genérelo con «turnero-print-agent new-token»",
                    );
                    None
                }
                None => {
                    errors.at(
                        &k.printer,
                        format!(
                            "el kiosco «{}» imprime con un agente: falta agent_token_hash (genérelo con «turnero-print-agent new-token»)",
                            k.id.get_ref()
                        ),
                    );
                    None
                }
            }
        } else {
            if let Some(hash) = &k.agent_token_hash {
                errors.at(hash, "agent_token_hash solo se usa con printer = \"agent\"");
            }
            match k.printer.get_ref().parse::<PrinterAddress>() {
                Ok(address) => Some(KioskPrinter::Direct(address)),
                Err(_) => {
                    errors.at(
                        &k.printer,
                        format!(
                            "la impresora «{}» no es válida: use tcp://equipo:9100, file:/dev/usb/lp0, dir:/carpeta o agent",
                            k.printer.get_ref()
                        ),
                    );
                    None
                }
            }
        };
        let width = match k.width.as_ref().map(|w| (w, *w.get_ref())) {
            None | Some((_, 80)) => PaperWidth::Mm80,
            Some((_, 58)) => PaperWidth::Mm58,
            Some((w, _)) => {
                errors.at(w, "width debe ser 80 o 58 (milímetros de papel)");
                PaperWidth::Mm80
            }
        };
        let code_page = match k.code_page.as_ref().map(|c| (c, c.get_ref().as_str())) {
            None | Some((_, "pc850")) => CodePage::default(),
            Some((_, "wpc1252")) => CodePage::Wpc1252,
            Some((c, _)) => {
                errors.at(c, "code_page debe ser «pc850» o «wpc1252»");
                CodePage::default()
            }
        };
        let qr = match k.qr.as_ref().map(|q| (q, q.get_ref().as_str())) {
            None | Some((_, "native")) => QrMode::Native,
            Some((_, "raster")) => QrMode::Raster,
            Some((q, _)) => {
                errors.at(
                    q,
                    "qr debe ser «native» (la impresora dibuja el código) o «raster» (imagen)",
                );
                QrMode::Native
            }
        };
        let ttl = k.ttl_seconds.as_ref().map_or(60, |t| *t.get_ref());
        if let Some(t) = &k.ttl_seconds {
            if !(5..=600).contains(t.get_ref()) {
                errors.at(
                    t,
                    "ttl_seconds debe estar entre 5 y 600: un turno impreso tarde ya no sirve",
                );
            }
        }
        let max_attempts = k.max_attempts.as_ref().map_or(5, |a| *a.get_ref());
        if let Some(a) = &k.max_attempts {
            if !(1..=20).contains(a.get_ref()) {
                errors.at(a, "max_attempts debe estar entre 1 y 20");
            }
        }
        if errors.list.len() > before {
            continue;
        }
        if let Some(printer) = printer {
            kiosks.push(KioskSpec {
                id: k.id.get_ref().clone(),
                name: k.name.clone(),
                printer,
                options: PrintOptions {
                    width,
                    code_page,
                    qr,
                },
                ttl: std::time::Duration::from_secs(u64::from(ttl)),
                max_attempts,
            });
        }
    }
    kiosks
}

/// Whether `s` is a device-token hash we can check: `sha256:<64 hex>` or argon2.
fn is_agent_token_hash(s: &str) -> bool {
    let s = s.trim();
    match s.strip_prefix("sha256:") {
        Some(hex) => hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        None => argon2::PasswordHash::new(s).is_ok(),
    }
}

fn users(errors: &mut Errors<'_>, raw: &[Spanned<RawUser>], offices: &HashSet<&str>) -> Vec<User> {
    let mut seen = HashSet::new();
    let mut users = Vec::new();
    for u in raw {
        let u = u.get_ref();
        errors.unique(&mut seen, &u.username, "El usuario");
        if u.username.get_ref().trim().is_empty() {
            errors.at(&u.username, "el nombre de usuario está vacío");
        }
        let role = Role::parse(u.role.get_ref());
        if role.is_none() {
            errors.at(
                &u.role,
                format!(
                    "el rol «{}» no existe: use admin, supervisor o agent",
                    u.role.get_ref()
                ),
            );
        }
        if let Some(office) = &u.office {
            if !offices.contains(office.get_ref().as_str()) {
                errors.at(
                    office,
                    format!("la oficina «{}» no existe", office.get_ref()),
                );
            }
        } else if role == Some(Role::Agent) {
            errors.at(
                &u.username,
                format!(
                    "el agente «{}» necesita una oficina (office = \"…\")",
                    u.username.get_ref()
                ),
            );
        }
        if argon2::PasswordHash::new(u.password_hash.get_ref()).is_err() {
            errors.at(
                &u.password_hash,
                "password_hash no es un hash argon2 válido: genérelo con «turnero hash-password»",
            );
        }
        if let Some(role) = role {
            users.push(User {
                username: u.username.get_ref().clone(),
                name: u.name.clone(),
                role,
                office: u.office.as_ref().map(|o| o.get_ref().clone()),
                password_hash: u.password_hash.get_ref().clone(),
            });
        }
    }
    users
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_parses_as_api_md_describes() {
        let c = parse(super::super::DEMO_TOML).unwrap();
        let o = &c.offices[0];
        assert_eq!(
            (o.id.as_str(), o.name.as_str()),
            ("central", "Oficina Central")
        );
        let services: Vec<_> = o
            .services
            .iter()
            .map(|s| (s.id.as_str(), s.prefix.as_str()))
            .collect();
        assert_eq!(
            services,
            [("registro", "A"), ("catastro", "B"), ("caja", "C")]
        );
        let preferential: Vec<_> = o
            .categories
            .iter()
            .map(|c| (c.id.as_str(), c.preferential))
            .collect();
        assert_eq!(
            preferential,
            [
                ("general", false),
                ("adulto_mayor", true),
                ("embarazada", true),
                ("discapacidad", true),
                ("nino_en_brazos", true)
            ]
        );
        assert_eq!(o.counters[2].services, [1, 2]);
        assert_eq!(o.counters[3].services, [0, 1, 2]);
    }

    #[test]
    fn every_error_is_reported_with_its_line() {
        let text = r#"
[[offices]]
id = "Central"
name = "X"
timezone = "America/Bogot"
[offices.hours]
mon = ["08:00-12:00", "11:00-17:00"]
tue = ["8-12"]

[[offices.services]]
id = "a"
name = "A"
prefix = "A"

[[offices.services]]
id = "b"
name = "B"
prefix = "A"

[[offices.counters]]
id = "v1"
name = "V1"
services = ["a", "zzz"]

[[users]]
username = "ana"
name = "Ana"
role = "jefa"
password_hash = "x"
"#;
        let errors = parse(text).unwrap_err();
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        let all = errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        for expected in [3, 5, 7, 8, 18, 23, 28, 29] {
            assert!(
                lines.contains(&expected),
                "no error on line {expected}:\n{all}"
            );
        }
        assert!(all.contains("zona horaria"), "{all}");
        assert!(
            all.contains("ninguna ventanilla atiende el servicio «b»"),
            "{all}"
        );
    }

    #[test]
    fn kiosks_and_their_printers() {
        let hash = format!("sha256:{}", "ab".repeat(32));
        let text = format!(
            r#"{}
[[offices.kiosks]]
id = "entrada"
name = "Entrada"
printer = "tcp://10.0.0.5:9100"
width = 58
code_page = "wpc1252"
qr = "raster"

[[offices.kiosks]]
id = "piso2"
name = "Segundo piso"
printer = "agent"
agent_token_hash = "{hash}"
ttl_seconds = 30
"#,
            super::super::DEMO_TOML
        );
        let c = parse(&text).unwrap();
        let kiosks = c.kiosks("central");
        assert_eq!(kiosks.len(), 2);
        assert!(
            matches!(&kiosks[0].printer, KioskPrinter::Direct(a) if a.to_string() == "tcp://10.0.0.5:9100")
        );
        assert_eq!(kiosks[0].options.width, turnero_printer::PaperWidth::Mm58);
        assert_eq!(
            kiosks[0].options.code_page,
            turnero_printer::CodePage::Wpc1252
        );
        assert_eq!(kiosks[0].options.qr, turnero_printer::QrMode::Raster);
        assert_eq!(kiosks[0].ttl, std::time::Duration::from_secs(60));
        assert!(
            matches!(&kiosks[1].printer, KioskPrinter::Agent { token_hash } if *token_hash == hash)
        );
        assert_eq!(kiosks[1].ttl, std::time::Duration::from_secs(30));
        assert!(c.kiosks("otra").is_empty());
    }

    #[test]
    fn bad_kiosks_are_reported_by_line() {
        let text = format!(
            r#"{}
[[offices.kiosks]]
id = "Entrada"
name = "Entrada"
printer = "lpt1"
width = 76
code_page = "utf8"

[[offices.kiosks]]
id = "b"
name = "B"
printer = "agent"

[[offices.kiosks]]
id = "c"
name = "C"
printer = "agent"
agent_token_hash = "md5:123"
qr = "svg"
ttl_seconds = 3600
"#,
            super::super::DEMO_TOML
        );
        let base = super::super::DEMO_TOML.lines().count();
        let errors = parse(&text).unwrap_err();
        let lines: Vec<_> = errors.iter().map(|e| e.line - base).collect();
        let all = errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        for expected in [3, 5, 6, 7, 12, 18, 19, 20] {
            assert!(
                lines.contains(&expected),
                "no error on line {expected}:\n{all}"
            );
        }
        assert!(all.contains("falta agent_token_hash"), "{all}");
        assert!(all.contains("tcp://equipo:9100"), "{all}");
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let errors = parse("[[offices]]\nid = \n").unwrap_err();
        assert_eq!(errors[0].line, 2);
        let errors = parse("[[offices]]\nid = \"a\"\nbogus = 1\n").unwrap_err();
        assert_eq!(errors[0].line, 3, "{:?}", errors);
    }
}
