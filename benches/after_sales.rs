//! After-sales: the cases list (each filter of the tab, a deep page), the day's figures
//! and a case's detail with 100,000 cases on a 1,000,000-order shop, and the writes of a
//! case's life (open, receive, refund, close). Each figure is printed next to a peer
//! measured in the same run on the same file (the Orders tab's first page, and one
//! indexed row read); nothing about time is asserted.
//!
//! `cargo bench --bench after_sales` builds a 1,000,000-order demo shop in a temp dir first
//! (`-- --orders 200000` for a smaller one; `-- --keep PATH` keeps a copy of it; `-- --db PATH`
//! works on a copy of a shop written by `shopdesk --db PATH demo --orders 1000000`), then adds `--cases N` cases (100,000 by
//! default) spread over the last 120 days.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use shopdesk::domain::after_sales::{CaseStatus, CaseType};
use shopdesk::store::{CaseFilter, NewCase, OrderQuery, Store, now_text};

fn arg(flag: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn shop(dir: &Path) -> PathBuf {
    let db = dir.join("shop.db");
    if let Some(path) = arg("--db") {
        std::fs::copy(&path, &db).expect("copy the shop");
        return db;
    }
    let orders: u64 = arg("--orders")
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let started = Instant::now();
    let mut store = Store::open(&db).expect("store");
    shopdesk::app::settings::load_sample_shop(&mut store, orders, 1, &|_| true).expect("demo");
    println!(
        "demo shop of {orders} orders written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    db
}

/// Adds `n` cases on shipped and archived orders: every type, reason and status, opened
/// over the last 120 days, four in five finished, with a line, a refund record and two log
/// entries each, as the store writes them.
fn seed_cases(db: &Path, n: i64) {
    let started = Instant::now();
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute_batch("BEGIN").expect("begin");
    conn.execute(
        "INSERT INTO cases (order_id, kind, status, reason, owner, goods_received,
             requested_cents, refund_cents, opened_at, closed_at, due_at, updated_at,
             handling_minutes)
         SELECT id,
                CASE id % 5 WHEN 0 THEN 'refund' WHEN 1 THEN 'return' WHEN 2 THEN 'exchange'
                            WHEN 3 THEN 'reship' ELSE 'complaint' END,
                CASE WHEN id % 10 < 8 THEN 'closed'
                     WHEN id % 10 = 8 THEN 'waiting_return' ELSE 'open' END,
                CASE (id / 5) % 9 WHEN 0 THEN 'no_reason_7day' WHEN 1 THEN 'quality'
                    WHEN 2 THEN 'wrong_item' WHEN 3 THEN 'missing_item'
                    WHEN 4 THEN 'damaged_in_transit' WHEN 5 THEN 'damaged_by_packing'
                    WHEN 6 THEN 'size_colour' WHEN 7 THEN 'not_received' ELSE 'other' END,
                CASE id % 3 WHEN 0 THEN '小美' WHEN 1 THEN '小李' ELSE '店长' END,
                id % 10 < 8,
                (id % 50) * 100, CASE WHEN id % 10 < 8 THEN (id % 50) * 100 ELSE 0 END,
                strftime('%Y-%m-%dT%H:%M:%S+08:00', 'now', printf('-%d minutes', (id * 7919) % 172800)),
                CASE WHEN id % 10 < 8 THEN
                    strftime('%Y-%m-%dT%H:%M:%S+08:00', 'now',
                             printf('-%d minutes', max((id * 7919) % 172800 - 2000, 0))) END,
                CASE WHEN id % 10 >= 8 THEN
                    strftime('%Y-%m-%dT%H:%M:%S+08:00', 'now',
                             printf('-%d minutes', (id * 7919) % 172800 - 1440 * 3)) END,
                strftime('%Y-%m-%dT%H:%M:%S+08:00', 'now'),
                CASE WHEN id % 10 < 8 THEN min(2000, (id * 7919) % 172800) END
         FROM orders WHERE state IN ('shipped', 'archived') AND merged_into IS NULL
         ORDER BY id LIMIT ?1",
        [n],
    )
    .expect("cases");
    conn.execute_batch(
        "INSERT INTO case_lines (case_id, code, product_id, title, quantity, unit_price_cents)
         SELECT c.id, COALESCE(p.code, l.sku), l.product_id, l.title, 1, l.unit_price_cents
         FROM cases c JOIN order_lines l ON l.id = (SELECT min(id) FROM order_lines WHERE order_id = c.order_id)
         LEFT JOIN products p ON p.id = l.product_id;
         INSERT INTO case_events (case_id, at, operator, action, detail)
         SELECT id, opened_at, owner, 'open', kind FROM cases;
         INSERT INTO case_events (case_id, at, operator, action, detail)
         SELECT id, closed_at, owner, 'close', '' FROM cases WHERE closed_at IS NOT NULL;
         INSERT INTO case_refunds (case_id, order_id, cents, on_order, source, at, operator)
         SELECT id, order_id, refund_cents, 0, 'shop', closed_at, owner FROM cases
         WHERE refund_cents > 0;
         COMMIT; ANALYZE;",
    )
    .expect("lines, logs and refunds");
    let count: i64 = conn
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .expect("count");
    println!(
        "{count} cases added in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// Best and median of `runs` timings of `f` (after one warm-up run).
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(f());
            started.elapsed()
        })
        .collect();
    times.sort();
    (times[0], times[times.len() / 2])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn row(what: &str, (best, median): (Duration, Duration)) {
    println!(
        "  {what:<58} best {:>8.2} ms  median {:>8.2} ms",
        ms(best),
        ms(median)
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    if let Some(keep) = arg("--keep") {
        // The demo shop takes minutes to write: keep a copy for `--db` next time.
        std::fs::copy(&db, &keep).expect("keep a copy");
    }
    let cases: i64 = arg("--cases")
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    seed_cases(&db, cases);
    let store = Store::open(&db).expect("store");
    let now = now_text();
    let today = now[..10].to_owned();
    let some_order: String = rusqlite::Connection::open(&db)
        .expect("open")
        .query_row(
            "SELECT o.order_no FROM cases c JOIN orders o ON o.id = c.order_id
             ORDER BY c.id DESC LIMIT 1 OFFSET 5000",
            [],
            |r| r.get(0),
        )
        .expect("an order with a case");
    let week_ago = chrono::Local::now() - chrono::Duration::days(7);

    println!("peers on the same file:");
    row(
        "Orders tab: first page of the order list",
        time(20, || {
            store
                .query_orders(&OrderQuery {
                    limit: 200,
                    ..OrderQuery::default()
                })
                .expect("orders")
        }),
    );
    let conn = rusqlite::Connection::open(&db).expect("open");
    row(
        "floor: one case row read by its id",
        time(50, || {
            conn.query_row("SELECT * FROM cases WHERE id = 42", [], |r| {
                r.get::<_, i64>(0)
            })
            .expect("case")
        }),
    );

    println!("the cases list (a page of 200 and the count of all matches):");
    let filters: Vec<(&str, CaseFilter)> = vec![
        ("all cases", CaseFilter::default()),
        (
            "unfinished (the tab's default)",
            CaseFilter {
                unfinished: true,
                ..CaseFilter::default()
            },
        ),
        (
            "waiting for the return parcel",
            CaseFilter {
                status: Some(CaseStatus::WaitingReturn),
                ..CaseFilter::default()
            },
        ),
        (
            "overdue",
            CaseFilter {
                overdue: true,
                ..CaseFilter::default()
            },
        ),
        (
            "returns",
            CaseFilter {
                kind: Some(CaseType::Return),
                ..CaseFilter::default()
            },
        ),
        (
            "returns for a quality problem",
            CaseFilter {
                kind: Some(CaseType::Return),
                reason: Some("quality".to_owned()),
                ..CaseFilter::default()
            },
        ),
        (
            "one owner's unfinished cases",
            CaseFilter {
                owner: Some("小美".to_owned()),
                unfinished: true,
                ..CaseFilter::default()
            },
        ),
        (
            "opened in the last 7 days",
            CaseFilter {
                from: Some(week_ago.format("%Y-%m-%d").to_string()),
                ..CaseFilter::default()
            },
        ),
        (
            "an order's cases by its number",
            CaseFilter {
                text: some_order.clone(),
                ..CaseFilter::default()
            },
        ),
        (
            "a case by its number",
            CaseFilter {
                text: "AS000042".to_owned(),
                ..CaseFilter::default()
            },
        ),
        (
            "a deep page (after 50,000 rows)",
            CaseFilter {
                before_id: Some(cases - 50_000),
                ..CaseFilter::default()
            },
        ),
    ];
    for (what, filter) in &filters {
        let page = store.cases(filter, &now).expect("cases");
        row(
            &format!("{what} ({} of {})", page.rows.len(), page.total),
            time(10, || store.cases(filter, &now).expect("cases")),
        );
    }
    println!(
        "the day's figures (opened/closed today, waiting, overdue, refunds, average, reasons, queues):"
    );
    row(
        "case_figures",
        time(10, || store.case_figures(&today, &now).expect("figures")),
    );
    // Each figure's query alone, as the store runs it, with its plan.
    let next_day = format!("{today}\u{ff}");
    let month = today[..7].to_owned();
    let month_end = format!("{month}\u{ff}");
    let month_ago = (chrono::Local::now() - chrono::Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    let parts: [(&str, &str, Vec<&dyn rusqlite::ToSql>); 9] = [
        ("opened today", "SELECT count(*) FROM cases WHERE opened_at >= ?1 AND opened_at < ?2", vec![&today, &next_day]),
        ("closed today", "SELECT count(*) FROM cases WHERE closed_at >= ?1 AND closed_at < ?2", vec![&today, &next_day]),
        ("waiting", "SELECT count(*) FROM cases WHERE status = 'waiting_return'", vec![]),
        ("overdue", "SELECT count(*) FROM cases WHERE due_at < ?1 AND status NOT IN ('closed', 'rejected')", vec![&now]),
        ("refunds today", "SELECT COALESCE(SUM(cents), 0) FROM case_refunds WHERE at >= ?1 AND at < ?2", vec![&today, &next_day]),
        ("average handling, 30 days", "SELECT AVG(handling_minutes) / 60.0 FROM cases WHERE closed_at >= ?1 AND closed_at < ?2", vec![&month_ago, &next_day]),
        ("returns by reason, month", "SELECT reason, count(*) FROM cases WHERE kind IN ('return', 'exchange') AND opened_at >= ?1 AND opened_at < ?2 GROUP BY reason", vec![&month, &month_end]),
        ("unpaid to follow up", "SELECT count(*) FROM orders o WHERE o.payment_status = 'unpaid' AND o.cash_on_delivery = 0
    AND o.state IN ('pending_review', 'approved') AND o.merged_into IS NULL", vec![]),
        ("problem orders", "SELECT count(*) FROM orders o WHERE (o.on_hold = 1 OR o.flag = 'red')
    AND o.state NOT IN ('archived', 'cancelled') AND o.merged_into IS NULL", vec![]),
    ];
    for (what, sql, args) in &parts {
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("plan")
            .query_map(args.as_slice(), |r| r.get::<_, String>(3))
            .expect("plan")
            .collect::<Result<_, _>>()
            .expect("plan");
        row(
            &format!("  {what}: {}", plan.join("; ")),
            time(10, || {
                conn.prepare_cached(sql)
                    .expect("sql")
                    .query_map(args.as_slice(), |r| r.get::<_, Option<f64>>(0).map(|_| ()))
                    .expect("query")
                    .count()
            }),
        );
    }
    row(
        "a case's detail (lines, refunds, log, order)",
        time(20, || store.case_detail(cases / 2).expect("detail")),
    );

    println!("a case's life on this file (each one BEGIN IMMEDIATE transaction):");
    let mut store = store;
    let shipped: Vec<i64> = rusqlite::Connection::open(&db)
        .expect("open")
        .prepare(
            "SELECT o.id FROM orders o WHERE o.state = 'shipped' AND o.merged_into IS NULL
               AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.order_id = o.id)
               AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.product_id IS NULL)
             ORDER BY o.id DESC LIMIT 50",
        )
        .expect("orders")
        .query_map([], |r| r.get(0))
        .expect("orders")
        .collect::<Result<_, _>>()
        .expect("orders");
    let mut open = Vec::new();
    let mut receive = Vec::new();
    let mut refund = Vec::new();
    let mut close = Vec::new();
    for order_id in shipped {
        let started = Instant::now();
        let id = store
            .open_case(
                &NewCase {
                    order_id,
                    kind: CaseType::Return,
                    reason: "quality".to_owned(),
                    lines: Vec::new(),
                    requested_cents: None,
                    owner: String::new(),
                    note: String::new(),
                    return_tracking: String::new(),
                },
                "bench",
            )
            .expect("open");
        open.push(started.elapsed());
        let started = Instant::now();
        store.receive_return(id, &[], "", "bench").expect("receive");
        receive.push(started.elapsed());
        let started = Instant::now();
        store.refund_case(id, 1, "", "bench").expect("refund");
        refund.push(started.elapsed());
        let started = Instant::now();
        store.close_case(id, true, "bench").expect("close");
        close.push(started.elapsed());
    }
    for (what, mut times) in [
        ("open a case", open),
        ("receive its parcel (ledger movements)", receive),
        ("refund (case, order, log)", refund),
        ("close (flag off)", close),
    ] {
        times.sort();
        let n = times.len();
        if n > 0 {
            row(what, (times[0], times[n / 2]));
        }
    }
    let problems = store.check().expect("check");
    println!(
        "check after the writes: {}",
        if problems.is_empty() {
            "ok".to_owned()
        } else {
            problems.join("; ")
        }
    );
}
