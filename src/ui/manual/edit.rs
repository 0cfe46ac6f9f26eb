//! Editing a manual order until it is printed: opened from an order's detail in the Orders
//! tab (its Edit order button) or here by order number. The order is loaded into the same
//! cart, receiver and remark as a new one; "Save changes" sends the whole order, which the
//! store writes in one transaction (the receiver through the same path as the Orders tab's
//! receiver edit, every change logged old → new), and the order is reviewed again.

use super::texts::Tx;
use super::{CartEntry, Kind, ManualRequest, ManualTab, ReceiverDraft, Waiting, store};
use crate::domain::format_cents;
use crate::domain::manual::PLATFORM;
use crate::store::{Language, OrderDetail};
use crate::ui::{Command, Notices, theme};

/// The manual order being edited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditDraft {
    /// The order, once known (opened by number, it is known when it arrives).
    pub id: Option<i64>,
    pub order_no: String,
    /// Its lines, receiver and amounts are on the page.
    pub loaded: bool,
    /// Paid already: the payment recorded stays as it is.
    pub paid: bool,
}

impl EditDraft {
    fn new(id: Option<i64>, order_no: &str) -> EditDraft {
        EditDraft {
            id,
            order_no: order_no.trim().to_owned(),
            loaded: false,
            paid: false,
        }
    }
}

/// Why an order cannot be edited here, if it cannot.
fn refusal(detail: &OrderDetail) -> Option<Tx> {
    if detail.row.platform != PLATFORM {
        Some(Tx::NotManual)
    } else if !detail.row.state.is_editable() {
        Some(Tx::NotEditable)
    } else {
        None
    }
}

impl ManualTab {
    /// Opens a manual order for editing; returns the request that loads it.
    pub fn start_edit(&mut self, id: i64) -> Command {
        self.reship = None;
        self.edit_number = None;
        self.waiting = None;
        self.edit = Some(EditDraft::new(Some(id), ""));
        store(ManualRequest::Load(id))
    }

    /// The order to edit arrived: its lines go into the cart (their look-ups asked for),
    /// its receiver, postage, kind, remark and message onto the page. Anything else
    /// (another platform's order, one printed already) is refused with the reason.
    pub(super) fn loaded(&mut self, detail: OrderDetail, lang: Language, notices: &mut Notices) {
        let Some(draft) = &self.edit else {
            return;
        };
        // Opened by number, the first order that arrives is the one; by id, only that one.
        if draft.loaded || draft.id.is_some_and(|id| id != detail.row.id) {
            return;
        }
        if let Some(why) = refusal(&detail) {
            notices.error(format!("{} {}", detail.row.order_no, why.tr(lang)));
            self.edit = None;
            return;
        }
        self.clear_order();
        self.cart = detail
            .lines
            .iter()
            .map(|l| {
                let code = l.product_code.clone().unwrap_or_else(|| l.sku.clone());
                CartEntry::new(&code, l.quantity, Some(l.unit_price_cents))
            })
            .collect();
        self.lookups
            .extend(self.cart.iter().map(|e| e.code.clone()));
        self.postage = if detail.amounts.postage_cents > 0 {
            format_cents(detail.amounts.postage_cents)
        } else {
            String::new()
        };
        self.kind = if detail.cash_on_delivery {
            Kind::CashOnDelivery
        } else {
            Kind::Unpaid
        };
        self.remark = detail.row.seller_remark.clone();
        self.buyer_message = detail.buyer_message.clone();
        self.receiver = ReceiverDraft {
            name: detail.row.receiver_name.clone(),
            phone: detail.row.receiver_phone.clone(),
            province: detail.row.province.clone(),
            city: detail.row.city.clone(),
            district: detail.district.clone(),
            address: detail.address.clone(),
            postcode: detail.postcode.clone(),
            unsure: Vec::new(),
        };
        self.edit = Some(EditDraft {
            id: Some(detail.row.id),
            order_no: detail.row.order_no.clone(),
            loaded: true,
            paid: detail.row.payment.is_paid(),
        });
    }

    /// Leaves editing: the page is empty for a new order.
    pub(super) fn stop_edit(&mut self) {
        self.edit = None;
        self.waiting = None;
        self.clear_order();
    }

