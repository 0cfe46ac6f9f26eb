//! Pinduoduo (拼多多) merchant order export (`<32 hex>orders_export<date>.csv`): one row
//! per order (an order of several rows is read as one order of several lines, see
//! [`super::rows`]). Usually UTF-8; cells may carry a leading tab, which cleaning trims.
//! Platform `pinduoduo`.
//!
//! The layout is the one public importers and sample files show (../shared/EXPORTS.md,
//! indicative): amounts in yuan under headers ending `(元)` (or full-width `（元）`), the
//! address already split. Required: 订单号, 商品, 商品数量(件), 商品总价(元),
//! 用户实付金额(元), 订单状态, 收货人, 手机, 省, 市, 街道, and one of 订单成交时间, 下单时间,
//! 支付时间, 拼单成功时间 per row.
//!
//! | column | becomes |
//! |---|---|
//! | 订单号 | `order_no` (as written, e.g. `231120-123456789012345`; no spaces) |
//! | 商品, 商品规格, 商品数量(件) | line title, attributes, quantity |
//! | 商品总价(元) | the line's goods total; its unit price is the total ÷ quantity (rounded down when it does not divide: the goods total stays exact) |
//! | 商家编码-SKU维度 (newer exports: 商家编码-规格维度), else 商家编码-商品维度 | line `sku`, what products are matched on |
//! | 邮费(元) | `postage_cents` |
//! | 用户实付金额(元) | what the buyer pays; discount = goods + postage − it (the shop's and the platform's 优惠 together) |
//! | 收货人 / 手机 (+ 分机号) | `receiver_name` / `receiver_phone`, as given: a masked `138****5678` is kept, and the order flagged yellow with a remark (not rejected); a virtual number's extension column, when there, is added as `-1234` |
//! | 省, 市, 区, 街道 | province, city, district (normalised through the division table), street |
//! | 订单成交时间 / 下单时间 / 支付时间 / 拼单成功时间 | `ordered_at`: the first that is filled; `paid_at` = 支付时间; times `yyyy-MM-dd HH:mm[:ss]`, China time |
//! | 买家留言 / 商家备注 | `buyer_message` / `seller_remark` |
//! | 快递公司 / 快递单号 | `courier` / `tracking_no` |
//! | 售后状态 | 退款成功 → refunded (a remark says so); 无售后或售后取消 → nothing; anything still going on (退款中, 售后处理中…) → purple flag (return in progress) and a remark |
//!
//! | 订单状态 | state | payment |
//! |---|---|---|
//! | 待支付 | pending_review | unpaid |
//! | 待发货, 待成团 | pending_review | paid |
//! | 已发货，待签收, 已发货，待收货, 已发货, 已签收, 已收货 | shipped | paid |
//! | 已取消 | cancelled | unpaid |
//! | 未发货，退款成功, 已取消，退款成功 | cancelled | refunded |
//! | 已发货，退款成功, 已签收，退款成功, 已收货，退款成功 | shipped | refunded |
//!
//! Amounts may carry thousands commas (`1,299.00`). 售后状态 texts that end a case without
//! anything to do (买家撤销, 售后取消，退款失败) change nothing; 换货成功 is a remark.

use std::path::Path;

use super::address::official_parts;
use super::cells::{clean, clean_number, grouped_money, order_number, quantity};
use super::reader::{Column, ColumnSpec, Row, spec};
use super::rows::{
    Common, Head, Line, RowFormat, first_filled, lookup_status, parse_rows, read_status, settle,
};
use super::{EncodingChoice, ImportError, Parsed, Progress};
use crate::domain::model::{NewOrder, NewOrderLine};
use crate::domain::{OrderState, PaymentStatus};

/// The platform code of these orders.
pub const PLATFORM: &str = "pinduoduo";

