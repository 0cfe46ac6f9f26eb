//! Splitting Taobao's one-cell receiver address into province, city, district, street and
//! postcode.
//!
//! Taobao writes `省 市 区 详细地址(邮编)`, space separated:
//! `浙江省 杭州市 西湖区 文三路 1号 某某小区 3幢(310012)`. The rules:
//! - the postcode is the **last** parenthesised run of six digits (ASCII or full-width
//!   brackets), wherever it is; `000000` (Taobao's "unknown") gives an empty postcode. Other
//!   brackets, such as `(东门)`, stay in the street;
//! - the first word is the province when it is one of the 34 province-level names, full
//!   (`浙江省`) or short (`上海`, `内蒙古`);
//! - the next word is the city when it ends like a prefecture (`市`, `州`, `盟`, `地区`,
//!   `行政区划`); municipalities repeat the name (`上海 上海市 浦东新区`);
//! - the next word is the district when it ends like a county-level unit (`区`, `县`, `市`,
//!   `旗`) and is not a housing estate (`小区`, `社区`, `校区`…); it may be missing;
//! - the rest is the street, line breaks and runs of spaces folded to one space.
//!
//! An address written without spaces (`浙江省杭州市西湖区文三路1号`), as other CSVs do, is
//! split by the same rules on the text's prefixes. Whatever cannot be recognised stays in
//! the street, so no text is ever lost. The divisions found are then written as the
//! division table of `domain::address` writes them (`上海` → `上海市`, former names as
//! today's units), so imported and typed orders name places the same way.

/// The parts of a receiver address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddressParts {
    pub province: String,
    pub city: String,
    pub district: String,
    pub street: String,
    pub postcode: String,
}

impl AddressParts {
    /// Puts the parts in the order's receiver address.
    pub(crate) fn write_to(self, order: &mut crate::domain::model::NewOrder) {
        order.province = self.province;
        order.city = self.city;
        order.district = self.district;
        order.address = self.street;
        order.postcode = self.postcode;
    }
}

/// The province-level divisions, full names. Short names are these without their suffix.
const PROVINCES: [&str; 34] = [
    "北京市",
    "天津市",
    "上海市",
    "重庆市",
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "青海省",
    "台湾省",
    "内蒙古自治区",
    "广西壮族自治区",
    "西藏自治区",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "香港特别行政区",
    "澳门特别行政区",
];

const PROVINCE_SUFFIXES: [&str; 7] = [
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
];

const CITY_SUFFIXES: [&str; 5] = ["市", "自治州", "州", "盟", "地区"];
const CITY_WORDS: [&str; 2] = ["省直辖县级行政区划", "自治区直辖县级行政区划"];
const DISTRICT_SUFFIXES: [&str; 4] = ["区", "县", "市", "旗"];
const NOT_DISTRICTS: [&str; 7] = ["小区", "社区", "校区", "厂区", "景区", "营区", "片区"];

fn short_name(full: &str) -> &str {
    PROVINCE_SUFFIXES
        .iter()
        .find_map(|suffix| full.strip_suffix(suffix))
        .unwrap_or(full)
}

fn is_province(word: &str) -> bool {
    // Every province name, full or short, is 2 to 8 characters of 3 bytes each.
    (6..=24).contains(&word.len())
        && PROVINCES
            .iter()
            .any(|full| *full == word || short_name(full) == word)
}

fn is_city(word: &str) -> bool {
    CITY_WORDS.contains(&word)
        || (word.chars().count() >= 2 && CITY_SUFFIXES.iter().any(|s| word.ends_with(s)))
}

fn is_district(word: &str) -> bool {
    let chars = word.chars().count();
    (2..=10).contains(&chars)
        && DISTRICT_SUFFIXES.iter().any(|s| word.ends_with(s))
        && !NOT_DISTRICTS.iter().any(|s| word.ends_with(s))
}

/// Finds the last `(dddddd)` (ASCII or full-width brackets): returns its byte range and
/// the six digits.
fn last_postcode(text: &str) -> Option<(usize, usize, &str)> {
    let mut found = None;
    for (open, _) in text.match_indices(['(', '（']) {
        let open_len = if text[open..].starts_with('(') {
            1
        } else {
            '（'.len_utf8()
        };
        let digits_start = open + open_len;
        let rest = &text[digits_start..];
        let digits_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits_len != 6 {
            continue;
        }
        let after = &rest[6..];
        let close_len = if after.starts_with(')') {
            1
        } else if after.starts_with('）') {
            '）'.len_utf8()
        } else {
            continue;
        };
        found = Some((open, digits_start + 6 + close_len, &rest[..6]));
    }
    found
}

