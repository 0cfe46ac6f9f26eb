//! The import screen (Orders tab → Import orders): choose the export files (dialog, typed
//! path, or dropped on the window), preview what would happen with every rejected row named,
//! then commit in one transaction. Parsing and writing run on job threads.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use egui_extras::{Column, TableBuilder};

use super::texts::Tx;
use crate::app::import::{FileSample, ImportFormat, ImportPreview, ImportSpec, Reply, Request};
use crate::app::jobs::JobKind;
use crate::import::{ColumnMapping, EncodingChoice, Field};
use crate::store::Language;
use crate::ui::i18n::{T, field_label, platform_text};
use crate::ui::{Command, JobStart, Notices, ask, theme};

/// The import screen's state.
#[derive(Default)]
pub struct ImportView {
    pub open: bool,
    pub format: ImportFormat,
    /// Taobao: [order report, item report]; other formats: [file].
    pub paths: [String; 2],
    pub encoding: EncodingChoice,
    pub skip_invalid: bool,
    pub preview: Option<Box<ImportPreview>>,
    /// The saved column mappings, and the one being edited.
    pub profiles: Vec<ColumnMapping>,
    pub mapping: ColumnMapping,
    pub sample: Option<FileSample>,
    profiles_requested: bool,
    dialog: Option<Receiver<Vec<PathBuf>>>,
    /// An unmatched SKU of the preview the owner wants to match: `(sku, title)`.
    pub match_asked: Option<(String, String)>,
}

/// Which of the chosen files is the Taobao order report and which the item report, by
/// name (`ExportOrderDetailList…` / 宝贝 / 明细 are items), else in the order given.
pub fn assign_taobao_files(paths: &[PathBuf]) -> (Option<PathBuf>, Option<PathBuf>) {
    let is_items = |p: &PathBuf| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        name.contains("detail") || name.contains("宝贝") || name.contains("明细")
    };
    let items = paths.iter().find(|p| is_items(p)).cloned();
    let orders = paths.iter().find(|p| !is_items(p)).cloned();
    match (orders, items) {
        (Some(o), Some(i)) => (Some(o), Some(i)),
        (Some(o), None) => {
            let second = paths.get(1).filter(|p| **p != o).cloned();
            (Some(o), second)
        }
        (None, Some(i)) => (None, Some(i)),
        (None, None) => (None, None),
    }
}

/// Commits a previewed import on a job thread, with progress and cancel.
fn commit_job(preview: Box<ImportPreview>) -> Command {
    Command::Job(JobStart::new(
        JobKind::Import,
        2 * preview.parsed.orders.len() as u64,
        move |store, operator, tick| {
            crate::app::import::commit(store, operator, &preview, tick).map(Reply::Imported)
        },
    ))
}

impl ImportView {
    /// An answer from the store thread or the end of an import job.
    pub fn apply(&mut self, reply: Reply, lang: Language, notices: &mut Notices) {
        match reply {
            Reply::Profiles(profiles) => self.profiles = profiles,
            Reply::Sample(sample) => self.sample = Some(sample),
            Reply::Detected(Some((format, files))) if self.format != ImportFormat::Csv => {
                // Offer the importer of the dropped export: its format chosen, its files in place.
                self.format = format;
                self.preview = None;
                for (path, file) in self.paths.iter_mut().zip(&files) {
                    *path = file.display().to_string();
                }
            }
            Reply::Detected(_) => {}
            Reply::Previewed(preview) => self.preview = Some(preview),
            Reply::Imported(s) => {
                self.finish();
                notices.info(format!(
                    "{}: {}",
                    Tx::ImportCommit.tr(lang),
                    counts_text(&s, lang, ", ")
                ));
            }
        }
    }

    /// A product picked for an unmatched SKU of the preview: matched right after the
    /// import is written.
    pub fn matched(&mut self, sku: String, title: String, product_code: String) {
        if let Some(preview) = &mut self.preview {
            preview
                .matches
                .retain(|(s, t, _)| !(*s == sku && (!sku.is_empty() || *t == title)));
            preview.matches.push((sku, title, product_code));
        }
    }

