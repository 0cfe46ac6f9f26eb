//! Order processing commands end to end: review, merge, flag, cancel, archive and
//! the new `orders` filters, on a demo shop of 600 orders, including the state machine's
//! refusals (a non-zero exit and a message that says why).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{shopdesk, text};
use serde_json::Value;

/// `orders --json` with extra arguments, as a list of objects.
fn orders(db: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["orders", "--json"];
    all.extend_from_slice(args);
    let out = shopdesk(db, &all);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let value: Value = serde_json::from_slice(&out.stdout).expect("one JSON array");
    value.as_array().expect("an array").clone()
}

fn field<'a>(order: &'a Value, name: &str) -> &'a str {
    order[name].as_str().unwrap_or_default()
}

fn state_of(db: &Path, order_no: &str) -> String {
    let found = orders(db, &["--search", order_no]);
    let order = found
        .iter()
        .find(|o| field(o, "order_no") == order_no)
        .unwrap_or_else(|| panic!("order {order_no} is listed"));
    field(order, "state").to_owned()
}

fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let out = shopdesk(&db, &["demo", "--orders", "600", "--seed", "4"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    (dir, db)
}

#[test]
fn review_approves_what_passes_and_lists_the_problems_of_the_rest() {
    let (_dir, db) = demo();
    let pending = orders(&db, &["--status", "pending_review"]);
    assert!(!pending.is_empty(), "the demo has orders to review");
    let numbers: Vec<&str> = pending.iter().map(|o| field(o, "order_no")).collect();
    let held: Vec<&str> = pending
        .iter()
        .filter(|o| o["on_hold"].as_bool() == Some(true))
        .map(|o| field(o, "order_no"))
        .collect();
    let mut args = vec!["review"];
    args.extend(&numbers);
    let out = shopdesk(&db, &args);
    let stdout = text(&out.stdout);
    let approved: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("approved "))
        .collect();
    let refused: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("not approved "))
        .map(|l| l.trim_end_matches(':'))
        .collect();
    assert_eq!(
        approved.len() + refused.len(),
        numbers.len(),
        "one outcome per order: {stdout}"
    );
    assert!(!approved.is_empty(), "{stdout}");
    // Held orders are never approved, and say why.
    for no in &held {
        assert!(refused.contains(no), "{no} is on hold: {stdout}");
    }
    assert!(
        held.is_empty() || stdout.contains("on_hold: order"),
        "{stdout}"
    );
    // Any refusal makes the exit code non-zero.
    assert_eq!(out.status.success(), refused.is_empty(), "{stdout}");
    for no in approved.iter().take(5) {
        assert_eq!(state_of(&db, no), "approved");
    }
    for no in refused.iter().take(5) {
        assert_eq!(state_of(&db, no), "pending_review");
    }
    // Reviewing an approved order again is refused.
    let out = shopdesk(&db, &["review", approved[0]]);
    assert!(!out.status.success());
    assert!(
        text(&out.stdout).contains("not_pending"),
        "{}",
        text(&out.stdout)
    );
    let out = shopdesk(&db, &["check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn state_machine_refusals_end_to_end() {
    let (_dir, db) = demo();
    let pending = orders(&db, &["--status", "pending_review", "--limit", "1"]);
    let pending_no = field(&pending[0], "order_no").to_owned();

    // Archiving a pending order: refused, non-zero, and why.
    let out = shopdesk(&db, &["archive", &pending_no]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains(&pending_no) && err.contains("cannot archive an order that is pending review"),
        "{err}"
    );
    assert_eq!(state_of(&db, &pending_no), "pending_review");

    // Flagging an archived order: refused.
    let archived = orders(&db, &["--status", "archived", "--limit", "1"]);
    let archived_no = field(&archived[0], "order_no").to_owned();
    let out = shopdesk(&db, &["flag", &archived_no, "red", "--remark", "x"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("archived"),
        "{}",
        text(&out.stderr)
    );
    let after = orders(&db, &["--search", &archived_no]);
    assert_eq!(field(&after[0], "flag"), field(&archived[0], "flag"));

    // Cancelling an archived order: refused; cancelling a pending one: done, once.
    let out = shopdesk(&db, &["cancel", &archived_no]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("archived orders cannot change"));
    let out = shopdesk(&db, &["cancel", &pending_no]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), format!("cancelled {pending_no}"));
    assert_eq!(state_of(&db, &pending_no), "cancelled");
    let out = shopdesk(&db, &["cancel", &pending_no]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("cannot cancel"),
        "{}",
        text(&out.stderr)
    );

    // Archiving a shipped order works, and then it is final.
    let shipped = orders(&db, &["--status", "shipped", "--limit", "1"]);
    let shipped_no = field(&shipped[0], "order_no").to_owned();
    let out = shopdesk(&db, &["archive", &shipped_no]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(state_of(&db, &shipped_no), "archived");
    let out = shopdesk(&db, &["flag", &shipped_no, "blue"]);
    assert!(!out.status.success());

    // Unknown orders and colours say so.
    let out = shopdesk(&db, &["cancel", "NO-SUCH-ORDER"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no order numbered NO-SUCH-ORDER"));
    let out = shopdesk(&db, &["flag", &shipped_no, "pink"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("red, yellow, green, blue, purple"),
        "{}",
        text(&out.stderr)
    );
    let out = shopdesk(&db, &["check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn flag_and_remark_show_in_orders_json_and_filters() {
    let (_dir, db) = demo();
    let pending = orders(&db, &["--status", "pending_review", "--limit", "1"]);
    let no = field(&pending[0], "order_no").to_owned();
    let out = shopdesk(&db, &["flag", &no, "purple", "--remark", "退货中"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let found = orders(&db, &["--search", &no]);
    assert_eq!(field(&found[0], "flag"), "purple");
    assert_eq!(field(&found[0], "remark"), "退货中");

    let purple = orders(&db, &["--flag", "purple"]);
    assert!(purple.iter().any(|o| field(o, "order_no") == no));
    assert!(purple.iter().all(|o| field(o, "flag") == "purple"));
    let jd = orders(&db, &["--platform", "jd"]);
    assert!(!jd.is_empty());
    assert!(jd.iter().all(|o| field(o, "platform") == "jd"));

    // A date range: the newest order's day holds it, the day after does not.
    let newest = orders(&db, &["--limit", "1"]);
    let day = &field(&newest[0], "ordered_at")[..10];
    let in_range = orders(&db, &["--from", day, "--date-kind", "ordered"]);
    assert!(in_range.iter().all(|o| field(o, "ordered_at") >= day));
    assert!(
        in_range
            .iter()
            .any(|o| field(o, "order_no") == field(&newest[0], "order_no"))
    );
    let before = orders(&db, &["--to", day]);
    assert!(before.iter().all(|o| &field(o, "ordered_at")[..10] < day));
    assert_eq!(
        in_range.len() + before.len(),
        orders(&db, &[]).len(),
        "[from, to) splits the list in two"
    );
    let out = shopdesk(&db, &["orders", "--date-kind", "someday", "--from", day]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("shipped"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn merge_refusals_end_to_end() {
    let (_dir, db) = demo();
    let pending = orders(&db, &["--status", "pending_review"]);
    let (a, b) = pending
        .iter()
        .flat_map(|a| pending.iter().map(move |b| (a, b)))
        .find(|(a, b)| {
            field(a, "buyer_id") != field(b, "buyer_id")
                && a["on_hold"] == false
                && b["on_hold"] == false
        })
        .expect("two buyers");
    let out = shopdesk(&db, &["merge", field(a, "order_no"), field(b, "order_no")]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("another buyer"),
        "{}",
        text(&out.stderr)
    );

    let shipped = orders(&db, &["--status", "shipped", "--limit", "1"]);
    let out = shopdesk(
        &db,
        &[
            "merge",
            field(a, "order_no"),
            field(&shipped[0], "order_no"),
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("only orders not yet printed can be merged"),
        "{}",
        text(&out.stderr)
    );

    // A number merged into another order is named, not silently taken for its main order.
    let all = orders(&db, &[]);
    if let Some(main) = all.iter().find(|o| {
        o["merged_order_nos"]
            .as_array()
            .is_some_and(|m| !m.is_empty())
    }) {
        let merged = main["merged_order_nos"][0].as_str().unwrap_or_default();
        let out = shopdesk(&db, &["cancel", merged]);
        assert!(!out.status.success());
        assert!(
            text(&out.stderr).contains(&format!("merged into order {}", field(main, "order_no"))),
            "{}",
            text(&out.stderr)
        );
        assert_ne!(state_of(&db, field(main, "order_no")), "cancelled");
    }
}

#[test]
fn hold_stops_review_until_released() {
    let (_dir, db) = demo();
    let pending = orders(&db, &["--status", "pending_review", "--limit", "1"]);
    let no = field(&pending[0], "order_no").to_owned();
    let held = |db: &Path| orders(db, &["--search", &no])[0]["on_hold"].as_bool();
    let out = shopdesk(&db, &["hold", &no]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), format!("held {no}"));
    assert_eq!(held(&db), Some(true));
    let out = shopdesk(&db, &["review", &no]);
    assert!(!out.status.success());
    assert!(
        text(&out.stdout).contains("on hold") || text(&out.stderr).contains("on hold"),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let out = shopdesk(&db, &["hold", &no]);
    assert!(!out.status.success(), "held twice: {}", text(&out.stdout));
    let out = shopdesk(&db, &["release", &no]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), format!("released {no}"));
    assert_eq!(held(&db), Some(false));
}

/// `receiver ORDER_NO TEXT` changes an unprinted order's receiver from a pasted message,
/// sends an approved order back to review, and refuses a printed order or a text whose
/// divisions cannot be found, writing nothing.
#[test]
fn a_pasted_receiver_changes_an_unprinted_order() {
    let (_dir, db) = demo();
    let pending = orders(&db, &["--status", "pending_review", "--limit", "1"]);
    let no = field(&pending[0], "order_no").to_owned();
    let out = shopdesk(
        &db,
        &[
            "receiver",
            &no,
            "李娜 13912345678 江苏省南京市鼓楼区中山路100号",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let found = orders(&db, &["--search", &no]);
    let order = found
        .iter()
        .find(|o| field(o, "order_no") == no)
        .expect("listed");
    assert_eq!(field(order, "receiver_name"), "李娜");
    assert_eq!(field(order, "city"), "南京市");
    assert_eq!(field(order, "district"), "鼓楼区");
    assert_eq!(field(order, "receiver_phone"), "13912345678");

    let before = orders(&db, &[]);
    let bad = shopdesk(&db, &["receiver", &no, "李娜 13912345678"]);
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("cannot find"),
        "{}",
        text(&bad.stderr)
    );
    let printed = orders(&db, &["--status", "printed", "--limit", "1"]);
    let printed_no = field(&printed[0], "order_no").to_owned();
    let refused = shopdesk(
        &db,
        &[
            "receiver",
            &printed_no,
            "李娜 13912345678 江苏省南京市鼓楼区中山路100号",
        ],
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains(&printed_no),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(orders(&db, &[]), before, "refusals write nothing");
}
