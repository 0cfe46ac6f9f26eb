//! The Inventory tab driven headlessly with egui_kittest: a count by scanner,
//! receiving purchases, finding a product by barcode and adjusting it, editing a product.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{harness, settle, wait_for_job};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use shopdesk::domain::model::NewProduct;
use shopdesk::store::{NewPurchase, NewPurchaseLine, Store};
use shopdesk::ui::{ShopDeskApp, Tab};

/// A shop with a cup (barcode 6901, bin A-1, 10 on hand) and tea (bin A-2, none).
fn shop(db: &Path) -> Store {
    let mut store = Store::open(db).expect("store");
    store
        .upsert_products(&[
            NewProduct {
                code: "CUP".to_owned(),
                name: "白瓷杯".to_owned(),
                barcodes: vec!["6901".to_owned()],
                bin: "A-1".to_owned(),
                cost_cents: 250,
                ..NewProduct::default()
            },
            NewProduct {
                code: "TEA".to_owned(),
                name: "龙井茶".to_owned(),
                bin: "A-2".to_owned(),
                cost_cents: 3000,
                ..NewProduct::default()
            },
        ])
        .expect("products");
    store
        .adjust_stock("CUP", 10, "opening", "owner")
        .expect("stock");
    store
}

fn on_hand(db: &Path, code: &str) -> i64 {
    Store::open(db)
        .expect("store")
        .stock_report()
        .expect("report")
        .into_iter()
        .find(|r| r.code == code)
        .map(|r| r.on_hand)
        .expect("product")
}

fn open_inventory(harness: &mut Harness<'_, ShopDeskApp>, view: &str) {
    harness.get_by_label("Inventory").click();
    settle(harness);
    assert_eq!(harness.state().prefs.tab, Tab::Inventory);
    harness.get_by_label(view).click();
    settle(harness);
}

#[test]
fn count_a_shelf_with_a_scanner_and_post_the_differences() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db));
    let mut harness = harness(&db);
    open_inventory(&mut harness, "Stock count");
    harness.get_by_label("Start count").click();
    settle(&mut harness);
    let count = harness
        .state()
        .tabs
        .inventory
        .count
        .clone()
        .expect("an open count");
    assert_eq!(count.row.status.code(), "open");
    assert_eq!(count.lines.len(), 2);

    // The scanner types the barcode and Enter, three times; the field keeps the focus.
    let scan = harness.get_by_label("Scan");
    scan.click();
    harness.run();
    for _ in 0..3 {
        harness.get_by_label("Scan").type_text("6901");
        harness.key_press(egui::Key::Enter);
        settle(&mut harness);
    }
    // A typed quantity sets the count; an unknown code is said, not counted.
    harness.get_by_label("Scan").type_text("TEA=4");
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    harness.get_by_label("Scan").type_text("NOPE");
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    let (text, ok) = harness
        .state()
        .tabs
        .inventory
        .scan_result
        .clone()
        .expect("said");
    assert!(!ok && text.contains("NOPE"), "{text}");
    let count = harness.state().tabs.inventory.count.clone().expect("count");
    let counted: Vec<(String, Option<i64>)> = count
        .lines
        .iter()
        .map(|l| (l.code.clone(), l.counted))
        .collect();
    assert_eq!(
        counted,
        vec![("CUP".to_owned(), Some(3)), ("TEA".to_owned(), Some(4))]
    );
    // Differences with their value: -7 cups at 2.50, +4 tea at 30.00.
    assert_eq!(count.units, -3);
    assert_eq!(count.value_cents, -7 * 250 + 4 * 3000);

    harness.get_by_label("Post differences").click();
    settle(&mut harness);
    harness.get_by_label("Yes").click();
    settle(&mut harness);
    assert_eq!(on_hand(&db, "CUP"), 3);
    assert_eq!(on_hand(&db, "TEA"), 4);
    assert_eq!(
        harness
            .state()
            .tabs
            .inventory
            .count
            .as_ref()
            .map(|c| c.row.status.code()),
        Some("posted")
    );
    assert!(
        Store::open(&db)
            .expect("store")
            .check()
            .expect("check")
            .is_empty()
    );
}

