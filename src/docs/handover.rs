//! The courier hand-over list (交接单 / 底单) on A4: courier, date, the count scanned against
//! the count expected, every tracking number handed over, the shipped parcels that were not
//! scanned (to be chased at once), and signature lines for the courier and the shop. It is
//! the shop's proof if a parcel is later lost.

use super::{Align, Doc, Page, Rendered};

const A4: (f32, f32) = (210.0, 297.0);
const MARGIN: f32 = 12.0;
const RIGHT: f32 = 198.0;
const SIZE: f32 = 9.5;
/// Columns: #, tracking number, order number, receiver, scanned at.
const COLS: [f32; 5] = [12.0, 22.0, 72.0, 122.0, 160.0];

/// One parcel line of the list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HandoverLine {
    pub tracking_no: String,
    pub order_no: String,
    pub receiver_name: String,
    /// `HH:MM` of the scan (empty for a missing parcel).
    pub time: String,
}

/// Everything the list prints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HandoverSheet {
    pub shop_name: String,
    /// `HO000012`, printed and as a barcode.
    pub number: String,
    pub courier: String,
    pub date: String,
    pub started_at: String,
    pub closed_at: String,
    pub handed_by: String,
    pub expected: i64,
    pub parcels: Vec<HandoverLine>,
    pub missing: Vec<HandoverLine>,
}

fn head(p: &mut Page, sheet: &HandoverSheet, page_no: usize, warnings: &mut Vec<String>) -> f32 {
    p.grey(0.0);
    p.set_bold(true);
    p.text(
        MARGIN,
        MARGIN,
        16.0,
        Align::Left,
        "快递交接单 Courier hand-over",
    );
    p.set_bold(false);
    p.text(MARGIN, MARGIN + 8.0, 10.0, Align::Left, &sheet.shop_name);
    p.text(
        MARGIN,
        MARGIN + 13.5,
        10.0,
        Align::Left,
        &format!(
            "快递公司 Courier: {}    日期 Date: {}    第 {page_no} 页 page",
            sheet.courier, sheet.date
        ),
    );
    p.barcode(165.0, MARGIN, 58.0, 11.0, &sheet.number, warnings);
    p.text(165.0, MARGIN + 11.5, 9.0, Align::Center, &sheet.number);
    MARGIN + 20.0
}

fn table_head(p: &mut Page, y: f32, title: &str) -> f32 {
    p.set_bold(true);
    p.text(MARGIN, y, 11.0, Align::Left, title);
    p.set_bold(false);
    let top = y + 6.0;
    p.line(MARGIN, top, RIGHT, top, 0.6);
    let labels = [
        "#",
        "运单号 Tracking no.",
        "订单号 Order no.",
        "收件人 Receiver",
        "扫描 Scanned",
    ];
    for (x, label) in COLS.iter().zip(labels) {
        p.text(*x + 1.0, top + 1.0, 8.0, Align::Left, label);
    }
    p.line(MARGIN, top + 6.0, RIGHT, top + 6.0, 0.4);
    top + 7.0
}

/// The hand-over list PDF.
pub fn handover_list(sheet: &HandoverSheet) -> Result<Rendered, String> {
    let mut doc = Doc::new(&format!("Hand-over {}", sheet.number))?;
    let mut warnings = Vec::new();
    let mut page_no = 1;
    let mut p = doc.page(A4.0, A4.1);
    let mut y = head(&mut p, sheet, page_no, &mut warnings);
    p.set_bold(true);
    p.text(
        MARGIN,
        y,
        13.0,
        Align::Left,
        &format!(
            "交接 {} 件 / 应交 {} 件   Handed over {} of {} expected",
            sheet.parcels.len(),
            sheet.expected,
            sheet.parcels.len(),
            sheet.expected
        ),
    );
    p.set_bold(false);
    y += 7.0;
    p.text(
        MARGIN,
        y,
        9.0,
        Align::Left,
        &format!(
            "开始 Started {} · 结束 Closed {} · 交接人 By {}",
            sheet.started_at, sheet.closed_at, sheet.handed_by
        ),
    );
    y += 8.0;
    let bottom = A4.1 - MARGIN - 30.0;
    let lh = Page::line_height(SIZE) + 1.2;
    let sections: [(&str, &[HandoverLine]); 2] = [
        ("已交接 Handed over", &sheet.parcels),
        (
            "未扫描，请立即追查 Shipped but not scanned: chase at once",
            &sheet.missing,
        ),
    ];
    for (title, lines) in sections {
        if lines.is_empty() {
            continue;
        }
        if y + 20.0 > bottom {
            doc.push(p);
            page_no += 1;
            p = doc.page(A4.0, A4.1);
            y = head(&mut p, sheet, page_no, &mut warnings);
        }
        y = table_head(&mut p, y, title);
        for (i, line) in lines.iter().enumerate() {
            if y + lh > bottom {
                doc.push(p);
                page_no += 1;
                p = doc.page(A4.0, A4.1);
                y = head(&mut p, sheet, page_no, &mut warnings);
                y = table_head(&mut p, y, title);
            }
            let cells = [
                (i + 1).to_string(),
                line.tracking_no.clone(),
                line.order_no.clone(),
                line.receiver_name.clone(),
                line.time.clone(),
            ];
            for (at, cell) in cells.iter().enumerate() {
                let width = COLS.get(at + 1).copied().unwrap_or(RIGHT) - COLS[at] - 2.0;
                p.text_fit_line(COLS[at] + 1.0, y, width, SIZE, 6.5, Align::Left, cell);
            }
            y += lh;
        }
        y += 6.0;
    }
    // The signatures close the last page.
    let sign = A4.1 - MARGIN - 22.0;
    p.line(MARGIN, sign, RIGHT, sign, 0.4);
    p.text(
        MARGIN,
        sign + 4.0,
        10.0,
        Align::Left,
        &format!(
            "快递员签字 Courier signature: ____________________    件数 Parcels: {}",
            sheet.parcels.len()
        ),
    );
    p.text(
        MARGIN,
        sign + 13.0,
        10.0,
        Align::Left,
        &format!(
            "交接人 Handed over by: {}    日期时间 Date and time: ____________________",
            sheet.handed_by
        ),
    );
    doc.push(p);
    let mut rendered = doc.finish();
    rendered.warnings.append(&mut warnings);
    Ok(rendered)
}
