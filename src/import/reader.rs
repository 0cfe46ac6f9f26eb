//! The shared reading pipeline: detect the encoding, stream-decode into a `csv::Reader`,
//! look columns up by header name, and hand out records with their physical line numbers.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};

use super::sheet::{Container, Sheet, container};
use super::{Encoding, EncodingChoice, ImportError, Progress, RowError};

/// How much of the beginning of a file is looked at to detect its encoding.
const SNIFF_BYTES: usize = 64 * 1024;
/// The progress callback is called once per this many records.
const PROGRESS_EVERY: u64 = 2048;

/// A reader that counts the bytes it has read, for the progress callback.
struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// What [`detect_encoding`] found: the encoding, and whether it is certain (a BOM, valid
/// UTF-8, or a clear answer of the detector) or a guess the user should check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Detection {
    pub encoding: Encoding,
    pub sure: bool,
}

impl Detection {
    fn sure(encoding: Encoding) -> Detection {
        Detection {
            encoding,
            sure: true,
        }
    }
}

/// Why [`detect_encoding`] gave no encoding: the file is UTF-8 but for a few bytes; the
/// first bad one is byte `byte` (1-based, counted in bytes) of line `line`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodingProblem {
    pub line: u64,
    pub byte: u64,
    pub value: u8,
}

impl EncodingProblem {
    /// The whole-file error for `file`.
    pub(crate) fn into_error(self, file: &Path) -> ImportError {
        ImportError::AlmostUtf8 {
            file: file.to_path_buf(),
            line: self.line,
            byte: self.byte,
            value: self.value,
        }
    }
}

/// At most this many bad bytes in a sample that is otherwise UTF-8 make it "almost UTF-8".
const ALMOST_UTF8_BAD: usize = 3;

/// Where the first bad byte of a sample that is UTF-8 but for a few bytes is, when it is:
/// at most [`ALMOST_UTF8_BAD`] invalid sequences and ten times as many valid multi-byte
/// characters (a GBK or Big5 text breaks UTF-8 on nearly every character).
fn almost_utf8(sample: &[u8]) -> Option<EncodingProblem> {
    let mut offset = 0;
    let mut bad = 0;
    let mut first = None;
    while let Err(error) = std::str::from_utf8(&sample[offset..]) {
        let Some(len) = error.error_len() else {
            break; // a character cut at the end of the sample
        };
        let at = offset + error.valid_up_to();
        first.get_or_insert(at);
        bad += 1;
        if bad > ALMOST_UTF8_BAD {
            return None;
        }
        offset = at + len;
    }
    let at = first?;
    let multibyte = String::from_utf8_lossy(sample)
        .chars()
        .filter(|&c| !c.is_ascii() && c != '\u{fffd}')
        .count();
    if multibyte < 10 * bad {
        return None;
    }
    let before = &sample[..at];
    let end = if before.contains(&b'\n') {
        b'\n'
    } else {
        b'\r'
    };
    let line = before.iter().filter(|&&b| b == end).count() as u64 + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |p| p + 1);
    Some(EncodingProblem {
        line,
        byte: (at - start) as u64 + 1,
        value: sample[at],
    })
}

/// Whether the beginning of a file is binary data rather than text: a NUL byte, or more
/// than one byte in a hundred a control character other than tab and line ends (text in
/// any encoding ShopDesk reads has next to none).
pub(crate) fn binary(prefix: &[u8]) -> bool {
    let control = prefix
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    prefix.contains(&0) || control * 100 > prefix.len()
}

