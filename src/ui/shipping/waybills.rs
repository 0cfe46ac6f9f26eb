//! The Waybills tab: choose the courier, label size and phone masking; take the orders
//! of a pick-list batch (in slot order) or check printable orders; give tracking numbers
//! (typed or scanned per order, or from the courier's pool, pasted or from a file); print
//! one label per page; then export the marketplace's "batch ship" CSV.

use std::collections::BTreeSet;

use super::ShippingData;
use super::texts::Tx;
use crate::app::print::WaybillRequest;
use crate::app::shipping::{PrintKind, Request as ShipRequest, document_path};
use crate::domain::shipping::LabelSize;
use crate::store::{CourierRow, Language, OrderRow, batch_number};
use crate::ui::backend::Request;
use crate::ui::i18n::{POOL_FREE, T, count_text};
use crate::ui::widgets;
use crate::ui::widgets::{FileKind, FilePicker, confirm_ui};
use crate::ui::{Command, theme};

/// The Waybills tab's own state.
#[derive(Default)]
pub struct WaybillsTab {
    asked: bool,
    /// The courier's code.
    pub courier: String,
    /// `None`: the courier's own size.
    pub size: Option<LabelSize>,
    pub mask_phone: bool,
    /// Print the orders of this batch; `None`: the checked printable orders.
    pub batch: Option<i64>,
    pub chosen: BTreeSet<i64>,
    /// Numbers pasted for the courier's pool.
    pub pool_text: String,
    pool_file: FilePicker,
    /// The order whose tracking number is typed or scanned, and the number.
    pub tracking_order: Option<i64>,
    pub tracking_text: String,
    /// `YYYY-MM-DD`: the batch ship CSV covers orders printed since then; empty: the
    /// orders shipped since the last export.
    pub since: String,
    /// Why the chosen order changes courier (required, it goes into the order's log).
    pub change_reason: String,
    /// A courier change waiting for its confirmation.
    pub change: Option<CourierChange>,
    /// Who may manage couriers but not open Settings (a packer by default) adds and edits
    /// them here (set by the window each frame).
    pub couriers_here: bool,
    pub courier_setup: crate::ui::settings::couriers::CouriersSection,
}

/// A courier change as the owner asked for it, shown once before it is done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CourierChange {
    pub id: i64,
    pub order_no: String,
    /// The number that will be voided, with its courier; `None` when there is none.
    pub voided: Option<(String, String)>,
    pub courier_code: String,
    pub courier_name: String,
    pub reason: String,
}

