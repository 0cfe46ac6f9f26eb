//! The Settings tab: shop and sender for waybills, sellable-stock rules, operator,
//! language, flag meanings, backups, and which database file is open.

pub(crate) mod backups;
pub mod couriers;
pub mod texts;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use crate::app::settings::Request;
use crate::store::{Language, Settings};
use crate::ui::i18n::T;
use crate::ui::widgets::{FileKind, FilePicker};
use crate::ui::{Command, ask, theme};
use texts::Tx;

#[derive(Default)]
pub struct SettingsTab {
    /// The settings being edited; `None` until they arrive from the store.
    pub draft: Option<Settings>,
    pub dirty: bool,
    database: FilePicker,
    /// The open folder dialog's answer, while it is open.
    folder_dialog: Option<Receiver<Option<PathBuf>>>,
    /// Couriers for waybills.
    pub couriers: couriers::CouriersSection,
    /// The backup folder, its backups, back up now and restore.
    pub backups: backups::BackupsSection,
    /// Set by the window each frame: the database has operators, who work under their
    /// own names, not the name in Settings.
    pub has_operators: bool,
}

fn text_row(ui: &mut egui::Ui, label: &str, value: &mut String, dirty: &mut bool) {
    let label = ui.label(label);
    *dirty |= ui
        .add(egui::TextEdit::singleline(value).desired_width(360.0))
        .labelled_by(label.id)
        .changed();
    ui.end_row();
}

/// The folder dialog blocks its caller, so it runs on a thread of its own; the answer
/// comes back through the receiver.
fn open_folder_dialog(ctx: egui::Context, start: &Path) -> Option<Receiver<Option<PathBuf>>> {
    let (tx, rx) = channel();
    let start = start.to_path_buf();
    std::thread::Builder::new()
        .name("shopdesk-folder-dialog".to_owned())
        .spawn(move || {
            let mut dialog = rfd::FileDialog::new();
            if start.is_dir() {
                dialog = dialog.set_directory(&start);
            }
            let _ = tx.send(dialog.pick_folder());
            ctx.request_repaint();
        })
        .ok()
        .map(|_| rx)
}

