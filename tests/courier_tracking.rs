//! An order's courier is a courier record and its tracking number changes only by an
//! explicit courier change: the `shopdesk` binary end to end on the sample shop. Waybills
//! printed again with an order's own courier keep every number, whether the order names
//! the courier by code (the demo), by name or by an alias (a Taobao export's `顺丰快递`);
//! another courier is refused; `courier-change` voids the old number for good, logs why
//! and gives the next pool number (or a typed one); the search follows every number.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

use common::{ok, shopdesk, text};
use serde_json::Value;
use shopdesk::store::Store;

/// The error of a run that must fail.
fn refused(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "expected a refusal, got: {}",
        text(&out.stdout)
    );
    text(&out.stderr)
}

fn orders_json(db: &Path, filter: &[&str]) -> Vec<Value> {
    let mut args = vec!["orders", "--json", "--limit", "100000"];
    args.extend(filter);
    let out = ok(&shopdesk(db, &args));
    match serde_json::from_str(&out).expect("orders --json is JSON") {
        Value::Array(orders) => orders,
        other => panic!("expected an array, got {other}"),
    }
}

fn field<'a>(order: &'a Value, name: &str) -> &'a str {
    order[name].as_str().unwrap_or_default()
}

/// `(courier, tracking_no)` of an order, as `orders --json` shows them.
fn tracking(db: &Path, order_no: &str) -> (String, String) {
    let found: Vec<Value> = orders_json(db, &["--search", order_no])
        .into_iter()
        .filter(|o| field(o, "order_no") == order_no)
        .collect();
    assert_eq!(found.len(), 1, "order {order_no}");
    (
        field(&found[0], "courier").to_owned(),
        field(&found[0], "tracking_no").to_owned(),
    )
}

/// The order numbers a search for this text finds.
fn found_by(db: &Path, search: &str) -> Vec<String> {
    orders_json(db, &["--search", search])
        .iter()
        .map(|o| field(o, "order_no").to_owned())
        .collect()
}

