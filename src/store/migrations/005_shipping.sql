-- Shipping documents: couriers, their pools of tracking numbers, pick-list
-- batches with their order slots, and the log of every print and reprint.

CREATE TABLE couriers (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE CHECK (length(trim(code)) BETWEEN 1 AND 32),
    name           TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 64),
    label_size     TEXT NOT NULL DEFAULT '100x150'
        CHECK (label_size IN ('100x150', '100x180', '76x130', '4x6', 'a4')),
    -- Overrides of the sender in Settings; empty = use Settings.
    sender_name    TEXT NOT NULL DEFAULT '',
    sender_phone   TEXT NOT NULL DEFAULT '',
    sender_address TEXT NOT NULL DEFAULT '',
    -- A pre-printed form template (src/domain/shipping.rs parse_template); empty = label.
    template       TEXT NOT NULL DEFAULT '',
    offset_x       REAL NOT NULL DEFAULT 0,
    offset_y       REAL NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;

-- Numbers a courier allocated to the shop, used in import order; never twice.
CREATE TABLE tracking_pool (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE CHECK (length(number) BETWEEN 6 AND 32),
    courier_id  INTEGER NOT NULL REFERENCES couriers (id),
    order_id    INTEGER REFERENCES orders (id),
    imported_at TEXT NOT NULL,
    used_at     TEXT
) STRICT;
CREATE INDEX tracking_pool_free ON tracking_pool (courier_id, id) WHERE order_id IS NULL;
CREATE INDEX tracking_pool_order ON tracking_pool (order_id) WHERE order_id IS NOT NULL;

CREATE TRIGGER tracking_pool_never_twice BEFORE UPDATE OF order_id ON tracking_pool
WHEN OLD.order_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a tracking number is never used twice');
END;
CREATE TRIGGER tracking_pool_keep_used BEFORE DELETE ON tracking_pool
WHEN OLD.order_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a used tracking number stays on record');
END;

CREATE TABLE pick_batches (
    id         INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    operator   TEXT NOT NULL
) STRICT;

-- The orders of a batch and their slots (1, 2, 3…), the order the packer works in.
CREATE TABLE pick_batch_orders (
    batch_id INTEGER NOT NULL REFERENCES pick_batches (id),
    slot     INTEGER NOT NULL CHECK (slot > 0),
    order_id INTEGER NOT NULL REFERENCES orders (id),
    PRIMARY KEY (batch_id, slot),
    UNIQUE (batch_id, order_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX pick_batch_orders_order ON pick_batch_orders (order_id);

-- Every print and reprint of a document, append-only.
CREATE TABLE print_log (
    id         INTEGER PRIMARY KEY,
    batch_id   INTEGER REFERENCES pick_batches (id),
    document   TEXT NOT NULL CHECK (document IN ('picklist', 'slips', 'waybills')),
    orders     INTEGER NOT NULL CHECK (orders >= 0),
    reprints   INTEGER NOT NULL CHECK (reprints >= 0),
    printed_at TEXT NOT NULL,
    operator   TEXT NOT NULL
) STRICT;
CREATE TRIGGER print_log_no_update BEFORE UPDATE ON print_log
BEGIN
    SELECT RAISE(ABORT, 'the print log is append-only');
END;
CREATE TRIGGER print_log_no_delete BEFORE DELETE ON print_log
BEGIN
    SELECT RAISE(ABORT, 'the print log is append-only');
END;
