//! The window, driven headlessly with egui_kittest on a temporary database: no GPU needed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{harness, settle, wait_for_job};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use shopdesk::store::{Language, Store};
use shopdesk::ui::{ShopDeskApp, Tab};

#[test]
fn first_run_loads_the_sample_shop_and_every_tab_opens() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let mut harness = harness(&db);
    // An empty shop says what to do next.
    harness.get_by_label("Welcome to ShopDesk");
    harness.get_by_label("Load the sample shop").click();
    for _ in 0..10 {
        harness.step();
        if harness.state().job.is_some() {
            break;
        }
    }
    assert!(harness.state().job.is_some(), "the click starts the job");
    wait_for_job(&mut harness);
    let overview = harness.state().overview.clone().expect("counts arrived");
    assert_eq!(
        overview.orders,
        shopdesk::ui::SAMPLE_ORDERS as i64,
        "{:?}",
        harness.state().notices
    );
    assert!(overview.products > 150);

    // The orders list shows real rows, fetched a page at a time.
    assert_eq!(harness.state().prefs.tab, Tab::Orders);
    settle(&mut harness);
    assert!(harness.state().tabs.orders.total.unwrap_or(0) > 1000);
    let first = harness.state().tabs.orders.loaded_rows()[0]
        .order_no
        .clone();
    harness.get_by_label(&first);

    for (label, tab) in [
        ("Manual order", Tab::ManualOrder),
        ("Inventory", Tab::Inventory),
        ("Pick lists", Tab::PickLists),
        ("Waybills", Tab::Waybills),
        ("Settings", Tab::Settings),
        ("Orders", Tab::Orders),
    ] {
        harness.get_by_label(label).click();
        settle(&mut harness);
        assert_eq!(harness.state().prefs.tab, tab, "{label}");
    }
    harness.get_by_label("Inventory").click();
    settle(&mut harness);
    assert!(
        harness
            .state()
            .tabs
            .inventory
            .rows
            .as_ref()
            .is_some_and(|r| r.len() > 150)
    );
}

#[test]
fn search_narrows_the_order_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    {
        let mut store = Store::open(&db).expect("store");
        let now = chrono::Local::now().fixed_offset();
        store.load_demo(600, 5, now, &mut |_| true).expect("demo");
    }
    let mut harness = harness(&db);
    let all = harness.state().tabs.orders.total.expect("total");
    let target = harness.state().tabs.orders.loaded_rows()[3].clone();
    let search = harness.get_by_label("Search");
    search.click();
    search.type_text(&target.order_no);
    settle(&mut harness);
    assert_eq!(harness.state().tabs.orders.total, Some(1), "was {all}");
    assert_eq!(harness.state().tabs.orders.loaded_rows()[0].id, target.id);
}

#[test]
fn settings_save_and_switch_to_chinese() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let mut harness = harness(&db);
    harness.get_by_label("Settings").click();
    settle(&mut harness);
    let shop = harness.get_by_label("Shop name");
    shop.click();
    shop.type_text("小熊杂货铺");
    harness.run();
    harness.get_by_label("简体中文").click();
    harness.run();
    harness.get_by_label("Save settings").click();
    settle(&mut harness);
    assert_eq!(harness.state().settings.language, Language::Chinese);
    // The window now speaks Chinese, with the font that draws it.
    harness.get_by_label("订单处理");
    harness.get_by_label("保存设置");
    drop(harness);
    let saved = Store::open(&db)
        .expect("store")
        .settings()
        .expect("settings");
    assert_eq!(saved.shop_name, "小熊杂货铺");
    assert_eq!(saved.language, Language::Chinese);
}

#[test]
fn a_file_that_is_not_shopdesk_is_reported_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("notes.db");
    std::fs::write(
        &db,
        "not a database, just some notes that happen to end in .db",
    )
    .expect("write");
    let harness = harness(&db);
    // Said once, on the screen of a file that cannot be opened (not again in a notice).
    assert!(harness.state().recovery.is_some());
    assert_eq!(
        harness
            .query_all_by_label_contains("not a ShopDesk database")
            .count(),
        1
    );
    assert!(harness.state().notices.iter().next().is_none());
}

