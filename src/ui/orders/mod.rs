//! The Orders tab: one search box and the filters of DOMAIN.md over a virtualised list that
//! fetches rows a page at a time (nothing loads the whole table), multi-select with
//! Shift/Ctrl, the selected order's detail and lines, and the actions of the day (review,
//! payment, flag, merge, hold, cancel, archive) on one order or a whole selection.

mod detail;
pub mod import;
pub mod matching;
pub mod texts;

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{Datelike, Duration, Local, NaiveDate, NaiveTime, TimeZone};
use egui_extras::{Column, TableBuilder};

use crate::app::orders::{ActionOutcome, LIST_COUNT_CAP, OrderAction, Reply, Request};
use crate::app::settings::Overview;
use crate::domain::{Event, Flag, OrderState, format_cents, parse_cents};
use crate::store::{
    DateKind, Language, OrderCount, OrderDetail, OrderQuery, OrderRow, OrderSort, StateFilter,
};
use crate::ui::i18n::{
    Counted, ORDERS, T, count_text, grouped, platform_text, problem_text, reason_text, state_text,
};
use crate::ui::{Command, Notices, ask, theme, widgets};
use texts::Tx;

/// Selected orders, counted ("已选 3 个").
const SELECTED: Counted = ("{n} selected", "{n} selected", "已选 {n} 个");
/// Orders an action changed, counted.
const DONE: Counted = ("{n} done", "{n} done", "已完成 {n} 个");
/// Orders an action refused, counted.
const REFUSED: Counted = ("{n} refused", "{n} refused", "{n} 个被拒绝");
/// Orders the list leaves out because they are inside another, counted.
const MERGED: Counted = (
    "{n} merged into others",
    "{n} merged into others",
    "{n} 个已合并到其他订单",
);

/// Order lines a SKU match matched, counted.
const LINES_MATCHED: Counted = ("{n} line matched", "{n} lines matched", "{n} 行已匹配");

/// Rows per fetched page.
pub const PAGE: u32 = 200;

/// The state filter as the owner picks it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StateChoice {
    #[default]
    All,
    State(OrderState),
    ApprovedUnpaid,
    ApprovedPaid,
    OnHold,
}

impl StateChoice {
    pub const ALL: [StateChoice; 10] = [
        StateChoice::All,
        StateChoice::State(OrderState::PendingReview),
        StateChoice::ApprovedUnpaid,
        StateChoice::ApprovedPaid,
        StateChoice::State(OrderState::Printed),
        StateChoice::State(OrderState::Shipped),
        StateChoice::State(OrderState::Archived),
        StateChoice::State(OrderState::Cancelled),
        StateChoice::OnHold,
        StateChoice::State(OrderState::Approved),
    ];

    fn text(self, lang: Language) -> &'static str {
        match self {
            StateChoice::All => Tx::AllStates.tr(lang),
            StateChoice::State(s) => state_text(s).tr(lang),
            StateChoice::ApprovedUnpaid => Tx::ApprovedUnpaid.tr(lang),
            StateChoice::ApprovedPaid => Tx::ApprovedPaid.tr(lang),
            StateChoice::OnHold => Tx::OnHoldFilter.tr(lang),
        }
    }
}

/// A date range preset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DateRange {
    #[default]
    Any,
    Today,
    Yesterday,
    Last7Days,
    ThisMonth,
    Custom,
}

impl DateRange {
    const ALL: [DateRange; 6] = [
        DateRange::Any,
        DateRange::Today,
        DateRange::Yesterday,
        DateRange::Last7Days,
        DateRange::ThisMonth,
        DateRange::Custom,
    ];

    fn text(self) -> Tx {
        match self {
            DateRange::Any => Tx::AnyDate,
            DateRange::Today => Tx::Today,
            DateRange::Yesterday => Tx::Yesterday,
            DateRange::Last7Days => Tx::Last7Days,
            DateRange::ThisMonth => Tx::ThisMonth,
            DateRange::Custom => Tx::CustomRange,
        }
    }
}

fn date_kind_text(kind: DateKind) -> Tx {
    match kind {
        DateKind::Ordered => Tx::DateOrdered,
        DateKind::Paid => Tx::DatePaid,
        DateKind::Reviewed => Tx::DateReviewed,
        DateKind::Printed => Tx::DatePrinted,
        DateKind::Inspected => Tx::DateInspected,
        DateKind::Shipped => Tx::DateShipped,
        DateKind::Refunded => Tx::DateRefunded,
        DateKind::Archived => Tx::DateArchived,
    }
}

/// Local midnight of a day as stored text.
fn day_start(day: NaiveDate) -> Option<String> {
    let t = Local
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .earliest()?;
    Some(
        t.fixed_offset()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
    )
}

/// `[from, to)` of a preset, relative to `today`; custom days are `yyyy-mm-dd`.
pub fn date_bounds(
    range: DateRange,
    today: NaiveDate,
    custom: (&str, &str),
) -> (Option<String>, Option<String>) {
    let span = |from: NaiveDate, to: NaiveDate| (day_start(from), day_start(to));
    let next = |d: NaiveDate| d + Duration::days(1);
    match range {
        DateRange::Any => (None, None),
        DateRange::Today => span(today, next(today)),
        DateRange::Yesterday => span(today - Duration::days(1), today),
        DateRange::Last7Days => span(today - Duration::days(6), next(today)),
        DateRange::ThisMonth => span(today.with_day(1).unwrap_or(today), next(today)),
        DateRange::Custom => {
            let parse = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
            (
                parse(custom.0).and_then(day_start),
                parse(custom.1).map(next).and_then(day_start),
            )
        }
    }
}

/// A destructive action waiting for its one confirmation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirm {
    pub event: Event,
    pub ids: Vec<i64>,
}

