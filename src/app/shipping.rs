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
use crate::import::ship_upload;
use crate::store::{BatchRow, CourierRow, OrderRow, Store};

use super::{AppError, Changed, InputError, Result, Tick};

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
    /// The batch-ship CSV: `since` empty = the shipments not exported yet. Without a
    /// platform, one file per platform beside `path` (`shipped-taobao-….csv`).
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
    /// The batch-ship files written: one per platform, `(platform, orders, file)`.
    Exported(Vec<(String, usize, PathBuf)>),
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
            store.save_courier(&row, operator)?;
            Reply::Done(Done::CourierSaved(row.code.trim().to_owned()))
        }
        Request::ImportTracking { courier, text } => {
            let (added, rejected) = store.import_tracking(&courier, &text, operator)?;
            Reply::Done(Done::TrackingAdded { added, rejected })
        }
        Request::ImportTrackingFile { courier, path } => {
            let text = std::fs::read_to_string(&path).map_err(|source| AppError::Read {
                path: path.clone(),
                source,
            })?;
            let (added, rejected) = store.import_tracking(&courier, &text, operator)?;
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
            let files = match platform {
                Some(platform) => {
                    let orders =
                        export_shipped(store, operator, Some(&since), Some(&platform), &path)?;
                    vec![(platform, orders, path)]
                }
                None => export_shipped_by_platform(store, operator, Some(&since), &path)?,
            };
            Reply::Done(Done::Exported(files))
        }
    })
}

/// Writes the marketplace's batch-ship CSV (of one platform, or all). With `since`, the
/// orders printed since that date, every time it is asked. Without, the orders shipped at
/// the station that no file has held yet: once the file is written they are recorded as
/// exported, so the marketplace gets every tracking number exactly once. The platform is
/// an order's platform code or an alias (`pdd`, see [`ship_upload::platform_code`]); a
/// platform or a date that does not read is refused before anything is written. Returns
/// how many orders the file holds.
pub fn export_shipped(
    store: &mut Store,
    operator: &str,
    since: Option<&str>,
    platform: Option<&str>,
    path: &Path,
) -> Result<usize> {
    let since = super::moment(since)?;
    let platform = match platform.map(str::trim).filter(|p| !p.is_empty()) {
        Some(name) => Some(platform_code(store, name)?),
        None => None,
    };
    let rows = match &since {
        Some(since) => store.shipped_rows(since, platform.as_deref())?,
        None => store.unexported_shipments(platform.as_deref())?,
    };
    write_shipped_csv(&rows, platform.as_deref(), path).map_err(AppError::Document)?;
    if since.is_none() {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        store.mark_exported(&ids, &path.display().to_string(), operator)?;
    }
    Ok(rows.len())
}

/// The platform code `name` stands for, among the known codes and those of the shop's
/// orders; refused with the known ones otherwise.
fn platform_code(store: &Store, name: &str) -> Result<String> {
    let stored = store.platforms()?;
    ship_upload::platform_code(name, &stored).ok_or_else(|| {
        InputError::UnknownPlatform {
            given: name.to_owned(),
            known: ship_upload::known_platforms(&stored),
        }
        .into()
    })
}

