//! The CSV import end to end: the `shopdesk import …` commands on the files in `fixtures/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

use common::{find, fixture, orders, shopdesk, text};

fn import_taobao(db: &Path, orders: &str, items: &str, extra: &[&str]) -> Output {
    let (orders, items) = (fixture(orders), fixture(items));
    let mut args = vec!["import", "taobao", orders.as_str(), items.as_str()];
    args.extend_from_slice(extra);
    shopdesk(db, &args)
}

#[test]
fn taobao_gbk_imports_exactly_and_twice_is_idempotent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = import_taobao(&db, "taobao_orders_gbk.csv", "taobao_items_gbk.csv", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("(GB18030)"), "{stdout}");
    assert!(
        stdout.contains("7 new, 0 updated, 0 unchanged, 0 rejected"),
        "{stdout}"
    );

    let all = orders(&db);
    assert_eq!(all.len(), 7);
    let o = find(&all, "756842787424319996");
    assert_eq!(o["platform"], "taobao");
    assert_eq!(o["buyer_id"], "tb_lihua88");
    assert_eq!(o["receiver_name"], "李华");
    assert_eq!(o["province"], "浙江省");
    assert_eq!(o["city"], "杭州市");
    assert_eq!(o["district"], "西湖区");
    assert!(
        o["address"]
            .as_str()
            .expect("address")
            .starts_with("文三路"),
        "{o}"
    );
    assert_eq!(o["postcode"], "310012");
    assert!(
        !o["receiver_phone"]
            .as_str()
            .expect("phone")
            .starts_with('\'')
    );
    assert_eq!(o["goods_cents"], 11800);
    assert!(!o["lines"].as_array().expect("lines").is_empty());

    // The same files again: nothing new, nothing changed.
    let out = import_taobao(&db, "taobao_orders_gbk.csv", "taobao_items_gbk.csv", &[]);
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains("0 new, 0 updated, 7 unchanged"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(orders(&db).len(), 7);
    // The UTF-8 export of the same orders is the same orders too.
    let out = import_taobao(&db, "taobao_orders_utf8.csv", "taobao_items_utf8.csv", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("0 new"), "{}", text(&out.stdout));
    assert!(shopdesk(&db, &["check"]).status.success());
}

#[test]
fn a_newer_export_updates_and_a_late_cancellation_is_flagged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    assert!(
        import_taobao(&db, "taobao_orders_gbk.csv", "taobao_items_gbk.csv", &[])
            .status
            .success()
    );
    let out = import_taobao(
        &db,
        "taobao_orders_newer.csv",
        "taobao_items_newer.csv",
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("1 new, 3 updated, 4 unchanged"), "{stdout}");
    let all = orders(&db);
    let paid_now = find(&all, "3391456789012345678");
    assert_eq!(paid_now["paid"], true);
    let tracked = find(&all, "756842787424319996");
    assert_eq!(tracked["tracking_no"], "75312345678901");
    // Shipped before the platform closed it: not cancelled, but flagged red with a remark.
    let closed = find(&all, "756843112233445566");
    assert_eq!(closed["state"], "shipped");
    assert_eq!(closed["flag"], "red");
    assert!(
        closed["remark"]
            .as_str()
            .expect("remark")
            .contains("平台已关闭交易")
    );
    // Importing the newer export again changes nothing more.
    let out = import_taobao(
        &db,
        "taobao_orders_newer.csv",
        "taobao_items_newer.csv",
        &[],
    );
    assert!(
        text(&out.stdout).contains("0 new, 0 updated, 8 unchanged"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn spreadsheet_resaved_numbers_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = import_taobao(
        &db,
        "taobao_orders_resaved.csv",
        "taobao_items_resaved.csv",
        &[],
    );
    assert!(!out.status.success());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("scientific notation"), "{stdout}");
    assert!(
        stdout.contains("taobao_orders_resaved.csv:2: column 订单编号"),
        "{stdout}"
    );
    assert!(text(&out.stderr).contains("nothing was written"));
    assert!(orders(&db).is_empty());
}

