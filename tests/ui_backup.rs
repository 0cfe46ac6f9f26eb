//! Backups in the window, driven headlessly: the daily backup when the window opens,
//! "Back up now" in Settings and the list of the backup folder, a restore from the list,
//! and the status bar's age of the last backup.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{harness, harness_with, settle, wait_for_job};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use shopdesk::store::Store;
use shopdesk::store::backup::list_backups;
use shopdesk::ui::{ShopDeskApp, Tab};

/// A shop of 50 sample orders in `dir`.
fn shop(dir: &Path) -> PathBuf {
    let db = dir.join("shop.db");
    let mut store = Store::open(&db).expect("create");
    let now = chrono::Local::now().fixed_offset();
    store.load_demo(50, 5, now, &mut |_| true).expect("demo");
    db
}

fn orders(db: &Path) -> i64 {
    Store::open(db).expect("open").counts().expect("counts").1
}

/// The visible text of every label, to assert on.
fn has_text(harness: &Harness<'_, ShopDeskApp>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn back_up_now_lists_the_backup_and_the_status_bar_says_its_age() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    let mut harness = harness(&db);
    // No backup yet: the status bar says so (in red).
    assert!(has_text(&harness, "no backup yet"));
    harness.get_by_label("Settings").click();
    settle(&mut harness);
    assert!(has_text(&harness, "No backups in this folder yet."));
    harness.get_by_label("Back up now").click();
    wait_for_job(&mut harness);
    let backups = list_backups(&dir.path().join("backups")).expect("list");
    assert_eq!(backups.len(), 1);
    assert!(backups[0].path.exists());
    // The written path is shown, and the list shows the backup with what it holds.
    let name = backups[0].path.display().to_string();
    assert!(has_text(&harness, &name), "the path {name} is shown");
    let taken = backups[0].stamp.at.format("%Y-%m-%d %H:%M:%S").to_string();
    assert!(has_text(&harness, &taken), "the list shows {taken}");
    harness.get_by_label("50");
    harness.get_by_label("Restore…");
    assert!(has_text(&harness, "backup just now"));
}

#[test]
fn the_window_takes_the_daily_backup_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    let folder = dir.path().join("backups");
    let mut harness = harness_with(&db, egui::vec2(1280.0, 800.0), |app| {
        app.take_daily_backup();
    });
    wait_for_job(&mut harness);
    assert_eq!(list_backups(&folder).expect("list").len(), 1);
    assert!(has_text(&harness, "backup just now"));
    drop(harness);
    // The second window of the day finds today's backup.
    let mut harness = harness_with(&db, egui::vec2(1280.0, 800.0), |app| {
        app.take_daily_backup();
    });
    wait_for_job(&mut harness);
    assert_eq!(list_backups(&folder).expect("list").len(), 1);
}

#[test]
fn an_old_backup_is_a_warning_in_the_status_bar() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    let folder = dir.path().join("backups");
    std::fs::create_dir(&folder).expect("folder");
    let then = chrono::Local::now().naive_local() - chrono::Duration::hours(75);
    let name = format!("shopdesk-{}.db", then.format("%Y%m%d-%H%M%S"));
    std::fs::write(folder.join(name), "an old backup").expect("write");
    let mut harness = harness(&db);
    assert!(has_text(&harness, "backup 3 d ago"));
    // A click on it opens Settings, where the backups are.
    harness.get_by_label("backup 3 d ago").click();
    settle(&mut harness);
    assert_eq!(harness.state().prefs.tab, Tab::Settings);
}

