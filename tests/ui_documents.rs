//! The shipping tabs driven headlessly (egui_kittest): a batch from approved orders, its
//! pick list printed (the orders move to "printed"), its waybills with a courier and the
//! pool's tracking numbers, and a courier added in Settings.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{product, settle, wait_for_job};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use shopdesk::app::print::PrintSummary;
use shopdesk::domain::{Event, OrderState};
use shopdesk::store::{CourierRow, Store};
use shopdesk::ui::{ShopDeskApp, Tab};

/// The window, tall enough for the shipping tabs, writing its documents into `out` and
/// opening none of them.
fn harness(db: &Path, out: &Path) -> Harness<'static, ShopDeskApp> {
    let out = out.to_path_buf();
    common::harness_with(db, egui::vec2(1280.0, 1600.0), move |app| {
        app.shipping.out_dir = Some(out);
        app.shipping.open_when_done = false;
    })
}

/// Four approved orders (one with a bundle), a courier with a pool of three numbers.
fn shop(db: &Path) -> Vec<i64> {
    let mut store = Store::open(db).expect("store");
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
    store
        .adjust_stock("CUP", 50, "opening", "owner")
        .expect("stock");
    store
        .adjust_stock("TEA", 50, "opening", "owner")
        .expect("stock");
    let mut ids = Vec::new();
    for (no, sku, quantity) in [
        ("7001", "GIFT", 1),
        ("7002", "CUP", 2),
        ("7003", "TEA", 1),
        ("7004", "CUP", 1),
    ] {
        let o = common::order(no, &[(sku, quantity)], false);
        let id = store.insert_orders(&[o], "test", "owner").expect("insert")[0];
        store
            .apply_event(id, Event::Review, "owner")
            .expect("review");
        ids.push(id);
    }
    store
        .save_courier(
            &CourierRow {
                code: "ZTO".to_owned(),
                name: "中通快递".to_owned(),
                ..CourierRow::default()
            },
            "owner",
        )
        .expect("courier");
    store
        .import_tracking(
            "ZTO",
            "ZT0000000001\nZT0000000002\nZT0000000003\nZT0000000004",
            "owner",
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
    assert_eq!(last.orders, 3);
    assert!(matches!(last.summary, PrintSummary::PickList { .. }));
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
    assert_eq!(harness.state().tabs.picklists.batch, Some(batch));
    harness.get_by_label("Print packing slips").click();
    wait_for_job(&mut harness);
    let last = harness.state().shipping.last.clone().expect("slips");
    assert_eq!((&last.summary, last.orders), (&PrintSummary::Slips, 3));
    // The window says it in words.
    let notices: Vec<String> = harness
        .state()
        .notices
        .iter()
        .map(|n| n.text.clone())
        .collect();
    assert!(
        notices
            .iter()
            .any(|n| n.starts_with("packing slips: 3 orders")),
        "{notices:?}"
    );
    assert_eq!(last.outcome.reprinted, 3);

    // Waybills for that batch, numbers from the courier's pool.
    harness.get_by_label("Waybills").click();
    settle(&mut harness);
    harness.state_mut().tabs.waybills.batch = Some(batch);
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
            .tabs
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

#[test]
fn changing_an_orders_courier_voids_its_number_after_one_confirmation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let ids = shop(&db);
    {
        let mut store = Store::open(&db).expect("store");
        store
            .set_tracking(ids[0], "ZTO", "ZT0000000001", "owner")
            .expect("typed number");
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
            .import_tracking("SF", "SF1000000001\nSF1000000002", "owner")
            .expect("pool");
    }
    let mut harness = harness(&db, dir.path());
    harness.get_by_label("Waybills").click();
    settle(&mut harness);
    harness.state_mut().tabs.waybills.courier = "SF".to_owned();
    harness.state_mut().tabs.waybills.tracking_order = Some(ids[0]);
    settle(&mut harness);
    let reason = harness.get_by_label("Reason for a courier change");
    reason.click();
    reason.type_text("买家要求改发顺丰");
    harness.run();
    harness.get_by_label("Change courier to 顺丰速运").click();
    harness.run();
    // Nothing changes before the confirmation, which names the number to be voided.
    assert!(harness.state().tabs.waybills.change.is_some());
    let question = harness.get_by_label_contains("is voided for good");
    let question = format!("{question:?}");
    assert!(question.contains("ZT0000000001"), "{question}");
    {
        let store = Store::open(&db).expect("store");
        let row = store.order_detail(ids[0]).expect("detail").row;
        assert_eq!(row.tracking_no, "ZT0000000001");
    }
    harness.get_by_label("Change courier to").click();
    settle(&mut harness);
    let store = Store::open(&db).expect("store");
    let row = store.order_detail(ids[0]).expect("detail").row;
    assert_eq!(
        (row.courier.as_str(), row.tracking_no.as_str()),
        ("顺丰速运", "SF1000000001"),
        "{:?}",
        harness.state().notices
    );
    let detail = store.order_detail(ids[0]).expect("detail");
    assert!(
        detail
            .events
            .iter()
            .any(|e| e.event.code() == "courier_change" && e.detail.contains("买家要求改发顺丰")),
        "{:?}",
        detail.events
    );
}

#[test]
fn documents_go_to_the_folder_chosen_in_settings_created_if_missing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let chosen = dir.path().join("chosen").join("单据");
    shop(&db);
    {
        let mut store = Store::open(&db).expect("store");
        let mut settings = store.settings().expect("settings");
        settings.documents_dir = chosen.clone();
        store.save_settings(&settings).expect("save");
    }
    // No test override of the folder: the window follows the setting.
    let mut harness = common::harness_with(&db, egui::vec2(1280.0, 1600.0), |app| {
        app.shipping.open_when_done = false;
    });
    harness.get_by_label("Pick lists").click();
    settle(&mut harness);
    harness.get_by_label("Choose all shown").click();
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
    assert_eq!(last.path.parent(), Some(chosen.as_path()));
    assert!(last.path.exists());
}

#[test]
fn the_last_document_row_offers_its_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = dir.path().join("out");
    shop(&db);
    let mut harness = harness(&db, &out);
    harness.get_by_label("Pick lists").click();
    settle(&mut harness);
    harness.get_by_label("Choose all shown").click();
    harness.run();
    harness
        .get_by_label("Create batch and print pick list")
        .click();
    wait_for_job(&mut harness);
    // Clicking would start the desktop's file manager; that the button is there, beside
    // Open, is what a headless test can see.
    harness.get_by_label("Open");
    harness.get_by_label("Open folder");
}
