//! Architecture invariants that a reviewer would otherwise have to remember.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("source directory is readable");
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// Fails on any line of the Rust files under `dir` (at least `at_least` of them) that
/// contains one of `forbidden`. Comment lines are skipped when `skip_comments`: prose may
/// name what the code must not use.
fn assert_never_names(
    dir: &str,
    at_least: usize,
    forbidden: &[&str],
    skip_comments: bool,
    why: &str,
) {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut files);
    assert!(
        files.len() >= at_least,
        "expected at least {at_least} modules in {dir}, found {files:?}"
    );
    for path in files {
        let text = std::fs::read_to_string(&path).expect("source file is readable");
        for (number, line) in text.lines().enumerate() {
            if skip_comments && line.trim_start().starts_with("//") {
                continue;
            }
            for word in forbidden {
                assert!(
                    !line.contains(word),
                    "{}:{}: {why} (`{word}`): {line}",
                    path.display(),
                    number + 1
                );
            }
        }
    }
}

/// `src/domain/` is the shop's rules, pure: it names no database, UI, PDF or CSV crate
/// and touches no files.
#[test]
fn domain_names_no_io_or_ui_crate() {
    assert_never_names(
        "src/domain",
        5,
        &[
            "rusqlite", "egui", "eframe", "printpdf", "csv", "std::fs", "rfd",
        ],
        true,
        "the domain must not mention it",
    );
}

/// SQL lives in `src/store/` only: the UI never runs a query.
#[test]
fn ui_runs_no_sql() {
    assert_never_names(
        "src/ui",
        1,
        &["rusqlite", "SELECT "],
        false,
        "SQL belongs in src/store",
    );
}

/// Shipping documents draw views; they read orders only through the store's functions.
#[test]
fn docs_run_no_sql() {
    assert_never_names(
        "src/docs",
        5,
        &["rusqlite", "SELECT ", "egui"],
        false,
        "documents take views, not SQL or UI",
    );
}

/// The application layer carries actions out for the command line and the window alike:
/// it draws nothing, parses no command line, prints nothing and runs no SQL of its own.
#[test]
fn app_layer_is_neither_ui_nor_cli_nor_sql() {
    assert_never_names(
        "src/app",
        5,
        &[
            "egui",
            "eframe",
            "clap",
            "println!",
            "eprintln!",
            "rusqlite",
            "SELECT ",
        ],
        true,
        "src/app must not use it",
    );
}

/// The command line and the window share one implementation of each action: neither
/// calls the store's writes directly for what the application layer does.
#[test]
fn edges_act_on_orders_through_the_application_layer() {
    let writes = [
        ".apply_event(",
        ".set_flag(",
        ".merge_orders(",
        ".unmerge_order(",
        ".review_orders(",
        ".split_order(",
        ".set_remark(",
        ".update_receiver(",
        ".import_orders(",
    ];
    for dir in ["src/cli", "src/ui"] {
        assert_never_names(
            dir,
            1,
            &writes,
            false,
            "call crate::app instead of the store's write",
        );
    }
}
