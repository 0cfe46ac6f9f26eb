//! One test per fixture file (fixtures/README.md), asserting exact values, plus the status
//! tables and the reading pipeline.

use std::path::{Path, PathBuf};

use super::*;
use crate::domain::model::NewOrderLine;
use crate::domain::{Flag, OrderState, PaymentStatus};

pub(super) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

pub(super) fn go_on(_: u64) -> bool {
    true
}

fn taobao(orders: &str, items: &str) -> Parsed {
    match parse_taobao(
        &fixture(orders),
        &fixture(items),
        EncodingChoice::Auto,
        &go_on,
    ) {
        Ok(parsed) => parsed,
        Err(error) => panic!("{orders} + {items}: {error}"),
    }
}

pub(super) fn order<'a>(parsed: &'a Parsed, order_no: &str) -> &'a NewOrder {
    match parsed.orders.iter().find(|o| o.order_no == order_no) {
        Some(order) => order,
        None => panic!(
            "order {order_no} not parsed; rejected: {:#?}",
            parsed.rejected
        ),
    }
}

/// `(file name, line, column, message)` of every rejected row.
pub(super) fn rejected(parsed: &Parsed) -> Vec<(String, u64, String, String)> {
    parsed
        .rejected
        .iter()
        .map(|e| {
            let name = e.file.file_name().map(|n| n.to_string_lossy().into_owned());
            (
                name.unwrap_or_default(),
                e.line,
                e.column.clone(),
                e.message.clone(),
            )
        })
        .collect()
}

pub(super) fn order_numbers(parsed: &Parsed) -> Vec<&str> {
    parsed.orders.iter().map(|o| o.order_no.as_str()).collect()
}

pub(super) fn line(
    sku: &str,
    title: &str,
    attributes: &str,
    quantity: i64,
    cents: i64,
) -> NewOrderLine {
    NewOrderLine {
        sku: sku.to_owned(),
        title: title.to_owned(),
        attributes: attributes.to_owned(),
        quantity,
        unit_price_cents: cents,
    }
}

const BASE_ORDERS: [&str; 7] = [
    "756842787424319996",
    "3391456789012345678",
    "756843112233445566",
    "756843998877665544",
    "756844000011112222",
    "756844555566667777",
    "756844666677778888",
];

/// The expected contents of the base export (UTF-8 and GBK fixtures alike).
fn check_base_export(parsed: &Parsed) {
    assert_eq!(parsed.rejected, vec![], "no row rejected");
    assert_eq!(order_numbers(parsed), BASE_ORDERS);

    let first = NewOrder {
        platform: "taobao".to_owned(),
        order_no: "756842787424319996".to_owned(),
        buyer_id: "tb_lihua88".to_owned(),
        buyer_name: String::new(),
        receiver_name: "李华".to_owned(),
        receiver_phone: "13812345678".to_owned(),
        receiver_phone2: String::new(),
        province: "浙江省".to_owned(),
        city: "杭州市".to_owned(),
        district: "西湖区".to_owned(),
        address: "文三路 1号 某某小区 3幢".to_owned(),
        postcode: "310012".to_owned(),
        buyer_message: "请尽快发货，谢谢！".to_owned(),
        seller_remark: String::new(),
        flag: Flag::None,
        goods_cents: 11800,
        postage_cents: 0,
        discount_cents: 1000,
        paid_cents: 10800,
        refunded_cents: 0,
        payment_status: PaymentStatus::Paid,
        cash_on_delivery: false,
        state: OrderState::PendingReview,
        platform_status: "买家已付款，等待卖家发货".to_owned(),
        ordered_at: "2026-11-20T10:15:00+08:00".to_owned(),
        paid_at: Some("2026-11-20T10:16:30+08:00".to_owned()),
        reviewed_at: None,
        printed_at: None,
        inspected_at: None,
        shipped_at: None,
        archived_at: None,
        on_hold: false,
        courier: String::new(),
        tracking_no: String::new(),
        lines: vec![line(
            "TS-001-RED-M",
            "纯棉短袖T恤 男女同款 宽松",
            "颜色分类：红色;尺码：M",
            2,
            5900,
        )],
    };
    assert_eq!(parsed.orders[0], first);
    assert_eq!(parsed.orders[0].total_cents(), 10800);

    let tmall = order(parsed, "3391456789012345678");
    assert_eq!(
        (tmall.state, tmall.payment_status),
        (OrderState::PendingReview, PaymentStatus::Unpaid)
    );
    assert_eq!(
        (
            tmall.receiver_phone.as_str(),
            tmall.receiver_phone2.as_str()
        ),
        ("13912345678", "021-58881234")
    );
    assert_eq!(
        [
            &tmall.province,
            &tmall.city,
            &tmall.district,
            &tmall.address,
            &tmall.postcode
        ],
        [
            "上海市",
            "上海市",
            "浦东新区",
            "张江路 88弄 5号 1202室",
            "200120"
        ]
    );
    assert_eq!(
        (
            tmall.goods_cents,
            tmall.postage_cents,
            tmall.discount_cents,
            tmall.paid_cents
        ),
        (16800, 800, 0, 0)
    );
    assert_eq!(tmall.paid_at, None);
    assert_eq!(tmall.buyer_id, "王小芳_tmall");

    let shipped = order(parsed, "756843112233445566");
    assert_eq!(
        (shipped.state, shipped.payment_status),
        (OrderState::Shipped, PaymentStatus::Paid)
    );
    assert_eq!(shipped.address, "建国路 93号 万达广场 B座(东门)");
    assert_eq!(shipped.postcode, "100022");
    assert_eq!(
        (shipped.courier.as_str(), shipped.tracking_no.as_str()),
        ("圆通速递", "YT7012345678901")
    );
    assert_eq!(shipped.seller_remark, "已核对地址");
    assert_eq!(
        (
            shipped.goods_cents,
            shipped.postage_cents,
            shipped.paid_cents
        ),
        (14780, 1000, 15780)
    );
    assert_eq!(
        shipped.lines,
        vec![
            line(
                "CP-808",
                "保温杯 316不锈钢 500ml",
                "颜色分类：星空蓝",
                1,
                8800
            ),
            line("SK-500-WHT", "运动棉袜 5双装", "颜色分类：白色", 2, 2990),
        ]
    );

    let success = order(parsed, "756843998877665544");
    assert_eq!(
        (success.state, success.payment_status),
        (OrderState::Shipped, PaymentStatus::Paid)
    );
    assert_eq!(success.tracking_no, "ZT75300001111", "No: dropped");
    assert_eq!(
        [&success.city, &success.district, &success.address],
        ["东莞市", "东莞市", "长安镇 振安中路 168号"]
    );
    assert_eq!(
        success.lines,
        vec![line(
            "HT-077",
            "渔夫帽 防晒 可折叠",
            "颜色分类：米白;套餐：官方标配",
            1,
            3900
        )],
        "SKU falls back to 外部系统编号; 套餐信息 joins the attributes"
    );

    let closed = order(parsed, "756844000011112222");
    assert_eq!(
        (closed.state, closed.payment_status),
        (OrderState::Cancelled, PaymentStatus::Unpaid)
    );
    assert_eq!((closed.paid_cents, closed.discount_cents), (0, 0));
    assert_eq!(closed.postcode, "");
    assert_eq!(closed.address, "珞喻路 1037号");

    let partly = order(parsed, "756844555566667777");
    assert_eq!(
        (partly.state, partly.payment_status),
        (OrderState::Shipped, PaymentStatus::PartlyRefunded)
    );
    assert_eq!((partly.paid_cents, partly.refunded_cents), (10400, 4500));

    let refunded = order(parsed, "756844666677778888");
    assert_eq!(
        (refunded.state, refunded.payment_status),
        (OrderState::Cancelled, PaymentStatus::Refunded)
    );
    assert_eq!((refunded.paid_cents, refunded.refunded_cents), (8800, 8800));
    assert_eq!(refunded.postcode, "610041", "full-width brackets");
}

