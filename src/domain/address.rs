//! The smart address reader (智能地址识别): one pasted text → name, phone, province, city,
//! district, street address and postcode, checked against the table of China's
//! administrative divisions in `assets/divisions/` (see its README for the source and date).
//!
//! # The division table
//! `divisions.tsv` lists every province, prefecture and county-level unit (`code`, `name`,
//! `parent_code`), `aliases.tsv` former names (renamed, merged, upgraded units) with the
//! current unit that took them over. Both are embedded with `include_str!` and parsed once
//! ([`Divisions::embedded`]). Every answer has three levels, as a courier label expects:
//! - municipalities repeat their name as the city: `北京市 / 北京市 / 朝阳区`;
//! - county-level units directly under a province (`湖北省` 仙桃市, 潜江市, 天门市, 神农架林区;
//!   `河南省` 济源市; Hainan's 琼海市…; Xinjiang's 石河子市…) are their own city:
//!   `湖北省 / 仙桃市 / 仙桃市` (the official table's placeholder "省直辖县级行政区划" is never
//!   shown: no courier prints it);
//! - prefecture-level cities without districts (东莞市, 中山市, 儋州市, 嘉峪关市) are their own
//!   district: `广东省 / 东莞市 / 东莞市`;
//! - 台湾省, 香港 and 澳门 have no lower levels in the table: only the province is filled.
//!
//! # The rules, in order
//! 1. **Folding**: full-width letters, digits and punctuation become ASCII (`１００号` →
//!    `100号`, `：` → `:`); the ideographic space, tabs and line breaks become spaces; 【】「」
//!    and `。` become spaces; dashes become `-`.
//! 2. **Phones**: a mobile number `1[3-9]` + 9 digits, written whole or 3-4-4 with spaces or
//!    dashes, with an optional `+86`/`86`; or a landline `0` + area code (3 digits for
//!    010/02x, else 4) + 7–8 digits, optionally in brackets or with a dash. Either may carry
//!    an extension (`-8888`, `转8888`, `#8888`, `分机8888`): that is how the marketplaces'
//!    virtual numbers are written. The phone is written `13500001234`, `13500001234-8888`,
//!    `0571-88886666`, `0571-88886666-123`. The first mobile wins over landlines; a second,
//!    different number makes the phone unsure. Every number found is taken out of the text.
//! 3. **Postcode**: the last run of exactly six digits standing alone (between spaces,
//!    brackets or punctuation; not followed by 号/室/栋…), with its brackets (Taobao writes
//!    `(310012)`). `000000` (Taobao's "unknown") gives an empty postcode.
//! 4. **Labels**: `收货人：`, `手机号码：`, `所在地区：`, `详细地址：`, `邮编：`… are taken out
//!    (a two-character label only with its colon). The word after a name label is the name.
//! 5. **Divisions**: every full name, short name (`浙江`, `深圳`, `南山`, `延边`, `恩施`,
//!    `内蒙古`…) and former name is looked up at every position (a hash map, so a parse is
//!    a few hundred look-ups). A *chain* is a run of matches going down the levels
//!    (province → prefecture → county), each inside the previous one, separated by nothing
//!    or by spaces, `,` `/` `-`; levels may be skipped (`杭州西湖区`, `浙江义乌`) and the
//!    missing ones are filled from the table. A full name weighs 10, a former name 8, a
//!    short name 6; a short name followed by 路/街/道/大道/小区… is a street, not a
//!    division. The heaviest chain wins, then the earliest. Two chains of the same weight
//!    naming different places (`鼓楼区` alone: 南京, 福州, 徐州, 开封) are ambiguous: the first
//!    in code order is given and the fields that differ are unsure. A former name maps to
//!    its current unit (`崇文区` → `东城区`, `襄樊` → `襄阳市`, `闸北区` → `静安区`, `江干区` →
//!    `上城区`, `下城区` → `拱墅区`, `渝北区` → `两江新区`), checked against the chain too
//!    (`江北区` under 重庆 is the old one, under 宁波 the current one).
//! 6. **Name**: the labelled name; else a short word before the divisions (2–4 Chinese
//!    characters, or a name with `·`, or Latin letters) that is no address word; else a word
//!    after them that starts with a common surname (or ends in 先生/女士/小姐) and has no
//!    address character (路, 号, 村, 小区…) and is no village (吴家山, 王家湾); else the last
//!    word after the street when it is set apart and could be a name (乌兰, 扎西: unsure);
//!    else a surname and one or two characters glued to the end of the street after
//!    号/室/栋… (unsure).
//! 7. **Address**: the rest after the divisions, in the order written, the name taken out;
//!    between two words one space, after the `,` `;` `、` written there if any
//!    (`文三路100号, 3幢501室`). Words before the divisions that are not the name are
//!    dropped and make the address unsure.
//!
//! Unsure fields: an ambiguous or missing division, a name guessed without a surname or
//! glued to the street, a second phone number, an empty street.

use std::collections::HashMap;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

const DIVISIONS_TSV: &str = include_str!("../../assets/divisions/divisions.tsv");
const ALIASES_TSV: &str = include_str!("../../assets/divisions/aliases.tsv");

/// A field of [`ParsedAddress`], for the fields the reader is unsure of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Name,
    Phone,
    Province,
    City,
    District,
    Address,
    Postcode,
}

/// What [`parse_address`] read. Empty strings where absent; divisions by their official
/// full names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedAddress {
    pub name: String,
    pub phone: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub address: String,
    pub postcode: String,
    pub unsure: Vec<Field>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Full,
    Short,
    Alias,
}

impl Kind {
    fn weight(self) -> u32 {
        match self {
            Kind::Full => 10,
            Kind::Alias => 8,
            Kind::Short => 6,
        }
    }
}

#[derive(Debug)]
struct Unit {
    code: u32,
    name: String,
    /// 1 province, 2 prefecture, 3 county.
    level: u8,
    parent: Option<usize>,
}

