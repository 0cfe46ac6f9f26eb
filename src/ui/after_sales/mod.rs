//! The After-sales tab (售后): the day's figures at the top (cases opened and closed today,
//! parcels awaited, overdue cases, refunds today, the average handling time, returns by
//! reason this month as a bar chart), then four views:
//! - **Cases**: the list with its filters (type, status, reason, owner, dates, overdue, an
//!   order, tracking or case number) and the chosen case's detail with its timeline and
//!   one button per next step;
//! - **Returns arrived** (退货到货): the shared scan field; a scanned parcel opens its case
//!   with each line's condition to tick; an unknown one is recorded for later matching;
//! - **Follow-up queues**: unpaid orders to follow up and problem orders;
//! - **Damaged goods**: what was returned damaged and the decision about it.
//!
//! Everything the tab shows comes from `app::after_sales` on the backend thread.

mod detail;
pub mod texts;

use std::collections::HashMap;

pub use crate::app::after_sales::{
    Done, Overview, Reply as AfterSalesReply, Request as AfterSalesRequest, Scanned,
};
use crate::domain::after_sales::{CaseStatus, CaseType, DamagedDecision, case_number};
use crate::domain::format_cents;
use crate::store::{
    CaseDetail, CaseFilter, CaseReason, CaseRow, DamagedRow, Language, OrderDetail, QueueRow,
};
use crate::ui::widgets::{FileKind, FilePicker, ScanField};
use crate::ui::{Command, Notices, ask, theme};
pub use detail::{OpenDraft, ReceiveDraft};
use texts::{Tx, status_text, type_text};

/// Rows of the list asked for at a time.
const PAGE: u32 = 200;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Cases,
    Receive,
    Queues,
    Damaged,
}

/// The status filter: a status, or all, unfinished or overdue cases.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusPick {
    All,
    #[default]
    Unfinished,
    Overdue,
    One(CaseStatus),
}

/// The list's filter as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub kind: Option<CaseType>,
    pub status: StatusPick,
    pub reason: Option<String>,
    pub owner: String,
    pub from: String,
    pub to: String,
    pub text: String,
}

impl Filter {
    fn query(&self, before_id: Option<i64>) -> CaseFilter {
        let date = |text: &str| {
            let text = text.trim();
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .is_ok()
                .then(|| text.to_owned())
        };
        CaseFilter {
            kind: self.kind,
            status: match self.status {
                StatusPick::One(status) => Some(status),
                _ => None,
            },
            unfinished: self.status == StatusPick::Unfinished,
            overdue: self.status == StatusPick::Overdue,
            reason: self.reason.clone(),
            owner: Some(self.owner.trim().to_owned()).filter(|o| !o.is_empty()),
            from: date(&self.from),
            to: date(&self.to),
            text: self.text.trim().to_owned(),
            before_id,
            limit: PAGE,
        }
    }
}

/// The After-sales tab's state.
pub struct AfterSalesTab {
    pub view: View,
    pub filter: Filter,
    pub overview: Option<Overview>,
    asked: bool,
    /// Rows of further pages, after the overview's first page.
    more: Vec<CaseRow>,
    more_asked: bool,
    pub selected: Option<i64>,
    pub detail: Option<CaseDetail>,
    detail_asked: Option<i64>,
    pub actions: detail::Actions,
    pub open: Option<OpenDraft>,
    /// The reasons being edited, and a new one being typed.
    pub reasons: Option<Vec<CaseReason>>,
    pub new_reason: CaseReason,
    pub scan: ScanField,
    pub scanned: Option<Scanned>,
    pub receive: Option<ReceiveDraft>,
    pub unknown_contents: String,
    pub assign: HashMap<i64, String>,
    pub queues: Option<(Vec<QueueRow>, Vec<QueueRow>)>,
    queues_asked: bool,
    pub follow_notes: HashMap<i64, String>,
    pub damaged: Option<Vec<DamagedRow>>,
    damaged_asked: bool,
    pub decide: HashMap<String, (String, DamagedDecision)>,
    refunds_file: FilePicker,
    /// A write is on its way: its buttons wait.
    pub waiting: bool,
    /// Commands an answer asks for (open an order in the Orders tab).
    pending: Vec<Command>,
}

impl Default for AfterSalesTab {
    fn default() -> AfterSalesTab {
        AfterSalesTab {
            view: View::default(),
            filter: Filter::default(),
            overview: None,
            asked: false,
            more: Vec::new(),
            more_asked: false,
            selected: None,
            detail: None,
            detail_asked: None,
            actions: detail::Actions::default(),
            open: None,
            reasons: None,
            new_reason: CaseReason {
                code: String::new(),
                label: String::new(),
                label_zh: String::new(),
                active: true,
            },
            scan: ScanField::new("returns"),
            scanned: None,
            receive: None,
            unknown_contents: String::new(),
            assign: HashMap::new(),
            queues: None,
            queues_asked: false,
            follow_notes: HashMap::new(),
            damaged: None,
            damaged_asked: false,
            decide: HashMap::new(),
            refunds_file: FilePicker::default(),
            waiting: false,
            pending: Vec::new(),
        }
    }
}

