//! Operators, their roles, and which role may do what: the role × action table.
//!
//! Four roles from the shop's organisation: the **owner** may do everything; **customer
//! service** works orders, manual orders, after-sales, flags, remarks and imports; the
//! **packer** runs the pack & ship station, hand-overs and printing; the **stock keeper**
//! keeps products, purchases, receipts and counts. The owner may grant or take back any
//! action of the other roles ([`Permissions::set`]), except managing operators, which stays
//! the owner's so no one can lock the owner out.

use std::collections::BTreeSet;

/// An operator's post.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Owner,
    Service,
    Packer,
    Stock,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Service, Role::Packer, Role::Stock];

    /// The code in the database, the CLI and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Service => "service",
            Role::Packer => "packer",
            Role::Stock => "stock",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == code.trim().to_ascii_lowercase())
    }

    /// The role in words (English).
    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Service => "customer service",
            Role::Packer => "packer",
            Role::Stock => "stock keeper",
        }
    }
}

/// What an operator may be allowed to do. Reading is open to every signed-in operator
/// (except the audit trail); each kind of write is one action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// Review, flag, remark, merge, split, hold, cancel, edit the receiver of orders.
    OrdersEdit,
    /// Archive orders (they can never change again).
    OrdersArchive,
    /// Create and edit manual orders, record payments, reship.
    OrdersManual,
    /// Import orders from marketplace exports; keep import profiles.
    OrdersImport,
    /// Customer notes and tags.
    Customers,
    /// After-sales cases: open, receive a return, close, reject.
    AfterSales,
    /// Refunds, and importing the platform's refunds.
    Refunds,
    /// Check and ship parcels at the pack station, log attempts and weights.
    Pack,
    /// Ship without a full pack check.
    PackOverride,
    /// Courier hand-overs.
    Handovers,
    /// Pick lists, waybills, tracking numbers, the shipped-orders export.
    Printing,
    /// Couriers and their tracking-number pools.
    Couriers,
    /// Products: edit, activate, bins, import.
    Products,
    /// Purchases and their receipts.
    Purchases,
    /// Stock counts.
    StockCounts,
    /// Stock adjustments outside purchases, sales and counts.
    StockAdjust,
    /// The shop's settings and the sample shop.
    Settings,
    /// Backups made by hand.
    Backup,
    /// Replacing the database with a backup.
    Restore,
    /// Read the audit trail.
    Audit,
    /// Add operators, change their roles, disable them, change what each role may do.
    Operators,
}

impl Action {
    pub const ALL: [Action; 21] = [
        Action::OrdersEdit,
        Action::OrdersArchive,
        Action::OrdersManual,
        Action::OrdersImport,
        Action::Customers,
        Action::AfterSales,
        Action::Refunds,
        Action::Pack,
        Action::PackOverride,
        Action::Handovers,
        Action::Printing,
        Action::Couriers,
        Action::Products,
        Action::Purchases,
        Action::StockCounts,
        Action::StockAdjust,
        Action::Settings,
        Action::Backup,
        Action::Restore,
        Action::Audit,
        Action::Operators,
    ];

    /// The code in the database and the audit trail.
    pub fn code(self) -> &'static str {
        match self {
            Action::OrdersEdit => "orders.edit",
            Action::OrdersArchive => "orders.archive",
            Action::OrdersManual => "orders.manual",
            Action::OrdersImport => "orders.import",
            Action::Customers => "customers",
            Action::AfterSales => "after_sales",
            Action::Refunds => "refunds",
            Action::Pack => "pack",
            Action::PackOverride => "pack.override",
            Action::Handovers => "handovers",
            Action::Printing => "printing",
            Action::Couriers => "couriers",
            Action::Products => "products",
            Action::Purchases => "purchases",
            Action::StockCounts => "stock.counts",
            Action::StockAdjust => "stock.adjust",
            Action::Settings => "settings",
            Action::Backup => "backup",
            Action::Restore => "restore",
            Action::Audit => "audit",
            Action::Operators => "operators",
        }
    }

    pub fn from_code(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code.trim())
    }

    /// The action in words (English), for refusals.
    pub fn label(self) -> &'static str {
        match self {
            Action::OrdersEdit => "work on orders",
            Action::OrdersArchive => "archive orders",
            Action::OrdersManual => "enter manual orders",
            Action::OrdersImport => "import orders",
            Action::Customers => "edit customers",
            Action::AfterSales => "handle after-sales cases",
            Action::Refunds => "refund",
            Action::Pack => "pack and ship",
            Action::PackOverride => "ship without the pack check",
            Action::Handovers => "hand parcels over to couriers",
            Action::Printing => "print pick lists and waybills",
            Action::Couriers => "set up couriers and tracking numbers",
            Action::Products => "edit products",
            Action::Purchases => "enter purchases and receipts",
            Action::StockCounts => "count stock",
            Action::StockAdjust => "adjust stock",
            Action::Settings => "change settings",
            Action::Backup => "make backups",
            Action::Restore => "restore a backup",
            Action::Audit => "read the audit trail",
            Action::Operators => "manage operators",
        }
    }

    /// The roles other than the owner that may do this on a new database.
    pub fn default_roles(self) -> &'static [Role] {
        match self {
            Action::OrdersEdit
            | Action::OrdersManual
            | Action::OrdersImport
            | Action::Customers
            | Action::AfterSales
            | Action::Refunds => &[Role::Service],
            Action::Pack | Action::Handovers | Action::Printing | Action::Couriers => {
                &[Role::Packer]
            }
            Action::Products | Action::Purchases | Action::StockCounts => &[Role::Stock],
            Action::OrdersArchive
            | Action::PackOverride
            | Action::StockAdjust
            | Action::Settings
            | Action::Backup
            | Action::Restore
            | Action::Audit
            | Action::Operators => &[],
        }
    }

    /// Only the owner may ever do this: the owner cannot give it away.
    pub fn owner_only(self) -> bool {
        self == Action::Operators
    }
}

