//! Writing many new orders at once (an import, the demo): multi-row INSERTs with the ids
//! assigned up front. One statement per few hundred rows instead of one per row: with
//! foreign keys and the archive triggers every statement opens a statement journal, and
//! that per-statement cost dominated a bulk import.

use rusqlite::{Statement, ToSql, Transaction};

use super::orders::{ProductMatcher, search_body};
use super::shipping::courier_directory;
use super::{Result, StoreError};
use crate::domain::LogKind;
use crate::domain::model::NewOrder;

/// Rows per multi-row INSERT (SQLite allows 32,766 parameters per statement).
const CHUNK: usize = 400;

/// The id the next new order gets. Valid inside the write transaction that uses it.
pub(super) fn next_order_id(tx: &Transaction<'_>) -> Result<i64> {
    Ok(
        tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM orders", [], |row| {
            row.get(0)
        })?,
    )
}

/// `INSERT INTO {head} VALUES (?, …), (?, …) …` for `rows` rows of `columns` values.
fn multi_insert<'t>(
    tx: &'t Transaction<'_>,
    head: &str,
    columns: usize,
    rows: usize,
) -> Result<rusqlite::CachedStatement<'t>> {
    let row = format!("({})", vec!["?"; columns].join(", "));
    let sql = format!("INSERT INTO {head} VALUES {}", vec![row; rows].join(", "));
    Ok(tx.prepare_cached(&sql)?)
}

/// Binds one value at the next parameter position.
fn bind(stmt: &mut Statement<'_>, at: &mut usize, value: &dyn ToSql) -> Result<()> {
    *at += 1;
    stmt.raw_bind_parameter(*at, value)?;
    Ok(())
}

/// Inserts `rows` with one multi-row `INSERT INTO {head}` per [`CHUNK`] rows: the
/// statement for a full chunk is prepared once and reused, the rest gets its own.
/// `bind_row` binds one row's `columns` values from the position it is given.
fn insert_chunks<T>(
    tx: &Transaction<'_>,
    head: &str,
    columns: usize,
    rows: &[T],
    mut bind_row: impl FnMut(&mut Statement<'_>, &mut usize, &T) -> Result<()>,
) -> Result<()> {
    let mut full: Option<rusqlite::CachedStatement<'_>> = None;
    for chunk in rows.chunks(CHUNK) {
        let mut rest;
        let stmt: &mut Statement<'_> = if chunk.len() == CHUNK {
            let stmt = match full.take() {
                Some(stmt) => stmt,
                None => multi_insert(tx, head, columns, CHUNK)?,
            };
            full.insert(stmt)
        } else {
            rest = multi_insert(tx, head, columns, chunk.len())?;
            &mut rest
        };
        let mut at = 0;
        for row in chunk {
            bind_row(stmt, &mut at, row)?;
        }
        stmt.raw_execute()?;
    }
    Ok(())
}

/// Writes new orders with the given ids: the orders, their lines (matched to products),
/// a "created" event each and their search entries. The caller has checked that the
/// numbers are new and assigned the ids from [`next_order_id`]. `now` is the creation
/// time; `None` takes each order's own order time (the demo's history).
pub(super) fn write_orders(
    tx: &Transaction<'_>,
    orders: &[(i64, &NewOrder)],
    matcher: &ProductMatcher,
    operator: &str,
    source: &str,
    now: Option<&str>,
) -> Result<()> {
    write_order_rows(tx, orders, now)?;
    write_lines(tx, orders, matcher)?;
    write_created_events(tx, orders, operator, source, now)?;
    write_search(tx, orders)
}