/// Every known status text (normalised: ASCII comma) and what it maps to.
pub const PDD_STATUSES: [(&str, OrderState, PaymentStatus); 14] = [
    ("待支付", OrderState::PendingReview, PaymentStatus::Unpaid),
    ("待发货", OrderState::PendingReview, PaymentStatus::Paid),
    ("待成团", OrderState::PendingReview, PaymentStatus::Paid),
    ("已发货,待签收", OrderState::Shipped, PaymentStatus::Paid),
    ("已发货,待收货", OrderState::Shipped, PaymentStatus::Paid),
    ("已发货", OrderState::Shipped, PaymentStatus::Paid),
    ("已签收", OrderState::Shipped, PaymentStatus::Paid),
    ("已收货", OrderState::Shipped, PaymentStatus::Paid),
    ("已取消", OrderState::Cancelled, PaymentStatus::Unpaid),
    (
        "已取消,退款成功",
        OrderState::Cancelled,
        PaymentStatus::Refunded,
    ),
    (
        "已收货,退款成功",
        OrderState::Shipped,
        PaymentStatus::Refunded,
    ),
    (
        "未发货,退款成功",
        OrderState::Cancelled,
        PaymentStatus::Refunded,
    ),
    (
        "已发货,退款成功",
        OrderState::Shipped,
        PaymentStatus::Refunded,
    ),
    (
        "已签收,退款成功",
        OrderState::Shipped,
        PaymentStatus::Refunded,
    ),
];

/// Maps a Pinduoduo status text to (state, payment before after-sales); `None` when unknown.
pub fn pdd_status(text: &str) -> Option<(OrderState, PaymentStatus)> {
    lookup_status(&PDD_STATUSES, text)
}

mod col {
    pub const NO: usize = 0;
    pub const TITLE: usize = 1;
    pub const QUANTITY: usize = 2;
    pub const GOODS: usize = 3;
    pub const OWED: usize = 4;
    pub const STATUS: usize = 5;
    pub const RECEIVER: usize = 6;
    pub const PHONE: usize = 7;
    pub const PROVINCE: usize = 8;
    pub const CITY: usize = 9;
    pub const STREET: usize = 10;
    pub const DISTRICT: usize = 11;
    pub const POSTAGE: usize = 12;
    pub const ATTRIBUTES: usize = 13;
    pub const SKU: usize = 14;
    pub const PRODUCT_CODE: usize = 15;
    pub const DEAL_AT: usize = 16;
    pub const ORDERED_AT: usize = 17;
    pub const PAID_AT: usize = 18;
    pub const GROUPED_AT: usize = 19;
    pub const MESSAGE: usize = 20;
    pub const REMARK: usize = 21;
    pub const COURIER: usize = 22;
    pub const TRACKING: usize = 23;
    pub const AFTER_SALES: usize = 24;
    pub const EXTENSION: usize = 25;
}

pub(crate) const COLUMNS: [ColumnSpec; 26] = [
    spec(&["订单号"], true),
    spec(&["商品", "商品名称"], true),
    spec(&["商品数量(件)", "商品数量（件）", "商品数量"], true),
    spec(&["商品总价(元)", "商品总价（元）"], true),
    spec(&["用户实付金额(元)", "用户实付金额（元）"], true),
    spec(&["订单状态"], true),
    spec(&["收货人"], true),
    spec(&["手机", "收货人手机", "手机号"], true),
    spec(&["省"], true),
    spec(&["市"], true),
    spec(&["街道", "详细地址"], true),
    spec(&["区", "区县"], false),
    spec(&["邮费(元)", "邮费（元）"], false),
    spec(&["商品规格"], false),
    spec(&["商家编码-SKU维度", "商家编码-规格维度"], false),
    spec(&["商家编码-商品维度"], false),
    spec(&["订单成交时间"], false),
    spec(&["下单时间"], false),
    spec(&["支付时间"], false),
    spec(&["拼单成功时间"], false),
    spec(&["买家留言"], false),
    spec(&["商家备注"], false),
    spec(&["快递公司"], false),
    spec(&["快递单号"], false),
    spec(&["售后状态"], false),
    spec(&["分机号", "虚拟号分机号", "手机分机号"], false),
];

/// The time columns `ordered_at` is taken from, in this order.
const ORDERED_AT: [usize; 4] = [col::DEAL_AT, col::ORDERED_AT, col::PAID_AT, col::GROUPED_AT];

struct Pdd;

