//! The Inventory tab: Products (virtual table, search, low stock, edit dialog,
//! bulk bins, import/export) with the selected product's ledger, Purchases (create,
//! receive in part or in full) and Stock count (盘点: scan, review, post). Requests go to
//! the backend thread; the tab draws what comes back.

mod count;
mod products;
mod purchases;
pub mod texts;

use std::collections::BTreeSet;

use super::i18n::T;
use super::widgets::{FilePicker, ScanField};
use super::{Command, Notices, ask, widgets};
use crate::app::inventory::Scan;
pub use crate::app::inventory::{Done, ProductPreview, Reply as InvReply, Request as InvRequest};
use crate::domain::format_cents;
use crate::domain::inventory::{AdjustReason, CountStatus, count_difference};
use crate::store::{
    CountDetail, CountRow, Language, LedgerPage, LedgerRow, ProductFilter, PurchaseRow, StockRow,
};
use texts::Tx;

/// Products per page of the table.
pub const PRODUCT_PAGE: u32 = 200;

/// The sub-views of the tab.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InvView {
    #[default]
    Products,
    Purchases,
    Count,
}

/// The product dialog's fields, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductDraft {
    /// The product edited; `None` for a new one.
    pub existing: Option<i64>,
    pub code: String,
    pub name: String,
    /// One barcode per line (or separated by `;`).
    pub barcodes: String,
    pub supplier_item_no: String,
    pub bin: String,
    pub price: String,
    pub cost: String,
    pub weight_grams: String,
    pub reorder_point: String,
    /// Bundle components: (code, quantity) as typed.
    pub components: Vec<(String, String)>,
    pub active: bool,
    /// Kept as they are (the dialog does not edit them).
    pub attributes: crate::domain::model::Attributes,
}

/// The adjustment dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdjustDraft {
    pub code: String,
    pub quantity: String,
    pub reason: AdjustReason,
    pub note: String,
}

/// A new purchase being typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PurchaseDraft {
    pub supplier: String,
    pub expected: String,
    pub note: String,
    /// (code, quantity, unit cost) as typed.
    pub lines: Vec<(String, String, String)>,
}

/// A receipt being typed: the purchase and a quantity per line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReceiveDraft {
    pub purchase: i64,
    /// (code, quantity to receive now) per open line.
    pub lines: Vec<(String, String)>,
}

/// The tab's state.
#[derive(Default)]
pub struct InventoryTab {
    pub view: InvView,
    // Products.
    pub search: String,
    pub low_stock_only: bool,
    pub include_inactive: bool,
    generation: u64,
    /// The loaded rows of the product table, in order (pages arrive one after another).
    pub rows: Option<Vec<StockRow>>,
    /// How many products match the filter.
    pub total: u64,
    loading_more: bool,
    pub selected: BTreeSet<i64>,
    /// The product whose ledger shows.
    pub focused: Option<i64>,
    pub ledger: Option<LedgerPage>,
    pub ledger_rows: Vec<LedgerRow>,
    ledger_requested: bool,
    /// A further ledger page is on its way.
    ledger_more: bool,
    pub product_draft: Option<ProductDraft>,
    pub adjust: Option<AdjustDraft>,
    /// The operator may adjust stock (set by the window each frame).
    pub may_adjust: bool,
    pub bulk_bin: Option<String>,
    pub import_open: bool,
    pub import_file: FilePicker,
    pub export_path: String,
    pub preview: Option<Box<ProductPreview>>,
    // Purchases.
    pub purchases: Option<Vec<PurchaseRow>>,
    pub purchases_all: bool,
    pub purchase_draft: Option<PurchaseDraft>,
    pub receive: Option<ReceiveDraft>,
    // Stock count.
    pub counts: Option<Vec<CountRow>>,
    pub count: Option<CountDetail>,
    count_requested: Option<i64>,
    pub bin_from: String,
    pub bin_to: String,
    pub scan: ScanField,
    /// The last scan's result, and whether it was taken.
    pub scan_result: Option<(String, bool)>,
    /// The product of the last accepted scan: its line is highlighted and scrolled to.
    pub last_scanned: Option<String>,
    scroll_to_scanned: bool,
    /// The counted quantity being typed into the table: (product code, text).
    pub count_edit: Option<(String, String)>,
    count_edit_focus: bool,
    /// Review: show only counted lines whose count differs from on hand.
    pub differences_only: bool,
    /// Ask for focus on the scan field on the next frame.
    focus_scan: bool,
    /// The Back button of a finished count was clicked this frame.
    back_to_list: bool,
    /// A post or cancel waiting for its one confirmation.
    pub confirm: Option<Confirm>,
}

