//! The words of the After-sales tab, English and 简体中文 side by side.

use crate::domain::after_sales::{
    CaseStatus, CaseType, Condition, DamagedDecision, Responsibility,
};
use crate::store::Language;
use crate::ui::i18n::texts;

texts! {
    /// A text of the After-sales tab.
    pub enum Tx {
        ViewCases => ("Cases", "售后单"),
        ViewReceive => ("Returns arrived", "退货到货"),
        ViewQueues => ("Follow-up queues", "跟进队列"),
        ViewDamaged => ("Damaged goods", "残次品"),
        OpenedToday => ("Opened today", "今日新建"),
        ClosedToday => ("Closed today", "今日完结"),
        WaitingReturn => ("Waiting for parcels", "等待退货"),
        Overdue => ("Overdue", "已超时"),
        RefundsToday => ("Refunded today", "今日退款"),
        AverageTime => ("Average handling", "平均处理时长"),
        Hours => ("h", "小时"),
        UnknownParcels => ("Unknown parcels", "无单退货"),
        UnpaidToFollow => ("Unpaid to follow up", "待跟进未付款"),
        FollowedToday => ("followed up today", "今日已跟进"),
        ProblemOrders => ("Problem orders", "不合格订单"),
        ReturnsByReason => ("Returns and exchanges by reason, this month", "本月退换货原因"),
        NoReturnsYet => ("No returns this month.", "本月暂无退换货。"),
        NewCase => ("New case…", "新建售后…"),
        EditReasons => ("Reasons…", "售后原因…"),
        ReasonCode => ("Code", "代码"),
        ReasonEnglish => ("English", "英文"),
        ReasonChinese => ("Chinese", "中文"),
        ReasonOffered => ("Offered", "启用"),
        AddReason => ("Add", "添加"),
        Search => ("Order, tracking or case number, buyer", "订单号、运单号、售后单号、买家"),
        AllTypes => ("All types", "全部类型"),
        AllStatuses => ("All statuses", "全部状态"),
        Unfinished => ("Unfinished", "未完结"),
        AllReasons => ("All reasons", "全部原因"),
        Owner => ("Owner", "负责人"),
        From => ("From", "从"),
        To => ("to", "至"),
        DateHint => ("YYYY-MM-DD", "年-月-日"),
        Find => ("Find", "查询"),
        ColCase => ("Case", "售后单号"),
        ColType => ("Type", "类型"),
        ColStatus => ("Status", "状态"),
        ColOrder => ("Order", "订单号"),
        ColBuyer => ("Buyer", "买家"),
        ColReason => ("Reason", "原因"),
        ColRefund => ("Refunded", "已退款"),
        ColOpened => ("Opened", "创建时间"),
        ColCode => ("Code", "编码"),
        ColItem => ("Item", "商品"),
        ColQuantity => ("Qty", "数量"),
        ColBack => ("Back", "已退回"),
        ColSellable => ("Sellable", "可售"),
        ColDamaged => ("Damaged", "残次"),
        MoreCases => ("More…", "更多…"),
        NoCases => ("No case matches.", "没有符合条件的售后单。"),
        Loading => ("Loading…", "加载中…"),
        Order => ("Order", "订单"),
        OrderState => ("Order state", "订单状态"),
        Receiver => ("Receiver", "收件人"),
        Paid => ("Paid", "实付"),
        RefundedOnOrder => ("Refunded on the order", "订单已退款"),
        AtMost => ("at most", "最多可退"),
        Asked => ("Asked", "申请金额"),
        Responsibility => ("Responsibility", "责任方"),
        CourierEvidence => ("Courier evidence", "快递举证"),
        CourierSigned => ("The courier signed", "快递员已签字"),
        Packer => ("Packed by", "打包员"),
        Handover => ("Hand-over list", "交接单"),
        ReturnTracking => ("Return tracking", "退货运单号"),
        SentAgainAs => ("Sent again as order", "已补发/换货订单"),
        Note => ("Note", "备注"),
        Save => ("Save", "保存"),
        Timeline => ("Timeline", "处理记录"),
        NextStep => ("Next step", "下一步"),
        AwaitReturn => ("Agree: wait for the parcel", "同意退货，等待寄回"),
        Receive => ("Goods arrived…", "退货到货…"),
        RefundButton => ("Refund", "退款"),
        Amount => ("Amount (yuan)", "金额（元）"),
        Exchange => ("Send the replacement", "发出换货"),
        ReplacementHint => ("Replacement: CODE=QTY, … (empty: the same items)", "换货商品：编码=数量，…（留空为原商品）"),
        Reship => ("Create the reshipment", "创建补发单"),
        Close => ("Close the case", "完结"),
        CloseWithoutGoods => ("Close without the goods", "不等退货，直接完结"),
        ReplacementCancelled => (
            "cancelled: send it again, or reject the case",
            "已取消：请重新发出，或拒绝此售后单"
        ),
        ClearFlag => ("Take the case's flag off the order", "清除订单旗帜"),
        Reject => ("Reject…", "拒绝…"),
        RejectReason => ("Why (said to the buyer)", "拒绝原因（告知买家）"),
        Finished => ("This case is finished.", "此售后单已完结。"),
        OpenTitle => ("New after-sales case", "新建售后单"),
        OrderHint => ("Order number or tracking number", "订单号或运单号"),
        Type => ("Type", "类型"),
        Reason => ("Reason", "原因"),
        WholeOrder => ("Quantities (none: the whole order)", "数量（不填为整单）"),
        RefundAsked => ("Refund asked (yuan, optional)", "申请退款（元，可不填）"),
        Open => ("Open the case", "创建"),
        Cancel => ("Cancel", "取消"),
        ScanHint => ("Scan the return parcel's tracking number, the order number or the case number", "扫描退货运单号、订单号或售后单号"),
        ScanIdle => ("Scan a returned parcel to find its case.", "扫描退回的包裹以找到售后单。"),
        SeveralCases => ("Several cases of this order wait for goods; choose one:", "此订单有多个售后单等待退货，请选择："),
        NoCaseForOrder => ("No case of this order waits for goods. Open a return case first:", "此订单没有等待退货的售后单，请先新建退货售后："),
        UnknownParcel => ("Unknown parcel (无单退货): nothing matches", "无单退货：没有匹配的订单"),
        Contents => ("What is inside", "包裹内容"),
        RecordUnknown => ("Record for later matching", "登记，稍后匹配"),
        ReceiveTitle => ("What came back", "退回的商品"),
        ConfirmReceive => ("Receive: sellable back on hand, damaged kept apart", "确认入库：可售入库存，残次另放"),
        Unmatched => ("Unknown parcels waiting for a match", "待匹配的无单退货"),
        MatchTo => ("Match to case", "匹配到售后单"),
        UnpaidQueue => ("Unpaid orders to follow up (未付款订单跟进)", "未付款订单跟进"),
        ProblemQueue => ("Problem orders (held or red flag)", "不合格订单（挂起或红旗）"),
        FollowUp => ("Followed up", "已跟进"),
        FollowUpHint => ("What was said", "沟通内容"),
        LastFollowUp => ("last", "上次"),
        Never => ("never", "从未"),
        ShowOrder => ("Show", "查看"),
        EmptyQueue => ("Nothing here.", "暂无。"),
        DamagedTitle => ("Damaged goods kept apart (not sellable)", "残次品（不可售，另放）"),
        Decide => ("Decide", "处理"),
        NoDamaged => ("No damaged goods kept apart.", "没有残次品。"),
        Opened => ("Case opened", "已创建售后单"),
        Done => ("Done", "已完成"),
        Received => ("Return received", "退货已入库"),
        Refunded => ("Refunded", "已退款"),
        SentAgain => ("Order created", "已创建订单"),
        Closed => ("Case closed", "售后单已完结"),
        FlagCleared => ("the case's flag came off the order", "已撤下本售后单在订单上的旗帜"),
        Rejected => ("Case rejected", "售后单已拒绝"),
        RecordedUnknown => ("Unknown parcel recorded", "无单退货已登记"),
        ParcelMatched => ("Parcel matched", "包裹已匹配"),
        FollowedUp => ("Follow-up recorded", "已记录跟进"),
        ImportRefunds => ("Refund report", "退款报表"),
        ImportButton => ("Import", "导入"),
        RefundsImported => ("Refund report imported", "退款报表已导入"),
        Created => ("created", "新建"),
        Updated => ("updated", "更新"),
        Unchanged => ("unchanged", "未变"),
        RejectedRows => ("rows rejected", "行有误"),
        NothingWritten => ("nothing was written: fix the rows listed", "未写入：请修正所列行"),
        BadAmount => ("Type an amount in yuan, e.g. 12.50", "请输入金额（元），如 12.50"),
        BadQuantity => ("Type whole numbers for the quantities", "数量请填整数"),
        OrderNotFound => ("Type an order number and press Find", "请输入订单号后查询"),
    }
}

