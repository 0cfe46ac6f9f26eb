//! The Pick lists tab: choose approved orders (all that can print, narrowed by flag or
//! courier, or the Orders tab's selection), create a numbered batch and print its pick
//! list; reprint it, print its packing slips, or go on to its waybills. Printing runs as
//! a job (progress, cancel); the PDF is saved under Documents/ShopDesk and can be opened
//! or sent to the printer.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::backend::Request;
use super::i18n::T;
use super::{Command, JobStart, ShopDeskApp, theme};
use crate::app::jobs::JobKind;
use crate::app::shipping::{
    Done, PrintJob, PrintKind, Reply as ShipReply, Request as ShipRequest, default_out,
};
use crate::docs::batch::Printed;
use crate::domain::Flag;
use crate::store::{BatchRow, CourierRow, Language, OrderRow, batch_number};

/// What both shipping tabs show, as it arrived from the store.
pub struct ShippingData {
    /// Approved orders that can print now, oldest first; `None` until asked.
    pub candidates: Option<Vec<OrderRow>>,
    pub batches: Option<Vec<BatchRow>>,
    pub couriers: Option<Vec<CourierRow>>,
    /// The orders of one batch in slot order.
    pub batch_orders: Option<(i64, Vec<OrderRow>)>,
    /// The last document printed.
    pub last: Option<Printed>,
    /// Open each new PDF in the system viewer.
    pub open_when_done: bool,
    /// Send each new PDF to the default printer (`lp`).
    pub send_to_printer: bool,
    /// Where PDFs go; `None`: Documents/ShopDesk.
    pub out_dir: Option<PathBuf>,
}

impl Default for ShippingData {
    fn default() -> ShippingData {
        ShippingData {
            candidates: None,
            batches: None,
            couriers: None,
            batch_orders: None,
            last: None,
            open_when_done: true,
            send_to_printer: false,
            out_dir: None,
        }
    }
}

impl ShippingData {
    /// Forgets what was loaded, so the tabs ask again.
    pub fn invalidate(&mut self) {
        self.candidates = None;
        self.batches = None;
        self.couriers = None;
        self.batch_orders = None;
    }

    /// Asks for whatever is missing.
    pub fn request_missing(&mut self, commands: &mut Vec<Command>, asked: &mut bool) {
        if *asked {
            return;
        }
        *asked = true;
        for request in [
            ShipRequest::Candidates,
            ShipRequest::Batches,
            ShipRequest::Couriers,
        ] {
            commands.push(Command::Store(Request::Shipping(request)));
        }
    }

    /// A print job for a document kind, with the PDF path and the after-print options.
    pub fn job(&self, kind: PrintKind, name: &str) -> PrintJob {
        let out = match &self.out_dir {
            Some(dir) => {
                let default = default_out(name, "pdf");
                dir.join(default.file_name().unwrap_or_default())
            }
            None => default_out(name, "pdf"),
        };
        PrintJob {
            kind,
            out,
            open: self.open_when_done,
            lp: self.send_to_printer,
        }
    }

    /// The last PDF with Open and Print buttons, and the after-print options.
    pub fn output_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.open_when_done, T::ShipOpenWhenDone.tr(lang));
            ui.checkbox(&mut self.send_to_printer, T::ShipSendToPrinter.tr(lang));
        });
        if let Some(last) = &self.last {
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
                if ui.button(T::ShipPrintLp.tr(lang)).clicked() {
                    commands.push(Command::PrintPdf(last.path.clone()));
                }
            });
        }
    }
}

