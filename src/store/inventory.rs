//! Inventory actions: product pages and editing, the ledger page by page,
//! purchases received in part or in full, stock counts (盘点), adjustments with a reason,
//! and the product import/export. One public function per user action, each one
//! `BEGIN IMMEDIATE` transaction.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::products::{StockRow, insert_product, post_movement_noted};
use super::{Result, Store, StoreError, coded, now_text};
use crate::domain::inventory::{
    AdjustReason, CountDifference, CountEntry, CountStatus, PurchaseStatus, count_difference,
    in_bin_range, natural_cmp, receive_quantity,
};
use crate::domain::model::NewProduct;
use crate::domain::stock::MovementReason;

/// What the product table asks for: a search, filters and a page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductFilter {
    /// Code, name or supplier item number containing it (any case), or an exact barcode.
    pub search: String,
    pub low_stock_only: bool,
    pub include_inactive: bool,
    pub offset: u32,
    /// Rows in the page; 0 means all.
    pub limit: u32,
}

/// A page of the product table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductPage {
    /// How many products match the filter.
    pub total: u64,
    pub offset: u32,
    pub rows: Vec<StockRow>,
}

/// Everything the product dialog edits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductDetail {
    pub id: i64,
    pub product: NewProduct,
    pub active: bool,
    pub on_hand: i64,
}

/// One movement of the ledger with on hand after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerRow {
    pub id: i64,
    pub quantity: i64,
    pub reason: String,
    pub reference: String,
    pub note: String,
    pub operator: String,
    pub created_at: String,
    pub on_hand_after: i64,
}

/// A page of one product's ledger, newest movement first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LedgerPage {
    pub product_id: i64,
    pub code: String,
    pub name: String,
    pub on_hand: i64,
    /// Movements of the product in all.
    pub total: u64,
    pub offset: u32,
    pub rows: Vec<LedgerRow>,
}

/// One line of a new purchase order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewPurchaseLine {
    pub code: String,
    pub quantity: i64,
    pub unit_cost_cents: i64,
}

/// A purchase order to a supplier.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewPurchase {
    pub supplier: String,
    /// `YYYY-MM-DD`, when the goods are expected.
    pub expected_date: Option<String>,
    pub note: String,
    pub lines: Vec<NewPurchaseLine>,
}

/// A purchase in the list.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PurchaseRow {
    pub id: i64,
    pub supplier: String,
    pub status: PurchaseStatus,
    pub expected_date: Option<String>,
    pub note: String,
    pub created_at: String,
    pub ordered: i64,
    pub received: i64,
    pub lines: Vec<PurchaseLineRow>,
}

/// One line of a purchase.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PurchaseLineRow {
    #[serde(skip)]
    pub product_id: i64,
    pub code: String,
    pub name: String,
    pub ordered: i64,
    pub received: i64,
    pub unit_cost_cents: i64,
}

/// What a receipt did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Receipt {
    pub units: i64,
    pub lines: usize,
    /// Every line is now received in full: the purchase is closed.
    pub complete: bool,
}

/// A stock count in the list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CountRow {
    pub id: i64,
    pub status: CountStatus,
    pub bin_from: String,
    pub bin_to: String,
    pub created_at: String,
    pub posted_at: Option<String>,
    pub lines: i64,
    pub counted: i64,
}

/// One product of a count, with its difference against on hand now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountLineRow {
    pub product_id: i64,
    pub code: String,
    pub name: String,
    pub bin: String,
    /// On hand when the count started.
    pub expected: i64,
    /// On hand now (a posted count: the difference posted).
    pub on_hand: i64,
    pub counted: Option<i64>,
    pub unit_cost_cents: i64,
    pub difference: Option<CountDifference>,
}

/// A count with its lines in bin order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CountDetail {
    pub row: CountRow,
    pub lines: Vec<CountLineRow>,
    /// Sum of the differences' values, in cents.
    pub value_cents: i64,
    /// Sum of the differences, in units.
    pub units: i64,
}

/// What posting a count did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CountPosted {
    /// Movements written (lines whose count differed from on hand).
    pub adjusted: usize,
    pub units: i64,
    pub value_cents: i64,
    /// Products left below zero (only when negative stock is allowed).
    pub negative: Vec<String>,
}

/// What a product import did (or would do, in a preview).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductImportSummary {
    pub created: usize,
    pub updated: usize,
    /// Rows that named a product as it already was: nothing written for them.
    pub unchanged: usize,
}

/// A product as exported to CSV.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductExportRow {
    pub product: NewProduct,
    pub active: bool,
    pub on_hand: i64,
}