/// China's administrative divisions: provinces, prefectures and county-level units, with
/// an index of their full, short and former names.
#[derive(Debug)]
pub struct Divisions {
    units: Vec<Unit>,
    children: Vec<Vec<usize>>,
    /// Every name and every beginning of a name (two characters or more): the units it
    /// names (none for a beginning only) and whether a longer name starts with it. A scan
    /// of the text stops lengthening a word as soon as no name starts with it.
    index: FxHashMap<String, Entry>,
    max_chars: usize,
}

#[derive(Debug, Default)]
struct Entry {
    hits: Vec<(usize, Kind)>,
    longer: bool,
}

const PROVINCE_SUFFIXES: [&str; 7] = [
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
];

/// The ethnic groups named in autonomous prefectures and counties, stripped from short
/// names (恩施土家族苗族自治州 → 恩施). One-character ones only with 族.
const ETHNIC: [&str; 55] = [
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// Words a chain may pass over: the placeholders of some tables.
const SKIP_WORDS: [&str; 4] = [
    "市辖区",
    "省直辖县级行政区划",
    "自治区直辖县级行政区划",
    "直辖县",
];

fn chars_of(s: &str) -> usize {
    s.chars().count()
}

fn strip_ethnic(mut s: &str) -> &str {
    loop {
        let before = s;
        for e in ETHNIC {
            let with_zu = format!("{e}族");
            if let Some(rest) = s.strip_suffix(with_zu.as_str()) {
                s = rest;
                break;
            }
            if chars_of(e) >= 2
                && let Some(rest) = s.strip_suffix(e)
            {
                s = rest;
                break;
            }
        }
        if s == before || chars_of(s) < 2 {
            break;
        }
    }
    if chars_of(s) < 2 { "" } else { s }
}

/// The short names people write for a unit: 浙江省 → 浙江, 延边朝鲜族自治州 → 延边,
/// 西湖区 → 西湖, 长阳土家族自治县 → 长阳, 浦东新区 → 浦东.
fn short_names(name: &str, level: u8) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |s: &str| {
        if chars_of(s) >= 2 && s != name && !out.iter().any(|o: &String| o == s) {
            out.push(s.to_owned());
        }
    };
    match level {
        1 => {
            if let Some(s) = PROVINCE_SUFFIXES.iter().find_map(|x| name.strip_suffix(x)) {
                push(s);
            }
            if name == "内蒙古自治区" {
                push("内蒙");
            }
        }
        2 => {
            if let Some(s) = name.strip_suffix("自治州") {
                let short = strip_ethnic(s);
                push(short);
                // 德宏州, 黔南州; and the usual 博州, 巴州, 克州 of Xinjiang.
                let with_zhou = match short {
                    "博尔塔拉" => "博州".to_owned(),
                    "巴音郭楞" => "巴州".to_owned(),
                    "克孜勒苏" => "克州".to_owned(),
                    _ => format!("{short}州"),
                };
                push(&with_zhou);
            } else if let Some(s) = name.strip_suffix("地区") {
                push(s);
            } else if let Some(s) = name.strip_suffix('盟').or_else(|| name.strip_suffix('市')) {
                push(s);
            }
        }
        _ => {
            if let Some(s) = name
                .strip_suffix("自治县")
                .or_else(|| name.strip_suffix("自治旗"))
            {
                let stripped = strip_ethnic(s);
                push(if stripped.is_empty() { s } else { stripped });
            } else if let Some(s) = ["新区", "林区", "特区"]
                .iter()
                .find_map(|x| name.strip_suffix(x))
            {
                push(s);
            } else if let Some(s) = ['区', '县', '市', '旗']
                .iter()
                .find_map(|x| name.strip_suffix(*x))
            {
                push(s);
            }
        }
    }
    out
}

fn level_of_code(code: u32) -> u8 {
    if code.is_multiple_of(10_000) {
        1
    } else if code.is_multiple_of(100) {
        2
    } else {
        3
    }
}

