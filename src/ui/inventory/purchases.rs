//! Purchases: orders to suppliers (stock in transit) and their receipt, in part or in full.

use super::InvRequest;
use super::texts::Tx;
use super::{Confirm, InventoryTab, PurchaseDraft, ReceiveDraft, dialog, store};
use crate::domain::inventory::PurchaseStatus;
use crate::domain::{format_cents, parse_cents};
use crate::store::{Language, NewPurchase, NewPurchaseLine, PurchaseRow};
use crate::ui::i18n::T;
use crate::ui::{Command, theme};

/// The purchase a draft describes, or what is wrong with it.
pub fn purchase_of(draft: &PurchaseDraft, lang: Language) -> Result<NewPurchase, String> {
    if draft.supplier.trim().is_empty() {
        return Err(Tx::SupplierRequired.tr(lang).to_owned());
    }
    let expected = draft.expected.trim();
    if !expected.is_empty() && chrono::NaiveDate::parse_from_str(expected, "%Y-%m-%d").is_err() {
        return Err(Tx::BadDate.tr(lang).to_owned());
    }
    let mut lines = Vec::new();
    for (code, quantity, cost) in &draft.lines {
        if code.trim().is_empty() {
            continue;
        }
        let quantity = quantity
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{}: {}", code.trim(), Tx::BadQuantity.tr(lang)))?;
        let unit_cost_cents = if cost.trim().is_empty() {
            0
        } else {
            parse_cents(cost)
                .filter(|c| *c >= 0)
                .ok_or_else(|| format!("{}: {}", code.trim(), Tx::BadAmount.tr(lang)))?
        };
        lines.push(NewPurchaseLine {
            code: code.trim().to_owned(),
            quantity,
            unit_cost_cents,
        });
    }
    if lines.is_empty() {
        return Err(Tx::LinesRequired.tr(lang).to_owned());
    }
    Ok(NewPurchase {
        supplier: draft.supplier.trim().to_owned(),
        expected_date: Some(expected.to_owned()).filter(|d| !d.is_empty()),
        note: draft.note.trim().to_owned(),
        lines,
    })
}

fn status_text(status: PurchaseStatus, lang: Language) -> &'static str {
    match status {
        PurchaseStatus::Open => Tx::PurchaseOpen,
        PurchaseStatus::Received => Tx::PurchaseReceived,
        PurchaseStatus::Cancelled => Tx::PurchaseCancelled,
    }
    .tr(lang)
}

/// A receipt of everything still expected, typed in line by line.
pub fn receive_draft(p: &PurchaseRow) -> ReceiveDraft {
    ReceiveDraft {
        purchase: p.id,
        lines: p
            .lines
            .iter()
            .filter(|l| l.ordered > l.received)
            .map(|l| (l.code.clone(), (l.ordered - l.received).to_string()))
            .collect(),
    }
}

