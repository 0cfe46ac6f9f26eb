//! What every fuzz target shares: the input written to a file of its own, and the property
//! checked on every rejected row (a line or sheet row, and a column).

use std::path::PathBuf;

use shopdesk::import::RowError;

/// Writes `data` to this process's file `name` in the temporary folder and returns its path.
pub fn file(name: &str, data: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("shopdesk-fuzz-{}-{name}", std::process::id()));
    if let Err(e) = std::fs::write(&path, data) {
        panic!("cannot write {}: {e}", path.display());
    }
    path
}

/// Every rejection names its line (or sheet row), its column and what was expected.
pub fn check_rejections(rejected: &[RowError]) {
    for error in rejected {
        assert!(error.line >= 1, "a rejection without a line: {error}");
        assert!(
            !error.column.trim().is_empty(),
            "a rejection without a column: {error}"
        );
        assert!(
            !error.message.trim().is_empty(),
            "a rejection without a reason: {error}"
        );
    }
}

/// The progress callback of an import that is never cancelled.
pub fn no_cancel(_bytes: u64) -> bool {
    true
}
