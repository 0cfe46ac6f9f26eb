//! Shipping documents from the command line: `picklist`, `slips`, `waybills`,
//! `shipped-csv`, the couriers and their tracking-number pools, and `courier-change`.
//! Writes are recorded under the operator named in Settings.

use crate::domain::operators::Action;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use clap::Subcommand;

use crate::app::print::{
    PrintSummary, Printed, WaybillRequest, print_pick_list, print_slips, print_waybills,
    send_to_printer,
};
use crate::app::{AppError, InputError};
use crate::domain::shipping::{LabelSize, TrackingSource, parse_template};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum ShippingCommand {
    /// Create a pick-list batch of these approved orders (slots in the order given) and
    /// write its A4 pick list; the orders move to "printed".
    Picklist {
        #[arg(required = true, value_name = "ORDER_NO")]
        orders: Vec<String>,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Send the PDF to the default printer with `lp`.
        #[arg(long)]
        print: bool,
    },
    /// Write the packing slips of these orders (two per A4 page); they move to "printed".
    Slips {
        #[arg(required = true, value_name = "ORDER_NO")]
        orders: Vec<String>,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        #[arg(long)]
        print: bool,
    },
    /// Write one waybill per order (tracking numbers from the courier's pool where the order
    /// has none); the orders move to "printed".
    Waybills {
        #[arg(required = true, value_name = "ORDER_NO")]
        orders: Vec<String>,
        /// The courier's code (see `shopdesk couriers list`).
        #[arg(long, value_name = "CODE")]
        courier: String,
        /// 100x150, 100x180, 76x130, 4x6 or a4; default: the courier's size.
        #[arg(long, value_name = "SIZE")]
        size: Option<String>,
        /// Print the receiver's phone as 138****1234.
        #[arg(long)]
        mask_phone: bool,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        #[arg(long)]
        print: bool,
    },
    /// The marketplace's "batch ship" CSV: order number, courier, tracking number. Without
    /// --since: the orders shipped at the station since the last export (each order is in
    /// one file only); with --since: every order printed since DATE, except printed orders on
    /// hold or closed by the platform.
    ShippedCsv {
        /// YYYY-MM-DD, or a full timestamp (2026-11-20T10:00:00+08:00).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Only this platform's orders, in its upload layout: taobao, tmall, jd, pinduoduo
        /// (or pdd), douyin, shopify, manual, or another platform the shop's orders have.
        #[arg(long, value_name = "P")]
        platform: Option<String>,
        #[arg(long, value_name = "FILE.csv")]
        out: PathBuf,
    },
    /// Couriers: add or change one, list them, print a calibration page.
    #[command(subcommand)]
    Couriers(CourierCommand),
    /// Tracking numbers: import a courier's pool, or set one order's number.
    #[command(subcommand)]
    Tracking(TrackingCommand),
    /// Change the courier of an order that has a tracking number (or any order not shipped
    /// yet): the old number is voided for good and the order takes the new courier's next
    /// pool number, or --number. Printing waybills never replaces a number by itself.
    CourierChange {
        #[arg(value_name = "ORDER_NO")]
        order: String,
        /// The new courier's code (see `shopdesk couriers list`).
        #[arg(long, value_name = "CODE")]
        courier: String,
        /// Why: it goes into the order's log with the voided number.
        #[arg(long, value_name = "TEXT")]
        reason: String,
        /// A tracking number typed or scanned, instead of the next one of the pool.
        #[arg(long, value_name = "N")]
        number: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CourierCommand {
    /// Add a courier, or change the one with this code.
    Add {
        code: String,
        name: String,
        #[arg(long, value_name = "SIZE", default_value = "100x150")]
        size: String,
        #[arg(long, value_name = "NAME")]
        sender_name: Option<String>,
        #[arg(long, value_name = "PHONE")]
        sender_phone: Option<String>,
        #[arg(long, value_name = "ADDRESS")]
        sender_address: Option<String>,
        /// A pre-printed form template (field positions in mm).
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        #[arg(long, value_name = "MM", allow_hyphen_values = true)]
        offset_x: Option<f32>,
        #[arg(long, value_name = "MM", allow_hyphen_values = true)]
        offset_y: Option<f32>,
        /// Another name orders give this courier (`顺丰快递`), matched on import; repeat
        /// for more. Aliases it has are kept.
        #[arg(long, value_name = "NAME")]
        alias: Vec<String>,
    },
    /// List the couriers with their label size and free pool numbers.
    List,
    /// The calibration page of a courier's pre-printed form.
    Calibrate {
        code: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum TrackingCommand {
    /// Add numbers to a courier's pool from a file (one per line; `-` reads stdin).
    Import {
        #[arg(long, value_name = "CODE")]
        courier: String,
        file: PathBuf,
    },
    /// Set an order's tracking number (typed or scanned).
    Set {
        #[arg(value_name = "ORDER_NO")]
        order: String,
        #[arg(long, value_name = "CODE")]
        courier: String,
        number: String,
    },
}

fn resolve_all(store: &Store, orders: &[String]) -> Result<Vec<i64>> {
    orders.iter().map(|no| Ok(store.find_order(no)?)).collect()
}

/// What a print produced, in one line, e.g. "pick list PL000003: 12 orders, 30 lines, 41
/// pieces".
fn summary_line(printed: &Printed) -> String {
    let orders = printed.orders;
    match &printed.summary {
        PrintSummary::PickList {
            batch_no,
            lines,
            pieces,
        } => format!("pick list {batch_no}: {orders} orders, {lines} lines, {pieces} pieces"),
        PrintSummary::Slips => format!("packing slips: {orders} orders"),
        PrintSummary::Waybills { courier, size } => format!(
            "waybills: {orders} orders, {courier} ({})",
            size.map_or("pre-printed form", |s| s.code())
        ),
    }
}

fn report(out: &mut impl Write, printed: &Printed, print: bool) -> Result<()> {
    writeln!(
        out,
        "{} → {} ({} pages, {} KB); {} orders now printed, {} reprinted",
        summary_line(printed),
        printed.path.display(),
        printed.pages,
        printed.bytes.div_ceil(1024),
        printed.outcome.printed,
        printed.outcome.reprinted
    )?;
    for w in &printed.warnings {
        eprintln!("warning: {w}");
    }
    if print {
        let answer = send_to_printer(&printed.path).map_err(|e| anyhow!(e))?;
        writeln!(out, "sent to the printer: {answer}")?;
    }
    Ok(())
}

pub fn run(
    store: &mut Store,
    operator: &str,
    command: ShippingCommand,
    out: &mut impl Write,
) -> Result<()> {
    let mut quiet = |_: usize, _: usize| true;
    match command {
        ShippingCommand::Picklist {
            orders,
            out: file,
            print,
        } => {
            let ids = resolve_all(store, &orders)?;
            let (_, printed) = print_pick_list(store, &ids, &file, operator, &mut quiet)
                .map_err(|e| anyhow!(e))?;
            report(out, &printed, print)?;
        }
        ShippingCommand::Slips {
            orders,
            out: file,
            print,
        } => {
            let ids = resolve_all(store, &orders)?;
            let printed = print_slips(store, &ids, None, &file, operator, &mut quiet)
                .map_err(|e| anyhow!(e))?;
            report(out, &printed, print)?;
        }
        ShippingCommand::Waybills {
            orders,
            courier,
            size,
            mask_phone,
            out: file,
            print,
        } => {
            let size = match size {
                None => None,
                Some(s) => Some(LabelSize::from_code(&s).with_context(|| {
                    format!(
                        "--size {s}: expected one of {}",
                        LabelSize::ALL.map(LabelSize::code).join(", ")
                    )
                })?),
            };
            let ids = resolve_all(store, &orders)?;
            let request = WaybillRequest {
                courier,
                size,
                mask_phone,
            };
            let printed = print_waybills(store, &ids, None, &request, &file, operator, &mut quiet)
                .map_err(|e| anyhow!(e))?;
            report(out, &printed, print)?;
        }
        ShippingCommand::ShippedCsv {
            since,
            platform,
            out: file,
        } => {
            let n = crate::app::shipping::export_shipped(
                store,
                operator,
                since.as_deref(),
                platform.as_deref(),
                &file,
            )
            .map_err(|e| match e {
                AppError::Input(InputError::BadDate(_)) => anyhow!(e).context("--since"),
                AppError::Input(InputError::UnknownPlatform { .. }) => {
                    anyhow!(e).context("--platform")
                }
                other => super::error(other),
            })?;
            writeln!(out, "{n} orders → {}", file.display())?;
        }
        ShippingCommand::Couriers(CourierCommand::Add {
            code,
            name,
            size,
            sender_name,
            sender_phone,
            sender_address,
            template,
            offset_x,
            offset_y,
            alias,
        }) => {
            let mut row = store.courier(&code).unwrap_or_default();
            row.code = code;
            row.name = name;
            row.label_size = LabelSize::from_code(&size).with_context(|| {
                format!(
                    "--size {size}: expected one of {}",
                    LabelSize::ALL.map(LabelSize::code).join(", ")
                )
            })?;
            if let Some(v) = sender_name {
                row.sender_name = v;
            }
            if let Some(v) = sender_phone {
                row.sender_phone = v;
            }
            if let Some(v) = sender_address {
                row.sender_address = v;
            }
            if let Some(path) = template {
                row.template = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
            }
            if let Some(v) = offset_x {
                row.offset_x = v;
            }
            if let Some(v) = offset_y {
                row.offset_y = v;
            }
            row.aliases.extend(alias);
            store.save_courier(&row, operator)?;
            writeln!(out, "courier {} saved", row.code)?;
        }
        ShippingCommand::Couriers(CourierCommand::List) => {
            for c in store.couriers()? {
                writeln!(
                    out,
                    "{:<8} {:<16} {:<8} {:>6} free{}",
                    c.code,
                    c.name,
                    c.label_size.code(),
                    c.pool_free,
                    if c.template.is_empty() {
                        ""
                    } else {
                        "  (pre-printed form)"
                    }
                )?;
            }
        }
        ShippingCommand::Couriers(CourierCommand::Calibrate { code, out: file }) => {
            let courier = store.courier(&code)?;
            if courier.template.trim().is_empty() {
                bail!(
                    "courier {code} has no pre-printed form template (couriers add --template FILE)"
                );
            }
            let mut template = parse_template(&courier.template).map_err(|e| anyhow!(e))?;
            template.offset_x += courier.offset_x;
            template.offset_y += courier.offset_y;
            let rendered =
                crate::docs::waybill::calibration_page(&template).map_err(|e| anyhow!(e))?;
            std::fs::write(&file, &rendered.pdf)
                .with_context(|| format!("cannot write {}", file.display()))?;
            writeln!(out, "calibration page → {}", file.display())?;
        }
        ShippingCommand::Tracking(TrackingCommand::Import { courier, file }) => {
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?
            };
            let (added, rejected) = store.import_tracking(&courier, &text, operator)?;
            for (number, why) in &rejected {
                eprintln!("skipped {number}: {why}");
            }
            let free = store.courier(&courier)?.pool_free;
            writeln!(
                out,
                "{added} tracking numbers added, {} skipped; {free} free for {courier}",
                rejected.len()
            )?;
        }
        ShippingCommand::Tracking(TrackingCommand::Set {
            order,
            courier,
            number,
        }) => {
            let id = store.find_order(&order)?;
            store.set_tracking(id, &courier, &number, operator)?;
            writeln!(out, "order {order}: {courier} {number}")?;
        }
        ShippingCommand::CourierChange {
            order,
            courier,
            reason,
            number,
        } => {
            let id = store.find_order(&order)?;
            let change =
                store.change_courier(id, &courier, &reason, number.as_deref(), operator)?;
            let voided = match &change.voided {
                Some(old) => format!("{} {old} voided; ", change.old_courier),
                None => String::new(),
            };
            let source = match change.source {
                TrackingSource::Pool => "from the pool",
                TrackingSource::Typed => "typed",
            };
            writeln!(
                out,
                "order {}: {voided}now {} ({}) {} ({source})",
                change.order_no, change.courier.name, change.courier.code, change.tracking_no
            )?;
        }
    }
    Ok(())
}

impl ShippingCommand {
    /// What the operator must be allowed to do (`None`: a read).
    pub fn action(&self) -> Option<Action> {
        match self {
            ShippingCommand::Couriers(CourierCommand::List) => None,
            ShippingCommand::Couriers(CourierCommand::Add { .. })
            | ShippingCommand::Tracking(TrackingCommand::Import { .. }) => Some(Action::Couriers),
            _ => Some(Action::Printing),
        }
    }
}
