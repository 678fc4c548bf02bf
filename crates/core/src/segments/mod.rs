//! Segments: named queries over leads, refreshed into stored membership with history.
//!
//! A refresh evaluates the query over every lead into a set (a bitmap, see [`member_sets`]),
//! then writes only the difference to `segment_members` (entered: a new open interval stamped
//! with the refresh counter; left: the open interval closed at it). Automatic segments are also re-evaluated for
//! one lead inside every write transaction that changes it (see [`FOLLOWER`]), so they
//! stay current without rebuilds.

pub mod eval;
pub mod fields;
pub mod functions;
pub mod lower;
mod member_sets;
pub mod query;
pub mod sql;

use crate::error::ErrorCode;
use crate::changes::{ChangeSet, Follower};
use crate::clock::now;
use crate::error::{AppError, Result};
use crate::lead_rows::{LeadRow, ROW_COLUMNS, ROW_JOINS};
use crate::Store;
use chrono::{DateTime, Local, Utc};
use lower::{fold, LowerContext};
use query::{Expr, QueryError};
use serde::{Deserialize, Serialize};
use sql::{Compiled, Mode, Param};
use sqlx::{Sqlite, SqliteConnection, Transaction};
use std::collections::{HashMap, HashSet};
use std::time::Instant;
use ts_rs::TS;

/// Binds compiled parameters, in order, to any sqlx query (`query`, `query_as`, `query_scalar`).
macro_rules! bind_all {
    ($query:expr, $params:expr) => {{
        let mut query = $query;
        for param in $params {
            query = match param {
                Param::Text(s) => query.bind(s.as_str()),
                Param::Int(i) => query.bind(*i),
                Param::Real(f) => query.bind(*f),
            };
        }
        query
    }};
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SegmentKind {
    /// Members are the leads matching the query (plus includes, minus excludes).
    Dynamic,
    /// Hand-picked members.
    Static,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RefreshMode {
    Manual,
    /// Every `refresh_every_minutes`.
    Schedule,
    /// A changed lead is re-evaluated at once; a full refresh runs hourly for relative dates.
    Automatic,
}

/// What caused a refresh (shown in the history).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RefreshTrigger {
    Manual,
    Schedule,
    Automatic,
    /// Members added or removed by hand, or the query changed.
    Edit,
    Import,
}

impl RefreshTrigger {
    fn as_str(self) -> &'static str {
        match self {
            RefreshTrigger::Manual => "manual",
            RefreshTrigger::Schedule => "schedule",
            RefreshTrigger::Automatic => "automatic",
            RefreshTrigger::Edit => "edit",
            RefreshTrigger::Import => "import",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Segment {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    #[sqlx(try_from = "String")]
    pub kind: SegmentKind,
    pub query: Option<String>,
    #[sqlx(try_from = "String")]
    pub refresh_mode: RefreshMode,
    #[ts(type = "number | null")]
    pub refresh_every_minutes: Option<i64>,
    #[ts(type = "number")]
    pub refresh_counter: i64,
    #[ts(type = "number")]
    pub member_count: i64,
    pub last_refreshed_at: Option<String>,
    /// Why an automatic segment was skipped when leads last changed (its query cannot be
    /// evaluated: a segment it reads was deleted, say). None when it works.
    pub broken: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl TryFrom<String> for SegmentKind {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        serde_json::from_value(serde_json::Value::String(s.clone())).map_err(|_| format!("unknown segment kind {s}"))
    }
}

impl TryFrom<String> for RefreshMode {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        serde_json::from_value(serde_json::Value::String(s.clone())).map_err(|_| format!("unknown refresh mode {s}"))
    }
}

fn enum_str<T: Serialize>(value: T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SegmentInput {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub kind: SegmentKind,
    /// Required for dynamic segments, absent for static ones.
    #[serde(default)]
    pub query: Option<String>,
    pub refresh_mode: RefreshMode,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub refresh_every_minutes: Option<i64>,
}

impl SegmentInput {
    pub fn dynamic(name: &str, query: &str) -> Self {
        Self {
            name: name.into(),
            description: None,
            kind: SegmentKind::Dynamic,
            query: Some(query.into()),
            refresh_mode: RefreshMode::Manual,
            refresh_every_minutes: None,
        }
    }
}

/// A created or updated segment, and the refresh that followed (if the query changed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SegmentSaved {
    pub segment: Segment,
    pub refresh: Option<RefreshResult>,
}

/// What one refresh did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RefreshResult {
    pub segment_id: String,
    pub segment: String,
    #[ts(type = "number")]
    pub refresh_counter: i64,
    #[ts(type = "number")]
    pub members: i64,
    #[ts(type = "number")]
    pub entered: i64,
    #[ts(type = "number")]
    pub left: i64,
    #[ts(type = "number")]
    pub duration_ms: i64,
}

/// One refresh in a segment's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRecord {
    #[ts(type = "number")]
    pub refresh_counter: i64,
    pub trigger: String,
    pub query: Option<String>,
    #[ts(type = "number")]
    pub members: i64,
    #[ts(type = "number")]
    pub entered: i64,
    #[ts(type = "number")]
    #[sqlx(rename = "left_count")]
    pub left: i64,
    #[ts(type = "number")]
    pub duration_ms: i64,
    pub refreshed_at: String,
}

/// Who entered and who left at one refresh.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SegmentChanges {
    #[ts(type = "number")]
    pub refresh_counter: i64,
    pub entered: Vec<LeadRow>,
    pub left: Vec<LeadRow>,
}

/// A lead's time in a segment: "joined at refresh 3 (Nov 2), left at refresh 7 (Nov 9)".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct MembershipSpan {
    pub segment_id: String,
    pub segment_name: String,
    #[ts(type = "number")]
    pub entered_refresh: i64,
    pub entered_at: String,
    #[ts(type = "number | null")]
    pub left_refresh: Option<i64>,
    pub left_at: Option<String>,
}

/// The answer to "is this query right, and how many leads does it match".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueryCheck {
    /// The query as the builder edits it (when it parses).
    pub ast: Option<Expr>,
    /// The query printed back in canonical form.
    pub normalized: Option<String>,
    pub error: Option<QueryError>,
    #[ts(type = "number | null")]
    pub count: Option<i64>,
    #[ts(type = "number | null")]
    pub duration_ms: Option<i64>,
}

