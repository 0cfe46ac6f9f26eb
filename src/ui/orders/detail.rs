//! The selected order: receiver and address, amounts, message and remark, dates, merged
//! numbers and the event log; and its lines, bundles expandable to their single items.

use std::collections::{BTreeSet, HashSet};

use egui_extras::{Column, TableBuilder};

use super::flag_text;
use super::texts::Tx;
use crate::app::orders::{OrderAction, Request};
use crate::domain::OrderState;
use crate::domain::address::{Field, parse_address};
use crate::domain::{PaymentStatus, format_cents};
use crate::store::{Language, OrderDetail, ReceiverEdit};
use crate::ui::ask;
use crate::ui::i18n::{T, detail_text, event_text, platform_text, state_text};
use crate::ui::manual::texts::Tx as ManualTx;
use crate::ui::widgets::unsure_frame_ui;
use crate::ui::{Command, theme};

/// What the detail asks of the list around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DetailAction {
    /// Show this order in the list: a linked order's number was clicked.
    Find(String),
}

/// A row of the detail naming linked orders (a reshipment and its original), each number a
/// link that finds that order in the list; the row says which was clicked.
fn link_field(ui: &mut egui::Ui, label: &str, orders: &[String]) -> Option<String> {
    ui.label(egui::RichText::new(label).weak());
    let mut clicked = None;
    ui.horizontal_wrapped(|ui| {
        for no in orders {
            if ui
                .link(egui::RichText::new(no).strong())
                .on_hover_text(no)
                .clicked()
            {
                clicked = Some(no.clone());
            }
        }
    });
    ui.end_row();
    clicked
}

fn field(ui: &mut egui::Ui, label: Tx, value: &str, lang: Language) {
    if value.is_empty() {
        return;
    }
    ui.label(egui::RichText::new(label.tr(lang)).weak());
    // Long values (an address) wrap within the panel instead of widening it.
    ui.add(egui::Label::new(value).wrap());
    ui.end_row();
}

/// The receiver being edited: its fields, the paste box that fills them from the buyer's
/// message, and the fields the reading is not sure of (framed in orange until edited).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReceiverForm {
    pub fields: ReceiverEdit,
    pub paste: String,
    pub unsure: Vec<Field>,
}

impl ReceiverForm {
    /// The order's receiver as it is.
    pub fn of(d: &OrderDetail) -> ReceiverForm {
        ReceiverForm {
            fields: ReceiverEdit {
                receiver_name: d.row.receiver_name.clone(),
                receiver_phone: d.row.receiver_phone.clone(),
                receiver_phone2: d.receiver_phone2.clone(),
                province: d.row.province.clone(),
                city: d.row.city.clone(),
                district: d.district.clone(),
                address: d.address.clone(),
                postcode: d.postcode.clone(),
            },
            paste: String::new(),
            unsure: Vec::new(),
        }
    }

    /// Reads the paste box into the fields: a name or phone found replaces the old one;
    /// an address found replaces the whole address (province to postcode). What the
    /// message does not say stays as it was.
    pub fn read_paste(&mut self) {
        if self.paste.trim().is_empty() {
            return;
        }
        let parsed = parse_address(&self.paste);
        let f = &mut self.fields;
        let mut read = Vec::new();
        for (field, value, new) in [
            (Field::Name, &mut f.receiver_name, &parsed.name),
            (Field::Phone, &mut f.receiver_phone, &parsed.phone),
        ] {
            if !new.is_empty() {
                value.clone_from(new);
                read.push(field);
            }
        }
        let address_found = [
            &parsed.province,
            &parsed.city,
            &parsed.district,
            &parsed.address,
        ]
        .iter()
        .any(|v| !v.is_empty());
        if address_found {
            for (field, value, new) in [
                (Field::Province, &mut f.province, &parsed.province),
                (Field::City, &mut f.city, &parsed.city),
                (Field::District, &mut f.district, &parsed.district),
                (Field::Address, &mut f.address, &parsed.address),
                (Field::Postcode, &mut f.postcode, &parsed.postcode),
            ] {
                value.clone_from(new);
                read.push(field);
            }
        }
        self.unsure = parsed
            .unsure
            .into_iter()
            .filter(|u| read.contains(u))
            .collect();
    }
}

