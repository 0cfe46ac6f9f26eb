//! Cart lines from a spreadsheet for a manual order: a CSV in UTF-8 or GBK with a header
//! row, then one line per product: code or barcode, quantity, and an optional unit price.
//! Every bad cell is reported with its line and column; parsing goes on after it.

use std::path::Path;

use super::reader::detect_encoding;
use super::{ImportError, RowError, row_error};
use crate::domain::manual::{CartLine, parse_price, parse_quantity};

/// The lines read (with the line each came from) and the bad cells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CartFile {
    pub lines: Vec<(u64, CartLine)>,
    pub rejected: Vec<RowError>,
}

/// Reads a cart file. A file that cannot be read or decoded is an error as a whole.
pub fn read_cart(path: &Path) -> Result<CartFile, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    let detection = detect_encoding(&bytes[..bytes.len().min(64 * 1024)])
        .map_err(|problem| problem.into_error(path))?;
    let (text, _) = detection
        .encoding
        .encoding_rs()
        .decode_with_bom_removal(&bytes);
    // Lines ending in '\r' alone (old Mac saves) are read as lines.
    let text = if super::reader::cr_only(&text) {
        std::borrow::Cow::Owned(text.replace('\r', "\n"))
    } else {
        text
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::Csv {
            file: path.to_path_buf(),
            line: 1,
            message: e.to_string(),
        })?
        .iter()
        .map(super::reader::clean_header)
        .collect();
    let column = |at: usize, fallback: &str| {
        headers
            .get(at)
            .filter(|h| !h.is_empty())
            .cloned()
            .unwrap_or_else(|| fallback.to_owned())
    };
    let mut out = CartFile::default();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Csv {
            file: path.to_path_buf(),
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |at: usize| record.get(at).unwrap_or_default().trim();
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut bad = false;
        let code = cell(0);
        if code.is_empty() {
            out.rejected.push(row_error(
                path,
                line,
                &column(0, "code"),
                "expected a product code or barcode".to_owned(),
            ));
            bad = true;
        }
        let quantity = parse_quantity(cell(1))
            .map_err(|e| {
                out.rejected
                    .push(row_error(path, line, &column(1, "quantity"), e.to_string()));
                bad = true;
            })
            .ok();
        let price = if cell(2).is_empty() {
            None
        } else {
            parse_price(cell(2))
                .map_err(|e| {
                    out.rejected
                        .push(row_error(path, line, &column(2, "price"), e.to_string()));
                    bad = true;
                })
                .ok()
        };
        if let (false, Some(quantity)) = (bad, quantity) {
            out.lines.push((
                line,
                CartLine {
                    code: code.to_owned(),
                    quantity,
                    unit_price_cents: price,
                },
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cart_file_in_gbk_is_read_and_every_bad_cell_is_reported() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("cart.csv");
        let text =
            "编码,数量,单价\nCUP,2,\n6900000000011,1,12.50\n,3,\nTEA,0,\nTEA,2,abc\nLID,1,￥3\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        std::fs::write(&path, &gbk).expect("write");
        let cart = read_cart(&path).expect("read");
        let lines: Vec<(u64, &str, i64, Option<i64>)> = cart
            .lines
            .iter()
            .map(|(l, c)| (*l, c.code.as_str(), c.quantity, c.unit_price_cents))
            .collect();
        assert_eq!(
            lines,
            vec![
                (2, "CUP", 2, None),
                (3, "6900000000011", 1, Some(1250)),
                (7, "LID", 1, Some(300))
            ]
        );
        let errors: Vec<String> = cart
            .rejected
            .iter()
            .map(|e| format!("{}: {}", e.line, e.column))
            .collect();
        assert_eq!(errors, vec!["4: 编码", "5: 数量", "6: 单价"]);
        assert!(
            cart.rejected[1]
                .to_string()
                .contains("cart.csv:5: column 数量")
        );
    }
}
