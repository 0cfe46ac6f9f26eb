//! The pack check (验货) and the courier hand-over (交接), the rules without a database:
//! what a scan typed by the barcode scanner means, counting the single items of an order
//! as they go into the parcel, which orders may leave the warehouse, and which parcels a
//! courier's hand-over may take.
//!
//! The check stops at the first wrong item, the first item too many or an order that must
//! not leave: a stopped check counts nothing more until it is cleared explicitly, so a
//! scan is never taken silently after a mistake.

use std::fmt;

use super::{OrderState, PaymentStatus};

/// What the packer scans (or presses Escape for) to acknowledge a stopped check.
pub const CLEAR_CODE: &str = "CLEAR";

/// The most pieces one scan or one typed quantity may count.
pub const MAX_SCAN_QUANTITY: i64 = 9999;

/// The heaviest parcel a weight entry accepts, in grams.
pub const MAX_WEIGHT_GRAMS: i64 = 100_000;

/// The number printed on a hand-over list (and in its barcode) for a hand-over id.
pub fn handover_number(id: i64) -> String {
    format!("HO{id:06}")
}

/// An item scan as the scanner typed it: a barcode or product code, and how many it counts
/// (`CODE*N` counts N, anything else one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemScan {
    pub code: String,
    pub quantity: i64,
}

/// Reads an item scan: surrounding blanks are dropped; `CODE*N` with N from 1 to
/// [`MAX_SCAN_QUANTITY`] counts N. A `*` followed by anything else is part of the code.
pub fn parse_item_scan(text: &str) -> Option<ItemScan> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some((code, count)) = text.rsplit_once('*') {
        let code = code.trim();
        let count = count.trim();
        if !code.is_empty() && !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()) {
            let quantity = count.parse::<i64>().ok()?;
            if !(1..=MAX_SCAN_QUANTITY).contains(&quantity) {
                return None;
            }
            return Some(ItemScan {
                code: code.to_owned(),
                quantity,
            });
        }
    }
    Some(ItemScan {
        code: text.to_owned(),
        quantity: 1,
    })
}

/// True for the scan (or typed word) that clears a stopped check.
pub fn is_clear(text: &str) -> bool {
    text.trim().eq_ignore_ascii_case(CLEAR_CODE)
}

/// Reads a parcel weight in grams typed or sent by a scale as keyboard input: `1250`,
/// `1250g`, `1.25kg`. `None` for anything else or outside 1 g to [`MAX_WEIGHT_GRAMS`].
pub fn parse_weight(text: &str) -> Option<i64> {
    let text = text.trim().to_ascii_lowercase();
    let grams = if let Some(kg) = text.strip_suffix("kg") {
        let kg = kg.trim();
        let (whole, frac) = kg.split_once('.').unwrap_or((kg, ""));
        if whole.is_empty() && frac.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 3
        {
            return None;
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let frac_grams: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse::<i64>().ok()? * 10_i64.pow(3 - frac.len() as u32)
        };
        whole.checked_mul(1000)?.checked_add(frac_grams)?
    } else {
        let g = text.strip_suffix('g').unwrap_or(&text).trim();
        if g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        g.parse().ok()?
    };
    (1..=MAX_WEIGHT_GRAMS).contains(&grams).then_some(grams)
}

/// One single item of the order being packed (bundles exploded, as on the pick list).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackItem {
    pub code: String,
    pub name: String,
    /// Attribute values joined by `/`, e.g. `红色/XL`.
    pub attributes: String,
    pub bin: String,
    /// Every barcode of the product; its code is accepted too.
    pub barcodes: Vec<String>,
    pub expected: i64,
    pub packed: i64,
}

impl PackItem {
    /// True when a scanned code names this item: one of its barcodes exactly, or its code
    /// (Latin letters in either case).
    pub fn answers_to(&self, code: &str) -> bool {
        self.barcodes.iter().any(|b| b == code) || self.code.eq_ignore_ascii_case(code)
    }
}

