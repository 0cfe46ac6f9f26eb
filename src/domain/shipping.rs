//! Shipping documents, the rules without paper: pick-list planning (one line per single
//! item, order slots, walking order of the bins), the goods description of a waybill,
//! phone masking, tracking numbers from the courier's pool, which courier record an
//! order's courier text names (code, name or alias) and when a print may give it a number,
//! label sizes, pre-printed waybill templates and text fitting given a measure function.

use std::cmp::Ordering;
use std::collections::HashMap;

/// One single item an order needs (bundles already exploded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickItem {
    pub code: String,
    pub name: String,
    /// Attribute values joined by `/`, e.g. `红色/XL`.
    pub attributes: String,
    pub bin: String,
    pub quantity: i64,
}

/// One order of a batch, in slot order: slot 1 is the first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickOrder {
    pub order_no: String,
    pub items: Vec<PickItem>,
}

/// One line of a pick list: a single item, how many in all, and which slots take how many.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickLine {
    pub code: String,
    pub name: String,
    pub attributes: String,
    pub bin: String,
    pub total: i64,
    /// `(slot, quantity)`, slots counted from 1, ascending.
    pub slots: Vec<(usize, i64)>,
}

/// One line as sold, for the packing slip: `(title or name, code, attribute values, quantity)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SoldLine {
    pub code: String,
    pub title: String,
    pub attributes: String,
    pub quantity: i64,
}

/// Everything the shipping documents need of one order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShipOrder {
    pub id: i64,
    /// Its slot in the batch, from 1; the position in the list when there is no batch.
    pub slot: usize,
    pub order_no: String,
    pub platform: String,
    pub receiver_name: String,
    pub receiver_phone: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub address: String,
    pub postcode: String,
    pub buyer_message: String,
    pub seller_remark: String,
    /// Cash on delivery: the amount the courier collects, in cents.
    pub cod_cents: Option<i64>,
    pub courier: CourierRef,
    pub tracking_no: String,
    pub lines: Vec<SoldLine>,
    /// The single items to pick, bundles exploded.
    pub items: Vec<PickItem>,
}

impl ShipOrder {
    /// The pick-list view of this order.
    pub fn pick_order(&self) -> PickOrder {
        PickOrder {
            order_no: self.order_no.clone(),
            items: self.items.clone(),
        }
    }

    /// The goods for the waybill: the single items, `code/colour/size;…`.
    pub fn goods(&self) -> String {
        let items: Vec<(String, String, i64)> = self
            .items
            .iter()
            .map(|i| (i.code.clone(), i.attributes.clone(), i.quantity))
            .collect();
        goods_description(&items)
    }

    /// How many pieces the parcel holds.
    pub fn quantity(&self) -> i64 {
        self.items.iter().map(|i| i.quantity).sum()
    }
}

/// The pick list of a batch: one line per single item, sorted in walking order of the bins
/// (natural order, `A2` before `A10`; items without a bin last), then by product code.
pub fn plan_pick_list(orders: &[PickOrder]) -> Vec<PickLine> {
    let mut lines: Vec<PickLine> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, order) in orders.iter().enumerate() {
        let slot = i + 1;
        for item in &order.items {
            let at = *index.entry(item.code.clone()).or_insert_with(|| {
                lines.push(PickLine {
                    code: item.code.clone(),
                    name: item.name.clone(),
                    attributes: item.attributes.clone(),
                    bin: item.bin.clone(),
                    total: 0,
                    slots: Vec::new(),
                });
                lines.len() - 1
            });
            let line = &mut lines[at];
            line.total += item.quantity;
            match line.slots.last_mut() {
                Some((last, quantity)) if *last == slot => *quantity += item.quantity,
                _ => line.slots.push((slot, item.quantity)),
            }
        }
    }
    lines.sort_by(|a, b| {
        (a.bin.is_empty().cmp(&b.bin.is_empty()))
            .then_with(|| natural_cmp(&a.bin, &b.bin))
            .then_with(|| natural_cmp(&a.code, &b.code))
    });
    lines
}