/// UTF-16 without a byte-order mark: text in it has zero bytes on one side of every
/// pair (the high byte of each ASCII character: odd places for little-endian, even ones
/// for big-endian) and next to none on the other. At least one pair in five with a zero
/// on its side, and at most one in fifty on the other.
fn utf16_without_bom(prefix: &[u8]) -> Option<Encoding> {
    let pairs = prefix.len() / 2;
    if pairs < 8 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in prefix.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let many = |zeros: usize| zeros * 5 >= pairs;
    let few = |zeros: usize| zeros * 50 <= pairs;
    if many(odd) && few(even) {
        Some(Encoding::Utf16Le)
    } else if many(even) && few(odd) {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// The legacy CJK encodings of the detector's answers that ShopDesk names.
const CJK: [&encoding_rs::Encoding; 3] =
    [encoding_rs::GBK, encoding_rs::BIG5, encoding_rs::SHIFT_JIS];

/// Chooses the encoding of a file from its first bytes.
///
/// A BOM wins (UTF-8, or UTF-16 from a spreadsheet's "Unicode text" save); then a
/// beginning that is valid UTF-8 (a multi-byte character cut at the end of the sample is
/// allowed) is UTF-8; a beginning that is UTF-8 but for a few bytes is refused with the
/// place of the first bad byte (read as anything else, every header would be garbage);
/// otherwise `chardetng`'s answer is used: GBK (read as GB18030, its superset), Big5,
/// Shift-JIS or another. The answer is `sure` when it is one of these three, decodes the
/// sample without error and the other two do not; otherwise it is a guess the preview says
/// is one.
pub fn detect_encoding(prefix: &[u8]) -> Result<Detection, EncodingProblem> {
    if prefix.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(Detection::sure(Encoding::Utf8));
    }
    if prefix.starts_with(&[0xFF, 0xFE]) {
        return Ok(Detection::sure(Encoding::Utf16Le));
    }
    if prefix.starts_with(&[0xFE, 0xFF]) {
        return Ok(Detection::sure(Encoding::Utf16Be));
    }
    if let Some(encoding) = utf16_without_bom(prefix) {
        return Ok(Detection {
            encoding,
            sure: false,
        });
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => return Ok(Detection::sure(Encoding::Utf8)),
        Err(error) if error.error_len().is_none() && prefix.len() - error.valid_up_to() < 4 => {
            return Ok(Detection::sure(Encoding::Utf8));
        }
        Err(_) => {}
    }
    if let Some(problem) = almost_utf8(prefix) {
        return Err(problem);
    }
    // 16 KB of text is plenty for chardetng and costs a quarter of the whole sample
    // (about 30 ms per file for 64 KB, on the import's critical path).
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(&prefix[..prefix.len().min(16 * 1024)], false);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    let encoding = Encoding::from_encoding_rs(guess);
    let cjk = matches!(
        encoding,
        Encoding::Gb18030 | Encoding::Big5 | Encoding::ShiftJis
    );
    // The sample may end inside a character: only whole lines are decoded.
    let whole = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(prefix, |end| &prefix[..end]);
    let decodes = |encoding: &'static encoding_rs::Encoding| {
        encoding
            .decode_without_bom_handling_and_without_replacement(whole)
            .is_some()
    };
    let sure = cjk && decodes(guess) && !CJK.iter().any(|&e| e != guess && decodes(e));
    Ok(Detection { encoding, sure })
}

type Decoded = CrToLf<DecodeReaderBytes<CountingReader<File>, Vec<u8>>>;

/// Whether decoded text ends its lines in a carriage return alone (old Mac saves, Excel
/// for Mac's "CSV"): a '\r' and no '\n' at all.
pub(crate) fn cr_only(text: &str) -> bool {
    text.contains('\r') && !text.contains('\n')
}

/// Turns every '\r' of decoded UTF-8 into '\n' when `active`, so that a file whose lines
/// end in CR alone is read line by line (with its line numbers) like any other.
pub(crate) struct CrToLf<R> {
    inner: R,
    active: bool,
}

impl<R: Read> Read for CrToLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.active {
            for byte in &mut buf[..n] {
                if *byte == b'\r' {
                    *byte = b'\n';
                }
            }
        }
        Ok(n)
    }
}

/// Where the records come from: CSV text, or a spreadsheet's sheet.
enum Source {
    Csv(Box<csv::Reader<Decoded>>),
    Sheet(Sheet),
}