/// A destructive action waiting for confirmation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirm {
    PostCount(i64),
    CancelCount(i64),
    CancelPurchase(i64),
    Deactivate(Vec<i64>),
}

/// What a write did, in the window's language.
pub fn done_text(what: &Done, lang: Language) -> String {
    let t = |t: Tx| t.tr(lang);
    match what {
        Done::Saved(code) => format!("{code}: {}", t(Tx::DoneSaved)),
        Done::Activated { products, active } => format!(
            "{products} {}",
            t(if *active {
                Tx::DoneReactivated
            } else {
                Tx::DoneDeactivated
            })
        ),
        Done::Bins { products, bin } => format!("{products} {} {bin}", t(Tx::DoneBins)),
        Done::Adjusted {
            code,
            quantity,
            reason,
            on_hand,
        } => {
            let mut text = format!(
                "{code}: {quantity:+} ({}), {} {on_hand}",
                products::adjust_reason_text(*reason, lang),
                t(Tx::ColOnHand)
            );
            if *on_hand < 0 {
                text.push_str(&format!(" — {}", t(Tx::DoneBelowZero)));
            }
            text
        }
        Done::PurchaseCreated(id) => format!("{} {id}: {}", t(Tx::Purchase), t(Tx::DoneCreated)),
        Done::Received {
            id,
            units,
            complete,
        } => format!(
            "{} {id}: {units} {}{}",
            t(Tx::Purchase),
            t(Tx::DoneUnitsReceived),
            if *complete {
                format!(", {}", t(Tx::DoneComplete))
            } else {
                String::new()
            }
        ),
        Done::PurchaseCancelled(id) => {
            format!("{} {id}: {}", t(Tx::Purchase), t(Tx::PurchaseCancelled))
        }
        Done::CountStarted(id) => format!("{} {id}: {}", t(Tx::Count), t(Tx::CountOpen)),
        Done::CountPosted {
            id,
            adjusted,
            units,
            value_cents,
            negative,
        } => {
            let mut text = format!(
                "{} {id}: {}, {adjusted} {}, {} {units:+}, {} {}",
                t(Tx::Count),
                t(Tx::CountPosted),
                t(Tx::DoneAdjustments),
                t(Tx::DifferenceUnits),
                t(Tx::DifferenceValue),
                format_cents(*value_cents)
            );
            if !negative.is_empty() {
                text.push_str(&format!(
                    " — {}: {}",
                    t(Tx::DoneBelowZero),
                    negative.join(", ")
                ));
            }
            text
        }
        Done::CountCancelled(id) => format!("{} {id}: {}", t(Tx::Count), t(Tx::CountCancelled)),
        Done::Exported { products, path } => {
            format!("{products} {} {}", t(Tx::DoneExported), path.display())
        }
        Done::ProductsImported(s) => format!(
            "{}: {} {}, {} {}, {} {}",
            t(Tx::ImportProducts),
            s.created,
            T::CountNew.tr(lang),
            s.updated,
            T::CountUpdated.tr(lang),
            s.unchanged,
            T::CountUnchanged.tr(lang)
        ),
    }
}

/// Sets a line's counted quantity and recomputes its difference and the totals, with the
/// same rule the store applies.
pub fn patch_count(count: &mut CountDetail, code: &str, counted: i64) {
    if let Some(line) = count.lines.iter_mut().find(|l| l.code == code) {
        line.counted = Some(counted);
        line.difference = count_difference(line.on_hand, Some(counted), line.unit_cost_cents);
    }
    let differences = count.lines.iter().filter_map(|l| l.difference.as_ref());
    count.units = differences.clone().map(|d| d.difference).sum();
    count.value_cents = differences.map(|d| d.value_cents).sum();
    count.row.counted = count.lines.iter().filter(|l| l.counted.is_some()).count() as i64;
}

fn store(request: InvRequest) -> Command {
    ask(request)
}

