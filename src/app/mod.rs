//! The application layer: what each user action *does*, once, for the command line and the
//! window alike. One module per feature, each with its typed requests, the view models it
//! answers with, its typed outcomes and the handler that carries a request out over the
//! [`Store`](crate::store::Store).
//!
//! Nothing here draws or prints: an outcome is a value (counts, order numbers, typed
//! refusals), and `src/cli` and `src/ui` say it in words, the window in the chosen
//! language. Every write takes the operator who does it as an explicit argument.
//!
//! A feature's module has the same shape:
//! - `Request` / `Reply`: what the window's backend thread is asked and answers;
//! - `handle(store, operator, request)`: the one implementation, also called by the CLI;
//! - plain functions for the actions the CLI calls directly (each is what `handle` runs);
//! - `Reply::changed()`: which views the answer makes stale, so only those reload.

pub mod after_sales;
pub mod auth;
pub mod backup;
pub mod import;
pub mod inventory;
pub mod jobs;
pub mod manual;
pub mod operators;
pub mod orders;
pub mod pack;
pub mod print;
pub mod settings;
pub mod shipping;

use std::path::PathBuf;

use crate::store::StoreError;

/// The views an outcome makes stale. The window reloads only these.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Changed(u8);

impl Changed {
    pub const NOTHING: Changed = Changed(0);
    /// Orders: their list, details, states and counts.
    pub const ORDERS: Changed = Changed(1);
    /// Products and their stock figures, purchases and counts.
    pub const STOCK: Changed = Changed(1 << 1);
    /// Pick-list batches, couriers and their tracking pools.
    pub const SHIPPING: Changed = Changed(1 << 2);
    /// The shop's settings.
    pub const SETTINGS: Changed = Changed(1 << 3);
    /// After-sales cases, their figures and the service queues.
    pub const CASES: Changed = Changed(1 << 4);
    /// Everything (another database file, the sample shop).
    pub const ALL: Changed = Changed(0b1_1111);

    /// True when any of `other`'s views is in `self`.
    pub fn touches(self, other: Changed) -> bool {
        self.0 & other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl std::ops::BitOr for Changed {
    type Output = Changed;
    fn bitor(self, other: Changed) -> Changed {
        Changed(self.0 | other.0)
    }
}

impl std::ops::BitOrAssign for Changed {
    fn bitor_assign(&mut self, other: Changed) {
        self.0 |= other.0;
    }
}

/// Why an action failed as a whole. The window translates the typed cases; the rest carry
/// the store's or the parser's own message.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A shipping document could not be drawn or written.
    #[error("{0}")]
    Document(String),
    #[error("{0}")]
    Input(InputError),
    /// The operator may not do this, or could not sign in: nothing was written.
    #[error(transparent)]
    Auth(#[from] auth::AuthError),
    /// The user cancelled a job: nothing was written.
    #[error("cancelled: nothing was written")]
    Cancelled,
}

/// Input the action cannot run with, said as a value the window translates.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("choose the order report and the item report")]
    TaobaoNeedsTwoFiles,
    /// Shopify, JD, Pinduoduo and Douyin export one file.
    #[error("choose one export file")]
    NeedsOneFile,
    #[error("choose a file and a column mapping")]
    CsvNeedsFileAndMapping,
    #[error("import profile {name} is not a valid mapping: {error}")]
    BadProfile { name: String, error: String },
    #[error("{file}: expected a column mapping as JSON: {error}")]
    BadMappingFile { file: String, error: String },
    /// A typed value that does not read (a case line, an amount, a case type), said as the
    /// rule that read it words it.
    #[error("{0}")]
    Line(String),
    /// A date that is neither `YYYY-MM-DD` nor a full timestamp.
    #[error("expected a date like 2026-11-20 (YYYY-MM-DD), found \"{0}\"")]
    BadDate(String),
    /// A platform that is neither an order's platform code nor an alias of one; `known`
    /// lists those that are.
    #[error("unknown platform \"{given}\"; known: {}", known.join(", "))]
    UnknownPlatform { given: String, known: Vec<String> },
}

impl From<InputError> for AppError {
    fn from(e: InputError) -> AppError {
        AppError::Input(e)
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// A moment typed as a filter's start or end (`--since`, a date range): `None` for none
/// given, else `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` in the shop's time, or a full RFC 3339
/// timestamp turned into the shop's time: the stored times are written in it and compared
/// as text. Anything else is refused by name.
pub fn moment(since: Option<&str>) -> Result<Option<String>, InputError> {
    let Some(since) = since.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if chrono::NaiveDate::parse_from_str(since, "%Y-%m-%d").is_ok()
        || chrono::NaiveDateTime::parse_from_str(since, "%Y-%m-%dT%H:%M:%S").is_ok()
    {
        return Ok(Some(since.to_owned()));
    }
    // A minute without seconds, with `T` or a space: the stored form, to the minute.
    for shape in ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(at) = chrono::NaiveDateTime::parse_from_str(since, shape) {
            return Ok(Some(at.format("%Y-%m-%dT%H:%M:%S").to_string()));
        }
    }
    match chrono::DateTime::parse_from_rfc3339(since) {
        Ok(at) => Ok(Some(
            at.with_timezone(&chrono::Local)
                .fixed_offset()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        )),
        Err(_) => Err(InputError::BadDate(since.to_owned())),
    }
}

/// Progress of a long action: called with the work done so far; `false` means cancel.
pub type Tick<'a> = &'a dyn Fn(u64) -> bool;

/// A tick that never cancels (the command line).
pub fn keep_going(_done: u64) -> bool {
    true
}

/// An error with its causes, each said once: `cannot open a.db: database is locked`, not
/// `cannot open a.db: database error: database is locked: database is locked: Error code
/// 5: database is locked`. A cause is left out when what was said before it already holds
/// its text (many errors put their source's message in their own), and so is SQLite's
/// `Error code N: …` under a message that already said what went wrong.
pub fn said_once<'a>(
    chain: impl IntoIterator<Item = &'a (dyn std::error::Error + 'static)>,
) -> String {
    let mut text = String::new();
    for error in chain {
        let said = error.to_string();
        let code = said.starts_with("Error code ") && !text.is_empty();
        if code || said.is_empty() || text.contains(said.as_str()) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&said);
    }
    text
}

/// [`said_once`] of one error and its sources.
pub fn error_text(error: &(dyn std::error::Error + 'static)) -> String {
    said_once(std::iter::successors(Some(error), |e| e.source()))
}

#[cfg(test)]
mod said_once_tests {
    use super::*;

    #[test]
    fn every_cause_is_said_once() {
        let io = || std::io::Error::from_raw_os_error(21);
        // A context over an error that already says its source.
        let read = AppError::Read {
            path: "/tmp".into(),
            source: io(),
        };
        assert_eq!(error_text(&read), format!("cannot read /tmp: {}", io()));
        let chained = anyhow::Error::new(io()).context("cannot open x.db");
        assert_eq!(
            said_once(chained.chain()),
            format!("cannot open x.db: {}", io())
        );
    }
}
