//! leadbook-core's integration tests on real SQLite files (and a real PostgreSQL for sync), as
//! one test binary: it links once instead of once per file, which is most of a CI build on two
//! cores. Each module is one area; `support` holds what they share.

mod import;
mod reminders;
mod scoring;
mod segments;
mod store;
mod support;
mod sync;
