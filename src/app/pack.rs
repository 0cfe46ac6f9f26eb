//! The pack & ship station (验货 / 发货) and the courier hand-over (交接): what a scan opens,
//! the check of an order's items, the pass that ships it, overrides, the attempt log, the
//! packer's counters, and hand-overs with their printed list.
//!
//! The window counts item scans itself against the order it opened (`domain::pack`), so an
//! item scan answers without a round trip; the store is asked only to open an order, log
//! an attempt and ship.

use std::path::{Path, PathBuf};

use crate::docs::handover::{HandoverLine, HandoverSheet, handover_list};
use crate::domain::pack::{
    AttemptResult, Mismatch, PackCheck, PackRefusal, ScanOutcome, handover_number, is_clear,
};
use crate::store::{
    BatchProgress, CourierRow, Handover, HandoverFilter, HandoverRow, HandoverScan, PackCounters,
    PackFind, ShipResult, Store, StoreError,
};

use super::{AppError, Changed, Result};

/// How long the window's pass waits for another writer before it answers "later".
pub const PASS_WAIT: std::time::Duration = std::time::Duration::from_millis(300);

/// What the station asks of the store.
#[derive(Debug)]
pub enum Request {
    /// What a scan names: an order (opened), a batch (listed), a voided number.
    Find(String),
    /// Open an order of the listed batch.
    Open(i64),
    /// The check passed: ship it. `checked` is what was counted.
    Pass {
        id: i64,
        checked: Vec<(String, i64)>,
        weight: Option<i64>,
    },
    /// Ship without a full check.
    Override {
        id: i64,
        reason: String,
        weight: Option<i64>,
    },
    /// Log an attempt that shipped nothing (mismatch, refusal, abandoned).
    Attempt {
        id: i64,
        result: AttemptResult,
        detail: String,
    },
    /// The weight of a parcel that has shipped, weighed after sealing.
    Weight {
        id: i64,
        grams: i64,
    },
    /// The packer's figures today and the progress of the current batch.
    Counters {
        batch: Option<i64>,
    },
    Couriers,
    HandoverStart(String),
    HandoverScan {
        id: i64,
        tracking: String,
    },
    /// Close and print the list to `out`.
    HandoverClose {
        id: i64,
        out: PathBuf,
    },
    /// Print a closed hand-over's list again.
    HandoverPrint {
        id: i64,
        out: PathBuf,
    },
    Handover(i64),
    Handovers(HandoverFilter),
}

/// The store's answers.
#[derive(Debug)]
pub enum Reply {
    Found(PackFind),
    Shipped(ShipResult),
    /// The file is busy with another write (an import): the pass of order `id` was not
    /// written; ask again in a moment.
    ShipLater {
        id: i64,
    },
    Logged,
    Weighed {
        order_no: String,
        grams: i64,
    },
    Counters {
        counters: PackCounters,
        batch: Option<BatchProgress>,
    },
    Couriers(Vec<CourierRow>),
    Handover(Box<Handover>),
    HandoverScanned {
        scan: HandoverScan,
        handover: Box<Handover>,
    },
    HandoverPrinted {
        handover: Box<Handover>,
        path: PathBuf,
    },
    Handovers(Vec<HandoverRow>),
}

impl Reply {
    pub fn changed(&self) -> Changed {
        match self {
            Reply::Shipped(ShipResult::Shipped { .. }) => {
                Changed::ORDERS | Changed::STOCK | Changed::SHIPPING
            }
            Reply::Weighed { .. } => Changed::ORDERS,
            Reply::HandoverScanned {
                scan: HandoverScan::Added { .. },
                ..
            }
            | Reply::HandoverPrinted { .. } => Changed::SHIPPING,
            _ => Changed::NOTHING,
        }
    }
}

/// The start of today, local time, as the attempt log writes its moments.
pub fn start_of_today() -> String {
    chrono::Local::now()
        .format("%Y-%m-%dT00:00:00%:z")
        .to_string()
}

