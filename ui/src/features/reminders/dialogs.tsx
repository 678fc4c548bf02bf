import type { Reminder } from "../../bindings";
import { showDialog } from "../../core/dialogs";
import { invalidate } from "../../core/data";
import { ReminderForm } from "./ReminderForm";

/** The reminder form: a new reminder on `lead`, or `reminder` to edit / reschedule. */
export function showReminderForm(lead: { id: string; name: string }, reminder: Reminder | null = null): void {
  showDialog("reminder-form", (close) => (
    <ReminderForm
      lead={lead}
      reminder={reminder}
      onClose={close}
      onSaved={() => {
        close();
        invalidate(["reminders"]);
      }}
    />
  ));
}

/** Edit / reschedule a reminder, from a list row. */
export function editReminder(reminder: Reminder): void {
  showReminderForm({ id: reminder.leadId, name: reminder.leadName }, reminder);
}
