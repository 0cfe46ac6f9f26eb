use super::*;
use crate::store::Document;
use crate::store::testing::{paid_order, shop};

const OWNER: &str = "店长";

fn receiver() -> Receiver {
    Receiver {
        name: "张三".to_owned(),
        phone: "138-0013-8000".to_owned(),
        province: "浙江省".to_owned(),
        city: "杭州市".to_owned(),
        district: "西湖区".to_owned(),
        address: "文三路100号".to_owned(),
        postcode: "310000".to_owned(),
    }
}

fn line(code: &str, quantity: i64, price: Option<i64>) -> ManualLine {
    ManualLine {
        code: code.to_owned(),
        quantity,
        unit_price_cents: price,
    }
}

fn priced_shop() -> Store {
    let store = shop();
    store
        .conn
        .execute_batch(
            "UPDATE products SET price_cents = 1500 WHERE code = 'CUP';
             INSERT INTO product_barcodes (barcode, product_id)
             SELECT '6900000000011', id FROM products WHERE code = 'CUP';",
        )
        .expect("prices");
    store
}

#[test]
fn a_manual_order_takes_the_next_number_prices_and_the_buyer_by_phone() {
    let mut store = priced_shop();
    let order = ManualOrder {
        receiver: receiver(),
        lines: vec![line("6900000000011", 2, None), line("TEA", 1, Some(880))],
        postage_cents: 1000,
        ..ManualOrder::default()
    };
    let (a, first) = store.create_manual_order(&order, OWNER).expect("create");
    let (_, second) = store.create_manual_order(&order, OWNER).expect("create");
    let day = now_text().get(..10).unwrap_or_default().replace('-', "");
    assert_eq!(first, format!("M{day}0001"));
    assert_eq!(second, format!("M{day}0002"));
    let detail = store.order_detail(a).expect("detail");
    assert_eq!(detail.row.platform, "manual");
    assert_eq!(detail.row.state, OrderState::PendingReview);
    assert_eq!(detail.row.buyer_id, "13800138000");
    let lines: Vec<(Option<&str>, i64, i64)> = detail
        .lines
        .iter()
        .map(|l| (l.product_code.as_deref(), l.quantity, l.unit_price_cents))
        .collect();
    assert_eq!(lines, vec![(Some("CUP"), 2, 1500), (Some("TEA"), 1, 880)]);
    assert_eq!(detail.amounts.goods_cents, 3880);
    assert_eq!(detail.row.total_cents, 4880);
}

#[test]
fn bad_manual_orders_are_refused_and_nothing_is_written() {
    let mut store = priced_shop();
    let before: i64 = store
        .conn
        .query_row("SELECT count(*) FROM orders", [], |r| r.get(0))
        .expect("count");
    let cases: Vec<(ManualOrder, &str)> = vec![
        (
            ManualOrder {
                receiver: receiver(),
                lines: vec![line("NOPE", 1, None)],
                ..ManualOrder::default()
            },
            "no product with code or barcode \"NOPE\"",
        ),
        (
            ManualOrder {
                receiver: receiver(),
                lines: vec![line("CUP", 0, None)],
                ..ManualOrder::default()
            },
            "quantity 0",
        ),
        (
            ManualOrder {
                receiver: receiver(),
                lines: vec![],
                ..ManualOrder::default()
            },
            "at least one product",
        ),
        (
            ManualOrder {
                receiver: Receiver {
                    phone: "123".to_owned(),
                    ..receiver()
                },
                lines: vec![line("CUP", 1, None)],
                ..ManualOrder::default()
            },
            "phone",
        ),
        (
            ManualOrder {
                receiver: Receiver {
                    city: String::new(),
                    ..receiver()
                },
                lines: vec![line("CUP", 1, None)],
                ..ManualOrder::default()
            },
            "province, a city",
        ),
    ];
    for (order, says) in cases {
        let err = store
            .create_manual_order(&order, OWNER)
            .expect_err("refused");
        assert!(err.to_string().contains(says), "{err}");
    }
    let after: i64 = store
        .conn
        .query_row("SELECT count(*) FROM orders", [], |r| r.get(0))
        .expect("count");
    assert_eq!(before, after);
}