/// A case type's name: the shop's own word in Chinese.
pub fn type_text(kind: CaseType, lang: Language) -> &'static str {
    match lang {
        Language::Chinese => kind.chinese(),
        Language::English => match kind {
            CaseType::Refund => "Refund only",
            CaseType::Return => "Return and refund",
            CaseType::Exchange => "Exchange",
            CaseType::Reship => "Reshipment",
            CaseType::Complaint => "Complaint",
        },
    }
}

pub fn status_text(status: CaseStatus, lang: Language) -> &'static str {
    let (en, zh) = match status {
        CaseStatus::Open => ("Open", "待处理"),
        CaseStatus::WaitingReturn => ("Waiting for the parcel", "等待退货"),
        CaseStatus::ReturnReceived => ("Return received", "退货已到"),
        CaseStatus::Refunded => ("Refunded", "已退款"),
        CaseStatus::Exchanged => ("Exchanged", "已换货"),
        CaseStatus::Reshipped => ("Reshipped", "已补发"),
        CaseStatus::Closed => ("Closed", "已完结"),
        CaseStatus::Rejected => ("Rejected", "已拒绝"),
    };
    match lang {
        Language::Chinese => zh,
        Language::English => en,
    }
}

pub fn condition_text(condition: Condition, lang: Language) -> &'static str {
    match (condition, lang) {
        (Condition::Sellable, Language::English) => "sellable",
        (Condition::Sellable, Language::Chinese) => "可售",
        (Condition::Damaged, Language::English) => "damaged",
        (Condition::Damaged, Language::Chinese) => "残次",
    }
}

