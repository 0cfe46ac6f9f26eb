//! Backups in the window: the daily one when the window opens, "Back up now", the list of
//! the backup folder with what each backup holds, the age of the last one for the status
//! bar, and a restore of one of them over the open file. The store does and checks the
//! work (`store::backup`); the command line has its own `backup` and `restore`.
//!
//! Only the window takes the daily backup: a command is often one of many in a script,
//! and its own runs should not pile up copies. The backups before a migration and before
//! a restore are the store's, for both.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use crate::store::backup::{self as files, AutoBackup, BackupEntry, Holdings, Restored};
use crate::store::{Store, StoreError};

use super::{Changed, Result, Tick};

/// Where backups go and when the last one was taken, for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupStatus {
    pub dir: PathBuf,
    pub newest: Option<NaiveDateTime>,
    /// Why the folder could not be read (then `newest` is `None`: no backup can be seen).
    pub problem: Option<String>,
}

/// A backup of the folder with what it holds; `holdings` is the reason when it cannot be
/// read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub entry: BackupEntry,
    pub holdings: std::result::Result<Holdings, String>,
}

/// What the window asks about backups.
#[derive(Debug)]
pub enum Request {
    /// When the last backup in the backup folder was taken.
    Status,
    /// The backups in the backup folder, newest first, with what each holds.
    List,
    /// Restores this backup over the open file (the current file is backed up first).
    Restore(PathBuf),
}

/// The answers to [`Request`]s, and the ends of the backup jobs.
#[derive(Debug)]
pub enum Reply {
    /// The backup folder and when its newest backup was taken.
    Status(BackupStatus),
    /// The backups in the folder, or why the folder cannot be read.
    Listed {
        dir: PathBuf,
        backups: std::result::Result<Vec<Listed>, String>,
    },
    /// A backup was written; `automatic` for the daily one, which retention followed.
    BackedUp {
        path: PathBuf,
        automatic: bool,
        pruned: files::Pruned,
    },
    /// The daily backup was not due: the folder has one from today.
    NotDue,
    Restored(Box<Restored>),
}

impl Reply {
    pub fn changed(&self) -> Changed {
        match self {
            Reply::Restored(_) => Changed::ALL,
            _ => Changed::NOTHING,
        }
    }
}

/// When the last backup was taken, from the backup folder's file names. A folder that
/// cannot be read (an unplugged disk) holds no backup the shop can use: that is the
/// answer, with the reason, not a failure.
pub fn status(store: &Store) -> Result<Reply> {
    let dir = store.backup_dir()?;
    let (newest, problem) = match files::list_backups(&dir) {
        Ok(backups) => (backups.first().map(|b| b.stamp.at), None),
        Err(e) => (None, Some(e.to_string())),
    };
    Ok(Reply::Status(BackupStatus {
        dir,
        newest,
        problem,
    }))
}

/// The backups in the backup folder with what each holds; a folder that cannot be read
/// is said in the list, where the owner chooses the folder.
pub fn list(store: &Store) -> Result<Reply> {
    let dir = store.backup_dir()?;
    let backups = listed(&dir);
    Ok(Reply::Listed { dir, backups })
}

/// The backups in `dir`, newest first, with what each holds, or why the folder cannot be
/// read.
fn listed(dir: &Path) -> std::result::Result<Vec<Listed>, String> {
    files::list_backups(dir)
        .map(|backups| {
            backups
                .into_iter()
                .map(|entry| Listed {
                    holdings: files::holdings(&entry.path).map_err(|e| e.to_string()),
                    entry,
                })
                .collect()
        })
        .map_err(|e| e.to_string())
}

/// A shop's file that could not be opened, and the way out: the backups of its backup
/// folder (read from the file's settings when they can still be read, else the folder
/// next to it), for a file whose restore is the answer.
#[derive(Clone, Debug)]
pub struct OpenFailure {
    /// The file that failed to open.
    pub db: PathBuf,
    /// Why (shared: the error is not `Clone`).
    pub error: std::sync::Arc<StoreError>,
    /// The language saved in the file, when it can still be read.
    pub language: Option<crate::store::Language>,
    /// The backup folder and its backups, newest first (or why it cannot be read); `None`
    /// when a restore is not the way out: a file of a newer ShopDesk, a file that is
    /// another program's, a file on a network share.
    pub recovery: Option<(PathBuf, std::result::Result<Vec<Listed>, String>)>,
}