impl InventoryTab {
    /// Forget what was loaded; the next frame asks again. Selection and focus stay.
    pub fn invalidate(&mut self) {
        self.generation += 1;
        self.rows = None;
        self.total = 0;
        self.loading_more = false;
        self.ledger = None;
        self.ledger_rows.clear();
        self.ledger_requested = false;
        self.ledger_more = false;
        self.purchases = None;
        self.counts = None;
        self.count_requested = None;
    }

    /// Forget the last scan: its result and highlight belong to the count it was made in,
    /// and an error from one count must not be read as if said about the next.
    pub(super) fn forget_scan(&mut self) {
        self.scan_result = None;
        self.last_scanned = None;
        self.scroll_to_scanned = false;
        self.count_edit = None;
    }

    fn filter(&self, offset: u32) -> ProductFilter {
        ProductFilter {
            search: self.search.clone(),
            low_stock_only: self.low_stock_only,
            include_inactive: self.include_inactive,
            offset,
            limit: PRODUCT_PAGE,
        }
    }

    /// Restart the product list after a change of the search or filters.
    fn refilter(&mut self) {
        self.generation += 1;
        self.rows = None;
        self.total = 0;
        self.loading_more = false;
    }

    /// An answer from the store thread or the end of a product-import job.
    pub fn apply(&mut self, reply: InvReply, lang: Language, notices: &mut Notices) {
        match reply {
            InvReply::Products { generation, page } => {
                if generation == self.generation {
                    self.total = page.total;
                    let rows = self.rows.get_or_insert_with(Vec::new);
                    if page.offset as usize == rows.len() {
                        rows.extend(page.rows);
                    }
                    self.loading_more = false;
                }
            }
            InvReply::ProductDetail(detail) => {
                self.product_draft = Some(products::draft_of(&detail));
            }
            InvReply::Ledger(page) => {
                if Some(page.product_id) == self.focused {
                    if page.offset as usize == self.ledger_rows.len() {
                        self.ledger_rows.extend(page.rows.iter().cloned());
                    }
                    self.ledger = Some(page);
                }
                self.ledger_more = false;
            }
            InvReply::Purchases(rows) => self.purchases = Some(rows),
            InvReply::Counts(rows) => {
                // Show the open count, if any, straight away.
                if self.count.is_none()
                    && let Some(open) = rows.iter().find(|c| c.status == CountStatus::Open)
                {
                    self.count_requested = None;
                    self.forget_scan();
                    self.count = Some(CountDetail {
                        row: open.clone(),
                        ..CountDetail::default()
                    });
                }
                self.counts = Some(rows);
            }
            InvReply::CountDetail(detail) => {
                self.count = Some(*detail);
            }
            InvReply::Scanned(scan) => {
                self.focus_scan = true;
                match scan {
                    Scan::Counted { code, counted } => {
                        self.scan_result = Some((format!("{code}: {counted}"), true));
                        // Patch the line here instead of fetching the whole count again.
                        if let Some(count) = &mut self.count {
                            patch_count(count, &code, counted);
                        }
                        self.scroll_to_scanned = true;
                        self.last_scanned = Some(code);
                    }
                    Scan::Unreadable(input) => {
                        self.scan_result = Some((format!("{input}: CODE, CODE*N, CODE=N"), false));
                    }
                    Scan::Refused { reason, .. } => self.scan_result = Some((reason, false)),
                }
            }
            InvReply::Done(what) => {
                if matches!(what, Done::ProductsImported(_)) {
                    self.preview = None;
                }
                self.product_draft = None;
                self.adjust = None;
                self.bulk_bin = None;
                self.purchase_draft = None;
                self.receive = None;
                if matches!(
                    what,
                    Done::CountStarted(_) | Done::CountPosted { .. } | Done::CountCancelled(_)
                ) {
                    self.forget_scan();
                }
                notices.push(done_text(&what, lang), what.is_warning());
            }
            InvReply::Previewed(preview) => self.preview = Some(preview),
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Language,
        busy: bool,
        commands: &mut Vec<Command>,
    ) {
        ui.horizontal(|ui| {
            for (view, label) in [
                (InvView::Products, Tx::InvProducts),
                (InvView::Purchases, Tx::InvPurchases),
                (InvView::Count, Tx::InvCount),
            ] {
                if ui
                    .selectable_label(self.view == view, label.tr(lang))
                    .clicked()
                {
                    self.view = view;
                    // A scanner types into whatever has the focus: give it the scan field.
                    self.focus_scan = view == InvView::Count;
                }
            }
        });
        ui.separator();
        match self.view {
            InvView::Products => self.products_ui(ui, lang, busy, commands),
            InvView::Purchases => self.purchases_ui(ui, lang, commands),
            InvView::Count => self.count_ui(ui, lang, commands),
        }
        self.confirm_ui(ui, lang, commands);
    }

    fn confirm_ui(&mut self, ui: &mut egui::Ui, lang: Language, commands: &mut Vec<Command>) {
        let confirmed = widgets::confirm_ui(
            ui.ctx(),
            lang,
            "inventory-confirm",
            &mut self.confirm,
            |confirm| match confirm {
                Confirm::PostCount(id) => format!("{} {id}?", Tx::ConfirmPostCount.tr(lang)),
                Confirm::CancelCount(id) => format!("{} {id}?", Tx::ConfirmCancelCount.tr(lang)),
                Confirm::CancelPurchase(id) => {
                    format!("{} {id}?", Tx::ConfirmCancelPurchase.tr(lang))
                }
                Confirm::Deactivate(ids) => {
                    format!("{} ({})?", Tx::ConfirmDeactivate.tr(lang), ids.len())
                }
            },
            Tx::Yes.tr(lang),
        );
        let Some(confirm) = confirmed else {
            return;
        };
        let request = match confirm {
            Confirm::PostCount(id) => InvRequest::PostCount(id),
            Confirm::CancelCount(id) => InvRequest::CancelCount(id),
            Confirm::CancelPurchase(id) => InvRequest::CancelPurchase(id),
            Confirm::Deactivate(ids) => InvRequest::SetActive { ids, active: false },
        };
        commands.push(store(request));
    }
}

/// A centred, non-collapsible dialog window: every Inventory dialog opens the same way.
fn dialog<'a>(
    ctx: &egui::Context,
    title: impl Into<egui::WidgetText>,
    id: &'static str,
) -> egui::Window<'a> {
    egui::Window::new(title)
        .id(egui::Id::unique(id))
        .collapsible(false)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
}

