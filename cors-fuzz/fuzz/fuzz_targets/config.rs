//! Configuration text: TOML, JSON or environment lines, loaded, built and probed.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cors_fuzz::config::run(data));
