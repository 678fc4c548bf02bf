//! Follow-up reminders: the store side (create, edit, snooze, done, what is due) and the
//! scheduler that turns due reminders into OS notifications (`scheduler`).

pub mod recurrence;
pub mod scheduler;
pub mod when;

use crate::error::ErrorCode;
use crate::changes::{ChangeKind, ChangeSet};
use crate::clock::{format_time, new_id, now};
use crate::error::{AppError, Result};
use crate::Store;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{Sqlite, Transaction};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Reminder {
    pub id: String,
    pub lead_id: String,
    pub lead_name: String,
    pub message: String,
    /// UTC, RFC 3339. For a recurring reminder: the current occurrence.
    pub due_at: String,
    /// When the notification pops up (UTC); defaults to `due_at`.
    pub remind_at: String,
    /// pending, snoozed, done or dismissed.
    pub status: String,
    /// None, daily, weekdays, weekly, monthly or `RRULE:…`.
    pub recurrence: Option<String>,
    pub time_zone: String,
    /// Next notification (UTC); None once notified and not recurring, or when closed.
    pub fire_at: Option<String>,
    pub notified_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReminderInput {
    pub lead_id: String,
    pub message: String,
    /// RFC 3339 (any offset; stored as UTC).
    pub due_at: String,
    /// RFC 3339; defaults to `due_at`. Must not be after it.
    pub remind_at: Option<String>,
    pub recurrence: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ReminderScope {
    /// Pending and snoozed, earliest due first.
    #[default]
    Open,
    /// Open ones that are due now or earlier.
    Due,
    /// Done and dismissed, most recent first.
    Closed,
    /// Everything, earliest due first.
    All,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListRemindersRequest {
    pub scope: ReminderScope,
    pub lead_id: Option<String>,
    pub limit: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReminderCounts {
    /// Open and due before now.
    #[ts(type = "number")]
    pub overdue: i64,
    /// Open, due later today (local time).
    #[ts(type = "number")]
    pub today: i64,
    #[ts(type = "number")]
    pub upcoming: i64,
}

const SELECT: &str = "SELECT r.id, r.lead_id, trim(l.first_name || ' ' || l.last_name) AS lead_name, r.message, r.due_at, r.remind_at, \
     r.status, r.recurrence, r.time_zone, r.fire_at, r.notified_at, r.created_at, r.updated_at \
     FROM reminders r JOIN leads l ON l.id = r.lead_id";

fn parse_utc(field: &str, text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| AppError::field(ErrorCode::InvalidTime, field, format!("“{text}” is not a date and time (RFC 3339, e.g. 2026-12-01T09:00:00Z)")))
}

/// A validated input: times in UTC, recurrence normalized.
struct Checked {
    message: String,
    due_at: DateTime<Utc>,
    remind_at: DateTime<Utc>,
    recurrence: Option<String>,
}

fn check(input: &ReminderInput) -> Result<Checked> {
    let message = input.message.trim().to_owned();
    if message.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "message", "A reminder needs a message"));
    }
    if message.chars().count() > 2000 {
        return Err(AppError::field(ErrorCode::TooLong, "message", "The message is longer than 2000 characters"));
    }
    let due_at = parse_utc("dueAt", &input.due_at)?;
    let remind_at = match input.remind_at.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => parse_utc("remindAt", t)?,
        None => due_at,
    };
    if remind_at > due_at {
        return Err(AppError::field(ErrorCode::InvalidTime, "remindAt", "The reminder cannot pop up after the time it is due"));
    }
    // In range, so the arithmetic on them (the lead time of a repeat, the next occurrence) cannot overflow.
    when::check_range("dueAt", due_at, Utc::now())?;
    when::check_range("remindAt", remind_at, Utc::now())?;
    Ok(Checked { message, due_at, remind_at, recurrence: recurrence::normalize(input.recurrence.as_deref())? })
}

