//! The inventory commands end to end: product import/export, purchases,
//! receive, adjust, counts and the ledger, on temporary databases and `fixtures/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{fixture, ok, shopdesk};

fn stock(db: &Path) -> Vec<serde_json::Value> {
    let out = ok(&shopdesk(db, &["stock", "--json"]));
    serde_json::from_str::<serde_json::Value>(&out)
        .expect("json")
        .as_array()
        .cloned()
        .expect("array")
}

fn figure(db: &Path, code: &str, field: &str) -> i64 {
    stock(db)
        .iter()
        .find(|r| r["code"] == code)
        .and_then(|r| r[field].as_i64())
        .unwrap_or_else(|| panic!("{code}.{field}"))
}

#[test]
fn import_receive_count_adjust_and_explain() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");

    // A dry run writes nothing; the import creates; a second one updates.
    let out = ok(&shopdesk(
        &db,
        &["products", "import", &fixture("products.csv"), "--dry-run"],
    ));
    assert!(out.contains("5 new"), "{out}");
    assert!(stock(&db).is_empty());
    let out = ok(&shopdesk(
        &db,
        &["products", "import", &fixture("products.csv")],
    ));
    assert!(out.contains("5 new, 0 updated"), "{out}");
    let out = ok(&shopdesk(
        &db,
        &["products", "import", &fixture("products.csv")],
    ));
    // The same file again changes nothing and says so.
    assert!(out.contains("0 new, 0 updated, 5 unchanged"), "{out}");
    let out = ok(&shopdesk(
        &db,
        &["products", "import", &fixture("products_gbk.csv")],
    ));
    assert!(out.contains("2 new"), "{out}");
    assert!(stock(&db).iter().any(|r| r["name"] == "青花瓷碗"));

    // A purchase puts stock in transit; receiving in part, then the rest.
    let out = ok(&shopdesk(
        &db,
        &[
            "purchases",
            "create",
            "--supplier",
            "义乌杯厂",
            "--expected",
            "2026-12-01",
            "--line",
            "CUP-W=24@6.50",
            "--line",
            "SAUCER=30",
        ],
    ));
    assert!(out.contains("purchase 1 created"), "{out}");
    assert_eq!(figure(&db, "CUP-W", "in_transit"), 24);
    let out = ok(&shopdesk(&db, &["purchases"]));
    assert!(
        out.contains("义乌杯厂") && out.contains("2026-12-01"),
        "{out}"
    );
    let out = ok(&shopdesk(&db, &["receive", "1", "--line", "CUP-W=10"]));
    assert!(out.contains("more still expected"), "{out}");
    assert_eq!(figure(&db, "CUP-W", "on_hand"), 10);
    assert_eq!(figure(&db, "CUP-W", "in_transit"), 14);
    let out = ok(&shopdesk(&db, &["receive", "1"]));
    assert!(out.contains("complete"), "{out}");
    assert_eq!(figure(&db, "CUP-W", "on_hand"), 24);
    assert_eq!(figure(&db, "SAUCER", "on_hand"), 30);
    let again = shopdesk(&db, &["receive", "1"]);
    assert!(!again.status.success());

    // The bundle is what its components allow: 24/2 cups, 30/2 saucers, 0 tea.
    assert_eq!(figure(&db, "GIFT-SET", "on_hand"), 0);
    ok(&shopdesk(
        &db,
        &["adjust", "TEA-GREEN", "5", "--reason", "found"],
    ));
    assert_eq!(figure(&db, "GIFT-SET", "on_hand"), 5);

    // Adjust: negative refused beyond on hand by default; a bad reason is refused.
    ok(&shopdesk(
        &db,
        &[
            "adjust", "CUP-W", "-2", "--reason", "damaged", "--note", "cracked",
        ],
    ));
    assert_eq!(figure(&db, "CUP-W", "on_hand"), 22);
    let refused = shopdesk(&db, &["adjust", "CUP-W", "-50", "--reason", "lost"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("only 22 on hand"));
    let bad = shopdesk(&db, &["adjust", "CUP-W", "-1", "--reason", "stolen"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("damaged, lost, found, sample"));

    // A count of bins A-1..A-5 (A-10 is outside in natural order), by barcode scans.
    let out = ok(&shopdesk(
        &db,
        &["count", "start", "--from", "A-1", "--to", "A-5"],
    ));
    assert!(out.contains("2 product(s)"), "{out}");
    ok(&shopdesk(
        &db,
        &[
            "count",
            "enter",
            "1",
            "6901000000011",
            "6901000000012",
            "CUP-W*18",
            "SAUCER=31",
        ],
    ));
    let out = ok(&shopdesk(&db, &["count", "show", "1"]));
    assert!(out.contains("difference -1"), "{out}");
    let out = ok(&shopdesk(&db, &["count", "post", "1"]));
    assert!(out.contains("2 adjustment(s)"), "{out}");
    assert_eq!(figure(&db, "CUP-W", "on_hand"), 20);
    assert_eq!(figure(&db, "SAUCER", "on_hand"), 31);

    // The ledger explains the figure, step by step.
    let out = ok(&shopdesk(&db, &["ledger", "CUP-W"]));
    assert!(out.contains("on hand 20"), "{out}");
    for needle in [
        "stock_count",
        "COUNT-1",
        "damaged: cracked",
        "purchase_receipt",
        "PO-1",
    ] {
        assert!(out.contains(needle), "{needle} in {out}");
    }
    ok(&shopdesk(&db, &["check"]));
}

#[test]
fn broken_import_names_line_and_column_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    let out = shopdesk(
        &db,
        &["products", "import", &fixture("products_broken.csv")],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("products_broken.csv:3: column price"), "{err}");
    assert!(
        err.contains("products_broken.csv:4: column reorder_point"),
        "{err}"
    );
    assert!(err.contains("nothing imported"), "{err}");
    assert!(stock(&db).is_empty(), "all or nothing");
}

