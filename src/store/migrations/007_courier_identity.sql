-- Version 7: an order refers to its courier record, couriers answer to aliases, and a
-- tracking number replaced by an explicit courier change is voided for good.
--
-- Before this, an order carried its courier only as text, and the text came in several
-- spellings (the demo wrote the code `SF`, a waybill print the name `顺丰速运`, a Taobao
-- export `顺丰快递`), so comparing texts took an order's own courier for another one.

-- The courier record of an order. NULL where the text names no record, and on archived
-- orders, which cannot change (migration 001's triggers): for those the store resolves
-- the text through codes, names and aliases when it reads them (src/store/shipping.rs).
ALTER TABLE orders ADD COLUMN courier_id INTEGER REFERENCES couriers (id);

-- More names a courier answers to. One table with the alias as its key, rather than a
-- list in a column of `couriers`: the key makes one alias name one courier only, in the
-- database, and finding a courier by an imported name is one index lookup. NOCASE folds
-- Latin letters as `domain::shipping::courier_key` does.
CREATE TABLE courier_aliases (
    alias      TEXT PRIMARY KEY NOT NULL COLLATE NOCASE
        CHECK (alias = trim(alias) AND length(alias) BETWEEN 1 AND 64),
    courier_id INTEGER NOT NULL REFERENCES couriers (id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX courier_aliases_courier ON courier_aliases (courier_id);

-- The usual other spellings of the sample shop's couriers, where a courier with that code
-- exists and no courier already goes by that name.
WITH seed (code, alias) AS (VALUES
    ('SF', '顺丰快递'), ('SF', '顺丰'), ('SF', '顺丰物流'), ('SF', 'SF Express'),
    ('ZTO', '中通'), ('ZTO', '中通速递'), ('ZTO', 'ZTO Express'),
    ('YTO', '圆通'), ('YTO', '圆通快递'), ('YTO', 'YTO Express'),
    ('YUNDA', '韵达'), ('YUNDA', '韵达速递'), ('YUNDA', 'Yunda Express'),
    ('STO', '申通'), ('STO', '申通速递'), ('STO', 'STO Express'))
INSERT OR IGNORE INTO courier_aliases (alias, courier_id)
SELECT seed.alias, c.id FROM seed JOIN couriers c ON c.code = seed.code
WHERE NOT EXISTS (SELECT 1 FROM couriers o
                  WHERE o.code = seed.alias COLLATE NOCASE OR o.name = seed.alias COLLATE NOCASE);

-- Orders that may still change get their courier record now: by code, then name, then
-- alias. Archived orders are left as they are (the trigger would refuse them anyway).
UPDATE orders SET courier_id = (
    SELECT id FROM (
        SELECT c.id AS id, 0 AS rank FROM couriers c
        WHERE c.code = trim(orders.courier) COLLATE NOCASE
        UNION ALL
        SELECT c.id, 1 FROM couriers c WHERE c.name = trim(orders.courier) COLLATE NOCASE
        UNION ALL
        SELECT a.courier_id, 2 FROM courier_aliases a WHERE a.alias = trim(orders.courier))
    ORDER BY rank, id LIMIT 1)
WHERE state <> 'archived' AND trim(courier) <> '';

-- Tracking numbers taken off an order by an explicit courier change: which order, whose
-- number it was, when, who and why. The label may already be on a parcel, so the number
-- is never given to an order or put in a pool again (the triggers below).
CREATE TABLE voided_tracking (
    id         INTEGER PRIMARY KEY,
    number     TEXT NOT NULL UNIQUE,
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    -- The courier record, when the order named one; `courier` is its text as it stood.
    courier_id INTEGER REFERENCES couriers (id),
    courier    TEXT NOT NULL,
    voided_at  TEXT NOT NULL,
    operator   TEXT NOT NULL,
    reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0)
) STRICT;
CREATE INDEX voided_tracking_order ON voided_tracking (order_id);

CREATE TRIGGER voided_tracking_no_update BEFORE UPDATE ON voided_tracking
BEGIN
    SELECT RAISE(ABORT, 'the voided tracking numbers are append-only');
END;
CREATE TRIGGER voided_tracking_no_delete BEFORE DELETE ON voided_tracking
BEGIN
    SELECT RAISE(ABORT, 'the voided tracking numbers are append-only');
END;
CREATE TRIGGER tracking_pool_not_voided BEFORE INSERT ON tracking_pool
WHEN EXISTS (SELECT 1 FROM voided_tracking v WHERE v.number = NEW.number)
BEGIN
    SELECT RAISE(ABORT, 'a voided tracking number is never used again');
END;
CREATE TRIGGER orders_tracking_not_voided BEFORE UPDATE OF tracking_no ON orders
WHEN NEW.tracking_no <> ''
  AND EXISTS (SELECT 1 FROM voided_tracking v WHERE v.number = NEW.tracking_no)
BEGIN
    SELECT RAISE(ABORT, 'a voided tracking number is never used again');
END;