impl RowFormat for Pdd {
    const PLATFORM: &'static str = PLATFORM;
    const COLUMNS: &'static [ColumnSpec] = &COLUMNS;
    const ORDER_NO: usize = col::NO;
    const STATUS: &'static [usize] = &[col::STATUS, col::AFTER_SALES];
    const AGREE: &'static [usize] = &[
        col::RECEIVER,
        col::PHONE,
        col::PROVINCE,
        col::CITY,
        col::DISTRICT,
        col::STREET,
    ];
    const LINE_ID: Option<usize> = None;
    const TITLE: usize = col::TITLE;
    const COMMON: Common = Common {
        ordered_at: col::DEAL_AT,
        paid_at: col::PAID_AT,
        postage: col::POSTAGE,
        receiver: col::RECEIVER,
        phone: col::PHONE,
        message: col::MESSAGE,
        remark: col::REMARK,
        courier: col::COURIER,
        tracking: col::TRACKING,
    };

    /// The first of [`ORDERED_AT`] filled in this row.
    fn ordered_at<'c>(row: &Row<'_>, columns: &'c [Option<Column>]) -> Option<&'c Column> {
        let col = |at: usize| columns[at].as_ref();
        ORDERED_AT
            .iter()
            .filter_map(|&at| col(at))
            .find(|c| !clean(row.raw(Some(c))).is_empty())
            .or_else(|| ORDERED_AT.iter().find_map(|&at| col(at)))
    }

    fn check_columns(
        file: &super::reader::CsvFile,
        columns: &[Option<Column>],
    ) -> Result<(), ImportError> {
        if ORDERED_AT.iter().all(|&at| columns[at].is_none()) {
            return Err(super::rows::missing_one_of(
                file,
                &["订单成交时间", "下单时间", "支付时间", "拼单成功时间"],
            ));
        }
        Ok(())
    }

    fn order_no(cell: &str) -> Result<String, String> {
        order_number(cell, false).map(str::to_owned)
    }

    fn head(row: &mut Row<'_>, columns: &[Option<Column>], mut order: NewOrder) -> Head {
        let col = |at: usize| columns[at].as_ref();
        let (status_text, status) = read_status(row, col(col::STATUS), &PDD_STATUSES, pdd_status);
        let extension = clean_number(row.raw(col(col::EXTENSION)));
        if !extension.is_empty() {
            order.receiver_phone = format!("{}-{extension}", order.receiver_phone);
        }
        let address = official_parts(
            clean(row.raw(col(col::PROVINCE))),
            clean(row.raw(col(col::CITY))),
            clean(row.raw(col(col::DISTRICT))),
            clean(row.raw(col(col::STREET))),
        );
        address.write_to(&mut order);
        let (state, payment) = status.unwrap_or((OrderState::PendingReview, PaymentStatus::Unpaid));
        let after_sales = row.text(col(col::AFTER_SALES));
        let payment = settle(&mut order, status_text, state, payment, &after_sales);
        Head {
            order,
            payment,
            goods_cents: None,
            owed_cents: None,
            owed_column: col::OWED,
        }
    }

    fn line(row: &mut Row<'_>, columns: &[Option<Column>]) -> Option<Line> {
        let col = |at: usize| columns[at].as_ref();
        let quantity = row.convert(col(col::QUANTITY), quantity);
        let goods = row.convert(col(col::GOODS), grouped_money);
        let owed = row.convert(col(col::OWED), grouped_money);
        let (quantity, goods) = (quantity?, goods?);
        Some(Line {
            line: NewOrderLine {
                sku: first_filled(row, &[col(col::SKU), col(col::PRODUCT_CODE)]),
                title: row.text(col(col::TITLE)),
                attributes: row.text(col(col::ATTRIBUTES)),
                quantity,
                unit_price_cents: goods / quantity,
            },
            goods_cents: Some(goods),
            owed_cents: Some(owed?),
        })
    }
}

/// Parses a Pinduoduo merchant order export.
pub fn parse_pdd(
    file: &Path,
    encoding: EncodingChoice,
    progress: Progress<'_>,
) -> Result<Parsed, ImportError> {
    parse_rows::<Pdd>(file, encoding, progress)
}
