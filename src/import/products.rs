//! The product CSV: import creates and updates products by code; export writes
//! the same columns, every cell safe to open in a spreadsheet.
//!
//! | column (English or Chinese header) | becomes |
//! |---|---|
//! | code / 商品编码 (required) | the product's key |
//! | name / 名称 | name |
//! | barcodes / 条码 | barcodes, separated by `;` or `|` |
//! | supplier_item_no / 厂家货号 | supplier item number |
//! | bin / 货位 | bin location |
//! | price / 售价, cost / 成本 | cents (`34.00`) |
//! | weight_grams / 重量 | grams |
//! | reorder_point / 补货点 | whole number |
//! | components / 套装组成 | a bundle: `CUP*1;TEA*2` |
//! | active / 启用 | `1`/`0`, `yes`/`no`, `是`/`否`; empty keeps the product as it is |
//! | on_hand / 实际库存 | exported for reading; ignored on import (stock moves only through the ledger) |
//!
//! The whole file is all or nothing: any bad row and nothing is written.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use super::cells::{clean, clean_number, money_or_zero, scientific_problem};
use super::reader::{ColumnSpec, CsvFile, Row, is_blank, spec};
use super::{Encoding, EncodingChoice, ImportError, Progress, RowError};
use crate::domain::format_cents;
use crate::domain::inventory::unneutralise_cell;
use crate::domain::model::NewProduct;
use crate::store::ProductExportRow;

/// The columns the export writes, in order (the import accepts these headers).
pub const HEADERS: [&str; 12] = [
    "code",
    "name",
    "barcodes",
    "supplier_item_no",
    "bin",
    "price",
    "cost",
    "weight_grams",
    "reorder_point",
    "components",
    "active",
    "on_hand",
];

pub(crate) const COLUMNS: [ColumnSpec; 11] = [
    spec(&["code", "商品编码", "Code"], true),
    spec(&["name", "名称", "商品名称", "Name"], false),
    spec(&["barcodes", "条码", "barcode", "Barcodes"], false),
    spec(&["supplier_item_no", "厂家货号"], false),
    spec(&["bin", "货位", "Bin"], false),
    spec(&["price", "售价", "Price"], false),
    spec(&["cost", "成本", "Cost"], false),
    spec(&["weight_grams", "重量", "重量(克)"], false),
    spec(&["reorder_point", "补货点"], false),
    spec(&["components", "套装组成"], false),
    spec(&["active", "启用"], false),
];

/// A parsed product file: the products (file order), their active flag where given, and
/// every bad row. Only an empty `rejected` may be imported.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedProducts {
    pub products: Vec<NewProduct>,
    pub active: Vec<Option<bool>>,
    pub rejected: Vec<RowError>,
    pub encoding: Option<Encoding>,
    /// Whether the encoding is the detector's guess (said in the summary and the preview).
    pub encoding_guessed: bool,
    /// Where each of `products` was read (file, sheet, line; the components column), for
    /// the errors found when the products are checked against the shop's.
    pub places: Vec<RowError>,
}

impl ParsedProducts {
    /// Checks every bundle's components against this file's products and the shop's
    /// (`is_bundle(code)`: `None` when the shop has no such product, else whether it is a
    /// bundle): a component must be a single product of one or the other. Each problem
    /// becomes a rejected row at the bundle's line, in its components column.
    pub fn check_components<E>(
        &mut self,
        mut is_bundle: impl FnMut(&str) -> Result<Option<bool>, E>,
    ) -> Result<(), E> {
        let in_file: std::collections::HashMap<&str, bool> = self
            .products
            .iter()
            .map(|p| (p.code.as_str(), !p.components.is_empty()))
            .collect();
        let mut found = Vec::new();
        for (product, place) in self.products.iter().zip(&self.places) {
            for (component, _) in &product.components {
                let bundle = match in_file.get(component.as_str()) {
                    Some(&bundle) => Some(bundle),
                    None => is_bundle(component)?,
                };
                let problem = match bundle {
                    Some(false) => continue,
                    Some(true) => format!(
                        "component {component} is a bundle itself: a bundle is made of single \
                         products"
                    ),
                    None => format!(
                        "component {component} is neither in this file nor a product of the \
                         shop: add it, or correct the code"
                    ),
                };
                let mut error = place.clone();
                error.message = format!("bundle {}: {problem}", product.code);
                found.push(error);
            }
        }
        self.rejected.extend(found);
        self.rejected.sort_by_key(|e| e.line);
        Ok(())
    }
}