/// How a segment's stored row looks to the query machinery.
#[derive(Debug, Clone, sqlx::FromRow)]
struct SegmentRow {
    id: String,
    name: String,
    name_key: String,
    kind: String,
    refresh_mode: String,
    query: Option<String>,
    refresh_counter: i64,
    member_count: i64,
    broken: Option<String>,
}

/// Every live segment by folded name: resolves `in_segment("…")` and orders dependencies.
struct Directory {
    segments: Vec<SegmentRow>,
}

impl Directory {
    async fn load(conn: &mut SqliteConnection) -> Result<Self> {
        let segments = sqlx::query_as::<_, SegmentRow>(
            "SELECT id, name, name_key, kind, refresh_mode, query, refresh_counter, member_count, broken FROM segments WHERE deleted_at IS NULL",
        )
        .fetch_all(conn)
        .await?;
        Ok(Self { segments })
    }

    fn ids(&self) -> HashMap<String, String> {
        self.segments.iter().map(|s| (s.name_key.clone(), s.id.clone())).collect()
    }

    /// The dynamic segments that follow every change.
    fn automatic(&self) -> Vec<SegmentRow> {
        self.segments.iter().filter(|s| s.kind == "dynamic" && s.refresh_mode == "automatic").cloned().collect()
    }

    fn by_key(&self, key: &str) -> Option<&SegmentRow> {
        self.segments.iter().find(|s| s.name_key == key)
    }

    /// Folded names of the segments a segment's query reads.
    fn references(&self, row: &SegmentRow) -> Vec<String> {
        row.query.as_deref().and_then(|q| query::parse(q).ok()).map(|e| references_of(&e)).unwrap_or_default()
    }

    /// The chain `start → … → start` if following in_segment references from `start` (whose
    /// query would be `expr`) comes back to it.
    fn cycle_through(&self, start_key: &str, expr: &Expr) -> Option<Vec<String>> {
        fn visit(dir: &Directory, key: &str, target: &str, path: &mut Vec<String>, seen: &mut HashSet<String>) -> bool {
            if key == target {
                return true;
            }
            if !seen.insert(key.to_string()) {
                return false;
            }
            let Some(row) = dir.by_key(key) else { return false };
            path.push(row.name.clone());
            for next in dir.references(row) {
                if visit(dir, &next, target, path, seen) {
                    return true;
                }
            }
            path.pop();
            false
        }
        for first in references_of(expr) {
            let mut path = Vec::new();
            if visit(self, &first, start_key, &mut path, &mut HashSet::new()) {
                return Some(path);
            }
        }
        None
    }

    /// Names of the live segments whose queries read the segment with this key.
    fn used_by(&self, key: &str) -> Vec<String> {
        self.segments.iter().filter(|s| self.references(s).iter().any(|r| r == key)).map(|s| s.name.clone()).collect()
    }

    /// `rows` ordered so a segment comes after every segment (among `rows`) it reads.
    fn dependency_order<'a>(&self, rows: &'a [SegmentRow]) -> Vec<&'a SegmentRow> {
        let mut ordered: Vec<&SegmentRow> = Vec::with_capacity(rows.len());
        let mut placed = HashSet::new();
        fn place<'a>(dir: &Directory, rows: &'a [SegmentRow], row: &'a SegmentRow, placed: &mut HashSet<String>, ordered: &mut Vec<&'a SegmentRow>, depth: usize) {
            if placed.contains(&row.id) || depth > rows.len() {
                return;
            }
            for key in dir.references(row) {
                if let Some(dep) = rows.iter().find(|r| r.name_key == key) {
                    place(dir, rows, dep, placed, ordered, depth + 1);
                }
            }
            if placed.insert(row.id.clone()) {
                ordered.push(row);
            }
        }
        for row in rows {
            place(self, rows, row, &mut placed, &mut ordered, 0);
        }
        ordered
    }
}

fn references_of(expr: &Expr) -> Vec<String> {
    query::referenced_segments(expr).iter().map(|n| name_key(n)).collect()
}

/// 1-based line and column of a byte offset.
fn position_at(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    (line, column)
}

fn name_key(name: &str) -> String {
    fold(name.trim())
}

fn query_error(e: QueryError) -> AppError {
    AppError::field(ErrorCode::InvalidQuery, "query", e.to_string())
}

/// Parses a query and fixes its meaning now (see [`lower`]); segment names resolve through `dir`.
fn lower_query(text: &str, dir: &Directory, now: DateTime<Local>) -> Result<lower::Pred> {
    lower_expr(&query::parse(text).map_err(query_error)?, dir, now)
}

fn lower_expr(expr: &Expr, dir: &Directory, now: DateTime<Local>) -> Result<lower::Pred> {
    let ids = dir.ids();
    lower::lower(expr, &LowerContext { now, segment_ids: &ids }).map_err(|m| AppError::field(ErrorCode::InvalidQuery, "query", m))
}

/// Chooses how a query over all leads reads the table (see [`sql::access_path`]): counts the
/// rows each indexed condition keeps, stopping at the point where an index stops paying off.
async fn access_path(conn: &mut SqliteConnection, pred: &lower::Pred) -> Result<sql::Access> {
    let probes = sql::probes(pred);
    if probes.is_empty() {
        return Ok(sql::Access::Leads("NOT INDEXED".into()));
    }
    let total: i64 = sqlx::query_scalar("SELECT ifnull(max(num), 0) FROM leads").fetch_one(&mut *conn).await?;
    let limit = sql::selective_limit(total);
    let mut counts = Vec::new();
    if probes.len() != 1 || matches!(pred, lower::Pred::And(_)) {
        for (i, probe) in probes.iter().enumerate() {
            let q = probe.count_sql();
            let n: i64 = bind_all!(sqlx::query_scalar(&q), &probe.compiled.params).bind(limit).fetch_one(&mut *conn).await?;
            counts.push((i, n));
        }
    }
    Ok(sql::access_path(pred, &counts, total))
}

const SEGMENT_COLUMNS: &str = "id, name, description, kind, query, refresh_mode, refresh_every_minutes, refresh_counter, \
     member_count, last_refreshed_at, broken, created_at, updated_at";

/// Minutes between full refreshes of automatic segments: relative dates ("created > -30d") move
/// with time even when no lead changes.
const AUTOMATIC_FULL_REFRESH_MINUTES: i64 = 60;

