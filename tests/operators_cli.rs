//! `shopdesk operators …`, the global `--operator` with SHOPDESK_PIN, and `shopdesk audit`
//! end to end on the binary: who may do what, refusals that write nothing, and the
//! audit trail in text and JSON.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{ok, order, text};
use shopdesk::domain::model::NewProduct;
use shopdesk::store::Store;

/// Runs the binary on `db` with these environment variables set (and no others of ours).
fn run(db: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shopdesk"));
    command
        .env_remove("SHOPDESK_PIN")
        .env_remove("SHOPDESK_NEW_PIN")
        .arg("--db")
        .arg(db)
        .args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("the shopdesk binary runs")
}

fn refused(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "expected a refusal, got: {}",
        text(&out.stdout)
    );
    text(&out.stderr)
}

/// A shop with a cup (10 on hand) and the pending order T1.
fn shop(db: &Path) {
    let mut store = Store::open(db).unwrap();
    store
        .upsert_products(&[NewProduct {
            code: "CUP".to_owned(),
            name: "白瓷杯".to_owned(),
            ..NewProduct::default()
        }])
        .unwrap();
    store.adjust_stock("CUP", 10, "opening", "owner").unwrap();
    store
        .insert_orders(&[order("T1", &[("CUP", 1)], false)], "test", "owner")
        .unwrap();
}

fn on_hand(db: &Path) -> i64 {
    Store::open(db).unwrap().stock_report().unwrap()[0].on_hand
}

/// Boss (owner, 1111), Pat (packer, 2222), Sue (service, 3333).
fn staff(db: &Path) {
    ok(&run(
        db,
        &[("SHOPDESK_NEW_PIN", "1111")],
        &["operators", "add", "Boss", "--role", "owner"],
    ));
    for (name, role, pin) in [("Pat", "packer", "2222"), ("Sue", "service", "3333")] {
        ok(&run(
            db,
            &[("SHOPDESK_PIN", "1111"), ("SHOPDESK_NEW_PIN", pin)],
            &[
                "--operator",
                "Boss",
                "operators",
                "add",
                name,
                "--role",
                role,
            ],
        ));
    }
}

#[test]
fn scripts_act_as_the_owner_until_the_database_has_operators() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    shop(&db);
    // No operators: as before, no sign-in, the owner may do everything.
    ok(&run(&db, &[], &["adjust", "CUP", "1", "--reason", "found"]));
    assert_eq!(on_hand(&db), 11);
    // The first operator must be an owner.
    let err = refused(&run(
        &db,
        &[("SHOPDESK_NEW_PIN", "2222")],
        &["operators", "add", "Pat", "--role", "packer"],
    ));
    assert!(err.contains("must be an owner"), "{err}");
    staff(&db);
    // Now every command signs in.
    let err = refused(&run(&db, &[], &["adjust", "CUP", "1", "--reason", "found"]));
    assert!(err.contains("sign in"), "{err}");
    let err = refused(&run(&db, &[], &["orders"]));
    assert!(err.contains("sign in"), "{err}");
    assert_eq!(on_hand(&db), 11);
}

