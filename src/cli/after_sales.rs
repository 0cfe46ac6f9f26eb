//! After-sales from the command line: `case open|list|show|receive|refund|close|…` and
//! `import refunds`. Amounts are typed in yuan (`12.50`) and stored in cents; a refused
//! action says why, exits non-zero and writes nothing.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use serde::Serialize;

use crate::app::after_sales::{
    MappingSource, RefundsImported, find_order, import_refunds, parse_amount, parse_lines,
    parse_type,
};
use crate::domain::after_sales::{
    CaseStatus, DamagedDecision, Responsibility, case_number, parse_case_number,
};
use crate::domain::format_cents;
use crate::store::{
    CaseDetail, CaseEdit, CaseFilter, CaseReason, ManualLine, NewCase, ParcelMatch, Store, now_text,
};

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Open a case on an order (shipped or archived for return, exchange and reship; any
    /// order for refund and complaint). Prints the case id (with --json, the case).
    Open {
        #[arg(value_name = "ORDER_NO")]
        order: String,
        /// refund (仅退款), return (退货退款), exchange (换货), reship (补发), complaint (投诉).
        #[arg(long = "type", value_name = "T")]
        kind: String,
        /// A reason code or label (see `case reasons`), e.g. quality or 质量问题.
        #[arg(long, value_name = "R")]
        reason: String,
        /// The lines concerned. Default for a return or an exchange: every line of the
        /// order that no earlier case took back; for a refund, a complaint or a reshipment:
        /// the whole order, no lines (a reshipment sends the order's lines again).
        #[arg(long = "line", value_name = "CODE=QTY")]
        lines: Vec<String>,
        /// The refund the buyer asks for, in yuan (checked against what was paid).
        #[arg(long, value_name = "AMOUNT")]
        refund: Option<String>,
        /// Who handles it (default: the operator).
        #[arg(long, value_name = "NAME", default_value = "")]
        owner: String,
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// List cases, newest first.
    List {
        /// open, waiting_return, return_received, refunded, exchanged, reshipped, closed,
        /// rejected; or `unfinished`, `overdue`.
        #[arg(long, value_name = "S")]
        status: Option<String>,
        #[arg(long = "type", value_name = "T")]
        kind: Option<String>,
        #[arg(long, value_name = "R")]
        reason: Option<String>,
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
        /// Opened on or after this date, e.g. 2026-11-01.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Opened on or before this date.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// An order, tracking or case number, a buyer or receiver.
        #[arg(long, value_name = "TEXT", default_value = "")]
        search: String,
        #[arg(long, value_name = "N", default_value_t = 1000)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// One case with its lines, refunds and log.
    Show {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// The return is agreed: the case waits for the buyer's parcel.
    Wait {
        #[arg(value_name = "ID")]
        id: String,
        /// The buyer's return tracking number, when known.
        #[arg(long, value_name = "TRACKING", default_value = "")]
        tracking: String,
    },
    /// A return parcel arrived (退货到货), named by the case id, the return or order
    /// tracking number or the order number. Sellable goods go back on hand, damaged ones
    /// are kept apart. A parcel matching no order is recorded for later matching.
    Receive {
        #[arg(value_name = "ID|TRACKING")]
        target: String,
        /// What came back and its condition (default: every line of the case, sellable).
        #[arg(long = "line", value_name = "CODE=QTY:sellable|damaged")]
        lines: Vec<String>,
    },
    /// Refund an amount in yuan on a case.
    Refund {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(value_name = "AMOUNT")]
        amount: String,
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
    },
    /// Create the exchange's replacement order (at price 0, linked to the original).
    Exchange {
        #[arg(value_name = "ID")]
        id: String,
        /// The replacement products (default: the case's lines again).
        #[arg(long = "line", value_name = "CODE=QTY")]
        lines: Vec<String>,
    },
    /// Create the reshipment order of a reshipment case.
    Reship {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long = "line", value_name = "CODE=QTY")]
        lines: Vec<String>,
    },
    /// Close a settled case; the flag it put on the order comes off unless --keep-flag
    /// (back to what another open case needs, or to the flag from before the case).
    Close {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long)]
        keep_flag: bool,
        /// Close an exchange whose replacement went out though its goods never came back,
        /// waiving them (said in the case's log); a parcel that comes later is still
        /// received on the case.
        #[arg(long)]
        without_goods: bool,
    },
    /// Reject a case, with the reason; its flag comes off the order as on close.
    Reject {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long, value_name = "TEXT")]
        reason: String,
        #[arg(long)]
        keep_flag: bool,
    },
    /// Change a case's owner, note, responsibility or courier evidence.
    Edit {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// none, courier, packing, supplier, buyer.
        #[arg(long, value_name = "WHO")]
        responsibility: Option<String>,
        /// The courier signed for the damage (evidence for the claim).
        #[arg(long)]
        courier_signed: Option<bool>,
        #[arg(long, value_name = "TRACKING")]
        return_tracking: Option<String>,
    },
    /// The day's after-sales figures, as at the top of the window's After-sales tab.
    Figures {
        #[arg(long)]
        json: bool,
    },
    /// Return parcels that match no order yet (无单退货).
    Parcels,
    /// Match an unknown return parcel to a return or exchange case waiting for goods: what
    /// it held is received on the case, its tracking number becomes the return tracking.
    Assign {
        parcel: i64,
        #[arg(value_name = "CASE")]
        case: String,
        /// What came back in it (default: what was written down when it arrived).
        #[arg(long = "line", value_name = "CODE=QTY:sellable|damaged")]
        lines: Vec<String>,
    },
    /// Damaged goods kept apart, or a decision about some of them.
    Damaged {
        /// The product, for a decision.
        code: Option<String>,
        quantity: Option<i64>,
        /// repair (back on hand), write-off, supplier.
        #[arg(long, value_name = "D")]
        decision: Option<String>,
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
    },
    /// The reasons a case can give; with --code, add or change one.
    Reasons {
        #[arg(long, value_name = "CODE")]
        code: Option<String>,
        #[arg(long, value_name = "TEXT", default_value = "")]
        label: String,
        #[arg(long, value_name = "TEXT", default_value = "")]
        label_zh: String,
        /// Stop offering the reason (its cases keep it).
        #[arg(long)]
        retire: bool,
    },
}

