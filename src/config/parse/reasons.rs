//! An office's `out_of_order_reasons`: the reasons an agent may give for calling a turn
//! by its code (`{ cita = "Cita programada", … }`), in the order they are written, with
//! the protocol's Spanish list when the office says nothing.

use super::errors::Errors;
use crate::domain::spec::{default_out_of_order_reasons, OutOfOrderReason};
use std::collections::BTreeMap;
use toml::Spanned;

/// The table as written: ids and labels with their places in the file.
pub(super) type RawReasons = Spanned<BTreeMap<Spanned<String>, Spanned<String>>>;

/// Longest label: it is read in a drop-down list and in the report's rows.
const MAX_LABEL_CHARS: usize = 60;

/// The office's reasons, every mistake reported at its line.
pub(super) fn out_of_order_reasons(
    errors: &mut Errors<'_>,
    raw: Option<&RawReasons>,
) -> Vec<OutOfOrderReason> {
    let Some(raw) = raw else {
        return default_out_of_order_reasons();
    };
    if raw.get_ref().is_empty() {
        errors.at(
            raw,
            "out_of_order_reasons no puede estar vacío: los llamados fuera de orden necesitan al menos un motivo",
        );
        return Vec::new();
    }
    // A TOML table has no order of its own: keep the one the file shows.
    let mut entries: Vec<_> = raw.get_ref().iter().collect();
    entries.sort_by_key(|(id, _)| id.span().start);
    entries
        .into_iter()
        .filter_map(|(id, label)| {
            errors.slug(id, "motivo de llamado fuera de orden");
            let text = label.get_ref().trim();
            if text.is_empty() || text.chars().count() > MAX_LABEL_CHARS {
                errors.at(
                    label,
                    format!(
                        "el motivo «{}» necesita un texto de 1 a {MAX_LABEL_CHARS} caracteres",
                        id.get_ref()
                    ),
                );
                return None;
            }
            Some(OutOfOrderReason {
                id: id.get_ref().clone(),
                label: text.to_owned(),
            })
        })
        .collect()
}
