//! JD, Pinduoduo and Douyin exports (fixtures/README.md), one test per quirk, exact values;
//! the status tables; format detection by header line.

use std::path::{Path, PathBuf};

use super::tests::{fixture, go_on, line, order, order_numbers, rejected};
use super::*;
use crate::domain::{Flag, OrderState, PaymentStatus};

fn parsed(
    parse: fn(&Path, EncodingChoice, Progress<'_>) -> Result<Parsed, ImportError>,
    name: &str,
) -> Parsed {
    match parse(&fixture(name), EncodingChoice::Auto, &go_on) {
        Ok(parsed) => parsed,
        Err(error) => panic!("{name}: {error}"),
    }
}

fn jd() -> Parsed {
    parsed(parse_jd, "jd_orders.csv")
}

fn pdd() -> Parsed {
    parsed(parse_pdd, "pdd_orders.csv")
}

fn douyin() -> Parsed {
    parsed(parse_douyin, "douyin_orders.csv")
}

fn row(file: &str, line: u64, column: &str, message: &str) -> (String, u64, String, String) {
    (file.to_owned(), line, column.to_owned(), message.to_owned())
}

// ---- JD ------------------------------------------------------------------------------

#[test]
fn jd_gbk_export_one_row_per_line_grouped_into_orders() {
    let parsed = jd();
    assert_eq!(parsed.encodings[0].1, Encoding::Gb18030);
    assert_eq!(parsed.rejected, vec![]);
    assert_eq!(
        order_numbers(&parsed),
        [
            "281234567890",
            "281234567891",
            "281234567892",
            "281234567893",
            "281234567894",
            "281234567895",
            "281234567896"
        ]
    );
    let o = order(&parsed, "281234567890");
    assert_eq!(o.platform, "jd");
    assert_eq!(
        o.lines,
        [
            line("TS-WHITE-L", "纯棉短袖T恤 白色 L", "", 2, 5900),
            line("BAG-01-NAVY", "帆布托特包", "", 1, 8900),
        ]
    );
    assert_eq!(o.ordered_at, "2026-11-20T10:15:00+08:00");
    assert_eq!(o.paid_at.as_deref(), Some("2026-11-20T10:16:00+08:00"));
    assert_eq!(o.buyer_id, "jd_zhangwei");
    assert_eq!(o.buyer_message, "周末送货");
}

#[test]
fn jd_amounts_per_line_and_the_order_payable_from_its_first_row() {
    let parsed = jd();
    let o = order(&parsed, "281234567890");
    assert_eq!(
        (
            o.goods_cents,
            o.postage_cents,
            o.discount_cents,
            o.paid_cents
        ),
        (20700, 1000, 2000, 19700)
    );
    assert_eq!(o.payment_status, PaymentStatus::Paid);
    // 余额支付 20.00 + 应付金额 79.00: the buyer paid 99.00, no discount.
    let o = order(&parsed, "281234567892");
    assert_eq!(
        (o.goods_cents, o.discount_cents, o.paid_cents),
        (9900, 0, 9900)
    );
}

#[test]
fn jd_one_string_address_read_by_the_division_table() {
    let parsed = jd();
    let o = order(&parsed, "281234567890");
    assert_eq!(
        (o.province.as_str(), o.city.as_str(), o.district.as_str()),
        ("北京市", "北京市", "朝阳区")
    );
    assert!(o.address.contains("建国路88号"), "{}", o.address);
    assert!(o.address.contains("SOHO现代城5号楼1201"), "{}", o.address);
    let o = order(&parsed, "281234567891");
    assert_eq!(
        (o.province.as_str(), o.city.as_str(), o.district.as_str()),
        ("上海市", "上海市", "浦东新区")
    );
    assert_eq!(o.receiver_phone, "13800001111", "apostrophe dropped");
}

#[test]
fn jd_statuses_remark_level_deleted_locked_and_cancelled_after_payment() {
    let parsed = jd();
    let o = order(&parsed, "281234567890");
    assert_eq!((o.state, o.flag), (OrderState::PendingReview, Flag::Red));
    assert_eq!(o.seller_remark, "加急");
    assert_eq!(o.platform_status, "等待出库");
    let o = order(&parsed, "281234567891");
    assert_eq!(
        (o.state, o.payment_status, o.paid_cents),
        (OrderState::PendingReview, PaymentStatus::Unpaid, 0)
    );
    let o = order(&parsed, "281234567892");
    assert_eq!(o.state, OrderState::Shipped);
    let o = order(&parsed, "281234567893");
    assert_eq!((o.state, o.on_hold), (OrderState::PendingReview, true));
    assert_eq!(o.seller_remark, jd::DELETED_REMARK);
    assert_eq!(o.platform_status, "(删除)等待出库");
    let o = order(&parsed, "281234567894");
    assert_eq!(
        (o.state, o.payment_status, o.refunded_cents),
        (OrderState::Cancelled, PaymentStatus::Refunded, 3900)
    );
    let o = order(&parsed, "281234567896");
    assert!(o.on_hold);
    assert!(
        o.seller_remark.contains("京东订单状态：锁定"),
        "{}",
        o.seller_remark
    );
}

#[test]
fn jd_masked_phone_is_kept_and_flagged_not_rejected() {
    let parsed = jd();
    let o = order(&parsed, "281234567895");
    assert_eq!(o.receiver_phone, "139****5678");
    assert_eq!(o.flag, Flag::Yellow);
    assert_eq!(o.seller_remark, rows::MASKED_PHONE_REMARK);
}

#[test]
fn jd_bad_rows_each_reported_once_and_their_orders_left_out() {
    let parsed = parsed(parse_jd, "jd_orders_bad.csv");
    assert_eq!(order_numbers(&parsed), ["281234567902"]);
    let file = "jd_orders_bad.csv";
    let got = rejected(&parsed);
    assert_eq!(got.len(), 5, "{got:#?}");
    assert_eq!(got[0].0, file);
    assert_eq!((got[0].1, got[0].2.as_str()), (2, "订单状态"));
    assert!(got[0].3.starts_with("unknown order status \"等待审核\""));
    assert_eq!(
        got[1],
        row(
            file,
            4,
            "订购数量",
            "expected a whole number of items like 1, found \"两\""
        )
    );
    assert_eq!(
        got[2],
        row(
            file,
            6,
            "订单号",
            "order 281234567901 appears again after other orders (first on line 3); neither \
             is imported"
        )
    );
    assert_eq!((got[3].1, got[3].2.as_str()), (7, "订单号"));
    assert!(got[3].3.contains("scientific notation"));
    assert_eq!(
        got[4],
        row(
            file,
            8,
            "应付金额",
            "the buyer pays 500.00 but goods 49.00 and postage 0.00 come to only 49.00"
        )
    );
}

#[test]
fn jd_status_table() {
    for (text, expected) in [
        (
            "等待出库",
            Some((OrderState::PendingReview, PaymentStatus::Paid, false)),
        ),
        (
            "（删除）等待出库",
            Some((OrderState::PendingReview, PaymentStatus::Paid, true)),
        ),
        (
            "等待确认收货",
            Some((OrderState::Shipped, PaymentStatus::Paid, false)),
        ),
        (
            "配送退货",
            Some((OrderState::Cancelled, PaymentStatus::Refunded, false)),
        ),
        ("等待审核", None),
    ] {
        assert_eq!(jd::jd_status(text), expected, "{text}");
    }
    assert_eq!(jd::jd_flag("1"), Flag::Red);
    assert_eq!(jd::jd_flag("等级5"), Flag::Purple);
    assert_eq!(jd::jd_flag(""), Flag::None);
}

// ---- Pinduoduo -----------------------------------------------------------------------

#[test]
fn pdd_yuan_headers_leading_tabs_and_split_address() {
    let parsed = pdd();
    assert_eq!(parsed.rejected, vec![]);
    assert_eq!(parsed.orders.len(), 7);
    let o = order(&parsed, "231120-100000000000001");
    assert_eq!(o.platform, "pinduoduo");
    assert_eq!(o.receiver_phone, "13712345678", "leading tab trimmed");
    assert_eq!(
        (
            o.province.as_str(),
            o.city.as_str(),
            o.district.as_str(),
            o.address.as_str()
        ),
        (
            "广东省",
            "深圳市",
            "南山区",
            "粤海街道 科技园南路 2号 A座 501"
        )
    );
    assert_eq!(
        o.lines,
        [line(
            "PJ-PINK-L",
            "加厚珊瑚绒睡衣 女冬季",
            "粉色,L",
            1,
            8990
        )]
    );
    // 商品总价 89.90, 用户实付金额（元） 81.90: the shop's and the platform's 8.00 off.
    assert_eq!(
        (o.goods_cents, o.discount_cents, o.paid_cents),
        (8990, 800, 8190)
    );
    assert_eq!(o.ordered_at, "2026-11-20T10:15:00+08:00");
    assert_eq!(o.buyer_message, "要粉色的");
    assert_eq!((o.state, o.flag), (OrderState::PendingReview, Flag::None));
}

#[test]
fn pdd_divisions_normalised_through_the_table() {
    let parsed = pdd();
    let o = order(&parsed, "231120-100000000000004");
    assert_eq!(
        (o.province.as_str(), o.city.as_str(), o.district.as_str()),
        ("浙江省", "杭州市", "西湖区")
    );
}

#[test]
fn pdd_sku_dimension_code_then_product_code() {
    let parsed = pdd();
    assert_eq!(
        order(&parsed, "231120-100000000000003").lines[0].sku,
        "SLIPPER"
    );
    assert_eq!(
        order(&parsed, "231120-100000000000004").lines[0].sku,
        "CUP-W"
    );
}

#[test]
fn pdd_masked_phone_kept_and_flagged() {
    let parsed = pdd();
    let o = order(&parsed, "231120-100000000000004");
    assert_eq!(o.receiver_phone, "135****4321");
    assert_eq!(o.receiver_name, "黄**");
    assert_eq!(o.flag, Flag::Yellow);
    assert_eq!(o.seller_remark, rows::MASKED_PHONE_REMARK);
}

#[test]
fn pdd_statuses_and_after_sales() {
    let parsed = pdd();
    let o = order(&parsed, "231120-100000000000002");
    assert_eq!(
        (o.state, o.payment_status, o.paid_at.as_deref()),
        (OrderState::PendingReview, PaymentStatus::Unpaid, None)
    );
    assert_eq!(o.ordered_at, "2026-11-20T11:00:00+08:00", "订单成交时间");
    let o = order(&parsed, "231120-100000000000003");
    assert_eq!(
        (o.state, o.courier.as_str(), o.tracking_no.as_str()),
        (OrderState::Shipped, "圆通快递", "YT1234567890123")
    );
    assert_eq!((o.postage_cents, o.paid_cents), (500, 3000));
    let o = order(&parsed, "231120-100000000000005");
    assert_eq!(
        (o.state, o.payment_status, o.refunded_cents),
        (OrderState::Shipped, PaymentStatus::Refunded, 3900)
    );
    let o = order(&parsed, "231120-100000000000006");
    assert_eq!((o.state, o.flag), (OrderState::PendingReview, Flag::Purple));
    assert!(
        o.on_hold,
        "a refund asked and not settled: not shipped meanwhile"
    );
    assert_eq!(o.payment_status, PaymentStatus::Paid);
    assert_eq!(o.seller_remark, "老客户; 售后：退款中");
}

#[test]
fn pdd_goods_total_exact_when_the_unit_price_does_not_divide() {
    let parsed = pdd();
    let o = order(&parsed, "231120-100000000000007");
    assert_eq!(o.lines[0].quantity, 3);
    assert_eq!(o.lines[0].unit_price_cents, 333);
    assert_eq!(
        (o.goods_cents, o.discount_cents, o.paid_cents),
        (1000, 0, 1000)
    );
}

#[test]
fn pdd_bad_rows_each_reported_once() {
    let parsed = parsed(parse_pdd, "pdd_orders_bad.csv");
    assert_eq!(order_numbers(&parsed), ["231120-900000000000005"]);
    let got = rejected(&parsed);
    let at: Vec<(u64, &str)> = got.iter().map(|r| (r.1, r.2.as_str())).collect();
    assert_eq!(
        at,
        [
            (2, "订单状态"),
            (3, "用户实付金额（元）"),
            (4, "订单成交时间"),
            (5, "商品数量(件)")
        ]
    );
}

#[test]
fn pdd_newer_layout_statuses_after_sales_and_thousands() {
    let parsed = parsed(parse_pdd, "pdd_orders_newer.csv");
    assert_eq!(parsed.rejected, vec![]);
    assert_eq!(parsed.orders.len(), 6);
    let o = order(&parsed, "231201-200000000000001");
    assert_eq!(
        (o.state, o.payment_status, o.goods_cents, o.paid_cents),
        (OrderState::Shipped, PaymentStatus::Paid, 129_900, 127_900),
        "已发货，待收货 and 1,299.00"
    );
    assert_eq!(o.lines[0].sku, "HEAT-2000-W", "商家编码-规格维度");
    assert_eq!(o.discount_cents, 2000);
    // A withdrawn or failed after-sales request changes nothing.
    for no in ["231201-200000000000002", "231201-200000000000006"] {
        let o = order(&parsed, no);
        assert_eq!((o.flag, o.seller_remark.as_str()), (Flag::None, ""), "{no}");
        assert_eq!(o.payment_status, PaymentStatus::Paid, "{no}");
    }
    let o = order(&parsed, "231201-200000000000003");
    assert_eq!(
        (o.state, o.payment_status),
        (OrderState::Shipped, PaymentStatus::Refunded)
    );
    let o = order(&parsed, "231201-200000000000004");
    assert_eq!(
        (o.state, o.payment_status),
        (OrderState::Cancelled, PaymentStatus::Refunded)
    );
    let o = order(&parsed, "231201-200000000000005");
    assert_eq!(
        (o.flag, o.payment_status, o.seller_remark.as_str()),
        (Flag::None, PaymentStatus::Paid, "售后：换货成功"),
        "an exchange sent is a remark, not a return in progress"
    );
    assert_eq!(o.lines[0].sku, "HEAT", "falls back to 商家编码-商品维度");
}

#[test]
fn pdd_status_table() {
    for (text, expected) in [
        (
            "待发货",
            Some((OrderState::PendingReview, PaymentStatus::Paid)),
        ),
        (
            "已发货，待签收",
            Some((OrderState::Shipped, PaymentStatus::Paid)),
        ),
        (
            "已发货,待签收",
            Some((OrderState::Shipped, PaymentStatus::Paid)),
        ),
        (
            "未发货，退款成功",
            Some((OrderState::Cancelled, PaymentStatus::Refunded)),
        ),
        (
            "已取消",
            Some((OrderState::Cancelled, PaymentStatus::Unpaid)),
        ),
        (
            "已发货，待收货",
            Some((OrderState::Shipped, PaymentStatus::Paid)),
        ),
        ("已收货", Some((OrderState::Shipped, PaymentStatus::Paid))),
        (
            "已收货，退款成功",
            Some((OrderState::Shipped, PaymentStatus::Refunded)),
        ),
        (
            "已取消，退款成功",
            Some((OrderState::Cancelled, PaymentStatus::Refunded)),
        ),
        ("待审核", None),
    ] {
        assert_eq!(pdd::pdd_status(text), expected, "{text}");
    }
}

// ---- Douyin --------------------------------------------------------------------------

#[test]
fn douyin_sub_orders_grouped_with_per_row_payable() {
    let parsed = douyin();
    assert_eq!(parsed.rejected, vec![]);
    assert_eq!(parsed.orders.len(), 6);
    let o = order(&parsed, "6912345678901234567");
    assert_eq!(o.platform, "douyin");
    assert_eq!(
        o.lines,
        [
            line("WY-BLK-XL", "冬季加绒卫衣 男", "黑色;XL", 1, 12900),
            line("SOCK5", "运动袜 5双装", "白色", 2, 1990),
        ]
    );
    // Goods 168.80 + postage 6.00 = 174.80; paid 125.00 + 39.80 = 164.80.
    assert_eq!(
        (
            o.goods_cents,
            o.postage_cents,
            o.discount_cents,
            o.paid_cents
        ),
        (16880, 600, 1000, 16480)
    );
    assert_eq!(
        (
            o.province.as_str(),
            o.city.as_str(),
            o.district.as_str(),
            o.address.as_str()
        ),
        ("江苏省", "南京市", "建邺区", "沙洲街道 江东中路 100号 3栋")
    );
}

#[test]
fn douyin_flag_colour_kept_and_masked_phone_remarked() {
    let parsed = douyin();
    let o = order(&parsed, "6912345678901234567");
    assert_eq!(o.flag, Flag::Red);
    assert_eq!(o.receiver_phone, "138****1234");
    assert_eq!(
        o.seller_remark,
        format!("送小礼物; {}", rows::MASKED_PHONE_REMARK)
    );
}

#[test]
fn douyin_tab_prefixed_number_and_street_put_before_the_detail() {
    let parsed = douyin();
    let o = order(&parsed, "6912345678901234568");
    assert_eq!(
        (o.state, o.payment_status),
        (OrderState::PendingReview, PaymentStatus::Unpaid)
    );
    let o = order(&parsed, "6912345678901234569");
    assert_eq!(o.address, "张江镇 碧波路 690号");
    assert_eq!(
        (o.state, o.courier.as_str(), o.tracking_no.as_str()),
        (OrderState::Shipped, "中通快递", "78912345678901")
    );
}

#[test]
fn douyin_closed_after_payment_and_after_sales() {
    let parsed = douyin();
    let o = order(&parsed, "6912345678901234570");
    assert_eq!(
        (o.state, o.payment_status, o.refunded_cents),
        (OrderState::Cancelled, PaymentStatus::Refunded, 3900)
    );
    let o = order(&parsed, "6912345678901234580");
    assert_eq!(
        (o.state, o.payment_status),
        (OrderState::Shipped, PaymentStatus::Refunded)
    );
    let o = order(&parsed, "6912345678901234590");
    assert_eq!(o.flag, Flag::Purple);
    assert!(o.on_hold);
    assert_eq!(o.seller_remark, "售后：售后处理中");
}

#[test]
fn douyin_layout_with_one_address_column_express_info_and_other_flag_colours() {
    let parsed = parsed(parse_douyin, "douyin_orders_newer.csv");
    assert_eq!(parsed.rejected, vec![]);
    assert_eq!(parsed.orders.len(), 3);
    let o = order(&parsed, "6920000000000000001");
    assert_eq!(
        (
            o.province.as_str(),
            o.city.as_str(),
            o.district.as_str(),
            o.address.as_str()
        ),
        ("四川省", "成都市", "武侯区", "人民南路四段 1号"),
        "收件地址 read by the division table"
    );
    assert_eq!(
        (o.courier.as_str(), o.tracking_no.as_str()),
        ("中通快递", "78900000000001"),
        "快递信息"
    );
    assert_eq!((o.goods_cents, o.paid_cents), (109_900, 109_900));
    assert_eq!(
        (o.flag, o.seller_remark.as_str()),
        (Flag::None, "抖店旗帜：橙"),
        "a colour we do not have is said in words"
    );
    let o = order(&parsed, "6920000000000000002");
    assert_eq!(
        (o.courier.as_str(), o.tracking_no.as_str()),
        ("圆通速递", "YT8800000000002")
    );
    assert_eq!(
        o.seller_remark,
        "快递信息：圆通速递，YT8800000000002；韵达快递，4300000000002; 抖店旗帜：青",
        "a second parcel is kept in a remark"
    );
    assert_eq!(o.flag, Flag::None);
    assert_eq!(o.state, OrderState::Shipped);
    let o = order(&parsed, "6920000000000000003");
    assert_eq!((o.flag, o.tracking_no.as_str()), (Flag::None, ""));
    assert_eq!(
        (o.province.as_str(), o.city.as_str(), o.district.as_str()),
        ("广东省", "广州市", "天河区")
    );
}

/// A Douyin file derived from a fixture with one text replaced, parsed.
fn douyin_changed(fixture_name: &str, from: &str, to: &str) -> Parsed {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(fixture(fixture_name)).expect("fixture");
    let changed = text.replacen(from, to, 1);
    assert_ne!(changed, text, "{from}");
    let file = dir.path().join("douyin_changed.csv");
    std::fs::write(&file, changed).expect("write");
    parse_douyin(&file, EncodingChoice::Auto, &go_on).expect("parse")
}

#[test]
fn douyin_blank_divisions_in_a_file_that_has_their_columns_stay_blank() {
    // Not read by the division table, which would take 南京 for the city.
    let parsed = douyin_changed(
        "douyin_orders.csv",
        "湖北省,武汉市,洪山区,,珞喻路 1号",
        ",,,,南京西路 100号",
    );
    let o = order(&parsed, "6912345678901234590");
    assert_eq!(
        (
            o.province.as_str(),
            o.city.as_str(),
            o.district.as_str(),
            o.address.as_str()
        ),
        ("", "", "", "南京西路 100号")
    );
}

#[test]
fn douyin_express_info_in_scientific_notation_is_refused() {
    let parsed = douyin_changed(
        "douyin_orders_newer.csv",
        "中通快递;78900000000001",
        "7.89E+13",
    );
    assert_eq!(parsed.orders.len(), 2);
    let got = rejected(&parsed);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].1, got[0].2.as_str()), (2, "快递信息"));
    assert!(got[0].3.contains("scientific notation"), "{}", got[0].3);
}

