//! How an office stands with its log: taking writes or not, read-only because the log
//! holds events this version does not know, damage found. Shown by `/readyz`.

use crate::metrics::OfficeMetrics;
use parking_lot::RwLock;
use serde::Serialize;

/// What `/readyz` says of one office.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OfficeHealth {
    /// Why the office takes no writes now (its store refuses them), if it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
    /// The unknown event that makes the office read-only, if one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<String>,
    /// Damage found in today's log (the office still opens), in Spanish.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub damage: Vec<String>,
}

impl OfficeHealth {
    /// Whether the office can take writes.
    pub fn ready(&self) -> bool {
        self.unavailable.is_none()
    }
}

/// The health shared by the writer (which sets it) and the HTTP side (which reads it).
#[derive(Default)]
pub struct HealthCell(RwLock<OfficeHealth>);

impl HealthCell {
    /// A copy of the health now.
    pub fn get(&self) -> OfficeHealth {
        self.0.read().clone()
    }

    /// Marks the office unavailable (or available again with `None`).
    pub fn set_unavailable(&self, why: Option<String>, metrics: &OfficeMetrics) {
        metrics.available.set(i64::from(why.is_none()));
        self.0.write().unavailable = why;
    }

    /// Marks the office read-only because of an unknown event (or not, with `None`).
    pub fn set_read_only(&self, kind: Option<String>, metrics: &OfficeMetrics) {
        metrics.read_only.set(i64::from(kind.is_some()));
        self.0.write().read_only = kind;
    }

    /// Records damage found while loading the day's log (replacing earlier findings).
    pub fn set_damage(&self, damage: Vec<String>) {
        self.0.write().damage = damage;
    }
}
