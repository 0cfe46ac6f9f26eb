//! The order life cycle of DOMAIN.md as a pure state machine.
//!
//! [`transition`] takes an order's status and an [`Event`] and returns the new status and
//! the [`StockEffect`] to apply, or a [`Refusal`] that says why the event is not allowed.
//! The store applies the result inside one transaction; the UI and the CLI only ever
//! go through here, so a rule is written once.

use std::fmt;

/// The system state of an order (系统状态). Payment and hold are kept beside it in
/// [`OrderStatus`], as DOMAIN.md keeps payment separate from the state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrderState {
    /// 未审核: imported, not yet reviewed.
    PendingReview,
    /// 未确定: reviewed; waiting for payment (manual orders) or for printing.
    Approved,
    /// 已确认: waybill and pick list printed, not yet inspected and shipped.
    Printed,
    /// 已发货: left the warehouse.
    Shipped,
    /// 归档: closed for good, nothing may change.
    Archived,
    /// 交易关闭: cancelled or closed.
    Cancelled,
}

impl OrderState {
    pub const ALL: [OrderState; 6] = [
        OrderState::PendingReview,
        OrderState::Approved,
        OrderState::Printed,
        OrderState::Shipped,
        OrderState::Archived,
        OrderState::Cancelled,
    ];

    /// The stable name used in the database and in `orders --json`.
    pub fn code(self) -> &'static str {
        match self {
            OrderState::PendingReview => "pending_review",
            OrderState::Approved => "approved",
            OrderState::Printed => "printed",
            OrderState::Shipped => "shipped",
            OrderState::Archived => "archived",
            OrderState::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<OrderState> {
        OrderState::ALL
            .into_iter()
            .find(|state| state.code() == code)
    }

    /// Whether orders in this state hold a reservation on stock (approved, not shipped).
    pub fn reserves_stock(self) -> bool {
        matches!(self, OrderState::Approved | OrderState::Printed)
    }

    /// Whether the order may still be edited (receiver, lines, merge): before printing.
    pub fn is_editable(self) -> bool {
        matches!(self, OrderState::PendingReview | OrderState::Approved)
    }
}

impl fmt::Display for OrderState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Payment status, separate from the state (DOMAIN.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PaymentStatus {
    Unpaid,
    Paid,
    PartlyRefunded,
    Refunded,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 4] = [
        PaymentStatus::Unpaid,
        PaymentStatus::Paid,
        PaymentStatus::PartlyRefunded,
        PaymentStatus::Refunded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PaymentStatus::Unpaid => "unpaid",
            PaymentStatus::Paid => "paid",
            PaymentStatus::PartlyRefunded => "partly_refunded",
            PaymentStatus::Refunded => "refunded",
        }
    }

    pub fn from_code(code: &str) -> Option<PaymentStatus> {
        PaymentStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the buyer has paid (a partial refund still counts as paid).
    pub fn is_paid(self) -> bool {
        matches!(self, PaymentStatus::Paid | PaymentStatus::PartlyRefunded)
    }
}

/// The coloured flag on an order (旗帜). Meanings are the shop's conventions (DOMAIN.md),
/// editable in Settings; these are just the colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Flag {
    #[default]
    None,
    Red,
    Yellow,
    Green,
    Blue,
    Purple,
}

impl Flag {
    pub const ALL: [Flag; 6] = [
        Flag::None,
        Flag::Red,
        Flag::Yellow,
        Flag::Green,
        Flag::Blue,
        Flag::Purple,
    ];

    /// The word used in the database, the CLI and `orders --json`.
    pub fn code(self) -> &'static str {
        match self {
            Flag::None => "none",
            Flag::Red => "red",
            Flag::Yellow => "yellow",
            Flag::Green => "green",
            Flag::Blue => "blue",
            Flag::Purple => "purple",
        }
    }

    pub fn from_code(code: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The default meaning of each colour, from the source shop (DOMAIN.md).
    pub fn default_meaning(self) -> &'static str {
        match self {
            Flag::None => "",
            Flag::Red => "problem / complaint",
            Flag::Yellow => "cannot ship yet (out of stock, wrong size)",
            Flag::Green => "bank transfer received (note bank and amount)",
            Flag::Blue => "exchange in progress (note courier and tracking number)",
            Flag::Purple => "return in progress",
        }
    }
}