fn whole(cell: &str) -> Result<i64, String> {
    let text = clean_number(cell);
    if text.is_empty() {
        return Ok(0);
    }
    match text.parse::<i64>() {
        Ok(n) if n >= 0 => Ok(n),
        _ => Err(format!(
            "expected a whole number of 0 or more, found \"{text}\""
        )),
    }
}

fn active_flag(cell: &str) -> Result<Option<bool>, String> {
    match clean(cell).to_lowercase().as_str() {
        "" => Ok(None),
        "1" | "yes" | "y" | "true" | "是" => Ok(Some(true)),
        "0" | "no" | "n" | "false" | "否" => Ok(Some(false)),
        other => Err(format!(
            "expected 1 or 0 (yes/no, 是/否), found \"{other}\""
        )),
    }
}

/// `CUP*1;TEA*2` → `[(CUP, 1), (TEA, 2)]`.
pub fn parse_components(cell: &str) -> Result<Vec<(String, i64)>, String> {
    let mut out: Vec<(String, i64)> = Vec::new();
    for part in clean(cell)
        .split([';', '；'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (code, quantity) = match part.rsplit_once(['*', '×', 'x']) {
            Some((code, n)) if n.trim().parse::<i64>().is_ok() => {
                (code.trim(), n.trim().parse::<i64>().unwrap_or(0))
            }
            _ => (part, 1),
        };
        if code.is_empty() || quantity < 1 {
            return Err(format!(
                "expected components like CUP*1;TEA*2, found \"{part}\""
            ));
        }
        if out.iter().any(|(c, _)| c == code) {
            return Err(format!("component {code} is listed twice"));
        }
        out.push((code.to_owned(), quantity));
    }
    Ok(out)
}

/// Reads a product CSV (UTF-8 or GBK, detected). Every bad cell is reported with its line
/// and column; parsing goes on to the end.
pub fn parse_products(
    file: &Path,
    encoding: EncodingChoice,
    progress: Progress<'_>,
) -> Result<ParsedProducts, ImportError> {
    let mut csv_file = CsvFile::open(file, encoding)?;
    let columns = csv_file.columns(&COLUMNS, |_| None)?;
    let mut parsed = ParsedProducts {
        encoding: Some(csv_file.encoding),
        encoding_guessed: !csv_file.encoding_sure,
        ..ParsedProducts::default()
    };
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    while csv_file.next(&mut record, progress, 0)? {
        if is_blank(&record) {
            continue;
        }
        let mut row = Row::new(csv_file.place(), &record);
        row.check_record(&csv_file.headers, csv_file.encoding);
        let col = |i: usize| columns[i].as_ref();
        let text = |row: &Row<'_>, i: usize| unneutralise_cell(clean(row.raw(col(i)))).to_owned();
        let code = clean_number(&text(&row, 0)).to_owned();
        let code_name = col(0).map_or("code", |c| c.name.as_str()).to_owned();
        if code.is_empty() {
            row.error(&code_name, "a product needs a code".to_owned());
        } else if code.chars().count() > 64 {
            row.error(&code_name, "a code has at most 64 characters".to_owned());
        } else if let Some(first) = seen.get(&code) {
            row.error(
                &code_name,
                format!("code {code} appears again (first on line {first})"),
            );
        } else {
            seen.insert(code.clone(), row.line);
        }
        let name = text(&row, 1);
        if name.chars().count() > 200 {
            let column = col(1).map_or("name", |c| c.name.as_str()).to_owned();
            row.error(&column, "a name has at most 200 characters".to_owned());
        }
        let barcodes: Vec<String> = clean_number(&text(&row, 2))
            .split([';', '|', '；'])
            .map(|b| b.trim().to_owned())
            .filter(|b| !b.is_empty())
            .collect();
        for barcode in &barcodes {
            if let Some(message) = scientific_problem(
                "barcode",
                barcode,
                "export the products again (or type the barcodes as text) and import that \
                 file as it is",
            ) {
                let column = col(2).map_or("barcodes", |c| c.name.as_str()).to_owned();
                row.error(&column, message);
            }
        }
        let price = row.convert(col(5), |c| money_or_zero(unneutralise_cell(clean(c))));
        let cost = row.convert(col(6), |c| money_or_zero(unneutralise_cell(clean(c))));
        let weight = row.convert(col(7), |c| whole(unneutralise_cell(clean(c))));
        let reorder = row.convert(col(8), |c| whole(unneutralise_cell(clean(c))));
        let components = row.convert(col(9), parse_components);
        let active = row.convert(col(10), active_flag);
        for (value, index, what) in [(price, 5, "price"), (cost, 6, "cost")] {
            if value.is_some_and(|v| v < 0) {
                let column = col(index).map_or(what, |c| c.name.as_str()).to_owned();
                row.error(&column, format!("a {what} cannot be negative"));
            }
        }
        if let Some(components) = &components
            && components.iter().any(|(c, _)| *c == code)
        {
            let column = col(9).map_or("components", |c| c.name.as_str()).to_owned();
            row.error(&column, format!("bundle {code} cannot contain itself"));
        }
        if !row.errors.is_empty() {
            parsed.rejected.append(&mut row.errors);
            continue;
        }
        let components_column = col(9).map_or("components", |c| c.name.as_str());
        parsed
            .places
            .push(row.place.error(row.line, components_column, String::new()));
        parsed.products.push(NewProduct {
            code,
            name,
            barcodes,
            supplier_item_no: clean_number(&text(&row, 3)).to_owned(),
            attributes: Vec::new(),
            bin: text(&row, 4),
            price_cents: price.unwrap_or(0),
            cost_cents: cost.unwrap_or(0),
            weight_grams: weight.unwrap_or(0),
            reorder_point: reorder.unwrap_or(0),
            components: components.unwrap_or_default(),
        });
        parsed.active.push(active.unwrap_or(None));
    }
    Ok(parsed)
}

/// Writes products as CSV (UTF-8 with a BOM, so spreadsheets detect it) with [`HEADERS`];
/// every cell that a spreadsheet would run as a formula is neutralised.
pub fn write_products(rows: &[ProductExportRow], out: impl Write) -> Result<(), csv::Error> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())?;
    let mut writer = super::safe_csv::SafeCsv::new(out);
    writer.record(HEADERS)?;
    for row in rows {
        let p = &row.product;
        let components: Vec<String> = p
            .components
            .iter()
            .map(|(code, n)| format!("{code}*{n}"))
            .collect();
        let cells = [
            p.code.clone(),
            p.name.clone(),
            p.barcodes.join(";"),
            p.supplier_item_no.clone(),
            p.bin.clone(),
            format_cents(p.price_cents),
            format_cents(p.cost_cents),
            p.weight_grams.to_string(),
            p.reorder_point.to_string(),
            components.join(";"),
            if row.active { "1" } else { "0" }.to_owned(),
            row.on_hand.to_string(),
        ];
        writer.record(&cells)?;
    }
    writer.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &[u8]) -> ParsedProducts {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("p.csv");
        std::fs::write(&path, text).expect("write");
        parse_products(&path, EncodingChoice::Auto, &|_| true).expect("parse")
    }

    #[test]
    fn components_table() {
        type Components = Option<&'static [(&'static str, i64)]>;
        let cases: &[(&str, Components)] = &[
            ("", Some(&[])),
            ("CUP*1;TEA*2", Some(&[("CUP", 1), ("TEA", 2)])),
            ("CUP", Some(&[("CUP", 1)])),
            ("CUP×3；TEA", Some(&[("CUP", 3), ("TEA", 1)])),
            ("CUP*0", None),
            ("CUP;CUP", None),
        ];
        for (cell, expected) in cases {
            let expected = expected.map(|list| {
                list.iter()
                    .map(|(c, n)| ((*c).to_owned(), *n))
                    .collect::<Vec<_>>()
            });
            assert_eq!(parse_components(cell).ok(), expected, "{cell}");
        }
    }

    #[test]
    fn errors_name_line_and_column_and_export_round_trips() {
        let parsed = parse(
            "code,name,price,reorder_point,barcodes\nA,杯子,12.50,3,69A;69B\nB,碟,abc,1,\nA,again,1,1,\n"
                .as_bytes(),
        );
        assert_eq!(parsed.products.len(), 1);
        let errors: Vec<(u64, &str)> = parsed
            .rejected
            .iter()
            .map(|e| (e.line, e.column.as_str()))
            .collect();
        assert_eq!(errors, vec![(3, "price"), (4, "code")]);
        assert_eq!(parsed.products[0].barcodes, vec!["69A", "69B"]);
        assert_eq!(parsed.products[0].price_cents, 1250);

        let mut out = Vec::new();
        let rows = vec![ProductExportRow {
            product: NewProduct {
                code: "=CMD".to_owned(),
                name: "@evil".to_owned(),
                ..parsed.products[0].clone()
            },
            active: true,
            on_hand: -2,
        }];
        write_products(&rows, &mut out).expect("write");
        let text = String::from_utf8(out.clone()).expect("utf8");
        assert!(text.contains("'=CMD,'@evil"), "{text}");
        assert!(text.contains(",'-2"), "{text}");
        let back = parse(&out);
        assert_eq!(back.rejected, vec![]);
        assert_eq!(back.products[0].code, "=CMD");
        assert_eq!(back.products[0].name, "@evil");
    }
}
