//! `parse_taobao` on any pair of files: the input is split at its first NUL byte into the
//! order report and the item report (no NUL: the whole input is the order report and the
//! item report is the fixture's). No panic, no hang, every rejection with its line and column.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopdesk::import::{EncodingChoice, parse_taobao};

const ITEMS: &[u8] = include_bytes!("../../fixtures/taobao_items_utf8.csv");

fuzz_target!(|data: &[u8]| {
    let (orders, items) = match data.iter().position(|b| *b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, ITEMS),
    };
    let orders = fuzz_common::file("taobao-orders.csv", orders);
    let items = fuzz_common::file("taobao-items.csv", items);
    if let Ok(parsed) = parse_taobao(
        &orders,
        &items,
        EncodingChoice::Auto,
        &fuzz_common::no_cancel,
    ) {
        fuzz_common::check_rejections(&parsed.rejected);
    }
});
