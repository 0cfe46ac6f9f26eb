//! The Pack & ship tab (验货 / 发货 / 交接), used all day with a USB barcode scanner.
//!
//! **Pack check:** one scan field always has the keyboard. A waybill, order number,
//! packing slip or pick list opens what it names; each item scan is counted here against
//! the opened order (`domain::pack`), without a round trip, and the order ships when the
//! last item is counted. A wrong item, one too many or an order that must not leave turns
//! the panel red with the reason in large type and a beep, and nothing more is counted
//! until the packer scans CLEAR or presses Escape. A scan that is not an item of the open
//! order is first looked up: another parcel's waybill opens that parcel (the one left is
//! logged as abandoned); anything else is a wrong item.
//!
//! **Hand-over:** see `handover.rs`.

mod handover;
pub mod sound;
pub mod texts;

use crate::app::pack::{Reply as PackReply, Request as PackRequest};
use crate::domain::pack::{
    AttemptResult, HandoverRefusal, Mismatch, PackCheck, PackRefusal, ScanOutcome, is_clear,
    parse_weight,
};
use crate::store::{BatchProgress, Language, PackCounters, PackFind, PackOrder, ShipResult};
use crate::ui::i18n::{T, state_text};
use crate::ui::widgets::ScanField;
use crate::ui::{Command, Notices, ask, theme};
use handover::HandoverView;
use sound::Beep;
use texts::Tx;

/// The two halves of the tab.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PackView {
    #[default]
    Check,
    Handover,
}

/// Why the station stopped: shown red and large until cleared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    Mismatch(Mismatch),
    Refused {
        order_no: String,
        reason: PackRefusal,
    },
    NotFound(String),
    Voided(String),
    Changed(String),
    Handover(HandoverRefusal),
}

/// The order on the bench and its count.
#[derive(Clone, Debug)]
pub struct Bench {
    pub order: PackOrder,
    pub check: PackCheck,
    /// The parcel's weight, scanned before the last item.
    pub weight: Option<i64>,
}

/// The parcel that shipped last, shown green until the next scan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passed {
    pub id: i64,
    pub order_no: String,
    pub at: String,
    pub weight: Option<i64>,
    /// Passed, but the file was busy with another write: it ships when the write ends.
    pub pending: bool,
}

/// A parcel that passed its check while another program was writing the file (an
/// import): its pass is asked again every second until it is written.
#[derive(Clone, Debug)]
pub struct Deferred {
    pub id: i64,
    pub order_no: String,
    pub checked: Vec<(String, i64)>,
    pub weight: Option<i64>,
    next_try: std::time::Instant,
    in_flight: bool,
}

/// What a pending request will answer; scans wait in the field's queue meanwhile.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Waiting {
    /// A lookup of a scan made while an order is on the bench: not found means wrong item.
    FindDuringCheck(String),
    Find,
    Ship,
}

/// The tab's state.
pub struct PackTab {
    pub view: PackView,
    pub scan: ScanField,
    pub bench: Option<Bench>,
    pub passed: Option<Passed>,
    pub stop: Option<Stop>,
    /// A scan made while stopped, refused: said under the stop.
    pub still_stopped: bool,
    pub batch: Option<BatchProgress>,
    pub counters: Option<PackCounters>,
    counters_asked: bool,
    waiting: Option<Waiting>,
    /// The override dialog: (reason, weight text).
    pub override_draft: Option<(String, String)>,
    /// The quantity being typed for an item with many units: (item index, text).
    pub quantity_draft: Option<(usize, String)>,
    /// Beeps through the system's player (off in tests).
    pub sound: bool,
    /// How many stop beeps were signalled (tests read it).
    pub beeps: u32,
    pub handover: HandoverView,
    /// Passes waiting for the file (an import is writing), oldest first.
    pub deferred: Vec<Deferred>,
    /// Requests an answer asked for (attempt logs), sent by the window after applying it.
    pending: Vec<Command>,
}