/// The `orders` rows of [`write_orders`]. Each order's courier text is resolved to its
/// courier record (by code, name or alias) once here, for the couriers as they are now.
pub(super) fn write_order_rows(
    tx: &Transaction<'_>,
    orders: &[(i64, &NewOrder)],
    now: Option<&str>,
) -> Result<()> {
    let couriers = courier_directory(tx)?;
    insert_chunks(
        tx,
        "orders (id, platform, order_no, buyer_id, buyer_name, receiver_name,
            receiver_phone, receiver_phone2, province, city, district, address, postcode,
            buyer_message, seller_remark, flag, goods_cents, postage_cents, discount_cents,
            paid_cents, refunded_cents, payment_status, cash_on_delivery, state,
            platform_status, ordered_at, paid_at, courier, tracking_no, created_at,
            updated_at, reviewed_at, printed_at, inspected_at, shipped_at, archived_at, on_hold,
            courier_id)",
        38,
        orders,
        |stmt, at, (id, o)| {
            let now = now.unwrap_or(&o.ordered_at);
            let courier_id = couriers.resolve(&o.courier).id();
            let values: [&dyn ToSql; 38] = [
                id,
                &o.platform,
                &o.order_no,
                &o.buyer_id,
                &o.buyer_name,
                &o.receiver_name,
                &o.receiver_phone,
                &o.receiver_phone2,
                &o.province,
                &o.city,
                &o.district,
                &o.address,
                &o.postcode,
                &o.buyer_message,
                &o.seller_remark,
                &o.flag.code(),
                &o.goods_cents,
                &o.postage_cents,
                &o.discount_cents,
                &o.paid_cents,
                &o.refunded_cents,
                &o.payment_status.code(),
                &o.cash_on_delivery,
                &o.state.code(),
                &o.platform_status,
                &o.ordered_at,
                &o.paid_at,
                &o.courier,
                &o.tracking_no,
                &now,
                &now,
                &o.reviewed_at,
                &o.printed_at,
                &o.inspected_at,
                &o.shipped_at,
                &o.archived_at,
                &o.on_hold,
                &courier_id,
            ];
            for value in values {
                bind(stmt, at, value)?;
            }
            Ok(())
        },
    )
    .map_err(|e| match e {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(err, _))
            if err.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            StoreError::Invalid(
                "an order number of this batch is already in the database".to_owned(),
            )
        }
        other => other,
    })
}

/// The lines of [`write_orders`], matched to products.
pub(super) fn write_lines(
    tx: &Transaction<'_>,
    orders: &[(i64, &NewOrder)],
    matcher: &ProductMatcher,
) -> Result<()> {
    let lines: Vec<(i64, &crate::domain::model::NewOrderLine)> = orders
        .iter()
        .flat_map(|(id, o)| o.lines.iter().map(move |line| (*id, line)))
        .collect();
    insert_chunks(
        tx,
        "order_lines (order_id, origin_order_id, product_id, sku, title, attributes,
                      quantity, unit_price_cents)",
        8,
        &lines,
        |stmt, at, (id, line)| {
            let product = matcher.find(&line.sku);
            let values: [&dyn ToSql; 8] = [
                id,
                id,
                &product,
                &line.sku,
                &line.title,
                &line.attributes,
                &line.quantity,
                &line.unit_price_cents,
            ];
            for value in values {
                bind(stmt, at, value)?;
            }
            Ok(())
        },
    )
}

/// The "created" event of each order of [`write_orders`].
pub(super) fn write_created_events(
    tx: &Transaction<'_>,
    orders: &[(i64, &NewOrder)],
    operator: &str,
    source: &str,
    now: Option<&str>,
) -> Result<()> {
    let events: Vec<EventRow<'_>> = orders
        .iter()
        .map(|(id, o)| EventRow {
            order_id: *id,
            at: now.unwrap_or(&o.ordered_at),
            event: LogKind::Created,
            detail: source,
        })
        .collect();
    write_events(tx, &events, operator)
}

/// The search entries of [`write_orders`], one single-row `INSERT` each. FTS5 writes its
/// in-memory buffer out as a new segment at every statement savepoint, and a statement
/// opens one when it may write several rows (a multi-row `INSERT`, a table with triggers
/// or foreign keys). A single-row insert into the index opens none, so the buffer grows
/// across the whole run and is written in a few large segments instead of one small
/// segment (and later merges) per statement. Callers write the search entries after the
/// other rows, in as long a run as they can.
pub(super) fn write_search(tx: &Transaction<'_>, orders: &[(i64, &NewOrder)]) -> Result<()> {
    write_search_entries(tx, orders.iter().map(|(id, o)| (*id, search_body(o))))
}

