//! The QR code on the ticket: native (`GS ( k`) or drawn as a raster image (`GS v 0`).
//!
//! Both ways use Model 2, error correction M, byte mode, and a module size chosen so the
//! symbol plus its four-module quiet zone fits the paper's printable width.

use qrcode::bits::Bits;
use qrcode::{Color, EcLevel, QrCode, Version};

use crate::escpos::EscPos;
use crate::layout::PaperWidth;

/// Quiet zone the QR specification asks for, in modules, on each side.
const QUIET_ZONE: usize = 4;

/// Why a QR code could not be printed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    /// The data does not fit any QR version at level M.
    #[error("QR data too long ({0} bytes)")]
    TooLong(usize),
    /// The symbol would not fit the paper even at one dot per module.
    #[error("QR symbol of {0} modules does not fit the paper")]
    TooWide(usize),
}

/// The smallest QR version whose byte mode holds `data` at level M, and its width in
/// modules. Byte mode is what printers use for `GS ( k`, so the native symbol's size is
/// predicted exactly (an optimal mixed-mode encoding could be smaller).
fn byte_mode_width(data: &[u8]) -> Result<usize, QrError> {
    for v in 1..=40i16 {
        let mut bits = Bits::new(Version::Normal(v));
        if bits.push_byte_data(data).is_ok() && bits.push_terminator(EcLevel::M).is_ok() {
            return Ok(17 + 4 * v as usize);
        }
    }
    Err(QrError::TooLong(data.len()))
}

/// Dots per module so that `modules` plus the quiet zone fit `paper`, capped so the
/// symbol stays a comfortable size for a phone camera.
fn module_dots(modules: usize, paper: PaperWidth) -> Result<u8, QrError> {
    let fit = paper.dots() / (modules + 2 * QUIET_ZONE);
    let dots = fit.min(usize::from(paper.max_qr_module_dots()));
    if dots == 0 {
        return Err(QrError::TooWide(modules));
    }
    Ok(dots as u8)
}

/// Appends a native QR code (`GS ( k`: Model 2, module size, level M, store, print).
pub fn native(out: &mut EscPos, data: &[u8], paper: PaperWidth) -> Result<(), QrError> {
    let size = module_dots(byte_mode_width(data)?, paper)?;
    out.qr_model2()
        .qr_module_size(size)
        .qr_error_correction_m()
        .qr_store(data)
        .qr_print();
    Ok(())
}

/// Appends the QR code as a `GS v 0` raster image as wide as the printable area, symbol
/// centred, quiet zone included, for printers without native QR support.
pub fn raster(out: &mut EscPos, data: &[u8], paper: PaperWidth) -> Result<(), QrError> {
    let version = {
        let width = byte_mode_width(data)?;
        Version::Normal(((width - 17) / 4) as i16)
    };
    let code = QrCode::with_version(data, version, EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(data, EcLevel::M))
        .map_err(|_| QrError::TooLong(data.len()))?;
    let modules = code.width();
    let scale = usize::from(module_dots(modules, paper)?);
    let colors = code.to_colors();

    let row_bytes = paper.dots() / 8;
    let side = (modules + 2 * QUIET_ZONE) * scale;
    let height = side;
    let left = (paper.dots() - side) / 2 + QUIET_ZONE * scale;
    let top = QUIET_ZONE * scale;
    let mut bits = vec![0u8; row_bytes * height];
    for my in 0..modules {
        let mut row = vec![0u8; row_bytes];
        for mx in 0..modules {
            if colors[my * modules + mx] == Color::Dark {
                for x in left + mx * scale..left + (mx + 1) * scale {
                    row[x / 8] |= 0x80 >> (x % 8);
                }
            }
        }
        for y in top + my * scale..top + (my + 1) * scale {
            bits[y * row_bytes..(y + 1) * row_bytes].copy_from_slice(&row);
        }
    }
    // Both fit u16: at most 72 bytes per row and (177 + 8) × 8 rows.
    out.raster(row_bytes as u16, height as u16, &bits);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_grow_with_data() {
        assert_eq!(byte_mode_width(b"hola"), Ok(21));
        assert_eq!(byte_mode_width(&[b'a'; 62]), Ok(33));
        assert_eq!(byte_mode_width(&[b'a'; 63]), Ok(37));
        assert_eq!(byte_mode_width(&[b'a'; 3000]), Err(QrError::TooLong(3000)));
    }

    #[test]
    fn module_size_fits_the_paper() {
        for paper in [PaperWidth::Mm80, PaperWidth::Mm58] {
            for modules in [21, 33, 57, 101, 177] {
                let dots = usize::from(module_dots(modules, paper).unwrap());
                assert!((modules + 8) * dots <= paper.dots());
            }
        }
        assert_eq!(module_dots(33, PaperWidth::Mm80), Ok(8));
        assert_eq!(module_dots(33, PaperWidth::Mm58), Ok(6));
    }
}
