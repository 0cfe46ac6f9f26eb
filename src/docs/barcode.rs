//! Code128 barcodes drawn as filled rectangles (vector: sharp on any printer).
//! barcoders encodes; the character set is chosen for the data (set C packs digit pairs,
//! so long numeric tracking numbers stay narrow).

use barcoders::sym::code128::Code128;

/// Quiet zone each side, in modules (the standard asks for 10).
pub const QUIET_MODULES: f32 = 10.0;
/// One dot of a 203 dpi thermal printer (most label printers): modules are whole dots, so
/// every bar prints the same width.
pub const DOT_MM: f32 = 0.125;
/// Narrowest module we draw: two dots at 203 dpi (0.25 mm).
pub const MIN_MODULE_MM: f32 = 2.0 * DOT_MM;
/// Widest module: three dots; wider only makes the barcode longer.
pub const MAX_MODULE_MM: f32 = 3.0 * DOT_MM;

/// The data with barcoders' character-set prefixes: set C for an even run of digits,
/// set B for the rest (`SF123456` → `ƁSFĆ123456`).
pub fn code128_input(data: &str) -> String {
    let digits_at = data
        .char_indices()
        .find(|(i, _)| data[*i..].bytes().all(|b| b.is_ascii_digit()))
        .map(|(i, _)| i)
        .unwrap_or(data.len());
    let (head, digits) = data.split_at(digits_at);
    // An odd run leaves its first digit in set B.
    let (head, digits) = if digits.len() % 2 == 1 {
        data.split_at(digits_at + 1)
    } else {
        (head, digits)
    };
    if digits.len() >= 4 && head.is_empty() {
        format!("\u{0106}{digits}")
    } else if digits.len() >= 6 {
        format!("\u{0181}{head}\u{0106}{digits}")
    } else {
        format!("\u{0181}{data}")
    }
}

/// The bars of a barcode: modules (1 = bar, 0 = space), without quiet zones.
pub fn modules(data: &str) -> Result<Vec<u8>, String> {
    let code = Code128::new(code128_input(data))
        .map_err(|e| format!("cannot make a barcode of {data:?}: {e}"))?;
    Ok(code.encode())
}

/// Bars as `(x offset, width)` in mm from the left edge of the quiet zone, and the total
/// width with both quiet zones, for a barcode that should fit in `max_width` mm.
/// The module width is the widest whole number of printer dots up to [`MAX_MODULE_MM`]
/// that fits; a barcode that would need modules narrower than [`MIN_MODULE_MM`] still
/// draws, narrower (the caller warns).
pub fn bars(data: &str, max_width: f32) -> Result<Bars, String> {
    let modules = modules(data)?;
    let count = modules.len() as f32 + 2.0 * QUIET_MODULES;
    let fits = max_width / count;
    let dots = (fits / DOT_MM).floor() * DOT_MM;
    let module = if dots >= MIN_MODULE_MM {
        dots.min(MAX_MODULE_MM)
    } else {
        fits
    };
    let mut out: Vec<(f32, f32)> = Vec::new();
    let mut run_start = None;
    for (i, m) in modules.iter().chain(std::iter::once(&0)).enumerate() {
        match (m, run_start) {
            (1, None) => run_start = Some(i),
            (0, Some(start)) => {
                out.push((
                    (QUIET_MODULES + start as f32) * module,
                    (i - start) as f32 * module,
                ));
                run_start = None;
            }
            _ => {}
        }
    }
    Ok(Bars {
        bars: out,
        width: count * module,
        module,
    })
}

/// A barcode laid out: the bars as `(x offset, width)` in mm, the total width with the
/// quiet zones, and the module (narrowest bar) width.
#[derive(Clone, Debug, PartialEq)]
pub struct Bars {
    pub bars: Vec<(f32, f32)>,
    pub width: f32,
    pub module: f32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_sets() {
        let cases = [
            ("123456", "\u{0106}123456"),
            ("SF1234567890", "\u{0181}SF\u{0106}1234567890"),
            ("SF12345678901", "\u{0181}SF1\u{0106}2345678901"),
            ("PL000012", "\u{0181}PL\u{0106}000012"),
            ("AB12", "\u{0181}AB12"),
            ("12345", "\u{0181}12345"),
        ];
        for (data, input) in cases {
            assert_eq!(code128_input(data), input, "{data}");
            assert!(modules(data).is_ok(), "{data}");
        }
    }

    #[test]
    fn bars_fit_and_keep_a_readable_module() {
        let Bars {
            bars,
            width,
            module,
        } = bars("SF1234567890123", 90.0).expect("bars");
        assert!(width <= 90.0 + 1e-3);
        assert!(module >= MIN_MODULE_MM, "{module}");
        assert!(!bars.is_empty());
        assert!(bars[0].0 >= QUIET_MODULES * module - 1e-4);
        assert_eq!(module, MAX_MODULE_MM);
        // A long number on a narrow label: whole dots still, just fewer of them.
        let long = super::bars("SF1234567890123", 60.0).expect("bars");
        assert!(
            (long.module / DOT_MM).fract().abs() < 1e-4,
            "{}",
            long.module
        );
        assert!(long.width <= 60.0 + 1e-3);
    }
}
