#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mailscope_core::fuzzing::html(data));
