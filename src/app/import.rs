//! The emergency order capture: which parser reads which export, the preview (the import
//! run and rolled back), the commit, and the saved column mappings.

use std::path::{Path, PathBuf};

use crate::import::{self, ColumnMapping, Detected, Encoding, EncodingChoice, FileKind, Parsed};
use crate::store::{ImportSummary, Store};

use super::{AppError, Changed, InputError, Result, Tick};

/// Which kind of export is imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ImportFormat {
    #[default]
    Taobao,
    Shopify,
    Jd,
    Pinduoduo,
    Douyin,
    Csv,
}

impl ImportFormat {
    /// The name recorded with the import and on its orders' history.
    pub fn code(self) -> &'static str {
        match self {
            ImportFormat::Taobao => "taobao",
            ImportFormat::Shopify => "shopify",
            ImportFormat::Jd => "jd",
            ImportFormat::Pinduoduo => "pinduoduo",
            ImportFormat::Douyin => "douyin",
            ImportFormat::Csv => "csv",
        }
    }

    /// The format a detected export is read with.
    pub fn of(kind: FileKind) -> ImportFormat {
        match kind {
            FileKind::TaobaoOrders | FileKind::TaobaoItems => ImportFormat::Taobao,
            FileKind::Shopify => ImportFormat::Shopify,
            FileKind::Jd => ImportFormat::Jd,
            FileKind::Pinduoduo => ImportFormat::Pinduoduo,
            FileKind::Douyin => ImportFormat::Douyin,
        }
    }
}

/// Reads each file's header line and chooses the format (see [`import::detect_format`]):
/// the files in the order the format's parser takes them, and what was chosen.
pub fn detect(files: &[PathBuf], encoding: EncodingChoice) -> Result<(ImportFormat, Detected)> {
    let mut headers = Vec::with_capacity(files.len());
    let mut undecoded = None;
    for file in files {
        let preview = import::headers(file, encoding)?;
        if undecoded.is_none() && preview.0.iter().any(|h| h.contains('\u{fffd}')) {
            undecoded = Some((file.clone(), preview.2));
        }
        headers.push((file.clone(), preview.0));
    }
    let detected = import::detect_format(&headers).map_err(|refused| {
        // A header line that does not decode says the encoding, not the layout, is wrong.
        match &undecoded {
            Some((file, read_as)) => import::ImportError::UnknownFormat {
                file: file.clone(),
                message: format!(
                    "cannot tell which export this is: its header line does not read as {}, \
                     so the encoding looks wrong; import it again with --encoding auto or the \
                     file's own encoding",
                    read_as.name()
                ),
            },
            None => refused,
        }
    })?;
    Ok((ImportFormat::of(detected.kind), detected))
}

/// What `import auto` chose for its files.
#[derive(Debug)]
pub enum AutoChoice {
    /// A marketplace export, known by its header line.
    Export(ImportFormat, Detected),
    /// A saved column mapping whose every mapped header the file has.
    Profile(ColumnMapping),
}

/// [`detect`], then, for one file that is none of the known exports, the saved column
/// mappings: the one that maps the most columns among those whose every mapped header
/// the file's header line has. None fits: the detection's refusal.
pub fn detect_auto(
    store: &Store,
    files: &[PathBuf],
    encoding: EncodingChoice,
) -> Result<AutoChoice> {
    let refused = match detect(files, encoding) {
        Ok((format, detected)) => return Ok(AutoChoice::Export(format, detected)),
        Err(refused) => refused,
    };
    let [file] = files else {
        return Err(refused);
    };
    let Ok((headers, _, _)) = import::headers(file, encoding) else {
        return Err(refused);
    };
    let fits = |mapping: &ColumnMapping| {
        mapping
            .columns
            .iter()
            .all(|(_, header)| headers.iter().any(|h| h == header.trim()))
    };
    let best = profiles(store)?
        .into_iter()
        .filter(|mapping| fits(mapping))
        .max_by_key(|mapping| mapping.columns.len());
    best.map(AutoChoice::Profile).ok_or(refused)
}

/// What to import: the format, its files (Taobao: orders then items), and how to read them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSpec {
    pub format: ImportFormat,
    pub files: Vec<PathBuf>,
    pub encoding: EncodingChoice,
    pub mapping: Option<ColumnMapping>,
}

impl ImportSpec {
    /// The files' total size in bytes, the measure of the parse's progress.
    pub fn bytes(&self) -> u64 {
        self.files
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum()
    }