impl Default for PackTab {
    fn default() -> PackTab {
        PackTab {
            view: PackView::Check,
            scan: ScanField::new("pack"),
            bench: None,
            passed: None,
            stop: None,
            still_stopped: false,
            batch: None,
            counters: None,
            counters_asked: false,
            waiting: None,
            override_draft: None,
            quantity_draft: None,
            sound: true,
            beeps: 0,
            handover: HandoverView::default(),
            deferred: Vec::new(),
            pending: Vec::new(),
        }
    }
}

fn store(request: PackRequest) -> Command {
    ask(request)
}

impl PackTab {
    fn beep(&mut self, beep: Beep) {
        if beep == Beep::Stop {
            self.beeps += 1;
        }
        if self.sound {
            sound::play(beep);
        }
    }

    fn stop(&mut self, stop: Stop) {
        self.stop = Some(stop);
        self.still_stopped = false;
        self.beep(Beep::Stop);
    }

    fn clear(&mut self) {
        self.stop = None;
        self.still_stopped = false;
        if let Some(bench) = &mut self.bench {
            bench.check.clear();
        }
    }

    /// Logs the order on the bench as left before it was complete, and takes it off.
    fn leave(&mut self, commands: &mut Vec<Command>) {
        if let Some(bench) = self.bench.take() {
            commands.push(store(PackRequest::Attempt {
                id: bench.order.id,
                result: AttemptResult::Abandoned,
                detail: format!("left at {}", bench.check.progress_text()),
            }));
        }
        self.quantity_draft = None;
    }

    /// Handles the scans waiting in the field, until one needs an answer from the store.
    fn take_scans(&mut self, commands: &mut Vec<Command>) {
        while self.waiting.is_none() {
            let Some(scan) = self.scan.next_scan() else {
                return;
            };
            self.handle_scan(scan, commands);
        }
    }

    fn handle_scan(&mut self, scan: String, commands: &mut Vec<Command>) {
        if self.stop.is_some() {
            if is_clear(&scan) {
                self.clear();
            } else {
                self.still_stopped = true;
                self.beep(Beep::Stop);
            }
            return;
        }
        if is_clear(&scan) {
            return;
        }
        // A weight from the scale (with its unit, so never taken for a code): for the parcel
        // on the bench, or the one that just shipped. An item of the order wins.
        let is_item = self
            .bench
            .as_ref()
            .is_some_and(|b| b.check.find(scan_code(&scan)).is_some());
        if !is_item
            && scan.trim().to_ascii_lowercase().ends_with('g')
            && let Some(grams) = parse_weight(&scan)
        {
            if let Some(bench) = &mut self.bench {
                bench.weight = Some(grams);
                return;
            }
            if let Some(passed) = &mut self.passed {
                passed.weight = Some(grams);
                commands.push(store(PackRequest::Weight {
                    id: passed.id,
                    grams,
                }));
                return;
            }
        }
        let Some(bench) = &mut self.bench else {
            self.passed = None;
            self.waiting = Some(Waiting::Find);
            commands.push(store(PackRequest::Find(scan)));
            return;
        };
        if bench.check.find(scan_code(&scan)).is_none() {
            // Another parcel's number, or a wrong item: the store knows which.
            self.waiting = Some(Waiting::FindDuringCheck(scan.clone()));
            commands.push(store(PackRequest::Find(scan)));
            return;
        }
        match bench.check.scan(&scan) {
            ScanOutcome::Counted { done: true, .. } => self.ship(commands),
            ScanOutcome::Counted { .. } | ScanOutcome::NeedsClear => {}
            ScanOutcome::Stopped(mismatch) => self.mismatch(mismatch, commands),
            ScanOutcome::Unreadable => {
                self.stop(Stop::NotFound(scan));
            }
        }
    }

    fn mismatch(&mut self, mismatch: Mismatch, commands: &mut Vec<Command>) {
        if let Some(bench) = &self.bench {
            commands.push(store(PackRequest::Attempt {
                id: bench.order.id,
                result: AttemptResult::Mismatch,
                detail: format!("{mismatch}; counted {}", bench.check.progress_text()),
            }));
        }
        self.stop(Stop::Mismatch(mismatch));
    }

