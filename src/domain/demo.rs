//! A realistic, deterministic sample shop: the same seed and the same "now" give the same
//! products and orders. The store writes them (`store::demo`); this module only invents.

use chrono::{DateTime, Duration, FixedOffset};

use super::model::{Attributes, NewOrder, NewOrderLine, NewProduct};
use super::order::{Flag, OrderState, PaymentStatus};

/// SplitMix64: small, fast and the same on every platform and version, which is what a
/// deterministic sample needs (a crate's generator may change its stream between versions).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5EED_5EED_5EED_5EED)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with the given chance in percent.
    pub fn percent(&mut self, chance: u64) -> bool {
        self.below(100) < chance
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "欧阳",
    "司马",
];
const GIVEN_NAMES: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "桂英", "华", "平", "刚", "桂兰", "建华", "小红", "子涵", "浩然", "一诺", "雨桐",
    "欣怡", "梓萱", "宇轩", "晓东", "文博", "佳琪", "思远",
];
/// (province, city, district, postcode)
const PLACES: &[(&str, &str, &str, &str)] = &[
    ("广东省", "深圳市", "南山区", "518000"),
    ("广东省", "广州市", "天河区", "510630"),
    ("上海", "上海市", "浦东新区", "200120"),
    ("北京", "北京市", "朝阳区", "100020"),
    ("浙江省", "杭州市", "西湖区", "310013"),
    ("江苏省", "南京市", "鼓楼区", "210008"),
    ("四川省", "成都市", "武侯区", "610041"),
    ("湖北省", "武汉市", "洪山区", "430070"),
    ("山东省", "青岛市", "市南区", "266001"),
    ("福建省", "厦门市", "思明区", "361001"),
    ("陕西省", "西安市", "雁塔区", "710061"),
    ("重庆", "重庆市", "渝中区", "400010"),
    ("天津", "天津市", "和平区", "300041"),
    ("河南省", "郑州市", "金水区", "450003"),
    ("湖南省", "长沙市", "岳麓区", "410006"),
    ("辽宁省", "沈阳市", "和平区", "110001"),
    ("云南省", "昆明市", "五华区", "650021"),
    ("江苏省", "苏州市", "姑苏区", "215008"),
    ("浙江省", "宁波市", "鄞州区", "315100"),
    ("安徽省", "合肥市", "蜀山区", "230031"),
];
const STREETS: &[&str] = &[
    "科技园路",
    "人民路",
    "中山路",
    "解放大道",
    "建设路",
    "文三路",
    "长江路",
    "和平街",
    "学院路",
    "滨江大道",
    "南京西路",
    "花园路",
    "幸福里",
    "新华街",
    "青年路",
];
const BUILDINGS: &[&str] = &["小区", "花园", "公寓", "大厦", "苑", "新村"];
const BUYER_WORDS: &[&str] = &[
    "xiaomei", "tb", "lucky", "sunny", "mao", "kiki", "abao", "happy", "tea", "moon", "star",
    "coco", "yoyo", "leo",
];
const MESSAGES: &[&str] = &[
    "请尽快发货，谢谢！",
    "不要放快递柜",
    "送人的，不要放发票",
    "发顺丰可以吗？",
    "周末不在家，请工作日送",
    "颜色请仔细核对",
];

/// A courier: (code, name, tracking-number prefix, digits after the prefix).
pub const COURIERS: &[(&str, &str, &str, u32)] = &[
    ("SF", "顺丰速运", "SF", 13),
    ("ZTO", "中通快递", "78", 12),
    ("YTO", "圆通速递", "YT", 13),
    ("YUNDA", "韵达快递", "43", 13),
    ("STO", "申通快递", "77", 13),
];

/// The other names a marketplace or a person gives the sample couriers, by code (the
/// sample orders name their courier by code; a Taobao export writes `顺丰快递`).
pub const COURIER_ALIASES: &[(&str, &[&str])] = &[
    ("SF", &["顺丰快递", "顺丰", "顺丰物流", "SF Express"]),
    ("ZTO", &["中通", "中通速递", "ZTO Express"]),
    ("YTO", &["圆通", "圆通快递", "YTO Express"]),
    ("YUNDA", &["韵达", "韵达速递", "Yunda Express"]),
    ("STO", &["申通", "申通速递", "STO Express"]),
];

