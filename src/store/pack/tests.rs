use super::*;
use crate::domain::model::{NewOrder, NewOrderLine};
use crate::domain::pack::PackCheck;
use crate::store::testing::shop;
use crate::store::{CourierRow, Document};

const PACKER: &str = "小王";

fn new_order(no: &str, lines: &[(&str, i64)], tracking: &str) -> NewOrder {
    let mut order = NewOrder::new("taobao", no, "2026-11-20T10:00:00+08:00");
    order.receiver_name = "张三".to_owned();
    order.receiver_phone = "13812341234".to_owned();
    order.province = "浙江省".to_owned();
    order.city = "杭州市".to_owned();
    order.district = "西湖区".to_owned();
    order.address = "文三路 1 号".to_owned();
    order.payment_status = PaymentStatus::Paid;
    order.courier = "SF".to_owned();
    order.tracking_no = tracking.to_owned();
    for (sku, quantity) in lines {
        order.lines.push(NewOrderLine {
            sku: (*sku).to_owned(),
            title: format!("商品 {sku}"),
            quantity: *quantity,
            unit_price_cents: 100,
            ..NewOrderLine::default()
        });
    }
    order.goods_cents = order.lines.iter().map(|l| l.quantity * 100).sum();
    order.paid_cents = order.goods_cents;
    order
}

/// A shop with SF and ZTO, barcodes on CUP, and printed orders with tracking numbers.
fn station() -> Store {
    let mut store = shop();
    for (code, name) in [("SF", "顺丰速运"), ("ZTO", "中通快递")] {
        store
            .save_courier(
                &CourierRow {
                    code: code.to_owned(),
                    name: name.to_owned(),
                    ..CourierRow::default()
                },
                "owner",
            )
            .expect("courier");
    }
    store
        .conn
        .execute(
            "INSERT INTO product_barcodes (barcode, product_id)
             SELECT '6900000000011', id FROM products WHERE code = 'CUP'",
            [],
        )
        .expect("barcode");
    store
}