/// The list of orders with a check box each (by order number), drawn a screen at a time.
pub(super) fn order_checklist_ui(
    ui: &mut egui::Ui,
    id_salt: &str,
    rows: &[&OrderRow],
    chosen: &mut BTreeSet<i64>,
    height: f32,
) {
    let row_height = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical()
        .id_salt(id_salt)
        .max_height(height)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for row in &rows[range] {
                ui.horizontal(|ui| {
                    let mut on = chosen.contains(&row.id);
                    if ui.checkbox(&mut on, &row.order_no).changed() {
                        if on {
                            chosen.insert(row.id);
                        } else {
                            chosen.remove(&row.id);
                        }
                    }
                    theme::flag_swatch(ui, row.flag);
                    ui.label(format!(
                        "{}  {}  {} {}  ¥{}",
                        row.platform,
                        row.receiver_name,
                        row.province,
                        row.city,
                        crate::domain::format_cents(row.total_cents)
                    ));
                    if !row.tracking_no.is_empty() {
                        ui.label(
                            egui::RichText::new(format!("{} {}", row.courier, row.tracking_no))
                                .weak(),
                        );
                    }
                });
            }
        });
}

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
    select_newest: bool,
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
        ui.label(egui::RichText::new(T::ShipPickIntro.tr(lang)).weak());
        ui.add_space(4.0);
        let mut refresh = false;
        let candidates = data.candidates.take();
        let shown = self.shown(candidates.as_deref());
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(T::ShipFlag.tr(lang));
            egui::ComboBox::from_id_salt("pick-flag")
                .selected_text(match self.flag {
                    None => T::ShipAnyFlag.tr(lang).to_owned(),
                    Some(f) => f.code().to_owned(),
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.flag, None, T::ShipAnyFlag.tr(lang));
                    for f in Flag::ALL {
                        ui.selectable_value(&mut self.flag, Some(f), f.code());
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(T::ShipCourier.tr(lang));
            ui.add(egui::TextEdit::singleline(&mut self.courier).desired_width(100.0))
                .labelled_by(label.id);
            let label = ui.label(T::ShipFilter.tr(lang));
            ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(160.0))
                .labelled_by(label.id);
            if ui.button(T::ShipRefresh.tr(lang)).clicked() {
                refresh = true;
            }
        });
        let chosen_shown = shown.iter().filter(|r| self.chosen.contains(&r.id)).count();
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "{} {} · {} {}",
                shown.len(),
                T::ShipPrintable.tr(lang),
                self.chosen.len(),
                T::ShipChosen.tr(lang)
            ));
            if ui.button(T::ShipChooseAll.tr(lang)).clicked() {
                self.chosen.extend(shown.iter().map(|r| r.id));
            }
            if ui.button(T::ShipClear.tr(lang)).clicked() {
                self.chosen.clear();
            }
            if self.chosen.len() > chosen_shown {
                ui.label(
                    egui::RichText::new(format!(
                        "{} {}",
                        self.chosen.len() - chosen_shown,
                        T::ShipChosenElsewhere.tr(lang)
                    ))
                    .weak(),
                );
            }
        });
        if candidates.is_none() {
            ui.label(T::Loading.tr(lang));
        } else if shown.is_empty() {
            ui.label(T::PickListsEmpty.tr(lang));
        }
        order_checklist_ui(ui, "pick-candidates", &shown, &mut self.chosen, 260.0);
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
            egui::Button::new(T::ShipCreateBatch.tr(lang)),
        );
        if create.clicked() {
            self.select_newest = true;
            commands.push(print(data.job(PrintKind::PickList(ids), "picklist")));
            self.chosen.clear();
        }
        drop(shown);
        data.candidates = candidates;
        data.output_ui(ui, lang, commands);
        if refresh {
            data.invalidate();
            self.asked = false;
        }

        ui.add_space(theme::SECTION_GAP);
        ui.heading(T::ShipBatches.tr(lang));
        let batches = data.batches.clone().unwrap_or_default();
        if batches.is_empty() {
            ui.label(egui::RichText::new(T::ShipNoBatches.tr(lang)).weak());
        }
        egui::ScrollArea::vertical()
            .id_salt("pick-batches")
            .max_height(160.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                for b in &batches {
                    let text = format!(
                        "{}  {}  {} {}  {} {}",
                        batch_number(b.id),
                        b.created_at
                            .chars()
                            .take(16)
                            .collect::<String>()
                            .replace('T', " "),
                        b.orders,
                        T::ShipOrders.tr(lang),
                        b.prints,
                        T::ShipPrints.tr(lang)
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
                    if ui.button(T::ShipReprintPickList.tr(lang)).clicked() {
                        commands.push(print(
                            data.job(PrintKind::ReprintPickList(batch), "picklist"),
                        ));
                    }
                    ui.add_enabled_ui(!ids.is_empty(), |ui| {
                        if ui.button(T::ShipPrintSlips.tr(lang)).clicked() {
                            commands.push(print(data.job(
                                PrintKind::Slips {
                                    ids: ids.clone(),
                                    batch: Some(batch),
                                },
                                "slips",
                            )));
                        }
                        if ui.button(T::ShipToWaybills.tr(lang)).clicked() {
                            commands.push(Command::WaybillsForBatch(batch));
                        }
                    });
                });
            });
        }
    }
}

