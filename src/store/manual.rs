//! Manual orders and customers: an order typed in by hand (an offline sale, a bank-transfer
//! buyer), a payment received for it (到款), a reshipment (补发) of an existing order, and
//! the customer records every order's buyer has (`010_customers.sql`).

use rusqlite::{OptionalExtension, params};

use super::bulk::{next_order_id, write_orders};
use super::orders::{ProductMatcher, ROW_COLUMNS, log, order_row, status_of};
use super::processing::{before_printing, editable, reindex, set_receiver_in};
use super::{OrderRow, ReceiverEdit, Result, Store, StoreError, now_text};
use crate::domain::format_cents;
use crate::domain::manual::{PLATFORM, PayMethod, next_order_no, payment_remark, phone_key};
use crate::domain::model::{NewOrder, NewOrderLine, attribute_values};
use crate::domain::{Event, Flag, LogKind, OrderState, PaymentStatus};

/// Who a manual order goes to (every field trimmed when stored).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Receiver {
    pub name: String,
    pub phone: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub address: String,
    pub postcode: String,
}

/// One line of a manual order: a product by code or barcode, how many, and its unit price
/// (`None`: the product's price).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManualLine {
    pub code: String,
    pub quantity: i64,
    pub unit_price_cents: Option<i64>,
}

/// An order typed in by hand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManualOrder {
    pub receiver: Receiver,
    pub lines: Vec<ManualLine>,
    pub postage_cents: i64,
    pub cash_on_delivery: bool,
    pub remark: String,
    pub buyer_message: String,
}

/// A customer as the list shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CustomerRow {
    pub id: i64,
    pub platform: String,
    pub buyer_id: String,
    pub name: String,
    pub phone: String,
    pub tags: String,
    pub note: String,
    pub first_order_at: String,
    pub last_order_at: String,
}

/// A receiver a customer used before.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct UsedAddress {
    pub name: String,
    pub phone: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub address: String,
    pub postcode: String,
    pub last_used: String,
}

/// A customer with the figures read from their orders.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomerDetail {
    pub customer: CustomerRow,
    /// Newest first.
    pub orders: Vec<OrderRow>,
    /// Paid minus refunded over orders not cancelled.
    pub spent_cents: i64,
    /// Orders returned or refunded.
    pub returns: i64,
    /// Newest first, each receiver and address once.
    pub addresses: Vec<UsedAddress>,
}

impl Store {
    /// Writes an order typed in by hand, in one transaction: the next number of the manual
    /// series, each line's product found by code or barcode (an unknown one refuses the
    /// whole order), prices from the products where none is given, the buyer keyed by the
    /// phone's digits. The order starts pending review; returns its id and number.
    pub fn create_manual_order(
        &mut self,
        order: &ManualOrder,
        operator: &str,
    ) -> Result<(i64, String)> {
        let now = now_text();
        let tx = self.write()?;
        let (id, order_no) = insert_manual(&tx, order, None, &now, operator)?;
        tx.commit()?;
        Ok((id, order_no))
    }

    /// Records a payment received outside a marketplace (到款): the amount, method and
    /// note are kept, the order becomes paid (the state machine's payment event), and a
    /// bank transfer sets the green flag with the bank and amount in the remark, as the
    /// shop does by hand. One transaction.
    pub fn record_payment(
        &mut self,
        id: i64,
        method: PayMethod,
        amount_cents: i64,
        note: &str,
        operator: &str,
    ) -> Result<String> {
        if amount_cents <= 0 {
            return Err(StoreError::Invalid(
                "the amount received must be more than 0".to_owned(),
            ));
        }
        let settings = self.settings()?;
        let now = now_text();
        let tx = self.write()?;
        let (_, order_no, merged) = status_of(&tx, id)?;
        if let Some(main) = merged {
            return Err(StoreError::Invalid(format!(
                "order {order_no} is merged into order {main}: record the payment on {main}"
            )));
        }
        Store::apply_event_in(&tx, id, Event::PaymentReceived, &settings, operator, &now)?;
        tx.execute(
            "UPDATE orders SET paid_cents = ?2 WHERE id = ?1",
            params![id, amount_cents],
        )?;
        tx.execute(
            "INSERT INTO payments (order_id, method, amount_cents, note, at, operator)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, method.code(), amount_cents, note.trim(), now, operator],
        )?;
        let remark = payment_remark(method, amount_cents, note);
        if method == PayMethod::Bank {
            let (old, old_flag): (String, String) = tx.query_row(
                "SELECT seller_remark, flag FROM orders WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let new = if old.trim().is_empty() {
                remark.clone()
            } else {
                format!("{}; {remark}", old.trim())
            };
            tx.execute(
                "UPDATE orders SET flag = 'green', seller_remark = ?2, updated_at = ?3
                 WHERE id = ?1",
                params![id, new, now],
            )?;
            reindex(&tx, id)?;
            // Logged old → new, the remark as its own entry, as a person's flag is.
            log(
                &tx,
                id,
                operator,
                &now,
                LogKind::Flag,
                &format!("flag {old_flag} → green"),
            )?;
            log(
                &tx,
                id,
                operator,
                &now,
                LogKind::Remark,
                &format!("{old} → {new}"),
            )?;
        }
        log(
            &tx,
            id,
            operator,
            &now,
            LogKind::Event(Event::PaymentReceived),
            &remark,
        )?;
        tx.commit()?;
        Ok(order_no)
    }

