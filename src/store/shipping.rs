//! Shipping documents: pick-list batches with their order slots, couriers and
//! their pools of tracking numbers, recording prints (the state machine's Print event,
//! or a logged reprint), and the marketplace's "batch ship" export.
//!
//! An order refers to its courier record by `orders.courier_id`; `orders.courier` keeps
//! the text it came with (or the courier's name once a number is given here), which the
//! lists and `orders --json` show. Orders without an id (archived before migration 007,
//! or a name no courier answered to then) are resolved through codes, names and aliases
//! when read ([`CourierDirectory`]). A tracking number changes only by an explicit
//! [`Store::change_courier`], which voids the old one for good.
//!
//! One public function per user action, each one `BEGIN IMMEDIATE` transaction. Write
//! functions take the operator from the caller.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::OrderRow;
use super::orders::{ROW_COLUMNS, log, order_row, status_of};
use super::{Result, Store, StoreError, now_text};
use crate::domain::LogKind;
use crate::domain::model::{Attributes, attribute_values};
use crate::domain::shipping::{
    CourierDirectory, CourierRef, KnownCourier, LabelSize, PickItem, ShipOrder, ShippingLog,
    SoldLine, TrackingSource, TrackingStep, allocate_tracking, courier_alias_problem, courier_key,
    parse_tracking_numbers, tracking_detail, tracking_number_problem, tracking_step,
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
    /// Other names orders give this courier (`顺丰快递` for `顺丰速运`), sorted. Saving adds
    /// the ones that are new; [`Store::remove_courier_alias`] removes one.
    pub aliases: Vec<String>,
    /// Pool numbers not used yet (read only).
    pub pool_free: i64,
}

/// Which document was printed: the kinds of the print log.
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
    pub id: i64,
    pub order_no: String,
    pub platform: String,
    pub courier: String,
    pub tracking_no: String,
    pub printed_at: String,
}

/// A tracking number taken off an order by a courier change; never used again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoidedTracking {
    pub number: String,
    /// The order's courier text when the number was voided.
    pub courier: String,
    pub voided_at: String,
    pub operator: String,
    pub reason: String,
}

/// An order's courier and tracking number, and the numbers voided on it (oldest first):
/// what a "change courier" dialog shows before it asks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderTracking {
    pub order_no: String,
    pub state: OrderState,
    pub courier: CourierRef,
    pub tracking_no: String,
    pub voided: Vec<VoidedTracking>,
}