/// An open CSV file (or spreadsheet) with its trimmed headers, ready to read records from.
pub(crate) struct CsvFile {
    pub path: PathBuf,
    pub encoding: Encoding,
    /// Whether the encoding is certain or the detector's guess (see [`Detection`]).
    pub encoding_sure: bool,
    /// Headers with spaces and a BOM trimmed, in file order.
    pub headers: Vec<String>,
    /// The sheet read, for a spreadsheet (`.xlsx`, `.xls`); `None` for text.
    pub sheet: Option<String>,
    reader: Source,
    /// A spreadsheet's sheet being read, by its place among the filled sheets.
    sheet_at: usize,
    /// A spreadsheet's other filled sheets: their place, the sheet, its header line. Those
    /// after the one read with the same header line are read after it.
    spare: Vec<(usize, Sheet, Vec<String>)>,
    bytes_read: Arc<AtomicU64>,
    records: u64,
    /// The file's size in bytes, to size vectors up front.
    pub size: u64,
}

fn io_error(path: &Path, source: io::Error) -> ImportError {
    ImportError::Io {
        file: path.to_path_buf(),
        source,
    }
}

/// Trims a header: spaces (also full-width), tabs, a BOM and stray quotes.
pub(crate) fn clean_header(header: &str) -> String {
    header
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '"')
        .to_owned()
}

