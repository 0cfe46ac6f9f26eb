//! A generator of realistic Taobao export pairs for the import benchmark (and large-file
//! tests): GB18030 files as the seller center writes them, with `="…"` order numbers,
//! `'` phones, stray spaces in headers, CJK addresses ending in `(postcode)`, quoted fields
//! with commas, and about 1.8 item rows per order. The same seed gives the same files.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

const ORDER_HEADER: &str = "订单编号,买家会员名,买家支付宝账号,买家应付货款,买家应付邮费,买家支付积分,总金额,\
返点积分,买家实际支付金额,买家实际支付积分,订单状态,买家留言,收货人姓名,收货地址 ,运送方式,联系电话 ,联系手机,\
订单创建时间,订单付款时间 ,宝贝标题 ,宝贝种类 ,物流单号 ,物流公司,订单备注,宝贝总数量,店铺Id,店铺名称,订单关闭原因,\
卖家服务费,买家服务费,发票抬头,是否手机订单,退款金额\r\n";

const ITEM_HEADER: &str =
    "订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码\r\n";

/// (商家编码, 标题, price in cents, 商品属性).
const PRODUCTS: [(&str, &str, i64, &str); 12] = [
    (
        "TS-001-RED-M",
        "纯棉短袖T恤 男女同款 宽松",
        5900,
        "颜色分类：红色;尺码：M",
    ),
    (
        "TS-001-BLK-L",
        "纯棉短袖T恤 男女同款 宽松",
        5900,
        "颜色分类：黑色;尺码：L",
    ),
    (
        "JK-210-NAV-XL",
        "秋冬加厚连帽卫衣外套",
        16800,
        "颜色分类：藏青;尺码：XL",
    ),
    (
        "PT-033-KHA-30",
        "休闲直筒长裤 弹力",
        12900,
        "颜色分类：卡其;尺码：30",
    ),
    ("SK-500-WHT", "运动棉袜 5双装", 2990, "颜色分类：白色"),
    ("CP-808", "保温杯 316不锈钢 500ml", 8800, "颜色分类：星空蓝"),
    ("BG-120-BRN", "真皮斜挎包, 小方包", 25900, "颜色分类：棕色"),
    ("HT-077", "渔夫帽 防晒 可折叠", 3900, "颜色分类：米白"),
    (
        "SC-019-GRY",
        "羊毛围巾 \"经典\"格纹",
        19900,
        "颜色分类：灰色",
    ),
    (
        "TS-002-WHT-S",
        "重磅T恤 白色打底",
        6900,
        "颜色分类：白色;尺码：S",
    ),
    ("GL-301", "触屏保暖手套", 4500, "颜色分类：黑色;尺码：均码"),
    ("UM-660", "晴雨两用折叠伞", 5600, "颜色分类：墨绿"),
];

/// (province, city, district, street, postcode).
const PLACES: [(&str, &str, &str, &str, &str); 10] = [
    ("浙江省", "杭州市", "西湖区", "文三路", "310012"),
    ("上海", "上海市", "浦东新区", "张江路", "200120"),
    ("北京", "北京市", "朝阳区", "建国路", "100022"),
    ("广东省", "深圳市", "南山区", "科技南十二路", "518057"),
    ("江苏省", "南京市", "鼓楼区", "中山北路", "210008"),
    ("四川省", "成都市", "武侯区", "人民南路四段", "610041"),
    ("湖北省", "武汉市", "洪山区", "珞喻路", "430074"),
    ("广东省", "东莞市", "", "长安镇振安中路", "523850"),
    ("山东省", "青岛市", "市南区", "香港中路", "266071"),
    ("陕西省", "西安市", "雁塔区", "小寨西路", "710061"),
];

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "洋", "艳", "晓明",
];
const ESTATES: [&str; 6] = [
    "阳光花园",
    "翠苑小区",
    "绿城桂花园",
    "万科城",
    "金地名京",
    "保利中央公园",
];
const MESSAGES: [&str; 4] = [
    "请尽快发货，谢谢！",
    "发顺丰, 到付可以",
    "不要放快递柜",
    "送人的, 不要放发票",
];
const COURIERS: [(&str, &str); 3] = [("圆通速递", "YT"), ("中通快递", "ZT"), ("顺丰速运", "SF")];

/// (status text, paid?, shipped?).
const STATUSES: [(&str, bool, bool); 5] = [
    ("买家已付款，等待卖家发货", true, false),
    ("等待买家付款", false, false),
    ("卖家已发货，等待买家确认", true, true),
    ("交易成功", true, true),
    ("交易关闭", false, false),
];

/// xorshift64*: small, fast, reproducible; not for anything but test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Writes UTF-8 text to a file as GB18030, in chunks.
struct Gb18030Writer {
    out: BufWriter<File>,
    text: String,
}

impl Gb18030Writer {
    fn create(path: &Path) -> io::Result<Gb18030Writer> {
        Ok(Gb18030Writer {
            out: BufWriter::with_capacity(256 * 1024, File::create(path)?),
            text: String::with_capacity(128 * 1024),
        })
    }

    fn flush_if_full(&mut self) -> io::Result<()> {
        if self.text.len() >= 64 * 1024 {
            self.flush_text()?;
        }
        Ok(())
    }

    fn flush_text(&mut self) -> io::Result<()> {
        let (bytes, _, _) = encoding_rs::GB18030.encode(&self.text);
        self.out.write_all(&bytes)?;
        self.text.clear();
        Ok(())
    }

    fn finish(mut self) -> io::Result<()> {
        self.flush_text()?;
        self.out.flush()
    }
}