#[test]
fn import_screen_previews_then_imports_taobao_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut harness = harness(&db);
    harness.get_by_label("Import orders").click();
    settle(&mut harness);
    assert!(harness.state().tabs.orders.import.open);
    let orders = harness.get_by_label("Order report (ExportOrderList)");
    orders.click();
    orders.type_text(&fixtures.join("taobao_orders_gbk.csv").to_string_lossy());
    let items = harness.get_by_label("Item report (ExportOrderDetailList)");
    items.click();
    items.type_text(&fixtures.join("taobao_items_gbk.csv").to_string_lossy());
    harness.run();
    harness.get_by_label("Preview").click();
    for _ in 0..10 {
        harness.step();
        if harness.state().job.is_some() {
            break;
        }
    }
    wait_for_job(&mut harness);
    let preview = harness
        .state()
        .tabs
        .orders
        .import
        .preview
        .as_ref()
        .expect("a preview");
    assert_eq!(preview.summary.new, 7, "{:?}", harness.state().notices);
    // The preview wrote nothing.
    assert_eq!(
        Store::open(&db).expect("store").counts().expect("counts").1,
        0
    );
    harness.get_by_label("Import (7)").click();
    for _ in 0..10 {
        harness.step();
        if harness.state().job.is_some() {
            break;
        }
    }
    wait_for_job(&mut harness);
    assert!(
        !harness.state().tabs.orders.import.open,
        "the screen closes after importing"
    );
    assert_eq!(harness.state().overview.as_ref().map(|o| o.orders), Some(7));
}

/// The import preview in Chinese: a spreadsheet is said to be read as one (not as an
/// encoding), and a file with only its header line is refused as holding no orders, as on
/// the command line.
#[test]
fn import_preview_says_a_spreadsheet_and_refuses_a_file_without_orders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    {
        let mut store = Store::open(&db).expect("store");
        let mut settings = store.settings().expect("settings");
        settings.language = Language::Chinese;
        store.save_settings(&settings).expect("save");
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let empty = dir.path().join("shopify_empty.csv");
    let shopify = std::fs::read_to_string(fixtures.join("shopify_orders.csv")).expect("csv");
    let header = shopify.lines().next().expect("header line");
    std::fs::write(&empty, format!("{header}\n")).expect("write");
    let mut harness = harness(&db);
    let preview = |harness: &mut Harness<'_, ShopDeskApp>, format, file: &Path| {
        let import = &mut harness.state_mut().tabs.orders.import;
        import.open = true;
        import.format = format;
        import.paths[0] = file.display().to_string();
        import.preview = None;
        settle(harness);
        harness.get_by_label("预览").click();
        wait_for_job(harness);
        settle(harness);
    };
    use shopdesk::app::import::ImportFormat;
    preview(
        &mut harness,
        ImportFormat::Jd,
        &fixtures.join("jd_orders.xls"),
    );
    assert!(
        harness.state().tabs.orders.import.preview.is_some(),
        "{:?}",
        harness.state().notices
    );
    assert!(harness.query_by_label("识别为: 电子表格（.xls）").is_some());

    preview(&mut harness, ImportFormat::Shopify, &empty);
    assert!(harness.state().tabs.orders.import.preview.is_none());
    let said = format!(
        "{} 中没有订单：只有表头行，下面没有任何行，没有可导入的内容",
        empty.display()
    );
    assert!(
        harness
            .state()
            .notices
            .iter()
            .any(|n| n.is_error && n.text.contains(&said)),
        "{:?}",
        harness.state().notices
    );
}

fn demo_db(dir: &Path, orders: u64) -> std::path::PathBuf {
    let db = dir.join("shop.db");
    let mut store = Store::open(&db).expect("store");
    let now = chrono::Local::now().fixed_offset();
    store
        .load_demo(orders, 5, now, &mut |_| true)
        .expect("demo");
    db
}

