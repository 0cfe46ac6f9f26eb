//! ShopDesk: the back office of one online shop over one SQLite file.
//!
//! See `ARCHITECTURE.md` for the map: `domain` (pure rules) ← `store` (SQL) ← `cli`, `ui`.

pub mod app;
pub mod cli;
pub mod docs;
pub mod domain;
pub mod import;
pub mod store;
#[cfg(feature = "gui")]
pub mod ui;

use std::path::PathBuf;

/// Where the shop's database lives when `--db` is not given: the user's data directory,
/// e.g. `~/.local/share/shopdesk/shopdesk.db` on Linux,
/// `%APPDATA%\ShopDesk\data\shopdesk.db` on Windows,
/// `~/Library/Application Support/ShopDesk/shopdesk.db` on macOS.
pub fn default_db_path() -> PathBuf {
    match directories::ProjectDirs::from("", "", "ShopDesk") {
        Some(dirs) => dirs.data_dir().join("shopdesk.db"),
        None => PathBuf::from("shopdesk.db"),
    }
}
