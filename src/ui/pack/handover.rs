//! The courier hand-over (交接): start one for a courier, scan each parcel's waybill as it
//! goes into the courier's bag (another courier's parcel, one not shipped or one handed
//! over already is refused red and loud), close it: the count against the parcels shipped
//! with that courier since its previous hand-over, the missing ones listed by order and
//! receiver, and the A4 list printed for the courier to sign. Past hand-overs are listed
//! by courier and date.

use std::path::PathBuf;

use super::sound::{self, Beep};
use super::texts::Tx;
use crate::app::pack::{Reply as PackReply, Request as PackRequest, handover_path};
use crate::domain::pack::{HandoverRefusal, handover_number};
use crate::store::{Handover, HandoverFilter, HandoverRow, HandoverScan, Language};
use crate::ui::shipping::ShippingData;
use crate::ui::widgets::{ScanField, confirm_ui};
use crate::ui::{Command, Notices, ask, theme};

/// The last parcel scanned into the bag: taken, or refused and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LastParcel {
    Added {
        tracking: String,
        order_no: String,
        receiver_name: String,
    },
    Refused(HandoverRefusal),
}

/// The hand-over half of the tab.
pub struct HandoverView {
    pub scan: ScanField,
    /// The courier chosen for a new hand-over (code).
    pub courier: String,
    /// The hand-over on screen (open, or a past one opened from the list).
    pub current: Option<Handover>,
    pub last: Option<LastParcel>,
    pub list: Option<Vec<HandoverRow>>,
    /// The list's filters: a courier (code; empty = all) and start dates.
    pub list_courier: String,
    pub from: String,
    pub to: String,
    /// A close waiting for its confirmation.
    pub closing: Option<i64>,
    /// The list just written.
    pub written: Option<PathBuf>,
    couriers_asked: bool,
}

impl Default for HandoverView {
    fn default() -> HandoverView {
        HandoverView {
            scan: ScanField::new("handover"),
            courier: String::new(),
            current: None,
            last: None,
            list: None,
            list_courier: String::new(),
            from: String::new(),
            to: String::new(),
            closing: None,
            written: None,
            couriers_asked: false,
        }
    }
}

impl HandoverView {
    pub fn invalidate(&mut self) {
        self.list = None;
        self.couriers_asked = false;
    }

    pub fn failed(&mut self) {}

