//! The promises ShopDesk makes about its file, tested against what another program, a
//! damaged disk or a second ShopDesk can do to it: archived and append-only rows cannot be
//! replaced by raw SQL, a damaged file is not written to, other commands keep working
//! during a big import, and backups and restores refuse what they should.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::{Connection, params};
use shopdesk::store::Store;

/// A sample shop of `orders` orders in `dir`, written through the store.
fn sample_shop(dir: &Path, orders: u64) -> PathBuf {
    let path = dir.join("shop.db");
    let mut store = Store::open(&path).expect("create");
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-30T10:00:00+08:00").expect("time");
    store
        .load_demo(orders, 1, now, &mut |_| true)
        .expect("sample shop");
    path
}

/// Every row of `table` in a stable order, as values.
fn rows(conn: &Connection, table: &str) -> Vec<Vec<Value>> {
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
        .expect("select");
    let columns = stmt.column_count();
    stmt.query_map([], |row| {
        (0..columns).map(|i| row.get::<_, Value>(i)).collect()
    })
    .expect("query")
    .collect::<rusqlite::Result<_>>()
    .expect("rows")
}

fn one(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |row| row.get(0)).expect(sql)
}

fn text(conn: &Connection, sql: &str) -> String {
    conn.query_row(sql, [], |row| row.get(0)).expect(sql)
}

/// Tables whose rows (or some of them) cannot change.
const PROTECTED: [&str; 9] = [
    "orders",
    "order_lines",
    "order_events",
    "stock_movements",
    "print_log",
    "voided_tracking",
    "tracking_pool",
    "stock_count_lines",
    "products",
];

