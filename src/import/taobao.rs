//! Taobao/Tmall seller-center export: the order report (`ExportOrderList*.csv`, one row per
//! order) and the item report (`ExportOrderDetailList*.csv`, one row per line), joined on
//! 订单编号.
//!
//! Columns are found by header name (trimmed: Taobao writes `收货地址 ` with a space), with
//! a few names used by other years' exports accepted too. Required in the order report:
//! 订单编号, 买家会员名, 买家实际支付金额, 订单状态, 收货人姓名, 收货地址, 订单创建时间, and
//! 联系手机 or 联系电话. Required in the item report: 订单编号, 标题, 价格, 购买数量. If the two
//! files are given the wrong way round, they are swapped (the headers tell them apart).
//!
//! | column | becomes |
//! |---|---|
//! | 订单编号 | `order_no` (digits; `="…"` unwrapped; scientific notation is an error) |
//! | 买家会员名 | `buyer_id` |
//! | 收货人姓名 | `receiver_name` |
//! | 联系手机 / 联系电话 | `receiver_phone` (the mobile, else the landline) / `receiver_phone2` (the landline when both), `'` dropped |
//! | 收货地址 | province, city, district, street, postcode by [`split_taobao_address`] |
//! | 买家应付货款 | `goods_cents`; when the column is absent, the sum of the item lines |
//! | 买家应付邮费 | `postage_cents` |
//! | 买家实际支付金额 | what the buyer owes after coupons: `discount_cents` = goods + postage − it (when it is 0, as for unpaid orders, 总金额 is used); `paid_cents` = it once paid |
//! | 退款金额 | `refunded_cents` |
//! | 订单状态 | `state`, `payment_status` by the table below; the text kept in `platform_status` |
//! | 订单创建时间 / 订单付款时间 | `ordered_at` / `paid_at`, China time (+08:00) |
//! | 买家留言 / 订单备注 | `buyer_message` / `seller_remark` |
//! | 物流公司 / 物流单号 | `courier` / `tracking_no` (`No:` prefix dropped) |
//! | 宝贝总数量 | checked against the item lines' quantities: `0` (old layouts) or a disagreement is a remark on the order ([`QUANTITY_REMARK`]), never a rejection; the lines are what is imported |
//! | items: 商家编码, else 外部系统编号 | line `sku` |
//! | items: 标题, 价格, 购买数量 | line `title`, `unit_price_cents`, `quantity` |
//! | items: 商品属性 (+ `;套餐：`套餐信息) | line `attributes` |
//!
//! The items' 备注 and 订单状态 are not used (the order report carries the order's).
//!
//! Older layouts (2006–2010, 27 columns ending at 店铺名称) stop some rows early: missing
//! trailing cells read as empty, unless the row stops before a column the order needs
//! (number, buyer, receiver, address, status, amounts, creation time), which is a row error
//! on that column.
//!
//! Status texts (full-width or ASCII comma and brackets, spaces ignored):
//!
//! | 订单状态 | state | payment |
//! |---|---|---|
//! | 等待买家付款, 待付款 | pending_review | unpaid |
//! | 买家已付款，等待卖家发货, 等待卖家发货, 待发货 | pending_review | paid |
//! | 卖家部分发货 | pending_review | paid (the rest still has to go out) |
//! | 卖家已发货，等待买家确认, 等待买家确认收货, 已发货 | shipped | paid (shipped outside ShopDesk) |
//! | 交易成功 | shipped | paid (not archived automatically) |
//! | 交易关闭, 付款以前，卖家或买家主动关闭交易 | cancelled | unpaid |
//! | 交易关闭(退款), 付款以后用户退款成功，交易自动关闭 | cancelled | refunded |
//!
//! Whatever the status, a 退款金额 above 0 makes the payment refunded (all of it) or
//! partly refunded. An unknown status text is a row error listing the known ones.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::address::split_taobao_address;
use super::cells::{
    CHINA_OFFSET_MINUTES, clean, datetime, money, money_or_zero, optional_datetime, order_number,
    quantity,
};
use super::reader::{
    Column, ColumnSpec, CsvFile, OrderIndex, Place, Row, capacity_for, is_blank, spec,
};
use super::{EncodingChoice, ImportError, Parsed, Progress, RowError};
use crate::domain::model::{NewOrder, NewOrderLine};
use crate::domain::{OrderState, PaymentStatus};

