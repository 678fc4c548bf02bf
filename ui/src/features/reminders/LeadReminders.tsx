import "./reminders.css";
import { useEffect, useState } from "react";
import { commands, type AppError, type Reminder } from "../../bindings";
import { useApp } from "../../appContext";
import { toAppError } from "../../core/errors";
import { DueTime, ReminderTags, SnoozeMenu, useNow, useReminderActions } from "./ReminderBits";
import { ErrorState } from "../../core/ui";
import { IconBell, IconPlus, IconTick } from "../../core/icons";

export const LEAD_REMINDER_LIMIT = 50;

/** The "Reminders" section of the lead panel: the lead's open reminders and "Add reminder". */
export function LeadReminders({ leadId, leadName }: { leadId: string; leadName: string }) {
  const app = useApp();
  const now = useNow();
  const actions = useReminderActions();
  const [rows, setRows] = useState<Reminder[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    commands.listReminders({ scope: "open", leadId, limit: LEAD_REMINDER_LIMIT }).then(
      (r) => {
        if (!live) return;
        setRows(r);
        setError(null);
      },
      (e: unknown) => live && setError(toAppError(e)),
    );
    return () => {
      live = false;
    };
  }, [leadId, app.reminderVersion, attempt]);

  return (
    <div className="section" data-testid="lead-reminders">
      <div className="section-head">
        <h3 className="section-title">Reminders</h3>
        <button
          type="button"
          className="btn btn-sm btn-ghost"
          data-testid="add-reminder"
          onClick={() => app.newReminder({ id: leadId, name: leadName })}
        >
          <IconPlus size={13} />
          Add reminder
        </button>
      </div>
      {error && !rows && (
        <ErrorState testId="lead-reminders-error" title="Couldn't load reminders" message={error.message} onRetry={() => setAttempt((a) => a + 1)} />
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
                  onClick={() => app.editReminder(r)}
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
