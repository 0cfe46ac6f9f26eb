//! Operators and the audit trail: sign-in, the owner's management of operators and of the
//! role × action table, and reading who did what.

use crate::domain::operators::{Action, Permissions, Role};
use crate::store::{AuditEntry, AuditQuery, OperatorRow, Store};

use super::auth::{self, Session};
use super::{Changed, Result};

/// The audit view shows at most this many entries at once.
pub const AUDIT_LIMIT: u32 = 5_000;

#[derive(Debug)]
pub enum Request {
    /// The operators (for the switch) and the role × action table.
    List,
    /// Sign in with a PIN (verified on the store's thread: tens of milliseconds).
    SignIn {
        name: String,
        pin: String,
    },
    /// Add an operator; the first of a database (an owner) needs no sign-in.
    Add {
        name: String,
        role: Role,
        pin: String,
    },
    SetRole {
        name: String,
        role: Role,
    },
    Disable(String),
    /// Let a disabled operator sign in again.
    Enable(String),
    /// A new PIN: one's own, or another's by who may manage operators.
    SetPin {
        name: String,
        pin: String,
    },
    SetPermission {
        role: Role,
        action: Action,
        allowed: bool,
    },
    /// The audit trail's entries that match.
    Audit(AuditQuery),
}

#[derive(Debug)]
pub enum Reply {
    List {
        operators: Vec<OperatorRow>,
        permissions: Permissions,
    },
    SignedIn(Box<Session>),
    /// The operators changed: the new list and table.
    Changed {
        operators: Vec<OperatorRow>,
        permissions: Permissions,
    },
    Audit(Vec<AuditEntry>),
}

impl Reply {
    pub fn changed(&self) -> Changed {
        Changed::NOTHING
    }
}

impl Request {
    /// What the request needs the operator to be allowed to do (`None`: no check here;
    /// adding checks for itself, as the first operator needs no sign-in).
    pub fn action(&self) -> Option<Action> {
        match self {
            Request::SetRole { .. }
            | Request::Disable(_)
            | Request::Enable(_)
            | Request::SetPermission { .. } => Some(Action::Operators),
            Request::Audit(_) => Some(Action::Audit),
            // Adding and setting a PIN check for themselves: the first operator needs no
            // sign-in, and anyone may change their own PIN.
            Request::List
            | Request::SignIn { .. }
            | Request::Add { .. }
            | Request::SetPin { .. } => None,
        }
    }
}

fn changed(store: &Store) -> Result<Reply> {
    Ok(Reply::Changed {
        operators: store.operators()?,
        permissions: store.permissions()?,
    })
}

/// Answers one request.
pub fn handle(store: &mut Store, operator: &str, request: Request) -> Result<Reply> {
    match request {
        Request::List => Ok(Reply::List {
            operators: store.operators()?,
            permissions: store.permissions()?,
        }),
        Request::SignIn { name, pin } => Ok(Reply::SignedIn(Box::new(auth::sign_in(
            store, &name, &pin,
        )?))),
        Request::Add { name, role, pin } => {
            auth::add_operator(store, operator, &name, role, &pin)?;
            changed(store)
        }
        Request::SetRole { name, role } => {
            store.set_operator_role(&name, role, operator)?;
            changed(store)
        }
        Request::Disable(name) => {
            store.disable_operator(&name, operator)?;
            changed(store)
        }
        Request::Enable(name) => {
            store.enable_operator(&name, operator)?;
            changed(store)
        }
        Request::SetPin { name, pin } => {
            auth::set_pin(store, operator, &name, &pin)?;
            changed(store)
        }
        Request::SetPermission {
            role,
            action,
            allowed,
        } => {
            store.set_permission(role, action, allowed, operator)?;
            changed(store)
        }
        Request::Audit(query) => Ok(Reply::Audit(store.audit(&AuditQuery {
            since: super::moment(query.since.as_deref())?,
            until: super::moment(query.until.as_deref())?,
            limit: if query.limit == 0 {
                AUDIT_LIMIT
            } else {
                query.limit
            },
            ..query
        })?)),
    }
}
