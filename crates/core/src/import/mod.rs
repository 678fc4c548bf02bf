//! CSV import: detect → map → preview → import in batches that survive a crash, can be resumed
//! and undone. The file is streamed; memory stays flat whatever its size.
//!
//! Every import is a batch (`import_batches`). Rows are written in transactions of
//! `ROWS_PER_COMMIT`; each commit also advances the batch's resume point, so a kill -9 leaves
//! whole rows only, and `resume_import` continues after the last commit. `undo_import` removes
//! the leads a batch created and restores what it overwrote.

pub mod content;
pub mod dates;
pub mod export;
pub mod header;
pub mod mapping;
pub mod reader;
pub mod values;

use crate::error::ErrorCode;
use crate::activities::FieldChange;
use crate::clock::{new_id, now};
use crate::error::{AppError, Result};
use crate::lead_rows::name_key;
use crate::Store;
use content::{is_mojibake, ContentKind, Damage};
use mapping::{explain_map, header_key, FieldTarget, Language, Mapping};
use reader::{to_csv_line, Dialect, DialectOverrides, PreambleLine, Record, RecordReader};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value as JsonValue};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use ts_rs::TS;
use values::{row_error, Converter, DateOrder, ImportedLead};

/// Rows per transaction: a crash loses at most this many rows of progress, never half a lead.
const ROWS_PER_COMMIT: u64 = 5_000;
/// Rows handed from the reader thread to the writer at a time.
const CHUNK_ROWS: usize = 256;

/// A record and, unless it is blank or broken, the lead it converts to.
struct Converted {
    record: Record,
    lead: Option<(ImportedLead, Vec<values::Cell>)>,
}

impl Converted {
    fn of(record: Record, converter: &Converter) -> Self {
        let lead = (record.problem.is_none() && !record.is_blank()).then(|| converter.convert(&record.fields));
        Self { record, lead }
    }
}
/// How often progress is reported.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);
/// Rows the preview shows.
pub const PREVIEW_ROWS: usize = 20;
/// Rows content sniffing and date-order detection read: the first rows only, so mapping costs
/// the same for a file of ten rows and one of ten million.
pub const SAMPLE_ROWS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
pub enum ImportMode {
    /// New leads only; rows matching an existing lead are skipped.
    Create,
    /// Existing leads only; rows matching none are skipped.
    Update,
    /// Update matches, create the rest.
    #[default]
    Upsert,
}

/// A key rows are matched to leads by; several are combined with AND.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MatchKey {
    /// Case-insensitive.
    Email,
    /// E.164.
    Phone,
    ExternalId,
    /// Company name and full name, case-insensitive.
    CompanyName,
}

impl MatchKey {
    pub fn label(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::ExternalId => "external id",
            Self::CompanyName => "company and name",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ImportOptions {
    pub dialect: DialectOverrides,
    /// None: the mapping saved for these headers, else the automatic one.
    pub mapping: Option<Mapping>,
    pub mode: ImportMode,
    pub match_keys: Vec<MatchKey>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self { dialect: DialectOverrides::default(), mapping: None, mode: ImportMode::Upsert, match_keys: vec![MatchKey::Email] }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    pub batch_id: String,
    pub file_name: String,
    /// running, interrupted, completed, cancelled, failed, undone
    pub status: String,
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number")]
    pub inserted: u64,
    #[ts(type = "number")]
    pub updated: u64,
    #[ts(type = "number")]
    pub skipped: u64,
    #[ts(type = "number")]
    pub failed: u64,
    /// Imported rows with a value kept as written (e.g. a phone number that does not parse).
    #[ts(type = "number")]
    pub warnings: u64,
    pub message: Option<String>,
    pub started_at: String,
    pub finished_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub batch_id: String,
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number")]
    pub inserted: u64,
    #[ts(type = "number")]
    pub updated: u64,
    #[ts(type = "number")]
    pub skipped: u64,
    #[ts(type = "number")]
    pub failed: u64,
    /// 0..1 of the file read.
    pub fraction: f64,
    pub rows_per_second: f64,
    pub eta_seconds: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewCell {
    pub target: FieldTarget,
    pub raw: String,
    pub stored: Option<String>,
    pub error: Option<String>,
    pub warning: Option<String>,
    /// Damage the value came with: a phone a spreadsheet evaluated as a formula, U+FFFD.
    pub damage: Option<Damage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    #[ts(type = "number")]
    pub line: u64,
    pub cells: Vec<PreviewCell>,
    /// Why the row will not be imported, if it will not.
    pub problem: Option<String>,
    pub repairs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub file_name: String,
    #[ts(type = "number")]
    pub file_size: u64,
    pub dialect: Dialect,
    pub headers: Vec<String>,
    pub header_repairs: Vec<String>,
    pub mapping: Mapping,
    /// True when the mapping is one saved from an earlier import of a file with these headers.
    pub saved_mapping: bool,
    pub rows: Vec<PreviewRow>,
    /// The lines before the header, skipped (a title, an export note, blank or padding rows).
    pub preamble: Vec<PreambleLine>,
    /// One per column: why it is mapped so and what its first values are.
    pub columns: Vec<ColumnInfo>,
    /// The created-date column's date order and why; with no order, a question for the user.
    pub dates: Option<DateInfo>,
    /// The language of the headers ("French"), if any header is known.
    pub language: Option<String>,
}

/// How one column was mapped, and what the first rows hold in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ColumnInfo {
    /// "by name", "by content: 97% emails", "your choice", …
    pub reason: String,
    /// What most of its first values are, if most agree.
    pub content: Option<ContentKind>,
    /// The header holds U+FFFD: characters lost to a wrong encoding.
    pub damaged_header: bool,
    /// Values in the first rows holding U+FFFD.
    pub damaged_values: u32,
}

/// The order of the created-date column's dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DateInfo {
    pub column: String,
    /// "dmy", "mdy" or "ymd"; None: the dates read both ways and nothing decides — the user
    /// must choose before importing.
    pub order: Option<String>,
    pub reason: String,
    /// Values of the first rows that read both ways.
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UndoSummary {
    pub batch_id: String,
    #[ts(type = "number")]
    pub removed: u64,
    #[ts(type = "number")]
    pub restored: u64,
    /// Fields changed by someone after the import, left as they are.
    #[ts(type = "number")]
    pub kept_later_edits: u64,
}

/// The options stored with a batch, so a resume reads the file exactly as the first run did.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct BatchOptions {
    dialect: Dialect,
    headers: Vec<String>,
    mapping: Mapping,
    mode: ImportMode,
    match_keys: Vec<MatchKey>,
    /// The language of the headers (how names without a space are split).
    #[serde(default)]
    language: Option<String>,
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// Identifies the file a resume must continue: size, modification time and the first MiB's hash.
fn file_digest(path: &Path) -> Result<String> {
    use sha2::Digest;
    use std::io::Read;
    let unreadable = |e: std::io::Error| AppError::field(ErrorCode::UnreadableFile, "file", format!("Cannot read {}: {e}", path.display()));
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    let mut head = Vec::new();
    std::fs::File::open(path).map_err(unreadable)?.take(1 << 20).read_to_end(&mut head).map_err(unreadable)?;
    let modified = meta.modified().ok().and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok()).map(|d| d.as_millis()).unwrap_or(0);
    Ok(format!("{}:{}:{:x}", meta.len(), modified, sha2::Sha256::digest(&head)))
}

/// The lock a running import holds on its batch; a 'running' batch whose lock is free was
/// interrupted (the process died).
fn batch_lock_path(store: &Path, batch_id: &str) -> PathBuf {
    let mut p = store.as_os_str().to_owned();
    p.push(format!(".import-{batch_id}.lock"));
    PathBuf::from(p)
}

struct BatchLock {
    file: std::fs::File,
    path: PathBuf,
}

impl BatchLock {
    fn take(path: PathBuf) -> Result<Option<Self>> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| AppError::new(ErrorCode::Storage, format!("Cannot create the import lock {}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Self { file, path })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(AppError::new(ErrorCode::Storage, format!("Cannot lock {}: {e}", path.display()))),
        }
    }
}

impl Drop for BatchLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
        let _ = std::fs::remove_file(&self.path);
    }
}

