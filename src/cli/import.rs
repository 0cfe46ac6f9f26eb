//! `shopdesk import taobao|shopify|jd|pdd|douyin|auto|csv …`: parse, preview, and commit in
//! one transaction.
//! With any rejected row nothing is written and the exit status is non-zero, unless
//! `--skip-invalid` is given.

use crate::domain::operators::Action;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Subcommand, ValueEnum};

use crate::app;
use crate::app::import::{ImportFormat, ImportSpec};
use crate::import::{ColumnMapping, EncodingChoice, Parsed};
use crate::store::Store;

/// The encoding of the files: detected, or forced.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum EncodingArg {
    Auto,
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(name = "gb18030", alias = "gbk")]
    Gb18030,
    /// Traditional Chinese (Taiwan, Hong Kong).
    #[value(name = "big5")]
    Big5,
    #[value(name = "shift-jis", alias = "sjis")]
    ShiftJis,
}

impl From<EncodingArg> for EncodingChoice {
    fn from(arg: EncodingArg) -> EncodingChoice {
        match arg {
            EncodingArg::Auto => EncodingChoice::Auto,
            EncodingArg::Utf8 => EncodingChoice::Utf8,
            EncodingArg::Gb18030 => EncodingChoice::Gb18030,
            EncodingArg::Big5 => EncodingChoice::Big5,
            EncodingArg::ShiftJis => EncodingChoice::ShiftJis,
        }
    }
}

/// Options shared by every format.
#[derive(Debug, clap::Args)]
pub struct ImportOptions {
    /// Import the valid orders even when some rows are rejected (they are still listed).
    #[arg(long)]
    pub skip_invalid: bool,
    /// Only show what would happen; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The files' text encoding.
    #[arg(long, value_enum, default_value = "auto")]
    pub encoding: EncodingArg,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Taobao/Tmall seller-center export: the order report and the item report.
    Taobao {
        /// ExportOrderList….csv (one row per order).
        orders: PathBuf,
        /// ExportOrderDetailList….csv (one row per order line).
        items: PathBuf,
        #[command(flatten)]
        options: ImportOptions,
    },
    /// Shopify orders export (one row per line item).
    Shopify {
        file: PathBuf,
        #[command(flatten)]
        options: ImportOptions,
    },
    /// JD (京东) POP order export (one row per order line).
    Jd {
        file: PathBuf,
        #[command(flatten)]
        options: ImportOptions,
    },
    /// Pinduoduo (拼多多) merchant order export.
    #[command(alias = "pinduoduo")]
    Pdd {
        file: PathBuf,
        #[command(flatten)]
        options: ImportOptions,
    },
    /// Douyin shop (抖店) order export (one row per sub-order).
    Douyin {
        file: PathBuf,
        #[command(flatten)]
        options: ImportOptions,
    },
    /// Detect the export by its header line and import it (says which format it chose):
    /// one file, or a Taobao order report and item report in either order.
    Auto {
        #[arg(required = true, num_args = 1..)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        options: ImportOptions,
    },
    /// Any other CSV, through a column mapping saved with `import save-profile`.
    Csv {
        file: PathBuf,
        /// The name of the saved column mapping.
        #[arg(long)]
        profile: String,
        #[command(flatten)]
        options: ImportOptions,
    },
    /// Save a column mapping (JSON) under a name, for `import csv --profile NAME`.
    SaveProfile {
        name: String,
        /// The mapping as JSON: {"name":…,"platform":…,"columns":[["order_no","订单号"],…]}.
        mapping: PathBuf,
    },
    /// List the saved column mappings.
    Profiles,
    /// A marketplace's refund export: Taobao's refund report (退款报表), or another CSV
    /// with --mapping. Cases are created or updated by refund number; importing the same
    /// file again changes nothing.
    Refunds {
        file: PathBuf,
        /// A JSON column mapping for another layout:
        /// {"columns":[["refund_no","…"],["order_no","…"],["amount","…"],["status","…"]]}.
        #[arg(long, value_name = "FILE.json", conflicts_with = "profile")]
        mapping: Option<PathBuf>,
        /// A refund mapping saved with `import save-profile NAME FILE.json`.
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
        /// Import the valid rows when some are rejected.
        #[arg(long)]
        skip_invalid: bool,
    },
}

