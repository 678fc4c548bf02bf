//! Every committed fuzz corpus replayed as ordinary tests: each file of `fuzz/corpus/<target>/`
//! goes through the function the fuzz target calls, so an input that panics (a fuzzer finding
//! committed before its fix, or a change that breaks an old input) fails `make test`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One `#[test]` per target (run in parallel by the harness) and the list of replayed targets.
macro_rules! replay_corpora {
    ($($target:ident),* $(,)?) => {
        const REPLAYED: &[&str] = &[$(stringify!($target)),*];
        $(
            #[test]
            fn $target() {
                replay(stringify!($target), leadbook_fuzzcheck::$target);
            }
        )*
    };
}

// A new fuzz target adds its name here (and its function in src/lib.rs).
replay_corpora!(csv_import, segment_query, reminder_time, scoring_rule, pulled_row);

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// Runs every corpus file of `target` through `check`, then fails listing each input that
/// panicked (all of them, not just the first).
fn replay(target: &str, check: fn(&[u8])) {
    let dir = fuzz_dir().join("corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus of {target} ({}) cannot be read: {e}", dir.display()))
        .map(|entry| entry.expect("corpus entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the corpus of {target} ({}) is empty: nothing would be checked", dir.display());
    let started = Instant::now();
    let mut failures = Vec::new();
    for path in &files {
        let data = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| check(&data))) {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic without a message".into());
            failures.push(format!("{}: {message}", path.display()));
        }
    }
    eprintln!("{target}: {} corpus inputs replayed in {:.1} s", files.len(), started.elapsed().as_secs_f64());
    assert!(failures.is_empty(), "{} of {} {target} corpus inputs panic:\n{}", failures.len(), files.len(), failures.join("\n"));
}

/// A fuzz target without a replay here (or a replay without its target) would leave a corpus
/// that no test runs.
#[test]
fn every_fuzz_target_and_corpus_is_replayed() {
    let names = |dir: PathBuf, files: bool| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
            .map(|entry| entry.expect("entry").path())
            .filter(|p| if files { p.extension().is_some_and(|e| e == "rs") } else { p.is_dir() })
            .map(|p| p.file_stem().expect("a name").to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let mut replayed: Vec<String> = REPLAYED.iter().map(|s| s.to_string()).collect();
    replayed.sort();
    assert_eq!(names(fuzz_dir().join("fuzz_targets"), true), replayed, "fuzz targets vs corpus replays");
    assert_eq!(names(fuzz_dir().join("corpus"), false), replayed, "corpus folders vs corpus replays");
}