    fn ship(&mut self, commands: &mut Vec<Command>) {
        if let Some(bench) = &self.bench {
            self.waiting = Some(Waiting::Ship);
            commands.push(store(PackRequest::Pass {
                id: bench.order.id,
                checked: bench.check.checked(),
                weight: bench.weight,
            }));
        }
    }

    fn open(&mut self, order: PackOrder, commands: &mut Vec<Command>) {
        if let Some((batch, _)) = order.batch
            && self.batch.as_ref().is_none_or(|b| b.batch != batch)
        {
            commands.push(store(PackRequest::Counters { batch: Some(batch) }));
        }
        if let Some(reason) = order.refusal.clone() {
            commands.push(store(PackRequest::Attempt {
                id: order.id,
                result: AttemptResult::Refused,
                detail: reason.to_string(),
            }));
            self.stop(Stop::Refused {
                order_no: order.order_no,
                reason,
            });
            return;
        }
        self.bench = Some(Bench {
            check: PackCheck::new(order.items.clone()),
            order,
            weight: None,
        });
    }

    /// Applies an answer of the store.
    pub fn apply(&mut self, reply: PackReply, lang: Language, notices: &mut Notices) {
        let mut commands = Vec::new();
        self.apply_into(reply, lang, notices, &mut commands);
        self.pending.extend(commands);
    }

    fn apply_into(
        &mut self,
        reply: PackReply,
        lang: Language,
        notices: &mut Notices,
        commands: &mut Vec<Command>,
    ) {
        match reply {
            PackReply::Found(found) => {
                let waiting = self.waiting.take();
                match found {
                    PackFind::Order(order) => {
                        if self.bench.as_ref().is_some_and(|b| b.order.id == order.id) {
                            // The open order's own number: nothing changes.
                            return;
                        }
                        self.leave(commands);
                        self.open(*order, commands);
                    }
                    PackFind::Batch(batch) => {
                        self.batch = Some(batch);
                    }
                    PackFind::NotFound(scan) => {
                        if let Some(Waiting::FindDuringCheck(scanned)) = waiting {
                            self.mismatch(Mismatch::NotInOrder { scanned }, commands);
                        } else {
                            self.stop(Stop::NotFound(scan));
                        }
                    }
                    PackFind::Voided { number, .. } => self.stop(Stop::Voided(number)),
                }
            }
            PackReply::ShipLater { id } => self.ship_later(id),
            PackReply::Shipped(result) if self.is_deferred(&result) => {
                self.deferred_shipped(result)
            }
            PackReply::Shipped(result) => {
                self.waiting = None;
                match result {
                    ShipResult::Shipped { order_no, at } => {
                        let bench = self.bench.take();
                        self.passed = Some(Passed {
                            id: bench.as_ref().map_or(0, |b| b.order.id),
                            order_no,
                            at,
                            weight: bench.and_then(|b| b.weight),
                            pending: false,
                        });
                        self.quantity_draft = None;
                        self.beep(Beep::Passed);
                    }
                    ShipResult::Refused { order_no, reason } => {
                        self.bench = None;
                        self.stop(Stop::Refused { order_no, reason });
                    }
                    ShipResult::Changed { order_no } => {
                        self.bench = None;
                        self.stop(Stop::Changed(order_no));
                    }
                }
            }
            PackReply::Weighed { order_no, grams } => {
                notices.info(format!("{order_no}: {} {grams} g", Tx::WeighedAt.tr(lang)));
            }
            PackReply::Counters { counters, batch } => {
                self.counters = Some(counters);
                if batch.is_some() {
                    self.batch = batch;
                }
            }
            // A logged mismatch or refusal counts in the packer's figures.
            PackReply::Logged => self.counters_asked = false,
            other => self
                .handover
                .apply(other, lang, notices, &mut self.beeps, self.sound),
        }
    }