/// Appends a CSV field, quoted when needed, then a comma.
fn field(out: &mut String, value: &str) {
    if value.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
    out.push(',');
}

fn end_row(out: &mut String) {
    out.pop();
    out.push_str("\r\n");
}

fn yuan(cents: i64) -> String {
    crate::domain::format_cents(cents)
}

/// Writes `ExportOrderList{seed}.csv` and `ExportOrderDetailList{seed}.csv` into `dir`:
/// `orders` orders with about 1.8 item rows each, GB18030. Returns (orders, items) paths.
pub fn generate_taobao_pair(dir: &Path, orders: u64, seed: u64) -> io::Result<(PathBuf, PathBuf)> {
    let orders_path = dir.join(format!("ExportOrderList{seed}.csv"));
    let items_path = dir.join(format!("ExportOrderDetailList{seed}.csv"));
    let mut order_out = Gb18030Writer::create(&orders_path)?;
    let mut item_out = Gb18030Writer::create(&items_path)?;
    order_out.text.push_str(ORDER_HEADER);
    item_out.text.push_str(ITEM_HEADER);
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut titles = String::new();
    for i in 0..orders {
        let order_no = 756_842_787_000_000_000u64 + i * 9973 + rng.below(9973);
        let order_no = format!("=\"{order_no}\"");
        let line_count = match rng.below(20) {
            0..=8 => 1,
            9..=15 => 2,
            16..=18 => 3,
            _ => 4,
        };
        let &(status, paid, shipped) = match rng.below(20) {
            0..=11 => &STATUSES[0],
            12..=13 => &STATUSES[1],
            14..=16 => &STATUSES[2],
            17..=18 => &STATUSES[3],
            _ => &STATUSES[4],
        };
        let mut goods = 0;
        let mut quantity_total = 0;
        titles.clear();
        for _ in 0..line_count {
            let &(sku, title, price, attributes) = rng.pick(&PRODUCTS);
            let quantity = match rng.below(20) {
                0..=15 => 1,
                16..=18 => 2,
                _ => 3,
            };
            goods += price * quantity;
            quantity_total += quantity;
            if !titles.is_empty() {
                titles.push('，');
            }
            titles.push_str(title);
            let row = &mut item_out.text;
            field(row, &order_no);
            field(row, title);
            field(row, &yuan(price));
            field(row, &quantity.to_string());
            field(row, sku);
            field(row, attributes);
            field(row, "");
            field(row, "");
            field(row, status);
            field(row, sku);
            end_row(row);
        }
        let postage = if rng.below(10) < 7 { 0 } else { 800 };
        let discount = if goods > 10000 && rng.below(4) == 0 {
            1000
        } else {
            0
        };
        let total = goods + postage;
        let actual = if status == "交易关闭" {
            0
        } else {
            total - discount
        };
        let day = 1 + rng.below(28);
        let (hour, minute, second) = (rng.below(24), rng.below(60), rng.below(60));
        let created = format!("2026-11-{day:02} {hour:02}:{minute:02}:{second:02}");
        let paid_at = if paid {
            format!(
                "2026-11-{day:02} {hour:02}:{:02}:{second:02}",
                (minute + 3) % 60
            )
        } else {
            String::new()
        };
        let &(province, city, district, street, postcode) = rng.pick(&PLACES);
        let mut address = format!(
            "{province} {city} {district} {street} {}号 {}{}幢{}室",
            1 + rng.below(300),
            rng.pick(&ESTATES),
            1 + rng.below(30),
            101 + rng.below(2000)
        )
        .replace("  ", " ");
        if rng.below(10) == 0 {
            address.push_str("(东门)");
        }
        address.push('(');
        address.push_str(postcode);
        address.push(')');
        let name = format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN));
        let buyer = format!("tb{}_{}", 1000 + rng.below(900_000), rng.pick(&SURNAMES));
        let mobile = format!("'1{}{:09}", 3 + rng.below(7), rng.below(1_000_000_000));
        let message = if rng.below(5) == 0 {
            *rng.pick(&MESSAGES)
        } else {
            ""
        };
        let (courier, tracking) = if shipped {
            let &(courier, prefix) = rng.pick(&COURIERS);
            (
                courier,
                format!("No:{prefix}{:012}", rng.below(1_000_000_000_000)),
            )
        } else {
            ("", String::new())
        };
        let row = &mut order_out.text;
        field(row, &order_no);
        field(row, &buyer);
        field(row, "");
        field(row, &yuan(goods));
        field(row, &yuan(postage));
        field(row, "0");
        field(row, &yuan(total));
        field(row, "0");
        field(row, &yuan(actual));
        field(row, "0");
        field(row, status);
        field(row, message);
        field(row, &name);
        field(row, &address);
        field(row, "快递");
        field(row, "");
        field(row, &mobile);
        field(row, &created);
        field(row, &paid_at);
        field(row, &titles);
        field(row, &line_count.to_string());
        field(row, &tracking);
        field(row, courier);
        field(row, "");
        field(row, &quantity_total.to_string());
        field(row, "57301234");
        field(row, "小林服饰旗舰店");
        field(
            row,
            if status == "交易关闭" {
                "买家不想买了"
            } else {
                ""
            },
        );
        field(row, "0");
        field(row, "0");
        field(row, "");
        field(row, "手机订单");
        field(row, "0.00");
        end_row(row);
        order_out.flush_if_full()?;
        item_out.flush_if_full()?;
    }
    order_out.finish()?;
    item_out.finish()?;
    Ok((orders_path, items_path))
}
