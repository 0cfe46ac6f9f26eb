//! The reliability scenarios at small sizes (the promises of docs/reliability.md); the
//! same scenarios at full size: `cargo run --release --example reliability`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/reliability.rs"]
mod reliability;

use std::path::PathBuf;

use reliability::Lab;

fn lab(dir: &tempfile::TempDir, seed: u64) -> Lab {
    let mut lab = Lab::new(
        PathBuf::from(env!("CARGO_BIN_EXE_shopdesk")),
        dir.path(),
        seed,
    );
    lab.writer_args = ["writer_child", "--exact", "--nocapture", "--test-threads=1"]
        .map(str::to_owned)
        .to_vec();
    lab
}

/// Not a test of its own: the writer child of the scenarios that kill writers mid-stream
/// ([`reliability::writer_child`]); in a normal run it returns at once.
#[test]
fn writer_child() {
    reliability::writer_child();
}

#[test]
fn writers_killed_mid_stream_lose_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    passed(reliability::kill_during_write_streams(
        &mut lab(&dir, 10),
        400,
        3,
    ));
}

fn passed(report: reliability::Report) {
    println!("{}", report.line());
    report.assert_passed();
}

#[test]
fn an_import_killed_at_any_moment_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    passed(reliability::kill_during_import(&mut lab(&dir, 1), 3000, 8));
}

#[test]
fn the_sample_shop_and_adjustments_killed_lose_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    passed(reliability::kill_during_writes(&mut lab(&dir, 2), 500, 6));
}

#[test]
fn four_writers_at_once_never_see_a_lock_nor_lose_an_update() {
    let dir = tempfile::tempdir().unwrap();
    passed(reliability::contention(&mut lab(&dir, 3), 12));
}

#[test]
fn raw_sql_cannot_change_what_is_immutable() {
    let dir = tempfile::tempdir().unwrap();
    passed(reliability::raw_sql_on_immutable(&mut lab(&dir, 4)));
}

#[test]
fn backups_under_load_are_whole_and_consistent() {
    let dir = tempfile::tempdir().unwrap();
    passed(reliability::backups_under_load(&mut lab(&dir, 5), 5000, 3));
}

#[test]
fn hostile_restores_are_refused_without_harm() {
    let dir = tempfile::tempdir().unwrap();
    passed(reliability::hostile_restores(&mut lab(&dir, 6), 12));
}

#[test]
fn every_schema_migrates_and_a_killed_migration_is_never_half_done() {
    let dir = tempfile::tempdir().unwrap();
    passed(reliability::migrations(&mut lab(&dir, 7), 20_000, 4));
}

#[test]
fn a_full_disk_during_an_import_is_said_and_leaves_the_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    passed(reliability::disk_full_during_import(
        &mut lab(&dir, 8),
        3000,
        3,
    ));
}

#[test]
fn the_wal_is_cut_back_after_a_long_read() {
    let dir = tempfile::tempdir().unwrap();
    passed(reliability::long_read_wal(&mut lab(&dir, 9), 300));
}

mod fuzz {
    //! Every importer and the address reader on damaged input (scenario 10): fixtures with
    //! bytes flipped, cut, or with separators, quotes and line ends thrown in, and bytes
    //! at random. No panic, no hang; every row rejected names its line (or row) and column.

    use std::path::Path;

    use proptest::prelude::*;
    use shopdesk::import::{
        EncodingChoice, Parsed, parse_douyin, parse_jd, parse_pdd, parse_products, parse_shopify,
        parse_taobao,
    };

    const FIXTURES: [&str; 7] = [
        "taobao_orders_gbk.csv",
        "taobao_items_utf8.csv",
        "shopify_orders.csv",
        "jd_orders.csv",
        "pdd_orders.csv",
        "douyin_orders.csv",
        "products.csv",
    ];

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(name),
        )
        .unwrap()
    }

    #[derive(Clone, Debug)]
    enum Damage {
        Flip(usize, u8),
        Cut(usize),
        Insert(usize, &'static str),
    }

    fn damage() -> impl Strategy<Value = Damage> {
        prop_oneof![
            (any::<usize>(), any::<u8>()).prop_map(|(at, bits)| Damage::Flip(at, bits)),
            any::<usize>().prop_map(Damage::Cut),
            (
                any::<usize>(),
                prop::sample::select(vec![
                    ",",
                    "\"",
                    "\n",
                    "\r",
                    "\r\n",
                    "\t",
                    "=\"",
                    "1.2E+17",
                    "订单",
                    "\u{feff}",
                    ";",
                    "\0",
                    ",,,,,,,,,,,,",
                ])
            )
                .prop_map(|(at, text)| Damage::Insert(at, text)),
        ]
    }

    fn apply(mut bytes: Vec<u8>, damages: &[Damage]) -> Vec<u8> {
        for d in damages {
            if bytes.is_empty() {
                break;
            }
            match *d {
                Damage::Flip(at, bits) => {
                    let at = at % bytes.len();
                    bytes[at] ^= bits;
                }
                Damage::Cut(at) => bytes.truncate(at % bytes.len()),
                Damage::Insert(at, text) => {
                    let at = at % bytes.len();
                    bytes.splice(at..at, text.bytes());
                }
            }
        }
        bytes
    }

    fn every_rejection_is_placed(parsed: &Parsed) -> Result<(), TestCaseError> {
        for e in &parsed.rejected {
            prop_assert!(e.line >= 1 && !e.column.is_empty(), "{e}");
        }
        Ok(())
    }

    /// Runs every parser that takes this kind of file on `path`.
    fn parse_all(
        path: &Path,
        sound_items: &Path,
        sound_orders: &Path,
    ) -> Result<(), TestCaseError> {
        let go = &|_| true;
        let auto = EncodingChoice::Auto;
        for parsed in [
            parse_taobao(path, sound_items, auto, go),
            parse_taobao(sound_orders, path, auto, go),
            parse_shopify(path, auto, go),
            parse_jd(path, auto, go),
            parse_pdd(path, auto, go),
            parse_douyin(path, auto, go),
        ]
        .into_iter()
        .flatten()
        {
            every_rejection_is_placed(&parsed)?;
        }
        if let Ok(products) = parse_products(path, auto, go) {
            for e in &products.rejected {
                prop_assert!(e.line >= 1 && !e.column.is_empty(), "{e}");
            }
        }
        if let Ok(cart) = shopdesk::import::cart::read_cart(path) {
            for e in &cart.rejected {
                prop_assert!(e.line >= 1 && !e.column.is_empty(), "{e}");
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn damaged_exports_are_read_or_refused_with_their_place(
            which in 0..FIXTURES.len(),
            damages in prop::collection::vec(damage(), 1..6),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("damaged.csv");
            std::fs::write(&path, apply(fixture(FIXTURES[which]), &damages)).unwrap();
            let items = dir.path().join("items.csv");
            std::fs::write(&items, fixture("taobao_items_gbk.csv")).unwrap();
            let orders = dir.path().join("orders.csv");
            std::fs::write(&orders, fixture("taobao_orders_gbk.csv")).unwrap();
            parse_all(&path, &items, &orders)?;
        }

        #[test]
        fn random_bytes_are_refused_without_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("random.csv");
            std::fs::write(&path, &bytes).unwrap();
            let sound = dir.path().join("sound.csv");
            std::fs::write(&sound, fixture("taobao_items_gbk.csv")).unwrap();
            parse_all(&path, &sound, &sound)?;
        }

        #[test]
        fn the_address_reader_takes_any_text(text in "\\PC{0,120}") {
            let _ = shopdesk::domain::address::parse_address(&text);
        }
    }
}
