//! The importers' row errors and the store's refusals in the window's language.
//!
//! An importer or the store says what is wrong in an English sentence built from a fixed
//! template and the data (`expected an amount like 34.00, found "abc"`). The window
//! translates by the same templates: each English template, its `{}` matching any text,
//! has a Chinese one that puts those texts back in order (`{0}`, `{1}`…). A text taken
//! from the data is itself looked up, so a message inside a message (`bundle X: component
//! Y is listed twice`) reads in Chinese throughout, and data stays as written.

mod store;

use crate::app::AppError;
use crate::import::{Encoding, ImportError, RowError};
use crate::store::{Language, StoreError};

/// The importers' sentences, as (English template, Chinese template). The more specific
/// of two templates that could both match comes first.
const IMPORT_TEMPLATES: &[(&str, &str)] = &[
    // Cells.
    ("the order number is empty", "订单号为空"),
    (
        "expected an order number of digits, found \"{}\"",
        "订单号应只含数字，实际是“{0}”",
    ),
    (
        "expected an order number without spaces, found \"{}\"",
        "订单号不能含空格，实际是“{0}”",
    ),
    (
        "expected an amount like 34.00, found \"{}\"",
        "应为金额（如 34.00），实际是“{0}”",
    ),
    (
        "expected an amount of 0 or more like 34.00, found \"{}\"",
        "应为不小于 0 的金额（如 34.00），实际是“{0}”",
    ),
    (
        "expected a whole number of items like 1, found \"{}\"",
        "应为件数（不小于 1 的整数），实际是“{0}”",
    ),
    (
        "expected a whole number of 0 or more, found \"{}\"",
        "应为不小于 0 的整数，实际是“{0}”",
    ),
    (
        "expected a date and time like 2026-11-20 10:15:00, found \"{}\"",
        "应为日期时间（如 2026-11-20 10:15:00），实际是“{0}”",
    ),
    (
        "the date \"{}\" reads either day or month first (a spreadsheet re-saved the file in \
         its own date order); export the orders again and import the exported file as it is",
        "日期“{0}”既可读作日在前，也可读作月在前（电子表格按自己的日期顺序另存过文件）；请重新导出订单，并直接导入导出的文件",
    ),
    (
        "expected 1 or 0 (yes/no, 是/否), found \"{}\"",
        "应为 1 或 0（是/否），实际是“{0}”",
    ),
    (
        "{} in scientific notation (\"{}\"): the file was re-saved by a spreadsheet, which \
         rounded the number and lost its last digits; {}",
        "{0}是科学计数法（“{1}”）：文件被电子表格另存过，数字被四舍五入，末几位已丢失；{2}",
    ),
    ("order number", "订单号"),
    ("tracking number", "运单号"),
    ("refund number", "退款编号"),
    ("phone", "电话"),
    ("barcode", "条码"),
    (
        "export the orders again and import the exported file as it is",
        "请重新导出订单，并直接导入导出的文件（不要用电子表格打开另存）",
    ),
    (
        "export the products again (or type the barcodes as text) and import that file as \
         it is",
        "请重新导出商品（或把条码设为文本格式），并直接导入该文件",
    ),
    // Spreadsheets.
    ("{}; sheets looked at: {}", "{0}；查看过的工作表：{1}"),
    ("sheets looked at: {}", "查看过的工作表：{0}"),
    // The row as a whole.
    (
        "has {} fields but the header line has {}: the row stops before this column, which \
         the order needs",
        "该行有 {0} 列，表头有 {1} 列：该行在订单必需的这一列之前就结束了",
    ),
    (
        "has {} fields but the header line has {}",
        "该行有 {0} 列，表头有 {1} 列",
    ),
    (
        "has {} fields, more than the {} columns of the header line: a cell holds a comma \
         without quotes around it, or the row is shifted; expected at most {} fields",
        "该行有 {0} 个字段，多于表头的 {1} 列：某个单元格含有未加引号的逗号，或该行错位；应最多 {2} 个字段",
    ),
    (
        "contains bytes that are not valid {}: the file has another encoding; choose it in \
         the preview",
        "含有不符合 {0} 编码的字节：文件是另一种编码，请在预览中选择",
    ),
    // Orders.
    (
        "order {} appears again after other orders (first on line {}); neither is imported",
        "订单 {0} 在其他订单之后再次出现（首次在第 {1} 行）；两处都不导入",
    ),
    (
        "order {}: \"{}\" differs from \"{}\" on line {} of the same order; its rows must \
         agree",
        "订单 {0}：“{1}”与同一订单第 {3} 行的“{2}”不同；同一订单的各行必须一致",
    ),
    (
        "order {} appears twice (also on line {}); neither row is imported",
        "订单 {0} 出现两次（另见第 {1} 行）；两行都不导入",
    ),
    (
        "order {} is not in the order report {} (or its row there has an unreadable order \
         number)",
        "订单 {0} 不在订单报表 {1} 中（或它在那里的订单号无法读取）",
    ),
    (
        "order {} is not in the order report {}",
        "订单 {0} 不在订单报表 {1} 中",
    ),
    (
        "order {} has no rows in the item report {}",
        "订单 {0} 在宝贝报表 {1} 中没有商品行",
    ),
    (
        "the buyer pays {} but goods {} and postage {} come to only {}",
        "买家实付 {0}，但商品 {1} 加运费 {2} 只有 {3}",
    ),
    (
        "the total {} is more than the lines {} plus postage {}",
        "总额 {0} 超过商品 {1} 加运费 {2}",
    ),
    (
        "Total is less than Shipping minus Discount Amount",
        "总额小于运费减去折扣",
    ),
    ("the line amounts are too large", "商品行金额过大"),
    ("the item amounts are too large", "商品金额过大"),
    ("the platform is empty", "平台为空"),
    (
        "unknown order status \"{}\"; known: {}",
        "未知的订单状态“{0}”；已知的有：{1}",
    ),
    (
        "unknown financial status \"{}\"; known: {}",
        "未知的付款状态“{0}”；已知的有：{1}",
    ),
    (
        "unknown status \"{}\": expected a Taobao status text (交易成功), a state \
         (pending_review, shipped, cancelled…) or a payment status (paid, pending, refunded…)",
        "未知的状态“{0}”：应为淘宝的状态文字（如 交易成功）、订单状态（pending_review、shipped、cancelled…）或付款状态（paid、pending、refunded…）",
    ),
    // Products.
    ("a product needs a code", "商品需要编码"),
    ("a code has at most 64 characters", "编码最多 64 个字符"),
    ("a name has at most 200 characters", "名称最多 200 个字符"),
    ("a price cannot be negative", "价格不能为负"),
    ("a cost cannot be negative", "成本不能为负"),
    (
        "code {} appears again (first on line {})",
        "编码 {0} 再次出现（首次在第 {1} 行）",
    ),
    ("bundle {} cannot contain itself", "套装 {0} 不能包含自己"),
    ("component {} is listed twice", "组件 {0} 列了两次"),
    (
        "expected components like CUP*1;TEA*2, found \"{}\"",
        "组件应写成 CUP*1;TEA*2 这样，实际是“{0}”",
    ),
    (
        "component {} is a bundle itself: a bundle is made of single products",
        "组件 {0} 本身是套装：套装只能由单个商品组成",
    ),
    (
        "component {} is neither in this file nor a product of the shop: add it, or correct \
         the code",
        "组件 {0} 既不在此文件中，也不是店铺的商品：请添加它，或更正编码",
    ),
    ("bundle {}: {}", "套装 {0}：{1}"),
    // Refunds.
    ("expected the refund number", "缺少退款编号"),
    // Whole files: which export a file is.
    (
        "this looks like the item report (ExportOrderDetailList); give the order report \
         (ExportOrderList) too",
        "这看起来是宝贝报表（ExportOrderDetailList）；请同时提供订单报表（ExportOrderList）",
    ),
    (
        "this looks like the order report (ExportOrderList); give the item report \
         (ExportOrderDetailList) too",
        "这看起来是订单报表（ExportOrderList）；请同时提供宝贝报表（ExportOrderDetailList）",
    ),
    (
        "this is a Taobao order report: give its item report (ExportOrderDetailList) too",
        "这是淘宝订单报表：请同时提供它的宝贝报表（ExportOrderDetailList）",
    ),
    (
        "this is a Taobao item report: give its order report (ExportOrderList) too",
        "这是淘宝宝贝报表：请同时提供它的订单报表（ExportOrderList）",
    ),
    (
        "cannot tell which export this is: its header line does not read as {}, so the \
         encoding looks wrong; import it again with --encoding auto or the file's own encoding",
        "无法判断这是哪种导出文件：表头行不能按 {0} 读取，编码似乎不对；请用 --encoding auto 或文件本身的编码重新导入",
    ),
    (
        "cannot tell which export this is from its header line; known: {}. Import it with \
         `import csv --profile` and a column mapping",
        "无法从表头行判断这是哪种导出文件；已知的有：{0}。请用列映射导入（`import csv --profile`）",
    ),
    (
        "cannot tell which export this is from its header line: it comes closest to the {}, \
         which also needs the column(s) {}; check that the first line is the header line the \
         seller center wrote, or import it with `import csv --profile` and a column mapping",
        "无法从表头行判断这是哪种导出文件：它最接近{0}，但还缺少列 {1}；请确认第一行就是卖家中心导出的表头行，或用列映射导入（`import csv --profile`）",
    ),
    (
        "this is a refund report, not an order export: import it with `import refunds`, or \
         in the window from After-sales",
        "这是退款报表，不是订单导出文件：请用 `import refunds` 导入，或在窗口的“售后”中导入",
    ),
    (
        "this is a product list, not an order export: import it with `products import`, or \
         in the window from Inventory",
        "这是商品清单，不是订单导出文件：请用 `products import` 导入，或在窗口的“库存”中导入",
    ),
    (
        "the header line fits several exports: {}; import it with the command of the right \
         one",
        "表头行符合多种导出文件：{0}；请用对应的导入方式导入",
    ),
    (
        "these files are not one import: {}; give one export at a time, or a Taobao order \
         report with its item report",
        "这些文件不属于同一次导入：{0}；请一次导入一个导出文件，或淘宝订单报表加宝贝报表",
    ),
    (
        "the file does not match profile \"{}\"",
        "文件与列映射“{0}”不符",
    ),
    ("no file given", "没有选择文件"),
    // Spreadsheets.
    (
        "the workbook's XML is damaged (a cell reference out of range): save it again from \
         the spreadsheet, or export the file again",
        "工作簿的 XML 已损坏（单元格引用超出范围）：请用电子表格重新保存，或重新导出文件",
    ),
    (
        "a cell lies at row {}, column {}: past the last row ({}) or column ({}, XFD) a \
         spreadsheet has; the file is damaged",
        "有单元格位于第 {0} 行第 {1} 列：超出电子表格的最后一行（{2}）或最后一列（{3}，XFD）；文件已损坏",
    ),
    (
        "the sheet holds more than 4 GB of text",
        "工作表的文字超过 4 GB",
    ),
    ("sheet {}: {}", "工作表 {0}：{1}"),
];

