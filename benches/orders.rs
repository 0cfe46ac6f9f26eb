//! Order processing workloads: every kind of search and every filter change of
//! the order list, first page (200 rows) and count, on a million orders. Prints median and
//! p99; asserts nothing about time.
//!
//! `cargo bench --bench orders` builds a 1,000,000-order demo shop in a temp dir (minutes);
//! `cargo bench --bench orders -- --db PATH` reuses a shop written by
//! `shopdesk --db PATH demo --orders 1000000`; `-- 100000` for a smaller demo;
//! `-- --plans` also prints each query plan.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::{Datelike, Duration as Days, Local, NaiveDate};
use shopdesk::domain::{Flag, OrderState};
use shopdesk::store::{DateKind, OrderQuery, OrderSort, StateFilter, Store};

const RUNS: usize = 21;
const COUNT_CAP: i64 = 10_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:6.1}", d.as_secs_f64() * 1000.0)
}

/// Times `f` RUNS times (after one warm-up run) and returns (median, p99).
fn time<T>(mut f: impl FnMut() -> anyhow::Result<T>) -> anyhow::Result<(Duration, Duration, T)> {
    let first = f()?;
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        f()?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok((percentile(&times, 0.5), percentile(&times, 0.99), first))
}

struct Bench {
    store: Store,
    plans: bool,
    worst: Duration,
}

impl Bench {
    /// Measures one query: first page of 200 and the capped count.
    fn run(&mut self, label: &str, query: OrderQuery) -> anyhow::Result<()> {
        let page = OrderQuery {
            limit: 200,
            ..query.clone()
        };
        let (page_median, page_p99, rows) = time(|| Ok(self.store.query_orders(&page)?))?;
        let (count_median, count_p99, count) =
            time(|| Ok(self.store.count_orders_capped(&query, COUNT_CAP)?))?;
        self.worst = self.worst.max(page_p99).max(count_p99);
        println!(
            "{label:<44} page {} / {} ms ({:>3} rows)   count {} / {} ms ({}{})",
            ms(page_median),
            ms(page_p99),
            rows.len(),
            ms(count_median),
            ms(count_p99),
            count.count,
            if count.more { "+" } else { "" }
        );
        if self.plans {
            for step in self.store.explain_orders(&page)? {
                println!("{:>48}{step}", "");
            }
        }
        Ok(())
    }
}

