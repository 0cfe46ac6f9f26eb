//! The row under a print button: the after-print options, and the last document with
//! Open, Open folder and Print; and the sentence said when a PDF or folder cannot be
//! opened.

use std::path::Path;

use crate::app::print::Printed;
use crate::store::Language;
use crate::ui::Command;
use crate::ui::i18n::{T, texts};

texts! {
    /// The words of the last-document row that no other widget uses.
    enum Tx {
        OpenFolder => ("Open folder", "打开文件夹"),
        NoPdfViewer => ("No PDF viewer found; the file is at", "找不到 PDF 阅读器；文件在"),
        NoFileManager => (
            "No file manager found; the folder is at",
            "找不到文件管理器；文件夹在",
        ),
    }
}

/// What the window tried to open for the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opening {
    Pdf,
    Folder,
}

/// The one sentence, in the window's language, for a PDF or folder that could not be
/// opened: the launcher's own error means nothing to a shop owner, where the file is does.
pub fn cannot_open_text(lang: Language, what: Opening, path: &Path) -> String {
    let head = match what {
        Opening::Pdf => Tx::NoPdfViewer,
        Opening::Folder => Tx::NoFileManager,
    };
    format!("{} {}", head.tr(lang), path.display())
}

/// The last PDF with Open, Open folder and Print buttons, and the after-print options.
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
            // A bare file name has no folder to show.
            if let Some(folder) = last.path.parent().filter(|p| !p.as_os_str().is_empty())
                && ui.button(Tx::OpenFolder.tr(lang)).clicked()
            {
                commands.push(Command::OpenFolder(folder.to_path_buf()));
            }
            if ui.button(T::ShipPrintLp.tr(lang)).clicked() {
                commands.push(Command::PrintPdf(last.path.clone()));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_cannot_be_opened_is_said_in_a_sentence_with_where_it_is() {
        let path = Path::new("/home/shop/Documents/ShopDesk/picklist.pdf");
        assert_eq!(
            cannot_open_text(Language::English, Opening::Pdf, path),
            "No PDF viewer found; the file is at /home/shop/Documents/ShopDesk/picklist.pdf"
        );
        assert_eq!(
            cannot_open_text(Language::Chinese, Opening::Pdf, path),
            "找不到 PDF 阅读器；文件在 /home/shop/Documents/ShopDesk/picklist.pdf"
        );
        let folder = Path::new("/home/shop/Documents/ShopDesk");
        assert_eq!(
            cannot_open_text(Language::English, Opening::Folder, folder),
            "No file manager found; the folder is at /home/shop/Documents/ShopDesk"
        );
        assert_eq!(
            cannot_open_text(Language::Chinese, Opening::Folder, folder),
            "找不到文件管理器；文件夹在 /home/shop/Documents/ShopDesk"
        );
    }
}
