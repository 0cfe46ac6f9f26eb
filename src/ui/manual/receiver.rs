//! The receiver: one paste box read by `parse_address`, the fields it fills (those it is
//! unsure of framed in orange until edited), province → city → district picked from the
//! division table, and a customer's earlier addresses.

use super::texts::Tx;
use super::{ManualRequest, ManualTab, ReceiverDraft, store};
use crate::domain::address::{Divisions, Field, ParsedAddress, parse_address};
use crate::domain::format_cents;
use crate::store::{CustomerDetail, Language, UsedAddress};
use crate::ui::i18n::platform_text;
use crate::ui::widgets::unsure_frame_ui;
use crate::ui::{Command, theme};

impl ReceiverDraft {
    /// The fields read from a pasted message.
    pub fn from_parsed(parsed: ParsedAddress) -> ReceiverDraft {
        ReceiverDraft {
            name: parsed.name,
            phone: parsed.phone,
            province: parsed.province,
            city: parsed.city,
            district: parsed.district,
            address: parsed.address,
            postcode: parsed.postcode,
            unsure: parsed.unsure,
        }
    }

    fn from_used(a: &UsedAddress) -> ReceiverDraft {
        ReceiverDraft {
            name: a.name.clone(),
            phone: a.phone.clone(),
            province: a.province.clone(),
            city: a.city.clone(),
            district: a.district.clone(),
            address: a.address.clone(),
            postcode: a.postcode.clone(),
            unsure: Vec::new(),
        }
    }
}

/// The width of the labels before the fields of the side panel: Chinese labels are short.
fn label_width(lang: Language) -> f32 {
    match lang {
        Language::English => 112.0,
        Language::Chinese => 76.0,
    }
}

/// A label in a column of its own width, so the fields after it line up.
pub fn row_label_ui(ui: &mut egui::Ui, text: &str, lang: Language) -> egui::Response {
    let height = ui.spacing().interact_size.y;
    let width = label_width(lang);
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_width(width);
            ui.add(egui::Label::new(text).truncate())
        },
    )
    .inner
}

/// A labelled one-line field as wide as the panel; true when edited.
pub fn text_row_ui(
    ui: &mut egui::Ui,
    (label, lang): (&str, Language),
    value: &mut String,
    unsure: bool,
) -> bool {
    ui.horizontal(|ui| {
        let label = row_label_ui(ui, label, lang);
        unsure_frame_ui(ui, unsure, |ui| {
            let width = ui.available_width() - 6.0;
            ui.add(egui::TextEdit::singleline(value).desired_width(width))
                .labelled_by(label.id)
                .changed()
        })
    })
    .inner
}

/// A pick list of divisions; true when the user picked another one.
fn division_ui(
    ui: &mut egui::Ui,
    (id, name): (&str, Tx),
    value: &mut String,
    options: &[&str],
    width: f32,
    lang: Language,
) -> bool {
    let before = value.clone();
    let shown = if value.is_empty() {
        Tx::Choose.tr(lang).to_owned()
    } else {
        value.clone()
    };
    let response = egui::ComboBox::from_id_salt(id)
        .selected_text(shown)
        .width(width)
        .height(320.0)
        .show_ui(ui, |ui| {
            for option in options {
                ui.selectable_value(value, (*option).to_owned(), *option);
            }
        })
        .response;
    let _ = response.accessible_name(name.tr(lang));
    *value != before
}

impl ManualTab {
    /// A customer arrived (chosen, or saved): shown with its tags and note to edit.
    pub(super) fn show_customer(&mut self, detail: Box<CustomerDetail>) {
        self.customer_tags.clone_from(&detail.customer.tags);
        self.customer_note.clone_from(&detail.customer.note);
        self.customer = Some(detail);
    }

