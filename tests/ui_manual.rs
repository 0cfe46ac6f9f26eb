//! The Manual order tab driven headlessly with egui_kittest, as the owner works: paste the
//! buyer's message, type or scan products, take the payment, create; and a reshipment
//! opened from the Orders tab.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{harness_with, order, settle};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use shopdesk::domain::address::Field;
use shopdesk::domain::model::NewProduct;
use shopdesk::domain::{Event, Flag, OrderState, PaymentStatus};
use shopdesk::store::{Document, Language, Store};
use shopdesk::ui::{ShopDeskApp, Tab};

const MESSAGE: &str = "张三 13800138000 浙江省杭州市西湖区文三路100号 310000";

/// A shop with a cup (barcode 6901, 12.50) and tea (30.00), 20 of each, in `language`.
fn shop(db: &Path, language: Language) -> Store {
    let mut store = Store::open(db).expect("store");
    store
        .upsert_products(&[
            NewProduct {
                code: "CUP".to_owned(),
                name: "白瓷杯".to_owned(),
                barcodes: vec!["6901".to_owned()],
                bin: "A-1".to_owned(),
                price_cents: 1250,
                ..NewProduct::default()
            },
            NewProduct {
                code: "TEA".to_owned(),
                name: "龙井茶".to_owned(),
                bin: "A-2".to_owned(),
                price_cents: 3000,
                ..NewProduct::default()
            },
        ])
        .expect("products");
    for code in ["CUP", "TEA"] {
        store
            .adjust_stock(code, 20, "opening", "owner")
            .expect("stock");
    }
    let mut settings = store.settings().expect("settings");
    settings.language = language;
    store.save_settings(&settings).expect("settings");
    store
}

fn window(db: &Path, tab: Tab, size: egui::Vec2) -> Harness<'static, ShopDeskApp> {
    let mut harness = harness_with(db, size, move |app| app.prefs.tab = tab);
    settle(&mut harness);
    harness
}

fn paste(harness: &mut Harness<'_, ShopDeskApp>, text: &str) {
    let field = harness.get_by_role_and_label(Role::MultilineTextInput, "Receiver");
    field.click();
    field.type_text(text);
    settle(harness);
}

/// Types into the product search and presses Enter, as a scanner does.
fn search_enter(harness: &mut Harness<'_, ShopDeskApp>, text: &str) {
    let field = harness.get_by_role_and_label(Role::TextInput, "Product");
    field.click();
    field.type_text(text);
    settle(harness);
    harness.key_press(egui::Key::Enter);
    settle(harness);
}

fn cart(harness: &Harness<'_, ShopDeskApp>) -> Vec<(String, String, String)> {
    harness
        .state()
        .tabs
        .manual
        .cart
        .iter()
        .map(|e| (e.code.clone(), e.quantity.clone(), e.price.clone()))
        .collect()
}

#[test]
fn a_pasted_message_fills_the_receiver() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db, Language::English));
    let mut harness = window(&db, Tab::ManualOrder, egui::vec2(1280.0, 800.0));
    paste(&mut harness, MESSAGE);
    let r = harness.state().tabs.manual.receiver.clone();
    assert_eq!(
        (
            r.name.as_str(),
            r.phone.as_str(),
            r.province.as_str(),
            r.city.as_str(),
            r.district.as_str(),
            r.address.as_str(),
            r.postcode.as_str()
        ),
        (
            "张三",
            "13800138000",
            "浙江省",
            "杭州市",
            "西湖区",
            "文三路100号",
            "310000"
        )
    );
    assert!(r.unsure.is_empty(), "{:?}", r.unsure);
    // The fields show what was read.
    let name = harness.get_by_role_and_label(Role::TextInput, "Name");
    assert_eq!(name.value().as_deref(), Some("张三"));
    let street = harness.get_by_role_and_label(Role::TextInput, "Street address");
    assert_eq!(street.value().as_deref(), Some("文三路100号"));

    // An unsure field is said, and editing it clears the doubt.
    harness.state_mut().tabs.manual.receiver.unsure = vec![Field::Name];
    settle(&mut harness);
    harness.get_by_label_contains("check these fields");
}

