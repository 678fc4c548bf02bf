//! Follow-up reminders: list, counts, create, edit, done, snooze, dismiss, delete.

use super::app_commands;
use leadbook_core::*;

app_commands! {
    reminder_list(store, req: ListRemindersRequest) -> Vec<Reminder>, reads [Reminders], stales [] { store.list_reminders(&req).await }
    reminder_counts(store) -> ReminderCounts, reads [Reminders], stales [] { store.reminder_counts().await }
    reminder_create(store, req: ReminderCreate { input: ReminderInput }) -> Reminder, reads [], stales [Store, Reminders, Leads, Scores, Segments] {
        store.create_reminder(&req.input).await
    }
    reminder_update(store, req: ReminderUpdate { id: String, input: ReminderInput }) -> Reminder, reads [], stales [Store, Reminders, Leads, Scores, Segments] {
        store.update_reminder(&req.id, &req.input).await
    }
    reminder_complete(store, req: ReminderComplete { id: String }) -> Reminder, reads [], stales [Store, Reminders, Leads, Scores, Segments] {
        store.complete_reminder(&req.id).await
    }
    reminder_snooze(store, req: ReminderSnooze { id: String, minutes: u32 }) -> Reminder, reads [], stales [Reminders] {
        store.snooze_reminder(&req.id, req.minutes).await
    }
    reminder_dismiss(store, req: ReminderDismiss { id: String }) -> Reminder, reads [], stales [Reminders] { store.dismiss_reminder(&req.id).await }
    reminder_delete(store, req: ReminderDelete { id: String }) -> (), reads [], stales [Reminders] { store.delete_reminder(&req.id).await }
    /// Reads a time as the CLI's `--at` does: "+2h", "tomorrow 09:00", "monday 9:00", RFC 3339.
    reminder_parse_time(store, req: ReminderParseTime { text: String }) -> String, reads [], stales [] {
        let zone = reminders::recurrence::local_time_zone();
        let zone: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
        reminders::when::parse_when(&req.text, chrono::Utc::now(), zone).map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
    }
}
