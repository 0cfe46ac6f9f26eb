//! `parse_mapped` through the fixture's saved mapping (fixtures/generic_profile.json) on any
//! bytes: no panic, no hang, every rejection with its line and column.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use shopdesk::import::{ColumnMapping, EncodingChoice, parse_mapped};

static MAPPING: LazyLock<ColumnMapping> = LazyLock::new(|| {
    match serde_json::from_str(include_str!("../../fixtures/generic_profile.json")) {
        Ok(mapping) => mapping,
        Err(e) => panic!("fixtures/generic_profile.json: {e}"),
    }
});

fuzz_target!(|data: &[u8]| {
    let path = fuzz_common::file("mapped.csv", data);
    if let Ok(parsed) = parse_mapped(
        &path,
        &MAPPING,
        EncodingChoice::Auto,
        &fuzz_common::no_cancel,
    ) {
        fuzz_common::check_rejections(&parsed.rejected);
    }
});