#[test]
fn products_are_added_by_search_and_by_a_scanned_barcode() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db, Language::English));
    let mut harness = window(&db, Tab::ManualOrder, egui::vec2(1280.0, 800.0));
    // The results show the stock figures.
    let field = harness.get_by_role_and_label(Role::TextInput, "Product");
    field.click();
    field.type_text("龙井");
    settle(&mut harness);
    let results = harness
        .state()
        .tabs
        .manual
        .results
        .clone()
        .expect("results");
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].sellable, 20);
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    assert_eq!(
        cart(&harness),
        vec![("TEA".into(), "1".into(), "30.00".into())]
    );
    assert!(
        harness.state().tabs.manual.search.is_empty(),
        "ready for the next"
    );

    // A barcode typed (or scanned) with Enter adds its product; twice adds two.
    search_enter(&mut harness, "6901");
    search_enter(&mut harness, "6901");
    assert_eq!(
        cart(&harness),
        vec![
            ("TEA".into(), "1".into(), "30.00".into()),
            ("CUP".into(), "2".into(), "12.50".into())
        ]
    );
    assert_eq!(harness.state().tabs.manual.total_cents(), Some(5500));
    assert!(harness.query_all_by_label("Total ¥55.00").count() >= 1);
    assert!(harness.query_all_by_label("白瓷杯").count() >= 1);

    // More than sellable is a warning, not a refusal.
    harness.state_mut().tabs.manual.cart[1].quantity = "25".to_owned();
    settle(&mut harness);
    harness.get_by_label_contains("more than sellable");
    search_enter(&mut harness, "NO-SUCH");
    assert_eq!(harness.state().tabs.manual.cart.len(), 2);
    assert!(
        harness
            .state()
            .notices
            .iter()
            .any(|n| n.is_error && n.text.contains("NO-SUCH"))
    );
}

#[test]
fn a_bank_transfer_paid_now_makes_an_approved_green_paid_order() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db, Language::English));
    let mut harness = window(&db, Tab::ManualOrder, egui::vec2(1280.0, 800.0));
    paste(&mut harness, MESSAGE);
    search_enter(&mut harness, "TEA");
    search_enter(&mut harness, "6901");
    harness.get_by_label("Paid now").click();
    settle(&mut harness);
    // Bank transfer is the method offered first; the amount defaults to the total.
    let note = harness.get_by_role_and_label(Role::TextInput, "Note");
    note.click();
    note.type_text("工商银行尾号1234");
    settle(&mut harness);
    harness.get_by_label("Create order").click();
    settle(&mut harness);

    let created = harness
        .state()
        .tabs
        .manual
        .last_created
        .clone()
        .expect("created");
    assert!(created.approved, "{:?}", created.problems);
    assert!(created.order_no.starts_with('M'));
    let said = format!("Created order {}: approved, paid", created.order_no);
    assert!(
        harness.query_all_by_label_contains(&said).count() >= 1,
        "{said}"
    );
    // The page is ready for the next order.
    assert!(harness.state().tabs.manual.cart.is_empty());
    assert!(harness.state().tabs.manual.receiver.name.is_empty());

    let store = Store::open(&db).expect("store");
    let detail = store.order_detail(created.id).expect("detail");
    assert_eq!(detail.row.state, OrderState::Approved);
    assert_eq!(detail.row.flag, Flag::Green);
    assert_eq!(detail.row.payment, PaymentStatus::Paid);
    assert_eq!(detail.amounts.paid_cents, 4250);
    assert_eq!(detail.row.receiver_name, "张三");
    assert_eq!(detail.district, "西湖区");
    assert!(
        detail.row.seller_remark.contains("工商银行尾号1234"),
        "{}",
        detail.row.seller_remark
    );
}

#[test]
fn an_unpaid_order_is_paid_later_from_the_payment_dialog() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db, Language::English));
    let mut harness = window(&db, Tab::ManualOrder, egui::vec2(1024.0, 600.0));
    paste(&mut harness, MESSAGE);
    search_enter(&mut harness, "CUP");
    harness.get_by_label("Create order").click();
    settle(&mut harness);
    let created = harness
        .state()
        .tabs
        .manual
        .last_created
        .clone()
        .expect("created");
    assert!(!created.paid);

    harness
        .get_by_label("Record payment received (到款)…")
        .click();
    settle(&mut harness);
    let no = harness.get_by_role_and_label(Role::TextInput, "Order no.");
    no.click();
    no.type_text(&created.order_no);
    let amount = harness.get_by_role_and_label(Role::TextInput, "Amount");
    amount.click();
    amount.type_text("12.50");
    settle(&mut harness);
    harness
        .get_by_role_and_label(Role::Button, "Record payment")
        .click();
    settle(&mut harness);
    assert!(harness.state().tabs.manual.pay.is_none(), "dialog closed");
    let store = Store::open(&db).expect("store");
    let detail = store.order_detail(created.id).expect("detail");
    assert_eq!(detail.row.payment, PaymentStatus::Paid);
    assert_eq!(detail.row.flag, Flag::Green);
}

