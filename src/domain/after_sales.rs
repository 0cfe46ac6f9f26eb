//! After-sales (售后) rules without a database: the kinds of case, the life of a case as a
//! state machine, how much may be refunded, what a returned line's condition is, what a
//! case does to the order's flag, and the dates a case is due.
//!
//! A case belongs to one order and never changes it where the order may not change (an
//! archived order stays as it is): the case is its own record that points at the order.

use std::fmt;

use super::{Flag, OrderState, PaymentStatus};

/// The number shown for a case, e.g. `AS000042`; the command line also takes the bare id.
pub fn case_number(id: i64) -> String {
    format!("AS{id:06}")
}

/// Reads a case number as typed or scanned: `AS000042`, `as42` or `42`. Longer digit runs
/// (10 digits and more) are tracking or order numbers, not case ids.
pub fn parse_case_number(text: &str) -> Option<i64> {
    let text = text.trim();
    let digits = match text.get(..2) {
        Some(prefix) if prefix.eq_ignore_ascii_case("AS") => &text[2..],
        _ => text,
    };
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|id| *id > 0)
}

/// What the buyer asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CaseType {
    /// 仅退款: money back, the goods stay with the buyer (or never arrived).
    Refund,
    /// 退货退款: the goods come back, then the money.
    Return,
    /// 换货: the goods come back and a replacement goes out.
    Exchange,
    /// 补发: something is sent again (missing, damaged, lost).
    Reship,
    /// 投诉: a complaint, perhaps settled with a compensation refund.
    Complaint,
}

impl CaseType {
    pub const ALL: [CaseType; 5] = [
        CaseType::Refund,
        CaseType::Return,
        CaseType::Exchange,
        CaseType::Reship,
        CaseType::Complaint,
    ];

    /// The code stored and typed on the command line.
    pub fn code(self) -> &'static str {
        match self {
            CaseType::Refund => "refund",
            CaseType::Return => "return",
            CaseType::Exchange => "exchange",
            CaseType::Reship => "reship",
            CaseType::Complaint => "complaint",
        }
    }

    pub fn from_code(code: &str) -> Option<CaseType> {
        let code = code.trim();
        CaseType::ALL
            .into_iter()
            .find(|t| t.code().eq_ignore_ascii_case(code) || t.chinese() == code)
    }

    /// The shop's own word for it.
    pub fn chinese(self) -> &'static str {
        match self {
            CaseType::Refund => "仅退款",
            CaseType::Return => "退货退款",
            CaseType::Exchange => "换货",
            CaseType::Reship => "补发",
            CaseType::Complaint => "投诉",
        }
    }

    /// True when the goods come back before the case can go on.
    pub fn takes_goods_back(self) -> bool {
        matches!(self, CaseType::Return | CaseType::Exchange)
    }

    /// The flag the seed shop's convention puts on the order while the case runs: blue for
    /// an exchange, purple for a return.
    pub fn flag(self) -> Option<Flag> {
        match self {
            CaseType::Exchange => Some(Flag::Blue),
            CaseType::Return => Some(Flag::Purple),
            _ => None,
        }
    }
}

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CaseStatus {
    Open,
    /// The return was agreed; the buyer's parcel is on its way back.
    WaitingReturn,
    /// 退货到货: the parcel came back and was checked.
    ReturnReceived,
    Refunded,
    /// The replacement order was created.
    Exchanged,
    /// The reshipment order was created.
    Reshipped,
    Closed,
    /// Refused, with a reason (buyer withdrew, outside the return period, goods used…).
    Rejected,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 8] = [
        CaseStatus::Open,
        CaseStatus::WaitingReturn,
        CaseStatus::ReturnReceived,
        CaseStatus::Refunded,
        CaseStatus::Exchanged,
        CaseStatus::Reshipped,
        CaseStatus::Closed,
        CaseStatus::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::WaitingReturn => "waiting_return",
            CaseStatus::ReturnReceived => "return_received",
            CaseStatus::Refunded => "refunded",
            CaseStatus::Exchanged => "exchanged",
            CaseStatus::Reshipped => "reshipped",
            CaseStatus::Closed => "closed",
            CaseStatus::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<CaseStatus> {
        let code = code.trim().replace('-', "_");
        CaseStatus::ALL
            .into_iter()
            .find(|s| s.code().eq_ignore_ascii_case(&code))
    }

    /// Closed and rejected cases take no further action.
    pub fn is_final(self) -> bool {
        matches!(self, CaseStatus::Closed | CaseStatus::Rejected)
    }

    /// How many days a case may stay in this status before it is overdue: a day to answer
    /// a new case, seven for the buyer to send the goods back, a day for each next step.
    pub fn days_due(self) -> Option<i64> {
        match self {
            CaseStatus::Open => Some(1),
            CaseStatus::WaitingReturn => Some(7),
            CaseStatus::ReturnReceived
            | CaseStatus::Refunded
            | CaseStatus::Exchanged
            | CaseStatus::Reshipped => Some(1),
            CaseStatus::Closed | CaseStatus::Rejected => None,
        }
    }
}

