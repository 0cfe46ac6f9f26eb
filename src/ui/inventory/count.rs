//! Stock count (盘点): start for all products or a bin range, scan or type counted
//! quantities (a scanner types the code and Enter), review the differences with their
//! value, post them in one transaction.

use egui_extras::{Column, TableBuilder};

use super::InvRequest;
use super::texts::Tx;
use super::{Confirm, InventoryTab, store};
use crate::domain::format_cents;
use crate::domain::inventory::CountStatus;
use crate::store::Language;
use crate::ui::i18n::T;
use crate::ui::{Command, theme};

impl InventoryTab {
    pub(super) fn count_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        commands: &mut Vec<Command>,
    ) {
        if self.counts.is_none() {
            self.counts = Some(Vec::new());
            commands.push(store(InvRequest::Counts));
        }
        let Some(current) = self.count.as_ref().map(|c| c.row.id) else {
            self.start_ui(ui, lang, commands);
            return;
        };
        if self.count_requested != Some(current) {
            self.count_requested = Some(current);
            commands.push(store(InvRequest::CountDetail(current)));
        }
        self.current_count_ui(ui, lang, commands);
    }

    fn start_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        ui.heading(Tx::NewCount.tr(lang));
        ui.label(egui::RichText::new(Tx::StartCountHint.tr(lang)).weak());
        ui.horizontal(|ui| {
            let label = ui.label(Tx::BinFrom.tr(lang));
            ui.add(egui::TextEdit::singleline(&mut self.bin_from).desired_width(100.0))
                .labelled_by(label.id);
            let label = ui.label(Tx::BinTo.tr(lang));
            ui.add(egui::TextEdit::singleline(&mut self.bin_to).desired_width(100.0))
                .labelled_by(label.id);
            if ui.button(Tx::StartCount.tr(lang)).clicked() {
                commands.push(store(InvRequest::StartCount {
                    from: self.bin_from.clone(),
                    to: self.bin_to.clone(),
                }));
                self.forget_scan();
                self.focus_scan = true;
            }
        });
        ui.separator();
        ui.strong(Tx::PastCounts.tr(lang));
        let counts = self.counts.clone().unwrap_or_default();
        egui::Grid::new("past-counts").striped(true).show(ui, |ui| {
            for c in counts {
                if ui
                    .link(format!("{} {}", Tx::Count.tr(lang), c.id))
                    .clicked()
                {
                    self.count = Some(crate::store::CountDetail {
                        row: c.clone(),
                        ..crate::store::CountDetail::default()
                    });
                    self.count_requested = None;
                    self.forget_scan();
                }
                ui.label(count_status(c.status, lang));
                ui.label(range_text(&c.bin_from, &c.bin_to, lang));
                ui.label(format!("{}/{}", c.counted, c.lines));
                ui.label(
                    c.created_at
                        .get(..16)
                        .unwrap_or(&c.created_at)
                        .replace('T', " "),
                );
                ui.end_row();
            }
        });
    }

    fn current_count_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let Some(count) = self.count.take() else {
            return;
        };
        self.current_count_body(ui, lang, commands, &count);
        // Back to the list unless a button or a reply cleared or replaced it meanwhile.
        if self.count.is_none() && !self.back_to_list {
            self.count = Some(count);
        }
        self.back_to_list = false;
    }

    fn current_count_body(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        commands: &mut Vec<Command>,
        count: &crate::store::CountDetail,
    ) {
        let row = count.row.clone();
        let row_id = row.id;
        let open = row.status == CountStatus::Open;
        ui.horizontal(|ui| {
            ui.heading(format!("{} {}", Tx::Count.tr(lang), row.id));
            ui.label(count_status(row.status, lang));
            ui.label(range_text(&row.bin_from, &row.bin_to, lang));
            ui.label(format!(
                "{} {}/{}",
                Tx::CountedOf.tr(lang),
                count.lines.iter().filter(|l| l.counted.is_some()).count(),
                count.lines.len()
            ));
            if !open && ui.button(Tx::BackToCounts.tr(lang)).clicked() {
                self.back_to_list = true;
                self.counts = None;
            }
        });
        if open {
            ui.horizontal(|ui| {
                let label = ui.label(Tx::ScanField.tr(lang));
                // The shared scan field: it keeps the keyboard through notices and layout
                // changes and queues every scan, however fast the scanner types.
                let response = self
                    .scan
                    .ui(ui, Tx::ScanHint.tr(lang), 260.0, false)
                    .labelled_by(label.id);
                if self.focus_scan && self.confirm.is_none() {
                    if !response.has_focus() {
                        response.request_focus();
                    }
                    self.focus_scan = false;
                }
                while let Some(text) = self.scan.next_scan() {
                    commands.push(store(InvRequest::Scan {
                        count_id: row.id,
                        text,
                    }));
                }
                if let Some((text, ok)) = &self.scan_result {
                    let colour = if *ok {
                        ui.visuals().text_color()
                    } else {
                        theme::LOW_STOCK
                    };
                    ui.colored_label(colour, text);
                }
            });
        }
        ui.horizontal(|ui| {
            ui.label(format!(
                "{} {:+} · {} {}",
                Tx::DifferenceUnits.tr(lang),
                count.units,
                Tx::DifferenceValue.tr(lang),
                format_cents(count.value_cents)
            ));
            if open {
                if ui.button(Tx::PostCount.tr(lang)).clicked() {
                    self.confirm = Some(Confirm::PostCount(row.id));
                }
                if ui.button(Tx::CancelCount.tr(lang)).clicked() {
                    self.confirm = Some(Confirm::CancelCount(row.id));
                }
            }
        });
        ui.checkbox(&mut self.differences_only, Tx::DifferencesOnly.tr(lang));
        ui.separator();
        let lines: Vec<&crate::store::CountLineRow> = count
            .lines
            .iter()
            .filter(|l| {
                !self.differences_only || l.difference.as_ref().is_some_and(|d| d.difference != 0)
            })
            .collect();
        let scanned = self
            .last_scanned
            .as_ref()
            .and_then(|code| lines.iter().position(|l| &l.code == code));
        let mut table = TableBuilder::new(ui);
        // Only when the answer to a scan arrived, so the stock keeper can scroll freely.
        if let Some(index) = scanned
            && self.scroll_to_scanned
        {
            table = table.scroll_to_row(index, Some(egui::Align::Center));
        }
        self.scroll_to_scanned = false;
        table
            .id_salt("count-lines")
            .striped(true)
            .resizable(true)
            .column(Column::initial(80.0).clip(true))
            .column(Column::initial(130.0).clip(true))
            .column(Column::initial(220.0).clip(true))
            .columns(Column::initial(80.0), 3)
            .column(Column::remainder())
            .header(theme::ROW_HEIGHT, |mut header| {
                for title in [
                    Tx::ColBin.tr(lang),
                    T::ColCode.tr(lang),
                    Tx::ColName.tr(lang),
                    Tx::ColOnHand.tr(lang),
                    Tx::ColCounted.tr(lang),
                    Tx::ColDifference.tr(lang),
                    Tx::ColValue.tr(lang),
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(theme::ROW_HEIGHT, lines.len(), |mut row| {
                    let l = lines[row.index()];
                    row.set_selected(Some(row.index()) == scanned);
                    let differs = l.difference.as_ref().is_some_and(|d| d.difference != 0);
                    row.col(|ui| {
                        ui.label(&l.bin);
                    });
                    let mut code_id = None;
                    row.col(|ui| {
                        code_id = Some(ui.label(&l.code).id);
                    });
                    row.col(|ui| {
                        ui.label(&l.name);
                    });
                    row.col(|ui| {
                        ui.label(l.on_hand.to_string());
                    });
                    row.col(|ui| {
                        let counted = l.counted.map_or("–".to_owned(), |c| c.to_string());
                        match &mut self.count_edit {
                            // Typing a counted quantity: Enter sets it, anything else leaves it.
                            Some((code, text)) if open && *code == l.code => {
                                let mut edit =
                                    ui.add(egui::TextEdit::singleline(text).desired_width(60.0));
                                if let Some(id) = code_id {
                                    edit = edit.labelled_by(id);
                                }
                                if self.count_edit_focus {
                                    edit.request_focus();
                                    self.count_edit_focus = false;
                                }
                                if edit.lost_focus() {
                                    let entered = ui.input(|i| i.key_pressed(egui::Key::Enter));
                                    if let (true, Ok(n)) = (entered, text.trim().parse::<i64>())
                                        && n >= 0
                                    {
                                        commands.push(store(InvRequest::Scan {
                                            count_id: row_id,
                                            text: format!("{code}={n}"),
                                        }));
                                    }
                                    self.count_edit = None;
                                    self.focus_scan = true;
                                }
                            }
                            _ if open => {
                                let label = ui
                                    .add(egui::Label::new(counted).sense(egui::Sense::click()))
                                    .on_hover_text(Tx::ClickToEnter.tr(lang));
                                if label.clicked() {
                                    self.count_edit = Some((
                                        l.code.clone(),
                                        l.counted.map_or(String::new(), |c| c.to_string()),
                                    ));
                                    self.count_edit_focus = true;
                                }
                            }
                            _ => {
                                ui.label(counted);
                            }
                        }
                    });
                    let (diff, value) = l
                        .difference
                        .as_ref()
                        .map_or((String::new(), String::new()), |d| {
                            (format!("{:+}", d.difference), format_cents(d.value_cents))
                        });
                    for text in [diff, value] {
                        row.col(|ui| {
                            let t = egui::RichText::new(text);
                            ui.label(if differs {
                                t.color(theme::LOW_STOCK)
                            } else {
                                t
                            });
                        });
                    }
                });
            });
    }
}

fn count_status(status: CountStatus, lang: Language) -> &'static str {
    match status {
        CountStatus::Open => Tx::CountOpen,
        CountStatus::Posted => Tx::CountPosted,
        CountStatus::Cancelled => Tx::CountCancelled,
    }
    .tr(lang)
}

fn range_text(from: &str, to: &str, lang: Language) -> String {
    if from.is_empty() && to.is_empty() {
        Tx::AllBins.tr(lang).to_owned()
    } else {
        format!("{} {from} – {to}", Tx::ColBin.tr(lang))
    }
}