impl Store {
    /// Parses a query and, when it parses, counts the leads it matches now (nothing is stored).
    pub async fn check_segment_query(&self, text: &str, count: bool) -> Result<QueryCheck> {
        let expr = match query::parse(text) {
            Ok(expr) => expr,
            Err(error) => return Ok(QueryCheck { ast: None, normalized: None, error: Some(error), count: None, duration_ms: None }),
        };
        let mut conn = self.read.acquire().await?;
        let dir = Directory::load(&mut conn).await?;
        let normalized = Some(expr.to_string());
        let pred = match lower_expr(&expr, &dir, Local::now()) {
            Ok(p) => p,
            Err(e) => {
                // Unknown segment names are the only lowering errors a parsed query can have:
                // point at the first name that is not a segment.
                let unknown = query::referenced_segments(&expr).into_iter().find(|n| dir.by_key(&name_key(n)).is_none());
                let offset = unknown.and_then(|n| text.find(&n)).unwrap_or(0);
                let (line, column) = position_at(text, offset);
                let error = QueryError { line, column, offset: text[..offset].chars().count() as u32, message: e.message };
                return Ok(QueryCheck { ast: Some(expr), normalized, error: Some(error), count: None, duration_ms: None });
            }
        };
        if !count {
            return Ok(QueryCheck { ast: Some(expr), normalized, error: None, count: None, duration_ms: None });
        }
        let started = Instant::now();
        let compiled = sql::compile(&pred, Mode::Set);
        let path = access_path(&mut conn, &pred).await?;
        let counting = sql::select_matching(sql::Select::Count, &path, &compiled);
        let n: i64 = bind_all!(sqlx::query_scalar(&counting.sql), &counting.params).fetch_one(&mut *conn).await?;
        Ok(QueryCheck { ast: Some(expr), normalized, error: None, count: Some(n), duration_ms: Some(started.elapsed().as_millis() as i64) })
    }

