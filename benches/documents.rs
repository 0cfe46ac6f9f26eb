//! Shipping documents: 1,000 waybills in one PDF (time, bytes per label), the
//! pick list of 1,000 orders, and the same 1,000 labels drawn by ReportLab (Python) with
//! the same font (subset), fields and Code128 barcode, in the same run, for the ratio.
//!
//! `cargo bench --bench documents` (`-- N` for another number of orders). Builds a demo
//! shop in a temp dir, reads N orders through the store as the print job does, then
//! draws. If `python3` or its `reportlab` package is missing, says so and skips that part.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::time::{Duration, Instant};

use shopdesk::docs::picklist::{PickListHead, pick_list};
use shopdesk::docs::waybill::{Sender, WaybillOptions, waybills};
use shopdesk::domain::shipping::{LabelSize, ShipOrder, plan_pick_list};
use shopdesk::store::{OrderQuery, Store};

const RUNS: usize = 5;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn reportlab_version() -> String {
    Command::new("python3")
        .args(["-c", "import reportlab; print(reportlab.Version)"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("shop.db");
    let mut store = Store::open(&db)?;
    let now = chrono::Local::now().fixed_offset();
    store.load_demo((n as u64) * 2, 6, now, &mut |_| true)?;
    let ids: Vec<i64> = store
        .query_orders(&OrderQuery {
            limit: n as u32,
            ..OrderQuery::default()
        })?
        .into_iter()
        .map(|r| r.id)
        .collect();

    let started = Instant::now();
    let mut orders = store.ship_orders(&ids)?;
    let read = started.elapsed();
    for (i, o) in orders.iter_mut().enumerate() {
        if o.tracking_no.is_empty() {
            o.tracking_no = format!("SF{:012}", 700_000_000_000u64 + i as u64);
        }
    }
    let settings = store.settings()?;
    let options = WaybillOptions {
        courier_name: "顺丰速运".to_owned(),
        size: LabelSize::Mm100x150,
        mask_phone: false,
        sender: Sender {
            name: settings.sender_name.clone(),
            phone: settings.sender_phone.clone(),
            address: settings.sender_address.clone(),
        },
        template: None,
    };
    println!("shipping documents, {n} orders (demo shop), median of {RUNS} runs");
    println!("  read {n} orders through the store: {}", secs(read));

    // Warm-up: parse the font once, as the app does on its first print.
    let started = Instant::now();
    waybills(&orders[..1], &options, &mut |_, _| true).map_err(anyhow::Error::msg)?;
    println!(
        "  first label of the process (font parsed once): {}",
        secs(started.elapsed())
    );

    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let rendered = waybills(&orders, &options, &mut |_, _| true).map_err(anyhow::Error::msg)?;
        times.push(started.elapsed());
        bytes = rendered.pdf.len();
        std::fs::write(dir.path().join("waybills.pdf"), &rendered.pdf)?;
    }
    let labels = median(times);
    println!(
        "  {n} waybills 100×150 in one PDF: {} ({:.2} ms/label), {} KB, {:.1} KB/label",
        secs(labels),
        labels.as_secs_f64() * 1000.0 / n as f64,
        bytes / 1024,
        bytes as f64 / 1024.0 / n as f64
    );

    let mut times = Vec::new();
    let mut pages = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let lines = plan_pick_list(&orders.iter().map(ShipOrder::pick_order).collect::<Vec<_>>());
        let head = PickListHead {
            shop_name: settings.shop_name.clone(),
            batch_no: "PL000001".to_owned(),
            created_at: "2026-11-22 09:00".to_owned(),
            orders: orders.len(),
        };
        let rendered = pick_list(&head, &lines, &mut |_, _| true).map_err(anyhow::Error::msg)?;
        times.push(started.elapsed());
        pages = rendered.pages;
    }
    println!(
        "  pick list of {n} orders (plan + PDF, {pages} pages): {}",
        secs(median(times))
    );

    // ReportLab: the same labels from the same data.
    let json = dir.path().join("labels.json");
    let views: Vec<serde_json::Value> = orders
        .iter()
        .map(|o| {
            serde_json::json!({
                "courier": options.courier_name,
                "tracking": o.tracking_no,
                "name": o.receiver_name,
                "phone": o.receiver_phone,
                "region": format!("{} {} {}", o.province, o.city, o.district),
                "address": o.address,
                "postcode": o.postcode,
                "sender": format!("{}  {}", options.sender.name, options.sender.phone),
                "sender_address": options.sender.address,
                "goods": o.goods(),
                "quantity": o.quantity(),
                "order_no": o.order_no,
            })
        })
        .collect();
    std::fs::write(&json, serde_json::to_vec(&views)?)?;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/reportlab_labels.py");
    let font = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/fonts/WenQuanYiMicroHei.ttf"
    );
    let out_pdf = dir.path().join("reportlab.pdf");
    let mut rl_times = Vec::new();
    let mut rl_font = Vec::new();
    let mut rl_bytes = 0;
    for _ in 0..RUNS {
        let output = Command::new("python3")
            .args([
                script,
                json.to_str().unwrap_or(""),
                font,
                out_pdf.to_str().unwrap_or(""),
            ])
            .output();
        match output {
            Ok(out) if out.status.success() => {
                let text = String::from_utf8_lossy(&out.stdout);
                let field = |name: &str| -> f64 {
                    text.split_whitespace()
                        .find_map(|w| w.strip_prefix(name).and_then(|s| s.parse().ok()))
                        .unwrap_or(0.0)
                };
                rl_times.push(Duration::from_secs_f64(field("seconds=")));
                rl_font.push(Duration::from_secs_f64(field("font_seconds=")));
                rl_bytes = std::fs::metadata(&out_pdf).map(|m| m.len()).unwrap_or(0);
            }
            Ok(out) => {
                println!(
                    "  ReportLab: skipped ({})",
                    String::from_utf8_lossy(&out.stderr)
                        .lines()
                        .last()
                        .unwrap_or("failed")
                );
                return Ok(());
            }
            Err(e) => {
                println!("  ReportLab: skipped (python3 not found: {e})");
                return Ok(());
            }
        }
    }
    let rl = median(rl_times);
    println!(
        "  ReportLab {}, same {n} labels (draw + save; font load {} and interpreter start excluded): {} ({:.2} ms/label), {} KB, {:.1} KB/label",
        reportlab_version(),
        secs(median(rl_font)),
        secs(rl),
        rl.as_secs_f64() * 1000.0 / n as f64,
        rl_bytes / 1024,
        rl_bytes as f64 / 1024.0 / n as f64
    );
    println!(
        "  ratio ReportLab / ShopDesk: {:.1}× the time, {:.2}× the bytes",
        rl.as_secs_f64() / labels.as_secs_f64(),
        rl_bytes as f64 / bytes as f64
    );
    Ok(())
}
