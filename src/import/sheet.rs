//! Spreadsheets (`.xlsx`, `.xls`) read through `calamine` as the same records as a CSV:
//! every sheet that holds anything, its first non-blank row as its header line, then
//! one [`csv::StringRecord`] per row, positioned at the row's number in the sheet so that
//! every error names the sheet, the row and the column.
//!
//! Cells come out as the CSV path would have them: text as written, whole numbers as their
//! digits, other numbers without float noise (`12.3`, not `12.300000000000001`), dates as
//! `yyyy-mm-dd HH:MM:SS`. A number typed as a number with 16 or more digits (an order
//! number, a phone) has already lost digits in the spreadsheet (it keeps 15): it comes out
//! in scientific notation, which every column where digits matter refuses.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use calamine::{Data, DataRef, Reader};

use super::ImportError;

/// What a file's first bytes say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Container {
    /// A zip archive: `.xlsx` (Office Open XML).
    Xlsx,
    /// An OLE compound file: `.xls` (Excel 97–2003).
    Xls,
    /// A web page: the HTML table some seller centers save as their "Excel" export.
    Html,
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
    } else if html(prefix) {
        Container::Html
    } else {
        Container::Text
    }
}

/// Whether a file begins as a web page: `<html`, `<!DOCTYPE` or `<table` (any case), after
/// a byte-order mark (UTF-8 or UTF-16) and white space if any.
fn html(prefix: &[u8]) -> bool {
    // The first characters as ASCII: UTF-16 keeps only the code units that are ASCII.
    let start: Vec<u8> = if let Some(rest) = prefix.strip_prefix(&[0xFF, 0xFE]) {
        rest.chunks_exact(2)
            .take(64)
            .map(|u| if u[1] == 0 { u[0] } else { 0xFF })
            .collect()
    } else if let Some(rest) = prefix.strip_prefix(&[0xFE, 0xFF]) {
        rest.chunks_exact(2)
            .take(64)
            .map(|u| if u[0] == 0 { u[1] } else { 0xFF })
            .collect()
    } else {
        let rest = prefix.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(prefix);
        rest.iter().take(64).copied().collect()
    };
    let text = start.trim_ascii_start();
    [&b"<html"[..], b"<!doctype", b"<table"]
        .iter()
        .any(|tag| text.len() >= tag.len() && text[..tag.len()].eq_ignore_ascii_case(tag))
}

/// One sheet of a workbook, read row by row. Its cells are kept as their text, one after
/// the other in one string, with their places: no value or string per cell is kept.
pub(crate) struct Sheet {
    pub name: String,
    /// Every cell's text.
    text: String,
    /// The non-empty cells in (row, column) order.
    cells: Vec<SheetCell>,
    /// The first and last rows (0-based) and the first column of the cells.
    first_row: u32,
    last_row: u32,
    first_column: u32,
    /// The number of columns from the first cell's to the last one's.
    columns: usize,
    /// The next row to hand out (0-based) and the index of its first cell.
    next_row: u32,
    next_cell: usize,
    /// The width of the header line once it is read: rows are as wide as it at least.
    pub width: usize,
}

#[derive(Clone, Copy)]
struct SheetCell {
    row: u32,
    column: u32,
    start: u32,
    end: u32,
}

