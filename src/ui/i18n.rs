//! Every word the window shows, in English and 简体中文. The Chinese uses the terms shop
//! staff know from DOMAIN.md (审核, 到款, 配货, 验货 …).

use crate::domain::LogKind;
use crate::store::Language;

/// Declares a text enum with each key's English and Chinese side by side, and its
/// `tr(lang)`. The pattern takes exactly two literals per key, so a key without both
/// translations does not compile.
macro_rules! texts {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($key:ident => ($en:literal, $zh:literal $(,)?)),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name {
            $($key,)*
        }

        impl $name {
            /// The text in the given language.
            pub fn tr(self, lang: $crate::store::Language) -> &'static str {
                match lang {
                    $crate::store::Language::English => match self {
                        $($name::$key => $en,)*
                    },
                    $crate::store::Language::Chinese => match self {
                        $($name::$key => $zh,)*
                    },
                }
            }
        }
    };
}
pub(crate) use texts;

texts! {
    /// A text more than one tab (or the window around them) shows; a tab's own texts are
    /// in its folder's `texts.rs`.
    pub enum T {
        AppTitle => ("ShopDesk", "ShopDesk 店务台"),
        TabOrders => ("Orders", "订单处理"),
        TabManualOrder => ("Manual order", "手动下单"),
        TabInventory => ("Inventory", "库存"),
        TabPickLists => ("Pick lists", "配货单"),
        TabWaybills => ("Waybills", "快递单打印"),
        TabPack => ("Pack & ship", "验货发货"),
        TabAfterSales => ("After-sales", "售后"),
        TabSettings => ("Settings", "设置"),
        TabOperators => ("Operators", "操作员"),
        Loading => ("Loading…", "加载中…"),
        NotOpened => ("The database is not open", "数据库未打开"),
        Dismiss => ("Dismiss", "关闭"),
        EmptyShopTitle => ("Welcome to ShopDesk", "欢迎使用 ShopDesk"),
        EmptyShopBody => (
            "This shop has no products or orders yet. Import the marketplace's order \
             export, add products in Inventory, or load the sample shop to try every tab.",
            "店铺里还没有商品和订单。可以导入平台导出的订单，在“库存”里添加商品，\
             或者载入示例店铺，先把每个页面都试一遍。",
        ),
        LoadSampleShop => ("Load the sample shop", "载入示例店铺"),
        SampleShopHint => (
            "About 200 products and 2,000 orders over 60 days, the same as `shopdesk demo`.",
            "约 200 个商品、60 天内 2000 个订单，与 `shopdesk demo` 相同。",
        ),
        Cancel => ("Cancel", "取消"),
        LoadingSample => ("Writing the sample shop…", "正在写入示例店铺…"),
        SampleLoaded => ("The sample shop is loaded.", "示例店铺已载入。"),
        JobCancelled => ("Cancelled: nothing was written.", "已取消：未写入任何内容。"),
        CannotStartJob => ("Cannot start the job", "无法启动任务"),
        CannotOpenDatabase => ("Cannot open the database", "无法打开数据库"),
        ImportNeedsTaobaoPair => ("Choose the order report and the item report.", "请选择订单报表和宝贝报表。"),
        ImportNeedsOneFile => ("Choose one Shopify export.", "请选择一个 Shopify 导出文件。"),
        ImportNeedsMapping => ("Choose a file and a column mapping.", "请选择文件和列映射。"),
        ColCode => ("Code", "商品编码"),
        Operator => ("Operator name", "操作员"),
        Saved => ("Settings saved.", "设置已保存。"),
        Open => ("Open", "打开"),
        Browse => ("Browse…", "浏览…"),
        ImportOrders => ("Import orders", "导入订单"),
        CountNew => ("new", "新增"),
        CountUpdated => ("updated", "更新"),
        CountUnchanged => ("unchanged", "未变"),
        Line => ("Line", "行"),
        Column => ("Column", "列"),
        Importing => ("Importing…", "正在导入…"),
        ColQuantity => ("Qty", "数量"),
        StatusProducts => ("products", "商品"),
        StatusOrders => ("orders", "订单"),
        StatusOperator => ("operator", "操作员"),
        StatePendingReview => ("Pending review", "未审核"),
        StateApproved => ("Approved", "已审核"),
        StatePrinted => ("Printed", "已打印"),
        StateShipped => ("Shipped", "已发货"),
        StateArchived => ("Archived", "已归档"),
        StateCancelled => ("Cancelled", "已关闭"),
        PleaseConfirm => ("Please confirm", "请确认"),
        ShipChooseAll => ("Choose all shown", "全选显示的订单"),
        ShipClear => ("Clear", "清空"),
        ShipOpenWhenDone => ("Open the PDF when done", "完成后打开 PDF"),
        ShipSendToPrinter => ("Send to the default printer (lp)", "直接发送到默认打印机 (lp)"),
        ShipLastDocument => ("Last document", "最近的文档"),
        ShipPages => ("pages", "页"),
        ShipPrintLp => ("Print (lp)", "打印 (lp)"),
        ShipNoCouriers => (
            "No courier yet: add one in Settings → Couriers.",
            "还没有快递公司：请在“设置 → 快递公司”中添加。",
        ),
        ShipLabelSize => ("Label size", "面单尺寸"),
        ShipPrePrinted => ("pre-printed form", "预印面单"),
        ShipPrinting => ("Printing…", "正在生成…"),
        BackingUp => ("Backing up…", "正在备份…"),
        CheckingBackup => ("Checking the backup…", "正在校验备份…"),
        DamagedRestoreQuestion => (
            "{db} is damaged: ShopDesk will not write to it. Restore the last good backup, \
             {backup}? The damaged file is backed up first; what was entered after that \
             backup is not in it.",
            "{db} 已损坏，ShopDesk 不会再写入它。要恢复最近一次完好的备份 {backup} 吗？\
             损坏的文件会先备份；该备份之后录入的数据不在其中。"
        ),
        DamagedRestoreYes => ("Restore the last backup", "恢复最近的备份"),
        BackupAgo => ("backup", "上次备份"),
        BackupJustNow => ("backup just now", "刚刚备份"),
        AgoMinutes => ("min ago", "分钟前"),
        AgoHours => ("h ago", "小时前"),
        AgoDays => ("d ago", "天前"),
        NoBackup => ("no backup yet", "还没有备份"),
        BackupStale => (
            "The last backup is more than two days old. Back up in Settings → Backups.",
            "上次备份已超过两天。请在“设置 → 备份”中备份。",
        ),
        BackupMissing => (
            "This shop has no backup in its backup folder. Back up in Settings → Backups.",
            "备份文件夹中没有这个店铺的备份。请在“设置 → 备份”中备份。",
        ),
    }
}

