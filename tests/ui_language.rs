//! Every tab (and the import screen) in 简体中文: each text the window shows is drawn with a
//! glyph of the loaded fonts, and every button, check box and radio button speaks Chinese
//! (a control with a run of Latin letters and no Chinese is a text left untranslated).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::cell::RefCell;

use common::{harness_with, settle, shopdesk};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use shopdesk::store::{Language, Store};
use shopdesk::ui::Tab;

/// Names that stay as they are in every language.
const NAMES: [&str; 3] = ["Shopify", "ShopDesk", "CSV"];

fn has_cjk(text: &str) -> bool {
    text.chars().any(shopdesk::domain::search::is_cjk)
}

#[test]
fn every_tab_speaks_chinese_with_glyphs_the_fonts_have() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    assert!(shopdesk(&db, &["demo", "--orders", "200"]).status.success());
    {
        let mut store = Store::open(&db).expect("store");
        let mut settings = store.settings().expect("settings");
        settings.language = Language::Chinese;
        store.save_settings(&settings).expect("save");
    }
    let mut harness = harness_with(&db, egui::vec2(1280.0, 800.0), |app| {
        app.tabs.pack.sound = false;
    });
    let mut missing_glyphs = Vec::new();
    let mut english = Vec::new();
    // Every tab, then the import screen over the Orders tab, then an order's detail (its
    // event log and lines) and the dialog that matches a SKU to a product.
    let screens: Vec<(Tab, bool, bool)> = Tab::ALL
        .iter()
        .map(|&tab| (tab, false, false))
        .chain([(Tab::Orders, true, false), (Tab::Orders, false, true)])
        .collect();
    for (tab, import, detail) in screens {
        harness.state_mut().prefs.tab = tab;
        harness.state_mut().tabs.orders.import.open = import;
        if detail {
            let orders = &mut harness.state_mut().tabs.orders;
            let first = orders.loaded_rows()[0].id;
            orders.selected.insert(first);
            orders.matching = Some(shopdesk::ui::orders::matching::Matching::new(
                Some(first),
                "SKU-1",
                "杯子",
            ));
        }
        settle(&mut harness);
        let seen: RefCell<Vec<(Role, String)>> = RefCell::new(Vec::new());
        let by = egui_kittest::kittest::By::new()
            .include_labels()
            .predicate(|node| {
                let text = node.label().or_else(|| node.value());
                if let Some(text) = text {
                    seen.borrow_mut().push((node.role(), text.to_string()));
                }
                false
            });
        let _ = harness.query_all(by).count();
        for (role, label) in seen.into_inner() {
            for c in label
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
            {
                let ok = harness
                    .ctx
                    .fonts_mut(|f| f.has_glyph(&egui::FontId::proportional(14.0), c));
                if !ok {
                    missing_glyphs.push(format!("{tab:?}: {c:?} in {label:?}"));
                }
            }
            let words = label.chars().filter(|c| c.is_ascii_alphabetic()).count();
            let control = matches!(role, Role::Button | Role::CheckBox | Role::RadioButton);
            // A label with digits is data (a product code on a split check box), not a word.
            let data = label.chars().any(|c| c.is_ascii_digit());
            if control && words >= 3 && !data && !has_cjk(&label) && !NAMES.contains(&label.trim())
            {
                english.push(format!("{tab:?}: button {label:?}"));
            }
        }
    }
    english.sort();
    english.dedup();
    missing_glyphs.sort();
    missing_glyphs.dedup();
    assert!(missing_glyphs.is_empty(), "no glyph: {missing_glyphs:#?}");
    assert!(english.is_empty(), "not translated: {english:#?}");
}
