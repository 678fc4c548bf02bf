//! Analytics events (seed 002: page views, tool use, email opens): added one at a time from the
//! lead panel, or bulk-loaded from CSV or JSON lines (`leadbook events import FILE`).
//!
//! A bulk load is one transaction: a file is in whole or not at all (a kill -9 leaves nothing
//! half-written). Rows that cannot be taken — no such lead, no event type, a date that is not a
//! date — are reported by line with the reason and skipped; an event id seen before is skipped as
//! a duplicate, so loading the same file twice adds nothing.

use crate::error::ErrorCode;
use super::runner::{self, Cause};
use super::{rule_set, RecomputeSummary};
use crate::changes::{ChangeKind, ChangeSet};
use crate::clock::{format_time, new_id, now};
use crate::error::{AppError, Result};
use crate::import::reader::{self, DialectOverrides, RecordReader};
use crate::Store;
use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;
use std::path::Path;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EventInput {
    pub lead_id: String,
    /// page_view, tool_interaction, email_open, download … (free text).
    pub event_type: String,
    /// A URL, a tool name.
    #[serde(default)]
    pub event_value: Option<String>,
    /// When it happened (RFC 3339 or YYYY-MM-DD[ HH:MM[:SS]] local time); default now.
    #[serde(default)]
    pub occurred_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsEvent {
    pub id: String,
    pub lead_id: String,
    pub event_type: String,
    pub event_value: Option<String>,
    pub occurred_at: String,
}

/// A row of an events file that was not loaded, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RejectedEvent {
    #[ts(type = "number")]
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EventImportSummary {
    #[ts(type = "number")]
    pub imported: u64,
    /// Events whose id was already in the store.
    #[ts(type = "number")]
    pub duplicates: u64,
    #[ts(type = "number")]
    pub rejected_count: u64,
    /// The first 1,000 rejected rows.
    pub rejected: Vec<RejectedEvent>,
    /// Distinct leads the events belong to.
    #[ts(type = "number")]
    pub leads: u64,
    /// The re-scoring that followed (None without event rules).
    pub rescored: Option<RecomputeSummary>,
    #[ts(type = "number")]
    pub duration_ms: u64,
}

const MAX_TYPE: usize = 100;
const MAX_VALUE: usize = 2_000;
const MAX_REJECTED_SHOWN: usize = 1_000;

/// Reads a timestamp the way spreadsheets and trackers write them.
pub fn parse_event_time(text: &str) -> std::result::Result<String, String> {
    let t = text.trim();
    if let Ok(x) = DateTime::parse_from_rfc3339(t) {
        return Ok(format_time(x.with_timezone(&Utc)));
    }
    let local = |naive: NaiveDateTime| Local.from_local_datetime(&naive).earliest().map(|x| format_time(x.with_timezone(&Utc)));
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(t, format) {
            return local(naive).ok_or_else(|| format!("“{t}” does not exist in the local time zone"));
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return local(day.and_hms_opt(0, 0, 0).expect("midnight")).ok_or_else(|| format!("“{t}” does not exist in the local time zone"));
    }
    if let Ok(seconds) = t.parse::<i64>() {
        if let Some(x) = DateTime::from_timestamp(seconds, 0) {
            return Ok(format_time(x));
        }
    }
    Err(format!("“{t}” is not a date and time (use 2026-11-05T14:30:00Z or 2026-11-05 14:30)"))
}

/// What a file holds: analytics events or inquiries (same reading, leads and reporting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Events,
    Inquiries,
}

