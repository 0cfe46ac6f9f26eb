//! The left of the page: the product search with its stock figures, a bundle's parts, the
//! cart with its totals, and the cart import dialog.

use egui_extras::{Column, TableBuilder};

use super::texts::Tx;
use super::{CartEntry, ManualRequest, ManualTab, store};
use crate::domain::format_cents;
use crate::domain::manual::parse_price;
use crate::store::{Language, StockRow};
use crate::ui::i18n::T;
use crate::ui::widgets::FileKind;
use crate::ui::{Command, theme};

/// The id of the search box (the page gives it the keyboard when it opens).
pub fn search_field_id() -> egui::Id {
    egui::Id::unique("manual-product-search")
}

/// How much of each bundle the parts allow.
fn bundle_allows(parts: &[(String, String, i64, i64)]) -> i64 {
    parts
        .iter()
        .filter(|p| p.2 > 0)
        .map(|p| p.3.max(0) / p.2)
        .min()
        .unwrap_or(0)
}

/// A column title on one line, cut short with its full text on hover when narrow.
fn header_ui(ui: &mut egui::Ui, title: &str) {
    ui.add(egui::Label::new(egui::RichText::new(title).strong()).truncate());
}

/// A text field of the cart, in orange while its text cannot be read.
fn cart_field_ui(ui: &mut egui::Ui, text: &mut String, id: egui::Id, bad: bool, name: String) {
    let mut edit = egui::TextEdit::singleline(text)
        .id(id)
        .desired_width(ui.available_width() - 4.0);
    if bad {
        edit = edit.text_color(theme::LOW_STOCK);
    }
    ui.add(edit).accessible_name(name);
}

/// One line of the cart; true when its Remove button was clicked.
fn cart_row_ui(
    row: &mut egui_extras::TableRow<'_, '_>,
    entry: &mut CartEntry,
    i: usize,
    over: bool,
    lang: Language,
) -> bool {
    let mut remove = false;
    row.col(|ui| {
        ui.label(&entry.code);
    });
    row.col(|ui| {
        if entry.unknown {
            ui.colored_label(theme::ERROR_BG, Tx::UnknownProduct.tr(lang));
        } else if entry.product.is_none() {
            ui.weak(Tx::Looking.tr(lang));
        } else {
            let name = entry.name().to_owned();
            ui.label(&name).on_hover_text(&name);
        }
    });
    row.col(|ui| {
        let bad = entry.quantity().is_none();
        let name = format!("{} {}", T::ColQuantity.tr(lang), entry.code);
        let id = egui::Id::unique(("manual-qty", i));
        cart_field_ui(ui, &mut entry.quantity, id, bad, name);
    });
    row.col(|ui| {
        let bad = !entry.price.trim().is_empty() && parse_price(&entry.price).is_err();
        let name = format!("{} {}", Tx::ColUnitPrice.tr(lang), entry.code);
        let id = egui::Id::unique(("manual-price", i));
        cart_field_ui(ui, &mut entry.price, id, bad, name);
    });
    row.col(|ui| {
        ui.label(entry.total_cents().map(format_cents).unwrap_or_default());
    });
    row.col(|ui| {
        let Some(p) = &entry.product else {
            return;
        };
        if over {
            let short = format!("{} ({})", p.stock.sellable, Tx::MoreThanSellable.tr(lang));
            let long = format!(
                "{}: {} {}",
                Tx::MoreThanSellable.tr(lang),
                Tx::Sellable.tr(lang),
                p.stock.sellable
            );
            ui.colored_label(theme::LOW_STOCK, short)
                .on_hover_text(long);
        } else {
            ui.label(p.stock.sellable.to_string());
        }
    });
    row.col(|ui| {
        if ui.small_button(Tx::Remove.tr(lang)).clicked() {
            remove = true;
        }
    });
    remove
}

