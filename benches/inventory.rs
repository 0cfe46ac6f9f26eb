//! Inventory workloads on 50,000 products and 5,000,000 ledger rows: the product
//! table's filters (first page of 200 with the total), a busy product's ledger (first page
//! with on hand at each step, and a deep page), and posting a 2,000-line stock count.
//! Prints median and p99; asserts nothing about time.
//!
//! `cargo bench --bench inventory` builds the shop in a temp dir (the ledger is written by
//! one INSERT … SELECT over a recursive CTE; the balance trigger runs for every row);
//! `-- --keep PATH` writes it to PATH (or reuses PATH when it exists).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use shopdesk::domain::PaymentStatus;
use shopdesk::domain::inventory::CountEntry;
use shopdesk::domain::model::{NewOrder, NewOrderLine};
use shopdesk::store::{ProductFilter, Store};

const PRODUCTS: i64 = 50_000;
const MOVEMENTS: i64 = 5_000_000;
/// Every 25th movement is of product 1: 200,000 rows for the busy product.
const BUSY_EVERY: i64 = 25;
const RUNS: usize = 21;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:7.1}", d.as_secs_f64() * 1000.0)
}

/// Times `f` `runs` times (after one warm-up run) and returns (median, p99, first result).
fn time<T>(
    runs: usize,
    mut f: impl FnMut() -> anyhow::Result<T>,
) -> anyhow::Result<(Duration, Duration, T)> {
    let first = f()?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f()?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok((percentile(&times, 0.5), percentile(&times, 0.99), first))
}