impl CsvFile {
    /// Opens `path`, detects or applies the encoding and reads the header line.
    pub fn open(path: &Path, choice: EncodingChoice) -> Result<CsvFile, ImportError> {
        let mut file = File::open(path).map_err(|e| io_error(path, e))?;
        let size = file.metadata().map_or(0, |m| m.len());
        let mut prefix = vec![0; SNIFF_BYTES];
        let mut filled = 0;
        while filled < prefix.len() {
            let n = file
                .read(&mut prefix[filled..])
                .map_err(|e| io_error(path, e))?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        prefix.truncate(filled);
        match container(&prefix) {
            Container::Text => {}
            Container::Html => {
                return Err(ImportError::WebPage {
                    file: path.to_path_buf(),
                });
            }
            sheet => return CsvFile::open_sheet(path, sheet, size),
        }
        let body = prefix.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&prefix);
        if body.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(ImportError::Empty {
                file: path.to_path_buf(),
            });
        }
        let detection = match choice.forced() {
            Some(encoding) => Detection::sure(encoding),
            None => detect_encoding(&prefix).map_err(|problem| problem.into_error(path))?,
        };
        if !matches!(detection.encoding, Encoding::Utf16Le | Encoding::Utf16Be) && binary(&prefix) {
            return Err(ImportError::NotText {
                file: path.to_path_buf(),
            });
        }
        let encoding = detection.encoding;
        file.seek(SeekFrom::Start(0))
            .map_err(|e| io_error(path, e))?;
        let bytes_read = Arc::new(AtomicU64::new(0));
        let counting = CountingReader {
            inner: file,
            count: Arc::clone(&bytes_read),
        };
        let (sample, _) = encoding.encoding_rs().decode_with_bom_removal(&prefix);
        // A spreadsheet's "Unicode text" save separates cells with tabs.
        let first_line = sample.split(['\r', '\n']).next().unwrap_or_default();
        let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
            b'\t'
        } else {
            b','
        };
        let decoded = CrToLf {
            active: cr_only(&sample),
            inner: DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding.encoding_rs()))
                .strip_bom(true)
                .build(counting),
        };
        // Records end at '\n' only: with csv's default CRLF terminator the line of a record
        // after a "\r\n" is reported one too low (the '\n' is consumed by the next record).
        // The '\r' left at the end of a line's last cell is trimmed like any other space;
        // a file whose lines end in '\r' alone has them turned into '\n' ([`CrToLf`]).
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .delimiter(delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .flexible(true)
            .buffer_capacity(64 * 1024)
            .from_reader(decoded);
        let headers = match reader.headers() {
            Ok(headers) => headers.iter().map(clean_header).collect::<Vec<_>>(),
            Err(error) => return Err(csv_error(path, &error)),
        };
        if headers.iter().all(|h| h.is_empty()) {
            return Err(ImportError::Empty {
                file: path.to_path_buf(),
            });
        }
        Ok(CsvFile {
            path: path.to_path_buf(),
            encoding,
            encoding_sure: detection.sure,
            headers,
            sheet: None,
            reader: Source::Csv(Box::new(reader)),
            sheet_at: 0,
            spare: Vec::new(),
            bytes_read,
            records: 0,
            size,
        })
    }

    /// Opens a spreadsheet. Each sheet's first non-blank row is its header line; the rows
    /// are read from the first sheet whose header line looks like one (two cells or more:
    /// a notes sheet of one column is passed over), then from every later sheet with the
    /// same header line (an export split over sheets). [`CsvFile::columns`] may choose
    /// another sheet, the first with every required column.
    fn open_sheet(path: &Path, container: Container, size: u64) -> Result<CsvFile, ImportError> {
        let mut sheets = Vec::new();
        for mut sheet in Sheet::open_all(path, container)? {
            let mut record = csv::StringRecord::new();
            while sheet.read(&mut record) {
                if !is_blank(&record) {
                    break;
                }
            }
            let headers: Vec<String> = record.iter().map(clean_header).collect();
            sheet.width = headers.len();
            sheets.push((sheet, headers));
        }
        let first = sheets
            .iter()
            .position(|(_, headers)| headers.iter().filter(|h| !h.is_empty()).count() >= 2)
            .unwrap_or(0);
        let (sheet, headers) = sheets.remove(first);
        if headers.iter().all(|h| h.is_empty()) {
            return Err(ImportError::Empty {
                file: path.to_path_buf(),
            });
        }
        let mut spare: Vec<(usize, Sheet, Vec<String>)> = Vec::new();
        for (at, (sheet, headers)) in sheets.into_iter().enumerate() {
            spare.push((if at < first { at } else { at + 1 }, sheet, headers));
        }
        Ok(CsvFile {
            path: path.to_path_buf(),
            encoding: match container {
                Container::Xls => Encoding::Xls,
                _ => Encoding::Xlsx,
            },
            encoding_sure: true,
            headers,
            sheet: Some(sheet.name.clone()),
            reader: Source::Sheet(sheet),
            sheet_at: first,
            spare,
            bytes_read: Arc::new(AtomicU64::new(0)),
            records: 0,
            size,
        })
    }

    /// A spreadsheet's other sheets, when the one chosen lacks required columns: the first
    /// whose header line has them all becomes the one read. `false` when none has.
    fn choose_sheet(&mut self, specs: &[ColumnSpec]) -> bool {
        let has_all = |headers: &[String]| {
            specs
                .iter()
                .filter(|spec| spec.required)
                .all(|spec| spec.names.iter().any(|n| headers.iter().any(|h| h == n)))
        };
        let Some(at) = self.spare.iter().position(|(_, _, h)| has_all(h)) else {
            return false;
        };
        let (index, sheet, headers) = self.spare.remove(at);
        let Source::Sheet(old) = std::mem::replace(&mut self.reader, Source::Sheet(sheet)) else {
            return false;
        };
        let old_headers = std::mem::replace(&mut self.headers, headers);
        self.spare.push((self.sheet_at, old, old_headers));
        self.spare.sort_by_key(|(index, _, _)| *index);
        self.sheet_at = index;
        if let Source::Sheet(sheet) = &self.reader {
            self.sheet = Some(sheet.name.clone());
        }
        true
    }

    /// The sheets of a spreadsheet looked at for a header line, as an error says them.
    fn sheets_looked_at(&self) -> Option<String> {
        let Source::Sheet(sheet) = &self.reader else {
            return None;
        };
        if self.spare.is_empty() {
            return None;
        }
        let mut all: Vec<(usize, &str, &[String])> = self
            .spare
            .iter()
            .map(|(at, sheet, headers)| (*at, sheet.name.as_str(), headers.as_slice()))
            .collect();
        all.push((self.sheet_at, sheet.name.as_str(), &self.headers));
        all.sort_by_key(|(at, _, _)| *at);
        let said: Vec<String> = all
            .iter()
            .map(|(_, name, headers)| {
                let first: Vec<&str> = headers
                    .iter()
                    .filter(|h| !h.is_empty())
                    .take(3)
                    .map(String::as_str)
                    .collect();
                format!("{name} ({}…)", first.join(", "))
            })
            .collect();
        Some(format!("sheets looked at: {}", said.join("; ")))
    }

    /// Where this file's rows are, for their errors: the file, and the sheet if any.
    pub fn place(&self) -> Place<'_> {
        Place {
            file: &self.path,
            sheet: self.sheet.as_deref(),
        }
    }

    /// The index of the first header equal to one of `names` (already trimmed).
    pub fn find(&self, names: &[&str]) -> Option<Column> {
        names.iter().find_map(|name| {
            self.headers
                .iter()
                .position(|h| h == name)
                .map(|index| Column {
                    index,
                    name: self.headers[index].clone(),
                })
        })
    }

    /// Looks up every column of a spec; a missing required one is an [`ImportError`].
    pub fn columns(
        &mut self,
        specs: &[ColumnSpec],
        hint: impl Fn(&[String]) -> Option<String>,
    ) -> Result<Vec<Option<Column>>, ImportError> {
        let lacks = |headers: &[String]| {
            specs.iter().any(|spec| {
                spec.required && !spec.names.iter().any(|n| headers.iter().any(|h| h == n))
            })
        };
        if lacks(&self.headers) && !self.choose_sheet(specs) {
            let sheets = self.sheets_looked_at();
            let hint = match (hint(&self.headers), sheets) {
                (Some(hint), Some(sheets)) => Some(format!("{hint}; {sheets}")),
                (hint, sheets) => hint.or(sheets),
            };
            let missing = specs
                .iter()
                .filter(|spec| spec.required && self.find(spec.names).is_none())
                .map(|spec| spec.names[0].to_owned())
                .collect();
            return Err(self.missing(missing, hint));
        }
        let mut missing = Vec::new();
        let found = specs
            .iter()
            .map(|spec| {
                let column = self.find(spec.names);
                if column.is_none() && spec.required {
                    missing.push(spec.names[0].to_owned());
                }
                column
            })
            .collect();
        if missing.is_empty() {
            Ok(found)
        } else {
            Err(self.missing(missing, hint(&self.headers)))
        }
    }

    pub fn missing(&self, missing: Vec<String>, hint: Option<String>) -> ImportError {
        ImportError::MissingColumns {
            file: self.path.clone(),
            missing,
            found: self.headers.clone(),
            hint,
        }
    }

    /// Reads the next record into `record`; `Ok(false)` at the end. Calls `progress` now and
    /// then with `base` + the bytes of this file read so far.
    pub fn next(
        &mut self,
        record: &mut csv::StringRecord,
        progress: Progress<'_>,
        base: u64,
    ) -> Result<bool, ImportError> {
        self.records += 1;
        if self.records.is_multiple_of(PROGRESS_EVERY) && !progress(base + self.bytes_read()) {
            return Err(ImportError::Cancelled);
        }
        match &mut self.reader {
            Source::Csv(reader) => match reader.read_record(record) {
                Ok(more) => Ok(more),
                Err(error) => Err(csv_error(&self.path, &error)),
            },
            Source::Sheet(_) => Ok(self.next_sheet_row(record)),
        }
    }

    /// The next row of a spreadsheet: of the sheet being read, then of the next sheet
    /// with the same header line.
    fn next_sheet_row(&mut self, record: &mut csv::StringRecord) -> bool {
        loop {
            let Source::Sheet(sheet) = &mut self.reader else {
                return false;
            };
            let more = sheet.read(record);
            self.bytes_read
                .store(self.size * sheet.permille() / 1000, Ordering::Relaxed);
            if more {
                return true;
            }
            let Some(at) = self
                .spare
                .iter()
                .position(|(at, _, headers)| *at > self.sheet_at && *headers == self.headers)
            else {
                return false;
            };
            let (index, next, _) = self.spare.remove(at);
            self.sheet_at = index;
            self.sheet = Some(next.name.clone());
            self.reader = Source::Sheet(next);
        }
    }

    /// This file in a list, for [`super::Parsed::guessed`], when its encoding is a guess.
    pub fn guessed(&self) -> Option<PathBuf> {
        (!self.encoding_sure).then(|| self.path.clone())
    }

    pub fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }

    /// The shared count of bytes read, for a progress report from another thread.
    pub fn bytes_counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.bytes_read)
    }
}