/// A reason's label in the window's language.
pub fn reason_text(reasons: &[CaseReason], code: &str, lang: Language) -> String {
    reasons.iter().find(|r| r.code == code).map_or_else(
        || code.to_owned(),
        |r| match lang {
            Language::Chinese => r.label_zh.clone(),
            Language::English => r.label.clone(),
        },
    )
}

impl AfterSalesTab {
    /// Opens the new-case dialog on an order (from the Orders tab).
    pub fn start_case(&mut self, order_no: &str) -> Command {
        self.view = View::Cases;
        self.open = Some(OpenDraft {
            order_text: order_no.to_owned(),
            finding: true,
            ..OpenDraft::default()
        });
        ask(AfterSalesRequest::FindOrder(order_no.to_owned()))
    }

    /// Shows a case (from the Orders tab).
    pub fn show_case(&mut self, id: i64) {
        self.view = View::Cases;
        self.select(id);
    }

    fn select(&mut self, id: i64) {
        if self.selected != Some(id) {
            self.selected = Some(id);
            self.detail = None;
            self.detail_asked = None;
            self.actions = detail::Actions::default();
            self.receive = None;
        }
    }

    /// The commands an answer asked for, for the app to run.
    pub fn take_pending(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.pending)
    }

    fn reload(&mut self) {
        self.asked = false;
        self.more.clear();
        self.more_asked = false;
    }

    /// Takes an answer of the store.
    pub fn apply(&mut self, reply: AfterSalesReply, lang: Language, notices: &mut Notices) {
        match reply {
            AfterSalesReply::Overview(overview) => {
                if self.reasons.is_some() {
                    self.reasons = Some(overview.reasons.clone());
                }
                self.overview = Some(*overview);
                self.more.clear();
            }
            AfterSalesReply::Page(page) => {
                self.more_asked = false;
                self.more.extend(page.rows);
            }
            AfterSalesReply::Detail(detail) => {
                if self.selected == Some(detail.row.id) {
                    // Ticks being made on this case's parcel are kept.
                    if self
                        .receive
                        .as_ref()
                        .is_none_or(|r| r.case_id != detail.row.id)
                    {
                        self.receive = None;
                    }
                    self.actions.sync(&detail);
                    self.detail = Some(*detail);
                }
            }
            AfterSalesReply::Order(order) => {
                if let Some(draft) = &mut self.open {
                    draft.set_order(*order);
                }
            }
            AfterSalesReply::Scanned(scanned) => {
                self.receive = match &scanned {
                    Scanned::Case(detail) => Some(ReceiveDraft::of(detail)),
                    _ => None,
                };
                self.scanned = Some(scanned);
            }
            AfterSalesReply::Damaged(rows) => self.damaged = Some(rows),
            AfterSalesReply::Queues { unpaid, problems } => {
                self.queues = Some((unpaid, problems));
            }
            AfterSalesReply::Done(done) => {
                self.waiting = false;
                notices.info(done_text(&done, lang));
                match done {
                    Done::Opened(id) => {
                        self.open = None;
                        self.select(id);
                    }
                    Done::Received(id) => {
                        self.receive = None;
                        if matches!(&self.scanned, Some(Scanned::Case(d)) if d.row.id == id) {
                            self.scanned = None;
                        }
                    }
                    Done::Refunded { .. } | Done::Rejected(_) | Done::Closed { .. } => {
                        self.actions = detail::Actions::default();
                    }
                    Done::UnknownRecorded(_) => {
                        self.scanned = None;
                        self.unknown_contents.clear();
                    }
                    Done::FollowedUp(id) => {
                        self.follow_notes.remove(&id);
                    }
                    Done::Decided { code, .. } => {
                        self.decide.remove(&code);
                    }
                    _ => {}
                }
            }
            AfterSalesReply::Imported(imported) => {
                self.waiting = false;
                let o = &imported.outcome;
                if imported.written {
                    notices.info(format!(
                        "{}: {} {}, {} {}, {} {}, {} {}",
                        Tx::RefundsImported.tr(lang),
                        o.created.len(),
                        Tx::Created.tr(lang),
                        o.updated.len(),
                        Tx::Updated.tr(lang),
                        o.unchanged,
                        Tx::Unchanged.tr(lang),
                        imported.rejected.len(),
                        Tx::RejectedRows.tr(lang)
                    ));
                }
                if !imported.rejected.is_empty() {
                    let mut text = if imported.written {
                        String::new()
                    } else {
                        format!("{}:\n", Tx::NothingWritten.tr(lang))
                    };
                    for row in imported.rejected.iter().take(20) {
                        text.push_str(&crate::ui::messages::row_error_text(row, lang));
                        text.push('\n');
                    }
                    notices.error(text.trim_end().to_owned());
                }
            }
        }
    }

    /// A request failed: the buttons stop waiting.
    pub fn failed(&mut self) {
        self.waiting = false;
        self.asked = true;
        self.more_asked = false;
        if let Some(draft) = &mut self.open {
            draft.finding = false;
        }
    }

    fn send(&mut self, commands: &mut Vec<Command>, request: AfterSalesRequest) {
        self.waiting = true;
        commands.push(ask(request));
    }

    fn ask_what_is_missing(&mut self, commands: &mut Vec<Command>) {
        if !self.asked {
            self.asked = true;
            commands.push(ask(AfterSalesRequest::Overview(self.filter.query(None))));
        }
        if let Some(id) = self.selected
            && self.detail_asked != Some(id)
        {
            self.detail_asked = Some(id);
            commands.push(ask(AfterSalesRequest::Detail(id)));
        }
        if self.view == View::Queues && !self.queues_asked {
            self.queues_asked = true;
            commands.push(ask(AfterSalesRequest::Queues));
        }
        if self.view == View::Damaged && !self.damaged_asked {
            self.damaged_asked = true;
            commands.push(ask(AfterSalesRequest::Damaged));
        }
    }

    fn figures_ui(&mut self, ui: &mut egui::Ui, lang: Language) {
        let Some(overview) = &self.overview else {
            ui.label(Tx::Loading.tr(lang));
            return;
        };
        let f = &overview.figures;
        ui.horizontal_top(|ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            egui::Grid::new("after-sales-figures")
                .num_columns(6)
                .spacing([18.0, 4.0])
                .show(ui, |ui| {
                    let figure = |ui: &mut egui::Ui, label: Tx, value: String, alert: bool| {
                        ui.vertical(|ui| {
                            ui.label(egui::RichText::new(label.tr(lang)).small().weak());
                            let text = egui::RichText::new(value).heading();
                            if alert {
                                ui.label(text.color(theme::DANGER));
                            } else {
                                ui.label(text);
                            }
                        });
                    };
                    figure(ui, Tx::OpenedToday, f.opened_today.to_string(), false);
                    figure(ui, Tx::ClosedToday, f.closed_today.to_string(), false);
                    figure(ui, Tx::WaitingReturn, f.waiting_return.to_string(), false);
                    figure(ui, Tx::Overdue, f.overdue.to_string(), f.overdue > 0);
                    figure(
                        ui,
                        Tx::RefundsToday,
                        format!("¥{}", format_cents(f.refunds_today_cents)),
                        false,
                    );
                    figure(
                        ui,
                        Tx::AverageTime,
                        f.average_hours.map_or_else(
                            || "–".to_owned(),
                            |h| format!("{h:.1} {}", Tx::Hours.tr(lang)),
                        ),
                        false,
                    );
                    ui.end_row();
                    figure(
                        ui,
                        Tx::UnknownParcels,
                        f.unknown_parcels.to_string(),
                        f.unknown_parcels > 0,
                    );
                    figure(
                        ui,
                        Tx::UnpaidToFollow,
                        format!(
                            "{} ({} {})",
                            f.unpaid_to_follow,
                            f.followed_up_today,
                            Tx::FollowedToday.tr(lang)
                        ),
                        false,
                    );
                    figure(ui, Tx::ProblemOrders, f.problem_orders.to_string(), false);
                    ui.end_row();
                });
            ui.separator();
            ui.vertical(|ui| {
                ui.label(
                    egui::RichText::new(Tx::ReturnsByReason.tr(lang))
                        .small()
                        .weak(),
                );
                if f.returns_by_reason.is_empty() {
                    ui.label(Tx::NoReturnsYet.tr(lang));
                } else {
                    reasons_chart_ui(ui, lang, &overview.reasons, &f.returns_by_reason);
                }
            });
        });
    }

    fn filters_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let reasons: Vec<CaseReason> = self
            .overview
            .as_ref()
            .map(|o| o.reasons.clone())
            .unwrap_or_default();
        let before = self.filter.clone();
        let mut find = false;
        ui.horizontal_wrapped(|ui| {
            let search = ui.add(
                egui::TextEdit::singleline(&mut self.filter.text)
                    .hint_text(Tx::Search.tr(lang))
                    .desired_width(230.0),
            );
            find |= search.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let label = ui.label(Tx::ColType.tr(lang));
            egui::ComboBox::from_id_salt("after-sales-type")
                .selected_text(
                    self.filter
                        .kind
                        .map_or(Tx::AllTypes.tr(lang), |k| type_text(k, lang)),
                )
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.kind, None, Tx::AllTypes.tr(lang));
                    for kind in CaseType::ALL {
                        ui.selectable_value(
                            &mut self.filter.kind,
                            Some(kind),
                            type_text(kind, lang),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            let status_label = match self.filter.status {
                StatusPick::All => Tx::AllStatuses.tr(lang),
                StatusPick::Unfinished => Tx::Unfinished.tr(lang),
                StatusPick::Overdue => Tx::Overdue.tr(lang),
                StatusPick::One(status) => status_text(status, lang),
            };
            let label = ui.label(Tx::ColStatus.tr(lang));
            egui::ComboBox::from_id_salt("after-sales-status")
                .selected_text(status_label)
                .show_ui(ui, |ui| {
                    ui.selectable_value(
                        &mut self.filter.status,
                        StatusPick::All,
                        Tx::AllStatuses.tr(lang),
                    );
                    ui.selectable_value(
                        &mut self.filter.status,
                        StatusPick::Unfinished,
                        Tx::Unfinished.tr(lang),
                    );
                    ui.selectable_value(
                        &mut self.filter.status,
                        StatusPick::Overdue,
                        Tx::Overdue.tr(lang),
                    );
                    for status in CaseStatus::ALL {
                        ui.selectable_value(
                            &mut self.filter.status,
                            StatusPick::One(status),
                            status_text(status, lang),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(Tx::ColReason.tr(lang));
            egui::ComboBox::from_id_salt("after-sales-reason")
                .selected_text(self.filter.reason.as_deref().map_or_else(
                    || Tx::AllReasons.tr(lang).to_owned(),
                    |r| reason_text(&reasons, r, lang),
                ))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.reason, None, Tx::AllReasons.tr(lang));
                    for r in &reasons {
                        ui.selectable_value(
                            &mut self.filter.reason,
                            Some(r.code.clone()),
                            reason_text(&reasons, &r.code, lang),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(Tx::Owner.tr(lang));
            ui.add(egui::TextEdit::singleline(&mut self.filter.owner).desired_width(70.0))
                .labelled_by(label.id);
            let label = ui.label(Tx::From.tr(lang));
            ui.add(
                egui::TextEdit::singleline(&mut self.filter.from)
                    .hint_text(Tx::DateHint.tr(lang))
                    .desired_width(86.0),
            )
            .labelled_by(label.id);
            let label = ui.label(Tx::To.tr(lang));
            ui.add(
                egui::TextEdit::singleline(&mut self.filter.to)
                    .hint_text(Tx::DateHint.tr(lang))
                    .desired_width(86.0),
            )
            .labelled_by(label.id);
            find |= ui.button(Tx::Find.tr(lang)).clicked();
            if ui.button(Tx::NewCase.tr(lang)).clicked() {
                self.open = Some(OpenDraft::default());
            }
            if ui.button(Tx::EditReasons.tr(lang)).clicked() {
                self.reasons = Some(reasons.clone());
                self.new_reason = CaseReason {
                    code: String::new(),
                    label: String::new(),
                    label_zh: String::new(),
                    active: true,
                };
            }
        });
        // Choices apply at once; typed text on Enter or Find.
        let chose = before.kind != self.filter.kind
            || before.status != self.filter.status
            || before.reason != self.filter.reason;
        if find || chose {
            self.reload();
            self.ask_what_is_missing(commands);
        }
    }

    fn list_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let Some(overview) = &self.overview else {
            ui.label(Tx::Loading.tr(lang));
            return;
        };
        if overview.page.rows.is_empty() {
            ui.label(Tx::NoCases.tr(lang));
            return;
        }
        let rows: Vec<&CaseRow> = overview.page.rows.iter().chain(self.more.iter()).collect();
        let total = overview.page.total;
        let mut clicked = None;
        ui.style_mut().interaction.selectable_labels = false;
        egui_extras::TableBuilder::new(ui)
            .id_salt("after-sales-table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .column(egui_extras::Column::initial(76.0))
            .column(egui_extras::Column::initial(86.0).clip(true))
            .column(egui_extras::Column::initial(110.0).clip(true))
            .column(egui_extras::Column::initial(150.0).clip(true))
            .column(egui_extras::Column::initial(100.0).clip(true))
            .column(egui_extras::Column::initial(110.0).clip(true))
            .column(egui_extras::Column::initial(70.0))
            .column(egui_extras::Column::remainder().clip(true))
            .header(theme::ROW_HEIGHT, |mut header| {
                for title in [
                    Tx::ColCase,
                    Tx::ColType,
                    Tx::ColStatus,
                    Tx::ColOrder,
                    Tx::ColBuyer,
                    Tx::ColReason,
                    Tx::ColRefund,
                    Tx::ColOpened,
                ] {
                    header.col(|ui| {
                        ui.strong(title.tr(lang));
                    });
                }
            })
            .body(|body| {
                body.rows(theme::ROW_HEIGHT, rows.len(), |mut row| {
                    let case = rows[row.index()];
                    row.set_selected(self.selected == Some(case.id));
                    row.col(|ui| {
                        ui.label(case_number(case.id));
                    });
                    row.col(|ui| {
                        ui.label(type_text(case.kind, lang));
                    });
                    row.col(|ui| {
                        let text = status_text(case.status, lang);
                        if case.is_overdue(&overview.now) {
                            ui.colored_label(
                                theme::DANGER,
                                format!("{text} · {}", Tx::Overdue.tr(lang)),
                            );
                        } else {
                            ui.label(text);
                        }
                    });
                    row.col(|ui| {
                        ui.label(&case.order_no);
                    });
                    row.col(|ui| {
                        ui.label(&case.buyer);
                    });
                    row.col(|ui| {
                        ui.label(reason_text(&overview.reasons, &case.reason, lang));
                    });
                    row.col(|ui| {
                        ui.label(format_cents(case.refund_cents));
                    });
                    row.col(|ui| {
                        ui.label(
                            case.opened_at
                                .get(..16)
                                .unwrap_or(&case.opened_at)
                                .replace('T', " "),
                        );
                    });
                    if row.response().clicked() {
                        clicked = Some(case.id);
                    }
                });
            });
        if (rows.len() as i64) < total
            && !self.more_asked
            && ui.button(Tx::MoreCases.tr(lang)).clicked()
        {
            self.more_asked = true;
            let last = rows.last().map(|r| r.id);
            commands.push(ask(AfterSalesRequest::Page(self.filter.query(last))));
        }
        if let Some(id) = clicked {
            self.select(id);
        }
    }

    fn cases_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        self.filters_ui(ui, lang, commands);
        ui.separator();
        if self.selected.is_some() {
            egui::Panel::right("after-sales-detail")
                .resizable(true)
                .default_size(420.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("after-sales-detail-scroll")
                        .show(ui, |ui| {
                            let reasons = self
                                .overview
                                .as_ref()
                                .map(|o| o.reasons.clone())
                                .unwrap_or_default();
                            match &self.detail {
                                None => {
                                    ui.label(Tx::Loading.tr(lang));
                                }
                                Some(d) => {
                                    let requests = detail::detail_ui(
                                        ui,
                                        lang,
                                        d,
                                        &reasons,
                                        &mut self.actions,
                                        &mut self.receive,
                                        self.waiting,
                                        commands,
                                    );
                                    for request in requests {
                                        self.send(commands, request);
                                    }
                                }
                            }
                        });
                });
        }
        // Columns keep their widths; a narrow room scrolls sideways instead of drawing
        // under the detail.
        egui::ScrollArea::horizontal()
            .id_salt("after-sales-h-scroll")
            .show(ui, |ui| self.list_ui(ui, lang, commands));
    }

    fn receive_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(Tx::ViewReceive.tr(lang)).heading());
            self.scan.ui(ui, Tx::ScanHint.tr(lang), 480.0, true);
        });
        while let Some(scan) = self.scan.next_scan() {
            commands.push(ask(AfterSalesRequest::Scan(scan)));
        }
        ui.separator();
        let reasons = self
            .overview
            .as_ref()
            .map(|o| o.reasons.clone())
            .unwrap_or_default();
        let mut requests = Vec::new();
        match &self.scanned {
            None => {
                ui.label(Tx::ScanIdle.tr(lang));
            }
            Some(Scanned::Case(detail)) => {
                ui.strong(format!(
                    "{} · {} · {} {} · {}",
                    case_number(detail.row.id),
                    type_text(detail.row.kind, lang),
                    Tx::Order.tr(lang),
                    detail.row.order_no,
                    reason_text(&reasons, &detail.row.reason, lang)
                ));
                ui.label(&detail.receiver);
                if let Some(draft) = &mut self.receive {
                    requests.extend(detail::receive_ui(ui, lang, draft, self.waiting));
                } else {
                    ui.label(status_text(detail.row.status, lang));
                }
            }
            Some(Scanned::Several(ids)) => {
                ui.label(Tx::SeveralCases.tr(lang));
                for id in ids {
                    if ui.button(case_number(*id)).clicked() {
                        commands.push(ask(AfterSalesRequest::Scan(case_number(*id))));
                    }
                }
            }
            Some(Scanned::OrderWithoutCase { order_no }) => {
                ui.label(Tx::NoCaseForOrder.tr(lang));
                if ui
                    .button(format!("{} {order_no}", Tx::NewCase.tr(lang)))
                    .clicked()
                {
                    self.open = Some(OpenDraft {
                        order_text: order_no.clone(),
                        kind: CaseType::Return,
                        finding: true,
                        ..OpenDraft::default()
                    });
                    commands.push(ask(AfterSalesRequest::FindOrder(order_no.clone())));
                }
            }
            Some(Scanned::Unknown { scanned }) => {
                ui.colored_label(
                    theme::WARNING,
                    format!("{}: {scanned}", Tx::UnknownParcel.tr(lang)),
                );
                let label = ui.label(Tx::Contents.tr(lang));
                ui.add(
                    egui::TextEdit::multiline(&mut self.unknown_contents)
                        .desired_rows(2)
                        .hint_text("CUP=1:sellable, TEA=1:damaged"),
                )
                .labelled_by(label.id);
                if ui
                    .add_enabled(!self.waiting, egui::Button::new(Tx::RecordUnknown.tr(lang)))
                    .clicked()
                {
                    requests.push(AfterSalesRequest::UnknownParcel {
                        tracking: scanned.clone(),
                        courier: String::new(),
                        contents: self.unknown_contents.trim().to_owned(),
                    });
                }
            }
        }
        for request in requests {
            self.send(commands, request);
        }
        ui.add_space(theme::SECTION_GAP);
        self.unknown_ui(ui, lang, commands);
    }

    fn unknown_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let Some(overview) = &self.overview else {
            return;
        };
        if overview.unknown.is_empty() {
            return;
        }
        ui.strong(Tx::Unmatched.tr(lang));
        let mut assign = None;
        egui::Grid::new("after-sales-unknown")
            .striped(true)
            .show(ui, |ui| {
                for parcel in &overview.unknown {
                    let tracking = ui.label(&parcel.tracking_no);
                    ui.label(
                        parcel
                            .received_at
                            .get(..16)
                            .unwrap_or(&parcel.received_at)
                            .replace('T', " "),
                    );
                    ui.label(&parcel.contents);
                    let typed = self.assign.entry(parcel.id).or_default();
                    // A grid cell gives a text field only its column's minimum width: the
                    // size is set, so that a case number as typed (AS000001) shows whole.
                    ui.add_sized(
                        egui::vec2(110.0, ui.spacing().interact_size.y),
                        egui::TextEdit::singleline(typed).hint_text(Tx::ColCase.tr(lang)),
                    )
                    .labelled_by(tracking.id);
                    let case = crate::domain::after_sales::parse_case_number(typed);
                    if ui
                        .add_enabled(case.is_some(), egui::Button::new(Tx::MatchTo.tr(lang)))
                        .clicked()
                        && let Some(case) = case
                    {
                        assign = Some((parcel.id, case));
                    }
                    ui.end_row();
                }
            });
        if let Some((parcel, case)) = assign {
            self.assign.remove(&parcel);
            self.send(
                commands,
                AfterSalesRequest::AssignParcel {
                    parcel,
                    case,
                    lines: Vec::new(),
                },
            );
        }
    }

    fn queues_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let Some((unpaid, problems)) = &self.queues else {
            ui.label(Tx::Loading.tr(lang));
            return;
        };
        let mut follow = None;
        let mut show = None;
        egui::ScrollArea::vertical()
            .id_salt("after-sales-queues")
            .show(ui, |ui| {
                ui.strong(Tx::UnpaidQueue.tr(lang));
                if unpaid.is_empty() {
                    ui.label(Tx::EmptyQueue.tr(lang));
                }
                egui::Grid::new("after-sales-unpaid")
                    .striped(true)
                    .show(ui, |ui| {
                        for row in unpaid {
                            let number = ui.label(&row.order_no);
                            ui.label(&row.buyer);
                            ui.label(format!("¥{}", format_cents(row.total_cents)));
                            ui.label(
                                row.ordered_at
                                    .get(..16)
                                    .unwrap_or(&row.ordered_at)
                                    .replace('T', " "),
                            );
                            ui.label(format!(
                                "{} {}",
                                Tx::LastFollowUp.tr(lang),
                                row.last_follow_up.as_deref().map_or_else(
                                    || Tx::Never.tr(lang).to_owned(),
                                    |at| at.get(..16).unwrap_or(at).replace('T', " ")
                                )
                            ));
                            let note = self.follow_notes.entry(row.order_id).or_default();
                            ui.add(
                                egui::TextEdit::singleline(note)
                                    .hint_text(Tx::FollowUpHint.tr(lang))
                                    .desired_width(180.0),
                            )
                            .labelled_by(number.id);
                            if ui
                                .add_enabled(
                                    !self.waiting,
                                    egui::Button::new(Tx::FollowUp.tr(lang)),
                                )
                                .clicked()
                            {
                                follow = Some((row.order_id, note.trim().to_owned()));
                            }
                            if ui.button(Tx::ShowOrder.tr(lang)).clicked() {
                                show = Some(row.order_no.clone());
                            }
                            ui.end_row();
                        }
                    });
                ui.add_space(theme::SECTION_GAP);
                ui.strong(Tx::ProblemQueue.tr(lang));
                if problems.is_empty() {
                    ui.label(Tx::EmptyQueue.tr(lang));
                }
                egui::Grid::new("after-sales-problems")
                    .striped(true)
                    .show(ui, |ui| {
                        for row in problems {
                            theme::flag_swatch(ui, row.flag);
                            ui.label(&row.order_no);
                            ui.label(&row.buyer);
                            ui.label(crate::ui::i18n::state_text(row.state).tr(lang));
                            ui.label(&row.remark);
                            if ui.button(Tx::ShowOrder.tr(lang)).clicked() {
                                show = Some(row.order_no.clone());
                            }
                            ui.end_row();
                        }
                    });
            });
        if let Some((order_id, note)) = follow {
            self.queues_asked = false;
            self.send(commands, AfterSalesRequest::FollowUp { order_id, note });
        }
        if let Some(order_no) = show {
            commands.push(Command::ShowOrder(order_no));
        }
    }

    fn damaged_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        ui.strong(Tx::DamagedTitle.tr(lang));
        let Some(rows) = &self.damaged else {
            ui.label(Tx::Loading.tr(lang));
            return;
        };
        if rows.is_empty() {
            ui.label(Tx::NoDamaged.tr(lang));
        }
        let mut decided = None;
        egui::Grid::new("after-sales-damaged")
            .striped(true)
            .show(ui, |ui| {
                for row in rows {
                    let code = ui.label(&row.code);
                    ui.label(&row.name);
                    ui.label(row.damaged.to_string());
                    let (quantity, decision) = self
                        .decide
                        .entry(row.code.clone())
                        .or_insert_with(|| ("1".to_owned(), DamagedDecision::Repair));
                    ui.add(egui::TextEdit::singleline(quantity).desired_width(40.0))
                        .labelled_by(code.id);
                    egui::ComboBox::from_id_salt(("after-sales-decision", &row.code))
                        .selected_text(texts::decision_text(*decision, lang))
                        .show_ui(ui, |ui| {
                            for d in DamagedDecision::ALL {
                                ui.selectable_value(decision, d, texts::decision_text(d, lang));
                            }
                        })
                        .response
                        .labelled_by(code.id);
                    let parsed = quantity
                        .trim()
                        .parse::<i64>()
                        .ok()
                        .filter(|q| (1..=row.damaged).contains(q));
                    if ui
                        .add_enabled(
                            parsed.is_some() && !self.waiting,
                            egui::Button::new(Tx::Decide.tr(lang)),
                        )
                        .clicked()
                        && let Some(q) = parsed
                    {
                        decided = Some((row.code.clone(), q, *decision));
                    }
                    ui.end_row();
                }
            });
        if let Some((code, quantity, decision)) = decided {
            self.damaged_asked = false;
            self.send(
                commands,
                AfterSalesRequest::Decide {
                    code,
                    quantity,
                    decision,
                    note: String::new(),
                },
            );
        }
    }

    fn open_dialog_ui(&mut self, ctx: &egui::Context, lang: Language, commands: &mut Vec<Command>) {
        let Some(draft) = &mut self.open else {
            return;
        };
        let reasons = self
            .overview
            .as_ref()
            .map(|o| o.reasons.clone())
            .unwrap_or_default();
        let mut keep = true;
        let mut requests = Vec::new();
        egui::Window::new(Tx::OpenTitle.tr(lang))
            .id(egui::Id::unique("after-sales-open"))
            .collapsible(false)
            .open(&mut keep)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                requests = detail::open_ui(ui, lang, draft, &reasons, self.waiting);
            });
        if !keep {
            self.open = None;
        }
        for request in requests {
            match request {
                AfterSalesRequest::FindOrder(_) => commands.push(ask(request)),
                other => self.send(commands, other),
            }
        }
    }
}

