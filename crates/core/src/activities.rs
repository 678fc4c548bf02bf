//! The lead activity log: every write through the store leaves an entry saying what changed.

use crate::error::ErrorCode;
use crate::changes::LeadChange;
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
    pub user_name: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActivityPage {
    pub rows: Vec<Activity>,
    /// Pass as `before` to get the next (older) page; None at the end.
    pub next: Option<String>,
}

#[derive(Serialize, Deserialize, Default)]
struct ActivityData {
    #[serde(default)]
    changes: Vec<FieldChange>,
}

/// Writes one change's timeline entry inside the write's transaction, so the entry exists
/// exactly when the change does (called by `Store::commit_changes`).
pub(crate) async fn log(tx: &mut Transaction<'static, Sqlite>, store: &Store, change: &LeadChange) -> Result<()> {
    let ts = now();
    let data = serde_json::to_string(&ActivityData { changes: change.fields.clone() })?;
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

impl Store {
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
            .map(|(id, lead_id, activity_type, description, data, user_name, created_at)| Activity {
                changes: data.and_then(|d| serde_json::from_str::<ActivityData>(&d).ok()).unwrap_or_default().changes,
                id,
                lead_id,
                activity_type,
                description,
                user_name,
                created_at,
            })
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