/// Search entries made beforehand (`(order id, body)`), as [`write_search`] writes them.
pub(super) fn write_search_entries<S: AsRef<str>>(
    tx: &Transaction<'_>,
    entries: impl IntoIterator<Item = (i64, S)>,
) -> Result<()> {
    let mut stmt = tx.prepare_cached("INSERT INTO order_search (rowid, body) VALUES (?1, ?2)")?;
    for (id, body) in entries {
        stmt.execute(rusqlite::params![id, body.as_ref()])?;
    }
    Ok(())
}

/// One event of the order log, for [`write_events`].
pub(super) struct EventRow<'a> {
    pub order_id: i64,
    pub at: &'a str,
    pub event: LogKind,
    pub detail: &'a str,
}

/// Appends events to the order log, many per statement.
pub(super) fn write_events(
    tx: &Transaction<'_>,
    events: &[EventRow<'_>],
    operator: &str,
) -> Result<()> {
    insert_chunks(
        tx,
        "order_events (order_id, at, operator, event, detail)",
        5,
        events,
        |stmt, at, e| {
            let values: [&dyn ToSql; 5] =
                [&e.order_id, &e.at, &operator, &e.event.code(), &e.detail];
            for value in values {
                bind(stmt, at, value)?;
            }
            Ok(())
        },
    )
}

/// One stock movement, for [`write_movements`].
pub(super) struct MovementRow<'a> {
    pub product_id: i64,
    pub quantity: i64,
    pub reason: &'a str,
    pub reference: &'a str,
    pub at: &'a str,
}

