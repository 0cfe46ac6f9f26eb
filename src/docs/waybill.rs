//! Courier waybills: one label per page in batch order, on thermal label sizes or A4; or
//! the fields alone at template positions on a courier's pre-printed form, with a
//! calibration page to find the printer's offset.
//!
//! The label is designed on 100×150 mm and scaled to the chosen size (x and y
//! separately, type by the smaller factor).

use super::{Align, CANCELLED, Doc, Page, Progress, Rendered};
use crate::domain::format_cents;
use crate::domain::shipping::{FormField, FormTemplate, LabelSize, ShipOrder, mask_phone};

/// Who sends: Settings, or the courier's overrides.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sender {
    pub name: String,
    pub phone: String,
    pub address: String,
}

/// How a batch of waybills is printed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WaybillOptions {
    pub courier_name: String,
    pub size: LabelSize,
    /// Print the receiver's phone as 138****1234.
    pub mask_phone: bool,
    pub sender: Sender,
    /// A pre-printed form: print only the fields at the template's positions.
    pub template: Option<FormTemplate>,
}

/// Scales the 100×150 design to the page.
struct Scale {
    sx: f32,
    sy: f32,
    s: f32,
}

impl Scale {
    fn x(&self, v: f32) -> f32 {
        v * self.sx
    }
    fn y(&self, v: f32) -> f32 {
        v * self.sy
    }
    fn pt(&self, v: f32) -> f32 {
        v * self.s
    }
}

/// The waybills of these orders, one per page, in the order given.
pub fn waybills(
    orders: &[ShipOrder],
    options: &WaybillOptions,
    progress: Progress<'_>,
) -> Result<Rendered, String> {
    let mut doc = Doc::new("Waybills")?;
    let mut warnings = Vec::new();
    for (i, order) in orders.iter().enumerate() {
        if !progress(i, orders.len()) {
            return Err(CANCELLED.to_owned());
        }
        let mut local = Vec::new();
        let mut page = match &options.template {
            Some(template) => form_page(&doc, order, options, template, &mut local),
            None => label_page(&doc, order, options, &mut local),
        };
        local.append(&mut page.warnings);
        doc.push(page);
        warnings.extend(
            local
                .into_iter()
                .map(|w| format!("order {}: {w}", order.order_no)),
        );
    }
    progress(orders.len(), orders.len());
    doc.warnings.extend(warnings);
    Ok(doc.finish())
}

