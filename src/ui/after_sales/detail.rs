//! A case's detail (its order, money, lines, evidence and timeline) with one button per
//! next step; the panel that receives a return parcel line by line; the new-case dialog.
//! Each returns the requests its buttons made; the tab sends them.

use crate::app::after_sales::Request as AfterSalesRequest;
use crate::domain::after_sales::{
    CaseAction, CaseLineSpec, CaseType, Condition, Responsibility, case_number, case_transition,
};
use crate::domain::{format_cents, parse_cents};
use crate::store::{CaseDetail, CaseEdit, CaseReason, Language, ManualLine, NewCase, OrderDetail};
use crate::ui::{Command, theme};

use super::reason_text;
use super::texts::{Tx, action_text, responsibility_text, status_text, type_text};

/// What the detail's fields hold while the user types.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Actions {
    pub case_id: Option<i64>,
    pub refund: String,
    pub refund_note: String,
    pub replacement: String,
    pub clear_flag: bool,
    pub reject: Option<String>,
    pub note: String,
    pub owner: String,
    pub return_tracking: String,
    pub responsibility: Option<Responsibility>,
    pub courier_signed: bool,
}

impl Actions {
    /// Fills the fields from a case newly shown (kept while the same case reloads).
    pub fn sync(&mut self, detail: &CaseDetail) {
        if self.case_id == Some(detail.row.id) {
            return;
        }
        *self = Actions {
            case_id: Some(detail.row.id),
            refund: if detail.requested_cents > detail.row.refund_cents {
                format_cents(
                    (detail.requested_cents - detail.row.refund_cents)
                        .min(detail.refund_limit_cents),
                )
            } else {
                String::new()
            },
            clear_flag: true,
            note: detail.note.clone(),
            owner: detail.row.owner.clone(),
            return_tracking: detail.return_tracking.clone(),
            responsibility: Some(detail.responsibility),
            courier_signed: detail.courier_signed,
            ..Actions::default()
        };
    }
}

/// One line of a return parcel being received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiveLine {
    pub code: String,
    pub title: String,
    /// Still expected back.
    pub left: i64,
    pub sellable: String,
    pub damaged: String,
}

/// A return parcel being received on a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiveDraft {
    pub case_id: i64,
    /// Empty: the case covers the whole order, received as it is.
    pub lines: Vec<ReceiveLine>,
    pub tracking: String,
}

impl ReceiveDraft {
    /// Everything still expected, sellable until ticked otherwise.
    pub fn of(detail: &CaseDetail) -> ReceiveDraft {
        ReceiveDraft {
            case_id: detail.row.id,
            lines: detail
                .lines
                .iter()
                .map(|l| {
                    let left = l.quantity - l.sellable - l.damaged;
                    ReceiveLine {
                        code: l.code.clone(),
                        title: l.title.clone(),
                        left,
                        sellable: left.to_string(),
                        damaged: "0".to_owned(),
                    }
                })
                .filter(|l| l.left > 0)
                .collect(),
            tracking: detail.return_tracking.clone(),
        }
    }

    /// The lines to receive, or `None` while a quantity does not read.
    fn specs(&self) -> Option<Vec<CaseLineSpec>> {
        let mut specs = Vec::new();
        for line in &self.lines {
            for (text, condition) in [
                (&line.sellable, Condition::Sellable),
                (&line.damaged, Condition::Damaged),
            ] {
                let quantity = text.trim().parse::<i64>().ok().filter(|q| *q >= 0)?;
                if quantity > 0 {
                    specs.push(CaseLineSpec {
                        code: line.code.clone(),
                        quantity,
                        condition,
                    });
                }
            }
        }
        Some(specs)
    }
}

