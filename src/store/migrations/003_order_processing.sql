-- Version 3: the order processing tab. Indexes that keep every filter, sort and
-- search of the order list under 100 ms on a million orders; src/store/order_query.rs
-- chooses between them (it names them in INDEXED BY: keep the names).

-- Equality filters: each gives the default sort (order date) too.
CREATE INDEX orders_flag ON orders (flag, ordered_at) WHERE merged_into IS NULL;
CREATE INDEX orders_platform ON orders (platform, ordered_at) WHERE merged_into IS NULL;
CREATE INDEX orders_on_hold ON orders (ordered_at) WHERE on_hold = 1 AND merged_into IS NULL;

-- Date ranges on each date type (the order date has orders_ordered).
CREATE INDEX orders_paid_at ON orders (paid_at)
    WHERE paid_at IS NOT NULL AND merged_into IS NULL;
CREATE INDEX orders_reviewed_at ON orders (reviewed_at)
    WHERE reviewed_at IS NOT NULL AND merged_into IS NULL;
CREATE INDEX orders_printed_at ON orders (printed_at)
    WHERE printed_at IS NOT NULL AND merged_into IS NULL;
CREATE INDEX orders_inspected_at ON orders (inspected_at)
    WHERE inspected_at IS NOT NULL AND merged_into IS NULL;
CREATE INDEX orders_shipped_at ON orders (shipped_at)
    WHERE shipped_at IS NOT NULL AND merged_into IS NULL;
CREATE INDEX orders_refunded_at ON orders (refunded_at)
    WHERE refunded_at IS NOT NULL AND merged_into IS NULL;
CREATE INDEX orders_archived_at ON orders (archived_at)
    WHERE archived_at IS NOT NULL AND merged_into IS NULL;

-- Amount range and the sortable columns. The expressions must match order_query.rs.
CREATE INDEX orders_total ON orders ((goods_cents + postage_cents - discount_cents))
    WHERE merged_into IS NULL;
CREATE INDEX orders_receiver ON orders (receiver_name) WHERE merged_into IS NULL;
CREATE INDEX orders_state_rank ON orders ((CASE state WHEN 'pending_review' THEN 0
    WHEN 'approved' THEN 1 WHEN 'printed' THEN 2 WHEN 'shipped' THEN 3 WHEN 'archived' THEN 4
    ELSE 5 END), ordered_at) WHERE merged_into IS NULL;

-- Search by SKU or product: the newest lines of one SKU / product straight from the index.
DROP INDEX order_lines_sku;
CREATE INDEX order_lines_sku ON order_lines (sku, order_id);
DROP INDEX order_lines_product;
CREATE INDEX order_lines_product ON order_lines (product_id, order_id);
