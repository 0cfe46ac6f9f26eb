//! The order list's query: filters, search and sort, turned into SQL. Kept apart so the
//! query plans (what makes the list fast on a million orders) live in one place.
//!
//! ## How a query is planned
//!
//! SQLite's planner has no histograms in our build (no `STAT4`), so it cannot tell a range
//! of "today" from a range of "this year", nor a flag colour used on ten orders from one
//! used on half of them. We decide the driving index ourselves, with cheap probes:
//!
//! 1. A search drives from its set of order ids: the FTS5 index (names, phones, buyer id,
//!    order and tracking numbers), order lines by SKU, order lines by product code or
//!    product title. Each of these contributes at most [`SEARCH_CAP`] orders, the newest
//!    (highest id) first, so a search for one common character or a common product word
//!    stays bounded; the rest of the filters apply on top.
//! 2. Otherwise every filter that has an index (state, on hold, flag, platform, the chosen
//!    date range, the amount range) is probed: how many orders does it alone match, counted
//!    in its index only and stopped at [`PROBE_CAP`]. If the smallest is below the cap, that
//!    index drives (`INDEXED BY`) and the few rows are sorted in memory.
//! 3. If every filter matches many orders, the rows are read in the order of the sort's own
//!    index (or of an equality filter's `(x, ordered_at)` index) and filtered; range filters
//!    are hidden from the planner with a unary `+` so that it does not pick a range index
//!    and then sort half the table.
//!
//! Counting may read many rows: [`crate::store::Store::count_orders_capped`] counts exactly
//! what a small driving set holds and otherwise stops at a cap (the list shows "10,000+").

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::Result;
use super::orders::OrderRow;
use crate::domain::search::match_query;
use crate::domain::{Flag, OrderState};

/// A search kind contributes at most this many orders (the newest).
pub const SEARCH_CAP: i64 = 5_000;
/// A filter matching fewer orders than this drives the query through its index.
pub const PROBE_CAP: i64 = 20_000;
/// A count over several broad filters (none under [`PROBE_CAP`]) stops here ("1,000+").
pub const MULTI_FILTER_COUNT_CAP: i64 = 1_000;
/// A search by product title looks at most at this many matching products.
pub const TITLE_PRODUCTS_CAP: i64 = 20;

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

    /// The index on this date (migration 003; `orders_ordered` from 001).
    fn index(self) -> &'static str {
        match self {
            DateKind::Ordered => "orders_ordered",
            DateKind::Paid => "orders_paid_at",
            DateKind::Reviewed => "orders_reviewed_at",
            DateKind::Printed => "orders_printed_at",
            DateKind::Inspected => "orders_inspected_at",
            DateKind::Shipped => "orders_shipped_at",
            DateKind::Refunded => "orders_refunded_at",
            DateKind::Archived => "orders_archived_at",
        }
    }

    /// The stable word used on the command line (`--date-kind`).
    pub fn code(self) -> &'static str {
        match self {
            DateKind::Ordered => "ordered",
            DateKind::Paid => "paid",
            DateKind::Reviewed => "reviewed",
            DateKind::Printed => "printed",
            DateKind::Inspected => "inspected",
            DateKind::Shipped => "shipped",
            DateKind::Refunded => "refunded",
            DateKind::Archived => "archived",
        }
    }

    pub fn from_code(code: &str) -> Option<DateKind> {
        DateKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The state filter of the order list: the life-cycle states, split and extended the way
/// the shop works (approved unpaid vs paid, on hold).
///
/// "Approved, unpaid" is an approved order that is neither paid nor cash on delivery: it
/// waits for the money (到款). "Approved, paid" is every other approved order: it waits for
/// printing (a cash-on-delivery order can print unpaid). "On hold" is any held order,
/// whatever its state.
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
    /// A date range on one of the order's dates: `[from, to)` as ISO-8601 text, compared
    /// as text: give `YYYY-MM-DD` or a full timestamp in the shop's offset
    /// (e.g. `2026-11-20T00:00:00+08:00`), as the store writes them.
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
    /// The last row of the page before, when the list has it: the page then starts just
    /// after that row in the sort (keyset paging: a seek in the sort's index, as fast at
    /// the millionth row as at the first) and `offset` is not used. A sort the keyset
    /// does not follow (a date sort on another date type, the state sort) uses `offset`.
    pub after: Option<Box<OrderRow>>,
}

/// Sort order of the list. Every order has an index behind it (migrations 001 and 003),
/// ties are broken by id so pages never overlap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum OrderSort {
    /// Order date, newest first.
    #[default]
    NewestFirst,
    /// Order date, oldest first.
    OldestFirst,
    /// Total, smallest first.
    TotalAsc,
    /// Total, largest first.
    TotalDesc,
    /// Receiver name (by character code, not by pinyin), A→Z.
    ReceiverAsc,
    ReceiverDesc,
    /// Life-cycle order (pending review, approved, printed, shipped, archived, cancelled),
    /// oldest first within a state: the top of the list is the oldest work.
    StateAsc,
    /// The reverse: cancelled first, newest first within a state.
    StateDesc,
    /// Flagged orders first, by colour (red, yellow, green, blue, purple), newest first
    /// within a colour; orders without a flag last.
    FlagFirst,
    /// The reverse: orders without a flag first, oldest first within a colour.
    FlagLast,
}

/// The total of an order, as indexed by `orders_total`. The text must match the index.
const TOTAL: &str = "(o.goods_cents + o.postage_cents - o.discount_cents)";
/// The life-cycle rank of the state, as indexed by `orders_state_rank`.
const STATE_RANK: &str = "(CASE o.state WHEN 'pending_review' THEN 0 WHEN 'approved' THEN 1 \
     WHEN 'printed' THEN 2 WHEN 'shipped' THEN 3 WHEN 'archived' THEN 4 ELSE 5 END)";

/// The flag's place in [`Flag::ALL`] after the colours: red 1 … purple 5, no flag 6.
const FLAG_RANK: &str = "(CASE o.flag WHEN 'red' THEN 1 WHEN 'yellow' THEN 2 WHEN 'green' THEN 3 \
     WHEN 'blue' THEN 4 WHEN 'purple' THEN 5 ELSE 6 END)";

