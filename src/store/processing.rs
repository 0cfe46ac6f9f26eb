//! Order processing: review with its checks, the review queue, receiver edits,
//! merge proposals, splitting, remarks. The life-cycle events themselves (cancel, hold,
//! payment received, archive…), merging and flags live in `orders.rs`.
//!
//! Review runs one transaction per order (`apply_event`), so a batch that fails half-way
//! keeps the orders already approved, and every approval is logged on its own. The checks
//! read theoretical stock once per batch and count what the batch itself reserves, so two
//! orders cannot both take the last cup.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::orders::{MERGE_COLUMNS, ROW_COLUMNS, index_order, log, merge_candidate_row, order_row};
use super::products::{explode_lines, single_figures};
use super::{OrderQuery, OrderRow, OrderSort, Result, Store, StoreError, now_text};
use crate::domain::LogKind;
use crate::domain::merge::{MergeCandidate, propose_merges};
use crate::domain::model::NewOrder;
use crate::domain::review::{ReviewInput, ReviewItem, ReviewLine, ReviewProblem, review_problems};
use crate::domain::stock::StockFigures;
use crate::domain::{Event, OrderState};

/// What happened to one order of a review batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewOutcome {
    pub id: i64,
    pub order_no: String,
    /// Approved now (its stock is reserved).
    pub approved: bool,
    /// Why it was left as it was; empty when approved.
    pub problems: Vec<ReviewProblem>,
}

/// New receiver and address for an order (every field is replaced; trimmed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReceiverEdit {
    pub receiver_name: String,
    pub receiver_phone: String,
    pub receiver_phone2: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub address: String,
    pub postcode: String,
}

/// The receiver columns, in the order of [`ReceiverEdit::fields`].
pub(super) const RECEIVER_COLUMNS: [&str; 8] = [
    "receiver_name",
    "receiver_phone",
    "receiver_phone2",
    "province",
    "city",
    "district",
    "address",
    "postcode",
];

impl ReceiverEdit {
    fn fields(&self) -> [&str; 8] {
        [
            self.receiver_name.trim(),
            self.receiver_phone.trim(),
            self.receiver_phone2.trim(),
            self.province.trim(),
            self.city.trim(),
            self.district.trim(),
            self.address.trim(),
            self.postcode.trim(),
        ]
    }
}

/// Theoretical stock per single product, minus what this batch has approved so far.
struct StockView {
    figures: HashMap<i64, StockFigures>,
    taken: HashMap<i64, i64>,
    codes: HashMap<i64, String>,
}

impl StockView {
    fn load(store: &Store) -> Result<StockView> {
        let settings = store.settings()?;
        let figures = single_figures(&store.conn, &settings.sellable)?;
        let mut codes = HashMap::new();
        let mut stmt = store.conn.prepare_cached("SELECT id, code FROM products")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            codes.insert(row.get::<_, i64>(0)?, row.get::<_, String>(1)?);
        }
        Ok(StockView {
            figures,
            taken: HashMap::new(),
            codes,
        })
    }

    fn available(&self, product: i64) -> i64 {
        let theoretical = self
            .figures
            .get(&product)
            .map(StockFigures::theoretical)
            .unwrap_or_default();
        theoretical - self.taken.get(&product).copied().unwrap_or_default()
    }
}

