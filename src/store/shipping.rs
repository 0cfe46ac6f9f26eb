//! Shipping documents: pick-list batches with their order slots, couriers and
//! their pools of tracking numbers, recording prints (the state machine's Print event,
//! or a logged reprint), and the marketplace's "batch ship" export.
//!
//! One public function per user action, each one `BEGIN IMMEDIATE` transaction.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::OrderRow;
use super::orders::{ROW_COLUMNS, log, order_row, status_of};
use super::{Result, Store, StoreError, now_text};
use crate::domain::model::{Attributes, attribute_values};
use crate::domain::shipping::{
    LabelSize, PickItem, ShipOrder, SoldLine, allocate_tracking, parse_tracking_numbers,
    tracking_number_problem,
};
use crate::domain::{Event, OrderState, transition};

/// A courier as configured in Settings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CourierRow {
    pub code: String,
    pub name: String,
    pub label_size: LabelSize,
    /// Sender overrides; empty = the sender in Settings.
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_address: String,
    /// A pre-printed form template; empty = print our own label.
    pub template: String,
    pub offset_x: f32,
    pub offset_y: f32,
    /// Pool numbers not used yet (read only).
    pub pool_free: i64,
}

/// Which document was printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Document {
    PickList,
    Slips,
    Waybills,
}

impl Document {
    pub fn code(self) -> &'static str {
        match self {
            Document::PickList => "picklist",
            Document::Slips => "slips",
            Document::Waybills => "waybills",
        }
    }
}

/// What recording a print did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PrintOutcome {
    /// Orders moved to "printed" now.
    pub printed: usize,
    /// Orders printed before: logged as a reprint.
    pub reprinted: usize,
}

/// One pick-list batch in the list of batches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchRow {
    pub id: i64,
    pub created_at: String,
    pub orders: i64,
    /// Times a document of this batch was printed.
    pub prints: i64,
}

/// One line of the "batch ship" CSV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShippedRow {
    pub order_no: String,
    pub platform: String,
    pub courier: String,
    pub tracking_no: String,
    pub printed_at: String,
}

/// The number printed on a pick list (and in its barcode) for a batch id.
pub fn batch_number(id: i64) -> String {
    format!("PL{id:06}")
}

