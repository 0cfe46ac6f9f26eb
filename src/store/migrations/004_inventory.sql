-- Inventory: stock counts (盘点), an index that pages a product's ledger and
-- sums it from the end, and purchase lookups by status.

-- A stock count: started for all products or a bin range, counted, then posted as
-- `stock_count` movements in one transaction (or cancelled).
CREATE TABLE stock_counts (
    id         INTEGER PRIMARY KEY,
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'posted', 'cancelled')),
    bin_from   TEXT NOT NULL DEFAULT '',
    bin_to     TEXT NOT NULL DEFAULT '',
    operator   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    posted_at  TEXT
) STRICT;

-- One line per product in the count's scope; `counted` stays NULL until entered or scanned.
CREATE TABLE stock_count_lines (
    count_id   INTEGER NOT NULL REFERENCES stock_counts (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products (id),
    -- On hand when the count started (for information; posting compares with on hand then).
    expected   INTEGER NOT NULL,
    counted    INTEGER CHECK (counted IS NULL OR counted >= 0),
    -- The difference posted, filled in when the count is posted.
    posted_difference INTEGER,
    PRIMARY KEY (count_id, product_id)
) STRICT, WITHOUT ROWID;

-- A posted count cannot change.
CREATE TRIGGER stock_count_lines_posted_no_update BEFORE UPDATE ON stock_count_lines
WHEN (SELECT status FROM stock_counts WHERE id = OLD.count_id) <> 'open'
BEGIN
    SELECT RAISE(ABORT, 'a posted or cancelled stock count cannot change');
END;

-- The ledger by product with the quantity, so a page of it and the sum of the movements
-- after that page come from the index alone.
DROP INDEX stock_movements_product;
CREATE INDEX stock_movements_product ON stock_movements (product_id, id, quantity);

CREATE INDEX purchases_status ON purchases (status, expected_date);
