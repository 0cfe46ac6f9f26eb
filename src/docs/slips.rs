//! Packing slips: one per order, two to an A4 page (cut along the dashed line), in slot
//! order: slot number, order number as a barcode, receiver, the lines as sold with their
//! attributes, the buyer's message and the seller's remark. A slip with many lines
//! continues on the next page.

use super::picklist::A4;
use super::{Align, CANCELLED, Doc, Page, Progress, Rendered};
use crate::domain::shipping::ShipOrder;

const MARGIN: f32 = 10.0;
const HALF: f32 = A4.1 / 2.0;
const SIZE: f32 = 10.0;

/// The slips of these orders, in the order given (their slots).
pub fn slips(
    shop_name: &str,
    batch_no: Option<&str>,
    orders: &[ShipOrder],
    progress: Progress<'_>,
) -> Result<Rendered, String> {
    let mut doc = Doc::new("Packing slips")?;
    let mut warnings = Vec::new();
    let mut page: Option<Page> = None;
    let mut y = 0.0;
    for (i, order) in orders.iter().enumerate() {
        if !progress(i, orders.len()) {
            return Err(CANCELLED.to_owned());
        }
        // Each slip starts on the top or the bottom half of a page.
        let mut p = match page.take() {
            Some(p) if y <= HALF - 2.0 => {
                y = HALF;
                p
            }
            Some(p) => {
                doc.push(p);
                y = 0.0;
                doc.page(A4.0, A4.1)
            }
            None => {
                y = 0.0;
                doc.page(A4.0, A4.1)
            }
        };
        if y > 0.0 {
            cut_line(&mut p, y);
        }
        y += MARGIN;
        p.grey(0.0);
        p.set_bold(true);
        p.text(MARGIN, y, 22.0, Align::Left, &format!("#{}", order.slot));
        p.set_bold(false);
        p.text(MARGIN + 24.0, y, 12.0, Align::Left, "发货单 Packing slip");
        let sub = match batch_no {
            Some(b) => format!("{shop_name} · {b} · {}", order.platform),
            None => format!("{shop_name} · {}", order.platform),
        };
        p.text(MARGIN + 24.0, y + 6.0, 8.0, Align::Left, &sub);
        p.barcode(165.0, y, 70.0, 11.0, &order.order_no, &mut warnings);
        p.text(165.0, y + 11.5, 9.0, Align::Center, &order.order_no);
        y += 17.0;
        p.line(MARGIN, y, A4.0 - MARGIN, y, 0.6);
        y += 1.5;
        let receiver = format!(
            "收件人 To: {}  {}  {} {} {} {} {}",
            order.receiver_name,
            order.receiver_phone,
            order.province,
            order.city,
            order.district,
            order.address,
            order.postcode
        );
        y += p.text_box(
            MARGIN,
            y,
            A4.0 - 2.0 * MARGIN,
            Page::line_height(SIZE) * 3.0,
            SIZE,
            7.0,
            &receiver,
            "receiver",
            &mut warnings,
        );
        y += 1.0;
        p.line(MARGIN, y, A4.0 - MARGIN, y, 0.4);
        y += 1.0;
        let cols = [MARGIN, 55.0, 140.0, 185.0];
        for (x, label) in cols
            .iter()
            .zip(["编码 Code", "商品 Item", "属性 Attributes", "数量 Qty"])
        {
            p.text(*x + 1.0, y, 8.0, Align::Left, label);
        }
        y += 5.0;
        for line in &order.lines {
            let lh = Page::line_height(SIZE);
            let title = p.fit(&line.title, cols[2] - cols[1] - 2.0, lh * 2.0, SIZE, 7.0);
            let attributes = p.fit(
                &line.attributes,
                cols[3] - cols[2] - 2.0,
                lh * 2.0,
                SIZE,
                7.0,
            );
            let rows = title.lines.len().max(attributes.lines.len()).max(1);
            let height = rows as f32 * lh + 1.0;
            if y + height > A4.1 - MARGIN {
                doc.push(p);
                p = doc.page(A4.0, A4.1);
                y = MARGIN;
                p.text(
                    MARGIN,
                    y,
                    9.0,
                    Align::Left,
                    &format!("#{} {} (continued 续)", order.slot, order.order_no),
                );
                y += 6.0;
            }
            p.text_fit_line(
                cols[0] + 1.0,
                y,
                cols[1] - cols[0] - 2.0,
                SIZE,
                6.0,
                Align::Left,
                &line.code,
            );
            for (n, t) in title.lines.iter().enumerate() {
                p.text(
                    cols[1] + 1.0,
                    y + n as f32 * Page::line_height(title.size),
                    title.size,
                    Align::Left,
                    t,
                );
            }
            for (n, t) in attributes.lines.iter().enumerate() {
                p.text(
                    cols[2] + 1.0,
                    y + n as f32 * Page::line_height(attributes.size),
                    attributes.size,
                    Align::Left,
                    t,
                );
            }
            p.set_bold(true);
            p.text(
                A4.0 - MARGIN - 2.0,
                y,
                SIZE + 1.0,
                Align::Right,
                &line.quantity.to_string(),
            );
            p.set_bold(false);
            y += height;
            p.line(MARGIN, y - 0.5, A4.0 - MARGIN, y - 0.5, 0.15);
        }
        let pieces: i64 = order.lines.iter().map(|l| l.quantity).sum();
        p.text(
            A4.0 - MARGIN - 2.0,
            y + 0.5,
            9.0,
            Align::Right,
            &format!("合计 Total {pieces}"),
        );
        y += 6.0;
        for (label, text) in [
            ("买家留言 Buyer message: ", &order.buyer_message),
            ("卖家备注 Seller remark: ", &order.seller_remark),
        ] {
            if text.is_empty() {
                continue;
            }
            if y + 12.0 > A4.1 - MARGIN {
                doc.push(p);
                p = doc.page(A4.0, A4.1);
                y = MARGIN;
            }
            y += p.text_box(
                MARGIN,
                y,
                A4.0 - 2.0 * MARGIN,
                Page::line_height(SIZE) * 3.0,
                SIZE,
                7.0,
                &format!("{label}{text}"),
                label.trim_end_matches([':', ' ']),
                &mut warnings,
            );
            y += 1.0;
        }
        warnings.append(&mut p.warnings);
        let local: Vec<String> = warnings
            .drain(..)
            .map(|w| format!("order {}: {w}", order.order_no))
            .collect();
        doc.warnings.extend(local);
        page = Some(p);
    }
    if let Some(p) = page {
        doc.push(p);
    }
    progress(orders.len(), orders.len());
    Ok(doc.finish())
}

fn cut_line(p: &mut Page, y: f32) {
    let mut x = MARGIN;
    while x < A4.0 - MARGIN {
        p.line(x, y, (x + 3.0).min(A4.0 - MARGIN), y, 0.3);
        x += 5.0;
    }
}