/// The review input of one order and the single items it needs `(product id, quantity)`.
fn review_input(
    conn: &Connection,
    id: i64,
    stock: &StockView,
) -> Result<(ReviewInput, Vec<(i64, i64)>)> {
    let found = conn
        .prepare_cached(
            "SELECT o.order_no, o.state, o.on_hold,
                    (SELECT m.order_no FROM orders m WHERE m.id = o.merged_into),
                    o.receiver_name, o.receiver_phone, o.receiver_phone2, o.province, o.city,
                    o.district, o.address
             FROM orders o WHERE o.id = ?1",
        )?
        .query_row([id], |row| {
            let mut input = ReviewInput::new(&row.get::<_, String>(0)?);
            let state: String = row.get(1)?;
            input.state = OrderState::from_code(&state).unwrap_or(OrderState::PendingReview);
            input.on_hold = row.get(2)?;
            input.merged_into = row.get(3)?;
            input.receiver_name = row.get(4)?;
            input.phones = vec![row.get(5)?, row.get(6)?];
            input.province = row.get(7)?;
            input.city = row.get(8)?;
            input.district = row.get(9)?;
            input.address = row.get(10)?;
            Ok(input)
        })
        .optional()?;
    let Some(mut input) = found else {
        return Err(StoreError::NotFound(format!("no order with id {id}")));
    };
    if input.merged_into.is_some() {
        // Its lines ship with the main order; only "merged away" is worth saying.
        input.lines.push(ReviewLine {
            matched: true,
            ..ReviewLine::default()
        });
        return Ok((input, Vec::new()));
    }
    let mut matched = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT sku, title, product_id, quantity FROM order_lines WHERE order_id = ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([id])?;
    while let Some(row) = rows.next()? {
        let product: Option<i64> = row.get(2)?;
        input.lines.push(ReviewLine {
            sku: row.get(0)?,
            title: row.get(1)?,
            matched: product.is_some(),
        });
        if let Some(product) = product {
            matched.push((product, row.get::<_, i64>(3)?));
        }
    }
    let needs = explode_lines(conn, &matched)?;
    input.items = needs
        .iter()
        .map(|&(product, needed)| ReviewItem {
            product_code: stock.codes.get(&product).cloned().unwrap_or_default(),
            needed,
            available: stock.available(product),
        })
        .collect();
    Ok((input, needs))
}

