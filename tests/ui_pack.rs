//! The Pack & ship tab driven headlessly with egui_kittest, as the packer works: only the
//! scanner (text and Enter) and the Escape key.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{harness_with, order, settle};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use shopdesk::domain::Event;
use shopdesk::domain::model::NewProduct;
use shopdesk::store::{CourierRow, Document, Store};
use shopdesk::ui::pack::{PackView, Stop};
use shopdesk::ui::{ShopDeskApp, Tab};

const SF: &str = "顺丰速运";

/// A shop with a cup (barcode 6901) and tea, the courier SF, and printed orders:
/// T1 (2 cups, 1 tea; waybill SF1000000001), T2 (1 cup; SF1000000002),
/// T3 (1 tea; SF1000000003), and T9 printed then cancelled (SF1000000009).
fn shop(db: &Path) -> Store {
    let mut store = Store::open(db).expect("store");
    store
        .upsert_products(&[
            NewProduct {
                code: "CUP".to_owned(),
                name: "白瓷杯".to_owned(),
                barcodes: vec!["6901".to_owned()],
                bin: "A-1".to_owned(),
                ..NewProduct::default()
            },
            NewProduct {
                code: "TEA".to_owned(),
                name: "龙井茶".to_owned(),
                bin: "A-2".to_owned(),
                ..NewProduct::default()
            },
        ])
        .expect("products");
    for code in ["CUP", "TEA"] {
        store
            .adjust_stock(code, 20, "opening", "owner")
            .expect("stock");
    }
    store
        .save_courier(
            &CourierRow {
                code: "SF".to_owned(),
                name: SF.to_owned(),
                ..CourierRow::default()
            },
            "owner",
        )
        .expect("courier");
    for (no, lines, tracking) in [
        ("T1", &[("CUP", 2), ("TEA", 1)][..], "SF1000000001"),
        ("T2", &[("CUP", 1)][..], "SF1000000002"),
        ("T3", &[("TEA", 1)][..], "SF1000000003"),
        ("T9", &[("CUP", 1)][..], "SF1000000009"),
    ] {
        let mut o = order(no, lines, false);
        o.courier = "SF".to_owned();
        o.tracking_no = tracking.to_owned();
        let id = store.insert_orders(&[o], "test", "owner").expect("insert")[0];
        store
            .apply_event(id, Event::Review, "owner")
            .expect("review");
        store
            .record_print(&[id], None, Document::Waybills, "owner")
            .expect("print");
    }
    let t9 = store.find_order("T9").expect("T9");
    store
        .apply_event(t9, Event::Cancel, "owner")
        .expect("cancel");
    store
}

fn station(db: &Path, out: &Path) -> Harness<'static, ShopDeskApp> {
    let out = out.to_path_buf();
    let mut harness = harness_with(db, egui::vec2(1280.0, 800.0), move |app| {
        app.prefs.tab = Tab::Pack;
        app.tabs.pack.sound = false;
        app.shipping.out_dir = Some(out);
    });
    settle(&mut harness);
    harness
}

/// What the scanner does: types the code and presses Enter, into whatever has the focus.
fn scan(harness: &mut Harness<'_, ShopDeskApp>, code: &str) {
    harness.event(egui::Event::Text(code.to_owned()));
    harness.key_press(egui::Key::Enter);
    settle(harness);
}

fn state(db: &Path, no: &str) -> String {
    let store = Store::open(db).expect("store");
    let id = store.find_order(no).expect("order");
    store
        .order_detail(id)
        .expect("detail")
        .row
        .state
        .code()
        .to_owned()
}

fn packed(harness: &Harness<'_, ShopDeskApp>) -> Vec<(String, i64)> {
    harness
        .state()
        .tabs
        .pack
        .bench
        .as_ref()
        .map(|b| {
            b.check
                .items
                .iter()
                .map(|i| (i.code.clone(), i.packed))
                .collect()
        })
        .unwrap_or_default()
}

/// The number of the order on the packer's bench, if any.
fn on_bench(harness: &Harness<'_, ShopDeskApp>) -> Option<String> {
    harness
        .state()
        .tabs
        .pack
        .bench
        .as_ref()
        .map(|b| b.order.order_no.clone())
}

