//! Spreadsheets (`.xlsx`, `.xls`) read through `calamine` as the same records as a CSV:
//! the first sheet that holds anything, its first non-blank row as the header line, then
//! one [`csv::StringRecord`] per row, positioned at the row's number in the sheet so that
//! every error names the sheet, the row and the column.
//!
//! Cells come out as the CSV path would have them: text as written, whole numbers as their
//! digits, other numbers without float noise (`12.3`, not `12.300000000000001`), dates as
//! `yyyy-mm-dd HH:MM:SS`. A number typed as a number with 16 or more digits (an order
//! number, a phone) has already lost digits in the spreadsheet (it keeps 15): it comes out
//! in scientific notation, which every column where digits matter refuses.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use calamine::{Data, Range, Reader};

use super::ImportError;

/// What a file's first bytes say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Container {
    /// A zip archive: `.xlsx` (Office Open XML).
    Xlsx,
    /// An OLE compound file: `.xls` (Excel 97–2003).
    Xls,
    /// Anything else: text.
    Text,
}

/// The container of a file by its magic bytes (the name's extension is not trusted: a
/// seller center may send an `.xls` that is really HTML or CSV, or the reverse).
pub(crate) fn container(prefix: &[u8]) -> Container {
    if prefix.starts_with(b"PK\x03\x04") {
        Container::Xlsx
    } else if prefix.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Container::Xls
    } else {
        Container::Text
    }
}

/// One sheet of a workbook, read row by row.
pub(crate) struct Sheet {
    pub name: String,
    range: Range<Data>,
    /// The index in `range` of the next row to hand out.
    next: usize,
    /// The sheet row number (1-based) of `range`'s first row.
    first_row: u64,
    /// The width of the header line once it is read: rows are as wide as it at least.
    pub width: usize,
}

fn sheet_error(path: &Path, message: impl std::fmt::Display) -> ImportError {
    ImportError::Sheet {
        file: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// The first sheet of a workbook that holds a non-blank cell; `None` when none does.
fn first_sheet<R: Read + std::io::Seek, W: Reader<R>>(
    path: &Path,
    mut workbook: W,
) -> Result<Option<(String, Range<Data>)>, ImportError>
where
    W::Error: std::fmt::Display,
{
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| sheet_error(path, format!("sheet {name}: {e}")))?;
        if range.used_cells().any(|(_, _, cell)| !blank(cell)) {
            return Ok(Some((name, range)));
        }
    }
    Ok(None)
}

fn blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(text) => text.trim().is_empty(),
        _ => false,
    }
}

impl Sheet {
    /// Opens the workbook at `path` and takes its first sheet with data. The header line
    /// is the next record read.
    pub fn open(path: &Path, container: Container) -> Result<Sheet, ImportError> {
        let file = File::open(path).map_err(|source| ImportError::Io {
            file: path.to_path_buf(),
            source,
        })?;
        let reader = BufReader::new(file);
        let found = match container {
            Container::Xls => first_sheet(
                path,
                calamine::Xls::new(reader).map_err(|e| sheet_error(path, e))?,
            )?,
            _ => first_sheet(
                path,
                calamine::Xlsx::new(reader).map_err(|e| sheet_error(path, e))?,
            )?,
        };
        let Some((name, range)) = found else {
            return Err(ImportError::Empty {
                file: path.to_path_buf(),
            });
        };
        let first_row = range.start().map_or(1, |(row, _)| u64::from(row) + 1);
        Ok(Sheet {
            name,
            range,
            next: 0,
            first_row,
            width: 0,
        })
    }

    /// The share of rows read so far, in thousandths, for the progress bar.
    pub fn permille(&self) -> u64 {
        let height = self.range.height().max(1) as u64;
        self.next as u64 * 1000 / height
    }

