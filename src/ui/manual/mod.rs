//! The Manual order tab (手动下单): an order typed in by hand for an offline sale, a buyer
//! who pays by bank transfer, or cash on delivery; and reshipments (补发) of orders that
//! went out, opened from the Orders tab.
//!
//! The page has the products on the left (one search box over code, barcode, name and
//! supplier item number with the stock figures; the cart below it) and the order on the
//! right (the receiver read from one pasted message, a customer's earlier addresses, the
//! kind and payment, Create). The pasted text is read here, in the frame, by
//! `domain::address::parse_address` (pure, well under a millisecond); everything that
//! needs the store goes to the backend thread as an `app::manual::Request`: the search
//! (answers of an older generation are dropped), exact code or barcode look-ups that give
//! a cart line its price and stock, the customers, the cart import, and the writes.

mod cart;
mod edit;
mod receiver;
mod reship;
pub mod texts;

use std::collections::{HashMap, HashSet};

pub use crate::app::manual::{
    CartImport, CartProduct, Created, Payment, Reply as ManualReply, Request as ManualRequest,
};
use crate::domain::address::Field;
use crate::domain::manual::{PayMethod, parse_price, parse_quantity};
use crate::domain::{format_cents, manual::CartLine};
use crate::store::{
    CustomerDetail, CustomerRow, Language, ManualLine, ManualOrder, Receiver, StockRow,
};
use crate::ui::widgets::FilePicker;
use crate::ui::{Command, Notices, ask, theme};
pub use edit::EditDraft;
pub use reship::{ReshipDraft, ReshipReason};
use texts::Tx;

/// One line of the cart, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartEntry {
    /// The code or barcode the line was added by; the product's code once it is found.
    pub code: String,
    /// The product's price and stock, once the look-up has answered.
    pub product: Option<CartProduct>,
    /// No product has this code or barcode.
    pub unknown: bool,
    pub quantity: String,
    /// The unit price as typed (yuan); filled with the product's price when it is found.
    pub price: String,
}

impl CartEntry {
    fn new(code: &str, quantity: i64, price: Option<i64>) -> CartEntry {
        CartEntry {
            code: code.trim().to_owned(),
            product: None,
            unknown: false,
            quantity: quantity.to_string(),
            price: price.map(format_cents).unwrap_or_default(),
        }
    }

    pub fn quantity(&self) -> Option<i64> {
        parse_quantity(&self.quantity).ok()
    }

    /// The unit price in cents: as typed, or the product's while the field is empty.
    pub fn price_cents(&self) -> Option<i64> {
        if self.price.trim().is_empty() {
            return self.product.as_ref().map(|p| p.price_cents);
        }
        parse_price(&self.price).ok()
    }

    pub fn total_cents(&self) -> Option<i64> {
        Some(self.quantity()? * self.price_cents()?)
    }

    pub fn name(&self) -> &str {
        self.product.as_ref().map_or("", |p| p.stock.name.as_str())
    }
}

/// The receiver as read from the pasted text and edited by hand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReceiverDraft {
    pub name: String,
    pub phone: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub address: String,
    pub postcode: String,
    /// The fields the reading is not sure of (highlighted until edited).
    pub unsure: Vec<Field>,
}

impl ReceiverDraft {
    pub fn receiver(&self) -> Receiver {
        Receiver {
            name: self.name.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            province: self.province.trim().to_owned(),
            city: self.city.trim().to_owned(),
            district: self.district.trim().to_owned(),
            address: self.address.trim().to_owned(),
            postcode: self.postcode.trim().to_owned(),
        }
    }

    /// The fields an order cannot go without, still empty.
    pub fn missing(&self) -> Vec<Tx> {
        [
            (Tx::Name, &self.name),
            (Tx::Phone, &self.phone),
            (Tx::Province, &self.province),
            (Tx::City, &self.city),
            (Tx::District, &self.district),
            (Tx::Street, &self.address),
        ]
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(t, _)| t)
        .collect()
    }
}

