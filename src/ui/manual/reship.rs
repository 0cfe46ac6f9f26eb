//! Reshipment mode (补发), opened from an order's detail in the Orders tab: the original's
//! receiver (read-only, the store copies it), its lines to tick with a quantity each, and a
//! reason, which the store requires.

use super::texts::Tx;
use super::{ManualRequest, ManualTab, Waiting, store};
use crate::domain::manual::parse_quantity;
use crate::store::{Language, ManualLine, OrderDetail};
use crate::ui::i18n::{T, state_text};
use crate::ui::{Command, theme};

/// Why an order is sent again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReshipReason {
    #[default]
    Missing,
    Damaged,
    Lost,
    Wrong,
    Other,
}

impl ReshipReason {
    pub const ALL: [ReshipReason; 5] = [
        ReshipReason::Missing,
        ReshipReason::Damaged,
        ReshipReason::Lost,
        ReshipReason::Wrong,
        ReshipReason::Other,
    ];

    pub fn text(self) -> Tx {
        match self {
            ReshipReason::Missing => Tx::ReasonMissing,
            ReshipReason::Damaged => Tx::ReasonDamaged,
            ReshipReason::Lost => Tx::ReasonLost,
            ReshipReason::Wrong => Tx::ReasonWrong,
            ReshipReason::Other => Tx::ReasonOther,
        }
    }
}

/// A reshipment being prepared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReshipDraft {
    pub original: i64,
    /// The original order, once it has arrived.
    pub detail: Option<Box<OrderDetail>>,
    /// Per line of the original: ticked, and the quantity to send as typed.
    pub lines: Vec<(bool, String)>,
    pub reason: ReshipReason,
    pub details: String,
}

impl ReshipDraft {
    pub fn new(original: i64) -> ReshipDraft {
        ReshipDraft {
            original,
            detail: None,
            lines: Vec::new(),
            reason: ReshipReason::default(),
            details: String::new(),
        }
    }

    /// The original arrived: every line unticked at its quantity (a single line ticked).
    pub fn receive(&mut self, detail: OrderDetail) {
        let single = detail.lines.len() == 1;
        self.lines = detail
            .lines
            .iter()
            .map(|l| (single && l.product_code.is_some(), l.quantity.to_string()))
            .collect();
        self.detail = Some(Box::new(detail));
    }

    /// The reason as the remark and logs keep it: the kind, then the details.
    pub fn reason_text(&self, lang: Language) -> String {
        let kind = self.reason.text().tr(lang);
        match self.details.trim() {
            "" => kind.to_owned(),
            more => format!("{kind}: {more}"),
        }
    }

    /// The lines to send, or what is missing.
    pub fn request(&self, lang: Language) -> Result<ManualRequest, Vec<String>> {
        let mut problems = Vec::new();
        let Some(detail) = &self.detail else {
            return Err(vec![Tx::Loading.tr(lang).to_owned()]);
        };
        let mut lines = Vec::new();
        for ((ticked, quantity), line) in self.lines.iter().zip(&detail.lines) {
            if !ticked {
                continue;
            }
            let Some(code) = &line.product_code else {
                continue;
            };
            match parse_quantity(quantity) {
                Ok(q) => lines.push(ManualLine {
                    code: code.clone(),
                    quantity: q,
                    unit_price_cents: Some(0),
                }),
                Err(_) => problems.push(format!("{code}: {}", Tx::BadQuantity.tr(lang))),
            }
        }
        if lines.is_empty() && problems.is_empty() {
            problems.push(Tx::ReshipNeedsLine.tr(lang).to_owned());
        }
        if self.reason == ReshipReason::Other && self.details.trim().is_empty() {
            problems.push(Tx::ReshipNeedsReason.tr(lang).to_owned());
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ManualRequest::Reship {
            original: self.original,
            lines,
            reason: self.reason_text(lang),
        })
    }
}