#[test]
fn refusals_say_why_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    shop(&db);
    staff(&db);
    let adjust = ["adjust", "CUP", "1", "--reason", "found"];
    let as_op = |name: &str, pin: &str| {
        let mut args = vec!["--operator", name];
        args.extend(adjust);
        run(&db, &[("SHOPDESK_PIN", pin)], &args)
    };
    let err = refused(&as_op("Boss", "9999"));
    assert!(err.contains("wrong PIN for Boss"), "{err}");
    let err = refused(&as_op("Pat", "2222"));
    assert!(
        err.contains("Pat (packer) may not adjust stock: that is for owner"),
        "{err}"
    );
    let err = refused(&as_op("Nobody", "2222"));
    assert!(err.contains("no operator named Nobody"), "{err}");
    assert_eq!(on_hand(&db), 10);
    ok(&as_op("Boss", "1111"));
    assert_eq!(on_hand(&db), 11);

    // Disabled: cannot sign in any more. Only the owner disables.
    let err = refused(&run(
        &db,
        &[("SHOPDESK_PIN", "3333")],
        &["--operator", "Sue", "operators", "disable", "Pat"],
    ));
    assert!(err.contains("may not manage operators"), "{err}");
    ok(&run(
        &db,
        &[("SHOPDESK_PIN", "1111")],
        &["--operator", "Boss", "operators", "disable", "Pat"],
    ));
    let err = refused(&run(
        &db,
        &[("SHOPDESK_PIN", "2222")],
        &["--operator", "Pat", "orders"],
    ));
    assert!(err.contains("Pat is disabled"), "{err}");

    // The owner lets the service role adjust stock; then Sue may.
    ok(&run(
        &db,
        &[("SHOPDESK_PIN", "1111")],
        &[
            "--operator",
            "Boss",
            "operators",
            "allow",
            "service",
            "stock.adjust",
        ],
    ));
    ok(&run(
        &db,
        &[("SHOPDESK_PIN", "3333")],
        &[
            "--operator",
            "Sue",
            "adjust",
            "CUP",
            "1",
            "--reason",
            "found",
        ],
    ));
    assert_eq!(on_hand(&db), 12);

    let list = ok(&run(
        &db,
        &[("SHOPDESK_PIN", "1111")],
        &["--operator", "Boss", "operators", "list", "--json"],
    ));
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let pat = list
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "Pat")
        .unwrap();
    assert_eq!(pat["role"], "packer");
    assert_eq!(pat["active"], false);
    assert!(!text(&list.to_string().into_bytes()).contains("argon2"));
}

#[test]
fn the_audit_trail_in_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    shop(&db);
    staff(&db);
    let sue = [("SHOPDESK_PIN", "3333")];
    ok(&run(
        &db,
        &sue,
        &["--operator", "Sue", "flag", "T1", "red", "--remark", "call"],
    ));
    ok(&run(&db, &sue, &["--operator", "Sue", "review", "T1"]));
    ok(&run(
        &db,
        &[("SHOPDESK_PIN", "1111")],
        &[
            "--operator",
            "Boss",
            "operators",
            "set-role",
            "Pat",
            "stock",
        ],
    ));
    // Reading the trail is the owner's.
    let err = refused(&run(&db, &sue, &["--operator", "Sue", "audit"]));
    assert!(err.contains("may not read the audit trail"), "{err}");

    let boss = [("SHOPDESK_PIN", "1111")];
    let json = ok(&run(
        &db,
        &boss,
        &["--operator", "Boss", "audit", "--order", "T1", "--json"],
    ));
    let entries: serde_json::Value = serde_json::from_str(&json).unwrap();
    let entries = entries.as_array().unwrap();
    let fields: std::collections::BTreeSet<&str> = entries[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        ["at", "operator", "action", "target", "before", "after"]
            .into_iter()
            .collect()
    );
    let seen: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["operator"].as_str().unwrap(),
                e["action"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("owner", "order.created"),
            ("Sue", "order.flag"),
            ("Sue", "order.remark"),
            ("Sue", "order.review")
        ]
    );
    assert_eq!(entries[1]["before"], "flag none");
    assert_eq!(entries[1]["after"], "red");
    assert_eq!(entries[2]["after"], "call");
    assert_eq!(entries[3]["before"], "pending_review");
    assert_eq!(entries[3]["after"], "approved");

    // --operator after `audit` filters; the one before signs in.
    let json = ok(&run(
        &db,
        &boss,
        &[
            "--operator",
            "Boss",
            "audit",
            "--operator",
            "Boss",
            "--json",
        ],
    ));
    let mine: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mine = mine.as_array().unwrap();
    assert!(mine.iter().all(|e| e["operator"] == "Boss"));
    assert!(mine.iter().any(|e| e["action"] == "operator.role"
        && e["target"] == "Pat"
        && e["before"] == "packer"
        && e["after"] == "stock"));
    let text_out = ok(&run(
        &db,
        &boss,
        &["--operator", "Boss", "audit", "--since", "2000-01-01"],
    ));
    assert!(text_out.contains("pending_review → approved"), "{text_out}");
    let none = ok(&run(
        &db,
        &boss,
        &[
            "--operator",
            "Boss",
            "audit",
            "--since",
            "2999-01-01",
            "--json",
        ],
    ));
    assert_eq!(none.trim(), "[]");
}

