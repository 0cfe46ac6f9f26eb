//! Inventory: products and their ledger, adjustments, purchases and receipts, stock
//! counts, the product CSV. The Inventory tab and the inventory commands both run
//! [`handle`]; a write answers [`Reply::Done`] with what it did.

use std::path::PathBuf;

use crate::domain::inventory::{AdjustReason, parse_scan};
use crate::domain::model::NewProduct;
use crate::import::ParsedProducts;
use crate::store::{
    CountDetail, CountRow, LedgerPage, NewPurchase, ProductDetail, ProductFilter,
    ProductImportSummary, ProductPage, PurchaseRow, Receipt, Store, StoreError,
};

use super::{AppError, Changed, Result, Tick};

/// Movements per ledger page.
pub const LEDGER_PAGE: u32 = 200;

/// A request of the Inventory tab.
#[derive(Debug)]
pub enum Request {
    Products {
        generation: u64,
        filter: ProductFilter,
    },
    ProductDetail(i64),
    SaveProduct {
        product: NewProduct,
        existing: Option<i64>,
    },
    SetActive {
        ids: Vec<i64>,
        active: bool,
    },
    SetBins {
        ids: Vec<i64>,
        bin: String,
    },
    Ledger {
        product_id: i64,
        offset: u32,
    },
    Adjust {
        code: String,
        quantity: i64,
        reason: AdjustReason,
        note: String,
    },
    Purchases {
        all: bool,
    },
    CreatePurchase(NewPurchase),
    Receive {
        id: i64,
        lines: Vec<(String, i64)>,
    },
    CancelPurchase(i64),
    Counts,
    StartCount {
        from: String,
        to: String,
    },
    /// What the scan field received: `CODE`, `CODE*N`, `CODE=N`.
    Scan {
        count_id: i64,
        text: String,
    },
    CountDetail(i64),
    PostCount(i64),
    CancelCount(i64),
    Export(PathBuf),
}

/// A product import parsed and dry-run: what committing would do.
#[derive(Debug)]
pub struct ProductPreview {
    pub file: PathBuf,
    pub parsed: ParsedProducts,
    pub summary: ProductImportSummary,
}

/// The store's answer to an [`Request`].
#[derive(Debug)]
pub enum Reply {
    Products {
        generation: u64,
        page: ProductPage,
    },
    ProductDetail(Box<ProductDetail>),
    Ledger(LedgerPage),
    Purchases(Vec<PurchaseRow>),
    Counts(Vec<CountRow>),
    CountDetail(Box<CountDetail>),
    /// What became of a scan in a stock count.
    Scanned(Scan),
    /// A write succeeded: what it did, said in the window's language by the tab.
    Done(Done),
    /// A product import was parsed and dry-run (the end of a job, not a request).
    Previewed(Box<ProductPreview>),
}

impl Reply {
    /// Writes change the products' figures; a count's scans change only the count.
    pub fn changed(&self) -> Changed {
        match self {
            Reply::Done(_) => Changed::STOCK | Changed::ORDERS,
            _ => Changed::NOTHING,
        }
    }
}

/// What became of one scan in a stock count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scan {
    /// The product now counted at `counted`.
    Counted { code: String, counted: i64 },
    /// Not `CODE`, `CODE*N` or `CODE=N`.
    Unreadable(String),
    /// The count refused it (not part of the count, unknown code…), in the store's words.
    Refused { input: String, reason: String },
}

/// What a write did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Done {
    Saved(String),
    Activated {
        products: usize,
        active: bool,
    },
    Bins {
        products: usize,
        bin: String,
    },
    Adjusted {
        code: String,
        quantity: i64,
        reason: AdjustReason,
        on_hand: i64,
    },
    PurchaseCreated(i64),
    Received {
        id: i64,
        units: i64,
        complete: bool,
    },
    PurchaseCancelled(i64),
    CountStarted(i64),
    /// Products left below zero are named (only when negative stock is allowed).
    CountPosted {
        id: i64,
        adjusted: usize,
        units: i64,
        value_cents: i64,
        negative: Vec<String>,
    },
    CountCancelled(i64),
    Exported {
        products: usize,
        path: PathBuf,
    },
    ProductsImported(ProductImportSummary),
}

