//! An independent reader of the ESC/POS bytes we send: commands, text through the
//! published code page tables (from the `oem_cp` and `encoding_rs` crates, not ours),
//! native QR payloads and raster images.

use std::fmt::Write as _;

/// Text of one printed line and the settings it was printed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub bytes: Vec<u8>,
    /// `GS !` width and height multipliers.
    pub size: (u8, u8),
    pub bold: bool,
    pub align: u8,
}

/// A `GS v 0` image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    pub width_bytes: usize,
    pub height: usize,
    pub bits: Vec<u8>,
}

impl Raster {
    pub fn black(&self, x: usize, y: usize) -> bool {
        self.bits[y * self.width_bytes + x / 8] & (0x80 >> (x % 8)) != 0
    }
}

/// A native QR symbol as stored and printed with `GS ( k`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeQr {
    pub model: u8,
    pub module: u8,
    pub ec: u8,
    pub data: Vec<u8>,
}

/// Everything read back from one job.
#[derive(Debug, Default)]
pub struct Decoded {
    pub initialized: bool,
    pub code_page: Option<u8>,
    pub lines: Vec<Line>,
    pub qr: Vec<NativeQr>,
    pub rasters: Vec<Raster>,
    /// `GS V` mode and argument, and whether anything followed it.
    pub cut: Option<(u8, u8)>,
    pub bytes_after_cut: usize,
    /// An annotated, lossless listing of the job, for snapshots.
    pub listing: String,
}