/// How one reminder changes when it is notified or marked done: a recurring one moves to its
/// next occurrence after now (missed ones are skipped), a single one has nothing left to notify.
fn advance(r: &Reminder, now_utc: DateTime<Utc>) -> Result<Option<(DateTime<Utc>, DateTime<Utc>)>> {
    let Some(rule) = &r.recurrence else { return Ok(None) };
    let due = parse_utc("dueAt", &r.due_at)?;
    let lead = due - parse_utc("remindAt", &r.remind_at)?.min(due);
    let after = due.max(now_utc + lead);
    Ok(recurrence::next_occurrence(rule, &r.time_zone, due, after)?.map(|next| (next, next - lead)))
}

impl Store {
    pub async fn create_reminder(&self, input: &ReminderInput) -> Result<Reminder> {
        let c = check(input)?;
        let zone = recurrence::local_time_zone();
        let mut tx = self.begin_write().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM leads WHERE id = ? AND deleted_at IS NULL")
            .bind(&input.lead_id).fetch_optional(&mut *tx).await?;
        if exists.is_none() {
            return Err(AppError::field(ErrorCode::NotFound, "leadId", format!("No lead with id {}", input.lead_id)));
        }
        let (id, ts) = (new_id(), now());
        let (due, remind) = (format_time(c.due_at), format_time(c.remind_at));
        sqlx::query(
            "INSERT INTO reminders (id, space_id, lead_id, user_id, assigned_to, message, due_at, remind_at, status, recurrence,
                time_zone, fire_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, 'pending', ?8, ?9, ?7, ?10, ?10)",
        )
        .bind(&id).bind(&self.identity().space_id).bind(&input.lead_id).bind(&self.identity().user_id).bind(&c.message)
        .bind(&due).bind(&remind).bind(&c.recurrence).bind(&zone).bind(&ts)
        .execute(&mut *tx).await?;
        let reminder = fetch(&mut tx, &id).await?;
        let mut changed = ChangeSet::new();
        changed.lead(&input.lead_id, ChangeKind::Reminder, format!("Reminder set for {due}: {}", c.message), vec![]);
        self.commit_changes(tx, changed).await?;
        self.reminders_changed();
        Ok(reminder)
    }

    /// Edits or reschedules: the reminder becomes pending again and notifies at its new time.
    pub async fn update_reminder(&self, id: &str, input: &ReminderInput) -> Result<Reminder> {
        let c = check(input)?;
        let mut tx = self.begin_write().await?;
        let before = fetch(&mut tx, id).await?;
        let remind = format_time(c.remind_at);
        sqlx::query(
            "UPDATE reminders SET message = ?, due_at = ?, remind_at = ?, recurrence = ?, status = 'pending', fire_at = ?, updated_at = ?
             WHERE id = ?",
        )
        .bind(&c.message).bind(format_time(c.due_at)).bind(&remind).bind(&c.recurrence).bind(&remind).bind(now()).bind(id)
        .execute(&mut *tx).await?;
        let mut changed = ChangeSet::new();
        if before.due_at != format_time(c.due_at) {
            changed.lead(&before.lead_id, ChangeKind::Reminder, format!("Reminder moved to {}: {}", format_time(c.due_at), c.message), vec![]);
        }
        let reminder = fetch(&mut tx, id).await?;
        self.commit_changes(tx, changed).await?;
        self.reminders_changed();
        Ok(reminder)
    }

    pub async fn get_reminder(&self, id: &str) -> Result<Reminder> {
        sqlx::query_as::<_, Reminder>(&format!("{SELECT} WHERE r.id = ? AND r.deleted_at IS NULL"))
            .bind(id).fetch_optional(&self.read).await?
            .ok_or_else(|| AppError::not_found("reminder", id))
    }

    pub async fn list_reminders(&self, req: &ListRemindersRequest) -> Result<Vec<Reminder>> {
        let limit = if req.limit == 0 { 500 } else { req.limit.min(5000) } as i64;
        let (filter, order) = match req.scope {
            ReminderScope::Open => ("r.status IN ('pending', 'snoozed')", "r.due_at, r.id"),
            ReminderScope::Due => ("r.status IN ('pending', 'snoozed') AND r.due_at <= ?2", "r.due_at, r.id"),
            ReminderScope::Closed => ("r.status IN ('done', 'dismissed')", "r.updated_at DESC, r.id DESC"),
            ReminderScope::All => ("1", "r.due_at, r.id"),
        };
        let sql = format!("{SELECT} WHERE r.deleted_at IS NULL AND (?1 IS NULL OR r.lead_id = ?1) AND {filter} ORDER BY {order} LIMIT ?3");
        Ok(sqlx::query_as::<_, Reminder>(&sql).bind(&req.lead_id).bind(now()).bind(limit).fetch_all(&self.read).await?)
    }

    /// Counts for the navigation badge and the tray: overdue, later today (in `zone`), later.
    pub async fn reminder_counts(&self) -> Result<ReminderCounts> {
        let now_utc = Utc::now();
        let zone = recurrence::parse_zone(&recurrence::local_time_zone())?;
        let local_midnight = (now_utc.with_timezone(&zone).date_naive() + Duration::days(1)).and_hms_opt(0, 0, 0).expect("midnight");
        let end_of_today = chrono::TimeZone::from_local_datetime(&zone, &local_midnight).earliest().map(|t| t.with_timezone(&Utc)).unwrap_or(now_utc);
        let (overdue, today, upcoming): (i64, i64, i64) = sqlx::query_as(
            "SELECT count(*) FILTER (WHERE due_at <= ?1), count(*) FILTER (WHERE due_at > ?1 AND due_at < ?2), count(*) FILTER (WHERE due_at >= ?2)
             FROM reminders WHERE deleted_at IS NULL AND status IN ('pending', 'snoozed')",
        )
        .bind(format_time(now_utc)).bind(format_time(end_of_today))
        .fetch_one(&self.read).await?;
        Ok(ReminderCounts { overdue, today, upcoming })
    }

    /// Done: a single reminder closes; a recurring one moves on to its next occurrence.
    pub async fn complete_reminder(&self, id: &str) -> Result<Reminder> {
        let mut tx = self.begin_write().await?;
        let r = fetch(&mut tx, id).await?;
        let ts = now();
        match advance(&r, Utc::now())? {
            Some((due, remind)) => {
                sqlx::query("UPDATE reminders SET status = 'pending', due_at = ?, remind_at = ?, fire_at = ?, updated_at = ? WHERE id = ?")
                    .bind(format_time(due)).bind(format_time(remind)).bind(format_time(remind)).bind(&ts).bind(id)
                    .execute(&mut *tx).await?;
            }
            None => {
                sqlx::query("UPDATE reminders SET status = 'done', fire_at = NULL, updated_at = ? WHERE id = ?")
                    .bind(&ts).bind(id).execute(&mut *tx).await?;
            }
        }
        let reminder = fetch(&mut tx, id).await?;
        let mut changed = ChangeSet::new();
        changed.lead(&r.lead_id, ChangeKind::Reminder, format!("Reminder done: {}", r.message), vec![]);
        self.commit_changes(tx, changed).await?;
        self.reminders_changed();
        Ok(reminder)
    }

    /// Pops up again in `minutes` (due time unchanged, so it stays listed as overdue).
    pub async fn snooze_reminder(&self, id: &str, minutes: u32) -> Result<Reminder> {
        self.snooze_reminder_for(id, Duration::minutes(minutes as i64)).await
    }

    pub async fn snooze_reminder_for(&self, id: &str, delay: Duration) -> Result<Reminder> {
        if delay < Duration::seconds(1) || delay > Duration::days(365) {
            return Err(AppError::field(ErrorCode::InvalidDuration, "minutes", "Snooze for between a second and a year"));
        }
        let mut tx = self.begin_write().await?;
        let r = fetch(&mut tx, id).await?;
        if r.status == "done" || r.status == "dismissed" {
            return Err(AppError::new(ErrorCode::Closed, format!("The reminder “{}” is {} and cannot be snoozed", r.message, r.status)));
        }
        let at = format_time(Utc::now() + delay);
        sqlx::query("UPDATE reminders SET status = 'snoozed', fire_at = ?1, updated_at = ?2 WHERE id = ?3")
            .bind(&at).bind(now()).bind(id).execute(&mut *tx).await?;
        let reminder = fetch(&mut tx, id).await?;
        tx.commit().await?;
        self.reminders_changed();
        Ok(reminder)
    }

    /// Stops a reminder (and its series) without marking it done.
    pub async fn dismiss_reminder(&self, id: &str) -> Result<Reminder> {
        let mut tx = self.begin_write().await?;
        fetch(&mut tx, id).await?;
        sqlx::query("UPDATE reminders SET status = 'dismissed', fire_at = NULL, updated_at = ? WHERE id = ?")
            .bind(now()).bind(id).execute(&mut *tx).await?;
        let reminder = fetch(&mut tx, id).await?;
        tx.commit().await?;
        self.reminders_changed();
        Ok(reminder)
    }

    pub async fn delete_reminder(&self, id: &str) -> Result<()> {
        let ts = now();
        let done = sqlx::query("UPDATE reminders SET deleted_at = ?, fire_at = NULL, updated_at = ? WHERE id = ? AND deleted_at IS NULL")
            .bind(&ts).bind(&ts).bind(id).execute(&self.write).await?;
        if done.rows_affected() == 0 {
            return Err(AppError::not_found("reminder", id));
        }
        self.reminders_changed();
        Ok(())
    }

    /// When the scheduler must next wake: one lookup in the `reminders_to_fire` index.
    pub async fn next_fire_at(&self) -> Result<Option<DateTime<Utc>>> {
        let next: Option<String> = sqlx::query_scalar("SELECT min(fire_at) FROM reminders WHERE fire_at IS NOT NULL AND deleted_at IS NULL")
            .fetch_one(&self.read).await?;
        next.map(|t| parse_utc("fireAt", &t)).transpose()
    }

    /// Reminders whose notification time is at or before `until`, oldest first.
    pub async fn reminders_to_fire(&self, until: DateTime<Utc>, limit: u32) -> Result<Vec<Reminder>> {
        Ok(sqlx::query_as::<_, Reminder>(&format!(
            "{SELECT} WHERE r.fire_at IS NOT NULL AND r.deleted_at IS NULL AND r.fire_at <= ? ORDER BY r.fire_at, r.id LIMIT ?"
        ))
        .bind(format_time(until)).bind(limit as i64)
        .fetch_all(&self.read).await?)
    }

    /// Records that the OS showed the notification for `r` (as read when it was fired). Returns
    /// false, changing nothing, when the reminder changed meanwhile (snoozed, edited, done):
    /// its new state stands and is notified on its own terms.
    pub async fn mark_reminder_notified(&self, r: &Reminder, at: DateTime<Utc>, missed: bool) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let ts = format_time(at);
        let next = advance(r, at)?;
        let changed = sqlx::query(
            "UPDATE reminders SET notified_at = ?1, status = CASE WHEN status = 'snoozed' THEN 'pending' ELSE status END,
                due_at = coalesce(?2, due_at), remind_at = coalesce(?3, remind_at), fire_at = ?3, updated_at = ?1
             WHERE id = ?4 AND fire_at IS ?5 AND deleted_at IS NULL",
        )
        .bind(&ts).bind(next.map(|n| format_time(n.0))).bind(next.map(|n| format_time(n.1))).bind(&r.id).bind(&r.fire_at)
        .execute(&mut *tx).await?;
        if changed.rows_affected() == 0 {
            return Ok(false);
        }
        let what = if missed { "Missed reminder shown" } else { "Reminder notified" };
        let mut changed = ChangeSet::new();
        changed.lead(&r.lead_id, ChangeKind::Reminder, format!("{what}: {}", r.message), vec![]);
        self.commit_changes(tx, changed).await?;
        Ok(true)
    }

    /// Wakes this process's scheduler after a reminder write (other processes are seen through
    /// the database file watcher, see `scheduler`).
    fn reminders_changed(&self) {
        self.reminder_wake.notify_one();
    }
}

async fn fetch(tx: &mut Transaction<'static, Sqlite>, id: &str) -> Result<Reminder> {
    sqlx::query_as::<_, Reminder>(&format!("{SELECT} WHERE r.id = ? AND r.deleted_at IS NULL"))
        .bind(id).fetch_optional(&mut **tx).await?
        .ok_or_else(|| AppError::not_found("reminder", id))
}
