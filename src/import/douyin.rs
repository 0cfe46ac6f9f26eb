//! Douyin shop (抖店) merchant order export: one row per sub-order (子订单, one product
//! line), the main order's fields repeated on each (read from its first row; see
//! [`super::rows`]). UTF-8 with a BOM as the seller center writes it; long numbers may be
//! written `="…"` or with a leading tab. Platform `douyin`.
//!
//! The columns are the 抖店 order-export headers that public scripts reading this export
//! use: 主订单编号, 子订单编号, 选购商品, 商品规格, 商品ID, 商家编码, 商品数量, 商品单价 (older
//! reports: 商品金额), 订单应付金额, 运费, 订单提交时间, 支付完成时间, 订单状态, 售后状态,
//! 商家备注, 旗帜颜色, 买家留言, 收件人, 收件人手机号, 省/市/区/街道/详细地址 (some reports:
//! one 收件地址), 快递信息 (some reports: 快递公司 and 快递单号), 货号. The cell texts of 旗帜颜色
//! are known only from the platform's colour names (灰 紫 青 绿 橙 红). Headers are matched by
//! name, so extra or reordered columns do not matter. Required: 主订单编号, 选购商品,
//! 商品数量, 商品单价 (or 商品金额), 订单应付金额, 订单状态, 收件人, 收件人手机号, 详细地址 (or
//! 收件地址), 订单提交时间. Amounts may carry thousands commas (`1,299.00`).
//!
//! | column | becomes |
//! |---|---|
//! | 主订单编号 | `order_no` (digits) |
//! | 选购商品, 商品规格, 商品数量, 商品单价 (else 商品金额) | the line: title, attributes, quantity, unit price |
//! | 商家编码, else 货号 | line `sku` |
//! | 订单应付金额 | what the buyer pays for that sub-order; the order's is the sum over its rows; discount = goods + postage − it |
//! | 运费 | `postage_cents` (first row) |
//! | 收件人 / 收件人手机号 | receiver; a masked number (`138****5678`, as desensitised exports give) is kept, the order flagged yellow with a remark |
//! | 省, 市, 区, 街道 + 详细地址 | province, city, district (normalised through the division table), street (街道 put in front of 详细地址 unless it already starts with it) |
//! | 收件地址 (a file without 省, 市 and 区 columns) | one string, split by the division table as JD's 客户地址 |
//! | 订单提交时间 / 支付完成时间 | `ordered_at` / `paid_at`, China time |
//! | 买家留言 / 商家备注 / 旗帜颜色 | `buyer_message` / `seller_remark` / `flag` (红 黄 绿 蓝 紫; 灰 is none; Douyin's 橙 and 青, colours we do not have, are no flag and a remark `抖店旗帜：橙`, since our yellow means "do not ship yet" and blue "exchange in progress") |
//! | 快递公司 / 快递单号 | `courier` / `tracking_no` when the export has them |
//! | 快递信息 | otherwise: `中通快递;78912345678901` (any of `; ， , ； :` or spaces between) read as courier and tracking number (the first part of six or more letters and digits with a digit among them); a cell naming several parcels keeps the first and the whole text in a remark; a number in scientific notation is refused as in 快递单号 |
//! | 售后状态 | as for Pinduoduo: 退款成功 → refunded; anything going on → purple flag and remark |
//!
//! | 订单状态 | state | payment |
//! |---|---|---|
//! | 待支付, 待付款 | pending_review | unpaid |
//! | 待发货, 备货中, 部分发货, 待确认 | pending_review | paid |
//! | 已发货, 已完成 | shipped | paid |
//! | 已关闭, 已取消 | cancelled | unpaid (refunded when it has a 支付完成时间) |

use std::path::Path;

use super::address::{official_parts, split_divisions};
use super::cells::{
    EXPORT_ORDERS_AGAIN, clean, grouped_money, order_number, quantity, scientific_problem,
};
use super::reader::{Column, ColumnSpec, Row, spec};
use super::rows::{
    Common, Head, Line, RowFormat, add_remark, first_filled, flag_by_name, lookup_status,
    parse_rows, read_status, refund_if_paid, settle,
};
use super::{EncodingChoice, ImportError, Parsed, Progress};
use crate::domain::model::{NewOrder, NewOrderLine};
use crate::domain::{OrderState, PaymentStatus};

/// The platform code of these orders.
pub const PLATFORM: &str = "douyin";

