//! JD (京东) POP merchant order export: one row per order line, the order's fields repeated
//! on each of its rows (read from the first; see [`super::rows`]). Usually GBK. Platform
//! `jd`.
//!
//! The layout is the one public importers and sample files show (../shared/EXPORTS.md,
//! marked indicative there): columns by header name, any order, missing optional columns
//! empty. Required: 订单号, 商品名称, 订购数量, 京东价, 订单状态, 客户姓名, 客户地址, 联系电话,
//! 下单时间.
//!
//! | column | becomes |
//! |---|---|
//! | 订单号 | `order_no` (digits; `="…"` unwrapped; scientific notation refused) |
//! | 下单帐号 | `buyer_id` |
//! | 客户姓名 / 联系电话 | `receiver_name` / `receiver_phone` (`'` dropped; a masked number is kept and flagged) |
//! | 客户地址 | one string, read by `domain::address::parse_address` (the manual-order reader): province, city, district, street, postcode |
//! | 商品名称, 订购数量, 京东价 | the line: title, quantity, unit price |
//! | 商家SKUID, else 货号, else 商品ID | line `sku` |
//! | 运费金额 | `postage_cents` (the order's, from its first row) |
//! | 应付金额 + 余额支付 | what the buyer pays for the order (first row); discount = goods + postage − it; when both are absent, no discount |
//! | 订单状态 | `state`, payment by the table below; the text kept in `platform_status` |
//! | 下单时间 / 付款确认时间 | `ordered_at` / `paid_at`, China time |
//! | 订单备注 | `buyer_message` (JD's 订单备注 is the buyer's) |
//! | 商家备注 / 商家备注等级（等级1-5为由高到低） | `seller_remark` / `flag`: 1 red, 2 yellow, 3 green, 4 blue, 5 purple (JD's flag colours) |
//! | 快递公司 / 运单号 | `courier` / `tracking_no` when the export has them |
//!
//! | 订单状态 | state | payment |
//! |---|---|---|
//! | 等待付款, 等待付款确认 | pending_review | unpaid |
//! | 等待出库, 等待发货, 等待打包, 等待厂商处理 | pending_review | paid |
//! | 锁定, 暂停 | pending_review, on hold, remark `京东订单状态：锁定` | paid |
//! | 等待确认收货, 已发货, 完成, 已完成 | shipped | paid |
//! | 已取消, 取消, 订单取消 | cancelled | unpaid (refunded when it has a 付款确认时间) |
//! | 配送退货 | cancelled | refunded |
//!
//! A `(删除)` in front of a status (an order the seller deleted in JD's back office) is
//! read as the status after it, and the order is put on hold with a remark, so that it is
//! looked at before anything ships.

use super::address::split_divisions;
use super::cells::{clean, grouped_money, grouped_money_or_zero, order_number, quantity};
use super::reader::{Column, ColumnSpec, Row, spec};
use super::rows::{
    Common, Head, Line, RowFormat, add_remark, first_filled, lookup_status, parse_rows,
    read_status, refund_if_paid, settle,
};
use super::{EncodingChoice, ImportError, Parsed, Progress};
use crate::domain::model::{NewOrder, NewOrderLine};
use crate::domain::{Flag, OrderState, PaymentStatus};

/// The platform code of these orders.
pub const PLATFORM: &str = "jd";

