//! The words of the sign-in screen and the Operators tab, English and 简体中文 side by side.

use crate::ui::i18n::texts;

texts! {
    /// A text of the operator switch and the Operators tab.
    pub enum Tx {
        WhoIsWorking => ("Who is working?", "请选择操作员"),
        Pin => ("PIN", "密码"),
        SignIn => ("Sign in", "登录"),
        Switch => ("Switch operator", "切换操作员"),
        Locked => ("Locked after idle time: sign in again.", "闲置已锁定，请重新登录。"),
        PickName => ("Pick your name, then type your PIN.", "选择你的名字，再输入密码。"),
        FirstOwner => ("Create the owner", "创建店主账号"),
        FirstOwnerHint => (
            "The owner may do everything and adds the other operators. Without operators \
             everyone works as the owner.",
            "店主可以做所有操作，并添加其他操作员。未设置操作员时，所有人都以店主身份操作。",
        ),
        Name => ("Name", "姓名"),
        Role => ("Role", "角色"),
        Active => ("Active", "启用"),
        Disabled => ("disabled", "已停用"),
        Disable => ("Disable", "停用"),
        Enable => ("Enable", "启用"),
        SetPin => ("Set PIN…", "设置密码…"),
        NewPin => ("New PIN", "新密码"),
        SavePin => ("Save PIN", "保存密码"),
        Cancel => ("Cancel", "取消"),
        MyPin => ("My PIN", "我的密码"),
        MyPinHint => ("Change the PIN you sign in with.", "修改你登录用的密码。"),
        Create => ("Create", "创建"),
        AddOperator => ("Add operator", "添加操作员"),
        Operators => ("Operators", "操作员"),
        Permissions => ("What each role may do", "各角色权限"),
        Audit => ("Audit trail", "操作日志"),
        AuditOrder => ("Order number", "订单号"),
        AuditOperator => ("Operator", "操作员"),
        AuditSince => ("Since (date)", "起始日期"),
        Search => ("Search", "查询"),
        At => ("When", "时间"),
        What => ("What", "操作"),
        Target => ("On", "对象"),
        Before => ("Before", "修改前"),
        After => ("After", "修改后"),
        NoEntries => ("No entries.", "没有记录。"),
        LockAfter => ("Lock after idle minutes (0: never)", "闲置多少分钟后锁定（0 为不锁定）"),
        RoleOwner => ("owner", "店主"),
        RoleService => ("customer service", "客服"),
        RolePacker => ("packer", "打包员"),
        RoleStock => ("stock keeper", "库管"),
    }
}

/// A role in the window's language.
pub fn role_text(
    role: crate::domain::operators::Role,
    lang: crate::store::Language,
) -> &'static str {
    use crate::domain::operators::Role;
    match role {
        Role::Owner => Tx::RoleOwner,
        Role::Service => Tx::RoleService,
        Role::Packer => Tx::RolePacker,
        Role::Stock => Tx::RoleStock,
    }
    .tr(lang)
}

/// An action in the window's language.
pub fn action_text(
    action: crate::domain::operators::Action,
    lang: crate::store::Language,
) -> &'static str {
    use crate::domain::operators::Action;
    use crate::store::Language;
    let zh = match action {
        Action::OrdersEdit => "处理订单",
        Action::OrdersArchive => "归档订单",
        Action::OrdersManual => "手动下单",
        Action::OrdersImport => "导入订单",
        Action::Customers => "编辑客户",
        Action::AfterSales => "售后处理",
        Action::Refunds => "退款",
        Action::Pack => "验货发货",
        Action::PackOverride => "免验发货",
        Action::Handovers => "快递交接",
        Action::Printing => "打印配货单和快递单",
        Action::Couriers => "快递公司与单号",
        Action::Products => "编辑商品",
        Action::Purchases => "采购与入库",
        Action::StockCounts => "盘点",
        Action::StockAdjust => "库存调整",
        Action::Settings => "修改设置",
        Action::Backup => "备份",
        Action::Restore => "恢复备份",
        Action::Audit => "查看操作日志",
        Action::Operators => "管理操作员",
    };
    match lang {
        Language::English => action.label(),
        Language::Chinese => zh,
    }
}
