//! Couriers: name, code, label size, sender overrides, and the template of a pre-printed
//! form with its calibration offset. Shown in Settings, and in the Waybills tab for who may
//! manage couriers but not the settings (a packer by default).

use super::texts::Tx;
use crate::app::shipping::Request as ShipRequest;
use crate::domain::shipping::LabelSize;
use crate::store::{CourierRow, Language};
use crate::ui::backend::Request;
use crate::ui::i18n::T;
use crate::ui::{Command, theme};

/// The couriers section's state.
#[derive(Default)]
pub struct CouriersSection {
    /// The couriers as stored; `None` until asked.
    pub rows: Option<Vec<CourierRow>>,
    asked: bool,
    /// The courier being edited (new or existing).
    pub draft: CourierRow,
}

fn text_row(ui: &mut egui::Ui, label: &str, value: &mut String) {
    let label = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).desired_width(300.0))
        .labelled_by(label.id);
    ui.end_row();
}

impl CouriersSection {
    pub fn invalidate(&mut self) {
        self.asked = false;
        self.rows = None;
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        if !self.asked {
            self.asked = true;
            commands.push(Command::Store(Request::Shipping(ShipRequest::Couriers)));
        }
        ui.add_space(theme::SECTION_GAP);
        ui.heading(Tx::ShipCouriers.tr(lang));
        let rows = self.rows.clone().unwrap_or_default();
        if rows.is_empty() {
            ui.label(egui::RichText::new(T::ShipNoCouriers.tr(lang)).weak());
        }
        for c in &rows {
            ui.horizontal(|ui| {
                ui.label(format!(
                    "{}  {}  {}  {}",
                    c.code,
                    c.name,
                    if c.template.trim().is_empty() {
                        c.label_size.code()
                    } else {
                        T::ShipPrePrinted.tr(lang)
                    },
                    crate::ui::i18n::count_text(c.pool_free, crate::ui::i18n::POOL_FREE, lang)
                ));
                if ui.small_button(Tx::ShipEdit.tr(lang)).clicked() {
                    self.draft = c.clone();
                }
            });
        }
        ui.add_space(4.0);
        let d = &mut self.draft;
        egui::Grid::new("settings-courier")
            .num_columns(2)
            .show(ui, |ui| {
                text_row(ui, Tx::ShipCourierCode.tr(lang), &mut d.code);
                text_row(ui, Tx::ShipCourierName.tr(lang), &mut d.name);
                let label = ui.label(T::ShipLabelSize.tr(lang));
                egui::ComboBox::from_id_salt("courier-size")
                    .selected_text(d.label_size.code())
                    .show_ui(ui, |ui| {
                        for s in LabelSize::ALL {
                            ui.selectable_value(&mut d.label_size, s, s.code());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                text_row(ui, Tx::ShipSenderName.tr(lang), &mut d.sender_name);
                text_row(ui, Tx::ShipSenderPhone.tr(lang), &mut d.sender_phone);
                text_row(ui, Tx::ShipSenderAddress.tr(lang), &mut d.sender_address);
                let label = ui.label(Tx::ShipTemplate.tr(lang));
                ui.add(
                    egui::TextEdit::multiline(&mut d.template)
                        .desired_rows(3)
                        .desired_width(300.0)
                        .code_editor(),
                )
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(Tx::ShipOffset.tr(lang));
                ui.horizontal(|ui| {
                    ui.add(
                        egui::DragValue::new(&mut d.offset_x)
                            .speed(0.1)
                            .range(-20.0..=20.0)
                            .suffix(" mm x"),
                    )
                    .labelled_by(label.id);
                    ui.add(
                        egui::DragValue::new(&mut d.offset_y)
                            .speed(0.1)
                            .range(-20.0..=20.0)
                            .suffix(" mm y"),
                    );
                });
                ui.end_row();
            });
        ui.label(egui::RichText::new(Tx::ShipTemplateHint.tr(lang)).weak());
        ui.horizontal(|ui| {
            let ready = !d.code.trim().is_empty() && !d.name.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new(Tx::ShipSaveCourier.tr(lang)))
                .clicked()
            {
                commands.push(Command::Store(Request::Shipping(ShipRequest::SaveCourier(
                    Box::new(d.clone()),
                ))));
                *d = CourierRow::default();
            }
            if ui.button(Tx::ShipNewCourier.tr(lang)).clicked() {
                *d = CourierRow::default();
            }
        });
    }
}
