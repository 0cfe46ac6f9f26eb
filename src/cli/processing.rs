//! Order processing from the command line: `review`, `merge`, `flag`, `receiver`, `cancel`,
//! `hold`, `release`, `archive`.
//! Orders are named by their platform number; a refusal of the state machine prints the
//! reason and makes the exit code non-zero (the other orders of the command still run).

use crate::domain::operators::Action;
use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Subcommand;

use crate::app;
use crate::app::orders::{ActionOutcome, OrderAction, Reason, Refused};
use crate::domain::{Event, Flag};
use crate::store::Store;

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
    /// Change the receiver of an order not yet printed from a pasted text (name, phone,
    /// address: read as `address parse` reads it, every division found in the table).
    /// Logged old → new; an approved order goes back to review. A second phone is kept.
    Receiver {
        #[arg(value_name = "ORDER_NO")]
        order: String,
        #[arg(value_name = "TEXT")]
        text: String,
    },
    /// Cancel orders (releases their reserved stock).
    Cancel {
        #[arg(required = true, value_name = "ORDER_NO")]
        orders: Vec<String>,
    },
    /// Hold orders (挂起): nothing prints, packs or ships them until they are released.
    Hold {
        #[arg(required = true, value_name = "ORDER_NO")]
        orders: Vec<String>,
    },
    /// Release held orders.
    Release {
        #[arg(required = true, value_name = "ORDER_NO")]
        orders: Vec<String>,
    },
    /// Archive shipped orders: closed for good, nothing can change afterwards.
    Archive {
        #[arg(required = true, value_name = "ORDER_NO")]
        orders: Vec<String>,
    },
}

/// Acts on each order on its own, in the order named, so each order's line (done on stdout,
/// refused on stderr) comes out in that order too. False if any order was refused.
fn each_event(
    store: &mut Store,
    operator: &str,
    orders: &[String],
    event: Event,
    done: &str,
    out: &mut impl Write,
) -> Result<bool> {
    let mut all = true;
    for order_no in orders {
        let outcome = match app::orders::resolve(store, order_no) {
            Ok(id) => app::orders::act(
                store,
                operator,
                &OrderAction::Event {
                    ids: vec![id],
                    event,
                },
            ),
            Err(refused) => ActionOutcome {
                refused: vec![refused],
                ..ActionOutcome::default()
            },
        };
        for _ in &outcome.done {
            writeln!(out, "{done} {order_no}")?;
        }
        for refused in &outcome.refused {
            all = false;
            refusal(out, order_no, &refused.reason)?;
        }
    }
    Ok(all)
}

/// Says on stderr why an order was left as it was, after what stdout already holds; the
/// order is named once (many reasons name it already).
fn refusal(out: &mut impl Write, order_no: &str, reason: &Reason) -> Result<()> {
    out.flush()?;
    let reason = reason.to_string();
    if reason.contains(order_no) {
        eprintln!("shopdesk: {reason}");
    } else {
        eprintln!("shopdesk: order {order_no}: {reason}");
    }
    Ok(())
}

/// Prints a review's outcome in the order the orders were named: `approved X`, or
/// `not approved X:` and its problems. Other refusals go to stderr. False if any order was
/// not approved.
fn print_review(numbers: &[String], outcome: ActionOutcome, out: &mut impl Write) -> Result<bool> {
    let mut all = true;
    // The outcome keeps the approved and the refused apart, each in the order named: taking
    // the front of either in turn gives back the order the review went through them in.
    let ActionOutcome { done, refused, .. } = outcome;
    let mut done = done.into_iter().peekable();
    let mut refused = refused.into_iter().peekable();
    for no in numbers {
        if let Some(no) = done.next_if(|d| d == no) {
            writeln!(out, "approved {no}")?;
        } else if let Some(r) = refused.next_if(|r| r.order_no == *no) {
            all = false;
            print_refused(&r, out)?;
        }
    }
    for no in done {
        writeln!(out, "approved {no}")?;
    }
    for r in refused {
        all = false;
        print_refused(&r, out)?;
    }
    Ok(all)
}

