//! Every word the window shows, in English and 简体中文. The Chinese uses the terms shop
//! staff know from DOMAIN.md (审核, 到款, 配货, 验货 …).

use crate::store::Language;

/// A piece of UI text. Adding a variant without both translations does not compile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum T {
    AppTitle,
    TabOrders,
    TabManualOrder,
    TabInventory,
    TabPickLists,
    TabWaybills,
    TabSettings,
    Loading,
    NotOpened,
    Dismiss,
    // First run.
    EmptyShopTitle,
    EmptyShopBody,
    LoadSampleShop,
    SampleShopHint,
    Cancel,
    LoadingSample,
    SampleLoaded,
    // Orders tab.
    OrdersEmpty,
    Search,
    SearchHint,
    StateFilter,
    AllStates,
    OrdersFound,
    ColOrderNo,
    ColPlatform,
    ColState,
    ColPaid,
    ColReceiver,
    ColCity,
    ColTotal,
    ColFlag,
    ColOrderedAt,
    ColTracking,
    Paid,
    Unpaid,
    OnHold,
    // Other tabs.
    InventoryEmpty,
    ManualOrderEmpty,
    PickListsEmpty,
    WaybillsEmpty,
    ApprovedWaiting,
    PrintedWaiting,
    ColCode,
    ColName,
    ColOnHand,
    ColTheoretical,
    ColSellable,
    ColInTransit,
    ColBin,
    ProductsCount,
    // Settings.
    SettingsShop,
    ShopName,
    SenderName,
    SenderPhone,
    SenderAddress,
    SettingsStock,
    DeductPaid,
    DeductUnpaid,
    UnpaidAfterDays,
    AllowNegative,
    SettingsOperator,
    Operator,
    Language,
    FlagMeanings,
    Save,
    Revert,
    Saved,
    Database,
    OpenFileHint,
    OpenAnother,
    Open,
    Browse,
    // Status bar.
    StatusProducts,
    StatusOrders,
    StatusOperator,
    // States.
    StatePendingReview,
    StateApproved,
    StatePrinted,
    StateShipped,
    StateArchived,
    StateCancelled,
}

