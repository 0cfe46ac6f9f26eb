//! The pack & ship station end to end: the `shopdesk` binary on temporary
//! databases. Printed orders are packed by their tracking number with the scans a barcode
//! scanner types (a barcode, a code, `CODE*N`, a bundle by its components) and ship, with
//! stock leaving on hand through the ledger; a wrong item or a short count ships nothing;
//! orders that must not leave are refused at the first scan; an override needs a reason;
//! a courier's hand-over refuses foreign, unshipped and repeated parcels and lists the
//! missing one; the batch-ship file gives each order once.
//!
//! Reliability with real child processes: two stations racing for the same order ship it
//! once, and a packer killed (SIGKILL) at random moments loses nothing it acknowledged and
//! half-writes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{ok, shopdesk, text};
use hayro::hayro_interpret::font::GlyphRun;
use hayro::hayro_interpret::hayro_cmap::BfString;
use hayro::hayro_interpret::hayro_syntax::Pdf;
use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps,
    InterpreterCache, InterpreterSettings, SoftMask, interpret_page,
};
use hayro::kurbo::{BezPath, Rect};
use serde_json::Value;
use shopdesk::domain::Event;
use shopdesk::domain::model::NewProduct;
use shopdesk::store::{CourierRow, Store};

const OPENING_STOCK: i64 = 1000;
const CUP_BARCODES: [&str; 2] = ["6901234500011", "6901234500028"];
const TEA_BARCODE: &str = "6901234500035";

/// A temporary shop: CUP (two barcodes), TEA (one), SPOON (none) and GIFT (a bundle of one
/// cup and two teas), 1000 of each single on hand; couriers SF and ZTO with pools.
struct Shop {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    db: PathBuf,
}

impl Shop {
    fn new() -> Shop {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().to_path_buf();
        let db = path.join("shop.db");
        let mut store = Store::open(&db).expect("store");
        let product = |code: &str, barcodes: &[&str], components: Vec<(String, i64)>| NewProduct {
            barcodes: barcodes.iter().map(|b| (*b).to_owned()).collect(),
            ..common::product(code, "A1", components)
        };
        store
            .upsert_products(&[
                product("CUP", &CUP_BARCODES, vec![]),
                product("TEA", &[TEA_BARCODE], vec![]),
                product("SPOON", &[], vec![]),
                product(
                    "GIFT",
                    &[],
                    vec![("CUP".to_owned(), 1), ("TEA".to_owned(), 2)],
                ),
            ])
            .expect("products");
        for code in ["CUP", "TEA", "SPOON"] {
            store
                .adjust_stock(code, OPENING_STOCK, "opening", "owner")
                .expect("stock");
        }
        for (code, name, prefix) in [("SF", "顺丰速运", "SF"), ("ZTO", "中通快递", "ZT")] {
            store
                .save_courier(
                    &CourierRow {
                        code: code.to_owned(),
                        name: name.to_owned(),
                        ..CourierRow::default()
                    },
                    "owner",
                )
                .expect("courier");
            let pool: Vec<String> = (1..=400).map(|n| format!("{prefix}{n:010}")).collect();
            store
                .import_tracking(code, &pool.join("\n"), "owner")
                .expect("pool");
        }
        Shop {
            _dir: dir,
            dir: path,
            db,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        shopdesk(&self.db, args)
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    /// Approved orders (paid, to a full address), one per `(order_no, lines)`.
    fn approved(&self, orders: &[(&str, &[(&str, i64)])]) {
        let mut store = Store::open(&self.db).expect("store");
        for (no, lines) in orders {
            let order = common::order(no, lines, false);
            let id = store
                .insert_orders(&[order], "test", "owner")
                .expect("insert")[0];
            store
                .apply_event(id, Event::Review, "owner")
                .expect("review");
        }
    }

    /// Prints the waybills of these orders with a courier: they become printed and take
    /// the pool's next tracking numbers.
    fn print(&self, orders: &[&str], courier: &str) {
        let pdf = self.path("waybills.pdf");
        let mut args = vec!["waybills"];
        args.extend(orders);
        args.extend(["--courier", courier, "--out", &pdf]);
        ok(&self.run(&args));
    }

    /// Approved, then printed.
    fn printed(&self, orders: &[(&str, &[(&str, i64)])], courier: &str) {
        self.approved(orders);
        let nos: Vec<&str> = orders.iter().map(|(no, _)| *no).collect();
        self.print(&nos, courier);
    }

    fn orders(&self) -> Vec<Value> {
        let out = ok(&self.run(&["orders", "--json", "--limit", "100000"]));
        match serde_json::from_str(&out).expect("orders --json is JSON") {
            Value::Array(orders) => orders,
            other => panic!("expected an array, got {other}"),
        }
    }

    fn order(&self, order_no: &str) -> Value {
        self.orders()
            .into_iter()
            .find(|o| o["order_no"] == order_no)
            .unwrap_or_else(|| panic!("order {order_no} is listed"))
    }

    fn tracking(&self, order_no: &str) -> String {
        let order = self.order(order_no);
        let number = order["tracking_no"]
            .as_str()
            .expect("tracking_no")
            .to_owned();
        assert!(!number.is_empty(), "{order_no} has a tracking number");
        number
    }

    fn state(&self, order_no: &str) -> String {
        self.order(order_no)["state"]
            .as_str()
            .expect("state")
            .to_owned()
    }

    /// On hand per product code, from `stock --json`.
    fn on_hand(&self) -> HashMap<String, i64> {
        let out = ok(&self.run(&["stock", "--json"]));
        let rows: Vec<Value> = serde_json::from_str(&out).expect("stock --json is JSON");
        rows.iter()
            .map(|r| {
                (
                    r["code"].as_str().expect("code").to_owned(),
                    r["on_hand"].as_i64().expect("on_hand"),
                )
            })
            .collect()
    }

    fn check(&self) {
        let said = ok(&self.run(&["check"]));
        assert!(said.contains("ok"), "{said}");
    }

    fn pack(&self, target: &str, scans: &[&str], extra: &[&str]) -> Output {
        let mut args = vec!["pack", target];
        for scan in scans {
            args.extend(["--scan", scan]);
        }
        args.extend(extra);
        self.run(&args)
    }

    fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).expect("sqlite")
    }