fn scan_field_has_focus(harness: &Harness<'_, ShopDeskApp>, id: egui::Id) -> bool {
    harness.ctx.memory(|m| m.focused()) == Some(id)
}

#[test]
fn a_parcel_is_opened_by_its_waybill_checked_item_by_item_and_shipped() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db));
    let mut harness = station(&db, dir.path());
    let field = harness.state().tabs.pack.scan.id();
    assert!(
        scan_field_has_focus(&harness, field),
        "focus when the tab opens"
    );

    scan(&mut harness, "SF1000000001");
    let bench = harness.state().tabs.pack.bench.clone().expect("opened");
    assert_eq!(bench.order.order_no, "T1");
    assert!(
        harness.query_by_label_contains("龙井茶").is_some(),
        "items shown"
    );

    // A barcode counts one, then a wrong item stops everything.
    scan(&mut harness, "6901");
    assert_eq!(packed(&harness), vec![("CUP".into(), 1), ("TEA".into(), 0)]);
    scan(&mut harness, "MUG-9");
    assert!(
        matches!(harness.state().tabs.pack.stop, Some(Stop::Mismatch(_))),
        "{:?}",
        harness.state().tabs.pack.stop
    );
    assert!(harness.query_by_label_contains("WRONG ITEM").is_some());
    assert_eq!(harness.state().tabs.pack.beeps, 1);
    // Nothing is counted until the stop is cleared.
    scan(&mut harness, "6901");
    assert_eq!(packed(&harness), vec![("CUP".into(), 1), ("TEA".into(), 0)]);
    assert!(harness.state().tabs.pack.still_stopped);
    assert_eq!(harness.state().tabs.pack.beeps, 2);
    harness.key_press(egui::Key::Escape);
    settle(&mut harness);
    assert_eq!(harness.state().tabs.pack.stop, None);
    assert!(
        scan_field_has_focus(&harness, field),
        "focus after the stop"
    );

    // A notice appearing does not take the focus; the scanner types on.
    harness.state_mut().notices.info("备份完成");
    settle(&mut harness);
    // Two scans typed within one frame are both counted.
    harness.event(egui::Event::Text("CUP".to_owned()));
    harness.key_press(egui::Key::Enter);
    harness.event(egui::Event::Text("1.2kg".to_owned()));
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    assert_eq!(packed(&harness), vec![("CUP".into(), 2), ("TEA".into(), 0)]);
    scan(&mut harness, "TEA");
    let passed = harness.state().tabs.pack.passed.clone().expect("shipped");
    assert_eq!(passed.order_no, "T1");
    assert_eq!(state(&db, "T1"), "shipped");
    assert!(harness.query_by_label_contains("Shipped T1").is_some());
    assert!(
        scan_field_has_focus(&harness, field),
        "focus after shipping"
    );

    let store = Store::open(&db).expect("store");
    let id = store.find_order("T1").expect("T1");
    assert_eq!(store.order_detail(id).expect("d").weight_grams, Some(1200));
    let results: Vec<&str> = store
        .pack_attempts(id)
        .expect("attempts")
        .iter()
        .map(|a| a.result.code())
        .collect();
    assert_eq!(results, vec!["mismatch", "passed"]);
    let counters = harness
        .state()
        .tabs
        .pack
        .counters
        .clone()
        .expect("counters");
    assert_eq!((counters.passed, counters.mismatches), (1, 1));
}

#[test]
fn an_order_cancelled_after_printing_is_refused_at_the_first_scan() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db));
    let mut harness = station(&db, dir.path());
    scan(&mut harness, "SF1000000009");
    assert!(harness.state().tabs.pack.bench.is_none());
    assert!(
        matches!(harness.state().tabs.pack.stop, Some(Stop::Refused { .. })),
        "{:?}",
        harness.state().tabs.pack.stop
    );
    assert!(harness.query_by_label_contains("DO NOT SHIP").is_some());
    assert!(harness.query_by_label_contains("cancelled").is_some());
    // The scanner's CLEAR, then the next parcel opens normally.
    scan(&mut harness, "CLEAR");
    scan(&mut harness, "T2");
    assert_eq!(on_bench(&harness), Some("T2".to_owned()));
    assert_eq!(state(&db, "T9"), "cancelled");
    // Another parcel's waybill while T2 is open: T2 is left (logged), T3 opens.
    scan(&mut harness, "SF1000000003");
    let store = Store::open(&db).expect("store");
    let t2 = store.find_order("T2").expect("T2");
    let attempts = store.pack_attempts(t2).expect("attempts");
    assert_eq!(attempts.last().map(|a| a.result.code()), Some("abandoned"));
    assert_eq!(on_bench(&harness), Some("T3".to_owned()));
}