    /// The file was busy: the parcel on the bench (or a deferred one asked again) waits
    /// for its pass, and the packer goes on with the next parcel.
    fn ship_later(&mut self, id: i64) {
        let next_try = std::time::Instant::now() + std::time::Duration::from_secs(1);
        if let Some(d) = self.deferred.iter_mut().find(|d| d.id == id) {
            d.in_flight = false;
            d.next_try = next_try;
            return;
        }
        self.waiting = None;
        if let Some(bench) = self.bench.take().filter(|b| b.order.id == id) {
            self.passed = Some(Passed {
                id,
                order_no: bench.order.order_no.clone(),
                at: String::new(),
                weight: bench.weight,
                pending: true,
            });
            self.deferred.push(Deferred {
                id,
                order_no: bench.order.order_no.clone(),
                checked: bench.check.checked(),
                weight: bench.weight,
                next_try,
                in_flight: false,
            });
            self.quantity_draft = None;
        }
    }

    fn is_deferred(&self, result: &ShipResult) -> bool {
        let order_no = match result {
            ShipResult::Shipped { order_no, .. }
            | ShipResult::Refused { order_no, .. }
            | ShipResult::Changed { order_no } => order_no,
        };
        self.deferred
            .iter()
            .any(|d| d.in_flight && &d.order_no == order_no)
    }

    /// The answer to a deferred pass asked again.
    fn deferred_shipped(&mut self, result: ShipResult) {
        match result {
            ShipResult::Shipped { order_no, at } => {
                self.deferred.retain(|d| d.order_no != order_no);
                if let Some(passed) = self.passed.as_mut().filter(|p| p.order_no == order_no) {
                    passed.at = at;
                    passed.pending = false;
                }
            }
            ShipResult::Refused { order_no, reason } => {
                self.deferred.retain(|d| d.order_no != order_no);
                self.stop(Stop::Refused { order_no, reason });
            }
            ShipResult::Changed { order_no } => {
                self.deferred.retain(|d| d.order_no != order_no);
                self.stop(Stop::Changed(order_no));
            }
        }
    }

    /// Asks again for the passes whose moment has come.
    fn retry_deferred(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if self.deferred.is_empty() {
            return;
        }
        let now = std::time::Instant::now();
        for d in &mut self.deferred {
            if !d.in_flight && d.next_try <= now {
                d.in_flight = true;
                commands.push(store(PackRequest::Pass {
                    id: d.id,
                    checked: d.checked.clone(),
                    weight: d.weight,
                }));
            }
        }
        ctx.request_repaint_after(std::time::Duration::from_millis(500));
    }

