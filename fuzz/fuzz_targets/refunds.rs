//! `read_refunds` (Taobao's refund report) on any bytes: no panic, no hang, every rejection
//! with its line and column.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopdesk::import::refunds::read_refunds;

fuzz_target!(|data: &[u8]| {
    let path = fuzz_common::file("refunds.csv", data);
    if let Ok(file) = read_refunds(&path, None) {
        fuzz_common::check_rejections(&file.rejected);
    }
});