pub fn handle(store: &mut Store, operator: &str, request: Request) -> Result<Reply> {
    Ok(match request {
        Request::Find(scan) => Reply::Found(store.pack_find(&scan)?),
        Request::Open(id) => Reply::Found(PackFind::Order(Box::new(store.pack_order(id)?))),
        Request::Pass {
            id,
            checked,
            weight,
        } => match store.try_pack_pass(id, &checked, weight, operator, PASS_WAIT)? {
            Some(result) => Reply::Shipped(result),
            None => Reply::ShipLater { id },
        },
        Request::Override { id, reason, weight } => {
            Reply::Shipped(store.ship_override(id, &reason, weight, operator)?)
        }
        Request::Attempt { id, result, detail } => {
            store.pack_attempt(id, result, &detail, operator)?;
            Reply::Logged
        }
        Request::Weight { id, grams } => {
            let order_no = store.set_parcel_weight(id, grams, operator)?;
            Reply::Weighed { order_no, grams }
        }
        Request::Counters { batch } => Reply::Counters {
            counters: store.pack_counters(operator, &start_of_today())?,
            batch: match batch {
                Some(batch) => Some(store.batch_progress(batch)?),
                None => None,
            },
        },
        Request::Couriers => Reply::Couriers(store.couriers()?),
        Request::HandoverStart(courier) => {
            let id = store.handover_start(&courier, operator)?;
            Reply::Handover(Box::new(store.handover(id)?))
        }
        Request::HandoverScan { id, tracking } => {
            let scan = store.handover_scan(id, &tracking, operator)?;
            Reply::HandoverScanned {
                scan,
                handover: Box::new(store.handover(id)?),
            }
        }
        Request::HandoverClose { id, out } => {
            let handover = close_handover(store, operator, id, &out)?;
            Reply::HandoverPrinted {
                handover: Box::new(handover),
                path: out,
            }
        }
        Request::HandoverPrint { id, out } => {
            let handover = store.handover(id)?;
            print_handover(store, &handover, &out)?;
            Reply::HandoverPrinted {
                handover: Box::new(handover),
                path: out,
            }
        }
        Request::Handover(id) => Reply::Handover(Box::new(store.handover(id)?)),
        Request::Handovers(filter) => Reply::Handovers(store.handovers(&filter)?),
    })
}

/// How `shopdesk pack` ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackOutcome {
    Shipped {
        order_no: String,
        at: String,
    },
    /// The order must not leave.
    Refused {
        order_no: String,
        reason: PackRefusal,
    },
    /// A wrong item or one too many: `progress` is the count when it stopped.
    Mismatch {
        order_no: String,
        mismatch: Mismatch,
        progress: String,
    },
    /// The scans ended before every item was counted.
    Incomplete {
        order_no: String,
        progress: String,
    },
    /// The order changed while it was being packed.
    Changed {
        order_no: String,
    },
}

impl PackOutcome {
    pub fn shipped(&self) -> bool {
        matches!(self, PackOutcome::Shipped { .. })
    }
}

fn not_an_order(found: PackFind) -> AppError {
    AppError::Store(StoreError::NotFound(match found {
        PackFind::Batch(batch) => format!(
            "{} is a pick-list batch, not an order: scan an order, its tracking number or \
             its packing slip",
            batch.number
        ),
        PackFind::Voided { number, order_no } => format!(
            "tracking number {number} was voided (order {order_no} has a new label): use \
             the new label"
        ),
        PackFind::NotFound(scan) => {
            format!("no order, tracking number or packing slip {scan:?}")
        }
        PackFind::Order(order) => format!("order {}", order.order_no),
    }))
}

/// The whole check of one parcel from the command line: open the order by any number the
/// scanner reads, count every scan, and ship it when every item matched. Every attempt is
/// logged, whatever its result.
pub fn pack(
    store: &mut Store,
    operator: &str,
    target: &str,
    scans: &[String],
    weight: Option<i64>,
) -> Result<PackOutcome> {
    let order = match store.pack_find(target)? {
        PackFind::Order(order) => order,
        other => return Err(not_an_order(other)),
    };
    if let Some(reason) = order.refusal.clone() {
        store.pack_attempt(
            order.id,
            AttemptResult::Refused,
            &reason.to_string(),
            operator,
        )?;
        return Ok(PackOutcome::Refused {
            order_no: order.order_no,
            reason,
        });
    }
    let mut check = PackCheck::new(order.items.clone());
    for (n, scan) in scans.iter().enumerate() {
        if is_clear(scan) {
            check.clear();
            continue;
        }
        match check.scan(scan) {
            ScanOutcome::Counted { .. } => {}
            ScanOutcome::Stopped(mismatch) => {
                let progress = check.progress_text();
                store.pack_attempt(
                    order.id,
                    AttemptResult::Mismatch,
                    &format!("{mismatch}; counted {progress}"),
                    operator,
                )?;
                return Ok(PackOutcome::Mismatch {
                    order_no: order.order_no,
                    mismatch,
                    progress,
                });
            }
            ScanOutcome::NeedsClear => {}
            ScanOutcome::Unreadable => {
                return Err(AppError::Store(StoreError::Invalid(format!(
                    "--scan {} ({scan:?}): expected a barcode, a product code or CODE*N \
                     (N from 1 to {})",
                    n + 1,
                    crate::domain::pack::MAX_SCAN_QUANTITY
                ))));
            }
        }
    }
    if !check.is_complete() {
        let progress = check.progress_text();
        store.pack_attempt(
            order.id,
            AttemptResult::Abandoned,
            &format!("incomplete: {progress}"),
            operator,
        )?;
        return Ok(PackOutcome::Incomplete {
            order_no: order.order_no,
            progress,
        });
    }
    Ok(
        match store.pack_pass(order.id, &check.checked(), weight, operator)? {
            ShipResult::Shipped { order_no, at } => PackOutcome::Shipped { order_no, at },
            ShipResult::Refused { order_no, reason } => PackOutcome::Refused { order_no, reason },
            ShipResult::Changed { order_no } => PackOutcome::Changed { order_no },
        },
    )
}

