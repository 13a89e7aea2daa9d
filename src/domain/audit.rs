//! The audit trail's vocabulary: a member of staff's action that changed something, who
//! did it and from where. Recorded as `Event::StaffAction` in the office's log — beside
//! the change itself, in the same batch, so neither is ever written without the other.

use serde::{Deserialize, Serialize};

/// What a member of staff did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// Signed in (recorded in each office the user may act on).
    SignIn,
    /// Signed out.
    SignOut,
    /// A supervisor took a counter from the agent holding it.
    TakeOver,
    /// A turn called by its code, out of order.
    OutOfOrderCall,
    /// A no-show taken back.
    NoShowUndone,
    /// Waiting turns cancelled in bulk.
    BulkCancel,
    /// A ticket printed again.
    Reprint,
}

impl AuditAction {
    /// Every action, for lists and filters.
    pub const ALL: [AuditAction; 7] = [
        AuditAction::SignIn,
        AuditAction::SignOut,
        AuditAction::TakeOver,
        AuditAction::OutOfOrderCall,
        AuditAction::NoShowUndone,
        AuditAction::BulkCancel,
        AuditAction::Reprint,
    ];

    /// The API's name (`sign_in`, `take_over`…).
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignIn => "sign_in",
            AuditAction::SignOut => "sign_out",
            AuditAction::TakeOver => "take_over",
            AuditAction::OutOfOrderCall => "out_of_order_call",
            AuditAction::NoShowUndone => "no_show_undone",
            AuditAction::BulkCancel => "bulk_cancel",
            AuditAction::Reprint => "reprint",
        }
    }

    /// The action of an API name.
    pub fn from_name(name: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// One line of the audit trail, as the HTTP layer knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// The username.
    pub user: String,
    /// What they did.
    pub action: AuditAction,
    /// What it was about (a counter, a code, a range…), in a few words.
    pub detail: String,
    /// The client address it came from.
    pub address: String,
}