/// A product id by its code or one of its barcodes.
fn find_product(conn: &Connection, code_or_barcode: &str) -> Result<Option<(i64, String)>> {
    let key = code_or_barcode.trim();
    Ok(conn
        .prepare_cached(
            "SELECT id, code FROM products WHERE code = ?1
             UNION ALL
             SELECT p.id, p.code FROM product_barcodes b JOIN products p ON p.id = b.product_id
             WHERE b.barcode = ?1
             LIMIT 1",
        )?
        .query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}

fn single_by_code(tx: &Transaction<'_>, code: &str) -> Result<i64> {
    tx.query_row(
        "SELECT id FROM products WHERE code = ?1 AND is_bundle = 0",
        [code.trim()],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no single product with code {}", code.trim())))
}

fn purchase_lines(conn: &Connection, purchase_id: i64) -> Result<Vec<PurchaseLineRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.product_id, p.code, p.name, l.quantity_ordered, l.quantity_received,
                l.unit_cost_cents
         FROM purchase_lines l JOIN products p ON p.id = l.product_id
         WHERE l.purchase_id = ?1 ORDER BY l.id",
    )?;
    let rows = stmt.query_map([purchase_id], |row| {
        Ok(PurchaseLineRow {
            product_id: row.get(0)?,
            code: row.get(1)?,
            name: row.get(2)?,
            ordered: row.get(3)?,
            received: row.get(4)?,
            unit_cost_cents: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn purchase_row(conn: &Connection, id: i64) -> Result<PurchaseRow> {
    let mut row = conn
        .query_row(
            "SELECT id, supplier, status, expected_date, note, created_at FROM purchases
             WHERE id = ?1",
            [id],
            |row| {
                Ok(PurchaseRow {
                    id: row.get(0)?,
                    supplier: row.get(1)?,
                    status: coded(row, 2, PurchaseStatus::from_code)?,
                    expected_date: row.get(3)?,
                    note: row.get(4)?,
                    created_at: row.get(5)?,
                    ..PurchaseRow::default()
                })
            },
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no purchase {id}")))?;
    row.lines = purchase_lines(conn, id)?;
    row.ordered = row.lines.iter().map(|l| l.ordered).sum();
    row.received = row.lines.iter().map(|l| l.received).sum();
    Ok(row)
}

fn check_date(date: &str) -> Result<()> {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| StoreError::Invalid(format!("expected date {date}: write it as YYYY-MM-DD")))
}

/// The reference a purchase's movements carry.
pub fn purchase_reference(id: i64) -> String {
    format!("PO-{id}")
}

/// The reference a count's movements carry.
pub fn count_reference(id: i64) -> String {
    format!("COUNT-{id}")
}

impl Store {
    /// A page of the product table with the figures of each product.
    pub fn product_page(&self, filter: &ProductFilter) -> Result<ProductPage> {
        let limit = if filter.limit == 0 {
            usize::MAX
        } else {
            filter.limit as usize
        };
        let (total, rows) = self.stock_page(
            &filter.search,
            filter.include_inactive,
            filter.low_stock_only,
            filter.offset as usize,
            limit,
        )?;
        Ok(ProductPage {
            total: total as u64,
            offset: filter.offset,
            rows,
        })
    }

    /// A product with its barcodes and bundle components, for the edit dialog.
    pub fn product_detail(&self, id: i64) -> Result<ProductDetail> {
        let (mut detail, attributes): (ProductDetail, String) = self
            .conn
            .query_row(
                "SELECT id, code, name, supplier_item_no, attributes, bin, price_cents,
                        cost_cents, weight_grams, reorder_point, active, on_hand
                 FROM products WHERE id = ?1",
                [id],
                |row| {
                    Ok((
                        ProductDetail {
                            id: row.get(0)?,
                            product: NewProduct {
                                code: row.get(1)?,
                                name: row.get(2)?,
                                supplier_item_no: row.get(3)?,
                                bin: row.get(5)?,
                                price_cents: row.get(6)?,
                                cost_cents: row.get(7)?,
                                weight_grams: row.get(8)?,
                                reorder_point: row.get(9)?,
                                ..NewProduct::default()
                            },
                            active: row.get(10)?,
                            on_hand: row.get(11)?,
                        },
                        row.get(4)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no product {id}")))?;
        detail.product.attributes = serde_json::from_str(&attributes).unwrap_or_default();
        let mut stmt = self.conn.prepare_cached(
            "SELECT barcode FROM product_barcodes WHERE product_id = ?1 ORDER BY barcode",
        )?;
        detail.product.barcodes = stmt
            .query_map([id], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.code, b.quantity FROM bundle_components b
             JOIN products p ON p.id = b.component_id
             WHERE b.bundle_id = ?1 ORDER BY p.code",
        )?;
        detail.product.components = stmt
            .query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(detail)
    }

    /// Creates a product (`existing` = None) or saves the edit of one: its barcodes and
    /// components become exactly the ones given. The code of an existing product stays.
    pub fn save_product(
        &mut self,
        product: &NewProduct,
        existing: Option<i64>,
        operator: &str,
    ) -> Result<i64> {
        let now = now_text();
        let tx = self.write()?;
        let before = match existing {
            Some(id) => product_snapshot(&tx, id)?,
            None => String::new(),
        };
        let code = product.code.trim();
        let id = match existing {
            Some(id) => {
                let current: String = tx
                    .query_row("SELECT code FROM products WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })
                    .optional()?
                    .ok_or_else(|| StoreError::NotFound(format!("no product {id}")))?;
                if current != code {
                    return Err(StoreError::Invalid(format!(
                        "the code of product {current} cannot change"
                    )));
                }
                id
            }
            None => {
                let taken: Option<i64> = tx
                    .query_row("SELECT id FROM products WHERE code = ?1", [code], |r| {
                        r.get(0)
                    })
                    .optional()?;
                if taken.is_some() {
                    return Err(StoreError::Invalid(format!(
                        "a product with code {code} exists already"
                    )));
                }
                0
            }
        };
        let id = save_one(&tx, product, &now, id)?;
        let after = product_snapshot(&tx, id)?;
        if after != before {
            super::audit::record(&tx, operator, "product.save", code, &before, &after)?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Deactivates (or reactivates) products. An inactive product keeps its history and
    /// is hidden from the table unless asked for.
    pub fn set_products_active(
        &mut self,
        ids: &[i64],
        active: bool,
        operator: &str,
    ) -> Result<usize> {
        let now = now_text();
        let tx = self.write()?;
        let mut changed = 0;
        {
            let mut stmt = tx.prepare(
                "UPDATE products SET active = ?2, updated_at = ?3 WHERE id = ?1 AND active <> ?2
                 RETURNING code",
            )?;
            let word = |b: bool| if b { "active" } else { "inactive" };
            for id in ids {
                let code: Option<String> = stmt
                    .query_row(params![id, active, now], |r| r.get(0))
                    .optional()?;
                if let Some(code) = code {
                    changed += 1;
                    super::audit::record(
                        &tx,
                        operator,
                        "product.active",
                        &code,
                        word(!active),
                        word(active),
                    )?;
                }
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Sets the bin location of many products at once.
    pub fn set_bins(&mut self, ids: &[i64], bin: &str, operator: &str) -> Result<usize> {
        let now = now_text();
        let bin = bin.trim();
        if bin.chars().count() > 64 {
            return Err(StoreError::Invalid(
                "a bin location has at most 64 characters".into(),
            ));
        }
        let tx = self.write()?;
        let mut changed = 0;
        {
            let mut old = tx.prepare("SELECT code, bin FROM products WHERE id = ?1")?;
            let mut stmt =
                tx.prepare("UPDATE products SET bin = ?2, updated_at = ?3 WHERE id = ?1")?;
            for id in ids {
                let was: Option<(String, String)> = old
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                changed += stmt.execute(params![id, bin, now])?;
                if let Some((code, was)) = was
                    && was != bin
                {
                    super::audit::record(&tx, operator, "product.bin", &code, &was, bin)?;
                }
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// A page of a product's ledger, newest first, with on hand after each movement:
    /// on hand minus the movements after it, summed from the covering index.
    pub fn ledger_page(&self, product_id: i64, offset: u32, limit: u32) -> Result<LedgerPage> {
        let (code, name, on_hand): (String, String, i64) = self
            .conn
            .query_row(
                "SELECT code, name, on_hand FROM products WHERE id = ?1",
                [product_id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no product {product_id}")))?;
        let total: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM stock_movements WHERE product_id = ?1")?
            .query_row([product_id], |row| row.get(0))?;
        let after: i64 = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(SUM(quantity), 0) FROM (
                     SELECT quantity FROM stock_movements WHERE product_id = ?1
                     ORDER BY id DESC LIMIT ?2)",
            )?
            .query_row(params![product_id, offset], |row| row.get(0))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, quantity, reason, reference, note, operator, created_at
             FROM stock_movements WHERE product_id = ?1
             ORDER BY id DESC LIMIT ?2 OFFSET ?3",
        )?;
        let mut balance = on_hand - after;
        let mut rows = Vec::new();
        let mut query = stmt.query(params![product_id, i64::from(limit.max(1)), offset])?;
        while let Some(row) = query.next()? {
            let quantity: i64 = row.get(1)?;
            rows.push(LedgerRow {
                id: row.get(0)?,
                quantity,
                reason: row.get(2)?,
                reference: row.get(3)?,
                note: row.get(4)?,
                operator: row.get(5)?,
                created_at: row.get(6)?,
                on_hand_after: balance,
            });
            balance -= quantity;
        }
        Ok(LedgerPage {
            product_id,
            code,
            name,
            on_hand,
            total: total as u64,
            offset,
            rows,
        })
    }

    /// A manual adjustment with a reason (damaged, lost, found, sample) and a note.
    /// Returns on hand after it; below zero only when the settings allow negative stock.
    pub fn adjust_with_reason(
        &mut self,
        code: &str,
        quantity: i64,
        reason: AdjustReason,
        note: &str,
        operator: &str,
    ) -> Result<i64> {
        if !reason.accepts(quantity) {
            return Err(StoreError::Invalid(format!(
                "{} adjusts by a {} quantity, not {quantity}",
                reason.code(),
                if reason == AdjustReason::Found {
                    "positive"
                } else {
                    "negative"
                }
            )));
        }
        let settings = self.settings()?;
        let tx = self.write()?;
        let id = single_by_code(&tx, code)?;
        let note = match note.trim() {
            "" => reason.code().to_owned(),
            text => format!("{}: {text}", reason.code()),
        };
        let after = post_movement_noted(
            &tx,
            id,
            quantity,
            (MovementReason::Adjustment, "", &note),
            operator,
            settings.allow_negative_stock,
        )?;
        tx.commit()?;
        Ok(after)
    }

    /// Creates a purchase order: its open quantities are stock in transit.
    pub fn create_purchase(&mut self, purchase: &NewPurchase, operator: &str) -> Result<i64> {
        let supplier = purchase.supplier.trim();
        if supplier.is_empty() {
            return Err(StoreError::Invalid(
                "a purchase needs a supplier".to_owned(),
            ));
        }
        if purchase.lines.is_empty() {
            return Err(StoreError::Invalid(
                "a purchase needs at least one line".to_owned(),
            ));
        }
        let expected = purchase
            .expected_date
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty());
        if let Some(date) = expected {
            check_date(date)?;
        }
        let now = now_text();
        let tx = self.write()?;
        let id: i64 = tx.query_row(
            "INSERT INTO purchases (supplier, expected_date, note, created_at)
             VALUES (?1, ?2, ?3, ?4) RETURNING id",
            params![supplier, expected, purchase.note.trim(), now],
            |row| row.get(0),
        )?;
        let mut seen = HashMap::new();
        for line in &purchase.lines {
            if line.quantity <= 0 {
                return Err(StoreError::Invalid(format!(
                    "{}: a purchase line needs a quantity of at least 1",
                    line.code
                )));
            }
            if line.unit_cost_cents < 0 {
                return Err(StoreError::Invalid(format!(
                    "{}: a cost cannot be negative",
                    line.code
                )));
            }
            let product = single_by_code(&tx, &line.code)?;
            if seen.insert(product, ()).is_some() {
                return Err(StoreError::Invalid(format!(
                    "{} is on the purchase twice: put it on one line",
                    line.code.trim()
                )));
            }
            tx.execute(
                "INSERT INTO purchase_lines (purchase_id, product_id, quantity_ordered,
                                             unit_cost_cents)
                 VALUES (?1, ?2, ?3, ?4)",
                params![id, product, line.quantity, line.unit_cost_cents],
            )?;
        }
        let lines: Vec<String> = purchase
            .lines
            .iter()
            .map(|l| format!("{}×{}", l.code.trim(), l.quantity))
            .collect();
        super::audit::record(
            &tx,
            operator,
            "purchase.create",
            &purchase_reference(id),
            "",
            &format!("{supplier}: {}", lines.join(", ")),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Purchases, newest first; closed ones (received, cancelled) only with `all`.
    pub fn purchases(&self, all: bool) -> Result<Vec<PurchaseRow>> {
        let ids: Vec<i64> = self
            .conn
            .prepare_cached(
                "SELECT id FROM purchases WHERE ?1 OR status = 'open' ORDER BY id DESC LIMIT 500",
            )?
            .query_map([all], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter()
            .map(|id| purchase_row(&self.conn, id))
            .collect()
    }

    /// One purchase with its lines.
    pub fn purchase(&self, id: i64) -> Result<PurchaseRow> {
        purchase_row(&self.conn, id)
    }

    /// Receives goods of an open purchase: `lines` as (product code, quantity), or
    /// everything still expected when empty. On hand goes up, in transit down; the purchase
    /// closes when every line is in.
    pub fn receive_purchase(
        &mut self,
        id: i64,
        lines: &[(String, i64)],
        operator: &str,
    ) -> Result<Receipt> {
        let settings = self.settings()?;
        let tx = self.write()?;
        let (status, supplier): (String, String) = tx
            .query_row(
                "SELECT status, supplier FROM purchases WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no purchase {id}")))?;
        if status != "open" {
            return Err(StoreError::Invalid(format!(
                "purchase {id} is {status}: nothing more can be received"
            )));
        }
        let current = purchase_lines(&tx, id)?;
        let wanted: Vec<(i64, i64)> = if lines.is_empty() {
            current
                .iter()
                .filter(|l| l.ordered > l.received)
                .map(|l| (l.product_id, l.ordered - l.received))
                .collect()
        } else {
            let mut out = Vec::new();
            for (code, quantity) in lines {
                if *quantity == 0 {
                    continue;
                }
                let line = current
                    .iter()
                    .find(|l| l.code == code.trim())
                    .ok_or_else(|| {
                        StoreError::Invalid(format!("{} is not on purchase {id}", code.trim()))
                    })?;
                // The same product twice is one receipt of the sum.
                match out.iter_mut().find(|(p, _)| *p == line.product_id) {
                    Some((_, sum)) => *sum += *quantity,
                    None => out.push((line.product_id, *quantity)),
                }
            }
            out
        };
        let reference = purchase_reference(id);
        let mut receipt = Receipt::default();
        for (product, quantity) in &wanted {
            let Some(line) = current.iter().find(|l| l.product_id == *product) else {
                continue;
            };
            receive_quantity(line.ordered, line.received, *quantity)
                .map_err(|e| StoreError::Invalid(format!("{}: {e}", line.code)))?;
            tx.execute(
                "UPDATE purchase_lines SET quantity_received = quantity_received + ?3
                 WHERE purchase_id = ?1 AND product_id = ?2",
                params![id, product, quantity],
            )?;
            let note = format!(
                "{} of {} received from {}",
                line.received + quantity,
                line.ordered,
                supplier
            );
            post_movement_noted(
                &tx,
                *product,
                *quantity,
                (MovementReason::PurchaseReceipt, &reference, &note),
                operator,
                settings.allow_negative_stock,
            )?;
            receipt.units += quantity;
            receipt.lines += 1;
        }
        if receipt.lines == 0 {
            return Err(StoreError::Invalid(format!(
                "nothing to receive on purchase {id}"
            )));
        }
        let open: i64 = tx.query_row(
            "SELECT count(*) FROM purchase_lines
             WHERE purchase_id = ?1 AND quantity_received < quantity_ordered",
            [id],
            |r| r.get(0),
        )?;
        receipt.complete = open == 0;
        if receipt.complete {
            tx.execute(
                "UPDATE purchases SET status = 'received' WHERE id = ?1",
                [id],
            )?;
        }
        tx.commit()?;
        Ok(receipt)
    }

    /// Cancels what is still expected of an open purchase.
    pub fn cancel_purchase(&mut self, id: i64, operator: &str) -> Result<()> {
        let tx = self.write()?;
        let changed = tx.execute(
            "UPDATE purchases SET status = 'cancelled' WHERE id = ?1 AND status = 'open'",
            [id],
        )?;
        if changed == 0 {
            return Err(StoreError::Invalid(format!("purchase {id} is not open")));
        }
        super::audit::record(
            &tx,
            operator,
            "purchase.cancel",
            &purchase_reference(id),
            "open",
            "cancelled",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Starts a stock count of every active single product, or of those whose bin lies
    /// in `bin_from ..= bin_to` (natural order, e.g. `A-2` before `A-10`).
    pub fn start_count(&mut self, bin_from: &str, bin_to: &str, operator: &str) -> Result<i64> {
        let now = now_text();
        let tx = self.write()?;
        let open: Option<i64> = tx
            .query_row(
                "SELECT id FROM stock_counts WHERE status = 'open' LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(open) = open {
            return Err(StoreError::Invalid(format!(
                "count {open} is still open: post or cancel it first"
            )));
        }
        let id: i64 = tx.query_row(
            "INSERT INTO stock_counts (bin_from, bin_to, operator, created_at)
             VALUES (?1, ?2, ?3, ?4) RETURNING id",
            params![bin_from.trim(), bin_to.trim(), operator, now],
            |r| r.get(0),
        )?;
        let mut products: Vec<(i64, String, i64)> = Vec::new();
        {
            let mut stmt = tx.prepare(
                "SELECT id, bin, on_hand FROM products WHERE active = 1 AND is_bundle = 0",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let bin: String = row.get(1)?;
                if in_bin_range(&bin, bin_from, bin_to) {
                    products.push((row.get(0)?, bin, row.get(2)?));
                }
            }
        }
        if products.is_empty() {
            return Err(StoreError::Invalid(
                "no active product lies in that bin range".to_owned(),
            ));
        }
        {
            let mut stmt = tx.prepare(
                "INSERT INTO stock_count_lines (count_id, product_id, expected) VALUES (?1, ?2, ?3)",
            )?;
            for (product, _, on_hand) in &products {
                stmt.execute(params![id, product, on_hand])?;
            }
        }
        let range = match (bin_from.trim(), bin_to.trim()) {
            ("", "") => "every bin".to_owned(),
            (from, to) => format!("bins {from}–{to}"),
        };
        super::audit::record(
            &tx,
            operator,
            "count.start",
            &count_reference(id),
            "",
            &format!("{range}, {} products", products.len()),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Enters a counted quantity (a scan adds one, a typed number sets it) for a product
    /// found by code or barcode. Returns the product code and its counted quantity.
    pub fn count_entry(
        &mut self,
        count_id: i64,
        code_or_barcode: &str,
        entry: CountEntry,
    ) -> Result<(String, i64)> {
        let tx = self.write()?;
        let status: String = tx
            .query_row(
                "SELECT status FROM stock_counts WHERE id = ?1",
                [count_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no stock count {count_id}")))?;
        if status != "open" {
            return Err(StoreError::Invalid(format!("count {count_id} is {status}")));
        }
        let (product, code) = find_product(&tx, code_or_barcode)?.ok_or_else(|| {
            StoreError::NotFound(format!(
                "no product with code or barcode {}",
                code_or_barcode.trim()
            ))
        })?;
        let counted: Option<Option<i64>> = tx
            .query_row(
                "SELECT counted FROM stock_count_lines WHERE count_id = ?1 AND product_id = ?2",
                params![count_id, product],
                |r| r.get(0),
            )
            .optional()?;
        let Some(counted) = counted else {
            return Err(StoreError::Invalid(format!(
                "{code} is not part of count {count_id} (another bin range?)"
            )));
        };
        let next = entry.apply(counted).map_err(StoreError::Invalid)?;
        tx.execute(
            "UPDATE stock_count_lines SET counted = ?3 WHERE count_id = ?1 AND product_id = ?2",
            params![count_id, product, next],
        )?;
        tx.commit()?;
        Ok((code, next))
    }

    /// Stock counts, newest first.
    pub fn stock_counts(&self) -> Result<Vec<CountRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.status, c.bin_from, c.bin_to, c.created_at, c.posted_at,
                    (SELECT count(*) FROM stock_count_lines l WHERE l.count_id = c.id),
                    (SELECT count(*) FROM stock_count_lines l
                     WHERE l.count_id = c.id AND l.counted IS NOT NULL)
             FROM stock_counts c ORDER BY c.id DESC LIMIT 200",
        )?;
        let rows = stmt.query_map([], count_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A count with every line and its difference against on hand now, in bin order.
    pub fn count_detail(&self, id: i64) -> Result<CountDetail> {
        let row = self
            .conn
            .query_row(
                "SELECT c.id, c.status, c.bin_from, c.bin_to, c.created_at, c.posted_at,
                        (SELECT count(*) FROM stock_count_lines l WHERE l.count_id = c.id),
                        (SELECT count(*) FROM stock_count_lines l
                         WHERE l.count_id = c.id AND l.counted IS NOT NULL)
                 FROM stock_counts c WHERE c.id = ?1",
                [id],
                count_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no stock count {id}")))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.product_id, p.code, p.name, p.bin, l.expected, p.on_hand, l.counted,
                    p.cost_cents, l.posted_difference
             FROM stock_count_lines l JOIN products p ON p.id = l.product_id
             WHERE l.count_id = ?1",
        )?;
        let posted = row.status == CountStatus::Posted;
        let mut lines = stmt
            .query_map([id], |r| {
                let on_hand: i64 = r.get(5)?;
                let counted: Option<i64> = r.get(6)?;
                let cost: i64 = r.get(7)?;
                let posted_difference: Option<i64> = r.get(8)?;
                // A posted count shows what was posted: counted minus the difference.
                let base = match (posted, posted_difference, counted) {
                    (true, Some(d), Some(c)) => c - d,
                    _ => on_hand,
                };
                Ok(CountLineRow {
                    product_id: r.get(0)?,
                    code: r.get(1)?,
                    name: r.get(2)?,
                    bin: r.get(3)?,
                    expected: r.get(4)?,
                    on_hand: base,
                    counted,
                    unit_cost_cents: cost,
                    difference: count_difference(base, counted, cost),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        lines.sort_by(|a, b| natural_cmp(&a.bin, &b.bin).then_with(|| a.code.cmp(&b.code)));
        let value_cents = lines
            .iter()
            .filter_map(|l| l.difference.as_ref())
            .map(|d| d.value_cents)
            .sum();
        let units = lines
            .iter()
            .filter_map(|l| l.difference.as_ref())
            .map(|d| d.difference)
            .sum();
        Ok(CountDetail {
            row,
            lines,
            value_cents,
            units,
        })
    }

    /// Posts a count: every counted line whose quantity differs from on hand now becomes a
    /// `stock_count` movement, all in one transaction. Uncounted lines post nothing.
    pub fn post_count(&mut self, id: i64, operator: &str) -> Result<CountPosted> {
        let settings = self.settings()?;
        let now = now_text();
        let tx = self.write()?;
        let status: String = tx
            .query_row("SELECT status FROM stock_counts WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no stock count {id}")))?;
        if status != "open" {
            return Err(StoreError::Invalid(format!(
                "count {id} is {status} already"
            )));
        }
        let lines: Vec<(i64, String, i64, i64, i64)> = {
            let mut stmt = tx.prepare(
                "SELECT l.product_id, p.code, p.on_hand, l.counted, p.cost_cents
                 FROM stock_count_lines l JOIN products p ON p.id = l.product_id
                 WHERE l.count_id = ?1 AND l.counted IS NOT NULL",
            )?;
            stmt.query_map([id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        let reference = count_reference(id);
        let mut posted = CountPosted::default();
        {
            let mut mark = tx.prepare_cached(
                "UPDATE stock_count_lines SET posted_difference = ?3
                 WHERE count_id = ?1 AND product_id = ?2",
            )?;
            for (product, code, on_hand, counted, cost) in &lines {
                let Some(diff) = count_difference(*on_hand, Some(*counted), *cost) else {
                    continue;
                };
                mark.execute(params![id, product, diff.difference])?;
                if diff.difference == 0 {
                    continue;
                }
                // The note says what the count found, so the ledger explains itself.
                let note = format!("counted {counted}, on hand was {on_hand}");
                let after = post_movement_noted(
                    &tx,
                    *product,
                    diff.difference,
                    (MovementReason::StockCount, &reference, &note),
                    operator,
                    settings.allow_negative_stock,
                )?;
                if after < 0 {
                    posted.negative.push(code.clone());
                }
                posted.adjusted += 1;
                posted.units += diff.difference;
                posted.value_cents += diff.value_cents;
            }
        }
        tx.execute(
            "UPDATE stock_counts SET status = 'posted', posted_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        tx.commit()?;
        Ok(posted)
    }

    /// Cancels an open count: nothing is posted.
    pub fn cancel_count(&mut self, id: i64, operator: &str) -> Result<()> {
        let tx = self.write()?;
        let changed = tx.execute(
            "UPDATE stock_counts SET status = 'cancelled' WHERE id = ?1 AND status = 'open'",
            [id],
        )?;
        if changed == 0 {
            return Err(StoreError::Invalid(format!("count {id} is not open")));
        }
        super::audit::record(
            &tx,
            operator,
            "count.cancel",
            &count_reference(id),
            "open",
            "cancelled",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Creates and updates products by code, all or nothing. With `preview` the same run
    /// is rolled back, so the summary says what the import would do. `progress` gets the
    /// number of products written; returning `false` cancels (nothing is written).
    pub fn import_products(
        &mut self,
        products: &[NewProduct],
        active: &[Option<bool>],
        preview: bool,
        progress: &mut dyn FnMut(u64) -> bool,
        operator: &str,
    ) -> Result<ProductImportSummary> {
        let now = now_text();
        let tx = self.write()?;
        let mut summary = ProductImportSummary::default();
        // Singles first, so bundles can name them.
        let order: Vec<usize> = (0..products.len())
            .filter(|&i| products[i].components.is_empty())
            .chain((0..products.len()).filter(|&i| !products[i].components.is_empty()))
            .collect();
        for (done, i) in order.into_iter().enumerate() {
            let p = &products[i];
            let existing: Option<i64> = tx
                .prepare_cached("SELECT id FROM products WHERE code = ?1")?
                .query_row([p.code.trim()], |r| r.get(0))
                .optional()?;
            // The file has no attributes column: an update keeps the product's own.
            let kept;
            let p = match existing {
                Some(id) if p.attributes.is_empty() => {
                    let json: String = tx
                        .prepare_cached("SELECT attributes FROM products WHERE id = ?1")?
                        .query_row([id], |r| r.get(0))?;
                    kept = NewProduct {
                        attributes: serde_json::from_str(&json).unwrap_or_default(),
                        ..p.clone()
                    };
                    &kept
                }
                _ => p,
            };
            let before = match existing {
                Some(id) => product_snapshot(&tx, id)?,
                None => String::new(),
            };
            let id = save_one(&tx, p, &now, existing.unwrap_or(0))?;
            if let Some(Some(flag)) = active.get(i) {
                tx.prepare_cached("UPDATE products SET active = ?2 WHERE id = ?1")?
                    .execute(params![id, flag])?;
            }
            // Each product created or changed is in the trail with what it was and became.
            let after = product_snapshot(&tx, id)?;
            if after == before {
                summary.unchanged += 1;
            } else {
                if existing.is_some() {
                    summary.updated += 1;
                } else {
                    summary.created += 1;
                }
                if !preview {
                    super::audit::record(
                        &tx,
                        operator,
                        "product.import",
                        p.code.trim(),
                        &before,
                        &after,
                    )?;
                }
            }
            if done % 500 == 0 && !progress(done as u64) {
                return Err(StoreError::Invalid("import cancelled".to_owned()));
            }
        }
        if preview {
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        Ok(summary)
    }

    /// Every product as the CSV export writes it, sorted by code.
    pub fn export_products(&self) -> Result<Vec<ProductExportRow>> {
        // Three passes instead of three queries per product.
        let mut barcodes: HashMap<i64, Vec<String>> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT product_id, barcode FROM product_barcodes ORDER BY barcode")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            barcodes.entry(row.get(0)?).or_default().push(row.get(1)?);
        }
        let mut components: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT b.bundle_id, p.code, b.quantity FROM bundle_components b
             JOIN products p ON p.id = b.component_id ORDER BY p.code",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            components
                .entry(row.get(0)?)
                .or_default()
                .push((row.get(1)?, row.get(2)?));
        }
        let mut stmt = self.conn.prepare(
            "SELECT id, code, name, supplier_item_no, attributes, bin, price_cents, cost_cents,
                    weight_grams, reorder_point, active, on_hand
             FROM products ORDER BY code",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let attributes: String = row.get(4)?;
            out.push(ProductExportRow {
                product: NewProduct {
                    code: row.get(1)?,
                    name: row.get(2)?,
                    barcodes: barcodes.remove(&id).unwrap_or_default(),
                    supplier_item_no: row.get(3)?,
                    attributes: serde_json::from_str(&attributes).unwrap_or_default(),
                    bin: row.get(5)?,
                    price_cents: row.get(6)?,
                    cost_cents: row.get(7)?,
                    weight_grams: row.get(8)?,
                    reorder_point: row.get(9)?,
                    components: components.remove(&id).unwrap_or_default(),
                },
                active: row.get(10)?,
                on_hand: row.get(11)?,
            });
        }
        Ok(out)
    }
}

fn count_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CountRow> {
    Ok(CountRow {
        id: r.get(0)?,
        status: coded(r, 1, CountStatus::from_code)?,
        bin_from: r.get(2)?,
        bin_to: r.get(3)?,
        created_at: r.get(4)?,
        posted_at: r.get(5)?,
        lines: r.get(6)?,
        counted: r.get(7)?,
    })
}

/// Writes one product (`id` 0: new): fields, barcodes and components exactly as given.
fn save_one(tx: &Transaction<'_>, p: &NewProduct, now: &str, id: i64) -> Result<i64> {
    let code = p.code.trim();
    if code.chars().count() > 64 {
        return Err(StoreError::Invalid(format!(
            "product code {code}: at most 64 characters"
        )));
    }
    if p.name.chars().count() > 200 {
        return Err(StoreError::Invalid(format!(
            "product {code}: the name has more than 200 characters"
        )));
    }
    for (what, value) in [
        ("price", p.price_cents),
        ("cost", p.cost_cents),
        ("weight", p.weight_grams),
        ("reorder point", p.reorder_point),
    ] {
        if value < 0 {
            return Err(StoreError::Invalid(format!(
                "product {code}: the {what} cannot be negative"
            )));
        }
    }
    if id != 0 && !p.components.is_empty() {
        let (on_hand, used): (i64, i64) = tx.query_row(
            "SELECT on_hand, (SELECT count(*) FROM bundle_components WHERE component_id = ?1)
             FROM products WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if on_hand != 0 {
            return Err(StoreError::Invalid(format!(
                "product {code} has {on_hand} on hand: a bundle keeps no stock of its own; \
                 adjust it to zero first"
            )));
        }
        if used > 0 {
            return Err(StoreError::Invalid(format!(
                "product {code} is a component of a bundle and cannot be a bundle itself"
            )));
        }
    }
    for (component, quantity) in &p.components {
        if *quantity <= 0 {
            return Err(StoreError::Invalid(format!(
                "bundle {code}: component {component} needs a quantity of at least 1"
            )));
        }
        if component.trim() == code {
            return Err(StoreError::Invalid(format!(
                "bundle {code} cannot contain itself"
            )));
        }
    }
    let id = insert_product(tx, p, now)?;
    // The barcodes become exactly the ones given.
    let keep: Vec<&str> = p
        .barcodes
        .iter()
        .map(|b| b.trim())
        .filter(|b| !b.is_empty())
        .collect();
    let current: Vec<String> = tx
        .prepare_cached("SELECT barcode FROM product_barcodes WHERE product_id = ?1")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for barcode in current {
        if !keep.contains(&barcode.as_str()) {
            tx.execute(
                "DELETE FROM product_barcodes WHERE barcode = ?1 AND product_id = ?2",
                params![barcode, id],
            )?;
        }
    }
    Ok(id)
}

/// A product's fields as the audit trail shows them before and after an edit.
fn product_snapshot(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<String> {
    Ok(tx.query_row(
        "SELECT printf('name %s, price %d.%02d, cost %d.%02d, bin %s, weight %d g, reorder %d, \
                        barcodes %s, supplier item %s, attributes %s, parts %s, %s',
             name, price_cents / 100, price_cents % 100, cost_cents / 100, cost_cents % 100,
             bin, weight_grams, reorder_point,
             (SELECT COALESCE(group_concat(barcode, ' '), '') FROM product_barcodes
              WHERE product_id = products.id),
             supplier_item_no, attributes,
             (SELECT COALESCE(group_concat(p.code || '×' || b.quantity, ' '), '')
              FROM bundle_components b JOIN products p ON p.id = b.component_id
              WHERE b.bundle_id = products.id),
             CASE WHEN active THEN 'active' ELSE 'inactive' END)
         FROM products WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::shop;

    fn on_hand(store: &Store, code: &str) -> i64 {
        store
            .stock_report()
            .expect("report")
            .into_iter()
            .find(|r| r.code == code)
            .map(|r| r.on_hand)
            .expect("product")
    }

    #[test]
    fn purchase_in_transit_then_received_in_two_parts() {
        let mut store = shop();
        let id = store
            .create_purchase(
                &NewPurchase {
                    supplier: "义乌杯厂".to_owned(),
                    expected_date: Some("2026-12-01".to_owned()),
                    note: String::new(),
                    lines: vec![NewPurchaseLine {
                        code: "CUP".to_owned(),
                        quantity: 5,
                        unit_cost_cents: 300,
                    }],
                },
                "owner",
            )
            .expect("purchase");
        let cup = |s: &Store| {
            s.stock_report()
                .expect("report")
                .into_iter()
                .find(|r| r.code == "CUP")
                .expect("cup")
        };
        assert_eq!(cup(&store).in_transit, 5);
        assert_eq!(
            cup(&store).in_transit_expected.as_deref(),
            Some("2026-12-01")
        );
        let r = store
            .receive_purchase(id, &[("CUP".to_owned(), 2)], "owner")
            .expect("part");
        assert!(!r.complete);
        assert_eq!((cup(&store).on_hand, cup(&store).in_transit), (12, 3));
        assert!(
            store
                .receive_purchase(id, &[("CUP".to_owned(), 4)], "owner")
                .is_err()
        );
        assert_eq!(
            on_hand(&store, "CUP"),
            12,
            "a refused receipt changes nothing"
        );
        let r = store.receive_purchase(id, &[], "owner").expect("rest");
        assert!(r.complete);
        assert_eq!((cup(&store).on_hand, cup(&store).in_transit), (15, 0));
        assert_eq!(
            store.purchase(id).expect("po").status,
            PurchaseStatus::Received
        );
        assert!(store.receive_purchase(id, &[], "owner").is_err());
        let ledger = store.ledger_page(cup(&store).id, 0, 10).expect("ledger");
        assert_eq!(ledger.rows[0].reference, "PO-1");
        assert_eq!(ledger.rows[0].note, "5 of 5 received from 义乌杯厂");
        assert_eq!(
            ledger
                .rows
                .iter()
                .map(|r| r.on_hand_after)
                .collect::<Vec<_>>(),
            vec![15, 12, 10]
        );
        assert!(store.check().expect("check").is_empty());
    }

    #[test]
    fn ledger_pages_keep_the_running_balance() {
        let mut store = shop();
        for i in 1..=25 {
            store
                .adjust_with_reason("TEA", i, AdjustReason::Found, "", "owner")
                .expect("adjust");
        }
        let tea = store.stock_rows("TEA", false).expect("rows")[0].id;
        let all = store.ledger_page(tea, 0, 100).expect("all");
        assert_eq!(all.total, 26);
        let second = store.ledger_page(tea, 10, 10).expect("page");
        assert_eq!(second.rows, all.rows[10..20].to_vec());
        assert_eq!(all.rows.last().map(|r| r.on_hand_after), Some(10));
        assert_eq!(all.rows[0].on_hand_after, all.on_hand);
        assert_eq!(all.rows[0].note, "found");
    }

    #[test]
    fn count_by_scan_and_post() {
        let mut store = shop();
        let mut cup = store.product_detail(1).expect("cup").product;
        cup.barcodes = vec!["6901".to_owned()];
        cup.bin = "A-2".to_owned();
        cup.cost_cents = 250;
        store.save_product(&cup, Some(1), "owner").expect("save");
        let mut tea = store.product_detail(2).expect("tea").product;
        tea.bin = "A-10".to_owned();
        store.save_product(&tea, Some(2), "owner").expect("save");
        // Only A-1 ..= A-5: the cup, not the tea (A-10 comes after A-5).
        let id = store.start_count("A-1", "A-5", "owner").expect("count");
        assert!(
            store.start_count("", "", "owner").is_err(),
            "one open count at a time"
        );
        for _ in 0..3 {
            store
                .count_entry(id, "6901", CountEntry::Add(1))
                .expect("scan");
        }
        assert!(store.count_entry(id, "TEA", CountEntry::Add(1)).is_err());
        assert!(store.count_entry(id, "nope", CountEntry::Add(1)).is_err());
        let detail = store.count_detail(id).expect("detail");
        assert_eq!(detail.lines.len(), 1);
        assert_eq!(detail.units, -7);
        assert_eq!(detail.value_cents, -1750);
        let posted = store.post_count(id, "owner").expect("post");
        assert_eq!((posted.adjusted, posted.units), (1, -7));
        assert_eq!(on_hand(&store, "CUP"), 3);
        let ledger = store.ledger_page(1, 0, 1).expect("ledger");
        assert_eq!(ledger.rows[0].note, "counted 3, on hand was 10");
        assert!(store.post_count(id, "owner").is_err());
        assert!(store.count_entry(id, "CUP", CountEntry::Add(1)).is_err());
        let detail = store.count_detail(id).expect("detail");
        assert_eq!(detail.units, -7, "a posted count shows what it posted");
        assert!(store.check().expect("check").is_empty());
    }

    #[test]
    fn edit_replaces_barcodes_and_refuses_bad_bundles() {
        let mut store = shop();
        let mut cup = store.product_detail(1).expect("cup").product;
        cup.barcodes = vec!["111".to_owned(), "222".to_owned()];
        store.save_product(&cup, Some(1), "owner").expect("save");
        cup.barcodes = vec!["222".to_owned()];
        store.save_product(&cup, Some(1), "owner").expect("save");
        assert_eq!(
            store.product_detail(1).expect("cup").product.barcodes,
            vec!["222"]
        );
        // CUP has stock: it cannot become a bundle.
        let mut bad = cup.clone();
        bad.components = vec![("TEA".to_owned(), 1)];
        assert!(store.save_product(&bad, Some(1), "owner").is_err());
        assert!(
            store.save_product(&cup, None, "owner").is_err(),
            "code taken"
        );
        assert_eq!(store.set_bins(&[1, 2], "B-1", "owner").expect("bins"), 2);
        assert_eq!(store.product_detail(2).expect("tea").product.bin, "B-1");
        store
            .set_products_active(&[2], false, "owner")
            .expect("deactivate");
        assert_eq!(store.stock_rows("", false).expect("rows").len(), 2);
        assert_eq!(store.stock_rows("", true).expect("rows").len(), 3);
        assert_eq!(
            store.stock_rows("222", false).expect("by barcode")[0].code,
            "CUP"
        );
    }

    #[test]
    fn adjust_reason_and_negative_stock_setting() {
        let mut store = shop();
        assert!(
            store
                .adjust_with_reason("CUP", 3, AdjustReason::Damaged, "", "owner")
                .is_err()
        );
        assert!(
            store
                .adjust_with_reason("CUP", -11, AdjustReason::Lost, "", "owner")
                .is_err()
        );
        let mut settings = store.settings().expect("settings");
        settings.allow_negative_stock = true;
        store.save_settings(&settings).expect("save");
        let after = store
            .adjust_with_reason("CUP", -11, AdjustReason::Lost, "parcel", "owner")
            .expect("allowed");
        assert_eq!(after, -1);
        let page = store.ledger_page(1, 0, 1).expect("ledger");
        assert_eq!(page.rows[0].note, "lost: parcel");
    }

    #[test]
    fn import_preview_writes_nothing() {
        let mut store = shop();
        let products = vec![
            NewProduct {
                code: "NEW".to_owned(),
                name: "new".to_owned(),
                ..NewProduct::default()
            },
            NewProduct {
                code: "CUP".to_owned(),
                name: "cup renamed".to_owned(),
                ..NewProduct::default()
            },
        ];
        let s = store
            .import_products(&products, &[], true, &mut |_| true, "owner")
            .expect("preview");
        assert_eq!((s.created, s.updated), (1, 1));
        assert_eq!(store.stock_report().expect("rows").len(), 3);
        store
            .import_products(
                &products,
                &[None, Some(false)],
                false,
                &mut |_| true,
                "owner",
            )
            .expect("import");
        assert_eq!(store.stock_report().expect("rows").len(), 4);
        assert!(!store.product_detail(1).expect("cup").active);
    }

    #[test]
    fn export_is_what_the_detail_says() {
        let mut store = shop();
        let mut cup = store.product_detail(1).expect("cup").product;
        cup.barcodes = vec!["2".to_owned(), "1".to_owned()];
        store.save_product(&cup, Some(1), "owner").expect("save");
        let rows = store.export_products().expect("export");
        let codes: Vec<&str> = rows.iter().map(|r| r.product.code.as_str()).collect();
        assert_eq!(codes, vec!["CUP", "GIFT", "TEA"]);
        for row in &rows {
            let id = store.stock_rows(&row.product.code, true).expect("rows")[0].id;
            let detail = store.product_detail(id).expect("detail");
            assert_eq!(row.product, detail.product);
            assert_eq!((row.active, row.on_hand), (detail.active, detail.on_hand));
        }
    }

    #[test]
    fn a_schema_3_file_with_a_ledger_migrates() {
        let conn = Connection::open_in_memory().expect("conn");
        for sql in [
            include_str!("migrations/001_initial.sql"),
            include_str!("migrations/002_import.sql"),
            include_str!("migrations/003_order_processing.sql"),
        ] {
            conn.execute_batch(sql).expect("old schema");
        }
        conn.execute_batch(&format!(
            "PRAGMA user_version = 3; PRAGMA application_id = {};
             INSERT INTO products (code, name, created_at, updated_at)
             VALUES ('OLD', 'old', 'x', 'x');
             INSERT INTO stock_movements (product_id, quantity, reason, operator, created_at)
             VALUES (1, 5, 'opening', 'o', 'x'), (1, -2, 'sale', 'o', 'x');",
            super::super::APPLICATION_ID
        ))
        .expect("old data");
        let store = Store::setup(conn, ":memory:".into()).expect("migrates");
        assert_eq!(
            store.schema_version().expect("version"),
            super::super::migrations::LATEST
        );
        assert!(store.check().expect("check").is_empty());
        let page = store.ledger_page(1, 0, 10).expect("ledger");
        assert_eq!(
            page.rows
                .iter()
                .map(|r| r.on_hand_after)
                .collect::<Vec<_>>(),
            vec![3, 5]
        );
        let columns: Vec<String> = store
            .conn
            .prepare("SELECT name FROM pragma_index_info('stock_movements_product')")
            .expect("prepare")
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("columns");
        assert_eq!(columns, vec!["product_id", "id", "quantity"]);
    }

    #[test]
    fn edits_and_imports_keep_attributes() {
        let mut store = shop();
        let mut cup = store.product_detail(1).expect("cup").product;
        cup.attributes = vec![("颜色".to_owned(), "白".to_owned())];
        store.save_product(&cup, Some(1), "owner").expect("save");
        let renamed = NewProduct {
            code: "CUP".to_owned(),
            name: "renamed".to_owned(),
            ..NewProduct::default()
        };
        store
            .import_products(&[renamed], &[], false, &mut |_| true, "owner")
            .expect("import");
        let after = store.product_detail(1).expect("cup").product;
        assert_eq!(after.name, "renamed");
        assert_eq!(after.attributes, cup.attributes);
    }
}
