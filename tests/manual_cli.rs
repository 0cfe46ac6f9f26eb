//! Manual orders end to end: `order new` with a pasted receiver, `pay`, `order reship`,
//! `customers` and `address parse`, on a temporary database with the fixture products.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{fixture, ok, shopdesk, text};
use serde_json::Value;

fn shop(db: &Path) {
    ok(&shopdesk(
        db,
        &["products", "import", &fixture("products.csv")],
    ));
    ok(&shopdesk(
        db,
        &["adjust", "CUP-W", "20", "--reason", "found"],
    ));
    ok(&shopdesk(
        db,
        &["adjust", "SAUCER", "20", "--reason", "found"],
    ));
}

fn order(db: &Path, no: &str) -> Value {
    let out = ok(&shopdesk(db, &["orders", "--search", no, "--json"]));
    let all: Value = serde_json::from_str(&out).expect("json");
    all.as_array()
        .expect("array")
        .iter()
        .find(|o| o["order_no"] == no)
        .cloned()
        .unwrap_or_else(|| panic!("order {no} in {out}"))
}

#[test]
fn a_pasted_receiver_and_two_codes_make_an_order_that_is_paid_and_approved() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    shop(&db);
    let no = ok(&shopdesk(
        &db,
        &[
            "order",
            "new",
            "--receiver",
            "广东深圳南山区科技园科苑路15号 李四 186-0000-1234",
            "--line",
            "6901000000011=2",
            "--line",
            "SAUCER=1@8.50",
            "--remark",
            "老客户",
        ],
    ));
    let no = no.trim();
    assert!(no.starts_with('M') && no.len() == 13, "{no}");
    let o = order(&db, no);
    assert_eq!(o["platform"], "manual");
    assert_eq!(o["state"], "approved");
    assert_eq!(o["paid"], false);
    assert_eq!(o["province"], "广东省");
    assert_eq!(o["city"], "深圳市");
    assert_eq!(o["district"], "南山区");
    assert_eq!(o["address"], "科技园科苑路15号");
    assert_eq!(o["receiver_phone"], "18600001234");
    assert_eq!(o["goods_cents"], 2 * 1990 + 850);
    // Unpaid: its waybill waits for the money.
    let out = shopdesk(&db, &["waybills", no, "--courier", "SF", "--out", "x.pdf"]);
    assert!(!out.status.success());

    let out = ok(&shopdesk(
        &db,
        &[
            "pay",
            no,
            "--method",
            "bank",
            "--amount",
            "48.30",
            "--note",
            "工商银行尾号1234",
        ],
    ));
    assert!(out.contains("bank 48.30 received"), "{out}");
    let o = order(&db, no);
    assert_eq!(o["paid"], true);
    assert_eq!(o["flag"], "green");
    assert_eq!(o["remark"], "老客户; 到款 银行转账 ¥48.30 工商银行尾号1234");

    // Paid at once, as JSON.
    let out = ok(&shopdesk(
        &db,
        &[
            "order",
            "new",
            "--receiver",
            "收货人：王五 手机号码：13500001234 所在地区：北京 朝阳区 详细地址：建国路88号",
            "--line",
            "CUP-W=1",
            "--paid",
            "wechat:19.90",
            "--json",
        ],
    ));
    let o: Value = serde_json::from_str(&out).expect("one order");
    assert_eq!(o["city"], "北京市");
    assert_eq!(o["paid"], true);
    assert_eq!(o["state"], "approved");
    assert_eq!(o["flag"], "none");
    ok(&shopdesk(&db, &["check"]));
}

