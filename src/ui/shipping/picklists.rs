//! The Pick lists tab: choose approved orders (all that can print, narrowed by flag or
//! courier, or the Orders tab's selection), create a numbered batch and print its pick
//! list; reprint it, print its packing slips, or go on to its waybills. Printing runs as
//! a job (progress, cancel); the PDF is saved under Documents/ShopDesk and can be opened
//! or sent to the printer.

use std::collections::BTreeSet;

use super::texts::Tx;
use super::{ShippingData, print};
use crate::app::shipping::{PrintKind, Request as ShipRequest};
use crate::domain::Flag;
use crate::store::{Language, OrderRow, batch_number};
use crate::ui::backend::Request;
use crate::ui::i18n::{ORDERS, T, count_text};
use crate::ui::{Command, theme, widgets};

/// The Pick lists tab's own state.
#[derive(Default)]
pub struct PickListsTab {
    asked: bool,
    /// Narrow the printable orders to one flag colour.
    pub flag: Option<Flag>,
    /// Narrow to orders whose courier contains this text.
    pub courier: String,
    /// Narrow to orders whose number, platform, receiver, province or city contains this.
    pub filter: String,
    /// The orders checked for the next batch.
    pub chosen: BTreeSet<i64>,
    /// The batch selected in the list of batches.
    pub batch: Option<i64>,
    /// A new batch is being printed: select it when the list of batches comes back.
    pub(super) select_newest: bool,
}

impl PickListsTab {
    /// Takes the Orders tab's selection as the next batch.
    pub fn take_selection(&mut self, ids: Vec<i64>) {
        self.chosen = ids.into_iter().collect();
    }

    pub fn invalidate(&mut self) {
        self.asked = false;
    }

