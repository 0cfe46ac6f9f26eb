//! The Orders tab through a working day, headlessly (egui_kittest): matching an unmatched
//! SKU from the order detail and from the import preview, the event log and refusals in
//! Chinese, and the tab on a 1024×600 screen.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{harness, harness_with, settle, wait_for_job};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use shopdesk::store::{Language, OrderQuery, Store};
use shopdesk::ui::ShopDeskApp;

/// A shop with the product CUP and pending orders: `ok` on CUP, `unmatched` on a SKU no
/// product has.
fn shop(dir: &Path, ok: &[&str], unmatched: &[&str]) -> PathBuf {
    let db = dir.join("shop.db");
    let mut store = Store::open(&db).expect("store");
    store
        .upsert_products(&[common::product("CUP", "A-1", Vec::new())])
        .expect("products");
    let mut orders: Vec<_> = ok
        .iter()
        .map(|no| common::order(no, &[("CUP", 1)], false))
        .collect();
    orders.extend(
        unmatched
            .iter()
            .map(|no| common::order(no, &[("NOPE-SKU", 2)], false)),
    );
    store
        .insert_orders(&orders, "test", "owner")
        .expect("insert");
    db
}

fn find_and_select(harness: &mut Harness<'_, ShopDeskApp>, order_no: &str) {
    let search = harness.get_by_label("Search");
    search.click();
    search.type_text(order_no);
    settle(harness);
    assert_eq!(harness.state().tabs.orders.total, Some(1));
    harness.get_by_label(order_no).click();
    settle(harness);
}

/// The product codes of an order's lines (None: unmatched).
fn line_products(db: &Path, order_no: &str) -> Vec<Option<String>> {
    let store = Store::open(db).expect("store");
    let row = store
        .query_orders(&OrderQuery {
            search: order_no.to_owned(),
            ..OrderQuery::default()
        })
        .expect("query")
        .into_iter()
        .find(|r| r.order_no == order_no)
        .expect("order");
    store
        .order_detail(row.id)
        .expect("detail")
        .lines
        .into_iter()
        .map(|l| l.product_code)
        .collect()
}

/// Selects all of the focused field's text and types `text` over it.
fn replace_text(harness: &mut Harness<'_, ShopDeskApp>, text: &str) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.key_press(egui::Key::Backspace);
    harness.run();
    harness
        .get_by_label("Product (code, name or scan)")
        .type_text(text);
}

#[test]
fn an_unmatched_sku_is_matched_from_the_order_detail_on_every_order_that_has_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path(), &["9001"], &["9002", "9003"]);
    let mut harness = harness(&db);
    find_and_select(&mut harness, "9002");
    // The review says why it waits, and the line offers its match.
    harness.get_by_label_contains("is not matched to a product");
    harness.get_by_label("Match…").click();
    settle(&mut harness);
    assert!(harness.state().tabs.orders.matching.is_some());
    // A scan of the product's code lands in the empty search field: Enter takes the one
    // product found.
    harness
        .get_by_label("Product (code, name or scan)")
        .type_text("CUP");
    settle(&mut harness);
    harness.get_by_label_contains("CUP · 商品 CUP");
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    assert!(harness.state().tabs.orders.matching.is_none(), "closed");
    // Both orders with that SKU are matched, in one action, and the notice says so.
    assert_eq!(line_products(&db, "9002"), vec![Some("CUP".to_owned())]);
    assert_eq!(line_products(&db, "9003"), vec![Some("CUP".to_owned())]);
    assert!(
        harness
            .state()
            .notices
            .iter()
            .any(|n| n.text.contains("2 lines matched")),
        "{:?}",
        harness.state().notices
    );
    // The detail comes back without the line's problem, and the order can be reviewed.
    assert!(
        harness
            .query_all_by_label_contains("is not matched to a product")
            .next()
            .is_none()
    );
    harness.get_by_label("Review").click();
    settle(&mut harness);
    let store = Store::open(&db).expect("store");
    let approved = store
        .query_orders(&OrderQuery {
            state: Some(shopdesk::domain::OrderState::Approved),
            ..OrderQuery::default()
        })
        .expect("query");
    assert_eq!(approved.len(), 1, "{:?}", harness.state().notices);
}

#[test]
fn escape_closes_the_match_dialog_without_matching() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path(), &[], &["9002"]);
    let mut harness = harness(&db);
    find_and_select(&mut harness, "9002");
    harness.get_by_label("Match…").click();
    settle(&mut harness);
    replace_text(&mut harness, "CUP");
    settle(&mut harness);
    harness.key_press(egui::Key::Escape);
    settle(&mut harness);
    assert!(harness.state().tabs.orders.matching.is_none());
    assert_eq!(line_products(&db, "9002"), vec![None]);
}