#[derive(Serialize)]
struct LineJson<'a> {
    code: &'a str,
    quantity: i64,
    sellable: i64,
    damaged: i64,
}

#[derive(Serialize)]
struct EventJson<'a> {
    at: &'a str,
    operator: &'a str,
    action: &'a str,
    detail: &'a str,
}

#[derive(Serialize)]
struct CaseJson<'a> {
    id: i64,
    case_no: String,
    order_no: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    status: &'static str,
    reason: &'a str,
    owner: &'a str,
    refund_cents: i64,
    requested_cents: i64,
    lines: Vec<LineJson<'a>>,
    opened_at: &'a str,
    received_at: Option<&'a str>,
    refunded_at: Option<&'a str>,
    closed_at: Option<&'a str>,
    due_at: Option<&'a str>,
    goods_received: bool,
    responsibility: &'static str,
    courier: &'a str,
    tracking_no: &'a str,
    courier_signed: bool,
    packer: &'a str,
    handover_id: Option<i64>,
    return_tracking: &'a str,
    new_order_no: Option<&'a str>,
    replacement_cancelled: bool,
    reject_reason: &'a str,
    note: &'a str,
    log: Vec<EventJson<'a>>,
}

fn case_json(d: &CaseDetail) -> CaseJson<'_> {
    CaseJson {
        id: d.row.id,
        case_no: case_number(d.row.id),
        order_no: &d.row.order_no,
        kind: d.row.kind.code(),
        status: d.row.status.code(),
        reason: &d.row.reason,
        owner: &d.row.owner,
        refund_cents: d.row.refund_cents,
        requested_cents: d.requested_cents,
        lines: d
            .lines
            .iter()
            .map(|l| LineJson {
                code: &l.code,
                quantity: l.quantity,
                sellable: l.sellable,
                damaged: l.damaged,
            })
            .collect(),
        opened_at: &d.row.opened_at,
        received_at: d.received_at.as_deref(),
        refunded_at: d.refunded_at.as_deref(),
        closed_at: d.row.closed_at.as_deref(),
        due_at: d.row.due_at.as_deref(),
        goods_received: d.goods_received,
        responsibility: d.responsibility.code(),
        courier: &d.courier,
        tracking_no: &d.tracking_no,
        courier_signed: d.courier_signed,
        packer: &d.packer,
        handover_id: d.handover_id,
        return_tracking: &d.return_tracking,
        new_order_no: d.new_order_no.as_deref(),
        replacement_cancelled: d.replacement_cancelled,
        reject_reason: &d.reject_reason,
        note: &d.note,
        log: d
            .events
            .iter()
            .map(|e| EventJson {
                at: &e.at,
                operator: &e.operator,
                action: &e.action,
                detail: &e.detail,
            })
            .collect(),
    }
}

