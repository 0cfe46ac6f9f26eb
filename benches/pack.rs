//! The pack & ship station on a million orders: from a scan to the order on
//! screen (`Store::pack_find` by tracking number and by order number), an item scan's
//! feedback (`PackCheck::scan`), the pass-and-ship write (`Store::pack_pass`), closing a
//! hand-over of 2,000 parcels, and the scan latency on a second connection while another
//! thread imports 100,000 orders into the same file. Each figure is printed next to a
//! floor measured in the same run; nothing about time is asserted.
//!
//! `cargo bench --bench pack` writes a 1,000,000-order demo shop in a temp dir first
//! (`-- 200000` for a smaller one); `cargo bench --bench pack -- --db PATH` works on a copy
//! of a shop written by `shopdesk --db PATH demo --orders 1000000` (the bench ships orders
//! and imports into its file, so the original is left as it was).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::Local;
use rusqlite::{Connection, OptionalExtension};
use shopdesk::domain::Event;
use shopdesk::domain::pack::PackCheck;
use shopdesk::import::{EncodingChoice, generate_taobao_pair, parse_taobao};
use shopdesk::store::{Document, PackFind, PackOrder, ShipResult, Store};

/// Parcels in the hand-over (and pass-and-ship writes timed).
const PARCELS: usize = 2_000;
/// Scans timed per kind of needle.
const SCANS: usize = 2_000;
const IMPORT_ORDERS: u64 = 100_000;
const OPERATOR: &str = "bench";

/// Median, p99 and max of a set of durations.
struct Spread {
    median: Duration,
    p99: Duration,
    max: Duration,
    n: usize,
}