impl SettingsTab {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        db: &Path,
        busy: bool,
        commands: &mut Vec<Command>,
    ) {
        let Some(draft) = &mut self.draft else {
            ui.label(T::Loading.tr(lang));
            return;
        };
        if let Some(rx) = &self.folder_dialog
            && let Ok(answer) = rx.try_recv()
        {
            self.folder_dialog = None;
            if let Some(dir) = answer {
                draft.documents_dir = dir;
                self.dirty = true;
            }
        }
        let has_operators = self.has_operators;
        let dirty = &mut self.dirty;
        let folder_dialog = &mut self.folder_dialog;
        let backups = &mut self.backups;
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(Tx::SettingsShop.tr(lang));
            egui::Grid::new("settings-shop")
                .num_columns(2)
                .show(ui, |ui| {
                    text_row(ui, Tx::ShopName.tr(lang), &mut draft.shop_name, dirty);
                    text_row(ui, Tx::SenderName.tr(lang), &mut draft.sender_name, dirty);
                    text_row(ui, Tx::SenderPhone.tr(lang), &mut draft.sender_phone, dirty);
                    text_row(
                        ui,
                        Tx::SenderAddress.tr(lang),
                        &mut draft.sender_address,
                        dirty,
                    );
                });
            ui.add_space(theme::SECTION_GAP);
            ui.heading(Tx::SettingsDocuments.tr(lang));
            ui.horizontal(|ui| {
                let label = ui.label(Tx::DocumentsDir.tr(lang));
                // Edited as text, so that a typed or pasted path works as well as the dialog.
                let mut text = draft.documents_dir.display().to_string();
                if ui
                    .add(egui::TextEdit::singleline(&mut text).desired_width(360.0))
                    .labelled_by(label.id)
                    .changed()
                {
                    draft.documents_dir = PathBuf::from(text);
                    *dirty = true;
                }
                if ui
                    .add_enabled(
                        folder_dialog.is_none(),
                        egui::Button::new(T::Browse.tr(lang)),
                    )
                    .clicked()
                {
                    *folder_dialog = open_folder_dialog(ui.ctx().clone(), &draft.documents_dir);
                }
            });
            ui.label(egui::RichText::new(Tx::DocumentsDirHint.tr(lang)).weak());
            ui.add_space(theme::SECTION_GAP);
            backups.ui(ui, lang, &mut draft.backup_dir, dirty, busy, db, commands);
            ui.add_space(theme::SECTION_GAP);
            ui.heading(Tx::SettingsStock.tr(lang));
            *dirty |= ui
                .checkbox(&mut draft.sellable.deduct_paid, Tx::DeductPaid.tr(lang))
                .changed();
            *dirty |= ui
                .checkbox(&mut draft.sellable.deduct_unpaid, Tx::DeductUnpaid.tr(lang))
                .changed();
            ui.add_enabled_ui(draft.sellable.deduct_unpaid, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label(Tx::UnpaidAfterDays.tr(lang));
                    *dirty |= ui
                        .add(
                            egui::DragValue::new(&mut draft.sellable.unpaid_after_days)
                                .range(0..=90),
                        )
                        .labelled_by(label.id)
                        .changed();
                });
            });
            *dirty |= ui
                .checkbox(&mut draft.allow_negative_stock, Tx::AllowNegative.tr(lang))
                .changed();
            ui.add_space(theme::SECTION_GAP);
            ui.heading(Tx::SettingsOperator.tr(lang));
            egui::Grid::new("settings-operator")
                .num_columns(2)
                .show(ui, |ui| {
                    // With operators everyone signs in under their own name.
                    if !has_operators {
                        text_row(ui, T::Operator.tr(lang), &mut draft.operator, dirty);
                    }
                    let label = ui.label(Tx::Language.tr(lang));
                    ui.horizontal(|ui| {
                        *dirty |= ui
                            .radio_value(&mut draft.language, Language::English, "English")
                            .labelled_by(label.id)
                            .changed();
                        *dirty |= ui
                            .radio_value(&mut draft.language, Language::Chinese, "简体中文")
                            .changed();
                        // The idle lock, on this row so the page keeps its height.
                        ui.separator();
                        let label = ui.label(crate::ui::operators::Tx::LockAfter.tr(lang));
                        *dirty |= ui
                            .add(egui::DragValue::new(&mut draft.lock_after_minutes).range(0..=720))
                            .labelled_by(label.id)
                            .changed();
                    });
                    ui.end_row();
                });
            ui.add_space(theme::SECTION_GAP);
            ui.heading(Tx::FlagMeanings.tr(lang));
            egui::Grid::new("settings-flags")
                .num_columns(2)
                .show(ui, |ui| {
                    for (flag, meaning) in &mut draft.flag_meanings {
                        let label = ui
                            .horizontal(|ui| {
                                theme::flag_swatch(ui, *flag);
                                ui.label(crate::ui::orders::flag_text(*flag).tr(lang))
                            })
                            .inner;
                        *dirty |= ui
                            .add(egui::TextEdit::singleline(meaning).desired_width(360.0))
                            .labelled_by(label.id)
                            .changed();
                        ui.end_row();
                    }
                });
            ui.add_space(theme::SECTION_GAP);
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(*dirty, egui::Button::new(Tx::Save.tr(lang)))
                    .clicked()
                {
                    commands.push(ask(Request::Save(Box::new(draft.clone()))));
                }
                if ui
                    .add_enabled(*dirty, egui::Button::new(Tx::Revert.tr(lang)))
                    .clicked()
                {
                    commands.push(ask(Request::Overview));
                    *dirty = false;
                }
            });
            ui.add_space(theme::SECTION_GAP * 2.0);
            ui.heading(Tx::Database.tr(lang));
            ui.label(db.display().to_string());
            let picked = self.database.ui(
                ui,
                FileKind::Database,
                Tx::OpenAnother.tr(lang),
                T::Open.tr(lang),
                T::Browse.tr(lang),
            );
            if let Some(path) = picked {
                commands.push(Command::OpenDatabase(path));
            }
            ui.label(egui::RichText::new(Tx::OpenFileHint.tr(lang)).weak());
            self.couriers.ui(ui, lang, commands);
        });
    }
}

impl crate::ui::Page for SettingsTab {
    fn page_ui(&mut self, ui: &mut egui::Ui, cx: &mut crate::ui::TabCx<'_>) {
        self.ui(ui, cx.lang, cx.db_path, cx.busy, cx.commands);
    }

    fn changed(&mut self, changed: crate::app::Changed) {
        use crate::app::Changed;
        if changed.touches(Changed::SHIPPING | Changed::ORDERS) {
            self.couriers.invalidate();
        }
        if changed.touches(Changed::SETTINGS) {
            self.backups.invalidate();
        }
    }
}
