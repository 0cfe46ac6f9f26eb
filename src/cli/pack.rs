//! The pack & ship station from the command line: `pack` (check a parcel's items and ship
//! it), `ship --override` (ship without a full check, with a reason) and `handover` (count
//! parcels into a courier's bag and print the list).

use crate::domain::operators::Action;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;
use serde::Serialize;

use crate::app::pack::{
    PackOutcome, Reply, Request, close_handover, handle, pack, print_handover, ship_override,
};
use crate::domain::pack::{handover_number, parse_weight};
use crate::store::{Handover, HandoverFilter, HandoverRow, HandoverScan, ShipResult, Store};

#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Check a parcel: open the order by its number, tracking number or packing slip, count
    /// each --scan against its items and ship it when every item matched. Exits 0 when the
    /// check passed and the order shipped; non-zero with the mismatch otherwise. Every
    /// attempt is logged.
    Pack {
        #[arg(value_name = "ORDER_OR_TRACKING")]
        target: String,
        /// What the scanner reads, in order: a product barcode, its code, or CODE*N. A
        /// bundle is packed by scanning its components.
        #[arg(long = "scan", value_name = "CODE", num_args = 1.., required = true)]
        scans: Vec<String>,
        /// The parcel's weight in grams (or 1.25kg).
        #[arg(long, value_name = "G")]
        weight: Option<String>,
    },
    /// Ship printed orders without a full pack check (an item without a barcode): the
    /// reason is logged as an override.
    Ship {
        #[arg(required = true, value_name = "ORDER_NO")]
        orders: Vec<String>,
        /// Required: shipping without the check is always explicit.
        #[arg(long = "override", required = true)]
        override_check: bool,
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Courier hand-overs (交接): start, scan parcels, close and print, list.
    #[command(subcommand)]
    Handover(HandoverCommand),
}

