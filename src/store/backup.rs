//! Backups and restores of the shop's file. A backup is a consistent copy taken in one
//! step (`VACUUM INTO`) while the shop keeps working, verified before it gets its final
//! name. A restore checks the file it is given before anything is touched, backs the
//! current file up first, and swaps the files with a rename, so the shop's file is
//! either the old one or the restored one, never a mix.
//!
//! Automatic backups (the window's daily one, the one before a migration, the one before
//! a restore) are followed by retention ([`crate::domain::backup::to_delete`]), which
//! deletes only files named as ShopDesk names its backups, and never the newest. The
//! folder is listed by name alone (a file with the final name has passed its checks), so
//! the status bar's age of the last backup costs one directory read.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::{APPLICATION_ID, Result, Store, StoreError, migrations};
use crate::domain::backup::{Stamp, backup_name, daily_due, parse_backup_name, to_delete};

/// The folder backups go to when none is named: `backups` next to the shop's file.
pub fn default_backup_dir(db: &Path) -> PathBuf {
    match db.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join("backups"),
        _ => PathBuf::from("backups"),
    }
}

/// What a checked backup file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub schema_version: i64,
    pub orders: i64,
    pub products: i64,
}

/// A restore that was done: the file restored, the copy of the file it replaced, and
/// what retention did after that copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub info: BackupInfo,
    pub previous: PathBuf,
    pub pruned: Pruned,
    /// Today's operators, kept from the replaced file: who may sign in, their PINs and
    /// the role table are today's, not the backup's (a backup would otherwise bring back a
    /// disabled operator or an old PIN, or open the shop to anyone when it predates
    /// operators). 0 when the replaced file had none or could not be read.
    pub operators_kept: usize,
}

/// A ShopDesk backup in the backup folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupEntry {
    pub path: PathBuf,
    pub stamp: Stamp,
    pub size_bytes: u64,
}

/// What a backup holds, read from it without changing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holdings {
    pub orders: i64,
    pub products: i64,
    /// When the newest order was placed, as stored (ISO-8601).
    pub last_order_at: Option<String>,
}

/// What retention did in a folder: the backups it deleted, and why it stopped short, if
/// it did (a folder or a file it could not remove). Retention failing never fails the
/// backup that came before it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pruned {
    pub deleted: Vec<PathBuf>,
    pub failed: Option<String>,
}

/// An automatic backup that was taken, and what retention did after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoBackup {
    pub path: PathBuf,
    pub pruned: Pruned,
}

/// The ShopDesk backups in `dir`, newest first; none when the folder does not exist.
/// Other files in the folder are not listed.
pub fn list_backups(dir: &Path) -> Result<Vec<BackupEntry>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error("read the folder", dir, e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error("read the folder", dir, e))?;
        let name = entry.file_name();
        let Some(stamp) = name.to_str().and_then(parse_backup_name) else {
            continue;
        };
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        if meta.is_file() {
            found.push(BackupEntry {
                path: entry.path(),
                stamp,
                size_bytes: meta.len(),
            });
        }
    }
    found.sort_by_key(|b| std::cmp::Reverse(b.stamp));
    Ok(found)
}

/// What the backup at `path` holds, read-only and without the checks of [`inspect`] (a
/// restore runs those).
pub fn holdings(path: &Path) -> Result<Holdings> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let (orders, products, last_order_at) = conn.query_row(
        "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM products),
                (SELECT max(ordered_at) FROM orders WHERE merged_into IS NULL)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    Ok(Holdings {
        orders,
        products,
        last_order_at,
    })
}

/// Applies retention to the backups in `dir` at `now` (local time).
pub fn prune(dir: &Path, now: NaiveDateTime) -> Pruned {
    let backups = match list_backups(dir) {
        Ok(backups) => backups,
        Err(e) => {
            return Pruned {
                deleted: Vec::new(),
                failed: Some(e.to_string()),
            };
        }
    };
    let stamps: Vec<Stamp> = backups.iter().map(|b| b.stamp).collect();
    let mut pruned = Pruned::default();
    for i in to_delete(&stamps, now) {
        let path = &backups[i].path;
        match std::fs::remove_file(path) {
            Ok(()) => pruned.deleted.push(path.clone()),
            Err(e) => {
                pruned.failed = Some(io_error("remove", path, e).to_string());
                break;
            }
        }
    }
    pruned
}

