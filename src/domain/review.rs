//! The checks before an order is approved (审核): is it complete enough to print a waybill
//! and to reserve its goods? Pure: the store gathers the figures into a [`ReviewInput`].
//!
//! Decisions:
//! - The district (区/县) may be empty: some prefecture-level cities have none (东莞市,
//!   中山市, 儋州市, 嘉峪关市) and the street address carries the town. Province, city
//!   and street are required.
//! - Every phone given must be valid, and at least one must be given. A masked phone
//!   (`138****5678`, as some platform exports show it) is invalid: the courier cannot call it.
//! - Stock is checked per single item, bundles exploded, against theoretical stock (on hand
//!   minus what approved orders hold), as DOMAIN.md deducts it at approval.

use super::order::OrderState;

/// What a review check found wrong. The code is stable (CLI output, tests, translations).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReviewCheck {
    /// Only orders pending review can be approved.
    NotPending,
    /// Merged into another order: review that one.
    MergedAway,
    OnHold,
    ReceiverMissing,
    AddressIncomplete,
    PhoneMissing,
    PhoneInvalid,
    NoLines,
    LineUnmatched,
    StockShort,
}

impl ReviewCheck {
    pub const ALL: [ReviewCheck; 10] = [
        ReviewCheck::NotPending,
        ReviewCheck::MergedAway,
        ReviewCheck::OnHold,
        ReviewCheck::ReceiverMissing,
        ReviewCheck::AddressIncomplete,
        ReviewCheck::PhoneMissing,
        ReviewCheck::PhoneInvalid,
        ReviewCheck::NoLines,
        ReviewCheck::LineUnmatched,
        ReviewCheck::StockShort,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            ReviewCheck::NotPending => "not_pending",
            ReviewCheck::MergedAway => "merged_away",
            ReviewCheck::OnHold => "on_hold",
            ReviewCheck::ReceiverMissing => "receiver_missing",
            ReviewCheck::AddressIncomplete => "address_incomplete",
            ReviewCheck::PhoneMissing => "phone_missing",
            ReviewCheck::PhoneInvalid => "phone_invalid",
            ReviewCheck::NoLines => "no_lines",
            ReviewCheck::LineUnmatched => "line_unmatched",
            ReviewCheck::StockShort => "stock_short",
        }
    }

    pub fn from_code(code: &str) -> Option<ReviewCheck> {
        ReviewCheck::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// One problem that keeps an order from approval, with an English message that says what
/// to do. The UI translates by `check` and shows the message's details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewProblem {
    pub check: ReviewCheck,
    pub message: String,
    /// What the message names, in order, for a translation: the order number first, then
    /// per check the main order (merged away), the state code (not pending), the missing
    /// fields `province`/`city`/`address` (address incomplete), the phone and `masked` or
    /// `invalid` (phone invalid), the SKU and title (line unmatched), the product code,
    /// needed and available quantities (stock short).
    pub args: Vec<String>,
}

impl ReviewProblem {
    fn new(check: ReviewCheck, message: String, args: &[&str]) -> ReviewProblem {
        ReviewProblem {
            check,
            message,
            args: args.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    /// A refusal of the state machine met while approving.
    pub fn refused(order_no: &str, refusal: &super::order::Refusal) -> ReviewProblem {
        ReviewProblem::new(
            ReviewCheck::NotPending,
            format!("order {order_no}: {refusal}"),
            &[order_no, refusal.status.state.code()],
        )
    }

    /// The stable code of the check.
    pub fn code(&self) -> &'static str {
        self.check.code()
    }
}

impl std::fmt::Display for ReviewProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// One order line as the review sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewLine {
    pub sku: String,
    pub title: String,
    /// Matched to a product of the catalogue.
    pub matched: bool,
}

/// One single item the order needs (bundles exploded), with the stock it can take from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewItem {
    pub product_code: String,
    pub needed: i64,
    /// Theoretical stock before this order is approved.
    pub available: i64,
}

/// Everything the review checks need to know of one order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewInput {
    pub order_no: String,
    pub state: OrderState,
    pub on_hold: bool,
    /// The number of the order this one is merged into.
    pub merged_into: Option<String>,
    pub receiver_name: String,
    pub phones: Vec<String>,
    pub province: String,
    pub city: String,
    pub district: String,
    pub address: String,
    pub lines: Vec<ReviewLine>,
    pub items: Vec<ReviewItem>,
}

