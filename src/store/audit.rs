//! The audit trail: who did what, when, and what it changed. Entries come from every
//! append-only log of the file: `audit_log` (written by [`record`] inside the transaction
//! of each change no other log records), the order log, the stock ledger, pack attempts,
//! hand-over scans, and the after-sales case log and refunds. Triggers refuse any UPDATE or DELETE on all of them.

use rusqlite::{OptionalExtension, ToSql, Transaction, params};

use super::{Result, Store, now_text};

/// Appends one entry to the audit trail, inside the caller's transaction, so it lands
/// with the change or not at all. `target` names what changed (an order number, a
/// product code, a setting's key, an operator's name); `before` and `after` say what it
/// was and what it became ("" where there was nothing).
pub fn record(
    tx: &Transaction<'_>,
    operator: &str,
    action: &str,
    target: &str,
    before: &str,
    after: &str,
) -> Result<()> {
    record_at(tx, operator, action, target, None, before, after)
}

/// [`record`] for a change to an order: the entry joins the order's history.
pub fn record_order(
    tx: &Transaction<'_>,
    operator: &str,
    action: &str,
    order_id: i64,
    before: &str,
    after: &str,
) -> Result<()> {
    let order_no: String = tx
        .prepare_cached("SELECT order_no FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| r.get(0))?;
    record_at(
        tx,
        operator,
        action,
        &order_no,
        Some(order_id),
        before,
        after,
    )
}

fn record_at(
    tx: &Transaction<'_>,
    operator: &str,
    action: &str,
    target: &str,
    order_id: Option<i64>,
    before: &str,
    after: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit_log (at, operator, action, target, order_id, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        now_text(),
        operator,
        action,
        target,
        order_id,
        before,
        after
    ])?;
    Ok(())
}

/// One entry of the audit trail (the CLI's JSON names).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub at: String,
    pub operator: String,
    pub action: String,
    pub target: String,
    pub before: String,
    pub after: String,
}

/// Which entries to read: every filter set narrows; none reads the whole trail.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// From this moment or date on (`2026-11-30` or a full timestamp), inclusive.
    pub since: Option<String>,
    /// Before this moment or date (exclusive).
    pub until: Option<String>,
    /// Only this operator's entries.
    pub operator: Option<String>,
    /// Only this order's history: its number (as the platform gives it).
    pub order_no: Option<String>,
    /// At most this many entries (0: all).
    pub limit: u32,
}

/// One log of the trail: its table, the columns that give the entry's fields, and how it
/// finds an order's entries.
struct Source {
    from: &'static str,
    at: &'static str,
    operator: &'static str,
    fields: &'static str,
    /// The condition that picks one order's entries (every order of that number, on
    /// every platform); `:order_no` bound.
    order: &'static str,
}