/// The backup folder saved in the shop's file at `db`, read without opening it as a
/// store (a restore replaces a file that may be damaged or in use); the default folder
/// when it cannot be read.
pub fn configured_backup_dir(db: &Path) -> PathBuf {
    match saved_setting(db, "backup_dir") {
        Some(dir) if !dir.trim().is_empty() => PathBuf::from(dir.trim()),
        _ => default_backup_dir(db),
    }
}

/// The language saved in the shop's file at `db`, read as [`configured_backup_dir`] reads
/// the backup folder (the window speaks it about a file it cannot open); `None` when it
/// cannot be read.
pub fn configured_language(db: &Path) -> Option<super::Language> {
    saved_setting(db, "language").map(|code| super::Language::from_code(&code))
}

/// One setting of the file at `db`, read-only and without opening it as a store; `None`
/// when the file, its settings or the key cannot be read.
fn saved_setting(db: &Path, key: &str) -> Option<String> {
    Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|conn| {
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
            row.get::<_, String>(0)
        })
        .optional()
    })
    .ok()
    .flatten()
}

impl StoreError {
    /// The error of a damaged file at `path`, offering the newest backup of its backup
    /// folder (read without trusting the damaged file beyond its settings).
    pub fn damaged(path: &Path, detail: String) -> StoreError {
        let last_backup = list_backups(&configured_backup_dir(path))
            .ok()
            .and_then(|found| found.into_iter().next())
            .map(|b| b.path);
        StoreError::Damaged {
            path: path.to_path_buf(),
            detail,
            last_backup,
        }
    }

    /// The backup this error offers to restore: the newest one of a damaged file's folder.
    pub fn offered_backup(&self) -> Option<&Path> {
        match self {
            StoreError::Damaged { last_backup, .. } => last_backup.as_deref(),
            _ => None,
        }
    }
}

/// How far a backup is ([`Store::backup_to_with`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackupStep {
    /// Writing the copy: thousandths of the pages in use written.
    Copying { permille: u64 },
    /// Checking the copy (`integrity_check`, one statement that tells nothing of its own
    /// progress).
    Checking,
}