/// What kind of order is being entered, and how it is paid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    /// An offline sale, unpaid until the payment is recorded (到款).
    #[default]
    Unpaid,
    PaidNow,
    CashOnDelivery,
}

/// The payment-received dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayDraft {
    pub order_no: String,
    pub method: PayMethod,
    pub amount: String,
    pub note: String,
}

impl Default for PayDraft {
    fn default() -> PayDraft {
        PayDraft {
            order_no: String::new(),
            method: PayMethod::Bank,
            amount: String::new(),
            note: String::new(),
        }
    }
}

/// A write on its way to the store: its button waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Waiting {
    Create,
    /// The changes of a manual order being edited.
    Save,
    Reship,
    Pay,
}

/// The tab's state.
pub struct ManualTab {
    // The product search.
    pub search: String,
    generation: u64,
    asked_generation: Option<u64>,
    /// The results of the newest search answered, and how many products match.
    pub results: Option<Vec<StockRow>>,
    pub results_total: u64,
    /// The generation the results answer; older ones are shown but not acted on.
    results_generation: u64,
    /// The result row chosen with the arrow keys or a click.
    pub cursor: Option<usize>,
    /// Search text whose Enter waits for its exact look-up.
    pending_enter: Option<String>,
    /// A bundle's parts `(code, name, per bundle, sellable)`, by the bundle's code.
    pub parts: HashMap<String, Vec<(String, String, i64, i64)>>,
    parts_asked: HashSet<String>,
    /// The bundle whose parts show under the results.
    pub shown_bundle: Option<String>,
    focus_search: bool,
    // The cart.
    pub cart: Vec<CartEntry>,
    pub postage: String,
    /// The cart import dialog and its preview.
    pub import_open: bool,
    pub import_file: FilePicker,
    pub import: Option<CartImport>,
    // The receiver.
    pub paste: String,
    pub receiver: ReceiverDraft,
    pub customer_search: String,
    pub customers: Option<Vec<CustomerRow>>,
    pub customer: Option<Box<CustomerDetail>>,
    /// The chosen customer's tags and note as typed.
    pub customer_tags: String,
    pub customer_note: String,
    // Kind and payment.
    pub kind: Kind,
    pub method: PayMethod,
    /// The amount received; empty means the order's total.
    pub amount: String,
    pub pay_note: String,
    pub remark: String,
    pub buyer_message: String,
    /// The order created last, shown until the next one.
    pub last_created: Option<Created>,
    /// The payment-received dialog, when open.
    pub pay: Option<PayDraft>,
    /// Reshipment mode: the order sent again, its lines and the reason.
    pub reship: Option<ReshipDraft>,
    /// Edit mode: the manual order whose changes the page holds.
    pub edit: Option<EditDraft>,
    /// The "Edit order…" dialog's order number, while it is open.
    pub edit_number: Option<String>,
    /// Cart lines whose product the next frame asks for.
    lookups: Vec<String>,
    waiting: Option<Waiting>,
    /// Stock or orders changed: the results and the cart's figures are asked again.
    stale: bool,
}

impl Default for ManualTab {
    fn default() -> ManualTab {
        ManualTab {
            search: String::new(),
            generation: 0,
            asked_generation: None,
            results: None,
            results_total: 0,
            results_generation: 0,
            cursor: None,
            pending_enter: None,
            parts: HashMap::new(),
            parts_asked: HashSet::new(),
            shown_bundle: None,
            focus_search: true,
            cart: Vec::new(),
            postage: String::new(),
            import_open: false,
            import_file: FilePicker::default(),
            import: None,
            paste: String::new(),
            receiver: ReceiverDraft::default(),
            customer_search: String::new(),
            customers: None,
            customer: None,
            customer_tags: String::new(),
            customer_note: String::new(),
            kind: Kind::Unpaid,
            method: PayMethod::Bank,
            amount: String::new(),
            pay_note: String::new(),
            remark: String::new(),
            buyer_message: String::new(),
            last_created: None,
            pay: None,
            reship: None,
            edit: None,
            edit_number: None,
            lookups: Vec::new(),
            waiting: None,
            stale: false,
        }
    }
}