fn sheet_error(path: &Path, message: impl std::fmt::Display) -> ImportError {
    ImportError::Sheet {
        file: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// A workbook or a sheet that calamine could not read: the file is damaged (a truncated
/// zip or compound file, broken XML), unless it is locked by a password, which is said as
/// it is.
fn unreadable(path: &Path, sheet: Option<&str>, error: impl std::fmt::Display) -> ImportError {
    let detail = match sheet {
        Some(name) => format!("sheet {name}: {error}"),
        None => error.to_string(),
    };
    ImportError::Damaged {
        file: path.to_path_buf(),
        detail,
    }
}

/// The cells of one sheet as they are read, turned into text at once.
/// The most columns (A to XFD) and rows a worksheet has in Excel and in the file format.
const MAX_COLUMNS: u32 = 16_384;
const MAX_ROWS: u32 = 1_048_576;

#[derive(Default)]
struct Collect {
    text: String,
    cells: Vec<SheetCell>,
    filled: bool,
}

impl Collect {
    fn push(
        &mut self,
        path: &Path,
        (row, column): (u32, u32),
        value: &DataRef<'_>,
    ) -> Result<(), ImportError> {
        if matches!(value, DataRef::Empty) {
            return Ok(());
        }
        if column >= MAX_COLUMNS || row >= MAX_ROWS {
            return Err(sheet_error(
                path,
                format!(
                    "a cell lies at row {}, column {}: past the last row ({MAX_ROWS}) or \
                     column ({MAX_COLUMNS}, XFD) a spreadsheet has; the file is damaged",
                    u64::from(row) + 1,
                    u64::from(column) + 1
                ),
            ));
        }
        let start = self.text.len();
        value_text(value, &mut self.text);
        let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(self.text.len())) else {
            return Err(sheet_error(path, "the sheet holds more than 4 GB of text"));
        };
        self.filled |= !blank(&self.text[start as usize..]);
        self.cells.push(SheetCell {
            row,
            column,
            start,
            end,
        });
        Ok(())
    }
}

/// A cell's text is blank when it holds nothing but spaces.
fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

impl Sheet {
    /// Opens the workbook at `path` and reads every sheet that holds a non-blank cell, in
    /// workbook order (none: the file is empty). Each sheet's header line is the next
    /// record read from it.
    pub fn open_all(path: &Path, container: Container) -> Result<Vec<Sheet>, ImportError> {
        let file = File::open(path).map_err(|source| ImportError::Io {
            file: path.to_path_buf(),
            source,
        })?;
        let reader = BufReader::new(file);
        // calamine overflows (a panic in a debug build, a wrapped column in a release build)
        // on a cell reference with too many column letters; neither may reach the user.
        let found = quietly(|| filled_sheets(path, container, reader)).map_err(|_| {
            sheet_error(
                path,
                "the workbook's XML is damaged (a cell reference out of range): save it again \
                 from the spreadsheet, or export the file again",
            )
        })??;
        if found.is_empty() {
            return Err(ImportError::Empty {
                file: path.to_path_buf(),
            });
        }
        found
            .into_iter()
            .map(|(name, Collect { text, cells, .. })| Self::from_cells(name, text, cells))
            .collect()
    }
}

thread_local! {
    /// Set while this thread runs code whose panic is caught and said as an error.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, catching a panic without printing it (the caller says it as an error). The
/// panic hook installed once here stays silent only on a thread inside `quietly`.
fn quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result
}

/// The sheets of the workbook that hold a non-blank cell, with their cells.
fn filled_sheets(
    path: &Path,
    container: Container,
    reader: BufReader<File>,
) -> Result<Vec<(String, Collect)>, ImportError> {
    let found = match container {
        Container::Xls => {
            let xls_error = |name: Option<&str>, e: calamine::XlsError| match e {
                calamine::XlsError::Password => sheet_error(path, e),
                e => unreadable(path, name, e),
            };
            let mut workbook = calamine::Xls::new(reader).map_err(|e| xls_error(None, e))?;
            let mut found = Vec::new();
            for name in workbook.sheet_names() {
                let range = workbook
                    .worksheet_range(&name)
                    .map_err(|e| xls_error(Some(&name), e))?;
                let (row0, column0) = range.start().unwrap_or_default();
                let mut sheet = Collect::default();
                for (row, column, cell) in range.used_cells() {
                    let at = (row0 + row as u32, column0 + column as u32);
                    sheet.push(path, at, &data_ref(cell))?;
                }
                if sheet.filled {
                    found.push((name, sheet));
                }
            }
            found
        }
        _ => {
            // Cell by cell from the XML, without building the sheet's grid of values.
            let xlsx_error = |name: Option<&str>, e: calamine::XlsxError| match e {
                calamine::XlsxError::Password => sheet_error(path, e),
                e => unreadable(path, name, e),
            };
            let mut workbook = calamine::Xlsx::new(reader).map_err(|e| xlsx_error(None, e))?;
            let mut found = Vec::new();
            for name in workbook.sheet_names() {
                let failed = |e: calamine::XlsxError| xlsx_error(Some(&name), e);
                let mut cells = match workbook.worksheet_cells_reader(&name) {
                    Ok(cells) => cells,
                    // A chart sheet: no cells.
                    Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
                    Err(e) => return Err(failed(e)),
                };
                let mut sheet = Collect::default();
                while let Some(cell) = cells.next_cell().map_err(failed)? {
                    sheet.push(path, cell.get_position(), cell.get_value())?;
                }
                if sheet.filled {
                    found.push((name, sheet));
                }
            }
            found
        }
    };
    Ok(found)
}

impl Sheet {
    fn from_cells(
        name: String,
        text: String,
        mut cells: Vec<SheetCell>,
    ) -> Result<Sheet, ImportError> {
        // Rows come in order in the files seen; a cell written twice keeps its last value.
        if !cells.is_sorted_by_key(|c| (c.row, c.column)) {
            cells.sort_by_key(|c| (c.row, c.column));
        }
        cells.reverse();
        cells.dedup_by_key(|c| (c.row, c.column));
        cells.reverse();
        let first_row = cells.first().map_or(0, |c| c.row);
        let last_row = cells.last().map_or(0, |c| c.row);
        let first_column = cells.iter().map(|c| c.column).min().unwrap_or(0);
        let last_column = cells.iter().map(|c| c.column).max().unwrap_or(0);
        Ok(Sheet {
            name,
            text,
            cells,
            first_row,
            last_row,
            first_column,
            columns: (last_column - first_column) as usize + 1,
            next_row: first_row,
            next_cell: 0,
            width: 0,
        })
    }

    /// The share of rows read so far, in thousandths, for the progress bar.
    pub fn permille(&self) -> u64 {
        let height = u64::from(self.last_row - self.first_row) + 1;
        u64::from(self.next_row - self.first_row) * 1000 / height
    }

    /// Reads the next row into `record`, positioned at its row number; `false` at the end.
    /// Columns start at the sheet's first filled column. Blank cells after the last
    /// non-blank one and beyond [`Sheet::width`] are left out (a sheet is as wide as its
    /// widest row).
    pub fn read(&mut self, record: &mut csv::StringRecord) -> bool {
        if self.next_row > self.last_row || self.cells.is_empty() {
            return false;
        }
        let row = self.next_row;
        self.next_row += 1;
        let from = self.next_cell;
        let count = self.cells[from..]
            .iter()
            .take_while(|c| c.row == row)
            .count();
        self.next_cell += count;
        let cells = &self.cells[from..from + count];
        let text = |cell: &SheetCell| &self.text[cell.start as usize..cell.end as usize];
        let used = cells
            .iter()
            .rev()
            .find(|c| !blank(text(c)))
            .map_or(0, |c| (c.column - self.first_column) as usize + 1)
            .max(self.width)
            .min(self.columns);
        record.clear();
        let mut next = cells.iter().peekable();
        for column in 0..used {
            let at = self.first_column + column as u32;
            match next.next_if(|c| c.column == at) {
                Some(cell) => record.push_field(text(cell)),
                None => record.push_field(""),
            }
        }
        let mut position = csv::Position::new();
        position.set_line(u64::from(row) + 1);
        record.set_position(Some(position));
        true
    }
}

/// A value of a grid read whole (`.xls`) as the streaming reader gives it.
fn data_ref(cell: &Data) -> DataRef<'_> {
    match cell {
        Data::Empty => DataRef::Empty,
        Data::String(text) => DataRef::SharedString(text),
        Data::DurationIso(text) => DataRef::DurationIso(text.clone()),
        Data::DateTimeIso(text) => DataRef::DateTimeIso(text.clone()),
        Data::Int(value) => DataRef::Int(*value),
        Data::Float(value) => DataRef::Float(*value),
        Data::Bool(value) => DataRef::Bool(*value),
        Data::DateTime(value) => DataRef::DateTime(*value),
        Data::Error(error) => DataRef::Error(error.clone()),
    }
}