    /// The first `limit` matching leads, newest first: the editor's preview rows.
    pub async fn preview_segment_query(&self, text: &str, limit: u32) -> Result<Vec<LeadRow>> {
        let mut conn = self.read.acquire().await?;
        let dir = Directory::load(&mut conn).await?;
        let compiled = sql::compile(&lower_query(text, &dir, Local::now())?, Mode::Set);
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM leads l {ROW_JOINS} WHERE l.deleted_at IS NULL AND {} ORDER BY l.num DESC LIMIT ?",
            compiled.sql
        );
        let query = bind_all!(sqlx::query(&sql), &compiled.params).bind(limit.clamp(1, 500) as i64);
        use sqlx::FromRow;
        let rows = query.fetch_all(&mut *conn).await?;
        rows.iter().map(|r| LeadRow::from_row(r).map_err(AppError::from)).collect()
    }

    /// The fields the builder offers: the fixed ones and the custom fields leads actually have.
    pub async fn segment_fields(&self) -> Result<Vec<fields::FieldInfo>> {
        let mut out = fields::catalog();
        // The newest leads stand for all: scanning a million JSON objects per editor open is not worth it.
        let keys: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT j.key FROM (SELECT custom_fields FROM leads WHERE deleted_at IS NULL AND custom_fields != '{}'
             ORDER BY num DESC LIMIT 5000) AS l, json_each(l.custom_fields) AS j ORDER BY j.key LIMIT 200",
        )
        .fetch_all(&self.read)
        .await?;
        out.extend(keys.iter().map(|k| fields::custom_info(k)));
        Ok(out)
    }

    /// Values to pick from for a field in the builder (stages, sources, statuses; common values
    /// of a few text fields).
    pub async fn segment_field_values(&self, field: &str) -> Result<Vec<String>> {
        let spec = fields::lookup(field).ok_or_else(|| AppError::field(ErrorCode::InvalidField, "field", fields::unknown_field_message(field)))?;
        Ok(match spec.source {
            fields::Source::Stage => {
                sqlx::query_scalar("SELECT name FROM lead_stages WHERE deleted_at IS NULL ORDER BY stage_order").fetch_all(&self.read).await?
            }
            fields::Source::Source => sqlx::query_scalar("SELECT name FROM lead_sources WHERE deleted_at IS NULL ORDER BY name").fetch_all(&self.read).await?,
            fields::Source::LeadColumn("status") => fields::STATUSES.iter().map(|s| s.to_string()).collect(),
            fields::Source::CompanyColumn("industry") => {
                sqlx::query_scalar(
                    "SELECT industry FROM companies WHERE deleted_at IS NULL AND industry IS NOT NULL AND trim(industry) != ''
                     GROUP BY lb_fold(industry) ORDER BY count(*) DESC LIMIT 50",
                )
                .fetch_all(&self.read)
                .await?
            }
            fields::Source::Custom => {
                let path = sql::json_path(&field["custom.".len()..]);
                sqlx::query_scalar(
                    "SELECT v FROM (SELECT lb_text(json_extract(custom_fields, ?1)) AS v FROM leads WHERE deleted_at IS NULL
                     AND custom_fields != '{}' ORDER BY num DESC LIMIT 5000) WHERE v IS NOT NULL AND trim(v) != ''
                     GROUP BY lb_fold(v) ORDER BY count(*) DESC LIMIT 50",
                )
                .bind(path)
                .fetch_all(&self.read)
                .await?
            }
            _ => vec![],
        })
    }

    pub async fn list_segments(&self) -> Result<Vec<Segment>> {
        Ok(sqlx::query_as::<_, Segment>(&format!("SELECT {SEGMENT_COLUMNS} FROM segments WHERE deleted_at IS NULL ORDER BY name_key"))
            .fetch_all(&self.read)
            .await?)
    }

    /// A segment by id or by name (case-insensitive).
    pub async fn get_segment(&self, id_or_name: &str) -> Result<Segment> {
        sqlx::query_as::<_, Segment>(&format!(
            "SELECT {SEGMENT_COLUMNS} FROM segments WHERE deleted_at IS NULL AND (id = ?1 OR name_key = ?2)"
        ))
        .bind(id_or_name)
        .bind(name_key(id_or_name))
        .fetch_optional(&self.read)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("There is no segment “{id_or_name}”")))
    }

    /// Creates a segment; a dynamic one is refreshed at once so it has members.
    pub async fn create_segment(&self, input: &SegmentInput) -> Result<(Segment, Option<RefreshResult>)> {
        let mut tx = self.begin_write().await?;
        let dir = Directory::load(&mut tx).await?;
        let clean = validate_input(input, &dir, None)?;
        let id = crate::clock::new_id();
        let ts = now();
        sqlx::query(
            "INSERT INTO segments (id, space_id, user_id, name, name_key, description, kind, query, refresh_mode, refresh_every_minutes,
                created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(&self.identity().space_id)
        .bind(&self.identity().user_id)
        .bind(&clean.name)
        .bind(name_key(&clean.name))
        .bind(&clean.description)
        .bind(enum_str(clean.kind))
        .bind(&clean.query)
        .bind(enum_str(clean.refresh_mode))
        .bind(clean.refresh_every_minutes)
        .bind(&ts)
        .bind(&ts)
        .execute(&mut *tx)
        .await?;
        let refreshed = if clean.kind == SegmentKind::Dynamic { Some(refresh_in(&mut tx, &id, RefreshTrigger::Manual).await?) } else { None };
        tx.commit().await?;
        Ok((self.get_segment(&id).await?, refreshed))
    }

    /// Changes a segment. A new query takes effect at once (a refresh with trigger "edit"); a new
    /// name is written into the queries of segments that refer to the old one.
    pub async fn update_segment(&self, id: &str, input: &SegmentInput) -> Result<(Segment, Option<RefreshResult>)> {
        let mut tx = self.begin_write().await?;
        let dir = Directory::load(&mut tx).await?;
        let current = dir.segments.iter().find(|s| s.id == id).cloned().ok_or_else(|| AppError::not_found("segment", id))?;
        let clean = validate_input(input, &dir, Some(&current))?;
        if (clean.kind == SegmentKind::Static) != (current.kind == "static") {
            return Err(AppError::field(ErrorCode::InvalidKind, "kind", "A segment cannot change between static and dynamic; create a new one"));
        }
        let ts = now();
        sqlx::query(
            "UPDATE segments SET name = ?, name_key = ?, description = ?, query = ?, refresh_mode = ?, refresh_every_minutes = ?,
                updated_at = ? WHERE id = ?",
        )
        .bind(&clean.name)
        .bind(name_key(&clean.name))
        .bind(&clean.description)
        .bind(&clean.query)
        .bind(enum_str(clean.refresh_mode))
        .bind(clean.refresh_every_minutes)
        .bind(&ts)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if name_key(&clean.name) != current.name_key {
            rename_references(&mut tx, &dir, &current, &clean.name, &ts).await?;
        }
        let query_changed = clean.query != current.query;
        let refreshed = if query_changed && clean.kind == SegmentKind::Dynamic { Some(refresh_in(&mut tx, id, RefreshTrigger::Edit).await?) } else { None };
        tx.commit().await?;
        Ok((self.get_segment(id).await?, refreshed))
    }

    /// Deletes a segment unless another segment's query reads it.
    pub async fn delete_segment(&self, id_or_name: &str) -> Result<()> {
        let segment = self.get_segment(id_or_name).await?;
        let mut tx = self.begin_write().await?;
        let dir = Directory::load(&mut tx).await?;
        let users = dir.used_by(&name_key(&segment.name));
        if !users.is_empty() {
            return Err(AppError::new(
                ErrorCode::SegmentInUse,
                format!(
                    "“{}” cannot be deleted: {} {} in_segment(\"{}\") in {} query; change {} first",
                    segment.name,
                    quote_list(&users),
                    if users.len() == 1 { "uses" } else { "use" },
                    segment.name,
                    if users.len() == 1 { "its" } else { "their" },
                    if users.len() == 1 { "it" } else { "them" },
                ),
            ));
        }
        let ts = now();
        sqlx::query("UPDATE segments SET deleted_at = ?1, updated_at = ?1 WHERE id = ?2").bind(&ts).bind(&segment.id).execute(&mut *tx).await?;
        // Membership is derived data of this replica: it goes with the segment.
        sqlx::query("DELETE FROM segment_members WHERE segment_id = ?").bind(&segment.id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM segment_member_sets WHERE segment_id = ?").bind(&segment.id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM segment_overrides WHERE segment_id = ?").bind(&segment.id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Re-evaluates a segment over every lead and records who entered and who left.
    pub async fn refresh_segment(&self, id_or_name: &str) -> Result<RefreshResult> {
        self.refresh_segment_with(id_or_name, RefreshTrigger::Manual).await
    }

    pub async fn refresh_segment_with(&self, id_or_name: &str, trigger: RefreshTrigger) -> Result<RefreshResult> {
        let segment = self.get_segment(id_or_name).await?;
        let mut tx = self.begin_write().await?;
        let result = refresh_in(&mut tx, &segment.id, trigger).await?;
        tx.commit().await?;
        Ok(result)
    }

    /// Full refresh of every automatic segment (after bulk writes that bypass the per-lead hook).
    pub async fn refresh_automatic_segments(&self, trigger: RefreshTrigger) -> Result<Vec<RefreshResult>> {
        let mut conn = self.read.acquire().await?;
        let dir = Directory::load(&mut conn).await?;
        drop(conn);
        let automatic = dir.automatic();
        let mut out = Vec::new();
        for row in dir.dependency_order(&automatic) {
            out.push(self.refresh_segment_with(&row.id, trigger).await?);
        }
        Ok(out)
    }

    /// After a bulk write that bypassed the per-lead hook (import, undo, sample data): automatic
    /// segments catch up with a full refresh. Failing here must not fail the write that already
    /// committed; the hourly refresh retries.
    pub(crate) async fn follow_bulk_write(&self, trigger: RefreshTrigger) {
        if let Err(e) = self.refresh_automatic_segments(trigger).await {
            tracing::warn!(error = %e, "automatic segments could not follow a bulk write");
        }
    }

    /// After writes that bypass the per-lead hook and change what segments test without being
    /// lead writes of this desktop (a pull from the server, a company edit): these leads are
    /// re-evaluated against every automatic segment in one transaction; past a few thousand, a
    /// full refresh is cheaper. Like [`Store::follow_bulk_write`], failing here does not fail
    /// the write that already committed; the hourly refresh retries.
    pub(crate) async fn follow_lead_writes(&self, nums: &std::collections::BTreeSet<i64>) {
        const SCOPED_AT_MOST: usize = 5_000;
        if nums.is_empty() {
            return;
        }
        if nums.len() > SCOPED_AT_MOST {
            return self.follow_bulk_write(RefreshTrigger::Automatic).await;
        }
        let nums: Vec<i64> = nums.iter().copied().collect();
        let done = async {
            let mut tx = self.begin_write().await?;
            reevaluate_nums(&mut tx, &nums).await?;
            tx.commit().await?;
            Ok::<_, AppError>(())
        };
        if let Err(e) = done.await {
            tracing::warn!(error = %e, "automatic segments could not follow a change of {} leads", nums.len());
        }
    }

    /// After an import (or its undo): the leads it created or changed are re-evaluated against
    /// every automatic segment — a refresh scoped to those leads, not a rebuild — in one
    /// transaction, in dependency order.
    pub(crate) async fn follow_import(&self, batch_id: &str) {
        // Scores first: automatic segments may test them.
        if let Err(e) = self.rescore_import(batch_id).await {
            tracing::warn!(error = %e, "scores could not follow an import; the daily re-score will");
        }
        if let Err(e) = self.reevaluate_import(batch_id).await {
            tracing::warn!(error = %e, "automatic segments could not follow an import; the hourly refresh will");
        }
    }

    async fn reevaluate_import(&self, batch_id: &str) -> Result<Vec<RefreshResult>> {
        let mut tx = self.begin_write().await?;
        let dir = Directory::load(&mut tx).await?;
        let automatic = dir.automatic();
        if automatic.is_empty() {
            return Ok(vec![]);
        }
        sqlx::query("CREATE TEMP TABLE IF NOT EXISTS segment_scope (num INTEGER PRIMARY KEY)").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM temp.segment_scope").execute(&mut *tx).await?;
        sqlx::query("INSERT OR IGNORE INTO temp.segment_scope SELECT l.num FROM import_changes c JOIN leads l ON l.id = c.lead_id WHERE c.batch_id = ?")
            .bind(batch_id)
            .execute(&mut *tx)
            .await?;
        let mut out = Vec::new();
        for row in dir.dependency_order(&automatic) {
            if let Some(r) = refresh_scoped(&mut tx, &row.id, RefreshTrigger::Import, true).await? {
                out.push(r);
            }
        }
        sqlx::query("DELETE FROM temp.segment_scope").execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Re-evaluates one lead against every automatic segment now (what every write does; the
    /// benchmark measures it alone).
    pub async fn reevaluate_lead(&self, lead_id: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        reevaluate_lead(&mut tx, lead_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Refreshes what is due: scheduled segments whose interval has passed, automatic ones not
    /// fully refreshed for an hour. The app calls this every minute.
    pub async fn refresh_due_segments(&self) -> Result<Vec<RefreshResult>> {
        let now_utc = Utc::now();
        let mut out = Vec::new();
        for segment in self.list_segments().await? {
            let every = match (segment.kind, segment.refresh_mode) {
                (SegmentKind::Dynamic, RefreshMode::Schedule) => segment.refresh_every_minutes.unwrap_or(60),
                (SegmentKind::Dynamic, RefreshMode::Automatic) => AUTOMATIC_FULL_REFRESH_MINUTES,
                _ => continue,
            };
            let last = segment.last_refreshed_at.as_deref().and_then(|t| DateTime::parse_from_rfc3339(t).ok());
            let due = last.is_none_or(|t| now_utc.signed_duration_since(t) >= chrono::Duration::minutes(every));
            if due {
                let trigger = if segment.refresh_mode == RefreshMode::Schedule { RefreshTrigger::Schedule } else { RefreshTrigger::Automatic };
                // One segment that cannot refresh is marked and skipped; the others still refresh.
                match self.refresh_segment_with(&segment.id, trigger).await {
                    Ok(result) => out.push(result),
                    Err(e) if e.code == "invalid_query" => {
                        tracing::warn!(segment = %segment.name, error = %e, "segment refresh skipped");
                        sqlx::query("UPDATE segments SET broken = ? WHERE id = ?").bind(&e.message).bind(&segment.id).execute(&self.write).await?;
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(out)
    }

    /// Refreshes, newest first (at most `limit`).
    pub async fn segment_history(&self, id_or_name: &str, limit: u32) -> Result<Vec<RefreshRecord>> {
        let segment = self.get_segment(id_or_name).await?;
        Ok(sqlx::query_as::<_, RefreshRecord>(
            "SELECT refresh_counter, trigger, query, members, entered, left_count, duration_ms, refreshed_at
             FROM segment_refreshes WHERE segment_id = ? ORDER BY refresh_counter DESC LIMIT ?",
        )
        .bind(&segment.id)
        .bind(limit.clamp(1, 10_000) as i64)
        .fetch_all(&self.read)
        .await?)
    }

    /// The leads that entered and left at one refresh (at most `limit` of each).
    pub async fn segment_changes(&self, id_or_name: &str, refresh_counter: i64, limit: u32) -> Result<SegmentChanges> {
        let segment = self.get_segment(id_or_name).await?;
        let limit = limit.clamp(1, 1000) as i64;
        let rows = |column: &str| {
            format!(
                "SELECT {ROW_COLUMNS} FROM segment_members m JOIN leads l ON l.num = m.lead_num {ROW_JOINS}
                 WHERE m.segment_id = ? AND m.{column} = ? ORDER BY l.num LIMIT ?"
            )
        };
        let entered = sqlx::query_as::<_, LeadRow>(&rows("entered_refresh"))
            .bind(&segment.id)
            .bind(refresh_counter)
            .bind(limit)
            .fetch_all(&self.read)
            .await?;
        let left = sqlx::query_as::<_, LeadRow>(&rows("left_refresh"))
            .bind(&segment.id)
            .bind(refresh_counter)
            .bind(limit)
            .fetch_all(&self.read)
            .await?;
        Ok(SegmentChanges { refresh_counter, entered, left })
    }

    /// Every segment a lead has been in, and when it entered and left: "why and when".
    pub async fn lead_segments(&self, lead_id: &str) -> Result<Vec<MembershipSpan>> {
        Ok(sqlx::query_as::<_, MembershipSpan>(
            "SELECT s.id AS segment_id, s.name AS segment_name, m.entered_refresh, m.entered_at, m.left_refresh, m.left_at
             FROM leads l JOIN segment_members m ON m.lead_num = l.num JOIN segments s ON s.id = m.segment_id AND s.deleted_at IS NULL
             WHERE l.id = ? ORDER BY m.entered_at DESC",
        )
        .bind(lead_id)
        .fetch_all(&self.read)
        .await?)
    }

    /// Puts leads into a segment by hand: static segments gain members; on dynamic ones the
    /// leads stay members whatever the query says, until the include is cleared.
    pub async fn include_in_segment(&self, id_or_name: &str, lead_ids: &[String]) -> Result<RefreshResult> {
        self.set_overrides(id_or_name, lead_ids, Some("include")).await
    }

    /// Takes leads out by hand: removed from a static segment; kept out of a dynamic one.
    pub async fn exclude_from_segment(&self, id_or_name: &str, lead_ids: &[String]) -> Result<RefreshResult> {
        let segment = self.get_segment(id_or_name).await?;
        let kind = if segment.kind == SegmentKind::Static { None } else { Some("exclude") };
        self.set_overrides(&segment.id, lead_ids, kind).await
    }

    /// Drops manual includes/excludes: the query alone decides again.
    pub async fn clear_segment_overrides(&self, id_or_name: &str, lead_ids: &[String]) -> Result<RefreshResult> {
        self.set_overrides(id_or_name, lead_ids, None).await
    }

    async fn set_overrides(&self, id_or_name: &str, lead_ids: &[String], kind: Option<&str>) -> Result<RefreshResult> {
        let segment = self.get_segment(id_or_name).await?;
        let mut tx = self.begin_write().await?;
        let mut nums = Vec::with_capacity(lead_ids.len());
        for lead_id in lead_ids {
            let num: i64 = sqlx::query_scalar("SELECT num FROM leads WHERE id = ? AND deleted_at IS NULL")
                .bind(lead_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| AppError::not_found("lead", lead_id))?;
            match kind {
                Some(kind) => {
                    sqlx::query("INSERT OR REPLACE INTO segment_overrides (segment_id, lead_num, kind, created_at) VALUES (?, ?, ?, ?)")
                        .bind(&segment.id)
                        .bind(num)
                        .bind(kind)
                        .bind(now())
                        .execute(&mut *tx)
                        .await?
                }
                None => sqlx::query("DELETE FROM segment_overrides WHERE segment_id = ? AND lead_num = ?").bind(&segment.id).bind(num).execute(&mut *tx).await?,
            };
            nums.push(num);
        }
        let dir = Directory::load(&mut tx).await?;
        let row = dir.segments.iter().find(|s| s.id == segment.id).cloned().expect("loaded above");
        let result = reconcile(&mut tx, &dir, &row, &nums, RefreshTrigger::Edit).await?;
        tx.commit().await?;
        Ok(result.unwrap_or(RefreshResult {
            segment_id: segment.id,
            segment: segment.name,
            refresh_counter: segment.refresh_counter,
            members: segment.member_count,
            entered: 0,
            left: 0,
            duration_ms: 0,
        }))
    }
}

fn quote_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("“{n}”")).collect();
    match quoted.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => String::new(),
    }
}

/// Checks an input and returns it trimmed and with the query in canonical form.
fn validate_input(input: &SegmentInput, dir: &Directory, current: Option<&SegmentRow>) -> Result<SegmentInput> {
    let name = input.name.trim().to_string();
    if name.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "name", "A segment needs a name"));
    }
    if name.chars().count() > 120 {
        return Err(AppError::field(ErrorCode::TooLong, "name", "A segment name can have at most 120 characters"));
    }
    let key = name_key(&name);
    if let Some(other) = dir.by_key(&key) {
        if current.is_none_or(|c| c.id != other.id) {
            return Err(AppError::field(ErrorCode::DuplicateName, "name", format!("There is already a segment named “{}”", other.name)));
        }
    }
    let query = match (input.kind, input.query.as_deref().map(str::trim)) {
        (SegmentKind::Static, None | Some("")) => None,
        (SegmentKind::Static, Some(_)) => {
            return Err(AppError::field(ErrorCode::InvalidQuery, "query", "A static segment has hand-picked members and no query"));
        }
        (SegmentKind::Dynamic, None | Some("")) => return Err(AppError::field(ErrorCode::Required, "query", "A dynamic segment needs a query")),
        (SegmentKind::Dynamic, Some(text)) => {
            let expr = query::parse(text).map_err(query_error)?;
            for referenced in query::referenced_segments(&expr) {
                let rkey = name_key(&referenced);
                if rkey == key {
                    return Err(AppError::field(ErrorCode::SegmentCycle, "query", format!("“{name}” cannot contain in_segment(\"{referenced}\"): a segment cannot be defined by itself")));
                }
                if dir.by_key(&rkey).is_none() {
                    return Err(AppError::field(ErrorCode::InvalidQuery, "query", format!("in_segment(\"{referenced}\"): there is no segment with that name")));
                }
            }
            if let Some(path) = dir.cycle_through(current.map(|c| c.name_key.as_str()).unwrap_or(&key), &expr) {
                return Err(AppError::field(
                    ErrorCode::SegmentCycle,
                    "query",
                    format!("This would make a cycle: “{name}” → {} → “{name}”", path.iter().map(|p| format!("“{p}”")).collect::<Vec<_>>().join(" → ")),
                ));
            }
            // Checks field types against the store's view (and unknown segment names) once more.
            lower_expr(&expr, dir, Local::now())?;
            Some(expr.to_string())
        }
    };
    let refresh_every_minutes = match input.refresh_mode {
        RefreshMode::Schedule => match input.refresh_every_minutes {
            Some(m) if (1..=60 * 24 * 366).contains(&m) => Some(m),
            Some(m) => return Err(AppError::field(ErrorCode::InvalidSchedule, "refreshEveryMinutes", format!("{m} minutes is not a refresh interval (1 minute to 1 year)"))),
            None => return Err(AppError::field(ErrorCode::Required, "refreshEveryMinutes", "A scheduled segment needs an interval in minutes")),
        },
        _ => None,
    };
    if input.kind == SegmentKind::Static && input.refresh_mode != RefreshMode::Manual {
        return Err(AppError::field(ErrorCode::InvalidMode, "refreshMode", "A static segment only changes by hand: its refresh mode is manual"));
    }
    Ok(SegmentInput {
        name,
        description: input.description.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned),
        kind: input.kind,
        query,
        refresh_mode: input.refresh_mode,
        refresh_every_minutes,
    })
}

/// Rewrites `in_segment("Old")` to the new name in every query that uses it.
async fn rename_references(tx: &mut Transaction<'static, Sqlite>, dir: &Directory, renamed: &SegmentRow, new_name: &str, ts: &str) -> Result<()> {
    fn rename(expr: &mut Expr, old_key: &str, new_name: &str) {
        match expr {
            Expr::And { items } | Expr::Or { items } => items.iter_mut().for_each(|e| rename(e, old_key, new_name)),
            Expr::Not { item } => rename(item, old_key, new_name),
            Expr::InSegment { name } if name_key(name) == old_key => *name = new_name.to_string(),
            _ => {}
        }
    }
    for row in &dir.segments {
        if row.id == renamed.id || !dir.references(row).contains(&renamed.name_key) {
            continue;
        }
        let Some(mut expr) = row.query.as_deref().and_then(|q| query::parse(q).ok()) else { continue };
        rename(&mut expr, &renamed.name_key, new_name);
        sqlx::query("UPDATE segments SET query = ?, updated_at = ? WHERE id = ?").bind(expr.to_string()).bind(ts).bind(&row.id).execute(&mut **tx).await?;
    }
    Ok(())
}

/// The full refresh, inside the caller's write transaction.
async fn refresh_in(tx: &mut Transaction<'static, Sqlite>, id: &str, trigger: RefreshTrigger) -> Result<RefreshResult> {
    refresh_scoped(tx, id, trigger, false).await.map(|r| r.expect("a full refresh is always recorded"))
}

/// A refresh over all leads (see [`member_sets::refresh`]), or (`scoped`) only over the leads in
/// `temp.segment_scope`: the incremental path of bulk writes, which records a refresh only if a
/// membership changed.
async fn refresh_scoped(tx: &mut Transaction<'static, Sqlite>, id: &str, trigger: RefreshTrigger, scoped: bool) -> Result<Option<RefreshResult>> {
    let in_scope = |column: &str| if scoped { format!(" AND {column} IN (SELECT num FROM temp.segment_scope)") } else { String::new() };
    let started = Instant::now();
    let dir = Directory::load(tx).await?;
    let row = dir.segments.iter().find(|s| s.id == id).cloned().ok_or_else(|| AppError::not_found("segment", id))?;
    let counter = row.refresh_counter + 1;
    let ts = now();
    if !scoped {
        let select = match &row.query {
            Some(text) => {
                let pred = lower_query(text, &dir, Local::now())?;
                let compiled = sql::compile(&pred, Mode::Set);
                let path = access_path(tx, &pred).await?;
                Some(sql::select_matching(sql::Select::Nums, &path, &compiled))
            }
            None => None,
        };
        let diff = crate::bulk::with_raw(tx, |conn| crate::bulk::blocking(|| member_sets::refresh(conn, &row, select.as_ref(), counter, &ts))).await?;
        let duration_ms = started.elapsed().as_millis() as i64;
        return record_refresh(tx, &row, counter, trigger, diff.members, diff.entered, diff.left, duration_ms, &ts).await.map(Some);
    }
    sqlx::query("CREATE TEMP TABLE IF NOT EXISTS segment_candidates (num INTEGER PRIMARY KEY)").execute(&mut **tx).await?;
    sqlx::query("DELETE FROM temp.segment_candidates").execute(&mut **tx).await?;
    if let Some(text) = &row.query {
        let pred = lower_query(text, &dir, Local::now())?;
        let compiled = sql::compile(&pred, Mode::Set);
        // A scoped refresh reads a handful of leads by their row number: no access path to choose.
        let sql = format!(
            "INSERT INTO temp.segment_candidates SELECT l.num FROM leads l WHERE l.deleted_at IS NULL{} AND {}",
            in_scope("l.num"),
            compiled.sql
        );
        bind_all!(sqlx::query(&sql), &compiled.params).execute(&mut **tx).await?;
    }
    sqlx::query(&format!(
        "INSERT OR IGNORE INTO temp.segment_candidates SELECT o.lead_num FROM segment_overrides o JOIN leads l ON l.num = o.lead_num
         WHERE o.segment_id = ? AND o.kind = 'include' AND l.deleted_at IS NULL{}",
        in_scope("o.lead_num")
    ))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM temp.segment_candidates WHERE num IN (SELECT lead_num FROM segment_overrides WHERE segment_id = ? AND kind = 'exclude')")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let left = sqlx::query(&format!(
        "UPDATE segment_members SET left_refresh = ?1, left_at = ?2
         WHERE segment_id = ?3 AND left_refresh IS NULL AND lead_num NOT IN (SELECT num FROM temp.segment_candidates){}",
        in_scope("lead_num")
    ))
    .bind(counter)
    .bind(&ts)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected() as i64;
    let entered = sqlx::query(
        "INSERT INTO segment_members (segment_id, lead_num, entered_refresh, entered_at)
         SELECT ?1, c.num, ?2, ?3 FROM temp.segment_candidates c
         WHERE NOT EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = ?1 AND m.lead_num = c.num AND m.left_refresh IS NULL)",
    )
    .bind(id)
    .bind(counter)
    .bind(&ts)
    .execute(&mut **tx)
    .await?
    .rows_affected() as i64;
    let members = row.member_count + entered - left;
    sqlx::query("DELETE FROM temp.segment_candidates").execute(&mut **tx).await?;
    if scoped && entered == 0 && left == 0 {
        return Ok(None);
    }
    let duration_ms = started.elapsed().as_millis() as i64;
    record_refresh(tx, &row, counter, trigger, members, entered, left, duration_ms, &ts).await.map(Some)
}

