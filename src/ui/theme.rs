//! Colours and spacing in one place: flag colours, state colours, notice colours.

use egui::Color32;

use crate::domain::{Flag, OrderState};

pub const ROW_HEIGHT: f32 = 22.0;
pub const SECTION_GAP: f32 = 12.0;

pub const ERROR_BG: Color32 = Color32::from_rgb(0x8b, 0x1e, 0x1e);
pub const NOTICE_BG: Color32 = Color32::from_rgb(0x1e, 0x5e, 0x34);
pub const ON_BANNER: Color32 = Color32::WHITE;
pub const LOW_STOCK: Color32 = Color32::from_rgb(0xd0, 0x5a, 0x2a);
/// Something the owner should see to soon (a backup older than two days).
pub const WARNING: Color32 = Color32::from_rgb(0xe0, 0x8a, 0x1a);
/// Something the owner should see to now (no backup at all).
pub const DANGER: Color32 = Color32::from_rgb(0xe0, 0x3c, 0x31);

/// The colour of a flag, as shop staff know them.
pub fn flag_colour(flag: Flag) -> Option<Color32> {
    match flag {
        Flag::None => None,
        Flag::Red => Some(Color32::from_rgb(0xe0, 0x3c, 0x31)),
        Flag::Yellow => Some(Color32::from_rgb(0xe8, 0xb3, 0x1a)),
        Flag::Green => Some(Color32::from_rgb(0x2f, 0xa0, 0x4a)),
        Flag::Blue => Some(Color32::from_rgb(0x2d, 0x6c, 0xdf)),
        Flag::Purple => Some(Color32::from_rgb(0x8e, 0x44, 0xad)),
    }
}

/// A quiet colour per state for the state column.
pub fn state_colour(state: OrderState) -> Color32 {
    match state {
        OrderState::PendingReview => Color32::from_rgb(0xd3, 0x8b, 0x1a),
        OrderState::Approved => Color32::from_rgb(0x2d, 0x8c, 0xc4),
        OrderState::Printed => Color32::from_rgb(0x6c, 0x5c, 0xc4),
        OrderState::Shipped => Color32::from_rgb(0x2f, 0xa0, 0x4a),
        OrderState::Archived => Color32::GRAY,
        OrderState::Cancelled => Color32::from_rgb(0x99, 0x55, 0x55),
    }
}

/// A small painted square in the flag's colour (fonts differ in which symbols they have).
pub fn flag_swatch(ui: &mut egui::Ui, flag: Flag) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(8.0, 14.0), egui::Sense::hover());
    if let Some(colour) = flag_colour(flag) {
        ui.painter().rect_filled(rect, 2.0, colour);
    }
}