/// Everything the state machine needs to know about an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OrderStatus {
    pub state: OrderState,
    pub paid: bool,
    pub on_hold: bool,
    /// Cash on delivery: the courier collects, so printing does not wait for payment.
    pub cash_on_delivery: bool,
}

impl OrderStatus {
    pub fn new(state: OrderState) -> OrderStatus {
        OrderStatus {
            state,
            paid: false,
            on_hold: false,
            cash_on_delivery: false,
        }
    }
}

/// What can happen to an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// 审核: the owner approves the order; stock is reserved.
    Review,
    /// 到款: payment received for an unpaid order.
    PaymentReceived,
    /// Waybill and pick list printed (also a reprint of a printed order).
    Print,
    /// The packer's scan of every item matched the order; it ships.
    PackCheckPassed,
    /// Shipped without a scan check (confirmed by hand).
    Ship,
    /// Cancel / close; releases any reservation.
    Cancel,
    /// Put on hold: nothing is printed or shipped until released.
    Hold,
    Release,
    /// The buyer sent the goods back; they are restocked.
    Return,
    /// Close for good.
    Archive,
    /// Step back where allowed: un-review an approved order (反审核), void the print of a
    /// printed one, reopen a cancelled one for review.
    Reopen,
}

impl Event {
    pub const ALL: [Event; 11] = [
        Event::Review,
        Event::PaymentReceived,
        Event::Print,
        Event::PackCheckPassed,
        Event::Ship,
        Event::Cancel,
        Event::Hold,
        Event::Release,
        Event::Return,
        Event::Archive,
        Event::Reopen,
    ];

    /// The event as a verb of "cannot … an order": what the refusal says was tried.
    pub fn verb(self) -> &'static str {
        match self {
            Event::PaymentReceived => "record a payment on",
            Event::PackCheckPassed => "pass the pack check of",
            other => other.code(),
        }
    }

    /// The stable name used in the event log.
    pub fn code(self) -> &'static str {
        match self {
            Event::Review => "review",
            Event::PaymentReceived => "payment_received",
            Event::Print => "print",
            Event::PackCheckPassed => "pack_check_passed",
            Event::Ship => "ship",
            Event::Cancel => "cancel",
            Event::Hold => "hold",
            Event::Release => "release",
            Event::Return => "return",
            Event::Archive => "archive",
            Event::Reopen => "reopen",
        }
    }
}

/// What a transition does to stock. Reservations are derived from the state (approved and
/// printed orders reserve), so only physical movements need to be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StockEffect {
    None,
    /// Starts reserving the order's items (theoretical stock goes down).
    Reserve,
    /// Stops reserving them (cancel, un-review).
    Release,
    /// The goods leave: on hand goes down by the order's items, the reservation ends.
    TakeFromOnHand,
    /// The goods come back in sellable condition: on hand goes up.
    Restock,
}

/// Why an event was refused, in words the user can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: OrderStatus,
    pub event: Event,
    pub reason: &'static str,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot {} an order that is {}: {}",
            self.event.verb(),
            self.status.state.code().replace('_', " "),
            self.reason
        )
    }
}

impl std::error::Error for Refusal {}

/// What an entry of an order's event log records: a move of the state machine, or one of
/// the changes that leave the state as it is. Stored as its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogKind {
    Created,
    /// A newer export changed the order.
    Import,
    /// The state machine moved the order.
    Event(Event),
    Flag,
    Remark,
    Merge,
    Unmerge,
    Split,
    /// The receiver's name, phone or address changed.
    Receiver,
    /// Unmatched lines were matched to a product.
    Match,
    /// The order was sent again as a reshipment (补发).
    Reship,
    /// A manual order's lines, postage or cash on delivery were changed before printing.
    Lines,
    /// An after-sales case was opened on the order, or refunded, flagged or closed.
    Case,
    /// Customer service followed up an unpaid order (未付款订单跟进).
    FollowUp,
    Shipping(crate::domain::shipping::ShippingLog),
}

