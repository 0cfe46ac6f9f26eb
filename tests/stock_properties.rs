//! The stock property test: random sequences of what a shop does (import an order, review,
//! print, cancel, ship, return, purchase and receive, adjust, count, allow or refuse negative
//! stock) against a plain model. After every step: on hand equals the sum of the ledger
//! (`check`), on hand / theoretical / sellable / in transit are what DOMAIN.md says of the
//! model, a bundle is the minimum its components allow, and nothing went below zero unless
//! the settings allowed it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use shopdesk::domain::inventory::{AdjustReason, CountEntry};
use shopdesk::domain::model::{NewOrder, NewOrderLine, NewProduct};
use shopdesk::domain::stock::bundle_figures;
use shopdesk::domain::{Event, PaymentStatus, StockFigures};
use shopdesk::store::{NewPurchase, NewPurchaseLine, Store};

/// The single products; `SET` is one A and two B.
const SINGLES: [&str; 2] = ["A", "B"];
const SET: [i64; 2] = [1, 2];
/// On hand of each single product before the first step.
const OPENING: i64 = 30;

#[derive(Clone, Debug)]
enum Op {
    /// An order of (A, B, SET) quantities, paid or not.
    Import {
        qty: [i64; 3],
        paid: bool,
    },
    Review(usize),
    Pay(usize),
    Print(usize),
    Ship(usize),
    Cancel(usize),
    Return(usize),
    Reopen(usize),
    Purchase {
        qty: [i64; 2],
    },
    /// Receive on an open purchase: a share (in percent) of what is still expected.
    Receive {
        purchase: usize,
        percent: i64,
    },
    Adjust {
        product: usize,
        quantity: i64,
    },
    /// Count every product; `None` leaves a product uncounted.
    Count {
        counted: [Option<i64>; 2],
    },
    AllowNegative(bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => ([0i64..4, 0i64..4, 0i64..3], any::<bool>())
            .prop_map(|(qty, paid)| Op::Import { qty, paid }),
        3 => (0usize..16).prop_map(Op::Review),
        2 => (0usize..16).prop_map(Op::Pay),
        4 => (0usize..16).prop_map(Op::Print),
        4 => (0usize..16).prop_map(Op::Ship),
        1 => (0usize..16).prop_map(Op::Cancel),
        2 => (0usize..16).prop_map(Op::Return),
        1 => (0usize..16).prop_map(Op::Reopen),
        1 => [0i64..20, 0i64..20].prop_map(|qty| Op::Purchase { qty }),
        2 => (0usize..4, 0i64..=100).prop_map(|(purchase, percent)| Op::Receive { purchase, percent }),
        2 => (0usize..2, -12i64..12).prop_map(|(product, quantity)| Op::Adjust { product, quantity }),
        1 => [proptest::option::of(0i64..30), proptest::option::of(0i64..30)]
            .prop_map(|counted| Op::Count { counted }),
        1 => any::<bool>().prop_map(Op::AllowNegative),
    ]
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Pending,
    Approved,
    Printed,
    Shipped,
    Cancelled,
}

#[derive(Clone, Debug)]
struct Order {
    id: i64,
    state: State,
    paid: bool,
    /// Single units per product, bundles exploded.
    items: [i64; 2],
}

#[derive(Clone, Debug)]
struct Purchase {
    id: i64,
    open: [i64; 2],
}

#[derive(Default)]
struct Model {
    on_hand: [i64; 2],
    orders: Vec<Order>,
    purchases: Vec<Purchase>,
    allow_negative: bool,
    next_order: u64,
}

impl Model {
    fn figures(&self, p: usize) -> StockFigures {
        let sum = |keep: &dyn Fn(&Order) -> bool| {
            self.orders
                .iter()
                .filter(|o| keep(o))
                .map(|o| o.items[p])
                .sum::<i64>()
        };
        StockFigures {
            on_hand: self.on_hand[p],
            reserved: sum(&|o| matches!(o.state, State::Approved | State::Printed)),
            // Default settings: paid unreviewed orders count, unpaid ones do not.
            unreviewed_demand: sum(&|o| o.state == State::Pending && o.paid),
            in_transit: self.purchases.iter().map(|x| x.open[p]).sum(),
        }
    }

    /// Whether taking `items` is allowed by the negative-stock rule.
    fn can_take(&self, items: [i64; 2]) -> bool {
        self.allow_negative || (0..2).all(|p| items[p] <= 0 || self.on_hand[p] - items[p] >= 0)
    }
}

fn shop() -> Store {
    let mut store = Store::open_in_memory().expect("store");
    let single = |code: &str| NewProduct {
        code: code.to_owned(),
        name: code.to_owned(),
        cost_cents: 100,
        ..NewProduct::default()
    };
    store
        .upsert_products(&[
            single("A"),
            single("B"),
            NewProduct {
                code: "SET".to_owned(),
                name: "set".to_owned(),
                components: vec![("A".to_owned(), SET[0]), ("B".to_owned(), SET[1])],
                ..NewProduct::default()
            },
        ])
        .expect("products");
    for code in SINGLES {
        store
            .adjust_with_reason(code, OPENING, AdjustReason::Found, "opening", "owner")
            .expect("opening stock");
    }
    store
}