    /// After a successful import: close, and forget the files and the preview (the saved
    /// mappings stay).
    pub fn finish(&mut self) {
        *self = ImportView {
            profiles: std::mem::take(&mut self.profiles),
            profiles_requested: true,
            ..ImportView::default()
        };
    }

    fn spec(&self) -> ImportSpec {
        let count = if self.format == ImportFormat::Taobao {
            2
        } else {
            1
        };
        ImportSpec {
            format: self.format,
            files: self.paths[..count]
                .iter()
                .map(|p| PathBuf::from(p.trim()))
                .collect(),
            encoding: self.encoding,
            mapping: (self.format == ImportFormat::Csv).then(|| self.mapping.clone()),
        }
    }

    fn ready(&self) -> bool {
        let count = if self.format == ImportFormat::Taobao {
            2
        } else {
            1
        };
        self.paths[..count].iter().all(|p| !p.trim().is_empty())
            && (self.format != ImportFormat::Csv || self.mapping.problems().is_empty())
    }

    /// Takes files from the dialog or dropped on the window.
    fn take_files(&mut self, files: Vec<PathBuf>, commands: &mut Vec<Command>) {
        if files.is_empty() {
            return;
        }
        self.preview = None;
        commands.push(ask(Request::Detect {
            files: files.clone(),
            encoding: self.encoding,
        }));
        if self.format == ImportFormat::Taobao {
            let (orders, items) = assign_taobao_files(&files);
            if let Some(o) = orders {
                self.paths[0] = o.display().to_string();
            }
            if let Some(i) = items {
                self.paths[1] = i.display().to_string();
            }
        } else {
            self.paths[0] = files[0].display().to_string();
            if self.format == ImportFormat::Csv {
                commands.push(ask(Request::Sample {
                    file: files[0].clone(),
                    encoding: self.encoding,
                }));
            }
        }
    }

