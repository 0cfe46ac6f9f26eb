//! Versioned migrations: the schema version lives in `PRAGMA user_version`, each migration
//! is one SQL file applied in one transaction. A short loop keeps us on the rusqlite version
//! we pin (the migration crates lag behind it, see ../shared/STACK.md).

use rusqlite::{Connection, TransactionBehavior};

use super::{APPLICATION_ID, Result};

/// The migrations in order; migration `n` (1-based) takes the schema from `n - 1` to `n`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_initial.sql"),
    include_str!("migrations/002_import.sql"),
    include_str!("migrations/003_order_processing.sql"),
    include_str!("migrations/004_inventory.sql"),
    include_str!("migrations/005_shipping.sql"),
    include_str!("migrations/006_sparse_indexes.sql"),
    include_str!("migrations/007_courier_identity.sql"),
    include_str!("migrations/008_no_replace.sql"),
    include_str!("migrations/009_pack_station.sql"),
    include_str!("migrations/010_customers.sql"),
    include_str!("migrations/011_after_sales.sql"),
];

/// The schema version this program writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`LATEST`]. A failed migration rolls back whole.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, LATEST)
}

/// Brings the database up to schema `version` (at most [`LATEST`]): the file a ShopDesk
/// of that version wrote, for the tests that migrate every released schema.
pub fn migrate_to(conn: &mut Connection, version: i64) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let wanted = version.clamp(0, LATEST) as usize;
    for (index, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(wanted)
        .skip(current.max(0) as usize)
    {
        let version = index as i64 + 1;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.execute_batch(&format!(
            "PRAGMA user_version = {version}; PRAGMA application_id = {APPLICATION_ID};"
        ))?;
        tx.commit()?;
    }
    Ok(())
}