/// Splits a Taobao receiver address. See the module documentation for the rules.
pub fn split_taobao_address(text: &str) -> AddressParts {
    let mut parts = AddressParts::default();
    let (before, after) = match last_postcode(text) {
        Some((start, end, digits)) => {
            if digits != "000000" {
                parts.postcode = digits.to_owned();
            }
            (&text[..start], &text[end..])
        }
        None => (text, ""),
    };
    let mut words = before
        .split_whitespace()
        .chain(after.split_whitespace())
        .peekable();
    if let Some(province) = words.next_if(|w| is_province(w)) {
        parts.province = province.to_owned();
        if let Some(city) = words.next_if(|w| is_city(w)) {
            parts.city = city.to_owned();
            if let Some(district) = words.next_if(|w| is_district(w)) {
                parts.district = district.to_owned();
            }
        }
    } else if let Some(first) = words.peek() {
        // No spaces between the parts: split the first word on its prefixes.
        let (province, city, district, tail) = split_compact(first);
        if !province.is_empty() {
            parts.province = province.to_owned();
            parts.city = city.to_owned();
            parts.district = district.to_owned();
            parts.street.push_str(tail);
            words.next();
        }
    }
    for word in words {
        if !parts.street.is_empty() {
            parts.street.push(' ');
        }
        parts.street.push_str(word);
    }
    official_divisions(&mut parts);
    parts
}

/// The divisions found, written as the division table writes them (the reading of
/// `domain::address`): short names in full (`上海` → `上海市`), former names as the unit
/// that took them over, the placeholder city of a county-level city under a province as
/// that city (`省直辖县级行政区划 仙桃市` → `仙桃市 仙桃市`), a city without districts as its
/// own district. Divisions the table does not confirm are left as written.
fn official_divisions(parts: &mut AddressParts) {
    if parts.province.is_empty() {
        return;
    }
    let written = format!("{} {} {}", parts.province, parts.city, parts.district);
    // An export names a few thousand places at most: each is read once per thread.
    let read = OFFICIAL.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() > 50_000 {
            cache.clear();
        }
        cache
            .entry(written.clone())
            .or_insert_with(|| {
                let read = crate::domain::address::parse_address(written.trim());
                (!read.province.is_empty()
                    && !read.city.is_empty()
                    && read.address.trim().is_empty())
                .then_some((read.province, read.city, read.district))
            })
            .clone()
    });
    if let Some((province, city, district)) = read {
        parts.province = province;
        parts.city = city;
        if !district.is_empty() {
            parts.district = district;
        }
    }
}

type Official = Option<(String, String, String)>;

thread_local! {
    static OFFICIAL: std::cell::RefCell<std::collections::HashMap<String, Official>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// `浙江省杭州市西湖区文三路1号` → (`浙江省`, `杭州市`, `西湖区`, `文三路1号`). Gives an empty
/// province (and the whole text untouched) when it does not start with a province.
fn split_compact(text: &str) -> (&str, &str, &str, &str) {
    let Some(province) = PROVINCES
        .iter()
        .find(|full| text.starts_with(**full))
        .copied()
        .or_else(|| {
            PROVINCES
                .iter()
                .map(|full| short_name(full))
                .find(|short| text.starts_with(short))
        })
    else {
        return ("", "", "", text);
    };
    let mut rest = &text[province.len()..];
    let municipality = ["北京", "天津", "上海", "重庆"].contains(&short_name(province));
    let city = if municipality {
        // `上海市浦东新区…` or `上海上海市浦东新区…`: the city is the municipality itself.
        let full = PROVINCES
            .iter()
            .find(|full| short_name(full) == short_name(province))
            .copied()
            .unwrap_or(province);
        if let Some(after) = rest.strip_prefix(full) {
            rest = after;
        }
        full
    } else {
        match prefix_ending(rest, &CITY_SUFFIXES, 10, &[]) {
            Some(city) => {
                rest = &rest[city.len()..];
                city
            }
            None => "",
        }
    };
    let district = match prefix_ending(rest, &DISTRICT_SUFFIXES, 8, &NOT_DISTRICTS) {
        Some(district) if district.len() < rest.len() => {
            rest = &rest[district.len()..];
            district
        }
        _ => "",
    };
    (province, city, district, rest)
}

/// The shortest prefix of `text` (2 to `max_chars` characters) ending in one of `suffixes`
/// and not in one of `not`.
fn prefix_ending<'a>(
    text: &'a str,
    suffixes: &[&str],
    max_chars: usize,
    not: &[&str],
) -> Option<&'a str> {
    for suffix in suffixes {
        for (count, (index, c)) in text.char_indices().enumerate().take(max_chars) {
            let end = index + c.len_utf8();
            let prefix = &text[..end];
            if count >= 1 && prefix.ends_with(suffix) {
                if not.iter().any(|n| prefix.ends_with(n)) {
                    break;
                }
                return Some(prefix);
            }
        }
    }
    None
}