#[test]
fn rejected_rows_block_the_import_unless_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = import_taobao(&db, "taobao_orders_bad.csv", "taobao_items_bad.csv", &[]);
    assert!(!out.status.success());
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("taobao_orders_bad.csv:3: column 买家实际支付金额: expected an amount like 34.00, found \"abc\""),
        "{stdout}"
    );
    assert!(orders(&db).is_empty(), "nothing half-written");

    let out = import_taobao(
        &db,
        "taobao_orders_bad.csv",
        "taobao_items_bad.csv",
        &["--skip-invalid"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("rejected:"),
        "the rejected rows are still listed: {stdout}"
    );
    let imported = orders(&db).len();
    assert!(imported > 0);
    assert!(stdout.contains(&format!("{imported} new")), "{stdout}");
}

#[test]
fn a_missing_column_names_what_was_expected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = import_taobao(
        &db,
        "taobao_orders_missing_column.csv",
        "taobao_items_utf8.csv",
        &[],
    );
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("missing column"), "{stderr}");
    assert!(
        stderr.contains("taobao_orders_missing_column.csv"),
        "{stderr}"
    );
}

#[test]
fn quoted_fields_with_commas_quotes_and_line_breaks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    // The file also holds one bad amount: refused whole, then imported without it.
    let out = import_taobao(
        &db,
        "taobao_orders_quoted.csv",
        "taobao_items_quoted.csv",
        &[],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stdout).contains("taobao_orders_quoted.csv:6: column 买家实际支付金额"),
        "{}",
        text(&out.stdout)
    );
    let out = import_taobao(
        &db,
        "taobao_orders_quoted.csv",
        "taobao_items_quoted.csv",
        &["--skip-invalid"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("2 new"), "{stdout}");
    let all = orders(&db);
    assert_eq!(all.len(), 2);
    for o in &all {
        assert_eq!(o["postcode"].as_str().map(str::len), Some(6), "{o}");
    }
    let titles: Vec<String> = all
        .iter()
        .flat_map(|o| o["lines"].as_array().cloned().unwrap_or_default())
        .map(|l| l["title"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        titles.iter().any(|t| t.contains("\"经典\"格纹, 加厚")),
        "quotes and commas survive: {titles:?}"
    );
}

#[test]
fn shopify_and_a_saved_column_mapping() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let file = fixture("shopify_orders.csv");
    let out = shopdesk(&db, &["import", "shopify", &file]);
    assert!(!out.status.success(), "the file holds one bad price");
    assert!(
        text(&out.stdout).contains("shopify_orders.csv:7: column Lineitem price"),
        "{}",
        text(&out.stdout)
    );
    let out = shopdesk(&db, &["import", "shopify", &file, "--skip-invalid"]);
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let all = orders(&db);
    assert!(all.iter().all(|o| o["platform"] == "shopify"));
    let first = all
        .iter()
        .find(|o| o["order_no"].as_str().is_some_and(|n| n.contains("1001")));
    let first = first.expect("order 1001");
    assert_eq!(first["lines"].as_array().expect("lines").len(), 2);

    let profile = fixture("generic_profile.json");
    let out = shopdesk(&db, &["import", "save-profile", "youzan", &profile]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let generic = fixture("generic_orders.csv");
    let out = shopdesk(
        &db,
        &[
            "import",
            "csv",
            &generic,
            "--profile",
            "youzan",
            "--skip-invalid",
        ],
    );
    assert!(text(&out.stdout).contains("2 new"), "{}", text(&out.stdout));
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(orders(&db).iter().any(|o| o["platform"] == "youzan"));
    let out = shopdesk(&db, &["import", "csv", &generic, "--profile", "nope"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("saved: youzan"),
        "{}",
        text(&out.stderr)
    );
}

/// A row whose bytes do not decode in the encoding chosen tells the command line's user to
/// choose another with `--encoding` (the window's words, "in the preview", are for the
/// window); nothing is written.
#[test]
fn a_row_that_does_not_decode_points_at_the_encoding_flag() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = import_taobao(
        &db,
        "taobao_orders_bad_byte.csv",
        "taobao_items_utf8.csv",
        &["--encoding", "utf-8"],
    );
    assert!(!out.status.success());
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "taobao_orders_bad_byte.csv:3: column 买家会员名: contains bytes that are not \
             valid UTF-8: the file has another encoding; import it again with --encoding \
             (gb18030, big5, shift-jis or utf-8)"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("preview"), "{stdout}");
    assert!(orders(&db).is_empty());
}
