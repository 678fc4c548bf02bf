//! Reading any CSV people actually have: the encoding, delimiter and header row are detected
//! (each can be overridden; the header row may come after a preamble, see `header`), the text
//! is decoded as a stream (memory stays flat whatever the size), and broken records are repaired
//! or reported with their line, never dropped silently.

use crate::error::ErrorCode;
use super::header;
use crate::error::{AppError, Result};
use encoding_rs::Encoding;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use ts_rs::TS;

/// How much of the file detection looks at.
const SNIFF_BYTES: usize = 256 * 1024;
pub const DELIMITERS: [char; 4] = [',', ';', '\t', '|'];

/// What the user may force instead of detection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct DialectOverrides {
    /// A WHATWG encoding label: "utf-8", "utf-16le", "windows-1252", "iso-8859-1", …
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub has_header: Option<bool>,
    /// The line the table starts on (its header row, or its first row without a header); the
    /// lines before it are skipped. None: detected.
    #[ts(type = "number | null")]
    pub header_line: Option<u64>,
}

/// How the file is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Dialect {
    /// Canonical encoding name, e.g. "UTF-8", "windows-1252", "UTF-16LE".
    pub encoding: String,
    pub bom: bool,
    pub delimiter: String,
    pub has_header: bool,
    /// The line the table starts on: its header row, or without a header its first row. The
    /// lines before it (a preamble) are skipped. 0 in batches saved before preambles were
    /// detected: the first non-blank record.
    #[serde(default)]
    #[ts(type = "number")]
    pub header_line: u64,
}

/// A record before the table, skipped: a title, an export note, a blank or padding row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreambleLine {
    #[ts(type = "number")]
    pub line: u64,
    /// Its non-empty part as CSV ("" for a blank or padding row).
    pub text: String,
}

/// One record of the file as read, after repairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based line of the file where the record starts.
    pub line: u64,
    pub fields: Vec<String>,
    /// Set when the record cannot be imported; says what is wrong with it.
    pub problem: Option<String>,
    /// Repairs applied (e.g. "padded 2 missing trailing fields").
    pub repairs: Vec<String>,
}

impl Record {
    /// A record with no value at all (",,,,"): skipped, counted.
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

pub(crate) fn parse_delimiter(text: &str) -> Result<u8> {
    let d = match text {
        "\\t" | "tab" | "TAB" => "\t",
        other => other,
    };
    match d.as_bytes() {
        [b] if b.is_ascii() && !b"\"\r\n".contains(b) => Ok(*b),
        _ => Err(AppError::field(
            ErrorCode::InvalidDelimiter,
            "delimiter",
            format!("“{text}” cannot be a delimiter: use one character such as , ; | or \\t"),
        )),
    }
}

pub(crate) fn encoding_for(label: &str) -> Result<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        AppError::field(
            ErrorCode::InvalidEncoding,
            "encoding",
            format!("“{label}” is not an encoding Leadbook knows; try utf-8, utf-16le, windows-1252 or iso-8859-1"),
        )
    })
}