#[test]
fn export_is_spreadsheet_safe_and_imports_back() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    let evil = dir.path().join("evil.csv");
    std::fs::write(
        &evil,
        "code,name,bin\nX1,\"=HYPERLINK(\"\"http://x\"\")\",@A-1\nX2,+cmd,-1\n",
    )
    .expect("write");
    ok(&shopdesk(
        &db,
        &["products", "import", &evil.display().to_string()],
    ));
    let export = dir.path().join("export.csv");
    let out = ok(&shopdesk(
        &db,
        &["products", "export", &export.display().to_string()],
    ));
    assert!(out.contains("2 products"), "{out}");
    let text = std::fs::read_to_string(&export).expect("read");
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(
        text.contains("'@A-1") && text.contains("'+cmd") && text.contains("'-1"),
        "{text}"
    );
    // Importing the export changes nothing.
    let db2 = dir.path().join("copy.db");
    ok(&shopdesk(
        &db2,
        &["products", "import", &export.display().to_string()],
    ));
    let names: Vec<String> = stock(&db2)
        .iter()
        .map(|r| format!("{}|{}", r["name"], r["bin"]))
        .collect();
    assert_eq!(
        names,
        vec![
            "\"=HYPERLINK(\\\"http://x\\\")\"|\"@A-1\"".to_owned(),
            "\"+cmd\"|\"-1\"".to_owned()
        ]
    );
}

#[test]
fn a_bundle_of_an_unknown_or_bundled_component_is_refused_at_its_line_and_column() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("shop.db");
    let file = dir.path().join("bundles.csv");
    std::fs::write(
        &file,
        "code,name,components\nCUP,杯子,\nSET,套装,CUP*1\nBUN-1,坏套装,NOPE*2\nBUN-2,套中套,SET*1\n",
    )
    .expect("write");
    let out = shopdesk(&db, &["products", "import", &file.display().to_string()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        stderr.contains("bundles.csv:4: column components: bundle BUN-1: component NOPE is neither in this file nor a product of the shop"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "bundles.csv:5: column components: bundle BUN-2: component SET is a bundle itself"
        ),
        "{stderr}"
    );
    assert!(stock(&db).is_empty(), "nothing written");
}