#[test]
fn a_bank_transfer_pays_the_order_flags_it_green_and_notes_bank_and_amount() {
    let mut store = priced_shop();
    let order = ManualOrder {
        receiver: receiver(),
        lines: vec![line("CUP", 1, None)],
        remark: "老客户".to_owned(),
        ..ManualOrder::default()
    };
    let (id, _) = store.create_manual_order(&order, OWNER).expect("create");
    store
        .record_payment(id, PayMethod::Bank, 1500, "工商银行尾号1234", OWNER)
        .expect("pay");
    let detail = store.order_detail(id).expect("detail");
    assert!(detail.row.payment.is_paid());
    assert_eq!(detail.amounts.paid_cents, 1500);
    assert_eq!(detail.row.flag, Flag::Green);
    assert_eq!(
        detail.row.seller_remark,
        "老客户; 到款 银行转账 ¥15.00 工商银行尾号1234"
    );
    // Paid once: a second payment is refused by the state machine.
    let err = store
        .record_payment(id, PayMethod::Cash, 100, "", OWNER)
        .expect_err("already paid");
    assert!(err.to_string().contains("already paid"), "{err}");
    let err = store
        .record_payment(id, PayMethod::Cash, 0, "", OWNER)
        .expect_err("zero");
    assert!(err.to_string().contains("more than 0"), "{err}");
    for sql in [
        "UPDATE payments SET amount_cents = 1",
        "DELETE FROM payments",
    ] {
        assert!(store.conn.execute(sql, []).is_err(), "{sql}");
    }
    // Cash leaves the flag alone.
    let (other, _) = store.create_manual_order(&order, OWNER).expect("create");
    store
        .record_payment(other, PayMethod::Cash, 1500, "", OWNER)
        .expect("pay");
    assert_eq!(store.order_detail(other).expect("d").row.flag, Flag::None);
}

#[test]
fn a_reshipment_copies_the_receiver_costs_nothing_and_links_both_ways() {
    let mut store = priced_shop();
    let original = store
        .insert_orders(&[paid_order("T100")], "test", OWNER)
        .expect("insert")[0];
    let err = store
        .create_reshipment(original, &[line("CUP", 1, None)], "少发", OWNER)
        .expect_err("not printed yet");
    assert!(err.to_string().contains("not been printed"), "{err}");
    store.review_orders(&[original], OWNER).expect("review");
    store
        .record_print(&[original], None, Document::Waybills, OWNER)
        .expect("print");
    let err = store
        .create_reshipment(original, &[line("CUP", 1, None)], " ", OWNER)
        .expect_err("a reason");
    assert!(err.to_string().contains("why"), "{err}");
    let (id, no) = store
        .create_reshipment(original, &[line("CUP", 1, None)], "快递丢件", OWNER)
        .expect("reship");
    let detail = store.order_detail(id).expect("detail");
    assert_eq!(detail.row.receiver_name, "张伟");
    assert_eq!(detail.row.city, "杭州市");
    assert_eq!(detail.row.total_cents, 0);
    assert!(detail.row.payment.is_paid());
    assert!(
        detail.row.seller_remark.contains("快递丢件"),
        "{}",
        detail.row.seller_remark
    );
    assert_eq!(
        store.reship_links(id).expect("links"),
        (Some("T100".to_owned()), vec![])
    );
    assert_eq!(
        store.reship_links(original).expect("links"),
        (None, vec![no.clone()])
    );
    let original_log = store.order_detail(original).expect("d").events;
    assert!(
        original_log
            .iter()
            .any(|e| e.event == LogKind::Reship && e.detail.contains(&no)),
        "{original_log:?}"
    );
}

#[test]
fn every_buyer_is_a_customer_found_by_name_phone_tail_or_buyer_id() {
    let mut store = priced_shop();
    let mut first = paid_order("T1");
    first.buyer_id = "tb_zhangwei".to_owned();
    first.ordered_at = "2026-11-01T10:00:00+08:00".to_owned();
    let mut second = paid_order("T2");
    second.buyer_id = "tb_zhangwei".to_owned();
    second.receiver_name = "张伟（公司）".to_owned();
    second.address = "文一路 8 号".to_owned();
    second.ordered_at = "2026-11-20T10:00:00+08:00".to_owned();
    store
        .insert_orders(&[first, second], "test", OWNER)
        .expect("insert");
    store
        .create_manual_order(
            &ManualOrder {
                receiver: receiver(),
                lines: vec![line("CUP", 1, None)],
                ..ManualOrder::default()
            },
            OWNER,
        )
        .expect("manual");
    let found = |search: &str| -> Vec<String> {
        store
            .customers(search, 0)
            .expect("customers")
            .into_iter()
            .map(|c| c.buyer_id)
            .collect()
    };
    assert_eq!(found("tb_zhangwei"), vec!["tb_zhangwei"]);
    assert_eq!(found("张伟（公司）"), vec!["tb_zhangwei"]);
    assert_eq!(found("张"), vec!["13800138000", "tb_zhangwei"]);
    assert_eq!(found("8000"), vec!["13800138000"]);
    assert_eq!(found("138-0013-8000"), vec!["13800138000"]);
    assert_eq!(found("13800138000"), vec!["13800138000"]);
    assert_eq!(found("").len(), 2);

    let id = store.customers("tb_zhangwei", 0).expect("c")[0].id;
    let detail = store.customer(id).expect("detail");
    assert_eq!(
        detail.customer.name, "张伟（公司）",
        "the latest order's name"
    );
    assert_eq!(detail.customer.first_order_at, "2026-11-01T10:00:00+08:00");
    assert_eq!(detail.orders.len(), 2);
    assert_eq!(detail.spent_cents, 200);
    assert_eq!(detail.addresses.len(), 2);
    assert_eq!(detail.addresses[0].address, "文一路 8 号");
    store
        .set_customer_note(id, "老客户， 批发 ,", "只发顺丰")
        .expect("note");
    let c = store.customer(id).expect("detail").customer;
    assert_eq!(
        (c.tags.as_str(), c.note.as_str()),
        ("老客户,批发", "只发顺丰")
    );
    let order = store.find_order("T2").expect("T2");
    assert_eq!(store.customer_of_order(order).expect("of"), Some(id));
}

