use super::*;
use crate::domain::Event;
use crate::domain::after_sales::parse_case_line;
use crate::domain::model::{NewOrder, NewOrderLine};
use crate::store::Document;
use crate::store::testing::shop;

const CS: &str = "客服小美";

/// A paid order of 2 CUP at 40.00 and 1 TEA at 20.00, 10.00 postage, 10.00 discount:
/// 100.00 goods, 100.00 paid.
fn new_order(no: &str) -> NewOrder {
    let mut order = NewOrder::new("taobao", no, "2026-11-20T10:00:00+08:00");
    order.buyer_id = "tb_buyer".to_owned();
    order.receiver_name = "张三".to_owned();
    order.receiver_phone = "13812341234".to_owned();
    order.province = "浙江省".to_owned();
    order.city = "杭州市".to_owned();
    order.district = "西湖区".to_owned();
    order.address = "文三路 1 号".to_owned();
    order.payment_status = PaymentStatus::Paid;
    order.courier = "SF".to_owned();
    order.tracking_no = format!("SF{no}");
    for (sku, quantity, price) in [("CUP", 2, 4_000), ("TEA", 1, 2_000)] {
        order.lines.push(NewOrderLine {
            sku: sku.to_owned(),
            title: format!("商品 {sku}"),
            quantity,
            unit_price_cents: price,
            ..NewOrderLine::default()
        });
    }
    order.goods_cents = 10_000;
    order.postage_cents = 1_000;
    order.discount_cents = 1_000;
    order.paid_cents = 10_000;
    order
}

fn shipped(store: &mut Store, no: &str) -> i64 {
    let id = store
        .insert_orders(&[new_order(no)], "test", CS)
        .expect("insert")[0];
    store.apply_event(id, Event::Review, CS).expect("review");
    store
        .record_print(&[id], None, Document::Waybills, CS)
        .expect("print");
    store.apply_event(id, Event::Ship, CS).expect("ship");
    id
}

fn case(order_id: i64, kind: CaseType, reason: &str, lines: &[(&str, i64)]) -> NewCase {
    NewCase {
        order_id,
        kind,
        reason: reason.to_owned(),
        lines: lines.iter().map(|(c, q)| ((*c).to_owned(), *q)).collect(),
        requested_cents: None,
        owner: String::new(),
        note: String::new(),
        return_tracking: String::new(),
    }
}

fn on_hand(store: &Store, code: &str) -> i64 {
    store
        .conn
        .query_row(
            "SELECT on_hand FROM products WHERE code = ?1",
            [code],
            |r| r.get(0),
        )
        .expect("on hand")
}

fn damaged(store: &Store, code: &str) -> i64 {
    store
        .conn
        .query_row(
            "SELECT damaged FROM products WHERE code = ?1",
            [code],
            |r| r.get(0),
        )
        .expect("damaged")
}

fn order_money(store: &Store, id: i64) -> (i64, String, String, String) {
    store
        .conn
        .query_row(
            "SELECT refunded_cents, payment_status, flag, seller_remark FROM orders WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("order")
}

fn snapshot(store: &Store) -> String {
    let mut all = String::new();
    for table in [
        "cases",
        "case_lines",
        "case_events",
        "case_refunds",
        "return_parcels",
        "damaged_movements",
        "stock_movements",
        "orders",
        "order_events",
    ] {
        let rows: Vec<String> = store
            .conn
            .prepare(&format!("SELECT * FROM {table}"))
            .expect("prepare")
            .query_map([], |row| {
                let n = row.as_ref().column_count();
                let mut cells = Vec::new();
                for i in 0..n {
                    let value: rusqlite::types::Value = row.get(i)?;
                    cells.push(format!("{value:?}"));
                }
                Ok(cells.join("|"))
            })
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        all.push_str(&format!("{table}:{}\n", rows.join("\n")));
    }
    all
}

#[test]
fn a_refund_only_case_refunds_part_then_the_rest_never_more_than_paid() {
    let mut store = shop();
    let order = shipped(&mut store, "1001");
    let id = store
        .open_case(&case(order, CaseType::Refund, "not_received", &[]), CS)
        .expect("open");
    store
        .refund_case(id, 3_000, "first part", CS)
        .expect("refund");
    assert_eq!(order_money(&store, order).0, 3_000);
    assert_eq!(order_money(&store, order).1, "partly_refunded");

    let before = snapshot(&store);
    let err = store
        .refund_case(id, 7_001, "", CS)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("more than was paid") && err.contains("70.00"),
        "{err}"
    );
    assert_eq!(snapshot(&store), before, "a refused refund writes nothing");

    store.refund_case(id, 7_000, "", CS).expect("the rest");
    assert_eq!(order_money(&store, order).0, 10_000);
    assert_eq!(order_money(&store, order).1, "refunded");
    let detail = store.case_detail(id).expect("detail");
    assert_eq!(detail.row.refund_cents, 10_000);
    assert_eq!(detail.refunds.len(), 2);
    assert_eq!(detail.refund_limit_cents, 0);
    assert_eq!(detail.responsibility, Responsibility::Courier);
    assert_eq!(detail.tracking_no, "SF1001");
    assert!(store.close_case(id, true, CS).is_ok());
    let detail = store.case_detail(id).expect("detail");
    assert_eq!(detail.row.status, CaseStatus::Closed);
    assert!(detail.row.closed_at.is_some());
    let actions: Vec<&str> = detail.events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["open", "refund", "refund", "close"]);
    assert!(detail.events.iter().all(|e| e.operator == CS));
}

#[test]
fn a_case_on_some_lines_refunds_at_most_their_share_plus_postage() {
    let mut store = shop();
    let order = shipped(&mut store, "1002");
    // One CUP of 40.00 listed: 36.00 after the 10% discount, plus 10.00 postage.
    let mut new = case(order, CaseType::Refund, "quality", &[("CUP", 1)]);
    new.requested_cents = Some(4_601);
    let err = store.open_case(&new, CS).unwrap_err().to_string();
    assert!(err.contains("46.00"), "{err}");
    new.requested_cents = Some(4_600);
    let id = store.open_case(&new, CS).expect("open");
    store.refund_case(id, 4_000, "", CS).expect("refund");
    let err = store.refund_case(id, 601, "", CS).unwrap_err().to_string();
    assert!(err.contains("6.00"), "{err}");
    store
        .refund_case(id, 600, "", CS)
        .expect("the rest of the limit");
}

#[test]
fn quantities_are_checked_against_the_order_and_earlier_cases() {
    let mut store = shop();
    let order = shipped(&mut store, "1003");
    let err = store
        .open_case(&case(order, CaseType::Return, "quality", &[("CUP", 3)]), CS)
        .unwrap_err()
        .to_string();
    assert!(err.contains("3 asked, but the order has 2"), "{err}");
    let err = store
        .open_case(&case(order, CaseType::Return, "quality", &[("MUG", 1)]), CS)
        .unwrap_err()
        .to_string();
    assert!(err.contains("MUG is not on order 1003"), "{err}");
    store
        .open_case(&case(order, CaseType::Return, "quality", &[("CUP", 1)]), CS)
        .expect("first");
    let err = store
        .open_case(
            &case(order, CaseType::Exchange, "size_colour", &[("CUP", 2)]),
            CS,
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("earlier cases took 1"), "{err}");
    let err = store
        .open_case(&case(order, CaseType::Refund, "bogus", &[]), CS)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown reason"), "{err}");
}