/// `{alias}.state` as its life-cycle rank, the expression `orders_state_rank` indexes
/// (migration 003). That index is the only one on the state (migration 006 dropped
/// `(state, ordered_at)`), so a state filter must be written with it to be fast: see
/// [`state_in`].
pub(super) fn state_rank(alias: &str) -> String {
    STATE_RANK.replace("o.state", &format!("{alias}.state"))
}

/// The rank [`state_rank`] gives a state: its place in the life cycle.
pub(super) fn rank_of(state: OrderState) -> usize {
    OrderState::ALL
        .iter()
        .position(|s| *s == state)
        .unwrap_or(OrderState::ALL.len())
}

/// `{alias}.state IN (states)`, written so that `orders_state_rank` serves it (the query
/// must also say `{alias}.merged_into IS NULL`, the index's own condition).
pub(super) fn state_in(alias: &str, states: &[OrderState]) -> String {
    let ranks: Vec<String> = states.iter().map(|s| rank_of(*s).to_string()).collect();
    format!("{} IN ({})", state_rank(alias), ranks.join(", "))
}

impl OrderSort {
    pub const ALL: [OrderSort; 10] = [
        OrderSort::NewestFirst,
        OrderSort::OldestFirst,
        OrderSort::TotalAsc,
        OrderSort::TotalDesc,
        OrderSort::ReceiverAsc,
        OrderSort::ReceiverDesc,
        OrderSort::StateAsc,
        OrderSort::StateDesc,
        OrderSort::FlagFirst,
        OrderSort::FlagLast,
    ];

    /// The ORDER BY clause.
    pub(super) fn order_by(self) -> String {
        match self {
            OrderSort::NewestFirst => "o.ordered_at DESC, o.id DESC".to_owned(),
            OrderSort::OldestFirst => "o.ordered_at, o.id".to_owned(),
            OrderSort::TotalAsc => format!("{TOTAL}, o.id"),
            OrderSort::TotalDesc => format!("{TOTAL} DESC, o.id DESC"),
            OrderSort::ReceiverAsc => "o.receiver_name, o.id".to_owned(),
            OrderSort::ReceiverDesc => "o.receiver_name DESC, o.id DESC".to_owned(),
            OrderSort::StateAsc => format!("{STATE_RANK}, o.ordered_at, o.id"),
            OrderSort::StateDesc => format!("{STATE_RANK} DESC, o.ordered_at DESC, o.id DESC"),
            OrderSort::FlagFirst => format!("{FLAG_RANK}, o.ordered_at DESC, o.id DESC"),
            OrderSort::FlagLast => format!("{FLAG_RANK} DESC, o.ordered_at, o.id"),
        }
    }

    /// The index that reads the orders in this order.
    fn index(self) -> &'static str {
        match self {
            OrderSort::NewestFirst | OrderSort::OldestFirst => "orders_ordered",
            OrderSort::TotalAsc | OrderSort::TotalDesc => "orders_total",
            OrderSort::ReceiverAsc | OrderSort::ReceiverDesc => "orders_receiver",
            OrderSort::StateAsc | OrderSort::StateDesc => "orders_state_rank",
            // Flagged orders only: with no flag filter the rows are sorted in memory.
            OrderSort::FlagFirst | OrderSort::FlagLast => "orders_flag",
        }
    }

    /// Whether this sorts by order date, the second column of the equality indexes.
    fn by_date(self) -> bool {
        matches!(self, OrderSort::NewestFirst | OrderSort::OldestFirst)
    }

    /// The same key in the other direction (a click on a sorted column header).
    pub fn reversed(self) -> OrderSort {
        match self {
            OrderSort::NewestFirst => OrderSort::OldestFirst,
            OrderSort::OldestFirst => OrderSort::NewestFirst,
            OrderSort::TotalAsc => OrderSort::TotalDesc,
            OrderSort::TotalDesc => OrderSort::TotalAsc,
            OrderSort::ReceiverAsc => OrderSort::ReceiverDesc,
            OrderSort::ReceiverDesc => OrderSort::ReceiverAsc,
            OrderSort::StateAsc => OrderSort::StateDesc,
            OrderSort::StateDesc => OrderSort::StateAsc,
            OrderSort::FlagFirst => OrderSort::FlagLast,
            OrderSort::FlagLast => OrderSort::FlagFirst,
        }
    }
}

/// The sort as it runs: a state sort within one state is a date sort, and a date sort with
/// a range on another date type sorts by that date (its index gives both).
struct SortPlan {
    order_by: String,
    index: &'static str,
    /// Sorted by order date: the `(x, ordered_at)` equality indexes give this order too.
    by_ordered: bool,
    /// The sort the keyset follows; `None` for a sort by another date type (offset
    /// paging).
    keyset: Option<OrderSort>,
}

/// The keys of `sort` before the id, as (expression, the row's value, descending), and
/// whether the id descends.
fn sort_keys(sort: OrderSort, row: &OrderRow) -> (Vec<(String, Value, bool)>, bool) {
    let at = |desc| {
        (
            "o.ordered_at".to_owned(),
            Value::Text(row.ordered_at.clone()),
            desc,
        )
    };
    let total = |desc| (TOTAL.to_owned(), Value::Integer(row.total_cents), desc);
    let receiver = |desc| {
        let name = Value::Text(row.receiver_name.clone());
        ("o.receiver_name".to_owned(), name, desc)
    };
    let state = |desc| {
        let rank = Value::Integer(rank_of(row.state) as i64);
        (STATE_RANK.to_owned(), rank, desc)
    };
    let flag = |desc| {
        let rank = match Flag::ALL.iter().position(|f| *f == row.flag) {
            Some(0) | None => 6,
            Some(i) => i as i64,
        };
        (FLAG_RANK.to_owned(), Value::Integer(rank), desc)
    };
    match sort {
        OrderSort::NewestFirst => (vec![at(true)], true),
        OrderSort::OldestFirst => (vec![at(false)], false),
        OrderSort::TotalAsc => (vec![total(false)], false),
        OrderSort::TotalDesc => (vec![total(true)], true),
        OrderSort::ReceiverAsc => (vec![receiver(false)], false),
        OrderSort::ReceiverDesc => (vec![receiver(true)], true),
        OrderSort::StateAsc => (vec![state(false), at(false)], false),
        OrderSort::StateDesc => (vec![state(true), at(true)], true),
        OrderSort::FlagFirst => (vec![flag(false), at(true)], true),
        OrderSort::FlagLast => (vec![flag(true), at(false)], false),
    }
}