/// Detects the encoding from a byte-order mark, valid UTF-8, or chardetng's guess.
fn detect_encoding(sample: &[u8], complete: bool) -> (&'static Encoding, bool) {
    if let Some((encoding, _)) = Encoding::for_bom(sample) {
        return (encoding, true);
    }
    // A sample cut in the middle of a character is still UTF-8.
    match std::str::from_utf8(sample) {
        Ok(_) => return (encoding_rs::UTF_8, false),
        Err(e) if !complete && e.error_len().is_none() => return (encoding_rs::UTF_8, false),
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(sample, complete);
    (detector.guess(None, true), false)
}

/// The decoded text of the file from its start, BOM removed, invalid bytes as U+FFFD, and
/// every line ending (CRLF, CR, LF — mixed in one file too) as LF, so line numbers are exact.
fn decoded(path: &Path, encoding: &'static Encoding) -> Result<Box<dyn Read + Send>> {
    let file = open(path)?;
    Ok(Box::new(LfNewlines::new(
        encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(Some(encoding))
            .bom_override(true)
            .strip_bom(true)
            .build(BufReader::with_capacity(256 * 1024, file)),
    )))
}

/// The longest line a file may have. No row Leadbook can store comes near it; a longer line
/// means the file is not a table (a binary file, a device such as /dev/zero, one huge field),
/// and reading on would hold all of it in memory.
pub const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;

/// Rewrites CRLF and lone CR to LF while streaming (both are ASCII, so UTF-8 stays intact).
/// The text also always ends with a line break, so every record ends with one. A line longer
/// than [`MAX_LINE_BYTES`] is an error naming it.
struct LfNewlines<R> {
    inner: R,
    after_cr: bool,
    last: Option<u8>,
    /// Bytes since the last line break, and the line they are on (1-based).
    line_bytes: usize,
    line: u64,
}

impl<R> LfNewlines<R> {
    fn new(inner: R) -> Self {
        Self { inner, after_cr: false, last: None, line_bytes: 0, line: 1 }
    }
}

impl<R: Read> Read for LfNewlines<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if out.is_empty() {
                return Ok(0);
            }
            let n = self.inner.read(out)?;
            if n == 0 {
                if self.last.is_some_and(|b| b != b'\n') {
                    self.last = Some(b'\n');
                    out[0] = b'\n';
                    return Ok(1);
                }
                return Ok(0);
            }
            let mut written = 0;
            for i in 0..n {
                let byte = out[i];
                if byte == b'\n' && self.after_cr {
                    self.after_cr = false;
                    continue;
                }
                self.after_cr = byte == b'\r';
                let byte = if self.after_cr { b'\n' } else { byte };
                if byte == b'\n' {
                    self.line += 1;
                    self.line_bytes = 0;
                } else {
                    self.line_bytes += 1;
                    if self.line_bytes > MAX_LINE_BYTES {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            format!("line {} is longer than {} MiB: this is not a CSV file", self.line, MAX_LINE_BYTES >> 20),
                        ));
                    }
                }
                out[written] = byte;
                written += 1;
            }
            // A chunk holding only the LF of a CRLF: read on rather than signal the end.
            if written > 0 {
                self.last = Some(out[written - 1]);
                return Ok(written);
            }
        }
    }
}

fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(|e| AppError::field(ErrorCode::UnreadableFile, "file", format!("Cannot open {}: {e}", path.display())))
}

fn csv_reader(input: Box<dyn Read + Send>, delimiter: u8) -> csv::Reader<Box<dyn Read + Send>> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(256 * 1024)
        .from_reader(input)
}

/// Picks the delimiter that splits the sample into the most rows of one consistent width.
fn detect_delimiter(sample: &str) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for d in DELIMITERS {
        let d = d as u8;
        let mut counts = std::collections::HashMap::<usize, usize>::new();
        let mut reader = csv::ReaderBuilder::new().delimiter(d).has_headers(false).flexible(true).from_reader(sample.as_bytes());
        for record in reader.records().take(200).map_while(|r| r.ok()) {
            *counts.entry(record.len()).or_default() += 1;
        }
        // The width most rows share, if it splits rows at all; ties go to the wider split.
        if let Some((&width, &rows)) = counts.iter().filter(|(w, _)| **w > 1).max_by_key(|(w, n)| (**n, **w)) {
            if (rows, width) > (best.1, best.2) {
                best = (d, rows, width);
            }
        }
    }
    best.0
}

