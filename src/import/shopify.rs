//! Shopify's orders export: one row per line item; the order's fields are on the first row
//! of the order (later rows repeat `Name` and carry only the line item). Platform
//! `shopify`.
//!
//! Required columns: Name, Financial Status, Total, Created at, Lineitem quantity,
//! Lineitem name, Lineitem price. The order number is `Name` without its `#` (`#1001` →
//! `1001`), so that it looks like what staff type in a search.
//!
//! | column | becomes |
//! |---|---|
//! | Email / Billing Name | `buyer_id` / `buyer_name` |
//! | Shipping Name, Address1 + Address2, City, Province Name (else Province), Zip, Phone (else Phone, Billing Phone) | receiver fields (`'` dropped from zip and phone; a Country other than CN is appended to the street) |
//! | Shipping / Discount Amount / Total | `postage_cents` / `discount_cents`; `goods_cents` = Total − Shipping + Discount Amount, so the order's total is Shopify's Total (taxes added on top count as goods) |
//! | Refunded Amount | `refunded_cents` (a `refunded` order without it: all of Total) |
//! | Created at / Paid at | `ordered_at` / `paid_at`, their own offset kept |
//! | Notes | `buyer_message` |
//! | Lineitem sku, name, quantity, price | the line |
//!
//! | Financial Status | payment | state |
//! |---|---|---|
//! | paid | paid | |
//! | partially_refunded | partly refunded | |
//! | refunded | refunded | cancelled unless fulfilled |
//! | pending, authorized, partially_paid, unpaid, expired | unpaid | |
//! | voided | unpaid | cancelled |
//!
//! The state is otherwise `shipped` when Fulfillment Status is `fulfilled`, `cancelled`
//! when `Cancelled at` is set, else `pending_review`. `platform_status` keeps
//! `financial/fulfillment`, e.g. `paid/unfulfilled`.

use std::path::Path;

use super::cells::{
    CHINA_OFFSET_MINUTES, clean, clean_number, join_non_empty, money, money_or_zero,
    optional_resaved_datetime, order_number, quantity, resaved_datetime,
};
use super::reader::{Column, ColumnSpec, CsvFile, OrderIndex, Row, capacity_for, is_blank, spec};
use super::{EncodingChoice, ImportError, Parsed, Progress};
use crate::domain::model::{NewOrder, NewOrderLine};
use crate::domain::{OrderState, PaymentStatus};

/// The platform code of these orders.
pub const PLATFORM: &str = "shopify";

mod col {
    pub const NAME: usize = 0;
    pub const EMAIL: usize = 1;
    pub const FINANCIAL: usize = 2;
    pub const PAID_AT: usize = 3;
    pub const FULFILLMENT: usize = 4;
    pub const SHIPPING: usize = 5;
    pub const TOTAL: usize = 6;
    pub const DISCOUNT: usize = 7;
    pub const CREATED: usize = 8;
    pub const QUANTITY: usize = 9;
    pub const LINE_NAME: usize = 10;
    pub const PRICE: usize = 11;
    pub const SKU: usize = 12;
    pub const BILLING_NAME: usize = 13;
    pub const SHIP_NAME: usize = 14;
    pub const ADDRESS1: usize = 15;
    pub const ADDRESS2: usize = 16;
    pub const CITY: usize = 17;
    pub const ZIP: usize = 18;
    pub const PROVINCE_NAME: usize = 19;
    pub const PROVINCE: usize = 20;
    pub const COUNTRY: usize = 21;
    pub const SHIP_PHONE: usize = 22;
    pub const PHONE: usize = 23;
    pub const BILLING_PHONE: usize = 24;
    pub const NOTES: usize = 25;
    pub const CANCELLED: usize = 26;
    pub const REFUNDED: usize = 27;
}