#[test]
fn a_hand_over_with_a_missing_parcel_lists_it_after_the_close() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    {
        let mut store = shop(&db);
        for no in ["T2", "T3"] {
            let id = store.find_order(no).expect("order");
            let order = store.pack_order(id).expect("pack order");
            let checked: Vec<(String, i64)> = order
                .items
                .iter()
                .map(|i| (i.code.clone(), i.expected))
                .collect();
            store.pack_pass(id, &checked, None, "小王").expect("pass");
        }
    }
    let mut harness = station(&db, dir.path());
    harness.state_mut().tabs.pack.view = PackView::Handover;
    settle(&mut harness);
    harness.get_by_label("Start hand-over").click();
    settle(&mut harness);
    let field = harness.state().tabs.pack.handover.scan.id();
    assert!(scan_field_has_focus(&harness, field));
    scan(&mut harness, "SF1000000002");
    assert!(
        harness
            .query_by_label_contains("1 scanned · 2 expected")
            .is_some()
    );
    // An unshipped parcel is refused loudly.
    scan(&mut harness, "SF1000000001");
    assert!(
        harness
            .query_by_label_contains("has not passed the pack check")
            .is_some()
    );
    assert_eq!(harness.state().tabs.pack.beeps, 1);

    harness.get_by_label("Close and print list").click();
    settle(&mut harness);
    harness.get_by_label("Close").click();
    settle(&mut harness);
    let handover = harness
        .state()
        .tabs
        .pack
        .handover
        .current
        .clone()
        .expect("closed hand-over");
    assert!(handover.closed_at.is_some());
    let missing: Vec<&str> = handover
        .missing
        .iter()
        .map(|p| p.order_no.as_str())
        .collect();
    assert_eq!(missing, vec!["T3"]);
    assert!(
        harness
            .query_by_label_contains("Missing: chase at once")
            .is_some()
    );
    let pdf = harness
        .state()
        .tabs
        .pack
        .handover
        .written
        .clone()
        .expect("list written");
    assert!(
        pdf.starts_with(dir.path()) && pdf.exists(),
        "{}",
        pdf.display()
    );
    let store = Store::open(&db).expect("store");
    let t2 = store.find_order("T2").expect("T2");
    assert_eq!(
        store.order_detail(t2).expect("d").handover_id,
        Some(handover.id)
    );
}

#[test]
fn a_parcel_that_passes_during_an_import_ships_when_the_file_is_free() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db));
    let mut harness = station(&db, dir.path());
    // Another program writes the file (an import in progress).
    let import = rusqlite::Connection::open(&db).expect("other connection");
    import.execute_batch("BEGIN IMMEDIATE").expect("write lock");
    scan(&mut harness, "SF1000000002");
    scan(&mut harness, "CUP");
    let passed = harness.state().tabs.pack.passed.clone().expect("passed");
    assert!(passed.pending, "{passed:?}");
    assert_eq!(harness.state().tabs.pack.deferred.len(), 1);
    assert!(
        harness
            .query_by_label_contains("Waiting to ship: 1")
            .is_some()
    );
    // The packer goes on: the next parcel opens while the file is busy.
    scan(&mut harness, "SF1000000003");
    assert_eq!(on_bench(&harness), Some("T3".to_owned()));
    assert_eq!(state(&db, "T2"), "printed");
    import.execute_batch("COMMIT").expect("import done");
    let started = std::time::Instant::now();
    while !harness.state().tabs.pack.deferred.is_empty() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "never shipped"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
        settle(&mut harness);
    }
    assert_eq!(state(&db, "T2"), "shipped");
    // The parcel on the bench was not disturbed.
    assert_eq!(on_bench(&harness), Some("T3".to_owned()));
}
