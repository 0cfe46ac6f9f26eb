-- Version 13: the order search finds a receiver by city, district or street address, an
-- order by the seller's remark and by the tail of its number (src/domain/search.rs).
-- Every entry of the search index is written again: this empties the index, and the
-- migration then writes each order's entry from what is stored (`orders::rebuild_search`),
-- in this same transaction.
INSERT INTO order_search (order_search) VALUES ('delete-all');