impl T {
    /// (English, 简体中文)
    fn texts(self) -> (&'static str, &'static str) {
        match self {
            T::AppTitle => ("ShopDesk", "ShopDesk 店务台"),
            T::TabOrders => ("Orders", "订单处理"),
            T::TabManualOrder => ("Manual order", "手动下单"),
            T::TabInventory => ("Inventory", "库存"),
            T::TabPickLists => ("Pick lists", "配货单"),
            T::TabWaybills => ("Waybills", "快递单打印"),
            T::TabSettings => ("Settings", "设置"),
            T::Loading => ("Loading…", "加载中…"),
            T::NotOpened => ("The database is not open", "数据库未打开"),
            T::Dismiss => ("Dismiss", "关闭"),
            T::EmptyShopTitle => ("Welcome to ShopDesk", "欢迎使用 ShopDesk"),
            T::EmptyShopBody => (
                "This shop has no products or orders yet. Import the marketplace's order \
                 export, add products in Inventory, or load the sample shop to try every tab.",
                "店铺里还没有商品和订单。可以导入平台导出的订单，在“库存”里添加商品，\
                 或者载入示例店铺，先把每个页面都试一遍。",
            ),
            T::LoadSampleShop => ("Load the sample shop", "载入示例店铺"),
            T::SampleShopHint => (
                "About 200 products and 2,000 orders over 60 days, the same as `shopdesk demo`.",
                "约 200 个商品、60 天内 2000 个订单，与 `shopdesk demo` 相同。",
            ),
            T::Cancel => ("Cancel", "取消"),
            T::LoadingSample => ("Writing the sample shop…", "正在写入示例店铺…"),
            T::SampleLoaded => ("The sample shop is loaded.", "示例店铺已载入。"),
            T::OrdersEmpty => (
                "No orders yet. Import the marketplace's export or load the sample shop.",
                "还没有订单。请导入平台导出的订单，或载入示例店铺。",
            ),
            T::Search => ("Search", "搜索"),
            T::SearchHint => (
                "name, phone, buyer, order or tracking no., SKU",
                "姓名、电话、买家、订单号、快递单号、商家编码",
            ),
            T::StateFilter => ("State", "状态"),
            T::AllStates => ("All", "全部"),
            T::OrdersFound => ("orders", "个订单"),
            T::ColOrderNo => ("Order no.", "订单编号"),
            T::ColPlatform => ("Platform", "平台"),
            T::ColState => ("State", "状态"),
            T::ColPaid => ("Payment", "付款"),
            T::ColReceiver => ("Receiver", "收货人"),
            T::ColCity => ("City", "城市"),
            T::ColTotal => ("Total", "金额"),
            T::ColFlag => ("Flag", "旗帜"),
            T::ColOrderedAt => ("Ordered", "拍下时间"),
            T::ColTracking => ("Tracking", "快递单号"),
            T::Paid => ("paid", "已付款"),
            T::Unpaid => ("unpaid", "未付款"),
            T::OnHold => ("on hold", "挂起"),
            T::InventoryEmpty => (
                "No products yet. Products arrive with the product import, or load the sample shop.",
                "还没有商品。可通过商品导入添加，或载入示例店铺。",
            ),
            T::ManualOrderEmpty => (
                "Manual orders (offline sales, reshipments) are entered here: search products, \
                 add them to the cart, enter the receiver, mark payment received.",
                "手动订单（线下销售、补发）在这里录入：搜索商品、加入购物车、填写收货人、确认到款。",
            ),
            T::PickListsEmpty => (
                "Pick lists are made from approved, paid orders: review orders in the Orders tab first.",
                "配货单由已审核、已付款的订单生成：请先在“订单处理”中审核订单。",
            ),
            T::WaybillsEmpty => (
                "Waybills are printed for approved, paid orders; set the sender in Settings.",
                "快递单为已审核、已付款的订单打印；请先在“设置”中填写寄件人。",
            ),
            T::ApprovedWaiting => ("approved orders wait for printing", "个已审核订单等待打印"),
            T::PrintedWaiting => (
                "printed orders wait for the pack check",
                "个已打印订单等待验货发货",
            ),
            T::ColCode => ("Code", "商品编码"),
            T::ColName => ("Name", "名称"),
            T::ColOnHand => ("On hand", "实际库存"),
            T::ColTheoretical => ("Theoretical", "理论库存"),
            T::ColSellable => ("Sellable", "可售库存"),
            T::ColInTransit => ("In transit", "在途"),
            T::ColBin => ("Bin", "货位"),
            T::ProductsCount => ("products", "个商品"),
            T::SettingsShop => (
                "Shop and sender (printed on waybills)",
                "店铺与寄件人（打印在快递单上）",
            ),
            T::ShopName => ("Shop name", "店铺名称"),
            T::SenderName => ("Sender name", "寄件人"),
            T::SenderPhone => ("Sender phone", "寄件人电话"),
            T::SenderAddress => ("Sender address", "寄件地址"),
            T::SettingsStock => ("Sellable stock (图片库存)", "可售库存（图片库存）"),
            T::DeductPaid => ("Deduct unreviewed paid orders", "扣减未审核的已付款订单"),
            T::DeductUnpaid => ("Deduct unreviewed unpaid orders", "扣减未审核的未付款订单"),
            T::UnpaidAfterDays => ("…only after this many days", "……仅在下单满以下天数后"),
            T::AllowNegative => (
                "Allow negative stock (with a warning)",
                "允许负库存（会提示）",
            ),
            T::SettingsOperator => ("Operator and language", "操作员与语言"),
            T::Operator => ("Operator name", "操作员"),
            T::Language => ("Language", "界面语言"),
            T::FlagMeanings => ("What each flag means", "旗帜含义"),
            T::Save => ("Save settings", "保存设置"),
            T::Revert => ("Revert", "撤销修改"),
            T::Saved => ("Settings saved.", "设置已保存。"),
            T::Database => ("Database file", "数据库文件"),
            T::OpenFileHint => (
                "Start with --db PATH to use another file.",
                "启动时加 --db 路径 可使用其他数据库文件。",
            ),
            T::OpenAnother => ("Open another file", "打开其他文件"),
            T::Open => ("Open", "打开"),
            T::Browse => ("Browse…", "浏览…"),
            T::StatusProducts => ("products", "商品"),
            T::StatusOrders => ("orders", "订单"),
            T::StatusOperator => ("operator", "操作员"),
            T::StatePendingReview => ("Pending review", "未审核"),
            T::StateApproved => ("Approved", "已审核"),
            T::StatePrinted => ("Printed", "已打印"),
            T::StateShipped => ("Shipped", "已发货"),
            T::StateArchived => ("Archived", "已归档"),
            T::StateCancelled => ("Cancelled", "已关闭"),
        }
    }

    /// The text in the given language.
    pub fn tr(self, language: Language) -> &'static str {
        let (en, zh) = self.texts();
        match language {
            Language::English => en,
            Language::Chinese => zh,
        }
    }
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