/// Why a check stopped. The next scan must be a clear.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// The scanned code is not one of the order's items.
    NotInOrder { scanned: String },
    /// One more than the order holds.
    TooMany {
        code: String,
        name: String,
        expected: i64,
        scanned: i64,
    },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::NotInOrder { scanned } => {
                write!(f, "wrong item: {scanned} is not in this order")
            }
            Mismatch::TooMany {
                code,
                expected,
                scanned,
                ..
            } => write!(
                f,
                "too many: {code} is wanted {expected} time(s), {scanned} scanned"
            ),
        }
    }
}

/// What one scan did to the check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScanOutcome {
    /// The item at this index was counted; `done` when every item is now complete.
    Counted { item: usize, done: bool },
    /// The check stopped on this scan.
    Stopped(Mismatch),
    /// The check is stopped already: nothing is counted until it is cleared.
    NeedsClear,
    /// The scan reads as nothing (empty, or a count out of range).
    Unreadable,
}

/// The count of one order's items as the packer scans them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackCheck {
    pub items: Vec<PackItem>,
    /// Set when the check stopped; cleared only by [`PackCheck::clear`].
    pub stopped: Option<Mismatch>,
}

impl PackCheck {
    pub fn new(items: Vec<PackItem>) -> PackCheck {
        PackCheck {
            items,
            stopped: None,
        }
    }

    /// The item a code names, if any.
    pub fn find(&self, code: &str) -> Option<usize> {
        self.items.iter().position(|item| item.answers_to(code))
    }

    /// Counts a scan (`CODE` or `CODE*N`).
    pub fn scan(&mut self, text: &str) -> ScanOutcome {
        if self.stopped.is_some() {
            return ScanOutcome::NeedsClear;
        }
        let Some(scan) = parse_item_scan(text) else {
            return ScanOutcome::Unreadable;
        };
        let Some(at) = self.find(&scan.code) else {
            return self.stop(Mismatch::NotInOrder { scanned: scan.code });
        };
        self.add(at, scan.quantity)
    }

    /// Confirms a typed quantity of one item (a product with many units): the count
    /// becomes `packed`, never more than expected.
    pub fn confirm(&mut self, item: usize, packed: i64) -> ScanOutcome {
        if self.stopped.is_some() {
            return ScanOutcome::NeedsClear;
        }
        let Some(current) = self.items.get(item).map(|i| i.packed) else {
            return ScanOutcome::Unreadable;
        };
        if !(0..=MAX_SCAN_QUANTITY).contains(&packed) {
            return ScanOutcome::Unreadable;
        }
        if packed <= current {
            self.items[item].packed = packed;
            return ScanOutcome::Counted {
                item,
                done: self.is_complete(),
            };
        }
        self.add(item, packed - current)
    }

    fn add(&mut self, at: usize, quantity: i64) -> ScanOutcome {
        let item = &mut self.items[at];
        if item.packed + quantity > item.expected {
            let mismatch = Mismatch::TooMany {
                code: item.code.clone(),
                name: item.name.clone(),
                expected: item.expected,
                scanned: item.packed + quantity,
            };
            return self.stop(mismatch);
        }
        item.packed += quantity;
        ScanOutcome::Counted {
            item: at,
            done: self.is_complete(),
        }
    }

    fn stop(&mut self, mismatch: Mismatch) -> ScanOutcome {
        self.stopped = Some(mismatch.clone());
        ScanOutcome::Stopped(mismatch)
    }

    /// Acknowledges a stop; the counts so far stay.
    pub fn clear(&mut self) {
        self.stopped = None;
    }

    /// Every item counted to its expected quantity (and at least one item).
    pub fn is_complete(&self) -> bool {
        !self.items.is_empty() && self.items.iter().all(|i| i.packed == i.expected)
    }

    pub fn packed(&self) -> i64 {
        self.items.iter().map(|i| i.packed).sum()
    }

    pub fn expected(&self) -> i64 {
        self.items.iter().map(|i| i.expected).sum()
    }

    /// What was checked, `(code, quantity)` in item order: the store compares it with the
    /// order as it stands when the parcel ships, so a change in between is caught.
    pub fn checked(&self) -> Vec<(String, i64)> {
        self.items
            .iter()
            .map(|i| (i.code.clone(), i.expected))
            .collect()
    }

