//! Any bytes as a CSV file through the importer's reader, mapper and converter; the checks live
//! in leadbook_fuzzcheck::csv_import, which `cargo test` also replays this corpus through.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| leadbook_fuzzcheck::csv_import(data));