impl AfterSalesTab {
    /// The editable list of reasons: labels in both languages, offered or retired, and a
    /// new one. Each row saves on its own.
    fn reasons_dialog_ui(
        &mut self,
        ctx: &egui::Context,
        lang: Language,
        commands: &mut Vec<Command>,
    ) {
        let Some(reasons) = &mut self.reasons else {
            return;
        };
        let mut keep = true;
        let mut save = None;
        egui::Window::new(Tx::EditReasons.tr(lang))
            .id(egui::Id::unique("after-sales-reasons"))
            .collapsible(false)
            .open(&mut keep)
            .show(ctx, |ui| {
                egui::Grid::new("after-sales-reasons-grid")
                    .striped(true)
                    .show(ui, |ui| {
                        for title in [
                            Tx::ReasonCode,
                            Tx::ReasonEnglish,
                            Tx::ReasonChinese,
                            Tx::ReasonOffered,
                        ] {
                            ui.strong(title.tr(lang));
                        }
                        ui.end_row();
                        for reason in reasons.iter_mut() {
                            let code = ui.label(&reason.code);
                            ui.add(
                                egui::TextEdit::singleline(&mut reason.label).desired_width(160.0),
                            )
                            .labelled_by(code.id);
                            ui.add(
                                egui::TextEdit::singleline(&mut reason.label_zh)
                                    .desired_width(160.0),
                            )
                            .labelled_by(code.id);
                            ui.add(egui::Checkbox::new(&mut reason.active, ""))
                                .labelled_by(code.id);
                            if ui.button(Tx::Save.tr(lang)).clicked() {
                                save = Some(reason.clone());
                            }
                            ui.end_row();
                        }
                        let new = &mut self.new_reason;
                        ui.add(
                            egui::TextEdit::singleline(&mut new.code)
                                .hint_text(Tx::ReasonCode.tr(lang))
                                .desired_width(110.0),
                        );
                        ui.add(
                            egui::TextEdit::singleline(&mut new.label)
                                .hint_text(Tx::ReasonEnglish.tr(lang))
                                .desired_width(160.0),
                        );
                        ui.add(
                            egui::TextEdit::singleline(&mut new.label_zh)
                                .hint_text(Tx::ReasonChinese.tr(lang))
                                .desired_width(160.0),
                        );
                        ui.label("");
                        let ready = !new.code.trim().is_empty() && !new.label.trim().is_empty();
                        if ui
                            .add_enabled(ready, egui::Button::new(Tx::AddReason.tr(lang)))
                            .clicked()
                        {
                            save = Some(new.clone());
                        }
                        ui.end_row();
                    });
            });
        if let Some(reason) = save {
            if reason.code == self.new_reason.code {
                self.new_reason.code.clear();
                self.new_reason.label.clear();
                self.new_reason.label_zh.clear();
            }
            self.send(commands, AfterSalesRequest::SaveReason(reason));
        }
        if !keep {
            self.reasons = None;
        }
    }
}

