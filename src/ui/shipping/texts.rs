//! The words of the shipping tabs (Pick lists, Waybills), English and 简体中文 side by side.

use crate::ui::i18n::texts;

texts! {
    /// A text of the shipping tabs (Pick lists, Waybills); one the other tabs use too is a [`crate::ui::i18n::T`].
    pub enum Tx {
        PickListsEmpty => (
            "Pick lists are made from approved, paid orders: review orders in the Orders tab first.",
            "配货单由已审核、已付款的订单生成：请先在“订单处理”中审核订单。",
        ),
        ShipPickIntro => (
            "Check orders ready to print (approved and paid or cash on delivery, not on hold; or printed, e.g. waybill first, but in no batch yet) and create a batch: its pick list, then its packing slips and waybills.",
            "勾选可打印的订单（已审核且已付款或货到付款、未挂起；或已打印快递单但未进批次）生成批次：先打印配货单，再打印发货单和快递单。",
        ),
        ShipFlag => ("Flag", "旗帜"),
        ShipAnyFlag => ("any", "全部"),
        ShipCourier => ("Courier", "快递公司"),
        ShipRefresh => ("Refresh", "刷新"),
        ShipCreateBatch => ("Create batch and print pick list", "生成批次并打印配货单"),
        ShipBatches => ("Batches", "批次"),
        ShipNoBatches => ("No batch yet.", "还没有批次。"),
        ShipPickListDoc => ("pick list", "配货单"),
        ShipSlipsDoc => ("packing slips", "发货单"),
        ShipWaybillsDoc => ("waybills", "快递单"),
        ShipPreprintedForm => ("pre-printed form", "预印面单"),
        ShipPrinterAnswer => ("printer", "打印机"),
        ShipReprintPickList => ("Print pick list again", "重打配货单"),
        ShipPrintSlips => ("Print packing slips", "打印发货单"),
        ShipToWaybills => ("Waybills for this batch", "打印本批快递单"),
        ShipCourierDefault => ("courier's", "快递默认"),
        ShipMaskPhone => ("Mask phone (138****1234)", "隐藏电话中间四位"),
        ShipPastePool => ("Paste tracking numbers", "粘贴快递单号"),
        ShipAddToPool => ("Add to pool", "加入单号池"),
        ShipPoolFile => ("Tracking numbers from a file", "从文件导入快递单号"),
        ShipWhichOrders => ("Orders:", "订单："),
        ShipPrintableOrders => ("checked printable orders", "勾选的可打印订单"),
        ShipPickOneOrder => ("(choose one order)", "（请选择一个订单）"),
        ShipTrackingFor => ("Tracking number for", "快递单号："),
        ShipSetTracking => ("Set tracking number", "填写快递单号"),
        ShipChangeReason => ("Reason for a courier change", "更换快递原因"),
        ShipChangeCourier => ("Change courier to", "改发"),
        ShipChangeVoids => (
            "is voided for good (it can never be used again); the order takes",
            "将永久作废（不可再次使用）；订单改用",
        ),
        ShipChangeNext => ("next number", "的下一个单号"),
        ShipChangeNoNumber => ("has no tracking number yet; it takes", "还没有快递单号；改用"),
        ShipPrintWaybills => ("Print waybills", "打印快递单"),
        ShipCalibration => ("Calibration page", "校准页"),
        ShipSince => ("Printed since", "打印日期自"),
        ShipSinceLastExport => ("empty: new since last export", "留空：上次导出后新发货"),
        ShipExportCsv => ("Export batch ship CSV", "导出批量发货 CSV"),
        ShipFilter => ("Order, platform, receiver or city", "订单号、平台、收件人或城市"),
    }
}
