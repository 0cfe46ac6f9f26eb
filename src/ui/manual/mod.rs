//! The tab whose own issue has not landed yet: each says what it will do and what to do
//! first, with the real counts behind that advice.

pub mod texts;

use crate::store::Language;
use crate::ui::i18n::T;
use texts::Tx;

fn empty_state_ui(ui: &mut egui::Ui, title: T, body: Tx, lang: Language) {
    ui.add_space(24.0);
    ui.heading(title.tr(lang));
    ui.add_space(8.0);
    ui.label(body.tr(lang));
}

/// The Manual order tab.
#[derive(Default)]
pub struct ManualTab;

impl crate::ui::Page for ManualTab {
    fn page_ui(&mut self, ui: &mut egui::Ui, cx: &mut crate::ui::TabCx<'_>) {
        empty_state_ui(ui, T::TabManualOrder, Tx::ManualOrderEmpty, cx.lang);
    }
}
