//! Writes the sample shop of `domain::demo` (the `demo` command and the first-run button).

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, Duration, FixedOffset};
use rusqlite::params;

use super::bulk::{
    ARCHIVE_INSERT_TRIGGERS, EventRow, MovementRow, next_order_id, with_indexes_rebuilt,
    with_triggers_suspended, write_created_events, write_events, write_lines, write_movements,
    write_order_rows, write_search_entries,
};
use super::orders::{ProductMatcher, merge_in, search_body};
use super::products::insert_product;
use super::{Result, Store, StoreError};
use crate::domain::LogKind;
use crate::domain::OrderState;
use crate::domain::demo::{
    COURIER_ALIASES, COURIERS, DemoOrder, OrderGenerator, products, purchases, tracking_pool,
};
use crate::domain::model::{NewOrder, NewProduct};

/// What the demo wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub products: u64,
    pub orders: u64,
    pub merged: u64,
    pub movements: u64,
    pub purchases: u64,
    /// Where the time went, for the benchmark.
    pub timings: DemoTimings,
}

/// The demo's phases: writing the orders, building their indexes, the stock ledger, the
/// commit and the planner's statistics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoTimings {
    pub orders: std::time::Duration,
    pub indexes: std::time::Duration,
    pub stock: std::time::Duration,
    pub commit: std::time::Duration,
    pub analyze: std::time::Duration,
}

const OPERATOR: &str = "demo";

/// Tracking numbers each sample courier has allocated to the shop.
const DEMO_POOL: u64 = 300;

/// Partial indexes few sample orders enter (held, refunded, flagged, merged): kept up to
/// date row by row during the load, where building one would scan the whole table.
const SPARSE_IN_DEMO: [&str; 4] = [
    "orders_on_hold",
    "orders_refunded_at",
    "orders_flag",
    "order_lines_origin",
];

/// Search entries are written this many at a time.
const SEARCH_RUN: usize = 50_000;

impl Store {
    /// Fills an empty database with the sample shop, in one transaction. `progress` is
    /// called with the number of orders written so far and returns false to cancel
    /// (nothing is then written).
    pub fn load_demo(
        &mut self,
        order_count: u64,
        seed: u64,
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(u64) -> bool,
    ) -> Result<DemoSummary> {
        let (product_count, existing_orders) = self.counts()?;
        if product_count > 0 || existing_orders > 0 {
            return Err(StoreError::Invalid(format!(
                "{} already holds a shop ({product_count} products, {existing_orders} orders); \
                 the demo fills only an empty database: pass --db with a new path",
                self.path.display()
            )));
        }
        let catalogue = products(seed);
        let ts = |t: DateTime<FixedOffset>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        let start = ts(now - Duration::days(61));
        // The file is empty: every page is new.
        let result = self.with_rollback_journal(|store| {
            store.write_demo(order_count, seed, now, progress, &catalogue, &start)
        });
        let mut summary = result?;
        // Statistics for the planner, sampled so it stays quick on a million orders.
        let analyze = Instant::now();
        self.conn
            .execute_batch("PRAGMA analysis_limit = 1000; ANALYZE;")?;
        summary.timings.analyze = analyze.elapsed();
        Ok(summary)
    }

