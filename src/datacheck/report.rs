//! The sentences `check-data` prints, in Spanish: one line per file, notes under it, and
//! a summary.

use super::repair::Repaired;
use super::scan::{FileCheck, SequenceIssue};
use std::path::Path;

/// `1 registro`, `2 registros`.
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    match n.into() {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// The line of a file that could not be read.
pub fn unreadable(path: &Path, e: &std::io::Error) -> String {
    format!("{}: NO SE PUDO LEER: {e}", path.display())
}

/// The file's line: `OK` with its records and turns, or what is damaged, where, and what
/// a repair keeps and removes (`repairing`: it is about to).
pub fn file_line(path: &Path, check: &FileCheck, repairing: bool) -> String {
    let records = count(check.decoded.version(), "registro", "registros");
    let turns = count(check.turns as u64, "turno", "turnos");
    let unknown = check.unknown().count() as u64;
    let unknown = if unknown > 0 {
        format!(
            "; {} de una versión más nueva (no es daño, se conserva)",
            count(unknown, "evento desconocido", "eventos desconocidos")
        )
    } else {
        String::new()
    };
    if check.intact() {
        return format!("{}: OK: {records}, {turns}{unknown}", path.display());
    }
    let mut wrong = Vec::new();
    if check.decoded.magic_damaged {
        wrong.push(format!(
            "cabecera del archivo dañada (bytes 0 a {})",
            crate::store::record::MAGIC.len() - 1
        ));
    }
    for d in check.middle_damage() {
        wrong.push(format!(
            "{} dañados en el medio desde el byte {} ({}), con registros íntegros después",
            count(d.len as u64, "byte", "bytes"),
            d.offset,
            d.reason
        ));
    }
    if let Some(t) = &check.decoded.torn {
        wrong.push(format!(
            "final incompleto: {} desde el byte {} ({})",
            count(t.len as u64, "byte", "bytes"),
            t.offset,
            t.reason
        ));
    }
    if check.spans.is_none() {
        wrong.push("no se pudieron delimitar sus registros íntegros; no se puede reparar".into());
    }
    if check.sequence_unexplained() {
        wrong.push("la secuencia de turnos no es continua (ver abajo)".into());
    }
    let (keep, remove) = if repairing {
        ("se conservan", "se quitan")
    } else {
        ("se conservarían", "se quitarían")
    };
    let intact = count(
        check.decoded.version(),
        "registro íntegro",
        "registros íntegros",
    );
    let outcome = if check.needs_repair() {
        let removed = match check.removed_bytes() {
            0 => "sin quitar nada".to_owned(),
            n => format!("y {remove} {}", count(n, "byte", "bytes")),
        };
        let magic = if check.decoded.magic_damaged {
            if repairing {
                " y se rehace la cabecera"
            } else {
                " y se reharía la cabecera"
            }
        } else {
            ""
        };
        format!("; {keep} {intact} ({turns}) {removed}{magic}")
    } else {
        format!("; {intact} ({turns}), nada que quitar")
    };
    format!(
        "{}: DAÑADO: {}{outcome}{unknown}",
        path.display(),
        wrong.join("; ")
    )
}

/// Notes under a file's line: breaks in the sequence, and events this version does not
/// know (which are not damage).
pub fn notes(check: &FileCheck) -> Vec<String> {
    let why = if check.sequence_unexplained() {
        "ningún daño del archivo lo explica"
    } else if check.middle_damage().next().is_some() {
        "lo tendrían los bytes dañados; la numeración seguirá por encima de lo que pudieran tener"
    } else {
        "estaba en bytes dañados ya retirados, que el registro anota; la numeración sigue por encima"
    };
    let mut notes = Vec::new();
    for issue in &check.sequence {
        notes.push(match issue {
            SequenceIssue::Missing {
                from,
                to,
                offset,
                before,
                after,
            } => {
                let missing = if from == to {
                    format!("falta el turno n.º {from}")
                } else {
                    format!("faltan los turnos n.º {from} a {to}")
                };
                let between = match before {
                    Some(b) => format!("entre {b} y {after}"),
                    None => format!("antes de {after}"),
                };
                format!("secuencia: {missing} del día, {between} (byte {offset}): {why}")
            }
            SequenceIssue::Repeated { seq, offset, code } => format!(
                "secuencia: el turno {code} del byte {offset} repite el n.º {seq}, ya usado ese día; la reparación no lo toca: revise el archivo"
            ),
        });
    }
    for (span, u) in check.unknown() {
        let kind = if u.kind.is_empty() {
            "sin tipo legible".to_owned()
        } else {
            format!("«{}»", u.kind)
        };
        let effect = if u.skippable {
            "marcado como omisible: esta versión lo pasa por alto"
        } else {
            "no omisible: esta versión solo podrá consultar ese día hasta que funcione una que lo conozca"
        };
        notes.push(format!(
            "evento desconocido {kind} del esquema {} en el byte {}: no es daño y se conserva siempre; {effect}",
            u.schema, span.offset
        ));
    }
    notes
}

/// The line after a file was repaired.
pub fn repaired(done: &Repaired) -> String {
    format!(
        "reparado: se quitaron {}, se conservan {} y se añadió un registro del daño para que la numeración siga por encima; original completo en {}",
        count(done.removed, "byte", "bytes"),
        count(done.kept, "registro", "registros"),
        done.backup.display()
    )
}

/// Why a file that does not check out is left as it is by `--repair`.
pub fn not_repaired(check: &FileCheck) -> String {
    if check.spans.is_none() {
        "no se repara: no se pudieron delimitar sus registros; el log no se ha tocado".into()
    } else {
        "no se repara: no tiene bytes dañados que quitar, y la reparación nunca quita registros íntegros; revise la secuencia a mano".into()
    }
}

/// What `check-data` found over all the files.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    /// Files read.
    pub files: u64,
    /// Files that check out.
    pub intact: u64,
    /// Files that do not.
    pub damaged: u64,
    /// Files that could not be read.
    pub unreadable: u64,
    /// Files repaired.
    pub repaired: u64,
    /// Records of unknown events (not damage).
    pub unknown: u64,
}

