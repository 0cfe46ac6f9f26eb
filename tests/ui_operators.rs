//! The operator switch, the role gates and the audit view, driven headlessly with
//! egui_kittest: sign in with a PIN, a packer cannot open Settings or adjust stock while
//! the owner can, the audit view finds an order's whole history, the first owner, the
//! idle lock.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{harness, order, settle};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use shopdesk::app::auth;
use shopdesk::domain::model::NewProduct;
use shopdesk::domain::operators::Role;
use shopdesk::domain::{Event, Flag};
use shopdesk::store::Store;
use shopdesk::ui::{ShopDeskApp, Tab};

/// A shop with a cup (10 on hand), order T1 reviewed by Sue and flagged by Sue, and three
/// operators: Boss (owner, PIN 1111), Pat (packer, 2222), Sue (service, 3333).
fn shop(db: &Path) {
    let mut store = Store::open(db).unwrap();
    store
        .upsert_products(&[NewProduct {
            code: "CUP".to_owned(),
            name: "白瓷杯".to_owned(),
            ..NewProduct::default()
        }])
        .unwrap();
    store.adjust_stock("CUP", 10, "opening", "owner").unwrap();
    let id = store
        .insert_orders(&[order("T1", &[("CUP", 1)], false)], "test", "owner")
        .unwrap()[0];
    auth::add_operator(&mut store, "", "Boss", Role::Owner, "1111").unwrap();
    auth::add_operator(&mut store, "Boss", "Pat", Role::Packer, "2222").unwrap();
    auth::add_operator(&mut store, "Boss", "Sue", Role::Service, "3333").unwrap();
    store.set_flag(id, Flag::Red, Some("call"), "Sue").unwrap();
    store.apply_event(id, Event::Review, "Sue").unwrap();
}

fn sign_in(harness: &mut Harness<'_, ShopDeskApp>, label: &str, pin: &str) {
    harness.get_by_label(label).click();
    harness.run();
    let field = harness.get_by_label("PIN");
    field.click();
    field.type_text(pin);
    harness.run();
    harness.get_by_label("Sign in").click();
    settle(harness);
}

fn signed_in(harness: &Harness<'_, ShopDeskApp>) -> Option<(String, Role)> {
    harness
        .state()
        .access
        .session
        .as_ref()
        .map(|s| (s.name.clone(), s.role))
}

#[test]
fn switch_operator_with_the_pin_and_the_role_gates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    shop(&db);
    let mut harness = harness(&db);
    // The window opens on the operator switch: no tabs until someone signs in.
    assert!(harness.state().access.needs_sign_in());
    assert!(harness.query_by_label("Orders").is_none());

    // A wrong PIN signs no one in and says why.
    sign_in(&mut harness, "Pat · packer", "9999");
    assert_eq!(signed_in(&harness), None);
    assert!(
        harness
            .state()
            .notices
            .iter()
            .any(|n| n.is_error && n.text.contains("wrong PIN")),
        "{:?}",
        harness.state().notices
    );

    sign_in(&mut harness, "Pat · packer", "2222");
    assert_eq!(signed_in(&harness), Some(("Pat".to_owned(), Role::Packer)));
    // What the sign-in screen said is over once someone signed in.
    assert!(
        !harness.state().notices.iter().any(|n| n.is_error),
        "{:?}",
        harness.state().notices
    );
    // The packer's station: no Settings, no Operators tab; stock cannot be adjusted.
    assert!(harness.query_by_label("Pack & ship").is_some());
    assert!(harness.query_by_label("Settings").is_none());
    assert!(!harness.state().may_open(Tab::Settings));
    harness.state_mut().prefs.tab = Tab::Settings;
    harness.run();
    assert_eq!(
        harness.state().prefs.tab,
        Tab::Orders,
        "sent back to Orders"
    );
    harness.get_by_label("Inventory").click();
    settle(&mut harness);
    harness.get_by_label("Products").click();
    settle(&mut harness);
    harness.get_by_label("CUP").click();
    settle(&mut harness);
    assert!(!harness.state().tabs.inventory.may_adjust);
    assert!(
        harness
            .query_by_label("Adjust stock")
            .is_some_and(|b| b.accesskit_node().is_disabled()),
        "the adjust button is disabled for a packer"
    );

    // Switch to the owner: everything opens.
    harness.get_by_label("Switch operator").click();
    settle(&mut harness);
    assert_eq!(signed_in(&harness), None);
    sign_in(&mut harness, "Boss · owner", "1111");
    assert_eq!(signed_in(&harness), Some(("Boss".to_owned(), Role::Owner)));
    assert!(harness.state().tabs.inventory.may_adjust);
    harness.get_by_label("Settings").click();
    settle(&mut harness);
    assert_eq!(harness.state().prefs.tab, Tab::Settings);
}

