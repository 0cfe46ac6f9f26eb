//! `shopdesk backup [--to DIR]` and `shopdesk restore FILE`: the command line over
//! `store::backup`, which does and checks everything.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::store::Store;
use crate::store::backup::{default_backup_dir, restore};

/// Writes a verified backup of `db` into `to` (default: `backups` next to it) and prints
/// its path.
pub fn run_backup(db: &Path, to: Option<PathBuf>, out: &mut impl Write) -> Result<()> {
    let store = Store::open(db).with_context(|| format!("cannot open {}", db.display()))?;
    let dir = to.unwrap_or_else(|| default_backup_dir(db));
    let path = store.backup_to(&dir)?;
    writeln!(out, "{}", path.display())?;
    Ok(())
}

/// Replaces `db` with the backup `file` after checking it; the current file is backed up
/// first into the folder of [`default_backup_dir`].
pub fn run_restore(db: &Path, file: &Path, out: &mut impl Write) -> Result<()> {
    let done = restore(db, file, &default_backup_dir(db))?;
    writeln!(
        out,
        "restored {} into {}: schema version {}, {} orders, {} products",
        file.display(),
        db.display(),
        done.info.schema_version,
        done.info.orders,
        done.info.products
    )?;
    if !done.previous.as_os_str().is_empty() {
        writeln!(
            out,
            "the file it replaced is kept as {}",
            done.previous.display()
        )?;
    }
    Ok(())
}
