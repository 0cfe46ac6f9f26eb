//! The Inventory tab: every product with its stock figures (the full tab comes with its
//! own issue: editing, purchases, counts, the ledger).

use egui_extras::{Column, TableBuilder};

use super::backend::Request;
use super::i18n::T;
use super::{Command, theme};
use crate::store::{Language, StockRow};

#[derive(Default)]
pub struct InventoryTab {
    pub rows: Option<Vec<StockRow>>,
    requested: bool,
    pub filter: String,
}

impl InventoryTab {
    pub fn invalidate(&mut self) {
        self.rows = None;
        self.requested = false;
    }

    pub fn receive(&mut self, rows: Vec<StockRow>) {
        self.rows = Some(rows);
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let Some(rows) = &self.rows else {
            if !self.requested {
                self.requested = true;
                commands.push(Command::Store(Request::Stock));
            }
            ui.label(T::Loading.tr(lang));
            return;
        };
        if rows.is_empty() {
            ui.add_space(24.0);
            ui.label(T::InventoryEmpty.tr(lang));
            return;
        }
        ui.horizontal(|ui| {
            let label = ui.label(T::Search.tr(lang));
            ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(240.0))
                .labelled_by(label.id);
        });
        let needle = self.filter.trim().to_lowercase();
        let visible: Vec<&StockRow> = rows
            .iter()
            .filter(|r| {
                needle.is_empty()
                    || r.code.to_lowercase().contains(&needle)
                    || r.name.to_lowercase().contains(&needle)
            })
            .collect();
        ui.label(format!("{} {}", visible.len(), T::ProductsCount.tr(lang)));
        TableBuilder::new(ui)
            .id_salt("stock-table")
            .striped(true)
            .resizable(true)
            .column(Column::initial(130.0).clip(true))
            .column(Column::initial(260.0).clip(true))
            .columns(Column::initial(90.0), 4)
            .column(Column::remainder())
            .header(theme::ROW_HEIGHT, |mut header| {
                for title in [
                    T::ColCode,
                    T::ColName,
                    T::ColOnHand,
                    T::ColTheoretical,
                    T::ColSellable,
                    T::ColInTransit,
                    T::ColBin,
                ] {
                    header.col(|ui| {
                        ui.strong(title.tr(lang));
                    });
                }
            })
            .body(|body| {
                body.rows(theme::ROW_HEIGHT, visible.len(), |mut row| {
                    let r = visible[row.index()];
                    let low = !r.is_bundle && r.sellable <= r.reorder_point;
                    row.col(|ui| {
                        ui.label(&r.code);
                    });
                    row.col(|ui| {
                        ui.label(&r.name);
                    });
                    for value in [r.on_hand, r.theoretical, r.sellable] {
                        row.col(|ui| {
                            let text = egui::RichText::new(value.to_string());
                            ui.label(if low {
                                text.color(theme::LOW_STOCK)
                            } else {
                                text
                            });
                        });
                    }
                    row.col(|ui| {
                        match (&r.in_transit_expected, r.in_transit) {
                            (Some(date), n) if n > 0 => ui.label(format!("{n} ({date})")),
                            (_, n) => ui.label(n.to_string()),
                        };
                    });
                    row.col(|ui| {
                        ui.label(&r.bin);
                    });
                });
            });
    }
}
