#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| coquille::fuzz_targets::manifest(data));
