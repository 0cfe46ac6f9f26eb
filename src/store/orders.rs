//! Orders: writing new ones, finding them, and moving them through the state machine.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Row, Transaction, params, params_from_iter};

use super::bulk::{next_order_id, write_orders};
use super::order_query::{OrderQuery, count_sql, select_sql};
use super::products::{explode_lines, post_movement};
use super::{Result, Store, StoreError, now_text};
use crate::domain::LogKind;
use crate::domain::merge::{Amounts, MergeCandidate, address_key, plan_merge};
use crate::domain::model::NewOrder;
use crate::domain::search::{SearchFields, index_text};
use crate::domain::stock::MovementReason;
use crate::domain::{Event, Flag, OrderState, OrderStatus, PaymentStatus, StockEffect, transition};

/// One row of the order list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderRow {
    pub id: i64,
    pub platform: String,
    pub order_no: String,
    pub state: OrderState,
    pub payment: PaymentStatus,
    pub on_hold: bool,
    pub flag: Flag,
    pub buyer_id: String,
    pub receiver_name: String,
    pub receiver_phone: String,
    pub province: String,
    pub city: String,
    pub total_cents: i64,
    pub ordered_at: String,
    pub courier: String,
    pub tracking_no: String,
    pub seller_remark: String,
}

/// One line of an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderLineRow {
    pub id: i64,
    pub product_code: Option<String>,
    /// For a bundle: its single items `(code, name, quantity per bundle)`.
    pub components: Vec<(String, String, i64)>,
    pub sku: String,
    pub title: String,
    pub attributes: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
}

/// One entry of an order's event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderEventRow {
    pub at: String,
    pub operator: String,
    pub event: LogKind,
    pub detail: String,
}

/// Everything about one order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderDetail {
    pub row: OrderRow,
    pub buyer_name: String,
    pub receiver_phone2: String,
    pub district: String,
    pub address: String,
    pub postcode: String,
    pub buyer_message: String,
    pub amounts: Amounts,
    pub cash_on_delivery: bool,
    pub platform_status: String,
    pub shipped_at: Option<String>,
    /// The parcel's weight from the pack station.
    pub weight_grams: Option<i64>,
    /// The courier hand-over the parcel went out in.
    pub handover_id: Option<i64>,
    /// The order this one reships (补发), and the reshipments of this one, by number.
    pub reshipment_of: Option<String>,
    pub reshipments: Vec<String>,
    /// (date type, timestamp) for every date that is set, in life-cycle order.
    pub dates: Vec<(&'static str, String)>,
    pub merged_order_nos: Vec<String>,
    /// The after-sales cases opened on this order, by id.
    pub cases: Vec<i64>,
    pub lines: Vec<OrderLineRow>,
    pub events: Vec<OrderEventRow>,
}

pub(super) const ROW_COLUMNS: &str =
    "o.id, o.platform, o.order_no, o.state, o.payment_status, o.on_hold,
    o.flag, o.buyer_id, o.receiver_name, o.receiver_phone, o.province, o.city,
    o.goods_cents + o.postage_cents - o.discount_cents, o.ordered_at, o.courier, o.tracking_no,
    o.seller_remark";

pub(super) fn order_row(row: &Row<'_>) -> rusqlite::Result<OrderRow> {
    let text = |i: usize| row.get::<_, String>(i);
    let state = text(3)?;
    let payment = text(4)?;
    let flag = text(6)?;
    Ok(OrderRow {
        id: row.get(0)?,
        platform: text(1)?,
        order_no: text(2)?,
        state: OrderState::from_code(&state).unwrap_or(OrderState::PendingReview),
        payment: PaymentStatus::from_code(&payment).unwrap_or(PaymentStatus::Unpaid),
        on_hold: row.get(5)?,
        flag: Flag::from_code(&flag).unwrap_or_default(),
        buyer_id: text(7)?,
        receiver_name: text(8)?,
        receiver_phone: text(9)?,
        province: text(10)?,
        city: text(11)?,
        total_cents: row.get(12)?,
        ordered_at: text(13)?,
        courier: text(14)?,
        tracking_no: text(15)?,
        seller_remark: text(16)?,
    })
}

/// Finds products for order lines: by product code (商家编码), then by barcode.
pub(super) struct ProductMatcher {
    by_code: HashMap<String, i64>,
    by_barcode: HashMap<String, i64>,
}

impl ProductMatcher {
    pub(super) fn load(tx: &Transaction<'_>) -> Result<ProductMatcher> {
        let mut by_code = HashMap::new();
        let mut stmt = tx.prepare("SELECT code, id FROM products")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            by_code.insert(row.get::<_, String>(0)?, row.get::<_, i64>(1)?);
        }
        let mut by_barcode = HashMap::new();
        let mut stmt = tx.prepare("SELECT barcode, product_id FROM product_barcodes")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            by_barcode.insert(row.get::<_, String>(0)?, row.get::<_, i64>(1)?);
        }
        Ok(ProductMatcher {
            by_code,
            by_barcode,
        })
    }

    /// A matcher that knows only these codes or barcodes (one indexed lookup each): for a
    /// few lines typed by hand, where loading every product would cost more than the
    /// order itself.
    pub(super) fn only(tx: &Transaction<'_>, keys: &[&str]) -> Result<ProductMatcher> {
        let mut matcher = ProductMatcher {
            by_code: HashMap::new(),
            by_barcode: HashMap::new(),
        };
        let mut by_code = tx.prepare_cached("SELECT id FROM products WHERE code = ?1")?;
        let mut by_barcode =
            tx.prepare_cached("SELECT product_id FROM product_barcodes WHERE barcode = ?1")?;
        for key in keys {
            let key = key.trim();
            if let Some(id) = by_code.query_row([key], |r| r.get(0)).optional()? {
                matcher.by_code.insert(key.to_owned(), id);
            } else if let Some(id) = by_barcode.query_row([key], |r| r.get(0)).optional()? {
                matcher.by_barcode.insert(key.to_owned(), id);
            }
        }
        Ok(matcher)
    }

    pub(super) fn find(&self, sku: &str) -> Option<i64> {
        let sku = sku.trim();
        if sku.is_empty() {
            return None;
        }
        self.by_code
            .get(sku)
            .or_else(|| self.by_barcode.get(sku))
            .copied()
    }
}