/// A count and its noun: English singular, English plural, Chinese with its measure word;
/// `{n}` stands for the number (`("{n} order", "{n} orders", "{n} 个订单")`).
pub type Counted = (&'static str, &'static str, &'static str);

/// Orders, counted.
pub const ORDERS: Counted = ("{n} order", "{n} orders", "{n} 个订单");
/// Orders that can print now, counted.
pub const PRINTABLE: Counted = (
    "{n} printable order",
    "{n} printable orders",
    "{n} 个可打印订单",
);
/// Orders chosen in a checklist, counted.
pub const CHOSEN: Counted = ("{n} chosen", "{n} chosen", "{n} 个已选");
/// Orders chosen in the Orders tab and not shown in the checklist, counted.
pub const CHOSEN_ELSEWHERE: Counted = (
    "{n} chosen in the Orders tab (checked when printing)",
    "{n} chosen in the Orders tab (checked when printing)",
    "{n} 个来自订单处理的选择（打印时检查）",
);
/// Tracking numbers left in a courier's pool, counted.
pub const POOL_FREE: Counted = (
    "{n} number left in the pool",
    "{n} numbers left in the pool",
    "{n} 个可用单号",
);
/// Products, counted.
pub const PRODUCTS: Counted = ("{n} product", "{n} products", "{n} 个商品");

/// "1 order", "1,995 orders", "2 个订单": the count read naturally in the window's language.
pub fn count_text(n: impl Into<i64>, forms: Counted, lang: Language) -> String {
    let n: i64 = n.into();
    let form = match lang {
        Language::English if n == 1 => forms.0,
        Language::English => forms.1,
        Language::Chinese => forms.2,
    };
    form.replace("{n}", &grouped(n))
}

/// A number with its thousands grouped: "1,995", "-12,000".
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// The name of an order state.
pub fn state_text(state: crate::domain::OrderState) -> T {
    use crate::domain::OrderState as S;
    match state {
        S::PendingReview => T::StatePendingReview,
        S::Approved => T::StateApproved,
        S::Printed => T::StatePrinted,
        S::Shipped => T::StateShipped,
        S::Archived => T::StateArchived,
        S::Cancelled => T::StateCancelled,
    }
}

/// The name of an import field in the mapping screen.
pub fn field_label(field: crate::import::Field, language: Language) -> &'static str {
    use crate::import::Field as F;
    if language == Language::English {
        return field.label();
    }
    match field {
        F::OrderNo => "订单编号",
        F::BuyerId => "买家会员名",
        F::BuyerName => "买家姓名",
        F::ReceiverName => "收货人姓名",
        F::Phone => "联系手机",
        F::Phone2 => "联系电话",
        F::Province => "省",
        F::City => "市",
        F::District => "区",
        F::Address => "详细地址",
        F::FullAddress => "收货地址（按淘宝格式拆分）",
        F::Postcode => "邮编",
        F::OrderedAt => "订单创建时间",
        F::PaidAt => "订单付款时间",
        F::Sku => "商家编码",
        F::Title => "宝贝标题",
        F::Attributes => "商品属性",
        F::Quantity => "购买数量",
        F::UnitPrice => "价格",
        F::Postage => "邮费",
        F::Discount => "优惠",
        F::Total => "总金额",
        F::Paid => "实付金额",
        F::Refunded => "退款金额",
        F::BuyerMessage => "买家留言",
        F::SellerRemark => "订单备注",
        F::Courier => "物流公司",
        F::TrackingNo => "物流单号",
        F::Status => "订单状态",
    }
}

