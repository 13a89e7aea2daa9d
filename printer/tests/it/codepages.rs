//! Code page tables against the published tables (IBM CP850 from `oem_cp`, Windows-1252
//! from `encoding_rs`) and the promise that no raw UTF-8 reaches the paper.

use turnero_printer::CodePage;

use crate::decoder::published_char;

#[test]
fn pc850_matches_the_published_table() {
    for b in 0x80..=0xFFu8 {
        let published = oem_cp::code_table::DECODING_TABLE_CP850[usize::from(b - 0x80)];
        assert_eq!(CodePage::Pc850.decode_byte(b), Some(published), "{b:#04x}");
        assert_eq!(
            CodePage::Pc850.encode_char(published),
            Some(b),
            "{published}"
        );
    }
}

#[test]
fn wpc1252_matches_the_published_table() {
    for b in 0x80..=0xFFu8 {
        let one = [b];
        let (s, _, _) = encoding_rs::WINDOWS_1252.decode(&one);
        let published = s.chars().next().unwrap();
        if published.is_control() {
            // 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined in Windows-1252.
            assert_eq!(CodePage::Wpc1252.decode_byte(b), None, "{b:#04x}");
            continue;
        }
        assert_eq!(
            CodePage::Wpc1252.decode_byte(b),
            Some(published),
            "{b:#04x}"
        );
        assert_eq!(
            CodePage::Wpc1252.encode_char(published),
            Some(b),
            "{published}"
        );
    }
}

#[test]
fn known_spanish_values() {
    let pc850 = [
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
        ('°', 0xF8),
        ('º', 0xA7),
    ];
    for (c, b) in pc850 {
        assert_eq!(CodePage::Pc850.encode(&c.to_string()), [b], "PC850 {c}");
        assert_eq!(
            CodePage::Wpc1252.encode(&c.to_string()),
            [c as u32 as u8],
            "1252 {c}"
        );
    }
    assert_eq!(CodePage::Wpc1252.encode("€"), [0x80]);
    assert_eq!(CodePage::Pc850.encode("€"), b"EUR");
    assert_eq!(
        CodePage::Pc850.encode("a-b"),
        b"a-b",
        "ASCII '-' stays 0x2D"
    );
    assert_eq!(CodePage::Pc850.esc_t(), 2);
    assert_eq!(CodePage::Wpc1252.esc_t(), 16);
}

#[test]
fn transliteration() {
    let cases = [
        ("“Hola”", "\"Hola\"", "“Hola”"),
        ("‘a’", "'a'", "‘a’"),
        ("8–10 — ya", "8-10 - ya", "8–10 — ya"),
        ("10 €", "10 EUR", "10 €"),
        ("…", "...", "…"),
        ("😀 ok", "? ok", "? ok"),
        ("日本", "??", "??"),
        ("Gdańsk, Łódź", "Gdansk, Lódz", "Gdansk, Lódz"),
        ("Œuvre", "OEuvre", "Œuvre"),
    ];
    for (input, pc850, wpc1252) in cases {
        let back = |cp: CodePage, page: u8| -> String {
            cp.encode(input)
                .iter()
                .map(|&b| published_char(page, b))
                .collect()
        };
        assert_eq!(back(CodePage::Pc850, 2), pc850, "PC850 {input}");
        assert_eq!(back(CodePage::Wpc1252, 16), wpc1252, "1252 {input}");
    }
}

#[test]
fn nothing_outside_the_page_ever_comes_out() {
    // Every Unicode scalar up to the end of the BMP and a slice of the emoji plane.
    let all: String = (0..0x30000u32).filter_map(char::from_u32).collect();
    for (cp, page) in [(CodePage::Pc850, 2), (CodePage::Wpc1252, 16)] {
        for b in cp.encode(&all) {
            assert!(b >= 0x20 && b != 0x7F, "{cp:?}: control byte {b:#04x}");
            // Panics on bytes the published table leaves undefined.
            published_char(page, b);
        }
    }
}