#[test]
fn the_audit_view_finds_an_orders_whole_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    shop(&db);
    let mut harness = harness(&db);
    sign_in(&mut harness, "Boss · owner", "1111");
    harness.get_by_label("Operators").click();
    settle(&mut harness);
    let field = harness.get_by_label("Order number");
    field.click();
    field.type_text("T1");
    harness.run();
    harness.get_by_label("Search").click();
    settle(&mut harness);
    let entries = harness
        .state()
        .tabs
        .operators_tab
        .audit
        .clone()
        .expect("entries");
    let seen: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e.operator.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("owner", "order.created"),
            ("Sue", "order.flag"),
            ("Sue", "order.remark"),
            ("Sue", "order.review"),
        ]
    );
    let review = &entries[3];
    assert_eq!(
        (review.before.as_str(), review.after.as_str()),
        ("pending_review", "approved")
    );
    assert!(
        harness.query_by_label("order.review").is_some(),
        "shown in the view"
    );
}

#[test]
fn a_new_database_creates_its_owner_on_first_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    drop(Store::open(&db).unwrap());
    let mut harness = harness(&db);
    // Without operators the window works as before, as the owner.
    assert!(!harness.state().access.needs_sign_in());
    let name = harness.get_by_label("Name");
    name.click();
    name.type_text("王芳");
    harness.run();
    let pin = harness.get_by_label("PIN");
    pin.click();
    pin.type_text("8888");
    harness.run();
    harness.get_by_label("Create").click();
    settle(&mut harness);
    assert_eq!(signed_in(&harness), Some(("王芳".to_owned(), Role::Owner)));
    let store = Store::open(&db).unwrap();
    let c = store.credentials("王芳").unwrap().expect("the owner");
    assert!(auth::verify_pin("8888", &c.pin_hash));
}

#[test]
fn the_window_locks_when_idle_but_not_a_packers_station() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    shop(&db);
    let mut harness = harness(&db);
    sign_in(&mut harness, "Sue · customer service", "3333");
    assert_eq!(signed_in(&harness), Some(("Sue".to_owned(), Role::Service)));
    let later = Instant::now() + Duration::from_secs(16 * 60);
    assert!(
        harness.state_mut().lock_if_idle(later),
        "15 minutes by default"
    );
    harness.run();
    assert_eq!(signed_in(&harness), None);
    assert!(
        harness
            .query_by_label("Locked after idle time: sign in again.")
            .is_some()
    );

    sign_in(&mut harness, "Pat · packer", "2222");
    let much_later = Instant::now() + Duration::from_secs(10 * 3600);
    assert!(!harness.state_mut().lock_if_idle(much_later));
    assert_eq!(signed_in(&harness), Some(("Pat".to_owned(), Role::Packer)));
}

