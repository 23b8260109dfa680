#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| coquille::fuzz_targets::spdx3_json(data));
