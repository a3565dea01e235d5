//! The decision engine: any request against the five policies of `cors_fuzz::decide`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cors_fuzz::decide::run(data));
