//! Shipping: pick-list batches, couriers and their tracking pools, tracking numbers, the
//! marketplace's batch-ship CSV, and the print job (check, draw, write, record; then open
//! or send to `lp`) that runs on a thread of its own in the window.

use std::path::{Path, PathBuf};

use crate::app::print::{
    Opened, Printed, WaybillRequest, print_pick_list, print_slips, print_waybills,
    reprint_pick_list, send_to_printer, write_shipped_csv,
};
use crate::docs::waybill::calibration_page;
use crate::domain::shipping::parse_template;
use crate::store::{BatchRow, CourierRow, OrderRow, Store};

use super::{AppError, Changed, Result, Tick};

/// At most this many orders ready for documents are listed.
pub const CANDIDATES_LIMIT: u32 = 5000;
/// The newest batches listed.
pub const BATCHES_LIMIT: u32 = 50;

/// What the shipping tabs ask of the store.
#[derive(Debug)]
pub enum Request {
    /// Orders ready for documents (`Store::printable_orders`).
    Candidates,
    Batches,
    /// The orders of a batch in slot order.
    BatchOrders(i64),
    Couriers,
    SaveCourier(Box<CourierRow>),
    ImportTracking {
        courier: String,
        text: String,
    },
    ImportTrackingFile {
        courier: String,
        path: PathBuf,
    },
    SetTracking {
        id: i64,
        courier: String,
        number: String,
    },
    /// Give an order another courier: its number is voided and a new one assigned.
    ChangeCourier {
        id: i64,
        courier: String,
        reason: String,
        /// A typed number; `None` takes the next one from the new courier's pool.
        number: Option<String>,
    },
    /// The batch-ship CSV: `since` empty = the shipments not exported yet.
    ExportShipped {
        since: String,
        platform: Option<String>,
        path: PathBuf,
    },
    /// The calibration page of a courier's pre-printed form.
    Calibrate {
        courier: String,
        path: PathBuf,
        open: bool,
    },
}

/// The store's answers to [`Request`]s.
#[derive(Debug)]
pub enum Reply {
    Candidates(Vec<OrderRow>),
    Batches(Vec<BatchRow>),
    BatchOrders(i64, Vec<OrderRow>),
    Couriers(Vec<CourierRow>),
    /// An action went through: what it did.
    Done(Done),
    /// A print job ended (the end of a job, not a request).
    Printed(Box<Printed>),
}

impl Reply {
    pub fn changed(&self) -> Changed {
        match self {
            Reply::Done(Done::CourierSaved(_) | Done::TrackingAdded { .. }) => Changed::SHIPPING,
            Reply::Done(Done::TrackingSet { .. } | Done::CourierChanged { .. }) => {
                Changed::SHIPPING | Changed::ORDERS
            }
            Reply::Printed(_) => Changed::SHIPPING | Changed::ORDERS | Changed::STOCK,
            _ => Changed::NOTHING,
        }
    }
}

/// What a shipping action did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Done {
    CourierSaved(String),
    /// Numbers added to a courier's pool, and the lines skipped with why.
    TrackingAdded {
        added: usize,
        rejected: Vec<(String, String)>,
    },
    TrackingSet {
        courier: String,
        number: String,
    },
    /// An order's courier was changed; `voided` is the number it had.
    CourierChanged {
        order_no: String,
        voided: Option<String>,
        courier: String,
        number: String,
    },
    Calibrated(PathBuf),
    Exported {
        orders: usize,
        path: PathBuf,
    },
}

/// A document to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrintKind {
    /// A new batch of these orders (slots in this order) and its pick list.
    PickList(Vec<i64>),
    ReprintPickList(i64),
    Slips {
        ids: Vec<i64>,
        batch: Option<i64>,
    },
    Waybills {
        ids: Vec<i64>,
        batch: Option<i64>,
        request: WaybillRequest,
    },
}