/// The condition "after `row` in `sort`": `k1 ≤ v1 AND (k1 < v1 OR (k1 = v1 AND …
/// id < c))` (with `>` where a key ascends). The leading bound lets the sort's index seek.
fn keyset_condition(f: &mut Filter, sort: OrderSort, row: &OrderRow) -> String {
    let (keys, id_desc) = sort_keys(sort, row);
    let id = f.arg(row.id);
    let mut sql = format!("o.id {} {id}", if id_desc { "<" } else { ">" });
    for (expr, value, desc) in keys.iter().rev() {
        let p = f.arg(value.clone());
        let op = if *desc { "<" } else { ">" };
        sql = format!("({expr} {op} {p} OR ({expr} = {p} AND {sql}))");
    }
    if let Some((expr, value, desc)) = keys.first() {
        let p = f.arg(value.clone());
        let op = if *desc { "<=" } else { ">=" };
        sql = format!("{expr} {op} {p} AND {sql}");
    }
    sql
}

fn has_date_range(query: &OrderQuery) -> bool {
    [&query.date_from, &query.date_to]
        .iter()
        .any(|d| d.as_deref().is_some_and(|d| !d.trim().is_empty()))
}

fn sort_plan(query: &OrderQuery) -> SortPlan {
    let state_fixed = query.state.is_some()
        || matches!(
            query.state_filter,
            Some(StateFilter::State(_) | StateFilter::ApprovedPaid | StateFilter::ApprovedUnpaid)
        );
    let sort = match query.sort {
        OrderSort::StateAsc if state_fixed => OrderSort::OldestFirst,
        OrderSort::StateDesc if state_fixed => OrderSort::NewestFirst,
        // One colour: the flag sort is the date sort its `(flag, ordered_at)` index gives.
        OrderSort::FlagFirst if query.flag.is_some() => OrderSort::NewestFirst,
        OrderSort::FlagLast if query.flag.is_some() => OrderSort::OldestFirst,
        other => other,
    };
    let kind = query.date_kind;
    if sort.by_date() && kind != DateKind::Ordered && has_date_range(query) {
        let column = kind.column();
        let order_by = if sort == OrderSort::NewestFirst {
            format!("o.{column} DESC, o.id DESC")
        } else {
            format!("o.{column}, o.id")
        };
        return SortPlan {
            order_by,
            index: kind.index(),
            by_ordered: false,
            keyset: None,
        };
    }
    SortPlan {
        order_by: sort.order_by(),
        index: sort.index(),
        by_ordered: sort.by_date(),
        keyset: Some(sort),
    }
}

/// One value of a sort's leading rank (a flag colour, a state) and how to read its orders
/// in date order through an index.
struct Segment {
    rank: i64,
    /// The condition selecting this rank's orders, written for `index`.
    sql: String,
    index: &'static str,
}

/// A sort led by a rank with few values (flag, state), read as one date-ordered run per
/// value: the segments in the sort's order and the date sort within each.
///
/// Without this the flag sort over all orders sorted every row in memory (0.2–0.66 s a
/// page on 300,000 orders): `orders_flag` holds flagged orders only. Each colour is a seek
/// in `orders_flag`, the unflagged orders are `orders_ordered` read with the flag checked,
/// and each state is a seek in `orders_state_rank`, so a page reads about one page of rows
/// per segment, at any depth when paged by keyset.
fn segments(sort: OrderSort) -> Option<(Vec<Segment>, OrderSort)> {
    let flags = || {
        let mut v: Vec<Segment> = Flag::ALL
            .iter()
            .skip(1)
            .enumerate()
            .map(|(i, f)| Segment {
                rank: i as i64 + 1,
                sql: format!("o.flag = '{}' AND o.flag <> 'none'", f.code()),
                index: "orders_flag",
            })
            .collect();
        v.push(Segment {
            rank: 6,
            sql: "o.flag = 'none'".to_owned(),
            index: "orders_ordered",
        });
        v
    };
    let states = || {
        (0..=OrderState::ALL.len() as i64)
            .map(|rank| Segment {
                rank,
                sql: format!("{STATE_RANK} = {rank}"),
                index: "orders_state_rank",
            })
            .collect::<Vec<_>>()
    };
    let reversed = |mut v: Vec<Segment>| {
        v.reverse();
        v
    };
    match sort {
        OrderSort::FlagFirst => Some((flags(), OrderSort::NewestFirst)),
        OrderSort::FlagLast => Some((reversed(flags()), OrderSort::OldestFirst)),
        OrderSort::StateAsc => Some((states(), OrderSort::OldestFirst)),
        OrderSort::StateDesc => Some((reversed(states()), OrderSort::NewestFirst)),
        _ => None,
    }
}

/// The rank a row has in a segmented sort (the value of its first key).
fn segment_rank(sort: OrderSort, row: &OrderRow) -> i64 {
    let (keys, _) = sort_keys(sort, row);
    match keys.first() {
        Some((_, Value::Integer(rank), _)) => *rank,
        _ => 0,
    }
}