impl Spread {
    fn of(mut times: Vec<Duration>) -> Spread {
        times.sort();
        let at = |p: f64| {
            times
                .get(((times.len().max(1) - 1) as f64 * p).round() as usize)
                .copied()
                .unwrap_or_default()
        };
        Spread {
            median: at(0.5),
            p99: at(0.99),
            max: times.last().copied().unwrap_or_default(),
            n: times.len(),
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(what: &str, s: &Spread) {
    println!(
        "{what:<58} median {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms  (n = {})",
        ms(s.median),
        ms(s.p99),
        ms(s.max),
        s.n
    );
}

/// The same in microseconds, for what takes less than one.
fn report_us(what: &str, s: &Spread) {
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "{what:<58} median {:>8.2} µs  p99 {:>8.2} µs  max {:>8.2} µs  (n = {})",
        us(s.median),
        us(s.p99),
        us(s.max),
        s.n
    );
}

fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let value = f();
    (started.elapsed(), value)
}

/// The shop's file: a new demo shop, or a copy of the one given with `--db`.
fn shop_file(dir: &Path, args: &[String]) -> anyhow::Result<PathBuf> {
    let path = dir.join("pack-bench.db");
    let given = args
        .iter()
        .position(|a| a == "--db")
        .and_then(|i| args.get(i + 1));
    if let Some(given) = given {
        // Checkpointed first, so the copy of the main file is the whole shop.
        Connection::open(given)?.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        let (took, bytes) = timed(|| std::fs::copy(given, &path));
        println!(
            "copied {given} ({:.2} GB) in {:.1} s",
            bytes? as f64 / 1e9,
            took.as_secs_f64()
        );
        return Ok(path);
    }
    let orders: u64 = args
        .iter()
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    println!(
        "writing a demo shop of {orders} orders to {}",
        path.display()
    );
    let mut store = Store::open(&path)?;
    let (took, _) =
        timed(|| store.load_demo(orders, 1, Local::now().fixed_offset(), &mut |_| true));
    println!("  in {:.1} s", took.as_secs_f64());
    Ok(path)
}

/// Ids of `n` orders of `courier` that may be packed now (printed, not held, every line
/// matched, a tracking number). Paid approved orders are printed with that courier's pool
/// numbers as `shopdesk waybills` does when the sample shop has too few.
fn packable(
    store: &mut Store,
    conn: &Connection,
    courier: &str,
    n: usize,
) -> anyhow::Result<Vec<i64>> {
    let ready = |store: &Store, ids: Vec<i64>| -> anyhow::Result<Vec<i64>> {
        let mut out = Vec::new();
        for id in ids {
            let order = store.pack_order(id)?;
            if order.refusal.is_none() && !order.tracking_no.is_empty() {
                out.push(id);
            }
        }
        Ok(out)
    };
    let ids = |sql: &str| -> anyhow::Result<Vec<i64>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt
            .query_map([courier], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(rows)
    };
    let mut found = ready(
        store,
        ids(
            "SELECT o.id FROM orders o JOIN couriers c ON c.id = o.courier_id
             WHERE o.state = 'printed' AND c.code = ?1 AND o.merged_into IS NULL
             ORDER BY o.id",
        )?,
    )?;
    println!(
        "  {} printed {courier} orders of the sample shop may be packed",
        found.len()
    );
    if found.len() < n {
        let approved = ids(
            "SELECT o.id FROM orders o WHERE o.state = 'approved' AND o.on_hold = 0
               AND o.payment_status = 'paid' AND o.merged_into IS NULL
               AND o.tracking_no = ''
               AND (o.courier_id IS NULL
                    OR o.courier_id = (SELECT id FROM couriers WHERE code = ?1))
               AND NOT EXISTS (SELECT 1 FROM order_lines l
                               WHERE l.order_id = o.id AND l.product_id IS NULL)
             ORDER BY o.id",
        )?;
        let mut take: Vec<i64> = approved.into_iter().take(n - found.len()).collect();
        if take.len() < n - found.len() {
            // Still short (a small sample shop): paid orders waiting for review, approved.
            let pending = ids(
                "SELECT o.id FROM orders o WHERE o.state = 'pending_review' AND o.on_hold = 0
                   AND o.payment_status = 'paid' AND o.merged_into IS NULL
                   AND o.tracking_no = '' AND o.courier_id IS NULL AND ?1 <> ''
                   AND NOT EXISTS (SELECT 1 FROM order_lines l
                                   WHERE l.order_id = o.id AND l.product_id IS NULL)
                 ORDER BY o.id",
            )?;
            for id in pending {
                if take.len() >= n - found.len() {
                    break;
                }
                if store.apply_event(id, Event::Review, OPERATOR).is_ok() {
                    take.push(id);
                }
            }
        }
        let numbers: Vec<String> = (0..take.len()).map(|i| format!("PB{i:011}")).collect();
        store.import_tracking(courier, &numbers.join("\n"), "owner")?;
        store.assign_tracking(&take, courier, OPERATOR)?;
        store.record_print(&take, None, Document::Waybills, OPERATOR)?;
        let printed = ready(store, take)?;
        println!(
            "  {} approved orders printed with {courier} to make up the rest",
            printed.len()
        );
        found.extend(printed);
    }
    found.truncate(n);
    Ok(found)
}

/// Needles for the scan: tracking and order numbers of orders spread over the whole file.
fn needles(conn: &Connection, n: usize) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let max: i64 = conn.query_row("SELECT max(id) FROM orders", [], |r| r.get(0))?;
    let mut tracking = Vec::with_capacity(n);
    let mut order_nos = Vec::with_capacity(n);
    let mut stmt = conn.prepare(
        "SELECT order_no, tracking_no FROM orders WHERE id >= ?1 AND merged_into IS NULL
         ORDER BY id LIMIT 1",
    )?;
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    while order_nos.len() < n {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let id = 1 + (seed >> 33) as i64 % max;
        let row: Option<(String, String)> = stmt
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((order_no, number)) = row {
            if !number.is_empty() {
                tracking.push(number);
            }
            order_nos.push(order_no);
        }
    }
    Ok((tracking, order_nos))
}

/// Times `pack_find` on each needle (each must open an order).
fn find_times(store: &Store, needles: &[String]) -> anyhow::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(needles.len());
    for needle in needles {
        let (took, found) = timed(|| store.pack_find(needle));
        anyhow::ensure!(
            matches!(found?, PackFind::Order(_)),
            "{needle} opens no order"
        );
        times.push(took);
    }
    Ok(times)
}