/// The name of a payment method in the window's language.
pub fn method_text(method: PayMethod) -> Tx {
    match method {
        PayMethod::Bank => Tx::MethodBank,
        PayMethod::Cash => Tx::MethodCash,
        PayMethod::Wechat => Tx::MethodWechat,
        PayMethod::Alipay => Tx::MethodAlipay,
    }
}

/// What a new order came to, in the window's language: its number, whether it was
/// approved (or why not) and whether it is paid.
pub fn created_text(created: &Created, lang: Language) -> String {
    outcome_text(Tx::Created, created, lang)
}

/// What an order came to after `done` (created, saved): its number, approved or why not,
/// paid or not.
fn outcome_text(done: Tx, created: &Created, lang: Language) -> String {
    let mut text = format!(
        "{} {}: {}, {}",
        done.tr(lang),
        created.order_no,
        if created.approved {
            Tx::Approved
        } else {
            Tx::PendingReview
        }
        .tr(lang),
        if created.paid {
            Tx::PaidWord
        } else {
            Tx::UnpaidWord
        }
        .tr(lang)
    );
    if !created.problems.is_empty() {
        let problems: Vec<String> = created
            .problems
            .iter()
            .map(|p| crate::ui::i18n::problem_text(p, lang))
            .collect();
        text.push_str(" — ");
        text.push_str(&problems.join("; "));
    }
    text
}

fn store(request: ManualRequest) -> Command {
    ask(request)
}

impl ManualTab {
    /// Opens reshipment mode for an order; returns the request for its lines.
    pub fn start_reship(&mut self, original: i64) -> Command {
        self.edit = None;
        self.reship = Some(ReshipDraft::new(original));
        self.waiting = None;
        store(ManualRequest::Original(original))
    }

    /// The goods of the cart in cents, while every line has a quantity and a price.
    pub fn goods_cents(&self) -> Option<i64> {
        self.cart.iter().map(CartEntry::total_cents).sum()
    }

    pub fn postage_cents(&self) -> Option<i64> {
        if self.postage.trim().is_empty() {
            return Some(0);
        }
        parse_price(&self.postage).ok()
    }

    pub fn total_cents(&self) -> Option<i64> {
        Some(self.goods_cents()? + self.postage_cents()?)
    }

