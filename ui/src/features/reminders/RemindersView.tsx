import "./reminders.css";
import { useMemo, useState } from "react";
import { commands, type Reminder } from "../../bindings";
import { useQuery } from "@tanstack/react-query";
import { useNavigation } from "../../shell/navigation";
import { editReminder } from "./dialogs";
import { toAppError } from "../../core/errors";
import { formatDateTime, formatNumber } from "../../core/format";
import { useLayer } from "../../core/layers";
import { GROUP_LABELS, groupReminders, isClosed, formatDue, type ReminderGroupId } from "./reminders";
import { DueTime, ReminderTags, SnoozeMenu, useNow, useReminderActions, type ReminderActions } from "./ReminderBits";
import { ErrorState, Spinner } from "../../core/ui";
import { IconBellOff, IconCheck, IconEmptyReminders, IconPencil, IconTick, IconTrash } from "../../core/icons";

/** Open reminders fetched at once (earliest due first). */
export const OPEN_LIMIT = 1000;
/** Closed reminders listed under Done (latest first). */
export const DONE_LIMIT = 50;


const NO_REMINDERS: [Reminder[], Reminder[]] = [[], []];

const GROUP_ORDER: ReminderGroupId[] = ["overdue", "today", "upcoming", "done"];

export function RemindersView() {
  const now = useNow();
  const actions = useReminderActions();
  const query = useQuery({
    queryKey: ["reminders", "list"],
    queryFn: () =>
      Promise.all([
        commands.reminderList({ scope: "open", leadId: null, limit: OPEN_LIMIT }),
        commands.reminderList({ scope: "closed", leadId: null, limit: DONE_LIMIT }),
      ]),
  });
  const [open, closed] = query.data ?? NO_REMINDERS;
  const state = { open, closed, loaded: query.data !== undefined, error: query.error ? toAppError(query.error) : null };
  const load = () => void query.refetch();

  const groups = useMemo(() => groupReminders(state.open, state.closed, now), [state.open, state.closed, now]);
  const total = state.open.length + state.closed.length;

  const summary = [
    groups.overdue.length ? `${formatNumber(groups.overdue.length)} overdue` : "",
    groups.today.length ? `${formatNumber(groups.today.length)} today` : "",
    groups.upcoming.length ? `${formatNumber(groups.upcoming.length)} upcoming` : "",
  ]
    .filter(Boolean)
    .join(" · ");

  let body;
  if (state.error && !state.loaded) {
    body = (
      <div className="center-pad">
        <ErrorState title="Couldn't load reminders" message={state.error.message} onRetry={load} />
      </div>
    );
  } else if (!state.loaded) {
    body = (
      <div className="center-pad">
        <Spinner label="Loading reminders" />
      </div>
    );
  } else if (total === 0) {
    body = <EmptyReminders />;
  } else {
    body = (
      <div className="reminders-scroll">
        {state.error && (
          <div className="reminders-inline-error">
            <ErrorState title="Couldn't refresh reminders" message={state.error.message} onRetry={load} />
          </div>
        )}
        {GROUP_ORDER.map((id) =>
          groups[id].length === 0 ? null : (
            <section key={id} className={`reminder-group group-${id}`} data-testid={`reminder-group-${id}`} aria-label={GROUP_LABELS[id]}>
              <h2 className="reminder-group-title">
                {GROUP_LABELS[id]}
                <span className="count tabular">{formatNumber(groups[id].length)}</span>
              </h2>
              <ul className="reminder-list">
                {groups[id].map((r) => (
                  <ReminderRow key={r.id} reminder={r} now={now} actions={actions} />
                ))}
              </ul>
            </section>
          ),
        )}
      </div>
    );
  }

  return (
    <section className="view" aria-label="Reminders" data-testid="reminders-view">
      <header className="view-header">
        <h1 className="view-title">
          Reminders
          <span className="count tabular" data-testid="reminder-summary" aria-live="polite">
            {state.loaded ? summary || "Nothing open" : ""}
          </span>
        </h1>
      </header>
      {body}
    </section>
  );
}