/// Every known status text and what it maps to (payment before refunds).
pub const JD_STATUSES: [(&str, OrderState, PaymentStatus); 17] = [
    ("等待付款", OrderState::PendingReview, PaymentStatus::Unpaid),
    (
        "等待付款确认",
        OrderState::PendingReview,
        PaymentStatus::Unpaid,
    ),
    ("等待出库", OrderState::PendingReview, PaymentStatus::Paid),
    ("等待发货", OrderState::PendingReview, PaymentStatus::Paid),
    ("等待打包", OrderState::PendingReview, PaymentStatus::Paid),
    (
        "等待厂商处理",
        OrderState::PendingReview,
        PaymentStatus::Paid,
    ),
    ("锁定", OrderState::PendingReview, PaymentStatus::Paid),
    ("暂停", OrderState::PendingReview, PaymentStatus::Paid),
    ("等待确认收货", OrderState::Shipped, PaymentStatus::Paid),
    ("已发货", OrderState::Shipped, PaymentStatus::Paid),
    ("完成", OrderState::Shipped, PaymentStatus::Paid),
    ("已完成", OrderState::Shipped, PaymentStatus::Paid),
    ("已取消", OrderState::Cancelled, PaymentStatus::Unpaid),
    ("取消", OrderState::Cancelled, PaymentStatus::Unpaid),
    ("订单取消", OrderState::Cancelled, PaymentStatus::Unpaid),
    ("配送退货", OrderState::Cancelled, PaymentStatus::Refunded),
    ("退款成功", OrderState::Cancelled, PaymentStatus::Refunded),
];

/// The remark of an order JD lists as deleted.
pub const DELETED_REMARK: &str = "京东后台已删除此订单 / deleted in JD's back office";

/// Maps a JD status text to (state, payment before refunds, deleted); `None` when unknown.
pub fn jd_status(text: &str) -> Option<(OrderState, PaymentStatus, bool)> {
    let trimmed = text.trim();
    let (rest, deleted) = ["(删除)", "（删除）"]
        .iter()
        .find_map(|p| trimmed.strip_prefix(p))
        .map_or((trimmed, false), |rest| (rest, true));
    lookup_status(&JD_STATUSES, rest).map(|(state, payment)| (state, payment, deleted))
}

mod col {
    pub const NO: usize = 0;
    pub const TITLE: usize = 1;
    pub const QUANTITY: usize = 2;
    pub const PRICE: usize = 3;
    pub const STATUS: usize = 4;
    pub const RECEIVER: usize = 5;
    pub const ADDRESS: usize = 6;
    pub const PHONE: usize = 7;
    pub const CREATED: usize = 8;
    pub const PAID: usize = 9;
    pub const BUYER: usize = 10;
    pub const PAYABLE: usize = 11;
    pub const BALANCE: usize = 12;
    pub const POSTAGE: usize = 13;
    pub const MESSAGE: usize = 14;
    pub const REMARK: usize = 15;
    pub const REMARK_LEVEL: usize = 16;
    pub const SKU: usize = 17;
    pub const ARTICLE: usize = 18;
    pub const PRODUCT_ID: usize = 19;
    pub const COURIER: usize = 20;
    pub const TRACKING: usize = 21;
}

pub(crate) const COLUMNS: [ColumnSpec; 22] = [
    spec(&["订单号", "订单编号"], true),
    spec(&["商品名称"], true),
    spec(&["订购数量", "商品数量"], true),
    spec(&["京东价", "单价"], true),
    spec(&["订单状态"], true),
    spec(&["客户姓名", "收货人"], true),
    spec(&["客户地址", "收货地址"], true),
    spec(&["联系电话", "手机号"], true),
    spec(&["下单时间"], true),
    spec(&["付款确认时间", "支付时间"], false),
    spec(&["下单帐号", "下单账号"], false),
    spec(&["应付金额"], false),
    spec(&["余额支付"], false),
    spec(&["运费金额", "运费"], false),
    spec(&["订单备注"], false),
    spec(&["商家备注"], false),
    spec(
        &[
            "商家备注等级（等级1-5为由高到低）",
            "商家备注等级(等级1-5为由高到低)",
            "商家备注等级",
        ],
        false,
    ),
    spec(&["商家SKUID", "商家SKU ID"], false),
    spec(&["货号"], false),
    spec(&["商品ID"], false),
    spec(&["快递公司", "承运商"], false),
    spec(&["运单号", "快递单号"], false),
];

/// JD's remark level (1–5, highest first) as the flag of that colour in JD's back office.
pub fn jd_flag(level: &str) -> Flag {
    match level.trim().trim_start_matches("等级") {
        "1" => Flag::Red,
        "2" => Flag::Yellow,
        "3" => Flag::Green,
        "4" => Flag::Blue,
        "5" => Flag::Purple,
        _ => Flag::None,
    }
}