/// A page of a segmented sort: per segment from the cursor's on, its first rows by date
/// in its index (the cursor's own segment after the cursor), then those few rows sorted
/// and cut to the page. Paged by offset instead (a page far down the list asked before the
/// ones above it), whole segments before the offset are skipped by counting them in their
/// index, and the segment the offset falls in is read from there.
fn segmented_sql(
    conn: &Connection,
    f: &mut Filter,
    query: &OrderQuery,
    sort: OrderSort,
    columns: &str,
) -> Result<Option<String>> {
    let Some((segments, within)) = segments(sort) else {
        return Ok(None);
    };
    let cursor = query.after.as_deref();
    let cursor_rank = cursor.map(|row| segment_rank(sort, row));
    let limit = Some(query.limit).filter(|n| *n > 0);
    let terms: Vec<String> = f.terms.iter().map(|t| t.sql.clone()).collect();
    let dir = if within == OrderSort::NewestFirst {
        " DESC"
    } else {
        ""
    };
    let conditions_of = |segment: &Segment| {
        let mut conditions = vec!["o.merged_into IS NULL".to_owned(), segment.sql.clone()];
        conditions.extend(terms.iter().cloned());
        conditions
    };
    // Where the page starts: the segment and the rows to skip in it.
    let mut first = 0;
    let mut skip = 0u64;
    if let Some(rank) = cursor_rank {
        first = segments
            .iter()
            .position(|s| s.rank == rank)
            .unwrap_or(segments.len());
    } else {
        let mut left = u64::from(query.offset);
        while left > 0 && first < segments.len() {
            let segment = &segments[first];
            let sql = format!(
                "SELECT count(*) FROM (SELECT 1 FROM orders o INDEXED BY {} WHERE {} LIMIT {})",
                segment.index,
                conditions_of(segment).join(" AND "),
                left
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let used = stmt.parameter_count();
            let n: u64 = stmt.query_row(params_from_iter(f.args.iter().take(used)), |row| {
                row.get::<_, i64>(0)
            })? as u64;
            if n < left {
                left -= n;
                first += 1;
            } else {
                break;
            }
        }
        skip = left;
    }
    let mut branches = Vec::new();
    for (pos, segment) in segments.iter().enumerate().skip(first) {
        let mut conditions = conditions_of(segment);
        let mut offset = String::new();
        if pos == first {
            if let Some(row) = cursor {
                conditions.push(keyset_condition(f, within, row));
            }
            if skip > 0 {
                offset = format!(" OFFSET {skip}");
            }
        }
        let limit = match (limit, offset.is_empty()) {
            (Some(n), _) => format!(" LIMIT {n}"),
            (None, false) => " LIMIT -1".to_owned(),
            (None, true) => String::new(),
        };
        branches.push(format!(
            "SELECT * FROM (SELECT o.id AS id, {pos} AS pos, o.ordered_at AS at
                 FROM orders o INDEXED BY {} WHERE {}
                 ORDER BY o.ordered_at{dir}, o.id{dir}{limit}{offset})",
            segment.index,
            conditions.join(" AND "),
        ));
    }
    if branches.is_empty() {
        return Ok(Some(format!("SELECT {columns} FROM orders o WHERE 0")));
    }
    let page = limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
    Ok(Some(format!(
        "SELECT {columns} FROM ({}) k CROSS JOIN orders o ON o.id = k.id
         ORDER BY k.pos, k.at{dir}, k.id{dir}{page}",
        branches.join(" UNION ALL ")
    )))
}

/// A filter term with the index that can find its rows alone.
struct Term {
    sql: String,
    /// The same condition hidden from the planner's index choice (unary `+`).
    hidden_sql: String,
    index: Option<&'static str>,
    /// An equality on the first column of an `(x, ordered_at)` index, or the order date
    /// range: its index also gives the date sort.
    gives_date_order: bool,
}

/// The filter of a query as SQL terms and their arguments.
struct Filter {
    terms: Vec<Term>,
    /// The search condition (`o.id IN (…)`), when searching.
    search: Option<String>,
    args: Vec<Value>,
    /// Two state filters that contradict each other: nothing can match.
    impossible: bool,
}

impl Filter {
    fn arg(&mut self, value: impl Into<Value>) -> String {
        self.args.push(value.into());
        format!("?{}", self.args.len())
    }

    /// Adds an equality (or fixed) term; `hidden` is the planner-proof form.
    fn term(&mut self, sql: String, hidden: String, index: Option<&'static str>) {
        self.terms.push(Term {
            sql,
            hidden_sql: hidden,
            index,
            gives_date_order: index.is_some(),
        });
    }
}

/// Builds the filter terms; the search needs the products table for titles.
fn filter(conn: &Connection, query: &OrderQuery) -> Result<Filter> {
    let mut f = Filter {
        terms: Vec::new(),
        search: None,
        args: Vec::new(),
        impossible: false,
    };
    let mut state = query.state;
    let mut extra: Option<&'static str> = None;
    match query.state_filter {
        None => {}
        Some(StateFilter::State(s)) => {
            if let Some(other) = state
                && other != s
            {
                // Two different states: nothing can match.
                f.impossible = true;
            }
            state = Some(s);
        }
        Some(StateFilter::ApprovedUnpaid) => {
            if state.is_some_and(|s| s != OrderState::Approved) {
                f.impossible = true;
            }
            state = Some(OrderState::Approved);
            extra = Some(
                "o.payment_status NOT IN ('paid', 'partly_refunded') AND o.cash_on_delivery = 0",
            );
        }
        Some(StateFilter::ApprovedPaid) => {
            if state.is_some_and(|s| s != OrderState::Approved) {
                f.impossible = true;
            }
            state = Some(OrderState::Approved);
            extra =
                Some("(o.payment_status IN ('paid', 'partly_refunded') OR o.cash_on_delivery = 1)");
        }
        Some(StateFilter::OnHold) => {
            f.term(
                "o.on_hold = 1".to_owned(),
                "+o.on_hold = 1".to_owned(),
                Some("orders_on_hold"),
            );
        }
    }
    if let Some(state) = state {
        // The rank, not the text: `orders_state_rank` is the state's only index.
        let rank = rank_of(state);
        f.term(
            format!("{STATE_RANK} = {rank}"),
            format!("+{STATE_RANK} = {rank}"),
            Some("orders_state_rank"),
        );
    }
    if let Some(extra) = extra {
        f.term(extra.to_owned(), extra.to_owned(), None);
    }
    if let Some(flag) = query.flag {
        let p = f.arg(flag.code().to_owned());
        if flag == Flag::None {
            // Most orders: `orders_flag` holds only flagged ones (migration 006).
            f.term(format!("o.flag = {p}"), format!("+o.flag = {p}"), None);
        } else {
            // The second condition is the partial index's own, so SQLite may use it.
            f.term(
                format!("o.flag = {p} AND o.flag <> 'none'"),
                format!("+o.flag = {p}"),
                Some("orders_flag"),
            );
        }
    }
    if let Some(platform) = query.platform.as_deref().map(str::trim)
        && !platform.is_empty()
    {
        let p = f.arg(platform.to_owned());
        f.term(
            format!("o.platform = {p}"),
            format!("+o.platform = {p}"),
            Some("orders_platform"),
        );
    }
    let from = query
        .date_from
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let to = query
        .date_to
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if from.is_some() || to.is_some() {
        let column = query.date_kind.column();
        let mut parts = Vec::new();
        let mut hidden = Vec::new();
        if query.date_kind != DateKind::Ordered {
            parts.push(format!("o.{column} IS NOT NULL"));
            hidden.push(format!("+o.{column} IS NOT NULL"));
        }
        if let Some(from) = from {
            let p = f.arg(from.to_owned());
            parts.push(format!("o.{column} >= {p}"));
            hidden.push(format!("+o.{column} >= {p}"));
        }
        if let Some(to) = to {
            let p = f.arg(to.to_owned());
            parts.push(format!("o.{column} < {p}"));
            hidden.push(format!("+o.{column} < {p}"));
        }
        f.terms.push(Term {
            sql: parts.join(" AND "),
            hidden_sql: hidden.join(" AND "),
            index: Some(query.date_kind.index()),
            gives_date_order: query.date_kind == DateKind::Ordered,
        });
    }
    if query.min_total_cents.is_some() || query.max_total_cents.is_some() {
        let mut parts = Vec::new();
        let mut hidden = Vec::new();
        if let Some(min) = query.min_total_cents {
            let p = f.arg(min);
            parts.push(format!("{TOTAL} >= {p}"));
            hidden.push(format!("+{TOTAL} >= {p}"));
        }
        if let Some(max) = query.max_total_cents {
            let p = f.arg(max);
            parts.push(format!("{TOTAL} <= {p}"));
            hidden.push(format!("+{TOTAL} <= {p}"));
        }
        f.terms.push(Term {
            sql: parts.join(" AND "),
            hidden_sql: hidden.join(" AND "),
            index: Some("orders_total"),
            gives_date_order: false,
        });
    }
    let search = query.search.trim();
    if !search.is_empty() {
        f.search = Some(search_condition(conn, &mut f, search)?);
    }
    if f.impossible {
        f.terms.clear();
        f.search = None;
        f.args.clear();
    }
    Ok(f)
}

