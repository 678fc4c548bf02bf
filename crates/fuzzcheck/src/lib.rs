//! The checks of the fuzz targets, one plain function per target taking the fuzzer's bytes. The
//! targets in `fuzz/fuzz_targets/` only call these, and `tests/corpus.rs` replays every file of
//! `fuzz/corpus/<target>/` through the same function in `cargo test`, so a corpus input that
//! panics fails CI, not just a fuzzing session.
//!
//! A new target: a `pub fn <target>(data: &[u8])` here, a three-line `fuzz/fuzz_targets/<target>.rs`
//! calling it (with its `[[bin]]` in fuzz/Cargo.toml), and its name in `tests/corpus.rs`'s list.

use leadbook_core::import::mapping::{auto_map, target_for_header};
use leadbook_core::import::reader::{sniff, DialectOverrides, RecordReader};
use leadbook_core::import::values::{row_error, Converter, DateOrder};
use leadbook_core::segments::lower::{lower, LowerContext};
use leadbook_core::segments::query::{parse, referenced_segments};
use leadbook_core::segments::sql::{compile, Mode};
use std::collections::HashMap;

/// Any bytes as a CSV file through detection, the record reader and the mapper/converter:
/// nothing may panic, every record is returned once with a line number that only grows, and
/// every repaired record has the header's width.
pub fn csv_import(data: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input.csv");
    std::fs::write(&path, data).unwrap();
    let Ok(sniffed) = sniff(&path, &DialectOverrides::default(), |cell| target_for_header(cell).is_some()) else { return };
    let width = sniffed.headers.len();
    let Ok(mut reader) = RecordReader::open(&path, &sniffed.dialect, width) else { return };
    let mut records = Vec::new();
    let mut last_line = 0;
    while let Ok(Some(record)) = reader.next_record() {
        assert!(record.line >= last_line, "line numbers go back: {} after {last_line}", record.line);
        last_line = record.line;
        if record.problem.is_none() && !record.is_blank() {
            assert_eq!(record.fields.len(), width, "a repaired record has the header's width");
        }
        records.push(record.fields);
        if records.len() > 1000 {
            break;
        }
    }
    let mapping = auto_map(&sniffed.headers, &records);
    let converter = Converter { mapping, date_order: Some(DateOrder::Dmy), region: phonenumber::country::Id::DE, zone: chrono_tz::Europe::Berlin, language: None };
    for fields in &records {
        let (lead, cells) = converter.convert(fields);
        let _ = row_error(&lead, &cells);
    }
}

/// Any text through the segment query language: it either parses or fails with a positioned
/// error, never panics; what parses prints back to the same tree, and compiles to SQL in which
/// user text appears only as bound parameters.
pub fn segment_query(data: &[u8]) {
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
    for name in referenced_segments(&expr) {
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
}

/// The moment every reminder-time input is read at (fixed, so an input replays the same way).
fn reminder_now() -> chrono::DateTime<chrono::Utc> {
    "2026-11-23T17:00:00Z".parse().expect("a constant")
}

/// Any text as a reminder time (`+2h`, `tomorrow 09:00`, RFC 3339, …) and as a snooze length:
/// an answer inside the allowed range, or a clear error on the right field, never a panic or an
/// overflow.
pub fn reminder_time(data: &[u8]) {
    use leadbook_core::reminders::when::{parse_duration, parse_when};
    let text = String::from_utf8_lossy(data);
    let now = reminder_now();
    for zone in [chrono_tz::Europe::Berlin, chrono_tz::Pacific::Kiritimati, chrono_tz::America::St_Johns] {
        match parse_when(&text, now, zone) {
            Ok(at) => {
                assert!(at.timestamp() >= 0, "{text:?} gave {at}, before 1970");
                assert!(at <= now + chrono::Duration::days(3650), "{text:?} gave {at}, more than ten years ahead");
            }
            Err(e) => assert!(e.code == "invalid_time" && e.field.as_deref() == Some("dueAt") && !e.message.is_empty(), "{text:?}: {e:?}"),
        }
    }
    match parse_duration(&text) {
        Ok(d) => assert!(d >= chrono::Duration::zero() && d <= chrono::Duration::days(3650), "{text:?} gave {d}"),
        Err(e) => assert!(e.code == "invalid_duration" && !e.message.is_empty(), "{text:?}: {e:?}"),
    }
}

/// Any JSON as a scoring rule (criteria, condition, values, window, dates, points), as the rule
/// editor, the CLI or a pulled row would give it: validation (which compiles the rule) either
/// accepts it or names the field at fault, never panics; what it accepts it accepts again.
pub fn scoring_rule(data: &[u8]) {
    use leadbook_core::scoring::rules::{describe, validate, RuleInput};
    let Ok(rule) = serde_json::from_slice::<RuleInput>(data) else { return };
    match validate(&rule) {
        Ok(clean) => {
            assert!(!describe(&clean).is_empty());
            assert_eq!(validate(&clean).as_ref().map_err(|e| &e.message), Ok(&clean), "validating twice changes the rule");
        }
        Err(e) => assert!(e.field.is_some() && !e.message.is_empty(), "{rule:?}: {e:?}"),
    }
}

/// Any JSON as a row pulled from the team's server for any synced table (the first byte picks
/// the table): it is taken or refused with a reason, never a panic.
pub fn pulled_row(data: &[u8]) {
    use leadbook_core::sync::{check_pulled_row, synced_tables};
    let Some((&pick, rest)) = data.split_first() else { return };
    let tables: Vec<&str> = synced_tables().collect();
    let table = tables[pick as usize % tables.len()];
    let Ok(row) = serde_json::from_slice::<serde_json::Value>(rest) else { return };
    if let Err(why) = check_pulled_row(table, &row) {
        assert!(!why.is_empty(), "a refusal without a reason for {table}: {row}");
    }
}