/// The first order in a state (not on hold), straight from the store.
fn order_in(db: &Path, state: shopdesk::domain::OrderState) -> shopdesk::store::OrderRow {
    let store = Store::open(db).expect("store");
    let rows = store
        .query_orders(&shopdesk::store::OrderQuery {
            state: Some(state),
            ..Default::default()
        })
        .expect("query");
    rows.into_iter()
        .find(|r| !r.on_hold)
        .expect("an order in that state")
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

#[test]
fn search_select_review_flag_and_see_it_in_the_list() {
    use shopdesk::domain::{Flag, OrderState};
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_db(dir.path(), 600);
    let target = order_in(&db, OrderState::PendingReview);
    let mut harness = harness(&db);
    find_and_select(&mut harness, &target.order_no);
    assert!(harness.state().tabs.orders.selected.contains(&target.id));
    // The detail panel shows the selected order.
    assert_eq!(
        harness
            .state()
            .tabs
            .orders
            .detail
            .as_ref()
            .map(|d| d.row.id),
        Some(target.id)
    );
    harness.get_by_label("Review").click();
    settle(&mut harness);
    let row = harness.state().tabs.orders.loaded_rows()[0].clone();
    assert_eq!(
        row.state,
        OrderState::Approved,
        "{:?}",
        harness.state().notices
    );

    harness.get_by_label("Flag / remark").click();
    harness.run();
    let remark = harness.get_by_label("New remark (optional)");
    remark.click();
    remark.type_text("缺货，等补货");
    harness.run();
    harness.get_by_label("Yellow").click();
    settle(&mut harness);
    let row = harness.state().tabs.orders.loaded_rows()[0].clone();
    assert_eq!(row.flag, Flag::Yellow);
    assert_eq!(row.seller_remark, "缺货，等补货");
}

#[test]
fn an_archived_order_refuses_a_flag_from_the_window() {
    use shopdesk::domain::{Flag, OrderState};
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_db(dir.path(), 600);
    let target = order_in(&db, OrderState::Archived);
    let mut harness = harness(&db);
    find_and_select(&mut harness, &target.order_no);
    harness.get_by_label("Flag / remark").click();
    harness.run();
    harness.get_by_label("Red").click();
    settle(&mut harness);
    let refused = harness
        .state()
        .notices
        .iter()
        .any(|n| n.is_error && n.text.contains("archived"));
    assert!(refused, "{:?}", harness.state().notices);
    let row = harness.state().tabs.orders.loaded_rows()[0].clone();
    assert_eq!(row.flag, target.flag);
    assert_ne!(row.flag, Flag::Red);
}

#[test]
fn cancel_asks_once_before_it_acts() {
    use shopdesk::domain::OrderState;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_db(dir.path(), 600);
    let target = order_in(&db, OrderState::PendingReview);
    let mut harness = harness(&db);
    find_and_select(&mut harness, &target.order_no);
    harness.get_by_label("Cancel order…").click();
    settle(&mut harness);
    assert!(harness.state().tabs.orders.confirm.is_some());
    assert_eq!(
        harness.state().tabs.orders.loaded_rows()[0].state,
        OrderState::PendingReview
    );
    harness.get_by_label("Yes, do it").click();
    settle(&mut harness);
    assert_eq!(
        harness.state().tabs.orders.loaded_rows()[0].state,
        OrderState::Cancelled
    );
}

#[test]
fn edit_the_receiver_then_split_an_order() {
    use shopdesk::domain::OrderState;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_db(dir.path(), 1500);
    // A pending order with two or more lines.
    let target = {
        let store = Store::open(&db).expect("store");
        let rows = store
            .query_orders(&shopdesk::store::OrderQuery {
                state: Some(OrderState::PendingReview),
                ..Default::default()
            })
            .expect("query");
        rows.into_iter()
            .find(|r| !r.on_hold && store.order_detail(r.id).is_ok_and(|d| d.lines.len() >= 2))
            .expect("a pending order with two lines")
    };
    let mut harness = harness(&db);
    find_and_select(&mut harness, &target.order_no);
    harness.get_by_label("Edit receiver and address").click();
    settle(&mut harness);
    let name = harness.get_by_label("Receiver name");
    name.click();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Receiver name").type_text("欧阳娜娜");
    harness.run();
    harness.get_by_label("Save receiver").click();
    settle(&mut harness);
    assert_eq!(
        harness.state().tabs.orders.loaded_rows()[0].receiver_name,
        "欧阳娜娜",
        "{:?}",
        harness.state().notices
    );

    let detail = harness.state().tabs.orders.detail.clone().expect("detail");
    let first = detail.lines[0].clone();
    let code = first.product_code.clone().unwrap_or(first.sku.clone());
    harness
        .get_by_role_and_label(egui::accesskit::Role::CheckBox, &code)
        .click();
    harness.run();
    harness
        .get_by_label("Split the ticked lines into a new order")
        .click();
    settle(&mut harness);
    let store = Store::open(&db).expect("store");
    let new_id = store
        .find_order(&format!("{}-2", target.order_no))
        .expect("the split-off order exists");
    let split_off = store.order_detail(new_id).expect("detail");
    assert_eq!(split_off.lines.len(), 1);
    assert_eq!(split_off.lines[0].id, first.id);
    let rest = store.order_detail(target.id).expect("detail");
    assert_eq!(rest.lines.len(), detail.lines.len() - 1);
}

#[test]
fn a_column_header_sorts_and_a_second_click_reverses() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_db(dir.path(), 600);
    let mut harness = harness(&db);
    harness.get_by_label("Total").click();
    settle(&mut harness);
    let totals: Vec<i64> = harness
        .state()
        .tabs
        .orders
        .loaded_rows()
        .iter()
        .map(|r| r.total_cents)
        .collect();
    assert!(totals.len() > 10);
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "largest first");
    harness.get_by_label("Total ▼").click();
    settle(&mut harness);
    let totals: Vec<i64> = harness
        .state()
        .tabs
        .orders
        .loaded_rows()
        .iter()
        .map(|r| r.total_cents)
        .collect();
    assert!(totals.windows(2).all(|w| w[0] <= w[1]), "smallest first");
}

