//! The command line: `shopdesk [--db PATH] [COMMAND]`. With no command the window opens.
//! Subcommand names, flags and JSON field names are a contract that scripts rely on.

mod after_sales;
mod backup;
mod import;
mod inventory;
mod json;
mod manual;
mod pack;
mod processing;
mod shipping;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

use crate::app::{self, AppError};
use crate::domain::{Flag, OrderState};
use crate::store::{DateKind, OrderQuery, OrderSort, Store};

/// The back office of one online shop: orders, stock, pick lists and waybills.
#[derive(Debug, Parser)]
#[command(name = "shopdesk", version, about, long_about = None)]
pub struct Cli {
    /// The shop's database file (created on first use).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill an empty database with a realistic sample shop.
    Demo {
        /// How many orders to generate, spread over the last 60 days.
        #[arg(long, default_value_t = 2000)]
        orders: u64,
        /// Seed of the generator: the same seed gives the same shop.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// List orders, newest first.
    Orders {
        /// Only orders in this state: pending_review, approved, printed, shipped, archived,
        /// cancelled.
        #[arg(long, value_name = "S")]
        status: Option<String>,
        /// Find by name, phone, buyer id, order or tracking number, SKU or product name.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// At most this many orders.
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
        /// Only orders with this flag colour: red, yellow, green, blue, purple, none.
        #[arg(long, value_name = "COLOUR")]
        flag: Option<String>,
        /// Only orders of this platform (taobao, tmall, jd, pinduoduo, shopify, manual…).
        #[arg(long, value_name = "P")]
        platform: Option<String>,
        /// Date range start (inclusive), e.g. 2026-11-01, on the date of --date-kind.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Date range end (exclusive), e.g. 2026-12-01.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Which date --from/--to filter: ordered, paid, reviewed, printed, inspected,
        /// shipped, refunded, archived.
        #[arg(long, value_name = "KIND", default_value = "ordered")]
        date_kind: String,
        /// Print one JSON array with every field and line.
        #[arg(long)]
        json: bool,
    },
    /// Stock figures per product: on hand, theoretical, sellable, in transit.
    Stock {
        /// Print one JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Check the database: SQLite integrity, the stock ledger against the balances, and
    /// the schema version. Exits non-zero when anything is wrong.
    Check,
    /// Import orders from the marketplace's CSV exports (the emergency capture).
    #[command(subcommand)]
    Import(import::ImportCommand),
    #[command(flatten)]
    Processing(processing::ProcessingCommand),
    #[command(flatten)]
    Shipping(shipping::ShippingCommand),
    #[command(flatten)]
    Pack(pack::PackCommand),
    #[command(flatten)]
    Manual(manual::ManualCommand),
    /// After-sales cases (售后): refunds, returns, exchanges, reshipments, complaints.
    #[command(subcommand)]
    Case(after_sales::CaseCommand),
    /// List the SKUs of open order lines that match no product.
    Unmatched,
    // Inventory: products import/export, receive, adjust, purchases, ledger, count.
    #[command(flatten)]
    Inventory(inventory::InventoryCommand),
    /// Write a verified copy of the database and print its path.
    Backup {
        /// The folder for the copy (default: the backup folder of Settings, `backups`
        /// next to the database unless chosen).
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
    },
    /// Replace the database with a backup, after checking it; the current file is backed
    /// up first. Exits non-zero when the backup is refused.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
    /// Read a receiver address as a buyer sends it in chat (智能地址识别).
    #[command(subcommand)]
    Address(AddressCommand),
    /// Match every unmatched order line with this SKU to a product.
    Match {
        /// The platform SKU (商家编码) on the lines.
        sku: String,
        /// The product code to match them to.
        code: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AddressCommand {
    /// Split a pasted text into name, phone, province, city, district, street address and
    /// postcode, checked against the table of China's administrative divisions.
    Parse {
        text: String,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
}

#[derive(serde::Serialize)]
struct AddressJson<'a> {
    name: &'a str,
    phone: &'a str,
    province: &'a str,
    city: &'a str,
    district: &'a str,
    address: &'a str,
    postcode: &'a str,
    unsure: Vec<&'static str>,
}

fn field_code(field: crate::domain::address::Field) -> &'static str {
    use crate::domain::address::Field;
    match field {
        Field::Name => "name",
        Field::Phone => "phone",
        Field::Province => "province",
        Field::City => "city",
        Field::District => "district",
        Field::Address => "address",
        Field::Postcode => "postcode",
    }
}

/// Runs the program; every error is printed once, here.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("shopdesk: error: {}", app::said_once(err.chain()));
            ExitCode::FAILURE
        }
    }
}