/// Why the copy of a backup stopped.
enum CopyError {
    Cancelled,
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for CopyError {
    fn from(e: rusqlite::Error) -> CopyError {
        CopyError::Sqlite(e)
    }
}

/// The local time, as backups are named.
fn local_now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

fn io_error(action: &str, path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Invalid(format!("cannot {action} {}: {e}", path.display()))
}

fn refused(path: &Path, reason: impl Into<String>) -> StoreError {
    StoreError::RestoreRefused {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

impl Store {
    /// Writes a verified copy of the shop's file into `dir` (created if needed) as
    /// `shopdesk-YYYYMMDD-HHMMSS.db` and returns its path. The copy is written under a
    /// temporary name and renamed only once it has passed `integrity_check` with our
    /// application id and schema version, so a file with the final name is a good one.
    pub fn backup_to(&self, dir: &Path) -> Result<PathBuf> {
        self.backup_to_with(dir, &|_| true)
    }

    /// A backup a person asked for ([`Store::backup_to_with`]), written into the audit
    /// trail once the copy is done (the copy itself does not hold its own entry).
    pub fn backup_by(
        &mut self,
        dir: &Path,
        operator: &str,
        progress: &dyn Fn(BackupStep) -> bool,
    ) -> Result<PathBuf> {
        let path = self.backup_to_with(dir, progress)?;
        let tx = self.write()?;
        super::audit::record(&tx, operator, "backup", &path.display().to_string(), "", "")?;
        tx.commit()?;
        Ok(path)
    }

    /// [`Store::backup_to`], telling `progress` how far it is: the copy by the bytes
    /// written against the pages in use, then the check of the copy. `progress` answering
    /// `false` cancels: the copy is stopped (or, once checked, deleted) and nothing is kept.
    pub fn backup_to_with(
        &self,
        dir: &Path,
        progress: &dyn Fn(BackupStep) -> bool,
    ) -> Result<PathBuf> {
        std::fs::create_dir_all(dir).map_err(|e| io_error("create the folder", dir, e))?;
        let now = local_now();
        let mut n = 1;
        let mut target = dir.join(backup_name(now, n));
        while target.exists() {
            n += 1;
            target = dir.join(backup_name(now, n));
        }
        let partial = target.with_extension("db.partial");
        remove_if_present(&partial)?;
        let cancelled = || {
            StoreError::Invalid(format!(
                "the backup into {} was cancelled; nothing was kept",
                dir.display()
            ))
        };
        let written = self
            .copy_into(&partial, progress)
            .map_err(|e| match e {
                CopyError::Cancelled => cancelled(),
                // The shop's own file is damaged, not the copy: say so, with the way out.
                CopyError::Sqlite(e)
                    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) =>
                {
                    StoreError::damaged(&self.path, e.to_string())
                }
                CopyError::Sqlite(e) => StoreError::Invalid(format!(
                    "cannot write the backup {}: {e}",
                    partial.display()
                )),
            })
            .and_then(|()| sync_file(&partial))
            .and_then(|()| {
                if !progress(BackupStep::Checking) {
                    return Err(cancelled());
                }
                let found = verify(&partial, true)?;
                let version = self.schema_version()?;
                if found.schema_version != version {
                    return Err(refused(
                        &partial,
                        format!(
                            "the copy has schema version {}, the shop {version}",
                            found.schema_version
                        ),
                    ));
                }
                if !progress(BackupStep::Checking) {
                    return Err(cancelled());
                }
                Ok(())
            });
        if let Err(e) = written {
            // A copy that failed its check is worth nothing; the error says why.
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
        std::fs::rename(&partial, &target).map_err(|e| io_error("name the backup", &target, e))?;
        sync_dir(dir);
        Ok(target)
    }

    /// `VACUUM INTO partial`: one statement, consistent under concurrent writers. For a
    /// file, it runs on a connection of its own in a scoped thread while this one watches
    /// the copy grow (against the pages in use) and interrupts it when `progress` says to
    /// stop; a database in memory is copied on its own connection, without progress.
    fn copy_into(
        &self,
        partial: &Path,
        progress: &dyn Fn(BackupStep) -> bool,
    ) -> std::result::Result<(), CopyError> {
        let target = partial.to_string_lossy().into_owned();
        let file = self
            .conn
            .path()
            .filter(|p| !p.is_empty())
            .map(PathBuf::from);
        let Some(file) = file else {
            self.conn.execute("VACUUM INTO ?1", [&target])?;
            return Ok(());
        };
        let expected: u64 = self.conn.query_row(
            "SELECT (SELECT page_count FROM pragma_page_count())
                    - (SELECT freelist_count FROM pragma_freelist_count()),
                    (SELECT page_size FROM pragma_page_size())",
            [],
            |row| Ok(row.get::<_, i64>(0)?.max(1) as u64 * row.get::<_, i64>(1)? as u64),
        )?;
        let conn = Connection::open_with_flags(
            &file,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(super::BUSY_TIMEOUT)?;
        let interrupt = conn.get_interrupt_handle();
        let mut stopped = false;
        let result = std::thread::scope(|scope| {
            let copy = std::thread::Builder::new()
                .name("shopdesk-backup-copy".to_owned())
                .spawn_scoped(scope, move || {
                    conn.execute("VACUUM INTO ?1", [&target]).map(|_| ())
                });
            let copy = match copy {
                Ok(copy) => copy,
                // No thread to spare: copy here, without progress.
                Err(_) => {
                    return self
                        .conn
                        .execute("VACUUM INTO ?1", [partial.to_string_lossy()])
                        .map(|_| ());
                }
            };
            while !copy.is_finished() {
                let written = std::fs::metadata(partial).map_or(0, |m| m.len());
                let permille = (written.saturating_mul(1000) / expected).min(999);
                if !stopped && !progress(BackupStep::Copying { permille }) {
                    stopped = true;
                    interrupt.interrupt();
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            copy.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        if stopped {
            return Err(CopyError::Cancelled);
        }
        result?;
        if !progress(BackupStep::Copying { permille: 1000 }) {
            return Err(CopyError::Cancelled);
        }
        Ok(())
    }

    /// A backup into the shop's backup folder followed by retention: what the automatic
    /// backups do.
    pub fn auto_backup(&self) -> Result<AutoBackup> {
        self.auto_backup_with(&|_| true)
    }

    /// [`Store::auto_backup`] with the progress of [`Store::backup_to_with`].
    pub fn auto_backup_with(&self, progress: &dyn Fn(BackupStep) -> bool) -> Result<AutoBackup> {
        let dir = self.backup_dir()?;
        let path = self.backup_to_with(&dir, progress)?;
        Ok(AutoBackup {
            path,
            pruned: prune(&dir, local_now()),
        })
    }

    /// The daily backup: an automatic backup unless the folder already has one from today
    /// (`None` then).
    pub fn daily_backup(&self) -> Result<Option<AutoBackup>> {
        self.daily_backup_with(&|_| true)
    }

    /// [`Store::daily_backup`] with the progress of [`Store::backup_to_with`].
    pub fn daily_backup_with(
        &self,
        progress: &dyn Fn(BackupStep) -> bool,
    ) -> Result<Option<AutoBackup>> {
        let dir = self.backup_dir()?;
        let newest = list_backups(&dir)?.first().map(|b| b.stamp.at);
        if !daily_due(newest, local_now()) {
            return Ok(None);
        }
        self.auto_backup_with(progress).map(Some)
    }

    /// The backup before a migration from `version`: into the saved backup folder (read
    /// from the file as it is, before the migration), followed by retention. A migration
    /// changes the file for good; without a backup it does not start.
    pub(super) fn back_up_before_migration(&self, version: i64) -> Result<()> {
        let dir = self
            .backup_dir()
            .unwrap_or_else(|_| default_backup_dir(&self.path));
        match self.backup_to(&dir) {
            Ok(_) => {
                // Retention failing does not stop the migration: the backup is there.
                let _ = prune(&dir, local_now());
                Ok(())
            }
            Err(e) => Err(StoreError::MigrationBackupFailed {
                path: self.path.clone(),
                version,
                reason: e.to_string(),
            }),
        }
    }

    /// Restores `backup` over this store's own file ([`restore`], with the current file
    /// backed up into the backup folder first) and opens the restored file. The store's
    /// connection is closed for the swap, which needs the file to itself; whatever
    /// happens, the store is opened again on its file (the old one when refused).
    pub fn restore_from(&mut self, backup: &Path, operator: &str) -> Result<Restored> {
        let backups = self.backup_dir()?;
        let path = self.path.clone();
        let placeholder = Connection::open_in_memory()?;
        drop(std::mem::replace(&mut self.conn, placeholder));
        let restored = restore_as(&path, backup, &backups, operator);
        super::forget_check(&path);
        *self = Store::open(&path)?;
        restored
    }
}

/// Checks a file that is to be restored, without changing it: a SQLite file, complete,
/// ShopDesk's, of a schema version this program knows, passing `integrity_check` (not only
/// `quick_check`, which does not compare indexes with their tables: a copy with a few bits
/// flipped passed it and was restored broken), its schema against the one this program
/// writes at that version (a guard trigger dropped by another tool is refused, as `check`
/// names it) and, at this program's schema, the stock ledger against the balances, as
/// `check` does.
pub fn inspect(path: &Path) -> Result<BackupInfo> {
    let info = verify(path, true)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| refused(path, e.to_string()))?;
    let differences = super::schema_differences(&conn, info.schema_version)
        .map_err(|e| refused(path, format!("the file cannot be read ({e})")))?;
    if let Some(first) = differences.first() {
        return Err(refused(
            path,
            format!("its schema is not as ShopDesk writes it ({first})"),
        ));
    }
    if info.schema_version == migrations::LATEST {
        let mismatches = super::products::ledger_mismatches(&conn)
            .map_err(|e| refused(path, format!("the file cannot be read ({e})")))?;
        if let Some(first) = mismatches.first() {
            return Err(refused(
                path,
                format!("the file is damaged (stock ledger: {first})"),
            ));
        }
    }
    Ok(info)
}

/// The checks of [`inspect`]; `full` runs `integrity_check` instead of `quick_check`.
fn verify(path: &Path, full: bool) -> Result<BackupInfo> {
    let mut file = std::fs::File::open(path).map_err(|e| refused(path, e.to_string()))?;
    let length = file
        .metadata()
        .map_err(|e| refused(path, e.to_string()))?
        .len();
    if length == 0 {
        return Err(refused(path, "the file is empty"));
    }
    let mut header = [0u8; 100];
    if length < 100 || file.read_exact(&mut header).is_err() {
        return Err(refused(path, "the file is too short to be a database"));
    }
    if &header[..16] != b"SQLite format 3\0" {
        return Err(refused(path, "the file is not a SQLite database"));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        size => u64::from(size),
    };
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    // The page count in the header is valid when its "version valid for" matches the
    // change counter; then a shorter file has lost its end.
    if header[24..28] == header[92..96] && pages > 0 && length < pages * page_size {
        return Err(refused(
            path,
            format!(
                "the file is truncated ({length} bytes of {})",
                pages * page_size
            ),
        ));
    }
    drop(file);
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| refused(path, e.to_string()))?;
    let read = |e: rusqlite::Error| refused(path, format!("the file cannot be read ({e})"));
    let id: i32 = conn
        .query_row("PRAGMA application_id", [], |row| row.get(0))
        .map_err(read)?;
    if id != APPLICATION_ID {
        return Err(refused(
            path,
            format!("it is not a ShopDesk database (application id {id:#x})"),
        ));
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(read)?;
    if version > migrations::LATEST {
        return Err(refused(
            path,
            format!(
                "it was written by a newer ShopDesk (schema version {version}, this program \
                 knows up to {})",
                migrations::LATEST
            ),
        ));
    }
    let check = if full {
        "PRAGMA integrity_check(1)"
    } else {
        "PRAGMA quick_check(1)"
    };
    let verdict: String = conn
        .query_row(check, [], |row| row.get(0))
        .map_err(|e| refused(path, format!("the file is damaged ({e})")))?;
    if verdict != "ok" {
        let detail = verdict.split_whitespace().collect::<Vec<_>>().join(" ");
        return Err(refused(path, format!("the file is damaged ({detail})")));
    }
    let (orders, products) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM products)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .map_err(read)?;
    Ok(BackupInfo {
        path: path.to_path_buf(),
        schema_version: version,
        orders,
        products,
    })
}

/// Replaces the shop's file `live` with the backup `backup`, after checking the backup
/// ([`inspect`]) and writing a backup of the current file into `backups`. Refused, with
/// the live file untouched, when the backup fails a check or another connection has the
/// shop's file open (the swap would pull the file from under it).
pub fn restore(live: &Path, backup: &Path, backups: &Path) -> Result<Restored> {
    let info = inspect(backup)?;
    let previous = back_up_current(live, backups)?;
    let folder = match live.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = live
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "shopdesk.db".to_owned());
    let incoming = folder.join(format!(".{name}.restoring"));
    std::fs::copy(backup, &incoming).map_err(|e| io_error("copy", backup, e))?;
    let swapped = sync_file(&incoming)
        .and_then(|()| verify(&incoming, false).map(|_| ()))
        .and_then(|()| swap_in(live, &incoming));
    if let Err(e) = swapped {
        // The live file is as it was; only the copy goes.
        let _ = std::fs::remove_file(&incoming);
        return Err(e);
    }
    sync_dir(&folder);
    let pruned = if previous.as_os_str().is_empty() {
        Pruned::default()
    } else {
        prune(backups, local_now())
    };
    Ok(Restored {
        info,
        previous,
        pruned,
        operators_kept: 0,
    })
}

/// [`restore`] done by `operator`: the operators, PINs and role table of the file it
/// replaced are kept (when it had any), so a restore never brings back a disabled
/// operator or an old PIN, nor opens the shop to anyone; and the restore is written into
/// the restored file's audit trail, with what it replaced.
pub fn restore_as(live: &Path, backup: &Path, backups: &Path, operator: &str) -> Result<Restored> {
    let mut restored = restore(live, backup, backups)?;
    let mut store = Store::open(live)?;
    let tx = store.write()?;
    if !restored.previous.as_os_str().is_empty() {
        // A replaced file too damaged to read its operators from has none to give: the
        // backup's stand, and the restore with them, as the way out of that damage.
        if let Ok(found) = operators_of(&restored.previous)
            && !found.0.is_empty()
        {
            restored.operators_kept = keep_operators(&tx, &found)?;
        }
    }
    let name = |p: &Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    let mut after = format!(
        "restored from {}: schema {}, {} orders, {} products",
        backup.display(),
        restored.info.schema_version,
        restored.info.orders,
        restored.info.products
    );
    if restored.operators_kept > 0 {
        after.push_str(&format!(
            "; today's {} operators kept",
            restored.operators_kept
        ));
    }
    let before = if restored.previous.as_os_str().is_empty() {
        String::new()
    } else {
        format!("the replaced file, kept as {}", restored.previous.display())
    };
    super::audit::record(&tx, operator, "restore", &name(live), &before, &after)?;
    tx.commit()?;
    Ok(restored)
}

/// The operators (name, role, PIN hash, active, created) and the role table of a file
/// (the replaced file's backup); a file without them gives none.
#[allow(clippy::type_complexity)]
fn operators_of(
    previous: &Path,
) -> Result<(
    Vec<(String, String, String, i64, String)>,
    Vec<(String, String, i64)>,
)> {
    let old = Connection::open_with_flags(
        previous,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let has_table: bool = old.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'operators')",
        [],
        |r| r.get(0),
    )?;
    if !has_table {
        return Ok((Vec::new(), Vec::new()));
    }
    let operators = old
        .prepare("SELECT name, role, pin_hash, active, created_at FROM operators")?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let table = old
        .prepare("SELECT role, action, allowed FROM role_permissions")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((operators, table))
}

/// Puts the operators and role table read by [`operators_of`] in place of the restored
/// file's own; returns how many operators.
#[allow(clippy::type_complexity)]
fn keep_operators(
    tx: &rusqlite::Transaction<'_>,
    (operators, table): &(
        Vec<(String, String, String, i64, String)>,
        Vec<(String, String, i64)>,
    ),
) -> Result<usize> {
    tx.execute_batch("DELETE FROM operators; DELETE FROM role_permissions;")?;
    let mut write = tx.prepare(
        "INSERT INTO operators (name, role, pin_hash, active, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (name, role, hash, active, created) in operators {
        write.execute(rusqlite::params![name, role, hash, active, created])?;
    }
    let mut write = tx.prepare(
        "INSERT OR REPLACE INTO role_permissions (role, action, allowed) VALUES (?1, ?2, ?3)",
    )?;
    for (role, action, allowed) in table {
        write.execute(rusqlite::params![role, action, allowed])?;
    }
    Ok(operators.len())
}

/// Takes the live file out of WAL mode (which checkpoints and deletes its WAL and needs
/// the file to itself), holds it exclusively, and renames `incoming` over it. A WAL or
/// shared-memory file left next to the restored file would be applied to it as if it
/// were its own, so none may remain.
fn swap_in(live: &Path, incoming: &Path) -> Result<()> {
    if live.exists() {
        let conn = Connection::open_with_flags(
            live,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let in_use = || {
            StoreError::Invalid(format!(
                "{} is in use by another ShopDesk window or command: close it and restore \
                 again (nothing was changed)",
                live.display()
            ))
        };
        let mode = conn.query_row("PRAGMA journal_mode = DELETE", [], |row| {
            row.get::<_, String>(0)
        });
        match mode {
            Ok(mode) if mode.eq_ignore_ascii_case("delete") => {}
            // A file whose schema cannot be read cannot change its journal mode either:
            // the exclusive lock below still keeps others out while it is replaced, and
            // its WAL, if any, was kept with the file as found.
            Err(rusqlite::Error::SqliteFailure(err, _))
                if matches!(
                    err.code,
                    rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase
                ) => {}
            _ => return Err(in_use()),
        }
        conn.execute_batch("BEGIN EXCLUSIVE")
            .map_err(|_| in_use())?;
        for suffix in ["-wal", "-shm", "-journal"] {
            remove_if_present(&sidecar(live, suffix))?;
        }
        std::fs::rename(incoming, live).map_err(|e| io_error("replace", live, e))?;
        // The connection holds the old file, now unlinked; closing it touches nothing.
        drop(conn);
    } else {
        std::fs::rename(incoming, live).map_err(|e| io_error("replace", live, e))?;
    }
    Ok(())
}

/// A backup of the live file before a restore replaces it. A file that is damaged cannot
/// be copied by SQLite; its bytes are kept as they are instead, since they may still hold
/// what the backup lacks.
fn back_up_current(live: &Path, backups: &Path) -> Result<PathBuf> {
    if !live.exists() {
        return Ok(PathBuf::new());
    }
    let copied = Store::open(live).and_then(|store| {
        store.ensure_sound_for_backup()?;
        store.backup_to(backups)
    });
    match copied {
        Ok(path) => Ok(path),
        Err(_) => {
            std::fs::create_dir_all(backups)
                .map_err(|e| io_error("create the folder", backups, e))?;
            let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
            let target = backups.join(format!("shopdesk-{stamp}-as-found.db"));
            std::fs::copy(live, &target).map_err(|e| io_error("copy", live, e))?;
            let wal = sidecar(live, "-wal");
            if wal.exists() {
                std::fs::copy(&wal, sidecar(&target, "-wal"))
                    .map_err(|e| io_error("copy", &wal, e))?;
            }
            Ok(target)
        }
    }
}

impl Store {
    /// Fails for a file that fails `quick_check`, as a write would.
    fn ensure_sound_for_backup(&self) -> Result<()> {
        match super::quick_check(&self.conn)? {
            None => Ok(()),
            Some(detail) => Err(StoreError::damaged(&self.path, detail)),
        }
    }
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error("remove", path, e)),
    }
}

/// Makes a written file durable before it is renamed into place.
fn sync_file(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_error("write", path, e))
}

/// Makes a rename in `dir` durable where the system allows it; a folder that cannot be
/// synced (some systems refuse) leaves the rename as durable as the system makes it.
fn sync_dir(dir: &Path) {
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::paid_order;

    /// A file at schema version 3 (a release of the first months) with one product.
    fn version_3_file(path: &Path, backup_dir: Option<&Path>) {
        let conn = Connection::open(path).expect("open");
        for sql in [
            include_str!("migrations/001_initial.sql"),
            include_str!("migrations/002_import.sql"),
            include_str!("migrations/003_order_processing.sql"),
        ] {
            conn.execute_batch(sql).expect("old schema");
        }
        conn.execute_batch(&format!(
            "PRAGMA user_version = 3; PRAGMA application_id = {APPLICATION_ID};
             INSERT INTO products (code, name, created_at, updated_at)
             VALUES ('OLD', 'old', 'x', 'x');"
        ))
        .expect("old data");
        if let Some(dir) = backup_dir {
            conn.execute(
                "INSERT INTO settings (key, value) VALUES ('backup_dir', ?1)",
                [dir.to_string_lossy()],
            )
            .expect("setting");
        }
    }

    fn version_of(path: &Path) -> i64 {
        Connection::open(path)
            .expect("open")
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .expect("version")
    }

    #[test]
    fn an_older_file_is_backed_up_before_it_is_migrated() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("shop.db");
        version_3_file(&path, None);
        let store = Store::open(&path).expect("migrates");
        assert_eq!(store.schema_version().expect("version"), migrations::LATEST);
        let backups = list_backups(&dir.path().join("backups")).expect("list");
        assert_eq!(backups.len(), 1);
        // The backup is the file as it was: version 3, its product.
        let info = inspect(&backups[0].path).expect("a good backup");
        assert_eq!((info.schema_version, info.products), (3, 1));
        // A file already at the latest version is not backed up again.
        drop(store);
        drop(Store::open(&path).expect("reopen"));
        assert_eq!(
            list_backups(&dir.path().join("backups"))
                .expect("list")
                .len(),
            1
        );
        // Nor is a new file.
        drop(Store::open(&dir.path().join("new.db")).expect("create"));
        assert_eq!(
            list_backups(&dir.path().join("backups"))
                .expect("list")
                .len(),
            1
        );
    }

    #[test]
    fn the_backup_before_a_migration_goes_to_the_chosen_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("shop.db");
        let chosen = dir.path().join("usb/备份");
        version_3_file(&path, Some(&chosen));
        drop(Store::open(&path).expect("migrates"));
        assert_eq!(list_backups(&chosen).expect("list").len(), 1);
        assert!(!dir.path().join("backups").exists());
    }