/// Whether every cell of a record is empty (spreadsheets leave rows of bare commas).
pub(crate) fn is_blank(record: &csv::StringRecord) -> bool {
    record.iter().all(|cell| cell.trim().is_empty())
}

/// A fast hasher for order numbers (FxHash's mixing). The keys come from the user's own
/// files, so the flooding resistance of the standard SipHash buys nothing here.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
        for &byte in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map from order number to its index in a list of drafts.
pub(crate) type OrderIndex =
    std::collections::HashMap<String, usize, std::hash::BuildHasherDefault<FastHasher>>;

/// A capacity guess for the orders of a file: generous, so the vector does not grow.
pub(crate) fn capacity_for(size: u64, bytes_per_order: u64) -> usize {
    usize::try_from(size / bytes_per_order).map_or(0, |n| n.min(4_000_000))
}

/// The physical line where a record starts.
pub(crate) fn line_of(record: &csv::StringRecord) -> u64 {
    record.position().map_or(0, |p| p.line())
}

fn csv_error(path: &Path, error: &csv::Error) -> ImportError {
    if let csv::ErrorKind::Io(source) = error.kind() {
        return ImportError::Io {
            file: path.to_path_buf(),
            source: io::Error::new(source.kind(), source.to_string()),
        };
    }
    ImportError::Csv {
        file: path.to_path_buf(),
        line: error.position().map_or(0, |p| p.line()),
        message: error.to_string(),
    }
}