fn event(store: &mut Store, order: &Order, event: Event) -> bool {
    store.apply_event(order.id, event, "owner").is_ok()
}

/// Runs one step on the store and the model; fails when they disagree.
fn step(store: &mut Store, model: &mut Model, op: &Op) -> Result<(), TestCaseError> {
    let before = model.on_hand;
    let pick = |i: usize| (!model.orders.is_empty()).then(|| i % model.orders.len());
    match op {
        Op::Import { qty, paid } => {
            model.next_order += 1;
            let mut order = NewOrder::new(
                "taobao",
                &format!("P{}", model.next_order),
                "2026-11-20T10:00:00+08:00",
            );
            order.receiver_name = "张三".to_owned();
            order.receiver_phone = "13800000000".to_owned();
            order.address = "西湖区文三路 1 号".to_owned();
            if *paid {
                order.payment_status = PaymentStatus::Paid;
            }
            for (sku, n) in ["A", "B", "SET"].iter().zip(qty) {
                if *n > 0 {
                    order.lines.push(NewOrderLine {
                        sku: (*sku).to_owned(),
                        title: (*sku).to_owned(),
                        quantity: *n,
                        unit_price_cents: 100,
                        ..NewOrderLine::default()
                    });
                }
            }
            if order.lines.is_empty() {
                return Ok(());
            }
            let ids = store
                .insert_orders(&[order], "test", "owner")
                .expect("insert");
            model.orders.push(Order {
                id: ids[0],
                state: State::Pending,
                paid: *paid,
                items: [qty[0] + qty[2] * SET[0], qty[1] + qty[2] * SET[1]],
            });
        }
        Op::Review(i)
        | Op::Pay(i)
        | Op::Print(i)
        | Op::Ship(i)
        | Op::Cancel(i)
        | Op::Return(i)
        | Op::Reopen(i) => {
            // Two times in three the event goes to an order it suits (so that orders do
            // get printed, shipped and returned); else to any order, to check refusals.
            let suits = |o: &Order| match op {
                Op::Review(_) => o.state == State::Pending,
                Op::Pay(_) => !o.paid,
                Op::Print(_) => o.paid && o.state == State::Approved,
                Op::Ship(_) => o.state == State::Printed,
                Op::Cancel(_) => o.state != State::Shipped && o.state != State::Cancelled,
                Op::Return(_) => o.state == State::Shipped,
                _ => matches!(o.state, State::Approved | State::Printed | State::Cancelled),
            };
            let suited: Vec<usize> = (0..model.orders.len())
                .filter(|&k| suits(&model.orders[k]))
                .collect();
            let i = if *i % 3 != 0 && !suited.is_empty() {
                suited[*i % suited.len()]
            } else {
                let Some(i) = pick(*i) else { return Ok(()) };
                i
            };
            let o = model.orders[i].clone();
            let (ev, expected): (Event, Option<Order>) = match op {
                Op::Review(_) => (
                    Event::Review,
                    (o.state == State::Pending).then(|| Order {
                        state: State::Approved,
                        ..o.clone()
                    }),
                ),
                Op::Pay(_) => (
                    Event::PaymentReceived,
                    (!o.paid && o.state != State::Cancelled).then(|| Order {
                        paid: true,
                        ..o.clone()
                    }),
                ),
                Op::Print(_) => (
                    Event::Print,
                    (o.paid && matches!(o.state, State::Approved | State::Printed)).then(|| {
                        Order {
                            state: State::Printed,
                            ..o.clone()
                        }
                    }),
                ),
                Op::Ship(_) => (
                    Event::Ship,
                    (o.state == State::Printed && model.can_take(o.items)).then(|| Order {
                        state: State::Shipped,
                        ..o.clone()
                    }),
                ),
                Op::Cancel(_) => (
                    Event::Cancel,
                    matches!(o.state, State::Pending | State::Approved | State::Printed).then(
                        || Order {
                            state: State::Cancelled,
                            ..o.clone()
                        },
                    ),
                ),
                Op::Return(_) => (
                    Event::Return,
                    (o.state == State::Shipped).then(|| o.clone()),
                ),
                _ => (
                    Event::Reopen,
                    match o.state {
                        State::Approved | State::Cancelled => Some(Order {
                            state: State::Pending,
                            ..o.clone()
                        }),
                        State::Printed => Some(Order {
                            state: State::Approved,
                            ..o.clone()
                        }),
                        _ => None,
                    },
                ),
            };
            let done = event(store, &o, ev);
            prop_assert_eq!(done, expected.is_some(), "{:?} on {:?}", ev, o);
            if let Some(next) = expected {
                match op {
                    Op::Ship(_) => (0..2).for_each(|p| model.on_hand[p] -= o.items[p]),
                    Op::Return(_) => (0..2).for_each(|p| model.on_hand[p] += o.items[p]),
                    _ => {}
                }
                model.orders[i] = next;
            }
        }
        Op::Purchase { qty } => {
            let lines: Vec<NewPurchaseLine> = SINGLES
                .iter()
                .zip(qty)
                .filter(|(_, n)| **n > 0)
                .map(|(code, n)| NewPurchaseLine {
                    code: (*code).to_owned(),
                    quantity: *n,
                    unit_cost_cents: 90,
                })
                .collect();
            let result = store.create_purchase(
                &NewPurchase {
                    supplier: "s".to_owned(),
                    expected_date: Some("2026-12-01".to_owned()),
                    note: String::new(),
                    lines: lines.clone(),
                },
                "owner",
            );
            prop_assert_eq!(result.is_ok(), !lines.is_empty());
            if let Ok(id) = result {
                model.purchases.push(Purchase { id, open: *qty });
            }
        }
        Op::Receive { purchase, percent } => {
            if model.purchases.is_empty() {
                return Ok(());
            }
            let k = purchase % model.purchases.len();
            let p = model.purchases[k].clone();
            let take: Vec<(String, i64)> = (0..2)
                .map(|i| (SINGLES[i].to_owned(), p.open[i] * percent / 100))
                .filter(|(_, n)| *n > 0)
                .collect();
            // No lines means everything still expected.
            let all = *percent == 100;
            if take.is_empty() && !all {
                return Ok(());
            }
            let result = store.receive_purchase(p.id, if all { &[] } else { &take }, "owner");
            prop_assert!(result.is_ok(), "{:?}", result);
            if result.is_ok() {
                for (code, n) in &take {
                    let i = SINGLES.iter().position(|c| c == code).unwrap_or(0);
                    model.on_hand[i] += n;
                    model.purchases[k].open[i] -= n;
                }
                if model.purchases[k].open == [0, 0] {
                    model.purchases.remove(k);
                }
            }
        }
        Op::Adjust { product, quantity } => {
            if *quantity == 0 {
                return Ok(());
            }
            let reason = if *quantity > 0 {
                AdjustReason::Found
            } else {
                AdjustReason::Damaged
            };
            let mut items = [0, 0];
            items[*product] = -quantity;
            let allowed = model.can_take(items);
            let result =
                store.adjust_with_reason(SINGLES[*product], *quantity, reason, "", "owner");
            prop_assert_eq!(result.is_ok(), allowed, "{:?}", result);
            if result.is_ok() {
                model.on_hand[*product] += quantity;
            }
        }
        Op::Count { counted } => {
            let id = store.start_count("", "", "owner").expect("start");
            for (p, n) in counted.iter().enumerate() {
                if let Some(n) = n {
                    store
                        .count_entry(id, SINGLES[p], CountEntry::Set(*n))
                        .expect("enter");
                }
            }
            store.post_count(id, "owner").expect("post");
            for (p, n) in counted.iter().enumerate() {
                if let Some(n) = n {
                    model.on_hand[p] = *n;
                }
            }
        }
        Op::AllowNegative(allow) => {
            let mut settings = store.settings().expect("settings");
            settings.allow_negative_stock = *allow;
            store.save_settings(&settings).expect("save");
            model.allow_negative = *allow;
        }
    }
    // Nothing went below zero unless allowed.
    if !model.allow_negative {
        for p in 0..2 {
            if model.on_hand[p] < before[p] {
                prop_assert!(
                    model.on_hand[p] >= 0,
                    "{} went to {}",
                    SINGLES[p],
                    model.on_hand[p]
                );
            }
        }
    }
    check(store, model)
}