#[test]
fn a_negative_amount_is_a_row_error_not_a_figure() {
    let parsed = douyin_changed("douyin_orders_newer.csv", "399.00,399.00", "399.00,-399.00");
    assert_eq!(
        rejected(&parsed),
        [row(
            "douyin_changed.csv",
            3,
            "订单应付金额",
            "expected an amount of 0 or more like 34.00, found \"-399.00\""
        )]
    );
    assert_eq!(parsed.orders.len(), 2);
}

#[test]
fn douyin_bad_rows_each_reported_once() {
    let parsed = parsed(parse_douyin, "douyin_orders_bad.csv");
    assert_eq!(order_numbers(&parsed), ["6912345678900000004"]);
    let got = rejected(&parsed);
    let at: Vec<(u64, &str)> = got.iter().map(|r| (r.1, r.2.as_str())).collect();
    assert_eq!(at, [(2, "订单状态"), (4, "商品数量"), (5, "商品单价")]);
}

// ---- Detection -----------------------------------------------------------------------

fn headers(text: &str) -> Vec<String> {
    text.split(',').map(str::to_owned).collect()
}

#[test]
fn detect_kind_table() {
    use FileKind::*;
    let cases: [(&str, &[FileKind]); 10] = [
        (
            "订单编号,买家会员名,买家实际支付金额,订单状态,收货地址",
            &[TaobaoOrders],
        ),
        ("订单编号,标题,价格,购买数量,商家编码", &[TaobaoItems]),
        (
            "Name,Email,Financial Status,Lineitem name,Lineitem price",
            &[Shopify],
        ),
        ("订单号,商品名称,订购数量,京东价,客户地址", &[Jd]),
        ("订单号,商品名称,订购数量,京东价", &[Jd]),
        ("商品,订单号,商品总价(元),用户实付金额（元）", &[Pinduoduo]),
        ("主订单编号,子订单编号,选购商品,商品数量", &[Douyin]),
        ("商品,订单号,商家编码-规格维度", &[Pinduoduo]),
        ("订单号,收货人,手机,收货地址", &[]),
        ("订单号,客户地址,商家编码-SKU维度", &[Jd, Pinduoduo]),
    ];
    for (header, expected) in cases {
        assert_eq!(detect_kind(&headers(header)), expected, "{header}");
    }
}