pub(crate) const COLUMNS: [ColumnSpec; 28] = [
    spec(&["Name"], true),
    spec(&["Email"], false),
    spec(&["Financial Status"], true),
    spec(&["Paid at"], false),
    spec(&["Fulfillment Status"], false),
    spec(&["Shipping"], false),
    spec(&["Total"], true),
    spec(&["Discount Amount"], false),
    spec(&["Created at"], true),
    spec(&["Lineitem quantity"], true),
    spec(&["Lineitem name"], true),
    spec(&["Lineitem price"], true),
    spec(&["Lineitem sku"], false),
    spec(&["Billing Name"], false),
    spec(&["Shipping Name"], false),
    spec(&["Shipping Address1"], false),
    spec(&["Shipping Address2"], false),
    spec(&["Shipping City"], false),
    spec(&["Shipping Zip"], false),
    spec(&["Shipping Province Name"], false),
    spec(&["Shipping Province"], false),
    spec(&["Shipping Country"], false),
    spec(&["Shipping Phone"], false),
    spec(&["Phone"], false),
    spec(&["Billing Phone"], false),
    spec(&["Notes"], false),
    spec(&["Cancelled at"], false),
    spec(&["Refunded Amount"], false),
];

/// Maps a Shopify financial status to (payment, cancelled-unless-fulfilled).
pub fn shopify_financial(status: &str) -> Option<(PaymentStatus, bool)> {
    Some(match status.trim().to_ascii_lowercase().as_str() {
        "paid" => (PaymentStatus::Paid, false),
        "partially_refunded" => (PaymentStatus::PartlyRefunded, false),
        "refunded" => (PaymentStatus::Refunded, true),
        "pending" | "authorized" | "partially_paid" | "unpaid" | "expired" => {
            (PaymentStatus::Unpaid, false)
        }
        "voided" => (PaymentStatus::Unpaid, true),
        _ => return None,
    })
}

struct Draft {
    order: NewOrder,
    line: u64,
    rejected: bool,
}