impl crate::ui::Page for InventoryTab {
    fn page_ui(&mut self, ui: &mut egui::Ui, cx: &mut crate::ui::TabCx<'_>) {
        self.ui(ui, cx.lang, cx.busy, cx.commands);
    }

    fn changed(&mut self, changed: crate::app::Changed) {
        use crate::app::Changed;
        if changed.touches(Changed::STOCK | Changed::SETTINGS) {
            self.invalidate();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::CountLineRow;

    fn line(code: &str, on_hand: i64, counted: Option<i64>) -> CountLineRow {
        CountLineRow {
            product_id: 0,
            code: code.to_owned(),
            name: String::new(),
            bin: String::new(),
            expected: on_hand,
            on_hand,
            counted,
            unit_cost_cents: 100,
            difference: count_difference(on_hand, counted, 100),
        }
    }

    #[test]
    fn a_scan_patches_its_line_and_the_totals() {
        let mut count = CountDetail {
            lines: vec![line("A", 10, None), line("B", 5, Some(6))],
            ..CountDetail::default()
        };
        patch_count(&mut count, "A", 7);
        assert_eq!(count.lines[0].counted, Some(7));
        assert_eq!((count.units, count.value_cents), (-3 + 1, -200));
        assert_eq!(count.row.counted, 2);
        patch_count(&mut count, "nope", 1);
        assert_eq!(count.units, -2, "an unknown code changes nothing");
    }

    #[test]
    fn what_a_write_did_is_said_in_both_languages() {
        let posted = Done::CountPosted {
            id: 3,
            adjusted: 2,
            units: -4,
            value_cents: -1250,
            negative: vec!["CUP".to_owned()],
        };
        assert!(posted.is_warning());
        let en = done_text(&posted, Language::English);
        assert_eq!(
            en,
            "Count 3: posted, 2 adjustment(s), Difference -4, value at cost -12.50 — below \
             zero (allowed by Settings): count it soon: CUP"
        );
        let zh = done_text(&posted, Language::Chinese);
        assert!(zh.starts_with("盘点单 3: 已过账"), "{zh}");
        let adjusted = Done::Adjusted {
            code: "CUP".to_owned(),
            quantity: 2,
            reason: AdjustReason::Found,
            on_hand: 12,
        };
        assert!(!adjusted.is_warning());
        assert_eq!(
            done_text(&adjusted, Language::English),
            "CUP: +2 (found), On hand 12"
        );
    }
}