/// The tracking numbers a courier allocated to the sample shop: `count` numbers, in the
/// courier's own format, counting down from the top of its range (the sample orders' own
/// numbers are random, so they hardly ever meet these).
pub fn tracking_pool(prefix: &str, digits: u32, count: u64) -> Vec<String> {
    let top = 10u64.pow(digits.min(18)) - 1;
    (0..count)
        .map(|i| format!("{prefix}{:0width$}", top - i, width = digits as usize))
        .collect()
}

/// One sample order and what has happened to it.
#[derive(Clone, Debug)]
pub struct DemoOrder {
    /// The order with its final state, payment, flag, courier and tracking number.
    pub order: NewOrder,
    pub on_hold: bool,
    pub reviewed_at: Option<String>,
    pub printed_at: Option<String>,
    pub shipped_at: Option<String>,
    pub archived_at: Option<String>,
    /// Merge this order into the previous one that had `merge_into_previous == false`.
    pub merge_into_previous: bool,
}

/// An open or received purchase from a supplier.
#[derive(Clone, Debug)]
pub struct DemoPurchase {
    pub supplier: String,
    pub created_at: String,
    pub expected_date: String,
    /// (product code, ordered, received so far, unit cost)
    pub lines: Vec<(String, i64, i64, i64)>,
}

