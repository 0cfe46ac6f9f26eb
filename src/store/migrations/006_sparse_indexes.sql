-- Version 6: two indexes become partial, so that a bulk load (the demo, a first big
-- import) keeps them up to date row by row instead of scanning the whole table to build
-- them (docs/performance.md, issues 2 and 3).

-- Only flagged orders: most orders carry no flag. A "no flag" filter reads the list in
-- its sort order instead (src/store/order_query.rs).
DROP INDEX orders_flag;
CREATE INDEX orders_flag ON orders (flag, ordered_at)
    WHERE flag <> 'none' AND merged_into IS NULL;

-- Only lines that moved to another order by a merge: unmerging looks for these.
DROP INDEX order_lines_origin;
CREATE INDEX order_lines_origin ON order_lines (origin_order_id)
    WHERE origin_order_id <> order_id;
