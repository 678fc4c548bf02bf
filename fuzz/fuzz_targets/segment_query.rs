//! Any text through the segment query language; the checks live in
//! leadbook_fuzzcheck::segment_query, which `cargo test` also replays this corpus through.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| leadbook_fuzzcheck::segment_query(data));