/// Natural order of codes: runs of digits compare as numbers (`A2` < `A10` < `B1`),
/// letters case-insensitively.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let mut a = a.chars().peekable();
    let mut b = b.chars().peekable();
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let take = |it: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                    let mut digits = String::new();
                    while let Some(c) = it.peek().copied().filter(char::is_ascii_digit) {
                        digits.push(c);
                        it.next();
                    }
                    digits
                };
                let (da, db) = (take(&mut a), take(&mut b));
                let (ta, tb) = (da.trim_start_matches('0'), db.trim_start_matches('0'));
                let ord = ta
                    .len()
                    .cmp(&tb.len())
                    .then_with(|| ta.cmp(tb))
                    .then_with(|| da.len().cmp(&db.len()));
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            (Some(x), Some(y)) => {
                let ord = x
                    .to_lowercase()
                    .cmp(y.to_lowercase())
                    .then_with(|| x.cmp(&y));
                if ord != Ordering::Equal {
                    return ord;
                }
                a.next();
                b.next();
            }
        }
    }
}

/// The goods on a waybill (DOMAIN.md): `code/colour/size` per item, several joined by `;`,
/// `×n` after an item taken more than once. Items are `(code, attribute values, quantity)`.
pub fn goods_description(items: &[(String, String, i64)]) -> String {
    items
        .iter()
        .map(|(code, attributes, quantity)| {
            let mut text = code.clone();
            if !attributes.is_empty() {
                text.push('/');
                text.push_str(attributes);
            }
            if *quantity > 1 {
                text.push_str(&format!("×{quantity}"));
            }
            text
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// A phone number for a label when privacy is asked for: `13812341234` → `138****1234`.
/// Numbers of 7 or more digits keep the first 3 and the last 4; shorter ones keep the last 2.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.trim().chars().collect();
    let n = chars.len();
    if n == 0 {
        return String::new();
    }
    let (head, tail) = if n >= 7 { (3, 4) } else { (0, 2.min(n)) };
    let stars = n - head - tail;
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(stars.min(4).max(usize::from(stars > 0))));
    out.extend(&chars[n - tail..]);
    out
}

/// Splits pasted or imported tracking numbers (one per line, or separated by spaces,
/// commas or semicolons). Returns the valid numbers without duplicates, in the order
/// given, and the rejected entries with the reason.
pub fn parse_tracking_numbers(text: &str) -> (Vec<String>, Vec<(String, String)>) {
    let mut seen = std::collections::HashSet::new();
    let mut numbers = Vec::new();
    let mut rejected = Vec::new();
    for raw in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '，' | '；')) {
        let number = raw.trim().trim_matches('"');
        if number.is_empty() {
            continue;
        }
        if let Some(reason) = tracking_number_problem(number) {
            rejected.push((number.to_owned(), reason));
        } else if !seen.insert(number.to_owned()) {
            rejected.push((number.to_owned(), "given twice".to_owned()));
        } else {
            numbers.push(number.to_owned());
        }
    }
    (numbers, rejected)
}

/// Why a tracking number cannot be used, if it cannot: 6 to 32 letters and digits
/// (what Code128 set B and the couriers' own numbers hold), and never a number a
/// spreadsheet turned into scientific notation (its last digits are lost).
pub fn tracking_number_problem(number: &str) -> Option<String> {
    if let Some(message) = super::digits::scientific_problem(
        "tracking number",
        number,
        "take the numbers from the courier's file as it came, or format the column as text \
         before saving it",
    ) {
        return Some(message);
    }
    if !(6..=32).contains(&number.len()) {
        return Some("a tracking number has 6 to 32 characters".to_owned());
    }
    if !number
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Some("a tracking number has only letters, digits and '-'".to_owned());
    }
    None
}