pub fn decision_text(decision: DamagedDecision, lang: Language) -> &'static str {
    match (decision, lang) {
        (DamagedDecision::Repair, Language::English) => "Repaired: back on hand",
        (DamagedDecision::Repair, Language::Chinese) => "已修复，回库存",
        (DamagedDecision::WriteOff, Language::English) => "Write off",
        (DamagedDecision::WriteOff, Language::Chinese) => "报废",
        (DamagedDecision::ToSupplier, Language::English) => "Back to the supplier",
        (DamagedDecision::ToSupplier, Language::Chinese) => "退回供应商",
    }
}

pub fn responsibility_text(who: Responsibility, lang: Language) -> &'static str {
    let (en, zh) = match who {
        Responsibility::None => ("Not decided", "未定"),
        Responsibility::Courier => ("The courier", "快递"),
        Responsibility::Packing => ("Our packing", "我方打包"),
        Responsibility::Supplier => ("The supplier", "供应商"),
        Responsibility::Buyer => ("The buyer", "买家"),
    };
    match lang {
        Language::Chinese => zh,
        Language::English => en,
    }
}

/// The log's action codes in the window's language.
pub fn action_text(action: &str, lang: Language) -> String {
    let zh = match action {
        "open" => "创建",
        "await_return" => "同意退货",
        "receive" => "退货到货",
        "refund" => "退款",
        "exchange" => "换货发出",
        "reship" => "补发",
        "close" => "完结",
        "reject" => "拒绝",
        "edit" => "修改",
        "import" => "导入",
        "parcel" => "匹配包裹",
        "cancel" => "取消订单",
        other => return other.replace('_', " "),
    };
    match lang {
        Language::Chinese => zh.to_owned(),
        Language::English => action.replace('_', " "),
    }
}

