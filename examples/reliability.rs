//! The reliability harness at full size: every scenario of tests/common/reliability.rs,
//! each printing what was tried, how many times and the failures (0 is the promise).
//!
//! `cargo build --release && cargo run --release --example reliability [-- SCALE [N…]]`:
//! SCALE (default 1) multiplies the tries; N… runs only those scenarios (1–9, the numbers
//! of docs/reliability.md). The `shopdesk` binary beside this example's folder is the one
//! tested. Exits non-zero when any promise broke. Needs about 3 GB of free disk.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/reliability.rs"]
mod reliability;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Started again by scenario 2 as the writer it kills.
    if reliability::writer_child() {
        return ExitCode::SUCCESS;
    }
    let numbers: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let scale = numbers.first().copied().unwrap_or(1);
    let only = numbers.get(1..).unwrap_or_default().to_vec();
    let exe = std::env::current_exe().expect("this example's path");
    let bin = exe
        .parent()
        .and_then(|examples| examples.parent())
        .map(|profile| profile.join("shopdesk"))
        .unwrap_or_else(|| PathBuf::from("shopdesk"));
    if !bin.exists() {
        eprintln!(
            "{} is missing: build it first (cargo build --release)",
            bin.display()
        );
        return ExitCode::FAILURE;
    }
    let dir = tempfile::tempdir().expect("scratch folder");
    let mut lab = reliability::Lab::new(bin, dir.path(), 2026);
    println!(
        "reliability harness, scale {scale}, binary {}",
        lab.bin.display()
    );
    type Scenario = Box<dyn Fn(&mut reliability::Lab) -> reliability::Report>;
    let scenarios: Vec<Scenario> = vec![
        Box::new(move |lab| reliability::kill_during_import(lab, 100_000, 50 * scale)),
        Box::new(move |lab| {
            let mut report = reliability::kill_during_writes(lab, 20_000, 50 * scale);
            let streams = reliability::kill_during_write_streams(lab, 20_000, 25 * scale);
            report.tries += streams.tries;
            report.failures.extend(streams.failures);
            report.figure = format!("{}; {}", report.figure, streams.figure);
            report
        }),
        Box::new(move |lab| reliability::contention(lab, 250 * scale)),
        Box::new(reliability::raw_sql_on_immutable),
        Box::new(move |lab| reliability::backups_under_load(lab, 100_000, 10 * scale)),
        Box::new(move |lab| reliability::hostile_restores(lab, 100 * scale)),
        Box::new(move |lab| reliability::migrations(lab, 100_000, 10 * scale)),
        Box::new(move |lab| reliability::disk_full_during_import(lab, 50_000, 10 * scale)),
        Box::new(move |lab| reliability::long_read_wal(lab, 20_000 * scale)),
    ];
    // In the order of docs/reliability.md's table.
    let numbers = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    let mut broken = 0;
    for (number, scenario) in numbers.into_iter().zip(scenarios) {
        if !only.is_empty() && !only.contains(&number) {
            continue;
        }
        let started = std::time::Instant::now();
        let report = scenario(&mut lab);
        println!(
            "{} [{:.0} s]",
            report.line(),
            started.elapsed().as_secs_f64()
        );
        for failure in report.failures.iter().take(10) {
            println!("  FAILED: {failure}");
        }
        broken += report.failures.len();
    }
    if broken == 0 {
        println!("every promise held");
        ExitCode::SUCCESS
    } else {
        println!("{broken} failures");
        ExitCode::FAILURE
    }
}