impl Decoded {
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The published character for byte `b` in ESC/POS code page `n` (`ESC t n`).
pub fn published_char(page: u8, b: u8) -> char {
    match (page, b) {
        (_, 0x20..=0x7E) => b as char,
        (2, 0x80..=0xFF) => oem_cp::code_table::DECODING_TABLE_CP850[usize::from(b - 0x80)],
        (16, 0x80..=0xFF) => {
            let one = [b];
            let (s, _, _) = encoding_rs::WINDOWS_1252.decode(&one);
            let c = s.chars().next().unwrap();
            assert!(!c.is_control(), "byte {b:#04x} is undefined in WPC1252");
            c
        }
        _ => panic!("byte {b:#04x} is not printable text in page {page}"),
    }
}

fn u(bytes: &[u8], at: usize, n: usize) -> &[u8] {
    assert!(at + n <= bytes.len(), "command truncated at {at}");
    &bytes[at..at + n]
}

/// Parses a job, panicking on anything it does not know: the job must hold only the
/// commands a ticket needs.
pub fn decode(bytes: &[u8]) -> Decoded {
    let mut d = Decoded::default();
    let mut size = (1, 1);
    let mut bold = false;
    let mut align = 0;
    let mut text: Vec<u8> = Vec::new();
    let mut stored_qr: Option<Vec<u8>> = None;
    let (mut model, mut module, mut ec) = (0, 0, 0);
    let mut i = 0;
    let out = &mut String::new();
    while i < bytes.len() {
        if d.cut.is_some() {
            d.bytes_after_cut = bytes.len() - i;
            break;
        }
        let b = bytes[i];
        match b {
            0x0A => {
                let page = d.code_page.expect("text before ESC t");
                let s: String = text.iter().map(|&b| published_char(page, b)).collect();
                let mut shown = String::new();
                for (c, &b) in s.chars().zip(&text) {
                    shown.push(c);
                    if b >= 0x80 {
                        write!(shown, "<{b:02X}>").unwrap();
                    }
                }
                writeln!(out, "LF {shown:?}").unwrap();
                d.lines.push(Line {
                    text: s,
                    bytes: std::mem::take(&mut text),
                    size,
                    bold,
                    align,
                });
                i += 1;
            }
            0x1B => {
                let cmd = u(bytes, i, 2)[1];
                match cmd {
                    b'@' => {
                        d.initialized = true;
                        writeln!(out, "ESC @").unwrap();
                        i += 2;
                    }
                    b't' | b'a' | b'E' | b'd' => {
                        let n = u(bytes, i, 3)[2];
                        match cmd {
                            b't' => d.code_page = Some(n),
                            b'a' => align = n,
                            b'E' => bold = n == 1,
                            _ => {}
                        }
                        writeln!(out, "ESC {} {n}", cmd as char).unwrap();
                        i += 3;
                    }
                    _ => panic!("unknown ESC {cmd:#04x} at {i}"),
                }
            }
            0x1D => {
                let cmd = u(bytes, i, 2)[1];
                match cmd {
                    b'!' => {
                        let n = u(bytes, i, 3)[2];
                        size = ((n >> 4) + 1, (n & 0x0F) + 1);
                        writeln!(out, "GS ! {n:#04x}").unwrap();
                        i += 3;
                    }
                    b'V' => {
                        let c = u(bytes, i, 4);
                        d.cut = Some((c[2], c[3]));
                        writeln!(out, "GS V {} {}", c[2], c[3]).unwrap();
                        i += 4;
                    }
                    b'(' => {
                        let h = u(bytes, i, 5);
                        assert_eq!(h[2], b'k', "only GS ( k is expected");
                        let len = usize::from(h[3]) + 256 * usize::from(h[4]);
                        let body = u(bytes, i + 5, len);
                        assert_eq!(body[0], 49, "QR code symbol (cn = 49)");
                        match body[1] {
                            65 => model = body[2],
                            67 => module = body[2],
                            69 => ec = body[2],
                            80 => stored_qr = Some(body[3..].to_vec()),
                            81 => d.qr.push(NativeQr {
                                model,
                                module,
                                ec,
                                data: stored_qr.take().expect("QR printed before stored"),
                            }),
                            f => panic!("unknown QR function {f}"),
                        }
                        let shown: Vec<String> = body.iter().map(|b| format!("{b:02X}")).collect();
                        writeln!(out, "GS ( k {:02X} {:02X} {}", h[3], h[4], shown.join(" "))
                            .unwrap();
                        i += 5 + len;
                    }
                    b'v' => {
                        let h = u(bytes, i, 8);
                        assert_eq!((h[2], h[3]), (b'0', 0), "GS v 0 normal mode");
                        let wb = usize::from(h[4]) + 256 * usize::from(h[5]);
                        let height = usize::from(h[6]) + 256 * usize::from(h[7]);
                        let bits = u(bytes, i + 8, wb * height).to_vec();
                        writeln!(out, "GS v 0 0 width_bytes={wb} height={height}").unwrap();
                        // Rows as hex, runs of identical rows folded.
                        let rows: Vec<&[u8]> = bits.chunks(wb).collect();
                        let mut r = 0;
                        while r < rows.len() {
                            let run = rows[r..].iter().take_while(|x| **x == rows[r]).count();
                            let hex: String = rows[r].iter().map(|b| format!("{b:02X}")).collect();
                            writeln!(out, "  {hex} x{run}").unwrap();
                            r += run;
                        }
                        d.rasters.push(Raster {
                            width_bytes: wb,
                            height,
                            bits,
                        });
                        i += 8 + wb * height;
                    }
                    _ => panic!("unknown GS {cmd:#04x} at {i}"),
                }
            }
            0x20..=0x7E | 0x80..=0xFF => {
                text.push(b);
                i += 1;
            }
            _ => panic!("control byte {b:#04x} at {i}"),
        }
    }
    assert!(text.is_empty(), "text without a final LF");
    let hash = bytes.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    });
    d.listing = format!("{} bytes, FNV-1a {hash:016x}\n{out}", bytes.len());
    d
}

/// Decodes the QR code in a raster image with `rqrr`, an independent decoder.
pub fn decode_raster_qr(r: &Raster) -> String {
    let width = r.width_bytes * 8;
    let mut img = rqrr::PreparedImage::prepare_from_bitmap(width, r.height, |x, y| r.black(x, y));
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    let (_meta, content) = grids[0].decode().expect("QR decodes");
    content
}
