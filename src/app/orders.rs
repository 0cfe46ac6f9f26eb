//! Order processing: the order list and detail, review, merge, flag, split, cancel,
//! archive. [`act`] is the one implementation of every action on orders: it runs order by
//! order (one refusal does not stop the others, each order's change is its own
//! transaction) and refuses to act on an order merged into another, whoever asks.

use crate::domain::review::ReviewProblem;
use crate::domain::{Event, Flag, OrderState, Refusal};
use crate::store::{
    OrderCount, OrderDetail, OrderQuery, OrderRow, ProductFilter, ReceiverEdit, StockRow, Store,
    StoreError,
};

use super::{Changed, Result};

/// The order list counts up to this many matches, then shows "10000+".
pub const LIST_COUNT_CAP: i64 = 10_000;

/// At most this many orders in the review queue.
pub const REVIEW_QUEUE_LIMIT: u32 = 500;

/// At most this many products offered when matching a SKU.
pub const PRODUCT_CHOICES: u32 = 20;

/// Something the owner does to one or more orders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderAction {
    /// A state-machine event (payment received, hold, release, cancel, archive…).
    Event {
        ids: Vec<i64>,
        event: Event,
    },
    Flag {
        ids: Vec<i64>,
        flag: Flag,
        remark: Option<String>,
    },
    Merge {
        main: i64,
        others: Vec<i64>,
    },
    Unmerge {
        main: i64,
    },
    /// 审核 with the checks: orders with problems stay pending, with their reasons.
    Review {
        ids: Vec<i64>,
    },
    EditReceiver {
        id: i64,
        edit: ReceiverEdit,
    },
    /// Move these lines to a new order (ship what is in stock now, the rest later).
    Split {
        id: i64,
        line_ids: Vec<i64>,
    },
    Remark {
        id: i64,
        remark: String,
    },
    /// Match every unmatched line with this SKU (on any open order) to a product, from the
    /// order `id` that shows one; a line without a SKU is named by its title.
    MatchSku {
        id: i64,
        sku: String,
        title: String,
        product_code: String,
    },
}

impl OrderAction {
    /// The orders the action names, main order first.
    fn ids(&self) -> Vec<i64> {
        match self {
            OrderAction::Event { ids, .. }
            | OrderAction::Flag { ids, .. }
            | OrderAction::Review { ids } => ids.clone(),
            OrderAction::Merge { main, others } => std::iter::once(*main)
                .chain(others.iter().copied())
                .collect(),
            OrderAction::Unmerge { main } => vec![*main],
            OrderAction::EditReceiver { id, .. }
            | OrderAction::Split { id, .. }
            | OrderAction::Remark { id, .. }
            | OrderAction::MatchSku { id, .. } => vec![*id],
        }
    }
}

/// Why one order was left as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The number `order_no` names an order merged into `main`: act on the main order.
    MergedInto { order_no: String, main: String },
    /// The order state machine refused the event.
    Rule(Refusal),
    /// The review found these problems; the order stays pending.
    Review(Vec<ReviewProblem>),
    /// Any other refusal, in the store's words.
    Store(String),
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::MergedInto { order_no, main } => write!(
                f,
                "order {order_no} is merged into order {main}: act on {main}, or unmerge it first"
            ),
            Reason::Rule(refusal) => write!(f, "{refusal}"),
            Reason::Review(problems) => {
                let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
                f.write_str(&messages.join("; "))
            }
            Reason::Store(text) => f.write_str(text),
        }
    }
}

impl From<StoreError> for Reason {
    fn from(e: StoreError) -> Reason {
        match e {
            StoreError::Refused(refusal) => Reason::Rule(refusal),
            other => Reason::Store(other.to_string()),
        }
    }
}

/// One order an action left as it was, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub order_no: String,
    pub reason: Reason,
}

/// How an action went: the orders it changed and the orders it refused, in the order named.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionOutcome {
    /// Numbers of the orders changed.
    pub done: Vec<String>,
    pub refused: Vec<Refused>,
    /// The new order of a split.
    pub split_into: Option<String>,
    /// The lines a SKU match matched, on every order that had them.
    pub matched_lines: Option<u64>,
}