/// The platform code of these orders.
pub const PLATFORM: &str = "taobao";

/// The start of the remark on an order whose 宝贝总数量 disagrees with its item lines
/// (followed by `N ≠ M（item report）`); the lines are what is imported.
pub const QUANTITY_REMARK: &str = "宝贝总数量与宝贝明细不符，以明细为准：";

/// Every known status text (normalised: ASCII comma and brackets) and what it maps to.
pub const TAOBAO_STATUSES: [(&str, OrderState, PaymentStatus); 16] = [
    (
        "等待买家付款",
        OrderState::PendingReview,
        PaymentStatus::Unpaid,
    ),
    ("待付款", OrderState::PendingReview, PaymentStatus::Unpaid),
    (
        "买家已付款,等待卖家发货",
        OrderState::PendingReview,
        PaymentStatus::Paid,
    ),
    (
        "等待卖家发货",
        OrderState::PendingReview,
        PaymentStatus::Paid,
    ),
    ("待发货", OrderState::PendingReview, PaymentStatus::Paid),
    (
        "卖家部分发货",
        OrderState::PendingReview,
        PaymentStatus::Paid,
    ),
    (
        "卖家已发货,等待买家确认",
        OrderState::Shipped,
        PaymentStatus::Paid,
    ),
    ("等待买家确认收货", OrderState::Shipped, PaymentStatus::Paid),
    ("已发货", OrderState::Shipped, PaymentStatus::Paid),
    ("交易成功", OrderState::Shipped, PaymentStatus::Paid),
    ("交易关闭", OrderState::Cancelled, PaymentStatus::Unpaid),
    (
        "付款以前,卖家或买家主动关闭交易",
        OrderState::Cancelled,
        PaymentStatus::Unpaid,
    ),
    (
        "交易关闭(退款)",
        OrderState::Cancelled,
        PaymentStatus::Refunded,
    ),
    (
        "付款以后用户退款成功,交易自动关闭",
        OrderState::Cancelled,
        PaymentStatus::Refunded,
    ),
    ("交易自动关闭", OrderState::Cancelled, PaymentStatus::Unpaid),
    ("交易已关闭", OrderState::Cancelled, PaymentStatus::Unpaid),
];

/// Maps a Taobao status text to (state, payment before refunds); `None` when unknown.
pub fn taobao_status(text: &str) -> Option<(OrderState, PaymentStatus)> {
    let normalised = || {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '，' => ',',
                '（' => '(',
                '）' => ')',
                c => c,
            })
    };
    TAOBAO_STATUSES
        .iter()
        .find(|(known, _, _)| known.chars().eq(normalised()))
        .map(|&(_, state, payment)| (state, payment))
}

mod order_col {
    pub const NO: usize = 0;
    pub const BUYER: usize = 1;
    pub const GOODS: usize = 2;
    pub const POSTAGE: usize = 3;
    pub const TOTAL: usize = 4;
    pub const ACTUAL: usize = 5;
    pub const STATUS: usize = 6;
    pub const MESSAGE: usize = 7;
    pub const RECEIVER: usize = 8;
    pub const ADDRESS: usize = 9;
    pub const PHONE: usize = 10;
    pub const MOBILE: usize = 11;
    pub const CREATED: usize = 12;
    pub const PAID: usize = 13;
    pub const TRACKING: usize = 14;
    pub const COURIER: usize = 15;
    pub const REMARK: usize = 16;
    pub const QUANTITY: usize = 17;
    pub const REFUND: usize = 18;
}

/// The order report's columns an order truly needs: a row that stops before one of them
/// is rejected; a row that stops before the others reads them as empty.
const NEEDED_ORDER_COLUMNS: [usize; 9] = [
    order_col::NO,
    order_col::BUYER,
    order_col::ACTUAL,
    order_col::STATUS,
    order_col::RECEIVER,
    order_col::ADDRESS,
    order_col::CREATED,
    order_col::GOODS,
    order_col::POSTAGE,
];