    /// The order the page describes, or what keeps it from being created.
    pub fn order(&self, lang: Language) -> Result<(ManualOrder, Option<Payment>), Vec<String>> {
        let mut problems = Vec::new();
        if self.cart.is_empty() {
            problems.push(Tx::NeedsLines.tr(lang).to_owned());
        }
        let mut lines = Vec::new();
        for entry in &self.cart {
            if entry.unknown {
                problems.push(format!("{}: {}", entry.code, Tx::UnknownProduct.tr(lang)));
            }
            let Some(quantity) = entry.quantity() else {
                problems.push(format!("{}: {}", entry.code, Tx::BadQuantity.tr(lang)));
                continue;
            };
            let price = if entry.price.trim().is_empty() {
                None
            } else if let Ok(cents) = parse_price(&entry.price) {
                Some(cents)
            } else {
                problems.push(format!("{}: {}", entry.code, Tx::BadPrice.tr(lang)));
                continue;
            };
            lines.push(ManualLine {
                code: entry.code.clone(),
                quantity,
                unit_price_cents: price,
            });
        }
        let postage = self.postage_cents();
        if postage.is_none() {
            problems.push(format!(
                "{}: {}",
                Tx::Postage.tr(lang),
                Tx::BadPrice.tr(lang)
            ));
        }
        let missing = self.receiver.missing();
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|t| t.tr(lang)).collect();
            problems.push(format!("{}: {}", Tx::Missing.tr(lang), names.join(", ")));
        }
        let payment = if self.kind == Kind::PaidNow {
            let amount = if self.amount.trim().is_empty() {
                self.total_cents()
            } else {
                parse_price(&self.amount).ok()
            };
            match amount {
                Some(cents) if cents > 0 => Some(Payment {
                    method: self.method,
                    amount_cents: cents,
                    note: self.pay_note.trim().to_owned(),
                }),
                _ => {
                    problems.push(Tx::BadAmount.tr(lang).to_owned());
                    None
                }
            }
        } else {
            None
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok((
            ManualOrder {
                receiver: self.receiver.receiver(),
                lines,
                postage_cents: postage.unwrap_or(0),
                cash_on_delivery: self.kind == Kind::CashOnDelivery,
                remark: self.remark.trim().to_owned(),
                buyer_message: self.buyer_message.trim().to_owned(),
            },
            payment,
        ))
    }

    /// Adds `quantity` of a product by code or barcode; a new line asks for its price and
    /// stock.
    pub fn add_code(&mut self, code: &str, quantity: i64, commands: &mut Vec<Command>) {
        let code = code.trim();
        if code.is_empty() {
            return;
        }
        if let Some(entry) = self.cart.iter_mut().find(|e| e.code == code) {
            let now = entry.quantity().unwrap_or(0);
            entry.quantity = (now + quantity).to_string();
            return;
        }
        self.cart.push(CartEntry::new(code, quantity, None));
        commands.push(store(ManualRequest::Lookup(vec![code.to_owned()])));
    }

    /// Adds the lines of an imported cart.
    fn add_lines(&mut self, lines: &[CartLine], commands: &mut Vec<Command>) {
        let mut keys = Vec::new();
        for line in lines {
            if let Some(entry) = self.cart.iter_mut().find(|e| e.code == line.code) {
                let now = entry.quantity().unwrap_or(0);
                entry.quantity = (now + line.quantity).to_string();
                if let Some(price) = line.unit_price_cents {
                    entry.price = format_cents(price);
                }
            } else {
                self.cart.push(CartEntry::new(
                    &line.code,
                    line.quantity,
                    line.unit_price_cents,
                ));
                keys.push(line.code.clone());
            }
        }
        if !keys.is_empty() {
            commands.push(store(ManualRequest::Lookup(keys)));
        }
    }

    /// A look-up answered: fill the cart lines that waited for it, or add the product an
    /// Enter asked for.
    fn found(
        &mut self,
        found: Vec<(String, Option<CartProduct>)>,
        lang: Language,
        notices: &mut Notices,
    ) {
        for (key, product) in found {
            if self.pending_enter.as_deref() == Some(key.as_str()) {
                self.pending_enter = None;
                match &product {
                    Some(p) => {
                        let code = p.stock.code.clone();
                        if let Some(entry) = self.cart.iter_mut().find(|e| e.code == code) {
                            let now = entry.quantity().unwrap_or(0);
                            entry.quantity = (now + 1).to_string();
                        } else {
                            let mut entry = CartEntry::new(&code, 1, Some(p.price_cents));
                            entry.product = Some(p.clone());
                            self.cart.push(entry);
                        }
                        self.clear_search();
                    }
                    None => {
                        let several = self.results.as_ref().is_some_and(|r| r.len() > 1);
                        let why = if several {
                            Tx::SeveralMatch
                        } else {
                            Tx::NoSuchProduct
                        };
                        notices.error(format!("{}: {key}", why.tr(lang)));
                    }
                }
                continue;
            }
            for entry in &mut self.cart {
                let waiting = entry.product.is_none() && entry.code == key;
                match &product {
                    Some(p) if waiting || entry.code == p.stock.code => {
                        entry.code = p.stock.code.clone();
                        if entry.price.trim().is_empty() {
                            entry.price = format_cents(p.price_cents);
                        }
                        entry.product = Some(p.clone());
                        entry.unknown = false;
                    }
                    None if waiting => entry.unknown = true,
                    _ => {}
                }
            }
        }
        self.merge_cart();
    }

    /// Two lines of one product (added by code and by barcode) become one.
    fn merge_cart(&mut self) {
        let mut merged: Vec<CartEntry> = Vec::with_capacity(self.cart.len());
        for entry in std::mem::take(&mut self.cart) {
            match merged
                .iter_mut()
                .find(|m| m.code == entry.code && m.product.is_some() && entry.product.is_some())
            {
                Some(m) => {
                    let sum = m.quantity().unwrap_or(0) + entry.quantity().unwrap_or(0);
                    m.quantity = sum.to_string();
                }
                None => merged.push(entry),
            }
        }
        self.cart = merged;
    }

    fn clear_search(&mut self) {
        self.search.clear();
        self.generation += 1;
        self.cursor = None;
        self.focus_search = true;
    }

    /// Empties the page for the next order.
    fn clear_order(&mut self) {
        self.cart.clear();
        self.postage.clear();
        self.paste.clear();
        self.receiver = ReceiverDraft::default();
        self.customer = None;
        self.customers = None;
        self.customer_search.clear();
        self.kind = Kind::Unpaid;
        self.amount.clear();
        self.pay_note.clear();
        self.remark.clear();
        self.buyer_message.clear();
        self.clear_search();
    }

    /// An answer from the store thread.
    pub fn apply(&mut self, reply: ManualReply, lang: Language, notices: &mut Notices) {
        match reply {
            ManualReply::Products { generation, page } => {
                if generation == self.generation {
                    self.results_generation = generation;
                    self.results_total = page.total;
                    self.results = Some(page.rows);
                    self.cursor = None;
                }
            }
            ManualReply::Components { code, parts } => {
                self.parts.insert(code, parts);
            }
            ManualReply::Created(created) => {
                self.waiting = None;
                notices.push(created_text(&created, lang), !created.approved);
                self.last_created = Some(created);
                self.clear_order();
            }
            ManualReply::Paid { order_no } => {
                self.waiting = None;
                self.pay = None;
                notices.info(format!("{} {order_no}", Tx::PaymentRecorded.tr(lang)));
            }
            ManualReply::Reshipped(created) => {
                self.waiting = None;
                let original = self
                    .reship
                    .take()
                    .and_then(|r| r.detail)
                    .map(|d| d.row.order_no)
                    .unwrap_or_default();
                let mut text = format!(
                    "{}: {} ({} {original})",
                    Tx::ReshipCreated.tr(lang),
                    created.order_no,
                    Tx::ReshipOf.tr(lang)
                );
                if !created.approved {
                    text.push_str(&format!(", {}", Tx::PendingReview.tr(lang)));
                }
                notices.push(text, !created.approved);
                self.last_created = Some(created);
            }
            ManualReply::Customers(rows) => self.customers = Some(rows),
            ManualReply::Customer(detail) => self.show_customer(detail),
            ManualReply::CustomerSaved(detail) => {
                notices.info(format!(
                    "{}: {}",
                    Tx::CustomerSaved.tr(lang),
                    detail.customer.name
                ));
                self.show_customer(detail);
            }
            ManualReply::Cart(import) => self.import = Some(import),
            ManualReply::Found(found) => self.found(found, lang, notices),
            ManualReply::Loaded(detail) => self.loaded(*detail, lang, notices),
            ManualReply::Edited(created) => {
                notices.push(outcome_text(Tx::Saved, &created, lang), !created.approved);
                self.last_created = Some(created);
                self.stop_edit();
            }
            ManualReply::Original(detail) => {
                if let Some(draft) = &mut self.reship
                    && draft.original == detail.row.id
                {
                    draft.receive(*detail);
                }
            }
        }
    }

    /// Asks again for what a change made stale: the results and the cart's stock.
    fn refresh(&mut self, commands: &mut Vec<Command>) {
        if !self.lookups.is_empty() {
            commands.push(store(ManualRequest::Lookup(std::mem::take(
                &mut self.lookups,
            ))));
        }
        if !std::mem::take(&mut self.stale) {
            return;
        }
        self.generation += 1;
        self.parts.clear();
        self.parts_asked.clear();
        let keys: Vec<String> = self
            .cart
            .iter()
            .filter(|e| e.product.is_some())
            .map(|e| e.code.clone())
            .collect();
        if !keys.is_empty() {
            commands.push(store(ManualRequest::Lookup(keys)));
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        self.refresh(commands);
        if self.reship.is_some() {
            self.reship_ui(ui, lang, commands);
            return;
        }
        self.header_ui(ui, lang);
        let side = (ui.available_width() * 0.38).clamp(330.0, 440.0);
        egui::Panel::right("manual-order-side")
            .resizable(true)
            .default_size(side)
            .min_size(330.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("manual-side-scroll")
                    .show(ui, |ui| {
                        self.receiver_ui(ui, lang, commands);
                        ui.add_space(theme::SECTION_GAP);
                        if self.edit.is_some() {
                            self.edit_save_ui(ui, lang, commands);
                        } else {
                            self.payment_ui(ui, lang, commands);
                        }
                    });
            });
        self.products_ui(ui, lang, commands);
        self.import_dialog_ui(ui.ctx(), lang, commands);
        self.pay_dialog_ui(ui.ctx(), lang, commands);
        self.edit_dialog_ui(ui.ctx(), lang, commands);
    }

    /// The title row: the tools that open dialogs, and the order created last.
    fn header_ui(&mut self, ui: &mut egui::Ui, lang: Language) {
        ui.horizontal_wrapped(|ui| {
            if self.edit.is_some() {
                self.edit_header_ui(ui, lang);
            } else {
                ui.heading(Tx::NewOrder.tr(lang));
                ui.separator();
            }
            if ui.button(Tx::ImportCart.tr(lang)).clicked() {
                self.import_open = true;
            }
            if ui.button(Tx::RecordPayment.tr(lang)).clicked() && self.pay.is_none() {
                self.pay = Some(PayDraft::default());
            }
            if ui.button(Tx::EditOrder.tr(lang)).clicked() && self.edit_number.is_none() {
                self.edit_number = Some(String::new());
            }
            if let Some(created) = &self.last_created {
                ui.separator();
                ui.label(egui::RichText::new(Tx::LastCreated.tr(lang)).weak());
                let colour = if created.approved {
                    theme::state_colour(crate::domain::OrderState::Approved)
                } else {
                    theme::LOW_STOCK
                };
                ui.colored_label(colour, created_text(created, lang));
            }
        });
        ui.separator();
    }

    /// Kind and payment, remark and message, and the Create button with what it waits for.
    fn payment_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        ui.strong(Tx::KindPayment.tr(lang));
        ui.horizontal_wrapped(|ui| {
            for (kind, text) in [
                (Kind::Unpaid, Tx::Unpaid),
                (Kind::PaidNow, Tx::PaidNow),
                (Kind::CashOnDelivery, Tx::CashOnDelivery),
            ] {
                ui.radio_value(&mut self.kind, kind, text.tr(lang));
            }
        });
        if self.kind == Kind::PaidNow {
            let total = self.total_cents().map(format_cents).unwrap_or_default();
            ui.horizontal(|ui| {
                let label = receiver::row_label_ui(ui, Tx::Method.tr(lang), lang);
                method_combo_ui(ui, "manual-method", &mut self.method, lang, label.id);
            });
            ui.horizontal(|ui| {
                let label = receiver::row_label_ui(ui, Tx::Amount.tr(lang), lang);
                ui.add(
                    egui::TextEdit::singleline(&mut self.amount)
                        .hint_text(format!("{total} ({})", Tx::AmountHint.tr(lang)))
                        .desired_width(160.0),
                )
                .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                let label = receiver::row_label_ui(ui, Tx::Note.tr(lang), lang);
                ui.add(
                    egui::TextEdit::singleline(&mut self.pay_note)
                        .hint_text(Tx::NoteHint.tr(lang))
                        .desired_width(ui.available_width() - 6.0),
                )
                .labelled_by(label.id);
            });
            if self.method == PayMethod::Bank {
                ui.label(egui::RichText::new(Tx::BankGreen.tr(lang)).weak().small());
            }
        }
        ui.add_space(4.0);
        receiver::text_row_ui(ui, (Tx::Remark.tr(lang), lang), &mut self.remark, false);
        receiver::text_row_ui(
            ui,
            (Tx::BuyerMessage.tr(lang), lang),
            &mut self.buyer_message,
            false,
        );
        ui.add_space(6.0);
        let order = self.order(lang);
        let waiting = self.waiting == Some(Waiting::Create);
        ui.horizontal(|ui| {
            let text = if waiting { Tx::Creating } else { Tx::Create };
            let button = egui::Button::new(egui::RichText::new(text.tr(lang)).strong())
                .min_size(egui::vec2(140.0, 28.0));
            if ui
                .add_enabled(order.is_ok() && self.waiting.is_none(), button)
                .clicked()
                && let Ok((order, payment)) = &order
            {
                self.waiting = Some(Waiting::Create);
                commands.push(store(ManualRequest::Create {
                    order: Box::new(order.clone()),
                    payment: payment.clone(),
                }));
            }
            if let Some(total) = self.total_cents() {
                ui.label(format!("{} ¥{}", Tx::Total.tr(lang), format_cents(total)));
            }
        });
        // On an empty page what is missing is a hint; once an order is begun, a warning.
        let begun = !self.cart.is_empty() || self.receiver != ReceiverDraft::default();
        if let Err(problems) = &order {
            for p in problems {
                let text = egui::RichText::new(format!("· {p}"));
                ui.label(if begun {
                    text.color(theme::LOW_STOCK)
                } else {
                    text.weak()
                });
            }
        }
    }

    /// Records a payment received for an order created unpaid.
    fn pay_dialog_ui(&mut self, ctx: &egui::Context, lang: Language, commands: &mut Vec<Command>) {
        let Some(draft) = &mut self.pay else {
            return;
        };
        let mut open = true;
        let mut send = None;
        egui::Window::new(Tx::RecordButton.tr(lang))
            .id(egui::Id::unique("manual-pay"))
            .collapsible(false)
            .open(&mut open)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                ui.label(egui::RichText::new(Tx::RecordHint.tr(lang)).weak());
                egui::Grid::new("manual-pay-grid")
                    .num_columns(2)
                    .show(ui, |ui| {
                        let label = ui.label(Tx::OrderNo.tr(lang));
                        ui.add(egui::TextEdit::singleline(&mut draft.order_no))
                            .labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label(Tx::Method.tr(lang));
                        method_combo_ui(ui, "manual-pay-method", &mut draft.method, lang, label.id);
                        ui.end_row();
                        let label = ui.label(Tx::Amount.tr(lang));
                        ui.add(egui::TextEdit::singleline(&mut draft.amount))
                            .labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label(Tx::Note.tr(lang));
                        ui.add(
                            egui::TextEdit::singleline(&mut draft.note)
                                .hint_text(Tx::NoteHint.tr(lang)),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                    });
                let amount = parse_price(&draft.amount).ok().filter(|c| *c > 0);
                if !draft.amount.trim().is_empty() && amount.is_none() {
                    ui.colored_label(theme::LOW_STOCK, Tx::BadAmount.tr(lang));
                }
                if draft.method == PayMethod::Bank {
                    ui.label(egui::RichText::new(Tx::BankGreen.tr(lang)).weak().small());
                }
                let ready = !draft.order_no.trim().is_empty() && amount.is_some();
                if ui
                    .add_enabled(
                        ready && self.waiting.is_none(),
                        egui::Button::new(Tx::RecordButton.tr(lang)),
                    )
                    .clicked()
                    && let Some(cents) = amount
                {
                    send = Some(ManualRequest::PayByNumber {
                        order_no: draft.order_no.trim().to_owned(),
                        payment: Payment {
                            method: draft.method,
                            amount_cents: cents,
                            note: draft.note.trim().to_owned(),
                        },
                    });
                }
            });
        if let Some(request) = send {
            self.waiting = Some(Waiting::Pay);
            commands.push(store(request));
        }
        if !open {
            self.pay = None;
        }
    }
}

