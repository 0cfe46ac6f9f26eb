//! Writing imported orders: new ones are added, known ones updated, in one transaction.
//! The preview is the same code run in a transaction that is rolled back, so what it
//! counts is exactly what the commit does.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::{OptionalExtension, Transaction, params};

use super::bulk::{
    ARCHIVE_INSERT_TRIGGERS, next_order_id, with_indexes_rebuilt, with_triggers_suspended,
    write_orders,
};
use super::orders::{ProductMatcher, log};
use super::processing::{ReceiverEdit, set_receiver_in};
use super::shipping::{courier_directory, reindex_order, voided_on};
use super::{Result, Store, StoreError, now_text};
use crate::domain::LogKind;
use crate::domain::model::{LINE_STATUS_REMARK, MASKED_PHONE_REMARK, NewOrder};
use crate::domain::{Flag, OrderState, PaymentStatus};

/// An import of at least this many orders, more than the file holds, is a bulk load: it
/// goes through a rollback journal and builds the order indexes once at the end.
const BULK_LOAD: usize = 5_000;

/// Partial indexes an import hardly ever enters (imported orders are not yet reviewed,
/// printed, shipped by us, held, flagged, merged, reshipped, followed up or archived):
/// kept up to date row by row during a bulk load, where building one would scan the whole
/// table.
const SPARSE_FOR_IMPORT: [&str; 13] = [
    "orders_on_hold",
    "orders_courier_shipped",
    "orders_flag",
    "orders_problem",
    "orders_reship_of",
    "order_events_follow_up",
    "order_lines_origin",
    "orders_reviewed_at",
    "orders_printed_at",
    "orders_inspected_at",
    "orders_shipped_at",
    "orders_refunded_at",
    "orders_archived_at",
];

/// A platform SKU that matches no product, with how many open lines carry it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct UnmatchedSku {
    pub sku: String,
    pub title: String,
    pub lines: i64,
}

/// What an import did, or would do in a preview.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    /// One sentence per updated order: what changed.
    pub changes: Vec<String>,
    /// Orders the platform closed after we printed them: flagged red, not cancelled.
    pub flagged: Vec<String>,
    /// SKUs of the imported lines that match no product.
    pub unmatched: Vec<UnmatchedSku>,
    /// Where the time went (for the benchmark; not part of the JSON).
    #[serde(skip)]
    pub timings: ImportTimings,
}

/// What an import records besides its orders: where they came from and who imported them.
#[derive(Clone, Copy)]
struct ImportRun<'a> {
    format: &'a str,
    files: &'a [&'a Path],
    rejected: u64,
    dry_run: bool,
    operator: &'a str,
}

/// The phases of an import's transaction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportTimings {
    /// Looking the orders up and sorting them into new, updated and unchanged.
    pub check: std::time::Duration,
    /// Writing the new orders: rows, lines, events, search entries.
    pub write: std::time::Duration,
    /// Building the indexes a bulk load dropped.
    pub indexes: std::time::Duration,
    /// The commit (or the rollback of a preview).
    pub commit: std::time::Duration,
}

/// What an import may change on an order we already have.
struct Known {
    id: i64,
    state: OrderState,
    payment: PaymentStatus,
    paid_cents: i64,
    refunded_cents: i64,
    courier: String,
    tracking_no: String,
    platform_status: String,
    seller_remark: String,
    flag: Flag,
    /// The receiver columns, in the order of `processing::RECEIVER_COLUMNS`.
    receiver: [String; 8],
    /// The order this one is merged into.
    merged_into: Option<i64>,
    on_hold: bool,
}

/// The remark added when a newer export shows shipped an order we have reviewed or printed
/// but not shipped.
pub const PLATFORM_SHIPPED_REMARK: &str =
    "平台显示已发货 (the platform shows this order shipped: check before shipping it)";

/// The remark added when a newer export changes the receiver of an order already printed.
pub const PLATFORM_RECEIVER_REMARK: &str =
    "平台收货信息已变更 (the platform shows a new receiver: print the waybill again)";

/// How the order's log says that the import flagged an order the platform closed after
/// printing (and the import's memory of having done it).
const CLOSED_FLAG_DETAIL: &str = "flag red: the platform closed the order after printing";

/// The remark added when the platform closes an order we already printed.
pub const PLATFORM_CLOSED_REMARK: &str =
    "平台已关闭交易 (the platform closed this order after printing: check before shipping)";

fn known(tx: &Transaction<'_>, order: &NewOrder) -> Result<Option<Known>> {
    Ok(tx
        .prepare_cached(
            "SELECT id, state, payment_status, paid_cents, refunded_cents, courier, tracking_no,
                    platform_status, seller_remark, flag, merged_into,
                    receiver_name, receiver_phone, receiver_phone2, province, city, district,
                    address, postcode, on_hold
             FROM orders WHERE platform = ?1 AND order_no = ?2",
        )?
        .query_row(params![order.platform, order.order_no], |row| {
            let state: String = row.get(1)?;
            let payment: String = row.get(2)?;
            Ok(Known {
                id: row.get(0)?,
                state: OrderState::from_code(&state).unwrap_or(OrderState::PendingReview),
                payment: PaymentStatus::from_code(&payment).unwrap_or(PaymentStatus::Unpaid),
                paid_cents: row.get(3)?,
                refunded_cents: row.get(4)?,
                courier: row.get(5)?,
                tracking_no: row.get(6)?,
                platform_status: row.get(7)?,
                seller_remark: row.get(8)?,
                flag: Flag::from_code(&row.get::<_, String>(9)?).unwrap_or_default(),
                merged_into: row.get(10)?,
                receiver: [
                    row.get(11)?,
                    row.get(12)?,
                    row.get(13)?,
                    row.get(14)?,
                    row.get(15)?,
                    row.get(16)?,
                    row.get(17)?,
                    row.get(18)?,
                ],
                on_hold: row.get(19)?,
            })
        })
        .optional()?)
}