#[test]
fn receive_a_purchase_in_part_then_in_full() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    let mut store = shop(&db);
    let id = store
        .create_purchase(
            &NewPurchase {
                supplier: "义乌杯厂".to_owned(),
                expected_date: Some("2026-12-01".to_owned()),
                note: String::new(),
                lines: vec![
                    NewPurchaseLine {
                        code: "CUP".to_owned(),
                        quantity: 5,
                        unit_cost_cents: 250,
                    },
                    NewPurchaseLine {
                        code: "TEA".to_owned(),
                        quantity: 3,
                        unit_cost_cents: 3000,
                    },
                ],
            },
            "owner",
        )
        .expect("purchase");
    drop(store);
    let mut harness = harness(&db);
    open_inventory(&mut harness, "Purchases");
    assert_eq!(
        harness
            .state()
            .tabs
            .inventory
            .purchases
            .as_ref()
            .map(Vec::len),
        Some(1)
    );

    // Two cups arrive first.
    harness.get_by_label(&format!("Receive {id}")).click();
    settle(&mut harness);
    let cups = harness.get_by_role_and_label(Role::TextInput, "CUP");
    cups.click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "CUP")
        .type_text("2");
    let tea = harness.get_by_role_and_label(Role::TextInput, "TEA");
    tea.click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "TEA")
        .type_text("0");
    harness.run();
    harness.get_by_label("Receive these units").click();
    settle(&mut harness);
    assert_eq!(on_hand(&db, "CUP"), 12);
    assert_eq!(on_hand(&db, "TEA"), 0);

    // Then the rest.
    harness.get_by_label(&format!("Receive all {id}")).click();
    settle(&mut harness);
    assert_eq!(on_hand(&db, "CUP"), 15);
    assert_eq!(on_hand(&db, "TEA"), 3);
    let store = Store::open(&db).expect("store");
    assert_eq!(
        store.purchase(id).expect("purchase").status.code(),
        "received"
    );
    let rows = store.stock_report().expect("report");
    assert!(rows.iter().all(|r| r.in_transit == 0));
}

#[test]
fn find_by_barcode_adjust_and_read_the_ledger() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db));
    let mut harness = harness(&db);
    open_inventory(&mut harness, "Products");
    assert_eq!(harness.state().tabs.inventory.total, 2);
    let search = harness.get_by_label("Search products");
    search.click();
    search.type_text("6901");
    settle(&mut harness);
    assert_eq!(harness.state().tabs.inventory.total, 1);
    harness.get_by_label("CUP").click();
    settle(&mut harness);
    assert!(harness.state().tabs.inventory.ledger.is_some());

    harness.get_by_label("Adjust stock").click();
    settle(&mut harness);
    // The reason is "found" until chosen otherwise: two cups turned up.
    let units = harness.get_by_label("Units");
    units.click();
    units.type_text("2");
    harness.run();
    harness.get_by_label("Save").click();
    settle(&mut harness);
    assert_eq!(on_hand(&db, "CUP"), 12);
    let ledger = harness
        .state()
        .tabs
        .inventory
        .ledger
        .clone()
        .expect("ledger reloaded");
    assert_eq!(ledger.rows[0].quantity, 2);
    assert_eq!(ledger.rows[0].note, "found");
    assert_eq!(
        ledger
            .rows
            .iter()
            .map(|r| r.on_hand_after)
            .collect::<Vec<_>>(),
        vec![12, 10]
    );
}

#[test]
fn create_a_bundle_in_the_product_dialog() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db));
    let mut harness = harness(&db);
    open_inventory(&mut harness, "Products");
    harness.get_by_label("New product").click();
    settle(&mut harness);
    let fields = harness.get_all_by_role_and_label(Role::TextInput, "Code");
    let code = fields.into_iter().next().expect("code field");
    code.click();
    code.type_text("GIFT");
    harness.get_by_label("Add component").click();
    harness.run();
    let component = harness
        .get_all_by_role_and_label(Role::TextInput, "Code")
        .nth(1)
        .expect("component code");
    component.click();
    component.type_text("CUP");
    harness.run();
    harness.get_by_label("Save").click();
    settle(&mut harness);
    let rows = Store::open(&db)
        .expect("store")
        .stock_report()
        .expect("report");
    let gift = rows.iter().find(|r| r.code == "GIFT").expect("created");
    assert!(gift.is_bundle);
    assert_eq!(gift.on_hand, 10, "one cup per gift, ten cups");
}

#[test]
fn import_products_with_a_preview_then_export_them() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut harness = harness(&db);
    open_inventory(&mut harness, "Products");
    harness.get_by_label("Import / export CSV").click();
    harness.run();

    // A broken file: the errors with their lines, and nothing to import.
    let file = harness.get_by_label("Product CSV");
    file.click();
    file.type_text(&fixtures.join("products_broken.csv").to_string_lossy());
    harness.run();
    harness.get_by_label("Preview").click();
    wait_for_job(&mut harness);
    let preview = harness
        .state()
        .tabs
        .inventory
        .preview
        .as_ref()
        .expect("a preview");
    let lines: Vec<u64> = preview.parsed.rejected.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 4]);
    assert!(harness.query_by_label("Import products").is_none());

    // The good file: a preview that writes nothing, then the import.
    let file = harness.get_by_label("Product CSV");
    file.click();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Product CSV")
        .type_text(&fixtures.join("products.csv").to_string_lossy());
    harness.run();
    harness.get_by_label("Preview").click();
    wait_for_job(&mut harness);
    let preview = harness
        .state()
        .tabs
        .inventory
        .preview
        .as_ref()
        .expect("a preview");
    assert_eq!((preview.summary.created, preview.summary.updated), (5, 0));
    assert_eq!(
        Store::open(&db).expect("store").counts().expect("counts").0,
        2
    );
    harness.get_by_label("Import products").click();
    wait_for_job(&mut harness);
    assert_eq!(
        Store::open(&db).expect("store").counts().expect("counts").0,
        7
    );
    assert_eq!(
        harness.state().tabs.inventory.total,
        7,
        "the table reloaded"
    );

    let out = dir.path().join("export.csv");
    let field = harness.get_by_label("Export to");
    field.click();
    field.type_text(&out.to_string_lossy());
    harness.run();
    harness.get_by_label("Export products").click();
    settle(&mut harness);
    let text = std::fs::read_to_string(&out).expect("exported");
    assert!(text.contains("GIFT-SET") && text.contains("CUP-W*2;SAUCER*2;TEA-GREEN*1"));
}

