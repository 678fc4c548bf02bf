//! CSV export of the leads view (its filter and sort) or of all leads. The headers are the
//! ones auto-mapping reads back, so export → import into an empty store loses nothing.

use crate::error::ErrorCode;
use super::mapping::FieldTarget;
use crate::error::{AppError, Result};
use crate::leads::{LeadSort, SortDir};
use crate::Store;
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ExportRequest {
    pub sort: LeadSort,
    pub dir: SortDir,
    /// Only the leads of this company.
    pub company_id: Option<String>,
    /// Only leads matching this search (as the search box).
    pub search: Option<String>,
    /// Only the current members of this segment.
    #[serde(default)]
    pub segment_id: Option<String>,
    /// A byte-order mark so Excel reads UTF-8.
    pub bom: bool,
    /// "," (default) or ";" (Excel in locales with a decimal comma).
    pub delimiter: String,
}

impl Default for ExportRequest {
    fn default() -> Self {
        Self { sort: LeadSort::CreatedAt, dir: SortDir::Asc, company_id: None, search: None, segment_id: None, bom: false, delimiter: ",".into() }
    }
}

/// Columns written, in order: (header target, SQL expression over `l`, `c`, `st`, `so`).
const EXPORT_COLUMNS: [(FieldTarget, &str); 21] = [
    (FieldTarget::FirstName, "l.first_name"),
    (FieldTarget::LastName, "l.last_name"),
    (FieldTarget::Email, "l.email"),
    (FieldTarget::Email2, "l.email2"),
    (FieldTarget::Phone, "ifnull(l.phone_raw, l.phone)"),
    (FieldTarget::Phone2, "ifnull(l.phone2_raw, l.phone2)"),
    (FieldTarget::Company, "c.name"),
    (FieldTarget::JobTitle, "l.job_title"),
    (FieldTarget::Website, "l.website"),
    (FieldTarget::Stage, "st.name"),
    (FieldTarget::Source, "so.name"),
    (FieldTarget::Status, "l.status"),
    (FieldTarget::Score, "CAST(s.score AS TEXT)"),
    (FieldTarget::Budget, "l.budget"),
    (FieldTarget::Authority, "l.authority"),
    (FieldTarget::Need, "l.need"),
    (FieldTarget::Timeline, "l.timeline"),
    (FieldTarget::Notes, "l.notes"),
    (FieldTarget::CreatedAt, "l.created_at"),
    (FieldTarget::ExternalId, "l.external_id"),
    (FieldTarget::CustomFields, "CASE WHEN l.custom_fields = '{}' THEN NULL ELSE l.custom_fields END"),
];

impl Store {
    /// Writes the leads to `out` (streamed: a million rows never sit in memory); returns how many.
    /// Written next to the target and renamed at the end: a failed export leaves no half file.
    pub async fn export_csv(&self, out: &Path, req: &ExportRequest) -> Result<u64> {
        let cannot = |e: &dyn std::fmt::Display| AppError::field(ErrorCode::UnwritableFile, "out", format!("Cannot write {}: {e}", out.display()));
        let partial = out.with_extension("csv.partial");
        let file = std::io::BufWriter::new(std::fs::File::create(&partial).map_err(|e| cannot(&e))?);
        let written = self.export_to(file, req).await.map_err(|e| match e {
            ExportError::Write(e) => cannot(&e),
            ExportError::Store(e) => e,
        });
        let (count, file) = match written {
            Ok(done) => done,
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        };
        let synced = file.into_inner().map_err(|e| cannot(e.error())).and_then(|f| f.sync_all().map_err(|e| cannot(&e)));
        if let Err(e) = synced.and_then(|_| std::fs::rename(&partial, out).map_err(|e| cannot(&e))) {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
        Ok(count)
    }

    /// Streams the leads as CSV into `out` (a file, or standard output for the CLI: no copy of
    /// the leads is staged anywhere else). Returns how many rows and the writer.
    pub async fn export_to<W: Write>(&self, out: W, req: &ExportRequest) -> std::result::Result<(u64, W), ExportError> {
        let delimiter = super::reader::parse_delimiter(&req.delimiter)?;
        let (key, tiebreak) = (req.sort.key_sql(), req.sort.tiebreak_sql());
        let order = match req.dir {
            SortDir::Asc => "ASC",
            SortDir::Desc => "DESC",
        };
        let expressions: Vec<&str> = EXPORT_COLUMNS.iter().map(|(_, e)| *e).collect();
        let mut sql = format!(
            "SELECT {} FROM leads l JOIN scores s ON s.lead_num = l.num LEFT JOIN companies c ON c.id = l.company_id LEFT JOIN lead_stages st ON st.id = l.stage_id
             LEFT JOIN lead_sources so ON so.id = l.source_id WHERE l.deleted_at IS NULL",
            expressions.join(", ")
        );
        if req.company_id.is_some() {
            sql.push_str(" AND l.company_id = ?");
        }
        if req.segment_id.is_some() {
            sql.push_str(" AND l.num IN (SELECT lead_num FROM segment_members WHERE segment_id = ? AND left_refresh IS NULL)");
        }
        let search = req.search.as_deref().and_then(crate::search::fts_query);
        if search.is_some() {
            sql.push_str(" AND l.num IN (SELECT rowid FROM leads_fts WHERE leads_fts MATCH ?)");
        }
        sql.push_str(&format!(" ORDER BY {key} {order}, {tiebreak} {order}"));
        let mut query = sqlx::query_as::<_, ExportRow>(&sql);
        if let Some(company) = &req.company_id {
            query = query.bind(company);
        }
        if let Some(segment) = &req.segment_id {
            query = query.bind(segment);
        }
        if let Some(search) = &search {
            query = query.bind(search);
        }
        let mut out = out;
        if req.bom {
            out.write_all(b"\xef\xbb\xbf")?;
        }
        let mut writer = csv::WriterBuilder::new().delimiter(delimiter).from_writer(out);
        writer.write_record(EXPORT_COLUMNS.iter().map(|(t, _)| t.label())).map_err(csv_error)?;
        let mut rows = query.fetch(&self.read);
        let mut count = 0u64;
        while let Some(row) = rows.try_next().await.map_err(AppError::from)? {
            writer.write_record(row.0.iter().map(|v| v.as_deref().unwrap_or(""))).map_err(csv_error)?;
            count += 1;
        }
        drop(rows);
        let out = writer.into_inner().map_err(|e| ExportError::Write(e.into_error()))?;
        Ok((count, out))
    }
}

/// Why an export stopped: the store, or the place it writes to (a full disk, a closed pipe).
#[derive(Debug)]
pub enum ExportError {
    Store(AppError),
    Write(std::io::Error),
}

impl From<AppError> for ExportError {
    fn from(e: AppError) -> Self {
        ExportError::Store(e)
    }
}

impl From<std::io::Error> for ExportError {
    fn from(e: std::io::Error) -> Self {
        ExportError::Write(e)
    }
}

fn csv_error(e: csv::Error) -> ExportError {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => ExportError::Write(e),
        other => ExportError::Store(AppError::new(ErrorCode::Export, format!("Cannot write a CSV record: {other:?}"))),
    }
}

struct ExportRow(Vec<Option<String>>);

impl<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> for ExportRow {
    fn from_row(row: &'r sqlx::sqlite::SqliteRow) -> std::result::Result<Self, sqlx::Error> {
        use sqlx::Row;
        (0..EXPORT_COLUMNS.len()).map(|i| row.try_get::<Option<String>, _>(i)).collect::<std::result::Result<_, _>>().map(ExportRow)
    }
}
