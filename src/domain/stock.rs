//! Stock figures (DOMAIN.md "Stock"): on hand, theoretical, sellable and in transit, and how
//! bundles resolve to the single items they are made of.

use std::collections::BTreeMap;

/// Why stock moved. Every change of on hand is a movement with one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MovementReason {
    /// Stock on hand when the shop started using ShopDesk.
    Opening,
    PurchaseReceipt,
    Sale,
    Return,
    Adjustment,
    StockCount,
    BundleAssembly,
}

impl MovementReason {
    pub const ALL: [MovementReason; 7] = [
        MovementReason::Opening,
        MovementReason::PurchaseReceipt,
        MovementReason::Sale,
        MovementReason::Return,
        MovementReason::Adjustment,
        MovementReason::StockCount,
        MovementReason::BundleAssembly,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MovementReason::Opening => "opening",
            MovementReason::PurchaseReceipt => "purchase_receipt",
            MovementReason::Sale => "sale",
            MovementReason::Return => "return",
            MovementReason::Adjustment => "adjustment",
            MovementReason::StockCount => "stock_count",
            MovementReason::BundleAssembly => "bundle_assembly",
        }
    }

    pub fn from_code(code: &str) -> Option<MovementReason> {
        MovementReason::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Which imported-but-unreviewed orders count against sellable stock (图片库存).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SellableSettings {
    /// Deduct unreviewed orders that are paid.
    pub deduct_paid: bool,
    /// Deduct unreviewed orders that are not paid yet.
    pub deduct_unpaid: bool,
    /// With `deduct_unpaid`, deduct an unpaid order only once it is this many days old
    /// (0: at once).
    pub unpaid_after_days: u32,
}

impl Default for SellableSettings {
    fn default() -> SellableSettings {
        SellableSettings {
            deduct_paid: true,
            deduct_unpaid: false,
            unpaid_after_days: 0,
        }
    }
}

impl SellableSettings {
    /// Whether an unreviewed order counts against sellable stock.
    pub fn deducts(&self, paid: bool, age_days: i64) -> bool {
        if paid {
            self.deduct_paid
        } else {
            self.deduct_unpaid && age_days >= i64::from(self.unpaid_after_days)
        }
    }
}

/// The raw quantities behind a product's figures, all in single units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StockFigures {
    /// Physically on the shelves (the sum of the ledger).
    pub on_hand: i64,
    /// Needed by approved, not yet shipped orders.
    pub reserved: i64,
    /// Needed by unreviewed orders that the sellable settings deduct.
    pub unreviewed_demand: i64,
    /// Ordered from suppliers, not yet received.
    pub in_transit: i64,
}

impl StockFigures {
    /// 库存: on hand minus what approved-but-unshipped orders need.
    pub fn theoretical(&self) -> i64 {
        self.on_hand - self.reserved
    }

    /// 图片库存: theoretical minus what unreviewed orders need, per the settings.
    pub fn sellable(&self) -> i64 {
        self.theoretical() - self.unreviewed_demand
    }
}

/// A bundle's figures are the minimum its components allow: how many whole bundles each
/// figure would make. Components are `(figures, quantity per bundle)`.
pub fn bundle_figures(components: &[(StockFigures, i64)]) -> StockFigures {
    let whole = |value: i64, per: i64| {
        if per <= 0 { 0 } else { value.div_euclid(per) }
    };
    let min_of = |pick: &dyn Fn(&StockFigures) -> i64| {
        components
            .iter()
            .map(|(figures, per)| whole(pick(figures), *per))
            .min()
            .unwrap_or(0)
    };
    let on_hand = min_of(&|f| f.on_hand);
    let theoretical = min_of(&|f| f.theoretical());
    let sellable = min_of(&|f| f.sellable());
    StockFigures {
        on_hand,
        reserved: on_hand - theoretical,
        unreviewed_demand: theoretical - sellable,
        in_transit: min_of(&|f| f.in_transit),
    }
}

