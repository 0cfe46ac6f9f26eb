//! Matching an unmatched SKU to a product, from the order detail or the import preview: a
//! search field (type a code or a name, or scan a barcode: Enter takes the one product it
//! finds), the products found (a click chooses one, a double click matches it), and
//! "Match to CODE", which names the product before anything changes. Every unmatched line of that SKU is matched at
//! once; a line without a SKU is named by its title.

use crate::app::orders::Request;
use crate::store::{Language, StockRow};
use crate::ui::i18n::T;
use crate::ui::{Command, ask};

use super::texts::Tx;

/// What the owner is matching, and the products the search found.
#[derive(Clone, Debug, Default)]
pub struct Matching {
    /// The order whose detail asked; `None` from the import preview.
    pub order: Option<i64>,
    pub sku: String,
    pub title: String,
    pub search: String,
    /// The search the store was last asked for, and what it found.
    asked: Option<String>,
    found_for: String,
    pub products: Vec<StockRow>,
    /// The search field was given the keyboard when the dialog opened.
    focused: bool,
    /// The product clicked in the list: matched only when "Match to CODE" confirms it.
    pub chosen: Option<String>,
}

/// A product picked for a SKU.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picked {
    pub order: Option<i64>,
    pub sku: String,
    pub title: String,
    pub product_code: String,
}

impl Matching {
    pub fn new(order: Option<i64>, sku: &str, title: &str) -> Matching {
        Matching {
            order,
            sku: sku.to_owned(),
            title: title.to_owned(),
            // Empty, so that a scan lands in it as it is; the SKU is its hint.
            ..Matching::default()
        }
    }

    /// The products the store found for a search.
    pub fn receive(&mut self, search: String, rows: Vec<StockRow>) {
        if self.asked.as_deref() == Some(search.as_str()) {
            self.found_for = search;
            self.products = rows;
        }
    }
}

/// The search field's id, focused when the dialog opens so that a scan lands in it.
fn search_id() -> egui::Id {
    egui::Id::unique("sku-match-search")
}

/// Draws the dialog while `open` holds a SKU; returns the product picked. Escape, Cancel
/// or a click beside the dialog closes it.
pub fn match_ui(
    ctx: &egui::Context,
    lang: Language,
    open: &mut Option<Matching>,
    commands: &mut Vec<Command>,
) -> Option<Picked> {
    let m = open.as_mut()?;
    if m.asked.as_deref() != Some(m.search.trim()) {
        let search = m.search.trim().to_owned();
        m.asked = Some(search.clone());
        commands.push(ask(Request::Products(search)));
    }
    let mut picked = None;
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("sku-match")).show(ctx, |ui| {
        // A fixed size: the dialog is centred on its size, so a size that followed the
        // results would move the rows under the pointer between two frames.
        ui.set_width(520.0);
        ui.heading(Tx::MatchTitle.tr(lang));
        let what = if m.sku.is_empty() {
            format!("{} {}", Tx::NoSku.tr(lang), m.title)
        } else {
            format!("{} · {}", m.sku, m.title)
        };
        ui.label(what);
        ui.label(Tx::MatchAllLines.tr(lang));
        ui.add_space(6.0);
        let label = ui.label(Tx::MatchSearch.tr(lang));
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut m.search)
                    .id(search_id())
                    .hint_text(m.sku.as_str())
                    .desired_width(320.0),
            )
            .labelled_by(label.id);
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        // The field has the keyboard when the dialog opens, so that a scan lands in it.
        if !m.focused {
            m.focused = true;
            field.request_focus();
        }
        let current = m.found_for == m.search.trim();
        if entered && current && m.products.len() == 1 {
            picked = Some(m.products[0].code.clone());
        }
        ui.add_space(6.0);
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .max_height(260.0)
            .min_scrolled_height(260.0)
            .show(ui, |ui| {
                if current && m.products.is_empty() {
                    ui.label(Tx::MatchNone.tr(lang));
                }
                for p in &m.products {
                    let on = m.chosen.as_deref() == Some(p.code.as_str());
                    let row = ui.selectable_label(on, format!("{} · {}", p.code, p.name));
                    if row.clicked() {
                        m.chosen = Some(p.code.clone());
                    }
                    if row.double_clicked() {
                        picked = Some(p.code.clone());
                    }
                }
            });
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            // The product is named on the button: many orders change at once.
            let chosen = m
                .chosen
                .clone()
                .filter(|c| m.products.iter().any(|p| p.code == *c));
            let text = match &chosen {
                Some(code) => format!("{} {code}", Tx::MatchPick.tr(lang)),
                None => Tx::MatchPick.tr(lang).to_owned(),
            };
            if ui
                .add_enabled(chosen.is_some(), egui::Button::new(text))
                .clicked()
            {
                picked = chosen;
            }
            if ui.button(T::Cancel.tr(lang)).clicked() {
                close = true;
            }
        });
    });
    let chosen = picked.map(|product_code| Picked {
        order: m.order,
        sku: m.sku.clone(),
        title: m.title.clone(),
        product_code,
    });
    if chosen.is_some() || close || modal.should_close() {
        *open = None;
    }
    chosen
}
