//! Who acts, and whether they may: sign-in with a PIN, and the permission check every
//! write goes through.
//!
//! A database without operators is a shop of one: every action is the owner's, under the
//! name in Settings, as before operators existed. Once the first operator (an owner) is
//! added, each action needs an active operator whose role may do it
//! ([`crate::domain::operators`]); the window's router and the command line call
//! [`check`] before each request, and a refusal writes nothing.
//!
//! PINs are hashed with Argon2id (the `argon2` crate, its default parameters: 19 MiB, two
//! passes), a salt per PIN, kept as a PHC string. A verify takes tens of milliseconds; the
//! window runs it on the store's thread, never in a frame.
//!
//! Wrong PINs are counted beside the shop's file (`<file>.signin`), never in it: a refused
//! sign-in writes nothing to the shop. After [`LOCK_AFTER`] wrong PINs for one name within
//! [`LOCK_MINUTES`], that name cannot sign in for [`LOCK_MINUTES`] after the last of them,
//! even with the right PIN; a sign-in that succeeds clears the count. Trying every 4-digit
//! PIN, even from many processes at once, then takes days.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::domain::operators::{self, Action, Permissions, Role};
use crate::store::{OperatorRow, Store};

use super::{AppError, Result};

/// Why someone may not act.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The role may not do the action; `roles` may.
    #[error("{operator} ({}) may not {}: that is for {}", .role.label(), .action.label(), roles_text(.roles))]
    Denied {
        operator: String,
        role: Role,
        action: Action,
        roles: Vec<Role>,
    },
    #[error("this database has operators: sign in (--operator NAME, the PIN in SHOPDESK_PIN)")]
    SignInNeeded,
    #[error("no operator named {0}")]
    Unknown(String),
    #[error("{0} is disabled and cannot sign in")]
    Disabled(String),
    #[error("wrong PIN for {0}")]
    WrongPin(String),
    #[error("{0}")]
    Input(#[from] operators::OperatorInputError),
    #[error("the first operator of a database must be an owner")]
    FirstMustBeOwner,
    /// Too many wrong PINs for this name lately: no sign-in until `until` (HH:MM).
    #[error("too many wrong PINs for {name}: try again after {until}, or ask the owner")]
    TooManyTries { name: String, until: String },
}

/// Wrong PINs in a row that lock a name.
pub const LOCK_AFTER: usize = 5;
/// How long the wrong PINs count, and how long a name stays locked after the last.
pub const LOCK_MINUTES: i64 = 15;

/// The wrong-PIN tally beside a file-backed shop (none for a store in memory).
fn tally_path(store: &Store) -> Option<std::path::PathBuf> {
    let path = store.path();
    if !path.is_file() {
        return None;
    }
    let mut name = path.file_name()?.to_os_string();
    name.push(".signin");
    Some(path.with_file_name(name))
}