    fn shown<'a>(&self, candidates: Option<&'a [OrderRow]>) -> Vec<&'a OrderRow> {
        let courier = self.courier.trim();
        let filter = self.filter.trim();
        candidates
            .into_iter()
            .flatten()
            .filter(|r| self.flag.is_none_or(|f| r.flag == f))
            .filter(|r| courier.is_empty() || r.courier.contains(courier))
            .filter(|r| {
                filter.is_empty()
                    || [
                        &r.order_no,
                        &r.platform,
                        &r.receiver_name,
                        &r.province,
                        &r.city,
                    ]
                    .iter()
                    .any(|t| t.contains(filter))
            })
            .collect()
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        data: &mut ShippingData,
        busy: bool,
        commands: &mut Vec<Command>,
    ) {
        data.request_missing(commands, &mut self.asked);
        ui.heading(T::TabPickLists.tr(lang));
        ui.label(egui::RichText::new(Tx::ShipPickIntro.tr(lang)).weak());
        ui.add_space(4.0);
        let mut refresh = false;
        let candidates = data.candidates.take();
        let shown = self.shown(candidates.as_deref());
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(Tx::ShipFlag.tr(lang));
            egui::ComboBox::from_id_salt("pick-flag")
                .selected_text(match self.flag {
                    None => Tx::ShipAnyFlag.tr(lang).to_owned(),
                    Some(f) => f.code().to_owned(),
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.flag, None, Tx::ShipAnyFlag.tr(lang));
                    for f in Flag::ALL {
                        ui.selectable_value(&mut self.flag, Some(f), f.code());
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(Tx::ShipCourier.tr(lang));
            ui.add(egui::TextEdit::singleline(&mut self.courier).desired_width(100.0))
                .labelled_by(label.id);
            let label = ui.label(Tx::ShipFilter.tr(lang));
            ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(160.0))
                .labelled_by(label.id);
            if ui.button(Tx::ShipRefresh.tr(lang)).clicked() {
                refresh = true;
            }
        });
        widgets::choose_bar_ui(ui, lang, &shown, &mut self.chosen, true);
        if candidates.is_none() {
            ui.label(T::Loading.tr(lang));
        } else if shown.is_empty() {
            ui.label(Tx::PickListsEmpty.tr(lang));
        }
        widgets::order_checklist_ui(ui, lang, "pick-candidates", &shown, &mut self.chosen, 260.0);
        ui.add_space(4.0);
        // Slots follow the list (oldest first); orders chosen elsewhere come after.
        let mut ids: Vec<i64> = shown
            .iter()
            .filter(|r| self.chosen.contains(&r.id))
            .map(|r| r.id)
            .collect();
        let elsewhere: Vec<i64> = self
            .chosen
            .iter()
            .filter(|id| !ids.contains(id))
            .copied()
            .collect();
        ids.extend(elsewhere);
        let create = ui.add_enabled(
            !busy && !ids.is_empty(),
            egui::Button::new(Tx::ShipCreateBatch.tr(lang)),
        );
        if create.clicked() {
            self.select_newest = true;
            commands.push(print(data.job(PrintKind::PickList(ids), "picklist")));
            self.chosen.clear();
        }
        drop(shown);
        data.candidates = candidates;
        widgets::output_ui(
            ui,
            lang,
            data.last.as_ref(),
            &mut data.open_when_done,
            &mut data.send_to_printer,
            commands,
        );
        if refresh {
            data.invalidate();
            self.asked = false;
        }

        ui.add_space(theme::SECTION_GAP);
        ui.heading(Tx::ShipBatches.tr(lang));
        let batches = data.batches.clone().unwrap_or_default();
        if batches.is_empty() {
            ui.label(egui::RichText::new(Tx::ShipNoBatches.tr(lang)).weak());
        }
        egui::ScrollArea::vertical()
            .id_salt("pick-batches")
            .max_height(160.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                for b in &batches {
                    let text = format!(
                        "{}  {}  {}  {}",
                        batch_number(b.id),
                        b.created_at
                            .chars()
                            .take(16)
                            .collect::<String>()
                            .replace('T', " "),
                        count_text(b.orders, ORDERS, lang),
                        count_text(b.prints, super::PRINTS, lang)
                    );
                    if ui
                        .selectable_label(self.batch == Some(b.id), text)
                        .clicked()
                    {
                        self.batch = Some(b.id);
                        commands.push(Command::Store(Request::Shipping(ShipRequest::BatchOrders(
                            b.id,
                        ))));
                    }
                }
            });
        if let Some(batch) = self.batch {
            let ids: Vec<i64> = match &data.batch_orders {
                Some((b, rows)) if *b == batch => rows.iter().map(|r| r.id).collect(),
                _ => Vec::new(),
            };
            ui.horizontal_wrapped(|ui| {
                ui.label(batch_number(batch));
                ui.add_enabled_ui(!busy, |ui| {
                    if ui.button(Tx::ShipReprintPickList.tr(lang)).clicked() {
                        commands.push(print(
                            data.job(PrintKind::ReprintPickList(batch), "picklist"),
                        ));
                    }
                    ui.add_enabled_ui(!ids.is_empty(), |ui| {
                        if ui.button(Tx::ShipPrintSlips.tr(lang)).clicked() {
                            commands.push(print(data.job(
                                PrintKind::Slips {
                                    ids: ids.clone(),
                                    batch: Some(batch),
                                },
                                "slips",
                            )));
                        }
                        if ui.button(Tx::ShipToWaybills.tr(lang)).clicked() {
                            commands.push(Command::WaybillsForBatch(batch));
                        }
                    });
                });
            });
        }
    }
}

impl crate::ui::Page for PickListsTab {
    fn page_ui(&mut self, ui: &mut egui::Ui, cx: &mut crate::ui::TabCx<'_>) {
        self.ui(ui, cx.lang, cx.shipping, cx.busy, cx.commands);
    }

    fn changed(&mut self, changed: crate::app::Changed) {
        use crate::app::Changed;
        if changed.touches(Changed::SHIPPING | Changed::ORDERS) {
            self.invalidate();
        }
    }
}