    #[test]
    fn no_backup_no_migration() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("shop.db");
        // The backup folder's place is taken by a file: the backup cannot be written.
        let blocked = dir.path().join("blocked");
        std::fs::write(&blocked, "not a folder").expect("write");
        version_3_file(&path, Some(&blocked));
        let Err(err) = Store::open(&path) else {
            panic!("the migration must not run without its backup");
        };
        assert!(
            matches!(err, StoreError::MigrationBackupFailed { version: 3, .. }),
            "{err}"
        );
        let text = err.to_string();
        assert!(
            text.contains("nothing was changed") && text.contains("blocked"),
            "{text}"
        );
        assert_eq!(version_of(&path), 3);
    }

    /// A backup file named as ShopDesk names them, taken at `at` ("YYYYMMDD-HHMMSS").
    fn fake_backup(dir: &Path, at: &str) -> PathBuf {
        let path = dir.join(format!("shopdesk-{at}.db"));
        std::fs::write(&path, "x").expect("write");
        path
    }

    #[test]
    fn the_daily_backup_runs_once_a_day_and_applies_retention() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("shop.db")).expect("create");
        let backups = dir.path().join("backups");
        std::fs::create_dir(&backups).expect("folder");
        // Ten days of last year, two of them on one day, and files that are not ours.
        let old: Vec<PathBuf> = (10..20)
            .map(|d| fake_backup(&backups, &format!("20200310-{d:02}0000")))
            .chain([fake_backup(&backups, "20200311-090000")])
            .collect();
        let mine = backups.join("my own copy.db");
        let found = backups.join("shopdesk-20200101-090000-as-found.db");
        for other in [&mine, &found] {
            std::fs::write(other, "keep").expect("write");
        }
        let Some(done) = store.daily_backup().expect("daily") else {
            panic!("no backup today yet: one is due");
        };
        assert!(done.path.exists());
        assert_eq!(done.pruned.failed, None);
        // All of 2020-03-10 but its last; 2020-03-11 stays (a day of its own).
        let mut deleted = done.pruned.deleted.clone();
        deleted.sort();
        assert_eq!(deleted, old[..9].to_vec());
        assert!(old[9].exists() && old[10].exists() && mine.exists() && found.exists());
        // Once a day.
        assert_eq!(store.daily_backup().expect("daily"), None);
        let listed = list_backups(&backups).expect("list");
        assert_eq!(listed.len(), 3);
        assert_eq!(listed[0].path, done.path);
    }

    fn import(store: &mut Store, no: &str) {
        store
            .import_orders(
                &[paid_order(no)],
                "test",
                &[],
                0,
                false,
                "owner",
                &mut |_| true,
            )
            .expect("import");
    }

    #[test]
    fn a_restore_refuses_a_copy_that_passes_quick_check_but_not_check() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(&dir.path().join("shop.db")).expect("create");
        store
            .save_product(
                &crate::domain::model::NewProduct {
                    code: "CUP".to_owned(),
                    name: "cup".to_owned(),
                    ..Default::default()
                },
                None,
                "owner",
            )
            .expect("product");
        store
            .adjust_stock("CUP", 5, "found", "owner")
            .expect("adjust");
        let good = store.backup_to(&dir.path().join("b")).expect("backup");
        assert!(inspect(&good).is_ok());
        // A balance that its ledger does not explain (what a flipped bit in the products
        // table does): quick_check and integrity_check pass, the ledger does not.
        let bad = dir.path().join("bad.db");
        std::fs::copy(&good, &bad).expect("copy");
        Connection::open(&bad)
            .expect("open")
            .execute_batch("UPDATE products SET on_hand = on_hand + 22")
            .expect("raw update");
        let err = inspect(&bad).expect_err("refused");
        assert!(err.to_string().contains("stock ledger"), "{err}");
        assert!(inspect(&good).is_ok());
    }

    #[test]
    fn a_backup_tells_its_progress_and_can_be_cancelled() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(&dir.path().join("shop.db")).expect("create");
        for n in 0..200 {
            import(&mut store, &format!("T{n}"));
        }
        let steps = std::cell::RefCell::new(Vec::new());
        let backups = dir.path().join("backups");
        let path = store
            .backup_to_with(&backups, &|step| {
                steps.borrow_mut().push(step);
                true
            })
            .expect("backup");
        assert!(path.exists());
        let steps = steps.into_inner();
        let copied = steps
            .iter()
            .position(|s| *s == BackupStep::Copying { permille: 1000 })
            .expect("the copy ends at 1000");
        assert!(
            steps[..copied]
                .iter()
                .all(|s| matches!(s, BackupStep::Copying { permille } if *permille < 1000))
        );
        assert!(
            steps[copied + 1..]
                .iter()
                .all(|s| *s == BackupStep::Checking)
        );
        assert!(!steps[copied + 1..].is_empty(), "{steps:?}");
        // Cancelled while copying, or while checking: nothing is kept.
        for stop_at_check in [false, true] {
            let err = store
                .backup_to_with(&backups, &|step| {
                    stop_at_check != matches!(step, BackupStep::Copying { .. })
                })
                .expect_err("cancelled");
            assert!(err.to_string().contains("cancelled"), "{err}");
            let kept: Vec<_> = std::fs::read_dir(&backups)
                .expect("folder")
                .map(|e| e.expect("entry").path())
                .collect();
            assert_eq!(kept, vec![path.clone()]);
        }
    }

    #[test]
    fn a_restore_in_place_reopens_the_restored_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(&dir.path().join("shop.db")).expect("create");
        import(&mut store, "T1");
        let backup = store
            .backup_to(&dir.path().join("elsewhere"))
            .expect("backup");
        let held = holdings(&backup).expect("holdings");
        assert_eq!(held.orders, 1);
        assert_eq!(
            held.last_order_at.as_deref(),
            Some("2026-11-20T10:00:00+08:00")
        );
        import(&mut store, "T2");
        let restored = store.restore_from(&backup, "owner").expect("restore");
        assert_eq!(restored.info.orders, 1);
        assert_eq!(store.counts().expect("counts").1, 1);
        // The file it replaced went to the backup folder, with its two orders.
        assert_eq!(
            restored.previous.parent(),
            Some(dir.path().join("backups").as_path())
        );
        assert_eq!(holdings(&restored.previous).expect("holdings").orders, 2);
        // The store writes again.
        import(&mut store, "T3");
    }
}
