//! The Backups section of Settings: the backup folder, "Back up now", the backups in the
//! folder with what each holds, and a restore of one of them; and the window's handling
//! of the backup replies (the status bar's age of the last backup, the daily backup).

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use crate::app::backup::{self, Listed, Reply, Request};
use crate::app::jobs::JobKind;
use crate::store::Language;
use crate::store::backup::Restored;
use crate::ui::i18n::T;
use crate::ui::widgets::confirm_ui;
use crate::ui::{Command, JobStart, ShopDeskApp, ask, theme};

use super::open_folder_dialog;
use super::texts::Tx;

/// What the Backups section keeps between frames.
#[derive(Default)]
pub struct BackupsSection {
    /// The backup folder and its backups (or why it cannot be read), once listed.
    listed: Option<(PathBuf, Result<Vec<Listed>, String>)>,
    /// The list was asked for and has not arrived.
    asked: bool,
    /// The backup "Back up now" wrote last.
    last_written: Option<PathBuf>,
    /// The backup to restore, while the confirmation asks.
    confirm: Option<Listed>,
    /// The open folder dialog's answer, while it is open.
    folder_dialog: Option<Receiver<Option<PathBuf>>>,
}

/// `template` with each `{key}` replaced by its value.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (key, value)| {
            text.replace(&format!("{{{key}}}"), value)
        })
}

/// A file size the way a file manager says it.
pub fn size_text(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.0} KB", b / KB)
    } else if b < KB * KB * KB {
        format!("{:.1} MB", b / KB / KB)
    } else {
        format!("{:.2} GB", b / KB / KB / KB)
    }
}

/// The date part of a stored time (`2026-11-30T10:00:00+08:00` → `2026-11-30`).
fn day_of(stored: Option<&str>) -> String {
    stored.and_then(|t| t.get(..10)).unwrap_or("—").to_owned()
}

