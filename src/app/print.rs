//! From orders to printed paper, the same for the command line and the window: check the
//! orders can print, read them through the store's public functions (no SQL here), draw
//! the PDF, write it, then record the print (orders move to "printed", reprints logged).
//! If drawing or writing fails, nothing is recorded.

use std::path::{Path, PathBuf};

use crate::docs::picklist::{PickListHead, pick_list};
use crate::docs::waybill::{Sender, WaybillOptions, waybills};
use crate::docs::{Progress, Rendered, slips::slips};
use crate::domain::shipping::{LabelSize, ShipOrder, parse_template, plan_pick_list};
use crate::store::{Document, PrintOutcome, ShippedRow, Store, batch_number};

/// What a print produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printed {
    pub path: PathBuf,
    pub pages: usize,
    pub orders: usize,
    pub bytes: usize,
    pub outcome: PrintOutcome,
    pub warnings: Vec<String>,
    /// What was printed, for the line the command line or the window says about it.
    pub summary: PrintSummary,
    /// The printer's answer when the document was also sent to `lp`.
    pub printer: Option<String>,
    /// Whether the PDF was opened in the system viewer afterwards.
    pub opened: Opened,
}

/// Whether a written PDF was opened in the system viewer: a value, so that the window can
/// say a failure in its own words rather than the launcher's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Opened {
    /// Opening was not asked for.
    #[default]
    NotAsked,
    Opened,
    /// No viewer could be started; the launcher's error, for the command line or a log.
    Failed(String),
}

/// What a print produced, as values: the command line and the window word it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrintSummary {
    PickList {
        batch_no: String,
        lines: usize,
        pieces: i64,
    },
    Slips,
    Waybills {
        courier: String,
        /// The label size; `None` for the courier's pre-printed form.
        size: Option<LabelSize>,
    },
}

pub(crate) fn write_pdf(path: &Path, pdf: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let tmp = path.with_extension("pdf.part");
    std::fs::write(&tmp, pdf).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Who prints and where the document goes: the same for every kind of document.
struct Output<'a> {
    path: &'a Path,
    operator: &'a str,
}

fn finish(
    store: &mut Store,
    ids: &[i64],
    batch: Option<i64>,
    document: Document,
    rendered: Rendered,
    out: &Output<'_>,
    summary: PrintSummary,
) -> Result<Printed, String> {
    write_pdf(out.path, &rendered.pdf)?;
    let outcome = store
        .record_print(ids, batch, document, out.operator)
        .map_err(|e| e.to_string())?;
    Ok(Printed {
        path: out.path.to_path_buf(),
        pages: rendered.pages,
        orders: ids.len(),
        bytes: rendered.pdf.len(),
        outcome,
        warnings: rendered.warnings,
        summary,
        printer: None,
        opened: Opened::NotAsked,
    })
}

/// Creates a batch of these orders (slot order = the order given) and prints its pick list.
/// `operator` is who prints, for the batch, the print log and the orders' event logs.
pub fn print_pick_list(
    store: &mut Store,
    ids: &[i64],
    out: &Path,
    operator: &str,
    progress: Progress<'_>,
) -> Result<(i64, Printed), String> {
    let batch = store
        .create_batch(ids, operator)
        .map_err(|e| e.to_string())?;
    let printed = reprint_pick_list(store, batch, out, operator, progress)?;
    Ok((batch, printed))
}