    /// The requests applying answers asked for; the window sends them.
    pub fn take_pending(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.pending)
    }

    /// A request failed (the failure is shown by the window): scans go on.
    pub fn failed(&mut self) {
        self.waiting = None;
    }

    fn check_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        if !self.counters_asked {
            self.counters_asked = true;
            commands.push(store(PackRequest::Counters {
                batch: self.batch.as_ref().map(|b| b.batch),
            }));
        }
        // Escape clears a stop (the scanner's CLEAR does the same).
        if self.stop.is_some()
            && self.override_draft.is_none()
            && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.clear();
        }
        self.counters_ui(ui, lang);
        ui.horizontal(|ui| {
            let label = ui.label(egui::RichText::new(Tx::ScanLabel.tr(lang)).heading());
            let hint = if self.bench.is_some() {
                Tx::ItemHint
            } else {
                Tx::ScanHint
            };
            self.scan
                .ui(ui, hint.tr(lang), 420.0, true)
                .labelled_by(label.id);
        });
        self.take_scans(commands);
        self.retry_deferred(ui.ctx(), commands);
        ui.add_space(6.0);
        if self.batch.is_some() {
            egui::Panel::right("pack-batch")
                .resizable(true)
                .default_size(300.0)
                .show(ui, |ui| self.batch_ui(ui, lang, commands));
        }
        if let Some(stop) = self.stop.clone() {
            self.stop_ui(ui, lang, &stop);
        } else if self.bench.is_some() {
            self.bench_ui(ui, lang, commands);
        } else if let Some(passed) = &self.passed {
            passed_ui(ui, lang, passed);
        } else {
            ui.add_space(20.0);
            ui.label(egui::RichText::new(Tx::Idle.tr(lang)).size(18.0));
        }
        self.override_ui(ui.ctx(), lang, commands);
    }

    fn counters_ui(&self, ui: &mut egui::Ui, lang: Language) {
        ui.horizontal(|ui| {
            if let Some(c) = &self.counters {
                ui.label(format!("{}: {}", Tx::PassedToday.tr(lang), c.passed));
                ui.separator();
                ui.label(format!(
                    "{}: {}",
                    Tx::MismatchesToday.tr(lang),
                    c.mismatches
                ));
            }
            if !self.deferred.is_empty() {
                ui.separator();
                ui.colored_label(
                    theme::LOW_STOCK,
                    format!("{}: {}", Tx::WaitingToShip.tr(lang), self.deferred.len()),
                );
            }
            if let Some(batch) = &self.batch {
                ui.separator();
                ui.label(format!(
                    "{} {}: {} {}",
                    Tx::Batch.tr(lang),
                    batch.number,
                    batch.to_pack(),
                    Tx::BatchToPack.tr(lang)
                ));
            }
        });
    }

    fn stop_ui(&mut self, ui: &mut egui::Ui, lang: Language, stop: &Stop) {
        let (title, reason) = stop_text(stop, lang);
        egui::Frame::new()
            .fill(theme::ERROR_BG)
            .inner_margin(24.0)
            .corner_radius(6.0)
            .show(ui, |ui| {
                ui.set_min_size(ui.available_size());
                ui.label(
                    egui::RichText::new(title)
                        .size(44.0)
                        .strong()
                        .color(theme::ON_BANNER),
                );
                ui.add_space(12.0);
                ui.label(
                    egui::RichText::new(reason)
                        .size(30.0)
                        .color(theme::ON_BANNER),
                );
                ui.add_space(24.0);
                ui.label(
                    egui::RichText::new(Tx::StopClear.tr(lang))
                        .size(22.0)
                        .color(theme::ON_BANNER),
                );
                if self.still_stopped {
                    ui.label(
                        egui::RichText::new(Tx::StillStopped.tr(lang))
                            .size(18.0)
                            .color(theme::ON_BANNER),
                    );
                }
                ui.add_space(12.0);
                if ui
                    .button(egui::RichText::new(Tx::ClearButton.tr(lang)).size(20.0))
                    .clicked()
                {
                    self.clear();
                }
            });
    }

    fn bench_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let Some(bench) = self.bench.as_ref() else {
            return;
        };
        let order = &bench.order;
        let big = |text: String| egui::RichText::new(text).size(26.0).strong();
        ui.horizontal_wrapped(|ui| {
            theme::flag_swatch(ui, order.flag);
            ui.label(big(order.order_no.clone()));
            ui.label(
                egui::RichText::new(format!(
                    "{} {}",
                    crate::ui::i18n::platform_text(&order.platform, lang),
                    order
                        .batch
                        .map(|(b, slot)| format!(
                            "· {} {} · {} {slot}",
                            Tx::Batch.tr(lang),
                            crate::store::batch_number(b),
                            Tx::Slot.tr(lang)
                        ))
                        .unwrap_or_default()
                ))
                .size(18.0),
            );
        });
        ui.label(
            egui::RichText::new(format!(
                "{}: {} {}  ·  {}",
                Tx::Receiver.tr(lang),
                order.receiver_name,
                crate::domain::shipping::mask_phone(&order.receiver_phone),
                order.address
            ))
            .size(20.0),
        );
        ui.label(
            egui::RichText::new(format!(
                "{}: {} {}",
                Tx::Courier.tr(lang),
                order.courier,
                order.tracking_no
            ))
            .size(20.0),
        );
        if !order.seller_remark.is_empty() {
            ui.label(
                egui::RichText::new(format!("{}: {}", Tx::Remark.tr(lang), order.seller_remark))
                    .size(20.0)
                    .color(theme::LOW_STOCK),
            );
        }
        if !order.buyer_message.is_empty() {
            ui.label(
                egui::RichText::new(format!(
                    "{}: {}",
                    Tx::BuyerMessage.tr(lang),
                    order.buyer_message
                ))
                .size(20.0)
                .color(theme::LOW_STOCK),
            );
        }
        ui.add_space(8.0);
        ui.label(big(format!(
            "{} / {} {}",
            bench.check.packed(),
            bench.check.expected(),
            Tx::Pieces.tr(lang)
        )));
        let items = bench.check.items.clone();
        let weight = bench.weight;
        let mut confirm: Option<(usize, i64)> = None;
        egui::Grid::new("pack-items")
            .striped(true)
            .spacing([18.0, 10.0])
            .show(ui, |ui| {
                for title in [
                    Tx::ColBin,
                    Tx::ColCode,
                    Tx::ColItem,
                    Tx::ColWanted,
                    Tx::ColPacked,
                ] {
                    ui.label(egui::RichText::new(title.tr(lang)).size(16.0).strong());
                }
                ui.end_row();
                for (i, item) in items.iter().enumerate() {
                    let done = item.packed == item.expected;
                    let colour = if done {
                        theme::state_colour(crate::domain::OrderState::Shipped)
                    } else {
                        ui.visuals().text_color()
                    };
                    let cell = |t: &str| egui::RichText::new(t).size(22.0).color(colour);
                    ui.label(cell(&item.bin));
                    ui.label(cell(&item.code));
                    // Names often carry their attributes already ("T恤 黑色 M"): say them once.
                    let named = item.attributes.split('/').all(|v| item.name.contains(v));
                    let name = if item.attributes.is_empty() || named {
                        item.name.clone()
                    } else {
                        format!("{} · {}", item.name, item.attributes)
                    };
                    ui.label(cell(&name));
                    ui.label(cell(&item.expected.to_string()));
                    match &mut self.quantity_draft {
                        Some((at, text)) if *at == i => {
                            let edit = ui.add(
                                egui::TextEdit::singleline(text)
                                    .desired_width(70.0)
                                    .font(egui::TextStyle::Heading),
                            );
                            edit.request_focus();
                            if edit.lost_focus() {
                                if ui.input(|inp| inp.key_pressed(egui::Key::Enter))
                                    && let Ok(n) = text.trim().parse::<i64>()
                                {
                                    confirm = Some((i, n));
                                }
                                self.quantity_draft = None;
                            }
                        }
                        _ => {
                            let packed = ui
                                .add(
                                    egui::Label::new(cell(&item.packed.to_string()))
                                        .sense(egui::Sense::click()),
                                )
                                .on_hover_text(Tx::TypeQuantity.tr(lang));
                            if packed.clicked() && !done {
                                self.quantity_draft = Some((i, item.packed.to_string()));
                            }
                        }
                    }
                    ui.end_row();
                }
            });
        if let Some((item, n)) = confirm
            && let Some(bench) = &mut self.bench
        {
            match bench.check.confirm(item, n) {
                ScanOutcome::Counted { done: true, .. } => self.ship(commands),
                ScanOutcome::Stopped(mismatch) => self.mismatch(mismatch, commands),
                _ => {}
            }
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            ui.label(format!(
                "{}: {}",
                Tx::Weight.tr(lang),
                weight.map_or_else(|| "–".to_owned(), |g| format!("{g} g"))
            ));
            ui.label(egui::RichText::new(Tx::WeightHint.tr(lang)).weak());
        });
        ui.horizontal(|ui| {
            if ui.button(Tx::Override.tr(lang)).clicked() {
                self.override_draft = Some((String::new(), String::new()));
            }
            if ui.button(Tx::Leave.tr(lang)).clicked() {
                self.leave(commands);
            }
        });
    }

    fn override_ui(&mut self, ctx: &egui::Context, lang: Language, commands: &mut Vec<Command>) {
        let Some((reason, _)) = self.override_draft.as_mut() else {
            return;
        };
        let mut ship = false;
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("pack-override")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading(Tx::OverrideTitle.tr(lang));
            let label = ui.label(Tx::OverrideReason.tr(lang));
            let edit = ui
                .add(egui::TextEdit::singleline(reason).desired_width(420.0))
                .labelled_by(label.id);
            if !edit.has_focus() && reason.is_empty() {
                edit.request_focus();
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(
                        !reason.trim().is_empty(),
                        egui::Button::new(Tx::OverrideShip.tr(lang)),
                    )
                    .clicked()
                {
                    ship = true;
                }
                if ui.button(T::Cancel.tr(lang)).clicked() {
                    close = true;
                }
            });
        });
        if modal.should_close() {
            close = true;
        }
        if ship && let (Some((reason, _)), Some(bench)) = (self.override_draft.take(), &self.bench)
        {
            self.waiting = Some(Waiting::Ship);
            commands.push(store(PackRequest::Override {
                id: bench.order.id,
                reason: reason.trim().to_owned(),
                weight: bench.weight,
            }));
        } else if close {
            self.override_draft = None;
        }
    }

    fn batch_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let Some(batch) = &self.batch else {
            return;
        };
        ui.heading(format!("{} {}", Tx::Batch.tr(lang), batch.number));
        let mut open = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("pack-batch-grid")
                .striped(true)
                .show(ui, |ui| {
                    for title in [Tx::Slot, Tx::Order, Tx::Receiver, Tx::State] {
                        ui.strong(title.tr(lang));
                    }
                    ui.end_row();
                    for slot in &batch.slots {
                        ui.label(slot.slot.to_string());
                        if ui.link(&slot.order_no).clicked() {
                            open = Some(slot.order_id);
                        }
                        ui.label(&slot.receiver_name);
                        ui.colored_label(
                            theme::state_colour(slot.state),
                            state_text(slot.state).tr(lang),
                        );
                        ui.end_row();
                    }
                });
        });
        if let Some(id) = open
            && self.waiting.is_none()
        {
            self.passed = None;
            self.waiting = Some(Waiting::Find);
            commands.push(store(PackRequest::Open(id)));
        }
    }
}