fn edit_ui(
    ui: &mut egui::Ui,
    lang: Language,
    id: i64,
    edit: &mut Option<ReceiverForm>,
    commands: &mut Vec<Command>,
) {
    let Some(form) = edit else {
        return;
    };
    let mut done = false;
    let title = ui.label(Tx::PasteReceiver.tr(lang));
    let paste = egui::TextEdit::multiline(&mut form.paste)
        .id(egui::Id::unique("receiver-edit-paste"))
        .hint_text(ManualTx::PasteHint.tr(lang))
        .desired_rows(2)
        .desired_width(280.0);
    if ui.add(paste).labelled_by(title.id).changed() {
        form.read_paste();
    }
    let unsure = &mut form.unsure;
    let e = &mut form.fields;
    egui::Grid::new("receiver-edit")
        .num_columns(2)
        .show(ui, |ui| {
            for (label, field, value) in [
                (Tx::ReceiverName, Some(Field::Name), &mut e.receiver_name),
                (Tx::Phone, Some(Field::Phone), &mut e.receiver_phone),
                (Tx::Phone2, None, &mut e.receiver_phone2),
                (Tx::Province, Some(Field::Province), &mut e.province),
                (Tx::City, Some(Field::City), &mut e.city),
                (Tx::District, Some(Field::District), &mut e.district),
                (Tx::Address, Some(Field::Address), &mut e.address),
                (Tx::Postcode, Some(Field::Postcode), &mut e.postcode),
            ] {
                let label = ui.label(label.tr(lang));
                let doubt = field.is_some_and(|f| unsure.contains(&f));
                let changed = unsure_frame_ui(ui, doubt, |ui| {
                    ui.add(egui::TextEdit::singleline(value).desired_width(200.0))
                        .labelled_by(label.id)
                        .changed()
                });
                if changed && let Some(f) = field {
                    unsure.retain(|u| *u != f);
                }
                ui.end_row();
            }
        });
    if !unsure.is_empty() {
        ui.colored_label(theme::LOW_STOCK, ManualTx::Unsure.tr(lang));
    }
    ui.horizontal(|ui| {
        if ui.button(Tx::SaveReceiver.tr(lang)).clicked() {
            commands.push(ask(Request::Act(OrderAction::EditReceiver {
                id,
                edit: e.clone(),
            })));
            done = true;
        }
        if ui.button(T::Cancel.tr(lang)).clicked() {
            done = true;
        }
    });
    if done {
        *edit = None;
    }
}

/// The id of the remark field, which the `M` key focuses.
pub fn remark_field_id() -> egui::Id {
    egui::Id::unique("order-remark")
}

/// The seller remark, editable until the order is archived.
fn remark_ui(
    ui: &mut egui::Ui,
    lang: Language,
    d: &OrderDetail,
    remark: &mut String,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(Tx::Remark.tr(lang));
        let field = egui::TextEdit::singleline(remark)
            .id(remark_field_id())
            .desired_width(180.0_f32.min(ui.available_width() - 80.0).max(100.0));
        let response = ui.add(field).labelled_by(label.id);
        let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let changed = remark.trim() != d.row.seller_remark.trim();
        if (ui
            .add_enabled(changed, egui::Button::new(Tx::SaveRemark.tr(lang)))
            .clicked()
            || (enter && changed))
            && d.row.state != crate::domain::OrderState::Archived
        {
            commands.push(ask(Request::Act(OrderAction::Remark {
                id: d.row.id,
                remark: remark.trim().to_owned(),
            })));
        }
    });
}

