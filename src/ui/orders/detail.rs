//! The selected order: receiver and address, amounts, message and remark, dates, merged
//! numbers and the event log; and its lines, bundles expandable to their single items.

use std::collections::{BTreeSet, HashSet};

use egui_extras::{Column, TableBuilder};

use super::flag_text;
use super::texts::Tx;
use crate::app::orders::{OrderAction, Request};
use crate::domain::OrderState;
use crate::domain::{PaymentStatus, format_cents};
use crate::store::{Language, OrderDetail, ReceiverEdit};
use crate::ui::ask;
use crate::ui::i18n::{T, event_text, platform_text, state_text};
use crate::ui::manual::texts::Tx as ManualTx;
use crate::ui::{Command, theme};

/// A row of the detail naming linked orders (a reshipment and its original), strong so the
/// eye finds it, selectable so the number can be copied into the search.
fn link_field(ui: &mut egui::Ui, label: &str, orders: &str) {
    ui.label(egui::RichText::new(label).weak());
    ui.add(egui::Label::new(egui::RichText::new(orders).strong()).selectable(true));
    ui.end_row();
}

fn field(ui: &mut egui::Ui, label: Tx, value: &str, lang: Language) {
    if value.is_empty() {
        return;
    }
    ui.label(egui::RichText::new(label.tr(lang)).weak());
    ui.label(value);
    ui.end_row();
}

fn edit_ui(
    ui: &mut egui::Ui,
    lang: Language,
    id: i64,
    edit: &mut Option<ReceiverEdit>,
    commands: &mut Vec<Command>,
) {
    let Some(e) = edit else {
        return;
    };
    let mut done = false;
    egui::Grid::new("receiver-edit")
        .num_columns(2)
        .show(ui, |ui| {
            for (label, value) in [
                (Tx::ReceiverName, &mut e.receiver_name),
                (Tx::Phone, &mut e.receiver_phone),
                (Tx::Phone2, &mut e.receiver_phone2),
                (Tx::Province, &mut e.province),
                (Tx::City, &mut e.city),
                (Tx::District, &mut e.district),
                (Tx::Address, &mut e.address),
                (Tx::Postcode, &mut e.postcode),
            ] {
                let label = ui.label(label.tr(lang));
                ui.add(egui::TextEdit::singleline(value).desired_width(200.0))
                    .labelled_by(label.id);
                ui.end_row();
            }
        });
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
    ui.horizontal(|ui| {
        let label = ui.label(Tx::Remark.tr(lang));
        let field = egui::TextEdit::singleline(remark)
            .id(remark_field_id())
            .desired_width(180.0);
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
    edit: &mut Option<ReceiverEdit>,
    remark: &mut String,
    commands: &mut Vec<Command>,
) {
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
            // A manual order changes until it is printed, in the Manual order tab.
            if d.row.platform == crate::domain::manual::PLATFORM
                && d.row.state.is_editable()
                && d.merged_order_nos.is_empty()
                && ui.button(ManualTx::EditTitle.tr(lang)).clicked()
            {
                commands.push(Command::EditManual(d.row.id));
            }
            if d.row.state.is_editable() && ui.button(Tx::EditReceiver.tr(lang)).clicked() {
                *edit = Some(ReceiverEdit {
                    receiver_name: d.row.receiver_name.clone(),
                    receiver_phone: d.row.receiver_phone.clone(),
                    receiver_phone2: d.receiver_phone2.clone(),
                    province: d.row.province.clone(),
                    city: d.row.city.clone(),
                    district: d.district.clone(),
                    address: d.address.clone(),
                    postcode: d.postcode.clone(),
                });
            }
            egui::Grid::new("detail-grid")
                .num_columns(2)
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
                    if let Some(original) = &d.reshipment_of {
                        link_field(ui, ManualTx::ReshipOf.tr(lang), original);
                    }
                    if !d.reshipments.is_empty() {
                        link_field(
                            ui,
                            ManualTx::ReshippedAs.tr(lang),
                            &d.reshipments.join(", "),
                        );
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
                    e.detail
                ));
            }
        });
}

/// The order's lines; a bundle line opens to the single items it is made of.
pub fn lines_ui(
    ui: &mut egui::Ui,
    lang: Language,
    d: &OrderDetail,
    expanded: &mut HashSet<usize>,
    split: &mut BTreeSet<i64>,
    commands: &mut Vec<Command>,
) {
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
        rows.push((
            (!line.components.is_empty()).then_some(i),
            [
                format!("{marker}{code}"),
                line.title.clone(),
                line.attributes.clone(),
                line.quantity.to_string(),
                format_cents(line.unit_price_cents),
            ],
        ));
        if expanded.contains(&i) {
            for (c_code, c_name, per) in &line.components {
                rows.push((
                    None,
                    [
                        format!("    {c_code}"),
                        c_name.clone(),
                        String::new(),
                        (per * line.quantity).to_string(),
                        String::new(),
                    ],
                ));
            }
        }
    }
    let mut toggle = None;
    ui.style_mut().interaction.selectable_labels = false;
    TableBuilder::new(ui)
        .id_salt("order-lines-table")
        .striped(true)
        .sense(egui::Sense::click())
        .column(Column::initial(150.0).clip(true))
        .column(Column::initial(300.0).clip(true))
        .column(Column::initial(180.0).clip(true))
        .column(Column::initial(60.0))
        .column(Column::remainder())
        .header(theme::ROW_HEIGHT, |mut header| {
            for title in [
                T::ColCode.tr(lang),
                Tx::ColTitle.tr(lang),
                Tx::ColAttributes.tr(lang),
                T::ColQuantity.tr(lang),
                Tx::ColPrice.tr(lang),
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
                    toggle = Some(*i);
                }
            });
        });
    if let Some(i) = toggle
        && !expanded.remove(&i)
    {
        expanded.insert(i);
    }
}