impl Done {
    /// Stock went below zero (allowed by the settings): shown as a warning.
    pub fn is_warning(&self) -> bool {
        match self {
            Done::Adjusted { on_hand, .. } => *on_hand < 0,
            Done::CountPosted { negative, .. } => !negative.is_empty(),
            _ => false,
        }
    }
}

fn done(what: Done) -> Reply {
    Reply::Done(what)
}

/// Answers one request of the Inventory tab or an inventory command.
pub fn handle(store: &mut Store, operator: &str, request: Request) -> Result<Reply> {
    Ok(match request {
        Request::Products { generation, filter } => Reply::Products {
            generation,
            page: store.product_page(&filter)?,
        },
        Request::ProductDetail(id) => Reply::ProductDetail(Box::new(store.product_detail(id)?)),
        Request::SaveProduct { product, existing } => {
            store.save_product(&product, existing, operator)?;
            done(Done::Saved(product.code.trim().to_owned()))
        }
        Request::SetActive { ids, active } => {
            let products = store.set_products_active(&ids, active, operator)?;
            done(Done::Activated { products, active })
        }
        Request::SetBins { ids, bin } => {
            let products = store.set_bins(&ids, &bin, operator)?;
            done(Done::Bins {
                products,
                bin: bin.trim().to_owned(),
            })
        }
        Request::Ledger { product_id, offset } => {
            Reply::Ledger(store.ledger_page(product_id, offset, LEDGER_PAGE)?)
        }
        Request::Adjust {
            code,
            quantity,
            reason,
            note,
        } => {
            let on_hand = store.adjust_with_reason(&code, quantity, reason, &note, operator)?;
            done(Done::Adjusted {
                code,
                quantity,
                reason,
                on_hand,
            })
        }
        Request::Purchases { all } => Reply::Purchases(store.purchases(all)?),
        Request::CreatePurchase(purchase) => done(Done::PurchaseCreated(
            store.create_purchase(&purchase, operator)?,
        )),
        Request::Receive { id, lines } => {
            let r = receive(store, operator, id, &lines)?;
            done(Done::Received {
                id,
                units: r.units,
                complete: r.complete,
            })
        }
        Request::CancelPurchase(id) => {
            store.cancel_purchase(id, operator)?;
            done(Done::PurchaseCancelled(id))
        }
        Request::Counts => Reply::Counts(store.stock_counts()?),
        Request::StartCount { from, to } => {
            done(Done::CountStarted(store.start_count(&from, &to, operator)?))
        }
        Request::Scan { count_id, text } => {
            let Some((code, entry)) = parse_scan(&text) else {
                return Ok(Reply::Scanned(Scan::Unreadable(text.trim().to_owned())));
            };
            match store.count_entry(count_id, &code, entry) {
                Ok((code, counted)) => Reply::Scanned(Scan::Counted { code, counted }),
                Err(StoreError::Sqlite(e)) => return Err(StoreError::Sqlite(e).into()),
                Err(e) => Reply::Scanned(Scan::Refused {
                    input: text.trim().to_owned(),
                    reason: e.to_string(),
                }),
            }
        }
        Request::CountDetail(id) => Reply::CountDetail(Box::new(store.count_detail(id)?)),
        Request::PostCount(id) => {
            let p = store.post_count(id, operator)?;
            done(Done::CountPosted {
                id,
                adjusted: p.adjusted,
                units: p.units,
                value_cents: p.value_cents,
                negative: p.negative,
            })
        }
        Request::CancelCount(id) => {
            store.cancel_count(id, operator)?;
            done(Done::CountCancelled(id))
        }
        Request::Export(path) => {
            let products = export_products(store, &path)?;
            done(Done::Exported { products, path })
        }
    })
}

