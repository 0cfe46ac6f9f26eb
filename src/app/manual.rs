//! Manual orders (手动下单): an order typed in by hand with a pasted receiver, its payment
//! received (到款), reshipments (补发) of existing orders, and the customer records. The
//! new order is reviewed at once (the owner typed it; the review still checks address,
//! products and stock), so it goes on to printing like any other once paid.

use std::path::{Path, PathBuf};

use crate::domain::OrderState;
use crate::domain::address::{Field, ParsedAddress, parse_address};
use crate::domain::manual::{CartLine, PayMethod};
use crate::domain::review::ReviewProblem;
use crate::store::{
    CustomerDetail, CustomerRow, ManualLine, ManualOrder, OrderDetail, ProductFilter, ProductPage,
    Receiver, StockRow, Store, StoreError,
};

use super::{AppError, Changed, Result};

/// Products a search lists at most.
pub const SEARCH_LIMIT: u32 = 50;

/// A payment taken with the order, or recorded later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    pub method: PayMethod,
    pub amount_cents: i64,
    pub note: String,
}

/// What the Manual order tab asks of the store.
#[derive(Debug)]
pub enum Request {
    /// Products by code, barcode, name or supplier item number, with their stock.
    Products {
        generation: u64,
        search: String,
    },
    /// The components of a bundle and what they allow.
    Components(String),
    Create {
        order: Box<ManualOrder>,
        payment: Option<Payment>,
    },
    Pay {
        id: i64,
        payment: Payment,
    },
    Reship {
        original: i64,
        lines: Vec<ManualLine>,
        reason: String,
    },
    Customers(String),
    Customer(i64),
    SaveCustomer {
        id: i64,
        tags: String,
        note: String,
    },
    /// Cart lines from a spreadsheet (CSV: code or barcode, quantity, optional price).
    ImportCart(PathBuf),
    /// Products by their exact code or barcode, with price and stock, for the cart.
    Lookup(Vec<String>),
    /// A payment received for an order known by its number.
    PayByNumber {
        order_no: String,
        payment: Payment,
    },
    /// The order a reshipment is made from: its receiver and lines.
    Original(i64),
    /// A manual order to edit: its receiver, lines and amounts.
    Load(i64),
    /// The same, known by its number.
    LoadNumber(String),
    /// A manual order not yet printed, changed: receiver, lines, postage, cash on
    /// delivery, remark and message replaced, then reviewed again.
    Edit {
        id: i64,
        order: Box<ManualOrder>,
    },
}

/// A product as the cart shows it: found by its exact code or barcode, with its price
/// and stock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartProduct {
    pub price_cents: i64,
    pub stock: StockRow,
}

/// A new order as it stands after its creation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Created {
    pub id: i64,
    pub order_no: String,
    /// Approved by the review (its stock reserved).
    pub approved: bool,
    /// Why the review left it pending.
    pub problems: Vec<ReviewProblem>,
    pub paid: bool,
}

/// The store's answers.
#[derive(Debug)]
pub enum Reply {
    Products {
        generation: u64,
        page: ProductPage,
    },
    Components {
        code: String,
        parts: Vec<(String, String, i64, i64)>,
    },
    Created(Created),
    Paid {
        order_no: String,
    },
    Reshipped(Created),
    Customers(Vec<CustomerRow>),
    Customer(Box<CustomerDetail>),
    /// The customer as stored after the save (tags tidied).
    CustomerSaved(Box<CustomerDetail>),
    Cart(CartImport),
    /// Each key asked for, and its product if one has that code or barcode.
    Found(Vec<(String, Option<CartProduct>)>),
    Original(Box<OrderDetail>),
    Loaded(Box<OrderDetail>),
    /// The order as it stands after the edit (`approved`: reviewed again and approved).
    Edited(Created),
}

impl Reply {
    pub fn changed(&self) -> Changed {
        match self {
            Reply::Created(_) | Reply::Reshipped(_) | Reply::Paid { .. } | Reply::Edited(_) => {
                Changed::ORDERS | Changed::STOCK | Changed::SHIPPING
            }
            _ => Changed::NOTHING,
        }
    }
}

