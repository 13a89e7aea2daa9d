//! `turnero check-config FILE --data DIR`: what today's logs hold that a new configuration
//! would leave without a home. Each office's log of its local day is read (without the
//! folder lock: a running server may hold it, and nothing is written) and replayed with
//! the new configuration's office, as the server would on a restart; every event that no
//! longer fits becomes a warning. Warnings are not errors: the log keeps everything.

use super::scan::code_of;
use crate::config::Config;
use crate::domain::schedule::local_day;
use crate::domain::state::ApplyError;
use crate::domain::{Event, OfficeSpec, OfficeState};
use crate::store::embedded::{days_in, log_path};
use crate::store::record;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

/// The warnings (`aviso: …`, in Spanish) for `config` against the logs under `dir`, as
/// of `now`: turns, counters, categories and prefixes of today that the configuration no
/// longer has, and office folders it no longer configures.
pub fn config_warnings(config: &Config, dir: &Path, now: DateTime<Utc>) -> Vec<String> {
    if !dir.is_dir() {
        return vec![format!(
            "aviso: la carpeta de datos {} no existe; no hay registros con los que comparar",
            dir.display()
        )];
    }
    let mut warnings = Vec::new();
    for spec in &config.offices {
        let day = local_day(spec.timezone, now);
        warnings.extend(office_warnings(spec, dir, day));
    }
    warnings.extend(unconfigured_offices(config, dir));
    warnings
}

/// Folders of offices the configuration does not have (holding at least one day's log).
fn unconfigured_offices(config: &Config, dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && config.office(n).is_none())
        .filter(|n| days_in(&dir.join(n)).is_ok_and(|d| !d.is_empty()))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| format!("aviso: la carpeta de datos tiene registros de la oficina «{n}», que ya no está configurada; se conservan, pero el servidor no los usará"))
        .collect()
}

/// The warnings for one office's log of `day`.
fn office_warnings(spec: &Arc<OfficeSpec>, dir: &Path, day: NaiveDate) -> Vec<String> {
    let path = log_path(dir, &spec.id, day);
    let office = &spec.id;
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            return vec![format!(
                "aviso: oficina {office}: no se pudo leer el registro de hoy {}: {e}",
                path.display()
            )]
        }
    };
    let decoded = record::decode(&bytes);
    let mut warnings = Vec::new();
    // A torn tail may be a record being written right now: only damage in the middle.
    if !decoded.damage.is_empty() {
        warnings.push(format!(
            "aviso: oficina {office}: el registro de hoy {} tiene bytes dañados; revíselo con turnero check-data",
            path.display()
        ));
    }
    let issued = Issued::of(&decoded.entries);
    warnings.extend(issued.category_and_prefix_warnings(spec));
    let (_, errors) = OfficeState::replay_log(spec.clone(), day, &decoded.entries);
    warnings.extend(replay_warnings(office, &issued, &errors));
    warnings
}

/// A turn of today as its log issued it.
struct Turn<'a> {
    /// Its code as issued (`A-003`).
    code: String,
    /// Service slug.
    service: &'a str,
    /// Category slug.
    category: &'a str,
    /// The prefix it was issued with, if the log says.
    prefix: Option<&'a str>,
}

/// Today's issued turns, in issue order, with an index by sequence.
struct Issued<'a> {
    turns: Vec<Turn<'a>>,
    by_seq: HashMap<u32, usize>,
}

impl<'a> Issued<'a> {
    fn of(entries: &'a [crate::domain::LogEntry]) -> Self {
        let mut issued = Issued {
            turns: Vec::new(),
            by_seq: HashMap::new(),
        };
        for e in crate::domain::log::events_of(entries) {
            if let Event::TicketIssued {
                seq,
                number,
                service,
                category,
                prefix,
                ..
            } = e
            {
                issued.by_seq.insert(*seq, issued.turns.len());
                issued.turns.push(Turn {
                    code: code_of(prefix.as_deref(), *number),
                    service,
                    category,
                    prefix: prefix.as_deref(),
                });
            }
        }
        issued
    }

    /// A turn's code, or its sequence number if the log does not hold its issue.
    fn code(&self, seq: u32) -> String {
        self.by_seq
            .get(&seq)
            .map_or_else(|| format!("n.º {seq}"), |&i| self.turns[i].code.clone())
    }

    /// The sequence number of the turn issued with `code`.
    fn seq_of(&self, code: &str) -> Option<u32> {
        self.by_seq
            .iter()
            .find(|(_, &i)| self.turns[i].code == code)
            .map(|(&seq, _)| seq)
    }

