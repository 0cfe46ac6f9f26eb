-- Version 11: after-sales (售后). A case is its own record pointing at one order, so a
-- case on an archived order leaves the order untouched. Its log, its refunds and the
-- damaged-goods ledger are append-only, like the stock ledger.

-- The reasons a case can give; editable, codes stay stable for the figures.
CREATE TABLE case_reasons (
    code     TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
    label    TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 80),
    label_zh TEXT NOT NULL CHECK (length(label_zh) BETWEEN 1 AND 80),
    position INTEGER NOT NULL DEFAULT 0,
    active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT, WITHOUT ROWID;
INSERT INTO case_reasons (code, label, label_zh, position) VALUES
    ('no_reason_7day', '7-day no reason', '七天无理由', 1),
    ('quality', 'Quality problem', '质量问题', 2),
    ('wrong_item', 'Wrong item sent', '发错货', 3),
    ('missing_item', 'Missing item', '漏发/少件', 4),
    ('damaged_in_transit', 'Damaged in transit', '运输破损', 5),
    ('damaged_by_packing', 'Damaged by packing', '包装破损', 6),
    ('size_colour', 'Size/colour', '尺码/颜色不合适', 7),
    ('not_received', 'Not received', '未收到货', 8),
    ('other', 'Other', '其他', 9);

CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    order_id           INTEGER NOT NULL REFERENCES orders (id),
    kind               TEXT NOT NULL
        CHECK (kind IN ('refund', 'return', 'exchange', 'reship', 'complaint')),
    status             TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'waiting_return', 'return_received', 'refunded',
                          'exchanged', 'reshipped', 'closed', 'rejected')),
    reason             TEXT NOT NULL REFERENCES case_reasons (code),
    owner              TEXT NOT NULL DEFAULT '',
    note               TEXT NOT NULL DEFAULT '',
    goods_received     INTEGER NOT NULL DEFAULT 0 CHECK (goods_received IN (0, 1)),
    -- What the buyer asked for at the opening, and what the case refunded so far.
    requested_cents    INTEGER NOT NULL DEFAULT 0 CHECK (requested_cents >= 0),
    refund_cents       INTEGER NOT NULL DEFAULT 0 CHECK (refund_cents >= 0),
    responsibility     TEXT NOT NULL DEFAULT 'none'
        CHECK (responsibility IN ('none', 'courier', 'packing', 'supplier', 'buyer')),
    -- The evidence for a courier claim, and the packer of a packing fault.
    courier            TEXT NOT NULL DEFAULT '',
    tracking_no        TEXT NOT NULL DEFAULT '',
    courier_signed     INTEGER NOT NULL DEFAULT 0 CHECK (courier_signed IN (0, 1)),
    packer             TEXT NOT NULL DEFAULT '',
    -- The hand-over list that proves the courier took the parcel.
    handover_id        INTEGER REFERENCES handovers (id),
    -- The buyer's parcel back.
    return_tracking    TEXT NOT NULL DEFAULT '',
    -- The exchange's replacement or the reshipment order.
    new_order_id       INTEGER REFERENCES orders (id),
    -- The flag the case put on the order ('none': it set none).
    flag_set           TEXT NOT NULL DEFAULT 'none'
        CHECK (flag_set IN ('none', 'red', 'yellow', 'green', 'blue', 'purple')),
    -- The marketplace's refund number, for a case created or updated by a refund import.
    platform_refund_no TEXT UNIQUE,
    reject_reason      TEXT NOT NULL DEFAULT '',
    opened_at          TEXT NOT NULL,
    received_at        TEXT,
    refunded_at        TEXT,
    closed_at          TEXT,
    -- Minutes from opening to closing (or rejecting), written with `closed_at`: the
    -- average handling time is read from the index below alone.
    handling_minutes   INTEGER,
    -- When the next step is due; past it the case is overdue.
    due_at             TEXT,
    updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX cases_order ON cases (order_id);
CREATE INDEX cases_status ON cases (status, id);
CREATE INDEX cases_opened ON cases (opened_at, kind, reason);
CREATE INDEX cases_closed ON cases (closed_at, handling_minutes) WHERE closed_at IS NOT NULL;
CREATE INDEX cases_due ON cases (due_at) WHERE status NOT IN ('closed', 'rejected');
CREATE INDEX cases_kind ON cases (kind, id);
-- Returns and exchanges by reason over a month.
CREATE INDEX cases_kind_opened ON cases (kind, opened_at, reason);
CREATE INDEX cases_reason ON cases (reason, id);
CREATE INDEX cases_owner ON cases (owner, id);
-- An owner's unfinished cases (the query repeats the WHERE terms).
CREATE INDEX cases_owner_unfinished ON cases (owner, id) WHERE status NOT IN ('closed', 'rejected');
CREATE INDEX cases_return_tracking ON cases (return_tracking);

-- The lines and quantities a case is about, and what came back of them.
CREATE TABLE case_lines (
    case_id          INTEGER NOT NULL REFERENCES cases (id),
    code             TEXT NOT NULL,
    product_id       INTEGER REFERENCES products (id),
    title            TEXT NOT NULL DEFAULT '',
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL DEFAULT 0 CHECK (unit_price_cents >= 0),
    sellable         INTEGER NOT NULL DEFAULT 0 CHECK (sellable >= 0),
    damaged          INTEGER NOT NULL DEFAULT 0 CHECK (damaged >= 0),
    CHECK (sellable + damaged <= quantity),
    UNIQUE (case_id, code)
) STRICT;

-- Who did what to a case, and when.
CREATE TABLE case_events (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    at       TEXT NOT NULL,
    operator TEXT NOT NULL,
    action   TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX case_events_case ON case_events (case_id, id);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'the case log is append-only');
