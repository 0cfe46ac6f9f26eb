-- Version 15: the flag an order carried before a case put its own (purple, blue) on it, so
-- that finishing the case gives the order back that flag, or the flag another open case
-- still needs. A case that set no flag, or one opened before this version: 'none'.
ALTER TABLE cases ADD COLUMN flag_before TEXT NOT NULL DEFAULT 'none'
    CHECK (flag_before IN ('none', 'red', 'yellow', 'green', 'blue', 'purple'));