/// Which order gets which pool number: orders that have none take the next free numbers
/// in pool order; orders that already have one keep it. Refuses when the pool is short.
pub fn allocate_tracking(
    orders: &[(i64, Option<String>)],
    free_pool: &[String],
) -> Result<Vec<(i64, String)>, String> {
    let needing = orders.iter().filter(|(_, no)| no.is_none()).count();
    if needing > free_pool.len() {
        return Err(format!(
            "{needing} orders need a tracking number but the pool has only {} left: import more numbers",
            free_pool.len()
        ));
    }
    let mut pool = free_pool.iter();
    Ok(orders
        .iter()
        .filter(|(_, no)| no.is_none())
        .filter_map(|(id, _)| pool.next().map(|no| (*id, no.clone())))
        .collect())
}

/// One of the shop's courier records, as far as naming it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownCourier {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// The courier of an order: one of the shop's courier records, a name that none of them
/// answers to (kept as the marketplace or a person wrote it), or none yet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CourierRef {
    #[default]
    None,
    Known(KnownCourier),
    Unknown(String),
}

impl CourierRef {
    /// The courier record's id, when the order names one.
    pub fn id(&self) -> Option<i64> {
        match self {
            CourierRef::Known(c) => Some(c.id),
            CourierRef::None | CourierRef::Unknown(_) => None,
        }
    }
}

impl std::fmt::Display for CourierRef {
    /// `顺丰速运 (SF)` for a known courier, the text in quotes for an unknown one.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CourierRef::None => f.write_str("no courier"),
            CourierRef::Known(c) => write!(f, "{} ({})", c.name, c.code),
            CourierRef::Unknown(text) => write!(f, "{text:?}"),
        }
    }
}

/// How a courier name is compared: spaces around it ignored, Latin letters in any case
/// (`sf`, ` SF ` and `SF` are one courier). Chinese names compare as written. SQLite's
/// `NOCASE` folds the same letters, so the alias table's key agrees with this.
pub fn courier_key(text: &str) -> String {
    text.trim().to_ascii_lowercase()
}

/// Why a courier alias cannot be used, if it cannot.
pub fn courier_alias_problem(alias: &str) -> Option<String> {
    let alias = alias.trim();
    if alias.is_empty() || alias.chars().count() > 64 {
        return Some(format!(
            "a courier alias has 1 to 64 characters, not {:?}",
            alias
        ));
    }
    None
}

/// The shop's couriers by every name an order may give them: code first, then name, then
/// the aliases (a marketplace writes `顺丰快递` where the record says `顺丰速运`).
#[derive(Clone, Debug, Default)]
pub struct CourierDirectory {
    couriers: Vec<KnownCourier>,
    by_key: HashMap<String, usize>,
}

impl CourierDirectory {
    /// Builds the directory from the courier records (in id order) and the aliases
    /// `(alias, courier id)`. Where two couriers could answer to one name, the code wins
    /// over a name and a name over an alias, then the lower id; saving a courier refuses
    /// such clashes, so this only settles files written otherwise.
    pub fn new(couriers: Vec<KnownCourier>, aliases: &[(String, i64)]) -> CourierDirectory {
        let mut by_key = HashMap::new();
        for (at, c) in couriers.iter().enumerate() {
            by_key.entry(courier_key(&c.code)).or_insert(at);
        }
        for (at, c) in couriers.iter().enumerate() {
            by_key.entry(courier_key(&c.name)).or_insert(at);
        }
        for (alias, id) in aliases {
            if let Some(at) = couriers.iter().position(|c| c.id == *id) {
                by_key.entry(courier_key(alias)).or_insert(at);
            }
        }
        by_key.remove("");
        CourierDirectory { couriers, by_key }
    }

    /// The courier record with this id.
    pub fn by_id(&self, id: i64) -> Option<&KnownCourier> {
        self.couriers.iter().find(|c| c.id == id)
    }

    /// The courier a text names: a record by code, name or alias; blank is no courier;
    /// anything else stays as the text, trimmed.
    pub fn resolve(&self, text: &str) -> CourierRef {
        let text = text.trim();
        if text.is_empty() {
            return CourierRef::None;
        }
        match self.by_key.get(&courier_key(text)) {
            Some(&at) => CourierRef::Known(self.couriers[at].clone()),
            None => CourierRef::Unknown(text.to_owned()),
        }
    }

