//! The text of the order search index and the queries against it.
//!
//! SQLite's FTS5 trigram tokenizer cannot match fewer than three characters, and most
//! Chinese given names are two (张伟). So the index is built for the `unicode61` tokenizer
//! from text in which every CJK character is a token of its own, and a query becomes a
//! phrase of those characters: `张伟` → `"张 伟"` matches the two characters side by side,
//! at any length, through the index. Latin letters and digits stay whole words and are
//! matched by prefix (an order number, a tracking number, a phone's first digits); the last
//! four digits of each phone are indexed too, because staff search by them. So are the
//! receiver's city, district and street address, the seller's remark, and each order
//! number written backwards behind a marker
//! ([`TAIL_MARK`]): buyers read out the last digits of their order number, and a prefix of
//! the reversed number is a tail of the number, found through the index like any prefix.

/// Marks the reversed order number in the index: `zr` + the number's letters and digits
/// from the last to the first. A query word of [`TAIL_MIN`] or more digits also matches
/// it, as the tail of an order number.
pub const TAIL_MARK: &str = "zr";
/// The fewest digits a query word needs to be tried as the tail of an order number.
pub const TAIL_MIN: usize = 4;

/// Whether a character is written as its own word in CJK text.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x3134F) // Extensions B–G
}

/// Splits text into index tokens: each CJK character alone, runs of other letters and
/// digits together, everything else a separator.
pub fn tokens(text: &str) -> Vec<String> {
    let mut joined = String::new();
    push_tokens(text, &mut joined);
    joined
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Appends the tokens of `text` to `out`, each preceded by a space if `out` is not empty.
/// Returns whether it appended any. One buffer for a whole document: the search index is
/// written for every imported order, and a `String` per token was most of its cost.
fn push_tokens(text: &str, out: &mut String) -> bool {
    let start = out.len();
    let mut in_word = false;
    for c in text.chars() {
        if is_cjk(c) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push(c);
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word && !out.is_empty() {
                out.push(' ');
            }
            out.extend(c.to_lowercase());
            in_word = true;
        } else {
            in_word = false;
        }
    }
    out.len() > start
}

/// The searchable fields of one order.
#[derive(Clone, Debug, Default)]
pub struct SearchFields<'a> {
    pub order_nos: Vec<&'a str>,
    pub buyer_id: &'a str,
    pub buyer_name: &'a str,
    pub receiver_name: &'a str,
    pub phones: Vec<&'a str>,
    pub tracking_no: &'a str,
    pub city: &'a str,
    pub district: &'a str,
    /// The street address (road, number, building).
    pub address: &'a str,
    /// The seller's remark (a case number, a payment note, what staff wrote down).
    pub remark: &'a str,
}

/// The document stored in the index for one order.
pub fn index_text(fields: &SearchFields<'_>) -> String {
    let mut out = String::with_capacity(128);
    // A separator that is not a token keeps phrases from running across fields.
    let mut push = |text: &str| {
        let mark = out.len();
        if !out.is_empty() {
            out.push_str(" |");
        }
        if !push_tokens(text, &mut out) {
            out.truncate(mark);
        }
    };
    for order_no in &fields.order_nos {
        push(order_no);
    }
    push(fields.buyer_id);
    push(fields.buyer_name);
    push(fields.receiver_name);
    for phone in &fields.phones {
        push(phone);
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        if digits.len() > 4 {
            push(&digits[digits.len() - 4..]);
        }
    }
    push(fields.tracking_no);
    push(fields.city);
    push(fields.district);
    push(fields.address);
    push(fields.remark);
    for order_no in &fields.order_nos {
        let reversed: String = order_no
            .chars()
            .rev()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        if reversed.len() >= TAIL_MIN {
            push(&format!("{TAIL_MARK}{reversed}"));
        }
    }
    out
}

/// Turns what the user typed into an FTS5 `MATCH` expression, or `None` if it has nothing
/// to search for. Words are ANDed; each word is a phrase whose last token is a prefix.
pub fn match_query(input: &str) -> Option<String> {
    let phrases: Vec<String> = input
        .split_whitespace()
        .filter_map(|word| {
            let tokens = tokens(word);
            if tokens.is_empty() {
                return None;
            }
            // Tokens hold only letters and digits, so no quote needs escaping.
            let ends_in_cjk = word.chars().last().is_some_and(is_cjk);
            let star = if ends_in_cjk { "" } else { "*" };
            let phrase = format!("\"{}\"{star}", tokens.join(" "));
            // Digits alone may be the tail of an order number: its reversed form starts so.
            if word.len() >= TAIL_MIN && word.chars().all(|c| c.is_ascii_digit()) {
                let reversed: String = word.chars().rev().collect();
                return Some(format!("({phrase} OR \"{TAIL_MARK}{reversed}\"*)"));
            }
            Some(phrase)
        })
        .collect();
    if phrases.is_empty() {
        None
    } else {
        Some(phrases.join(" AND "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_table() {
        let cases: &[(&str, &[&str])] = &[
            ("张伟", &["张", "伟"]),
            ("Zhang Wei", &["zhang", "wei"]),
            ("138-1234-5678", &["138", "1234", "5678"]),
            ("欧阳娜娜tb123", &["欧", "阳", "娜", "娜", "tb123"]),
            ("  ", &[]),
            ("SF1234567890", &["sf1234567890"]),
        ];
        for (input, expected) in cases {
            assert_eq!(tokens(input), expected.to_vec(), "tokens({input:?})");
        }
    }

    #[test]
    fn match_query_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("张伟", Some("\"张 伟\"")),
            ("张", Some("\"张\"")),
            ("1381234", Some("(\"1381234\"* OR \"zr4321831\"*)")),
            (
                "王芳 5678",
                Some("\"王 芳\" AND (\"5678\"* OR \"zr8765\"*)"),
            ),
            ("123", Some("\"123\"*")),
            ("朝阳区", Some("\"朝 阳 区\"")),
            ("\"); DROP", Some("\"drop\"*")),
            ("--", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(
                match_query(input).as_deref(),
                *expected,
                "match_query({input:?})"
            );
        }
    }

    #[test]
    fn index_text_has_phone_tails_and_separated_fields() {
        let text = index_text(&SearchFields {
            order_nos: vec!["7568427874243199", "100"],
            buyer_id: "tb_abc",
            buyer_name: "",
            receiver_name: "张伟",
            phones: vec!["13812345678"],
            tracking_no: "SF100",
            city: "杭州市",
            district: "西湖区",
            address: "文三路 8号",
            remark: "SH01",
        });
        assert_eq!(
            text,
            "7568427874243199 | 100 | tb abc | 张 伟 | 13812345678 | 5678 | sf100 \
             | 杭 州 市 | 西 湖 区 | 文 三 路 8 号 | sh01 | zr9913424787248657"
        );
        // Fields without a token leave no separator behind, first or last.
        let text = index_text(&SearchFields {
            order_nos: vec!["--"],
            buyer_id: "王芳",
            phones: vec!["12"],
            tracking_no: "",
            ..SearchFields::default()
        });
        assert_eq!(text, "王 芳 | 12");
    }
}
