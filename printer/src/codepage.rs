//! Unicode text → single-byte printer code pages (PC850, WPC1252), with transliteration.
//!
//! Every character the chosen page holds is sent as its own byte; anything else is
//! transliterated to something the page holds (`“` → `"`, `€` → `EUR` in PC850, `ő` →
//! `o`) and, failing that, printed as `?`. Raw UTF-8 never reaches the paper, and no
//! control byte ever comes out of [`CodePage::encode`], so text cannot inject printer
//! commands. Each output byte is exactly one printed column, which is what the layout
//! wraps on.

use unicode_normalization::char::decompose_canonical;
use unicode_normalization::UnicodeNormalization;

/// A printer character code table, selected with `ESC t n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CodePage {
    /// IBM PC850 "Multilingual Latin 1" (`ESC t 2`): every Epson-class printer has it.
    #[default]
    Pc850,
    /// Windows-1252 (`ESC t 16`): Latin-1 plus `€ “ ” – —`, on most current printers.
    Wpc1252,
}

/// Upper half (0x80..=0xFF) of IBM code page 850, as published by IBM.
const PC850_HIGH: [char; 128] = [
    'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', // 0x80
    'É', 'æ', 'Æ', 'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', 'ø', '£', 'Ø', '×', 'ƒ', // 0x90
    'á', 'í', 'ó', 'ú', 'ñ', 'Ñ', 'ª', 'º', '¿', '®', '¬', '½', '¼', '¡', '«', '»', // 0xA0
    '░', '▒', '▓', '│', '┤', 'Á', 'Â', 'À', '©', '╣', '║', '╗', '╝', '¢', '¥', '┐', // 0xB0
    '└', '┴', '┬', '├', '─', '┼', 'ã', 'Ã', '╚', '╔', '╩', '╦', '╠', '═', '╬', '¤', // 0xC0
    'ð', 'Ð', 'Ê', 'Ë', 'È', 'ı', 'Í', 'Î', 'Ï', '┘', '┌', '█', '▄', '¦', 'Ì', '▀', // 0xD0
    'Ó', 'ß', 'Ô', 'Ò', 'õ', 'Õ', 'µ', 'þ', 'Þ', 'Ú', 'Û', 'Ù', 'ý', 'Ý', '¯', '´', // 0xE0
    '\u{AD}', '±', '‗', '¾', '¶', '§', '÷', '¸', '°', '¨', '·', '¹', '³', '²', '■',
    '\u{A0}', // 0xF0
];

/// Marks a byte that Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D).
const UNDEF: char = '\0';

/// Upper half (0x80..=0xFF) of Windows-1252: 0x80..=0x9F as published by Microsoft,
/// 0xA0..=0xFF identical to ISO-8859-1.
const WPC1252_HIGH: [char; 128] = {
    let mut t = [UNDEF; 128];
    let c1: [char; 32] = [
        '€', UNDEF, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', UNDEF, 'Ž', UNDEF,
        UNDEF, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', UNDEF, 'ž', 'Ÿ',
    ];
    let mut i = 0;
    while i < 32 {
        t[i] = c1[i];
        i += 1;
    }
    while i < 128 {
        // 0xA0..=0xFF is Latin-1: the byte value is the code point.
        t[i] = match char::from_u32(0x80 + i as u32) {
            Some(c) => c,
            None => UNDEF,
        };
        i += 1;
    }
    t
};

impl CodePage {
    /// The `n` of `ESC t n` that selects this page on Epson-class printers.
    pub fn esc_t(self) -> u8 {
        match self {
            CodePage::Pc850 => 2,
            CodePage::Wpc1252 => 16,
        }
    }

    fn high(self) -> &'static [char; 128] {
        match self {
            CodePage::Pc850 => &PC850_HIGH,
            CodePage::Wpc1252 => &WPC1252_HIGH,
        }
    }

    /// The byte for `c` in this page, if the page holds it (printable characters only).
    pub fn encode_char(self, c: char) -> Option<u8> {
        if (' '..='~').contains(&c) {
            return Some(c as u8);
        }
        if c == UNDEF || c.is_ascii() {
            return None;
        }
        self.high()
            .iter()
            .position(|&h| h == c)
            .map(|i| 0x80 + i as u8)
    }

    /// The character printed for byte `b`, or `None` for control and undefined bytes.
    pub fn decode_byte(self, b: u8) -> Option<char> {
        match b {
            0x20..=0x7E => Some(b as char),
            0x80..=0xFF => Some(self.high()[usize::from(b - 0x80)]).filter(|&c| c != UNDEF),
            _ => None,
        }
    }

    /// Encodes text for printing: one byte per printed column, no control bytes.
    ///
    /// Text is first composed (NFC), so `n` + combining tilde prints as `ñ`. Line breaks
    /// and tabs become spaces; other control and invisible characters are dropped.
    pub fn encode(self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len());
        for c in text.nfc() {
            self.encode_one(c, &mut out);
        }
        out
    }

    fn encode_one(self, c: char, out: &mut Vec<u8>) {
        if let Some(b) = self.encode_char(c) {
            // Soft hyphen only matters where a line is broken; we never break there.
            if c != '\u{AD}' {
                out.push(b);
            }
            return;
        }
        if let Some(rep) = transliterate(c) {
            for r in rep.chars() {
                if let Some(b) = self.encode_char(r) {
                    out.push(b);
                }
            }
            return;
        }
        if is_invisible(c) {
            return;
        }
        // A letter with a mark the page lacks (ő, ā, ş): keep the base letter.
        let mut base = Vec::new();
        let mut all_known = true;
        decompose_canonical(c, |d| match self.encode_char(d) {
            Some(b) => base.push(b),
            None if is_combining_mark(d) => {}
            None => all_known = false,
        });
        if all_known && !base.is_empty() {
            out.extend_from_slice(&base);
        } else {
            out.push(b'?');
        }
    }
}

