//! `shopdesk backup [--to DIR]` and `shopdesk restore FILE`: the command line over
//! `store::backup`, which does and checks everything. Both use the backup folder saved in
//! the shop's settings (default: `backups` next to the file). A command takes no daily
//! backup and applies no retention to `backup`: the window takes the daily one when it
//! opens, and a scripted `shopdesk backup` keeps every copy it writes until an automatic
//! backup's retention thins them out.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::store::Store;
use crate::store::backup::{configured_backup_dir, restore_as};

/// Writes a verified backup of `db` into `to` (default: the shop's backup folder) and
/// prints its path.
pub fn run_backup(
    db: &Path,
    to: Option<PathBuf>,
    operator: &str,
    out: &mut impl Write,
) -> Result<()> {
    let mut store = Store::open(db).with_context(|| format!("cannot open {}", db.display()))?;
    let dir = match to {
        Some(dir) => dir,
        None => store.backup_dir()?,
    };
    let path = store.backup_by(&dir, operator, &|_| true)?;
    writeln!(out, "{}", path.display())?;
    Ok(())
}

/// Replaces `db` with the backup `file` after checking it; the current file is backed up
/// first into the shop's backup folder, and retention applies after that copy.
pub fn run_restore(db: &Path, file: &Path, operator: &str, out: &mut impl Write) -> Result<()> {
    let done = restore_as(db, file, &configured_backup_dir(db), operator)?;
    writeln!(
        out,
        "restored {} into {}: schema version {}, {} orders, {} products",
        file.display(),
        db.display(),
        done.info.schema_version,
        done.info.orders,
        done.info.products
    )?;
    if done.operators_kept > 0 {
        writeln!(
            out,
            "today's {} operators, their PINs and the role table are kept (not the backup's)",
            done.operators_kept
        )?;
    }
    if !done.previous.as_os_str().is_empty() {
        writeln!(
            out,
            "the file it replaced is kept as {}",
            done.previous.display()
        )?;
    }
    Ok(())
}
