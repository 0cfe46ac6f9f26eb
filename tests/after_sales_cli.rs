//! After-sales end to end through the `shopdesk` binary: a buyer's return from the case's
//! opening to its close (the return parcel received with a damaged item, the refund, the
//! flag), refusals that exit non-zero and write nothing, a case on an archived order, the
//! exchange's replacement and the reshipment, unknown parcels, and Taobao's refund report
//! imported twice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{find, fixture, ok, orders, shopdesk, text};
use shopdesk::domain::Event;
use shopdesk::domain::model::NewProduct;
use shopdesk::store::{Document, Store};

struct Shop {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

/// A shop with CUP and TEA (10 on hand each) and shipped Taobao orders: each of 2 CUP at
/// 40.00 and 1 TEA at 20.00, 10.00 postage and 10.00 off: 100.00 paid.
fn shop(numbers: &[&str]) -> Shop {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    let mut store = Store::open(&db).expect("store");
    store
        .upsert_products(&[
            NewProduct {
                code: "CUP".to_owned(),
                name: "白瓷杯".to_owned(),
                barcodes: vec!["6901".to_owned()],
                ..NewProduct::default()
            },
            NewProduct {
                code: "TEA".to_owned(),
                name: "龙井茶".to_owned(),
                ..NewProduct::default()
            },
        ])
        .expect("products");
    for code in ["CUP", "TEA"] {
        store
            .adjust_stock(code, 10, "opening", "owner")
            .expect("stock");
    }
    for no in numbers {
        let mut order = common::order(no, &[("CUP", 2), ("TEA", 1)], false);
        order.lines[0].unit_price_cents = 4_000;
        order.lines[1].unit_price_cents = 2_000;
        order.goods_cents = 10_000;
        order.postage_cents = 1_000;
        order.discount_cents = 1_000;
        order.paid_cents = 10_000;
        order.buyer_id = format!("tb_{no}");
        order.courier = "SF".to_owned();
        order.tracking_no = format!("SF{no}");
        let id = store
            .insert_orders(&[order], "test", "owner")
            .expect("insert")[0];
        store
            .apply_event(id, Event::Review, "owner")
            .expect("review");
        store
            .record_print(&[id], None, Document::Waybills, "owner")
            .expect("print");
        store.apply_event(id, Event::Ship, "owner").expect("ship");
    }
    Shop { _dir: dir, db }
}

fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(&shopdesk(db, args))).expect("json")
}

fn on_hand(db: &Path, code: &str) -> i64 {
    let stock = json(db, &["stock", "--json"]);
    stock
        .as_array()
        .expect("array")
        .iter()
        .find(|p| p["code"] == code)
        .expect("product")["on_hand"]
        .as_i64()
        .expect("number")
}

/// Everything a refused command must leave as it was.
fn state(db: &Path) -> String {
    format!(
        "{}\n{}\n{}",
        text(&shopdesk(db, &["orders", "--json"]).stdout),
        text(&shopdesk(db, &["case", "list", "--json"]).stdout),
        text(&shopdesk(db, &["stock", "--json"]).stdout)
    )
}

fn refused(db: &Path, args: &[&str], message: &str) {
    let before = state(db);
    let out = shopdesk(db, args);
    assert!(!out.status.success(), "{args:?} should be refused");
    let err = text(&out.stderr);
    assert!(err.contains(message), "{args:?}: {err}");
    assert_eq!(err.matches("error").count(), 1, "said once: {err}");
    assert_eq!(state(db), before, "{args:?} wrote something");
}