/// A case id as typed: `42` or `AS000042`.
fn case_id(typed: &str) -> Result<i64> {
    parse_case_number(typed)
        .with_context(|| format!("{typed:?}: expected a case id, e.g. 42 or AS000042"))
}

fn manual_lines(typed: &[String]) -> Result<Vec<ManualLine>> {
    Ok(parse_lines(typed)
        .map_err(super::error)?
        .into_iter()
        .map(|l| ManualLine {
            code: l.code,
            quantity: l.quantity,
            unit_price_cents: None,
        })
        .collect())
}

fn print_case(d: &CaseDetail, out: &mut impl Write) -> Result<()> {
    writeln!(
        out,
        "{} {} {} order {} ({}) reason {} owner {}",
        case_number(d.row.id),
        d.row.kind.code(),
        d.row.status.code(),
        d.row.order_no,
        d.order_state.code(),
        d.row.reason,
        d.row.owner
    )?;
    writeln!(
        out,
        "  refunded {} of {} asked; order paid {}, refunded {}; at most {} more",
        format_cents(d.row.refund_cents),
        format_cents(d.requested_cents),
        format_cents(d.paid_cents),
        format_cents(d.order_refunded_cents),
        format_cents(d.refund_limit_cents)
    )?;
    for l in &d.lines {
        writeln!(
            out,
            "  {} ×{} {}  back: {} sellable, {} damaged",
            l.code, l.quantity, l.title, l.sellable, l.damaged
        )?;
    }
    if d.responsibility != Responsibility::None {
        writeln!(
            out,
            "  responsibility {}: courier {} {}{}{}{}",
            d.responsibility.code(),
            d.courier,
            d.tracking_no,
            if d.courier_signed { ", signed" } else { "" },
            if d.packer.is_empty() {
                String::new()
            } else {
                format!(", packed by {}", d.packer)
            },
            d.handover_id
                .map(|h| format!(", hand-over {}", crate::domain::pack::handover_number(h)))
                .unwrap_or_default()
        )?;
    }
    if let Some(no) = &d.new_order_no {
        writeln!(
            out,
            "  sent again as order {no}{}",
            if d.replacement_cancelled {
                " (cancelled: send it again, or reject the case)"
            } else {
                ""
            }
        )?;
    }
    for e in &d.events {
        writeln!(out, "  {} {} {} {}", e.at, e.operator, e.action, e.detail)?;
    }
    Ok(())
}