/// A print job: the document, where the PDF goes, and what happens after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintJob {
    pub kind: PrintKind,
    pub out: PathBuf,
    /// Open the PDF in the system viewer when done.
    pub open: bool,
    /// Send the PDF to the default printer (`lp`) when done.
    pub lp: bool,
}

impl PrintJob {
    pub fn orders(&self) -> usize {
        match &self.kind {
            PrintKind::PickList(ids)
            | PrintKind::Slips { ids, .. }
            | PrintKind::Waybills { ids, .. } => ids.len(),
            PrintKind::ReprintPickList(_) => 1,
        }
    }
}

/// Where a new document goes: `<folder>/<kind>-<date>-<time>.<extension>`, the folder
/// being the one chosen in Settings.
pub fn document_path(dir: &Path, kind: &str, extension: &str) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    dir.join(format!("{kind}-{stamp}.{extension}"))
}

/// Draws, writes and records a document; then opens it or sends it to the printer. `tick`
/// reports orders drawn and says whether to go on.
pub fn print(store: &mut Store, job: &PrintJob, tick: Tick<'_>) -> Result<Printed> {
    print_with(store, job, tick, |path| open::that_detached(path))
}

/// [`print`] with the way a PDF is opened given, so that a missing viewer can be tested.
fn print_with(
    store: &mut Store,
    job: &PrintJob,
    tick: Tick<'_>,
    open_pdf: impl Fn(&Path) -> std::io::Result<()>,
) -> Result<Printed> {
    let mut progress = |done: usize, _total: usize| tick(done as u64);
    let operator = store.settings()?.operator;
    let operator = operator.as_str();
    let printed = match &job.kind {
        PrintKind::PickList(ids) => {
            print_pick_list(store, ids, &job.out, operator, &mut progress).map(|(_, p)| p)
        }
        PrintKind::ReprintPickList(batch) => {
            reprint_pick_list(store, *batch, &job.out, operator, &mut progress)
        }
        PrintKind::Slips { ids, batch } => {
            print_slips(store, ids, *batch, &job.out, operator, &mut progress)
        }
        PrintKind::Waybills {
            ids,
            batch,
            request,
        } => print_waybills(
            store,
            ids,
            *batch,
            request,
            &job.out,
            operator,
            &mut progress,
        ),
    };
    let mut printed = printed.map_err(AppError::Document)?;
    if job.open {
        // The document is written and recorded; a missing viewer is said, not a failure.
        printed.opened = match open_pdf(&printed.path) {
            Ok(()) => Opened::Opened,
            Err(e) => Opened::Failed(e.to_string()),
        };
    }
    if job.lp {
        match send_to_printer(&printed.path) {
            Ok(answer) => printed.printer = Some(answer),
            Err(e) => printed.warnings.push(e),
        }
    }
    Ok(printed)
}