#[test]
fn a_return_from_the_buyers_message_to_the_closed_case() {
    let shop = shop(&["5001"]);
    let db = &shop.db;
    let case = json(
        db,
        &[
            "case",
            "open",
            "5001",
            "--type",
            "return",
            "--reason",
            "质量问题",
            "--line",
            "CUP=2",
            "--refund",
            "72.00",
            "--json",
        ],
    );
    let id = case["id"].as_i64().unwrap().to_string();
    assert_eq!(case["order_no"], "5001");
    assert_eq!(case["type"], "return");
    assert_eq!(case["status"], "open");
    assert_eq!(case["reason"], "quality");
    assert_eq!(case["refund_cents"], 0);
    assert_eq!(case["lines"][0]["code"], "CUP");
    assert_eq!(case["lines"][0]["quantity"], 2);
    assert!(case["opened_at"].as_str().unwrap().starts_with("20"));
    assert!(case["closed_at"].is_null());
    let order = orders(db);
    let order = find(&order, "5001");
    assert_eq!(order["flag"], "purple");
    assert!(order["remark"].as_str().unwrap().contains("AS0000"));
    assert_eq!(order["cases"], serde_json::json!([case["id"]]));

    // Both cups are in the return; the tea is 18.00 after the discount, plus 10.00 postage.
    refused(
        db,
        &[
            "case", "open", "5001", "--type", "refund", "--reason", "other", "--line", "CUP=1",
        ],
        "earlier cases took 2",
    );
    refused(
        db,
        &[
            "case", "open", "5001", "--type", "refund", "--reason", "other", "--line", "TEA=1",
            "--refund", "28.01",
        ],
        "28.00",
    );
    // Not waiting for goods yet refuses a refund.
    refused(
        db,
        &["case", "refund", &id, "10"],
        "receive the return first",
    );

    ok(&shopdesk(db, &["case", "wait", &id, "--tracking", "YT900"]));
    // A complaint on the same parcel, found by its tracking number while the return waits.
    let complaint = ok(&shopdesk(
        db,
        &[
            "case",
            "open",
            "SF5001",
            "--type",
            "complaint",
            "--reason",
            "other",
        ],
    ));
    assert_eq!(
        json(db, &["case", "show", complaint.trim(), "--json"])["order_no"],
        "5001"
    );
    let out = ok(&shopdesk(
        db,
        &[
            "case",
            "receive",
            "YT900",
            "--line",
            "CUP=1:sellable",
            "--line",
            "6901=1:damaged",
        ],
    ));
    assert!(
        out.contains("1 sellable back on hand, 1 damaged kept apart"),
        "{out}"
    );
    assert_eq!(on_hand(db, "CUP"), 9);
    // The damaged figure beside the others in `stock`.
    let stock = json(db, &["stock", "--json"]);
    let cup = stock
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "CUP")
        .unwrap();
    assert_eq!(cup["damaged"], 1, "{cup}");
    assert!(ok(&shopdesk(db, &["stock"])).contains("damaged"));
    let damaged = ok(&shopdesk(db, &["case", "damaged"]));
    assert!(
        damaged.contains("CUP") && damaged.contains(" 1 "),
        "{damaged}"
    );
    refused(db, &["case", "receive", &id], "came back already");
    refused(db, &["case", "refund", &id, "82.01"], "at most 82.00");
    refused(
        db,
        &["case", "refund", &id, "12.345"],
        "at most two decimals",
    );

    ok(&shopdesk(db, &["case", "refund", &id, "72"]));
    let order = orders(db);
    let order = find(&order, "5001");
    assert_eq!(order["refunded_cents"], 7_200);
    assert_eq!(order["payment_status"], "partly_refunded");
    let out = ok(&shopdesk(db, &["case", "close", &id]));
    assert!(out.contains("flag was cleared"), "{out}");
    let shown = json(db, &["case", "show", &id, "--json"]);
    assert_eq!(shown["status"], "closed");
    assert_eq!(shown["refund_cents"], 7_200);
    assert!(shown["closed_at"].is_string());
    assert_eq!(shown["lines"][0]["sellable"], 1);
    assert_eq!(shown["lines"][0]["damaged"], 1);
    let actions: Vec<&str> = shown["log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["open", "await_return", "receive", "refund", "close"]
    );
    assert_eq!(find(&orders(db), "5001")["flag"], "none");

    // Repaired damaged goods go back on hand; `check` proves every figure.
    ok(&shopdesk(
        db,
        &["case", "damaged", "CUP", "1", "--decision", "repair"],
    ));
    assert_eq!(on_hand(db, "CUP"), 10);
    ok(&shopdesk(db, &["check"]));
    let listed = json(db, &["case", "list", "--status", "closed", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

#[test]
fn refusals_say_why_exit_non_zero_and_write_nothing() {
    let shop = shop(&["5002"]);
    let db = &shop.db;
    let id = ok(&shopdesk(
        db,
        &[
            "case",
            "open",
            "5002",
            "--type",
            "refund",
            "--reason",
            "not_received",
        ],
    ))
    .trim()
    .to_owned();
    refused(db, &["case", "receive", &id], "not waiting for goods");
    refused(db, &["case", "refund", &id, "100.01"], "at most 100.00");
    refused(
        db,
        &[
            "case", "open", "5002", "--type", "swap", "--reason", "other",
        ],
        "expected a case type",
    );
    refused(
        db,
        &[
            "case", "open", "5002", "--type", "return", "--reason", "bored",
        ],
        "unknown reason",
    );
    refused(
        db,
        &[
            "case", "open", "5002", "--type", "return", "--reason", "other", "--line", "CUP=3",
        ],
        "3 asked, but the order has 2",
    );
    refused(
        db,
        &[
            "case", "open", "9999", "--type", "refund", "--reason", "other",
        ],
        "9999",
    );
    refused(db, &["case", "close", &id], "has not been settled");
    refused(
        db,
        &["case", "receive", "424242"],
        "no after-sales case 424242",
    );
    ok(&shopdesk(db, &["case", "refund", &id, "100"]));
    assert_eq!(find(&orders(db), "5002")["payment_status"], "refunded");
    refused(db, &["case", "refund", &id, "0.01"], "at most 0.00");
}

#[test]
fn an_archived_order_takes_cases_and_stays_as_it_was() {
    let shop = shop(&["5003"]);
    let db = &shop.db;
    {
        let mut store = Store::open(db).expect("store");
        let id = store.find_order("5003").expect("order");
        store
            .apply_event(id, Event::Archive, "owner")
            .expect("archive");
    }
    let before = find(&orders(db), "5003").clone();
    let id = ok(&shopdesk(
        db,
        &[
            "case", "open", "5003", "--type", "return", "--reason", "quality", "--line", "TEA=1",
        ],
    ))
    .trim()
    .to_owned();
    ok(&shopdesk(db, &["case", "receive", &id]));
    ok(&shopdesk(db, &["case", "refund", &id, "18"]));
    let after = find(&orders(db), "5003").clone();
    // The order reads with the refund kept beside it, and nothing else moved.
    assert_eq!(after["refunded_cents"], 1_800);
    assert_eq!(after["payment_status"], "partly_refunded");
    let strip = |mut o: serde_json::Value| {
        for key in ["refunded_cents", "payment_status", "paid", "cases"] {
            o[key] = serde_json::Value::Null;
        }
        o
    };
    assert_eq!(strip(after), strip(before));
    assert_eq!(on_hand(db, "TEA"), 10);
    // Raw SQL cannot touch it either.
    let conn = rusqlite::Connection::open(db).expect("open");
    assert!(
        conn.execute(
            "UPDATE orders SET refunded_cents = 0 WHERE order_no = '5003'",
            []
        )
        .is_err()
    );
    assert!(conn.execute("DELETE FROM case_events", []).is_err());
    assert!(
        conn.execute("UPDATE case_refunds SET cents = 1", [])
            .is_err()
    );
}

#[test]
fn an_exchange_and_a_reshipment_go_out_as_linked_orders() {
    let shop = shop(&["5004"]);
    let db = &shop.db;
    let exchange = ok(&shopdesk(
        db,
        &[
            "case",
            "open",
            "5004",
            "--type",
            "exchange",
            "--reason",
            "size_colour",
            "--line",
            "CUP=1",
        ],
    ))
    .trim()
    .to_owned();
    assert_eq!(find(&orders(db), "5004")["flag"], "blue");
    let replacement = ok(&shopdesk(
        db,
        &["case", "exchange", &exchange, "--line", "TEA=1"],
    ))
    .trim()
    .to_owned();
    let all = orders(db);
    let new = find(&all, &replacement);
    assert_eq!(new["goods_cents"], 0);
    assert_eq!(new["reshipment_of"], "5004");
    assert_eq!(new["lines"][0]["product_code"], "TEA");
    // The old goods arrive later, then the case closes.
    ok(&shopdesk(db, &["case", "receive", "SF5004"]));
    ok(&shopdesk(db, &["case", "close", &exchange]));

    let reship = ok(&shopdesk(
        db,
        &[
            "case",
            "open",
            "5004",
            "--type",
            "reship",
            "--reason",
            "missing_item",
            "--line",
            "TEA=1",
        ],
    ))
    .trim()
    .to_owned();
    let order_no = ok(&shopdesk(db, &["case", "reship", &reship]))
        .trim()
        .to_owned();
    let shown = json(db, &["case", "show", &reship, "--json"]);
    assert_eq!(shown["status"], "reshipped");
    assert_eq!(shown["new_order_no"], order_no.as_str());
    assert_eq!(shown["responsibility"], "packing");
}

#[test]
fn an_unknown_parcel_is_recorded_then_matched() {
    let shop = shop(&["5005"]);
    let db = &shop.db;
    let out = ok(&shopdesk(
        db,
        &["case", "receive", "ZT000111222", "--line", "CUP=1"],
    ));
    assert!(out.contains("recorded as unknown return parcel"), "{out}");
    let parcels = ok(&shopdesk(db, &["case", "parcels"]));
    assert!(parcels.contains("ZT000111222"), "{parcels}");
    let parcel = parcels.split_whitespace().next().unwrap().to_owned();
    let id = ok(&shopdesk(
        db,
        &[
            "case",
            "open",
            "5005",
            "--type",
            "return",
            "--reason",
            "no_reason_7day",
        ],
    ))
    .trim()
    .to_owned();
    refused(
        db,
        &["case", "assign", &parcel, "424242"],
        "no after-sales case",
    );
    ok(&shopdesk(db, &["case", "assign", &parcel, &id]));
    assert!(ok(&shopdesk(db, &["case", "parcels"])).trim().is_empty());
    // What the parcel held is on the case: back on hand, and its tracking is the return's.
    assert_eq!(on_hand(db, "CUP"), 9);
    let shown = json(db, &["case", "show", &id, "--json"]);
    assert_eq!(shown["lines"][0]["sellable"], 1);
    assert_eq!(shown["return_tracking"], "ZT000111222");
    // Another parcel on the now finished case is refused.
    ok(&shopdesk(db, &["case", "refund", &id, "40"]));
    ok(&shopdesk(db, &["case", "close", &id]));
    ok(&shopdesk(
        db,
        &["case", "receive", "ZT000333444", "--line", "TEA=1"],
    ));
    let parcels = ok(&shopdesk(db, &["case", "parcels"]));
    let parcel = parcels.split_whitespace().next().unwrap().to_owned();
    // The case was closed before all its goods came: a late parcel is still received on it.
    ok(&shopdesk(db, &["case", "assign", &parcel, &id]));
    assert_eq!(on_hand(db, "TEA"), 10);
    let shown = json(db, &["case", "show", &id, "--json"]);
    assert_eq!(shown["status"], "closed");
    // More than it expects is refused.
    ok(&shopdesk(
        db,
        &["case", "receive", "ZT000555666", "--line", "TEA=1"],
    ));
    let parcels = ok(&shopdesk(db, &["case", "parcels"]));
    let parcel = parcels.split_whitespace().next().unwrap().to_owned();
    refused(db, &["case", "assign", &parcel, &id], "at most 0 more");
}

#[test]
fn taobaos_refund_report_creates_and_updates_cases_once() {
    let shop = shop(&["4021558800112", "4021558800113"]);
    let db = &shop.db;
    let report = fixture("taobao_refunds_gbk.csv");
    // The refund of an order not in the database is a bad row with its line and column:
    // nothing is written unless the bad rows are left out.
    let before = state(db);
    let out = shopdesk(db, &["import", "refunds", &report]);
    assert!(!out.status.success());
    let printed = text(&out.stdout);
    assert!(
        printed.contains(
            "taobao_refunds_gbk.csv:4: column 订单编号: no such order 4021558899999: import \
             its orders first"
        ),
        "{printed}"
    );
    assert!(text(&out.stderr).contains("nothing was written"));
    assert_eq!(state(db), before);
    let out = ok(&shopdesk(
        db,
        &["import", "refunds", &report, "--skip-invalid"],
    ));
    assert!(
        out.contains("2 cases created, 0 updated, 0 unchanged, 1 rejected"),
        "{out}"
    );
    let all = orders(db);
    assert_eq!(find(&all, "4021558800112")["refunded_cents"], 2_000);
    assert_eq!(find(&all, "4021558800113")["refunded_cents"], 0);
    let cases = json(db, &["case", "list", "--json"]);
    let statuses: Vec<(&str, &str, &str)> = cases
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["order_no"].as_str().unwrap(),
                c["type"].as_str().unwrap(),
                c["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("4021558800113", "return", "waiting_return"),
            ("4021558800112", "refund", "refunded")
        ]
    );
    let before = state(db);
    let again = ok(&shopdesk(
        db,
        &["import", "refunds", &report, "--skip-invalid"],
    ));
    assert!(
        again.contains("0 cases created, 0 updated, 2 unchanged"),
        "{again}"
    );
    assert_eq!(state(db), before, "a second import changes nothing");
    // The buyer's return parcel is found by its tracking number from the report.
    ok(&shopdesk(db, &["case", "receive", "YT1234567890"]));

    let bad = fixture("taobao_refunds_bad.csv");
    let before = state(db);
    let out = shopdesk(db, &["import", "refunds", &bad]);
    assert!(!out.status.success());
    let printed = text(&out.stdout);
    assert!(
        printed.contains("taobao_refunds_bad.csv:3: column 买家退款金额"),
        "{printed}"
    );
    assert!(
        printed.contains("taobao_refunds_bad.csv:4: column 退款状态"),
        "{printed}"
    );
    assert!(text(&out.stderr).contains("nothing was written"));
    assert_eq!(state(db), before);
    let out = ok(&shopdesk(
        db,
        &["import", "refunds", &bad, "--skip-invalid"],
    ));
    assert!(
        out.contains("0 cases created, 0 updated, 1 unchanged, 2 rejected"),
        "{out}"
    );
}

#[test]
fn another_marketplaces_refunds_through_a_saved_mapping() {
    let shop = shop(&["W7001"]);
    let db = &shop.db;
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("wx_refunds.csv");
    std::fs::write(
        &csv,
        "售后单号,订单号,退款金额,状态,原因\nWX1,W7001,12.50,refunded,尺码不合适\n",
    )
    .expect("csv");
    let mapping = dir.path().join("wx.json");
    std::fs::write(
        &mapping,
        r#"{"columns":[["refund_no","售后单号"],["order_no","订单号"],["amount","退款金额"],["status","状态"],["reason","原因"]]}"#,
    )
    .expect("mapping");
    ok(&shopdesk(
        db,
        &[
            "import",
            "save-profile",
            "wx",
            &mapping.display().to_string(),
        ],
    ));
    let csv = csv.display().to_string();
    let out = ok(&shopdesk(
        db,
        &["import", "refunds", &csv, "--profile", "wx"],
    ));
    assert!(out.contains("1 cases created"), "{out}");
    let case = &json(db, &["case", "list", "--json"])[0];
    assert_eq!(case["reason"], "size_colour");
    assert_eq!(case["refund_cents"], 1_250);
    assert_eq!(find(&orders(db), "W7001")["refunded_cents"], 1_250);
    // An order mapping is not a refund mapping: said, nothing written.
    let orders_profile = fixture("generic_profile.json");
    ok(&shopdesk(
        db,
        &["import", "save-profile", "youzan", &orders_profile],
    ));
    refused(
        db,
        &["import", "refunds", &csv, "--profile", "youzan"],
        "not a refund export's mapping",
    );
}

#[test]
fn an_imported_refund_above_what_was_paid_is_a_bad_row() {
    let shop = shop(&["5101"]);
    let db = &shop.db;
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("退款报表.csv");
    let header = "订单编号,退款编号,买家退款金额,是否需要退货,退款状态,退款原因\n";
    std::fs::write(
        &csv,
        format!("{header}5101,R1,20.00,否,退款成功,质量问题\n5101,R2,80.01,否,退款成功,其他\n"),
    )
    .expect("csv");
    let csv = csv.display().to_string();
    let before = state(db);
    let out = shopdesk(db, &["import", "refunds", &csv]);
    assert!(!out.status.success());
    let printed = text(&out.stdout);
    assert!(
        printed.contains("退款报表.csv:3: column 买家退款金额: refund R2 of 80.01 on order 5101 is more than was paid: at most 80.00"),
        "{printed}"
    );
    assert!(text(&out.stderr).contains("nothing was written"));
    assert_eq!(state(db), before);
    let out = ok(&shopdesk(
        db,
        &["import", "refunds", &csv, "--skip-invalid"],
    ));
    assert!(
        out.contains("1 cases created, 0 updated, 0 unchanged, 1 rejected"),
        "{out}"
    );
    assert_eq!(find(&orders(db), "5101")["refunded_cents"], 2_000);
}

#[test]
fn a_rejected_return_gives_back_the_staff_flag_or_keeps_its_own() {
    let shop = shop(&["5201", "5202"]);
    let db = &shop.db;
    ok(&shopdesk(db, &["flag", "5201", "red"]));
    let open = |no: &str| {
        ok(&shopdesk(
            db,
            &[
                "case", "open", no, "--type", "return", "--reason", "quality",
            ],
        ))
        .trim()
        .to_owned()
    };
    let id = open("5201");
    assert_eq!(find(&orders(db), "5201")["flag"], "purple");
    let out = ok(&shopdesk(
        db,
        &["case", "reject", &id, "--reason", "buyer withdrew"],
    ));
    assert!(out.contains("the order's flag is red again"), "{out}");
    assert_eq!(find(&orders(db), "5201")["flag"], "red");
    let id = open("5202");
    ok(&shopdesk(
        db,
        &[
            "case",
            "reject",
            &id,
            "--reason",
            "buyer withdrew",
            "--keep-flag",
        ],
    ));
    assert_eq!(find(&orders(db), "5202")["flag"], "purple");
}

#[test]
fn a_return_is_received_in_two_parcels() {
    let shop = shop(&["5301"]);
    let db = &shop.db;
    let id = ok(&shopdesk(
        db,
        &[
            "case", "open", "5301", "--type", "return", "--reason", "quality", "--line", "CUP=2",
        ],
    ))
    .trim()
    .to_owned();
    refused(
        db,
        &[
            "case",
            "receive",
            &id,
            "--line",
            "CUP=2:sellable",
            "--line",
            "CUP=1:damaged",
        ],
        "CUP: 3 given (2 sellable, 1 damaged), but the case expects 2 of it",
    );
    let out = ok(&shopdesk(
        db,
        &["case", "receive", &id, "--line", "CUP=1:damaged"],
    ));
    assert!(out.contains("still to come: CUP×1"), "{out}");
    let out = ok(&shopdesk(
        db,
        &["case", "receive", &id, "--line", "CUP=1:sellable"],
    ));
    // What came this time, then the case's total.
    assert!(
        out.contains(
            "received: 1 sellable back on hand, 0 damaged kept apart (in all: 1 sellable, 1 damaged)"
        ) && !out.contains("still"),
        "{out}"
    );
    assert_eq!(on_hand(db, "CUP"), 9);
    let shown = json(db, &["case", "show", &id, "--json"]);
    assert_eq!(shown["status"], "return_received");
    refused(db, &["case", "receive", &id], "came back already");
}

#[test]
fn a_return_without_lines_takes_the_whole_order_and_the_list_has_a_header() {
    let shop = shop(&["5401"]);
    let db = &shop.db;
    ok(&shopdesk(
        db,
        &[
            "case", "open", "5401", "--type", "return", "--reason", "quality", "--line", "TEA=1",
        ],
    ));
    let case = json(
        db,
        &[
            "case",
            "open",
            "5401",
            "--type",
            "exchange",
            "--reason",
            "size_colour",
            "--json",
        ],
    );
    assert_eq!(case["lines"][0]["code"], "CUP");
    assert_eq!(case["lines"][0]["quantity"], 2);
    assert_eq!(
        case["lines"].as_array().unwrap().len(),
        1,
        "TEA was taken back already"
    );
    let refusal = shopdesk(db, &["case", "close", case["id"].to_string().as_str()]);
    assert!(
        text(&refusal.stderr).contains("cannot close an exchange case"),
        "{}",
        text(&refusal.stderr)
    );
    let list = ok(&shopdesk(db, &["case", "list"]));
    let first = list.lines().next().unwrap();
    assert!(
        first.starts_with("id") && first.contains("status") && first.contains("order"),
        "{list}"
    );
    assert_eq!(list.lines().count(), 3, "{list}");
}

/// Writes a Taobao refund report (UTF-8) with these data rows.
fn report(dir: &Path, name: &str, rows: &[&str]) -> String {
    let path = dir.join(name);
    let mut text = "订单编号,退款编号,买家会员名,买家实际支付金额,买家退款金额,是否需要退货,\
                    退款的申请时间,退款状态,退款原因,退款说明,退货运单号\n"
        .to_owned();
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

#[test]
fn an_imported_return_and_an_opened_one_never_take_the_same_goods_back_twice() {
    let shop = shop(&["5001"]);
    let db = &shop.db;
    let dir = shop.db.parent().unwrap();
    let cup = on_hand(db, "CUP");
    let file = report(
        dir,
        "r.csv",
        &[
            "5001,R1,tb,100.00,100.00,是,2026-11-26 09:00:00,买家已经退货，等待卖家确认收货,质量问题,,YT5001",
        ],
    );
    ok(&shopdesk(db, &["import", "refunds", &file]));
    refused(
        db,
        &[
            "case", "open", "5001", "--type", "return", "--reason", "quality",
        ],
        "AS000001",
    );
    ok(&shopdesk(db, &["case", "receive", "YT5001"]));
    assert_eq!(on_hand(db, "CUP"), cup + 2, "2 sold, 2 back");
    // The same file again changes nothing; the parcel's number names its case.
    let before = state(db);
    let again = ok(&shopdesk(db, &["import", "refunds", &file]));
    assert!(
        again.contains("0 cases created, 0 updated, 1 unchanged"),
        "{again}"
    );
    assert_eq!(state(db), before);
    let show = json(db, &["case", "show", "1", "--json"]);
    assert_eq!(show["status"], "return_received");
    refused(db, &["case", "receive", "YT5001"], "came back already");
    assert!(ok(&shopdesk(db, &["case", "parcels"])).trim().is_empty());
}

#[test]
fn a_refund_number_twice_in_one_file_is_a_bad_row() {
    let shop = shop(&["5002"]);
    let db = &shop.db;
    let dir = shop.db.parent().unwrap();
    let file = report(
        dir,
        "twice.csv",
        &[
            "5002,R1,tb,100.00,25.00,否,2026-11-26 09:00:00,买家已经申请退款，等待卖家同意,质量问题,,",
            "5002,R1,tb,100.00,20.00,否,2026-11-26 09:00:00,买家已经申请退款，等待卖家同意,质量问题,,",
        ],
    );
    let before = state(db);
    let out = shopdesk(db, &["import", "refunds", &file]);
    assert!(!out.status.success());
    let printed = text(&out.stdout);
    assert!(
        printed.contains("twice.csv:3: column 退款编号: refund R1 is on line 2 already"),
        "{printed}"
    );
    assert_eq!(state(db), before);
    ok(&shopdesk(
        db,
        &["import", "refunds", &file, "--skip-invalid"],
    ));
    let after = state(db);
    ok(&shopdesk(
        db,
        &["import", "refunds", &file, "--skip-invalid"],
    ));
    assert_eq!(state(db), after, "a re-import changes nothing");
    assert_eq!(
        json(db, &["case", "show", "1", "--json"])["requested_cents"],
        2_500
    );
}

#[test]
fn a_return_refunded_before_its_parcel_arrives_is_received_by_its_tracking() {
    let shop = shop(&["5003"]);
    let db = &shop.db;
    let dir = shop.db.parent().unwrap();
    let cup = on_hand(db, "CUP");
    let file = report(
        dir,
        "done.csv",
        &["5003,R3,tb,100.00,100.00,是,2026-11-26 09:00:00,退款成功,质量问题,,YTZ1"],
    );
    ok(&shopdesk(db, &["import", "refunds", &file]));
    let out = ok(&shopdesk(db, &["case", "receive", "YTZ1"]));
    assert!(out.contains("AS000001 received: 3 sellable"), "{out}");
    assert_eq!(on_hand(db, "CUP"), cup + 2);
    let show = json(db, &["case", "show", "1", "--json"]);
    assert_eq!(show["status"], "refunded");
    ok(&shopdesk(db, &["case", "close", "1"]));
    assert_eq!(find(&orders(db), "5003")["flag"], "none");
}

#[test]
fn a_cancelled_replacement_is_sent_again() {
    let shop = shop(&["5004"]);
    let db = &shop.db;
    ok(&shopdesk(
        db,
        &[
            "case",
            "open",
            "5004",
            "--type",
            "exchange",
            "--reason",
            "size_colour",
            "--line",
            "CUP=1",
        ],
    ));
    let first = ok(&shopdesk(db, &["case", "exchange", "1", "--line", "TEA=1"]));
    let first = first.trim();
    refused(
        db,
        &["case", "exchange", "1"],
        "the replacement was sent already",
    );
    ok(&shopdesk(db, &["cancel", first]));
    let second = ok(&shopdesk(db, &["case", "exchange", "1", "--line", "TEA=1"]));
    assert_ne!(second.trim(), first);
    refused(
        db,
        &["case", "exchange", "1"],
        "the replacement was sent already",
    );
}

#[test]
fn a_refund_typed_in_is_not_counted_again_by_the_marketplace_report() {
    let shop = shop(&["5005"]);
    let db = &shop.db;
    let dir = shop.db.parent().unwrap();
    ok(&shopdesk(
        db,
        &[
            "case", "open", "5005", "--type", "refund", "--reason", "quality", "--refund", "20",
        ],
    ));
    ok(&shopdesk(db, &["case", "refund", "1", "20"]));
    let file = report(
        dir,
        "r1.csv",
        &["5005,R1,tb,100.00,20.00,否,2026-11-26 09:00:00,退款成功,质量问题,,"],
    );
    let out = ok(&shopdesk(db, &["import", "refunds", &file]));
    assert!(out.contains("0 cases created, 1 updated"), "{out}");
    assert_eq!(find(&orders(db), "5005")["refunded_cents"], 2_000);
    assert_eq!(
        json(db, &["case", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn archiving_waits_for_the_open_return_and_unknown_parcels_are_audited() {
    let shop = shop(&["5006"]);
    let db = &shop.db;
    ok(&shopdesk(
        db,
        &[
            "case", "open", "5006", "--type", "return", "--reason", "quality",
        ],
    ));
    let before = state(db);
    let out = shopdesk(db, &["archive", "5006"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("open after-sales case (AS000001)"));
    assert_eq!(state(db), before);
    ok(&shopdesk(
        db,
        &["case", "reject", "1", "--reason", "withdrawn"],
    ));
    ok(&shopdesk(db, &["archive", "5006"]));
    ok(&shopdesk(
        db,
        &["case", "receive", "UNKNOWN123", "--line", "CUP=1:sellable"],
    ));
    let audit = ok(&shopdesk(db, &["audit", "--json"]));
    assert!(
        audit.contains("case.parcel") && audit.contains("UNKNOWN123"),
        "{audit}"
    );
}

#[test]
fn an_exchange_closes_without_its_goods_only_when_said_and_a_late_parcel_is_still_received() {
    let shop = shop(&["5701"]);
    let db = &shop.db;
    let id = ok(&shopdesk(
        db,
        &[
            "case",
            "open",
            "5701",
            "--type",
            "exchange",
            "--reason",
            "size_colour",
            "--line",
            "CUP=1",
        ],
    ))
    .trim()
    .to_owned();
    ok(&shopdesk(db, &["case", "exchange", &id, "--line", "TEA=1"]));
    refused(db, &["case", "close", &id], "without the goods");
    ok(&shopdesk(db, &["case", "close", &id, "--without-goods"]));
    let shown = json(db, &["case", "show", &id, "--json"]);
    assert_eq!(shown["status"], "closed");
    let cup = on_hand(db, "CUP");
    // The parcel comes after all: scanned by the order's tracking, it goes back on hand.
    ok(&shopdesk(db, &["case", "receive", "SF5701"]));
    assert_eq!(on_hand(db, "CUP"), cup + 1);
    let shown = json(db, &["case", "show", &id, "--json"]);
    assert_eq!(shown["status"], "closed");
    assert_eq!(shown["lines"][0]["sellable"], 1);
}

#[test]
fn every_bad_row_of_a_refund_report_is_said_in_one_run() {
    let shop = shop(&["5003"]);
    let db = &shop.db;
    let dir = shop.db.parent().unwrap();
    let file = report(
        dir,
        "all.csv",
        &[
            "5003,R1,tb,100.00,10.00,否,2026-11-26 09:00:00,退款成功,质量问题,,",
            "5003,R2,tb,100.00,25.00,否,2026-11-26 09:00:00,买家已经申请退款，等待卖家同意,质量问题,,",
            "5003,R2,tb,100.00,20.00,否,2026-11-26 09:00:00,买家已经申请退款，等待卖家同意,质量问题,,",
            "9999,R3,tb,100.00,20.00,否,2026-11-26 09:00:00,退款成功,质量问题,,",
            "5003,R4,tb,100.00,95.00,否,2026-11-26 09:00:00,退款成功,质量问题,,",
        ],
    );
    let before = state(db);
    let out = shopdesk(db, &["import", "refunds", &file]);
    assert!(!out.status.success());
    let printed = text(&out.stdout);
    assert!(
        printed.contains("all.csv:4: column 退款编号: refund R2 is on line 3 already"),
        "{printed}"
    );
    assert!(
        printed.contains("all.csv:5: column 订单编号: no such order 9999"),
        "{printed}"
    );
    assert!(
        printed.contains("all.csv:6: column 买家退款金额:"),
        "{printed}"
    );
    assert_eq!(state(db), before, "nothing written");
}

#[test]
fn the_same_unknown_parcel_scanned_twice_is_recorded_once() {
    let shop = shop(&["5008"]);
    let db = &shop.db;
    let out = ok(&shopdesk(
        db,
        &["case", "receive", "ZZ000999", "--line", "CUP=1:sellable"],
    ));
    assert!(out.contains("unknown return parcel 1"), "{out}");
    let before = ok(&shopdesk(db, &["case", "parcels"]));
    let again = shopdesk(
        db,
        &["case", "receive", "ZZ000999", "--line", "CUP=1:sellable"],
    );
    assert!(!again.status.success());
    let err = text(&again.stderr);
    assert!(
        err.contains("ZZ000999 was recorded already as unknown return parcel 1"),
        "{err}"
    );
    assert_eq!(ok(&shopdesk(db, &["case", "parcels"])), before);
    assert_eq!(before.trim().lines().count(), 1, "{before}");
}

#[test]
fn the_days_figures_on_the_command_line() {
    let shop = shop(&["5009", "5010"]);
    let db = &shop.db;
    let id = ok(&shopdesk(
        db,
        &[
            "case", "open", "5009", "--type", "return", "--reason", "quality", "--line", "CUP=1",
        ],
    ))
    .trim()
    .to_owned();
    ok(&shopdesk(db, &["case", "wait", &id]));
    let refund = ok(&shopdesk(
        db,
        &[
            "case", "open", "5010", "--type", "refund", "--reason", "other",
        ],
    ))
    .trim()
    .to_owned();
    ok(&shopdesk(db, &["case", "refund", &refund, "12.50"]));
    ok(&shopdesk(db, &["case", "close", &refund]));
    let figures = json(db, &["case", "figures", "--json"]);
    assert_eq!(figures["opened_today"], 2);
    assert_eq!(figures["closed_today"], 1);
    assert_eq!(figures["waiting_return"], 1);
    assert_eq!(figures["overdue"], 0);
    assert_eq!(figures["refunds_today_cents"], 1_250);
    assert!(figures["average_handling_hours"].is_number(), "{figures}");
    assert_eq!(
        figures["returns_by_reason"],
        serde_json::json!([{"reason": "quality", "count": 1}])
    );
    let printed = ok(&shopdesk(db, &["case", "figures"]));
    assert!(printed.contains("refunds today       12.50"), "{printed}");
}

#[test]
fn a_refund_on_an_order_merged_unpaid_into_a_paid_one_is_refused() {
    let shop = shop(&[]);
    let db = &shop.db;
    {
        let mut store = Store::open(db).expect("store");
        let main = common::order("5801", &[("CUP", 1)], false);
        let mut unpaid = common::order("5802", &[("TEA", 1)], false);
        unpaid.payment_status = shopdesk::domain::PaymentStatus::Unpaid;
        unpaid.paid_cents = 0;
        store
            .insert_orders(&[main, unpaid], "test", "owner")
            .expect("insert");
    }
    ok(&shopdesk(db, &["merge", "5801", "5802"]));
    refused(
        db,
        &[
            "case", "open", "5802", "--type", "refund", "--reason", "other",
        ],
        "order 5802: nothing to refund: nothing was paid on it",
    );
    let id = ok(&shopdesk(
        db,
        &[
            "case",
            "open",
            "5802",
            "--type",
            "complaint",
            "--reason",
            "other",
        ],
    ))
    .trim()
    .to_owned();
    refused(db, &["case", "refund", &id, "5"], "nothing was paid on it");
    // The main order's own refund is bounded by what it paid.
    let main = ok(&shopdesk(
        db,
        &[
            "case", "open", "5801", "--type", "refund", "--reason", "other",
        ],
    ))
    .trim()
    .to_owned();
    ok(&shopdesk(db, &["case", "refund", &main, "10"]));
}