/// The floors of a read: the same file on a bare connection, one indexed SELECT.
fn select_floor(conn: &Connection, sql: &str, keys: &[String]) -> anyhow::Result<Spread> {
    let mut stmt = conn.prepare(sql)?;
    let mut times = Vec::with_capacity(keys.len());
    for key in keys {
        let (took, row) = timed(|| stmt.query_row([key], |r| r.get::<_, i64>(0)).optional());
        row?;
        times.push(took);
    }
    Ok(Spread::of(times))
}

fn scan_to_screen(store: &Store, conn: &Connection) -> anyhow::Result<()> {
    println!("\n-- scan to order on screen (target p99 < 20 ms) --");
    let (tracking, order_nos) = needles(conn, SCANS)?;
    // One pass to warm the page cache as a station does over a morning.
    find_times(store, &tracking)?;
    report(
        "pack_find by tracking number",
        &Spread::of(find_times(store, &tracking)?),
    );
    report(
        "floor: bare SELECT id ... WHERE tracking_no = ? (its index)",
        &select_floor(
            conn,
            "SELECT id FROM orders WHERE tracking_no = ?1 AND tracking_no <> ''",
            &tracking,
        )?,
    );
    find_times(store, &order_nos)?;
    report(
        "pack_find by order number",
        &Spread::of(find_times(store, &order_nos)?),
    );
    report(
        "floor: bare SELECT id FROM orders WHERE order_no = ?",
        &select_floor(
            conn,
            "SELECT id FROM orders WHERE order_no = ?1",
            &order_nos,
        )?,
    );
    let ids: Vec<String> = {
        let mut stmt = conn.prepare("SELECT id FROM orders WHERE order_no = ?1")?;
        order_nos
            .iter()
            .map(|n| {
                stmt.query_row([n], |r| r.get::<_, i64>(0))
                    .map(|id| id.to_string())
            })
            .collect::<rusqlite::Result<_>>()?
    };
    report(
        "floor: bare SELECT * FROM orders WHERE id = ? (primary key)",
        &select_floor(conn, "SELECT * FROM orders WHERE id = ?1", &ids)?,
    );
    Ok(())
}

/// Every item of each order scanned once by code (or `CODE*N`), one wrong item on the way.
fn item_scans(orders: &[PackOrder]) {
    println!("\n-- item scan feedback (target < 5 ms) --");
    let mut times = Vec::new();
    let mut floor = Vec::new();
    for order in orders {
        let mut check = PackCheck::new(order.items.clone());
        let (took, _) = timed(|| check.scan("NOT-IN-ANY-ORDER"));
        times.push(took);
        check.clear();
        for item in &order.items {
            let scan = if item.expected > 1 {
                format!("{}*{}", item.code, item.expected)
            } else {
                item.barcodes
                    .first()
                    .cloned()
                    .unwrap_or_else(|| item.code.clone())
            };
            let (took, _) = timed(|| check.scan(&scan));
            times.push(took);
            floor.push(timed(|| ()).0);
        }
        assert!(
            check.is_complete(),
            "{}: {}",
            order.order_no,
            check.progress_text()
        );
    }
    report_us(
        "PackCheck::scan (code, barcode, CODE*N, wrong item)",
        &Spread::of(times),
    );
    report_us(
        "floor: the clock itself (an empty timed block)",
        &Spread::of(floor),
    );
}