/// Why the owner's change to the table was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PermissionError {
    #[error("the owner may always do everything")]
    Owner,
    #[error("only the owner may {}", .0.label())]
    OwnerOnly(Action),
}

/// Which role may do which action: the defaults, changed by the owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Permissions {
    /// The (role, action) pairs granted to roles other than the owner.
    grants: BTreeSet<(Role, Action)>,
}

impl Default for Permissions {
    fn default() -> Permissions {
        let grants = Action::ALL
            .into_iter()
            .flat_map(|a| a.default_roles().iter().map(move |r| (*r, a)))
            .collect();
        Permissions { grants }
    }
}

impl Permissions {
    /// True when `role` may do `action`.
    pub fn allows(&self, role: Role, action: Action) -> bool {
        role == Role::Owner || self.grants.contains(&(role, action))
    }

    /// Grants (`allowed`) or takes back an action of a role.
    pub fn set(
        &mut self,
        role: Role,
        action: Action,
        allowed: bool,
    ) -> Result<(), PermissionError> {
        if role == Role::Owner {
            return Err(PermissionError::Owner);
        }
        if action.owner_only() {
            return Err(PermissionError::OwnerOnly(action));
        }
        if allowed {
            self.grants.insert((role, action));
        } else {
            self.grants.remove(&(role, action));
        }
        Ok(())
    }

    /// The roles that may do `action`, the owner first.
    pub fn roles_for(&self, action: Action) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(|r| self.allows(*r, action))
            .collect()
    }

    /// Every (role, action) that differs from the defaults, with the value it has now.
    pub fn changes(&self) -> Vec<(Role, Action, bool)> {
        let defaults = Permissions::default();
        let mut out = Vec::new();
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Owner) {
            for action in Action::ALL {
                let now = self.allows(role, action);
                if now != defaults.allows(role, action) {
                    out.push((role, action, now));
                }
            }
        }
        out
    }
}

/// The shortest PIN accepted.
pub const PIN_MIN: usize = 4;
/// The longest PIN accepted.
pub const PIN_MAX: usize = 64;

/// Why a new PIN or name was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OperatorInputError {
    #[error("a PIN needs at least {PIN_MIN} characters")]
    PinTooShort,
    #[error("a PIN has at most {PIN_MAX} characters")]
    PinTooLong,
    #[error("an operator needs a name")]
    NoName,
    #[error("an operator's name has at most 40 characters")]
    NameTooLong,
    /// A name another would look the same as in the trail: invisible characters, or
    /// Latin letters mixed with Cyrillic or Greek ones (`bоss` with a Cyrillic о).
    #[error(
        "an operator's name may not hide characters or mix Latin letters with look-alike Cyrillic or Greek ones"
    )]
    NameLooksAlike,
}

/// Checks a new PIN.
pub fn check_pin(pin: &str) -> Result<(), OperatorInputError> {
    let n = pin.chars().count();
    if n < PIN_MIN {
        Err(OperatorInputError::PinTooShort)
    } else if n > PIN_MAX {
        Err(OperatorInputError::PinTooLong)
    } else {
        Ok(())
    }
}