/// Appends movements to the stock ledger, many per statement. The trigger that adds each
/// movement to its product's balance is suspended meanwhile (a million row-by-row
/// `UPDATE`s were most of the demo's ledger time); each balance gets its sum once at the
/// end, in the same transaction, so the ledger and the balances agree at the commit.
pub(super) fn write_movements(
    tx: &Transaction<'_>,
    movements: &[MovementRow<'_>],
    operator: &str,
) -> Result<()> {
    with_suspended(tx, "trigger", &LEDGER_INSERT_TRIGGERS, || {
        with_suspended(tx, "index", &[LEDGER_INDEX], || {
            write_ledger_rows(tx, movements, operator)
        })
    })
}

/// The rows and balances of [`write_movements`], with the trigger and index suspended.
fn write_ledger_rows(
    tx: &Transaction<'_>,
    movements: &[MovementRow<'_>],
    operator: &str,
) -> Result<()> {
    insert_chunks(
        tx,
        "stock_movements (product_id, quantity, reason, reference, operator, created_at)",
        6,
        movements,
        |stmt, at, m| {
            let values: [&dyn ToSql; 6] = [
                &m.product_id,
                &m.quantity,
                &m.reason,
                &m.reference,
                &operator,
                &m.at,
            ];
            for value in values {
                bind(stmt, at, value)?;
            }
            Ok(())
        },
    )?;
    let mut sums: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
    for m in movements {
        *sums.entry(m.product_id).or_default() += m.quantity;
    }
    let mut add = tx.prepare_cached("UPDATE products SET on_hand = on_hand + ?2 WHERE id = ?1")?;
    for (product, sum) in sums {
        add.execute(rusqlite::params![product, sum])?;
    }
    Ok(())
}

/// The ledger's insert triggers a bulk write of new movements suspends: the one that keeps
/// `products.on_hand` (migration 001; the balances get their sums at the end) and the one
/// that refuses an insert over an existing movement (migration 008; the rows get fresh
/// ids from plain INSERTs, which cannot replace a row).
const LEDGER_INSERT_TRIGGERS: [&str; 2] = ["stock_movements_balance", "stock_movements_no_replace"];
/// The ledger's index by product (migration 004).
const LEDGER_INDEX: &str = "stock_movements_product";

/// The `(name, sql)` of the named schema objects of one type.
fn schema_sql(tx: &Transaction<'_>, kind: &str, names: &[&str]) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for name in names {
        let sql: String = tx.query_row(
            "SELECT sql FROM sqlite_schema WHERE type = ?1 AND name = ?2",
            [kind, name],
            |row| row.get(0),
        )?;
        out.push(((*name).to_owned(), sql));
    }
    Ok(out)
}

/// Indexes a bulk load keeps: merges and order details look lines and merged orders up by
/// order while the load runs.
const KEEP_DURING_LOAD: [&str; 2] = ["order_lines_order", "orders_merged_into"];

/// The triggers on inserts into the order tables that a bulk load of orders new in its
/// own transaction can do without: the two that refuse new lines and events on an
/// archived order (migration 001; the demo writes archived orders with their history),
/// and the four that refuse an insert colliding with an existing row (migrations 008 and
/// 014; the load writes fresh ids with plain INSERTs, which cannot replace a row). Every
/// BEFORE INSERT trigger of `orders`, `order_lines` and `order_events` belongs here or in
/// a comment saying why not; a test checks the list against the schema.
pub(super) const ARCHIVE_INSERT_TRIGGERS: [&str; 6] = [
    "order_lines_archived_no_insert",
    "order_events_archived_no_insert",
    "orders_archived_no_replace",
    "orders_history_no_replace",
    "order_lines_no_replace",
    "order_events_no_replace",
];

/// Runs `load` with the named triggers dropped, then creates them again, inside the
/// caller's transaction: no other connection ever sees the schema without them, and a
/// failed load rolls the drop back with everything else. Only for writing orders that are
/// new in this transaction (the demo writes archived orders with their history).
pub(super) fn with_triggers_suspended<T>(
    tx: &Transaction<'_>,
    names: &[&str],
    load: impl FnOnce() -> Result<T>,
) -> Result<T> {
    with_suspended(tx, "trigger", names, load)
}

/// Runs `load` with the named schema objects of one kind (`trigger`, `index`) dropped,
/// then creates them again from their stored SQL, all inside the caller's transaction.
fn with_suspended<T>(
    tx: &Transaction<'_>,
    kind: &str,
    names: &[&str],
    load: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let objects = schema_sql(tx, kind, names)?;
    for (name, _) in &objects {
        tx.execute_batch(&format!("DROP {} \"{name}\"", kind.to_uppercase()))?;
    }
    let out = load()?;
    for (_, sql) in &objects {
        tx.execute_batch(sql)?;
    }
    Ok(out)
}

/// Runs a bulk load with the secondary indexes of the order tables and of the customers
/// (built from the new orders in the same load) dropped, then builds them again, all
/// inside the caller's transaction. Building an index once from sorted data is much
/// cheaper than growing it row by row; worth it when the load is larger than what the
/// tables hold already (the demo, a first big import). Unique indexes stay: a duplicate
/// order number is still refused, and a buyer's orders still make one customer.
///
/// `keep` names more indexes to maintain row by row: partial indexes the loaded rows
/// hardly enter cost almost nothing to keep, while building one scans the whole table.
pub(super) fn with_indexes_rebuilt<T>(
    tx: &Transaction<'_>,
    keep: &[&str],
    load: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let names: Vec<String> = tx
        .prepare(
            "SELECT name FROM sqlite_schema
             WHERE type = 'index' AND sql IS NOT NULL
               AND tbl_name IN ('orders', 'order_lines', 'order_events', 'customers')
               AND sql NOT LIKE 'CREATE UNIQUE%'",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?
        .into_iter()
        .filter(|name| !KEEP_DURING_LOAD.contains(&name.as_str()) && !keep.contains(&name.as_str()))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    with_suspended(tx, "index", &names, load)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// A bulk load suspends every insert trigger of the order tables it may do without;
    /// a trigger added to those tables later must be listed or the load pays for it row
    /// by row.
    #[test]
    fn suspends_every_insert_trigger_of_the_order_tables() {
        let store = Store::open_in_memory().expect("store");
        let mut stmt = store
            .conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'trigger'
                   AND tbl_name IN ('orders', 'order_lines', 'order_events')
                   AND sql LIKE '%BEFORE INSERT%' ORDER BY name",
            )
            .expect("prepare");
        let found: Vec<String> = stmt
            .query_map([], |row| row.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        let mut listed: Vec<String> = ARCHIVE_INSERT_TRIGGERS.map(str::to_owned).to_vec();
        listed.sort();
        assert_eq!(found, listed);
    }
}