fn timestamp(t: DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

fn colour_size(colour: &str, size: &str) -> Attributes {
    let mut attributes = vec![("颜色".to_owned(), colour.to_owned())];
    if !size.is_empty() {
        attributes.push(("尺码".to_owned(), size.to_owned()));
    }
    attributes
}

/// About 200 products: clothes in colours and sizes, mugs, tea, phone cases, and bundles.
pub fn products(seed: u64) -> Vec<NewProduct> {
    let mut rng = Rng::new(seed.wrapping_add(1));
    let mut out = Vec::new();
    let mut barcode_seq = 0u64;
    let mut add = |rng: &mut Rng,
                   code: String,
                   name: String,
                   attributes: Attributes,
                   price_cents: i64,
                   weight_grams: i64| {
        barcode_seq += 1;
        let aisle = ["A", "B", "C", "D", "E", "F"][(out.len() / 36) % 6];
        let bin = format!("{aisle}-{:02}-{}", rng.below(12) + 1, rng.below(4) + 1);
        let barcode = ean13(690_123_400_000 + barcode_seq);
        out.push(NewProduct {
            supplier_item_no: format!("HX{}", 20_000 + rng.below(80_000)),
            barcodes: vec![barcode],
            bin,
            cost_cents: price_cents * 45 / 100,
            reorder_point: [0, 5, 10, 20][rng.below(4) as usize],
            code,
            name,
            attributes,
            price_cents,
            weight_grams,
            components: Vec::new(),
        });
    };
    let colours = ["白色", "黑色", "灰色", "藏青"];
    let sizes = ["S", "M", "L", "XL", "XXL"];
    for (style, title) in ["纯棉圆领T恤", "宽松短袖T恤", "印花T恤", "V领T恤"]
        .iter()
        .enumerate()
    {
        for (ci, colour) in colours.iter().enumerate() {
            for size in sizes {
                add(
                    &mut rng,
                    format!("TS{:02}-{}{}", style + 1, ci + 1, size),
                    format!("{title} {colour} {size}"),
                    colour_size(colour, size),
                    5900 + style as i64 * 1000,
                    220,
                );
            }
        }
    }
    for (style, title) in ["连帽卫衣", "加绒卫衣"].iter().enumerate() {
        for (ci, colour) in ["黑色", "燕麦色", "雾霾蓝"].iter().enumerate() {
            for size in ["M", "L", "XL", "XXL"] {
                add(
                    &mut rng,
                    format!("HD{:02}-{}{}", style + 1, ci + 1, size),
                    format!("{title} {colour} {size}"),
                    colour_size(colour, size),
                    12900 + style as i64 * 2000,
                    650,
                );
            }
        }
    }
    for (i, design) in [
        "熊猫",
        "猫咪",
        "山水",
        "星空",
        "故宫",
        "樱花",
        "极简白",
        "字母A",
        "柴犬",
        "锦鲤",
    ]
    .iter()
    .enumerate()
    {
        add(
            &mut rng,
            format!("MUG-{:02}", i + 1),
            format!("陶瓷马克杯 {design}"),
            vec![("图案".to_owned(), (*design).to_owned())],
            3900,
            380,
        );
    }
    for (ci, colour) in ["白色", "黑色", "灰色", "条纹", "粉色", "卡其"]
        .iter()
        .enumerate()
    {
        for size in ["均码", "大码"] {
            add(
                &mut rng,
                format!("SK-{}{}", ci + 1, if size == "均码" { "F" } else { "L" }),
                format!("精梳棉袜 {colour} {size}"),
                colour_size(colour, size),
                1500,
                60,
            );
        }
    }
    for model in [
        "iPhone 15",
        "iPhone 16",
        "iPhone 17",
        "华为 Mate 70",
        "小米 15",
        "OPPO Find X8",
        "vivo X200",
        "荣耀 Magic7",
    ] {
        for (ci, colour) in ["透明", "黑色", "薄荷绿"].iter().enumerate() {
            let code_model: String = model.chars().filter(char::is_ascii_alphanumeric).collect();
            add(
                &mut rng,
                format!("PC-{}-{}", code_model.to_uppercase(), ci + 1),
                format!("{model} 手机壳 {colour}"),
                vec![
                    ("型号".to_owned(), model.to_owned()),
                    ("颜色".to_owned(), (*colour).to_owned()),
                ],
                2900,
                40,
            );
        }
    }
    for (i, tea) in [
        "西湖龙井 100g",
        "铁观音 125g",
        "正山小种 100g",
        "普洱熟茶 357g",
        "茉莉花茶 100g",
        "白毫银针 50g",
        "碧螺春 100g",
        "大红袍 125g",
    ]
    .iter()
    .enumerate()
    {
        add(
            &mut rng,
            format!("TEA-{:02}", i + 1),
            format!("茶叶 {tea}"),
            Vec::new(),
            6800 + i as i64 * 1500,
            180,
        );
    }
    for (i, colour) in ["米白", "黑色", "军绿", "卡其", "雾粉", "藏蓝"]
        .iter()
        .enumerate()
    {
        add(
            &mut rng,
            format!("BAG-{:02}", i + 1),
            format!("帆布托特包 {colour}"),
            colour_size(colour, ""),
            4900,
            300,
        );
        for size in ["M", "L"] {
            add(
                &mut rng,
                format!("CAP-{:02}{size}", i + 1),
                format!("棒球帽 {colour} {size}"),
                colour_size(colour, size),
                3500,
                120,
            );
        }
    }
    // Bundles: three pairs of socks, a mug-and-tea gift box, two T-shirts.
    let mut bundles = Vec::new();
    for ci in 1..=6 {
        bundles.push((
            format!("SET-SK{ci}"),
            format!(
                "精梳棉袜 三双装 {}",
                ["白色", "黑色", "灰色", "条纹", "粉色", "卡其"][ci - 1]
            ),
            vec![(format!("SK-{ci}F"), 3)],
            3900,
        ));
    }
    for i in 1..=5 {
        bundles.push((
            format!("SET-GIFT{i}"),
            format!("茶杯礼盒 {}号", i),
            vec![(format!("MUG-{i:02}"), 1), (format!("TEA-{i:02}"), 1)],
            9900,
        ));
    }
    for size in sizes {
        bundles.push((
            format!("SET-TS2-{size}"),
            format!("纯棉T恤两件装 黑白 {size}"),
            vec![(format!("TS01-1{size}"), 1), (format!("TS01-2{size}"), 1)],
            9900,
        ));
    }
    for (code, name, components, price_cents) in bundles {
        barcode_seq += 1;
        out.push(NewProduct {
            code,
            name,
            barcodes: vec![ean13(690_123_400_000 + barcode_seq)],
            supplier_item_no: String::new(),
            attributes: Vec::new(),
            bin: String::new(),
            price_cents,
            cost_cents: price_cents * 45 / 100,
            weight_grams: 0,
            reorder_point: 0,
            components,
        });
    }
    out
}

/// An EAN-13 barcode from its first 12 digits (the 69x prefix is China's).
pub fn ean13(first12: u64) -> String {
    let digits = format!("{:012}", first12 % 1_000_000_000_000);
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    format!("{digits}{}", (10 - sum % 10) % 10)
}

/// Streams sample orders, oldest first, over the 60 days before `now`.
pub struct OrderGenerator {
    rng: Rng,
    now: DateTime<FixedOffset>,
    count: u64,
    next: u64,
    /// (code, name, attributes text, price) of the products that can be sold.
    sellable: Vec<(String, String, String, i64)>,
    /// The last order that others may merge into, and whether it is on hold.
    previous: Option<(NewOrder, bool)>,
}

impl OrderGenerator {
    pub fn new(
        seed: u64,
        count: u64,
        now: DateTime<FixedOffset>,
        products: &[NewProduct],
    ) -> OrderGenerator {
        let sellable = products
            .iter()
            .map(|p| {
                let attributes = p
                    .attributes
                    .iter()
                    .map(|(k, v)| format!("{k}：{v}"))
                    .collect::<Vec<_>>()
                    .join(";");
                (p.code.clone(), p.name.clone(), attributes, p.price_cents)
            })
            .collect();
        OrderGenerator {
            rng: Rng::new(seed),
            now,
            count,
            next: 0,
            sellable,
            previous: None,
        }
    }

    fn receiver(&mut self, order: &mut NewOrder) {
        let rng = &mut self.rng;
        let name = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN_NAMES));
        let (province, city, district, postcode) = *rng.pick(PLACES);
        order.buyer_id = format!("{}{}", rng.pick(BUYER_WORDS), 1000 + rng.below(899_000));
        order.buyer_name = name.clone();
        order.receiver_name = name;
        order.receiver_phone = format!(
            "1{}{:09}",
            ["3", "5", "7", "8", "9"][rng.below(5) as usize],
            rng.below(1_000_000_000)
        );
        order.province = province.to_owned();
        order.city = city.to_owned();
        order.district = district.to_owned();
        order.postcode = postcode.to_owned();
        order.address = format!(
            "{}{}号 {}{} {}栋{}室",
            rng.pick(STREETS),
            rng.below(300) + 1,
            rng.pick(SURNAMES),
            rng.pick(BUILDINGS),
            rng.below(20) + 1,
            (rng.below(30) + 1) * 100 + rng.below(4) + 1
        );
    }
}