#[test]
fn an_unmatched_sku_is_matched_in_the_import_preview_and_applied_with_the_import() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    {
        let mut store = Store::open(&db).expect("store");
        store
            .upsert_products(&[common::product("CUP", "A-1", Vec::new())])
            .expect("products");
    }
    let mut harness = harness(&db);
    harness.get_by_label("Import orders").click();
    settle(&mut harness);
    let orders = harness.get_by_label("Order report (ExportOrderList)");
    orders.click();
    orders.type_text(&fixtures.join("taobao_orders_gbk.csv").to_string_lossy());
    let items = harness.get_by_label("Item report (ExportOrderDetailList)");
    items.click();
    items.type_text(&fixtures.join("taobao_items_gbk.csv").to_string_lossy());
    harness.run();
    harness.get_by_label("Preview").click();
    wait_for_job(&mut harness);
    let unmatched = {
        let preview = harness.state().tabs.orders.import.preview.as_ref();
        preview.expect("a preview").summary.unmatched[0].clone()
    };
    harness
        .query_all_by_label("Match…")
        .next()
        .expect("a Match button per unmatched SKU")
        .click();
    settle(&mut harness);
    replace_text(&mut harness, "CUP");
    settle(&mut harness);
    harness.get_by_label("CUP · 商品 CUP").click();
    harness.run();
    harness.get_by_label("Match to CUP").click();
    settle(&mut harness);
    harness.get_by_label_contains("→ CUP (matched after the import)");
    // Nothing is written before the import.
    assert_eq!(
        Store::open(&db).expect("store").counts().expect("counts").1,
        0
    );
    harness.get_by_label_contains("Import (").click();
    wait_for_job(&mut harness);
    let store = Store::open(&db).expect("store");
    let left = store.unmatched_skus().expect("unmatched");
    assert!(
        !left
            .iter()
            .any(|u| u.sku == unmatched.sku && u.title == unmatched.title),
        "{} is matched: {left:?}",
        unmatched.sku
    );
    assert!(store.counts().expect("counts").1 > 0);
}

/// An order merged into another, flagged, reviewed and refused: its log and the refusal in
/// Chinese, with no English word but the data.
#[test]
fn the_event_log_and_a_refusal_read_in_chinese() {
    use shopdesk::app::orders::{OrderAction, Request as OrdersRequest};
    use shopdesk::domain::{Event, Flag};
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path(), &["9001"], &[]);
    {
        let mut store = Store::open(&db).expect("store");
        let id = store.find_order("9001").expect("order");
        store
            .set_flag(id, Flag::Yellow, None, "owner")
            .expect("flag");
        store.apply_event(id, Event::Hold, "owner").expect("hold");
    }
    let mut harness = harness_with(&db, egui::vec2(1280.0, 800.0), |app| {
        let mut settings = app.settings.clone();
        settings.language = Language::Chinese;
        app.backend
            .send(shopdesk::app::settings::Request::Save(Box::new(settings)));
    });
    settle(&mut harness);
    find_and_select_zh(&mut harness, "9001");
    harness.get_by_label_contains("→ 黄旗");
    harness.get_by_label_contains("订单 9001 已挂起：请先取消挂起");
    // Reviewing a held order is refused, in words.
    let id = harness.state().tabs.orders.loaded_rows()[0].id;
    harness
        .state_mut()
        .backend
        .send(OrdersRequest::Act(OrderAction::Review { ids: vec![id] }));
    settle(&mut harness);
    let notice = harness
        .state()
        .notices
        .iter()
        .map(|n| n.text.clone())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(notice.contains("9001"), "{notice}");
    assert!(
        !notice
            .replace("9001", "")
            .replace("CUP", "")
            .chars()
            .any(|c| c.is_ascii_alphabetic()),
        "{notice}"
    );
}

/// The flag colours in Settings are named in the chosen language, not by their codes.
#[test]
fn settings_name_the_flag_colours_in_chinese() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path(), &["9001"], &[]);
    {
        let mut store = Store::open(&db).expect("store");
        let mut settings = store.settings().expect("settings");
        settings.language = Language::Chinese;
        store.save_settings(&settings).expect("save");
    }
    let mut harness = harness(&db);
    harness.get_by_label("设置").click();
    settle(&mut harness);
    for name in ["红旗", "黄旗", "绿旗", "蓝旗", "紫旗"] {
        harness.get_by_label(name);
    }
    assert!(harness.query_all_by_label("yellow").next().is_none());
}

fn find_and_select_zh(harness: &mut Harness<'_, ShopDeskApp>, order_no: &str) {
    let search = harness.get_by_label("搜索");
    search.click();
    search.type_text(order_no);
    settle(harness);
    harness.get_by_label(order_no).click();
    settle(harness);
}

