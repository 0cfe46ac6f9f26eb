-- Version 10: customer records and manual orders. Every order's buyer (platform and buyer
-- id; a manual order's buyer id is the receiver's phone digits) is a customer, built here
-- for the orders already in the file and kept current by a trigger on every new order,
-- whichever path writes it (import, bulk load, manual entry). A customer's figures (orders,
-- total spent, returns, addresses used) are read from the orders themselves.

CREATE TABLE customers (
    id             INTEGER PRIMARY KEY,
    platform       TEXT NOT NULL,
    buyer_id       TEXT NOT NULL CHECK (length(buyer_id) BETWEEN 1 AND 128),
    -- The name and phone of the buyer's latest order.
    name           TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    -- Comma-separated tags the shop gives (e.g. 老客户,批发).
    tags           TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    first_order_at TEXT NOT NULL,
    last_order_at  TEXT NOT NULL,
    UNIQUE (platform, buyer_id)
) STRICT;
CREATE INDEX customers_name ON customers (name);
CREATE INDEX customers_phone ON customers (phone);
CREATE INDEX customers_phone_tail ON customers (substr(phone, -4));
CREATE INDEX customers_buyer ON customers (buyer_id);
CREATE INDEX customers_last_order ON customers (last_order_at);

-- A customer's orders, straight from the index.
CREATE INDEX orders_buyer ON orders (platform, buyer_id, ordered_at) WHERE buyer_id <> '';

INSERT INTO customers (platform, buyer_id, name, phone, first_order_at, last_order_at)
SELECT platform, buyer_id, receiver_name, receiver_phone, first_at, last_at
FROM (SELECT platform, buyer_id, receiver_name, receiver_phone,
             min(ordered_at) OVER w AS first_at, max(ordered_at) OVER w AS last_at,
             row_number() OVER (PARTITION BY platform, buyer_id
                                ORDER BY ordered_at DESC, id DESC) AS latest
      FROM orders WHERE buyer_id <> ''
      WINDOW w AS (PARTITION BY platform, buyer_id))
WHERE latest = 1;

CREATE TRIGGER orders_customer AFTER INSERT ON orders WHEN NEW.buyer_id <> ''
BEGIN
    INSERT INTO customers (platform, buyer_id, name, phone, first_order_at, last_order_at)
    VALUES (NEW.platform, NEW.buyer_id, NEW.receiver_name, NEW.receiver_phone,
            NEW.ordered_at, NEW.ordered_at)
    ON CONFLICT (platform, buyer_id) DO UPDATE SET
        name = CASE WHEN excluded.last_order_at >= customers.last_order_at
                    THEN excluded.name ELSE customers.name END,
        phone = CASE WHEN excluded.last_order_at >= customers.last_order_at
                     THEN excluded.phone ELSE customers.phone END,
        first_order_at = min(customers.first_order_at, excluded.first_order_at),
        last_order_at = max(customers.last_order_at, excluded.last_order_at);
END;

-- A reshipment (补发) names its original order (orders.reship_of, from version 1) and why.
CREATE INDEX orders_reship_of ON orders (reship_of) WHERE reship_of IS NOT NULL;

-- Payments recorded by hand (到款) for orders outside a marketplace: append-only.
CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES orders (id),
    method       TEXT NOT NULL CHECK (method IN ('bank', 'cash', 'wechat', 'alipay')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    note         TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL,
    operator     TEXT NOT NULL
) STRICT;
CREATE INDEX payments_order ON payments (order_id);
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN
    SELECT RAISE(ABORT, 'recorded payments are append-only');
END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN
    SELECT RAISE(ABORT, 'recorded payments are append-only');
END;
CREATE TRIGGER payments_no_replace BEFORE INSERT ON payments
WHEN EXISTS (SELECT 1 FROM payments WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'recorded payments are append-only');
END;
