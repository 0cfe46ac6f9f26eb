//! Merging orders into one shipment, planned as a value and applied by the store in one
//! transaction (DOMAIN.md "Merging and splitting").

use std::collections::BTreeMap;

use super::order::OrderState;

/// An order's money, in cents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Amounts {
    pub goods_cents: i64,
    pub postage_cents: i64,
    pub discount_cents: i64,
    pub paid_cents: i64,
    pub refunded_cents: i64,
}

impl Amounts {
    pub fn plus(self, other: Amounts) -> Amounts {
        Amounts {
            goods_cents: self.goods_cents + other.goods_cents,
            postage_cents: self.postage_cents + other.postage_cents,
            discount_cents: self.discount_cents + other.discount_cents,
            paid_cents: self.paid_cents + other.paid_cents,
            refunded_cents: self.refunded_cents + other.refunded_cents,
        }
    }

    pub fn minus(self, other: Amounts) -> Amounts {
        Amounts {
            goods_cents: self.goods_cents - other.goods_cents,
            postage_cents: self.postage_cents - other.postage_cents,
            discount_cents: self.discount_cents - other.discount_cents,
            paid_cents: self.paid_cents - other.paid_cents,
            refunded_cents: self.refunded_cents - other.refunded_cents,
        }
    }
}

/// What the merge rules need to know of an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeCandidate {
    pub id: i64,
    pub order_no: String,
    pub buyer_id: String,
    /// Receiver name, phone and full address, normalised by [`address_key`].
    pub address_key: String,
    pub state: OrderState,
    pub on_hold: bool,
    pub merged_into: Option<i64>,
    /// The order's own amounts (for a main order: including what was merged into it).
    pub amounts: Amounts,
}

/// Receiver and address reduced to what decides "the same address": whitespace and case
/// do not count.
pub fn address_key(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|part| {
            part.chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// A merge to apply: the others' lines move to the main order, which adds their amounts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergePlan {
    pub main_id: i64,
    pub merged_ids: Vec<i64>,
    pub main_amounts: Amounts,
}

/// Plans merging `others` into `main`, or says why not.
pub fn plan_merge(main: &MergeCandidate, others: &[MergeCandidate]) -> Result<MergePlan, String> {
    if others.is_empty() {
        return Err("choose at least two orders to merge".to_owned());
    }
    let mut amounts = main.amounts;
    let mut merged_ids = Vec::new();
    for order in std::iter::once(main).chain(others) {
        if order.merged_into.is_some() {
            return Err(format!(
                "order {} is already merged into another",
                order.order_no
            ));
        }
        if !order.state.is_editable() {
            return Err(format!(
                "order {} is {}: only orders not yet printed can be merged",
                order.order_no,
                order.state.code().replace('_', " ")
            ));
        }
        if order.on_hold {
            return Err(format!("order {} is on hold", order.order_no));
        }
    }
    for other in others {
        if other.id == main.id || merged_ids.contains(&other.id) {
            return Err(format!("order {} is listed twice", other.order_no));
        }
        if other.buyer_id != main.buyer_id {
            return Err(format!(
                "order {} is from another buyer ({} ≠ {})",
                other.order_no, other.buyer_id, main.buyer_id
            ));
        }
        if other.address_key != main.address_key {
            return Err(format!("order {} goes to another address", other.order_no));
        }
        if other.state != main.state {
            return Err(format!(
                "order {} is {} and order {} is {}: review both or neither first",
                other.order_no,
                other.state.code().replace('_', " "),
                main.order_no,
                main.state.code().replace('_', " ")
            ));
        }
        amounts = amounts.plus(other.amounts);
        merged_ids.push(other.id);
    }
    Ok(MergePlan {
        main_id: main.id,
        merged_ids,
        main_amounts: amounts,
    })
}

/// Groups of orders that could ship together: same buyer, same address, not printed.
/// Each group lists order ids, oldest (smallest id) first; only groups of two or more.
pub fn propose_merges(candidates: &[MergeCandidate]) -> Vec<Vec<i64>> {
    let mut groups: BTreeMap<(&str, &str, OrderState), Vec<i64>> = BTreeMap::new();
    for c in candidates {
        if c.merged_into.is_none() && c.state.is_editable() && !c.on_hold {
            groups
                .entry((c.buyer_id.as_str(), c.address_key.as_str(), c.state))
                .or_default()
                .push(c.id);
        }
    }
    let mut out: Vec<Vec<i64>> = groups
        .into_values()
        .filter(|ids| ids.len() > 1)
        .map(|mut ids| {
            ids.sort_unstable();
            ids
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(id: i64, buyer: &str, address: &str, state: OrderState, goods: i64) -> MergeCandidate {
        MergeCandidate {
            id,
            order_no: format!("N{id}"),
            buyer_id: buyer.to_owned(),
            address_key: address_key(&[address]),
            state,
            on_hold: false,
            merged_into: None,
            amounts: Amounts {
                goods_cents: goods,
                postage_cents: 500,
                paid_cents: goods + 500,
                ..Amounts::default()
            },
        }
    }

    #[test]
    fn merge_table() {
        use OrderState::*;
        let main = order(1, "b", "上海 浦东 1号", PendingReview, 1000);
        let cases: Vec<(Vec<MergeCandidate>, Result<i64, &str>)> = vec![
            (
                vec![order(2, "b", "上海浦东1号", PendingReview, 2000)],
                Ok(3000),
            ),
            (
                vec![order(2, "x", "上海浦东1号", PendingReview, 2000)],
                Err("another buyer"),
            ),
            (
                vec![order(2, "b", "北京", PendingReview, 2000)],
                Err("another address"),
            ),
            (
                vec![order(2, "b", "上海浦东1号", Printed, 2000)],
                Err("only orders not yet printed"),
            ),
            (
                vec![order(2, "b", "上海浦东1号", Approved, 2000)],
                Err("review both or neither"),
            ),
            (
                vec![order(1, "b", "上海浦东1号", PendingReview, 2000)],
                Err("listed twice"),
            ),
            (vec![], Err("at least two")),
        ];
        for (others, expected) in cases {
            match (plan_merge(&main, &others), expected) {
                (Ok(plan), Ok(goods)) => {
                    assert_eq!(plan.main_amounts.goods_cents, goods);
                    assert_eq!(plan.main_amounts.postage_cents, 1000);
                    assert_eq!(plan.merged_ids, vec![2]);
                }
                (Err(message), Err(part)) => assert!(message.contains(part), "{message}"),
                (got, want) => panic!("{others:?}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn unmerge_restores_amounts() {
        let a = order(1, "b", "x", OrderState::PendingReview, 1000);
        let b = order(2, "b", "x", OrderState::PendingReview, 2500);
        let Ok(plan) = plan_merge(&a, std::slice::from_ref(&b)) else {
            panic!("mergeable");
        };
        assert_eq!(plan.main_amounts.minus(b.amounts), a.amounts);
    }

    #[test]
    fn proposals_group_same_buyer_and_address() {
        use OrderState::*;
        let orders = vec![
            order(1, "b", "x", PendingReview, 1),
            order(2, "b", "x", PendingReview, 1),
            order(3, "b", "y", PendingReview, 1),
            order(4, "c", "x", PendingReview, 1),
            order(5, "b", "x", Printed, 1),
            order(6, "c", "x", PendingReview, 1),
        ];
        assert_eq!(propose_merges(&orders), vec![vec![1, 2], vec![4, 6]]);
    }
}
