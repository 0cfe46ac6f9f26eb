//! The JD, Pinduoduo and Douyin importers and the spreadsheet reader.
//!
//! For each marketplace: an export of 100,000 orders (the fixture's orders repeated under
//! new numbers, one row per order line, in the encoding the marketplace writes) is parsed
//! and imported with the search index into a new file, compared in the same run with the
//! raw floor, the `sqlite3` shell's `.import` of the same rows (as UTF-8) into a bare table.
//!
//! The address reader alone: every distinct `客户地址` of the JD fixture read over and over,
//! time per address.
//!
//! Spreadsheets: the first 100,000 rows of the Douyin export saved as `.xlsx` (every cell
//! text, deflated) are parsed by the Douyin importer; in the same run, the floor is
//! calamine's cell-by-cell read of that sheet (unzip + XML, each cell's value and nothing
//! kept), the peers calamine's load of the whole sheet as a grid of values (what the
//! importer built before it read cell by cell) and the same rows parsed from CSV.
//!
//! `cargo bench --bench marketplaces` (100,000 orders) or `cargo bench --bench marketplaces
//! -- 20000`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/xlsx.rs"]
mod xlsx;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use calamine::Reader;
use shopdesk::import::{EncodingChoice, Parsed, parse_douyin, parse_jd, parse_pdd};
use shopdesk::store::Store;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

struct Market {
    name: &'static str,
    platform: &'static str,
    fixture: &'static str,
    /// The order number column and how a new number is written.
    number: fn(u64) -> String,
    order_column: &'static str,
    gb18030: bool,
    parse: fn(&Path) -> Parsed,
}

fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.trim_start_matches('\u{feff}').to_owned(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

/// The fixture's orders (header, groups of rows by order number) repeated `orders` times
/// under new numbers. Returns (export, the same as UTF-8, data rows).
fn generate(market: &Market, dir: &Path, orders: u64) -> (PathBuf, PathBuf, Vec<Vec<String>>) {
    let text =
        decode(&std::fs::read(Path::new(ROOT).join("fixtures").join(market.fixture)).unwrap());
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let at = header
        .iter()
        .position(|h| h.trim() == market.order_column)
        .expect("order number column");
    let mut groups: Vec<Vec<Vec<String>>> = Vec::new();
    let mut last = String::new();
    for record in reader.records() {
        let row: Vec<String> = record.unwrap().iter().map(str::to_owned).collect();
        if row[at] != last {
            groups.push(Vec::new());
            last = row[at].clone();
        }
        groups.last_mut().unwrap().push(row);
    }
    let mut rows = Vec::new();
    for i in 0..orders {
        for row in &groups[(i % groups.len() as u64) as usize] {
            let mut row = row.clone();
            row[at] = (market.number)(i);
            rows.push(row);
        }
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&header).unwrap();
    for row in &rows {
        out.write_record(row).unwrap();
    }
    let utf8 = out.into_inner().unwrap();
    let file = dir.join(format!("{}.csv", market.platform));
    let plain = dir.join(format!("{}-utf8.csv", market.platform));
    std::fs::write(&plain, &utf8).unwrap();
    if market.gb18030 {
        let (bytes, _, _) = encoding_rs::GB18030.encode(std::str::from_utf8(&utf8).unwrap());
        std::fs::write(&file, bytes).unwrap();
    } else {
        std::fs::write(&file, &utf8).unwrap();
    }
    let mut all = vec![header];
    all.extend(rows);
    (file, plain, all)
}

fn floor(dir: &Path, utf8: &Path) -> Option<Duration> {
    let db = dir.join(format!(
        "floor-{}.db",
        utf8.file_stem().unwrap().to_string_lossy()
    ));
    let started = Instant::now();
    let status = Command::new("sqlite3")
        .arg(&db)
        .arg(".mode csv")
        .arg(format!(".import {} t", utf8.display()))
        .status()
        .ok()?;
    status.success().then(|| started.elapsed())
}

fn main() -> anyhow::Result<()> {
    let orders: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let markets = [
        Market {
            name: "JD POP",
            platform: "jd",
            fixture: "jd_orders.csv",
            number: |i| format!("{}", 300_000_000_000u64 + i),
            order_column: "订单号",
            gb18030: true,
            parse: |p| parse_jd(p, EncodingChoice::Auto, &|_| true).unwrap(),
        },
        Market {
            name: "Pinduoduo",
            platform: "pinduoduo",
            fixture: "pdd_orders.csv",
            number: |i| format!("\t231120-{:015}", 500_000_000_000_000u64 + i),
            order_column: "订单号",
            gb18030: false,
            parse: |p| parse_pdd(p, EncodingChoice::Auto, &|_| true).unwrap(),
        },
        Market {
            name: "Douyin",
            platform: "douyin",
            fixture: "douyin_orders.csv",
            number: |i| format!("=\"69{:017}\"", i),
            order_column: "主订单编号",
            gb18030: false,
            parse: |p| parse_douyin(p, EncodingChoice::Auto, &|_| true).unwrap(),
        },
    ];
    let dir = tempfile::tempdir()?;
    println!("marketplace import benchmark: {orders} orders per export");
    let mut douyin_rows = Vec::new();
    for market in &markets {
        let (file, utf8, rows) = generate(market, dir.path(), orders);
        let size = std::fs::metadata(&file).map_or(0, |m| m.len());
        let mut store = Store::open(&dir.path().join(format!("{}.db", market.platform)))?;
        let started = Instant::now();
        let parsed = (market.parse)(&file);
        let parse_time = started.elapsed();
        let summary = store.import_orders(
            &parsed.orders,
            market.platform,
            &[file.as_path()],
            parsed.rejected.len() as u64,
            false,
            "owner",
            &mut |_| true,
        )?;
        let total = started.elapsed();
        let floor = floor(dir.path(), &utf8);
        println!(
            "{}: {} rows, {:.1} MB; {} new, {} rejected: parse {:.2} s + write {:.2} s = {:.2} s; \
             sqlite3 .import floor {}",
            market.name,
            rows.len() - 1,
            size as f64 / 1e6,
            summary.new,
            parsed.rejected.len(),
            parse_time.as_secs_f64(),
            (total - parse_time).as_secs_f64(),
            total.as_secs_f64(),
            match floor {
                Some(f) => format!(
                    "{:.2} s (shopdesk / floor = {:.1}×)",
                    f.as_secs_f64(),
                    total.as_secs_f64() / f.as_secs_f64()
                ),
                None => "skipped (no sqlite3 shell)".to_owned(),
            }
        );
        if market.platform == "douyin" {
            douyin_rows = rows;
        }
    }

    // The address reader on JD's one-string addresses.
    let mut addresses: Vec<String> = Vec::new();
    {
        let text = decode(&std::fs::read(Path::new(ROOT).join("fixtures/jd_orders.csv")).unwrap());
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let at = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "客户地址")
            .unwrap();
        for record in reader.records() {
            let address = record.unwrap()[at].to_owned();
            if !addresses.contains(&address) {
                addresses.push(address);
            }
        }
    }
    let rounds = 20_000;
    let started = Instant::now();
    let mut streets = 0;
    for _ in 0..rounds {
        for address in &addresses {
            streets += shopdesk::domain::address::parse_address(address)
                .address
                .len();
        }
    }
    let per_address = started.elapsed().as_secs_f64() / (rounds * addresses.len()) as f64;
    assert!(streets > 0);
    println!(
        "address reader: {} JD addresses × {rounds}: {:.1} µs an address",
        addresses.len(),
        per_address * 1e6
    );

    // Spreadsheets: 100,000 data rows of the Douyin export.
    let wanted = 100_000.min(douyin_rows.len() - 1);
    let rows = &douyin_rows[..=wanted];
    let sheet = dir.path().join("douyin.xlsx");
    xlsx::write_xlsx(
        &sheet,
        "Sheet1",
        rows.iter().map(|r| {
            r.iter()
                .map(|c| xlsx::Cell::Text(c.clone()))
                .collect::<Vec<_>>()
        }),
    );
    let csv_path = dir.path().join("douyin-100k.csv");
    let mut out = csv::Writer::from_path(&csv_path)?;
    for row in rows {
        out.write_record(row)?;
    }
    out.flush()?;
    drop(out);
    let started = Instant::now();
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&sheet)?;
    let mut cells = workbook.worksheet_cells_reader("Sheet1")?;
    let mut width = 0;
    while let Some(cell) = cells.next_cell()? {
        width = width.max(cell.get_position().1 + 1);
    }
    let floor = started.elapsed();
    let started = Instant::now();
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&sheet)?;
    let range = workbook.worksheet_range("Sheet1")?;
    let grid = started.elapsed();
    assert_eq!(range.width(), width as usize);
    let started = Instant::now();
    let from_sheet = parse_douyin(&sheet, EncodingChoice::Auto, &|_| true)?;
    let sheet_time = started.elapsed();
    let started = Instant::now();
    let from_csv = parse_douyin(&csv_path, EncodingChoice::Auto, &|_| true)?;
    let csv_time = started.elapsed();
    assert_eq!(from_sheet.orders, from_csv.orders);
    println!(
        "xlsx: {wanted} rows × {width} columns, {:.1} MB: parsed in {:.2} s (target < 3 s); \
         calamine's bare cell-by-cell read {:.2} s (floor); calamine's grid of values {:.2} s; \
         the same rows from CSV {:.2} s",
        std::fs::metadata(&sheet).map_or(0, |m| m.len()) as f64 / 1e6,
        sheet_time.as_secs_f64(),
        floor.as_secs_f64(),
        grid.as_secs_f64(),
        csv_time.as_secs_f64()
    );
    Ok(())
}
