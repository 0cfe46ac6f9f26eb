//! The shipping tabs (Pick lists, Waybills) and what they share: the data both show, as it
//! arrived from the store, the store's answers for them, and the print job.

pub mod picklists;
pub mod texts;
pub mod waybills;

use std::path::{Path, PathBuf};

use crate::app::jobs::JobKind;
use crate::app::print::{Opened, PrintSummary, Printed};
use crate::app::shipping::{
    Done, PrintJob, PrintKind, Reply as ShipReply, Request as ShipRequest, document_path,
};
use crate::store::{BatchRow, CourierRow, Language, OrderRow, default_documents_dir};
use crate::ui::backend::Request;
use crate::ui::i18n::{Counted, ORDERS, T, count_text};
use crate::ui::widgets::{Opening, cannot_open_text};
use crate::ui::{Command, JobStart, ShopDeskApp};
use texts::Tx;

pub use picklists::PickListsTab;
pub use waybills::WaybillsTab;

/// What both shipping tabs show, as it arrived from the store.
pub struct ShippingData {
    /// Approved orders that can print now, oldest first; `None` until asked.
    pub candidates: Option<Vec<OrderRow>>,
    pub batches: Option<Vec<BatchRow>>,
    pub couriers: Option<Vec<CourierRow>>,
    /// The orders of one batch in slot order.
    pub batch_orders: Option<(i64, Vec<OrderRow>)>,
    /// The last document printed.
    pub last: Option<Printed>,
    /// Open each new PDF in the system viewer.
    pub open_when_done: bool,
    /// Send each new PDF to the default printer (`lp`).
    pub send_to_printer: bool,
    /// The documents folder chosen in Settings, as last saved.
    pub documents_dir: PathBuf,
    /// A folder that wins over the setting, so that tests can write where they look.
    pub out_dir: Option<PathBuf>,
}

impl Default for ShippingData {
    fn default() -> ShippingData {
        ShippingData {
            candidates: None,
            batches: None,
            couriers: None,
            batch_orders: None,
            last: None,
            open_when_done: true,
            send_to_printer: false,
            documents_dir: default_documents_dir(),
            out_dir: None,
        }
    }
}

impl ShippingData {
    /// Forgets what was loaded, so the tabs ask again.
    pub fn invalidate(&mut self) {
        self.candidates = None;
        self.batches = None;
        self.couriers = None;
        self.batch_orders = None;
    }

    /// Asks for whatever is missing.
    pub fn request_missing(&mut self, commands: &mut Vec<Command>, asked: &mut bool) {
        if *asked {
            return;
        }
        *asked = true;
        for request in [
            ShipRequest::Candidates,
            ShipRequest::Batches,
            ShipRequest::Couriers,
        ] {
            commands.push(Command::Store(Request::Shipping(request)));
        }
    }

    /// The folder new documents go to.
    pub fn dir(&self) -> &Path {
        self.out_dir.as_deref().unwrap_or(&self.documents_dir)
    }

    /// A print job for a document kind, with the PDF path and the after-print options.
    pub fn job(&self, kind: PrintKind, name: &str) -> PrintJob {
        PrintJob {
            kind,
            out: document_path(self.dir(), name, "pdf"),
            open: self.open_when_done,
            lp: self.send_to_printer,
        }
    }
}

/// Order lines, pieces, prints and tracking numbers, counted.
const LINES: Counted = ("{n} line", "{n} lines", "{n} 行");
const PIECES: Counted = ("{n} piece", "{n} pieces", "{n} 件");
pub(crate) const PRINTS: Counted = ("{n} print", "{n} prints", "{n} 次打印");
const NOW_PRINTED: Counted = ("{n} now printed", "{n} now printed", "{n} 个已转为已打印");
const REPRINTED: Counted = ("{n} reprinted", "{n} reprinted", "{n} 个重打");
const TRACKING_ADDED: Counted = (
    "{n} tracking number added",
    "{n} tracking numbers added",
    "{n} 个运单号已添加",
);
const SKIPPED: Counted = ("{n} skipped", "{n} skipped", "{n} 个已跳过");

/// Draws, writes and records a document on a job thread, with progress and cancel.
pub fn print(job: PrintJob) -> Command {
    Command::Job(JobStart::new(
        JobKind::Print,
        job.orders() as u64,
        move |store, _operator, tick| {
            crate::app::shipping::print(store, &job, tick)
                .map(|printed| ShipReply::Printed(Box::new(printed)))
        },
    ))
}

