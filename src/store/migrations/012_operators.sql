-- Operators, what each role may do, and the audit trail.

-- Who signs in, with which role. The PIN is kept as an argon2 hash (a PHC string with its
-- salt), never in clear. A disabled operator stays listed: the logs name them.
CREATE TABLE operators (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (trim(name) <> ''),
    role       TEXT NOT NULL CHECK (role IN ('owner', 'service', 'packer', 'stock')),
    pin_hash   TEXT NOT NULL CHECK (pin_hash LIKE '$argon2%'),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;

-- The owner's changes to the role × action table; the defaults are the program's
-- (src/domain/operators.rs). The owner's own row never changes.
CREATE TABLE role_permissions (
    role    TEXT NOT NULL CHECK (role IN ('service', 'packer', 'stock')),
    action  TEXT NOT NULL,
    allowed INTEGER NOT NULL CHECK (allowed IN (0, 1)),
    PRIMARY KEY (role, action)
) STRICT, WITHOUT ROWID;

-- Writes that no other log records (settings, operators, permissions, products,
-- couriers, order edits with their before and after), each in the transaction of its
-- change. Read through the view audit_trail together with the other append-only logs.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    operator TEXT NOT NULL,
    action   TEXT NOT NULL,
    target   TEXT NOT NULL DEFAULT '',
    order_id INTEGER REFERENCES orders (id),
    before   TEXT NOT NULL DEFAULT '',
    after    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_operator ON audit_log (operator, at);
CREATE INDEX audit_log_order ON audit_log (order_id) WHERE order_id IS NOT NULL;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

-- The day and operator searches of the audit trail over the older logs.
CREATE INDEX order_events_at ON order_events (at);
CREATE INDEX stock_movements_at ON stock_movements (created_at);
CREATE INDEX stock_movements_reference ON stock_movements (reference) WHERE reference <> '';
CREATE INDEX handover_parcels_scanned ON handover_parcels (scanned_at);
CREATE INDEX case_events_at ON case_events (at);

-- The whole audit trail: who (operator), when (at), what (action on target), and what it
-- changed (before, after), from every append-only log. order_id links an entry to an
-- order, for the order's history.
CREATE VIEW audit_trail (at, operator, action, target, order_id, before, after, source, id) AS
SELECT at, operator, action, target, order_id, before, after, 'audit', id FROM audit_log
UNION ALL
SELECT e.at, e.operator, 'order.' || e.event, o.order_no, e.order_id,
       CASE WHEN instr(e.detail, ' → ') > 0
            THEN substr(e.detail, 1, instr(e.detail, ' → ') - 1) ELSE '' END,
       CASE WHEN instr(e.detail, ' → ') > 0
            THEN substr(e.detail, instr(e.detail, ' → ') + length(' → ')) ELSE e.detail END,
       'order', e.id
FROM order_events e JOIN orders o ON o.id = e.order_id
UNION ALL
SELECT m.created_at, m.operator, 'stock.' || m.reason, p.code, NULL, '',
       printf('%+d', m.quantity) || CASE WHEN m.reference <> '' THEN ' ' || m.reference ELSE '' END
           || CASE WHEN m.note <> '' THEN ' (' || m.note || ')' ELSE '' END,
       'stock', m.id
FROM stock_movements m JOIN products p ON p.id = m.product_id
UNION ALL
SELECT a.at, a.operator, 'pack.' || a.result, o.order_no, a.order_id, '', a.detail, 'pack', a.id
FROM pack_attempts a JOIN orders o ON o.id = a.order_id
UNION ALL
SELECT h.scanned_at, h.operator, 'handover.scan', o.order_no, h.order_id, '',
       'hand-over ' || h.handover_id || ', ' || h.tracking_no, 'handover', h.order_id
FROM handover_parcels h JOIN orders o ON o.id = h.order_id
UNION ALL
SELECT v.at, v.operator, 'case.' || v.action, o.order_no, c.order_id, '',
       'case ' || v.case_id || CASE WHEN v.detail <> '' THEN ': ' || v.detail ELSE '' END,
       'case', v.id
FROM case_events v JOIN cases c ON c.id = v.case_id JOIN orders o ON o.id = c.order_id
UNION ALL
SELECT r.at, r.operator, 'case.refunded', o.order_no, r.order_id, '',
       'case ' || r.case_id || ', ' || printf('%.2f', r.cents / 100.0)
           || CASE WHEN r.source <> 'shop' THEN ' (' || r.source || ')' ELSE '' END,
       'refund', r.id
FROM case_refunds r JOIN orders o ON o.id = r.order_id;