/// The search-index document of an order.
pub(super) fn search_body(order: &NewOrder) -> String {
    index_text(&SearchFields {
        order_nos: vec![order.order_no.as_str()],
        buyer_id: &order.buyer_id,
        buyer_name: &order.buyer_name,
        receiver_name: &order.receiver_name,
        phones: vec![
            order.receiver_phone.as_str(),
            order.receiver_phone2.as_str(),
        ],
        tracking_no: &order.tracking_no,
        city: &order.city,
        district: &order.district,
        address: &order.address,
        remark: &order.seller_remark,
    })
}

/// Writes an order's entry in the search index; `replace` drops the old entry first.
pub(super) fn index_order(
    tx: &Transaction<'_>,
    id: i64,
    order: &NewOrder,
    replace: bool,
) -> Result<()> {
    let body = search_body(order);
    if replace {
        tx.prepare_cached("DELETE FROM order_search WHERE rowid = ?1")?
            .execute([id])?;
    }
    tx.prepare_cached("INSERT INTO order_search (rowid, body) VALUES (?1, ?2)")?
        .execute(params![id, body])?;
    Ok(())
}

/// Writes the search entry of every order from what is stored, into an empty index (a
/// migration that changes what the entries hold).
pub(super) fn rebuild_search(tx: &Transaction<'_>) -> Result<()> {
    let mut read = tx.prepare(
        "SELECT id, platform, order_no, ordered_at, buyer_id, buyer_name, receiver_name,
                receiver_phone, receiver_phone2, tracking_no, city, district, address,
                seller_remark
         FROM orders ORDER BY id",
    )?;
    let mut write = tx.prepare("INSERT INTO order_search (rowid, body) VALUES (?1, ?2)")?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let mut o = NewOrder::new(
            &row.get::<_, String>(1)?,
            &row.get::<_, String>(2)?,
            &row.get::<_, String>(3)?,
        );
        o.buyer_id = row.get(4)?;
        o.buyer_name = row.get(5)?;
        o.receiver_name = row.get(6)?;
        o.receiver_phone = row.get(7)?;
        o.receiver_phone2 = row.get(8)?;
        o.tracking_no = row.get(9)?;
        o.city = row.get(10)?;
        o.district = row.get(11)?;
        o.address = row.get(12)?;
        o.seller_remark = row.get(13)?;
        write.execute(params![row.get::<_, i64>(0)?, search_body(&o)])?;
    }
    Ok(())
}