pub fn handle(store: &mut Store, operator: &str, request: Request) -> Result<Reply> {
    Ok(match request {
        Request::Products { generation, search } => Reply::Products {
            generation,
            page: store.product_page(&ProductFilter {
                search,
                limit: SEARCH_LIMIT,
                ..ProductFilter::default()
            })?,
        },
        Request::Components(code) => Reply::Components {
            parts: store.bundle_parts(&code)?,
            code,
        },
        Request::Create { order, payment } => {
            Reply::Created(create(store, operator, &order, payment.as_ref())?)
        }
        Request::Pay { id, payment } => Reply::Paid {
            order_no: store.record_payment(
                id,
                payment.method,
                payment.amount_cents,
                &payment.note,
                operator,
            )?,
        },
        Request::Reship {
            original,
            lines,
            reason,
        } => Reply::Reshipped(reship(store, operator, original, &lines, &reason)?),
        Request::Customers(search) => Reply::Customers(store.customers(&search, 200)?),
        Request::Customer(id) => Reply::Customer(Box::new(store.customer(id)?)),
        Request::SaveCustomer { id, tags, note } => {
            store.set_customer_note(id, &tags, &note)?;
            Reply::CustomerSaved(Box::new(store.customer(id)?))
        }
        Request::ImportCart(path) => Reply::Cart(import_cart(store, &path)?),
        Request::Lookup(keys) => {
            let mut found = Vec::with_capacity(keys.len());
            for key in keys {
                let product = lookup(store, &key)?;
                found.push((key, product));
            }
            Reply::Found(found)
        }
        Request::PayByNumber { order_no, payment } => {
            let id = store.find_order(&order_no)?;
            Reply::Paid {
                order_no: store.record_payment(
                    id,
                    payment.method,
                    payment.amount_cents,
                    &payment.note,
                    operator,
                )?,
            }
        }
        Request::Original(id) => Reply::Original(Box::new(store.order_detail(id)?)),
        Request::Load(id) => Reply::Loaded(Box::new(store.order_detail(id)?)),
        Request::LoadNumber(order_no) => {
            let id = store.find_order(&order_no)?;
            Reply::Loaded(Box::new(store.order_detail(id)?))
        }
        Request::Edit { id, order } => Reply::Edited(edit(store, operator, id, &order)?.0),
    })
}

/// The product with this exact code or barcode (active or not), with its price and stock.
pub fn lookup(store: &Store, key: &str) -> Result<Option<CartProduct>> {
    let key = key.trim();
    if key.is_empty() || !store.product_exists(key)? {
        return Ok(None);
    }
    let page = store.product_page(&ProductFilter {
        search: key.to_owned(),
        include_inactive: true,
        limit: 200,
        ..ProductFilter::default()
    })?;
    // An exact code first; else the one row that carries the key as a barcode.
    let mut rows: Vec<&StockRow> = page.rows.iter().filter(|r| r.code == key).collect();
    if rows.is_empty() {
        rows = page.rows.iter().collect();
    }
    for row in rows {
        let detail = store.product_detail(row.id)?;
        if row.code == key || detail.product.barcodes.iter().any(|b| b == key) {
            return Ok(Some(CartProduct {
                price_cents: detail.product.price_cents,
                stock: row.clone(),
            }));
        }
    }
    Ok(None)
}

/// Creates a manual order, reviews it and records the payment taken with it, if any.
pub fn create(
    store: &mut Store,
    operator: &str,
    order: &ManualOrder,
    payment: Option<&Payment>,
) -> Result<Created> {
    let (id, order_no) = store.create_manual_order(order, operator)?;
    let paid = match payment {
        Some(p) => {
            store.record_payment(id, p.method, p.amount_cents, &p.note, operator)?;
            true
        }
        None => false,
    };
    let review = store.review_orders(&[id], operator)?;
    let (approved, problems) = review
        .into_iter()
        .next()
        .map(|r| (r.approved, r.problems))
        .unwrap_or_default();
    Ok(Created {
        id,
        order_no,
        approved,
        problems,
        paid,
    })
}

/// Creates a reshipment of `original` and reviews it.
pub fn reship(
    store: &mut Store,
    operator: &str,
    original: i64,
    lines: &[ManualLine],
    reason: &str,
) -> Result<Created> {
    let (id, order_no) = store.create_reshipment(original, lines, reason, operator)?;
    let review = store.review_orders(&[id], operator)?;
    let (approved, problems) = review
        .into_iter()
        .next()
        .map(|r| (r.approved, r.problems))
        .unwrap_or_default();
    Ok(Created {
        id,
        order_no,
        approved,
        problems,
        paid: true,
    })
}

/// Changes a manual order not yet printed and reviews it again when the change sent it
/// back to review (or it was waiting there). Also says whether anything changed.
pub fn edit(
    store: &mut Store,
    operator: &str,
    id: i64,
    order: &ManualOrder,
) -> Result<(Created, bool)> {
    let (order_no, changed) = store.update_manual_order(id, order, operator)?;
    let detail = store.order_detail(id)?;
    let (approved, problems) = if detail.row.state == OrderState::PendingReview {
        store
            .review_orders(&[id], operator)?
            .into_iter()
            .next()
            .map(|r| (r.approved, r.problems))
            .unwrap_or_default()
    } else {
        (detail.row.state == OrderState::Approved, Vec::new())
    };
    Ok((
        Created {
            id,
            order_no,
            approved,
            problems,
            paid: detail.row.payment.is_paid(),
        },
        changed,
    ))
}

