//! The shop's settings, one key/value row each.

use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};
use crate::domain::{Flag, SellableSettings};

/// The language of the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    English,
    Chinese,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Chinese => "zh-CN",
        }
    }

    pub fn from_code(code: &str) -> Language {
        if code.starts_with("zh") {
            Language::Chinese
        } else {
            Language::English
        }
    }
}

/// Everything the Settings tab edits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub shop_name: String,
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_address: String,
    pub sellable: SellableSettings,
    /// Allow stock to go below zero (with a warning) instead of refusing the movement.
    pub allow_negative_stock: bool,
    /// Who is at the keyboard; written into every event and movement.
    pub operator: String,
    pub language: Language,
    /// What each flag colour means in this shop (red, yellow, green, blue, purple).
    pub flag_meanings: Vec<(Flag, String)>,
    /// The folder the printed documents go to, where the owner can find them.
    pub documents_dir: PathBuf,
    /// The folder backups go to (a USB disk or a synced folder is the usual choice).
    /// Read from the store it is never empty: unset, it is `backups` next to the shop's
    /// file ([`super::backup::default_backup_dir`]), and saved as that default it stays
    /// unset, so it follows the file when the file moves.
    pub backup_dir: PathBuf,
    /// The window locks after this many idle minutes (0: never). Packers are never locked
    /// out: their station stays signed in all day.
    pub lock_after_minutes: u32,
}

/// Where documents go until the owner chooses: Documents/ShopDesk, so that they are in a
/// folder people look in (the data folder where there is no Documents folder).
pub fn default_documents_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|d| d.document_dir().map(Path::to_path_buf))
        .map(|d| d.join("ShopDesk"))
        .or_else(|| crate::default_db_path().parent().map(Path::to_path_buf))
        .unwrap_or_default()
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            shop_name: String::new(),
            sender_name: String::new(),
            sender_phone: String::new(),
            sender_address: String::new(),
            sellable: SellableSettings::default(),
            allow_negative_stock: false,
            operator: "owner".to_owned(),
            language: Language::English,
            flag_meanings: Flag::ALL
                .into_iter()
                .filter(|f| *f != Flag::None)
                .map(|f| (f, f.default_meaning().to_owned()))
                .collect(),
            documents_dir: default_documents_dir(),
            backup_dir: PathBuf::new(),
            lock_after_minutes: 15,
        }
    }
}

fn flag_key(flag: Flag) -> String {
    format!("flag_meaning.{}", flag.code())
}