    /// Reads the next row into `record`, positioned at its row number; `false` at the end.
    /// Blank cells after the last non-blank one and beyond [`Sheet::width`] are left out
    /// (a sheet is as wide as its widest row).
    pub fn read(&mut self, record: &mut csv::StringRecord) -> bool {
        // By index: `Range::rows().nth(n)` walks from the first row every time.
        let (height, width) = self.range.get_size();
        if self.next >= height {
            return false;
        }
        let at = self.next;
        let number = self.first_row + at as u64;
        self.next += 1;
        record.clear();
        let cell = |column: usize| self.range.get((at, column)).unwrap_or(&Data::Empty);
        let used = (0..width)
            .rev()
            .find(|&c| !blank(cell(c)))
            .map_or(0, |c| c + 1)
            .max(self.width)
            .min(width);
        let mut text = String::new();
        for column in 0..used {
            text.clear();
            cell_text(cell(column), &mut text);
            record.push_field(&text);
        }
        let mut position = csv::Position::new();
        position.set_line(number);
        record.set_position(Some(position));
        true
    }
}

/// A cell as the text a CSV export of it would hold.
pub(crate) fn cell_text(cell: &Data, out: &mut String) {
    use std::fmt::Write;
    match cell {
        Data::Empty => {}
        Data::String(text) | Data::DurationIso(text) => out.push_str(text),
        // `2024-03-01T10:20:30` as the CSV exports write it.
        Data::DateTimeIso(text) => out.push_str(&text.replacen('T', " ", 1)),
        Data::Int(value) => {
            let _ = write!(out, "{value}");
        }
        Data::Float(value) => number_text(*value, out),
        Data::Bool(value) => out.push_str(if *value { "TRUE" } else { "FALSE" }),
        Data::DateTime(value) if value.is_datetime() => {
            let (y, mo, d, h, mi, s, _) = value.to_ymd_hms_milli();
            let _ = write!(out, "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}");
        }
        Data::DateTime(value) => number_text(value.as_f64(), out),
        Data::Error(error) => {
            let _ = write!(out, "{error}");
        }
    }
}

/// The largest whole number a spreadsheet keeps exactly (it keeps 15 significant digits).
const EXACT_LIMIT: f64 = 1e15;

/// A number cell as text: whole numbers as their digits, others rounded to ten decimals
/// without trailing zeros, and numbers too long to be exact in scientific notation.
fn number_text(value: f64, out: &mut String) {
    use std::fmt::Write;
    if !value.is_finite() {
        let _ = write!(out, "{value}");
    } else if value.abs() >= EXACT_LIMIT {
        let _ = write!(out, "{value:E}");
    } else if value.fract() == 0.0 {
        let _ = write!(out, "{value:.0}");
    } else {
        let start = out.len();
        let _ = write!(out, "{value:.10}");
        let trimmed = out[start..]
            .trim_end_matches('0')
            .trim_end_matches('.')
            .len();
        out.truncate(start + trimmed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_come_out_as_a_csv_would_hold_them() {
        let text = |cell: Data| {
            let mut out = String::new();
            cell_text(&cell, &mut out);
            out
        };
        let cases = [
            (Data::Float(1234567890.0), "1234567890"),
            (Data::Float(123456789012345.0), "123456789012345"),
            (Data::Float(1.2345678901234568e17), "1.2345678901234568E17"),
            (Data::Float(12.3), "12.3"),
            (Data::Float(0.1 + 0.2), "0.3"),
            (Data::Float(-5.5), "-5.5"),
            (Data::Int(42), "42"),
            (Data::String("  text ".into()), "  text "),
            (Data::String("TS-001 T恤".into()), "TS-001 T恤"),
            (
                Data::DateTimeIso("2024-03-01T10:20:30".into()),
                "2024-03-01 10:20:30",
            ),
            (Data::Bool(true), "TRUE"),
            (Data::Error(calamine::CellErrorType::NA), "#N/A"),
            (Data::Empty, ""),
            (
                Data::DateTime(calamine::ExcelDateTime::new(
                    45943.5,
                    calamine::ExcelDateTimeType::DateTime,
                    false,
                )),
                "2025-10-13 12:00:00",
            ),
        ];
        for (cell, expected) in cases {
            assert_eq!(text(cell.clone()), expected, "{cell:?}");
        }
        assert!(super::super::cells::is_scientific(&text(Data::Float(
            7.56843e17
        ))));
    }

    #[test]
    fn containers_by_magic_bytes() {
        assert_eq!(container(b"PK\x03\x04rest"), Container::Xlsx);
        assert_eq!(
            container(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            Container::Xls
        );
        assert_eq!(container("订单编号,".as_bytes()), Container::Text);
    }
}