pub(crate) const ORDER_COLUMNS: [ColumnSpec; 19] = [
    spec(&["订单编号", "订单号", "主订单编号"], true),
    spec(&["买家会员名", "买家昵称", "买家会员名称"], true),
    spec(&["买家应付货款"], false),
    spec(&["买家应付邮费", "邮费"], false),
    spec(&["总金额"], false),
    spec(&["买家实际支付金额", "买家实付金额", "实付金额"], true),
    spec(&["订单状态"], true),
    spec(&["买家留言"], false),
    spec(&["收货人姓名", "收货人"], true),
    spec(&["收货地址"], true),
    spec(&["联系电话"], false),
    spec(&["联系手机", "手机"], false),
    spec(&["订单创建时间", "创建时间", "下单时间"], true),
    spec(&["订单付款时间", "付款时间"], false),
    spec(&["物流单号", "运单号"], false),
    spec(&["物流公司", "快递公司"], false),
    spec(&["订单备注", "卖家备注"], false),
    spec(&["宝贝总数量"], false),
    spec(&["退款金额"], false),
];

mod item_col {
    pub const NO: usize = 0;
    pub const TITLE: usize = 1;
    pub const PRICE: usize = 2;
    pub const QUANTITY: usize = 3;
    pub const OUTER_ID: usize = 4;
    pub const ATTRIBUTES: usize = 5;
    pub const PACKAGE: usize = 6;
    pub const SKU: usize = 7;
}

pub(crate) const ITEM_COLUMNS: [ColumnSpec; 8] = [
    spec(&["订单编号", "订单号", "主订单编号"], true),
    spec(&["标题", "宝贝标题", "商品标题"], true),
    spec(&["价格", "单价", "商品价格"], true),
    spec(&["购买数量", "数量", "宝贝数量"], true),
    spec(&["外部系统编号"], false),
    spec(&["商品属性"], false),
    spec(&["套餐信息"], false),
    spec(&["商家编码"], false),
];

fn looks_like_items(headers: &[String]) -> bool {
    headers.iter().any(|h| h == "购买数量") && !headers.iter().any(|h| h == "收货地址")
}