impl Tally {
    /// Counts one file.
    pub fn add(&mut self, check: &FileCheck) {
        self.files += 1;
        if check.intact() {
            self.intact += 1;
        } else {
            self.damaged += 1;
        }
        self.unknown += check.unknown().count() as u64;
    }

    /// Whether every file read checks out.
    pub fn all_intact(&self) -> bool {
        self.damaged == 0 && self.unreadable == 0
    }
}

/// The closing lines.
pub fn summary(dir: &Path, t: &Tally, repair: bool) -> Vec<String> {
    let mut lines = Vec::new();
    if t.files + t.unreadable == 0 {
        lines.push(format!(
            "resumen: {} no tiene registros de ninguna oficina",
            dir.display()
        ));
        return lines;
    }
    let mut s = format!(
        "resumen: {}: {}, {}",
        count(
            t.files + t.unreadable,
            "archivo revisado",
            "archivos revisados"
        ),
        count(t.intact, "íntegro", "íntegros"),
        count(t.damaged, "dañado", "dañados")
    );
    if t.unreadable > 0 {
        s.push_str(&format!(
            ", {}",
            count(t.unreadable, "ilegible", "ilegibles")
        ));
    }
    if t.unknown > 0 {
        s.push_str(&format!(
            "; {} de una versión más nueva (no son daño)",
            count(t.unknown, "evento desconocido", "eventos desconocidos")
        ));
    }
    lines.push(s);
    if repair {
        if t.repaired > 0 {
            lines.push(format!(
                "{}; cada original quedó completo junto a su log (*.log.before-repair-…)",
                count(t.repaired, "archivo reparado", "archivos reparados")
            ));
        }
    } else if !t.all_intact() {
        lines.push(format!(
            "no se ha cambiado nada; para reparar, detenga el servidor y ejecute: turnero check-data {} --repair",
            dir.display()
        ));
    }
    lines
}