/// Ships every order by `pack_pass`, timed; returns the ids shipped.
fn pass_and_ship(store: &mut Store, path: &Path, orders: &[PackOrder]) -> anyhow::Result<Vec<i64>> {
    println!("\n-- pass-and-ship write (target p99 < 20 ms) --");
    let mut times = Vec::with_capacity(orders.len());
    let mut shipped = Vec::with_capacity(orders.len());
    for order in orders {
        let checked = PackCheck::new(order.items.clone()).checked();
        let (took, result) = timed(|| store.pack_pass(order.id, &checked, Some(850), OPERATOR));
        match result? {
            ShipResult::Shipped { .. } => shipped.push(order.id),
            other => anyhow::bail!("{}: {other:?}", order.order_no),
        }
        times.push(took);
    }
    report(
        "Store::pack_pass (re-check, ship, ledger, log, weight)",
        &Spread::of(times),
    );
    // Floors on the same file with the store's settings (WAL, synchronous = FULL).
    let conn = Connection::open(path)?;
    conn.execute_batch("PRAGMA synchronous = FULL;")?;
    let mut empty = Vec::with_capacity(orders.len());
    for _ in 0..orders.len() {
        empty.push(timed(|| conn.execute_batch("BEGIN IMMEDIATE; COMMIT;")).0);
    }
    report("floor: empty BEGIN IMMEDIATE / COMMIT", &Spread::of(empty));
    let side = Connection::open(path.with_extension("floor.db"))?;
    side.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL);",
    )?;
    let mut one_row = Vec::with_capacity(orders.len());
    for i in 0..orders.len() {
        one_row.push(timed(|| side.execute("INSERT INTO t (v) VALUES (?1)", [i as i64])).0);
    }
    report(
        "floor: one-row INSERT commit, WAL, FULL (same disk)",
        &Spread::of(one_row),
    );
    Ok(shipped)
}

fn handover(store: &mut Store, courier: &str, shipped: &[i64]) -> anyhow::Result<()> {
    println!(
        "\n-- hand-over of {} parcels (target close < 1 s) --",
        shipped.len()
    );
    let id = store.handover_start(courier, OPERATOR)?;
    let mut scans = Vec::with_capacity(shipped.len());
    for &order in shipped {
        let number = store.pack_order(order)?.tracking_no;
        let (took, scan) = timed(|| store.handover_scan(id, &number, OPERATOR));
        scan?;
        scans.push(took);
    }
    report(
        "Store::handover_scan (one parcel into the bag)",
        &Spread::of(scans),
    );
    let (took, closed) = timed(|| store.handover_close(id, OPERATOR));
    let closed = closed?;
    println!(
        "{:<58} {:>8.3} ms  ({} scanned of {} expected, {} missing)",
        "Store::handover_close",
        ms(took),
        closed.parcels.len(),
        closed.expected,
        closed.missing.len()
    );
    let (took, sheet) = timed(|| shopdesk::app::pack::handover_sheet(store, &closed));
    let sheet = sheet?;
    let (draw, rendered) = timed(|| shopdesk::docs::handover::handover_list(&sheet));
    let rendered = rendered.map_err(anyhow::Error::msg)?;
    println!(
        "{:<58} {:>8.3} ms  (+ sheet {:.3} ms; {} KB)",
        "the A4 list drawn (handover_list)",
        ms(draw),
        ms(took),
        rendered.pdf.len() / 1024
    );
    Ok(())
}

/// Scans on this thread's connection while another thread imports 100,000 orders into the
/// same file; also a pass-and-ship write every half second, which waits for the import's
/// transaction.
fn scans_during_import(path: &Path, dir: &Path, orders: &[PackOrder]) -> anyhow::Result<()> {
    println!("\n-- scans during a {IMPORT_ORDERS}-order import into the same file --");
    let (orders_csv, items_csv) = generate_taobao_pair(dir, IMPORT_ORDERS, 7)?;
    let parsed = parse_taobao(&orders_csv, &items_csv, EncodingChoice::Auto, &|_| true)?;
    let store = Store::open(path)?;
    let needles: Vec<String> = orders.iter().map(|o| o.tracking_no.clone()).collect();
    find_times(&store, &needles)?;
    let quiet = Spread::of(find_times(&store, &needles)?);
    let done = AtomicBool::new(false);
    let (import, scans) = std::thread::scope(|scope| {
        let import = scope.spawn(|| -> anyhow::Result<(Duration, String)> {
            let mut writer = Store::open(path)?;
            let files = [orders_csv.as_path(), items_csv.as_path()];
            let (took, summary) = timed(|| {
                writer.import_orders(
                    &parsed.orders,
                    "taobao",
                    &files,
                    0,
                    false,
                    "import",
                    &mut |_| true,
                )
            });
            done.store(true, Ordering::SeqCst);
            let summary = summary?;
            Ok((
                took,
                format!("{} new, {} updated", summary.new, summary.updated),
            ))
        });
        let mut times = Vec::new();
        let mut at = 0;
        while !done.load(Ordering::SeqCst) {
            let (took, found) = timed(|| store.pack_find(&needles[at % needles.len()]));
            if found.is_err() {
                break;
            }
            times.push(took);
            at += 1;
        }
        (import.join(), times)
    });
    let (took, summary) = import.map_err(|_| anyhow::anyhow!("the import thread panicked"))??;
    println!("import: {summary} in {:.1} s", took.as_secs_f64());
    report(
        "pack_find by tracking number during the import",
        &Spread::of(scans),
    );
    report(
        "pack_find by tracking number, no import (same needles)",
        &quiet,
    );
    Ok(())
}