fn looks_like_orders(headers: &[String]) -> bool {
    headers.iter().any(|h| h == "收货地址")
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// An order row, converted, waiting for its item lines.
struct Draft {
    order: NewOrder,
    line: u64,
    /// Payment by the status text, before refunds.
    payment: PaymentStatus,
    goods_cents: Option<i64>,
    total_cents: Option<i64>,
    actual_cents: i64,
    expected_quantity: Option<i64>,
    /// The order's own row, or one of its item rows, was rejected: leave it out.
    rejected: bool,
}

/// Parses a Taobao order report and item report. `progress` gets the bytes read over both
/// files (the order report first). The encoding choice applies to both files.
pub fn parse_taobao(
    orders: &Path,
    items: &Path,
    encoding: EncodingChoice,
    progress: Progress<'_>,
) -> Result<Parsed, ImportError> {
    let mut order_file = CsvFile::open(orders, encoding)?;
    let mut item_file = CsvFile::open(items, encoding)?;
    if looks_like_items(&order_file.headers) && looks_like_orders(&item_file.headers) {
        std::mem::swap(&mut order_file, &mut item_file);
    }
    let hint_items = |headers: &[String]| {
        looks_like_items(headers).then(|| {
            "this looks like the item report (ExportOrderDetailList); give the order report \
             (ExportOrderList) too"
                .to_owned()
        })
    };
    let order_columns = order_file.columns(&ORDER_COLUMNS, hint_items)?;
    if order_columns[order_col::PHONE].is_none() && order_columns[order_col::MOBILE].is_none() {
        return Err(order_file.missing(vec!["联系手机".to_owned()], None));
    }
    let hint_orders = |headers: &[String]| {
        looks_like_orders(headers).then(|| {
            "this looks like the order report (ExportOrderList); give the item report \
             (ExportOrderDetailList) too"
                .to_owned()
        })
    };
    let item_columns = item_file.columns(&ITEM_COLUMNS, hint_orders)?;

    let mut parsed = Parsed {
        encodings: vec![
            (order_file.path.clone(), order_file.encoding),
            (item_file.path.clone(), item_file.encoding),
        ],
        guessed: [order_file.guessed(), item_file.guessed()]
            .into_iter()
            .flatten()
            .collect(),
        ..Parsed::default()
    };

    // The two files are read at the same time, the item report on a second thread; the
    // progress callback stays on this thread and sees the bytes of both.
    let items_read = item_file.bytes_counter();
    let stop = AtomicBool::new(false);
    let (orders_result, items_result) = std::thread::scope(|scope| {
        let items = scope.spawn(|| read_items(&mut item_file, &item_columns, &stop));
        let both = |orders_read: u64| {
            let go_on = progress(orders_read + items_read.load(Ordering::Relaxed));
            if !go_on {
                stop.store(true, Ordering::Relaxed);
            }
            go_on
        };
        let orders_result = read_orders(&mut order_file, &order_columns, &both);
        if orders_result.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        let orders_read = order_file.bytes_read();
        while !items.is_finished() {
            std::thread::sleep(std::time::Duration::from_millis(5));
            both(orders_read);
        }
        let items_result = match items.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        (orders_result, items_result)
    });
    let mut orders = orders_result?;
    let items = items_result?;
    // The last progress report: everything read.
    if !progress(order_file.bytes_read() + item_file.bytes_read()) {
        return Err(ImportError::Cancelled);
    }

    let mut item_errors = items.errors;
    let orders_name = file_name(&order_file.path);
    let no_column = column_name(&item_columns, item_col::NO);
    for item in items.rows {
        match orders.index.get(item.order_no.as_str()) {
            Some(&at) => {
                let draft = &mut orders.drafts[at];
                match item.line {
                    Some(line) => draft.order.lines.push(line),
                    None => draft.rejected = true,
                }
            }
            None => {
                let mut message = format!(
                    "order {} is not in the order report {orders_name}",
                    item.order_no
                );
                if orders.unreadable_numbers {
                    message.push_str(" (or its row there has an unreadable order number)");
                }
                item_errors.push(item_file.place().error(item.at, no_column, message));
            }
        }
    }

    let items_name = file_name(&item_file.path);
    let mut order_errors = orders.errors;
    parsed.orders.reserve_exact(orders.drafts.len());
    for draft in orders.drafts {
        if draft.rejected {
            continue;
        }
        match finish(draft, &order_columns, order_file.place(), &items_name) {
            Ok(order) => parsed.orders.push(order),
            Err(error) => order_errors.push(error),
        }
    }
    order_errors.sort_by_key(|e| e.line);
    item_errors.sort_by_key(|e| e.line);
    parsed.rejected = order_errors;
    parsed.rejected.append(&mut item_errors);
    Ok(parsed)
}

/// The order report, read: drafts in file order, found by order number.
struct OrderRows {
    drafts: Vec<Draft>,
    index: OrderIndex,
    errors: Vec<RowError>,
    /// Some row's order number could not be read (e.g. scientific notation).
    unreadable_numbers: bool,
}

/// Records handed from the order report's reader to its converter at a time.
const ORDER_BATCH: usize = 512;

/// Reads the order report. Reading (decoding and splitting the CSV, with the progress
/// callback) stays on this thread while a second one turns the records into orders: the
/// order report is the longest part of a Taobao parse, and the item report's thread is
/// done early with its smaller file.
fn read_orders(
    file: &mut CsvFile,
    columns: &[Option<Column>],
    progress: Progress<'_>,
) -> Result<OrderRows, ImportError> {
    let path = file.path.clone();
    let sheet = file.sheet.clone();
    let headers = file.headers.clone();
    let encoding = file.encoding;
    let capacity = capacity_for(file.size, 150);
    let (send, batches) = std::sync::mpsc::sync_channel::<Vec<csv::StringRecord>>(8);
    std::thread::scope(|scope| {
        let converter = std::thread::Builder::new()
            .name("shopdesk-import-orders".to_owned())
            .spawn_scoped(scope, move || {
                let place = Place {
                    file: &path,
                    sheet: sheet.as_deref(),
                };
                convert_orders(batches, place, &headers, encoding, columns, capacity)
            })
            .map_err(|source| ImportError::Io {
                file: file.path.clone(),
                source,
            })?;
        let read = (|| -> Result<(), ImportError> {
            let mut batch = Vec::with_capacity(ORDER_BATCH);
            loop {
                let mut record = csv::StringRecord::new();
                if !file.next(&mut record, progress, 0)? {
                    break;
                }
                batch.push(record);
                if batch.len() == ORDER_BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(ORDER_BATCH));
                    if send.send(full).is_err() {
                        return Ok(());
                    }
                }
            }
            if !batch.is_empty() {
                // A closed channel only means the converter stopped; its result says why.
                let _ = send.send(batch);
            }
            Ok(())
        })();
        // Closing the channel ends the converter's loop.
        drop(send);
        let rows = converter
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        read?;
        Ok(rows)
    })
}