/// The bulk paths (the sample shop, an import) build customers once after their load, as
/// the trigger would have row by row.
#[test]
fn bulk_loads_build_the_same_customers_as_the_trigger() {
    let mut store = Store::open_in_memory().expect("store");
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-30T12:00:00+08:00").expect("now");
    store.load_demo(400, 7, now, &mut |_| true).expect("demo");
    let expected: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM (SELECT DISTINCT platform, buyer_id FROM orders
                                   WHERE buyer_id <> '')",
            [],
            |r| r.get(0),
        )
        .expect("buyers");
    let count = |store: &Store| -> i64 {
        store
            .conn
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
            .expect("customers")
    };
    assert!(expected > 100, "{expected}");
    assert_eq!(count(&store), expected);
    // The trigger is back after the load.
    let mut order = paid_order("BULK-1");
    order.buyer_id = "new_buyer".to_owned();
    store
        .import_orders(&[order], "test", &[], 0, false, OWNER, &mut |_| true)
        .expect("import");
    assert_eq!(count(&store), expected + 1);
    let big: Vec<_> = (0..6000)
        .map(|i| {
            let mut o = paid_order(&format!("BIG-{i}"));
            o.buyer_id = format!("big_{}", i % 1000);
            o
        })
        .collect();
    store
        .import_orders(&big, "test", &[], 0, false, OWNER, &mut |_| true)
        .expect("big import");
    assert_eq!(count(&store), expected + 1001);
}

fn reserved(store: &Store, code: &str) -> i64 {
    let page = store
        .product_page(&crate::store::ProductFilter {
            search: code.to_owned(),
            limit: 20,
            ..crate::store::ProductFilter::default()
        })
        .expect("page");
    page.rows
        .iter()
        .find(|r| r.code == code)
        .map_or(0, |r| r.reserved)
}

