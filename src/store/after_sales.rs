//! After-sales cases (售后): opening a case on an order, the return parcel's arrival with
//! each item's condition (sellable back on hand through the ledger, damaged into the
//! damaged-goods ledger), refunds (on the order's refunded amount and payment status, or
//! kept beside an archived order), the exchange's replacement and the reshipment as linked
//! orders, closing with the order's flag, rejecting; unknown return parcels; the marketplace
//! refund import; the list, the detail and the day's figures.
//!
//! The rules are `domain::after_sales`'s; each action re-reads the case and its order
//! inside its own `BEGIN IMMEDIATE` transaction and writes all of its effects there.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::manual::{ManualLine, reship_in};
use super::orders::log;
use super::processing::reindex;
use super::products::{explode_lines, post_movement_noted, single_figures};
use super::{Result, Store, StoreError, coded, now_text};
use crate::domain::after_sales::{
    CaseAction, CaseLineSpec, CaseState, CaseStatus, CaseType, Condition, DamagedDecision, Paid,
    Responsibility, case_number, case_transition, check_quantity, check_refund,
    payment_after_refunds, receive_goods, refund_limit, reported_status,
};
use crate::domain::stock::MovementReason;
use crate::domain::{Flag, LogKind, OrderState, PaymentStatus, format_cents};

/// A new case as the user typed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCase {
    pub order_id: i64,
    pub kind: CaseType,
    /// A reason code of [`Store::case_reasons`].
    pub reason: String,
    /// `(product code, barcode or SKU, quantity)`; empty: the whole order.
    pub lines: Vec<(String, i64)>,
    /// What the buyer asks to be refunded, if said.
    pub requested_cents: Option<i64>,
    /// Empty: the operator who opens it.
    pub owner: String,
    pub note: String,
    pub return_tracking: String,
}

/// A reason of the editable list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseReason {
    pub code: String,
    pub label: String,
    pub label_zh: String,
    pub active: bool,
}

/// One row of the cases list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseRow {
    pub id: i64,
    pub order_id: i64,
    pub order_no: String,
    pub platform: String,
    pub buyer: String,
    pub kind: CaseType,
    pub status: CaseStatus,
    pub reason: String,
    pub owner: String,
    pub refund_cents: i64,
    pub opened_at: String,
    pub closed_at: Option<String>,
    pub due_at: Option<String>,
}

impl CaseRow {
    /// Past its due date and not finished.
    pub fn is_overdue(&self, now: &str) -> bool {
        !self.status.is_final() && self.due_at.as_deref().is_some_and(|due| due < now)
    }
}

/// A case's line with what came back of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseLine {
    pub code: String,
    pub title: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub sellable: i64,
    pub damaged: i64,
}

/// An entry of a case's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseEvent {
    pub at: String,
    pub operator: String,
    pub action: String,
    pub detail: String,
}

/// A refund a case made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseRefund {
    pub cents: i64,
    pub source: String,
    pub at: String,
    pub operator: String,
}

/// Everything about one case, for its detail and `case show`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseDetail {
    pub row: CaseRow,
    pub note: String,
    pub goods_received: bool,
    pub requested_cents: i64,
    pub responsibility: Responsibility,
    pub courier: String,
    pub tracking_no: String,
    pub courier_signed: bool,
    pub packer: String,
    pub handover_id: Option<i64>,
    pub return_tracking: String,
    pub new_order_no: Option<String>,
    /// The replacement (or reshipment) order was cancelled: the case waits for it to be
    /// sent again, or to be rejected.
    pub replacement_cancelled: bool,
    pub flag_set: Flag,
    pub platform_refund_no: Option<String>,
    pub reject_reason: String,
    pub received_at: Option<String>,
    pub refunded_at: Option<String>,
    pub order_state: OrderState,
    pub order_flag: Flag,
    pub receiver: String,
    pub paid_cents: i64,
    /// Refunded on the order so far, every case and the platform's own refunds.
    pub order_refunded_cents: i64,
    /// The most this case may still refund.
    pub refund_limit_cents: i64,
    pub lines: Vec<CaseLine>,
    pub refunds: Vec<CaseRefund>,
    pub events: Vec<CaseEvent>,
}

/// Which cases the list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub kind: Option<CaseType>,
    pub status: Option<CaseStatus>,
    /// Only unfinished cases.
    pub unfinished: bool,
    pub reason: Option<String>,
    pub owner: Option<String>,
    /// Opened on or after this date (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Opened on or before this date.
    pub to: Option<String>,
    /// Only cases past their due date.
    pub overdue: bool,
    /// An order number, tracking number, buyer or receiver, or a case number.
    pub text: String,
    /// Rows after this case id (the list pages down by id).
    pub before_id: Option<i64>,
    pub limit: u32,
}

/// A page of the list and how many cases match in all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CasePage {
    pub rows: Vec<CaseRow>,
    pub total: i64,
}

/// The day's after-sales figures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CaseFigures {
    pub opened_today: i64,
    pub closed_today: i64,
    pub waiting_return: i64,
    pub overdue: i64,
    pub refunds_today_cents: i64,
    /// Average hours from opening to closing, over the cases closed in the last 30 days.
    pub average_hours: Option<f64>,
    /// Returns and exchanges opened this month by reason code, most first.
    pub returns_by_reason: Vec<(String, i64)>,
    pub unknown_parcels: i64,
    pub unpaid_to_follow: i64,
    pub followed_up_today: i64,
    pub problem_orders: i64,
}

/// What a scanned return parcel names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParcelMatch {
    /// One case waits for it.
    Case(i64),
    /// Several cases of the order wait for goods: the user picks one.
    Several(Vec<i64>),
    /// The order is known but no case waits for goods on it.
    OrderWithoutCase { order_id: i64, order_no: String },
    /// Nothing known: an unknown parcel (无单退货).
    Unknown,
}

/// A return parcel that matched no order yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownParcel {
    pub id: i64,
    pub tracking_no: String,
    pub courier: String,
    pub contents: String,
    pub received_at: String,
    pub operator: String,
}

/// Damaged goods kept apart, by product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DamagedRow {
    pub code: String,
    pub name: String,
    pub damaged: i64,
}

/// An order in a service queue (unpaid to follow up, problem orders).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueRow {
    pub order_id: i64,
    pub order_no: String,
    pub platform: String,
    pub buyer: String,
    pub total_cents: i64,
    pub ordered_at: String,
    pub state: OrderState,
    pub flag: Flag,
    pub on_hold: bool,
    pub remark: String,
    /// The last follow-up, for the unpaid queue.
    pub last_follow_up: Option<String>,
}

/// A refund row of a marketplace's refund export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedRefund {
    /// The physical line of the file, for messages.
    pub line: u64,
    pub refund_no: String,
    pub order_no: String,
    pub amount_cents: i64,
    pub status: CaseStatus,
    pub goods_back: bool,
    /// A reason code, or `other`.
    pub reason: String,
    pub note: String,
    pub applied_at: String,
    pub return_tracking: String,
}

/// What a refund import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefundImport {
    pub created: Vec<i64>,
    pub updated: Vec<i64>,
    pub unchanged: usize,
    /// `(line, order number)` of refunds whose order is not in the database: bad rows, as
    /// refused ones.
    pub unknown_orders: Vec<(u64, String)>,
    /// `(line, why)` of refunds that would refund more than the order may still refund:
    /// their rows are left out.
    pub refused: Vec<(u64, String)>,
    /// False when refunds were refused and the rest was not to be imported alone: nothing
    /// was written.
    pub written: bool,
}

const ROW_SELECT: &str = "SELECT c.id, c.order_id, o.order_no, o.platform,
        CASE WHEN o.buyer_id <> '' THEN o.buyer_id ELSE o.receiver_name END,
        c.kind, c.status, c.reason, c.owner, c.refund_cents, c.opened_at, c.closed_at, c.due_at
     FROM cases c JOIN orders o ON o.id = c.order_id";

fn case_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<CaseRow> {
    Ok(CaseRow {
        id: row.get(0)?,
        order_id: row.get(1)?,
        order_no: row.get(2)?,
        platform: row.get(3)?,
        buyer: row.get(4)?,
        kind: coded(row, 5, CaseType::from_code)?,
        status: coded(row, 6, CaseStatus::from_code)?,
        reason: row.get(7)?,
        owner: row.get(8)?,
        refund_cents: row.get(9)?,
        opened_at: row.get(10)?,
        closed_at: row.get(11)?,
        due_at: row.get(12)?,
    })
}

/// The order as a case needs it.
struct OrderFacts {
    order_no: String,
    state: OrderState,
    payment: PaymentStatus,
    /// The main order's id, when this order was merged into it.
    merged_into: Option<i64>,
    goods_cents: i64,
    postage_cents: i64,
    paid_cents: i64,
    /// On the order row itself.
    row_refunded_cents: i64,
    /// Refunds of cases kept beside the (archived) order.
    beside_cents: i64,
    flag: Flag,
    remark: String,
    courier: String,
    tracking_no: String,
}

impl OrderFacts {
    fn refunded(&self) -> i64 {
        self.row_refunded_cents + self.beside_cents
    }

    fn paid(&self) -> Paid {
        Paid {
            goods_cents: self.goods_cents,
            postage_cents: self.postage_cents,
            paid_cents: self.paid_cents,
            refunded_cents: self.refunded(),
        }
    }
}

fn order_facts(conn: &Connection, id: i64) -> Result<OrderFacts> {
    conn.prepare_cached(
        "SELECT o.order_no, o.state, o.payment_status,
                o.merged_into,
                o.goods_cents, o.postage_cents, o.paid_cents, o.refunded_cents,
                (SELECT COALESCE(SUM(r.cents), 0) FROM case_refunds r
                 WHERE r.order_id = o.id AND r.on_order = 0),
                o.flag, o.seller_remark, o.courier, o.tracking_no
         FROM orders o WHERE o.id = ?1",
    )?
    .query_row([id], |row| {
        Ok(OrderFacts {
            order_no: row.get(0)?,
            state: coded(row, 1, OrderState::from_code)?,
            payment: coded(row, 2, PaymentStatus::from_code)?,
            merged_into: row.get(3)?,
            goods_cents: row.get(4)?,
            postage_cents: row.get(5)?,
            paid_cents: row.get(6)?,
            row_refunded_cents: row.get(7)?,
            beside_cents: row.get(8)?,
            flag: coded(row, 9, Flag::from_code)?,
            remark: row.get(10)?,
            courier: row.get(11)?,
            tracking_no: row.get(12)?,
        })
    })
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no order with id {id}")))
}

/// The case as the state machine and the actions need it.
struct CaseFacts {
    order_id: i64,
    state: CaseState,
    flag_set: Flag,
    refund_cents: i64,
}

fn case_facts(conn: &Connection, id: i64) -> Result<CaseFacts> {
    conn.prepare_cached(
        "SELECT order_id, kind, status, goods_received, flag_set, refund_cents
         FROM cases WHERE id = ?1",
    )?
    .query_row([id], |row| {
        Ok(CaseFacts {
            order_id: row.get(0)?,
            state: CaseState {
                kind: coded(row, 1, CaseType::from_code)?,
                status: coded(row, 2, CaseStatus::from_code)?,
                goods_received: row.get(3)?,
            },
            flag_set: coded(row, 4, Flag::from_code)?,
            refund_cents: row.get(5)?,
        })
    })
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no after-sales case {}", case_number(id))))
}

/// The order's lines by product code (or SKU when unmatched): `(code, title, product,
/// quantity, unit price)`.
type OrderLine = (String, String, Option<i64>, i64, i64);

