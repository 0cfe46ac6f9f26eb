//! The list of orders the shipping tabs print from: a bar with the counts, choose all and
//! clear, and one check box per order.

use std::collections::BTreeSet;

use crate::store::{Language, OrderRow};
use crate::ui::i18n::{CHOSEN, CHOSEN_ELSEWHERE, PRINTABLE, T, count_text};
use crate::ui::theme;

/// The counts of shown and chosen orders, with choose all and clear. `elsewhere` counts
/// orders chosen outside the list too (the pick list prints them), and says how many.
pub fn choose_bar_ui(
    ui: &mut egui::Ui,
    lang: Language,
    rows: &[&OrderRow],
    chosen: &mut BTreeSet<i64>,
    elsewhere: bool,
) {
    let chosen_shown = rows.iter().filter(|r| chosen.contains(&r.id)).count();
    let counted = if elsewhere {
        chosen.len()
    } else {
        chosen_shown
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "{} · {}",
            count_text(rows.len() as i64, PRINTABLE, lang),
            count_text(counted as i64, CHOSEN, lang)
        ));
        if ui.button(T::ShipChooseAll.tr(lang)).clicked() {
            chosen.extend(rows.iter().map(|r| r.id));
        }
        if ui.button(T::ShipClear.tr(lang)).clicked() {
            chosen.clear();
        }
        if elsewhere && chosen.len() > chosen_shown {
            ui.label(
                egui::RichText::new(count_text(
                    (chosen.len() - chosen_shown) as i64,
                    CHOSEN_ELSEWHERE,
                    lang,
                ))
                .weak(),
            );
        }
    });
}

/// The list of orders with a check box each (by order number), drawn a screen at a time.
pub fn order_checklist_ui(
    ui: &mut egui::Ui,
    lang: crate::store::Language,
    id_salt: &str,
    rows: &[&OrderRow],
    chosen: &mut BTreeSet<i64>,
    height: f32,
) {
    let row_height = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical()
        .id_salt(id_salt)
        .max_height(height)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for row in &rows[range] {
                ui.horizontal(|ui| {
                    let mut on = chosen.contains(&row.id);
                    if ui.checkbox(&mut on, &row.order_no).changed() {
                        if on {
                            chosen.insert(row.id);
                        } else {
                            chosen.remove(&row.id);
                        }
                    }
                    theme::flag_swatch(ui, row.flag);
                    ui.label(format!(
                        "{}  {}  {} {}  ¥{}",
                        crate::ui::i18n::platform_text(&row.platform, lang),
                        row.receiver_name,
                        row.province,
                        row.city,
                        crate::domain::format_cents(row.total_cents)
                    ));
                    if !row.tracking_no.is_empty() {
                        ui.label(
                            egui::RichText::new(format!("{} {}", row.courier, row.tracking_no))
                                .weak(),
                        );
                    }
                });
            }
        });
}