    pub fn apply(
        &mut self,
        reply: PackReply,
        _lang: Language,
        _notices: &mut Notices,
        beeps: &mut u32,
        sound_on: bool,
    ) {
        match reply {
            PackReply::Handover(handover) => {
                self.current = Some(*handover);
                self.last = None;
            }
            PackReply::HandoverScanned { scan, handover } => {
                let tracking = handover
                    .parcels
                    .last()
                    .map(|p| p.tracking_no.clone())
                    .unwrap_or_default();
                self.current = Some(*handover);
                match scan {
                    HandoverScan::Added {
                        order_no,
                        receiver_name,
                        ..
                    } => {
                        self.last = Some(LastParcel::Added {
                            tracking,
                            order_no,
                            receiver_name,
                        });
                    }
                    HandoverScan::Refused(refusal) => {
                        self.last = Some(LastParcel::Refused(refusal));
                        *beeps += 1;
                        if sound_on {
                            sound::play(Beep::Stop);
                        }
                    }
                }
            }
            PackReply::HandoverPrinted { handover, path } => {
                self.current = Some(*handover);
                self.written = Some(path);
                self.last = None;
                self.list = None;
            }
            PackReply::Handovers(rows) => self.list = Some(rows),
            _ => {}
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        shipping: &mut ShippingData,
        _beeps: &mut u32,
        _sound: bool,
        commands: &mut Vec<Command>,
    ) {
        if let Some(id) = confirm_ui(
            ui.ctx(),
            lang,
            "handover-close",
            &mut self.closing,
            |_| Tx::CloseQuestion.tr(lang).to_owned(),
            Tx::CloseYes.tr(lang),
        ) {
            commands.push(ask(PackRequest::HandoverClose {
                id,
                out: handover_path(shipping.dir(), id),
            }));
        }
        if let Some(path) = self.written.clone() {
            ui.horizontal(|ui| {
                ui.label(format!("{}: {}", Tx::ListWritten.tr(lang), path.display()));
                if ui.button(Tx::OpenPdf.tr(lang)).clicked() {
                    commands.push(Command::OpenPdf(path.clone()));
                }
                if ui.button(Tx::Folder.tr(lang)).clicked() {
                    commands.push(Command::OpenFolder(path.clone()));
                }
                if ui.button(Tx::Print.tr(lang)).clicked() {
                    commands.push(Command::PrintPdf(path.clone()));
                }
            });
            ui.separator();
        }
        match self.current.clone() {
            Some(h) if h.closed_at.is_none() => self.open_ui(ui, lang, &h, commands),
            Some(h) => self.closed_ui(ui, lang, &h, shipping, commands),
            None => self.start_ui(ui, lang, shipping, commands),
        }
    }

    fn start_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        shipping: &mut ShippingData,
        commands: &mut Vec<Command>,
    ) {
        let Some(couriers) = shipping.couriers.clone() else {
            if !self.couriers_asked {
                self.couriers_asked = true;
                commands.push(ask(crate::app::shipping::Request::Couriers));
            }
            return;
        };
        if couriers.is_empty() {
            ui.label(Tx::NoCouriers.tr(lang));
        } else {
            if self.courier.is_empty() {
                self.courier = couriers[0].code.clone();
            }
            ui.horizontal(|ui| {
                let chosen = couriers
                    .iter()
                    .find(|c| c.code == self.courier)
                    .map_or(self.courier.clone(), |c| c.name.clone());
                let label = ui.label(Tx::Courier.tr(lang));
                egui::ComboBox::from_id_salt("handover-courier")
                    .selected_text(chosen)
                    .show_ui(ui, |ui| {
                        for c in &couriers {
                            ui.selectable_value(&mut self.courier, c.code.clone(), &c.name);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if ui.button(Tx::StartHandover.tr(lang)).clicked() {
                    self.written = None;
                    commands.push(ask(PackRequest::HandoverStart(self.courier.clone())));
                }
            });
        }
        ui.add_space(theme::SECTION_GAP);
        self.list_ui(ui, lang, &couriers, commands);
    }

    fn list_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        couriers: &[crate::store::CourierRow],
        commands: &mut Vec<Command>,
    ) {
        ui.strong(Tx::PastHandovers.tr(lang));
        let mut search = false;
        ui.horizontal(|ui| {
            let label = ui.label(Tx::Courier.tr(lang));
            let chosen = couriers
                .iter()
                .find(|c| c.code == self.list_courier)
                .map_or(Tx::AllCouriers.tr(lang).to_owned(), |c| c.name.clone());
            egui::ComboBox::from_id_salt("handover-list-courier")
                .selected_text(chosen)
                .show_ui(ui, |ui| {
                    search |= ui
                        .selectable_value(
                            &mut self.list_courier,
                            String::new(),
                            Tx::AllCouriers.tr(lang),
                        )
                        .clicked();
                    for c in couriers {
                        search |= ui
                            .selectable_value(&mut self.list_courier, c.code.clone(), &c.name)
                            .clicked();
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(Tx::From.tr(lang));
            ui.add(
                egui::TextEdit::singleline(&mut self.from)
                    .hint_text(Tx::DateHint.tr(lang))
                    .desired_width(100.0),
            )
            .labelled_by(label.id);
            let label = ui.label(Tx::To.tr(lang));
            ui.add(
                egui::TextEdit::singleline(&mut self.to)
                    .hint_text(Tx::DateHint.tr(lang))
                    .desired_width(100.0),
            )
            .labelled_by(label.id);
            search |= ui.button(Tx::Search.tr(lang)).clicked();
        });
        if self.list.is_none() || search {
            self.list = Some(Vec::new());
            let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
            commands.push(ask(PackRequest::Handovers(HandoverFilter {
                courier: text(&self.list_courier),
                from: text(&self.from),
                to: text(&self.to),
                limit: 200,
            })));
        }
        let rows = self.list.clone().unwrap_or_default();
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("handovers").striped(true).show(ui, |ui| {
                for h in rows {
                    if ui.link(handover_number(h.id)).clicked() {
                        commands.push(ask(PackRequest::Handover(h.id)));
                    }
                    ui.label(&h.courier_name);
                    ui.label(
                        h.started_at
                            .get(..16)
                            .unwrap_or(&h.started_at)
                            .replace('T', " "),
                    );
                    ui.label(&h.started_by);
                    ui.label(match h.expected {
                        Some(expected) => format!("{}/{expected}", h.scanned),
                        None => format!("{} · {}", h.scanned, Tx::Open.tr(lang)),
                    });
                    ui.end_row();
                }
            });
        });
    }

    fn head_ui(ui: &mut egui::Ui, lang: Language, h: &Handover) {
        ui.label(
            egui::RichText::new(format!(
                "{} {} · {}",
                Tx::Handover.tr(lang),
                handover_number(h.id),
                h.courier_name
            ))
            .size(26.0)
            .strong(),
        );
        ui.label(
            egui::RichText::new(format!(
                "{} {} · {} {}",
                h.parcels.len(),
                Tx::Scanned.tr(lang),
                h.expected,
                Tx::Expected.tr(lang)
            ))
            .size(30.0)
            .strong(),
        );
    }

    fn open_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        h: &Handover,
        commands: &mut Vec<Command>,
    ) {
        Self::head_ui(ui, lang, h);
        ui.horizontal(|ui| {
            let label = ui.label(egui::RichText::new(Tx::ScanLabel.tr(lang)).heading());
            self.scan
                .ui(ui, Tx::HandoverHint.tr(lang), 420.0, true)
                .labelled_by(label.id);
        });
        while let Some(tracking) = self.scan.next_scan() {
            commands.push(ask(PackRequest::HandoverScan { id: h.id, tracking }));
        }
        match &self.last {
            Some(LastParcel::Added {
                tracking,
                order_no,
                receiver_name,
            }) => {
                egui::Frame::new()
                    .fill(theme::NOTICE_BG)
                    .inner_margin(12.0)
                    .show(ui, |ui| {
                        ui.set_min_width(ui.available_width());
                        ui.label(
                            egui::RichText::new(format!(
                                "✔ {tracking} · {order_no} {receiver_name} · {}",
                                Tx::Added.tr(lang)
                            ))
                            .size(22.0)
                            .color(theme::ON_BANNER),
                        );
                    });
            }
            Some(LastParcel::Refused(refusal)) => {
                egui::Frame::new()
                    .fill(theme::ERROR_BG)
                    .inner_margin(12.0)
                    .show(ui, |ui| {
                        ui.set_min_width(ui.available_width());
                        ui.label(
                            egui::RichText::new(Tx::HoRefusedTitle.tr(lang))
                                .size(30.0)
                                .strong()
                                .color(theme::ON_BANNER),
                        );
                        ui.label(
                            egui::RichText::new(refusal_text(refusal, lang))
                                .size(22.0)
                                .color(theme::ON_BANNER),
                        );
                    });
            }
            None => {}
        }
        ui.horizontal(|ui| {
            if ui.button(Tx::CloseHandover.tr(lang)).clicked() {
                self.closing = Some(h.id);
            }
            if ui.button(Tx::Back.tr(lang)).clicked() {
                self.current = None;
                self.last = None;
            }
        });
        ui.separator();
        parcels_ui(ui, lang, h);
    }

    fn closed_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        h: &Handover,
        shipping: &mut ShippingData,
        commands: &mut Vec<Command>,
    ) {
        Self::head_ui(ui, lang, h);
        ui.label(format!(
            "{} {}",
            Tx::Closed.tr(lang),
            h.closed_at
                .as_deref()
                .unwrap_or_default()
                .get(..16)
                .unwrap_or_default()
                .replace('T', " ")
        ));
        ui.horizontal(|ui| {
            if ui.button(Tx::PrintAgain.tr(lang)).clicked() {
                commands.push(ask(PackRequest::HandoverPrint {
                    id: h.id,
                    out: handover_path(shipping.dir(), h.id),
                }));
            }
            if ui.button(Tx::Back.tr(lang)).clicked() {
                self.current = None;
                self.written = None;
            }
        });
        ui.separator();
        parcels_ui(ui, lang, h);
    }
}

fn parcels_ui(ui: &mut egui::Ui, lang: Language, h: &Handover) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        if !h.missing.is_empty() {
            let title = if h.closed_at.is_some() {
                Tx::Missing
            } else {
                Tx::NotScannedYet
            };
            ui.label(
                egui::RichText::new(format!("{} ({})", title.tr(lang), h.missing.len()))
                    .size(20.0)
                    .strong()
                    .color(theme::LOW_STOCK),
            );
            egui::Grid::new("handover-missing")
                .striped(true)
                .show(ui, |ui| {
                    for p in &h.missing {
                        ui.label(&p.tracking_no);
                        ui.label(&p.order_no);
                        ui.label(&p.receiver_name);
                        ui.end_row();
                    }
                });
            ui.add_space(theme::SECTION_GAP);
        }
        ui.label(
            egui::RichText::new(format!("{} ({})", Tx::InTheBag.tr(lang), h.parcels.len()))
                .size(20.0)
                .strong(),
        );
        egui::Grid::new("handover-parcels")
            .striped(true)
            .show(ui, |ui| {
                for p in h.parcels.iter().rev() {
                    ui.label(&p.tracking_no);
                    ui.label(&p.order_no);
                    ui.label(&p.receiver_name);
                    ui.label(p.scanned_at.get(11..16).unwrap_or_default());
                    ui.end_row();
                }
            });
    });
}

/// Why a hand-over does not take a parcel, in the window's language.
pub fn refusal_text(refusal: &HandoverRefusal, lang: Language) -> String {
    match refusal {
        HandoverRefusal::Unknown(number) => format!("{number}: {}", Tx::HoUnknown.tr(lang)),
        HandoverRefusal::OtherCourier { order_no, courier } => {
            format!("{order_no} {} ({courier})", Tx::HoOtherCourier.tr(lang))
        }
        HandoverRefusal::NotShipped { order_no, .. } => {
            format!("{order_no} {}", Tx::HoNotShipped.tr(lang))
        }
        HandoverRefusal::AlreadyScanned { order_no } => {
            format!("{order_no} {}", Tx::HoAlready.tr(lang))
        }
        HandoverRefusal::HandedOver { order_no, handover } => format!(
            "{order_no} {} ({})",
            Tx::HoHandedOver.tr(lang),
            handover_number(*handover)
        ),
        HandoverRefusal::Closed(_) => Tx::HoClosed.tr(lang).to_owned(),
    }
}