/// An importer's or the store's sentence in `lang`: English as it is; Chinese by the first
/// template that matches, or as it is when none does.
pub fn import_message(message: &str, lang: Language) -> String {
    if lang == Language::English {
        return message.to_owned();
    }
    translate(message).unwrap_or_else(|| message.to_owned())
}

/// What a file was read as, in `lang`: its text encoding's name, or the kind of
/// spreadsheet it is.
pub fn encoding_text(encoding: Encoding, lang: Language) -> String {
    match (encoding, lang) {
        (Encoding::Xlsx, Language::Chinese) => "电子表格（.xlsx）".to_owned(),
        (Encoding::Xls, Language::Chinese) => "电子表格（.xls）".to_owned(),
        _ => encoding.name().to_owned(),
    }
}

/// A row error's column in `lang`: the file's own header, or the whole row.
pub fn import_column(column: &str, lang: Language) -> String {
    if lang == Language::English {
        return column.to_owned();
    }
    if column == "(row)" {
        return "（整行）".to_owned();
    }
    match column.strip_prefix("column ") {
        Some(n) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => format!("第 {n} 列"),
        _ => column.to_owned(),
    }
}

/// A whole row error on one line: where it is (file, line or sheet and row, column) and
/// what is wrong, in `lang`.
pub fn row_error_text(error: &RowError, lang: Language) -> String {
    if lang == Language::English {
        return error.to_string();
    }
    let file = error.file.display();
    let column = import_column(&error.column, lang);
    let message = import_message(&error.message, lang);
    match &error.sheet {
        Some(sheet) => format!(
            "{file}：工作表 {sheet} 第 {} 行，列 {column}：{message}",
            error.line
        ),
        None => format!("{file}：第 {} 行，列 {column}：{message}", error.line),
    }
}

