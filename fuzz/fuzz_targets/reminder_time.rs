//! Any text as a reminder time and as a snooze length; the checks live in
//! leadbook_fuzzcheck::reminder_time, which `cargo test` also replays this corpus through.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| leadbook_fuzzcheck::reminder_time(data));