/// The order a platform number names, refusing the number of an order merged into another
/// (acting on it would act on the whole shipment).
pub fn resolve(store: &Store, order_no: &str) -> std::result::Result<i64, Refused> {
    let refused = |reason: Reason| Refused {
        order_no: order_no.trim().to_owned(),
        reason,
    };
    let id = store.find_order(order_no).map_err(|e| refused(e.into()))?;
    let main = store.order_number(id).map_err(|e| refused(e.into()))?;
    if main != order_no.trim() {
        return Err(refused(Reason::MergedInto {
            order_no: order_no.trim().to_owned(),
            main,
        }));
    }
    Ok(id)
}

/// The number of the order with this id, refused when that order is merged into another.
fn check_not_merged(store: &Store, id: i64) -> std::result::Result<String, Refused> {
    match store.order_numbers(id) {
        Ok((order_no, None)) => Ok(order_no),
        Ok((order_no, Some(main))) => Err(Refused {
            order_no: order_no.clone(),
            reason: Reason::MergedInto { order_no, main },
        }),
        Err(e) => Err(Refused {
            order_no: format!("#{id}"),
            reason: e.into(),
        }),
    }
}

/// Runs an action. Orders merged into another are refused; the others are acted on one by
/// one, each in its own transaction.
pub fn act(store: &mut Store, operator: &str, action: &OrderAction) -> ActionOutcome {
    let mut outcome = ActionOutcome::default();
    let mut numbers = Vec::new();
    for id in action.ids() {
        match check_not_merged(store, id) {
            Ok(no) => numbers.push((id, no)),
            Err(refused) => outcome.refused.push(refused),
        }
    }
    // A merge or a split is one act on all its orders: any refusal stops it whole.
    let whole = matches!(
        action,
        OrderAction::Merge { .. } | OrderAction::Unmerge { .. } | OrderAction::Split { .. }
    );
    if whole && !outcome.refused.is_empty() {
        return outcome;
    }
    let mut record = |order_no: &str, result: crate::store::Result<()>| match result {
        Ok(()) => outcome.done.push(order_no.to_owned()),
        Err(e) => outcome.refused.push(Refused {
            order_no: order_no.to_owned(),
            reason: e.into(),
        }),
    };
    match action {
        OrderAction::Event { event, .. } => {
            for (id, no) in &numbers {
                let result = store.apply_event(*id, *event, operator).map(|_| ());
                record(no, result);
            }
        }
        OrderAction::Flag { flag, remark, .. } => {
            for (id, no) in &numbers {
                let result = store.set_flag(*id, *flag, remark.as_deref(), operator);
                record(no, result);
            }
        }
        OrderAction::Merge { main, others } => {
            let result = store.merge_orders(*main, others, operator);
            if let Some((_, no)) = numbers.first() {
                record(no, result);
            }
        }
        OrderAction::Unmerge { main } => {
            let result = store.unmerge_order(*main, operator).map(|_| ());
            if let Some((_, no)) = numbers.first() {
                record(no, result);
            }
        }
        OrderAction::Review { .. } => {
            let ids: Vec<i64> = numbers.iter().map(|(id, _)| *id).collect();
            match store.review_orders(&ids, operator) {
                Ok(reviewed) => {
                    for o in reviewed {
                        if o.approved {
                            outcome.done.push(o.order_no);
                        } else {
                            outcome.refused.push(Refused {
                                order_no: o.order_no,
                                reason: Reason::Review(o.problems),
                            });
                        }
                    }
                }
                Err(e) => {
                    for (_, no) in &numbers {
                        outcome.refused.push(Refused {
                            order_no: no.clone(),
                            reason: Reason::Store(e.to_string()),
                        });
                    }
                }
            }
        }
        OrderAction::EditReceiver { id, edit } => {
            let result = store.update_receiver(*id, edit, operator);
            if let Some((_, no)) = numbers.first() {
                record(no, result);
            }
        }
        OrderAction::Remark { id, remark } => {
            let result = store.set_remark(*id, remark, operator);
            if let Some((_, no)) = numbers.first() {
                record(no, result);
            }
        }
        OrderAction::MatchSku {
            sku,
            title,
            product_code,
            ..
        } => {
            let result = store.match_unmatched(sku, Some(title), product_code, operator);
            if let Some((_, no)) = numbers.first() {
                match result {
                    Ok(n) => {
                        outcome.done.push(no.clone());
                        outcome.matched_lines = Some(n);
                    }
                    Err(e) => record(no, Err(e)),
                }
            }
        }
        OrderAction::Split { id, line_ids } => match store.split_order(*id, line_ids, operator) {
            Ok(new_id) => {
                if let Some((_, no)) = numbers.first() {
                    outcome.done.push(no.clone());
                }
                outcome.split_into = store.order_number(new_id).ok();
            }
            Err(e) => {
                if let Some((_, no)) = numbers.first() {
                    record(no, Err(e));
                }
            }
        },
    }
    outcome
}

