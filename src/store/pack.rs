//! The pack & ship station and the courier hand-over: finding what a scan names, the order
//! as the packer sees it, the pass that ships it (one transaction: the re-check, the state
//! machine, the ledger, the attempt log and the weight), overrides, the attempt log, the
//! packer's counters, and hand-overs with their count of missing parcels.
//!
//! The rules (what may ship, what a hand-over takes) are `domain::pack`'s; this module reads
//! the facts they need inside the same transaction that acts on them, so two stations
//! racing for one order ship it once.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::orders::status_of;
use super::shipping::{courier_directory, ship_order};
use super::{Result, Store, StoreError, now_text};
use crate::domain::pack::{
    AttemptResult, HandoverRefusal, PackFacts, PackItem, PackRefusal, ParcelFacts, handover_refusal,
};
use crate::domain::shipping::CourierRef;
use crate::domain::{Event, Flag, OrderState, PaymentStatus};

/// An order as the packer sees it: who it goes to, what to pack, whether it may leave.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackOrder {
    pub id: i64,
    pub order_no: String,
    pub platform: String,
    pub receiver_name: String,
    pub receiver_phone: String,
    /// Province, city, district and street in one line.
    pub address: String,
    pub courier: String,
    pub tracking_no: String,
    pub flag: Flag,
    pub seller_remark: String,
    pub buyer_message: String,
    pub weight_grams: Option<i64>,
    /// The pick-list batch and slot, when the order is in one.
    pub batch: Option<(i64, i64)>,
    /// The single items to pack, bundles exploded, counts at zero.
    pub items: Vec<PackItem>,
    /// Why it must not leave; `None` when it may be packed.
    pub refusal: Option<PackRefusal>,
}

/// One order of a pick-list batch at the station.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchSlot {
    pub slot: i64,
    pub order_id: i64,
    pub order_no: String,
    pub receiver_name: String,
    pub state: OrderState,
    pub on_hold: bool,
    pub pieces: i64,
}

/// A batch as the station lists it, slot order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchProgress {
    pub batch: i64,
    pub number: String,
    pub slots: Vec<BatchSlot>,
}

impl BatchProgress {
    /// Orders of the batch still to pack (printed, not shipped).
    pub fn to_pack(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| s.state == OrderState::Printed && !s.on_hold)
            .count()
    }
}

/// What a scan at the station names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackFind {
    Order(Box<PackOrder>),
    Batch(BatchProgress),
    /// A tracking number voided by a courier change: the parcel must get its new label.
    Voided {
        number: String,
        order_no: String,
    },
    NotFound(String),
}

/// How a pass or an override ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShipResult {
    /// The order shipped at this moment.
    Shipped { order_no: String, at: String },
    /// It must not leave (another station may have shipped it a moment ago).
    Refused {
        order_no: String,
        reason: PackRefusal,
    },
    /// Its items changed since the packer opened it: scan it again.
    Changed { order_no: String },
}

/// The packer's figures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackCounters {
    /// Parcels that passed the check (or were shipped by override) since the given moment.
    pub passed: i64,
    /// Mismatches caught since the given moment.
    pub mismatches: i64,
}

/// One attempt of the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackAttemptRow {
    pub at: String,
    pub operator: String,
    pub result: AttemptResult,
    pub detail: String,
}

/// A parcel of a hand-over (scanned or missing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoverParcel {
    pub order_id: i64,
    pub order_no: String,
    pub receiver_name: String,
    pub tracking_no: String,
    /// When it was scanned; empty for a missing parcel.
    pub scanned_at: String,
    pub shipped_at: String,
}

/// A hand-over with its parcels.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Handover {
    pub id: i64,
    pub courier_code: String,
    pub courier_name: String,
    pub started_at: String,
    pub started_by: String,
    pub since: String,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    /// At the close: parcels expected; while open, the parcels expected so far.
    pub expected: i64,
    pub parcels: Vec<HandoverParcel>,
    /// Shipped parcels not scanned (at the close; while open, the ones not scanned yet).
    pub missing: Vec<HandoverParcel>,
}