    /// The demo's one write transaction.
    fn write_demo(
        &mut self,
        order_count: u64,
        seed: u64,
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(u64) -> bool,
        catalogue: &[NewProduct],
        start: &str,
    ) -> Result<DemoSummary> {
        let mut summary = DemoSummary::default();
        let mut clock = Instant::now();
        let lap = |clock: &mut Instant| {
            let elapsed = clock.elapsed();
            *clock = Instant::now();
            elapsed
        };
        let tx = self.write()?;
        for p in catalogue.iter().filter(|p| p.components.is_empty()) {
            insert_product(&tx, p, start)?;
        }
        for p in catalogue.iter().filter(|p| !p.components.is_empty()) {
            insert_product(&tx, p, start)?;
        }
        summary.products = catalogue.len() as u64;
        // The couriers the sample orders use, with their usual other names and numbers
        // each allocated to the shop (so the Waybills tab can print at once). They come
        // before the orders, which refer to them.
        for (code, name, prefix, digits) in COURIERS {
            let courier: i64 = tx.query_row(
                "INSERT INTO couriers (code, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
                 RETURNING id",
                params![code, name, start],
                |row| row.get(0),
            )?;
            let mut alias = tx.prepare_cached(
                "INSERT INTO courier_aliases (alias, courier_id) VALUES (?1, ?2)",
            )?;
            for (_, aliases) in COURIER_ALIASES.iter().filter(|(c, _)| c == code) {
                for name in *aliases {
                    alias.execute(params![name, courier])?;
                }
            }
            let mut stmt = tx.prepare_cached(
                "INSERT INTO tracking_pool (number, courier_id, imported_at) VALUES (?1, ?2, ?3)",
            )?;
            for number in tracking_pool(prefix, *digits, DEMO_POOL) {
                stmt.execute(params![number, courier, start])?;
            }
        }
        let matcher = ProductMatcher::load(&tx)?;
        let mut items = Items::new(catalogue, &matcher);
        // Archived orders are written as archived, with their history: the triggers that
        // refuse new lines and events on an archived order are suspended while this
        // transaction writes them, and restored before it commits.
        // Customers are built once after the load rather than row by row.
        let first_new = next_order_id(&tx)?;
        let suspended = [
            &ARCHIVE_INSERT_TRIGGERS[..],
            &[super::manual::CUSTOMER_TRIGGER],
        ]
        .concat();
        with_triggers_suspended(&tx, &suspended, || {
            with_indexes_rebuilt(&tx, &SPARSE_IN_DEMO, || -> Result<()> {
                let mut main_id = 0i64;
                let mut next_id = next_order_id(&tx)?;
                // The orders are made on a thread of their own while this one writes.
                // Each chunk comes with its orders' search entries, also made there.
                let (send, chunks) =
                    std::sync::mpsc::sync_channel::<(Vec<DemoOrder>, Vec<String>)>(2);
                let mut search: Vec<(i64, String)> = Vec::new();
                std::thread::scope(|scope| -> Result<()> {
                    // Owned here, so that an early return closes the channel and the
                    // generator stops before the scope waits for it.
                    let chunks = chunks;
                    std::thread::Builder::new()
                        .name("shopdesk-demo-orders".to_owned())
                        .spawn_scoped(scope, move || {
                            let mut generator =
                                OrderGenerator::new(seed, order_count, now, catalogue);
                            loop {
                                let chunk: Vec<DemoOrder> =
                                    generator.by_ref().take(2000).map(with_history).collect();
                                let bodies = chunk.iter().map(|d| search_body(&d.order)).collect();
                                // An empty chunk ends the load; a closed channel means the
                                // writer stopped (an error or a cancel).
                                if chunk.is_empty() || send.send((chunk, bodies)).is_err() {
                                    break;
                                }
                            }
                        })
                        .map_err(|e| StoreError::Invalid(format!("cannot start the demo: {e}")))?;
                    for (chunk, bodies) in chunks.iter() {
                        let numbered: Vec<(i64, &NewOrder)> = chunk
                            .iter()
                            .enumerate()
                            .map(|(i, d)| (next_id + i as i64, &d.order))
                            .collect();
                        let archived: Vec<EventRow<'_>> = numbered
                            .iter()
                            .filter_map(|(id, o)| {
                                Some(EventRow {
                                    order_id: *id,
                                    at: o.archived_at.as_deref()?,
                                    event: LogKind::Event(crate::domain::Event::Archive),
                                    detail: "shipped → archived",
                                })
                            })
                            .collect();
                        write_order_rows(&tx, &numbered, None)?;
                        write_lines(&tx, &numbered, &matcher)?;
                        write_created_events(&tx, &numbered, OPERATOR, "demo", None)?;
                        write_events(&tx, &archived, OPERATOR)?;
                        search.extend((next_id..).zip(bodies));
                        // Search entries go in long runs (see `write_search`).
                        if search.len() >= SEARCH_RUN {
                            write_search_entries(&tx, search.drain(..))?;
                        }
                        for (id, o) in &numbered {
                            items.add(*id, o, &matcher);
                        }
                        for (i, demo) in chunk.iter().enumerate() {
                            let id = next_id + i as i64;
                            if demo.merge_into_previous && main_id != 0 {
                                merge_in(&tx, main_id, &[id], OPERATOR, &demo.order.ordered_at)?;
                                summary.merged += 1;
                            } else {
                                main_id = id;
                            }
                        }
                        next_id += chunk.len() as i64;
                        summary.orders += chunk.len() as u64;
                        if !progress(summary.orders) {
                            return Err(StoreError::Invalid(
                                "cancelled: nothing was written".to_owned(),
                            ));
                        }
                    }
                    write_search_entries(&tx, search.drain(..))
                })?;
                // The customers, while their indexes are dropped with the orders'.
                super::manual::customers_from(&tx, first_new)?;
                summary.timings.orders = lap(&mut clock);
                Ok(())
            })
        })?;
        summary.timings.indexes = lap(&mut clock);

        // Purchases: open ones are stock in transit; received quantities enter the ledger.
        for purchase in purchases(seed, now, catalogue) {
            let purchase_id: i64 = tx.query_row(
                "INSERT INTO purchases (supplier, expected_date, created_at) VALUES (?1, ?2, ?3)
                 RETURNING id",
                params![
                    purchase.supplier,
                    purchase.expected_date,
                    purchase.created_at
                ],
                |row| row.get(0),
            )?;
            for (code, ordered, received, cost) in &purchase.lines {
                let Some(product_id) = matcher.find(code) else {
                    continue;
                };
                tx.execute(
                    "INSERT INTO purchase_lines (purchase_id, product_id, quantity_ordered,
                         quantity_received, unit_cost_cents) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![purchase_id, product_id, ordered, received, cost],
                )?;
                if *received > 0 {
                    tx.execute(
                        "INSERT INTO stock_movements (product_id, quantity, reason, reference,
                             operator, created_at)
                         VALUES (?1, ?2, 'purchase_receipt', ?3, ?4, ?5)",
                        params![
                            product_id,
                            received,
                            format!("PO-{purchase_id}"),
                            OPERATOR,
                            purchase.created_at
                        ],
                    )?;
                }
            }
            summary.purchases += 1;
        }

        // Opening stock covers everything shipped or reserved, plus a margin that leaves
        // some products low (so the Inventory tab has something to highlight); then what
        // shipped left the shelves, one movement per single item and order, in time order.
        let movements = items.movements(start);
        write_movements(&tx, &movements, OPERATOR)?;
        summary.movements += movements.len() as u64;
        drop(movements);
        summary.timings.stock = lap(&mut clock);

        tx.execute(
            "INSERT INTO settings (key, value) VALUES ('shop_name', '小熊杂货铺 Little Bear Goods'),
                 ('sender_name', '小熊杂货铺'), ('sender_phone', '0571-8888 6666'),
                 ('sender_address', '浙江省 杭州市 余杭区 文一西路 998号 3号仓库')
             ON CONFLICT (key) DO NOTHING",
            [],
        )?;
        if !progress(summary.orders) {
            return Err(StoreError::Invalid(
                "cancelled: nothing was written".to_owned(),
            ));
        }
        tx.commit()?;
        summary.timings.commit = lap(&mut clock);
        Ok(summary)
    }
}