/// A drop-down of the payment methods.
fn method_combo_ui(
    ui: &mut egui::Ui,
    id: &str,
    method: &mut PayMethod,
    lang: Language,
    label: egui::Id,
) {
    let response = egui::ComboBox::from_id_salt(id)
        .selected_text(method_text(*method).tr(lang))
        .show_ui(ui, |ui| {
            for m in PayMethod::ALL {
                ui.selectable_value(method, m, method_text(m).tr(lang));
            }
        })
        .response;
    let _ = response.labelled_by(label);
}

impl crate::ui::Page for ManualTab {
    fn page_ui(&mut self, ui: &mut egui::Ui, cx: &mut crate::ui::TabCx<'_>) {
        self.ui(ui, cx.lang, cx.commands);
    }

    fn changed(&mut self, changed: crate::app::Changed) {
        use crate::app::Changed;
        if changed.touches(Changed::STOCK | Changed::ORDERS | Changed::SETTINGS) {
            self.stale = true;
        }
    }

    fn failed(&mut self) {
        self.waiting = None;
        self.pending_enter = None;
        if self.edit.as_ref().is_some_and(|e| !e.loaded) {
            self.edit = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::Notices;

    fn product(code: &str, price_cents: i64) -> CartProduct {
        CartProduct {
            price_cents,
            stock: StockRow {
                id: 1,
                code: code.to_owned(),
                name: format!("name {code}"),
                on_hand: 3,
                theoretical: 3,
                sellable: 3,
                in_transit: 0,
                damaged: 0,
                bin: String::new(),
                in_transit_expected: None,
                is_bundle: false,
                active: true,
                reorder_point: 0,
                supplier_item_no: String::new(),
                cost_cents: 0,
                reserved: 0,
                unreviewed_demand: 0,
            },
        }
    }

    fn filled() -> ManualTab {
        let mut tab = ManualTab {
            receiver: ReceiverDraft::from_parsed(crate::domain::address::parse_address(
                "张三 13800138000 浙江省杭州市西湖区文三路100号",
            )),
            ..ManualTab::default()
        };
        let mut commands = Vec::new();
        tab.add_code("CUP", 2, &mut commands);
        assert_eq!(commands.len(), 1, "a new line asks for its product");
        tab
    }

    #[test]
    fn a_line_added_by_barcode_becomes_its_product_and_merges_with_the_same() {
        let mut tab = filled();
        let mut commands = Vec::new();
        tab.add_code("6901", 1, &mut commands);
        let mut notices = Notices::default();
        tab.found(
            vec![
                ("CUP".to_owned(), Some(product("CUP", 1250))),
                ("6901".to_owned(), Some(product("CUP", 1250))),
            ],
            Language::English,
            &mut notices,
        );
        assert_eq!(tab.cart.len(), 1);
        assert_eq!(tab.cart[0].quantity, "3");
        assert_eq!(tab.cart[0].price, "12.50");
        assert_eq!(tab.goods_cents(), Some(3750));
        tab.found(
            vec![("NOPE".to_owned(), None)],
            Language::English,
            &mut notices,
        );
        assert!(notices.iter().next().is_none(), "nobody asked for NOPE");
    }

    #[test]
    fn the_order_says_everything_it_waits_for() {
        let mut tab = ManualTab::default();
        let Err(problems) = tab.order(Language::English) else {
            panic!("an empty page is no order");
        };
        assert_eq!(problems.len(), 2, "{problems:?}");
        tab = filled();
        tab.cart[0].price = "abc".to_owned();
        tab.postage = "-1".to_owned();
        let Err(problems) = tab.order(Language::English) else {
            panic!("bad price and postage");
        };
        assert_eq!(problems.len(), 2, "{problems:?}");
        tab.cart[0].price = "10".to_owned();
        tab.postage = "8".to_owned();
        tab.kind = Kind::PaidNow;
        let Ok((order, payment)) = tab.order(Language::English) else {
            panic!("a complete order");
        };
        assert_eq!(order.postage_cents, 800);
        assert_eq!(order.lines[0].unit_price_cents, Some(1000));
        assert_eq!(payment.map(|p| p.amount_cents), Some(2800), "the total");
        tab.kind = Kind::CashOnDelivery;
        let Ok((order, payment)) = tab.order(Language::English) else {
            panic!("cash on delivery");
        };
        assert!(order.cash_on_delivery && payment.is_none());
    }
}