/// A step of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaseAction {
    /// The return is agreed: wait for the buyer's parcel.
    AwaitReturn,
    /// The return parcel arrived and was checked.
    ReceiveReturn,
    Refund,
    /// Create the replacement order of an exchange.
    Exchange,
    /// Create the reshipment order.
    Reship,
    Close,
    Reject,
}

impl CaseAction {
    pub const ALL: [CaseAction; 7] = [
        CaseAction::AwaitReturn,
        CaseAction::ReceiveReturn,
        CaseAction::Refund,
        CaseAction::Exchange,
        CaseAction::Reship,
        CaseAction::Close,
        CaseAction::Reject,
    ];

    /// The code written in the case's log.
    pub fn code(self) -> &'static str {
        match self {
            CaseAction::AwaitReturn => "await_return",
            CaseAction::ReceiveReturn => "receive",
            CaseAction::Refund => "refund",
            CaseAction::Exchange => "exchange",
            CaseAction::Reship => "reship",
            CaseAction::Close => "close",
            CaseAction::Reject => "reject",
        }
    }
}

/// A case as the state machine sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseState {
    pub kind: CaseType,
    pub status: CaseStatus,
    /// The goods came back (an exchange sent at once may still receive them later).
    pub goods_received: bool,
}

/// Why a step was refused, in words the user can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseRefusal {
    pub state: CaseState,
    pub action: CaseAction,
    pub reason: &'static str,
}

impl fmt::Display for CaseRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.state.kind.code();
        write!(
            f,
            "cannot {} {} {kind} case that is {}: {}",
            self.action.code().replace('_', " "),
            if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            },
            self.state.status.code().replace('_', " "),
            self.reason
        )
    }
}

impl std::error::Error for CaseRefusal {}