/// A generated order with its history on the order row (a pack check shipped it).
fn with_history(mut demo: DemoOrder) -> DemoOrder {
    let o = &mut demo.order;
    o.on_hold = demo.on_hold;
    o.reviewed_at = demo.reviewed_at.clone();
    o.printed_at = demo.printed_at.clone();
    o.inspected_at = demo.shipped_at.clone();
    o.shipped_at = demo.shipped_at.clone();
    o.archived_at = demo.archived_at.clone();
    demo
}

/// The single items the sample orders take from stock, gathered while they are written
/// (cheaper than reading a million orders back): what reserved and shipped orders hold
/// per product, and one sale per shipped order and single item.
struct Items {
    /// product id → its components (a single item is its own component).
    components: HashMap<i64, Vec<(i64, i64)>>,
    /// Indexed by product id: quantity held by approved, printed and shipped orders.
    held: Vec<i64>,
    /// (shipped at, order id, order number, product id, quantity)
    sales: Vec<(String, i64, String, i64, i64)>,
    singles: Vec<i64>,
}

impl Items {
    fn new(catalogue: &[NewProduct], matcher: &ProductMatcher) -> Items {
        let mut components = HashMap::new();
        let mut singles = Vec::new();
        for p in catalogue {
            let Some(id) = matcher.find(&p.code) else {
                continue;
            };
            if p.components.is_empty() {
                singles.push(id);
                components.insert(id, vec![(id, 1)]);
            } else {
                let parts = p
                    .components
                    .iter()
                    .filter_map(|(code, qty)| Some((matcher.find(code)?, *qty)))
                    .collect();
                components.insert(id, parts);
            }
        }
        singles.sort_unstable();
        let top = singles.last().copied().unwrap_or(0).max(0) as usize;
        Items {
            components,
            held: vec![0; top + 1],
            sales: Vec::new(),
            singles,
        }
    }

