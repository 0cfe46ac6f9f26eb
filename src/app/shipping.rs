//! The window's side of shipping documents: the requests the Pick lists, Waybills and
//! Settings (couriers) tabs send to the store thread, and the print job that runs on a
//! thread of its own (check, draw, write, record; then open or send to `lp`).

use std::path::{Path, PathBuf};

use crate::docs::batch::{
    Printed, WaybillRequest, print_pick_list, print_slips, print_waybills, reprint_pick_list,
    send_to_printer, write_shipped_csv,
};
use crate::docs::waybill::calibration_page;
use crate::domain::shipping::parse_template;
use crate::store::{BatchRow, CourierRow, OrderRow, Store, StoreError};

/// What the shipping tabs ask of the store.
#[derive(Debug)]
pub enum ShipRequest {
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
    ExportShipped {
        since: String,
        path: PathBuf,
    },
    /// The calibration page of a courier's pre-printed form.
    Calibrate {
        courier: String,
        path: PathBuf,
        open: bool,
    },
}

/// The store's answers to [`ShipRequest`]s.
#[derive(Debug)]
pub enum ShipReply {
    Candidates(Vec<OrderRow>),
    Batches(Vec<BatchRow>),
    BatchOrders(i64, Vec<OrderRow>),
    Couriers(Vec<CourierRow>),
    /// An action went through: say so, and reload what the tabs show.
    Done(String),
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

/// Where a new document goes: `Documents/ShopDesk/<kind>-<date>-<time>.pdf` (the data
/// folder where there is no Documents folder).
pub fn default_out(kind: &str, extension: &str) -> PathBuf {
    let base = directories::UserDirs::new()
        .and_then(|d| d.document_dir().map(Path::to_path_buf))
        .map(|d| d.join("ShopDesk"))
        .or_else(|| crate::default_db_path().parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    base.join(format!("{kind}-{stamp}.{extension}"))
}

/// Runs a print job on its thread; `tick` reports orders drawn and says whether to go on.
pub fn run_print(db: &Path, job: PrintJob, tick: &dyn Fn(u64) -> bool) -> Result<Printed, String> {
    let mut store = Store::open(db).map_err(|e| e.to_string())?;
    let mut progress = |done: usize, _total: usize| tick(done as u64);
    let mut printed = match &job.kind {
        PrintKind::PickList(ids) => {
            print_pick_list(&mut store, ids, &job.out, &mut progress).map(|(_, p)| p)
        }
        PrintKind::ReprintPickList(batch) => {
            reprint_pick_list(&mut store, *batch, &job.out, &mut progress)
        }
        PrintKind::Slips { ids, batch } => {
            print_slips(&mut store, ids, *batch, &job.out, &mut progress)
        }
        PrintKind::Waybills {
            ids,
            batch,
            request,
        } => print_waybills(&mut store, ids, *batch, request, &job.out, &mut progress),
    }?;
    if job.open
        && let Err(e) = open::that_detached(&printed.path)
    {
        printed
            .warnings
            .push(format!("cannot open {}: {e}", printed.path.display()));
    }
    if job.lp {
        match send_to_printer(&printed.path) {
            Ok(answer) => printed.summary.push_str(&format!("; printer: {answer}")),
            Err(e) => printed.warnings.push(e),
        }
    }
    Ok(printed)
}

/// Answers a shipping request on the store thread.
pub fn answer(store: &mut Store, request: ShipRequest) -> Result<ShipReply, StoreError> {
    Ok(match request {
        ShipRequest::Candidates => ShipReply::Candidates(store.printable_orders(5000)?),
        ShipRequest::Batches => ShipReply::Batches(store.batches(50)?),
        ShipRequest::BatchOrders(batch) => {
            let ids = store.batch_order_ids(batch)?;
            let mut rows = Vec::with_capacity(ids.len());
            for id in ids {
                rows.push(store.order_detail(id)?.row);
            }
            ShipReply::BatchOrders(batch, rows)
        }
        ShipRequest::Couriers => ShipReply::Couriers(store.couriers()?),
        ShipRequest::SaveCourier(row) => {
            store.save_courier(&row)?;
            ShipReply::Done(format!("courier {} saved", row.code.trim()))
        }
        ShipRequest::ImportTracking { courier, text } => {
            let (added, rejected) = store.import_tracking(&courier, &text)?;
            ShipReply::Done(tracking_summary(added, &rejected))
        }
        ShipRequest::ImportTrackingFile { courier, path } => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| StoreError::Invalid(format!("cannot read {}: {e}", path.display())))?;
            let (added, rejected) = store.import_tracking(&courier, &text)?;
            ShipReply::Done(tracking_summary(added, &rejected))
        }
        ShipRequest::SetTracking {
            id,
            courier,
            number,
        } => {
            store.set_tracking(id, &courier, &number)?;
            ShipReply::Done(format!("{courier} {number}"))
        }
        ShipRequest::Calibrate {
            courier,
            path,
            open,
        } => ShipReply::Done(calibrate(store, &courier, &path, open).map_err(StoreError::Invalid)?),
        ShipRequest::ExportShipped { since, path } => {
            let rows = store.shipped_rows(&since)?;
            write_shipped_csv(&rows, &path).map_err(StoreError::Invalid)?;
            ShipReply::Done(format!("{} orders → {}", rows.len(), path.display()))
        }
    })
}

fn calibrate(store: &Store, courier: &str, path: &Path, open: bool) -> Result<String, String> {
    let courier = store.courier(courier).map_err(|e| e.to_string())?;
    let mut template = parse_template(&courier.template)?;
    template.offset_x += courier.offset_x;
    template.offset_y += courier.offset_y;
    let rendered = calibration_page(&template)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    std::fs::write(path, &rendered.pdf)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    if open {
        let _ = open::that_detached(path);
    }
    Ok(format!("calibration page → {}", path.display()))
}

fn tracking_summary(added: usize, rejected: &[(String, String)]) -> String {
    let mut text = format!("{added} tracking numbers added");
    if !rejected.is_empty() {
        let first: Vec<String> = rejected
            .iter()
            .take(3)
            .map(|(n, why)| format!("{n}: {why}"))
            .collect();
        text.push_str(&format!(
            ", {} skipped ({})",
            rejected.len(),
            first.join("; ")
        ));
    }
    text
}