/// Ships orders without a full check, each with the reason logged. Returns each order's
/// result in the order given.
pub fn ship_override(
    store: &mut Store,
    operator: &str,
    order_nos: &[String],
    reason: &str,
) -> Result<Vec<ShipResult>> {
    let mut results = Vec::with_capacity(order_nos.len());
    for order_no in order_nos {
        let id = store.find_order(order_no)?;
        results.push(store.ship_override(id, reason, None, operator)?);
    }
    Ok(results)
}

/// The printed list of a hand-over.
pub fn handover_sheet(store: &Store, handover: &Handover) -> Result<HandoverSheet> {
    let time = |at: &str| at.get(11..16).unwrap_or_default().to_owned();
    let minute = |at: &str| at.get(..16).unwrap_or(at).replace('T', " ");
    let line = |p: &crate::store::HandoverParcel| HandoverLine {
        tracking_no: p.tracking_no.clone(),
        order_no: p.order_no.clone(),
        receiver_name: p.receiver_name.clone(),
        time: time(&p.scanned_at),
    };
    Ok(HandoverSheet {
        shop_name: store.settings()?.shop_name,
        number: handover_number(handover.id),
        courier: handover.courier_name.clone(),
        date: handover.started_at.get(..10).unwrap_or_default().to_owned(),
        started_at: minute(&handover.started_at),
        closed_at: minute(handover.closed_at.as_deref().unwrap_or_default()),
        handed_by: handover
            .closed_by
            .clone()
            .unwrap_or_else(|| handover.started_by.clone()),
        expected: handover.expected,
        parcels: handover.parcels.iter().map(line).collect(),
        missing: handover.missing.iter().map(line).collect(),
    })
}

/// Writes a hand-over's list as a PDF.
pub fn print_handover(store: &Store, handover: &Handover, out: &Path) -> Result<()> {
    let sheet = handover_sheet(store, handover)?;
    let rendered = handover_list(&sheet).map_err(AppError::Document)?;
    super::print::write_pdf(out, &rendered.pdf).map_err(AppError::Document)
}

/// Closes a hand-over (its counts fixed for good) and prints its list. When the list
/// cannot be written the hand-over stays closed: `handover print` writes it again.
pub fn close_handover(store: &mut Store, operator: &str, id: i64, out: &Path) -> Result<Handover> {
    let handover = store.handover_close(id, operator)?;
    print_handover(store, &handover, out).map_err(|e| {
        AppError::Document(format!(
            "hand-over {} is closed, but its list could not be written ({e}); print it \
             again with `shopdesk handover print {id} --out FILE.pdf`",
            handover_number(id)
        ))
    })?;
    Ok(handover)
}

/// The path of a new hand-over list in the documents folder.
pub fn handover_path(dir: &Path, id: i64) -> PathBuf {
    super::shipping::document_path(dir, &format!("handover-{}", handover_number(id)), "pdf")
}

impl Request {
    /// What the request needs the operator to be allowed to do (`None`: a read).
    pub fn action(&self) -> Option<crate::domain::operators::Action> {
        use crate::domain::operators::Action;
        match self {
            Request::Pass { .. } | Request::Attempt { .. } | Request::Weight { .. } => {
                Some(Action::Pack)
            }
            Request::Override { .. } => Some(Action::PackOverride),
            Request::HandoverStart(_)
            | Request::HandoverScan { .. }
            | Request::HandoverClose { .. } => Some(Action::Handovers),
            Request::Find(_)
            | Request::Open(_)
            | Request::Counters { .. }
            | Request::Couriers
            | Request::HandoverPrint { .. }
            | Request::Handover(_)
            | Request::Handovers(_) => None,
        }
    }
}