/// A stored manual order as it would be typed: its receiver, its lines by product code at
/// their prices, postage, cash on delivery, remark and message. The starting point of an
/// edit.
pub fn manual_order_of(detail: &OrderDetail) -> ManualOrder {
    ManualOrder {
        receiver: Receiver {
            name: detail.row.receiver_name.clone(),
            phone: detail.row.receiver_phone.clone(),
            province: detail.row.province.clone(),
            city: detail.row.city.clone(),
            district: detail.district.clone(),
            address: detail.address.clone(),
            postcode: detail.postcode.clone(),
        },
        lines: detail
            .lines
            .iter()
            .map(|l| ManualLine {
                code: l.product_code.clone().unwrap_or_else(|| l.sku.clone()),
                quantity: l.quantity,
                unit_price_cents: Some(l.unit_price_cents),
            })
            .collect(),
        postage_cents: detail.amounts.postage_cents,
        cash_on_delivery: detail.cash_on_delivery,
        remark: detail.row.seller_remark.clone(),
        buyer_message: detail.buyer_message.clone(),
    }
}

/// A pasted receiver as an order's receiver, or why it cannot be one: every division
/// must be found in the table (the street, name and phone must be there too).
pub fn receiver_of(text: &str) -> Result<(Receiver, ParsedAddress)> {
    let parsed = parse_address(text);
    let mut missing = Vec::new();
    for (field, value) in [
        ("name", &parsed.name),
        ("phone", &parsed.phone),
        ("province", &parsed.province),
        ("city", &parsed.city),
        ("district", &parsed.district),
        ("street address", &parsed.address),
    ] {
        if value.trim().is_empty() {
            missing.push(field);
        }
    }
    if !missing.is_empty() {
        return Err(AppError::Store(StoreError::Invalid(format!(
            "--receiver {text:?}: cannot find the {} (expected e.g. \"张三 13800138000 浙江省杭州市西湖区文三路100号\")",
            missing.join(", ")
        ))));
    }
    if parsed.unsure.contains(&Field::District) {
        return Err(AppError::Store(StoreError::Invalid(format!(
            "--receiver {text:?}: the district {} is ambiguous; write the city too",
            parsed.district
        ))));
    }
    Ok((
        Receiver {
            name: parsed.name.clone(),
            phone: parsed.phone.clone(),
            province: parsed.province.clone(),
            city: parsed.city.clone(),
            district: parsed.district.clone(),
            address: parsed.address.clone(),
            postcode: parsed.postcode.clone(),
        },
        parsed,
    ))
}

/// Cart lines read from a spreadsheet, and the bad cells and unknown products.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CartImport {
    pub lines: Vec<CartLine>,
    /// `file:line: column NAME: reason`, one per bad cell or unknown product.
    pub errors: Vec<String>,
    /// The encoding the file was read with, when it is the detector's guess.
    pub guessed: Option<String>,
}

/// Reads cart lines from a CSV (UTF-8 or GBK): a header row, then code or barcode,
/// quantity and an optional unit price. Every bad cell is reported with its line and
/// column, and so is a product that does not exist.
pub fn import_cart(store: &Store, path: &Path) -> Result<CartImport> {
    let file = crate::import::cart::read_cart(path)?;
    let mut out = CartImport {
        errors: file.rejected.iter().map(ToString::to_string).collect(),
        guessed: file.guessed.map(|e| e.name().to_owned()),
        ..CartImport::default()
    };
    for (line, cart_line) in file.lines {
        if store.product_exists(&cart_line.code)? {
            out.lines.push(cart_line);
        } else {
            let error = crate::import::RowError {
                file: path.to_path_buf(),
                sheet: file.sheet.clone(),
                line,
                column: "code".to_owned(),
                message: format!("no product with code or barcode {:?}", cart_line.code),
            };
            out.errors.push(error.to_string());
        }
    }
    Ok(out)
}

impl Request {
    /// What the request needs the operator to be allowed to do (`None`: a read).
    pub fn action(&self) -> Option<crate::domain::operators::Action> {
        use crate::domain::operators::Action;
        match self {
            Request::Create { .. }
            | Request::Pay { .. }
            | Request::PayByNumber { .. }
            | Request::Reship { .. }
            | Request::Edit { .. } => Some(Action::OrdersManual),
            Request::SaveCustomer { .. } => Some(Action::Customers),
            Request::Products { .. }
            | Request::Components(_)
            | Request::Customers(_)
            | Request::Customer(_)
            | Request::ImportCart(_)
            | Request::Lookup(_)
            | Request::Original(_)
            | Request::Load(_)
            | Request::LoadNumber(_) => None,
        }
    }
}