#[test]
fn detect_format_of_file_sets() {
    let file = |name: &str, header: &str| (PathBuf::from(name), headers(header));
    let orders = file("o.csv", "订单编号,买家会员名,收货地址");
    let items = file("i.csv", "订单编号,标题,购买数量");
    let jd = file("jd.csv", "订单号,客户地址");
    let unknown = file("x.csv", "a,b");
    let both = file("both.csv", "订单号,客户地址,商家编码-SKU维度");

    let detected = detect_format(&[items.clone(), orders.clone()]);
    assert!(
        matches!(&detected, Ok(d) if d.kind == FileKind::TaobaoOrders
            && d.files == [PathBuf::from("o.csv"), PathBuf::from("i.csv")]),
        "{detected:?}"
    );
    let detected = detect_format(std::slice::from_ref(&jd));
    assert!(
        matches!(&detected, Ok(d) if d.kind == FileKind::Jd),
        "{detected:?}"
    );
    for (files, says) in [
        (vec![orders.clone()], "give its item report"),
        (vec![unknown], "cannot tell which export"),
        (vec![both], "fits several exports: JD"),
        (vec![orders, jd], "not one import"),
    ] {
        match detect_format(&files) {
            Err(error) => assert!(error.to_string().contains(says), "{error}"),
            Ok(d) => panic!("{files:?} detected as {d:?}"),
        }
    }
}

