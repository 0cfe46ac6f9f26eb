//! Order processing from the command line: `review`, `merge`, `flag`, `cancel`, `archive`.
//! Orders are named by their platform number; a refusal of the state machine prints the
//! reason and makes the exit code non-zero (the other orders of the command still run).

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Subcommand;

use crate::domain::{Event, Flag};
use crate::store::{Store, StoreError};

#[derive(Debug, Subcommand)]
pub enum ProcessingCommand {
    /// Review (审核) orders: check address, phone, products and stock, approve those that
    /// pass (their stock is reserved) and list the problems of the others.
    Review {
        /// Platform order numbers.
        #[arg(required = true, value_name = "ORDER_NO")]
        orders: Vec<String>,
    },
    /// Merge orders of the same buyer and address into the first one (not yet printed).
    Merge {
        /// The main order, which keeps its number, then the orders merged into it.
        #[arg(required = true, num_args = 2.., value_name = "ORDER_NO")]
        orders: Vec<String>,
    },
    /// Set an order's flag colour (red, yellow, green, blue, purple, none).
    Flag {
        #[arg(value_name = "ORDER_NO")]
        order: String,
        #[arg(value_name = "COLOUR")]
        colour: String,
        /// Also replace the seller remark.
        #[arg(long, value_name = "TEXT")]
        remark: Option<String>,
    },
    /// Cancel orders (releases their reserved stock).
    Cancel {
        #[arg(required = true, value_name = "ORDER_NO")]
        orders: Vec<String>,
    },
    /// Archive shipped orders: closed for good, nothing can change afterwards.
    Archive {
        #[arg(required = true, value_name = "ORDER_NO")]
        orders: Vec<String>,
    },
}

/// The order a number names, refusing the number of an order merged into another (acting
/// on it would act on the whole shipment).
fn resolve(store: &Store, order_no: &str) -> Result<i64> {
    let id = store.find_order(order_no)?;
    let main = store.order_detail(id)?.row.order_no;
    if main != order_no.trim() {
        bail!("order {order_no} is merged into order {main}: act on {main}, or unmerge it first");
    }
    Ok(id)
}

/// Applies `event` to each order; prints one line per order. False if any was refused.
fn each_event(
    store: &mut Store,
    orders: &[String],
    event: Event,
    done: &str,
    out: &mut impl Write,
) -> Result<bool> {
    let mut all = true;
    for order_no in orders {
        let result = resolve(store, order_no).and_then(|id| Ok(store.apply_event(id, event)?));
        match result {
            Ok(_) => writeln!(out, "{done} {order_no}")?,
            Err(err) => {
                all = false;
                out.flush()?;
                eprintln!("shopdesk: order {order_no}: {err:#}");
            }
        }
    }
    Ok(all)
}

/// Runs one processing command.
pub fn run(
    store: &mut Store,
    command: ProcessingCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let ok = match command {
        ProcessingCommand::Review { orders } => {
            let mut ids = Vec::new();
            let mut all = true;
            for order_no in &orders {
                match resolve(store, order_no) {
                    Ok(id) => ids.push(id),
                    Err(err) => {
                        all = false;
                        eprintln!("shopdesk: order {order_no}: {err:#}");
                    }
                }
            }
            for outcome in store.review_orders(&ids)? {
                if outcome.approved {
                    writeln!(out, "approved {}", outcome.order_no)?;
                } else {
                    all = false;
                    writeln!(out, "not approved {}:", outcome.order_no)?;
                    for problem in &outcome.problems {
                        writeln!(out, "  {}: {}", problem.code(), problem.message)?;
                    }
                }
            }
            all
        }
        ProcessingCommand::Merge { orders } => {
            let ids = orders
                .iter()
                .map(|no| resolve(store, no).with_context(|| format!("cannot merge {no}")))
                .collect::<Result<Vec<_>>>()?;
            let Some((main, others)) = ids.split_first() else {
                bail!("name the main order and the orders to merge into it");
            };
            store
                .merge_orders(*main, others)
                .with_context(|| format!("cannot merge into {}", orders[0]))?;
            writeln!(out, "merged {} into {}", orders[1..].join(", "), orders[0])?;
            true
        }
        ProcessingCommand::Flag {
            order,
            colour,
            remark,
        } => {
            let Some(flag) = Flag::from_code(colour.trim()) else {
                bail!(
                    "unknown colour {colour}: expected one of {}",
                    Flag::ALL.map(Flag::code).join(", ")
                );
            };
            let id = store.find_order(&order)?;
            match store.set_flag(id, flag, remark.as_deref()) {
                Ok(()) => {
                    writeln!(out, "flagged {order} {}", flag.code())?;
                    true
                }
                Err(err @ (StoreError::Invalid(_) | StoreError::Refused(_))) => {
                    out.flush()?;
                    eprintln!("shopdesk: order {order}: {err}");
                    false
                }
                Err(other) => return Err(other.into()),
            }
        }
        ProcessingCommand::Cancel { orders } => {
            each_event(store, &orders, Event::Cancel, "cancelled", out)?
        }
        ProcessingCommand::Archive { orders } => {
            each_event(store, &orders, Event::Archive, "archived", out)?
        }
    };
    out.flush()?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
