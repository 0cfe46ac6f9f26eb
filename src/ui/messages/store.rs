//! The store's refusals (`StoreError::Invalid` and `NotFound` sentences), as (English
//! template, Chinese template). A test reads every such sentence in `src/store` and fails
//! on one without a line here.

pub(super) const TEMPLATES: &[(&str, &str)] = &[
    // Backups refused for a restore.
    (
        "its schema is not as ShopDesk writes it ({})",
        "文件结构与 ShopDesk 写入的不一致（{0}）",
    ),
    (
        "the file is damaged (stock ledger: {})",
        "文件已损坏（库存流水：{0}）",
    ),
    // Orders.
    ("no order with id {}", "找不到 id 为 {0} 的订单"),
    ("no order #{}", "找不到订单 #{0}"),
    ("no order numbered {}", "找不到订单号 {0}"),
    ("no order {}", "找不到订单 {0}"),
    (
        "order number {} exists on more than one platform",
        "订单号 {0} 在多个平台都有",
    ),
    (
        "order {} of {} is already in the database",
        "{1} 的订单 {0} 已在数据库中",
    ),
    (
        "order {} of {} is twice in this import",
        "{1} 的订单 {0} 在这次导入中出现了两次",
    ),
    (
        "an order number of this batch is already in the database",
        "这批订单中有订单号已在数据库中",
    ),
    (
        "a line of this order is not matched to a product yet",
        "此订单有商品行尚未匹配商品",
    ),
    (
        "order {} is archived and cannot change",
        "订单 {0} 已归档，不能修改",
    ),
    (
        "order {} is merged into order {}: act on {}",
        "订单 {0} 已合并到订单 {1}：请对 {2} 操作",
    ),
    (
        "order {} is merged into order {}: {} on {}, or unmerge first",
        "订单 {0} 已合并到订单 {1}：请对 {3} 执行「{2}」，或先拆分合并",
    ),
    (
        "order {} is merged into order {}: record the payment on {}",
        "订单 {0} 已合并到订单 {1}：请在 {2} 上登记收款",
    ),
    (
        "order {} is merged into order {}: reship {}",
        "订单 {0} 已合并到订单 {1}：请补发 {2}",
    ),
    (
        "order {} is merged into order {}: change the courier of {}",
        "订单 {0} 已合并到订单 {1}：请更换 {2} 的快递",
    ),
    (
        "order {} is {}: merges can be undone only before printing",
        "订单 {0} 状态为 {1}：只有打印前才能拆分合并",
    ),
    (
        "order {} has no orders merged into it",
        "订单 {0} 没有合并进来的订单",
    ),
    (
        "order {} has orders merged into it: unmerge them first, then split",
        "订单 {0} 有合并进来的订单：请先拆分合并，再拆单",
    ),
    (
        "order {} has orders merged into it: unmerge them first, then edit",
        "订单 {0} 有合并进来的订单：请先拆分合并，再修改",
    ),
    ("cannot {} order {}: {}", "不能对订单 {1} 执行「{0}」：{2}"),
    (
        "order {}: a receiver field is too long",
        "订单 {0}：收货信息过长",
    ),
    (
        "line {} is not a line of order {}",
        "商品行 {0} 不是订单 {1} 的商品行",
    ),
    (
        "choose the lines of order {} to split off",
        "请选择要从订单 {0} 拆出的商品行",
    ),
    (
        "order {}: keep at least one line on the original order",
        "订单 {0}：原订单至少要保留一行商品",
    ),
    (
        "order {}: the remark is longer than 1,000 characters",
        "订单 {0}：备注超过 1000 个字符",
    ),
    (
        "order {}: cannot open a {} case: {}",
        "订单 {0}：不能开「{1}」售后单：{2}",
    ),
    (
        "order {}: nothing to refund: {}",
        "订单 {0}：没有可退的款项：{1}",
    ),
    (
        "return parcel {} was recorded already as unknown return parcel {} ({}): match it with \
         `case assign {} CASE`",
        "退货包裹 {0} 已登记为无单退货包裹 {1}（{2}）：请用 `case assign {3} 售后单` 匹配",
    ),
    (
        "{}: its replacement order {} was cancelled: send it again, or reject the case",
        "{0}：其换货/补发订单 {1} 已取消：请重新发出，或拒绝此售后单",
    ),
    (
        "{}: nothing of its order is left to come back: other cases took back every line of \
         it ({})",
        "{0}：订单已无可退回的商品：其他售后单（{1}）已退回全部商品",
    ),
    (
        "order {} has an open after-sales case ({}) that flags it: finish the case before \
         archiving the order",
        "订单 {0} 有未完结的售后单（{1}）标着旗帜：请先完结售后单再归档",
    ),
    (
        "order {} is already paid: nothing to follow up",
        "订单 {0} 已付款：无需跟进",
    ),
    // Manual orders.
    (
        "the amount received must be more than 0",
        "收款金额必须大于 0",
    ),
    (
        "say why the order is sent again (missing item, damaged, lost by courier…)",
        "请写明补发原因（漏发、破损、快递丢件…）",
    ),
    (
        "order {} came from {}: only manual orders are edited this way (change its receiver \
         or remark, or split it)",
        "订单 {0} 来自 {1}：只有手工订单可以这样修改（可改收货人或备注，或拆单）",
    ),
    (
        "order {} is on pick list {}: its goods are being picked",
        "订单 {0} 在拣货单 {1} 上：货品正在拣货",
    ),
    (
        "order {} is paid already: it cannot become cash on delivery",
        "订单 {0} 已付款：不能改为货到付款",
    ),
    ("no customer #{}", "找不到客户 #{0}"),
    ("the receiver's name is missing", "缺少收货人姓名"),
    (
        "phone {}: expected a mobile number or a landline with its area code",
        "电话 {0}：应为手机号，或带区号的固定电话",
    ),
    (
        "the address needs a province, a city and the street address",
        "地址需要省、市和详细地址",
    ),
    (
        "add at least one product to the order",
        "请至少添加一个商品",
    ),
    ("postage cannot be negative", "运费不能为负"),
    (
        "{}: quantity {} — expected 1 to {}",
        "{0}：数量 {1}——应为 1 到 {2}",
    ),
    ("{}: the price cannot be negative", "{0}：价格不能为负"),
    (
        "product {} is inactive: activate it in Inventory first",
        "商品 {0} 已停用：请先在库存中启用",
    ),
    (
        "order {} has not been printed yet: change the order instead of sending it again",
        "订单 {0} 还没有打印：请直接修改订单，不必补发",
    ),
    // Products and stock.
    (
        "no product with code or barcode {}",
        "找不到编码或条码为 {0} 的商品",
    ),
    ("no single product with code {}", "找不到编码为 {0} 的单品"),
    ("no product with code {}", "找不到编码为 {0} 的商品"),
    ("no product {}", "找不到商品 {0}"),
    (
        "the code of product {} cannot change",
        "商品 {0} 的编码不能修改",
    ),
    (
        "a product with code {} exists already",
        "编码为 {0} 的商品已存在",
    ),
    (
        "a bin location has at most 64 characters",
        "库位最多 64 个字符",
    ),
    (
        "{} adjusts by a {} quantity, not {}",
        "{0} 按{1}数量调整，不是 {2}",
    ),
    (
        "product code {}: at most 64 characters",
        "商品编码 {0}：最多 64 个字符",
    ),
    (
        "product {}: the name has more than 200 characters",
        "商品 {0}：名称超过 200 个字符",
    ),
    (
        "product {}: the {} cannot be negative",
        "商品 {0}：{1}不能为负",
    ),
    (
        "product {} has {} on hand: a bundle keeps no stock of its own; adjust it to zero first",
        "商品 {0} 有 {1} 件库存：套装自己不存库存；请先把它调整为零",
    ),
    (
        "product {} is a component of a bundle and cannot be a bundle itself",
        "商品 {0} 是某个套装的组件，本身不能是套装",
    ),
    (
        "bundle {}: component {} needs a quantity of at least 1",
        "套装 {0}：组件 {1} 的数量至少为 1",
    ),
    (
        "bundle {}: component {} is not a single product",
        "套装 {0}：组件 {1} 不是单品",
    ),
    ("product {}: attributes: {}", "商品 {0}：属性：{1}"),
    (
        "barcode {} of product {} already belongs to another product",
        "商品 {1} 的条码 {0} 已属于另一个商品",
    ),
    (
        "{}: only {} on hand, cannot take {}; negative stock is not allowed (Settings can \
         allow it)",
        "{0}：只有 {1} 件库存，不能扣减 {2}；不允许负库存（可在设置中允许）",
    ),
    ("a purchase needs a supplier", "采购单需要供应商"),
    ("a purchase needs at least one line", "采购单至少需要一行"),
    (
        "{}: a purchase line needs a quantity of at least 1",
        "{0}：采购行的数量至少为 1",
    ),
    ("{}: a cost cannot be negative", "{0}：成本不能为负"),
    (
        "{} is on the purchase twice: put it on one line",
        "{0} 在采购单上出现两次：请合并为一行",
    ),
    ("no purchase {}", "找不到采购单 {0}"),
    (
        "purchase {} is {}: nothing more can be received",
        "采购单 {0} 状态为 {1}：不能再收货",
    ),
    ("{} is not on purchase {}", "{0} 不在采购单 {1} 上"),
    (
        "nothing to receive on purchase {}",
        "采购单 {0} 没有要收的货",
    ),
    ("purchase {} is not open", "采购单 {0} 未开启"),
    (
        "expected date {}: write it as YYYY-MM-DD",
        "预计到货日期 {0}：请写成 YYYY-MM-DD",
    ),
    (
        "count {} is still open: post or cancel it first",
        "盘点 {0} 仍在进行：请先过账或取消",
    ),
    (
        "no active product lies in that bin range",
        "该库位范围内没有启用的商品",
    ),
    ("no stock count {}", "找不到盘点 {0}"),
    ("count {} is {} already", "盘点 {0} 已经是{1}"),
    ("count {} is not open", "盘点 {0} 未在进行"),
    ("count {} is {}", "盘点 {0} 状态为 {1}"),
    (
        "{} is not part of count {} (another bin range?)",
        "{0} 不在盘点 {1} 中（是另一个库位范围？）",
    ),
    (
        "{}: only {} damaged kept apart, cannot take {}",
        "{0}：只有 {1} 件残次品单独存放，不能取 {2}",
    ),
    (
        "the quantity must be a whole number above 0",
        "数量必须是大于 0 的整数",
    ),
    // After-sales.
    ("no after-sales case {}", "找不到售后单 {0}"),
    (
        "{}: not enough stock to send: {}; negative stock is not allowed (Settings can allow it)",
        "{0}：库存不足，无法发出：{1}；不允许负库存（可在设置中开启）",
    ),
    (
        "no unmatched return parcel {}",
        "找不到未匹配的退货包裹 {0}",
    ),
    (
        "return parcel {}: its contents are not lines: {}; say what came back in it as \
         CODE=QTY:sellable or CODE=QTY:damaged",
        "退货包裹 {0}：内容不是商品行：{1}；请按 编码=数量:sellable 或 编码=数量:damaged 写明退回的商品",
    ),
    (
        "return parcel {} has no contents written down: say what came back in it as \
         CODE=QTY:sellable or CODE=QTY:damaged",
        "退货包裹 {0} 没有记录内容：请按 编码=数量:sellable 或 编码=数量:damaged 写明退回的商品",
    ),
    (
        "no unmatched return parcel {}",
        "找不到未匹配的退货包裹 {0}",
    ),
    (
        "reason code {}: expected 1 to 40 characters without spaces",
        "原因代码 {0}：应为 1 到 40 个字符，不含空格",
    ),
    (
        "reason {}: the label must be 1 to 80 characters",
        "原因 {0}：名称应为 1 到 80 个字符",
    ),
    (
        "unknown reason {}: expected one of {}",
        "未知的原因 {0}：应为以下之一：{1}",
    ),
    ("unknown reason {}", "未知的原因 {0}"),
    (
        "say why the case is rejected (the buyer withdrew, outside the return period…)",
        "请写明拒绝原因（买家撤销、超出退货期…）",
    ),
    // Shipping and the pack station.
    (
        "choose at least one order for the batch",
        "请为这一批至少选择一个订单",
    ),
    ("choose at least one order", "请至少选择一个订单"),
    ("no batch {}", "找不到批次 {0}"),
    (
        "a courier needs a code and a name",
        "快递公司需要代码和名称",
    ),
    (
        "{} already names courier {} ({}): a code, name or alias names one courier only",
        "{0} 已是快递公司 {1}（{2}）的名字：一个代码、名称或别名只能对应一家快递公司",
    ),
    ("no courier has the alias {}", "没有快递公司用别名 {0}"),
    (
        "no courier with code {}: add it in Settings or with `shopdesk couriers add`",
        "没有代码为 {0} 的快递公司：请在设置中添加，或用 `shopdesk couriers add`",
    ),
    (
        "no courier named {}: add it in Settings or with `shopdesk couriers add`",
        "没有名为 {0} 的快递公司：请在设置中添加，或用 `shopdesk couriers add`",
    ),
    (
        "these orders have another courier's tracking number, and its label may be on a \
         parcel already: {}. Print them with their own courier, or change their courier \
         first (`shopdesk courier-change ORDER_NO --courier {} --reason TEXT`, or Change \
         courier in the Waybills tab), which voids the old number",
        "这些订单已有另一家快递公司的运单号，面单可能已贴在包裹上：{0}。请用它们自己的快递公司打印，或先更换快递（运单页的「更换快递」，或 `shopdesk courier-change ORDER_NO --courier {1} --reason TEXT`），旧单号随之作废",
    ),
    (
        "order {} already has {}: a new number replaces it only through a courier change, \
         which voids the old one (`shopdesk courier-change {} --courier {} --number {} \
         --reason TEXT`)",
        "订单 {0} 已有 {1}：新单号只能通过更换快递替换，旧单号随之作废（`shopdesk courier-change {2} --courier {3} --number {4} --reason TEXT`）",
    ),
    (
        "a courier change needs a reason: it goes into the order's log",
        "更换快递需要原因：它会写入订单日志",
    ),
    (
        "tracking number {} is already used by order {}",
        "运单号 {0} 已被订单 {1} 使用",
    ),
    (
        "tracking number {} was voided on order {} and is never used again",
        "运单号 {0} 已在订单 {1} 上作废，不会再用",
    ),
    ("tracking number {} is already used", "运单号 {0} 已被使用"),
    (
        "tracking number {} is in the pool of courier {}, not {}",
        "运单号 {0} 在快递公司 {1} 的单号池中，不是 {2}",
    ),
    (
        "order {} is {}: its parcel left with {}, so its courier cannot change",
        "订单 {0} 状态为 {1}：包裹已由 {2} 揽收，不能更换快递",
    ),
    (
        "{} is order {}'s tracking number already: give another number, or none to take the \
         next one of {}'s pool",
        "{0} 已是订单 {1} 的运单号：请给另一个单号，或不填以取 {2} 单号池中的下一个",
    ),
    (
        "{} ({}) has no free tracking number in its pool: import more (`shopdesk tracking \
         import --courier {} FILE`) or give one with --number",
        "{0}（{1}）的单号池中没有空闲单号：请导入更多（`shopdesk tracking import --courier {2} FILE`），或用 --number 指定",
    ),
    (
        "these orders cannot be printed: {}",
        "这些订单不能打印：{0}",
    ),
    (
        "say why the order ships without a full check",
        "请写明为什么不经完整核对就发货",
    ),
    (
        "weight {} g: expected 1 to {} g",
        "重量 {0} 克：应为 1 到 {1} 克",
    ),
    (
        "a pass or an override is recorded by shipping the order",
        "通过或强制发货会通过发货记录",
    ),
    ("hand-over {} is closed already", "交接单 {0} 已关闭"),
    ("no hand-over {}", "找不到交接单 {0}"),
    (
        "order {} is {}: only a printed or shipped parcel is weighed",
        "订单 {0} 状态为 {1}：只有已打印或已发货的包裹可以称重",
    ),
    // Operators, settings, backups, files.
    (
        "the first operator of a database must be an owner",
        "数据库的第一个操作员必须是店主",
    ),
    (
        "there is already an operator named {}",
        "已有名为 {0} 的操作员",
    ),
    ("no operator named {}", "没有名为 {0} 的操作员"),
    (
        "{} is the only owner: make another operator owner first",
        "{0} 是唯一的店主：请先让另一位操作员成为店主",
    ),
    (
        "the operator name cannot be empty: it is written into every change",
        "操作员姓名不能为空：每次修改都会记下它",
    ),
    (
        "the backup into {} was cancelled; nothing was kept",
        "备份到 {0} 已取消；没有保留任何文件",
    ),
    ("cannot write the backup {}: {}", "无法写入备份 {0}：{1}"),
    (
        "{} is in use by another ShopDesk window or command: close it and restore again \
         (nothing was changed)",
        "{0} 正被另一个 ShopDesk 窗口或命令使用：请关闭它后再恢复（没有任何改动）",
    ),
    ("cannot create the folder {}: {}", "无法创建文件夹 {0}：{1}"),
    (
        "{} already holds a shop ({} products, {} orders); the demo fills only an empty \
         database: pass --db with a new path",
        "{0} 已有店铺数据（{1} 个商品，{2} 个订单）；示例数据只写入空数据库：请用 --db 指定新路径",
    ),
    ("cannot start the demo: {}", "无法开始生成示例数据：{0}"),
    ("cancelled: nothing was written", "已取消：没有写入任何内容"),
    (
        "import cancelled: nothing was written",
        "导入已取消：没有写入任何内容",
    ),
    ("import cancelled", "导入已取消"),
    (
        "a line without a SKU is matched by its title: name the title",
        "没有 SKU 的商品行按标题匹配：请给出标题",
    ),
    ("cannot write: {}", "无法写入：{0}"),
    ("cannot {} {}: {}", "无法{0} {1}：{2}"),
    // Words the sentences above take from the data: states and what a figure is.
    ("pending review", "待审核"),
    ("approved", "已审核"),
    ("printed", "已打印"),
    ("shipped", "已发货"),
    ("archived", "已归档"),
    ("cancelled", "已取消"),
    ("posted", "已过账"),
    ("received", "已收货"),
    ("closed", "已关闭"),
    ("price", "价格"),
    ("cost", "成本"),
    ("positive", "正"),
    ("negative", "负"),
    // Sentences that carry another: the part after the colon is looked up on its own.
    ("order {}: {}", "订单 {0}：{1}"),
    ("{} ({}): {}", "{0}（{1}）：{2}"),
    ("{}: {}", "{0}：{1}"),
];