    /// Turns of a category the configuration no longer has (shown with its first one), and
    /// services whose prefix changed (today's codes would be shown with the new prefix).
    fn category_and_prefix_warnings(&self, spec: &OfficeSpec) -> Vec<String> {
        let office = &spec.id;
        let mut categories: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut prefixes: BTreeMap<(&str, String), BTreeSet<&str>> = BTreeMap::new();
        for t in &self.turns {
            if spec.category_idx(t.category).is_none() {
                categories.entry(t.category).or_default().push(&t.code);
            }
            let configured = spec
                .service_idx(t.service)
                .map(|s| &spec.services[s as usize]);
            if let (Some(s), Some(p)) = (configured, t.prefix) {
                if !s.prefix.eq_ignore_ascii_case(p) {
                    prefixes
                        .entry((t.service, s.prefix.clone()))
                        .or_default()
                        .insert(p);
                }
            }
        }
        let first = spec.categories.first().map_or("", |c| c.id.as_str());
        let mut warnings: Vec<String> = categories
            .into_iter()
            .map(|(category, codes)| {
                format!(
                    "aviso: oficina {office}: {} de hoy ({}) de la categoría «{category}», que ya no está configurada; se mostrarán con la categoría «{first}»",
                    super::report::count(codes.len() as u64, "turno", "turnos"),
                    codes.join(", ")
                )
            })
            .collect();
        warnings.extend(prefixes.into_iter().map(|((service, new), old)| {
            let old: Vec<&str> = old.into_iter().collect();
            format!(
                "aviso: oficina {office}: el servicio «{service}» dio hoy turnos con el prefijo «{}» y ahora tiene «{new}»; esos turnos se mostrarán con el prefijo nuevo",
                old.join("», «")
            )
        }));
        warnings
    }
}

/// The replay's errors as warnings. Events about a turn that is already orphaned are its
/// consequences and not repeated; a removed counter is named once, with its events.
fn replay_warnings(office: &str, issued: &Issued<'_>, errors: &[ApplyError]) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut orphaned = BTreeSet::new();
    let mut counters: BTreeMap<&str, u32> = BTreeMap::new();
    let mut unknown: BTreeMap<(&str, u16, bool), u32> = BTreeMap::new();
    for e in errors {
        match e {
            ApplyError::UnknownService { service, code } => {
                // `#seq`: a transfer to the service; otherwise the turn's issue.
                match code.strip_prefix('#').and_then(|s| s.parse::<u32>().ok()) {
                    Some(seq) => {
                        orphaned.insert(seq);
                        warnings.push(format!(
                            "aviso: oficina {office}: el turno {} fue transferido al servicio «{service}», que ya no está configurado; quedará en el registro y en los informes, pero no en la cola de hoy",
                            issued.code(seq)
                        ));
                    }
                    None => {
                        if let Some(seq) = issued.seq_of(code) {
                            orphaned.insert(seq);
                        }
                        warnings.push(format!(
                            "aviso: oficina {office}: el turno {code} es del servicio «{service}», que ya no está configurado; quedará en el registro y en los informes, pero no en la cola de hoy"
                        ));
                    }
                }
            }
            ApplyError::UnknownCounter(counter) => *counters.entry(counter).or_default() += 1,
            ApplyError::UnknownTurn(seq)
            | ApplyError::NotWaiting(seq)
            | ApplyError::NotCalled(seq)
                if orphaned.contains(seq) => {}
            ApplyError::UnknownTurn(seq) => warnings.push(format!(
                "aviso: oficina {office}: un evento de hoy del turno {} no se aplicará: el turno no está en el estado de hoy",
                issued.code(*seq)
            )),
            ApplyError::NotWaiting(seq) | ApplyError::NotCalled(seq) => warnings.push(format!(
                "aviso: oficina {office}: un evento de hoy del turno {} no encaja con la nueva configuración y no se aplicará",
                issued.code(*seq)
            )),
            ApplyError::OutOfSequence(seq) => warnings.push(format!(
                "aviso: oficina {office}: el registro de hoy repite el turno n.º {seq}; revíselo con turnero check-data"
            )),
            ApplyError::UnknownEvent {
                kind,
                schema,
                skippable,
            } => *unknown.entry((kind, *schema, *skippable)).or_default() += 1,
        }
    }
    for (counter, events) in counters {
        warnings.push(format!(
            "aviso: oficina {office}: la ventanilla «{counter}» ya no está configurada; eventos de hoy que la nombran: {events} (quedan en el registro, pero no se aplicarán a ninguna ventanilla)"
        ));
    }
    for ((kind, schema, skippable), n) in unknown {
        let effect = if skippable {
            "se pasa por alto"
        } else {
            "la oficina solo podrá consultarse hoy hasta que funcione una versión que lo conozca"
        };
        warnings.push(format!(
            "aviso: oficina {office}: el registro de hoy tiene {} «{kind}» del esquema {schema}, de una versión más nueva; {effect}",
            super::report::count(n, "evento", "eventos")
        ));
    }
    warnings
}
