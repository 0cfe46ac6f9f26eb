//! What several integration tests share: running the `shopdesk` binary on a database,
//! the files in `fixtures/`, the headless window (egui_kittest) and the sample shop's orders
//! and products.

// Each file in tests/ is its own crate and uses only some of these helpers; the rest would
// be reported as dead code in that crate.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use shopdesk::domain::PaymentStatus;
use shopdesk::domain::model::{NewOrder, NewOrderLine, NewProduct};
use shopdesk::ui::{Prefs, ShopDeskApp};

/// Runs the `shopdesk` binary on the database `db`.
pub fn shopdesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shopdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("the shopdesk binary runs")
}

/// Bytes the binary printed, as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The standard output of a run that must have succeeded; both outputs are shown if not.
pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// Every order of `db` as `orders --json` prints them.
pub fn orders(db: &Path) -> Vec<serde_json::Value> {
    let out = shopdesk(db, &["orders", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let value: serde_json::Value = serde_json::from_str(&text(&out.stdout)).expect("json");
    value.as_array().expect("array").clone()
}

/// The order numbered `order_no` among `orders`.
pub fn find<'a>(orders: &'a [serde_json::Value], order_no: &str) -> &'a serde_json::Value {
    orders
        .iter()
        .find(|o| o["order_no"] == order_no)
        .unwrap_or_else(|| panic!("order {order_no} not found"))
}

/// The path of a file in `fixtures/`, as an argument for the binary.
pub fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
        .display()
        .to_string()
}

/// The window on `db`, 1280×800, as it starts.
pub fn harness(db: &Path) -> Harness<'static, ShopDeskApp> {
    harness_with(db, egui::vec2(1280.0, 800.0), |_| {})
}

/// The window on `db` at `size`, with `setup` applied to the app before the first frame.
pub fn harness_with(
    db: &Path,
    size: egui::Vec2,
    setup: impl FnOnce(&mut ShopDeskApp) + 'static,
) -> Harness<'static, ShopDeskApp> {
    let db = db.to_path_buf();
    let mut harness = Harness::builder()
        .with_size(size)
        .with_max_steps(12)
        .build_eframe(move |cc| {
            let mut app =
                ShopDeskApp::new(&cc.egui_ctx, db, Prefs::default()).expect("the app starts");
            setup(&mut app);
            app
        });
    settle(&mut harness);
    harness
}

/// Lets the backend answer everything asked so far, then draws until the UI is still.
pub fn settle(harness: &mut Harness<'_, ShopDeskApp>) {
    for _ in 0..6 {
        harness.state_mut().settle();
        harness.run();
    }
}

/// Waits for a background job (the sample shop, an import, a print) to start if it has not
/// yet, then to finish.
pub fn wait_for_job(harness: &mut Harness<'_, ShopDeskApp>) {
    for _ in 0..10 {
        if harness.state().job.is_some() {
            break;
        }
        harness.step();
    }
    let started = Instant::now();
    while harness.state().job.is_some() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the job never finished"
        );
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    settle(harness);
}

/// A product in bin `bin`, a bundle of `components` if any.
pub fn product(code: &str, bin: &str, components: Vec<(String, i64)>) -> NewProduct {
    NewProduct {
        code: code.to_owned(),
        name: format!("商品 {code}"),
        bin: bin.to_owned(),
        components,
        ..NewProduct::default()
    }
}

/// A Taobao order to a long Chinese address, one line per `(sku, quantity)` at 10.00;
/// paid, or cash on delivery.
pub fn order(no: &str, lines: &[(&str, i64)], cod: bool) -> NewOrder {
    let mut o = NewOrder::new("taobao", no, "2026-11-20T10:00:00+08:00");
    o.receiver_name = "欧阳娜娜".to_owned();
    o.receiver_phone = "13812345678".to_owned();
    o.province = "浙江省".to_owned();
    o.city = "杭州市".to_owned();
    o.district = "西湖区".to_owned();
    o.address = "文三路 90 号东部软件园科技广场 3 号楼 1205 室（请放前台，谢谢）".to_owned();
    o.postcode = "310012".to_owned();
    o.buyer_message = "请尽快发货".to_owned();
    for (sku, quantity) in lines {
        o.lines.push(NewOrderLine {
            sku: (*sku).to_owned(),
            title: format!("商品 {sku}"),
            attributes: String::new(),
            quantity: *quantity,
            unit_price_cents: 1000,
        });
    }
    o.goods_cents = o.lines.iter().map(|l| l.quantity * 1000).sum();
    if cod {
        o.cash_on_delivery = true;
    } else {
        o.payment_status = PaymentStatus::Paid;
        o.paid_cents = o.goods_cents;
    }
    o
}