impl ManualTab {
    /// Search, results and cart: the central part of the page.
    pub(super) fn products_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        commands: &mut Vec<Command>,
    ) {
        if self.asked_generation != Some(self.generation) {
            self.asked_generation = Some(self.generation);
            commands.push(store(ManualRequest::Products {
                generation: self.generation,
                search: self.search.trim().to_owned(),
            }));
        }
        self.search_ui(ui, lang, commands);
        let results_height = (ui.available_height() * 0.42).clamp(110.0, 300.0);
        ui.push_id("manual-results", |ui| {
            egui::ScrollArea::horizontal()
                .id_salt("manual-results-h")
                .show(ui, |ui| self.results_ui(ui, lang, results_height, commands));
        });
        self.parts_ui(ui, lang);
        ui.separator();
        self.cart_ui(ui, lang);
    }

    fn search_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let id = search_field_id();
        let has_focus = ui.memory(|m| m.has_focus(id));
        if has_focus {
            let len = self.results.as_ref().map_or(0, Vec::len);
            // Keys pressed faster than a frame all count.
            let (down, up) = ui.input_mut(|i| {
                (
                    i.count_and_consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                    i.count_and_consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                )
            });
            for _ in 0..down {
                if len > 0 {
                    self.cursor = Some(self.cursor.map_or(0, |c| (c + 1).min(len - 1)));
                }
            }
            for _ in 0..up {
                self.cursor = self.cursor.and_then(|c| c.checked_sub(1));
            }
        }
        ui.horizontal(|ui| {
            let label = ui.label(Tx::Search.tr(lang));
            let edit = egui::TextEdit::singleline(&mut self.search)
                .id(id)
                .hint_text(Tx::SearchHint.tr(lang))
                .desired_width((ui.available_width() - 160.0).clamp(200.0, 420.0));
            let response = ui.add(edit).labelled_by(label.id);
            if std::mem::take(&mut self.focus_search) {
                response.request_focus();
            }
            if response.changed() {
                self.generation += 1;
                self.cursor = None;
            }
            let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if enter {
                self.enter(commands);
                response.request_focus();
            }
            if let Some(rows) = &self.results {
                let text = if rows.is_empty() {
                    Tx::NoProductFound.tr(lang).to_owned()
                } else if (rows.len() as u64) < self.results_total {
                    format!(
                        "{} {} · {} {}",
                        self.results_total,
                        Tx::Found.tr(lang),
                        Tx::ShowingFirst.tr(lang),
                        rows.len()
                    )
                } else {
                    format!("{} {}", rows.len(), Tx::Found.tr(lang))
                };
                ui.label(egui::RichText::new(text).weak());
            }
        });
    }

    /// Enter in the search box: the chosen row, the one result, or the exact code or
    /// barcode typed (a scan), looked up on the store thread.
    fn enter(&mut self, commands: &mut Vec<Command>) {
        let text = self.search.trim().to_owned();
        // Results of an older search (typed faster than they came) choose nothing.
        let current = self.results_generation == self.generation;
        let rows = match &self.results {
            Some(rows) if current => rows.as_slice(),
            _ => &[],
        };
        let chosen = self
            .cursor
            .and_then(|c| rows.get(c))
            .or_else(|| rows.iter().find(|r| r.code == text))
            .or_else(|| (rows.len() == 1 && !text.is_empty()).then(|| &rows[0]))
            .map(|r| r.code.clone());
        if let Some(code) = chosen {
            self.add_code(&code, 1, commands);
            self.clear_search();
        } else if !text.is_empty() {
            self.pending_enter = Some(text.clone());
            commands.push(store(ManualRequest::Lookup(vec![text])));
        }
    }

    fn results_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        height: f32,
        commands: &mut Vec<Command>,
    ) {
        let rows: Vec<StockRow> = self.results.clone().unwrap_or_default();
        let mut add = None;
        let mut hovered = None;
        let mut clicked = None;
        ui.style_mut().interaction.selectable_labels = false;
        TableBuilder::new(ui)
            .id_salt("manual-results-table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .min_scrolled_height(height)
            .max_scroll_height(height)
            .column(Column::initial(100.0).clip(true))
            .column(Column::initial(170.0).clip(true))
            .columns(Column::initial(70.0), 4)
            .column(Column::initial(84.0).clip(true))
            .column(Column::initial(56.0).clip(true))
            .column(Column::exact(50.0))
            .header(theme::ROW_HEIGHT, |mut header| {
                for title in [
                    T::ColCode.tr(lang),
                    Tx::ColName.tr(lang),
                    Tx::ColOnHand.tr(lang),
                    Tx::ColTheoretical.tr(lang),
                    Tx::ColSellable.tr(lang),
                    Tx::ColInTransit.tr(lang),
                    Tx::ColExpected.tr(lang),
                    Tx::ColKind.tr(lang),
                    "",
                ] {
                    header.col(|ui| {
                        header_ui(ui, title);
                    });
                }
            })
            .body(|body| {
                body.rows(theme::ROW_HEIGHT, rows.len(), |mut row| {
                    let index = row.index();
                    let r = &rows[index];
                    row.set_selected(self.cursor == Some(index));
                    row.col(|ui| {
                        ui.label(&r.code);
                    });
                    row.col(|ui| {
                        ui.label(&r.name).on_hover_text(&r.name);
                    });
                    for figure in [r.on_hand, r.theoretical] {
                        row.col(|ui| {
                            ui.label(figure.to_string());
                        });
                    }
                    row.col(|ui| {
                        if r.sellable <= 0 {
                            ui.colored_label(theme::LOW_STOCK, r.sellable.to_string());
                        } else {
                            ui.label(r.sellable.to_string());
                        }
                    });
                    row.col(|ui| {
                        ui.label(if r.in_transit > 0 {
                            r.in_transit.to_string()
                        } else {
                            String::new()
                        });
                    });
                    row.col(|ui| {
                        ui.label(r.in_transit_expected.clone().unwrap_or_default());
                    });
                    row.col(|ui| {
                        if r.is_bundle {
                            ui.label(Tx::Bundle.tr(lang));
                        }
                    });
                    row.col(|ui| {
                        if ui.small_button(Tx::Add.tr(lang)).clicked() {
                            add = Some(r.code.clone());
                        }
                    });
                    let response = row.response();
                    if response.double_clicked() {
                        add = Some(r.code.clone());
                    } else if response.clicked() {
                        clicked = Some(index);
                    }
                    if response.hovered() && r.is_bundle {
                        hovered = Some(r.code.clone());
                    }
                });
            });
        if let Some(index) = clicked {
            self.cursor = Some(index);
        }
        if let Some(code) = add {
            self.add_code(&code, 1, commands);
            self.focus_search = true;
        }
        // The bundle under the pointer, else the chosen row's, shows its parts.
        let chosen_bundle = self
            .cursor
            .and_then(|c| rows.get(c))
            .filter(|r| r.is_bundle)
            .map(|r| r.code.clone());
        self.shown_bundle = hovered.or(chosen_bundle);
        if let Some(code) = &self.shown_bundle
            && self.parts_asked.insert(code.clone())
        {
            commands.push(store(ManualRequest::Components(code.clone())));
        }
    }

    /// The parts of the bundle shown, and how many bundles they allow.
    fn parts_ui(&self, ui: &mut egui::Ui, lang: Language) {
        let Some(code) = &self.shown_bundle else {
            ui.label(egui::RichText::new(Tx::AddHint.tr(lang)).weak().small());
            return;
        };
        let Some(parts) = self.parts.get(code) else {
            ui.label(egui::RichText::new(Tx::Looking.tr(lang)).weak().small());
            return;
        };
        let list: Vec<String> = parts
            .iter()
            .map(|(c, name, per, sellable)| {
                format!("{c} {name} ×{per} ({} {sellable})", Tx::Sellable.tr(lang))
            })
            .collect();
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{code} {}:", Tx::BundleOf.tr(lang)));
            ui.label(list.join(" + "));
            ui.strong(format!(
                "— {} {}",
                Tx::BundleAllows.tr(lang),
                bundle_allows(parts)
            ));
        });
    }

    /// The cart's lines with editable quantity and price, and the totals.
    fn cart_ui(&mut self, ui: &mut egui::Ui, lang: Language) {
        ui.horizontal(|ui| {
            ui.strong(Tx::Cart.tr(lang));
            if !self.cart.is_empty() && ui.small_button(Tx::ClearCart.tr(lang)).clicked() {
                self.cart.clear();
            }
        });
        if self.cart.is_empty() {
            ui.label(egui::RichText::new(Tx::CartEmpty.tr(lang)).weak());
            return;
        }
        // What the whole cart takes of each product, against its sellable stock.
        let mut taken: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
        for e in &self.cart {
            *taken.entry(e.code.as_str()).or_default() += e.quantity().unwrap_or(0);
        }
        let over: Vec<bool> = self
            .cart
            .iter()
            .map(|e| {
                e.product.as_ref().is_some_and(|p| {
                    taken.get(e.code.as_str()).copied().unwrap_or(0) > p.stock.sellable
                })
            })
            .collect();
        let mut remove = None;
        let totals_height = 64.0;
        let height = (ui.available_height() - totals_height).max(80.0);
        ui.push_id("manual-cart", |ui| {
            egui::ScrollArea::horizontal()
                .id_salt("manual-cart-h")
                .show(ui, |ui| {
                    TableBuilder::new(ui)
                        .id_salt("manual-cart-table")
                        .striped(true)
                        .max_scroll_height(height)
                        .column(Column::initial(100.0).clip(true))
                        .column(Column::initial(150.0).clip(true))
                        .column(Column::exact(56.0))
                        .column(Column::exact(80.0))
                        .column(Column::initial(76.0))
                        .column(Column::initial(110.0).clip(true))
                        .column(Column::exact(60.0))
                        .header(theme::ROW_HEIGHT, |mut header| {
                            for title in [
                                T::ColCode.tr(lang),
                                Tx::ColName.tr(lang),
                                T::ColQuantity.tr(lang),
                                Tx::ColUnitPrice.tr(lang),
                                Tx::ColLineTotal.tr(lang),
                                Tx::ColSellable.tr(lang),
                                "",
                            ] {
                                header.col(|ui| {
                                    header_ui(ui, title);
                                });
                            }
                        })
                        .body(|mut body| {
                            for (i, entry) in self.cart.iter_mut().enumerate() {
                                body.row(theme::ROW_HEIGHT + 4.0, |mut row| {
                                    if cart_row_ui(&mut row, entry, i, over[i], lang) {
                                        remove = Some(i);
                                    }
                                });
                            }
                        });
                });
        });
        if let Some(i) = remove {
            self.cart.remove(i);
        }
        ui.separator();
        ui.horizontal(|ui| {
            let goods = self.goods_cents().map(format_cents).unwrap_or_default();
            ui.label(format!("{} ¥{goods}", Tx::Goods.tr(lang)));
            ui.separator();
            let label = ui.label(Tx::Postage.tr(lang));
            let bad = self.postage_cents().is_none();
            let edit = egui::TextEdit::singleline(&mut self.postage)
                .hint_text("0.00")
                .desired_width(64.0);
            let edit = if bad {
                edit.text_color(theme::LOW_STOCK)
            } else {
                edit
            };
            ui.add(edit).labelled_by(label.id);
            ui.separator();
            let total = self.total_cents().map(format_cents).unwrap_or_default();
            ui.strong(format!("{} ¥{total}", Tx::Total.tr(lang)));
        });
    }

    /// Cart lines from a CSV: choose the file, see every line and every error, then add.
    pub(super) fn import_dialog_ui(
        &mut self,
        ctx: &egui::Context,
        lang: Language,
        commands: &mut Vec<Command>,
    ) {
        if !self.import_open {
            return;
        }
        let mut open = true;
        let mut add = false;
        egui::Window::new(Tx::ImportCartTitle.tr(lang))
            .id(egui::Id::unique("manual-cart-import"))
            .collapsible(false)
            .open(&mut open)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .default_width(560.0)
            .show(ctx, |ui| {
                ui.label(egui::RichText::new(Tx::CartCsvHint.tr(lang)).weak());
                if let Some(path) = self.import_file.ui(
                    ui,
                    FileKind::Csv,
                    Tx::CartFile.tr(lang),
                    Tx::Preview.tr(lang),
                    T::Browse.tr(lang),
                ) {
                    self.import = None;
                    commands.push(store(ManualRequest::ImportCart(path)));
                }
                let Some(import) = &self.import else {
                    return;
                };
                ui.label(format!(
                    "{} {} · {} {}",
                    import.lines.len(),
                    Tx::LinesRead.tr(lang),
                    import.errors.len(),
                    Tx::Errors.tr(lang)
                ));
                if let Some(encoding) = &import.guessed {
                    ui.colored_label(
                        theme::LOW_STOCK,
                        Tx::EncodingGuess.tr(lang).replace("{enc}", encoding),
                    );
                }
                egui::ScrollArea::vertical()
                    .id_salt("manual-cart-import-scroll")
                    .max_height(260.0)
                    .show(ui, |ui| {
                        egui::Grid::new("manual-cart-import-lines")
                            .striped(true)
                            .num_columns(3)
                            .show(ui, |ui| {
                                ui.strong(T::ColCode.tr(lang));
                                ui.strong(T::ColQuantity.tr(lang));
                                ui.strong(Tx::ColUnitPrice.tr(lang));
                                ui.end_row();
                                for line in &import.lines {
                                    ui.label(&line.code);
                                    ui.label(line.quantity.to_string());
                                    ui.label(
                                        line.unit_price_cents.map(format_cents).unwrap_or_default(),
                                    );
                                    ui.end_row();
                                }
                            });
                        for error in &import.errors {
                            ui.colored_label(theme::LOW_STOCK, error);
                        }
                    });
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(
                            !import.lines.is_empty(),
                            egui::Button::new(Tx::AddToCart.tr(lang)),
                        )
                        .clicked()
                    {
                        add = true;
                    }
                });
            });
        if add && let Some(import) = self.import.take() {
            self.add_lines(&import.lines, commands);
            open = false;
        }
        if !open {
            self.import_open = false;
            self.import = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::bundle_allows;

    #[test]
    fn a_bundle_allows_what_its_scarcest_part_allows() {
        let part = |per: i64, sellable: i64| (String::new(), String::new(), per, sellable);
        assert_eq!(bundle_allows(&[part(2, 9), part(1, 7)]), 4);
        assert_eq!(bundle_allows(&[part(1, -3)]), 0);
        assert_eq!(bundle_allows(&[]), 0);
    }
}