#[test]
fn taobao_utf8_with_bom() {
    let parsed = taobao("taobao_orders_utf8.csv", "taobao_items_utf8.csv");
    check_base_export(&parsed);
    let encodings: Vec<Encoding> = parsed.encodings.iter().map(|(_, e)| *e).collect();
    assert_eq!(encodings, [Encoding::Utf8, Encoding::Utf8]);
}

#[test]
fn cr_only_line_endings_read_like_the_original_in_every_importer() {
    let parsed = taobao("taobao_orders_cr.csv", "taobao_items_cr.csv");
    check_base_export(&parsed);
    let Ok(dir) = tempfile::tempdir() else {
        panic!("no temp dir");
    };
    // The fixture of each importer with its lines ending in '\r' alone.
    let cr_copy = |name: &str| -> PathBuf {
        let Ok(bytes) = std::fs::read(fixture(name)) else {
            panic!("cannot read {name}");
        };
        let mut out = Vec::with_capacity(bytes.len());
        let mut at = 0;
        while at < bytes.len() {
            if bytes[at..].starts_with(b"\r\n") {
                at += 1;
            } else if bytes[at] == b'\n' {
                out.push(b'\r');
                at += 1;
                continue;
            }
            out.push(bytes[at]);
            at += 1;
        }
        let path = dir.path().join(name);
        assert!(std::fs::write(&path, out).is_ok());
        path
    };
    let same =
        |what: &str, original: Result<Parsed, ImportError>, cr: Result<Parsed, ImportError>| {
            let (Ok(original), Ok(cr)) = (original, cr) else {
                panic!("{what}: not read");
            };
            assert!(!original.orders.is_empty(), "{what}");
            assert_eq!(original.orders, cr.orders, "{what}");
            let lines = |p: &Parsed| {
                rejected(p)
                    .into_iter()
                    .map(|(_, line, column, message)| (line, column, message))
                    .collect::<Vec<_>>()
            };
            assert_eq!(lines(&original), lines(&cr), "{what}");
        };
    type ParseOne = fn(&Path, EncodingChoice, Progress<'_>) -> Result<Parsed, ImportError>;
    let marketplaces: [(&str, ParseOne); 7] = [
        ("shopify_orders.csv", parse_shopify),
        ("jd_orders.csv", parse_jd),
        ("jd_orders_bad.csv", parse_jd),
        ("pdd_orders.csv", parse_pdd),
        ("pdd_orders_bad.csv", parse_pdd),
        ("douyin_orders.csv", parse_douyin),
        ("douyin_orders_bad.csv", parse_douyin),
    ];
    for (name, parse) in marketplaces {
        let cr = cr_copy(name);
        same(
            name,
            parse(&fixture(name), EncodingChoice::Auto, &go_on),
            parse(&cr, EncodingChoice::Auto, &go_on),
        );
    }
    let mapping = generic_profile();
    let cr = cr_copy("generic_orders.csv");
    same(
        "generic_orders.csv",
        parse_mapped(
            &fixture("generic_orders.csv"),
            &mapping,
            EncodingChoice::Auto,
            &go_on,
        ),
        parse_mapped(&cr, &mapping, EncodingChoice::Auto, &go_on),
    );
    for name in ["products.csv", "products_broken.csv"] {
        let cr = cr_copy(name);
        let (Ok(original), Ok(cr)) = (
            parse_products(&fixture(name), EncodingChoice::Auto, &go_on),
            parse_products(&cr, EncodingChoice::Auto, &go_on),
        ) else {
            panic!("{name}: not read");
        };
        assert!(!original.products.is_empty() || !original.rejected.is_empty());
        assert_eq!(original.products, cr.products, "{name}");
        let lines = |p: &ParsedProducts| {
            p.rejected
                .iter()
                .map(|e| (e.line, e.column.clone(), e.message.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(lines(&original), lines(&cr), "{name}");
    }
    let cart = dir.path().join("cart.csv");
    assert!(std::fs::write(&cart, "code,quantity,price\rCUP,2,\rTEA,x,\r").is_ok());
    let Ok(cart) = cart::read_cart(&cart) else {
        panic!("cart not read");
    };
    let lines: Vec<(u64, &str)> = cart
        .lines
        .iter()
        .map(|(l, c)| (*l, c.code.as_str()))
        .collect();
    assert_eq!(lines, [(2, "CUP")]);
    let errors: Vec<(u64, &str)> = cart
        .rejected
        .iter()
        .map(|e| (e.line, e.column.as_str()))
        .collect();
    assert_eq!(errors, [(3, "quantity")]);
}

#[test]
fn taobao_gbk_is_detected_and_reads_the_same() {
    let parsed = taobao("taobao_orders_gbk.csv", "taobao_items_gbk.csv");
    check_base_export(&parsed);
    let encodings: Vec<Encoding> = parsed.encodings.iter().map(|(_, e)| *e).collect();
    assert_eq!(encodings, [Encoding::Gb18030, Encoding::Gb18030]);
    let utf8 = taobao("taobao_orders_utf8.csv", "taobao_items_utf8.csv");
    assert_eq!(parsed.orders, utf8.orders);

    // The user's override wins: GBK read as UTF-8 has no recognisable header.
    let forced = parse_taobao(
        &fixture("taobao_orders_gbk.csv"),
        &fixture("taobao_items_gbk.csv"),
        EncodingChoice::Utf8,
        &go_on,
    );
    assert!(
        matches!(forced, Err(ImportError::MissingColumns { .. })),
        "{forced:?}"
    );
    let forced = parse_taobao(
        &fixture("taobao_orders_gbk.csv"),
        &fixture("taobao_items_gbk.csv"),
        EncodingChoice::Gb18030,
        &go_on,
    );
    assert!(forced.is_ok_and(|p| p.orders == utf8.orders));
}

#[test]
fn taobao_files_given_the_wrong_way_round_are_swapped() {
    let parsed = taobao("taobao_items_utf8.csv", "taobao_orders_utf8.csv");
    check_base_export(&parsed);
    assert!(parsed.encodings[0].0.ends_with("taobao_orders_utf8.csv"));
}

#[test]
fn taobao_newer_export_changes_payment_tracking_and_status() {
    let parsed = taobao("taobao_orders_newer.csv", "taobao_items_newer.csv");
    assert_eq!(parsed.rejected, vec![]);
    let mut expected = BASE_ORDERS.to_vec();
    expected.push("756845000000000001");
    assert_eq!(order_numbers(&parsed), expected);

    let shipped = order(&parsed, "756842787424319996");
    assert_eq!(
        (shipped.state, shipped.payment_status),
        (OrderState::Shipped, PaymentStatus::Paid)
    );
    assert_eq!(
        (shipped.courier.as_str(), shipped.tracking_no.as_str()),
        ("中通快递", "75312345678901")
    );
    let paid = order(&parsed, "3391456789012345678");
    assert_eq!(
        (paid.state, paid.payment_status, paid.paid_cents),
        (OrderState::PendingReview, PaymentStatus::Paid, 17600)
    );
    assert_eq!(paid.paid_at.as_deref(), Some("2026-11-21T09:00:00+08:00"));
    let closed = order(&parsed, "756843112233445566");
    assert_eq!(
        (closed.state, closed.payment_status, closed.refunded_cents),
        (OrderState::Cancelled, PaymentStatus::Refunded, 15780)
    );
    assert_eq!(closed.platform_status, "交易关闭");

    // The orders that did not change parse exactly as before.
    let base = taobao("taobao_orders_utf8.csv", "taobao_items_utf8.csv");
    for order_no in &BASE_ORDERS[3..] {
        assert_eq!(
            order(&parsed, order_no),
            order(&base, order_no),
            "{order_no}"
        );
    }
}

#[test]
fn taobao_resaved_by_a_spreadsheet_is_refused_row_by_row() {
    let parsed = taobao("taobao_orders_resaved.csv", "taobao_items_resaved.csv");
    assert_eq!(parsed.orders, vec![]);
    let found = rejected(&parsed);
    assert_eq!(found.len(), 4, "{found:#?}");
    for (at, (file, line, column, message)) in found[..2].iter().enumerate() {
        assert_eq!(file, "taobao_orders_resaved.csv");
        assert_eq!(*line, at as u64 + 2);
        assert_eq!(column, "订单编号");
        assert!(message.contains("scientific notation"), "{message}");
        assert!(message.contains("re-saved by a spreadsheet"), "{message}");
        assert!(message.contains("lost its last digits"), "{message}");
    }
    assert!(found[0].3.contains("\"7.56843E+17\""));
    assert!(found[1].3.contains("\"3.39146E+18\""));
    assert_eq!(
        found[2],
        (
            "taobao_items_resaved.csv".to_owned(),
            2,
            "订单编号".to_owned(),
            "order 756842787424319996 is not in the order report taobao_orders_resaved.csv \
             (or its row there has an unreadable order number)"
                .to_owned()
        )
    );
    assert_eq!(found[3].1, 3);
}

#[test]
fn taobao_bad_rows_are_all_reported_with_their_lines() {
    let parsed = taobao("taobao_orders_bad.csv", "taobao_items_bad.csv");
    let orders_file = "taobao_orders_bad.csv".to_owned();
    let items_file = "taobao_items_bad.csv".to_owned();
    let found = rejected(&parsed);
    let expected = vec![
        (
            orders_file.clone(),
            3,
            "买家实际支付金额".to_owned(),
            "expected an amount like 34.00, found \"abc\"".to_owned(),
        ),
        (
            orders_file.clone(),
            4,
            "订单状态".to_owned(),
            format!(
                "unknown order status \"等待发货中\"; known: {}",
                TAOBAO_STATUSES.map(|(t, _, _)| t).join(" / ")
            ),
        ),
        (
            orders_file.clone(),
            5,
            "订单编号".to_owned(),
            "order 756842787424310001 appears twice (also on line 2); neither row is imported"
                .to_owned(),
        ),
        (
            orders_file.clone(),
            6,
            "订单编号".to_owned(),
            "order 756842787424310005 has no rows in the item report taobao_items_bad.csv"
                .to_owned(),
        ),
        (
            items_file.clone(),
            5,
            "购买数量".to_owned(),
            "expected a whole number of items like 1, found \"两\"".to_owned(),
        ),
        (
            items_file.clone(),
            8,
            "订单编号".to_owned(),
            "order 756849999999999999 is not in the order report taobao_orders_bad.csv".to_owned(),
        ),
    ];
    assert_eq!(found, expected);
    assert_eq!(
        order_numbers(&parsed),
        [
            "756842787424310007",
            "756842787424310008",
            "756842787424310009"
        ]
    );
    // 宝贝总数量 3 against 2 item lines: a remark, not a rejection.
    assert_eq!(
        order(&parsed, "756842787424310007").seller_remark,
        format!("{}3 ≠ 2（taobao_items_bad.csv）", taobao::QUANTITY_REMARK)
    );
    let excel = order(&parsed, "756842787424310008");
    assert_eq!(excel.ordered_at, "2026-11-20T09:05:00+08:00");
    assert_eq!(excel.paid_at.as_deref(), Some("2026-11-20T09:06:00+08:00"));
    let unpaid = order(&parsed, "756842787424310009");
    assert_eq!(unpaid.payment_status, PaymentStatus::Unpaid);
    assert_eq!(unpaid.paid_at, None);

    let shown = parsed.rejected[0].to_string();
    assert!(
        shown.ends_with(
            "taobao_orders_bad.csv:3: column 买家实际支付金额: expected an amount like 34.00, \
             found \"abc\""
        ),
        "{shown}"
    );
}

#[test]
fn taobao_missing_column_names_what_is_missing_and_what_was_found() {
    let result = parse_taobao(
        &fixture("taobao_orders_missing_column.csv"),
        &fixture("taobao_items_utf8.csv"),
        EncodingChoice::Auto,
        &go_on,
    );
    let Err(error) = result else {
        panic!("accepted a file without 收货地址");
    };
    let ImportError::MissingColumns {
        file,
        missing,
        found,
        ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert!(file.ends_with("taobao_orders_missing_column.csv"));
    assert_eq!(missing, &["收货地址"]);
    assert_eq!(found[..3], ["订单编号", "买家会员名", "买家支付宝账号"]);
    assert!(
        found.contains(&"联系电话".to_owned()),
        "headers are trimmed"
    );
    let shown = error.to_string();
    assert!(
        shown.contains("missing column(s) 收货地址; the header line has: 订单编号, 买家会员名"),
        "{shown}"
    );
}

#[test]
fn taobao_quoted_fields_with_commas_quotes_and_line_breaks() {
    let parsed = taobao("taobao_orders_quoted.csv", "taobao_items_quoted.csv");
    assert_eq!(
        rejected(&parsed),
        vec![(
            "taobao_orders_quoted.csv".to_owned(),
            6,
            "买家实际支付金额".to_owned(),
            "expected an amount like 34.00, found \"5 9.00\"".to_owned()
        )],
        "the physical line where the record starts, after multi-line records"
    );
    assert_eq!(
        order_numbers(&parsed),
        ["756846000000000001", "756846000000000002"]
    );
    let first = &parsed.orders[0];
    assert_eq!(
        first.buyer_message,
        "请放门口, 别敲门\n(孩子在睡觉) \"谢谢\""
    );
    assert_eq!(
        [
            &first.province,
            &first.city,
            &first.district,
            &first.address,
            &first.postcode
        ],
        [
            "江苏省",
            "南京市",
            "鼓楼区",
            "中山北路 8号 \"金陵\"大厦(北楼) 12层",
            "210008"
        ]
    );
    assert_eq!(first.seller_remark, "包装要好, 送人");
    assert_eq!(
        first.lines,
        vec![line(
            "SC-019-GRY",
            "羊毛围巾 \"经典\"格纹, 加厚",
            "颜色分类：灰色;尺码：180cm,加长;套餐：礼盒装\n含贺卡",
            1,
            19900
        )]
    );
    let second = &parsed.orders[1];
    assert_eq!(
        (second.buyer_id.as_str(), second.receiver_name.as_str()),
        ("comma,buyer", "郑,爽")
    );
    assert_eq!(
        (second.address.as_str(), second.postcode.as_str()),
        ("科技园 (1栋)(2单元)", "518057")
    );
}

#[test]
fn shopify_export() {
    let parsed = match parse_shopify(&fixture("shopify_orders.csv"), EncodingChoice::Auto, &go_on) {
        Ok(parsed) => parsed,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(
        rejected(&parsed),
        vec![(
            "shopify_orders.csv".to_owned(),
            7,
            "Lineitem price".to_owned(),
            "expected an amount like 34.00, found \"5O.00\"".to_owned()
        )]
    );
    assert_eq!(order_numbers(&parsed), ["1001", "1002", "1003", "1005"]);

    let first = &parsed.orders[0];
    assert_eq!(first.platform, "shopify");
    assert_eq!(
        (
            first.buyer_id.as_str(),
            first.buyer_name.as_str(),
            first.receiver_name.as_str()
        ),
        ("lilei@example.com", "李雷", "李雷")
    );
    assert_eq!(first.receiver_phone, "+86 138 1234 5678");
    assert_eq!(
        [
            &first.province,
            &first.city,
            &first.address,
            &first.postcode
        ],
        [
            "Zhejiang",
            "杭州市",
            "文三路 1号, 某某小区 3幢 501",
            "310012"
        ]
    );
    assert_eq!(
        (
            first.goods_cents,
            first.postage_cents,
            first.discount_cents,
            first.paid_cents
        ),
        (13800, 1000, 500, 14300)
    );
    assert_eq!(first.total_cents(), 14300);
    assert_eq!(
        (first.state, first.payment_status),
        (OrderState::PendingReview, PaymentStatus::Paid)
    );
    assert_eq!(first.platform_status, "paid/unfulfilled");
    assert_eq!(first.ordered_at, "2026-11-20T10:15:00+08:00");
    assert_eq!(first.paid_at.as_deref(), Some("2026-11-20T10:16:00+08:00"));
    assert_eq!(first.buyer_message, "请周末送货, 谢谢");
    assert_eq!(
        first.lines,
        vec![
            line("TS-001-RED-M", "纯棉短袖T恤 - 红色 / M", "", 2, 5900),
            line("SK-500-WHT", "运动棉袜 5双装", "", 1, 2000),
        ]
    );

    let abroad = &parsed.orders[1];
    assert_eq!(
        (abroad.state, abroad.payment_status),
        (OrderState::Shipped, PaymentStatus::Paid)
    );
    assert_eq!(
        abroad.ordered_at, "2026-11-21T09:30:00-05:00",
        "offset kept"
    );
    assert_eq!(abroad.address, "500 Main St, Apt 2, US");
    assert_eq!(
        (abroad.province.as_str(), abroad.postcode.as_str()),
        ("Massachusetts", "02118")
    );

    let refunded = &parsed.orders[2];
    assert_eq!(
        (refunded.state, refunded.payment_status),
        (OrderState::Cancelled, PaymentStatus::Refunded)
    );
    assert_eq!((refunded.paid_cents, refunded.refunded_cents), (5900, 5900));

    let voided = &parsed.orders[3];
    assert_eq!(
        (voided.state, voided.payment_status, voided.paid_cents),
        (OrderState::Cancelled, PaymentStatus::Unpaid, 0)
    );
    assert_eq!(voided.platform_status, "voided/unfulfilled");
}

fn generic_profile() -> ColumnMapping {
    let json = match std::fs::read_to_string(fixture("generic_profile.json")) {
        Ok(json) => json,
        Err(error) => panic!("{error}"),
    };
    match serde_json::from_str(&json) {
        Ok(mapping) => mapping,
        Err(error) => panic!("{error}"),
    }
}

#[test]
fn generic_csv_through_a_saved_profile() {
    let mapping = generic_profile();
    assert_eq!(mapping.name, "有赞导出");
    assert_eq!(mapping.problems(), Vec::<String>::new());
    let parsed = match parse_mapped(
        &fixture("generic_orders.csv"),
        &mapping,
        EncodingChoice::Auto,
        &go_on,
    ) {
        Ok(parsed) => parsed,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(
        rejected(&parsed),
        vec![(
            "generic_orders.csv".to_owned(),
            5,
            "数量".to_owned(),
            "expected a whole number of items like 1, found \"一\"".to_owned()
        )]
    );
    assert_eq!(order_numbers(&parsed), ["E20261120001", "E20261120002"]);
    let first = &parsed.orders[0];
    assert_eq!(first.platform, "youzan");
    assert_eq!(
        first.lines,
        vec![
            line("TS-001-RED-M", "纯棉短袖T恤", "红色 M", 2, 5900),
            line("SK-500-WHT", "运动棉袜 5双装", "白色", 1, 2990),
        ],
        "rows of one order need not be next to each other"
    );
    assert_eq!(
        [
            &first.province,
            &first.city,
            &first.district,
            &first.address,
            &first.postcode
        ],
        ["浙江省", "杭州市", "西湖区", "文三路1号", "310012"]
    );
    assert_eq!(first.receiver_phone, "13811112222");
    assert_eq!(
        (
            first.goods_cents,
            first.postage_cents,
            first.discount_cents,
            first.paid_cents
        ),
        (14790, 800, 0, 15590)
    );
    assert_eq!(
        (first.state, first.payment_status),
        (OrderState::PendingReview, PaymentStatus::Paid)
    );
    assert_eq!(first.buyer_message, "麻烦快点");
    let unpaid = &parsed.orders[1];
    assert_eq!(
        (
            unpaid.payment_status,
            unpaid.paid_cents,
            unpaid.paid_at.as_deref()
        ),
        (PaymentStatus::Unpaid, 0, None)
    );
}

#[test]
fn mapping_problems_and_a_profile_that_does_not_fit() {
    let mut mapping = generic_profile();
    mapping.columns.retain(|(f, _)| *f != Field::Quantity);
    mapping.columns.push((Field::Title, "规格".to_owned()));
    mapping.platform = " ".to_owned();
    assert_eq!(
        mapping.problems(),
        [
            "the platform is empty",
            "Item title is mapped 2 times",
            "Quantity is not mapped"
        ]
    );
    let result = parse_mapped(
        &fixture("generic_orders.csv"),
        &mapping,
        EncodingChoice::Auto,
        &go_on,
    );
    assert!(
        matches!(result, Err(ImportError::Mapping { .. })),
        "{result:?}"
    );

    let mut mapping = generic_profile();
    mapping
        .columns
        .push((Field::Courier, "快递公司".to_owned()));
    let result = parse_mapped(
        &fixture("generic_orders.csv"),
        &mapping,
        EncodingChoice::Auto,
        &go_on,
    );
    let Err(ImportError::MissingColumns { missing, .. }) = result else {
        panic!("{result:?}");
    };
    assert_eq!(missing, ["快递公司"]);
}

#[test]
fn profiles_serialise_with_stable_field_codes() {
    for field in Field::ALL {
        let json = serde_json::to_string(&field).unwrap_or_default();
        assert_eq!(json, format!("\"{}\"", field.code()));
        assert_eq!(Field::from_code(field.code()), Some(field));
        assert!(!field.label().is_empty());
    }
    let mapping = generic_profile();
    let json = serde_json::to_string(&mapping).unwrap_or_default();
    let back: ColumnMapping = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(back, mapping);
}

#[test]
fn headers_for_the_preview() {
    let result = headers(&fixture("taobao_orders_gbk.csv"), EncodingChoice::Auto);
    let Ok((names, rows, encoding)) = result else {
        panic!("{result:?}");
    };
    assert_eq!(encoding, Encoding::Gb18030);
    assert_eq!(names[13], "收货地址", "trimmed");
    assert_eq!(rows.len(), 7);
    assert_eq!(rows[0][0], "=\"756842787424319996\"", "as written");
    assert_eq!(rows[0][12], "李华");
    assert_eq!(
        rows[0].last().map(String::as_str),
        Some("0.00"),
        "no CR left"
    );
}

#[test]
fn taobao_status_table() {
    let cases: &[(&str, Option<(OrderState, PaymentStatus)>)] = &[
        (
            "等待买家付款",
            Some((OrderState::PendingReview, PaymentStatus::Unpaid)),
        ),
        (
            "买家已付款，等待卖家发货",
            Some((OrderState::PendingReview, PaymentStatus::Paid)),
        ),
        (
            "买家已付款,等待卖家发货",
            Some((OrderState::PendingReview, PaymentStatus::Paid)),
        ),
        (
            " 买家已付款， 等待卖家发货 ",
            Some((OrderState::PendingReview, PaymentStatus::Paid)),
        ),
        (
            "卖家部分发货",
            Some((OrderState::PendingReview, PaymentStatus::Paid)),
        ),
        (
            "卖家已发货，等待买家确认",
            Some((OrderState::Shipped, PaymentStatus::Paid)),
        ),
        (
            "等待买家确认收货",
            Some((OrderState::Shipped, PaymentStatus::Paid)),
        ),
        ("交易成功", Some((OrderState::Shipped, PaymentStatus::Paid))),
        (
            "交易关闭",
            Some((OrderState::Cancelled, PaymentStatus::Unpaid)),
        ),
        (
            "交易关闭(退款)",
            Some((OrderState::Cancelled, PaymentStatus::Refunded)),
        ),
        (
            "交易关闭（退款）",
            Some((OrderState::Cancelled, PaymentStatus::Refunded)),
        ),
        (
            "付款以后用户退款成功，交易自动关闭",
            Some((OrderState::Cancelled, PaymentStatus::Refunded)),
        ),
        (
            "付款以前，卖家或买家主动关闭交易",
            Some((OrderState::Cancelled, PaymentStatus::Unpaid)),
        ),
        ("交易成功了", None),
        ("", None),
    ];
    for (text, expected) in cases {
        assert_eq!(taobao_status(text), *expected, "{text:?}");
    }
}

#[test]
fn shopify_financial_table() {
    let cases: &[(&str, Option<(PaymentStatus, bool)>)] = &[
        ("paid", Some((PaymentStatus::Paid, false))),
        ("Paid", Some((PaymentStatus::Paid, false))),
        ("pending", Some((PaymentStatus::Unpaid, false))),
        ("authorized", Some((PaymentStatus::Unpaid, false))),
        (
            "partially_refunded",
            Some((PaymentStatus::PartlyRefunded, false)),
        ),
        ("refunded", Some((PaymentStatus::Refunded, true))),
        ("voided", Some((PaymentStatus::Unpaid, true))),
        ("gift", None),
    ];
    for (text, expected) in cases {
        assert_eq!(shopify::shopify_financial(text), *expected, "{text:?}");
    }
}

#[test]
fn encoding_detection() {
    let almost = [
        "订单编号,收货地址\n订单编号,收货地址,订单编号,收货地址\n".as_bytes(),
        b"ab\xFFcd\n",
    ]
    .concat();
    assert_eq!(
        reader::detect_encoding(&almost),
        Err(reader::EncodingProblem {
            line: 3,
            byte: 3,
            value: 0xFF
        })
    );
    let gbk = encoding_rs::GB18030
        .encode("订单编号,收货地址\r\n")
        .0
        .into_owned();
    let utf16 = |big_endian: bool| -> Vec<u8> {
        "订单号,商品名称,订购数量\r\n281234567890,T恤,2\r\n"
            .encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    };
    let (le, be) = (utf16(false), utf16(true));
    let cases: &[(&[u8], Result<Encoding, ()>)] = &[
        // UTF-16 without a BOM: by the zero bytes on one side of its pairs.
        (&le, Ok(Encoding::Utf16Le)),
        (&be, Ok(Encoding::Utf16Be)),
        (b"\xEF\xBB\xBFName,Total\n", Ok(Encoding::Utf8)),
        ("订单编号,收货地址\n".as_bytes(), Ok(Encoding::Utf8)),
        (b"Name,Total\n", Ok(Encoding::Utf8)),
        (&gbk, Ok(Encoding::Gb18030)),
        // A multi-byte character cut at the end of the sample is still UTF-8.
        (&"订单编号".as_bytes()[..10], Ok(Encoding::Utf8)),
        (b"\xFF\xFEN\x00", Ok(Encoding::Utf16Le)),
        (b"\xFE\xFF\x00N", Ok(Encoding::Utf16Be)),
        // UTF-8 but for one byte: refused, not read as GB18030.
        (&almost, Err(())),
    ];
    for (bytes, expected) in cases {
        assert_eq!(
            reader::detect_encoding(bytes)
                .map(|d| d.encoding)
                .map_err(|_| ()),
            *expected,
            "{bytes:?}"
        );
    }
}

#[test]
fn big5_shift_jis_and_utf16_are_read_with_their_own_encoding() {
    // (fixture, encoding, a header and a cell as they must read)
    let cases = [
        (
            "supplier_big5.csv",
            Encoding::Big5,
            "訂單編號",
            "臺北市信義區市府路1號",
        ),
        (
            "supplier_sjis.csv",
            Encoding::ShiftJis,
            "注文番号",
            "東京都渋谷区神南一丁目二番三号",
        ),
        (
            "taobao_orders_gbk.csv",
            Encoding::Gb18030,
            "订单编号",
            "tb_lihua88",
        ),
    ];
    for (name, encoding, header, cell) in cases {
        let Ok((headers, rows, used)) = headers(&fixture(name), EncodingChoice::Auto) else {
            panic!("{name}: not read");
        };
        assert_eq!(used, encoding, "{name}");
        assert_eq!(headers[0], header, "{name}");
        assert!(rows.iter().flatten().any(|c| c == cell), "{name}: {rows:?}");
    }
    // Chosen by hand, the same.
    let Ok((headers_chosen, _, used)) =
        headers(&fixture("supplier_big5.csv"), EncodingChoice::Big5)
    else {
        panic!("not read as Big5");
    };
    assert_eq!(
        (headers_chosen[0].as_str(), used),
        ("訂單編號", Encoding::Big5)
    );
    // A spreadsheet's "Unicode text" save (UTF-16 with a BOM, tabs) reads like the CSV.
    let (Ok(csv), Ok(utf16)) = (
        parse_shopify(&fixture("shopify_orders.csv"), EncodingChoice::Auto, &go_on),
        parse_shopify(
            &fixture("shopify_orders_utf16.txt"),
            EncodingChoice::Auto,
            &go_on,
        ),
    ) else {
        panic!("Shopify export not read");
    };
    assert_eq!(utf16.encodings[0].1, Encoding::Utf16Le);
    assert!(utf16.guessed.is_empty());
    assert_eq!(csv.orders, utf16.orders);
    let lines = |p: &Parsed| {
        rejected(p)
            .into_iter()
            .map(|(_, line, column, message)| (line, column, message))
            .collect::<Vec<_>>()
    };
    assert_eq!(lines(&csv), lines(&utf16));
    assert_eq!(Encoding::Big5.name(), "Big5");
    assert_eq!(Encoding::ShiftJis.to_string(), "Shift-JIS");
}

#[test]
fn a_short_ambiguous_file_is_read_with_the_guess_and_said_to_be_one() {
    let Ok(dir) = tempfile::tempdir() else {
        panic!("no temp dir");
    };
    // Two Latin-1 letters: windows-1252 is only a guess.
    let path = dir.path().join("orders.csv");
    assert!(std::fs::write(&path, b"Name,Total\nJos\xE9,1\nRen\xE9e,2\n").is_ok());
    let Ok(detection) = reader::detect_encoding(b"Name,Total\nJos\xE9,1\nRen\xE9e,2\n") else {
        panic!("refused");
    };
    assert!(!detection.sure, "{detection:?}");
    let Ok(gbk) = std::fs::read(fixture("taobao_orders_gbk.csv")) else {
        panic!("fixture");
    };
    let Ok(detection) = reader::detect_encoding(&gbk) else {
        panic!("refused");
    };
    assert_eq!(
        detection,
        reader::Detection {
            encoding: Encoding::Gb18030,
            sure: true
        }
    );
}

#[test]
fn scientific_notation_is_refused_wherever_digits_matter() {
    let Ok(dir) = tempfile::tempdir() else {
        panic!("no temp dir");
    };
    // A fixture with one cell of line 2 as a spreadsheet re-saves it.
    let resaved = |name: &str, from: &str, to: &str| -> PathBuf {
        let Ok(text) = std::fs::read_to_string(fixture(name)) else {
            panic!("cannot read {name}");
        };
        assert!(text.contains(from), "{name}: no {from}");
        let path = dir.path().join(name);
        assert!(std::fs::write(&path, text.replacen(from, to, 1)).is_ok());
        path
    };
    let refused = |what: &str, rejected: &[RowError], start: &str, column: &str| {
        let found = rejected
            .iter()
            .filter(|e| e.message.starts_with(start))
            .map(|e| (e.line, e.column.as_str()))
            .collect::<Vec<_>>();
        assert_eq!(found, [(2, column)], "{what}: {rejected:#?}");
        assert!(
            rejected.iter().any(|e| e
                .message
                .contains("the file was re-saved by a spreadsheet, which rounded the number")),
            "{what}"
        );
    };
    let taobao_pair = |orders: PathBuf| {
        let Ok(parsed) = parse_taobao(
            &orders,
            &fixture("taobao_items_utf8.csv"),
            EncodingChoice::Auto,
            &go_on,
        ) else {
            panic!("Taobao pair not read");
        };
        assert!(!order_numbers(&parsed).contains(&"756842787424319996"));
        parsed
    };
    let parsed = taobao_pair(resaved(
        "taobao_orders_utf8.csv",
        "'13812345678",
        "1.38123E+10",
    ));
    refused(
        "Taobao phone",
        &parsed.rejected,
        "phone in scientific notation (\"1.38123E+10\")",
        "联系手机",
    );
    let parsed = taobao_pair(resaved(
        "taobao_orders_utf8.csv",
        "宽松,1,,",
        "宽松,1,7.53123E+13,",
    ));
    refused(
        "Taobao tracking",
        &parsed.rejected,
        "tracking number in scientific notation",
        "物流单号",
    );
    let path = resaved("shopify_orders.csv", "'+86 138 1234 5678", "8.61381E+12");
    let Ok(parsed) = parse_shopify(&path, EncodingChoice::Auto, &go_on) else {
        panic!("Shopify not read");
    };
    refused(
        "Shopify phone",
        &parsed.rejected,
        "phone in scientific notation",
        "Shipping Phone",
    );
    let path = resaved("generic_orders.csv", "'13811112222", "1.38111E+10");
    let Ok(parsed) = parse_mapped(&path, &generic_profile(), EncodingChoice::Auto, &go_on) else {
        panic!("mapped CSV not read");
    };
    refused(
        "mapped phone",
        &parsed.rejected,
        "phone in scientific notation",
        "手机",
    );
    let path = resaved("pdd_orders.csv", "13712345678", "1.37123E+10");
    let Ok(parsed) = parse_pdd(&path, EncodingChoice::Auto, &go_on) else {
        panic!("Pinduoduo not read");
    };
    refused(
        "Pinduoduo phone",
        &parsed.rejected,
        "phone in scientific notation",
        "手机",
    );
    let path = resaved("products.csv", "6901000000011;", "6.901E+12;");
    let Ok(parsed) = parse_products(&path, EncodingChoice::Auto, &go_on) else {
        panic!("products not read");
    };
    refused(
        "barcode",
        &parsed.rejected,
        "barcode in scientific notation (\"6.901E+12\")",
        "barcodes",
    );
}

#[test]
fn empty_and_unreadable_files() {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("{error}"),
    };
    let empty = dir.path().join("empty.csv");
    let bom_only = dir.path().join("bom.csv");
    let header_only = dir.path().join("header.csv");
    let written = std::fs::write(&empty, b"")
        .and_then(|()| std::fs::write(&bom_only, b"\xEF\xBB\xBF\r\n"))
        .and_then(|()| std::fs::write(&header_only, "订单编号,标题,价格,购买数量\r\n"));
    assert!(written.is_ok());
    for file in [&empty, &bom_only] {
        let result = parse_shopify(file, EncodingChoice::Auto, &go_on);
        assert!(
            matches!(result, Err(ImportError::Empty { .. })),
            "{result:?}"
        );
    }
    let missing = dir.path().join("nope.csv");
    let result = parse_shopify(&missing, EncodingChoice::Auto, &go_on);
    let Err(error) = result else {
        panic!("read a file that does not exist");
    };
    assert!(matches!(error, ImportError::Io { .. }));
    assert!(error.to_string().starts_with("cannot read "), "{error}");
    // The item report given twice: the hint says which file is missing.
    let result = parse_taobao(&header_only, &header_only, EncodingChoice::Auto, &go_on);
    let Err(error) = result else {
        panic!("accepted two item reports");
    };
    assert!(
        error.to_string().contains("looks like the item report"),
        "{error}"
    );
}

#[test]
fn generated_pair_parses_cleanly_and_progress_can_cancel() {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("{error}"),
    };
    let Ok((orders, items)) = generate_taobao_pair(dir.path(), 3000, 7) else {
        panic!("could not write the pair");
    };
    let parsed = match parse_taobao(&orders, &items, EncodingChoice::Auto, &go_on) {
        Ok(parsed) => parsed,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(parsed.rejected, vec![]);
    assert_eq!(parsed.orders.len(), 3000);
    let lines: usize = parsed.orders.iter().map(|o| o.lines.len()).sum();
    assert!(
        (5000..6000).contains(&lines),
        "about 1.8 lines per order: {lines}"
    );
    assert!(
        parsed
            .encodings
            .iter()
            .all(|(_, e)| *e == Encoding::Gb18030)
    );
    assert!(parsed.orders.iter().all(|o| o.order_no.len() == 18
        && !o.receiver_phone.starts_with('\'')
        && o.postcode.len() == 6
        && !o.province.is_empty()));
    // Same seed, same files.
    let again = dir.path().join("again");
    assert!(std::fs::create_dir(&again).is_ok());
    let Ok((orders2, _)) = generate_taobao_pair(&again, 3000, 7) else {
        panic!("could not write the pair again");
    };
    assert_eq!(std::fs::read(&orders).ok(), std::fs::read(&orders2).ok());

    let total = std::fs::metadata(&orders).map_or(0, |m| m.len())
        + std::fs::metadata(&items).map_or(0, |m| m.len());
    let seen = std::cell::Cell::new(0);
    let last = std::cell::Cell::new(0);
    let counting = |bytes: u64| {
        assert!(bytes >= last.get(), "progress goes forward");
        last.set(bytes);
        seen.set(seen.get() + 1);
        true
    };
    assert!(parse_taobao(&orders, &items, EncodingChoice::Auto, &counting).is_ok());
    assert!(seen.get() >= 2);
    assert_eq!(
        last.get(),
        total,
        "the last report is every byte of both files"
    );
    let cancel = |_: u64| false;
    let result = parse_taobao(&orders, &items, EncodingChoice::Auto, &cancel);
    assert!(matches!(result, Err(ImportError::Cancelled)), "{result:?}");
}

#[test]
fn taobao_old_layout_short_rows_and_zero_item_count() {
    // A 2006–2010 order report (27 columns, rows of 25 fields, 宝贝总数量 0).
    let parsed = taobao("taobao_orders_old.csv", "taobao_items_old.csv");
    assert_eq!(order_numbers(&parsed), ["200905010001", "200905010002"]);
    let short = order(&parsed, "200905010001");
    assert_eq!(short.lines.len(), 1);
    assert_eq!(short.goods_cents, 3000);
    assert_eq!(short.receiver_phone, "13800138000");
    assert_eq!(
        short.seller_remark,
        format!("{}0 ≠ 2（taobao_items_old.csv）", taobao::QUANTITY_REMARK)
    );
    assert_eq!(
        order(&parsed, "200905010002").seller_remark,
        format!("{}3 ≠ 2（taobao_items_old.csv）", taobao::QUANTITY_REMARK)
    );
    // A row that stops before a column the order needs: rejected, said once.
    assert_eq!(
        rejected(&parsed),
        [(
            "taobao_orders_old.csv".to_owned(),
            4,
            "订单创建时间".to_owned(),
            "has 17 fields but the header line has 27: the row stops before this column, \
             which the order needs"
                .to_owned()
        )]
    );
}

#[test]
fn a_binary_file_is_refused_as_such_and_a_long_header_line_is_said_short() {
    let dir = tempfile::tempdir().expect("dir");
    let binary = dir.path().join("photo.csv");
    let bytes: Vec<u8> = (0..3000u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(&binary, &bytes).expect("write");
    let err = parse_shopify(&binary, EncodingChoice::Auto, &go_on).expect_err("refused");
    assert!(matches!(err, ImportError::NotText { .. }), "{err}");
    assert!(err.to_string().len() < 300, "{err}");

    let wide = dir.path().join("wide.csv");
    let header: Vec<String> = (0..200)
        .map(|i| format!("{}{i}", "列".repeat(50)))
        .collect();
    std::fs::write(&wide, format!("{}\n1\n", header.join(","))).expect("write");
    let err = parse_shopify(&wide, EncodingChoice::Auto, &go_on).expect_err("refused");
    let text = err.to_string();
    assert!(text.contains("(200 in all)"), "{text}");
    assert!(
        text.chars().count() < 60 * 45 + 400,
        "{}",
        text.chars().count()
    );
}

#[test]
fn products_and_cart_lines_say_when_their_encoding_is_a_guess() {
    let dir = tempfile::tempdir().expect("dir");
    // Latin-1 text: not UTF-8, not CJK: the detector's answer is a guess.
    let latin = dir.path().join("latin.csv");
    let mut bytes = b"code,name\nCAFE-1,Caf".to_vec();
    bytes.extend_from_slice(&[0xE9, b' ', b'c', b'r', 0xE8, b'm', b'e', b'\n']);
    std::fs::write(&latin, &bytes).expect("write");
    let products = parse_products(&latin, EncodingChoice::Auto, &go_on).expect("parsed");
    assert!(products.encoding_guessed, "{:?}", products.encoding);
    let cart = cart::read_cart(&latin).expect("read");
    assert!(cart.guessed.is_some());
    // A UTF-8 file is sure.
    let plain = dir.path().join("plain.csv");
    std::fs::write(&plain, "code,name\nCUP,杯子\n").expect("write");
    let products = parse_products(&plain, EncodingChoice::Auto, &go_on).expect("parsed");
    assert!(!products.encoding_guessed);
    assert_eq!(cart::read_cart(&plain).expect("read").guessed, None);
}

/// A cell that does not decode, under a blank header, is named by its place: every
/// rejection names a column (found by fuzzing).
#[test]
fn a_bad_cell_under_a_blank_header_is_named_by_its_place() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("products.csv");
    std::fs::write(&file, b"code,name,\nCUP,Cup,\xff\xfe\n").expect("write");
    let parsed = parse_products(&file, EncodingChoice::Utf8, &go_on).expect("parse");
    let columns: Vec<&str> = parsed.rejected.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(columns, ["column 3"], "{:?}", parsed.rejected);
}
