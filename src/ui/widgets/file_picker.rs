//! Choosing a file three ways: the native dialog (rfd: the desktop portal, else `zenity`),
//! typing or pasting a path, or dropping the file on the window. Where no dialog is
//! available the other two still work.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

/// What kind of file a picker chooses: the native dialog offers it first, then all files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Database,
    Csv,
    /// Plain text or CSV (lists of numbers).
    Text,
}

impl FileKind {
    fn filter(self) -> (&'static str, &'static [&'static str]) {
        match self {
            FileKind::Database => ("ShopDesk database", &["db", "sqlite", "sqlite3"]),
            FileKind::Csv => ("CSV or spreadsheet", &["csv", "txt", "xlsx", "xls"]),
            FileKind::Text => ("Text or CSV", &["txt", "csv"]),
        }
    }
}

/// A path field with a Browse… button that also takes files dropped on the window.
#[derive(Default)]
pub struct FilePicker {
    pub path: String,
    dialog: Option<Receiver<Option<PathBuf>>>,
}

impl FilePicker {
    /// Draws the picker; returns a path when the user has chosen one (dialog, drop, or the
    /// action button).
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        kind: FileKind,
        label: &str,
        action: &str,
        browse: &str,
    ) -> Option<PathBuf> {
        let mut chosen = None;
        if let Some(rx) = &self.dialog
            && let Ok(answer) = rx.try_recv()
        {
            self.dialog = None;
            if let Some(path) = answer {
                self.path = path.display().to_string();
                chosen = Some(path);
            }
        }
        let dropped: Vec<PathBuf> = ui.ctx().input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            self.path = path.display().to_string();
        }
        ui.horizontal(|ui| {
            let label = ui.label(label);
            ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(360.0))
                .labelled_by(label.id);
            let browsing = self.dialog.is_some();
            if ui
                .add_enabled(!browsing, egui::Button::new(browse))
                .clicked()
            {
                self.open_dialog(ui.ctx().clone(), kind);
            }
            let ready = !self.path.trim().is_empty();
            if ui.add_enabled(ready, egui::Button::new(action)).clicked() {
                chosen = Some(PathBuf::from(self.path.trim()));
            }
        });
        chosen
    }

    /// The dialog blocks its caller, so it runs on a thread of its own.
    fn open_dialog(&mut self, ctx: egui::Context, kind: FileKind) {
        let (name, extensions) = kind.filter();
        let (tx, rx) = channel();
        let spawned = std::thread::Builder::new()
            .name("shopdesk-file-dialog".to_owned())
            .spawn(move || {
                let picked = rfd::FileDialog::new()
                    .add_filter(name, extensions)
                    .add_filter("All files", &["*"])
                    .pick_file();
                let _ = tx.send(picked);
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.dialog = Some(rx);
        }
    }
}