/// The recent wrong PINs for `name` since its last sign-in: how many, and the last one.
fn recent_failures(
    tally: &std::path::Path,
    name: &str,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> (usize, Option<chrono::DateTime<chrono::FixedOffset>>) {
    let Ok(text) = std::fs::read_to_string(tally) else {
        return (0, None);
    };
    let key = name.trim().to_lowercase();
    let window = chrono::Duration::minutes(LOCK_MINUTES);
    let (mut count, mut last) = (0, None);
    for line in text.lines() {
        let mut parts = line.split('\t');
        let (Some(at), Some(who), Some(what)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if who != key {
            continue;
        }
        let Ok(at) = chrono::DateTime::parse_from_rfc3339(at) else {
            continue;
        };
        match what {
            "ok" => (count, last) = (0, None),
            "fail" if now - at < window => (count, last) = (count + 1, Some(at)),
            _ => {}
        }
    }
    (count, last)
}

/// Adds a line to the tally. Best effort: a folder that cannot be written to leaves the
/// count where it was (the sign-in itself is decided by the PIN).
fn note_sign_in(tally: &std::path::Path, name: &str, what: &str, now: &str) {
    use std::io::Write;
    let key = name.trim().to_lowercase();
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(tally)
    {
        let _ = writeln!(file, "{now}\t{key}\t{what}");
    }
}

fn roles_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The operator acting: their name and role. On a database without operators, the owner
/// under the name in Settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub name: String,
    pub role: Role,
    /// What each role may do, as the session started.
    pub permissions: Permissions,
    /// False on a database without operators.
    pub signed_in: bool,
}

impl Session {
    /// True when this operator may do `action`.
    pub fn may(&self, action: Action) -> bool {
        self.permissions.allows(self.role, action)
    }
}

/// Refuses `action` unless `operator` may do it. Nothing to check on a database without
/// operators. Call it first in every write, before any change.
pub fn require(store: &Store, operator: &str, action: Action) -> Result<()> {
    if !store.has_operators()? {
        return Ok(());
    }
    let row = active_operator(store, operator)?;
    let permissions = store.permissions()?;
    if permissions.allows(row.role, action) {
        Ok(())
    } else {
        Err(AuthError::Denied {
            operator: row.name,
            role: row.role,
            action,
            roles: permissions.roles_for(action),
        }
        .into())
    }
}

/// [`require`] for a request that may need no permission (`None`: a read).
pub fn check(store: &Store, operator: &str, action: Option<Action>) -> Result<()> {
    match action {
        Some(action) => require(store, operator, action),
        None => Ok(()),
    }
}

/// The actions whose holders read the orders (with the buyers' names, phones and
/// addresses): customer service, printing, packing. A stock keeper sees the demand on
/// stock, not the orders.
pub const READ_ORDERS: [Action; 3] = [Action::OrdersEdit, Action::Printing, Action::Pack];

/// [`check`] for a read that any of `actions` allows; refused as the first would be.
pub fn check_any(store: &Store, operator: &str, actions: &[Action]) -> Result<()> {
    let mut first = None;
    for &action in actions {
        match require(store, operator, action) {
            Ok(()) => return Ok(()),
            Err(e) => {
                first.get_or_insert(e);
            }
        }
    }
    first.map_or(Ok(()), Err)
}

fn active_operator(store: &Store, name: &str) -> Result<OperatorRow> {
    if name.trim().is_empty() {
        return Err(AuthError::SignInNeeded.into());
    }
    let row = store
        .operator(name)?
        .ok_or_else(|| AuthError::Unknown(name.trim().to_owned()))?;
    if !row.active {
        return Err(AuthError::Disabled(row.name).into());
    }
    Ok(row)
}

/// Signs an operator in with their PIN. On a database without operators anyone is the
/// owner, under the name given (or the one in Settings when none is).
pub fn sign_in(store: &Store, name: &str, pin: &str) -> Result<Session> {
    let permissions = store.permissions()?;
    if !store.has_operators()? {
        let name = if name.trim().is_empty() {
            store.settings()?.operator
        } else {
            name.trim().to_owned()
        };
        return Ok(Session {
            name,
            role: Role::Owner,
            permissions,
            signed_in: false,
        });
    }
    if name.trim().is_empty() {
        return Err(AuthError::SignInNeeded.into());
    }
    let credentials = store
        .credentials(name)?
        .ok_or_else(|| AuthError::Unknown(name.trim().to_owned()))?;
    let tally = tally_path(store);
    let now = chrono::Local::now().fixed_offset();
    let (failures, last) = tally.as_deref().map_or((0, None), |t| {
        recent_failures(t, &credentials.operator.name, now)
    });
    if failures >= LOCK_AFTER
        && let Some(last) = last
    {
        let until = last + chrono::Duration::minutes(LOCK_MINUTES);
        return Err(AuthError::TooManyTries {
            name: credentials.operator.name,
            until: until.format("%H:%M").to_string(),
        }
        .into());
    }
    // The PIN first: whether an operator is disabled is said only to who knows their PIN.
    if !verify_pin(pin, &credentials.pin_hash) {
        if let Some(tally) = &tally {
            note_sign_in(tally, &credentials.operator.name, "fail", &now.to_rfc3339());
        }
        return Err(AuthError::WrongPin(credentials.operator.name).into());
    }
    if failures > 0
        && let Some(tally) = &tally
    {
        note_sign_in(tally, &credentials.operator.name, "ok", &now.to_rfc3339());
    }
    if !credentials.operator.active {
        return Err(AuthError::Disabled(credentials.operator.name).into());
    }
    Ok(Session {
        name: credentials.operator.name,
        role: credentials.operator.role,
        permissions,
        signed_in: true,
    })
}

/// The session of an operator already signed in (after a change of their role or of the
/// table): the same checks as a sign-in, without the PIN.
pub fn session(store: &Store, name: &str) -> Result<Session> {
    let permissions = store.permissions()?;
    if !store.has_operators()? {
        return Ok(Session {
            name: name.to_owned(),
            role: Role::Owner,
            permissions,
            signed_in: false,
        });
    }
    let row = active_operator(store, name)?;
    Ok(Session {
        name: row.name,
        role: row.role,
        permissions,
        signed_in: true,
    })
}

/// The Argon2id hash of a PIN, with a new salt, as a PHC string.
pub fn hash_pin(pin: &str) -> Result<String> {
    operators::check_pin(pin).map_err(AuthError::from)?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Document(format!("cannot hash the PIN: {e}")))
}