const SUMMARY_SELECT: &str = "SELECT id, file_name, status, rows_read, inserted, updated, skipped, failed, warnings, message, started_at, finished_at FROM import_batches";

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    file_name: String,
    status: String,
    rows_read: i64,
    inserted: i64,
    updated: i64,
    skipped: i64,
    failed: i64,
    warnings: i64,
    message: Option<String>,
    started_at: String,
    finished_at: Option<String>,
}

impl From<SummaryRow> for ImportSummary {
    fn from(r: SummaryRow) -> Self {
        Self {
            batch_id: r.id,
            file_name: r.file_name,
            status: r.status,
            rows: r.rows_read as u64,
            inserted: r.inserted as u64,
            updated: r.updated as u64,
            skipped: r.skipped as u64,
            failed: r.failed as u64,
            warnings: r.warnings as u64,
            message: r.message,
            started_at: r.started_at,
            finished_at: r.finished_at,
        }
    }
}

impl Store {
    fn converter(&self, mapping: &Mapping, language: Option<Language>) -> Converter {
        let zone = crate::reminders::recurrence::local_time_zone().parse().unwrap_or(chrono_tz::UTC);
        Converter {
            mapping: mapping.clone(),
            date_order: mapping.date_order.as_deref().and_then(DateOrder::parse),
            region: *self.region.read().expect("region lock"),
            zone,
            language,
        }
    }

    async fn saved_mapping(&self, headers: &[String]) -> Result<Option<Mapping>> {
        let saved: Option<String> = sqlx::query_scalar("SELECT mapping FROM import_mappings WHERE header_key = ?")
            .bind(header_key(headers))
            .fetch_optional(&self.read)
            .await?;
        Ok(saved.and_then(|m| serde_json::from_str::<Mapping>(&m).ok()).filter(|m| m.columns.len() == headers.len()))
    }