fn printed(store: &mut Store, no: &str, lines: &[(&str, i64)], tracking: &str) -> i64 {
    let id = store
        .insert_orders(&[new_order(no, lines, tracking)], "test", PACKER)
        .expect("insert")[0];
    store
        .apply_event(id, Event::Review, PACKER)
        .expect("review");
    store
        .record_print(&[id], None, Document::Waybills, PACKER)
        .expect("print");
    id
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

fn checked_all(order: &PackOrder) -> Vec<(String, i64)> {
    PackCheck::new(order.items.clone()).checked()
}

fn open(store: &Store, scan: &str) -> PackOrder {
    match store.pack_find(scan).expect("find") {
        PackFind::Order(order) => *order,
        other => panic!("{scan}: expected an order, got {other:?}"),
    }
}

#[test]
fn a_scan_opens_the_order_by_tracking_order_or_merged_number() {
    let mut store = station();
    let a = printed(&mut store, "T100", &[("GIFT", 1)], "SF1000000001");
    assert_eq!(open(&store, "SF1000000001").id, a);
    assert_eq!(open(&store, " T100 ").id, a);
    let order = open(&store, "T100");
    // The bundle is exploded: one cup and two teas, the cup with its barcode.
    let items: Vec<(&str, i64, usize)> = order
        .items
        .iter()
        .map(|i| (i.code.as_str(), i.expected, i.barcodes.len()))
        .collect();
    assert_eq!(items, vec![("CUP", 1, 1), ("TEA", 2, 0)]);
    assert_eq!(order.refusal, None);
    assert_eq!(order.courier, "顺丰速运");
    assert!(order.address.contains("西湖区"), "{}", order.address);

    // An order merged into another opens the main order.
    let b = store
        .insert_orders(&[new_order("T101", &[("CUP", 1)], "")], "test", PACKER)
        .expect("insert")[0];
    let c = store
        .insert_orders(&[new_order("T102", &[("TEA", 1)], "")], "test", PACKER)
        .expect("insert")[0];
    store.merge_orders(b, &[c], PACKER).expect("merge");
    assert_eq!(open(&store, "T102").id, b);

    assert_eq!(
        store.pack_find("NOPE").expect("find"),
        PackFind::NotFound("NOPE".to_owned())
    );
}

#[test]
fn a_batch_barcode_lists_its_orders_in_slot_order() {
    let mut store = station();
    let a = printed(&mut store, "T1", &[("CUP", 1)], "SF1000000001");
    let b = printed(&mut store, "T2", &[("TEA", 2)], "SF1000000002");
    let batch = store.create_batch(&[b, a], PACKER).expect("batch");
    let PackFind::Batch(progress) = store
        .pack_find(&crate::store::batch_number(batch))
        .expect("find")
    else {
        panic!("a batch");
    };
    let slots: Vec<(i64, &str, i64)> = progress
        .slots
        .iter()
        .map(|s| (s.slot, s.order_no.as_str(), s.pieces))
        .collect();
    assert_eq!(slots, vec![(1, "T2", 2), (2, "T1", 1)]);
    assert_eq!(progress.to_pack(), 2);
    let order = open(&store, "T1");
    assert_eq!(order.batch, Some((batch, 2)));
    store
        .pack_pass(a, &checked_all(&order), None, PACKER)
        .expect("pass");
    assert_eq!(store.batch_progress(batch).expect("progress").to_pack(), 1);
}

#[test]
fn a_pass_ships_once_with_its_ledger_weight_and_log() {
    let mut store = station();
    let a = printed(&mut store, "T1", &[("GIFT", 1), ("CUP", 1)], "SF1000000001");
    let order = open(&store, "T1");
    let result = store
        .pack_pass(a, &checked_all(&order), Some(1250), PACKER)
        .expect("pass");
    let ShipResult::Shipped { at, .. } = result else {
        panic!("shipped: {result:?}");
    };
    assert_eq!((on_hand(&store, "CUP"), on_hand(&store, "TEA")), (8, 8));
    let detail = store.order_detail(a).expect("detail");
    assert_eq!(detail.row.state, OrderState::Shipped);
    let shipped_at: String = store
        .conn
        .query_row("SELECT shipped_at FROM orders WHERE id = ?1", [a], |r| {
            r.get(0)
        })
        .expect("shipped at");
    assert_eq!(shipped_at, at);
    let weight: Option<i64> = store
        .conn
        .query_row("SELECT weight_grams FROM orders WHERE id = ?1", [a], |r| {
            r.get(0)
        })
        .expect("weight");
    assert_eq!(weight, Some(1250));
    // The weight is in the order's log under the packer, as a weighing is.
    let weighed: String = store
        .conn
        .query_row(
            "SELECT operator || ' ' || detail FROM order_events
             WHERE order_id = ?1 AND detail = '1250 g'",
            [a],
            |r| r.get(0),
        )
        .expect("weighing logged");
    assert_eq!(weighed, format!("{PACKER} 1250 g"));
    let attempts = store.pack_attempts(a).expect("attempts");
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].result, AttemptResult::Passed);
    assert_eq!(attempts[0].operator, PACKER);

    // A second pass is refused with when and by whom, and moves no stock.
    let again = store
        .pack_pass(a, &checked_all(&order), None, "小李")
        .expect("second");
    assert_eq!(
        again,
        ShipResult::Refused {
            order_no: "T1".to_owned(),
            reason: PackRefusal::AlreadyShipped {
                at: at.clone(),
                by: PACKER.to_owned()
            }
        }
    );
    assert_eq!((on_hand(&store, "CUP"), on_hand(&store, "TEA")), (8, 8));
    let attempts = store.pack_attempts(a).expect("attempts");
    assert_eq!(
        attempts.last().map(|a| a.result),
        Some(AttemptResult::Refused)
    );
    assert_eq!(
        store.pack_counters(PACKER, "2000-01-01").expect("counters"),
        PackCounters {
            passed: 1,
            mismatches: 0
        }
    );
}