/// True when `pin` is the PIN of this hash.
pub fn verify_pin(pin: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Adds an operator with their PIN. The first operator of a database needs no sign-in and
/// must be an owner; after that, only who may manage operators adds them.
pub fn add_operator(
    store: &mut Store,
    operator: &str,
    name: &str,
    role: Role,
    pin: &str,
) -> Result<OperatorRow> {
    let name = operators::check_name(name).map_err(AuthError::from)?;
    let first = !store.has_operators()?;
    if first && role != Role::Owner {
        return Err(AuthError::FirstMustBeOwner.into());
    }
    if !first {
        require(store, operator, Action::Operators)?;
    }
    let hash = hash_pin(pin)?;
    Ok(store.add_operator(name, role, &hash, operator)?)
}

/// Sets `name`'s new PIN: anyone may change their own; only who may manage operators
/// sets another's (a forgotten PIN).
pub fn set_pin(store: &mut Store, operator: &str, name: &str, pin: &str) -> Result<()> {
    let own = store
        .operator(operator)?
        .is_some_and(|o| o.name.eq_ignore_ascii_case(name.trim()));
    if !own {
        require(store, operator, Action::Operators)?;
    }
    let hash = hash_pin(pin)?;
    Ok(store.set_operator_pin(name, &hash, operator)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop_with_operators() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        add_operator(&mut store, "", "Boss", Role::Owner, "1111").unwrap();
        add_operator(&mut store, "Boss", "Pat", Role::Packer, "2222").unwrap();
        add_operator(&mut store, "Boss", "Sue", Role::Service, "3333").unwrap();
        store
    }

    #[test]
    fn without_operators_everyone_is_the_owner() {
        let store = Store::open_in_memory().unwrap();
        for action in Action::ALL {
            require(&store, "anyone", action).unwrap();
        }
        let session = sign_in(&store, "", "").unwrap();
        assert_eq!(session.role, Role::Owner);
        assert!(!session.signed_in);
    }

    #[test]
    fn the_first_operator_is_an_owner() {
        let mut store = Store::open_in_memory().unwrap();
        let err = add_operator(&mut store, "", "Pat", Role::Packer, "2222").unwrap_err();
        assert!(matches!(err, AppError::Auth(AuthError::FirstMustBeOwner)));
        assert!(!store.has_operators().unwrap());
    }

    #[test]
    fn pins_are_hashed_and_checked() {
        let store = shop_with_operators();
        let c = store.credentials("pat").unwrap().unwrap();
        assert!(c.pin_hash.starts_with("$argon2id$"), "{}", c.pin_hash);
        assert!(!c.pin_hash.contains("2222"));
        assert_eq!(sign_in(&store, "PAT", "2222").unwrap().role, Role::Packer);
        assert!(matches!(
            sign_in(&store, "Pat", "1111").unwrap_err(),
            AppError::Auth(AuthError::WrongPin(_))
        ));
        assert!(matches!(
            sign_in(&store, "Nobody", "1111").unwrap_err(),
            AppError::Auth(AuthError::Unknown(_))
        ));
        assert!(matches!(
            sign_in(&store, "", "").unwrap_err(),
            AppError::Auth(AuthError::SignInNeeded)
        ));
    }

    #[test]
    fn a_refusal_names_the_roles_that_may() {
        let store = shop_with_operators();
        let err = require(&store, "Pat", Action::StockAdjust).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Pat (packer) may not adjust stock: that is for owner"
        );
        require(&store, "Pat", Action::Pack).unwrap();
        require(&store, "Boss", Action::StockAdjust).unwrap();
        assert!(require(&store, "", Action::Pack).is_err());
    }

    #[test]
    fn only_the_owner_manages_operators_and_disabled_ones_are_out() {
        let mut store = shop_with_operators();
        let err = add_operator(&mut store, "Sue", "Max", Role::Owner, "4444").unwrap_err();
        assert!(
            matches!(err, AppError::Auth(AuthError::Denied { .. })),
            "{err}"
        );
        store.disable_operator("Pat", "Boss").unwrap();
        assert!(matches!(
            sign_in(&store, "Pat", "2222").unwrap_err(),
            AppError::Auth(AuthError::Disabled(_))
        ));
        assert!(require(&store, "Pat", Action::Pack).is_err());
        // The last owner stays an owner.
        assert!(
            store
                .set_operator_role("Boss", Role::Service, "Boss")
                .is_err()
        );
        assert!(store.disable_operator("Boss", "Boss").is_err());
    }

    #[test]
    fn the_owner_changes_the_table() {
        let mut store = shop_with_operators();
        assert!(require(&store, "Pat", Action::PackOverride).is_err());
        store
            .set_permission(Role::Packer, Action::PackOverride, true, "Boss")
            .unwrap();
        require(&store, "Pat", Action::PackOverride).unwrap();
        assert!(
            store
                .set_permission(Role::Packer, Action::Operators, true, "Boss")
                .is_err()
        );
    }
}
