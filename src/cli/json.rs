//! The JSON of `orders --json`. Field names are a contract other tools rely on.

use std::io::Write;

use serde::Serialize;

use crate::store::{OrderDetail, OrderQuery, Store};

#[derive(Serialize)]
struct OrderJson<'a> {
    order_no: &'a str,
    platform: &'a str,
    state: &'a str,
    paid: bool,
    payment_status: &'a str,
    on_hold: bool,
    buyer_id: &'a str,
    buyer_name: &'a str,
    receiver_name: &'a str,
    receiver_phone: &'a str,
    receiver_phone2: &'a str,
    province: &'a str,
    city: &'a str,
    district: &'a str,
    address: &'a str,
    postcode: &'a str,
    buyer_message: &'a str,
    goods_cents: i64,
    postage_cents: i64,
    discount_cents: i64,
    total_cents: i64,
    paid_cents: i64,
    refunded_cents: i64,
    flag: &'a str,
    remark: &'a str,
    courier: &'a str,
    tracking_no: &'a str,
    ordered_at: &'a str,
    shipped_at: Option<&'a str>,
    weight_grams: Option<i64>,
    handover_id: Option<i64>,
    reshipment_of: Option<&'a str>,
    reshipments: &'a [String],
    merged_order_nos: &'a [String],
    cases: &'a [i64],
    lines: Vec<LineJson<'a>>,
}

#[derive(Serialize)]
struct LineJson<'a> {
    sku: &'a str,
    product_code: Option<&'a str>,
    title: &'a str,
    attributes: &'a str,
    quantity: i64,
    unit_price_cents: i64,
}

fn order_json(d: &OrderDetail) -> OrderJson<'_> {
    OrderJson {
        order_no: &d.row.order_no,
        platform: &d.row.platform,
        state: d.row.state.code(),
        paid: d.row.payment.is_paid(),
        payment_status: d.row.payment.code(),
        on_hold: d.row.on_hold,
        buyer_id: &d.row.buyer_id,
        buyer_name: &d.buyer_name,
        receiver_name: &d.row.receiver_name,
        receiver_phone: &d.row.receiver_phone,
        receiver_phone2: &d.receiver_phone2,
        province: &d.row.province,
        city: &d.row.city,
        district: &d.district,
        address: &d.address,
        postcode: &d.postcode,
        buyer_message: &d.buyer_message,
        goods_cents: d.amounts.goods_cents,
        postage_cents: d.amounts.postage_cents,
        discount_cents: d.amounts.discount_cents,
        total_cents: d.row.total_cents,
        paid_cents: d.amounts.paid_cents,
        refunded_cents: d.amounts.refunded_cents,
        flag: d.row.flag.code(),
        remark: &d.row.seller_remark,
        courier: &d.row.courier,
        tracking_no: &d.row.tracking_no,
        ordered_at: &d.row.ordered_at,
        shipped_at: d.shipped_at.as_deref(),
        weight_grams: d.weight_grams,
        handover_id: d.handover_id,
        reshipment_of: d.reshipment_of.as_deref(),
        reshipments: &d.reshipments,
        merged_order_nos: &d.merged_order_nos,
        cases: &d.cases,
        lines: d
            .lines
            .iter()
            .map(|l| LineJson {
                sku: &l.sku,
                product_code: l.product_code.as_deref(),
                title: &l.title,
                attributes: &l.attributes,
                quantity: l.quantity,
                unit_price_cents: l.unit_price_cents,
            })
            .collect(),
    }
}

/// One order as `orders --json` shows it.
pub fn write_order(detail: &OrderDetail, out: &mut impl Write) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &order_json(detail))?;
    writeln!(out)?;
    Ok(())
}

/// Streams the matching orders as one JSON array, an order per line.
pub fn write_orders(store: &Store, query: &OrderQuery, out: &mut impl Write) -> anyhow::Result<()> {
    write!(out, "[")?;
    let mut first = true;
    store.for_each_order_detail(query, |detail| {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        serde_json::to_writer(&mut *out, &order_json(&detail))?;
        Ok(())
    })?;
    writeln!(out, "{}]", if first { "" } else { "\n" })?;
    Ok(())
}