/// The code part of a scan (`A001*3` → `A001`).
fn scan_code(scan: &str) -> &str {
    match scan.trim().rsplit_once('*') {
        Some((code, n)) if !n.is_empty() && n.trim().bytes().all(|b| b.is_ascii_digit()) => {
            code.trim()
        }
        _ => scan.trim(),
    }
}

fn passed_ui(ui: &mut egui::Ui, lang: Language, passed: &Passed) {
    let green = theme::state_colour(crate::domain::OrderState::Shipped);
    egui::Frame::new()
        .fill(green)
        .inner_margin(24.0)
        .corner_radius(6.0)
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            ui.label(
                egui::RichText::new(format!("✔ {} {}", Tx::Shipped.tr(lang), passed.order_no))
                    .size(40.0)
                    .strong()
                    .color(theme::ON_BANNER),
            );
            let weight = passed
                .weight
                .map(|g| format!(" · {g} g"))
                .unwrap_or_default();
            let when = if passed.pending {
                Tx::ShipsWhenFree.tr(lang).to_owned()
            } else {
                passed.at.get(11..19).unwrap_or(&passed.at).to_owned()
            };
            ui.label(
                egui::RichText::new(format!("{when}{weight}"))
                    .size(22.0)
                    .color(theme::ON_BANNER),
            );
            ui.add_space(8.0);
            ui.label(
                egui::RichText::new(Tx::ShippedNext.tr(lang))
                    .size(22.0)
                    .color(theme::ON_BANNER),
            );
        });
}