impl InventoryTab {
    pub(super) fn purchases_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        commands: &mut Vec<Command>,
    ) {
        if self.purchases.is_none() {
            self.purchases = Some(Vec::new());
            commands.push(store(InvRequest::Purchases {
                all: self.purchases_all,
            }));
        }
        ui.horizontal(|ui| {
            if ui.button(Tx::NewPurchase.tr(lang)).clicked() {
                self.purchase_draft = Some(PurchaseDraft {
                    lines: vec![(String::new(), String::new(), String::new())],
                    ..PurchaseDraft::default()
                });
            }
            if ui
                .checkbox(&mut self.purchases_all, Tx::ShowClosedPurchases.tr(lang))
                .changed()
            {
                self.purchases = None;
            }
        });
        ui.separator();
        let rows = self.purchases.clone().unwrap_or_default();
        if rows.is_empty() {
            ui.label(Tx::NoPurchases.tr(lang));
        }
        egui::ScrollArea::vertical()
            .id_salt("purchases-list")
            .show(ui, |ui| {
                for p in &rows {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.strong(format!("{} {}", Tx::Purchase.tr(lang), p.id));
                            ui.label(&p.supplier);
                            ui.label(status_text(p.status, lang));
                            ui.label(format!(
                                "{} {}",
                                Tx::Expected.tr(lang),
                                p.expected_date.as_deref().unwrap_or("-")
                            ));
                            ui.label(format!(
                                "{} {}/{}",
                                Tx::ReceivedOfOrdered.tr(lang),
                                p.received,
                                p.ordered
                            ));
                            if p.status == PurchaseStatus::Open {
                                if ui
                                    .button(format!("{} {}", Tx::Receive.tr(lang), p.id))
                                    .clicked()
                                {
                                    self.receive = Some(receive_draft(p));
                                }
                                if ui
                                    .button(format!("{} {}", Tx::ReceiveAll.tr(lang), p.id))
                                    .clicked()
                                {
                                    commands.push(store(InvRequest::Receive {
                                        id: p.id,
                                        lines: Vec::new(),
                                    }));
                                }
                                if ui.small_button(Tx::CancelPurchase.tr(lang)).clicked() {
                                    self.confirm = Some(Confirm::CancelPurchase(p.id));
                                }
                            }
                        });
                        if !p.note.is_empty() {
                            ui.label(egui::RichText::new(&p.note).weak());
                        }
                        egui::Grid::new(("purchase-lines", p.id))
                            .striped(true)
                            .show(ui, |ui| {
                                for l in &p.lines {
                                    ui.label(&l.code);
                                    ui.label(&l.name);
                                    ui.label(format!("{}/{}", l.received, l.ordered));
                                    ui.label(format_cents(l.unit_cost_cents));
                                    ui.end_row();
                                }
                            });
                    });
                }
            });
        self.new_purchase_ui(ui, lang, commands);
        self.receive_ui(ui, lang, commands);
    }

    fn new_purchase_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let Some(draft) = &mut self.purchase_draft else {
            return;
        };
        let mut open = true;
        let mut close = false;
        dialog(
            ui.ctx(),
            Tx::NewPurchase.tr(lang),
            "inventory-purchase-dialog",
        )
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            egui::Grid::new("purchase-fields")
                .num_columns(2)
                .show(ui, |ui| {
                    for (t, value) in [
                        (Tx::Supplier, &mut draft.supplier),
                        (Tx::ExpectedDate, &mut draft.expected),
                        (Tx::ColNote, &mut draft.note),
                    ] {
                        let label = ui.label(t.tr(lang));
                        ui.add(egui::TextEdit::singleline(value).desired_width(240.0))
                            .labelled_by(label.id);
                        ui.end_row();
                    }
                });
            ui.separator();
            let mut remove = None;
            for (i, (code, qty, cost)) in draft.lines.iter_mut().enumerate() {
                ui.horizontal(|ui| {
                    let label = ui.label(format!("{} {}", T::ColCode.tr(lang), i + 1));
                    ui.add(egui::TextEdit::singleline(code).desired_width(140.0))
                        .labelled_by(label.id);
                    let label = ui.label(format!("{} {}", T::ColQuantity.tr(lang), i + 1));
                    ui.add(egui::TextEdit::singleline(qty).desired_width(50.0))
                        .labelled_by(label.id);
                    let label = ui.label(format!("{} {}", Tx::UnitCost.tr(lang), i + 1));
                    ui.add(egui::TextEdit::singleline(cost).desired_width(70.0))
                        .labelled_by(label.id);
                    if ui
                        .small_button("✕")
                        .on_hover_text(Tx::Remove.tr(lang))
                        .clicked()
                    {
                        remove = Some(i);
                    }
                });
            }
            if let Some(i) = remove {
                draft.lines.remove(i);
            }
            if ui.button(Tx::AddLine.tr(lang)).clicked() {
                draft
                    .lines
                    .push((String::new(), String::new(), String::new()));
            }
            let parsed = purchase_of(draft, lang);
            if let Err(problem) = &parsed {
                ui.colored_label(theme::LOW_STOCK, problem);
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(
                        parsed.is_ok(),
                        egui::Button::new(Tx::CreatePurchase.tr(lang)),
                    )
                    .clicked()
                    && let Ok(purchase) = parsed
                {
                    commands.push(store(InvRequest::CreatePurchase(purchase)));
                }
                if ui.button(T::Cancel.tr(lang)).clicked() {
                    close = true;
                }
            });
        });
        if close || !open {
            self.purchase_draft = None;
        }
    }

    fn receive_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let Some(draft) = &mut self.receive else {
            return;
        };
        let mut open = true;
        let mut close = false;
        dialog(
            ui.ctx(),
            format!("{} {}", Tx::Receive.tr(lang), draft.purchase),
            "inventory-receive-dialog",
        )
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            ui.label(egui::RichText::new(Tx::ReceiveHint.tr(lang)).weak());
            egui::Grid::new("receive-lines")
                .num_columns(2)
                .show(ui, |ui| {
                    for (code, qty) in &mut draft.lines {
                        let label = ui.label(code.as_str());
                        ui.add(egui::TextEdit::singleline(qty).desired_width(60.0))
                            .labelled_by(label.id);
                        ui.end_row();
                    }
                });
            let lines: Option<Vec<(String, i64)>> = draft
                .lines
                .iter()
                .map(|(code, qty)| {
                    let qty = qty.trim();
                    if qty.is_empty() {
                        return Some((code.clone(), 0));
                    }
                    qty.parse::<i64>()
                        .ok()
                        .filter(|n| *n >= 0)
                        .map(|n| (code.clone(), n))
                })
                .collect();
            let lines = lines.map(|l| l.into_iter().filter(|(_, n)| *n > 0).collect::<Vec<_>>());
            if lines.is_none() {
                ui.colored_label(theme::LOW_STOCK, Tx::BadQuantity.tr(lang));
            }
            ui.horizontal(|ui| {
                let ok = lines.as_ref().is_some_and(|l| !l.is_empty());
                if ui
                    .add_enabled(ok, egui::Button::new(Tx::ConfirmReceipt.tr(lang)))
                    .clicked()
                    && let Some(lines) = lines
                {
                    commands.push(store(InvRequest::Receive {
                        id: draft.purchase,
                        lines,
                    }));
                }
                if ui.button(T::Cancel.tr(lang)).clicked() {
                    close = true;
                }
            });
        });
        if close || !open {
            self.receive = None;
        }
    }
}