    /// The chosen customer's tags (as chips) and note, editable, and the button that saves
    /// them once they differ from what is stored.
    fn customer_note_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        id: i64,
        (tags, note): &(String, String),
        commands: &mut Vec<Command>,
    ) {
        if !tags.is_empty() {
            ui.horizontal_wrapped(|ui| {
                for tag in tags.split(',').filter(|t| !t.is_empty()) {
                    egui::Frame::new()
                        .fill(ui.visuals().faint_bg_color)
                        .corner_radius(3.0)
                        .inner_margin(egui::Margin::symmetric(4, 1))
                        .show(ui, |ui| ui.label(egui::RichText::new(tag).small().strong()));
                }
            });
        }
        ui.horizontal(|ui| {
            let label = row_label_ui(ui, Tx::Tags.tr(lang), lang);
            ui.add(
                egui::TextEdit::singleline(&mut self.customer_tags)
                    .hint_text(Tx::TagsHint.tr(lang))
                    .desired_width(ui.available_width() - 6.0),
            )
            .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let label = row_label_ui(ui, Tx::CustomerNote.tr(lang), lang);
            ui.add(
                egui::TextEdit::multiline(&mut self.customer_note)
                    .desired_rows(2)
                    .desired_width(ui.available_width() - 6.0),
            )
            .labelled_by(label.id);
        });
        let changed = self.customer_tags.trim() != tags.as_str()
            || self.customer_note.trim() != note.as_str();
        if ui
            .add_enabled(changed, egui::Button::new(Tx::SaveCustomer.tr(lang)))
            .clicked()
        {
            commands.push(store(ManualRequest::SaveCustomer {
                id,
                tags: self.customer_tags.trim().to_owned(),
                note: self.customer_note.trim().to_owned(),
            }));
        }
    }

    pub(super) fn receiver_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        commands: &mut Vec<Command>,
    ) {
        let title = ui
            .horizontal(|ui| {
                let title = ui.strong(Tx::Receiver.tr(lang));
                if ui.small_button(Tx::Read.tr(lang)).clicked() {
                    self.read_paste();
                }
                if ui.small_button(Tx::ClearReceiver.tr(lang)).clicked() {
                    self.paste.clear();
                    self.receiver = ReceiverDraft::default();
                }
                title
            })
            .inner;
        let paste = egui::TextEdit::multiline(&mut self.paste)
            .id(egui::Id::unique("manual-paste"))
            .hint_text(Tx::PasteHint.tr(lang))
            .desired_rows(3)
            .desired_width(f32::INFINITY);
        if ui.add(paste).labelled_by(title.id).changed() {
            self.read_paste();
        }
        self.fields_ui(ui, lang);
        if !self.receiver.unsure.is_empty() {
            ui.colored_label(theme::LOW_STOCK, Tx::Unsure.tr(lang));
        }
        ui.add_space(4.0);
        egui::CollapsingHeader::new(Tx::Customer.tr(lang))
            .id_salt("manual-customer")
            .default_open(false)
            .show(ui, |ui| self.customer_ui(ui, lang, commands));
    }

    /// Reads the paste box into the fields.
    pub fn read_paste(&mut self) {
        if self.paste.trim().is_empty() {
            return;
        }
        self.receiver = ReceiverDraft::from_parsed(parse_address(&self.paste));
    }

    fn fields_ui(&mut self, ui: &mut egui::Ui, lang: Language) {
        let r = &mut self.receiver;
        for (label, field, value) in [
            (Tx::Name, Field::Name, &mut r.name),
            (Tx::Phone, Field::Phone, &mut r.phone),
        ] {
            if text_row_ui(ui, (label.tr(lang), lang), value, r.unsure.contains(&field)) {
                r.unsure.retain(|f| *f != field);
            }
        }
        ui.horizontal(|ui| {
            row_label_ui(ui, Tx::Region.tr(lang), lang);
            ui.spacing_mut().item_spacing.x = 4.0;
            let pick_width = ((ui.available_width() - 12.0) / 3.0 - 14.0).max(60.0);
            let divisions = Divisions::embedded();
            let provinces = divisions.provinces();
            let unsure = r.unsure.contains(&Field::Province);
            if unsure_frame_ui(ui, unsure, |ui| {
                division_ui(
                    ui,
                    ("manual-province", Tx::Province),
                    &mut r.province,
                    &provinces,
                    pick_width,
                    lang,
                )
            }) {
                r.unsure.retain(|f| *f != Field::Province);
                let cities = divisions.cities(&r.province);
                if !cities.contains(&r.city.as_str()) {
                    r.city = if cities.len() == 1 {
                        cities[0].to_owned()
                    } else {
                        String::new()
                    };
                    r.district.clear();
                }
            }
            let cities = divisions.cities(&r.province);
            let unsure = r.unsure.contains(&Field::City);
            if unsure_frame_ui(ui, unsure, |ui| {
                division_ui(
                    ui,
                    ("manual-city", Tx::City),
                    &mut r.city,
                    &cities,
                    pick_width,
                    lang,
                )
            }) {
                r.unsure.retain(|f| *f != Field::City);
                let districts = divisions.districts(&r.province, &r.city);
                if !districts.contains(&r.district.as_str()) {
                    r.district.clear();
                }
            }
            let districts = divisions.districts(&r.province, &r.city);
            let unsure = r.unsure.contains(&Field::District);
            if unsure_frame_ui(ui, unsure, |ui| {
                division_ui(
                    ui,
                    ("manual-district", Tx::District),
                    &mut r.district,
                    &districts,
                    pick_width,
                    lang,
                )
            }) {
                r.unsure.retain(|f| *f != Field::District);
            }
        });
        for (label, field, value) in [
            (Tx::Street, Field::Address, &mut r.address),
            (Tx::Postcode, Field::Postcode, &mut r.postcode),
        ] {
            if text_row_ui(ui, (label.tr(lang), lang), value, r.unsure.contains(&field)) {
                r.unsure.retain(|f| *f != field);
            }
        }
    }

    /// Finds a customer; picking one lists the receivers used before.
    fn customer_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let edit = egui::TextEdit::singleline(&mut self.customer_search)
            .hint_text(Tx::CustomerHint.tr(lang))
            .desired_width(f32::INFINITY);
        if ui
            .add(edit)
            .accessible_name(Tx::FindCustomer.tr(lang))
            .changed()
        {
            let text = self.customer_search.trim().to_owned();
            if text.is_empty() {
                self.customers = None;
            } else {
                commands.push(store(ManualRequest::Customers(text)));
            }
        }
        let mut pick = None;
        if let Some(rows) = &self.customers {
            if rows.is_empty() {
                ui.weak(Tx::NoCustomer.tr(lang));
            }
            egui::ScrollArea::vertical()
                .id_salt("manual-customers")
                .max_height(120.0)
                .show(ui, |ui| {
                    for c in rows {
                        let chosen = self.customer.as_ref().map(|d| d.customer.id) == Some(c.id);
                        let text = format!(
                            "{} {} · {} {}",
                            c.name,
                            c.phone,
                            platform_text(&c.platform, lang),
                            c.buyer_id
                        );
                        if ui.selectable_label(chosen, text).clicked() {
                            pick = Some(c.id);
                        }
                    }
                });
        }
        if let Some(id) = pick {
            commands.push(store(ManualRequest::Customer(id)));
        }
        let Some(detail) = &self.customer else {
            return;
        };
        ui.label(format!(
            "{} · {} {} · {} ¥{} · {} {}",
            detail.customer.name,
            Tx::CustomerOrders.tr(lang),
            detail.orders.len(),
            Tx::Spent.tr(lang),
            format_cents(detail.spent_cents),
            Tx::Returns.tr(lang),
            detail.returns
        ));
        let id = detail.customer.id;
        let stored = (detail.customer.tags.clone(), detail.customer.note.clone());
        self.customer_note_ui(ui, lang, id, &stored, commands);
        let Some(detail) = &self.customer else {
            return;
        };
        ui.strong(Tx::UsedAddresses.tr(lang));
        let mut used = None;
        for (i, a) in detail.addresses.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                if ui.small_button(Tx::Use.tr(lang)).clicked() {
                    used = Some(i);
                }
                ui.label(format!(
                    "{} {} {}{}{}{} ({} {})",
                    a.name,
                    a.phone,
                    a.province,
                    a.city,
                    a.district,
                    a.address,
                    Tx::LastUsed.tr(lang),
                    a.last_used.get(..10).unwrap_or(&a.last_used)
                ));
            });
        }
        if let Some(i) = used
            && let Some(a) = detail.addresses.get(i)
        {
            self.receiver = ReceiverDraft::from_used(a);
        }
    }
}