/// `o.id IN (…)`: the orders a search finds, each kind bounded by [`SEARCH_CAP`].
fn search_condition(conn: &Connection, f: &mut Filter, search: &str) -> Result<String> {
    let mut alternatives = Vec::new();
    if let Some(fts) = match_query(search) {
        let p = f.arg(fts);
        // FTS5 returns rowids newest first cheaply; merged orders map to their main order.
        alternatives.push(format!(
            "SELECT COALESCE(m.merged_into, m.id) FROM
                 (SELECT rowid AS id FROM order_search WHERE order_search MATCH {p}
                  ORDER BY rowid DESC LIMIT {SEARCH_CAP}) s
             JOIN orders m ON m.id = s.id"
        ));
    }
    let exact = f.arg(search.to_owned());
    alternatives.push(format!(
        "SELECT order_id FROM (SELECT l.order_id FROM order_lines l WHERE l.sku = {exact}
                               ORDER BY l.order_id DESC LIMIT {SEARCH_CAP})"
    ));
    // Products by code or title: few products, each bounded to its newest lines, so that a
    // common word ("杯") cannot pull in half the order lines.
    let pattern = format!("%{}%", search.replace(['%', '_', '\\'], ""));
    let products: Vec<i64> = conn
        .prepare_cached(&format!(
            "SELECT id FROM products WHERE code = ?1 OR name LIKE ?2
             ORDER BY code = ?1 DESC, id LIMIT {TITLE_PRODUCTS_CAP}"
        ))?
        .query_map(params_from_iter([search, pattern.as_str()]), |row| {
            row.get(0)
        })?
        .collect::<rusqlite::Result<_>>()?;
    if !products.is_empty() {
        let per_product = SEARCH_CAP / products.len() as i64;
        for product in products {
            let p = f.arg(product);
            alternatives.push(format!(
                "SELECT order_id FROM (SELECT l.order_id FROM order_lines l
                     WHERE l.product_id = {p} ORDER BY l.order_id DESC LIMIT {per_product})"
            ));
        }
    }
    Ok(format!("o.id IN ({})", alternatives.join(" UNION ")))
}

/// How a query reads the orders table.
struct Access {
    /// `orders o`, `orders o INDEXED BY x` or `orders o NOT INDEXED`.
    from: String,
    where_sql: String,
    /// The driving set is small (below the probe cap): counting it exactly is cheap.
    small: bool,
}

/// How many rows `term` alone matches, counted in its index and stopped at the cap.
fn probe(conn: &Connection, term: &Term, index: &str, args: &[Value]) -> Result<i64> {
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM orders o INDEXED BY {index}
         WHERE o.merged_into IS NULL AND {} LIMIT {})",
        term.sql,
        PROBE_CAP + 1
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    // The term names only some of the numbered arguments: bind up to the highest it uses.
    let used = stmt.parameter_count();
    let count = stmt.query_row(params_from_iter(args.iter().take(used)), |row| row.get(0))?;
    Ok(count)
}