fn taken_text(listed: &Listed) -> String {
    listed
        .entry
        .stamp
        .at
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The job behind "Back up now".
fn back_up_now_job() -> Command {
    Command::Job(JobStart::new(
        JobKind::Backup,
        backup::PROGRESS_TOTAL,
        |store, operator, tick| backup::back_up_now(store, operator, tick),
    ))
}

/// `template` (with `{db}`, `{date}`, `{orders}`, `{products}`, `{last}` and `{dir}`) filled
/// for restoring `listed` over `db`.
pub(crate) fn restore_question(template: &str, db: &Path, listed: &Listed) -> String {
    let (orders, products, last) = match &listed.holdings {
        Ok(h) => (
            h.orders.to_string(),
            h.products.to_string(),
            day_of(h.last_order_at.as_deref()),
        ),
        Err(_) => ("?".to_owned(), "?".to_owned(), "?".to_owned()),
    };
    let dir = listed
        .entry
        .path
        .parent()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    fill(
        template,
        &[
            ("db", db.display().to_string()),
            ("date", taken_text(listed)),
            ("orders", orders),
            ("products", products),
            ("last", last),
            ("dir", dir),
        ],
    )
}

/// The backups of a folder in a grid: when, how big, what each holds, and Restore… (a
/// backup that cannot be read cannot be chosen). Returns the backup whose Restore… was
/// clicked.
pub(crate) fn backups_grid(
    ui: &mut egui::Ui,
    lang: Language,
    backups: &[Listed],
    busy: bool,
) -> Option<Listed> {
    let mut restore = None;
    egui::ScrollArea::vertical()
        .id_salt("backups-list")
        .max_height(220.0)
        .show(ui, |ui| {
            egui::Grid::new("backups")
                .num_columns(6)
                .striped(true)
                .show(ui, |ui| {
                    for head in [
                        Tx::BackupTaken,
                        Tx::BackupSize,
                        Tx::BackupOrders,
                        Tx::BackupProducts,
                        Tx::BackupLastOrder,
                    ] {
                        ui.strong(head.tr(lang));
                    }
                    ui.end_row();
                    for listed in backups {
                        ui.label(taken_text(listed));
                        ui.label(size_text(listed.entry.size_bytes));
                        match &listed.holdings {
                            Ok(h) => {
                                ui.label(h.orders.to_string());
                                ui.label(h.products.to_string());
                                ui.label(day_of(h.last_order_at.as_deref()));
                            }
                            Err(reason) => {
                                ui.colored_label(theme::WARNING, Tx::BackupUnreadable.tr(lang))
                                    .on_hover_text(reason);
                                ui.label("");
                                ui.label("");
                            }
                        }
                        if ui
                            .add_enabled(
                                !busy && listed.holdings.is_ok(),
                                egui::Button::new(Tx::RestoreButton.tr(lang)),
                            )
                            .clicked()
                        {
                            restore = Some(listed.clone());
                        }
                        ui.end_row();
                    }
                });
        });
    restore
}

impl BackupsSection {
    /// Forgets the list (the folder or its backups changed); the next frame asks again.
    pub fn invalidate(&mut self) {
        self.listed = None;
        self.asked = false;
    }

    /// Draws the section. `folder` is the settings draft's backup folder; `dirty` says the
    /// draft has unsaved changes (a backup goes to the saved folder).
    #[allow(clippy::too_many_arguments)]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        folder: &mut PathBuf,
        dirty: &mut bool,
        busy: bool,
        db: &Path,
        commands: &mut Vec<Command>,
    ) {
        if let Some(rx) = &self.folder_dialog
            && let Ok(answer) = rx.try_recv()
        {
            self.folder_dialog = None;
            if let Some(dir) = answer {
                *folder = dir;
                *dirty = true;
            }
        }
        if self.listed.is_none() && !self.asked {
            self.asked = true;
            commands.push(ask(Request::List));
        }
        ui.heading(Tx::SettingsBackups.tr(lang));
        ui.horizontal(|ui| {
            let label = ui.label(Tx::BackupDir.tr(lang));
            let mut text = folder.display().to_string();
            if ui
                .add(egui::TextEdit::singleline(&mut text).desired_width(360.0))
                .labelled_by(label.id)
                .changed()
            {
                *folder = PathBuf::from(text);
                *dirty = true;
            }
            if ui
                .add_enabled(
                    self.folder_dialog.is_none(),
                    egui::Button::new(T::Browse.tr(lang)),
                )
                .clicked()
            {
                self.folder_dialog = open_folder_dialog(ui.ctx().clone(), folder);
            }
        });
        ui.label(egui::RichText::new(Tx::BackupDirHint.tr(lang)).weak());
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!busy && !*dirty, egui::Button::new(Tx::BackUpNow.tr(lang)))
                .clicked()
            {
                commands.push(back_up_now_job());
            }
            if *dirty {
                ui.label(egui::RichText::new(Tx::SaveBeforeBackup.tr(lang)).weak());
            }
        });
        if let Some(path) = &self.last_written {
            ui.horizontal(|ui| {
                ui.label(Tx::BackupWritten.tr(lang));
                ui.label(path.display().to_string());
                if ui.button(Tx::OpenBackupFolder.tr(lang)).clicked()
                    && let Some(dir) = path.parent()
                {
                    commands.push(Command::OpenFolder(dir.to_path_buf()));
                }
            });
        }
        self.list_ui(ui, lang, busy);
        let question = |listed: &Listed| restore_question(Tx::RestoreQuestion.tr(lang), db, listed);
        if let Some(listed) = confirm_ui(
            ui.ctx(),
            lang,
            "restore-backup",
            &mut self.confirm,
            question,
            Tx::RestoreYes.tr(lang),
        ) {
            commands.push(ask(Request::Restore(listed.entry.path)));
        }
    }

    /// The backups in the folder: when, how big, what each holds, and Restore….
    fn list_ui(&mut self, ui: &mut egui::Ui, lang: Language, busy: bool) {
        let Some((dir, backups)) = &self.listed else {
            ui.label(T::Loading.tr(lang));
            return;
        };
        ui.label(
            egui::RichText::new(format!("{} {}", Tx::BackupsIn.tr(lang), dir.display())).weak(),
        );
        let backups = match backups {
            Ok(backups) => backups,
            Err(reason) => {
                ui.colored_label(theme::DANGER, reason);
                return;
            }
        };
        if backups.is_empty() {
            ui.label(Tx::NoBackups.tr(lang));
            return;
        }
        let restore = backups_grid(ui, lang, backups, busy);
        if restore.is_some() {
            self.confirm = restore;
        }
    }
}