/// At 1024×600 with the detail open: the list keeps its order number and state, the lines
/// show quantity and price, and the event log can be scrolled to.
#[test]
fn the_orders_tab_is_usable_at_1024_by_600() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path(), &["9001", "9002"], &[]);
    let mut harness = harness_with(&db, egui::vec2(1024.0, 600.0), |_| {});
    find_and_select(&mut harness, "9001");
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1024.0, 600.0));
    for label in ["Qty", "Price", "Order no.", "Payment", "City"] {
        let rect = harness.get_by_label(label).rect();
        assert!(screen.contains_rect(rect), "{label} at {rect:?}");
    }
    // What is cut on a narrow panel is the title and the attributes, never what ships and
    // what it costs: quantity and price come right after the code.
    let title = harness.get_by_label("Title").rect();
    for label in ["Qty", "Price"] {
        let rect = harness.get_by_label(label).rect();
        assert!(
            rect.max.x <= title.min.x,
            "{label} at {rect:?}, title at {title:?}"
        );
    }
    // The detail panel starts at under a third of the width, the list keeps the rest.
    let detail_x = harness.get_by_label("Event log").rect().min.x;
    assert!(detail_x > 1024.0 * 0.65, "the detail starts at {detail_x}");
    let detail = harness.state().tabs.orders.detail.is_some();
    assert!(detail, "the detail is open");
    // The event log is in the detail's scroll area: reachable by scrolling, not cut off.
    harness.get_by_label("Event log");
}

/// The Waybills tab counts read naturally: one printable order, not "1 printable orders".
#[test]
fn the_waybills_tab_counts_read_naturally() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path(), &["9001"], &[]);
    {
        let mut store = Store::open(&db).expect("store");
        store
            .adjust_stock("CUP", 5, "opening", "owner")
            .expect("stock");
        let id = store.find_order("9001").expect("order");
        let reviewed = store.review_orders(&[id], "owner").expect("review");
        assert!(reviewed[0].approved, "{reviewed:?}");
    }
    let mut harness = harness(&db);
    harness.get_by_label("Waybills").click();
    settle(&mut harness);
    harness.get_by_label_contains("1 printable order · 0 chosen");
    assert!(
        harness
            .query_all_by_label_contains("1 printable orders")
            .next()
            .is_none()
    );
}

/// With several products found, the one clicked and confirmed is the one matched.
#[test]
fn the_product_clicked_is_the_product_matched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path(), &[], &["9002"]);
    {
        let mut store = Store::open(&db).expect("store");
        let products: Vec<_> = (1..=12)
            .map(|i| common::product(&format!("CUP-{i:02}"), "A-1", Vec::new()))
            .collect();
        store.upsert_products(&products).expect("products");
    }
    let mut harness = harness_with(&db, egui::vec2(1024.0, 600.0), |_| {});
    find_and_select(&mut harness, "9002");
    harness.get_by_label("Match…").click();
    settle(&mut harness);
    replace_text(&mut harness, "CUP-");
    settle(&mut harness);
    let rows: Vec<String> = harness
        .state()
        .tabs
        .orders
        .matching
        .as_ref()
        .expect("open")
        .products
        .iter()
        .map(|p| p.code.clone())
        .collect();
    assert!(rows.len() >= 6, "{rows:?}");
    // The sixth product, clicked with the pointer at its place on screen, then confirmed
    // by the button that names it.
    let at = harness
        .get_by_label_contains(&format!("{} · ", rows[5]))
        .rect()
        .center();
    harness.hover_at(at);
    harness.run();
    harness.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run();
    harness.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    settle(&mut harness);
    assert_eq!(
        line_products(&db, "9002"),
        vec![None],
        "nothing before the confirmation"
    );
    harness
        .get_by_label(&format!("Match to {}", rows[5]))
        .click();
    settle(&mut harness);
    assert_eq!(
        line_products(&db, "9002"),
        vec![Some(rows[5].clone())],
        "clicked {} of {rows:?}",
        rows[5]
    );
}

/// The platform filter offers the marketplaces the shop's orders come from, by name in the
/// window's language, and lists only that marketplace's orders.
#[test]
fn the_platform_filter_lists_one_marketplace() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    {
        let mut store = Store::open(&db).expect("store");
        let mut jd = common::order("300001", &[("CUP", 1)], false);
        jd.platform = "jd".to_owned();
        store
            .insert_orders(
                &[common::order("1001", &[("CUP", 1)], false), jd],
                "test",
                "owner",
            )
            .expect("insert");
    }
    let mut harness = harness(&db);
    settle(&mut harness);
    assert_eq!(harness.state().tabs.orders.total, Some(2));
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Platform")
        .click();
    settle(&mut harness);
    assert!(
        harness
            .query_by_role_and_label(egui::accesskit::Role::Button, "Taobao")
            .is_some()
    );
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "JD")
        .click();
    settle(&mut harness);
    let orders = &harness.state().tabs.orders;
    assert_eq!(orders.total, Some(1));
    let listed: Vec<&str> = orders
        .loaded_rows()
        .iter()
        .map(|r| r.platform.as_str())
        .collect();
    assert_eq!(listed, ["jd"]);
}