/// A cell as the text a CSV export of it would hold.
#[cfg(test)]
pub(crate) fn cell_text(cell: &Data, out: &mut String) {
    value_text(&data_ref(cell), out);
}

/// A cell's value as the text a CSV export of it would hold.
fn value_text(cell: &DataRef<'_>, out: &mut String) {
    use std::fmt::Write;
    match cell {
        DataRef::Empty => {}
        DataRef::SharedString(text) => out.push_str(text),
        DataRef::String(text) | DataRef::DurationIso(text) => out.push_str(text),
        // `2024-03-01T10:20:30` as the CSV exports write it.
        DataRef::DateTimeIso(text) => out.push_str(&text.replacen('T', " ", 1)),
        DataRef::Int(value) => {
            let _ = write!(out, "{value}");
        }
        DataRef::Float(value) => number_text(*value, out),
        DataRef::Bool(value) => out.push_str(if *value { "TRUE" } else { "FALSE" }),
        DataRef::DateTime(value) if value.is_datetime() => {
            let (y, mo, d, h, mi, s, _) = value.to_ymd_hms_milli();
            let _ = write!(out, "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}");
        }
        DataRef::DateTime(value) => number_text(value.as_f64(), out),
        DataRef::Error(error) => {
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
        let pages: [&[u8]; 6] = [
            b"<html><body><table>",
            b"<!DOCTYPE html>\n<html>",
            b"\xEF\xBB\xBF\r\n  <TABLE border=1>",
            b"\t<Html xmlns:o=\"urn:schemas-microsoft-com:office:office\">",
            b"\xFF\xFE<\0t\0a\0b\0l\0e\0>\0",
            b"\xFE\xFF\0\n\0<\0h\0t\0m\0l\0",
        ];
        for page in pages {
            assert_eq!(container(page), Container::Html, "{page:?}");
        }
        let texts: [&[u8]; 4] = [b"<ht", b"order,<html>", b"<tab,le", b""];
        for text in texts {
            assert_eq!(container(text), Container::Text, "{text:?}");
        }
    }
}