/// A column of the file: its index and its header as written (trimmed).
#[derive(Clone, Debug)]
pub(crate) struct Column {
    pub index: usize,
    pub name: String,
}

/// A column the parser looks for: accepted header names (the first is the one reported
/// when missing) and whether the file is refused without it.
pub(crate) struct ColumnSpec {
    pub names: &'static [&'static str],
    pub required: bool,
}

/// A [`ColumnSpec`], short enough for a table of them.
pub(crate) const fn spec(names: &'static [&'static str], required: bool) -> ColumnSpec {
    ColumnSpec { names, required }
}

/// Where the rows of a file are: the file, and the sheet of a spreadsheet.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Place<'a> {
    pub file: &'a Path,
    pub sheet: Option<&'a str>,
}

impl Place<'_> {
    /// The error of a row of this file.
    pub fn error(self, line: u64, column: &str, message: String) -> RowError {
        RowError {
            file: self.file.to_path_buf(),
            sheet: self.sheet.map(str::to_owned),
            line,
            column: column.to_owned(),
            message,
        }
    }
}

/// One record being converted: collects the [`RowError`]s of its cells.
pub(crate) struct Row<'a> {
    pub place: Place<'a>,
    pub line: u64,
    pub record: &'a csv::StringRecord,
    pub errors: Vec<RowError>,
}