    /// Counts one written order. A merged order has its main order's state and moves its
    /// lines there, so counting it under its own id gives the same totals; only editable
    /// orders merge, and those never shipped.
    fn add(&mut self, id: i64, order: &NewOrder, matcher: &ProductMatcher) {
        let shipped = matches!(order.state, OrderState::Shipped | OrderState::Archived);
        let holds = shipped || matches!(order.state, OrderState::Approved | OrderState::Printed);
        if !holds {
            return;
        }
        let mut sold: Vec<(i64, i64)> = Vec::new();
        for line in &order.lines {
            let Some(parts) = matcher
                .find(&line.sku)
                .and_then(|p| self.components.get(&p))
            else {
                continue;
            };
            for (pid, per) in parts {
                let qty = line.quantity * per;
                if let Some(held) = self.held.get_mut(*pid as usize) {
                    *held += qty;
                }
                match sold.iter_mut().find(|(p, _)| p == pid) {
                    Some((_, q)) => *q += qty,
                    None => sold.push((*pid, qty)),
                }
            }
        }
        if let (true, Some(at)) = (shipped, &order.shipped_at) {
            for (pid, qty) in sold {
                self.sales
                    .push((at.clone(), id, order.order_no.clone(), pid, qty));
            }
        }
    }

    /// The opening balances, then the sales in time order.
    fn movements<'a>(&'a mut self, start: &'a str) -> Vec<MovementRow<'a>> {
        self.sales
            .sort_unstable_by(|a, b| (&a.0, a.1, a.3).cmp(&(&b.0, b.1, b.3)));
        let mut rows = Vec::with_capacity(self.singles.len() + self.sales.len());
        for &pid in &self.singles {
            let held = self.held.get(pid as usize).copied().unwrap_or(0);
            let quantity = held + (pid * 7919) % 40 + i64::from(pid % 9 != 0) * 25;
            if quantity > 0 {
                rows.push(MovementRow {
                    product_id: pid,
                    quantity,
                    reason: "opening",
                    reference: "demo",
                    at: start,
                });
            }
        }
        for (at, _, order_no, pid, qty) in &self.sales {
            rows.push(MovementRow {
                product_id: *pid,
                quantity: -qty,
                reason: "sale",
                reference: order_no,
                at,
            });
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::OrderState;
    use crate::store::OrderQuery;

    fn now() -> DateTime<FixedOffset> {
        match DateTime::parse_from_rfc3339("2026-11-22T18:00:00+08:00") {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn demo_fills_every_state_consistently() {
        let mut store = Store::open_in_memory().expect("store");
        let summary = store
            .load_demo(1500, 1, now(), &mut |_| true)
            .expect("demo");
        assert_eq!(summary.orders, 1500);
        assert!(summary.merged > 0);
        assert!(store.check().expect("check").is_empty());
        for state in OrderState::ALL {
            let n = store
                .count_orders(&OrderQuery {
                    state: Some(state),
                    ..OrderQuery::default()
                })
                .expect("count");
            assert!(n > 0, "no {state:?} order");
        }
        let couriers = store.couriers().expect("couriers");
        assert_eq!(couriers.len(), COURIERS.len(), "the sample couriers");
        assert!(
            couriers.iter().all(|c| !c.aliases.is_empty()),
            "{couriers:?}"
        );
        let unresolved: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM orders WHERE courier <> '' AND courier_id IS NULL",
                [],
                |row| row.get(0),
            )
            .expect("count");
        assert_eq!(
            unresolved, 0,
            "every sample order refers to its courier record"
        );
        let report = store.stock_report().expect("stock");
        assert!(report.iter().all(|r| r.on_hand >= 0), "no negative stock");
        assert!(report.iter().any(|r| r.in_transit > 0));
        assert!(
            report.iter().any(|r| r.theoretical < r.on_hand),
            "reservations show"
        );
        let Err(err) = store.load_demo(10, 1, now(), &mut |_| true) else {
            panic!("a second demo must be refused");
        };
        assert!(err.to_string().contains("only an empty database"), "{err}");
    }

    /// The ledger written from the generated orders equals what the orders in the
    /// database say: one sale per shipped order and single item, in time order, and
    /// opening stock covering every reserved or shipped item.
    #[test]
    fn demo_ledger_matches_the_orders() {
        let mut store = Store::open_in_memory().expect("store");
        store
            .load_demo(3000, 5, now(), &mut |_| true)
            .expect("demo");
        let rows = |sql: &str| -> Vec<(String, i64, i64)> {
            let mut stmt = store.conn.prepare(sql).expect("prepare");
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .expect("query")
                .collect::<rusqlite::Result<_>>()
                .expect("rows")
        };
        let items = "SELECT o.order_no AS no, o.state AS state,
                            COALESCE(b.component_id, l.product_id) AS pid,
                            l.quantity * COALESCE(b.quantity, 1) AS qty
                     FROM orders o JOIN order_lines l ON l.order_id = o.id
                     LEFT JOIN bundle_components b ON b.bundle_id = l.product_id
                     WHERE o.merged_into IS NULL AND l.product_id IS NOT NULL";
        let sales = rows(&format!(
            "SELECT no, pid, SUM(qty) FROM ({items}) WHERE state IN ('shipped', 'archived')
             GROUP BY no, pid ORDER BY no, pid"
        ));
        let ledger = rows(
            "SELECT reference, product_id, -quantity FROM stock_movements WHERE reason = 'sale'
             ORDER BY reference, product_id",
        );
        assert!(!sales.is_empty());
        assert_eq!(ledger, sales);
        let opening = rows(&format!(
            "SELECT 'opening', p.id, COALESCE(SUM(i.qty), 0) + (p.id * 7919) % 40
                    + (p.id % 9 <> 0) * 25
             FROM products p LEFT JOIN ({items}) i
                  ON i.pid = p.id AND i.state IN ('approved', 'printed', 'shipped', 'archived')
             WHERE p.is_bundle = 0 GROUP BY p.id ORDER BY p.id"
        ));
        let ledger = rows(
            "SELECT reason, product_id, quantity FROM stock_movements WHERE reason = 'opening'
             ORDER BY product_id",
        );
        assert_eq!(ledger, opening);
        let out_of_order: i64 = store
            .conn
            .query_row(
                "SELECT COUNT(*) FROM stock_movements a JOIN stock_movements b ON b.id = a.id + 1
                 WHERE a.reason = 'sale' AND b.reason = 'sale' AND b.created_at < a.created_at",
                [],
                |r| r.get(0),
            )
            .expect("order");
        assert_eq!(out_of_order, 0, "sales in time order");
        let archived_events: i64 = store
            .conn
            .query_row(
                "SELECT COUNT(*) FROM orders o WHERE o.state = 'archived' AND NOT EXISTS
                 (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.event = 'archive')",
                [],
                |r| r.get(0),
            )
            .expect("events");
        assert_eq!(
            archived_events, 0,
            "every archived order logs its archiving"
        );
    }

    /// Every seed's merges obey the merge rules (a refused merge fails the whole demo).
    #[test]
    fn demo_merges_are_valid_for_many_seeds() {
        let mut merged = 0;
        for seed in 2..8 {
            let mut store = Store::open_in_memory().expect("store");
            let summary = store
                .load_demo(1200, seed, now(), &mut |_| true)
                .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
            merged += summary.merged;
        }
        assert!(merged > 3, "{merged}");
    }

    #[test]
    fn cancelled_demo_writes_nothing() {
        let mut store = Store::open_in_memory().expect("store");
        let result = store.load_demo(5000, 1, now(), &mut |n| n < 4096);
        assert!(result.is_err());
        assert_eq!(store.counts().expect("counts"), (0, 0));
    }
}