#[test]
fn a_shipped_order_is_reshipped_from_its_detail_and_both_link() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    let original = {
        let mut store = shop(&db, Language::English);
        let id = store
            .insert_orders(
                &[order("T100", &[("CUP", 2), ("TEA", 1)], false)],
                "test",
                "owner",
            )
            .expect("insert")[0];
        store
            .apply_event(id, Event::Review, "owner")
            .expect("review");
        store
            .record_print(&[id], None, Document::Waybills, "owner")
            .expect("print");
        store.apply_event(id, Event::Ship, "owner").expect("ship");
        id
    };
    let mut harness = window(&db, Tab::Orders, egui::vec2(1280.0, 800.0));
    let search = harness.get_by_label("Search");
    search.click();
    search.type_text("T100");
    settle(&mut harness);
    harness.get_by_label("T100").click();
    settle(&mut harness);
    harness.get_by_label("Reship…").click();
    settle(&mut harness);
    assert_eq!(harness.state().prefs.tab, Tab::ManualOrder);
    let draft = harness
        .state()
        .tabs
        .manual
        .reship
        .clone()
        .expect("reship mode");
    assert_eq!(draft.original, original);
    harness.get_by_label_contains("欧阳娜娜");

    // Nothing ticked yet: the button waits.
    harness.get_by_label_contains("Tick at least one line");
    harness.get_by_role_and_label(Role::CheckBox, "CUP").click();
    harness.get_by_label("Damaged").click();
    settle(&mut harness);
    harness.get_by_label("Create reshipment").click();
    settle(&mut harness);
    assert!(
        harness.state().tabs.manual.reship.is_none(),
        "back to a new order"
    );
    let created = harness
        .state()
        .tabs
        .manual
        .last_created
        .clone()
        .expect("reshipment");

    let store = Store::open(&db).expect("store");
    let (of, reshipments) = store.reship_links(created.id).expect("links");
    assert_eq!(of.as_deref(), Some("T100"));
    assert!(reshipments.is_empty());
    let (of, reshipments) = store.reship_links(original).expect("links");
    assert_eq!(of, None);
    assert_eq!(reshipments, vec![created.order_no.clone()]);
    let detail = store.order_detail(created.id).expect("detail");
    assert_eq!(detail.lines.len(), 1);
    assert_eq!(detail.lines[0].quantity, 2);
    assert_eq!(detail.lines[0].unit_price_cents, 0);
    assert_eq!(detail.row.receiver_name, "欧阳娜娜");
    assert!(
        detail.row.seller_remark.contains("Damaged"),
        "{}",
        detail.row.seller_remark
    );

    // The original's detail names its reshipment.
    harness.get_by_label("Orders").click();
    settle(&mut harness);
    harness.get_by_label_contains("Reshipped as");
    // Its number is a link: a click finds the reshipment in the list, whose detail links
    // back to the original. (The list shows the reshipment too: its remark names T100.)
    harness
        .get_by_role_and_label(Role::Link, &created.order_no)
        .click();
    settle(&mut harness);
    let orders = &harness.state().tabs.orders;
    assert_eq!(orders.search, created.order_no);
    let listed: Vec<String> = orders
        .loaded_rows()
        .iter()
        .map(|r| r.order_no.clone())
        .collect();
    assert_eq!(listed, vec![created.order_no.clone()]);
    harness.get_by_label(&created.order_no).click();
    settle(&mut harness);
    harness.get_by_label("Reshipment of");
    harness.get_by_label("T100").click();
    settle(&mut harness);
    assert_eq!(harness.state().tabs.orders.search, "T100");
}

