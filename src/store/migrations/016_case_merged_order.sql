-- Version 16: a case opened by the number of an order merged into another sits on the main
-- order (where the goods, flag and refunded amount are) and names the merged order it
-- concerns: its refunds are bounded by what that order itself paid.
ALTER TABLE cases ADD COLUMN merged_order_id INTEGER REFERENCES orders (id);