    fn open_dialog(&mut self, ctx: egui::Context) {
        let (tx, rx) = channel();
        let spawned = std::thread::Builder::new()
            .name("shopdesk-file-dialog".to_owned())
            .spawn(move || {
                let picked = rfd::FileDialog::new()
                    .add_filter("CSV or spreadsheet", &["csv", "txt", "xlsx", "xls"])
                    .add_filter("All files", &["*"])
                    .pick_files()
                    .unwrap_or_default();
                let _ = tx.send(picked);
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.dialog = Some(rx);
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        busy: bool,
        commands: &mut Vec<Command>,
    ) {
        if !self.profiles_requested {
            self.profiles_requested = true;
            commands.push(ask(Request::Profiles));
        }
        if let Some(rx) = &self.dialog
            && let Ok(files) = rx.try_recv()
        {
            self.dialog = None;
            self.take_files(files, commands);
        }
        let dropped: Vec<PathBuf> = ui.ctx().input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        self.take_files(dropped, commands);

        ui.horizontal(|ui| {
            if ui.button(Tx::BackToOrders.tr(lang)).clicked() {
                self.open = false;
            }
            ui.heading(T::ImportOrders.tr(lang));
        });
        ui.label(egui::RichText::new(Tx::ImportHint.tr(lang)).weak());
        ui.add_space(theme::SECTION_GAP / 2.0);
        egui::ScrollArea::vertical().show(ui, |ui| {
            self.choose_ui(ui, lang, busy, commands);
            if self.format == ImportFormat::Csv {
                ui.add_space(theme::SECTION_GAP);
                self.mapping_ui(ui, lang, commands);
            }
            if let Some(preview) = &self.preview {
                ui.add_space(theme::SECTION_GAP);
                if let Some(asked) = preview_ui(ui, lang, preview) {
                    self.match_asked = Some(asked);
                }
                ui.add_space(theme::SECTION_GAP);
                let rejected = !preview.parsed.rejected.is_empty();
                if rejected {
                    ui.checkbox(&mut self.skip_invalid, Tx::SkipInvalid.tr(lang));
                }
                let can_commit = !busy && (!rejected || self.skip_invalid);
                let label = format!(
                    "{} ({})",
                    Tx::ImportCommit.tr(lang),
                    preview.parsed.orders.len()
                );
                if ui
                    .add_enabled(can_commit, egui::Button::new(label))
                    .clicked()
                    && let Some(preview) = self.preview.take()
                {
                    commands.push(commit_job(preview));
                }
            }
        });
    }

    fn choose_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        busy: bool,
        commands: &mut Vec<Command>,
    ) {
        let before = (self.format, self.paths.clone(), self.encoding);
        ui.horizontal(|ui| {
            let label = ui.label(Tx::ImportFormat.tr(lang));
            ui.radio_value(
                &mut self.format,
                ImportFormat::Taobao,
                Tx::FormatTaobao.tr(lang),
            )
            .labelled_by(label.id);
            ui.radio_value(
                &mut self.format,
                ImportFormat::Shopify,
                Tx::FormatShopify.tr(lang),
            );
            for (format, code) in [
                (ImportFormat::Jd, "jd"),
                (ImportFormat::Pinduoduo, "pinduoduo"),
                (ImportFormat::Douyin, "douyin"),
            ] {
                ui.radio_value(&mut self.format, format, platform_text(code, lang));
            }
            ui.radio_value(&mut self.format, ImportFormat::Csv, Tx::FormatCsv.tr(lang));
        });
        let fields: &[Tx] = if self.format == ImportFormat::Taobao {
            &[Tx::OrderReport, Tx::ItemReport]
        } else {
            &[Tx::ImportFile]
        };
        egui::Grid::new("import-files")
            .num_columns(2)
            .show(ui, |ui| {
                for (i, title) in fields.iter().enumerate() {
                    let label = ui.label(title.tr(lang));
                    ui.add(egui::TextEdit::singleline(&mut self.paths[i]).desired_width(480.0))
                        .labelled_by(label.id);
                    ui.end_row();
                }
            });
        ui.horizontal(|ui| {
            if ui
                .add_enabled(self.dialog.is_none(), egui::Button::new(T::Browse.tr(lang)))
                .clicked()
            {
                self.open_dialog(ui.ctx().clone());
            }
            ui.label(egui::RichText::new(Tx::DropHint.tr(lang)).weak());
        });
        ui.horizontal(|ui| {
            let label = ui.label(Tx::Encoding.tr(lang));
            let name = |e: EncodingChoice| match e {
                EncodingChoice::Auto => Tx::EncodingAuto.tr(lang),
                EncodingChoice::Utf8 => "UTF-8",
                EncodingChoice::Gb18030 => "GB18030 / GBK",
                EncodingChoice::Big5 => "Big5",
                EncodingChoice::ShiftJis => "Shift-JIS",
            };
            egui::ComboBox::from_id_salt("import-encoding")
                .selected_text(name(self.encoding))
                .show_ui(ui, |ui| {
                    for e in [
                        EncodingChoice::Auto,
                        EncodingChoice::Utf8,
                        EncodingChoice::Gb18030,
                        EncodingChoice::Big5,
                        EncodingChoice::ShiftJis,
                    ] {
                        ui.selectable_value(&mut self.encoding, e, name(e));
                    }
                })
                .response
                .labelled_by(label.id);
            if let Some(p) = &self.preview {
                let used = p
                    .parsed
                    .encodings
                    .iter()
                    .map(|(file, e)| {
                        if p.parsed.guessed.contains(file) {
                            // A guess of the detector: the owner checks the rows below.
                            let guess = match lang {
                                Language::English => {
                                    "a guess: choose another if the text looks wrong"
                                }
                                Language::Chinese => "猜测：文字若为乱码请另选编码",
                            };
                            format!("{} ({guess})", e.name())
                        } else {
                            crate::ui::messages::encoding_text(*e, lang)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                ui.label(format!("{}: {used}", Tx::EncodingUsed.tr(lang)));
            }
        });
        if (self.format, self.paths.clone(), self.encoding) != before {
            // Another file or encoding: the old preview no longer applies.
            self.preview = None;
            if self.format == ImportFormat::Csv && !self.paths[0].trim().is_empty() {
                commands.push(ask(Request::Sample {
                    file: PathBuf::from(self.paths[0].trim()),
                    encoding: self.encoding,
                }));
            }
        }
        let enabled = self.ready() && !busy;
        if ui
            .add_enabled(enabled, egui::Button::new(Tx::ImportPreview.tr(lang)))
            .clicked()
        {
            let spec = self.spec();
            commands.push(Command::Job(JobStart::new(
                JobKind::ImportPreview,
                spec.bytes(),
                move |store, operator, tick| {
                    crate::app::import::preview(store, operator, spec, tick)
                        .map(|preview| Reply::Previewed(Box::new(preview)))
                },
            )));
        }
    }

    fn mapping_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        ui.heading(Tx::ColumnMapping.tr(lang));
        ui.horizontal(|ui| {
            let label = ui.label(Tx::Profile.tr(lang));
            let mut chosen = None;
            egui::ComboBox::from_id_salt("import-profile")
                .selected_text(if self.mapping.name.is_empty() {
                    "—".to_owned()
                } else {
                    self.mapping.name.clone()
                })
                .show_ui(ui, |ui| {
                    for profile in &self.profiles {
                        if ui
                            .selectable_label(profile.name == self.mapping.name, &profile.name)
                            .clicked()
                        {
                            chosen = Some(profile.clone());
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            if let Some(profile) = chosen {
                self.mapping = profile;
                self.preview = None;
            }
            let label = ui.label(Tx::ProfileName.tr(lang));
            ui.add(egui::TextEdit::singleline(&mut self.mapping.name).desired_width(160.0))
                .labelled_by(label.id);
            let label = ui.label(Tx::ColPlatform.tr(lang));
            ui.add(egui::TextEdit::singleline(&mut self.mapping.platform).desired_width(100.0))
                .labelled_by(label.id);
            let can_save =
                !self.mapping.name.trim().is_empty() && self.mapping.problems().is_empty();
            if ui
                .add_enabled(can_save, egui::Button::new(Tx::SaveProfile.tr(lang)))
                .clicked()
            {
                commands.push(ask(Request::SaveProfile(self.mapping.clone())));
            }
        });
        let Some(sample) = &self.sample else {
            ui.label(egui::RichText::new(Tx::ChooseFileFirst.tr(lang)).weak());
            return;
        };
        let headers = sample.headers.clone();
        let first_row = sample.rows.first().cloned().unwrap_or_default();
        let mut changed = false;
        egui::Grid::new("import-mapping")
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                for field in Field::ALL {
                    let required = if field.is_required() { " *" } else { "" };
                    let label = ui.label(format!("{}{required}", field_label(field, lang)));
                    let current = self.mapping.header(field).map(str::to_owned);
                    let mut selected = current.clone();
                    egui::ComboBox::from_id_salt(("map", field.code()))
                        .selected_text(selected.clone().unwrap_or_else(|| "—".to_owned()))
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut selected, None, "—");
                            for h in &headers {
                                ui.selectable_value(&mut selected, Some(h.clone()), h);
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    // Live preview: the first row's value under the chosen header.
                    let value = selected
                        .as_ref()
                        .and_then(|h| headers.iter().position(|x| x == h))
                        .and_then(|i| first_row.get(i))
                        .cloned()
                        .unwrap_or_default();
                    ui.label(egui::RichText::new(value).weak());
                    ui.end_row();
                    if selected != current {
                        changed = true;
                        self.mapping.columns.retain(|(f, _)| *f != field);
                        if let Some(h) = selected {
                            self.mapping.columns.push((field, h));
                        }
                    }
                }
            });
        if changed {
            self.preview = None;
        }
        for problem in self.mapping.problems() {
            ui.colored_label(theme::LOW_STOCK, problem);
        }
    }
}

/// The preview; returns the unmatched SKU whose "Match…" was clicked, `(sku, title)`.
fn preview_ui(
    ui: &mut egui::Ui,
    lang: Language,
    preview: &ImportPreview,
) -> Option<(String, String)> {
    let mut asked = None;
    let s = &preview.summary;
    ui.heading(Tx::ImportPreview.tr(lang));
    ui.label(counts_text(s, lang, " · "));
    if !preview.parsed.rejected.is_empty() {
        ui.add_space(6.0);
        ui.strong(Tx::RejectedRows.tr(lang));
        TableBuilder::new(ui)
            .id_salt("rejected-rows")
            .striped(true)
            .max_scroll_height(220.0)
            .column(Column::initial(260.0).clip(true))
            .column(Column::initial(50.0))
            .column(Column::initial(140.0).clip(true))
            .column(Column::remainder().clip(true))
            .header(theme::ROW_HEIGHT, |mut header| {
                for title in [
                    Tx::ImportFile.tr(lang),
                    T::Line.tr(lang),
                    T::Column.tr(lang),
                    Tx::Reason.tr(lang),
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(
                    theme::ROW_HEIGHT,
                    preview.parsed.rejected.len(),
                    |mut row| {
                        let r = &preview.parsed.rejected[row.index()];
                        row.col(|ui| {
                            let name = r.file.file_name().map(|n| n.to_string_lossy().into_owned());
                            ui.label(name.unwrap_or_default());
                        });
                        row.col(|ui| {
                            ui.label(r.at());
                        });
                        row.col(|ui| {
                            ui.label(crate::ui::messages::import_column(&r.column, lang));
                        });
                        row.col(|ui| {
                            ui.label(crate::ui::messages::import_message(&r.message, lang));
                        });
                    },
                );
            });
    }
    if !s.flagged.is_empty() {
        ui.add_space(6.0);
        ui.colored_label(
            theme::ERROR_BG,
            format!(
                "{}: {}",
                Tx::FlaggedAfterPrint.tr(lang),
                s.flagged.join(", ")
            ),
        );
    }
    if !s.unmatched.is_empty() {
        ui.add_space(6.0);
        ui.strong(Tx::UnmatchedSkus.tr(lang));
        for u in s.unmatched.iter().take(50) {
            ui.horizontal(|ui| {
                ui.label(format!("{} · {} · {}", u.sku, u.title, u.lines));
                let matched = preview.matches.iter().find(|(sku, title, _)| {
                    *sku == u.sku && (!sku.is_empty() || *title == u.title)
                });
                if let Some((_, _, code)) = matched {
                    ui.label(format!("→ {code} ({})", Tx::MatchAfterImport.tr(lang)));
                }
                if ui.button(Tx::MatchButton.tr(lang)).clicked() {
                    asked = Some((u.sku.clone(), u.title.clone()));
                }
            });
        }
    }
    if !s.changes.is_empty() {
        ui.add_space(6.0);
        ui.strong(Tx::Changes.tr(lang));
        for change in s.changes.iter().take(100) {
            ui.label(crate::ui::i18n::detail_text(
                crate::domain::LogKind::Import,
                change,
                lang,
            ));
        }
    }
    asked
}

/// What an import does or did: new, updated, unchanged and rejected orders, joined by `sep`.
fn counts_text(s: &crate::store::ImportSummary, lang: Language, sep: &str) -> String {
    [
        (s.new, T::CountNew.tr(lang)),
        (s.updated, T::CountUpdated.tr(lang)),
        (s.unchanged, Tx::CountUnchanged.tr(lang)),
        (s.rejected, Tx::CountRejected.tr(lang)),
    ]
    .map(|(n, what)| format!("{n} {what}"))
    .join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taobao_files_are_told_apart_by_name() {
        let p = |s: &str| PathBuf::from(s);
        let cases = [
            (
                vec![
                    p("ExportOrderDetailList2026.csv"),
                    p("ExportOrderList2026.csv"),
                ],
                (
                    Some(p("ExportOrderList2026.csv")),
                    Some(p("ExportOrderDetailList2026.csv")),
                ),
            ),
            (
                vec![p("订单.csv"), p("宝贝明细.csv")],
                (Some(p("订单.csv")), Some(p("宝贝明细.csv"))),
            ),
            (
                vec![p("a.csv"), p("b.csv")],
                (Some(p("a.csv")), Some(p("b.csv"))),
            ),
            (vec![p("a.csv")], (Some(p("a.csv")), None)),
        ];
        for (files, expected) in cases {
            assert_eq!(assign_taobao_files(&files), expected, "{files:?}");
        }
    }
}
