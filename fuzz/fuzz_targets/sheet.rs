//! The spreadsheet reader (`.xlsx`, by its ZIP signature) through `parse_jd`: the input
//! always starts with the signature, so every run reaches the workbook reader. No panic, no
//! hang, every rejection with its sheet row and column.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopdesk::import::{EncodingChoice, parse_jd};

const ZIP: &[u8] = b"PK\x03\x04";

fuzz_target!(|data: &[u8]| {
    let mut bytes = Vec::with_capacity(data.len() + ZIP.len());
    if !data.starts_with(ZIP) {
        bytes.extend_from_slice(ZIP);
    }
    bytes.extend_from_slice(data);
    let path = fuzz_common::file("sheet.xlsx", &bytes);
    if let Ok(parsed) = parse_jd(&path, EncodingChoice::Auto, &fuzz_common::no_cancel) {
        fuzz_common::check_rejections(&parsed.rejected);
    }
});
