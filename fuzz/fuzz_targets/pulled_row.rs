//! Any JSON as a row pulled from the server for any synced table; the checks live in
//! leadbook_fuzzcheck::pulled_row, which `cargo test` also replays this corpus through.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| leadbook_fuzzcheck::pulled_row(data));