/// Trimmed, BOM-free, unique, non-blank header names; says what it changed.
pub fn repair_headers(raw: &[String]) -> (Vec<String>, Vec<String>) {
    let mut repairs = Vec::new();
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for (i, name) in raw.iter().enumerate() {
        let trimmed = name.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').to_owned();
        let mut name = if trimmed.is_empty() {
            let made = format!("Column {}", i + 1);
            repairs.push(format!("column {} has no name: called it “{made}”", i + 1));
            made
        } else {
            trimmed
        };
        if out.iter().any(|o| o.eq_ignore_ascii_case(&name)) {
            let base = name.clone();
            let mut n = 2;
            while out.iter().any(|o| o.eq_ignore_ascii_case(&name)) {
                name = format!("{base} ({n})");
                n += 1;
            }
            repairs.push(format!("column {} repeats the name “{base}”: called it “{name}”", i + 1));
        }
        out.push(name);
    }
    (out, repairs)
}

/// What detection found.
#[derive(Debug, Clone)]
pub struct Sniffed {
    pub dialect: Dialect,
    pub headers: Vec<String>,
    pub header_repairs: Vec<String>,
    pub file_size: u64,
    /// The records before the table, skipped.
    pub preamble: Vec<PreambleLine>,
}

/// The first `n` records of `text` with the line each starts on (as `RecordReader` counts them).
fn leading_records(text: &str, delimiter: u8, n: usize) -> Vec<(u64, Vec<String>)> {
    let mut reader = csv_reader(Box::new(std::io::Cursor::new(text.as_bytes().to_vec())), delimiter);
    let mut record = csv::StringRecord::new();
    let mut out = Vec::new();
    while out.len() < n {
        let before = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(true) => {
                let inside = record.iter().map(|f| f.matches('\n').count() as u64).sum::<u64>();
                let line = reader.position().line().saturating_sub(1 + inside).max(before);
                out.push((line, record.iter().map(str::to_owned).collect()));
            }
            _ => break,
        }
    }
    out
}

/// Detects encoding, delimiter and where the table starts (overrides win) and reads the header.
/// `known`: whether a cell is a column name the mapping knows (scores header candidates).
pub fn sniff(path: &Path, overrides: &DialectOverrides, known: impl Fn(&str) -> bool) -> Result<Sniffed> {
    let file_size = std::fs::metadata(path)
        .map_err(|e| AppError::field(ErrorCode::UnreadableFile, "file", format!("Cannot open {}: {e}", path.display())))?
        .len();
    let mut sample = Vec::with_capacity(SNIFF_BYTES.min(usize::try_from(file_size).unwrap_or(SNIFF_BYTES)));
    open(path)?
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut sample)
        .map_err(|e| AppError::field(ErrorCode::UnreadableFile, "file", format!("Cannot read {}: {e}", path.display())))?;
    let complete = (sample.len() as u64) == file_size;
    let (detected, bom) = detect_encoding(&sample, complete);
    let encoding = match &overrides.encoding {
        Some(label) => encoding_for(label)?,
        None => detected,
    };
    let mut decoded_head = Vec::new();
    decoded(path, encoding)?
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut decoded_head)
        .map_err(|e| AppError::field(ErrorCode::UnreadableFile, "file", format!("Cannot decode {} as {}: {e}", path.display(), encoding.name())))?;
    // The decoder writes UTF-8; the byte limit may cut the last character in two.
    let text = match std::str::from_utf8(&decoded_head) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&decoded_head[..e.valid_up_to()]).unwrap_or_default(),
    };
    if text.trim().is_empty() {
        return Err(AppError::field(ErrorCode::EmptyFile, "file", format!("{} holds no rows", path.display())));
    }
    let delimiter = match &overrides.delimiter {
        Some(d) => parse_delimiter(d)?,
        None => detect_delimiter(text),
    };
    let records = leading_records(text, delimiter, header::HEADER_SEARCH_ROWS + header::FOLLOWING_ROWS);
    let (start, has_header) = match overrides.header_line {
        Some(line) => {
            let start = records.iter().position(|(l, _)| *l == line).ok_or_else(|| {
                AppError::field(
                    ErrorCode::InvalidHeaderLine,
                    "headerLine",
                    format!("No row starts on line {line} among the first {} rows of the file", records.len()),
                )
            })?;
            (start, overrides.has_header.unwrap_or(true))
        }
        None => {
            let rows: Vec<Vec<String>> = records.iter().map(|(_, r)| r.clone()).collect();
            let guess = header::find_header(&rows, known);
            (guess.index, overrides.has_header.unwrap_or(guess.has_header))
        }
    };
    let (header_line, first) = records.get(start).cloned().unwrap_or_default();
    let preamble = records[..start.min(records.len())]
        .iter()
        .map(|(line, fields)| {
            let used = fields.iter().rposition(|f| !f.trim().is_empty()).map_or(0, |i| i + 1);
            let text = if used == 0 { String::new() } else { to_csv_line(&fields[..used], delimiter) };
            PreambleLine { line: *line, text }
        })
        .collect();
    let (headers, header_repairs) = if has_header {
        repair_headers(&first)
    } else {
        ((1..=first.len()).map(|i| format!("Column {i}")).collect(), vec![])
    };
    Ok(Sniffed {
        dialect: Dialect { encoding: encoding.name().to_owned(), bom, delimiter: (delimiter as char).to_string(), has_header, header_line },
        headers,
        header_repairs,
        file_size,
        preamble,
    })
}