#[test]
fn m_goes_to_the_remark_and_enter_saves_it() {
    use shopdesk::domain::OrderState;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_db(dir.path(), 600);
    let target = {
        let store = Store::open(&db).expect("store");
        store
            .query_orders(&shopdesk::store::OrderQuery {
                state: Some(OrderState::Printed),
                ..Default::default()
            })
            .expect("query")
            .into_iter()
            .find(|r| r.seller_remark.is_empty() && !r.on_hold)
            .expect("a printed order without a remark")
    };
    let mut harness = harness(&db);
    find_and_select(&mut harness, &target.order_no);
    // The click on the row left the search box (an Escape now would close the detail).
    assert!(!harness.ctx.egui_wants_keyboard_input());
    harness.key_press(egui::Key::M);
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Seller remark")
        .type_text("顺丰加急");
    harness.run();
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    let row = harness.state().tabs.orders.loaded_rows()[0].clone();
    assert_eq!(
        row.seller_remark,
        "顺丰加急",
        "{:?}",
        harness.state().notices
    );
}

#[test]
fn settings_open_another_database_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = dir.path().join("first.db");
    let second = demo_db(dir.path(), 100);
    let mut harness = harness(&first);
    assert_eq!(harness.state().overview.as_ref().map(|o| o.orders), Some(0));
    harness.get_by_label("Settings").click();
    settle(&mut harness);
    // The database section is below the backups: scroll down to it as the owner would.
    harness.get_by_label("Open another file").scroll_to_me();
    harness.run();
    let field = harness.get_by_label("Open another file");
    field.click();
    field.type_text(&second.to_string_lossy());
    harness.run();
    harness.get_by_label("Open").click();
    settle(&mut harness);
    assert_eq!(harness.state().backend.path(), second.as_path());
    assert_eq!(
        harness.state().overview.as_ref().map(|o| o.orders),
        Some(100),
        "{:?}",
        harness.state().notices
    );
}

#[test]
fn the_selection_keeps_only_what_the_list_still_shows() {
    use shopdesk::domain::OrderState;
    use shopdesk::ui::orders::StateChoice;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let mut store = Store::open(&db).expect("store");
    store
        .upsert_products(&[common::product("CUP", "A-1", Vec::new())])
        .expect("products");
    let orders: Vec<_> = ["8001", "8002", "8003", "8004", "8005", "8006"]
        .iter()
        .map(|no| common::order(no, &[("CUP", 1)], false))
        .collect();
    store
        .insert_orders(&orders, "test", "owner")
        .expect("insert");
    drop(store);
    let mut harness = harness(&db);
    harness.state_mut().tabs.orders.state = StateChoice::State(OrderState::PendingReview);
    harness.state_mut().tabs.orders.invalidate();
    settle(&mut harness);
    let rows: Vec<_> = harness
        .state()
        .tabs
        .orders
        .loaded_rows()
        .iter()
        .map(|r| r.order_no.clone())
        .collect();
    assert_eq!(rows.len(), 6);
    // Five of the six selected and reviewed: they leave the list of orders to review.
    harness.get_by_label(&rows[0]).click();
    harness.run();
    harness
        .get_by_label(&rows[4])
        .click_modifiers(egui::Modifiers::SHIFT);
    settle(&mut harness);
    assert_eq!(harness.state().tabs.orders.selected.len(), 5);
    harness.get_by_label("5 selected");

    harness.get_by_label("Review").click();
    settle(&mut harness);
    let tab = &harness.state().tabs.orders;
    let listed: Vec<String> = tab
        .loaded_rows()
        .iter()
        .map(|r| r.order_no.clone())
        .collect();
    assert_eq!(
        listed,
        vec![rows[5].clone()],
        "{:?}",
        harness.state().notices
    );
    assert!(
        tab.selected.is_empty(),
        "orders no longer listed are no longer selected: {:?}",
        tab.selected
    );
    harness.get_by_label("0 selected");
}