impl Divisions {
    /// The table shipped in `assets/divisions/`, parsed on first use.
    pub fn embedded() -> &'static Divisions {
        static TABLE: OnceLock<Divisions> = OnceLock::new();
        TABLE.get_or_init(|| Divisions::from_tsv(DIVISIONS_TSV, ALIASES_TSV))
    }

    /// Builds the table from `divisions.tsv` and `aliases.tsv` text (header line first).
    /// Lines that do not parse are skipped.
    fn from_tsv(divisions: &str, aliases: &str) -> Divisions {
        let mut units: Vec<Unit> = Vec::new();
        let mut by_code: HashMap<u32, usize> = HashMap::new();
        let mut parents: Vec<u32> = Vec::new();
        for line in divisions.lines().skip(1) {
            let mut cols = line.split('\t');
            let (Some(code), Some(name), Some(parent)) = (cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let (Ok(code), Ok(parent)) = (code.parse::<u32>(), parent.parse::<u32>()) else {
                continue;
            };
            by_code.insert(code, units.len());
            units.push(Unit {
                code,
                name: name.to_owned(),
                level: level_of_code(code),
                parent: None,
            });
            parents.push(parent);
        }
        for (i, parent) in parents.iter().enumerate() {
            units[i].parent = by_code.get(parent).copied();
        }
        // Three levels everywhere: a county directly under a province gets a city level of
        // its own name (the municipalities one city for all their districts); a city
        // without districts gets a district of its own name.
        let originals = units.len();
        let mut municipality_city: HashMap<usize, usize> = HashMap::new();
        for p in 0..originals {
            if units[p].level != 1 {
                continue;
            }
            let kids: Vec<usize> = (0..originals)
                .filter(|&u| units[u].parent == Some(p))
                .collect();
            let has_city = kids.iter().any(|&k| units[k].level == 2);
            for k in kids {
                if units[k].level != 3 {
                    continue;
                }
                let city = if has_city {
                    let c = units.len();
                    units.push(Unit {
                        code: units[k].code,
                        name: units[k].name.clone(),
                        level: 2,
                        parent: Some(p),
                    });
                    c
                } else {
                    *municipality_city.entry(p).or_insert_with(|| {
                        let c = units.len();
                        units.push(Unit {
                            code: units[p].code + 100,
                            name: units[p].name.clone(),
                            level: 2,
                            parent: Some(p),
                        });
                        c
                    })
                };
                units[k].parent = Some(city);
            }
        }
        let mut has_kids = vec![false; units.len()];
        for u in &units {
            if let Some(p) = u.parent {
                has_kids[p] = true;
            }
        }
        for c in 0..originals {
            if units[c].level == 2 && !has_kids[c] {
                units.push(Unit {
                    code: units[c].code,
                    name: units[c].name.clone(),
                    level: 3,
                    parent: Some(c),
                });
            }
        }
        // Code order, the synthetic levels right after their originals.
        let mut order: Vec<usize> = (0..units.len()).collect();
        order.sort_by_key(|&u| (units[u].code, units[u].level));
        let mut children = vec![Vec::new(); units.len()];
        for &u in &order {
            if let Some(p) = units[u].parent {
                children[p].push(u);
            }
        }
        let mut index: FxHashMap<String, Entry> = FxHashMap::default();
        let mut add = |name: &str, unit: usize, kind: Kind| {
            let entry = index.entry(name.to_owned()).or_default();
            if !entry.hits.iter().any(|&(u, _)| u == unit) {
                entry.hits.push((unit, kind));
            }
        };
        for &u in &order {
            add(&units[u].name, u, Kind::Full);
        }
        for &u in &order {
            for s in short_names(&units[u].name, units[u].level) {
                add(&s, u, Kind::Short);
            }
        }
        for line in aliases.lines().skip(1) {
            let mut cols = line.split('\t');
            let (Some(old), Some(code)) = (cols.next(), cols.next()) else {
                continue;
            };
            let Some(&target) = code.parse::<u32>().ok().and_then(|c| by_code.get(&c)) else {
                continue;
            };
            add(old, target, Kind::Alias);
            let level = if old.ends_with('区') || old.ends_with('县') || old.ends_with('旗') {
                3
            } else {
                level_of_code(units[target].code).max(2)
            };
            for s in short_names(old, level) {
                add(&s, target, Kind::Alias);
            }
        }
        let max_chars = index.keys().map(|k| chars_of(k)).max().unwrap_or(0);
        let names: Vec<String> = index.keys().cloned().collect();
        for name in names {
            let ends: Vec<usize> = name.char_indices().map(|(at, _)| at).skip(2).collect();
            for end in ends {
                index.entry(name[..end].to_owned()).or_default().longer = true;
            }
        }
        Divisions {
            units,
            children,
            index,
            max_chars,
        }
    }

    fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        let mut roots: Vec<usize> = (0..self.units.len())
            .filter(|&u| self.units[u].level == 1)
            .collect();
        roots.sort_by_key(|&u| self.units[u].code);
        roots.into_iter()
    }

    fn find_child(&self, parent: Option<usize>, name: &str) -> Option<usize> {
        match parent {
            None => self.roots().find(|&u| self.units[u].name == name),
            Some(p) => self.children[p]
                .iter()
                .copied()
                .find(|&u| self.units[u].name == name),
        }
    }

    /// The provinces' official full names, in code order (for pick lists).
    pub fn provinces(&self) -> Vec<&str> {
        self.roots().map(|u| self.units[u].name.as_str()).collect()
    }

    /// The prefecture-level units of a province (full name), in code order.
    pub fn cities(&self, province: &str) -> Vec<&str> {
        self.find_child(None, province)
            .map(|p| {
                self.children[p]
                    .iter()
                    .map(|&u| self.units[u].name.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The county-level units of a city (full names), in code order.
    pub fn districts(&self, province: &str, city: &str) -> Vec<&str> {
        self.find_child(None, province)
            .and_then(|p| self.find_child(Some(p), city))
            .map(|c| {
                self.children[c]
                    .iter()
                    .map(|&u| self.units[u].name.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// How many county-level units the table has (synthetic ones included).
    pub fn county_count(&self) -> usize {
        self.units.iter().filter(|u| u.level == 3).count()
    }

    fn is_within(&self, inner: usize, outer: usize) -> bool {
        let mut cur = self.units[inner].parent;
        while let Some(p) = cur {
            if p == outer {
                return true;
            }
            cur = self.units[p].parent;
        }
        false
    }

    /// Province, city, district of a unit (the levels above it filled from the table).
    /// A city whose only district is itself (仙桃市, 东莞市) gives that district too.
    fn path(&self, unit: usize) -> [Option<usize>; 3] {
        let mut out = [None; 3];
        let mut cur = Some(unit);
        while let Some(u) = cur {
            let level = usize::from(self.units[u].level);
            if (1..=3).contains(&level) {
                out[level - 1] = Some(u);
            }
            cur = self.units[u].parent;
        }
        if let (None, Some(c)) = (out[2], out[1])
            && let [only] = self.children[c][..]
            && self.units[only].name == self.units[c].name
        {
            out[2] = Some(only);
        }
        out
    }
}

// ---------------------------------------------------------------------------------------
// Text helpers.

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

fn is_sep(c: char) -> bool {
    matches!(c, ' ' | ',' | ';' | '|' | '、')
}

fn fold(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\t' | '\r' | '\n' | '\u{A0}' | '【' | '】' | '「' | '」' | '。' => {
                ' '
            }
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => continue,
            '—' | '–' | '―' => '-',
            '·' | '•' | '・' => '·',
            _ => c,
        };
        out.push(c);
    }
    out
}

fn digit_run(chars: &[char], from: usize) -> usize {
    chars[from..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

fn starts_with(chars: &[char], at: usize, word: &str) -> bool {
    (at..)
        .zip(word.chars())
        .all(|(i, w)| chars.get(i) == Some(&w))
}

/// An extension after a phone number at `at`: returns its digits and where it ends.
fn extension(chars: &[char], at: usize) -> Option<(String, usize)> {
    let mut i = at;
    let mut marked = false;
    let spaced = chars[at..].iter().take_while(|c| **c == ' ').count();
    for (mark, spaces_allowed) in [
        ("分机号", true),
        ("分机", true),
        ("转", true),
        ("ext.", true),
        ("ext", true),
        ("-", false),
        ("#", false),
        ("x", false),
    ] {
        let from = if spaces_allowed { at + spaced } else { at };
        if starts_with(chars, from, mark) {
            i = from + chars_of(mark);
            if spaces_allowed {
                i += chars[i..].iter().take_while(|c| **c == ' ').count();
            }
            marked = true;
            break;
        }
    }
    if !marked {
        return None;
    }
    let n = digit_run(chars, i);
    if (1..=6).contains(&n) && !chars.get(i + n).is_some_and(|c| c.is_ascii_alphanumeric()) {
        Some((chars[i..i + n].iter().collect(), i + n))
    } else {
        None
    }
}

/// A mobile number starting at `at`: (end, number).
fn mobile_at(chars: &[char], at: usize) -> Option<(usize, String)> {
    let mut i = at;
    if chars.get(i) == Some(&'+') {
        i += 1;
    }
    if starts_with(chars, i, "86") {
        let mut j = i + 2;
        if matches!(chars.get(j), Some(' ' | '-')) {
            j += 1;
        }
        if chars.get(j) == Some(&'1') && mobile_at(chars, j).is_some() {
            i = j;
        }
    } else if at < i {
        return None;
    }
    let mut digits = String::with_capacity(11);
    while digits.len() < 11 {
        match chars.get(i) {
            Some(c) if c.is_ascii_digit() => {
                digits.push(*c);
                i += 1;
            }
            Some(' ' | '-')
                if (digits.len() == 3 || digits.len() == 7)
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit) =>
            {
                i += 1;
            }
            _ => break,
        }
    }
    let bytes = digits.as_bytes();
    if digits.len() != 11
        || bytes[0] != b'1'
        || !(b'3'..=b'9').contains(&bytes[1])
        || chars.get(i).is_some_and(char::is_ascii_digit)
    {
        return None;
    }
    Some((i, digits))
}

/// A landline starting at `at` (`0571-88886666`, `(0571)88886666`, `010 8888 6666`).
fn landline_at(chars: &[char], at: usize) -> Option<(usize, String)> {
    let mut i = at;
    let bracket = chars.get(i) == Some(&'(');
    if bracket {
        i += 1;
    }
    if chars.get(i) != Some(&'0') {
        return None;
    }
    let area_len = if matches!(chars.get(i + 1), Some('1' | '2')) {
        3
    } else {
        4
    };
    if digit_run(chars, i) < area_len {
        return None;
    }
    let area: String = chars[i..i + area_len].iter().collect();
    i += area_len;
    if bracket {
        if chars.get(i) != Some(&')') {
            return None;
        }
        i += 1;
    }
    if matches!(chars.get(i), Some('-' | ' ')) {
        i += 1;
    }
    let mut local = String::new();
    while local.len() < 8 {
        match chars.get(i) {
            Some(c) if c.is_ascii_digit() => {
                local.push(*c);
                i += 1;
            }
            Some(' ' | '-')
                if local.len() == 4 && chars.get(i + 1).is_some_and(char::is_ascii_digit) =>
            {
                i += 1;
            }
            _ => break,
        }
    }
    if !(7..=8).contains(&local.len())
        || local.starts_with(['0', '1'])
        || chars.get(i).is_some_and(char::is_ascii_digit)
    {
        return None;
    }
    Some((i, format!("{area}-{local}")))
}

/// Finds and blanks the phone numbers: (phone, another different number was there).
fn take_phones(chars: &mut [char]) -> (String, bool) {
    let mut found: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts = (c.is_ascii_digit() || c == '+' || c == '(')
            && !(i > 0 && (chars[i - 1].is_ascii_alphanumeric()));
        if !starts {
            i += 1;
            continue;
        }
        let hit = mobile_at(chars, i)
            .map(|m| (m, true))
            .or_else(|| landline_at(chars, i).map(|m| (m, false)));
        let Some(((mut end, mut number), mobile)) = hit else {
            i += 1;
            continue;
        };
        if let Some((ext, ext_end)) = extension(chars, end) {
            number = format!("{number}-{ext}");
            end = ext_end;
        }
        for ch in &mut chars[i..end] {
            *ch = ' ';
        }
        found.push((number, mobile));
        i = end;
    }
    let phone = found
        .iter()
        .find(|(_, m)| *m)
        .or_else(|| found.first())
        .map(|(n, _)| n.clone())
        .unwrap_or_default();
    let other = found.iter().any(|(n, _)| *n != phone);
    (phone, other)
}

const NOT_POSTCODE_AFTER: [char; 12] = [
    '号', '室', '栋', '幢', '楼', '层', '单', '弄', '米', '元', '-', '户',
];

/// Finds and blanks the postcode (the last lone run of six digits).
fn take_postcode(chars: &mut [char]) -> String {
    let mut last = None;
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let n = digit_run(chars, i);
        let before_ok = i == 0 || !chars[i - 1].is_ascii_alphanumeric() && chars[i - 1] != '-';
        let after = chars.get(i + n).copied();
        let after_ok =
            after.is_none_or(|c| !c.is_ascii_alphanumeric() && !NOT_POSTCODE_AFTER.contains(&c));
        if n == 6 && before_ok && after_ok && chars[i] != '9' {
            last = Some(i);
        }
        i += n;
    }
    let Some(start) = last else {
        return String::new();
    };
    let code: String = chars[start..start + 6].iter().collect();
    let (mut from, mut to) = (start, start + 6);
    if from > 0 && chars[from - 1] == '(' && chars.get(to) == Some(&')') {
        from -= 1;
        to += 1;
    }
    // Its label, with or without a colon (`邮编310012`, `邮政编码: 310012`).
    let mut k = from;
    while k > 0 && matches!(chars[k - 1], ' ' | ':') {
        k -= 1;
    }
    for label in ["邮政编码", "邮政编号", "邮编"] {
        let n = chars_of(label);
        if k >= n && starts_with(chars, k - n, label) {
            from = k - n;
            break;
        }
    }
    for ch in &mut chars[from..to] {
        *ch = ' ';
    }
    if code == "000000" {
        String::new()
    } else {
        code
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Label {
    Name,
    Other,
}

const LABELS: [(&str, Label); 41] = [
    ("收货人姓名", Label::Name),
    ("收件人姓名", Label::Name),
    ("联系人姓名", Label::Name),
    ("收货人名字", Label::Name),
    ("收货姓名", Label::Name),
    ("客户姓名", Label::Name),
    ("买家姓名", Label::Name),
    ("收货人", Label::Name),
    ("收件人", Label::Name),
    ("联系人", Label::Name),
    ("姓名", Label::Name),
    ("名字", Label::Name),
    ("name", Label::Name),
    ("手机号码", Label::Other),
    ("联系电话", Label::Other),
    ("电话号码", Label::Other),
    ("联系手机", Label::Other),
    ("联系方式", Label::Other),
    ("手机号", Label::Other),
    ("手机", Label::Other),
    ("电话", Label::Other),
    ("座机", Label::Other),
    ("固话", Label::Other),
    ("tel", Label::Other),
    ("phone", Label::Other),
    ("mobile", Label::Other),
    ("所在地区", Label::Other),
    ("所在城市", Label::Other),
    ("省市区县", Label::Other),
    ("省市区", Label::Other),
    ("所在地", Label::Other),
    ("地区", Label::Other),
    ("详细地址", Label::Other),
    ("收货地址", Label::Other),
    ("收件地址", Label::Other),
    ("街道地址", Label::Other),
    ("地址", Label::Other),
    ("邮政编码", Label::Other),
    ("邮政编号", Label::Other),
    ("邮编", Label::Other),
    ("address", Label::Other),
];

/// Blanks the labels; returns where a name label's value starts.
fn take_labels(chars: &mut [char]) -> Option<usize> {
    let mut name_at = None;
    let mut i = 0;
    while i < chars.len() {
        let at_token_start = i == 0 || is_sep(chars[i - 1]) || chars[i - 1] == ':';
        let mut matched = None;
        for (label, kind) in LABELS {
            let same = label.chars().enumerate().all(|(k, l)| {
                chars
                    .get(i + k)
                    .is_some_and(|c| c.to_ascii_lowercase() == l)
            });
            if !same {
                continue;
            }
            let len = chars_of(label);
            let mut j = i + len;
            while chars.get(j) == Some(&' ') {
                j += 1;
            }
            if chars.get(j) == Some(&':') {
                j += 1;
            } else if !(len >= 3 && at_token_start && label.chars().all(is_cjk)) {
                continue;
            }
            while chars.get(j) == Some(&' ') {
                j += 1;
            }
            matched = Some((j, kind));
            break;
        }
        match matched {
            Some((end, kind)) => {
                for ch in &mut chars[i..end] {
                    *ch = ' ';
                }
                if kind == Label::Name && name_at.is_none() {
                    name_at = Some(end);
                }
                i = end;
            }
            None => i += 1,
        }
    }
    name_at
}

// ---------------------------------------------------------------------------------------
// Divisions in the text.

const STREET_AFTER: [char; 12] = [
    '路', '街', '道', '巷', '弄', '村', '号', '桥', '站', '里', '镇', '乡',
];
const STREET_AFTER2: [&str; 16] = [
    "大道", "大街", "大学", "中学", "小学", "小区", "公园", "广场", "花园", "医院", "机场", "火车",
    "银行", "商场", "大厦", "中心",
];

struct Chain {
    start: usize,
    end: usize,
    deepest: usize,
    score: u32,
}

struct Matcher<'a> {
    div: &'a Divisions,
    chars: &'a [char],
    cands: Vec<Vec<(usize, usize, Kind)>>,
    chains: Vec<Chain>,
}

impl Matcher<'_> {
    fn street_follows(&self, end: usize) -> bool {
        let Some(&next) = self.chars.get(end) else {
            return false;
        };
        STREET_AFTER.contains(&next)
            || STREET_AFTER2
                .iter()
                .any(|w| starts_with(self.chars, end, w))
    }

    fn skip_gap(&self, mut pos: usize) -> usize {
        while pos < self.chars.len() && matches!(self.chars[pos], ' ' | ',' | '/' | '-') {
            pos += 1;
        }
        for w in SKIP_WORDS {
            if starts_with(self.chars, pos, w) {
                return self.skip_gap(pos + chars_of(w));
            }
        }
        pos
    }

    fn extend(&mut self, start: usize, end: usize, deepest: usize, score: u32) {
        let pos = self.skip_gap(end);
        let mut extended = false;
        if pos < self.chars.len() {
            let level = self.div.units[deepest].level;
            // Deeper units inside the last one; or the same unit again under a former name
            // (安徽省巢湖市居巢区: 巢湖市 took 居巢区 over), which only consumes the words.
            let next: Vec<(usize, usize, Kind)> = self.cands[pos]
                .iter()
                .copied()
                .filter(|&(_, u, kind)| {
                    u == deepest && kind != Kind::Short
                        || self.div.units[u].level > level && self.div.is_within(u, deepest)
                })
                .collect();
            for (e, u, kind) in next {
                if kind != Kind::Full && self.street_follows(e) {
                    continue;
                }
                extended = true;
                let weight = if u == deepest { 1 } else { kind.weight() };
                self.extend(start, e, u, score + weight);
            }
        }
        if !extended {
            self.chains.push(Chain {
                start,
                end,
                deepest,
                score,
            });
        }
    }
}

struct Region {
    start: usize,
    end: usize,
    path: [Option<usize>; 3],
    ambiguous: [bool; 3],
}

/// The division names at each position of the text: (end, unit, kind), longest first.
fn candidates(div: &Divisions, chars: &[char]) -> Vec<Vec<(usize, usize, Kind)>> {
    let text: String = chars.iter().collect();
    let mut offs: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    offs.push(text.len());
    let n = chars.len();
    let mut cands: Vec<Vec<(usize, usize, Kind)>> = vec![Vec::new(); n];
    let mut found: Vec<(usize, &Entry)> = Vec::new();
    for (i, slot) in cands.iter_mut().enumerate() {
        if !is_cjk(chars[i]) {
            continue;
        }
        let cjk_len = chars[i..]
            .iter()
            .take(div.max_chars)
            .take_while(|c| is_cjk(**c))
            .count();
        // Lengthen the word while a name starts with it; the longest names first.
        found.clear();
        for len in 2..=cjk_len {
            let Some(entry) = div.index.get(&text[offs[i]..offs[i + len]]) else {
                break;
            };
            found.push((len, entry));
            if !entry.longer {
                break;
            }
        }
        for &(len, entry) in found.iter().rev() {
            for &(u, kind) in &entry.hits {
                slot.push((i + len, u, kind));
            }
        }
    }
    cands
}

fn find_region(div: &Divisions, chars: &[char]) -> Option<Region> {
    let n = chars.len();
    let mut m = Matcher {
        div,
        chars,
        cands: candidates(div, chars),
        chains: Vec::new(),
    };
    for i in 0..n {
        let starts: Vec<(usize, usize, Kind)> = m.cands[i].clone();
        for (e, u, kind) in starts {
            if kind != Kind::Full && m.street_follows(e) {
                continue;
            }
            m.extend(i, e, u, kind.weight());
        }
    }
    let best_score = m.chains.iter().map(|c| c.score).max()?;
    let best_start = m
        .chains
        .iter()
        .filter(|c| c.score == best_score)
        .map(|c| c.start)
        .min()?;
    let best: Vec<&Chain> = m
        .chains
        .iter()
        .filter(|c| c.score == best_score && c.start == best_start)
        .collect();
    let first = best.iter().min_by_key(|c| {
        let p = div.path(c.deepest);
        (
            std::cmp::Reverse(c.end),
            p.map(|u| u.map_or(0, |u| div.units[u].code)),
        )
    })?;
    let path = div.path(first.deepest);
    let mut ambiguous = [false; 3];
    for other in &best {
        let p = div.path(other.deepest);
        for level in 0..3 {
            let name = |u: Option<usize>| u.map(|u| div.units[u].name.as_str());
            if name(p[level]) != name(path[level]) {
                ambiguous[level] = true;
            }
        }
    }
    Some(Region {
        start: first.start,
        end: first.end,
        path,
        ambiguous,
    })
}

// ---------------------------------------------------------------------------------------
// Names.

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由";
const COMPOUND_SURNAMES: [&str; 20] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
    "司徒", "夏侯", "端木", "西门", "南宫", "独孤", "轩辕", "呼延",
];
const TITLES: [&str; 5] = ["先生", "女士", "小姐", "老师", "师傅"];
/// Characters that make a word an address, not a name (after its first character).
const STREET_CHARS: &str =
    "路街道巷弄号室栋幢层区县市省镇乡村苑厦店场院馆厂站组屯楼座户舍所局处司部校堂";
/// Last characters of village names built on a family name (吴家山, 王家湾).
const PLACE_ENDS: &str = "山河湾桥坝庄村岭沟坪嘴台店营寨屯园集湖塘洼埠墩铺港巷堡圩垸场";
/// Characters that make a word without a surname an address.
const ADDRESS_CHARS: &str = "门寨坝桥湾港洲岛园城庄";
const NOT_NAMES: [&str; 12] = [
    "收货", "地址", "谢谢", "你好", "您好", "麻烦", "快递", "顺丰", "发货", "包邮", "老板", "亲",
];

fn has_surname(word: &str) -> bool {
    COMPOUND_SURNAMES.iter().any(|s| word.starts_with(s))
        || word.chars().next().is_some_and(|c| SURNAMES.contains(c))
}

/// A word that can be a name. `strict`: after the address, so it needs a surname.
fn name_like(div: &Divisions, word: &str, strict: bool) -> bool {
    let n = chars_of(word);
    if word.contains('·') {
        return (3..=16).contains(&n) && word.chars().all(|c| is_cjk(c) || c == '·');
    }
    if !strict && (2..=20).contains(&word.len()) && word.chars().all(|c| c.is_ascii_alphabetic()) {
        return true;
    }
    if !(2..=4).contains(&n) || !word.chars().all(is_cjk) {
        return false;
    }
    let division = div
        .index
        .get(word)
        .is_some_and(|entry| entry.hits.iter().any(|&(_, k)| k == Kind::Full));
    if NOT_NAMES.iter().any(|w| word.contains(w)) || division {
        return false;
    }
    let titled = TITLES.iter().any(|t| word.ends_with(t) && n >= 3);
    let surname = has_surname(word);
    // 吴家山, 王家湾, 李家庄: a family's village, not a person.
    if n == 3
        && word.chars().nth(1) == Some('家')
        && word.chars().last().is_some_and(|c| PLACE_ENDS.contains(c))
    {
        return false;
    }
    let rest = || word.chars().skip(1);
    if !titled
        && (rest().any(|c| STREET_CHARS.contains(c))
            || !surname && rest().any(|c| ADDRESS_CHARS.contains(c)))
    {
        return false;
    }
    !strict || surname || titled
}

const UNIT_ENDS: [char; 9] = ['号', '室', '楼', '栋', '幢', '层', '座', '户', ')'];

/// A name glued to the end of the street (`…100号张三`): (street, name).
fn glued_name(street: &str) -> Option<(String, String)> {
    let chars: Vec<char> = street.chars().collect();
    for len in [3, 2] {
        if chars.len() <= len + 1 {
            continue;
        }
        let split = chars.len() - len;
        let tail: String = chars[split..].iter().collect();
        if UNIT_ENDS.contains(&chars[split - 1])
            && tail.chars().all(is_cjk)
            && has_surname(&tail)
            && !tail
                .chars()
                .skip(1)
                .any(|c| STREET_CHARS.contains(c) || ADDRESS_CHARS.contains(c))
        {
            return Some((chars[..split].iter().collect(), tail));
        }
    }
    None
}

// ---------------------------------------------------------------------------------------

/// Reads a pasted receiver text with the embedded division table. See the module
/// documentation for the rules.
pub fn parse_address(text: &str) -> ParsedAddress {
    parse_with(Divisions::embedded(), text)
}

fn parse_with(div: &Divisions, text: &str) -> ParsedAddress {
    let mut out = ParsedAddress::default();
    let mut chars = fold(text);
    let (phone, other_phone) = take_phones(&mut chars);
    out.phone = phone;
    if other_phone {
        out.unsure.push(Field::Phone);
    }
    out.postcode = take_postcode(&mut chars);
    let name_at = take_labels(&mut chars);

    let region = find_region(div, &chars);
    let (rs, re) = region.as_ref().map_or((0, 0), |r| (r.start, r.end));
    if let Some(r) = &region {
        let name = |u: Option<usize>| u.map(|u| div.units[u].name.clone()).unwrap_or_default();
        out.province = name(r.path[0]);
        out.city = name(r.path[1]);
        out.district = name(r.path[2]);
        for (level, field) in [Field::Province, Field::City, Field::District]
            .into_iter()
            .enumerate()
        {
            if r.ambiguous[level] {
                out.unsure.push(field);
            }
        }
        if out.district.is_empty() && !out.unsure.contains(&Field::District) {
            out.unsure.push(Field::District);
        }
        for ch in &mut chars[rs..re] {
            *ch = ' ';
        }
    } else {
        out.unsure
            .extend([Field::Province, Field::City, Field::District]);
    }

    // Words: (start, text), in order.
    let mut words: Vec<(usize, String)> = Vec::new();
    let mut cur = String::new();
    let mut cur_start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if is_sep(c) || c == ':' {
            if !cur.is_empty() {
                words.push((cur_start, std::mem::take(&mut cur)));
            }
        } else {
            if cur.is_empty() {
                cur_start = i;
            }
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        words.push((cur_start, cur));
    }
    let trim = |w: &str| {
        w.trim_matches(|c: char| matches!(c, '(' | ')' | '-' | '.' | '/'))
            .to_owned()
    };
    words.retain(|(_, w)| !trim(w).is_empty());
    let mut name_word: Option<usize> = None;
    let mut name_sure = true;
    if let Some(at) = name_at {
        name_word = words.iter().position(|(s, _)| *s == at);
    }
    if name_word.is_none() {
        name_word = words
            .iter()
            .position(|(s, w)| *s < rs && name_like(div, &trim(w), false));
        if let Some(i) = name_word
            && !has_surname(&trim(&words[i].1))
        {
            name_sure = false;
        }
    }
    if name_word.is_none() {
        name_word = words
            .iter()
            .rposition(|(s, w)| *s >= re && name_like(div, &trim(w), true));
    }
    if name_word.is_none() && region.is_some() {
        // The last word after the street, alone (`…钢铁大街 乌兰`): a name too, unsure.
        let after: Vec<usize> = (0..words.len()).filter(|&i| words[i].0 >= re).collect();
        if let [.., street, last] = after[..]
            && words[last].0 > words[street].0
            && name_like(div, &trim(&words[last].1), false)
            && !words[last].1.chars().any(|c| c.is_ascii_alphabetic())
        {
            name_word = Some(last);
            name_sure = false;
        }
    }
    if let Some(i) = name_word {
        out.name = trim(&words[i].1);
    }
    let mut dropped = false;
    // The street words in order; between two of them the punctuation written there
    // (`Room 5, 12 Queen's Road`), else one space.
    let mut street = String::new();
    let mut prev_end: Option<usize> = None;
    for (i, (s, w)) in words.iter().enumerate() {
        if Some(i) == name_word {
            continue;
        }
        if *s < rs && region.is_some() {
            dropped = true;
            continue;
        }
        if let Some(pe) = prev_end {
            if let Some(mark) = chars[pe..*s].iter().find(|c| matches!(c, ',' | ';' | '、')) {
                street.push(*mark);
            }
            street.push(' ');
        }
        street.push_str(w);
        prev_end = Some(s + w.chars().count());
    }
    out.address = street;
    if out.name.is_empty()
        && let Some((street, name)) = glued_name(&out.address)
    {
        out.address = street;
        out.name = name;
        name_sure = false;
    }
    if !name_sure {
        out.unsure.push(Field::Name);
    }
    if out.address.is_empty() || dropped {
        out.unsure.push(Field::Address);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The case table, shared with the cpca benchmark (benches/address_cpca.py): tab
    /// separated, a header line, then `input name phone province city district address
    /// postcode`, every field asserted. In cells `\t`, `\n` and `\\` stand for a tab, a
    /// line break and a backslash.
    const CASES: &str = include_str!("../../benches/address_cases.tsv");

    fn unescape(cell: &str) -> String {
        let mut out = String::new();
        let mut chars = cell.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('t') => out.push('\t'),
                    Some('n') => out.push('\n'),
                    Some('\\') => out.push('\\'),
                    Some(other) => {
                        out.push('\\');
                        out.push(other);
                    }
                    None => out.push('\\'),
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn the_case_table() {
        let mut failures = Vec::new();
        let mut count = 0;
        for (n, line) in CASES.lines().enumerate().skip(1) {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<String> = line.split('\t').map(unescape).collect();
            assert_eq!(cols.len(), 8, "line {}: {} columns", n + 1, cols.len());
            count += 1;
            let got = parse_address(&cols[0]);
            let got_row = [
                &got.name,
                &got.phone,
                &got.province,
                &got.city,
                &got.district,
                &got.address,
                &got.postcode,
            ];
            let want_row: Vec<&String> = cols[1..].iter().collect();
            if got_row.iter().zip(&want_row).any(|(g, w)| g != w) {
                failures.push(format!(
                    "line {}: {}\n   want {:?}\n   got  {:?}",
                    n + 1,
                    cols[0],
                    want_row,
                    got_row
                ));
            }
        }
        assert!(count >= 150, "only {count} cases");
        assert!(
            failures.is_empty(),
            "{} of {count} cases fail:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    /// The scan that stops lengthening a word when no name starts with it finds what
    /// looking up every length finds.
    #[test]
    fn the_scan_finds_every_name_at_every_length() {
        let div = Divisions::embedded();
        let names: Vec<&String> = div
            .index
            .iter()
            .filter(|(_, entry)| !entry.hits.is_empty())
            .map(|(name, _)| name)
            .collect();
        assert!(names.len() > 5_000, "{} names", names.len());
        let every_length = |chars: &[char]| {
            let mut out = vec![Vec::new(); chars.len()];
            for (i, slot) in out.iter_mut().enumerate() {
                for len in (2..=chars.len() - i).rev() {
                    let word: String = chars[i..i + len].iter().collect();
                    if !chars[i..i + len].iter().all(|c| is_cjk(*c)) || len > div.max_chars {
                        continue;
                    }
                    if let Some(entry) = div.index.get(&word) {
                        slot.extend(entry.hits.iter().map(|&(u, k)| (i + len, u, k)));
                    }
                }
            }
            out
        };
        for (k, pair) in names.windows(2).enumerate().step_by(7) {
            // Two names glued, a name with a street after it, a name inside other text.
            for text in [
                format!("{}{}", pair[0], pair[1]),
                format!("{}中山路{}号", pair[0], k),
                format!("收货 {}新区花园{}", pair[1], pair[0]),
            ] {
                let chars: Vec<char> = text.chars().collect();
                assert_eq!(candidates(div, &chars), every_length(&chars), "{text}");
            }
        }
    }

    #[test]
    fn the_table_is_complete() {
        let div = Divisions::embedded();
        assert_eq!(div.provinces().len(), 34);
        assert!(div.county_count() > 2_840, "{}", div.county_count());
        assert_eq!(div.cities("北京市"), ["北京市"]);
        assert!(div.districts("北京市", "北京市").contains(&"朝阳区"));
        assert!(div.cities("湖北省").contains(&"仙桃市"));
        assert_eq!(div.districts("湖北省", "仙桃市"), ["仙桃市"]);
        assert_eq!(div.districts("广东省", "东莞市"), ["东莞市"]);
        assert!(div.cities("吉林省").contains(&"延边朝鲜族自治州"));
        assert!(div.cities("内蒙古自治区").contains(&"锡林郭勒盟"));
        assert!(div.districts("浙江省", "杭州市").contains(&"临平区"));
        assert!(!div.districts("浙江省", "杭州市").contains(&"江干区"));
        assert!(div.cities("浙江省").len() == 11);
        assert!(div.cities("不存在").is_empty());
    }

    #[test]
    fn short_names_drop_suffixes_and_peoples() {
        assert_eq!(short_names("恩施土家族苗族自治州", 2), ["恩施", "恩施州"]);
        assert_eq!(short_names("博尔塔拉蒙古自治州", 2), ["博尔塔拉", "博州"]);
        assert_eq!(short_names("长阳土家族自治县", 3), ["长阳"]);
        assert_eq!(short_names("浦东新区", 3), ["浦东"]);
        assert_eq!(short_names("房县", 3), Vec::<String>::new());
        assert_eq!(short_names("新疆维吾尔自治区", 1), ["新疆"]);
        assert_eq!(short_names("锡林郭勒盟", 2), ["锡林郭勒"]);
    }

    #[test]
    fn unsure_fields() {
        let p = parse_address("鼓楼区中山路1号 张三 13800138000");
        assert!(p.unsure.contains(&Field::City), "{p:?}");
        assert!(p.unsure.contains(&Field::District) || p.district == "鼓楼区");
        let p = parse_address("北京市朝阳区建国路88号 张三 13800138000");
        assert!(p.unsure.is_empty(), "{p:?}");
        let p = parse_address("浙江省杭州市文三路100号 张三");
        assert!(p.unsure.contains(&Field::District), "{p:?}");
        let p = parse_address("张三 13800138000 0571-88886666 浙江省杭州市西湖区文三路100号");
        assert_eq!(p.phone, "13800138000");
        assert!(p.unsure.contains(&Field::Phone));
        let p = parse_address("浙江省杭州市西湖区文三路100号张三");
        assert_eq!(
            (p.name.as_str(), p.address.as_str()),
            ("张三", "文三路100号")
        );
        assert!(p.unsure.contains(&Field::Name));
        let p = parse_address("文三路100号");
        assert!(p.unsure.contains(&Field::Province));
        let p = parse_address("Room 5, 12 Queen's Road, Central");
        assert_eq!(p.address, "Room 5, 12 Queen's Road, Central");
    }

    /// Random pastes from a pool of the characters that matter never panic, and a long
    /// paste stays fast.
    #[test]
    fn random_text_never_panics() {
        let pool: Vec<char> = "浙江省杭州市西湖区北京朝阳鼓楼仙桃东莞路号室张三李0123456789１２３-()（）:：,， 转#\n收货人手机邮编·"
            .chars()
            .collect();
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..2_000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 60) as usize;
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push(pool[(seed % pool.len() as u64) as usize]);
            }
            let _ = parse_address(&text);
        }
        let long = "浙江省杭州市西湖区文三路100号 ".repeat(40);
        let _ = parse_address(&long);
        let started = std::time::Instant::now();
        let p = parse_address(&long);
        assert_eq!(p.district, "西湖区");
        // Generous for an unoptimised test build on a busy machine; the benchmark measures.
        assert!(
            started.elapsed().as_millis() < 200,
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn empty_and_junk_text() {
        assert_eq!(parse_address("").address, "");
        let p = parse_address("   \n ");
        assert_eq!(p.name, "");
        assert_eq!(p.phone, "");
        let _ = parse_address("１２３４５６７８９０１２３４５６７８９０");
        let _ = parse_address("(((((");
        let _ = parse_address("转转转--##");
    }
}