    /// Reads the file's dialect, where its table starts and its header, maps the columns (by name
    /// and by the content of the first rows) and converts the first rows exactly as they would be stored.
    pub async fn preview_import(&self, path: &Path, dialect: &DialectOverrides, mapping: Option<Mapping>) -> Result<ImportPreview> {
        let sniffed = reader::sniff(path, dialect, |cell| mapping::target_for_header(cell).is_some())?;
        let mut records = RecordReader::open(path, &sniffed.dialect, sniffed.headers.len())?;
        let mut samples = Vec::new();
        while samples.len() < SAMPLE_ROWS {
            match records.next_record()? {
                Some(r) if r.is_blank() => continue,
                Some(r) => samples.push(r),
                None => break,
            }
        }
        let sample_fields: Vec<Vec<String>> = samples.iter().filter(|r| r.problem.is_none()).map(|r| r.fields.clone()).collect();
        let auto = explain_map(&sniffed.headers, &sample_fields);
        let saved = match &mapping {
            Some(_) => None,
            None => self.saved_mapping(&sniffed.headers).await?,
        };
        let saved_mapping = saved.is_some();
        let chosen = mapping.is_some() || saved_mapping;
        let mut mapping = mapping.or(saved).unwrap_or_else(|| auto.mapping.clone());
        check_mapping(&mapping, &sniffed.headers)?;
        let columns: Vec<ColumnInfo> = mapping
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let automatic = auto.mapping.columns.get(i).is_some_and(|a| a.target == c.target);
                let content = auto.content.get(i);
                ColumnInfo {
                    reason: match (automatic, saved_mapping) {
                        (true, _) => auto.reasons.get(i).cloned().unwrap_or_default(),
                        (false, true) => "saved from your last import of this layout".into(),
                        (false, false) => "your choice".into(),
                    },
                    content: content.and_then(|c| c.kind()).map(|(kind, _)| kind),
                    damaged_header: is_mojibake(&c.header),
                    damaged_values: content.map_or(0, |c| u32::try_from(c.mojibake).unwrap_or(u32::MAX)),
                }
            })
            .collect();
        let dates = self.date_info(&mut mapping, chosen.then_some(if saved_mapping { "saved with the mapping of your last import of this layout" } else { "your choice" }), &sample_fields, auto.language);
        let converter = self.converter(&mapping, auto.language);
        let rows = samples
            .into_iter()
            .take(PREVIEW_ROWS)
            .map(|record| {
                if let Some(problem) = record.problem.clone() {
                    return PreviewRow { line: record.line, cells: vec![], problem: Some(problem), repairs: record.repairs };
                }
                let (lead, cells) = converter.convert(&record.fields);
                let problem = row_error(&lead, &cells);
                PreviewRow {
                    line: record.line,
                    cells: cells
                        .into_iter()
                        .zip(&record.fields)
                        .map(|(c, raw)| PreviewCell { target: c.target, raw: raw.clone(), stored: c.stored, error: c.error, warning: c.warning, damage: c.damage })
                        .collect(),
                    problem,
                    repairs: record.repairs,
                }
            })
            .collect();
        Ok(ImportPreview {
            file_name: file_name(path),
            file_size: sniffed.file_size,
            dialect: sniffed.dialect,
            headers: sniffed.headers,
            header_repairs: sniffed.header_repairs,
            mapping,
            saved_mapping,
            rows,
            preamble: sniffed.preamble,
            columns,
            dates,
            language: auto.language.map(|l| l.name().to_owned()),
        })
    }

    /// The created-date column's order: the mapping's when the user chose one, else inferred
    /// from the first rows' values and the headers' language (and written into the mapping,
    /// so the import uses what the preview showed); left open when the values read both ways.
    /// `chosen`: why the mapping's order is not detection's, when the mapping is the user's.
    fn date_info(&self, mapping: &mut Mapping, chosen: Option<&str>, samples: &[Vec<String>], language: Option<Language>) -> Option<DateInfo> {
        let Some(column) = mapping.columns.iter().position(|c| c.target == FieldTarget::CreatedAt) else {
            mapping.date_order = mapping.date_order.take().filter(|o| DateOrder::parse(o).is_some());
            return None;
        };
        let values = samples.iter().filter_map(|r| r.get(column).map(String::as_str));
        let guess = dates::infer_order(values, language);
        let given = mapping.date_order.as_deref().and_then(DateOrder::parse);
        let header = mapping.columns[column].header.clone();
        match given {
            Some(order) if chosen.is_some() && Some(order) != guess.order => {
                mapping.date_order = Some(order.name().to_owned());
                Some(DateInfo { column: header, order: Some(order.name().to_owned()), reason: chosen.unwrap_or_default().into(), examples: guess.examples })
            }
            _ => {
                mapping.date_order = guess.order.map(|o| o.name().to_owned());
                Some(DateInfo { column: header, order: mapping.date_order.clone(), reason: guess.reason, examples: guess.examples })
            }
        }
    }

    /// Imports `path` as a new batch; `progress` is called a few times a second, `cancel` stops
    /// it after the current row (what was imported stays, and can be undone).
    pub async fn import_csv(
        &self,
        path: &Path,
        options: &ImportOptions,
        progress: impl FnMut(&ImportProgress) + Send,
        cancel: &AtomicBool,
    ) -> Result<ImportSummary> {
        if options.match_keys.is_empty() && options.mode != ImportMode::Create {
            return Err(AppError::field(ErrorCode::NoMatchKeys, "matchKeys", "Updating needs at least one match key (email, phone, external id or company + name)"));
        }
        let preview = self.preview_import(path, &options.dialect, options.mapping.clone()).await?;
        if let Some(dates) = preview.dates.as_ref().filter(|d| d.order.is_none()) {
            // A guessed date is never stored: the user says which order the file uses.
            return Err(AppError::field(
                ErrorCode::AmbiguousDates,
                "dateOrder",
                format!(
                    "The dates in “{}” read both ways ({}): choose day first (dmy) or month first (mdy)",
                    dates.column,
                    dates.examples.join(", ")
                ),
            ));
        }
        let batch_options = BatchOptions {
            dialect: preview.dialect.clone(),
            headers: preview.headers.clone(),
            mapping: preview.mapping.clone(),
            mode: options.mode,
            match_keys: options.match_keys.clone(),
            language: preview.language.clone(),
        };
        let batch_id = new_id();
        let lock = BatchLock::take(batch_lock_path(self.path(), &batch_id))?
            .ok_or_else(|| AppError::new(ErrorCode::Busy, "The import lock is held by another process"))?;
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        let ts = now();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO import_batches (id, space_id, user_id, file_name, file_path, file_size, file_digest, options, status, started_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)",
        )
        .bind(&batch_id)
        .bind(&self.identity().space_id)
        .bind(&self.identity().user_id)
        .bind(file_name(path))
        .bind(absolute.display().to_string())
        .bind(preview.file_size as i64)
        .bind(file_digest(path)?)
        .bind(serde_json::to_string(&batch_options)?)
        .bind(&ts)
        .execute(&mut *tx)
        .await?;
        // Confirmed mappings are reused for the next file with the same headers.
        sqlx::query("INSERT INTO import_mappings (header_key, mapping, used_at) VALUES (?, ?, ?) ON CONFLICT (header_key) DO UPDATE SET mapping = excluded.mapping, used_at = excluded.used_at")
            .bind(header_key(&preview.headers))
            .bind(serde_json::to_string(&preview.mapping)?)
            .bind(&ts)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let result = self.run_batch(&batch_id, path, batch_options, 0, progress, cancel, lock).await;
        self.follow_import(&batch_id).await;
        result
    }

    /// Continues an interrupted batch after its last committed row, if the file is unchanged.
    pub async fn resume_import(
        &self,
        batch_id: &str,
        progress: impl FnMut(&ImportProgress) + Send,
        cancel: &AtomicBool,
    ) -> Result<ImportSummary> {
        let lock = BatchLock::take(batch_lock_path(self.path(), batch_id))?
            .ok_or_else(|| AppError::new(ErrorCode::Busy, "This import is still running in another Leadbook process"))?;
        let row: Option<(String, String, String, String, i64)> =
            sqlx::query_as("SELECT status, file_path, file_digest, options, rows_read FROM import_batches WHERE id = ?")
                .bind(batch_id)
                .fetch_optional(&self.read)
                .await?;
        let (status, file_path, digest, options, rows_read) = row.ok_or_else(|| AppError::not_found("import", batch_id))?;
        if !matches!(status.as_str(), "running" | "interrupted" | "cancelled" | "failed") {
            return Err(AppError::new(ErrorCode::NotResumable, format!("This import is {status}; only an interrupted, cancelled or failed import can be resumed")));
        }
        let path = PathBuf::from(file_path);
        if file_digest(&path).ok().as_deref() != Some(digest.as_str()) {
            return Err(AppError::new(
                ErrorCode::FileChanged,
                format!("{} is gone or has changed since the import started; undo the import and import the file again", path.display()),
            ));
        }
        let options: BatchOptions = serde_json::from_str(&options)?;
        sqlx::query("UPDATE import_batches SET status = 'running', message = NULL, finished_at = NULL WHERE id = ?")
            .bind(batch_id)
            .execute(&self.write)
            .await?;
        let result = self.run_batch(batch_id, &path, options, rows_read as u64, progress, cancel, lock).await;
        self.follow_import(batch_id).await;
        result
    }

    #[allow(clippy::too_many_arguments)]
    async fn run_batch(
        &self,
        batch_id: &str,
        path: &Path,
        options: BatchOptions,
        resume_at: u64,
        mut progress: impl FnMut(&ImportProgress) + Send,
        cancel: &AtomicBool,
        lock: BatchLock,
    ) -> Result<ImportSummary> {
        let mut records = RecordReader::open(path, &options.dialect, options.headers.len())?;
        let converter = self.converter(&options.mapping, options.language.as_deref().and_then(Language::from_name));
        let identity = self.identity();
        let file_size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(1).max(1);
        let batch = batch_id.to_owned();
        let name = file_name(path);
        let delimiter = reader::parse_delimiter(&options.dialect.delimiter)?;
        let outcome = self
            .with_bulk_writer(move |conn| {
                // Every per-row statement stays prepared (the default cache holds 16).
                conn.set_prepared_statement_cache_capacity(128);
                // A 64 MB page cache keeps a whole import under 300 MB; the writer's usual 256 MB
                // is back when it is done, whatever happens.
                let usual_cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
                conn.execute_batch("PRAGMA cache_size = -65536")?;
                let result = (|| -> Result<()> {
                let counts: (i64, i64, i64, i64, i64) = conn.query_row(
                    "SELECT inserted, updated, skipped, failed, warnings FROM import_batches WHERE id = ?1",
                    [&batch],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )?;
                let mut run = BatchRun {
                    batch: &batch,
                    file_name: &name,
                    identity: &identity,
                    options: &options,
                    delimiter,
                    counts: Counts {
                        rows: resume_at,
                        inserted: counts.0 as u64,
                        updated: counts.1 as u64,
                        skipped: counts.2 as u64,
                        failed: counts.3 as u64,
                        warnings: counts.4 as u64,
                    },
                    refs: HashMap::new(),
                    touched: std::collections::HashSet::new(),
                    seq: conn.query_row("SELECT ifnull(max(seq), 0) FROM import_changes WHERE batch_id = ?1", [&batch], |r| r.get(0))?,
                };
                let started = Instant::now();
                let mut last_report = Instant::now() - PROGRESS_EVERY;
                let mut cancelled = false;
                // Reading, decoding and normalizing (phone parsing above all) run on a second
                // core while this thread writes; chunks keep the hand-over cheap.
                std::thread::scope(|scope| -> Result<()> {
                    let (to_writer, converted) = std::sync::mpsc::sync_channel::<(Vec<Converted>, u64)>(8);
                    let converter = &converter;
                    let producer = scope.spawn(move || -> Result<()> {
                        records.skip(resume_at)?;
                        loop {
                            let mut chunk = Vec::with_capacity(CHUNK_ROWS);
                            while chunk.len() < CHUNK_ROWS {
                                match records.next_record()? {
                                    Some(record) => chunk.push(Converted::of(record, converter)),
                                    None => break,
                                }
                            }
                            let last = chunk.len() < CHUNK_ROWS;
                            if !chunk.is_empty() && to_writer.send((chunk, records.byte_position())).is_err() {
                                return Ok(()); // the writer stopped (cancel or error)
                            }
                            if last {
                                return Ok(());
                            }
                        }
                    });
                    let mut rows = converted.into_iter().flat_map(|(chunk, position)| chunk.into_iter().map(move |c| (c, position)));
                    let mut finished = false;
                    while !finished && !cancelled {
                        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                        let mut in_tx = 0;
                        while in_tx < ROWS_PER_COMMIT {
                            if cancel.load(Ordering::Relaxed) {
                                cancelled = true;
                                break;
                            }
                            let Some((row, position)) = rows.next() else {
                                finished = true;
                                break;
                            };
                            run.row(&tx, row)?;
                            in_tx += 1;
                            if last_report.elapsed() >= PROGRESS_EVERY {
                                last_report = Instant::now();
                                progress(&run.progress(position as f64 / file_size as f64, started.elapsed(), resume_at));
                            }
                        }
                        run.save_counts(&tx)?;
                        tx.commit()?;
                    }
                    drop(rows);
                    // A read error ends the rows early: it must fail the batch, not complete it.
                    producer.join().map_err(|_| AppError::new(ErrorCode::Internal, "The CSV reader crashed"))??;
                    Ok(())
                })?;
                progress(&run.progress(1.0, started.elapsed(), resume_at));
                let status = if cancelled { "cancelled" } else { "completed" };
                let message = if cancelled { Some("Cancelled: the rows imported so far stay until you undo the import".to_owned()) } else { None };
                conn.execute(
                    "UPDATE import_batches SET status = ?2, message = ?3, finished_at = ?4 WHERE id = ?1",
                    rusqlite::params![batch, status, message, now()],
                )?;
                Ok(())
                })();
                conn.execute_batch(&format!("PRAGMA cache_size = {usual_cache}"))?;
                result
            })
            .await;
        if let Err(e) = &outcome {
            // The last committed rows stay; the batch says why it stopped and can be resumed or undone.
            sqlx::query("UPDATE import_batches SET status = 'failed', message = ?, finished_at = ? WHERE id = ?")
                .bind(&e.message)
                .bind(now())
                .bind(batch_id)
                .execute(&self.write)
                .await?;
        }
        drop(lock);
        outcome?;
        self.get_import(batch_id).await
    }

    pub async fn get_import(&self, batch_id: &str) -> Result<ImportSummary> {
        let row = sqlx::query_as::<_, SummaryRow>(&format!("{SUMMARY_SELECT} WHERE id = ?"))
            .bind(batch_id)
            .fetch_optional(&self.read)
            .await?
            .ok_or_else(|| AppError::not_found("import", batch_id))?;
        Ok(self.with_liveness(row.into()))
    }

    /// Imports newest first. A batch still marked running whose process is gone reads as
    /// "interrupted": it can be resumed or undone.
    pub async fn list_imports(&self) -> Result<Vec<ImportSummary>> {
        let rows = sqlx::query_as::<_, SummaryRow>(&format!("{SUMMARY_SELECT} WHERE space_id = ? ORDER BY id DESC LIMIT 200"))
            .bind(&self.identity().space_id)
            .fetch_all(&self.read)
            .await?;
        Ok(rows.into_iter().map(|r| self.with_liveness(r.into())).collect())
    }

    fn with_liveness(&self, mut summary: ImportSummary) -> ImportSummary {
        if summary.status == "running" {
            if let Ok(Some(_free)) = BatchLock::take(batch_lock_path(self.path(), &summary.batch_id)) {
                summary.status = "interrupted".into();
                summary.message = Some(format!(
                    "Interrupted after {} rows: every row up to there is complete; resume to import the rest or undo to remove them",
                    summary.rows
                ));
            }
        }
        summary
    }

    /// The rows of a batch that were not imported (or imported with a warning) as CSV:
    /// line, status, reason, then the original row.
    pub async fn write_import_errors(&self, batch_id: &str, out: &Path) -> Result<u64> {
        let rows: Vec<(i64, String, String, String)> =
            sqlx::query_as("SELECT line, kind, reason, raw FROM import_errors WHERE batch_id = ? ORDER BY line")
                .bind(batch_id)
                .fetch_all(&self.read)
                .await?;
        let cannot = |e: &dyn std::fmt::Display| AppError::field(ErrorCode::UnwritableFile, "out", format!("Cannot write {}: {e}", out.display()));
        let mut writer = csv::Writer::from_path(out).map_err(|e| cannot(&e))?;
        writer.write_record(["line", "status", "reason", "original row"]).map_err(|e| cannot(&e))?;
        for (line, kind, reason, raw) in &rows {
            writer.write_record([line.to_string().as_str(), kind, reason, raw]).map_err(|e| cannot(&e))?;
        }
        writer.flush().map_err(|e| cannot(&e))?;
        Ok(rows.len() as u64)
    }

    /// Removes the leads a batch created and restores the fields it overwrote, unless they were
    /// edited again since (those edits stay and are counted).
    pub async fn undo_import(&self, batch_id: &str) -> Result<UndoSummary> {
        let lock = BatchLock::take(batch_lock_path(self.path(), batch_id))?
            .ok_or_else(|| AppError::new(ErrorCode::Busy, "This import is still running; cancel it first"))?;
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM import_batches WHERE id = ?")
            .bind(batch_id)
            .fetch_optional(&self.read)
            .await?;
        match status.as_deref() {
            None => return Err(AppError::not_found("import", batch_id)),
            Some("undone") => return Err(AppError::new(ErrorCode::AlreadyUndone, "This import was already undone")),
            _ => {}
        }
        // An undo rewrites many leads at once: a snapshot first, so it can itself be undone.
        self.create_backup(crate::backup::BackupKind::PreUndo).await?;
        let batch = batch_id.to_owned();
        let user_id = self.identity().user_id.clone();
        let space_id = self.identity().space_id.clone();
        let summary = self
            .with_bulk_writer(move |conn| {
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let mut summary = UndoSummary { batch_id: batch.clone(), removed: 0, restored: 0, kept_later_edits: 0 };
                let ts = now();
                {
                    let mut changes = tx.prepare(
                        "SELECT c.lead_id, c.action, c.before, c.after, l.num FROM import_changes c JOIN leads l ON l.id = c.lead_id
                         WHERE c.batch_id = ?1 AND l.deleted_at IS NULL ORDER BY c.seq DESC",
                    )?;
                    let mut rows = changes.query([&batch])?;
                    while let Some(row) = rows.next()? {
                        let (lead_id, action, before, after, num): (String, String, Option<String>, Option<String>, i64) =
                            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?);
                        if action == "inserted" {
                            tx.execute("UPDATE leads SET deleted_at = ?2, updated_at = ?2 WHERE id = ?1", rusqlite::params![lead_id, ts])?;
                            tx.execute("DELETE FROM leads_fts WHERE rowid = ?1", [num])?;
                            tx.execute(
                                "UPDATE reminders SET deleted_at = ?2, fire_at = NULL, updated_at = ?2 WHERE lead_id = ?1 AND deleted_at IS NULL",
                                rusqlite::params![lead_id, ts],
                            )?;
                            summary.removed += 1;
                            continue;
                        }
                        let before: Map<String, JsonValue> = serde_json::from_str(before.as_deref().unwrap_or("{}"))?;
                        let after: Map<String, JsonValue> = serde_json::from_str(after.as_deref().unwrap_or("{}"))?;
                        let current = read_columns(&tx, num)?;
                        let mut restore = Map::new();
                        for (column, old) in &before {
                            if current.get(column) == after.get(column) {
                                restore.insert(column.clone(), old.clone());
                            } else {
                                summary.kept_later_edits += 1;
                            }
                        }
                        if !restore.is_empty() {
                            write_columns(&tx, num, &restore, &ts)?;
                            reindex(&tx, num, None)?;
                            let changes: Vec<FieldChange> = restore
                                .iter()
                                .map(|(c, old)| FieldChange { field: c.clone(), old: value_text(after.get(c)), new: value_text(Some(old)) })
                                .collect();
                            log_activity(&tx, &space_id, &lead_id, &user_id, "import_undone", &format!("Import {} undone: fields restored", short(&batch)), &changes, &ts)?;
                            summary.restored += 1;
                        }
                    }
                }
                tx.execute("UPDATE import_batches SET status = 'undone', undone_at = ?2 WHERE id = ?1", rusqlite::params![batch, ts])?;
                tx.commit()?;
                Ok(summary)
            })
            .await?;
        drop(lock);
        self.reminder_wake.notify_one();
        self.follow_import(batch_id).await;
        Ok(summary)
    }
}

