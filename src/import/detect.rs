//! Which export a file is, by its header line alone (pure; the caller reads the headers).
//!
//! Each kind is recognised by columns no other kind has:
//!
//! | kind | recognised by |
//! |---|---|
//! | Taobao order report | 收货地址 with 买家会员名 or 买家实际支付金额 |
//! | Taobao item report | 购买数量 with 标题, and no 收货地址 |
//! | Shopify | Name, Financial Status and Lineitem name |
//! | JD POP | 客户地址, or 京东价 with 订购数量 |
//! | Pinduoduo | 商家编码-SKU维度 (or -规格维度), or 用户实付金额(元), or 商品总价(元) (either bracket width) |
//! | Douyin shop | 主订单编号 with 选购商品 or 子订单编号 |
//!
//! One file is one of the single-file kinds; two files are a Taobao order report and item
//! report, in either order. Anything else is refused, naming the candidates.

use std::fmt;
use std::path::PathBuf;

use super::ImportError;

/// The kind of one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    TaobaoOrders,
    TaobaoItems,
    Shopify,
    Jd,
    Pinduoduo,
    Douyin,
}

impl FileKind {
    pub const ALL: [FileKind; 6] = [
        FileKind::TaobaoOrders,
        FileKind::TaobaoItems,
        FileKind::Shopify,
        FileKind::Jd,
        FileKind::Pinduoduo,
        FileKind::Douyin,
    ];

    /// The name said to the user.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::TaobaoOrders => "Taobao order report (ExportOrderList)",
            FileKind::TaobaoItems => "Taobao item report (ExportOrderDetailList)",
            FileKind::Shopify => "Shopify orders export",
            FileKind::Jd => "JD (京东) POP order export",
            FileKind::Pinduoduo => "Pinduoduo (拼多多) order export",
            FileKind::Douyin => "Douyin shop (抖店) order export",
        }
    }

    /// The columns that identify the kind, as said in a refusal.
    pub fn markers(self) -> &'static str {
        match self {
            FileKind::TaobaoOrders => "收货地址 + 买家会员名",
            FileKind::TaobaoItems => "标题 + 购买数量",
            FileKind::Shopify => "Name + Financial Status + Lineitem name",
            FileKind::Jd => "客户地址 or 京东价 + 订购数量",
            FileKind::Pinduoduo => "商家编码-SKU维度 or 用户实付金额(元)",
            FileKind::Douyin => "主订单编号 + 选购商品",
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every kind a header line fits, in [`FileKind::ALL`] order (trimmed headers).
pub fn detect_kind(headers: &[String]) -> Vec<FileKind> {
    let has = |name: &str| headers.iter().any(|h| h == name);
    let any = |names: &[&str]| names.iter().any(|n| has(n));
    FileKind::ALL
        .into_iter()
        .filter(|kind| match kind {
            FileKind::TaobaoOrders => has("收货地址") && any(&["买家会员名", "买家实际支付金额"]),
            FileKind::TaobaoItems => has("购买数量") && has("标题") && !has("收货地址"),
            FileKind::Shopify => has("Name") && has("Financial Status") && has("Lineitem name"),
            FileKind::Jd => has("客户地址") || (has("京东价") && has("订购数量")),
            FileKind::Pinduoduo => any(&[
                "商家编码-SKU维度",
                "商家编码-规格维度",
                "用户实付金额(元)",
                "用户实付金额（元）",
                "商品总价(元)",
                "商品总价（元）",
            ]),
            FileKind::Douyin => has("主订单编号") && any(&["选购商品", "子订单编号"]),
        })
        .collect()
}

/// What a set of files is, with the files in the order its parser takes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detected {
    /// The format: a single-file kind, or [`FileKind::TaobaoOrders`] for the Taobao pair.
    pub kind: FileKind,
    /// Taobao: [order report, item report]; the others: [file].
    pub files: Vec<PathBuf>,
}

impl Detected {
    /// What the choice is called when it is said to the user.
    pub fn name(&self) -> &'static str {
        match self.kind {
            FileKind::TaobaoOrders | FileKind::TaobaoItems => {
                "Taobao / Tmall (order report + item report)"
            }
            kind => kind.name(),
        }
    }
}

fn refuse(file: &std::path::Path, message: String) -> ImportError {
    ImportError::UnknownFormat {
        file: file.to_path_buf(),
        message,
    }
}

fn all_known() -> String {
    FileKind::ALL
        .iter()
        .map(|k| format!("{} ({})", k.name(), k.markers()))
        .collect::<Vec<_>>()
        .join("; ")
}

fn headers_of<'a>(files: &'a [(PathBuf, Vec<String>)], path: &PathBuf) -> &'a [String] {
    files
        .iter()
        .find(|(p, _)| p == path)
        .map_or(&[], |(_, headers)| headers.as_slice())
}