/// Answers a request of the shipping tabs.
pub fn handle(store: &mut Store, operator: &str, request: Request) -> Result<Reply> {
    Ok(match request {
        Request::Candidates => Reply::Candidates(store.printable_orders(CANDIDATES_LIMIT)?),
        Request::Batches => Reply::Batches(store.batches(BATCHES_LIMIT)?),
        Request::BatchOrders(batch) => {
            let ids = store.batch_order_ids(batch)?;
            let mut rows = Vec::with_capacity(ids.len());
            for id in ids {
                rows.push(store.order_detail(id)?.row);
            }
            Reply::BatchOrders(batch, rows)
        }
        Request::Couriers => Reply::Couriers(store.couriers()?),
        Request::SaveCourier(row) => {
            store.save_courier(&row)?;
            Reply::Done(Done::CourierSaved(row.code.trim().to_owned()))
        }
        Request::ImportTracking { courier, text } => {
            let (added, rejected) = store.import_tracking(&courier, &text)?;
            Reply::Done(Done::TrackingAdded { added, rejected })
        }
        Request::ImportTrackingFile { courier, path } => {
            let text = std::fs::read_to_string(&path).map_err(|source| AppError::Read {
                path: path.clone(),
                source,
            })?;
            let (added, rejected) = store.import_tracking(&courier, &text)?;
            Reply::Done(Done::TrackingAdded { added, rejected })
        }
        Request::SetTracking {
            id,
            courier,
            number,
        } => {
            store.set_tracking(id, &courier, &number, operator)?;
            Reply::Done(Done::TrackingSet { courier, number })
        }
        Request::ChangeCourier {
            id,
            courier,
            reason,
            number,
        } => {
            let change =
                store.change_courier(id, &courier, &reason, number.as_deref(), operator)?;
            Reply::Done(Done::CourierChanged {
                order_no: change.order_no,
                voided: change.voided,
                courier: change.courier.name,
                number: change.tracking_no,
            })
        }
        Request::Calibrate {
            courier,
            path,
            open,
        } => {
            calibrate(store, &courier, &path, open)?;
            Reply::Done(Done::Calibrated(path))
        }
        Request::ExportShipped {
            since,
            platform,
            path,
        } => {
            let orders = export_shipped(store, Some(&since), platform.as_deref(), &path)?;
            Reply::Done(Done::Exported { orders, path })
        }
    })
}

/// Writes the marketplace's batch-ship CSV (of one platform, or all). With `since`, the
/// orders printed since that date, every time it is asked. Without, the orders shipped at
/// the station that no file has held yet: once the file is written they are recorded as
/// exported, so the marketplace gets every tracking number exactly once. Returns how many
/// orders the file holds.
pub fn export_shipped(
    store: &mut Store,
    since: Option<&str>,
    platform: Option<&str>,
    path: &Path,
) -> Result<usize> {
    let since = since.map(str::trim).filter(|s| !s.is_empty());
    let platform = platform.map(str::trim).filter(|p| !p.is_empty());
    let rows = match since {
        Some(since) => store.shipped_rows(since, platform)?,
        None => store.unexported_shipments(platform)?,
    };
    write_shipped_csv(&rows, path).map_err(AppError::Document)?;
    if since.is_none() {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        store.mark_exported(&ids, &path.display().to_string())?;
    }
    Ok(rows.len())
}

/// Writes the calibration page of a courier's pre-printed form, and opens it if asked.
pub fn calibrate(store: &Store, courier: &str, path: &Path, open: bool) -> Result<()> {
    let courier = store.courier(courier)?;
    let mut template = parse_template(&courier.template).map_err(AppError::Document)?;
    template.offset_x += courier.offset_x;
    template.offset_y += courier.offset_y;
    let rendered = calibration_page(&template).map_err(AppError::Document)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| AppError::Write {
            path: path.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, &rendered.pdf).map_err(|source| AppError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    if open {
        // The file is written; a missing viewer is not a failure of the calibration.
        let _ = open::that_detached(path);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Event;
    use crate::store::testing::paid_order;

    fn approved_order(store: &mut Store) -> i64 {
        let o = paid_order("A1");
        let id = store.insert_orders(&[o], "test", "owner").expect("order")[0];
        store
            .apply_event(id, Event::Review, "owner")
            .expect("review");
        id
    }

    #[test]
    fn a_viewer_that_cannot_start_is_a_value_not_a_warning() {
        let mut store = crate::store::testing::shop();
        let id = approved_order(&mut store);
        let dir = tempfile::tempdir().expect("temp dir");
        let job = PrintJob {
            kind: PrintKind::PickList(vec![id]),
            out: dir.path().join("picklist.pdf"),
            open: true,
            lp: false,
        };
        let printed = print_with(&mut store, &job, &|_| true, |_| {
            Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no launcher",
            ))
        })
        .expect("printed");
        assert!(printed.path.exists());
        assert_eq!(printed.opened, Opened::Failed("no launcher".to_owned()));
        assert!(printed.warnings.is_empty(), "{:?}", printed.warnings);
    }
}