/// An order for the detail panel, with what its review would find while it is pending.
#[derive(Clone, Debug)]
pub struct OrderView {
    pub detail: OrderDetail,
    pub problems: Vec<ReviewProblem>,
}

/// Everything about one order.
pub fn view(store: &Store, id: i64) -> Result<OrderView> {
    let detail = store.order_detail(id)?;
    let problems = if detail.row.state == OrderState::PendingReview {
        store.review_problems(id)?
    } else {
        Vec::new()
    };
    Ok(OrderView { detail, problems })
}

/// What the Orders tab asks.
#[derive(Debug)]
pub enum Request {
    /// A page of the order list; `generation` lets the tab drop stale answers.
    List {
        generation: u64,
        query: OrderQuery,
        with_total: bool,
    },
    Detail(i64),
    Act(OrderAction),
    /// Pending orders with what keeps each from approval.
    ReviewQueue,
    /// Orders of the same buyer and address that could ship together.
    MergeProposals,
    /// Products by code, name or exact barcode, to match a SKU to.
    Products(String),
}

/// The answers to [`Request`]s.
#[derive(Debug)]
pub enum Reply {
    List {
        generation: u64,
        offset: u32,
        rows: Vec<OrderRow>,
        total: Option<OrderCount>,
    },
    Detail(Box<OrderView>),
    Acted(ActionOutcome),
    ReviewQueue(Vec<(OrderRow, Vec<ReviewProblem>)>),
    MergeProposals(Vec<Vec<OrderRow>>),
    Products {
        search: String,
        rows: Vec<StockRow>,
    },
}

impl Reply {
    /// An action may change states, reservations and what can be printed.
    pub fn changed(&self) -> Changed {
        match self {
            Reply::Acted(outcome) if !outcome.done.is_empty() => {
                Changed::ORDERS | Changed::STOCK | Changed::SHIPPING
            }
            _ => Changed::NOTHING,
        }
    }
}

/// Answers one request of the Orders tab.
pub fn handle(store: &mut Store, operator: &str, request: Request) -> Result<Reply> {
    Ok(match request {
        Request::List {
            generation,
            query,
            with_total,
        } => {
            let total = if with_total {
                Some(store.count_orders_capped(&query, LIST_COUNT_CAP)?)
            } else {
                None
            };
            Reply::List {
                generation,
                offset: query.offset,
                rows: store.query_orders(&query)?,
                total,
            }
        }
        Request::Detail(id) => Reply::Detail(Box::new(view(store, id)?)),
        Request::Act(action) => Reply::Acted(act(store, operator, &action)),
        Request::ReviewQueue => Reply::ReviewQueue(store.review_queue(REVIEW_QUEUE_LIMIT)?),
        Request::MergeProposals => Reply::MergeProposals(store.merge_proposals()?),
        Request::Products(search) => Reply::Products {
            rows: store
                .product_page(&ProductFilter {
                    search: search.clone(),
                    limit: PRODUCT_CHOICES,
                    ..ProductFilter::default()
                })?
                .rows,
            search,
        },
    })
}

impl OrderAction {
    /// What the operator must be allowed to do for this action.
    pub fn permission(&self) -> crate::domain::operators::Action {
        use crate::domain::operators::Action;
        match self {
            OrderAction::Event { event, .. } => match event {
                Event::Archive => Action::OrdersArchive,
                Event::Print => Action::Printing,
                Event::PackCheckPassed => Action::Pack,
                Event::Ship => Action::PackOverride,
                Event::Return => Action::AfterSales,
                Event::Review
                | Event::PaymentReceived
                | Event::Cancel
                | Event::Hold
                | Event::Release
                | Event::Reopen => Action::OrdersEdit,
            },
            OrderAction::Flag { .. }
            | OrderAction::Merge { .. }
            | OrderAction::Unmerge { .. }
            | OrderAction::Review { .. }
            | OrderAction::EditReceiver { .. }
            | OrderAction::Split { .. }
            | OrderAction::Remark { .. }
            | OrderAction::MatchSku { .. } => Action::OrdersEdit,
        }
    }
}