/// Chooses the access path (see the module documentation).
fn access(conn: &Connection, sp: &SortPlan, f: &Filter) -> Result<Access> {
    let mut conditions = vec!["o.merged_into IS NULL".to_owned()];
    if f.impossible {
        // `INDEXED BY` has no solution for a constant false WHERE: keep it plain.
        return Ok(Access {
            from: "orders o".to_owned(),
            where_sql: "0".to_owned(),
            small: true,
        });
    }
    if let Some(search) = &f.search {
        conditions.extend(f.terms.iter().map(|t| t.sql.clone()));
        conditions.push(search.clone());
        return Ok(Access {
            // Rowid lookups stay allowed; no index may turn the search into a scan.
            from: "orders o NOT INDEXED".to_owned(),
            where_sql: conditions.join(" AND "),
            small: true,
        });
    }
    let sort_index = sp.index;
    // One term whose index gives the sort too: nothing to decide.
    let obvious = match f.terms.as_slice() {
        [] => true,
        [only] => (sp.by_ordered && only.gives_date_order) || only.index == Some(sort_index),
        _ => false,
    };
    let mut best: Option<(i64, &'static str)> = None;
    if !obvious {
        for term in &f.terms {
            let Some(index) = term.index else { continue };
            let n = probe(conn, term, index, &f.args)?;
            if n <= PROBE_CAP && best.is_none_or(|(m, _)| n < m) {
                best = Some((n, index));
            }
        }
    }
    if let Some((_, index)) = best {
        conditions.extend(f.terms.iter().map(|t| t.sql.clone()));
        return Ok(Access {
            from: format!("orders o INDEXED BY {index}"),
            where_sql: conditions.join(" AND "),
            small: true,
        });
    }
    // Every filter is broad: read in the order of the sort (or of an equality index that
    // also gives it) and keep every other index away from the planner.
    conditions.extend(f.terms.iter().map(|t| {
        // Counts read the same way: the newest rows of a range are where its matches are
        // dense, while the planner's own pick may start with a long stretch of none.
        let keep = (sp.by_ordered && t.gives_date_order) || t.index == Some(sort_index);
        if keep {
            t.sql.clone()
        } else {
            t.hidden_sql.clone()
        }
    }));
    Ok(Access {
        from: "orders o".to_owned(),
        where_sql: conditions.join(" AND "),
        small: false,
    })
}

/// Whether one index answers the whole filter, so an exact count reads that index only.
fn covered(f: &Filter) -> bool {
    f.search.is_none()
        && !f.impossible
        && match f.terms.as_slice() {
            [] => true,
            [only] => only.index.is_some(),
            _ => false,
        }
}

/// The SELECT of a page of the list, with `columns` (aliased on `o`), and its arguments.
pub(super) fn select_sql(
    conn: &Connection,
    query: &OrderQuery,
    columns: &str,
) -> Result<(String, Vec<Value>)> {
    let mut f = filter(conn, query)?;
    let sp = sort_plan(query);
    let a = access(conn, &sp, &f)?;
    // Every filter broad: a sort led by a flag or state reads one run per value.
    if !a.small
        && let Some(sort) = sp.keyset
        && let Some(sql) = segmented_sql(conn, &mut f, query, sort, columns)?
    {
        return Ok((sql, f.args));
    }
    let limit = if query.limit == 0 {
        u32::MAX
    } else {
        query.limit
    };
    let mut where_sql = a.where_sql;
    let mut offset = query.offset;
    if let (Some(sort), Some(row)) = (sp.keyset, &query.after)
        && !f.impossible
    {
        where_sql = format!("{where_sql} AND {}", keyset_condition(&mut f, sort, row));
        offset = 0;
    }
    let sql = format!(
        "SELECT {columns} FROM {} WHERE {where_sql} ORDER BY {} LIMIT {limit} OFFSET {offset}",
        a.from, sp.order_by
    );
    Ok((sql, f.args))
}

/// The count of a query: exact (`cap` = None) or stopped after `cap` + 1 rows.
/// Returns the SQL, its arguments and the cap it stops at, if any (it may be lower than
/// asked: [`MULTI_FILTER_COUNT_CAP`]).
pub(super) fn count_sql(
    conn: &Connection,
    query: &OrderQuery,
    cap: Option<i64>,
) -> Result<(String, Vec<Value>, Option<i64>)> {
    let f = filter(conn, query)?;
    if covered(&f) {
        // The term's index counts it without reading the table; with no term at all, the
        // narrowest index (an integer per order) does.
        let mut conditions = vec!["o.merged_into IS NULL".to_owned()];
        conditions.extend(f.terms.iter().map(|t| t.sql.clone()));
        let from = match f.terms.first().and_then(|t| t.index) {
            Some(index) => format!("orders o INDEXED BY {index}"),
            None => "orders o INDEXED BY orders_total".to_owned(),
        };
        let where_sql = conditions.join(" AND ");
        let sql = match cap {
            Some(cap) => format!(
                "SELECT count(*) FROM (SELECT 1 FROM {from} WHERE {where_sql} LIMIT {})",
                cap + 1
            ),
            None => format!("SELECT count(*) FROM {from} WHERE {where_sql}"),
        };
        return Ok((sql, f.args, cap));
    }
    let a = access(conn, &sort_plan(query), &f)?;
    // Several broad filters at once: each counted row costs a table read, and the rows
    // that match all of them may be sparse, so stop sooner.
    // One broad filter alone (e.g. "no flag") matches most rows it reads: the usual cap.
    let several = f.terms.len() > 1;
    let capped = cap.filter(|_| !a.small).map(|cap| {
        if several {
            cap.min(MULTI_FILTER_COUNT_CAP)
        } else {
            cap
        }
    });
    let sql = match capped {
        Some(cap) => format!(
            "SELECT count(*) FROM (SELECT 1 FROM {} WHERE {} LIMIT {})",
            a.from,
            a.where_sql,
            cap + 1
        ),
        None => format!("SELECT count(*) FROM {} WHERE {}", a.from, a.where_sql),
    };
    Ok((sql, f.args, capped))
}

/// How many orders a query matches, as the list shows it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OrderCount {
    /// The number counted; with `more`, the cap.
    pub count: i64,
    /// More orders match than were counted: show "10,000+".
    pub more: bool,
}

