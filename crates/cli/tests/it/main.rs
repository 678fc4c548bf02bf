//! The `leadbook` binary end to end, as one test binary (it links once instead of once per
//! file). Each module is one area; `support` runs the binary and reads its output.

mod cli;
mod import;
mod notifier;
mod scoring;
mod segments;
mod support;
mod sync;