#[allow(clippy::too_many_arguments)]
pub fn detail_ui(
    ui: &mut egui::Ui,
    lang: Language,
    d: &OrderDetail,
    problems: &[String],
    edit: &mut Option<ReceiverForm>,
    remark: &mut String,
    commands: &mut Vec<Command>,
) -> Option<DetailAction> {
    let mut action = None;
    egui::ScrollArea::vertical()
        .id_salt("detail-scroll")
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                theme::flag_swatch(ui, d.row.flag);
                ui.heading(&d.row.order_no);
            });
            ui.horizontal(|ui| {
                ui.colored_label(
                    theme::state_colour(d.row.state),
                    state_text(d.row.state).tr(lang),
                );
                let payment = match d.row.payment {
                    PaymentStatus::Unpaid => Tx::Unpaid,
                    PaymentStatus::Paid => Tx::Paid,
                    PaymentStatus::PartlyRefunded => Tx::PartlyRefunded,
                    PaymentStatus::Refunded => Tx::RefundedStatus,
                };
                ui.label(format!(
                    "· {} · {}",
                    platform_text(&d.row.platform, lang),
                    payment.tr(lang)
                ));
                if d.row.on_hold {
                    ui.colored_label(theme::LOW_STOCK, Tx::OnHold.tr(lang));
                }
            });
            if !problems.is_empty() {
                ui.add_space(4.0);
                ui.strong(Tx::ReviewProblems.tr(lang));
                for p in problems {
                    ui.colored_label(theme::LOW_STOCK, format!("· {p}"));
                }
            }
            ui.add_space(6.0);
            if edit.is_some() {
                edit_ui(ui, lang, d.row.id, edit, commands);
                return;
            }
            if d.row.state != crate::domain::OrderState::Archived {
                remark_ui(ui, lang, d, remark, commands);
            }
            // A parcel that went out can be sent again (补发) from the Manual order tab.
            if matches!(
                d.row.state,
                OrderState::Printed | OrderState::Shipped | OrderState::Archived
            ) && ui.button(ManualTx::Reship.tr(lang)).clicked()
            {
                commands.push(Command::Reship(d.row.id));
            }
            // After-sales: a case on any order that was paid or went out.
            if d.row.state != OrderState::Cancelled || d.amounts.paid_cents > 0 {
                let label = crate::ui::after_sales::texts::Tx::NewCase.tr(lang);
                if ui.button(label).clicked() {
                    commands.push(Command::OpenCase(d.row.order_no.clone()));
                }
            }
            // A manual order changes until it is printed, in the Manual order tab.
            if d.row.platform == crate::domain::manual::PLATFORM
                && d.row.state.is_editable()
                && d.merged_order_nos.is_empty()
                && ui.button(ManualTx::EditTitle.tr(lang)).clicked()
            {
                commands.push(Command::EditManual(d.row.id));
            }
            if d.row.state.is_editable() && ui.button(Tx::EditReceiver.tr(lang)).clicked() {
                *edit = Some(ReceiverForm::of(d));
            }
            // The panel keeps the width it was given: values wrap in what is left beside
            // their names.
            let value_width = (ui.available_width() - 90.0).max(120.0);
            egui::Grid::new("detail-grid")
                .num_columns(2)
                .max_col_width(value_width)
                .show(ui, |ui| {
                    field(ui, Tx::ColReceiver, &d.row.receiver_name, lang);
                    let phones = [d.row.receiver_phone.as_str(), d.receiver_phone2.as_str()]
                        .into_iter()
                        .filter(|p| !p.is_empty())
                        .collect::<Vec<_>>()
                        .join(" / ");
                    field(ui, Tx::Phone, &phones, lang);
                    let address = format!(
                        "{} {} {} {} {}",
                        d.row.province, d.row.city, d.district, d.address, d.postcode
                    );
                    field(ui, Tx::Address, address.trim(), lang);
                    field(ui, Tx::Buyer, &d.row.buyer_id, lang);
                    field(ui, Tx::BuyerMessage, &d.buyer_message, lang);
                    field(ui, Tx::Remark, &d.row.seller_remark, lang);
                    if d.row.flag != crate::domain::Flag::None {
                        field(ui, Tx::ColFlag, flag_text(d.row.flag).tr(lang), lang);
                    }
                    let a = &d.amounts;
                    let amounts = format!(
                        "{} + {} − {} = {} ({} {}{})",
                        format_cents(a.goods_cents),
                        format_cents(a.postage_cents),
                        format_cents(a.discount_cents),
                        format_cents(d.row.total_cents),
                        Tx::Paid.tr(lang),
                        format_cents(a.paid_cents),
                        if a.refunded_cents > 0 {
                            format!(", −{}", format_cents(a.refunded_cents))
                        } else {
                            String::new()
                        }
                    );
                    field(ui, Tx::Amounts, &amounts, lang);
                    if !d.row.tracking_no.is_empty() {
                        field(
                            ui,
                            Tx::ColTracking,
                            &format!("{} {}", d.row.courier, d.row.tracking_no),
                            lang,
                        );
                    }
                    field(ui, Tx::Merged, &d.merged_order_nos.join(", "), lang);
                    if let Some(original) = &d.reshipment_of
                        && let Some(no) = link_field(
                            ui,
                            ManualTx::ReshipOf.tr(lang),
                            std::slice::from_ref(original),
                        )
                    {
                        action = Some(DetailAction::Find(no));
                    }
                    if !d.reshipments.is_empty()
                        && let Some(no) =
                            link_field(ui, ManualTx::ReshippedAs.tr(lang), &d.reshipments)
                    {
                        action = Some(DetailAction::Find(no));
                    }
                    if !d.cases.is_empty() {
                        let numbers: Vec<String> = d
                            .cases
                            .iter()
                            .map(|id| crate::domain::after_sales::case_number(*id))
                            .collect();
                        let label = crate::ui::i18n::T::TabAfterSales.tr(lang);
                        if let Some(no) = link_field(ui, label, &numbers)
                            && let Some(id) = crate::domain::after_sales::parse_case_number(&no)
                        {
                            commands.push(Command::ShowCase(id));
                        }
                    }
                    field(ui, Tx::PlatformStatus, &d.platform_status, lang);
                });
            ui.add_space(6.0);
            ui.strong(Tx::Dates.tr(lang));
            egui::Grid::new("detail-dates")
                .num_columns(2)
                .show(ui, |ui| {
                    for (kind, at) in &d.dates {
                        let name = match *kind {
                            "order" => Tx::DateOrdered,
                            "payment" => Tx::DatePaid,
                            "review" => Tx::DateReviewed,
                            "print" => Tx::DatePrinted,
                            "inspection" => Tx::DateInspected,
                            "ship" => Tx::DateShipped,
                            "refund" => Tx::DateRefunded,
                            _ => Tx::DateArchived,
                        };
                        ui.label(egui::RichText::new(name.tr(lang)).weak());
                        ui.label(at.replace('T', " "));
                        ui.end_row();
                    }
                });
            ui.add_space(6.0);
            ui.strong(Tx::EventLog.tr(lang));
            for e in &d.events {
                ui.label(format!(
                    "{} {} {} {}",
                    e.at.get(..16).unwrap_or(&e.at).replace('T', " "),
                    e.operator,
                    event_text(e.event, lang),
                    detail_text(e.event, &e.detail, lang)
                ));
            }
        });
    action
}