/// Replacements for common characters that one or both pages lack. Only characters that
/// both pages hold may appear on the right.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        '\n' | '\r' | '\t' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '‘' | '’' | '‚' | '‛' | '′' | '‹' | '›' => "'",
        '“' | '”' | '„' | '‟' | '″' => "\"",
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => "-",
        '…' => "...",
        '€' => "EUR",
        '•' | '‣' | '◦' => "*",
        '™' => "TM",
        '†' => "+",
        '‡' => "++",
        '‰' => "o/oo",
        'ˆ' => "^",
        '˜' => "~",
        'Œ' => "OE",
        'œ' => "oe",
        'Ł' => "L",
        'ł' => "l",
        'Đ' => "D",
        'đ' => "d",
        'Ħ' => "H",
        'ħ' => "h",
        '≤' => "<=",
        '≥' => ">=",
        '≠' => "!=",
        '←' => "<-",
        '→' => "->",
        '№' => "No",
        _ => return None,
    })
}

/// Characters that print as nothing: controls, zero-width and emoji modifiers.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}'
            | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}')
        || is_combining_mark(c)
}

/// Combining diacritical marks left over after composition (a mark on a letter that has
/// no precomposed form).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pc850_spanish_letters() {
        let cp = CodePage::Pc850;
        for (c, b) in [
            ('á', 0xA0),
            ('é', 0x82),
            ('í', 0xA1),
            ('ó', 0xA2),
            ('ú', 0xA3),
            ('ñ', 0xA4),
            ('Ñ', 0xA5),
            ('¿', 0xA8),
            ('¡', 0xAD),
            ('ü', 0x81),
            ('Ü', 0x9A),
            ('Á', 0xB5),
            ('É', 0x90),
            ('Í', 0xD6),
            ('Ó', 0xE0),
            ('Ú', 0xE9),
            ('º', 0xA7),
            ('ª', 0xA6),
            ('®', 0xA9),
            ('·', 0xFA),
            ('-', 0x2D),
        ] {
            assert_eq!(cp.encode_char(c), Some(b), "{c}");
        }
    }

    #[test]
    fn wpc1252_spanish_letters_are_latin1() {
        let cp = CodePage::Wpc1252;
        for c in "áéíóúñÑ¿¡üÜÁÉÍÓÚºª®·".chars() {
            assert_eq!(cp.encode_char(c), Some(c as u32 as u8), "{c}");
        }
        assert_eq!(cp.encode_char('€'), Some(0x80));
        assert_eq!(cp.encode_char('“'), Some(0x93));
        assert_eq!(cp.encode_char('—'), Some(0x97));
        assert_eq!(cp.encode_char('-'), Some(0x2D));
    }

    #[test]
    fn tables_round_trip() {
        for cp in [CodePage::Pc850, CodePage::Wpc1252] {
            for b in 0x20..=0xFFu8 {
                if let Some(c) = cp.decode_byte(b) {
                    assert_eq!(cp.encode_char(c), Some(b), "{cp:?} {b:#x}");
                }
            }
        }
    }

    #[test]
    fn transliterates_what_the_page_lacks() {
        let cp = CodePage::Pc850;
        assert_eq!(cp.encode("“Hola” – ya"), b"\"Hola\" - ya");
        assert_eq!(cp.encode("5 €"), b"5 EUR");
        assert_eq!(cp.encode("ok 👍🏽!"), b"ok ?!");
        assert_eq!(cp.encode("Łódź"), b"L\xA2dz");
        assert_eq!(cp.encode("Kraków"), b"Krak\xA2w");
        assert_eq!(CodePage::Wpc1252.encode("5 €"), vec![b'5', b' ', 0x80]);
        assert_eq!(CodePage::Wpc1252.encode("ő"), b"o");
    }

    #[test]
    fn decomposed_input_is_composed() {
        assert_eq!(CodePage::Pc850.encode("an\u{303}o"), vec![b'a', 0xA4, b'o']);
    }

    #[test]
    fn no_control_bytes_escape() {
        let out = CodePage::Pc850.encode("a\x1b@b\x1dV\x00c\u{85}\nd\u{AD}e");
        assert!(out.iter().all(|&b| b >= 0x20), "{out:?}");
        assert_eq!(out, b"a@bVc de");
    }
}
