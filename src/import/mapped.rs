//! Any other CSV, through a [`ColumnMapping`]: the user picks which column holds which
//! [`Field`] on the mapping screen (with a live preview from [`headers`]); mappings are saved
//! as named profiles (JSON through serde) and reused.
//!
//! Rows with the same order number are the lines of one order (they need not be next to
//! each other); the order's own fields are taken from its first row. Rules:
//! - required fields: order number, order date, receiver name, street or full address,
//!   title or SKU, quantity, unit price; a field may be mapped once;
//! - `FullAddress` is split like Taobao's ([`super::split_taobao_address`]), and separately
//!   mapped province/city/district/postcode fill in what it lacks;
//! - dates without an offset are China time (+08:00);
//! - goods = the sum of the lines; discount = the mapped discount, else goods + postage −
//!   the mapped total; paid = the mapped amount paid, else the total once paid;
//! - the status may be a Taobao status text, a ShopDesk state code (`shipped`) or a Shopify
//!   financial status (`paid`); without one the order is pending review, and paid when an
//!   amount paid above 0 or a payment date is given.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::address::split_taobao_address;
use super::cells::{
    CHINA_OFFSET_MINUTES, clean, clean_number, datetime, money, money_or_zero, optional_datetime,
    order_number, quantity,
};
use super::reader::{Column, CsvFile, OrderIndex, Row, capacity_for, clean_header, is_blank};
use super::shopify::shopify_financial;
use super::taobao::taobao_status;
use super::{Encoding, EncodingChoice, ImportError, Parsed, Progress};
use crate::domain::model::{NewOrder, NewOrderLine};
use crate::domain::{OrderState, PaymentStatus, format_cents};

/// How many data rows [`headers`] returns for the preview.
pub const PREVIEW_ROWS: usize = 20;

/// A field of an order that a CSV column can be mapped to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    OrderNo,
    BuyerId,
    BuyerName,
    ReceiverName,
    Phone,
    Phone2,
    Province,
    City,
    District,
    /// The street part only.
    Address,
    /// A whole address in one cell, split like Taobao's.
    FullAddress,
    Postcode,
    OrderedAt,
    PaidAt,
    Sku,
    Title,
    Attributes,
    Quantity,
    UnitPrice,
    Postage,
    Discount,
    Total,
    Paid,
    Refunded,
    BuyerMessage,
    SellerRemark,
    Courier,
    TrackingNo,
    Status,
}

impl Field {
    pub const ALL: [Field; 29] = [
        Field::OrderNo,
        Field::BuyerId,
        Field::BuyerName,
        Field::ReceiverName,
        Field::Phone,
        Field::Phone2,
        Field::Province,
        Field::City,
        Field::District,
        Field::Address,
        Field::FullAddress,
        Field::Postcode,
        Field::OrderedAt,
        Field::PaidAt,
        Field::Sku,
        Field::Title,
        Field::Attributes,
        Field::Quantity,
        Field::UnitPrice,
        Field::Postage,
        Field::Discount,
        Field::Total,
        Field::Paid,
        Field::Refunded,
        Field::BuyerMessage,
        Field::SellerRemark,
        Field::Courier,
        Field::TrackingNo,
        Field::Status,
    ];

