//! Leads: validation, create/update/delete through one write path that also keeps the
//! full-text index and the activity log, and keyset-paginated reads for a 1M-row table.

use crate::error::ErrorCode;
use crate::activities::{describe_update, FieldChange};
use crate::changes::{ChangeKind, ChangeSet};
use crate::clock::{new_id, now};
use crate::columns::Columns;
use crate::companies;
use crate::error::{AppError, Result};
use crate::search::{self, FtsDoc};
use crate::validate::{self, check_len, clean, Phone, MAX_NAME_LEN, MAX_NOTES_LEN, MAX_TEXT_LEN};
use crate::lead_rows::{name_key, LeadCursor, LeadRow, ROW_COLUMNS, ROW_JOINS, STATUSES};
use crate::Store;
use serde::{Deserialize, Serialize};
use serde_json::Value as JsonValue;
use sqlx::{Sqlite, Transaction};
use ts_rs::TS;



/// A whole lead, for the detail panel and the CLI's `leads show`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Lead {
    pub id: String,
    pub space_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub phone_raw: Option<String>,
    pub phone_display: Option<String>,
    pub email2: Option<String>,
    pub phone2: Option<String>,
    pub phone2_raw: Option<String>,
    pub website: Option<String>,
    pub external_id: Option<String>,
    pub company_id: Option<String>,
    pub company_name: Option<String>,
    pub job_title: Option<String>,
    pub stage_id: Option<String>,
    pub stage_name: Option<String>,
    pub stage_color: Option<String>,
    pub source_id: Option<String>,
    pub source_name: Option<String>,
    pub status: String,
    pub score: i32,
    pub assigned_to: Option<String>,
    pub budget: Option<String>,
    pub authority: Option<String>,
    pub need: Option<String>,
    pub timeline: Option<String>,
    pub notes: Option<String>,
    #[sqlx(json)]
    pub custom_fields: JsonValue,
    #[sqlx(json)]
    pub enriched_data: JsonValue,
    pub converted_to_customer: bool,
    pub customer_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// What a person (form, CLI, import) may set on a lead. Updates send the whole input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct LeadInput {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company_name: Option<String>,
    pub job_title: Option<String>,
    pub stage_id: Option<String>,
    pub source_id: Option<String>,
    pub status: Option<String>,
    pub score: Option<i32>,
    pub budget: Option<String>,
    pub authority: Option<String>,
    pub need: Option<String>,
    pub timeline: Option<String>,
    pub notes: Option<String>,
    pub custom_fields: Option<JsonValue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
pub enum LeadSort {
    Name,
    Email,
    Company,
    Score,
    #[default]
    CreatedAt,
    UpdatedAt,
}

impl LeadSort {
    /// The indexed expression over `leads l` this sort orders by. Column names come from this
    /// fixed table, never from a request.
    pub(crate) fn key_sql(self) -> &'static str {
        match self {
            LeadSort::Name => "l.name_key",
            LeadSort::Email => "ifnull(l.email, '')",
            LeadSort::Company => "l.company_key",
            LeadSort::Score => "s.score",
            LeadSort::CreatedAt => "l.created_at",
            LeadSort::UpdatedAt => "l.updated_at",
        }
    }

    /// What breaks ties between equal keys. Scores live in their own table, whose index orders
    /// equal scores by lead number; every other key's index orders them by id.
    pub(crate) fn tiebreak_sql(self) -> &'static str {
        match self {
            LeadSort::Score => "s.lead_num",
            _ => "l.id",
        }
    }

    /// The placeholder a cursor's id takes in a keyset comparison with `tiebreak_sql`.
    pub(crate) fn tiebreak_param(self) -> &'static str {
        match self {
            LeadSort::Score => "(SELECT num FROM leads WHERE id = ?)",
            _ => "?",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
pub enum SortDir {
    Asc,
    #[default]
    Desc,
}


#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListLeadsRequest {
    pub sort: LeadSort,
    pub dir: SortDir,
    /// Keyset position: continue after this row (sequential scrolling).
    pub after: Option<LeadCursor>,
    /// Jump to a row number (scrollbar drag); ignored when `after` is given.
    #[ts(type = "number | null")]
    pub offset: Option<u32>,
    pub limit: u32,
    /// Only the leads of this company.
    pub company_id: Option<String>,
    /// Only the current members of this segment.
    #[serde(default)]
    pub segment_id: Option<String>,
    /// Only leads matching this search (as the search box: every typed word, any written phone form).
    #[serde(default)]
    pub text: Option<String>,
}