struct Jd;

impl RowFormat for Jd {
    const PLATFORM: &'static str = PLATFORM;
    const COLUMNS: &'static [ColumnSpec] = &COLUMNS;
    const ORDER_NO: usize = col::NO;
    const STATUS: &'static [usize] = &[col::STATUS];
    const AGREE: &'static [usize] = &[
        col::RECEIVER,
        col::ADDRESS,
        col::PHONE,
        col::PAYABLE,
        col::BALANCE,
    ];
    const LINE_ID: Option<usize> = Some(col::PRODUCT_ID);
    const TITLE: usize = col::TITLE;
    const COMMON: Common = Common {
        ordered_at: col::CREATED,
        paid_at: col::PAID,
        postage: col::POSTAGE,
        receiver: col::RECEIVER,
        phone: col::PHONE,
        message: col::MESSAGE,
        remark: col::REMARK,
        courier: col::COURIER,
        tracking: col::TRACKING,
    };

    fn order_no(cell: &str) -> Result<String, String> {
        order_number(cell, true).map(str::to_owned)
    }

    fn head(row: &mut Row<'_>, columns: &[Option<Column>], mut order: NewOrder) -> Head {
        let col = |at: usize| columns[at].as_ref();
        let (status_text, status) = read_status(row, col(col::STATUS), &JD_STATUSES, jd_status);
        let payable = match col(col::PAYABLE) {
            Some(column) => row.convert(Some(column), grouped_money_or_zero),
            None => None,
        };
        let balance = match col(col::BALANCE) {
            Some(column) => row.convert(Some(column), grouped_money_or_zero),
            None => None,
        };
        order.buyer_id = row.text(col(col::BUYER));
        let address = split_divisions(clean(row.raw(col(col::ADDRESS))));
        address.write_to(&mut order);
        order.flag = jd_flag(clean(row.raw(col(col::REMARK_LEVEL))));
        let (state, payment, deleted) =
            status.unwrap_or((OrderState::PendingReview, PaymentStatus::Unpaid, false));
        let payment = refund_if_paid(&order, state, payment);
        let locked = matches!(status_text.as_str(), "锁定" | "暂停");
        order.on_hold = deleted || locked;
        if deleted {
            add_remark(&mut order, DELETED_REMARK);
        }
        if locked {
            // Said in the remark too: a newer export that locks a known order holds it
            // once, by this remark.
            add_remark(&mut order, &format!("京东订单状态：{status_text}"));
        }
        // JD's export has no after-sales column.
        let payment = settle(&mut order, status_text, state, payment, "");
        let owed_cents = match (payable, balance) {
            (None, None) => None,
            (p, b) => Some(p.unwrap_or(0) + b.unwrap_or(0)),
        };
        Head {
            order,
            payment,
            goods_cents: None,
            owed_cents,
            owed_column: col::PAYABLE,
        }
    }

    fn line(row: &mut Row<'_>, columns: &[Option<Column>]) -> Option<Line> {
        let col = |at: usize| columns[at].as_ref();
        let quantity = row.convert(col(col::QUANTITY), quantity);
        let price = row.convert(col(col::PRICE), grouped_money);
        Some(Line {
            line: NewOrderLine {
                sku: first_filled(
                    row,
                    &[col(col::SKU), col(col::ARTICLE), col(col::PRODUCT_ID)],
                ),
                title: row.text(col(col::TITLE)),
                attributes: String::new(),
                quantity: quantity?,
                unit_price_cents: price?,
            },
            goods_cents: None,
            owed_cents: None,
        })
    }
}

/// Parses a JD POP order export.
pub fn parse_jd(
    file: &std::path::Path,
    encoding: EncodingChoice,
    progress: Progress<'_>,
) -> Result<Parsed, ImportError> {
    parse_rows::<Jd>(file, encoding, progress)
}