    /// The stable name, as stored in a profile's JSON.
    pub fn code(self) -> &'static str {
        match self {
            Field::OrderNo => "order_no",
            Field::BuyerId => "buyer_id",
            Field::BuyerName => "buyer_name",
            Field::ReceiverName => "receiver_name",
            Field::Phone => "phone",
            Field::Phone2 => "phone2",
            Field::Province => "province",
            Field::City => "city",
            Field::District => "district",
            Field::Address => "address",
            Field::FullAddress => "full_address",
            Field::Postcode => "postcode",
            Field::OrderedAt => "ordered_at",
            Field::PaidAt => "paid_at",
            Field::Sku => "sku",
            Field::Title => "title",
            Field::Attributes => "attributes",
            Field::Quantity => "quantity",
            Field::UnitPrice => "unit_price",
            Field::Postage => "postage",
            Field::Discount => "discount",
            Field::Total => "total",
            Field::Paid => "paid",
            Field::Refunded => "refunded",
            Field::BuyerMessage => "buyer_message",
            Field::SellerRemark => "seller_remark",
            Field::Courier => "courier",
            Field::TrackingNo => "tracking_no",
            Field::Status => "status",
        }
    }

    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The English label for the mapping screen (the UI translates it).
    pub fn label(self) -> &'static str {
        match self {
            Field::OrderNo => "Order number",
            Field::BuyerId => "Buyer ID",
            Field::BuyerName => "Buyer name",
            Field::ReceiverName => "Receiver name",
            Field::Phone => "Phone",
            Field::Phone2 => "Second phone",
            Field::Province => "Province",
            Field::City => "City",
            Field::District => "District",
            Field::Address => "Street address",
            Field::FullAddress => "Full address (split like Taobao)",
            Field::Postcode => "Postcode",
            Field::OrderedAt => "Order date",
            Field::PaidAt => "Payment date",
            Field::Sku => "SKU / product code",
            Field::Title => "Item title",
            Field::Attributes => "Item attributes",
            Field::Quantity => "Quantity",
            Field::UnitPrice => "Unit price",
            Field::Postage => "Postage",
            Field::Discount => "Discount",
            Field::Total => "Order total",
            Field::Paid => "Amount paid",
            Field::Refunded => "Amount refunded",
            Field::BuyerMessage => "Buyer message",
            Field::SellerRemark => "Seller remark",
            Field::Courier => "Courier",
            Field::TrackingNo => "Tracking number",
            Field::Status => "Status",
        }
    }

    /// Whether a mapping must map this field (see [`ColumnMapping::check`] for the
    /// either-or pairs: street or full address, title or SKU).
    pub fn is_required(self) -> bool {
        matches!(
            self,
            Field::OrderNo
                | Field::OrderedAt
                | Field::ReceiverName
                | Field::Quantity
                | Field::UnitPrice
        )
    }
}

/// A saved column mapping ("profile"): which header holds which field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// The profile's name, chosen by the user.
    pub name: String,
    /// `(field, header as written in the file)`.
    pub columns: Vec<(Field, String)>,
    /// The platform code given to the imported orders, e.g. `jd`, `pdd`, `wechat`.
    pub platform: String,
}

impl ColumnMapping {
    /// The header mapped to a field.
    pub fn header(&self, field: Field) -> Option<&str> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, h)| h.as_str())
    }

    /// Checks the mapping on its own: required fields present, no field twice, a platform.
    /// Gives every problem, for the mapping screen.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.platform.trim().is_empty() {
            problems.push("the platform is empty".to_owned());
        }
        for field in Field::ALL {
            let count = self.columns.iter().filter(|(f, _)| *f == field).count();
            if count > 1 {
                problems.push(format!("{} is mapped {count} times", field.label()));
            }
            if count == 0 && field.is_required() {
                problems.push(format!("{} is not mapped", field.label()));
            }
        }
        if self.header(Field::Address).is_none() && self.header(Field::FullAddress).is_none() {
            problems.push("neither Street address nor Full address is mapped".to_owned());
        }
        if self.header(Field::Title).is_none() && self.header(Field::Sku).is_none() {
            problems.push("neither Item title nor SKU is mapped".to_owned());
        }
        problems
    }

    fn check(&self) -> Result<(), ImportError> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ImportError::Mapping {
                profile: self.name.clone(),
                message: problems.join("; "),
            })
        }
    }
}

/// What [`headers`] returns: the trimmed headers, the first rows as written, the encoding.
pub type Preview = (Vec<String>, Vec<Vec<String>>, Encoding);

/// The headers of a file, its first [`PREVIEW_ROWS`] rows as written, and the encoding
/// used: the mapping screen's live preview.
pub fn headers(file: &Path, encoding: EncodingChoice) -> Result<Preview, ImportError> {
    let mut csv_file = CsvFile::open(file, encoding)?;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while rows.len() < PREVIEW_ROWS && csv_file.next(&mut record, &|_| true, 0)? {
        if !is_blank(&record) {
            let cells = record
                .iter()
                .map(|c| c.strip_suffix('\r').unwrap_or(c).to_owned());
            rows.push(cells.collect());
        }
    }
    Ok((csv_file.headers.clone(), rows, csv_file.encoding))
}

/// A status text of any known vocabulary → (state, payment), see the module doc.
fn mapped_status(text: &str) -> Option<(OrderState, Option<PaymentStatus>)> {
    if let Some((state, payment)) = taobao_status(text) {
        return Some((state, Some(payment)));
    }
    if let Some(state) = OrderState::from_code(text.trim()) {
        return Some((state, None));
    }
    shopify_financial(text).map(|(payment, cancelled)| {
        let state = if cancelled {
            OrderState::Cancelled
        } else {
            OrderState::PendingReview
        };
        (state, Some(payment))
    })
}