#[test]
fn a_backup_is_restored_from_the_list_after_a_confirmation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    let mut harness = harness(&db);
    harness.get_by_label("Settings").click();
    settle(&mut harness);
    harness.get_by_label("Back up now").click();
    wait_for_job(&mut harness);
    // A write after the backup: the restore takes it away.
    {
        let mut store = Store::open(&db).expect("open");
        let extra = common::order("AFTER-THE-BACKUP", &[("CUP", 1)], false);
        store
            .import_orders(&[extra], "test", &[], 0, false, "owner", &mut |_| true)
            .expect("one more order");
    }
    assert_eq!(orders(&db), 51);
    harness.get_by_label("Restore…").click();
    settle(&mut harness);
    assert!(has_text(&harness, "The current file is backed up first"));
    harness.get_by_label("Restore this backup").click();
    settle(&mut harness);
    settle(&mut harness);
    assert!(
        has_text(&harness, "Restored the backup"),
        "the notice says so"
    );
    assert_eq!(orders(&db), 50);
    // The window reads the restored file.
    let overview = harness.state().overview.clone().expect("overview");
    assert_eq!(overview.orders, 50);
    // The replaced file was backed up first: two backups now.
    assert_eq!(
        list_backups(&dir.path().join("backups"))
            .expect("list")
            .len(),
        2
    );
}

#[test]
fn an_unreachable_backup_folder_is_no_backup_said_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = shop(dir.path());
    // The chosen folder is a file (a disk that is not there would do the same).
    let blocked = dir.path().join("usb");
    std::fs::write(&blocked, "not a folder").expect("write");
    {
        let mut store = Store::open(&db).expect("open");
        let mut settings = store.settings().expect("settings");
        settings.backup_dir = blocked.clone();
        store.save_settings(&settings).expect("save");
    }
    let mut harness = harness_with(&db, egui::vec2(1280.0, 800.0), |app| {
        app.take_daily_backup();
    });
    wait_for_job(&mut harness);
    assert!(has_text(&harness, "no backup yet"));
    let errors: Vec<_> = harness
        .state()
        .notices
        .iter()
        .filter(|n| n.is_error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    harness.get_by_label("Settings").click();
    settle(&mut harness);
    assert!(
        harness
            .query_all_by_label_contains("Not a directory")
            .count()
            >= 1
    );
}

/// A copy of `from` at `to` with the b-tree page header of the orders table inverted: the
/// file opens, reads of other tables work, `quick_check` fails.
fn damaged_copy(from: &Path, to: &Path) {
    let conn = rusqlite::Connection::open(from).expect("open");
    let (root, size): (i64, i64) = conn
        .query_row(
            "SELECT rootpage, (SELECT page_size FROM pragma_page_size())
             FROM sqlite_schema WHERE name = 'orders'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("root page");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
    drop(conn);
    let mut bytes = std::fs::read(from).expect("read");
    let at = ((root - 1) * size) as usize;
    for byte in &mut bytes[at..at + 12] {
        *byte ^= 0xFF;
    }
    std::fs::write(to, bytes).expect("write");
}

#[test]
fn a_damaged_file_offers_its_last_backup_and_restores_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sound = shop(dir.path());
    let backup = Store::open(&sound)
        .expect("open")
        .backup_to(&dir.path().join("backups"))
        .expect("backup");
    let live = dir.path().join("live.db");
    damaged_copy(&sound, &live);
    let mut harness = harness(&live);
    harness.get_by_label("Settings").click();
    settle(&mut harness);
    // Any write finds the damage: here the backup, which checks the file first.
    harness.get_by_label("Back up now").click();
    wait_for_job(&mut harness);
    assert!(has_text(&harness, "is damaged"));
    assert!(has_text(&harness, &backup.display().to_string()));
    harness.get_by_label("Restore the last backup").click();
    wait_for_job(&mut harness);
    settle(&mut harness);
    drop(harness);
    let store = Store::open(&live).expect("open");
    assert_eq!(store.counts().expect("counts").1, 50);
    let check: String = rusqlite::Connection::open(&live)
        .expect("open")
        .query_row("PRAGMA quick_check", [], |row| row.get(0))
        .expect("check");
    assert_eq!(check, "ok");
}

/// A copy of `from` at `to` whose first page (the schema) has its b-tree header inverted:
/// SQLite reads the file header but not one table, so the store cannot open it.
fn unopenable_copy(from: &Path, to: &Path) {
    let conn = rusqlite::Connection::open(from).expect("open");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
    drop(conn);
    let mut bytes = std::fs::read(from).expect("read");
    for byte in &mut bytes[100..112] {
        *byte ^= 0xFF;
    }
    std::fs::write(to, bytes).expect("write");
}