/// Applies a newer export of a known order; returns what changed (empty: nothing).
fn update_known(
    tx: &Transaction<'_>,
    old: &Known,
    new: &NewOrder,
    (operator, now): (&str, &str),
    settings: &super::Settings,
    flagged: &mut Vec<String>,
) -> Result<Vec<String>> {
    let mut changed = Vec::new();
    // Archived orders are closed for good; a newer export cannot touch them.
    if old.state == OrderState::Archived {
        return Ok(changed);
    }
    // A main order's amounts include those of the orders merged into it.
    let (mut paid, mut refunded) = (new.paid_cents, new.refunded_cents);
    if new.payment_status != old.payment || paid != old.paid_cents || refunded != old.refunded_cents
    {
        let (merged_paid, merged_refunded) = merged_amounts(tx, old.id)?;
        paid += merged_paid;
        refunded += merged_refunded;
    }
    let refunded_here = matches!(
        old.payment,
        PaymentStatus::Refunded | PaymentStatus::PartlyRefunded
    );
    let rolls_back = refunded < old.refunded_cents
        || (refunded_here
            && matches!(
                new.payment_status,
                PaymentStatus::Paid | PaymentStatus::Unpaid
            ));
    if rolls_back {
        // An export older than what we know: a refund is never undone.
        let said = format!(
            "the export shows payment {} without the refund recorded here (kept)",
            new.payment_status.code()
        );
        if !logged_before(tx, old.id, &said)? {
            changed.push(said);
        }
    } else if new.payment_status != old.payment
        || paid != old.paid_cents
        || refunded != old.refunded_cents
    {
        tx.prepare_cached(
            "UPDATE orders SET payment_status = ?2, paid_cents = ?3, refunded_cents = ?4,
                 paid_at = COALESCE(?5, paid_at), updated_at = ?6 WHERE id = ?1",
        )?
        .execute(params![
            old.id,
            new.payment_status.code(),
            paid,
            refunded,
            new.paid_at,
            now
        ])?;
        if let Some(main) = old.merged_into {
            // The main order's sums follow.
            tx.prepare_cached(
                "UPDATE orders SET paid_cents = paid_cents + ?2,
                     refunded_cents = refunded_cents + ?3, updated_at = ?4 WHERE id = ?1",
            )?
            .execute(params![
                main,
                paid - old.paid_cents,
                refunded - old.refunded_cents,
                now
            ])?;
        }
        changed.push(format!(
            "payment {} → {}",
            old.payment.code(),
            new.payment_status.code()
        ));
    }
    // The number the order already carries is nothing new, whatever became of it: only
    // another number is looked up among the voided ones.
    let voided = if new.tracking_no.is_empty() || new.tracking_no == old.tracking_no {
        None
    } else {
        voided_on(tx, &new.tracking_no)?
    };
    if let Some(order_no) = voided {
        changed.push(format!(
            "the platform shows tracking {}, voided on order {order_no} (not taken)",
            new.tracking_no
        ));
    } else if !new.tracking_no.is_empty() && old.tracking_no.is_empty() {
        // The courier text stays as the platform wrote it; the record is found by code,
        // name or alias, and the search index follows the new number.
        let courier_id = courier_directory(tx)?.resolve(&new.courier).id();
        tx.prepare_cached(
            "UPDATE orders SET courier = ?2, tracking_no = ?3, updated_at = ?4, courier_id = ?5
             WHERE id = ?1",
        )?
        .execute(params![
            old.id,
            new.courier,
            new.tracking_no,
            now,
            courier_id
        ])?;
        reindex_order(tx, old.id)?;
        changed.push(format!("tracking {} {}", new.courier, new.tracking_no));
    } else if !new.tracking_no.is_empty() && new.tracking_no != old.tracking_no {
        let said = format!(
            "the platform shows tracking {} but the order has {} {} (kept)",
            new.tracking_no, old.courier, old.tracking_no
        );
        // Said once: the same export again is unchanged.
        if !logged_before(tx, old.id, &said)? {
            changed.push(said);
        }
    }
    if new.platform_status != old.platform_status {
        tx.prepare_cached("UPDATE orders SET platform_status = ?2, updated_at = ?3 WHERE id = ?1")?
            .execute(params![old.id, new.platform_status, now])?;
        changed.push(format!(
            "platform status {} → {}",
            if old.platform_status.is_empty() {
                "-"
            } else {
                &old.platform_status
            },
            new.platform_status
        ));
    }
    if let Some(main) = old.merged_into {
        merged_changed(tx, old, new, main, (operator, now), &mut changed, flagged)?;
        return finish(tx, old.id, operator, now, changed);
    }
    if new.state == OrderState::Cancelled && old.state != OrderState::Cancelled {
        if old.state.is_editable() {
            // Not printed yet: close it here too; its reservation ends with the state.
            tx.prepare_cached(
                "UPDATE orders SET state = 'cancelled', on_hold = 0, updated_at = ?2
                 WHERE id = ?1 OR merged_into = ?1",
            )?
            .execute(params![old.id, now])?;
            log(
                tx,
                old.id,
                operator,
                now,
                LogKind::Event(crate::domain::Event::Cancel),
                "the platform closed the order (import)",
            )?;
            changed.push("cancelled: the platform closed it".to_owned());
        } else if !logged_as_before(tx, old.id, LogKind::Flag, CLOSED_FLAG_DETAIL)? {
            // Printed or shipped: never applied silently. Red flag and a remark (once).
            let remark = if old.seller_remark.contains(PLATFORM_CLOSED_REMARK) {
                old.seller_remark.clone()
            } else if old.seller_remark.is_empty() {
                PLATFORM_CLOSED_REMARK.to_owned()
            } else {
                format!("{}; {PLATFORM_CLOSED_REMARK}", old.seller_remark)
            };
            // Held too while not shipped: printing again stops on it.
            tx.prepare_cached(
                "UPDATE orders SET flag = 'red', seller_remark = ?2, updated_at = ?3,
                     platform_closed_at = COALESCE(platform_closed_at, ?3),
                     on_hold = on_hold OR state = 'printed'
                 WHERE id = ?1",
            )?
            .execute(params![old.id, remark, now])?;
            reindex_order(tx, old.id)?;
            log(tx, old.id, operator, now, LogKind::Flag, CLOSED_FLAG_DETAIL)?;
            changed.push(format!(
                "the platform closed it, but it is {}: flagged red",
                old.state.code()
            ));
            flagged.push(new.order_no.clone());
        }
    }
    platform_receiver(
        tx,
        old,
        new,
        (operator, now, settings),
        &mut changed,
        flagged,
    )?;
    platform_unmasked(tx, old, new, now, &mut changed)?;
    platform_hold(tx, old, new, operator, now, &mut changed)?;
    platform_line_status(tx, old, new, (operator, now), &mut changed, flagged)?;
    platform_release(tx, old, new, &mut changed)?;
    if new.state == OrderState::Shipped
        && matches!(
            old.state,
            OrderState::PendingReview | OrderState::Approved | OrderState::Printed
        )
    {
        platform_shipped(tx, old, new, (operator, now), &mut changed, flagged)?;
    }
    finish(tx, old.id, operator, now, changed)
}

/// Logs what an import changed on an order (nothing: nothing logged) and returns it.
fn finish(
    tx: &Transaction<'_>,
    id: i64,
    operator: &str,
    now: &str,
    changed: Vec<String>,
) -> Result<Vec<String>> {
    if !changed.is_empty() {
        log(tx, id, operator, now, LogKind::Import, &changed.join("; "))?;
    }
    Ok(changed)
}

/// Whether an import logged `detail` on the order before.
fn logged_before(tx: &Transaction<'_>, id: i64, detail: &str) -> Result<bool> {
    logged_as_before(tx, id, LogKind::Import, detail)
}

/// Whether the order's log holds an entry of `kind` whose detail contains `detail`: how an
/// import remembers what it did or said once, whatever a person did to the order since
/// (released it, changed its flag or remark).
fn logged_as_before(tx: &Transaction<'_>, id: i64, kind: LogKind, detail: &str) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM order_events
                            WHERE order_id = ?1 AND event = ?2 AND instr(detail, ?3) > 0)",
        )?
        .query_row(params![id, kind.code(), detail], |row| row.get(0))?)
}

/// The paid and refunded sums of the orders merged into `id`.
fn merged_amounts(tx: &Transaction<'_>, id: i64) -> Result<(i64, i64)> {
    Ok(tx
        .prepare_cached(
            "SELECT coalesce(sum(paid_cents), 0), coalesce(sum(refunded_cents), 0)
             FROM orders WHERE merged_into = ?1",
        )?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))?)
}

