//! The lead activity log: every write through the store leaves an entry saying what changed.

use crate::error::ErrorCode;
use crate::changes::{ChangeKind, LeadChange};
use crate::error::AppError;
use crate::clock::{new_id, now};
use crate::error::Result;
use crate::Store;
use serde::{Deserialize, Serialize};
use sqlx::{Sqlite, Transaction};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    pub id: String,
    pub lead_id: String,
    pub activity_type: String,
    pub description: String,
    pub changes: Vec<FieldChange>,
    /// A logged call's or meeting's outcome ("Left a voicemail"); absent on other entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional = nullable)]
    pub outcome: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional = nullable)]
    pub duration_minutes: Option<u32>,
    pub user_name: Option<String>,
    pub created_at: String,
}

/// What the user logs by hand on a lead (seed 001's `activity_type`: call_made, email_sent, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum LoggedKind {
    Call,
    Email,
    Meeting,
    Note,
}

impl LoggedKind {
    fn change_kind(self) -> ChangeKind {
        match self {
            LoggedKind::Call => ChangeKind::Call,
            LoggedKind::Email => ChangeKind::Email,
            LoggedKind::Meeting => ChangeKind::Meeting,
            LoggedKind::Note => ChangeKind::Note,
        }
    }

    /// Calls and meetings take time; an email or a note has no duration.
    fn has_duration(self) -> bool {
        matches!(self, LoggedKind::Call | LoggedKind::Meeting)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LogActivityInput {
    pub lead_id: String,
    pub kind: LoggedKind,
    /// What happened, in the user's words (required for an email or a note).
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub outcome: Option<String>,
    /// Minutes, 1 to 1440 (a day); calls and meetings only.
    #[serde(default)]
    pub duration_minutes: Option<u32>,
}

pub const MAX_MESSAGE_CHARS: usize = 5_000;
pub const MAX_OUTCOME_CHARS: usize = 200;
pub const MAX_DURATION_MINUTES: u32 = 24 * 60;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActivityPage {
    pub rows: Vec<Activity>,
    /// Pass as `before` to get the next (older) page; None at the end.
    pub next: Option<String>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ActivityData {
    #[serde(default)]
    changes: Vec<FieldChange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<String>,
    // Range-checked on the way in; a synced row's value is read as untrusted (u32, else dropped).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient_minutes")]
    duration_minutes: Option<u32>,
}

fn lenient_minutes<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<u32>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(v.and_then(|v| v.as_u64()).and_then(|n| u32::try_from(n).ok()).filter(|n| (1..=MAX_DURATION_MINUTES).contains(n)))
}

/// Writes one change's timeline entry inside the write's transaction, so the entry exists
/// exactly when the change does (called by `Store::commit_changes`).
pub(crate) async fn log(tx: &mut Transaction<'static, Sqlite>, store: &Store, change: &LeadChange) -> Result<()> {
    let ts = now();
    let data = serde_json::to_string(&ActivityData { changes: change.fields.clone(), outcome: change.outcome.clone(), duration_minutes: change.duration_minutes })?;
    sqlx::query(
        "INSERT INTO lead_activities (id, space_id, lead_id, user_id, activity_type, description, activity_data, created_at, updated_at)
         SELECT ?, space_id, id, ?, ?, ?, ?, ?, ? FROM leads WHERE id = ?",
    )
    .bind(new_id())
    .bind(&store.identity().user_id)
    .bind(change.kind.as_str())
    .bind(&change.description)
    .bind(data)
    .bind(&ts)
    .bind(&ts)
    .bind(&change.lead_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// "Updated email and phone" / "Updated email, phone and stage".
pub(crate) fn describe_update(changes: &[FieldChange]) -> String {
    let names: Vec<&str> = changes.iter().map(|c| label(&c.field)).collect();
    match names.as_slice() {
        [] => "No changes".into(),
        [one] => format!("Updated {one}"),
        [rest @ .., last] => format!("Updated {} and {last}", rest.join(", ")),
    }
}

fn label(field: &str) -> &str {
    match field {
        "firstName" => "first name",
        "lastName" => "last name",
        "jobTitle" => "job title",
        "customFields" => "custom fields",
        "companyName" => "company",
        other => other,
    }
}

/// Checks a logged activity before anything is written; each error names its field.
fn validate_logged(input: &LogActivityInput) -> Result<(String, Option<String>, Option<u32>)> {
    let message = input.message.trim().to_owned();
    let outcome = input.outcome.as_deref().map(str::trim).filter(|o| !o.is_empty()).map(str::to_owned);
    if message.is_empty() && outcome.is_none() {
        return Err(AppError::field(ErrorCode::Required, "message", "Say what happened (a line is enough)"));
    }
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(AppError::field(ErrorCode::TooLong, "message", format!("Keep it under {MAX_MESSAGE_CHARS} characters")));
    }
    if outcome.as_ref().is_some_and(|o| o.chars().count() > MAX_OUTCOME_CHARS) {
        return Err(AppError::field(ErrorCode::TooLong, "outcome", format!("An outcome is at most {MAX_OUTCOME_CHARS} characters")));
    }
    match input.duration_minutes {
        Some(_) if !input.kind.has_duration() => {
            Err(AppError::field(ErrorCode::InvalidDuration, "durationMinutes", "Only a call or a meeting has a duration"))
        }
        Some(m) if !(1..=MAX_DURATION_MINUTES).contains(&m) => {
            Err(AppError::field(ErrorCode::InvalidDuration, "durationMinutes", format!("A duration is 1 to {MAX_DURATION_MINUTES} minutes, not {m}")))
        }
        duration => Ok((message, outcome, duration)),
    }
}

impl Store {
    /// Logs a call, an email, a meeting or a note on a lead: one timeline entry, written with
    /// the followers (score, automatic segments) in one transaction, synced like every entry.
    pub async fn log_activity(&self, input: &LogActivityInput) -> Result<Activity> {
        let (message, outcome, duration) = validate_logged(input)?;
        let mut tx = self.begin_write().await?;
        let live: Option<i64> = sqlx::query_scalar("SELECT num FROM leads WHERE id = ? AND deleted_at IS NULL").bind(&input.lead_id).fetch_optional(&mut *tx).await?;
        if live.is_none() {
            return Err(AppError::field(ErrorCode::NotFound, "leadId", format!("There is no lead {}", input.lead_id)));
        }
        let description = if message.is_empty() { outcome.clone().unwrap_or_default() } else { message };
        let kind = input.kind.change_kind();
        let mut changed = crate::changes::ChangeSet::new();
        changed.logged(&input.lead_id, kind, description, outcome, duration);
        self.commit_changes(tx, changed).await?;
        let (id,): (String,) = sqlx::query_as("SELECT id FROM lead_activities WHERE lead_id = ? AND activity_type = ? ORDER BY id DESC LIMIT 1")
            .bind(&input.lead_id)
            .bind(kind.as_str())
            .fetch_one(&self.read)
            .await?;
        let page = self.lead_activities(&input.lead_id, None, 50).await?;
        page.rows.into_iter().find(|a| a.id == id).ok_or_else(|| AppError::not_found("activity", &id))
    }

    /// A lead's timeline, newest first, in one list: its log (edits, inquiries, reminders,
    /// notes), its analytics events, its score changes and threshold crossings.
    /// `before` is the `next` of the previous page. Bulk re-scores are probed run by run
    /// (see `Store::score_history`).
    pub async fn lead_activities(&self, lead_id: &str, before: Option<&str>, limit: u32) -> Result<ActivityPage> {
        let limit = limit.clamp(1, 200) as i64;
        let (before_at, before_id) = match before.map(|b| b.split_once('|')) {
            Some(Some((at, id))) => (Some(at.to_owned()), Some(id.to_owned())),
            Some(None) => return Err(crate::error::AppError::new(ErrorCode::InvalidCursor, format!("Bad timeline cursor “{}”", before.unwrap_or_default()))),
            None => (None, None),
        };
        let rows: Vec<(String, String, String, String, Option<String>, Option<String>, String)> = sqlx::query_as(
            "WITH lead AS (SELECT num FROM leads WHERE id = ?1)
             SELECT id, lead_id, activity_type, description, data, username, at FROM (
               SELECT a.id, a.lead_id, a.activity_type, a.description, a.activity_data AS data, u.username, a.created_at AS at
               FROM lead_activities a LEFT JOIN users u ON u.id = a.user_id
               WHERE a.lead_id = ?1 AND a.deleted_at IS NULL
             UNION ALL
               SELECT e.id, ?1, 'event', e.event_type || ifnull(': ' || e.event_value, ''), NULL, NULL, e.occurred_at
               FROM analytics_events e WHERE e.lead_num = (SELECT num FROM lead)
             UNION ALL
               SELECT 'score-' || c.num, ?1, 'score', 'Score ' || c.old_score || ' → ' || c.new_score || ' (' || c.cause || '): ' || c.detail,
                      json_object('changes', json_array(json_object('field', 'score', 'old', CAST(c.old_score AS TEXT), 'new', CAST(c.new_score AS TEXT)))),
                      NULL, c.created_at
               FROM score_changes c WHERE c.lead_num = (SELECT num FROM lead)
             UNION ALL
               SELECT 'score-run-' || r.num, ?1, 'score', 'Score ' || x.old_score || ' → ' || x.new_score || ' (' || r.cause || '): ' || r.detail,
                      json_object('changes', json_array(json_object('field', 'score', 'old', CAST(x.old_score AS TEXT), 'new', CAST(x.new_score AS TEXT)))),
                      NULL, r.created_at
               FROM score_runs r CROSS JOIN score_run_changes x ON x.run = r.num AND x.lead_num = (SELECT num FROM lead)
             UNION ALL
               SELECT 'crossing-' || x.num, ?1, 'threshold',
                      CASE x.direction WHEN 'up' THEN 'Became ' || x.label || ': score ' || x.score || ' reached ' || x.threshold
                                       ELSE 'No longer ' || x.label || ': score ' || x.score || ' fell below ' || x.threshold END,
                      NULL, NULL, x.created_at
               FROM score_crossings x WHERE x.lead_num = (SELECT num FROM lead)
             )
             WHERE ?2 IS NULL OR at < ?2 OR (at = ?2 AND id < ?3)
             ORDER BY at DESC, id DESC LIMIT ?4",
        )
        .bind(lead_id)
        .bind(before_at)
        .bind(before_id)
        .bind(limit + 1)
        .fetch_all(&self.read)
        .await?;
        let has_more = rows.len() as i64 > limit;
        let mut rows: Vec<Activity> = rows
            .into_iter()
            .take(limit as usize)
            .map(|(id, lead_id, activity_type, description, data, user_name, created_at)| {
                let data = data.and_then(|d| serde_json::from_str::<ActivityData>(&d).ok()).unwrap_or_default();
                Activity {
                changes: data.changes,
                outcome: data.outcome,
                duration_minutes: data.duration_minutes,
                id,
                lead_id,
                activity_type,
                description,
                user_name,
                created_at,
            }})
            .collect();
        let next = if has_more { rows.last().map(|a| format!("{}|{}", a.created_at, a.id)) } else { None };
        // Leads from bulk loads carry no creation row (a million of them would double the load);
        // the timeline's last page then ends with the creation the lead row itself records.
        // An imported lead's "imported" entry is its creation.
        if !has_more && !rows.iter().any(|a| a.activity_type == "created" || a.activity_type == "imported") {
            let created: Option<(String, Option<String>)> = sqlx::query_as(
                "SELECT l.created_at, u.username FROM leads l LEFT JOIN users u ON u.id = l.user_id WHERE l.id = ?",
            )
            .bind(lead_id)
            .fetch_optional(&self.read)
            .await?;
            if let Some((created_at, user_name)) = created {
                rows.push(Activity {
                    id: format!("created-{lead_id}"),
                    lead_id: lead_id.to_owned(),
                    activity_type: "created".into(),
                    description: "Lead created".into(),
                    changes: vec![],
                    outcome: None,
                    duration_minutes: None,
                    user_name,
                    created_at,
                });
            }
        }
        Ok(ActivityPage { rows, next })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(field: &str) -> FieldChange {
        FieldChange { field: field.into(), old: None, new: None }
    }

    #[test]
    fn update_descriptions_read_as_sentences() {
        assert_eq!(describe_update(&[change("email")]), "Updated email");
        assert_eq!(describe_update(&[change("email"), change("phone")]), "Updated email and phone");
        assert_eq!(
            describe_update(&[change("firstName"), change("phone"), change("stage")]),
            "Updated first name, phone and stage"
        );
    }
}