/// A line whose SKU matches no product is named in words, in both languages, with glyphs
/// the bundled fonts have (the harness fails on any glyph no loaded font has).
#[test]
fn an_unmatched_line_and_the_marketplace_are_named_in_words_in_both_languages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_db(dir.path(), 300);
    {
        let mut store = Store::open(&db).expect("store");
        store
            .insert_orders(
                &[common::order("UNMATCHED-1", &[("NOPE-SKU", 1)], false)],
                "test",
                "owner",
            )
            .expect("order");
    }
    let mut harness = harness(&db);
    find_and_select(&mut harness, "UNMATCHED-1");
    // In the lines table and beside its Match… button.
    assert!(
        harness
            .query_all_by_label_contains("no product: NOPE-SKU")
            .next()
            .is_some()
    );
    let mut settings = harness.state().settings.clone();
    settings.language = shopdesk::store::Language::Chinese;
    harness
        .state_mut()
        .backend
        .send(shopdesk::app::settings::Request::Save(Box::new(settings)));
    settle(&mut harness);
    assert!(
        harness
            .query_all_by_label_contains("未匹配商品： NOPE-SKU")
            .next()
            .is_some()
    );
    // The marketplace is named in the chosen language too.
    assert!(
        harness.query_all_by_label("淘宝").count() > 0,
        "the order list names Taobao in Chinese"
    );
}

/// A shop with one product and pending orders: `ok` of them on it, and `unmatched` on a
/// SKU no product has, all from one buyer to one receiver.
fn pending_shop(dir: &Path, ok: &[&str], unmatched: &[&str]) -> std::path::PathBuf {
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
            .map(|no| common::order(no, &[("NOPE-SKU", 1)], false)),
    );
    for order in &mut orders {
        order.buyer_id = "buyer-1".to_owned();
    }
    store
        .insert_orders(&orders, "test", "owner")
        .expect("insert");
    db
}

#[test]
fn the_toolbar_opens_the_review_queue_and_the_merge_proposals() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = pending_shop(dir.path(), &["9001"], &["9002"]);
    let mut harness = harness(&db);
    harness.get_by_label("Review queue").click();
    settle(&mut harness);
    let queue = harness
        .state()
        .tabs
        .orders
        .queue
        .clone()
        .expect("the queue arrived");
    assert_eq!(queue.len(), 2, "both pending orders are queued");
    // Each order that cannot be approved is listed with what keeps it (the shop holds
    // no stock, and one SKU matches no product).
    harness.get_by_label("9002 欧阳娜娜");
    harness.get_by_label_contains("is not matched to a product");
    harness.get_by_label("9001 欧阳娜娜");
    harness.get_by_label_contains("not enough CUP");
    harness.get_by_label("0 / 2 ready to approve");

    // The same buyer's orders are proposed for a merge.
    harness.get_by_label("Merge proposals").click();
    settle(&mut harness);
    let proposals = harness
        .state()
        .tabs
        .orders
        .proposals
        .clone()
        .expect("the proposals arrived");
    assert_eq!(proposals.len(), 1, "{proposals:?}");
}