impl Store {
    fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }

    /// The folder backups go to: the saved one, else `backups` next to the shop's file.
    pub fn backup_dir(&self) -> Result<PathBuf> {
        Ok(match self.setting("backup_dir")? {
            Some(dir) if !dir.trim().is_empty() => PathBuf::from(dir.trim()),
            _ => super::backup::default_backup_dir(&self.path),
        })
    }

    /// The settings, with defaults for anything never saved.
    pub fn settings(&self) -> Result<Settings> {
        let mut s = Settings::default();
        let text = |key: &str, default: &str| -> Result<String> {
            Ok(self.setting(key)?.unwrap_or_else(|| default.to_owned()))
        };
        let flag = |key: &str, default: bool| -> Result<bool> {
            Ok(self.setting(key)?.map_or(default, |v| v == "1"))
        };
        s.shop_name = text("shop_name", &s.shop_name)?;
        s.sender_name = text("sender_name", &s.sender_name)?;
        s.sender_phone = text("sender_phone", &s.sender_phone)?;
        s.sender_address = text("sender_address", &s.sender_address)?;
        s.sellable.deduct_paid = flag("sellable.deduct_paid", s.sellable.deduct_paid)?;
        s.sellable.deduct_unpaid = flag("sellable.deduct_unpaid", s.sellable.deduct_unpaid)?;
        s.sellable.unpaid_after_days = text("sellable.unpaid_after_days", "0")?
            .parse()
            .unwrap_or(0);
        s.allow_negative_stock = flag("allow_negative_stock", false)?;
        s.operator = text("operator", &s.operator)?;
        s.language = Language::from_code(&text("language", "en")?);
        // An empty folder means "the default", so clearing the field brings it back.
        if let Some(dir) = self.setting("documents_dir")?
            && !dir.trim().is_empty()
        {
            s.documents_dir = PathBuf::from(dir);
        }
        s.backup_dir = self.backup_dir()?;
        s.lock_after_minutes = text("lock_after_minutes", "15")?.parse().unwrap_or(15);
        for (f, meaning) in &mut s.flag_meanings {
            if let Some(saved) = self.setting(&flag_key(*f))? {
                *meaning = saved;
            }
        }
        Ok(s)
    }

    /// Saves all settings in one transaction.
    pub fn save_settings(&mut self, s: &Settings) -> Result<()> {
        let operator = s.operator.clone();
        self.save_settings_by(s, &operator)
    }

    /// The settings as the rows of the settings table.
    fn settings_pairs(&self, s: &Settings) -> Vec<(String, String)> {
        let flag = |b: bool| if b { "1" } else { "0" }.to_owned();
        let mut pairs = vec![
            ("shop_name".to_owned(), s.shop_name.trim().to_owned()),
            ("sender_name".to_owned(), s.sender_name.trim().to_owned()),
            ("sender_phone".to_owned(), s.sender_phone.trim().to_owned()),
            (
                "sender_address".to_owned(),
                s.sender_address.trim().to_owned(),
            ),
            (
                "sellable.deduct_paid".to_owned(),
                flag(s.sellable.deduct_paid),
            ),
            (
                "sellable.deduct_unpaid".to_owned(),
                flag(s.sellable.deduct_unpaid),
            ),
            (
                "sellable.unpaid_after_days".to_owned(),
                s.sellable.unpaid_after_days.to_string(),
            ),
            (
                "allow_negative_stock".to_owned(),
                flag(s.allow_negative_stock),
            ),
            ("operator".to_owned(), s.operator.trim().to_owned()),
            ("language".to_owned(), s.language.code().to_owned()),
            (
                "documents_dir".to_owned(),
                s.documents_dir.to_string_lossy().trim().to_owned(),
            ),
        ];
        let backup_dir = s.backup_dir.to_string_lossy().trim().to_owned();
        let backup_dir = if Path::new(&backup_dir) == super::backup::default_backup_dir(&self.path)
        {
            String::new()
        } else {
            backup_dir
        };
        pairs.push(("backup_dir".to_owned(), backup_dir));
        pairs.push((
            "lock_after_minutes".to_owned(),
            s.lock_after_minutes.to_string(),
        ));
        for (f, meaning) in &s.flag_meanings {
            pairs.push((flag_key(*f), meaning.trim().to_owned()));
        }
        pairs
    }

    /// Saves the settings as `operator` did: each changed value goes into the audit trail
    /// with what it was.
    pub fn save_settings_by(&mut self, s: &Settings, operator: &str) -> Result<()> {
        let pairs = self.settings_pairs(s);
        // What the window showed: saved values and the defaults of those never saved.
        let current = self.settings_pairs(&self.settings()?);
        if s.operator.trim().is_empty() {
            return Err(super::StoreError::Invalid(
                "the operator name cannot be empty: it is written into every change".to_owned(),
            ));
        }
        let tx = self.write()?;
        {
            let mut stmt = tx.prepare(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?;
            for (key, value) in &pairs {
                let before = current.iter().find(|(k, _)| k == key).map(|(_, v)| v);
                if before != Some(value) {
                    super::audit::record(
                        &tx,
                        operator,
                        "setting",
                        key,
                        before.map_or("", String::as_str),
                        value,
                    )?;
                }
                stmt.execute(params![key, value])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip() {
        let mut store = Store::open_in_memory().expect("store");
        let defaults = Settings {
            backup_dir: PathBuf::from("backups"),
            ..Settings::default()
        };
        assert_eq!(store.settings().expect("read"), defaults);
        let mut s = Settings {
            shop_name: "小熊杂货铺".to_owned(),
            backup_dir: PathBuf::from("/media/usb/店铺备份"),
            sender_phone: "0571-88886666".to_owned(),
            ..Settings::default()
        };
        s.sellable.deduct_unpaid = true;
        s.sellable.unpaid_after_days = 3;
        s.language = Language::Chinese;
        s.flag_meanings[0].1 = "投诉".to_owned();
        s.documents_dir = PathBuf::from("/srv/shop/单据");
        store.save_settings(&s).expect("save");
        assert_eq!(store.settings().expect("read"), s);
    }

    #[test]
    fn an_empty_documents_folder_means_the_default() {
        let mut store = Store::open_in_memory().expect("store");
        let s = Settings {
            documents_dir: PathBuf::from("  "),
            ..Settings::default()
        };
        store.save_settings(&s).expect("save");
        assert_eq!(
            store.settings().expect("read").documents_dir,
            default_documents_dir()
        );
    }

    /// Saved as the default, the backup folder stays unset: it follows the shop's file.
    #[test]
    fn the_backup_folder_follows_the_file_until_chosen() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = dir.path().join("a/shop.db");
        let mut store = Store::open(&first).expect("store");
        let s = store.settings().expect("read");
        assert_eq!(s.backup_dir, dir.path().join("a/backups"));
        store.save_settings(&s).expect("save");
        drop(store);
        std::fs::create_dir(dir.path().join("b")).expect("folder");
        let moved = dir.path().join("b/shop.db");
        std::fs::rename(&first, &moved).expect("move");
        let mut store = Store::open(&moved).expect("store");
        assert_eq!(
            store.backup_dir().expect("dir"),
            dir.path().join("b/backups")
        );
        let chosen = dir.path().join("usb");
        let s = Settings {
            backup_dir: chosen.clone(),
            ..store.settings().expect("read")
        };
        store.save_settings(&s).expect("save");
        assert_eq!(store.backup_dir().expect("dir"), chosen);
    }

    #[test]
    fn empty_operator_is_refused_and_nothing_saved() {
        let mut store = Store::open_in_memory().expect("store");
        let s = Settings {
            shop_name: "x".to_owned(),
            operator: "  ".to_owned(),
            ..Settings::default()
        };
        assert!(store.save_settings(&s).is_err());
        assert_eq!(store.settings().expect("read").shop_name, "");
    }
}
