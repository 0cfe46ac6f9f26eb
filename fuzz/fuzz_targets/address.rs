//! The address readers on any text: Taobao's receiver address split
//! (`split_taobao_address`, `split_divisions`) and the pasted-text reader
//! (`domain::address::parse_address`). No panic, no hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopdesk::domain::address::parse_address;
use shopdesk::import::address::split_divisions;
use shopdesk::import::split_taobao_address;

fuzz_target!(|text: &str| {
    let _ = split_taobao_address(text);
    let _ = split_divisions(text);
    let _ = parse_address(text);
});