/// Restoring a backup taken before the shop had operators keeps today's operators and
/// PINs (it would otherwise open the shop to anyone as the owner), and the restore and a
/// backup made by hand are in the audit trail under who did them.
#[test]
fn a_restore_keeps_the_operators_a_backup_predates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    shop(&db);
    let before_operators = dir.path().join("old");
    let out = ok(&run(
        &db,
        &[],
        &["backup", "--to", before_operators.to_str().unwrap()],
    ));
    let old_backup = out.trim().to_owned();
    staff(&db);
    let boss = [("SHOPDESK_PIN", "1111")];
    let out = ok(&run(
        &db,
        &boss,
        &["--operator", "Boss", "restore", &old_backup],
    ));
    assert!(out.contains("today's 3 operators"), "{out}");
    // Still signed in by PIN: no sign-in is refused, a wrong PIN is refused.
    refused(&run(&db, &[], &["operators", "list"]));
    refused(&run(
        &db,
        &[("SHOPDESK_PIN", "9999")],
        &["--operator", "Boss", "operators", "list"],
    ));
    let list = ok(&run(
        &db,
        &boss,
        &["--operator", "Boss", "operators", "list"],
    ));
    for name in ["Boss", "Pat", "Sue"] {
        assert!(list.contains(name), "{list}");
    }
    ok(&run(&db, &boss, &["--operator", "Boss", "backup"]));
    let audit = ok(&run(&db, &boss, &["--operator", "Boss", "audit"]));
    let restore = audit
        .lines()
        .find(|l| l.contains(" restore "))
        .unwrap_or_else(|| panic!("{audit}"));
    assert!(restore.contains("Boss"), "{restore}");
    assert!(restore.contains("today's 3 operators kept"), "{restore}");
    assert!(
        audit
            .lines()
            .any(|l| l.contains("Boss") && l.contains(" backup ")),
        "{audit}"
    );
}

/// A disabled operator is enabled again; a forgotten PIN is set by the owner, and anyone
/// changes their own; a packer cannot set another's PIN. A disabled operator's state is
/// said only to who knows their PIN.
#[test]
fn enable_and_set_a_pin() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    shop(&db);
    staff(&db);
    let boss = [("SHOPDESK_PIN", "1111")];
    ok(&run(
        &db,
        &boss,
        &["--operator", "Boss", "operators", "disable", "Pat"],
    ));
    let wrong = refused(&run(
        &db,
        &[("SHOPDESK_PIN", "0000")],
        &["--operator", "Pat", "orders"],
    ));
    assert!(wrong.contains("wrong PIN"), "{wrong}");
    let disabled = refused(&run(
        &db,
        &[("SHOPDESK_PIN", "2222")],
        &["--operator", "Pat", "orders"],
    ));
    assert!(disabled.contains("disabled"), "{disabled}");
    ok(&run(
        &db,
        &boss,
        &["--operator", "Boss", "operators", "enable", "Pat"],
    ));
    ok(&run(
        &db,
        &[("SHOPDESK_PIN", "2222")],
        &["--operator", "Pat", "orders"],
    ));
    // The owner sets Pat's forgotten PIN.
    ok(&run(
        &db,
        &[("SHOPDESK_PIN", "1111"), ("SHOPDESK_NEW_PIN", "5555")],
        &["--operator", "Boss", "operators", "set-pin", "Pat"],
    ));
    refused(&run(
        &db,
        &[("SHOPDESK_PIN", "2222")],
        &["--operator", "Pat", "orders"],
    ));
    // Pat changes their own; Pat cannot change Sue's.
    ok(&run(
        &db,
        &[("SHOPDESK_PIN", "5555"), ("SHOPDESK_NEW_PIN", "6666")],
        &["--operator", "Pat", "operators", "set-pin", "pat"],
    ));
    let before = std::fs::read(&db).unwrap();
    let why = refused(&run(
        &db,
        &[("SHOPDESK_PIN", "6666"), ("SHOPDESK_NEW_PIN", "7777")],
        &["--operator", "Pat", "operators", "set-pin", "Sue"],
    ));
    assert!(why.contains("owner"), "{why}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "a refusal writes nothing"
    );
    ok(&run(
        &db,
        &[("SHOPDESK_PIN", "3333")],
        &["--operator", "Sue", "orders"],
    ));
    let audit = ok(&run(
        &db,
        &boss,
        &["--operator", "Boss", "audit", "--operator", "boss"],
    ));
    for action in ["operator.disable", "operator.enable", "operator.pin"] {
        assert!(audit.contains(action), "{action}: {audit}");
    }
    assert!(
        !audit.contains("5555") && !audit.contains("6666"),
        "{audit}"
    );
    let bad = refused(&run(
        &db,
        &boss,
        &["--operator", "Boss", "audit", "--since", "yesterday"],
    ));
    assert!(
        bad.contains("yesterday") && bad.contains("2026-11-20"),
        "{bad}"
    );
}

