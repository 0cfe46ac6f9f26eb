//! What the Inventory tab asks of the store and what comes back. The backend thread
//! (`../backend.rs`) hands [`InvRequest`]s to [`answer`]; writes answer [`InvReply::Done`]
//! and the tab reloads what it shows.

use std::path::PathBuf;

use crate::domain::format_cents;
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
    /// A write succeeded; the message says what it did. `warning` for stock below zero.
    Done {
        text: String,
        warning: bool,
    },
    /// A product import was parsed and dry-run (from a job thread, not a request).
    Previewed(Result<Box<ProductPreview>, String>),
}

fn done(text: String) -> InvReply {
    InvReply::Done {
        text,
        warning: false,
    }
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
            done(format!("{} saved", product.code.trim()))
        }
        InvRequest::SetActive { ids, active } => {
            let n = store.set_products_active(&ids, active)?;
            done(format!(
                "{n} product(s) {}",
                if active { "reactivated" } else { "deactivated" }
            ))
        }
        InvRequest::SetBins { ids, bin } => {
            let n = store.set_bins(&ids, &bin)?;
            done(format!("{n} product(s) moved to bin {}", bin.trim()))
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
            let after = store.adjust_with_reason(&code, quantity, reason, &note)?;
            let mut text = format!("{code}: {quantity:+} ({}), on hand {after}", reason.code());
            if after < 0 {
                text.push_str(" — below zero (Settings allow negative stock): count it soon");
            }
            InvReply::Done {
                text,
                warning: after < 0,
            }
        }
        InvRequest::Purchases { all } => InvReply::Purchases(store.purchases(all)?),
        InvRequest::CreatePurchase(purchase) => {
            let id = store.create_purchase(&purchase)?;
            done(format!("purchase {id} created"))
        }
        InvRequest::Receive { id, lines } => {
            let r = store.receive_purchase(id, &lines)?;
            done(format!(
                "purchase {id}: {} unit(s) received{}",
                r.units,
                if r.complete { ", complete" } else { "" }
            ))
        }
        InvRequest::CancelPurchase(id) => {
            store.cancel_purchase(id)?;
            done(format!("purchase {id} cancelled"))
        }
        InvRequest::Counts => InvReply::Counts(store.stock_counts()?),
        InvRequest::StartCount { from, to } => {
            let id = store.start_count(&from, &to)?;
            done(format!("count {id} started"))
        }
        InvRequest::Scan { count_id, text } => {
            let Some((code, entry)) = parse_scan(&text) else {
                return Ok(InvReply::Scanned {
                    text: format!("{}: write CODE, CODE*N or CODE=N", text.trim()),
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
            let mut text = format!(
                "count {id} posted: {} adjustment(s), {:+} unit(s), {}",
                p.adjusted,
                p.units,
                format_cents(p.value_cents)
            );
            if !p.negative.is_empty() {
                text.push_str(&format!("; below zero: {}", p.negative.join(", ")));
            }
            InvReply::Done {
                text,
                warning: !p.negative.is_empty(),
            }
        }
        InvRequest::CancelCount(id) => {
            store.cancel_count(id)?;
            done(format!("count {id} cancelled"))
        }
        InvRequest::Export(path) => {
            let rows = store.export_products()?;
            let file = std::fs::File::create(&path).map_err(|e| {
                StoreError::Invalid(format!("cannot write {}: {e}", path.display()))
            })?;
            crate::import::write_products(&rows, std::io::BufWriter::new(file)).map_err(|e| {
                StoreError::Invalid(format!("cannot write {}: {e}", path.display()))
            })?;
            done(format!(
                "{} products written to {}",
                rows.len(),
                path.display()
            ))
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
