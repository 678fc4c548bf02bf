//! Any JSON as a scoring rule through validation and compilation; the checks live in
//! leadbook_fuzzcheck::scoring_rule, which `cargo test` also replays this corpus through.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| leadbook_fuzzcheck::scoring_rule(data));