/// Walks the whole list in `sort` by keyset, 200 rows a page, timing each page; prints the
/// median and p99 over all pages and the pages at rows 10,000 / 100,000 / the last, each
/// next to the same page read by offset (median of 5).
fn deep_pages(store: &Store, sort: OrderSort) -> anyhow::Result<()> {
    let first = OrderQuery {
        sort,
        limit: 200,
        ..OrderQuery::default()
    };
    let mut times = Vec::new();
    let mut at_rows = Vec::new();
    let mut rows = 0usize;
    let mut page = store.query_orders(&first)?;
    let last_row = store.count_orders(&first)? as usize;
    let marks = [10_000, 100_000, last_row.saturating_sub(200) / 200 * 200];
    while page.len() == 200 {
        rows += page.len();
        let query = OrderQuery {
            after: page.last().cloned().map(Box::new),
            offset: rows as u32,
            ..first.clone()
        };
        let started = Instant::now();
        page = store.query_orders(&query)?;
        let took = started.elapsed();
        times.push(took);
        if marks.contains(&rows) {
            let by_offset = OrderQuery {
                after: None,
                ..query.clone()
            };
            let mut offset_times = Vec::new();
            for _ in 0..5 {
                let started = Instant::now();
                let again = store.query_orders(&by_offset)?;
                offset_times.push(started.elapsed());
                assert_eq!(
                    again.iter().map(|r| r.id).collect::<Vec<_>>(),
                    page.iter().map(|r| r.id).collect::<Vec<_>>(),
                    "{sort:?} at row {rows}: keyset and offset pages differ"
                );
            }
            offset_times.sort();
            at_rows.push(format!(
                "row {rows}: {} ms (offset {} ms)",
                ms(took).trim(),
                ms(offset_times[2]).trim()
            ));
        }
    }
    rows += page.len();
    assert_eq!(rows, last_row, "{sort:?}: the walk must reach every order");
    times.sort();
    println!(
        "{:<12} {} pages, median {} / p99 {} / max {} ms; {}",
        format!("{sort:?}"),
        times.len() + 1,
        ms(percentile(&times, 0.5)).trim(),
        ms(percentile(&times, 0.99)).trim(),
        ms(times.last().copied().unwrap_or_default()).trim(),
        at_rows.join(", ")
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let plans = args.iter().any(|a| a == "--plans");
    let db = args
        .iter()
        .position(|a| a == "--db")
        .and_then(|i| args.get(i + 1))
        .map(std::path::PathBuf::from);
    let orders: u64 = args
        .iter()
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    let path = match db {
        Some(path) => path,
        None => {
            let path = dir.path().join("bench.db");
            println!(
                "writing a demo shop of {orders} orders to {}",
                path.display()
            );
            let mut store = Store::open(&path)?;
            let started = Instant::now();
            store.load_demo(orders, 1, Local::now().fixed_offset(), &mut |_| true)?;
            println!("  in {:.1} s", started.elapsed().as_secs_f64());
            path
        }
    };
    let started = Instant::now();
    let store = Store::open(&path)?;
    println!(
        "opened {} ({} orders) in {:.1} s (includes migrating to schema {})",
        path.display(),
        store.counts()?.1,
        started.elapsed().as_secs_f64(),
        store.schema_version()?
    );
    println!(
        "median / p99 of {RUNS} runs after a warm-up; page = first 200 rows, count capped at {COUNT_CAP}"
    );

    // Needles from the data itself: an order of a week ago, shipped, with a tracking number.
    let sample = store
        .query_orders(&OrderQuery {
            state: Some(OrderState::Shipped),
            limit: 1,
            offset: 100_000.min(store.counts()?.1 as u32 / 4),
            ..OrderQuery::default()
        })?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("no shipped order to take needles from"))?;
    let detail = store.order_detail(sample.id)?;
    let sku = detail
        .lines
        .first()
        .map(|l| l.sku.clone())
        .unwrap_or_default();
    let title_word = detail
        .lines
        .first()
        .and_then(|l| l.title.split_whitespace().last().map(str::to_owned))
        .unwrap_or_default();
    let mut bench = Bench {
        store,
        plans,
        worst: Duration::ZERO,
    };
    let search = |text: &str| OrderQuery {
        search: text.to_owned(),
        ..OrderQuery::default()
    };

    println!("\n-- search --");
    let phone_tail = &sample.receiver_phone[sample.receiver_phone.len().saturating_sub(4)..];
    let name: String = sample.receiver_name.chars().collect();
    for (label, text) in [
        ("2-character name 张伟", "张伟".to_owned()),
        ("receiver name (sample)", name),
        ("1 character 张", "张".to_owned()),
        ("buyer id", sample.buyer_id.clone()),
        ("phone, last 4 digits", phone_tail.to_owned()),
        ("phone, full", sample.receiver_phone.clone()),
        ("order number", sample.order_no.clone()),
        (
            "order number, first 8 digits",
            sample.order_no.chars().take(8).collect(),
        ),
        (
            "order number, last 6 digits",
            sample.order_no[sample.order_no.len().saturating_sub(6)..].to_owned(),
        ),
        ("city (sample)", sample.city.clone()),
        ("district (sample)", detail.district.clone()),
        (
            "city + district",
            format!("{} {}", sample.city, detail.district),
        ),
        (
            "street (sample)",
            detail
                .address
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned(),
        ),
        (
            "street + house number (sample)",
            detail
                .address
                .split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        ("tracking number", sample.tracking_no.clone()),
        ("SKU", sku.clone()),
        ("product title word", title_word.clone()),
        ("name + state pending", "王芳".to_owned()),
        ("no match", "zzzz9999".to_owned()),
    ] {
        let mut query = search(&text);
        if label == "name + state pending" {
            query.state = Some(OrderState::PendingReview);
        }
        bench.run(&format!("{label} ({text})"), query)?;
    }

    println!("\n-- state --");
    bench.run("all (no filter)", OrderQuery::default())?;
    for state in OrderState::ALL {
        bench.run(
            &format!("state {}", state.code()),
            OrderQuery {
                state: Some(state),
                ..OrderQuery::default()
            },
        )?;
    }
    for (label, filter) in [
        ("approved unpaid", StateFilter::ApprovedUnpaid),
        ("approved paid", StateFilter::ApprovedPaid),
        ("on hold", StateFilter::OnHold),
    ] {
        bench.run(
            label,
            OrderQuery {
                state_filter: Some(filter),
                ..OrderQuery::default()
            },
        )?;
    }

    println!("\n-- date ranges --");
    let today = Local::now().date_naive();
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let month_start = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let ranges = [
        ("today", day(today), day(today + Days::days(1))),
        (
            "last 7 days",
            day(today - Days::days(6)),
            day(today + Days::days(1)),
        ),
        ("this month", day(month_start), day(today + Days::days(1))),
        (
            "a week, a month ago",
            day(today - Days::days(37)),
            day(today - Days::days(30)),
        ),
    ];
    for kind in DateKind::ALL {
        for (label, from, to) in &ranges {
            bench.run(
                &format!("{} {label}", kind.code()),
                OrderQuery {
                    date_kind: kind,
                    date_from: Some(from.clone()),
                    date_to: Some(to.clone()),
                    ..OrderQuery::default()
                },
            )?;
        }
    }

    println!("\n-- flag, amount, platform --");
    for flag in Flag::ALL {
        bench.run(
            &format!("flag {}", flag.code()),
            OrderQuery {
                flag: Some(flag),
                ..OrderQuery::default()
            },
        )?;
    }
    for (label, min, max) in [
        ("total ≤ 50.00", None, Some(5_000)),
        ("total 100.00–200.00", Some(10_000), Some(20_000)),
        ("total ≥ 1,000.00", Some(100_000), None),
        ("total ≥ 300.00", Some(30_000), None),
    ] {
        bench.run(
            label,
            OrderQuery {
                min_total_cents: min,
                max_total_cents: max,
                ..OrderQuery::default()
            },
        )?;
    }
    for platform in ["taobao", "tmall", "jd", "pinduoduo", "manual"] {
        bench.run(
            &format!("platform {platform}"),
            OrderQuery {
                platform: Some(platform.to_owned()),
                ..OrderQuery::default()
            },
        )?;
    }

    println!("\n-- combined --");
    bench.run(
        "pending + taobao + today",
        OrderQuery {
            state: Some(OrderState::PendingReview),
            platform: Some("taobao".to_owned()),
            date_from: Some(day(today)),
            date_to: Some(day(today + Days::days(1))),
            ..OrderQuery::default()
        },
    )?;
    bench.run(
        "shipped + shipped this month + jd",
        OrderQuery {
            state: Some(OrderState::Shipped),
            date_kind: DateKind::Shipped,
            date_from: Some(day(month_start)),
            date_to: Some(day(today + Days::days(1))),
            platform: Some("jd".to_owned()),
            ..OrderQuery::default()
        },
    )?;
    bench.run(
        "flag red + total ≥ 100.00",
        OrderQuery {
            flag: Some(Flag::Red),
            min_total_cents: Some(10_000),
            ..OrderQuery::default()
        },
    )?;
    bench.run(
        "archived + archived 7 days + manual",
        OrderQuery {
            state: Some(OrderState::Archived),
            date_kind: DateKind::Archived,
            date_from: Some(day(today - Days::days(6))),
            date_to: Some(day(today + Days::days(1))),
            platform: Some("manual".to_owned()),
            ..OrderQuery::default()
        },
    )?;

    println!("\n-- sorts (no filter, then state shipped) --");
    for sort in OrderSort::ALL {
        bench.run(
            &format!("{sort:?}"),
            OrderQuery {
                sort,
                ..OrderQuery::default()
            },
        )?;
        bench.run(
            &format!("{sort:?} + shipped"),
            OrderQuery {
                sort,
                state: Some(OrderState::Shipped),
                ..OrderQuery::default()
            },
        )?;
    }

    println!("\n-- deep pages: every page of 200 by keyset, and by offset at the same rows --");
    for sort in [
        OrderSort::NewestFirst,
        OrderSort::FlagFirst,
        OrderSort::FlagLast,
        OrderSort::StateAsc,
        OrderSort::StateDesc,
    ] {
        deep_pages(&bench.store, sort)?;
    }

    println!("\n-- processing --");
    let (median, p99, queue) = time(|| Ok(bench.store.review_queue(200)?))?;
    println!(
        "review queue, 200 orders with problems        {} / {} ms ({} rows)",
        ms(median),
        ms(p99),
        queue.len()
    );
    let (median, p99, groups) = time(|| Ok(bench.store.merge_proposals()?))?;
    println!(
        "merge proposals                               {} / {} ms ({} groups)",
        ms(median),
        ms(p99),
        groups.len()
    );
    println!("\nworst p99 of the list queries: {} ms", ms(bench.worst));
    Ok(())
}
