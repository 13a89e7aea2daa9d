//! Turnero.