/// An order's history in the trail holds the stock its after-sales case took back (the
/// movements name the case, not the order), and every order of that number when two
/// platforms use the same one.
#[test]
fn an_orders_history_holds_its_returns_and_every_order_of_its_number() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    ok(&run(&db, &[], &["demo", "--orders", "300"]));
    let shipped: serde_json::Value = serde_json::from_str(&ok(&run(
        &db,
        &[],
        &["orders", "--json", "--status", "shipped", "--limit", "1"],
    )))
    .unwrap();
    let first = &shipped[0];
    let no = first["order_no"].as_str().unwrap().to_owned();
    let code = first["lines"][0]["product_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = ok(&run(
        &db,
        &[],
        &[
            "case",
            "open",
            &no,
            "--type",
            "return",
            "--reason",
            "quality",
            "--line",
            &format!("{code}=1"),
        ],
    ));
    let id = id.trim();
    ok(&run(&db, &[], &["case", "wait", id]));
    ok(&run(
        &db,
        &[],
        &[
            "case",
            "receive",
            id,
            "--line",
            &format!("{code}=1:sellable"),
        ],
    ));
    let history = ok(&run(&db, &[], &["audit", "--order", &no]));
    assert!(
        history
            .lines()
            .any(|l| l.contains("stock.return") && l.contains(&code)),
        "{history}"
    );
    // Another platform's order with the same number: both histories show.
    {
        let mut store = Store::open(&db).unwrap();
        let mut other = order(&no, &[("CUP", 1)], false);
        other.platform = "jd".to_owned();
        store.insert_orders(&[other], "test", "owner").unwrap();
    }
    let history = ok(&run(&db, &[], &["audit", "--order", &no]));
    let created = history
        .lines()
        .filter(|l| l.contains("order.created"))
        .count();
    assert_eq!(created, 2, "{history}");
    assert!(history.contains("stock.return"), "{history}");
}

/// A backup taken when the shop had other operators does not bring them back: an
/// operator disabled since stays disabled, one added since stays, and PINs changed since
/// stay changed.
#[test]
fn a_restore_keeps_todays_operators_and_pins() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    shop(&db);
    staff(&db);
    let boss = [("SHOPDESK_PIN", "1111")];
    let backups = dir.path().join("bk");
    let out = ok(&run(
        &db,
        &boss,
        &[
            "--operator",
            "Boss",
            "backup",
            "--to",
            backups.to_str().unwrap(),
        ],
    ));
    let backup = out.trim().to_owned();
    ok(&run(
        &db,
        &boss,
        &["--operator", "Boss", "operators", "disable", "Pat"],
    ));
    ok(&run(
        &db,
        &[("SHOPDESK_PIN", "1111"), ("SHOPDESK_NEW_PIN", "4444")],
        &[
            "--operator",
            "Boss",
            "operators",
            "add",
            "Anna",
            "--role",
            "owner",
        ],
    ));
    ok(&run(
        &db,
        &[("SHOPDESK_PIN", "3333"), ("SHOPDESK_NEW_PIN", "5555")],
        &["--operator", "Sue", "operators", "set-pin", "Sue"],
    ));
    ok(&run(
        &db,
        &[("SHOPDESK_PIN", "4444")],
        &["--operator", "Anna", "restore", &backup],
    ));
    let disabled = refused(&run(
        &db,
        &[("SHOPDESK_PIN", "2222")],
        &["--operator", "Pat", "orders"],
    ));
    assert!(disabled.contains("disabled"), "{disabled}");
    ok(&run(
        &db,
        &[("SHOPDESK_PIN", "4444")],
        &["--operator", "Anna", "orders"],
    ));
    ok(&run(
        &db,
        &[("SHOPDESK_PIN", "5555")],
        &["--operator", "Sue", "orders"],
    ));
    refused(&run(
        &db,
        &[("SHOPDESK_PIN", "3333")],
        &["--operator", "Sue", "orders"],
    ));
}