/// Every known status text and what it maps to (payment before after-sales).
pub const DOUYIN_STATUSES: [(&str, OrderState, PaymentStatus); 10] = [
    ("待支付", OrderState::PendingReview, PaymentStatus::Unpaid),
    ("待付款", OrderState::PendingReview, PaymentStatus::Unpaid),
    ("待发货", OrderState::PendingReview, PaymentStatus::Paid),
    ("备货中", OrderState::PendingReview, PaymentStatus::Paid),
    ("部分发货", OrderState::PendingReview, PaymentStatus::Paid),
    ("待确认", OrderState::PendingReview, PaymentStatus::Paid),
    ("已发货", OrderState::Shipped, PaymentStatus::Paid),
    ("已完成", OrderState::Shipped, PaymentStatus::Paid),
    ("已关闭", OrderState::Cancelled, PaymentStatus::Unpaid),
    ("已取消", OrderState::Cancelled, PaymentStatus::Unpaid),
];

/// Maps a Douyin status text to (state, payment before after-sales); `None` when unknown.
pub fn douyin_status(text: &str) -> Option<(OrderState, PaymentStatus)> {
    lookup_status(&DOUYIN_STATUSES, text)
}

mod col {
    pub const NO: usize = 0;
    pub const TITLE: usize = 1;
    pub const QUANTITY: usize = 2;
    pub const PRICE: usize = 3;
    pub const OWED: usize = 4;
    pub const STATUS: usize = 5;
    pub const RECEIVER: usize = 6;
    pub const PHONE: usize = 7;
    pub const DETAIL: usize = 8;
    pub const CREATED: usize = 9;
    pub const PROVINCE: usize = 10;
    pub const CITY: usize = 11;
    pub const DISTRICT: usize = 12;
    pub const STREET: usize = 13;
    pub const PAID: usize = 14;
    pub const POSTAGE: usize = 15;
    pub const ATTRIBUTES: usize = 16;
    pub const SKU: usize = 17;
    pub const ARTICLE: usize = 18;
    pub const MESSAGE: usize = 19;
    pub const REMARK: usize = 20;
    pub const FLAG: usize = 21;
    pub const COURIER: usize = 22;
    pub const TRACKING: usize = 23;
    pub const AFTER_SALES: usize = 24;
    pub const EXPRESS: usize = 25;
    pub const SUB_ORDER: usize = 26;
}

pub(crate) const COLUMNS: [ColumnSpec; 27] = [
    spec(&["主订单编号"], true),
    spec(&["选购商品", "商品名称"], true),
    spec(&["商品数量"], true),
    spec(&["商品单价", "商品金额"], true),
    spec(&["订单应付金额", "应付金额"], true),
    spec(&["订单状态"], true),
    spec(&["收件人", "收货人"], true),
    spec(&["收件人手机号", "收件人电话", "收货人手机号"], true),
    spec(&["详细地址", "收货地址", "收件地址"], true),
    spec(&["订单提交时间", "下单时间"], true),
    spec(&["省"], false),
    spec(&["市"], false),
    spec(&["区"], false),
    spec(&["街道"], false),
    spec(&["支付完成时间", "支付时间"], false),
    spec(&["运费"], false),
    spec(&["商品规格"], false),
    spec(&["商家编码"], false),
    spec(&["货号"], false),
    spec(&["买家留言"], false),
    spec(&["商家备注"], false),
    spec(&["旗帜颜色", "插旗"], false),
    spec(&["快递公司", "物流公司"], false),
    spec(&["快递单号", "运单号"], false),
    spec(&["售后状态"], false),
    spec(&["快递信息", "物流信息"], false),
    spec(&["子订单编号"], false),
];

struct Douyin;