/// Checks a new operator's name; returns it trimmed.
pub fn check_name(name: &str) -> Result<&str, OperatorInputError> {
    let name = name.trim();
    if name.is_empty() {
        Err(OperatorInputError::NoName)
    } else if name.chars().count() > 40 {
        Err(OperatorInputError::NameTooLong)
    } else if looks_alike(name) {
        Err(OperatorInputError::NameLooksAlike)
    } else {
        Ok(name)
    }
}

/// A name that could pass for another in a list: control or invisible characters, or
/// Latin letters beside Cyrillic or Greek ones.
fn looks_alike(name: &str) -> bool {
    let hidden = name.chars().any(|c| {
        c.is_control()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
    });
    let latin = name.chars().any(|c| c.is_ascii_alphabetic());
    let greek_or_cyrillic = name
        .chars()
        .any(|c| matches!(c, '\u{0370}'..='\u{03FF}' | '\u{0400}'..='\u{04FF}'));
    hidden || (latin && greek_or_cyrillic)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The role × action table of a new database: Y allowed, - refused. Columns: owner,
    /// service, packer, stock.
    const TABLE: &[(Action, &str)] = &[
        (Action::OrdersEdit, "YY--"),
        (Action::OrdersArchive, "Y---"),
        (Action::OrdersManual, "YY--"),
        (Action::OrdersImport, "YY--"),
        (Action::Customers, "YY--"),
        (Action::AfterSales, "YY--"),
        (Action::Refunds, "YY--"),
        (Action::Pack, "Y-Y-"),
        (Action::PackOverride, "Y---"),
        (Action::Handovers, "Y-Y-"),
        (Action::Printing, "Y-Y-"),
        (Action::Couriers, "Y-Y-"),
        (Action::Products, "Y--Y"),
        (Action::Purchases, "Y--Y"),
        (Action::StockCounts, "Y--Y"),
        (Action::StockAdjust, "Y---"),
        (Action::Settings, "Y---"),
        (Action::Backup, "Y---"),
        (Action::Restore, "Y---"),
        (Action::Audit, "Y---"),
        (Action::Operators, "Y---"),
    ];

    #[test]
    fn the_default_table() {
        assert_eq!(
            TABLE.len(),
            Action::ALL.len(),
            "every action is in the table"
        );
        let p = Permissions::default();
        for (action, row) in TABLE {
            for (role, cell) in Role::ALL.into_iter().zip(row.chars()) {
                assert_eq!(
                    p.allows(role, *action),
                    cell == 'Y',
                    "{} may {}",
                    role.code(),
                    action.code()
                );
            }
        }
    }

    #[test]
    fn the_owner_changes_what_a_role_may_do() {
        let mut p = Permissions::default();
        p.set(Role::Packer, Action::PackOverride, true).unwrap();
        p.set(Role::Service, Action::Refunds, false).unwrap();
        assert!(p.allows(Role::Packer, Action::PackOverride));
        assert!(!p.allows(Role::Service, Action::Refunds));
        assert_eq!(p.roles_for(Action::Refunds), vec![Role::Owner]);
        assert_eq!(
            p.changes(),
            vec![
                (Role::Service, Action::Refunds, false),
                (Role::Packer, Action::PackOverride, true)
            ]
        );
        assert_eq!(
            p.set(Role::Owner, Action::Settings, false),
            Err(PermissionError::Owner)
        );
        assert_eq!(
            p.set(Role::Stock, Action::Operators, true),
            Err(PermissionError::OwnerOnly(Action::Operators))
        );
        assert!(!p.allows(Role::Stock, Action::Operators));
    }

    #[test]
    fn codes_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::from_code(a.code()), Some(a));
        }
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert_eq!(Role::from_code(" Packer "), Some(Role::Packer));
        assert_eq!(Role::from_code("boss"), None);
    }

    #[test]
    fn pins_and_names() {
        assert_eq!(check_pin("123"), Err(OperatorInputError::PinTooShort));
        assert_eq!(check_pin("1234"), Ok(()));
        assert_eq!(
            check_pin(&"9".repeat(65)),
            Err(OperatorInputError::PinTooLong)
        );
        assert_eq!(check_name("  王芳 "), Ok("王芳"));
        assert_eq!(check_name("  "), Err(OperatorInputError::NoName));
        for (name, ok) in [
            ("boss", true),
            ("Anna Lee", true),
            ("Иван", true),
            ("小王 2号", true),
            ("b\u{043E}ss", false),
            ("bo\u{200B}ss", false),
            ("b\u{03BF}ss", false),
        ] {
            assert_eq!(check_name(name).is_ok(), ok, "{name:?}");
        }
    }
}
