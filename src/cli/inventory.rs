//! Inventory from the command line: `products import|export`, `receive`,
//! `adjust`, `purchases`, `ledger` and `count`. Names and flags are a contract.

use crate::domain::operators::Action;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Subcommand;

use super::import::EncodingArg;
use crate::app;
use crate::app::inventory::{Done, Reply, Request, Scan};
use crate::domain::format_cents;
use crate::domain::inventory::{AdjustReason, CountEntry, parse_scan};
use crate::domain::parse_cents;
use crate::store::{CountDetail, NewPurchase, NewPurchaseLine, Store};

#[derive(Debug, Subcommand)]
pub enum InventoryCommand {
    /// Import or export products as CSV.
    #[command(subcommand)]
    Products(ProductsCommand),
    /// Receive an open purchase: everything still expected, or the given lines.
    Receive {
        /// The purchase's number (see `shopdesk purchases`).
        #[arg(value_name = "PURCHASE_ID")]
        purchase: i64,
        /// Receive only this line, as CODE=QTY (repeat for more lines).
        #[arg(long = "line", value_name = "CODE=QTY")]
        lines: Vec<String>,
    },
    /// Adjust a product's stock by hand: QTY is negative for damaged, lost and samples.
    #[command(allow_negative_numbers = true)]
    Adjust {
        /// Product code.
        code: String,
        /// Units to add (positive) or take (negative).
        #[arg(allow_negative_numbers = true)]
        qty: i64,
        /// damaged, lost, found or sample.
        #[arg(long, value_name = "R")]
        reason: String,
        /// A note kept in the ledger.
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
    },
    /// List purchases (open ones; --all for every one), or create / cancel one.
    Purchases {
        #[command(subcommand)]
        action: Option<PurchaseCommand>,
        /// Received and cancelled purchases too.
        #[arg(long)]
        all: bool,
        /// Print one JSON array.
        #[arg(long)]
        json: bool,
    },
    /// A product's ledger, newest first, with on hand after each movement.
    Ledger {
        /// Product code or barcode.
        code: String,
        /// At most this many movements.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Stock counts (盘点): start, enter counted quantities, show the differences, post.
    #[command(subcommand)]
    Count(CountCommand),
}

#[derive(Debug, Subcommand)]
pub enum ProductsCommand {
    /// Create and update products by code from a CSV file: all or nothing.
    Import {
        file: PathBuf,
        /// Only show what would happen; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The file's text encoding.
        #[arg(long, value_enum, default_value = "auto")]
        encoding: EncodingArg,
    },
    /// Write every product to a CSV file, safe to open in a spreadsheet.
    Export { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum PurchaseCommand {
    /// Create a purchase order; its quantities are in transit until received.
    Create {
        #[arg(long)]
        supplier: String,
        /// Expected arrival, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        expected: Option<String>,
        /// A line as CODE=QTY or CODE=QTY@COST (repeat for more lines).
        #[arg(long = "line", value_name = "CODE=QTY[@COST]", required = true)]
        lines: Vec<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Cancel what is still expected of an open purchase.
    Cancel { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum CountCommand {
    /// Start a count of every active product, or of a bin range (natural order).
    Start {
        #[arg(long, value_name = "BIN", default_value = "")]
        from: String,
        #[arg(long, value_name = "BIN", default_value = "")]
        to: String,
    },
    /// Enter counted quantities: CODE (one more), CODE*N (N more) or CODE=N (set).
    Enter {
        id: i64,
        #[arg(required = true, value_name = "SCAN")]
        scans: Vec<String>,
    },
    /// Show a count's lines and differences.
    Show { id: i64 },
    /// Post the differences as stock count movements, in one transaction.
    Post { id: i64 },
    /// Cancel an open count.
    Cancel { id: i64 },
}

fn code_qty(text: &str) -> Result<(String, i64, Option<i64>)> {
    let (code, rest) = text
        .rsplit_once('=')
        .with_context(|| format!("{text}: write CODE=QTY"))?;
    let (qty, cost) = match rest.split_once('@') {
        Some((q, c)) => (
            q,
            Some(parse_cents(c).with_context(|| format!("{text}: cost like 12.50"))?),
        ),
        None => (rest, None),
    };
    let qty: i64 = qty
        .trim()
        .parse()
        .with_context(|| format!("{text}: the quantity is a whole number"))?;
    Ok((code.trim().to_owned(), qty, cost))
}

/// Asks the inventory handler, which the window's Inventory tab asks too.
fn ask(store: &mut Store, operator: &str, request: Request) -> Result<Reply> {
    app::inventory::handle(store, operator, request).map_err(super::error)
}

/// Asks the inventory handler for a write and gives back what it did.
fn done(store: &mut Store, operator: &str, request: Request) -> Result<Done> {
    match ask(store, operator, request)? {
        Reply::Done(done) => Ok(done),
        other => Err(unexpected(&other)),
    }
}

/// The handler answered a request with another request's reply: a bug, said as such.
fn unexpected(answer: &impl std::fmt::Debug) -> anyhow::Error {
    anyhow::anyhow!("the inventory handler gave an unexpected answer: {answer:?}")
}

/// Runs one inventory command. Its writes are recorded under `operator`.
pub fn run(
    store: &mut Store,
    operator: &str,
    command: InventoryCommand,
    out: &mut impl Write,
) -> Result<()> {
    match command {
        InventoryCommand::Products(ProductsCommand::Import {
            file,
            dry_run,
            encoding,
        }) => {
            let mut parsed =
                crate::import::parse_products(&file, encoding.into(), &app::keep_going)?;
            parsed.check_components(|code| store.product_is_bundle(code))?;
            if let (true, Some(encoding)) = (parsed.encoding_guessed, parsed.encoding) {
                writeln!(
                    out,
                    "{} read as {encoding}, a guess: if names look wrong, import again with \
                     --encoding",
                    file.display()
                )?;
            }
            if !parsed.rejected.is_empty() {
                for error in &parsed.rejected {
                    eprintln!("{}", super::row_text(error));
                }
                bail!(
                    "{} bad row(s) in {}: nothing imported",
                    parsed.rejected.len(),
                    file.display()
                );
            }
            // One run: rolled back for --dry-run, committed otherwise.
            let summary =
                app::inventory::write_products(store, operator, &parsed, dry_run, &app::keep_going)
                    .map_err(super::error)?;
            writeln!(
                out,
                "{}{} products: {} new, {} updated, {} unchanged",
                if dry_run {
                    "dry run, nothing written: "
                } else {
                    ""
                },
                parsed.products.len(),
                summary.created,
                summary.updated,
                summary.unchanged
            )?;
        }
        InventoryCommand::Products(ProductsCommand::Export { file }) => {
            let answer = done(store, operator, Request::Export(file))?;
            let Done::Exported { products, path } = answer else {
                return Err(unexpected(&answer));
            };
            writeln!(out, "{products} products written to {}", path.display())?;
        }
        InventoryCommand::Receive { purchase, lines } => {
            let lines = lines
                .iter()
                .map(|l| code_qty(l).map(|(c, q, _)| (c, q)))
                .collect::<Result<Vec<_>>>()?;
            // The receipt, not `Done::Received`: the line says on how many lines.
            let receipt =
                app::inventory::receive(store, operator, purchase, &lines).map_err(super::error)?;
            writeln!(
                out,
                "purchase {purchase}: received {} unit(s) on {} line(s){}",
                receipt.units,
                receipt.lines,
                if receipt.complete {
                    "; complete"
                } else {
                    "; more still expected"
                }
            )?;
        }
        InventoryCommand::Adjust {
            code,
            qty,
            reason,
            note,
        } => {
            let reason = AdjustReason::from_code(&reason).with_context(|| {
                format!(
                    "--reason {reason}: expected one of {}",
                    AdjustReason::ALL.map(AdjustReason::code).join(", ")
                )
            })?;
            let request = Request::Adjust {
                code,
                quantity: qty,
                reason,
                note,
            };
            let answer = done(store, operator, request)?;
            let Done::Adjusted {
                code,
                quantity,
                reason,
                on_hand,
            } = answer
            else {
                return Err(unexpected(&answer));
            };
            writeln!(
                out,
                "{code}: {quantity:+} ({}), on hand now {on_hand}",
                reason.code()
            )?;
            if on_hand < 0 {
                eprintln!("warning: {code} is below zero ({on_hand}); count it soon");
            }
        }
        InventoryCommand::Purchases { action, all, json } => match action {
            None => {
                let answer = ask(store, operator, Request::Purchases { all })?;
                let Reply::Purchases(rows) = answer else {
                    return Err(unexpected(&answer));
                };
                if json {
                    serde_json::to_writer_pretty(&mut *out, &rows)?;
                    writeln!(out)?;
                } else {
                    for p in rows {
                        writeln!(
                            out,
                            "{:<6} {:<10} {:<20} expected {:<10} {}/{} received",
                            p.id,
                            // The code, a `&str`: the status's Display ignores the width.
                            p.status.code(),
                            p.supplier,
                            p.expected_date.as_deref().unwrap_or("-"),
                            p.received,
                            p.ordered
                        )?;
                        for l in p.lines {
                            writeln!(
                                out,
                                "       {:<16} {:>5}/{:<5} at {:>8}  {}",
                                l.code,
                                l.received,
                                l.ordered,
                                format_cents(l.unit_cost_cents),
                                l.name
                            )?;
                        }
                    }
                }
            }
            Some(PurchaseCommand::Create {
                supplier,
                expected,
                lines,
                note,
            }) => {
                let lines = lines
                    .iter()
                    .map(|l| {
                        code_qty(l).map(|(code, quantity, cost)| NewPurchaseLine {
                            code,
                            quantity,
                            unit_cost_cents: cost.unwrap_or(0),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                let request = Request::CreatePurchase(NewPurchase {
                    supplier,
                    expected_date: expected,
                    note,
                    lines,
                });
                let answer = done(store, operator, request)?;
                let Done::PurchaseCreated(id) = answer else {
                    return Err(unexpected(&answer));
                };
                writeln!(out, "purchase {id} created")?;
            }
            Some(PurchaseCommand::Cancel { id }) => {
                let answer = done(store, operator, Request::CancelPurchase(id))?;
                let Done::PurchaseCancelled(id) = answer else {
                    return Err(unexpected(&answer));
                };
                writeln!(out, "purchase {id} cancelled")?;
            }
        },
        InventoryCommand::Ledger { code, limit } => {
            // `Request::Ledger` reads a page of the window's fixed size; `--limit` reads
            // the store directly.
            let rows = store.stock_rows(&code, true)?;
            let Some(row) = rows
                .iter()
                .find(|r| r.code == code.trim())
                .or_else(|| rows.first())
            else {
                bail!("no product with code or barcode {code}");
            };
            let page = store.ledger_page(row.id, 0, limit)?;
            writeln!(
                out,
                "{} {}: on hand {}, theoretical {} (reserved {}), sellable {}, in transit {}; {} movement(s)",
                page.code,
                page.name,
                page.on_hand,
                row.theoretical,
                row.reserved,
                row.sellable,
                row.in_transit,
                page.total
            )?;
            for m in page.rows {
                writeln!(
                    out,
                    "{:<25} {:>+7} {:>8}  {:<16} {:<14} {:<10} {}",
                    m.created_at,
                    m.quantity,
                    m.on_hand_after,
                    m.reason,
                    m.reference,
                    m.operator,
                    m.note
                )?;
            }
        }
        InventoryCommand::Count(command) => run_count(store, operator, command, out)?,
    }
    Ok(())
}

/// A count's lines and figures.
fn count_detail(store: &mut Store, operator: &str, id: i64) -> Result<CountDetail> {
    match ask(store, operator, Request::CountDetail(id))? {
        Reply::CountDetail(detail) => Ok(*detail),
        other => Err(unexpected(&other)),
    }
}

fn run_count(
    store: &mut Store,
    operator: &str,
    command: CountCommand,
    out: &mut impl Write,
) -> Result<()> {
    match command {
        CountCommand::Start { from, to } => {
            let answer = done(store, operator, Request::StartCount { from, to })?;
            let Done::CountStarted(id) = answer else {
                return Err(unexpected(&answer));
            };
            let lines = count_detail(store, operator, id)?.lines.len();
            writeln!(out, "count {id} started: {lines} product(s)")?;
        }
        CountCommand::Enter { id, scans } => {
            for scan in scans {
                // Read here too: the line repeats how the quantity was entered.
                let (_, entry) = parse_scan(&scan)
                    .with_context(|| format!("{scan}: write CODE, CODE*N or CODE=N"))?;
                let request = Request::Scan {
                    count_id: id,
                    text: scan.clone(),
                };
                let answer = ask(store, operator, request)?;
                let Reply::Scanned(result) = answer else {
                    return Err(unexpected(&answer));
                };
                match result {
                    Scan::Counted { code, counted } => {
                        let how = match entry {
                            CountEntry::Add(n) => format!("+{n}"),
                            CountEntry::Set(n) => format!("={n}"),
                        };
                        writeln!(out, "{code} {how}: counted {counted}")?;
                    }
                    Scan::Unreadable(_) => bail!("{scan}: write CODE, CODE*N or CODE=N"),
                    Scan::Refused { reason, .. } => bail!("{reason}"),
                }
            }
        }
        CountCommand::Show { id } => {
            let detail = count_detail(store, operator, id)?;
            writeln!(
                out,
                "count {id} ({}): {}/{} counted, difference {:+} unit(s), {} at cost",
                detail.row.status,
                detail.row.counted,
                detail.row.lines,
                detail.units,
                format_cents(detail.value_cents)
            )?;
            for l in detail.lines {
                let counted = l.counted.map_or("-".to_owned(), |c| c.to_string());
                let diff = l.difference.map_or(String::new(), |d| {
                    format!("{:+} ({})", d.difference, format_cents(d.value_cents))
                });
                writeln!(
                    out,
                    "{:<8} {:<16} on hand {:>6} counted {:>6} {}",
                    l.bin, l.code, l.on_hand, counted, diff
                )?;
            }
        }
        CountCommand::Post { id } => {
            let answer = done(store, operator, Request::PostCount(id))?;
            let Done::CountPosted {
                id,
                adjusted,
                units,
                value_cents,
                negative,
            } = answer
            else {
                return Err(unexpected(&answer));
            };
            writeln!(
                out,
                "count {id} posted: {adjusted} adjustment(s), {units:+} unit(s), {} at cost",
                format_cents(value_cents)
            )?;
            if !negative.is_empty() {
                eprintln!("warning: below zero now: {}", negative.join(", "));
            }
        }
        CountCommand::Cancel { id } => {
            let answer = done(store, operator, Request::CancelCount(id))?;
            let Done::CountCancelled(id) = answer else {
                return Err(unexpected(&answer));
            };
            writeln!(out, "count {id} cancelled")?;
        }
    }
    Ok(())
}

impl InventoryCommand {
    /// What the operator must be allowed to do (`None`: a read).
    pub fn action(&self) -> Option<Action> {
        match self {
            InventoryCommand::Products(ProductsCommand::Import { .. }) => Some(Action::Products),
            InventoryCommand::Products(ProductsCommand::Export { .. })
            | InventoryCommand::Ledger { .. } => None,
            InventoryCommand::Purchases { action: None, .. } => None,
            InventoryCommand::Receive { .. } | InventoryCommand::Purchases { .. } => {
                Some(Action::Purchases)
            }
            InventoryCommand::Adjust { .. } => Some(Action::StockAdjust),
            InventoryCommand::Count(CountCommand::Show { .. }) => None,
            InventoryCommand::Count(_) => Some(Action::StockCounts),
        }
    }
}
