//! Cart lines from a spreadsheet for a manual order: a CSV (UTF-8, GBK, …) or an `.xlsx` with a header
//! row, then one line per product: code or barcode, quantity, and an optional unit price.
//! Every bad cell is reported with its line and column; parsing goes on after it.

use std::path::Path;

use super::reader::{CsvFile, is_blank, line_of};
use super::{Encoding, EncodingChoice, ImportError, RowError};
use crate::domain::manual::{CartLine, parse_price, parse_quantity};

/// The lines read (with the line each came from) and the bad cells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CartFile {
    pub lines: Vec<(u64, CartLine)>,
    pub rejected: Vec<RowError>,
    /// The sheet read, for a spreadsheet.
    pub sheet: Option<String>,
    /// The encoding, when it is the detector's guess (the window says so).
    pub guessed: Option<Encoding>,
}

/// Reads a cart file (CSV in any encoding the order import reads, or a spreadsheet). A
/// file that cannot be read or decoded is an error as a whole.
pub fn read_cart(path: &Path) -> Result<CartFile, ImportError> {
    let mut file = CsvFile::open(path, EncodingChoice::Auto)?;
    let column = |at: usize, fallback: &str| {
        file.headers
            .get(at)
            .filter(|h| !h.is_empty())
            .cloned()
            .unwrap_or_else(|| fallback.to_owned())
    };
    let names = [column(0, "code"), column(1, "quantity"), column(2, "price")];
    let mut out = CartFile {
        sheet: file.sheet.clone(),
        guessed: (!file.encoding_sure).then_some(file.encoding),
        ..CartFile::default()
    };
    let mut record = csv::StringRecord::new();
    while file.next(&mut record, &|_| true, 0)? {
        if is_blank(&record) {
            continue;
        }
        let place = file.place();
        let line = line_of(&record);
        let cell = |at: usize| record.get(at).unwrap_or_default().trim();
        let mut reject = |at: usize, message: String| {
            out.rejected.push(place.error(line, &names[at], message));
        };
        let code = cell(0);
        let mut bad = code.is_empty();
        if bad {
            reject(0, "expected a product code or barcode".to_owned());
        }
        let quantity = parse_quantity(cell(1))
            .map_err(|e| {
                reject(1, e.to_string());
                bad = true;
            })
            .ok();
        let price = if cell(2).is_empty() {
            None
        } else {
            parse_price(cell(2))
                .map_err(|e| {
                    reject(2, e.to_string());
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