#[test]
fn a_return_flags_the_order_restocks_sellable_goods_and_keeps_damaged_ones_apart() {
    let mut store = shop();
    let order = shipped(&mut store, "1004");
    assert_eq!(on_hand(&store, "CUP"), 8);
    let id = store
        .open_case(
            &case(
                order,
                CaseType::Return,
                "quality",
                &[("CUP", 2), ("TEA", 1)],
            ),
            CS,
        )
        .expect("open");
    let (_, _, flag, remark) = order_money(&store, order);
    assert_eq!(flag, "purple");
    assert!(remark.contains(&case_number(id)), "{remark}");
    store.await_return(id, "YT555", CS).expect("await");
    assert_eq!(
        store.match_parcel("YT555").expect("match"),
        ParcelMatch::Case(id)
    );
    assert_eq!(
        store.match_parcel("SF1004").expect("match"),
        ParcelMatch::Case(id)
    );

    let received = [
        parse_case_line("CUP=1:sellable").expect("line"),
        parse_case_line("CUP=1:damaged").expect("line"),
        parse_case_line("TEA=1").expect("line"),
    ];
    store
        .receive_return(id, &received, "YT555", CS)
        .expect("receive");
    assert_eq!(on_hand(&store, "CUP"), 9);
    assert_eq!(on_hand(&store, "TEA"), 10);
    assert_eq!(damaged(&store, "CUP"), 1);
    assert!(store.check().expect("check").is_empty());
    let reference: String = store
        .conn
        .query_row(
            "SELECT reference FROM stock_movements WHERE reason = 'return' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("movement");
    assert_eq!(reference, case_number(id));

    // Everything came back: nothing more is received.
    let before = snapshot(&store);
    let err = store
        .receive_return(id, &[], "", CS)
        .unwrap_err()
        .to_string();
    assert!(err.contains("came back already"), "{err}");
    assert_eq!(snapshot(&store), before);

    store.refund_case(id, 10_000, "", CS).expect("refund");
    assert!(
        store.close_case(id, true, CS).expect("close") == Some(Flag::None),
        "the flag comes off"
    );
    assert_eq!(order_money(&store, order).2, "none");

    // Damaged goods: repaired back on hand, written off, never more than kept.
    store
        .decide_damaged("CUP", 1, DamagedDecision::Repair, "glued", CS)
        .expect("repair");
    assert_eq!((on_hand(&store, "CUP"), damaged(&store, "CUP")), (10, 0));
    // The repair references the case the goods came back with, in both ledgers.
    let (reference, note): (String, String) = store
        .conn
        .query_row(
            "SELECT reference, note FROM stock_movements ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("movement");
    assert_eq!(
        (reference.as_str(), note.as_str()),
        (case_number(id).as_str(), "repaired: glued")
    );
    let reference: String = store
        .conn
        .query_row(
            "SELECT reference FROM damaged_movements ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("damaged movement");
    assert_eq!(reference, case_number(id));
    let err = store
        .decide_damaged("CUP", 1, DamagedDecision::WriteOff, "", CS)
        .unwrap_err()
        .to_string();
    assert!(err.contains("only 0 damaged"), "{err}");
    assert!(store.check().expect("check").is_empty());
}

#[test]
fn receiving_more_than_the_case_expects_or_on_a_refund_case_is_refused_whole() {
    let mut store = shop();
    let order = shipped(&mut store, "1005");
    let id = store
        .open_case(&case(order, CaseType::Return, "quality", &[("CUP", 1)]), CS)
        .expect("open");
    let before = snapshot(&store);
    let err = store
        .receive_return(
            id,
            &[
                parse_case_line("TEA=1").expect("line"),
                parse_case_line("CUP=2").expect("line"),
            ],
            "",
            CS,
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("TEA is not part of case"), "{err}");
    assert!(
        err.contains("CUP: 2 given (2 sellable, 0 damaged), but the case expects 1"),
        "{err}"
    );
    assert_eq!(snapshot(&store), before);

    let refund = store
        .open_case(&case(order, CaseType::Refund, "other", &[]), CS)
        .expect("open");
    let before = snapshot(&store);
    let err = store
        .receive_return(refund, &[], "", CS)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not waiting for goods"), "{err}");
    assert_eq!(snapshot(&store), before);
}

#[test]
fn an_archived_order_keeps_still_while_its_case_runs() {
    let mut store = shop();
    let order = shipped(&mut store, "1006");
    store
        .apply_event(order, Event::Archive, CS)
        .expect("archive");
    let order_row = |store: &Store| -> String {
        store
            .conn
            .query_row("SELECT * FROM orders WHERE id = ?1", [order], |row| {
                let mut cells = Vec::new();
                for i in 0..row.as_ref().column_count() {
                    let v: rusqlite::types::Value = row.get(i)?;
                    cells.push(format!("{v:?}"));
                }
                Ok(cells.join("|"))
            })
            .expect("row")
    };
    let events = |store: &Store| -> i64 {
        store
            .conn
            .query_row(
                "SELECT count(*) FROM order_events WHERE order_id = ?1",
                [order],
                |r| r.get(0),
            )
            .expect("events")
    };
    let (row_before, events_before) = (order_row(&store), events(&store));
    let id = store
        .open_case(&case(order, CaseType::Return, "quality", &[("CUP", 1)]), CS)
        .expect("open on an archived order");
    store.receive_return(id, &[], "", CS).expect("receive");
    store.refund_case(id, 3_600, "", CS).expect("refund");
    let exchange = store
        .open_case(
            &case(order, CaseType::Exchange, "size_colour", &[("CUP", 1)]),
            CS,
        )
        .expect("exchange");
    let replacement = store.exchange_case(exchange, &[], CS).expect("replacement");
    assert!(replacement.starts_with('M'), "{replacement}");
    assert_eq!(
        order_row(&store),
        row_before,
        "the archived order did not change"
    );
    assert_eq!(events(&store), events_before);
    assert_eq!(
        store.refunds_beside(&[order]).expect("beside")[&order],
        3_600
    );
    assert_eq!(
        store.case_detail(id).expect("detail").order_refunded_cents,
        3_600
    );
    // And its triggers still hold.
    assert!(
        store
            .conn
            .execute(
                "UPDATE orders SET refunded_cents = 1 WHERE id = ?1",
                [order]
            )
            .is_err()
    );
    assert_eq!(
        store.case_ids_by_order(&[order]).expect("ids")[&order],
        vec![id, exchange]
    );
}

#[test]
fn an_exchange_sent_at_once_receives_the_goods_later_and_a_reship_creates_its_order() {
    let mut store = shop();
    let order = shipped(&mut store, "1007");
    let id = store
        .open_case(
            &case(order, CaseType::Exchange, "size_colour", &[("CUP", 1)]),
            CS,
        )
        .expect("open");
    assert_eq!(order_money(&store, order).2, "blue");
    let new_no = store
        .exchange_case(
            id,
            &[ManualLine {
                code: "TEA".to_owned(),
                quantity: 1,
                unit_price_cents: None,
            }],
            CS,
        )
        .expect("exchange");
    let (price, reship_of, remark): (i64, i64, String) = store
        .conn
        .query_row(
            "SELECT goods_cents, reship_of, seller_remark FROM orders WHERE order_no = ?1",
            [&new_no],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("replacement");
    assert_eq!((price, reship_of), (0, order));
    assert!(
        remark.contains("换货") && remark.contains(&case_number(id)),
        "{remark}"
    );
    store.receive_return(id, &[], "", CS).expect("goods later");
    let detail = store.case_detail(id).expect("detail");
    assert_eq!(detail.row.status, CaseStatus::Exchanged);
    assert!(detail.goods_received);
    assert_eq!(detail.new_order_no.as_deref(), Some(new_no.as_str()));

    let reship = store
        .open_case(
            &case(order, CaseType::Reship, "missing_item", &[("TEA", 1)]),
            CS,
        )
        .expect("reship case");
    let reship_no = store.reship_case(reship, &[], CS).expect("reship");
    let lines: Vec<(String, i64)> = store
        .conn
        .prepare(
            "SELECT l.sku, l.quantity FROM order_lines l JOIN orders o ON o.id = l.order_id
             WHERE o.order_no = ?1",
        )
        .expect("prepare")
        .query_map([&reship_no], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("lines");
    assert_eq!(lines, vec![("TEA".to_owned(), 1)]);
    let detail = store.case_detail(reship).expect("detail");
    assert_eq!(detail.responsibility, Responsibility::Packing);
}

#[test]
fn unknown_parcels_are_kept_and_matched_later() {
    let mut store = shop();
    let order = shipped(&mut store, "1008");
    assert_eq!(
        store.match_parcel("ZZ000").expect("match"),
        ParcelMatch::Unknown
    );
    assert_eq!(
        store.match_parcel("1008").expect("match"),
        ParcelMatch::OrderWithoutCase {
            order_id: order,
            order_no: "1008".to_owned()
        }
    );
    let parcel = store
        .record_unknown_parcel("ZZ000", "YTO", "CUP=1:damaged", CS)
        .expect("record");
    assert_eq!(store.unknown_parcels().expect("list").len(), 1);
    let id = store
        .open_case(
            &case(order, CaseType::Return, "no_reason_7day", &[("CUP", 1)]),
            CS,
        )
        .expect("open");
    // A finished case, or one that takes no goods back, is refused whole.
    let refund = store
        .open_case(&case(order, CaseType::Refund, "other", &[]), CS)
        .expect("open");
    let before = snapshot(&store);
    let err = store
        .assign_parcel(parcel, refund, &[], CS)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not waiting for goods"), "{err}");
    assert_eq!(snapshot(&store), before);
    store.assign_parcel(parcel, id, &[], CS).expect("assign");
    assert!(store.unknown_parcels().expect("list").is_empty());
    let detail = store.case_detail(id).expect("detail");
    assert_eq!(detail.return_tracking, "ZZ000");
    assert!(detail.goods_received);
    assert_eq!(detail.row.status, CaseStatus::ReturnReceived);
    assert_eq!(damaged(&store, "CUP"), 1);
    assert!(store.check().expect("check").is_empty());
    assert!(
        store.assign_parcel(parcel, id, &[], CS).is_err(),
        "matched once"
    );
    // Free words are not goods: said, nothing written.
    let words = store
        .record_unknown_parcel("ZZ001", "YTO", "a cup, no note", CS)
        .expect("record");
    let other = store
        .open_case(&case(order, CaseType::Return, "quality", &[("TEA", 1)]), CS)
        .expect("open");
    let before = snapshot(&store);
    let err = store
        .assign_parcel(words, other, &[], CS)
        .unwrap_err()
        .to_string();
    assert!(err.contains("its contents are not lines"), "{err}");
    assert_eq!(snapshot(&store), before);
    store
        .assign_parcel(words, other, &[parse_case_line("TEA=1").expect("line")], CS)
        .expect("assign with lines");
    store.refund_case(other, 100, "", CS).expect("refund");
    store.close_case(other, true, CS).expect("close");
    let closed_parcel = store
        .record_unknown_parcel("ZZ002", "YTO", "TEA=1", CS)
        .expect("record");
    let err = store
        .assign_parcel(closed_parcel, other, &[], CS)
        .unwrap_err()
        .to_string();
    assert!(err.contains("the case is finished"), "{err}");
    assert!(
        store
            .conn
            .execute(
                "UPDATE return_parcels SET case_id = NULL WHERE id = ?1",
                [parcel]
            )
            .is_err()
    );
}

#[test]
fn logs_refunds_and_damaged_goods_are_append_only() {
    let mut store = shop();
    let order = shipped(&mut store, "1009");
    let id = store
        .open_case(&case(order, CaseType::Return, "quality", &[("CUP", 1)]), CS)
        .expect("open");
    store
        .receive_return(
            id,
            &[parse_case_line("CUP=1:damaged").expect("line")],
            "",
            CS,
        )
        .expect("receive");
    store.refund_case(id, 1_000, "", CS).expect("refund");
    for sql in [
        "UPDATE case_events SET operator = 'x'",
        "DELETE FROM case_events",
        "INSERT OR REPLACE INTO case_events (id, case_id, at, operator, action) SELECT id, case_id, at, 'x', action FROM case_events",
        "UPDATE case_refunds SET cents = 1",
        "DELETE FROM case_refunds",
        "UPDATE damaged_movements SET quantity = 5",
        "DELETE FROM damaged_movements",
        "DELETE FROM return_parcels",
    ] {
        assert!(store.conn.execute(sql, []).is_err(), "{sql}");
    }
}

#[test]
fn the_list_filters_and_the_days_figures() {
    let mut store = shop();
    let a = shipped(&mut store, "2001");
    let b = shipped(&mut store, "2002");
    let r1 = store
        .open_case(&case(a, CaseType::Return, "quality", &[("CUP", 1)]), CS)
        .expect("open");
    let r2 = store
        .open_case(
            &case(b, CaseType::Return, "size_colour", &[("TEA", 1)]),
            "小李",
        )
        .expect("open");
    let f = store
        .open_case(&case(b, CaseType::Refund, "quality", &[]), CS)
        .expect("open");
    store.await_return(r1, "", CS).expect("await");
    store.refund_case(f, 500, "", CS).expect("refund");
    store.close_case(f, false, CS).expect("close");
    let now = now_text();
    let all = store.cases(&CaseFilter::default(), &now).expect("list");
    assert_eq!(all.total, 3);
    assert_eq!(
        all.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![f, r2, r1]
    );
    let returns = CaseFilter {
        kind: Some(CaseType::Return),
        ..CaseFilter::default()
    };
    assert_eq!(store.cases(&returns, &now).expect("list").total, 2);
    let owner = CaseFilter {
        owner: Some("小李".to_owned()),
        ..CaseFilter::default()
    };
    assert_eq!(store.cases(&owner, &now).expect("list").rows[0].id, r2);
    let waiting = CaseFilter {
        status: Some(CaseStatus::WaitingReturn),
        ..CaseFilter::default()
    };
    assert_eq!(store.cases(&waiting, &now).expect("list").rows[0].id, r1);
    let by_order = CaseFilter {
        text: "2002".to_owned(),
        ..CaseFilter::default()
    };
    assert_eq!(store.cases(&by_order, &now).expect("list").total, 2);
    let by_number = CaseFilter {
        text: case_number(r1),
        ..CaseFilter::default()
    };
    assert_eq!(store.cases(&by_number, &now).expect("list").rows[0].id, r1);
    let paged = CaseFilter {
        before_id: Some(r2),
        ..CaseFilter::default()
    };
    assert_eq!(store.cases(&paged, &now).expect("list").rows.len(), 1);
    let later = "2999-01-01T00:00:00+08:00";
    let overdue = CaseFilter {
        overdue: true,
        ..CaseFilter::default()
    };
    assert_eq!(store.cases(&overdue, later).expect("list").total, 2);
    assert_eq!(store.cases(&overdue, &now).expect("list").total, 0);

    let today = &now[..10];
    let figures = store.case_figures(today, &now).expect("figures");
    assert_eq!(figures.opened_today, 3);
    assert_eq!(figures.closed_today, 1);
    assert_eq!(figures.waiting_return, 1);
    assert_eq!(figures.refunds_today_cents, 500);
    assert!(figures.average_hours.is_some());
    assert_eq!(
        figures.returns_by_reason,
        vec![("quality".to_owned(), 1), ("size_colour".to_owned(), 1)]
    );
}

#[test]
fn a_refund_import_creates_and_updates_cases_once() {
    let mut store = shop();
    let order = shipped(&mut store, "3001");
    let refund = |status: CaseStatus, amount: i64| ImportedRefund {
        line: 2,
        refund_no: "R900".to_owned(),
        order_no: "3001".to_owned(),
        amount_cents: amount,
        status,
        goods_back: false,
        reason: "quality".to_owned(),
        note: "杯子有裂纹".to_owned(),
        applied_at: "2026-11-25T10:00:00+08:00".to_owned(),
        return_tracking: String::new(),
    };
    let missing = ImportedRefund {
        line: 3,
        order_no: "NOPE".to_owned(),
        refund_no: "R901".to_owned(),
        ..refund(CaseStatus::Open, 100)
    };
    // A refund of an order not in the database is a bad row: nothing is written, unless
    // the bad rows are left out.
    let before = snapshot(&store);
    let refused = store
        .import_refunds(
            &[refund(CaseStatus::Open, 2_000), missing.clone()],
            false,
            CS,
        )
        .expect("import");
    assert!(!refused.written);
    assert_eq!(refused.unknown_orders, vec![(3, "NOPE".to_owned())]);
    assert_eq!(snapshot(&store), before);
    let first = store
        .import_refunds(
            &[refund(CaseStatus::Open, 2_000), missing.clone()],
            true,
            CS,
        )
        .expect("import");
    assert!(first.written);
    assert_eq!(first.created.len(), 1);
    assert_eq!(first.unknown_orders, vec![(3, "NOPE".to_owned())]);
    assert_eq!(order_money(&store, order).0, 0, "not refunded yet");
    let again = store
        .import_refunds(&[refund(CaseStatus::Open, 2_000)], false, CS)
        .expect("import");
    assert_eq!(
        (again.created.len(), again.updated.len(), again.unchanged),
        (0, 0, 1)
    );
    let done = store
        .import_refunds(&[refund(CaseStatus::Refunded, 2_000)], false, CS)
        .expect("import");
    assert_eq!(done.updated, first.created);
    assert_eq!(order_money(&store, order).0, 2_000);
    let snapshot_after = snapshot(&store);
    store
        .import_refunds(&[refund(CaseStatus::Refunded, 2_000)], false, CS)
        .expect("import");
    assert_eq!(
        snapshot(&store),
        snapshot_after,
        "a re-import changes nothing"
    );
}

#[test]
fn unpaid_and_problem_queues() {
    let mut store = shop();
    let mut unpaid = new_order("4001");
    unpaid.payment_status = PaymentStatus::Unpaid;
    unpaid.paid_cents = 0;
    let id = store.insert_orders(&[unpaid], "test", CS).expect("insert")[0];
    assert_eq!(store.unpaid_queue(50).expect("queue")[0].order_id, id);
    store
        .follow_up(id, "called, pays tonight", CS)
        .expect("follow up");
    let row = &store.unpaid_queue(50).expect("queue")[0];
    assert!(row.last_follow_up.is_some());
    let paid = shipped(&mut store, "4002");
    assert!(store.follow_up(paid, "", CS).is_err());
    store
        .set_flag(id, Flag::Red, Some("地址不全"), CS)
        .expect("flag");
    assert_eq!(store.problem_queue(50).expect("queue")[0].order_id, id);
    let now = now_text();
    let figures = store.case_figures(&now[..10], &now).expect("figures");
    assert_eq!(
        (
            figures.unpaid_to_follow,
            figures.followed_up_today,
            figures.problem_orders
        ),
        (1, 1, 1)
    );
}

#[test]
fn a_rejected_case_says_why_and_takes_its_flag_off() {
    let mut store = shop();
    let order = shipped(&mut store, "1010");
    let id = store
        .open_case(
            &case(order, CaseType::Exchange, "size_colour", &[("CUP", 1)]),
            CS,
        )
        .expect("open");
    assert_eq!(order_money(&store, order).2, "blue");
    let before = snapshot(&store);
    let err = store
        .reject_case(id, "  ", true, CS)
        .unwrap_err()
        .to_string();
    assert!(err.contains("say why"), "{err}");
    assert_eq!(snapshot(&store), before);
    store
        .reject_case(id, "buyer withdrew", true, CS)
        .expect("reject");
    let detail = store.case_detail(id).expect("detail");
    assert_eq!(detail.row.status, CaseStatus::Rejected);
    assert_eq!(detail.reject_reason, "buyer withdrew");
    assert!(detail.row.closed_at.is_some());
    assert_eq!(order_money(&store, order).2, "none");
    let err = store
        .reject_case(id, "again", true, CS)
        .unwrap_err()
        .to_string();
    assert!(err.contains("finished"), "{err}");
}

#[test]
fn an_edit_logs_each_change_old_to_new_and_nothing_when_nothing_changed() {
    let mut store = shop();
    let order = shipped(&mut store, "1011");
    let id = store
        .open_case(
            &case(order, CaseType::Refund, "damaged_in_transit", &[]),
            CS,
        )
        .expect("open");
    let edit = CaseEdit {
        owner: Some("小李".to_owned()),
        courier_signed: Some(true),
        responsibility: Some(Responsibility::Courier),
        ..CaseEdit::default()
    };
    assert!(store.update_case(id, &edit, CS).expect("edit"));
    let detail = store.case_detail(id).expect("detail");
    assert_eq!(detail.row.owner, "小李");
    assert!(detail.courier_signed);
    let last = detail.events.last().expect("logged");
    assert_eq!(last.action, "edit");
    assert!(
        last.detail.contains(&format!("owner {CS} → 小李")),
        "{}",
        last.detail
    );
    assert!(
        last.detail.contains("courier signed false → true"),
        "{}",
        last.detail
    );
    assert!(
        !last.detail.contains("responsibility"),
        "unchanged fields are not logged"
    );
    let events = detail.events.len();
    assert!(!store.update_case(id, &edit, CS).expect("same again"));
    assert_eq!(store.case_detail(id).expect("detail").events.len(), events);
}

fn imported(line: u64, no: &str, status: CaseStatus, cents: i64) -> ImportedRefund {
    ImportedRefund {
        line,
        refund_no: no.to_owned(),
        order_no: "3101".to_owned(),
        amount_cents: cents,
        status,
        goods_back: false,
        reason: "quality".to_owned(),
        note: String::new(),
        applied_at: "2026-11-25T10:00:00+08:00".to_owned(),
        return_tracking: String::new(),
    }
}

#[test]
fn an_imported_refund_never_passes_what_was_paid() {
    let mut store = shop();
    let order = shipped(&mut store, "3101");
    // 100.00 paid: 100.01 on one refund is refused whole, with its line.
    let before = snapshot(&store);
    let outcome = store
        .import_refunds(
            &[
                imported(2, "R1", CaseStatus::Refunded, 2_000),
                imported(3, "R2", CaseStatus::Refunded, 10_001),
            ],
            false,
            CS,
        )
        .expect("import");
    assert!(!outcome.written);
    assert_eq!(outcome.refused.len(), 1, "{:?}", outcome.refused);
    assert_eq!(outcome.refused[0].0, 3);
    assert!(
        outcome.refused[0].1.contains("at most 80.00"),
        "{:?}",
        outcome.refused
    );
    assert_eq!(snapshot(&store), before, "nothing written");
    // Skipping it imports the rest.
    let outcome = store
        .import_refunds(
            &[
                imported(2, "R1", CaseStatus::Refunded, 2_000),
                imported(3, "R2", CaseStatus::Refunded, 10_001),
            ],
            true,
            CS,
        )
        .expect("import");
    assert!(outcome.written);
    assert_eq!(outcome.created.len(), 1);
    assert_eq!(order_money(&store, order).0, 2_000);
    // Re-sent bigger, a refund may grow up to what is left on the order, not past it.
    let before = snapshot(&store);
    let outcome = store
        .import_refunds(
            &[imported(2, "R1", CaseStatus::Refunded, 10_500)],
            false,
            CS,
        )
        .expect("import");
    assert!(!outcome.written);
    assert!(
        outcome.refused[0].1.contains("at most 100.00"),
        "{:?}",
        outcome.refused
    );
    assert_eq!(snapshot(&store), before);
    store
        .import_refunds(
            &[
                imported(2, "R1", CaseStatus::Refunded, 2_500),
                imported(3, "R3", CaseStatus::Refunded, 7_500),
            ],
            false,
            CS,
        )
        .expect("import");
    let (refunded, payment, ..) = order_money(&store, order);
    assert_eq!((refunded, payment.as_str()), (10_000, "refunded"));
    let detail = store
        .case_detail(store.case_ids_by_order(&[order]).expect("ids")[&order][0])
        .expect("detail");
    assert_eq!(
        (detail.row.refund_cents, detail.requested_cents),
        (2_500, 2_500)
    );
    // A refund closed on the marketplace after it succeeded changes no money and no
    // status: the case's log says so, once.
    let r3 = store
        .conn
        .query_row(
            "SELECT id FROM cases WHERE platform_refund_no = 'R3'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .expect("R3");
    let outcome = store
        .import_refunds(&[imported(3, "R3", CaseStatus::Rejected, 7_500)], false, CS)
        .expect("import");
    assert_eq!(outcome.updated, vec![r3]);
    let (refunded, payment, ..) = order_money(&store, order);
    assert_eq!((refunded, payment.as_str()), (10_000, "refunded"));
    assert_eq!(status_of(&store, r3), CaseStatus::Refunded);
    let corrections: Vec<i64> = store
        .conn
        .prepare("SELECT cents FROM case_refunds ORDER BY id")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    assert_eq!(corrections, vec![2_000, 500, 7_500]);
    assert!(
        store
            .case_detail(r3)
            .expect("detail")
            .events
            .iter()
            .any(|e| e
                .detail
                .contains("closed on the marketplace after it was refunded"))
    );
    let after = snapshot(&store);
    store
        .import_refunds(&[imported(3, "R3", CaseStatus::Rejected, 7_500)], false, CS)
        .expect("import");
    assert_eq!(snapshot(&store), after, "a re-import changes nothing");
    let refunded_sum: i64 = store
        .conn
        .query_row("SELECT SUM(refund_cents) FROM cases", [], |r| r.get(0))
        .expect("sum");
    assert_eq!(refunded_sum, order_money(&store, order).0);
}

fn flag(store: &Store, order: i64) -> String {
    order_money(store, order).2
}

#[test]
fn a_finished_case_gives_the_order_back_the_flag_it_needs() {
    let mut store = shop();
    // A staff red flag comes back when the return that covered it is rejected.
    let order = shipped(&mut store, "1201");
    store
        .set_flag(order, Flag::Red, Some("买家投诉"), CS)
        .expect("flag");
    let ret = store
        .open_case(&case(order, CaseType::Return, "quality", &[("CUP", 1)]), CS)
        .expect("open");
    assert_eq!(flag(&store, order), "purple");
    assert_eq!(
        store
            .reject_case(ret, "buyer withdrew", true, CS)
            .expect("reject"),
        Some(Flag::Red)
    );
    assert_eq!(flag(&store, order), "red");

    // An open exchange keeps its blue when a later return is rejected, and its own close
    // goes back to the flag from before both.
    let order = shipped(&mut store, "1202");
    let exchange = store
        .open_case(
            &case(order, CaseType::Exchange, "size_colour", &[("CUP", 1)]),
            CS,
        )
        .expect("open");
    let ret = store
        .open_case(&case(order, CaseType::Return, "quality", &[("TEA", 1)]), CS)
        .expect("open");
    assert_eq!(flag(&store, order), "purple");
    store
        .reject_case(ret, "buyer withdrew", true, CS)
        .expect("reject");
    assert_eq!(flag(&store, order), "blue");
    store.exchange_case(exchange, &[], CS).expect("exchange");
    store.receive_return(exchange, &[], "", CS).expect("back");
    assert_eq!(
        store.close_case(exchange, true, CS).expect("close"),
        Some(Flag::None)
    );
    assert_eq!(flag(&store, order), "none");

    // Closing the exchange while the later return runs leaves the return's purple; the
    // return's end then clears it, not back to the exchange's blue.
    let order = shipped(&mut store, "1203");
    let exchange = store
        .open_case(
            &case(order, CaseType::Exchange, "size_colour", &[("CUP", 1)]),
            CS,
        )
        .expect("open");
    let ret = store
        .open_case(&case(order, CaseType::Return, "quality", &[("TEA", 1)]), CS)
        .expect("open");
    store.exchange_case(exchange, &[], CS).expect("exchange");
    assert_eq!(
        store
            .close_case_without_goods(exchange, true, CS)
            .expect("close"),
        None
    );
    assert_eq!(flag(&store, order), "purple");
    store
        .reject_case(ret, "buyer withdrew", true, CS)
        .expect("reject");
    assert_eq!(flag(&store, order), "none");

    // A flag put on by hand after the case's stays; --keep-flag keeps the case's.
    let order = shipped(&mut store, "1204");
    let ret = store
        .open_case(&case(order, CaseType::Return, "quality", &[("CUP", 1)]), CS)
        .expect("open");
    store.set_flag(order, Flag::Yellow, None, CS).expect("flag");
    store
        .reject_case(ret, "buyer withdrew", true, CS)
        .expect("reject");
    assert_eq!(flag(&store, order), "yellow");
    let order = shipped(&mut store, "1205");
    let ret = store
        .open_case(&case(order, CaseType::Return, "quality", &[("CUP", 1)]), CS)
        .expect("open");
    assert_eq!(
        store
            .reject_case(ret, "buyer withdrew", false, CS)
            .expect("reject"),
        None
    );
    assert_eq!(flag(&store, order), "purple");
}

#[test]
fn an_imported_return_flags_its_order_like_an_opened_one() {
    let mut store = shop();
    let order = shipped(&mut store, "3101");
    let back = ImportedRefund {
        goods_back: true,
        return_tracking: "YT9001".to_owned(),
        ..imported(2, "R9", CaseStatus::WaitingReturn, 2_000)
    };
    let outcome = store
        .import_refunds(std::slice::from_ref(&back), false, CS)
        .expect("import");
    let id = outcome.created[0];
    let (_, _, flag, remark) = order_money(&store, order);
    assert_eq!(flag, "purple");
    assert!(
        remark.contains(&format!("售后 {} 退货退款", case_number(id))),
        "{remark}"
    );
    let after = snapshot(&store);
    store
        .import_refunds(std::slice::from_ref(&back), false, CS)
        .expect("import");
    assert_eq!(snapshot(&store), after, "a re-import changes nothing");
    // Closed on the marketplace: the case's flag comes off.
    store
        .import_refunds(
            &[ImportedRefund {
                status: CaseStatus::Rejected,
                ..back
            }],
            false,
            CS,
        )
        .expect("import");
    assert_eq!(order_money(&store, order).2, "none");
}

#[test]
fn a_return_comes_back_in_several_parcels() {
    let mut store = shop();
    let order = shipped(&mut store, "1301");
    let id = store
        .open_case(&case(order, CaseType::Return, "quality", &[("CUP", 2)]), CS)
        .expect("open");
    store.await_return(id, "YT1", CS).expect("await");
    // Two of one line, given as 2 sellable and 1 damaged: said by the line's figures.
    let before = snapshot(&store);
    let err = store
        .receive_return(
            id,
            &[
                parse_case_line("CUP=2:sellable").expect("line"),
                parse_case_line("CUP=1:damaged").expect("line"),
            ],
            "YT1",
            CS,
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "CUP: 3 given (2 sellable, 1 damaged), but the case expects 2 of it and 0 came \
             back already: at most 2 more"
        ),
        "{err}"
    );
    assert_eq!(snapshot(&store), before);
    // One damaged first: the case is received in part and still found by the parcel.
    store
        .receive_return(
            id,
            &[parse_case_line("CUP=1:damaged").expect("line")],
            "YT1",
            CS,
        )
        .expect("part");
    let detail = store.case_detail(id).expect("detail");
    assert_eq!(detail.row.status, CaseStatus::ReturnReceived);
    assert!(!detail.goods_received);
    assert!(
        detail
            .events
            .last()
            .expect("log")
            .detail
            .contains("still to come: CUP×1"),
        "{:?}",
        detail.events.last()
    );
    assert_eq!(
        store.match_parcel("YT1").expect("match"),
        ParcelMatch::Case(id)
    );
    // The rest in a second parcel.
    store
        .receive_return(
            id,
            &[parse_case_line("CUP=1:sellable").expect("line")],
            "YT2",
            CS,
        )
        .expect("rest");
    let detail = store.case_detail(id).expect("detail");
    assert!(detail.goods_received);
    assert_eq!((detail.lines[0].sellable, detail.lines[0].damaged), (1, 1));
    assert_eq!((on_hand(&store, "CUP"), damaged(&store, "CUP")), (9, 1));
    assert!(store.check().expect("check").is_empty());
    let parcels: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM return_parcels WHERE case_id = ?1",
            [id],
            |r| r.get(0),
        )
        .expect("parcels");
    assert_eq!(parcels, 2);
    assert_eq!(
        store.match_parcel("SF1301").expect("match"),
        ParcelMatch::OrderWithoutCase {
            order_id: order,
            order_no: "1301".to_owned()
        },
        "no case waits for goods any more"
    );
    // The owner may settle with what came: a part received, then refunded and closed.
    let partial = shipped(&mut store, "1302");
    let settle = store
        .open_case(
            &case(partial, CaseType::Return, "quality", &[("CUP", 2)]),
            CS,
        )
        .expect("open");
    store
        .receive_return(settle, &[parse_case_line("CUP=1").expect("line")], "", CS)
        .expect("part");
    store
        .refund_case(settle, 4_000, "one came back", CS)
        .expect("refund");
    store.close_case(settle, true, CS).expect("close");
}

#[test]
fn a_replacement_is_refused_beyond_the_sellable_stock() {
    let mut store = shop();
    let order = shipped(&mut store, "1401");
    let id = store
        .open_case(
            &case(order, CaseType::Exchange, "size_colour", &[("CUP", 1)]),
            CS,
        )
        .expect("open");
    let too_many = [ManualLine {
        code: "TEA".to_owned(),
        quantity: 12,
        unit_price_cents: None,
    }];
    let before = snapshot(&store);
    let err = store
        .exchange_case(id, &too_many, CS)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("not enough stock to send: TEA needs 12, 9 sellable"),
        "{err}"
    );
    assert_eq!(snapshot(&store), before);
    let mut settings = store.settings().expect("settings");
    settings.allow_negative_stock = true;
    store.save_settings(&settings).expect("save");
    store.exchange_case(id, &too_many, CS).expect("allowed");
}

fn lines_of(store: &Store, id: i64) -> Vec<(String, i64)> {
    store
        .case_detail(id)
        .expect("detail")
        .lines
        .iter()
        .map(|l| (l.code.clone(), l.quantity))
        .collect()
}

fn status_of(store: &Store, id: i64) -> CaseStatus {
    store.case_detail(id).expect("detail").row.status
}

#[test]
fn an_imported_return_takes_only_what_no_other_case_took_and_goods_come_back_once() {
    let mut store = shop();
    shipped(&mut store, "3101");
    let cup = on_hand(&store, "CUP");
    let back = ImportedRefund {
        goods_back: true,
        return_tracking: "YT9001".to_owned(),
        ..imported(2, "R9", CaseStatus::WaitingReturn, 2_000)
    };
    let imported_id = store
        .import_refunds(std::slice::from_ref(&back), false, CS)
        .expect("import")
        .created[0];
    assert_eq!(
        lines_of(&store, imported_id),
        [("CUP".to_owned(), 2), ("TEA".to_owned(), 1)],
        "the imported return takes the order's lines"
    );
    // A second return of the whole order, or of a line the import took, is refused and
    // names the case that holds the goods.
    let order = store.order_by_number_or_tracking("3101").unwrap().unwrap();
    for lines in [&[][..], &[("CUP", 1)][..]] {
        let err = store
            .open_case(&case(order, CaseType::Return, "quality", lines), CS)
            .unwrap_err()
            .to_string();
        assert!(err.contains(&case_number(imported_id)), "{err}");
    }
    store
        .receive_return(imported_id, &[], "YT9001", CS)
        .expect("receive");
    assert_eq!(on_hand(&store, "CUP"), cup + 2);
    assert!(store.receive_return(imported_id, &[], "", CS).is_err());
    assert_eq!(on_hand(&store, "CUP"), cup + 2, "sold 2, back 2");
}

#[test]
fn a_return_without_lines_receives_only_what_other_cases_left() {
    let mut store = shop();
    let order = shipped(&mut store, "3102");
    let cup = on_hand(&store, "CUP");
    // A return stored without lines (as older imports made them), then a return of CUP×2.
    let old = store
        .import_refunds(
            &[ImportedRefund {
                goods_back: true,
                order_no: "3102".to_owned(),
                ..imported(2, "R10", CaseStatus::WaitingReturn, 2_000)
            }],
            false,
            CS,
        )
        .expect("import")
        .created[0];
    store
        .conn
        .execute("DELETE FROM case_lines WHERE case_id = ?1", [old])
        .expect("no lines");
    let cups = store
        .open_case(&case(order, CaseType::Return, "quality", &[("CUP", 2)]), CS)
        .expect("open");
    store.receive_return(cups, &[], "", CS).expect("cups");
    store.receive_return(old, &[], "", CS).expect("the rest");
    assert_eq!(lines_of(&store, old), [("TEA".to_owned(), 1)]);
    assert_eq!(on_hand(&store, "CUP"), cup + 2, "CUP came back once");
}

#[test]
fn a_re_import_never_moves_a_case_back_and_its_parcel_is_not_unknown() {
    let mut store = shop();
    shipped(&mut store, "3101");
    let back = ImportedRefund {
        goods_back: true,
        return_tracking: "YT9002".to_owned(),
        ..imported(2, "R11", CaseStatus::WaitingReturn, 2_000)
    };
    let id = store
        .import_refunds(std::slice::from_ref(&back), false, CS)
        .expect("import")
        .created[0];
    assert_eq!(store.match_parcel("YT9002").unwrap(), ParcelMatch::Case(id));
    store
        .receive_return(id, &[], "YT9002", CS)
        .expect("receive");
    let after = snapshot(&store);
    let again = store
        .import_refunds(std::slice::from_ref(&back), false, CS)
        .expect("import");
    assert_eq!((again.updated.len(), again.unchanged), (0, 1));
    assert_eq!(snapshot(&store), after, "a re-import changes nothing");
    assert_eq!(status_of(&store, id), CaseStatus::ReturnReceived);
    // Its tracking number names the case: receiving again is refused, no parcel recorded.
    assert_eq!(store.match_parcel("YT9002").unwrap(), ParcelMatch::Case(id));
    assert!(store.receive_return(id, &[], "YT9002", CS).is_err());
    assert!(store.unknown_parcels().unwrap().is_empty());
    // The marketplace refunds: the case moves on.
    store
        .import_refunds(
            &[ImportedRefund {
                status: CaseStatus::Refunded,
                ..back
            }],
            false,
            CS,
        )
        .expect("refunded");
    assert_eq!(status_of(&store, id), CaseStatus::Refunded);
}

#[test]
fn a_return_refunded_on_the_marketplace_before_its_parcel_still_takes_the_goods_back() {
    let mut store = shop();
    let order = shipped(&mut store, "3101");
    let cup = on_hand(&store, "CUP");
    let id = store
        .import_refunds(
            &[ImportedRefund {
                goods_back: true,
                return_tracking: "YTZ1".to_owned(),
                ..imported(2, "R12", CaseStatus::Refunded, 5_000)
            }],
            false,
            CS,
        )
        .expect("import")
        .created[0];
    assert_eq!(status_of(&store, id), CaseStatus::Refunded);
    assert_eq!(
        order_money(&store, order).2,
        "purple",
        "the goods are still out"
    );
    assert_eq!(store.match_parcel("YTZ1").unwrap(), ParcelMatch::Case(id));
    store
        .receive_return(
            id,
            &[parse_case_line("CUP=1:sellable").unwrap()],
            "YTZ1",
            CS,
        )
        .expect("first parcel");
    store.receive_return(id, &[], "", CS).expect("the rest");
    let detail = store.case_detail(id).unwrap();
    assert!(detail.goods_received);
    assert_eq!(detail.row.status, CaseStatus::Refunded);
    assert_eq!(on_hand(&store, "CUP"), cup + 2);
    store.close_case(id, true, CS).expect("close");
    assert_eq!(order_money(&store, order).2, "none");
}

#[test]
fn a_cancelled_replacement_or_reshipment_is_sent_again() {
    let mut store = shop();
    let order = shipped(&mut store, "3201");
    let exchange = store
        .open_case(
            &case(order, CaseType::Exchange, "size_colour", &[("CUP", 1)]),
            CS,
        )
        .expect("open");
    let first = store.exchange_case(exchange, &[], CS).expect("replacement");
    let refused = store
        .exchange_case(exchange, &[], CS)
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("the replacement was sent already"),
        "{refused}"
    );
    let first_id = store.order_by_number_or_tracking(&first).unwrap().unwrap();
    store
        .apply_event(first_id, Event::Cancel, CS)
        .expect("cancel");
    let second = store.exchange_case(exchange, &[], CS).expect("again");
    assert_ne!(first, second);
    assert_eq!(
        store.case_detail(exchange).unwrap().new_order_no.as_deref(),
        Some(second.as_str())
    );
    assert!(
        store.exchange_case(exchange, &[], CS).is_err(),
        "the new one is pending"
    );

    let reship = store
        .open_case(
            &case(order, CaseType::Reship, "missing_item", &[("TEA", 1)]),
            CS,
        )
        .expect("open");
    let sent = store.reship_case(reship, &[], CS).expect("reship");
    assert!(store.reship_case(reship, &[], CS).is_err());
    let sent_id = store.order_by_number_or_tracking(&sent).unwrap().unwrap();
    store
        .apply_event(sent_id, Event::Cancel, CS)
        .expect("cancel");
    store.reship_case(reship, &[], CS).expect("again");
}

#[test]
fn an_order_with_an_open_flagging_case_is_not_archived() {
    let mut store = shop();
    let order = shipped(&mut store, "3301");
    let id = store
        .open_case(&case(order, CaseType::Return, "quality", &[("CUP", 1)]), CS)
        .expect("open");
    let err = store
        .apply_event(order, Event::Archive, CS)
        .unwrap_err()
        .to_string();
    assert!(err.contains(&case_number(id)), "{err}");
    assert_eq!(order_money(&store, order).2, "purple");
    store
        .reject_case(id, "buyer withdrew", true, CS)
        .expect("reject");
    store
        .apply_event(order, Event::Archive, CS)
        .expect("archive");
}

#[test]
fn a_marketplace_refund_already_typed_in_is_not_counted_twice() {
    let mut store = shop();
    let order = shipped(&mut store, "3101");
    let mut new = case(order, CaseType::Refund, "quality", &[]);
    new.requested_cents = Some(2_000);
    let id = store.open_case(&new, CS).expect("open");
    store.refund_case(id, 2_000, "", CS).expect("refund");
    let row = imported(2, "R1", CaseStatus::Refunded, 2_000);
    let outcome = store
        .import_refunds(std::slice::from_ref(&row), false, CS)
        .expect("import");
    assert_eq!(outcome.created, Vec::<i64>::new());
    assert_eq!(outcome.updated, vec![id]);
    assert_eq!(order_money(&store, order).0, 2_000);
    let detail = store.case_detail(id).unwrap();
    assert_eq!(detail.platform_refund_no.as_deref(), Some("R1"));
    let after = snapshot(&store);
    store
        .import_refunds(std::slice::from_ref(&row), false, CS)
        .expect("again");
    assert_eq!(snapshot(&store), after);
}

#[test]
fn an_unshipped_order_refunded_in_full_is_cancelled_and_its_stock_released() {
    let mut store = shop();
    let id = store
        .insert_orders(&[new_order("3401")], "test", CS)
        .expect("insert")[0];
    store.apply_event(id, Event::Review, CS).expect("review");
    let mut new = case(id, CaseType::Refund, "no_reason_7day", &[]);
    new.requested_cents = Some(10_000);
    let case_id = store.open_case(&new, CS).expect("open");
    store.refund_case(case_id, 4_000, "", CS).expect("part");
    let state: String = store
        .conn
        .query_row("SELECT state FROM orders WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    assert_eq!(state, "approved", "partly refunded: still sent");
    store.refund_case(case_id, 6_000, "", CS).expect("rest");
    let (refunded, payment, ..) = order_money(&store, id);
    assert_eq!((refunded, payment.as_str()), (10_000, "refunded"));
    let state: String = store
        .conn
        .query_row("SELECT state FROM orders WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    assert_eq!(state, "cancelled");
    let reserved: i64 = store
        .conn
        .query_row(
            "SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN orders o
             ON o.id = l.order_id WHERE o.state IN ('approved', 'printed')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reserved, 0, "nothing reserved any more");
    // Cancelled and nothing left to refund: no refund case opens on it.
    let err = store
        .open_case(&case(id, CaseType::Refund, "other", &[]), CS)
        .unwrap_err()
        .to_string();
    assert!(err.contains("nothing to refund"), "{err}");
}

#[test]
fn a_refund_case_on_an_order_nothing_was_paid_on_is_refused() {
    let mut store = shop();
    let mut unpaid = new_order("3501");
    unpaid.payment_status = PaymentStatus::Unpaid;
    unpaid.paid_cents = 0;
    let id = store.insert_orders(&[unpaid], "test", CS).expect("insert")[0];
    store.apply_event(id, Event::Cancel, CS).expect("cancel");
    let err = store
        .open_case(&case(id, CaseType::Refund, "other", &[]), CS)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("nothing to refund: nothing was paid on it"),
        "{err}"
    );
}

#[test]
fn a_finished_case_takes_its_part_of_the_remark_off_with_its_flag() {
    let mut store = shop();
    let order = shipped(&mut store, "3601");
    store
        .set_flag(order, Flag::None, Some("VIP 客户"), CS)
        .expect("remark");
    let first = store
        .open_case(&case(order, CaseType::Return, "quality", &[("CUP", 1)]), CS)
        .expect("open");
    let second = store
        .open_case(&case(order, CaseType::Return, "quality", &[("TEA", 1)]), CS)
        .expect("open");
    let remark = order_money(&store, order).3;
    assert_eq!(
        remark,
        format!(
            "VIP 客户 售后 {} 退货退款 售后 {} 退货退款",
            case_number(first),
            case_number(second)
        )
    );
    store
        .reject_case(first, "withdrawn", true, CS)
        .expect("reject");
    assert_eq!(
        order_money(&store, order).3,
        format!("VIP 客户 售后 {} 退货退款", case_number(second))
    );
    store
        .reject_case(second, "withdrawn", true, CS)
        .expect("reject");
    let (_, _, flag, remark) = order_money(&store, order);
    assert_eq!((flag.as_str(), remark.as_str()), ("none", "VIP 客户"));
}

#[test]
fn an_unknown_parcel_is_in_the_audit_trail() {
    let mut store = shop();
    store
        .record_unknown_parcel("UNKNOWN123", "", "CUP=1:sellable", CS)
        .expect("parcel");
    let entries: Vec<(String, String, String)> = store
        .conn
        .prepare("SELECT operator, action, target FROM audit_log")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(
        entries.contains(&(
            CS.to_owned(),
            "case.parcel".to_owned(),
            "UNKNOWN123".to_owned()
        )),
        "{entries:?}"
    );
}

#[test]
fn a_refund_closed_on_the_marketplace_never_takes_back_money_refunded_in_shopdesk() {
    let mut store = shop();
    let order = shipped(&mut store, "3101");
    let mut new = case(order, CaseType::Refund, "quality", &[]);
    new.requested_cents = None;
    let id = store.open_case(&new, CS).expect("open");
    store.refund_case(id, 2_000, "", CS).expect("refund");
    // A closed refund of another amount is not the refund typed in.
    let outcome = store
        .import_refunds(&[imported(2, "R9", CaseStatus::Rejected, 3_000)], false, CS)
        .expect("import");
    assert!(outcome.written);
    assert!(!outcome.updated.contains(&id), "{outcome:?}");
    assert_eq!(status_of(&store, id), CaseStatus::Refunded);
    assert_eq!(
        store.case_detail(id).expect("detail").platform_refund_no,
        None
    );
    assert_eq!(order_money(&store, order).0, 2_000);
    // Nor a closed one of the same amount.
    store
        .import_refunds(
            &[imported(2, "R10", CaseStatus::Rejected, 2_000)],
            false,
            CS,
        )
        .expect("import");
    assert_eq!(status_of(&store, id), CaseStatus::Refunded);
    assert_eq!(order_money(&store, order).0, 2_000);
    // A refund of another amount in progress is not it either.
    store
        .import_refunds(&[imported(2, "R11", CaseStatus::Open, 3_000)], false, CS)
        .expect("import");
    assert_eq!(
        store.case_detail(id).expect("detail").platform_refund_no,
        None
    );
    // One of the same amount in progress is; closed later, the money stays refunded.
    store
        .import_refunds(&[imported(2, "R12", CaseStatus::Open, 2_000)], false, CS)
        .expect("import");
    assert_eq!(
        store
            .case_detail(id)
            .expect("detail")
            .platform_refund_no
            .as_deref(),
        Some("R12")
    );
    store
        .import_refunds(
            &[imported(2, "R12", CaseStatus::Rejected, 2_000)],
            false,
            CS,
        )
        .expect("import");
    assert_eq!(status_of(&store, id), CaseStatus::Refunded);
    assert_eq!(order_money(&store, order).0, 2_000);
    let on_case: i64 = store
        .conn
        .query_row(
            "SELECT SUM(cents) FROM case_refunds WHERE case_id = ?1",
            [id],
            |r| r.get(0),
        )
        .expect("sum");
    assert_eq!(on_case, 2_000);
}

#[test]
fn a_refund_that_succeeded_stays_refunded_when_a_later_export_says_closed() {
    let mut store = shop();
    let order = shipped(&mut store, "3101");
    store
        .import_refunds(&[imported(2, "R1", CaseStatus::Refunded, 5_000)], false, CS)
        .expect("import");
    store
        .import_refunds(&[imported(2, "R1", CaseStatus::Rejected, 5_000)], false, CS)
        .expect("import");
    let id = store.case_ids_by_order(&[order]).expect("ids")[&order][0];
    assert_eq!(status_of(&store, id), CaseStatus::Refunded);
    let (refunded, payment, ..) = order_money(&store, order);
    assert_eq!((refunded, payment.as_str()), (5_000, "partly_refunded"));
}

#[test]
fn an_exchange_closes_only_once_its_goods_are_back_or_waived_and_takes_a_late_parcel() {
    let mut store = shop();
    let order = shipped(&mut store, "3601");
    let id = store
        .open_case(
            &case(order, CaseType::Exchange, "size_colour", &[("CUP", 1)]),
            CS,
        )
        .expect("open");
    store
        .update_case(
            id,
            &CaseEdit {
                return_tracking: Some("YT3601".to_owned()),
                ..CaseEdit::default()
            },
            CS,
        )
        .expect("tracking");
    store
        .exchange_case(
            id,
            &[ManualLine {
                code: "TEA".to_owned(),
                quantity: 1,
                unit_price_cents: None,
            }],
            CS,
        )
        .expect("exchange");
    let before = snapshot(&store);
    let err = store.close_case(id, true, CS).unwrap_err().to_string();
    assert!(err.contains("without the goods"), "{err}");
    assert_eq!(snapshot(&store), before, "a refused close writes nothing");
    store
        .close_case_without_goods(id, true, CS)
        .expect("closed, goods waived");
    let detail = store.case_detail(id).expect("detail");
    assert_eq!(detail.row.status, CaseStatus::Closed);
    let closed_at = detail.row.closed_at.clone();
    assert!(
        detail
            .events
            .iter()
            .any(|e| e.action == "close" && e.detail.contains("without the goods"))
    );
    // The lines stay the exchange's: no new return takes them.
    assert!(
        store
            .open_case(&case(order, CaseType::Return, "quality", &[("CUP", 2)]), CS)
            .is_err()
    );
    // The late parcel, scanned by its tracking number, is received on the closed case.
    assert_eq!(
        store.match_parcel("YT3601").expect("match"),
        ParcelMatch::Case(id)
    );
    let cup = on_hand(&store, "CUP");
    store.receive_return(id, &[], "YT3601", CS).expect("late");
    assert_eq!(on_hand(&store, "CUP"), cup + 1);
    let detail = store.case_detail(id).expect("detail");
    assert_eq!(detail.row.status, CaseStatus::Closed);
    assert!(detail.goods_received);
    assert_eq!(detail.row.closed_at, closed_at, "closed when it was closed");
    assert!(store.receive_return(id, &[], "YT3601", CS).is_err());
    // Or as an unknown parcel assigned to it.
    let other = shipped(&mut store, "3602");
    let again = store
        .open_case(
            &case(other, CaseType::Exchange, "size_colour", &[("TEA", 1)]),
            CS,
        )
        .expect("open");
    store.exchange_case(again, &[], CS).expect("exchange");
    store
        .close_case_without_goods(again, true, CS)
        .expect("closed");
    let parcel = store
        .record_unknown_parcel("ZZ3602", "YTO", "TEA=1:sellable", CS)
        .expect("parcel");
    store.assign_parcel(parcel, again, &[], CS).expect("assign");
    assert!(store.case_detail(again).expect("detail").goods_received);
    assert!(store.check().expect("check").is_empty());
}

#[test]
fn a_case_whose_replacement_was_cancelled_says_so_and_does_not_close() {
    let mut store = shop();
    let order = shipped(&mut store, "3701");
    let reship = store
        .open_case(
            &case(order, CaseType::Reship, "missing_item", &[("TEA", 1)]),
            CS,
        )
        .expect("open");
    let sent = store.reship_case(reship, &[], CS).expect("reship");
    let sent_id = store.order_by_number_or_tracking(&sent).unwrap().unwrap();
    store
        .apply_event(sent_id, Event::Cancel, CS)
        .expect("cancel");
    let detail = store.case_detail(reship).expect("detail");
    assert!(
        detail
            .events
            .iter()
            .any(|e| e.action == "cancel" && e.detail.contains(&format!("{sent} cancelled"))),
        "{:?}",
        detail.events
    );
    let before = snapshot(&store);
    let err = store.close_case(reship, true, CS).unwrap_err().to_string();
    assert!(
        err.contains(&format!("its replacement order {sent} was cancelled")),
        "{err}"
    );
    assert_eq!(snapshot(&store), before);
    // Sent again, it closes.
    store.reship_case(reship, &[], CS).expect("again");
    store.close_case(reship, true, CS).expect("close");

    // Or the case is rejected.
    let exchange = store
        .open_case(
            &case(order, CaseType::Exchange, "size_colour", &[("CUP", 1)]),
            CS,
        )
        .expect("open");
    store.receive_return(exchange, &[], "", CS).expect("back");
    let sent = store.exchange_case(exchange, &[], CS).expect("exchange");
    let sent_id = store.order_by_number_or_tracking(&sent).unwrap().unwrap();
    store
        .apply_event(sent_id, Event::Cancel, CS)
        .expect("cancel");
    assert!(store.close_case(exchange, true, CS).is_err());
    store
        .reject_case(exchange, "buyer asked for a refund instead", true, CS)
        .expect("reject");
    assert_eq!(status_of(&store, exchange), CaseStatus::Rejected);
}

#[test]
fn a_case_on_a_merged_order_refunds_only_what_that_order_paid() {
    let mut store = shop();
    let main = store
        .insert_orders(&[new_order("3801")], "test", CS)
        .expect("insert")[0];
    let mut unpaid = new_order("3802");
    unpaid.payment_status = PaymentStatus::Unpaid;
    unpaid.paid_cents = 0;
    let mut paid = new_order("3803");
    paid.paid_cents = 3_000;
    let ids = store
        .insert_orders(&[unpaid, paid], "test", CS)
        .expect("insert");
    store.merge_orders(main, &ids, CS).expect("merge");
    assert_eq!(
        store.merged_order_by_number("3802").expect("find"),
        Some(ids[0])
    );
    assert_eq!(store.merged_order_by_number("3801").expect("find"), None);
    // Nothing was paid on 3802: no refund case, and no refund on another kind of case.
    let before = snapshot(&store);
    let err = store
        .open_case(&case(ids[0], CaseType::Refund, "other", &[]), CS)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("order 3802: nothing to refund: nothing was paid on it"),
        "{err}"
    );
    assert_eq!(snapshot(&store), before);
    let complaint = store
        .open_case(&case(ids[0], CaseType::Complaint, "other", &[]), CS)
        .expect("complaint");
    assert_eq!(
        store.case_detail(complaint).expect("detail").row.order_id,
        main,
        "the case sits on the main order"
    );
    let before = snapshot(&store);
    let err = store
        .refund_case(complaint, 2_000, "", CS)
        .unwrap_err()
        .to_string();
    assert!(err.contains("nothing was paid on it"), "{err}");
    assert_eq!(snapshot(&store), before);
    // 3803 paid 30.00 of its own: that much, not more.
    let part = store
        .open_case(&case(ids[1], CaseType::Refund, "other", &[]), CS)
        .expect("refund case");
    let err = store
        .refund_case(part, 3_001, "", CS)
        .unwrap_err()
        .to_string();
    assert!(err.contains("at most 30.00"), "{err}");
    store.refund_case(part, 3_000, "", CS).expect("refund");
    assert_eq!(order_money(&store, main).0, 3_000);
    // A marketplace refund of 3802 is bounded the same way: a bad row.
    let outcome = store
        .import_refunds(
            &[ImportedRefund {
                order_no: "3802".to_owned(),
                ..imported(2, "R38", CaseStatus::Refunded, 1_000)
            }],
            false,
            CS,
        )
        .expect("import");
    assert!(!outcome.written);
    assert!(
        outcome.refused[0].1.contains("at most 0.00"),
        "{:?}",
        outcome.refused
    );
    // The main order's own refund case is bounded by the whole payment as before.
    let whole = store
        .open_case(&case(main, CaseType::Refund, "other", &[]), CS)
        .expect("main case");
    store.refund_case(whole, 10_000, "", CS).expect("refund");
}

#[test]
fn an_exchanges_remark_notes_its_replacements_courier_and_tracking_once_it_ships() {
    let mut store = shop();
    let order = shipped(&mut store, "3901");
    let id = store
        .open_case(
            &case(order, CaseType::Exchange, "size_colour", &[("CUP", 1)]),
            CS,
        )
        .expect("open");
    store.receive_return(id, &[], "", CS).expect("back");
    let sent = store.exchange_case(id, &[], CS).expect("exchange");
    let sent_id = store.order_by_number_or_tracking(&sent).unwrap().unwrap();
    let note = format!("售后 {} 换货", case_number(id));
    assert!(order_money(&store, order).3.ends_with(&note));
    store
        .apply_event(sent_id, Event::Review, CS)
        .expect("review");
    store
        .record_print(&[sent_id], None, Document::Waybills, CS)
        .expect("print");
    let tracking: (String, String) = store
        .conn
        .query_row(
            "SELECT courier, tracking_no FROM orders WHERE id = ?1",
            [sent_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("tracking");
    if tracking.1.is_empty() {
        // The waybill's number, as a courier's pool or a typed one would give it.
        store
            .conn
            .execute(
                "UPDATE orders SET courier = 'SF', tracking_no = 'SF3901000001' WHERE id = ?1",
                [sent_id],
            )
            .expect("tracking");
    }
    store.apply_event(sent_id, Event::Ship, CS).expect("ship");
    let (courier, number): (String, String) = store
        .conn
        .query_row(
            "SELECT courier, tracking_no FROM orders WHERE id = ?1",
            [sent_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("tracking");
    assert!(!number.is_empty());
    let (_, _, flag, remark) = order_money(&store, order);
    assert_eq!(flag, "blue");
    assert!(
        remark.ends_with(&format!("{note} {}", format!("{courier} {number}").trim())),
        "{remark}"
    );
    // Closing takes the whole note off with the flag.
    store.close_case(id, true, CS).expect("close");
    let (_, _, flag, remark) = order_money(&store, order);
    assert_eq!(flag, "none");
    assert!(
        !remark.contains("售后") && !remark.contains(&number),
        "{remark}"
    );
}
