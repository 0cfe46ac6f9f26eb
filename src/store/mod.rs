//! The only code that knows SQL: the schema, its migrations, and one function per user
//! action, each in one transaction.
//!
//! **Architecture invariant:** every write opens an `IMMEDIATE` transaction and either
//! commits all of its changes or none; a refused or failed action leaves the file as it was.

mod after_sales;
pub mod audit;
pub mod backup;
mod bulk;
mod demo;
mod import;
mod inventory;
mod manual;
mod migrations;
mod operators;
pub use migrations::{LATEST as SCHEMA_VERSION, migrate_to};
mod order_query;
mod orders;
mod pack;
mod processing;
mod products;
mod settings;
mod share;
mod shipping;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use after_sales::{
    CaseDetail, CaseEdit, CaseEvent, CaseFigures, CaseFilter, CaseLine, CasePage, CaseReason,
    CaseRefund, CaseRow, DamagedRow, ImportedRefund, NewCase, ParcelMatch, QueueRow, RefundImport,
    UnknownParcel,
};
pub use audit::{AuditEntry, AuditQuery};
pub use demo::{DemoSummary, DemoTimings};
pub use import::{
    ImportSummary, PLATFORM_CLOSED_REMARK, PLATFORM_RECEIVER_REMARK, PLATFORM_SHIPPED_REMARK,
    UnmatchedSku,
};
pub use inventory::{
    CountDetail, CountLineRow, CountPosted, CountRow, LedgerPage, LedgerRow, NewPurchase,
    NewPurchaseLine, ProductDetail, ProductExportRow, ProductFilter, ProductImportSummary,
    ProductPage, PurchaseLineRow, PurchaseRow, Receipt, count_reference, purchase_reference,
};
pub use manual::{CustomerDetail, CustomerRow, ManualLine, ManualOrder, Receiver, UsedAddress};
pub use operators::{Credentials, OperatorRow};
pub use order_query::{DateKind, OrderCount, OrderQuery, OrderSort, StateFilter};
pub use orders::{OrderDetail, OrderEventRow, OrderLineRow, OrderRow};
pub use pack::{
    BatchProgress, BatchSlot, Handover, HandoverFilter, HandoverParcel, HandoverRow, HandoverScan,
    PackAttemptRow, PackCounters, PackFind, PackOrder, ShipResult,
};
pub use processing::{ReceiverEdit, ReviewOutcome};
pub use products::StockRow;
pub use settings::{Language, Settings, default_documents_dir};
pub use shipping::{BatchRow, CourierRow, Document, PrintOutcome, ShippedRow, batch_number};

use crate::domain::Refusal;

/// `application_id` of a ShopDesk file: "SHOP" in ASCII. A file with another id is refused.
pub const APPLICATION_ID: i32 = 0x5348_4F50;

/// Everything that can go wrong in the store, in words for the user.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path}: this file is not a ShopDesk database (application id {found:#x}); \
         choose a ShopDesk file or a path for a new one"
    )]
    NotShopDesk { path: PathBuf, found: i32 },
    #[error(
        "{path}: written by a newer ShopDesk (schema version {found}, this program knows up to \
         {known}); update ShopDesk to open it"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "{path} is damaged ({detail}); ShopDesk will not write to it (reading it still works, \
         to copy out what you need): {}",
        restore_hint(last_backup.as_deref())
    )]
    Damaged {
        path: PathBuf,
        detail: String,
        /// The newest backup in the file's backup folder, offered as the way out.
        last_backup: Option<PathBuf>,
    },
    #[error(
        "{path} was not updated to this ShopDesk's schema: the backup that comes first \
         failed ({reason}); nothing was changed. Make the backup folder reachable and give it \
         room (plug in the USB disk, free some space), then open the file again"
    )]
    MigrationBackupFailed {
        path: PathBuf,
        version: i64,
        reason: String,
    },
    #[error(
        "{path} is on a network share ({filesystem} at {mount}): SQLite's locks do not hold \
         over a network file system, and two programs using the file at once corrupt it. \
         Copy the file to a local disk and open it there (a synced or network folder is \
         fine for backups)"
    )]
    NetworkShare {
        path: PathBuf,
        filesystem: String,
        mount: PathBuf,
    },
    #[error("{path} cannot be restored: {reason}; the shop's file was not changed")]
    RestoreRefused { path: PathBuf, reason: String },
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}{advice}", advice = sqlite_advice(.0))]
    Sqlite(#[from] rusqlite::Error),
}