#[test]
fn orders_that_must_not_leave_are_refused_with_their_reason() {
    let mut store = station();
    // Not printed.
    let approved = store
        .insert_orders(&[new_order("T1", &[("CUP", 1)], "")], "test", PACKER)
        .expect("insert")[0];
    store
        .apply_event(approved, Event::Review, PACKER)
        .expect("review");
    assert_eq!(
        open(&store, "T1").refusal,
        Some(PackRefusal::NotPrinted(OrderState::Approved))
    );
    // On hold after printing.
    let held = printed(&mut store, "T2", &[("CUP", 1)], "SF1000000002");
    store.apply_event(held, Event::Hold, PACKER).expect("hold");
    assert_eq!(open(&store, "T2").refusal, Some(PackRefusal::OnHold));
    // Cancelled after printing.
    let cancelled = printed(&mut store, "T3", &[("CUP", 1)], "SF1000000003");
    store
        .apply_event(cancelled, Event::Cancel, PACKER)
        .expect("cancel");
    assert_eq!(
        open(&store, "SF1000000003").refusal,
        Some(PackRefusal::Cancelled)
    );
    // Closed by the platform after printing: the import flags it and sets the date.
    let closed = printed(&mut store, "T4", &[("CUP", 1)], "SF1000000004");
    store
        .conn
        .execute(
            "UPDATE orders SET platform_closed_at = '2026-11-30T10:00:00+08:00' WHERE id = ?1",
            [closed],
        )
        .expect("close");
    let order = open(&store, "T4");
    assert_eq!(order.refusal, Some(PackRefusal::ClosedByPlatform));
    let before = (
        on_hand(&store, "CUP"),
        store.order_detail(closed).expect("d").row.state,
    );
    let result = store
        .pack_pass(closed, &checked_all(&order), None, PACKER)
        .expect("pass");
    assert!(matches!(
        result,
        ShipResult::Refused {
            reason: PackRefusal::ClosedByPlatform,
            ..
        }
    ));
    assert_eq!(
        (
            on_hand(&store, "CUP"),
            store.order_detail(closed).expect("d").row.state
        ),
        before
    );
    // The override does not get past a refusal either.
    let result = store
        .ship_override(closed, "no barcode", None, PACKER)
        .expect("override");
    assert!(matches!(result, ShipResult::Refused { .. }));
}

#[test]
fn a_pass_is_refused_when_the_order_changed_since_it_was_opened() {
    let mut store = station();
    let a = printed(&mut store, "T1", &[("CUP", 2)], "SF1000000001");
    let stale = vec![("CUP".to_owned(), 1)];
    let result = store.pack_pass(a, &stale, None, PACKER).expect("pass");
    assert_eq!(
        result,
        ShipResult::Changed {
            order_no: "T1".to_owned()
        }
    );
    assert_eq!(
        store.order_detail(a).expect("d").row.state,
        OrderState::Printed
    );
    assert_eq!(on_hand(&store, "CUP"), 10);
}

#[test]
fn an_override_ships_with_its_reason_and_weights_are_checked() {
    let mut store = station();
    let a = printed(&mut store, "T1", &[("TEA", 1)], "SF1000000001");
    let err = store
        .ship_override(a, "  ", None, PACKER)
        .expect_err("a reason is needed");
    assert!(err.to_string().contains("why"), "{err}");
    let err = store
        .pack_pass(a, &[("TEA".to_owned(), 1)], Some(0), PACKER)
        .expect_err("weight");
    assert!(err.to_string().contains("weight"), "{err}");
    let result = store
        .ship_override(a, "茶叶没有条码", Some(300), "店长")
        .expect("override");
    assert!(matches!(result, ShipResult::Shipped { .. }), "{result:?}");
    let attempts = store.pack_attempts(a).expect("attempts");
    assert_eq!(attempts[0].result, AttemptResult::Override);
    assert_eq!(attempts[0].detail, "茶叶没有条码");
    assert_eq!(on_hand(&store, "TEA"), 9);
}