/// The required columns of a kind, each by its names.
fn required(kind: FileKind) -> impl Iterator<Item = &'static [&'static str]> {
    let specs: &'static [super::reader::ColumnSpec] = match kind {
        FileKind::TaobaoOrders => &super::taobao::ORDER_COLUMNS,
        FileKind::TaobaoItems => &super::taobao::ITEM_COLUMNS,
        FileKind::Shopify => &super::shopify::COLUMNS,
        FileKind::Jd => &super::jd::COLUMNS,
        FileKind::Pinduoduo => &super::pdd::COLUMNS,
        FileKind::Douyin => &super::douyin::COLUMNS,
    };
    specs.iter().filter(|s| s.required).map(|s| s.names)
}

/// The kind a header line that fits none comes closest to (at least half of its required
/// columns, two or more, and not all), with the required columns it lacks.
fn closest(headers: &[String]) -> Option<(FileKind, Vec<&'static str>)> {
    let has = |names: &[&str]| names.iter().any(|n| headers.iter().any(|h| h == n));
    FileKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let needed: Vec<&[&str]> = required(kind).collect();
            let missing: Vec<&'static str> = needed
                .iter()
                .filter(|names| !has(names))
                .map(|names| names[0])
                .collect();
            let present = needed.len() - missing.len();
            (!missing.is_empty() && present >= 2 && present * 2 >= needed.len())
                .then_some((kind, present, missing))
        })
        .max_by_key(|(_, present, missing)| (*present, std::cmp::Reverse(missing.len())))
        .map(|(kind, _, missing)| (kind, missing))
}

/// Why a header line fits no order export, and what to do: another import it fits (a
/// refund report, a product list), the export it comes closest to and what that one
/// lacks, or the exports known.
fn unknown_message(headers: &[String]) -> String {
    let has = |name: &str| headers.iter().any(|h| h == name);
    if (has("退款编号") || has("退款单号")) && has("退款状态") {
        return "this is a refund report, not an order export: import it with \
                `import refunds`, or in the window from After-sales"
            .to_owned();
    }
    let order_number = ["订单号", "订单编号", "主订单编号", "Name"];
    if ["code", "商品编码", "Code"].iter().any(|n| has(n)) && !order_number.iter().any(|n| has(n))
    {
        return "this is a product list, not an order export: import it with \
                `products import`, or in the window from Inventory"
            .to_owned();
    }
    match closest(headers) {
        Some((kind, missing)) => format!(
            "cannot tell which export this is from its header line: it comes closest to the \
             {}, which also needs the column(s) {}; check that the first line is the header \
             line the seller center wrote, or import it with `import csv --profile` and a \
             column mapping",
            kind.name(),
            missing.join(", ")
        ),
        None => format!(
            "cannot tell which export this is from its header line; known: {}. Import it \
             with `import csv --profile` and a column mapping",
            all_known()
        ),
    }
}

/// Chooses the format of a set of files from each file's header line.
pub fn detect_format(files: &[(PathBuf, Vec<String>)]) -> Result<Detected, ImportError> {
    let kinds: Vec<(&PathBuf, Vec<FileKind>)> = files
        .iter()
        .map(|(path, headers)| (path, detect_kind(headers)))
        .collect();
    for (path, found) in &kinds {
        match found.as_slice() {
            [] => return Err(refuse(path, unknown_message(headers_of(files, path)))),
            [_] => {}
            several => {
                let names: Vec<&str> = several.iter().map(|k| k.name()).collect();
                return Err(refuse(
                    path,
                    format!(
                        "the header line fits several exports: {}; import it with the \
                         command of the right one",
                        names.join(", ")
                    ),
                ));
            }
        }
    }
    let single: Vec<(&PathBuf, FileKind)> = kinds.iter().map(|(p, k)| (*p, k[0])).collect();
    match single.as_slice() {
        [] => Err(ImportError::UnknownFormat {
            file: PathBuf::new(),
            message: "no file given".to_owned(),
        }),
        [(path, FileKind::TaobaoOrders)] => Err(refuse(
            path,
            "this is a Taobao order report: give its item report (ExportOrderDetailList) too"
                .to_owned(),
        )),
        [(path, FileKind::TaobaoItems)] => Err(refuse(
            path,
            "this is a Taobao item report: give its order report (ExportOrderList) too".to_owned(),
        )),
        [(path, kind)] => Ok(Detected {
            kind: *kind,
            files: vec![(*path).clone()],
        }),
        [(a, FileKind::TaobaoOrders), (b, FileKind::TaobaoItems)]
        | [(b, FileKind::TaobaoItems), (a, FileKind::TaobaoOrders)] => Ok(Detected {
            kind: FileKind::TaobaoOrders,
            files: vec![(*a).clone(), (*b).clone()],
        }),
        several => {
            let said: Vec<String> = several
                .iter()
                .map(|(p, k)| format!("{} is a {}", p.display(), k.name()))
                .collect();
            Err(refuse(
                several[0].0,
                format!(
                    "these files are not one import: {}; give one export at a time, or a \
                     Taobao order report with its item report",
                    said.join(", ")
                ),
            ))
        }
    }
}