/// Parses a Shopify orders export.
pub fn parse_shopify(
    file: &Path,
    encoding: EncodingChoice,
    progress: Progress<'_>,
) -> Result<Parsed, ImportError> {
    let mut csv_file = CsvFile::open(file, encoding)?;
    let columns = csv_file.columns(&COLUMNS, |_| None)?;
    let column_name = |at: usize| columns[at].as_ref().map_or("", |c| c.name.as_str());
    let mut errors = Vec::new();
    let mut drafts: Vec<Draft> = Vec::with_capacity(capacity_for(csv_file.size, 300));
    let mut index = OrderIndex::default();
    let mut current: Option<usize> = None;
    let mut record = csv::StringRecord::new();
    while csv_file.next(&mut record, progress, 0)? {
        if is_blank(&record) {
            continue;
        }
        let mut row = Row::new(csv_file.place(), &record);
        row.check_record(&csv_file.headers, csv_file.encoding);
        let name = row.convert(columns[col::NAME].as_ref(), |s| {
            order_number(s, false).map(|n| n.trim_start_matches('#').to_owned())
        });
        let Some(name) = name else {
            errors.append(&mut row.errors);
            current = None;
            continue;
        };
        let at = match (index.get(&name), current) {
            (Some(&at), Some(now)) if at == now => at,
            (Some(&first), _) => {
                drafts[first].rejected = true;
                row.error(
                    column_name(col::NAME),
                    format!(
                        "order {name} appears again after other orders (first on line {}); \
                         neither is imported",
                        drafts[first].line
                    ),
                );
                errors.append(&mut row.errors);
                current = None;
                continue;
            }
            (None, _) => {
                let order = order_fields(&mut row, &columns, &name);
                let at = drafts.len();
                drafts.push(Draft {
                    order,
                    line: row.line,
                    rejected: false,
                });
                index.insert(name, at);
                current = Some(at);
                at
            }
        };
        let line = line_item(&mut row, &columns);
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
    for draft in drafts {
        if draft.rejected {
            continue;
        }
        if draft.order.goods_cents < 0 {
            errors.push(csv_file.place().error(
                draft.line,
                column_name(col::TOTAL),
                "Total is less than Shipping minus Discount Amount".to_owned(),
            ));
            continue;
        }
        parsed.orders.push(draft.order);
    }
    errors.sort_by_key(|e| e.line);
    parsed.rejected = errors;
    Ok(parsed)
}

/// The order's own fields, from its first row. Errors go to `row.errors`.
fn order_fields(row: &mut Row<'_>, columns: &[Option<Column>], name: &str) -> NewOrder {
    let col = |at: usize| columns[at].as_ref();
    let ordered_at = row
        .convert(col(col::CREATED), |s| {
            resaved_datetime(s, CHINA_OFFSET_MINUTES)
        })
        .unwrap_or_default();
    let mut order = NewOrder::new(PLATFORM, name, &ordered_at);
    order.paid_at = row
        .convert(col(col::PAID_AT), |s| {
            optional_resaved_datetime(s, CHINA_OFFSET_MINUTES)
        })
        .flatten();
    let financial_text = row.text(col(col::FINANCIAL));
    let financial = row.convert(col(col::FINANCIAL), |_| {
        shopify_financial(&financial_text).ok_or_else(|| {
            format!(
                "unknown financial status \"{financial_text}\"; known: paid, pending, \
                 authorized, partially_paid, partially_refunded, refunded, voided"
            )
        })
    });
    let fulfillment = row.text(col(col::FULFILLMENT));
    let total = row.convert(col(col::TOTAL), money).unwrap_or_default();
    let shipping = row
        .convert(col(col::SHIPPING), money_or_zero)
        .unwrap_or_default();
    let discount = row
        .convert(col(col::DISCOUNT), money_or_zero)
        .unwrap_or_default();
    let refunded = match col(col::REFUNDED) {
        Some(column) => row.convert(Some(column), money_or_zero),
        None => Some(0),
    }
    .unwrap_or_default();
    let cancelled = !clean(row.raw(col(col::CANCELLED))).is_empty();

    let (payment, cancel_unless_fulfilled) = financial.unwrap_or((PaymentStatus::Unpaid, false));
    let fulfilled = fulfillment.eq_ignore_ascii_case("fulfilled");
    order.state = if cancelled || (cancel_unless_fulfilled && !fulfilled) {
        OrderState::Cancelled
    } else if fulfilled {
        OrderState::Shipped
    } else {
        OrderState::PendingReview
    };
    order.payment_status = payment;
    order.platform_status = format!(
        "{}/{}",
        financial_text.to_ascii_lowercase(),
        if fulfillment.is_empty() {
            "unfulfilled".to_owned()
        } else {
            fulfillment.to_ascii_lowercase()
        }
    );
    order.postage_cents = shipping;
    order.discount_cents = discount;
    order.goods_cents = total - shipping + discount;
    order.paid_cents = if payment == PaymentStatus::Unpaid {
        0
    } else {
        total
    };
    order.refunded_cents = if payment == PaymentStatus::Refunded && refunded == 0 {
        total
    } else {
        refunded
    };
    order.buyer_id = row.text(col(col::EMAIL));
    order.buyer_name = row.text(col(col::BILLING_NAME));
    order.receiver_name = row.text(col(col::SHIP_NAME));
    order.receiver_phone = [col::SHIP_PHONE, col::PHONE, col::BILLING_PHONE]
        .iter()
        .map(|&at| row.exact_number(col(at), "phone"))
        .find(|phone| !phone.is_empty())
        .unwrap_or_default();
    order.province = match clean(row.raw(col(col::PROVINCE_NAME))) {
        "" => clean(row.raw(col(col::PROVINCE))).to_owned(),
        name => name.to_owned(),
    };
    order.city = row.text(col(col::CITY));
    order.postcode = clean_number(row.raw(col(col::ZIP))).to_owned();
    let country = clean(row.raw(col(col::COUNTRY)));
    let country = if country.eq_ignore_ascii_case("CN") || country == "China" {
        ""
    } else {
        country
    };
    order.address = join_non_empty(
        &[
            clean(row.raw(col(col::ADDRESS1))),
            clean(row.raw(col(col::ADDRESS2))),
            country,
        ],
        ", ",
    );
    order.buyer_message = row.text(col(col::NOTES));
    order
}

/// The line item of a row; `None` when a cell is bad (the errors are in `row.errors`).
fn line_item(row: &mut Row<'_>, columns: &[Option<Column>]) -> Option<NewOrderLine> {
    let col = |at: usize| columns[at].as_ref();
    let quantity = row.convert(col(col::QUANTITY), quantity);
    let price = row.convert(col(col::PRICE), money);
    Some(NewOrderLine {
        sku: row.text(col(col::SKU)),
        title: row.text(col(col::LINE_NAME)),
        attributes: String::new(),
        quantity: quantity?,
        unit_price_cents: price?,
    })
}