/// The order's lines; a bundle line opens to the single items it is made of.
pub fn lines_ui(
    ui: &mut egui::Ui,
    lang: Language,
    d: &OrderDetail,
    expanded: &mut HashSet<usize>,
    split: &mut BTreeSet<i64>,
    matching: &mut Option<super::matching::Matching>,
    commands: &mut Vec<Command>,
) {
    // Lines matching no product: match each SKU (all its lines at once) to a product.
    let unmatched: Vec<&crate::store::OrderLineRow> = d
        .lines
        .iter()
        .filter(|l| l.product_code.is_none())
        .collect();
    if !unmatched.is_empty() && d.row.state != crate::domain::OrderState::Archived {
        ui.horizontal_wrapped(|ui| {
            for line in unmatched {
                let sku = if line.sku.is_empty() {
                    Tx::NoSku.tr(lang)
                } else {
                    &line.sku
                };
                ui.label(format!("{} {sku}", Tx::NoProductFor.tr(lang)));
                if ui.button(Tx::MatchButton.tr(lang)).clicked() {
                    *matching = Some(super::matching::Matching::new(
                        Some(d.row.id),
                        &line.sku,
                        &line.title,
                    ));
                }
            }
        });
    }
    // Split: tick the lines that ship later, then move them to a new order.
    let can_split = d.row.state.is_editable() && d.lines.len() > 1;
    if can_split {
        ui.horizontal(|ui| {
            for line in &d.lines {
                let mut on = split.contains(&line.id);
                let code = line.product_code.as_deref().unwrap_or(&line.sku);
                if ui.checkbox(&mut on, code).changed() {
                    if on {
                        split.insert(line.id);
                    } else {
                        split.remove(&line.id);
                    }
                }
            }
            let ok = !split.is_empty() && split.len() < d.lines.len();
            if ui
                .add_enabled(ok, egui::Button::new(Tx::SplitOff.tr(lang)))
                .clicked()
            {
                commands.push(ask(Request::Act(OrderAction::Split {
                    id: d.row.id,
                    line_ids: split.iter().copied().collect(),
                })));
                split.clear();
            }
        });
    }
    let mut rows: Vec<(Option<usize>, [String; 5])> = Vec::new();
    for (i, line) in d.lines.iter().enumerate() {
        let code = line
            .product_code
            .clone()
            .unwrap_or_else(|| format!("{} {}", Tx::NoProductFor.tr(lang), line.sku));
        // A bundle's row opens to its parts; plain signs, because the bundled fonts have
        // no triangles.
        let marker = if line.components.is_empty() {
            ""
        } else if expanded.contains(&i) {
            "- "
        } else {
            "+ "
        };
        // Quantity and price come right after the code: on a narrow window the title and
        // attributes are what gets cut, never what ships and what it costs.
        rows.push((
            (!line.components.is_empty()).then_some(i),
            [
                format!("{marker}{code}"),
                line.quantity.to_string(),
                format_cents(line.unit_price_cents),
                line.title.clone(),
                line.attributes.clone(),
            ],
        ));
        if expanded.contains(&i) {
            for (c_code, c_name, per) in &line.components {
                rows.push((
                    None,
                    [
                        format!("    {c_code}"),
                        (per * line.quantity).to_string(),
                        String::new(),
                        c_name.clone(),
                        String::new(),
                    ],
                ));
            }
        }
    }
    let mut toggle = None;
    ui.style_mut().interaction.selectable_labels = false;
    // A narrow panel scrolls sideways rather than squeezing the columns over each other.
    egui::ScrollArea::horizontal()
        .id_salt("order-lines-h-scroll")
        .show(ui, |ui| lines_table(ui, lang, &rows, &mut toggle));
    if let Some(i) = toggle
        && !expanded.remove(&i)
    {
        expanded.insert(i);
    }
}