/// A log entry's detail in the window's language: the store writes it with codes (case
/// types, reasons, conditions, statuses, field names), which Chinese shows in its words.
pub fn detail_text(detail: &str, lang: Language, reasons: &[crate::store::CaseReason]) -> String {
    if lang == Language::English {
        return detail.to_owned();
    }
    let mut words: Vec<(String, String)> = Vec::new();
    for r in reasons {
        words.push((r.code.clone(), r.label_zh.clone()));
    }
    for kind in CaseType::ALL {
        words.push((kind.code().to_owned(), kind.chinese().to_owned()));
    }
    for status in CaseStatus::ALL {
        words.push((
            status.code().to_owned(),
            status_text(status, lang).to_owned(),
        ));
    }
    for (en, zh) in [
        ("sellable", "可售"),
        ("damaged", "残次"),
        ("asks", "申请"),
        ("unknown parcel", "无单退货"),
        ("matched", "已匹配"),
        ("courier signed", "快递员签字"),
        ("return tracking", "退货运单号"),
        ("responsibility", "责任方"),
        ("owner", "负责人"),
        ("note", "备注"),
        ("platform refund", "平台退款单"),
        ("taken as", "即为"),
        (
            "cancelled: send it again, or reject the case",
            "已取消：请重新发出，或拒绝此售后单",
        ),
        ("replacement", "换货/补发单"),
        (
            "without the goods: they did not come back",
            "未等退货：货未寄回",
        ),
        ("instead of", "代替"),
        (
            "cancelled: refunded in full before it shipped",
            "已取消：发货前已全额退款",
        ),
        (
            "closed on the marketplace after it was refunded; nothing changed",
            "退款成功后平台又显示退款关闭；未做任何更改",
        ),
        ("cancelled", "已取消"),
        ("order", "订单"),
    ] {
        words.push((en.to_owned(), zh.to_owned()));
    }
    for who in Responsibility::ALL {
        words.push((
            who.code().to_owned(),
            responsibility_text(who, lang).to_owned(),
        ));
    }
    // Longest first, so that `waiting_return` is not read as `return`.
    words.sort_by_key(|(en, _)| std::cmp::Reverse(en.len()));
    let mut out = String::new();
    let mut rest = detail;
    'scan: while !rest.is_empty() {
        let at_word_start = out
            .chars()
            .last()
            .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
        if at_word_start {
            for (en, zh) in &words {
                if let Some(after) = rest.strip_prefix(en.as_str())
                    && after
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_')
                {
                    out.push_str(zh);
                    rest = after;
                    continue 'scan;
                }
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_details_in_chinese() {
        let reasons = vec![crate::store::CaseReason {
            code: "size_colour".to_owned(),
            label: "Size/colour".to_owned(),
            label_zh: "尺码/颜色不合适".to_owned(),
            active: true,
        }];
        let zh = |s: &str| detail_text(s, Language::Chinese, &reasons);
        assert_eq!(
            zh("exchange AS000003 (size_colour)"),
            "换货 AS000003 (尺码/颜色不合适)"
        );
        assert_eq!(
            zh("CUP×1 sellable, TEA×1 damaged"),
            "CUP×1 可售, TEA×1 残次"
        );
        assert_eq!(
            zh("platform refund R1: open → waiting_return"),
            "平台退款单 R1: 待处理 → 等待退货"
        );
        assert_eq!(zh("owner 小美 → 小李"), "负责人 小美 → 小李");
        assert_eq!(
            zh(
                "platform refund R1: closed on the marketplace after it was refunded; nothing changed"
            ),
            "平台退款单 R1: 退款成功后平台又显示退款关闭；未做任何更改"
        );
        // Codes inside other words stay as they are.
        assert_eq!(zh("RETURN-CUP×1 sellable"), "RETURN-CUP×1 可售");
        assert_eq!(
            detail_text("exchange AS000003", Language::English, &reasons),
            "exchange AS000003"
        );
    }
}
