//! Who may issue an office's turns (`ticketing`, `open_limit`, `open_limit_minutes`):
//! only paired kiosks and staff, or anyone within a per-address limit; and who may join
//! from their phone (`join`, `join_code_minutes`, `join_daily_limit`).

use super::errors::Errors;
use super::office::RawOffice;
use crate::config::{IssuingSpec, JoinMode, Ticketing};
use std::time::Duration;

/// The office's issuing rules; errors go to `errors`.
pub(super) fn issuing(errors: &mut Errors<'_>, o: &RawOffice) -> IssuingSpec {
    let mut spec = IssuingSpec::default();
    if let Some(mode) = &o.ticketing {
        spec.mode = match mode.get_ref().as_str() {
            "kiosks" => Ticketing::Kiosks,
            "open" => Ticketing::Open,
            _ => {
                errors.at(
                    mode,
                    "ticketing debe ser «kiosks» (solo kioscos vinculados y personal) u «open» (cualquiera, con un límite por dirección)",
                );
                Ticketing::Kiosks
            }
        };
    }
    if let Some(limit) = &o.open_limit {
        if !(1..=1000).contains(limit.get_ref()) {
            errors.at(
                limit,
                "open_limit debe estar entre 1 y 1000 turnos por dirección",
            );
        }
        spec.open_limit = *limit.get_ref();
    }
    if let Some(join) = &o.join {
        spec.join = match join.get_ref().as_str() {
            "off" => JoinMode::Off,
            "lobby" => JoinMode::Lobby,
            "anywhere" => JoinMode::Anywhere,
            _ => {
                errors.at(
                    join,
                    "join debe ser «off» (nadie desde su teléfono), «lobby» (con el código de la pantalla de la sala) o «anywhere» (cualquiera, con un límite diario por número de teléfono)",
                );
                JoinMode::Off
            }
        };
        if spec.join == JoinMode::Lobby && o.kiosks.is_empty() {
            errors.at(
                join,
                "join = «lobby» necesita una pantalla de la sala vinculada que muestre el código: declare al menos un [[offices.kiosks]] (su token vincula la pantalla)",
            );
        }
    }
    if let Some(minutes) = &o.join_code_minutes {
        if !(1..=60).contains(minutes.get_ref()) {
            errors.at(minutes, "join_code_minutes debe estar entre 1 y 60");
        }
        spec.join_code_window = Duration::from_secs(u64::from(*minutes.get_ref()) * 60);
    }
    if let Some(limit) = &o.join_daily_limit {
        if !(1..=50).contains(limit.get_ref()) {
            errors.at(
                limit,
                "join_daily_limit debe estar entre 1 y 50 turnos por número de teléfono y día",
            );
        }
        spec.join_daily_limit = *limit.get_ref();
    }
    if let Some(minutes) = &o.open_limit_minutes {
        if !(1..=1440).contains(minutes.get_ref()) {
            errors.at(minutes, "open_limit_minutes debe estar entre 1 y 1440");
        }
        spec.open_window = Duration::from_secs(u64::from(*minutes.get_ref()) * 60);
    }
    spec
}