#[allow(clippy::too_many_arguments)]
async fn record_refresh(
    tx: &mut Transaction<'static, Sqlite>,
    row: &SegmentRow,
    counter: i64,
    trigger: RefreshTrigger,
    members: i64,
    entered: i64,
    left: i64,
    duration_ms: i64,
    ts: &str,
) -> Result<RefreshResult> {
    // A refresh that ran proves the query works again: any broken mark goes.
    sqlx::query("UPDATE segments SET refresh_counter = ?, member_count = ?, last_refreshed_at = ?, broken = NULL WHERE id = ?")
        .bind(counter)
        .bind(members)
        .bind(ts)
        .bind(&row.id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO segment_refreshes (segment_id, refresh_counter, trigger, query, members, entered, left_count, duration_ms, refreshed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&row.id)
    .bind(counter)
    .bind(trigger.as_str())
    .bind(&row.query)
    .bind(members)
    .bind(entered)
    .bind(left)
    .bind(duration_ms)
    .bind(ts)
    .execute(&mut **tx)
    .await?;
    Ok(RefreshResult { segment_id: row.id.clone(), segment: row.name.clone(), refresh_counter: counter, members, entered, left, duration_ms })
}

/// Brings the membership of a few leads in line with the query and the overrides; one refresh
/// (counter step) if anything changed, none otherwise. One query per lead answers everything:
/// is it live, its override, its membership now, and whether the query matches it.
async fn reconcile(tx: &mut Transaction<'static, Sqlite>, dir: &Directory, row: &SegmentRow, nums: &[i64], trigger: RefreshTrigger) -> Result<Option<RefreshResult>> {
    let started = Instant::now();
    let compiled = match &row.query {
        Some(text) => sql::compile(&lower_query(text, dir, Local::now())?, Mode::Row),
        None => Compiled { sql: "0".into(), params: vec![] },
    };
    let state_sql = format!(
        "SELECT EXISTS (SELECT 1 FROM leads WHERE num = ?1 AND deleted_at IS NULL),
                (SELECT kind FROM segment_overrides WHERE segment_id = ?2 AND lead_num = ?1),
                EXISTS (SELECT 1 FROM segment_members WHERE segment_id = ?2 AND lead_num = ?1 AND left_refresh IS NULL),
                EXISTS (SELECT 1 FROM leads l WHERE l.num = ?1 AND l.deleted_at IS NULL AND {})",
        renumber(&compiled.sql, 3)
    );
    let counter = row.refresh_counter + 1;
    let ts = now();
    let (mut entered, mut left) = (0i64, 0i64);
    for &num in nums {
        let query = bind_all!(sqlx::query_as::<_, (bool, Option<String>, bool, bool)>(&state_sql).bind(num).bind(&row.id), &compiled.params);
        let (live, override_kind, is_member, matches) = query.fetch_one(&mut **tx).await?;
        let should = match override_kind.as_deref() {
            Some("include") => live,
            Some(_) => false,
            None => matches,
        };
        if should && !is_member {
            sqlx::query("INSERT INTO segment_members (segment_id, lead_num, entered_refresh, entered_at) VALUES (?, ?, ?, ?)")
                .bind(&row.id)
                .bind(num)
                .bind(counter)
                .bind(&ts)
                .execute(&mut **tx)
                .await?;
            entered += 1;
        } else if !should && is_member {
            sqlx::query("UPDATE segment_members SET left_refresh = ?, left_at = ? WHERE segment_id = ? AND lead_num = ? AND left_refresh IS NULL")
                .bind(counter)
                .bind(&ts)
                .bind(&row.id)
                .bind(num)
                .execute(&mut **tx)
                .await?;
            left += 1;
        }
    }
    if entered == 0 && left == 0 {
        return Ok(None);
    }
    let members = row.member_count + entered - left;
    let duration_ms = started.elapsed().as_millis() as i64;
    Ok(Some(record_refresh(tx, row, counter, trigger, members, entered, left, duration_ms, &ts).await?))
}

/// Numbers the anonymous `?` of compiled SQL from `first` on, so it can follow numbered parameters.
fn renumber(sql: &str, first: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = first;
    for c in sql.chars() {
        if c == '?' {
            out.push_str(&format!("?{n}"));
            n += 1;
        } else {
            out.push(c);
        }
    }
    out
}

/// Automatic segments follow every change of a lead (see `changes`), after its score.
pub(crate) const FOLLOWER: Follower = Follower { name: "automatic segments", run: |tx, _store, changes| Box::pin(follow_changes(tx, changes)) };

async fn follow_changes(tx: &mut Transaction<'static, Sqlite>, changes: &ChangeSet) -> Result<()> {
    let mut nums = Vec::new();
    for change in changes.first_change_per_lead() {
        if let Some(num) = sqlx::query_scalar::<_, i64>("SELECT num FROM leads WHERE id = ?").bind(&change.lead_id).fetch_optional(&mut **tx).await? {
            nums.push(num);
        }
    }
    reevaluate_nums(tx, &nums).await
}

/// Re-evaluates one changed lead against every automatic segment, inside the transaction that
/// changed it, in dependency order so `in_segment` sees the memberships just updated. A segment
/// whose query no longer compiles is skipped (and logged): it must not block editing leads.
pub(crate) async fn reevaluate_lead(tx: &mut Transaction<'static, Sqlite>, lead_id: &str) -> Result<()> {
    let Some(num): Option<i64> = sqlx::query_scalar("SELECT num FROM leads WHERE id = ?").bind(lead_id).fetch_optional(&mut **tx).await? else {
        return Ok(());
    };
    reevaluate_nums(tx, &[num]).await
}

/// [`reevaluate_lead`] for several leads by row number, in the caller's transaction.
async fn reevaluate_nums(tx: &mut Transaction<'static, Sqlite>, nums: &[i64]) -> Result<()> {
    let mut dir = Directory::load(tx).await?;
    let rows = dir.automatic();
    if rows.is_empty() || nums.is_empty() {
        return Ok(());
    }
    let order: Vec<String> = dir.dependency_order(&rows).into_iter().map(|r| r.id.clone()).collect();
    for id in order {
        let Some(row) = dir.segments.iter().find(|s| s.id == id).cloned() else { continue };
        // Each segment in a savepoint of its own: one that fails halfway leaves nothing behind,
        // is marked broken with the reason, and the lead's write goes on (a follow-up never
        // refuses a user's write).
        sqlx::query("SAVEPOINT segment_follower").execute(&mut **tx).await?;
        let outcome = reconcile(tx, &dir, &row, nums, RefreshTrigger::Automatic).await;
        if outcome.is_err() {
            sqlx::query("ROLLBACK TO segment_follower").execute(&mut **tx).await?;
        }
        sqlx::query("RELEASE segment_follower").execute(&mut **tx).await?;
        let broken = match outcome {
            Ok(Some(result)) => {
                // Later segments in the order read this one's new counter and size.
                if let Some(s) = dir.segments.iter_mut().find(|s| s.id == id) {
                    s.refresh_counter = result.refresh_counter;
                    s.member_count = result.members;
                }
                None
            }
            Ok(None) => None,
            Err(e) => {
                tracing::warn!(segment = %row.name, error = %e, "automatic segment skipped");
                Some(e.message)
            }
        };
        if broken != row.broken {
            sqlx::query("UPDATE segments SET broken = ? WHERE id = ?").bind(&broken).bind(&id).execute(&mut **tx).await?;
        }
    }
    Ok(())
}
