//! The tabs whose own issues have not landed yet: each says what it will do and what to do
//! first, with the real counts behind that advice.

use super::backend::Overview;
use super::i18n::T;
use crate::domain::OrderState;
use crate::store::{Language, Settings};

fn empty_state_ui(ui: &mut egui::Ui, title: T, body: T, lang: Language) {
    ui.add_space(24.0);
    ui.heading(title.tr(lang));
    ui.add_space(8.0);
    ui.label(body.tr(lang));
}

pub fn manual_order_ui(ui: &mut egui::Ui, lang: Language) {
    empty_state_ui(ui, T::TabManualOrder, T::ManualOrderEmpty, lang);
}

pub fn pick_lists_ui(ui: &mut egui::Ui, lang: Language, overview: &Overview) {
    empty_state_ui(ui, T::TabPickLists, T::PickListsEmpty, lang);
    ui.add_space(8.0);
    ui.label(format!(
        "{} {}",
        overview.count(OrderState::Approved),
        T::ApprovedWaiting.tr(lang)
    ));
}

pub fn waybills_ui(ui: &mut egui::Ui, lang: Language, overview: &Overview, settings: &Settings) {
    empty_state_ui(ui, T::TabWaybills, T::WaybillsEmpty, lang);
    ui.add_space(8.0);
    ui.label(format!(
        "{} {}",
        overview.count(OrderState::Approved),
        T::ApprovedWaiting.tr(lang)
    ));
    ui.label(format!(
        "{} {}",
        overview.count(OrderState::Printed),
        T::PrintedWaiting.tr(lang)
    ));
    if !settings.sender_name.is_empty() {
        ui.add_space(8.0);
        ui.label(format!(
            "{}: {} {} {}",
            T::SenderName.tr(lang),
            settings.sender_name,
            settings.sender_phone,
            settings.sender_address
        ));
    }
}