/// Reads a one-string address such as JD's 客户地址 (`北京 朝阳区 三环以内 建国路 88号`)
/// with the manual-order reader (`domain::address::parse_address`): divisions by the table,
/// the rest as the street, a postcode if written. A name or phone the reader takes out of
/// the text is put back at the end of the street, so that no text is lost.
pub fn split_divisions(text: &str) -> AddressParts {
    let read = crate::domain::address::parse_address(text);
    let mut street = read.address;
    for taken in [read.name, read.phone] {
        if !taken.is_empty() {
            if !street.is_empty() {
                street.push(' ');
            }
            street.push_str(&taken);
        }
    }
    AddressParts {
        province: read.province,
        city: read.city,
        district: read.district,
        street,
        postcode: read.postcode,
    }
}

/// An address the export already splits (Pinduoduo's and Douyin's 省/市/区/街道), with the
/// divisions written as the table writes them, as [`split_taobao_address`] does (`广东` →
/// `广东省`, former names as today's units). Divisions the table does not confirm are kept
/// as written; the street is kept as written (spaces folded).
pub fn official_parts(province: &str, city: &str, district: &str, street: &str) -> AddressParts {
    let mut parts = AddressParts {
        province: province.trim().to_owned(),
        city: city.trim().to_owned(),
        district: district.trim().to_owned(),
        street: street.split_whitespace().collect::<Vec<_>>().join(" "),
        postcode: String::new(),
    };
    official_divisions(&mut parts);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: [&str; 5]) {
        let [province, city, district, street, postcode] = expected;
        let expected = AddressParts {
            province: province.to_owned(),
            city: city.to_owned(),
            district: district.to_owned(),
            street: street.to_owned(),
            postcode: postcode.to_owned(),
        };
        assert_eq!(split_taobao_address(input), expected, "input: {input:?}");
    }

    /// One-string addresses as JD's 客户地址 and Douyin's 收件地址 give them, province
    /// short or left out.
    #[test]
    fn one_string_addresses() {
        let cases: &[(&str, [&str; 4])] = &[
            (
                "江西南昌市青山湖区北京东路 1号",
                ["江西省", "南昌市", "青山湖区", "北京东路 1号"],
            ),
            (
                "南昌市青山湖区北京东路 1号",
                ["江西省", "南昌市", "青山湖区", "北京东路 1号"],
            ),
            (
                "四川省成都市武侯区 人民南路四段 1号",
                ["四川省", "成都市", "武侯区", "人民南路四段 1号"],
            ),
            (
                "上海市浦东新区张江镇 碧波路 690号",
                ["上海市", "上海市", "浦东新区", "张江镇 碧波路 690号"],
            ),
        ];
        for (text, [province, city, district, street]) in cases {
            let parts = split_divisions(text);
            assert_eq!(
                [
                    parts.province.as_str(),
                    parts.city.as_str(),
                    parts.district.as_str(),
                    parts.street.as_str()
                ],
                [*province, *city, *district, *street],
                "{text}"
            );
        }
    }

    #[test]
    fn taobao_addresses() {
        let cases: &[(&str, [&str; 5])] = &[
            (
                "浙江省 杭州市 西湖区 文三路 1号 某某小区 3幢(310012)",
                [
                    "浙江省",
                    "杭州市",
                    "西湖区",
                    "文三路 1号 某某小区 3幢",
                    "310012",
                ],
            ),
            (
                "上海 上海市 浦东新区 张江路 88弄 5号 1202室(200120)",
                [
                    "上海市",
                    "上海市",
                    "浦东新区",
                    "张江路 88弄 5号 1202室",
                    "200120",
                ],
            ),
            (
                "北京 北京市 朝阳区 建国路 93号 万达广场 B座(东门)(100022)",
                [
                    "北京市",
                    "北京市",
                    "朝阳区",
                    "建国路 93号 万达广场 B座(东门)",
                    "100022",
                ],
            ),
            // Brackets with digits that are not a postcode, then the postcode.
            (
                "广东省 深圳市 南山区 科技园 (1栋)(2单元)(518057)",
                [
                    "广东省",
                    "深圳市",
                    "南山区",
                    "科技园 (1栋)(2单元)",
                    "518057",
                ],
            ),
            // A six-digit number in brackets earlier in the street: the last one wins.
            (
                "江苏省 苏州市 工业园区 星湖街 (328888) 号(215021)",
                [
                    "江苏省",
                    "苏州市",
                    "工业园区",
                    "星湖街 (328888) 号",
                    "215021",
                ],
            ),
            // Full-width brackets.
            (
                "四川省 成都市 武侯区 人民南路 四段 9号（610041）",
                ["四川省", "成都市", "武侯区", "人民南路 四段 9号", "610041"],
            ),
            // No postcode at all.
            (
                "湖北省 武汉市 洪山区 珞喻路 1037号",
                ["湖北省", "武汉市", "洪山区", "珞喻路 1037号", ""],
            ),
            // Taobao's "unknown" postcode.
            (
                "湖南省 长沙市 岳麓区 麓山南路 2号(000000)",
                ["湖南省", "长沙市", "岳麓区", "麓山南路 2号", ""],
            ),
            // Missing district (a prefecture-level city without districts).
            (
                "广东省 东莞市 长安镇 振安中路 168号(523850)",
                [
                    "广东省",
                    "东莞市",
                    "东莞市",
                    "长安镇 振安中路 168号",
                    "523850",
                ],
            ),
            // The street starts with a housing estate ending in 区: not a district.
            (
                "浙江省 杭州市 翠苑小区 12幢 301(310012)",
                ["浙江省", "杭州市", "", "翠苑小区 12幢 301", "310012"],
            ),
            // Line breaks and runs of spaces in the street.
            (
                "福建省 厦门市 思明区 鹭江道\n8号  国际银行大厦\r\n18楼(361001)",
                [
                    "福建省",
                    "厦门市",
                    "思明区",
                    "鹭江道 8号 国际银行大厦 18楼",
                    "361001",
                ],
            ),
            // County-level city as the district; autonomous prefecture as the city.
            (
                "云南省 西双版纳傣族自治州 景洪市 勐泐大道 5号(666100)",
                [
                    "云南省",
                    "西双版纳傣族自治州",
                    "景洪市",
                    "勐泐大道 5号",
                    "666100",
                ],
            ),
            (
                "内蒙古自治区 呼和浩特市 赛罕区 大学西街 235号(010021)",
                [
                    "内蒙古自治区",
                    "呼和浩特市",
                    "赛罕区",
                    "大学西街 235号",
                    "010021",
                ],
            ),
            (
                "新疆维吾尔自治区 阿勒泰地区 布尔津县 友谊路 3号(836600)",
                [
                    "新疆维吾尔自治区",
                    "阿勒泰地区",
                    "布尔津县",
                    "友谊路 3号",
                    "836600",
                ],
            ),
            (
                "湖北省 省直辖县级行政区划 仙桃市 钱沟路 9号(433000)",
                ["湖北省", "仙桃市", "仙桃市", "钱沟路 9号", "433000"],
            ),
            // Only province, city and district.
            (
                "浙江省 杭州市 西湖区(310012)",
                ["浙江省", "杭州市", "西湖区", "", "310012"],
            ),
            // Not a Taobao address at all: everything stays in the street.
            (
                "Room 5, 12 Queen's Road, Central",
                ["", "", "", "Room 5, 12 Queen's Road, Central", ""],
            ),
            ("", ["", "", "", "", ""]),
            // Written without spaces, as generic CSVs do.
            (
                "浙江省杭州市西湖区文三路1号(310012)",
                ["浙江省", "杭州市", "西湖区", "文三路1号", "310012"],
            ),
            (
                "上海市浦东新区张江路88弄",
                ["上海市", "上海市", "浦东新区", "张江路88弄", ""],
            ),
            (
                "广东广州市天河区体育西路 191号",
                ["广东省", "广州市", "天河区", "体育西路 191号", ""],
            ),
        ];
        for (input, expected) in cases {
            check(input, *expected);
        }
    }
}