/// The owner enables a disabled operator and sets a forgotten PIN from the Operators tab;
/// a packer changes their own PIN there and sees no one else's.
#[test]
fn the_owner_enables_an_operator_and_each_sets_a_pin() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    shop(&db);
    {
        let mut store = Store::open(&db).unwrap();
        store.disable_operator("Sue", "Boss").unwrap();
    }
    let mut harness = harness(&db);
    sign_in(&mut harness, "Boss · owner", "1111");
    harness.get_by_label("Operators").click();
    settle(&mut harness);
    harness.get_by_label("Enable").click();
    settle(&mut harness);
    let sue = |h: &Harness<'_, ShopDeskApp>| {
        h.state()
            .access
            .operators
            .iter()
            .find(|o| o.name == "Sue")
            .map(|o| o.active)
    };
    assert_eq!(sue(&harness), Some(true));
    // Sue's forgotten PIN: the third "Set PIN…" (Boss, Pat, Sue).
    let buttons: Vec<_> = harness.query_all_by_label("Set PIN…").collect();
    assert_eq!(buttons.len(), 3);
    buttons[2].click();
    settle(&mut harness);
    let field = harness.get_by_label("New PIN · Sue");
    field.click();
    field.type_text("4444");
    harness.run();
    harness.get_by_label("Save PIN").click();
    settle(&mut harness);
    let store = Store::open(&db).unwrap();
    assert!(auth::sign_in(&store, "Sue", "4444").is_ok());
    assert!(auth::sign_in(&store, "Sue", "3333").is_err());

    // The packer: only their own PIN.
    harness.get_by_label("Switch operator").click();
    settle(&mut harness);
    sign_in(&mut harness, "Pat · packer", "2222");
    harness.get_by_label("Operators").click();
    settle(&mut harness);
    assert!(harness.query_by_label("Enable").is_none());
    assert!(harness.query_by_label("Disable").is_none());
    harness.get_by_label("Set PIN…").click();
    settle(&mut harness);
    let field = harness.get_by_label("New PIN · Pat");
    field.click();
    field.type_text("8888");
    harness.run();
    harness.get_by_label("Save PIN").click();
    settle(&mut harness);
    assert!(auth::sign_in(&store, "Pat", "8888").is_ok());
}

/// A packer may manage couriers but not open Settings: the couriers' setup is folded at
/// the foot of the Waybills tab for them, and what they save is theirs in the trail.
#[test]
fn a_packer_adds_a_courier_from_the_waybills_tab() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    shop(&db);
    let mut harness = harness(&db);
    sign_in(&mut harness, "Pat · packer", "2222");
    assert!(!harness.state().may_open(Tab::Settings));
    harness.get_by_label("Waybills").click();
    settle(&mut harness);
    harness.get_by_label("Couriers").click();
    settle(&mut harness);
    for (label, text) in [("Courier code", "JT"), ("Courier name", "极兔速递")] {
        let field = harness.get_by_label(label);
        field.click();
        field.type_text(text);
        harness.run();
    }
    harness.get_by_label("Save courier").click();
    settle(&mut harness);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.courier("JT").unwrap().name, "极兔速递");
    let trail = store
        .audit(&shopdesk::store::AuditQuery {
            operator: Some("Pat".to_owned()),
            ..Default::default()
        })
        .unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.action == "courier.add" && e.target == "JT"),
        "{trail:?}"
    );
    // The owner keeps them in Settings: not folded into the Waybills tab twice.
    harness.get_by_label("Switch operator").click();
    settle(&mut harness);
    sign_in(&mut harness, "Boss · owner", "1111");
    harness.get_by_label("Waybills").click();
    settle(&mut harness);
    assert!(harness.query_by_label("Couriers").is_none());
}

/// A stock keeper's window has no Orders tab (the buyers' phones and addresses are not
/// theirs to read) and opens on the first tab they may use.
#[test]
fn a_stock_keeper_sees_stock_not_the_orders() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    shop(&db);
    {
        let mut store = Store::open(&db).unwrap();
        auth::add_operator(&mut store, "Boss", "Kim", Role::Stock, "4444").unwrap();
    }
    let mut harness = harness(&db);
    sign_in(&mut harness, "Kim · stock keeper", "4444");
    assert!(!harness.state().may_open(Tab::Orders));
    assert!(harness.query_by_label("Orders").is_none());
    assert_eq!(harness.state().prefs.tab, Tab::Inventory);
    harness.get_by_label("Inventory");
}