    /// `(count, sum of quantities)` of the sale movements of an order, per the ledger.
    fn sales(&self, order_no: &str) -> (i64, i64) {
        self.sql()
            .query_row(
                "SELECT count(*), COALESCE(sum(quantity), 0) FROM stock_movements
                 WHERE reason = 'sale' AND reference = ?1",
                [order_no],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .expect("sales")
    }

    /// The results of an order's pack attempts, oldest first.
    fn attempts(&self, order_no: &str) -> Vec<(String, String, String)> {
        let conn = self.sql();
        let mut stmt = conn
            .prepare(
                "SELECT a.result, a.operator, a.detail FROM pack_attempts a
                 JOIN orders o ON o.id = a.order_id WHERE o.order_no = ?1 ORDER BY a.id",
            )
            .expect("prepare");
        stmt.query_map([order_no], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
    }
}

/// The error output of a run that must fail.
fn refused(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "expected a refusal, got: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stderr)
}

/// The text of a PDF's pages in drawing order, from the embedded font's ToUnicode map.
fn pdf_text(pdf: &Path) -> String {
    #[derive(Default)]
    struct Texts(String);
    impl<'a> Device<'a> for Texts {
        fn draw_path(&mut self, _: &BezPath, _: DrawProps<'a>, _: &DrawMode) {}
        fn push_clip_path(&mut self, _: &ClipPath) {}
        fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
        fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {}
        fn pop_clip(&mut self) {}
        fn pop_transparency_group(&mut self) {}
        fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, _: DrawProps<'a>, _: &DrawMode) {
            for glyph in run.glyphs() {
                match glyph.as_unicode() {
                    Some(BfString::Char(c)) => self.0.push(c),
                    Some(BfString::String(s)) => self.0.push_str(&s),
                    None => self.0.push('\u{FFFD}'),
                }
            }
            self.0.push(' ');
        }
    }
    let bytes = std::fs::read(pdf).expect("the PDF was written");
    let pdf = Pdf::new(bytes).unwrap_or_else(|e| panic!("{} does not parse: {e:?}", pdf.display()));
    let mut texts = Texts::default();
    for page in pdf.pages().iter() {
        let (width, height) = page.render_dimensions();
        // A4 in points.
        assert!(
            (width - 595.3).abs() < 1.0 && (height - 841.9).abs() < 1.0,
            "{width}×{height}"
        );
        let cache = InterpreterCache::new();
        let mut cx = Context::new(
            page.initial_transform(true).to_kurbo(),
            Rect::new(0.0, 0.0, f64::from(width), f64::from(height)),
            &cache,
            page.xref(),
            InterpreterSettings::default(),
        );
        interpret_page(page, &mut cx, &mut texts);
    }
    texts.0
}

/// One order of two cups (as a line and inside the bundle), two teas (the bundle's) and a
/// spoon, packed by its tracking number with every kind of scan: it ships, stock leaves
/// on hand through the ledger, and the attempt is logged with the packer's name.
#[test]
fn a_parcel_scanned_item_by_item_ships_and_its_stock_leaves() {
    let shop = Shop::new();
    shop.printed(
        &[
            ("P100", &[("GIFT", 1), ("CUP", 1), ("SPOON", 1)]),
            ("P101", &[("CUP", 1)]),
            ("P102", &[("CUP", 2), ("TEA", 1)]),
        ],
        "SF",
    );
    let before = shop.on_hand();
    let tracking = shop.tracking("P100");

    // A wrong item stops the check: nothing ships, the mismatch is said and logged.
    let err = refused(&shop.pack("P101", &["TEA"], &["--operator", "小王"]));
    assert!(
        err.contains("wrong item: TEA is not in this order"),
        "{err}"
    );
    // One too many, even after the right count.
    let err = refused(&shop.pack("P101", &["CUP", "CUP"], &["--operator", "小王"]));
    assert!(err.contains("too many: CUP"), "{err}");
    // An incomplete scan list ships nothing either.
    let err = refused(&shop.pack("P102", &["CUP*2"], &["--operator", "小王"]));
    assert!(err.contains("not every item was scanned"), "{err}");
    assert!(err.contains("TEA 0/1"), "{err}");
    for no in ["P101", "P102"] {
        assert_eq!(shop.state(no), "printed");
        assert_eq!(shop.sales(no), (0, 0));
    }
    let results: Vec<String> = shop.attempts("P101").into_iter().map(|a| a.0).collect();
    assert_eq!(results, ["mismatch", "mismatch"]);
    assert_eq!(shop.attempts("P102")[0].0, "abandoned");
    assert_eq!(shop.on_hand(), before);

    // By tracking number: a cup by its first barcode, one by its code in lower case, the
    // bundle's teas as TEA*2 and by barcode-less code, the spoon by its code.
    let said = ok(&shop.pack(
        &tracking,
        &[CUP_BARCODES[0], "cup", "TEA*2", "SPOON"],
        &["--weight", "1.25kg", "--operator", "小王"],
    ));
    assert!(
        said.contains("order P100: pack check passed, shipped at"),
        "{said}"
    );
    let order = shop.order("P100");
    assert_eq!(order["state"], "shipped");
    assert!(
        order["shipped_at"]
            .as_str()
            .is_some_and(|at| at.len() >= 19),
        "{order}"
    );
    assert_eq!(order["weight_grams"], 1250);
    assert_eq!(order["handover_id"], Value::Null);
    let after = shop.on_hand();
    assert_eq!(after["CUP"], before["CUP"] - 2);
    assert_eq!(after["TEA"], before["TEA"] - 2);
    assert_eq!(after["SPOON"], before["SPOON"] - 1);
    assert_eq!(shop.sales("P100"), (3, -5));
    let attempts = shop.attempts("P100");
    assert_eq!(attempts.len(), 1);
    assert_eq!(
        (attempts[0].0.as_str(), attempts[0].1.as_str()),
        ("passed", "小王")
    );
    shop.check();

    // Another order by its number, cups by both barcodes, the tea by its barcode.
    ok(&shop.pack(
        "P102",
        &[CUP_BARCODES[1], CUP_BARCODES[0], TEA_BARCODE],
        &[],
    ));
    assert_eq!(shop.state("P102"), "shipped");
    assert_eq!(shop.order("P102")["weight_grams"], Value::Null);
    assert_eq!(shop.on_hand()["CUP"], before["CUP"] - 4);
    shop.check();

    // Scanned again, the parcel is refused: shipped, with when and by whom.
    let shipped_at = order["shipped_at"].as_str().expect("shipped_at").to_owned();
    let err = refused(&shop.pack(&tracking, &["CUP"], &["--operator", "小李"]));
    assert!(
        err.contains(&format!("already shipped at {shipped_at} by 小王")),
        "{err}"
    );
    assert_eq!(shop.sales("P100"), (3, -5));
    assert_eq!(shop.attempts("P100").last().expect("logged").0, "refused");
}

/// A Taobao export of one paid order waiting to ship (or closed by the platform), no
/// courier yet.
fn taobao_export(shop: &Shop, order_no: &str, closed: bool) -> (String, String) {
    let status = if closed {
        "交易关闭"
    } else {
        "买家已付款，等待卖家发货"
    };
    let orders = shop.path(&format!("orders-{order_no}-{closed}.csv"));
    let items = shop.path(&format!("items-{order_no}-{closed}.csv"));
    std::fs::write(
        &orders,
        format!(
            "订单编号,买家会员名,买家应付货款,买家应付邮费,买家实际支付金额,订单状态,收货人姓名,\
             收货地址,联系手机,订单创建时间,订单付款时间,物流单号,物流公司,订单关闭原因,退款金额\n\
             =\"{order_no}\",tb_pack,10.00,0.00,10.00,{status},李华,\
             浙江省 杭州市 西湖区 文三路 1号 某某小区 3幢(310012),'13812345678,\
             2026-11-20 10:15:00,2026-11-20 10:16:30,,,{},{}\n",
            if closed { "买家申请退款" } else { "" },
            if closed { "10.00" } else { "0.00" },
        ),
    )
    .expect("orders csv");
    std::fs::write(
        &items,
        format!("订单编号,标题,价格,购买数量,商家编码\n=\"{order_no}\",杯子,10.00,1,CUP\n"),
    )
    .expect("items csv");
    (orders, items)
}

/// Orders that must not leave are refused at the first scan, with the reason, and nothing
/// ships: not printed, on hold, cancelled after printing, closed by the platform after
/// printing (the intercept).
#[test]
fn orders_that_must_not_leave_are_refused_at_the_first_scan() {
    let shop = Shop::new();
    shop.approved(&[("R1", &[("CUP", 1)])]);
    shop.printed(&[("R2", &[("CUP", 1)]), ("R3", &[("CUP", 1)])], "SF");
    let before = shop.on_hand();

    let err = refused(&shop.pack("R1", &["CUP"], &[]));
    assert!(err.contains("refused: not printed yet"), "{err}");

    {
        let mut store = Store::open(&shop.db).expect("store");
        let id = store.find_order("R2").expect("R2");
        store.apply_event(id, Event::Hold, "owner").expect("hold");
    }
    let err = refused(&shop.pack(&shop.tracking("R2"), &["CUP"], &[]));
    assert!(err.contains("refused: on hold"), "{err}");

    ok(&shop.run(&["cancel", "R3"]));
    let err = refused(&shop.pack("R3", &["CUP"], &[]));
    assert!(err.contains("refused: cancelled"), "{err}");

    // The intercept: the platform closes the order once its waybill is printed.
    let (orders, items) = taobao_export(&shop, "880000000000000001", false);
    ok(&shop.run(&["import", "taobao", &orders, &items]));
    ok(&shop.run(&["review", "880000000000000001"]));
    shop.print(&["880000000000000001"], "ZTO");
    let (orders, items) = taobao_export(&shop, "880000000000000001", true);
    let said = ok(&shop.run(&["import", "taobao", &orders, &items]));
    assert!(said.contains("1 updated"), "{said}");
    let tracking = shop.tracking("880000000000000001");
    let err = refused(&shop.pack(&tracking, &["CUP"], &[]));
    assert!(
        err.contains("the platform closed this order after printing"),
        "{err}"
    );
    // `ship --override` does not let it out either.
    let err = refused(&shop.run(&[
        "ship",
        "880000000000000001",
        "--override",
        "--reason",
        "scanner down",
    ]));
    assert!(err.contains("intercept"), "{err}");

    for no in ["R1", "R2", "R3", "880000000000000001"] {
        assert_ne!(shop.state(no), "shipped", "{no}");
        assert_eq!(shop.sales(no), (0, 0), "{no}");
        let results: Vec<String> = shop.attempts(no).into_iter().map(|a| a.0).collect();
        assert!(results.iter().all(|r| r == "refused"), "{no}: {results:?}");
        assert!(!results.is_empty(), "{no}: the refusal is logged");
    }
    assert_eq!(shop.on_hand(), before);
    shop.check();
}

/// Shipping without a full check needs `--override` and a reason, and is logged as such.
#[test]
fn an_override_needs_a_reason_and_is_logged() {
    let shop = Shop::new();
    shop.printed(&[("V1", &[("SPOON", 3)]), ("V2", &[("CUP", 1)])], "SF");
    let before = shop.on_hand();

    refused(&shop.run(&["ship", "V1", "--reason", "no barcode"]));
    refused(&shop.run(&["ship", "V1", "--override"]));
    let err = refused(&shop.run(&["ship", "V1", "--override", "--reason", "  "]));
    assert!(err.contains("why"), "{err}");
    assert_eq!(shop.state("V1"), "printed");

    let said = ok(&shop.run(&["ship", "V1", "V2", "--override", "--reason", "勺子没有条码"]));
    assert!(said.contains("order V1: shipped at"), "{said}");
    assert!(said.contains("(override)"), "{said}");
    for no in ["V1", "V2"] {
        assert_eq!(shop.state(no), "shipped");
        let attempts = shop.attempts(no);
        assert_eq!(attempts.len(), 1);
        assert_eq!(attempts[0].0, "override");
        assert_eq!(attempts[0].2, "勺子没有条码");
    }
    assert_eq!(shop.on_hand()["SPOON"], before["SPOON"] - 3);
    assert_eq!(shop.sales("V1"), (1, -3));
    shop.check();
}

/// A hand-over counts the courier's parcels: another courier's, an unshipped and a repeated
/// parcel are refused; the close lists the shipped parcel not scanned by order and
/// receiver, on screen and on the A4 list.
#[test]
fn a_handover_counts_parcels_and_lists_the_missing_one() {
    let shop = Shop::new();
    shop.printed(
        &[
            ("H1", &[("CUP", 1)]),
            ("H2", &[("CUP", 1)]),
            ("H3", &[("TEA", 1)]),
            ("H4", &[("CUP", 1)]),
        ],
        "SF",
    );
    shop.printed(&[("Z1", &[("CUP", 1)])], "ZTO");
    for no in ["H1", "H2", "H3", "Z1"] {
        ok(&shop.run(&["ship", no, "--override", "--reason", "test"]));
    }
    {
        // H3 goes to another receiver, so the missing list names it.
        let conn = shop.sql();
        conn.execute(
            "UPDATE orders SET receiver_name = '司马光' WHERE order_no = 'H3'",
            [],
        )
        .expect("receiver");
    }

    let out = ok(&shop.run(&["handover", "start", "SF"]));
    let id: i64 = out
        .strip_suffix('\n')
        .expect("one line")
        .parse()
        .unwrap_or_else(|_| panic!("the id alone on its line: {out:?}"));
    // Starting again returns the open hand-over.
    let again: Value =
        serde_json::from_str(&ok(&shop.run(&["handover", "start", "SF", "--json"]))).expect("JSON");
    assert_eq!(again["id"], id);
    assert_eq!(again["closed_at"], Value::Null);
    let ho = id.to_string();

    let said = ok(&shop.run(&[
        "handover",
        "scan",
        &ho,
        &shop.tracking("H1"),
        &shop.tracking("H2"),
    ]));
    assert!(said.contains("order H2"), "{said}");
    assert!(said.contains("(2 in the bag)"), "{said}");
    // Another courier's parcel, one not shipped, one handed over already: refused.
    for (number, why) in [
        (shop.tracking("Z1"), "ZTO"),
        (shop.tracking("H4"), "unshipped"),
        (shop.tracking("H1"), "duplicate"),
        ("SF9999999999".to_owned(), "unknown"),
    ] {
        let err = refused(&shop.run(&["handover", "scan", &ho, &number]));
        assert!(err.contains(&format!("{number}: refused")), "{why}: {err}");
    }

    let pdf = shop.dir.join("handover.pdf");
    let said = ok(&shop.run(&[
        "handover",
        "close",
        &ho,
        "--out",
        &pdf.display().to_string(),
    ]));
    assert!(said.contains("2 of 3 parcels scanned"), "{said}");
    let missing: Vec<&str> = said.lines().filter(|l| l.starts_with("missing:")).collect();
    assert_eq!(missing.len(), 1, "{said}");
    assert!(
        missing[0].contains("H3") && missing[0].contains("司马光"),
        "{said}"
    );
    let sheet = pdf_text(&pdf);
    for expected in [
        format!("HO{id:06}"),
        shop.tracking("H1"),
        shop.tracking("H2"),
        shop.tracking("H3"),
        "H3".to_owned(),
        "司马光".to_owned(),
    ] {
        assert!(sheet.contains(&expected), "{expected} on the list: {sheet}");
    }
    // Closed: no more parcels.
    refused(&shop.run(&["handover", "scan", &ho, &shop.tracking("H3")]));

    let list: Value =
        serde_json::from_str(&ok(&shop.run(&["handover", "list", "--json"]))).expect("JSON");
    let list = list.as_array().expect("an array");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["courier_code"], "SF");
    assert_eq!(list[0]["scanned"], 2);
    assert_eq!(list[0]["expected"], 3);
    assert!(list[0]["closed_at"].is_string());
    let zto: Value = serde_json::from_str(&ok(&shop.run(&[
        "handover",
        "list",
        "--courier",
        "ZTO",
        "--json",
    ])))
    .expect("JSON");
    assert_eq!(zto, Value::Array(vec![]));

    assert_eq!(shop.order("H1")["handover_id"], id);
    assert_eq!(shop.order("H2")["handover_id"], id);
    assert_eq!(shop.order("H3")["handover_id"], Value::Null);
    assert_eq!(shop.order("Z1")["handover_id"], Value::Null);
    shop.check();
}

/// The batch-ship file without --since holds the orders shipped at the station since the
/// last one: each order is in one file only.
#[test]
fn the_batch_ship_file_gives_each_shipment_once() {
    let shop = Shop::new();
    shop.printed(
        &[
            ("S1", &[("CUP", 1)]),
            ("S2", &[("CUP", 1)]),
            ("S3", &[("CUP", 1)]),
        ],
        "SF",
    );
    ok(&shop.pack("S1", &["CUP"], &[]));
    ok(&shop.run(&["ship", "S2", "--override", "--reason", "no scanner"]));
    let first = shop.dir.join("first.csv");
    ok(&shop.run(&["shipped-csv", "--out", &first.display().to_string()]));
    let first = std::fs::read_to_string(&first).expect("first file");
    assert!(
        first.contains("S1") && first.contains(&shop.tracking("S1")),
        "{first}"
    );
    assert!(first.contains("S2"), "{first}");
    assert!(!first.contains("S3"), "printed, not shipped: {first}");

    let second = shop.dir.join("second.csv");
    ok(&shop.run(&["shipped-csv", "--out", &second.display().to_string()]));
    let second = std::fs::read_to_string(&second).expect("second file");
    for no in ["S1", "S2", "S3"] {
        assert!(!second.contains(no), "{second}");
    }
    assert!(second.lines().count() <= 1, "a header at most: {second}");

    // The next shipment is in the next file, alone.
    ok(&shop.pack("S3", &["CUP"], &[]));
    let third = shop.dir.join("third.csv");
    ok(&shop.run(&["shipped-csv", "--out", &third.display().to_string()]));
    let third = std::fs::read_to_string(&third).expect("third file");
    assert!(third.contains("S3") && !third.contains("S1"), "{third}");
}

/// `shipped-csv` takes the platform codes orders have and the import commands' names,
/// refuses another platform or a date that does not read before writing anything, and
/// gives one platform's file that platform's headers even when it holds no order.
#[test]
fn the_batch_ship_file_refuses_an_unknown_platform_or_date_and_keeps_the_layout() {
    let shop = Shop::new();
    shop.printed(&[("P1", &[("CUP", 1)])], "SF");
    ok(&shop.pack("P1", &["CUP"], &[]));
    let out = shop.path("shipped.csv");
    for (flag, value, said) in [
        (
            "--platform",
            "foo",
            "--platform: unknown platform \"foo\"; known: taobao, tmall, jd, pinduoduo (pdd), douyin, shopify, manual",
        ),
        (
            "--since",
            "yesterday",
            "--since: expected a date like 2026-11-20 (YYYY-MM-DD), found \"yesterday\"",
        ),
        ("--since", "2026-13-45", "YYYY-MM-DD"),
    ] {
        let stderr = refused(&shop.run(&["shipped-csv", flag, value, "--out", &out]));
        assert!(stderr.contains(said), "{stderr}");
        assert!(!Path::new(&out).exists(), "{flag} {value} wrote a file");
    }
    // The refusals recorded nothing as exported: the shipment is still to give.
    let taobao = shop.path("taobao.csv");
    ok(&shop.run(&["shipped-csv", "--platform", "Taobao", "--out", &taobao]));
    let taobao = std::fs::read_to_string(&taobao).expect("taobao file");
    assert!(taobao.contains("P1"), "{taobao}");

    for (platform, header) in [
        ("jd", "订单号,物流公司,运单号"),
        ("pdd", "订单号,快递公司,快递单号"),
        ("pinduoduo", "订单号,快递公司,快递单号"),
        ("douyin", "订单编号,物流公司,物流单号"),
        ("shopify", "Name,Tracking Company,Tracking Number"),
    ] {
        let file = shop.path(&format!("{platform}.csv"));
        let args = [
            "shipped-csv",
            "--since",
            "2000-01-01",
            "--platform",
            platform,
        ];
        let stdout = ok(&shop.run(&[&args[..], &["--out", &file]].concat()));
        assert!(stdout.starts_with("0 orders"), "{platform}: {stdout}");
        let written = std::fs::read_to_string(&file).expect("file");
        assert_eq!(written.trim_end(), header, "{platform}");
    }
}

#[test]
fn address_parse_gives_every_field_as_json() {
    let shop = Shop::new();
    for (input, expected) in [
        (
            "李四，13912345678，上海市浦东新区张江路88弄5号1202室 200120",
            [
                "李四",
                "13912345678",
                "上海市",
                "上海市",
                "浦东新区",
                "张江路88弄5号1202室",
                "200120",
            ],
        ),
        (
            "广东深圳南山区科技园南区粤海街道高新南一道 王五 15012345678",
            [
                "王五",
                "15012345678",
                "广东省",
                "深圳市",
                "南山区",
                "科技园南区粤海街道高新南一道",
                "",
            ],
        ),
    ] {
        let out = ok(&shop.run(&["address", "parse", input, "--json"]));
        let parsed: Value = serde_json::from_str(&out).expect("JSON");
        let fields = [
            "name", "phone", "province", "city", "district", "address", "postcode",
        ];
        for (field, want) in fields.iter().zip(expected) {
            assert_eq!(parsed[field], want, "{field} of {input}: {out}");
        }
        assert_eq!(parsed["unsure"], Value::Array(vec![]), "{out}");
    }
}

/// Starts `shopdesk pack` as a child process with its outputs captured.
fn spawn(db: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_shopdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the shopdesk binary starts")
}

/// Two stations (two processes on one database) scan the last item of the same order at
/// the same moment, twenty times: each order ships once, with one set of ledger
/// movements; the other station hears when and by whom.
#[test]
fn two_stations_racing_for_one_order_ship_it_once() {
    const ROUNDS: usize = 20;
    let shop = Shop::new();
    let nos: Vec<String> = (0..ROUNDS).map(|n| format!("RACE{n:03}")).collect();
    let lines: &[(&str, i64)] = &[("GIFT", 1), ("CUP", 1)];
    let orders: Vec<(&str, &[(&str, i64)])> = nos.iter().map(|n| (n.as_str(), lines)).collect();
    shop.printed(&orders, "SF");
    let before = shop.on_hand();

    for no in &nos {
        let tracking = shop.tracking(no);
        let pack = |station: &str, target: &str| {
            spawn(
                &shop.db,
                &[
                    "pack",
                    target,
                    "--scan",
                    "CUP*2",
                    "--scan",
                    "TEA*2",
                    "--operator",
                    station,
                ],
            )
        };
        // One station scans the tracking number, the other the order number.
        let a = pack("station-A", &tracking);
        let b = pack("station-B", no);
        let results = [
            ("station-A", a.wait_with_output().expect("A ends")),
            ("station-B", b.wait_with_output().expect("B ends")),
        ];
        let winners: Vec<&str> = results
            .iter()
            .filter(|(_, out)| out.status.success())
            .map(|(station, _)| *station)
            .collect();
        assert_eq!(
            winners.len(),
            1,
            "{no}: {:?}",
            results
                .iter()
                .map(|(s, o)| format!("{s}: {}{}", text(&o.stdout), text(&o.stderr)))
                .collect::<Vec<_>>()
        );
        let winner = winners[0];
        let (_, loser) = results
            .iter()
            .find(|(station, _)| *station != winner)
            .expect("a loser");
        let err = text(&loser.stderr);
        let shipped_at = shop.order(no)["shipped_at"]
            .as_str()
            .expect("shipped_at")
            .to_owned();
        assert!(
            err.contains(&format!("already shipped at {shipped_at} by {winner}")),
            "{no}: {err}"
        );
        assert_eq!(shop.sales(no), (2, -4), "{no}: one set of sale movements");
        let results: Vec<String> = shop.attempts(no).into_iter().map(|a| a.0).collect();
        assert_eq!(
            results.iter().filter(|r| *r == "passed").count(),
            1,
            "{no}: {results:?}"
        );
    }
    let after = shop.on_hand();
    assert_eq!(after["CUP"], before["CUP"] - 2 * ROUNDS as i64);
    assert_eq!(after["TEA"], before["TEA"] - 2 * ROUNDS as i64);
    shop.check();
}

/// A small deterministic generator for the kill moments; the seed is printed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// A packer killed with SIGKILL at random moments, in the middle of pack checks and of a
/// run of overrides: everything it acknowledged stays shipped, and every order is either
/// printed with no sale movement and no pass, or shipped with exactly one set of sale
/// movements and one pass. `shopdesk check` is ok and the station goes on afterwards.
#[test]
fn a_killed_packer_loses_nothing_acknowledged_and_half_writes_nothing() {
    const ORDERS: usize = 48;
    let shop = Shop::new();
    let nos: Vec<String> = (0..ORDERS).map(|n| format!("KILL{n:03}")).collect();
    let lines: &[(&str, i64)] = &[("CUP", 1), ("TEA", 2)];
    let orders: Vec<(&str, &[(&str, i64)])> = nos.iter().map(|n| (n.as_str(), lines)).collect();
    shop.printed(&orders, "SF");
    let before = shop.on_hand();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(13);
    eprintln!("kill moments seed: {seed}");
    let mut random = Lcg(seed);

    // How long one whole pack takes here: the kills land within that span.
    let started = Instant::now();
    ok(&shop.pack(&nos[0], &["CUP", "TEA*2"], &[]));
    let span = started.elapsed().as_micros() as u64 + 1;
    let mut acknowledged = vec![nos[0].clone()];
    let mut killed = 0;

    let mut next = 1;
    let mut round = 0;
    while next < ORDERS {
        round += 1;
        // Every third round ships a run of orders by override in one process: a kill
        // lands between (or inside) its transactions.
        let take = if round % 3 == 0 {
            6.min(ORDERS - next)
        } else {
            1
        };
        let batch = &nos[next..next + take];
        next += take;
        let mut child = if take == 1 {
            spawn(
                &shop.db,
                &["pack", &batch[0], "--scan", "CUP", "--scan", "TEA*2"],
            )
        } else {
            let mut args = vec!["ship"];
            args.extend(batch.iter().map(String::as_str));
            args.extend(["--override", "--reason", "kill test"]);
            spawn(&shop.db, &args)
        };
        let wait = Duration::from_micros(random.below(span * take as u64));
        std::thread::sleep(wait);
        if child.try_wait().expect("try_wait").is_none() {
            child.kill().expect("SIGKILL");
            killed += 1;
        }
        let out = child.wait_with_output().expect("the child ends");
        // What the child said it did before it died counts as acknowledged.
        for line in text(&out.stdout).lines() {
            if let Some(rest) = line.strip_prefix("order ")
                && line.contains("shipped at")
            {
                let no = rest.split(':').next().expect("order number");
                acknowledged.push(no.to_owned());
            }
        }
    }
    eprintln!("{killed} kills in {round} rounds");
    assert!(killed > 0, "no child was killed: the span is too short");

    shop.check();
    let mut shipped = 0;
    for no in &nos {
        let state = shop.state(no);
        let sales = shop.sales(no);
        let passes = shop
            .attempts(no)
            .iter()
            .filter(|a| a.0 == "passed" || a.0 == "override")
            .count();
        match state.as_str() {
            "shipped" => {
                shipped += 1;
                assert_eq!(sales, (2, -3), "{no}: one set of sale movements");
                assert_eq!(passes, 1, "{no}");
            }
            "printed" => {
                assert_eq!(sales, (0, 0), "{no}: no sale movement");
                assert_eq!(passes, 0, "{no}");
                assert!(
                    !acknowledged.contains(no),
                    "{no} was acknowledged as shipped"
                );
            }
            other => panic!("{no} is {other}"),
        }
    }
    eprintln!(
        "{shipped} of {ORDERS} shipped, {} acknowledged",
        acknowledged.len()
    );
    let after = shop.on_hand();
    assert_eq!(after["CUP"], before["CUP"] - shipped);
    assert_eq!(after["TEA"], before["TEA"] - 2 * shipped);

    // The station goes on: an order left printed by a kill packs now.
    if let Some(left) = nos.iter().find(|no| shop.state(no) == "printed") {
        ok(&shop.pack(left, &["CUP", "TEA*2"], &[]));
        assert_eq!(shop.sales(left), (2, -3));
        shop.check();
    }
}
