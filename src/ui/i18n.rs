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
        ShipPrintable => ("printable orders", "个可打印订单"),
        ShipChosen => ("chosen", "个已选"),
        ShipChooseAll => ("Choose all shown", "全选显示的订单"),
        ShipClear => ("Clear", "清空"),
        ShipChosenElsewhere => (
            "chosen in the Orders tab (checked when printing)",
            "个来自订单处理的选择（打印时检查）",
        ),
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
        ShipPoolFree => ("numbers left in the pool", "个可用单号"),
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
