//! The JD, Pinduoduo and Douyin imports and `import auto` end to end: the `shopdesk import
//! …` commands on the files in `fixtures/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

use common::{find, fixture, orders, shopdesk, text};

fn import(db: &Path, format: &str, files: &[&str], extra: &[&str]) -> Output {
    let files: Vec<String> = files.iter().map(|f| fixture(f)).collect();
    let mut args = vec!["import", format];
    args.extend(files.iter().map(String::as_str));
    args.extend_from_slice(extra);
    shopdesk(db, &args)
}

#[test]
fn jd_imports_twice_idempotently_and_a_newer_export_updates() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = import(&db, "jd", &["jd_orders.csv"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("(GB18030)"), "{stdout}");
    assert!(
        stdout.contains("7 new, 0 updated, 0 unchanged, 0 rejected"),
        "{stdout}"
    );
    let all = orders(&db);
    let o = find(&all, "281234567890");
    assert_eq!(o["platform"], "jd");
    assert_eq!(o["province"], "北京市");
    assert_eq!(o["flag"], "red");
    assert_eq!(o["lines"].as_array().expect("lines").len(), 2);

    let out = import(&db, "jd", &["jd_orders.csv"], &[]);
    assert!(
        text(&out.stdout).contains("0 new, 0 updated, 7 unchanged"),
        "{}",
        text(&out.stdout)
    );

    let out = import(&db, "jd", &["jd_orders_newer.csv"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("0 new, 2 updated, 5 unchanged"),
        "{}",
        text(&out.stdout)
    );
    let all = orders(&db);
    // The store keeps our own state (shipping goes through ShopDesk) and records the
    // platform's new status text as the change.
    assert!(
        text(&out.stdout).contains("等待确认收货"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(find(&all, "281234567890")["state"], "pending_review");
    assert_eq!(find(&all, "281234567891")["paid"], true);
}

#[test]
fn pdd_and_douyin_import_with_flags_for_masked_phones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = import(&db, "pdd", &["pdd_orders.csv"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("7 new"), "{}", text(&out.stdout));
    let out = import(&db, "douyin", &["douyin_orders.csv"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("6 new"), "{}", text(&out.stdout));
    let all = orders(&db);
    let masked = find(&all, "231120-100000000000004");
    assert_eq!(masked["platform"], "pinduoduo");
    assert_eq!(masked["flag"], "yellow");
    assert_eq!(masked["receiver_phone"], "135****4321");
    assert_eq!(find(&all, "6912345678901234567")["platform"], "douyin");
}

#[test]
fn bad_rows_block_unless_skipped_and_are_said_with_file_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = import(&db, "douyin", &["douyin_orders_bad.csv"], &[]);
    assert!(!out.status.success());
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("douyin_orders_bad.csv:4: column 商品数量:"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("douyin_orders_bad.csv:4:").count(), 1);
    assert!(orders(&db).is_empty(), "nothing written");
    let out = import(
        &db,
        "douyin",
        &["douyin_orders_bad.csv"],
        &["--skip-invalid"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(orders(&db).len(), 1);
}

#[test]
fn auto_says_what_it_chose_and_refuses_what_it_cannot_tell() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = import(
        &db,
        "auto",
        &["taobao_items_gbk.csv", "taobao_orders_gbk.csv"],
        &["--dry-run"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("detected Taobao / Tmall"), "{stdout}");
    assert!(stdout.contains("7 new"), "{stdout}");
    for (file, says) in [
        ("pdd_orders.csv", "detected Pinduoduo"),
        ("douyin_orders.csv", "detected Douyin"),
        ("jd_orders.csv", "detected JD"),
        ("shopify_orders.csv", "detected Shopify"),
    ] {
        let out = import(&db, "auto", &[file], &["--dry-run", "--skip-invalid"]);
        assert!(out.status.success(), "{file}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains(says), "{}", text(&out.stdout));
    }
    let out = import(&db, "auto", &["generic_orders.csv"], &[]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("cannot tell which export"), "{stderr}");
    assert!(stderr.contains("Pinduoduo"), "{stderr}");
}