/// Draws, writes and records a document on a job thread, with progress and cancel.
pub fn print(job: PrintJob) -> Command {
    Command::Job(JobStart::new(
        JobKind::Print,
        job.orders() as u64,
        move |store, _operator, tick| {
            crate::app::shipping::print(store, &job, tick)
                .map(|printed| ShipReply::Printed(Box::new(printed)))
        },
    ))
}

/// What a shipping action did, in the window's language.
fn done_text(done: &Done, lang: Language) -> String {
    match done {
        Done::CourierSaved(code) => format!("{code}: {}", T::Saved.tr(lang)),
        Done::TrackingAdded { added, rejected } => {
            let mut text = format!("{added} {}", T::ShipTrackingAdded.tr(lang));
            if !rejected.is_empty() {
                let first: Vec<String> = rejected
                    .iter()
                    .take(3)
                    .map(|(n, why)| format!("{n}: {why}"))
                    .collect();
                text.push_str(&format!(
                    ", {} {} ({})",
                    rejected.len(),
                    T::ShipTrackingSkipped.tr(lang),
                    first.join("; ")
                ));
            }
            text
        }
        Done::TrackingSet { courier, number } => format!("{courier} {number}"),
        Done::Calibrated(path) => {
            format!("{} → {}", T::ShipCalibration.tr(lang), path.display())
        }
        Done::Exported { orders, path } => {
            format!("{orders} {} → {}", T::StatusOrders.tr(lang), path.display())
        }
    }
}

impl ShopDeskApp {
    /// Applies the store's answers for the shipping tabs.
    pub(super) fn apply_shipping(&mut self, reply: ShipReply) {
        match reply {
            ShipReply::Candidates(rows) => self.shipping.candidates = Some(rows),
            ShipReply::Batches(rows) => {
                if self.picklists.select_newest
                    && self.job.is_none()
                    && let Some(newest) = rows.first()
                {
                    self.picklists.select_newest = false;
                    self.picklists.batch = Some(newest.id);
                    self.backend.send(ShipRequest::BatchOrders(newest.id));
                }
                self.shipping.batches = Some(rows);
            }
            ShipReply::BatchOrders(batch, rows) => {
                self.shipping.batch_orders = Some((batch, rows));
            }
            ShipReply::Couriers(rows) => {
                self.settings_tab.couriers.rows = Some(rows.clone());
                self.shipping.couriers = Some(rows);
            }
            ShipReply::Done(done) => {
                let text = done_text(&done, self.language());
                self.notice(text, false);
            }
            ShipReply::Printed(printed) => self.apply_printed(*printed),
        }
    }

    /// A print job ended.
    fn apply_printed(&mut self, printed: Printed) {
        let lang = self.language();
        let text = format!(
            "{} → {} · {} {}, {} {}",
            printed.summary,
            printed.path.display(),
            printed.outcome.printed,
            T::ShipNowPrinted.tr(lang),
            printed.outcome.reprinted,
            T::ShipReprinted.tr(lang)
        );
        self.notice(text, false);
        if !printed.warnings.is_empty() {
            let more = printed.warnings.len().saturating_sub(5);
            let mut text = printed.warnings[..printed.warnings.len().min(5)].join("; ");
            if more > 0 {
                text.push_str(&format!("; +{more}"));
            }
            self.notice(text, true);
        }
        self.shipping.last = Some(printed);
    }

    /// Asks again for what the shipping tabs and Settings' couriers show.
    pub(super) fn reload_shipping(&mut self) {
        let batch = self.shipping.batch_orders.as_ref().map(|(b, _)| *b);
        self.shipping.invalidate();
        self.picklists.invalidate();
        self.waybills.invalidate();
        self.settings_tab.couriers.invalidate();
        if let Some(batch) = batch {
            self.backend.send(ShipRequest::BatchOrders(batch));
        }
    }
}
