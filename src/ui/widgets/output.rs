//! The row under a print button: the after-print options, and the last document with
//! Open and Print.

use crate::app::print::Printed;
use crate::store::Language;
use crate::ui::Command;
use crate::ui::i18n::T;

/// The last PDF with Open and Print buttons, and the after-print options.
pub fn output_ui(
    ui: &mut egui::Ui,
    lang: Language,
    last: Option<&Printed>,
    open_when_done: &mut bool,
    send_to_printer: &mut bool,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.checkbox(open_when_done, T::ShipOpenWhenDone.tr(lang));
        ui.checkbox(send_to_printer, T::ShipSendToPrinter.tr(lang));
    });
    if let Some(last) = last {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "{}: {} ({} {})",
                T::ShipLastDocument.tr(lang),
                last.path.display(),
                last.pages,
                T::ShipPages.tr(lang)
            ));
            if ui.button(T::Open.tr(lang)).clicked() {
                commands.push(Command::OpenPdf(last.path.clone()));
            }
            if ui.button(T::ShipPrintLp.tr(lang)).clicked() {
                commands.push(Command::PrintPdf(last.path.clone()));
            }
        });
    }
}
