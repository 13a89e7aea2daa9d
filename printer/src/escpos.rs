//! A small ESC/POS byte builder: exactly the commands a ticket needs, byte for byte.
//!
//! Why our own and not the `escpos` crate's `Printer`: in version 0.20.1 its
//! `partial_cut()` sends `1D 56 41 01` (feed and *full* cut), `qrcode()` selects QR
//! Model 1 unless told otherwise, its PC850/PC858 encoder sends ASCII `-` as 0xF0 and
//! lets characters missing from a table out as raw UTF-8, and its PC858 table lacks `¿`
//! and maps `®` wrongly. Each command here is a few bytes written straight from the
//! Epson ESC/POS reference, so a snapshot test shows every byte that reaches the printer.
//! Text goes in already encoded by [`crate::codepage`], which never emits control bytes.

use crate::codepage::CodePage;

const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;
const LF: u8 = 0x0A;

/// Horizontal justification (`ESC a n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left (`ESC a 0`).
    Left = 0,
    /// Centred (`ESC a 1`).
    Center = 1,
    /// Flush right (`ESC a 2`).
    Right = 2,
}

/// Accumulates ESC/POS commands for one print job.
#[derive(Debug, Default, Clone)]
pub struct EscPos {
    buf: Vec<u8>,
}

impl EscPos {
    /// An empty job.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty job with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            buf: Vec::with_capacity(capacity),
        }
    }

    /// `ESC @`: reset the printer to its power-on settings.
    pub fn init(&mut self) -> &mut Self {
        self.raw(&[ESC, b'@'])
    }

    /// `ESC t n`: select the character code table.
    pub fn code_page(&mut self, cp: CodePage) -> &mut Self {
        self.raw(&[ESC, b't', cp.esc_t()])
    }

    /// `ESC a n`: justification for the following lines.
    pub fn align(&mut self, align: Align) -> &mut Self {
        self.raw(&[ESC, b'a', align as u8])
    }

    /// `ESC E n`: emphasised (bold) on or off.
    pub fn bold(&mut self, on: bool) -> &mut Self {
        self.raw(&[ESC, b'E', u8::from(on)])
    }

    /// `GS ! n`: character size, width and height multipliers each clamped to 1..=8.
    pub fn char_size(&mut self, width: u8, height: u8) -> &mut Self {
        let w = width.clamp(1, 8) - 1;
        let h = height.clamp(1, 8) - 1;
        self.raw(&[GS, b'!', (w << 4) | h])
    }

    /// Already encoded text followed by `LF`.
    pub fn line(&mut self, encoded: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(encoded);
        self.buf.push(LF);
        self
    }

    /// `ESC d n`: print the buffer and feed `n` lines.
    pub fn feed_lines(&mut self, n: u8) -> &mut Self {
        self.raw(&[ESC, b'd', n])
    }

    /// `GS V B n` (`1D 56 42 n`): feed to the cutter plus `n` motion units, partial cut.
    pub fn partial_cut(&mut self, n: u8) -> &mut Self {
        self.raw(&[GS, b'V', 66, n])
    }

    /// `GS ( k` function 165: select QR Model 2.
    pub fn qr_model2(&mut self) -> &mut Self {
        self.raw(&[GS, b'(', b'k', 4, 0, 49, 65, 50, 0])
    }

    /// `GS ( k` function 167: module size in dots (1..=16).
    pub fn qr_module_size(&mut self, dots: u8) -> &mut Self {
        self.raw(&[GS, b'(', b'k', 3, 0, 49, 67, dots.clamp(1, 16)])
    }

    /// `GS ( k` function 169: error correction level M (15 %).
    pub fn qr_error_correction_m(&mut self) -> &mut Self {
        self.raw(&[GS, b'(', b'k', 3, 0, 49, 69, 49])
    }

    /// `GS ( k` function 180: store QR data. `data` must be at most 7089 bytes; the
    /// caller ([`crate::qr`]) checks that it fits a QR symbol long before that.
    pub fn qr_store(&mut self, data: &[u8]) -> &mut Self {
        let len = data.len().min(7089) + 3;
        self.raw(&[
            GS,
            b'(',
            b'k',
            (len & 0xFF) as u8,
            (len >> 8) as u8,
            49,
            80,
            48,
        ]);
        self.raw(&data[..len - 3])
    }

    /// `GS ( k` function 181: print the stored QR symbol.
    pub fn qr_print(&mut self) -> &mut Self {
        self.raw(&[GS, b'(', b'k', 3, 0, 49, 81, 48])
    }

    /// `GS v 0 0`: print a raster bit image, `width_bytes` × 8 dots wide, one bit per
    /// dot, MSB first, 1 = black. `bits.len()` must equal `width_bytes * height`.
    pub fn raster(&mut self, width_bytes: u16, height: u16, bits: &[u8]) -> &mut Self {
        let [xl, xh] = width_bytes.to_le_bytes();
        let [yl, yh] = height.to_le_bytes();
        self.raw(&[GS, b'v', b'0', 0, xl, xh, yl, yh]);
        self.raw(bits)
    }

    /// Appends bytes as they are.
    pub fn raw(&mut self, bytes: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(bytes);
        self
    }

    /// The finished job.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_cut_is_gs_v_b() {
        let mut p = EscPos::new();
        p.partial_cut(0);
        assert_eq!(p.into_bytes(), [0x1D, 0x56, 0x42, 0x00]);
    }

    #[test]
    fn qr_is_model_2_level_m() {
        let mut p = EscPos::new();
        p.qr_model2()
            .qr_error_correction_m()
            .qr_store(b"ab")
            .qr_print();
        assert_eq!(
            p.into_bytes(),
            [
                0x1D, 0x28, 0x6B, 4, 0, 0x31, 0x41, 0x32, 0, // model 2
                0x1D, 0x28, 0x6B, 3, 0, 0x31, 0x45, 0x31, // level M
                0x1D, 0x28, 0x6B, 5, 0, 0x31, 0x50, 0x30, b'a', b'b', // store
                0x1D, 0x28, 0x6B, 3, 0, 0x31, 0x51, 0x30, // print
            ]
        );
    }

    #[test]
    fn char_size_packs_multipliers() {
        let mut p = EscPos::new();
        p.char_size(8, 8).char_size(1, 1).char_size(2, 3);
        assert_eq!(
            p.into_bytes(),
            [0x1D, 0x21, 0x77, 0x1D, 0x21, 0x00, 0x1D, 0x21, 0x12]
        );
    }
}