impl LogKind {
    /// Every kind, for parsing and for tables of cases.
    pub fn all() -> Vec<LogKind> {
        use crate::domain::shipping::ShippingLog;
        let mut all = vec![
            LogKind::Created,
            LogKind::Import,
            LogKind::Flag,
            LogKind::Remark,
            LogKind::Merge,
            LogKind::Unmerge,
            LogKind::Split,
            LogKind::Receiver,
            LogKind::Match,
            LogKind::Reship,
            LogKind::Lines,
            LogKind::Case,
            LogKind::FollowUp,
        ];
        all.extend(Event::ALL.into_iter().map(LogKind::Event));
        all.extend(
            [
                ShippingLog::Tracking,
                ShippingLog::Reprint,
                ShippingLog::CourierChange,
                ShippingLog::Weight,
            ]
            .map(LogKind::Shipping),
        );
        all
    }

    /// The code stored in the event log.
    pub fn code(self) -> &'static str {
        match self {
            LogKind::Created => "created",
            LogKind::Import => "import",
            LogKind::Event(event) => event.code(),
            LogKind::Flag => "flag",
            LogKind::Remark => "remark",
            LogKind::Merge => "merge",
            LogKind::Unmerge => "unmerge",
            LogKind::Split => "split",
            LogKind::Receiver => "receiver",
            LogKind::Match => "match",
            LogKind::Reship => "reship",
            LogKind::Lines => "lines",
            LogKind::Case => "case",
            LogKind::FollowUp => "follow_up",
            LogKind::Shipping(kind) => kind.code(),
        }
    }

    pub fn from_code(code: &str) -> Option<LogKind> {
        LogKind::all().into_iter().find(|k| k.code() == code)
    }
}

/// The order state machine: `(status, event) → (new status, stock effect) | refusal`.
pub fn transition(
    status: OrderStatus,
    event: Event,
) -> Result<(OrderStatus, StockEffect), Refusal> {
    use Event::*;
    use OrderState::*;
    let refuse = |reason: &'static str| {
        Err(Refusal {
            status,
            event,
            reason,
        })
    };
    if status.state == Archived {
        return refuse("archived orders cannot change");
    }
    let mut next = status;
    let effect = match (event, status.state) {
        (Review, PendingReview) => {
            next.state = Approved;
            StockEffect::Reserve
        }
        (Review, _) => return refuse("only orders pending review can be reviewed"),

        (PaymentReceived, Cancelled) => return refuse("the order is cancelled"),
        (PaymentReceived, _) if status.paid => return refuse("the order is already paid"),
        (PaymentReceived, _) => {
            next.paid = true;
            StockEffect::None
        }

        (Print, _) if status.on_hold => return refuse("the order is on hold"),
        (Print, Approved) if !status.paid && !status.cash_on_delivery => {
            return refuse("payment has not been received");
        }
        (Print, Approved) => {
            next.state = Printed;
            StockEffect::None
        }
        // A reprint: allowed and logged, nothing else changes.
        (Print, Printed) => StockEffect::None,
        (Print, PendingReview) => return refuse("review the order first"),
        (Print, _) => return refuse("only approved orders can be printed"),

        (PackCheckPassed | Ship, _) if status.on_hold => return refuse("the order is on hold"),
        (PackCheckPassed | Ship, Printed) => {
            next.state = Shipped;
            StockEffect::TakeFromOnHand
        }
        (PackCheckPassed | Ship, _) => return refuse("only printed orders can ship"),

        (Cancel, PendingReview) => {
            next.state = Cancelled;
            next.on_hold = false;
            StockEffect::None
        }
        (Cancel, Approved | Printed) => {
            next.state = Cancelled;
            next.on_hold = false;
            StockEffect::Release
        }
        (Cancel, Shipped) => return refuse("the goods have left; record a return instead"),
        (Cancel, _) => return refuse("the order is already cancelled"),

        (Hold, PendingReview | Approved | Printed) if status.on_hold => {
            return refuse("the order is already on hold");
        }
        (Hold, PendingReview | Approved | Printed) => {
            next.on_hold = true;
            StockEffect::None
        }
        (Hold, _) => return refuse("only orders that have not shipped can be held"),
        (Release, _) if !status.on_hold => return refuse("the order is not on hold"),
        (Release, _) => {
            next.on_hold = false;
            StockEffect::None
        }

        (Return, Shipped) => StockEffect::Restock,
        (Return, _) => return refuse("only shipped orders can be returned"),

        (Archive, Shipped) => {
            next.state = Archived;
            StockEffect::None
        }
        (Archive, _) => return refuse("only shipped orders can be archived"),

        (Reopen, Approved) => {
            next.state = PendingReview;
            StockEffect::Release
        }
        (Reopen, Printed) => {
            next.state = Approved;
            StockEffect::None
        }
        (Reopen, Cancelled) => {
            next.state = PendingReview;
            StockEffect::None
        }
        (Reopen, _) => return refuse("nothing to reopen"),
    };
    Ok((next, effect))
}