/// Prints (or reprints) the pick list of an existing batch.
pub fn reprint_pick_list(
    store: &mut Store,
    batch: i64,
    out: &Path,
    operator: &str,
    progress: Progress<'_>,
) -> Result<Printed, String> {
    let ids = store.batch_order_ids(batch).map_err(|e| e.to_string())?;
    store.check_printable(&ids).map_err(|e| e.to_string())?;
    let orders = store.ship_orders(&ids).map_err(|e| e.to_string())?;
    let shop_name = store.settings().map_err(|e| e.to_string())?.shop_name;
    let created_at = store
        .batches(u32::MAX)
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|b| b.id == batch)
        .map(|b| b.created_at)
        .unwrap_or_default();
    let lines = plan_pick_list(&orders.iter().map(ShipOrder::pick_order).collect::<Vec<_>>());
    let head = PickListHead {
        shop_name,
        batch_no: batch_number(batch),
        created_at: created_at
            .chars()
            .take(16)
            .collect::<String>()
            .replace('T', " "),
        orders: orders.len(),
    };
    let rendered = pick_list(&head, &lines, progress)?;
    let pieces: i64 = lines.iter().map(|l| l.total).sum();
    let summary = PrintSummary::PickList {
        batch_no: head.batch_no.clone(),
        lines: lines.len(),
        pieces,
    };
    finish(
        store,
        &ids,
        Some(batch),
        Document::PickList,
        rendered,
        &Output {
            path: out,
            operator,
        },
        summary,
    )
}

/// Prints the packing slips of these orders (slots in the order given), or of a batch.
pub fn print_slips(
    store: &mut Store,
    ids: &[i64],
    batch: Option<i64>,
    out: &Path,
    operator: &str,
    progress: Progress<'_>,
) -> Result<Printed, String> {
    store.check_printable(ids).map_err(|e| e.to_string())?;
    let orders = store.ship_orders(ids).map_err(|e| e.to_string())?;
    let shop_name = store.settings().map_err(|e| e.to_string())?.shop_name;
    let batch_no = batch.map(batch_number);
    let rendered = slips(&shop_name, batch_no.as_deref(), &orders, progress)?;
    let summary = PrintSummary::Slips;
    let out = Output {
        path: out,
        operator,
    };
    finish(store, ids, batch, Document::Slips, rendered, &out, summary)
}

/// Options of a waybill print beyond the orders.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WaybillRequest {
    pub courier: String,
    /// None: the courier's label size.
    pub size: Option<LabelSize>,
    pub mask_phone: bool,
}

/// Gives the orders tracking numbers from the courier's pool where they have none (an
/// order keeps the number it has; another courier's number refuses the print), then prints
/// one waybill per order in the order given.
pub fn print_waybills(
    store: &mut Store,
    ids: &[i64],
    batch: Option<i64>,
    request: &WaybillRequest,
    out: &Path,
    operator: &str,
    progress: Progress<'_>,
) -> Result<Printed, String> {
    store.check_printable(ids).map_err(|e| e.to_string())?;
    let courier = store.courier(&request.courier).map_err(|e| e.to_string())?;
    store
        .assign_tracking(ids, &courier.code, operator)
        .map_err(|e| e.to_string())?;
    let orders = store.ship_orders(ids).map_err(|e| e.to_string())?;
    let settings = store.settings().map_err(|e| e.to_string())?;
    let or = |own: &str, fallback: &str| {
        if own.is_empty() {
            fallback.to_owned()
        } else {
            own.to_owned()
        }
    };
    let template = if courier.template.trim().is_empty() || request.size.is_some() {
        None
    } else {
        Some(parse_template(&courier.template)?)
    };
    let mut options = WaybillOptions {
        courier_name: courier.name.clone(),
        size: request.size.unwrap_or(courier.label_size),
        mask_phone: request.mask_phone,
        sender: Sender {
            name: or(
                &courier.sender_name,
                &or(&settings.sender_name, &settings.shop_name),
            ),
            phone: or(&courier.sender_phone, &settings.sender_phone),
            address: or(&courier.sender_address, &settings.sender_address),
        },
        template,
    };
    if let Some(t) = options.template.as_mut() {
        t.offset_x += courier.offset_x;
        t.offset_y += courier.offset_y;
    }
    let rendered = waybills(&orders, &options, progress)?;
    let summary = PrintSummary::Waybills {
        courier: courier.name.clone(),
        size: options.template.is_none().then_some(options.size),
    };
    finish(
        store,
        ids,
        batch,
        Document::Waybills,
        rendered,
        &Output {
            path: out,
            operator,
        },
        summary,
    )
}

