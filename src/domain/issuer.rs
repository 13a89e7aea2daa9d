//! Who asked for a turn: a paired kiosk, a staff member, or an anonymous client by its
//! address. Kept with each turn so that a supervisor can cancel, at once, every waiting
//! turn a flood brought in from one device or address.

use serde::{Deserialize, Serialize};

/// The source of a turn, as recorded in the log (`{"kiosk": "entrada"}`,
/// `{"staff": "agente1"}` or `{"address": "203.0.113.7"}`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Issuer {
    /// A kiosk that proved its device token, by id.
    Kiosk(String),
    /// A signed-in member of staff, by username.
    Staff(String),
    /// An anonymous client, by the address it came from.
    Address(String),
}

impl Issuer {
    /// `kiosk`, `staff` or `address`.
    pub fn kind(&self) -> &'static str {
        match self {
            Issuer::Kiosk(_) => "kiosk",
            Issuer::Staff(_) => "staff",
            Issuer::Address(_) => "address",
        }
    }

    /// The kiosk id, username or address.
    pub fn id(&self) -> &str {
        match self {
            Issuer::Kiosk(id) | Issuer::Staff(id) | Issuer::Address(id) => id,
        }
    }
}
