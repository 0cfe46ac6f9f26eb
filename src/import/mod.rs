//! CSV order import: marketplace exports → validated [`NewOrder`]s plus every rejected row
//! with its file, line, column and reason. Parsing only; the store writes.
//!
//! Three entry points share one reading pipeline ([`reader`]): the file's encoding is
//! detected (or chosen by the user), the bytes are decoded to UTF-8 *while streaming* into a
//! `csv::Reader` (the file is never held in memory), columns are looked up **by header
//! name** once, and every row is converted cell by cell ([`cells`]). A bad cell becomes a
//! [`RowError`] naming the file, the physical line where the record starts and the column;
//! parsing goes on so that all problems are reported at once, and an order with any bad row
//! (its own row or one of its item rows) is left out of [`Parsed::orders`].
//!
//! - [`parse_taobao`]: the seller center's order report + item report (see [`taobao`] for
//!   the columns and the status table).
//! - [`parse_shopify`]: Shopify's orders export (see [`shopify`]).
//! - [`parse_jd`], [`parse_pdd`], [`parse_douyin`]: JD POP, Pinduoduo and Douyin shop
//!   exports, one row per order line, read by the shared [`rows`] reader (see each module
//!   for its columns and status table).
//! - [`detect_format`]: which of these a file is, by its header line.
//! - [`parse_mapped`]: any other CSV through a saved [`ColumnMapping`] (see [`mapped`]).
//!
//! Whole-file problems (unreadable, empty, a required column missing, cancelled) are an
//! [`ImportError`] instead.

pub mod address;
pub mod cart;
pub mod cells;
pub mod detect;
pub mod douyin;
pub mod generate;
pub mod jd;
pub mod mapped;
pub mod pdd;
pub mod products;
pub(crate) mod reader;
pub mod refunds;
pub(crate) mod rows;
pub mod safe_csv;
pub(crate) mod sheet;
pub mod ship_upload;
pub mod shopify;
pub mod taobao;

use std::fmt;
use std::path::PathBuf;

pub use crate::domain::model::NewOrder;
pub use address::{AddressParts, split_taobao_address};
pub use detect::{Detected, FileKind, detect_format, detect_kind};
pub use douyin::parse_douyin;
pub use generate::generate_taobao_pair;
pub use jd::parse_jd;
pub use mapped::{ColumnMapping, Field, Preview, headers, parse_mapped};
pub use pdd::parse_pdd;
pub use products::{ParsedProducts, parse_products, write_products};
pub use shopify::parse_shopify;
pub use taobao::{TAOBAO_STATUSES, parse_taobao, taobao_status};

/// The text encoding a file was read with, or the kind of spreadsheet it is (a
/// spreadsheet's cells are text already: it has no encoding to choose).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    /// UTF-16 with its byte-order mark: a spreadsheet's "Unicode text" save.
    Utf16Le,
    Utf16Be,
    /// GB18030, a superset of GBK and GB2312: what Taobao's exports and Chinese Excel write.
    Gb18030,
    /// Traditional Chinese, from Taiwan and Hong Kong.
    Big5,
    ShiftJis,
    /// Any other encoding `chardetng` may answer (EUC-KR, windows-1252, …).
    Other(&'static encoding_rs::Encoding),
    /// Not text: an Office Open XML workbook (`.xlsx`).
    Xlsx,
    /// Not text: an Excel 97–2003 workbook (`.xls`).
    Xls,
}

