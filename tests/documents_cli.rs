//! Shipping documents end to end: the `shopdesk` binary writes the PDFs, poppler renders
//! them (`pdftoppm`, `pdfinfo`, `pdftotext`) and zbar (`zbarimg`) reads the barcodes, as a
//! scanner at the courier would. CI installs poppler-utils and zbar-tools (`.ci/run`).

use std::path::Path;
use std::process::{Command, Output};

use shopdesk::domain::model::{NewOrder, NewOrderLine, NewProduct};
use shopdesk::domain::shipping::plan_pick_list;
use shopdesk::domain::{Event, OrderState, PaymentStatus};
use shopdesk::store::{OrderQuery, Store};

fn shopdesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shopdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("the shopdesk binary runs")
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed (poppler-utils, zbar-tools): {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Page size in points of every page, from `pdfinfo`.
fn page_size(pdf: &Path) -> (f32, f32) {
    let info = tool("pdfinfo", &[pdf.to_str().expect("path")]);
    let line = info
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .expect("a page size");
    let numbers: Vec<f32> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

fn pages(pdf: &Path) -> usize {
    tool("pdfinfo", &[pdf.to_str().expect("path")])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count")
}

/// The Code128 barcodes zbar finds on one page rendered at 300 dpi.
fn barcodes(pdf: &Path, page: usize, dir: &Path) -> Vec<String> {
    let prefix = dir.join(format!("page{page}"));
    let n = page.to_string();
    tool(
        "pdftoppm",
        &[
            "-r",
            "300",
            "-png",
            "-singlefile",
            "-f",
            &n,
            "-l",
            &n,
            pdf.to_str().expect("path"),
            prefix.to_str().expect("path"),
        ],
    );
    let png = prefix.with_extension("png");
    tool("zbarimg", &["-q", "--raw", png.to_str().expect("path")])
        .lines()
        .map(str::to_owned)
        .collect()
}

fn order(no: &str, lines: &[(&str, i64)], cod: bool) -> NewOrder {
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

/// A shop with bins out of natural order, a bundle and five approved orders.
fn shop(db: &Path) -> Vec<(String, Vec<(&'static str, i64)>)> {
    let mut store = Store::open(db).expect("store");
    let product = |code: &str, bin: &str, components: Vec<(String, i64)>| NewProduct {
        code: code.to_owned(),
        name: format!("商品 {code}"),
        bin: bin.to_owned(),
        attributes: vec![
            ("颜色".to_owned(), "红色".to_owned()),
            ("尺码".to_owned(), "XL".to_owned()),
        ],
        components,
        ..NewProduct::default()
    };
    store
        .upsert_products(&[
            product("CUP", "A10", vec![]),
            product("TEA", "A2", vec![]),
            product("SPOON", "B1", vec![]),
            product(
                "GIFT",
                "",
                vec![("CUP".to_owned(), 1), ("TEA".to_owned(), 2)],
            ),
        ])
        .expect("products");
    for code in ["CUP", "TEA", "SPOON"] {
        store.adjust_stock(code, 100, "opening").expect("stock");
    }
    let orders: Vec<(String, Vec<(&str, i64)>)> = vec![
        ("9001".into(), vec![("GIFT", 2), ("CUP", 1)]),
        ("9002".into(), vec![("TEA", 3)]),
        ("9003".into(), vec![("SPOON", 1), ("GIFT", 1)]),
        ("9004".into(), vec![("CUP", 4)]),
        ("9005".into(), vec![("SPOON", 2)]),
    ];
    for (i, (no, lines)) in orders.iter().enumerate() {
        let id = store
            .insert_orders(&[order(no, lines, i == 4)], "test")
            .expect("insert")[0];
        store.apply_event(id, Event::Review).expect("review");
    }
    orders
}

#[test]
fn pick_list_slips_waybills_and_batch_ship_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let orders = shop(&db);
    let numbers: Vec<&str> = orders.iter().map(|(no, _)| no.as_str()).collect();

    // Pick list: totals per single item equal the orders' lines with bundles exploded.
    let pick = dir.path().join("pick.pdf");
    let mut args = vec!["picklist"];
    args.extend(&numbers);
    args.extend(["--out", pick.to_str().expect("path")]);
    let said = ok(shopdesk(&db, &args));
    assert!(said.contains("5 orders now printed"), "{said}");
    let a4 = page_size(&pick);
    assert!(
        (a4.0 - 595.276).abs() < 0.5 && (a4.1 - 841.89).abs() < 0.5,
        "{a4:?}"
    );
    fn bundle(code: &str) -> Vec<(&str, i64)> {
        match code {
            "GIFT" => vec![("CUP", 1), ("TEA", 2)],
            other => vec![(other, 1)],
        }
    }
    let mut expected: std::collections::BTreeMap<&str, i64> = Default::default();
    for (_, lines) in &orders {
        for (code, q) in lines {
            for (single, per) in bundle(code) {
                *expected.entry(single).or_default() += q * per;
            }
        }
    }
    assert_eq!(
        expected.iter().map(|(c, q)| (*c, *q)).collect::<Vec<_>>(),
        vec![("CUP", 8), ("SPOON", 3), ("TEA", 9)]
    );
    let store = Store::open(&db).expect("store");
    let ids: Vec<i64> = numbers
        .iter()
        .map(|n| store.find_order(n).expect("order"))
        .collect();
    let ship = store.ship_orders(&ids).expect("orders");
    let plan = plan_pick_list(&ship.iter().map(|o| o.pick_order()).collect::<Vec<_>>());
    // Walking order: A2 before A10 before B1; no bundle on the list.
    let planned: Vec<(&str, &str, i64)> = plan
        .iter()
        .map(|l| (l.bin.as_str(), l.code.as_str(), l.total))
        .collect();
    assert_eq!(
        planned,
        vec![("A2", "TEA", 9), ("A10", "CUP", 8), ("B1", "SPOON", 3)]
    );
    let text = tool("pdftotext", &["-layout", pick.to_str().expect("path"), "-"]);
    for (bin, code, total) in &planned {
        let line = text
            .lines()
            .find(|l| l.contains(code) && l.contains(bin))
            .unwrap_or_else(|| panic!("{code} on the pick list:\n{text}"));
        assert!(
            line.split_whitespace().any(|w| w == total.to_string()),
            "{line}"
        );
    }
    assert!(!text.contains("GIFT"), "bundles are exploded:\n{text}");
    assert!(text.contains("拣货单"), "Chinese renders:\n{text}");
    assert!(text.contains("20 pieces"), "{text}");
    assert_eq!(barcodes(&pick, 1, dir.path()), vec!["PL000001"]);
    drop(store);

    // Orders moved to printed, with a print date.
    let store = Store::open(&db).expect("store");
    for id in &ids {
        let detail = store.order_detail(*id).expect("detail");
        assert_eq!(detail.row.state, OrderState::Printed);
        assert!(detail.dates.iter().any(|(kind, _)| *kind == "print"));
    }
    drop(store);

    // Slips: reprinting is allowed and logged.
    let slips = dir.path().join("slips.pdf");
    let mut args = vec!["slips"];
    args.extend(&numbers);
    args.extend(["--out", slips.to_str().expect("path")]);
    let said = ok(shopdesk(&db, &args));
    assert!(said.contains("5 reprinted"), "{said}");
    assert_eq!(pages(&slips), 3, "two slips a page");
    let codes = barcodes(&slips, 1, dir.path());
    assert_eq!(codes.len(), 2, "{codes:?}");
    assert!(codes.contains(&"9001".to_owned()) && codes.contains(&"9002".to_owned()));
    let text = tool("pdftotext", &[slips.to_str().expect("path"), "-"]);
    assert!(
        text.contains("请尽快发货") && text.contains("红色/XL"),
        "{text}"
    );

    // Waybills: numbers from the courier's pool, one label a page, each scans.
    ok(shopdesk(
        &db,
        &["couriers", "add", "SF", "顺丰速运", "--size", "100x150"],
    ));
    let pool = dir.path().join("pool.txt");
    std::fs::write(&pool, "SF1000000001\nSF1000000002\nSF1000000003\n").expect("pool");
    let said = ok(shopdesk(
        &db,
        &[
            "tracking",
            "import",
            "--courier",
            "SF",
            pool.to_str().expect("path"),
        ],
    ));
    assert!(said.contains("3 tracking numbers added"), "{said}");
    ok(shopdesk(
        &db,
        &[
            "tracking",
            "set",
            "9004",
            "--courier",
            "SF",
            "75312345678901",
        ],
    ));
    let waybills = dir.path().join("waybills.pdf");
    let args_short = [
        "waybills",
        "9001",
        "9002",
        "9003",
        "9004",
        "9005",
        "--courier",
        "SF",
    ];
    let mut args: Vec<&str> = args_short.to_vec();
    args.extend(["--out", waybills.to_str().expect("path")]);
    let out = shopdesk(&db, &args);
    assert!(
        !out.status.success(),
        "four orders need numbers, the pool has three"
    );
    assert!(!waybills.exists());
    std::fs::write(&pool, "SF1000000004\nSF1000000001\n").expect("pool");
    let said = ok(shopdesk(
        &db,
        &[
            "tracking",
            "import",
            "--courier",
            "SF",
            pool.to_str().expect("path"),
        ],
    ));
    assert!(
        said.contains("1 tracking numbers added, 1 skipped"),
        "{said}"
    );
    ok(shopdesk(&db, &args));
    assert_eq!(pages(&waybills), 5);
    let size = page_size(&waybills);
    assert!(
        (size.0 - 283.46).abs() < 0.5 && (size.1 - 425.2).abs() < 0.5,
        "{size:?}"
    );
    let bytes = std::fs::metadata(&waybills).expect("pdf").len();
    assert!(bytes / 5 < 30 * 1024, "{bytes} bytes for 5 labels");
    let expected = [
        "SF1000000001",
        "SF1000000002",
        "SF1000000003",
        "75312345678901",
        "SF1000000004",
    ];
    for (page, number) in expected.iter().enumerate() {
        assert_eq!(
            barcodes(&waybills, page + 1, dir.path()),
            vec![number.to_string()]
        );
    }
    let text = tool(
        "pdftotext",
        &["-f", "1", "-l", "1", waybills.to_str().expect("path"), "-"],
    );
    assert!(
        text.contains("欧阳娜娜") && text.contains("浙江省"),
        "{text}"
    );
    assert!(text.contains("CUP/红色/XL×3;TEA/红色/XL×4"), "{text}");
    let text = tool(
        "pdftotext",
        &["-f", "5", "-l", "5", waybills.to_str().expect("path"), "-"],
    );
    assert!(text.contains("代收"), "cash on delivery shows:\n{text}");

    // Other sizes, phone masked.
    let small = dir.path().join("small.pdf");
    ok(shopdesk(
        &db,
        &[
            "waybills",
            "9001",
            "--courier",
            "SF",
            "--size",
            "4x6",
            "--mask-phone",
            "--out",
            small.to_str().expect("path"),
        ],
    ));
    let size = page_size(&small);
    assert!(
        (size.0 - 288.0).abs() < 0.5 && (size.1 - 432.0).abs() < 0.5,
        "{size:?}"
    );
    let text = tool("pdftotext", &[small.to_str().expect("path"), "-"]);
    assert!(
        text.contains("138****5678") && !text.contains("13812345678"),
        "{text}"
    );
    assert_eq!(barcodes(&small, 1, dir.path()), vec!["SF1000000001"]);

    // The batch ship CSV.
    let csv = dir.path().join("shipped.csv");
    ok(shopdesk(
        &db,
        &[
            "shipped-csv",
            "--since",
            "2000-01-01",
            "--out",
            csv.to_str().expect("path"),
        ],
    ));
    let csv = std::fs::read_to_string(&csv).expect("csv");
    assert!(csv.starts_with("订单编号,物流公司,运单号\n"), "{csv}");
    assert!(csv.contains("9001,顺丰速运,SF1000000001\n"), "{csv}");
    assert_eq!(csv.lines().count(), 6, "{csv}");
}

#[test]
fn unprintable_orders_are_refused_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    shop(&db);
    {
        let mut store = Store::open(&db).expect("store");
        let id = store.find_order("9002").expect("order");
        store.apply_event(id, Event::Hold).expect("hold");
    }
    let pick = dir.path().join("pick.pdf");
    let out = shopdesk(
        &db,
        &[
            "picklist",
            "9001",
            "9002",
            "--out",
            pick.to_str().expect("path"),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("9002"));
    assert!(!pick.exists());
    let store = Store::open(&db).expect("store");
    let printed = store
        .query_orders(&OrderQuery {
            state: Some(OrderState::Printed),
            ..OrderQuery::default()
        })
        .expect("query");
    assert!(printed.is_empty());
}

#[test]
fn pre_printed_form_and_calibration_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    shop(&db);
    let template = dir.path().join("form.txt");
    std::fs::write(
        &template,
        "size 230 127\nreceiver_name 20 30 50 8 12\nreceiver_address 20 40 90 14 10\ngoods 120 30 90 20 9\ntracking_no 120 60 60 8 12\n",
    )
    .expect("template");
    ok(shopdesk(
        &db,
        &[
            "couriers",
            "add",
            "EMS",
            "中国邮政",
            "--template",
            template.to_str().expect("path"),
            "--offset-x",
            "1.5",
            "--offset-y",
            "-2",
        ],
    ));
    let calibration = dir.path().join("cal.pdf");
    ok(shopdesk(
        &db,
        &[
            "couriers",
            "calibrate",
            "EMS",
            "--out",
            calibration.to_str().expect("path"),
        ],
    ));
    let size = page_size(&calibration);
    assert!(
        (size.0 - 651.97).abs() < 0.5 && (size.1 - 360.0).abs() < 0.5,
        "{size:?}"
    );
    let text = tool("pdftotext", &[calibration.to_str().expect("path"), "-"]);
    assert!(
        text.contains("receiver_address") && text.contains("+1.5"),
        "{text}"
    );

    ok(shopdesk(
        &db,
        &[
            "tracking",
            "set",
            "9001",
            "--courier",
            "EMS",
            "EA123456789CN",
        ],
    ));
    let form = dir.path().join("form.pdf");
    ok(shopdesk(
        &db,
        &[
            "waybills",
            "9001",
            "--courier",
            "EMS",
            "--out",
            form.to_str().expect("path"),
        ],
    ));
    assert_eq!(page_size(&form), size);
    let text = tool("pdftotext", &[form.to_str().expect("path"), "-"]);
    assert!(
        text.contains("欧阳娜娜") && text.contains("EA123456789CN"),
        "{text}"
    );
}