/// Runs one `case` command; its writes are recorded under `operator`.
pub fn run(
    store: &mut Store,
    operator: &str,
    command: CaseCommand,
    out: &mut impl Write,
) -> Result<()> {
    match command {
        CaseCommand::Open {
            order,
            kind,
            reason,
            lines,
            refund,
            owner,
            note,
            json,
        } => {
            let kind = parse_type(&kind).map_err(super::error)?;
            let reason = store.case_reason_code(&reason)?;
            let detail = find_order(store, &order).map_err(super::error)?;
            let lines = parse_lines(&lines)
                .map_err(super::error)?
                .into_iter()
                .map(|l| (l.code, l.quantity))
                .collect();
            let requested_cents = refund
                .as_deref()
                .map(parse_amount)
                .transpose()
                .map_err(super::error)?;
            // A merged order's own number names it: the case sits on the main order
            // but is bounded by what the merged order paid.
            let order_id = store
                .merged_order_by_number(&order)?
                .unwrap_or(detail.row.id);
            let id = store.open_case(
                &NewCase {
                    order_id,
                    kind,
                    reason,
                    lines,
                    requested_cents,
                    owner,
                    note,
                    return_tracking: String::new(),
                },
                operator,
            )?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &case_json(&store.case_detail(id)?))?;
                writeln!(out)?;
            } else {
                writeln!(out, "{id}")?;
            }
        }
        CaseCommand::List {
            status,
            kind,
            reason,
            owner,
            from,
            to,
            search,
            limit,
            json,
        } => {
            let mut filter = CaseFilter {
                kind: kind
                    .as_deref()
                    .map(parse_type)
                    .transpose()
                    .map_err(super::error)?,
                reason: reason
                    .as_deref()
                    .map(|r| store.case_reason_code(r))
                    .transpose()?,
                owner,
                from,
                to,
                text: search,
                limit,
                ..CaseFilter::default()
            };
            match status.as_deref() {
                None => {}
                Some("unfinished") => filter.unfinished = true,
                Some("overdue") => filter.overdue = true,
                Some(code) => {
                    filter.status = Some(CaseStatus::from_code(code).with_context(|| {
                        format!(
                            "--status {code}: expected one of {}, unfinished, overdue",
                            CaseStatus::ALL.map(CaseStatus::code).join(", ")
                        )
                    })?);
                }
            }
            let now = now_text();
            let page = store.cases(&filter, &now)?;
            if json {
                let details = page
                    .rows
                    .iter()
                    .map(|r| store.case_detail(r.id))
                    .collect::<Result<Vec<_>, _>>()?;
                let cases: Vec<CaseJson<'_>> = details.iter().map(case_json).collect();
                serde_json::to_writer_pretty(&mut *out, &cases)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{:<6} {:<9} {:<15} {:<22} {:<18} {:>9} {:<10} opened",
                    "id", "type", "status", "order", "reason", "refunded", "owner"
                )?;
                for r in &page.rows {
                    writeln!(
                        out,
                        "{:<6} {:<9} {:<15} {:<22} {:<18} {:>9} {:<10} {}{}",
                        r.id,
                        r.kind.code(),
                        r.status.code(),
                        r.order_no,
                        r.reason,
                        format_cents(r.refund_cents),
                        r.owner,
                        r.opened_at.get(..16).unwrap_or(&r.opened_at),
                        if r.is_overdue(&now) { "  OVERDUE" } else { "" }
                    )?;
                }
                if page.total > page.rows.len() as i64 {
                    writeln!(out, "({} of {} cases shown)", page.rows.len(), page.total)?;
                }
            }
        }
        CaseCommand::Show { id, json } => {
            let detail = store.case_detail(case_id(&id)?)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &case_json(&detail))?;
                writeln!(out)?;
            } else {
                print_case(&detail, out)?;
            }
        }
        CaseCommand::Wait { id, tracking } => {
            let id = case_id(&id)?;
            store.await_return(id, &tracking, operator)?;
            writeln!(out, "{} waits for the return parcel", case_number(id))?;
        }
        CaseCommand::Receive { target, lines } => {
            let specs = parse_lines(&lines).map_err(super::error)?;
            match store.match_parcel(&target)? {
                ParcelMatch::Case(id) => {
                    let back = |d: &crate::store::CaseDetail| {
                        d.lines
                            .iter()
                            .fold((0, 0), |(s, g), l| (s + l.sellable, g + l.damaged))
                    };
                    let (sellable_before, damaged_before) = back(&store.case_detail(id)?);
                    store.receive_return(id, &specs, &tracking_of(&target), operator)?;
                    let d = store.case_detail(id)?;
                    let (sellable, damaged) = back(&d);
                    let missing: Vec<String> = d
                        .lines
                        .iter()
                        .filter(|l| l.sellable + l.damaged < l.quantity)
                        .map(|l| format!("{}×{}", l.code, l.quantity - l.sellable - l.damaged))
                        .collect();
                    // What came this time, and the case's total when an earlier parcel
                    // brought part of it.
                    let total = if (sellable_before, damaged_before) == (0, 0) {
                        String::new()
                    } else {
                        format!(" (in all: {sellable} sellable, {damaged} damaged)")
                    };
                    writeln!(
                        out,
                        "{} received: {} sellable back on hand, {} damaged kept apart{total}{}",
                        case_number(id),
                        sellable - sellable_before,
                        damaged - damaged_before,
                        if missing.is_empty() {
                            String::new()
                        } else {
                            format!("; still to come: {}", missing.join(", "))
                        }
                    )?;
                }
                ParcelMatch::Several(ids) => bail!(
                    "{target}: several cases wait for goods on this order ({}): receive on one \
                     of them by its id",
                    ids.iter()
                        .map(|i| case_number(*i))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                ParcelMatch::OrderWithoutCase { order_no, .. } => bail!(
                    "{target}: no case of order {order_no} waits for goods: open one with \
                     `shopdesk case open {order_no} --type return --reason …` first"
                ),
                ParcelMatch::Unknown if parse_case_number(&target).is_some() => {
                    bail!("no after-sales case {target}")
                }
                ParcelMatch::Unknown => {
                    let id =
                        store.record_unknown_parcel(&target, "", &lines.join(", "), operator)?;
                    writeln!(
                        out,
                        "{target} matches no order: recorded as unknown return parcel {id} \
                         (无单退货); match it later with `shopdesk case assign {id} CASE`"
                    )?;
                }
            }
        }
        CaseCommand::Refund { id, amount, note } => {
            let id = case_id(&id)?;
            let cents = parse_amount(&amount).map_err(super::error)?;
            store.refund_case(id, cents, &note, operator)?;
            writeln!(out, "{} refunded {}", case_number(id), format_cents(cents))?;
        }
        CaseCommand::Exchange { id, lines } => {
            let id = case_id(&id)?;
            let order_no = store.exchange_case(id, &manual_lines(&lines)?, operator)?;
            writeln!(out, "{order_no}")?;
        }
        CaseCommand::Reship { id, lines } => {
            let id = case_id(&id)?;
            let order_no = store.reship_case(id, &manual_lines(&lines)?, operator)?;
            writeln!(out, "{order_no}")?;
        }
        CaseCommand::Close {
            id,
            keep_flag,
            without_goods,
        } => {
            let id = case_id(&id)?;
            let flag = if without_goods {
                store.close_case_without_goods(id, !keep_flag, operator)?
            } else {
                store.close_case(id, !keep_flag, operator)?
            };
            writeln!(out, "{} closed{}", case_number(id), flag_note(flag))?;
        }
        CaseCommand::Reject {
            id,
            reason,
            keep_flag,
        } => {
            let id = case_id(&id)?;
            let flag = store.reject_case(id, &reason, !keep_flag, operator)?;
            writeln!(out, "{} rejected{}", case_number(id), flag_note(flag))?;
        }
        CaseCommand::Edit {
            id,
            owner,
            note,
            responsibility,
            courier_signed,
            return_tracking,
        } => {
            let id = case_id(&id)?;
            let responsibility = match responsibility.as_deref() {
                None => None,
                Some(code) => Some(Responsibility::from_code(code).with_context(|| {
                    format!(
                        "--responsibility {code}: expected one of {}",
                        Responsibility::ALL.map(Responsibility::code).join(", ")
                    )
                })?),
            };
            let changed = store.update_case(
                id,
                &CaseEdit {
                    owner,
                    note,
                    responsibility,
                    courier_signed,
                    return_tracking,
                },
                operator,
            )?;
            writeln!(
                out,
                "{} {}",
                case_number(id),
                if changed { "changed" } else { "unchanged" }
            )?;
        }
        CaseCommand::Figures { json } => {
            let f = crate::app::after_sales::day_figures(store, &crate::store::now_text())
                .map_err(super::error)?;
            if json {
                let value = serde_json::json!({
                    "opened_today": f.opened_today,
                    "closed_today": f.closed_today,
                    "waiting_return": f.waiting_return,
                    "overdue": f.overdue,
                    "refunds_today_cents": f.refunds_today_cents,
                    "average_handling_hours": f.average_hours,
                    "returns_by_reason": f.returns_by_reason.iter().map(|(reason, count)| {
                        serde_json::json!({"reason": reason, "count": count})
                    }).collect::<Vec<_>>(),
                    "unknown_parcels": f.unknown_parcels,
                    "unpaid_to_follow": f.unpaid_to_follow,
                    "followed_up_today": f.followed_up_today,
                    "problem_orders": f.problem_orders,
                });
                serde_json::to_writer_pretty(&mut *out, &value)?;
                writeln!(out)?;
            } else {
                writeln!(out, "opened today        {}", f.opened_today)?;
                writeln!(out, "closed today        {}", f.closed_today)?;
                writeln!(out, "waiting for parcel  {}", f.waiting_return)?;
                writeln!(out, "overdue             {}", f.overdue)?;
                writeln!(
                    out,
                    "refunds today       {}",
                    format_cents(f.refunds_today_cents)
                )?;
                writeln!(
                    out,
                    "average handling    {}",
                    f.average_hours
                        .map_or_else(|| "-".to_owned(), |h| format!("{h:.1} h"))
                )?;
                writeln!(out, "unknown parcels     {}", f.unknown_parcels)?;
                writeln!(out, "unpaid to follow    {}", f.unpaid_to_follow)?;
                writeln!(out, "problem orders      {}", f.problem_orders)?;
                writeln!(out, "returns by reason this month:")?;
                for (reason, count) in &f.returns_by_reason {
                    writeln!(out, "  {reason:<20} {count}")?;
                }
            }
        }
        CaseCommand::Parcels => {
            for p in store.unknown_parcels()? {
                writeln!(
                    out,
                    "{:<6} {:<20} {:<8} {} {} {}",
                    p.id, p.tracking_no, p.courier, p.received_at, p.operator, p.contents
                )?;
            }
        }
        CaseCommand::Assign {
            parcel,
            case,
            lines,
        } => {
            let case = case_id(&case)?;
            let specs = parse_lines(&lines).map_err(super::error)?;
            store.assign_parcel(parcel, case, &specs, operator)?;
            writeln!(out, "parcel {parcel} matched to {}", case_number(case))?;
        }
        CaseCommand::Damaged {
            code,
            quantity,
            decision,
            note,
        } => match (code, quantity, decision) {
            (None, None, None) => {
                for row in store.damaged_stock()? {
                    writeln!(out, "{:<16} {:>6}  {}", row.code, row.damaged, row.name)?;
                }
            }
            (Some(code), Some(quantity), Some(decision)) => {
                let decision = DamagedDecision::from_code(&decision).with_context(|| {
                    format!("--decision {decision}: expected repair, write-off or supplier")
                })?;
                store.decide_damaged(&code, quantity, decision, &note, operator)?;
                writeln!(
                    out,
                    "{code}: {quantity} {}",
                    decision.code().replace('_', " ")
                )?;
            }
            _ => bail!(
                "a decision needs the product, the quantity and --decision, e.g. \
                 `shopdesk case damaged CUP 1 --decision repair`"
            ),
        },
        CaseCommand::Reasons {
            code,
            label,
            label_zh,
            retire,
        } => {
            if let Some(code) = code {
                let existing = store.case_reasons()?.into_iter().find(|r| r.code == code);
                let (old_label, old_zh) =
                    existing.map(|r| (r.label, r.label_zh)).unwrap_or_default();
                store.save_case_reason(
                    &CaseReason {
                        label: if label.is_empty() { old_label } else { label },
                        label_zh: if label_zh.is_empty() {
                            old_zh
                        } else {
                            label_zh
                        },
                        code: code.clone(),
                        active: !retire,
                    },
                    operator,
                )?;
                writeln!(out, "saved reason {code}")?;
            } else {
                for r in store.case_reasons()? {
                    writeln!(
                        out,
                        "{:<20} {:<22} {}{}",
                        r.code,
                        r.label,
                        r.label_zh,
                        if r.active { "" } else { " (retired)" }
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// What became of the order's flag when a case finished.
fn flag_note(flag: Option<crate::domain::Flag>) -> String {
    match flag {
        Some(crate::domain::Flag::None) => "; the order's flag was cleared".to_owned(),
        Some(flag) => format!("; the order's flag is {} again", flag.code()),
        None => String::new(),
    }
}

/// The scanned text when it is a tracking number rather than a case id.
fn tracking_of(target: &str) -> String {
    if parse_case_number(target).is_some() {
        String::new()
    } else {
        target.trim().to_owned()
    }
}

/// `import refunds FILE [--mapping FILE.json | --profile NAME] [--skip-invalid]`.
pub fn run_import(
    store: &mut Store,
    operator: &str,
    file: &Path,
    mapping: Option<&MappingSource>,
    skip_invalid: bool,
    out: &mut impl Write,
) -> Result<()> {
    let RefundsImported {
        outcome,
        rejected,
        written,
    } = import_refunds(store, file, mapping, skip_invalid, operator).map_err(super::error)?;
    if written {
        writeln!(
            out,
            "{} cases created, {} updated, {} unchanged, {} rejected",
            outcome.created.len(),
            outcome.updated.len(),
            outcome.unchanged,
            rejected.len()
        )?;
    }
    if !rejected.is_empty() {
        writeln!(out, "rejected:")?;
        for row in &rejected {
            writeln!(out, "  {}", super::row_text(row))?;
        }
    }
    out.flush()?;
    if !written {
        bail!(
            "{} row(s) rejected: nothing was written; fix them or pass --skip-invalid to import \
             the valid refunds",
            rejected.len()
        );
    }
    Ok(())
}

impl CaseCommand {
    /// What the operator must be allowed to do (`None`: a read).
    pub fn action(&self) -> Option<crate::domain::operators::Action> {
        use crate::domain::operators::Action;
        match self {
            // Reading cases is after-sales work too: a packer or a stock keeper sees none,
            // as in the window.
            CaseCommand::List { .. }
            | CaseCommand::Show { .. }
            | CaseCommand::Parcels
            | CaseCommand::Figures { .. } => Some(Action::AfterSales),
            CaseCommand::Damaged { decision: None, .. } => Some(Action::AfterSales),
            CaseCommand::Damaged { .. } => Some(Action::StockAdjust),
            CaseCommand::Reasons { code: None, .. } => Some(Action::AfterSales),
            CaseCommand::Refund { .. } => Some(Action::Refunds),
            _ => Some(Action::AfterSales),
        }
    }
}
