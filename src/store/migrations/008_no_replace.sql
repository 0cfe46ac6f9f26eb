-- Version 8: REPLACE cannot get past the append-only and archive triggers.
--
-- `INSERT OR REPLACE` and `UPDATE OR REPLACE` (and `REPLACE INTO`) delete the row that
-- holds the same id or unique key before they write, and SQLite fires no delete trigger
-- for that deletion unless `recursive_triggers` is on, which no other program sets. With
-- foreign keys off (the sqlite3 shell's and Python's default) nothing else stops it. So
-- every protected row is guarded here against being the target of a conflict: an insert
-- or an update that would collide with it is refused before SQLite resolves the conflict.
-- An ordinary `INSERT` with an existing key fails on the key anyway, so these triggers
-- refuse nothing that was allowed before.
--
-- Bulk loads of new orders suspend the order-table guards inside their transaction (they
-- insert fresh ids with plain INSERTs); src/store/bulk.rs lists them.

-- Archived orders: by id and by (platform, order_no).
CREATE TRIGGER orders_archived_no_replace BEFORE INSERT ON orders
WHEN EXISTS (SELECT 1 FROM orders WHERE id = NEW.id AND state = 'archived')
  OR EXISTS (SELECT 1 FROM orders
             WHERE platform = NEW.platform AND order_no = NEW.order_no AND state = 'archived')
BEGIN
    SELECT RAISE(ABORT, 'archived orders cannot change');
END;
CREATE TRIGGER orders_archived_no_replace_by_update
BEFORE UPDATE OF id, platform, order_no ON orders
WHEN EXISTS (SELECT 1 FROM orders WHERE id = NEW.id AND id <> OLD.id AND state = 'archived')
  OR EXISTS (SELECT 1 FROM orders
             WHERE platform = NEW.platform AND order_no = NEW.order_no AND id <> OLD.id
               AND state = 'archived')
BEGIN
    SELECT RAISE(ABORT, 'archived orders cannot change');
END;

-- Order lines: an existing line is never replaced by an insert or by another line's id.
CREATE TRIGGER order_lines_no_replace BEFORE INSERT ON order_lines
WHEN EXISTS (SELECT 1 FROM order_lines WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'an order line cannot be replaced');
END;
CREATE TRIGGER order_lines_no_replace_by_update BEFORE UPDATE OF id ON order_lines
WHEN NEW.id <> OLD.id AND EXISTS (SELECT 1 FROM order_lines WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'an order line cannot be replaced');
END;

-- The append-only logs: their updates are refused already (a BEFORE UPDATE trigger fires
-- before any conflict is resolved), so only an insert over an existing id remains.
CREATE TRIGGER order_events_no_replace BEFORE INSERT ON order_events
WHEN EXISTS (SELECT 1 FROM order_events WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'the order event log is append-only');
END;
CREATE TRIGGER stock_movements_no_replace BEFORE INSERT ON stock_movements
WHEN EXISTS (SELECT 1 FROM stock_movements WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'the stock ledger is append-only: post a correcting movement instead');
END;
CREATE TRIGGER print_log_no_replace BEFORE INSERT ON print_log
WHEN EXISTS (SELECT 1 FROM print_log WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'the print log is append-only');
END;
CREATE TRIGGER voided_tracking_no_replace BEFORE INSERT ON voided_tracking
WHEN EXISTS (SELECT 1 FROM voided_tracking WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM voided_tracking WHERE number = NEW.number)
BEGIN
    SELECT RAISE(ABORT, 'the voided tracking numbers are append-only');
END;

-- A used tracking number stays on record. The pool import inserts with OR IGNORE and
-- skips numbers it already has, so a collision with a used number is ignored (the row is
-- not written) rather than aborting the whole import; either way the used row stays.
CREATE TRIGGER tracking_pool_used_no_replace BEFORE INSERT ON tracking_pool
WHEN EXISTS (SELECT 1 FROM tracking_pool WHERE id = NEW.id AND order_id IS NOT NULL)
  OR EXISTS (SELECT 1 FROM tracking_pool WHERE number = NEW.number AND order_id IS NOT NULL)
BEGIN
    SELECT RAISE(IGNORE);
END;
CREATE TRIGGER tracking_pool_used_no_replace_by_update
BEFORE UPDATE OF id, number ON tracking_pool
WHEN EXISTS (SELECT 1 FROM tracking_pool
             WHERE id = NEW.id AND id <> OLD.id AND order_id IS NOT NULL)
  OR EXISTS (SELECT 1 FROM tracking_pool
             WHERE number = NEW.number AND id <> OLD.id AND order_id IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'a used tracking number stays on record');
END;

-- A posted or cancelled stock count cannot change: its lines are not replaced either.
CREATE TRIGGER stock_count_lines_posted_no_replace BEFORE INSERT ON stock_count_lines
WHEN EXISTS (SELECT 1 FROM stock_count_lines l JOIN stock_counts c ON c.id = l.count_id
             WHERE l.count_id = NEW.count_id AND l.product_id = NEW.product_id
               AND c.status <> 'open')
BEGIN
    SELECT RAISE(ABORT, 'a posted or cancelled stock count cannot change');
END;
CREATE TRIGGER stock_count_lines_posted_no_replace_by_update
BEFORE UPDATE OF count_id, product_id ON stock_count_lines
WHEN (NEW.count_id <> OLD.count_id OR NEW.product_id <> OLD.product_id)
  AND EXISTS (SELECT 1 FROM stock_count_lines l JOIN stock_counts c ON c.id = l.count_id
              WHERE l.count_id = NEW.count_id AND l.product_id = NEW.product_id
                AND c.status <> 'open')
BEGIN
    SELECT RAISE(ABORT, 'a posted or cancelled stock count cannot change');
END;