/// A marketplace's name in the window's language; a platform ShopDesk does not know is
/// shown as it was imported.
pub fn platform_text(code: &str, lang: Language) -> &str {
    let (en, zh) = match code {
        "taobao" => ("Taobao", "淘宝"),
        "tmall" => ("Tmall", "天猫"),
        "jd" => ("JD", "京东"),
        "pinduoduo" => ("Pinduoduo", "拼多多"),
        "douyin" => ("Douyin", "抖音"),
        "shopify" => ("Shopify", "Shopify"),
        "manual" => ("Manual", "手工订单"),
        _ => return code,
    };
    match lang {
        Language::Chinese => zh,
        Language::English => en,
    }
}

/// The name of an event-log entry in the window's language. The match is exhaustive, so a
/// new kind of entry does not compile without its Chinese name.
pub fn event_text(kind: LogKind, lang: Language) -> &'static str {
    use crate::domain::Event;
    use crate::domain::shipping::ShippingLog;
    let zh = match kind {
        LogKind::Created => "创建",
        LogKind::Import => "导入更新",
        LogKind::Event(event) => match event {
            Event::Review => "审核",
            Event::PaymentReceived => "到款",
            Event::Print => "打印",
            Event::PackCheckPassed => "验货通过",
            Event::Ship => "发货",
            Event::Cancel => "取消",
            Event::Hold => "挂起",
            Event::Release => "取消挂起",
            Event::Return => "退货",
            Event::Archive => "归档",
            Event::Reopen => "反审核/重开",
        },
        LogKind::Flag => "旗帜",
        LogKind::Remark => "备注",
        LogKind::Merge => "合并",
        LogKind::Unmerge => "拆分合并",
        LogKind::Split => "拆单",
        LogKind::Receiver => "修改收货信息",
        LogKind::Match => "匹配商品",
        LogKind::Reship => "补发",
        LogKind::Lines => "修改商品",
        LogKind::Case => "售后",
        LogKind::FollowUp => "跟进",
        LogKind::Shipping(ShippingLog::Tracking) => "运单号",
        LogKind::Shipping(ShippingLog::Reprint) => "补打",
        LogKind::Shipping(ShippingLog::CourierChange) => "更换快递",
        LogKind::Shipping(ShippingLog::Weight) => "称重",
    };
    match lang {
        Language::Chinese => zh,
        Language::English => kind.code(),
    }
}