impl RowFormat for Douyin {
    const PLATFORM: &'static str = PLATFORM;
    const COLUMNS: &'static [ColumnSpec] = &COLUMNS;
    const ORDER_NO: usize = col::NO;
    const STATUS: &'static [usize] = &[col::STATUS, col::AFTER_SALES];
    const AGREE: &'static [usize] = &[
        col::RECEIVER,
        col::PHONE,
        col::DETAIL,
        col::PROVINCE,
        col::CITY,
        col::DISTRICT,
        col::STREET,
    ];
    const LINE_ID: Option<usize> = Some(col::SUB_ORDER);
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
        let (status_text, status) =
            read_status(row, col(col::STATUS), &DOUYIN_STATUSES, douyin_status);
        let street = clean(row.raw(col(col::STREET)));
        let detail = clean(row.raw(col(col::DETAIL)));
        let street = if street.is_empty() || detail.starts_with(street) {
            detail.to_owned()
        } else {
            format!("{street} {detail}")
        };
        let (province, city, district) = (
            clean(row.raw(col(col::PROVINCE))),
            clean(row.raw(col(col::CITY))),
            clean(row.raw(col(col::DISTRICT))),
        );
        let one_column = [col::PROVINCE, col::CITY, col::DISTRICT]
            .iter()
            .all(|&at| col(at).is_none());
        let address = if one_column {
            // An export with the address in one column (收件地址).
            split_divisions(&street)
        } else {
            official_parts(province, city, district, &street)
        };
        address.write_to(&mut order);
        if order.tracking_no.is_empty() {
            let parcel = row.convert(col(col::EXPRESS), |cell| {
                let express = clean(cell);
                match express
                    .split([';', '；', ',', '，', ':', '：', ' '])
                    .find_map(|part| {
                        scientific_problem("tracking number", part.trim(), EXPORT_ORDERS_AGAIN)
                    }) {
                    Some(problem) => Err(problem),
                    None => Ok(express_info(express).map(|parcel| (parcel, express.to_owned()))),
                }
            });
            if let Some(Some((parcel, express))) = parcel {
                if !parcel.courier.is_empty() {
                    order.courier = parcel.courier;
                }
                order.tracking_no = parcel.tracking_no;
                if parcel.more {
                    add_remark(&mut order, &format!("快递信息：{express}"));
                }
            }
        }
        let flag = clean(row.raw(col(col::FLAG)));
        order.flag = flag_by_name(flag);
        if let Some(colour) = ["橙", "青"].into_iter().find(|c| flag.starts_with(c)) {
            // Colours we do not have: the seller's flag is kept in words, not as one of ours
            // (yellow means "do not ship yet", blue "exchange in progress").
            add_remark(&mut order, &format!("抖店旗帜：{colour}"));
        }
        let (state, payment) = status.unwrap_or((OrderState::PendingReview, PaymentStatus::Unpaid));
        let payment = refund_if_paid(&order, state, payment);
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
        let price = row.convert(col(col::PRICE), grouped_money);
        let owed = row.convert(col(col::OWED), grouped_money);
        Some(Line {
            line: NewOrderLine {
                sku: first_filled(row, &[col(col::SKU), col(col::ARTICLE)]),
                title: row.text(col(col::TITLE)),
                attributes: row.text(col(col::ATTRIBUTES)),
                quantity: quantity?,
                unit_price_cents: price?,
            },
            goods_cents: None,
            owed_cents: Some(owed?),
        })
    }
}

/// A part of 快递信息 that is a tracking number: six or more ASCII letters and digits, at
/// least one a digit.
fn tracking_like(part: &str) -> bool {
    part.len() >= 6
        && part.bytes().all(|b| b.is_ascii_alphanumeric())
        && part.bytes().any(|b| b.is_ascii_digit())
}

/// The first parcel of a 快递信息 cell.
#[derive(Debug, PartialEq, Eq)]
struct Parcel {
    courier: String,
    tracking_no: String,
    /// The cell names more than one tracking number (kept whole in a remark).
    more: bool,
}

/// The courier and tracking number of a 快递信息 cell (`中通快递;78912345678901`, or with
/// `,` `，` `；` `:` or spaces between them): the first part of six or more letters and
/// digits is the number, the text before it the courier. `None` when no part is a number.
fn express_info(text: &str) -> Option<Parcel> {
    let parts: Vec<&str> = text
        .split(|c: char| matches!(c, ';' | '；' | ',' | '，' | ':' | '：') || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .collect();
    let at = parts.iter().position(|part| tracking_like(part))?;
    Some(Parcel {
        courier: parts[..at].join(" "),
        tracking_no: parts[at].to_owned(),
        more: parts[at + 1..].iter().any(|part| tracking_like(part)),
    })
}

/// Parses a Douyin shop (抖店) order export.
pub fn parse_douyin(
    file: &Path,
    encoding: EncodingChoice,
    progress: Progress<'_>,
) -> Result<Parsed, ImportError> {
    parse_rows::<Douyin>(file, encoding, progress)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn express_info_cells() {
        let parcel = |courier: &str, number: &str, more: bool| {
            Some(Parcel {
                courier: courier.to_owned(),
                tracking_no: number.to_owned(),
                more,
            })
        };
        let cases = [
            (
                "中通快递;78912345678901",
                parcel("中通快递", "78912345678901", false),
            ),
            (
                "中通快递 78912345678901",
                parcel("中通快递", "78912345678901", false),
            ),
            (
                "顺丰速运：SF1234567890123",
                parcel("顺丰速运", "SF1234567890123", false),
            ),
            ("78912345678901", parcel("", "78912345678901", false)),
            (
                "圆通速递,YT001122334455;韵达快递,430011223344",
                parcel("圆通速递", "YT001122334455", true),
            ),
            ("中通快递", None),
            ("", None),
            ("中通快递;12345", None),
            (
                "SF Express SF1234567890",
                parcel("SF Express", "SF1234567890", false),
            ),
        ];
        for (cell, expected) in cases {
            assert_eq!(express_info(cell), expected, "{cell:?}");
        }
    }
}
