//! CSV import workload: a generated Taobao export pair of 100,000 orders
//! (~180,000 item rows, GB18030), parsed and imported with the search index, compared in the
//! same run with the raw floor (the `sqlite3` shell's `.import` of the same files converted to
//! UTF-8 into bare tables) and with `sqlite-utils insert --csv` (PyPI) when it is installed.
//!
//! `cargo bench --bench import` (100,000 orders) or `cargo bench --bench import -- 20000`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use shopdesk::import::{EncodingChoice, generate_taobao_pair, parse_taobao};
use shopdesk::store::Store;

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Peak resident memory of this process so far, in MB (Linux).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// CPU seconds of this process (user + system) and of its waited-for children, from
/// /proc (Linux): on a machine shared with other work the wall clock overstates our time.
fn cpu_secs() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<f64> = stat
        .rsplit(')')
        .next()?
        .split_whitespace()
        .skip(11)
        .take(4)
        .filter_map(|f| f.parse().ok())
        .collect();
    let tick = 100.0;
    Some((
        (fields.first()? + fields.get(1)?) / tick,
        (fields.get(2)? + fields.get(3)?) / tick,
    ))
}

fn to_utf8(from: &Path, to: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(from)?;
    let (text, _, _) = encoding_rs::GB18030.decode(&bytes);
    std::fs::write(to, text.as_bytes())?;
    Ok(())
}

fn time_command(command: &mut Command) -> Option<Duration> {
    let started = Instant::now();
    let status = command.status().ok()?;
    status.success().then(|| started.elapsed())
}

fn main() -> anyhow::Result<()> {
    let orders: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let (orders_csv, items_csv) = generate_taobao_pair(dir.path(), orders, 1)?;
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    println!(
        "import benchmark: {orders} orders, files {:.1} MB + {:.1} MB (GB18030)",
        size(&orders_csv) as f64 / 1e6,
        size(&items_csv) as f64 / 1e6
    );

    // ShopDesk: parse (decode + CSV + validation), then write in one transaction.
    let db = dir.path().join("shop.db");
    // SHOPDESK_BENCH_MEMORY=1 writes to an in-memory database: the difference to the file
    // run is what the disk costs.
    let mut store = if std::env::var_os("SHOPDESK_BENCH_MEMORY").is_some() {
        Store::open_in_memory()?
    } else {
        Store::open(&db)?
    };
    let cpu_before = cpu_secs();
    let started = Instant::now();
    let parsed = parse_taobao(&orders_csv, &items_csv, EncodingChoice::Auto, &|_| true)?;
    let parse_time = started.elapsed();
    let lines: usize = parsed.orders.iter().map(|o| o.lines.len()).sum();
    let files = [orders_csv.as_path(), items_csv.as_path()];
    let write_started = Instant::now();
    let summary = store.import_orders(
        &parsed.orders,
        "taobao",
        &files,
        parsed.rejected.len() as u64,
        false,
        "owner",
        &mut |_| true,
    )?;
    let write_time = write_started.elapsed();
    let total = started.elapsed();
    println!(
        "shopdesk: {} new orders, {lines} lines, {} rejected: parse {:.2} s + write {:.2} s = {:.2} s",
        summary.new,
        summary.rejected,
        secs(parse_time),
        secs(write_time),
        secs(total)
    );
    let t = summary.timings;
    println!(
        "  write phases: checks {:.2} s, rows/lines/events/search {:.2} s, indexes {:.2} s, commit {:.2} s",
        secs(t.check),
        secs(t.write),
        secs(t.indexes),
        secs(t.commit)
    );
    if let (Some((a, _)), Some((b, _))) = (cpu_before, cpu_secs()) {
        println!("shopdesk: CPU time {:.2} s", b - a);
    }
    if let Some(mb) = peak_rss_mb() {
        println!("shopdesk: peak memory {mb:.0} MB");
    }
    // Re-import: every order known, nothing written.
    let started = Instant::now();
    let parsed = parse_taobao(&orders_csv, &items_csv, EncodingChoice::Auto, &|_| true)?;
    let again = store.import_orders(
        &parsed.orders,
        "taobao",
        &files,
        0,
        false,
        "owner",
        &mut |_| true,
    )?;
    println!(
        "shopdesk re-import: {} unchanged, {} new in {:.2} s",
        again.unchanged,
        again.new,
        secs(started.elapsed())
    );

    // The raw floor: sqlite3's .import of the same files (converted to UTF-8 first, untimed).
    let (orders_utf8, items_utf8) = (dir.path().join("orders.csv"), dir.path().join("items.csv"));
    to_utf8(&orders_csv, &orders_utf8)?;
    to_utf8(&items_csv, &items_utf8)?;
    let floor_db = dir.path().join("floor.db");
    let floor = time_command(
        Command::new("sqlite3")
            .arg(&floor_db)
            .arg(".mode csv")
            .arg(format!(".import {} orders", orders_utf8.display()))
            .arg(format!(".import {} items", items_utf8.display())),
    );
    if let Some((_, children)) = cpu_secs() {
        println!("sqlite3 .import: CPU time {children:.2} s");
    }
    match floor {
        Some(floor) => println!(
            "sqlite3 .import (raw floor): {:.2} s; shopdesk / floor = {:.2}×",
            secs(floor),
            secs(total) / secs(floor)
        ),
        None => println!("sqlite3 .import: skipped (no sqlite3 shell: apt-get install sqlite3)"),
    }

    let utils_db = dir.path().join("utils.db");
    let utils = time_command(
        Command::new("sqlite-utils")
            .arg("insert")
            .arg(&utils_db)
            .arg("orders")
            .arg(&orders_utf8)
            .arg("--csv"),
    )
    .and_then(|a| {
        time_command(
            Command::new("sqlite-utils")
                .arg("insert")
                .arg(&utils_db)
                .arg("items")
                .arg(&items_utf8)
                .arg("--csv"),
        )
        .map(|b| a + b)
    });
    match utils {
        Some(utils) => println!(
            "sqlite-utils insert --csv: {:.2} s; shopdesk / sqlite-utils = {:.2}×",
            secs(utils),
            secs(total) / secs(utils)
        ),
        None => println!("sqlite-utils: skipped (pip install sqlite-utils)"),
    }
    Ok(())
}