/// Resolves sold lines `(product, quantity)` to single items: a bundle becomes its
/// components times the quantity. `components_of` gives a bundle's components, or an
/// empty slice for a single item. Returns one entry per single item, sorted by product.
pub fn explode<P, F>(lines: &[(P, i64)], components_of: F) -> Vec<(P, i64)>
where
    P: Ord + Copy,
    F: Fn(P) -> Vec<(P, i64)>,
{
    let mut totals: BTreeMap<P, i64> = BTreeMap::new();
    for &(product, quantity) in lines {
        let components = components_of(product);
        if components.is_empty() {
            *totals.entry(product).or_default() += quantity;
        } else {
            for (component, per_bundle) in components {
                *totals.entry(component).or_default() += quantity * per_bundle;
            }
        }
    }
    totals.into_iter().collect()
}

/// Whether a movement of `delta` is allowed for a product with `on_hand`: negative stock is
/// refused unless the shop allows it.
pub fn movement_allowed(on_hand: i64, delta: i64, allow_negative: bool) -> bool {
    allow_negative || delta >= 0 || on_hand + delta >= 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sellable_settings_table() {
        // (deduct_paid, deduct_unpaid, after_days, order paid, age days) → deducts
        let cases = [
            ((true, false, 0), (true, 0), true),
            ((true, false, 0), (false, 9), false),
            ((false, false, 0), (true, 0), false),
            ((false, true, 0), (false, 0), true),
            ((true, true, 3), (false, 2), false),
            ((true, true, 3), (false, 3), true),
            ((true, true, 3), (true, 0), true),
        ];
        for ((deduct_paid, deduct_unpaid, unpaid_after_days), (paid, age), expected) in cases {
            let settings = SellableSettings {
                deduct_paid,
                deduct_unpaid,
                unpaid_after_days,
            };
            assert_eq!(
                settings.deducts(paid, age),
                expected,
                "{settings:?} paid={paid} age={age}"
            );
        }
    }

    #[test]
    fn figures_follow_the_domain() {
        // (on hand, reserved, unreviewed, in transit) → (theoretical, sellable)
        let cases = [
            ((10, 0, 0, 0), (10, 10)),
            ((10, 3, 0, 5), (7, 7)),
            ((10, 3, 2, 0), (7, 5)),
            ((2, 3, 1, 0), (-1, -2)),
        ];
        for ((on_hand, reserved, unreviewed_demand, in_transit), (theoretical, sellable)) in cases {
            let f = StockFigures {
                on_hand,
                reserved,
                unreviewed_demand,
                in_transit,
            };
            assert_eq!(
                (f.theoretical(), f.sellable()),
                (theoretical, sellable),
                "{f:?}"
            );
        }
    }

    #[test]
    fn bundles_are_the_minimum_of_their_components() {
        let cup = StockFigures {
            on_hand: 10,
            reserved: 2,
            unreviewed_demand: 1,
            in_transit: 6,
        };
        let saucer = StockFigures {
            on_hand: 7,
            reserved: 0,
            unreviewed_demand: 0,
            in_transit: 0,
        };
        // A set of 2 cups and 1 saucer: 5 by cups on hand, 7 by saucers.
        let set = bundle_figures(&[(cup, 2), (saucer, 1)]);
        assert_eq!(set.on_hand, 5);
        assert_eq!(set.theoretical(), 4);
        assert_eq!(set.sellable(), 3);
        assert_eq!(set.in_transit, 0);
        assert_eq!(bundle_figures(&[]), StockFigures::default());
    }

    #[test]
    fn explode_resolves_bundles() {
        // Product 9 is a bundle of 2 × 1 and 1 × 2.
        let components = |p: i64| if p == 9 { vec![(1, 2), (2, 1)] } else { vec![] };
        type Lines = &'static [(i64, i64)];
        let cases: &[(Lines, Lines)] = &[
            (&[(1, 1)], &[(1, 1)]),
            (&[(9, 1)], &[(1, 2), (2, 1)]),
            (&[(9, 3), (1, 1), (3, 4)], &[(1, 7), (2, 3), (3, 4)]),
            (&[], &[]),
        ];
        for (lines, expected) in cases {
            assert_eq!(explode(lines, components), expected.to_vec(), "{lines:?}");
        }
    }

    #[test]
    fn negative_stock_rule() {
        assert!(movement_allowed(5, -5, false));
        assert!(!movement_allowed(5, -6, false));
        assert!(movement_allowed(5, -6, true));
        assert!(movement_allowed(-3, 1, false));
    }

    #[test]
    fn reason_codes_round_trip() {
        for reason in MovementReason::ALL {
            assert_eq!(MovementReason::from_code(reason.code()), Some(reason));
        }
    }
}