fn check_mapping(mapping: &Mapping, headers: &[String]) -> Result<()> {
    if mapping.columns.len() != headers.len() {
        return Err(AppError::field(
            ErrorCode::InvalidMapping,
            "mapping",
            format!("The mapping has {} columns but the file has {}", mapping.columns.len(), headers.len()),
        ));
    }
    let mut seen = Vec::new();
    for c in &mapping.columns {
        let single = !matches!(c.target, FieldTarget::Custom | FieldTarget::Skip | FieldTarget::CustomFields);
        if single && seen.contains(&c.target) {
            return Err(AppError::field(ErrorCode::InvalidMapping, "mapping", format!("Two columns map to {}; map one of them elsewhere", c.target.label())));
        }
        seen.push(c.target);
    }
    Ok(())
}

fn short(id: &str) -> &str {
    &id[id.len().saturating_sub(8)..]
}

fn value_text(v: Option<&JsonValue>) -> Option<String> {
    match v {
        None | Some(JsonValue::Null) => None,
        Some(JsonValue::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    rows: u64,
    inserted: u64,
    updated: u64,
    skipped: u64,
    failed: u64,
    warnings: u64,
}

/// Columns an import may set, in the order `read_columns` returns them.
const COLUMNS: [&str; 25] = [
    "first_name", "last_name", "email", "email2", "phone", "phone_raw", "phone_display", "phone2", "phone2_raw", "website",
    "external_id", "company_id", "job_title", "stage_id", "source_id", "status", "score", "budget", "authority", "need",
    "timeline", "notes", "custom_fields", "name_key", "company_key",
];

/// One INSERT with every import column; those a row does not set take the table's defaults.
/// Built once: it is the per-row statement of every import.
static INSERT_LEAD: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    // The score has its own table (see `write_score`); its parameter is bound but not used here.
    let stored = || COLUMNS.iter().enumerate().filter(|(_, c)| **c != "score");
    format!(
        "INSERT INTO leads (id, space_id, user_id, assigned_to, created_at, updated_at, {}) VALUES (?1, ?2, ?3, ?3, ?4, ?5, {})",
        stored().map(|(_, c)| *c).collect::<Vec<_>>().join(", "),
        stored()
            .map(|(i, c)| match *c {
                "first_name" | "last_name" | "name_key" | "company_key" => format!("ifnull(?{}, '')", i + 6),
                "status" => format!("ifnull(?{}, 'open')", i + 6),
                "custom_fields" => format!("ifnull(?{}, '{{}}')", i + 6),
                _ => format!("?{}", i + 6),
            })
            .collect::<Vec<_>>()
            .join(", ")
    )
});

