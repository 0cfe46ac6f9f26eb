//! The words of the Settings tab, English and 简体中文 side by side.

use crate::ui::i18n::texts;

texts! {
    /// A text of the Settings tab; one the other tabs use too is a [`crate::ui::i18n::T`].
    pub enum Tx {
        SettingsShop => ("Shop and sender (printed on waybills)", "店铺与寄件人（打印在快递单上）"),
        ShopName => ("Shop name", "店铺名称"),
        SenderName => ("Sender name", "寄件人"),
        SenderPhone => ("Sender phone", "寄件人电话"),
        SenderAddress => ("Sender address", "寄件地址"),
        SettingsStock => ("Sellable stock (图片库存)", "可售库存（图片库存）"),
        DeductPaid => ("Deduct unreviewed paid orders", "扣减未审核的已付款订单"),
        DeductUnpaid => ("Deduct unreviewed unpaid orders", "扣减未审核的未付款订单"),
        UnpaidAfterDays => ("…only after this many days", "……仅在下单满以下天数后"),
        AllowNegative => ("Allow negative stock (with a warning)", "允许负库存（会提示）"),
        SettingsOperator => ("Operator and language", "操作员与语言"),
        Language => ("Language", "界面语言"),
        SettingsDocuments => ("Documents", "单据"),
        DocumentsDir => ("Folder for printed PDFs", "打印的 PDF 存放文件夹"),
        DocumentsDirHint => (
            "Created when the first document is written. Empty: Documents/ShopDesk.",
            "写入第一份单据时自动创建。留空则为 文档/ShopDesk。",
        ),
        FlagMeanings => ("What each flag means", "旗帜含义"),
        Save => ("Save settings", "保存设置"),
        Revert => ("Revert", "撤销修改"),
        Database => ("Database file", "数据库文件"),
        OpenFileHint => ("Start with --db PATH to use another file.", "启动时加 --db 路径 可使用其他数据库文件。"),
        OpenAnother => ("Open another file", "打开其他文件"),
        ShipCouriers => ("Couriers", "快递公司"),
        ShipEdit => ("Edit", "编辑"),
        ShipCourierCode => ("Courier code", "快递代码"),
        ShipCourierName => ("Courier name", "快递名称"),
        ShipTemplate => ("Pre-printed form template", "预印面单模板"),
        ShipOffset => ("Printer offset", "打印偏移"),
        ShipTemplateHint => (
            "Template lines: `size W H`, then `FIELD x y width height [pt]` in mm (fields: receiver_name, receiver_phone, receiver_address, postcode, sender_name, sender_phone, sender_address, goods, quantity, cod, order_no, tracking_no). Empty: print labels.",
            "模板每行：`size 宽 高`，然后 `字段 x y 宽 高 [字号]`（毫米）。留空则打印热敏面单。",
        ),
        ShipSaveCourier => ("Save courier", "保存快递公司"),
        ShipNewCourier => ("New courier", "新建快递公司"),
        ShipSenderName => ("Sender name for this courier", "该快递的寄件人"),
        ShipSenderPhone => ("Sender phone for this courier", "该快递的寄件电话"),
        ShipSenderAddress => ("Sender address for this courier", "该快递的寄件地址"),
    }
}
