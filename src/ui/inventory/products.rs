//! Products: the virtual table with search and low-stock highlight, the ledger of the
//! focused product, and the dialogs (product, adjustment, bulk bin, import/export).

use egui_extras::{Column, TableBuilder};

use super::{
    AdjustDraft, Confirm, Done, InvReply, InvRequest, InventoryTab, PRODUCT_PAGE, ProductDraft,
    ProductPreview, dialog, store,
};
use crate::app;
use crate::app::jobs::JobKind;

/// The most rows one request of the product table asks for.
const MAX_FETCH: usize = 5_000;
use super::texts::Tx;
use crate::domain::inventory::AdjustReason;
use crate::domain::model::NewProduct;
use crate::domain::{format_cents, parse_cents};
use crate::store::{Language, ProductDetail, StockRow};
use crate::ui::i18n::T;
use crate::ui::widgets::FileKind;
use crate::ui::{Command, JobStart, theme};

/// The dialog's fields from a stored product.
pub fn draft_of(detail: &ProductDetail) -> ProductDraft {
    let p = &detail.product;
    ProductDraft {
        existing: Some(detail.id),
        code: p.code.clone(),
        name: p.name.clone(),
        barcodes: p.barcodes.join("\n"),
        supplier_item_no: p.supplier_item_no.clone(),
        bin: p.bin.clone(),
        price: format_cents(p.price_cents),
        cost: format_cents(p.cost_cents),
        weight_grams: p.weight_grams.to_string(),
        reorder_point: p.reorder_point.to_string(),
        components: p
            .components
            .iter()
            .map(|(c, n)| (c.clone(), n.to_string()))
            .collect(),
        active: detail.active,
        attributes: p.attributes.clone(),
    }
}

/// The product a draft describes, or what is wrong with it.
pub fn product_of(draft: &ProductDraft, lang: Language) -> Result<NewProduct, String> {
    let money = |text: &str, what: Tx| {
        if text.trim().is_empty() {
            return Ok(0);
        }
        parse_cents(text)
            .filter(|c| *c >= 0)
            .ok_or_else(|| format!("{}: {}", what.tr(lang), Tx::BadAmount.tr(lang)))
    };
    let whole = |text: &str, what: Tx| {
        if text.trim().is_empty() {
            return Ok(0);
        }
        text.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| format!("{}: {}", what.tr(lang), Tx::BadWhole.tr(lang)))
    };
    if draft.code.trim().is_empty() {
        return Err(Tx::CodeRequired.tr(lang).to_owned());
    }
    let mut components = Vec::new();
    for (code, quantity) in &draft.components {
        if code.trim().is_empty() {
            continue;
        }
        let n = quantity
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{}: {}", code.trim(), Tx::BadQuantity.tr(lang)))?;
        components.push((code.trim().to_owned(), n));
    }
    Ok(NewProduct {
        code: draft.code.trim().to_owned(),
        name: draft.name.trim().to_owned(),
        barcodes: draft
            .barcodes
            .split(['\n', ';', ','])
            .map(|b| b.trim().to_owned())
            .filter(|b| !b.is_empty())
            .collect(),
        supplier_item_no: draft.supplier_item_no.trim().to_owned(),
        attributes: draft.attributes.clone(),
        bin: draft.bin.trim().to_owned(),
        price_cents: money(&draft.price, Tx::Price)?,
        cost_cents: money(&draft.cost, Tx::Cost)?,
        weight_grams: whole(&draft.weight_grams, Tx::WeightGrams)?,
        reorder_point: whole(&draft.reorder_point, Tx::ColReorder)?,
        components,
    })
}

/// A ledger reason in the window's language.
pub fn reason_text(code: &str, lang: Language) -> &'static str {
    let t = match code {
        "opening" => Tx::ReasonOpening,
        "purchase_receipt" => Tx::ReasonPurchase,
        "sale" => Tx::ReasonSale,
        "return" => Tx::ReasonReturn,
        "adjustment" => Tx::ReasonAdjustment,
        "stock_count" => Tx::ReasonCount,
        "bundle_assembly" => Tx::ReasonBundle,
        _ => Tx::ReasonOther,
    };
    t.tr(lang)
}