    /// The courier of an order as stored: its courier record when it has one, otherwise
    /// what its courier text names now (orders written before couriers had ids, archived
    /// ones among them, and names that gained an alias since).
    pub fn order_courier(&self, courier_id: Option<i64>, text: &str) -> CourierRef {
        match courier_id.and_then(|id| self.by_id(id)) {
            Some(c) => CourierRef::Known(c.clone()),
            None => self.resolve(text),
        }
    }
}

/// What printing a waybill with a chosen courier does to one order's tracking number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrackingStep {
    /// The order keeps its number: it is the chosen courier's, or a number no courier was
    /// named for (the chosen one becomes its courier).
    Keep,
    /// The order has no number yet: it takes the next one of the chosen courier's pool.
    FromPool,
    /// The order has a number of another courier, or of a courier the shop does not know.
    /// Its label may already be on a parcel: only an explicit courier change (which voids
    /// the old number) may replace it.
    OtherCourier,
}

/// The rule of [`TrackingStep`] for one order and the chosen courier's id.
pub fn tracking_step(order: &CourierRef, tracking_no: &str, chosen: i64) -> TrackingStep {
    if tracking_no.trim().is_empty() {
        return TrackingStep::FromPool;
    }
    match order {
        CourierRef::None => TrackingStep::Keep,
        CourierRef::Known(c) if c.id == chosen => TrackingStep::Keep,
        CourierRef::Known(_) | CourierRef::Unknown(_) => TrackingStep::OtherCourier,
    }
}

/// Where an order's tracking number came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrackingSource {
    /// The next free number of the courier's pool.
    Pool,
    /// Typed or scanned by a person.
    Typed,
}

/// The entries shipping writes into an order's event log, beside the state machine's
/// events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShippingLog {
    /// A tracking number was given to the order.
    Tracking,
    /// A document of an order printed before was printed again.
    Reprint,
    /// The order's courier changed explicitly: the old number voided, a new one given.
    CourierChange,
    /// The parcel was weighed after it shipped.
    Weight,
}

impl ShippingLog {
    /// The name in the event log.
    pub fn code(self) -> &'static str {
        match self {
            ShippingLog::Tracking => "tracking",
            ShippingLog::Reprint => "reprint",
            ShippingLog::CourierChange => "courier_change",
            ShippingLog::Weight => "weight",
        }
    }
}

/// The event log's text for a tracking number: `顺丰速运 SF0000001 (pool)`; a typed number
/// has no suffix.
pub fn tracking_detail(courier_name: &str, number: &str, source: TrackingSource) -> String {
    match source {
        TrackingSource::Pool => format!("{courier_name} {number} (pool)"),
        TrackingSource::Typed => format!("{courier_name} {number}"),
    }
}

/// The paper a waybill is printed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum LabelSize {
    #[default]
    Mm100x150,
    Mm100x180,
    Mm76x130,
    In4x6,
    A4,
}

impl LabelSize {
    pub const ALL: [LabelSize; 5] = [
        LabelSize::Mm100x150,
        LabelSize::Mm100x180,
        LabelSize::Mm76x130,
        LabelSize::In4x6,
        LabelSize::A4,
    ];

    /// The name in the database and on the command line (`--size 100x150`).
    pub fn code(self) -> &'static str {
        match self {
            LabelSize::Mm100x150 => "100x150",
            LabelSize::Mm100x180 => "100x180",
            LabelSize::Mm76x130 => "76x130",
            LabelSize::In4x6 => "4x6",
            LabelSize::A4 => "a4",
        }
    }

    pub fn from_code(code: &str) -> Option<LabelSize> {
        let code = code.trim().to_ascii_lowercase();
        LabelSize::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Width and height in millimetres.
    pub fn mm(self) -> (f32, f32) {
        match self {
            LabelSize::Mm100x150 => (100.0, 150.0),
            LabelSize::Mm100x180 => (100.0, 180.0),
            LabelSize::Mm76x130 => (76.0, 130.0),
            LabelSize::In4x6 => (101.6, 152.4),
            LabelSize::A4 => (210.0, 297.0),
        }
    }
}