#[test]
fn page_keys_home_and_end_move_in_the_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_db(dir.path(), 600);
    let mut harness = harness(&db);
    let total = harness.state().tabs.orders.total.expect("counted") as usize;
    assert!(total > 400, "more than two pages: {total}");
    let selected_row = |harness: &Harness<'_, ShopDeskApp>| {
        let tab = &harness.state().tabs.orders;
        assert_eq!(tab.selected.len(), 1, "{:?}", tab.selected);
        tab.cursor.expect("a cursor")
    };

    // End goes to the last order, even before its page was fetched.
    harness.key_press(egui::Key::End);
    settle(&mut harness);
    assert_eq!(selected_row(&harness), total - 1);
    harness.key_press(egui::Key::Home);
    settle(&mut harness);
    assert_eq!(selected_row(&harness), 0);
    harness.key_press(egui::Key::PageDown);
    settle(&mut harness);
    let page = selected_row(&harness);
    assert!(page > 5, "a page is many rows: {page}");
    harness.key_press(egui::Key::PageDown);
    settle(&mut harness);
    assert_eq!(selected_row(&harness), 2 * page);
    harness.key_press(egui::Key::PageUp);
    settle(&mut harness);
    assert_eq!(selected_row(&harness), page);
    // The selected order is the one on that row.
    let tab = &harness.state().tabs.orders;
    let id = tab.loaded_rows()[page].id;
    assert!(tab.selected.contains(&id));
}

#[test]
fn escape_closes_the_newest_notice_then_the_detail_then_the_side_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = pending_shop(dir.path(), &["9001"], &["9002"]);
    let mut harness = harness(&db);
    harness.get_by_label("Review queue").click();
    settle(&mut harness);
    harness.get_by_label("9001").click();
    settle(&mut harness);
    assert!(harness.state().tabs.orders.detail.is_some());
    harness.state_mut().notices.info("first notice");
    harness.state_mut().notices.error("second notice");
    settle(&mut harness);
    harness.get_by_label("second notice");

    let notices = |harness: &Harness<'_, ShopDeskApp>| -> Vec<String> {
        harness
            .state()
            .notices
            .iter()
            .map(|n| n.text.clone())
            .collect()
    };
    // In a text field, Escape only leaves the field.
    harness.get_by_label("Search").click();
    settle(&mut harness);
    harness.key_press(egui::Key::Escape);
    settle(&mut harness);
    assert_eq!(notices(&harness).len(), 2);
    assert!(harness.state().tabs.orders.detail.is_some());

    harness.key_press(egui::Key::Escape);
    settle(&mut harness);
    assert_eq!(notices(&harness), vec!["first notice".to_owned()]);
    assert!(harness.state().tabs.orders.detail.is_some());
    harness.key_press(egui::Key::Escape);
    settle(&mut harness);
    assert!(notices(&harness).is_empty());

    // Then the detail closes; the order stays selected.
    harness.key_press(egui::Key::Escape);
    settle(&mut harness);
    let tab = &harness.state().tabs.orders;
    assert!(tab.detail.is_none());
    assert_eq!(tab.selected.len(), 1);
    assert_eq!(tab.side, shopdesk::ui::orders::SideList::ReviewQueue);
    harness.key_press(egui::Key::Escape);
    settle(&mut harness);
    assert_eq!(
        harness.state().tabs.orders.side,
        shopdesk::ui::orders::SideList::None
    );
    // Enter opens the detail of the selected order again.
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    assert!(harness.state().tabs.orders.detail.is_some());
}

/// The status bar counts every order, the list only main orders: the list says how many
/// orders it shows inside another, and counts read naturally in both languages.
#[test]
fn the_list_says_how_many_orders_are_merged_into_others() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = pending_shop(dir.path(), &["9001", "9002", "9003"], &[]);
    let mut harness = harness(&db);
    harness.get_by_label("3 orders");
    harness.get_by_label("9001").click();
    harness.run();
    harness
        .get_by_label("9003")
        .click_modifiers(egui::Modifiers::SHIFT);
    settle(&mut harness);
    harness.get_by_label("Merge").click();
    settle(&mut harness);
    assert_eq!(
        harness
            .state()
            .overview
            .as_ref()
            .map(|o| (o.orders, o.merged)),
        Some((3, 2)),
        "{:?}",
        harness.state().notices
    );
    harness.get_by_label("1 order (2 merged into others)");

    let mut settings = harness.state().settings.clone();
    settings.language = Language::Chinese;
    harness
        .state_mut()
        .backend
        .send(shopdesk::app::settings::Request::Save(Box::new(settings)));
    settle(&mut harness);
    harness.get_by_label("1 个订单（2 个已合并到其他订单）");
}