/// The state, number and main order of an order, refusing what may no longer change.
pub(super) fn editable(tx: &Transaction<'_>, id: i64, what: &str) -> Result<(String, OrderState)> {
    let found: Option<(String, String, Option<String>)> = tx
        .query_row(
            "SELECT o.order_no, o.state,
                    (SELECT m.order_no FROM orders m WHERE m.id = o.merged_into)
             FROM orders o WHERE o.id = ?1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let Some((order_no, state, main)) = found else {
        return Err(StoreError::NotFound(format!("no order with id {id}")));
    };
    let state = OrderState::from_code(&state).unwrap_or(OrderState::PendingReview);
    if state == OrderState::Archived {
        return Err(StoreError::Invalid(format!(
            "order {order_no} is archived and cannot change"
        )));
    }
    if let Some(main) = main {
        return Err(StoreError::Invalid(format!(
            "order {order_no} is merged into order {main}: {what} on {main}, or unmerge first"
        )));
    }
    Ok((order_no, state))
}

/// Refuses a change that must happen before printing.
pub(super) fn before_printing(order_no: &str, state: OrderState, what: &str) -> Result<()> {
    if state.is_editable() {
        return Ok(());
    }
    let why = match state {
        OrderState::Printed => "its waybill is printed: void the print (reopen) first",
        OrderState::Cancelled => "it is cancelled: reopen it first",
        _ => "it has left the warehouse",
    };
    Err(StoreError::Invalid(format!(
        "cannot {what} order {order_no}: {why}"
    )))
}

/// Writes a receiver edit inside the caller's transaction, on the order and on the orders
/// merged into it, each logged old → new under `kind` (an edit here, or an import) and
/// re-indexed for the search. False when nothing changed (nothing is written). The caller
/// has checked that the order may change.
pub(super) fn set_receiver_in(
    tx: &Transaction<'_>,
    id: i64,
    order_no: &str,
    edit: &ReceiverEdit,
    (operator, kind): (&str, LogKind),
    now: &str,
) -> Result<bool> {
    let new = edit.fields();
    if new[0].chars().count() > 100 || new.iter().any(|f| f.chars().count() > 500) {
        return Err(StoreError::Invalid(format!(
            "order {order_no}: a receiver field is too long"
        )));
    }
    let old: Vec<String> = tx.query_row(
        &format!(
            "SELECT {} FROM orders WHERE id = ?1",
            RECEIVER_COLUMNS.join(", ")
        ),
        [id],
        |row| (0..RECEIVER_COLUMNS.len()).map(|i| row.get(i)).collect(),
    )?;
    let changes: Vec<String> = RECEIVER_COLUMNS
        .iter()
        .zip(old.iter().zip(new))
        .filter(|(_, (old, new))| old.as_str() != *new)
        .map(|(column, (old, new))| format!("{column}: {old} → {new}"))
        .collect();
    if changes.is_empty() {
        return Ok(false);
    }
    let ids: Vec<i64> = tx
        .prepare("SELECT id FROM orders WHERE id = ?1 OR merged_into = ?1 ORDER BY id")?
        .query_map([id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for target in ids {
        log(tx, target, operator, now, kind, &changes.join("; "))?;
        tx.execute(
            "UPDATE orders SET receiver_name = ?2, receiver_phone = ?3, receiver_phone2 = ?4,
                 province = ?5, city = ?6, district = ?7, address = ?8, postcode = ?9,
                 updated_at = ?10 WHERE id = ?1",
            params![
                target, new[0], new[1], new[2], new[3], new[4], new[5], new[6], new[7], now
            ],
        )?;
        reindex(tx, target)?;
    }
    Ok(true)
}

impl Store {
    /// Reviews (审核) orders: each is checked by `domain::review::review_problems` and, when
    /// nothing is wrong, approved through `apply_event(id, Event::Review)` (stock reserved,
    /// event logged), one transaction per order. Orders with problems stay pending and
    /// come back with their reasons. Outcomes are in the order of `ids`.
    pub fn review_orders(&mut self, ids: &[i64], operator: &str) -> Result<Vec<ReviewOutcome>> {
        let mut stock = StockView::load(self)?;
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            let (input, needs) = review_input(&self.conn, id, &stock)?;
            let mut problems = review_problems(&input);
            let mut approved = false;
            if problems.is_empty() {
                match self.apply_event(id, Event::Review, operator) {
                    Ok(_) => {
                        approved = true;
                        for (product, quantity) in needs {
                            *stock.taken.entry(product).or_default() += quantity;
                        }
                    }
                    Err(StoreError::Refused(refusal)) => {
                        problems.push(ReviewProblem::refused(&input.order_no, &refusal))
                    }
                    Err(other) => return Err(other),
                }
            }
            out.push(ReviewOutcome {
                id,
                order_no: input.order_no,
                approved,
                problems,
            });
        }
        Ok(out)
    }

    /// What keeps one order from approval now (empty: it may be approved).
    pub fn review_problems(&self, id: i64) -> Result<Vec<ReviewProblem>> {
        let stock = StockView::load(self)?;
        let (input, _) = review_input(&self.conn, id, &stock)?;
        Ok(review_problems(&input))
    }

    /// The review queue: orders pending review, oldest first, each with its problems.
    /// Each order is judged alone against today's theoretical stock (approving one may
    /// leave too little for the next: `review_orders` accounts for that).
    pub fn review_queue(&self, limit: u32) -> Result<Vec<(OrderRow, Vec<ReviewProblem>)>> {
        let rows = self.query_orders(&OrderQuery {
            state: Some(OrderState::PendingReview),
            sort: OrderSort::OldestFirst,
            limit,
            ..OrderQuery::default()
        })?;
        let stock = StockView::load(self)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let (input, _) = review_input(&self.conn, row.id, &stock)?;
            out.push((row, review_problems(&input)));
        }
        Ok(out)
    }

    /// Changes an order's receiver and address before printing. Orders merged into it
    /// ship with it and get the same receiver. Logged field by field (old → new); the
    /// search index is rewritten. Nothing changed: nothing written.
    pub fn update_receiver(&mut self, id: i64, edit: &ReceiverEdit, operator: &str) -> Result<()> {
        let now = now_text();
        let tx = self.write()?;
        let (order_no, state) = editable(&tx, id, "edit the receiver")?;
        before_printing(&order_no, state, "edit the receiver of")?;
        if set_receiver_in(
            &tx,
            id,
            &order_no,
            edit,
            (operator, LogKind::Receiver),
            &now,
        )? {
            tx.commit()?;
        }
        Ok(())
    }

    /// Groups of open orders (pending review or approved, not on hold, not merged) of the
    /// same buyer to the same address, in the same state: what could ship together.
    /// Reads only open orders (through the state index), so it stays quick on a big shop.
    pub fn merge_proposals(&self) -> Result<Vec<Vec<OrderRow>>> {
        let open = super::order_query::state_in(
            "orders",
            &[OrderState::PendingReview, OrderState::Approved],
        );
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {MERGE_COLUMNS} FROM orders
             WHERE {open} AND merged_into IS NULL AND on_hold = 0"
        ))?;
        let candidates = stmt
            .query_map([], merge_candidate_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // An empty buyer id says nothing about who bought: never group on it.
        let candidates: Vec<MergeCandidate> = candidates
            .into_iter()
            .filter(|c| !c.buyer_id.trim().is_empty())
            .collect();
        let mut row_stmt = self.conn.prepare_cached(&format!(
            "SELECT {ROW_COLUMNS} FROM orders o WHERE o.id = ?1"
        ))?;
        let mut out = Vec::new();
        for group in propose_merges(&candidates) {
            let rows = group
                .iter()
                .map(|id| row_stmt.query_row([id], order_row))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            out.push(rows);
        }
        Ok(out)
    }

    /// The ids of an order's lines, in the order `order_detail` lists them (for choosing
    /// the lines to split off).
    pub fn order_line_ids(&self, id: i64) -> Result<Vec<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM order_lines WHERE order_id = ?1 ORDER BY id")?
            .query_map([id], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Splits an order before printing: the chosen lines move to a new order numbered
    /// `{order_no}-2` (or -3, …) on the same platform, in the same state, with the same
    /// buyer, receiver, flag and remark. Goods, discount, paid and refunded amounts are
    /// shared in proportion to the lines' value; postage stays on the original. Returns
    /// the new order's id. An order with orders merged into it must be unmerged first.
    pub fn split_order(&mut self, id: i64, line_ids: &[i64], operator: &str) -> Result<i64> {
        let now = now_text();
        let tx = self.write()?;
        let (order_no, state) = editable(&tx, id, "split")?;
        before_printing(&order_no, state, "split")?;
        let merged: i64 = tx.query_row(
            "SELECT count(*) FROM orders WHERE merged_into = ?1",
            [id],
            |row| row.get(0),
        )?;
        if merged > 0 {
            return Err(StoreError::Invalid(format!(
                "order {order_no} has orders merged into it: unmerge them first, then split"
            )));
        }
        let lines: Vec<(i64, i64)> = tx
            .prepare("SELECT id, quantity * unit_price_cents FROM order_lines WHERE order_id = ?1")?
            .query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut chosen: Vec<i64> = line_ids.to_vec();
        chosen.sort_unstable();
        chosen.dedup();
        if let Some(stranger) = chosen
            .iter()
            .find(|l| !lines.iter().any(|(id, _)| id == *l))
        {
            return Err(StoreError::Invalid(format!(
                "line {stranger} is not a line of order {order_no}"
            )));
        }
        if chosen.is_empty() {
            return Err(StoreError::Invalid(format!(
                "choose the lines of order {order_no} to split off"
            )));
        }
        if chosen.len() == lines.len() {
            return Err(StoreError::Invalid(format!(
                "order {order_no}: keep at least one line on the original order"
            )));
        }
        let total_value: i64 = lines.iter().map(|(_, v)| v).sum();
        let moved_value: i64 = lines
            .iter()
            .filter(|(id, _)| chosen.contains(id))
            .map(|(_, v)| v)
            .sum();
        let share = |amount: i64| -> i64 {
            if total_value <= 0 {
                return 0;
            }
            (i128::from(amount) * i128::from(moved_value) / i128::from(total_value)) as i64
        };
        let (platform, goods, discount, paid, refunded): (String, i64, i64, i64, i64) = tx
            .query_row(
                "SELECT platform, goods_cents, discount_cents, paid_cents, refunded_cents
                 FROM orders WHERE id = ?1",
                [id],
                |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                    ))
                },
            )?;
        let mut n = 2;
        let new_no = loop {
            let candidate = format!("{order_no}-{n}");
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM orders WHERE platform = ?1 AND order_no = ?2)",
                params![platform, candidate],
                |row| row.get(0),
            )?;
            if !taken {
                break candidate;
            }
            n += 1;
        };
        let (new_goods, new_discount, new_paid, new_refunded) =
            (share(goods), share(discount), share(paid), share(refunded));
        // The discount may not exceed what the goods of either part are worth.
        let new_discount = new_discount.min(new_goods);
        let new_id: i64 = tx.query_row(
            "INSERT INTO orders (platform, order_no, buyer_id, buyer_name, receiver_name,
                 receiver_phone, receiver_phone2, province, city, district, address, postcode,
                 buyer_message, seller_remark, flag, goods_cents, postage_cents, discount_cents,
                 paid_cents, refunded_cents, payment_status, cash_on_delivery, state, on_hold,
                 platform_status, ordered_at, paid_at, reviewed_at, created_at, updated_at)
             SELECT platform, ?2, buyer_id, buyer_name, receiver_name, receiver_phone,
                 receiver_phone2, province, city, district, address, postcode, buyer_message,
                 seller_remark, flag, ?3, 0, ?4, ?5, ?6, payment_status, cash_on_delivery,
                 state, on_hold, platform_status, ordered_at, paid_at, reviewed_at, ?7, ?7
             FROM orders WHERE id = ?1
             RETURNING id",
            params![
                id,
                new_no,
                new_goods,
                new_discount,
                new_paid,
                new_refunded,
                now
            ],
            |row| row.get(0),
        )?;
        tx.execute(
            "UPDATE orders SET goods_cents = goods_cents - ?2, discount_cents = discount_cents - ?3,
                 paid_cents = paid_cents - ?4, refunded_cents = refunded_cents - ?5,
                 updated_at = ?6 WHERE id = ?1",
            params![id, new_goods, new_discount, new_paid, new_refunded, now],
        )?;
        let mut move_line =
            tx.prepare("UPDATE order_lines SET order_id = ?2, origin_order_id = ?2 WHERE id = ?1")?;
        for line in &chosen {
            move_line.execute(params![line, new_id])?;
        }
        drop(move_line);
        reindex_new(&tx, new_id)?;
        log(
            &tx,
            new_id,
            operator,
            &now,
            LogKind::Created,
            &format!("split from {order_no}"),
        )?;
        log(
            &tx,
            id,
            operator,
            &now,
            LogKind::Split,
            &format!("{} line(s) moved to {new_no}", chosen.len()),
        )?;
        tx.commit()?;
        Ok(new_id)
    }

    /// Replaces an order's seller remark (备注); logged old → new. Refused when archived.
    pub fn set_remark(&mut self, id: i64, remark: &str, operator: &str) -> Result<()> {
        let now = now_text();
        let tx = self.write()?;
        let (order_no, _) = editable(&tx, id, "write the remark")?;
        let remark = remark.trim();
        if remark.chars().count() > 1000 {
            return Err(StoreError::Invalid(format!(
                "order {order_no}: the remark is longer than 1,000 characters"
            )));
        }
        let old: String = tx.query_row(
            "SELECT seller_remark FROM orders WHERE id = ?1",
            [id],
            |row| row.get(0),
        )?;
        if old == remark {
            return Ok(());
        }
        log(
            &tx,
            id,
            operator,
            &now,
            LogKind::Remark,
            &format!("{old} → {remark}"),
        )?;
        tx.execute(
            "UPDATE orders SET seller_remark = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, remark, now],
        )?;
        reindex(&tx, id)?;
        tx.commit()?;
        Ok(())
    }
}

