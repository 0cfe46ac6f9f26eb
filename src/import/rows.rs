//! The reading shared by the exports that give **one row per order line** with the order's
//! own fields repeated on each of its rows (JD, Pinduoduo, Douyin): rows with the same
//! order number one after the other are the lines of one order; the order's fields are
//! read from its first row. The columns of the order as a whole ([`RowFormat::AGREE`]:
//! receiver, address, an amount stated per order) must say the same on every row of it:
//! a row that differs is a bad row of that column. A row whose status differs from the
//! order's (a sub-order closed or refunded, after-sales on one line, a line locked) holds
//! the order, flags it red and says which line in the remark ([`LINE_STATUS_REMARK`]); a
//! refunded line counts as refunded, and an order whose first row is closed while another
//! is not takes the status of the first open one. A marketplace module only says which columns it reads and how
//! a row becomes an order head and a line ([`RowFormat`]); grouping, duplicates, the
//! amounts and the payment after refunds are worked out here, the same way for all three.
//!
//! An order number that comes back after other orders is an error on both (the file was
//! cut and pasted, or two exports were joined): neither is imported. An order with any bad
//! row is left out whole.

use std::path::Path;

use super::cells::{
    CHINA_OFFSET_MINUTES, clean, datetime, grouped_money_or_zero, optional_datetime,
};
use super::reader::{Column, ColumnSpec, CsvFile, OrderIndex, Place, Row, capacity_for, is_blank};
use super::{EncodingChoice, ImportError, Parsed, Progress, RowError};
use crate::domain::model::{LINE_STATUS_REMARK, NewOrder, NewOrderLine};
use crate::domain::{Flag, OrderState, PaymentStatus, format_cents};

/// What an order's first row says about the whole order.
pub(crate) struct Head {
    /// The order with its own fields filled in; lines, goods, discount and paid amounts
    /// are filled in by [`finish`].
    pub order: NewOrder,
    /// Payment by the status text, before refunds.
    pub payment: PaymentStatus,
    /// The goods total as the file states it; `None`: the sum of the lines.
    pub goods_cents: Option<i64>,
    /// What the buyer owes for the whole order (after discounts, with postage) when the
    /// file states it once per order; `None`: the sum of [`Line::owed_cents`], else no
    /// discount.
    pub owed_cents: Option<i64>,
    /// The column the amounts are reported against.
    pub owed_column: usize,
}

/// One row's line.
pub(crate) struct Line {
    pub line: NewOrderLine,
    /// The line's goods total when the file states it (and the unit price may be rounded).
    pub goods_cents: Option<i64>,
    /// What the buyer owes for this line when the file states it per line.
    pub owed_cents: Option<i64>,
}