#[test]
fn the_attempt_log_is_append_only() {
    let mut store = station();
    let a = printed(&mut store, "T1", &[("CUP", 1)], "SF1000000001");
    store
        .pack_attempt(
            a,
            AttemptResult::Mismatch,
            "scanned TEA, expected CUP 0/1",
            PACKER,
        )
        .expect("mismatch");
    store
        .pack_attempt(a, AttemptResult::Passed, "", PACKER)
        .expect_err("a pass only by shipping");
    for sql in [
        "UPDATE pack_attempts SET result = 'passed'",
        "DELETE FROM pack_attempts",
        "INSERT OR REPLACE INTO pack_attempts (id, order_id, at, operator, result)
         SELECT id, order_id, at, operator, 'passed' FROM pack_attempts",
    ] {
        assert!(store.conn.execute(sql, []).is_err(), "{sql}");
    }
    assert_eq!(
        store
            .pack_counters(PACKER, "2000-01-01")
            .expect("c")
            .mismatches,
        1
    );
}

fn ship(store: &mut Store, no: &str, tracking: &str) -> i64 {
    let id = printed(store, no, &[("CUP", 1)], tracking);
    let order = store.pack_order(id).expect("order");
    store
        .pack_pass(id, &checked_all(&order), None, PACKER)
        .expect("pass");
    id
}

#[test]
fn a_hand_over_counts_its_couriers_parcels_and_lists_the_missing() {
    let mut store = station();
    ship(&mut store, "T1", "SF1000000001");
    ship(&mut store, "T2", "SF1000000002");
    ship(&mut store, "T3", "SF1000000003");
    let mut zto = new_order("T4", &[("CUP", 1)], "ZT2000000001");
    zto.courier = "中通快递".to_owned();
    let z = store.insert_orders(&[zto], "test", PACKER).expect("insert")[0];
    store.apply_event(z, Event::Review, PACKER).expect("review");
    store
        .record_print(&[z], None, Document::Waybills, PACKER)
        .expect("print");
    printed(&mut store, "T5", &[("CUP", 1)], "SF1000000005");

    let id = store.handover_start("顺丰速运", PACKER).expect("start");
    assert_eq!(store.handover_start("SF", PACKER).expect("again"), id);
    let added = |scan: HandoverScan| matches!(scan, HandoverScan::Added { .. });
    assert!(added(
        store
            .handover_scan(id, "SF1000000001", PACKER)
            .expect("scan")
    ));
    assert!(added(
        store
            .handover_scan(id, " SF1000000003 ", PACKER)
            .expect("scan")
    ));
    let refusals = [
        ("SF1000000001", "in this hand-over already"),
        ("ZT2000000001", "goes with 中通快递"),
        ("SF1000000005", "has not shipped"),
        ("XX0000000000", "no order has tracking number"),
    ];
    for (number, says) in refusals {
        let HandoverScan::Refused(refusal) = store.handover_scan(id, number, PACKER).expect("scan")
        else {
            panic!("{number} must be refused");
        };
        assert!(refusal.to_string().contains(says), "{number}: {refusal}");
    }
    let open = store.handover(id).expect("open");
    assert_eq!(
        (open.parcels.len(), open.missing.len(), open.expected),
        (2, 1, 3)
    );

    let report = store.handover_close(id, PACKER).expect("close");
    assert_eq!(report.expected, 3);
    assert_eq!(report.parcels.len(), 2);
    let missing: Vec<(&str, &str)> = report
        .missing
        .iter()
        .map(|p| (p.order_no.as_str(), p.receiver_name.as_str()))
        .collect();
    assert_eq!(missing, vec![("T2", "张三")]);
    assert!(report.closed_at.is_some());

    // Closed: no more scans, no changes, and it stays on record.
    let HandoverScan::Refused(HandoverRefusal::Closed(_)) = store
        .handover_scan(id, "SF1000000002", PACKER)
        .expect("scan")
    else {
        panic!("closed");
    };
    store.handover_close(id, PACKER).expect_err("closed twice");
    for sql in [
        "UPDATE handovers SET scanned = 0",
        "DELETE FROM handovers",
        "DELETE FROM handover_parcels",
        "DELETE FROM handover_missing",
    ] {
        assert!(store.conn.execute(sql, []).is_err(), "{sql}");
    }

    // The next hand-over of SF still chases T2 (shipped since the previous one started).
    let next = store.handover_start("SF", PACKER).expect("next");
    assert_ne!(next, id);
    let scan = store
        .handover_scan(next, "SF1000000002", PACKER)
        .expect("scan");
    assert!(added(scan));
    let report = store.handover_close(next, PACKER).expect("close");
    assert_eq!((report.parcels.len(), report.missing.len()), (1, 0));
    let a = store.find_order("T1").expect("T1");
    assert_eq!(store.order_handover(a).expect("handover"), Some(id));

    let listed = store
        .handovers(&HandoverFilter {
            courier: Some("SF".to_owned()),
            ..HandoverFilter::default()
        })
        .expect("list");
    let listed: Vec<(i64, i64, Option<i64>)> = listed
        .iter()
        .map(|h| (h.id, h.scanned, h.expected))
        .collect();
    assert_eq!(listed, vec![(next, 1, Some(1)), (id, 2, Some(3))]);
    let none = store
        .handovers(&HandoverFilter {
            from: Some("2999-01-01".to_owned()),
            ..HandoverFilter::default()
        })
        .expect("list");
    assert!(none.is_empty());
}

