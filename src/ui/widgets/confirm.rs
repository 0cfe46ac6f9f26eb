//! The one confirmation for destructive actions (cancel, archive, post a count…). A tab
//! keeps the action it is asked to do as a value; this dialog asks once, in words that say
//! what will happen, and hands the action back only when it is confirmed.

use crate::store::Language;
use crate::ui::i18n::T;

/// Asks about `pending`, if any, in a modal dialog. Returns the action once it is
/// confirmed; either answer, Escape or a click beside the dialog clears `pending`, so the
/// question is asked once.
pub fn confirm_ui<A: Clone>(
    ctx: &egui::Context,
    lang: Language,
    id: &'static str,
    pending: &mut Option<A>,
    question: impl FnOnce(&A) -> String,
    yes: &str,
) -> Option<A> {
    let action = pending.clone()?;
    let mut confirmed = None;
    let mut decided = false;
    let modal = egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading(T::PleaseConfirm.tr(lang));
        ui.add_space(6.0);
        ui.label(question(&action));
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button(yes).clicked() {
                confirmed = Some(action.clone());
                decided = true;
            }
            if ui.button(T::Cancel.tr(lang)).clicked() {
                decided = true;
            }
        });
    });
    if decided || modal.should_close() {
        *pending = None;
    }
    confirmed
}