fn order_lines(conn: &Connection, order_id: i64) -> Result<Vec<OrderLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE(p.code, l.sku), MAX(l.title), l.product_id, SUM(l.quantity),
                MAX(l.unit_price_cents)
         FROM order_lines l LEFT JOIN products p ON p.id = l.product_id
         WHERE l.order_id = ?1
         GROUP BY COALESCE(p.code, l.sku) ORDER BY MIN(l.id)",
    )?;
    let rows = stmt.query_map([order_id], |row| {
        Ok((
            row.get(0)?,
            row.get(1)?,
            row.get(2)?,
            row.get(3)?,
            row.get(4)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the order's other cases took or expect back, by line code: the quantity and the
/// cases that hold it. Returns and exchanges count whatever their status (goods expected
/// or come back), refund-only cases the lines they refunded; rejected cases nothing.
fn claimed_by_others(
    conn: &Connection,
    order_id: i64,
    except: Option<i64>,
) -> Result<HashMap<String, (i64, Vec<i64>)>> {
    let mut claimed: HashMap<String, (i64, Vec<i64>)> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT l.code, l.case_id, SUM(l.quantity) FROM case_lines l
         JOIN cases c ON c.id = l.case_id
         WHERE c.order_id = ?1 AND c.id <> ?2 AND c.status <> 'rejected'
             AND c.kind IN ('return', 'exchange', 'refund')
         GROUP BY l.code, l.case_id ORDER BY l.case_id",
    )?;
    let rows = stmt.query_map(params![order_id, except.unwrap_or(0)], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    })?;
    for row in rows {
        let (code, case, quantity): (String, i64, i64) = row?;
        let entry = claimed.entry(code).or_default();
        entry.0 += quantity;
        entry.1.push(case);
    }
    Ok(claimed)
}

/// The case numbers, for a message: `AS000001, AS000002`.
fn case_numbers(ids: &[i64]) -> String {
    ids.iter()
        .map(|id| case_number(*id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The order's lines with the quantity left of each, and the cases that hold the rest.
type LinesLeft = (Vec<(OrderLine, i64)>, Vec<i64>);

/// The order's lines less what other cases took or expect back: what a return or an
/// exchange of the whole order takes. Also returns every case that holds a part.
fn lines_left(conn: &Connection, order_id: i64, except: Option<i64>) -> Result<LinesLeft> {
    let claimed = claimed_by_others(conn, order_id, except)?;
    let mut holders: Vec<i64> = claimed.values().flat_map(|c| c.1.iter().copied()).collect();
    holders.sort_unstable();
    holders.dedup();
    let left = order_lines(conn, order_id)?
        .into_iter()
        .map(|l| {
            let taken = claimed.get(&l.0).map_or(0, |c| c.0);
            let left = l.3 - taken;
            (l, left)
        })
        .filter(|(_, left)| *left > 0)
        .collect();
    Ok((left, holders))
}

/// Finds an order line by product code, barcode or SKU.
fn find_line<'a>(
    conn: &Connection,
    lines: &'a [OrderLine],
    key: &str,
) -> Result<Option<&'a OrderLine>> {
    let key = key.trim();
    if let Some(line) = lines.iter().find(|l| l.0.eq_ignore_ascii_case(key)) {
        return Ok(Some(line));
    }
    let product: Option<i64> = conn
        .prepare_cached("SELECT product_id FROM product_barcodes WHERE barcode = ?1")?
        .query_row([key], |row| row.get(0))
        .optional()?;
    Ok(product.and_then(|p| lines.iter().find(|l| l.2 == Some(p))))
}

fn insert_case_line(tx: &Transaction<'_>, id: i64, line: &OrderLine, quantity: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO case_lines (case_id, code, product_id, title, quantity, unit_price_cents)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, line.0, line.2, line.1, quantity, line.4])?;
    Ok(())
}

fn event(
    tx: &Transaction<'_>,
    case: i64,
    operator: &str,
    now: &str,
    action: &str,
    detail: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO case_events (case_id, at, operator, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![case, now, operator, action, detail])?;
    Ok(())
}

/// The due date `days` after `now` (same time of day), as stored.
fn due_after(now: &str, days: Option<i64>) -> Option<String> {
    let days = days?;
    let at = chrono::DateTime::parse_from_rfc3339(now).ok()?;
    Some((at + chrono::Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
}

/// Moves the case through the state machine and stores the new status and due date.
fn step(
    tx: &Transaction<'_>,
    id: i64,
    facts: &CaseFacts,
    action: CaseAction,
    now: &str,
) -> Result<CaseState> {
    let next = case_transition(facts.state, action).map_err(|refusal| refused(id, &refusal))?;
    store_state(tx, id, next, now)?;
    Ok(next)
}

fn refused(id: i64, refusal: &crate::domain::after_sales::CaseRefusal) -> StoreError {
    StoreError::Invalid(format!("{}: {refusal}", case_number(id)))
}

/// Stores a case's new status, whether its goods are back, and its due date.
fn store_state(tx: &Transaction<'_>, id: i64, next: CaseState, now: &str) -> Result<()> {
    tx.prepare_cached(
        "UPDATE cases SET status = ?2, goods_received = ?3, due_at = ?4, updated_at = ?5,
             closed_at = CASE WHEN ?2 IN ('closed', 'rejected')
                 AND status NOT IN ('closed', 'rejected') THEN ?5 ELSE closed_at END,
             handling_minutes = CASE WHEN ?2 IN ('closed', 'rejected')
                 AND status NOT IN ('closed', 'rejected')
                 THEN CAST((julianday(?5) - julianday(opened_at)) * 1440 AS INTEGER)
                 ELSE handling_minutes END
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        next.status.code(),
        next.goods_received,
        due_after(now, next.status.days_due()),
        now
    ])?;
    Ok(())
}

/// Puts the case's flag (and its number in the remark) on an order that may change.
fn flag_order(
    tx: &Transaction<'_>,
    order_id: i64,
    order: &OrderFacts,
    flag: Flag,
    remark_note: &str,
    operator: &str,
    now: &str,
) -> Result<()> {
    let remark = if order.remark.contains(remark_note) {
        order.remark.clone()
    } else if order.remark.trim().is_empty() {
        remark_note.to_owned()
    } else {
        format!("{} {remark_note}", order.remark.trim())
    };
    // Logged old → new, the remark as its own entry, as a person's flag is.
    log(
        tx,
        order_id,
        operator,
        now,
        LogKind::Flag,
        &format!("flag {} → {}", order.flag.code(), flag.code()),
    )?;
    if remark != order.remark {
        log(
            tx,
            order_id,
            operator,
            now,
            LogKind::Remark,
            &format!("{} → {remark}", order.remark),
        )?;
    }
    tx.execute(
        "UPDATE orders SET flag = ?2, seller_remark = ?3, updated_at = ?4 WHERE id = ?1",
        params![order_id, flag.code(), remark, now],
    )?;
    reindex(tx, order_id)?;
    Ok(())
}

/// Flags the order of a new return (purple) or exchange (blue), with the case number in
/// its remark, when the order may change. The case keeps the flag it set and the one the
/// order had before: the order's own, or, when another open case set the flag the order
/// carries, the one that case found.
fn flag_for_case(
    tx: &Transaction<'_>,
    id: i64,
    order_id: i64,
    order: &OrderFacts,
    kind: CaseType,
    operator: &str,
    now: &str,
) -> Result<()> {
    let Some(flag) = kind.flag() else {
        return Ok(());
    };
    if order.state == OrderState::Archived {
        return Ok(());
    }
    let before = tx
        .prepare_cached(
            "SELECT flag_before FROM cases WHERE order_id = ?1 AND id <> ?2 AND flag_set = ?3
                 AND status NOT IN ('closed', 'rejected')
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![order_id, id, order.flag.code()], |row| {
            coded(row, 0, Flag::from_code)
        })
        .optional()?
        .unwrap_or(order.flag);
    let note = format!("售后 {} {}", case_number(id), kind.chinese());
    flag_order(tx, order_id, order, flag, &note, operator, now)?;
    tx.execute(
        "UPDATE cases SET flag_set = ?2, flag_before = ?3 WHERE id = ?1",
        params![id, flag.code(), before.code()],
    )?;
    Ok(())
}

impl Store {
    /// The reasons, active ones first in their order.
    pub fn case_reasons(&self) -> Result<Vec<CaseReason>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT code, label, label_zh, active FROM case_reasons
             ORDER BY active DESC, position, code",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(CaseReason {
                code: row.get(0)?,
                label: row.get(1)?,
                label_zh: row.get(2)?,
                active: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a reason or changes one's labels and whether it is offered.
    pub fn save_case_reason(&mut self, reason: &CaseReason, operator: &str) -> Result<()> {
        let code = reason.code.trim();
        if code.is_empty() || code.len() > 40 || code.contains(char::is_whitespace) {
            return Err(StoreError::Invalid(format!(
                "reason code {code:?}: expected 1 to 40 characters without spaces"
            )));
        }
        let label = reason.label.trim();
        let label_zh = if reason.label_zh.trim().is_empty() {
            label
        } else {
            reason.label_zh.trim()
        };
        if label.is_empty() || label.chars().count() > 80 || label_zh.chars().count() > 80 {
            return Err(StoreError::Invalid(format!(
                "reason {code}: the label must be 1 to 80 characters"
            )));
        }
        let tx = self.write()?;
        let before: Option<(String, String, bool)> = tx
            .query_row(
                "SELECT label, label_zh, active FROM case_reasons WHERE code = ?1",
                [code],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let said = |label: &str, label_zh: &str, active: bool| {
            format!(
                "{label} / {label_zh}{}",
                if active { "" } else { " (retired)" }
            )
        };
        let after = said(label, label_zh, reason.active);
        let before = before.map_or_else(String::new, |(l, z, a)| said(&l, &z, a));
        if before == after {
            return Ok(());
        }
        super::audit::record(&tx, operator, "case.reason", code, &before, &after)?;
        tx.execute(
            "INSERT INTO case_reasons (code, label, label_zh, position, active)
             VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(position), 0) + 1 FROM case_reasons), ?4)
             ON CONFLICT (code) DO UPDATE SET label = ?2, label_zh = ?3, active = ?4",
            params![code, label, label_zh, reason.active],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Reads a reason as typed: its code, or its English or Chinese label.
    pub fn case_reason_code(&self, typed: &str) -> Result<String> {
        let typed = typed.trim();
        let reasons = self.case_reasons()?;
        reasons
            .iter()
            .find(|r| {
                r.code.eq_ignore_ascii_case(typed)
                    || r.label.eq_ignore_ascii_case(typed)
                    || r.label_zh == typed
            })
            .map(|r| r.code.clone())
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "unknown reason {typed:?}: expected one of {}",
                    reasons
                        .iter()
                        .filter(|r| r.active)
                        .map(|r| r.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
    }

    /// Opens a case on an order (shipped or archived for the goods coming back or going
    /// out again; any paid order for a refund or a complaint). The lines are checked
    /// against the order and earlier cases, the asked refund against what was paid. The
    /// evidence is gathered now: the courier, tracking number and hand-over list of the
    /// parcel, the packer who passed its check. A return or an exchange flags an order that
    /// may still change (purple, blue) with the case number in its remark.
    pub fn open_case(&mut self, new: &NewCase, operator: &str) -> Result<i64> {
        let now = now_text();
        let tx = self.write()?;
        // An order merged into another: the case sits on the main order (its goods, flag
        // and refunded amount are there) and names the merged one, whose own payment
        // bounds its refunds.
        let main = order_facts(&tx, new.order_id)?.merged_into;
        let part = main.map(|_| new.order_id);
        let new = &NewCase {
            order_id: main.unwrap_or(new.order_id),
            ..new.clone()
        };
        let order = order_facts(&tx, new.order_id)?;
        let part_left = part.map(|m| part_paid_left(&tx, m)).transpose()?;
        if let Some((number, paid, left)) = &part_left
            && new.kind == CaseType::Refund
            && *left <= 0
        {
            return Err(StoreError::Invalid(format!(
                "order {number}: nothing to refund: {}",
                if *paid <= 0 {
                    "nothing was paid on it"
                } else {
                    "everything paid on it was refunded already"
                }
            )));
        }
        if let Some(why) = crate::domain::after_sales::open_refusal(new.kind, order.state) {
            return Err(StoreError::Invalid(format!(
                "order {}: cannot open a {} case: {why}",
                order.order_no,
                new.kind.code()
            )));
        }
        let reason_known: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM case_reasons WHERE code = ?1)")?
            .query_row([&new.reason], |row| row.get(0))?;
        if !reason_known {
            return Err(StoreError::Invalid(format!(
                "unknown reason {:?}",
                new.reason
            )));
        }
        if new.kind == CaseType::Refund && order.paid_cents - order.refunded() <= 0 {
            return Err(StoreError::Invalid(format!(
                "order {}: nothing to refund: {}",
                order.order_no,
                if order.paid_cents <= 0 {
                    "nothing was paid on it"
                } else {
                    "everything paid on it was refunded already"
                }
            )));
        }
        let lines = order_lines(&tx, new.order_id)?;
        let claimed = claimed_by_others(&tx, new.order_id, None)?;
        let earlier: HashMap<String, i64> = claimed
            .iter()
            .map(|(code, c)| (code.clone(), c.0))
            .collect();
        let mut chosen: Vec<(&OrderLine, i64)> = Vec::new();
        let mut problems = Vec::new();
        for (key, quantity) in &new.lines {
            match find_line(&tx, &lines, key)? {
                None => problems.push(format!("{key} is not on order {}", order.order_no)),
                Some(line) => {
                    if let Some(existing) = chosen.iter_mut().find(|(l, _)| l.0 == line.0) {
                        existing.1 += quantity;
                    } else {
                        chosen.push((line, *quantity));
                    }
                }
            }
        }
        if new.lines.is_empty() && new.kind.takes_goods_back() {
            // The whole order: every line, less what earlier cases took back.
            chosen = lines
                .iter()
                .map(|l| (l, l.3 - earlier.get(&l.0).copied().unwrap_or(0)))
                .filter(|(_, left)| *left > 0)
                .collect();
            if chosen.is_empty() {
                let mut holders: Vec<i64> =
                    claimed.values().flat_map(|c| c.1.iter().copied()).collect();
                holders.sort_unstable();
                holders.dedup();
                problems.push(format!(
                    "earlier cases took back every line of it ({})",
                    case_numbers(&holders)
                ));
            }
        }
        for (line, quantity) in &chosen {
            // Reshipments and complaints do not take anything back: only the order's
            // quantity bounds them.
            let before = if matches!(new.kind, CaseType::Reship | CaseType::Complaint) {
                0
            } else {
                earlier.get(&line.0).copied().unwrap_or(0)
            };
            if let Err(problem) = check_quantity(&line.0, *quantity, line.3, before) {
                match claimed.get(&line.0) {
                    Some((_, cases)) if before > 0 => {
                        problems.push(format!("{problem} ({})", case_numbers(cases)));
                    }
                    _ => problems.push(problem),
                }
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(format!(
                "order {}: {}",
                order.order_no,
                problems.join("; ")
            )));
        }
        let lines_value =
            (!chosen.is_empty()).then(|| chosen.iter().map(|(l, q)| l.4 * q).sum::<i64>());
        if let Some(asked) = new.requested_cents {
            let mut limit = refund_limit(order.paid(), lines_value);
            if let Some((_, _, left)) = &part_left {
                limit = limit.min(*left).max(0);
            }
            check_refund(asked, limit).map_err(|problem| {
                StoreError::Invalid(format!("order {}: {problem}", order.order_no))
            })?;
        }
        let responsibility = Responsibility::from_reason(&new.reason);
        let handover: Option<i64> = tx
            .prepare_cached("SELECT handover_id FROM handover_parcels WHERE order_id = ?1")?
            .query_row([new.order_id], |row| row.get(0))
            .optional()?;
        let packer: String = tx
            .prepare_cached(
                "SELECT operator FROM pack_attempts WHERE order_id = ?1
                   AND result IN ('passed', 'override') ORDER BY id DESC LIMIT 1",
            )?
            .query_row([new.order_id], |row| row.get(0))
            .optional()?
            .unwrap_or_default();
        let owner = if new.owner.trim().is_empty() {
            operator.trim()
        } else {
            new.owner.trim()
        };
        tx.prepare_cached(
            "INSERT INTO cases (order_id, kind, reason, owner, note, requested_cents,
                 responsibility, courier, tracking_no, packer, handover_id, return_tracking,
                 opened_at, due_at, updated_at, merged_order_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?13, ?15)",
        )?
        .execute(params![
            new.order_id,
            new.kind.code(),
            new.reason,
            owner,
            new.note.trim(),
            new.requested_cents.unwrap_or(0),
            responsibility.code(),
            order.courier,
            order.tracking_no,
            packer,
            handover,
            new.return_tracking.trim(),
            now,
            due_after(&now, CaseStatus::Open.days_due()),
            part,
        ])?;
        let id = tx.last_insert_rowid();
        for (line, quantity) in &chosen {
            insert_case_line(&tx, id, line, *quantity)?;
        }
        let number = case_number(id);
        let mut detail = format!("{} {} ({})", new.kind.code(), number, new.reason);
        if let Some((merged, ..)) = &part_left {
            detail.push_str(&format!(" for merged order {merged}"));
        }
        if let Some(asked) = new.requested_cents {
            detail.push_str(&format!(", asks {}", format_cents(asked)));
        }
        if !chosen.is_empty() {
            let items: Vec<String> = chosen.iter().map(|(l, q)| format!("{}×{q}", l.0)).collect();
            detail.push_str(&format!(": {}", items.join(", ")));
        }
        event(&tx, id, operator, &now, "open", &detail)?;
        if order.state != OrderState::Archived {
            log(
                &tx,
                new.order_id,
                operator,
                &now,
                LogKind::Case,
                &format!("opened {detail}"),
            )?;
        }
        flag_for_case(&tx, id, new.order_id, &order, new.kind, operator, &now)?;
        tx.commit()?;
        Ok(id)
    }

    /// The return is agreed: the case waits for the buyer's parcel (its tracking number
    /// when the buyer gave it).
    pub fn await_return(&mut self, id: i64, return_tracking: &str, operator: &str) -> Result<()> {
        let now = now_text();
        let tx = self.write()?;
        let facts = case_facts(&tx, id)?;
        step(&tx, id, &facts, CaseAction::AwaitReturn, &now)?;
        let tracking = return_tracking.trim();
        if !tracking.is_empty() {
            tx.execute(
                "UPDATE cases SET return_tracking = ?2 WHERE id = ?1",
                params![id, tracking],
            )?;
        }
        event(&tx, id, operator, &now, "await_return", tracking)?;
        tx.commit()?;
        Ok(())
    }

    /// The order (the main one, for an order merged into another) with this tracking or
    /// order number, the newest if several.
    pub fn order_by_number_or_tracking(&self, text: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT COALESCE(merged_into, id) FROM orders
                 WHERE tracking_no = ?1 OR order_no = ?1 ORDER BY id DESC LIMIT 1",
            )?
            .query_row([text.trim()], |row| row.get(0))
            .optional()?)
    }

    /// The id of the order with this number when it was merged into another: a case
    /// opened by its number concerns it (see [`Store::open_case`]).
    pub fn merged_order_by_number(&self, order_no: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM orders WHERE order_no = ?1 AND merged_into IS NOT NULL
                 ORDER BY id DESC LIMIT 1",
            )?
            .query_row([order_no.trim()], |row| row.get(0))
            .optional()?)
    }

    /// What a scanned return parcel (its tracking number, the order's tracking or order
    /// number, or a case number) names.
    pub fn match_parcel(&self, scanned: &str) -> Result<ParcelMatch> {
        let scanned = scanned.trim();
        if let Some(id) = crate::domain::after_sales::parse_case_number(scanned) {
            let exists: bool = self
                .conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM cases WHERE id = ?1)")?
                .query_row([id], |row| row.get(0))?;
            if exists {
                return Ok(ParcelMatch::Case(id));
            }
        }
        let waiting = "SELECT id FROM cases WHERE kind IN ('return', 'exchange')
             AND goods_received = 0 AND (status IN ('open', 'waiting_return', 'return_received')
                 OR (kind = 'exchange' AND status = 'exchanged')
                 OR (kind = 'return' AND status = 'refunded')
                 OR status = 'closed')";
        let by_return: Vec<i64> = self
            .conn
            .prepare_cached(&format!("{waiting} AND return_tracking = ?1 ORDER BY id"))?
            .query_map([scanned], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !by_return.is_empty() {
            return Ok(if by_return.len() == 1 {
                ParcelMatch::Case(by_return[0])
            } else {
                ParcelMatch::Several(by_return)
            });
        }
        // The return tracking number of a case that waits for nothing more (received
        // already, finished) is that case's parcel, not an unknown one: receiving on it
        // says why not.
        let known: Option<i64> = if scanned.is_empty() {
            None
        } else {
            self.conn
                .prepare_cached(
                    "SELECT id FROM cases WHERE return_tracking = ?1 ORDER BY id DESC LIMIT 1",
                )?
                .query_row([scanned], |row| row.get(0))
                .optional()?
        };
        if let Some(id) = known {
            return Ok(ParcelMatch::Case(id));
        }
        let Some(order_id) = self.order_by_number_or_tracking(scanned)? else {
            return Ok(ParcelMatch::Unknown);
        };
        let order_no: String = self.conn.query_row(
            "SELECT order_no FROM orders WHERE id = ?1",
            [order_id],
            |row| row.get(0),
        )?;
        let cases: Vec<i64> = self
            .conn
            .prepare_cached(&format!("{waiting} AND order_id = ?1 ORDER BY id"))?
            .query_map([order_id], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(match cases.len() {
            0 => ParcelMatch::OrderWithoutCase { order_id, order_no },
            1 => ParcelMatch::Case(cases[0]),
            _ => ParcelMatch::Several(cases),
        })
    }

    /// A return parcel arrived (退货到货): each line with its condition. Sellable goods
    /// go back on hand through the ledger (reason return, the case number as reference);
    /// damaged ones into the damaged-goods ledger. No lines given: everything still
    /// expected came back sellable. The goods may come in several parcels: the case counts
    /// them back once every line is; each parcel is recorded with the case.
    pub fn receive_return(
        &mut self,
        id: i64,
        received: &[CaseLineSpec],
        parcel_tracking: &str,
        operator: &str,
    ) -> Result<()> {
        let now = now_text();
        let settings = self.settings()?;
        let tx = self.write()?;
        let summary = receive_in(
            &tx,
            id,
            received,
            settings.allow_negative_stock,
            operator,
            &now,
        )?;
        let tracking = parcel_tracking.trim();
        tx.prepare_cached(
            "INSERT INTO return_parcels (tracking_no, case_id, contents, received_at, operator, matched_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?4)",
        )?
        .execute(params![tracking, id, summary, now, operator])?;
        tx.execute(
            "UPDATE cases SET
                 return_tracking = CASE WHEN return_tracking = '' THEN ?2 ELSE return_tracking END
             WHERE id = ?1",
            params![id, tracking],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Records a return parcel that matches no order (无单退货), for later matching.
    pub fn record_unknown_parcel(
        &mut self,
        tracking: &str,
        courier: &str,
        contents: &str,
        operator: &str,
    ) -> Result<i64> {
        let now = now_text();
        let tx = self.write()?;
        // The same parcel scanned again is the one recorded: named, not written twice.
        let earlier: Option<(i64, String)> = if tracking.trim().is_empty() {
            None
        } else {
            tx.prepare_cached(
                "SELECT id, received_at FROM return_parcels
                 WHERE tracking_no = ?1 AND case_id IS NULL ORDER BY id LIMIT 1",
            )?
            .query_row([tracking.trim()], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?
        };
        if let Some((id, at)) = earlier {
            return Err(StoreError::Invalid(format!(
                "return parcel {} was recorded already as unknown return parcel {id} ({at}): \
                 match it with `case assign {id} CASE`",
                tracking.trim()
            )));
        }
        tx.execute(
            "INSERT INTO return_parcels (tracking_no, courier, contents, received_at, operator)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                tracking.trim(),
                courier.trim(),
                contents.trim(),
                now,
                operator
            ],
        )?;
        let id = tx.last_insert_rowid();
        super::audit::record(
            &tx,
            operator,
            "case.parcel",
            tracking.trim(),
            "",
            &format!("unknown return parcel {id}: {}", contents.trim()),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Return parcels that matched no case yet, oldest first.
    pub fn unknown_parcels(&self) -> Result<Vec<UnknownParcel>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, tracking_no, courier, contents, received_at, operator FROM return_parcels
             WHERE case_id IS NULL ORDER BY received_at, id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(UnknownParcel {
                id: row.get(0)?,
                tracking_no: row.get(1)?,
                courier: row.get(2)?,
                contents: row.get(3)?,
                received_at: row.get(4)?,
                operator: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Matches an unknown parcel to a return or exchange case that waits for goods: what
    /// the parcel held is received on the case as from any return parcel (sellable back on
    /// hand, damaged kept apart), and its tracking number becomes the case's return
    /// tracking number when the case had none. What it held: `lines` when given, else its
    /// recorded contents read as `CODE=QTY[:sellable|damaged]` items separated by commas.
    pub fn assign_parcel(
        &mut self,
        parcel: i64,
        case: i64,
        lines: &[CaseLineSpec],
        operator: &str,
    ) -> Result<()> {
        let now = now_text();
        let settings = self.settings()?;
        let tx = self.write()?;
        let (tracking, contents): (String, String) = tx
            .query_row(
                "SELECT tracking_no, contents FROM return_parcels WHERE id = ?1 AND case_id IS NULL",
                [parcel],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no unmatched return parcel {parcel}")))?;
        let specs: Vec<CaseLineSpec> = if lines.is_empty() {
            contents
                .split([',', ';', '\n', '，', '；'])
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(crate::domain::after_sales::parse_case_line)
                .collect::<std::result::Result<_, _>>()
                .map_err(|problem| {
                    StoreError::Invalid(format!(
                        "return parcel {parcel}: its contents are not lines: {problem}; say what \
                         came back in it as CODE=QTY:sellable or CODE=QTY:damaged"
                    ))
                })?
        } else {
            lines.to_vec()
        };
        if specs.is_empty() {
            return Err(StoreError::Invalid(format!(
                "return parcel {parcel} has no contents written down: say what came back in it \
                 as CODE=QTY:sellable or CODE=QTY:damaged"
            )));
        }
        let summary = receive_in(
            &tx,
            case,
            &specs,
            settings.allow_negative_stock,
            operator,
            &now,
        )?;
        tx.execute(
            "UPDATE return_parcels SET case_id = ?2, matched_at = ?3, contents = ?4 WHERE id = ?1",
            params![parcel, case, now, summary],
        )?;
        tx.execute(
            "UPDATE cases SET
                 return_tracking = CASE WHEN return_tracking = '' THEN ?2 ELSE return_tracking END
             WHERE id = ?1",
            params![case, tracking.trim()],
        )?;
        event(
            &tx,
            case,
            operator,
            &now,
            "parcel",
            &format!("unknown parcel {parcel} {} matched", tracking.trim()),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Refunds an amount on a case: never more than what was paid for its lines plus
    /// postage, less what the order had refunded. The order's refunded amount, refund date
    /// and payment status follow, unless the order is archived: then the refund is kept
    /// beside it and counted whenever the order is read.
    pub fn refund_case(&mut self, id: i64, cents: i64, note: &str, operator: &str) -> Result<()> {
        let now = now_text();
        let settings = self.settings()?;
        let tx = self.write()?;
        refund_in(&tx, id, cents, note, "shop", operator, &now)?;
        cancel_if_refunded(&tx, id, &settings, operator, &now)?;
        tx.commit()?;
        Ok(())
    }

    /// Creates the exchange's replacement order: the chosen products (a new size or
    /// colour) at price 0, linked to the original, through review, printing and the pack
    /// station as any order. Returns its number.
    pub fn exchange_case(
        &mut self,
        id: i64,
        lines: &[ManualLine],
        operator: &str,
    ) -> Result<String> {
        self.send_again(id, lines, CaseAction::Exchange, operator)
    }

    /// Creates the reshipment order of a reshipment case. Returns its number.
    pub fn reship_case(&mut self, id: i64, lines: &[ManualLine], operator: &str) -> Result<String> {
        self.send_again(id, lines, CaseAction::Reship, operator)
    }

    fn send_again(
        &mut self,
        id: i64,
        lines: &[ManualLine],
        action: CaseAction,
        operator: &str,
    ) -> Result<String> {
        let now = now_text();
        let settings = self.settings()?;
        let tx = self.write()?;
        let facts = case_facts(&tx, id)?;
        // The order sent before, when it was cancelled: the buyer still waits for one.
        let previous = cancelled_replacement(&tx, id)?;
        let next = crate::domain::after_sales::send_again(facts.state, action, previous.is_some())
            .map_err(|refusal| refused(id, &refusal))?;
        store_state(&tx, id, next, &now)?;
        let number = case_number(id);
        let lines: Vec<ManualLine> = if lines.is_empty() {
            // The case's own lines go out again (or the whole order's).
            let case_lines: Vec<ManualLine> = tx
                .prepare_cached(
                    "SELECT code, quantity FROM case_lines WHERE case_id = ?1 ORDER BY rowid",
                )?
                .query_map([id], |row| {
                    Ok(ManualLine {
                        code: row.get(0)?,
                        quantity: row.get(1)?,
                        unit_price_cents: Some(0),
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            if case_lines.is_empty() {
                order_lines(&tx, facts.order_id)?
                    .into_iter()
                    .map(|l| ManualLine {
                        code: l.0,
                        quantity: l.3,
                        unit_price_cents: Some(0),
                    })
                    .collect()
            } else {
                case_lines
            }
        } else {
            lines.to_vec()
        };
        if !settings.allow_negative_stock {
            check_stock(&tx, &lines, &settings.sellable, &number)?;
        }
        let word = if action == CaseAction::Exchange {
            "换货"
        } else {
            "补发"
        };
        let (new_id, new_no) =
            reship_in(&tx, facts.order_id, &lines, word, &number, operator, &now)?;
        tx.execute(
            "UPDATE cases SET new_order_id = ?2 WHERE id = ?1",
            params![id, new_id],
        )?;
        let detail = match &previous {
            Some(cancelled) => format!("{new_no} (instead of {cancelled}, cancelled)"),
            None => new_no.clone(),
        };
        event(&tx, id, operator, &now, action.code(), &detail)?;
        tx.commit()?;
        Ok(new_no)
    }

    /// Closes a settled case. `clear_flag`: the flag the case put on the order comes off
    /// (see [`unflag`]: back to what another open case needs, or to the flag from before).
    /// Returns the order's new flag when it changed.
    pub fn close_case(
        &mut self,
        id: i64,
        clear_flag: bool,
        operator: &str,
    ) -> Result<Option<Flag>> {
        self.close_in(id, clear_flag, false, operator)
    }

    /// Closes an exchange whose replacement went out while its goods never came back: the
    /// owner waives them, and the log says so. A parcel that comes later is still received
    /// on the case. Any other case closes as [`Store::close_case`] does.
    pub fn close_case_without_goods(
        &mut self,
        id: i64,
        clear_flag: bool,
        operator: &str,
    ) -> Result<Option<Flag>> {
        self.close_in(id, clear_flag, true, operator)
    }

    fn close_in(
        &mut self,
        id: i64,
        clear_flag: bool,
        without_goods: bool,
        operator: &str,
    ) -> Result<Option<Flag>> {
        let now = now_text();
        let tx = self.write()?;
        let facts = case_facts(&tx, id)?;
        if !facts.state.status.is_final()
            && let Some(cancelled) = cancelled_replacement(&tx, id)?
        {
            return Err(StoreError::Invalid(format!(
                "{}: its replacement order {cancelled} was cancelled: send it again, or reject \
                 the case",
                case_number(id)
            )));
        }
        let detail = if without_goods {
            let next = crate::domain::after_sales::close_without_goods(facts.state)
                .map_err(|refusal| refused(id, &refusal))?;
            store_state(&tx, id, next, &now)?;
            if facts.state.kind.takes_goods_back() && !facts.state.goods_received {
                "without the goods: they did not come back"
            } else {
                ""
            }
        } else {
            step(&tx, id, &facts, CaseAction::Close, &now)?;
            ""
        };
        event(&tx, id, operator, &now, "close", detail)?;
        let flag = if clear_flag {
            unflag(&tx, id, &facts, operator, &now)?
        } else {
            None
        };
        tx.commit()?;
        Ok(flag)
    }

    /// Rejects a case with the reason said to the buyer. Its flag comes off the order as
    /// on closing, unless `clear_flag` is false.
    pub fn reject_case(
        &mut self,
        id: i64,
        reason: &str,
        clear_flag: bool,
        operator: &str,
    ) -> Result<Option<Flag>> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Invalid(
                "say why the case is rejected (the buyer withdrew, outside the return period…)"
                    .to_owned(),
            ));
        }
        let now = now_text();
        let tx = self.write()?;
        let facts = case_facts(&tx, id)?;
        // A case whose replacement was cancelled is rejected as one not settled.
        let cancelled = cancelled_replacement(&tx, id)?;
        let next = crate::domain::after_sales::reject(facts.state, cancelled.is_some())
            .map_err(|refusal| refused(id, &refusal))?;
        store_state(&tx, id, next, &now)?;
        tx.execute(
            "UPDATE cases SET reject_reason = ?2 WHERE id = ?1",
            params![id, reason],
        )?;
        event(&tx, id, operator, &now, "reject", reason)?;
        let flag = if clear_flag {
            unflag(&tx, id, &facts, operator, &now)?
        } else {
            None
        };
        tx.commit()?;
        Ok(flag)
    }

    /// Changes a case's owner, note, responsibility and courier evidence; each change is
    /// logged old → new. A finished case keeps its note open to additions only.
    pub fn update_case(&mut self, id: i64, edit: &CaseEdit, operator: &str) -> Result<bool> {
        let now = now_text();
        let tx = self.write()?;
        case_facts(&tx, id)?;
        let (owner, note, responsibility, signed, tracking): (String, String, String, bool, String) =
            tx.query_row(
                "SELECT owner, note, responsibility, courier_signed, return_tracking FROM cases WHERE id = ?1",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
            )?;
        let mut changes = Vec::new();
        if let Some(new) = edit.owner.as_deref().map(str::trim)
            && new != owner
        {
            changes.push(format!("owner {owner} → {new}"));
            tx.execute(
                "UPDATE cases SET owner = ?2 WHERE id = ?1",
                params![id, new],
            )?;
        }
        if let Some(new) = edit.note.as_deref().map(str::trim)
            && new != note
        {
            changes.push(format!("note {note} → {new}"));
            tx.execute("UPDATE cases SET note = ?2 WHERE id = ?1", params![id, new])?;
        }
        if let Some(new) = edit.responsibility
            && new.code() != responsibility
        {
            changes.push(format!("responsibility {responsibility} → {}", new.code()));
            tx.execute(
                "UPDATE cases SET responsibility = ?2 WHERE id = ?1",
                params![id, new.code()],
            )?;
        }
        if let Some(new) = edit.courier_signed
            && new != signed
        {
            changes.push(format!("courier signed {signed} → {new}"));
            tx.execute(
                "UPDATE cases SET courier_signed = ?2 WHERE id = ?1",
                params![id, new],
            )?;
        }
        if let Some(new) = edit.return_tracking.as_deref().map(str::trim)
            && new != tracking
        {
            changes.push(format!("return tracking {tracking} → {new}"));
            tx.execute(
                "UPDATE cases SET return_tracking = ?2 WHERE id = ?1",
                params![id, new],
            )?;
        }
        if changes.is_empty() {
            return Ok(false);
        }
        tx.execute(
            "UPDATE cases SET updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        event(&tx, id, operator, &now, "edit", &changes.join("; "))?;
        tx.commit()?;
        Ok(true)
    }

    /// One case with its lines, refunds, log and order.
    pub fn case_detail(&self, id: i64) -> Result<CaseDetail> {
        let row = self
            .conn
            .prepare_cached(&format!("{ROW_SELECT} WHERE c.id = ?1"))?
            .query_row([id], case_row)
            .optional()?
            .ok_or_else(|| {
                StoreError::NotFound(format!("no after-sales case {}", case_number(id)))
            })?;
        let order = order_facts(&self.conn, row.order_id)?;
        let mut detail = self.conn.query_row(
            "SELECT c.note, c.goods_received, c.requested_cents, c.responsibility, c.courier,
                    c.tracking_no, c.courier_signed, c.packer, c.handover_id, c.return_tracking,
                    (SELECT n.order_no FROM orders n WHERE n.id = c.new_order_id), c.flag_set,
                    c.platform_refund_no, c.reject_reason, c.received_at, c.refunded_at,
                    o.receiver_name || ' ' || o.receiver_phone || ' ' || o.province || o.city
                        || o.district || o.address,
                    (SELECT n.state = 'cancelled' FROM orders n WHERE n.id = c.new_order_id)
             FROM cases c JOIN orders o ON o.id = c.order_id WHERE c.id = ?1",
            [id],
            |r| {
                Ok(CaseDetail {
                    row: row.clone(),
                    note: r.get(0)?,
                    goods_received: r.get(1)?,
                    requested_cents: r.get(2)?,
                    responsibility: coded(r, 3, Responsibility::from_code)?,
                    courier: r.get(4)?,
                    tracking_no: r.get(5)?,
                    courier_signed: r.get(6)?,
                    packer: r.get(7)?,
                    handover_id: r.get(8)?,
                    return_tracking: r.get(9)?,
                    new_order_no: r.get(10)?,
                    replacement_cancelled: r.get::<_, Option<bool>>(17)?.unwrap_or(false),
                    flag_set: coded(r, 11, Flag::from_code)?,
                    platform_refund_no: r.get(12)?,
                    reject_reason: r.get(13)?,
                    received_at: r.get(14)?,
                    refunded_at: r.get(15)?,
                    order_state: order.state,
                    order_flag: order.flag,
                    receiver: r.get(16)?,
                    paid_cents: order.paid_cents,
                    order_refunded_cents: order.refunded(),
                    refund_limit_cents: 0,
                    lines: Vec::new(),
                    refunds: Vec::new(),
                    events: Vec::new(),
                })
            },
        )?;
        detail.lines = self
            .conn
            .prepare_cached(
                "SELECT code, title, quantity, unit_price_cents, sellable, damaged FROM case_lines
                 WHERE case_id = ?1 ORDER BY rowid",
            )?
            .query_map([id], |r| {
                Ok(CaseLine {
                    code: r.get(0)?,
                    title: r.get(1)?,
                    quantity: r.get(2)?,
                    unit_price_cents: r.get(3)?,
                    sellable: r.get(4)?,
                    damaged: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        detail.refunds = self
            .conn
            .prepare_cached(
                "SELECT cents, source, at, operator FROM case_refunds WHERE case_id = ?1 ORDER BY id",
            )?
            .query_map([id], |r| {
                Ok(CaseRefund {
                    cents: r.get(0)?,
                    source: r.get(1)?,
                    at: r.get(2)?,
                    operator: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        detail.events = self
            .conn
            .prepare_cached(
                "SELECT at, operator, action, detail FROM case_events WHERE case_id = ?1 ORDER BY id",
            )?
            .query_map([id], |r| {
                Ok(CaseEvent {
                    at: r.get(0)?,
                    operator: r.get(1)?,
                    action: r.get(2)?,
                    detail: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let lines_value = (!detail.lines.is_empty()).then(|| {
            detail
                .lines
                .iter()
                .map(|l| l.quantity * l.unit_price_cents)
                .sum::<i64>()
        });
        detail.refund_limit_cents = refund_limit(order.paid(), lines_value);
        Ok(detail)
    }

    /// A page of cases, newest first, and how many match in all.
    pub fn cases(&self, filter: &CaseFilter, now: &str) -> Result<CasePage> {
        // Conditions with `?` placeholders, numbered in order when the query is built.
        let mut conditions: Vec<&str> = Vec::new();
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(kind) = filter.kind {
            conditions.push("c.kind = ?");
            values.push(kind.code().to_owned().into());
        }
        if let Some(status) = filter.status {
            conditions.push("c.status = ?");
            values.push(status.code().to_owned().into());
        }
        if let Some(reason) = &filter.reason {
            conditions.push("c.reason = ?");
            values.push(reason.clone().into());
        }
        if let Some(owner) = &filter.owner {
            conditions.push("c.owner = ?");
            values.push(owner.clone().into());
        }
        if let Some(from) = &filter.from {
            conditions.push("c.opened_at >= ?");
            values.push(from.clone().into());
        }
        if let Some(to) = &filter.to {
            conditions.push("c.opened_at < ?");
            values.push(format!("{to}\u{ff}").into());
        }
        if filter.overdue {
            conditions.push("c.due_at < ? AND c.status NOT IN ('closed', 'rejected')");
            values.push(now.to_owned().into());
        } else if filter.unfinished {
            conditions.push("c.status NOT IN ('closed', 'rejected')");
        }
        let text = filter.text.trim();
        let by_text;
        if !text.is_empty() {
            // A case number, the buyer's return tracking number, or anything the order
            // search finds (order, merged order and tracking numbers, buyer, receiver,
            // phone) through its full-text index.
            let case_id = crate::domain::after_sales::parse_case_number(text).unwrap_or(0);
            values.push(case_id.into());
            values.push(text.to_owned().into());
            by_text = match crate::domain::search::match_query(text) {
                Some(fts) => {
                    values.push(fts.into());
                    "(c.id = ? OR c.return_tracking = ? OR c.order_id IN
                        (SELECT COALESCE(m.merged_into, m.id) FROM
                            (SELECT rowid AS id FROM order_search WHERE order_search MATCH ?
                             ORDER BY rowid DESC LIMIT 1000) s
                         JOIN orders m ON m.id = s.id))"
                }
                None => "(c.id = ? OR c.return_tracking = ?)",
            };
            conditions.push(by_text);
        }
        let numbered = |conditions: &[&str]| -> String {
            if conditions.is_empty() {
                return String::new();
            }
            let mut sql = String::from(" WHERE ");
            let mut n = 0;
            for ch in conditions.join(" AND ").chars() {
                if ch == '?' {
                    n += 1;
                    sql.push_str(&format!("?{n}"));
                } else {
                    sql.push(ch);
                }
            }
            sql
        };
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM cases c{}", numbered(&conditions)),
            rusqlite::params_from_iter(values.iter()),
            |row| row.get(0),
        )?;
        if let Some(before) = filter.before_id {
            conditions.push("c.id < ?");
            values.push(before.into());
        }
        let where_page = numbered(&conditions);
        let limit = if filter.limit == 0 { 200 } else { filter.limit };
        let sql = format!("{ROW_SELECT}{where_page} ORDER BY c.id DESC LIMIT {limit}");
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(rusqlite::params_from_iter(values.iter()), case_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(CasePage { rows, total })
    }

    /// The case ids of each order asked for (orders without a case are left out).
    pub fn case_ids_by_order(&self, orders: &[i64]) -> Result<HashMap<i64, Vec<i64>>> {
        let mut by_order: HashMap<i64, Vec<i64>> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM cases WHERE order_id = ?1 ORDER BY id")?;
        for order in orders {
            let ids: Vec<i64> = stmt
                .query_map([order], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if !ids.is_empty() {
                by_order.insert(*order, ids);
            }
        }
        Ok(by_order)
    }

    /// Refunds kept beside archived orders, by order (added to the refunded amount the
    /// order shows).
    pub fn refunds_beside(&self, orders: &[i64]) -> Result<HashMap<i64, i64>> {
        let mut by_order = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT COALESCE(SUM(cents), 0) FROM case_refunds WHERE order_id = ?1 AND on_order = 0",
        )?;
        for order in orders {
            let cents: i64 = stmt.query_row([order], |row| row.get(0))?;
            if cents != 0 {
                by_order.insert(*order, cents);
            }
        }
        Ok(by_order)
    }

    /// The day's figures: `today` is `YYYY-MM-DD`, `now` the current time as stored.
    pub fn case_figures(&self, today: &str, now: &str) -> Result<CaseFigures> {
        let next_day = format!("{today}\u{ff}");
        let count = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> Result<i64> {
            Ok(self
                .conn
                .prepare_cached(sql)?
                .query_row(args, |row| row.get(0))?)
        };
        let opened_today = count(
            "SELECT count(*) FROM cases WHERE opened_at >= ?1 AND opened_at < ?2",
            &[&today, &next_day],
        )?;
        let closed_today = count(
            "SELECT count(*) FROM cases WHERE closed_at >= ?1 AND closed_at < ?2",
            &[&today, &next_day],
        )?;
        let waiting_return = count(
            "SELECT count(*) FROM cases WHERE status = 'waiting_return'",
            &[],
        )?;
        let overdue = count(
            "SELECT count(*) FROM cases WHERE due_at < ?1 AND status NOT IN ('closed', 'rejected')",
            &[&now],
        )?;
        let refunds_today_cents = count(
            "SELECT COALESCE(SUM(cents), 0) FROM case_refunds WHERE at >= ?1 AND at < ?2",
            &[&today, &next_day],
        )?;
        let month_ago = chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d")
            .map(|d| {
                (d - chrono::Duration::days(30))
                    .format("%Y-%m-%d")
                    .to_string()
            })
            .unwrap_or_default();
        let average_hours: Option<f64> = self
            .conn
            .prepare_cached(
                "SELECT AVG(handling_minutes) / 60.0 FROM cases
                 WHERE closed_at >= ?1 AND closed_at < ?2",
            )?
            .query_row(params![month_ago, next_day], |row| row.get(0))?;
        let month = today.get(..7).unwrap_or(today).to_owned();
        let returns_by_reason: Vec<(String, i64)> = self
            .conn
            .prepare_cached(
                "SELECT reason, count(*) FROM cases
                 WHERE kind IN ('return', 'exchange') AND opened_at >= ?1 AND opened_at < ?2
                 GROUP BY reason ORDER BY count(*) DESC, reason",
            )?
            .query_map(params![month, format!("{month}\u{ff}")], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let unknown_parcels = count(
            "SELECT count(*) FROM return_parcels WHERE case_id IS NULL",
            &[],
        )?;
        let unpaid_to_follow = count(
            &format!("SELECT count(*) FROM orders o WHERE {UNPAID}"),
            &[],
        )?;
        let followed_up_today = count(
            "SELECT count(*) FROM order_events WHERE event = 'follow_up' AND at >= ?1 AND at < ?2",
            &[&today, &next_day],
        )?;
        let problem_orders = count(
            &format!("SELECT count(*) FROM orders o WHERE {PROBLEM}"),
            &[],
        )?;
        Ok(CaseFigures {
            opened_today,
            closed_today,
            waiting_return,
            overdue,
            refunds_today_cents,
            average_hours,
            returns_by_reason,
            unknown_parcels,
            unpaid_to_follow,
            followed_up_today,
            problem_orders,
        })
    }

    /// Orders waiting for payment (manual orders, bank transfers): the service staff
    /// follow each up (未付款订单跟进). Oldest first.
    pub fn unpaid_queue(&self, limit: u32) -> Result<Vec<QueueRow>> {
        self.queue(UNPAID, "o.ordered_at, o.id", limit)
    }

    /// Problem orders (不合格订单): held, or red-flagged, and not finished. Oldest first.
    pub fn problem_queue(&self, limit: u32) -> Result<Vec<QueueRow>> {
        self.queue(PROBLEM, "o.ordered_at, o.id", limit)
    }

    fn queue(&self, condition: &str, order: &str, limit: u32) -> Result<Vec<QueueRow>> {
        let sql = format!(
            "SELECT o.id, o.order_no, o.platform,
                    CASE WHEN o.buyer_id <> '' THEN o.buyer_id ELSE o.receiver_name END,
                    o.goods_cents + o.postage_cents - o.discount_cents, o.ordered_at, o.state,
                    o.flag, o.on_hold, o.seller_remark,
                    (SELECT max(e.at) FROM order_events e
                     WHERE e.order_id = o.id AND e.event = 'follow_up')
             FROM orders o WHERE {condition} ORDER BY {order} LIMIT {limit}"
        );
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map([], |row| {
                Ok(QueueRow {
                    order_id: row.get(0)?,
                    order_no: row.get(1)?,
                    platform: row.get(2)?,
                    buyer: row.get(3)?,
                    total_cents: row.get(4)?,
                    ordered_at: row.get(5)?,
                    state: coded(row, 6, OrderState::from_code)?,
                    flag: coded(row, 7, Flag::from_code)?,
                    on_hold: row.get(8)?,
                    remark: row.get(9)?,
                    last_follow_up: row.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Records that an unpaid order was followed up (a call, a message), with what was said.
    pub fn follow_up(&mut self, order_id: i64, note: &str, operator: &str) -> Result<()> {
        let now = now_text();
        let tx = self.write()?;
        let order = order_facts(&tx, order_id)?;
        if order.payment != PaymentStatus::Unpaid {
            return Err(StoreError::Invalid(format!(
                "order {} is already paid: nothing to follow up",
                order.order_no
            )));
        }
        if order.state == OrderState::Archived {
            return Err(StoreError::Invalid(format!(
                "order {} is archived and cannot change",
                order.order_no
            )));
        }
        log(
            &tx,
            order_id,
            operator,
            &now,
            LogKind::FollowUp,
            note.trim(),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Damaged goods kept apart, by product.
    pub fn damaged_stock(&self) -> Result<Vec<DamagedRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT code, name, damaged FROM products WHERE damaged <> 0 ORDER BY code",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(DamagedRow {
                code: row.get(0)?,
                name: row.get(1)?,
                damaged: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Decides about damaged goods: repaired ones go back on hand (a return movement in
    /// the ledger), written-off ones and those sent back to the supplier leave.
    pub fn decide_damaged(
        &mut self,
        code: &str,
        quantity: i64,
        decision: DamagedDecision,
        note: &str,
        operator: &str,
    ) -> Result<()> {
        if quantity <= 0 {
            return Err(StoreError::Invalid(
                "the quantity must be a whole number above 0".to_owned(),
            ));
        }
        let now = now_text();
        let settings = self.settings()?;
        let tx = self.write()?;
        let (product, damaged): (i64, i64) = tx
            .prepare_cached(
                "SELECT p.id, p.damaged FROM products p WHERE p.code = ?1
                 UNION ALL SELECT p.id, p.damaged FROM product_barcodes b
                 JOIN products p ON p.id = b.product_id WHERE b.barcode = ?1 LIMIT 1",
            )?
            .query_row([code.trim()], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no product {code}")))?;
        if quantity > damaged {
            return Err(StoreError::Invalid(format!(
                "{code}: only {damaged} damaged kept apart, cannot take {quantity}"
            )));
        }
        // The decision takes the goods of the oldest cases first: each part references
        // its case (in both ledgers, for a repair); what no case brought, none.
        let by_case: Vec<(String, i64)> = tx
            .prepare_cached(
                "SELECT reference, SUM(quantity) FROM damaged_movements
                 WHERE product_id = ?1 AND reference <> ''
                 GROUP BY reference HAVING SUM(quantity) > 0 ORDER BY MIN(id)",
            )?
            .query_map([product], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut left = quantity;
        let mut parts: Vec<(String, i64)> = Vec::new();
        for (reference, balance) in by_case {
            if left == 0 {
                break;
            }
            let take = balance.min(left);
            parts.push((reference, take));
            left -= take;
        }
        if left > 0 {
            parts.push((String::new(), left));
        }
        for (reference, part) in &parts {
            tx.prepare_cached(
                "INSERT INTO damaged_movements (product_id, quantity, reason, reference, note,
                     operator, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                product,
                -part,
                decision.code(),
                reference,
                note.trim(),
                operator,
                now
            ])?;
            if decision == DamagedDecision::Repair {
                let reference = if reference.is_empty() {
                    "repaired"
                } else {
                    reference.as_str()
                };
                let note = if note.trim().is_empty() {
                    "repaired".to_owned()
                } else {
                    format!("repaired: {}", note.trim())
                };
                post_movement_noted(
                    &tx,
                    product,
                    *part,
                    (MovementReason::Return, reference, &note),
                    operator,
                    settings.allow_negative_stock,
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Creates or updates cases from a marketplace's refund export, in one transaction:
    /// a refund number seen before updates its case, a new one opens a case on its order (a
    /// return when the goods come back). A row's amount is what its refund stands at: a
    /// successful refund brings the case's refunds to it (the difference refunded, or
    /// corrected, never below what earlier rows refunded: money refunded in ShopDesk stays);
    /// a closed one (退款关闭) moves no money, and after a success changes nothing but a
    /// line in the case's log; the status follows.
    /// A refund above what may still be refunded (the bound of [`Store::refund_case`]), or
    /// one of an order not in the database, is refused with its line: then nothing is
    /// written, unless `skip_refused`, which leaves those rows out. A refund typed into
    /// ShopDesk before (a case of the order and kind without a marketplace number, of the
    /// same amount, or the only one with no money refunded yet) is taken as the row's
    /// refund, unless the row is closed or refused. A case only moves forward
    /// (see [`reported_status`]). Re-importing the same file changes nothing.
    pub fn import_refunds(
        &mut self,
        refunds: &[ImportedRefund],
        skip_refused: bool,
        operator: &str,
    ) -> Result<RefundImport> {
        self.import_refunds_in(refunds, skip_refused, true, operator)
    }

    /// What [`Store::import_refunds`] would refuse of these refunds (unknown orders,
    /// refunds above what may still be refunded), writing nothing: for a file whose other
    /// rows are bad, so that every bad row is said in one run.
    pub fn check_refunds(
        &mut self,
        refunds: &[ImportedRefund],
        operator: &str,
    ) -> Result<RefundImport> {
        self.import_refunds_in(refunds, true, false, operator)
            .map(|outcome| RefundImport {
                refused: outcome.refused,
                unknown_orders: outcome.unknown_orders,
                ..RefundImport::default()
            })
    }

    fn import_refunds_in(
        &mut self,
        refunds: &[ImportedRefund],
        skip_refused: bool,
        commit: bool,
        operator: &str,
    ) -> Result<RefundImport> {
        let now = now_text();
        let settings = self.settings()?;
        let tx = self.write()?;
        let mut outcome = RefundImport::default();
        for refund in refunds {
            // An order merged into another: the case sits on the main order and names it.
            let order: Option<(i64, Option<i64>)> = tx
                .prepare_cached(
                    "SELECT COALESCE(merged_into, id),
                         CASE WHEN merged_into IS NOT NULL THEN id END
                     FROM orders WHERE order_no = ?1
                     ORDER BY id DESC LIMIT 1",
                )?
                .query_row([&refund.order_no], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            let Some((order_id, part)) = order else {
                outcome
                    .unknown_orders
                    .push((refund.line, refund.order_no.clone()));
                continue;
            };
            let kind = if refund.goods_back {
                CaseType::Return
            } else {
                CaseType::Refund
            };
            let mut existing: Option<(i64, i64, String, i64)> = tx
                .prepare_cached(
                    "SELECT id, refund_cents, status, requested_cents FROM cases
                     WHERE platform_refund_no = ?1",
                )?
                .query_row([&refund.refund_no], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })
                .optional()?;
            // A refund typed into ShopDesk before the marketplace's report came is that
            // refund: the same order and kind, no marketplace number yet, and the same
            // amount (or the only such case with no money refunded yet). A refund closed
            // on the marketplace is never taken as one opened in ShopDesk.
            let mut taken_as = None;
            if existing.is_none() && refund.status != CaseStatus::Rejected {
                let candidates: Vec<(i64, i64, String, i64)> = tx
                    .prepare_cached(
                        "SELECT id, refund_cents, status, requested_cents FROM cases
                         WHERE order_id = ?1 AND kind = ?2 AND platform_refund_no IS NULL
                             AND status <> 'rejected'
                         ORDER BY id",
                    )?
                    .query_map(params![order_id, kind.code()], |row| {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                let same = candidates.iter().find(|c| {
                    c.1 == refund.amount_cents || (c.1 == 0 && c.3 == refund.amount_cents)
                });
                let found = match same {
                    Some(case) => Some(case.clone()),
                    // Money refunded in ShopDesk is matched by its amount only.
                    None if candidates.len() == 1 && candidates[0].1 == 0 => {
                        candidates.first().cloned()
                    }
                    None => None,
                };
                if let Some(case) = found {
                    taken_as = Some(case.0);
                    existing = Some(case);
                }
            }
            let current = existing.as_ref().map_or(0, |e| e.1);
            // What earlier rows of the report refunded on the case: the only money a row
            // may correct. What a person refunded in ShopDesk stays refunded.
            let imported_cents: i64 = match &existing {
                Some((id, ..)) => tx
                    .prepare_cached(
                        "SELECT COALESCE(SUM(cents), 0) FROM case_refunds
                         WHERE case_id = ?1 AND source LIKE 'platform refund %'",
                    )?
                    .query_row([id], |row| row.get(0))?,
                None => 0,
            };
            // A refund closed after it succeeded (or after money was refunded on its case)
            // changes nothing: the money has left the shop, as an older export would say.
            let closed_after_refund = refund.status == CaseStatus::Rejected
                && existing.as_ref().is_some_and(|(_, cents, status, _)| {
                    *cents != 0
                        || matches!(
                            CaseStatus::from_code(status),
                            Some(
                                CaseStatus::Refunded
                                    | CaseStatus::Exchanged
                                    | CaseStatus::Reshipped
                                    | CaseStatus::Closed
                            )
                        )
                });
            let difference = match refund.status {
                CaseStatus::Refunded => (refund.amount_cents - current).max(-imported_cents),
                // Closed, refused or still in progress: no money moves.
                _ => 0,
            };
            if difference > 0 {
                let limit = match &existing {
                    Some((id, ..)) => case_refund_limit(&tx, *id, &case_facts(&tx, *id)?)?,
                    None => {
                        // A new return takes what is left of the order: its refund is
                        // bounded by those lines.
                        let value = (kind == CaseType::Return)
                            .then(|| lines_left(&tx, order_id, None))
                            .transpose()?
                            .map(|(left, _)| left.iter().map(|(l, q)| l.4 * q).sum::<i64>())
                            .filter(|value| *value > 0);
                        let limit = refund_limit(order_facts(&tx, order_id)?.paid(), value);
                        match part {
                            Some(part) => limit.min(part_paid_left(&tx, part)?.2).max(0),
                            None => limit,
                        }
                    }
                };
                if difference > limit {
                    outcome.refused.push((
                        refund.line,
                        format!(
                            "refund {} of {} on order {} is more than was paid: at most {} \
                             (what was paid, postage included, less the order's other refunds)",
                            refund.refund_no,
                            format_cents(refund.amount_cents),
                            refund.order_no,
                            format_cents(current + limit)
                        ),
                    ));
                    continue;
                }
            }
            let source = format!("platform refund {}", refund.refund_no);
            let (id, status, requested) = match existing {
                Some((id, _, status, requested)) => {
                    if taken_as == Some(id) {
                        tx.execute(
                            "UPDATE cases SET platform_refund_no = ?2, updated_at = ?3,
                                 return_tracking = CASE WHEN return_tracking = '' THEN ?4
                                     ELSE return_tracking END
                             WHERE id = ?1",
                            params![id, refund.refund_no, now, refund.return_tracking],
                        )?;
                        event(
                            &tx,
                            id,
                            operator,
                            &now,
                            "import",
                            &format!("taken as {source}"),
                        )?;
                        outcome.updated.push(id);
                    }
                    (id, status, requested)
                }
                None => {
                    let reason: Option<String> = tx
                        .prepare_cached("SELECT code FROM case_reasons WHERE code = ?1")?
                        .query_row([&refund.reason], |row| row.get(0))
                        .optional()?;
                    tx.prepare_cached(
                        "INSERT INTO cases (order_id, kind, reason, owner, note, requested_cents,
                             platform_refund_no, return_tracking, opened_at, due_at, updated_at,
                             merged_order_id)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    )?
                    .execute(params![
                        order_id,
                        kind.code(),
                        reason.unwrap_or_else(|| "other".to_owned()),
                        operator,
                        refund.note,
                        refund.amount_cents,
                        refund.refund_no,
                        refund.return_tracking,
                        refund.applied_at,
                        due_after(&now, CaseStatus::Open.days_due()),
                        now,
                        part,
                    ])?;
                    let id = tx.last_insert_rowid();
                    let mut detail = source.clone();
                    if kind == CaseType::Return {
                        // The goods that come back: what no earlier case took back, as
                        // for a return opened without lines.
                        let (left, _) = lines_left(&tx, order_id, Some(id))?;
                        let items: Vec<String> =
                            left.iter().map(|(l, q)| format!("{}×{q}", l.0)).collect();
                        for (line, quantity) in &left {
                            insert_case_line(&tx, id, line, *quantity)?;
                        }
                        if !items.is_empty() {
                            detail.push_str(&format!(": {}", items.join(", ")));
                        }
                    }
                    event(&tx, id, operator, &now, "import", &detail)?;
                    let order = order_facts(&tx, order_id)?;
                    flag_for_case(&tx, id, order_id, &order, kind, operator, &now)?;
                    outcome.created.push(id);
                    (id, CaseStatus::Open.code().to_owned(), refund.amount_cents)
                }
            };
            let mut changed = false;
            if difference != 0 {
                record_refund(&tx, id, order_id, difference, &source, operator, &now)?;
                cancel_if_refunded(&tx, id, &settings, operator, &now)?;
                changed = true;
            }
            if refund.amount_cents != requested && !closed_after_refund {
                tx.execute(
                    "UPDATE cases SET requested_cents = ?2, updated_at = ?3 WHERE id = ?1",
                    params![id, refund.amount_cents, now],
                )?;
                event(
                    &tx,
                    id,
                    operator,
                    &now,
                    "import",
                    &format!(
                        "{source}: asks {} → {}",
                        format_cents(requested),
                        format_cents(refund.amount_cents)
                    ),
                )?;
                changed = true;
            }
            if closed_after_refund {
                let note = format!(
                    "{source}: closed on the marketplace after it was refunded; \
                     nothing changed"
                );
                let said: bool = tx
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM case_events
                         WHERE case_id = ?1 AND action = 'import' AND detail = ?2)",
                    )?
                    .query_row(params![id, note], |row| row.get(0))?;
                if !said {
                    event(&tx, id, operator, &now, "import", &note)?;
                    changed = true;
                }
            }
            let moved = CaseStatus::from_code(&status)
                .filter(|_| !closed_after_refund)
                .and_then(|current| reported_status(current, refund.status));
            if let Some(next) = moved {
                let closed = next.is_final();
                let facts = case_facts(&tx, id)?;
                tx.execute(
                    "UPDATE cases SET status = ?2, updated_at = ?3, due_at = ?4,
                         closed_at = CASE WHEN ?5 THEN ?3 ELSE closed_at END,
                         handling_minutes = CASE WHEN ?5
                             THEN CAST((julianday(?3) - julianday(opened_at)) * 1440 AS INTEGER)
                             ELSE handling_minutes END
                     WHERE id = ?1",
                    params![
                        id,
                        next.code(),
                        now,
                        due_after(&now, next.days_due()),
                        closed
                    ],
                )?;
                event(
                    &tx,
                    id,
                    operator,
                    &now,
                    "import",
                    &format!("{source}: {status} → {}", next.code()),
                )?;
                if closed && !facts.state.status.is_final() {
                    unflag(&tx, id, &facts, operator, &now)?;
                }
                changed = true;
            }
            if changed && !outcome.created.contains(&id) && !outcome.updated.contains(&id) {
                outcome.updated.push(id);
            } else if !changed && !outcome.created.contains(&id) && !outcome.updated.contains(&id) {
                outcome.unchanged += 1;
            }
        }
        if (!outcome.refused.is_empty() || !outcome.unknown_orders.is_empty()) && !skip_refused {
            // Dropping the transaction rolls every row back.
            return Ok(RefundImport {
                refused: outcome.refused,
                unknown_orders: outcome.unknown_orders,
                ..RefundImport::default()
            });
        }
        if !commit {
            // Dropping the transaction rolls every row back.
            return Ok(outcome);
        }
        tx.commit()?;
        outcome.written = true;
        Ok(outcome)
    }
}

/// What [`Store::update_case`] may change; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseEdit {
    pub owner: Option<String>,
    pub note: Option<String>,
    pub responsibility: Option<Responsibility>,
    pub courier_signed: Option<bool>,
    pub return_tracking: Option<String>,
}

/// Unpaid orders to follow up: approved or pending, not paid, not cash on delivery. The
/// terms are those of the sparse index `orders_unpaid` (migration 11), which the planner
/// uses only when the query repeats them.
const UNPAID: &str = "o.payment_status = 'unpaid' AND o.cash_on_delivery = 0
    AND o.state IN ('pending_review', 'approved') AND o.merged_into IS NULL";

/// Problem orders: held or red-flagged, not finished; the terms of `orders_problem`.
const PROBLEM: &str = "(o.on_hold = 1 OR o.flag = 'red')
    AND o.state NOT IN ('archived', 'cancelled') AND o.merged_into IS NULL";

/// The refund step inside a transaction: the state machine, the limit, the records.
fn refund_in(
    tx: &Transaction<'_>,
    id: i64,
    cents: i64,
    note: &str,
    source: &str,
    operator: &str,
    now: &str,
) -> Result<()> {
    let facts = case_facts(tx, id)?;
    let limit = case_refund_limit(tx, id, &facts)?;
    if let Some(part) = merged_part(tx, id)? {
        let (number, paid, _) = part_paid_left(tx, part)?;
        if paid <= 0 {
            return Err(StoreError::Invalid(format!(
                "order {number}: nothing to refund: {}",
                "nothing was paid on it"
            )));
        }
    }
    check_refund(cents, limit)
        .map_err(|problem| StoreError::Invalid(format!("{}: {problem}", case_number(id))))?;
    step(tx, id, &facts, CaseAction::Refund, now)?;
    record_refund(tx, id, facts.order_id, cents, source, operator, now)?;
    event(
        tx,
        id,
        operator,
        now,
        "refund",
        &format!(
            "{}{}",
            format_cents(cents),
            if note.trim().is_empty() {
                String::new()
            } else {
                format!(": {}", note.trim())
            }
        ),
    )?;
    Ok(())
}

/// The most a case may still refund: what was paid for its lines (their share of the goods
/// after discounts) plus postage, less the case's own refunds, and never more than is left
/// unrefunded on the order; a case without lines: what is left on the order.
fn case_refund_limit(tx: &Transaction<'_>, id: i64, facts: &CaseFacts) -> Result<i64> {
    let limit = order_refund_limit(tx, id, facts)?;
    Ok(match merged_part(tx, id)? {
        Some(part) => limit.min(part_paid_left(tx, part)?.2).max(0),
        None => limit,
    })
}

/// The merged order a case concerns, when it was opened by such an order's number.
fn merged_part(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT merged_order_id FROM cases WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()?
        .flatten())
}

/// A merged order's number, what it paid itself (kept on its own row when it was merged),
/// and what is left of it after the refunds of the cases opened for it.
fn part_paid_left(conn: &Connection, order_id: i64) -> Result<(String, i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT o.order_no, o.paid_cents, o.paid_cents - (SELECT COALESCE(SUM(c.refund_cents), 0)
                 FROM cases c WHERE c.merged_order_id = o.id)
             FROM orders o WHERE o.id = ?1",
        )?
        .query_row([order_id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?)
}

fn order_refund_limit(tx: &Transaction<'_>, id: i64, facts: &CaseFacts) -> Result<i64> {
    let order = order_facts(tx, facts.order_id)?;
    let lines_value: Option<i64> = tx
        .prepare_cached(
            "SELECT CASE WHEN count(*) = 0 THEN NULL ELSE SUM(quantity * unit_price_cents) END
             FROM case_lines WHERE case_id = ?1",
        )?
        .query_row([id], |row| row.get(0))?;
    let paid = order.paid();
    Ok(match lines_value {
        Some(value) => {
            // The case's own earlier refunds count against its lines as well as the order.
            let for_lines = refund_limit(
                Paid {
                    refunded_cents: 0,
                    ..paid
                },
                Some(value),
            ) - facts.refund_cents;
            for_lines.min(paid.paid_cents - paid.refunded_cents).max(0)
        }
        None => refund_limit(paid, None),
    })
}

/// Writes a refund (or a correction) on the case and, when the order may change, on the
/// order's refunded amount, refund date and payment status.
fn record_refund(
    tx: &Transaction<'_>,
    id: i64,
    order_id: i64,
    cents: i64,
    source: &str,
    operator: &str,
    now: &str,
) -> Result<()> {
    let order = order_facts(tx, order_id)?;
    let on_order = order.state != OrderState::Archived;
    tx.prepare_cached(
        "INSERT INTO case_refunds (case_id, order_id, cents, on_order, source, at, operator)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id, order_id, cents, on_order, source, now, operator
    ])?;
    tx.prepare_cached(
        "UPDATE cases SET refund_cents = refund_cents + ?2, refunded_at = ?3, updated_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![id, cents, now])?;
    if on_order {
        let refunded = (order.row_refunded_cents + cents).max(0);
        let payment = payment_after_refunds(order.payment, order.paid_cents, refunded);
        tx.prepare_cached(
            "UPDATE orders SET refunded_cents = ?2, payment_status = ?3, refunded_at = ?4,
                 updated_at = ?4 WHERE id = ?1",
        )?
        .execute(params![order_id, refunded, payment.code(), now])?;
        log(
            tx,
            order_id,
            operator,
            now,
            LogKind::Case,
            &format!("{} refunded {}", case_number(id), format_cents(cents)),
        )?;
    }
    Ok(())
}

/// An order refunded in full before it shipped is not sent: the trade is closed (交易关闭),
/// so the order is cancelled and its reserved stock released, with a line in the case's log.
fn cancel_if_refunded(
    tx: &Transaction<'_>,
    id: i64,
    settings: &super::Settings,
    operator: &str,
    now: &str,
) -> Result<()> {
    let facts = case_facts(tx, id)?;
    let order = order_facts(tx, facts.order_id)?;
    let unsent = matches!(
        order.state,
        OrderState::PendingReview | OrderState::Approved | OrderState::Printed
    );
    if !unsent || order.payment != PaymentStatus::Refunded {
        return Ok(());
    }
    Store::apply_event_in(
        tx,
        facts.order_id,
        crate::domain::Event::Cancel,
        settings,
        operator,
        now,
    )?;
    event(
        tx,
        id,
        operator,
        now,
        "cancel",
        &format!(
            "order {} cancelled: refunded in full before it shipped",
            order.order_no
        ),
    )?;
    Ok(())
}

/// Refuses goods sent out again (a replacement, a reshipment) beyond the sellable stock of
/// each single item they need, as a manual order's review does when negative stock is not
/// allowed. Codes that name no product are left to the order's own check.
fn check_stock(
    tx: &Transaction<'_>,
    lines: &[ManualLine],
    sellable: &crate::domain::stock::SellableSettings,
    number: &str,
) -> Result<()> {
    let mut asked = Vec::new();
    for line in lines {
        let product: Option<i64> = tx
            .prepare_cached(
                "SELECT id FROM products WHERE code = ?1
                 UNION ALL SELECT product_id FROM product_barcodes WHERE barcode = ?1 LIMIT 1",
            )?
            .query_row([line.code.trim()], |row| row.get(0))
            .optional()?;
        if let Some(product) = product {
            asked.push((product, line.quantity));
        }
    }
    let needs = explode_lines(tx, &asked)?;
    if needs.is_empty() {
        return Ok(());
    }
    let figures = single_figures(tx, sellable)?;
    let mut short = Vec::new();
    for (product, needed) in needs {
        let available = figures.get(&product).map_or(0, |f| f.sellable());
        if needed > available {
            let code: String = tx.query_row(
                "SELECT code FROM products WHERE id = ?1",
                [product],
                |row| row.get(0),
            )?;
            short.push(format!("{code} needs {needed}, {available} sellable"));
        }
    }
    if short.is_empty() {
        return Ok(());
    }
    Err(StoreError::Invalid(format!(
        "{number}: not enough stock to send: {}; negative stock is not allowed (Settings can \
         allow it)",
        short.join("; ")
    )))
}

/// The receipt of returned goods inside a transaction: the state machine, each line's
/// quantity against what the case still expects, the ledgers, the case's lines, its
/// received date and log. Returns what came, as written in the log (`CUP×1 sellable, …`).
fn receive_in(
    tx: &Transaction<'_>,
    id: i64,
    received: &[CaseLineSpec],
    allow_negative_stock: bool,
    operator: &str,
    now: &str,
) -> Result<String> {
    let facts = case_facts(tx, id)?;
    // The state is checked before the lines, so that its refusal is the one said.
    case_transition(facts.state, CaseAction::ReceiveReturn)
        .map_err(|refusal| refused(id, &refusal))?;
    let number = case_number(id);
    let mut case_lines: Vec<(String, Option<i64>, i64, i64, i64)> = tx
        .prepare_cached(
            "SELECT code, product_id, quantity, sellable, damaged FROM case_lines
             WHERE case_id = ?1 ORDER BY rowid",
        )?
        .query_map([id], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    if case_lines.is_empty() {
        // A case on the whole order: its lines are the order's, less what other cases
        // took or expect back.
        let (left, holders) = lines_left(tx, facts.order_id, Some(id))?;
        if left.is_empty() {
            return Err(StoreError::Invalid(format!(
                "{number}: nothing of its order is left to come back: other cases took back \
                 every line of it ({})",
                case_numbers(&holders)
            )));
        }
        for (line, quantity) in left {
            insert_case_line(tx, id, &line, quantity)?;
            case_lines.push((line.0, line.2, quantity, 0, 0));
        }
    }
    let specs: Vec<CaseLineSpec> = if received.is_empty() {
        case_lines
            .iter()
            .map(|l| CaseLineSpec {
                code: l.0.clone(),
                quantity: l.2 - l.3 - l.4,
                condition: Condition::Sellable,
            })
            .filter(|s| s.quantity > 0)
            .collect()
    } else {
        received.to_vec()
    };
    let mut problems = Vec::new();
    // Each spec's line, and what is given of each line in all (sellable, damaged).
    let mut targets: Vec<(usize, &CaseLineSpec)> = Vec::new();
    let mut given: HashMap<usize, (i64, i64)> = HashMap::new();
    for spec in &specs {
        let found = case_lines
            .iter()
            .position(|l| l.0.eq_ignore_ascii_case(spec.code.trim()));
        let found = match found {
            Some(index) => Some(index),
            None => {
                let product: Option<i64> = tx
                    .prepare_cached("SELECT product_id FROM product_barcodes WHERE barcode = ?1")?
                    .query_row([spec.code.trim()], |row| row.get(0))
                    .optional()?;
                product.and_then(|p| case_lines.iter().position(|l| l.1 == Some(p)))
            }
        };
        let Some(index) = found else {
            problems.push(format!("{} is not part of case {number}", spec.code));
            continue;
        };
        let entry = given.entry(index).or_default();
        match spec.condition {
            Condition::Sellable => entry.0 += spec.quantity,
            Condition::Damaged => entry.1 += spec.quantity,
        }
        if !targets.iter().any(|(i, _)| *i == index) && case_lines[index].1.is_none() {
            problems.push(format!(
                "{} is not matched to a product: match the order's line first",
                case_lines[index].0
            ));
        }
        targets.push((index, spec));
    }
    let mut indexes: Vec<&usize> = given.keys().collect();
    indexes.sort();
    for index in indexes {
        let (sellable, damaged) = given[index];
        let line = &case_lines[*index];
        let came = line.3 + line.4;
        let left = line.2 - came;
        if sellable + damaged > left {
            problems.push(format!(
                "{}: {} given ({sellable} sellable, {damaged} damaged), but the case expects {} \
                 of it and {came} came back already: at most {left} more",
                line.0,
                sellable + damaged,
                line.2
            ));
        }
    }
    if !problems.is_empty() {
        return Err(StoreError::Invalid(format!(
            "{number}: {}",
            problems.join("; ")
        )));
    }
    let mut summary = Vec::new();
    for (index, spec) in targets {
        let line = &mut case_lines[index];
        let Some(product) = line.1 else {
            continue;
        };
        let items = explode_lines(tx, &[(product, spec.quantity)])?;
        match spec.condition {
            Condition::Sellable => {
                for (item, quantity) in items {
                    post_movement_noted(
                        tx,
                        item,
                        quantity,
                        (MovementReason::Return, &number, "returned sellable"),
                        operator,
                        allow_negative_stock,
                    )?;
                }
                line.3 += spec.quantity;
            }
            Condition::Damaged => {
                for (item, quantity) in items {
                    tx.prepare_cached(
                        "INSERT INTO damaged_movements (product_id, quantity, reason, reference,
                             operator, created_at)
                         VALUES (?1, ?2, 'return', ?3, ?4, ?5)",
                    )?
                    .execute(params![item, quantity, number, operator, now])?;
                }
                line.4 += spec.quantity;
            }
        }
        tx.prepare_cached(
            "UPDATE case_lines SET sellable = ?3, damaged = ?4 WHERE case_id = ?1 AND code = ?2",
        )?
        .execute(params![id, line.0, line.3, line.4])?;
        summary.push(format!(
            "{}×{} {}",
            line.0,
            spec.quantity,
            spec.condition.code()
        ));
    }
    let all_back = case_lines.iter().all(|l| l.3 + l.4 >= l.2);
    let next = receive_goods(facts.state, all_back).map_err(|refusal| refused(id, &refusal))?;
    store_state(tx, id, next, now)?;
    tx.execute(
        "UPDATE cases SET received_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    let mut detail = summary.join(", ");
    let missing: Vec<String> = case_lines
        .iter()
        .filter(|l| l.3 + l.4 < l.2)
        .map(|l| format!("{}×{}", l.0, l.2 - l.3 - l.4))
        .collect();
    if !missing.is_empty() {
        detail.push_str(&format!("; still to come: {}", missing.join(", ")));
    }
    event(tx, id, operator, now, "receive", &detail)?;
    Ok(summary.join(", "))
}

/// The case's part of its order's remark once its replacement went out: the short note
/// with the replacement's courier and tracking number (DOMAIN: the blue flag notes them).
fn replacement_note(conn: &Connection, id: i64, short: &str) -> Result<Option<String>> {
    let sent: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT n.courier, n.tracking_no FROM cases c JOIN orders n ON n.id = c.new_order_id
             WHERE c.id = ?1 AND n.tracking_no <> ''",
        )?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    Ok(sent
        .map(|(courier, tracking)| format!("{short} {}", format!("{courier} {tracking}").trim())))
}

/// Notes the courier and tracking number of an exchange's replacement in the remark of the
/// exchange's order once the replacement ships, where the case's note is (with its blue
/// flag) and the order may change.
pub(super) fn note_replacement_shipped(
    tx: &Transaction<'_>,
    order_id: i64,
    operator: &str,
    now: &str,
) -> Result<()> {
    let cases: Vec<(i64, i64)> = tx
        .prepare_cached(
            "SELECT id, order_id FROM cases WHERE new_order_id = ?1 AND kind = 'exchange'
                 AND status NOT IN ('closed', 'rejected')",
        )?
        .query_map([order_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, exchanged) in cases {
        let order = order_facts(tx, exchanged)?;
        if order.state == OrderState::Archived {
            continue;
        }
        let short = format!("售后 {} {}", case_number(id), CaseType::Exchange.chinese());
        let Some(long) = replacement_note(tx, id, &short)? else {
            continue;
        };
        if order.remark.contains(&long) || !order.remark.contains(&short) {
            continue;
        }
        let remark = order.remark.replacen(&short, &long, 1);
        log(
            tx,
            exchanged,
            operator,
            now,
            LogKind::Remark,
            &format!("{} → {remark}", order.remark),
        )?;
        tx.execute(
            "UPDATE orders SET seller_remark = ?2, updated_at = ?3 WHERE id = ?1",
            params![exchanged, remark, now],
        )?;
        reindex(tx, exchanged)?;
    }
    Ok(())
}

/// The number of the case's replacement (or reshipment) order when that order was
/// cancelled.
fn cancelled_replacement(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT n.order_no FROM cases c JOIN orders n ON n.id = c.new_order_id
             WHERE c.id = ?1 AND n.state = 'cancelled'",
        )?
        .query_row([id], |row| row.get(0))
        .optional()?)
}

/// Says in the log of every case whose replacement (or reshipment) is this order that it
/// was cancelled: the case may not close until it is sent again or the case is rejected.
pub(super) fn note_replacement_cancelled(
    tx: &Transaction<'_>,
    order_id: i64,
    operator: &str,
    now: &str,
) -> Result<()> {
    let cases: Vec<(i64, String)> = tx
        .prepare_cached(
            "SELECT c.id, o.order_no FROM cases c JOIN orders o ON o.id = c.new_order_id
             WHERE c.new_order_id = ?1",
        )?
        .query_map([order_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, order_no) in cases {
        event(
            tx,
            id,
            operator,
            now,
            "cancel",
            &format!("replacement {order_no} cancelled: send it again, or reject the case"),
        )?;
        tx.execute(
            "UPDATE cases SET updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
    }
    Ok(())
}

/// Takes a finished case's flag off its order, when the order still carries that flag and
/// may change: the order gets the flag the newest other open case set (blue for an
/// exchange, purple for a return), or else the flag it had before the case set its own.
/// A flag put on by hand after the case's stays. Returns the order's new flag when it
/// changed.
fn unflag(
    tx: &Transaction<'_>,
    id: i64,
    facts: &CaseFacts,
    operator: &str,
    now: &str,
) -> Result<Option<Flag>> {
    if facts.flag_set == Flag::None {
        return Ok(None);
    }
    let order = order_facts(tx, facts.order_id)?;
    if order.state == OrderState::Archived {
        return Ok(None);
    }
    // The case's own part of the remark goes with its flag (with its replacement's
    // courier and tracking number, when it had them).
    let short = format!("售后 {} {}", case_number(id), facts.state.kind.chinese());
    let note = match replacement_note(tx, id, &short)? {
        Some(long) if order.remark.contains(&long) => long,
        _ => short,
    };
    if order.remark.contains(&note) {
        let remark = order
            .remark
            .replace(&format!(" {note}"), "")
            .replace(&format!("{note} "), "")
            .replace(&note, "")
            .trim()
            .to_owned();
        log(
            tx,
            facts.order_id,
            operator,
            now,
            LogKind::Remark,
            &format!("{} → {remark}", order.remark),
        )?;
        tx.execute(
            "UPDATE orders SET seller_remark = ?2, updated_at = ?3 WHERE id = ?1",
            params![facts.order_id, remark, now],
        )?;
        reindex(tx, facts.order_id)?;
    }
    if order.flag != facts.flag_set {
        return Ok(None);
    }
    let needed = tx
        .prepare_cached(
            "SELECT flag_set FROM cases WHERE order_id = ?1 AND id <> ?2 AND flag_set <> 'none'
                 AND status NOT IN ('closed', 'rejected')
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![facts.order_id, id], |row| {
            coded(row, 0, Flag::from_code)
        })
        .optional()?;
    let next = match needed {
        Some(flag) => flag,
        None => tx
            .prepare_cached("SELECT flag_before FROM cases WHERE id = ?1")?
            .query_row([id], |row| coded(row, 0, Flag::from_code))?,
    };
    if next == order.flag {
        return Ok(None);
    }
    log(
        tx,
        facts.order_id,
        operator,
        now,
        LogKind::Flag,
        &format!(
            "flag {} → {} ({} finished)",
            order.flag.code(),
            next.code(),
            case_number(id)
        ),
    )?;
    tx.execute(
        "UPDATE orders SET flag = ?2, updated_at = ?3 WHERE id = ?1",
        params![facts.order_id, next.code(), now],
    )?;
    Ok(Some(next))
}

/// Refuses archiving an order while an after-sales case that flagged it is open: the
/// archived order could not take the flag off when the case finishes. Called by the order's
/// event path for every archive.
pub(super) fn refuse_archive_with_open_case(conn: &Connection, order_id: i64) -> Result<()> {
    let open: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM cases WHERE order_id = ?1 AND flag_set <> 'none'
                 AND status NOT IN ('closed', 'rejected')
             ORDER BY id",
        )?
        .query_map([order_id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if open.is_empty() {
        return Ok(());
    }
    let order_no: String = conn.query_row(
        "SELECT order_no FROM orders WHERE id = ?1",
        [order_id],
        |row| row.get(0),
    )?;
    Err(StoreError::Invalid(format!(
        "order {order_no} has an open after-sales case ({}) that flags it: finish the case \
         before archiving the order",
        case_numbers(&open)
    )))
}

/// `shopdesk check`: each product's damaged figure is the sum of its damaged-goods ledger.
pub(super) fn damaged_mismatches(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT p.code, p.damaged, COALESCE(m.total, 0)
         FROM products p
         LEFT JOIN (SELECT product_id, SUM(quantity) AS total FROM damaged_movements
                    GROUP BY product_id) m ON m.product_id = p.id
         WHERE p.damaged <> COALESCE(m.total, 0) OR p.damaged < 0
         ORDER BY p.code",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(format!(
            "damaged goods: product {} has {} kept apart but its damaged-goods movements add up to {}",
            row.get::<_, String>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, i64>(2)?
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests;