impl ReviewInput {
    /// An order pending review with nothing filled in, to be completed field by field.
    pub fn new(order_no: &str) -> ReviewInput {
        ReviewInput {
            order_no: order_no.to_owned(),
            state: OrderState::PendingReview,
            on_hold: false,
            merged_into: None,
            receiver_name: String::new(),
            phones: Vec::new(),
            province: String::new(),
            city: String::new(),
            district: String::new(),
            address: String::new(),
            lines: Vec::new(),
            items: Vec::new(),
        }
    }
}

/// What kind of phone number a text is, after removing spaces, dashes, brackets and a
/// +86 / 0086 country prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneKind {
    /// A mainland mobile: 11 digits, `1[3-9]…`.
    Mobile,
    /// A landline with its area code: `0571-88886666`, `010-12345678`, optional extension.
    Landline,
    /// Digits hidden by the platform (`138****5678`).
    Masked,
    Invalid,
}

/// Classifies a phone number (see [`PhoneKind`]).
pub fn phone_kind(text: &str) -> PhoneKind {
    let text = text.trim();
    if text.contains('*') {
        return PhoneKind::Masked;
    }
    // An extension: "0571-88886666-123", "0571-88886666 转 123", "…ext. 123".
    let main = ["转", "ext", "EXT", "#"]
        .iter()
        .find_map(|sep| text.split_once(sep).map(|(head, _)| head))
        .unwrap_or(text);
    let mut cleaned = String::new();
    for c in main.chars() {
        match c {
            '0'..='9' | '+' => cleaned.push(c),
            ' ' | '-' | '(' | ')' | '（' | '）' | '.' | '\u{3000}' => {}
            _ => return PhoneKind::Invalid,
        }
    }
    let digits = cleaned
        .strip_prefix("+86")
        .or_else(|| cleaned.strip_prefix("0086"))
        .unwrap_or(&cleaned);
    if digits.contains('+') {
        return PhoneKind::Invalid;
    }
    // "86 138…" without the plus sign.
    let digits = match digits.strip_prefix("86") {
        Some(rest) if rest.len() == 11 && rest.starts_with('1') => rest,
        _ => digits,
    };
    let bytes = digits.as_bytes();
    if bytes.len() == 11 && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1]) {
        return PhoneKind::Mobile;
    }
    if let Some(landline) = landline_digits(digits) {
        return landline;
    }
    // A dash-separated extension: "0571-88886666-123".
    if let Some((head, tail)) = main.trim().rsplit_once('-')
        && head.contains('-')
        && (1..=5).contains(&tail.trim().len())
        && tail.trim().bytes().all(|b| b.is_ascii_digit())
        && phone_kind(head) == PhoneKind::Landline
    {
        return PhoneKind::Landline;
    }
    PhoneKind::Invalid
}

/// A landline: `0` + area code (2 digits after the 0 for 010 and 02x, else 3) + a local
/// number of 7 or 8 digits not starting with 0 or 1.
fn landline_digits(digits: &str) -> Option<PhoneKind> {
    let bytes = digits.as_bytes();
    if bytes.len() < 10 || bytes[0] != b'0' || bytes[1] == b'0' {
        return None;
    }
    let area = if matches!(bytes[1], b'1' | b'2') {
        3
    } else {
        4
    };
    let local = &bytes[area..];
    if !(b'2'..=b'9').contains(local.first()?) {
        return None;
    }
    (7..=8)
        .contains(&local.len())
        .then_some(PhoneKind::Landline)
}

/// Whether a phone number can go on a waybill.
pub fn phone_is_valid(text: &str) -> bool {
    matches!(phone_kind(text), PhoneKind::Mobile | PhoneKind::Landline)
}