/// The flag column names the colour in the window's language, sorts on a click of its
/// header and filters from a right-click on it.
#[test]
fn the_flag_column_names_sorts_and_filters() {
    use shopdesk::domain::Flag;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = pending_shop(dir.path(), &["9001", "9002", "9003", "9004"], &[]);
    {
        let mut store = Store::open(&db).expect("store");
        let rows = store.query_orders(&Default::default()).expect("rows");
        let id = |no: &str| rows.iter().find(|r| r.order_no == no).expect("order").id;
        store
            .set_flag(id("9001"), Flag::Yellow, None, "owner")
            .expect("flag");
        store
            .set_flag(id("9003"), Flag::Red, None, "owner")
            .expect("flag");
    }
    let mut harness = harness(&db);
    harness.get_by_label("Red");
    harness.get_by_label("Yellow");
    // The top bar's flag filter is labelled "Flag" too: the header is the button.
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Flag")
        .click();
    settle(&mut harness);
    let order_nos = |harness: &Harness<'_, ShopDeskApp>| -> Vec<String> {
        let orders = &harness.state().tabs.orders;
        orders
            .loaded_rows()
            .iter()
            .map(|r| r.order_no.clone())
            .collect()
    };
    // Red, then yellow, then the orders without a flag, newest first.
    assert_eq!(order_nos(&harness)[..2], ["9003", "9001"]);
    harness.get_by_label("Flag ▼").click();
    settle(&mut harness);
    assert_eq!(order_nos(&harness)[2..], ["9001", "9003"]);

    harness.get_by_label("Flag ▲").click_secondary();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Yellow")
        .click();
    settle(&mut harness);
    assert_eq!(harness.state().tabs.orders.flag, Some(Flag::Yellow));
    assert_eq!(order_nos(&harness), ["9001"]);

    let mut settings = harness.state().settings.clone();
    settings.language = Language::Chinese;
    harness
        .state_mut()
        .backend
        .send(shopdesk::app::settings::Request::Save(Box::new(settings)));
    settle(&mut harness);
    harness.get_by_label("黄旗");
}

/// Counts read naturally: "1 order", not "1 orders", in the list and the status bar;
/// "已选 1 个" in Chinese.
#[test]
fn counts_read_naturally_in_both_languages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = pending_shop(dir.path(), &["9001"], &[]);
    let mut harness = harness(&db);
    harness.get_by_label("1 product · 1 order");
    harness.get_by_label("1 order");
    harness.get_by_label("9001").click();
    settle(&mut harness);
    harness.get_by_label("1 selected");

    let mut settings = harness.state().settings.clone();
    settings.language = Language::Chinese;
    harness
        .state_mut()
        .backend
        .send(shopdesk::app::settings::Request::Save(Box::new(settings)));
    settle(&mut harness);
    harness.get_by_label("1 个商品 · 1 个订单");
    harness.get_by_label("1 个订单");
    harness.get_by_label("已选 1 个");
}

/// The list's count stops at 10,000 ("10,000+"), the list does not: End, again and again,
/// reaches the oldest order, each page past the cap read after the one before (keyset).
#[test]
fn the_list_reaches_past_ten_thousand_orders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_db(dir.path(), 10_700);
    let (main_orders, oldest) = {
        let store = Store::open(&db).expect("store");
        let all = shopdesk::store::OrderQuery::default();
        let oldest = store
            .query_orders(&shopdesk::store::OrderQuery {
                sort: shopdesk::store::OrderSort::OldestFirst,
                limit: 1,
                ..Default::default()
            })
            .expect("oldest");
        (
            store.count_orders(&all).expect("count") as usize,
            oldest[0].id,
        )
    };
    assert!(main_orders > 10_200, "{main_orders}");
    let mut harness = harness(&db);
    assert!(
        harness.state().tabs.orders.more,
        "the count stops at the cap"
    );
    harness.get_by_label_contains("10,000+ orders (");
    for _ in 0..6 {
        harness.key_press(egui::Key::End);
        settle(&mut harness);
    }
    let tab = &harness.state().tabs.orders;
    assert_eq!(tab.list_len(), main_orders);
    assert_eq!(tab.cursor, Some(main_orders - 1));
    assert!(tab.selected.contains(&oldest));
}