#[test]
fn raw_replace_cannot_get_past_the_protection() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = sample_shop(dir.path(), 300);
    // What the sqlite3 shell or a Python script gets: no foreign keys, no recursive triggers.
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA recursive_triggers = OFF;")
        .expect("pragmas");
    // Rows of the logs the sample shop does not write, written as ShopDesk would.
    conn.execute_batch(
        "INSERT INTO print_log (document, orders, reprints, printed_at, operator)
             VALUES ('slips', 3, 0, 't', 'owner'), ('waybills', 3, 1, 't', 'owner');
         INSERT INTO voided_tracking (number, order_id, courier, voided_at, operator, reason)
             VALUES ('VOID0000001', 1, 'SF', 't', 'owner', 'courier changed'),
                    ('VOID0000002', 1, 'SF', 't', 'owner', 'courier changed');
         INSERT INTO couriers (code, name, created_at, updated_at)
             VALUES ('TESTC', 'Test courier', 't', 't');
         INSERT INTO tracking_pool (id, number, courier_id, order_id, imported_at, used_at)
             VALUES (900001, 'USED0000001', (SELECT id FROM couriers WHERE code = 'TESTC'),
                     1, 't', 't'),
                    (900002, 'FREE0000001', (SELECT id FROM couriers WHERE code = 'TESTC'),
                     NULL, 't', NULL);
         INSERT INTO stock_counts (id, status, operator, created_at, posted_at)
             VALUES (900001, 'posted', 'owner', 't', 't'), (900002, 'open', 'owner', 't', NULL);
         INSERT INTO stock_count_lines (count_id, product_id, expected, counted, posted_difference)
             VALUES (900001, 1, 5, 4, -1), (900002, 2, 5, NULL, NULL);",
    )
    .expect("log rows");

    let archived = one(&conn, "SELECT min(id) FROM orders WHERE state = 'archived'");
    let platform = text(
        &conn,
        &format!("SELECT platform FROM orders WHERE id = {archived}"),
    );
    let order_no = text(
        &conn,
        &format!("SELECT order_no FROM orders WHERE id = {archived}"),
    );
    let open = one(
        &conn,
        &format!(
            "SELECT min(id) FROM orders WHERE state <> 'archived' AND platform = '{platform}'"
        ),
    );
    let archived_line = one(
        &conn,
        &format!("SELECT min(id) FROM order_lines WHERE order_id = {archived}"),
    );
    let open_line = one(
        &conn,
        &format!("SELECT min(id) FROM order_lines WHERE order_id = {open}"),
    );
    let archived_event = one(
        &conn,
        &format!("SELECT min(id) FROM order_events WHERE order_id = {archived}"),
    );
    let open_event = one(
        &conn,
        &format!("SELECT min(id) FROM order_events WHERE order_id = {open}"),
    );
    let movement = one(&conn, "SELECT min(id) FROM stock_movements");
    let other_movement = one(&conn, "SELECT max(id) FROM stock_movements");
    let print = one(&conn, "SELECT min(id) FROM print_log");
    let voided = one(&conn, "SELECT min(id) FROM voided_tracking");
    assert!(archived > 0 && open > 0 && archived_line > 0 && open_line > 0);
    assert!(archived_event > 0 && open_event > 0 && movement > 0 && other_movement > movement);

    let before: Vec<_> = PROTECTED.iter().map(|t| rows(&conn, t)).collect();
    let order_columns = "platform, order_no, ordered_at, created_at, updated_at";
    let attempts: Vec<String> = vec![
        format!(
            "INSERT OR REPLACE INTO orders (id, {order_columns})
             VALUES ({archived}, 'manual', 'X-1', 't', 't', 't')"
        ),
        format!(
            "REPLACE INTO orders (id, {order_columns})
             VALUES ({archived}, 'manual', 'X-2', 't', 't', 't')"
        ),
        format!(
            "INSERT OR REPLACE INTO orders ({order_columns})
             VALUES ('{platform}', '{order_no}', 't', 't', 't')"
        ),
        format!("UPDATE OR REPLACE orders SET order_no = '{order_no}' WHERE id = {open}"),
        format!("UPDATE OR REPLACE orders SET id = {archived} WHERE id = {open}"),
        format!("UPDATE OR REPLACE orders SET order_no = 'X-3' WHERE id = {archived}"),
        format!("DELETE FROM orders WHERE id = {archived}"),
        format!(
            "INSERT OR REPLACE INTO order_lines (id, order_id, origin_order_id, quantity,
                 unit_price_cents) VALUES ({archived_line}, {open}, {open}, 1, 1)"
        ),
        format!("UPDATE OR REPLACE order_lines SET id = {archived_line} WHERE id = {open_line}"),
        format!(
            "REPLACE INTO order_events (id, order_id, at, operator, event)
             VALUES ({archived_event}, {open}, 't', 'x', 'created')"
        ),
        format!(
            "REPLACE INTO order_events (id, order_id, at, operator, event)
             VALUES ({open_event}, {open}, 't', 'x', 'created')"
        ),
        format!("UPDATE OR REPLACE order_events SET id = {archived_event} WHERE id = {open_event}"),
        format!(
            "REPLACE INTO stock_movements (id, product_id, quantity, reason, operator, created_at)
             VALUES ({movement}, 1, 94, 'adjustment', 'x', 't')"
        ),
        format!(
            "UPDATE OR REPLACE stock_movements SET id = {movement} WHERE id = {other_movement}"
        ),
        format!(
            "REPLACE INTO print_log (id, document, orders, reprints, printed_at, operator)
             VALUES ({print}, 'slips', 0, 0, 't', 'x')"
        ),
        format!(
            "REPLACE INTO voided_tracking (id, number, order_id, courier, voided_at, operator,
                 reason) VALUES ({voided}, 'OTHER000001', 1, 'SF', 't', 'x', 'x')"
        ),
        "REPLACE INTO voided_tracking (number, order_id, courier, voided_at, operator, reason)
             VALUES ('VOID0000001', 1, 'SF', 't', 'x', 'x')"
            .to_owned(),
        "UPDATE OR REPLACE voided_tracking SET number = 'VOID0000001'
             WHERE number = 'VOID0000002'"
            .to_owned(),
        "REPLACE INTO tracking_pool (number, courier_id, imported_at)
             VALUES ('USED0000001', 1, 't')"
            .to_owned(),
        "REPLACE INTO tracking_pool (id, number, courier_id, imported_at)
             VALUES (900001, 'NEW00000001', 1, 't')"
            .to_owned(),
        "UPDATE OR REPLACE tracking_pool SET number = 'USED0000001' WHERE id = 900002".to_owned(),
        "REPLACE INTO stock_count_lines (count_id, product_id, expected, counted)
             VALUES (900001, 1, 0, 0)"
            .to_owned(),
        "UPDATE OR REPLACE stock_count_lines SET count_id = 900001, product_id = 1
             WHERE count_id = 900002"
            .to_owned(),
    ];
    let mut accepted = Vec::new();
    for sql in &attempts {
        // A refusal is an error, or (for the tracking pool's OR IGNORE import) no row written.
        match conn.execute(sql, params![]) {
            Err(_) | Ok(0) => {}
            Ok(n) => accepted.push(format!("{n} row(s): {sql}")),
        }
    }
    let after: Vec<_> = PROTECTED.iter().map(|t| rows(&conn, t)).collect();
    for ((table, before), after) in PROTECTED.iter().zip(&before).zip(&after) {
        assert!(before == after, "{table} changed; accepted: {accepted:#?}");
    }
    assert!(accepted.is_empty(), "accepted: {accepted:#?}");
}