/// The receive panel: each line's sellable and damaged quantities. Returns the request.
pub fn receive_ui(
    ui: &mut egui::Ui,
    lang: Language,
    draft: &mut ReceiveDraft,
    waiting: bool,
) -> Option<AfterSalesRequest> {
    ui.strong(Tx::ReceiveTitle.tr(lang));
    if !draft.lines.is_empty() {
        egui::Grid::new(("after-sales-receive", draft.case_id))
            .striped(true)
            .show(ui, |ui| {
                for title in [
                    Tx::ColCode,
                    Tx::ColItem,
                    Tx::ColQuantity,
                    Tx::ColSellable,
                    Tx::ColDamaged,
                ] {
                    ui.strong(title.tr(lang));
                }
                ui.end_row();
                for line in &mut draft.lines {
                    let code = ui.label(&line.code);
                    ui.label(&line.title);
                    ui.label(line.left.to_string());
                    ui.add(egui::TextEdit::singleline(&mut line.sellable).desired_width(40.0))
                        .labelled_by(code.id);
                    ui.add(egui::TextEdit::singleline(&mut line.damaged).desired_width(40.0))
                        .labelled_by(code.id);
                    ui.end_row();
                }
            });
    }
    ui.horizontal(|ui| {
        let label = ui.label(Tx::ReturnTracking.tr(lang));
        ui.add(egui::TextEdit::singleline(&mut draft.tracking).desired_width(160.0))
            .labelled_by(label.id);
    });
    let specs = draft.specs();
    let too_many = draft.lines.iter().any(|l| {
        let n = |t: &str| t.trim().parse::<i64>().unwrap_or(0);
        n(&l.sellable) + n(&l.damaged) > l.left
    });
    if specs.is_none() || too_many {
        ui.colored_label(theme::LOW_STOCK, Tx::BadQuantity.tr(lang));
    }
    let ready = specs
        .as_ref()
        .is_some_and(|s| !s.is_empty() || draft.lines.is_empty())
        && !too_many;
    let clicked = ui
        .add_enabled(
            ready && !waiting,
            egui::Button::new(Tx::ConfirmReceive.tr(lang)),
        )
        .clicked();
    match (clicked, specs) {
        (true, Some(lines)) => Some(AfterSalesRequest::Receive {
            id: draft.case_id,
            lines,
            tracking: draft.tracking.trim().to_owned(),
        }),
        _ => None,
    }
}

/// Whether an action is open to the case now (the state machine answers).
fn can(detail: &CaseDetail, action: CaseAction) -> bool {
    case_transition(
        crate::domain::after_sales::CaseState {
            kind: detail.row.kind,
            status: detail.row.status,
            goods_received: detail.goods_received,
        },
        action,
    )
    .is_ok()
}