/// The large title and the reason of a stop, in the window's language.
pub fn stop_text(stop: &Stop, lang: Language) -> (String, String) {
    match stop {
        Stop::Mismatch(Mismatch::NotInOrder { scanned }) => (
            Tx::StopTitleMismatch.tr(lang).to_owned(),
            format!("{scanned} {}", Tx::WrongItem.tr(lang)),
        ),
        Stop::Mismatch(Mismatch::TooMany {
            code,
            name,
            expected,
            ..
        }) => (
            Tx::StopTitleTooMany.tr(lang).to_owned(),
            format!(
                "{} {code} {name} ({} {expected})",
                Tx::TooMany.tr(lang),
                Tx::Wanted.tr(lang)
            ),
        ),
        Stop::Refused { order_no, reason } => (
            Tx::StopTitleRefused.tr(lang).to_owned(),
            format!("{order_no}: {}", refusal_text(reason, lang)),
        ),
        Stop::NotFound(scan) => (
            Tx::StopTitleNotFound.tr(lang).to_owned(),
            format!("{scan}: {}", Tx::NotFound.tr(lang)),
        ),
        Stop::Voided(number) => (
            Tx::StopTitleRefused.tr(lang).to_owned(),
            format!("{number}: {}", Tx::Voided.tr(lang)),
        ),
        Stop::Changed(order_no) => (
            Tx::StopTitleChanged.tr(lang).to_owned(),
            format!("{order_no}: {}", Tx::Changed.tr(lang)),
        ),
        Stop::Handover(refusal) => (
            Tx::StopTitleRefused.tr(lang).to_owned(),
            handover::refusal_text(refusal, lang),
        ),
    }
}