/// The case state machine: `(state, action) → new state | refusal`.
///
/// - refund only: open → refunded (again for a further partial refund) → closed;
/// - return: open → waiting → received → refunded → closed; the goods may come back in
///   several parcels (received again while some are missing); a parcel that arrives while
///   the case is still open is received all the same (its arrival agrees the return; the
///   waiting step only records the agreement and the buyer's tracking number); goods
///   refunded before they arrived (a marketplace refund) are still received, the case
///   staying refunded;
/// - exchange: open → waiting → received → exchanged → closed, or exchanged at once
///   (the owner's decision) and the goods received later; it closes only once they came
///   back, unless the owner closes it without them ([`close_without_goods`]);
/// - a closed return or exchange whose goods never came still receives a late parcel;
/// - reship: open → reshipped → closed;
/// - complaint: open → closed, or a compensation refund first;
/// - open, waiting and received cases can be rejected.
pub fn case_transition(state: CaseState, action: CaseAction) -> Result<CaseState, CaseRefusal> {
    use CaseAction as A;
    use CaseStatus as S;
    use CaseType as T;
    let refuse = |reason: &'static str| {
        Err(CaseRefusal {
            state,
            action,
            reason,
        })
    };
    // A parcel that comes after its return or exchange was closed without it is still
    // received: the goods go back on hand, the case stays closed.
    if action == A::ReceiveReturn
        && state.status == S::Closed
        && state.kind.takes_goods_back()
        && !state.goods_received
    {
        return Ok(CaseState {
            goods_received: true,
            ..state
        });
    }
    if state.status.is_final() {
        return refuse("the case is finished");
    }
    let mut next = state;
    match (action, state.kind, state.status) {
        (A::AwaitReturn, T::Return | T::Exchange, S::Open) => next.status = S::WaitingReturn,
        (A::AwaitReturn, T::Return | T::Exchange, _) => {
            return refuse("only a new case waits for the goods");
        }
        (A::AwaitReturn, _, _) => return refuse("no goods come back on this kind of case"),

        (A::ReceiveReturn, T::Return | T::Exchange, _) if state.goods_received => {
            return refuse("everything the case expects came back already");
        }
        (
            A::ReceiveReturn,
            T::Return | T::Exchange,
            S::Open | S::WaitingReturn | S::ReturnReceived,
        ) => {
            next.status = S::ReturnReceived;
            next.goods_received = true;
        }
        (A::ReceiveReturn, T::Exchange, S::Exchanged) => next.goods_received = true,
        // Refunded (on the marketplace, or after a first parcel) before the goods are all
        // back: they still come back, the case stays refunded.
        (A::ReceiveReturn, T::Return, S::Refunded) => next.goods_received = true,
        (A::ReceiveReturn, T::Return | T::Exchange, _) => {
            return refuse("the case is not waiting for goods");
        }
        (A::ReceiveReturn, _, _) => return refuse("the case is not waiting for goods"),

        (A::Refund, T::Refund | T::Complaint, S::Open | S::Refunded) => next.status = S::Refunded,
        (A::Refund, T::Return, S::ReturnReceived | S::Refunded) => next.status = S::Refunded,
        (A::Refund, T::Return, _) => {
            return refuse("the goods have not come back: receive the return first");
        }
        (A::Refund, T::Refund | T::Complaint, _) => return refuse("the case was settled"),
        (A::Refund, T::Exchange | T::Reship, _) => {
            return refuse("this kind of case sends goods, not money");
        }

        (A::Exchange, T::Exchange, S::Open | S::WaitingReturn | S::ReturnReceived) => {
            next.status = S::Exchanged;
        }
        (A::Exchange, T::Exchange, _) => return refuse("the replacement was sent already"),
        (A::Exchange, _, _) => return refuse("only an exchange sends a replacement"),

        (A::Reship, T::Reship, S::Open) => next.status = S::Reshipped,
        (A::Reship, T::Reship, _) => return refuse("the reshipment was sent already"),
        (A::Reship, _, _) => return refuse("only a reshipment case sends the goods again"),

        (A::Close, T::Exchange, S::Exchanged) if !state.goods_received => {
            return refuse(
                "the exchanged goods have not come back: receive them first, or close it \
                 without the goods",
            );
        }
        (A::Close, _, S::Refunded | S::Exchanged | S::Reshipped) => next.status = S::Closed,
        (A::Close, T::Complaint, S::Open) => next.status = S::Closed,
        (A::Close, T::Return, S::ReturnReceived) => {
            return refuse("refund the returned goods first, or reject the case");
        }
        (A::Close, T::Exchange, S::ReturnReceived) => {
            return refuse("send the replacement first, or reject the case");
        }
        (A::Close, _, _) => {
            return refuse("the case has not been settled: settle it first, or reject it");
        }

        (A::Reject, _, S::Open | S::WaitingReturn | S::ReturnReceived) => {
            next.status = S::Rejected;
        }
        (A::Reject, _, _) => return refuse("the case was settled: close it instead"),
    }
    Ok(next)
}

/// Closing a case waiving the goods still to come back (the owner's decision, said in the
/// log): an exchange whose replacement went out while its goods never came. Any other case
/// closes as [`case_transition`] allows. A parcel that comes later is still received.
pub fn close_without_goods(state: CaseState) -> Result<CaseState, CaseRefusal> {
    if state.kind == CaseType::Exchange
        && state.status == CaseStatus::Exchanged
        && !state.goods_received
    {
        return Ok(CaseState {
            status: CaseStatus::Closed,
            ..state
        });
    }
    case_transition(state, CaseAction::Close)
}

