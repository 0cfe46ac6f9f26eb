use super::CaseAction as A;
use super::CaseStatus as S;
use super::CaseType as T;
use super::*;

/// Every move a case may make: `(type, status, goods received, action) → status`.
/// Anything not listed is refused.
const ALLOWED: &[(T, S, bool, A, S)] = &[
    (T::Refund, S::Open, false, A::Refund, S::Refunded),
    (T::Refund, S::Refunded, false, A::Refund, S::Refunded),
    (T::Refund, S::Open, false, A::Reject, S::Rejected),
    (T::Refund, S::Refunded, false, A::Close, S::Closed),
    (T::Return, S::Open, false, A::AwaitReturn, S::WaitingReturn),
    (
        T::Return,
        S::Open,
        false,
        A::ReceiveReturn,
        S::ReturnReceived,
    ),
    (
        T::Return,
        S::WaitingReturn,
        false,
        A::ReceiveReturn,
        S::ReturnReceived,
    ),
    (T::Return, S::ReturnReceived, true, A::Refund, S::Refunded),
    // Part of the goods came back: the rest may follow, or the owner settles.
    (
        T::Return,
        S::ReturnReceived,
        false,
        A::ReceiveReturn,
        S::ReturnReceived,
    ),
    (T::Return, S::ReturnReceived, false, A::Refund, S::Refunded),
    (T::Return, S::ReturnReceived, false, A::Reject, S::Rejected),
    (
        T::Exchange,
        S::ReturnReceived,
        false,
        A::ReceiveReturn,
        S::ReturnReceived,
    ),
    (
        T::Exchange,
        S::ReturnReceived,
        false,
        A::Exchange,
        S::Exchanged,
    ),
    (
        T::Exchange,
        S::ReturnReceived,
        false,
        A::Reject,
        S::Rejected,
    ),
    (T::Return, S::Refunded, true, A::Refund, S::Refunded),
    (T::Return, S::Refunded, true, A::Close, S::Closed),
    (T::Return, S::Refunded, false, A::Refund, S::Refunded),
    (T::Return, S::Refunded, false, A::Close, S::Closed),
    (T::Return, S::Refunded, false, A::ReceiveReturn, S::Refunded),
    (T::Return, S::Open, false, A::Reject, S::Rejected),
    (T::Return, S::WaitingReturn, false, A::Reject, S::Rejected),
    (T::Return, S::ReturnReceived, true, A::Reject, S::Rejected),
    (
        T::Exchange,
        S::Open,
        false,
        A::AwaitReturn,
        S::WaitingReturn,
    ),
    (
        T::Exchange,
        S::Open,
        false,
        A::ReceiveReturn,
        S::ReturnReceived,
    ),
    (
        T::Exchange,
        S::WaitingReturn,
        false,
        A::ReceiveReturn,
        S::ReturnReceived,
    ),
    (
        T::Exchange,
        S::Exchanged,
        false,
        A::ReceiveReturn,
        S::Exchanged,
    ),
    (T::Exchange, S::Open, false, A::Exchange, S::Exchanged),
    (
        T::Exchange,
        S::WaitingReturn,
        false,
        A::Exchange,
        S::Exchanged,
    ),
    (
        T::Exchange,
        S::ReturnReceived,
        true,
        A::Exchange,
        S::Exchanged,
    ),
    (T::Return, S::Closed, false, A::ReceiveReturn, S::Closed),
    (T::Exchange, S::Closed, false, A::ReceiveReturn, S::Closed),
    (T::Exchange, S::Exchanged, true, A::Close, S::Closed),
    (T::Exchange, S::Open, false, A::Reject, S::Rejected),
    (T::Exchange, S::WaitingReturn, false, A::Reject, S::Rejected),
    (T::Exchange, S::ReturnReceived, true, A::Reject, S::Rejected),
    (T::Reship, S::Open, false, A::Reship, S::Reshipped),
    (T::Reship, S::Reshipped, false, A::Close, S::Closed),
    (T::Reship, S::Open, false, A::Reject, S::Rejected),
    (T::Complaint, S::Open, false, A::Refund, S::Refunded),
    (T::Complaint, S::Refunded, false, A::Refund, S::Refunded),
    (T::Complaint, S::Open, false, A::Close, S::Closed),
    (T::Complaint, S::Refunded, false, A::Close, S::Closed),
    (T::Complaint, S::Open, false, A::Reject, S::Rejected),
];