    /// The counts in one line for the log: `A001 2/2, B002 0/1`.
    pub fn progress_text(&self) -> String {
        self.items
            .iter()
            .map(|i| format!("{} {}/{}", i.code, i.packed, i.expected))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What the station must know of an order to let it leave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackFacts {
    pub state: OrderState,
    pub on_hold: bool,
    pub payment: PaymentStatus,
    /// The platform closed the order after its waybill was printed (拦截).
    pub platform_closed: bool,
    /// When and by whom the order shipped, if it did.
    pub shipped: Option<(String, String)>,
    /// Single items to pack; 0 when a line is not matched to a product.
    pub items: usize,
    /// Lines not matched to a product.
    pub unmatched: bool,
}

/// Why an order must not leave the warehouse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackRefusal {
    /// Shipped (or archived) already: when and by whom.
    AlreadyShipped {
        at: String,
        by: String,
    },
    Cancelled,
    /// The platform closed the order after printing: intercept it (拦截).
    ClosedByPlatform,
    Refunded,
    OnHold,
    /// Not printed yet: its waybill and pick list come first.
    NotPrinted(OrderState),
    /// A line is not matched to a product, so nothing tells what to pack.
    Unmatched,
}

impl fmt::Display for PackRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackRefusal::AlreadyShipped { at, by } => {
                write!(f, "already shipped at {at} by {by}")
            }
            PackRefusal::Cancelled => f.write_str("cancelled: do not ship"),
            PackRefusal::ClosedByPlatform => f.write_str(
                "the platform closed this order after printing: intercept it, do not ship",
            ),
            PackRefusal::Refunded => f.write_str("refunded: do not ship"),
            PackRefusal::OnHold => f.write_str("on hold: do not ship"),
            PackRefusal::NotPrinted(state) => write!(
                f,
                "not printed yet ({}): print its waybill first",
                state.code().replace('_', " ")
            ),
            PackRefusal::Unmatched => {
                f.write_str("a line is not matched to a product: match it before packing")
            }
        }
    }
}

/// Whether an order may be packed and shipped, the gravest reason first.
pub fn pack_refusal(facts: &PackFacts) -> Option<PackRefusal> {
    use OrderState::*;
    match facts.state {
        Shipped | Archived => {
            let (at, by) = facts.shipped.clone().unwrap_or_default();
            return Some(PackRefusal::AlreadyShipped { at, by });
        }
        Cancelled => return Some(PackRefusal::Cancelled),
        _ => {}
    }
    if facts.platform_closed {
        return Some(PackRefusal::ClosedByPlatform);
    }
    if facts.payment == PaymentStatus::Refunded {
        return Some(PackRefusal::Refunded);
    }
    if facts.on_hold {
        return Some(PackRefusal::OnHold);
    }
    if facts.state != Printed {
        return Some(PackRefusal::NotPrinted(facts.state));
    }
    if facts.unmatched || facts.items == 0 {
        return Some(PackRefusal::Unmatched);
    }
    None
}

/// How a pack attempt ended, as the attempt log stores it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptResult {
    /// Every item matched; the order shipped.
    Passed,
    /// A wrong item or one too many was caught.
    Mismatch,
    /// The order must not leave (see [`PackRefusal`]).
    Refused,
    /// The packer left the order before it was complete.
    Abandoned,
    /// Shipped without a full check, with a reason.
    Override,
}

impl AttemptResult {
    pub const ALL: [AttemptResult; 5] = [
        AttemptResult::Passed,
        AttemptResult::Mismatch,
        AttemptResult::Refused,
        AttemptResult::Abandoned,
        AttemptResult::Override,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AttemptResult::Passed => "passed",
            AttemptResult::Mismatch => "mismatch",
            AttemptResult::Refused => "refused",
            AttemptResult::Abandoned => "abandoned",
            AttemptResult::Override => "override",
        }
    }

    pub fn from_code(code: &str) -> Option<AttemptResult> {
        AttemptResult::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// What a hand-over must know of a scanned parcel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParcelFacts {
    pub order_no: String,
    pub state: OrderState,
    /// The order's courier record and its name as the order says it.
    pub courier_id: Option<i64>,
    pub courier: String,
    /// The hand-over that has the parcel already.
    pub handed_over: Option<i64>,
}

