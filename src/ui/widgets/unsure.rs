//! The frame around a field that an address reading (`domain::address::parse_address`) is
//! not sure of: orange until the user edits the field. The Manual order tab's receiver and
//! the Orders tab's receiver edit both read pasted messages and both show it.

use crate::ui::theme;

/// Draws `add` inside an orange frame when the reading is unsure of the field.
pub fn unsure_frame_ui<R>(
    ui: &mut egui::Ui,
    unsure: bool,
    add: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    let stroke = if unsure {
        egui::Stroke::new(2.0, theme::LOW_STOCK)
    } else {
        egui::Stroke::NONE
    };
    egui::Frame::new()
        .stroke(stroke)
        .inner_margin(1.0)
        .corner_radius(3.0)
        .show(ui, add)
        .inner
}
