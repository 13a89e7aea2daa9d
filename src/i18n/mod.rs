//! Everything people read, one module per language with the same items: `es` (Spanish,
//! the default) and `en` (English). Tests in `en.rs` keep the two from drifting apart.
//!
//! Code that speaks picks the module by a [`Language`] with [`in_language!`], so every
//! language answers from the same table and a missing text is a compile error.

pub mod en;
pub mod es;

pub use crate::domain::Language;

/// Evaluates an expression written against a language module, with `$m` bound to the
/// module of `$language`: `in_language!(lang, |m| m::BAD_DATE)`.
#[macro_export]
macro_rules! in_language {
    ($language:expr, |$m:ident| $body:expr) => {
        match $language {
            $crate::domain::Language::Es => {
                use $crate::i18n::es as $m;
                $body
            }
            $crate::domain::Language::En => {
                use $crate::i18n::en as $m;
                $body
            }
        }
    };
}

/// The audit trail's action names, as a filter takes them (`sign_in, sign_out, …`).
pub(crate) fn audit_action_names() -> String {
    crate::domain::AuditAction::ALL
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