/// Rejecting a case: the step [`case_transition`] allows for [`CaseAction::Reject`], or,
/// when the replacement (or reshipment) it sent was cancelled (`replacement_cancelled`),
/// from exchanged or reshipped: nothing reached the buyer, so the case is not settled.
pub fn reject(state: CaseState, replacement_cancelled: bool) -> Result<CaseState, CaseRefusal> {
    let sent = matches!(
        (state.kind, state.status),
        (CaseType::Exchange, CaseStatus::Exchanged) | (CaseType::Reship, CaseStatus::Reshipped)
    );
    if sent && replacement_cancelled {
        Ok(CaseState {
            status: CaseStatus::Rejected,
            ..state
        })
    } else {
        case_transition(state, CaseAction::Reject)
    }
}

/// A return parcel received: the step [`case_transition`] allows for
/// [`CaseAction::ReceiveReturn`], with the goods counted as back only when every line of
/// the case is (`all_back`). A part leaves the case open to the next parcel, and the owner
/// may still settle with what came (refund, send the replacement, or reject).
pub fn receive_goods(state: CaseState, all_back: bool) -> Result<CaseState, CaseRefusal> {
    let mut next = case_transition(state, CaseAction::ReceiveReturn)?;
    next.goods_received = all_back;
    Ok(next)
}

/// A replacement or a reshipment sent (again): the step [`case_transition`] allows for
/// [`CaseAction::Exchange`] or [`CaseAction::Reship`], or, when the order sent before was
/// cancelled (`previous_cancelled`), a new one from the exchanged or reshipped case.
pub fn send_again(
    state: CaseState,
    action: CaseAction,
    previous_cancelled: bool,
) -> Result<CaseState, CaseRefusal> {
    let resend = matches!(
        (action, state.kind, state.status),
        (
            CaseAction::Exchange,
            CaseType::Exchange,
            CaseStatus::Exchanged
        ) | (CaseAction::Reship, CaseType::Reship, CaseStatus::Reshipped)
    );
    if resend && previous_cancelled {
        Ok(state)
    } else {
        case_transition(state, action)
    }
}

/// The status a marketplace refund report's row moves a case to, if it moves it: only
/// forward (open → waiting → received → refunded → closed or rejected), never back from
/// what the shop did since (a received return stays received when the report still says
/// the buyer sent it), and a finished case not at all.
pub fn reported_status(current: CaseStatus, reported: CaseStatus) -> Option<CaseStatus> {
    fn rank(status: CaseStatus) -> u8 {
        match status {
            CaseStatus::Open => 0,
            CaseStatus::WaitingReturn => 1,
            CaseStatus::ReturnReceived => 2,
            CaseStatus::Refunded | CaseStatus::Exchanged | CaseStatus::Reshipped => 3,
            CaseStatus::Closed | CaseStatus::Rejected => 4,
        }
    }
    (!current.is_final() && rank(reported) > rank(current)).then_some(reported)
}

/// Why a case of this kind cannot be opened on an order in this state, if it cannot:
/// goods come back or go out again only after they left (shipped or archived); a refund or a
/// complaint can come at any time once the order exists, even before it ships (仅退款 on
/// an order not sent yet).
pub fn open_refusal(kind: CaseType, state: OrderState) -> Option<&'static str> {
    let left = matches!(state, OrderState::Shipped | OrderState::Archived);
    match kind {
        CaseType::Return | CaseType::Exchange | CaseType::Reship if !left => {
            Some("the goods have not left yet: change or cancel the order instead")
        }
        _ => None,
    }
}

/// What an order gives the refund rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paid {
    /// The goods total as listed (before discounts).
    pub goods_cents: i64,
    pub postage_cents: i64,
    /// What the buyer paid, discounts taken off, postage included.
    pub paid_cents: i64,
    /// Refunded on the order so far (every case and the platform's own refunds).
    pub refunded_cents: i64,
}

/// The most a case may refund: what was paid for its lines (their share of the goods
/// after discounts) plus postage, and never more than is left unrefunded on the order.
/// `lines_cents` is the listed value of the case's lines (`None`: the whole order).
pub fn refund_limit(paid: Paid, lines_cents: Option<i64>) -> i64 {
    let left = (paid.paid_cents - paid.refunded_cents).max(0);
    let Some(lines) = lines_cents else {
        return left;
    };
    let goods_paid = (paid.paid_cents - paid.postage_cents).max(0);
    let lines_paid = if paid.goods_cents <= 0 {
        0
    } else {
        // The lines' share of the goods paid, rounded down, in wide integers.
        let share =
            i128::from(lines.max(0)) * i128::from(goods_paid) / i128::from(paid.goods_cents);
        i64::try_from(share).unwrap_or(i64::MAX).min(goods_paid)
    };
    (lines_paid + paid.postage_cents.max(0)).min(left)
}