fn address_line(order: &ShipOrder) -> String {
    [&order.province, &order.city, &order.district]
        .into_iter()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

fn phone(order: &ShipOrder, options: &WaybillOptions) -> String {
    if options.mask_phone {
        mask_phone(&order.receiver_phone)
    } else {
        order.receiver_phone.clone()
    }
}

fn label_page(
    doc: &Doc,
    order: &ShipOrder,
    options: &WaybillOptions,
    warnings: &mut Vec<String>,
) -> Page {
    let (w, h) = options.size.mm();
    let mut p = doc.page(w, h);
    let k = Scale {
        sx: w / 100.0,
        sy: h / 150.0,
        s: (w / 100.0).min(h / 150.0),
    };
    let left = k.x(4.0);
    let inner = k.x(92.0);
    p.grey(0.0);
    p.stroke_rect(k.x(2.0), k.y(2.0), k.x(96.0), k.y(146.0), 1.0);

    // Courier and order kind.
    p.set_bold(true);
    p.text_fit_line(
        left,
        k.y(4.0),
        k.x(60.0),
        k.pt(16.0),
        k.pt(9.0),
        Align::Left,
        &options.courier_name,
    );
    if order.cod_cents.is_some() {
        p.fill_rect(k.x(70.0), k.y(3.5), k.x(26.0), k.y(9.0));
        p.grey(1.0);
        p.text(k.x(83.0), k.y(5.0), k.pt(12.0), Align::Center, "代收货款");
        p.grey(0.0);
    }
    p.set_bold(false);
    p.line(k.x(2.0), k.y(14.0), k.x(98.0), k.y(14.0), 0.8);

    // Tracking number: the barcode the courier scans, and the number under it.
    if order.tracking_no.is_empty() {
        warnings.push("no tracking number".to_owned());
    } else {
        p.barcode(
            k.x(50.0),
            k.y(16.0),
            k.x(92.0),
            k.y(17.0),
            &order.tracking_no,
            warnings,
        );
        p.set_bold(true);
        p.text(
            k.x(50.0),
            k.y(34.0),
            k.pt(11.0),
            Align::Center,
            &spaced(&order.tracking_no),
        );
        p.set_bold(false);
    }
    p.line(k.x(2.0), k.y(40.0), k.x(98.0), k.y(40.0), 0.8);

    // Receiver: the part the courier's sorters read.
    p.text(left, k.y(41.0), k.pt(7.0), Align::Left, "收件人 To");
    p.set_bold(true);
    let who = format!("{}  {}", order.receiver_name, phone(order, options));
    p.text_fit_line(
        left,
        k.y(45.0),
        inner,
        k.pt(13.0),
        k.pt(8.0),
        Align::Left,
        &who,
    );
    let region = address_line(order);
    p.text_fit_line(
        left,
        k.y(52.0),
        inner,
        k.pt(14.0),
        k.pt(8.0),
        Align::Left,
        &region,
    );
    p.set_bold(false);
    p.text_box(
        left,
        k.y(59.0),
        inner,
        k.y(14.5),
        k.pt(11.0),
        k.pt(6.5),
        &order.address,
        "receiver address",
        warnings,
    );
    if !order.postcode.is_empty() {
        p.text(
            left,
            k.y(74.5),
            k.pt(9.0),
            Align::Left,
            &format!("邮编 {}", order.postcode),
        );
    }
    p.line(k.x(2.0), k.y(80.0), k.x(98.0), k.y(80.0), 0.8);

    // Sender.
    p.text(left, k.y(81.0), k.pt(7.0), Align::Left, "寄件人 From");
    let from = format!("{}  {}", options.sender.name, options.sender.phone);
    p.text_fit_line(
        left,
        k.y(84.0),
        inner,
        k.pt(9.0),
        k.pt(6.0),
        Align::Left,
        &from,
    );
    p.text_box(
        left,
        k.y(88.0),
        inner,
        k.y(7.5),
        k.pt(8.0),
        k.pt(5.5),
        &options.sender.address,
        "sender address",
        warnings,
    );
    p.line(k.x(2.0), k.y(96.0), k.x(98.0), k.y(96.0), 0.8);

    // Goods, quantity, cash on delivery.
    p.text(left, k.y(97.0), k.pt(7.0), Align::Left, "物品 Goods");
    p.text_box(
        left,
        k.y(100.5),
        inner,
        k.y(14.0),
        k.pt(9.0),
        k.pt(5.5),
        &order.goods(),
        "goods",
        warnings,
    );
    p.text(
        left,
        k.y(115.5),
        k.pt(10.0),
        Align::Left,
        &format!("数量 Qty: {}", order.quantity()),
    );
    if let Some(cod) = order.cod_cents {
        p.set_bold(true);
        p.text(
            k.x(96.0),
            k.y(115.0),
            k.pt(12.0),
            Align::Right,
            &format!("代收 COD ¥{}", format_cents(cod)),
        );
        p.set_bold(false);
    }
    p.line(k.x(2.0), k.y(122.0), k.x(98.0), k.y(122.0), 0.8);

    // Order number and the packer's / receiver's signature.
    p.text(left, k.y(123.5), k.pt(7.0), Align::Left, "订单号 Order");
    p.text_fit_line(
        left,
        k.y(127.5),
        k.x(44.0),
        k.pt(10.0),
        k.pt(6.0),
        Align::Left,
        &order.order_no,
    );
    p.text(
        left,
        k.y(133.0),
        k.pt(7.0),
        Align::Left,
        &options.courier_name,
    );
    p.stroke_rect(k.x(52.0), k.y(124.0), k.x(44.0), k.y(22.0), 0.6);
    p.text(
        k.x(54.0),
        k.y(125.0),
        k.pt(7.0),
        Align::Left,
        "签收人 Signature",
    );
    p.text(k.x(54.0), k.y(140.5), k.pt(7.0), Align::Left, "日期 Date");
    p
}

/// `SF1234567890` → `SF 1234 5678 90`: easier to read aloud or type.
fn spaced(number: &str) -> String {
    let mut out = String::new();
    for (i, c) in number.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn field_text(field: FormField, order: &ShipOrder, options: &WaybillOptions) -> String {
    match field {
        FormField::SenderName => options.sender.name.clone(),
        FormField::SenderPhone => options.sender.phone.clone(),
        FormField::SenderAddress => options.sender.address.clone(),
        FormField::ReceiverName => order.receiver_name.clone(),
        FormField::ReceiverPhone => phone(order, options),
        FormField::ReceiverAddress => format!("{} {}", address_line(order), order.address),
        FormField::Postcode => order.postcode.clone(),
        FormField::Goods => order.goods(),
        FormField::Quantity => order.quantity().to_string(),
        FormField::Cod => order
            .cod_cents
            .map(|c| format!("¥{}", format_cents(c)))
            .unwrap_or_default(),
        FormField::OrderNo => order.order_no.clone(),
        FormField::TrackingNo => order.tracking_no.clone(),
    }
}

fn form_page(
    doc: &Doc,
    order: &ShipOrder,
    options: &WaybillOptions,
    template: &FormTemplate,
    warnings: &mut Vec<String>,
) -> Page {
    let mut p = doc.page(template.width, template.height);
    p.grey(0.0);
    for b in &template.fields {
        let text = field_text(b.field, order, options);
        p.text_box(
            b.x + template.offset_x,
            b.y + template.offset_y,
            b.width,
            b.height,
            b.size,
            b.size * 0.6,
            &text,
            b.field.code(),
            warnings,
        );
    }
    p
}

/// A calibration page for a pre-printed form: a millimetre grid and every field's box
/// with its name, offset as the template says. Print it on a blank form, measure how far
/// the boxes sit from the printed ones and enter that as the offset.
pub fn calibration_page(template: &FormTemplate) -> Result<Rendered, String> {
    let mut doc = Doc::new("Calibration")?;
    let mut p = doc.page(template.width, template.height);
    p.grey(0.0);
    let mut x = 0.0;
    while x <= template.width {
        let major = (x as i32) % 50 == 0;
        p.line(x, 0.0, x, template.height, if major { 0.6 } else { 0.15 });
        if (x as i32) % 10 == 0 && x > 0.0 {
            p.text(x + 0.5, 0.5, 5.0, Align::Left, &format!("{x:.0}"));
        }
        x += 5.0;
    }
    let mut y = 0.0;
    while y <= template.height {
        let major = (y as i32) % 50 == 0;
        p.line(0.0, y, template.width, y, if major { 0.6 } else { 0.15 });
        if (y as i32) % 10 == 0 && y > 0.0 {
            p.text(0.5, y + 0.5, 5.0, Align::Left, &format!("{y:.0}"));
        }
        y += 5.0;
    }
    for b in &template.fields {
        let (bx, by) = (b.x + template.offset_x, b.y + template.offset_y);
        p.stroke_rect(bx, by, b.width, b.height, 1.0);
        p.text(
            bx + 0.8,
            by + 0.8,
            b.size.min(9.0),
            Align::Left,
            b.field.code(),
        );
    }
    p.text(
        template.width / 2.0,
        template.height - 6.0,
        8.0,
        Align::Center,
        &format!(
            "ShopDesk calibration · offset x {:+.1} mm, y {:+.1} mm · 校准页",
            template.offset_x, template.offset_y
        ),
    );
    doc.push(p);
    Ok(doc.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::shipping::PickItem;

    fn order() -> ShipOrder {
        ShipOrder {
            slot: 1,
            order_no: "1001".to_owned(),
            receiver_name: "张三".to_owned(),
            receiver_phone: "13812341234".to_owned(),
            province: "浙江省".to_owned(),
            city: "杭州市".to_owned(),
            district: "西湖区".to_owned(),
            address: "文三路 1 号".to_owned(),
            tracking_no: "SF1234567890".to_owned(),
            items: vec![PickItem {
                code: "T1".to_owned(),
                name: "T恤".to_owned(),
                attributes: "红/M".to_owned(),
                bin: "A1".to_owned(),
                quantity: 1,
            }],
            ..ShipOrder::default()
        }
    }

    #[test]
    fn every_size_makes_one_page_and_missing_glyphs_are_reported() {
        for size in LabelSize::ALL {
            let options = WaybillOptions {
                courier_name: "顺丰速运".to_owned(),
                size,
                ..WaybillOptions::default()
            };
            let rendered = waybills(&[order()], &options, &mut |_, _| true).expect("pdf");
            assert_eq!(rendered.pages, 1);
            assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
            assert!(rendered.pdf.len() < 60_000, "{} bytes", rendered.pdf.len());
        }
        let mut odd = order();
        odd.receiver_name = "张三 🎁".to_owned();
        let rendered = waybills(&[odd], &WaybillOptions::default(), &mut |_, _| true).expect("pdf");
        assert!(
            rendered
                .warnings
                .iter()
                .any(|w| w.contains('🎁') && w.contains("1001")),
            "{:?}",
            rendered.warnings
        );
        let cancelled = waybills(
            &[order(), order()],
            &WaybillOptions::default(),
            &mut |i, _| i < 1,
        );
        assert_eq!(cancelled.err().as_deref(), Some(CANCELLED));
    }
}
