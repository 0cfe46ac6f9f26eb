//! The screen of a shop file that cannot be opened (damaged beyond reading, or failing its
//! checks on open): why, and the backups of its backup folder with what each holds. One of
//! them replaces the file after a confirmation; the file as it is is kept aside in the
//! backup folder first, as `shopdesk restore` does, and the window then opens the restored
//! file.

use std::path::PathBuf;

use crate::app::backup::{Listed, OpenFailure, Request};
use crate::store::{Language, StoreError};
use crate::ui::i18n::texts;
use crate::ui::settings::backups::{backups_grid, restore_question};
use crate::ui::widgets::confirm_ui;
use crate::ui::{Command, ask, theme};

texts! {
    /// A text of the screen of a file that cannot be opened.
    pub enum Rx {
        Title => ("This shop file cannot be opened", "无法打开这个店铺文件"),
        Why => ("What went wrong:", "出错原因："),
        Damaged => ("{path} is damaged ({detail}).", "{path} 已损坏（{detail}）。"),
        Offer => (
            "Replace it with one of the backups below, newest first. The file as it is now is kept aside in the backup folder first, so nothing is thrown away.",
            "可以用下面的某个备份替换它（最新的在最上面）。替换前会先把当前文件原样保存到备份文件夹，不会丢弃任何内容。",
        ),
        BackupsIn => ("Backups in", "备份位置"),
        NoBackups => (
            "No ShopDesk backup was found in this folder. If you keep a copy elsewhere (a USB disk, a synced folder), restore it with: shopdesk restore BACKUP-FILE",
            "这个文件夹里没有 ShopDesk 备份。如果别处（U 盘、同步文件夹）还有副本，请用以下命令恢复：shopdesk restore 备份文件",
        ),
        FolderUnreadable => (
            "The backup folder cannot be read (plug in the disk that holds it, then start ShopDesk again):",
            "无法读取备份文件夹（请插上存放备份的磁盘，然后重新启动 ShopDesk）：",
        ),
        NoRestore => (
            "A backup does not help here: start ShopDesk with --db PATH to open another file.",
            "恢复备份解决不了这个问题：请用 --db 路径 启动 ShopDesk 打开其他文件。",
        ),
        Question => (
            "Replace the shop file {db}, which cannot be opened, with the backup taken {date} ({orders} orders, {products} products, last order {last})? Everything written since that backup is lost unless you recover it from the file as it is now, which is first kept aside in {dir}.",
            "用 {date} 的备份（{orders} 个订单，{products} 个商品，最后订单 {last}）替换无法打开的店铺文件 {db}？该备份之后写入的内容将不在恢复后的文件里；当前文件会先原样保存到 {dir}，需要时可从中找回。",
        ),
        Yes => ("Restore this backup", "恢复这个备份"),
    }
}

/// Why the file cannot be opened, in `lang`. A damaged file's error also tells the way
/// out on the command line; the screen offers the backups itself, so only the cause.
fn cause_text(error: &StoreError, lang: Language) -> String {
    match error {
        StoreError::Damaged { path, detail, .. } => Rx::Damaged
            .tr(lang)
            .replace("{path}", &path.display().to_string())
            .replace("{detail}", detail),
        other => crate::ui::messages::store_error_text(other, lang),
    }
}

/// What the screen keeps between frames: the failure, and the backup to restore while the
/// confirmation asks.
#[derive(Debug)]
pub struct Recovery {
    pub failure: OpenFailure,
    confirm: Option<Listed>,
}

impl Recovery {
    pub fn new(failure: OpenFailure) -> Recovery {
        Recovery {
            failure,
            confirm: None,
        }
    }

    /// Draws the screen; a confirmed restore goes to the store's thread, which does it
    /// without the file open.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        busy: bool,
        commands: &mut Vec<Command>,
    ) {
        let failure = &self.failure;
        ui.add_space(24.0);
        ui.heading(egui::RichText::new(Rx::Title.tr(lang)).color(theme::DANGER));
        ui.label(failure.db.display().to_string());
        ui.add_space(8.0);
        ui.label(egui::RichText::new(Rx::Why.tr(lang)).strong());
        ui.label(cause_text(&failure.error, lang));
        ui.add_space(12.0);
        let mut chosen = None;
        match &failure.recovery {
            None => {
                ui.label(Rx::NoRestore.tr(lang));
            }
            Some((dir, backups)) => {
                ui.label(
                    egui::RichText::new(format!("{} {}", Rx::BackupsIn.tr(lang), dir.display()))
                        .weak(),
                );
                match backups {
                    Err(reason) => {
                        ui.colored_label(theme::DANGER, Rx::FolderUnreadable.tr(lang));
                        ui.label(reason.as_str());
                    }
                    Ok(backups) if backups.is_empty() => {
                        ui.label(Rx::NoBackups.tr(lang));
                    }
                    Ok(backups) => {
                        ui.label(Rx::Offer.tr(lang));
                        ui.add_space(6.0);
                        chosen = backups_grid(ui, lang, backups, busy);
                    }
                }
            }
        }
        if chosen.is_some() {
            self.confirm = chosen;
        }
        let db = self.failure.db.clone();
        let question = |listed: &Listed| restore_question(Rx::Question.tr(lang), &db, listed);
        if let Some(listed) = confirm_ui(
            ui.ctx(),
            lang,
            "restore-unopened",
            &mut self.confirm,
            question,
            Rx::Yes.tr(lang),
        ) {
            let backup: PathBuf = listed.entry.path;
            commands.push(ask(Request::Restore(backup)));
        }
    }
}