impl Encoding {
    /// The name shown to the user, e.g. in the import preview.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Gb18030 => "GB18030",
            Encoding::Big5 => "Big5",
            Encoding::ShiftJis => "Shift-JIS",
            Encoding::Other(encoding) => encoding.name(),
            Encoding::Xlsx => ".xlsx spreadsheet",
            Encoding::Xls => ".xls spreadsheet",
        }
    }

    /// Whether the file is a spreadsheet rather than text.
    pub fn is_spreadsheet(self) -> bool {
        matches!(self, Encoding::Xlsx | Encoding::Xls)
    }

    pub(crate) fn encoding_rs(self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Utf16Le => encoding_rs::UTF_16LE,
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
            Encoding::Gb18030 => encoding_rs::GB18030,
            Encoding::Big5 => encoding_rs::BIG5,
            Encoding::ShiftJis => encoding_rs::SHIFT_JIS,
            Encoding::Other(encoding) => encoding,
            // A spreadsheet's cells are not decoded: they are Rust strings already.
            Encoding::Xlsx | Encoding::Xls => encoding_rs::UTF_8,
        }
    }

    /// The encoding of `chardetng`'s answer (GBK and GB2312 are read as GB18030).
    pub(crate) fn from_encoding_rs(encoding: &'static encoding_rs::Encoding) -> Encoding {
        if encoding == encoding_rs::UTF_8 {
            Encoding::Utf8
        } else if encoding == encoding_rs::GBK || encoding == encoding_rs::GB18030 {
            Encoding::Gb18030
        } else if encoding == encoding_rs::BIG5 {
            Encoding::Big5
        } else if encoding == encoding_rs::SHIFT_JIS {
            Encoding::ShiftJis
        } else {
            Encoding::Other(encoding)
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How to choose a file's encoding: detect it, or the user's override from the preview.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum EncodingChoice {
    /// BOM first (UTF-8, UTF-16), then "is the beginning valid UTF-8?", then `chardetng`.
    #[default]
    Auto,
    Utf8,
    Gb18030,
    Big5,
    ShiftJis,
}

impl EncodingChoice {
    /// The encoding chosen, or `None` to detect it.
    pub(crate) fn forced(self) -> Option<Encoding> {
        match self {
            EncodingChoice::Auto => None,
            EncodingChoice::Utf8 => Some(Encoding::Utf8),
            EncodingChoice::Gb18030 => Some(Encoding::Gb18030),
            EncodingChoice::Big5 => Some(Encoding::Big5),
            EncodingChoice::ShiftJis => Some(Encoding::ShiftJis),
        }
    }
}

/// One bad row (or cell) of an input file. Parsing continues after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub file: PathBuf,
    /// The sheet of a spreadsheet (`.xlsx`, `.xls`); `None` for a text file.
    pub sheet: Option<String>,
    /// The physical line (1-based) where the record starts; the header is line 1. In a
    /// spreadsheet, the row number in the sheet.
    pub line: u64,
    /// The column's header as written in the file (trimmed).
    pub column: String,
    pub message: String,
}

impl RowError {
    /// Where the row is within its file: `12` for a text file's line, `Sheet1!12` for a
    /// spreadsheet's row (the window's "line" column).
    pub fn at(&self) -> String {
        match &self.sheet {
            Some(sheet) => format!("{sheet}!{}", self.line),
            None => self.line.to_string(),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sheet {
            Some(sheet) => write!(
                f,
                "{}: sheet {sheet}, row {}: column {}: {}",
                self.file.display(),
                self.line,
                self.column,
                self.message
            ),
            None => write!(
                f,
                "{}:{}: column {}: {}",
                self.file.display(),
                self.line,
                self.column,
                self.message
            ),
        }
    }
}

/// The advice that ends the row error of text that did not decode, in the window's words:
/// the window chooses the encoding in its preview, the command line with `--encoding`
/// (`cli::row_text` says that instead).
pub const CHOOSE_ENCODING: &str = "choose it in the preview";

/// The result of parsing: the valid orders (in file order) and every rejected row (by file,
/// then line).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub orders: Vec<NewOrder>,
    pub rejected: Vec<RowError>,
    /// The encoding each file was read with, in the order the files were read.
    pub encodings: Vec<(PathBuf, Encoding)>,
    /// The files whose encoding is the detector's guess without confidence: the preview
    /// says so, and the user may choose another.
    pub guessed: Vec<PathBuf>,
}

impl Parsed {
    /// How many rows were rejected: a row with several bad cells counts once.
    pub fn rejected_rows(&self) -> u64 {
        let mut rows: Vec<(&PathBuf, Option<&str>, u64)> = self
            .rejected
            .iter()
            .map(|e| (&e.file, e.sheet.as_deref(), e.line))
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows.len() as u64
    }
}

/// A problem with a whole file: nothing of it can be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}: {source}", file.display())]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is empty: there is not even a header line", file.display())]
    Empty { file: PathBuf },
    /// A file with its header line and no order below it (a Taobao pair: its order report).
    #[error(
        "{} holds no orders: it has its header line and no rows under it, so there is \
         nothing to import",
        file.display()
    )]
    NoOrders { file: PathBuf },
    #[error(
        "{} is not a text export: it holds binary data. Import the CSV or .xlsx file the \
         seller center gave (a spreadsheet can save any sheet as CSV)",
        file.display()
    )]
    NotText { file: PathBuf },
    #[error(
        "{}: missing column(s) {}; the header line has: {}{}",
        file.display(),
        missing.join(", "),
        said_headers(found),
        hint.as_deref().map(|h| format!(" ({h})")).unwrap_or_default()
    )]
    MissingColumns {
        file: PathBuf,
        /// The expected headers that were not found.
        missing: Vec<String>,
        /// The headers the file does have, trimmed.
        found: Vec<String>,
        /// A guess at what went wrong, e.g. the order and item reports swapped.
        hint: Option<String>,
    },
    #[error(
        "{}: the file is UTF-8 but for byte {byte} of line {line} (0x{value:02X}), which is \
         not: correct that character and save the file as UTF-8 again, or choose UTF-8 for \
         it (--encoding utf-8, or in the preview) to import the rest and have that row \
         rejected",
        file.display()
    )]
    AlmostUtf8 {
        file: PathBuf,
        /// The line of the first bad byte (1-based).
        line: u64,
        /// Its place in the line, in bytes (1-based).
        byte: u64,
        value: u8,
    },
    #[error("{}:{line}: not readable as CSV: {message}", file.display())]
    Csv {
        file: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{}: not readable as a spreadsheet: {message}", file.display())]
    Sheet { file: PathBuf, message: String },
    /// A spreadsheet whose container or XML does not read (cut short by a download, a
    /// full disk, a copy): `detail` is what the reading library found.
    #[error(
        "{} is incomplete or damaged: download or export it again, or open it in a \
         spreadsheet and save it again ({detail})",
        file.display()
    )]
    Damaged { file: PathBuf, detail: String },
    /// A web page (an HTML table), which some seller centers save as an "Excel" export.
    #[error(
        "{} is a web page (HTML), not a spreadsheet or a CSV file (some seller centers save \
         their \"Excel\" export this way): open it in a spreadsheet, save it as .xlsx or CSV, \
         then import that file",
        file.display()
    )]
    WebPage { file: PathBuf },
    #[error("{}: {message}", file.display())]
    UnknownFormat { file: PathBuf, message: String },
    #[error("column mapping \"{profile}\": {message}")]
    Mapping { profile: String, message: String },
    #[error("import cancelled")]
    Cancelled,
}

/// A header line as said in an error: at most 60 headers of at most 40 characters each.
pub(crate) fn said_headers(found: &[String]) -> String {
    let mut said: Vec<String> = found
        .iter()
        .take(60)
        .map(|h| match h.char_indices().nth(40) {
            Some((at, _)) => format!("{}…", &h[..at]),
            None => h.clone(),
        })
        .collect();
    if found.len() > 60 {
        said.push(format!("… ({} in all)", found.len()));
    }
    said.join(", ")
}

/// The signature of the progress/cancel callback: called now and then with the number of
/// bytes read so far (over all files of the import); return `false` to cancel.
pub type Progress<'a> = &'a dyn Fn(u64) -> bool;

#[cfg(test)]
mod marketplace_tests;
#[cfg(test)]
mod tests;