/// What a print produced, in the window's language.
fn summary_text(printed: &Printed, lang: Language) -> String {
    let orders = count_text(printed.orders as i64, ORDERS, lang);
    match &printed.summary {
        PrintSummary::PickList {
            batch_no,
            lines,
            pieces,
        } => format!(
            "{} {batch_no}: {orders}, {}, {}",
            Tx::ShipPickListDoc.tr(lang),
            count_text(*lines as i64, LINES, lang),
            count_text(*pieces, PIECES, lang)
        ),
        PrintSummary::Slips => format!("{}: {orders}", Tx::ShipSlipsDoc.tr(lang)),
        PrintSummary::Waybills { courier, size } => format!(
            "{}: {orders}, {courier} ({})",
            Tx::ShipWaybillsDoc.tr(lang),
            size.map_or(Tx::ShipPreprintedForm.tr(lang), |s| s.code())
        ),
    }
}

/// What a shipping action did, in the window's language.
fn done_text(done: &Done, lang: Language) -> String {
    match done {
        Done::CourierSaved(code) => format!("{code}: {}", T::Saved.tr(lang)),
        Done::TrackingAdded { added, rejected } => {
            let mut text = count_text(*added as i64, TRACKING_ADDED, lang);
            if !rejected.is_empty() {
                let first: Vec<String> = rejected
                    .iter()
                    .take(3)
                    .map(|(n, why)| format!("{n}: {why}"))
                    .collect();
                text.push_str(&format!(
                    ", {} ({})",
                    count_text(rejected.len() as i64, SKIPPED, lang),
                    first.join("; ")
                ));
            }
            text
        }
        Done::TrackingSet { courier, number } => format!("{courier} {number}"),
        Done::CourierChanged {
            order_no,
            voided,
            courier,
            number,
        } => match voided {
            Some(old) => format!("{order_no}: {old} → {courier} {number}"),
            None => format!("{order_no}: {courier} {number}"),
        },
        Done::Calibrated(path) => {
            format!("{} → {}", Tx::ShipCalibration.tr(lang), path.display())
        }
        Done::Exported(files) if files.is_empty() => count_text(0, ORDERS, lang),
        Done::Exported(files) => files
            .iter()
            .map(|(platform, orders, path)| {
                format!(
                    "{}: {} → {}",
                    crate::ui::i18n::platform_text(platform, lang),
                    count_text(*orders as i64, ORDERS, lang),
                    path.display()
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

impl ShopDeskApp {
    /// Applies the store's answers for the shipping tabs.
    pub(super) fn apply_shipping(&mut self, reply: ShipReply) {
        match reply {
            ShipReply::Candidates(rows) => self.shipping.candidates = Some(rows),
            ShipReply::Batches(rows) => {
                if self.tabs.picklists.select_newest
                    && self.job.is_none()
                    && let Some(newest) = rows.first()
                {
                    self.tabs.picklists.select_newest = false;
                    self.tabs.picklists.batch = Some(newest.id);
                    self.backend.send(ShipRequest::BatchOrders(newest.id));
                }
                self.shipping.batches = Some(rows);
            }
            ShipReply::BatchOrders(batch, rows) => {
                self.shipping.batch_orders = Some((batch, rows));
            }
            ShipReply::Couriers(rows) => {
                self.tabs.settings_tab.couriers.rows = Some(rows.clone());
                self.tabs.waybills.courier_setup.rows = Some(rows.clone());
                self.shipping.couriers = Some(rows);
            }
            ShipReply::Done(done) => {
                let text = done_text(&done, self.language());
                self.notice(text, false);
            }
            ShipReply::Printed(printed) => self.apply_printed(*printed),
        }
    }

    /// A print job ended.
    fn apply_printed(&mut self, printed: Printed) {
        let lang = self.language();
        let mut summary = summary_text(&printed, lang);
        if let Some(answer) = &printed.printer {
            summary.push_str(&format!("; {}: {answer}", Tx::ShipPrinterAnswer.tr(lang)));
        }
        let text = format!(
            "{summary} → {} · {}, {}",
            printed.path.display(),
            count_text(printed.outcome.printed as i64, NOW_PRINTED, lang),
            count_text(printed.outcome.reprinted as i64, REPRINTED, lang)
        );
        self.notice(text, false);
        if !printed.warnings.is_empty() {
            let more = printed.warnings.len().saturating_sub(5);
            let mut text = printed.warnings[..printed.warnings.len().min(5)].join("; ");
            if more > 0 {
                text.push_str(&format!("; +{more}"));
            }
            self.notice(text, true);
        }
        if let Opened::Failed(_) = &printed.opened {
            let text = cannot_open_text(lang, Opening::Pdf, &printed.path);
            self.notice(text, true);
        }
        self.shipping.last = Some(printed);
    }

    /// Asks again for what the shipping tabs share (each tab forgets its own part when
    /// told what changed).
    pub(super) fn reload_shipping(&mut self) {
        let batch = self.shipping.batch_orders.as_ref().map(|(b, _)| *b);
        self.shipping.invalidate();
        if let Some(batch) = batch {
            self.backend.send(ShipRequest::BatchOrders(batch));
        }
    }
}