fn read_columns(tx: &rusqlite::Transaction, num: i64) -> Result<Map<String, JsonValue>> {
    let columns: Vec<&str> = COLUMNS.iter().map(|c| if *c == "score" { "s.score" } else { c }).collect();
    let mut stmt = tx.prepare_cached(&format!("SELECT {} FROM leads JOIN scores s ON s.lead_num = num WHERE num = ?1", columns.join(", ")))?;
    Ok(stmt.query_row([num], |row| {
        let mut map = Map::new();
        for (i, column) in COLUMNS.iter().enumerate() {
            let value = match row.get_ref(i)? {
                rusqlite::types::ValueRef::Null => JsonValue::Null,
                rusqlite::types::ValueRef::Integer(n) => json!(n),
                rusqlite::types::ValueRef::Real(f) => json!(f),
                rusqlite::types::ValueRef::Text(t) => JsonValue::String(String::from_utf8_lossy(t).into_owned()),
                rusqlite::types::ValueRef::Blob(_) => JsonValue::Null,
            };
            map.insert((*column).to_owned(), value);
        }
        Ok(map)
    })?)
}

fn sql_value(value: Option<&JsonValue>) -> rusqlite::types::Value {
    match value {
        None | Some(JsonValue::Null) => rusqlite::types::Value::Null,
        Some(JsonValue::Number(n)) => rusqlite::types::Value::Integer(n.as_i64().unwrap_or(0)),
        Some(JsonValue::String(s)) => rusqlite::types::Value::Text(s.clone()),
        Some(other) => rusqlite::types::Value::Text(other.to_string()),
    }
}

/// Writes the given columns (names from `COLUMNS` only, never from input) of lead `num`.
fn write_columns(tx: &rusqlite::Transaction, num: i64, values: &Map<String, JsonValue>, ts: &str) -> Result<()> {
    for (column, value) in values {
        let column = COLUMNS.iter().find(|c| **c == column).ok_or_else(|| AppError::new(ErrorCode::Internal, format!("unknown column {column}")))?;
        if *column == "score" {
            write_score(tx, num, Some(value))?;
            continue;
        }
        tx.prepare_cached(&format!("UPDATE leads SET {column} = ?2 WHERE num = ?1"))?.execute(rusqlite::params![num, sql_value(Some(value))])?;
    }
    tx.prepare_cached("UPDATE leads SET updated_at = ?2 WHERE num = ?1")?.execute(rusqlite::params![num, ts])?;
    Ok(())
}