/// The tab's state: the query, the pages of rows that arrived for it, the selection.
#[derive(Default)]
pub struct OrdersTab {
    /// The import screen, shown in place of the list while open.
    pub import: import::ImportView,
    pub search: String,
    pub state: StateChoice,
    pub date_kind: DateKind,
    pub range: DateRange,
    pub custom_from: String,
    pub custom_to: String,
    pub flag: Option<Flag>,
    pub min_total: String,
    pub max_total: String,
    pub platform: String,
    pub sort: OrderSort,
    /// Bumped on every change of the query; answers for older generations are dropped.
    generation: u64,
    pub total: Option<i64>,
    /// More orders match than were counted (the count stopped at the cap).
    pub more: bool,
    pages: HashMap<u32, Vec<OrderRow>>,
    requested: HashSet<u32>,
    /// After a reload, the pages that must arrive before the selection is checked against
    /// what the list shows again.
    recheck: Option<HashSet<u32>>,
    /// Selected order ids, and the row the keyboard and Shift-click work from.
    pub selected: BTreeSet<i64>,
    pub cursor: Option<usize>,
    anchor: Option<usize>,
    /// A row the keyboard moved to before its page arrived (End on a long list), with
    /// whether Shift was held: it is selected when the page is there.
    pending_select: Option<(usize, bool)>,
    /// A text field had the keyboard last frame: an Escape now only leaves that field.
    typing: bool,
    pub detail: Option<Box<OrderDetail>>,
    detail_requested: Option<i64>,
    pub flag_remark: String,
    pub confirm: Option<Confirm>,
    scroll_to: Option<usize>,
    pub expanded: HashSet<usize>,
    /// What the review would find for the selected (pending) order.
    pub problems: Vec<String>,
    /// The side list: the review queue or the merge proposals.
    pub side: SideList,
    pub queue: Option<Vec<(OrderRow, Vec<String>)>>,
    pub proposals: Option<Vec<Vec<OrderRow>>>,
    /// The receiver being edited, and the lines ticked for a split.
    pub edit: Option<detail::ReceiverForm>,
    pub split: BTreeSet<i64>,
    /// The seller remark being edited in the detail panel.
    pub remark: String,
    /// An unmatched SKU being matched to a product (from the detail or the import preview).
    pub matching: Option<matching::Matching>,
}

/// Which list shows beside the orders.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SideList {
    #[default]
    None,
    ReviewQueue,
    MergeProposals,
}

impl OrdersTab {
    /// Forget what was loaded; the next frame asks again. The selection stays until the
    /// pages that were on screen have arrived again; then it keeps only what they list.
    pub fn invalidate(&mut self) {
        self.queue = None;
        self.proposals = None;
        self.generation += 1;
        self.total = None;
        // Only the pages that held a selected order are asked for again to check it.
        let mut recheck = self.recheck.take().unwrap_or_default();
        recheck.extend(
            self.pages
                .iter()
                .filter(|(_, rows)| rows.iter().any(|r| self.selected.contains(&r.id)))
                .map(|(page, _)| *page),
        );
        if !self.selected.is_empty() {
            recheck.insert(0);
        }
        self.recheck = (!recheck.is_empty()).then_some(recheck);
        self.pages.clear();
        self.requested.clear();
        if let Some(id) = self.detail.as_ref().map(|d| d.row.id) {
            self.detail_requested = None;
            self.detail = None;
            self.selected.insert(id);
        }
    }

    /// The query changed: the list is asked again and the selection starts over.
    fn query_changed(&mut self) {
        self.invalidate();
        self.selected.clear();
        self.cursor = None;
        self.anchor = None;
        self.pending_select = None;
    }

    /// Shows one order by its number: the search finds it and every other filter is
    /// cleared, so none hides it (a reshipment is often in another state than its
    /// original). The sort stays.
    pub fn find_order(&mut self, order_no: &str) {
        self.search = order_no.to_owned();
        self.state = StateChoice::All;
        self.date_kind = DateKind::default();
        self.range = DateRange::Any;
        self.custom_from.clear();
        self.custom_to.clear();
        self.flag = None;
        self.min_total.clear();
        self.max_total.clear();
        self.platform.clear();
        self.query_changed();
    }

    /// The query the filters describe, for one page.
    pub fn query(&self, page: u32) -> OrderQuery {
        let (state, state_filter) = match self.state {
            StateChoice::All => (None, None),
            StateChoice::State(s) => (Some(s), None),
            StateChoice::ApprovedUnpaid => (None, Some(StateFilter::ApprovedUnpaid)),
            StateChoice::ApprovedPaid => (None, Some(StateFilter::ApprovedPaid)),
            StateChoice::OnHold => (None, Some(StateFilter::OnHold)),
        };
        let today = Local::now().date_naive();
        let (date_from, date_to) =
            date_bounds(self.range, today, (&self.custom_from, &self.custom_to));
        OrderQuery {
            state,
            state_filter,
            search: self.search.clone(),
            date_kind: self.date_kind,
            date_from,
            date_to,
            flag: self.flag,
            min_total_cents: parse_cents(&self.min_total),
            max_total_cents: parse_cents(&self.max_total),
            platform: Some(self.platform.trim().to_owned()).filter(|p| !p.is_empty()),
            sort: self.sort,
            limit: PAGE,
            offset: page * PAGE,
            // The page before, when it is here and full: the store seeks just after its
            // last row instead of counting `offset` rows.
            after: page
                .checked_sub(1)
                .and_then(|before| self.pages.get(&before))
                .filter(|rows| rows.len() == PAGE as usize)
                .and_then(|rows| rows.last())
                .cloned()
                .map(Box::new),
        }
    }