    /// Creates a reshipment (补发) of an order: the receiver copied, the chosen lines
    /// (products of the original, or others) at price 0, paid, the reason in its remark and
    /// in both orders' logs, and the two orders linked. Returns its id and number.
    pub fn create_reshipment(
        &mut self,
        original: i64,
        lines: &[ManualLine],
        reason: &str,
        operator: &str,
    ) -> Result<(i64, String)> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Invalid(
                "say why the order is sent again (missing item, damaged, lost by courier…)"
                    .to_owned(),
            ));
        }
        let now = now_text();
        let tx = self.write()?;
        let (id, order_no) = reship_in(&tx, original, lines, "补发", reason, operator, &now)?;
        tx.commit()?;
        Ok((id, order_no))
    }

    /// Changes a manual order before it is printed (editable until printed), in one
    /// transaction: its receiver (as [`Store::update_receiver`] does, field by field), its
    /// lines (products by code or barcode, prices as in [`Store::create_manual_order`]),
    /// goods total, postage, cash on delivery, remark and buyer's message, each change
    /// logged old → new and the search entry rewritten. An approved order goes back to
    /// pending review (its reservations follow its state and lines) for the caller to
    /// review again. Refused, with the reason, for other platforms' orders, orders printed
    /// or later, cancelled, merged into another or carrying merged ones, and orders in a
    /// pick-list batch. Returns the order number and whether anything changed (nothing
    /// changed: nothing written).
    pub fn update_manual_order(
        &mut self,
        id: i64,
        order: &ManualOrder,
        operator: &str,
    ) -> Result<(String, bool)> {
        let settings = self.settings()?;
        let now = now_text();
        let tx = self.write()?;
        let (order_no, state) = editable(&tx, id, "edit")?;
        let stored = tx.query_row(
            "SELECT platform, postage_cents, cash_on_delivery, seller_remark, buyer_message,
                    payment_status, receiver_phone2
             FROM orders WHERE id = ?1",
            [id],
            |r| {
                Ok(Stored {
                    platform: r.get(0)?,
                    postage_cents: r.get(1)?,
                    cash_on_delivery: r.get(2)?,
                    remark: r.get(3)?,
                    buyer_message: r.get(4)?,
                    paid: PaymentStatus::from_code(&r.get::<_, String>(5)?)
                        .is_some_and(PaymentStatus::is_paid),
                    phone2: r.get(6)?,
                })
            },
        )?;
        if stored.platform != PLATFORM {
            return Err(StoreError::Invalid(format!(
                "order {order_no} came from {}: only manual orders are edited this way \
                 (change its receiver or remark, or split it)",
                stored.platform
            )));
        }
        before_printing(&order_no, state, "edit")?;
        let merged: i64 = tx.query_row(
            "SELECT count(*) FROM orders WHERE merged_into = ?1",
            [id],
            |r| r.get(0),
        )?;
        if merged > 0 {
            return Err(StoreError::Invalid(format!(
                "order {order_no} has orders merged into it: unmerge them first, then edit"
            )));
        }
        let batch: Option<i64> = tx
            .query_row(
                "SELECT batch_id FROM pick_batch_orders WHERE order_id = ?1 LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(batch) = batch {
            return Err(StoreError::Invalid(format!(
                "order {order_no} is on pick list {}: its goods are being picked",
                super::batch_number(batch)
            )));
        }
        if order.cash_on_delivery && !stored.cash_on_delivery && stored.paid {
            return Err(StoreError::Invalid(format!(
                "order {order_no} is paid already: it cannot become cash on delivery"
            )));
        }
        check_receiver(&order.receiver)?;
        let lines = resolve_lines(&tx, &order.lines, order.postage_cents)?;
        let old_lines: Vec<(String, i64, i64)> = tx
            .prepare_cached(
                "SELECT COALESCE(p.code, l.sku), l.quantity, l.unit_price_cents
                 FROM order_lines l LEFT JOIN products p ON p.id = l.product_id
                 WHERE l.order_id = ?1 ORDER BY l.id",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let new_lines: Vec<(String, i64, i64)> = lines
            .iter()
            .map(|l| (l.sku.clone(), l.quantity, l.unit_price_cents))
            .collect();
        let mut changes = Vec::new();
        if old_lines != new_lines {
            changes.push(format!(
                "lines: {} → {}",
                lines_text(&old_lines),
                lines_text(&new_lines)
            ));
        }
        if stored.postage_cents != order.postage_cents {
            changes.push(format!(
                "postage: {} → {}",
                format_cents(stored.postage_cents),
                format_cents(order.postage_cents)
            ));
        }
        if stored.cash_on_delivery != order.cash_on_delivery {
            let word = |cod: bool| if cod { "yes" } else { "no" };
            changes.push(format!(
                "cash on delivery: {} → {}",
                word(stored.cash_on_delivery),
                word(order.cash_on_delivery)
            ));
        }
        let message = order.buyer_message.trim();
        if stored.buyer_message != message {
            changes.push(format!(
                "buyer message: {} → {message}",
                stored.buyer_message
            ));
        }
        let remark = order.remark.trim();
        let r = &order.receiver;
        let receiver = ReceiverEdit {
            receiver_name: r.name.clone(),
            receiver_phone: r.phone.clone(),
            receiver_phone2: stored.phone2.clone(),
            province: r.province.clone(),
            city: r.city.clone(),
            district: r.district.clone(),
            address: r.address.clone(),
            postcode: r.postcode.clone(),
        };
        let receiver_changed = set_receiver_in(
            &tx,
            id,
            &order_no,
            &receiver,
            (operator, LogKind::Receiver),
            &now,
        )?;
        if stored.remark != remark {
            log(
                &tx,
                id,
                operator,
                &now,
                LogKind::Remark,
                &format!("{} → {remark}", stored.remark),
            )?;
        }
        if changes.is_empty() && stored.remark == remark && !receiver_changed {
            return Ok((order_no, false));
        }
        if !changes.is_empty() {
            log(&tx, id, operator, &now, LogKind::Lines, &changes.join("; "))?;
        }
        tx.execute("DELETE FROM order_lines WHERE order_id = ?1", [id])?;
        let codes: Vec<&str> = lines.iter().map(|l| l.sku.as_str()).collect();
        let matcher = ProductMatcher::only(&tx, &codes)?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO order_lines (order_id, origin_order_id, product_id, sku, title,
                     attributes, quantity, unit_price_cents)
                 VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for l in &lines {
                insert.execute(params![
                    id,
                    matcher.find(&l.sku),
                    l.sku,
                    l.title,
                    l.attributes,
                    l.quantity,
                    l.unit_price_cents
                ])?;
            }
        }
        let goods: i64 = lines.iter().map(|l| l.quantity * l.unit_price_cents).sum();
        tx.execute(
            "UPDATE orders SET goods_cents = ?2, postage_cents = ?3, cash_on_delivery = ?4,
                 seller_remark = ?5, buyer_message = ?6, updated_at = ?7 WHERE id = ?1",
            params![
                id,
                goods,
                order.postage_cents,
                order.cash_on_delivery,
                remark,
                message,
                now
            ],
        )?;
        // Approved with the old lines: reviewed again with the new ones.
        if state == OrderState::Approved {
            Store::apply_event_in(&tx, id, Event::Reopen, &settings, operator, &now)?;
        }
        reindex(&tx, id)?;
        tx.commit()?;
        Ok((order_no, true))
    }

    /// Whether the product of this code is a bundle; `None` when there is none.
    pub fn product_is_bundle(&self, code: &str) -> Result<Option<bool>> {
        Ok(self
            .conn
            .prepare_cached("SELECT is_bundle FROM products WHERE code = ?1")?
            .query_row([code.trim()], |r| r.get(0))
            .optional()?)
    }

    /// True when a product has this code or barcode.
    pub fn product_exists(&self, code_or_barcode: &str) -> Result<bool> {
        let key = code_or_barcode.trim();
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM products WHERE code = ?1)
                     OR EXISTS (SELECT 1 FROM product_barcodes WHERE barcode = ?1)",
            )?
            .query_row([key], |r| r.get(0))?)
    }

    /// What a bundle is made of: `(code, name, quantity per bundle, sellable)` per part,
    /// sellable as the stock list figures it.
    pub fn bundle_parts(&self, code: &str) -> Result<Vec<(String, String, i64, i64)>> {
        let parts: Vec<(i64, String, String, i64)> = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.code, c.name, b.quantity
                 FROM products p JOIN bundle_components b ON b.bundle_id = p.id
                 JOIN products c ON c.id = b.component_id
                 WHERE p.code = ?1 ORDER BY c.code",
            )?
            .query_map([code.trim()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(parts.len());
        for (_, part_code, name, quantity) in parts {
            let page = self.product_page(&super::ProductFilter {
                search: part_code.clone(),
                limit: 20,
                ..super::ProductFilter::default()
            })?;
            let sellable = page
                .rows
                .iter()
                .find(|r| r.code == part_code)
                .map_or(0, |r| r.sellable);
            out.push((part_code, name, quantity, sellable));
        }
        Ok(out)
    }

    /// The order numbers a reshipment links: the original's, and the reshipments of `id`.
    pub fn reship_links(&self, id: i64) -> Result<(Option<String>, Vec<String>)> {
        let of: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT o.order_no FROM orders r JOIN orders o ON o.id = r.reship_of
                 WHERE r.id = ?1",
            )?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let reshipments = self
            .conn
            .prepare_cached("SELECT order_no FROM orders WHERE reship_of = ?1 ORDER BY id")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok((of, reshipments))
    }

    /// Customers whose name, phone (or its last four digits) or buyer id matches, most
    /// recent buyers first; all of them (up to `limit`) for an empty search.
    pub fn customers(&self, search: &str, limit: u32) -> Result<Vec<CustomerRow>> {
        let search = search.trim();
        let limit = if limit == 0 { 200 } else { limit };
        let sql = format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers c
             WHERE c.id IN (
                 SELECT id FROM customers WHERE name = ?1
                 UNION SELECT id FROM customers WHERE name >= ?1 AND name < ?1 || x'ff'
                 UNION SELECT id FROM customers WHERE phone = ?1
                 UNION SELECT id FROM customers WHERE substr(phone, -4) = ?1
                 UNION SELECT id FROM customers WHERE buyer_id = ?1)
             ORDER BY c.last_order_at DESC LIMIT ?2"
        );
        let rows = if search.is_empty() {
            self.conn
                .prepare_cached(&format!(
                    "SELECT {CUSTOMER_COLUMNS} FROM customers c
                     ORDER BY c.last_order_at DESC LIMIT ?1"
                ))?
                .query_map([limit], customer_row)?
                .collect::<rusqlite::Result<_>>()?
        } else {
            self.conn
                .prepare_cached(&sql)?
                .query_map(params![search, limit], customer_row)?
                .collect::<rusqlite::Result<_>>()?
        };
        Ok(rows)
    }

    /// A customer with their orders, what they spent, their returns and the addresses they
    /// used.
    pub fn customer(&self, id: i64) -> Result<CustomerDetail> {
        let customer = self
            .conn
            .prepare_cached(&format!(
                "SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE c.id = ?1"
            ))?
            .query_row([id], customer_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no customer #{id}")))?;
        let orders: Vec<OrderRow> = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ROW_COLUMNS} FROM orders o
                 WHERE o.platform = ?1 AND o.buyer_id = ?2 AND o.buyer_id <> ''
                 ORDER BY o.ordered_at DESC LIMIT 500"
            ))?
            .query_map(params![customer.platform, customer.buyer_id], order_row)?
            .collect::<rusqlite::Result<_>>()?;
        let (spent_cents, returns): (i64, i64) = self.conn.prepare_cached(
            "SELECT COALESCE(sum(CASE WHEN state <> 'cancelled' THEN paid_cents - refunded_cents
                                      ELSE 0 END), 0),
                    count(*) FILTER (WHERE payment_status IN ('refunded', 'partly_refunded')
                                     OR EXISTS (SELECT 1 FROM order_events e
                                                WHERE e.order_id = orders.id
                                                  AND e.event = 'return'))
             FROM orders WHERE platform = ?1 AND buyer_id = ?2 AND buyer_id <> ''",
        )?
        .query_row(params![customer.platform, customer.buyer_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        let addresses = self
            .conn
            .prepare_cached(
                "SELECT receiver_name, receiver_phone, province, city, district, address,
                        postcode, max(ordered_at)
                 FROM orders WHERE platform = ?1 AND buyer_id = ?2 AND buyer_id <> ''
                 GROUP BY receiver_name, receiver_phone, province, city, district, address
                 ORDER BY max(ordered_at) DESC LIMIT 20",
            )?
            .query_map(params![customer.platform, customer.buyer_id], |r| {
                Ok(UsedAddress {
                    name: r.get(0)?,
                    phone: r.get(1)?,
                    province: r.get(2)?,
                    city: r.get(3)?,
                    district: r.get(4)?,
                    address: r.get(5)?,
                    postcode: r.get(6)?,
                    last_used: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(CustomerDetail {
            customer,
            orders,
            spent_cents,
            returns,
            addresses,
        })
    }

    /// The customer record of an order's buyer, if it has one.
    pub fn customer_of_order(&self, order: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT c.id FROM orders o JOIN customers c
                   ON c.platform = o.platform AND c.buyer_id = o.buyer_id
                 WHERE o.id = ?1",
            )?
            .query_row([order], |r| r.get(0))
            .optional()?)
    }

    /// Sets a customer's tags (comma-separated) and note.
    pub fn set_customer_note(&mut self, id: i64, tags: &str, note: &str) -> Result<()> {
        let tags = tags
            .split([',', '，'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(",");
        let tx = self.write()?;
        let n = tx.execute(
            "UPDATE customers SET tags = ?2, note = ?3 WHERE id = ?1",
            params![id, tags, note.trim()],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("no customer #{id}")));
        }
        tx.commit()?;
        Ok(())
    }
}

/// The trigger that keeps customers current row by row; a bulk load suspends it and calls
/// [`customers_from`] once instead.
pub(super) const CUSTOMER_TRIGGER: &str = "orders_customer";

/// Brings the customers up to date with the orders from id `first` on, in one statement
/// (what the `orders_customer` trigger does row by row), inside the caller's transaction.
pub(super) fn customers_from(tx: &rusqlite::Transaction<'_>, first: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO customers (platform, buyer_id, name, phone, first_order_at, last_order_at)
         SELECT platform, buyer_id, receiver_name, receiver_phone, first_at, last_at
         FROM (SELECT platform, buyer_id, receiver_name, receiver_phone,
                      min(ordered_at) OVER w AS first_at, max(ordered_at) OVER w AS last_at,
                      row_number() OVER (PARTITION BY platform, buyer_id
                                         ORDER BY ordered_at DESC, id DESC) AS latest
               FROM orders WHERE id >= ?1 AND buyer_id <> ''
               WINDOW w AS (PARTITION BY platform, buyer_id))
         WHERE latest = 1
         ON CONFLICT (platform, buyer_id) DO UPDATE SET
             name = CASE WHEN excluded.last_order_at >= customers.last_order_at
                         THEN excluded.name ELSE customers.name END,
             phone = CASE WHEN excluded.last_order_at >= customers.last_order_at
                          THEN excluded.phone ELSE customers.phone END,
             first_order_at = min(customers.first_order_at, excluded.first_order_at),
             last_order_at = max(customers.last_order_at, excluded.last_order_at)",
        [first],
    )?;
    Ok(())
}

const CUSTOMER_COLUMNS: &str = "c.id, c.platform, c.buyer_id, c.name, c.phone, c.tags, c.note,
     c.first_order_at, c.last_order_at";

fn customer_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CustomerRow> {
    Ok(CustomerRow {
        id: r.get(0)?,
        platform: r.get(1)?,
        buyer_id: r.get(2)?,
        name: r.get(3)?,
        phone: r.get(4)?,
        tags: r.get(5)?,
        note: r.get(6)?,
        first_order_at: r.get(7)?,
        last_order_at: r.get(8)?,
    })
}

/// What an edit of a manual order compares with.
struct Stored {
    platform: String,
    postage_cents: i64,
    cash_on_delivery: bool,
    remark: String,
    buyer_message: String,
    paid: bool,
    phone2: String,
}

/// Lines as the event log shows them: `CUP×2@12.50, TEA×1@30.00`.
fn lines_text(lines: &[(String, i64, i64)]) -> String {
    lines
        .iter()
        .map(|(code, quantity, price)| format!("{code}×{quantity}@{}", format_cents(*price)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Refuses a receiver an order cannot go to.
fn check_receiver(r: &Receiver) -> Result<()> {
    if r.name.trim().is_empty() {
        return Err(StoreError::Invalid(
            "the receiver's name is missing".to_owned(),
        ));
    }
    if phone_key(&r.phone).len() < 7 {
        return Err(StoreError::Invalid(format!(
            "phone {:?}: expected a mobile number or a landline with its area code",
            r.phone
        )));
    }
    if r.province.trim().is_empty() || r.city.trim().is_empty() || r.address.trim().is_empty() {
        return Err(StoreError::Invalid(
            "the address needs a province, a city and the street address".to_owned(),
        ));
    }
    Ok(())
}

/// A manual order's lines as order lines: each product found by code or barcode (an
/// unknown or inactive one refuses them all), prices from the products where none is
/// given; quantities, prices and the postage checked.
fn resolve_lines(
    tx: &rusqlite::Transaction<'_>,
    manual: &[ManualLine],
    postage_cents: i64,
) -> Result<Vec<NewOrderLine>> {
    if manual.is_empty() {
        return Err(StoreError::Invalid(
            "add at least one product to the order".to_owned(),
        ));
    }
    if postage_cents < 0 {
        return Err(StoreError::Invalid("postage cannot be negative".to_owned()));
    }
    let keys: Vec<&str> = manual.iter().map(|l| l.code.as_str()).collect();
    let matcher = ProductMatcher::only(tx, &keys)?;
    let mut product = tx.prepare_cached(
        "SELECT code, name, attributes, price_cents, active FROM products WHERE id = ?1",
    )?;
    let mut lines = Vec::with_capacity(manual.len());
    for line in manual {
        if !(1..=crate::domain::manual::MAX_QUANTITY).contains(&line.quantity) {
            return Err(StoreError::Invalid(format!(
                "{}: quantity {} — expected 1 to {}",
                line.code,
                line.quantity,
                crate::domain::manual::MAX_QUANTITY
            )));
        }
        if line.unit_price_cents.is_some_and(|p| p < 0) {
            return Err(StoreError::Invalid(format!(
                "{}: the price cannot be negative",
                line.code
            )));
        }
        let id = matcher.find(&line.code).ok_or_else(|| {
            StoreError::NotFound(format!(
                "no product with code or barcode {:?}",
                line.code.trim()
            ))
        })?;
        let (code, name, attributes, price, active): (String, String, String, i64, bool) = product
            .query_row([id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?;
        if !active {
            return Err(StoreError::Invalid(format!(
                "product {code} is inactive: activate it in Inventory first"
            )));
        }
        let attributes: crate::domain::model::Attributes =
            serde_json::from_str(&attributes).unwrap_or_default();
        lines.push(NewOrderLine {
            sku: code,
            title: name,
            attributes: attribute_values(&attributes),
            quantity: line.quantity,
            unit_price_cents: line.unit_price_cents.unwrap_or(price),
        });
    }
    Ok(lines)
}

/// Creates an order sent again for `original` inside the caller's transaction: the
/// receiver copied, the lines at price 0 unless priced, paid, linked to the original, with
/// `word` (补发 for a reshipment, 换货 for an exchange's replacement) and the reason in its
/// remark and in the original's log (an archived original keeps its log as it is).
pub(super) fn reship_in(
    tx: &rusqlite::Transaction<'_>,
    original: i64,
    lines: &[ManualLine],
    word: &str,
    reason: &str,
    operator: &str,
    now: &str,
) -> Result<(i64, String)> {
    let reason = reason.trim();
    let (status, original_no, merged) = status_of(tx, original)?;
    if let Some(main) = merged {
        return Err(StoreError::Invalid(format!(
            "order {original_no} is merged into order {main}: reship {main}"
        )));
    }
    if status.state == OrderState::PendingReview || status.state == OrderState::Approved {
        return Err(StoreError::Invalid(format!(
            "order {original_no} has not been printed yet: change the order instead of \
             sending it again"
        )));
    }
    let receiver = tx.query_row(
        "SELECT receiver_name, receiver_phone, province, city, district, address, postcode
         FROM orders WHERE id = ?1",
        [original],
        |r| {
            Ok(Receiver {
                name: r.get(0)?,
                phone: r.get(1)?,
                province: r.get(2)?,
                city: r.get(3)?,
                district: r.get(4)?,
                address: r.get(5)?,
                postcode: r.get(6)?,
            })
        },
    )?;
    let order = ManualOrder {
        receiver,
        lines: lines
            .iter()
            .map(|l| ManualLine {
                unit_price_cents: Some(l.unit_price_cents.unwrap_or(0)),
                ..l.clone()
            })
            .collect(),
        remark: format!("{word} {original_no}: {reason}"),
        ..ManualOrder::default()
    };
    let (id, order_no) = insert_manual(tx, &order, Some(original), now, operator)?;
    // An archived order cannot change, not even its log: the link is on the new order.
    if status.state != OrderState::Archived {
        log(
            tx,
            original,
            operator,
            now,
            LogKind::Reship,
            &if word == "换货" {
                format!("replacement sent as {order_no}: {reason}")
            } else {
                format!("reshipped as {order_no}: {reason}")
            },
        )?;
    }
    Ok((id, order_no))
}

/// Writes a manual order (or a reshipment of `reship_of`) inside the caller's transaction.
fn insert_manual(
    tx: &rusqlite::Transaction<'_>,
    order: &ManualOrder,
    reship_of: Option<i64>,
    now: &str,
    operator: &str,
) -> Result<(i64, String)> {
    let r = &order.receiver;
    check_receiver(r)?;
    let lines = resolve_lines(tx, &order.lines, order.postage_cents)?;
    let day = now.get(..10).unwrap_or_default().replace('-', "");
    // The day's highest number: the one with the most digits, then the highest text.
    let last: Option<String> = tx
        .prepare_cached(
            "SELECT order_no FROM orders WHERE platform = ?1 AND order_no >= ?2
               AND order_no < ?3 ORDER BY length(order_no) DESC, order_no DESC LIMIT 1",
        )?
        .query_row(
            params![PLATFORM, format!("M{day}"), format!("M{day}\u{ff}")],
            |r| r.get(0),
        )
        .optional()?;
    let order_no = next_order_no(&day, last.as_deref());
    let mut new = NewOrder::new(PLATFORM, &order_no, now);
    new.buyer_id = phone_key(&r.phone);
    new.buyer_name = r.name.trim().to_owned();
    new.receiver_name = r.name.trim().to_owned();
    new.receiver_phone = r.phone.trim().to_owned();
    new.province = r.province.trim().to_owned();
    new.city = r.city.trim().to_owned();
    new.district = r.district.trim().to_owned();
    new.address = r.address.trim().to_owned();
    new.postcode = r.postcode.trim().to_owned();
    new.seller_remark = order.remark.trim().to_owned();
    new.buyer_message = order.buyer_message.trim().to_owned();
    new.goods_cents = lines.iter().map(|l| l.quantity * l.unit_price_cents).sum();
    new.postage_cents = order.postage_cents;
    new.cash_on_delivery = order.cash_on_delivery;
    new.lines = lines;
    if reship_of.is_some() && new.total_cents() == 0 {
        // Nothing to pay: a free reshipment is paid as it is made.
        new.payment_status = PaymentStatus::Paid;
        new.paid_at = Some(now.to_owned());
    }
    new.flag = Flag::None;
    // The lines name their products by code now.
    let codes: Vec<&str> = new.lines.iter().map(|l| l.sku.as_str()).collect();
    let matcher = ProductMatcher::only(tx, &codes)?;
    let id = next_order_id(tx)?;
    write_orders(
        tx,
        &[(id, &new)],
        &matcher,
        operator,
        if reship_of.is_some() {
            "reship"
        } else {
            "manual"
        },
        Some(now),
    )?;
    if let Some(original) = reship_of {
        tx.execute(
            "UPDATE orders SET reship_of = ?2 WHERE id = ?1",
            params![id, original],
        )?;
    }
    Ok((id, order_no))
}

#[cfg(test)]
mod tests;
