//! Any bytes as a CSV file through detection, the record reader and the mapper/converter:
//! nothing may panic, every record is returned once with a line number that only grows, and
//! every repaired record has the header's width.
#![no_main]

use leadbook_core::import::mapping::{auto_map, target_for_header};
use leadbook_core::import::reader::{sniff, DialectOverrides, RecordReader};
use leadbook_core::import::values::{row_error, Converter, DateOrder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
});