/// One event or inquiry as read from a file, before its lead is found.
struct Pending {
    line: u64,
    id: Option<String>,
    lead: LeadKey,
    /// Event type / inquiry channel (normalized).
    kind: String,
    /// Event value / inquiry message.
    value: Option<String>,
    occurred_at: Option<String>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum LeadKey {
    Id(String),
    Email(String),
    ExternalId(String),
}

/// Which column holds what, by header name.
#[derive(Default)]
struct Columns {
    id: Option<usize>,
    lead_id: Option<usize>,
    email: Option<usize>,
    external_id: Option<usize>,
    kind: Option<usize>,
    value: Option<usize>,
    occurred_at: Option<usize>,
}

impl Columns {
    fn from_headers(headers: &[String], file: FileKind) -> Result<Self> {
        let mut c = Columns::default();
        for (i, h) in headers.iter().enumerate() {
            let key = h.trim().to_lowercase().replace([' ', '-'], "_");
            let slot = match (file, key.as_str()) {
                (FileKind::Events, "event_id") | (FileKind::Inquiries, "inquiry_id") | (_, "id") => &mut c.id,
                (_, "lead_id" | "lead") => &mut c.lead_id,
                (_, "email" | "lead_email" | "e_mail") => &mut c.email,
                (_, "external_id" | "lead_external_id") => &mut c.external_id,
                (FileKind::Events, "event_type" | "type" | "event") | (FileKind::Inquiries, "channel" | "via" | "medium") => &mut c.kind,
                (FileKind::Events, "event_value" | "value" | "url" | "page" | "tool")
                | (FileKind::Inquiries, "message" | "inquiry" | "text" | "body" | "question") => &mut c.value,
                (_, "event_date" | "date" | "occurred_at" | "timestamp" | "time" | "created_at") => &mut c.occurred_at,
                _ => continue,
            };
            slot.get_or_insert(i);
        }
        match file {
            FileKind::Events if c.kind.is_none() => {
                return Err(AppError::field(ErrorCode::MissingColumn, "file", format!("The file has no event type column (event_type or type); its columns are: {}", headers.join(", "))));
            }
            FileKind::Inquiries if c.value.is_none() => {
                return Err(AppError::field(ErrorCode::MissingColumn, "file", format!("The file has no message column (message or inquiry); its columns are: {}", headers.join(", "))));
            }
            _ => {}
        }
        if c.lead_id.is_none() && c.email.is_none() && c.external_id.is_none() {
            return Err(AppError::field(ErrorCode::MissingColumn, "file", format!("The file says nothing about which lead: add a lead_id, email or external_id column; its columns are: {}", headers.join(", "))));
        }
        Ok(c)
    }