/// Streams the records after the header, repaired to the header's width or marked with a problem.
pub struct RecordReader {
    path: std::path::PathBuf,
    encoding: &'static Encoding,
    delimiter: u8,
    width: usize,
    csv: csv::Reader<Box<dyn Read + Send>>,
    /// Lines skipped before `csv` started (after recovering from a runaway quote).
    line_offset: u64,
    lookahead: VecDeque<Record>,
    /// The table has not been reached yet: the preamble (and the header) are still to skip.
    before_table: bool,
    has_header: bool,
    /// The line the table starts on (`Dialect::header_line`).
    start_line: u64,
    done: bool,
    /// Records handed out so far, header excluded: the resume position.
    pub records_read: u64,
}

impl RecordReader {
    pub fn open(path: &Path, dialect: &Dialect, width: usize) -> Result<Self> {
        let encoding = encoding_for(&dialect.encoding)?;
        let delimiter = parse_delimiter(&dialect.delimiter)?;
        Ok(Self {
            path: path.to_owned(),
            encoding,
            delimiter,
            width,
            csv: csv_reader(decoded(path, encoding)?, delimiter),
            line_offset: 0,
            lookahead: VecDeque::new(),
            before_table: true,
            has_header: dialect.has_header,
            start_line: dialect.header_line,
            done: false,
            records_read: 0,
        })
    }

    /// How far into the decoded text the parser is (for progress).
    pub fn byte_position(&self) -> u64 {
        self.csv.position().byte()
    }

    /// Skips `n` records (a resume), without repairing or checking them.
    pub fn skip(&mut self, n: u64) -> Result<()> {
        for _ in 0..n {
            if self.next_record()?.is_none() {
                break;
            }
        }
        Ok(())
    }

    /// The next raw record from the parser, with its line.
    fn read_raw(&mut self) -> Result<Option<Record>> {
        if let Some(r) = self.lookahead.pop_front() {
            return Ok(Some(r));
        }
        if self.done {
            return Ok(None);
        }
        let mut record = csv::StringRecord::new();
        let line = self.csv.position().line() + self.line_offset;
        match self.csv.read_record(&mut record) {
            Ok(false) => {
                self.done = true;
                Ok(None)
            }
            Ok(true) => {
                // The parser's own start position counts skipped blank lines into the record;
                // its end (after the record's line break) minus the breaks inside it is exact.
                let inside = record.iter().map(|f| f.matches('\n').count() as u64).sum::<u64>();
                let line = (self.csv.position().line() + self.line_offset).saturating_sub(1 + inside).max(line);
                let fields: Vec<String> = record.iter().map(str::to_owned).collect();
                if self.runaway_quote(&fields) {
                    return self.recover_after(line).map(Some);
                }
                Ok(Some(Record { line, fields, problem: None, repairs: vec![] }))
            }
            // After decoding there is no invalid UTF-8; an I/O error is the disk's.
            Err(e) => Err(AppError::field(ErrorCode::UnreadableFile, "file", format!("Cannot read {} near line {line}: {e}", self.path.display()))),
        }
    }

