//! The Orders tab: search and state filter over a virtualised list that fetches rows a
//! page at a time from the backend (nothing loads the whole table).

use std::collections::{HashMap, HashSet};

use egui_extras::{Column, TableBuilder};

use super::backend::{Overview, Request};
use super::i18n::{T, state_text};
use super::{Command, theme};
use crate::domain::{OrderState, format_cents};
use crate::store::{Language, OrderQuery, OrderRow};

/// Rows per fetched page.
pub const PAGE: u32 = 200;

/// The tab's state: the query, and the pages of rows that have arrived for it.
#[derive(Default)]
pub struct OrdersTab {
    pub search: String,
    pub state: Option<OrderState>,
    /// Bumped on every change of the query; answers for older generations are dropped.
    generation: u64,
    pub total: Option<i64>,
    pages: HashMap<u32, Vec<OrderRow>>,
    requested: HashSet<u32>,
    pub selected: Option<i64>,
}

impl OrdersTab {
    /// Forget what was loaded; the next frame asks again.
    pub fn invalidate(&mut self) {
        self.generation += 1;
        self.total = None;
        self.pages.clear();
        self.requested.clear();
    }

    fn query(&self, page: u32) -> OrderQuery {
        OrderQuery {
            state: self.state,
            search: self.search.clone(),
            limit: PAGE,
            offset: page * PAGE,
            ..OrderQuery::default()
        }
    }

    fn request_page(&mut self, page: u32, commands: &mut Vec<Command>) {
        if self.requested.insert(page) {
            commands.push(Command::Store(Request::Orders {
                generation: self.generation,
                query: self.query(page),
                with_total: page == 0,
            }));
        }
    }

    /// An answer from the backend.
    pub fn receive(
        &mut self,
        generation: u64,
        offset: u32,
        rows: Vec<OrderRow>,
        total: Option<i64>,
    ) {
        if generation != self.generation {
            return;
        }
        if let Some(total) = total {
            self.total = Some(total);
        }
        self.pages.insert(offset / PAGE, rows);
    }

    /// The loaded rows, in list order (what is on screen and around it).
    pub fn loaded_rows(&self) -> Vec<&OrderRow> {
        let mut pages: Vec<_> = self.pages.iter().collect();
        pages.sort_by_key(|(page, _)| **page);
        pages.into_iter().flat_map(|(_, rows)| rows).collect()
    }

    fn row(&self, index: usize) -> Option<&OrderRow> {
        let page = (index / PAGE as usize) as u32;
        self.pages.get(&page)?.get(index % PAGE as usize)
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        overview: &Overview,
        commands: &mut Vec<Command>,
    ) {
        if overview.orders == 0 {
            ui.add_space(24.0);
            ui.label(T::OrdersEmpty.tr(lang));
            if ui.button(T::ImportOrders.tr(lang)).clicked() {
                commands.push(Command::OpenImport);
            }
            return;
        }
        let mut changed = false;
        ui.horizontal(|ui| {
            if ui.button(T::ImportOrders.tr(lang)).clicked() {
                commands.push(Command::OpenImport);
            }
            ui.separator();
            let label = ui.label(T::Search.tr(lang));
            let edit = egui::TextEdit::singleline(&mut self.search)
                .hint_text(T::SearchHint.tr(lang))
                .desired_width(320.0);
            changed |= ui.add(edit).labelled_by(label.id).changed();
            ui.separator();
            let label = ui.label(T::StateFilter.tr(lang));
            let current = self
                .state
                .map_or(T::AllStates.tr(lang), |s| state_text(s).tr(lang));
            egui::ComboBox::from_id_salt("state-filter")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    changed |= ui
                        .selectable_value(&mut self.state, None, T::AllStates.tr(lang))
                        .changed();
                    for state in OrderState::ALL {
                        let text =
                            format!("{} ({})", state_text(state).tr(lang), overview.count(state));
                        changed |= ui
                            .selectable_value(&mut self.state, Some(state), text)
                            .changed();
                    }
                })
                .response
                .labelled_by(label.id);
            ui.separator();
            match self.total {
                Some(total) => ui.label(format!("{total} {}", T::OrdersFound.tr(lang))),
                None => ui.label(T::Loading.tr(lang)),
            };
        });
        if changed {
            self.invalidate();
        }
        if self.total.is_none() {
            self.request_page(0, commands);
        }
        ui.add_space(4.0);
        self.table_ui(ui, lang, commands);
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let total = self.total.unwrap_or(0).max(0) as usize;
        let mut wanted_pages = Vec::new();
        let mut clicked = None;
        TableBuilder::new(ui)
            .id_salt("orders-table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .column(Column::exact(10.0))
            .column(Column::initial(170.0).at_least(80.0).clip(true))
            .column(Column::initial(70.0).clip(true))
            .column(Column::initial(130.0).clip(true))
            .column(Column::initial(60.0).clip(true))
            .column(Column::initial(80.0).clip(true))
            .column(Column::initial(80.0).clip(true))
            .column(Column::initial(80.0))
            .column(Column::initial(140.0).clip(true))
            .column(Column::remainder().clip(true))
            .header(theme::ROW_HEIGHT, |mut header| {
                for title in [
                    T::ColFlag,
                    T::ColOrderNo,
                    T::ColPlatform,
                    T::ColState,
                    T::ColPaid,
                    T::ColReceiver,
                    T::ColCity,
                    T::ColTotal,
                    T::ColOrderedAt,
                    T::ColTracking,
                ] {
                    header.col(|ui| {
                        if title == T::ColFlag {
                            return;
                        }
                        ui.strong(title.tr(lang));
                    });
                }
            })
            .body(|body| {
                body.rows(theme::ROW_HEIGHT, total, |mut row| {
                    let index = row.index();
                    let Some(order) = self.row(index) else {
                        wanted_pages.push((index / PAGE as usize) as u32);
                        row.col(|ui| {
                            ui.label("…");
                        });
                        return;
                    };
                    row.set_selected(self.selected == Some(order.id));
                    row.col(|ui| theme::flag_swatch(ui, order.flag));
                    row.col(|ui| {
                        ui.label(&order.order_no);
                    });
                    row.col(|ui| {
                        ui.label(&order.platform);
                    });
                    row.col(|ui| {
                        let mut text = state_text(order.state).tr(lang).to_owned();
                        if order.on_hold {
                            text = format!("{text} · {}", T::OnHold.tr(lang));
                        }
                        ui.colored_label(theme::state_colour(order.state), text);
                    });
                    row.col(|ui| {
                        let paid = if order.payment.is_paid() {
                            T::Paid
                        } else {
                            T::Unpaid
                        };
                        ui.label(paid.tr(lang));
                    });
                    row.col(|ui| {
                        ui.label(&order.receiver_name);
                    });
                    row.col(|ui| {
                        ui.label(&order.city);
                    });
                    row.col(|ui| {
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            ui.label(format_cents(order.total_cents));
                        });
                    });
                    row.col(|ui| {
                        ui.label(
                            order
                                .ordered_at
                                .get(..16)
                                .unwrap_or(&order.ordered_at)
                                .replace('T', " "),
                        );
                    });
                    row.col(|ui| {
                        if !order.tracking_no.is_empty() {
                            ui.label(format!("{} {}", order.courier, order.tracking_no));
                        }
                    });
                    let id = order.id;
                    if row.response().clicked() {
                        clicked = Some(id);
                    }
                });
            });
        if let Some(id) = clicked {
            self.selected = Some(id);
        }
        wanted_pages.dedup();
        for page in wanted_pages {
            self.request_page(page, commands);
        }
    }
}