/// What to do about a SQLite error the user can act on: a full disk (or a file that cannot
/// grow, or a disk that fails to write). Every write is one transaction, so nothing of the
/// step that failed was kept.
fn sqlite_advice(error: &rusqlite::Error) -> &'static str {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure) => {
            "; the disk is full or cannot be written: nothing of this step was saved. Free \
             some space (or check the disk), then do it again"
        }
        _ => "",
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The way out of a damaged file, with the newest backup when there is one.
fn restore_hint(last_backup: Option<&Path>) -> String {
    match last_backup {
        Some(backup) => format!(
            "restore the last good backup, {}, in Settings → Backups or with `shopdesk \
             restore {}`",
            backup.display(),
            backup.display()
        ),
        None => "no backup was found in its backup folder; restore a copy you keep elsewhere \
                 with `shopdesk restore BACKUP-FILE`"
            .to_owned(),
    }
}

impl StoreError {
    /// The disk is full or cannot be written (nothing of the step that failed was kept).
    pub fn is_disk_full(&self) -> bool {
        match self {
            StoreError::Sqlite(e) => !sqlite_advice(e).is_empty(),
            _ => false,
        }
    }

    /// Another connection held a lock for longer than this one could wait.
    fn is_busy(&self) -> bool {
        matches!(
            self,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(err, _))
                if matches!(
                    err.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                )
        )
    }
}

/// How long a connection waits for another one's lock. Only one connection writes at a
/// time, and the longest writes (a first import of a few hundred thousand orders, the
/// sample shop) take tens of seconds: a write waits its turn through them instead of
/// failing. Readers never wait for writers in WAL.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// The size the WAL file is cut back to once it has been checkpointed
/// (`journal_size_limit`): a read held open for minutes while writes go on makes the WAL
/// grow, since nothing after the reader's snapshot can be copied back; once the read
/// ends, the next checkpoint empties it and the file is truncated to this.
pub const WAL_SIZE_LIMIT: u64 = 32 * 1024 * 1024;

/// Reads a column that holds a status code (its CHECK constraint lists the codes) into its
/// type; an unknown code is a conversion error naming the column.
pub(crate) fn coded<T>(
    row: &rusqlite::Row<'_>,
    index: usize,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unknown code {text:?}").into(),
        )
    })
}

/// The shop's database: one SQLite file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// What `PRAGMA quick_check` said about the file, once it has run: `Some(None)` when
    /// sound, `Some(Some(problem))` when damaged. It runs before the first write of each
    /// open, not at the open itself: it reads the whole file (seconds on a big shop, see
    /// docs/reliability.md), and reading a damaged file does no further harm.
    soundness: Option<Option<String>>,
}