#[test]
fn the_tab_speaks_chinese() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db, Language::Chinese));
    let mut harness = window(&db, Tab::ManualOrder, egui::vec2(1024.0, 600.0));
    assert_eq!(harness.state().settings.language, Language::Chinese);
    for text in [
        "新建手动订单",
        "购物车",
        "收货人",
        "订单类型与付款",
        "创建订单",
        "可售库存",
    ] {
        assert!(harness.query_by_label(text).is_some(), "{text} is shown");
    }
    let field = harness.get_by_role_and_label(Role::MultilineTextInput, "收货人");
    field.click();
    field.type_text(MESSAGE);
    settle(&mut harness);
    assert_eq!(harness.state().tabs.manual.receiver.district, "西湖区");
    harness.get_by_label("已付款").click();
    settle(&mut harness);
    harness.get_by_role_and_label(Role::ComboBox, "方式");
    harness.get_by_label_contains("请至少加入一个商品");
}

#[test]
fn an_unprinted_manual_order_is_edited_from_its_detail_in_the_orders_tab() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    let (id, no) = {
        let mut store = shop(&db, Language::English);
        let order = shopdesk::store::ManualOrder {
            receiver: shopdesk::store::Receiver {
                name: "张三".to_owned(),
                phone: "13800138000".to_owned(),
                province: "浙江省".to_owned(),
                city: "杭州市".to_owned(),
                district: "西湖区".to_owned(),
                address: "文三路100号".to_owned(),
                postcode: String::new(),
            },
            lines: vec![shopdesk::store::ManualLine {
                code: "CUP".to_owned(),
                quantity: 2,
                unit_price_cents: Some(1000),
            }],
            remark: "老客户".to_owned(),
            ..shopdesk::store::ManualOrder::default()
        };
        let created =
            shopdesk::app::manual::create(&mut store, "owner", &order, None).expect("create");
        assert!(created.approved);
        (created.id, created.order_no)
    };
    let mut harness = window(&db, Tab::Orders, egui::vec2(1280.0, 800.0));
    let search = harness.get_by_label("Search");
    search.click();
    search.type_text(&no);
    settle(&mut harness);
    harness.get_by_label(&no).click();
    settle(&mut harness);
    harness.get_by_label("Edit order").click();
    settle(&mut harness);
    assert_eq!(harness.state().prefs.tab, Tab::ManualOrder);
    let draft = harness.state().tabs.manual.edit.clone().expect("edit mode");
    assert_eq!((draft.id, draft.loaded), (Some(id), true));
    assert_eq!(
        cart(&harness),
        vec![("CUP".into(), "2".into(), "10.00".into())]
    );
    assert_eq!(harness.state().tabs.manual.receiver.name, "张三");
    assert_eq!(harness.state().tabs.manual.remark, "老客户");
    harness.get_by_label_contains(&format!("Edit order {no}"));

    // One cup less, a tea more, and a new street.
    harness.state_mut().tabs.manual.cart[0].quantity = "1".to_owned();
    search_enter(&mut harness, "TEA");
    let street = harness.get_by_role_and_label(Role::TextInput, "Street address");
    street.click();
    street.type_text("2楼");
    settle(&mut harness);
    harness.get_by_label("Save changes").click();
    settle(&mut harness);
    assert!(harness.state().tabs.manual.edit.is_none(), "back to new");
    assert!(harness.state().tabs.manual.cart.is_empty());
    let said = format!("Saved order {no}: approved");
    assert!(
        harness.query_all_by_label_contains(&said).count() >= 1,
        "{said}"
    );

    let store = Store::open(&db).expect("store");
    let detail = store.order_detail(id).expect("detail");
    let lines: Vec<(Option<&str>, i64, i64)> = detail
        .lines
        .iter()
        .map(|l| (l.product_code.as_deref(), l.quantity, l.unit_price_cents))
        .collect();
    assert_eq!(lines, vec![(Some("CUP"), 1, 1000), (Some("TEA"), 1, 3000)]);
    assert_eq!(detail.address, "文三路100号2楼");
    assert_eq!(detail.row.state, OrderState::Approved);
    assert!(
        detail
            .events
            .iter()
            .any(|e| e.detail.contains("CUP×2@10.00 → CUP×1@10.00, TEA×1@30.00")),
        "{:?}",
        detail.events
    );
}