/// A field printed onto a courier's pre-printed form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FormField {
    SenderName,
    SenderPhone,
    SenderAddress,
    ReceiverName,
    ReceiverPhone,
    ReceiverAddress,
    Postcode,
    Goods,
    Quantity,
    Cod,
    OrderNo,
    TrackingNo,
}

impl FormField {
    pub const ALL: [FormField; 12] = [
        FormField::SenderName,
        FormField::SenderPhone,
        FormField::SenderAddress,
        FormField::ReceiverName,
        FormField::ReceiverPhone,
        FormField::ReceiverAddress,
        FormField::Postcode,
        FormField::Goods,
        FormField::Quantity,
        FormField::Cod,
        FormField::OrderNo,
        FormField::TrackingNo,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FormField::SenderName => "sender_name",
            FormField::SenderPhone => "sender_phone",
            FormField::SenderAddress => "sender_address",
            FormField::ReceiverName => "receiver_name",
            FormField::ReceiverPhone => "receiver_phone",
            FormField::ReceiverAddress => "receiver_address",
            FormField::Postcode => "postcode",
            FormField::Goods => "goods",
            FormField::Quantity => "quantity",
            FormField::Cod => "cod",
            FormField::OrderNo => "order_no",
            FormField::TrackingNo => "tracking_no",
        }
    }

    pub fn from_code(code: &str) -> Option<FormField> {
        FormField::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// Where one field goes on a pre-printed form, in mm from the top-left corner.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldBox {
    pub field: FormField,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    /// Font size in points.
    pub size: f32,
}

/// A pre-printed waybill form: its paper size, the printer's calibration offset and
/// where each field goes.
#[derive(Clone, Debug, PartialEq)]
pub struct FormTemplate {
    pub width: f32,
    pub height: f32,
    pub offset_x: f32,
    pub offset_y: f32,
    pub fields: Vec<FieldBox>,
}

/// Parses a template, one statement a line (`#` starts a comment):
/// `size 230 127` (paper in mm), `offset 1.5 -2` (calibration, mm) and
/// `FIELD x y width height [points]`, e.g. `receiver_address 20 40 90 14 10`.
pub fn parse_template(text: &str) -> Result<FormTemplate, String> {
    let mut template = FormTemplate {
        width: 0.0,
        height: 0.0,
        offset_x: 0.0,
        offset_y: 0.0,
        fields: Vec::new(),
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let at = |what: &str| format!("template line {}: {what}", n + 1);
        let words: Vec<&str> = line.split_whitespace().collect();
        let numbers: Vec<f32> = words[1..]
            .iter()
            .map(|w| {
                w.parse::<f32>()
                    .map_err(|_| at(&format!("{w:?} is not a number")))
            })
            .collect::<Result<_, _>>()?;
        match (words[0], numbers.as_slice()) {
            ("size", [w, h]) if *w > 0.0 && *h > 0.0 => {
                template.width = *w;
                template.height = *h;
            }
            ("offset", [x, y]) => {
                template.offset_x = *x;
                template.offset_y = *y;
            }
            (name, rest) => {
                let field = FormField::from_code(name).ok_or_else(|| {
                    at(&format!(
                        "unknown field {name:?}; fields are {}",
                        FormField::ALL.map(FormField::code).join(", ")
                    ))
                })?;
                let (x, y, width, height, size) = match rest {
                    [x, y, w, h] => (*x, *y, *w, *h, 10.0),
                    [x, y, w, h, s] => (*x, *y, *w, *h, *s),
                    _ => return Err(at("a field needs x y width height [points]")),
                };
                if width <= 0.0 || height <= 0.0 || size <= 0.0 {
                    return Err(at("width, height and size must be positive"));
                }
                template.fields.push(FieldBox {
                    field,
                    x,
                    y,
                    width,
                    height,
                    size,
                });
            }
        }
    }
    if template.width <= 0.0 {
        return Err("the template needs a `size WIDTH HEIGHT` line (mm)".to_owned());
    }
    if template.fields.is_empty() {
        return Err("the template places no fields".to_owned());
    }
    Ok(template)
}