impl Store {
    /// Opens (or creates) a ShopDesk database, migrating it to the current schema.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
            && !parent.exists()
        {
            std::fs::create_dir_all(parent).map_err(|e| {
                StoreError::Invalid(format!(
                    "cannot create the folder {}: {e}",
                    parent.display()
                ))
            })?;
        }
        if let Some(mount) = share::network_mount(path) {
            return Err(StoreError::NetworkShare {
                path: path.to_path_buf(),
                filesystem: mount.filesystem,
                mount: mount.point,
            });
        }
        // Another connection may hold a lock that SQLite does not wait for on its own (a
        // journal mode change, the WAL's recovery after a crash): try again until the
        // busy timeout is spent rather than fail a command that would have run a moment
        // later.
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        loop {
            let opened = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(StoreError::from)
            .and_then(|conn| Store::setup(conn, path.to_path_buf()));
            match opened {
                Err(e) if e.is_busy() && std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                other => return other,
            }
        }
    }

    /// A fresh database in memory, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?, PathBuf::from(":memory:"))
    }

    fn setup(conn: Connection, path: PathBuf) -> Result<Store> {
        // First of all, so that every read below waits out a writer's lock.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // A file that is not SQLite at all fails on the first read: say so plainly.
        let found: i32 = conn
            .query_row("PRAGMA application_id", [], |row| row.get(0))
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(err, _)
                    if err.code == rusqlite::ErrorCode::NotADatabase =>
                {
                    StoreError::NotShopDesk {
                        path: path.clone(),
                        found: 0,
                    }
                }
                // A SQLite file whose first page is damaged: the way out is its backup.
                rusqlite::Error::SqliteFailure(err, _)
                    if err.code == rusqlite::ErrorCode::DatabaseCorrupt =>
                {
                    StoreError::damaged(&path, err.to_string())
                }
                other => StoreError::Sqlite(other),
            })?;
        // A file whose schema cannot even be read is damaged: say so with the way out.
        let damaged = |e: rusqlite::Error| match e {
            rusqlite::Error::SqliteFailure(err, _)
                if err.code == rusqlite::ErrorCode::DatabaseCorrupt =>
            {
                StoreError::damaged(&path, err.to_string())
            }
            other => StoreError::Sqlite(other),
        };
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(damaged)?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
            .map_err(damaged)?;
        if found != APPLICATION_ID && (found != 0 || tables > 0) {
            return Err(StoreError::NotShopDesk { path, found });
        }
        if version > migrations::LATEST {
            return Err(StoreError::TooNew {
                path,
                found: version,
                known: migrations::LATEST,
            });
        }
        // Room for every statement of a bulk import or the demo without re-preparing.
        conn.set_prepared_statement_cache_capacity(64);
        // FULL: a commit is on the disk before the store says it is done. With NORMAL the
        // last commits before a power cut can be lost although the shop was told they
        // were saved; FULL costs one more sync per commit (docs/reliability.md).
        // Changing the journal mode needs the file to itself and does not wait for it, so
        // it runs only where needed: on a new file (or one another program left in another
        // mode), not on every open of a file already in WAL.
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
            conn.query_row("PRAGMA journal_mode = WAL", [], |row| {
                row.get::<_, String>(0)
            })?;
        }
        conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT as i64)?;
        conn.execute_batch(
            "PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -65536;",
        )?;
        let mut store = Store {
            conn,
            path,
            soundness: None,
        };
        // An existing file at an older schema: checked, then backed up before the
        // migration changes it (a file in memory has nothing to keep).
        if version < migrations::LATEST && version > 0 {
            store.ensure_sound()?;
            if store.conn.path().is_some_and(|p| !p.is_empty()) {
                store.back_up_before_migration(version)?;
            }
        }
        migrations::migrate(&mut store.conn)?;
        Ok(store)
    }

    /// The file this store was opened on.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    /// Runs one write that is large for the file (the demo, a first big import). It goes
    /// through the WAL like every other write. A rollback journal would write each page
    /// new to the file once instead of twice, but while it is on, the writer locks every
    /// other connection out of the file, readers included: a packer's scan or an order
    /// lookup during a big import failed with "database is locked". Readers never wait in
    /// WAL; docs/reliability.md has the cost.
    fn with_rollback_journal<T>(
        &mut self,
        write: impl FnOnce(&mut Store) -> Result<T>,
    ) -> Result<T> {
        write(self)
    }

    /// Refuses to go on with a file that fails `PRAGMA quick_check`: writing to a damaged
    /// file can spread the damage to pages that were still good. The check runs once per
    /// file and process: the window's store thread and its job threads (each with a store
    /// of its own) share one verdict, so a print or an import does not read the whole file
    /// again first.
    fn ensure_sound(&mut self) -> Result<()> {
        let verdict = match &self.soundness {
            Some(verdict) => verdict.clone(),
            None => {
                let verdict = match checked_before(&self.path) {
                    Some(verdict) => verdict,
                    None => {
                        let verdict = quick_check(&self.conn)?;
                        remember_check(&self.path, verdict.clone());
                        verdict
                    }
                };
                self.soundness = Some(verdict.clone());
                verdict
            }
        };
        match verdict {
            None => Ok(()),
            Some(detail) => Err(StoreError::damaged(&self.path, detail)),
        }
    }

    fn write(&mut self) -> Result<Transaction<'_>> {
        self.ensure_sound()?;
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// Runs the integrity checks behind `shopdesk check`. Returns the problems found
    /// (none means healthy).
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
        for row in rows {
            let row = row?;
            if row != "ok" {
                problems.push(format!("integrity check: {row}"));
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let table: String = row.get(0)?;
            let rowid: Option<i64> = row.get(1)?;
            let parent: String = row.get(2)?;
            problems.push(format!(
                "foreign key: {table} row {} points at a missing {parent}",
                rowid.unwrap_or_default()
            ));
        }
        let version = self.schema_version()?;
        if version != migrations::LATEST {
            problems.push(format!(
                "schema version is {version}, expected {}",
                migrations::LATEST
            ));
        }
        let id: i32 = self
            .conn
            .query_row("PRAGMA application_id", [], |row| row.get(0))?;
        if id != APPLICATION_ID {
            problems.push(format!(
                "application id is {id:#x}, expected {APPLICATION_ID:#x}"
            ));
        }
        if version == migrations::LATEST {
            problems.extend(schema_differences(&self.conn, version)?);
        }
        problems.extend(products::ledger_mismatches(&self.conn)?);
        problems.extend(after_sales::damaged_mismatches(&self.conn)?);
        Ok(problems)
    }

    /// How many products and orders the shop has; the UI shows first-run help on zero.
    pub fn counts(&self) -> Result<(i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM products), (SELECT count(*) FROM orders)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?)
    }

    /// How many orders were merged into another order; the list shows only main orders
    /// and says how many it leaves out. The partial index on `merged_into` keeps this a
    /// count over the merged orders alone.
    pub fn merged_count(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM orders WHERE merged_into IS NOT NULL",
            [],
            |row| row.get(0),
        )?)
    }

    /// The marketplaces the shop's orders come from, in code order. One index step per
    /// platform (a skip through `orders_platform`), however many orders there are.
    pub fn platforms(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "WITH RECURSIVE p(code) AS (
                 SELECT min(platform) FROM orders WHERE merged_into IS NULL
                 UNION ALL
                 SELECT (SELECT min(platform) FROM orders
                         WHERE merged_into IS NULL AND platform > p.code)
                 FROM p WHERE p.code IS NOT NULL
             )
             SELECT code FROM p WHERE code IS NOT NULL",
        )?;
        let platforms = stmt
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(platforms)
    }
}