/// The phrases the store writes into event-log details, with their Chinese; longest first
/// where one contains another. What the phrases frame (order numbers, names, remarks,
/// tracking numbers) stays as written.
const DETAIL_PHRASES: &[(&str, &str)] = &[
    (
        "flag red: the platform closed the order after printing",
        "标红：平台在打印后关闭了订单",
    ),
    (
        "the platform closed it, but it is ",
        "平台已关闭订单，但订单为",
    ),
    (
        "flag red, on hold: the platform shows the order shipped",
        "标红并挂起：平台显示订单已发货",
    ),
    (
        "the platform shows it shipped, but it is ",
        "平台显示已发货，但订单为",
    ),
    (": held and flagged red", "：已挂起并标红"),
    (
        "flag red: a merged order changed on the platform: ",
        "标红：并入的订单在平台上有变更：",
    ),
    (", which is held and flagged red", "，该订单已挂起并标红"),
    (", which is flagged red", "，该订单已标红"),
    ("back to review", "退回待审核"),
    ("the export shows payment ", "导出文件显示付款 "),
    (
        " without the refund recorded here (kept)",
        "，但未含此处已记录的退款（保留）",
    ),
    ("the platform no longer shows ", "平台已不再显示 "),
    (" again (already held)", " 再次出现（订单已挂起）"),
    (": release the hold once checked", "：核对后请取消挂起"),
    (
        "held as the platform shows it (import)",
        "按平台状态挂起（导入）",
    ),
    ("held as the platform shows it: ", "按平台状态挂起："),
    (
        "flag red, on hold: the receiver changed after printing",
        "标红并挂起：打印后收货信息有变",
    ),
    ("printed with the old receiver", "已按旧收货信息打印"),
    ("receiver changed on the platform", "平台上的收货信息已变更"),
    (
        "shipped: the platform shows it shipped",
        "已发货：平台显示已发货",
    ),
    (": flagged red", "：已标红"),
    (
        "cancelled: the platform closed it",
        "已取消：平台已关闭订单",
    ),
    ("the platform shows tracking ", "平台显示运单号 "),
    // After every longer phrase that starts the same way.
    ("the platform shows ", "平台显示 "),
    (", voided on order ", "，已在订单 "),
    (" (not taken)", " 上作废（未采用）"),
    (" but the order has ", "，但订单已有 "),
    (" (kept)", "（保留）"),
    ("platform status ", "平台状态 "),
    ("payment ", "付款 "),
    ("on hold ", "挂起 "),
    (" finished)", " 已完结)"),
    ("tracking ", "运单号 "),
    (", remark: ", "，备注："),
    ("flag ", ""),
    ("reshipped as ", "已补发为 "),
    ("merged into ", "已合并到 "),
    (" merged in", " 已并入"),
    ("split from ", "拆分自 "),
    (" orders split off", " 个订单已拆出"),
    (" line(s) moved to ", " 行已移至 "),
    ("SKU ", "商家编码 "),
    (" voided → ", " 已作废 → "),
    ("; reason: ", "；原因："),
    (" (pool)", "（单号池）"),
    ("lines: ", "商品："),
    ("postage: ", "运费："),
    ("cash on delivery: ", "货到付款："),
    ("buyer message: ", "买家留言："),
    ("receiver_name: ", "收货人："),
    ("receiver_phone: ", "电话："),
    ("receiver_phone2: ", "电话2："),
    ("province: ", "省："),
    ("city: ", "市："),
    ("district: ", "区："),
    ("address: ", "地址："),
    ("postcode: ", "邮编："),
    ("; ", "；"),
];

/// Single words the store writes as codes (states, payment, flag colours, sources), with
/// their Chinese; replaced only as whole words.
fn detail_word(word: &str) -> Option<&'static str> {
    use crate::domain::{Flag, OrderState, PaymentStatus};
    if let Some(state) = OrderState::from_code(word) {
        return Some(state_text(state).tr(Language::Chinese));
    }
    if let Some(flag) = Flag::ALL.into_iter().find(|f| f.code() == word) {
        return Some(crate::ui::orders::flag_text(flag).tr(Language::Chinese));
    }
    if let Some(payment) = PaymentStatus::from_code(word) {
        return Some(match payment {
            PaymentStatus::Unpaid => "未付款",
            PaymentStatus::Paid => "已付款",
            PaymentStatus::PartlyRefunded => "部分退款",
            PaymentStatus::Refunded => "已退款",
        });
    }
    Some(match word {
        "yes" => "是",
        "no" => "否",
        "g" => "克",
        "demo" => "示例数据",
        "import" => "导入",
        "test" => "测试",
        "reship" => "补发",
        "split" => "拆单",
        "receiver" => "收货信息",
        "held" => "挂起",
        // The receiver columns a receiver change names.
        "receiver_name" => "收货人",
        "receiver_phone" => "手机",
        "receiver_phone2" => "手机2",
        "province" => "省",
        "city" => "市",
        "district" => "区",
        "address" => "地址",
        "postcode" => "邮编",
        other => return platform_zh(other),
    })
}