/// Returns and exchanges by reason, one horizontal bar each.
fn reasons_chart_ui(
    ui: &mut egui::Ui,
    lang: Language,
    reasons: &[CaseReason],
    counts: &[(String, i64)],
) {
    use egui_plot::{Bar, BarChart, Plot};
    let labels: Vec<String> = counts
        .iter()
        .map(|(code, _)| reason_text(reasons, code, lang))
        .collect();
    let bars: Vec<Bar> = counts
        .iter()
        .enumerate()
        .map(|(i, (_, n))| {
            Bar::new(i as f64, *n as f64)
                .name(&labels[i])
                .width(0.7)
                .fill(egui::Color32::from_rgb(0x8e, 0x44, 0xad))
        })
        .collect();
    let chart = BarChart::new(Tx::ReturnsByReason.tr(lang), bars).horizontal();
    let height = (counts.len() as f32 * 20.0 + 24.0).clamp(60.0, 180.0);
    Plot::new("after-sales-reasons")
        .height(height)
        .width(360.0)
        .show_background(false)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_grid([true, false])
        .y_axis_formatter(move |mark, _range| {
            let index = mark.value.round();
            if (mark.value - index).abs() > 0.01 || index < 0.0 {
                return String::new();
            }
            labels.get(index as usize).cloned().unwrap_or_default()
        })
        .show(ui, |plot| plot.bar_chart(chart));
}