/// The verdicts of `quick_check` in this process, by file.
fn verdicts() -> &'static std::sync::Mutex<HashMap<PathBuf, Option<String>>> {
    static VERDICTS: std::sync::OnceLock<std::sync::Mutex<HashMap<PathBuf, Option<String>>>> =
        std::sync::OnceLock::new();
    VERDICTS.get_or_init(|| std::sync::Mutex::new(HashMap::new()))
}

/// What `quick_check` said about this file earlier in this process, if it ran.
fn checked_before(path: &Path) -> Option<Option<String>> {
    let key = std::fs::canonicalize(path).ok()?;
    let verdicts = verdicts().lock().ok()?;
    verdicts.get(&key).cloned()
}

/// Keeps a verdict for the other stores of this process on the same file. A file that
/// cannot be named canonically is simply checked again next time.
fn remember_check(path: &Path, verdict: Option<String>) {
    if let (Ok(key), Ok(mut verdicts)) = (std::fs::canonicalize(path), verdicts().lock()) {
        verdicts.insert(key, verdict);
    }
}

/// Forgets the verdict on a file whose content was replaced (a restore).
fn forget_check(path: &Path) {
    if let (Ok(key), Ok(mut verdicts)) = (std::fs::canonicalize(path), verdicts().lock()) {
        verdicts.remove(&key);
    }
}

/// The first problem `PRAGMA quick_check` finds, or `None` for a sound file. A file too
/// damaged for the check to run at all is a problem too, not an error of the check.
fn quick_check(conn: &Connection) -> Result<Option<String>> {
    let first = conn.query_row("PRAGMA quick_check(1)", [], |row| row.get::<_, String>(0));
    match first {
        Ok(answer) if answer == "ok" => Ok(None),
        Ok(problem) => Ok(Some(
            problem.split_whitespace().collect::<Vec<_>>().join(" "),
        )),
        Err(rusqlite::Error::SqliteFailure(err, _))
            if matches!(
                err.code,
                rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase
            ) =>
        {
            Ok(Some(err.to_string()))
        }
        Err(other) => Err(other.into()),
    }
}