impl Iterator for OrderGenerator {
    type Item = DemoOrder;

    fn next(&mut self) -> Option<DemoOrder> {
        if self.next >= self.count {
            return None;
        }
        let i = self.next;
        self.next += 1;
        let rng = &mut self.rng;
        // Spread evenly over 60 days, oldest first, with the last day a little busier.
        let span_minutes: u64 = 60 * 24 * 60;
        let offset = (span_minutes - i * span_minutes / self.count.max(1)) as i64;
        let ordered =
            self.now - Duration::minutes(offset) + Duration::minutes(rng.below(30) as i64);
        let ordered = ordered.min(self.now - Duration::minutes(1));
        let age_hours = (self.now - ordered).num_hours();

        let platform_roll = rng.below(100);
        let (platform, order_no) = match platform_roll {
            0..=59 => (
                "taobao",
                (3_100_000_000_000_000_000u64 + i * 1_009 + rng.below(1_000)).to_string(),
            ),
            60..=79 => (
                "tmall",
                (4_200_000_000_000_000_000u64 + i * 1_009 + rng.below(1_000)).to_string(),
            ),
            80..=89 => (
                "jd",
                (300_000_000_000u64 + i * 1_009 + rng.below(1_000)).to_string(),
            ),
            _ => (
                "pinduoduo",
                format!(
                    "{}-{:015}",
                    ordered.format("%y%m%d"),
                    i * 1_009 + rng.below(1_000)
                ),
            ),
        };
        let mut order = NewOrder::new(platform, &order_no, &timestamp(ordered));

        // A second order of the same buyer to the same address, merged into the first.
        let merge_into_previous = match &self.previous {
            Some((prev, false)) if prev.state.is_editable() && self.rng.percent(12) => {
                order.buyer_id = prev.buyer_id.clone();
                order.buyer_name = prev.buyer_name.clone();
                order.receiver_name = prev.receiver_name.clone();
                order.receiver_phone = prev.receiver_phone.clone();
                order.province = prev.province.clone();
                order.city = prev.city.clone();
                order.district = prev.district.clone();
                order.address = prev.address.clone();
                order.postcode = prev.postcode.clone();
                order.state = prev.state;
                true
            }
            _ => {
                self.receiver(&mut order);
                false
            }
        };
        let rng = &mut self.rng;

        // Lines.
        let line_count = match rng.below(100) {
            0..=69 => 1,
            70..=91 => 2,
            _ => 3,
        };
        for _ in 0..line_count {
            let (code, name, attributes, price) = rng.pick(&self.sellable).clone();
            let quantity = match rng.below(100) {
                0..=84 => 1,
                85..=96 => 2,
                _ => 3,
            };
            order.lines.push(NewOrderLine {
                sku: code,
                title: name,
                attributes,
                quantity,
                unit_price_cents: price,
            });
        }
        order.goods_cents = order
            .lines
            .iter()
            .map(|l| l.quantity * l.unit_price_cents)
            .sum();
        order.postage_cents = if order.goods_cents >= 9900 || rng.percent(60) {
            0
        } else {
            800
        };
        order.discount_cents = if rng.percent(15) { 500 } else { 0 };
        if rng.percent(8) {
            order.buyer_message = (*rng.pick(MESSAGES)).to_owned();
        }

        // State by age: recent orders are still being worked on.
        let roll = rng.below(100);
        if !merge_into_previous {
            order.state = if roll < 3 {
                OrderState::Cancelled
            } else if age_hours < 24 {
                match roll {
                    3..=49 => OrderState::PendingReview,
                    50..=71 => OrderState::Approved,
                    72..=89 => OrderState::Printed,
                    _ => OrderState::Shipped,
                }
            } else if age_hours < 72 {
                match roll {
                    3..=9 => OrderState::Approved,
                    10..=24 => OrderState::Printed,
                    _ => OrderState::Shipped,
                }
            } else if age_hours < 24 * 20 || roll < 40 {
                OrderState::Shipped
            } else {
                OrderState::Archived
            };
        }
        let paid = match order.state {
            OrderState::PendingReview => rng.percent(88),
            OrderState::Approved => rng.percent(95),
            OrderState::Cancelled => rng.percent(20),
            _ => true,
        };
        // An unpaid approved order is a manual order waiting for a bank transfer.
        if order.state == OrderState::Approved && !paid && !merge_into_previous {
            order.platform = "manual".to_owned();
            order.order_no = format!("M{}{:06}", ordered.format("%Y%m%d"), i);
        }
        order.payment_status = if paid {
            PaymentStatus::Paid
        } else {
            PaymentStatus::Unpaid
        };
        order.platform_status = match (order.state, paid) {
            (OrderState::Cancelled, _) => "交易关闭",
            (_, false) => "等待买家付款",
            (OrderState::Shipped | OrderState::Printed, _) if rng.percent(50) => {
                "卖家已发货，等待买家确认"
            }
            (OrderState::Archived, _) => "交易成功",
            _ => "买家已付款，等待卖家发货",
        }
        .to_owned();
        let mut minute = ordered;
        let mut step = |rng: &mut Rng, max_minutes: u64| {
            minute += Duration::minutes(1 + rng.below(max_minutes) as i64);
            minute = minute.min(self.now);
            timestamp(minute)
        };
        if paid {
            order.paid_at = Some(step(rng, 30));
            order.paid_cents = order.total_cents();
        }
        let reached = |s: OrderState| -> bool {
            let rank = |s: OrderState| match s {
                OrderState::PendingReview | OrderState::Cancelled => 0,
                OrderState::Approved => 1,
                OrderState::Printed => 2,
                OrderState::Shipped => 3,
                OrderState::Archived => 4,
            };
            rank(order.state) >= rank(s) && order.state != OrderState::Cancelled
        };
        let reviewed_at = reached(OrderState::Approved).then(|| step(rng, 360));
        let printed_at = reached(OrderState::Printed).then(|| step(rng, 900));
        let shipped_at = reached(OrderState::Shipped).then(|| step(rng, 480));
        let archived_at = reached(OrderState::Archived).then(|| step(rng, 60 * 24 * 16));
        if printed_at.is_some() {
            let (code, _, prefix, digits) = *rng.pick(COURIERS);
            order.courier = code.to_owned();
            let number = rng.next_u64() % 10u64.pow(digits.min(18));
            order.tracking_no = format!("{prefix}{number:0width$}", width = digits as usize);
        }
        let on_hold = matches!(
            order.state,
            OrderState::PendingReview | OrderState::Approved | OrderState::Printed
        ) && rng.percent(8);
        if rng.percent(5) {
            let (flag, remark) = *rng.pick(&[
                (Flag::Red, "买家投诉物流慢，已安抚"),
                (Flag::Yellow, "缺货，等补货后再发"),
                (Flag::Green, "工行转账已到账"),
                (Flag::Blue, "换货：新件已寄出"),
                (Flag::Purple, "退货中，等待退件到货"),
            ]);
            order.flag = flag;
            order.seller_remark = remark.to_owned();
        }
        if !merge_into_previous {
            self.previous = Some((order.clone(), on_hold));
        }
        Some(DemoOrder {
            order,
            on_hold: on_hold && !merge_into_previous,
            reviewed_at,
            printed_at,
            shipped_at,
            archived_at,
            merge_into_previous,
        })
    }
}

