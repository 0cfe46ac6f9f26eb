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

/// `src/domain/` is the shop's rules, pure: it names no database, UI, PDF or CSV crate
/// and touches no files.
#[test]
fn domain_names_no_io_or_ui_crate() {
    let forbidden = [
        "rusqlite", "egui", "eframe", "printpdf", "csv", "std::fs", "rfd",
    ];
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain"),
        &mut files,
    );
    assert!(
        files.len() >= 5,
        "expected the domain modules, found {files:?}"
    );
    for path in files {
        let text = std::fs::read_to_string(&path).expect("source file is readable");
        for (number, line) in text.lines().enumerate() {
            // Prose may name what the code must not use.
            if line.trim_start().starts_with("//") {
                continue;
            }
            for word in forbidden {
                assert!(
                    !line.contains(word),
                    "{}:{}: the domain must not mention `{word}`: {line}",
                    path.display(),
                    number + 1
                );
            }
        }
    }
}

/// SQL lives in `src/store/` only: the UI never runs a query.
#[test]
fn ui_runs_no_sql() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui"),
        &mut files,
    );
    assert!(!files.is_empty());
    for path in files {
        let text = std::fs::read_to_string(&path).expect("source file is readable");
        for (number, line) in text.lines().enumerate() {
            assert!(
                !line.contains("rusqlite") && !line.contains("SELECT "),
                "{}:{}: SQL belongs in src/store: {line}",
                path.display(),
                number + 1
            );
        }
    }
}

/// Shipping documents draw views; they read orders only through the store's functions.
#[test]
fn docs_run_no_sql() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/docs"),
        &mut files,
    );
    assert!(
        files.len() >= 5,
        "expected the document modules, found {files:?}"
    );
    for path in files {
        let text = std::fs::read_to_string(&path).expect("source file is readable");
        for (number, line) in text.lines().enumerate() {
            assert!(
                !line.contains("rusqlite") && !line.contains("SELECT ") && !line.contains("egui"),
                "{}:{}: documents take views, not SQL or UI: {line}",
                path.display(),
                number + 1
            );
        }
    }
}

/// The application layer carries actions out for the command line and the window alike:
/// it draws nothing, parses no command line, prints nothing and runs no SQL of its own.
#[test]
fn app_layer_is_neither_ui_nor_cli_nor_sql() {
    let forbidden = [
        "egui",
        "eframe",
        "clap",
        "println!",
        "eprintln!",
        "rusqlite",
        "SELECT ",
    ];
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app"),
        &mut files,
    );
    assert!(
        files.len() >= 5,
        "expected the feature modules, found {files:?}"
    );
    for path in files {
        let text = std::fs::read_to_string(&path).expect("source file is readable");
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for word in forbidden {
                assert!(
                    !line.contains(word),
                    "{}:{}: src/app must not use `{word}`: {line}",
                    path.display(),
                    number + 1
                );
            }
        }
    }
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
        let mut files = Vec::new();
        rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut files);
        for path in files {
            let text = std::fs::read_to_string(&path).expect("source file is readable");
            for (number, line) in text.lines().enumerate() {
                for call in writes {
                    assert!(
                        !line.contains(call),
                        "{}:{}: call crate::app instead of the store's `{call}`: {line}",
                        path.display(),
                        number + 1
                    );
                }
            }
        }
    }
}