function ReminderRow({ reminder: r, now, actions }: { reminder: Reminder; now: Date; actions: ReminderActions }) {
  const nav = useNavigation();
  const [confirming, setConfirming] = useState(false);
  useLayer(confirming, () => setConfirming(false));
  const closed = isClosed(r);
  const busy = actions.busy === r.id;

  return (
    <li
      className={`reminder-row${closed ? " is-closed" : ""}`}
      data-testid="reminder-row"
      data-reminder-id={r.id}
      data-status={r.status}
    >
      <div className="reminder-when">
        {closed ? (
          <span className={`reminder-state state-${r.status}`} title={`${r.status === "done" ? "Done" : "Dismissed"} ${formatDateTime(r.updatedAt)}`}>
            {r.status === "done" ? <IconCheck size={13} /> : <IconBellOff size={13} />}
            <span>
              {r.status === "done" ? "Done" : "Dismissed"} {formatDue(r.updatedAt, now)}
            </span>
          </span>
        ) : (
          <DueTime reminder={r} now={now} />
        )}
      </div>
      <div className="reminder-main">
        <div className="reminder-message" data-testid="reminder-text">
          {r.message}
        </div>
        <div className="reminder-meta">
          <button
            type="button"
            className="link-btn reminder-lead"
            data-testid="reminder-lead"
            title="Open lead"
            onClick={() => nav.openLead(r.leadId)}
          >
            {r.leadName.trim() || "Unnamed lead"}
          </button>
          {closed && (
            <span className="faint tabular" title={`Was due ${formatDateTime(r.dueAt)}`}>
              was due {formatDue(r.dueAt, now)}
            </span>
          )}
          <ReminderTags reminder={r} now={now} />
        </div>
      </div>
      <div className="reminder-actions">
        {confirming ? (
          <>
            <span className="muted">Delete this reminder?</span>
            <button type="button" className="btn btn-sm" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="btn btn-sm btn-danger-solid"
              data-testid="reminder-delete-confirm"
              disabled={busy}
              autoFocus
              onClick={() => {
                setConfirming(false);
                void actions.remove(r);
              }}
            >
              Delete
            </button>
          </>
        ) : (
          <>
            {!closed && (
              <>
                <button
                  type="button"
                  className="btn btn-sm"
                  data-testid="reminder-done"
                  disabled={busy}
                  onClick={() => void actions.complete(r)}
                  title={r.recurrence ? "Done — moves on to the next occurrence" : "Mark done"}
                >
                  <IconTick size={13} />
                  Done
                </button>
                <SnoozeMenu disabled={busy} onPick={(o) => void actions.snooze(r, o)} />
              </>
            )}
            <button
              type="button"
              className={closed ? "btn btn-sm" : "icon-btn"}
              data-testid="reminder-edit"
              aria-label={closed ? undefined : "Edit or reschedule"}
              title="Edit or reschedule"
              disabled={busy}
              onClick={() => editReminder(r)}
            >
              <IconPencil size={closed ? 13 : 14} />
              {closed && "Reschedule"}
            </button>
            {!closed && (
              <button
                type="button"
                className="icon-btn"
                data-testid="reminder-dismiss"
                aria-label="Dismiss"
                title={r.recurrence ? "Dismiss (stops the repeats)" : "Dismiss without marking done"}
                disabled={busy}
                onClick={() => void actions.dismiss(r)}
              >
                <IconBellOff size={14} />
              </button>
            )}
            <button
              type="button"
              className="icon-btn icon-btn-danger"
              data-testid="reminder-delete"
              aria-label="Delete"
              title="Delete"
              disabled={busy}
              onClick={() => setConfirming(true)}
            >
              <IconTrash size={14} />
            </button>
          </>
        )}
      </div>
    </li>
  );
}

function EmptyReminders() {
  return (
    <div className="empty-state" data-testid="reminders-empty">
      <span className="empty-illustration">
        <IconEmptyReminders />
      </span>
      <h2>No reminders yet</h2>
      <p>
        Open a lead and choose “Add reminder” to get a nudge when it's time to follow up. Reminders pop up as
        notifications, even when the window is closed.
      </p>
    </div>
  );
}