impl ShopDeskApp {
    /// Hands a backup reply to the status bar and the Backups section.
    pub(crate) fn apply_backup(&mut self, reply: Reply) {
        let lang = self.language();
        let section = &mut self.tabs.settings_tab.backups;
        match reply {
            Reply::Status(status) => self.last_backup = Some(status),
            Reply::Listed { dir, backups } => {
                section.listed = Some((dir, backups));
                section.asked = false;
            }
            Reply::BackedUp {
                path,
                automatic,
                pruned,
            } => {
                let head = if automatic {
                    Tx::DailyBackupWritten
                } else {
                    section.last_written = Some(path.clone());
                    Tx::BackupWritten
                };
                section.invalidate();
                self.notice(format!("{} {}", head.tr(lang), path.display()), false);
                if let Some(reason) = pruned.failed {
                    self.notice(format!("{} {reason}", Tx::PruneFailed.tr(lang)), true);
                }
                self.backend.send(Request::Status);
            }
            Reply::NotDue => {}
            Reply::Restored(restored) => self.restored(&restored),
        }
    }

    /// After a restore: the window opens the restored file afresh (every tab forgets what
    /// it showed), then says what was restored and where the replaced file is.
    fn restored(&mut self, restored: &Restored) {
        let lang = self.language();
        self.run(Command::OpenDatabase(self.backend.path().to_path_buf()));
        let text = fill(
            Tx::Restored.tr(lang),
            &[
                ("file", restored.info.path.display().to_string()),
                ("orders", restored.info.orders.to_string()),
                ("products", restored.info.products.to_string()),
                ("previous", restored.previous.display().to_string()),
            ],
        );
        self.notice(text, false);
        if restored.operators_kept > 0 {
            let text = fill(
                Tx::RestoredOperators.tr(lang),
                &[("count", restored.operators_kept.to_string())],
            );
            self.notice(text, false);
        }
        if let Some(reason) = &restored.pruned.failed {
            self.notice(format!("{} {reason}", Tx::PruneFailed.tr(lang)), true);
        }
    }

    /// Starts the daily backup once the store has opened the file, if the window asked for
    /// it ([`ShopDeskApp::take_daily_backup`]) and no other job runs.
    pub(crate) fn start_daily_backup_when_open(&mut self) {
        if !self.daily_backup_wanted || self.overview.is_none() || self.job.is_some() {
            return;
        }
        self.daily_backup_wanted = false;
        self.run(Command::Job(JobStart::new(
            JobKind::Backup,
            backup::PROGRESS_TOTAL,
            |store, _operator, tick| backup::daily(store, tick),
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        for (bytes, text) in [
            (0, "0 B"),
            (1023, "1023 B"),
            (1024, "1 KB"),
            (900 * 1024, "900 KB"),
            (5 * 1024 * 1024 + 300 * 1024, "5.3 MB"),
            (3 * 1024 * 1024 * 1024, "3.00 GB"),
        ] {
            assert_eq!(size_text(bytes), text);
        }
    }

    #[test]
    fn placeholders() {
        assert_eq!(
            fill(
                "{a} and {b}, {a}",
                &[("a", "x".to_owned()), ("b", "y".to_owned())]
            ),
            "x and y, x"
        );
    }
}