#[test]
fn a_pasted_message_changes_the_receiver_of_an_unprinted_order_in_the_orders_tab() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    let id = {
        let mut store = shop(&db, Language::English);
        store
            .insert_orders(&[order("T200", &[("CUP", 1)], false)], "test", "owner")
            .expect("insert")[0]
    };
    let mut harness = window(&db, Tab::Orders, egui::vec2(1280.0, 800.0));
    let search = harness.get_by_label("Search");
    search.click();
    search.type_text("T200");
    settle(&mut harness);
    harness.get_by_label("T200").click();
    settle(&mut harness);
    harness.get_by_label("Edit receiver and address").click();
    settle(&mut harness);
    let paste = harness.get_by_role_and_label(Role::MultilineTextInput, "Paste the new receiver");
    paste.click();
    paste.type_text("广东深圳南山区科技园科苑路15号 李四 186-0000-1234");
    settle(&mut harness);
    let form = harness.state().tabs.orders.edit.clone().expect("editing");
    let f = &form.fields;
    assert_eq!(
        (
            f.receiver_name.as_str(),
            f.receiver_phone.as_str(),
            f.province.as_str(),
            f.city.as_str(),
            f.district.as_str(),
            f.address.as_str(),
            f.postcode.as_str(),
        ),
        (
            "李四",
            "18600001234",
            "广东省",
            "深圳市",
            "南山区",
            "科技园科苑路15号",
            ""
        )
    );
    let name = harness.get_by_role_and_label(Role::TextInput, "Receiver name");
    assert_eq!(name.value().as_deref(), Some("李四"));
    // A field the reading is unsure of is said until it is edited.
    harness
        .state_mut()
        .tabs
        .orders
        .edit
        .as_mut()
        .expect("form")
        .unsure = vec![Field::Name];
    settle(&mut harness);
    harness.get_by_label_contains("check these fields");
    let name = harness.get_by_role_and_label(Role::TextInput, "Receiver name");
    name.click();
    name.type_text("娜");
    settle(&mut harness);
    assert!(
        harness
            .query_by_label_contains("check these fields")
            .is_none()
    );
    harness.get_by_label("Save receiver").click();
    settle(&mut harness);

    let store = Store::open(&db).expect("store");
    let detail = store.order_detail(id).expect("detail");
    assert_eq!(detail.row.receiver_name, "李四娜");
    assert_eq!(detail.row.city, "深圳市");
    assert_eq!(detail.address, "科技园科苑路15号");
    assert!(
        detail
            .events
            .iter()
            .any(|e| e.detail.contains("city: 杭州市 → 深圳市")),
        "{:?}",
        detail.events
    );
}

#[test]
fn a_customer_is_found_and_their_tags_and_note_saved() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    drop(shop(&db, Language::English));
    shopdesk::app::manual::create(
        &mut Store::open(&db).expect("store"),
        "owner",
        &shopdesk::store::ManualOrder {
            receiver: shopdesk::app::manual::receiver_of(MESSAGE)
                .expect("receiver")
                .0,
            lines: vec![shopdesk::store::ManualLine {
                code: "CUP".to_owned(),
                quantity: 1,
                unit_price_cents: None,
            }],
            ..shopdesk::store::ManualOrder::default()
        },
        None,
    )
    .expect("an order makes a customer");
    let mut harness = window(&db, Tab::ManualOrder, egui::vec2(1280.0, 800.0));
    harness.get_by_label("Customer").click();
    settle(&mut harness);
    let search = harness.get_by_role_and_label(Role::TextInput, "Find a customer");
    search.click();
    search.type_text("8000");
    settle(&mut harness);
    harness.get_by_label_contains("张三 13800138000").click();
    settle(&mut harness);
    assert!(harness.state().tabs.manual.customer.is_some());
    let tags = harness.get_by_role_and_label(Role::TextInput, "Tags");
    tags.click();
    tags.type_text("老客户，批发");
    let note = harness.get_by_role_and_label(Role::MultilineTextInput, "Customer note");
    note.click();
    note.type_text("只发顺丰");
    settle(&mut harness);
    harness.get_by_label("Save tags and note").click();
    settle(&mut harness);
    let shown = harness
        .state()
        .tabs
        .manual
        .customer
        .clone()
        .expect("customer");
    assert_eq!(shown.customer.tags, "老客户,批发", "as stored");
    harness.get_by_label("批发");
    assert!(
        harness
            .state()
            .notices
            .iter()
            .any(|n| !n.is_error && n.text.contains("Customer saved"))
    );
    let store = Store::open(&db).expect("store");
    let c = store.customers("8000", 0).expect("customers");
    assert_eq!(
        (c[0].tags.as_str(), c[0].note.as_str()),
        ("老客户,批发", "只发顺丰")
    );
}