/// Sends a PDF to the default printer with `lp` (CUPS: Linux, macOS). Returns lp's answer.
pub fn send_to_printer(path: &Path) -> Result<String, String> {
    let output = std::process::Command::new("lp")
        .args(lp_arguments(path)?)
        .output()
        .map_err(|e| format!("cannot run lp (is CUPS installed?): {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    } else {
        Err(format!(
            "lp failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// The arguments of `lp` for printing `path`: the path made absolute, so that a file name
/// starting with a dash (`-dEVIL.pdf`) is never read as an option. An absolute path
/// starts with `/`; `--` would do the same only for the versions of `lp` that know it.
fn lp_arguments(path: &Path) -> Result<Vec<PathBuf>, String> {
    let absolute =
        std::path::absolute(path).map_err(|e| format!("cannot print {}: {e}", path.display()))?;
    Ok(vec![absolute])
}

/// Writes the marketplace's "batch ship" CSV in its upload layout (see
/// [`crate::import::ship_upload`]): `platform`'s when the file is for one platform (so an
/// empty file still has its headers), else that of the rows' one platform, or Taobao's
/// 订单编号, 物流公司, 运单号 for several; cells that a spreadsheet would run as a formula
/// neutralised.
pub fn write_shipped_csv(
    rows: &[ShippedRow],
    platform: Option<&str>,
    path: &Path,
) -> Result<(), String> {
    let write = || -> Result<(), Box<dyn std::error::Error>> {
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        // Written beside the file and renamed over it: a failed write leaves no half file.
        let tmp = path.with_extension("csv.part");
        let mut csv = crate::import::safe_csv::SafeCsv::new(std::fs::File::create(&tmp)?);
        let format = match platform {
            Some(platform) => crate::import::ship_upload::upload_format(platform),
            None => crate::import::ship_upload::upload_format_of(
                rows.iter().map(|r| r.platform.as_str()),
            ),
        };
        csv.record(format.headers)?;
        for r in rows {
            let order_no = format!("{}{}", format.order_prefix, r.order_no);
            csv.record([&order_no, &r.courier, &r.tracking_no])?;
        }
        csv.finish()?.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    };
    write().map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod lp_tests {
    use super::*;

    #[test]
    fn the_batch_ship_file_writes_formula_cells_as_text() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("shipped.csv");
        let row = |order_no: &str, courier: &str| ShippedRow {
            id: 1,
            order_no: order_no.to_owned(),
            platform: "taobao".to_owned(),
            courier: courier.to_owned(),
            tracking_no: "SF1000000001".to_owned(),
            printed_at: String::new(),
        };
        write_shipped_csv(
            &[row("=1+2", "顺丰速运"), row("T2", "@SUM(A1)")],
            None,
            &path,
        )
        .expect("written");
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(
            text,
            "订单编号,物流公司,运单号\n'=1+2,顺丰速运,SF1000000001\nT2,'@SUM(A1),SF1000000001\n"
        );
        assert!(!path.with_extension("csv.part").exists());
    }

    #[test]
    fn shopify_orders_are_named_as_shopify_writes_them() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("shopify.csv");
        let row = ShippedRow {
            id: 1,
            order_no: "1001".to_owned(),
            platform: "shopify".to_owned(),
            courier: "UPS".to_owned(),
            tracking_no: "1Z999".to_owned(),
            printed_at: String::new(),
        };
        write_shipped_csv(&[row], Some("shopify"), &path).expect("written");
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(
            text,
            "Name,Tracking Company,Tracking Number\n#1001,UPS,1Z999\n"
        );
    }

    #[test]
    fn lp_never_takes_the_file_for_an_option() {
        for name in [
            "-dEVIL.pdf",
            "--out=-dEVIL.pdf",
            "-",
            "sub/-o.pdf",
            "waybills.pdf",
        ] {
            let arguments = lp_arguments(Path::new(name)).expect("arguments");
            assert_eq!(arguments.len(), 1, "{name}");
            assert!(arguments[0].is_absolute(), "{name}: {arguments:?}");
            assert!(arguments[0].ends_with(name), "{name}: {arguments:?}");
            assert!(!arguments[0].to_string_lossy().starts_with('-'), "{name}");
        }
    }
}