    /// How many rows the list has: the count, or, when more orders match than were counted
    /// (the count stops at 10,000), as far as the pages read and one page further while
    /// the last one read was full, so that scrolling reaches every order.
    pub fn list_len(&self) -> usize {
        let total = self.total.unwrap_or(0).max(0) as usize;
        if !self.more {
            return total;
        }
        let Some((last, rows)) = self.pages.iter().max_by_key(|(page, _)| **page) else {
            return total;
        };
        let end = *last as usize * PAGE as usize + rows.len();
        if rows.len() < PAGE as usize {
            end
        } else {
            total.max(end + PAGE as usize)
        }
    }

    fn request_page(&mut self, page: u32, commands: &mut Vec<Command>) {
        // The page before is on its way: wait for it, then seek from its last row.
        let before_coming = page.checked_sub(1).is_some_and(|before| {
            self.requested.contains(&before) && !self.pages.contains_key(&before)
        });
        // Past the count's cap a page waits for the page before it, to be read by keyset.
        if before_coming && i64::from(page * PAGE) > LIST_COUNT_CAP {
            return;
        }
        if self.requested.insert(page) {
            commands.push(ask(Request::List {
                generation: self.generation,
                query: self.query(page),
                with_total: page == 0,
            }));
        }
    }

    /// An answer from the store thread.
    pub fn apply(&mut self, reply: Reply, lang: Language, notices: &mut Notices) {
        match reply {
            Reply::List {
                generation,
                offset,
                rows,
                total,
            } => self.receive(generation, offset, rows, total),
            Reply::Detail(view) => {
                let problems = view
                    .problems
                    .iter()
                    .map(|p| problem_text(p, lang))
                    .collect();
                self.receive_detail(Box::new(view.detail), problems);
            }
            Reply::Acted(outcome) => {
                let mut text = outcome_text(&outcome, lang);
                if let Some(n) = outcome.matched_lines {
                    text = format!("{text} · {}", count_text(n as i64, LINES_MATCHED, lang));
                }
                notices.push(text, !outcome.refused.is_empty());
            }
            Reply::ReviewQueue(queue) => {
                self.queue = Some(
                    queue
                        .into_iter()
                        .map(|(row, problems)| {
                            let texts = problems.iter().map(|p| problem_text(p, lang)).collect();
                            (row, texts)
                        })
                        .collect(),
                );
            }
            Reply::MergeProposals(groups) => self.proposals = Some(groups),
            Reply::Products { search, rows } => {
                if let Some(m) = &mut self.matching {
                    m.receive(search, rows);
                }
            }
        }
    }

    /// An answer from the backend.
    fn receive(
        &mut self,
        generation: u64,
        offset: u32,
        rows: Vec<OrderRow>,
        total: Option<OrderCount>,
    ) {
        if generation != self.generation {
            return;
        }
        if let Some(total) = total {
            self.total = Some(total.count);
            self.more = total.more;
        }
        let page = offset / PAGE;
        self.pages.insert(page, rows);
        if let Some(recheck) = &mut self.recheck {
            recheck.remove(&page);
            if recheck.is_empty() {
                self.recheck = None;
                // Orders an action moved out of the list are no longer selected: a bulk
                // action must never reach orders the user cannot see.
                let listed: HashSet<i64> = self.loaded_rows().iter().map(|r| r.id).collect();
                self.selected.retain(|id| listed.contains(id));
            }
        }
    }

