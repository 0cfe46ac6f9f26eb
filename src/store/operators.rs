//! Operators and the owner's role × action table. PIN hashes come in ready-made (the
//! application layer hashes and verifies them); this module only keeps them.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError, audit, coded, now_text};
use crate::domain::operators::{Action, Permissions, Role};

/// One operator as listed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OperatorRow {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    #[serde(serialize_with = "role_code")]
    pub role: Role,
    pub active: bool,
    pub created_at: String,
}

fn role_code<S: serde::Serializer>(role: &Role, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(role.code())
}

/// An operator with the hash of their PIN, to verify a sign-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub operator: OperatorRow,
    pub pin_hash: String,
}

fn operator_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<OperatorRow> {
    Ok(OperatorRow {
        id: row.get(0)?,
        name: row.get(1)?,
        role: coded(row, 2, Role::from_code)?,
        active: row.get(3)?,
        created_at: row.get(4)?,
    })
}

impl Store {
    /// True when the database has operators: every action then needs a signed-in operator.
    /// Without any, the program acts as the owner, as before operators existed.
    pub fn has_operators(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM operators)", [], |row| {
                row.get(0)
            })?)
    }

    /// Every operator, by name.
    pub fn operators(&self) -> Result<Vec<OperatorRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, role, active, created_at FROM operators ORDER BY name COLLATE NOCASE",
        )?;
        let rows = stmt
            .query_map([], operator_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The operator of this name (any case), active or not.
    pub fn operator(&self, name: &str) -> Result<Option<OperatorRow>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, name, role, active, created_at FROM operators WHERE name = ?1",
            )?
            .query_row([name.trim()], operator_row)
            .optional()?)
    }

    /// The operator and their PIN hash, for a sign-in.
    pub fn credentials(&self, name: &str) -> Result<Option<Credentials>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, name, role, active, created_at, pin_hash FROM operators
                 WHERE name = ?1",
            )?
            .query_row([name.trim()], |row| {
                Ok(Credentials {
                    operator: operator_row(row)?,
                    pin_hash: row.get(5)?,
                })
            })
            .optional()?)
    }

    /// Adds an operator. The first operator of a database must be an owner, and is
    /// recorded as adding themself.
    pub fn add_operator(
        &mut self,
        name: &str,
        role: Role,
        pin_hash: &str,
        operator: &str,
    ) -> Result<OperatorRow> {
        let name = name.trim();
        let now = now_text();
        let tx = self.write()?;
        let first: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM operators)", [], |r| {
            r.get(0)
        })?;
        if first && role != Role::Owner {
            return Err(StoreError::Invalid(
                "the first operator of a database must be an owner".to_owned(),
            ));
        }
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM operators WHERE name = ?1)",
            [name],
            |r| r.get(0),
        )?;
        if taken {
            return Err(StoreError::Invalid(format!(
                "there is already an operator named {name}"
            )));
        }
        tx.execute(
            "INSERT INTO operators (name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![name, role.code(), pin_hash, now],
        )?;
        let by = if first { name } else { operator };
        audit::record(&tx, by, "operator.add", name, "", role.code())?;
        tx.commit()?;
        self.operator(name)?
            .ok_or_else(|| StoreError::NotFound(format!("no operator named {name}")))
    }

    /// Gives an operator another role. The last active owner keeps the role.
    pub fn set_operator_role(&mut self, name: &str, role: Role, operator: &str) -> Result<()> {
        let tx = self.write()?;
        let (id, name, old, active): (i64, String, String, bool) = tx
            .query_row(
                "SELECT id, name, role, active FROM operators WHERE name = ?1",
                [name.trim()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no operator named {}", name.trim())))?;
        if old == role.code() {
            return Ok(());
        }
        if old == Role::Owner.code() && active {
            last_owner_stays(&tx, id, &name)?;
        }
        tx.execute(
            "UPDATE operators SET role = ?2 WHERE id = ?1",
            params![id, role.code()],
        )?;
        audit::record(&tx, operator, "operator.role", &name, &old, role.code())?;
        tx.commit()?;
        Ok(())
    }

    /// Disables an operator: they can no longer sign in; the logs keep their name. The
    /// last active owner cannot be disabled.
    pub fn disable_operator(&mut self, name: &str, operator: &str) -> Result<()> {
        let tx = self.write()?;
        let (id, name, role, active): (i64, String, String, bool) = tx
            .query_row(
                "SELECT id, name, role, active FROM operators WHERE name = ?1",
                [name.trim()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no operator named {}", name.trim())))?;
        if !active {
            return Ok(());
        }
        if role == Role::Owner.code() {
            last_owner_stays(&tx, id, &name)?;
        }
        tx.execute("UPDATE operators SET active = 0 WHERE id = ?1", [id])?;
        audit::record(
            &tx,
            operator,
            "operator.disable",
            &name,
            "active",
            "disabled",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Lets a disabled operator sign in again.
    pub fn enable_operator(&mut self, name: &str, operator: &str) -> Result<()> {
        let tx = self.write()?;
        let (id, name, active): (i64, String, bool) = tx
            .query_row(
                "SELECT id, name, active FROM operators WHERE name = ?1",
                [name.trim()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no operator named {}", name.trim())))?;
        if active {
            return Ok(());
        }
        tx.execute("UPDATE operators SET active = 1 WHERE id = ?1", [id])?;
        audit::record(
            &tx,
            operator,
            "operator.enable",
            &name,
            "disabled",
            "active",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Sets an operator's new PIN (hashed by the caller).
    pub fn set_operator_pin(&mut self, name: &str, pin_hash: &str, operator: &str) -> Result<()> {
        let tx = self.write()?;
        let name: String = tx
            .query_row(
                "SELECT name FROM operators WHERE name = ?1",
                [name.trim()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no operator named {}", name.trim())))?;
        tx.execute(
            "UPDATE operators SET pin_hash = ?2 WHERE name = ?1",
            params![name, pin_hash],
        )?;
        // Never the PIN or its hash: only that it changed.
        audit::record(&tx, operator, "operator.pin", &name, "", "new PIN")?;
        tx.commit()?;
        Ok(())
    }

    /// The role × action table: the program's defaults with the owner's changes.
    pub fn permissions(&self) -> Result<Permissions> {
        let mut permissions = Permissions::default();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT role, action, allowed FROM role_permissions")?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, bool>(2)?,
            ))
        })?;
        for row in rows {
            let (role, action, allowed) = row?;
            // A code this program does not know (written by a newer one) changes nothing.
            if let (Some(role), Some(action)) = (Role::from_code(&role), Action::from_code(&action))
            {
                let _ = permissions.set(role, action, allowed);
            }
        }
        Ok(permissions)
    }

    /// Grants a role an action or takes it back.
    pub fn set_permission(
        &mut self,
        role: Role,
        action: Action,
        allowed: bool,
        operator: &str,
    ) -> Result<Permissions> {
        let mut permissions = self.permissions()?;
        let before = permissions.allows(role, action);
        permissions
            .set(role, action, allowed)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        if before == allowed {
            return Ok(permissions);
        }
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO role_permissions (role, action, allowed) VALUES (?1, ?2, ?3)
             ON CONFLICT (role, action) DO UPDATE SET allowed = excluded.allowed",
            params![role.code(), action.code(), allowed],
        )?;
        let word = |b: bool| if b { "allowed" } else { "refused" };
        audit::record(
            &tx,
            operator,
            "permission",
            &format!("{} {}", role.code(), action.code()),
            word(before),
            word(allowed),
        )?;
        tx.commit()?;
        Ok(permissions)
    }
}

/// Refuses to take away the owner role of the last active owner.
fn last_owner_stays(tx: &rusqlite::Transaction<'_>, id: i64, name: &str) -> Result<()> {
    let others: i64 = tx.query_row(
        "SELECT count(*) FROM operators WHERE role = 'owner' AND active = 1 AND id <> ?1",
        [id],
        |r| r.get(0),
    )?;
    if others == 0 {
        return Err(StoreError::Invalid(format!(
            "{name} is the only owner: make another operator owner first"
        )));
    }
    Ok(())
}