impl Store {
    /// Creates a pick-list batch of the orders in the given order (slot 1 first). Every
    /// order must be printable (approved and paid or cash on delivery, not on hold, or
    /// printed already for a reprint); otherwise nothing is created and the message says
    /// which orders and why.
    pub fn create_batch(&mut self, order_ids: &[i64]) -> Result<i64> {
        if order_ids.is_empty() {
            return Err(StoreError::Invalid(
                "choose at least one order for the batch".to_owned(),
            ));
        }
        let operator = self.settings()?.operator;
        let now = now_text();
        let tx = self.write()?;
        check_printable(&tx, order_ids)?;
        tx.execute(
            "INSERT INTO pick_batches (created_at, operator) VALUES (?1, ?2)",
            params![now, operator],
        )?;
        let batch = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO pick_batch_orders (batch_id, slot, order_id) VALUES (?1, ?2, ?3)",
            )?;
            for (slot, id) in order_ids.iter().enumerate() {
                insert.execute(params![batch, slot as i64 + 1, id])?;
            }
        }
        tx.commit()?;
        Ok(batch)
    }

    /// Refuses, saying which orders and why, when any of these orders cannot be printed.
    pub fn check_printable(&self, order_ids: &[i64]) -> Result<()> {
        check_printable(&self.conn, order_ids)
    }

    /// Orders ready for shipping documents, oldest first: approved and paid (or cash on
    /// delivery), not on hold; and printed orders (a waybill printed first) that are in
    /// no pick-list batch yet.
    pub fn printable_orders(&self, limit: u32) -> Result<Vec<OrderRow>> {
        // Written with the rank so that the state index finds the candidates.
        let open = super::order_query::state_in("o", &[OrderState::Approved, OrderState::Printed]);
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM orders o
             WHERE o.merged_into IS NULL AND o.on_hold = 0 AND {open}
               AND ((o.state = 'approved'
                     AND (o.payment_status IN ('paid', 'partly_refunded')
                          OR o.cash_on_delivery = 1))
                    OR (o.state = 'printed'
                        AND NOT EXISTS (SELECT 1 FROM pick_batch_orders b
                                        WHERE b.order_id = o.id)))
             ORDER BY o.ordered_at, o.id LIMIT ?1"
        );
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map([limit], order_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The latest batches, newest first.
    pub fn batches(&self, limit: u32) -> Result<Vec<BatchRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT b.id, b.created_at,
                    (SELECT count(*) FROM pick_batch_orders o WHERE o.batch_id = b.id),
                    (SELECT count(*) FROM print_log p WHERE p.batch_id = b.id)
             FROM pick_batches b ORDER BY b.id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |row| {
            Ok(BatchRow {
                id: row.get(0)?,
                created_at: row.get(1)?,
                orders: row.get(2)?,
                prints: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The order ids of a batch in slot order.
    pub fn batch_order_ids(&self, batch: i64) -> Result<Vec<i64>> {
        let ids: Vec<i64> = self
            .conn
            .prepare_cached(
                "SELECT order_id FROM pick_batch_orders WHERE batch_id = ?1 ORDER BY slot",
            )?
            .query_map([batch], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if ids.is_empty() {
            return Err(StoreError::NotFound(format!(
                "no batch {}",
                batch_number(batch)
            )));
        }
        Ok(ids)
    }

    /// What the documents need of these orders, in the order given (slot = position).
    pub fn ship_orders(&self, order_ids: &[i64]) -> Result<Vec<ShipOrder>> {
        order_ids
            .iter()
            .enumerate()
            .map(|(i, &id)| {
                let mut order = ship_order(&self.conn, id)?;
                order.slot = i + 1;
                Ok(order)
            })
            .collect()
    }

    /// Records that documents of these orders were printed, in one transaction: approved
    /// orders go to "printed" through the state machine (print date, event log); orders
    /// printed before get a "reprint" entry in their log. Refuses the whole batch when an
    /// order cannot be printed.
    pub fn record_print(
        &mut self,
        order_ids: &[i64],
        batch: Option<i64>,
        document: Document,
    ) -> Result<PrintOutcome> {
        let settings = self.settings()?;
        let now = now_text();
        let tx = self.write()?;
        let mut outcome = PrintOutcome::default();
        for &id in order_ids {
            let (status, _, _) = status_of(&tx, id)?;
            if matches!(status.state, OrderState::Printed | OrderState::Shipped) {
                log(
                    &tx,
                    id,
                    &settings.operator,
                    &now,
                    "reprint",
                    document.code(),
                )?;
                outcome.reprinted += 1;
            } else {
                Store::apply_event_in(&tx, id, Event::Print, &settings, &now)?;
                outcome.printed += 1;
            }
        }
        tx.execute(
            "INSERT INTO print_log (batch_id, document, orders, reprints, printed_at, operator)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                batch,
                document.code(),
                order_ids.len() as i64,
                outcome.reprinted as i64,
                now,
                settings.operator
            ],
        )?;
        tx.commit()?;
        Ok(outcome)
    }

    /// The couriers, by code.
    pub fn couriers(&self) -> Result<Vec<CourierRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COURIER_COLUMNS} FROM couriers c ORDER BY c.code"
        ))?;
        let rows = stmt.query_map([], courier_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One courier by code.
    pub fn courier(&self, code: &str) -> Result<CourierRow> {
        courier_by_code(&self.conn, code)
    }

    /// Adds a courier or updates the one with the same code.
    pub fn save_courier(&mut self, c: &CourierRow) -> Result<()> {
        let code = c.code.trim();
        let name = c.name.trim();
        if code.is_empty() || name.is_empty() {
            return Err(StoreError::Invalid(
                "a courier needs a code and a name".to_owned(),
            ));
        }
        if !c.template.trim().is_empty() {
            crate::domain::shipping::parse_template(&c.template).map_err(StoreError::Invalid)?;
        }
        let now = now_text();
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO couriers (code, name, label_size, sender_name, sender_phone,
                 sender_address, template, offset_x, offset_y, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name,
                 label_size = excluded.label_size, sender_name = excluded.sender_name,
                 sender_phone = excluded.sender_phone, sender_address = excluded.sender_address,
                 template = excluded.template, offset_x = excluded.offset_x,
                 offset_y = excluded.offset_y, updated_at = excluded.updated_at",
            params![
                code,
                name,
                c.label_size.code(),
                c.sender_name.trim(),
                c.sender_phone.trim(),
                c.sender_address.trim(),
                c.template,
                f64::from(c.offset_x),
                f64::from(c.offset_y),
                now
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Adds tracking numbers the courier allocated to the shop (pasted or read from a
    /// file) to its pool. Returns how many were added and the rejected entries with why
    /// (invalid, given twice, already in a pool or used by an order).
    pub fn import_tracking(
        &mut self,
        courier_code: &str,
        text: &str,
    ) -> Result<(usize, Vec<(String, String)>)> {
        let now = now_text();
        let (numbers, mut rejected) = parse_tracking_numbers(text);
        let tx = self.write()?;
        let courier = courier_by_code(&tx, courier_code)?;
        let courier_id: i64 = tx.query_row(
            "SELECT id FROM couriers WHERE code = ?1",
            [&courier.code],
            |row| row.get(0),
        )?;
        let mut added = 0;
        {
            let mut on_order = tx.prepare_cached(
                "SELECT order_no FROM orders WHERE tracking_no = ?1 AND tracking_no <> '' LIMIT 1",
            )?;
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO tracking_pool (number, courier_id, imported_at)
                 VALUES (?1, ?2, ?3)",
            )?;
            for number in numbers {
                let used: Option<String> =
                    on_order.query_row([&number], |row| row.get(0)).optional()?;
                if let Some(order_no) = used {
                    rejected.push((number, format!("already used by order {order_no}")));
                } else if insert.execute(params![number, courier_id, now])? == 0 {
                    rejected.push((number, "already in a pool".to_owned()));
                } else {
                    added += 1;
                }
            }
        }
        tx.commit()?;
        Ok((added, rejected))
    }

    /// Gives every order without a tracking number the next free numbers of the
    /// courier's pool, in order, and sets the courier on all of them. Refuses (changing
    /// nothing) when the pool is short. Returns `(order_no, tracking_no)` for all orders.
    pub fn assign_tracking(
        &mut self,
        order_ids: &[i64],
        courier_code: &str,
    ) -> Result<Vec<(String, String)>> {
        let operator = self.settings()?.operator;
        let now = now_text();
        let tx = self.write()?;
        let courier = courier_by_code(&tx, courier_code)?;
        // An order keeps its number unless it was another courier's: switching courier
        // takes a new number (the old one stays used, never handed out again).
        let mut current = Vec::new();
        for &id in order_ids {
            let (no, was): (String, String) = tx.query_row(
                "SELECT tracking_no, courier FROM orders WHERE id = ?1",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            let keep = !no.is_empty() && (was.is_empty() || was == courier.name);
            current.push((id, keep.then_some(no)));
        }
        let needing = current.iter().filter(|(_, no)| no.is_none()).count();
        let free: Vec<String> = tx
            .prepare_cached(
                "SELECT p.number FROM tracking_pool p JOIN couriers c ON c.id = p.courier_id
                 WHERE c.code = ?1 AND p.order_id IS NULL ORDER BY p.id LIMIT ?2",
            )?
            .query_map(params![courier.code, needing as i64], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let allocation = allocate_tracking(&current, &free)
            .map_err(|e| StoreError::Invalid(format!("{}: {e}", courier.name)))?;
        for (id, number) in &allocation {
            tx.execute(
                "UPDATE tracking_pool SET order_id = ?2, used_at = ?3 WHERE number = ?1",
                params![number, id, now],
            )?;
            tx.execute(
                "UPDATE orders SET tracking_no = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, number, now],
            )?;
            log(
                &tx,
                *id,
                &operator,
                &now,
                "tracking",
                &format!("{} {number} (pool)", courier.name),
            )?;
        }
        let mut result = Vec::new();
        for &id in order_ids {
            tx.execute(
                "UPDATE orders SET courier = ?2 WHERE id = ?1 AND courier <> ?2",
                params![id, courier.name],
            )?;
            result.push(tx.query_row(
                "SELECT order_no, tracking_no FROM orders WHERE id = ?1",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?);
        }
        tx.commit()?;
        Ok(result)
    }

    /// Sets an order's courier and tracking number, typed or scanned. A number already on
    /// another order is refused; a number from the pool is marked used.
    pub fn set_tracking(&mut self, order_id: i64, courier_code: &str, number: &str) -> Result<()> {
        let number = number.trim();
        if let Some(problem) = tracking_number_problem(number) {
            return Err(StoreError::Invalid(format!("{number:?}: {problem}")));
        }
        let operator = self.settings()?.operator;
        let now = now_text();
        let tx = self.write()?;
        let courier = courier_by_code(&tx, courier_code)?;
        let other: Option<String> = tx
            .query_row(
                "SELECT order_no FROM orders WHERE tracking_no = ?1 AND id <> ?2 LIMIT 1",
                params![number, order_id],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(order_no) = other {
            return Err(StoreError::Invalid(format!(
                "tracking number {number} is already used by order {order_no}"
            )));
        }
        let pooled: Option<Option<i64>> = tx
            .query_row(
                "SELECT order_id FROM tracking_pool WHERE number = ?1",
                [number],
                |row| row.get(0),
            )
            .optional()?;
        match pooled {
            Some(Some(user)) if user != order_id => {
                return Err(StoreError::Invalid(format!(
                    "tracking number {number} is already used"
                )));
            }
            Some(None) => {
                tx.execute(
                    "UPDATE tracking_pool SET order_id = ?2, used_at = ?3 WHERE number = ?1",
                    params![number, order_id, now],
                )?;
            }
            _ => {}
        }
        let changed = tx.execute(
            "UPDATE orders SET tracking_no = ?2, courier = ?3, updated_at = ?4 WHERE id = ?1",
            params![order_id, number, courier.name, now],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("no order with id {order_id}")));
        }
        log(
            &tx,
            order_id,
            &operator,
            &now,
            "tracking",
            &format!("{} {number}", courier.name),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The "batch ship" export: printed (or later) orders with a tracking number, printed
    /// on or after `since` (`YYYY-MM-DD` or a timestamp), oldest first.
    pub fn shipped_rows(&self, since: &str) -> Result<Vec<ShippedRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT order_no, platform, courier, tracking_no, printed_at FROM orders
             WHERE printed_at >= ?1 AND tracking_no <> '' AND merged_into IS NULL
               AND state IN ('printed', 'shipped', 'archived')
             ORDER BY printed_at, id",
        )?;
        let rows = stmt.query_map([since], |row| {
            Ok(ShippedRow {
                order_no: row.get(0)?,
                platform: row.get(1)?,
                courier: row.get(2)?,
                tracking_no: row.get(3)?,
                printed_at: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn check_printable(conn: &Connection, order_ids: &[i64]) -> Result<()> {
    if order_ids.is_empty() {
        return Err(StoreError::Invalid("choose at least one order".to_owned()));
    }
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for &id in order_ids {
        let (status, order_no, merged_into) = status_of(conn, id)?;
        if !seen.insert(id) {
            problems.push(format!("{order_no}: given twice"));
        } else if let Some(main) = merged_into {
            problems.push(format!("{order_no}: merged into {main}"));
        } else if let Err(refusal) = transition(status, Event::Print) {
            problems.push(format!("{order_no}: {refusal}"));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let more = problems.len().saturating_sub(5);
    let mut text = problems.into_iter().take(5).collect::<Vec<_>>().join("; ");
    if more > 0 {
        text.push_str(&format!("; and {more} more"));
    }
    Err(StoreError::Invalid(format!(
        "these orders cannot be printed: {text}"
    )))
}

const COURIER_COLUMNS: &str = "c.code, c.name, c.label_size, c.sender_name, c.sender_phone,
    c.sender_address, c.template, c.offset_x, c.offset_y,
    (SELECT count(*) FROM tracking_pool p WHERE p.courier_id = c.id AND p.order_id IS NULL)";

fn courier_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<CourierRow> {
    let size: String = row.get(2)?;
    Ok(CourierRow {
        code: row.get(0)?,
        name: row.get(1)?,
        label_size: LabelSize::from_code(&size).unwrap_or_default(),
        sender_name: row.get(3)?,
        sender_phone: row.get(4)?,
        sender_address: row.get(5)?,
        template: row.get(6)?,
        offset_x: row.get::<_, f64>(7)? as f32,
        offset_y: row.get::<_, f64>(8)? as f32,
        pool_free: row.get(9)?,
    })
}

fn courier_by_code(conn: &Connection, code: &str) -> Result<CourierRow> {
    conn.prepare_cached(&format!(
        "SELECT {COURIER_COLUMNS} FROM couriers c WHERE c.code = ?1"
    ))?
    .query_row([code.trim()], courier_row)
    .optional()?
    .ok_or_else(|| {
        StoreError::NotFound(format!(
            "no courier with code {code:?}: add it in Settings or with `shopdesk couriers add`"
        ))
    })
}

fn product_attributes(json: &str) -> String {
    serde_json::from_str::<Attributes>(json)
        .map(|a| attribute_values(&a))
        .unwrap_or_default()
}

/// One order as the documents need it.
fn ship_order(conn: &Connection, id: i64) -> Result<ShipOrder> {
    let mut order = conn
        .prepare_cached(
            "SELECT order_no, platform, receiver_name, receiver_phone, province, city, district,
                    address, postcode, buyer_message, seller_remark, cash_on_delivery,
                    goods_cents + postage_cents - discount_cents - paid_cents, courier,
                    tracking_no
             FROM orders WHERE id = ?1",
        )?
        .query_row([id], |row| {
            let cod: bool = row.get(11)?;
            let due: i64 = row.get(12)?;
            Ok(ShipOrder {
                id,
                slot: 0,
                order_no: row.get(0)?,
                platform: row.get(1)?,
                receiver_name: row.get(2)?,
                receiver_phone: row.get(3)?,
                province: row.get(4)?,
                city: row.get(5)?,
                district: row.get(6)?,
                address: row.get(7)?,
                postcode: row.get(8)?,
                buyer_message: row.get(9)?,
                seller_remark: row.get(10)?,
                cod_cents: cod.then_some(due.max(0)),
                courier: row.get(13)?,
                tracking_no: row.get(14)?,
                lines: Vec::new(),
                items: Vec::new(),
            })
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no order with id {id}")))?;
    let mut lines = conn.prepare_cached(
        "SELECT l.sku, l.title, l.attributes, l.quantity, p.id, p.code, p.name, p.attributes,
                p.bin, p.is_bundle
         FROM order_lines l LEFT JOIN products p ON p.id = l.product_id
         WHERE l.order_id = ?1 ORDER BY l.id",
    )?;
    let mut components = conn.prepare_cached(
        "SELECT c.code, c.name, c.attributes, c.bin, b.quantity
         FROM bundle_components b JOIN products c ON c.id = b.component_id
         WHERE b.bundle_id = ?1 ORDER BY c.code",
    )?;
    let mut rows = lines.query([id])?;
    let mut items: Vec<PickItem> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut add = |item: PickItem| match at.get(&item.code) {
        Some(&i) => items[i].quantity += item.quantity,
        None => {
            at.insert(item.code.clone(), items.len());
            items.push(item);
        }
    };
    while let Some(row) = rows.next()? {
        let sku: String = row.get(0)?;
        let title: String = row.get(1)?;
        let line_attributes: String = row.get(2)?;
        let quantity: i64 = row.get(3)?;
        let product: Option<i64> = row.get(4)?;
        let (code, name, attributes, bin, bundle) = match product {
            Some(_) => (
                row.get::<_, String>(5)?,
                row.get::<_, String>(6)?,
                product_attributes(&row.get::<_, String>(7)?),
                row.get::<_, String>(8)?,
                row.get::<_, bool>(9)?,
            ),
            None => (
                sku.clone(),
                title.clone(),
                line_attributes.clone(),
                String::new(),
                false,
            ),
        };
        order.lines.push(SoldLine {
            code: code.clone(),
            title: if title.is_empty() {
                name.clone()
            } else {
                title.clone()
            },
            attributes: if attributes.is_empty() {
                line_attributes.clone()
            } else {
                attributes.clone()
            },
            quantity,
        });
        if bundle && let Some(bundle_id) = product {
            let mut parts = components.query([bundle_id])?;
            while let Some(part) = parts.next()? {
                add(PickItem {
                    code: part.get(0)?,
                    name: part.get(1)?,
                    attributes: product_attributes(&part.get::<_, String>(2)?),
                    bin: part.get(3)?,
                    quantity: quantity * part.get::<_, i64>(4)?,
                });
            }
        } else {
            add(PickItem {
                code,
                name,
                attributes: if attributes.is_empty() {
                    line_attributes
                } else {
                    attributes
                },
                bin,
                quantity,
            });
        }
    }
    order.items = items;
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{NewOrder, NewOrderLine};
    use crate::domain::shipping::plan_pick_list;
    use crate::store::testing::shop;

    fn approved(store: &mut Store, no: &str, lines: &[(&str, i64)]) -> i64 {
        let mut order = NewOrder::new("taobao", no, "2026-11-20T10:00:00+08:00");
        order.receiver_name = "张三".to_owned();
        order.receiver_phone = "13812341234".to_owned();
        order.province = "浙江省".to_owned();
        order.city = "杭州市".to_owned();
        order.district = "西湖区".to_owned();
        order.address = "文三路 1 号".to_owned();
        order.payment_status = crate::domain::PaymentStatus::Paid;
        for (sku, quantity) in lines {
            order.lines.push(NewOrderLine {
                sku: (*sku).to_owned(),
                title: format!("商品 {sku}"),
                quantity: *quantity,
                unit_price_cents: 100,
                ..NewOrderLine::default()
            });
        }
        order.goods_cents = order.lines.iter().map(|l| l.quantity * 100).sum();
        order.paid_cents = order.goods_cents;
        let id = store.insert_orders(&[order], "test").expect("insert")[0];
        store.apply_event(id, Event::Review).expect("review");
        id
    }

    fn courier(store: &mut Store) {
        store
            .save_courier(&CourierRow {
                code: "SF".to_owned(),
                name: "顺丰速运".to_owned(),
                ..CourierRow::default()
            })
            .expect("courier");
    }

    #[test]
    fn batch_explodes_bundles_prints_and_logs_reprints() {
        let mut store = shop();
        let a = approved(&mut store, "A1", &[("GIFT", 2), ("CUP", 1)]);
        let b = approved(&mut store, "B2", &[("TEA", 3)]);
        let batch = store.create_batch(&[a, b]).expect("batch");
        assert_eq!(store.printable_orders(10).expect("printable").len(), 2);
        let ids = store.batch_order_ids(batch).expect("ids");
        assert_eq!(ids, vec![a, b]);
        let orders = store.ship_orders(&ids).expect("orders");
        let plan = plan_pick_list(&orders.iter().map(ShipOrder::pick_order).collect::<Vec<_>>());
        let totals: Vec<(&str, i64)> = plan.iter().map(|l| (l.code.as_str(), l.total)).collect();
        assert_eq!(totals, vec![("CUP", 3), ("TEA", 7)]);
        assert_eq!(orders[0].goods(), "CUP×3;TEA×4");

        let outcome = store
            .record_print(&ids, Some(batch), Document::PickList)
            .expect("print");
        assert_eq!(
            outcome,
            PrintOutcome {
                printed: 2,
                reprinted: 0
            }
        );
        let detail = store.order_detail(a).expect("detail");
        assert_eq!(detail.row.state, OrderState::Printed);
        assert!(detail.dates.iter().any(|(k, _)| *k == "print"));
        let again = store
            .record_print(&ids, Some(batch), Document::Slips)
            .expect("reprint");
        assert_eq!(
            again,
            PrintOutcome {
                printed: 0,
                reprinted: 2
            }
        );
        let detail = store.order_detail(a).expect("detail");
        assert!(detail.events.iter().any(|e| e.event == "reprint"));
        assert_eq!(store.batches(10).expect("batches")[0].prints, 2);
    }

    #[test]
    fn a_batch_refuses_orders_that_cannot_print() {
        let mut store = shop();
        let a = approved(&mut store, "A1", &[("CUP", 1)]);
        store.apply_event(a, Event::Hold).expect("hold");
        let err = store.create_batch(&[a]).expect_err("held");
        assert!(err.to_string().contains("A1"), "{err}");
        assert!(store.batches(10).expect("batches").is_empty());
    }

    #[test]
    fn tracking_numbers_come_from_the_pool_and_never_twice() {
        let mut store = shop();
        courier(&mut store);
        let a = approved(&mut store, "A1", &[("CUP", 1)]);
        let b = approved(&mut store, "B2", &[("TEA", 1)]);
        let (added, rejected) = store
            .import_tracking("SF", "SF0000001\nSF0000002\nSF0000001\nbad")
            .expect("import");
        assert_eq!((added, rejected.len()), (2, 2));
        let (added, rejected) = store.import_tracking("SF", "SF0000002").expect("again");
        assert_eq!((added, rejected.len()), (0, 1));
        let c = approved(&mut store, "C3", &[("TEA", 1)]);
        let err = store.assign_tracking(&[a, b, c], "SF").expect_err("short");
        assert!(err.to_string().contains("pool"), "{err}");
        let got = store.assign_tracking(&[a, b], "SF").expect("assign");
        assert_eq!(
            got,
            vec![
                ("A1".to_owned(), "SF0000001".to_owned()),
                ("B2".to_owned(), "SF0000002".to_owned())
            ]
        );
        assert_eq!(store.courier("SF").expect("sf").pool_free, 0);
        // Another courier for A1: a new number from that courier's pool.
        store
            .save_courier(&CourierRow {
                code: "ZTO".to_owned(),
                name: "中通快递".to_owned(),
                ..CourierRow::default()
            })
            .expect("zto");
        store.import_tracking("ZTO", "ZT0000001").expect("zto pool");
        let got = store.assign_tracking(&[a], "ZTO").expect("switch");
        assert_eq!(got, vec![("A1".to_owned(), "ZT0000001".to_owned())]);
        assert_eq!(store.order_detail(a).expect("a").row.courier, "中通快递");
        let err = store.set_tracking(c, "SF", "SF0000002").expect_err("used");
        assert!(err.to_string().contains("B2"), "{err}");
        store.set_tracking(c, "SF", "SF0000009").expect("typed");
        store
            .record_print(&[a, b, c], None, Document::Waybills)
            .expect("print");
        let rows = store.shipped_rows("2000-01-01").expect("rows");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].courier, "顺丰速运");
        assert!(store.shipped_rows("2999-01-01").expect("none").is_empty());
    }
}
