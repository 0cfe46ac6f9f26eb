//! Foundation workloads: writing the sample shop, opening the window on it, and
//! what a frame costs while switching tabs. Prints figures; asserts nothing about time.
//!
//! `cargo bench --bench foundation` (1,000,000 orders), or
//! `cargo bench --bench foundation -- 100000` for a quicker run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use shopdesk::store::{OrderQuery, Store};
use shopdesk::ui::{Prefs, ShopDeskApp, Tab};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> anyhow::Result<()> {
    let orders: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.db");
    println!("foundation benchmark, {orders} orders, {}", path.display());

    // 1. The sample shop, as `shopdesk demo --orders N` writes it.
    let mut store = Store::open(&path)?;
    let now = chrono::Local::now().fixed_offset();
    let started = Instant::now();
    let summary = store.load_demo(orders, 1, now, &mut |_| true)?;
    let demo = started.elapsed();
    drop(store);
    let size = std::fs::metadata(&path)?.len()
        + std::fs::metadata(dir.path().join("bench.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    println!(
        "demo: {} orders, {} movements in {:.2} s ({:.0} orders/s), file {:.0} MB",
        summary.orders,
        summary.movements,
        demo.as_secs_f64(),
        summary.orders as f64 / demo.as_secs_f64(),
        size as f64 / 1e6
    );
    let t = summary.timings;
    println!(
        "  phases: orders {:.2} s, indexes {:.2} s, stock {:.2} s, commit {:.2} s, analyze {:.2} s",
        t.orders.as_secs_f64(),
        t.indexes.as_secs_f64(),
        t.stock.as_secs_f64(),
        t.commit.as_secs_f64(),
        t.analyze.as_secs_f64()
    );

    // 2. Opening: the store, then the window's first complete view (counts, settings and
    //    the first page of orders), measured from nothing to a drawn frame.
    let started = Instant::now();
    let store = Store::open(&path)?;
    let first_page = store.query_orders(&OrderQuery {
        limit: 200,
        ..OrderQuery::default()
    })?;
    println!(
        "open store + first page of {} orders: {}",
        first_page.len(),
        ms(started.elapsed())
    );
    drop(store);

    let ctx = egui::Context::default();
    let started = Instant::now();
    let mut app = ShopDeskApp::new(&ctx, path.clone(), Prefs::default())?;
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..egui::RawInput::default()
    };
    // Frames until the list shows rows: the first frame asks, the backend answers.
    let mut frames = 0;
    loop {
        let _ = ctx.run_ui(input(), |ui| app.ui(ui));
        frames += 1;
        if app.tabs.orders.total.is_some() && !app.tabs.orders.loaded_rows().is_empty() {
            break;
        }
        app.settle();
    }
    let _ = ctx.run_ui(input(), |ui| app.ui(ui));
    println!(
        "window: first frame with orders on screen after {} ({frames} frames)",
        ms(started.elapsed())
    );

    // 3. Frame cost of the Orders tab while scrolling the list (pages of rows arrive from
    //    the backend between frames, as they would while the wheel turns).
    app.prefs.tab = Tab::Orders;
    let mut scroll_times = Vec::new();
    for frame in 0..300 {
        let mut raw = input();
        raw.events
            .push(egui::Event::PointerMoved(egui::pos2(500.0, 400.0)));
        raw.events.push(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Line,
            delta: egui::vec2(0.0, -3.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: egui::Modifiers::NONE,
        });
        let started = Instant::now();
        let _ = ctx.run_ui(raw, |ui| app.ui(ui));
        scroll_times.push(started.elapsed());
        if frame % 10 == 0 {
            app.settle();
        }
    }
    scroll_times.sort();
    println!(
        "orders tab scrolling frame: median {}, p99 {}, max {} over {} frames",
        ms(percentile(&scroll_times, 0.5)),
        ms(percentile(&scroll_times, 0.99)),
        ms(*scroll_times.last().unwrap_or(&Duration::ZERO)),
        scroll_times.len()
    );

    // 4. Frame cost while switching tabs: the frame never waits for the database.
    let mut times = Vec::new();
    for round in 0..20 {
        for &tab in Tab::ALL {
            app.prefs.tab = tab;
            let started = Instant::now();
            let _ = ctx.run_ui(input(), |ui| app.ui(ui));
            times.push(started.elapsed());
            if round % 5 == 0 {
                app.settle();
            }
        }
    }
    times.sort();
    println!(
        "tab switch frame: median {}, p99 {}, max {} over {} frames",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap_or(&Duration::ZERO)),
        times.len()
    );
    Ok(())
}
