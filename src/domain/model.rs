//! Plain values that flow between the edges (import, demo, manual entry) and the store.

use super::order::{Flag, OrderState, PaymentStatus};

/// A product attribute such as `颜色` = `红色`, kept in the order the shop wrote them.
pub type Attributes = Vec<(String, String)>;

/// Joins attribute values the way a waybill shows goods: `红色/XL`.
pub fn attribute_values(attributes: &Attributes) -> String {
    attributes
        .iter()
        .map(|(_, value)| value.as_str())
        .filter(|value| !value.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

/// A product to create (or update by code).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewProduct {
    pub code: String,
    pub name: String,
    pub barcodes: Vec<String>,
    pub supplier_item_no: String,
    pub attributes: Attributes,
    pub bin: String,
    pub price_cents: i64,
    pub cost_cents: i64,
    pub weight_grams: i64,
    pub reorder_point: i64,
    /// For a bundle: `(component code, quantity per bundle)`; empty for a single item.
    pub components: Vec<(String, i64)>,
}

/// The start of a remark part that says a line of an imported order is in another status
/// than the order (a sub-order refunded, a line locked): the import holds the order and
/// flags it red, on a new order and on a newer export of a known one.
pub const LINE_STATUS_REMARK: &str = "订单行状态不同：";

/// The remark part the import writes on an order whose phone the platform masked; taken
/// off again when a newer export brings the full number.
pub const MASKED_PHONE_REMARK: &str =
    "手机号已打码（导出文件）：发货前在平台后台查看完整号码 / phone masked in the export";

/// An order as it arrives from a platform export, a manual entry or the demo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrder {
    pub platform: String,
    pub order_no: String,
    pub buyer_id: String,
    pub buyer_name: String,
    pub receiver_name: String,
    pub receiver_phone: String,
    pub receiver_phone2: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub address: String,
    pub postcode: String,
    pub buyer_message: String,
    pub seller_remark: String,
    pub flag: Flag,
    pub goods_cents: i64,
    pub postage_cents: i64,
    pub discount_cents: i64,
    pub paid_cents: i64,
    pub refunded_cents: i64,
    pub payment_status: PaymentStatus,
    pub cash_on_delivery: bool,
    pub state: OrderState,
    /// The platform's own status text, kept verbatim (e.g. `交易关闭`).
    pub platform_status: String,
    /// ISO-8601 with offset, e.g. `2026-11-20T10:15:00+08:00`.
    pub ordered_at: String,
    pub paid_at: Option<String>,
    /// Dates of an order that arrives already worked on (the demo's history); `None` for
    /// an order that starts at the beginning of its life cycle.
    pub reviewed_at: Option<String>,
    pub printed_at: Option<String>,
    pub inspected_at: Option<String>,
    pub shipped_at: Option<String>,
    pub archived_at: Option<String>,
    pub on_hold: bool,
    pub courier: String,
    pub tracking_no: String,
    pub lines: Vec<NewOrderLine>,
}

impl NewOrder {
    /// An empty order of a platform, to be filled in field by field.
    pub fn new(platform: &str, order_no: &str, ordered_at: &str) -> NewOrder {
        NewOrder {
            platform: platform.to_owned(),
            order_no: order_no.to_owned(),
            buyer_id: String::new(),
            buyer_name: String::new(),
            receiver_name: String::new(),
            receiver_phone: String::new(),
            receiver_phone2: String::new(),
            province: String::new(),
            city: String::new(),
            district: String::new(),
            address: String::new(),
            postcode: String::new(),
            buyer_message: String::new(),
            seller_remark: String::new(),
            flag: Flag::None,
            goods_cents: 0,
            postage_cents: 0,
            discount_cents: 0,
            paid_cents: 0,
            refunded_cents: 0,
            payment_status: PaymentStatus::Unpaid,
            cash_on_delivery: false,
            state: OrderState::PendingReview,
            platform_status: String::new(),
            ordered_at: ordered_at.to_owned(),
            paid_at: None,
            reviewed_at: None,
            printed_at: None,
            inspected_at: None,
            shipped_at: None,
            archived_at: None,
            on_hold: false,
            courier: String::new(),
            tracking_no: String::new(),
            lines: Vec::new(),
        }
    }

    /// goods + postage − discount: what the buyer owes.
    pub fn total_cents(&self) -> i64 {
        self.goods_cents + self.postage_cents - self.discount_cents
    }
}

/// One line of a new order. The product is matched by `sku` (商家编码) when stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewOrderLine {
    pub sku: String,
    pub title: String,
    /// The platform's attribute text, verbatim (e.g. `颜色分类：红色;尺码：M`).
    pub attributes: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
}
