//! The batch-ship file each marketplace takes back to mark its orders shipped: one row per
//! order with its number, the courier and the tracking number, under the headers that
//! marketplace's upload template uses. Written through [`super::safe_csv`], so a formula
//! in any cell is written as text.
//!
//! | platform | headers | state of knowledge |
//! |---|---|---|
//! | Taobao, Tmall, manual and any other | 订单编号, 物流公司, 运单号 | the seller center's 批量发货 template |
//! | Pinduoduo | 订单号, 快递公司, 快递单号 | **unverified**: the names and order two public tools write into the downloaded 发货模板 (one adds a second row `order_sn, shipping_name, shipping_sn` and uploads `.xlsx`); whether the upload takes a CSV without that row is not known |
//! | JD POP | 订单号, 物流公司, 运单号 | **unverified**: the names its order export uses; no copy of the 批量出库 template was found |
//! | Douyin shop | 订单编号, 物流公司, 物流单号 | **unverified**: no public copy of the template was found |
//! | Shopify | Name, Tracking Company, Tracking Number | the orders export's own column names, which fulfilment-by-CSV apps read; the name written as Shopify writes it, `#1001` |
//!
//! A marketplace checks the courier's name against its own list: the name written is the
//! courier record's name, so give the couriers the names the marketplace uses.

/// The platform codes orders are stored with: what the importers and manual orders write
/// (`tmall` is Taobao's code for a Tmall shop's orders).
pub const PLATFORMS: [&str; 7] = [
    super::taobao::PLATFORM,
    "tmall",
    super::jd::PLATFORM,
    super::pdd::PLATFORM,
    super::douyin::PLATFORM,
    super::shopify::PLATFORM,
    crate::domain::manual::PLATFORM,
];

/// Other names of the platforms: the `import` commands' names, as `(alias, code)`.
pub const PLATFORM_ALIASES: [(&str, &str); 1] = [("pdd", super::pdd::PLATFORM)];

/// The platform code `name` stands for, among the codes of [`PLATFORMS`] and `stored` (a
/// mapped import's own codes) or an alias of [`PLATFORM_ALIASES`]; case and spaces around
/// it do not matter. `None` when it names no platform.
pub fn platform_code(name: &str, stored: &[String]) -> Option<String> {
    let name = name.trim().to_lowercase();
    if let Some(code) = PLATFORMS.iter().find(|&&code| code == name) {
        return Some((*code).to_owned());
    }
    if let Some(code) = stored.iter().find(|&code| *code == name) {
        return Some(code.clone());
    }
    PLATFORM_ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map(|(_, code)| (*code).to_owned())
}

/// The platforms a user may name, for a refusal: [`PLATFORMS`] with their aliases
/// (`pinduoduo (pdd)`), then the `stored` codes that are not among them.
pub fn known_platforms(stored: &[String]) -> Vec<String> {
    let mut known: Vec<String> = PLATFORMS
        .iter()
        .map(|&code| {
            let aliases: Vec<&str> = PLATFORM_ALIASES
                .iter()
                .filter(|(_, of)| *of == code)
                .map(|(alias, _)| *alias)
                .collect();
            if aliases.is_empty() {
                code.to_owned()
            } else {
                format!("{code} ({})", aliases.join(", "))
            }
        })
        .collect();
    known.extend(
        stored
            .iter()
            .filter(|code| !PLATFORMS.contains(&code.as_str()))
            .cloned(),
    );
    known
}

/// The upload layout of one marketplace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UploadFormat {
    /// Headers of the order number, courier and tracking number columns.
    pub headers: [&'static str; 3],
    /// Whether the layout is known only from secondary sources or not at all (said in the
    /// docs, and the reason to check the first upload).
    pub verified: bool,
    /// Written before each order number: Shopify names its orders `#1001`, which the import
    /// keeps as `1001`.
    pub order_prefix: &'static str,
}

const TAOBAO: UploadFormat = UploadFormat {
    headers: ["订单编号", "物流公司", "运单号"],
    verified: true,
    order_prefix: "",
};

/// The layout of `platform`'s batch-ship upload (platform codes as orders store them).
pub fn upload_format(platform: &str) -> UploadFormat {
    match platform {
        "pinduoduo" => UploadFormat {
            headers: ["订单号", "快递公司", "快递单号"],
            verified: false,
            order_prefix: "",
        },
        "jd" => UploadFormat {
            headers: ["订单号", "物流公司", "运单号"],
            verified: false,
            order_prefix: "",
        },
        "douyin" => UploadFormat {
            headers: ["订单编号", "物流公司", "物流单号"],
            verified: false,
            order_prefix: "",
        },
        "shopify" => UploadFormat {
            headers: ["Name", "Tracking Company", "Tracking Number"],
            verified: true,
            order_prefix: "#",
        },
        _ => TAOBAO,
    }
}

/// The layout of a file that holds the orders of `platforms`: that platform's when they
/// are all of one, Taobao's otherwise (a file of mixed platforms is for the owner to read,
/// no marketplace takes it).
pub fn upload_format_of<'a>(mut platforms: impl Iterator<Item = &'a str>) -> UploadFormat {
    match platforms.next() {
        Some(first) if platforms.all(|p| p == first) => upload_format(first),
        _ => TAOBAO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_marketplace_has_its_own_headers() {
        let cases = [
            ("taobao", "订单编号", "运单号"),
            ("tmall", "订单编号", "运单号"),
            ("manual", "订单编号", "运单号"),
            ("pinduoduo", "订单号", "快递单号"),
            ("jd", "订单号", "运单号"),
            ("douyin", "订单编号", "物流单号"),
            ("shopify", "Name", "Tracking Number"),
        ];
        for (platform, order, tracking) in cases {
            let format = upload_format(platform);
            assert_eq!(format.headers[0], order, "{platform}");
            assert_eq!(format.headers[2], tracking, "{platform}");
        }
        assert!(!upload_format("douyin").verified);
        assert_eq!(
            upload_format_of(["jd", "jd"].into_iter()),
            upload_format("jd")
        );
        assert_eq!(upload_format_of(["jd", "taobao"].into_iter()), TAOBAO);
        assert_eq!(upload_format_of(std::iter::empty()), TAOBAO);
    }

    #[test]
    fn platforms_are_named_by_code_or_by_the_import_command() {
        let stored = vec!["wechat".to_owned(), "jd".to_owned()];
        let cases = [
            ("taobao", Some("taobao")),
            ("tmall", Some("tmall")),
            ("JD", Some("jd")),
            (" pinduoduo ", Some("pinduoduo")),
            ("pdd", Some("pinduoduo")),
            ("douyin", Some("douyin")),
            ("shopify", Some("shopify")),
            ("manual", Some("manual")),
            ("wechat", Some("wechat")),
            ("foo", None),
            ("", None),
        ];
        for (name, code) in cases {
            assert_eq!(platform_code(name, &stored).as_deref(), code, "{name:?}");
        }
        assert_eq!(
            known_platforms(&stored).join(", "),
            "taobao, tmall, jd, pinduoduo (pdd), douyin, shopify, manual, wechat"
        );
    }
}