/// What an action did, in the window's language.
fn done_text(done: &Done, lang: Language) -> String {
    match done {
        Done::Opened(id) => format!("{} {}", Tx::Opened.tr(lang), case_number(*id)),
        Done::Waiting(id) | Done::Edited(id) => {
            format!("{} {}", Tx::Done.tr(lang), case_number(*id))
        }
        Done::Received(id) => format!("{} {}", Tx::Received.tr(lang), case_number(*id)),
        Done::Refunded { id, cents } => format!(
            "{} {} ¥{}",
            case_number(*id),
            Tx::Refunded.tr(lang),
            format_cents(*cents)
        ),
        Done::SentAgain { order_no, .. } => format!("{} {order_no}", Tx::SentAgain.tr(lang)),
        Done::Closed { id, flag_cleared } => {
            let mut text = format!("{} {}", Tx::Closed.tr(lang), case_number(*id));
            if *flag_cleared {
                text.push_str(&format!("; {}", Tx::FlagCleared.tr(lang)));
            }
            text
        }
        Done::Rejected(id) => format!("{} {}", Tx::Rejected.tr(lang), case_number(*id)),
        Done::UnknownRecorded(id) => format!("{} #{id}", Tx::RecordedUnknown.tr(lang)),
        Done::ParcelAssigned { case, .. } => {
            format!("{} → {}", Tx::ParcelMatched.tr(lang), case_number(*case))
        }
        Done::ReasonSaved(code) => format!("{} {code}", Tx::Done.tr(lang)),
        Done::Decided { code, quantity } => format!("{} {code} ×{quantity}", Tx::Done.tr(lang)),
        Done::FollowedUp(_) => Tx::FollowedUp.tr(lang).to_owned(),
    }
}