#[test]
fn every_inventory_view_speaks_chinese() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    let mut store = shop(&db);
    let mut settings = store.settings().expect("settings");
    settings.language = shopdesk::store::Language::Chinese;
    store.save_settings(&settings).expect("save");
    store
        .create_purchase(
            &NewPurchase {
                supplier: "义乌杯厂".to_owned(),
                expected_date: None,
                note: "春节前到".to_owned(),
                lines: vec![NewPurchaseLine {
                    code: "CUP".to_owned(),
                    quantity: 5,
                    unit_cost_cents: 250,
                }],
            },
            "owner",
        )
        .expect("purchase");
    store.start_count("", "", "owner").expect("count");
    drop(store);
    // The harness panics on any glyph the fonts lack: every view is drawn once.
    let mut harness = harness(&db);
    harness.get_by_label("库存").click();
    settle(&mut harness);
    harness.get_by_label("CUP").click();
    settle(&mut harness);
    harness.get_by_label("库存流水");
    harness.get_by_label("调整库存").click();
    settle(&mut harness);
    harness.get_by_label("取消").click();
    settle(&mut harness);
    harness.get_by_label("导入 / 导出 CSV").click();
    settle(&mut harness);
    harness.get_by_label("采购").click();
    settle(&mut harness);
    harness.get_by_label("收货 1").click();
    settle(&mut harness);
    harness.get_by_label("确认收货");
    harness.get_by_label("取消").click();
    settle(&mut harness);
    harness.get_by_label("盘点").click();
    settle(&mut harness);
    harness.get_by_label("过账差异");
    harness.get_by_label("扫描");
}

#[test]
fn type_a_counted_quantity_into_the_count_table() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db));
    let mut harness = harness(&db);
    open_inventory(&mut harness, "Stock count");
    harness.get_by_label("Start count").click();
    settle(&mut harness);
    // Lines in bin order: the cup first, both still uncounted.
    harness
        .get_all_by_label("–")
        .next()
        .expect("an uncounted line")
        .click();
    settle(&mut harness);
    let field = harness.get_by_role_and_label(Role::TextInput, "CUP");
    field.type_text("7");
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    let count = harness.state().tabs.inventory.count.clone().expect("count");
    assert_eq!(count.lines[0].counted, Some(7));
    assert_eq!(count.lines[1].counted, None);
    assert_eq!(count.units, -3);
    assert!(harness.state().tabs.inventory.count_edit.is_none());
}

#[test]
fn a_scan_error_does_not_carry_over_into_the_next_count() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db));
    let mut harness = harness(&db);
    open_inventory(&mut harness, "Stock count");
    harness.get_by_label("Start count").click();
    settle(&mut harness);
    harness.get_by_label("Scan").click();
    harness.run();
    harness.get_by_label("Scan").type_text("NOPE");
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    assert!(harness.state().tabs.inventory.scan_result.is_some());

    // Cancelling the count forgets what was said about its scans.
    harness.get_by_label("Cancel count").click();
    settle(&mut harness);
    harness.get_by_label("Yes").click();
    settle(&mut harness);
    assert_eq!(harness.state().tabs.inventory.scan_result, None);
    harness.get_by_label("Back to counts").click();
    settle(&mut harness);

    // The next count opens with nothing said yet.
    harness.get_by_label("Start count").click();
    settle(&mut harness);
    let count = harness.state().tabs.inventory.count.clone().expect("count");
    assert_eq!(count.row.id, 2);
    assert_eq!(harness.state().tabs.inventory.scan_result, None);
    assert!(
        harness.query_by_label_contains("NOPE").is_none(),
        "the last count's error is not shown"
    );
}

#[test]
fn two_scans_with_a_notice_disappearing_in_between_are_both_counted() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db));
    let mut harness = harness(&db);
    open_inventory(&mut harness, "Stock count");
    harness.get_by_label("Start count").click();
    settle(&mut harness);
    assert!(
        harness.query_by_label_contains("Count 1: open").is_some(),
        "the count's notice shows"
    );

    // The scanner types into whatever has the focus; nobody clicks the field first.
    harness.event(egui::Event::Text("6901".to_owned()));
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    // The notice fades out, as it does after a few seconds.
    for notice in &mut harness.state_mut().notices.0 {
        notice.shown_at -= std::time::Duration::from_secs(60);
    }
    settle(&mut harness);
    assert!(harness.query_by_label_contains("Count 1: open").is_none());
    harness.event(egui::Event::Text("6901".to_owned()));
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);

    let count = harness.state().tabs.inventory.count.clone().expect("count");
    assert_eq!(count.lines[0].code, "CUP");
    assert_eq!(count.lines[0].counted, Some(2), "both scans are counted");
}