const SOURCES: &[Source] = &[
    Source {
        from: "audit_log a",
        at: "a.at",
        operator: "a.operator",
        fields: "a.action, a.target, a.before, a.after, 0, a.id",
        order: "a.order_id IN (SELECT id FROM orders WHERE order_no = :order_no)",
    },
    Source {
        from: "order_events e LEFT JOIN orders o ON o.id = e.order_id",
        at: "e.at",
        operator: "e.operator",
        // "old → new" splits into before and after; a detail with several changes
        // ("a: x → y; b: u → v") stays whole in after.
        fields: "'order.' || e.event, coalesce(o.order_no, '#' || e.order_id),
                 CASE WHEN instr(e.detail, ' → ') > 0
                       AND instr(substr(e.detail, instr(e.detail, ' → ') + 3), ' → ') = 0
                      THEN substr(e.detail, 1, instr(e.detail, ' → ') - 1) ELSE '' END,
                 CASE WHEN instr(e.detail, ' → ') > 0
                       AND instr(substr(e.detail, instr(e.detail, ' → ') + 3), ' → ') = 0
                      THEN substr(e.detail, instr(e.detail, ' → ') + 3) ELSE e.detail END,
                 1, e.id",
        order: "e.order_id IN (SELECT id FROM orders WHERE order_no = :order_no)",
    },
    Source {
        from: "stock_movements m LEFT JOIN products p ON p.id = m.product_id",
        at: "m.created_at",
        operator: "m.operator",
        fields: "'stock.' || m.reason, coalesce(p.code, '#' || m.product_id), '',
                 printf('%+d', m.quantity)
                   || CASE WHEN m.reference <> '' THEN ' ' || m.reference ELSE '' END
                   || CASE WHEN m.note <> '' THEN ' (' || m.note || ')' ELSE '' END,
                 2, m.id",
        // Sales name the order; returns and repairs name its after-sales cases.
        order: "m.reference <> '' AND (m.reference = :order_no OR m.reference IN
                 (SELECT printf('AS%06d', c.id) FROM cases c
                  WHERE c.order_id IN (SELECT id FROM orders WHERE order_no = :order_no)))",
    },
    Source {
        from: "pack_attempts k LEFT JOIN orders o ON o.id = k.order_id",
        at: "k.at",
        operator: "k.operator",
        fields: "'pack.' || k.result, coalesce(o.order_no, '#' || k.order_id), '', k.detail,
                 3, k.id",
        order: "k.order_id IN (SELECT id FROM orders WHERE order_no = :order_no)",
    },
    Source {
        from: "handover_parcels h LEFT JOIN orders o ON o.id = h.order_id",
        at: "h.scanned_at",
        operator: "h.operator",
        fields: "'handover.scan', coalesce(o.order_no, '#' || h.order_id), '',
                 'hand-over ' || h.handover_id || ', ' || h.tracking_no, 4, h.order_id",
        order: "h.order_id IN (SELECT id FROM orders WHERE order_no = :order_no)",
    },
    Source {
        from: "case_events v LEFT JOIN cases c ON c.id = v.case_id
               LEFT JOIN orders o ON o.id = c.order_id",
        at: "v.at",
        operator: "v.operator",
        fields:
            "'case.' || v.action, coalesce(o.order_no, '#' || c.order_id, 'case ' || v.case_id), '',
                 'case ' || v.case_id || CASE WHEN v.detail <> '' THEN ': ' || v.detail ELSE '' END,
                 5, v.id",
        order: "c.order_id IN (SELECT id FROM orders WHERE order_no = :order_no)",
    },
    Source {
        from: "case_refunds r LEFT JOIN orders o ON o.id = r.order_id",
        at: "r.at",
        operator: "r.operator",
        fields: "'case.refunded', coalesce(o.order_no, '#' || r.order_id), '',
                 'case ' || r.case_id || ', ' || printf('%.2f', r.cents / 100.0)
                   || CASE WHEN r.source <> 'shop' THEN ' (' || r.source || ')' ELSE '' END,
                 6, r.id",
        order: "r.order_id IN (SELECT id FROM orders WHERE order_no = :order_no)",
    },
    Source {
        from: "damaged_movements d LEFT JOIN products p ON p.id = d.product_id",
        at: "d.created_at",
        operator: "d.operator",
        fields: "'damaged.' || d.reason, coalesce(p.code, '#' || d.product_id), '',
                 printf('%+d', d.quantity)
                   || CASE WHEN d.reference <> '' THEN ' ' || d.reference ELSE '' END
                   || CASE WHEN d.note <> '' THEN ' (' || d.note || ')' ELSE '' END,
                 7, d.id",
        order: "d.reference IN (SELECT printf('AS%06d', c.id) FROM cases c
                 WHERE c.order_id IN (SELECT id FROM orders WHERE order_no = :order_no))",
    },
];