/// Why a refund amount is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefundProblem {
    NotPositive,
    /// Above what the case may refund.
    AboveLimit {
        limit_cents: i64,
    },
}

impl fmt::Display for RefundProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefundProblem::NotPositive => write!(f, "a refund must be more than 0.00"),
            RefundProblem::AboveLimit { limit_cents } => write!(
                f,
                "the refund is more than was paid: at most {} can still be refunded on this \
                 case (what was paid for its lines plus postage, less earlier refunds)",
                super::format_cents(*limit_cents)
            ),
        }
    }
}

/// Checks a refund against the limit of [`refund_limit`].
pub fn check_refund(amount_cents: i64, limit_cents: i64) -> Result<(), RefundProblem> {
    if amount_cents <= 0 {
        Err(RefundProblem::NotPositive)
    } else if amount_cents > limit_cents {
        Err(RefundProblem::AboveLimit { limit_cents })
    } else {
        Ok(())
    }
}

/// The payment status after refunds: refunded in full, partly, or as it was.
pub fn payment_after_refunds(
    before: PaymentStatus,
    paid_cents: i64,
    refunded_cents: i64,
) -> PaymentStatus {
    if refunded_cents <= 0 {
        match before {
            PaymentStatus::PartlyRefunded | PaymentStatus::Refunded => PaymentStatus::Paid,
            other => other,
        }
    } else if refunded_cents >= paid_cents {
        PaymentStatus::Refunded
    } else {
        PaymentStatus::PartlyRefunded
    }
}

/// What a returned item is fit for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Condition {
    /// Back on the shelf: on hand goes up.
    Sellable,
    /// Kept apart, not sellable, until a decision is taken.
    Damaged,
}

impl Condition {
    pub fn code(self) -> &'static str {
        match self {
            Condition::Sellable => "sellable",
            Condition::Damaged => "damaged",
        }
    }

    pub fn from_code(code: &str) -> Option<Condition> {
        match code.trim().to_ascii_lowercase().as_str() {
            "sellable" | "ok" | "good" | "可售" => Some(Condition::Sellable),
            "damaged" | "broken" | "残次" | "损坏" => Some(Condition::Damaged),
            _ => None,
        }
    }
}

/// What is done with damaged goods later.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DamagedDecision {
    /// Repaired: back on hand, sellable.
    Repair,
    /// Thrown away.
    WriteOff,
    /// Sent back to the supplier.
    ToSupplier,
}

impl DamagedDecision {
    pub const ALL: [DamagedDecision; 3] = [
        DamagedDecision::Repair,
        DamagedDecision::WriteOff,
        DamagedDecision::ToSupplier,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DamagedDecision::Repair => "repair",
            DamagedDecision::WriteOff => "write_off",
            DamagedDecision::ToSupplier => "to_supplier",
        }
    }

    pub fn from_code(code: &str) -> Option<DamagedDecision> {
        let code = code.trim().to_ascii_lowercase().replace('-', "_");
        match code.as_str() {
            "supplier" => Some(DamagedDecision::ToSupplier),
            _ => DamagedDecision::ALL.into_iter().find(|d| d.code() == code),
        }
    }
}

/// A line of a case as typed: `CODE=QTY`, with `:sellable` or `:damaged` for a received
/// line (sellable when not said).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseLineSpec {
    pub code: String,
    pub quantity: i64,
    pub condition: Condition,
}

