//! `parse_products` on any bytes: no panic, no hang, every rejection with its line and column.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopdesk::import::{EncodingChoice, parse_products};

fuzz_target!(|data: &[u8]| {
    let path = fuzz_common::file("products.csv", data);
    if let Ok(parsed) = parse_products(&path, EncodingChoice::Auto, &fuzz_common::no_cancel) {
        fuzz_common::check_rejections(&parsed.rejected);
    }
});
