//! The batch pick list on A4: one line per single item (bundles exploded) in walking order
//! of the bins, total quantity and the order slots that take how many; the batch number
//! as a barcode on every page.

use super::{Align, CANCELLED, Doc, Page, Progress, Rendered};
use crate::domain::shipping::PickLine;

pub const A4: (f32, f32) = (210.0, 297.0);

/// The head of a pick list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PickListHead {
    pub shop_name: String,
    pub batch_no: String,
    pub created_at: String,
    pub orders: usize,
}

const MARGIN: f32 = 10.0;
/// Columns: #, bin, code, name and attributes, quantity, slots (x of each left edge).
const COLS: [f32; 6] = [10.0, 20.0, 42.0, 72.0, 134.0, 148.0];
const RIGHT: f32 = 200.0;
const SIZE: f32 = 9.0;

fn header(
    p: &mut Page,
    head: &PickListHead,
    page_no: usize,
    pieces: i64,
    warnings: &mut Vec<String>,
) -> f32 {
    p.grey(0.0);
    p.set_bold(true);
    p.text(MARGIN, MARGIN, 16.0, Align::Left, "拣货单 Pick list");
    p.set_bold(false);
    p.text(MARGIN, MARGIN + 8.0, 10.0, Align::Left, &head.shop_name);
    p.text(
        MARGIN,
        MARGIN + 13.0,
        9.0,
        Align::Left,
        &format!(
            "{} · {} orders 订单 · {} pieces 件 · {} · page {page_no}",
            head.created_at, head.orders, pieces, head.batch_no
        ),
    );
    p.barcode(170.0, MARGIN, 60.0, 12.0, &head.batch_no, warnings);
    p.text(170.0, MARGIN + 12.5, 9.0, Align::Center, &head.batch_no);
    let top = MARGIN + 20.0;
    p.line(MARGIN, top, RIGHT, top, 0.8);
    let labels = [
        "#",
        "货位 Bin",
        "编码 Code",
        "名称 / 属性 Item",
        "数量 Qty",
        "单格 Slots ×qty",
    ];
    for (x, label) in COLS.iter().zip(labels) {
        p.text(*x + 1.0, top + 1.0, 8.0, Align::Left, label);
    }
    p.line(MARGIN, top + 6.0, RIGHT, top + 6.0, 0.5);
    top + 7.0
}

/// The pick list PDF. The lines come from `domain::shipping::plan_pick_list`.
pub fn pick_list(
    head: &PickListHead,
    lines: &[PickLine],
    progress: Progress<'_>,
) -> Result<Rendered, String> {
    let mut doc = Doc::new(&format!("Pick list {}", head.batch_no))?;
    let mut warnings = Vec::new();
    let pieces: i64 = lines.iter().map(|l| l.total).sum();
    let mut page_no = 1;
    let mut p = doc.page(A4.0, A4.1);
    let mut y = header(&mut p, head, page_no, pieces, &mut warnings);
    let bottom = A4.1 - MARGIN - 6.0;
    let lh = Page::line_height(SIZE);
    for (i, line) in lines.iter().enumerate() {
        if i % 100 == 0 && !progress(i, lines.len()) {
            return Err(CANCELLED.to_owned());
        }
        // Names often carry their attributes already ("T恤 黑色 M"): say them once.
        let named = line
            .attributes
            .split('/')
            .all(|value| line.name.contains(value));
        let item = if line.attributes.is_empty() || named {
            line.name.clone()
        } else {
            format!("{} · {}", line.name, line.attributes)
        };
        let slots = line
            .slots
            .iter()
            .map(|(slot, q)| {
                if *q == 1 {
                    format!("{slot}")
                } else {
                    format!("{slot}×{q}")
                }
            })
            .collect::<Vec<_>>()
            .join("  ");
        let item_fit = p.fit(&item, COLS[4] - COLS[3] - 2.0, lh * 3.0, SIZE, 7.0);
        let slot_fit = p.fit(&slots, RIGHT - COLS[5] - 2.0, lh * 20.0, SIZE, 7.0);
        let rows = item_fit.lines.len().max(slot_fit.lines.len()).max(1);
        let height = rows as f32 * lh + 2.0;
        if y + height > bottom {
            doc.push(p);
            page_no += 1;
            p = doc.page(A4.0, A4.1);
            y = header(&mut p, head, page_no, pieces, &mut warnings);
        }
        p.text(
            COLS[0] + 1.0,
            y + 1.0,
            SIZE,
            Align::Left,
            &(i + 1).to_string(),
        );
        p.set_bold(true);
        p.text_fit_line(
            COLS[1] + 1.0,
            y + 1.0,
            COLS[2] - COLS[1] - 2.0,
            SIZE,
            6.0,
            Align::Left,
            &line.bin,
        );
        p.set_bold(false);
        p.text_fit_line(
            COLS[2] + 1.0,
            y + 1.0,
            COLS[3] - COLS[2] - 2.0,
            SIZE,
            6.0,
            Align::Left,
            &line.code,
        );
        let ilh = Page::line_height(item_fit.size);
        for (n, text) in item_fit.lines.iter().enumerate() {
            p.text(
                COLS[3] + 1.0,
                y + 1.0 + n as f32 * ilh,
                item_fit.size,
                Align::Left,
                text,
            );
        }
        p.set_bold(true);
        p.text(
            COLS[5] - 3.0,
            y + 1.0,
            11.0,
            Align::Right,
            &line.total.to_string(),
        );
        p.set_bold(false);
        let slh = Page::line_height(slot_fit.size);
        for (n, text) in slot_fit.lines.iter().enumerate() {
            p.text(
                COLS[5] + 1.0,
                y + 1.0 + n as f32 * slh,
                slot_fit.size,
                Align::Left,
                text,
            );
        }
        y += height;
        p.line(MARGIN, y, RIGHT, y, 0.2);
    }
    y += 3.0;
    if y + 8.0 > bottom {
        doc.push(p);
        page_no += 1;
        p = doc.page(A4.0, A4.1);
        y = header(&mut p, head, page_no, pieces, &mut warnings);
    }
    p.set_bold(true);
    p.text(
        MARGIN,
        y,
        10.0,
        Align::Left,
        &format!("合计 Total: {} lines 行, {pieces} pieces 件", lines.len()),
    );
    p.set_bold(false);
    doc.push(p);
    doc.warnings.extend(warnings);
    Ok(doc.finish())
}
