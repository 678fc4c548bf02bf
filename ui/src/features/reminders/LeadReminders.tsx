import "./reminders.css";
import { useQuery } from "@tanstack/react-query";
import { commands, type Reminder } from "../../bindings";
import { editReminder, showReminderForm } from "./dialogs";
import { toAppError } from "../../core/errors";
import { DueTime, ReminderTags, SnoozeMenu, useNow, useReminderActions } from "./ReminderBits";
import { ErrorState } from "../../core/ui";
import { IconBell, IconPlus, IconTick } from "../../core/icons";

export const LEAD_REMINDER_LIMIT = 50;

/** The "Reminders" section of the lead panel: the lead's open reminders and "Add reminder". */
export function LeadReminders({ leadId, leadName }: { leadId: string; leadName: string }) {
  const now = useNow();
  const actions = useReminderActions();
  const query = useQuery({
    queryKey: ["reminders", "lead", leadId],
    queryFn: () => commands.reminderList({ scope: "open", leadId, limit: LEAD_REMINDER_LIMIT }),
  });
  const rows: Reminder[] | null = query.data ?? null;
  const error = query.error ? toAppError(query.error) : null;

  return (
    <div className="section" data-testid="lead-reminders">
      <div className="section-head">
        <h3 className="section-title">Reminders</h3>
        <button
          type="button"
          className="btn btn-sm btn-ghost"
          data-testid="add-reminder"
          onClick={() => showReminderForm({ id: leadId, name: leadName })}
        >
          <IconPlus size={13} />
          Add reminder
        </button>
      </div>
      {error && !rows && (
        <ErrorState testId="lead-reminders-error" title="Couldn't load reminders" message={error.message} onRetry={() => void query.refetch()} />
      )}
      {rows && rows.length === 0 && <div className="muted">No open reminders.</div>}
      {rows && rows.length > 0 && (
        <ul className="lead-reminders">
          {rows.map((r) => (
            <li key={r.id} className="lead-reminder" data-testid="lead-reminder" data-reminder-id={r.id} data-status={r.status}>
              <IconBell size={14} className="lead-reminder-icon" />
              <div className="lead-reminder-main">
                <button
                  type="button"
                  className="link-btn lead-reminder-text"
                  title="Edit or reschedule"
                  data-testid="reminder-edit"
                  onClick={() => editReminder(r)}
                >
                  {r.message}
                </button>
                <div className="reminder-meta">
                  <DueTime reminder={r} now={now} />
                  <ReminderTags reminder={r} now={now} />
                </div>
              </div>
              <div className="lead-reminder-actions">
                <button
                  type="button"
                  className="btn btn-sm"
                  data-testid="reminder-done"
                  disabled={actions.busy === r.id}
                  onClick={() => void actions.complete(r)}
                  title={r.recurrence ? "Done — moves on to the next occurrence" : "Mark done"}
                >
                  <IconTick size={13} />
                  Done
                </button>
                <SnoozeMenu disabled={actions.busy === r.id} onPick={(o) => void actions.snooze(r, o)} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