/// What the window shows when `db` cannot be opened: the error and, unless the file is
/// sound but not for this program (or this place), the backups that can replace it.
pub fn open_failure(db: &Path, error: StoreError) -> OpenFailure {
    let restorable = match &error {
        StoreError::TooNew { .. } | StoreError::NetworkShare { .. } => false,
        // Found 0: the first page is not SQLite's (a damaged header); another id: a file
        // of another program, chosen by mistake.
        StoreError::NotShopDesk { found, .. } => *found == 0,
        _ => true,
    };
    let recovery = restorable.then(|| {
        let dir = files::configured_backup_dir(db);
        let backups = listed(&dir);
        (dir, backups)
    });
    OpenFailure {
        db: db.to_path_buf(),
        error: std::sync::Arc::new(error),
        language: files::configured_language(db),
        recovery,
    }
}

/// Restores `backup` over the shop's file `db` that could not be opened, as `shopdesk
/// restore` does: the backup is checked first, the current file is kept aside in the
/// backup folder (its bytes as found when SQLite cannot copy it), and the files are
/// swapped with a rename. The window then opens the restored file afresh.
pub fn restore_unopened(db: &Path, backup: &Path, operator: &str) -> Result<Reply> {
    let restored = files::restore_as(db, backup, &files::configured_backup_dir(db), operator)?;
    Ok(Reply::Restored(Box::new(restored)))
}

/// The progress scale of a backup job: the copy in thousandths of the pages in use.
pub const PROGRESS_TOTAL: u64 = 1000;
/// The progress a backup job reports while it checks its copy (past [`PROGRESS_TOTAL`]:
/// the window names the step instead of drawing a bar).
pub const PROGRESS_CHECKING: u64 = PROGRESS_TOTAL + 1;

/// A backup's steps as a job's ticks (see [`PROGRESS_TOTAL`]).
fn ticks(tick: Tick<'_>) -> impl Fn(files::BackupStep) -> bool + '_ {
    move |step| match step {
        files::BackupStep::Copying { permille } => tick(permille.min(PROGRESS_TOTAL)),
        files::BackupStep::Checking => tick(PROGRESS_CHECKING),
    }
}

/// "Back up now": a verified backup into the backup folder (the job's body).
pub fn back_up_now(store: &mut Store, operator: &str, tick: Tick<'_>) -> Result<Reply> {
    let dir = store.backup_dir()?;
    let path = store.backup_by(&dir, operator, &ticks(tick))?;
    Ok(Reply::BackedUp {
        path,
        automatic: false,
        pruned: files::Pruned::default(),
    })
}

/// The daily backup when the window opens (the job's body): taken unless the folder has
/// one from today, then retention.
pub fn daily(store: &Store, tick: Tick<'_>) -> Result<Reply> {
    Ok(match store.daily_backup_with(&ticks(tick))? {
        Some(AutoBackup { path, pruned }) => Reply::BackedUp {
            path,
            automatic: true,
            pruned,
        },
        None => Reply::NotDue,
    })
}

/// Restores `backup` over the store's file.
pub fn restore(store: &mut Store, operator: &str, backup: &Path) -> Result<Reply> {
    Ok(Reply::Restored(Box::new(
        store.restore_from(backup, operator)?,
    )))
}

/// Answers one request.
pub fn handle(store: &mut Store, operator: &str, request: Request) -> Result<Reply> {
    match request {
        Request::Status => status(store),
        Request::List => list(store),
        Request::Restore(backup) => restore(store, operator, &backup),
    }
}

impl Request {
    /// What the request needs the operator to be allowed to do (`None`: a read).
    pub fn action(&self) -> Option<crate::domain::operators::Action> {
        match self {
            Request::Restore(_) => Some(crate::domain::operators::Action::Restore),
            Request::Status | Request::List => None,
        }
    }
}