/// Reads `CODE=QTY[:sellable|damaged]`; the error says what was expected.
pub fn parse_case_line(text: &str) -> Result<CaseLineSpec, String> {
    let text = text.trim();
    let Some((code, rest)) = text.rsplit_once('=') else {
        return Err(format!(
            "{text:?}: expected CODE=QTY (e.g. TS-RED-M=1), with :sellable or :damaged for \
             goods received"
        ));
    };
    let code = code.trim();
    if code.is_empty() {
        return Err(format!("{text:?}: the product code is missing before '='"));
    }
    let (quantity, condition) = match rest.split_once(':') {
        Some((q, c)) => {
            let condition = Condition::from_code(c).ok_or_else(|| {
                format!("{text:?}: the condition {c:?} is not sellable or damaged")
            })?;
            (q, condition)
        }
        None => (rest, Condition::Sellable),
    };
    let quantity = quantity
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|q| (1..=99_999).contains(q))
        .ok_or_else(|| {
            format!("{text:?}: the quantity {quantity:?} is not a whole number from 1 to 99999")
        })?;
    Ok(CaseLineSpec {
        code: code.to_owned(),
        quantity,
        condition,
    })
}

/// Checks quantities against what the order holds: a case line may not ask for more than
/// the order has of that product, less what earlier cases of the order already took back.
pub fn check_quantity(code: &str, asked: i64, on_order: i64, earlier: i64) -> Result<(), String> {
    let left = on_order - earlier;
    if on_order == 0 {
        Err(format!("{code} is not on the order"))
    } else if asked > left {
        Err(format!(
            "{code}: {asked} asked, but the order has {on_order}{}",
            if earlier > 0 {
                format!(" and earlier cases took {earlier} of them")
            } else {
                String::new()
            }
        ))
    } else {
        Ok(())
    }
}

/// Who is responsible for damage or a loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Responsibility {
    /// Not decided (or nobody: a 7-day return).
    None,
    /// The courier: their name, the tracking number and that they signed are the evidence.
    Courier,
    /// Our packing: the packer who passed the pack check.
    Packing,
    /// The supplier's goods were faulty.
    Supplier,
    Buyer,
}

impl Responsibility {
    pub const ALL: [Responsibility; 5] = [
        Responsibility::None,
        Responsibility::Courier,
        Responsibility::Packing,
        Responsibility::Supplier,
        Responsibility::Buyer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Responsibility::None => "none",
            Responsibility::Courier => "courier",
            Responsibility::Packing => "packing",
            Responsibility::Supplier => "supplier",
            Responsibility::Buyer => "buyer",
        }
    }

    pub fn from_code(code: &str) -> Option<Responsibility> {
        let code = code.trim().to_ascii_lowercase();
        Responsibility::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Who is responsible when the reason says so (courier damage or loss, our packing);
    /// the user may change it.
    pub fn from_reason(reason: &str) -> Responsibility {
        match reason {
            "damaged_in_transit" | "not_received" => Responsibility::Courier,
            "damaged_by_packing" | "wrong_item" | "missing_item" => Responsibility::Packing,
            "quality" => Responsibility::Supplier,
            _ => Responsibility::None,
        }
    }
}

/// The reasons a new database starts with: `(code, English, Chinese)`. The list is
/// editable; codes stay stable for figures.
pub const DEFAULT_REASONS: [(&str, &str, &str); 9] = [
    ("no_reason_7day", "7-day no reason", "七天无理由"),
    ("quality", "Quality problem", "质量问题"),
    ("wrong_item", "Wrong item sent", "发错货"),
    ("missing_item", "Missing item", "漏发/少件"),
    ("damaged_in_transit", "Damaged in transit", "运输破损"),
    ("damaged_by_packing", "Damaged by packing", "包装破损"),
    ("size_colour", "Size/colour", "尺码/颜色不合适"),
    ("not_received", "Not received", "未收到货"),
    ("other", "Other", "其他"),
];

/// Reads a Taobao refund report's status (退款状态) into the case status it means.
pub fn taobao_refund_status(text: &str, goods_back: bool) -> Option<CaseStatus> {
    let text = text.trim();
    Some(match text {
        "退款成功" => CaseStatus::Refunded,
        "退款关闭" | "卖家拒绝退款" => CaseStatus::Rejected,
        "买家已经申请退款，等待卖家同意" | "买家已经申请退款,等待卖家同意" => {
            CaseStatus::Open
        }
        "卖家已经同意退款，等待买家退货" | "卖家已经同意退款,等待买家退货" => {
            if goods_back {
                CaseStatus::WaitingReturn
            } else {
                CaseStatus::Open
            }
        }
        "买家已经退货，等待卖家确认收货" | "买家已经退货,等待卖家确认收货" => {
            CaseStatus::WaitingReturn
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
