-- The audit trail names what each entry changed by joining its log to the orders, the
-- products and the cases. What it names must stay named: an order, a product or a case
-- with a history is never deleted, renumbered or replaced, whatever SQL is tried.
-- Archived orders are refused by the archive triggers already (with their own message);
-- these guard the others. The program never deletes or renames any of them.

CREATE TRIGGER orders_history_no_delete BEFORE DELETE ON orders
WHEN OLD.state <> 'archived'
 AND EXISTS (SELECT 1 FROM order_events WHERE order_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'an order with a history is kept: the audit trail names it');
END;

CREATE TRIGGER orders_history_no_renumber BEFORE UPDATE OF id, platform, order_no ON orders
WHEN OLD.state <> 'archived'
 AND (NEW.id <> OLD.id OR NEW.platform <> OLD.platform OR NEW.order_no <> OLD.order_no)
BEGIN
    SELECT RAISE(ABORT, 'an order''s number never changes: the audit trail names it');
END;

-- REPLACE deletes the row it collides with without firing a delete trigger.
CREATE TRIGGER orders_history_no_replace BEFORE INSERT ON orders
WHEN EXISTS (SELECT 1 FROM orders WHERE id = NEW.id AND state <> 'archived')
  OR EXISTS (SELECT 1 FROM orders
             WHERE platform = NEW.platform AND order_no = NEW.order_no
               AND state <> 'archived')
BEGIN
    SELECT RAISE(ABORT, 'an order with a history is kept: the audit trail names it');
END;

CREATE TRIGGER products_history_no_delete BEFORE DELETE ON products
WHEN EXISTS (SELECT 1 FROM stock_movements WHERE product_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'a product with stock movements is kept: the audit trail names it');
END;

CREATE TRIGGER products_code_fixed BEFORE UPDATE OF id, code ON products
WHEN NEW.id <> OLD.id OR NEW.code <> OLD.code
BEGIN
    SELECT RAISE(ABORT, 'a product''s code never changes: the audit trail names it');
END;

CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
BEGIN
    SELECT RAISE(ABORT, 'an after-sales case is kept: the audit trail names it');
END;

CREATE TRIGGER cases_order_fixed BEFORE UPDATE OF id, order_id ON cases
WHEN NEW.id <> OLD.id OR NEW.order_id <> OLD.order_id
BEGIN
    SELECT RAISE(ABORT, 'an after-sales case stays on its order: the audit trail names it');
END;

CREATE TRIGGER cases_no_replace BEFORE INSERT ON cases
WHEN EXISTS (SELECT 1 FROM cases WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'an after-sales case is kept: the audit trail names it');
END;

-- What was given to the marketplace decides what the next batch-ship file leaves out:
-- kept as written.
CREATE TRIGGER ship_exports_no_update BEFORE UPDATE ON ship_exports
BEGIN
    SELECT RAISE(ABORT, 'the record of batch-ship files is append-only');
END;
CREATE TRIGGER ship_exports_no_delete BEFORE DELETE ON ship_exports
BEGIN
    SELECT RAISE(ABORT, 'the record of batch-ship files is append-only');
END;

-- The damaged-goods ledger joins the trail: by day, and by the case it names.
CREATE INDEX damaged_movements_at ON damaged_movements (created_at);
CREATE INDEX damaged_movements_reference ON damaged_movements (reference) WHERE reference <> '';

-- The whole trail again, with each log's entries kept even where what they name is gone
-- (shown as #id), the damaged-goods ledger added, and a detail with several changes ("a: x → y; b: u → v") left whole in
-- `after` instead of split at its first arrow.
DROP VIEW audit_trail;
CREATE VIEW audit_trail (at, operator, action, target, order_id, before, after, source, id) AS
SELECT at, operator, action, target, order_id, before, after, 'audit', id FROM audit_log
UNION ALL
SELECT e.at, e.operator, 'order.' || e.event, coalesce(o.order_no, '#' || e.order_id),
       e.order_id,
       CASE WHEN instr(e.detail, ' → ') > 0
             AND instr(substr(e.detail, instr(e.detail, ' → ') + 3), ' → ') = 0
            THEN substr(e.detail, 1, instr(e.detail, ' → ') - 1) ELSE '' END,
       CASE WHEN instr(e.detail, ' → ') > 0
             AND instr(substr(e.detail, instr(e.detail, ' → ') + 3), ' → ') = 0
            THEN substr(e.detail, instr(e.detail, ' → ') + 3) ELSE e.detail END,
       'order', e.id
FROM order_events e LEFT JOIN orders o ON o.id = e.order_id
UNION ALL
SELECT m.created_at, m.operator, 'stock.' || m.reason, coalesce(p.code, '#' || m.product_id),
       NULL, '',
       printf('%+d', m.quantity) || CASE WHEN m.reference <> '' THEN ' ' || m.reference ELSE '' END
           || CASE WHEN m.note <> '' THEN ' (' || m.note || ')' ELSE '' END,
       'stock', m.id
FROM stock_movements m LEFT JOIN products p ON p.id = m.product_id
UNION ALL
SELECT a.at, a.operator, 'pack.' || a.result, coalesce(o.order_no, '#' || a.order_id),
       a.order_id, '', a.detail, 'pack', a.id
FROM pack_attempts a LEFT JOIN orders o ON o.id = a.order_id
UNION ALL
SELECT h.scanned_at, h.operator, 'handover.scan', coalesce(o.order_no, '#' || h.order_id),
       h.order_id, '', 'hand-over ' || h.handover_id || ', ' || h.tracking_no, 'handover',
       h.order_id
FROM handover_parcels h LEFT JOIN orders o ON o.id = h.order_id
UNION ALL
SELECT v.at, v.operator, 'case.' || v.action,
       coalesce(o.order_no, '#' || c.order_id, 'case ' || v.case_id), c.order_id, '',
       'case ' || v.case_id || CASE WHEN v.detail <> '' THEN ': ' || v.detail ELSE '' END,
       'case', v.id
FROM case_events v LEFT JOIN cases c ON c.id = v.case_id LEFT JOIN orders o ON o.id = c.order_id
UNION ALL
SELECT r.at, r.operator, 'case.refunded', coalesce(o.order_no, '#' || r.order_id), r.order_id,
       '',
       'case ' || r.case_id || ', ' || printf('%.2f', r.cents / 100.0)
           || CASE WHEN r.source <> 'shop' THEN ' (' || r.source || ')' ELSE '' END,
       'refund', r.id
FROM case_refunds r LEFT JOIN orders o ON o.id = r.order_id
UNION ALL
SELECT d.created_at, d.operator, 'damaged.' || d.reason, coalesce(p.code, '#' || d.product_id),
       NULL, '',
       printf('%+d', d.quantity) || CASE WHEN d.reference <> '' THEN ' ' || d.reference ELSE '' END
           || CASE WHEN d.note <> '' THEN ' (' || d.note || ')' ELSE '' END,
       'damaged', d.id
FROM damaged_movements d LEFT JOIN products p ON p.id = d.product_id;