fn build(path: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    drop(Store::open(path)?);
    let conn = rusqlite::Connection::open(path)?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;")?;
    conn.execute_batch(&format!(
        "BEGIN;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {PRODUCTS})
         INSERT INTO products (code, name, supplier_item_no, bin, price_cents, cost_cents,
                               weight_grams, reorder_point, created_at, updated_at)
         SELECT printf('P%05d', i), printf('商品 %d 号 颜色%d', i, i % 7),
                printf('SUP-%05d', i), printf('%s-%d', char(65 + i % 20), i % 100),
                1000 + i % 5000, 500 + i % 300, 100, i % 30,
                '2026-01-01T00:00:00+08:00', '2026-01-01T00:00:00+08:00'
         FROM n;
         INSERT INTO product_barcodes (barcode, product_id)
         SELECT printf('69%011d', id), id FROM products;
         COMMIT;"
    ))?;
    println!(
        "  {PRODUCTS} products in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    // Openings of 10, then receipts of 3 and sales of 1: every balance stays positive.
    conn.execute_batch(&format!(
        "BEGIN;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {MOVEMENTS})
         INSERT INTO stock_movements (product_id, quantity, reason, reference, operator,
                                      created_at)
         SELECT CASE WHEN i % {BUSY_EVERY} = 0 THEN 1 ELSE 2 + i % ({PRODUCTS} - 1) END,
                CASE WHEN i <= {PRODUCTS} * 2 THEN 10 WHEN i % 4 = 0 THEN 3 ELSE -1 END,
                CASE WHEN i <= {PRODUCTS} * 2 THEN 'opening' WHEN i % 4 = 0 THEN 'purchase_receipt'
                     ELSE 'sale' END,
                printf('R%d', i), 'bench', '2026-01-01T00:00:00+08:00'
         FROM n;
         COMMIT;"
    ))?;
    println!(
        "  {MOVEMENTS} ledger rows in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let dir = tempfile::tempdir()?;
    let path = keep
        .clone()
        .unwrap_or_else(|| dir.path().join("inventory.db"));
    if !path.exists() {
        println!("building the shop in {} …", path.display());
        build(&path)?;
    }
    let mut store = Store::open(&path)?;
    // Some open orders, so theoretical and sellable have something to subtract.
    if store.counts()?.1 == 0 {
        let orders: Vec<NewOrder> = (0..2000)
            .map(|i| {
                let mut o = NewOrder::new("taobao", &format!("B{i}"), "2026-11-20T10:00:00+08:00");
                o.payment_status = PaymentStatus::Paid;
                o.lines.push(NewOrderLine {
                    sku: format!("P{:05}", 1 + (i * 37) % PRODUCTS),
                    title: "x".to_owned(),
                    quantity: 1 + i % 3,
                    unit_price_cents: 1000,
                    ..NewOrderLine::default()
                });
                o
            })
            .collect();
        store.insert_orders(&orders, "bench", "owner")?;
    }
    let problems = store.check()?;
    anyhow::ensure!(problems.is_empty(), "check: {problems:?}");
    println!("shop ready: {} products, check ok", store.counts()?.0);

    println!("\nproducts table: first page of 200 and the total (median / p99 ms)");
    let filters = [
        ("all products", ProductFilter::default()),
        (
            "search code P4321",
            ProductFilter {
                search: "P4321".into(),
                ..ProductFilter::default()
            },
        ),
        (
            "search name 商品 1234",
            ProductFilter {
                search: "商品 1234".into(),
                ..ProductFilter::default()
            },
        ),
        (
            "search supplier item SUP-0999",
            ProductFilter {
                search: "SUP-0999".into(),
                ..ProductFilter::default()
            },
        ),
        (
            "search barcode 6900000012345",
            ProductFilter {
                search: "6900000012345".into(),
                ..ProductFilter::default()
            },
        ),
        (
            "low stock only",
            ProductFilter {
                low_stock_only: true,
                ..ProductFilter::default()
            },
        ),
        (
            "search 颜色3 + low stock + inactive",
            ProductFilter {
                search: "颜色3".into(),
                low_stock_only: true,
                include_inactive: true,
                ..ProductFilter::default()
            },
        ),
    ];
    let mut worst = Duration::ZERO;
    for (label, filter) in filters {
        let filter = ProductFilter {
            limit: 200,
            ..filter
        };
        let (median, p99, page) = time(RUNS, || Ok(store.product_page(&filter)?))?;
        worst = worst.max(p99);
        println!(
            "  {label:<38} {} / {} ms ({} match)",
            ms(median),
            ms(p99),
            page.total
        );
    }
    println!("  worst p99 {} ms (target 100)", ms(worst));

    println!(
        "\nledger of the busy product (200,000 movements), page of 200 with on hand at each step"
    );
    for (label, offset) in [
        ("first page (newest)", 0u32),
        ("page at 100,000", 100_000),
        ("last page", 199_800),
    ] {
        let (median, p99, page) = time(RUNS, || Ok(store.ledger_page(1, offset, 200)?))?;
        println!(
            "  {label:<38} {} / {} ms ({} of {} rows)",
            ms(median),
            ms(p99),
            page.rows.len(),
            page.total
        );
    }

    println!("\nstock count of bins A-0 … A-79 (2,000 products): start, 2,000 entries, post");
    let mut post_times = Vec::new();
    let mut start_times = Vec::new();
    let mut entry_times = Vec::new();
    for run in 0..5 {
        let started = Instant::now();
        let id = store.start_count("A-0", "A-79", "owner")?;
        start_times.push(started.elapsed());
        let detail = store.count_detail(id)?;
        anyhow::ensure!(detail.lines.len() == 2000, "{} lines", detail.lines.len());
        let started = Instant::now();
        for (i, line) in detail.lines.iter().enumerate() {
            // A third counted short, a third over, a third right.
            let counted = (line.on_hand + (i as i64 % 3) - 1 + run).max(0);
            store.count_entry(id, &line.code, CountEntry::Set(counted))?;
        }
        entry_times.push(started.elapsed());
        let started = Instant::now();
        let posted = store.post_count(id, "owner")?;
        post_times.push(started.elapsed());
        if run == 0 {
            println!(
                "  posted {} adjustments ({:+} units)",
                posted.adjusted, posted.units
            );
        }
    }
    for (label, mut times) in [
        ("start (2,000 lines)", start_times),
        ("2,000 entries, one transaction each", entry_times),
        ("post 2,000 lines (one transaction)", post_times),
    ] {
        times.sort();
        println!(
            "  {label:<38} {} / {} ms",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        );
    }
    println!("\nproduct CSV of all 50,000 products (one run each)");
    let csv = dir.path().join("products.csv");
    let started = Instant::now();
    let rows = store.export_products()?;
    shopdesk::import::write_products(&rows, std::io::BufWriter::new(std::fs::File::create(&csv)?))?;
    println!("  {:<38} {} ms", "export", ms(started.elapsed()));
    let started = Instant::now();
    let parsed =
        shopdesk::import::parse_products(&csv, shopdesk::import::EncodingChoice::Auto, &|_| true)?;
    anyhow::ensure!(parsed.rejected.is_empty(), "{:?}", parsed.rejected.first());
    println!("  {:<38} {} ms", "parse", ms(started.elapsed()));
    let started = Instant::now();
    let summary = store.import_products(
        &parsed.products,
        &parsed.active,
        true,
        &mut |_| true,
        "owner",
    )?;
    println!(
        "  {:<38} {} ms ({} updated, {} unchanged)",
        "import preview (rolled back)",
        ms(started.elapsed()),
        summary.updated,
        summary.unchanged
    );
    let problems = store.check()?;
    anyhow::ensure!(problems.is_empty(), "check after the counts: {problems:?}");
    println!("\ncheck ok: on hand equals the sum of the ledger for every product");
    Ok(())
}