/// Why a hand-over does not take a parcel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandoverRefusal {
    /// No order has this tracking number.
    Unknown(String),
    /// The parcel goes with another courier.
    OtherCourier { order_no: String, courier: String },
    /// The order has not shipped (no pack check passed).
    NotShipped { order_no: String, state: OrderState },
    /// Scanned into this hand-over already.
    AlreadyScanned { order_no: String },
    /// Handed over before, in that hand-over.
    HandedOver { order_no: String, handover: i64 },
    /// The hand-over is closed.
    Closed(i64),
}

impl fmt::Display for HandoverRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandoverRefusal::Unknown(number) => write!(f, "no order has tracking number {number}"),
            HandoverRefusal::OtherCourier { order_no, courier } => write!(
                f,
                "order {order_no} goes with {}: not this courier's parcel",
                if courier.is_empty() {
                    "no courier"
                } else {
                    courier
                }
            ),
            HandoverRefusal::NotShipped { order_no, state } => write!(
                f,
                "order {order_no} has not shipped ({}): it has not passed the pack check",
                state.code().replace('_', " ")
            ),
            HandoverRefusal::AlreadyScanned { order_no } => {
                write!(f, "order {order_no} is in this hand-over already")
            }
            HandoverRefusal::HandedOver { order_no, handover } => write!(
                f,
                "order {order_no} was handed over already (hand-over {handover})"
            ),
            HandoverRefusal::Closed(id) => write!(f, "hand-over {id} is closed"),
        }
    }
}

