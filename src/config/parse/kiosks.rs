//! An office's kiosks (`[[offices.kiosks]]`): the device token each is paired with, where
//! each prints, with which paper, code page and QR mode, and how long and how often a job
//! is tried.

use super::errors::Errors;
use super::office::RawOffice;
use crate::config::{KioskPrinter, KioskSpec};
use serde::Deserialize;
use std::collections::HashSet;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKiosk {
    id: Spanned<String>,
    name: String,
    token_hash: Option<Spanned<String>>,
    printer: Option<Spanned<String>>,
    width: Option<Spanned<u32>>,
    code_page: Option<Spanned<String>>,
    qr: Option<Spanned<String>>,
    agent_token_hash: Option<Spanned<String>>,
    ttl_seconds: Option<Spanned<u32>>,
    max_attempts: Option<Spanned<u32>>,
}

/// The office's kiosks; errors go to `errors`.
pub(super) fn kiosks(errors: &mut Errors<'_>, o: &RawOffice) -> Vec<KioskSpec> {
    use turnero_printer::{CodePage, PaperWidth, PrintOptions, QrMode};
    let mut kiosks = Vec::new();
    let mut seen = HashSet::new();
    for k in &o.kiosks {
        let k = k.get_ref();
        errors.slug(&k.id, "kiosco");
        errors.unique(&mut seen, &k.id, "El kiosco");
        let before = errors.list.len();
        let token_hash = match &k.token_hash {
            Some(hash) if is_sha256(hash.get_ref()) => Some(hash.get_ref().trim().to_owned()),
            Some(hash) => {
                errors.at(
                    hash,
                    "token_hash debe ser «sha256:» seguido de 64 cifras hexadecimales: genérelo con «turnero new-device-token»",
                );
                None
            }
            None => None,
        };
        let printer = match &k.printer {
            Some(printer) => printer_of(errors, k, printer),
            None => {
                if let Some(hash) = &k.agent_token_hash {
                    errors.at(hash, "agent_token_hash solo se usa con printer = \"agent\"");
                }
                None
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
        {
            kiosks.push(KioskSpec {
                id: k.id.get_ref().clone(),
                name: k.name.clone(),
                token_hash,
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

/// Where a kiosk prints, from its `printer` (and `agent_token_hash` for an agent).
fn printer_of(
    errors: &mut Errors<'_>,
    k: &RawKiosk,
    printer: &Spanned<String>,
) -> Option<KioskPrinter> {
    use turnero_printer::PrinterAddress;
    if printer.get_ref().trim() == "agent" {
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
                    printer,
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
        match printer.get_ref().parse::<PrinterAddress>() {
            Ok(address) => Some(KioskPrinter::Direct(address)),
            Err(_) => {
                errors.at(
                    printer,
                    format!(
                        "la impresora «{}» no es válida: use tcp://equipo:9100, file:/dev/usb/lp0, dir:/carpeta o agent",
                        printer.get_ref()
                    ),
                );
                None
            }
        }
    }
}

/// Whether `s` is `sha256:<64 hex>`.
fn is_sha256(s: &str) -> bool {
    s.trim()
        .strip_prefix("sha256:")
        .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether `s` is a device-token hash we can check: `sha256:<64 hex>` or argon2 (checked
/// once per agent connection, so its cost does not matter).
fn is_agent_token_hash(s: &str) -> bool {
    is_sha256(s) || argon2::PasswordHash::new(s.trim()).is_ok()
}