impl WaybillsTab {
    pub fn invalidate(&mut self) {
        self.asked = false;
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
        if let Some(batch) = self.batch
            && data.batch_orders.as_ref().is_none_or(|(b, _)| *b != batch)
            && !busy
        {
            data.batch_orders = Some((batch, Vec::new()));
            commands.push(Command::Store(Request::Shipping(ShipRequest::BatchOrders(
                batch,
            ))));
        }
        ui.heading(T::TabWaybills.tr(lang));
        let couriers = data.couriers.clone().unwrap_or_default();
        if couriers.is_empty() {
            ui.label(T::ShipNoCouriers.tr(lang));
        }
        if self.courier.is_empty()
            && let Some(first) = couriers.first()
        {
            self.courier = first.code.clone();
        }
        let courier = couriers.iter().find(|c| c.code == self.courier).cloned();
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(Tx::ShipCourier.tr(lang));
            egui::ComboBox::from_id_salt("waybill-courier")
                .selected_text(
                    courier
                        .as_ref()
                        .map(|c| format!("{} {}", c.code, c.name))
                        .unwrap_or_default(),
                )
                .show_ui(ui, |ui| {
                    for c in &couriers {
                        ui.selectable_value(
                            &mut self.courier,
                            c.code.clone(),
                            format!("{} {}", c.code, c.name),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(T::ShipLabelSize.tr(lang));
            let own = courier
                .as_ref()
                .map(|c| {
                    if c.template.trim().is_empty() {
                        c.label_size.code().to_owned()
                    } else {
                        T::ShipPrePrinted.tr(lang).to_owned()
                    }
                })
                .unwrap_or_default();
            egui::ComboBox::from_id_salt("waybill-size")
                .selected_text(match self.size {
                    None => format!("{} ({own})", Tx::ShipCourierDefault.tr(lang)),
                    Some(s) => s.code().to_owned(),
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(
                        &mut self.size,
                        None,
                        format!("{} ({own})", Tx::ShipCourierDefault.tr(lang)),
                    );
                    for s in LabelSize::ALL {
                        ui.selectable_value(&mut self.size, Some(s), s.code());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.checkbox(&mut self.mask_phone, Tx::ShipMaskPhone.tr(lang));
        });

        // The courier's pool of tracking numbers.
        if let Some(c) = &courier {
            ui.add_space(4.0);
            ui.horizontal_wrapped(|ui| {
                ui.label(count_text(c.pool_free, POOL_FREE, lang));
                let label = ui.label(Tx::ShipPastePool.tr(lang));
                ui.add(
                    egui::TextEdit::multiline(&mut self.pool_text)
                        .desired_rows(2)
                        .desired_width(240.0),
                )
                .labelled_by(label.id);
                if ui
                    .add_enabled(
                        !self.pool_text.trim().is_empty(),
                        egui::Button::new(Tx::ShipAddToPool.tr(lang)),
                    )
                    .clicked()
                {
                    commands.push(Command::Store(Request::Shipping(
                        ShipRequest::ImportTracking {
                            courier: c.code.clone(),
                            text: std::mem::take(&mut self.pool_text),
                        },
                    )));
                }
            });
            let picked = self.pool_file.ui(
                ui,
                FileKind::Text,
                Tx::ShipPoolFile.tr(lang),
                Tx::ShipAddToPool.tr(lang),
                T::Browse.tr(lang),
            );
            if let Some(path) = picked {
                commands.push(Command::Store(Request::Shipping(
                    ShipRequest::ImportTrackingFile {
                        courier: c.code.clone(),
                        path,
                    },
                )));
            }
        }

        // Which orders.
        ui.add_space(theme::SECTION_GAP);
        ui.horizontal_wrapped(|ui| {
            ui.label(Tx::ShipWhichOrders.tr(lang));
            let batches = data.batches.clone().unwrap_or_default();
            if ui
                .radio(self.batch.is_none(), Tx::ShipPrintableOrders.tr(lang))
                .clicked()
            {
                self.batch = None;
            }
            for b in batches.iter().take(8) {
                if ui
                    .radio(self.batch == Some(b.id), batch_number(b.id))
                    .clicked()
                {
                    self.batch = Some(b.id);
                }
            }
        });
        let rows: Vec<&OrderRow> = match (self.batch, &data.batch_orders) {
            (Some(batch), Some((b, rows))) if *b == batch => rows.iter().collect(),
            (Some(_), _) => Vec::new(),
            (None, _) => data.candidates.iter().flatten().collect(),
        };
        let ids: Vec<i64> = match self.batch {
            Some(_) => rows.iter().map(|r| r.id).collect(),
            None => rows
                .iter()
                .filter(|r| self.chosen.contains(&r.id))
                .map(|r| r.id)
                .collect(),
        };
        if self.batch.is_none() {
            widgets::choose_bar_ui(ui, lang, &rows, &mut self.chosen, false);
            widgets::order_checklist_ui(ui, lang, "waybill-orders", &rows, &mut self.chosen, 220.0);
        } else {
            egui::ScrollArea::vertical()
                .id_salt("waybill-batch")
                .max_height(220.0)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    for (slot, row) in rows.iter().enumerate() {
                        let text = format!(
                            "#{}  {}  {}  {} {}",
                            slot + 1,
                            row.order_no,
                            row.receiver_name,
                            row.courier,
                            row.tracking_no
                        );
                        if ui
                            .selectable_label(self.tracking_order == Some(row.id), text)
                            .clicked()
                        {
                            self.tracking_order = Some(row.id);
                        }
                    }
                });
        }

        // A tracking number typed or scanned for one order.
        ui.horizontal_wrapped(|ui| {
            let only = match ids.as_slice() {
                [one] => Some(*one),
                _ => None,
            };
            let target = self.tracking_order.or(only);
            let name = target
                .and_then(|id| rows.iter().find(|r| r.id == id))
                .map(|r| r.order_no.clone())
                .unwrap_or_else(|| Tx::ShipPickOneOrder.tr(lang).to_owned());
            let label = ui.label(format!("{} {name}", Tx::ShipTrackingFor.tr(lang)));
            let edit = ui
                .add(egui::TextEdit::singleline(&mut self.tracking_text).desired_width(200.0))
                .labelled_by(label.id);
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let set = ui.add_enabled(
                target.is_some() && courier.is_some() && !self.tracking_text.trim().is_empty(),
                egui::Button::new(Tx::ShipSetTracking.tr(lang)),
            );
            if (set.clicked() || enter)
                && let (Some(id), Some(c)) = (target, &courier)
                && !self.tracking_text.trim().is_empty()
            {
                commands.push(Command::Store(Request::Shipping(
                    ShipRequest::SetTracking {
                        id,
                        courier: c.code.clone(),
                        number: std::mem::take(&mut self.tracking_text).trim().to_owned(),
                    },
                )));
            }
        });

        // Another courier for a printed order: its number is voided, explicitly.
        ui.horizontal_wrapped(|ui| {
            let only = match ids.as_slice() {
                [one] => Some(*one),
                _ => None,
            };
            let target = self
                .tracking_order
                .or(only)
                .and_then(|id| rows.iter().find(|r| r.id == id));
            let label = ui.label(Tx::ShipChangeReason.tr(lang));
            ui.add(egui::TextEdit::singleline(&mut self.change_reason).desired_width(200.0))
                .labelled_by(label.id);
            let differs = |row: &OrderRow, c: &CourierRow| {
                !row.tracking_no.is_empty() && row.courier != c.name && row.courier != c.code
            };
            let ready = match (target, &courier) {
                (Some(row), Some(c)) => {
                    differs(row, c) && !self.change_reason.trim().is_empty() && !busy
                }
                _ => false,
            };
            let name = courier.as_ref().map_or("", |c| c.name.as_str());
            let button = egui::Button::new(format!("{} {name}", Tx::ShipChangeCourier.tr(lang)));
            if ui.add_enabled(ready, button).clicked()
                && let (Some(row), Some(c)) = (target, &courier)
            {
                self.change = Some(CourierChange {
                    id: row.id,
                    order_no: row.order_no.clone(),
                    voided: (!row.tracking_no.is_empty())
                        .then(|| (row.courier.clone(), row.tracking_no.clone())),
                    courier_code: c.code.clone(),
                    courier_name: c.name.clone(),
                    reason: self.change_reason.trim().to_owned(),
                });
            }
        });
        let question = |c: &CourierChange| match &c.voided {
            Some((old_courier, number)) => format!(
                "{}: {old_courier} {number} {} {} {}。({})",
                c.order_no,
                Tx::ShipChangeVoids.tr(lang),
                c.courier_name,
                Tx::ShipChangeNext.tr(lang),
                c.reason
            ),
            None => format!(
                "{}: {} {} {}。({})",
                c.order_no,
                Tx::ShipChangeNoNumber.tr(lang),
                c.courier_name,
                Tx::ShipChangeNext.tr(lang),
                c.reason
            ),
        };
        if let Some(change) = confirm_ui(
            ui.ctx(),
            lang,
            "courier-change",
            &mut self.change,
            question,
            Tx::ShipChangeCourier.tr(lang),
        ) {
            self.change_reason.clear();
            commands.push(Command::Store(Request::Shipping(
                ShipRequest::ChangeCourier {
                    id: change.id,
                    courier: change.courier_code,
                    reason: change.reason,
                    number: None,
                },
            )));
        }

        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            let print = ui.add_enabled(
                !busy && courier.is_some() && !ids.is_empty(),
                egui::Button::new(format!(
                    "{} ({})",
                    Tx::ShipPrintWaybills.tr(lang),
                    ids.len()
                )),
            );
            if print.clicked() {
                let request = WaybillRequest {
                    courier: self.courier.clone(),
                    size: self.size,
                    mask_phone: self.mask_phone,
                };
                commands.push(super::print(data.job(
                    PrintKind::Waybills {
                        ids: ids.clone(),
                        batch: self.batch,
                        request,
                    },
                    "waybills",
                )));
                self.chosen.clear();
            }
            if let Some(c) = &courier
                && !c.template.trim().is_empty()
                && ui.button(Tx::ShipCalibration.tr(lang)).clicked()
            {
                commands.push(Command::Store(Request::Shipping(ShipRequest::Calibrate {
                    courier: c.code.clone(),
                    path: data.job(PrintKind::ReprintPickList(0), "calibration").out,
                    open: data.open_when_done,
                })));
            }
        });
        widgets::output_ui(
            ui,
            lang,
            data.last.as_ref(),
            &mut data.open_when_done,
            &mut data.send_to_printer,
            commands,
        );

        ui.add_space(theme::SECTION_GAP);
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(Tx::ShipSince.tr(lang));
            ui.add(
                egui::TextEdit::singleline(&mut self.since)
                    .hint_text(Tx::ShipSinceLastExport.tr(lang))
                    .desired_width(160.0),
            )
            .labelled_by(label.id);
            if ui.button(Tx::ShipExportCsv.tr(lang)).clicked() {
                let path = document_path(data.dir(), "shipped", "csv");
                commands.push(Command::Store(Request::Shipping(
                    ShipRequest::ExportShipped {
                        since: self.since.trim().to_owned(),
                        platform: None,
                        path,
                    },
                )));
            }
        });
    }
}

impl crate::ui::Page for WaybillsTab {
    fn page_ui(&mut self, ui: &mut egui::Ui, cx: &mut crate::ui::TabCx<'_>) {
        if self.couriers_here {
            // The tab's own content first, the couriers' setup folded below it.
            egui::ScrollArea::vertical()
                .id_salt("waybills-tab")
                .show(ui, |ui| {
                    self.ui(ui, cx.lang, cx.shipping, cx.busy, cx.commands);
                    ui.add_space(theme::SECTION_GAP);
                    egui::CollapsingHeader::new(
                        crate::ui::settings::texts::Tx::ShipCouriers.tr(cx.lang),
                    )
                    .id_salt("waybills-couriers")
                    .show(ui, |ui| self.courier_setup.ui(ui, cx.lang, cx.commands));
                });
        } else {
            self.ui(ui, cx.lang, cx.shipping, cx.busy, cx.commands);
        }
    }

    fn changed(&mut self, changed: crate::app::Changed) {
        use crate::app::Changed;
        if changed.touches(Changed::SHIPPING | Changed::ORDERS) {
            self.invalidate();
            self.courier_setup.invalidate();
        }
    }
}