    /// A quote opened and never closed swallows the following rows into one field: a field
    /// spanning lines that themselves look like whole rows (as many delimiters as the header).
    fn runaway_quote(&self, fields: &[String]) -> bool {
        let delimiter = self.delimiter as char;
        let min = self.width.saturating_sub(1).max(2);
        fields.iter().any(|f| f.contains('\n') && f.lines().skip(1).any(|l| l.matches(delimiter).count() >= min))
    }

    /// Reports the line where the runaway quote starts as a failed record and goes on reading
    /// from the next line, so the rows it swallowed are imported after all.
    fn recover_after(&mut self, line: u64) -> Result<Record> {
        let mut input = BufReader::new(decoded(&self.path, self.encoding)?);
        let mut text = Vec::new();
        for _ in 0..line {
            text.clear();
            input
                .read_until(b'\n', &mut text)
                .map_err(|e| AppError::field(ErrorCode::UnreadableFile, "file", format!("Cannot read {}: {e}", self.path.display())))?;
        }
        let raw = String::from_utf8_lossy(&text).trim_end_matches(['\r', '\n']).to_owned();
        self.csv = csv_reader(Box::new(input), self.delimiter);
        self.line_offset = line;
        Ok(Record {
            line,
            fields: vec![raw],
            problem: Some(format!("line {line}: a quoted value starts here and its closing quote is missing")),
            repairs: vec![],
        })
    }

    /// Skips the preamble (records before the start line, not counted) and the header.
    fn skip_to_table(&mut self) -> Result<()> {
        if self.start_line == 0 {
            // Batches from before preambles were detected: the header is the first non-blank record.
            if self.has_header {
                while let Some(r) = self.read_raw()? {
                    if !r.is_blank() {
                        break;
                    }
                }
            }
            return Ok(());
        }
        while let Some(r) = self.read_raw()? {
            if r.line < self.start_line {
                continue;
            }
            if !(self.has_header && r.line == self.start_line) {
                self.lookahead.push_front(r);
            }
            break;
        }
        Ok(())
    }

    /// The next data record, repaired to the header's width where that is safe.
    pub fn next_record(&mut self) -> Result<Option<Record>> {
        if self.before_table {
            self.before_table = false;
            self.skip_to_table()?;
        }
        let Some(mut record) = self.read_raw()? else { return Ok(None) };
        self.records_read += 1;
        if record.problem.is_some() || record.fields.len() == self.width {
            return Ok(Some(record));
        }
        let n = record.fields.len();
        if n < self.width {
            // A line break inside an unquoted value splits one row into two short ones whose
            // widths add up to the header's (the broken value counts in both).
            if let Some(next) = self.read_raw()? {
                if next.problem.is_none() && next.fields.len() < self.width && n + next.fields.len() - 1 == self.width && next.line == record.line + 1 {
                    let mut rest = next.fields.into_iter();
                    let joined = format!("{}\n{}", record.fields.pop().unwrap_or_default(), rest.next().unwrap_or_default());
                    record.fields.push(joined);
                    record.fields.extend(rest);
                    record.repairs.push(format!("lines {} and {} are one row split by a line break in a value: joined", record.line, record.line + 1));
                    return Ok(Some(record));
                }
                self.lookahead.push_front(next);
            }
            if record.is_blank() {
                return Ok(Some(record));
            }
            record.repairs.push(format!("line {} has {n} of {} fields: the missing ones at the end are empty", record.line, self.width));
            record.fields.resize(self.width, String::new());
            return Ok(Some(record));
        }
        // Too many fields: harmless when the extra ones are empty (trailing delimiters).
        if record.fields[self.width..].iter().all(|f| f.trim().is_empty()) {
            record.fields.truncate(self.width);
            record.repairs.push(format!("line {} ends with {} empty extra fields: dropped", record.line, n - self.width));
            return Ok(Some(record));
        }
        record.problem = Some(format!(
            "line {} has {n} fields but the header has {}: a value holds an unquoted delimiter, or a column is missing from the header",
            record.line, self.width
        ));
        Ok(Some(record))
    }
}