/// The detail with its actions. Returns the requests its buttons made.
#[allow(clippy::too_many_arguments)]
pub fn detail_ui(
    ui: &mut egui::Ui,
    lang: Language,
    d: &CaseDetail,
    reasons: &[CaseReason],
    actions: &mut Actions,
    receive: &mut Option<super::ReceiveDraft>,
    waiting: bool,
    commands: &mut Vec<Command>,
) -> Vec<AfterSalesRequest> {
    let mut requests = Vec::new();
    let id = d.row.id;
    ui.heading(format!(
        "{} · {}",
        case_number(id),
        type_text(d.row.kind, lang)
    ));
    ui.label(
        egui::RichText::new(format!(
            "{} · {}",
            status_text(d.row.status, lang),
            reason_text(reasons, &d.row.reason, lang)
        ))
        .strong(),
    );
    egui::Grid::new(("after-sales-facts", id))
        .num_columns(2)
        .show(ui, |ui| {
            ui.label(Tx::Order.tr(lang));
            ui.horizontal(|ui| {
                theme::flag_swatch(ui, d.order_flag);
                if ui.link(&d.row.order_no).clicked() {
                    commands.push(Command::ShowOrder(d.row.order_no.clone()));
                }
                ui.label(crate::ui::i18n::state_text(d.order_state).tr(lang));
            });
            ui.end_row();
            ui.label(Tx::Receiver.tr(lang));
            // A long address wraps inside the panel instead of running past its edge.
            ui.add(egui::Label::new(&d.receiver).wrap());
            ui.end_row();
            ui.label(Tx::Paid.tr(lang));
            ui.label(format!(
                "¥{} · {} ¥{}",
                format_cents(d.paid_cents),
                Tx::RefundedOnOrder.tr(lang),
                format_cents(d.order_refunded_cents)
            ));
            ui.end_row();
            if d.requested_cents > 0 {
                ui.label(Tx::Asked.tr(lang));
                ui.label(format!("¥{}", format_cents(d.requested_cents)));
                ui.end_row();
            }
            ui.label(Tx::ColRefund.tr(lang));
            ui.label(format!(
                "¥{} ({} ¥{})",
                format_cents(d.row.refund_cents),
                Tx::AtMost.tr(lang),
                format_cents(d.refund_limit_cents)
            ));
            ui.end_row();
            if let Some(no) = &d.new_order_no {
                ui.label(Tx::SentAgainAs.tr(lang));
                ui.horizontal(|ui| {
                    if ui.link(no).clicked() {
                        commands.push(Command::ShowOrder(no.clone()));
                    }
                    if d.replacement_cancelled {
                        ui.colored_label(
                            ui.visuals().warn_fg_color,
                            Tx::ReplacementCancelled.tr(lang),
                        );
                    }
                });
                ui.end_row();
            }
        });
    if !d.lines.is_empty() {
        egui::Grid::new(("after-sales-lines", id))
            .striped(true)
            .show(ui, |ui| {
                for title in [Tx::ColCode, Tx::ColItem, Tx::ColQuantity, Tx::ColBack] {
                    ui.strong(title.tr(lang));
                }
                ui.end_row();
                for l in &d.lines {
                    ui.label(&l.code);
                    ui.label(&l.title);
                    ui.label(l.quantity.to_string());
                    ui.label(format!(
                        "{} {} / {} {}",
                        l.sellable,
                        Tx::ColSellable.tr(lang),
                        l.damaged,
                        Tx::ColDamaged.tr(lang)
                    ));
                    ui.end_row();
                }
            });
    }
    ui.add_space(theme::SECTION_GAP);
    if d.row.status.is_final() {
        ui.label(Tx::Finished.tr(lang));
        if !d.reject_reason.is_empty() {
            ui.label(format!(
                "{}: {}",
                Tx::RejectReason.tr(lang),
                d.reject_reason
            ));
        }
    } else {
        ui.strong(Tx::NextStep.tr(lang));
        ui.horizontal_wrapped(|ui| {
            if can(d, CaseAction::AwaitReturn)
                && ui
                    .add_enabled(!waiting, egui::Button::new(Tx::AwaitReturn.tr(lang)))
                    .clicked()
            {
                requests.push(AfterSalesRequest::AwaitReturn {
                    id,
                    return_tracking: actions.return_tracking.trim().to_owned(),
                });
            }
            if can(d, CaseAction::ReceiveReturn)
                && receive.as_ref().is_none_or(|r| r.case_id != id)
                && ui.button(Tx::Receive.tr(lang)).clicked()
            {
                *receive = Some(super::ReceiveDraft::of(d));
            }
            if can(d, CaseAction::Reship)
                && ui
                    .add_enabled(!waiting, egui::Button::new(Tx::Reship.tr(lang)))
                    .clicked()
            {
                requests.push(AfterSalesRequest::Reship {
                    id,
                    lines: Vec::new(),
                });
            }
        });
        if let Some(draft) = receive
            && draft.case_id == id
            && let Some(request) = receive_ui(ui, lang, draft, waiting)
        {
            requests.push(request);
        }
        if can(d, CaseAction::Refund) {
            ui.horizontal(|ui| {
                let label = ui.label(Tx::Amount.tr(lang));
                ui.add(egui::TextEdit::singleline(&mut actions.refund).desired_width(70.0))
                    .labelled_by(label.id);
                ui.add(
                    egui::TextEdit::singleline(&mut actions.refund_note)
                        .hint_text(Tx::Note.tr(lang))
                        .desired_width(140.0),
                );
                let cents = parse_cents(&actions.refund).filter(|c| *c > 0);
                if ui
                    .add_enabled(
                        cents.is_some() && !waiting,
                        egui::Button::new(Tx::RefundButton.tr(lang)),
                    )
                    .clicked()
                    && let Some(cents) = cents
                {
                    requests.push(AfterSalesRequest::Refund {
                        id,
                        cents,
                        note: actions.refund_note.trim().to_owned(),
                    });
                }
            });
            if !actions.refund.trim().is_empty() && parse_cents(&actions.refund).is_none() {
                ui.colored_label(theme::LOW_STOCK, Tx::BadAmount.tr(lang));
            }
        }
        if can(d, CaseAction::Exchange) {
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut actions.replacement)
                        .hint_text(Tx::ReplacementHint.tr(lang))
                        .desired_width(260.0),
                );
                let lines = replacement_lines(&actions.replacement);
                if ui
                    .add_enabled(
                        lines.is_some() && !waiting,
                        egui::Button::new(Tx::Exchange.tr(lang)),
                    )
                    .clicked()
                    && let Some(lines) = lines
                {
                    requests.push(AfterSalesRequest::Exchange { id, lines });
                }
            });
        }
        let goods_to_come = d.row.kind == crate::domain::after_sales::CaseType::Exchange
            && d.row.status == crate::domain::after_sales::CaseStatus::Exchanged
            && !d.goods_received;
        if (can(d, CaseAction::Close) || goods_to_come) && !d.replacement_cancelled {
            ui.horizontal(|ui| {
                if d.flag_set != crate::domain::Flag::None {
                    ui.checkbox(&mut actions.clear_flag, Tx::ClearFlag.tr(lang));
                }
                let label = if goods_to_come {
                    Tx::CloseWithoutGoods
                } else {
                    Tx::Close
                };
                if ui
                    .add_enabled(!waiting, egui::Button::new(label.tr(lang)))
                    .clicked()
                {
                    requests.push(AfterSalesRequest::Close {
                        id,
                        clear_flag: actions.clear_flag,
                        without_goods: goods_to_come,
                    });
                }
            });
        }
        let state = crate::domain::after_sales::CaseState {
            kind: d.row.kind,
            status: d.row.status,
            goods_received: d.goods_received,
        };
        if crate::domain::after_sales::reject(state, d.replacement_cancelled).is_ok() {
            match &mut actions.reject {
                None => {
                    if ui.button(Tx::Reject.tr(lang)).clicked() {
                        actions.reject = Some(String::new());
                    }
                }
                Some(reason) => {
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::TextEdit::singleline(reason)
                                .hint_text(Tx::RejectReason.tr(lang))
                                .desired_width(220.0),
                        );
                        if ui
                            .add_enabled(
                                !reason.trim().is_empty() && !waiting,
                                egui::Button::new(Tx::Reject.tr(lang).trim_end_matches('…')),
                            )
                            .clicked()
                        {
                            requests.push(AfterSalesRequest::Reject {
                                id,
                                reason: reason.trim().to_owned(),
                                clear_flag: true,
                            });
                        }
                    });
                }
            }
        }
    }
    ui.add_space(theme::SECTION_GAP);
    egui::CollapsingHeader::new(Tx::Responsibility.tr(lang))
        .id_salt(("after-sales-evidence", id))
        .default_open(d.responsibility != Responsibility::None)
        .show(ui, |ui| {
            egui::Grid::new(("after-sales-evidence-grid", id))
                .num_columns(2)
                .show(ui, |ui| {
                    let label = ui.label(Tx::Responsibility.tr(lang));
                    let current = actions.responsibility.unwrap_or(d.responsibility);
                    egui::ComboBox::from_id_salt(("after-sales-responsibility", id))
                        .selected_text(responsibility_text(current, lang))
                        .show_ui(ui, |ui| {
                            for who in Responsibility::ALL {
                                ui.selectable_value(
                                    &mut actions.responsibility,
                                    Some(who),
                                    responsibility_text(who, lang),
                                );
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();
                    ui.label(Tx::CourierEvidence.tr(lang));
                    ui.label(format!("{} {}", d.courier, d.tracking_no));
                    ui.end_row();
                    ui.label("");
                    ui.checkbox(&mut actions.courier_signed, Tx::CourierSigned.tr(lang));
                    ui.end_row();
                    if !d.packer.is_empty() {
                        ui.label(Tx::Packer.tr(lang));
                        ui.label(&d.packer);
                        ui.end_row();
                    }
                    if let Some(h) = d.handover_id {
                        ui.label(Tx::Handover.tr(lang));
                        ui.label(crate::domain::pack::handover_number(h));
                        ui.end_row();
                    }
                    let label = ui.label(Tx::ReturnTracking.tr(lang));
                    ui.add(
                        egui::TextEdit::singleline(&mut actions.return_tracking)
                            .desired_width(160.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                    let label = ui.label(Tx::Owner.tr(lang));
                    ui.add(egui::TextEdit::singleline(&mut actions.owner).desired_width(120.0))
                        .labelled_by(label.id);
                    ui.end_row();
                    let label = ui.label(Tx::Note.tr(lang));
                    ui.add(egui::TextEdit::multiline(&mut actions.note).desired_rows(2))
                        .labelled_by(label.id);
                    ui.end_row();
                });
            let edit = CaseEdit {
                owner: Some(actions.owner.trim().to_owned()).filter(|o| *o != d.row.owner),
                note: Some(actions.note.trim().to_owned()).filter(|n| *n != d.note),
                responsibility: actions.responsibility.filter(|r| *r != d.responsibility),
                courier_signed: Some(actions.courier_signed).filter(|s| *s != d.courier_signed),
                return_tracking: Some(actions.return_tracking.trim().to_owned())
                    .filter(|t| *t != d.return_tracking),
            };
            if ui
                .add_enabled(
                    edit != CaseEdit::default() && !waiting,
                    egui::Button::new(Tx::Save.tr(lang)),
                )
                .clicked()
            {
                requests.push(AfterSalesRequest::Edit { id, edit });
            }
        });
    ui.add_space(theme::SECTION_GAP);
    ui.strong(Tx::Timeline.tr(lang));
    for e in &d.events {
        ui.label(format!(
            "{} · {} · {} {}",
            e.at.get(..16).unwrap_or(&e.at).replace('T', " "),
            e.operator,
            action_text(&e.action, lang),
            super::texts::detail_text(&e.detail, lang, reasons)
        ));
    }
    requests
}

/// Replacement products as typed (`CODE=QTY, …`); empty: the case's own lines. `None`
/// while a line does not read.
fn replacement_lines(text: &str) -> Option<Vec<ManualLine>> {
    text.split([',', '，', ';', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            crate::domain::after_sales::parse_case_line(t)
                .ok()
                .map(|l| ManualLine {
                    code: l.code,
                    quantity: l.quantity,
                    unit_price_cents: None,
                })
        })
        .collect()
}

/// The new-case dialog as typed.
#[derive(Clone, Debug)]
pub struct OpenDraft {
    pub order_text: String,
    pub order: Option<OrderDetail>,
    /// A find is on its way.
    pub finding: bool,
    pub kind: CaseType,
    pub reason: String,
    /// Per order line, the quantity concerned as typed ("" or 0: not concerned).
    pub quantities: Vec<String>,
    pub refund: String,
    pub note: String,
}

impl Default for OpenDraft {
    fn default() -> OpenDraft {
        OpenDraft {
            order_text: String::new(),
            order: None,
            finding: false,
            kind: CaseType::Return,
            reason: String::new(),
            quantities: Vec::new(),
            refund: String::new(),
            note: String::new(),
        }
    }
}

impl OpenDraft {
    pub fn set_order(&mut self, order: OrderDetail) {
        self.finding = false;
        self.quantities = vec![String::new(); order.lines.len()];
        self.order = Some(order);
    }

    /// The case to open, or `None` while something does not read.
    pub fn new_case(&self, order: &OrderDetail) -> Option<NewCase> {
        let mut lines = Vec::new();
        for (line, typed) in order.lines.iter().zip(&self.quantities) {
            let typed = typed.trim();
            if typed.is_empty() {
                continue;
            }
            let quantity = typed.parse::<i64>().ok().filter(|q| *q >= 0)?;
            if quantity > 0 {
                let code = line
                    .product_code
                    .clone()
                    .unwrap_or_else(|| line.sku.clone());
                lines.push((code, quantity));
            }
        }
        let requested_cents = if self.refund.trim().is_empty() {
            None
        } else {
            Some(parse_cents(&self.refund).filter(|c| *c > 0)?)
        };
        if self.reason.is_empty() {
            return None;
        }
        Some(NewCase {
            order_id: order.row.id,
            kind: self.kind,
            reason: self.reason.clone(),
            lines,
            requested_cents,
            owner: String::new(),
            note: self.note.trim().to_owned(),
            return_tracking: String::new(),
        })
    }
}

/// The new-case dialog's body. Returns the requests its buttons made.
pub fn open_ui(
    ui: &mut egui::Ui,
    lang: Language,
    draft: &mut OpenDraft,
    reasons: &[CaseReason],
    waiting: bool,
) -> Vec<AfterSalesRequest> {
    let mut requests = Vec::new();
    ui.horizontal(|ui| {
        let label = ui.label(Tx::Order.tr(lang));
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut draft.order_text)
                    .hint_text(Tx::OrderHint.tr(lang))
                    .desired_width(220.0),
            )
            .labelled_by(label.id);
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button(Tx::Find.tr(lang)).clicked() || enter) && !draft.order_text.trim().is_empty()
        {
            draft.finding = true;
            requests.push(AfterSalesRequest::FindOrder(
                draft.order_text.trim().to_owned(),
            ));
        }
    });
    let Some(order) = draft.order.clone() else {
        ui.label(if draft.finding {
            Tx::Loading.tr(lang)
        } else {
            Tx::OrderNotFound.tr(lang)
        });
        return requests;
    };
    ui.label(egui::RichText::new(super::order_summary(&order)).strong());
    egui::Grid::new("after-sales-open-grid")
        .num_columns(2)
        .show(ui, |ui| {
            let label = ui.label(Tx::Type.tr(lang));
            egui::ComboBox::from_id_salt("after-sales-open-type")
                .selected_text(type_text(draft.kind, lang))
                .show_ui(ui, |ui| {
                    for kind in CaseType::ALL {
                        ui.selectable_value(&mut draft.kind, kind, type_text(kind, lang));
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(Tx::Reason.tr(lang));
            let chosen = if draft.reason.is_empty() {
                String::new()
            } else {
                reason_text(reasons, &draft.reason, lang)
            };
            egui::ComboBox::from_id_salt("after-sales-open-reason")
                .selected_text(chosen)
                .show_ui(ui, |ui| {
                    for r in reasons.iter().filter(|r| r.active) {
                        ui.selectable_value(
                            &mut draft.reason,
                            r.code.clone(),
                            reason_text(reasons, &r.code, lang),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(Tx::RefundAsked.tr(lang));
            ui.add(egui::TextEdit::singleline(&mut draft.refund).desired_width(90.0))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(Tx::Note.tr(lang));
            ui.add(egui::TextEdit::singleline(&mut draft.note).desired_width(260.0))
                .labelled_by(label.id);
            ui.end_row();
        });
    ui.label(egui::RichText::new(Tx::WholeOrder.tr(lang)).weak());
    egui::Grid::new("after-sales-open-lines")
        .striped(true)
        .show(ui, |ui| {
            for (line, typed) in order.lines.iter().zip(draft.quantities.iter_mut()) {
                let code = ui.label(line.product_code.as_deref().unwrap_or(&line.sku));
                ui.label(&line.title);
                ui.label(format!("×{}", line.quantity));
                ui.add(egui::TextEdit::singleline(typed).desired_width(40.0))
                    .labelled_by(code.id);
                ui.end_row();
            }
        });
    let case = draft.new_case(&order);
    if case.is_none() && !draft.reason.is_empty() {
        ui.colored_label(theme::LOW_STOCK, Tx::BadQuantity.tr(lang));
    }
    if ui
        .add_enabled(
            case.is_some() && !waiting,
            egui::Button::new(Tx::Open.tr(lang)),
        )
        .clicked()
        && let Some(case) = case
    {
        requests.push(AfterSalesRequest::Open(Box::new(case)));
    }
    requests
}