impl super::Store {
    /// How many orders the query matches, fast on any filter: counts exactly when the
    /// driving set is small (under 20,000 orders, read through its index), else stops at
    /// `cap` and says there are more (several broad filters at once stop at 1,000, see
    /// [`MULTI_FILTER_COUNT_CAP`]). The list uses a cap of 10,000 ("10,000+"); for the
    /// exact figure use `count_orders` (30–130 ms on a million orders for one broad filter,
    /// more for several).
    pub fn count_orders_capped(&self, query: &OrderQuery, cap: i64) -> Result<OrderCount> {
        let (sql, args, capped) = count_sql(&self.conn, query, Some(cap.max(0)))?;
        let n: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(args.iter()), |row| row.get(0))?;
        // A search reads at most SEARCH_CAP orders of each kind: at the cap there may be more.
        let searched_to_cap = !query.search.trim().is_empty() && n >= SEARCH_CAP;
        Ok(if searched_to_cap {
            OrderCount {
                count: n,
                more: true,
            }
        } else if let Some(cap) = capped
            && n > cap
        {
            OrderCount {
                count: cap,
                more: true,
            }
        } else {
            OrderCount {
                count: n,
                more: false,
            }
        })
    }

    /// The query plan of a list page, one line per step (`EXPLAIN QUERY PLAN`), for the
    /// benchmark and tests.
    pub fn explain_orders(&self, query: &OrderQuery) -> Result<Vec<String>> {
        let (sql, args) = select_sql(&self.conn, query, "o.id")?;
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let rows = stmt.query_map(params_from_iter(args.iter()), |row| row.get::<_, String>(3))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::NewOrder;
    use crate::domain::{Event, PaymentStatus};
    use crate::store::Store;

    #[test]
    fn state_rank_in_sql_matches_rank_of() {
        let conn = Connection::open_in_memory().expect("memory");
        for state in OrderState::ALL {
            let sql = format!("SELECT {} FROM (SELECT ?1 AS state) x", state_rank("x"));
            let rank: i64 = conn
                .query_row(&sql, [state.code()], |row| row.get(0))
                .expect("rank");
            assert_eq!(rank, rank_of(state) as i64, "{state:?}");
        }
    }

    #[test]
    fn state_filters_and_stock_queries_use_the_state_rank_index() {
        let (store, _) = shop();
        for state in OrderState::ALL {
            let plan = store
                .explain_orders(&OrderQuery {
                    state: Some(state),
                    ..OrderQuery::default()
                })
                .expect("plan")
                .join("\n");
            assert!(plan.contains("orders_state_rank"), "{state:?}: {plan}");
        }
        let open = state_in("o", &[OrderState::PendingReview, OrderState::Approved]);
        let plan: Vec<String> = store
            .conn
            .prepare(&format!(
                "EXPLAIN QUERY PLAN SELECT id FROM orders o WHERE {open} AND o.merged_into IS NULL"
            ))
            .expect("prepare")
            .query_map([], |row| row.get(3))
            .expect("plan")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert!(plan.join(" ").contains("orders_state_rank"), "{plan:?}");
    }

    /// Orders 1–6 with different platforms, flags, totals, receivers and dates.
    fn shop() -> (Store, Vec<i64>) {
        let mut store = Store::open_in_memory().expect("store");
        let make = |no: &str, platform: &str, day: u32, total: i64, receiver: &str, flag: Flag| {
            let mut o = NewOrder::new(platform, no, &format!("2026-11-{day:02}T10:00:00+08:00"));
            o.buyer_id = format!("buyer{no}");
            o.receiver_name = receiver.to_owned();
            o.receiver_phone = "13812345678".to_owned();
            o.goods_cents = total;
            o.flag = flag;
            o.payment_status = PaymentStatus::Paid;
            o.paid_at = Some(format!("2026-11-{:02}T12:00:00+08:00", day + 1));
            o
        };
        let ids = store
            .insert_orders(
                &[
                    make("1", "taobao", 1, 1000, "王芳", Flag::None),
                    make("2", "jd", 2, 5000, "李娜", Flag::Red),
                    make("3", "taobao", 3, 3000, "张伟", Flag::Red),
                    make("4", "tmall", 4, 2000, "赵敏", Flag::None),
                    make("5", "taobao", 5, 4000, "陈静", Flag::Yellow),
                    make("6", "manual", 6, 6000, "刘洋", Flag::None),
                ],
                "test",
                "owner",
            )
            .expect("insert");
        (store, ids)
    }

    /// The page's order numbers; checks both counts against the whole list.
    fn numbers(store: &Store, query: OrderQuery) -> Vec<String> {
        let rows = store
            .query_orders(&query)
            .unwrap_or_else(|e| panic!("{query:?}: {e}"));
        let whole = OrderQuery {
            limit: 0,
            offset: 0,
            ..query.clone()
        };
        let all = store.query_orders(&whole).expect("query").len() as i64;
        let count = store.count_orders(&query).expect("count");
        let capped = store.count_orders_capped(&query, 2).expect("capped");
        assert_eq!(count, all, "count of {query:?}");
        // Exact when cheap (small driving set, one covering index), else stopped at the cap.
        if capped.more {
            assert!(capped.count == 2 && count > 2, "capped count of {query:?}");
        } else {
            assert_eq!(capped.count, count, "capped count of {query:?}");
        }
        rows.into_iter().map(|r| r.order_no).collect()
    }

    /// Keyset paging gives the pages offset paging gives, in every sort, with and without
    /// filters, over ties (three orders share a flag, two a receiver and a total).
    #[test]
    fn keyset_pages_match_offset_pages() {
        let (mut store, ids) = shop();
        store
            .apply_event(ids[1], Event::Review, "owner")
            .expect("review");
        let filters = [
            OrderQuery::default(),
            OrderQuery {
                platform: Some("taobao".to_owned()),
                ..OrderQuery::default()
            },
            OrderQuery {
                search: "13812345678".to_owned(),
                ..OrderQuery::default()
            },
        ];
        for filter in filters {
            for sort in OrderSort::ALL {
                let whole = OrderQuery {
                    sort,
                    ..filter.clone()
                };
                let expected: Vec<i64> = store
                    .query_orders(&whole)
                    .expect("all")
                    .iter()
                    .map(|r| r.id)
                    .collect();
                let first = OrderQuery {
                    limit: 2,
                    ..whole.clone()
                };
                let mut page = store.query_orders(&first).expect("first");
                let mut got: Vec<i64> = page.iter().map(|r| r.id).collect();
                while page.len() == 2 {
                    page = store
                        .query_orders(&OrderQuery {
                            // The right offset too: the state sorts page by offset.
                            offset: got.len() as u32,
                            after: page.last().cloned().map(Box::new),
                            ..first.clone()
                        })
                        .expect("page");
                    got.extend(page.iter().map(|r| r.id));
                }
                assert_eq!(got, expected, "{sort:?} {filter:?}");
                // Pages by offset alone (a page asked before the ones above it).
                for offset in 0..=expected.len() as u32 {
                    let page = store
                        .query_orders(&OrderQuery {
                            offset,
                            ..first.clone()
                        })
                        .expect("offset page");
                    let ids: Vec<i64> = page.iter().map(|r| r.id).collect();
                    let end = (offset as usize + 2).min(expected.len());
                    assert_eq!(ids, expected[offset as usize..end], "{sort:?} @{offset}");
                }
            }
        }
    }

    /// The default sort seeks in `orders_ordered` from the last row: no scan, no sort.
    #[test]
    fn a_keyset_page_seeks_in_the_sort_index() {
        let (store, _) = shop();
        let rows = store.query_orders(&OrderQuery::default()).expect("rows");
        let plan = store
            .explain_orders(&OrderQuery {
                after: rows.get(2).cloned().map(Box::new),
                limit: 2,
                ..OrderQuery::default()
            })
            .expect("plan")
            .join("\n");
        assert!(
            plan.contains("USING INDEX orders_ordered (ordered_at<?)"),
            "{plan}"
        );
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }

    /// The flag and state sorts over every order read each value's run through its index:
    /// colours in `orders_flag`, unflagged orders in `orders_ordered`, states in
    /// `orders_state_rank`; the only sort in memory is of the few rows read.
    #[test]
    fn segmented_sorts_seek_in_their_indexes() {
        let (store, _) = shop();
        for (sort, indexes) in [
            (OrderSort::FlagFirst, &["orders_flag", "orders_ordered"][..]),
            (OrderSort::StateAsc, &["orders_state_rank"][..]),
        ] {
            let rows = store
                .query_orders(&OrderQuery {
                    sort,
                    ..OrderQuery::default()
                })
                .expect("rows");
            let plan = store
                .explain_orders(&OrderQuery {
                    sort,
                    after: rows.get(1).cloned().map(Box::new),
                    limit: 2,
                    ..OrderQuery::default()
                })
                .expect("plan")
                .join("\n");
            for index in indexes {
                assert!(plan.contains(&format!("USING INDEX {index}")), "{plan}");
            }
            assert!(!plan.contains("SCAN o\n"), "{plan}");
        }
    }

    #[test]
    fn every_filter_and_sort() {
        let (mut store, ids) = shop();
        store
            .apply_event(ids[1], Event::Review, "owner")
            .expect("review");
        store
            .apply_event(ids[2], Event::Hold, "owner")
            .expect("hold");
        let q = OrderQuery::default;
        let cases: Vec<(OrderQuery, &[&str])> = vec![
            (q(), &["6", "5", "4", "3", "2", "1"]),
            (
                OrderQuery {
                    flag: Some(Flag::Red),
                    ..q()
                },
                &["3", "2"],
            ),
            (
                // Not in `orders_flag` (flagged orders only): read in the list's order.
                OrderQuery {
                    flag: Some(Flag::None),
                    ..q()
                },
                &["6", "4", "1"],
            ),
            (
                OrderQuery {
                    platform: Some("taobao".to_owned()),
                    ..q()
                },
                &["5", "3", "1"],
            ),
            (
                OrderQuery {
                    min_total_cents: Some(2000),
                    max_total_cents: Some(4000),
                    ..q()
                },
                &["5", "4", "3"],
            ),
            (
                OrderQuery {
                    date_from: Some("2026-11-02".to_owned()),
                    date_to: Some("2026-11-04".to_owned()),
                    ..q()
                },
                &["3", "2"],
            ),
            // Paid a day after ordering; a ranged date type sorts by that date.
            (
                OrderQuery {
                    date_kind: DateKind::Paid,
                    date_from: Some("2026-11-02".to_owned()),
                    date_to: Some("2026-11-04".to_owned()),
                    ..q()
                },
                &["2", "1"],
            ),
            (
                OrderQuery {
                    date_kind: DateKind::Reviewed,
                    date_from: Some("2000-01-01".to_owned()),
                    ..q()
                },
                &["2"],
            ),
            (
                OrderQuery {
                    state_filter: Some(StateFilter::ApprovedPaid),
                    ..q()
                },
                &["2"],
            ),
            (
                OrderQuery {
                    state_filter: Some(StateFilter::ApprovedUnpaid),
                    ..q()
                },
                &[],
            ),
            (
                OrderQuery {
                    state_filter: Some(StateFilter::OnHold),
                    ..q()
                },
                &["3"],
            ),
            (
                OrderQuery {
                    state: Some(OrderState::PendingReview),
                    flag: Some(Flag::Red),
                    ..q()
                },
                &["3"],
            ),
            (
                OrderQuery {
                    state: Some(OrderState::Shipped),
                    state_filter: Some(StateFilter::ApprovedPaid),
                    ..q()
                },
                &[],
            ),
            (
                OrderQuery {
                    sort: OrderSort::TotalDesc,
                    limit: 3,
                    ..q()
                },
                &["6", "2", "5"],
            ),
            (
                OrderQuery {
                    sort: OrderSort::TotalAsc,
                    offset: 4,
                    ..q()
                },
                &["2", "6"],
            ),
            (
                OrderQuery {
                    sort: OrderSort::ReceiverAsc,
                    limit: 2,
                    ..q()
                },
                // By character code: 刘 (U+5218) before 张 (U+5F20).
                &["6", "3"],
            ),
            (
                OrderQuery {
                    sort: OrderSort::StateAsc,
                    ..q()
                },
                &["1", "3", "4", "5", "6", "2"],
            ),
            (
                // Red, then yellow, then no flag; newest first within each.
                OrderQuery {
                    sort: OrderSort::FlagFirst,
                    ..q()
                },
                &["3", "2", "5", "6", "4", "1"],
            ),
            (
                OrderQuery {
                    sort: OrderSort::FlagLast,
                    ..q()
                },
                &["1", "4", "6", "5", "2", "3"],
            ),
            (
                OrderQuery {
                    sort: OrderSort::FlagFirst,
                    flag: Some(Flag::Red),
                    ..q()
                },
                &["3", "2"],
            ),
            (
                OrderQuery {
                    sort: OrderSort::OldestFirst,
                    search: "王芳".to_owned(),
                    ..q()
                },
                &["1"],
            ),
        ];
        for (query, expected) in cases {
            assert_eq!(numbers(&store, query.clone()), expected, "{query:?}");
        }
        for sort in OrderSort::ALL {
            assert_eq!(sort.reversed().reversed(), sort);
            let rows = numbers(
                &store,
                OrderQuery {
                    sort,
                    ..OrderQuery::default()
                },
            );
            assert_eq!(rows.len(), 6, "{sort:?}");
        }
    }
}