/// A whole-file import failure in `lang`.
pub fn import_error_text(error: &ImportError, lang: Language) -> String {
    if lang == Language::English {
        return error.to_string();
    }
    match error {
        ImportError::Io { file, source } => format!("无法读取 {}：{source}", file.display()),
        ImportError::Empty { file } => format!("{} 是空文件：连表头行都没有", file.display()),
        ImportError::NoOrders { file } => format!(
            "{} 中没有订单：只有表头行，下面没有任何行，没有可导入的内容",
            file.display()
        ),
        ImportError::NotText { file } => format!(
            "{} 不是文本导出文件：其中是二进制数据。请导入卖家中心导出的 CSV 或 .xlsx 文件（电子表格可以把任一工作表另存为 CSV）",
            file.display()
        ),
        ImportError::MissingColumns {
            file,
            missing,
            found,
            hint,
        } => {
            let hint = hint
                .as_deref()
                .map(|h| format!("（{}）", import_message(h, lang)))
                .unwrap_or_default();
            format!(
                "{}：缺少列 {}；表头行中有：{}{hint}",
                file.display(),
                missing.join("、"),
                crate::import::said_headers(found)
            )
        }
        ImportError::AlmostUtf8 {
            file,
            line,
            byte,
            value,
        } => format!(
            "{}：文件是 UTF-8 编码，只有第 {line} 行第 {byte} 个字节（0x{value:02X}）不是：请更正这个字符后重新保存为 UTF-8；或为它选择 UTF-8（--encoding utf-8，或在预览中选择），导入其余内容，那一行会被拒绝",
            file.display()
        ),
        ImportError::Csv {
            file,
            line,
            message,
        } => format!("{}:{line}：无法按 CSV 读取：{message}", file.display()),
        ImportError::Sheet { file, message } => format!(
            "{}：无法按电子表格读取：{}",
            file.display(),
            import_message(message, lang)
        ),
        ImportError::Damaged { file, detail } => format!(
            "{} 不完整或已损坏：请重新下载或导出，或用电子表格打开后重新保存（{}）",
            file.display(),
            import_message(detail, lang)
        ),
        ImportError::WebPage { file } => format!(
            "{} 是网页（HTML），不是电子表格或 CSV 文件（有些卖家中心的“Excel”导出就是这样保存的）：请用电子表格打开它，另存为 .xlsx 或 CSV，再导入另存的文件",
            file.display()
        ),
        ImportError::UnknownFormat { file, message } => {
            let message = import_message(message, lang);
            if file.as_os_str().is_empty() {
                message
            } else {
                format!("{}：{message}", file.display())
            }
        }
        ImportError::Mapping { profile, message } => {
            format!("列映射“{profile}”：{}", import_message(message, lang))
        }
        ImportError::Cancelled => "导入已取消".to_owned(),
    }
}

