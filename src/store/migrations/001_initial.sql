-- ShopDesk schema, version 1.
-- Money is integer cents (fen). Timestamps are ISO-8601 text with offset.
-- Archived orders are immutable here, in the database, not only in the UI.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE products (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE CHECK (length(trim(code)) BETWEEN 1 AND 64),
    name             TEXT NOT NULL CHECK (length(name) <= 200),
    supplier_item_no TEXT NOT NULL DEFAULT '',
    attributes       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(attributes) AND json_type(attributes) = 'array'),
    bin              TEXT NOT NULL DEFAULT '',
    price_cents      INTEGER NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
    cost_cents       INTEGER NOT NULL DEFAULT 0 CHECK (cost_cents >= 0),
    weight_grams     INTEGER NOT NULL DEFAULT 0 CHECK (weight_grams >= 0),
    reorder_point    INTEGER NOT NULL DEFAULT 0 CHECK (reorder_point >= 0),
    is_bundle        INTEGER NOT NULL DEFAULT 0 CHECK (is_bundle IN (0, 1)),
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- The balance of the ledger, maintained by the trigger below; `shopdesk check` proves it.
    on_hand          INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX products_name ON products (name);
CREATE INDEX products_supplier_item_no ON products (supplier_item_no);

CREATE TABLE product_barcodes (
    barcode    TEXT PRIMARY KEY NOT NULL CHECK (length(barcode) BETWEEN 1 AND 64),
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX product_barcodes_product ON product_barcodes (product_id);

CREATE TABLE bundle_components (
    bundle_id    INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    component_id INTEGER NOT NULL REFERENCES products (id),
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (bundle_id, component_id),
    CHECK (bundle_id <> component_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX bundle_components_component ON bundle_components (component_id);

-- The stock ledger: append-only. On hand is its sum.
CREATE TABLE stock_movements (
    id         INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity   INTEGER NOT NULL CHECK (quantity <> 0),
    reason     TEXT NOT NULL CHECK (reason IN ('opening', 'purchase_receipt', 'sale', 'return',
                                               'adjustment', 'stock_count', 'bundle_assembly')),
    reference  TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    operator   TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX stock_movements_product ON stock_movements (product_id, id);

CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements
BEGIN
    SELECT RAISE(ABORT, 'the stock ledger is append-only: post a correcting movement instead');
END;
CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements
BEGIN
    SELECT RAISE(ABORT, 'the stock ledger is append-only: post a correcting movement instead');
END;
CREATE TRIGGER stock_movements_balance AFTER INSERT ON stock_movements
BEGIN
    UPDATE products SET on_hand = on_hand + NEW.quantity WHERE id = NEW.product_id;
END;

-- Purchases from suppliers: open lines are stock in transit.
CREATE TABLE purchases (
    id            INTEGER PRIMARY KEY,
    supplier      TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'received', 'cancelled')),
    expected_date TEXT,
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE purchase_lines (
    id                INTEGER PRIMARY KEY,
    purchase_id       INTEGER NOT NULL REFERENCES purchases (id) ON DELETE CASCADE,
    product_id        INTEGER NOT NULL REFERENCES products (id),
    quantity_ordered  INTEGER NOT NULL CHECK (quantity_ordered > 0),
    quantity_received INTEGER NOT NULL DEFAULT 0
        CHECK (quantity_received >= 0 AND quantity_received <= quantity_ordered),
    unit_cost_cents   INTEGER NOT NULL DEFAULT 0 CHECK (unit_cost_cents >= 0),
    UNIQUE (purchase_id, product_id)
) STRICT;
CREATE INDEX purchase_lines_product ON purchase_lines (product_id);

CREATE TABLE orders (
    id              INTEGER PRIMARY KEY,
    platform        TEXT NOT NULL CHECK (length(platform) BETWEEN 1 AND 32),
    order_no        TEXT NOT NULL CHECK (length(order_no) BETWEEN 1 AND 64),
    buyer_id        TEXT NOT NULL DEFAULT '',
    buyer_name      TEXT NOT NULL DEFAULT '',
    receiver_name   TEXT NOT NULL DEFAULT '',
    receiver_phone  TEXT NOT NULL DEFAULT '',
    receiver_phone2 TEXT NOT NULL DEFAULT '',
    province        TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL DEFAULT '',
    district        TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    postcode        TEXT NOT NULL DEFAULT '',
    buyer_message   TEXT NOT NULL DEFAULT '',
    seller_remark   TEXT NOT NULL DEFAULT '',
    flag            TEXT NOT NULL DEFAULT 'none'
        CHECK (flag IN ('none', 'red', 'yellow', 'green', 'blue', 'purple')),
    goods_cents     INTEGER NOT NULL DEFAULT 0 CHECK (goods_cents >= 0),
    postage_cents   INTEGER NOT NULL DEFAULT 0 CHECK (postage_cents >= 0),
    discount_cents  INTEGER NOT NULL DEFAULT 0 CHECK (discount_cents >= 0),
    paid_cents      INTEGER NOT NULL DEFAULT 0 CHECK (paid_cents >= 0),
    refunded_cents  INTEGER NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0),
    payment_status  TEXT NOT NULL DEFAULT 'unpaid'
        CHECK (payment_status IN ('unpaid', 'paid', 'partly_refunded', 'refunded')),
    cash_on_delivery INTEGER NOT NULL DEFAULT 0 CHECK (cash_on_delivery IN (0, 1)),
    state           TEXT NOT NULL DEFAULT 'pending_review'
        CHECK (state IN ('pending_review', 'approved', 'printed', 'shipped', 'archived', 'cancelled')),
    on_hold         INTEGER NOT NULL DEFAULT 0 CHECK (on_hold IN (0, 1)),
    platform_status TEXT NOT NULL DEFAULT '',
    ordered_at      TEXT NOT NULL,
    paid_at         TEXT,
    reviewed_at     TEXT,
    printed_at      TEXT,
    inspected_at    TEXT,
    shipped_at      TEXT,
    refunded_at     TEXT,
    archived_at     TEXT,
    courier         TEXT NOT NULL DEFAULT '',
    tracking_no     TEXT NOT NULL DEFAULT '',
    -- Set on an order merged into another: the main order that ships its lines.
    merged_into     INTEGER REFERENCES orders (id),
    -- A reshipment (补发) points at the original order.
    reship_of       INTEGER REFERENCES orders (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (platform, order_no),
    CHECK (merged_into IS NULL OR merged_into <> id)
) STRICT;
CREATE INDEX orders_state_ordered ON orders (state, ordered_at) WHERE merged_into IS NULL;
CREATE INDEX orders_ordered ON orders (ordered_at) WHERE merged_into IS NULL;
CREATE INDEX orders_merged_into ON orders (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX orders_tracking_no ON orders (tracking_no) WHERE tracking_no <> '';

CREATE TABLE order_lines (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL REFERENCES orders (id),
    -- The order the line was placed on; differs from order_id while merged.
    origin_order_id  INTEGER NOT NULL REFERENCES orders (id),
    product_id       INTEGER REFERENCES products (id),
    sku              TEXT NOT NULL DEFAULT '',
    title            TEXT NOT NULL DEFAULT '',
    attributes       TEXT NOT NULL DEFAULT '',
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0)
) STRICT;
CREATE INDEX order_lines_order ON order_lines (order_id);
CREATE INDEX order_lines_origin ON order_lines (origin_order_id);
CREATE INDEX order_lines_product ON order_lines (product_id);
CREATE INDEX order_lines_sku ON order_lines (sku);

-- Who did what to an order, and when.
CREATE TABLE order_events (
    id       INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    at       TEXT NOT NULL,
    operator TEXT NOT NULL,
    event    TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX order_events_order ON order_events (order_id, id);

-- The order search index: unicode61 over text where each CJK character is a token
-- (see src/domain/search.rs). Contentless; the rowid is the order id.
CREATE VIRTUAL TABLE order_search USING fts5 (
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- Archived orders cannot change, whatever program writes to this file.
CREATE TRIGGER orders_archived_no_update BEFORE UPDATE ON orders
WHEN OLD.state = 'archived'
BEGIN
    SELECT RAISE(ABORT, 'archived orders cannot change');
END;
CREATE TRIGGER orders_archived_no_delete BEFORE DELETE ON orders
WHEN OLD.state = 'archived'
BEGIN
    SELECT RAISE(ABORT, 'archived orders cannot change');
END;
CREATE TRIGGER order_lines_archived_no_insert BEFORE INSERT ON order_lines
WHEN (SELECT state FROM orders WHERE id = NEW.order_id) = 'archived'
BEGIN
    SELECT RAISE(ABORT, 'archived orders cannot change');
END;
CREATE TRIGGER order_lines_archived_no_update BEFORE UPDATE ON order_lines
WHEN (SELECT state FROM orders WHERE id = OLD.order_id) = 'archived'
  OR (SELECT state FROM orders WHERE id = NEW.order_id) = 'archived'
BEGIN
    SELECT RAISE(ABORT, 'archived orders cannot change');
END;
CREATE TRIGGER order_lines_archived_no_delete BEFORE DELETE ON order_lines
WHEN (SELECT state FROM orders WHERE id = OLD.order_id) = 'archived'
BEGIN
    SELECT RAISE(ABORT, 'archived orders cannot change');
END;
CREATE TRIGGER order_events_archived_no_insert BEFORE INSERT ON order_events
WHEN (SELECT state FROM orders WHERE id = NEW.order_id) = 'archived'
BEGIN
    SELECT RAISE(ABORT, 'archived orders cannot change');
END;
CREATE TRIGGER order_events_no_update BEFORE UPDATE ON order_events
BEGIN
    SELECT RAISE(ABORT, 'the order event log is append-only');
END;
CREATE TRIGGER order_events_no_delete BEFORE DELETE ON order_events
BEGIN
    SELECT RAISE(ABORT, 'the order event log is append-only');
END;
