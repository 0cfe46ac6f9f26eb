//! The JD, Pinduoduo and Douyin imports, `import auto` and spreadsheets (`.xlsx`) end to end:
//! the `shopdesk import …` commands on the files in `fixtures/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/xlsx.rs"]
mod xlsx;

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

    let out = import(&db, "jd", &["jd_orders_newer.csv"], &["--dry-run"]);
    assert!(
        text(&out.stdout).contains("  would update 281234567890:"),
        "a preview says what it would change: {}",
        text(&out.stdout)
    );
    let out = import(&db, "jd", &["jd_orders_newer.csv"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("  updated 281234567890:"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stdout).contains("0 new, 2 updated, 5 unchanged"),
        "{}",
        text(&out.stdout)
    );
    let all = orders(&db);
    // The platform shipped an order not yet reviewed here: it is shipped here too, as an
    // import of that export into a new file has it, with the platform's status text.
    assert!(
        text(&out.stdout).contains("等待确认收货"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(find(&all, "281234567890")["state"], "shipped");
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
    // The plain list says the payment as it stands, a refund included.
    let out = shopdesk(&db, &["orders", "--search", "231120-100000000000005"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(" refunded "),
        "{}",
        text(&out.stdout)
    );
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
    assert!(stderr.contains("import csv --profile"), "{stderr}");
}

/// The orders of a database as `orders --json` gives them, without the ids and times the
/// database itself assigns, sorted by number.
fn order_values(db: &Path) -> Vec<serde_json::Value> {
    let mut all = orders(db);
    for order in &mut all {
        if let Some(map) = order.as_object_mut() {
            map.retain(|key, _| !matches!(key.as_str(), "id" | "imported_at" | "updated_at"));
        }
    }
    all.sort_by_key(|o| o["order_no"].as_str().unwrap_or_default().to_owned());
    all
}

#[test]
fn every_export_saved_as_xlsx_imports_the_same_orders_as_its_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases: [(&str, &[&str]); 5] = [
        ("taobao", &["taobao_orders_gbk.csv", "taobao_items_gbk.csv"]),
        ("shopify", &["shopify_orders.csv"]),
        ("jd", &["jd_orders.csv"]),
        ("pdd", &["pdd_orders.csv"]),
        ("douyin", &["douyin_orders.csv"]),
    ];
    for (format, files) in cases {
        let from_csv = dir.path().join(format!("{format}-csv.db"));
        let out = import(&from_csv, format, files, &["--skip-invalid"]);
        assert!(out.status.success(), "{format}: {}", text(&out.stderr));
        let said = text(&out.stdout);
        let sheets: Vec<String> = files
            .iter()
            .map(|f| {
                let xlsx = dir.path().join(f.replace(".csv", ".xlsx"));
                xlsx::csv_to_xlsx(Path::new(&fixture(f)), &xlsx, "Sheet1");
                xlsx.display().to_string()
            })
            .collect();
        let from_xlsx = dir.path().join(format!("{format}-xlsx.db"));
        let mut args = vec!["import", "auto"];
        args.extend(sheets.iter().map(String::as_str));
        args.push("--skip-invalid");
        let out = shopdesk(&from_xlsx, &args);
        assert!(out.status.success(), "{format}: {}", text(&out.stderr));
        // A spreadsheet has no text encoding: its kind is said instead.
        for sheet in &sheets {
            let read_as = format!("{sheet} (.xlsx spreadsheet)");
            assert!(
                text(&out.stdout).contains(&read_as),
                "{}",
                text(&out.stdout)
            );
        }
        assert!(
            !text(&out.stdout).contains("UTF-8"),
            "{}",
            text(&out.stdout)
        );
        let csv_orders = order_values(&from_csv);
        assert!(!csv_orders.is_empty(), "{format}");
        assert_eq!(
            order_values(&from_xlsx),
            csv_orders,
            "{format}: from CSV: {said}\nfrom XLSX: {}",
            text(&out.stdout)
        );
    }
}

#[test]
fn a_bad_cell_of_a_spreadsheet_is_said_with_its_sheet_row_and_column() {
    use xlsx::Cell;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let file = dir.path().join("jd.xlsx");
    let header = [
        "订单号",
        "商品名称",
        "订购数量",
        "京东价",
        "订单状态",
        "客户姓名",
        "客户地址",
        "联系电话",
        "下单时间",
        "运单号",
    ];
    let row = |no: Cell, quantity: &str, tracking: Cell| {
        vec![
            no,
            "保温杯".into(),
            quantity.into(),
            Cell::Number(59.9),
            "等待出库".into(),
            "张三".into(),
            "北京 朝阳区 三环到四环之间 建国路88号".into(),
            Cell::Number(13800138000.0),
            "2026-11-20 10:00:00".into(),
            tracking,
        ]
    };
    let rows = vec![
        header.iter().map(|&h| Cell::from(h)).collect(),
        // A blank row: the rows below keep their numbers in the sheet.
        vec![],
        // An order number typed as a number, exact: imported as its digits.
        row(Cell::Number(281234567890.0), "1", "".into()),
        row("281234567891".into(), "two", "".into()),
        // A tracking number typed as a number too long for a spreadsheet: refused.
        row("281234567892".into(), "1", Cell::Number(7.56843e17)),
    ];
    xlsx::write_xlsx(&file, "订单", rows);
    let out = shopdesk(&db, &["import", "jd", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("jd.xlsx: sheet 订单, row 4: column 订购数量:"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "jd.xlsx: sheet 订单, row 5: column 运单号: tracking number in scientific notation"
        ),
        "{stdout}"
    );
    let out = shopdesk(
        &db,
        &["import", "jd", file.to_str().unwrap(), "--skip-invalid"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let all = orders(&db);
    assert_eq!(all.len(), 1);
    let order = find(&all, "281234567890");
    assert_eq!(order["receiver_phone"], "13800138000");
}

#[test]
fn products_and_mapped_orders_read_from_xlsx() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let products = dir.path().join("products.xlsx");
    xlsx::csv_to_xlsx(Path::new(&fixture("products.csv")), &products, "商品");
    let out = shopdesk(&db, &["products", "import", products.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv_db = dir.path().join("csv.db");
    let out = shopdesk(&csv_db, &["products", "import", &fixture("products.csv")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = |db: &Path| text(&shopdesk(db, &["stock", "--json"]).stdout);
    assert!(listed(&db).contains("CUP-W"), "{}", listed(&db));
    assert_eq!(listed(&db), listed(&csv_db));

    let generic = dir.path().join("generic.xlsx");
    xlsx::csv_to_xlsx(
        Path::new(&fixture("generic_orders.csv")),
        &generic,
        "Orders",
    );
    let profile = fixture("generic_profile.json");
    for (db, file) in [
        (&db, generic.display().to_string()),
        (&csv_db, fixture("generic_orders.csv")),
    ] {
        let out = shopdesk(db, &["import", "save-profile", "youzan", &profile]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let out = shopdesk(
            db,
            &[
                "import",
                "csv",
                &file,
                "--profile",
                "youzan",
                "--skip-invalid",
            ],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let mapped = order_values(&db);
    assert!(!mapped.is_empty());
    assert_eq!(mapped, order_values(&csv_db));
}

/// Excel 97–2003 files (`fixtures/make_xls.py`): the JD export and the product file with
/// their plain numbers saved as number cells read as the CSV reads.
#[test]
fn xls_files_read_as_their_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let from_csv = dir.path().join("csv.db");
    let from_xls = dir.path().join("xls.db");
    let out = import(&from_csv, "jd", &["jd_orders.csv"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = import(&from_xls, "auto", &["jd_orders.xls"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("jd_orders.xls (.xls spreadsheet)"), "{said}");
    let csv_orders = order_values(&from_csv);
    assert!(!csv_orders.is_empty());
    assert_eq!(order_values(&from_xls), csv_orders, "{said}");
    // A twelve-digit order number, a phone and a price typed as numbers come out exact.
    let all = orders(&from_xls);
    let order = find(&all, "281234567890");
    assert_eq!(order["receiver_phone"], "13912345678");
    assert_eq!(order["lines"][0]["unit_price_cents"], 5900);

    let out = shopdesk(&from_xls, &["products", "import", &fixture("products.xls")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = shopdesk(&from_csv, &["products", "import", &fixture("products.csv")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let exported = |db: &Path| {
        let file = db.with_extension("products.csv");
        let out = shopdesk(db, &["products", "export", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        std::fs::read_to_string(file).unwrap()
    };
    let products = exported(&from_xls);
    // Thirteen-digit barcodes and prices typed as numbers.
    assert!(products.contains("6901000000011"), "{products}");
    assert!(products.contains("19.90"), "{products}");
    assert_eq!(products, exported(&from_csv));
}

/// A damaged workbook whose cell reference runs past column XFD (it overflowed calamine's
/// column arithmetic: found by fuzzing) is refused with one message naming the file, and
/// nothing is written.
#[test]
fn a_cell_reference_past_the_last_column_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    let file = dir.path().join("orders.xlsx");
    xlsx::write_xlsx_xml(
        &file,
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>订单号</t></is></c><c r="AAAAAAAAA1" t="inlineStr"><is><t>x</t></is></c></row>"#,
    );
    let out = import(&db, "jd", &[file.to_str().expect("path")], &[]);
    assert!(!out.status.success());
    let said = text(&out.stderr);
    assert!(said.contains("orders.xlsx"), "{said}");
    assert!(!said.contains("panicked"), "{said}");
    assert!(orders(&db).is_empty());
}

/// A spreadsheet cut short (a download that stopped, a copy to a full disk) is said in
/// plain words first, with what to do, and the reading library's detail after it; nothing
/// is written.
#[test]
fn a_truncated_spreadsheet_is_said_to_be_incomplete() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    let whole = dir.path().join("whole.xlsx");
    let header = ["订单号", "商品名称"];
    let rows: Vec<Vec<xlsx::Cell>> = (0..200)
        .map(|n| {
            vec![
                format!("{}", 281234567000u64 + n).as_str().into(),
                "杯子".into(),
            ]
        })
        .collect();
    xlsx::write_xlsx(
        &whole,
        "订单",
        std::iter::once(header.iter().map(|&h| h.into()).collect()).chain(rows),
    );
    let xls = std::fs::read(fixture("jd_orders.xls")).expect("xls");
    let xlsx = std::fs::read(&whole).expect("xlsx");
    for (name, bytes, detail) in [("cut.xlsx", &xlsx, "Zip"), ("cut.xls", &xls, "Cfb")] {
        let file = dir.path().join(name);
        std::fs::write(&file, &bytes[..bytes.len() / 2]).expect("write");
        let out = import(&db, "jd", &[file.to_str().expect("path")], &[]);
        assert!(!out.status.success(), "{name}");
        let said = text(&out.stderr);
        let plain = format!(
            "{} is incomplete or damaged: download or export it again, or open it in a \
             spreadsheet and save it again (",
            file.display()
        );
        assert!(said.contains(&plain), "{said}");
        assert!(said.contains(detail), "{said}");
        assert!(!said.contains("not readable as a spreadsheet"), "{said}");
        assert!(orders(&db).is_empty());
    }
}

/// A seller center's "Excel" export that is an HTML table under an `.xls` name is refused
/// as a web page, with how to turn it into a file that imports; nothing is written.
#[test]
fn a_web_page_saved_as_xls_is_refused_as_one() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    let file = dir.path().join("订单导出.xls");
    std::fs::write(
        &file,
        "\u{feff}\r\n<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\">\
         <body><table><tr><td>订单号</td><td>商品名称</td></tr>\
         <tr><td>281234567890</td><td>杯子</td></tr></table></body></html>",
    )
    .expect("write");
    let path = file.to_str().expect("path");
    for format in ["auto", "jd"] {
        let out = import(&db, format, &[path], &[]);
        assert!(!out.status.success(), "{format}");
        let said = text(&out.stderr);
        let expected = format!(
            "{path} is a web page (HTML), not a spreadsheet or a CSV file (some seller \
             centers save their \"Excel\" export this way): open it in a spreadsheet, save \
             it as .xlsx or CSV, then import that file"
        );
        assert!(said.contains(&expected), "{format}: {said}");
        assert!(!said.contains("header line"), "{format}: {said}");
        assert!(orders(&db).is_empty());
    }
}

/// An export with its header line and no order under it (CSV or `.xlsx`) is refused as
/// holding no orders, for a dry run too, and leaves no trace: no order, no import logged.
#[test]
fn a_file_with_only_its_header_line_holds_no_orders() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    // JD's header line as its export writes it, then a blank row a spreadsheet left.
    let export = std::fs::read(fixture("jd_orders.csv")).expect("jd export");
    let (export, _, _) = encoding_rs::GB18030.decode(&export);
    let header: Vec<&str> = export.lines().next().expect("header").split(',').collect();
    let csv = dir.path().join("jd_empty.csv");
    let blank = ",".repeat(header.len() - 1);
    std::fs::write(&csv, format!("{}\r\n{blank}\r\n", header.join(","))).expect("csv");
    let sheet = dir.path().join("jd_empty.xlsx");
    xlsx::write_xlsx(
        &sheet,
        "订单",
        [header
            .iter()
            .map(|&h| h.into())
            .collect::<Vec<xlsx::Cell>>()],
    );
    for file in [&csv, &sheet] {
        let path = file.to_str().expect("path");
        for (format, extra) in [
            ("jd", &[][..]),
            ("auto", &[][..]),
            ("jd", &["--dry-run"][..]),
        ] {
            let out = import(&db, format, &[path], extra);
            assert!(!out.status.success(), "{path} {format} {extra:?}");
            let said = text(&out.stderr);
            assert!(
                said.contains(&format!("{path} holds no orders: it has its header line")),
                "{said}"
            );
            assert!(
                !text(&out.stdout).contains("0 new"),
                "{}",
                text(&out.stdout)
            );
        }
    }
    assert!(orders(&db).is_empty());
    let logged: i64 = rusqlite::Connection::open(&db)
        .expect("db")
        .query_row("SELECT count(*) FROM imports", [], |row| row.get(0))
        .expect("imports");
    assert_eq!(logged, 0);
}

#[test]
fn a_dry_run_on_a_file_that_does_not_exist_creates_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("new-shop.db");
    let out = import(&db, "jd", &["jd_orders.csv"], &["--dry-run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("7 new"), "{}", text(&out.stdout));
    assert!(!db.exists(), "the preview created {}", db.display());
}

/// A sub-order or line in another status than its order (refunded, after-sales, locked)
/// holds the order red with a remark naming it, on a new order and on a newer export of a
/// known one (once); rows of one order that disagree on its address or amount are refused.
#[test]
fn a_line_in_another_status_holds_its_order_red() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = import(&db, "douyin", &["douyin_orders_sub_refunded.csv"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let all = orders(&db);
    let o = find(&all, "6912345678901234567");
    assert_eq!(o["state"], "pending_review");
    assert_eq!(o["on_hold"], true);
    assert_eq!(o["flag"], "red");
    assert_eq!(o["payment_status"], "partly_refunded");
    assert_eq!(o["refunded_cents"], 3980);
    let remark = o["remark"].as_str().expect("remark");
    assert!(
        remark.contains("订单行状态不同：第3行（子订单编号 6912345678901234572）已关闭/退款成功"),
        "{remark}"
    );

    // A known order: a newer export with a sub-order in after-sales holds it, once.
    let db = dir.path().join("known.db");
    let out = import(&db, "douyin", &["douyin_orders.csv"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(find(&orders(&db), "6912345678901234567")["on_hold"], false);
    let out = import(&db, "douyin", &["douyin_orders_sub_aftersale.csv"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("held and flagged red: 订单行状态不同：第3行"),
        "{}",
        text(&out.stdout)
    );
    let all = orders(&db);
    let o = find(&all, "6912345678901234567");
    assert_eq!(o["on_hold"], true);
    assert_eq!(o["flag"], "red");
    assert!(
        o["remark"]
            .as_str()
            .expect("remark")
            .contains("待发货/售后处理中"),
        "{o}"
    );
    let out = import(&db, "douyin", &["douyin_orders_sub_aftersale.csv"], &[]);
    assert!(
        text(&out.stdout).contains("0 new, 0 updated, 6 unchanged"),
        "{}",
        text(&out.stdout)
    );

    let db = dir.path().join("jd.db");
    let out = import(&db, "jd", &["jd_orders_line_locked.csv"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let all = orders(&db);
    let o = find(&all, "281234567890");
    assert_eq!(o["on_hold"], true);
    assert!(
        o["remark"]
            .as_str()
            .expect("remark")
            .contains("第3行（商品ID 100012345679）锁定"),
        "{o}"
    );

    let out = import(&db, "jd", &["jd_orders_inconsistent.csv"], &["--dry-run"]);
    assert!(!out.status.success());
    let stdout = text(&out.stdout);
    for column in [
        "column 客户地址: order 281234567890",
        "column 应付金额: order 281234567890",
    ] {
        assert!(
            stdout.contains(&format!("jd_orders_inconsistent.csv:3: {column}")),
            "{stdout}"
        );
    }
}

/// Every sheet with the export's header line is read (an export split over 订单1 and 订单2);
/// a notes sheet before the data is passed over; a workbook where no sheet has the
/// header names the sheets it looked at.
#[test]
fn every_sheet_with_the_export_header_is_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("csv.db");
    let out = import(&csv, "jd", &["jd_orders.csv"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for file in ["jd_orders_two_sheets.xlsx", "jd_orders_notes_first.xlsx"] {
        let db = dir.path().join(format!("{file}.db"));
        let out = import(&db, "jd", &[file], &[]);
        assert!(out.status.success(), "{file}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("7 new, 0 updated, 0 unchanged, 0 rejected"),
            "{file}: {}",
            text(&out.stdout)
        );
        assert_eq!(order_values(&db), order_values(&csv), "{file}");
    }
    let db = dir.path().join("pdd.db");
    let out = import(&db, "pdd", &["jd_orders_two_sheets.xlsx"], &[]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("sheets looked at: 订单1 (订单号, 商品ID, 商品名称…); 订单2 ("),
        "{stderr}"
    );
}

/// Rows that stop before the header's last (optional) columns read them as empty, in
/// every import; a row with more fields than the header is refused, saying what was
/// expected.
#[test]
fn rows_missing_trailing_columns_read_them_as_empty() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (format, file, new) in [
        ("jd", "jd_orders_short.csv", "7 new"),
        ("pdd", "pdd_orders_short.csv", "7 new"),
        ("douyin", "douyin_orders_short.csv", "6 new"),
        ("shopify", "shopify_orders_short.csv", "4 new"),
    ] {
        let db = dir.path().join(format!("{file}.db"));
        let out = import(&db, format, &[file], &["--dry-run"]);
        assert!(out.status.success(), "{file}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains(&format!("{new}, 0 updated, 0 unchanged, 0 rejected")),
            "{file}: {}",
            text(&out.stdout)
        );
    }
    let db = dir.path().join("taobao.db");
    let out = import(
        &db,
        "taobao",
        &["taobao_orders_utf8.csv", "taobao_items_short.csv"],
        &["--dry-run"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("7 new"), "{}", text(&out.stdout));

    let db = dir.path().join("youzan.db");
    let profile = fixture("generic_profile.json");
    let out = shopdesk(&db, &["import", "save-profile", "youzan", &profile]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = import(
        &db,
        "csv",
        &["generic_orders_short.csv"],
        &["--profile", "youzan", "--dry-run"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("0 rejected"),
        "{}",
        text(&out.stdout)
    );

    let db = dir.path().join("extra.db");
    let out = import(&db, "pdd", &["pdd_orders_extra_field.csv"], &["--dry-run"]);
    assert!(!out.status.success());
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "pdd_orders_extra_field.csv:3: column (row): has 32 fields, more than the 30 \
             columns of the header line"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("expected at most 30 fields"), "{stdout}");
}

/// `import auto` tries the saved column mappings on a file that is none of the known
/// exports, and says which profile it chose.
#[test]
fn auto_chooses_a_saved_profile_that_fits_the_header() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = import(&db, "auto", &["generic_orders.csv"], &["--dry-run"]);
    assert!(!out.status.success(), "no profile yet: refused");
    let profile = fixture("generic_profile.json");
    let out = shopdesk(&db, &["import", "save-profile", "youzan", &profile]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = import(&db, "auto", &["generic_orders.csv"], &["--skip-invalid"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("detected saved profile youzan (platform youzan): "),
        "{stdout}"
    );
    assert!(stdout.contains("2 new"), "{stdout}");
    let all = orders(&db);
    assert!(all.iter().all(|o| o["platform"] == "youzan"), "{all:?}");
}

/// Rejected rows are counted as rows (one row with two bad cells is one), and a refused
/// import says what the valid orders would be, without the lines to match.
#[test]
fn a_refused_import_counts_rows_and_says_what_would_be() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = import(&db, "jd", &["jd_orders_bad_repeated.csv"], &[]);
    assert!(!out.status.success());
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("1 row(s) rejected; the valid orders would be 6 new, 0 updated"),
        "{stdout}"
    );
    assert!(!stdout.contains("lines matching no product"), "{stdout}");
    assert!(!stdout.lines().any(|l| l.starts_with("6 new")), "{stdout}");
    assert_eq!(
        stdout
            .matches("jd_orders_bad_repeated.csv:2: column")
            .count(),
        2
    );
    assert!(
        !stdout.contains("jd_orders_bad_repeated.csv:3:"),
        "{stdout}"
    );
    assert!(
        text(&out.stderr).contains("1 row(s) rejected: nothing was written"),
        "{}",
        text(&out.stderr)
    );
    let out = import(
        &db,
        "jd",
        &["jd_orders_bad_repeated.csv"],
        &["--skip-invalid"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("6 new, 0 updated, 0 unchanged, 1 rejected"),
        "{}",
        text(&out.stdout)
    );
}

/// A newer export with the full phone of an order whose phone was masked takes off the
/// masked-phone remark, and the yellow flag when the import set it (not when a person
/// did); a flag of the platform's own stays.
#[test]
fn the_full_phone_takes_off_the_masked_phone_remark() {
    let masked = "手机号已打码";
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    assert!(
        import(&db, "pdd", &["pdd_orders.csv"], &[])
            .status
            .success()
    );
    let o = find(&orders(&db), "231120-100000000000004").clone();
    assert_eq!(o["flag"], "yellow");
    assert!(o["remark"].as_str().expect("remark").contains(masked));
    let out = import(&db, "pdd", &["pdd_orders_unmasked.csv"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("the masked-phone remark and its yellow flag taken off"),
        "{}",
        text(&out.stdout)
    );
    let o = find(&orders(&db), "231120-100000000000004").clone();
    assert_eq!(o["receiver_phone"], "13587654321");
    assert_eq!(o["flag"], "none");
    assert!(
        !o["remark"].as_str().expect("remark").contains(masked),
        "{o}"
    );

    // A yellow flag a person set stays.
    let db = dir.path().join("by_hand.db");
    assert!(
        import(&db, "pdd", &["pdd_orders.csv"], &[])
            .status
            .success()
    );
    let out = shopdesk(&db, &["flag", "231120-100000000000004", "yellow"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        import(&db, "pdd", &["pdd_orders_unmasked.csv"], &[])
            .status
            .success()
    );
    let o = find(&orders(&db), "231120-100000000000004").clone();
    assert_eq!(o["flag"], "yellow");
    assert!(
        !o["remark"].as_str().expect("remark").contains(masked),
        "{o}"
    );

    // Douyin: the platform's red flag stays, the remark goes.
    let db = dir.path().join("douyin.db");
    assert!(
        import(&db, "douyin", &["douyin_orders.csv"], &[])
            .status
            .success()
    );
    assert!(
        import(&db, "douyin", &["douyin_orders_unmasked.csv"], &[])
            .status
            .success()
    );
    let o = find(&orders(&db), "6912345678901234567").clone();
    assert_eq!(o["receiver_phone"], "13812341234");
    assert_eq!(o["flag"], "red");
    assert_eq!(o["remark"], "送小礼物");
}

/// UTF-16 without a byte-order mark is read (as a guess the output says); a header line
/// that does not decode under the chosen encoding is said to be a wrong encoding.
#[test]
fn utf16_without_bom_reads_and_a_wrong_encoding_is_said() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("csv.db");
    assert!(import(&csv, "jd", &["jd_orders.csv"], &[]).status.success());
    for (file, encoding) in [
        ("jd_orders_utf16le_nobom.txt", "(UTF-16LE, a guess"),
        ("jd_orders_utf16be_nobom.txt", "(UTF-16BE, a guess"),
    ] {
        let db = dir.path().join(format!("{file}.db"));
        let out = import(&db, "jd", &[file], &[]);
        assert!(out.status.success(), "{file}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains(encoding),
            "{}",
            text(&out.stdout)
        );
        assert_eq!(order_values(&db), order_values(&csv), "{file}");
    }
    let db = dir.path().join("wrong.db");
    let out = import(&db, "auto", &["jd_orders.csv"], &["--encoding", "utf-8"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("its header line does not read as UTF-8, so the encoding looks wrong"),
        "{stderr}"
    );
}

/// A Shopify export re-saved by a spreadsheet (dates `20/11/2026 10:15`, amounts without
/// decimals) imports the same orders, dates read where day and month are plain.
#[test]
fn a_shopify_export_resaved_by_a_spreadsheet_imports() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = import(&db, "shopify", &["shopify_orders_resaved.csv"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("4 new, 0 updated, 0 unchanged, 0 rejected"),
        "{}",
        text(&out.stdout)
    );
    let all = orders(&db);
    let o = find(&all, "1001");
    assert_eq!(o["ordered_at"], "2026-11-20T10:15:00+08:00");
    assert_eq!(o["goods_cents"], 13800);
    assert_eq!(o["paid_cents"], 14300);
}