/// A store failure in `lang`: its typed cases worded in Chinese, its sentences by template.
pub fn store_error_text(error: &StoreError, lang: Language) -> String {
    if lang == Language::English {
        return error.to_string();
    }
    match error {
        StoreError::NotShopDesk { path, .. } => format!(
            "{}：这不是 ShopDesk 数据库文件；请选择 ShopDesk 文件，或为新文件选择一个路径",
            path.display()
        ),
        StoreError::TooNew { path, found, known } => format!(
            "{}：由更新版本的 ShopDesk 写入（结构版本 {found}，本程序最高认识 {known}）；请更新 ShopDesk 后再打开",
            path.display()
        ),
        StoreError::Damaged {
            path,
            detail,
            last_backup,
        } => {
            let way_out = match last_backup {
                Some(backup) => format!(
                    "请恢复最近的完好备份 {}（设置 → 备份，或 `shopdesk restore {}`）",
                    backup.display(),
                    backup.display()
                ),
                None => {
                    "备份文件夹中没有备份；请用 `shopdesk restore 备份文件` 恢复你在别处保存的副本"
                        .to_owned()
                }
            };
            format!(
                "{} 已损坏（{detail}）；ShopDesk 不会再写入它（仍可读取，以便复制出需要的内容）：{way_out}",
                path.display()
            )
        }
        StoreError::MigrationBackupFailed { path, reason, .. } => format!(
            "{} 没有升级到本版 ShopDesk 的结构：升级前的备份失败（{reason}）；没有任何改动。请让备份文件夹可用并留出空间（插上 U 盘、清理空间），然后重新打开文件",
            path.display()
        ),
        StoreError::NetworkShare {
            path,
            filesystem,
            mount,
        } => format!(
            "{} 在网络共享上（{filesystem}，挂载于 {}）：SQLite 的锁在网络文件系统上不可靠，两个程序同时使用会损坏文件。请把文件复制到本地磁盘再打开（备份可以放在同步或网络文件夹）",
            path.display(),
            mount.display()
        ),
        StoreError::RestoreRefused { path, reason } => format!(
            "{} 不能恢复：{}；店铺文件没有改动",
            path.display(),
            translate(reason).unwrap_or_else(|| reason.clone())
        ),
        StoreError::Refused(refusal) => {
            crate::ui::i18n::reason_text(&crate::app::orders::Reason::Rule(refusal.clone()), lang)
        }
        StoreError::NotFound(text) | StoreError::Invalid(text) => {
            translate(text).unwrap_or_else(|| text.clone())
        }
        StoreError::Sqlite(e) => {
            if error.is_disk_full() {
                format!(
                    "数据库错误：{e}；磁盘已满或无法写入：这一步没有保存任何内容。请清理空间（或检查磁盘）后再做一次"
                )
            } else {
                format!("数据库错误：{e}")
            }
        }
    }
}