/// An adjustment reason in the window's language.
pub fn adjust_reason_text(reason: AdjustReason, lang: Language) -> &'static str {
    match reason {
        AdjustReason::Damaged => Tx::AdjustDamaged,
        AdjustReason::Lost => Tx::AdjustLost,
        AdjustReason::Found => Tx::AdjustFound,
        AdjustReason::Sample => Tx::AdjustSample,
    }
    .tr(lang)
}

impl InventoryTab {
    /// Asks for the rows after those loaded, up to row `upto` (what is on screen), in one
    /// request of at most [`MAX_FETCH`] rows: a jump to the end does not walk every page.
    fn request_products(&mut self, upto: usize, commands: &mut Vec<Command>) {
        let offset = self.rows.as_ref().map_or(0, Vec::len);
        if !self.loading_more {
            self.loading_more = true;
            let wanted = (upto + 1).saturating_sub(offset) + PRODUCT_PAGE as usize;
            let mut filter = self.filter(offset as u32);
            filter.limit = wanted.min(MAX_FETCH) as u32;
            commands.push(store(InvRequest::Products {
                generation: self.generation,
                filter,
            }));
        }
    }

    fn focused_row(&self) -> Option<&StockRow> {
        let id = self.focused?;
        self.rows.as_ref()?.iter().find(|r| r.id == id)
    }

