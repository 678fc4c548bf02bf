//! Fuzzes the segment query language: any text either parses or fails with a positioned error,
//! never panics; what parses prints back to the same tree, and compiles to SQL in which user text
//! appears only as bound parameters.
#![no_main]

use leadbook_core::segments::lower::{lower, LowerContext};
use leadbook_core::segments::query::parse;
use leadbook_core::segments::sql::{compile, Mode};
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let expr = match parse(&text) {
        Ok(expr) => expr,
        Err(e) => {
            assert!(e.line >= 1 && e.column >= 1 && !e.message.is_empty());
            return;
        }
    };
    let printed = expr.to_string();
    let reparsed = parse(&printed).unwrap_or_else(|e| panic!("{printed:?} does not parse back: {e}"));
    assert_eq!(reparsed, expr, "printed as {printed:?}");

    let mut ids = HashMap::new();
    for name in leadbook_core::segments::query::referenced_segments(&expr) {
        ids.insert(name.trim().to_lowercase(), "segment-id".to_string());
    }
    let Ok(pred) = lower(&expr, &LowerContext { now: chrono::Local::now(), segment_ids: &ids }) else { return };
    for mode in [Mode::Set, Mode::Row] {
        let compiled = compile(&pred, mode);
        // Only the compiler's own vocabulary: no quotes but the ' ' of trim(), nothing typed.
        assert!(
            compiled.sql.chars().all(|c| c.is_ascii_alphanumeric() || " _.,()?=!<>'|-*".contains(c)),
            "unexpected character in {}",
            compiled.sql
        );
        // The compiler's only literals are ' ' and ''; any other quote would be a text literal.
        assert!(!compiled.sql.replace("' '", "").replace("''", "").contains('\''), "a literal in {}", compiled.sql);
        assert_eq!(compiled.sql.matches('?').count(), compiled.params.len(), "placeholders vs parameters in {}", compiled.sql);
    }
});