/// Sets the score of lead `num` (scores live in their own table; its row came with the lead).
fn write_score(tx: &rusqlite::Transaction, num: i64, value: Option<&JsonValue>) -> Result<()> {
    if let Some(score) = value.and_then(JsonValue::as_i64) {
        tx.prepare_cached("UPDATE scores SET score = ?2 WHERE lead_num = ?1")?.execute([num, score])?;
    }
    Ok(())
}

/// Re-reads lead `num` and replaces its full-text entry.
/// `phone_digits`: the search digits of the lead's phone when the caller has them (parsing the
/// stored number again costs more than the rest of the row).
fn reindex(tx: &rusqlite::Transaction, num: i64, phone_digits: Option<String>) -> Result<()> {
    tx.prepare_cached("DELETE FROM leads_fts WHERE rowid = ?1")?.execute([num])?;
    let (first, last, email, phone, phone_raw, company, title, notes): (String, String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>) =
        tx.prepare_cached(
            "SELECT l.first_name, l.last_name, l.email, l.phone, l.phone_raw, c.name, l.job_title, l.notes
             FROM leads l LEFT JOIN companies c ON c.id = l.company_id WHERE l.num = ?1",
        )?
        .query_row([num], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)))?;
    let region = phonenumber::country::Id::US;
    let digits = match (phone_digits, &phone, &phone_raw) {
        (Some(digits), _, _) => digits,
        (None, Some(e164), _) => crate::validate::normalize_phone(e164, region).map(|p| p.search_digits).unwrap_or_default(),
        (None, None, Some(raw)) => raw.chars().filter(char::is_ascii_digit).collect(),
        _ => String::new(),
    };
    tx.prepare_cached(crate::search::FTS_INSERT)?
        .execute(rusqlite::params![num, format!("{first} {last}"), email, digits, company, title, notes])?;
    Ok(())
}