/// Whether a hand-over of courier `courier_id` (number `handover`) takes this parcel.
pub fn handover_refusal(
    handover: i64,
    courier_id: i64,
    parcel: &ParcelFacts,
) -> Option<HandoverRefusal> {
    let order_no = parcel.order_no.clone();
    if let Some(other) = parcel.handed_over {
        return Some(if other == handover {
            HandoverRefusal::AlreadyScanned { order_no }
        } else {
            HandoverRefusal::HandedOver {
                order_no,
                handover: other,
            }
        });
    }
    if parcel.courier_id != Some(courier_id) {
        return Some(HandoverRefusal::OtherCourier {
            order_no,
            courier: parcel.courier.clone(),
        });
    }
    if !matches!(parcel.state, OrderState::Shipped | OrderState::Archived) {
        return Some(HandoverRefusal::NotShipped {
            order_no,
            state: parcel.state,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(code: &str, barcodes: &[&str], expected: i64) -> PackItem {
        PackItem {
            code: code.to_owned(),
            name: format!("name of {code}"),
            barcodes: barcodes.iter().map(|b| (*b).to_owned()).collect(),
            expected,
            ..PackItem::default()
        }
    }

    #[test]
    fn item_scans_read_code_and_count() {
        let cases: &[(&str, Option<(&str, i64)>)] = &[
            ("A001", Some(("A001", 1))),
            ("  6901234567892 ", Some(("6901234567892", 1))),
            ("A001*3", Some(("A001", 3))),
            ("A001 * 12", Some(("A001", 12))),
            ("A001*9999", Some(("A001", 9999))),
            ("A001*10000", None),
            ("A001*0", None),
            // A star not followed by a count is part of the code.
            ("AB*C", Some(("AB*C", 1))),
            ("*5", Some(("*5", 1))),
            ("A*B*2", Some(("A*B", 2))),
            ("", None),
            ("   ", None),
        ];
        for (text, expected) in cases {
            let got = parse_item_scan(text).map(|s| (s.code, s.quantity));
            let expected = expected.map(|(c, q)| (c.to_owned(), q));
            assert_eq!(got, expected, "scan {text:?}");
        }
    }

    #[test]
    fn weights_read_grams_and_kilograms() {
        let cases: &[(&str, Option<i64>)] = &[
            ("1250", Some(1250)),
            ("1250g", Some(1250)),
            (" 1250 G ", Some(1250)),
            ("1.25kg", Some(1250)),
            ("0.5KG", Some(500)),
            ("2kg", Some(2000)),
            (".75kg", Some(750)),
            ("1.2345kg", None),
            ("0", None),
            ("100001", None),
            ("100kg", Some(100_000)),
            ("-5", None),
            ("12.5", None),
            ("kg", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_weight(text), *expected, "weight {text:?}");
        }
    }

    #[test]
    fn clear_is_recognised_in_any_case() {
        for (text, expected) in [
            ("CLEAR", true),
            (" clear ", true),
            ("Clear", true),
            ("CLEAR1", false),
            ("", false),
        ] {
            assert_eq!(is_clear(text), expected, "{text:?}");
        }
    }

    #[test]
    fn a_check_counts_barcodes_and_codes_until_complete() {
        let mut check = PackCheck::new(vec![
            item("CUP-01", &["6900000000011"], 2),
            item("LID-01", &["6900000000028", "LID-ALT"], 1),
        ]);
        assert_eq!(
            check.scan("6900000000011"),
            ScanOutcome::Counted {
                item: 0,
                done: false
            }
        );
        assert_eq!(
            check.scan("cup-01"),
            ScanOutcome::Counted {
                item: 0,
                done: false
            }
        );
        assert_eq!(
            check.scan("LID-ALT"),
            ScanOutcome::Counted {
                item: 1,
                done: true
            }
        );
        assert!(check.is_complete());
        assert_eq!(check.progress_text(), "CUP-01 2/2, LID-01 1/1");
        assert_eq!(
            check.checked(),
            vec![("CUP-01".to_owned(), 2), ("LID-01".to_owned(), 1)]
        );
    }

    /// Each row: the scans in order, then what the last scan did, and the counts after.
    #[test]
    fn mistakes_stop_the_check_until_cleared() {
        type Case<'a> = (&'a [&'a str], &'a str, [i64; 2], bool);
        let cases: &[Case] = &[
            (&["X-999"], "not in order", [0, 0], false),
            (&["CUP-01*3"], "too many", [0, 0], false),
            (&["CUP-01*2", "CUP-01"], "too many", [2, 0], false),
            (&["X-999", "CUP-01"], "needs clear", [0, 0], false),
            (&["X-999", "CLEAR", "CUP-01"], "counted", [1, 0], false),
            (&["CUP-01*2", "LID-01"], "counted", [2, 1], true),
            (&["", "CUP-01"], "counted", [1, 0], false),
        ];
        for (scans, last, counts, done) in cases {
            let mut check = PackCheck::new(vec![
                item("CUP-01", &["6900000000011"], 2),
                item("LID-01", &[], 1),
            ]);
            let mut outcome = ScanOutcome::Unreadable;
            for scan in *scans {
                if is_clear(scan) {
                    check.clear();
                    continue;
                }
                outcome = check.scan(scan);
            }
            let kind = match &outcome {
                ScanOutcome::Counted { .. } => "counted",
                ScanOutcome::Stopped(Mismatch::NotInOrder { .. }) => "not in order",
                ScanOutcome::Stopped(Mismatch::TooMany { .. }) => "too many",
                ScanOutcome::NeedsClear => "needs clear",
                ScanOutcome::Unreadable => "unreadable",
            };
            assert_eq!(kind, *last, "scans {scans:?}");
            assert_eq!(
                [check.items[0].packed, check.items[1].packed],
                *counts,
                "scans {scans:?}"
            );
            assert_eq!(check.is_complete(), *done, "scans {scans:?}");
        }
    }

    #[test]
    fn a_typed_quantity_confirms_many_units() {
        let mut check = PackCheck::new(vec![item("SCREW", &[], 200)]);
        assert_eq!(
            check.confirm(0, 200),
            ScanOutcome::Counted {
                item: 0,
                done: true
            }
        );
        assert!(matches!(
            check.confirm(0, 201),
            ScanOutcome::Stopped(Mismatch::TooMany { scanned: 201, .. })
        ));
        check.clear();
        assert_eq!(
            check.confirm(0, 150),
            ScanOutcome::Counted {
                item: 0,
                done: false
            }
        );
        assert_eq!(check.confirm(5, 1), ScanOutcome::Unreadable);
    }

    fn facts(state: OrderState) -> PackFacts {
        PackFacts {
            state,
            on_hold: false,
            payment: PaymentStatus::Paid,
            platform_closed: false,
            shipped: None,
            items: 1,
            unmatched: false,
        }
    }

    #[test]
    fn only_printed_orders_that_may_leave_are_packed() {
        use OrderState::*;
        let shipped = || PackRefusal::AlreadyShipped {
            at: "2026-11-30T09:00:00+08:00".to_owned(),
            by: "小王".to_owned(),
        };
        type Change = fn(&mut PackFacts);
        let cases: Vec<(OrderState, Change, Option<PackRefusal>)> = vec![
            (Printed, |_| {}, None),
            (
                PendingReview,
                |_| {},
                Some(PackRefusal::NotPrinted(PendingReview)),
            ),
            (Approved, |_| {}, Some(PackRefusal::NotPrinted(Approved))),
            (Cancelled, |_| {}, Some(PackRefusal::Cancelled)),
            (
                Shipped,
                |f| f.shipped = Some(("2026-11-30T09:00:00+08:00".into(), "小王".into())),
                Some(shipped()),
            ),
            (
                Archived,
                |f| f.shipped = Some(("2026-11-30T09:00:00+08:00".into(), "小王".into())),
                Some(shipped()),
            ),
            (Printed, |f| f.on_hold = true, Some(PackRefusal::OnHold)),
            (
                Printed,
                |f| f.payment = PaymentStatus::Refunded,
                Some(PackRefusal::Refunded),
            ),
            (Printed, |f| f.payment = PaymentStatus::PartlyRefunded, None),
            (
                Printed,
                |f| f.platform_closed = true,
                Some(PackRefusal::ClosedByPlatform),
            ),
            // The intercept outranks hold and refund: it is what the packer must act on.
            (
                Printed,
                |f| {
                    f.platform_closed = true;
                    f.on_hold = true;
                    f.payment = PaymentStatus::Refunded;
                },
                Some(PackRefusal::ClosedByPlatform),
            ),
            (
                Printed,
                |f| f.unmatched = true,
                Some(PackRefusal::Unmatched),
            ),
            (Printed, |f| f.items = 0, Some(PackRefusal::Unmatched)),
            // A cancelled order on hold is refused as cancelled.
            (
                Cancelled,
                |f| f.on_hold = true,
                Some(PackRefusal::Cancelled),
            ),
        ];
        for (state, change, expected) in cases {
            let mut f = facts(state);
            change(&mut f);
            assert_eq!(pack_refusal(&f), expected, "{f:?}");
        }
    }

    #[test]
    fn attempt_results_round_trip_their_codes() {
        for result in AttemptResult::ALL {
            assert_eq!(AttemptResult::from_code(result.code()), Some(result));
        }
        assert_eq!(AttemptResult::from_code("other"), None);
    }

    #[test]
    fn a_hand_over_takes_only_its_couriers_shipped_parcels_once() {
        let parcel = |state, courier_id, handed_over| ParcelFacts {
            order_no: "T1".to_owned(),
            state,
            courier_id,
            courier: "中通快递".to_owned(),
            handed_over,
        };
        use OrderState::*;
        let cases = [
            (parcel(Shipped, Some(7), None), None),
            (parcel(Archived, Some(7), None), None),
            (
                parcel(Shipped, Some(8), None),
                Some(HandoverRefusal::OtherCourier {
                    order_no: "T1".into(),
                    courier: "中通快递".into(),
                }),
            ),
            (
                parcel(Shipped, None, None),
                Some(HandoverRefusal::OtherCourier {
                    order_no: "T1".into(),
                    courier: "中通快递".into(),
                }),
            ),
            (
                parcel(Printed, Some(7), None),
                Some(HandoverRefusal::NotShipped {
                    order_no: "T1".into(),
                    state: Printed,
                }),
            ),
            (
                parcel(Shipped, Some(7), Some(3)),
                Some(HandoverRefusal::AlreadyScanned {
                    order_no: "T1".into(),
                }),
            ),
            (
                parcel(Shipped, Some(7), Some(2)),
                Some(HandoverRefusal::HandedOver {
                    order_no: "T1".into(),
                    handover: 2,
                }),
            ),
        ];
        for (facts, expected) in cases {
            assert_eq!(handover_refusal(3, 7, &facts), expected, "{facts:?}");
        }
    }
}