/// Why an order must not leave, in the window's language.
pub fn refusal_text(reason: &PackRefusal, lang: Language) -> String {
    match reason {
        PackRefusal::AlreadyShipped { at, by } => format!(
            "{} {} {} {by}",
            Tx::RefusedShipped.tr(lang),
            at.get(..19).unwrap_or(at).replace('T', " "),
            Tx::RefusedShippedBy.tr(lang),
        ),
        PackRefusal::Cancelled => Tx::RefusedCancelled.tr(lang).to_owned(),
        PackRefusal::ClosedByPlatform => Tx::RefusedClosed.tr(lang).to_owned(),
        PackRefusal::Refunded => Tx::RefusedRefunded.tr(lang).to_owned(),
        PackRefusal::OnHold => Tx::RefusedOnHold.tr(lang).to_owned(),
        PackRefusal::NotPrinted(state) => format!(
            "{} ({})",
            Tx::RefusedNotPrinted.tr(lang),
            state_text(*state).tr(lang)
        ),
        PackRefusal::Unmatched => Tx::RefusedUnmatched.tr(lang).to_owned(),
    }
}

impl crate::ui::Page for PackTab {
    fn page_ui(&mut self, ui: &mut egui::Ui, cx: &mut crate::ui::TabCx<'_>) {
        ui.horizontal(|ui| {
            for (view, label) in [
                (PackView::Check, Tx::ViewCheck),
                (PackView::Handover, Tx::ViewHandover),
            ] {
                if ui
                    .selectable_label(self.view == view, label.tr(cx.lang))
                    .clicked()
                {
                    self.view = view;
                }
            }
        });
        ui.separator();
        match self.view {
            PackView::Check => self.check_ui(ui, cx.lang, cx.commands),
            PackView::Handover => self.handover.ui(
                ui,
                cx.lang,
                cx.shipping,
                &mut self.beeps,
                self.sound,
                cx.commands,
            ),
        }
    }

    fn changed(&mut self, changed: crate::app::Changed) {
        use crate::app::Changed;
        if changed.touches(Changed::ORDERS | Changed::SHIPPING | Changed::SETTINGS) {
            self.counters_asked = false;
            self.handover.invalidate();
        }
    }

    fn failed(&mut self) {
        PackTab::failed(self);
        self.handover.failed();
    }
}
