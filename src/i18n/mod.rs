//! Everything people read, one module per language. Only Spanish for now; another
//! language is another module with the same functions.
//! `en` is English, the same items as `es` (not chosen anywhere yet).

pub mod en;
pub mod es;
