//! Backups and restores of the shop's file. A backup is a consistent copy taken in one
//! step (`VACUUM INTO`) while the shop keeps working, verified before it gets its final
//! name. A restore checks the file it is given before anything is touched, backs the
//! current file up first, and swaps the files with a rename, so the shop's file is
//! either the old one or the restored one, never a mix.

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::{APPLICATION_ID, Result, Store, StoreError, migrations};

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

/// A restore that was done: the file restored, and the copy of the file it replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub info: BackupInfo,
    pub previous: PathBuf,
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
        std::fs::create_dir_all(dir).map_err(|e| io_error("create the folder", dir, e))?;
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
        let mut target = dir.join(format!("shopdesk-{stamp}.db"));
        let mut n = 1;
        while target.exists() {
            n += 1;
            target = dir.join(format!("shopdesk-{stamp}-{n}.db"));
        }
        let partial = target.with_extension("db.partial");
        remove_if_present(&partial)?;
        let written = self
            .conn
            .execute("VACUUM INTO ?1", [partial.to_string_lossy()])
            .map_err(|e| {
                StoreError::Invalid(format!(
                    "cannot write the backup {}: {e}",
                    partial.display()
                ))
            })
            .and_then(|_| sync_file(&partial))
            .and_then(|()| {
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
}

/// Checks a file that is to be restored, without changing it: a SQLite file, complete,
/// ShopDesk's, of a schema version this program knows, passing `quick_check`.
pub fn inspect(path: &Path) -> Result<BackupInfo> {
    verify(path, false)
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
    Ok(Restored { info, previous })
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
        let mode: String = conn
            .query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))
            .map_err(|_| in_use())?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(in_use());
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
            Some(detail) => Err(StoreError::Damaged {
                path: self.path.clone(),
                detail,
            }),
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