#[cfg(test)]
mod tests {
    use super::OrderState::*;
    use super::*;

    /// The expected outcome of every state × event pair, for a paid order not on hold.
    /// `None` is a refusal.
    fn expected(state: OrderState, event: Event) -> Option<(OrderState, StockEffect)> {
        use Event as E;
        use StockEffect as S;
        let row: [(Event, Option<(OrderState, StockEffect)>); 11] = match state {
            PendingReview => [
                (E::Review, Some((Approved, S::Reserve))),
                (E::PaymentReceived, None), // already paid
                (E::Print, None),
                (E::PackCheckPassed, None),
                (E::Ship, None),
                (E::Cancel, Some((Cancelled, S::None))),
                (E::Hold, Some((PendingReview, S::None))),
                (E::Release, None),
                (E::Return, None),
                (E::Archive, None),
                (E::Reopen, None),
            ],
            Approved => [
                (E::Review, None),
                (E::PaymentReceived, None),
                (E::Print, Some((Printed, S::None))),
                (E::PackCheckPassed, None),
                (E::Ship, None),
                (E::Cancel, Some((Cancelled, S::Release))),
                (E::Hold, Some((Approved, S::None))),
                (E::Release, None),
                (E::Return, None),
                (E::Archive, None),
                (E::Reopen, Some((PendingReview, S::Release))),
            ],
            Printed => [
                (E::Review, None),
                (E::PaymentReceived, None),
                (E::Print, Some((Printed, S::None))),
                (E::PackCheckPassed, Some((Shipped, S::TakeFromOnHand))),
                (E::Ship, Some((Shipped, S::TakeFromOnHand))),
                (E::Cancel, Some((Cancelled, S::Release))),
                (E::Hold, Some((Printed, S::None))),
                (E::Release, None),
                (E::Return, None),
                (E::Archive, None),
                (E::Reopen, Some((Approved, S::None))),
            ],
            Shipped => [
                (E::Review, None),
                (E::PaymentReceived, None),
                (E::Print, None),
                (E::PackCheckPassed, None),
                (E::Ship, None),
                (E::Cancel, None),
                (E::Hold, None),
                (E::Release, None),
                (E::Return, Some((Shipped, S::Restock))),
                (E::Archive, Some((Archived, S::None))),
                (E::Reopen, None),
            ],
            Archived => [
                (E::Review, None),
                (E::PaymentReceived, None),
                (E::Print, None),
                (E::PackCheckPassed, None),
                (E::Ship, None),
                (E::Cancel, None),
                (E::Hold, None),
                (E::Release, None),
                (E::Return, None),
                (E::Archive, None),
                (E::Reopen, None),
            ],
            Cancelled => [
                (E::Review, None),
                (E::PaymentReceived, None),
                (E::Print, None),
                (E::PackCheckPassed, None),
                (E::Ship, None),
                (E::Cancel, None),
                (E::Hold, None),
                (E::Release, None),
                (E::Return, None),
                (E::Archive, None),
                (E::Reopen, Some((PendingReview, S::None))),
            ],
        };
        row.into_iter()
            .find(|(e, _)| *e == event)
            .and_then(|(_, outcome)| outcome)
    }