/// A few purchases: most open (stock in transit), one partly received.
pub fn purchases(
    seed: u64,
    now: DateTime<FixedOffset>,
    products: &[NewProduct],
) -> Vec<DemoPurchase> {
    let mut rng = Rng::new(seed.wrapping_add(2));
    let singles: Vec<&NewProduct> = products
        .iter()
        .filter(|p| p.components.is_empty())
        .collect();
    let suppliers = [
        "义乌小商品批发",
        "广州白马服装",
        "景德镇陶瓷厂",
        "安溪茶叶合作社",
        "深圳配件工厂",
    ];
    (0..6)
        .map(|n| {
            let lines = (0..3 + rng.below(5))
                .map(|_| {
                    let product = rng.pick(&singles);
                    let ordered = 20 + rng.below(80) as i64;
                    let received = if n == 0 { ordered / 2 } else { 0 };
                    (product.code.clone(), ordered, received, product.cost_cents)
                })
                .collect::<Vec<_>>();
            let mut lines_unique: Vec<(String, i64, i64, i64)> = Vec::new();
            for line in lines {
                if !lines_unique.iter().any(|l| l.0 == line.0) {
                    lines_unique.push(line);
                }
            }
            DemoPurchase {
                supplier: (*rng.pick(&suppliers)).to_owned(),
                created_at: timestamp(now - Duration::days(5 - n as i64)),
                expected_date: (now + Duration::days(2 + n as i64))
                    .format("%Y-%m-%d")
                    .to_string(),
                lines: lines_unique,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<FixedOffset> {
        match DateTime::parse_from_rfc3339("2026-11-22T18:00:00+08:00") {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn about_two_hundred_products_with_unique_codes_and_barcodes() {
        let products = products(7);
        assert!((180..=230).contains(&products.len()), "{}", products.len());
        let mut codes: Vec<&str> = products.iter().map(|p| p.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), products.len());
        assert!(products.iter().any(|p| !p.components.is_empty()));
        for p in &products {
            for (component, _) in &p.components {
                assert!(
                    codes.binary_search(&component.as_str()).is_ok(),
                    "{component}"
                );
            }
        }
    }

    #[test]
    fn deterministic_and_covers_every_state() {
        let products = products(7);
        let a: Vec<DemoOrder> = OrderGenerator::new(7, 3000, now(), &products).collect();
        let b: Vec<DemoOrder> = OrderGenerator::new(7, 3000, now(), &products).collect();
        assert_eq!(a.len(), 3000);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.order, y.order);
        }
        for state in OrderState::ALL {
            assert!(
                a.iter().any(|o| o.order.state == state),
                "no {state:?} order"
            );
        }
        assert!(a.iter().any(|o| o.merge_into_previous));
        assert!(a.iter().any(|o| o.order.flag != Flag::None));
        assert!(a.iter().any(|o| o.on_hold));
        for o in &a {
            let printed = matches!(
                o.order.state,
                OrderState::Printed | OrderState::Shipped | OrderState::Archived
            );
            assert_eq!(
                printed,
                !o.order.tracking_no.is_empty(),
                "{:?}",
                o.order.state
            );
        }
        let mut numbers: Vec<(&str, &str)> = a
            .iter()
            .map(|o| (o.order.platform.as_str(), o.order.order_no.as_str()))
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        assert_eq!(numbers.len(), 3000, "order numbers must be unique");
    }

    #[test]
    fn ean13_check_digit() {
        // 690123456789 → check digit 2 (a well-known example of the algorithm).
        assert_eq!(ean13(690_123_456_789), "6901234567892");
    }

    #[test]
    fn tracking_pool_numbers_are_distinct_and_in_format() {
        let pool = tracking_pool("SF", 13, 3);
        assert_eq!(
            pool,
            ["SF9999999999999", "SF9999999999998", "SF9999999999997"]
        );
    }
}