impl Request {
    /// What the request needs the operator to be allowed to do (`None`: a read).
    pub fn action(&self) -> Option<crate::domain::operators::Action> {
        match self {
            Request::Act(action) => Some(action.permission()),
            Request::List { .. }
            | Request::Detail(_)
            | Request::ReviewQueue
            | Request::MergeProposals
            | Request::Products(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::paid_order;

    /// Three pending orders of one buyer and address: A, B, C.
    fn shop() -> (Store, Vec<i64>) {
        let mut store = crate::store::testing::shop();
        let ids = store
            .insert_orders(
                &[paid_order("A"), paid_order("B"), paid_order("C")],
                "test",
                "owner",
            )
            .expect("orders");
        (store, ids)
    }

    #[test]
    fn an_order_merged_into_another_is_refused_whoever_asks() {
        let (mut store, ids) = shop();
        let merged = act(
            &mut store,
            "owner",
            &OrderAction::Merge {
                main: ids[0],
                others: vec![ids[1]],
            },
        );
        assert_eq!(merged.done, vec!["A".to_owned()]);
        // By number (the command line) and by id (the window) alike.
        let by_number = resolve(&store, "B").expect_err("B is inside A");
        assert_eq!(
            by_number.reason,
            Reason::MergedInto {
                order_no: "B".to_owned(),
                main: "A".to_owned()
            }
        );
        let cases: Vec<OrderAction> = vec![
            OrderAction::Event {
                ids: vec![ids[1]],
                event: Event::Cancel,
            },
            OrderAction::Flag {
                ids: vec![ids[1]],
                flag: Flag::Red,
                remark: None,
            },
            OrderAction::Review { ids: vec![ids[1]] },
            OrderAction::Remark {
                id: ids[1],
                remark: "x".to_owned(),
            },
            OrderAction::Split {
                id: ids[1],
                line_ids: vec![],
            },
        ];
        for action in cases {
            let outcome = act(&mut store, "owner", &action);
            assert!(
                outcome.done.is_empty(),
                "{action:?} acted on a merged order"
            );
            assert!(
                matches!(
                    outcome.refused.as_slice(),
                    [Refused { order_no, reason: Reason::MergedInto { main, .. } }]
                        if order_no == "B" && main == "A"
                ),
                "{action:?}: {:?}",
                outcome.refused
            );
        }
        assert_eq!(
            store.order_detail(ids[1]).expect("B").row.state,
            OrderState::PendingReview
        );
    }

    #[test]
    fn each_order_is_acted_on_alone_and_refusals_are_typed() {
        let (mut store, ids) = shop();
        let cancelled = act(
            &mut store,
            "owner",
            &OrderAction::Event {
                ids: vec![ids[2]],
                event: Event::Cancel,
            },
        );
        assert_eq!(cancelled.done, vec!["C".to_owned()]);
        // Cancelling A and C again: A goes, C is refused by the state machine.
        let outcome = act(
            &mut store,
            "owner",
            &OrderAction::Event {
                ids: vec![ids[0], ids[2]],
                event: Event::Cancel,
            },
        );
        assert_eq!(outcome.done, vec!["A".to_owned()]);
        assert!(matches!(
            outcome.refused.as_slice(),
            [Refused { order_no, reason: Reason::Rule(_) }] if order_no == "C"
        ));
    }

    #[test]
    fn the_operator_given_is_the_one_in_the_log() {
        let (mut store, ids) = shop();
        act(
            &mut store,
            "小王",
            &OrderAction::Flag {
                ids: vec![ids[0]],
                flag: Flag::Yellow,
                remark: Some("缺货".to_owned()),
            },
        );
        let detail = store.order_detail(ids[0]).expect("A");
        let flag = detail
            .events
            .iter()
            .find(|e| e.event == crate::domain::LogKind::Flag)
            .expect("a flag entry");
        assert_eq!(flag.operator, "小王");
    }

    #[test]
    fn an_answer_names_the_views_it_changed() {
        let done = Reply::Acted(ActionOutcome {
            done: vec!["A".to_owned()],
            ..ActionOutcome::default()
        });
        assert!(done.changed().touches(Changed::ORDERS));
        assert!(done.changed().touches(Changed::STOCK));
        assert!(!done.changed().touches(Changed::SETTINGS));
        let nothing = Reply::Acted(ActionOutcome::default());
        assert!(nothing.changed().is_empty());
        let list = Reply::MergeProposals(Vec::new());
        assert!(list.changed().is_empty());
    }
}