/// The converting half of [`read_orders`]: records to order drafts, in file order
/// (blank records are skipped).
fn convert_orders(
    batches: impl IntoIterator<Item = Vec<csv::StringRecord>>,
    place: Place<'_>,
    headers: &[String],
    encoding: super::Encoding,
    columns: &[Option<Column>],
    capacity: usize,
) -> OrderRows {
    let mut rows = OrderRows {
        drafts: Vec::with_capacity(capacity),
        index: OrderIndex::default(),
        errors: Vec::new(),
        unreadable_numbers: false,
    };
    for record in batches.into_iter().flatten() {
        if is_blank(&record) {
            continue;
        }
        let mut row = Row::new(place, &record);
        let needed: Vec<Option<&Column>> = NEEDED_ORDER_COLUMNS
            .iter()
            .map(|&at| columns[at].as_ref())
            .collect();
        row.check_short_record(headers, encoding, &needed);
        let draft = order_row(&mut row, columns);
        // A row that stops before a needed column is said once, not again by its cell.
        let mut seen = std::collections::HashSet::new();
        row.errors.retain(|e| seen.insert(e.column.clone()));
        rows.errors.append(&mut row.errors);
        let Some(draft) = draft else {
            rows.unreadable_numbers = true;
            continue;
        };
        match rows.index.get(&draft.order.order_no) {
            Some(&first) => {
                rows.drafts[first].rejected = true;
                rows.errors.push(place.error(
                    draft.line,
                    column_name(columns, order_col::NO),
                    format!(
                        "order {} appears twice (also on line {}); neither row is imported",
                        draft.order.order_no, rows.drafts[first].line
                    ),
                ));
            }
            None => {
                rows.index
                    .insert(draft.order.order_no.clone(), rows.drafts.len());
                rows.drafts.push(draft);
            }
        }
    }
    rows
}

/// One row of the item report with a readable order number.
struct ItemRow {
    order_no: String,
    /// The physical line, for "not in the order report".
    at: u64,
    /// `None` when a cell of the row was bad (its error is already recorded).
    line: Option<NewOrderLine>,
}

struct ItemRows {
    rows: Vec<ItemRow>,
    errors: Vec<RowError>,
}

fn read_items(
    file: &mut CsvFile,
    columns: &[Option<Column>],
    stop: &AtomicBool,
) -> Result<ItemRows, ImportError> {
    let mut items = ItemRows {
        rows: Vec::with_capacity(capacity_for(file.size, 100)),
        errors: Vec::new(),
    };
    let go_on = |_: u64| !stop.load(Ordering::Relaxed);
    let mut record = csv::StringRecord::new();
    while file.next(&mut record, &go_on, 0)? {
        if is_blank(&record) {
            continue;
        }
        let mut row = Row::new(file.place(), &record);
        row.check_record(&file.headers, file.encoding);
        let item = item_row(&mut row, columns);
        let errors_in_row = !row.errors.is_empty();
        items.errors.append(&mut row.errors);
        if let Some((order_no, line)) = item {
            items.rows.push(ItemRow {
                order_no: order_no.to_owned(),
                at: row.line,
                line: line.filter(|_| !errors_in_row),
            });
        }
    }
    Ok(items)
}