/// Runs one import command. Its writes are recorded under `operator`.
pub fn run(
    store: &mut Store,
    operator: &str,
    command: ImportCommand,
    out: &mut impl Write,
) -> Result<bool> {
    let (spec, options) = match command {
        ImportCommand::Taobao {
            orders,
            items,
            options,
        } => (
            spec(ImportFormat::Taobao, vec![orders, items], &options, None),
            options,
        ),
        ImportCommand::Shopify { file, options } => (
            spec(ImportFormat::Shopify, vec![file], &options, None),
            options,
        ),
        ImportCommand::Jd { file, options } => {
            (spec(ImportFormat::Jd, vec![file], &options, None), options)
        }
        ImportCommand::Pdd { file, options } => (
            spec(ImportFormat::Pinduoduo, vec![file], &options, None),
            options,
        ),
        ImportCommand::Douyin { file, options } => (
            spec(ImportFormat::Douyin, vec![file], &options, None),
            options,
        ),
        ImportCommand::Auto { files, options } => {
            match app::import::detect_auto(store, &files, options.encoding.into())? {
                app::import::AutoChoice::Export(format, detected) => {
                    let names = detected
                        .files
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect::<Vec<_>>()
                        .join(" + ");
                    writeln!(out, "detected {}: {names}", detected.name())?;
                    (spec(format, detected.files, &options, None), options)
                }
                app::import::AutoChoice::Profile(mapping) => {
                    let names = files
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect::<Vec<_>>()
                        .join(" + ");
                    writeln!(
                        out,
                        "detected saved profile {} (platform {}): {names}",
                        mapping.name, mapping.platform
                    )?;
                    (
                        spec(ImportFormat::Csv, files, &options, Some(mapping)),
                        options,
                    )
                }
            }
        }
        ImportCommand::Csv {
            file,
            profile,
            options,
        } => {
            let mapping = app::import::profile(store, &profile)?;
            (
                spec(ImportFormat::Csv, vec![file], &options, Some(mapping)),
                options,
            )
        }
        ImportCommand::SaveProfile { name, mapping } => {
            app::import::save_profile_file(store, operator, &name, &mapping)
                .map_err(super::error)?;
            writeln!(out, "saved import profile {name}")?;
            return Ok(true);
        }
        ImportCommand::Refunds {
            file,
            mapping,
            profile,
            skip_invalid,
        } => {
            use crate::app::after_sales::MappingSource;
            let mapping = mapping
                .map(MappingSource::File)
                .or(profile.map(MappingSource::Profile));
            super::after_sales::run_import(
                store,
                operator,
                &file,
                mapping.as_ref(),
                skip_invalid,
                out,
            )?;
            return Ok(true);
        }
        ImportCommand::Profiles => {
            // Every saved name, even one whose mapping no longer reads: the list is where
            // the owner finds it to save it again.
            for name in store.import_profile_names()? {
                writeln!(out, "{name}")?;
            }
            return Ok(true);
        }
    };
    let parsed = app::import::parse(&spec, &app::keep_going)?;
    report(store, operator, &spec, parsed, &options, out)
}

fn spec(
    format: ImportFormat,
    files: Vec<PathBuf>,
    options: &ImportOptions,
    mapping: Option<ColumnMapping>,
) -> ImportSpec {
    ImportSpec {
        format,
        files,
        encoding: options.encoding.into(),
        mapping,
    }
}

fn report(
    store: &mut Store,
    operator: &str,
    spec: &ImportSpec,
    parsed: Parsed,
    options: &ImportOptions,
    out: &mut impl Write,
) -> Result<bool> {
    let encodings = parsed
        .encodings
        .iter()
        .map(|(file, encoding)| {
            if parsed.guessed.contains(file) {
                format!(
                    "{} ({encoding}, a guess: if names look wrong, import again with \
                     --encoding)",
                    file.display()
                )
            } else {
                format!("{} ({encoding})", file.display())
            }
        })
        .collect::<Vec<_>>()
        .join(" + ");
    let rejected = parsed.rejected_rows();
    let refuse = rejected > 0 && !options.skip_invalid;
    // With rejected rows and no --skip-invalid this is a preview: nothing is written.
    let dry_run = options.dry_run || refuse;
    let summary = app::import::write(store, operator, spec, &parsed, dry_run, &app::keep_going)?;
    writeln!(out, "{encodings}")?;
    if refuse {
        // Nothing is written: what the valid orders would do, said as such.
        writeln!(
            out,
            "{} row(s) rejected; the valid orders would be {} new, {} updated, {} unchanged",
            summary.rejected, summary.new, summary.updated, summary.unchanged
        )?;
    } else {
        writeln!(
            out,
            "{} new, {} updated, {} unchanged, {} rejected",
            summary.new, summary.updated, summary.unchanged, summary.rejected
        )?;
    }
    // A preview says what the import would change, not what it changed.
    let updated = if dry_run { "would update" } else { "updated" };
    for change in &summary.changes {
        writeln!(out, "  {updated} {change}")?;
    }
    // Lines to match are worth saying only of orders that are in the file now (or would
    // be, in a dry run).
    if !summary.unmatched.is_empty() && !refuse {
        writeln!(
            out,
            "lines matching no product (match them with `shopdesk match SKU CODE`):"
        )?;
        for u in &summary.unmatched {
            let sku = if u.sku.is_empty() { "(no SKU)" } else { &u.sku };
            writeln!(out, "  {sku}: {} ({} lines)", u.title, u.lines)?;
        }
    }
    if !parsed.rejected.is_empty() {
        writeln!(out, "rejected:")?;
        for row in &parsed.rejected {
            writeln!(out, "  {}", super::row_text(row))?;
        }
    }
    out.flush()?;
    if refuse {
        bail!(
            "{rejected} row(s) rejected: nothing was written; fix them or pass --skip-invalid \
             to import the {} valid order(s)",
            parsed.orders.len()
        );
    }
    if options.dry_run {
        writeln!(out, "dry run: nothing was written")?;
    }
    Ok(true)
}

impl ImportCommand {
    /// Whether the command only shows what it would do (`--dry-run`).
    pub fn dry_run(&self) -> bool {
        match self {
            ImportCommand::Taobao { options, .. }
            | ImportCommand::Shopify { options, .. }
            | ImportCommand::Jd { options, .. }
            | ImportCommand::Pdd { options, .. }
            | ImportCommand::Douyin { options, .. }
            | ImportCommand::Auto { options, .. }
            | ImportCommand::Csv { options, .. } => options.dry_run,
            _ => false,
        }
    }

    /// What the operator must be allowed to do (`None`: a read).
    pub fn action(&self) -> Option<Action> {
        match self {
            ImportCommand::Profiles => None,
            ImportCommand::Refunds { .. } => Some(Action::Refunds),
            _ => Some(Action::OrdersImport),
        }
    }
}