/// One order the review left pending: its problems on stdout, any other reason on stderr.
fn print_refused(refused: &Refused, out: &mut impl Write) -> Result<()> {
    match &refused.reason {
        Reason::Review(problems) => {
            writeln!(out, "not approved {}:", refused.order_no)?;
            for problem in problems {
                writeln!(out, "  {}: {}", problem.code(), problem.message)?;
            }
            Ok(())
        }
        other => refusal(out, &refused.order_no, other),
    }
}

/// Runs one processing command. Its writes are recorded under `operator`.
pub fn run(
    store: &mut Store,
    operator: &str,
    command: ProcessingCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let ok = match command {
        ProcessingCommand::Review { orders } => {
            let mut ids = Vec::new();
            let mut numbers = Vec::new();
            let mut all = true;
            for order_no in &orders {
                match app::orders::resolve(store, order_no) {
                    Ok(id) => {
                        ids.push(id);
                        numbers.push(order_no.trim().to_owned());
                    }
                    Err(refused) => {
                        all = false;
                        refusal(out, order_no, &refused.reason)?;
                    }
                }
            }
            let outcome = app::orders::act(store, operator, &OrderAction::Review { ids });
            print_review(&numbers, outcome, out)? && all
        }
        ProcessingCommand::Merge { orders } => {
            let mut ids = Vec::new();
            for no in &orders {
                match app::orders::resolve(store, no) {
                    Ok(id) => ids.push(id),
                    Err(refused) => bail!("cannot merge {no}: {}", refused.reason),
                }
            }
            let Some((main, others)) = ids.split_first() else {
                bail!("name the main order and the orders to merge into it");
            };
            let action = OrderAction::Merge {
                main: *main,
                others: others.to_vec(),
            };
            let outcome = app::orders::act(store, operator, &action);
            if let Some(refused) = outcome.refused.first() {
                bail!("cannot merge into {}: {}", orders[0], refused.reason);
            }
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
            // A flag is a note, not a change to the shipment: the number of an order merged
            // into another flags its main order instead of being refused.
            let id = store.find_order(&order)?;
            let action = OrderAction::Flag {
                ids: vec![id],
                flag,
                remark,
            };
            let outcome = app::orders::act(store, operator, &action);
            for _ in &outcome.done {
                writeln!(out, "flagged {order} {}", flag.code())?;
            }
            for refused in &outcome.refused {
                refusal(out, &order, &refused.reason)?;
            }
            outcome.refused.is_empty()
        }
        ProcessingCommand::Receiver { order, text } => {
            let (receiver, _) = app::manual::receiver_of(&text).map_err(super::error)?;
            let id = store.find_order(&order)?;
            let phone2 = store.order_detail(id)?.receiver_phone2;
            let edit = crate::store::ReceiverEdit {
                receiver_name: receiver.name,
                receiver_phone: receiver.phone,
                receiver_phone2: phone2,
                province: receiver.province,
                city: receiver.city,
                district: receiver.district,
                address: receiver.address,
                postcode: receiver.postcode,
            };
            let outcome =
                app::orders::act(store, operator, &OrderAction::EditReceiver { id, edit });
            for _ in &outcome.done {
                writeln!(out, "receiver of {order} changed")?;
            }
            for refused in &outcome.refused {
                refusal(out, &order, &refused.reason)?;
            }
            outcome.refused.is_empty()
        }
        ProcessingCommand::Cancel { orders } => {
            each_event(store, operator, &orders, Event::Cancel, "cancelled", out)?
        }
        ProcessingCommand::Hold { orders } => {
            each_event(store, operator, &orders, Event::Hold, "held", out)?
        }
        ProcessingCommand::Release { orders } => {
            each_event(store, operator, &orders, Event::Release, "released", out)?
        }
        ProcessingCommand::Archive { orders } => {
            each_event(store, operator, &orders, Event::Archive, "archived", out)?
        }
    };
    out.flush()?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

impl ProcessingCommand {
    /// What the operator must be allowed to do.
    pub fn action(&self) -> Option<Action> {
        Some(match self {
            ProcessingCommand::Archive { .. } => Action::OrdersArchive,
            ProcessingCommand::Review { .. }
            | ProcessingCommand::Merge { .. }
            | ProcessingCommand::Flag { .. }
            | ProcessingCommand::Receiver { .. }
            | ProcessingCommand::Hold { .. }
            | ProcessingCommand::Release { .. }
            | ProcessingCommand::Cancel { .. } => Action::OrdersEdit,
        })
    }
}