/// One timeline entry. A plain single-row INSERT on purpose: a statement that might write several
/// rows (INSERT … SELECT) opens a statement savepoint, and FTS5 flushes its pending index to disk at
/// every savepoint — per row, that made the search index the slowest part of an import.
#[allow(clippy::too_many_arguments)]
fn log_activity(
    tx: &rusqlite::Transaction,
    space_id: &str,
    lead_id: &str,
    user_id: &str,
    kind: &str,
    description: &str,
    changes: &[FieldChange],
    ts: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO lead_activities (id, space_id, lead_id, user_id, activity_type, description, activity_data, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?
    .execute(rusqlite::params![new_id(), space_id, lead_id, user_id, kind, description, json!({ "changes": changes }).to_string(), ts])?;
    Ok(())
}

/// The state of one batch while its rows are written.
struct BatchRun<'a> {
    batch: &'a str,
    file_name: &'a str,
    identity: &'a crate::Identity,
    options: &'a BatchOptions,
    delimiter: u8,
    counts: Counts,
    /// Stage, source and company ids by lower-cased name.
    refs: HashMap<(&'static str, String), String>,
    /// Leads this batch wrote: a later match to one of them is a duplicate inside the file.
    touched: std::collections::HashSet<i64>,
    seq: i64,
}

impl BatchRun<'_> {
    fn progress(&self, fraction: f64, elapsed: Duration, resumed_at: u64) -> ImportProgress {
        let secs = elapsed.as_secs_f64().max(1e-3);
        let rate = (self.counts.rows - resumed_at) as f64 / secs;
        let fraction = fraction.clamp(0.0, 1.0);
        ImportProgress {
            batch_id: self.batch.to_owned(),
            rows: self.counts.rows,
            inserted: self.counts.inserted,
            updated: self.counts.updated,
            skipped: self.counts.skipped,
            failed: self.counts.failed,
            fraction,
            rows_per_second: rate,
            eta_seconds: (fraction > 0.0 && fraction < 1.0).then(|| secs * (1.0 - fraction) / fraction),
        }
    }

    fn save_counts(&self, tx: &rusqlite::Transaction) -> Result<()> {
        let c = self.counts;
        tx.execute(
            "UPDATE import_batches SET rows_read = ?2, inserted = ?3, updated = ?4, skipped = ?5, failed = ?6, warnings = ?7 WHERE id = ?1",
            rusqlite::params![self.batch, c.rows as i64, c.inserted as i64, c.updated as i64, c.skipped as i64, c.failed as i64, c.warnings as i64],
        )?;
        Ok(())
    }

    fn note(&mut self, tx: &rusqlite::Transaction, line: u64, kind: &str, fields: &[String], reason: &str) -> Result<()> {
        tx.prepare_cached("INSERT INTO import_errors (batch_id, line, kind, raw, reason) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(rusqlite::params![self.batch, line as i64, kind, to_csv_line(fields, self.delimiter), reason])?;
        Ok(())
    }

    /// One record: counted exactly once as inserted, updated, skipped or failed.
    fn row(&mut self, tx: &rusqlite::Transaction, converted: Converted) -> Result<()> {
        let Converted { record, lead } = converted;
        self.counts.rows += 1;
        if let Some(problem) = &record.problem {
            self.counts.failed += 1;
            return self.note(tx, record.line, "failed", &record.fields, problem);
        }
        if record.is_blank() {
            self.counts.skipped += 1;
            return self.note(tx, record.line, "skipped", &record.fields, "blank row");
        }
        let (lead, cells) = lead.expect("converted unless blank or broken");
        if let Some(error) = row_error(&lead, &cells) {
            self.counts.failed += 1;
            return self.note(tx, record.line, "failed", &record.fields, &format!("line {}: {error}", record.line));
        }
        let matched = self.find_match(tx, &lead)?;
        let outcome: std::result::Result<bool, String> = match (self.options.mode, matched) {
            (ImportMode::Create, Some(num)) => Err(self.duplicate_reason(tx, num)?),
            (ImportMode::Update, None) => Err(match self.missing_key(&lead) {
                Some(key) => format!("the row has no {} to match a lead by", key.label()),
                None => "no lead matches the row's match keys".to_owned(),
            }),
            (_, Some(num)) => {
                if !self.update(tx, num, &lead)? {
                    // Matched and already up to date: counted as skipped, not worth an error-file line.
                    self.counts.skipped += 1;
                    return Ok(());
                }
                Ok(true)
            }
            (_, None) => {
                self.insert(tx, &lead)?;
                Ok(false)
            }
        };
        match outcome {
            Ok(updated) => {
                if updated {
                    self.counts.updated += 1
                } else {
                    self.counts.inserted += 1
                }
                let warnings: Vec<&str> = cells.iter().filter_map(|c| c.warning.as_deref()).collect();
                if !warnings.is_empty() {
                    self.counts.warnings += 1;
                    self.note(tx, record.line, "warning", &record.fields, &format!("line {}: {}", record.line, warnings.join("; ")))?;
                }
                Ok(())
            }
            Err(reason) => {
                self.counts.skipped += 1;
                self.note(tx, record.line, "skipped", &record.fields, &format!("line {}: {reason}", record.line))
            }
        }
    }

    fn missing_key(&self, lead: &ImportedLead) -> Option<MatchKey> {
        self.options.match_keys.iter().copied().find(|k| match k {
            MatchKey::Email => lead.email.is_none(),
            MatchKey::Phone => lead.phone.is_none(),
            MatchKey::ExternalId => lead.external_id.is_none(),
            MatchKey::CompanyName => lead.company.is_none(),
        })
    }

    fn duplicate_reason(&self, tx: &rusqlite::Transaction, num: i64) -> Result<String, AppError> {
        let id: String = tx.prepare_cached("SELECT id FROM leads WHERE num = ?1")?.query_row([num], |r| r.get(0))?;
        Ok(if self.touched.contains(&num) {
            format!("duplicate of an earlier row of this file (lead {id})")
        } else {
            format!("a lead with the same match keys exists (lead {id})")
        })
    }

    /// The lead all match keys agree on, if the row has a value for every key.
    fn find_match(&mut self, tx: &rusqlite::Transaction, lead: &ImportedLead) -> Result<Option<i64>> {
        if self.options.match_keys.is_empty() || self.missing_key(lead).is_some() {
            return Ok(None);
        }
        let mut sql = String::from("SELECT num FROM leads WHERE deleted_at IS NULL");
        let mut params: Vec<String> = Vec::new();
        for key in &self.options.match_keys {
            match key {
                MatchKey::Email => {
                    // `email IS NOT NULL` lets SQLite use the partial index leads_by_email_key.
                    sql.push_str(" AND email IS NOT NULL AND lower(email) = ?");
                    params.push(lead.email.as_deref().unwrap_or_default().to_lowercase());
                }
                MatchKey::Phone => {
                    let phone = lead.phone.as_ref().expect("checked by missing_key");
                    // A number that does not parse has no E.164 to compare: it matches nothing.
                    let Some(p) = &phone.parsed else { return Ok(None) };
                    sql.push_str(" AND phone = ?");
                    params.push(p.e164.clone());
                }
                MatchKey::ExternalId => {
                    sql.push_str(" AND external_id IS NOT NULL AND external_id = ?");
                    params.push(lead.external_id.clone().unwrap_or_default());
                }
                MatchKey::CompanyName => {
                    let Some(company_id) = self.lookup_company(tx, lead.company.as_deref().unwrap_or_default())? else {
                        return Ok(None);
                    };
                    sql.push_str(" AND company_id = ? AND name_key = ?");
                    params.push(company_id);
                    params.push(name_key(lead.first_name.as_deref().unwrap_or(""), lead.last_name.as_deref().unwrap_or("")));
                }
            }
        }
        sql.push_str(" LIMIT 1");
        let found = tx.prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0));
        match found {
            Ok(num) => Ok(Some(num)),
            Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn lookup_company(&mut self, tx: &rusqlite::Transaction, name: &str) -> Result<Option<String>> {
        let key = name.trim().to_lowercase();
        if let Some(id) = self.refs.get(&("company", key.clone())) {
            return Ok(Some(id.clone()));
        }
        let found = tx
            .prepare_cached("SELECT id FROM companies WHERE space_id = ?1 AND name_key = ?2 AND deleted_at IS NULL ORDER BY created_at LIMIT 1")?
            .query_row(rusqlite::params![self.identity.space_id, key], |r| r.get::<_, String>(0));
        match found {
            Ok(id) => {
                self.remember(("company", key), id.clone());
                Ok(Some(id))
            }
            Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn remember(&mut self, key: (&'static str, String), id: String) {
        // Bounded: a file of a million distinct companies must not grow this without end.
        if self.refs.len() > 50_000 {
            self.refs.clear();
        }
        self.refs.insert(key, id);
    }

    fn company_id(&mut self, tx: &rusqlite::Transaction, name: &str) -> Result<String> {
        if let Some(id) = self.lookup_company(tx, name)? {
            return Ok(id);
        }
        let id = new_id();
        let ts = now();
        tx.prepare_cached("INSERT INTO companies (id, space_id, user_id, name, name_key, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)")?
            .execute(rusqlite::params![id, self.identity.space_id, self.identity.user_id, name.trim(), name.trim().to_lowercase(), ts])?;
        self.remember(("company", name.trim().to_lowercase()), id.clone());
        Ok(id)
    }

    /// A stage or source by name (case-insensitive); a name the store does not know yet is added.
    fn named_ref(&mut self, tx: &rusqlite::Transaction, table: &'static str, name: &str) -> Result<String> {
        let key = name.trim().to_lowercase();
        if let Some(id) = self.refs.get(&(table, key.clone())) {
            return Ok(id.clone());
        }
        // `table` is one of two constants below, never input.
        let found = tx
            .prepare_cached(&format!("SELECT id FROM {table} WHERE space_id = ?1 AND lower(name) = ?2 AND deleted_at IS NULL LIMIT 1"))?
            .query_row(rusqlite::params![self.identity.space_id, key], |r| r.get::<_, String>(0));
        let id = match found {
            Ok(id) => id,
            Err(rusqlite::Error::QueryReturnedNoRows) => {
                let id = new_id();
                let ts = now();
                if table == "lead_stages" {
                    tx.execute(
                        "INSERT INTO lead_stages (id, space_id, user_id, name, stage_order, color, created_at, updated_at)
                         SELECT ?1, ?2, ?3, ?4, ifnull(max(stage_order), 0) + 1, '#94a3b8', ?5, ?5 FROM lead_stages WHERE space_id = ?2",
                        rusqlite::params![id, self.identity.space_id, self.identity.user_id, name.trim(), ts],
                    )?;
                } else {
                    tx.execute(
                        "INSERT INTO lead_sources (id, space_id, user_id, name, type, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'import', ?5, ?5)",
                        rusqlite::params![id, self.identity.space_id, self.identity.user_id, name.trim(), ts],
                    )?;
                }
                id
            }
            Err(e) => return Err(e.into()),
        };
        self.remember((table, key), id.clone());
        Ok(id)
    }

    /// The columns the row sets, as stored.
    fn column_values(&mut self, tx: &rusqlite::Transaction, lead: &ImportedLead) -> Result<Map<String, JsonValue>> {
        let mut v = Map::new();
        let mut set = |column: &str, value: Option<String>| {
            if let Some(value) = value {
                v.insert(column.to_owned(), JsonValue::String(value));
            }
        };
        set("first_name", lead.first_name.clone());
        set("last_name", lead.last_name.clone());
        set("email", lead.email.clone());
        set("email2", lead.email2.clone());
        if let Some(p) = &lead.phone {
            set("phone_raw", Some(p.raw.clone()));
            set("phone", p.parsed.as_ref().map(|p| p.e164.clone()));
            set("phone_display", p.parsed.as_ref().map(|p| p.display.clone()));
        }
        if let Some(p) = &lead.phone2 {
            set("phone2_raw", Some(p.raw.clone()));
            set("phone2", p.parsed.as_ref().map(|p| p.e164.clone()));
        }
        set("website", lead.website.clone());
        set("external_id", lead.external_id.clone());
        set("job_title", lead.job_title.clone());
        set("status", lead.status.clone());
        set("budget", lead.budget.clone());
        set("authority", lead.authority.clone());
        set("need", lead.need.clone());
        set("timeline", lead.timeline.clone());
        set("notes", lead.notes.clone());
        if let Some(company) = &lead.company {
            let id = self.company_id(tx, company)?;
            v.insert("company_id".into(), JsonValue::String(id));
            v.insert("company_key".into(), JsonValue::String(company.trim().to_lowercase()));
        }
        if let Some(stage) = &lead.stage {
            let id = self.named_ref(tx, "lead_stages", stage)?;
            v.insert("stage_id".into(), JsonValue::String(id));
        }
        if let Some(source) = &lead.source {
            let id = self.named_ref(tx, "lead_sources", source)?;
            v.insert("source_id".into(), JsonValue::String(id));
        }
        if let Some(score) = lead.score {
            v.insert("score".into(), json!(score));
        }
        Ok(v)
    }

    fn record_change(&mut self, tx: &rusqlite::Transaction, lead_id: &str, action: &str, before: Option<&Map<String, JsonValue>>, after: Option<&Map<String, JsonValue>>) -> Result<()> {
        self.seq += 1;
        tx.prepare_cached("INSERT INTO import_changes (batch_id, seq, lead_id, action, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
            .execute(rusqlite::params![
                self.batch,
                self.seq,
                lead_id,
                action,
                before.map(|b| JsonValue::Object(b.clone()).to_string()),
                after.map(|a| JsonValue::Object(a.clone()).to_string()),
            ])?;
        Ok(())
    }

    fn insert(&mut self, tx: &rusqlite::Transaction, lead: &ImportedLead) -> Result<()> {
        let mut values = self.column_values(tx, lead)?;
        let first = lead.first_name.clone().unwrap_or_default();
        let last = lead.last_name.clone().unwrap_or_default();
        values.insert("name_key".into(), JsonValue::String(name_key(&first, &last)));
        if !lead.custom.is_empty() {
            values.insert("custom_fields".into(), JsonValue::String(JsonValue::Object(lead.custom.clone()).to_string()));
        }
        if !values.contains_key("stage_id") {
            let default_stage: Option<String> = tx
                .prepare_cached("SELECT id FROM lead_stages WHERE space_id = ?1 AND deleted_at IS NULL ORDER BY is_default DESC, stage_order LIMIT 1")?
                .query_row([&self.identity.space_id], |r| r.get(0))
                .ok();
            if let Some(stage) = default_stage {
                values.insert("stage_id".into(), JsonValue::String(stage));
            }
        }
        let id = new_id();
        let ts = now();
        let created = lead.created_at.clone().unwrap_or_else(|| ts.clone());
        let mut params: Vec<rusqlite::types::Value> = vec![
            id.clone().into(), self.identity.space_id.clone().into(), self.identity.user_id.clone().into(), created.into(), ts.clone().into(),
        ];
        params.extend(COLUMNS.iter().map(|c| sql_value(values.get(*c))));
        tx.prepare_cached(&INSERT_LEAD)?.execute(rusqlite::params_from_iter(params))?;
        let num = tx.last_insert_rowid();
        write_score(tx, num, values.get("score"))?;
        reindex_lead(tx, num, lead)?;
        self.touched.insert(num);
        self.record_change(tx, &id, "inserted", None, None)?;
        log_activity(tx, &self.identity.space_id, &id, &self.identity.user_id, "imported", &format!("Imported from {} (import {})", self.file_name, short(self.batch)), &[], &ts)
    }

    /// Returns false when the lead already holds every value of the row (nothing written).
    fn update(&mut self, tx: &rusqlite::Transaction, num: i64, lead: &ImportedLead) -> Result<bool> {
        let before_all = read_columns(tx, num)?;
        let mut values = self.column_values(tx, lead)?;
        if lead.first_name.is_some() || lead.last_name.is_some() {
            let first = lead.first_name.clone().or_else(|| before_all["first_name"].as_str().map(str::to_owned)).unwrap_or_default();
            let last = lead.last_name.clone().or_else(|| before_all["last_name"].as_str().map(str::to_owned)).unwrap_or_default();
            values.insert("name_key".into(), JsonValue::String(name_key(&first, &last)));
        }
        if !lead.custom.is_empty() {
            let mut custom: Map<String, JsonValue> =
                before_all["custom_fields"].as_str().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
            custom.extend(lead.custom.clone());
            values.insert("custom_fields".into(), JsonValue::String(JsonValue::Object(custom).to_string()));
        }
        // The same address in another case, the same number written another way: keep them as they are.
        let same_text = |column: &str, values: &Map<String, JsonValue>| {
            let lower = |v: Option<&JsonValue>| v.and_then(|v| v.as_str()).map(str::to_lowercase);
            lower(values.get(column)).is_some() && lower(values.get(column)) == lower(before_all.get(column))
        };
        for column in ["email", "email2"] {
            if same_text(column, &values) {
                values.remove(column);
            }
        }
        for (number, written) in [("phone", ["phone_raw", "phone_display"].as_slice()), ("phone2", ["phone2_raw"].as_slice())] {
            if values.get(number).is_some() && values.get(number) == before_all.get(number) {
                for column in written {
                    values.remove(*column);
                }
            }
        }
        // Only what differs is written and remembered for undo.
        values.retain(|column, value| before_all.get(column) != Some(value));
        self.touched.insert(num);
        if values.is_empty() {
            return Ok(false);
        }
        let before: Map<String, JsonValue> = values.keys().map(|c| (c.clone(), before_all[c].clone())).collect();
        let ts = now();
        write_columns(tx, num, &values, &ts)?;
        reindex(tx, num, lead.phone.as_ref().map(|p| p.search_digits()))?;
        let id: String = tx.prepare_cached("SELECT id FROM leads WHERE num = ?1")?.query_row([num], |r| r.get(0))?;
        self.record_change(tx, &id, "updated", Some(&before), Some(&values))?;
        let changes: Vec<FieldChange> = values
            .iter()
            .map(|(c, new)| FieldChange { field: c.clone(), old: value_text(before.get(c)), new: value_text(Some(new)) })
            .collect();
        log_activity(tx, &self.identity.space_id, &id, &self.identity.user_id, "import_updated", &format!("Updated by import from {} (import {})", self.file_name, short(self.batch)), &changes, &ts)?;
        Ok(true)
    }
}

/// The full-text entry of a lead just inserted from `lead` (no need to read it back).
fn reindex_lead(tx: &rusqlite::Transaction, num: i64, lead: &ImportedLead) -> Result<()> {
    tx.prepare_cached(crate::search::FTS_INSERT)?
        .execute(rusqlite::params![
            num,
            format!("{} {}", lead.first_name.as_deref().unwrap_or(""), lead.last_name.as_deref().unwrap_or("")),
            lead.email,
            lead.phone.as_ref().map(|p| p.search_digits()),
            lead.company,
            lead.job_title,
            lead.notes,
        ])?;
    Ok(())
}