/// Receives a purchase: everything still expected, or only `lines` (code, quantity). The
/// receipt also says on how many lines, which the command line prints.
pub fn receive(
    store: &mut Store,
    operator: &str,
    id: i64,
    lines: &[(String, i64)],
) -> Result<Receipt> {
    Ok(store.receive_purchase(id, lines, operator)?)
}

/// Writes every product to a CSV file that imports back unchanged. Returns how many.
pub fn export_products(store: &Store, path: &std::path::Path) -> Result<usize> {
    let rows = store.export_products()?;
    let write_error = |source: std::io::Error| AppError::Write {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::create(path).map_err(write_error)?;
    crate::import::write_products(&rows, std::io::BufWriter::new(file))
        .map_err(|e| write_error(std::io::Error::other(e)))?;
    Ok(rows.len())
}

/// Parses a product file and dry-runs it: the preview. A file with bad rows is not
/// dry-run; its preview lists them.
pub fn preview_products(
    store: &mut Store,
    file: PathBuf,
    tick: Tick<'_>,
) -> Result<ProductPreview> {
    preview_products_in(store, file, crate::import::EncodingChoice::Auto, tick)
}

/// Writes parsed products in one transaction, or with `dry_run` runs it and rolls it
/// back: what importing would do. Parsed products with bad rows are not written at all.
pub fn write_products(
    store: &mut Store,
    operator: &str,
    parsed: &crate::import::ParsedProducts,
    dry_run: bool,
    tick: Tick<'_>,
) -> Result<ProductImportSummary> {
    if !parsed.rejected.is_empty() {
        return Ok(ProductImportSummary::default());
    }
    Ok(store.import_products(
        &parsed.products,
        &parsed.active,
        dry_run,
        &mut |n| tick(n),
        operator,
    )?)
}

/// [`preview_products`] with the file's encoding given or detected.
pub fn preview_products_in(
    store: &mut Store,
    file: PathBuf,
    encoding: crate::import::EncodingChoice,
    tick: Tick<'_>,
) -> Result<ProductPreview> {
    let mut parsed = crate::import::parse_products(&file, encoding, tick)?;
    parsed.check_components(|code| store.product_is_bundle(code))?;
    // A dry run writes nothing, the audit entry included.
    let summary = write_products(store, "", &parsed, true, &super::keep_going)?;
    Ok(ProductPreview {
        file,
        parsed,
        summary,
    })
}

/// Commits a previewed product import in one transaction.
pub fn commit_products(
    store: &mut Store,
    operator: &str,
    preview: &ProductPreview,
    tick: Tick<'_>,
) -> Result<ProductImportSummary> {
    write_products(store, operator, &preview.parsed, false, tick)
}

impl Request {
    /// What the request needs the operator to be allowed to do (`None`: a read).
    pub fn action(&self) -> Option<crate::domain::operators::Action> {
        use crate::domain::operators::Action;
        match self {
            Request::SaveProduct { .. } | Request::SetActive { .. } | Request::SetBins { .. } => {
                Some(Action::Products)
            }
            Request::Adjust { .. } => Some(Action::StockAdjust),
            Request::CreatePurchase(_) | Request::Receive { .. } | Request::CancelPurchase(_) => {
                Some(Action::Purchases)
            }
            Request::StartCount { .. }
            | Request::Scan { .. }
            | Request::PostCount(_)
            | Request::CancelCount(_) => Some(Action::StockCounts),
            Request::Products { .. }
            | Request::ProductDetail(_)
            | Request::Ledger { .. }
            | Request::Purchases { .. }
            | Request::Counts
            | Request::CountDetail(_)
            | Request::Export(_) => None,
        }
    }
}
