//! The order list's query: filters, search and sort, turned into SQL. Kept apart so the
//! query plans (what makes the list fast on a million orders) live in one place.

use crate::domain::search::match_query;
use crate::domain::{Flag, OrderState};

/// Which date of an order a date range filters on (日期类型).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DateKind {
    #[default]
    Ordered,
    Paid,
    Reviewed,
    Printed,
    Inspected,
    Shipped,
    Refunded,
    Archived,
}

impl DateKind {
    pub const ALL: [DateKind; 8] = [
        DateKind::Ordered,
        DateKind::Paid,
        DateKind::Reviewed,
        DateKind::Printed,
        DateKind::Inspected,
        DateKind::Shipped,
        DateKind::Refunded,
        DateKind::Archived,
    ];

    /// The column holding this date.
    pub fn column(self) -> &'static str {
        match self {
            DateKind::Ordered => "ordered_at",
            DateKind::Paid => "paid_at",
            DateKind::Reviewed => "reviewed_at",
            DateKind::Printed => "printed_at",
            DateKind::Inspected => "inspected_at",
            DateKind::Shipped => "shipped_at",
            DateKind::Refunded => "refunded_at",
            DateKind::Archived => "archived_at",
        }
    }
}

/// The state filter of the order list: the life-cycle states, split and extended the way
/// the shop works (approved unpaid vs paid, on hold).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateFilter {
    State(OrderState),
    ApprovedUnpaid,
    ApprovedPaid,
    OnHold,
}

/// What the order list asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderQuery {
    pub state: Option<OrderState>,
    /// A finer state filter (approved unpaid/paid, on hold); applies with `state`.
    pub state_filter: Option<StateFilter>,
    /// A date range on one of the order's dates: `[from, to)` as ISO-8601 text.
    pub date_kind: DateKind,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    pub flag: Option<Flag>,
    /// Total (goods + postage − discount) range in cents, inclusive.
    pub min_total_cents: Option<i64>,
    pub max_total_cents: Option<i64>,
    pub platform: Option<String>,
    /// Free text: names, phone, buyer id, order or tracking number, SKU, product name.
    pub search: String,
    pub sort: OrderSort,
    pub limit: u32,
    pub offset: u32,
}

/// Sort order of the list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OrderSort {
    #[default]
    NewestFirst,
    OldestFirst,
}

/// The WHERE clause and its arguments for a query.
pub(super) fn where_clause(query: &OrderQuery) -> (String, Vec<String>) {
    let mut conditions = vec!["o.merged_into IS NULL".to_owned()];
    let mut args: Vec<String> = Vec::new();
    if let Some(state) = query.state {
        args.push(state.code().to_owned());
        conditions.push(format!("o.state = ?{}", args.len()));
    }
    let search = query.search.trim();
    if !search.is_empty() {
        let mut alternatives = Vec::new();
        if let Some(fts) = match_query(search) {
            args.push(fts);
            alternatives.push(format!(
                "SELECT COALESCE(m.merged_into, m.id) FROM order_search s
                 JOIN orders m ON m.id = s.rowid WHERE order_search MATCH ?{}",
                args.len()
            ));
        }
        args.push(search.to_owned());
        let exact = args.len();
        alternatives.push(format!(
            "SELECT l.order_id FROM order_lines l WHERE l.sku = ?{exact}"
        ));
        alternatives.push(format!(
            "SELECT l.order_id FROM order_lines l WHERE l.product_id IN
                 (SELECT id FROM products WHERE code = ?{exact} OR name LIKE ?{})",
            exact + 1
        ));
        args.push(format!("%{}%", search.replace(['%', '_'], "")));
        conditions.push(format!("o.id IN ({})", alternatives.join(" UNION ")));
    }
    (conditions.join(" AND "), args)
}