    fn file_refs(&self) -> Vec<&Path> {
        self.files.iter().map(PathBuf::as_path).collect()
    }
}

/// A parsed import and what committing it would do.
#[derive(Debug)]
pub struct ImportPreview {
    pub spec: ImportSpec,
    pub parsed: Parsed,
    pub summary: ImportSummary,
    /// Unmatched SKUs the owner matched to a product in the preview: `(sku, title,
    /// product code)`, applied right after the import is written (a line without a SKU
    /// is named by its title).
    pub matches: Vec<(String, String, String)>,
}

/// The first rows of a file for the column-mapping screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSample {
    pub file: PathBuf,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub encoding: Encoding,
}

/// Reads the files with the parser of their format. Every bad row is reported in
/// [`Parsed::rejected`]; only a problem with a whole file is an error, and so is a file
/// with no row under its header line ([`import::ImportError::NoOrders`]): an import of
/// nothing would only log an empty run.
pub fn parse(spec: &ImportSpec, tick: Tick<'_>) -> Result<Parsed> {
    let parsed = match spec.format {
        ImportFormat::Taobao => match spec.files.as_slice() {
            [orders, items] => import::parse_taobao(orders, items, spec.encoding, tick)?,
            _ => return Err(InputError::TaobaoNeedsTwoFiles.into()),
        },
        ImportFormat::Shopify => match spec.files.as_slice() {
            [file] => import::parse_shopify(file, spec.encoding, tick)?,
            _ => return Err(InputError::NeedsOneFile.into()),
        },
        ImportFormat::Jd | ImportFormat::Pinduoduo | ImportFormat::Douyin => {
            let [file] = spec.files.as_slice() else {
                return Err(InputError::NeedsOneFile.into());
            };
            match spec.format {
                ImportFormat::Jd => import::parse_jd(file, spec.encoding, tick)?,
                ImportFormat::Pinduoduo => import::parse_pdd(file, spec.encoding, tick)?,
                _ => import::parse_douyin(file, spec.encoding, tick)?,
            }
        }
        ImportFormat::Csv => match (spec.files.as_slice(), &spec.mapping) {
            ([file], Some(mapping)) => import::parse_mapped(file, mapping, spec.encoding, tick)?,
            _ => return Err(InputError::CsvNeedsFileAndMapping.into()),
        },
    };
    if parsed.orders.is_empty()
        && parsed.rejected.is_empty()
        && let Some(file) = spec.files.first()
    {
        return Err(import::ImportError::NoOrders { file: file.clone() }.into());
    }
    Ok(parsed)
}

/// Writes the parsed orders in one transaction (new / updated / unchanged), or with
/// `dry_run` runs it and rolls it back: what committing would do.
pub fn write(
    store: &mut Store,
    operator: &str,
    spec: &ImportSpec,
    parsed: &Parsed,
    dry_run: bool,
    tick: Tick<'_>,
) -> Result<ImportSummary> {
    let summary = store.import_orders(
        &parsed.orders,
        spec.format.code(),
        &spec.file_refs(),
        parsed.rejected_rows(),
        dry_run,
        operator,
        &mut |n| tick(n),
    )?;
    Ok(summary)
}

/// Parses the files and dry-runs the import: the preview.
pub fn preview(
    store: &mut Store,
    operator: &str,
    spec: ImportSpec,
    tick: Tick<'_>,
) -> Result<ImportPreview> {
    let parsed = parse(&spec, tick)?;
    let summary = write(store, operator, &spec, &parsed, true, &super::keep_going)?;
    Ok(ImportPreview {
        spec,
        parsed,
        summary,
        matches: Vec::new(),
    })
}

/// Commits a previewed import in one transaction.
pub fn commit(
    store: &mut Store,
    operator: &str,
    preview: &ImportPreview,
    tick: Tick<'_>,
) -> Result<ImportSummary> {
    let mut summary = write(store, operator, &preview.spec, &preview.parsed, false, tick)?;
    for (sku, title, code) in &preview.matches {
        store.match_unmatched(sku, Some(title), code, operator)?;
        summary
            .unmatched
            .retain(|u| !(u.sku == *sku && (!sku.is_empty() || u.title == *title)));
    }
    Ok(summary)
}

/// The saved column mappings, by name. A mapping that no longer reads is left out.
pub fn profiles(store: &Store) -> Result<Vec<ColumnMapping>> {
    let mut profiles = Vec::new();
    for name in store.import_profile_names()? {
        if let Ok(mapping) = profile(store, &name) {
            profiles.push(mapping);
        }
    }
    Ok(profiles)
}

