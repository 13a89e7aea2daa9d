//! Who may issue an office's turns (`ticketing`, `open_limit`, `open_limit_minutes`):
//! only paired kiosks and staff, or anyone within a per-address limit.

use super::errors::Errors;
use super::office::RawOffice;
use crate::config::{IssuingSpec, Ticketing};
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
    if let Some(minutes) = &o.open_limit_minutes {
        if !(1..=1440).contains(minutes.get_ref()) {
            errors.at(minutes, "open_limit_minutes debe estar entre 1 y 1440");
        }
        spec.open_window = Duration::from_secs(u64::from(*minutes.get_ref()) * 60);
    }
    spec
}
