//! What the Inventory tab asks of the store and what comes back. The backend thread
//! (`../backend.rs`) hands [`InvRequest`]s to [`answer`]; writes answer [`InvReply::Done`]
//! and the tab reloads what it shows.

use std::path::PathBuf;

use crate::domain::inventory::{AdjustReason, parse_scan};
use crate::domain::model::NewProduct;
use crate::import::ParsedProducts;
use crate::store::{
    CountDetail, CountRow, LedgerPage, NewPurchase, ProductDetail, ProductFilter,
    ProductImportSummary, ProductPage, PurchaseRow, Store, StoreError,
};

/// Movements per ledger page.
pub const LEDGER_PAGE: u32 = 200;

/// A request of the Inventory tab.
#[derive(Debug)]
pub enum InvRequest {
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

/// The store's answer to an [`InvRequest`].
#[derive(Debug)]
pub enum InvReply {
    Products {
        generation: u64,
        page: ProductPage,
    },
    ProductDetail(Box<ProductDetail>),
    Ledger(LedgerPage),
    Purchases(Vec<PurchaseRow>),
    Counts(Vec<CountRow>),
    CountDetail(Box<CountDetail>),
    /// The scan's result in words, and the product counted with its count now (none when
    /// refused).
    Scanned {
        text: String,
        counted: Option<(String, i64)>,
    },
    /// A write succeeded: what it did, said in the window's language by the tab.
    Done(Done),
    /// A product import was parsed and dry-run (from a job thread, not a request).
    Previewed(Result<Box<ProductPreview>, String>),
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

fn done(what: Done) -> InvReply {
    InvReply::Done(what)
}

/// Answers one request on the backend thread.
pub fn answer(store: &mut Store, request: InvRequest) -> crate::store::Result<InvReply> {
    Ok(match request {
        InvRequest::Products { generation, filter } => InvReply::Products {
            generation,
            page: store.product_page(&filter)?,
        },
        InvRequest::ProductDetail(id) => {
            InvReply::ProductDetail(Box::new(store.product_detail(id)?))
        }
        InvRequest::SaveProduct { product, existing } => {
            store.save_product(&product, existing)?;
            done(Done::Saved(product.code.trim().to_owned()))
        }
        InvRequest::SetActive { ids, active } => {
            let products = store.set_products_active(&ids, active)?;
            done(Done::Activated { products, active })
        }
        InvRequest::SetBins { ids, bin } => {
            let products = store.set_bins(&ids, &bin)?;
            done(Done::Bins {
                products,
                bin: bin.trim().to_owned(),
            })
        }
        InvRequest::Ledger { product_id, offset } => {
            InvReply::Ledger(store.ledger_page(product_id, offset, LEDGER_PAGE)?)
        }
        InvRequest::Adjust {
            code,
            quantity,
            reason,
            note,
        } => {
            let on_hand = store.adjust_with_reason(&code, quantity, reason, &note)?;
            done(Done::Adjusted {
                code,
                quantity,
                reason,
                on_hand,
            })
        }
        InvRequest::Purchases { all } => InvReply::Purchases(store.purchases(all)?),
        InvRequest::CreatePurchase(purchase) => {
            done(Done::PurchaseCreated(store.create_purchase(&purchase)?))
        }
        InvRequest::Receive { id, lines } => {
            let r = store.receive_purchase(id, &lines)?;
            done(Done::Received {
                id,
                units: r.units,
                complete: r.complete,
            })
        }
        InvRequest::CancelPurchase(id) => {
            store.cancel_purchase(id)?;
            done(Done::PurchaseCancelled(id))
        }
        InvRequest::Counts => InvReply::Counts(store.stock_counts()?),
        InvRequest::StartCount { from, to } => {
            done(Done::CountStarted(store.start_count(&from, &to)?))
        }
        InvRequest::Scan { count_id, text } => {
            let Some((code, entry)) = parse_scan(&text) else {
                return Ok(InvReply::Scanned {
                    text: format!("{}: CODE, CODE*N, CODE=N", text.trim()),
                    counted: None,
                });
            };
            match store.count_entry(count_id, &code, entry) {
                Ok((code, counted)) => InvReply::Scanned {
                    text: format!("{code}: {counted}"),
                    counted: Some((code, counted)),
                },
                Err(StoreError::Sqlite(e)) => return Err(StoreError::Sqlite(e)),
                Err(e) => InvReply::Scanned {
                    text: e.to_string(),
                    counted: None,
                },
            }
        }
        InvRequest::CountDetail(id) => InvReply::CountDetail(Box::new(store.count_detail(id)?)),
        InvRequest::PostCount(id) => {
            let p = store.post_count(id)?;
            done(Done::CountPosted {
                id,
                adjusted: p.adjusted,
                units: p.units,
                value_cents: p.value_cents,
                negative: p.negative,
            })
        }
        InvRequest::CancelCount(id) => {
            store.cancel_count(id)?;
            done(Done::CountCancelled(id))
        }
        InvRequest::Export(path) => {
            let rows = store.export_products()?;
            let file = std::fs::File::create(&path).map_err(|e| {
                StoreError::Invalid(format!("cannot write {}: {e}", path.display()))
            })?;
            crate::import::write_products(&rows, std::io::BufWriter::new(file)).map_err(|e| {
                StoreError::Invalid(format!("cannot write {}: {e}", path.display()))
            })?;
            done(Done::Exported {
                products: rows.len(),
                path,
            })
        }
    })
}

/// Parses a product file and dry-runs it (the preview), on a job thread.
pub fn preview_products(
    db: &std::path::Path,
    file: PathBuf,
    tick: &dyn Fn(u64) -> bool,
) -> Result<Box<ProductPreview>, String> {
    let parsed = crate::import::parse_products(&file, crate::import::EncodingChoice::Auto, tick)
        .map_err(|e| e.to_string())?;
    let summary = if parsed.rejected.is_empty() {
        let mut store = Store::open(db).map_err(|e| e.to_string())?;
        store
            .import_products(&parsed.products, &parsed.active, true, &mut |_| true)
            .map_err(|e| e.to_string())?
    } else {
        ProductImportSummary::default()
    };
    Ok(Box::new(ProductPreview {
        file,
        parsed,
        summary,
    }))
}

/// Commits a previewed product import, on a job thread.
pub fn commit_products(
    db: &std::path::Path,
    preview: &ProductPreview,
    tick: &dyn Fn(u64) -> bool,
) -> Result<String, String> {
    let mut store = Store::open(db).map_err(|e| e.to_string())?;
    let s = store
        .import_products(
            &preview.parsed.products,
            &preview.parsed.active,
            false,
            &mut |n| tick(n),
        )
        .map_err(|e| e.to_string())?;
    Ok(format!(
        "products imported: {} new, {} updated",
        s.created, s.updated
    ))
}
