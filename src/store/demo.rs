//! Writes the sample shop of `domain::demo` (the `demo` command and the first-run button).

use chrono::{DateTime, Duration, FixedOffset};
use rusqlite::params;

use super::bulk::{next_order_id, with_indexes_rebuilt, write_orders};
use super::orders::{ProductMatcher, merge_in};
use super::products::insert_product;
use super::{Result, Store, StoreError};
use crate::domain::OrderState;
use crate::domain::demo::{DemoOrder, OrderGenerator, products, purchases};

/// What the demo wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub products: u64,
    pub orders: u64,
    pub merged: u64,
    pub movements: u64,
    pub purchases: u64,
}

const OPERATOR: &str = "demo";

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
        // The file is empty: write it through a rollback journal, which writes each page
        // once, instead of WAL, which writes it to the log and again at the checkpoint.
        // Another open connection keeps WAL on; then this is just slower.
        let _ = self
            .conn
            .query_row("PRAGMA journal_mode = DELETE", [], |row| {
                row.get::<_, String>(0)
            });
        let result = self.write_demo(order_count, seed, now, progress, &catalogue, &start);
        let _ = self.conn.query_row("PRAGMA journal_mode = WAL", [], |row| {
            row.get::<_, String>(0)
        });
        let summary = result?;
        // Statistics for the planner, sampled so it stays quick on a million orders.
        self.conn
            .execute_batch("PRAGMA analysis_limit = 1000; ANALYZE;")?;
        Ok(summary)
    }

    /// The demo's one write transaction.
    fn write_demo(
        &mut self,
        order_count: u64,
        seed: u64,
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(u64) -> bool,
        catalogue: &[crate::domain::model::NewProduct],
        start: &str,
    ) -> Result<DemoSummary> {
        let mut summary = DemoSummary::default();
        let tx = self.write()?;
        for p in catalogue.iter().filter(|p| p.components.is_empty()) {
            insert_product(&tx, p, start)?;
        }
        for p in catalogue.iter().filter(|p| !p.components.is_empty()) {
            insert_product(&tx, p, start)?;
        }
        summary.products = catalogue.len() as u64;
        let matcher = ProductMatcher::load(&tx)?;

        with_indexes_rebuilt(&tx, || -> Result<()> {
            let mut main_id = 0i64;
            let mut next_id = next_order_id(&tx)?;
            let mut generator = OrderGenerator::new(seed, order_count, now, catalogue);
            loop {
                let mut chunk: Vec<DemoOrder> = generator.by_ref().take(2000).collect();
                if chunk.is_empty() {
                    break;
                }
                // Archived orders are immutable: written as shipped, archived at the end.
                for demo in &mut chunk {
                    if demo.order.state == OrderState::Archived {
                        demo.order.state = OrderState::Shipped;
                    }
                    // Its history goes in with the order (a pack check shipped it).
                    let o = &mut demo.order;
                    o.on_hold = demo.on_hold;
                    o.reviewed_at = demo.reviewed_at.clone();
                    o.printed_at = demo.printed_at.clone();
                    o.inspected_at = demo.shipped_at.clone();
                    o.shipped_at = demo.shipped_at.clone();
                    o.archived_at = demo.archived_at.clone();
                }
                let numbered: Vec<(i64, &crate::domain::model::NewOrder)> = chunk
                    .iter()
                    .enumerate()
                    .map(|(i, d)| (next_id + i as i64, &d.order))
                    .collect();
                write_orders(&tx, &numbered, &matcher, OPERATOR, "demo", None)?;
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

            Ok(())
        })?;

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
        // some products low (so the Inventory tab has something to highlight).
        summary.movements += tx.execute(
            "WITH items AS (
                 SELECT COALESCE(b.component_id, l.product_id) AS pid,
                        l.quantity * COALESCE(b.quantity, 1) AS qty
                 FROM orders o JOIN order_lines l ON l.order_id = o.id
                 LEFT JOIN bundle_components b ON b.bundle_id = l.product_id
                 WHERE o.state IN ('approved', 'printed', 'shipped') AND o.merged_into IS NULL
                   AND l.product_id IS NOT NULL)
             INSERT INTO stock_movements (product_id, quantity, reason, reference, operator, created_at)
             SELECT p.id, COALESCE(SUM(i.qty), 0) + (p.id * 7919) % 40 + (p.id % 9 <> 0) * 25,
                    'opening', 'demo', ?1, ?2
             FROM products p LEFT JOIN items i ON i.pid = p.id
             WHERE p.is_bundle = 0
             GROUP BY p.id
             HAVING COALESCE(SUM(i.qty), 0) + (p.id * 7919) % 40 + (p.id % 9 <> 0) * 25 > 0",
            params![OPERATOR, start],
        )? as u64;
        // What shipped left the shelves, one movement per single item and order.
        summary.movements += tx.execute(
            "INSERT INTO stock_movements (product_id, quantity, reason, reference, operator, created_at)
             SELECT COALESCE(b.component_id, l.product_id),
                    -SUM(l.quantity * COALESCE(b.quantity, 1)), 'sale', o.order_no, ?1, o.shipped_at
             FROM orders o JOIN order_lines l ON l.order_id = o.id
             LEFT JOIN bundle_components b ON b.bundle_id = l.product_id
             WHERE o.state = 'shipped' AND o.merged_into IS NULL AND l.product_id IS NOT NULL
             GROUP BY o.id, 1
             ORDER BY o.shipped_at, o.id",
            params![OPERATOR],
        )? as u64;
        // Now archive what the sample archived; from here on those orders are immutable.
        tx.execute(
            "INSERT INTO order_events (order_id, at, operator, event, detail)
             SELECT id, archived_at, ?1, 'archive', 'shipped → archived' FROM orders
             WHERE archived_at IS NOT NULL AND merged_into IS NULL",
            params![OPERATOR],
        )?;
        tx.execute(
            "UPDATE orders SET state = 'archived' WHERE archived_at IS NOT NULL",
            [],
        )?;
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
        Ok(summary)
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