impl Default for ListLeadsRequest {
    fn default() -> Self {
        Self { sort: LeadSort::CreatedAt, dir: SortDir::Desc, after: None, offset: None, limit: 100, company_id: None, segment_id: None, text: None }
    }
}

/// Which leads a count covers: the table's filters without its sort and position.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LeadFilter {
    #[serde(default)]
    pub company_id: Option<String>,
    #[serde(default)]
    pub segment_id: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
}

/// How many leads a filter matches. With a cap, counting stops past it: `exact` is false and
/// `count` is the cap ("more than 100,000"), never a number that is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LeadCount {
    #[ts(type = "number")]
    pub count: i64,
    pub exact: bool,
}

/// What a search box's text filters by: None for no text, Some(None) for text with nothing
/// searchable in it (only punctuation), which matches no lead.
fn text_filter(text: Option<&str>) -> Option<Option<String>> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    Some(search::fts_query(text))
}

/// Up to this many matches, a search's page is read by looking its matches up and sorting them;
/// beyond, by walking the sort's index and keeping the rows in the set of matches. (A test per
/// row instead of the set was measured: fast for one letter, seconds for "anna", whose prefix
/// FTS5 expands again for every row.)
const FEW_MATCHES: i64 = 5_000;

/// The leads numbered `num` that the full-text query (bound in its place) matches.
fn fts_filter(num: &str) -> String {
    format!(" AND {num} IN (SELECT rowid FROM leads_fts WHERE leads_fts MATCH ?)")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LeadPage {
    pub rows: Vec<LeadRow>,
    pub next: Option<LeadCursor>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchRequest {
    pub text: String,
    pub limit: u32,
}


/// Current members of a segment, for the lead numbered `num`; a correlated probe, so paging stops
/// after a page of members.
fn segment_filter(num: &str) -> String {
    format!(" AND EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = ? AND m.lead_num = {num} AND m.left_refresh IS NULL)")
}

const LEAD_SELECT: &str = "SELECT l.id, l.space_id, l.first_name, l.last_name, l.email, l.phone, l.phone_raw, l.phone_display, \
     l.email2, l.phone2, l.phone2_raw, l.website, l.external_id, \
     l.company_id, c.name AS company_name, l.job_title, l.stage_id, st.name AS stage_name, st.color AS stage_color, \
     l.source_id, so.name AS source_name, l.status, s.score, l.assigned_to, l.budget, l.authority, l.need, l.timeline, \
     l.notes, l.custom_fields, l.enriched_data, l.converted_to_customer, l.customer_id, l.created_at, l.updated_at \
     FROM leads l JOIN scores s ON s.lead_num = l.num LEFT JOIN companies c ON c.id = l.company_id \
     LEFT JOIN lead_stages st ON st.id = l.stage_id LEFT JOIN lead_sources so ON so.id = l.source_id";

#[derive(sqlx::FromRow)]
struct KeyedRow {
    #[sqlx(flatten)]
    row: LeadRow,
    sort_key: String,
}

/// Input after validation and normalisation: exactly what will be stored.
struct ValidLead {
    first_name: String,
    last_name: String,
    email: Option<String>,
    phone: Option<Phone>,
    phone_raw: Option<String>,
    company_name: Option<String>,
    job_title: Option<String>,
    stage_id: Option<String>,
    source_id: Option<String>,
    status: String,
    score: i32,
    budget: Option<String>,
    authority: Option<String>,
    need: Option<String>,
    timeline: Option<String>,
    notes: Option<String>,
    custom_fields: JsonValue,
}

impl ValidLead {
    /// The columns a lead's create and update both write — the one list to extend when a lead
    /// gets a new editable field (see `columns.rs`). `company_id` is the company found or created
    /// for `company_name`.
    fn columns<'a>(&'a self, company_id: Option<&'a str>) -> Columns<'a> {
        Columns::new()
            .set("company_id", company_id)
            .set("first_name", &self.first_name)
            .set("last_name", &self.last_name)
            .set("email", &self.email)
            .set("phone", self.phone.as_ref().map(|p| &p.e164))
            .set("phone_raw", &self.phone_raw)
            .set("phone_display", self.phone.as_ref().map(|p| &p.display))
            .set("job_title", &self.job_title)
            .set("stage_id", &self.stage_id)
            .set("source_id", &self.source_id)
            .set("status", &self.status)
            .set("custom_fields", self.custom_fields.to_string())
            .set("budget", &self.budget)
            .set("authority", &self.authority)
            .set("need", &self.need)
            .set("timeline", &self.timeline)
            .set("notes", &self.notes)
            .set("name_key", name_key(&self.first_name, &self.last_name))
            .set("company_key", self.company_name.as_deref().map(str::to_lowercase).unwrap_or_default())
    }
}

impl Store {
    fn validate_lead(&self, input: &LeadInput) -> Result<ValidLead> {
        let first_name = input.first_name.trim().to_owned();
        let last_name = input.last_name.trim().to_owned();
        if first_name.is_empty() && last_name.is_empty() {
            return Err(AppError::field(ErrorCode::Required, "firstName", "A lead needs a first or a last name"));
        }
        check_len("firstName", "First name", &Some(first_name.clone()), MAX_NAME_LEN)?;
        check_len("lastName", "Last name", &Some(last_name.clone()), MAX_NAME_LEN)?;
        let email = clean(input.email.as_deref()).map(|e| validate::normalize_email(&e)).transpose()?;
        let phone_raw = clean(input.phone.as_deref());
        let region = *self.region.read().expect("region lock");
        let phone = phone_raw.as_deref().map(|p| validate::normalize_phone(p, region)).transpose()?;
        let company_name = clean(input.company_name.as_deref());
        check_len("companyName", "Company", &company_name, MAX_NAME_LEN)?;
        let job_title = clean(input.job_title.as_deref());
        check_len("jobTitle", "Job title", &job_title, MAX_NAME_LEN)?;
        let status = clean(input.status.as_deref()).unwrap_or_else(|| "open".into()).to_lowercase();
        if !STATUSES.contains(&status.as_str()) {
            return Err(AppError::field(
                ErrorCode::InvalidStatus,
                "status",
                format!("“{status}” is not a lead status; use one of {}", STATUSES.join(", ")),
            ));
        }
        let score = input.score.unwrap_or(0);
        if !(0..=100).contains(&score) {
            return Err(AppError::field(ErrorCode::InvalidScore, "score", format!("Score {score} is out of range: it must be 0 to 100")));
        }
        let custom_fields = match &input.custom_fields {
            None | Some(JsonValue::Null) => JsonValue::Object(Default::default()),
            Some(v @ JsonValue::Object(_)) => v.clone(),
            Some(other) => {
                return Err(AppError::field(
                    ErrorCode::InvalidCustomFields,
                    "customFields",
                    format!("Custom fields must be an object of name → value, not {other}"),
                ))
            }
        };
        let [budget, authority, need, timeline] =
            [&input.budget, &input.authority, &input.need, &input.timeline].map(|v| clean(v.as_deref()));
        for (field, label, value) in
            [("budget", "Budget", &budget), ("authority", "Authority", &authority), ("need", "Need", &need), ("timeline", "Timeline", &timeline)]
        {
            check_len(field, label, value, MAX_TEXT_LEN)?;
        }
        let notes = clean(input.notes.as_deref());
        check_len("notes", "Notes", &notes, MAX_NOTES_LEN)?;
        Ok(ValidLead {
            first_name,
            last_name,
            email,
            phone,
            phone_raw,
            company_name,
            job_title,
            stage_id: clean(input.stage_id.as_deref()),
            source_id: clean(input.source_id.as_deref()),
            status,
            score,
            budget,
            authority,
            need,
            timeline,
            notes,
            custom_fields,
        })
    }

    /// Stage and source must exist; a missing stage means the default one.
    async fn resolve_refs(&self, tx: &mut Transaction<'static, Sqlite>, lead: &mut ValidLead) -> Result<()> {
        match &lead.stage_id {
            Some(id) => {
                let found: Option<String> = sqlx::query_scalar("SELECT id FROM lead_stages WHERE id = ? AND deleted_at IS NULL")
                    .bind(id).fetch_optional(&mut **tx).await?;
                if found.is_none() {
                    return Err(AppError::field(ErrorCode::InvalidStage, "stageId", format!("There is no stage with id {id}")));
                }
            }
            None => {
                lead.stage_id = sqlx::query_scalar(
                    "SELECT id FROM lead_stages WHERE deleted_at IS NULL ORDER BY is_default DESC, stage_order LIMIT 1",
                )
                .fetch_optional(&mut **tx)
                .await?;
            }
        }
        if let Some(id) = &lead.source_id {
            let found: Option<String> = sqlx::query_scalar("SELECT id FROM lead_sources WHERE id = ? AND deleted_at IS NULL")
                .bind(id).fetch_optional(&mut **tx).await?;
            if found.is_none() {
                return Err(AppError::field(ErrorCode::InvalidSource, "sourceId", format!("There is no source with id {id}")));
            }
        }
        Ok(())
    }

    pub async fn create_lead(&self, input: &LeadInput) -> Result<Lead> {
        let mut lead = self.validate_lead(input)?;
        let mut tx = self.begin_write().await?;
        self.resolve_refs(&mut tx, &mut lead).await?;
        let company_id = match &lead.company_name {
            Some(name) => Some(companies::find_or_create(&mut tx, self, name).await?),
            None => None,
        };
        let id = new_id();
        let ts = now();
        let identity = self.identity();
        let row = Columns::new()
            .set("id", &id)
            .set("space_id", &identity.space_id)
            .set("user_id", &identity.user_id)
            .set("assigned_to", &identity.user_id)
            .set("created_at", &ts)
            .set("updated_at", &ts)
            .extend(lead.columns(company_id.as_deref()));
        let sql = row.insert_sql("leads", "RETURNING num");
        let num: i64 = sqlx::query_scalar_with(&sql, row.into_args()?).fetch_one(&mut *tx).await?;
        set_score(&mut tx, num, lead.score).await?;
        search::index_lead(&mut tx, num, &fts_doc(&lead)).await?;
        let created = fetch_lead(&mut tx, &id).await?;
        let changes = diff(&Snapshot::default(), &Snapshot::of(&created));
        let mut changed = ChangeSet::new();
        changed.lead(&id, ChangeKind::Created, "Lead created", changes);
        self.commit_changes(tx, changed).await?;
        Ok(created)
    }

    pub async fn update_lead(&self, id: &str, input: &LeadInput) -> Result<Lead> {
        let mut lead = self.validate_lead(input)?;
        let mut tx = self.begin_write().await?;
        let before = fetch_lead(&mut tx, id).await?;
        self.resolve_refs(&mut tx, &mut lead).await?;
        let company_id = match &lead.company_name {
            Some(name) => Some(companies::find_or_create(&mut tx, self, name).await?),
            None => None,
        };
        // Keep the raw phone as typed unless the number itself changed.
        let unchanged_phone = before.phone.as_deref() == lead.phone.as_ref().map(|p| p.e164.as_str());
        if unchanged_phone {
            lead.phone_raw = before.phone_raw.clone();
        }
        let row = lead.columns(company_id.as_deref());
        let sql = row.update_sql("leads", "WHERE id = ? AND deleted_at IS NULL RETURNING num");
        let num: i64 = sqlx::query_scalar_with(&sql, row.into_args()?).bind(id).fetch_one(&mut *tx).await?;
        set_score(&mut tx, num, lead.score).await?;
        let mut after = fetch_lead(&mut tx, id).await?;
        let changes = diff(&Snapshot::of(&before), &Snapshot::of(&after));
        if changes.is_empty() {
            // Nothing changed: leave no trace, not even a new updated_at.
            tx.rollback().await?;
            return Ok(before);
        }
        let ts = now();
        sqlx::query("UPDATE leads SET updated_at = ? WHERE id = ?").bind(&ts).bind(id).execute(&mut *tx).await?;
        after.updated_at = ts;
        search::unindex_lead(&mut tx, num).await?;
        search::index_lead(&mut tx, num, &fts_doc(&lead)).await?;
        let mut changed = ChangeSet::new();
        changed.lead(id, ChangeKind::Updated, describe_update(&changes), changes);
        self.commit_changes(tx, changed).await?;
        Ok(after)
    }

    /// Soft delete: the row stays as a tombstone (for sync), leaves the index and all lists.
    pub async fn delete_lead(&self, id: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let ts = now();
        let num: Option<i64> = sqlx::query_scalar(
            "UPDATE leads SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL RETURNING num",
        )
        .bind(&ts).bind(&ts).bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let num = num.ok_or_else(|| AppError::not_found("lead", id))?;
        search::unindex_lead(&mut tx, num).await?;
        // A deleted lead's reminders go with it: nothing to follow up, nothing to pop up.
        sqlx::query("UPDATE reminders SET deleted_at = ?1, fire_at = NULL, updated_at = ?1 WHERE lead_id = ?2 AND deleted_at IS NULL")
            .bind(&ts).bind(id).execute(&mut *tx).await?;
        let mut changed = ChangeSet::new();
        changed.lead(id, ChangeKind::Deleted, "Lead deleted", vec![]);
        self.commit_changes(tx, changed).await?;
        self.reminder_wake.notify_one();
        Ok(())
    }

    pub async fn get_lead(&self, id: &str) -> Result<Lead> {
        sqlx::query_as::<_, Lead>(&format!("{LEAD_SELECT} WHERE l.id = ? AND l.deleted_at IS NULL"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or_else(|| AppError::not_found("lead", id))
    }

    pub async fn count_leads(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM leads WHERE deleted_at IS NULL").fetch_one(&self.read).await?)
    }

    /// How many leads the table's filters match, counting no further than `cap` when given (a
    /// one-letter search over a million leads: the exact figure follows from a second, uncapped call).
    pub async fn count_matching_leads(&self, filter: &LeadFilter, cap: Option<u32>) -> Result<LeadCount> {
        let text = match text_filter(filter.text.as_deref()) {
            Some(None) => return Ok(LeadCount { count: 0, exact: true }),
            Some(Some(fts)) => Some(fts),
            None => None,
        };
        // With text, FTS5 drives: its matches stream out and counting stops at the cap (an IN list
        // would collect every match of a one-letter search first).
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 FROM {} WHERE l.deleted_at IS NULL{}{} LIMIT ?)",
            if text.is_some() { "leads_fts JOIN leads l ON l.num = leads_fts.rowid AND leads_fts MATCH ?" } else { "leads l" },
            if filter.company_id.is_some() { " AND l.company_id = ?" } else { "" },
            if filter.segment_id.is_some() { segment_filter("l.num") } else { String::new() },
        );
        let mut query = sqlx::query_scalar::<_, i64>(&sql);
        if let Some(fts) = &text {
            query = query.bind(fts);
        }
        if let Some(company) = &filter.company_id {
            query = query.bind(company);
        }
        if let Some(segment) = &filter.segment_id {
            query = query.bind(segment);
        }
        // One past the cap tells "exactly the cap" from "more".
        let limit = cap.map_or(-1, |c| i64::from(c) + 1);
        let n = query.bind(limit).fetch_one(&self.read).await?;
        Ok(match cap {
            Some(c) if n > i64::from(c) => LeadCount { count: i64::from(c), exact: false },
            _ => LeadCount { count: n, exact: true },
        })
    }

    /// One page of the leads table. Sequential pages use the keyset `after` (constant time at any
    /// depth); `offset` serves scrollbar jumps.
    pub async fn list_leads(&self, req: &ListLeadsRequest) -> Result<LeadPage> {
        let limit = req.limit.clamp(1, 500) as i64;
        let text = match text_filter(req.text.as_deref()) {
            Some(None) => return Ok(LeadPage { rows: vec![], next: None }),
            Some(Some(fts)) => Some(fts),
            None => None,
        };
        let (key, tiebreak) = (req.sort.key_sql(), req.sort.tiebreak_sql());
        let (cmp, order) = match req.dir {
            SortDir::Asc => (">", "ASC"),
            SortDir::Desc => ("<", "DESC"),
        };
        let by_score = req.sort == LeadSort::Score;
        // How a search filters depends on how many leads it matches (FTS5 streams them; no lookups).
        let few = match &text {
            Some(fts) => {
                let n: i64 = sqlx::query_scalar("SELECT count(*) FROM (SELECT 1 FROM leads_fts WHERE leads_fts MATCH ? LIMIT ?)")
                    .bind(fts)
                    .bind(FEW_MATCHES + 1)
                    .fetch_one(&self.read)
                    .await?;
                n <= FEW_MATCHES
            }
            None => false,
        };
        // With few matches the planner must drive from them, not walk the sort's index: the `+`
        // keeps the index out of the ORDER BY.
        let sort_by = if few { format!("+{key}") } else { key.to_owned() };
        // Every filter, in the order its parameter is bound below: company, segment, search text.
        let company_filter = format!(
            "{}{}{}{}",
            // Lets the planner walk the (partial) score index.
            if by_score { " AND s.live = 1" } else { "" },
            if req.company_id.is_some() { " AND l.company_id = ?" } else { "" },
            if req.segment_id.is_some() { segment_filter("l.num") } else { String::new() },
            if text.is_some() { fts_filter("l.num") } else { String::new() }
        );
        // A jump by offset first finds the row at that position with an index-only scan (the
        // joins would otherwise run for every skipped row), then reads the page by keyset.
        let mut start = req.after.clone().map(|c| (c, false));
        let offset = req.offset.unwrap_or(0);
        if start.is_none() && offset > 0 {
            let anchor_sql = if by_score && req.company_id.is_none() {
                // The score index alone; the id is read for the one row found.
                format!(
                    "SELECT CAST(s.score AS TEXT), (SELECT id FROM leads WHERE num = s.lead_num) FROM scores s WHERE s.live = 1{}{}
                     ORDER BY s.score {order}, s.lead_num {order} LIMIT 1 OFFSET ?",
                    if req.segment_id.is_some() { segment_filter("s.lead_num") } else { String::new() },
                    if text.is_some() { fts_filter("s.lead_num") } else { String::new() }
                )
            } else {
                let scores = if by_score { "JOIN scores s ON s.lead_num = l.num" } else { "" };
                format!(
                    "SELECT CAST({key} AS TEXT), l.id FROM leads l {scores} WHERE l.deleted_at IS NULL{company_filter}
                     ORDER BY {sort_by} {order}, {tiebreak} {order} LIMIT 1 OFFSET ?"
                )
            };
            let mut anchor = sqlx::query_as::<_, (String, String)>(&anchor_sql);
            if let Some(company) = &req.company_id {
                anchor = anchor.bind(company);
            }
            if let Some(segment) = &req.segment_id {
                anchor = anchor.bind(segment);
            }
            if let Some(fts) = &text {
                anchor = anchor.bind(fts);
            }
            match anchor.bind(offset as i64).fetch_optional(&self.read).await? {
                Some((key, id)) => start = Some((LeadCursor { key, id }, true)),
                None => return Ok(LeadPage { rows: vec![], next: None }),
            }
        }
        let mut sql = format!(
            "SELECT {ROW_COLUMNS}, CAST({key} AS TEXT) AS sort_key FROM leads l {ROW_JOINS} WHERE l.deleted_at IS NULL{company_filter}"
        );
        if let Some((_, inclusive)) = &start {
            let cmp = if *inclusive { format!("{cmp}=") } else { cmp.to_owned() };
            sql.push_str(&format!(" AND ({key}, {tiebreak}) {cmp} (?, {})", req.sort.tiebreak_param()));
        }
        sql.push_str(&format!(" ORDER BY {sort_by} {order}, {tiebreak} {order} LIMIT ?"));
        let mut query = sqlx::query_as::<_, KeyedRow>(&sql);
        if let Some(company) = &req.company_id {
            query = query.bind(company);
        }
        if let Some(segment) = &req.segment_id {
            query = query.bind(segment);
        }
        if let Some(fts) = &text {
            query = query.bind(fts);
        }
        if let Some((cursor, _)) = &start {
            query = if req.sort == LeadSort::Score {
                let score: i64 = cursor.key.parse().map_err(|_| AppError::new(ErrorCode::InvalidCursor, format!("Bad score cursor “{}”", cursor.key)))?;
                query.bind(score)
            } else {
                query.bind(&cursor.key)
            };
            query = query.bind(&cursor.id);
        }
        let keyed = query.bind(limit).fetch_all(&self.read).await?;
        let next = if keyed.len() as i64 == limit {
            keyed.last().map(|k| LeadCursor { key: k.sort_key.clone(), id: k.row.id.clone() })
        } else {
            None
        };
        Ok(LeadPage { rows: keyed.into_iter().map(|k| k.row).collect(), next })
    }

    /// Type-ahead search over names, email, phone digits, company, job title and notes: leads
    /// matching every typed word, newest first. Newest-first lets FTS5 stop after `limit`
    /// matches; ranking would score every match (a quarter of a million "GmbH" leads) per keystroke.
    pub async fn search_leads(&self, req: &SearchRequest) -> Result<Vec<LeadRow>> {
        let Some(query) = search::fts_query(&req.text) else { return Ok(vec![]) };
        let limit = req.limit.clamp(1, 500) as i64;
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM (SELECT rowid AS num FROM leads_fts WHERE leads_fts MATCH ? ORDER BY rowid DESC LIMIT ?) m
             JOIN leads l ON l.num = m.num {ROW_JOINS} WHERE l.deleted_at IS NULL ORDER BY l.num DESC"
        );
        Ok(sqlx::query_as::<_, LeadRow>(&sql).bind(query).bind(limit).fetch_all(&self.read).await?)
    }
}

/// Sets a lead's score as typed (its row in `scores` exists from the lead's insert).
async fn set_score(tx: &mut Transaction<'static, Sqlite>, num: i64, score: i32) -> Result<()> {
    sqlx::query("UPDATE scores SET score = ?2 WHERE lead_num = ?1 AND score != ?2").bind(num).bind(score).execute(&mut **tx).await?;
    Ok(())
}

pub(crate) async fn fetch_lead(tx: &mut Transaction<'static, Sqlite>, id: &str) -> Result<Lead> {
    sqlx::query_as::<_, Lead>(&format!("{LEAD_SELECT} WHERE l.id = ? AND l.deleted_at IS NULL"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| AppError::not_found("lead", id))
}

fn fts_doc(lead: &ValidLead) -> FtsDoc<'_> {
    FtsDoc {
        first_name: &lead.first_name,
        last_name: &lead.last_name,
        email: lead.email.as_deref(),
        phone: lead.phone.as_ref(),
        company: lead.company_name.as_deref(),
        job_title: lead.job_title.as_deref(),
        notes: lead.notes.as_deref(),
    }
}

/// The user-visible value of every field, for the activity log's old → new.
#[derive(Default)]
struct Snapshot(Vec<(&'static str, Option<String>)>);

impl Snapshot {
    fn of(l: &Lead) -> Self {
        let custom = match &l.custom_fields {
            JsonValue::Object(m) if m.is_empty() => None,
            v => Some(v.to_string()),
        };
        Snapshot(vec![
            ("firstName", Some(l.first_name.clone()).filter(|s| !s.is_empty())),
            ("lastName", Some(l.last_name.clone()).filter(|s| !s.is_empty())),
            ("email", l.email.clone()),
            ("phone", l.phone_display.clone()),
            ("company", l.company_name.clone()),
            ("jobTitle", l.job_title.clone()),
            ("stage", l.stage_name.clone()),
            ("source", l.source_name.clone()),
            ("status", Some(l.status.clone())),
            ("score", Some(l.score.to_string())),
            ("budget", l.budget.clone()),
            ("authority", l.authority.clone()),
            ("need", l.need.clone()),
            ("timeline", l.timeline.clone()),
            ("notes", l.notes.clone()),
            ("customFields", custom),
        ])
    }

    fn get(&self, field: &str) -> Option<String> {
        self.0.iter().find(|(f, _)| *f == field).and_then(|(_, v)| v.clone())
    }
}

fn diff(before: &Snapshot, after: &Snapshot) -> Vec<FieldChange> {
    after
        .0
        .iter()
        .filter_map(|(field, new)| {
            let old = before.get(field);
            (old != *new).then(|| FieldChange { field: (*field).into(), old, new: new.clone() })
        })
        .collect()
}

/// Rewrites the search entries of leads written by sync, all of a page's at once after its rows.
/// Why not row by row: FTS5 writes its pending entries to disk as a new segment at every
/// statement savepoint, and inserting a lead opens one (its score trigger) — indexing each lead
/// before the next row's insert made one segment per lead, plus merges (a third of a first pull).
/// `leads`: row number → whether the lead was just inserted (no entry to remove: deleting a
/// missing rowid still costs FTS5 a tombstone).
pub(crate) fn reindex_synced_leads(conn: &rusqlite::Connection, leads: &std::collections::BTreeMap<i64, bool>) -> Result<()> {
    use rusqlite::OptionalExtension;
    type Row = (String, String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);
    for (&num, &fresh) in leads {
        let row: Option<Row> = conn
            .prepare_cached(
                "SELECT l.first_name, l.last_name, l.email, l.phone, l.phone_raw, l.job_title, l.notes, c.name, l.deleted_at
                 FROM leads l LEFT JOIN companies c ON c.id = l.company_id WHERE l.num = ?1",
            )?
            .query_row([num], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?)))
            .optional()?;
        if !fresh {
            search::unindex_lead_raw(conn, num)?;
        }
        let Some((first, last, email, phone, phone_raw, job_title, notes, company, None)) = row else { continue };
        // Numbers from the server are E.164 (region-free); a raw one alone is read as best it can.
        let parsed = match phone.as_deref() {
            Some(e164) => validate::stored_phone(e164),
            None => phone_raw.as_deref().and_then(|p| validate::normalize_phone(p, phonenumber::country::Id::US).ok()),
        };
        let doc = FtsDoc {
            first_name: &first,
            last_name: &last,
            email: email.as_deref(),
            phone: parsed.as_ref(),
            company: company.as_deref(),
            job_title: job_title.as_deref(),
            notes: notes.as_deref(),
        };
        search::index_lead_raw(conn, num, &doc)?;
    }
    Ok(())
}