/// The lines as rows of (bundle index, cells); a click on a bundle's row sets `toggle`.
fn lines_table(
    ui: &mut egui::Ui,
    lang: Language,
    rows: &[(Option<usize>, [String; 5])],
    toggle: &mut Option<usize>,
) {
    TableBuilder::new(ui)
        .id_salt("order-lines-table")
        .striped(true)
        .sense(egui::Sense::click())
        .column(Column::initial(150.0).at_least(60.0).clip(true))
        .column(Column::initial(50.0).at_least(36.0))
        .column(Column::initial(80.0).at_least(60.0))
        .column(Column::initial(300.0).at_least(60.0).clip(true))
        .column(Column::remainder().clip(true))
        .header(theme::ROW_HEIGHT, |mut header| {
            for title in [
                T::ColCode.tr(lang),
                T::ColQuantity.tr(lang),
                Tx::ColPrice.tr(lang),
                Tx::ColTitle.tr(lang),
                Tx::ColAttributes.tr(lang),
            ] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(theme::ROW_HEIGHT, rows.len(), |mut row| {
                let (bundle, cells) = &rows[row.index()];
                for cell in cells {
                    row.col(|ui| {
                        ui.label(cell);
                    });
                }
                if row.response().clicked()
                    && let Some(i) = bundle
                {
                    *toggle = Some(*i);
                }
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ReceiverForm {
        ReceiverForm {
            fields: ReceiverEdit {
                receiver_name: "张三".to_owned(),
                receiver_phone: "13800138000".to_owned(),
                receiver_phone2: "0571-88880000".to_owned(),
                province: "浙江省".to_owned(),
                city: "杭州市".to_owned(),
                district: "西湖区".to_owned(),
                address: "文三路100号".to_owned(),
                postcode: "310000".to_owned(),
            },
            ..ReceiverForm::default()
        }
    }

    #[test]
    fn a_pasted_address_replaces_the_address_and_keeps_what_it_does_not_say() {
        let mut f = form();
        f.paste = "北京朝阳区建国路88号".to_owned();
        f.read_paste();
        let e = &f.fields;
        assert_eq!(
            (
                e.receiver_name.as_str(),
                e.receiver_phone.as_str(),
                e.receiver_phone2.as_str(),
                e.province.as_str(),
                e.city.as_str(),
                e.district.as_str(),
                e.address.as_str(),
                e.postcode.as_str()
            ),
            (
                "张三",
                "13800138000",
                "0571-88880000",
                "北京市",
                "北京市",
                "朝阳区",
                "建国路88号",
                ""
            )
        );
        // A new phone alone replaces only the phone.
        let mut f = form();
        f.paste = "13912345678".to_owned();
        f.read_paste();
        assert_eq!(f.fields.receiver_phone, "13912345678");
        assert_eq!(f.fields.address, "文三路100号");
        // An empty paste changes nothing.
        let mut f = form();
        f.read_paste();
        assert_eq!(f, form());
    }
}