/// Who the command's writes are recorded under: the operator named in Settings, as the
/// command line has no way yet to name another.
fn operator(store: &Store) -> Result<String> {
    Ok(store.settings()?.operator)
}

/// An application error as the command line says it. A file that cannot be read or written
/// is the path, then the system's reason once (the error's message already holds the
/// reason, so its source would say it a second time).
fn error(e: AppError) -> anyhow::Error {
    match e {
        AppError::Read { path, source } => {
            anyhow::Error::new(source).context(format!("cannot read {}", path.display()))
        }
        AppError::Write { path, source } => {
            anyhow::Error::new(source).context(format!("cannot write {}", path.display()))
        }
        other => other.into(),
    }
}

fn open(db: &Option<PathBuf>) -> Result<Store> {
    let path = db.clone().unwrap_or_else(crate::default_db_path);
    Store::open(&path).with_context(|| format!("cannot open {}", path.display()))
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let Some(command) = cli.command else {
        let path = cli.db.unwrap_or_else(crate::default_db_path);
        crate::ui::run_window(path)?;
        return Ok(ExitCode::SUCCESS);
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match command {
        Command::Demo { orders, seed } => {
            let mut store = open(&cli.db)?;
            let started = std::time::Instant::now();
            let last = std::cell::Cell::new(0u64);
            let progress = |n: u64| {
                if n >= last.get() + 100_000 {
                    eprintln!("  {n} orders…");
                    last.set(n);
                }
                true
            };
            let summary = app::settings::load_sample_shop(&mut store, orders, seed, &progress)?;
            writeln!(
                out,
                "demo shop written to {}: {} products, {} orders ({} merged), {} stock movements, \
                 {} purchases in {:.1} s",
                store.path().display(),
                summary.products,
                summary.orders,
                summary.merged,
                summary.movements,
                summary.purchases,
                started.elapsed().as_secs_f64()
            )?;
        }
        Command::Orders {
            status,
            search,
            limit,
            json,
            flag,
            platform,
            from,
            to,
            date_kind,
        } => {
            let flag = match flag.as_deref() {
                None => None,
                Some(code) => Some(Flag::from_code(code).with_context(|| {
                    format!(
                        "--flag {code}: expected one of {}",
                        Flag::ALL.map(Flag::code).join(", ")
                    )
                })?),
            };
            let date_kind = DateKind::from_code(&date_kind).with_context(|| {
                format!(
                    "--date-kind {date_kind}: expected one of {}",
                    DateKind::ALL.map(DateKind::code).join(", ")
                )
            })?;
            let state = match status.as_deref() {
                None => None,
                Some(code) => Some(OrderState::from_code(code).with_context(|| {
                    format!(
                        "--status {code}: expected one of {}",
                        OrderState::ALL.map(OrderState::code).join(", ")
                    )
                })?),
            };
            let store = open(&cli.db)?;
            let query = OrderQuery {
                state,
                search: search.unwrap_or_default(),
                flag,
                platform,
                date_kind,
                date_from: from,
                date_to: to,
                sort: OrderSort::NewestFirst,
                limit: limit.unwrap_or(0),
                ..OrderQuery::default()
            };
            if json {
                json::write_orders(&store, &query, &mut out)?;
            } else {
                for row in store.query_orders(&query)? {
                    writeln!(
                        out,
                        "{:<10} {:<22} {:<15} {:<6} {:>10} {:<8} {:<6} {}{}",
                        row.platform,
                        row.order_no,
                        row.state.code(),
                        if row.payment.is_paid() {
                            "paid"
                        } else {
                            "unpaid"
                        },
                        crate::domain::format_cents(row.total_cents),
                        row.receiver_name,
                        row.flag.code(),
                        row.city,
                        if row.tracking_no.is_empty() {
                            String::new()
                        } else {
                            format!(" {} {}", row.courier, row.tracking_no)
                        }
                    )?;
                }
            }
        }
        Command::Stock { json } => {
            let store = open(&cli.db)?;
            let rows = store.stock_report()?;
            if json {
                serde_json::to_writer_pretty(&mut out, &rows)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{:<16} {:>8} {:>11} {:>8} {:>10}  {:<8} name",
                    "code", "on hand", "theoretical", "sellable", "in transit", "bin"
                )?;
                for r in rows {
                    writeln!(
                        out,
                        "{:<16} {:>8} {:>11} {:>8} {:>10}  {:<8} {}",
                        r.code, r.on_hand, r.theoretical, r.sellable, r.in_transit, r.bin, r.name
                    )?;
                }
            }
        }
        Command::Import(command) => {
            let mut store = open(&cli.db)?;
            let operator = operator(&store)?;
            import::run(&mut store, &operator, command, &mut out)?;
        }
        Command::Processing(command) => {
            let mut store = open(&cli.db)?;
            let operator = operator(&store)?;
            let code = processing::run(&mut store, &operator, command, &mut out)?;
            out.flush()?;
            return Ok(code);
        }
        Command::Inventory(command) => {
            let mut store = open(&cli.db)?;
            let operator = operator(&store)?;
            inventory::run(&mut store, &operator, command, &mut out)?;
        }
        Command::Shipping(command) => {
            let mut store = open(&cli.db)?;
            let operator = operator(&store)?;
            shipping::run(&mut store, &operator, command, &mut out)?;
        }
        Command::Pack(command) => {
            let mut store = open(&cli.db)?;
            let operator = operator(&store)?;
            let code = pack::run(&mut store, &operator, command, &mut out)?;
            out.flush()?;
            return Ok(code);
        }
        Command::Manual(command) => {
            let mut store = open(&cli.db)?;
            let operator = operator(&store)?;
            manual::run(&mut store, &operator, command, &mut out)?;
        }
        Command::Case(command) => {
            let mut store = open(&cli.db)?;
            let operator = operator(&store)?;
            after_sales::run(&mut store, &operator, command, &mut out)?;
        }
        Command::Unmatched => {
            let store = open(&cli.db)?;
            for u in store.unmatched_skus()? {
                writeln!(out, "{}\t{}\t{} lines", u.sku, u.title, u.lines)?;
            }
        }
        Command::Backup { to } => {
            let db = cli.db.clone().unwrap_or_else(crate::default_db_path);
            backup::run_backup(&db, to, &mut out)?;
        }
        Command::Restore { file } => {
            let db = cli.db.clone().unwrap_or_else(crate::default_db_path);
            backup::run_restore(&db, &file, &mut out)?;
        }
        Command::Address(AddressCommand::Parse { text, json }) => {
            let a = crate::domain::address::parse_address(&text);
            let view = AddressJson {
                name: &a.name,
                phone: &a.phone,
                province: &a.province,
                city: &a.city,
                district: &a.district,
                address: &a.address,
                postcode: &a.postcode,
                unsure: a.unsure.iter().copied().map(field_code).collect(),
            };
            if json {
                serde_json::to_writer(&mut out, &view)?;
                writeln!(out)?;
            } else {
                for (label, value) in [
                    ("name", view.name),
                    ("phone", view.phone),
                    ("province", view.province),
                    ("city", view.city),
                    ("district", view.district),
                    ("address", view.address),
                    ("postcode", view.postcode),
                ] {
                    let unsure = if view.unsure.contains(&label) {
                        "  (unsure)"
                    } else {
                        ""
                    };
                    writeln!(out, "{label:<9} {value}{unsure}")?;
                }
            }
        }
        Command::Match { sku, code } => {
            let mut store = open(&cli.db)?;
            let operator = operator(&store)?;
            let n = store.match_sku(&sku, &code, &operator)?;
            writeln!(out, "matched {n} line(s) with SKU {sku} to {code}")?;
        }
        Command::Check => {
            let store = open(&cli.db)?;
            let problems = store.check()?;
            if problems.is_empty() {
                writeln!(
                    out,
                    "{}: ok (integrity, stock ledger, schema version {})",
                    store.path().display(),
                    store.schema_version()?
                )?;
            } else {
                for problem in &problems {
                    eprintln!("{}: {problem}", store.path().display());
                }
                out.flush()?;
                bail!("{} problem(s) found", problems.len());
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