fn check(store: &Store, model: &Model) -> Result<(), TestCaseError> {
    prop_assert_eq!(store.check().expect("check"), Vec::<String>::new());
    let rows = store.stock_report().expect("report");
    let mut singles = Vec::new();
    for (p, code) in SINGLES.iter().enumerate() {
        let row = rows.iter().find(|r| r.code == *code).expect("row");
        let f = model.figures(p);
        prop_assert_eq!(
            (row.on_hand, row.theoretical, row.sellable, row.in_transit),
            (f.on_hand, f.theoretical(), f.sellable(), f.in_transit),
            "{}",
            code
        );
        let ledger = store.ledger_page(row.id, 0, 10_000).expect("ledger");
        prop_assert_eq!(
            ledger.rows.iter().map(|m| m.quantity).sum::<i64>(),
            row.on_hand
        );
        if let Some(oldest) = ledger.rows.last() {
            prop_assert_eq!(oldest.on_hand_after, oldest.quantity);
        }
        singles.push((f, SET[p]));
    }
    let set = rows.iter().find(|r| r.code == "SET").expect("set");
    let f = bundle_figures(&singles);
    prop_assert_eq!(
        (set.on_hand, set.theoretical, set.sellable),
        (f.on_hand, f.theoretical(), f.sellable())
    );
    Ok(())
}

proptest! {
    // 200 sequences of up to 80 steps: about 8,000 operations, each checked.
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn stock_figures_follow_the_ledger_and_the_domain(ops in proptest::collection::vec(op(), 1..80)) {
        let mut store = shop();
        let mut model = Model { on_hand: [OPENING; 2], ..Model::default() };
        for op in &ops {
            step(&mut store, &mut model, op)?;
        }
    }
}
