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
    include_str!("migrations/012_operators.sql"),
    SEARCH_PLACES,
    include_str!("migrations/014_audit_targets.sql"),
    include_str!("migrations/015_case_flags.sql"),
    include_str!("migrations/016_case_merged_order.sql"),
];

/// Empties the search index, which the migration then writes again (with city, district,
/// street address, seller remark and the order numbers' tails) from the orders.
const SEARCH_PLACES: &str = include_str!("migrations/013_search_places.sql");

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
        if *sql == SEARCH_PLACES {
            super::orders::rebuild_search(&tx)?;
        }
        tx.execute_batch(&format!(
            "PRAGMA user_version = {version}; PRAGMA application_id = {APPLICATION_ID};"
        ))?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::NewOrder;
    use crate::store::{OrderQuery, Store};

    /// A file whose search entries were written before city, district and the order
    /// number's tail were indexed finds its orders by them once migrated.
    #[test]
    fn the_search_migration_writes_every_entry_again() {
        let mut store = Store::open_in_memory().expect("store");
        let mut o = NewOrder::new("taobao", "4012345678901234", "2026-11-20T10:00:00+08:00");
        o.receiver_name = "张伟".to_owned();
        o.city = "杭州市".to_owned();
        o.district = "西湖区".to_owned();
        let ids = store.insert_orders(&[o], "test", "owner").expect("insert");
        let before = MIGRATIONS
            .iter()
            .position(|m| *m == SEARCH_PLACES)
            .expect("listed") as i64;
        // The entry as the older schema wrote it: no city, no district, no tail.
        store
            .conn
            .execute_batch(&format!(
                "INSERT INTO order_search (order_search) VALUES ('delete-all');
                 INSERT INTO order_search (rowid, body) VALUES ({}, '4012345678901234 | 张 伟');
                 PRAGMA user_version = {before};",
                ids[0]
            ))
            .expect("old entry");
        let found = |store: &Store, text: &str| {
            store
                .query_orders(&OrderQuery {
                    search: text.to_owned(),
                    ..OrderQuery::default()
                })
                .expect("search")
                .len()
        };
        assert_eq!(found(&store, "西湖区"), 0);
        migrate_to(&mut store.conn, before + 1).expect("migrate");
        for text in ["西湖区", "杭州", "张伟", "901234", "4012345678"] {
            assert_eq!(found(&store, text), 1, "{text}");
        }
        assert_eq!(found(&store, "901235"), 0);
    }
}
