//! The `shopdesk` binary end to end, on temporary databases and the files in `fixtures/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Output;

use common::{shopdesk, text};

fn stdout(output: &Output) -> String {
    text(&output.stdout)
}

fn stderr(output: &Output) -> String {
    text(&output.stderr)
}

#[test]
fn demo_orders_stock_and_check_keep_their_contract() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = shopdesk(&db, &["demo", "--orders", "800", "--seed", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("800 orders"), "{}", stdout(&out));

    let out = shopdesk(&db, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("ok"));

    let out = shopdesk(&db, &["orders", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let orders: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("one JSON array");
    let orders = orders.as_array().expect("an array");
    assert!(
        orders.len() > 700,
        "merged orders show through their main order"
    );
    let states = [
        "pending_review",
        "approved",
        "printed",
        "shipped",
        "archived",
        "cancelled",
    ];
    let text_fields = [
        "order_no",
        "platform",
        "state",
        "buyer_id",
        "receiver_name",
        "receiver_phone",
        "province",
        "city",
        "district",
        "address",
        "postcode",
        "flag",
        "remark",
        "courier",
        "tracking_no",
    ];
    let mut seen_states = std::collections::BTreeSet::new();
    let mut merged = 0;
    for order in orders {
        for field in text_fields {
            assert!(order[field].is_string(), "{field} in {order}");
        }
        for field in ["goods_cents", "postage_cents", "total_cents"] {
            assert!(order[field].is_i64(), "{field} in {order}");
        }
        assert!(order["paid"].is_boolean());
        let state = order["state"].as_str().expect("state");
        assert!(states.contains(&state), "{state}");
        seen_states.insert(state.to_owned());
        merged += order["merged_order_nos"].as_array().expect("merged").len();
        let lines = order["lines"].as_array().expect("lines");
        assert!(!lines.is_empty());
        for line in lines {
            assert!(line["sku"].is_string() && line["title"].is_string());
            assert!(line["quantity"].is_i64() && line["unit_price_cents"].is_i64());
        }
    }
    assert_eq!(seen_states.len(), 6, "every state: {seen_states:?}");
    assert!(merged > 0, "the demo has merged orders");

    let out = shopdesk(&db, &["orders", "--status", "shipped", "--json"]);
    let shipped: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    for order in shipped.as_array().expect("array") {
        assert_eq!(order["state"], "shipped");
        assert!(!order["tracking_no"].as_str().expect("tracking").is_empty());
    }

    let out = shopdesk(&db, &["stock", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stock: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let stock = stock.as_array().expect("array");
    assert!(stock.len() > 150);
    for product in stock {
        for field in ["code", "name", "bin"] {
            assert!(product[field].is_string(), "{field}");
        }
        for field in ["on_hand", "theoretical", "sellable", "in_transit"] {
            assert!(product[field].is_i64(), "{field}");
        }
    }
}

#[test]
fn search_finds_a_two_character_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    assert!(shopdesk(&db, &["demo", "--orders", "500"]).status.success());
    let all: serde_json::Value =
        serde_json::from_str(&stdout(&shopdesk(&db, &["orders", "--json"]))).expect("json");
    let name = all[0]["receiver_name"].as_str().expect("name").to_owned();
    let out = shopdesk(&db, &["orders", "--search", &name, "--json"]);
    let found: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let found = found.as_array().expect("array");
    assert!(!found.is_empty());
    for order in found {
        let haystack = order.to_string();
        assert!(haystack.contains(&name), "{name} not in {haystack}");
    }
}

#[test]
fn bad_input_is_named_and_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = shopdesk(&db, &["orders", "--status", "lost"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--status lost: expected one of pending_review, approved"),
        "{}",
        stderr(&out)
    );

    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "this is a shopping list, not a database; eggs, milk, tea, rice",
    )
    .expect("write");
    let out = shopdesk(&text, &["check"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("not a ShopDesk database"),
        "{}",
        stderr(&out)
    );

    assert!(shopdesk(&db, &["demo", "--orders", "50"]).status.success());
    let out = shopdesk(&db, &["demo", "--orders", "50"]);
    assert!(
        !out.status.success(),
        "a second demo on a full database is refused"
    );
    assert!(
        stderr(&out).contains("only an empty database"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_fails_on_a_drifted_stock_balance() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    assert!(shopdesk(&db, &["demo", "--orders", "50"]).status.success());
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute("UPDATE products SET on_hand = on_hand + 1 WHERE id = 1", [])
            .expect("tamper");
    }
    let out = shopdesk(&db, &["check"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("stock ledger: product"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_subcommand_has_help() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    for sub in ["demo", "orders", "stock", "check"] {
        let out = shopdesk(&db, &[sub, "--help"]);
        assert!(out.status.success(), "{sub} --help");
        assert!(stdout(&out).contains("Usage: shopdesk"), "{sub}");
    }
}

/// A reader that stops early (`shopdesk orders | head -1`) ends the listing quietly: no
/// "Broken pipe" error, a zero exit.
#[test]
fn a_reader_that_stops_early_is_no_error() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = shopdesk(&db, &["demo", "--orders", "3000"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for args in [&["orders"][..], &["audit"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_shopdesk"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("a line");
        assert!(!first.is_empty());
        // The reader is gone: the rest cannot be written.
        let done = child.wait_with_output().expect("ends");
        assert!(done.status.success(), "{args:?}: {}", stderr(&done));
        assert!(stderr(&done).is_empty(), "{args:?}: {}", stderr(&done));
    }
}
