//! The After-sales tab driven headlessly with egui_kittest, as customer service works: a
//! case opened from the order's detail, the return agreed, the parcel scanned at the
//! returns desk with a damaged item, the refund and the close; an unknown parcel; an
//! unpaid order followed up; the day's figures.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{harness_with, order, settle};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use shopdesk::domain::after_sales::CaseStatus;
use shopdesk::domain::model::NewProduct;
use shopdesk::domain::{Event, PaymentStatus};
use shopdesk::store::{CaseFilter, Document, Language, Store, now_text};
use shopdesk::ui::after_sales::View;
use shopdesk::ui::{ShopDeskApp, Tab};

/// A shop with CUP and TEA (10 each) and a shipped order T200 (2 CUP, 1 TEA at 10.00),
/// tracking SF200; and an unpaid order U300.
fn shop(db: &Path, language: Language) {
    let mut store = Store::open(db).expect("store");
    store
        .upsert_products(&[
            NewProduct {
                code: "CUP".to_owned(),
                name: "白瓷杯".to_owned(),
                ..NewProduct::default()
            },
            NewProduct {
                code: "TEA".to_owned(),
                name: "龙井茶".to_owned(),
                ..NewProduct::default()
            },
        ])
        .expect("products");
    for code in ["CUP", "TEA"] {
        store
            .adjust_stock(code, 10, "opening", "owner")
            .expect("stock");
    }
    let mut shipped = order("T200", &[("CUP", 2), ("TEA", 1)], false);
    shipped.courier = "SF".to_owned();
    shipped.tracking_no = "SF200".to_owned();
    let id = store
        .insert_orders(&[shipped], "test", "owner")
        .expect("insert")[0];
    store
        .apply_event(id, Event::Review, "owner")
        .expect("review");
    store
        .record_print(&[id], None, Document::Waybills, "owner")
        .expect("print");
    store.apply_event(id, Event::Ship, "owner").expect("ship");
    let mut unpaid = order("U300", &[("TEA", 1)], false);
    unpaid.payment_status = PaymentStatus::Unpaid;
    unpaid.paid_cents = 0;
    store
        .insert_orders(&[unpaid], "test", "owner")
        .expect("insert");
    let mut settings = store.settings().expect("settings");
    settings.language = language;
    store.save_settings(&settings).expect("settings");
}

fn window(db: &Path, tab: Tab) -> Harness<'static, ShopDeskApp> {
    let mut harness = harness_with(db, egui::vec2(1280.0, 800.0), move |app| {
        app.prefs.tab = tab
    });
    settle(&mut harness);
    harness
}

fn damaged(db: &Path, code: &str) -> (i64, i64) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row(
        "SELECT on_hand, damaged FROM products WHERE code = ?1",
        [code],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .expect("product")
}

