-- Version 6: fewer index entries for a bulk load (the demo, a first big import) to build
-- (docs/performance.md). Two indexes become partial, so the load keeps
-- them up to date row by row instead of scanning the whole table to build them, and a
-- duplicate goes.

-- Only flagged orders: most orders carry no flag. A "no flag" filter reads the list in
-- its sort order instead (src/store/order_query.rs).
DROP INDEX orders_flag;
CREATE INDEX orders_flag ON orders (flag, ordered_at)
    WHERE flag <> 'none' AND merged_into IS NULL;

-- Only lines that moved to another order by a merge: unmerging looks for these.
DROP INDEX order_lines_origin;
CREATE INDEX order_lines_origin ON order_lines (origin_order_id)
    WHERE origin_order_id <> order_id;

-- One index on the state, not two: `orders_state_rank` (migration 003) orders by the life
-- cycle and serves state filters written with the same rank expression
-- (`order_query::state_in`); `(state, ordered_at)` only duplicated it.
DROP INDEX orders_state_ordered;

-- The search index buffers up to 16 MB of new entries in memory before writing them as a
-- segment (FTS5's default is 1 MB): a 100,000-order import then writes one or two
-- segments instead of a dozen that are merged again right away.
INSERT INTO order_search (order_search, rank) VALUES ('hashsize', 16777216);