/// One record as a CSV line (the error file's "original row").
pub fn to_csv_line(fields: &[String], delimiter: u8) -> String {
    let mut writer = csv::WriterBuilder::new().delimiter(delimiter).terminator(csv::Terminator::Any(b'\n')).from_writer(vec![]);
    let _ = writer.write_record(fields);
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).trim_end_matches('\n').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_ending_becomes_lf() {
        let mut out = String::new();
        LfNewlines::new("a\r\nb\rc\nd\r\r\ne".as_bytes()).read_to_string(&mut out).unwrap();
        assert_eq!(out, "a\nb\nc\nd\n\ne\n");
    }

    #[test]
    fn an_endless_line_is_an_error_naming_it_not_a_memory_blowup() {
        // /dev/zero, or a binary file picked by mistake: no line break, ever.
        let endless = std::io::repeat(0).take(64 * 1024 * 1024);
        let mut sink = Vec::new();
        let err = LfNewlines::new("Name\n".as_bytes().chain(endless)).read_to_end(&mut sink).unwrap_err();
        assert_eq!(err.to_string(), "line 2 is longer than 4 MiB: this is not a CSV file");
        assert!(sink.len() <= MAX_LINE_BYTES + 256 * 1024, "stopped at the limit ({} bytes read)", sink.len());
        // Long lines below the limit are fine.
        let mut out = Vec::new();
        let long = "x".repeat(MAX_LINE_BYTES);
        LfNewlines::new(long.as_bytes()).read_to_end(&mut out).unwrap();
        assert_eq!(out.len(), MAX_LINE_BYTES + 1);
    }

    #[test]
    fn delimiters_are_told_apart_by_consistent_widths() {
        assert_eq!(detect_delimiter("a;b;c\n1;2,5;3\n4;5;6\n"), b';');
        assert_eq!(detect_delimiter("a,b,c\n1,\"2;5\",3\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(detect_delimiter("a|b|c\n1|2|3\n"), b'|');
    }

    #[test]
    fn headers_are_trimmed_named_and_made_unique() {
        let raw: Vec<String> = ["\u{feff} Email ", "", "email", "Email"].map(String::from).to_vec();
        let (h, repairs) = repair_headers(&raw);
        assert_eq!(h, ["Email", "Column 2", "email (2)", "Email (3)"]);
        assert_eq!(repairs.len(), 3);
    }

    #[test]
    fn encodings_are_detected_from_bom_utf8_or_content() {
        assert_eq!(detect_encoding(b"\xef\xbb\xbfa,b", true), (encoding_rs::UTF_8, true));
        assert_eq!(detect_encoding(b"\xff\xfea\x00", true), (encoding_rs::UTF_16LE, true));
        assert_eq!(detect_encoding("Müller,Zoë".as_bytes(), true).0, encoding_rs::UTF_8);
        let latin1 = b"Name,Stadt\nJ\xfcrgen M\xfcller,K\xf6ln\nFran\xe7ois,Z\xfcrich\n";
        assert_eq!(detect_encoding(latin1, true).0, encoding_rs::WINDOWS_1252);
    }
}