/// A copy of the shop at `path` with the b-tree page header of `table`'s root inverted: a
/// page no write of stock touches, so SQLite itself would not notice it on a write.
fn damaged_copy(path: &Path, table: &str, copy: &Path) {
    let (root, page_size): (i64, i64) = {
        let conn = Connection::open(path).expect("open");
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
                [table],
                |row| row.get(0),
            )
            .expect("root page");
        let size = conn
            .query_row("PRAGMA page_size", [], |row| row.get(0))
            .expect("page size");
        (root, size)
    };
    let mut bytes = std::fs::read(path).expect("read");
    let at = ((root - 1) * page_size) as usize;
    for byte in &mut bytes[at..at + 12] {
        *byte ^= 0xFF;
    }
    std::fs::write(copy, bytes).expect("write copy");
}

#[test]
fn a_damaged_file_is_not_written_to() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = sample_shop(dir.path(), 300);
    let code: String = Connection::open(&path)
        .expect("open")
        .query_row(
            "SELECT code FROM products WHERE is_bundle = 0 ORDER BY id LIMIT 1",
            [],
            |row| row.get(0),
        )
        .expect("a product");
    let damaged = dir.path().join("damaged copy.db");
    damaged_copy(&path, "orders", &damaged);
    let before = std::fs::read(&damaged).expect("read");

    let mut store = Store::open(&damaged).expect("a damaged file still opens for reading");
    let err = store
        .adjust_stock(&code, 5, "recount", "owner")
        .expect_err("a write to a damaged file is refused");
    let message = err.to_string();
    assert!(
        message.contains(&damaged.display().to_string()),
        "{message}"
    );
    assert!(
        message.contains("damaged") && message.contains("restore"),
        "{message}"
    );
    let mut settings = store.settings().expect("settings still read");
    settings.shop_name = "changed".to_owned();
    assert!(
        store.save_settings(&settings).is_err(),
        "every write is refused"
    );
    drop(store);
    assert!(
        std::fs::read(&damaged).expect("read") == before,
        "the file is untouched"
    );

    // The sound original still takes writes.
    let mut store = Store::open(&path).expect("open");
    store
        .adjust_stock(&code, 5, "recount", "owner")
        .expect("write");
}