/// A marketplace's Chinese name, when the code is one.
fn platform_zh(code: &str) -> Option<&'static str> {
    Some(match code {
        "taobao" => "淘宝",
        "tmall" => "天猫",
        "jd" => "京东",
        "pinduoduo" => "拼多多",
        "douyin" => "抖音",
        "manual" => "手工订单",
        _ => return None,
    })
}

/// An event-log entry's detail in the window's language: the store's phrases and codes
/// translated, what they frame left as written. A remark is the owner's own text and is
/// shown as it is.
pub fn detail_text(kind: LogKind, detail: &str, lang: Language) -> String {
    if lang == Language::English || kind == LogKind::Remark {
        return detail.to_owned();
    }
    // A flag's remark is the owner's text: only what comes before it is translated.
    let (framed, remark) = match detail.split_once(", remark: ") {
        Some((head, remark)) if kind == LogKind::Flag => (head, Some(remark)),
        _ => (detail, None),
    };
    let mut text = framed.to_owned();
    for (en, zh) in DETAIL_PHRASES {
        text = text.replace(en, zh);
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        match detail_word(word) {
            Some(zh) => out.push_str(zh),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    if let Some(remark) = remark {
        out.push_str("，备注：");
        out.push_str(remark);
    }
    out
}

#[cfg(test)]
mod detail_tests {
    use super::*;
    use crate::domain::Event;

    /// Every phrase the store writes reads in Chinese; what it frames stays as written.
    #[test]
    fn event_details_in_chinese() {
        let cases = [
            (
                LogKind::Event(Event::Review),
                "pending_review → approved",
                "未审核 → 已审核",
            ),
            (LogKind::Flag, "flag yellow", "黄旗"),
            (LogKind::Flag, "flag yellow → blue", "黄旗 → 蓝旗"),
            (
                LogKind::Flag,
                "flag purple → none (AS000001 finished)",
                "紫旗 → 无旗帜 (AS000001 已完结)",
            ),
            (
                LogKind::Event(Event::Hold),
                "on hold no → yes",
                "挂起 否 → 是",
            ),
            (
                LogKind::Event(Event::PaymentReceived),
                "payment unpaid → paid",
                "付款 未付款 → 已付款",
            ),
            (
                LogKind::Receiver,
                "receiver_name: 张伟 → 张薇; district: 西湖区 → 滨江区",
                "收货人：张伟 → 张薇；区：西湖区 → 滨江区",
            ),
            (
                LogKind::Import,
                "receiver changed on the platform; printed with the old receiver: held and flagged red",
                "平台上的收货信息已变更；已按旧收货信息打印：已挂起并标红",
            ),
            (
                LogKind::Import,
                "platform status 等待出库 → 等待确认收货; shipped: the platform shows it shipped",
                "平台状态 等待出库 → 等待确认收货；已发货：平台显示已发货",
            ),
            (
                LogKind::Import,
                "the platform shows 售后：退款中 again (already held)",
                "平台显示 售后：退款中 再次出现（订单已挂起）",
            ),
            (
                LogKind::Import,
                "receiver changed on the platform; back to review",
                "平台上的收货信息已变更；退回待审核",
            ),
            (
                LogKind::Import,
                "platform status - → 交易关闭; merged into 900000000, which is held and flagged red",
                "平台状态 - → 交易关闭；已合并到 900000000，该订单已挂起并标红",
            ),
            (
                LogKind::Import,
                "the platform shows it shipped, but it is approved: held and flagged red",
                "平台显示已发货，但订单为已审核：已挂起并标红",
            ),
            (
                LogKind::Flag,
                "flag green, remark: paid by bank, no change",
                "绿旗，备注：paid by bank, no change",
            ),
            (LogKind::Merge, "3100000012 merged in", "3100000012 已并入"),
            (
                LogKind::Merge,
                "merged into 3100000011",
                "已合并到 3100000011",
            ),
            (LogKind::Unmerge, "2 orders split off", "2 个订单已拆出"),
            (LogKind::Split, "1 line(s) moved to 31-2", "1 行已移至 31-2"),
            (
                LogKind::Match,
                "SKU CUP-RED → CUP",
                "商家编码 CUP-RED → CUP",
            ),
            (
                LogKind::Import,
                "payment unpaid → paid; tracking SF SF123",
                "付款 未付款 → 已付款；运单号 SF SF123",
            ),
            (
                LogKind::Import,
                "the platform closed it, but it is printed: flagged red",
                "平台已关闭订单，但订单为已打印：已标红",
            ),
            (LogKind::Created, "taobao", "淘宝"),
            (
                LogKind::Receiver,
                "city: 杭州市 → 宁波市; district: 西湖区 → 海曙区",
                "市：杭州市 → 宁波市；区：西湖区 → 海曙区",
            ),
            (LogKind::Remark, "old → new", "old → new"),
            (
                LogKind::Shipping(crate::domain::shipping::ShippingLog::Weight),
                "1250 g",
                "1250 克",
            ),
        ];
        for (kind, detail, expected) in cases {
            assert_eq!(
                detail_text(kind, detail, Language::Chinese),
                expected,
                "{detail}"
            );
            assert_eq!(detail_text(kind, detail, Language::English), detail);
        }
    }
}

/// A review problem in the window's language (the English is the domain's message).
pub fn problem_text(p: &crate::domain::review::ReviewProblem, lang: Language) -> String {
    use crate::domain::OrderState;
    use crate::domain::review::ReviewCheck as C;
    if lang == Language::English {
        return p.message.clone();
    }
    let arg = |i: usize| p.args.get(i).map_or("", String::as_str);
    let no = arg(0);
    match p.check {
        C::NotPending => {
            let state = OrderState::from_code(arg(1))
                .map_or(arg(1), |s| state_text(s).tr(Language::Chinese));
            format!("订单 {no} 为{state}：只有待审核的订单可以审核")
        }
        C::MergedAway => {
            let main = arg(1);
            format!("订单 {no} 已合并到订单 {main}：请审核 {main}")
        }
        C::OnHold => format!("订单 {no} 已挂起：请先取消挂起"),
        C::ReceiverMissing => format!("订单 {no} 没有收货人：请修改收货信息"),
        C::AddressIncomplete => {
            let missing: Vec<&str> = p.args[1.min(p.args.len())..]
                .iter()
                .map(|m| match m.as_str() {
                    "province" => "省",
                    "city" => "市",
                    _ => "详细地址",
                })
                .collect();
            format!("订单 {no}：地址缺少{}：请修改收货地址", missing.join("、"))
        }
        C::PhoneMissing => format!("订单 {no} 没有收货电话：快递需要电话"),
        C::PhoneInvalid => {
            let why = if arg(2) == "masked" {
                "被隐藏：请从平台获取完整号码"
            } else {
                "不是手机号（11 位，1[3-9]…）也不是带区号的座机（0571-88886666）"
            };
            format!("订单 {no}：电话 {} {why}", arg(1))
        }
        C::NoLines => format!("订单 {no} 没有商品：无货可发"),
        C::LineUnmatched => {
            let sku = if arg(1).is_empty() {
                "（无商家编码）"
            } else {
                arg(1)
            };
            format!(
                "订单 {no}：商品行 {sku} {} 未匹配商品：请匹配商家编码",
                arg(2)
            )
            .replace("  ", " ")
        }
        C::StockShort => format!(
            "订单 {no}：{} 库存不足：需要 {}，理论库存 {}",
            arg(1),
            arg(2),
            arg(3)
        ),
    }
}

/// Why the state machine refused an event, in Chinese (the domain's reasons are fixed
/// English sentences).
fn refusal_zh(reason: &str) -> Option<&'static str> {
    Some(match reason {
        "archived orders cannot change" => "已归档的订单不能修改",
        "nothing to reopen" => "没有可重开的内容",
        "only approved orders can be printed" => "只有已审核的订单可以打印",
        "only orders pending review can be reviewed" => "只有待审核的订单可以审核",
        "only orders that have not shipped can be held" => "只有未发货的订单可以挂起",
        "only printed orders can ship" => "只有已打印的订单可以发货",
        "only shipped orders can be archived" => "只有已发货的订单可以归档",
        "only shipped orders can be returned" => "只有已发货的订单可以退货",
        "payment has not been received" => "尚未到款",
        "review the order first" => "请先审核订单",
        "the goods have left; record a return instead" => "货物已发出；请改为登记退货",
        "the order is already cancelled" => "订单已取消",
        "the order is already on hold" => "订单已挂起",
        "the order is already paid" => "订单已付款",
        "the order is cancelled" => "订单已取消",
        "the order is not on hold" => "订单未挂起",
        "the order is on hold" => "订单已挂起：请先取消挂起",
        _ => return None,
    })
}

/// Why an order was left as it was, in the window's language.
pub fn reason_text(reason: &crate::app::orders::Reason, lang: Language) -> String {
    use crate::app::orders::Reason;
    if lang == Language::English {
        return reason.to_string();
    }
    match reason {
        Reason::MergedInto { order_no, main } => {
            format!("订单 {order_no} 已合并到订单 {main}：请对 {main} 操作，或先拆分合并")
        }
        Reason::Rule(refusal) => {
            let event = event_text(LogKind::Event(refusal.event), lang);
            let state = state_text(refusal.status.state).tr(lang);
            let why = refusal_zh(refusal.reason).unwrap_or(refusal.reason);
            format!("不能对{state}的订单执行「{event}」：{why}")
        }
        Reason::Review(problems) => problems
            .iter()
            .map(|p| problem_text(p, lang))
            .collect::<Vec<_>>()
            .join("；"),
        Reason::Store(text) => crate::ui::messages::import_message(text, lang),
    }
}

#[cfg(test)]
mod refusal_tests {
    use super::*;
    use crate::app::orders::Reason;
    use crate::domain::review::{ReviewInput, review_problems};
    use crate::domain::{Event, OrderStatus, transition};

    /// No Latin word is left in a Chinese refusal but the data it names.
    fn chinese_only(text: &str, data: &[&str]) -> bool {
        let mut rest = text.to_owned();
        for d in data {
            rest = rest.replace(d, "");
        }
        !rest.chars().any(|c| c.is_ascii_alphabetic())
    }

    #[test]
    fn every_rule_refusal_reads_in_chinese() {
        for state in crate::domain::OrderState::ALL {
            for on_hold in [false, true] {
                for paid in [false, true] {
                    let status = OrderStatus {
                        state,
                        on_hold,
                        paid,
                        cash_on_delivery: false,
                    };
                    for event in Event::ALL {
                        if let Err(refusal) = transition(status, event) {
                            assert!(refusal_zh(refusal.reason).is_some(), "{}", refusal.reason);
                            let text = reason_text(&Reason::Rule(refusal), Language::Chinese);
                            assert!(chinese_only(&text, &[]), "{text}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn review_problems_read_in_chinese() {
        let input = ReviewInput {
            order_no: "31001".to_owned(),
            state: crate::domain::OrderState::Approved,
            merged_into: Some("31000".to_owned()),
            on_hold: true,
            receiver_name: String::new(),
            province: String::new(),
            city: "杭州市".to_owned(),
            district: String::new(),
            address: String::new(),
            phones: vec!["138****5678".to_owned(), "12".to_owned()],
            lines: vec![crate::domain::review::ReviewLine {
                sku: "CUP-RED".to_owned(),
                title: "杯子".to_owned(),
                matched: false,
            }],
            items: vec![crate::domain::review::ReviewItem {
                product_code: "TEA".to_owned(),
                needed: 3,
                available: 1,
            }],
        };
        let problems = review_problems(&input);
        assert!(problems.len() >= 7, "{problems:?}");
        for p in &problems {
            let text = problem_text(p, Language::Chinese);
            assert!(
                chinese_only(&text, &["31001", "31000", "CUP-RED", "TEA"]),
                "{text}"
            );
            assert_eq!(problem_text(p, Language::English), p.message);
        }
        let text = reason_text(
            &Reason::Store("a line of this order is not matched to a product yet".to_owned()),
            Language::Chinese,
        );
        assert!(chinese_only(&text, &[]), "{text}");
    }
}