/// Free numbers of a courier's pool, from `couriers list`.
fn pool_free(db: &Path, code: &str) -> i64 {
    let list = ok(&shopdesk(db, &["couriers", "list"]));
    let line = list
        .lines()
        .find(|l| l.split_whitespace().next() == Some(code))
        .unwrap_or_else(|| panic!("{code} in {list}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "free").expect("free");
    words[at - 1].parse().expect("a count")
}

fn waybills(db: &Path, orders: &[&str], courier: &str, pdf: &Path) -> Output {
    let mut args = vec!["waybills"];
    args.extend(orders);
    args.extend(["--courier", courier, "--out", pdf.to_str().expect("path")]);
    shopdesk(db, &args)
}

/// A Taobao export of one paid order waiting to ship, with the courier spelled as Taobao
/// spells it and, when given, a tracking number.
fn taobao_export(dir: &Path, order_no: &str, sku: &str, number: &str) -> (String, String) {
    let orders = dir.join(format!("orders-{order_no}.csv"));
    let items = dir.join(format!("items-{order_no}.csv"));
    std::fs::write(
        &orders,
        format!(
            "订单编号,买家会员名,买家应付货款,买家应付邮费,买家实际支付金额,订单状态,收货人姓名,\
             收货地址,联系手机,订单创建时间,订单付款时间,物流单号,物流公司\n\
             =\"{order_no}\",tb_courier,20.00,0.00,20.00,买家已付款，等待卖家发货,李华,\
             浙江省 杭州市 西湖区 文三路 1号 某某小区 3幢(310012),'13812345678,\
             2026-11-20 10:15:00,2026-11-20 10:16:30,{number},顺丰快递\n"
        ),
    )
    .expect("orders csv");
    std::fs::write(
        &items,
        format!("订单编号,标题,价格,购买数量,商家编码\n=\"{order_no}\",测试商品,20.00,1,{sku}\n"),
    )
    .expect("items csv");
    (
        orders.to_str().expect("path").to_owned(),
        items.to_str().expect("path").to_owned(),
    )
}

#[test]
fn numbers_stay_unless_the_courier_is_changed_explicitly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    // Three thousand sample orders leave a few dozen printed ones (most are archived).
    ok(&shopdesk(&db, &["demo", "--orders", "3000"]));
    let pdf = dir.path().join("waybills.pdf");

    // Printed sample orders name their courier by code. Printing their waybills again with
    // that courier keeps every number and takes nothing from the pool.
    let printed: Vec<Value> = orders_json(&db, &["--status", "printed"])
        .into_iter()
        .filter(|o| o["on_hold"] == Value::Bool(false) && !field(o, "tracking_no").is_empty())
        .collect();
    let mut codes: Vec<&str> = printed.iter().map(|o| field(o, "courier")).collect();
    codes.sort_unstable();
    let code = codes
        .iter()
        .copied()
        .max_by_key(|c| codes.iter().filter(|d| *d == c).count())
        .expect("the sample shop has printed orders");
    let own: Vec<(String, String)> = printed
        .iter()
        .filter(|o| field(o, "courier") == code)
        .map(|o| {
            (
                field(o, "order_no").to_owned(),
                field(o, "tracking_no").to_owned(),
            )
        })
        .collect();
    let numbers: Vec<&str> = own.iter().map(|(no, _)| no.as_str()).collect();
    let free = pool_free(&db, code);
    for _ in 0..2 {
        let said = ok(&waybills(&db, &numbers, code, &pdf));
        assert!(said.contains(&format!("{} reprinted", own.len())), "{said}");
        for (no, number) in &own {
            assert_eq!(tracking(&db, no), (code.to_owned(), number.clone()), "{no}");
        }
    }
    assert_eq!(pool_free(&db, code), free, "no pool number taken");

    // A printed order of another courier is not switched by a print with this one.
    let other = printed
        .iter()
        .find(|o| field(o, "courier") != code)
        .expect("a printed order of another courier");
    let (other_no, other_courier, other_number) = (
        field(other, "order_no"),
        field(other, "courier"),
        field(other, "tracking_no"),
    );
    let err = refused(&waybills(&db, &[numbers[0], other_no], code, &pdf));
    assert!(
        err.contains("courier-change") && err.contains(other_no) && err.contains(other_number),
        "{err}"
    );
    assert_eq!(
        tracking(&db, other_no),
        (other_courier.to_owned(), other_number.to_owned())
    );
    assert_eq!(pool_free(&db, code), free);

    // An imported order whose courier is spelled 顺丰快递 keeps its number when printed
    // with SF; one without a number takes the pool's next.
    let store = Store::open(&db).expect("open");
    let stock = store.stock_report().expect("stock");
    let sku = stock
        .iter()
        .filter(|r| !r.is_bundle && r.active)
        .max_by_key(|r| r.sellable)
        .map(|r| r.code.clone())
        .expect("a product");
    drop(store);
    let sf_free = pool_free(&db, "SF");
    let imported = "88800000000000001";
    let bare = "88800000000000002";
    for (order_no, number) in [(imported, "SF1357924680135"), (bare, "")] {
        let (orders, items) = taobao_export(dir.path(), order_no, &sku, number);
        ok(&shopdesk(&db, &["import", "taobao", &orders, &items]));
        let said = ok(&shopdesk(&db, &["review", order_no]));
        assert!(said.contains(&format!("approved {order_no}")), "{said}");
    }
    assert_eq!(
        tracking(&db, imported),
        ("顺丰快递".to_owned(), "SF1357924680135".to_owned())
    );
    for _ in 0..2 {
        ok(&waybills(&db, &[imported, bare], "SF", &pdf));
        assert_eq!(
            tracking(&db, imported),
            ("顺丰快递".to_owned(), "SF1357924680135".to_owned())
        );
        assert_eq!(
            tracking(&db, bare),
            ("顺丰速运".to_owned(), "SF9999999999999".to_owned())
        );
    }
    assert_eq!(pool_free(&db, "SF"), sf_free - 1);
    assert_eq!(found_by(&db, "SF9999999999999"), vec![bare.to_owned()]);

    // Printing it with ZTO is refused and names the explicit action.
    let zto_free = pool_free(&db, "ZTO");
    let err = refused(&waybills(&db, &[imported], "ZTO", &pdf));
    assert!(err.contains("courier-change"), "{err}");
    assert_eq!(tracking(&db, imported).1, "SF1357924680135");
    assert_eq!(pool_free(&db, "ZTO"), zto_free);
    let err = refused(&shopdesk(
        &db,
        &[
            "courier-change",
            imported,
            "--courier",
            "ZTO",
            "--reason",
            " ",
        ],
    ));
    assert!(err.contains("reason"), "{err}");
    assert_eq!(tracking(&db, imported).1, "SF1357924680135");

    // The explicit change: the old number voided, the next ZTO pool number given.
    let said = ok(&shopdesk(
        &db,
        &[
            "courier-change",
            imported,
            "--courier",
            "ZTO",
            "--reason",
            "买家要求改发中通",
        ],
    ));
    assert_eq!(
        said.trim(),
        format!(
            "order {imported}: 顺丰速运 (SF) SF1357924680135 voided; now 中通快递 (ZTO) \
             78999999999999 (from the pool)"
        )
    );
    assert_eq!(
        tracking(&db, imported),
        ("中通快递".to_owned(), "78999999999999".to_owned())
    );
    assert_eq!(pool_free(&db, "ZTO"), zto_free - 1);
    assert_eq!(found_by(&db, "78999999999999"), vec![imported.to_owned()]);
    assert!(found_by(&db, "SF1357924680135").is_empty());
    let store = Store::open(&db).expect("open");
    let id = store.find_order(imported).expect("order");
    let record = store.order_tracking(id).expect("tracking");
    assert_eq!(record.voided.len(), 1);
    let voided = &record.voided[0];
    assert_eq!(
        (
            voided.number.as_str(),
            voided.courier.as_str(),
            voided.reason.as_str()
        ),
        ("SF1357924680135", "顺丰快递", "买家要求改发中通")
    );
    let operator = store.settings().expect("settings").operator;
    assert_eq!(voided.operator, operator);
    let events = store.order_detail(id).expect("detail").events;
    let logged = events
        .iter()
        .find(|e| e.event.code() == "courier_change")
        .expect("the change is in the order's log");
    assert!(
        logged.detail.contains("SF1357924680135 voided")
            && logged.detail.contains("买家要求改发中通"),
        "{}",
        logged.detail
    );
    drop(store);

    // The voided number is never used again.
    let pool = dir.path().join("pool.txt");
    std::fs::write(&pool, "SF1357924680135\n").expect("pool");
    let out = shopdesk(
        &db,
        &[
            "tracking",
            "import",
            "--courier",
            "SF",
            pool.to_str().expect("path"),
        ],
    );
    assert!(
        ok(&out).contains("0 tracking numbers added, 1 skipped"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("voided"),
        "{}",
        text(&out.stderr)
    );
    let err = refused(&shopdesk(
        &db,
        &[
            "tracking",
            "set",
            bare,
            "--courier",
            "SF",
            "SF1357924680135",
        ],
    ));
    assert!(err.contains("courier-change"), "{err}");
    let err = refused(&shopdesk(
        &db,
        &[
            "courier-change",
            bare,
            "--courier",
            "SF",
            "--reason",
            "标签损坏",
            "--number",
            "SF1357924680135",
        ],
    ));
    assert!(err.contains("voided"), "{err}");
    assert_eq!(tracking(&db, bare).1, "SF9999999999999");

    // Printed again with its new courier, it keeps the new number.
    ok(&waybills(&db, &[imported], "ZTO", &pdf));
    assert_eq!(tracking(&db, imported).1, "78999999999999");

    // A typed number: back to SF, the ZTO number voided in turn.
    let said = ok(&shopdesk(
        &db,
        &[
            "courier-change",
            imported,
            "--courier",
            "SF",
            "--reason",
            "中通不收件",
            "--number",
            "SF2468013579246",
        ],
    ));
    assert!(
        said.contains("78999999999999 voided") && said.contains("SF2468013579246 (typed)"),
        "{said}"
    );
    assert_eq!(
        tracking(&db, imported),
        ("顺丰速运".to_owned(), "SF2468013579246".to_owned())
    );
    assert!(found_by(&db, "78999999999999").is_empty());
    assert_eq!(found_by(&db, "SF2468013579246"), vec![imported.to_owned()]);

    // The sample orders printed at the start still have their numbers, and the file is
    // consistent.
    for (no, number) in &own {
        assert_eq!(tracking(&db, no).1, *number, "{no}");
    }
    let said = ok(&shopdesk(&db, &["check"]));
    assert!(!said.to_lowercase().contains("problem"), "{said}");
}