/// What an explicit courier change did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CourierChange {
    pub order_no: String,
    /// The courier before the change.
    pub old_courier: CourierRef,
    /// The number voided, if the order had one.
    pub voided: Option<String>,
    /// The courier now.
    pub courier: KnownCourier,
    pub tracking_no: String,
    pub source: TrackingSource,
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
    pub fn create_batch(&mut self, order_ids: &[i64], operator: &str) -> Result<i64> {
        if order_ids.is_empty() {
            return Err(StoreError::Invalid(
                "choose at least one order for the batch".to_owned(),
            ));
        }
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
        let couriers = courier_directory(&self.conn)?;
        order_ids
            .iter()
            .enumerate()
            .map(|(i, &id)| {
                let mut order = ship_order(&self.conn, &couriers, id)?;
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
        operator: &str,
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
                    operator,
                    &now,
                    LogKind::Shipping(ShippingLog::Reprint),
                    document.code(),
                )?;
                outcome.reprinted += 1;
            } else {
                Store::apply_event_in(&tx, id, Event::Print, &settings, operator, &now)?;
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
                operator
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

    /// Adds a courier or updates the one with the same code, and adds the aliases of the
    /// row it does not have yet. A code, name or alias that already names another courier
    /// is refused (an imported name must point at one courier). A renamed courier keeps
    /// its old name as an alias, so orders that carry the old name still find it.
    pub fn save_courier(&mut self, c: &CourierRow, operator: &str) -> Result<()> {
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
        for alias in &c.aliases {
            if let Some(problem) = courier_alias_problem(alias) {
                return Err(StoreError::Invalid(problem));
            }
        }
        let now = now_text();
        let tx = self.write()?;
        let before: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, name FROM couriers WHERE code = ?1",
                [code],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let own = before.as_ref().map(|(id, _)| *id);
        // What the trail says the courier was: read before it changes.
        let was = match own {
            Some(id) => courier_said(&tx, id)?,
            None => String::new(),
        };
        let names = [code, name]
            .into_iter()
            .chain(c.aliases.iter().map(|a| a.trim()));
        let directory = courier_directory(&tx)?;
        for text in names {
            if let CourierRef::Known(other) = directory.resolve(text)
                && Some(other.id) != own
            {
                return Err(StoreError::Invalid(format!(
                    "{text:?} already names courier {} ({}): a code, name or alias names one \
                     courier only",
                    other.code, other.name
                )));
            }
        }
        let id: i64 = tx.query_row(
            "INSERT INTO couriers (code, name, label_size, sender_name, sender_phone,
                 sender_address, template, offset_x, offset_y, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name,
                 label_size = excluded.label_size, sender_name = excluded.sender_name,
                 sender_phone = excluded.sender_phone, sender_address = excluded.sender_address,
                 template = excluded.template, offset_x = excluded.offset_x,
                 offset_y = excluded.offset_y, updated_at = excluded.updated_at
             RETURNING id",
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
            |row| row.get(0),
        )?;
        let renamed_from = before
            .map(|(_, old)| old)
            .filter(|old| courier_key(old) != courier_key(name));
        let new_aliases = renamed_from
            .iter()
            .map(String::as_str)
            .chain(c.aliases.iter().map(|a| a.trim()))
            .filter(|a| courier_key(a) != courier_key(code) && courier_key(a) != courier_key(name));
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO courier_aliases (alias, courier_id) VALUES (?1, ?2)",
            )?;
            for alias in new_aliases {
                insert.execute(params![alias, id])?;
            }
        }
        let now_said = courier_said(&tx, id)?;
        if now_said != was {
            let action = if own.is_some() {
                "courier.edit"
            } else {
                "courier.add"
            };
            super::audit::record(&tx, operator, action, code, &was, &now_said)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Removes a courier alias. Orders that were matched through it keep their courier;
    /// orders that carry only the text no longer find the courier by it.
    pub fn remove_courier_alias(&mut self, alias: &str, operator: &str) -> Result<()> {
        let tx = self.write()?;
        let removed = tx.execute(
            "DELETE FROM courier_aliases WHERE alias = ?1",
            [alias.trim()],
        )?;
        if removed == 0 {
            return Err(StoreError::NotFound(format!(
                "no courier has the alias {:?}",
                alias.trim()
            )));
        }
        super::audit::record(
            &tx,
            operator,
            "courier.alias_removed",
            alias.trim(),
            alias.trim(),
            "",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Adds tracking numbers the courier allocated to the shop (pasted or read from a
    /// file) to its pool. Returns how many were added and the rejected entries with why
    /// (invalid, given twice, already in a pool, used by an order or voided).
    pub fn import_tracking(
        &mut self,
        courier_code: &str,
        text: &str,
        operator: &str,
    ) -> Result<(usize, Vec<(String, String)>)> {
        let now = now_text();
        let (numbers, mut rejected) = parse_tracking_numbers(text);
        let tx = self.write()?;
        let courier = known_courier(&tx, courier_code)?;
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
                } else if let Some(order_no) = voided_on(&tx, &number)? {
                    rejected.push((
                        number,
                        format!("voided on order {order_no}: never used again"),
                    ));
                } else if insert.execute(params![number, courier.id, now])? == 0 {
                    rejected.push((number, "already in a pool".to_owned()));
                } else {
                    added += 1;
                }
            }
        }
        if added > 0 {
            super::audit::record(
                &tx,
                operator,
                "tracking.pool",
                &courier.code,
                "",
                &format!("{added} numbers added"),
            )?;
        }
        tx.commit()?;
        Ok((added, rejected))
    }

    /// Gives every order without a tracking number the next free numbers of the
    /// courier's pool, in order; orders that have this courier's number (or a number
    /// without a courier) keep it. All of them get the courier. Refuses, changing nothing,
    /// when the pool is short or when an order has another courier's number: replacing
    /// that is [`Store::change_courier`], an explicit action. Returns `(order_no,
    /// tracking_no)` for all orders.
    pub fn assign_tracking(
        &mut self,
        order_ids: &[i64],
        courier_code: &str,
        operator: &str,
    ) -> Result<Vec<(String, String)>> {
        let now = now_text();
        let tx = self.write()?;
        let courier = known_courier(&tx, courier_code)?;
        let directory = courier_directory(&tx)?;
        let mut orders = Vec::with_capacity(order_ids.len());
        let mut others = Vec::new();
        for &id in order_ids {
            let order = tracked(&tx, &directory, id)?;
            match tracking_step(&order.courier, &order.tracking_no, courier.id) {
                TrackingStep::OtherCourier => others.push(format!(
                    "{}: {}",
                    order.order_no,
                    with_courier(&order.courier, &order.tracking_no)
                )),
                TrackingStep::Keep | TrackingStep::FromPool => {}
            }
            orders.push(order);
        }
        if !others.is_empty() {
            return Err(StoreError::Invalid(format!(
                "these orders have another courier's tracking number, and its label may be on \
                 a parcel already: {}. Print them with their own courier, or change their \
                 courier first (`shopdesk courier-change ORDER_NO --courier {} --reason TEXT`, \
                 or Change courier in the Waybills tab), which voids the old number",
                summarize(others),
                courier.code
            )));
        }
        let current: Vec<(i64, Option<String>)> = orders
            .iter()
            .map(|o| {
                (
                    o.id,
                    (!o.tracking_no.is_empty()).then(|| o.tracking_no.clone()),
                )
            })
            .collect();
        let needing = current.iter().filter(|(_, no)| no.is_none()).count();
        let free = free_pool_numbers(&tx, courier.id, needing)?;
        let allocation = allocate_tracking(&current, &free).map_err(|e| {
            StoreError::Invalid(format!("{} ({}): {e}", courier.name, courier.code))
        })?;
        for (id, number) in &allocation {
            take_from_pool(&tx, number, *id, &now)?;
            write_tracking(&tx, *id, &courier, number, &now)?;
            log(
                &tx,
                *id,
                operator,
                &now,
                LogKind::Shipping(ShippingLog::Tracking),
                &tracking_detail(&courier.name, number, TrackingSource::Pool),
            )?;
        }
        let allocated: HashMap<i64, String> = allocation.into_iter().collect();
        let mut result = Vec::with_capacity(orders.len());
        for order in orders {
            if let Some(number) = allocated.get(&order.id) {
                result.push((order.order_no, number.clone()));
                continue;
            }
            if order.courier.id() != Some(courier.id) && order.state != OrderState::Archived {
                // A number without a courier becomes this courier's; an order that names it
                // by an alias or its code gets the record and keeps its text.
                tx.prepare_cached(
                    "UPDATE orders SET courier_id = ?2, updated_at = ?4,
                         courier = CASE WHEN trim(courier) = '' THEN ?3 ELSE courier END
                     WHERE id = ?1",
                )?
                .execute(params![order.id, courier.id, courier.name, now])?;
            }
            result.push((order.order_no, order.tracking_no));
        }
        tx.commit()?;
        Ok(result)
    }

    /// Sets the tracking number of an order that has none (typed or scanned), or gives a
    /// courier to the number it has. A number already on another order, voided, or in
    /// another courier's pool is refused; a number from this courier's pool is marked used.
    /// Replacing an order's number is [`Store::change_courier`], which voids the old one.
    pub fn set_tracking(
        &mut self,
        order_id: i64,
        courier_code: &str,
        number: &str,
        operator: &str,
    ) -> Result<()> {
        let number = number.trim();
        if let Some(problem) = tracking_number_problem(number) {
            return Err(StoreError::Invalid(format!("{number:?}: {problem}")));
        }
        let now = now_text();
        let tx = self.write()?;
        let courier = known_courier(&tx, courier_code)?;
        let order = tracked(&tx, &courier_directory(&tx)?, order_id)?;
        if !order.tracking_no.is_empty() {
            let same_number = order.tracking_no == number;
            match tracking_step(&order.courier, &order.tracking_no, courier.id) {
                TrackingStep::Keep if same_number && order.courier.id() == Some(courier.id) => {
                    return Ok(());
                }
                TrackingStep::Keep if same_number => {}
                _ => {
                    return Err(StoreError::Invalid(format!(
                        "order {} already has {}: a new number replaces it only through a \
                         courier change, which voids the old one (`shopdesk courier-change {} \
                         --courier {} --number {number} --reason TEXT`)",
                        order.order_no,
                        with_courier(&order.courier, &order.tracking_no),
                        order.order_no,
                        courier.code
                    )));
                }
            }
        }
        check_typed_number(&tx, number, order_id, &courier)?;
        take_from_pool(&tx, number, order_id, &now)?;
        write_tracking(&tx, order_id, &courier, number, &now)?;
        log(
            &tx,
            order_id,
            operator,
            &now,
            LogKind::Shipping(ShippingLog::Tracking),
            &tracking_detail(&courier.name, number, TrackingSource::Typed),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Changes an order's courier explicitly: its tracking number, if it has one, is
    /// voided (recorded with the order, courier, time, operator and reason, and never used
    /// again), and the order takes the typed `number` or the next number of the new
    /// courier's pool. The reason goes into the order's event log. Refused for orders that
    /// have shipped (their parcel left with the old label) and for merged orders.
    pub fn change_courier(
        &mut self,
        order_id: i64,
        courier_code: &str,
        reason: &str,
        number: Option<&str>,
        operator: &str,
    ) -> Result<CourierChange> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Invalid(
                "a courier change needs a reason: it goes into the order's log".to_owned(),
            ));
        }
        let typed = number.map(str::trim);
        if let Some(number) = typed
            && let Some(problem) = tracking_number_problem(number)
        {
            return Err(StoreError::Invalid(format!("{number:?}: {problem}")));
        }
        let now = now_text();
        let tx = self.write()?;
        let courier = known_courier(&tx, courier_code)?;
        let order = tracked(&tx, &courier_directory(&tx)?, order_id)?;
        check_changeable(&order, &courier, typed)?;
        let voided = void_tracking(&tx, &order, operator, reason, &now)?;
        let (tracking_no, source) = match typed {
            Some(number) => {
                check_typed_number(&tx, number, order_id, &courier)?;
                (number.to_owned(), TrackingSource::Typed)
            }
            None => (next_pool_number(&tx, &courier)?, TrackingSource::Pool),
        };
        take_from_pool(&tx, &tracking_no, order_id, &now)?;
        write_tracking(&tx, order_id, &courier, &tracking_no, &now)?;
        let new = tracking_detail(&courier.name, &tracking_no, source);
        let detail = match &voided {
            Some(old) => format!(
                "{} voided → {new}; reason: {reason}",
                with_courier(&order.courier, old)
            ),
            None => format!("→ {new}; reason: {reason}"),
        };
        log(
            &tx,
            order_id,
            operator,
            &now,
            LogKind::Shipping(ShippingLog::CourierChange),
            &detail,
        )?;
        tx.commit()?;
        Ok(CourierChange {
            order_no: order.order_no,
            old_courier: order.courier,
            voided,
            courier,
            tracking_no,
            source,
        })
    }

    /// An order's courier (resolved as [`CourierDirectory::order_courier`] says), its
    /// tracking number, and the numbers voided on it.
    pub fn order_tracking(&self, order_id: i64) -> Result<OrderTracking> {
        let order = tracked(&self.conn, &courier_directory(&self.conn)?, order_id)?;
        let voided = self
            .conn
            .prepare_cached(
                "SELECT number, courier, voided_at, operator, reason FROM voided_tracking
                 WHERE order_id = ?1 ORDER BY id",
            )?
            .query_map([order_id], |row| {
                Ok(VoidedTracking {
                    number: row.get(0)?,
                    courier: row.get(1)?,
                    voided_at: row.get(2)?,
                    operator: row.get(3)?,
                    reason: row.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(OrderTracking {
            order_no: order.order_no,
            state: order.state,
            courier: order.courier,
            tracking_no: order.tracking_no,
            voided,
        })
    }

    /// The "batch ship" export: printed (or later) orders with a tracking number, printed
    /// on or after `since` (`YYYY-MM-DD` or a timestamp), oldest first. A printed order on
    /// hold or closed by the platform has not left: it is not told to the marketplace.
    pub fn shipped_rows(&self, since: &str, platform: Option<&str>) -> Result<Vec<ShippedRow>> {
        // An order merged into another left in that one's parcel (`s`, the shipment): it
        // is given to its marketplace with the shipment's courier and number.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT o.id, o.order_no, o.platform, {SHIPMENT_COURIER}, s.tracking_no, s.printed_at
             FROM orders s JOIN orders o ON o.id = s.id OR o.merged_into = s.id
             WHERE s.printed_at >= ?1 AND s.tracking_no <> '' AND s.merged_into IS NULL
               AND s.state IN ('printed', 'shipped', 'archived')
               AND NOT (s.state = 'printed'
                        AND (s.on_hold = 1 OR s.platform_closed_at IS NOT NULL))
               AND (o.id = s.id OR (o.state <> 'cancelled' AND o.platform_closed_at IS NULL))
               AND (?2 IS NULL OR o.platform = ?2)
             ORDER BY s.printed_at, s.id, o.id"
        ))?;
        let rows = stmt.query_map(params![since, platform], shipped_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The orders shipped at the station (a pack check passed, or an override) that no
    /// batch-ship file has given to the marketplace yet, in the order they shipped; the
    /// orders merged into one that shipped with it, with its courier and number.
    pub fn unexported_shipments(&self, platform: Option<&str>) -> Result<Vec<ShippedRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT o.id, o.order_no, o.platform, {SHIPMENT_COURIER}, s.tracking_no,
                    COALESCE(s.printed_at, '')
             FROM pack_attempts a JOIN orders s ON s.id = a.order_id
                  JOIN orders o ON o.id = s.id OR o.merged_into = s.id
             WHERE a.result IN ('passed', 'override') AND s.tracking_no <> ''
               AND s.merged_into IS NULL AND (?1 IS NULL OR o.platform = ?1)
               AND (o.id = s.id OR (o.state <> 'cancelled' AND o.platform_closed_at IS NULL))
               AND NOT EXISTS (SELECT 1 FROM ship_exports e WHERE e.order_id = o.id)
             GROUP BY o.id ORDER BY min(a.id), o.id"
        ))?;
        let rows = stmt.query_map(params![platform], shipped_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records that these orders were given to the marketplace in `file`, so the next
    /// batch-ship file leaves them out. Orders recorded before keep their first export.
    pub fn mark_exported(&mut self, ids: &[i64], file: &str, operator: &str) -> Result<()> {
        let now = now_text();
        let tx = self.write()?;
        let mut marked = 0;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO ship_exports (order_id, exported_at, file) VALUES (?1, ?2, ?3)
                 ON CONFLICT (order_id) DO NOTHING",
            )?;
            for id in ids {
                marked += insert.execute(params![id, now, file])?;
            }
        }
        if marked > 0 {
            super::audit::record(
                &tx,
                operator,
                "shipped.export",
                file,
                "",
                &format!("{marked} orders given to the marketplace"),
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// The courier as the batch-ship file names it: one name per courier record (its name in
/// Settings), whatever spelling the shipment (`s`) carries; its text when it names none.
const SHIPMENT_COURIER: &str = "COALESCE(
        (SELECT c.name FROM couriers c WHERE c.id = s.courier_id),
        (SELECT c.name FROM courier_aliases a JOIN couriers c ON c.id = a.courier_id
         WHERE a.alias = trim(s.courier)),
        (SELECT c.name FROM couriers c WHERE c.code = trim(s.courier) COLLATE NOCASE),
        s.courier)";

fn shipped_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ShippedRow> {
    Ok(ShippedRow {
        id: row.get(0)?,
        order_no: row.get(1)?,
        platform: row.get(2)?,
        courier: row.get(3)?,
        tracking_no: row.get(4)?,
        printed_at: row.get(5)?,
    })
}

/// The shop's couriers by every name they answer to, read inside the caller's transaction
/// (the bulk writers and the import resolve their orders' courier texts with it).
pub(super) fn courier_directory(conn: &Connection) -> Result<CourierDirectory> {
    let couriers = conn
        .prepare_cached("SELECT id, code, name FROM couriers ORDER BY id")?
        .query_map([], |row| {
            Ok(KnownCourier {
                id: row.get(0)?,
                code: row.get(1)?,
                name: row.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let aliases = conn
        .prepare_cached("SELECT alias, courier_id FROM courier_aliases ORDER BY alias")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(String, i64)>>>()?;
    Ok(CourierDirectory::new(couriers, &aliases))
}

/// Rewrites an order's search entry from what is stored, so that a search finds its new
/// tracking number and no longer the one it replaced.
pub(super) fn reindex_order(tx: &Transaction<'_>, id: i64) -> Result<()> {
    super::processing::reindex(tx, id)
}

/// An order as the tracking actions see it.
struct Tracked {
    id: i64,
    order_no: String,
    state: OrderState,
    /// The order number of the main order, when merged into one.
    merged_into: Option<String>,
    courier: CourierRef,
    /// `orders.courier` as stored.
    courier_text: String,
    tracking_no: String,
}

fn tracked(conn: &Connection, couriers: &CourierDirectory, id: i64) -> Result<Tracked> {
    conn.prepare_cached(
        "SELECT o.order_no, o.state, (SELECT m.order_no FROM orders m WHERE m.id = o.merged_into),
                o.courier_id, o.courier, o.tracking_no
         FROM orders o WHERE o.id = ?1",
    )?
    .query_row([id], |row| {
        let state: String = row.get(1)?;
        let text: String = row.get(4)?;
        Ok(Tracked {
            id,
            order_no: row.get(0)?,
            state: OrderState::from_code(&state).unwrap_or(OrderState::PendingReview),
            merged_into: row.get(2)?,
            courier: couriers.order_courier(row.get(3)?, &text),
            courier_text: text,
            tracking_no: row.get(5)?,
        })
    })
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no order with id {id}")))
}

/// The order a voided number was taken off, if it was voided.
pub(super) fn voided_on(conn: &Connection, number: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT o.order_no FROM voided_tracking v JOIN orders o ON o.id = v.order_id
             WHERE v.number = ?1",
        )?
        .query_row([number], |row| row.get(0))
        .optional()?)
}

/// Refuses a typed number that another order uses, that was voided, that another order
/// took from a pool, or that is in another courier's pool.
fn check_typed_number(
    tx: &Transaction<'_>,
    number: &str,
    order_id: i64,
    courier: &KnownCourier,
) -> Result<()> {
    let other: Option<String> = tx
        .prepare_cached(
            "SELECT order_no FROM orders
             WHERE tracking_no = ?1 AND tracking_no <> '' AND id <> ?2 LIMIT 1",
        )?
        .query_row(params![number, order_id], |row| row.get(0))
        .optional()?;
    if let Some(order_no) = other {
        return Err(StoreError::Invalid(format!(
            "tracking number {number} is already used by order {order_no}"
        )));
    }
    if let Some(order_no) = voided_on(tx, number)? {
        return Err(StoreError::Invalid(format!(
            "tracking number {number} was voided on order {order_no} and is never used again"
        )));
    }
    let pooled: Option<(Option<i64>, i64, String)> = tx
        .prepare_cached(
            "SELECT p.order_id, p.courier_id, c.code FROM tracking_pool p
             JOIN couriers c ON c.id = p.courier_id WHERE p.number = ?1",
        )?
        .query_row([number], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?;
    match pooled {
        Some((Some(user), _, _)) if user != order_id => Err(StoreError::Invalid(format!(
            "tracking number {number} is already used"
        ))),
        Some((_, owner, code)) if owner != courier.id => Err(StoreError::Invalid(format!(
            "tracking number {number} is in the pool of courier {code}, not {}",
            courier.code
        ))),
        _ => Ok(()),
    }
}

/// Refuses a courier change of a merged order (its main order ships it), of an order whose
/// parcel has left, and a typed number that is the order's own already.
fn check_changeable(order: &Tracked, courier: &KnownCourier, typed: Option<&str>) -> Result<()> {
    if let Some(main) = &order.merged_into {
        return Err(StoreError::Invalid(format!(
            "order {} is merged into order {main}: change the courier of {main}",
            order.order_no
        )));
    }
    if matches!(order.state, OrderState::Shipped | OrderState::Archived) {
        return Err(StoreError::Invalid(format!(
            "order {} is {}: its parcel left with {}, so its courier cannot change",
            order.order_no,
            order.state.code(),
            with_courier(&order.courier, &order.tracking_no)
        )));
    }
    if typed == Some(order.tracking_no.as_str()) {
        return Err(StoreError::Invalid(format!(
            "{} is order {}'s tracking number already: give another number, or none to take \
             the next one of {}'s pool",
            order.tracking_no, order.order_no, courier.code
        )));
    }
    Ok(())
}

/// Records the order's tracking number as voided, if it has one, and returns it. The
/// number stays on record with the order, its courier, when, who and why.
fn void_tracking(
    tx: &Transaction<'_>,
    order: &Tracked,
    operator: &str,
    reason: &str,
    now: &str,
) -> Result<Option<String>> {
    if order.tracking_no.is_empty() {
        return Ok(None);
    }
    tx.prepare_cached(
        "INSERT INTO voided_tracking (number, order_id, courier_id, courier, voided_at,
             operator, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        order.tracking_no,
        order.id,
        order.courier.id(),
        order.courier_text,
        now,
        operator,
        reason
    ])?;
    Ok(Some(order.tracking_no.clone()))
}

/// The next free number of the courier's pool, or a refusal that says how to get more.
fn next_pool_number(tx: &Transaction<'_>, courier: &KnownCourier) -> Result<String> {
    free_pool_numbers(tx, courier.id, 1)?.pop().ok_or_else(|| {
        StoreError::Invalid(format!(
            "{} ({}) has no free tracking number in its pool: import more (`shopdesk tracking \
             import --courier {} FILE`) or give one with --number",
            courier.name, courier.code, courier.code
        ))
    })
}

/// The next `count` free numbers of a courier's pool, in import order.
fn free_pool_numbers(tx: &Transaction<'_>, courier_id: i64, count: usize) -> Result<Vec<String>> {
    Ok(tx
        .prepare_cached(
            "SELECT number FROM tracking_pool WHERE courier_id = ?1 AND order_id IS NULL
             ORDER BY id LIMIT ?2",
        )?
        .query_map(params![courier_id, count as i64], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Marks a pool number used by the order; a number from no pool is left alone.
fn take_from_pool(tx: &Transaction<'_>, number: &str, order_id: i64, now: &str) -> Result<()> {
    tx.prepare_cached(
        "UPDATE tracking_pool SET order_id = ?2, used_at = ?3
         WHERE number = ?1 AND order_id IS NULL",
    )?
    .execute(params![number, order_id, now])?;
    Ok(())
}

/// Gives the order the courier and the number, and its search entry the number.
fn write_tracking(
    tx: &Transaction<'_>,
    order_id: i64,
    courier: &KnownCourier,
    number: &str,
    now: &str,
) -> Result<()> {
    let changed = tx
        .prepare_cached(
            "UPDATE orders SET tracking_no = ?2, courier_id = ?3, courier = ?4, updated_at = ?5
             WHERE id = ?1",
        )?
        .execute(params![order_id, number, courier.id, courier.name, now])?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!("no order with id {order_id}")));
    }
    reindex_order(tx, order_id)
}

/// `顺丰速运 (SF) SF0000001`, or the number alone when the order names no courier.
fn with_courier(courier: &CourierRef, number: &str) -> String {
    match courier {
        CourierRef::None => number.to_owned(),
        CourierRef::Known(_) | CourierRef::Unknown(_) => format!("{courier} {number}"),
    }
}

/// The first five problems joined, and how many more there are.
fn summarize(problems: Vec<String>) -> String {
    let more = problems.len().saturating_sub(5);
    let mut text = problems.into_iter().take(5).collect::<Vec<_>>().join("; ");
    if more > 0 {
        text.push_str(&format!("; and {more} more"));
    }
    text
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
    Err(StoreError::Invalid(format!(
        "these orders cannot be printed: {}",
        summarize(problems)
    )))
}

const COURIER_COLUMNS: &str = "c.code, c.name, c.label_size, c.sender_name, c.sender_phone,
    c.sender_address, c.template, c.offset_x, c.offset_y,
    (SELECT count(*) FROM tracking_pool p WHERE p.courier_id = c.id AND p.order_id IS NULL),
    (SELECT json_group_array(alias) FROM
        (SELECT a.alias FROM courier_aliases a WHERE a.courier_id = c.id ORDER BY a.alias))";

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
        aliases: serde_json::from_str(&row.get::<_, String>(10)?).unwrap_or_default(),
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

/// A courier by code, as the tracking actions need it.
/// A courier as the audit trail says it: name, label size, sender, form and offset,
/// aliases; what is empty is left out.
fn courier_said(conn: &Connection, id: i64) -> Result<String> {
    let (name, size, sender, phone, address, template, x, y): (
        String,
        String,
        String,
        String,
        String,
        String,
        f64,
        f64,
    ) = conn.query_row(
        "SELECT name, label_size, sender_name, sender_phone, sender_address, template,
                offset_x, offset_y
         FROM couriers WHERE id = ?1",
        [id],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        },
    )?;
    let mut parts = vec![name, size];
    let sender: Vec<String> = [sender, phone, address]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    if !sender.is_empty() {
        parts.push(format!("sender {}", sender.join(" ")));
    }
    if !template.trim().is_empty() {
        parts.push("pre-printed form".to_owned());
    }
    if x != 0.0 || y != 0.0 {
        parts.push(format!("offset {x:+.1} {y:+.1} mm"));
    }
    let aliases: Vec<String> = conn
        .prepare_cached("SELECT alias FROM courier_aliases WHERE courier_id = ?1 ORDER BY alias")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut said = parts.join(", ");
    if !aliases.is_empty() {
        said.push_str(&format!(" ({})", aliases.join(", ")));
    }
    Ok(said)
}

fn known_courier(conn: &Connection, code: &str) -> Result<KnownCourier> {
    conn.prepare_cached("SELECT id, code, name FROM couriers WHERE code = ?1")?
        .query_row([code.trim()], |row| {
            Ok(KnownCourier {
                id: row.get(0)?,
                code: row.get(1)?,
                name: row.get(2)?,
            })
        })
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
pub(super) fn ship_order(
    conn: &Connection,
    couriers: &CourierDirectory,
    id: i64,
) -> Result<ShipOrder> {
    let mut order = conn
        .prepare_cached(
            "SELECT order_no, platform, receiver_name, receiver_phone, province, city, district,
                    address, postcode, buyer_message, seller_remark, cash_on_delivery,
                    goods_cents + postage_cents - discount_cents - paid_cents, courier,
                    tracking_no, courier_id
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
                courier: couriers.order_courier(row.get(15)?, &row.get::<_, String>(13)?),
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
    use crate::store::OrderQuery;
    use crate::store::testing::shop;

    const OPERATOR: &str = "tester";

    fn new_order(no: &str, lines: &[(&str, i64)]) -> NewOrder {
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
        order
    }

    fn insert_approved(store: &mut Store, order: NewOrder) -> i64 {
        let id = store
            .insert_orders(&[order], "test", OPERATOR)
            .expect("insert")[0];
        store
            .apply_event(id, Event::Review, OPERATOR)
            .expect("review");
        id
    }

    fn approved(store: &mut Store, no: &str, lines: &[(&str, i64)]) -> i64 {
        insert_approved(store, new_order(no, lines))
    }

    /// An approved order that came with a courier text and a tracking number.
    fn with_number(store: &mut Store, no: &str, courier: &str, number: &str) -> i64 {
        let mut order = new_order(no, &[("CUP", 1)]);
        order.courier = courier.to_owned();
        order.tracking_no = number.to_owned();
        insert_approved(store, order)
    }

    fn add_courier(store: &mut Store, code: &str, name: &str, aliases: &[&str]) {
        store
            .save_courier(
                &CourierRow {
                    code: code.to_owned(),
                    name: name.to_owned(),
                    aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
                    ..CourierRow::default()
                },
                "owner",
            )
            .expect("courier");
    }

    fn courier(store: &mut Store) {
        add_courier(store, "SF", "顺丰速运", &[]);
    }

    /// SF and ZTO with a pool of two numbers each.
    fn two_couriers(store: &mut Store) {
        add_courier(store, "SF", "顺丰速运", &["顺丰快递"]);
        add_courier(store, "ZTO", "中通快递", &["中通"]);
        store
            .import_tracking("SF", "SF9000000001\nSF9000000002", "owner")
            .expect("sf pool");
        store
            .import_tracking("ZTO", "789000000001\n789000000002", "owner")
            .expect("zto pool");
    }

    fn tracking(store: &Store, id: i64) -> (String, String) {
        let row = store.order_detail(id).expect("order").row;
        (row.courier, row.tracking_no)
    }

    fn found_by(store: &Store, search: &str) -> Vec<i64> {
        store
            .query_orders(&OrderQuery {
                search: search.to_owned(),
                ..OrderQuery::default()
            })
            .expect("search")
            .iter()
            .map(|r| r.id)
            .collect()
    }

    /// Everything a refused action must leave as it was.
    fn snapshot(store: &Store) -> Vec<String> {
        let mut out = Vec::new();
        for (table, sql) in [
            (
                "orders",
                "SELECT id, courier, courier_id, tracking_no, state FROM orders ORDER BY id",
            ),
            (
                "pool",
                "SELECT number, order_id FROM tracking_pool ORDER BY number",
            ),
            (
                "voided",
                "SELECT number, order_id FROM voided_tracking ORDER BY number",
            ),
            ("events", "SELECT count(*) FROM order_events"),
        ] {
            let mut stmt = store.conn.prepare(sql).expect(table);
            let columns = stmt.column_count();
            let rows = stmt
                .query_map([], |row| {
                    let mut cells = Vec::new();
                    for i in 0..columns {
                        cells.push(format!("{:?}", row.get_ref(i)?));
                    }
                    Ok(cells.join(","))
                })
                .expect(table);
            for row in rows {
                out.push(format!("{table}: {}", row.expect("row")));
            }
        }
        out
    }

    #[test]
    fn batch_explodes_bundles_prints_and_logs_reprints() {
        let mut store = shop();
        let a = approved(&mut store, "A1", &[("GIFT", 2), ("CUP", 1)]);
        let b = approved(&mut store, "B2", &[("TEA", 3)]);
        let batch = store.create_batch(&[a, b], OPERATOR).expect("batch");
        assert_eq!(store.printable_orders(10).expect("printable").len(), 2);
        let ids = store.batch_order_ids(batch).expect("ids");
        assert_eq!(ids, vec![a, b]);
        let orders = store.ship_orders(&ids).expect("orders");
        let plan = plan_pick_list(&orders.iter().map(ShipOrder::pick_order).collect::<Vec<_>>());
        let totals: Vec<(&str, i64)> = plan.iter().map(|l| (l.code.as_str(), l.total)).collect();
        assert_eq!(totals, vec![("CUP", 3), ("TEA", 7)]);
        assert_eq!(orders[0].goods(), "CUP×3;TEA×4");

        let outcome = store
            .record_print(&ids, Some(batch), Document::PickList, OPERATOR)
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
            .record_print(&ids, Some(batch), Document::Slips, OPERATOR)
            .expect("reprint");
        assert_eq!(
            again,
            PrintOutcome {
                printed: 0,
                reprinted: 2
            }
        );
        let detail = store.order_detail(a).expect("detail");
        assert!(
            detail
                .events
                .iter()
                .any(|e| e.event.code() == "reprint" && e.operator == OPERATOR)
        );
        assert_eq!(store.batches(10).expect("batches")[0].prints, 2);
    }

    #[test]
    fn a_batch_refuses_orders_that_cannot_print() {
        let mut store = shop();
        let a = approved(&mut store, "A1", &[("CUP", 1)]);
        store.apply_event(a, Event::Hold, OPERATOR).expect("hold");
        let err = store.create_batch(&[a], OPERATOR).expect_err("held");
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
            .import_tracking("SF", "SF0000001\nSF0000002\nSF0000001\nbad", "owner")
            .expect("import");
        assert_eq!((added, rejected.len()), (2, 2));
        let (added, rejected) = store
            .import_tracking("SF", "SF0000002", "owner")
            .expect("again");
        assert_eq!((added, rejected.len()), (0, 1));
        let c = approved(&mut store, "C3", &[("TEA", 1)]);
        let before = snapshot(&store);
        let err = store
            .assign_tracking(&[a, b, c], "SF", OPERATOR)
            .expect_err("short");
        assert!(err.to_string().contains("pool"), "{err}");
        assert_eq!(snapshot(&store), before, "a refusal changes nothing");
        let got = store
            .assign_tracking(&[a, b], "SF", OPERATOR)
            .expect("assign");
        assert_eq!(
            got,
            vec![
                ("A1".to_owned(), "SF0000001".to_owned()),
                ("B2".to_owned(), "SF0000002".to_owned())
            ]
        );
        assert_eq!(store.courier("SF").expect("sf").pool_free, 0);
        assert_eq!(found_by(&store, "SF0000001"), vec![a]);
        let err = store
            .set_tracking(c, "SF", "SF0000002", OPERATOR)
            .expect_err("used");
        assert!(err.to_string().contains("B2"), "{err}");
        store
            .set_tracking(c, "SF", "SF0000009", OPERATOR)
            .expect("typed");
        assert_eq!(found_by(&store, "SF0000009"), vec![c]);
        store
            .record_print(&[a, b, c], None, Document::Waybills, OPERATOR)
            .expect("print");
        let rows = store.shipped_rows("2000-01-01", None).expect("rows");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].courier, "顺丰速运");
        // A printed order held, or closed by the platform, has not left.
        store
            .conn
            .execute("UPDATE orders SET on_hold = 1 WHERE id = ?1", [a])
            .expect("hold");
        store
            .conn
            .execute(
                "UPDATE orders SET platform_closed_at = '2026-11-21T00:00:00+08:00'
                 WHERE id = ?1",
                [b],
            )
            .expect("closed");
        let rows = store.shipped_rows("2000-01-01", None).expect("rows");
        assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), [c]);
        assert!(
            store
                .shipped_rows("2999-01-01", None)
                .expect("none")
                .is_empty()
        );
    }

    #[test]
    fn the_batch_ship_file_names_each_courier_one_way_and_keeps_to_its_platform() {
        let mut store = shop();
        add_courier(&mut store, "SF", "顺丰速运", &["顺丰快递"]);
        let by_alias = with_number(&mut store, "A1", "顺丰快递", "SF1000000001");
        let by_code = with_number(&mut store, "A2", "sf", "SF1000000002");
        let mut jd = new_order("J1", &[("CUP", 1)]);
        jd.platform = "jd".to_owned();
        jd.courier = "顺丰速运".to_owned();
        jd.tracking_no = "SF1000000003".to_owned();
        let jd = insert_approved(&mut store, jd);
        let unknown = with_number(&mut store, "A3", "某某快运", "MM1000000004");
        store
            .record_print(
                &[by_alias, by_code, jd, unknown],
                None,
                Document::Waybills,
                OPERATOR,
            )
            .expect("print");
        let rows = store.shipped_rows("2000-01-01", None).expect("rows");
        let named: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.order_no.as_str(), r.courier.as_str()))
            .collect();
        assert_eq!(
            named,
            vec![
                ("A1", "顺丰速运"),
                ("A2", "顺丰速运"),
                ("J1", "顺丰速运"),
                ("A3", "某某快运")
            ]
        );
        let taobao = store
            .shipped_rows("2000-01-01", Some("taobao"))
            .expect("rows");
        assert_eq!(taobao.len(), 3);
        assert!(taobao.iter().all(|r| r.platform == "taobao"));
    }

    /// An order merged into another is given to its marketplace with the parcel it left
    /// in: the main order's courier and number.
    #[test]
    fn the_batch_ship_file_lists_merged_orders_with_their_parcel() {
        let mut store = shop();
        add_courier(&mut store, "SF", "顺丰速运", &[]);
        let main = with_number(&mut store, "M1", "SF", "SF1000000001");
        let other = approved(&mut store, "M2", &[("CUP", 1)]);
        store.merge_orders(main, &[other], OPERATOR).expect("merge");
        store
            .record_print(&[main], None, Document::Waybills, OPERATOR)
            .expect("print");
        let rows = store.shipped_rows("2000-01-01", None).expect("rows");
        let named: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|r| {
                (
                    r.order_no.as_str(),
                    r.courier.as_str(),
                    r.tracking_no.as_str(),
                )
            })
            .collect();
        assert_eq!(
            named,
            [
                ("M1", "顺丰速运", "SF1000000001"),
                ("M2", "顺丰速运", "SF1000000001")
            ]
        );
    }

    #[test]
    fn printing_again_with_the_orders_own_courier_keeps_every_number() {
        let mut store = shop();
        two_couriers(&mut store);
        // As the demo wrote them (the code), as Taobao writes them (an alias), the name,
        // a number without a courier, and no number at all.
        let by_code = with_number(&mut store, "1", "SF", "SF9974857427057");
        let by_alias = with_number(&mut store, "2", "顺丰快递", "SF1234567890123");
        let by_name = with_number(&mut store, "3", "顺丰速运", "SF5550000001");
        let bare = with_number(&mut store, "4", "", "SF7770000001");
        let none = approved(&mut store, "5", &[("CUP", 1)]);
        let ids = [by_code, by_alias, by_name, bare, none];
        for _ in 0..2 {
            let got = store.assign_tracking(&ids, "SF", OPERATOR).expect("assign");
            let numbers: Vec<&str> = got.iter().map(|(_, n)| n.as_str()).collect();
            assert_eq!(
                numbers,
                [
                    "SF9974857427057",
                    "SF1234567890123",
                    "SF5550000001",
                    "SF7770000001",
                    "SF9000000001"
                ]
            );
            store
                .record_print(&ids, None, Document::Waybills, OPERATOR)
                .expect("print");
        }
        assert_eq!(store.courier("SF").expect("sf").pool_free, 1);
        // Texts stay as they came; a blank one takes the courier's name.
        assert_eq!(tracking(&store, by_code).0, "SF");
        assert_eq!(tracking(&store, by_alias).0, "顺丰快递");
        assert_eq!(tracking(&store, bare).0, "顺丰速运");
        for id in ids {
            let courier = store.order_tracking(id).expect("tracking").courier;
            assert_eq!(courier.id(), Some(1), "order {id}: {courier:?}");
        }
        assert_eq!(found_by(&store, "SF9000000001"), vec![none]);
    }

    #[test]
    fn another_couriers_number_is_replaced_only_by_an_explicit_change() {
        let mut store = shop();
        two_couriers(&mut store);
        let a = with_number(&mut store, "A1", "顺丰快递", "SF1234567890123");
        let b = approved(&mut store, "B2", &[("TEA", 1)]);
        let unknown = with_number(&mut store, "U3", "极兔速递", "JT0000000001");
        let before = snapshot(&store);
        for ids in [vec![b, a], vec![unknown]] {
            let err = store
                .assign_tracking(&ids, "ZTO", OPERATOR)
                .expect_err("another courier");
            let text = err.to_string();
            assert!(text.contains("courier-change"), "{text}");
            assert_eq!(snapshot(&store), before, "a refusal changes nothing");
        }
        let err = store
            .set_tracking(a, "SF", "SF0000000077", OPERATOR)
            .expect_err("replacing");
        assert!(err.to_string().contains("courier-change A1"), "{err}");
        let err = store
            .change_courier(a, "ZTO", " ", None, OPERATOR)
            .expect_err("no reason");
        assert!(err.to_string().contains("reason"), "{err}");
        assert_eq!(snapshot(&store), before);

        let change = store
            .change_courier(a, "ZTO", "买家要求改发中通", None, OPERATOR)
            .expect("change");
        assert_eq!(change.voided.as_deref(), Some("SF1234567890123"));
        assert_eq!(change.old_courier.id(), Some(1));
        assert_eq!(
            (change.courier.code.as_str(), change.tracking_no.as_str()),
            ("ZTO", "789000000001")
        );
        assert_eq!(
            tracking(&store, a),
            ("中通快递".to_owned(), "789000000001".to_owned())
        );
        let detail = store.order_detail(a).expect("detail");
        let logged = detail
            .events
            .iter()
            .find(|e| e.event.code() == "courier_change")
            .expect("logged");
        assert_eq!(logged.operator, OPERATOR);
        assert!(
            logged.detail.contains("SF1234567890123 voided")
                && logged.detail.contains("789000000001 (pool)")
                && logged.detail.contains("买家要求改发中通"),
            "{}",
            logged.detail
        );
        let voided = store.order_tracking(a).expect("tracking").voided;
        assert_eq!(voided.len(), 1);
        assert_eq!(
            (voided[0].courier.as_str(), voided[0].operator.as_str()),
            ("顺丰快递", OPERATOR)
        );
        // The search follows: the new number finds the order, the voided one does not.
        assert_eq!(found_by(&store, "789000000001"), vec![a]);
        assert!(found_by(&store, "SF1234567890123").is_empty());

        // The voided number is never used again, by any way in.
        let (added, rejected) = store
            .import_tracking("SF", "SF1234567890123", "owner")
            .expect("import");
        assert_eq!(added, 0);
        assert!(rejected[0].1.contains("voided on order A1"), "{rejected:?}");
        let err = store
            .set_tracking(b, "SF", "SF1234567890123", OPERATOR)
            .expect_err("voided");
        assert!(err.to_string().contains("voided"), "{err}");
        let raw = store.conn.execute(
            "INSERT INTO tracking_pool (number, courier_id, imported_at) VALUES ('SF1234567890123', 1, 'now')",
            [],
        );
        assert!(raw.is_err(), "the pool trigger refuses a voided number");
        let raw = store.conn.execute(
            "UPDATE orders SET tracking_no = 'SF1234567890123' WHERE id = ?1",
            [b],
        );
        assert!(raw.is_err(), "the order trigger refuses a voided number");
        let raw = store.conn.execute("DELETE FROM voided_tracking", []);
        assert!(raw.is_err(), "the voided numbers are append-only");

        // Printing with the new courier keeps the new number; back to SF with a typed one.
        store.assign_tracking(&[a], "ZTO", OPERATOR).expect("keeps");
        assert_eq!(tracking(&store, a).1, "789000000001");
        let err = store
            .change_courier(a, "SF", "改回顺丰", Some("SF1234567890123"), OPERATOR)
            .expect_err("voided number typed");
        assert!(err.to_string().contains("voided"), "{err}");
        let err = store
            .change_courier(a, "SF", "改回顺丰", Some("789000000002"), OPERATOR)
            .expect_err("another courier's pool");
        assert!(err.to_string().contains("pool of courier ZTO"), "{err}");
        let change = store
            .change_courier(a, "SF", "改回顺丰", Some("SF3330000001"), OPERATOR)
            .expect("typed");
        assert_eq!(change.source, TrackingSource::Typed);
        assert_eq!(store.order_tracking(a).expect("tracking").voided.len(), 2);
        assert_eq!(found_by(&store, "SF3330000001"), vec![a]);
        assert!(found_by(&store, "789000000001").is_empty());
        assert_eq!(store.check().expect("check"), Vec::<String>::new());
    }

    #[test]
    fn a_change_refused_leaves_everything_as_it_was() {
        let mut store = shop();
        two_couriers(&mut store);
        let a = with_number(&mut store, "A1", "SF", "SF1234567890123");
        let b = approved(&mut store, "B2", &[("CUP", 1)]);
        let c = approved(&mut store, "C3", &[("CUP", 1)]);
        store
            .assign_tracking(&[b, c], "ZTO", OPERATOR)
            .expect("takes the ZTO pool");
        let before = snapshot(&store);
        let err = store
            .change_courier(a, "ZTO", "改发中通", None, OPERATOR)
            .expect_err("empty pool");
        assert!(
            err.to_string().contains("tracking import --courier ZTO"),
            "{err}"
        );
        assert_eq!(snapshot(&store), before, "the old number is not voided");
        let err = store
            .change_courier(a, "SF", "重打", Some("SF1234567890123"), OPERATOR)
            .expect_err("the same number");
        assert!(err.to_string().contains("already"), "{err}");
        let err = store
            .change_courier(a, "NOPE", "x", None, OPERATOR)
            .expect_err("unknown courier");
        assert!(err.to_string().contains("NOPE"), "{err}");
        store
            .record_print(&[a], None, Document::Waybills, OPERATOR)
            .expect("print");
        store
            .apply_event(a, Event::PackCheckPassed, OPERATOR)
            .expect("shipped");
        let before = snapshot(&store);
        let err = store
            .change_courier(a, "ZTO", "改发中通", Some("ZT5550000001"), OPERATOR)
            .expect_err("shipped");
        assert!(err.to_string().contains("shipped"), "{err}");
        assert_eq!(snapshot(&store), before);
    }

    #[test]
    fn aliases_name_one_courier_only() {
        let mut store = shop();
        add_courier(&mut store, "SF", "顺丰速运", &["顺丰快递", " 顺丰 ", "SF"]);
        add_courier(&mut store, "ZTO", "中通快递", &[]);
        let sf = store.courier("SF").expect("sf");
        assert_eq!(sf.aliases, vec!["顺丰".to_owned(), "顺丰快递".to_owned()]);
        for (code, name, aliases) in [
            ("ZTO", "中通快递", vec!["顺丰快递"]),
            ("ZTO", "顺丰速运", vec![]),
            ("sf", "另一个", vec![]),
            ("JT", "极兔", vec!["zto"]),
        ] {
            let err = store
                .save_courier(
                    &CourierRow {
                        code: code.to_owned(),
                        name: name.to_owned(),
                        aliases: aliases.into_iter().map(str::to_owned).collect(),
                        ..CourierRow::default()
                    },
                    "owner",
                )
                .expect_err("clash");
            assert!(err.to_string().contains("already names courier"), "{err}");
        }
        // A rename keeps the old name as an alias; saving again keeps the aliases.
        let mut renamed = store.courier("SF").expect("sf");
        renamed.name = "顺丰控股".to_owned();
        renamed.aliases.clear();
        store.save_courier(&renamed, "owner").expect("rename");
        assert_eq!(
            store.courier("SF").expect("sf").aliases,
            vec![
                "顺丰".to_owned(),
                "顺丰快递".to_owned(),
                "顺丰速运".to_owned()
            ]
        );
        store.remove_courier_alias("顺丰", "owner").expect("remove");
        assert!(store.remove_courier_alias("顺丰", "owner").is_err());
        assert_eq!(store.courier("SF").expect("sf").aliases.len(), 2);
    }

    /// A file at schema version 6 with SF, and orders that name it by code (approved and
    /// archived), by an alias (printed) and a courier no record knows.
    fn version_6_file(path: &std::path::Path) {
        let mut conn = Connection::open(path).expect("open");
        for sql in [
            include_str!("migrations/001_initial.sql"),
            include_str!("migrations/002_import.sql"),
            include_str!("migrations/003_order_processing.sql"),
            include_str!("migrations/004_inventory.sql"),
            include_str!("migrations/005_shipping.sql"),
            include_str!("migrations/006_sparse_indexes.sql"),
        ] {
            conn.execute_batch(sql).expect("old migration");
        }
        let tx = conn.transaction().expect("tx");
        tx.execute_batch(&format!(
            "PRAGMA user_version = 6; PRAGMA application_id = {};
             INSERT INTO couriers (code, name, created_at, updated_at)
                 VALUES ('SF', '顺丰速运', 'then', 'then');
             INSERT INTO orders (id, platform, order_no, state, ordered_at, courier, tracking_no,
                                 created_at, updated_at)
             VALUES (1, 'taobao', 'APPROVED', 'approved', 'then', 'SF', 'SF1000000001', 'then', 'then'),
                    (2, 'taobao', 'ARCHIVED', 'archived', 'then', 'SF', 'SF1000000002', 'then', 'then'),
                    (3, 'taobao', 'PRINTED', 'printed', 'then', '顺丰快递', 'SF1000000003', 'then', 'then'),
                    (4, 'taobao', 'UNKNOWN', 'printed', 'then', '极兔速递', 'JT1000000004', 'then', 'then');",
            super::super::APPLICATION_ID
        ))
        .expect("version 6 data");
        tx.commit().expect("commit");
    }

    #[test]
    fn migration_7_resolves_couriers_and_leaves_archived_orders_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("v6.db");
        version_6_file(&path);
        let store = Store::open(&path).expect("migrates");
        assert_eq!(
            store.schema_version().expect("version"),
            super::super::migrations::LATEST
        );
        let ids: Vec<(i64, Option<i64>, String)> = store
            .conn
            .prepare("SELECT id, courier_id, courier FROM orders ORDER BY id")
            .expect("query")
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(
            ids,
            vec![
                (1, Some(1), "SF".to_owned()),
                (2, None, "SF".to_owned()),
                (3, Some(1), "顺丰快递".to_owned()),
                (4, None, "极兔速递".to_owned()),
            ]
        );
        // The archived order still finds its courier, when read.
        assert_eq!(
            store.order_tracking(2).expect("archived").courier.id(),
            Some(1)
        );
        assert_eq!(
            store.order_tracking(4).expect("unknown").courier,
            CourierRef::Unknown("极兔速递".to_owned())
        );
        assert!(
            store
                .courier("SF")
                .expect("sf")
                .aliases
                .contains(&"顺丰快递".to_owned())
        );
        // And it still cannot change.
        for sql in [
            "UPDATE orders SET courier_id = 1 WHERE id = 2",
            "UPDATE orders SET tracking_no = 'SF1999999999' WHERE id = 2",
            "DELETE FROM orders WHERE id = 2",
        ] {
            let err = store.conn.execute(sql, []).expect_err(sql);
            assert!(
                err.to_string().contains("archived orders cannot change"),
                "{err}"
            );
        }
        assert_eq!(store.check().expect("check"), Vec::<String>::new());
    }
}