impl AfterSalesTab {
    /// The marketplace refund report: its file and the Import button.
    fn refund_import_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let picked = self.refunds_file.ui(
            ui,
            FileKind::Csv,
            Tx::ImportRefunds.tr(lang),
            Tx::ImportButton.tr(lang),
            crate::ui::i18n::T::Browse.tr(lang),
        );
        if let Some(file) = picked
            && !self.waiting
        {
            self.send(
                commands,
                AfterSalesRequest::ImportRefunds {
                    file,
                    mapping: None,
                    skip_invalid: false,
                },
            );
        }
    }
}

impl crate::ui::Page for AfterSalesTab {
    fn page_ui(&mut self, ui: &mut egui::Ui, cx: &mut crate::ui::TabCx<'_>) {
        let lang = cx.lang;
        self.ask_what_is_missing(cx.commands);
        // The figures keep to their own strip; the views below get the rest.
        let strip = egui::vec2(ui.available_width(), 0.0);
        ui.allocate_ui_with_layout(strip, egui::Layout::top_down(egui::Align::Min), |ui| {
            self.figures_ui(ui, lang);
        });
        ui.separator();
        // The view switch and the refund report share a row when there is room; a narrow
        // screen (1024 wide) gives the report a row of its own.
        let wide = ui.available_width() >= 1180.0;
        ui.horizontal(|ui| {
            for (view, label) in [
                (View::Cases, Tx::ViewCases),
                (View::Receive, Tx::ViewReceive),
                (View::Queues, Tx::ViewQueues),
                (View::Damaged, Tx::ViewDamaged),
            ] {
                if ui
                    .selectable_label(self.view == view, label.tr(lang))
                    .clicked()
                {
                    self.view = view;
                }
            }
            if wide {
                ui.separator();
                self.refund_import_ui(ui, lang, cx.commands);
            }
        });
        if !wide {
            ui.horizontal(|ui| self.refund_import_ui(ui, lang, cx.commands));
        }
        ui.separator();
        match self.view {
            View::Cases => self.cases_ui(ui, lang, cx.commands),
            View::Receive => self.receive_ui(ui, lang, cx.commands),
            View::Queues => self.queues_ui(ui, lang, cx.commands),
            View::Damaged => self.damaged_ui(ui, lang, cx.commands),
        }
        let ctx = ui.ctx().clone();
        self.open_dialog_ui(&ctx, lang, cx.commands);
        self.reasons_dialog_ui(&ctx, lang, cx.commands);
        // A new order to open in the Orders tab (a reshipment just made, a queue's row).
        cx.commands.append(&mut self.pending);
    }

    fn changed(&mut self, changed: crate::app::Changed) {
        use crate::app::Changed;
        if changed.touches(Changed::CASES | Changed::ORDERS | Changed::STOCK) {
            self.reload();
            self.detail_asked = None;
            self.queues_asked = false;
            self.damaged_asked = false;
        }
    }

    fn failed(&mut self) {
        AfterSalesTab::failed(self);
    }
}

/// The order a new case is opened on, once found.
pub fn order_summary(order: &OrderDetail) -> String {
    format!(
        "{} · {} · ¥{} · {}",
        order.row.order_no,
        order.row.receiver_name,
        format_cents(order.amounts.paid_cents),
        order.row.tracking_no
    )
}