#[test]
fn bad_input_is_refused_with_what_was_wrong_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    shop(&db);
    let receiver = "张三 13800138000 浙江省杭州市西湖区文三路100号";
    let cases: &[(&[&str], &str)] = &[
        (
            &["--line", "NOPE=1"],
            "no product with code or barcode \"NOPE\"",
        ),
        (&["--line", "CUP-W=-1"], "--line CUP-W=-1: quantity"),
        (&["--line", "CUP-W=1@abc"], "price \"abc\""),
        (&["--line", "CUP-W"], "expected CODE=QTY"),
        (
            &["--line", "CUP-W=1", "--paid", "card:10"],
            "expected one of bank",
        ),
        (&["--line", "CUP-W=1", "--paid", "bank"], "METHOD:AMOUNT"),
    ];
    for (args, says) in cases {
        let mut all = vec!["order", "new", "--receiver", receiver];
        all.extend_from_slice(args);
        let out = shopdesk(&db, &all);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            text(&out.stderr).contains(says),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let out = shopdesk(
        &db,
        &[
            "order",
            "new",
            "--receiver",
            "王五 13912345678 某某路1号",
            "--line",
            "CUP-W=1",
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("cannot find the province"),
        "{}",
        text(&out.stderr)
    );
    let out = ok(&shopdesk(&db, &["orders", "--json"]));
    assert_eq!(out.trim(), "[]", "nothing was written");
}

#[test]
fn a_reshipment_links_both_orders_and_customers_are_found_by_phone_tail() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    shop(&db);
    ok(&shopdesk(&db, &["couriers", "add", "SF", "顺丰速运"]));
    let no = ok(&shopdesk(
        &db,
        &[
            "order",
            "new",
            "--receiver",
            "张三 13800138000 浙江省杭州市西湖区文三路100号",
            "--line",
            "CUP-W=1",
            "--paid",
            "cash:19.90",
        ],
    ))
    .trim()
    .to_owned();
    let out = shopdesk(
        &db,
        &[
            "order", "reship", &no, "--line", "CUP-W=1", "--reason", "少发",
        ],
    );
    assert!(!out.status.success(), "not printed yet");
    ok(&shopdesk(
        &db,
        &["tracking", "set", &no, "--courier", "SF", "SF1234567890123"],
    ));
    let pdf = dir.path().join("w.pdf");
    ok(&shopdesk(
        &db,
        &[
            "waybills",
            &no,
            "--courier",
            "SF",
            "--out",
            &pdf.display().to_string(),
        ],
    ));
    let out = shopdesk(
        &db,
        &["order", "reship", &no, "--line", "CUP-W=1", "--reason", " "],
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("why"), "{}", text(&out.stderr));
    let out = ok(&shopdesk(
        &db,
        &[
            "order",
            "reship",
            &no,
            "--line",
            "CUP-W=1",
            "--reason",
            "快递破损",
            "--json",
        ],
    ));
    let reship: Value = serde_json::from_str(&out).expect("json");
    let reship_no = reship["order_no"].as_str().expect("number").to_owned();
    assert_eq!(reship["reshipment_of"], no.as_str());
    assert_eq!(reship["total_cents"], 0);
    assert_eq!(reship["receiver_name"], "张三");
    assert_eq!(
        order(&db, &no)["reshipments"],
        serde_json::json!([reship_no])
    );

    let out = ok(&shopdesk(&db, &["customers", "--search", "8000", "--json"]));
    let customers: Value = serde_json::from_str(&out).expect("json");
    let customers = customers.as_array().expect("array");
    assert_eq!(customers.len(), 1);
    assert_eq!(customers[0]["buyer_id"], "13800138000");
    assert_eq!(customers[0]["name"], "张三");
}

#[test]
fn address_parse_prints_every_field() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    let out = ok(&shopdesk(
        &db,
        &[
            "address",
            "parse",
            "张三 13800138000 浙江省杭州市西湖区文三路100号 310000",
            "--json",
        ],
    ));
    let a: Value = serde_json::from_str(&out).expect("json");
    for (field, value) in [
        ("name", "张三"),
        ("phone", "13800138000"),
        ("province", "浙江省"),
        ("city", "杭州市"),
        ("district", "西湖区"),
        ("address", "文三路100号"),
        ("postcode", "310000"),
    ] {
        assert_eq!(a[field], value, "{field}");
    }
    let out = ok(&shopdesk(
        &db,
        &["address", "parse", "北京朝阳区建国路88号", "--json"],
    ));
    let a: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        (
            a["province"].as_str(),
            a["city"].as_str(),
            a["name"].as_str()
        ),
        (Some("北京市"), Some("北京市"), Some(""))
    );
}

