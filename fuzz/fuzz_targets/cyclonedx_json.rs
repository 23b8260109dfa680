#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| coquille::fuzz_targets::cyclonedx_json(data));