/// An application failure's text in `lang`, where the store or an importer worded it.
pub fn app_error_text(error: &AppError, lang: Language) -> Option<String> {
    match error {
        AppError::Import(e) => Some(import_error_text(e, lang)),
        AppError::Store(e) => Some(store_error_text(e, lang)),
        AppError::Input(e) => input_error_text(e, lang),
        AppError::Auth(e) => Some(auth_error_text(e, lang)),
        _ => None,
    }
}

/// A refused sign-in or action, in `lang`.
fn auth_error_text(error: &crate::app::auth::AuthError, lang: Language) -> String {
    use crate::app::auth::AuthError;
    use crate::domain::operators::OperatorInputError;
    use crate::ui::operators::{action_text, role_text};
    if lang == Language::English {
        return error.to_string();
    }
    match error {
        AuthError::Denied {
            operator,
            role,
            action,
            roles,
        } => format!(
            "{operator}（{}）不能{}：这是{}的权限",
            role_text(*role, lang),
            action_text(*action, lang),
            roles
                .iter()
                .map(|r| role_text(*r, lang))
                .collect::<Vec<_>>()
                .join("、")
        ),
        AuthError::SignInNeeded => {
            "此店铺已设置操作员：请先登录（命令行用 --operator 姓名，密码放在 SHOPDESK_PIN）"
                .to_owned()
        }
        AuthError::Unknown(name) => format!("没有名为 {name} 的操作员"),
        AuthError::Disabled(name) => format!("{name} 已停用，不能登录"),
        AuthError::WrongPin(name) => format!("{name} 的密码不对"),
        AuthError::Input(OperatorInputError::PinTooShort) => {
            format!("密码至少需要 {} 个字符", crate::domain::operators::PIN_MIN)
        }
        AuthError::Input(OperatorInputError::PinTooLong) => {
            format!("密码最多 {} 个字符", crate::domain::operators::PIN_MAX)
        }
        AuthError::Input(OperatorInputError::NoName) => "操作员需要一个名字".to_owned(),
        AuthError::Input(OperatorInputError::NameTooLong) => {
            "操作员的名字最多 40 个字符".to_owned()
        }
        AuthError::Input(OperatorInputError::NameLooksAlike) => {
            "操作员的名字不能含隐藏字符，也不能把拉丁字母和形似的西里尔或希腊字母混用".to_owned()
        }
        AuthError::FirstMustBeOwner => "第一个操作员必须是店主".to_owned(),
        AuthError::TooManyTries { name, until } => {
            format!("{name} 的密码错误次数太多：请在 {until} 之后再试，或请店主处理")
        }
    }
}

/// An input the application refused, in `lang`, for the cases worded here.
fn input_error_text(error: &crate::app::InputError, lang: Language) -> Option<String> {
    use crate::app::InputError;
    if lang == Language::English {
        return Some(error.to_string());
    }
    match error {
        InputError::BadDate(given) => Some(format!(
            "应为日期（如 2026-11-20，格式 YYYY-MM-DD），实际是“{given}”"
        )),
        InputError::UnknownPlatform { given, known } => Some(format!(
            "未知的平台“{given}”；已知的有：{}",
            known.join("、")
        )),
        _ => None,
    }
}

fn translate(message: &str) -> Option<String> {
    IMPORT_TEMPLATES
        .iter()
        .chain(store::TEMPLATES)
        .find_map(|(en, zh)| {
            let holes = match_template(message, en)?;
            let mut out = (*zh).to_owned();
            for (i, hole) in holes.iter().enumerate() {
                let text = translate(hole).unwrap_or_else(|| (*hole).to_owned());
                out = out.replace(&format!("{{{i}}}"), &text);
            }
            Some(out)
        })
}