#[test]
fn a_return_from_the_order_detail_to_the_closed_case() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    shop(&db, Language::English);
    let mut harness = window(&db, Tab::Orders);
    let search = harness.get_by_label("Search");
    search.click();
    search.type_text("T200");
    settle(&mut harness);
    harness.get_by_label("T200").click();
    settle(&mut harness);
    harness.get_by_label("New case…").click();
    settle(&mut harness);
    assert_eq!(harness.state().prefs.tab, Tab::AfterSales);
    // The dialog found the order and lists its lines.
    harness.get_by_label_contains("T200 · 欧阳娜娜");
    {
        let draft = harness
            .state_mut()
            .tabs
            .after_sales
            .open
            .as_mut()
            .expect("dialog");
        draft.reason = "quality".to_owned();
        draft.quantities[0] = "2".to_owned();
    }
    settle(&mut harness);
    harness.get_by_label("Open the case").click();
    settle(&mut harness);
    assert!(
        harness.state().tabs.after_sales.open.is_none(),
        "the dialog closed"
    );
    harness.get_by_label("AS000001 · Return and refund");
    harness.get_by_label("Agree: wait for the parcel").click();
    settle(&mut harness);
    harness.get_by_label_contains("Waiting for the parcel ·");

    // At the returns desk: the scanner types the parcel's number and Enter.
    harness.get_by_label("Returns arrived").click();
    settle(&mut harness);
    assert_eq!(harness.state().tabs.after_sales.view, View::Receive);
    harness.state_mut().tabs.after_sales.scan.push("SF200");
    settle(&mut harness);
    {
        let draft = harness
            .state_mut()
            .tabs
            .after_sales
            .receive
            .as_mut()
            .expect("parcel");
        assert_eq!(draft.lines.len(), 1);
        assert_eq!(draft.lines[0].sellable, "2");
        draft.lines[0].sellable = "1".to_owned();
        draft.lines[0].damaged = "1".to_owned();
    }
    settle(&mut harness);
    harness
        .get_by_label("Receive: sellable back on hand, damaged kept apart")
        .click();
    settle(&mut harness);
    assert_eq!(
        damaged(&db, "CUP"),
        (9, 1),
        "one back on the shelf, one kept apart"
    );

    // The refund and the close, from the case's detail.
    harness.get_by_label("Cases").click();
    settle(&mut harness);
    let amount = harness.get_by_role_and_label(Role::TextInput, "Amount (yuan)");
    amount.click();
    amount.type_text("18");
    settle(&mut harness);
    harness
        .get_by_role_and_label(Role::Button, "Refund")
        .click();
    settle(&mut harness);
    let store = Store::open(&db).expect("store");
    let page = store
        .cases(&CaseFilter::default(), &now_text())
        .expect("cases");
    assert_eq!(page.rows[0].status, CaseStatus::Refunded);
    assert_eq!(page.rows[0].refund_cents, 1_800);
    harness.get_by_label("Close the case").click();
    settle(&mut harness);
    let page = store
        .cases(&CaseFilter::default(), &now_text())
        .expect("cases");
    assert_eq!(page.rows[0].status, CaseStatus::Closed);
    let order = store
        .order_detail(store.find_order("T200").expect("order"))
        .expect("detail");
    assert_eq!(
        order.row.flag,
        shopdesk::domain::Flag::None,
        "the flag came off"
    );
    assert_eq!(order.amounts.refunded_cents, 1_800);
    assert_eq!(order.cases, vec![page.rows[0].id]);
    // The day's figures follow.
    let figures = &harness
        .state()
        .tabs
        .after_sales
        .overview
        .as_ref()
        .expect("overview")
        .figures;
    assert_eq!((figures.opened_today, figures.closed_today), (1, 1));
    assert_eq!(figures.refunds_today_cents, 1_800);
    assert_eq!(figures.returns_by_reason, vec![("quality".to_owned(), 1)]);
}

#[test]
fn an_unknown_parcel_is_recorded_and_an_unpaid_order_followed_up() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    shop(&db, Language::English);
    let mut harness = window(&db, Tab::AfterSales);
    harness.get_by_label("Returns arrived").click();
    settle(&mut harness);
    harness.state_mut().tabs.after_sales.scan.push("YT0000999");
    settle(&mut harness);
    harness.get_by_label_contains("Unknown parcel (无单退货)");
    let contents = harness.get_by_role_and_label(Role::MultilineTextInput, "What is inside");
    contents.click();
    contents.type_text("一个白瓷杯");
    settle(&mut harness);
    harness.get_by_label("Record for later matching").click();
    settle(&mut harness);
    let store = Store::open(&db).expect("store");
    let parcels = store.unknown_parcels().expect("parcels");
    assert_eq!(parcels.len(), 1);
    assert_eq!(parcels[0].contents, "一个白瓷杯");
    harness.get_by_label("YT0000999");

    harness.get_by_label("Follow-up queues").click();
    settle(&mut harness);
    harness.get_by_label("U300");
    harness.get_by_label("Followed up").click();
    settle(&mut harness);
    let queue = store.unpaid_queue(10).expect("queue");
    assert!(queue[0].last_follow_up.is_some());
}

#[test]
fn the_tab_speaks_chinese() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    shop(&db, Language::Chinese);
    let harness = window(&db, Tab::AfterSales);
    for label in [
        "今日新建",
        "等待退货",
        "售后单",
        "退货到货",
        "跟进队列",
        "残次品",
        "新建售后…",
    ] {
        assert!(
            harness.query_all_by_label_contains(label).next().is_some(),
            "{label} not shown"
        );
    }
}