/// Text laid out in a box: the font size chosen and the lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Fitted {
    pub size: f32,
    pub lines: Vec<String>,
    /// The text needed more lines than the box holds even at the smallest size: every
    /// line is still there (nothing is cut); the caller reports it.
    pub overflow: bool,
}

/// Fits `text` into a box `width` wide holding `max_lines` lines: the largest size from
/// `size` down to `min_size` (in steps of 0.5 pt) at which the wrapped text fits.
/// `measure(text, size)` gives the width of a text at a size, in the box's unit.
pub fn fit_text(
    text: &str,
    width: f32,
    max_lines: usize,
    size: f32,
    min_size: f32,
    measure: &dyn Fn(&str, f32) -> f32,
) -> Fitted {
    let mut current = size;
    loop {
        let lines = wrap_text(text, width, current, measure);
        if lines.len() <= max_lines.max(1) {
            return Fitted {
                size: current,
                lines,
                overflow: false,
            };
        }
        if current - 0.5 < min_size {
            return Fitted {
                size: current,
                lines,
                overflow: true,
            };
        }
        current -= 0.5;
    }
}

/// Greedy line wrapping: Chinese may break between any two characters, other text at
/// spaces; a word longer than the line breaks between characters.
pub fn wrap_text(
    text: &str,
    width: f32,
    size: f32,
    measure: &dyn Fn(&str, f32) -> f32,
) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for token in tokens(paragraph) {
            let candidate = format!("{line}{token}");
            if measure(candidate.trim_end(), size) <= width || line.trim().is_empty() {
                if measure(candidate.trim_end(), size) <= width {
                    line = candidate;
                    continue;
                }
                // A single token wider than the line: break it between characters.
                for c in token.chars() {
                    let next = format!("{line}{c}");
                    if measure(next.trim_end(), size) > width && !line.trim().is_empty() {
                        lines.push(line.trim_end().to_owned());
                        line = c.to_string().trim_start().to_owned();
                    } else {
                        line = next;
                    }
                }
            } else {
                lines.push(line.trim_end().to_owned());
                line = token.trim_start().to_owned();
            }
        }
        lines.push(line.trim_end().to_owned());
    }
    lines
}

