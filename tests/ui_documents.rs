//! The shipping tabs driven headlessly (egui_kittest): a batch from approved orders, its
//! pick list printed (the orders move to "printed"), its waybills with a courier and the
//! pool's tracking numbers, and a courier added in Settings.

use std::path::Path;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use shopdesk::domain::model::{NewOrder, NewOrderLine, NewProduct};
use shopdesk::domain::{Event, OrderState, PaymentStatus};
use shopdesk::store::{CourierRow, Store};
use shopdesk::ui::{Prefs, ShopDeskApp, Tab};

fn harness(db: &Path, out: &Path) -> Harness<'static, ShopDeskApp> {
    let db = db.to_path_buf();
    let out = out.to_path_buf();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 1600.0))
        .with_max_steps(12)
        .build_eframe(move |cc| {
            let mut app =
                ShopDeskApp::new(&cc.egui_ctx, db, Prefs::default()).expect("the app starts");
            app.shipping.out_dir = Some(out);
            app.shipping.open_when_done = false;
            app
        });
    settle(&mut harness);
    harness
}

fn settle(harness: &mut Harness<'_, ShopDeskApp>) {
    for _ in 0..5 {
        harness.state_mut().settle();
        harness.run();
    }
}

fn wait_for_job(harness: &mut Harness<'_, ShopDeskApp>) {
    for _ in 0..10 {
        if harness.state().job.is_some() {
            break;
        }
        harness.step();
    }
    let started = Instant::now();
    while harness.state().job.is_some() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the job never finished"
        );
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    settle(harness);
}

/// Four approved orders (one with a bundle), a courier with a pool of three numbers.
fn shop(db: &Path) -> Vec<i64> {
    let mut store = Store::open(db).expect("store");
    let product = |code: &str, bin: &str, components: Vec<(String, i64)>| NewProduct {
        code: code.to_owned(),
        name: format!("商品 {code}"),
        bin: bin.to_owned(),
        components,
        ..NewProduct::default()
    };
    store
        .upsert_products(&[
            product("CUP", "A10", vec![]),
            product("TEA", "A2", vec![]),
            product(
                "GIFT",
                "",
                vec![("CUP".to_owned(), 1), ("TEA".to_owned(), 2)],
            ),
        ])
        .expect("products");
    store.adjust_stock("CUP", 50, "opening").expect("stock");
    store.adjust_stock("TEA", 50, "opening").expect("stock");
    let mut ids = Vec::new();
    for (no, sku, quantity) in [
        ("7001", "GIFT", 1),
        ("7002", "CUP", 2),
        ("7003", "TEA", 1),
        ("7004", "CUP", 1),
    ] {
        let mut o = NewOrder::new("taobao", no, "2026-11-20T10:00:00+08:00");
        o.receiver_name = "张伟".to_owned();
        o.receiver_phone = "13900001111".to_owned();
        o.province = "广东省".to_owned();
        o.city = "深圳市".to_owned();
        o.district = "南山区".to_owned();
        o.address = "科技园路 1 号".to_owned();
        o.payment_status = PaymentStatus::Paid;
        o.lines.push(NewOrderLine {
            sku: sku.to_owned(),
            title: format!("商品 {sku}"),
            attributes: String::new(),
            quantity,
            unit_price_cents: 1000,
        });
        o.goods_cents = quantity * 1000;
        o.paid_cents = o.goods_cents;
        let id = store.insert_orders(&[o], "test").expect("insert")[0];
        store.apply_event(id, Event::Review).expect("review");
        ids.push(id);
    }
    store
        .save_courier(&CourierRow {
            code: "ZTO".to_owned(),
            name: "中通快递".to_owned(),
            ..CourierRow::default()
        })
        .expect("courier");
    store
        .import_tracking(
            "ZTO",
            "ZT0000000001\nZT0000000002\nZT0000000003\nZT0000000004",
        )
        .expect("pool");
    ids
}

