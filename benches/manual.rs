//! Manual orders: the address reader against `cpca` (PyPI) on the same case table in the
//! same run (accuracy and time per parse), product search per keystroke on 50,000
//! products, creating a manual order on a large shop, and a customer's history. Each
//! figure is printed next to a floor measured in the same run; nothing about time is
//! asserted.
//!
//! `cargo bench --bench manual` builds a 1,000,000-order demo shop in a temp dir first
//! (`-- --orders 200000` for a smaller one; `-- --db PATH` works on a copy of a shop
//! written by `shopdesk --db PATH demo --orders 1000000`). The cpca side needs
//! `pip install cpca`; without it the bench says so and reports ShopDesk's side alone.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use shopdesk::domain::address::parse_address;
use shopdesk::domain::model::NewProduct;
use shopdesk::store::{ManualLine, ManualOrder, ProductFilter, Receiver, Store};

const CASES: &str = include_str!("address_cases.tsv");
const PRODUCTS: usize = 50_000;

struct Spread {
    mean: Duration,
    p99: Duration,
    max: Duration,
}

impl Spread {
    fn of(mut times: Vec<Duration>) -> Spread {
        times.sort();
        let n = times.len().max(1);
        let total: Duration = times.iter().sum();
        Spread {
            mean: total / n as u32,
            p99: times
                .get(((n - 1) as f64 * 0.99).round() as usize)
                .copied()
                .unwrap_or_default(),
            max: times.last().copied().unwrap_or_default(),
        }
    }
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn unescape(cell: &str) -> String {
    let mut out = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('\\') => out.push('\\'),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn address_bench() {
    let cases: Vec<Vec<String>> = CASES
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').map(unescape).collect())
        .collect();
    // Warm-up: the division table is parsed once.
    let _ = parse_address("浙江省杭州市西湖区");
    let mut correct = 0;
    let mut all_fields = 0;
    let mut times = Vec::with_capacity(cases.len() * 20);
    for case in &cases {
        let got = parse_address(&case[0]);
        if got.province == case[3]
            && got.city == case[4]
            && got.district == case[5]
            && no_space(&got.address) == no_space(&case[6])
        {
            correct += 1;
            if got.name == case[1] && got.phone == case[2] && got.postcode == case[7] {
                all_fields += 1;
            }
        }
    }
    for _ in 0..20 {
        for case in &cases {
            let started = Instant::now();
            std::hint::black_box(parse_address(&case[0]));
            times.push(started.elapsed());
        }
    }
    let spread = Spread::of(times);
    // Floor: folding the same text to a String, which every reading must do at least.
    let started = Instant::now();
    for case in &cases {
        std::hint::black_box(case[0].chars().collect::<String>());
    }
    let floor = started.elapsed() / cases.len() as u32;
    println!(
        "address reading, {} cases: ShopDesk {correct}/{} correct ({:.1}%), every field {all_fields}/{}; \
         mean {:.1} µs, p99 {:.1} µs, max {:.1} µs (floor: copying the text {:.2} µs)",
        cases.len(),
        cases.len(),
        100.0 * correct as f64 / cases.len() as f64,
        cases.len(),
        us(spread.mean),
        us(spread.p99),
        us(spread.max),
        us(floor)
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/address_cpca.py");
    match std::process::Command::new("python3").arg(&script).output() {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            match serde_json::from_str::<serde_json::Value>(text.trim()) {
                Ok(v) => println!(
                    "address reading, same cases: cpca {}/{} correct ({:.1}%), divisions alone {:.1}%; \
                     mean {:.1} µs, p99 {:.1} µs",
                    v["correct"],
                    v["cases"],
                    100.0 * v["accuracy"].as_f64().unwrap_or_default(),
                    100.0 * v["divisions_accuracy"].as_f64().unwrap_or_default(),
                    v["mean_us"].as_f64().unwrap_or_default(),
                    v["p99_us"].as_f64().unwrap_or_default()
                ),
                Err(_) => println!("cpca: unexpected output: {text}"),
            }
        }
        Ok(out) => println!(
            "cpca not measured: {} (pip install cpca)",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("failed")
        ),
        Err(e) => println!("cpca not measured: python3 not found ({e})"),
    }
}

fn search_bench(dir: &Path) {
    let db = dir.join("products.db");
    let mut store = Store::open(&db).expect("store");
    let words = [
        "帆布托特包",
        "印花T恤",
        "手机壳",
        "保温杯",
        "龙井茶",
        "陶瓷碗",
        "数据线",
    ];
    let colours = ["黑", "白", "红", "蓝", "绿", "灰"];
    let products: Vec<NewProduct> = (0..PRODUCTS)
        .map(|i| NewProduct {
            code: format!("P{i:05}"),
            name: format!(
                "{} {} {}号",
                words[i % words.len()],
                colours[(i / 7) % colours.len()],
                i % 100
            ),
            barcodes: vec![format!("69{i:011}")],
            supplier_item_no: format!("S-{:04}", i % 5000),
            price_cents: 1990,
            ..NewProduct::default()
        })
        .collect();
    let started = Instant::now();
    store.upsert_products(&products).expect("products");
    println!(
        "{PRODUCTS} products written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Keystrokes as the owner types them: a code, a name, a barcode, a supplier number.
    let typed = [
        "P",
        "P1",
        "P12",
        "P123",
        "P1234",
        "手",
        "手机",
        "手机壳",
        "69000001",
        "690000012345",
        "S-0",
        "S-042",
    ];
    let mut times = Vec::new();
    for _ in 0..5 {
        for text in typed {
            let started = Instant::now();
            let page = store
                .product_page(&ProductFilter {
                    search: text.to_owned(),
                    limit: 50,
                    ..ProductFilter::default()
                })
                .expect("search");
            times.push(started.elapsed());
            std::hint::black_box(page);
        }
    }
    let spread = Spread::of(times);
    let conn = rusqlite::Connection::open(&db).expect("conn");
    let started = Instant::now();
    for i in 0..1000 {
        let _: i64 = conn
            .query_row(
                "SELECT id FROM products WHERE code = ?1",
                [format!("P{:05}", i * 37 % PRODUCTS)],
                |r| r.get(0),
            )
            .expect("floor");
    }
    let floor = started.elapsed() / 1000;
    println!(
        "product search per keystroke, {PRODUCTS} products, 50 rows with stock figures: \
         mean {:.1} ms, p99 {:.1} ms, max {:.1} ms (floor: one product by code {:.3} ms)",
        ms(spread.mean),
        ms(spread.p99),
        ms(spread.max),
        ms(floor)
    );
}

fn shop(dir: &Path) -> PathBuf {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let db = dir.join("shop.db");
    if let Some(path) = value("--db") {
        std::fs::copy(&path, &db).expect("copy the shop");
        return db;
    }
    let orders: u64 = value("--orders")
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

fn order_bench(db: &Path) {
    let mut store = Store::open(db).expect("store");
    let orders: i64 = rusqlite::Connection::open(db)
        .expect("conn")
        .query_row("SELECT count(*) FROM orders", [], |r| r.get(0))
        .expect("count");
    let codes: Vec<String> = rusqlite::Connection::open(db)
        .expect("conn")
        .prepare("SELECT code FROM products WHERE is_bundle = 0 AND active = 1 LIMIT 20")
        .expect("codes")
        .query_map([], |r| r.get(0))
        .expect("codes")
        .collect::<Result<_, _>>()
        .expect("codes");
    let mut times = Vec::new();
    for i in 0..200 {
        let order = ManualOrder {
            receiver: Receiver {
                name: "张三".to_owned(),
                phone: format!("1380013{:04}", i),
                province: "浙江省".to_owned(),
                city: "杭州市".to_owned(),
                district: "西湖区".to_owned(),
                address: format!("文三路{i}号"),
                postcode: "310000".to_owned(),
            },
            lines: vec![
                ManualLine {
                    code: codes[i % codes.len()].clone(),
                    quantity: 1,
                    unit_price_cents: None,
                },
                ManualLine {
                    code: codes[(i + 1) % codes.len()].clone(),
                    quantity: 2,
                    unit_price_cents: Some(990),
                },
            ],
            ..ManualOrder::default()
        };
        let started = Instant::now();
        store.create_manual_order(&order, "bench").expect("create");
        times.push(started.elapsed());
    }
    let spread = Spread::of(times);
    // Floor: a one-row write transaction on the same file (its commit is the fsync), in a
    // table of its own in this copy of the shop.
    let conn = rusqlite::Connection::open(db).expect("conn");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE IF NOT EXISTS bench_floor (x INTEGER);",
    )
    .expect("pragmas");
    let mut floor = Vec::new();
    for i in 0..200 {
        let started = Instant::now();
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; INSERT INTO bench_floor VALUES ({i}); COMMIT;"
        ))
        .expect("floor");
        floor.push(started.elapsed());
    }
    let floor = Spread::of(floor);
    println!(
        "creating a manual order (2 lines, numbered, buyer keyed) on {orders} orders: \
         mean {:.2} ms, p99 {:.2} ms, max {:.2} ms (floor: a one-row write transaction \
         p99 {:.2} ms)",
        ms(spread.mean),
        ms(spread.p99),
        ms(spread.max),
        ms(floor.p99)
    );

    // A customer's history: the buyers with the most orders.
    let buyers: Vec<i64> = rusqlite::Connection::open(db)
        .expect("conn")
        .prepare(
            "SELECT c.id FROM customers c JOIN orders o
               ON o.platform = c.platform AND o.buyer_id = c.buyer_id
             GROUP BY c.id ORDER BY count(*) DESC LIMIT 50",
        )
        .expect("buyers")
        .query_map([], |r| r.get(0))
        .expect("buyers")
        .collect::<Result<_, _>>()
        .expect("buyers");
    let mut times = Vec::new();
    let mut most = 0;
    for &id in &buyers {
        let started = Instant::now();
        let detail = store.customer(id).expect("customer");
        times.push(started.elapsed());
        most = most.max(detail.orders.len());
    }
    let spread = Spread::of(times);
    let mut searches = Vec::new();
    for text in ["张", "王芳", "8000", "1234", "tb_"] {
        let started = Instant::now();
        std::hint::black_box(store.customers(text, 200).expect("search"));
        searches.push(started.elapsed());
    }
    let search = Spread::of(searches);
    println!(
        "a customer's history (orders, spent, returns, addresses), the {} busiest buyers \
         (up to {most} orders): mean {:.2} ms, p99 {:.2} ms; customer search by name, \
         phone tail, buyer id: p99 {:.2} ms",
        buyers.len(),
        ms(spread.mean),
        ms(spread.p99),
        ms(search.p99)
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    address_bench();
    search_bench(dir.path());
    let db = shop(dir.path());
    order_bench(&db);
}