/// A newer export that closes, ships, readdresses or holds an order merged into another:
/// its goods travel in the main order's parcel. While the main order is open it is held,
/// flagged red and remarked with what happened, once for each change; shipped, it is
/// flagged red and remarked when the merged order was closed (a refund to look at). A
/// merged order reported shipped with the main order's own tracking number is no news.
/// The merged order itself keeps its state.
fn merged_changed(
    tx: &Transaction<'_>,
    old: &Known,
    new: &NewOrder,
    main: i64,
    (operator, now): (&str, &str),
    changed: &mut Vec<String>,
    flagged: &mut Vec<String>,
) -> Result<()> {
    let (main_no, main_state, main_remark, main_tracking): (String, String, String, String) = tx
        .prepare_cached(
            "SELECT order_no, state, seller_remark, tracking_no FROM orders WHERE id = ?1",
        )?
        .query_row([main], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?;
    let main_state = OrderState::from_code(&main_state).unwrap_or(OrderState::PendingReview);
    let open = matches!(
        main_state,
        OrderState::PendingReview | OrderState::Approved | OrderState::Printed
    );
    let closed = new.state == OrderState::Cancelled && old.state != OrderState::Cancelled;
    if closed {
        // A platform fact about the merged order itself: the batch-ship file leaves it out.
        tx.prepare_cached(
            "UPDATE orders SET platform_closed_at = COALESCE(platform_closed_at, ?2)
             WHERE id = ?1",
        )?
        .execute(params![old.id, now])?;
    }
    let shipped = new.state == OrderState::Shipped
        && old.state != OrderState::Shipped
        && (main_tracking.is_empty() || new.tracking_no != main_tracking);
    // (Chinese for the remark, the state or word the log's detail uses.)
    let mut what: Vec<(&str, &str)> = Vec::new();
    if closed {
        what.push(("平台已关闭", "cancelled"));
    }
    if open {
        if shipped {
            what.push(("平台显示已发货", "shipped"));
        }
        if receiver_differs(old, new) {
            what.push(("收货信息已变更", "receiver"));
        }
        if new.on_hold && !old.on_hold {
            what.push(("平台挂起", "held"));
        }
    }
    if what.is_empty() || !(open || main_state == OrderState::Shipped) {
        return Ok(());
    }
    let remark = format!(
        "合并单 {}：{}，请拆分合并后核对 (merged order changed on the platform: check)",
        new.order_no,
        what.iter()
            .map(|(zh, _)| *zh)
            .collect::<Vec<_>>()
            .join("、")
    );
    let detail = format!(
        "flag red: a merged order changed on the platform: {} {}",
        new.order_no,
        what.iter()
            .map(|(_, en)| *en)
            .collect::<Vec<_>>()
            .join(", ")
    );
    if hold_red(
        tx,
        (main, &main_remark),
        (&remark, &detail, open),
        (operator, now),
    )? {
        changed.push(format!(
            "merged into {main_no}, which is {}flagged red",
            if open { "held and " } else { "" }
        ));
        flagged.push(main_no);
    }
    Ok(())
}

/// The parts of an import's remark that say why the platform holds an order: an
/// after-sales request (`售后：…`), JD's lock (`京东订单状态：…`) or deletion.
fn hold_reasons(remark: &str) -> impl Iterator<Item = &str> {
    remark.split("; ").filter(|part| {
        part.starts_with("售后：")
            || part.starts_with("京东订单状态：")
            || part.starts_with("京东后台已删除")
    })
}

/// Whether a platform's reason to hold an order is news: the import's last word on it was
/// that the platform no longer shows it, or it never spoke of it and the order's remark
/// does not have it (an order imported held has it from the start).
fn reason_is_news(tx: &Transaction<'_>, old: &Known, reason: &str) -> Result<bool> {
    let last: Option<String> = tx
        .prepare_cached(
            "SELECT detail FROM order_events
             WHERE order_id = ?1 AND event = ?2 AND instr(detail, ?3) > 0
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![old.id, LogKind::Import.code(), reason], |row| {
            row.get(0)
        })
        .optional()?;
    Ok(match last {
        Some(detail) => detail.contains(NO_LONGER_SHOWS),
        None => !old.seller_remark.contains(reason),
    })
}

/// How the import says that the platform no longer shows a reason to hold an order.
const NO_LONGER_SHOWS: &str = "the platform no longer shows ";

/// A newer export that holds an order we have not held, for a reason that is news (an
/// after-sales request in progress on Pinduoduo or Douyin, JD's lock or deletion): held
/// here too, its flag taken when ours is none and the remarks we lack added. A reason the
/// order was held for before and a person released stays released; the same reason after
/// the platform dropped it and raised it again holds again. An order merged into another,
/// shipped or closed is left as it is.
fn platform_hold(
    tx: &Transaction<'_>,
    old: &Known,
    new: &NewOrder,
    operator: &str,
    now: &str,
    changed: &mut Vec<String>,
) -> Result<()> {
    let open = matches!(
        old.state,
        OrderState::PendingReview | OrderState::Approved | OrderState::Printed
    );
    if !new.on_hold || old.merged_into.is_some() || !open {
        return Ok(());
    }
    let mut news = Vec::new();
    for reason in hold_reasons(&new.seller_remark) {
        if reason_is_news(tx, old, reason)? {
            news.push(reason);
        }
    }
    if news.is_empty() {
        return Ok(());
    }
    if old.on_hold {
        // Raised again while the order is still held: remembered, nothing to change.
        changed.push(format!(
            "the platform shows {} again (already held)",
            news.join("; ")
        ));
        return Ok(());
    }
    let added: Vec<&str> = new
        .seller_remark
        .split("; ")
        .filter(|part| !part.is_empty() && !old.seller_remark.contains(part))
        .collect();
    let remark = if added.is_empty() {
        old.seller_remark.clone()
    } else if old.seller_remark.is_empty() {
        added.join("; ")
    } else {
        format!("{}; {}", old.seller_remark, added.join("; "))
    };
    let flag = if old.flag == Flag::None {
        new.flag
    } else {
        old.flag
    };
    tx.prepare_cached(
        "UPDATE orders SET on_hold = 1, flag = ?2, seller_remark = ?3, updated_at = ?4
         WHERE id = ?1",
    )?
    .execute(params![old.id, flag.code(), remark, now])?;
    reindex_order(tx, old.id)?;
    log(
        tx,
        old.id,
        operator,
        now,
        LogKind::Event(crate::domain::Event::Hold),
        "held as the platform shows it (import)",
    )?;
    changed.push(format!(
        "held as the platform shows it: {}",
        news.join("; ")
    ));
    Ok(())
}

/// A newer export in which a line of a known order is in another status than the order
/// (a sub-order closed or refunded, after-sales on one line, a line locked): for each such
/// line new to the order's remark, the order is held while not shipped, flagged red and
/// the line is said in its remark, once ([`hold_red`]). An order merged into another is
/// left to [`merged_changed`]; a closed or archived one as it is.
fn platform_line_status(
    tx: &Transaction<'_>,
    old: &Known,
    new: &NewOrder,
    (operator, now): (&str, &str),
    changed: &mut Vec<String>,
    flagged: &mut Vec<String>,
) -> Result<()> {
    if old.merged_into.is_some() || old.state == OrderState::Cancelled {
        return Ok(());
    }
    let open = matches!(
        old.state,
        OrderState::PendingReview | OrderState::Approved | OrderState::Printed
    );
    for part in new.seller_remark.split("; ") {
        if !part.starts_with(LINE_STATUS_REMARK) || old.seller_remark.contains(part) {
            continue;
        }
        // Read again: an earlier step of this import may have added to it.
        let remark: String = tx
            .prepare_cached("SELECT seller_remark FROM orders WHERE id = ?1")?
            .query_row(params![old.id], |row| row.get(0))?;
        if remark.contains(part) {
            continue;
        }
        let detail = format!("flag red: a line is in another status on the platform: {part}");
        if hold_red(
            tx,
            (old.id, &remark),
            (part, &detail, open),
            (operator, now),
        )? {
            changed.push(format!(
                "{}flagged red: {part}",
                if open { "held and " } else { "" }
            ));
            flagged.push(new.order_no.clone());
        }
    }
    Ok(())
}

/// The platform's reasons to hold an order that the import spoke of in the order's log.
fn logged_reasons(tx: &Transaction<'_>, id: i64) -> Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "SELECT detail FROM order_events WHERE order_id = ?1 AND event = ?2
           AND (instr(detail, '售后：') > 0 OR instr(detail, '京东订单状态：') > 0
                OR instr(detail, '京东后台已删除') > 0)",
    )?;
    let details = stmt
        .query_map(params![id, LogKind::Import.code()], |row| {
            row.get::<_, String>(0)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut reasons: Vec<String> = Vec::new();
    for detail in &details {
        for marker in ["售后：", "京东订单状态：", "京东后台已删除"] {
            for (at, _) in detail.match_indices(marker) {
                let rest = &detail[at..];
                let end = ["; ", ": release"]
                    .iter()
                    .filter_map(|stop| rest.find(stop))
                    .min()
                    .unwrap_or(rest.len());
                let reason = rest[..end].to_owned();
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
        }
    }
    Ok(reasons)
}

/// A newer export that no longer shows what the platform held an order for (an
/// after-sales request or JD's lock, from the order's remark or the import's log): said
/// once each time it goes, whether a person has released the order already or not, so
/// that the reason coming back holds it again. The hold is not lifted by the import: a
/// person may have held it for more.
fn platform_release(
    tx: &Transaction<'_>,
    old: &Known,
    new: &NewOrder,
    changed: &mut Vec<String>,
) -> Result<()> {
    if new.on_hold || old.merged_into.is_some() {
        return Ok(());
    }
    let mut candidates: Vec<String> = hold_reasons(&old.seller_remark)
        .map(str::to_owned)
        .collect();
    // The log is read only for an order held, or with a reason in its remark: a re-import
    // of orders never held costs no query here.
    if old.on_hold || !candidates.is_empty() {
        for reason in logged_reasons(tx, old.id)? {
            if !candidates.contains(&reason) {
                candidates.push(reason);
            }
        }
    }
    let mut gone = Vec::new();
    for reason in &candidates {
        if !new.seller_remark.contains(reason.as_str()) && !reason_is_news(tx, old, reason)? {
            gone.push(reason.as_str());
        }
    }
    if gone.is_empty() {
        return Ok(());
    }
    changed.push(if old.on_hold {
        format!(
            "{NO_LONGER_SHOWS}{}: release the hold once checked",
            gone.join("; ")
        )
    } else {
        format!("{NO_LONGER_SHOWS}{}", gone.join("; "))
    });
    Ok(())
}

/// What a receiver is for comparing an export with the order: name, phone and the whole
/// address without spaces (a reader that splits the same address differently, or writes
/// 广东 as 广东省, changes nothing).
fn receiver_key(name: &str, phone: &str, address_parts: [&str; 5]) -> String {
    let mut key = format!("{name}\u{1f}{phone}\u{1f}");
    for part in address_parts {
        key.extend(part.chars().filter(|c| !c.is_whitespace()));
    }
    key
}

/// Whether an export names another receiver than the order's: by name, phone and the
/// whole address without spaces (a reader that splits the same address differently
/// changes nothing). A masked name, phone or address (`顾**`, `138****1126`, as later
/// exports of Pinduoduo and Douyin give) is never taken for a new receiver.
fn receiver_differs(old: &Known, new: &NewOrder) -> bool {
    let [name, phone, _, province, city, district, address, postcode] =
        old.receiver.each_ref().map(String::as_str);
    let same = [name, phone, province, city, district, address, postcode]
        == [
            new.receiver_name.as_str(),
            &new.receiver_phone,
            &new.province,
            &new.city,
            &new.district,
            &new.address,
            &new.postcode,
        ];
    if same {
        return false;
    }
    let ours = receiver_key(name, phone, [province, city, district, address, postcode]);
    let theirs = receiver_key(
        &new.receiver_name,
        &new.receiver_phone,
        [
            &new.province,
            &new.city,
            &new.district,
            &new.address,
            &new.postcode,
        ],
    );
    let masked = [&new.receiver_name, &new.receiver_phone, &new.address]
        .iter()
        .any(|field| field.contains('*'));
    ours != theirs && !masked
}

/// A newer export with another receiver (the buyer changed the address or phone on the
/// platform). Taken when the order is not shipped, not merged into another and its
/// receiver was never edited here (an edit here wins). Printed, its waybill shows the old
/// address: also held, flagged red and remarked, to print the waybill again. Shipped,
/// archived or cancelled orders keep theirs.
fn platform_receiver(
    tx: &Transaction<'_>,
    old: &Known,
    new: &NewOrder,
    (operator, now, settings): (&str, &str, &super::Settings),
    changed: &mut Vec<String>,
    flagged: &mut Vec<String>,
) -> Result<()> {
    if !receiver_differs(old, new) {
        return Ok(());
    }
    let open = matches!(
        old.state,
        OrderState::PendingReview | OrderState::Approved | OrderState::Printed
    );
    if !open || old.merged_into.is_some() {
        return Ok(());
    }
    let edited_here: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM order_events WHERE order_id = ?1 AND event = ?2)",
        )?
        .query_row(params![old.id, LogKind::Receiver.code()], |row| row.get(0))?;
    if edited_here {
        return Ok(());
    }
    let edit = ReceiverEdit {
        receiver_name: new.receiver_name.clone(),
        receiver_phone: new.receiver_phone.clone(),
        receiver_phone2: old.receiver[2].clone(),
        province: new.province.clone(),
        city: new.city.clone(),
        district: new.district.clone(),
        address: new.address.clone(),
        postcode: new.postcode.clone(),
    };
    set_receiver_in(
        tx,
        old.id,
        &new.order_no,
        &edit,
        (operator, LogKind::Import),
        now,
    )?;
    changed.push("receiver changed on the platform".to_owned());
    if old.state == OrderState::Approved {
        // Reviewed with the old receiver: reviewed again with the new one.
        Store::apply_event_in(
            tx,
            old.id,
            crate::domain::Event::Reopen,
            settings,
            operator,
            now,
        )?;
        changed.push("back to review".to_owned());
    }
    if old.state == OrderState::Printed
        && hold_red(
            tx,
            (old.id, &old.seller_remark),
            (
                PLATFORM_RECEIVER_REMARK,
                "flag red, on hold: the receiver changed after printing",
                true,
            ),
            (operator, now),
        )?
    {
        changed.push("printed with the old receiver: held and flagged red".to_owned());
        flagged.push(new.order_no.clone());
    }
    Ok(())
}

/// A newer export that brings the full phone of an order whose phone was masked, and the
/// order took it: the remark the import wrote for the mask is taken off, and so is the
/// yellow flag when it was the import's (no person has set a flag on the order since).
fn platform_unmasked(
    tx: &Transaction<'_>,
    old: &Known,
    new: &NewOrder,
    now: &str,
    changed: &mut Vec<String>,
) -> Result<()> {
    let phone = &new.receiver_phone;
    if !old.receiver[1].contains('*') || phone.is_empty() || phone.contains('*') {
        return Ok(());
    }
    let (taken, remark, flag): (String, String, String) = tx
        .prepare_cached("SELECT receiver_phone, seller_remark, flag FROM orders WHERE id = ?1")?
        .query_row(params![old.id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
    if taken != *phone || !remark.contains(MASKED_PHONE_REMARK) {
        return Ok(());
    }
    let kept: Vec<&str> = remark
        .split("; ")
        .filter(|part| *part != MASKED_PHONE_REMARK)
        .collect();
    let flagged_by_hand: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM order_events WHERE order_id = ?1 AND event = ?2)",
        )?
        .query_row(params![old.id, LogKind::Flag.code()], |row| row.get(0))?;
    let unflag = flag == Flag::Yellow.code() && !flagged_by_hand;
    tx.prepare_cached(
        "UPDATE orders SET seller_remark = ?2, flag = CASE WHEN ?3 THEN 'none' ELSE flag END,
             updated_at = ?4
         WHERE id = ?1",
    )?
    .execute(params![old.id, kept.join("; "), unflag, now])?;
    reindex_order(tx, old.id)?;
    changed.push(if unflag {
        "the full phone arrived: the masked-phone remark and its yellow flag taken off".to_owned()
    } else {
        "the full phone arrived: the masked-phone remark taken off".to_owned()
    });
    Ok(())
}

/// Holds an order (when `hold`), flags it red and adds `remark` to its seller remark,
/// logged as `detail`: what an import does when the platform changed an order past the
/// point where it may change silently. Once: false, and nothing written, when the order's
/// log has `detail` already (a person may have released it or changed its remark since).
fn hold_red(
    tx: &Transaction<'_>,
    (id, seller_remark): (i64, &str),
    (remark, detail, hold): (&str, &str, bool),
    (operator, now): (&str, &str),
) -> Result<bool> {
    if logged_as_before(tx, id, LogKind::Flag, detail)? {
        return Ok(false);
    }
    let remark = if seller_remark.is_empty() {
        remark.to_owned()
    } else {
        format!("{seller_remark}; {remark}")
    };
    tx.prepare_cached(
        "UPDATE orders SET flag = 'red', on_hold = on_hold OR ?4, seller_remark = ?2,
             updated_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![id, remark, now, hold])?;
    reindex_order(tx, id)?;
    log(tx, id, operator, now, LogKind::Flag, detail)?;
    Ok(true)
}

/// A newer export shows shipped an order we have not shipped (it left another way). Not
/// reviewed yet: shipped here too, as an import of that export into a new file would have
/// it (no stock is reserved for it). Reviewed or printed, its stock reserved or its waybill
/// out: never applied silently; held, flagged red and remarked (once), so that the station
/// and the waybill printing stop on it until someone checks.
fn platform_shipped(
    tx: &Transaction<'_>,
    old: &Known,
    new: &NewOrder,
    (operator, now): (&str, &str),
    changed: &mut Vec<String>,
    flagged: &mut Vec<String>,
) -> Result<()> {
    if !old.tracking_no.is_empty() && new.tracking_no == old.tracking_no {
        // The parcel of our own waybill, reported back by the platform: nothing to check.
        return Ok(());
    }
    if old.state == OrderState::PendingReview {
        tx.prepare_cached(
            "UPDATE orders SET state = 'shipped', on_hold = 0, updated_at = ?2
             WHERE id = ?1 OR merged_into = ?1",
        )?
        .execute(params![old.id, now])?;
        changed.push("shipped: the platform shows it shipped".to_owned());
        return Ok(());
    }
    if hold_red(
        tx,
        (old.id, &old.seller_remark),
        (
            PLATFORM_SHIPPED_REMARK,
            "flag red, on hold: the platform shows the order shipped",
            true,
        ),
        (operator, now),
    )? {
        changed.push(format!(
            "the platform shows it shipped, but it is {}: held and flagged red",
            old.state.code()
        ));
        flagged.push(new.order_no.clone());
    }
    Ok(())
}

impl Store {
    /// Imports orders: new ones are added, known ones (same platform and number) are
    /// updated. All in one transaction; with `dry_run` it is rolled back (the preview).
    /// `progress` gets how far it is, up to twice the number of orders (checked, then
    /// written), and returns false to cancel.
    #[allow(clippy::too_many_arguments)]
    pub fn import_orders(
        &mut self,
        orders: &[NewOrder],
        format: &str,
        files: &[&Path],
        rejected: u64,
        dry_run: bool,
        operator: &str,
        progress: &mut dyn FnMut(u64) -> bool,
    ) -> Result<ImportSummary> {
        let (_, existing) = self.counts()?;
        let mut import = |store: &mut Store| {
            let run = ImportRun {
                format,
                files,
                rejected,
                dry_run,
                operator,
            };
            store.import_orders_in_one(orders, &run, progress)
        };
        if orders.len() >= BULK_LOAD && orders.len() as i64 > existing {
            self.with_rollback_journal(import)
        } else {
            import(self)
        }
    }

    /// [`Store::import_orders`] in its one transaction.
    fn import_orders_in_one(
        &mut self,
        orders: &[NewOrder],
        run: &ImportRun<'_>,
        progress: &mut dyn FnMut(u64) -> bool,
    ) -> Result<ImportSummary> {
        let ImportRun {
            format,
            files,
            rejected,
            dry_run,
            operator,
        } = *run;
        let begun = std::time::Instant::now();
        let now = now_text();
        let settings = self.settings()?;
        let tx = self.write()?;
        let matcher = ProductMatcher::load(&tx)?;
        let mut summary = ImportSummary {
            rejected,
            ..ImportSummary::default()
        };
        // Keyed by SKU; lines without one by their title, so that a dozen products without
        // SKUs are a dozen entries, not one under the first title met.
        let mut unmatched: BTreeMap<(String, String), UnmatchedSku> = BTreeMap::new();
        let source = format!("import {format}");
        let mut fresh: Vec<(i64, &NewOrder)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut next_id = next_order_id(&tx)?;
        let history = next_id > 1;
        for (n, order) in orders.iter().enumerate() {
            if n % 1000 == 0 && !progress(n as u64) {
                return Err(StoreError::Invalid(
                    "import cancelled: nothing was written".to_owned(),
                ));
            }
            // Into an empty file nothing is known: no need to look each order up.
            let old = if history { known(&tx, order)? } else { None };
            match old {
                Some(old) => {
                    let changes = update_known(
                        &tx,
                        &old,
                        order,
                        (operator, &now),
                        &settings,
                        &mut summary.flagged,
                    )?;
                    if changes.is_empty() {
                        summary.unchanged += 1;
                    } else {
                        summary.updated += 1;
                        summary
                            .changes
                            .push(format!("{}: {}", order.order_no, changes.join("; ")));
                    }
                }
                None => {
                    if !seen.insert((order.platform.as_str(), order.order_no.as_str())) {
                        return Err(StoreError::Invalid(format!(
                            "order {} of {} is twice in this import",
                            order.order_no, order.platform
                        )));
                    }
                    fresh.push((next_id, order));
                    next_id += 1;
                    summary.new += 1;
                    for line in &order.lines {
                        if matcher.find(&line.sku).is_none() {
                            let title_key = if line.sku.is_empty() {
                                line.title.clone()
                            } else {
                                String::new()
                            };
                            let entry = unmatched
                                .entry((line.sku.clone(), title_key))
                                .or_insert_with(|| UnmatchedSku {
                                    sku: line.sku.clone(),
                                    title: line.title.clone(),
                                    lines: 0,
                                });
                            entry.lines += 1;
                        }
                    }
                }
            }
        }
        // Progress runs to twice the order count: the checks above, then the writing, in
        // batches so a large import shows progress and can still be cancelled.
        let checked = orders.len() as u64;
        summary.timings.check = begun.elapsed();
        let mut clock = std::time::Instant::now();
        let wrote = std::cell::Cell::new(std::time::Duration::ZERO);
        // The new orders are new in this transaction, so none is archived: the triggers
        // that look each new line and event's order up for that are suspended meanwhile.
        let mut write = || -> Result<()> {
            let started = std::time::Instant::now();
            // Customers are brought up to date once after the load, not row by row.
            let first_new = next_order_id(&tx)?;
            let suspended = [
                &ARCHIVE_INSERT_TRIGGERS[..],
                &[super::manual::CUSTOMER_TRIGGER],
            ]
            .concat();
            let out = with_triggers_suspended(&tx, &suspended, || {
                let mut written = 0u64;
                for batch in fresh.chunks(5_000) {
                    write_orders(&tx, batch, &matcher, operator, &source, Some(&now))?;
                    written += batch.len() as u64;
                    if !progress(checked + written) {
                        return Err(StoreError::Invalid(
                            "import cancelled: nothing was written".to_owned(),
                        ));
                    }
                }
                Ok(())
            });
            let out = out.and_then(|()| super::manual::customers_from(&tx, first_new));
            wrote.set(started.elapsed());
            out
        };
        // A load bigger than the shop's order history (a first import): build the indexes
        // once at the end instead of growing them row by row.
        let existing: i64 = tx.query_row("SELECT count(*) FROM orders", [], |row| row.get(0))?;
        if fresh.len() >= BULK_LOAD && fresh.len() as i64 > existing {
            with_indexes_rebuilt(&tx, &SPARSE_FOR_IMPORT, write)?;
        } else if !fresh.is_empty() {
            write()?;
        }
        summary.timings.write = wrote.get();
        summary.timings.indexes = clock.elapsed().saturating_sub(wrote.get());
        clock = std::time::Instant::now();
        summary.unmatched = unmatched.into_values().collect();
        let files_text = files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        tx.execute(
            "INSERT INTO imports (at, operator, format, files, new, updated, unchanged, rejected)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                now,
                operator,
                format,
                files_text,
                summary.new as i64,
                summary.updated as i64,
                summary.unchanged as i64,
                summary.rejected as i64
            ],
        )?;
        if dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        summary.timings.commit = clock.elapsed();
        progress(2 * orders.len() as u64);
        Ok(summary)
    }

    /// SKUs on open orders' lines that match no product, most lines first; lines without
    /// a SKU grouped by their title.
    pub fn unmatched_skus(&self) -> Result<Vec<UnmatchedSku>> {
        let mut stmt = self.conn.prepare(
            "SELECT l.sku, MIN(l.title), count(*) FROM order_lines l
             JOIN orders o ON o.id = l.order_id
             WHERE l.product_id IS NULL AND o.state NOT IN ('archived', 'cancelled')
             GROUP BY l.sku, CASE WHEN l.sku = '' THEN l.title ELSE '' END
             ORDER BY count(*) DESC, l.sku, MIN(l.title)",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(UnmatchedSku {
                sku: row.get(0)?,
                title: row.get(1)?,
                lines: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Matches every unmatched line with this SKU to a product, in one action. Returns how
    /// many lines were matched. Archived orders keep their lines as they were.
    pub fn match_sku(&mut self, sku: &str, product_code: &str, operator: &str) -> Result<u64> {
        self.match_unmatched(sku, None, product_code, operator)
    }

    /// Matches every unmatched line of open and shipped orders with this SKU to a product
    /// (by its code), in one transaction; lines without a SKU are named by their title
    /// (`title`), so that matching one of them does not match every line without a SKU.
    /// Each order is logged. Returns how many lines were matched.
    pub fn match_unmatched(
        &mut self,
        sku: &str,
        title: Option<&str>,
        product_code: &str,
        operator: &str,
    ) -> Result<u64> {
        let sku = sku.trim();
        let title = if sku.is_empty() { title } else { None };
        if sku.is_empty() && title.is_none() {
            return Err(StoreError::Invalid(
                "a line without a SKU is matched by its title: name the title".to_owned(),
            ));
        }
        let title = title.unwrap_or("");
        let now = now_text();
        let tx = self.write()?;
        let product: i64 = tx
            .query_row(
                "SELECT id FROM products WHERE code = ?1",
                [product_code],
                |row| row.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no product with code {product_code}")))?;
        let orders: Vec<i64> = tx
            .prepare(
                "SELECT DISTINCT l.order_id FROM order_lines l JOIN orders o ON o.id = l.order_id
                 WHERE l.sku = ?1 AND (?1 <> '' OR l.title = ?2) AND l.product_id IS NULL
                   AND o.state <> 'archived'",
            )?
            .query_map(params![sku, title], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let matched = tx.execute(
            "UPDATE order_lines SET product_id = ?2
             WHERE sku = ?1 AND (?1 <> '' OR title = ?3) AND product_id IS NULL
               AND order_id IN (SELECT id FROM orders WHERE state <> 'archived')",
            params![sku, product, title],
        )?;
        for order in orders {
            log(
                &tx,
                order,
                operator,
                &now,
                LogKind::Match,
                &if sku.is_empty() {
                    format!("{title} → {product_code}")
                } else {
                    format!("SKU {sku} → {product_code}")
                },
            )?;
        }
        tx.commit()?;
        Ok(matched as u64)
    }

    /// Saves a named column mapping (JSON) for the generic CSV import.
    pub fn save_import_profile(
        &mut self,
        name: &str,
        mapping_json: &str,
        operator: &str,
    ) -> Result<()> {
        let tx = self.write()?;
        let before: String = tx
            .prepare_cached("SELECT mapping FROM import_profiles WHERE name = ?1")?
            .query_row([name.trim()], |row| row.get(0))
            .optional()?
            .unwrap_or_default();
        if before == mapping_json {
            return Ok(());
        }
        super::audit::record(
            &tx,
            operator,
            "import.profile",
            name.trim(),
            &before,
            mapping_json,
        )?;
        tx.execute(
            "INSERT INTO import_profiles (name, mapping, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET mapping = excluded.mapping,
                 updated_at = excluded.updated_at",
            params![name.trim(), mapping_json, now_text()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A saved column mapping (JSON) by name.
    pub fn import_profile(&self, name: &str) -> Result<String> {
        self.conn
            .query_row(
                "SELECT mapping FROM import_profiles WHERE name = ?1",
                [name.trim()],
                |row| row.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                let known = self.import_profile_names().unwrap_or_default();
                StoreError::NotFound(if known.is_empty() {
                    format!("no import profile named {name}; none is saved yet")
                } else {
                    format!(
                        "no import profile named {name}; saved: {}",
                        known.join(", ")
                    )
                })
            })
    }

    /// The names of the saved column mappings, sorted.
    pub fn import_profile_names(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM import_profiles ORDER BY name")?;
        let rows = stmt.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orders(n: usize) -> Vec<NewOrder> {
        (0..n)
            .map(|i| {
                let mut o =
                    NewOrder::new("taobao", &format!("9{i:08}"), "2026-11-20T10:00:00+08:00");
                o.receiver_name = "张伟".to_owned();
                o.lines.push(crate::domain::model::NewOrderLine {
                    sku: "CUP".to_owned(),
                    title: "杯子".to_owned(),
                    quantity: 1,
                    unit_price_cents: 100,
                    ..Default::default()
                });
                o
            })
            .collect()
    }

    /// A newer export that shows shipped an order we have not shipped: one not reviewed
    /// ships here too; one reviewed or printed is held, flagged red and remarked once.
    #[test]
    fn a_newer_export_showing_an_order_shipped() {
        let mut store = crate::store::testing::shop();
        let batch = orders(3);
        store
            .import_orders(&batch, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("import");
        for (no, state) in [("900000001", "approved"), ("900000002", "printed")] {
            store
                .conn
                .execute(
                    "UPDATE orders SET state = ?2 WHERE order_no = ?1",
                    [no, state],
                )
                .expect("state");
        }
        let newer: Vec<NewOrder> = batch
            .iter()
            .cloned()
            .map(|mut o| {
                o.state = OrderState::Shipped;
                o.platform_status = "卖家已发货，等待买家确认".to_owned();
                o
            })
            .collect();
        let row = |store: &Store, no: &str| -> (String, String, bool, String) {
            store
                .conn
                .query_row(
                    "SELECT state, flag, on_hold, seller_remark FROM orders WHERE order_no = ?1",
                    [no],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .expect("order")
        };
        let done = store
            .import_orders(&newer, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("newer");
        assert_eq!(done.updated, 3);
        assert_eq!(
            row(&store, "900000000"),
            (
                "shipped".to_owned(),
                "none".to_owned(),
                false,
                String::new()
            )
        );
        for (no, state) in [("900000001", "approved"), ("900000002", "printed")] {
            assert_eq!(
                row(&store, no),
                (
                    state.to_owned(),
                    "red".to_owned(),
                    true,
                    PLATFORM_SHIPPED_REMARK.to_owned()
                ),
                "{no}"
            );
        }
        // The same export again changes nothing more, even once a person has released the
        // orders and changed their remarks.
        let again = store
            .import_orders(&newer, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("again");
        assert_eq!((again.updated, again.unchanged), (0, 3));
        store
            .conn
            .execute(
                "UPDATE orders SET on_hold = 0, flag = 'none', seller_remark = '已核对'",
                [],
            )
            .expect("released");
        let again = store
            .import_orders(&newer, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("again");
        assert_eq!((again.updated, again.unchanged), (0, 3), "{again:?}");
        assert!(store.check().expect("check").is_empty());
    }

    /// A newer export that holds an order (an after-sales request in progress): held here
    /// too, flagged and remarked, once; a shipped order is left as it is.
    #[test]
    fn a_newer_export_holding_an_order() {
        let mut store = crate::store::testing::shop();
        let batch = orders(2);
        store
            .import_orders(&batch, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("import");
        store
            .conn
            .execute(
                "UPDATE orders SET state = 'shipped' WHERE order_no = '900000001'",
                [],
            )
            .expect("shipped");
        let newer: Vec<NewOrder> = batch
            .iter()
            .cloned()
            .map(|mut o| {
                o.on_hold = true;
                o.flag = Flag::Purple;
                o.seller_remark = "售后：退款中".to_owned();
                o
            })
            .collect();
        let done = store
            .import_orders(&newer, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("newer");
        assert_eq!((done.updated, done.unchanged), (1, 1));
        let row = |store: &Store, no: &str| -> (bool, String, String) {
            store
                .conn
                .query_row(
                    "SELECT on_hold, flag, seller_remark FROM orders WHERE order_no = ?1",
                    [no],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .expect("order")
        };
        assert_eq!(
            row(&store, "900000000"),
            (true, "purple".to_owned(), "售后：退款中".to_owned())
        );
        assert_eq!(
            row(&store, "900000001"),
            (false, "none".to_owned(), String::new())
        );
        let again = store
            .import_orders(&newer, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("again");
        assert_eq!((again.updated, again.unchanged), (0, 2));
        // Released and remarked by a person: the same export does not hold it again.
        let checked = |store: &Store| {
            store
                .conn
                .execute(
                    "UPDATE orders SET on_hold = 0, flag = 'none', seller_remark = '已核对'
                     WHERE order_no = '900000000'",
                    [],
                )
                .expect("released")
        };
        checked(&store);
        let again = store
            .import_orders(&newer, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("again");
        assert_eq!((again.updated, again.unchanged), (0, 2), "{again:?}");
        assert!(!row(&store, "900000000").0);
        // Held again by the platform after it had dropped the request: held again here.
        store
            .conn
            .execute(
                "UPDATE orders SET on_hold = 1, seller_remark = '售后：退款中'
                 WHERE order_no = '900000000'",
                [],
            )
            .expect("held");
        let ended = store
            .import_orders(&batch, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("ended");
        assert_eq!(ended.updated, 1, "the request withdrawn: said once");
        assert!(row(&store, "900000000").0, "the hold is left to a person");
        let again = store
            .import_orders(&batch, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("again");
        assert_eq!((again.updated, again.unchanged), (0, 2));
        checked(&store);
        let raised = store
            .import_orders(&newer, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("raised");
        assert_eq!(raised.updated, 1, "{raised:?}");
        assert!(row(&store, "900000000").0, "raised again: held again");
    }

    fn addressed(n: usize) -> Vec<NewOrder> {
        let mut batch = orders(n);
        for o in &mut batch {
            o.buyer_id = "buyer-1".to_owned();
            o.receiver_phone = "13800000000".to_owned();
            o.province = "浙江省".to_owned();
            o.city = "杭州市".to_owned();
            o.district = "西湖区".to_owned();
            o.address = "文三路 1号".to_owned();
            o.payment_status = PaymentStatus::Paid;
            o.paid_cents = 100;
        }
        batch
    }

    fn import(store: &mut Store, batch: &[NewOrder]) -> ImportSummary {
        store
            .import_orders(batch, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("import")
    }

    fn id_of(store: &Store, no: &str) -> i64 {
        store
            .conn
            .query_row("SELECT id FROM orders WHERE order_no = ?1", [no], |r| {
                r.get(0)
            })
            .expect("id")
    }

    /// An order merged into another: re-importing it changes nothing (the main order's
    /// amounts are the sums); closed on the platform, the main order that carries its goods
    /// is held, flagged red and remarked, once.
    #[test]
    fn a_newer_export_and_a_merged_order() {
        let mut store = crate::store::testing::shop();
        let batch = addressed(2);
        import(&mut store, &batch);
        let (main, other) = (id_of(&store, "900000000"), id_of(&store, "900000001"));
        store.merge_orders(main, &[other], "owner").expect("merge");
        let again = import(&mut store, &batch);
        assert_eq!((again.updated, again.unchanged), (0, 2), "{again:?}");
        let paid: i64 = store
            .conn
            .query_row("SELECT paid_cents FROM orders WHERE id = ?1", [main], |r| {
                r.get(0)
            })
            .expect("paid");
        assert_eq!(paid, 200);
        let mut newer = batch.clone();
        newer[1].state = OrderState::Cancelled;
        newer[1].platform_status = "交易关闭".to_owned();
        let done = import(&mut store, &newer);
        assert_eq!(done.updated, 1);
        let (hold, flag, remark): (bool, String, String) = store
            .conn
            .query_row(
                "SELECT on_hold, flag, seller_remark FROM orders WHERE id = ?1",
                [main],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .expect("main");
        assert!(hold);
        assert_eq!(flag, "red");
        assert!(
            remark.starts_with("合并单 900000001：平台已关闭"),
            "{remark}"
        );
        let closed: Option<String> = store
            .conn
            .query_row(
                "SELECT platform_closed_at FROM orders WHERE id = ?1",
                [other],
                |r| r.get(0),
            )
            .expect("merged");
        assert!(closed.is_some(), "the batch-ship file leaves it out");
        assert_eq!(done.flagged, ["900000000"]);
        let again = import(&mut store, &newer);
        assert_eq!((again.updated, again.unchanged), (0, 2), "{again:?}");
    }

    /// What an import held or flagged and a person released stays released when the same
    /// export comes again; a platform hold dropped while the order was released already is
    /// said, and raised again it holds again.
    #[test]
    fn what_a_person_released_stays_released() {
        let mut store = crate::store::testing::shop();
        let batch = addressed(2);
        import(&mut store, &batch);
        store
            .conn
            .execute(
                "UPDATE orders SET state = 'printed' WHERE order_no = '900000000'",
                [],
            )
            .expect("printed");
        let mut newer = batch.clone();
        newer[0].state = OrderState::Cancelled;
        newer[0].platform_status = "交易关闭".to_owned();
        newer[1].on_hold = true;
        newer[1].flag = Flag::Purple;
        newer[1].seller_remark = "售后：退款中".to_owned();
        assert_eq!(import(&mut store, &newer).updated, 2);
        let state = |store: &Store, no: &str| -> (bool, String) {
            store
                .conn
                .query_row(
                    "SELECT on_hold, flag FROM orders WHERE order_no = ?1",
                    [no],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .expect("order")
        };
        assert_eq!(state(&store, "900000000"), (true, "red".to_owned()));
        assert_eq!(state(&store, "900000001"), (true, "purple".to_owned()));
        let release = |store: &Store| {
            store
                .conn
                .execute("UPDATE orders SET on_hold = 0, flag = 'none'", [])
                .expect("released")
        };
        release(&store);
        let again = import(&mut store, &newer);
        assert_eq!((again.updated, again.unchanged), (0, 2), "{again:?}");
        assert_eq!(state(&store, "900000000"), (false, "none".to_owned()));
        // The platform drops the request (the order released already): said; raised again:
        // held again.
        let mut dropped = newer.clone();
        dropped[1] = batch[1].clone();
        assert_eq!(import(&mut store, &dropped).updated, 1);
        assert_eq!(state(&store, "900000001"), (false, "none".to_owned()));
        assert_eq!(import(&mut store, &newer).updated, 1);
        assert!(state(&store, "900000001").0, "raised again: held");
    }

    /// An export older than the one imported last never undoes a refund: said once.
    #[test]
    fn an_older_export_never_undoes_a_refund() {
        let mut store = crate::store::testing::shop();
        let batch = addressed(1);
        import(&mut store, &batch);
        let mut newer = batch.clone();
        newer[0].payment_status = PaymentStatus::Refunded;
        newer[0].refunded_cents = 100;
        assert_eq!(import(&mut store, &newer).updated, 1);
        let older = import(&mut store, &batch);
        assert_eq!(older.updated, 1, "said: {older:?}");
        let (payment, refunded): (String, i64) = store
            .conn
            .query_row(
                "SELECT payment_status, refunded_cents FROM orders WHERE order_no = '900000000'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("order");
        assert_eq!((payment.as_str(), refunded), ("refunded", 100));
        let again = import(&mut store, &batch);
        assert_eq!((again.updated, again.unchanged), (0, 1), "said once");
    }

    /// A reviewed order with a new receiver goes back to review; a masked receiver never
    /// replaces a full one; the platform reporting our own waybill's parcel shipped holds
    /// nothing; another tracking number is said once.
    #[test]
    fn a_newer_export_reviewed_masked_and_own_tracking() {
        let mut store = crate::store::testing::shop();
        let mut batch = addressed(4);
        for o in &mut batch {
            o.buyer_id.clear();
        }
        import(&mut store, &batch);
        for (no, state, tracking) in [
            ("900000000", "approved", ""),
            ("900000002", "printed", "ZT100"),
            ("900000003", "printed", "ZT200"),
        ] {
            store
                .conn
                .execute(
                    "UPDATE orders SET state = ?2, tracking_no = ?3 WHERE order_no = ?1",
                    [no, state, tracking],
                )
                .expect("state");
        }
        let mut newer = batch.clone();
        newer[0].address = "文三路 9号".to_owned();
        newer[1].receiver_name = "张**".to_owned();
        newer[1].receiver_phone = "138****0000".to_owned();
        newer[2].state = OrderState::Shipped;
        newer[2].tracking_no = "ZT100".to_owned();
        newer[3].tracking_no = "YT999".to_owned();
        let done = import(&mut store, &newer);
        assert_eq!((done.updated, done.unchanged), (2, 2), "{done:?}");
        let row = |no: &str| -> (String, String, bool, String) {
            store
                .conn
                .query_row(
                    "SELECT state, receiver_name || ' ' || address, on_hold, flag
                     FROM orders WHERE order_no = ?1",
                    [no],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .expect("order")
        };
        assert_eq!(
            row("900000000"),
            (
                "pending_review".to_owned(),
                "张伟 文三路 9号".to_owned(),
                false,
                "none".to_owned()
            ),
            "reviewed with the old receiver: back to review"
        );
        assert_eq!(row("900000001").1, "张伟 文三路 1号", "masked: not taken");
        assert_eq!(
            row("900000002"),
            (
                "printed".to_owned(),
                "张伟 文三路 1号".to_owned(),
                false,
                "none".to_owned()
            ),
            "our own parcel: nothing to check"
        );
        let again = import(&mut store, &newer);
        assert_eq!(
            (again.updated, again.unchanged),
            (0, 4),
            "another tracking number is said once: {again:?}"
        );
        assert!(store.check().expect("check").is_empty());
    }

    /// A newer export with another receiver: taken on an open order, with a red flag and
    /// a hold when it was printed; an edit made here wins; shipped orders keep theirs; the
    /// same address split differently is no change.
    #[test]
    fn a_newer_export_with_another_receiver() {
        let mut store = crate::store::testing::shop();
        let mut batch = orders(5);
        for o in &mut batch {
            o.receiver_phone = "13800000000".to_owned();
            o.province = "浙江省".to_owned();
            o.city = "杭州市".to_owned();
            o.district = "西湖区".to_owned();
            o.address = "文三路 1号".to_owned();
        }
        store
            .import_orders(&batch, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("import");
        let id = |store: &Store, no: &str| -> i64 {
            store
                .conn
                .query_row("SELECT id FROM orders WHERE order_no = ?1", [no], |r| {
                    r.get(0)
                })
                .expect("id")
        };
        for (no, state) in [("900000001", "printed"), ("900000003", "shipped")] {
            store
                .conn
                .execute(
                    "UPDATE orders SET state = ?2 WHERE order_no = ?1",
                    [no, state],
                )
                .expect("state");
        }
        let edit = ReceiverEdit {
            receiver_name: "张伟".to_owned(),
            receiver_phone: "13900000000".to_owned(),
            receiver_phone2: String::new(),
            province: "浙江省".to_owned(),
            city: "杭州市".to_owned(),
            district: "西湖区".to_owned(),
            address: "文三路 2号".to_owned(),
            postcode: String::new(),
        };
        let edited = id(&store, "900000002");
        store
            .update_receiver(edited, &edit, "service")
            .expect("edit here");
        let mut newer = batch.clone();
        for o in &mut newer[..4] {
            o.receiver_name = "张薇".to_owned();
            o.district = "滨江区".to_owned();
            o.address = "江南大道 100号".to_owned();
        }
        // The fifth: the same address, split another way.
        newer[4].district = String::new();
        newer[4].address = "西湖区 文三路 1号".to_owned();
        let done = store
            .import_orders(&newer, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("newer");
        assert_eq!((done.updated, done.unchanged), (2, 3));
        let row = |store: &Store, no: &str| -> (String, String, String, bool) {
            store
                .conn
                .query_row(
                    "SELECT receiver_name, district || ' ' || address, flag, on_hold
                     FROM orders WHERE order_no = ?1",
                    [no],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .expect("order")
        };
        let row = |no: &str| {
            let (name, address, flag, hold) = row(&store, no);
            (name, address, flag, hold)
        };
        let taken = ("张薇".to_owned(), "滨江区 江南大道 100号".to_owned());
        let kept = ("张伟".to_owned(), "西湖区 文三路 1号".to_owned());
        assert_eq!(
            row("900000000"),
            (taken.0.clone(), taken.1.clone(), "none".to_owned(), false)
        );
        assert_eq!(
            row("900000001"),
            (taken.0.clone(), taken.1.clone(), "red".to_owned(), true),
            "printed: taken, held and flagged"
        );
        assert_eq!(
            row("900000002"),
            (
                "张伟".to_owned(),
                "西湖区 文三路 2号".to_owned(),
                "none".to_owned(),
                false
            ),
            "edited here: kept"
        );
        assert_eq!(
            row("900000003"),
            (kept.0.clone(), kept.1.clone(), "none".to_owned(), false),
            "shipped: kept"
        );
        assert_eq!(
            row("900000004"),
            (kept.0, kept.1, "none".to_owned(), false),
            "the same address split another way"
        );
        // The same export again changes nothing more.
        let again = store
            .import_orders(&newer, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("again");
        assert_eq!((again.updated, again.unchanged), (0, 5));
        let found = store
            .query_orders(&crate::store::OrderQuery {
                search: "张薇".to_owned(),
                ..Default::default()
            })
            .expect("search");
        assert_eq!(found.len(), 2, "the search follows the new name");
    }

    /// The indexes a bulk import keeps instead of rebuilding exist and are partial (a
    /// renamed one would silently be rebuilt, a full one would cost every row).
    #[test]
    fn the_indexes_kept_during_a_bulk_import_exist_and_are_partial() {
        let store = crate::store::testing::shop();
        for name in SPARSE_FOR_IMPORT {
            let sql: String = store
                .conn
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1",
                    [name],
                    |r| r.get(0),
                )
                .unwrap_or_else(|e| panic!("index {name}: {e}"));
            assert!(sql.contains(" WHERE "), "{name} is not partial: {sql}");
        }
    }

    #[test]
    fn preview_writes_nothing_and_commit_is_idempotent() {
        let mut store = crate::store::testing::shop();
        let batch = orders(30);
        let preview = store
            .import_orders(&batch, "taobao", &[], 0, true, "owner", &mut |_| true)
            .expect("preview");
        assert_eq!((preview.new, preview.unchanged), (30, 0));
        assert_eq!(store.counts().expect("counts").1, 0);
        let done = store
            .import_orders(&batch, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("import");
        assert_eq!(done.new, 30);
        assert!(done.unmatched.is_empty(), "CUP is a product");
        let again = store
            .import_orders(&batch, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("import");
        assert_eq!((again.new, again.unchanged), (0, 30));
        assert_eq!(store.counts().expect("counts").1, 30);
    }

    #[test]
    fn lines_without_a_sku_are_grouped_by_title() {
        let mut store = crate::store::testing::shop();
        let line = |sku: &str, title: &str| crate::domain::model::NewOrderLine {
            sku: sku.to_owned(),
            title: title.to_owned(),
            quantity: 1,
            unit_price_cents: 100,
            ..Default::default()
        };
        let mut batch = orders(3);
        batch[0].lines = vec![line("", "Gift Card - $10"), line("", "Tote bag")];
        batch[1].lines = vec![line("", "Gift Card - $10"), line("NOPE", "Mystery")];
        batch[2].lines = vec![line("", "Tote bag"), line("NOPE", "Mystery again")];
        let done = store
            .import_orders(&batch, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("import");
        let summary: Vec<(&str, &str, i64)> = done
            .unmatched
            .iter()
            .map(|u| (u.sku.as_str(), u.title.as_str(), u.lines))
            .collect();
        assert_eq!(
            summary,
            [
                ("", "Gift Card - $10", 2),
                ("", "Tote bag", 2),
                ("NOPE", "Mystery", 2)
            ]
        );
        let open: Vec<(String, String, i64)> = store
            .unmatched_skus()
            .expect("unmatched")
            .into_iter()
            .map(|u| (u.sku, u.title, u.lines))
            .collect();
        let expected = [
            ("", "Gift Card - $10", 2),
            ("", "Tote bag", 2),
            ("NOPE", "Mystery", 2),
        ]
        .map(|(s, t, n)| (s.to_owned(), t.to_owned(), n));
        assert_eq!(open, expected);
    }

    #[test]
    fn cancelling_while_writing_leaves_nothing() {
        let mut store = crate::store::testing::shop();
        let batch = orders(12_000);
        let mut last = 0;
        let result = store.import_orders(&batch, "taobao", &[], 0, false, "owner", &mut |n| {
            last = n;
            // Go on through the checks, stop in the middle of the writing.
            n < 12_000 + 6_000
        });
        assert!(result.is_err());
        assert!(last > 12_000, "progress reached the writing phase: {last}");
        assert_eq!(store.counts().expect("counts").1, 0);
    }
    fn schema_guards(store: &Store) -> (Vec<String>, String) {
        let mut stmt = store
            .conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")
            .expect("prepare");
        let triggers = stmt
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<Vec<String>>>()
            .expect("rows");
        let mode = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("mode");
        (triggers, mode)
    }

    /// A bulk load on a file suspends the archive insert triggers, drops indexes and leaves
    /// the WAL; afterwards (committed or cancelled) the file has them all back.
    #[test]
    fn bulk_import_on_a_file_restores_triggers_indexes_and_wal() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = Store::open(&dir.path().join("shop.db")).expect("open");
        let before = schema_guards(&store);
        assert_eq!(before.1, "wal");
        assert!(
            before
                .0
                .iter()
                .any(|t| t == "order_lines_archived_no_insert")
        );
        let indexes = |store: &Store| -> i64 {
            store
                .conn
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'index'",
                    [],
                    |r| r.get(0),
                )
                .expect("indexes")
        };
        let index_count = indexes(&store);
        let batch = orders(BULK_LOAD + 10);
        let cancelled = store.import_orders(&batch, "taobao", &[], 0, false, "owner", &mut |n| {
            n < batch.len() as u64 + 5
        });
        assert!(cancelled.is_err());
        assert_eq!(schema_guards(&store), before);
        assert_eq!(indexes(&store), index_count);
        // Another connection on the file (the window's) keeps the WAL: still imports.
        let other = Store::open(&dir.path().join("shop.db")).expect("second connection");
        let done = store
            .import_orders(&batch, "taobao", &[], 0, false, "owner", &mut |_| true)
            .expect("import");
        drop(other);
        assert_eq!(done.new, batch.len() as u64);
        assert_eq!(schema_guards(&store), before);
        assert_eq!(indexes(&store), index_count);
        assert!(store.check().expect("check").is_empty());
    }
}