/// The searchable fields of an order as stored, for the search index.
fn searchable(tx: &Transaction<'_>, id: i64) -> Result<NewOrder> {
    Ok(tx.query_row(
        "SELECT platform, order_no, ordered_at, buyer_id, buyer_name, receiver_name,
                receiver_phone, receiver_phone2, tracking_no, city, district, address,
                seller_remark
         FROM orders WHERE id = ?1",
        [id],
        |row| {
            let mut o = NewOrder::new(
                &row.get::<_, String>(0)?,
                &row.get::<_, String>(1)?,
                &row.get::<_, String>(2)?,
            );
            o.buyer_id = row.get(3)?;
            o.buyer_name = row.get(4)?;
            o.receiver_name = row.get(5)?;
            o.receiver_phone = row.get(6)?;
            o.receiver_phone2 = row.get(7)?;
            o.tracking_no = row.get(8)?;
            o.city = row.get(9)?;
            o.district = row.get(10)?;
            o.address = row.get(11)?;
            o.seller_remark = row.get(12)?;
            Ok(o)
        },
    )?)
}

/// Rewrites an order's search entry from what is stored.
pub(super) fn reindex(tx: &Transaction<'_>, id: i64) -> Result<()> {
    index_order(tx, id, &searchable(tx, id)?, true)
}