/// The texts that fill `template`'s `{}` holes to make `message`, if it does. Each hole
/// but the last takes the shortest text that lets the next fixed part follow.
fn match_template<'m>(message: &'m str, template: &str) -> Option<Vec<&'m str>> {
    let mut parts = template.split("{}");
    let first = parts.next().unwrap_or_default();
    let mut rest = message.strip_prefix(first)?;
    let parts: Vec<&str> = parts.collect();
    let mut holes = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            let hole = rest.strip_suffix(part)?;
            holes.push(hole);
            rest = "";
        } else {
            let at = rest.find(part)?;
            holes.push(&rest[..at]);
            rest = &rest[at + part.len()..];
        }
    }
    rest.is_empty().then_some(holes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::EncodingChoice;
    use std::path::Path;

    /// The Latin words of `text` that are not data: a run of three or more letters
    /// outside quotes and other than the named data.
    fn english_words(text: &str, data: &[&str]) -> Vec<String> {
        let mut rest = text.to_owned();
        for d in data {
            rest = rest.replace(d, " ");
        }
        // Quoted cell values are data.
        let mut plain = String::new();
        let mut quoted = false;
        for c in rest.chars() {
            match c {
                '“' | '”' => quoted = c == '“',
                _ if !quoted => plain.push(c),
                _ => {}
            }
        }
        // Product codes are written in capitals: data too.
        plain
            .split(|c: char| !c.is_ascii_alphabetic() && c != '_')
            .filter(|w| w.len() >= 3 && w.chars().any(|c| c.is_ascii_lowercase()))
            .map(str::to_owned)
            .collect()
    }

    /// Every refused sign-in or action reads in Chinese: no English word beside the names.
    #[test]
    fn every_auth_refusal_reads_in_chinese() {
        use crate::app::auth::AuthError;
        use crate::domain::operators::{Action, OperatorInputError, Role};
        let cases = [
            AuthError::Denied {
                operator: "Pat".to_owned(),
                role: Role::Packer,
                action: Action::StockAdjust,
                roles: vec![Role::Owner, Role::Stock],
            },
            AuthError::SignInNeeded,
            AuthError::Unknown("Pat".to_owned()),
            AuthError::Disabled("Pat".to_owned()),
            AuthError::WrongPin("Pat".to_owned()),
            AuthError::Input(OperatorInputError::PinTooShort),
            AuthError::Input(OperatorInputError::PinTooLong),
            AuthError::Input(OperatorInputError::NoName),
            AuthError::Input(OperatorInputError::NameTooLong),
            AuthError::Input(OperatorInputError::NameLooksAlike),
            AuthError::FirstMustBeOwner,
            AuthError::TooManyTries {
                name: "Pat".to_owned(),
                until: "18:05".to_owned(),
            },
        ];
        for error in cases {
            let text = auth_error_text(&error, Language::Chinese);
            let left = english_words(&text, &["Pat", "--operator", "SHOPDESK_PIN"]);
            assert!(left.is_empty(), "{error:?}: {text} ({left:?})");
            assert_ne!(text, error.to_string());
        }
    }

    #[test]
    fn templates_match_and_translate() {
        let cases = [
            (
                "expected an amount like 34.00, found \"abc\"",
                "应为金额（如 34.00），实际是“abc”",
            ),
            (
                "has 25 fields but the header line has 27",
                "该行有 25 列，表头有 27 列",
            ),
            (
                "has 3 fields but the header line has 5: the row stops before this column, \
                 which the order needs",
                "该行有 3 列，表头有 5 列：该行在订单必需的这一列之前就结束了",
            ),
            (
                "bundle BUN-1: component CUP is listed twice",
                "套装 BUN-1：组件 CUP 列了两次",
            ),
            (
                "expected an amount of 0 or more like 34.00, found \"-29.00\"",
                "应为不小于 0 的金额（如 34.00），实际是“-29.00”",
            ),
            (
                "this is a refund report, not an order export: import it with `import refunds`, \
                 or in the window from After-sales",
                "这是退款报表，不是订单导出文件：请用 `import refunds` 导入，或在窗口的“售后”中导入",
            ),
            (
                "phone in scientific notation (\"1.39E+10\"): the file was re-saved by a \
                 spreadsheet, which rounded the number and lost its last digits; export the \
                 orders again and import the exported file as it is",
                "电话是科学计数法（“1.39E+10”）：文件被电子表格另存过，数字被四舍五入，末几位已丢失；请重新导出订单，并直接导入导出的文件（不要用电子表格打开另存）",
            ),
            (
                "order 1001 appears twice (also on line 3); neither row is imported",
                "订单 1001 出现两次（另见第 3 行）；两行都不导入",
            ),
            // Not a known sentence: shown as it is.
            ("something new", "something new"),
        ];
        for (en, zh) in cases {
            assert_eq!(import_message(en, Language::Chinese), zh, "{en}");
            assert_eq!(import_message(en, Language::English), en);
        }
    }

    /// The English sentences of `StoreError::Invalid` / `NotFound` in the store's source,
    /// as templates (`{…}` → `{}`).
    fn store_sentences() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
        let mut files = vec![root.clone()];
        let mut sentences = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".rs") || name == "tests.rs" {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            let source = source.split("#[cfg(test)]").next().unwrap();
            for start in ["StoreError::Invalid(", "StoreError::NotFound("] {
                for (at, _) in source.match_indices(start) {
                    let rest = source[at + start.len()..].trim_start();
                    let rest = rest.strip_prefix("format!(").unwrap_or(rest).trim_start();
                    let Some(literal) = rest.strip_prefix('"') else {
                        continue;
                    };
                    sentences.push((name.clone(), template_of(literal)));
                }
            }
        }
        sentences
    }

    /// A Rust string literal's text up to its closing quote, continuations joined and
    /// every `{…}` made `{}`.
    fn template_of(literal: &str) -> String {
        let mut out = String::new();
        let mut chars = literal.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('\n') => {
                        while chars.peek().is_some_and(|c| c.is_whitespace()) {
                            chars.next();
                        }
                    }
                    Some('n') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                },
                '{' => {
                    for c in chars.by_ref() {
                        if c == '}' {
                            break;
                        }
                    }
                    out.push_str("{}");
                }
                c => out.push(c),
            }
        }
        out
    }

    /// Every refusal the store words has its Chinese template: a new sentence in the
    /// store fails here until it has one.
    #[test]
    fn every_store_sentence_has_a_chinese_template() {
        let known: Vec<&str> = IMPORT_TEMPLATES
            .iter()
            .chain(store::TEMPLATES)
            .map(|(en, _)| *en)
            .collect();
        let sentences = store_sentences();
        assert!(sentences.len() > 100, "found {}", sentences.len());
        let mut missing: Vec<String> = sentences
            .iter()
            .filter(|(_, s)| !known.contains(&s.as_str()))
            .map(|(file, s)| format!("{file}: {s}"))
            .collect();
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "no Chinese template: {missing:#?}");
        for (en, zh) in store::TEMPLATES {
            let holes = en.matches("{}").count();
            for i in 0..holes {
                assert!(
                    zh.contains(&format!("{{{i}}}")),
                    "{en}: hole {i} unused in {zh}"
                );
            }
        }
    }

    #[test]
    fn store_refusals_read_in_chinese() {
        let cases = [
            (
                StoreError::Invalid(
                    "order 1001 is merged into order 1000: review on 1000, or unmerge first"
                        .to_owned(),
                ),
                "订单 1001 已合并到订单 1000：请对 1000 执行「review」，或先拆分合并",
            ),
            (
                StoreError::Invalid(
                    "order 1001 is printed: merges can be undone only before printing".to_owned(),
                ),
                "订单 1001 状态为 已打印：只有打印前才能拆分合并",
            ),
            (
                StoreError::NotFound("no product with code or barcode \"X1\"".to_owned()),
                "找不到编码或条码为 \"X1\" 的商品",
            ),
            (
                StoreError::Invalid("SF100: this is not a tracking number".to_owned()),
                "SF100：this is not a tracking number",
            ),
        ];
        for (error, zh) in cases {
            assert_eq!(store_error_text(&error, Language::Chinese), zh);
            assert_eq!(
                store_error_text(&error, Language::English),
                error.to_string()
            );
        }
    }

    #[test]
    fn refused_dates_and_platforms_read_in_chinese() {
        use crate::app::InputError;
        let cases = [
            (
                InputError::BadDate("yesterday".to_owned()),
                "应为日期（如 2026-11-20，格式 YYYY-MM-DD），实际是“yesterday”",
            ),
            (
                InputError::UnknownPlatform {
                    given: "foo".to_owned(),
                    known: vec!["taobao".to_owned(), "pinduoduo (pdd)".to_owned()],
                },
                "未知的平台“foo”；已知的有：taobao、pinduoduo (pdd)",
            ),
        ];
        for (error, zh) in cases {
            let english = error.to_string();
            let error = AppError::Input(error);
            assert_eq!(
                app_error_text(&error, Language::Chinese).as_deref(),
                Some(zh)
            );
            assert_eq!(app_error_text(&error, Language::English), Some(english));
        }
    }

    #[test]
    fn damaged_web_page_and_empty_files_read_in_chinese() {
        let file = std::path::PathBuf::from("orders.xls");
        let cases = [
            (
                ImportError::Damaged {
                    file: file.clone(),
                    detail: "sheet 订单: Cfb error: Sector 16 points past end of file".to_owned(),
                },
                "orders.xls 不完整或已损坏：请重新下载或导出，或用电子表格打开后重新保存（工作表 订单：Cfb error：Sector 16 points past end of file）",
            ),
            (
                ImportError::NoOrders { file: file.clone() },
                "orders.xls 中没有订单：只有表头行，下面没有任何行，没有可导入的内容",
            ),
            (
                ImportError::WebPage { file: file.clone() },
                "orders.xls 是网页（HTML），不是电子表格或 CSV 文件（有些卖家中心的“Excel”导出就是这样保存的）：请用电子表格打开它，另存为 .xlsx 或 CSV，再导入另存的文件",
            ),
        ];
        for (error, zh) in cases {
            assert_eq!(import_error_text(&error, Language::Chinese), zh);
            assert_eq!(
                import_error_text(&error, Language::English),
                error.to_string()
            );
        }
    }

    #[test]
    fn a_spreadsheet_is_said_by_its_kind_not_an_encoding() {
        let cases = [
            (Encoding::Xlsx, Language::Chinese, "电子表格（.xlsx）"),
            (Encoding::Xls, Language::Chinese, "电子表格（.xls）"),
            (Encoding::Xls, Language::English, ".xls spreadsheet"),
            (Encoding::Gb18030, Language::Chinese, "GB18030"),
        ];
        for (encoding, lang, said) in cases {
            assert_eq!(encoding_text(encoding, lang), said, "{encoding:?}");
        }
    }

    #[test]
    fn whole_file_failures_read_in_chinese() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let keep_going = |_: u64| true;
        let parse = |orders: &str, items: &str| {
            crate::import::parse_taobao(
                &fixtures.join(orders),
                &fixtures.join(items),
                EncodingChoice::Auto,
                &keep_going,
            )
            .expect_err("refused")
        };
        let missing = parse("taobao_orders_missing_column.csv", "taobao_items_utf8.csv");
        let text = import_error_text(&missing, Language::Chinese);
        assert!(text.contains("缺少列"), "{text}");
        assert!(!text.contains("missing column"), "{text}");
        let swapped = parse("taobao_items_utf8.csv", "taobao_items_utf8.csv");
        let text = import_error_text(&swapped, Language::Chinese);
        assert!(text.contains("宝贝报表"), "{text}");
        assert!(!text.contains("looks like"), "{text}");
        assert_eq!(
            import_error_text(&missing, Language::English),
            missing.to_string()
        );
    }

    /// Every row error that the importers give on the project's bad fixtures reads in
    /// Chinese: a new English sentence in an importer fails here until it has a template.
    #[test]
    fn every_row_error_of_the_bad_fixtures_reads_in_chinese() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let keep_going = |_: u64| true;
        let mut errors: Vec<RowError> = Vec::new();
        type Parse = fn(
            &Path,
            EncodingChoice,
            crate::import::Progress<'_>,
        ) -> Result<crate::import::Parsed, crate::import::ImportError>;
        let order_files: [(&str, Parse); 5] = [
            ("jd_orders_bad.csv", crate::import::parse_jd),
            ("pdd_orders_extra_field.csv", crate::import::parse_pdd),
            ("jd_orders_inconsistent.csv", crate::import::parse_jd),
            ("pdd_orders_bad.csv", crate::import::parse_pdd),
            ("douyin_orders_bad.csv", crate::import::parse_douyin),
        ];
        for (name, parse) in order_files {
            let parsed: crate::import::Parsed =
                parse(&fixtures.join(name), EncodingChoice::Auto, &keep_going).expect(name);
            errors.extend(parsed.rejected);
        }
        let taobao = crate::import::parse_taobao(
            &fixtures.join("taobao_orders_bad.csv"),
            &fixtures.join("taobao_items_bad.csv"),
            EncodingChoice::Auto,
            &keep_going,
        )
        .expect("taobao");
        errors.extend(taobao.rejected);
        let products = crate::import::parse_products(
            &fixtures.join("products_broken.csv"),
            EncodingChoice::Auto,
            &keep_going,
        )
        .expect("products");
        errors.extend(products.rejected);
        assert!(
            errors.len() >= 10,
            "the fixtures have bad rows: {errors:#?}"
        );
        let mut english = Vec::new();
        for error in &errors {
            let text = row_error_text(error, Language::Chinese);
            let file = error.file.display().to_string();
            let words = english_words(
                &text,
                &[
                    &file,
                    &error.column,
                    "taobao_orders_bad.csv",
                    "taobao_items_bad.csv",
                ],
            );
            if !words.is_empty() {
                english.push(format!("{text}  ← {words:?}"));
            }
        }
        assert!(english.is_empty(), "not translated: {english:#?}");
    }
}
