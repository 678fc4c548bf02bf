//! Reminders in the store: validation, what the scheduler sees, and how done / snooze /
//! notification move a reminder along. The D-Bus side is tested in crates/cli/tests/it/notifier.rs.

use chrono::{Duration, Utc};
use leadbook_core::*;

async fn store_with_lead() -> (tempfile::TempDir, Store, String) {
    let (dir, store) = crate::support::blank_store().await;
    let lead = store.create_lead(&LeadInput { first_name: "Grace".into(), last_name: "Hopper".into(), ..Default::default() }).await.unwrap();
    (dir, store, lead.id)
}

fn input(lead: &str, due: chrono::DateTime<Utc>) -> ReminderInput {
    ReminderInput { lead_id: lead.into(), message: "Call back".into(), due_at: due.to_rfc3339(), ..Default::default() }
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let (_d, s, lead) = store_with_lead().await;
    let due = Utc::now() + Duration::hours(1);
    let cases = [
        (ReminderInput { message: "  ".into(), ..input(&lead, due) }, "message"),
        (ReminderInput { due_at: "next week-ish".into(), ..input(&lead, due) }, "dueAt"),
        (ReminderInput { remind_at: Some((due + Duration::minutes(1)).to_rfc3339()), ..input(&lead, due) }, "remindAt"),
        (ReminderInput { recurrence: Some("FREQ=FORTNIGHTLYISH".into()), ..input(&lead, due) }, "recurrence"),
        (ReminderInput { lead_id: "no-such-lead".into(), ..input(&lead, due) }, "leadId"),
    ];
    for (bad, field) in cases {
        let err = s.create_reminder(&bad).await.unwrap_err();
        assert_eq!(err.field.as_deref(), Some(field), "{err:?}");
    }
    assert!(s.list_reminders(&ListRemindersRequest { scope: ReminderScope::All, ..Default::default() }).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_scheduler_sees_the_earliest_time_and_a_delivery_is_recorded_once() {
    let (_d, s, lead) = store_with_lead().await;
    assert_eq!(s.next_fire_at().await.unwrap(), None);
    let later = s.create_reminder(&input(&lead, Utc::now() + Duration::hours(2))).await.unwrap();
    let soon = s
        .create_reminder(&ReminderInput {
            remind_at: Some((Utc::now() - Duration::seconds(1)).to_rfc3339()),
            ..input(&lead, Utc::now() + Duration::hours(1))
        })
        .await
        .unwrap();
    assert_eq!(s.next_fire_at().await.unwrap().unwrap().to_rfc3339_opts(chrono::SecondsFormat::Millis, true), soon.remind_at);
    let due = s.reminders_to_fire(Utc::now(), 10).await.unwrap();
    assert_eq!(due.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [soon.id.as_str()]);
    assert_eq!(due[0].lead_name, "Grace Hopper");

    // Snoozed between reading and recording: the snooze wins, nothing is marked delivered.
    s.snooze_reminder(&soon.id, 5).await.unwrap();
    assert!(!s.mark_reminder_notified(&due[0], Utc::now(), false).await.unwrap());
    let snoozed = s.get_reminder(&soon.id).await.unwrap();
    assert_eq!((snoozed.status.as_str(), snoozed.notified_at.as_deref()), ("snoozed", None));

    let current = s.reminders_to_fire(Utc::now() + Duration::minutes(6), 10).await.unwrap();
    assert_eq!(current.len(), 1);
    assert!(s.mark_reminder_notified(&current[0], Utc::now(), false).await.unwrap());
    assert!(!s.mark_reminder_notified(&current[0], Utc::now(), false).await.unwrap(), "recorded once");
    let notified = s.get_reminder(&soon.id).await.unwrap();
    assert_eq!((notified.status.as_str(), notified.fire_at.as_deref()), ("pending", None));
    assert_eq!(s.next_fire_at().await.unwrap().unwrap().to_rfc3339_opts(chrono::SecondsFormat::Millis, true), later.remind_at);

    // The lead's timeline tells the story.
    let timeline = s.lead_activities(&lead, None, 50).await.unwrap();
    let reminder_entries: Vec<&str> = timeline.rows.iter().filter(|a| a.activity_type == "reminder").map(|a| a.description.as_str()).collect();
    assert_eq!(reminder_entries.len(), 3, "{reminder_entries:?}");
    assert!(reminder_entries[0].starts_with("Reminder notified: Call back"));
}

#[tokio::test]
async fn done_closes_a_single_reminder_and_advances_a_recurring_one() {
    let (_d, s, lead) = store_with_lead().await;
    let single = s.create_reminder(&input(&lead, Utc::now() - Duration::hours(1))).await.unwrap();
    let done = s.complete_reminder(&single.id).await.unwrap();
    assert_eq!((done.status.as_str(), done.fire_at), ("done", None));
    assert!(s.snooze_reminder(&single.id, 10).await.is_err(), "a closed reminder cannot be snoozed");

    let due = Utc::now() - Duration::days(3) - Duration::hours(1);
    let weekly = s.create_reminder(&ReminderInput { recurrence: Some("daily".into()), ..input(&lead, due) }).await.unwrap();
    let next = s.complete_reminder(&weekly.id).await.unwrap();
    assert_eq!(next.status, "pending");
    let next_due: chrono::DateTime<Utc> = next.due_at.parse().unwrap();
    // Missed days are skipped: the next one is within a day from now, at the same time of day.
    assert!(next_due > Utc::now() && next_due <= Utc::now() + Duration::days(1), "{next_due}");
    assert_eq!(next.fire_at.as_deref(), Some(next.remind_at.as_str()));

    let counts = s.reminder_counts().await.unwrap();
    assert_eq!(counts.overdue, 0);
    assert_eq!(counts.today + counts.upcoming, 1);
    let closed = s.list_reminders(&ListRemindersRequest { scope: ReminderScope::Closed, ..Default::default() }).await.unwrap();
    assert_eq!(closed.len(), 1);
    s.dismiss_reminder(&weekly.id).await.unwrap();
    assert_eq!(s.next_fire_at().await.unwrap(), None, "a dismissed series notifies no more");
}

#[tokio::test]
async fn deleting_a_lead_removes_its_reminders() {
    let (_d, s, lead) = store_with_lead().await;
    let r = s.create_reminder(&input(&lead, Utc::now() + Duration::hours(1))).await.unwrap();
    s.delete_lead(&lead).await.unwrap();
    assert_eq!(s.next_fire_at().await.unwrap(), None);
    assert_eq!(s.get_reminder(&r.id).await.unwrap_err().code, "not_found");
    assert_eq!(s.reminder_counts().await.unwrap(), ReminderCounts::default());
}