/// Parses a CSV file through a column mapping.
pub fn parse_mapped(
    file: &Path,
    mapping: &ColumnMapping,
    encoding: EncodingChoice,
    progress: Progress<'_>,
) -> Result<Parsed, ImportError> {
    mapping.check()?;
    let mut csv_file = CsvFile::open(file, encoding)?;
    let mut columns: HashMap<Field, Column> = HashMap::new();
    let mut missing = Vec::new();
    for (field, header) in &mapping.columns {
        let wanted = clean_header(header);
        match csv_file.find(&[wanted.as_str()]) {
            Some(column) => {
                columns.insert(*field, column);
            }
            None => missing.push(wanted),
        }
    }
    if !missing.is_empty() {
        return Err(csv_file.missing(
            missing,
            Some(format!(
                "the file does not match profile \"{}\"",
                mapping.name
            )),
        ));
    }
    let platform = mapping.platform.trim();
    let mut errors = Vec::new();
    let mut drafts: Vec<Draft> = Vec::with_capacity(capacity_for(csv_file.size, 150));
    let mut index = OrderIndex::default();
    let mut record = csv::StringRecord::new();
    while csv_file.next(&mut record, progress, 0)? {
        if is_blank(&record) {
            continue;
        }
        let mut row = Row::new(csv_file.place(), &record);
        row.check_record(&csv_file.headers, csv_file.encoding);
        let order_no = row.convert(columns.get(&Field::OrderNo), |s| {
            order_number(s, false).map(str::to_owned)
        });
        let Some(order_no) = order_no else {
            errors.append(&mut row.errors);
            continue;
        };
        let at = match index.get(&order_no) {
            Some(&at) => at,
            None => {
                let draft = order_fields(&mut row, &columns, platform, &order_no);
                index.insert(order_no, drafts.len());
                drafts.push(draft);
                drafts.len() - 1
            }
        };
        let line = line_fields(&mut row, &columns);
        let draft = &mut drafts[at];
        match line {
            Some(line) if row.errors.is_empty() => draft.order.lines.push(line),
            _ => draft.rejected = true,
        }
        errors.append(&mut row.errors);
    }
    if !progress(csv_file.bytes_read()) {
        return Err(ImportError::Cancelled);
    }
    let mut parsed = Parsed {
        encodings: vec![(csv_file.path.clone(), csv_file.encoding)],
        guessed: csv_file.guessed().into_iter().collect(),
        ..Parsed::default()
    };
    let total_column = mapping.header(Field::Total).unwrap_or_default();
    for draft in drafts {
        if draft.rejected {
            continue;
        }
        let line = draft.line;
        match finish(draft) {
            Ok(order) => parsed.orders.push(order),
            Err(message) => errors.push(csv_file.place().error(line, total_column, message)),
        }
    }
    errors.sort_by_key(|e| e.line);
    parsed.rejected = errors;
    Ok(parsed)
}

/// An order from its first row, waiting for its lines.
struct Draft {
    order: NewOrder,
    line: u64,
    rejected: bool,
    /// The mapped amounts, when mapped and not empty.
    discount_cents: Option<i64>,
    total_cents: Option<i64>,
    paid_cents: Option<i64>,
}

/// Works out goods, discount and paid once the lines are known.
fn finish(draft: Draft) -> Result<NewOrder, String> {
    let mut order = draft.order;
    order.goods_cents = order
        .lines
        .iter()
        .try_fold(0i64, |sum, l| {
            l.unit_price_cents
                .checked_mul(l.quantity)
                .and_then(|cents| sum.checked_add(cents))
        })
        .ok_or_else(|| "the line amounts are too large".to_owned())?;
    let due_cents = order.goods_cents + order.postage_cents;
    order.discount_cents = match (draft.discount_cents, draft.total_cents) {
        (Some(discount), _) => discount,
        (None, Some(total)) if total > due_cents => {
            return Err(format!(
                "the total {} is more than the lines {} plus postage {}",
                format_cents(total),
                format_cents(order.goods_cents),
                format_cents(order.postage_cents)
            ));
        }
        (None, Some(total)) => due_cents - total,
        (None, None) => 0,
    };
    order.paid_cents = match draft.paid_cents {
        Some(paid) => paid,
        None if order.payment_status.is_paid()
            || order.payment_status == PaymentStatus::Refunded =>
        {
            order.total_cents()
        }
        None => 0,
    };
    Ok(order)
}