/// Words to wrap at: a CJK character is a word of its own; other runs end after a space.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if is_wide(c) {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            out.push(c.to_string());
        } else {
            current.push(c);
            if c == ' ' {
                out.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(code: &str, bin: &str, quantity: i64) -> PickItem {
        PickItem {
            code: code.to_owned(),
            name: format!("name {code}"),
            attributes: "红/M".to_owned(),
            bin: bin.to_owned(),
            quantity,
        }
    }

    #[test]
    fn natural_order_of_bins() {
        let cases = [
            ("A2", "A10", Ordering::Less),
            ("A10", "A2", Ordering::Greater),
            ("A-02-1", "A-10-1", Ordering::Less),
            ("a1", "A1", Ordering::Greater),
            ("B1", "A99", Ordering::Greater),
            ("A", "A1", Ordering::Less),
            ("A01", "A1", Ordering::Greater),
            ("C3", "C3", Ordering::Equal),
        ];
        for (a, b, expected) in cases {
            assert_eq!(natural_cmp(a, b), expected, "{a} vs {b}");
        }
    }

    #[test]
    fn pick_list_aggregates_per_item_and_slot_in_walking_order() {
        let orders = vec![
            PickOrder {
                order_no: "1".into(),
                items: vec![item("X", "A10", 1), item("Y", "A2", 2), item("X", "A10", 1)],
            },
            PickOrder {
                order_no: "2".into(),
                items: vec![item("Z", "", 1), item("X", "A10", 3)],
            },
            PickOrder {
                order_no: "3".into(),
                items: vec![item("Y", "A2", 1)],
            },
        ];
        let plan = plan_pick_list(&orders);
        type Row<'a> = (&'a str, i64, Vec<(usize, i64)>);
        let view: Vec<Row<'_>> = plan
            .iter()
            .map(|l| (l.code.as_str(), l.total, l.slots.clone()))
            .collect();
        assert_eq!(
            view,
            vec![
                ("Y", 3, vec![(1, 2), (3, 1)]),
                ("X", 5, vec![(1, 2), (2, 3)]),
                ("Z", 1, vec![(2, 1)]),
            ]
        );
        let total: i64 = plan.iter().map(|l| l.total).sum();
        let ordered: i64 = orders
            .iter()
            .flat_map(|o| &o.items)
            .map(|i| i.quantity)
            .sum();
        assert_eq!(total, ordered);
    }

    #[test]
    fn goods_and_phones() {
        let goods = goods_description(&[
            ("T100".into(), "红色/XL".into(), 1),
            ("S200".into(), String::new(), 2),
        ]);
        assert_eq!(goods, "T100/红色/XL;S200×2");
        let cases = [
            ("13812341234", "138****1234"),
            ("+8613812341234", "+86****1234"),
            ("12345", "***45"),
            ("", ""),
            ("0571-8888888", "057****8888"),
        ];
        for (phone, masked) in cases {
            assert_eq!(mask_phone(phone), masked, "{phone}");
        }
    }

    #[test]
    fn tracking_numbers_parse_and_allocate() {
        let (ok, bad) = parse_tracking_numbers("SF1001\nSF1002, SF1001;x\n\"SF1003\" 中文号码");
        assert_eq!(ok, vec!["SF1001", "SF1002", "SF1003"]);
        assert_eq!(bad.len(), 3);
        let pool = vec!["A00001".to_owned(), "A00002".to_owned()];
        let orders = vec![(1, None), (2, Some("KEEP01".to_owned())), (3, None)];
        assert_eq!(
            allocate_tracking(&orders, &pool),
            Ok(vec![(1, "A00001".to_owned()), (3, "A00002".to_owned())])
        );
        assert!(allocate_tracking(&[(1, None), (2, None), (3, None)], &pool).is_err());
    }

    #[test]
    fn tracking_numbers_in_scientific_notation_are_refused_as_such() {
        let (ok, bad) = parse_tracking_numbers("SF1001\n7.56843E+17\n7.5E17\n1E+12");
        assert_eq!(ok, vec!["SF1001"]);
        assert_eq!(bad.len(), 3);
        for (number, why) in &bad {
            assert!(
                why.starts_with("tracking number in scientific notation")
                    && why.contains("format the column as text"),
                "{number}: {why}"
            );
        }
    }

    fn directory() -> CourierDirectory {
        let courier = |id: i64, code: &str, name: &str| KnownCourier {
            id,
            code: code.to_owned(),
            name: name.to_owned(),
        };
        CourierDirectory::new(
            vec![courier(1, "SF", "顺丰速运"), courier(2, "ZTO", "中通快递")],
            &[
                ("顺丰快递".to_owned(), 1),
                ("中通".to_owned(), 2),
                // An alias of a courier that is not there is ignored.
                ("韵达".to_owned(), 9),
            ],
        )
    }

    #[test]
    fn courier_texts_resolve_by_code_name_and_alias() {
        let d = directory();
        let cases: &[(&str, Option<i64>)] = &[
            ("SF", Some(1)),
            (" sf ", Some(1)),
            ("顺丰速运", Some(1)),
            ("顺丰快递", Some(1)),
            ("ZTO", Some(2)),
            ("中通", Some(2)),
            ("中通快递", Some(2)),
            ("韵达", None),
            ("顺丰", None),
        ];
        for (text, expected) in cases {
            let found = d.resolve(text);
            assert_eq!(found.id(), *expected, "resolve({text:?})");
            if expected.is_none() {
                assert_eq!(found, CourierRef::Unknown(text.trim().to_owned()));
            }
        }
        assert_eq!(d.resolve("  "), CourierRef::None);
        // The stored id wins over the text; a missing id falls back to the text.
        assert_eq!(d.order_courier(Some(2), "SF").id(), Some(2));
        assert_eq!(d.order_courier(None, "SF").id(), Some(1));
        assert_eq!(d.order_courier(Some(7), "中通").id(), Some(2));
        assert_eq!(d.resolve("SF").to_string(), "顺丰速运 (SF)");
        assert_eq!(d.resolve("韵达").to_string(), "\"韵达\"");
    }

    #[test]
    fn a_print_keeps_numbers_and_refuses_other_couriers() {
        let d = directory();
        let cases: &[(&str, &str, i64, TrackingStep)] = &[
            ("SF", "SF0000001", 1, TrackingStep::Keep),
            ("顺丰快递", "SF0000001", 1, TrackingStep::Keep),
            ("", "SF0000001", 1, TrackingStep::Keep),
            ("SF", "", 1, TrackingStep::FromPool),
            ("中通", "", 1, TrackingStep::FromPool),
            ("", " ", 2, TrackingStep::FromPool),
            ("SF", "SF0000001", 2, TrackingStep::OtherCourier),
            ("韵达", "4300000001", 1, TrackingStep::OtherCourier),
        ];
        for (courier, number, chosen, expected) in cases {
            assert_eq!(
                tracking_step(&d.resolve(courier), number, *chosen),
                *expected,
                "{courier:?} {number:?} printed with courier {chosen}"
            );
        }
    }

    #[test]
    fn aliases_and_log_texts() {
        assert_eq!(courier_alias_problem(" 顺丰 "), None);
        assert!(courier_alias_problem("  ").is_some());
        assert!(courier_alias_problem(&"长".repeat(65)).is_some());
        assert_eq!(courier_key(" Sf "), "sf");
        assert_eq!(
            tracking_detail("顺丰速运", "SF1", TrackingSource::Pool),
            "顺丰速运 SF1 (pool)"
        );
        assert_eq!(
            tracking_detail("顺丰速运", "SF1", TrackingSource::Typed),
            "顺丰速运 SF1"
        );
        assert_eq!(ShippingLog::CourierChange.code(), "courier_change");
    }

    #[test]
    fn label_sizes_round_trip() {
        for size in LabelSize::ALL {
            assert_eq!(LabelSize::from_code(size.code()), Some(size));
        }
        assert_eq!(LabelSize::from_code("4X6"), Some(LabelSize::In4x6));
        assert_eq!(LabelSize::In4x6.mm(), (101.6, 152.4));
    }

    #[test]
    fn templates_parse() {
        let t = parse_template(
            "# SF form\nsize 230 127\noffset 1.5 -2\nreceiver_name 20 40 50 8 12\ngoods 20 60 90 10",
        )
        .unwrap();
        assert_eq!(
            (t.width, t.height, t.offset_x, t.offset_y),
            (230.0, 127.0, 1.5, -2.0)
        );
        assert_eq!(t.fields.len(), 2);
        assert_eq!(t.fields[1].size, 10.0);
        for bad in [
            "receiver_name 1 2 3 4",
            "size 100 100\nnope 1 2 3 4",
            "size 1 1\nx",
        ] {
            assert!(parse_template(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_fits_by_shrinking_then_wrapping_never_cutting() {
        // Every character is `size` units wide.
        let measure = |t: &str, size: f32| t.chars().count() as f32 * size;
        let fitted = fit_text("浙江省杭州市西湖区文三路", 100.0, 1, 10.0, 6.0, &measure);
        assert_eq!(fitted.lines, vec!["浙江省杭州市西湖区文三路"]);
        assert!(fitted.size <= 100.0 / 12.0);
        let fitted = fit_text("浙江省杭州市西湖区文三路", 60.0, 2, 10.0, 5.0, &measure);
        assert!(!fitted.overflow);
        assert_eq!(fitted.lines.concat(), "浙江省杭州市西湖区文三路");
        let fitted = fit_text("hello wide world", 50.0, 1, 10.0, 9.0, &measure);
        assert!(fitted.overflow);
        assert_eq!(fitted.lines.join(" "), "hello wide world");
        let long = wrap_text("ABCDEFGHIJ", 40.0, 10.0, &measure);
        assert_eq!(long, vec!["ABCD", "EFGH", "IJ"]);
    }
}