#[test]
fn the_start_of_the_day_keeps_the_offset() {
    assert_eq!(
        start_of_day("2026-11-30T15:04:05+08:00"),
        "2026-11-30T00:00:00+08:00"
    );
    assert_eq!(parse_batch_number("PL000012"), Some(12));
    assert_eq!(parse_batch_number("PLX"), None);
    assert_eq!(parse_batch_number("PL"), None);
}

/// Every lookup of a tracking number goes through the partial index on non-empty numbers
/// (a lookup that does not say `tracking_no <> ''` reads the whole table).
#[test]
fn tracking_number_lookups_use_the_index() {
    let store = station();
    let sources = [
        include_str!("../pack.rs"),
        include_str!("../shipping.rs"),
        include_str!("../import.rs"),
    ];
    let mut checked = 0;
    for source in sources {
        for (at, _) in source.match_indices("tracking_no = ?1") {
            let start = source[..at].rfind('"').unwrap_or(0);
            let end = at + source[at..].find('"').unwrap_or(0);
            let sql = source[start + 1..end].replace("?2", "0");
            let plan: Vec<String> = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .expect(&sql)
                .query_map(["SF1"], |r| r.get::<_, String>(3))
                .expect("plan")
                .collect::<rusqlite::Result<_>>()
                .expect("plan");
            assert!(
                plan.iter().any(|p| p.contains("orders_tracking_no")),
                "{sql}: {plan:?}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 3, "{checked}");
}

#[test]
fn a_pass_that_meets_a_long_write_returns_at_once_and_ships_later() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("shop.db");
    let mut store = Store::open(&path).expect("store");
    store
        .save_courier(
            &CourierRow {
                code: "SF".to_owned(),
                name: "顺丰速运".to_owned(),
                ..CourierRow::default()
            },
            "owner",
        )
        .expect("courier");
    store
        .upsert_products(&[crate::domain::model::NewProduct {
            code: "CUP".to_owned(),
            name: "杯".to_owned(),
            ..Default::default()
        }])
        .expect("product");
    store
        .adjust_stock("CUP", 5, "opening", PACKER)
        .expect("stock");
    let id = printed(&mut store, "T1", &[("CUP", 1)], "SF1000000001");
    let checked = checked_all(&store.pack_order(id).expect("order"));
    // Another program holds the write lock (an import in progress).
    let other = rusqlite::Connection::open(&path).expect("other");
    other.execute_batch("BEGIN IMMEDIATE").expect("lock");
    let started = std::time::Instant::now();
    let wait = std::time::Duration::from_millis(100);
    let result = store
        .try_pack_pass(id, &checked, None, PACKER, wait)
        .expect("no error");
    assert_eq!(result, None);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(open(&store, "T1").refusal, None, "nothing was written");
    other.execute_batch("COMMIT").expect("unlock");
    let result = store
        .try_pack_pass(id, &checked, None, PACKER, wait)
        .expect("shipped");
    assert!(
        matches!(result, Some(ShipResult::Shipped { .. })),
        "{result:?}"
    );
}
