//! Products, bundles, the stock ledger and the stock figures.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError, now_text};
use crate::domain::model::NewProduct;
use crate::domain::stock::{MovementReason, bundle_figures, explode, movement_allowed};
use crate::domain::{OrderState, SellableSettings, StockFigures};

/// One product's line in the stock report (`shopdesk stock`, the Inventory tab).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StockRow {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub on_hand: i64,
    pub theoretical: i64,
    pub sellable: i64,
    pub in_transit: i64,
    /// Returned goods kept apart as damaged (not sellable, not on hand) until a decision
    /// (repair, write off, back to the supplier).
    pub damaged: i64,
    pub bin: String,
    /// Expected date of the earliest open purchase, if any.
    pub in_transit_expected: Option<String>,
    pub is_bundle: bool,
    pub active: bool,
    pub reorder_point: i64,
    #[serde(skip)]
    pub supplier_item_no: String,
    #[serde(skip)]
    pub cost_cents: i64,
    /// Needed by approved, unshipped orders (on hand − theoretical).
    #[serde(skip)]
    pub reserved: i64,
    /// Needed by unreviewed orders the sellable settings deduct (theoretical − sellable).
    #[serde(skip)]
    pub unreviewed_demand: i64,
}

impl StockRow {
    /// Whether the row is highlighted as low stock (see the domain's rule).
    pub fn is_low(&self) -> bool {
        crate::domain::inventory::is_low_stock(
            self.sellable,
            self.reorder_point,
            self.is_bundle,
            self.active,
        )
    }
}

pub(super) fn insert_product(tx: &Transaction<'_>, p: &NewProduct, now: &str) -> Result<i64> {
    let code = p.code.trim();
    if code.is_empty() {
        return Err(StoreError::Invalid("a product needs a code".to_owned()));
    }
    let attributes = serde_json::to_string(&p.attributes)
        .map_err(|e| StoreError::Invalid(format!("product {code}: attributes: {e}")))?;
    // Cached statements: an import of many products prepares each once.
    let id: i64 = tx
        .prepare_cached(
            "INSERT INTO products (code, name, supplier_item_no, attributes, bin, price_cents,
                               cost_cents, weight_grams, reorder_point, is_bundle, created_at,
                               updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
         ON CONFLICT (code) DO UPDATE SET
            name = excluded.name, supplier_item_no = excluded.supplier_item_no,
            attributes = excluded.attributes, bin = excluded.bin,
            price_cents = excluded.price_cents, cost_cents = excluded.cost_cents,
            weight_grams = excluded.weight_grams, reorder_point = excluded.reorder_point,
            is_bundle = excluded.is_bundle, updated_at = excluded.updated_at
         RETURNING id",
        )?
        .query_row(
            params![
                code,
                p.name.trim(),
                p.supplier_item_no.trim(),
                attributes,
                p.bin.trim(),
                p.price_cents,
                p.cost_cents,
                p.weight_grams,
                p.reorder_point,
                !p.components.is_empty(),
                now
            ],
            |row| row.get(0),
        )?;
    for barcode in &p.barcodes {
        let barcode = barcode.trim();
        if barcode.is_empty() {
            continue;
        }
        let owner: Option<i64> = tx
            .prepare_cached("SELECT product_id FROM product_barcodes WHERE barcode = ?1")?
            .query_row([barcode], |row| row.get(0))
            .optional()?;
        match owner {
            Some(owner) if owner != id => {
                return Err(StoreError::Invalid(format!(
                    "barcode {barcode} of product {code} already belongs to another product"
                )));
            }
            Some(_) => {}
            None => {
                tx.prepare_cached(
                    "INSERT INTO product_barcodes (barcode, product_id) VALUES (?1, ?2)",
                )?
                .execute(params![barcode, id])?;
            }
        }
    }
    tx.prepare_cached("DELETE FROM bundle_components WHERE bundle_id = ?1")?
        .execute([id])?;
    for (component, quantity) in &p.components {
        let component_id: i64 = tx
            .query_row(
                "SELECT id FROM products WHERE code = ?1 AND is_bundle = 0",
                [component.trim()],
                |row| row.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "bundle {code}: component {component} is not a single product"
                ))
            })?;
        tx.execute(
            "INSERT INTO bundle_components (bundle_id, component_id, quantity) VALUES (?1, ?2, ?3)",
            params![id, component_id, quantity],
        )?;
    }
    Ok(id)
}

/// Writes one movement after checking the negative-stock rule.
pub(super) fn post_movement(
    tx: &Transaction<'_>,
    product_id: i64,
    quantity: i64,
    reason: MovementReason,
    reference: &str,
    operator: &str,
    allow_negative: bool,
) -> Result<()> {
    post_movement_noted(
        tx,
        product_id,
        quantity,
        (reason, reference, ""),
        operator,
        allow_negative,
    )
    .map(|_| ())
}