    pub(super) fn products_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        busy: bool,
        commands: &mut Vec<Command>,
    ) {
        if self.rows.is_none() {
            self.request_products(0, commands);
        }
        let mut changed = false;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(Tx::SearchProducts.tr(lang));
            changed |= ui
                .add(
                    egui::TextEdit::singleline(&mut self.search)
                        .hint_text(Tx::SearchProductsHint.tr(lang))
                        .desired_width(240.0),
                )
                .labelled_by(label.id)
                .changed();
            changed |= ui
                .checkbox(&mut self.low_stock_only, Tx::LowStockOnly.tr(lang))
                .changed();
            changed |= ui
                .checkbox(&mut self.include_inactive, Tx::ShowInactive.tr(lang))
                .changed();
            ui.separator();
            if ui.button(Tx::NewProduct.tr(lang)).clicked() {
                self.product_draft = Some(ProductDraft {
                    active: true,
                    ..ProductDraft::default()
                });
            }
            let one = self.focused;
            if ui
                .add_enabled(one.is_some(), egui::Button::new(Tx::EditProduct.tr(lang)))
                .clicked()
                && let Some(id) = one
            {
                commands.push(store(InvRequest::ProductDetail(id)));
            }
            let single = self
                .focused_row()
                .filter(|r| !r.is_bundle)
                .map(|r| r.code.clone());
            if ui
                .add_enabled(
                    single.is_some() && self.may_adjust,
                    egui::Button::new(Tx::AdjustStock.tr(lang)),
                )
                .clicked()
                && let Some(code) = single
            {
                self.adjust = Some(AdjustDraft {
                    code,
                    quantity: String::new(),
                    reason: AdjustReason::Found,
                    note: String::new(),
                });
            }
            let targets = self.targets();
            if ui
                .add_enabled(!targets.is_empty(), egui::Button::new(Tx::SetBin.tr(lang)))
                .clicked()
            {
                self.bulk_bin = Some(String::new());
            }
            if ui
                .add_enabled(
                    !targets.is_empty(),
                    egui::Button::new(Tx::Deactivate.tr(lang)),
                )
                .clicked()
            {
                self.confirm = Some(Confirm::Deactivate(targets.clone()));
            }
            if self.include_inactive
                && ui
                    .add_enabled(
                        !targets.is_empty(),
                        egui::Button::new(Tx::Reactivate.tr(lang)),
                    )
                    .clicked()
            {
                commands.push(store(InvRequest::SetActive {
                    ids: targets,
                    active: true,
                }));
            }
            ui.separator();
            if ui
                .selectable_label(self.import_open, Tx::ImportExport.tr(lang))
                .clicked()
            {
                self.import_open = !self.import_open;
            }
        });
        if changed {
            self.refilter();
        }
        if self.import_open {
            self.import_ui(ui, lang, busy, commands);
        }
        let Some(rows) = &self.rows else {
            ui.label(T::Loading.tr(lang));
            return;
        };
        if rows.is_empty() && self.search.trim().is_empty() && !self.low_stock_only {
            ui.add_space(24.0);
            ui.label(Tx::InventoryEmpty.tr(lang));
        }
        ui.label(format!(
            "{} {} · {} {}",
            self.total,
            Tx::ProductsCount.tr(lang),
            self.selected.len(),
            Tx::SelectedCount.tr(lang)
        ));
        if self.focused.is_some() {
            egui::Panel::right("inventory-ledger")
                .resizable(true)
                .default_size(460.0)
                .show(ui, |ui| self.ledger_ui(ui, lang, commands));
        }
        egui::ScrollArea::horizontal()
            .id_salt("inventory-h-scroll")
            .show(ui, |ui| self.table_ui(ui, lang, commands));
        self.product_dialog_ui(ui, lang, commands);
        self.adjust_dialog_ui(ui, lang, commands);
        self.bulk_bin_ui(ui, lang, commands);
    }

    /// The products an action applies to: the ticked ones, else the focused one.
    fn targets(&self) -> Vec<i64> {
        if self.selected.is_empty() {
            self.focused.into_iter().collect()
        } else {
            self.selected.iter().copied().collect()
        }
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let total = self.total as usize;
        let loaded = self.rows.as_ref().map_or(0, Vec::len);
        let mut need_more = false;
        let mut upto = 0;
        let mut focus = None;
        let mut toggle = None;
        TableBuilder::new(ui)
            .id_salt("inventory-products")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .column(Column::exact(24.0))
            .column(Column::initial(130.0).clip(true))
            .column(Column::initial(220.0).clip(true))
            .columns(Column::initial(80.0), 3)
            .column(Column::initial(140.0).clip(true))
            .column(Column::initial(80.0).clip(true))
            .column(Column::initial(70.0))
            .column(Column::remainder().clip(true))
            .header(theme::ROW_HEIGHT, |mut header| {
                header.col(|_| {});
                for title in [
                    T::ColCode.tr(lang),
                    Tx::ColName.tr(lang),
                    Tx::ColOnHand.tr(lang),
                    Tx::ColTheoretical.tr(lang),
                    Tx::ColSellable.tr(lang),
                    Tx::ColInTransit.tr(lang),
                    Tx::ColBin.tr(lang),
                    Tx::ColReorder.tr(lang),
                    Tx::ColSupplierItem.tr(lang),
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(theme::ROW_HEIGHT, total, |mut row| {
                    let index = row.index();
                    let Some(r) = self.rows.as_ref().and_then(|rows| rows.get(index)) else {
                        need_more = true;
                        upto = upto.max(index);
                        row.col(|ui| {
                            ui.label("…");
                        });
                        return;
                    };
                    if index + 1 == loaded && loaded < total {
                        need_more = true;
                    }
                    let focused = self.focused == Some(r.id);
                    row.set_selected(focused);
                    let mut ticked = self.selected.contains(&r.id);
                    row.col(|ui| {
                        let response = ui.add(egui::Checkbox::without_text(&mut ticked));
                        let name = format!("{} {}", Tx::SelectProduct.tr(lang), r.code);
                        response.widget_info(|| {
                            egui::WidgetInfo::selected(
                                egui::accesskit::Role::CheckBox,
                                true,
                                ticked,
                                &name,
                            )
                        });
                        if response.changed() {
                            toggle = Some(r.id);
                        }
                    });
                    let low = r.is_low();
                    let tint = |text: String| {
                        let t = egui::RichText::new(text);
                        if low { t.color(theme::LOW_STOCK) } else { t }
                    };
                    row.col(|ui| {
                        let mut text = egui::RichText::new(&r.code);
                        if !r.active {
                            text = text.strikethrough().weak();
                        }
                        if ui
                            .add(egui::Label::new(text).sense(egui::Sense::click()))
                            .clicked()
                        {
                            focus = Some(r.id);
                        }
                    });
                    row.col(|ui| {
                        let name = if r.is_bundle {
                            format!("{} [{}]", r.name, Tx::Bundle.tr(lang))
                        } else {
                            r.name.clone()
                        };
                        ui.label(name);
                    });
                    for value in [r.on_hand, r.theoretical, r.sellable] {
                        row.col(|ui| {
                            ui.label(tint(value.to_string()));
                        });
                    }
                    row.col(|ui| {
                        match (&r.in_transit_expected, r.in_transit) {
                            (Some(date), n) if n > 0 => ui.label(format!("{n} ({date})")),
                            (_, n) => ui.label(n.to_string()),
                        };
                    });
                    row.col(|ui| {
                        ui.label(&r.bin);
                    });
                    row.col(|ui| {
                        ui.label(r.reorder_point.to_string());
                    });
                    row.col(|ui| {
                        ui.label(&r.supplier_item_no);
                    });
                    if row.response().clicked() {
                        focus = Some(r.id);
                    }
                });
            });
        if let Some(id) = toggle
            && !self.selected.remove(&id)
        {
            self.selected.insert(id);
        }
        if let Some(id) = focus
            && self.focused != Some(id)
        {
            self.focused = Some(id);
            self.ledger = None;
            self.ledger_rows.clear();
            self.ledger_requested = false;
        }
        if need_more && loaded < total {
            self.request_products(upto, commands);
        }
    }

    fn ledger_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let Some(id) = self.focused else {
            return;
        };
        if !self.ledger_requested {
            self.ledger_requested = true;
            commands.push(store(InvRequest::Ledger {
                product_id: id,
                offset: 0,
            }));
        }
        ui.horizontal(|ui| {
            ui.heading(Tx::Ledger.tr(lang));
            if ui.small_button(Tx::Close.tr(lang)).clicked() {
                self.focused = None;
            }
        });
        if let Some(r) = self.focused_row() {
            ui.strong(format!("{} · {}", r.code, r.name));
            // Every figure, explained from its parts.
            ui.label(format!(
                "{} {} = {} ({} {})",
                Tx::ColOnHand.tr(lang),
                r.on_hand,
                Tx::LedgerSum.tr(lang),
                self.ledger.as_ref().map_or(0, |l| l.total),
                Tx::Movements.tr(lang),
            ));
            ui.label(format!(
                "{} {} = {} {} − {} {}",
                Tx::ColTheoretical.tr(lang),
                r.theoretical,
                Tx::ColOnHand.tr(lang),
                r.on_hand,
                r.reserved,
                Tx::ReservedByApproved.tr(lang)
            ));
            ui.label(format!(
                "{} {} = {} {} − {} {}",
                Tx::ColSellable.tr(lang),
                r.sellable,
                Tx::ColTheoretical.tr(lang),
                r.theoretical,
                r.unreviewed_demand,
                Tx::NeededByUnreviewed.tr(lang)
            ));
            let transit = match &r.in_transit_expected {
                Some(date) if r.in_transit > 0 => format!("{} ({date})", r.in_transit),
                _ => r.in_transit.to_string(),
            };
            ui.label(format!("{} {transit}", Tx::ColInTransit.tr(lang)));
            if r.is_bundle {
                ui.label(egui::RichText::new(Tx::BundleExplained.tr(lang)).weak());
            }
        }
        ui.separator();
        let Some(page) = &self.ledger else {
            ui.label(T::Loading.tr(lang));
            return;
        };
        let total = page.total as usize;
        let loaded = self.ledger_rows.len();
        let mut need_more = false;
        TableBuilder::new(ui)
            .id_salt("inventory-ledger-table")
            .striped(true)
            .resizable(true)
            .column(Column::initial(150.0).clip(true))
            .column(Column::initial(60.0))
            .column(Column::initial(70.0))
            .column(Column::initial(90.0).clip(true))
            .column(Column::initial(110.0).clip(true))
            .column(Column::initial(70.0).clip(true))
            .column(Column::remainder().clip(true))
            .header(theme::ROW_HEIGHT, |mut header| {
                for title in [
                    Tx::ColTime.tr(lang),
                    T::ColQuantity.tr(lang),
                    Tx::ColOnHandAfter.tr(lang),
                    Tx::ColReason.tr(lang),
                    Tx::ColReference.tr(lang),
                    T::Operator.tr(lang),
                    Tx::ColNote.tr(lang),
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(theme::ROW_HEIGHT, total, |mut row| {
                    let index = row.index();
                    let Some(m) = self.ledger_rows.get(index) else {
                        need_more = true;
                        row.col(|ui| {
                            ui.label("…");
                        });
                        return;
                    };
                    row.col(|ui| {
                        ui.label(
                            m.created_at
                                .get(..19)
                                .unwrap_or(&m.created_at)
                                .replace('T', " "),
                        );
                    });
                    row.col(|ui| {
                        ui.label(format!("{:+}", m.quantity));
                    });
                    row.col(|ui| {
                        ui.label(m.on_hand_after.to_string());
                    });
                    row.col(|ui| {
                        ui.label(reason_text(&m.reason, lang));
                    });
                    row.col(|ui| {
                        ui.label(&m.reference);
                    });
                    row.col(|ui| {
                        ui.label(&m.operator);
                    });
                    row.col(|ui| {
                        ui.label(&m.note);
                    });
                });
            });
        // One page at a time: wait for this one before asking for the next.
        if need_more && loaded < total && !self.ledger_more {
            self.ledger_more = true;
            commands.push(store(InvRequest::Ledger {
                product_id: id,
                offset: loaded as u32,
            }));
        }
    }

    fn product_dialog_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        commands: &mut Vec<Command>,
    ) {
        let Some(draft) = &mut self.product_draft else {
            return;
        };
        let mut open = true;
        let mut close = false;
        let title = if draft.existing.is_some() {
            Tx::EditProduct
        } else {
            Tx::NewProduct
        };
        dialog(ui.ctx(), title.tr(lang), "inventory-product-dialog")
            .open(&mut open)
            .show(ui.ctx(), |ui| {
                egui::Grid::new("product-fields")
                    .num_columns(2)
                    .show(ui, |ui| {
                        let field =
                            |ui: &mut egui::Ui, label: &str, value: &mut String, enabled: bool| {
                                let label = ui.label(label);
                                ui.add_enabled(
                                    enabled,
                                    egui::TextEdit::singleline(value).desired_width(260.0),
                                )
                                .labelled_by(label.id);
                                ui.end_row();
                            };
                        let new = draft.existing.is_none();
                        field(ui, T::ColCode.tr(lang), &mut draft.code, new);
                        field(ui, Tx::ColName.tr(lang), &mut draft.name, true);
                        field(
                            ui,
                            Tx::ColSupplierItem.tr(lang),
                            &mut draft.supplier_item_no,
                            true,
                        );
                        field(ui, Tx::ColBin.tr(lang), &mut draft.bin, true);
                        field(ui, Tx::Price.tr(lang), &mut draft.price, true);
                        field(ui, Tx::Cost.tr(lang), &mut draft.cost, true);
                        field(ui, Tx::WeightGrams.tr(lang), &mut draft.weight_grams, true);
                        field(ui, Tx::ColReorder.tr(lang), &mut draft.reorder_point, true);
                        let label = ui.label(Tx::Barcodes.tr(lang));
                        ui.add(
                            egui::TextEdit::multiline(&mut draft.barcodes)
                                .desired_rows(3)
                                .desired_width(260.0),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                    });
                ui.separator();
                ui.strong(Tx::Components.tr(lang));
                ui.label(egui::RichText::new(Tx::ComponentsHint.tr(lang)).weak());
                let mut remove = None;
                for (i, (code, qty)) in draft.components.iter_mut().enumerate() {
                    ui.horizontal(|ui| {
                        let label = ui.label(T::ColCode.tr(lang));
                        ui.add(egui::TextEdit::singleline(code).desired_width(140.0))
                            .labelled_by(label.id);
                        let label = ui.label(T::ColQuantity.tr(lang));
                        ui.add(egui::TextEdit::singleline(qty).desired_width(50.0))
                            .labelled_by(label.id);
                        if ui
                            .small_button("✕")
                            .on_hover_text(Tx::Remove.tr(lang))
                            .clicked()
                        {
                            remove = Some(i);
                        }
                    });
                }
                if let Some(i) = remove {
                    draft.components.remove(i);
                }
                if ui.button(Tx::AddComponent.tr(lang)).clicked() {
                    draft.components.push((String::new(), "1".to_owned()));
                }
                ui.separator();
                let parsed = product_of(draft, lang);
                if let Err(problem) = &parsed {
                    ui.colored_label(theme::LOW_STOCK, problem);
                }
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(parsed.is_ok(), egui::Button::new(Tx::InvSave.tr(lang)))
                        .clicked()
                        && let Ok(product) = parsed
                    {
                        commands.push(store(InvRequest::SaveProduct {
                            product,
                            existing: draft.existing,
                        }));
                    }
                    if ui.button(T::Cancel.tr(lang)).clicked() {
                        close = true;
                    }
                });
            });
        if close || !open {
            self.product_draft = None;
        }
    }

    fn adjust_dialog_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let Some(draft) = &mut self.adjust else {
            return;
        };
        let mut open = true;
        let mut close = false;
        dialog(
            ui.ctx(),
            Tx::AdjustStock.tr(lang),
            "inventory-adjust-dialog",
        )
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            ui.strong(&draft.code);
            egui::Grid::new("adjust-fields")
                .num_columns(2)
                .show(ui, |ui| {
                    let label = ui.label(Tx::ColReason.tr(lang));
                    egui::ComboBox::from_id_salt("adjust-reason")
                        .selected_text(adjust_reason_text(draft.reason, lang))
                        .show_ui(ui, |ui| {
                            for reason in AdjustReason::ALL {
                                ui.selectable_value(
                                    &mut draft.reason,
                                    reason,
                                    adjust_reason_text(reason, lang),
                                );
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();
                    let label = ui.label(Tx::AdjustQuantity.tr(lang));
                    ui.add(egui::TextEdit::singleline(&mut draft.quantity).desired_width(80.0))
                        .labelled_by(label.id);
                    ui.end_row();
                    let label = ui.label(Tx::ColNote.tr(lang));
                    ui.add(egui::TextEdit::singleline(&mut draft.note).desired_width(240.0))
                        .labelled_by(label.id);
                    ui.end_row();
                });
            ui.label(egui::RichText::new(Tx::AdjustHint.tr(lang)).weak());
            // Damaged, lost and samples take stock out: a plain number means that many.
            let quantity = draft.quantity.trim().parse::<i64>().ok().map(|n| {
                if draft.reason == AdjustReason::Found {
                    n.abs()
                } else {
                    -n.abs()
                }
            });
            ui.horizontal(|ui| {
                let ok = quantity.is_some_and(|n| n != 0);
                if ui
                    .add_enabled(ok, egui::Button::new(Tx::InvSave.tr(lang)))
                    .clicked()
                    && let Some(quantity) = quantity
                {
                    commands.push(store(InvRequest::Adjust {
                        code: draft.code.clone(),
                        quantity,
                        reason: draft.reason,
                        note: draft.note.clone(),
                    }));
                }
                if ui.button(T::Cancel.tr(lang)).clicked() {
                    close = true;
                }
            });
        });
        if close || !open {
            self.adjust = None;
        }
    }

    fn bulk_bin_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let targets = self.targets();
        let Some(bin) = &mut self.bulk_bin else {
            return;
        };
        let mut open = true;
        let mut close = false;
        dialog(ui.ctx(), Tx::SetBin.tr(lang), "inventory-bin-dialog")
            .open(&mut open)
            .show(ui.ctx(), |ui| {
                ui.label(format!("{} {}", targets.len(), Tx::SelectedCount.tr(lang)));
                ui.horizontal(|ui| {
                    let label = ui.label(Tx::NewBin.tr(lang));
                    ui.add(egui::TextEdit::singleline(bin).desired_width(120.0))
                        .labelled_by(label.id);
                });
                ui.horizontal(|ui| {
                    if ui.button(Tx::InvSave.tr(lang)).clicked() {
                        commands.push(store(InvRequest::SetBins {
                            ids: targets.clone(),
                            bin: bin.clone(),
                        }));
                    }
                    if ui.button(T::Cancel.tr(lang)).clicked() {
                        close = true;
                    }
                });
            });
        if close || !open {
            self.bulk_bin = None;
        }
    }

    fn import_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        busy: bool,
        commands: &mut Vec<Command>,
    ) {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(egui::RichText::new(Tx::ProductCsvHint.tr(lang)).weak());
            if let Some(path) = self.import_file.ui(
                ui,
                FileKind::Csv,
                Tx::ProductFile.tr(lang),
                Tx::Preview.tr(lang),
                T::Browse.tr(lang),
            ) && !busy
            {
                self.preview = None;
                commands.push(preview_job(path));
            }
            if let Some(preview) = &self.preview {
                let p = &preview.parsed;
                if p.rejected.is_empty() {
                    ui.label(format!(
                        "{}: {} {}, {} {}, {} {} ({})",
                        preview.file.display(),
                        preview.summary.created,
                        Tx::NewProducts.tr(lang),
                        preview.summary.updated,
                        Tx::UpdatedProducts.tr(lang),
                        preview.summary.unchanged,
                        Tx::UnchangedProducts.tr(lang),
                        match (p.encoding, p.encoding_guessed, lang) {
                            (Some(e), true, Language::Chinese) => format!(
                                "{}，系猜测：若名称显示不对，请另存为 UTF-8 或 .xlsx",
                                e.name()
                            ),
                            (Some(e), true, Language::English) => format!(
                                "{}, a guess: if names look wrong, save the file as UTF-8 or .xlsx",
                                e.name()
                            ),
                            (Some(e), false, _) => crate::ui::messages::encoding_text(e, lang),
                            (None, _, _) => String::new(),
                        }
                    ));
                    if ui
                        .add_enabled(!busy, egui::Button::new(Tx::ImportProducts.tr(lang)))
                        .clicked()
                        && let Some(preview) = self.preview.take()
                    {
                        commands.push(commit_job(preview));
                    }
                } else {
                    ui.colored_label(
                        theme::LOW_STOCK,
                        format!("{} {}", p.rejected.len(), Tx::BadRowsNothing.tr(lang)),
                    );
                    egui::ScrollArea::vertical()
                        .id_salt("product-import-errors")
                        .max_height(140.0)
                        .show(ui, |ui| {
                            for e in p.rejected.iter().take(200) {
                                ui.label(format!(
                                    "{} {}, {} {}: {}",
                                    T::Line.tr(lang),
                                    e.at(),
                                    T::Column.tr(lang),
                                    crate::ui::messages::import_column(&e.column, lang),
                                    crate::ui::messages::import_message(&e.message, lang)
                                ));
                            }
                        });
                }
            }
            ui.separator();
            ui.horizontal(|ui| {
                let label = ui.label(Tx::ExportTo.tr(lang));
                ui.add(egui::TextEdit::singleline(&mut self.export_path).desired_width(360.0))
                    .labelled_by(label.id);
                if ui
                    .add_enabled(
                        !self.export_path.trim().is_empty(),
                        egui::Button::new(Tx::ExportProducts.tr(lang)),
                    )
                    .clicked()
                {
                    commands.push(store(InvRequest::Export(self.export_path.trim().into())));
                }
            });
        });
    }
}

/// Parses a product file and dry-runs it on a job thread: the preview.
fn preview_job(file: std::path::PathBuf) -> Command {
    let total = std::fs::metadata(&file).map_or(0, |m| m.len());
    Command::Job(JobStart::new(
        JobKind::ProductPreview,
        total,
        move |store, _operator, tick| {
            app::inventory::preview_products(store, file, tick)
                .map(|preview| InvReply::Previewed(Box::new(preview)))
        },
    ))
}

/// Commits a previewed product import on a job thread, with progress and cancel.
fn commit_job(preview: Box<ProductPreview>) -> Command {
    Command::Job(JobStart::new(
        JobKind::ProductImport,
        preview.parsed.products.len() as u64,
        move |store, operator, tick| {
            app::inventory::commit_products(store, operator, &preview, tick)
                .map(|summary| InvReply::Done(Done::ProductsImported(summary)))
        },
    ))
}
