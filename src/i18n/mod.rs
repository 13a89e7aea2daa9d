//! Everything people read, one module per language. Only Spanish for now; another
//! language is another module with the same functions.

pub mod es;