#[test]
fn a_header_line_that_fits_no_export_says_what_it_comes_closest_to() {
    for (name, says) in [
        (
            "taobao_orders_missing_column.csv",
            "it comes closest to the Taobao order report (ExportOrderList), which also needs \
             the column(s) 收货地址; check that the first line",
        ),
        ("taobao_refunds_gbk.csv", "this is a refund report"),
        ("products.csv", "this is a product list"),
    ] {
        let found = match super::headers(&fixture(name), EncodingChoice::Auto) {
            Ok((found, _, _)) => found,
            Err(error) => panic!("{name}: {error}"),
        };
        match detect_format(&[(fixture(name), found)]) {
            Err(error) => assert!(error.to_string().contains(says), "{name}: {error}"),
            Ok(d) => panic!("{name} detected as {d:?}"),
        }
    }
}

#[test]
fn detect_every_marketplace_fixture() {
    for (name, kind) in [
        ("jd_orders.csv", FileKind::Jd),
        ("pdd_orders.csv", FileKind::Pinduoduo),
        ("pdd_orders_newer.csv", FileKind::Pinduoduo),
        ("douyin_orders.csv", FileKind::Douyin),
        ("douyin_orders_newer.csv", FileKind::Douyin),
        ("shopify_orders.csv", FileKind::Shopify),
        ("taobao_orders_gbk.csv", FileKind::TaobaoOrders),
        ("taobao_items_utf8.csv", FileKind::TaobaoItems),
    ] {
        let found = match super::headers(&fixture(name), EncodingChoice::Auto) {
            Ok((found, _, _)) => found,
            Err(error) => panic!("{name}: {error}"),
        };
        assert_eq!(detect_kind(&found), [kind], "{name}");
    }
}
