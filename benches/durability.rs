//! The cost of durability: single-row commits per second through the store (a stock
//! adjustment each, `synchronous = FULL` as the shop's file runs), next to bare commits
//! of the same bundled SQLite with `synchronous = NORMAL` and `FULL` measured in the same
//! run. Prints figures; asserts nothing about time.
//!
//! `cargo bench --bench durability` (1,000 commits each), or
//! `cargo bench --bench durability -- 200` for a quicker run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Instant;

use rusqlite::Connection;
use shopdesk::store::Store;

fn report(what: &str, n: u32, seconds: f64) {
    println!(
        "{what:<48} {:>8.0} commits/s  {:>7.3} ms each",
        f64::from(n) / seconds,
        seconds * 1000.0 / f64::from(n)
    );
}

/// Bare commits of one small INSERT each, with the given `synchronous` setting.
fn bare(path: &Path, synchronous: &str, n: u32) -> anyhow::Result<f64> {
    let conn = Connection::open(path)?;
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous};
         CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL);"
    ))?;
    let started = Instant::now();
    for i in 0..n {
        conn.execute("INSERT INTO t (v) VALUES (?1)", [i])?;
    }
    Ok(started.elapsed().as_secs_f64())
}

fn main() -> anyhow::Result<()> {
    let n: u32 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR"))?;
    println!(
        "durability benchmark, {n} commits each, {}",
        dir.path().display()
    );

    let path = dir.path().join("shop.db");
    let mut store = Store::open(&path)?;
    let now = chrono::Local::now().fixed_offset();
    store.load_demo(300, 1, now, &mut |_| true)?;
    let code = store
        .stock_report()?
        .into_iter()
        .map(|r| r.code)
        .next()
        .expect("the sample shop has products");
    // The first write runs the file's quick_check; it is not a commit's cost.
    store.adjust_stock(&code, 1, "warm-up", "owner")?;
    let started = Instant::now();
    for _ in 0..n {
        store.adjust_stock(&code, 1, "bench", "owner")?;
    }
    report(
        "store: stock adjustment (FULL)",
        n,
        started.elapsed().as_secs_f64(),
    );
    report(
        "floor: bare INSERT, synchronous = NORMAL",
        n,
        bare(&dir.path().join("normal.db"), "NORMAL", n)?,
    );
    report(
        "floor: bare INSERT, synchronous = FULL",
        n,
        bare(&dir.path().join("full.db"), "FULL", n)?,
    );
    Ok(())
}