/// A hand-over in the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoverRow {
    pub id: i64,
    pub courier_code: String,
    pub courier_name: String,
    pub started_at: String,
    pub started_by: String,
    pub closed_at: Option<String>,
    pub scanned: i64,
    pub expected: Option<i64>,
}

/// Which hand-overs to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HandoverFilter {
    /// A courier code, name or alias.
    pub courier: Option<String>,
    /// Started on or after (`YYYY-MM-DD` or a timestamp).
    pub from: Option<String>,
    /// Started before.
    pub to: Option<String>,
    pub limit: u32,
}

/// What a hand-over scan did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandoverScan {
    Added {
        order_no: String,
        receiver_name: String,
        /// Parcels in the hand-over now.
        scanned: i64,
    },
    Refused(HandoverRefusal),
}

const ATTEMPT_INSERT: &str = "INSERT INTO pack_attempts (order_id, at, operator, result, detail) VALUES (?1, ?2, ?3, ?4, ?5)";

impl Store {
    /// What a scan names: a pick-list batch number, a tracking number, an order number
    /// (an order merged into another opens the main order; a packing slip's barcode is the
    /// order number), or a voided tracking number.
    pub fn pack_find(&self, scan: &str) -> Result<PackFind> {
        let scan = scan.trim();
        if scan.is_empty() {
            return Ok(PackFind::NotFound(String::new()));
        }
        if let Some(batch) = parse_batch_number(scan)
            && let Some(progress) = batch_progress(&self.conn, batch)?
        {
            return Ok(PackFind::Batch(progress));
        }
        let by_tracking: Option<i64> = self
            .conn
            .prepare_cached(
                // `tracking_no <> ''` lets SQLite use the partial index on the numbers.
                "SELECT COALESCE(merged_into, id) FROM orders
                 WHERE tracking_no = ?1 AND tracking_no <> ''
                 ORDER BY id DESC LIMIT 1",
            )?
            .query_row([scan], |row| row.get(0))
            .optional()?;
        let id = match by_tracking {
            Some(id) => Some(id),
            None => match self.find_order(scan) {
                Ok(id) => Some(id),
                Err(StoreError::NotFound(_)) => None,
                Err(e) => return Err(e),
            },
        };
        if let Some(id) = id {
            return Ok(PackFind::Order(Box::new(pack_order(&self.conn, id)?)));
        }
        let voided: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT o.order_no FROM voided_tracking v JOIN orders o ON o.id = v.order_id
                 WHERE v.number = ?1",
            )?
            .query_row([scan], |row| row.get(0))
            .optional()?;
        Ok(match voided {
            Some(order_no) => PackFind::Voided {
                number: scan.to_owned(),
                order_no,
            },
            None => PackFind::NotFound(scan.to_owned()),
        })
    }

    /// The order with this id as the packer sees it.
    pub fn pack_order(&self, id: i64) -> Result<PackOrder> {
        pack_order(&self.conn, id)
    }

    /// The orders of a batch in slot order with their progress.
    pub fn batch_progress(&self, batch: i64) -> Result<BatchProgress> {
        batch_progress(&self.conn, batch)?
            .ok_or_else(|| StoreError::NotFound(format!("no batch {}", super::batch_number(batch))))
    }

    /// The pack check passed: in one transaction the order is checked again (it may have
    /// been shipped by another station, cancelled or changed a moment ago), then it ships
    /// through the state machine (ship date, stock out of on hand through the ledger), the
    /// weight is stored and the attempt logged. `checked` is what the packer counted,
    /// `(code, quantity)`: when the order's items differ now, nothing ships.
    pub fn pack_pass(
        &mut self,
        id: i64,
        checked: &[(String, i64)],
        weight_grams: Option<i64>,
        operator: &str,
    ) -> Result<ShipResult> {
        self.ship_checked(id, Some(checked), weight_grams, None, operator)
    }

    /// [`Store::pack_pass`] that waits at most `wait` for another writer (an import, which
    /// is one long transaction) instead of the usual minute. `Ok(None)`: the file stayed
    /// busy and nothing was written; the station tries again a moment later, and the
    /// packer's scans, which only read, go on meanwhile.
    pub fn try_pack_pass(
        &mut self,
        id: i64,
        checked: &[(String, i64)],
        weight_grams: Option<i64>,
        operator: &str,
        wait: std::time::Duration,
    ) -> Result<Option<ShipResult>> {
        self.conn.busy_timeout(wait)?;
        let result = self.pack_pass(id, checked, weight_grams, operator);
        self.conn.busy_timeout(super::BUSY_TIMEOUT)?;
        match result {
            Err(e) if e.is_busy() => Ok(None),
            other => other.map(Some),
        }
    }

    /// Ships a printed order without a full check (an item without a barcode, a scanner
    /// down): the reason is logged as an override. Orders that must not leave are refused
    /// as at the check.
    pub fn ship_override(
        &mut self,
        id: i64,
        reason: &str,
        weight_grams: Option<i64>,
        operator: &str,
    ) -> Result<ShipResult> {
        if reason.trim().is_empty() {
            return Err(StoreError::Invalid(
                "say why the order ships without a full check".to_owned(),
            ));
        }
        self.ship_checked(id, None, weight_grams, Some(reason.trim()), operator)
    }

    fn ship_checked(
        &mut self,
        id: i64,
        checked: Option<&[(String, i64)]>,
        weight_grams: Option<i64>,
        override_reason: Option<&str>,
        operator: &str,
    ) -> Result<ShipResult> {
        if let Some(w) = weight_grams
            && !(1..=crate::domain::pack::MAX_WEIGHT_GRAMS).contains(&w)
        {
            return Err(StoreError::Invalid(format!(
                "weight {w} g: expected 1 to {} g",
                crate::domain::pack::MAX_WEIGHT_GRAMS
            )));
        }
        let settings = self.settings()?;
        let now = now_text();
        let tx = self.write()?;
        let id = main_order(&tx, id)?;
        let order = pack_order(&tx, id)?;
        if let Some(reason) = order.refusal {
            attempt(
                &tx,
                id,
                &now,
                operator,
                AttemptResult::Refused,
                &reason.to_string(),
            )?;
            tx.commit()?;
            return Ok(ShipResult::Refused {
                order_no: order.order_no,
                reason,
            });
        }
        if let Some(checked) = checked {
            let mut now_items: Vec<(String, i64)> = order
                .items
                .iter()
                .map(|i| (i.code.clone(), i.expected))
                .collect();
            let mut checked = checked.to_vec();
            now_items.sort();
            checked.sort();
            if now_items != checked {
                attempt(
                    &tx,
                    id,
                    &now,
                    operator,
                    AttemptResult::Abandoned,
                    "the order's items changed while it was being packed",
                )?;
                tx.commit()?;
                return Ok(ShipResult::Changed {
                    order_no: order.order_no,
                });
            }
        }
        let event = if override_reason.is_some() {
            Event::Ship
        } else {
            Event::PackCheckPassed
        };
        Store::apply_event_in(&tx, id, event, &settings, operator, &now)?;
        if let Some(grams) = weight_grams {
            tx.prepare_cached("UPDATE orders SET weight_grams = ?2 WHERE id = ?1")?
                .execute(params![id, grams])?;
            super::orders::log(
                &tx,
                id,
                operator,
                &now,
                crate::domain::LogKind::Shipping(crate::domain::shipping::ShippingLog::Weight),
                &format!("{grams} g"),
            )?;
        }
        let (result, detail) = match override_reason {
            Some(reason) => (AttemptResult::Override, reason.to_owned()),
            None => (
                AttemptResult::Passed,
                order
                    .items
                    .iter()
                    .map(|i| format!("{} {}/{}", i.code, i.expected, i.expected))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        };
        attempt(&tx, id, &now, operator, result, &detail)?;
        tx.commit()?;
        Ok(ShipResult::Shipped {
            order_no: order.order_no,
            at: now,
        })
    }

    /// Logs an attempt that shipped nothing: a mismatch caught, a refusal at the first
    /// scan, an order left before it was complete.
    pub fn pack_attempt(
        &mut self,
        id: i64,
        result: AttemptResult,
        detail: &str,
        operator: &str,
    ) -> Result<()> {
        if matches!(result, AttemptResult::Passed | AttemptResult::Override) {
            return Err(StoreError::Invalid(
                "a pass or an override is recorded by shipping the order".to_owned(),
            ));
        }
        let now = now_text();
        let tx = self.write()?;
        let id = main_order(&tx, id)?;
        attempt(&tx, id, &now, operator, result, detail)?;
        tx.commit()?;
        Ok(())
    }

    /// Every pack attempt of an order, oldest first.
    pub fn pack_attempts(&self, id: i64) -> Result<Vec<PackAttemptRow>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT at, operator, result, detail FROM pack_attempts
                 WHERE order_id = ?1 ORDER BY id",
            )?
            .query_map([id], |row| {
                Ok(PackAttemptRow {
                    at: row.get(0)?,
                    operator: row.get(1)?,
                    result: super::coded(row, 2, AttemptResult::from_code)?,
                    detail: row.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The packer's figures since a moment (the start of the day, usually).
    pub fn pack_counters(&self, operator: &str, since: &str) -> Result<PackCounters> {
        let (passed, mismatches) = self
            .conn
            .prepare_cached(
                "SELECT count(*) FILTER (WHERE result IN ('passed', 'override')),
                        count(*) FILTER (WHERE result = 'mismatch')
                 FROM pack_attempts WHERE at >= ?1 AND operator = ?2",
            )?
            .query_row(params![since, operator], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        Ok(PackCounters { passed, mismatches })
    }

    /// Starts a hand-over for a courier (code, name or alias). A courier has one open
    /// hand-over at a time; starting again returns the open one.
    pub fn handover_start(&mut self, courier: &str, operator: &str) -> Result<i64> {
        let now = now_text();
        let tx = self.write()?;
        let courier_id = courier_id(&tx, courier)?;
        let open: Option<i64> = tx
            .prepare_cached("SELECT id FROM handovers WHERE courier_id = ?1 AND closed_at IS NULL")?
            .query_row([courier_id], |row| row.get(0))
            .optional()?;
        if let Some(id) = open {
            return Ok(id);
        }
        let previous: Option<String> = tx
            .prepare_cached("SELECT max(started_at) FROM handovers WHERE courier_id = ?1")?
            .query_row([courier_id], |row| row.get(0))?;
        let since = previous.unwrap_or_else(|| start_of_day(&now));
        tx.execute(
            "INSERT INTO handovers (courier_id, started_at, started_by, since)
             VALUES (?1, ?2, ?3, ?4)",
            params![courier_id, now, operator, since],
        )?;
        let id = tx.last_insert_rowid();
        super::audit::record(
            &tx,
            operator,
            "handover.start",
            &format!("hand-over {id}"),
            "",
            &format!("parcels shipped since {since}"),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Scans a parcel into an open hand-over by its tracking number. A parcel of another
    /// courier, one not shipped, or one handed over already is refused (nothing written).
    pub fn handover_scan(
        &mut self,
        handover: i64,
        tracking_no: &str,
        operator: &str,
    ) -> Result<HandoverScan> {
        let number = tracking_no.trim();
        let now = now_text();
        let tx = self.write()?;
        let (courier_id, closed) = handover_head(&tx, handover)?;
        if closed {
            return Ok(HandoverScan::Refused(HandoverRefusal::Closed(handover)));
        }
        let parcel = tx
            .prepare_cached(
                "SELECT o.id, o.order_no, o.state, o.courier_id, o.courier, o.receiver_name,
                        (SELECT p.handover_id FROM handover_parcels p WHERE p.order_id = o.id)
                 FROM orders o
                 WHERE o.tracking_no = ?1 AND o.tracking_no <> '' AND o.merged_into IS NULL
                 ORDER BY o.id DESC LIMIT 1",
            )?
            .query_row([number], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    ParcelFacts {
                        order_no: row.get(1)?,
                        state: super::coded(row, 2, OrderState::from_code)?,
                        courier_id: row.get(3)?,
                        courier: row.get(4)?,
                        handed_over: row.get(6)?,
                    },
                    row.get::<_, String>(5)?,
                ))
            })
            .optional()?;
        let Some((order_id, facts, receiver_name)) = parcel else {
            return Ok(HandoverScan::Refused(HandoverRefusal::Unknown(
                number.to_owned(),
            )));
        };
        if let Some(refusal) = handover_refusal(handover, courier_id, &facts) {
            return Ok(HandoverScan::Refused(refusal));
        }
        tx.prepare_cached(
            "INSERT INTO handover_parcels (handover_id, order_id, tracking_no, scanned_at, operator)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![handover, order_id, number, now, operator])?;
        let scanned: i64 = tx
            .prepare_cached("SELECT count(*) FROM handover_parcels WHERE handover_id = ?1")?
            .query_row([handover], |row| row.get(0))?;
        tx.commit()?;
        Ok(HandoverScan::Added {
            order_no: facts.order_no,
            receiver_name,
            scanned,
        })
    }

    /// Closes a hand-over: the parcels shipped with its courier since `since` that were not
    /// scanned are recorded as missing, and the counts are fixed for good.
    pub fn handover_close(&mut self, handover: i64, operator: &str) -> Result<Handover> {
        let now = now_text();
        let tx = self.write()?;
        let (courier_id, closed) = handover_head(&tx, handover)?;
        if closed {
            return Err(StoreError::Invalid(format!(
                "hand-over {handover} is closed already"
            )));
        }
        let missing = missing_parcels(&tx, handover, courier_id)?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO handover_missing (handover_id, order_id) VALUES (?1, ?2)",
            )?;
            for parcel in &missing {
                insert.execute(params![handover, parcel.order_id])?;
            }
        }
        let scanned: i64 = tx
            .prepare_cached("SELECT count(*) FROM handover_parcels WHERE handover_id = ?1")?
            .query_row([handover], |row| row.get(0))?;
        tx.execute(
            "UPDATE handovers SET closed_at = ?2, closed_by = ?3, expected = ?4, scanned = ?5
             WHERE id = ?1",
            params![
                handover,
                now,
                operator,
                scanned + missing.len() as i64,
                scanned
            ],
        )?;
        super::audit::record(
            &tx,
            operator,
            "handover.close",
            &format!("hand-over {handover}"),
            "open",
            &format!("{scanned} scanned, {} missing", missing.len()),
        )?;
        let report = load_handover(&tx, handover)?;
        tx.commit()?;
        Ok(report)
    }

    /// A hand-over with its parcels; while open, `missing` lists the shipped parcels not
    /// scanned yet.
    pub fn handover(&self, id: i64) -> Result<Handover> {
        load_handover(&self.conn, id)
    }

    /// Hand-overs, newest first, by courier and start date.
    pub fn handovers(&self, filter: &HandoverFilter) -> Result<Vec<HandoverRow>> {
        let courier = match filter.courier.as_deref().map(str::trim) {
            Some(text) if !text.is_empty() => Some(courier_id(&self.conn, text)?),
            _ => None,
        };
        let limit = if filter.limit == 0 { 200 } else { filter.limit };
        let rows = self
            .conn
            .prepare_cached(
                "SELECT h.id, c.code, c.name, h.started_at, h.started_by, h.closed_at,
                        (SELECT count(*) FROM handover_parcels p WHERE p.handover_id = h.id),
                        h.expected
                 FROM handovers h JOIN couriers c ON c.id = h.courier_id
                 WHERE (?1 IS NULL OR h.courier_id = ?1)
                   AND (?2 IS NULL OR h.started_at >= ?2)
                   AND (?3 IS NULL OR h.started_at < ?3)
                 ORDER BY h.id DESC LIMIT ?4",
            )?
            .query_map(params![courier, filter.from, filter.to, limit], |row| {
                Ok(HandoverRow {
                    id: row.get(0)?,
                    courier_code: row.get(1)?,
                    courier_name: row.get(2)?,
                    started_at: row.get(3)?,
                    started_by: row.get(4)?,
                    closed_at: row.get(5)?,
                    scanned: row.get(6)?,
                    expected: row.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Records the weight of a parcel weighed after it shipped (the pass records a weight
    /// entered before). Returns the order number.
    pub fn set_parcel_weight(&mut self, id: i64, grams: i64, operator: &str) -> Result<String> {
        if !(1..=crate::domain::pack::MAX_WEIGHT_GRAMS).contains(&grams) {
            return Err(StoreError::Invalid(format!(
                "weight {grams} g: expected 1 to {} g",
                crate::domain::pack::MAX_WEIGHT_GRAMS
            )));
        }
        let now = now_text();
        let tx = self.write()?;
        let id = main_order(&tx, id)?;
        let (status, order_no, _) = status_of(&tx, id)?;
        if !matches!(status.state, OrderState::Printed | OrderState::Shipped) {
            return Err(StoreError::Invalid(format!(
                "order {order_no} is {}: only a printed or shipped parcel is weighed",
                status.state.code().replace('_', " ")
            )));
        }
        tx.prepare_cached("UPDATE orders SET weight_grams = ?2, updated_at = ?3 WHERE id = ?1")?
            .execute(params![id, grams, now])?;
        super::orders::log(
            &tx,
            id,
            operator,
            &now,
            crate::domain::LogKind::Shipping(crate::domain::shipping::ShippingLog::Weight),
            &format!("{grams} g"),
        )?;
        tx.commit()?;
        Ok(order_no)
    }

    /// The hand-over an order's parcel went out in.
    pub fn order_handover(&self, id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT handover_id FROM handover_parcels WHERE order_id = ?1")?
            .query_row([id], |row| row.get(0))
            .optional()?)
    }
}

/// `PL000123` → 123.
fn parse_batch_number(scan: &str) -> Option<i64> {
    let digits = scan
        .strip_prefix("PL")
        .or_else(|| scan.strip_prefix("pl"))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The start of the local day of an RFC 3339 moment, in the same form.
fn start_of_day(now: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(now) {
        Ok(at) => format!("{}T00:00:00{}", at.format("%Y-%m-%d"), at.format("%:z")),
        Err(_) => now.get(..10).unwrap_or(now).to_owned(),
    }
}

fn attempt(
    tx: &Transaction<'_>,
    id: i64,
    now: &str,
    operator: &str,
    result: AttemptResult,
    detail: &str,
) -> Result<()> {
    tx.prepare_cached(ATTEMPT_INSERT)?.execute(params![
        id,
        now,
        operator,
        result.code(),
        detail
    ])?;
    Ok(())
}

/// The order that ships the lines of `id`: itself, or the order it is merged into.
fn main_order(conn: &Connection, id: i64) -> Result<i64> {
    conn.prepare_cached("SELECT COALESCE(merged_into, id) FROM orders WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no order with id {id}")))
}

fn pack_order(conn: &Connection, id: i64) -> Result<PackOrder> {
    let id = main_order(conn, id)?;
    let couriers = courier_directory(conn)?;
    let ship = ship_order(conn, &couriers, id)?;
    let (status, _, _) = status_of(conn, id)?;
    #[allow(clippy::type_complexity)]
    let (payment, flag, platform_closed, weight, unmatched): (
        String,
        String,
        Option<String>,
        Option<i64>,
        bool,
    ) = conn
        .prepare_cached(
            "SELECT payment_status, flag, platform_closed_at, weight_grams,
                    EXISTS (SELECT 1 FROM order_lines l
                            WHERE l.order_id = o.id AND l.product_id IS NULL)
             FROM orders o WHERE id = ?1",
        )?
        .query_row([id], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })?;
    let shipped: Option<(String, String)> =
        if matches!(status.state, OrderState::Shipped | OrderState::Archived) {
            conn.prepare_cached(
                "SELECT at, operator FROM order_events
             WHERE order_id = ?1 AND event IN ('pack_check_passed', 'ship')
             ORDER BY id DESC LIMIT 1",
            )?
            .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?
            .or_else(|| {
                // Shipped before the station existed (an import): the date, by nobody known.
                conn.query_row("SELECT shipped_at FROM orders WHERE id = ?1", [id], |row| {
                    row.get::<_, Option<String>>(0)
                })
                .ok()
                .flatten()
                .map(|at| (at, String::new()))
            })
        } else {
            None
        };
    let mut barcodes = conn.prepare_cached(
        "SELECT b.barcode FROM product_barcodes b JOIN products p ON p.id = b.product_id
         WHERE p.code = ?1 ORDER BY b.barcode",
    )?;
    let mut items = Vec::with_capacity(ship.items.len());
    for item in &ship.items {
        let codes = barcodes
            .query_map([&item.code], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        items.push(PackItem {
            code: item.code.clone(),
            name: item.name.clone(),
            attributes: item.attributes.clone(),
            bin: item.bin.clone(),
            barcodes: codes,
            expected: item.quantity,
            packed: 0,
        });
    }
    let facts = PackFacts {
        state: status.state,
        on_hold: status.on_hold,
        payment: PaymentStatus::from_code(&payment).unwrap_or(PaymentStatus::Unpaid),
        platform_closed: platform_closed.is_some(),
        shipped,
        items: items.len(),
        unmatched,
    };
    let batch: Option<(i64, i64)> = conn
        .prepare_cached(
            "SELECT batch_id, slot FROM pick_batch_orders WHERE order_id = ?1
             ORDER BY batch_id DESC LIMIT 1",
        )?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let courier = match &ship.courier {
        CourierRef::Known(c) => c.name.clone(),
        CourierRef::Unknown(text) => text.clone(),
        CourierRef::None => String::new(),
    };
    let address = [
        ship.province.as_str(),
        ship.city.as_str(),
        ship.district.as_str(),
        ship.address.as_str(),
    ]
    .iter()
    .filter(|part| !part.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(" ");
    Ok(PackOrder {
        id,
        order_no: ship.order_no,
        platform: ship.platform,
        receiver_name: ship.receiver_name,
        receiver_phone: ship.receiver_phone,
        address,
        courier,
        tracking_no: ship.tracking_no,
        flag: Flag::from_code(&flag).unwrap_or(Flag::None),
        seller_remark: ship.seller_remark,
        buyer_message: ship.buyer_message,
        weight_grams: weight,
        batch,
        refusal: crate::domain::pack::pack_refusal(&facts),
        items,
    })
}

fn batch_progress(conn: &Connection, batch: i64) -> Result<Option<BatchProgress>> {
    let slots: Vec<BatchSlot> = conn
        .prepare_cached(
            "SELECT b.slot, o.id, o.order_no, o.receiver_name, o.state, o.on_hold,
                    (SELECT COALESCE(sum(l.quantity), 0) FROM order_lines l
                     WHERE l.order_id = o.id)
             FROM pick_batch_orders b JOIN orders o ON o.id = b.order_id
             WHERE b.batch_id = ?1 ORDER BY b.slot",
        )?
        .query_map([batch], |row| {
            Ok(BatchSlot {
                slot: row.get(0)?,
                order_id: row.get(1)?,
                order_no: row.get(2)?,
                receiver_name: row.get(3)?,
                state: super::coded(row, 4, OrderState::from_code)?,
                on_hold: row.get(5)?,
                pieces: row.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    if slots.is_empty() {
        return Ok(None);
    }
    Ok(Some(BatchProgress {
        batch,
        number: super::batch_number(batch),
        slots,
    }))
}

/// A courier's id by code, name or alias.
fn courier_id(conn: &Connection, text: &str) -> Result<i64> {
    courier_directory(conn)?.resolve(text).id().ok_or_else(|| {
        StoreError::NotFound(format!(
            "no courier named {text:?}: add it in Settings or with `shopdesk couriers add`"
        ))
    })
}

/// A hand-over's courier and whether it is closed.
fn handover_head(conn: &Connection, id: i64) -> Result<(i64, bool)> {
    conn.prepare_cached("SELECT courier_id, closed_at IS NOT NULL FROM handovers WHERE id = ?1")?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no hand-over {id}")))
}

/// Parcels shipped with the hand-over's courier since its `since`, in no hand-over.
fn missing_parcels(
    conn: &Connection,
    handover: i64,
    courier_id: i64,
) -> Result<Vec<HandoverParcel>> {
    let rows = conn
        .prepare_cached(
            "SELECT o.id, o.order_no, o.receiver_name, o.tracking_no, o.shipped_at
             FROM orders o
             WHERE o.courier_id = ?2 AND o.merged_into IS NULL AND o.shipped_at IS NOT NULL
               AND o.shipped_at >= (SELECT since FROM handovers WHERE id = ?1)
               AND o.state IN ('shipped', 'archived')
               AND NOT EXISTS (SELECT 1 FROM handover_parcels p WHERE p.order_id = o.id)
             ORDER BY o.shipped_at, o.id",
        )?
        .query_map(params![handover, courier_id], |row| {
            Ok(HandoverParcel {
                order_id: row.get(0)?,
                order_no: row.get(1)?,
                receiver_name: row.get(2)?,
                tracking_no: row.get(3)?,
                scanned_at: String::new(),
                shipped_at: row.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn load_handover(conn: &Connection, id: i64) -> Result<Handover> {
    let mut head = conn
        .prepare_cached(
            "SELECT h.id, c.code, c.name, h.started_at, h.started_by, h.since, h.closed_at,
                    h.closed_by, h.expected, h.courier_id
             FROM handovers h JOIN couriers c ON c.id = h.courier_id WHERE h.id = ?1",
        )?
        .query_row([id], |row| {
            Ok((
                Handover {
                    id: row.get(0)?,
                    courier_code: row.get(1)?,
                    courier_name: row.get(2)?,
                    started_at: row.get(3)?,
                    started_by: row.get(4)?,
                    since: row.get(5)?,
                    closed_at: row.get(6)?,
                    closed_by: row.get(7)?,
                    expected: row.get::<_, Option<i64>>(8)?.unwrap_or_default(),
                    parcels: Vec::new(),
                    missing: Vec::new(),
                },
                row.get::<_, i64>(9)?,
            ))
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no hand-over {id}")))?;
    head.0.parcels = conn
        .prepare_cached(
            "SELECT o.id, o.order_no, o.receiver_name, p.tracking_no, p.scanned_at,
                    COALESCE(o.shipped_at, '')
             FROM handover_parcels p JOIN orders o ON o.id = p.order_id
             WHERE p.handover_id = ?1 ORDER BY p.scanned_at, o.id",
        )?
        .query_map([id], |row| {
            Ok(HandoverParcel {
                order_id: row.get(0)?,
                order_no: row.get(1)?,
                receiver_name: row.get(2)?,
                tracking_no: row.get(3)?,
                scanned_at: row.get(4)?,
                shipped_at: row.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (mut report, courier_id) = head;
    if report.closed_at.is_some() {
        report.missing = conn
            .prepare_cached(
                "SELECT o.id, o.order_no, o.receiver_name, o.tracking_no,
                        COALESCE(o.shipped_at, '')
                 FROM handover_missing m JOIN orders o ON o.id = m.order_id
                 WHERE m.handover_id = ?1 ORDER BY o.shipped_at, o.id",
            )?
            .query_map([id], |row| {
                Ok(HandoverParcel {
                    order_id: row.get(0)?,
                    order_no: row.get(1)?,
                    receiver_name: row.get(2)?,
                    tracking_no: row.get(3)?,
                    scanned_at: String::new(),
                    shipped_at: row.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    } else {
        report.missing = missing_parcels(conn, id, courier_id)?;
        report.expected = (report.parcels.len() + report.missing.len()) as i64;
    }
    Ok(report)
}

#[cfg(test)]
mod tests;