/// One saved column mapping.
pub fn profile(store: &Store, name: &str) -> Result<ColumnMapping> {
    let json = store.import_profile(name)?;
    serde_json::from_str(&json).map_err(|e| {
        InputError::BadProfile {
            name: name.to_owned(),
            error: e.to_string(),
        }
        .into()
    })
}

/// Saves a column mapping under its name (replacing one of the same name).
pub fn save_profile(store: &mut Store, operator: &str, mapping: &ColumnMapping) -> Result<()> {
    let json = serde_json::to_string(mapping).map_err(|e| InputError::BadProfile {
        name: mapping.name.clone(),
        error: e.to_string(),
    })?;
    store.save_import_profile(&mapping.name, &json, operator)?;
    Ok(())
}

/// Reads a column mapping from a JSON file and saves it under `name`.
pub fn save_profile_file(store: &mut Store, operator: &str, name: &str, file: &Path) -> Result<()> {
    let json = std::fs::read_to_string(file).map_err(|source| AppError::Read {
        path: file.to_path_buf(),
        source,
    })?;
    let mut mapping: ColumnMapping = match serde_json::from_str(&json) {
        Ok(mapping) => mapping,
        Err(error) => {
            // A refund export's mapping (`import refunds --profile NAME`) is kept the same way.
            if let Ok(mut refunds) =
                serde_json::from_str::<crate::import::refunds::RefundMapping>(&json)
            {
                name.clone_into(&mut refunds.name);
                let json = serde_json::to_string(&refunds).map_err(|e| InputError::BadProfile {
                    name: name.to_owned(),
                    error: e.to_string(),
                })?;
                store.save_import_profile(name, &json, operator)?;
                return Ok(());
            }
            return Err(InputError::BadMappingFile {
                file: file.display().to_string(),
                error: error.to_string(),
            }
            .into());
        }
    };
    mapping.name = name.to_owned();
    save_profile(store, operator, &mapping)
}

/// Headers and first rows of a file, for the column-mapping screen.
pub fn sample(file: PathBuf, encoding: EncodingChoice) -> Result<FileSample> {
    let (headers, rows, encoding) = import::headers(&file, encoding)?;
    Ok(FileSample {
        file,
        headers,
        rows,
        encoding,
    })
}

/// What the import screen asks.
#[derive(Debug)]
pub enum Request {
    Profiles,
    SaveProfile(ColumnMapping),
    Sample {
        file: PathBuf,
        encoding: EncodingChoice,
    },
    /// Which export the chosen (dropped) files are, to offer its importer.
    Detect {
        files: Vec<PathBuf>,
        encoding: EncodingChoice,
    },
}

/// The answers to [`Request`]s, and the ends of the preview and commit jobs.
#[derive(Debug)]
pub enum Reply {
    Profiles(Vec<ColumnMapping>),
    Sample(FileSample),
    /// The detected format and its files in the parser's order; `None` when the files do
    /// not tell (the screen keeps the user's choice).
    Detected(Option<(ImportFormat, Vec<PathBuf>)>),
    Previewed(Box<ImportPreview>),
    Imported(ImportSummary),
}

impl Reply {
    pub fn changed(&self) -> Changed {
        match self {
            Reply::Imported(_) => Changed::ORDERS | Changed::STOCK | Changed::SHIPPING,
            _ => Changed::NOTHING,
        }
    }
}

/// Answers one request of the import screen.
pub fn handle(store: &mut Store, operator: &str, request: Request) -> Result<Reply> {
    Ok(match request {
        Request::Profiles => Reply::Profiles(profiles(store)?),
        Request::SaveProfile(mapping) => {
            save_profile(store, operator, &mapping)?;
            Reply::Profiles(profiles(store)?)
        }
        Request::Sample { file, encoding } => Reply::Sample(sample(file, encoding)?),
        Request::Detect { files, encoding } => Reply::Detected(
            detect(&files, encoding)
                .ok()
                .map(|(format, detected)| (format, detected.files)),
        ),
    })
}

impl Request {
    /// What the request needs the operator to be allowed to do (`None`: a read).
    pub fn action(&self) -> Option<crate::domain::operators::Action> {
        match self {
            Request::SaveProfile(_) => Some(crate::domain::operators::Action::OrdersImport),
            Request::Profiles | Request::Sample { .. } | Request::Detect { .. } => None,
        }
    }
}