/// The current time as stored: ISO-8601 with the local offset, to the second.
pub fn now_text() -> String {
    chrono::Local::now()
        .fixed_offset()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// The tables, indexes, views and triggers of `conn` that differ from those this program
/// writes at schema `version` (a fresh file brought to it): a guard dropped or rewritten by
/// another tool (an append-only trigger, an archive trigger) is named, and so is a trigger
/// added by one. Indexes and tables added by another tool are left alone.
pub(crate) fn schema_differences(conn: &Connection, version: i64) -> Result<Vec<String>> {
    let read = |conn: &Connection| -> Result<std::collections::BTreeMap<(String, String), String>> {
        let mut stmt = conn.prepare(
            "SELECT type, name, sql FROM sqlite_schema
             WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'",
        )?;
        let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let mut fresh = Connection::open_in_memory()?;
    migrations::migrate_to(&mut fresh, version)?;
    let expected = read(&fresh)?;
    let found = read(conn)?;
    let mut problems = Vec::new();
    for ((kind, name), sql) in &expected {
        match found.get(&(kind.clone(), name.clone())) {
            None => problems.push(format!("schema: {kind} {name} is missing")),
            Some(other) if other != sql => {
                problems.push(format!(
                    "schema: {kind} {name} is not as this program writes it"
                ));
            }
            Some(_) => {}
        }
    }
    for (kind, name) in found.keys() {
        if kind == "trigger" && !expected.contains_key(&(kind.clone(), name.clone())) {
            problems.push(format!(
                "schema: trigger {name} was added by another program"
            ));
        }
    }
    Ok(problems)
}

/// Shared fixtures of the store's tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::Store;
    use crate::domain::model::NewProduct;

    /// A paid Taobao order of one cup (100 fen) to a complete address in Hangzhou.
    pub(crate) fn paid_order(no: &str) -> crate::domain::model::NewOrder {
        use crate::domain::PaymentStatus;
        use crate::domain::model::{NewOrder, NewOrderLine};
        let mut o = NewOrder::new("taobao", no, "2026-11-20T10:00:00+08:00");
        o.buyer_id = "buyer".to_owned();
        o.receiver_name = "张伟".to_owned();
        o.receiver_phone = "13812345678".to_owned();
        o.province = "浙江省".to_owned();
        o.city = "杭州市".to_owned();
        o.district = "西湖区".to_owned();
        o.address = "文三路 1号".to_owned();
        o.payment_status = PaymentStatus::Paid;
        o.lines.push(NewOrderLine {
            sku: "CUP".to_owned(),
            title: "杯子".to_owned(),
            quantity: 1,
            unit_price_cents: 100,
            ..NewOrderLine::default()
        });
        o.goods_cents = 100;
        o.paid_cents = o.total_cents();
        o
    }

    /// A shop with two single products (10 each on hand) and a bundle of them.
    pub(crate) fn shop() -> Store {
        let mut store = Store::open_in_memory().expect("store");
        let product = |code: &str, components: Vec<(String, i64)>| NewProduct {
            code: code.to_owned(),
            name: format!("商品 {code}"),
            components,
            ..NewProduct::default()
        };
        store
            .upsert_products(&[
                product("CUP", vec![]),
                product("TEA", vec![]),
                product("GIFT", vec![("CUP".to_owned(), 1), ("TEA".to_owned(), 2)]),
            ])
            .expect("products");
        store
            .adjust_stock("CUP", 10, "opening", "owner")
            .expect("stock");
        store
            .adjust_stock("TEA", 10, "opening", "owner")
            .expect("stock");
        store
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_file_that_is_not_shopdesk() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = dir.path().join("notes.db");
        std::fs::write(
            &text,
            "hello, this is not a database at all, just some text to read",
        )
        .expect("write");
        let Err(err) = Store::open(&text) else {
            panic!("a text file must be refused");
        };
        assert!(err.to_string().contains("not a ShopDesk database"), "{err}");

        let other = dir.path().join("other.db");
        let conn = Connection::open(&other).expect("open");
        conn.execute_batch("CREATE TABLE t (x)").expect("create");
        drop(conn);
        let Err(err) = Store::open(&other) else {
            panic!("another SQLite file must be refused");
        };
        assert!(err.to_string().contains("not a ShopDesk database"), "{err}");
        // And it was not touched.
        let conn = Connection::open(&other).expect("open");
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(version, 0);
    }

    #[test]
    fn creates_migrates_and_reopens() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("sub/shop.db");
        let store = Store::open(&path).expect("create");
        assert_eq!(store.schema_version().expect("version"), migrations::LATEST);
        assert_eq!(store.check().expect("check"), Vec::<String>::new());
        drop(store);
        let store = Store::open(&path).expect("reopen");
        assert_eq!(store.counts().expect("counts"), (0, 0));
    }

    /// A commit is synced before the store answers: nothing acknowledged is lost to a power
    /// cut.
    #[test]
    fn syncs_every_commit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("shop.db")).expect("create");
        let mode: i64 = store
            .conn
            .query_row("PRAGMA synchronous", [], |row| row.get(0))
            .expect("synchronous");
        assert_eq!(mode, 2, "synchronous = FULL");
    }

    #[test]
    fn refuses_a_newer_schema() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("shop.db");
        drop(Store::open(&path).expect("create"));
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch("PRAGMA user_version = 999")
            .expect("bump");
        drop(conn);
        let Err(err) = Store::open(&path) else {
            panic!("a newer schema must be refused");
        };
        assert!(err.to_string().contains("newer ShopDesk"), "{err}");
    }
}

#[cfg(test)]
mod said_once_tests {
    use super::StoreError;

    #[test]
    fn a_sqlite_error_under_the_store_and_a_context_is_said_once() {
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some("database is locked".to_owned()),
        );
        let chained = anyhow::Error::new(StoreError::Sqlite(busy)).context("cannot open r.db");
        let text = crate::app::said_once(chained.chain());
        assert_eq!(text.matches("database is locked").count(), 1, "{text}");
        assert!(
            text.starts_with("cannot open r.db: database error: "),
            "{text}"
        );
        assert!(!text.contains("Error code"), "{text}");
    }
}