fn column_name(columns: &[Option<Column>], at: usize) -> &str {
    columns[at].as_ref().map_or("", |c| c.name.as_str())
}

/// Converts an order row. `None` when its order number is unreadable; otherwise a draft,
/// marked rejected when any cell failed (the errors are in `row.errors`).
fn order_row(row: &mut Row<'_>, columns: &[Option<Column>]) -> Option<Draft> {
    use order_col as c;
    let col = |at: usize| columns[at].as_ref();
    let order_no = row.convert(col(c::NO), |s| order_number(s, true).map(str::to_owned));
    let ordered_at = row.convert(col(c::CREATED), |s| datetime(s, CHINA_OFFSET_MINUTES));
    let paid_at = row
        .convert(col(c::PAID), |s| optional_datetime(s, CHINA_OFFSET_MINUTES))
        .flatten();
    let status_text = row.text(col(c::STATUS));
    let status = row.convert(col(c::STATUS), |_| {
        taobao_status(&status_text).ok_or_else(|| {
            let known: Vec<&str> = TAOBAO_STATUSES.iter().map(|(t, _, _)| *t).collect();
            format!(
                "unknown order status \"{status_text}\"; known: {}",
                known.join(" / ")
            )
        })
    });
    let goods_cents = match col(c::GOODS) {
        Some(column) => row.convert(Some(column), money),
        None => None,
    };
    let total_cents = match col(c::TOTAL) {
        Some(column) => row.convert(Some(column), money_or_zero),
        None => None,
    };
    let actual_cents = row.convert(col(c::ACTUAL), money);
    let postage_cents = row.convert(col(c::POSTAGE), money_or_zero);
    let refunded_cents = row.convert(col(c::REFUND), money_or_zero);
    // A summary the item report makes redundant: read when it is a number, never a reason
    // to refuse the order (old layouts write 0).
    let expected_quantity = clean(row.raw(col(c::QUANTITY))).parse::<i64>().ok();

    let order_no = order_no?;
    let mut order = NewOrder::new(
        PLATFORM,
        &order_no,
        ordered_at.as_deref().unwrap_or_default(),
    );
    order.buyer_id = row.text(col(c::BUYER));
    order.receiver_name = row.text(col(c::RECEIVER));
    let mobile = row.exact_number(col(c::MOBILE), "phone");
    let landline = row.exact_number(col(c::PHONE), "phone");
    if mobile.is_empty() {
        order.receiver_phone = landline;
    } else {
        order.receiver_phone = mobile;
        order.receiver_phone2 = landline;
    }
    let address = split_taobao_address(row.raw(col(c::ADDRESS)));
    address.write_to(&mut order);
    order.buyer_message = row.text(col(c::MESSAGE));
    order.seller_remark = row.text(col(c::REMARK));
    order.courier = row.text(col(c::COURIER));
    let tracking = row.exact_number(col(c::TRACKING), "tracking number");
    let tracking = tracking.as_str();
    order.tracking_no = tracking
        .strip_prefix("No:")
        .or_else(|| tracking.strip_prefix("No："))
        .unwrap_or(tracking)
        .trim()
        .to_owned();
    order.platform_status = status_text;
    order.paid_at = paid_at;
    order.postage_cents = postage_cents.unwrap_or_default();
    order.refunded_cents = refunded_cents.unwrap_or_default();
    let (state, payment) = status.unwrap_or((OrderState::PendingReview, PaymentStatus::Unpaid));
    order.state = state;
    Some(Draft {
        order,
        line: row.line,
        payment,
        goods_cents,
        total_cents,
        actual_cents: actual_cents.unwrap_or_default(),
        expected_quantity,
        rejected: !row.errors.is_empty(),
    })
}