/// Each post sees only its part: a packer reads orders and stock, but not the buyers'
/// records, the after-sales cases or the operators; customer service reads the first two.
#[test]
fn reading_is_gated_by_role_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    shop(&db);
    staff(&db);
    let pat = [("SHOPDESK_PIN", "2222")];
    let sue = [("SHOPDESK_PIN", "3333")];
    for args in [
        &["customers"][..],
        &["case", "list"],
        &["case", "parcels"],
        &["operators", "list"],
    ] {
        let mut all = vec!["--operator", "Pat"];
        all.extend_from_slice(args);
        let why = refused(&run(&db, &pat, &all));
        assert!(why.contains("may not"), "{args:?}: {why}");
    }
    for args in [&["orders"][..], &["stock"]] {
        let mut all = vec!["--operator", "Pat"];
        all.extend_from_slice(args);
        ok(&run(&db, &pat, &all));
    }
    for args in [&["customers"][..], &["case", "list"]] {
        let mut all = vec!["--operator", "Sue"];
        all.extend_from_slice(args);
        ok(&run(&db, &sue, &all));
    }
    refused(&run(&db, &sue, &["--operator", "Sue", "operators", "list"]));
    // A stock keeper sees stock, not the orders with the buyers' phones and addresses.
    ok(&run(
        &db,
        &[("SHOPDESK_PIN", "1111"), ("SHOPDESK_NEW_PIN", "4444")],
        &[
            "--operator",
            "Boss",
            "operators",
            "add",
            "Kim",
            "--role",
            "stock",
        ],
    ));
    let kim = [("SHOPDESK_PIN", "4444")];
    let why = refused(&run(&db, &kim, &["--operator", "Kim", "orders", "--json"]));
    assert!(why.contains("Kim (stock keeper) may not"), "{why}");
    ok(&run(&db, &kim, &["--operator", "Kim", "stock"]));
}

/// Five wrong PINs in a row lock that name for a while, even with the right PIN, so
/// guessing a PIN from many processes at once gets nowhere; the shop's file is not written
/// for any of it, and other operators still sign in.
#[test]
fn wrong_pins_lock_the_name_for_a_while() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    shop(&db);
    staff(&db);
    let before = std::fs::read(&db).unwrap();
    for pin in ["0001", "0002", "0003", "0004", "0005"] {
        let why = refused(&run(
            &db,
            &[("SHOPDESK_PIN", pin)],
            &["--operator", "Boss", "orders"],
        ));
        assert!(why.contains("wrong PIN"), "{why}");
    }
    let locked = refused(&run(
        &db,
        &[("SHOPDESK_PIN", "1111")],
        &["--operator", "boss", "orders"],
    ));
    assert!(locked.contains("too many wrong PINs for Boss"), "{locked}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the shop's file is not written"
    );
    assert!(dir.path().join("shop.db.signin").is_file());
    ok(&run(
        &db,
        &[("SHOPDESK_PIN", "3333")],
        &["--operator", "Sue", "orders"],
    ));
}

/// A backup whose trail guard was dropped (and entries erased) is refused for a restore,
/// as `check` refuses it: a doctored file never becomes the shop.
#[test]
fn a_backup_with_a_guard_dropped_is_not_restored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    shop(&db);
    let out = ok(&run(
        &db,
        &[],
        &["backup", "--to", dir.path().join("bk").to_str().unwrap()],
    ));
    let backup = out.trim().to_owned();
    {
        let conn = rusqlite::Connection::open(&backup).unwrap();
        conn.execute_batch("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log;")
            .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let why = refused(&run(&db, &[], &["restore", &backup]));
    assert!(
        why.contains("trigger audit_log_no_delete is missing"),
        "{why}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before, "the shop is as it was");
}