/// Writes the batch-ship CSV of each platform that has orders to give (the marketplace
/// takes only its own orders): `path` with the platform inserted before the extension.
/// `since` as for [`export_shipped`]; without it, the orders written are recorded as
/// exported once every file is written. Returns `(platform, orders, file)` per file.
pub fn export_shipped_by_platform(
    store: &mut Store,
    operator: &str,
    since: Option<&str>,
    path: &Path,
) -> Result<Vec<(String, usize, PathBuf)>> {
    let since = super::moment(since)?;
    let rows = match &since {
        Some(since) => store.shipped_rows(since, None)?,
        None => store.unexported_shipments(None)?,
    };
    let mut platforms: Vec<String> = Vec::new();
    for row in &rows {
        if !platforms.contains(&row.platform) {
            platforms.push(row.platform.clone());
        }
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "shipped".to_owned());
    let mut files = Vec::with_capacity(platforms.len());
    for platform in platforms {
        let of: Vec<crate::store::ShippedRow> = rows
            .iter()
            .filter(|r| r.platform == platform)
            .cloned()
            .collect();
        let file = path.with_file_name(format!("{}-{platform}.csv", stem));
        write_shipped_csv(&of, Some(&platform), &file).map_err(AppError::Document)?;
        files.push((platform, of.len(), file));
    }
    if since.is_none() {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let names: Vec<String> = files.iter().map(|f| f.2.display().to_string()).collect();
        store.mark_exported(&ids, &names.join(", "), operator)?;
    }
    Ok(files)
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

impl Request {
    /// What the request needs the operator to be allowed to do (`None`: a read).
    pub fn action(&self) -> Option<crate::domain::operators::Action> {
        use crate::domain::operators::Action;
        match self {
            Request::SaveCourier(_)
            | Request::ImportTracking { .. }
            | Request::ImportTrackingFile { .. } => Some(Action::Couriers),
            Request::SetTracking { .. }
            | Request::ChangeCourier { .. }
            | Request::ExportShipped { .. }
            | Request::Calibrate { .. } => Some(Action::Printing),
            Request::Candidates
            | Request::Batches
            | Request::BatchOrders(_)
            | Request::Couriers => None,
        }
    }
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
    fn batch_ship_dates() {
        for (since, ok) in [
            ("2026-11-20", true),
            ("2026-11-20T10:00:00", true),
            ("2026-11-20T10:00:00+08:00", true),
            ("2026-11-20T10:00:00Z", true),
            ("yesterday", false),
            ("2026-13-45", false),
            ("2026-11-20 10:00:00", true),
            ("2026-11-20T10:00", true),
            ("2026-11-20 10:00", true),
            ("2026-11-20T25:00", false),
        ] {
            assert_eq!(crate::app::moment(Some(since)).is_ok(), ok, "{since}");
        }
        // A minute or a space reads as the stored form.
        assert_eq!(
            crate::app::moment(Some("2026-11-20 10:00")).ok().flatten(),
            Some("2026-11-20T10:00:00".to_owned())
        );
        assert_eq!(crate::app::moment(Some(" ")).ok(), Some(None));
        // An offset other than the shop's is turned into the shop's time, as stored.
        let shop = chrono::DateTime::parse_from_rfc3339("2026-11-20T10:00:00+08:00")
            .expect("time")
            .with_timezone(&chrono::Local)
            .fixed_offset()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        assert_eq!(
            crate::app::moment(Some("2026-11-20T02:00:00Z"))
                .ok()
                .flatten(),
            Some(shop)
        );
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

    #[test]
    fn the_batch_ship_files_are_one_per_platform_and_each_order_goes_once() {
        let mut store = crate::store::testing::shop();
        store
            .save_courier(
                &CourierRow {
                    code: "SF".to_owned(),
                    name: "顺丰速运".to_owned(),
                    ..CourierRow::default()
                },
                "owner",
            )
            .expect("courier");
        let mut ids = Vec::new();
        for (no, platform, tracking) in [
            ("T1", "taobao", "SF1000000001"),
            ("J1", "jd", "SF1000000002"),
            ("T2", "taobao", "SF1000000003"),
        ] {
            let mut o = paid_order(no);
            o.platform = platform.to_owned();
            o.courier = "SF".to_owned();
            o.tracking_no = tracking.to_owned();
            let id = store.insert_orders(&[o], "test", "owner").expect("order")[0];
            store
                .apply_event(id, Event::Review, "owner")
                .expect("review");
            store
                .record_print(&[id], None, crate::store::Document::Waybills, "owner")
                .expect("print");
            ids.push(id);
        }
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("shipped-20261130.csv");
        let files = export_shipped_by_platform(&mut store, "owner", Some("2000-01-01"), &path)
            .expect("export");
        let summary: Vec<(&str, usize, String)> = files
            .iter()
            .map(|(p, n, f)| {
                let name = f.file_name().map(|n| n.to_string_lossy().into_owned());
                (p.as_str(), *n, name.unwrap_or_default())
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("taobao", 2, "shipped-20261130-taobao.csv".to_owned()),
                ("jd", 1, "shipped-20261130-jd.csv".to_owned())
            ]
        );
        let jd = std::fs::read_to_string(&files[1].2).expect("jd file");
        assert_eq!(jd, "订单号,物流公司,运单号\nJ1,顺丰速运,SF1000000002\n");
        let taobao = std::fs::read_to_string(&files[0].2).expect("taobao file");
        assert!(taobao.starts_with("订单编号,物流公司,运单号\n"), "{taobao}");

        // Since the last export: only station shipments, each once.
        for &id in &ids[..2] {
            store
                .ship_override(id, "test", None, "owner")
                .expect("ship");
        }
        let files = export_shipped_by_platform(&mut store, "owner", None, &path).expect("export");
        let counts: Vec<(&str, usize)> = files.iter().map(|(p, n, _)| (p.as_str(), *n)).collect();
        assert_eq!(counts, vec![("taobao", 1), ("jd", 1)]);
        let again = export_shipped_by_platform(&mut store, "owner", None, &path).expect("export");
        assert!(again.is_empty(), "{again:?}");
    }
}