/// [`post_movement`] with a note; returns on hand after the movement.
pub(super) fn post_movement_noted(
    tx: &Transaction<'_>,
    product_id: i64,
    quantity: i64,
    (reason, reference, note): (MovementReason, &str, &str),
    operator: &str,
    allow_negative: bool,
) -> Result<i64> {
    if quantity == 0 {
        return Ok(tx.query_row(
            "SELECT on_hand FROM products WHERE id = ?1",
            [product_id],
            |row| row.get(0),
        )?);
    }
    let (code, on_hand): (String, i64) = tx.query_row(
        "SELECT code, on_hand FROM products WHERE id = ?1",
        [product_id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    if !movement_allowed(on_hand, quantity, allow_negative) {
        return Err(StoreError::Invalid(format!(
            "{code}: only {on_hand} on hand, cannot take {}; negative stock is not allowed \
             (Settings can allow it)",
            -quantity
        )));
    }
    tx.prepare_cached(
        "INSERT INTO stock_movements (product_id, quantity, reason, reference, note, operator,
                                      created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        product_id,
        quantity,
        reason.code(),
        reference,
        note,
        operator,
        now_text()
    ])?;
    Ok(on_hand + quantity)
}

/// Sold lines `(product id, quantity)` resolved to single items: a bundle becomes its
/// components (the domain's `explode`, with the components read from the database).
pub(super) fn explode_lines(conn: &Connection, lines: &[(i64, i64)]) -> Result<Vec<(i64, i64)>> {
    let mut components: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT component_id, quantity FROM bundle_components WHERE bundle_id = ?1",
    )?;
    for (product, _) in lines {
        let list = stmt
            .query_map([product], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<Vec<(i64, i64)>>>()?;
        components.insert(*product, list);
    }
    Ok(explode(lines, |p| {
        components.get(&p).cloned().unwrap_or_default()
    }))
}

/// Products whose maintained balance differs from the sum of their ledger.
pub(super) fn ledger_mismatches(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT p.code, p.on_hand, COALESCE(m.total, 0)
         FROM products p
         LEFT JOIN (SELECT product_id, SUM(quantity) AS total FROM stock_movements
                    GROUP BY product_id) m ON m.product_id = p.id
         WHERE p.on_hand <> COALESCE(m.total, 0)
         ORDER BY p.code",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(format!(
            "stock ledger: product {} has on hand {} but its movements add up to {}",
            row.get::<_, String>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, i64>(2)?
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The raw figures of every single product, keyed by product id.
pub(super) fn single_figures(
    conn: &Connection,
    sellable: &SellableSettings,
) -> Result<HashMap<i64, StockFigures>> {
    let mut figures = demand_figures(conn, sellable)?;
    let mut stmt = conn.prepare_cached("SELECT id, on_hand FROM products WHERE is_bundle = 0")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        figures.entry(row.get(0)?).or_default().on_hand = row.get(1)?;
    }
    Ok(figures)
}

/// What open orders need (bundles exploded) and open purchases bring, keyed by single
/// product id; on hand is left at zero.
pub(super) fn demand_figures(
    conn: &Connection,
    sellable: &SellableSettings,
) -> Result<HashMap<i64, StockFigures>> {
    let mut figures: HashMap<i64, StockFigures> = HashMap::new();
    // What open orders need, bundles exploded, grouped so the sellable rule can be applied
    // in Rust (it lives in the domain).
    let open = super::order_query::state_in(
        "o",
        &[
            OrderState::PendingReview,
            OrderState::Approved,
            OrderState::Printed,
        ],
    );
    let mut stmt = conn.prepare_cached(&format!(
        "WITH demand AS (
             SELECT l.product_id AS pid, l.quantity AS qty, o.state AS state,
                    o.payment_status IN ('paid', 'partly_refunded') AS paid,
                    CAST(julianday('now') - julianday(o.ordered_at) AS INTEGER) AS age_days
             FROM orders o JOIN order_lines l ON l.order_id = o.id
             WHERE {open} AND o.merged_into IS NULL AND l.product_id IS NOT NULL)
         SELECT COALESCE(b.component_id, d.pid), d.state = 'pending_review', d.paid, d.age_days,
                SUM(d.qty * COALESCE(b.quantity, 1))
         FROM demand d LEFT JOIN bundle_components b ON b.bundle_id = d.pid
         GROUP BY 1, 2, 3, 4"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let pid: i64 = row.get(0)?;
        let unreviewed: bool = row.get(1)?;
        let paid: bool = row.get(2)?;
        let age_days: i64 = row.get(3)?;
        let quantity: i64 = row.get(4)?;
        let entry = figures.entry(pid).or_default();
        if !unreviewed {
            entry.reserved += quantity;
        } else if sellable.deducts(paid, age_days) {
            entry.unreviewed_demand += quantity;
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT l.product_id, SUM(l.quantity_ordered - l.quantity_received)
         FROM purchase_lines l JOIN purchases p ON p.id = l.purchase_id
         WHERE p.status = 'open' GROUP BY l.product_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        figures.entry(row.get(0)?).or_default().in_transit = row.get(1)?;
    }
    Ok(figures)
}

impl Store {
    /// Creates or updates products by code, all in one transaction.
    pub fn upsert_products(&mut self, products: &[NewProduct]) -> Result<usize> {
        let now = now_text();
        let tx = self.write()?;
        // Singles first, so bundles can name them.
        for p in products.iter().filter(|p| p.components.is_empty()) {
            insert_product(&tx, p, &now)?;
        }
        for p in products.iter().filter(|p| !p.components.is_empty()) {
            insert_product(&tx, p, &now)?;
        }
        tx.commit()?;
        Ok(products.len())
    }

    /// Every product with its figures, sorted by code.
    pub fn stock_report(&self) -> Result<Vec<StockRow>> {
        self.stock_rows("", true)
    }

    /// Products with their figures, sorted by code: those whose code, name or supplier item
    /// number contains `search` (any case) or that carry it as a barcode; inactive ones
    /// only with `include_inactive`.
    pub fn stock_rows(&self, search: &str, include_inactive: bool) -> Result<Vec<StockRow>> {
        Ok(self
            .stock_page(search, include_inactive, false, 0, usize::MAX)?
            .1)
    }

    /// [`Store::stock_rows`] for a page: how many match (low stock only with `low_only`),
    /// and the rows `offset .. offset + limit` of them. Figures come from the products'
    /// balances, the demand of open orders and open purchases; only the page's rows are
    /// built.
    pub(super) fn stock_page(
        &self,
        search: &str,
        include_inactive: bool,
        low_only: bool,
        offset: usize,
        limit: usize,
    ) -> Result<(usize, Vec<StockRow>)> {
        let settings = self.settings()?;
        // Demand and in transit: small sets (open orders, open purchases).
        let mut figures: HashMap<i64, StockFigures> =
            demand_figures(&self.conn, &settings.sellable)?;
        // Single items that are part of a bundle: their balances, for the bundles' figures.
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, on_hand FROM products
             WHERE id IN (SELECT component_id FROM bundle_components)",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            figures.entry(row.get(0)?).or_default().on_hand = row.get(1)?;
        }
        let mut components: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT bundle_id, component_id, quantity FROM bundle_components")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            components
                .entry(row.get(0)?)
                .or_default()
                .push((row.get(1)?, row.get(2)?));
        }
        let mut expected: HashMap<i64, String> = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.product_id, MIN(p.expected_date)
             FROM purchase_lines l JOIN purchases p ON p.id = l.purchase_id
             WHERE p.status = 'open' AND l.quantity_received < l.quantity_ordered
               AND p.expected_date IS NOT NULL
             GROUP BY l.product_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            expected.insert(row.get(0)?, row.get(1)?);
        }
        let search = search.trim();
        let pattern = format!(
            "%{}%",
            search
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, is_bundle, active, reorder_point, on_hand, code, name, bin,
                    supplier_item_no, cost_cents, damaged
             FROM products
             WHERE (?3 OR active = 1)
               AND (?1 = '' OR code LIKE ?2 ESCAPE '\\' OR name LIKE ?2 ESCAPE '\\'
                    OR supplier_item_no LIKE ?2 ESCAPE '\\'
                    OR id IN (SELECT product_id FROM product_barcodes WHERE barcode = ?1))
             ORDER BY code",
        )?;
        let mut rows = stmt.query(params![search, pattern, include_inactive])?;
        let mut out = Vec::new();
        let mut matched = 0usize;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let is_bundle: bool = row.get(1)?;
            let active: bool = row.get(2)?;
            let reorder_point: i64 = row.get(3)?;
            let f = if is_bundle {
                let parts: Vec<(StockFigures, i64)> = components
                    .get(&id)
                    .map(|list| {
                        list.iter()
                            .map(|(cid, qty)| (figures.get(cid).copied().unwrap_or_default(), *qty))
                            .collect()
                    })
                    .unwrap_or_default();
                // A bundle's own reservations are already counted on its components.
                bundle_figures(&parts)
            } else {
                StockFigures {
                    on_hand: row.get(4)?,
                    ..figures.get(&id).copied().unwrap_or_default()
                }
            };
            if low_only
                && !crate::domain::inventory::is_low_stock(
                    f.sellable(),
                    reorder_point,
                    is_bundle,
                    active,
                )
            {
                continue;
            }
            matched += 1;
            if matched <= offset || out.len() >= limit {
                continue;
            }
            out.push(StockRow {
                id,
                code: row.get(5)?,
                name: row.get(6)?,
                on_hand: f.on_hand,
                theoretical: f.theoretical(),
                sellable: f.sellable(),
                in_transit: f.in_transit,
                damaged: row.get(10)?,
                bin: row.get(7)?,
                in_transit_expected: if is_bundle {
                    None
                } else {
                    expected.get(&id).cloned()
                },
                is_bundle,
                active,
                reorder_point,
                supplier_item_no: row.get(8)?,
                cost_cents: row.get(9)?,
                reserved: f.reserved,
                unreviewed_demand: f.unreviewed_demand,
            });
        }
        Ok((matched, out))
    }

    /// A manual stock adjustment of one product, with a reason.
    pub fn adjust_stock(
        &mut self,
        product_code: &str,
        quantity: i64,
        note: &str,
        operator: &str,
    ) -> Result<()> {
        let settings = self.settings()?;
        let tx = self.write()?;
        let id: i64 = tx
            .query_row(
                "SELECT id FROM products WHERE code = ?1 AND is_bundle = 0",
                [product_code],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::NotFound(format!("no single product with code {product_code}"))
            })?;
        post_movement(
            &tx,
            id,
            quantity,
            MovementReason::Adjustment,
            note,
            operator,
            settings.allow_negative_stock,
        )?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(code: &str, components: &[(&str, i64)]) -> NewProduct {
        NewProduct {
            code: code.to_owned(),
            name: format!("product {code}"),
            barcodes: vec![format!("69{code}")],
            components: components
                .iter()
                .map(|(c, q)| ((*c).to_owned(), *q))
                .collect(),
            ..NewProduct::default()
        }
    }

    #[test]
    fn ledger_is_append_only_and_balances() {
        let mut store = Store::open_in_memory().expect("store");
        store
            .upsert_products(&[product("A", &[]), product("SET", &[("A", 2)])])
            .expect("products");
        store
            .adjust_stock("A", 10, "found", "owner")
            .expect("adjust");
        store
            .adjust_stock("A", -3, "damaged", "owner")
            .expect("adjust");
        let Err(err) = store.adjust_stock("A", -8, "lost", "owner") else {
            panic!("negative stock must be refused");
        };
        assert!(err.to_string().contains("only 7 on hand"), "{err}");
        let a = store.stock_rows("A", false).expect("rows")[0].id;
        let ledger = store.ledger_page(a, 0, 10).expect("ledger");
        assert_eq!(
            ledger
                .rows
                .iter()
                .map(|m| m.on_hand_after)
                .collect::<Vec<_>>(),
            vec![7, 10],
            "newest first"
        );
        let report = store.stock_report().expect("report");
        let set = report.iter().find(|r| r.code == "SET").expect("bundle row");
        assert_eq!(set.on_hand, 3);
        assert!(store.check().expect("check").is_empty());
        let tampered = store
            .conn
            .execute("UPDATE stock_movements SET quantity = 99", []);
        assert!(tampered.is_err(), "the ledger must refuse updates");
        let tampered = store.conn.execute("DELETE FROM stock_movements", []);
        assert!(tampered.is_err(), "the ledger must refuse deletes");
    }

    #[test]
    fn check_finds_a_drifted_balance() {
        let mut store = Store::open_in_memory().expect("store");
        store
            .upsert_products(&[product("A", &[])])
            .expect("products");
        store
            .adjust_stock("A", 5, "found", "owner")
            .expect("adjust");
        store
            .conn
            .execute("UPDATE products SET on_hand = 6 WHERE code = 'A'", [])
            .expect("tamper");
        let problems = store.check().expect("check");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("product A has on hand 6 but its movements add up to 5"));
    }

    #[test]
    fn a_barcode_belongs_to_one_product() {
        let mut store = Store::open_in_memory().expect("store");
        let mut b = product("B", &[]);
        b.barcodes = vec!["69A".to_owned()];
        let Err(err) = store.upsert_products(&[product("A", &[]), b]) else {
            panic!("duplicate barcode must be refused");
        };
        assert!(err.to_string().contains("barcode 69A"), "{err}");
        assert_eq!(
            store.counts().expect("counts"),
            (0, 0),
            "nothing half-written"
        );
    }
}