#[test]
fn the_owner_adds_a_reason_and_it_is_offered() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    shop(&db, Language::English);
    let mut harness = window(&db, Tab::AfterSales);
    harness.get_by_label("Reasons…").click();
    settle(&mut harness);
    // The new reason's fields, as typed (they are named by their hints).
    harness.state_mut().tabs.after_sales.new_reason = shopdesk::store::CaseReason {
        code: "gift_box".to_owned(),
        label: "Gift box damaged".to_owned(),
        label_zh: "礼盒破损".to_owned(),
        active: true,
    };
    settle(&mut harness);
    // An existing reason's Chinese label changed in place.
    let field = harness
        .query_all_by_role_and_label(Role::TextInput, "quality")
        .nth(1)
        .expect("quality's Chinese label");
    field.click();
    field.type_text("（做工）");
    settle(&mut harness);
    harness
        .get_all_by_label("Save")
        .nth(1)
        .expect("quality's Save")
        .click();
    settle(&mut harness);
    harness.get_by_label("Add").click();
    settle(&mut harness);
    let store = Store::open(&db).expect("store");
    let reasons = store.case_reasons().expect("reasons");
    let added = reasons
        .iter()
        .find(|r| r.code == "gift_box")
        .expect("added");
    assert_eq!(
        (added.label.as_str(), added.label_zh.as_str(), added.active),
        ("Gift box damaged", "礼盒破损", true)
    );
    assert_eq!(
        store.case_reason_code("礼盒破损").expect("by label"),
        "gift_box"
    );
}

/// On a 1024×600 screen the refund report's Import button is on the screen and the list's
/// filters keep to one row, in English and in Chinese.
#[test]
fn the_after_sales_tab_fits_1024_by_600() {
    for (language, import, search, reasons) in [
        (Language::English, "Import", "Find", "Reasons…"),
        (Language::Chinese, "导入", "查询", "售后原因…"),
    ] {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("shop.db");
        shop(&db, language);
        let mut harness = harness_with(&db, egui::vec2(1024.0, 600.0), |app| {
            app.prefs.tab = Tab::AfterSales
        });
        settle(&mut harness);
        let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1024.0, 600.0));
        let button = harness.get_by_label(import).rect();
        assert!(
            screen.contains_rect(button),
            "{language:?}: Import at {button:?}"
        );
        let first = harness.get_by_label(search).rect();
        let last = harness.get_by_label(reasons).rect();
        assert!(
            screen.contains_rect(last),
            "{language:?}: {reasons} at {last:?}"
        );
        assert!(
            (first.center().y - last.center().y).abs() < 4.0,
            "{language:?}: the filters wrap: {search} at {first:?}, {reasons} at {last:?}"
        );
    }
}

/// On a 1024×600 screen the returns desk's unmatched parcels keep their case field and
/// their "Match to case" button on the screen, in English and in Chinese.
#[test]
fn the_returns_desk_fits_1024_by_600() {
    for (language, desk, button) in [
        (Language::English, "Returns arrived", "Match to case"),
        (Language::Chinese, "退货到货", "匹配到售后单"),
    ] {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("shop.db");
        shop(&db, language);
        {
            let mut store = Store::open(&db).expect("store");
            store
                .record_unknown_parcel(
                    "YT9876543210123",
                    "YTO",
                    "CUP=1:sellable, TEA=1:damaged, a note from the buyer about the box",
                    "owner",
                )
                .expect("parcel");
        }
        let mut harness = harness_with(&db, egui::vec2(1024.0, 600.0), |app| {
            app.prefs.tab = Tab::AfterSales
        });
        settle(&mut harness);
        harness.get_by_label(desk).click();
        settle(&mut harness);
        let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1024.0, 600.0));
        let rect = harness.get_by_label(button).rect();
        assert!(
            screen.contains_rect(rect),
            "{language:?}: {button} at {rect:?}"
        );
        let field = harness
            .get_by_role_and_label(Role::TextInput, "YT9876543210123")
            .rect();
        assert!(
            screen.contains_rect(field),
            "{language:?}: the parcel's case field at {field:?}"
        );
        // Wide enough for a case number as typed (AS000001).
        assert!(
            field.width() >= 90.0,
            "{language:?}: the case field is cut: {field:?}"
        );
    }
}