/// The order's own fields from its first row. Errors go to `row.errors`.
fn order_fields(
    row: &mut Row<'_>,
    columns: &HashMap<Field, Column>,
    platform: &str,
    order_no: &str,
) -> Draft {
    let col = |field: Field| columns.get(&field);
    let ordered_at = row
        .convert(col(Field::OrderedAt), |s| datetime(s, CHINA_OFFSET_MINUTES))
        .unwrap_or_default();
    let mut order = NewOrder::new(platform, order_no, &ordered_at);
    order.paid_at = row
        .convert(col(Field::PaidAt), |s| {
            optional_datetime(s, CHINA_OFFSET_MINUTES)
        })
        .flatten();
    order.receiver_phone = row.exact_number(col(Field::Phone), "phone");
    order.receiver_phone2 = row.exact_number(col(Field::Phone2), "phone");
    order.tracking_no = row.exact_number(col(Field::TrackingNo), "tracking number");
    let text = |field: Field| clean(row.raw(col(field))).to_owned();
    order.buyer_id = text(Field::BuyerId);
    order.buyer_name = text(Field::BuyerName);
    order.receiver_name = text(Field::ReceiverName);
    order.buyer_message = text(Field::BuyerMessage);
    order.seller_remark = text(Field::SellerRemark);
    order.courier = text(Field::Courier);
    let full = split_taobao_address(row.raw(col(Field::FullAddress)));
    let pick = |explicit: String, split: String| if explicit.is_empty() { split } else { explicit };
    order.province = pick(text(Field::Province), full.province);
    order.city = pick(text(Field::City), full.city);
    order.district = pick(text(Field::District), full.district);
    order.postcode = pick(
        clean_number(row.raw(col(Field::Postcode))).to_owned(),
        full.postcode,
    );
    order.address = match (text(Field::Address), full.street) {
        (street, split) if street.is_empty() => split,
        (street, _) => street,
    };
    let postage = row.convert(col(Field::Postage), money_or_zero);
    order.postage_cents = postage.unwrap_or_default();
    order.refunded_cents = row
        .convert(col(Field::Refunded), money_or_zero)
        .unwrap_or_default();
    // Amounts settled by `finish` once the lines are known.
    let discount = optional_money(row, col(Field::Discount));
    let total = optional_money(row, col(Field::Total));
    let paid = optional_money(row, col(Field::Paid));

    let status_text = clean(row.raw(col(Field::Status))).to_owned();
    let status = if status_text.is_empty() {
        Some((OrderState::PendingReview, None))
    } else {
        row.convert(col(Field::Status), |_| {
            mapped_status(&status_text).ok_or_else(|| {
                format!(
                    "unknown status \"{status_text}\": expected a Taobao status text (交易成功), \
                     a state (pending_review, shipped, cancelled…) or a payment status (paid, \
                     pending, refunded…)"
                )
            })
        })
    };
    let (state, payment) = status.unwrap_or((OrderState::PendingReview, None));
    order.state = state;
    order.platform_status = status_text;
    let payment = payment.unwrap_or(
        if paid.flatten().is_some_and(|p| p > 0) || order.paid_at.is_some() {
            PaymentStatus::Paid
        } else {
            PaymentStatus::Unpaid
        },
    );
    order.payment_status = payment;
    Draft {
        order,
        line: row.line,
        rejected: false,
        discount_cents: discount.flatten(),
        total_cents: total.flatten(),
        paid_cents: paid.flatten(),
    }
}

fn optional_money(row: &mut Row<'_>, column: Option<&Column>) -> Option<Option<i64>> {
    column?;
    if clean(row.raw(column)).is_empty() {
        return Some(None);
    }
    row.convert(column, money).map(Some)
}

/// One line from a row; `None` when a cell is bad (the errors are in `row.errors`).
fn line_fields(row: &mut Row<'_>, columns: &HashMap<Field, Column>) -> Option<NewOrderLine> {
    let col = |field: Field| columns.get(&field);
    let quantity = row.convert(col(Field::Quantity), quantity);
    let price = row.convert(col(Field::UnitPrice), money);
    Some(NewOrderLine {
        sku: clean(row.raw(col(Field::Sku))).to_owned(),
        title: clean(row.raw(col(Field::Title))).to_owned(),
        attributes: clean(row.raw(col(Field::Attributes))).to_owned(),
        quantity: quantity?,
        unit_price_cents: price?,
    })
}