impl<'a> Row<'a> {
    pub fn new(place: Place<'a>, record: &'a csv::StringRecord) -> Row<'a> {
        Row {
            place,
            line: line_of(record),
            record,
            errors: Vec::new(),
        }
    }

    /// The raw cell of a column ("" when the column or the cell is absent).
    pub fn raw(&self, column: Option<&Column>) -> &'a str {
        column
            .and_then(|c| self.record.get(c.index))
            .unwrap_or_default()
    }

    /// The cleaned text of a cell (see [`super::cells::clean`]).
    pub fn text(&self, column: Option<&Column>) -> String {
        super::cells::clean(self.raw(column)).to_owned()
    }

    /// Converts a cell; a failure is recorded as a [`RowError`] and gives `None`.
    pub fn convert<T>(
        &mut self,
        column: Option<&Column>,
        convert: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let raw = self.raw(column);
        match convert(raw) {
            Ok(value) => Some(value),
            Err(message) => {
                let name = column.map_or("", |c| c.name.as_str());
                self.error(name, message);
                None
            }
        }
    }

    /// A cell of digits that must stay exact (a phone, a tracking number): see
    /// [`super::cells::exact_number`]; refused ("" and a [`RowError`]) in scientific notation.
    pub fn exact_number(&mut self, column: Option<&Column>, what: &str) -> String {
        self.convert(column, |cell| {
            super::cells::exact_number(what, cell).map(str::to_owned)
        })
        .unwrap_or_default()
    }

    pub fn error(&mut self, column: &str, message: String) {
        self.errors
            .push(self.place.error(self.line, column, message));
    }

    /// [`Row::check_record`] for a layout whose rows may stop early (Taobao's 2006–2010
    /// order report ends rows before its last optional columns): the missing trailing
    /// cells read as empty, unless one of the `needed` columns is among them.
    pub fn check_short_record(
        &mut self,
        headers: &[String],
        encoding: Encoding,
        needed: &[Option<&Column>],
    ) {
        let len = self.record.len();
        if len >= headers.len() {
            return self.check_record(headers, encoding);
        }
        if let Some(missing) = needed.iter().flatten().find(|c| c.index >= len) {
            self.error(
                &missing.name,
                format!(
                    "has {len} fields but the header line has {}: the row stops before this \
                     column, which the order needs",
                    headers.len()
                ),
            );
        }
        self.check_decoding(headers, encoding);
    }

    /// Checks the record as a whole: the field count against the header, and text that
    /// did not decode (a wrong encoding shows as U+FFFD replacement characters). A row
    /// that stops before the header's last columns reads them as empty (each required
    /// column then says it is empty, by name); a row with more fields than the header is
    /// refused, unless the fields past it are empty (a trailing comma).
    pub fn check_record(&mut self, headers: &[String], encoding: Encoding) {
        let record = self.record;
        if record.len() > headers.len()
            && !record
                .iter()
                .skip(headers.len())
                .all(|c| c.trim().is_empty())
        {
            self.error(
                "(row)",
                format!(
                    "has {} fields, more than the {} columns of the header line: a cell holds \
                     a comma without quotes around it, or the row is shifted; expected at \
                     most {} fields",
                    record.len(),
                    headers.len(),
                    headers.len()
                ),
            );
        }
        self.check_decoding(headers, encoding);
    }

    /// Text that did not decode (a wrong encoding shows as U+FFFD replacement characters).
    fn check_decoding(&mut self, headers: &[String], encoding: Encoding) {
        let record = self.record;
        if record.as_slice().contains('\u{fffd}') {
            let index = record.iter().position(|c| c.contains('\u{fffd}'));
            // A cell under a blank header (or past the header's end) is named by its place.
            let column = match index {
                Some(i) => match headers.get(i).map(|h| h.trim()) {
                    Some(header) if !header.is_empty() => header.to_owned(),
                    _ => format!("column {}", i + 1),
                },
                None => "(row)".to_owned(),
            };
            self.error(
                &column,
                format!(
                    "contains bytes that are not valid {}: the file has another encoding; \
                     {}",
                    encoding.name(),
                    super::CHOOSE_ENCODING
                ),
            );
        }
    }
}