#[derive(Debug, Subcommand)]
pub enum HandoverCommand {
    /// Start a hand-over for a courier (code, name or alias); prints its id. A courier's
    /// open hand-over is reused.
    Start {
        courier: String,
        #[arg(long)]
        json: bool,
    },
    /// Scan parcels into an open hand-over by tracking number. Exits non-zero when any
    /// parcel was refused (another courier's, not shipped, handed over already).
    Scan {
        id: i64,
        #[arg(required = true, value_name = "TRACKING")]
        tracking: Vec<String>,
    },
    /// Close a hand-over: count the parcels against those shipped with the courier since
    /// its previous hand-over, list the missing ones, and write the A4 list to sign.
    Close {
        id: i64,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Write a hand-over's list again.
    Print {
        id: i64,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Hand-overs, newest first.
    List {
        /// Only this courier's (code, name or alias).
        #[arg(long, value_name = "COURIER")]
        courier: Option<String>,
        /// Started on or after this date, e.g. 2026-11-01.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Started before this date.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct HandoverJson<'a> {
    id: i64,
    number: String,
    courier_code: &'a str,
    courier: &'a str,
    started_at: &'a str,
    started_by: &'a str,
    closed_at: Option<&'a str>,
    scanned: i64,
    expected: Option<i64>,
}

fn row_json(h: &HandoverRow) -> HandoverJson<'_> {
    HandoverJson {
        id: h.id,
        number: handover_number(h.id),
        courier_code: &h.courier_code,
        courier: &h.courier_name,
        started_at: &h.started_at,
        started_by: &h.started_by,
        closed_at: h.closed_at.as_deref(),
        scanned: h.scanned,
        expected: h.expected,
    }
}

fn handover_json(h: &Handover) -> HandoverJson<'_> {
    HandoverJson {
        id: h.id,
        number: handover_number(h.id),
        courier_code: &h.courier_code,
        courier: &h.courier_name,
        started_at: &h.started_at,
        started_by: &h.started_by,
        closed_at: h.closed_at.as_deref(),
        scanned: h.parcels.len() as i64,
        expected: h.closed_at.as_ref().map(|_| h.expected),
    }
}

fn report_close(out: &mut impl Write, h: &Handover, file: &std::path::Path) -> Result<()> {
    writeln!(
        out,
        "hand-over {} ({}): {} of {} parcels scanned → {}",
        handover_number(h.id),
        h.courier_name,
        h.parcels.len(),
        h.expected,
        file.display()
    )?;
    for p in &h.missing {
        writeln!(
            out,
            "missing: {} {} {} (shipped {})",
            p.order_no, p.receiver_name, p.tracking_no, p.shipped_at
        )?;
    }
    Ok(())
}

pub fn run(
    store: &mut Store,
    operator: &str,
    command: PackCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    match command {
        PackCommand::Pack {
            target,
            scans,
            weight,
        } => {
            let weight = match weight {
                None => None,
                Some(text) => Some(parse_weight(&text).with_context(|| {
                    format!(
                        "--weight {text}: expected grams (1250) or kilograms (1.25kg), \
                         1 g to {} kg",
                        crate::domain::pack::MAX_WEIGHT_GRAMS / 1000
                    )
                })?),
            };
            let outcome = pack(store, operator, &target, &scans, weight).map_err(super::error)?;
            match &outcome {
                PackOutcome::Shipped { order_no, at } => {
                    writeln!(out, "order {order_no}: pack check passed, shipped at {at}")?;
                }
                PackOutcome::Refused { order_no, reason } => {
                    eprintln!("order {order_no}: refused: {reason}");
                }
                PackOutcome::Mismatch {
                    order_no,
                    mismatch,
                    progress,
                } => {
                    eprintln!("order {order_no}: {mismatch} (counted so far: {progress})");
                }
                PackOutcome::Incomplete { order_no, progress } => {
                    eprintln!("order {order_no}: not every item was scanned: {progress}");
                }
                PackOutcome::Changed { order_no } => {
                    eprintln!(
                        "order {order_no}: its items changed while it was being packed; \
                         scan it again"
                    );
                }
            }
            return Ok(if outcome.shipped() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            });
        }
        PackCommand::Ship {
            orders,
            override_check: _,
            reason,
        } => {
            let results = ship_override(store, operator, &orders, &reason).map_err(super::error)?;
            let mut failed = false;
            for result in results {
                match result {
                    ShipResult::Shipped { order_no, at } => {
                        writeln!(out, "order {order_no}: shipped at {at} (override)")?;
                    }
                    ShipResult::Refused { order_no, reason } => {
                        failed = true;
                        eprintln!("order {order_no}: refused: {reason}");
                    }
                    ShipResult::Changed { order_no } => {
                        failed = true;
                        eprintln!("order {order_no}: changed, not shipped");
                    }
                }
            }
            return Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            });
        }
        PackCommand::Handover(HandoverCommand::Start { courier, json }) => {
            let Reply::Handover(handover) =
                handle(store, operator, Request::HandoverStart(courier)).map_err(super::error)?
            else {
                anyhow::bail!("unexpected answer to a hand-over start");
            };
            if json {
                serde_json::to_writer_pretty(&mut *out, &handover_json(&handover))?;
                writeln!(out)?;
            } else {
                writeln!(out, "{}", handover.id)?;
            }
        }
        PackCommand::Handover(HandoverCommand::Scan { id, tracking }) => {
            let mut refused = 0;
            for number in &tracking {
                let request = Request::HandoverScan {
                    id,
                    tracking: number.clone(),
                };
                let Reply::HandoverScanned { scan, .. } =
                    handle(store, operator, request).map_err(super::error)?
                else {
                    anyhow::bail!("unexpected answer to a hand-over scan");
                };
                match scan {
                    HandoverScan::Added {
                        order_no,
                        receiver_name,
                        scanned,
                    } => writeln!(
                        out,
                        "{number}: order {order_no} {receiver_name} ({scanned} in the bag)"
                    )?,
                    HandoverScan::Refused(reason) => {
                        refused += 1;
                        eprintln!("{number}: refused: {reason}");
                    }
                }
            }
            if refused > 0 {
                return Ok(ExitCode::FAILURE);
            }
        }
        PackCommand::Handover(HandoverCommand::Close { id, out: file }) => {
            let handover = close_handover(store, operator, id, &file).map_err(super::error)?;
            report_close(out, &handover, &file)?;
        }
        PackCommand::Handover(HandoverCommand::Print { id, out: file }) => {
            let handover = store.handover(id)?;
            print_handover(store, &handover, &file).map_err(super::error)?;
            report_close(out, &handover, &file)?;
        }
        PackCommand::Handover(HandoverCommand::List {
            courier,
            from,
            to,
            json,
        }) => {
            let filter = HandoverFilter {
                courier,
                from,
                to,
                limit: 0,
            };
            let Reply::Handovers(rows) =
                handle(store, operator, Request::Handovers(filter)).map_err(super::error)?
            else {
                anyhow::bail!("unexpected answer to a hand-over list");
            };
            if json {
                let rows: Vec<HandoverJson<'_>> = rows.iter().map(row_json).collect();
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)?;
            } else {
                for h in &rows {
                    writeln!(
                        out,
                        "{:<4} {} {:<10} {:<26} {:>5}/{:<5} {}",
                        h.id,
                        handover_number(h.id),
                        h.courier_code,
                        h.started_at,
                        h.scanned,
                        h.expected.map(|e| e.to_string()).unwrap_or("open".into()),
                        h.started_by
                    )?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

impl PackCommand {
    /// What the operator must be allowed to do (`None`: a read).
    pub fn action(&self) -> Option<Action> {
        match self {
            PackCommand::Pack { .. } => Some(Action::Pack),
            PackCommand::Ship { .. } => Some(Action::PackOverride),
            PackCommand::Handover(HandoverCommand::Start { .. })
            | PackCommand::Handover(HandoverCommand::Scan { .. })
            | PackCommand::Handover(HandoverCommand::Close { .. }) => Some(Action::Handovers),
            PackCommand::Handover(HandoverCommand::Print { .. })
            | PackCommand::Handover(HandoverCommand::List { .. }) => None,
        }
    }
}
