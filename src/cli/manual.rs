//! Manual orders from the command line: `order new`, `order reship`, `pay` and
//! `customers`.

use crate::domain::operators::Action;
use std::io::Write;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use serde::Serialize;

use crate::app::manual::{Created, Payment, create, edit, manual_order_of, receiver_of, reship};
use crate::domain::format_cents;
use crate::domain::manual::{PayMethod, parse_line, parse_price};
use crate::store::{ManualLine, ManualOrder, Store};

#[derive(Debug, Subcommand)]
pub enum ManualCommand {
    /// Orders typed in by hand: a new one, or a reshipment of an existing one.
    #[command(subcommand)]
    Order(OrderCommand),
    /// Record a payment received outside a marketplace (到款): the order becomes paid; a
    /// bank transfer sets the green flag with bank and amount in the remark.
    Pay {
        #[arg(value_name = "ORDER_NO")]
        order: String,
        /// bank, cash, wechat or alipay.
        #[arg(long, value_name = "M")]
        method: String,
        /// The amount received, e.g. 128 or 128.50.
        #[arg(long, value_name = "A")]
        amount: String,
        /// The bank and account tail, or any note.
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
    },
    /// Customers (every order's buyer): by name, phone (or its last four digits) or buyer
    /// id, most recent first.
    Customers {
        #[arg(long, value_name = "TEXT", default_value = "")]
        search: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrderCommand {
    /// A new manual order. Prints its number (with --json, the order as `orders --json`
    /// shows it). It is reviewed at once; unpaid until `pay` (or --paid, or --cod).
    New {
        /// The receiver as the buyer sent it: name, phone and address in any order, e.g.
        /// "张三 13800138000 浙江省杭州市西湖区文三路100号".
        #[arg(long, value_name = "TEXT")]
        receiver: String,
        /// A product by code or barcode, its quantity and optionally its unit price.
        #[arg(long = "line", value_name = "CODE=QTY[@PRICE]", required = true)]
        lines: Vec<String>,
        /// Paid already: bank:128.00, cash:50, wechat:…, alipay:….
        #[arg(long, value_name = "METHOD:AMOUNT")]
        paid: Option<String>,
        /// Cash on delivery: the courier collects.
        #[arg(long)]
        cod: bool,
        #[arg(long, value_name = "TEXT", default_value = "")]
        remark: String,
        #[arg(long)]
        json: bool,
    },
    /// A reshipment (补发) of an order: its receiver, the lines given at price 0, the
    /// reason in the remark; the two orders link to each other.
    Reship {
        #[arg(value_name = "ORDER_NO")]
        order: String,
        #[arg(long = "line", value_name = "CODE=QTY", required = true)]
        lines: Vec<String>,
        /// Why: missing item, damaged, lost by courier…
        #[arg(long, value_name = "TEXT")]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a manual order not yet printed: the lines given replace all its lines
    /// (prices as in `order new`), --remark replaces its remark; the rest is kept. Each
    /// change is logged old → new; an approved order is reviewed again. Prints its number
    /// (with --json, the order as `orders --json` shows it).
    Edit {
        #[arg(value_name = "ORDER_NO")]
        order: String,
        /// A product by code or barcode, its quantity and optionally its unit price.
        #[arg(long = "line", value_name = "CODE=QTY[@PRICE]")]
        lines: Vec<String>,
        #[arg(long, value_name = "TEXT")]
        remark: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

fn lines_of(texts: &[String]) -> Result<Vec<ManualLine>> {
    texts
        .iter()
        .map(|text| {
            let line = parse_line(text).map_err(|e| anyhow::anyhow!("--line {text}: {e}"))?;
            Ok(ManualLine {
                code: line.code,
                quantity: line.quantity,
                unit_price_cents: line.unit_price_cents,
            })
        })
        .collect()
}

fn method_of(text: &str) -> Result<PayMethod> {
    PayMethod::from_code(text).with_context(|| {
        format!(
            "payment method {text:?}: expected one of {}",
            PayMethod::ALL.map(PayMethod::code).join(", ")
        )
    })
}

fn amount_of(flag: &str, text: &str) -> Result<i64> {
    match parse_price(text) {
        Ok(cents) if cents > 0 => Ok(cents),
        _ => bail!("{flag} {text}: expected an amount more than 0, such as 128 or 128.50"),
    }
}

fn report(store: &Store, created: &Created, json: bool, out: &mut impl Write) -> Result<()> {
    if json {
        let detail = store.order_detail(created.id)?;
        super::json::write_order(&detail, out)?;
    } else {
        writeln!(out, "{}", created.order_no)?;
    }
    for problem in &created.problems {
        eprintln!(
            "{}: not approved yet: {}",
            created.order_no, problem.message
        );
    }
    Ok(())
}

#[derive(Serialize)]
struct CustomerJson<'a> {
    id: i64,
    platform: &'a str,
    buyer_id: &'a str,
    name: &'a str,
    phone: &'a str,
    tags: &'a str,
    note: &'a str,
    first_order_at: &'a str,
    last_order_at: &'a str,
}

pub fn run(
    store: &mut Store,
    operator: &str,
    command: ManualCommand,
    out: &mut impl Write,
) -> Result<()> {
    match command {
        ManualCommand::Order(OrderCommand::New {
            receiver,
            lines,
            paid,
            cod,
            remark,
            json,
        }) => {
            let (receiver, _) = receiver_of(&receiver).map_err(super::error)?;
            let payment = match paid {
                None => None,
                Some(text) => {
                    let (method, amount) = text.split_once(':').with_context(|| {
                        format!("--paid {text}: expected METHOD:AMOUNT, e.g. bank:128.00")
                    })?;
                    Some(Payment {
                        method: method_of(method)?,
                        amount_cents: amount_of("--paid", amount)?,
                        note: String::new(),
                    })
                }
            };
            if cod && payment.is_some() {
                bail!("--cod and --paid: an order paid already is not cash on delivery");
            }
            let order = ManualOrder {
                receiver,
                lines: lines_of(&lines)?,
                cash_on_delivery: cod,
                remark,
                ..ManualOrder::default()
            };
            let created =
                create(store, operator, &order, payment.as_ref()).map_err(super::error)?;
            report(store, &created, json, out)?;
        }
        ManualCommand::Order(OrderCommand::Reship {
            order,
            lines,
            reason,
            json,
        }) => {
            let original = store.find_order(&order)?;
            let lines = lines_of(&lines)?;
            let created =
                reship(store, operator, original, &lines, &reason).map_err(super::error)?;
            report(store, &created, json, out)?;
        }
        ManualCommand::Order(OrderCommand::Edit {
            order,
            lines,
            remark,
            json,
        }) => {
            if lines.is_empty() && remark.is_none() {
                bail!("order edit {order}: give the new --line(s), a --remark, or both");
            }
            let id = store.find_order(&order)?;
            let mut edited = manual_order_of(&store.order_detail(id)?);
            if !lines.is_empty() {
                edited.lines = lines_of(&lines)?;
            }
            if let Some(remark) = remark {
                edited.remark = remark;
            }
            let (created, changed) = edit(store, operator, id, &edited).map_err(super::error)?;
            if !changed {
                eprintln!("{}: nothing changed", created.order_no);
            }
            report(store, &created, json, out)?;
        }
        ManualCommand::Pay {
            order,
            method,
            amount,
            note,
        } => {
            let id = store.find_order(&order)?;
            let method = method_of(&method)?;
            let cents = amount_of("--amount", &amount)?;
            let order_no = store.record_payment(id, method, cents, &note, operator)?;
            writeln!(
                out,
                "order {order_no}: {} {} received",
                method.code(),
                format_cents(cents)
            )?;
        }
        ManualCommand::Customers { search, json } => {
            let rows = store.customers(&search, 0)?;
            if json {
                let rows: Vec<CustomerJson<'_>> = rows
                    .iter()
                    .map(|c| CustomerJson {
                        id: c.id,
                        platform: &c.platform,
                        buyer_id: &c.buyer_id,
                        name: &c.name,
                        phone: &c.phone,
                        tags: &c.tags,
                        note: &c.note,
                        first_order_at: &c.first_order_at,
                        last_order_at: &c.last_order_at,
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)?;
            } else {
                for c in &rows {
                    writeln!(
                        out,
                        "{:<10} {:<24} {:<10} {:<16} {}",
                        c.platform,
                        c.buyer_id,
                        c.name,
                        c.phone,
                        c.last_order_at.get(..10).unwrap_or_default()
                    )?;
                }
            }
        }
    }
    Ok(())
}

impl ManualCommand {
    /// What the operator must be allowed to do (`None`: a read).
    pub fn action(&self) -> Option<Action> {
        match self {
            // Buyers' names and phones: who edits customers reads them.
            ManualCommand::Customers { .. } => Some(Action::Customers),
            ManualCommand::Order(_) | ManualCommand::Pay { .. } => Some(Action::OrdersManual),
        }
    }
}