/// Statuses a case of this kind can be in with the goods received or not; the rest cannot
/// happen and are not part of the table.
fn reachable(kind: T, status: S, received: bool) -> bool {
    if received && !kind.takes_goods_back() {
        return false;
    }
    match (kind, status) {
        (_, S::Open | S::WaitingReturn) if received => false,
        (T::Return | T::Exchange, S::ReturnReceived) => true,
        (_, S::ReturnReceived) => false,
        (T::Refund | T::Complaint, S::WaitingReturn) => false,
        (T::Reship, S::WaitingReturn | S::Refunded | S::Exchanged) => false,
        (T::Refund | T::Complaint, S::Exchanged | S::Reshipped) => false,
        (T::Return, S::Exchanged | S::Reshipped) => false,
        (T::Exchange, S::Refunded | S::Reshipped) => false,
        _ => true,
    }
}

#[test]
fn every_type_status_and_action() {
    let mut checked = 0;
    for kind in CaseType::ALL {
        for status in CaseStatus::ALL {
            for received in [false, true] {
                if !reachable(kind, status, received) {
                    continue;
                }
                for action in CaseAction::ALL {
                    let state = CaseState {
                        kind,
                        status,
                        goods_received: received,
                    };
                    let expected = ALLOWED
                        .iter()
                        .find(|(k, s, r, a, _)| {
                            *k == kind && *s == status && *r == received && *a == action
                        })
                        .map(|(.., next)| *next);
                    let got = case_transition(state, action);
                    match (expected, got) {
                        (Some(next), Ok(after)) => {
                            assert_eq!(after.status, next, "{state:?} {action:?}");
                            assert_eq!(after.kind, kind);
                            let received_after = received || action == CaseAction::ReceiveReturn;
                            assert_eq!(
                                after.goods_received, received_after,
                                "{state:?} {action:?}"
                            );
                        }
                        (None, Err(refusal)) => {
                            assert!(!refusal.reason.is_empty());
                            assert!(refusal.to_string().starts_with("cannot "), "{refusal}");
                        }
                        (expected, got) => {
                            panic!("{state:?} {action:?}: expected {expected:?}, got {got:?}")
                        }
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 200, "{checked}");
}

#[test]
fn a_receipt_counts_the_goods_back_only_when_all_came() {
    let waiting = CaseState {
        kind: T::Return,
        status: S::WaitingReturn,
        goods_received: false,
    };
    let part = receive_goods(waiting, false).expect("part");
    assert_eq!(
        (part.status, part.goods_received),
        (S::ReturnReceived, false)
    );
    let rest = receive_goods(part, true).expect("rest");
    assert_eq!(
        (rest.status, rest.goods_received),
        (S::ReturnReceived, true)
    );
    let refusal = receive_goods(rest, true).unwrap_err();
    assert_eq!(
        refusal.reason,
        "everything the case expects came back already"
    );
}

#[test]
fn a_refusal_reads_as_english() {
    let state = CaseState {
        kind: T::Exchange,
        status: S::Open,
        goods_received: false,
    };
    let refusal = case_transition(state, A::Close).unwrap_err().to_string();
    assert!(
        refusal.starts_with("cannot close an exchange case that is open: "),
        "{refusal}"
    );
    let state = CaseState {
        kind: T::Return,
        ..state
    };
    let refusal = case_transition(state, A::Close).unwrap_err().to_string();
    assert!(
        refusal.starts_with("cannot close a return case"),
        "{refusal}"
    );
}

#[test]
fn finished_cases_refuse_everything() {
    for kind in CaseType::ALL {
        for status in [S::Closed, S::Rejected] {
            for action in CaseAction::ALL {
                let state = CaseState {
                    kind,
                    status,
                    goods_received: false,
                };
                let late_parcel =
                    status == S::Closed && kind.takes_goods_back() && action == A::ReceiveReturn;
                if late_parcel {
                    continue;
                }
                let refusal = case_transition(state, action).unwrap_err();
                assert_eq!(refusal.reason, "the case is finished");
            }
        }
    }
}

#[test]
fn codes_read_back() {
    for kind in CaseType::ALL {
        assert_eq!(CaseType::from_code(kind.code()), Some(kind));
        assert_eq!(CaseType::from_code(kind.chinese()), Some(kind));
    }
    for status in CaseStatus::ALL {
        assert_eq!(CaseStatus::from_code(status.code()), Some(status));
    }
    assert_eq!(
        CaseStatus::from_code("waiting-return"),
        Some(S::WaitingReturn)
    );
    for d in DamagedDecision::ALL {
        assert_eq!(DamagedDecision::from_code(d.code()), Some(d));
    }
    assert_eq!(
        DamagedDecision::from_code("write-off"),
        Some(DamagedDecision::WriteOff)
    );
    for r in Responsibility::ALL {
        assert_eq!(Responsibility::from_code(r.code()), Some(r));
    }
    assert_eq!(CaseType::from_code("refund-only"), None);
}

#[test]
fn case_numbers() {
    let cases: &[(&str, Option<i64>)] = &[
        ("42", Some(42)),
        ("AS000042", Some(42)),
        ("as42", Some(42)),
        (" 7 ", Some(7)),
        ("0", None),
        ("", None),
        ("AS", None),
        ("SF1234567890", None),
        ("1234567890", None),
        ("123456789", Some(123_456_789)),
        ("12a", None),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_case_number(text), *expected, "{text:?}");
    }
    assert_eq!(case_number(42), "AS000042");
    assert_eq!(parse_case_number(&case_number(1234)), Some(1234));
}

#[test]
fn case_lines() {
    let ok: &[(&str, &str, i64, Condition)] = &[
        ("TS-RED-M=1", "TS-RED-M", 1, Condition::Sellable),
        ("TS-RED-M=2:damaged", "TS-RED-M", 2, Condition::Damaged),
        (" MUG = 3 : sellable ", "MUG", 3, Condition::Sellable),
        ("A=B=1", "A=B", 1, Condition::Sellable),
        ("杯子=1:残次", "杯子", 1, Condition::Damaged),
    ];
    for (text, code, quantity, condition) in ok {
        let line = parse_case_line(text).unwrap();
        assert_eq!(
            (line.code.as_str(), line.quantity, line.condition),
            (*code, *quantity, *condition),
            "{text}"
        );
    }
    let bad: &[(&str, &str)] = &[
        ("MUG", "expected CODE=QTY"),
        ("=1", "product code is missing"),
        ("MUG=0", "not a whole number from 1 to 99999"),
        ("MUG=x", "not a whole number"),
        ("MUG=1:lost", "is not sellable or damaged"),
        ("MUG=1.5", "not a whole number"),
    ];
    for (text, message) in bad {
        let err = parse_case_line(text).unwrap_err();
        assert!(err.contains(message), "{text}: {err}");
    }
}

#[test]
fn quantities_against_the_order() {
    assert!(check_quantity("MUG", 2, 2, 0).is_ok());
    assert!(check_quantity("MUG", 1, 2, 1).is_ok());
    let err = check_quantity("MUG", 2, 2, 1).unwrap_err();
    assert!(err.contains("earlier cases took 1"), "{err}");
    let err = check_quantity("CAP", 1, 0, 0).unwrap_err();
    assert!(err.contains("not on the order"), "{err}");
}

#[test]
fn refund_limits() {
    // goods, postage, paid, refunded, lines → limit
    type Case = (i64, i64, i64, i64, Option<i64>, i64);
    let cases: &[Case] = &[
        // The whole order: what is left.
        (10_000, 1_000, 11_000, 0, None, 11_000),
        (10_000, 1_000, 11_000, 4_000, None, 7_000),
        // One line of 40.00 out of 100.00 goods, no discount: 40.00 + postage.
        (10_000, 1_000, 11_000, 0, Some(4_000), 5_000),
        // With a 10% discount the line was paid 36.00.
        (10_000, 1_000, 10_000, 0, Some(4_000), 4_600),
        // Never above what is left.
        (10_000, 1_000, 11_000, 9_000, Some(4_000), 2_000),
        // Nothing paid: nothing to refund.
        (10_000, 0, 0, 0, Some(4_000), 0),
        (0, 0, 0, 0, None, 0),
        // Free goods (a reshipment): only postage, if any was paid.
        (0, 500, 500, 0, Some(0), 500),
        // Rounding down, never up.
        (300, 0, 200, 0, Some(100), 66),
    ];
    for &(goods, postage, paid, refunded, lines, limit) in cases {
        let p = Paid {
            goods_cents: goods,
            postage_cents: postage,
            paid_cents: paid,
            refunded_cents: refunded,
        };
        assert_eq!(refund_limit(p, lines), limit, "{p:?} {lines:?}");
    }
    assert_eq!(check_refund(0, 100), Err(RefundProblem::NotPositive));
    assert_eq!(
        check_refund(101, 100),
        Err(RefundProblem::AboveLimit { limit_cents: 100 })
    );
    assert!(check_refund(100, 100).is_ok());
    let message = RefundProblem::AboveLimit { limit_cents: 1250 }.to_string();
    assert!(message.contains("12.50"), "{message}");
}

#[test]
fn payment_status_after_refunds() {
    use PaymentStatus as P;
    let cases: &[(P, i64, i64, P)] = &[
        (P::Paid, 10_000, 0, P::Paid),
        (P::Paid, 10_000, 1, P::PartlyRefunded),
        (P::Paid, 10_000, 9_999, P::PartlyRefunded),
        (P::Paid, 10_000, 10_000, P::Refunded),
        (P::PartlyRefunded, 10_000, 10_000, P::Refunded),
        (P::Refunded, 10_000, 0, P::Paid),
        (P::Unpaid, 0, 0, P::Unpaid),
    ];
    for &(before, paid, refunded, after) in cases {
        assert_eq!(payment_after_refunds(before, paid, refunded), after);
    }
}

#[test]
fn flags_and_responsibility() {
    assert_eq!(CaseType::Exchange.flag(), Some(Flag::Blue));
    assert_eq!(CaseType::Return.flag(), Some(Flag::Purple));
    assert_eq!(CaseType::Refund.flag(), None);
    assert_eq!(
        Responsibility::from_reason("damaged_in_transit"),
        Responsibility::Courier
    );
    assert_eq!(
        Responsibility::from_reason("damaged_by_packing"),
        Responsibility::Packing
    );
    assert_eq!(
        Responsibility::from_reason("no_reason_7day"),
        Responsibility::None
    );
}

#[test]
fn taobao_statuses() {
    let cases: &[(&str, bool, Option<S>)] = &[
        ("退款成功", false, Some(S::Refunded)),
        ("退款关闭", true, Some(S::Rejected)),
        ("卖家拒绝退款", false, Some(S::Rejected)),
        ("买家已经申请退款，等待卖家同意", true, Some(S::Open)),
        (
            "卖家已经同意退款，等待买家退货",
            true,
            Some(S::WaitingReturn),
        ),
        (
            "买家已经退货，等待卖家确认收货",
            true,
            Some(S::WaitingReturn),
        ),
        ("交易成功", false, None),
    ];
    for (text, back, expected) in cases {
        assert_eq!(taobao_refund_status(text, *back), *expected, "{text}");
    }
}

proptest::proptest! {
    /// Refunds taken up to the limit each time never exceed what was paid, and the sum of
    /// the refunds is exactly what the order says was refunded.
    #[test]
    fn refunds_never_exceed_what_was_paid(
        goods in 0i64..1_000_000,
        postage in 0i64..5_000,
        discount_per_mille in 0i64..500,
        asks in proptest::collection::vec((0i64..2_000_000, proptest::option::of(0i64..1_000_000)), 1..12),
    ) {
        let paid = goods - goods * discount_per_mille / 1000 + postage;
        let mut refunded = 0i64;
        let mut taken = Vec::new();
        for (ask, lines) in asks {
            let lines = lines.map(|l| l.min(goods));
            let limit = refund_limit(
                Paid { goods_cents: goods, postage_cents: postage, paid_cents: paid, refunded_cents: refunded },
                lines,
            );
            proptest::prop_assert!(limit >= 0);
            if check_refund(ask, limit).is_ok() {
                refunded += ask;
                taken.push(ask);
            }
        }
        proptest::prop_assert!(refunded <= paid);
        proptest::prop_assert_eq!(taken.iter().sum::<i64>(), refunded);
        let status = payment_after_refunds(PaymentStatus::Paid, paid, refunded);
        if refunded == 0 {
            proptest::prop_assert_eq!(status, PaymentStatus::Paid);
        } else if refunded == paid {
            proptest::prop_assert_eq!(status, PaymentStatus::Refunded);
        } else {
            proptest::prop_assert_eq!(status, PaymentStatus::PartlyRefunded);
        }
    }
}

#[test]
fn which_orders_take_which_cases() {
    use crate::domain::OrderState as O;
    for kind in CaseType::ALL {
        for state in [
            O::PendingReview,
            O::Approved,
            O::Printed,
            O::Shipped,
            O::Archived,
            O::Cancelled,
        ] {
            let left = matches!(state, O::Shipped | O::Archived);
            let allowed = left || matches!(kind, T::Refund | T::Complaint);
            assert_eq!(
                open_refusal(kind, state).is_none(),
                allowed,
                "{kind:?} {state:?}"
            );
        }
    }
}

#[test]
fn a_cancelled_replacement_may_be_sent_again() {
    let state = |kind, status| CaseState {
        kind,
        status,
        goods_received: false,
    };
    for (kind, status, action) in [
        (T::Exchange, S::Exchanged, A::Exchange),
        (T::Reship, S::Reshipped, A::Reship),
    ] {
        let case = state(kind, status);
        assert_eq!(send_again(case, action, true), Ok(case));
        assert!(send_again(case, action, false).is_err(), "{kind:?}");
    }
    // Nothing else changes with a cancelled order: a case not sent yet goes on as usual.
    assert_eq!(
        send_again(state(T::Reship, S::Open), A::Reship, true)
            .expect("first")
            .status,
        S::Reshipped
    );
    assert!(send_again(state(T::Reship, S::Closed), A::Reship, true).is_err());
    assert!(send_again(state(T::Return, S::Refunded), A::Exchange, true).is_err());
}

#[test]
fn a_refund_report_moves_cases_only_forward() {
    for (current, reported, moved) in [
        (S::Open, S::WaitingReturn, Some(S::WaitingReturn)),
        (S::Open, S::Refunded, Some(S::Refunded)),
        (S::WaitingReturn, S::Open, None),
        (S::WaitingReturn, S::WaitingReturn, None),
        (S::WaitingReturn, S::Refunded, Some(S::Refunded)),
        (S::ReturnReceived, S::WaitingReturn, None),
        (S::ReturnReceived, S::Open, None),
        (S::ReturnReceived, S::Refunded, Some(S::Refunded)),
        (S::ReturnReceived, S::Rejected, Some(S::Rejected)),
        (S::Refunded, S::Refunded, None),
        (S::Refunded, S::WaitingReturn, None),
        (S::Refunded, S::Rejected, Some(S::Rejected)),
        (S::Exchanged, S::Refunded, None),
        (S::Closed, S::Rejected, None),
        (S::Closed, S::Refunded, None),
        (S::Rejected, S::Refunded, None),
    ] {
        assert_eq!(
            reported_status(current, reported),
            moved,
            "{current:?} {reported:?}"
        );
    }
}

#[test]
fn an_exchange_closes_without_its_goods_only_when_the_owner_says_so() {
    let sent = CaseState {
        kind: T::Exchange,
        status: S::Exchanged,
        goods_received: false,
    };
    let refusal = case_transition(sent, A::Close).unwrap_err();
    assert!(refusal.reason.contains("without the goods"), "{refusal}");
    let closed = close_without_goods(sent).expect("waived");
    assert_eq!((closed.status, closed.goods_received), (S::Closed, false));
    // The late parcel is still received; the case stays closed.
    let late = receive_goods(closed, true).expect("late parcel");
    assert_eq!((late.status, late.goods_received), (S::Closed, true));
    assert!(receive_goods(late, true).is_err());
    // Anything else closes as usual.
    let back = CaseState {
        goods_received: true,
        ..sent
    };
    assert_eq!(close_without_goods(back).expect("close").status, S::Closed);
    let open = CaseState {
        status: S::Open,
        ..sent
    };
    assert!(close_without_goods(open).is_err());
}

#[test]
fn a_case_whose_replacement_was_cancelled_may_be_rejected() {
    for (kind, status) in [(T::Exchange, S::Exchanged), (T::Reship, S::Reshipped)] {
        let state = CaseState {
            kind,
            status,
            goods_received: false,
        };
        assert!(reject(state, false).is_err(), "{state:?}");
        assert_eq!(reject(state, true).expect("reject").status, S::Rejected);
    }
    let open = CaseState {
        kind: T::Refund,
        status: S::Open,
        goods_received: false,
    };
    assert_eq!(reject(open, false).expect("reject").status, S::Rejected);
    let closed = CaseState {
        status: S::Closed,
        ..open
    };
    assert!(reject(closed, true).is_err());
}