impl Store {
    /// The audit trail's entries that match, oldest first.
    pub fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut entries = Vec::new();
        self.for_each_audit_entry(query, |entry| {
            entries.push(entry);
            Ok(())
        })?;
        Ok(entries)
    }

    /// Streams the matching entries, oldest first, without holding them all.
    pub fn for_each_audit_entry(
        &self,
        query: &AuditQuery,
        mut visit: impl FnMut(AuditEntry) -> std::io::Result<()>,
    ) -> Result<()> {
        // Every order of that number (two platforms may use the same one).
        let order_no = query.order_no.as_deref().map(str::trim);
        if let Some(no) = order_no {
            let known: bool = self
                .conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM orders WHERE order_no = ?1)")?
                .query_row([no], |r| r.get(0))?;
            if !known {
                return Err(super::StoreError::NotFound(format!("no order {no}")));
            }
        }
        let mut branches = Vec::with_capacity(SOURCES.len());
        for source in SOURCES {
            let mut conditions = Vec::new();
            if query.since.is_some() {
                conditions.push(format!("{} >= :since", source.at));
            }
            if query.until.is_some() {
                conditions.push(format!("{} < :until", source.at));
            }
            if query.operator.is_some() {
                conditions.push(format!("{} = :operator", source.operator));
            }
            if order_no.is_some() {
                conditions.push(source.order.to_owned());
            }
            let filter = if conditions.is_empty() {
                String::new()
            } else {
                format!(" WHERE {}", conditions.join(" AND "))
            };
            branches.push(format!(
                "SELECT {} AS at, {} AS operator, {} FROM {}{}",
                source.at, source.operator, source.fields, source.from, filter
            ));
        }
        let limit = if query.limit == 0 {
            String::new()
        } else {
            format!(" LIMIT {}", query.limit)
        };
        // A compound SELECT ordered by its columns: SQLite merges the logs, each read in
        // the order of its `at` index, so a page of a busy day stops early instead of
        // sorting the whole day first.
        let sql = format!("{} ORDER BY 1, 7, 8{limit}", branches.join(" UNION ALL "));
        let since = query.since.as_deref().map(str::trim);
        let until = query.until.as_deref().map(str::trim);
        // An operator is found however the name is cased, as at sign-in: the logs carry
        // the name as the operators table spells it.
        let operator = match query.operator.as_deref().map(str::trim) {
            None => None,
            Some(typed) => Some(
                self.conn
                    .prepare_cached("SELECT name FROM operators WHERE name = ?1")?
                    .query_row([typed], |r| r.get::<_, String>(0))
                    .optional()?
                    .unwrap_or_else(|| typed.to_owned()),
            ),
        };
        let mut named: Vec<(&str, &dyn ToSql)> = Vec::new();
        if let Some(since) = &since {
            named.push((":since", since));
        }
        if let Some(until) = &until {
            named.push((":until", until));
        }
        if let Some(operator) = &operator {
            named.push((":operator", operator));
        }
        if let Some(order_no) = &order_no {
            named.push((":order_no", order_no));
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(named.as_slice())?;
        while let Some(row) = rows.next()? {
            let entry = AuditEntry {
                at: row.get(0)?,
                operator: row.get(1)?,
                action: row.get(2)?,
                target: row.get(3)?,
                before: row.get(4)?,
                after: row.get(5)?,
            };
            visit(entry).map_err(|e| super::StoreError::Invalid(format!("cannot write: {e}")))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::inventory::AdjustReason;
    use crate::domain::{Event, Flag};
    use crate::store::testing::{paid_order, shop};

    fn seen(entries: &[AuditEntry]) -> Vec<(&str, &str, &str, &str, &str)> {
        entries
            .iter()
            .map(|e| {
                (
                    e.operator.as_str(),
                    e.action.as_str(),
                    e.target.as_str(),
                    e.before.as_str(),
                    e.after.as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn every_write_lands_in_the_trail_with_its_operator() {
        let mut store = shop();
        let id = store
            .insert_orders(&[paid_order("A"), paid_order("B")], "test", "Sue")
            .unwrap()[0];
        store.set_flag(id, Flag::Red, Some("call"), "Sue").unwrap();
        store.apply_event(id, Event::Review, "Sue").unwrap();
        store
            .adjust_with_reason("CUP", 2, AdjustReason::Found, "shelf", "Boss")
            .unwrap();
        let mut settings = store.settings().unwrap();
        settings.shop_name = "小店".to_owned();
        store.save_settings_by(&settings, "Boss").unwrap();
        store.set_bins(&[1], "B-9", "Kim").unwrap();

        let all = store.audit(&AuditQuery::default()).unwrap();
        let all = seen(&all);
        for expected in [
            ("owner", "stock.adjustment", "CUP", "", "+10 opening"),
            ("Sue", "order.flag", "A", "flag none", "red"),
            ("Sue", "order.remark", "A", "", "call"),
            ("Sue", "order.review", "A", "pending_review", "approved"),
            ("Boss", "stock.adjustment", "CUP", "", "+2 (found: shelf)"),
            ("Boss", "setting", "shop_name", "", "小店"),
            ("Kim", "product.bin", "CUP", "", "B-9"),
        ] {
            assert!(all.contains(&expected), "{expected:?} in {all:#?}");
        }

        let a = store
            .audit(&AuditQuery {
                order_no: Some("A".to_owned()),
                ..AuditQuery::default()
            })
            .unwrap();
        let actions: Vec<&str> = a.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "order.created",
                "order.flag",
                "order.remark",
                "order.review"
            ]
        );

        let kim = store
            .audit(&AuditQuery {
                operator: Some("Kim".to_owned()),
                ..AuditQuery::default()
            })
            .unwrap();
        assert_eq!(seen(&kim), [("Kim", "product.bin", "CUP", "", "B-9")]);
        let none = store
            .audit(&AuditQuery {
                since: Some("2999-01-01".to_owned()),
                ..AuditQuery::default()
            })
            .unwrap();
        assert!(none.is_empty());
        assert!(
            store
                .audit(&AuditQuery {
                    order_no: Some("NOPE".to_owned()),
                    ..AuditQuery::default()
                })
                .is_err()
        );
    }

    /// The writes no other log keeps (purchases, counts, couriers and their pools, import
    /// profiles, product imports, after-sales reasons, hand-overs) each leave an entry with
    /// their operator.
    #[test]
    fn writes_without_a_log_of_their_own_land_in_the_trail() {
        use crate::domain::model::NewProduct;
        use crate::store::{CourierRow, NewPurchase, NewPurchaseLine};
        let mut store = shop();
        let purchase = store
            .create_purchase(
                &NewPurchase {
                    supplier: "义乌".to_owned(),
                    lines: vec![NewPurchaseLine {
                        code: "CUP".to_owned(),
                        quantity: 5,
                        unit_cost_cents: 300,
                    }],
                    ..NewPurchase::default()
                },
                "Kim",
            )
            .unwrap();
        store.cancel_purchase(purchase, "Kim").unwrap();
        let count = store.start_count("", "", "Kim").unwrap();
        store.cancel_count(count, "Kim").unwrap();
        let courier = CourierRow {
            code: "JT".to_owned(),
            name: "极兔速递".to_owned(),
            ..CourierRow::default()
        };
        store.save_courier(&courier, "Pat").unwrap();
        store
            .save_courier(
                &CourierRow {
                    name: "极兔".to_owned(),
                    ..courier
                },
                "Pat",
            )
            .unwrap();
        store
            .import_tracking("JT", "JT0001234567\nJT0001234568", "Pat")
            .unwrap();
        store
            .save_import_profile("mine", r#"{"name":"mine"}"#, "Sue")
            .unwrap();
        store
            .import_products(
                &[NewProduct {
                    code: "BAG".to_owned(),
                    name: "布袋".to_owned(),
                    ..NewProduct::default()
                }],
                &[None],
                false,
                &mut |_| true,
                "Kim",
            )
            .unwrap();
        store
            .save_case_reason(
                &crate::store::CaseReason {
                    code: "lost".to_owned(),
                    label: "Lost parcel".to_owned(),
                    label_zh: "丢件".to_owned(),
                    active: true,
                },
                "Sue",
            )
            .unwrap();
        let order = store
            .insert_orders(&[paid_order("S1")], "test", "Sue")
            .unwrap()[0];
        store.mark_exported(&[order], "ship.csv", "Pat").unwrap();
        store.mark_exported(&[order], "again.csv", "Pat").unwrap();
        let handover = store.handover_start("JT", "Pat").unwrap();
        store.handover_close(handover, "Pat").unwrap();

        let all = store.audit(&AuditQuery::default()).unwrap();
        let all = seen(&all);
        let purchase = crate::store::purchase_reference(purchase);
        let count = crate::store::count_reference(count);
        let handover = format!("hand-over {handover}");
        for (operator, action, target) in [
            ("Kim", "purchase.create", purchase.as_str()),
            ("Kim", "purchase.cancel", purchase.as_str()),
            ("Kim", "count.start", count.as_str()),
            ("Kim", "count.cancel", count.as_str()),
            ("Pat", "courier.add", "JT"),
            ("Pat", "courier.edit", "JT"),
            ("Pat", "tracking.pool", "JT"),
            ("Sue", "import.profile", "mine"),
            ("Sue", "case.reason", "lost"),
            ("Pat", "shipped.export", "ship.csv"),
            ("Kim", "product.import", "BAG"),
            ("Pat", "handover.start", handover.as_str()),
            ("Pat", "handover.close", handover.as_str()),
        ] {
            assert!(
                all.iter()
                    .any(|e| e.0 == operator && e.1 == action && e.2 == target),
                "{operator} {action} {target} in {all:#?}"
            );
        }
        // An order given to the marketplace once is not given again, nor said again.
        assert!(!all.iter().any(|e| e.2 == "again.csv"), "{all:#?}");
        let edit = all.iter().find(|e| e.1 == "courier.edit").unwrap();
        // The whole courier before and after: the new name, the old one kept as an alias.
        assert!(edit.3.starts_with("极兔速递, "), "{edit:?}");
        assert!(
            edit.4.starts_with("极兔, ") && edit.4.ends_with("(极兔速递)"),
            "{edit:?}"
        );
    }

    /// The orders and products the trail names cannot be deleted, renumbered or replaced
    /// behind the program's back, so no entry drops out or moves to another name.
    #[test]
    fn what_the_trail_names_stays_named() {
        let mut store = shop();
        let id = store
            .insert_orders(&[paid_order("A"), paid_order("B")], "test", "Sue")
            .unwrap()[0];
        store.set_flag(id, Flag::Red, None, "Sue").unwrap();
        let before = store.audit(&AuditQuery::default()).unwrap();
        let history = |store: &Store| {
            store
                .audit(&AuditQuery {
                    order_no: Some("A".to_owned()),
                    ..AuditQuery::default()
                })
                .unwrap()
                .len()
        };
        assert_eq!(history(&store), 2);
        let columns = "platform, order_no, ordered_at, created_at, updated_at";
        for sql in [
            format!("DELETE FROM orders WHERE id = {id}"),
            format!("UPDATE orders SET order_no = 'FAKE' WHERE id = {id}"),
            format!("UPDATE orders SET platform = 'jd' WHERE id = {id}"),
            format!("UPDATE OR REPLACE orders SET id = {id} WHERE order_no = 'B'"),
            "UPDATE OR REPLACE orders SET order_no = 'A' WHERE order_no = 'B'".to_owned(),
            format!(
                "INSERT OR REPLACE INTO orders (id, {columns}) VALUES ({id}, 'manual', 'X', 't', 't', 't')"
            ),
            format!("REPLACE INTO orders ({columns}) SELECT {columns} FROM orders WHERE id = {id}"),
            "DELETE FROM products WHERE code = 'CUP'".to_owned(),
            "UPDATE products SET code = 'MUG' WHERE code = 'CUP'".to_owned(),
            "UPDATE OR REPLACE products SET id = id + 100 WHERE code = 'CUP'".to_owned(),
        ] {
            let err = store.conn.execute(&sql, []).unwrap_err();
            assert!(err.to_string().contains("audit trail"), "{sql}: {err}");
        }
        assert_eq!(store.audit(&AuditQuery::default()).unwrap(), before);
        assert_eq!(history(&store), 2);
        // Whatever slips past (a REPLACE of a product under a new id) keeps its entries,
        // named by the id they were written with.
        store
            .conn
            .execute_batch(
                "REPLACE INTO products (code, name) SELECT code, name FROM products
                 WHERE code = 'CUP'",
            )
            .ok();
        assert_eq!(
            store.audit(&AuditQuery::default()).unwrap().len(),
            before.len()
        );
    }

    /// A tool that drops an append-only trigger can then erase entries; `check` names the
    /// missing trigger (and one added by another program), so it does not pass unseen.
    #[test]
    fn check_names_a_guard_dropped_or_a_trigger_added() {
        let store = shop();
        assert!(store.check().unwrap().is_empty(), "a fresh shop is sound");
        store
            .conn
            .execute_batch(
                "DROP TRIGGER order_events_no_delete;
                 CREATE TRIGGER mine AFTER INSERT ON orders BEGIN SELECT 1; END;",
            )
            .unwrap();
        let problems = store.check().unwrap();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("trigger order_events_no_delete is missing")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("trigger mine was added")),
            "{problems:?}"
        );
    }

    #[test]
    fn raw_sql_cannot_edit_or_delete_the_trail() {
        let mut store = shop();
        let mut settings = store.settings().unwrap();
        settings.shop_name = "小店".to_owned();
        store.save_settings_by(&settings, "Boss").unwrap();
        let before = store.audit(&AuditQuery::default()).unwrap();
        for sql in [
            "UPDATE audit_log SET operator = 'someone else'",
            "DELETE FROM audit_log",
            "INSERT OR REPLACE INTO audit_log (id, at, operator, action)
             VALUES (1, 'x', 'x', 'x')",
            "UPDATE stock_movements SET operator = 'someone else'",
            "DELETE FROM stock_movements",
        ] {
            let err = store.conn.execute(sql, []).unwrap_err();
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
        assert_eq!(store.audit(&AuditQuery::default()).unwrap(), before);
    }
}