#[test]
fn a_batch_from_approved_orders_prints_and_its_waybills_follow() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = dir.path().join("out");
    let ids = shop(&db);
    let mut harness = harness(&db, &out);

    harness.get_by_label("Pick lists").click();
    settle(&mut harness);
    assert_eq!(harness.state().prefs.tab, Tab::PickLists);
    assert_eq!(
        harness.state().shipping.candidates.as_ref().map(Vec::len),
        Some(4)
    );
    harness.get_by_label("Choose all shown").click();
    harness.run();
    // One order less: untick it by its number.
    harness
        .get_by_role_and_label(egui::accesskit::Role::CheckBox, "7004")
        .click();
    harness.run();
    harness
        .get_by_label("Create batch and print pick list")
        .click();
    wait_for_job(&mut harness);
    let last = harness
        .state()
        .shipping
        .last
        .clone()
        .unwrap_or_else(|| panic!("printed: {:?}", harness.state().notices));
    assert!(last.path.starts_with(&out) && last.path.exists());
    assert_eq!(last.outcome.printed, 3);
    assert!(last.summary.contains("3 orders"), "{}", last.summary);
    {
        let store = Store::open(&db).expect("store");
        for (i, id) in ids.iter().enumerate() {
            let state = store.order_detail(*id).expect("detail").row.state;
            let expected = if i < 3 {
                OrderState::Printed
            } else {
                OrderState::Approved
            };
            assert_eq!(state, expected, "order {i}");
        }
    }
    // Only the unprinted order is still offered.
    assert_eq!(
        harness.state().shipping.candidates.as_ref().map(Vec::len),
        Some(1)
    );
    let batch = harness.state().shipping.batches.as_ref().expect("batches")[0].id;
    // The new batch is selected: its slips are one click away.
    assert_eq!(harness.state().picklists.batch, Some(batch));
    harness.get_by_label("Print packing slips").click();
    wait_for_job(&mut harness);
    let last = harness.state().shipping.last.clone().expect("slips");
    assert!(
        last.summary.contains("packing slips: 3 orders"),
        "{}",
        last.summary
    );
    assert_eq!(last.outcome.reprinted, 3);

    // Waybills for that batch, numbers from the courier's pool.
    harness.get_by_label("Waybills").click();
    settle(&mut harness);
    harness.state_mut().waybills.batch = Some(batch);
    settle(&mut harness);
    harness.get_by_label("Print waybills (3)").click();
    wait_for_job(&mut harness);
    let last = harness.state().shipping.last.clone().expect("waybills");
    assert_eq!(last.pages, 3, "{:?}", harness.state().notices);
    assert_eq!(last.outcome.reprinted, 3);
    let store = Store::open(&db).expect("store");
    let numbers: Vec<String> = ids[..3]
        .iter()
        .map(|id| store.order_detail(*id).expect("detail").row.tracking_no)
        .collect();
    assert_eq!(numbers, ["ZT0000000001", "ZT0000000002", "ZT0000000003"]);
    assert_eq!(store.courier("ZTO").expect("courier").pool_free, 1);
}

#[test]
fn a_courier_is_added_in_settings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    shop(&db);
    let mut harness = harness(&db, dir.path());
    harness.get_by_label("Settings").click();
    settle(&mut harness);
    let code = harness.get_by_label("Courier code");
    code.click();
    code.type_text("YTO");
    harness.run();
    let name = harness.get_by_label("Courier name");
    name.click();
    name.type_text("圆通速递");
    harness.run();
    harness.get_by_label("Save courier").click();
    settle(&mut harness);
    let couriers = harness
        .state()
        .shipping
        .couriers
        .clone()
        .unwrap_or_default();
    assert!(
        couriers
            .iter()
            .any(|c| c.code == "YTO" && c.name == "圆通速递"),
        "{couriers:?} {:?}",
        harness.state().notices
    );
}

#[test]
fn the_orders_selection_becomes_a_pick_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = dir.path().join("out");
    let ids = shop(&db);
    let mut harness = harness(&db, &out);
    assert_eq!(harness.state().prefs.tab, Tab::Orders);
    let search = harness.get_by_label("Search");
    search.click();
    search.type_text("7003");
    settle(&mut harness);
    harness.get_by_label("7003").click();
    settle(&mut harness);
    harness.get_by_label("Pick list from selection").click();
    settle(&mut harness);
    assert_eq!(harness.state().prefs.tab, Tab::PickLists);
    assert_eq!(
        harness
            .state()
            .picklists
            .chosen
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        vec![ids[2]]
    );
    harness
        .get_by_label("Create batch and print pick list")
        .click();
    wait_for_job(&mut harness);
    let store = Store::open(&db).expect("store");
    assert_eq!(
        store.order_detail(ids[2]).expect("detail").row.state,
        OrderState::Printed
    );
    assert_eq!(
        store.order_detail(ids[0]).expect("detail").row.state,
        OrderState::Approved
    );
}