pub(super) fn status_of(
    tx: &rusqlite::Connection,
    id: i64,
) -> Result<(OrderStatus, String, Option<String>)> {
    tx.query_row(
        "SELECT o.state, o.payment_status, o.on_hold, o.cash_on_delivery, o.order_no,
                (SELECT m.order_no FROM orders m WHERE m.id = o.merged_into)
         FROM orders o WHERE o.id = ?1",
        [id],
        |row| {
            let state: String = row.get(0)?;
            let payment: String = row.get(1)?;
            Ok((
                OrderStatus {
                    state: OrderState::from_code(&state).unwrap_or(OrderState::PendingReview),
                    paid: PaymentStatus::from_code(&payment).is_some_and(PaymentStatus::is_paid),
                    on_hold: row.get(2)?,
                    cash_on_delivery: row.get(3)?,
                },
                row.get(4)?,
                row.get(5)?,
            ))
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no order with id {id}")))
}

/// The single items an order's lines need, bundles exploded: `(product id, quantity)`.
fn order_items(tx: &Transaction<'_>, id: i64) -> Result<Vec<(i64, i64)>> {
    let mut stmt =
        tx.prepare_cached("SELECT product_id, quantity FROM order_lines WHERE order_id = ?1")?;
    let mut lines = Vec::new();
    let mut rows = stmt.query([id])?;
    while let Some(row) = rows.next()? {
        let product: Option<i64> = row.get(0)?;
        let Some(product) = product else {
            return Err(StoreError::Invalid(
                "a line of this order is not matched to a product yet".to_owned(),
            ));
        };
        lines.push((product, row.get::<_, i64>(1)?));
    }
    explode_lines(tx, &lines)
}

impl Store {
    /// Adds new orders in one transaction: all of them or none. A number that is already
    /// in the database (or twice in the list) refuses the whole batch.
    pub fn insert_orders(
        &mut self,
        orders: &[NewOrder],
        source: &str,
        operator: &str,
    ) -> Result<Vec<i64>> {
        let now = now_text();
        let tx = self.write()?;
        let matcher = ProductMatcher::load(&tx)?;
        let mut seen = std::collections::HashSet::new();
        for order in orders {
            let exists: bool = tx
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM orders WHERE platform = ?1 AND order_no = ?2)",
                )?
                .query_row(params![order.platform, order.order_no], |row| row.get(0))?;
            if exists || !seen.insert((order.platform.as_str(), order.order_no.as_str())) {
                return Err(StoreError::Invalid(format!(
                    "order {} of {} is already in the database",
                    order.order_no, order.platform
                )));
            }
        }
        let first = next_order_id(&tx)?;
        let numbered: Vec<(i64, &NewOrder)> = orders
            .iter()
            .enumerate()
            .map(|(i, o)| (first + i as i64, o))
            .collect();
        write_orders(&tx, &numbered, &matcher, operator, source, Some(&now))?;
        tx.commit()?;
        Ok(numbered.iter().map(|(id, _)| *id).collect())
    }

    /// The id of the main order with this platform order number (also when the number is
    /// of an order merged into it).
    /// The platform number of the order with this id.
    pub fn order_number(&self, id: i64) -> Result<String> {
        Ok(self.order_numbers(id)?.0)
    }

    /// The platform number of the order with this id, and the number of the order it is
    /// merged into, if it is.
    pub fn order_numbers(&self, id: i64) -> Result<(String, Option<String>)> {
        self.conn
            .prepare_cached(
                "SELECT o.order_no, m.order_no FROM orders o
                 LEFT JOIN orders m ON m.id = o.merged_into WHERE o.id = ?1",
            )?
            .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no order #{id}")))
    }

    pub fn find_order(&self, order_no: &str) -> Result<i64> {
        let found: Vec<i64> = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(merged_into, id) FROM orders WHERE order_no = ?1 ORDER BY id",
            )?
            .query_map([order_no.trim()], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match found.as_slice() {
            [] => Err(StoreError::NotFound(format!(
                "no order numbered {order_no}"
            ))),
            [id] => Ok(*id),
            _ => Err(StoreError::Invalid(format!(
                "order number {order_no} exists on more than one platform"
            ))),
        }
    }

    /// A page of the order list (merged-away orders show through their main order).
    /// The plan is chosen in `order_query.rs`.
    pub fn query_orders(&self, query: &OrderQuery) -> Result<Vec<OrderRow>> {
        let (sql, args) = select_sql(&self.conn, query, ROW_COLUMNS)?;
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), order_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many orders the query matches, exactly (see also `count_orders_capped`).
    pub fn count_orders(&self, query: &OrderQuery) -> Result<i64> {
        let (sql, args, _) = count_sql(&self.conn, query, None)?;
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(args.iter()), |row| row.get(0))?)
    }

    /// Everything about one order.
    pub fn order_detail(&self, id: i64) -> Result<OrderDetail> {
        let sql = format!(
            "SELECT {ROW_COLUMNS}, o.buyer_name, o.receiver_phone2, o.district, o.address,
                    o.postcode, o.buyer_message, o.goods_cents, o.postage_cents,
                    o.discount_cents, o.paid_cents, o.refunded_cents, o.cash_on_delivery,
                    o.platform_status, o.paid_at, o.reviewed_at, o.printed_at, o.inspected_at,
                    o.shipped_at, o.refunded_at, o.archived_at, o.weight_grams,
                    (SELECT h.handover_id FROM handover_parcels h WHERE h.order_id = o.id)
             FROM orders o WHERE o.id = ?1"
        );
        let mut detail = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], |row| {
                let dates = [
                    ("order", Some(row.get::<_, String>(13)?)),
                    ("payment", row.get(30)?),
                    ("review", row.get(31)?),
                    ("print", row.get(32)?),
                    ("inspection", row.get(33)?),
                    ("ship", row.get(34)?),
                    ("refund", row.get(35)?),
                    ("archive", row.get(36)?),
                ];
                Ok(OrderDetail {
                    row: order_row(row)?,
                    buyer_name: row.get(17)?,
                    receiver_phone2: row.get(18)?,
                    district: row.get(19)?,
                    address: row.get(20)?,
                    postcode: row.get(21)?,
                    buyer_message: row.get(22)?,
                    amounts: Amounts {
                        goods_cents: row.get(23)?,
                        postage_cents: row.get(24)?,
                        discount_cents: row.get(25)?,
                        paid_cents: row.get(26)?,
                        refunded_cents: row.get(27)?,
                    },
                    cash_on_delivery: row.get(28)?,
                    platform_status: row.get(29)?,
                    shipped_at: row.get(34)?,
                    weight_grams: row.get(37)?,
                    handover_id: row.get(38)?,
                    reshipment_of: None,
                    reshipments: Vec::new(),
                    dates: dates
                        .into_iter()
                        .filter_map(|(kind, at)| at.map(|at| (kind, at)))
                        .collect(),
                    merged_order_nos: Vec::new(),
                    cases: Vec::new(),
                    lines: Vec::new(),
                    events: Vec::new(),
                })
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no order with id {id}")))?;
        (detail.reshipment_of, detail.reshipments) = self.reship_links(id)?;
        detail.cases = self
            .case_ids_by_order(&[id])?
            .remove(&id)
            .unwrap_or_default();
        // Refunds of cases on an archived order are kept beside it, not on its row.
        if let Some(beside) = self.refunds_beside(&[id])?.get(&id) {
            detail.amounts.refunded_cents += beside;
            detail.row.payment = crate::domain::after_sales::payment_after_refunds(
                detail.row.payment,
                detail.amounts.paid_cents,
                detail.amounts.refunded_cents,
            );
        }
        detail.merged_order_nos = self
            .conn
            .prepare_cached("SELECT order_no FROM orders WHERE merged_into = ?1 ORDER BY id")?
            .query_map([id], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        detail.lines = self
            .conn
            .prepare_cached(
                "SELECT p.code, l.sku, l.title, l.attributes, l.quantity, l.unit_price_cents, l.id
                 FROM order_lines l LEFT JOIN products p ON p.id = l.product_id
                 WHERE l.order_id = ?1 ORDER BY l.id",
            )?
            .query_map([id], |row| {
                Ok(OrderLineRow {
                    id: row.get(6)?,
                    components: Vec::new(),
                    product_code: row.get(0)?,
                    sku: row.get(1)?,
                    title: row.get(2)?,
                    attributes: row.get(3)?,
                    quantity: row.get(4)?,
                    unit_price_cents: row.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut components = self.conn.prepare_cached(
            "SELECT c.code, c.name, b.quantity FROM products p
             JOIN bundle_components b ON b.bundle_id = p.id
             JOIN products c ON c.id = b.component_id
             WHERE p.code = ?1 ORDER BY c.code",
        )?;
        for line in &mut detail.lines {
            if let Some(code) = &line.product_code {
                line.components = components
                    .query_map([code], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
                    .collect::<rusqlite::Result<_>>()?;
            }
        }
        drop(components);
        detail.events = self
            .conn
            .prepare_cached(
                "SELECT at, operator, event, detail FROM order_events
                 WHERE order_id = ?1 ORDER BY id",
            )?
            .query_map([id], |row| {
                Ok(OrderEventRow {
                    at: row.get(0)?,
                    operator: row.get(1)?,
                    event: super::coded(row, 2, LogKind::from_code)?,
                    detail: row.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(detail)
    }

    /// Moves an order through the state machine: checks, stock movements, dates and the
    /// event log, in one transaction. Returns the new status.
    pub fn apply_event(&mut self, id: i64, event: Event, operator: &str) -> Result<OrderStatus> {
        let settings = self.settings()?;
        let now = now_text();
        let tx = self.write()?;
        let next = Store::apply_event_in(&tx, id, event, &settings, operator, &now)?;
        tx.commit()?;
        Ok(next)
    }

    /// [`Store::apply_event`] inside the caller's transaction (printing a batch applies it
    /// to many orders at once).
    pub(super) fn apply_event_in(
        tx: &Transaction<'_>,
        id: i64,
        event: Event,
        settings: &super::Settings,
        operator: &str,
        now: &str,
    ) -> Result<OrderStatus> {
        let (status, order_no, merged_into) = status_of(tx, id)?;
        if let Some(main) = merged_into {
            return Err(StoreError::Invalid(format!(
                "order {order_no} is merged into order {main}: act on {main}"
            )));
        }
        let (next, effect) = transition(status, event)?;
        if event == Event::Archive {
            super::after_sales::refuse_archive_with_open_case(tx, id)?;
        }
        if event == Event::Cancel {
            super::after_sales::note_replacement_cancelled(tx, id, operator, now)?;
        }
        match effect {
            StockEffect::TakeFromOnHand | StockEffect::Restock => {
                let (sign, reason) = if effect == StockEffect::Restock {
                    (1, MovementReason::Return)
                } else {
                    (-1, MovementReason::Sale)
                };
                for (product, quantity) in order_items(tx, id)? {
                    post_movement(
                        tx,
                        product,
                        sign * quantity,
                        reason,
                        &order_no,
                        operator,
                        settings.allow_negative_stock,
                    )?;
                }
            }
            StockEffect::Reserve => {
                // Reserving needs every line matched, or nothing would be reserved for it.
                order_items(tx, id)?;
            }
            StockEffect::Release | StockEffect::None => {}
        }
        // The log entry goes first: once archived, the order accepts nothing more.
        tx.prepare_cached(
            "INSERT INTO order_events (order_id, at, operator, event, detail)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            id,
            now,
            operator,
            event.code(),
            // A payment on an order that stays where it is changes its payment, not its
            // state: said so rather than "approved → approved".
            if event == Event::PaymentReceived && status.state == next.state {
                format!(
                    "payment {} → paid",
                    if status.paid { "paid" } else { "unpaid" }
                )
            } else if status.state == next.state && status.on_hold != next.on_hold {
                // A hold or its release: the state stays, the hold changes.
                let said = |held: bool| if held { "yes" } else { "no" };
                format!("on hold {} → {}", said(status.on_hold), said(next.on_hold))
            } else {
                format!("{} → {}", status.state.code(), next.state.code())
            }
        ])?;
        let date_column = match event {
            Event::Review => Some("reviewed_at"),
            Event::PaymentReceived => Some("paid_at"),
            Event::Print => Some("printed_at"),
            Event::Ship => Some("shipped_at"),
            Event::Archive => Some("archived_at"),
            _ => None,
        };
        if event == Event::PackCheckPassed {
            tx.execute(
                "UPDATE orders SET inspected_at = ?2, shipped_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
        }
        if let Some(column) = date_column {
            tx.execute(
                &format!("UPDATE orders SET {column} = ?2 WHERE id = ?1"),
                params![id, now],
            )?;
        }
        if event == Event::PaymentReceived {
            tx.execute(
                "UPDATE orders SET payment_status = 'paid',
                     paid_cents = MAX(paid_cents, goods_cents + postage_cents - discount_cents)
                 WHERE id = ?1",
                [id],
            )?;
        }
        if next.state == OrderState::Shipped && status.state != OrderState::Shipped {
            super::after_sales::note_replacement_shipped(tx, id, operator, now)?;
        }
        // Orders merged into this one follow it, so they lock with it when it is archived.
        tx.execute(
            "UPDATE orders SET state = ?2, updated_at = ?3 WHERE merged_into = ?1",
            params![id, next.state.code(), now],
        )?;
        tx.execute(
            "UPDATE orders SET state = ?2, on_hold = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, next.state.code(), next.on_hold, now],
        )?;
        Ok(next)
    }

    /// Sets an order's flag and, when given, its seller remark.
    pub fn set_flag(
        &mut self,
        id: i64,
        flag: Flag,
        remark: Option<&str>,
        operator: &str,
    ) -> Result<()> {
        let now = now_text();
        let tx = self.write()?;
        let (status, order_no, _) = status_of(&tx, id)?;
        if status.state == OrderState::Archived {
            return Err(StoreError::Invalid(format!(
                "order {order_no} is archived and cannot change"
            )));
        }
        // Logged old → new, so the trail keeps what the flag and the remark were.
        let (old_flag, old_remark): (String, String) = tx.query_row(
            "SELECT flag, seller_remark FROM orders WHERE id = ?1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        tx.execute(
            "INSERT INTO order_events (order_id, at, operator, event, detail)
             VALUES (?1, ?2, ?3, 'flag', ?4)",
            params![
                id,
                now,
                operator,
                format!("flag {old_flag} → {}", flag.code())
            ],
        )?;
        if let Some(remark) = remark
            && remark != old_remark
        {
            tx.execute(
                "INSERT INTO order_events (order_id, at, operator, event, detail)
                 VALUES (?1, ?2, ?3, 'remark', ?4)",
                params![id, now, operator, format!("{old_remark} → {remark}")],
            )?;
        }
        tx.execute(
            "UPDATE orders SET flag = ?2, seller_remark = COALESCE(?3, seller_remark),
                 updated_at = ?4 WHERE id = ?1",
            params![id, flag.code(), remark, now],
        )?;
        if remark.is_some() {
            super::processing::reindex(&tx, id)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Merges orders into `main`: their lines and amounts move to it; their numbers stay
    /// searchable and listed on it.
    pub fn merge_orders(&mut self, main: i64, others: &[i64], operator: &str) -> Result<()> {
        let now = now_text();
        let tx = self.write()?;
        merge_in(&tx, main, others, operator, &now)?;
        tx.commit()?;
        Ok(())
    }

    /// Undoes a merge before printing: each merged order gets its own lines and amounts back.
    pub fn unmerge_order(&mut self, main: i64, operator: &str) -> Result<Vec<i64>> {
        let now = now_text();
        let tx = self.write()?;
        let candidate = merge_candidate(&tx, main)?;
        if !candidate.state.is_editable() {
            return Err(StoreError::Invalid(format!(
                "order {} is {}: merges can be undone only before printing",
                candidate.order_no,
                candidate.state.code().replace('_', " ")
            )));
        }
        let merged: Vec<i64> = tx
            .prepare("SELECT id FROM orders WHERE merged_into = ?1 ORDER BY id")?
            .query_map([main], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if merged.is_empty() {
            return Err(StoreError::Invalid(format!(
                "order {} has no orders merged into it",
                candidate.order_no
            )));
        }
        let mut amounts = candidate.amounts;
        for other in &merged {
            let own = merge_candidate(&tx, *other)?;
            amounts = amounts.minus(own.amounts);
            tx.execute(
                "UPDATE order_lines SET order_id = origin_order_id
                 WHERE origin_order_id = ?1 AND origin_order_id <> order_id",
                [other],
            )?;
            tx.execute(
                "UPDATE orders SET merged_into = NULL, state = ?2, updated_at = ?3 WHERE id = ?1",
                params![other, candidate.state.code(), now],
            )?;
            log(
                &tx,
                *other,
                operator,
                &now,
                LogKind::Unmerge,
                &format!("split from {}", candidate.order_no),
            )?;
        }
        set_amounts(&tx, main, amounts, &now)?;
        log(
            &tx,
            main,
            operator,
            &now,
            LogKind::Unmerge,
            &format!("{} orders split off", merged.len()),
        )?;
        tx.commit()?;
        Ok(merged)
    }

    /// Every order matching the query, streamed one at a time with its lines and merged
    /// numbers (for `orders --json`); nothing holds the whole table in memory.
    pub fn for_each_order_detail(
        &self,
        query: &OrderQuery,
        mut visit: impl FnMut(OrderDetail) -> std::io::Result<()>,
    ) -> Result<()> {
        let page = 1000;
        let mut offset = query.offset;
        let mut remaining = if query.limit == 0 {
            u32::MAX
        } else {
            query.limit
        };
        loop {
            let q = OrderQuery {
                limit: page.min(remaining),
                offset,
                ..query.clone()
            };
            let rows = self.query_orders(&q)?;
            let n = rows.len() as u32;
            for row in rows {
                let detail = self.order_detail(row.id)?;
                visit(detail).map_err(|e| StoreError::Invalid(format!("cannot write: {e}")))?;
            }
            remaining = remaining.saturating_sub(n);
            if n < q.limit || remaining == 0 {
                return Ok(());
            }
            offset += n;
        }
    }
}

/// Writes one entry of an order's event log, inside the caller's transaction.
pub(super) fn log(
    tx: &Transaction<'_>,
    id: i64,
    operator: &str,
    now: &str,
    event: LogKind,
    detail: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO order_events (order_id, at, operator, event, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, now, operator, event.code(), detail])?;
    Ok(())
}

fn set_amounts(tx: &Transaction<'_>, id: i64, a: Amounts, now: &str) -> Result<()> {
    tx.prepare_cached(
        "UPDATE orders SET goods_cents = ?2, postage_cents = ?3, discount_cents = ?4,
             paid_cents = ?5, refunded_cents = ?6, updated_at = ?7 WHERE id = ?1",
    )?
    .execute(params![
        id,
        a.goods_cents,
        a.postage_cents,
        a.discount_cents,
        a.paid_cents,
        a.refunded_cents,
        now
    ])?;
    Ok(())
}

/// The columns [`merge_candidate_row`] reads, in its order.
pub(super) const MERGE_COLUMNS: &str = "id, order_no, buyer_id, receiver_name, receiver_phone,
    province, city, district, address, state, on_hold, merged_into, goods_cents,
    postage_cents, discount_cents, paid_cents, refunded_cents";

/// What the merge rules need of an order, from a row of [`MERGE_COLUMNS`].
pub(super) fn merge_candidate_row(row: &Row<'_>) -> rusqlite::Result<MergeCandidate> {
    let parts: Vec<String> = (3..9)
        .map(|i| row.get(i))
        .collect::<rusqlite::Result<_>>()?;
    let state: String = row.get(9)?;
    Ok(MergeCandidate {
        id: row.get(0)?,
        order_no: row.get(1)?,
        buyer_id: row.get(2)?,
        address_key: address_key(&parts.iter().map(String::as_str).collect::<Vec<_>>()),
        state: OrderState::from_code(&state).unwrap_or(OrderState::PendingReview),
        on_hold: row.get(10)?,
        merged_into: row.get(11)?,
        amounts: Amounts {
            goods_cents: row.get(12)?,
            postage_cents: row.get(13)?,
            discount_cents: row.get(14)?,
            paid_cents: row.get(15)?,
            refunded_cents: row.get(16)?,
        },
    })
}

fn merge_candidate(tx: &Transaction<'_>, id: i64) -> Result<MergeCandidate> {
    tx.prepare_cached(&format!("SELECT {MERGE_COLUMNS} FROM orders WHERE id = ?1"))?
        .query_row([id], merge_candidate_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no order with id {id}")))
}

/// Applies a merge inside an open transaction (also used by the demo loader).
pub(super) fn merge_in(
    tx: &Transaction<'_>,
    main: i64,
    others: &[i64],
    operator: &str,
    now: &str,
) -> Result<()> {
    let main_candidate = merge_candidate(tx, main)?;
    let other_candidates = others
        .iter()
        .map(|id| merge_candidate(tx, *id))
        .collect::<Result<Vec<_>>>()?;
    let plan = plan_merge(&main_candidate, &other_candidates).map_err(StoreError::Invalid)?;
    for (other, candidate) in plan.merged_ids.iter().zip(&other_candidates) {
        tx.prepare_cached("UPDATE order_lines SET order_id = ?2 WHERE order_id = ?1")?
            .execute(params![other, plan.main_id])?;
        tx.prepare_cached("UPDATE orders SET merged_into = ?2, updated_at = ?3 WHERE id = ?1")?
            .execute(params![other, plan.main_id, now])?;
        log(
            tx,
            *other,
            operator,
            now,
            LogKind::Merge,
            &format!("merged into {}", main_candidate.order_no),
        )?;
        log(
            tx,
            plan.main_id,
            operator,
            now,
            LogKind::Merge,
            &format!("{} merged in", candidate.order_no),
        )?;
    }
    set_amounts(tx, plan.main_id, plan.main_amounts, now)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::NewOrderLine;

    fn shop() -> Store {
        crate::store::testing::shop()
    }

    fn order(no: &str, buyer: &str, receiver: &str, lines: &[(&str, i64)]) -> NewOrder {
        let mut o = NewOrder::new("taobao", no, "2026-11-20T10:00:00+08:00");
        o.buyer_id = buyer.to_owned();
        o.receiver_name = receiver.to_owned();
        o.receiver_phone = "13812345678".to_owned();
        o.province = "浙江省".to_owned();
        o.city = "杭州市".to_owned();
        o.district = "西湖区".to_owned();
        o.address = "文三路 1号".to_owned();
        o.payment_status = PaymentStatus::Paid;
        for (sku, quantity) in lines {
            o.lines.push(NewOrderLine {
                sku: (*sku).to_owned(),
                title: format!("title {sku}"),
                quantity: *quantity,
                unit_price_cents: 1000,
                ..NewOrderLine::default()
            });
        }
        o.goods_cents = o.lines.iter().map(|l| l.quantity * 1000).sum();
        o.paid_cents = o.goods_cents;
        o
    }

    fn figures(store: &Store, code: &str) -> (i64, i64, i64) {
        let report = store.stock_report().expect("report");
        let row = report.iter().find(|r| r.code == code).expect("product row");
        (row.on_hand, row.theoretical, row.sellable)
    }

    #[test]
    fn life_cycle_moves_stock_per_domain() {
        let mut store = shop();
        let ids = store
            .insert_orders(
                &[order("1001", "b1", "张伟", &[("GIFT", 1), ("CUP", 2)])],
                "test",
                "owner",
            )
            .expect("insert");
        let id = ids[0];
        // Unreviewed and paid: deducted from sellable only (default settings).
        assert_eq!(figures(&store, "CUP"), (10, 10, 7));
        assert_eq!(figures(&store, "TEA"), (10, 10, 8));
        store
            .apply_event(id, Event::Review, "owner")
            .expect("review");
        assert_eq!(figures(&store, "CUP"), (10, 7, 7));
        assert_eq!(
            figures(&store, "GIFT"),
            (5, 4, 4),
            "bundle = min of components"
        );
        store.apply_event(id, Event::Print, "owner").expect("print");
        store
            .apply_event(id, Event::PackCheckPassed, "owner")
            .expect("ship");
        assert_eq!(figures(&store, "CUP"), (7, 7, 7));
        assert_eq!(figures(&store, "TEA"), (8, 8, 8));
        store
            .apply_event(id, Event::Return, "owner")
            .expect("return");
        assert_eq!(figures(&store, "CUP"), (10, 10, 10));
        let detail = store.order_detail(id).expect("detail");
        let events: Vec<&str> = detail.events.iter().map(|e| e.event.code()).collect();
        assert_eq!(
            events,
            ["created", "review", "print", "pack_check_passed", "return"]
        );
        assert!(detail.dates.iter().any(|(kind, _)| *kind == "inspection"));
        assert!(store.check().expect("check").is_empty());
    }

    #[test]
    fn cancel_releases_and_refusals_change_nothing() {
        let mut store = shop();
        let id = store
            .insert_orders(
                &[order("1002", "b1", "王芳", &[("CUP", 3)])],
                "test",
                "owner",
            )
            .expect("insert")[0];
        store
            .apply_event(id, Event::Review, "owner")
            .expect("review");
        assert_eq!(figures(&store, "CUP"), (10, 7, 7));
        let Err(err) = store.apply_event(id, Event::Ship, "owner") else {
            panic!("an approved order cannot ship before printing");
        };
        assert!(
            err.to_string().contains("only printed orders can ship"),
            "{err}"
        );
        store
            .apply_event(id, Event::Cancel, "owner")
            .expect("cancel");
        assert_eq!(figures(&store, "CUP"), (10, 10, 10));
    }

    #[test]
    fn shipping_more_than_on_hand_is_refused_whole() {
        let mut store = shop();
        let id = store
            .insert_orders(
                &[order("1003", "b1", "李娜", &[("TEA", 1), ("CUP", 11)])],
                "test",
                "owner",
            )
            .expect("insert")[0];
        store
            .apply_event(id, Event::Review, "owner")
            .expect("review");
        store.apply_event(id, Event::Print, "owner").expect("print");
        let Err(err) = store.apply_event(id, Event::Ship, "owner") else {
            panic!("negative stock must be refused");
        };
        assert!(err.to_string().contains("CUP: only 10 on hand"), "{err}");
        // Nothing half-written: the tea movement rolled back with the rest.
        assert_eq!(figures(&store, "TEA").0, 10);
        assert_eq!(
            store.order_detail(id).expect("detail").row.state,
            OrderState::Printed
        );
    }

    #[test]
    fn archived_orders_cannot_change_in_the_database() {
        let mut store = shop();
        let id = store
            .insert_orders(
                &[order("1004", "b1", "赵敏", &[("CUP", 1)])],
                "test",
                "owner",
            )
            .expect("insert")[0];
        for event in [Event::Review, Event::Print, Event::Ship, Event::Archive] {
            store.apply_event(id, event, "owner").expect("life cycle");
        }
        // Through the store: refused by the state machine.
        let Err(err) = store.apply_event(id, Event::Return, "owner") else {
            panic!("archived orders refuse every event");
        };
        assert!(
            err.to_string().contains("archived orders cannot change"),
            "{err}"
        );
        assert!(store.set_flag(id, Flag::Red, Some("x"), "owner").is_err());
        // Behind the store's back: refused by the triggers.
        let attempts = [
            "UPDATE orders SET seller_remark = 'changed' WHERE id = ?1",
            "UPDATE orders SET state = 'shipped' WHERE id = ?1",
            "DELETE FROM orders WHERE id = ?1",
            "UPDATE order_lines SET quantity = 5 WHERE order_id = ?1",
            "DELETE FROM order_lines WHERE order_id = ?1",
            "INSERT INTO order_lines (order_id, origin_order_id, title, quantity, unit_price_cents)
             VALUES (?1, ?1, 'x', 1, 1)",
            "INSERT INTO order_events (order_id, at, operator, event) VALUES (?1, 'now', 'x', 'x')",
        ];
        for sql in attempts {
            let err = store.conn.execute(sql, [id]).expect_err(sql);
            assert!(
                err.to_string().contains("archived orders cannot change"),
                "{sql}: {err}"
            );
        }
    }

    #[test]
    fn merge_and_unmerge_keep_lines_amounts_and_reservations() {
        let mut store = shop();
        let ids = store
            .insert_orders(
                &[
                    order("2001", "b1", "张伟", &[("CUP", 1)]),
                    order("2002", "b1", "张伟", &[("TEA", 2), ("CUP", 1)]),
                    order("2003", "b2", "张伟", &[("CUP", 1)]),
                ],
                "test",
                "owner",
            )
            .expect("insert");
        let before = (figures(&store, "CUP"), figures(&store, "TEA"));
        let Err(err) = store.merge_orders(ids[0], &[ids[2]], "owner") else {
            panic!("another buyer must be refused");
        };
        assert!(err.to_string().contains("another buyer"), "{err}");
        store
            .merge_orders(ids[0], &[ids[1]], "owner")
            .expect("merge");
        let main = store.order_detail(ids[0]).expect("detail");
        assert_eq!(main.lines.len(), 3);
        assert_eq!(main.amounts.goods_cents, 4000);
        assert_eq!(main.merged_order_nos, vec!["2002".to_owned()]);
        assert_eq!((figures(&store, "CUP"), figures(&store, "TEA")), before);
        // The merged number finds the main order.
        assert_eq!(store.find_order("2002").expect("find"), ids[0]);
        let found = store
            .query_orders(&OrderQuery {
                search: "2002".to_owned(),
                ..OrderQuery::default()
            })
            .expect("search");
        assert_eq!(found.iter().map(|r| r.id).collect::<Vec<_>>(), vec![ids[0]]);
        // Reviewing the main order reserves the merged lines too.
        store
            .apply_event(ids[0], Event::Review, "owner")
            .expect("review");
        assert_eq!(figures(&store, "CUP").1, 8);
        store.unmerge_order(ids[0], "owner").expect("unmerge");
        let main = store.order_detail(ids[0]).expect("detail");
        let other = store.order_detail(ids[1]).expect("detail");
        assert_eq!((main.lines.len(), other.lines.len()), (1, 2));
        assert_eq!(
            (main.amounts.goods_cents, other.amounts.goods_cents),
            (1000, 3000)
        );
        assert_eq!(
            other.row.state,
            OrderState::Approved,
            "keeps its reservation"
        );
        assert_eq!(figures(&store, "CUP").1, 8);
    }

    #[test]
    fn search_finds_each_field() {
        let mut store = shop();
        let mut o = order("756842787424319996", "tb_moon88", "欧阳娜娜", &[("CUP", 1)]);
        o.receiver_phone = "13912345678".to_owned();
        o.tracking_no = "SF1234567890123".to_owned();
        let mut other = order("1", "other", "王芳", &[("TEA", 1)]);
        other.receiver_phone = "13700000000".to_owned();
        store
            .insert_orders(&[o, other], "test", "owner")
            .expect("insert");
        for needle in [
            "756842787424319996",
            "tb_moon88",
            "欧阳",
            "娜娜",
            "娜",
            "13912345678",
            "5678",
            "SF1234567890123",
            "sf123",
            "CUP",
            "商品 CUP",
        ] {
            let rows = store
                .query_orders(&OrderQuery {
                    search: needle.to_owned(),
                    ..OrderQuery::default()
                })
                .expect("search");
            let numbers: Vec<&str> = rows.iter().map(|r| r.order_no.as_str()).collect();
            assert_eq!(numbers, ["756842787424319996"], "search {needle:?}");
        }
        let none = store
            .query_orders(&OrderQuery {
                search: "张三".to_owned(),
                ..OrderQuery::default()
            })
            .expect("search");
        assert!(none.is_empty());
    }

    /// Every action that changes a searchable field moves the order in the search index,
    /// in its own transaction: the new value finds it, the old one no longer does.
    #[test]
    fn the_search_follows_every_change_of_a_searchable_field() {
        use crate::domain::Flag;
        use crate::store::ReceiverEdit;
        let mut store = shop();
        let mut o = order("756842787424319996", "tb_moon88", "欧阳娜娜", &[("CUP", 1)]);
        o.address = "莫干山路 478号 华星科技大厦".to_owned();
        o.seller_remark = "老客户 送贴纸".to_owned();
        // A second order of the same buyer to the same address, merged into the first.
        let mut second = o.clone();
        second.order_no = "2002".to_owned();
        second.seller_remark = String::new();
        let ids = store
            .insert_orders(&[o, second], "test", "owner")
            .expect("insert");
        store
            .merge_orders(ids[0], &[ids[1]], "owner")
            .expect("merge");
        let found = |store: &Store, needle: &str| -> Vec<i64> {
            store
                .query_orders(&OrderQuery {
                    search: needle.to_owned(),
                    ..OrderQuery::default()
                })
                .expect("search")
                .iter()
                .map(|r| r.id)
                .collect()
        };
        let main = ids[0];
        assert_eq!(
            found(&store, "2002"),
            [main],
            "a merged number finds its main order"
        );
        for needle in ["华星科技", "莫干山路", "478", "送贴纸", "老客户"] {
            assert_eq!(found(&store, needle), [main], "{needle} before any change");
        }

        store
            .update_receiver(
                main,
                &ReceiverEdit {
                    receiver_name: "张伟".to_owned(),
                    receiver_phone: "13900001111".to_owned(),
                    province: "江苏省".to_owned(),
                    city: "南京市".to_owned(),
                    district: "鼓楼区".to_owned(),
                    address: "中山北路 200号".to_owned(),
                    ..ReceiverEdit::default()
                },
                "owner",
            )
            .expect("receiver");
        for needle in ["张伟", "13900001111", "1111", "南京", "鼓楼区", "中山北路"] {
            assert_eq!(found(&store, needle), [main], "new value {needle}");
        }
        for needle in ["欧阳娜娜", "13812345678", "华星科技", "莫干山路"] {
            assert!(!found(&store, needle).contains(&main), "old value {needle}");
        }

        store
            .set_remark(main, "换货 SH000123", "owner")
            .expect("remark");
        assert_eq!(found(&store, "SH000123"), [main]);
        assert!(found(&store, "送贴纸").is_empty(), "the old remark");

        store
            .set_flag(main, Flag::Purple, Some("退货 SH000124"), "owner")
            .expect("flag");
        assert_eq!(found(&store, "SH000124"), [main]);
        assert!(
            found(&store, "SH000123").is_empty(),
            "the remark the flag replaced"
        );

        // Tracking numbers (from the pool, typed, imported): the shipping store's tests.
    }

    #[test]
    fn a_duplicate_order_number_is_refused_and_nothing_written() {
        let mut store = shop();
        let result = store.insert_orders(
            &[
                order("9", "b", "x", &[("CUP", 1)]),
                order("9", "b", "x", &[("CUP", 1)]),
            ],
            "test",
            "owner",
        );
        let Err(err) = result else {
            panic!("duplicate must be refused");
        };
        assert!(
            err.to_string().contains("order 9 of taobao is already"),
            "{err}"
        );
        assert_eq!(store.counts().expect("counts").1, 0);
    }
}