/// Converts an item row: its order number (if readable) and its line (if every cell is).
fn item_row<'r>(
    row: &mut Row<'r>,
    columns: &[Option<Column>],
) -> Option<(&'r str, Option<NewOrderLine>)> {
    use item_col as c;
    let col = |at: usize| columns[at].as_ref();
    let raw = row.raw(col(c::NO));
    let order_no = row.convert(col(c::NO), |_| order_number(raw, true));
    let unit_price_cents = row.convert(col(c::PRICE), money);
    let quantity = row.convert(col(c::QUANTITY), quantity);
    let order_no = order_no?;
    let (Some(unit_price_cents), Some(quantity)) = (unit_price_cents, quantity) else {
        return Some((order_no, None));
    };
    let sku = match clean(row.raw(col(c::SKU))) {
        "" => clean(row.raw(col(c::OUTER_ID))),
        sku => sku,
    };
    let attributes = clean(row.raw(col(c::ATTRIBUTES)));
    let package = clean(row.raw(col(c::PACKAGE)));
    let attributes = match (attributes.is_empty(), package.is_empty()) {
        (_, true) => attributes.to_owned(),
        (true, false) => format!("套餐：{package}"),
        (false, false) => format!("{attributes};套餐：{package}"),
    };
    Some((
        order_no,
        Some(NewOrderLine {
            sku: sku.to_owned(),
            title: row.text(col(c::TITLE)),
            attributes,
            quantity,
            unit_price_cents,
        }),
    ))
}

/// Checks an order against its lines and works out the amounts.
fn finish(
    draft: Draft,
    columns: &[Option<Column>],
    file: Place<'_>,
    items_name: &str,
) -> Result<NewOrder, RowError> {
    use order_col as c;
    let Draft {
        mut order, line, ..
    } = draft;
    let error = |at: usize, message: String| file.error(line, column_name(columns, at), message);
    if order.lines.is_empty() {
        return Err(error(
            c::NO,
            format!(
                "order {} has no rows in the item report {items_name}",
                order.order_no
            ),
        ));
    }
    let quantity: i64 = order.lines.iter().map(|l| l.quantity).sum();
    if let Some(expected) = draft.expected_quantity
        && expected != quantity
    {
        // A warning on the order, not a rejection: the item report's lines are what ships.
        super::rows::add_remark(
            &mut order,
            &format!("{QUANTITY_REMARK}{expected} ≠ {quantity}（{items_name}）"),
        );
    }
    let lines_cents = order
        .lines
        .iter()
        .try_fold(0i64, |sum, l| {
            l.unit_price_cents
                .checked_mul(l.quantity)
                .and_then(|cents| sum.checked_add(cents))
        })
        .ok_or_else(|| error(c::NO, "the item amounts are too large".to_owned()))?;
    order.goods_cents = draft.goods_cents.unwrap_or(lines_cents);
    let due_cents = order.goods_cents + order.postage_cents;
    let owed_cents = if draft.actual_cents > 0 {
        draft.actual_cents
    } else {
        draft.total_cents.filter(|&t| t > 0).unwrap_or(due_cents)
    };
    if owed_cents > due_cents {
        return Err(error(
            c::ACTUAL,
            format!(
                "the buyer pays {} but goods {} and postage {} come to only {}",
                crate::domain::format_cents(owed_cents),
                crate::domain::format_cents(order.goods_cents),
                crate::domain::format_cents(order.postage_cents),
                crate::domain::format_cents(due_cents),
            ),
        ));
    }
    order.discount_cents = due_cents - owed_cents;
    let refunded = order.refunded_cents > 0 || draft.payment == PaymentStatus::Refunded;
    let paid = draft.payment != PaymentStatus::Unpaid || order.refunded_cents > 0;
    order.paid_cents = if paid { owed_cents } else { 0 };
    order.payment_status = if refunded {
        if order.refunded_cents == 0 {
            order.refunded_cents = order.paid_cents;
        }
        if order.refunded_cents >= order.paid_cents {
            PaymentStatus::Refunded
        } else {
            PaymentStatus::PartlyRefunded
        }
    } else {
        draft.payment
    };
    Ok(order)
}