    /// The title row while editing: which order, and the way back to a new one.
    pub(super) fn edit_header_ui(&mut self, ui: &mut egui::Ui, lang: Language) {
        let Some(draft) = &self.edit else {
            return;
        };
        let title = if draft.loaded {
            format!("{} {}", Tx::EditTitle.tr(lang), draft.order_no)
        } else {
            Tx::Loading.tr(lang).to_owned()
        };
        ui.heading(title);
        ui.separator();
        if ui.button(Tx::BackToNew.tr(lang)).clicked() {
            self.stop_edit();
        }
    }

    /// Cash on delivery and the Save changes button, in place of the kind, payment and
    /// Create of a new order.
    pub(super) fn edit_save_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        commands: &mut Vec<Command>,
    ) {
        let Some(draft) = &self.edit else {
            return;
        };
        let (id, paid, loaded) = (draft.id, draft.paid, draft.loaded);
        ui.strong(Tx::KindPayment.tr(lang));
        if paid {
            ui.label(Tx::PaidWord.tr(lang));
            ui.label(
                egui::RichText::new(Tx::EditPaidHint.tr(lang))
                    .weak()
                    .small(),
            );
        } else {
            let mut cod = self.kind == Kind::CashOnDelivery;
            if ui.checkbox(&mut cod, Tx::CashOnDelivery.tr(lang)).changed() {
                self.kind = if cod {
                    Kind::CashOnDelivery
                } else {
                    Kind::Unpaid
                };
            }
        }
        ui.add_space(4.0);
        super::receiver::text_row_ui(ui, (Tx::Remark.tr(lang), lang), &mut self.remark, false);
        super::receiver::text_row_ui(
            ui,
            (Tx::BuyerMessage.tr(lang), lang),
            &mut self.buyer_message,
            false,
        );
        ui.add_space(6.0);
        let order = self.order(lang);
        let waiting = self.waiting == Some(Waiting::Save);
        ui.horizontal(|ui| {
            let text = if waiting { Tx::Saving } else { Tx::SaveChanges };
            let button = egui::Button::new(egui::RichText::new(text.tr(lang)).strong())
                .min_size(egui::vec2(140.0, 28.0));
            if ui
                .add_enabled(loaded && order.is_ok() && self.waiting.is_none(), button)
                .clicked()
                && let (Ok((order, _)), Some(id)) = (&order, id)
            {
                self.waiting = Some(Waiting::Save);
                commands.push(store(ManualRequest::Edit {
                    id,
                    order: Box::new(order.clone()),
                }));
            }
            if let Some(total) = self.total_cents() {
                ui.label(format!("{} ¥{}", Tx::Total.tr(lang), format_cents(total)));
            }
        });
        if let Err(problems) = &order {
            for p in problems {
                ui.colored_label(theme::LOW_STOCK, format!("· {p}"));
            }
        }
    }

    /// The dialog that opens a manual order by its number.
    pub(super) fn edit_dialog_ui(
        &mut self,
        ctx: &egui::Context,
        lang: Language,
        commands: &mut Vec<Command>,
    ) {
        let Some(number) = &mut self.edit_number else {
            return;
        };
        let mut open = true;
        let mut load = None;
        egui::Window::new(Tx::EditTitle.tr(lang))
            .id(egui::Id::unique("manual-edit-open"))
            .collapsible(false)
            .open(&mut open)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                ui.label(egui::RichText::new(Tx::EditHint.tr(lang)).weak());
                ui.horizontal(|ui| {
                    let label = ui.label(Tx::OrderNo.tr(lang));
                    let response = ui
                        .add(
                            egui::TextEdit::singleline(number)
                                .id(egui::Id::unique("manual-edit-number")),
                        )
                        .labelled_by(label.id);
                    let enter =
                        response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    let ready = !number.trim().is_empty();
                    let clicked = ui
                        .add_enabled(ready, egui::Button::new(Tx::Load.tr(lang)))
                        .clicked();
                    if ready && (clicked || enter) {
                        load = Some(number.trim().to_owned());
                    }
                });
            });
        if let Some(number) = load {
            self.reship = None;
            self.waiting = None;
            self.edit = Some(EditDraft::new(None, &number));
            self.edit_number = None;
            commands.push(store(ManualRequest::LoadNumber(number)));
        } else if !open {
            self.edit_number = None;
        }
    }
}