END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'the case log is append-only');
END;
CREATE TRIGGER case_events_no_replace BEFORE INSERT ON case_events
WHEN EXISTS (SELECT 1 FROM case_events WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'the case log is append-only');
END;

-- Every refund a case made. `on_order` says whether it was added to the order's refunded
-- amount (an archived order cannot change: its refunds are added when it is read).
CREATE TABLE case_refunds (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    order_id INTEGER NOT NULL REFERENCES orders (id),
    cents    INTEGER NOT NULL CHECK (cents <> 0),
    on_order INTEGER NOT NULL CHECK (on_order IN (0, 1)),
    -- 'shop', or the marketplace refund number of an import.
    source   TEXT NOT NULL DEFAULT 'shop',
    at       TEXT NOT NULL,
    operator TEXT NOT NULL
) STRICT;
CREATE INDEX case_refunds_at ON case_refunds (at, cents);
CREATE INDEX case_refunds_order ON case_refunds (order_id) WHERE on_order = 0;
CREATE INDEX case_refunds_case ON case_refunds (case_id);
CREATE TRIGGER case_refunds_no_update BEFORE UPDATE ON case_refunds
BEGIN
    SELECT RAISE(ABORT, 'refunds are append-only: record a correction instead');
END;
CREATE TRIGGER case_refunds_no_delete BEFORE DELETE ON case_refunds
BEGIN
    SELECT RAISE(ABORT, 'refunds are append-only: record a correction instead');
END;
CREATE TRIGGER case_refunds_no_replace BEFORE INSERT ON case_refunds
WHEN EXISTS (SELECT 1 FROM case_refunds WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'refunds are append-only: record a correction instead');
END;

-- Return parcels as they arrive (退货到货). One without a case (无单退货) waits to be matched.
CREATE TABLE return_parcels (
    id          INTEGER PRIMARY KEY,
    tracking_no TEXT NOT NULL DEFAULT '',
    courier     TEXT NOT NULL DEFAULT '',
    case_id     INTEGER REFERENCES cases (id),
    -- What was in it, as the stock keeper wrote it down.
    contents    TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    operator    TEXT NOT NULL,
    matched_at  TEXT
) STRICT;
CREATE INDEX return_parcels_tracking ON return_parcels (tracking_no) WHERE tracking_no <> '';
CREATE INDEX return_parcels_unmatched ON return_parcels (received_at) WHERE case_id IS NULL;
CREATE INDEX return_parcels_case ON return_parcels (case_id) WHERE case_id IS NOT NULL;
CREATE TRIGGER return_parcels_match_once BEFORE UPDATE ON return_parcels
WHEN OLD.case_id IS NOT NULL OR NEW.id <> OLD.id OR NEW.received_at <> OLD.received_at
BEGIN
    SELECT RAISE(ABORT, 'a matched return parcel cannot change');
END;
CREATE TRIGGER return_parcels_no_delete BEFORE DELETE ON return_parcels
BEGIN
    SELECT RAISE(ABORT, 'return parcels are kept for good');
END;

-- Damaged goods (残次): returned, not sellable, kept apart until repaired (back on hand),
-- written off or sent back to the supplier. Append-only; `products.damaged` is its sum,
-- which `shopdesk check` proves.
ALTER TABLE products ADD COLUMN damaged INTEGER NOT NULL DEFAULT 0;
CREATE TABLE damaged_movements (
    id         INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity   INTEGER NOT NULL CHECK (quantity <> 0),
    reason     TEXT NOT NULL CHECK (reason IN ('return', 'repair', 'write_off', 'to_supplier')),
    reference  TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    operator   TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX damaged_movements_product ON damaged_movements (product_id, id);
CREATE TRIGGER damaged_movements_no_update BEFORE UPDATE ON damaged_movements
BEGIN
    SELECT RAISE(ABORT, 'the damaged-goods ledger is append-only');
END;
CREATE TRIGGER damaged_movements_no_delete BEFORE DELETE ON damaged_movements
BEGIN
    SELECT RAISE(ABORT, 'the damaged-goods ledger is append-only');
END;
CREATE TRIGGER damaged_movements_no_replace BEFORE INSERT ON damaged_movements
WHEN EXISTS (SELECT 1 FROM damaged_movements WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'the damaged-goods ledger is append-only');
END;
CREATE TRIGGER damaged_movements_not_below_zero BEFORE INSERT ON damaged_movements
WHEN (SELECT damaged FROM products WHERE id = NEW.product_id) + NEW.quantity < 0
BEGIN
    SELECT RAISE(ABORT, 'fewer damaged goods are kept than that');
END;
CREATE TRIGGER damaged_movements_balance AFTER INSERT ON damaged_movements
BEGIN
    UPDATE products SET damaged = damaged + NEW.quantity WHERE id = NEW.product_id;
END;

-- Following up unpaid orders (未付款订单跟进) is counted: an order event 'follow_up'.
CREATE INDEX order_events_follow_up ON order_events (at) WHERE event = 'follow_up';

-- The service queues and their counts, from sparse indexes of their own (a query must
-- repeat each index's WHERE terms exactly to use it: see UNPAID and PROBLEM in
-- src/store/after_sales.rs).
CREATE INDEX orders_unpaid ON orders (ordered_at)
    WHERE payment_status = 'unpaid' AND cash_on_delivery = 0
      AND state IN ('pending_review', 'approved') AND merged_into IS NULL;
CREATE INDEX orders_problem ON orders (ordered_at)
    WHERE (on_hold = 1 OR flag = 'red') AND state NOT IN ('archived', 'cancelled')
      AND merged_into IS NULL;
