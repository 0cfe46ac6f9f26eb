//! The audit trail on a million orders with their history: one order's whole history, a
//! day's audit (the first page the window shows, and the whole day streamed), next to a
//! floor measured in the same run (the same lookups on the order log alone); and the PIN
//! check of the operator switch. Prints median, p99 and max; asserts nothing about time.
//!
//! `cargo bench --bench operators` writes a 1,000,000-order demo shop in a temp dir first
//! (`-- 200000` for a smaller one); `cargo bench --bench operators -- --db PATH` works on
//! a shop written by `shopdesk --db PATH demo --orders 1000000`. The history: besides the
//! demo's order log and stock ledger, the bench adds to the file's audit_log (once, when
//! it is empty) two entries per order, a remark and a flag by one of four operators at
//! the time the order came in: 2 M entries more.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::{Duration as Days, Local, NaiveDate};
use rusqlite::Connection;
use shopdesk::app::auth;
use shopdesk::store::{AuditQuery, Store};

const RUNS: usize = 21;
const ORDERS_TIMED: usize = 200;

struct Spread {
    median: Duration,
    p99: Duration,
    max: Duration,
}

fn spread(mut times: Vec<Duration>) -> Spread {
    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    Spread {
        median: at(0.5),
        p99: at(0.99),
        max: times[times.len() - 1],
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(what: &str, s: &Spread, note: &str) {
    println!(
        "{what:<44} median {:>8.2} ms  p99 {:>8.2} ms  max {:>8.2} ms  {note}",
        ms(s.median),
        ms(s.p99),
        ms(s.max),
    );
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Spread, T) {
    let first = f();
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        std::hint::black_box(f());
        times.push(started.elapsed());
    }
    (spread(times), first)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let db = args
        .iter()
        .position(|a| a == "--db")
        .and_then(|i| args.get(i + 1))
        .map(std::path::PathBuf::from);
    let orders: u64 = args
        .iter()
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    let path = match db {
        Some(path) => path,
        None => {
            let path = dir.path().join("bench.db");
            println!(
                "writing a demo shop of {orders} orders to {}",
                path.display()
            );
            let mut store = Store::open(&path)?;
            let started = Instant::now();
            store.load_demo(orders, 1, Local::now().fixed_offset(), &mut |_| true)?;
            println!("  in {:.1} s", started.elapsed().as_secs_f64());
            path
        }
    };
    let started = Instant::now();
    drop(Store::open(&path)?);
    println!(
        "opened {} in {:.1} s (includes migrating to the current schema)",
        path.display(),
        started.elapsed().as_secs_f64()
    );

    // The history the operators write: two entries per order, once.
    let conn = Connection::open(&path)?;
    let added: i64 = conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?;
    if added == 0 {
        let started = Instant::now();
        conn.execute_batch(
            "BEGIN;
             INSERT INTO audit_log (at, operator, action, target, order_id, before, after)
             SELECT o.ordered_at,
                    CASE o.id % 4 WHEN 0 THEN 'Boss' WHEN 1 THEN 'Sue' WHEN 2 THEN 'Pat'
                                  ELSE 'Kim' END,
                    'order.remark', o.order_no, o.id, '', 'call the buyer ' || o.id
             FROM orders o;
             INSERT INTO audit_log (at, operator, action, target, order_id, before, after)
             SELECT o.ordered_at, CASE o.id % 2 WHEN 0 THEN 'Sue' ELSE 'Boss' END,
                    'order.flag', o.order_no, o.id, 'none', 'red'
             FROM orders o;
             COMMIT;",
        )?;
        println!(
            "added two audit entries per order in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let count = |sql: &str| -> anyhow::Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    println!(
        "history: {} order events, {} stock movements, {} audit_log entries, {} pack attempts",
        count("SELECT count(*) FROM order_events")?,
        count("SELECT count(*) FROM stock_movements")?,
        count("SELECT count(*) FROM audit_log")?,
        count("SELECT count(*) FROM pack_attempts")?,
    );
    let max_id = count("SELECT max(id) FROM orders")?;
    let store = Store::open(&path)?;

    // One order's whole history, for orders spread over the file.
    let numbers: Vec<(i64, String)> = (0..ORDERS_TIMED as i64)
        .map(|i| {
            let id = 1 + (i * 7919 * 131) % max_id;
            let no: String = conn
                .query_row("SELECT order_no FROM orders WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .unwrap();
            (id, no)
        })
        .collect();
    let mut floor = Vec::new();
    let mut full = Vec::new();
    let mut entries = 0usize;
    let mut floor_stmt = conn.prepare("SELECT count(*) FROM order_events WHERE order_id = ?1")?;
    for (id, no) in &numbers {
        let started = Instant::now();
        let n: i64 = floor_stmt.query_row([id], |r| r.get(0))?;
        floor.push(started.elapsed());
        std::hint::black_box(n);
        let query = AuditQuery {
            order_no: Some(no.clone()),
            ..AuditQuery::default()
        };
        let started = Instant::now();
        let found = store.audit(&query)?;
        full.push(started.elapsed());
        entries += found.len();
    }
    println!("\none order's history ({ORDERS_TIMED} orders spread over the file)");
    report("  floor: count of its order events", &spread(floor), "");
    report(
        "  audit --order (every log)",
        &spread(full),
        &format!("{:.1} entries each", entries as f64 / ORDERS_TIMED as f64),
    );

    // A day's audit: the busiest of the last seven full days.
    let today = Local::now().date_naive();
    let mut day = today - Days::days(1);
    let mut busiest = 0;
    for back in 1..=7 {
        let d = today - Days::days(back);
        let n: i64 = conn.query_row(
            "SELECT count(*) FROM order_events WHERE at >= ?1 AND at < ?2",
            [d.to_string(), (d + Days::days(1)).to_string()],
            |r| r.get(0),
        )?;
        if n > busiest {
            busiest = n;
            day = d;
        }
    }
    let next: NaiveDate = day + Days::days(1);
    let query = AuditQuery {
        since: Some(day.to_string()),
        until: Some(next.to_string()),
        ..AuditQuery::default()
    };
    println!("\na day's audit ({day}, {busiest} order events that day)");
    let (s, n) = time(RUNS, || {
        conn.query_row(
            "SELECT count(*) FROM order_events WHERE at >= ?1 AND at < ?2",
            [day.to_string(), next.to_string()],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
    });
    report(
        "  floor: count of the day's order events",
        &s,
        &format!("{n} events"),
    );
    let page = AuditQuery {
        limit: shopdesk::app::operators::AUDIT_LIMIT,
        ..query.clone()
    };
    let (s, n) = time(RUNS, || store.audit(&page).unwrap().len());
    report(
        "  first page of the day (the window's view)",
        &s,
        &format!("{n} entries"),
    );
    let (s, n) = time(RUNS, || {
        let mut n = 0usize;
        store
            .for_each_audit_entry(&query, |_| {
                n += 1;
                Ok(())
            })
            .unwrap();
        n
    });
    report("  the whole day, streamed", &s, &format!("{n} entries"));
    let by_one = AuditQuery {
        operator: Some("Sue".to_owned()),
        ..query.clone()
    };
    let (s, n) = time(RUNS, || store.audit(&by_one).unwrap().len());
    report(
        "  the whole day of one operator",
        &s,
        &format!("{n} entries"),
    );

    // The operator switch: one PIN verified (Argon2id, the crate's default parameters).
    let hash = auth::hash_pin("2580")?;
    let (s, ok) = time(RUNS, || auth::verify_pin("2580", &hash));
    assert!(ok);
    println!();
    report(
        "PIN check of the operator switch",
        &s,
        "(on the store's thread)",
    );
    Ok(())
}
