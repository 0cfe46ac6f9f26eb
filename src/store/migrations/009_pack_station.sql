-- Version 9: the pack & ship station. Every pack attempt is logged; parcels are handed
-- over to their courier in counted hand-overs; the marketplace's batch-ship file remembers
-- which orders it has given out.

-- The parcel's weight, typed or read from the scale at the pack check.
ALTER TABLE orders ADD COLUMN weight_grams INTEGER
    CHECK (weight_grams IS NULL OR weight_grams BETWEEN 1 AND 100000);

-- When the platform closed an order whose waybill was printed already (拦截): the station
-- refuses to ship it. The import sets it; older files carry the red-flag entry it wrote.
ALTER TABLE orders ADD COLUMN platform_closed_at TEXT;
UPDATE orders SET platform_closed_at = (
    SELECT max(e.at) FROM order_events e
    WHERE e.order_id = orders.id AND e.event = 'flag'
      AND e.detail = 'flag red: the platform closed the order after printing')
WHERE state IN ('printed', 'shipped')
  AND EXISTS (SELECT 1 FROM order_events e
              WHERE e.order_id = orders.id AND e.event = 'flag'
                AND e.detail = 'flag red: the platform closed the order after printing');

-- Every pack attempt at the station, whatever its result: who, when, what happened.
CREATE TABLE pack_attempts (
    id       INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    at       TEXT NOT NULL,
    operator TEXT NOT NULL,
    result   TEXT NOT NULL
        CHECK (result IN ('passed', 'mismatch', 'refused', 'abandoned', 'override')),
    detail   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX pack_attempts_order ON pack_attempts (order_id, id);
CREATE INDEX pack_attempts_at ON pack_attempts (at, result);

CREATE TRIGGER pack_attempts_no_update BEFORE UPDATE ON pack_attempts
BEGIN
    SELECT RAISE(ABORT, 'the pack attempt log is append-only');
END;
CREATE TRIGGER pack_attempts_no_delete BEFORE DELETE ON pack_attempts
BEGIN
    SELECT RAISE(ABORT, 'the pack attempt log is append-only');
END;
CREATE TRIGGER pack_attempts_no_replace BEFORE INSERT ON pack_attempts
WHEN EXISTS (SELECT 1 FROM pack_attempts WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'the pack attempt log is append-only');
END;

-- A courier's pick-up (交接): the parcels scanned into its bag, counted at the close
-- against the parcels shipped with that courier since its previous hand-over.
CREATE TABLE handovers (
    id         INTEGER PRIMARY KEY,
    courier_id INTEGER NOT NULL REFERENCES couriers (id),
    started_at TEXT NOT NULL,
    started_by TEXT NOT NULL,
    -- Parcels shipped on or after this moment count as expected (the previous hand-over's
    -- start for the courier, or the start of the day of the first one).
    since      TEXT NOT NULL,
    closed_at  TEXT,
    closed_by  TEXT,
    -- Set at the close: how many parcels were expected and how many were scanned.
    expected   INTEGER,
    scanned    INTEGER,
    CHECK ((closed_at IS NULL) = (closed_by IS NULL)),
    CHECK ((closed_at IS NULL) = (expected IS NULL) AND (closed_at IS NULL) = (scanned IS NULL))
) STRICT;
CREATE INDEX handovers_courier ON handovers (courier_id, id);
CREATE INDEX handovers_started ON handovers (started_at);
-- One open hand-over per courier.
CREATE UNIQUE INDEX handovers_open ON handovers (courier_id) WHERE closed_at IS NULL;

-- The parcels of a hand-over. A parcel goes to its courier once.
CREATE TABLE handover_parcels (
    handover_id INTEGER NOT NULL REFERENCES handovers (id),
    order_id    INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    tracking_no TEXT NOT NULL,
    scanned_at  TEXT NOT NULL,
    operator    TEXT NOT NULL,
    PRIMARY KEY (handover_id, order_id)
) STRICT, WITHOUT ROWID;

-- The shipped parcels missing at a hand-over's close, to be chased.
CREATE TABLE handover_missing (
    handover_id INTEGER NOT NULL REFERENCES handovers (id),
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    PRIMARY KEY (handover_id, order_id)
) STRICT, WITHOUT ROWID;

-- A closed hand-over is the shop's proof: it cannot change.
CREATE TRIGGER handovers_closed_no_update BEFORE UPDATE ON handovers
WHEN OLD.closed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a closed hand-over cannot change');
END;
CREATE TRIGGER handovers_no_delete BEFORE DELETE ON handovers
BEGIN
    SELECT RAISE(ABORT, 'a hand-over cannot be deleted');
END;
CREATE TRIGGER handovers_no_replace BEFORE INSERT ON handovers
WHEN EXISTS (SELECT 1 FROM handovers WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'a hand-over cannot be replaced');
END;
CREATE TRIGGER handover_parcels_closed_no_insert BEFORE INSERT ON handover_parcels
WHEN (SELECT closed_at FROM handovers WHERE id = NEW.handover_id) IS NOT NULL
  OR EXISTS (SELECT 1 FROM handover_parcels WHERE order_id = NEW.order_id)
BEGIN
    SELECT RAISE(ABORT, 'a closed hand-over cannot change');
END;
CREATE TRIGGER handover_parcels_no_update BEFORE UPDATE ON handover_parcels
BEGIN
    SELECT RAISE(ABORT, 'a scanned parcel stays in its hand-over');
END;
CREATE TRIGGER handover_parcels_no_delete BEFORE DELETE ON handover_parcels
BEGIN
    SELECT RAISE(ABORT, 'a scanned parcel stays in its hand-over');
END;
CREATE TRIGGER handover_missing_closed_no_insert BEFORE INSERT ON handover_missing
WHEN (SELECT closed_at FROM handovers WHERE id = NEW.handover_id) IS NOT NULL
  OR EXISTS (SELECT 1 FROM handover_missing
             WHERE handover_id = NEW.handover_id AND order_id = NEW.order_id)
BEGIN
    SELECT RAISE(ABORT, 'a closed hand-over cannot change');
END;
CREATE TRIGGER handover_missing_no_update BEFORE UPDATE ON handover_missing
BEGIN
    SELECT RAISE(ABORT, 'a closed hand-over cannot change');
END;
CREATE TRIGGER handover_missing_no_delete BEFORE DELETE ON handover_missing
BEGIN
    SELECT RAISE(ABORT, 'a closed hand-over cannot change');
END;

-- Shipped orders given to the marketplace in a batch-ship file, so that the next file
-- holds only the orders shipped since.
CREATE TABLE ship_exports (
    order_id    INTEGER PRIMARY KEY REFERENCES orders (id),
    exported_at TEXT NOT NULL,
    file        TEXT NOT NULL DEFAULT ''
) STRICT;

-- The orders a hand-over expects: shipped with a courier, newest shipment first.
CREATE INDEX orders_courier_shipped ON orders (courier_id, shipped_at)
    WHERE shipped_at IS NOT NULL AND merged_into IS NULL;