/// Writes the search entry of a new order.
fn reindex_new(tx: &Transaction<'_>, id: i64) -> Result<()> {
    index_order(tx, id, &searchable(tx, id)?, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PaymentStatus;
    use crate::domain::model::NewOrderLine;

    fn shop() -> Store {
        crate::store::testing::shop()
    }

    fn order(no: &str, buyer: &str, lines: &[(&str, i64, i64)]) -> NewOrder {
        let mut o = NewOrder::new("taobao", no, "2026-11-20T10:00:00+08:00");
        o.buyer_id = buyer.to_owned();
        o.receiver_name = "张伟".to_owned();
        o.receiver_phone = "13812345678".to_owned();
        o.province = "浙江省".to_owned();
        o.city = "杭州市".to_owned();
        o.district = "西湖区".to_owned();
        o.address = "文三路 1号".to_owned();
        o.payment_status = PaymentStatus::Paid;
        for (sku, quantity, price) in lines {
            o.lines.push(NewOrderLine {
                sku: (*sku).to_owned(),
                title: format!("title {sku}"),
                quantity: *quantity,
                unit_price_cents: *price,
                ..NewOrderLine::default()
            });
        }
        o.goods_cents = o
            .lines
            .iter()
            .map(|l| l.quantity * l.unit_price_cents)
            .sum();
        o.paid_cents = o.total_cents();
        o
    }

    fn theoretical(store: &Store, code: &str) -> i64 {
        let report = store.stock_report().expect("report");
        report
            .iter()
            .find(|r| r.code == code)
            .expect("product")
            .theoretical
    }

    fn codes(problems: &[ReviewProblem]) -> Vec<&'static str> {
        problems.iter().map(ReviewProblem::code).collect()
    }

    fn state(store: &Store, id: i64) -> OrderState {
        store.order_detail(id).expect("detail").row.state
    }

    #[test]
    fn review_approves_and_reserves_and_problems_block() {
        let mut store = shop();
        let mut bad_phone = order("B", "b2", &[("TEA", 1, 100)]);
        bad_phone.receiver_phone = "138****5678".to_owned();
        let ids = store
            .insert_orders(
                &[
                    order("A", "b1", &[("CUP", 2, 100), ("GIFT", 1, 500)]),
                    bad_phone,
                    order("C", "b3", &[("NOPE", 1, 100)]),
                    // After A, 7 cups are left in theory: 8 is too many.
                    order("D", "b4", &[("CUP", 8, 100)]),
                ],
                "test",
                "owner",
            )
            .expect("insert");
        let queue = store.review_queue(10).expect("queue");
        let queued: Vec<(&str, Vec<&str>)> = queue
            .iter()
            .map(|(row, problems)| (row.order_no.as_str(), codes(problems)))
            .collect();
        assert_eq!(
            queued,
            [
                ("A", vec![]),
                ("B", vec!["phone_invalid"]),
                ("C", vec!["line_unmatched"]),
                // Alone, D fits (10 cups).
                ("D", vec![]),
            ]
        );

        let outcomes = store.review_orders(&ids, "owner").expect("review");
        let summary: Vec<(&str, bool, Vec<&str>)> = outcomes
            .iter()
            .map(|o| (o.order_no.as_str(), o.approved, codes(&o.problems)))
            .collect();
        assert_eq!(
            summary,
            [
                ("A", true, vec![]),
                ("B", false, vec!["phone_invalid"]),
                ("C", false, vec!["line_unmatched"]),
                ("D", false, vec!["stock_short"]),
            ]
        );
        assert!(
            outcomes[3].problems[0]
                .message
                .contains("needs 8, theoretical stock 7"),
            "{:?}",
            outcomes[3].problems
        );
        assert_eq!(theoretical(&store, "CUP"), 7);
        assert_eq!(theoretical(&store, "TEA"), 8);
        assert_eq!(
            ids.iter().map(|id| state(&store, *id)).collect::<Vec<_>>(),
            [
                OrderState::Approved,
                OrderState::PendingReview,
                OrderState::PendingReview,
                OrderState::PendingReview
            ]
        );
        // A second review of A is refused, with the reason.
        assert_eq!(
            codes(&store.review_problems(ids[0]).expect("problems")),
            ["not_pending"]
        );
        let again = store.review_orders(&ids[..1], "owner").expect("review");
        assert!(!again[0].approved);
        // The approval went through the state machine: logged and dated.
        let detail = store.order_detail(ids[0]).expect("detail");
        assert!(detail.events.iter().any(|e| e.event.code() == "review"));
        assert!(detail.dates.iter().any(|(kind, _)| *kind == "review"));

        // Fixing the phone lets B through; on hold blocks it first.
        store
            .apply_event(ids[1], Event::Hold, "owner")
            .expect("hold");
        let edit = ReceiverEdit {
            receiver_name: "张伟".to_owned(),
            receiver_phone: "0571-88886666".to_owned(),
            province: "浙江省".to_owned(),
            city: "杭州市".to_owned(),
            address: "文三路 1号".to_owned(),
            ..ReceiverEdit::default()
        };
        store.update_receiver(ids[1], &edit, "owner").expect("edit");
        assert_eq!(
            codes(&store.review_problems(ids[1]).expect("problems")),
            ["on_hold"]
        );
        store
            .apply_event(ids[1], Event::Release, "owner")
            .expect("release");
        let outcome = store.review_orders(&ids[1..2], "owner").expect("review");
        assert!(outcome[0].approved, "{outcome:?}");
    }

    #[test]
    fn receiver_edit_is_logged_reindexed_and_refused_after_printing() {
        let mut store = shop();
        let ids = store
            .insert_orders(
                &[
                    order("R1", "b1", &[("CUP", 1, 100)]),
                    order("R2", "b1", &[("TEA", 1, 100)]),
                ],
                "test",
                "owner",
            )
            .expect("insert");
        store
            .merge_orders(ids[0], &[ids[1]], "owner")
            .expect("merge");
        let edit = ReceiverEdit {
            receiver_name: "欧阳娜娜".to_owned(),
            receiver_phone: "13900001111".to_owned(),
            province: "上海".to_owned(),
            city: "上海市".to_owned(),
            district: "浦东新区".to_owned(),
            address: "世纪大道 100号".to_owned(),
            postcode: "200120".to_owned(),
            ..ReceiverEdit::default()
        };
        let Err(err) = store.update_receiver(ids[1], &edit, "owner") else {
            panic!("a merged-away order is edited through its main order");
        };
        assert!(err.to_string().contains("merged into order R1"), "{err}");
        store.update_receiver(ids[0], &edit, "owner").expect("edit");
        let detail = store.order_detail(ids[0]).expect("detail");
        assert_eq!(
            (detail.row.receiver_name.as_str(), detail.address.as_str()),
            ("欧阳娜娜", "世纪大道 100号")
        );
        let logged = detail
            .events
            .iter()
            .find(|e| e.event.code() == "receiver")
            .expect("receiver event");
        assert!(
            logged.detail.contains("receiver_name: 张伟 → 欧阳娜娜"),
            "{}",
            logged.detail
        );
        let search = |text: &str| -> Vec<String> {
            store
                .query_orders(&OrderQuery {
                    search: text.to_owned(),
                    ..OrderQuery::default()
                })
                .expect("search")
                .into_iter()
                .map(|r| r.order_no)
                .collect()
        };
        assert_eq!(search("娜娜"), ["R1"]);
        assert_eq!(search("1111"), ["R1"]);
        assert!(
            search("张伟").is_empty(),
            "the old name is gone from the index"
        );
        // The city and district follow the edit too.
        assert_eq!(search("浦东新区"), ["R1"]);
        assert!(search("西湖区").is_empty(), "the old district is gone");
        // The merged order follows its main order, so an unmerge keeps them mergeable.
        store.unmerge_order(ids[0], "owner").expect("unmerge");
        let other = store.order_detail(ids[1]).expect("detail");
        assert_eq!(other.row.receiver_name, "欧阳娜娜");

        store
            .apply_event(ids[0], Event::Review, "owner")
            .expect("review");
        store
            .apply_event(ids[0], Event::Print, "owner")
            .expect("print");
        let Err(err) = store.update_receiver(ids[0], &ReceiverEdit::default(), "owner") else {
            panic!("printed orders keep their receiver");
        };
        assert!(err.to_string().contains("waybill is printed"), "{err}");
        store
            .apply_event(ids[0], Event::Ship, "owner")
            .expect("ship");
        store
            .apply_event(ids[0], Event::Archive, "owner")
            .expect("archive");
        let Err(err) = store.update_receiver(ids[0], &edit, "owner") else {
            panic!("archived orders never change");
        };
        assert!(err.to_string().contains("archived"), "{err}");
        let Err(err) = store.set_remark(ids[0], "x", "owner") else {
            panic!("archived orders never change");
        };
        assert!(err.to_string().contains("archived"), "{err}");
    }

    #[test]
    fn split_keeps_every_line_and_amount() {
        let mut store = shop();
        let mut o = order(
            "S1",
            "b1",
            &[("CUP", 1, 3000), ("TEA", 2, 1000), ("GIFT", 1, 5000)],
        );
        o.postage_cents = 800;
        o.discount_cents = 500;
        o.paid_cents = o.total_cents();
        let id = store.insert_orders(&[o], "test", "owner").expect("insert")[0];
        store
            .apply_event(id, Event::Review, "owner")
            .expect("review");
        let before = store.order_detail(id).expect("detail");
        let (cup, tea) = (theoretical(&store, "CUP"), theoretical(&store, "TEA"));
        let lines = store.order_line_ids(id).expect("lines");
        assert_eq!(lines.len(), 3);

        for (chosen, part) in [
            (vec![], "choose the lines"),
            (lines.clone(), "keep at least one line"),
            (vec![lines[0], 999_999], "not a line of order S1"),
        ] {
            let Err(err) = store.split_order(id, &chosen, "owner") else {
                panic!("{chosen:?} must be refused");
            };
            assert!(err.to_string().contains(part), "{err}");
        }

        let new_id = store.split_order(id, &lines[2..], "owner").expect("split");
        let main = store.order_detail(id).expect("detail");
        let new = store.order_detail(new_id).expect("detail");
        assert_eq!(new.row.order_no, "S1-2");
        assert_eq!(new.row.state, OrderState::Approved);
        assert_eq!((main.lines.len(), new.lines.len()), (2, 1));
        assert_eq!(new.lines[0].sku, "GIFT");
        // Line value 5000 of 10000: half the goods, discount and payment; postage stays.
        assert_eq!(new.amounts.goods_cents, 5000);
        assert_eq!(new.amounts.discount_cents, 250);
        assert_eq!(new.amounts.postage_cents, 0);
        assert_eq!(main.amounts.postage_cents, 800);
        let sum = main.amounts.plus(new.amounts);
        assert_eq!(sum, before.amounts, "nothing lost or made up");
        // Reservations are unchanged: both halves are approved.
        assert_eq!(
            (theoretical(&store, "CUP"), theoretical(&store, "TEA")),
            (cup, tea)
        );
        assert!(new.events.iter().any(|e| e.detail == "split from S1"));
        assert_eq!(store.find_order("S1-2").expect("find"), new_id);

        // The next split is numbered -3.
        let third = store
            .split_order(id, &store.order_line_ids(id).expect("lines")[..1], "owner")
            .expect("split");
        assert_eq!(
            store.order_detail(third).expect("detail").row.order_no,
            "S1-3"
        );
        store.apply_event(id, Event::Print, "owner").expect("print");
        let Err(err) = store.split_order(id, &[], "owner") else {
            panic!("printed orders are not split");
        };
        assert!(err.to_string().contains("waybill is printed"), "{err}");
    }

    #[test]
    fn merge_proposals_group_open_orders_of_one_buyer_and_address() {
        let mut store = shop();
        let mut elsewhere = order("P4", "b1", &[("CUP", 1, 100)]);
        elsewhere.address = "另一条路 9号".to_owned();
        let ids = store
            .insert_orders(
                &[
                    order("P1", "b1", &[("CUP", 1, 100)]),
                    order("P2", "b1", &[("TEA", 1, 100)]),
                    order("P3", "b2", &[("CUP", 1, 100)]),
                    elsewhere,
                    order("P5", "b1", &[("CUP", 1, 100)]),
                    order("P6", "b1", &[("CUP", 1, 100)]),
                    order("P7", "b2", &[("CUP", 1, 100)]),
                ],
                "test",
                "owner",
            )
            .expect("insert");
        store
            .apply_event(ids[4], Event::Hold, "owner")
            .expect("hold");
        store
            .apply_event(ids[6], Event::Review, "owner")
            .expect("review");
        let numbers = |store: &Store| -> Vec<Vec<String>> {
            store
                .merge_proposals()
                .expect("proposals")
                .into_iter()
                .map(|group| group.into_iter().map(|r| r.order_no).collect())
                .collect()
        };
        assert_eq!(numbers(&store), [vec!["P1", "P2", "P6"]]);
        store
            .merge_orders(ids[0], &[ids[1], ids[5]], "owner")
            .expect("merge");
        assert!(numbers(&store).is_empty());
    }

    #[test]
    fn remark_is_logged() {
        let mut store = shop();
        let id = store
            .insert_orders(&[order("M1", "b1", &[("CUP", 1, 100)])], "test", "owner")
            .expect("insert")[0];
        store
            .set_remark(id, "  call before delivery ", "owner")
            .expect("remark");
        let detail = store.order_detail(id).expect("detail");
        assert_eq!(detail.row.seller_remark, "call before delivery");
        assert!(
            detail
                .events
                .iter()
                .any(|e| e.event.code() == "remark" && e.detail == " → call before delivery")
        );
    }
}