/// Every problem that keeps this order from approval, in a stable order (the order of
/// [`ReviewCheck`], then of the lines and items); empty means it may be approved.
pub fn review_problems(input: &ReviewInput) -> Vec<ReviewProblem> {
    use ReviewCheck::*;
    let no = &input.order_no;
    let mut out = Vec::new();
    if input.state != OrderState::PendingReview {
        out.push(ReviewProblem::new(
            NotPending,
            format!(
                "order {no} is {}: only orders pending review can be approved",
                input.state.code().replace('_', " ")
            ),
            &[no, input.state.code()],
        ));
    }
    if let Some(main) = &input.merged_into {
        out.push(ReviewProblem::new(
            MergedAway,
            format!("order {no} is merged into order {main}: review {main} instead"),
            &[no, main],
        ));
    }
    if input.on_hold {
        out.push(ReviewProblem::new(
            OnHold,
            format!("order {no} is on hold: release it first"),
            &[no],
        ));
    }
    if input.receiver_name.trim().is_empty() {
        out.push(ReviewProblem::new(
            ReceiverMissing,
            format!("order {no} has no receiver name: edit the receiver"),
            &[no],
        ));
    }
    let missing: Vec<&str> = [
        ("province", &input.province),
        ("city", &input.city),
        ("address", &input.address),
    ]
    .into_iter()
    .filter(|(_, value)| value.trim().is_empty())
    .map(|(name, _)| name)
    .collect();
    if !missing.is_empty() {
        out.push(ReviewProblem::new(
            AddressIncomplete,
            format!(
                "order {no}: the address has no {}: edit the receiver's address",
                missing
                    .iter()
                    .map(|m| if *m == "address" { "street address" } else { m })
                    .collect::<Vec<_>>()
                    .join(", no ")
            ),
            &[&[no.as_str()][..], &missing[..]].concat(),
        ));
    }
    let phones: Vec<&str> = input
        .phones
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    if phones.is_empty() {
        out.push(ReviewProblem::new(
            PhoneMissing,
            format!("order {no} has no receiver phone: the courier needs one"),
            &[no],
        ));
    }
    for phone in phones {
        let (why, kind) = match phone_kind(phone) {
            PhoneKind::Mobile | PhoneKind::Landline => continue,
            PhoneKind::Masked => ("is masked: get the full number from the platform", "masked"),
            PhoneKind::Invalid => (
                "is not a mobile (11 digits, 1[3-9]…) or a landline with area code (0571-88886666)",
                "invalid",
            ),
        };
        out.push(ReviewProblem::new(
            PhoneInvalid,
            format!("order {no}: phone {phone} {why}"),
            &[no, phone, kind],
        ));
    }
    if input.lines.is_empty() {
        out.push(ReviewProblem::new(
            NoLines,
            format!("order {no} has no lines: nothing to ship"),
            &[no],
        ));
    }
    for line in input.lines.iter().filter(|l| !l.matched) {
        let sku = if line.sku.trim().is_empty() {
            "(no SKU)"
        } else {
            line.sku.as_str()
        };
        out.push(ReviewProblem::new(
            LineUnmatched,
            format!(
                "order {no}: line {sku} {} is not matched to a product: match the SKU",
                line.title
            )
            .trim_end()
            .to_owned(),
            &[no, line.sku.trim(), &line.title],
        ));
    }
    for item in input.items.iter().filter(|i| i.needed > i.available) {
        out.push(ReviewProblem::new(
            StockShort,
            format!(
                "order {no}: not enough {}: needs {}, theoretical stock {}",
                item.product_code, item.needed, item.available
            ),
            &[
                no,
                &item.product_code,
                &item.needed.to_string(),
                &item.available.to_string(),
            ],
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_table() {
        use PhoneKind::*;
        let cases: &[(&str, PhoneKind)] = &[
            ("13812345678", Mobile),
            ("19912345678", Mobile),
            ("138 1234 5678", Mobile),
            ("138-1234-5678", Mobile),
            ("+86 138 1234 5678", Mobile),
            ("+8613812345678", Mobile),
            ("0086 13812345678", Mobile),
            ("86 13812345678", Mobile),
            (" 13812345678 ", Mobile),
            ("0571-88886666", Landline),
            ("0571 8888 6666", Landline),
            ("(0571)88886666", Landline),
            ("（0571）88886666", Landline),
            ("057188886666", Landline),
            ("010-62345678", Landline),
            ("010-12345678", Invalid),
            ("021-62345678", Landline),
            ("0755-2345678", Landline),
            ("0571-88886666-123", Landline),
            ("0571-8888-6666-123", Landline),
            ("0571-88886666-123456", Invalid),
            ("0571-88886666 转 123", Landline),
            ("0571-88886666 ext 12", Landline),
            ("+86 571 8888 6666", Invalid),
            ("138****5678", Masked),
            ("12812345678", Invalid),
            ("1381234567", Invalid),
            ("138123456789", Invalid),
            ("88886666", Invalid),
            ("0571-08886666", Invalid),
            ("400-800-8888", Invalid),
            ("abc", Invalid),
            ("", Invalid),
        ];
        for (input, expected) in cases {
            assert_eq!(phone_kind(input), *expected, "phone_kind({input:?})");
        }
    }

    fn good() -> ReviewInput {
        let mut input = ReviewInput::new("1001");
        input.receiver_name = "张伟".to_owned();
        input.phones = vec!["13812345678".to_owned(), String::new()];
        input.province = "浙江省".to_owned();
        input.city = "杭州市".to_owned();
        input.district = "西湖区".to_owned();
        input.address = "文三路 1号".to_owned();
        input.lines = vec![ReviewLine {
            sku: "CUP".to_owned(),
            title: "杯子".to_owned(),
            matched: true,
        }];
        input.items = vec![ReviewItem {
            product_code: "CUP".to_owned(),
            needed: 2,
            available: 2,
        }];
        input
    }

    /// Runs one case: the codes found, and a part of each message.
    fn check(change: impl Fn(&mut ReviewInput), expected: &[(&str, &str)]) {
        let mut input = good();
        change(&mut input);
        let problems = review_problems(&input);
        let codes: Vec<&str> = problems.iter().map(ReviewProblem::code).collect();
        let want: Vec<&str> = expected.iter().map(|(code, _)| *code).collect();
        assert_eq!(codes, want, "{input:?}");
        for (problem, (_, part)) in problems.iter().zip(expected) {
            assert!(problem.message.contains(part), "{problem:?} lacks {part:?}");
        }
    }

    #[test]
    fn review_table() {
        check(|_| {}, &[]);
        check(|i| i.district.clear(), &[]);
        check(
            |i| i.state = OrderState::Approved,
            &[("not_pending", "order 1001 is approved")],
        );
        check(
            |i| i.merged_into = Some("900".to_owned()),
            &[("merged_away", "review 900 instead")],
        );
        check(|i| i.on_hold = true, &[("on_hold", "release it first")]);
        check(
            |i| i.receiver_name = " ".to_owned(),
            &[("receiver_missing", "no receiver name")],
        );
        check(
            |i| i.address.clear(),
            &[("address_incomplete", "no street address")],
        );
        check(
            |i| {
                i.province.clear();
                i.city.clear();
            },
            &[("address_incomplete", "no province, no city")],
        );
        check(
            |i| i.phones = vec![String::new(), " ".to_owned()],
            &[("phone_missing", "no receiver phone")],
        );
        check(
            |i| i.phones = vec!["138****5678".to_owned()],
            &[("phone_invalid", "is masked")],
        );
        check(
            |i| i.phones.push("12345".to_owned()),
            &[("phone_invalid", "phone 12345 is not a mobile")],
        );
        check(|i| i.phones = vec!["0571-88886666".to_owned()], &[]);
        check(|i| i.lines.clear(), &[("no_lines", "nothing to ship")]);
        check(
            |i| {
                i.lines.push(ReviewLine {
                    sku: "X9".to_owned(),
                    title: "未知".to_owned(),
                    matched: false,
                });
            },
            &[("line_unmatched", "line X9 未知 is not matched")],
        );
        check(
            |i| i.items[0].available = 1,
            &[(
                "stock_short",
                "not enough CUP: needs 2, theoretical stock 1",
            )],
        );
        check(
            |i| i.items[0].available = -3,
            &[("stock_short", "theoretical stock -3")],
        );
        // Several at once, in the order of the checks.
        check(
            |i| {
                i.on_hold = true;
                i.phones.clear();
                i.items[0].available = 0;
            },
            &[
                ("on_hold", "on hold"),
                ("phone_missing", "phone"),
                ("stock_short", "CUP"),
            ],
        );
    }

    #[test]
    fn codes_are_stable_and_round_trip() {
        for check in ReviewCheck::ALL {
            assert_eq!(ReviewCheck::from_code(check.code()), Some(check));
        }
        assert_eq!(ReviewCheck::StockShort.code(), "stock_short");
    }
}