impl ManualTab {
    pub(super) fn reship_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        commands: &mut Vec<Command>,
    ) {
        let Some(draft) = &mut self.reship else {
            return;
        };
        let mut back = false;
        ui.horizontal_wrapped(|ui| {
            let number = draft
                .detail
                .as_ref()
                .map(|d| d.row.order_no.clone())
                .unwrap_or_default();
            ui.heading(format!("{} {number}", Tx::ReshipTitle.tr(lang)));
            ui.separator();
            if ui.button(Tx::BackToNew.tr(lang)).clicked() {
                back = true;
            }
        });
        ui.separator();
        if back {
            self.reship = None;
            return;
        }
        let Some(detail) = draft.detail.clone() else {
            ui.label(Tx::Loading.tr(lang));
            return;
        };
        egui::ScrollArea::vertical()
            .id_salt("manual-reship-scroll")
            .show(ui, |ui| {
                ui.label(egui::RichText::new(Tx::ReshipFree.tr(lang)).weak());
                ui.add_space(6.0);
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(
                        theme::state_colour(detail.row.state),
                        state_text(detail.row.state).tr(lang),
                    );
                    if !detail.row.tracking_no.is_empty() {
                        ui.label(format!("{} {}", detail.row.courier, detail.row.tracking_no));
                    }
                });
                egui::Grid::new("manual-reship-receiver")
                    .num_columns(2)
                    .show(ui, |ui| {
                        ui.label(egui::RichText::new(Tx::Receiver.tr(lang)).weak());
                        ui.label(format!(
                            "{} {}",
                            detail.row.receiver_name, detail.row.receiver_phone
                        ));
                        ui.end_row();
                        ui.label(egui::RichText::new(Tx::Address.tr(lang)).weak());
                        ui.label(format!(
                            "{} {} {} {} {}",
                            detail.row.province,
                            detail.row.city,
                            detail.district,
                            detail.address,
                            detail.postcode
                        ));
                        ui.end_row();
                    });
                ui.add_space(theme::SECTION_GAP);
                ui.strong(Tx::ReshipLines.tr(lang));
                egui::Grid::new("manual-reship-lines")
                    .num_columns(4)
                    .striped(true)
                    .show(ui, |ui| {
                        ui.label("");
                        ui.strong(T::ColCode.tr(lang));
                        ui.strong(Tx::ColName.tr(lang));
                        ui.strong(T::ColQuantity.tr(lang));
                        ui.end_row();
                        for ((ticked, quantity), line) in draft.lines.iter_mut().zip(&detail.lines)
                        {
                            let code = line.product_code.clone();
                            let label = code.clone().unwrap_or_else(|| line.sku.clone());
                            ui.add_enabled(code.is_some(), egui::Checkbox::without_text(ticked))
                                .accessible_name(&label);
                            ui.label(code.unwrap_or_default());
                            if line.product_code.is_some() {
                                ui.label(&line.title);
                            } else {
                                ui.colored_label(
                                    theme::LOW_STOCK,
                                    format!("{} ({})", line.title, Tx::NoProductLine.tr(lang)),
                                );
                            }
                            ui.add_enabled(
                                *ticked,
                                egui::TextEdit::singleline(quantity).desired_width(52.0),
                            )
                            .accessible_name(format!("{} {label}", T::ColQuantity.tr(lang)));
                            ui.end_row();
                        }
                    });
                ui.add_space(theme::SECTION_GAP);
                ui.strong(Tx::Reason.tr(lang));
                ui.horizontal_wrapped(|ui| {
                    for reason in ReshipReason::ALL {
                        ui.radio_value(&mut draft.reason, reason, reason.text().tr(lang));
                    }
                });
                ui.horizontal(|ui| {
                    let label = ui.label(Tx::ReasonDetail.tr(lang));
                    ui.add(
                        egui::TextEdit::singleline(&mut draft.details)
                            .hint_text(Tx::ReasonDetailHint.tr(lang))
                            .desired_width(360.0),
                    )
                    .labelled_by(label.id);
                });
                ui.add_space(6.0);
                let request = draft.request(lang);
                let waiting = self.waiting.is_some();
                let button =
                    egui::Button::new(egui::RichText::new(Tx::ReshipCreate.tr(lang)).strong())
                        .min_size(egui::vec2(160.0, 28.0));
                let problems = request.as_ref().err().cloned().unwrap_or_default();
                if ui
                    .add_enabled(request.is_ok() && !waiting, button)
                    .clicked()
                    && let Ok(request) = request
                {
                    self.waiting = Some(Waiting::Reship);
                    commands.push(store(request));
                }
                for p in problems {
                    ui.colored_label(theme::LOW_STOCK, format!("· {p}"));
                }
            });
    }
}
