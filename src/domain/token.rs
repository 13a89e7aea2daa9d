//! Ticket tokens: 96 random bits plus the local day the ticket belongs to, URL-safe.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A ticket's opaque handle: 12 random bytes followed by the day (days since year 1).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token([u8; 16]);

impl Token {
    /// The token of a placeholder turn, which no citizen holds (never looked up).
    pub const PLACEHOLDER: Token = Token([0; 16]);

    /// Builds a token from randomness chosen by the caller and the ticket's local day.
    pub fn new(entropy: [u8; 12], day: NaiveDate) -> Self {
        let mut bytes = [0u8; 16];
        bytes[..12].copy_from_slice(&entropy);
        bytes[12..].copy_from_slice(&(day.num_days_from_ce() as u32).to_le_bytes());
        Token(bytes)
    }

    /// The local day the ticket was issued on.
    pub fn day(&self) -> Option<NaiveDate> {
        let days = u32::from_le_bytes([self.0[12], self.0[13], self.0[14], self.0[15]]);
        NaiveDate::from_num_days_from_ce_opt(days as i32)
    }

    /// Parses the 22-character URL-safe form.
    pub fn parse(s: &str) -> Option<Self> {
        if s.len() != 22 {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(s).ok()?;
        Some(Token(bytes.try_into().ok()?))
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&URL_SAFE_NO_PAD.encode(self.0))
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({self})")
    }
}

impl serde::Serialize for Token {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Token {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Token::parse(&s).ok_or_else(|| serde::de::Error::custom("invalid token"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keeps_the_day() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let t = Token::new([7; 12], day);
        let s = t.to_string();
        assert_eq!(s.len(), 22);
        assert!(s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(Token::parse(&s), Some(t));
        assert_eq!(t.day(), Some(day));
        assert_eq!(Token::parse("short"), None);
    }
}
