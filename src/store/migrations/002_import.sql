-- Version 2: the CSV import's saved column mappings and its log.

CREATE TABLE import_profiles (
    name       TEXT PRIMARY KEY NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
    -- The mapping as JSON (src/import/mapped.rs `ColumnMapping`).
    mapping    TEXT NOT NULL CHECK (json_valid(mapping)),
    updated_at TEXT NOT NULL
) STRICT;

-- One row per committed import: who, when, which files, what happened.
CREATE TABLE imports (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    operator  TEXT NOT NULL,
    format    TEXT NOT NULL,
    files     TEXT NOT NULL,
    new       INTEGER NOT NULL CHECK (new >= 0),
    updated   INTEGER NOT NULL CHECK (updated >= 0),
    unchanged INTEGER NOT NULL CHECK (unchanged >= 0),
    rejected  INTEGER NOT NULL CHECK (rejected >= 0)
) STRICT;