    #[test]
    fn every_state_and_event_of_a_paid_order() {
        for state in OrderState::ALL {
            for event in Event::ALL {
                let status = OrderStatus {
                    paid: true,
                    ..OrderStatus::new(state)
                };
                let got = transition(status, event)
                    .ok()
                    .map(|(next, effect)| (next.state, effect));
                assert_eq!(got, expected(state, event), "{state:?} × {event:?}");
            }
        }
    }

    /// Payment, hold and cash on delivery change a few outcomes; each case names one.
    #[test]
    fn payment_hold_and_cod_cases() {
        struct Case {
            state: OrderState,
            paid: bool,
            on_hold: bool,
            cod: bool,
            event: Event,
            outcome: Option<(OrderState, bool, bool)>, // (state, paid, on_hold)
        }
        let case = |state, paid, on_hold, cod, event, outcome| Case {
            state,
            paid,
            on_hold,
            cod,
            event,
            outcome,
        };
        let cases = [
            case(Approved, false, false, false, Event::Print, None),
            case(
                Approved,
                false,
                false,
                true,
                Event::Print,
                Some((Printed, false, false)),
            ),
            case(
                Approved,
                false,
                false,
                false,
                Event::PaymentReceived,
                Some((Approved, true, false)),
            ),
            case(
                PendingReview,
                false,
                false,
                false,
                Event::PaymentReceived,
                Some((PendingReview, true, false)),
            ),
            case(
                Shipped,
                false,
                false,
                true,
                Event::PaymentReceived,
                Some((Shipped, true, false)),
            ),
            case(Cancelled, false, false, false, Event::PaymentReceived, None),
            case(Approved, true, true, false, Event::Print, None),
            case(Printed, true, true, false, Event::Ship, None),
            case(Printed, true, true, false, Event::PackCheckPassed, None),
            case(Printed, true, true, false, Event::Hold, None),
            case(
                Printed,
                true,
                true,
                false,
                Event::Release,
                Some((Printed, true, false)),
            ),
            case(
                PendingReview,
                true,
                true,
                false,
                Event::Review,
                Some((Approved, true, true)),
            ),
            case(
                Approved,
                true,
                true,
                false,
                Event::Cancel,
                Some((Cancelled, true, false)),
            ),
            case(Archived, true, true, false, Event::Release, None),
        ];
        for c in cases {
            let status = OrderStatus {
                state: c.state,
                paid: c.paid,
                on_hold: c.on_hold,
                cash_on_delivery: c.cod,
            };
            let got = transition(status, c.event)
                .ok()
                .map(|(next, _)| (next.state, next.paid, next.on_hold));
            assert_eq!(got, c.outcome, "{status:?} × {:?}", c.event);
        }
    }

    #[test]
    fn refusals_say_why() {
        let archived = OrderStatus::new(Archived);
        let Err(refusal) = transition(archived, Event::Hold) else {
            panic!("archived orders must refuse every event");
        };
        assert_eq!(
            refusal.to_string(),
            "cannot hold an order that is archived: archived orders cannot change"
        );
    }

    #[test]
    fn codes_round_trip() {
        for state in OrderState::ALL {
            assert_eq!(OrderState::from_code(state.code()), Some(state));
        }
        for flag in Flag::ALL {
            assert_eq!(Flag::from_code(flag.code()), Some(flag));
        }
        for payment in PaymentStatus::ALL {
            assert_eq!(PaymentStatus::from_code(payment.code()), Some(payment));
        }
    }
}