    /// The detail of an order arrived.
    fn receive_detail(&mut self, detail: Box<OrderDetail>, problems: Vec<String>) {
        if self.selected.len() == 1 && self.selected.contains(&detail.row.id) {
            if self.detail.as_ref().map(|d| d.row.id) != Some(detail.row.id) {
                self.expanded.clear();
                self.edit = None;
            }
            self.split.clear();
            self.remark = detail.row.seller_remark.clone();
            self.problems = problems;
            self.detail = Some(detail);
        }
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

    /// The selected orders the list shows: the only ones an action may reach.
    fn ids(&self) -> Vec<i64> {
        let listed: HashSet<i64> = self.loaded_rows().iter().map(|r| r.id).collect();
        self.selected
            .iter()
            .copied()
            .filter(|id| listed.contains(id))
            .collect()
    }

    /// Selects the row at `index`: alone, added (Ctrl), or a range from the anchor (Shift).
    fn select(&mut self, index: usize, modifiers: egui::Modifiers) {
        let Some(id) = self.row(index).map(|r| r.id) else {
            return;
        };
        if modifiers.shift {
            let anchor = self.anchor.unwrap_or(index);
            let (from, to) = (anchor.min(index), anchor.max(index));
            if !modifiers.command {
                self.selected.clear();
            }
            for i in from..=to {
                if let Some(row) = self.row(i) {
                    self.selected.insert(row.id);
                }
            }
        } else if modifiers.command {
            if !self.selected.remove(&id) {
                self.selected.insert(id);
            }
            self.anchor = Some(index);
        } else {
            self.selected.clear();
            self.selected.insert(id);
            self.anchor = Some(index);
        }
        self.cursor = Some(index);
        // A detail closed with Escape opens again when a row is chosen again.
        if self.detail.is_none() {
            self.detail_requested = None;
        }
    }

    /// Moves the cursor to `index` and selects that row, or, when its page has not
    /// arrived yet, as soon as it has.
    fn move_cursor(&mut self, index: usize, shift: bool) {
        let modifiers = egui::Modifiers {
            shift,
            ..Default::default()
        };
        if self.row(index).is_some() {
            self.pending_select = None;
            self.select(index, modifiers);
        } else {
            self.pending_select = Some((index, shift));
            self.cursor = Some(index);
        }
        self.scroll_to = Some(index);
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        overview: &Overview,
        commands: &mut Vec<Command>,
    ) {
        // Scroll bars take their own room and stay drawn while content overflows, so a
        // small screen shows that there is more (floating bars show only on hover).
        ui.style_mut().spacing.scroll = egui::style::ScrollStyle::solid();
        if overview.orders == 0 {
            ui.add_space(24.0);
            ui.label(Tx::OrdersEmpty.tr(lang));
            if ui.button(T::ImportOrders.tr(lang)).clicked() {
                commands.push(Command::OpenImport);
            }
            return;
        }
        let changed = self.filters_ui(ui, lang, overview, commands);
        if changed {
            self.query_changed();
        }
        if let Some((index, shift)) = self.pending_select
            && self.row(index).is_some()
        {
            self.move_cursor(index, shift);
        }
        if self.total.is_none() {
            self.request_page(0, commands);
        }
        for page in self.recheck.clone().unwrap_or_default() {
            self.request_page(page, commands);
        }
        self.keyboard(ui, commands);
        self.actions_ui(ui, lang, commands);
        // One order selected: its detail on the right, its lines below.
        let single = self
            .selected
            .first()
            .copied()
            .filter(|_| self.selected.len() == 1);
        match single {
            Some(id)
                if self.detail.as_ref().map(|d| d.row.id) != Some(id)
                    && self.detail_requested != Some(id) =>
            {
                self.detail_requested = Some(id);
                commands.push(ask(Request::Detail(id)));
            }
            None => {
                self.detail = None;
                self.detail_requested = None;
            }
            _ => {}
        }
        if self.side != SideList::None {
            egui::Panel::left("order-side-list")
                .resizable(true)
                .default_size(300.0)
                .show(ui, |ui| self.side_list_ui(ui, lang, commands));
        }
        let mut action = None;
        if let Some(detail) = &self.detail {
            // On a small screen (1024×600) the panels start smaller, so that the list keeps
            // most of its columns; both can be dragged wider or taller.
            let room = ui.available_size();
            egui::Panel::right("order-detail")
                .resizable(true)
                .default_size((room.x * 0.3).clamp(240.0, 340.0))
                .size_range(200.0..=(room.x * 0.5).max(240.0))
                .show(ui, |ui| {
                    action = detail::detail_ui(
                        ui,
                        lang,
                        detail,
                        &self.problems,
                        &mut self.edit,
                        &mut self.remark,
                        commands,
                    );
                });
            egui::Panel::bottom("order-lines")
                .resizable(true)
                .default_size((room.y * 0.28).clamp(110.0, 160.0))
                .min_size(80.0)
                .show(ui, |ui| {
                    detail::lines_ui(
                        ui,
                        lang,
                        detail,
                        &mut self.expanded,
                        &mut self.split,
                        &mut self.matching,
                        commands,
                    );
                });
        }
        if let Some(detail::DetailAction::Find(order_no)) = action {
            self.find_order(&order_no);
        }
        // Columns keep their widths; a narrow window scrolls sideways instead of overlapping.
        egui::ScrollArea::horizontal()
            .id_salt("orders-h-scroll")
            .show(ui, |ui| self.table_ui(ui, lang, commands));
    }

    /// The search box and filters; true when the query changed.
    fn filters_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        overview: &Overview,
        commands: &mut Vec<Command>,
    ) -> bool {
        let mut changed = false;
        ui.horizontal_wrapped(|ui| {
            if ui.button(T::ImportOrders.tr(lang)).clicked() {
                commands.push(Command::OpenImport);
            }
            // The side lists open from here; a second click on the open one closes it.
            for (side, text) in [
                (SideList::ReviewQueue, Tx::ReviewQueue),
                (SideList::MergeProposals, Tx::MergeProposals),
            ] {
                let open = self.side == side;
                if ui.selectable_label(open, text.tr(lang)).clicked() {
                    self.side = if open { SideList::None } else { side };
                    // A list opened again is asked for again: it may have changed meanwhile.
                    self.queue = None;
                    self.proposals = None;
                }
            }
            ui.separator();
            let label = ui.label(Tx::Search.tr(lang));
            let edit = egui::TextEdit::singleline(&mut self.search)
                .id(egui::Id::unique("order-search"))
                .hint_text(Tx::SearchHint.tr(lang))
                .desired_width(280.0);
            changed |= ui.add(edit).labelled_by(label.id).changed();
            let label = ui.label(Tx::StateFilter.tr(lang));
            let before = self.state;
            let combo = egui::ComboBox::from_id_salt("state-filter")
                .selected_text(self.state.text(lang))
                .show_ui(ui, |ui| {
                    for choice in StateChoice::ALL {
                        let count = match choice {
                            StateChoice::State(s) => format!(" ({})", overview.count(s)),
                            _ => String::new(),
                        };
                        ui.selectable_value(
                            &mut self.state,
                            choice,
                            format!("{}{count}", choice.text(lang)),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            // The source's habit: Backspace on the state filter resets it to all.
            if combo.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Backspace)) {
                self.state = StateChoice::All;
            }
            changed |= self.state != before;
            let label = ui.label(Tx::ColFlag.tr(lang));
            let before = self.flag;
            egui::ComboBox::from_id_salt("flag-filter")
                .selected_text(
                    self.flag
                        .map_or(Tx::AllStates.tr(lang), |f| flag_text(f).tr(lang)),
                )
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.flag, None, Tx::AllStates.tr(lang));
                    for f in Flag::ALL {
                        ui.selectable_value(&mut self.flag, Some(f), flag_text(f).tr(lang));
                    }
                })
                .response
                .labelled_by(label.id);
            changed |= self.flag != before;
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(Tx::DateType.tr(lang));
            let before = (self.date_kind, self.range);
            egui::ComboBox::from_id_salt("date-kind")
                .selected_text(date_kind_text(self.date_kind).tr(lang))
                .show_ui(ui, |ui| {
                    for kind in DateKind::ALL {
                        ui.selectable_value(
                            &mut self.date_kind,
                            kind,
                            date_kind_text(kind).tr(lang),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(Tx::DateRangeLabel.tr(lang));
            egui::ComboBox::from_id_salt("date-range")
                .selected_text(self.range.text().tr(lang))
                .show_ui(ui, |ui| {
                    for range in DateRange::ALL {
                        ui.selectable_value(&mut self.range, range, range.text().tr(lang));
                    }
                })
                .response
                .labelled_by(label.id);
            changed |= (self.date_kind, self.range) != before;
            if self.range == DateRange::Custom {
                let label = ui.label(Tx::From.tr(lang));
                changed |= ui
                    .add(
                        egui::TextEdit::singleline(&mut self.custom_from)
                            .hint_text("2026-11-01")
                            .desired_width(90.0),
                    )
                    .labelled_by(label.id)
                    .changed();
                let label = ui.label(Tx::To.tr(lang));
                changed |= ui
                    .add(
                        egui::TextEdit::singleline(&mut self.custom_to)
                            .hint_text("2026-11-30")
                            .desired_width(90.0),
                    )
                    .labelled_by(label.id)
                    .changed();
            }
            ui.separator();
            let label = ui.label(Tx::AmountRange.tr(lang));
            changed |= ui
                .add(
                    egui::TextEdit::singleline(&mut self.min_total)
                        .hint_text("0.00")
                        .desired_width(60.0),
                )
                .labelled_by(label.id)
                .changed();
            ui.label("–");
            let label = ui.label(Tx::To.tr(lang));
            changed |= ui
                .add(
                    egui::TextEdit::singleline(&mut self.max_total)
                        .hint_text("999.00")
                        .desired_width(60.0),
                )
                .labelled_by(label.id)
                .changed();
            ui.separator();
            let label = ui.label(Tx::ColPlatform.tr(lang));
            let all = Tx::AllStates.tr(lang);
            let shown = |code: &str| {
                if code.is_empty() {
                    all.to_owned()
                } else {
                    platform_text(code, lang).to_owned()
                }
            };
            egui::ComboBox::from_id_salt("platform-filter")
                .selected_text(shown(&self.platform))
                .width(90.0)
                .show_ui(ui, |ui| {
                    for code in
                        std::iter::once("").chain(overview.platforms.iter().map(String::as_str))
                    {
                        changed |= ui
                            .selectable_value(&mut self.platform, code.to_owned(), shown(code))
                            .changed();
                    }
                })
                .response
                .labelled_by(label.id);
            ui.separator();
            match self.total {
                Some(total) => ui.label(found_text(total, self.more, overview.merged, lang)),
                None => ui.label(T::Loading.tr(lang)),
            };
        });
        changed
    }

    /// Arrows, Page Up / Page Down and Home / End move the selection, Enter opens the
    /// detail, Escape closes the detail and then the side list, R reviews, 1–5 flag, `/`
    /// finds.
    fn keyboard(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let typing = ui.ctx().egui_wants_keyboard_input();
        let was_typing = std::mem::replace(&mut self.typing, typing);
        if typing {
            return;
        }
        let total = self.list_len();
        let (down, up, page_down, page_up, home, end, enter, review, slash, modifiers) =
            ui.input(|i| {
                (
                    i.key_pressed(egui::Key::ArrowDown),
                    i.key_pressed(egui::Key::ArrowUp),
                    i.key_pressed(egui::Key::PageDown),
                    i.key_pressed(egui::Key::PageUp),
                    i.key_pressed(egui::Key::Home),
                    i.key_pressed(egui::Key::End),
                    i.key_pressed(egui::Key::Enter),
                    i.key_pressed(egui::Key::R),
                    i.key_pressed(egui::Key::Slash)
                        || (i.modifiers.command && i.key_pressed(egui::Key::F)),
                    i.modifiers,
                )
            });
        // A dialog on top takes Escape itself.
        let dialog = ui.ctx().memory(|m| m.top_modal_layer().is_some());
        if !dialog
            && !was_typing
            && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            if self.detail.is_some() {
                // The order stays selected; its detail is not asked for again until a row
                // is chosen again.
                self.detail = None;
            } else {
                self.side = SideList::None;
            }
        }
        if total > 0 {
            let last = total - 1;
            let current = self.cursor.unwrap_or(0);
            // A page is the rows the list has room for, less one kept for context.
            let step = ((ui.available_height() / theme::ROW_HEIGHT) as usize)
                .saturating_sub(1)
                .max(1);
            let next = if down {
                Some((current + usize::from(self.cursor.is_some())).min(last))
            } else if up {
                Some(current.saturating_sub(1))
            } else if page_down {
                Some((current + step).min(last))
            } else if page_up {
                Some(current.saturating_sub(step))
            } else if home {
                Some(0)
            } else if end {
                Some(last)
            } else {
                None
            };
            if let Some(next) = next {
                self.move_cursor(next, modifiers.shift);
            }
        }
        if enter && let Some(cursor) = self.cursor {
            self.select(cursor, egui::Modifiers::default());
        }
        let ids = self.ids();
        if review && !ids.is_empty() {
            commands.push(ask(Request::Act(OrderAction::Review { ids: ids.clone() })));
        }
        let digits = [
            (egui::Key::Num1, Flag::Red),
            (egui::Key::Num2, Flag::Yellow),
            (egui::Key::Num3, Flag::Green),
            (egui::Key::Num4, Flag::Blue),
            (egui::Key::Num5, Flag::Purple),
            (egui::Key::Num0, Flag::None),
        ];
        for (key, flag) in digits {
            if !ids.is_empty() && ui.input(|i| i.key_pressed(key)) {
                commands.push(ask(Request::Act(OrderAction::Flag {
                    ids: ids.clone(),
                    flag,
                    remark: None,
                })));
            }
        }
        if slash {
            ui.memory_mut(|m| m.request_focus(egui::Id::unique("order-search")));
        }
        // M: write the remark of the selected order.
        if self.detail.is_some() && ui.input(|i| i.key_pressed(egui::Key::M)) {
            ui.memory_mut(|m| m.request_focus(detail::remark_field_id()));
        }
    }

    fn actions_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let ids = self.ids();
        let n = ids.len();
        let event = |event: Event| {
            ask(Request::Act(OrderAction::Event {
                ids: ids.clone(),
                event,
            }))
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(count_text(n as i64, SELECTED, lang));
            ui.add_enabled_ui(n > 0, |ui| {
                if ui
                    .button(Tx::ActReview.tr(lang))
                    .on_hover_text("R")
                    .clicked()
                {
                    commands.push(event(Event::Review));
                }
                if ui.button(Tx::ActPaymentReceived.tr(lang)).clicked() {
                    commands.push(event(Event::PaymentReceived));
                }
                let flag_menu = egui::containers::menu::MenuButton::new(Tx::ActFlag.tr(lang))
                    .config(
                        egui::containers::menu::MenuConfig::new()
                            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside),
                    );
                flag_menu.ui(ui, |ui| {
                    let label = ui.label(Tx::RemarkOptional.tr(lang));
                    ui.add(egui::TextEdit::singleline(&mut self.flag_remark).desired_width(220.0))
                        .labelled_by(label.id);
                    for flag in Flag::ALL {
                        ui.horizontal(|ui| {
                            theme::flag_swatch(ui, flag);
                            if ui.button(flag_text(flag).tr(lang)).clicked() {
                                let remark = Some(self.flag_remark.trim().to_owned())
                                    .filter(|r| !r.is_empty());
                                commands.push(ask(Request::Act(OrderAction::Flag {
                                    ids: ids.clone(),
                                    flag,
                                    remark,
                                })));
                                self.flag_remark.clear();
                                ui.close();
                            }
                        });
                    }
                });
                if ui.button(Tx::ActHold.tr(lang)).clicked() {
                    commands.push(event(Event::Hold));
                }
                if ui.button(Tx::ActRelease.tr(lang)).clicked() {
                    commands.push(event(Event::Release));
                }
                if ui.button(Tx::ShipPickFromSelection.tr(lang)).clicked() {
                    commands.push(Command::PickListFromSelection(ids.clone()));
                }
            });
            ui.add_enabled_ui(n >= 2, |ui| {
                if ui.button(Tx::ActMerge.tr(lang)).clicked() {
                    commands.push(ask(Request::Act(OrderAction::Merge {
                        main: ids[0],
                        others: ids[1..].to_vec(),
                    })));
                }
            });
            let merged = self
                .detail
                .as_ref()
                .is_some_and(|d| !d.merged_order_nos.is_empty());
            ui.add_enabled_ui(n == 1 && merged, |ui| {
                if ui.button(Tx::ActUnmerge.tr(lang)).clicked() {
                    commands.push(ask(Request::Act(OrderAction::Unmerge { main: ids[0] })));
                }
            });
            ui.separator();
            ui.add_enabled_ui(n > 0, |ui| {
                if ui.button(Tx::ActCancel.tr(lang)).clicked() {
                    self.confirm = Some(Confirm {
                        event: Event::Cancel,
                        ids: ids.clone(),
                    });
                }
                if ui.button(Tx::ActArchive.tr(lang)).clicked() {
                    self.confirm = Some(Confirm {
                        event: Event::Archive,
                        ids: ids.clone(),
                    });
                }
            });
        });
        let confirmed = widgets::confirm_ui(
            ui.ctx(),
            lang,
            "orders-confirm",
            &mut self.confirm,
            |confirm| {
                let question = match confirm.event {
                    Event::Archive => Tx::ConfirmArchive,
                    _ => Tx::ConfirmCancel,
                };
                format!("{} ({})", question.tr(lang), confirm.ids.len())
            },
            Tx::Confirm.tr(lang),
        );
        if let Some(Confirm { ids, event }) = confirmed {
            commands.push(ask(Request::Act(OrderAction::Event { ids, event })));
        }
    }

    /// The review queue (pending orders and what keeps them) or the merge proposals.
    fn side_list_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let mut find = None;
        match self.side {
            SideList::None => {}
            SideList::ReviewQueue => {
                ui.heading(Tx::ReviewQueue.tr(lang));
                let Some(queue) = &self.queue else {
                    commands.push(ask(Request::ReviewQueue));
                    self.queue = Some(Vec::new());
                    return;
                };
                let ready = queue.iter().filter(|(_, p)| p.is_empty()).count();
                ui.label(format!(
                    "{ready} / {} {}",
                    queue.len(),
                    Tx::ReadyToApprove.tr(lang)
                ));
                let ready_ids: Vec<i64> = queue
                    .iter()
                    .filter(|(_, p)| p.is_empty())
                    .map(|(r, _)| r.id)
                    .collect();
                if ui
                    .add_enabled(
                        !ready_ids.is_empty(),
                        egui::Button::new(Tx::ApproveReady.tr(lang)),
                    )
                    .clicked()
                {
                    commands.push(ask(Request::Act(OrderAction::Review { ids: ready_ids })));
                }
                egui::ScrollArea::vertical()
                    .id_salt("queue-scroll")
                    .show(ui, |ui| {
                        for (row, problems) in queue.iter().filter(|(_, p)| !p.is_empty()) {
                            if ui
                                .link(format!("{} {}", row.order_no, row.receiver_name))
                                .clicked()
                            {
                                find = Some(row.order_no.clone());
                            }
                            for p in problems {
                                ui.colored_label(theme::LOW_STOCK, format!("  · {p}"));
                            }
                        }
                    });
            }
            SideList::MergeProposals => {
                ui.heading(Tx::MergeProposals.tr(lang));
                let Some(groups) = &self.proposals else {
                    commands.push(ask(Request::MergeProposals));
                    self.proposals = Some(Vec::new());
                    return;
                };
                if groups.is_empty() {
                    ui.label(Tx::NothingToMerge.tr(lang));
                }
                egui::ScrollArea::vertical()
                    .id_salt("merge-scroll")
                    .show(ui, |ui| {
                        for group in groups {
                            ui.separator();
                            if let Some(first) = group.first() {
                                ui.label(format!(
                                    "{} · {} {}",
                                    first.buyer_id, first.receiver_name, first.city
                                ));
                            }
                            for row in group {
                                if ui
                                    .link(format!(
                                        "{} ({})",
                                        row.order_no,
                                        format_cents(row.total_cents)
                                    ))
                                    .clicked()
                                {
                                    find = Some(row.order_no.clone());
                                }
                            }
                            if ui.button(Tx::ActMerge.tr(lang)).clicked() {
                                let ids: Vec<i64> = group.iter().map(|r| r.id).collect();
                                commands.push(ask(Request::Act(OrderAction::Merge {
                                    main: ids[0],
                                    others: ids[1..].to_vec(),
                                })));
                            }
                        }
                    });
            }
        }
        if let Some(order_no) = find {
            self.search = order_no;
            self.state = StateChoice::All;
            self.invalidate();
            self.selected.clear();
            self.cursor = None;
        }
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let total = self.list_len();
        let mut wanted_pages = Vec::new();
        let mut clicked = None;
        let mut sort_clicked: Option<OrderSort> = None;
        let mut flag_picked: Option<Option<Flag>> = None;
        let flag_filter = self.flag;
        // A click anywhere on a row selects it (labels would take it for text selection).
        ui.style_mut().interaction.selectable_labels = false;
        let mut table = TableBuilder::new(ui)
            .id_salt("orders-table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .column(Column::initial(80.0).at_least(24.0).clip(true))
            .column(Column::initial(170.0).at_least(80.0).clip(true))
            .column(Column::initial(70.0).clip(true))
            .column(Column::initial(130.0).clip(true))
            .column(Column::initial(60.0).clip(true))
            .column(Column::initial(80.0).clip(true))
            .column(Column::initial(80.0).clip(true))
            .column(Column::initial(80.0))
            .column(Column::initial(140.0).clip(true))
            .column(Column::remainder().clip(true));
        if let Some(row) = self.scroll_to.take() {
            table = table.scroll_to_row(row, None);
        }
        let sort = self.sort;
        table
            .header(theme::ROW_HEIGHT, |mut header| {
                for title in [
                    Tx::ColFlag,
                    Tx::ColOrderNo,
                    Tx::ColPlatform,
                    Tx::ColState,
                    Tx::ColPaid,
                    Tx::ColReceiver,
                    Tx::ColCity,
                    Tx::ColTotal,
                    Tx::ColOrderedAt,
                    Tx::ColTracking,
                ] {
                    header.col(|ui| {
                        // Sortable columns: the first click sorts, the next reverses.
                        let key = match title {
                            Tx::ColOrderedAt => {
                                Some((OrderSort::NewestFirst, OrderSort::OldestFirst))
                            }
                            Tx::ColTotal => Some((OrderSort::TotalDesc, OrderSort::TotalAsc)),
                            Tx::ColReceiver => {
                                Some((OrderSort::ReceiverAsc, OrderSort::ReceiverDesc))
                            }
                            Tx::ColState => Some((OrderSort::StateAsc, OrderSort::StateDesc)),
                            Tx::ColFlag => Some((OrderSort::FlagFirst, OrderSort::FlagLast)),
                            _ => None,
                        };
                        match key {
                            Some((first, second)) => {
                                let arrow = if sort == first {
                                    " ▼"
                                } else if sort == second {
                                    " ▲"
                                } else {
                                    ""
                                };
                                let text = format!("{}{arrow}", title.tr(lang));
                                let button = ui.button(text);
                                if button.clicked() {
                                    sort_clicked = Some(if sort == first { second } else { first });
                                }
                                if title == Tx::ColFlag {
                                    // The flag filter of the top bar, a right-click away.
                                    let button = button.on_hover_text(Tx::FlagFilterHint.tr(lang));
                                    button.context_menu(|ui| {
                                        if let Some(f) = flag_filter_ui(ui, flag_filter, lang) {
                                            flag_picked = Some(f);
                                            ui.close();
                                        }
                                    });
                                }
                            }
                            None => {
                                ui.strong(title.tr(lang));
                            }
                        }
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
                    row.set_selected(self.selected.contains(&order.id));
                    row.col(|ui| {
                        // Swatch and name side by side (a cell lays out top-down).
                        ui.horizontal(|ui| {
                            theme::flag_swatch(ui, order.flag);
                            if order.flag != Flag::None {
                                ui.label(flag_text(order.flag).tr(lang));
                            }
                        });
                    });
                    row.col(|ui| {
                        ui.label(&order.order_no);
                    });
                    row.col(|ui| {
                        ui.label(platform_text(&order.platform, lang));
                    });
                    row.col(|ui| {
                        let mut text = state_text(order.state).tr(lang).to_owned();
                        if order.on_hold {
                            text = format!("{text} · {}", Tx::OnHold.tr(lang));
                        }
                        ui.colored_label(theme::state_colour(order.state), text);
                    });
                    row.col(|ui| {
                        let paid = if order.payment.is_paid() {
                            Tx::Paid
                        } else {
                            Tx::Unpaid
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
                    if row.response().clicked() {
                        clicked = Some(index);
                    }
                });
            });
        if let Some(index) = clicked {
            let modifiers = ui.input(|i| i.modifiers);
            self.select(index, modifiers);
        }
        if let Some(sort) = sort_clicked {
            self.sort = sort;
            self.invalidate();
        }
        if let Some(flag) = flag_picked {
            self.flag = flag;
            self.query_changed();
        }
        wanted_pages.sort_unstable();
        wanted_pages.dedup();
        for page in wanted_pages {
            self.request_page(page, commands);
        }
    }
}

/// The flag filter's choices (all, then each colour with its swatch); the one clicked.
fn flag_filter_ui(
    ui: &mut egui::Ui,
    current: Option<Flag>,
    lang: Language,
) -> Option<Option<Flag>> {
    let mut picked = None;
    if ui
        .selectable_label(current.is_none(), Tx::AllStates.tr(lang))
        .clicked()
    {
        picked = Some(None);
    }
    for f in Flag::ALL {
        ui.horizontal(|ui| {
            theme::flag_swatch(ui, f);
            if ui
                .selectable_label(current == Some(f), flag_text(f).tr(lang))
                .clicked()
            {
                picked = Some(Some(f));
            }
        });
    }
    picked
}

/// The name of a flag colour.
pub fn flag_text(flag: Flag) -> Tx {
    match flag {
        Flag::None => Tx::FlagNone,
        Flag::Red => Tx::FlagRed,
        Flag::Yellow => Tx::FlagYellow,
        Flag::Green => Tx::FlagGreen,
        Flag::Blue => Tx::FlagBlue,
        Flag::Purple => Tx::FlagPurple,
    }
}

impl crate::ui::Page for OrdersTab {
    fn page_ui(&mut self, ui: &mut egui::Ui, cx: &mut crate::ui::TabCx<'_>) {
        if self.import.open {
            self.import.ui(ui, cx.lang, cx.busy, cx.commands);
            if let Some((sku, title)) = self.import.match_asked.take() {
                self.matching = Some(matching::Matching::new(None, &sku, &title));
            }
        } else {
            self.ui(ui, cx.lang, cx.overview, cx.commands);
        }
        let picked = matching::match_ui(ui.ctx(), cx.lang, &mut self.matching, cx.commands);
        match picked {
            Some(matching::Picked {
                order: Some(id),
                sku,
                title,
                product_code,
            }) => cx.commands.push(ask(Request::Act(OrderAction::MatchSku {
                id,
                sku,
                title,
                product_code,
            }))),
            Some(matching::Picked {
                order: None,
                sku,
                title,
                product_code,
            }) => self.import.matched(sku, title, product_code),
            None => {}
        }
    }

    fn changed(&mut self, changed: crate::app::Changed) {
        use crate::app::Changed;
        if changed.touches(Changed::ORDERS | Changed::SETTINGS) {
            self.invalidate();
        }
    }
}

/// "N orders" the list found, and how many orders it leaves out because they are merged
/// into another one (the status bar counts every order).
pub fn found_text(total: i64, more: bool, merged: i64, lang: Language) -> String {
    // "10,000+ orders": more than one, whatever the count.
    let at_least = format!("{}+", grouped(total));
    let mut text = match (more, lang) {
        (true, Language::English) => ORDERS.1.replace("{n}", &at_least),
        (true, Language::Chinese) => ORDERS.2.replace("{n}", &at_least),
        (false, _) => count_text(total, ORDERS, lang),
    };
    if merged > 0 {
        let (open, close) = match lang {
            Language::Chinese => ("（", "）"),
            Language::English => (" (", ")"),
        };
        text.push_str(&format!(
            "{open}{}{close}",
            count_text(merged, MERGED, lang)
        ));
    }
    text
}

/// What an action did, in one line: how many orders changed, and the first refusals.
pub fn outcome_text(outcome: &ActionOutcome, lang: Language) -> String {
    let mut text = count_text(outcome.done.len() as i64, DONE, lang);
    if !outcome.refused.is_empty() {
        let reasons: Vec<String> = outcome
            .refused
            .iter()
            .take(5)
            .map(|r| format!("{}: {}", r.order_no, reason_text(&r.reason, lang)))
            .collect();
        let comma = match lang {
            Language::Chinese => "，",
            Language::English => ", ",
        };
        text.push_str(&format!(
            "{comma}{}: {}",
            count_text(outcome.refused.len() as i64, REFUSED, lang),
            reasons.join("; ")
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list's count line says why it shows fewer orders than the status bar.
    #[test]
    fn found_text_names_the_merged_orders() {
        let cases = [
            (
                (1995, false, 5, Language::English),
                "1,995 orders (5 merged into others)",
            ),
            ((1, false, 0, Language::English), "1 order"),
            (
                (10_000, true, 1, Language::English),
                "10,000+ orders (1 merged into others)",
            ),
            (
                (1995, false, 5, Language::Chinese),
                "1,995 个订单（5 个已合并到其他订单）",
            ),
            ((10_000, true, 0, Language::Chinese), "10,000+ 个订单"),
        ];
        for ((total, more, merged, lang), expected) in cases {
            assert_eq!(found_text(total, more, merged, lang), expected);
        }
    }

    #[test]
    fn date_presets() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
        let day = |s: &Option<String>| s.as_deref().map(|t| t[..10].to_owned());
        let cases = [
            (DateRange::Any, (None, None)),
            (DateRange::Today, (Some("2026-11-22"), Some("2026-11-23"))),
            (
                DateRange::Yesterday,
                (Some("2026-11-21"), Some("2026-11-22")),
            ),
            (
                DateRange::Last7Days,
                (Some("2026-11-16"), Some("2026-11-23")),
            ),
            (
                DateRange::ThisMonth,
                (Some("2026-11-01"), Some("2026-11-23")),
            ),
            (DateRange::Custom, (Some("2026-10-01"), Some("2026-11-01"))),
        ];
        for (range, (from, to)) in cases {
            let (f, t) = date_bounds(range, today, ("2026-10-01", "2026-10-31"));
            assert_eq!(
                (day(&f), day(&t)),
                (from.map(str::to_owned), to.map(str::to_owned)),
                "{range:?}"
            );
        }
    }
}