#[test]
fn a_damaged_file_offers_its_last_backup_said_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = sample_shop(dir.path(), 200);
    let code: String = Connection::open(&path)
        .expect("open")
        .query_row(
            "SELECT code FROM products WHERE is_bundle = 0 ORDER BY id LIMIT 1",
            [],
            |row| row.get(0),
        )
        .expect("a product");
    let live = dir.path().join("live.db");
    // Without a backup, the message says there is none.
    damaged_copy(&path, "orders", &live);
    let out = shopdesk(&live, &["adjust", &code, "1", "--reason", "found"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(stderr.contains("no backup was found"), "{stderr}");

    // A backup of the sound file in the live file's backup folder is offered by name.
    std::fs::remove_file(&live).expect("remove");
    std::fs::copy(&path, &live).expect("copy");
    let backup = Store::open(&live)
        .expect("open")
        .backup_to(&shopdesk::store::backup::default_backup_dir(&live))
        .expect("backup");
    std::fs::remove_file(&live).expect("remove");
    damaged_copy(&path, "orders", &live);
    let mut store = Store::open(&live).expect("opens for reading");
    let err = store
        .adjust_stock(&code, 1, "recount", "owner")
        .expect_err("refused");
    assert_eq!(err.offered_backup(), Some(backup.as_path()));
    drop(store);
    let out = shopdesk(&live, &["adjust", &code, "1", "--reason", "found"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let command = format!("shopdesk restore {}", backup.display());
    assert!(stderr.contains(&command), "{stderr}");
    assert_eq!(stderr.matches("is damaged").count(), 1, "{stderr}");
    assert_eq!(stderr.matches("shopdesk: error").count(), 1, "{stderr}");
    // Following the advice brings the shop back.
    let out = shopdesk(&live, &["restore", &backup.display().to_string()])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = shopdesk(&live, &["adjust", &code, "1", "--reason", "found"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn errors_say_their_cause_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A directory given as the database, and as the file to import.
    let db = dir.path().join("shop.db");
    let folder = dir.path().display().to_string();
    for (db, args, cause) in [
        (dir.path(), vec!["orders"], "unable to open database file"),
        (
            db.as_path(),
            vec!["products", "import", folder.as_str()],
            "os error 21",
        ),
    ] {
        let out = shopdesk(db, &args).output().expect("run");
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(stderr.contains(&folder), "{stderr}");
        assert_eq!(stderr.matches(cause).count(), 1, "said twice: {stderr}");
        assert!(!stderr.contains("Error code"), "{stderr}");
    }
}

/// Runs the `shopdesk` binary on `db`.
fn shopdesk(db: &Path, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_shopdesk"));
    command.arg("--db").arg(db).args(args);
    command
}

#[test]
fn other_commands_keep_working_during_a_big_import() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = sample_shop(dir.path(), 200);
    let code: String = Connection::open(&path)
        .expect("open")
        .query_row(
            "SELECT code FROM products WHERE is_bundle = 0 ORDER BY id LIMIT 1",
            [],
            |row| row.get(0),
        )
        .expect("a product");
    // Bigger than the bulk-load threshold and than the orders in the file: the path that
    // rebuilds the indexes at the end.
    let (orders, items) =
        shopdesk::import::generate_taobao_pair(dir.path(), 20_000, 7).expect("csv");
    let mut import = shopdesk(&path, &["import", "taobao", "--skip-invalid"])
        .arg(&orders)
        .arg(&items)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the import runs");
    let (mut reads, mut writes, mut failures) = (0, 0, Vec::new());
    let mut probe = |args: &[&str]| {
        let out = shopdesk(&path, args).output().expect("the probe runs");
        if !out.status.success() {
            failures.push(format!(
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    };
    while import.try_wait().expect("wait").is_none() {
        // A pause between probes, as between a packer's scans: the file has moments
        // with no other connection, when the import may change the journal.
        std::thread::sleep(std::time::Duration::from_millis(40));
        probe(&["orders", "--limit", "1"]);
        reads += 1;
        if reads % 4 == 0 {
            probe(&["adjust", &code, "1", "--reason", "found"]);
            writes += 1;
        }
    }
    let out = import.wait_with_output().expect("the import ends");
    assert!(
        out.status.success(),
        "import: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!(
        "{reads} reads and {writes} writes during the import: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(reads >= 5, "the probes ran during the import: {reads}");
    assert!(
        failures.is_empty(),
        "{} failed: {failures:#?}",
        failures.len()
    );
    let conn = Connection::open(&path).expect("open");
    assert!(one(&conn, "SELECT count(*) FROM orders") >= 20_000);
    assert_eq!(text(&conn, "PRAGMA journal_mode"), "wal");
}

/// The standard output of a run that must have succeeded.
fn ok(command: &mut std::process::Command) -> String {
    let out = command.output().expect("shopdesk runs");
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_backup_is_verified_and_a_restore_brings_it_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = sample_shop(dir.path(), 300);
    let movements = |path: &Path| {
        one(
            &Connection::open(path).expect("open"),
            "SELECT count(*) FROM stock_movements",
        )
    };
    let code: String = Connection::open(&path)
        .expect("open")
        .query_row(
            "SELECT code FROM products WHERE is_bundle = 0 ORDER BY id LIMIT 1",
            [],
            |row| row.get(0),
        )
        .expect("a product");
    let before = movements(&path);
    let copies = dir.path().join("copies");
    let printed = ok(&mut shopdesk(
        &path,
        &["backup", "--to", &copies.display().to_string()],
    ));
    let backup = PathBuf::from(printed.trim());
    let name = backup
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert!(backup.starts_with(&copies), "{printed}");
    assert!(
        name.starts_with("shopdesk-") && name.ends_with(".db") && name.len() == 27,
        "{name}"
    );
    let info = shopdesk::store::backup::inspect(&backup).expect("the backup checks out");
    assert_eq!(info.orders, 300);
    assert_eq!(movements(&backup), before);
    // Nothing but the backup in the folder: the temporary name is gone.
    assert_eq!(std::fs::read_dir(&copies).expect("folder").count(), 1);

    ok(&mut shopdesk(
        &path,
        &["adjust", &code, "3", "--reason", "found"],
    ));
    assert_eq!(movements(&path), before + 1);
    // An open reader keeps a WAL next to the file; a restore refuses to pull the file
    // from under it, and goes ahead once it is closed.
    let reader = Connection::open(&path).expect("open");
    let _: i64 = reader
        .query_row("SELECT count(*) FROM orders", [], |row| row.get(0))
        .expect("read");
    let out = shopdesk(&path, &["restore", &backup.display().to_string()])
        .output()
        .expect("runs");
    assert!(!out.status.success(), "refused while the file is open");
    assert!(String::from_utf8_lossy(&out.stderr).contains("in use"));
    drop(reader);
    let said = ok(&mut shopdesk(
        &path,
        &["restore", &backup.display().to_string()],
    ));
    assert!(said.contains("300 orders"), "{said}");
    assert_eq!(
        movements(&path),
        before,
        "the adjustment after the backup is gone"
    );
    assert!(ok(&mut shopdesk(&path, &["check"])).contains("ok"));
    // The file it replaced was backed up first, adjustment included (once per attempt:
    // the refused one had backed it up too before it found the file in use).
    let kept = dir.path().join("backups");
    let kept: Vec<PathBuf> = std::fs::read_dir(&kept)
        .expect("backups of the replaced file")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    for copy in &kept {
        assert_eq!(movements(copy), before + 1, "{}", copy.display());
    }
}

#[test]
fn restore_refuses_hostile_files_and_leaves_the_shop_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = sample_shop(dir.path(), 300);
    let copies = dir.path().join("copies");
    let backup = PathBuf::from(
        ok(&mut shopdesk(
            &path,
            &["backup", "--to", &copies.display().to_string()],
        ))
        .trim(),
    );
    let bytes = std::fs::read(&backup).expect("read");
    let hostile = dir.path().join("hostile");
    std::fs::create_dir(&hostile).expect("folder");
    let mut cases: Vec<(PathBuf, &str)> = Vec::new();

    let damaged = hostile.join("damaged.db");
    damaged_copy(&backup, "orders", &damaged);
    cases.push((damaged, "damaged"));
    let truncated = hostile.join("truncated.db");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
    cases.push((truncated, "truncated"));
    let empty = hostile.join("empty.db");
    std::fs::write(&empty, b"").expect("write");
    cases.push((empty, "empty"));
    let text = hostile.join("notes.db");
    std::fs::write(&text, "not a database, only text ".repeat(40)).expect("write");
    cases.push((text, "not a SQLite database"));
    let foreign = hostile.join("foreign.db");
    Connection::open(&foreign)
        .expect("open")
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .expect("foreign");
    cases.push((foreign, "not a ShopDesk database"));
    let newer = hostile.join("newer.db");
    std::fs::write(&newer, &bytes).expect("write");
    Connection::open(&newer)
        .expect("open")
        .execute_batch("PRAGMA user_version = 999")
        .expect("bump");
    cases.push((newer, "newer ShopDesk"));
    cases.push((hostile.join("missing.db"), "cannot be restored"));

    let live = std::fs::read(&path).expect("read");
    for (file, reason) in &cases {
        let out = shopdesk(&path, &["restore", &file.display().to_string()])
            .output()
            .expect("runs");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{} was restored", file.display());
        assert!(said.contains(&file.display().to_string()), "{said}");
        assert!(said.contains(reason), "{reason}: {said}");
        assert!(said.contains("cannot be restored"), "{said}");
        assert!(
            std::fs::read(&path).expect("read") == live,
            "{}",
            file.display()
        );
    }
    // Refused before anything was done: no backup of the current file was needed.
    assert!(!dir.path().join("backups").exists());
}

/// A file as ShopDesk wrote it at schema version 6, with one product and one order.
fn version_6_file(path: &Path) {
    let conn = Connection::open(path).expect("open");
    for sql in [
        include_str!("../src/store/migrations/001_initial.sql"),
        include_str!("../src/store/migrations/002_import.sql"),
        include_str!("../src/store/migrations/003_order_processing.sql"),
        include_str!("../src/store/migrations/004_inventory.sql"),
        include_str!("../src/store/migrations/005_shipping.sql"),
        include_str!("../src/store/migrations/006_sparse_indexes.sql"),
    ] {
        conn.execute_batch(sql).expect("old schema");
    }
    conn.execute_batch(&format!(
        "PRAGMA user_version = 6; PRAGMA application_id = {};
         INSERT INTO products (code, name, created_at, updated_at) VALUES ('OLD', 'old', 't', 't');
         INSERT INTO orders (platform, order_no, state, ordered_at, created_at, updated_at)
             VALUES ('taobao', 'T-OLD', 'approved', '2025-01-02T10:00:00+08:00', 't', 't');",
        shopdesk::store::APPLICATION_ID
    ))
    .expect("version 6 data");
}

#[test]
fn a_command_backs_an_older_file_up_before_migrating_it_or_refuses() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("old.db");
    version_6_file(&path);
    // The backup folder chosen in the file's settings is a file: no backup, no migration.
    let blocked = dir.path().join("usb");
    std::fs::write(&blocked, "not a folder").expect("write");
    let conn = Connection::open(&path).expect("open");
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('backup_dir', ?1)",
        [blocked.to_string_lossy()],
    )
    .expect("setting");
    drop(conn);
    let out = shopdesk(&path, &["orders"]).output().expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("was not updated") && err.contains("nothing was changed"),
        "{err}"
    );
    assert_eq!(
        one(
            &Connection::open(&path).expect("open"),
            "PRAGMA user_version"
        ),
        6
    );
    // The folder comes back (the USB disk is plugged in): backed up, then migrated.
    std::fs::remove_file(&blocked).expect("remove");
    ok(&mut shopdesk(&path, &["orders"]));
    let backups = shopdesk::store::backup::list_backups(&blocked).expect("list");
    assert_eq!(backups.len(), 1);
    let copy = Connection::open(&backups[0].path).expect("open");
    assert_eq!(one(&copy, "PRAGMA user_version"), 6);
    assert_eq!(text(&copy, "SELECT order_no FROM orders"), "T-OLD");
    let conn = Connection::open(&path).expect("open");
    assert!(one(&conn, "PRAGMA user_version") > 6);
    assert!(ok(&mut shopdesk(&path, &["check"])).contains("ok"));
    // `shopdesk backup` writes into the chosen folder too.
    let written = ok(&mut shopdesk(&path, &["backup"]));
    assert!(Path::new(written.trim()).starts_with(&blocked), "{written}");
}