#[test]
fn a_file_too_damaged_to_open_offers_its_backups_and_restores_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sound = shop(dir.path());
    let folder = dir.path().join("backups");
    let older = Store::open(&sound)
        .expect("open")
        .backup_to(&folder)
        .expect("backup");
    // A later backup with one more order: the newest is listed first.
    {
        let mut store = Store::open(&sound).expect("open");
        let extra = common::order("IN-THE-NEWEST-BACKUP", &[("CUP", 1)], false);
        store
            .import_orders(&[extra], "test", &[], 0, false, "owner", &mut |_| true)
            .expect("one more order");
    }
    // Backups are named by the second they were taken.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let newest = Store::open(&sound)
        .expect("open")
        .backup_to(&folder)
        .expect("backup");
    let live = dir.path().join("live.db");
    unopenable_copy(&sound, &live);
    assert!(Store::open(&live).is_err(), "the copy cannot be opened");
    let damaged_bytes = std::fs::read(&live).expect("read");

    let mut harness = harness(&live);
    // The screen says the file cannot be opened, why, and lists both backups with what
    // each holds; no tab is offered.
    assert!(has_text(&harness, "This shop file cannot be opened"));
    assert!(has_text(&harness, "is damaged"));
    assert!(has_text(&harness, "kept aside in the backup folder first"));
    harness.get_by_label("50");
    harness.get_by_label("51");
    assert!(harness.query_by_label("Settings").is_none(), "no tabs");
    let restore_buttons: Vec<_> = harness.query_all_by_label("Restore…").collect();
    assert_eq!(restore_buttons.len(), 2);
    // The first row is the newest backup; cancelling the question changes nothing.
    restore_buttons[0].click();
    settle(&mut harness);
    assert!(has_text(
        &harness,
        "which cannot be opened, with the backup taken"
    ));
    assert!(has_text(&harness, "51 orders"));
    harness.get_by_label("Cancel").click();
    settle(&mut harness);
    assert_eq!(std::fs::read(&live).expect("read"), damaged_bytes);
    // Confirmed: the newest backup replaces the file and the window opens it.
    harness
        .query_all_by_label("Restore…")
        .next()
        .expect("button")
        .click();
    settle(&mut harness);
    harness.get_by_label("Restore this backup").click();
    settle(&mut harness);
    settle(&mut harness);
    assert!(
        has_text(&harness, "Restored the backup"),
        "the notice says so"
    );
    assert!(harness.state().recovery.is_none());
    let overview = harness.state().overview.clone().expect("the file is open");
    assert_eq!(overview.orders, 51);
    assert!(
        harness.query_by_label("Settings").is_some(),
        "the tabs are back"
    );
    drop(harness);
    let store = Store::open(&live).expect("the restored file opens");
    assert_eq!(store.counts().expect("counts").1, 51);
    assert!(store.check().expect("check").is_empty());
    // The damaged file was kept aside, byte for byte, beside the two backups.
    let kept: Vec<_> = std::fs::read_dir(&folder)
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with("-as-found.db"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read(&kept[0]).expect("read"), damaged_bytes);
    assert!(older.exists() && newest.exists());
}

#[test]
fn the_screen_of_a_file_that_cannot_be_opened_speaks_the_last_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sound = shop(dir.path());
    let live = dir.path().join("live.db");
    unopenable_copy(&sound, &live);
    let mut harness = harness_with(&live, egui::vec2(1280.0, 800.0), |app| {
        app.prefs.language = Some("zh-CN".to_owned());
    });
    settle(&mut harness);
    assert!(has_text(&harness, "无法打开这个店铺文件"));
    assert!(has_text(&harness, "已损坏"), "the cause too");
    // No backup yet: the way out is said, in Chinese.
    assert!(has_text(&harness, "这个文件夹里没有 ShopDesk 备份"));
    assert!(has_text(&harness, "数据库未打开"), "the status bar");
}