/// A pass-and-ship write started while the import holds the write lock waits for it.
fn write_during_import(path: &Path, dir: &Path, order: &PackOrder) -> anyhow::Result<()> {
    let (orders_csv, items_csv) = generate_taobao_pair(dir, IMPORT_ORDERS / 10, 11)?;
    let parsed = parse_taobao(&orders_csv, &items_csv, EncodingChoice::Auto, &|_| true)?;
    let mut store = Store::open(path)?;
    let started = AtomicBool::new(false);
    let (import, wait) = std::thread::scope(|scope| {
        let import = scope.spawn(|| -> anyhow::Result<Duration> {
            let mut writer = Store::open(path)?;
            let files = [orders_csv.as_path(), items_csv.as_path()];
            let (took, summary) = timed(|| {
                writer.import_orders(
                    &parsed.orders,
                    "taobao",
                    &files,
                    0,
                    false,
                    "import",
                    &mut |_| {
                        started.store(true, Ordering::SeqCst);
                        true
                    },
                )
            });
            summary?;
            Ok(took)
        });
        while !started.load(Ordering::SeqCst) && !import.is_finished() {
            std::thread::yield_now();
        }
        let checked = PackCheck::new(order.items.clone()).checked();
        let (wait, result) = timed(|| store.pack_pass(order.id, &checked, None, OPERATOR));
        (import.join(), (wait, result))
    });
    let took = import.map_err(|_| anyhow::anyhow!("the import thread panicked"))??;
    let (wait, result) = wait;
    println!(
        "{:<58} {:>8.3} ms  (import of {} orders took {:.0} ms; {:?})",
        "pack_pass started during an import waits",
        ms(wait),
        IMPORT_ORDERS / 10,
        ms(took),
        result.map(|r| matches!(r, ShipResult::Shipped { .. }))
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR"))?;
    let path = shop_file(dir.path(), &args)?;
    let (took, store) = timed(|| Store::open(&path));
    let mut store = store?;
    println!(
        "opened {} ({} orders, schema {}) in {:.1} s",
        path.display(),
        store.counts()?.1,
        store.schema_version()?,
        took.as_secs_f64()
    );
    let conn = Connection::open(&path)?;
    // The sample shop's stock is sized for its own orders, not for thousands more shipped
    // in one morning: every single product gets plenty, so no pass is refused for stock.
    for row in store.stock_report()? {
        if !row.is_bundle {
            store.adjust_stock(&row.code, 100_000, "bench: stock for the station", OPERATOR)?;
        }
    }
    let courier = "SF";
    let ids = packable(&mut store, &conn, courier, PARCELS + 1)?;
    // A small sample shop has fewer recent orders: as many parcels as it has.
    let parcels = PARCELS.min(ids.len().saturating_sub(1));
    anyhow::ensure!(parcels > 0, "no packable orders");
    if parcels < PARCELS {
        println!("  only {parcels} parcels: a bigger shop has more recent orders");
    }
    let orders: Vec<PackOrder> = ids
        .iter()
        .map(|&id| store.pack_order(id))
        .collect::<Result<_, _>>()?;

    scan_to_screen(&store, &conn)?;
    item_scans(&orders);
    let shipped = pass_and_ship(&mut store, &path, &orders[..parcels])?;
    handover(&mut store, courier, &shipped)?;
    drop(conn);
    drop(store);
    scans_during_import(&path, dir.path(), &orders[..parcels])?;
    write_during_import(&path, dir.path(), &orders[parcels])?;
    Ok(())
}
