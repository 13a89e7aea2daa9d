//! Word wrapping of encoded text to a column width.
//!
//! Works on bytes from [`crate::codepage`], where one byte is one printed column. Lines
//! break only at ASCII spaces (the page's no-break space is kept whole); a single word
//! longer than the line is hard-broken, since there is nowhere else to break it.

/// Splits `text` into lines of at most `width` columns, collapsing runs of spaces.
/// Blank text gives no lines.
pub fn wrap(text: &[u8], width: usize) -> Vec<Vec<u8>> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line: Vec<u8> = Vec::with_capacity(width);
    for word in text.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
        let needed = if line.is_empty() {
            word.len()
        } else {
            line.len() + 1 + word.len()
        };
        if needed <= width {
            if !line.is_empty() {
                line.push(b' ');
            }
            line.extend_from_slice(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::replace(&mut line, Vec::with_capacity(width)));
        }
        let mut rest = word;
        while rest.len() > width {
            let (head, tail) = rest.split_at(width);
            lines.push(head.to_vec());
            rest = tail;
        }
        line.extend_from_slice(rest);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    fn w(s: &str, width: usize) -> Vec<String> {
        wrap(s.as_bytes(), width)
            .into_iter()
            .map(|l| String::from_utf8(l).unwrap())
            .collect()
    }

    #[test]
    fn breaks_between_words() {
        assert_eq!(w("uno dos tres cuatro", 8), ["uno dos", "tres", "cuatro"]);
        assert_eq!(w("uno dos", 7), ["uno dos"]);
    }

    #[test]
    fn never_cuts_a_word_that_fits() {
        for line in w("Renovación de cédula de ciudadanía y duplicados", 10) {
            assert!(line.len() <= 10);
        }
        assert_eq!(w("abc defghij", 8), ["abc", "defghij"]);
    }

    #[test]
    fn hard_breaks_overlong_words() {
        assert_eq!(w("ab abcdefghijk x", 5), ["ab", "abcde", "fghij", "k x"]);
    }

    #[test]
    fn blank_gives_nothing() {
        assert!(w("   ", 5).is_empty());
        assert_eq!(w("  a   b ", 5), ["a b"]);
    }
}