#[test]
fn order_edit_replaces_the_lines_and_remark_until_the_waybill_is_printed() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    shop(&db);
    ok(&shopdesk(&db, &["couriers", "add", "SF", "顺丰速运"]));
    let no = ok(&shopdesk(
        &db,
        &[
            "order",
            "new",
            "--receiver",
            "张三 13800138000 浙江省杭州市西湖区文三路100号",
            "--line",
            "CUP-W=2",
            "--remark",
            "老客户",
        ],
    ))
    .trim()
    .to_owned();
    assert_eq!(order(&db, &no)["state"], "approved");

    let out = ok(&shopdesk(
        &db,
        &[
            "order",
            "edit",
            &no,
            "--line",
            "6901000000011=1",
            "--line",
            "SAUCER=3@8.50",
            "--remark",
            "老客户，加碟子",
            "--json",
        ],
    ));
    let o: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(o["order_no"], no.as_str());
    let lines: Vec<(&str, i64, i64)> = o["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| {
            (
                l["product_code"].as_str().unwrap_or_default(),
                l["quantity"].as_i64().unwrap_or_default(),
                l["unit_price_cents"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(lines, vec![("CUP-W", 1, 1990), ("SAUCER", 3, 850)]);
    assert_eq!(o["goods_cents"], 1990 + 3 * 850);
    assert_eq!(o["remark"], "老客户，加碟子");
    assert_eq!(o["receiver_name"], "张三", "the receiver is kept");
    assert_eq!(o["state"], "approved", "reviewed again");

    // Only the remark; then nothing at all.
    ok(&shopdesk(
        &db,
        &["order", "edit", &no, "--remark", "改备注"],
    ));
    let o = order(&db, &no);
    assert_eq!(o["remark"], "改备注");
    assert_eq!(o["lines"].as_array().map(Vec::len), Some(2));
    let out = shopdesk(&db, &["order", "edit", &no]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--line"),
        "{}",
        text(&out.stderr)
    );
    let out = shopdesk(&db, &["order", "edit", &no, "--line", "NOPE=1"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("no product with code or barcode \"NOPE\""),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(order(&db, &no)["lines"].as_array().map(Vec::len), Some(2));

    // Paid and printed: refused, with the reason.
    ok(&shopdesk(
        &db,
        &["pay", &no, "--method", "cash", "--amount", "45.40"],
    ));
    ok(&shopdesk(
        &db,
        &["tracking", "set", &no, "--courier", "SF", "SF1234567890123"],
    ));
    let pdf = dir.path().join("w.pdf");
    ok(&shopdesk(
        &db,
        &[
            "waybills",
            &no,
            "--courier",
            "SF",
            "--out",
            &pdf.display().to_string(),
        ],
    ));
    let out = shopdesk(&db, &["order", "edit", &no, "--line", "CUP-W=5"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("waybill is printed"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(order(&db, &no)["goods_cents"], 1990 + 3 * 850);
    ok(&shopdesk(&db, &["check"]));
}

/// On a shop whose manual orders of the day carry wider numbers (the demo writes six
/// digits), new manual orders keep counting up instead of colliding with each other.
#[test]
fn manual_orders_count_on_from_the_widest_number_of_the_day() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    shop(&db);
    let now = chrono::Local::now();
    let today = now.format("M%Y%m%d").to_string();
    let wide = format!("{today}002970");
    {
        let mut store = shopdesk::store::Store::open(&db).expect("store");
        let order = shopdesk::domain::model::NewOrder::new(
            "manual",
            &wide,
            &now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        );
        store
            .insert_orders(&[order], "test", "owner")
            .expect("a wide number");
    }
    let mut made = Vec::new();
    for _ in 0..3 {
        let no = ok(&shopdesk(
            &db,
            &[
                "order",
                "new",
                "--receiver",
                "张三 13800138000 浙江省杭州市西湖区文三路100号",
                "--line",
                "CUP-W=1",
            ],
        ));
        made.push(no.trim().to_owned());
    }
    assert_eq!(
        made,
        [
            format!("{today}002971"),
            format!("{today}002972"),
            format!("{today}002973")
        ]
    );
}