/// A marketplace's row layout.
pub(crate) trait RowFormat {
    /// The platform code of the orders.
    const PLATFORM: &'static str;
    /// The columns looked up by header name.
    const COLUMNS: &'static [ColumnSpec];
    /// The index (in [`Self::COLUMNS`]) of the order number.
    const ORDER_NO: usize;
    /// The columns of the order as a whole that every row of an order repeats.
    const AGREE: &'static [usize];
    /// The columns a row's status is read from (the status, the after-sales state): a
    /// later row whose cells there are the first row's has its status.
    const STATUS: &'static [usize];
    /// The column that names a row's line in a remark (a sub-order number, a product id)
    /// when filled; else [`RowFormat::TITLE`].
    const LINE_ID: Option<usize>;
    /// The column of a line's title.
    const TITLE: usize;
    /// Where the fields every layout states alike are.
    const COMMON: Common;
    /// The column of the order time in this row (a layout may take the first filled of
    /// several).
    fn ordered_at<'c>(_row: &Row<'_>, columns: &'c [Option<Column>]) -> Option<&'c Column> {
        columns[Self::COMMON.ordered_at].as_ref()
    }
    /// A hint when a required column is missing (e.g. "this looks like …").
    fn hint(_headers: &[String]) -> Option<String> {
        None
    }
    /// Checks the columns found as a whole (e.g. one of two alternatives).
    fn check_columns(_file: &CsvFile, _columns: &[Option<Column>]) -> Result<(), ImportError> {
        Ok(())
    }
    /// The order number of a row.
    fn order_no(cell: &str) -> Result<String, String>;
    /// The order's own fields from its first row, given the order with the fields of
    /// [`Self::COMMON`] read; errors go to `row.errors`.
    fn head(row: &mut Row<'_>, columns: &[Option<Column>], order: NewOrder) -> Head;
    /// The line of a row; `None` when a cell is bad (its error is in `row.errors`).
    fn line(row: &mut Row<'_>, columns: &[Option<Column>]) -> Option<Line>;
}

struct Draft {
    head: Head,
    line: u64,
    lines_goods_cents: Option<i64>,
    lines_owed_cents: Option<i64>,
    rejected: bool,
    /// The first row's cells of [`RowFormat::AGREE`], cleaned.
    agree: Vec<String>,
    /// The first row's cells of [`RowFormat::STATUS`], cleaned, and what they read as: a
    /// later row with the same cells has the same status without reading it again.
    status_cells: Vec<String>,
    first_status: LineStatus,
    /// Each row's status, in file order.
    statuses: Vec<LineStatus>,
    /// The sheet of its first row, in a spreadsheet.
    sheet: Option<String>,
}

/// What one row of an order says of its status.
#[derive(Clone)]
struct LineStatus {
    line: u64,
    /// The line as a remark names it.
    label: String,
    /// The platform's status text, with the after-sales text when there is one.
    status: String,
    platform_status: String,
    state: OrderState,
    payment: PaymentStatus,
    /// What the line comes to (owed, else goods).
    cents: i64,
}

impl LineStatus {
    fn new(line: u64, label: String, head: &Head) -> LineStatus {
        let order = &head.order;
        let after_sales: Vec<&str> = order
            .seller_remark
            .split("; ")
            .filter_map(|part| part.strip_prefix("售后："))
            .collect();
        let status = if after_sales.is_empty() {
            order.platform_status.clone()
        } else {
            format!("{}/{}", order.platform_status, after_sales.join("/"))
        };
        LineStatus {
            line,
            label,
            status,
            platform_status: order.platform_status.clone(),
            state: order.state,
            payment: head.payment,
            cents: 0,
        }
    }

    /// Closed or refunded: nothing of it is to be shipped.
    fn closed(&self) -> bool {
        self.state == OrderState::Cancelled || self.payment == PaymentStatus::Refunded
    }
}

/// The name of a row's line in a remark: its id column's header and cell when filled,
/// else its title.
fn line_label<F: RowFormat>(row: &Row<'_>, columns: &[Option<Column>]) -> String {
    if let Some(column) = F::LINE_ID.and_then(|at| columns[at].as_ref()) {
        let id = clean(row.raw(Some(column)));
        if !id.is_empty() {
            return format!("{} {id}", column.name);
        }
    }
    clean(row.raw(columns[F::TITLE].as_ref())).to_owned()
}

/// An order whose rows disagree on their status: the order takes the status of its first
/// row that is not closed (else the first row's), every other row's status is said in the
/// remark, the order is flagged red and held while not shipped. Returns what the refunded
/// lines come to.
fn reconcile(head: &mut Head, statuses: &[LineStatus]) -> i64 {
    let Some(first) = statuses.first() else {
        return 0;
    };
    if statuses.iter().all(|s| s.status == first.status) {
        return 0;
    }
    let primary = statuses.iter().find(|s| !s.closed()).unwrap_or(first);
    head.order.state = primary.state;
    head.order.platform_status = primary.platform_status.clone();
    head.payment = primary.payment;
    let mut refunded = 0i64;
    for other in statuses.iter().filter(|s| s.status != primary.status) {
        add_remark(
            &mut head.order,
            &format!(
                "{LINE_STATUS_REMARK}第{}行（{}）{}",
                other.line, other.label, other.status
            ),
        );
        if other.payment == PaymentStatus::Refunded && !primary.closed() {
            refunded = refunded.saturating_add(other.cents);
        }
    }
    head.order.flag = Flag::Red;
    if head.order.state == OrderState::PendingReview {
        head.order.on_hold = true;
    }
    refunded
}

/// Adds an amount to a running sum that starts as "not stated".
fn add_to(sum: &mut Option<i64>, cents: Option<i64>) {
    if let Some(cents) = cents {
        *sum = Some(sum.unwrap_or(0).saturating_add(cents));
    }
}

/// Parses a file of one row per order line in the layout `F`.
pub(crate) fn parse_rows<F: RowFormat>(
    file: &Path,
    encoding: EncodingChoice,
    progress: Progress<'_>,
) -> Result<Parsed, ImportError> {
    let mut csv_file = CsvFile::open(file, encoding)?;
    let columns = csv_file.columns(F::COLUMNS, F::hint)?;
    F::check_columns(&csv_file, &columns)?;
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
        let Some(order_no) = row.convert(columns[F::ORDER_NO].as_ref(), F::order_no) else {
            errors.append(&mut row.errors);
            current = None;
            continue;
        };
        let (at, status) = match (index.get(&order_no), current) {
            (Some(&at), Some(now)) if at == now => {
                // A later row's order fields are read for its status only: their cells were
                // checked on the order's first row (repeated, a bad one is said once), and
                // an unknown status holds the order as another status does. A row with the
                // first row's status cells has its status: most rows of an order do, and
                // reading the whole order again for each would double the parse.
                let draft = &drafts[at];
                let same_status = F::STATUS
                    .iter()
                    .zip(&draft.status_cells)
                    .all(|(&c, first)| clean(row.raw(columns[c].as_ref())) == first.as_str());
                let status = if same_status {
                    LineStatus {
                        line: row.line,
                        label: line_label::<F>(&row, &columns),
                        ..draft.first_status.clone()
                    }
                } else {
                    let before = row.errors.len();
                    let order = common_head::<F>(&mut row, &columns, &order_no);
                    let head = F::head(&mut row, &columns, order);
                    row.errors.truncate(before);
                    LineStatus::new(row.line, line_label::<F>(&row, &columns), &head)
                };
                for (&column, first) in F::AGREE.iter().zip(&draft.agree) {
                    let Some(column) = columns[column].as_ref() else {
                        continue;
                    };
                    let cell = clean(row.raw(Some(column)));
                    if cell != first {
                        row.error(
                            &column.name,
                            format!(
                                "order {order_no}: \"{cell}\" differs from \"{first}\" on line {} \
                                 of the same order; its rows must agree",
                                draft.line
                            ),
                        );
                    }
                }
                (at, status)
            }
            (Some(&first), _) => {
                drafts[first].rejected = true;
                row.error(
                    column_name(F::ORDER_NO),
                    format!(
                        "order {order_no} appears again after other orders (first on line \
                         {}); neither is imported",
                        drafts[first].line
                    ),
                );
                errors.append(&mut row.errors);
                current = None;
                continue;
            }
            (None, _) => {
                let order = common_head::<F>(&mut row, &columns, &order_no);
                let head = F::head(&mut row, &columns, order);
                let status = LineStatus::new(row.line, line_label::<F>(&row, &columns), &head);
                let agree = F::AGREE
                    .iter()
                    .map(|&at| clean(row.raw(columns[at].as_ref())).to_owned())
                    .collect();
                let status_cells = F::STATUS
                    .iter()
                    .map(|&at| clean(row.raw(columns[at].as_ref())).to_owned())
                    .collect();
                let at = drafts.len();
                drafts.push(Draft {
                    head,
                    line: row.line,
                    lines_goods_cents: None,
                    lines_owed_cents: None,
                    rejected: false,
                    agree,
                    status_cells,
                    first_status: status.clone(),
                    statuses: Vec::new(),
                    sheet: csv_file.sheet.clone(),
                });
                index.insert(order_no, at);
                current = Some(at);
                (at, status)
            }
        };
        let line = F::line(&mut row, &columns);
        let draft = &mut drafts[at];
        match line {
            Some(line) if row.errors.is_empty() => {
                let cents = line.owed_cents.or(line.goods_cents).unwrap_or_else(|| {
                    line.line
                        .unit_price_cents
                        .saturating_mul(line.line.quantity)
                });
                draft.statuses.push(LineStatus { cents, ..status });
                add_to(&mut draft.lines_goods_cents, line.goods_cents);
                add_to(&mut draft.lines_owed_cents, line.owed_cents);
                draft.head.order.lines.push(line.line);
            }
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
    parsed.orders.reserve_exact(drafts.len());
    for draft in drafts {
        if draft.rejected {
            continue;
        }
        let column = column_name(draft.head.owed_column).to_owned();
        let sheet = draft.sheet.clone();
        match finish(draft) {
            Ok(order) => parsed.orders.push(order),
            Err((line, message)) => {
                let place = Place {
                    file: &csv_file.path,
                    sheet: sheet.as_deref(),
                };
                errors.push(place.error(line, &column, message));
            }
        }
    }
    errors.sort_by_key(|e: &RowError| e.line);
    parsed.rejected = errors;
    Ok(parsed)
}

/// The order's amounts from its lines and head: goods, discount, paid, refunds.
fn finish(draft: Draft) -> Result<NewOrder, (u64, String)> {
    let Draft {
        mut head,
        line,
        lines_goods_cents,
        lines_owed_cents,
        statuses,
        ..
    } = draft;
    let lines_refunded = reconcile(&mut head, &statuses);
    let mut order = head.order;
    let lines_cents = order
        .lines
        .iter()
        .try_fold(0i64, |sum, l| {
            l.unit_price_cents
                .checked_mul(l.quantity)
                .and_then(|cents| sum.checked_add(cents))
        })
        .ok_or((line, "the line amounts are too large".to_owned()))?;
    order.goods_cents = head
        .goods_cents
        .or(lines_goods_cents)
        .unwrap_or(lines_cents);
    let due_cents = order.goods_cents + order.postage_cents;
    let owed_cents = head.owed_cents.or(lines_owed_cents).unwrap_or(due_cents);
    if owed_cents > due_cents {
        return Err((
            line,
            format!(
                "the buyer pays {} but goods {} and postage {} come to only {}",
                format_cents(owed_cents),
                format_cents(order.goods_cents),
                format_cents(order.postage_cents),
                format_cents(due_cents),
            ),
        ));
    }
    order.discount_cents = due_cents - owed_cents;
    let refunded = order.refunded_cents > 0 || head.payment == PaymentStatus::Refunded;
    let paid = head.payment != PaymentStatus::Unpaid || order.refunded_cents > 0;
    order.paid_cents = if paid { owed_cents } else { 0 };
    if paid && lines_refunded > 0 {
        order.refunded_cents = order
            .refunded_cents
            .saturating_add(lines_refunded)
            .min(order.paid_cents);
    }
    order.payment_status = if refunded || order.refunded_cents > 0 {
        if order.refunded_cents == 0 {
            order.refunded_cents = order.paid_cents;
        }
        if order.refunded_cents >= order.paid_cents {
            PaymentStatus::Refunded
        } else {
            PaymentStatus::PartlyRefunded
        }
    } else {
        head.payment
    };
    Ok(order)
}

/// Where a layout keeps the order fields every one-row-per-line export states alike:
/// indices into its [`RowFormat::COLUMNS`].
pub(crate) struct Common {
    pub ordered_at: usize,
    pub paid_at: usize,
    pub postage: usize,
    pub receiver: usize,
    pub phone: usize,
    pub message: usize,
    pub remark: usize,
    pub courier: usize,
    pub tracking: usize,
}

/// An order of `F`'s platform with the fields of [`RowFormat::COMMON`] read from its first
/// row: times in China time, postage (empty is zero), receiver, phone and tracking number
/// kept exact (refused in scientific notation), buyer message, seller remark and courier.
fn common_head<F: RowFormat>(
    row: &mut Row<'_>,
    columns: &[Option<Column>],
    order_no: &str,
) -> NewOrder {
    let col = |at: usize| columns[at].as_ref();
    let at = &F::COMMON;
    let ordered_at = row
        .convert(F::ordered_at(row, columns), |s| {
            datetime(s, CHINA_OFFSET_MINUTES)
        })
        .unwrap_or_default();
    let mut order = NewOrder::new(F::PLATFORM, order_no, &ordered_at);
    order.paid_at = row
        .convert(col(at.paid_at), |s| {
            optional_datetime(s, CHINA_OFFSET_MINUTES)
        })
        .flatten();
    order.postage_cents = row
        .convert(col(at.postage), grouped_money_or_zero)
        .unwrap_or_default();
    order.receiver_name = row.text(col(at.receiver));
    order.receiver_phone = row.exact_number(col(at.phone), "phone");
    order.buyer_message = row.text(col(at.message));
    order.seller_remark = row.text(col(at.remark));
    order.courier = row.text(col(at.courier));
    order.tracking_no = row.exact_number(col(at.tracking), "tracking number");
    order
}

/// The end of every layout's head: the platform's status text and the state it maps to,
/// the after-sales status applied (empty: none) and a masked phone flagged; returns the
/// payment after after-sales.
pub(crate) fn settle(
    order: &mut NewOrder,
    status_text: String,
    state: OrderState,
    mut payment: PaymentStatus,
    after_sales: &str,
) -> PaymentStatus {
    order.platform_status = status_text;
    order.state = state;
    apply_after_sales(order, &mut payment, after_sales);
    flag_masked_phone(order);
    payment
}

/// The status text of a row and what `lookup` makes of it; an unknown text is a
/// [`RowError`] listing the texts of `table`.
pub(crate) fn read_status<T>(
    row: &mut Row<'_>,
    column: Option<&Column>,
    table: &[(&str, OrderState, PaymentStatus)],
    lookup: impl Fn(&str) -> Option<T>,
) -> (String, Option<T>) {
    let text = row.text(column);
    let status = row.convert(column, |_| {
        lookup(&text).ok_or_else(|| unknown_status(table, &text))
    });
    (text, status)
}

/// The payment of a cancelled order that had been paid (it has a payment time): refunded.
pub(crate) fn refund_if_paid(
    order: &NewOrder,
    state: OrderState,
    payment: PaymentStatus,
) -> PaymentStatus {
    if state == OrderState::Cancelled && payment == PaymentStatus::Unpaid && order.paid_at.is_some()
    {
        PaymentStatus::Refunded
    } else {
        payment
    }
}

/// The first of `columns` whose cell is not empty, cleaned (a line's SKU under the names
/// an export may use, best first).
pub(crate) fn first_filled(row: &Row<'_>, columns: &[Option<&Column>]) -> String {
    columns
        .iter()
        .map(|&column| clean(row.raw(column)))
        .find(|s| !s.is_empty())
        .unwrap_or_default()
        .to_owned()
}

/// Whether a phone number is masked by the platform (`138****5678`, `*******5678`).
pub(crate) fn is_masked_phone(phone: &str) -> bool {
    phone.contains('*')
}

pub(crate) use crate::domain::model::MASKED_PHONE_REMARK;

/// Adds a remark to the order's seller remark (after what is there, `; ` between).
pub(crate) fn add_remark(order: &mut NewOrder, remark: &str) {
    if remark.is_empty() || order.seller_remark.contains(remark) {
        return;
    }
    if !order.seller_remark.is_empty() {
        order.seller_remark.push_str("; ");
    }
    order.seller_remark.push_str(remark);
}

/// Flags an order whose phone is masked: yellow (do not ship yet) and a remark, unless a
/// flag of the platform's own is already set.
pub(crate) fn flag_masked_phone(order: &mut NewOrder) {
    if is_masked_phone(&order.receiver_phone) {
        if order.flag == Flag::None {
            order.flag = Flag::Yellow;
        }
        add_remark(order, MASKED_PHONE_REMARK);
    }
}

/// After-sales texts (normalised as [`normalise_status`] does) that mean "nothing is going
/// on" (PDD, Douyin).
pub(crate) fn no_after_sales(text: &str) -> bool {
    matches!(
        text,
        "" | "-"
            | "无"
            | "无售后"
            | "无售后或售后取消"
            | "售后取消"
            | "售后关闭"
            | "退款关闭"
            | "买家撤销"
            | "售后取消,退款失败"
    )
}

/// After-sales texts that mean the money went back.
pub(crate) fn after_sales_refunded(text: &str) -> bool {
    matches!(
        text,
        "退款成功" | "售后完成" | "退款完成" | "已退款" | "退货退款成功"
    )
}

/// After-sales texts of a case that ended without the money going back (an exchange sent):
/// worth a remark, nothing to flag.
pub(crate) fn after_sales_settled(text: &str) -> bool {
    matches!(text, "换货成功")
}

/// Applies an after-sales status: refunded → the payment is refunded (all of it, unless
/// an amount is known); settled without a refund → a remark; anything still going on →
/// purple flag (return in progress), a remark, and an order not yet shipped on hold; the
/// order is not rejected.
pub(crate) fn apply_after_sales(order: &mut NewOrder, payment: &mut PaymentStatus, text: &str) {
    let normalised = normalise_status(text);
    if no_after_sales(&normalised) {
        return;
    }
    add_remark(order, &format!("售后：{text}"));
    if after_sales_refunded(&normalised) {
        if *payment != PaymentStatus::Unpaid {
            *payment = PaymentStatus::Refunded;
        }
    } else if !after_sales_settled(&normalised) {
        if order.flag == Flag::None {
            order.flag = Flag::Purple;
        }
        // A refund or return asked and not settled: not shipped meanwhile.
        if order.state == OrderState::PendingReview {
            order.on_hold = true;
        }
    }
}

/// A file without any of several alternative columns (e.g. a unit price under either of
/// two names): refused as a missing column named by all of them.
pub(crate) fn missing_one_of(file: &CsvFile, names: &[&str]) -> ImportError {
    file.missing(vec![names.join(" / ")], None)
}

/// A status text normalised for lookup: spaces dropped, full-width comma and brackets as
/// ASCII.
pub(crate) fn normalise_status(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '，' => ',',
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// Looks a status text up in a table of (normalised text, state, payment).
pub(crate) fn lookup_status(
    table: &[(&str, OrderState, PaymentStatus)],
    text: &str,
) -> Option<(OrderState, PaymentStatus)> {
    let normalised = normalise_status(text);
    table
        .iter()
        .find(|(known, _, _)| *known == normalised)
        .map(|&(_, state, payment)| (state, payment))
}

/// The row error of an unknown status text, listing the known ones.
pub(crate) fn unknown_status(table: &[(&str, OrderState, PaymentStatus)], text: &str) -> String {
    let known: Vec<&str> = table.iter().map(|(t, _, _)| *t).collect();
    format!(
        "unknown order status \"{text}\"; known: {}",
        known.join(" / ")
    )
}

/// A marketplace's flag colour name (红/黄/绿/蓝/紫, also 红旗 or `red`) as our flag;
/// anything else (灰, Douyin's 橙 and 青, empty) is no flag.
pub(crate) fn flag_by_name(text: &str) -> Flag {
    let text = text.trim().trim_end_matches(['旗', '色']);
    match text {
        "红" | "red" => Flag::Red,
        "黄" | "yellow" => Flag::Yellow,
        "绿" | "green" => Flag::Green,
        "蓝" | "blue" => Flag::Blue,
        "紫" | "purple" => Flag::Purple,
        _ => Flag::None,
    }
}
