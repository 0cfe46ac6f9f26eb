//! Numbers where every digit matters (order numbers, phones, barcodes, tracking numbers)
//! and the one way a spreadsheet spoils them: scientific notation.

/// Whether a text looks like a number a spreadsheet wrote in scientific notation:
/// `7.56843E+17`, `7.56843e17`.
pub fn is_scientific(text: &str) -> bool {
    let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    !whole.is_empty()
        && !exponent.is_empty()
        && !frac.is_empty()
        && [whole, frac, exponent]
            .iter()
            .all(|part| part.bytes().all(|b| b.is_ascii_digit()))
}

/// The message for a `what` (order number, phone, barcode, tracking number) written in
/// scientific notation, where every digit matters; `fix` says what to do. `None` when
/// `text` (already cleaned) is not in scientific notation.
pub fn scientific_problem(what: &str, text: &str, fix: &str) -> Option<String> {
    is_scientific(text).then(|| {
        format!(
            "{what} in scientific notation (\"{text}\"): the file was re-saved by a \
             spreadsheet, which rounded the number and lost its last digits; {fix}"
        )
    })
}