    fn pending(&self, file: FileKind, line: u64, get: impl Fn(Option<usize>) -> Option<String>) -> std::result::Result<Pending, String> {
        let lead = if let Some(id) = get(self.lead_id) {
            LeadKey::Id(id)
        } else if let Some(email) = get(self.email) {
            LeadKey::Email(crate::validate::normalize_email(&email).map_err(|e| e.message)?)
        } else if let Some(x) = get(self.external_id) {
            LeadKey::ExternalId(x)
        } else {
            return Err("no lead id, email or external id".into());
        };
        let (kind, value) = match file {
            FileKind::Events => {
                let kind = get(self.kind).ok_or("no event type")?;
                if kind.chars().count() > MAX_TYPE {
                    return Err(format!("the event type is longer than {MAX_TYPE} characters"));
                }
                let value = get(self.value);
                if value.as_ref().is_some_and(|v| v.chars().count() > MAX_VALUE) {
                    return Err(format!("the event value is longer than {MAX_VALUE} characters"));
                }
                (kind, value)
            }
            FileKind::Inquiries => {
                let message = get(self.value).ok_or("no message")?;
                crate::inquiries::check_message(&message).map_err(|e| e.message)?;
                (crate::inquiries::normalize_channel(get(self.kind).as_deref()).map_err(|e| e.message)?, Some(message))
            }
        };
        let occurred_at = match get(self.occurred_at) {
            Some(t) => Some(parse_event_time(&t)?),
            // An event without a date cannot decay or fall in a window; an inquiry is "now".
            None if self.occurred_at.is_some() && file == FileKind::Events => return Err("no event date".into()),
            None => None,
        };
        Ok(Pending { line, id: get(self.id), lead, kind, value, occurred_at })
    }
}

fn non_blank(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Streams the file's events (CSV with a header, or JSON lines), each parsed or with the reason it
/// cannot be.
fn read_rows(path: &Path, file: FileKind, mut each: impl FnMut(std::result::Result<Pending, (u64, String)>) -> Result<()>) -> Result<()> {
    let unreadable = |e: std::io::Error| AppError::field(ErrorCode::UnreadableFile, "file", format!("Cannot read {}: {e}", path.display()));
    let handle = std::fs::File::open(path).map_err(unreadable)?;
    let mut head = std::io::BufReader::new(handle);
    let first = head.fill_buf().map_err(unreadable)?.iter().copied().find(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    if first == Some(b'{') {
        let columns = Columns {
            id: Some(0),
            lead_id: Some(1),
            email: Some(2),
            external_id: Some(3),
            kind: Some(4),
            value: Some(5),
            occurred_at: None,
        };
        for (i, line) in head.lines().enumerate() {
            let line_no = i as u64 + 1;
            let line = line.map_err(unreadable)?;
            if line.trim().is_empty() {
                continue;
            }
            let parsed = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(line.trim_start_matches('\u{feff}'))
                .map_err(|e| (line_no, format!("not a JSON object: {e}")))
                .and_then(|obj| {
                    let text = |keys: &[&str]| {
                        keys.iter().find_map(|k| obj.get(*k)).and_then(|v| match v {
                            serde_json::Value::String(s) => non_blank(s),
                            serde_json::Value::Number(n) => Some(n.to_string()),
                            _ => None,
                        })
                    };
                    let events = file == FileKind::Events;
                    let fields = [
                        text(if events { &["event_id", "id"] } else { &["inquiry_id", "id"] }),
                        text(&["lead_id", "lead"]),
                        text(&["email", "lead_email"]),
                        text(&["external_id"]),
                        text(if events { &["event_type", "type", "event"] } else { &["channel", "via"] }),
                        text(if events { &["event_value", "value", "url"] } else { &["message", "inquiry", "text"] }),
                    ];
                    let when = text(&["event_date", "occurred_at", "date", "timestamp", "time", "created_at"]);
                    let mut p = columns.pending(file, line_no, |i| i.and_then(|i| fields[i].clone())).map_err(|m| (line_no, m))?;
                    p.occurred_at = match when {
                        Some(t) => Some(parse_event_time(&t).map_err(|m| (line_no, m))?),
                        None if events => return Err((line_no, "no event date".into())),
                        None => None,
                    };
                    Ok(p)
                });
            each(parsed)?;
        }
        return Ok(());
    }
    drop(head);
    let sniffed = reader::sniff(path, &DialectOverrides::default(), |_| true)?;
    let columns = Columns::from_headers(&sniffed.headers, file)?;
    let mut records = RecordReader::open(path, &sniffed.dialect, sniffed.headers.len())?;
    while let Some(record) = records.next_record()? {
        if let Some(problem) = &record.problem {
            each(Err((record.line, problem.clone())))?;
            continue;
        }
        let parsed = columns.pending(file, record.line, |i| i.and_then(|i| record.fields.get(i)).and_then(|f| non_blank(f))).map_err(|m| (record.line, m));
        each(parsed)?;
    }
    Ok(())
}

impl Store {
    /// Adds one event and re-scores its lead in the same transaction.
    pub async fn add_event(&self, input: &EventInput) -> Result<AnalyticsEvent> {
        let event_type = input.event_type.trim();
        if event_type.is_empty() {
            return Err(AppError::field(ErrorCode::Required, "eventType", "An event needs a type, e.g. page_view"));
        }
        if event_type.chars().count() > MAX_TYPE {
            return Err(AppError::field(ErrorCode::TooLong, "eventType", format!("An event type can have at most {MAX_TYPE} characters")));
        }
        let value = input.event_value.as_deref().and_then(non_blank);
        if value.as_ref().is_some_and(|v| v.chars().count() > MAX_VALUE) {
            return Err(AppError::field(ErrorCode::TooLong, "eventValue", format!("An event value can have at most {MAX_VALUE} characters")));
        }
        let occurred_at = match input.occurred_at.as_deref().and_then(non_blank) {
            Some(t) => parse_event_time(&t).map_err(|m| AppError::field(ErrorCode::InvalidDate, "occurredAt", m))?,
            None => now(),
        };
        let id = new_id();
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO analytics_events (lead_num, occurred_at, id, space_id, event_type, event_value, created_at)
             SELECT num, ?, ?, space_id, ?, ?, ? FROM leads WHERE id = ? AND deleted_at IS NULL",
        )
        .bind(&occurred_at)
        .bind(&id)
        .bind(event_type)
        .bind(&value)
        .bind(now())
        .bind(&input.lead_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(AppError::field(ErrorCode::NotFound, "leadId", format!("No lead with id {}", input.lead_id)));
        }
        let detail = format!("Event {event_type}{}", value.as_ref().map(|v| format!(": {v}")).unwrap_or_default());
        let mut changed = ChangeSet::new();
        changed.lead(&input.lead_id, ChangeKind::Event, detail, vec![]);
        self.commit_changes(tx, changed).await?;
        Ok(AnalyticsEvent { id, lead_id: input.lead_id.clone(), event_type: event_type.to_string(), event_value: value, occurred_at })
    }

    /// A lead's events, newest first.
    pub async fn lead_events(&self, lead_id: &str, limit: u32) -> Result<Vec<AnalyticsEvent>> {
        let rows: Vec<(String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT e.id, e.event_type, e.event_value, e.occurred_at FROM leads l JOIN analytics_events e ON e.lead_num = l.num
             WHERE l.id = ? ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?",
        )
        .bind(lead_id)
        .bind(limit.clamp(1, 1000))
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, event_type, event_value, occurred_at)| AnalyticsEvent { id, lead_id: lead_id.to_string(), event_type, event_value, occurred_at })
            .collect())
    }

    /// Loads an events file (CSV or JSON lines) in one transaction, then re-scores the leads it
    /// touched when event rules exist.
    pub async fn import_events(&self, path: &Path) -> Result<EventImportSummary> {
        self.import_rows(path, FileKind::Events).await
    }

    /// Loads an inquiries file (lead, message, channel, date; CSV or JSON lines) in one
    /// transaction; each inquiry lands on its lead's timeline and raises its score through the rules.
    pub async fn import_inquiries(&self, path: &Path) -> Result<EventImportSummary> {
        self.import_rows(path, FileKind::Inquiries).await
    }

    async fn import_rows(&self, path: &Path, file: FileKind) -> Result<EventImportSummary> {
        let started = std::time::Instant::now();
        let space_id = self.identity().space_id.clone();
        let user_id = self.identity().user_id.clone();
        let (imported, duplicates, rejected_count, rejected, leads) = self
            .with_bulk_writer(|conn| {
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let mut by_id = tx.prepare("SELECT num, id FROM leads WHERE id = ?1 AND deleted_at IS NULL")?;
                let mut by_email = tx.prepare("SELECT num, id FROM leads WHERE ifnull(email, '') = ?1 AND deleted_at IS NULL ORDER BY num LIMIT 1")?;
                let mut by_external = tx.prepare("SELECT num, id FROM leads WHERE external_id = ?1 AND deleted_at IS NULL ORDER BY num LIMIT 1")?;
                let mut insert = tx.prepare(match file {
                    FileKind::Events => {
                        "INSERT OR IGNORE INTO analytics_events (lead_num, occurred_at, id, space_id, event_type, event_value, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                    }
                    FileKind::Inquiries => {
                        "INSERT OR IGNORE INTO inquiries (id, space_id, lead_id, user_id, channel, message, created_at, updated_at) VALUES (?3, ?4, ?1, ?8, ?5, ?6, ?2, ?7)"
                    }
                })?;
                // Inquiries are on the lead's timeline like one typed in the panel.
                let mut log = tx.prepare(
                    "INSERT INTO lead_activities (id, space_id, lead_id, user_id, activity_type, description, activity_data, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, 'inquiry', ?5, '{\"changes\":[]}', ?6, ?6)",
                )?;
                // Rows come in runs per lead or per visitor: remember recent answers.
                let mut known: HashMap<LeadKey, Option<(i64, String)>> = HashMap::new();
                let mut leads = BTreeSet::new();
                let (mut imported, mut duplicates, mut rejected_count) = (0u64, 0u64, 0u64);
                let mut rejected = Vec::new();
                let ts = now();
                let mut reject = |line: u64, reason: String, count: &mut u64| {
                    *count += 1;
                    if rejected.len() < MAX_REJECTED_SHOWN {
                        rejected.push(RejectedEvent { line, reason });
                    }
                };
                read_rows(path, file, |row| {
                    let p = match row {
                        Ok(p) => p,
                        Err((line, reason)) => {
                            reject(line, reason, &mut rejected_count);
                            return Ok(());
                        }
                    };
                    if known.len() > 200_000 {
                        known.clear();
                    }
                    let pair = |r: &rusqlite::Row| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?));
                    let found = match known.get(&p.lead) {
                        Some(n) => n.clone(),
                        None => {
                            let n = match &p.lead {
                                LeadKey::Id(id) => by_id.query_row([id], pair).optional()?,
                                // As written, else all lower case (trackers and CRMs disagree on case).
                                LeadKey::Email(e) => match by_email.query_row([e], pair).optional()? {
                                    None if *e != e.to_lowercase() => by_email.query_row([e.to_lowercase()], pair).optional()?,
                                    found => found,
                                },
                                LeadKey::ExternalId(x) => by_external.query_row([x], pair).optional()?,
                            };
                            known.insert(p.lead.clone(), n.clone());
                            n
                        }
                    };
                    let Some((num, lead_id)) = found else {
                        let what = match &p.lead {
                            LeadKey::Id(id) => format!("no lead with id {id}"),
                            LeadKey::Email(e) => format!("no lead with email {e}"),
                            LeadKey::ExternalId(x) => format!("no lead with external id {x}"),
                        };
                        reject(p.line, what, &mut rejected_count);
                        return Ok(());
                    };
                    let id = p.id.unwrap_or_else(new_id);
                    let at = p.occurred_at.unwrap_or_else(|| ts.clone());
                    let lead_ref: rusqlite::types::Value = match file {
                        FileKind::Events => num.into(),
                        FileKind::Inquiries => lead_id.clone().into(),
                    };
                    let inserted = if file == FileKind::Events {
                        insert.execute(rusqlite::params![lead_ref, at, id, space_id, p.kind, p.value, ts])?
                    } else {
                        insert.execute(rusqlite::params![lead_ref, at, id, space_id, p.kind, p.value, ts, user_id])?
                    };
                    if inserted == 0 {
                        duplicates += 1;
                        return Ok(());
                    }
                    if file == FileKind::Inquiries {
                        let summary: String = p.value.as_deref().unwrap_or_default().chars().take(80).collect();
                        log.execute(rusqlite::params![new_id(), space_id, lead_id, user_id, format!("Inquiry ({}): {summary}", p.kind), at])?;
                    }
                    imported += 1;
                    leads.insert(num);
                    Ok(())
                })?;
                drop((by_id, by_email, by_external, insert, log));
                tx.commit()?;
                Ok((imported, duplicates, rejected_count, rejected, leads))
            })
            .await?;
        let (cause, noun) = match file {
            FileKind::Events => ("event", "events"),
            FileKind::Inquiries => ("inquiry", "inquiries"),
        };
        let rescored = self.rescore_leads(&leads, cause, &format!("{imported} {noun} imported"), true).await?;
        if file == FileKind::Inquiries && imported > 0 && rescored.is_none_or(|r| r.raised + r.lowered == 0) {
            // Automatic segments may count inquiries (`inquiries(30d) >= 2`).
            self.follow_bulk_write(crate::segments::RefreshTrigger::Import).await;
        }
        Ok(EventImportSummary {
            imported,
            duplicates,
            rejected_count,
            rejected,
            leads: leads.len() as u64,
            rescored,
            duration_ms: started.elapsed().as_millis() as u64,
        })
    }

    /// Re-scores the leads an import (or its undo) created or changed.
    pub(crate) async fn rescore_import(&self, batch_id: &str) -> Result<()> {
        let nums: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT l.num FROM import_changes c JOIN leads l ON l.id = c.lead_id WHERE c.batch_id = ?")
            .bind(batch_id)
            .fetch_all(&self.read)
            .await?;
        // The import's own scoped segment refresh follows (`follow_import`).
        self.rescore_leads(&nums.into_iter().collect(), "rule", "Imported from a file", false).await?;
        Ok(())
    }

    /// Re-scores a set of leads after a bulk change: one by one when few, by full ranges when many;
    /// automatic segments follow when `follow_segments` (unless the caller refreshes them itself).
    pub(crate) async fn rescore_leads(&self, nums: &BTreeSet<i64>, kind: &'static str, detail: &str, follow_segments: bool) -> Result<Option<RecomputeSummary>> {
        if nums.is_empty() || self.list_rules().await?.iter().all(|r| !r.active) {
            return Ok(None);
        }
        if nums.len() > 5_000 {
            return self.recompute(Local::now(), kind, detail, |_| {}, follow_segments).await.map(Some);
        }
        let started = std::time::Instant::now();
        let super::Compiled { set, thresholds, .. } = rule_set(&mut *self.read.acquire().await?, &self.identity().space_id, Local::now(), None).await?;
        let cause = Cause { kind, id: None, detail: detail.to_string() };
        let tally = self
            .with_bulk_writer(|conn| {
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let mut tally = runner::Tally::default();
                // One cause for all of them: one run in the history.
                let mut history = runner::History::Run(None);
                for &num in nums {
                    tally.add(runner::score_range(&tx, &set, &thresholds, num, num, &cause, Some(&mut history))?);
                }
                tx.commit()?;
                Ok(tally)
            })
            .await?;
        if follow_segments && tally.raised + tally.lowered > 0 {
            self.follow_bulk_write(crate::segments::RefreshTrigger::Automatic).await;
        }
        let mut summary = RecomputeSummary::from(tally);
        summary.duration_ms = started.elapsed().as_millis() as u64;
        Ok(Some(summary))
    }

    /// Scores, then automatic segments (which may test them), follow changes that reached these
    /// leads without passing through their per-lead hook: rows pulled from the server, an edit
    /// of their company. The writes are committed already: a follow-up that fails is reported
    /// and skipped (the next recompute and the hourly refresh catch up), never an error for them.
    pub(crate) async fn follow_lead_changes(&self, nums: &BTreeSet<i64>, detail: &str) {
        if let Err(e) = self.rescore_leads(nums, "rule", detail, false).await {
            tracing::warn!(error = %e, leads = nums.len(), "scores could not follow: {detail}");
        }
        self.follow_lead_writes(nums).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_times_in_the_forms_files_use() {
        assert_eq!(parse_event_time("2026-11-05T14:30:00Z").unwrap(), "2026-11-05T14:30:00.000Z");
        assert_eq!(parse_event_time("2026-11-05T15:30:00+01:00").unwrap(), "2026-11-05T14:30:00.000Z");
        assert_eq!(parse_event_time("1700000000").unwrap(), "2023-11-14T22:13:20.000Z");
        assert!(parse_event_time("2026-11-05 14:30").is_ok());
        assert!(parse_event_time("2026-11-05").is_ok());
        assert!(parse_event_time("next tuesday").unwrap_err().contains("“next tuesday” is not a date"));
    }
}