#[test]
fn an_edit_replaces_lines_and_amounts_logs_old_and_new_and_reviews_again() {
    let mut store = priced_shop();
    let order = ManualOrder {
        receiver: receiver(),
        lines: vec![line("CUP", 2, None)],
        remark: "老客户".to_owned(),
        ..ManualOrder::default()
    };
    let (id, no) = store.create_manual_order(&order, OWNER).expect("create");
    store
        .record_payment(id, PayMethod::Cash, 3000, "", OWNER)
        .expect("pay");
    store.review_orders(&[id], OWNER).expect("review");
    assert_eq!(reserved(&store, "CUP"), 2);

    let edited = ManualOrder {
        receiver: Receiver {
            name: "李四".to_owned(),
            ..receiver()
        },
        lines: vec![line("6900000000011", 1, None), line("TEA", 3, Some(880))],
        postage_cents: 800,
        remark: "老客户，改地址".to_owned(),
        ..ManualOrder::default()
    };
    let (said, changed) = store.update_manual_order(id, &edited, OWNER).expect("edit");
    assert_eq!((said.as_str(), changed), (no.as_str(), true));
    let detail = store.order_detail(id).expect("detail");
    let lines: Vec<(Option<&str>, i64, i64)> = detail
        .lines
        .iter()
        .map(|l| (l.product_code.as_deref(), l.quantity, l.unit_price_cents))
        .collect();
    assert_eq!(lines, vec![(Some("CUP"), 1, 1500), (Some("TEA"), 3, 880)]);
    assert_eq!(detail.amounts.goods_cents, 1500 + 3 * 880);
    assert_eq!(detail.amounts.postage_cents, 800);
    assert_eq!(detail.row.seller_remark, "老客户，改地址");
    assert_eq!(detail.row.receiver_name, "李四");
    assert!(detail.row.payment.is_paid(), "the payment stays");
    // Approved with the old lines: back to review, and nothing reserved until then.
    assert_eq!(detail.row.state, OrderState::PendingReview);
    assert_eq!(reserved(&store, "CUP"), 0);
    let log: Vec<(LogKind, &str)> = detail
        .events
        .iter()
        .map(|e| (e.event, e.detail.as_str()))
        .collect();
    assert!(
        log.contains(&(
            LogKind::Lines,
            "lines: CUP×2@15.00 → CUP×1@15.00, TEA×3@8.80; postage: 0.00 → 8.00"
        )),
        "{log:?}"
    );
    assert!(
        log.contains(&(LogKind::Remark, "老客户 → 老客户，改地址")),
        "{log:?}"
    );
    assert!(
        log.contains(&(LogKind::Receiver, "receiver_name: 张三 → 李四")),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|(k, d)| *k == LogKind::Event(Event::Reopen) && d.contains("pending_review")),
        "{log:?}"
    );
    // The search finds the new receiver.
    let found = store
        .query_orders(&crate::store::OrderQuery {
            search: "李四".to_owned(),
            limit: 10,
            ..crate::store::OrderQuery::default()
        })
        .expect("search");
    assert_eq!(found.iter().map(|r| r.id).collect::<Vec<_>>(), vec![id]);
    store.review_orders(&[id], OWNER).expect("review");
    assert_eq!(reserved(&store, "CUP"), 1);
    assert_eq!(reserved(&store, "TEA"), 3);

    // The same again changes nothing and writes nothing.
    let events = detail.events.len() + 1;
    let (_, changed) = store.update_manual_order(id, &edited, OWNER).expect("same");
    assert!(!changed);
    let detail = store.order_detail(id).expect("detail");
    assert_eq!(detail.events.len(), events);
    assert_eq!(detail.row.state, OrderState::Approved);
}

#[test]
fn an_edit_is_refused_when_printed_not_manual_or_bad_and_nothing_is_written() {
    let mut store = priced_shop();
    let order = ManualOrder {
        receiver: receiver(),
        lines: vec![line("CUP", 1, None)],
        ..ManualOrder::default()
    };
    let (id, _) = store.create_manual_order(&order, OWNER).expect("create");
    let marketplace = store
        .insert_orders(&[paid_order("T100")], "test", OWNER)
        .expect("insert")[0];
    let count = |store: &Store| -> (i64, i64) {
        store
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM order_lines), (SELECT count(*) FROM order_events)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("count")
    };
    let before = count(&store);
    let cases: Vec<(i64, ManualOrder, &str)> = vec![
        (
            marketplace,
            ManualOrder {
                lines: vec![line("CUP", 2, None)],
                ..order.clone()
            },
            "only manual orders",
        ),
        (
            id,
            ManualOrder {
                lines: vec![line("NOPE", 1, None)],
                ..order.clone()
            },
            "no product with code or barcode \"NOPE\"",
        ),
        (
            id,
            ManualOrder {
                lines: vec![],
                ..order.clone()
            },
            "at least one product",
        ),
        (
            id,
            ManualOrder {
                receiver: Receiver {
                    phone: "12".to_owned(),
                    ..receiver()
                },
                ..order.clone()
            },
            "phone",
        ),
    ];
    for (target, edit, says) in &cases {
        let err = store
            .update_manual_order(*target, edit, OWNER)
            .expect_err("refused");
        assert!(err.to_string().contains(says), "{says}: {err}");
    }
    assert_eq!(count(&store), before);

    // Paid and printed: the waybill is out, the order no longer changes.
    store
        .record_payment(id, PayMethod::Cash, 1500, "", OWNER)
        .expect("pay");
    store.review_orders(&[id], OWNER).expect("review");
    store
        .record_print(&[id], None, Document::Waybills, OWNER)
        .expect("print");
    let before = count(&store);
    let err = store
        .update_manual_order(
            id,
            &ManualOrder {
                lines: vec![line("CUP", 3, None)],
                ..order.clone()
            },
            OWNER,
        )
        .expect_err("printed");
    assert!(err.to_string().contains("waybill is printed"), "{err}");
    assert_eq!(count(&store), before);
}
