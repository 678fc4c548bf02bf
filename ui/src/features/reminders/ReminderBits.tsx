import "./reminders.css";
import { useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { commands, type Reminder } from "../../bindings";
import { invalidate } from "../../core/data";
import { toAppError } from "../../core/errors";
import { formatDateTime } from "../../core/format";
import { useLayer } from "../../core/layers";
import {
  SNOOZE_OPTIONS,
  dayDiff,
  formatClock,
  formatDue,
  formatWhen,
  isClosed,
  parseTime,
  repeatLabel,
  snoozeMinutes,
  type SnoozeOption,
} from "./reminders";
import { IconChevronDown, IconClock, IconRepeat, IconSnooze } from "../../core/icons";
import { useToast, type ToastOptions } from "../../core/Toasts";
import { showLogActivity } from "../activities/dialogs";
import { showReminderForm } from "./dialogs";

/** The current time, re-read every `intervalMs` so relative labels and groups stay true. */
export function useNow(intervalMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

/** "10:42 AM" today, else "tomorrow 9:00 AM" / "Tue, Nov 24, 9:00 AM". */
export function untilLabel(iso: string | null, now: Date = new Date()): string {
  const d = parseTime(iso);
  if (!d) return "later";
  const days = dayDiff(now, d);
  if (days === 0) return formatClock(d);
  if (days === 1) return `tomorrow ${formatClock(d)}`;
  return formatWhen(d, now);
}

export type ReminderActions = {
  busy: string | null;
  complete: (r: Reminder) => Promise<void>;
  snooze: (r: Reminder, option: SnoozeOption) => Promise<void>;
  dismiss: (r: Reminder) => Promise<void>;
  remove: (r: Reminder) => Promise<void>;
};

/** Done / snooze / dismiss / delete with toasts, refreshing every reminder list afterwards. */
export function useReminderActions(): ReminderActions {
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);

  const run = useCallback(
    async (r: Reminder, what: string, fn: () => Promise<string | { message: string; options: ToastOptions }>) => {
      setBusy(r.id);
      try {
        const done = await fn();
        if (typeof done === "string") toast.push("success", done);
        else toast.push("success", done.message, done.options);
      } catch (e) {
        toast.push("error", `Couldn't ${what}: ${toAppError(e).message}`);
      } finally {
        setBusy(null);
        invalidate(["reminders"]);
      }
    },
    [toast],
  );

  return {
    busy,
    complete: (r) =>
      run(r, "mark the reminder done", async () => {
        const next = await commands.reminderComplete({ id: r.id });
        const closed = isClosed(next);
        // As a follow-up is finished: log what came of it, and (unless it repeats) set the next one.
        const lead = { id: r.leadId, name: r.leadName };
        const actions = [{ label: "Log what happened", testId: "toast-log-activity", primary: true, run: () => showLogActivity(lead, "call", toast) }];
        if (closed) actions.push({ label: "Next reminder", testId: "toast-next-reminder", primary: false, run: () => showReminderForm(lead) });
        return {
          message: closed ? `Done: ${r.message}` : `Done — next one ${formatDue(next.dueAt)}`,
          options: { actions, duration: 10_000 },
        };
      }),
    snooze: (r, option) =>
      run(r, "snooze the reminder", async () => {
        const next = await commands.reminderSnooze({ id: r.id, minutes: snoozeMinutes(option, new Date()) });
        return `Snoozed until ${untilLabel(next.fireAt)}`;
      }),
    dismiss: (r) =>
      run(r, "dismiss the reminder", async () => {
        await commands.reminderDismiss({ id: r.id });
        return r.recurrence ? "Reminder and its repeats dismissed" : "Reminder dismissed";
      }),
    remove: (r) =>
      run(r, "delete the reminder", async () => {
        await commands.reminderDelete({ id: r.id });
        return "Reminder deleted";
      }),
  };
}

/** The Snooze button and its menu (10 minutes / 1 hour / tomorrow 9:00). */
export function SnoozeMenu({ onPick, disabled, label = "Snooze" }: { onPick: (o: SnoozeOption) => void; disabled?: boolean; label?: string }) {
  const [open, setOpen] = useState<null | "down" | "up">(null);
  const wrap = useRef<HTMLDivElement | null>(null);
  const button = useRef<HTMLButtonElement | null>(null);
  const close = useCallback((refocus: boolean) => {
    setOpen(null);
    if (refocus) button.current?.focus();
  }, []);
  useLayer(open !== null, () => close(true));

  useEffect(() => {
    if (!open) return;
    wrap.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onDown = (e: MouseEvent) => {
      if (!wrap.current?.contains(e.target as Node)) close(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open, close]);

  const toggle = () => {
    if (open) return close(false);
    const rect = button.current?.getBoundingClientRect();
    setOpen(rect && rect.bottom + 140 > window.innerHeight && rect.top > 140 ? "up" : "down");
  };

  const onMenuKey = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    const items = [...(wrap.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      items[(i + step + items.length) % items.length]?.focus();
    } else if (e.key === "Tab") {
      close(false);
    }
  };

  return (
    <div className="menu-wrap" ref={wrap}>
      <button
        ref={button}
        type="button"
        className="btn btn-sm"
        data-testid="reminder-snooze"
        aria-haspopup="menu"
        aria-expanded={open !== null}
        disabled={disabled}
        onClick={toggle}
      >
        <IconSnooze size={13} />
        {label}
        <IconChevronDown size={12} className="chev" />
      </button>
      {open && (
        <div className={`menu menu-${open}`} role="menu" aria-label="Snooze for" onKeyDown={onMenuKey}>
          {SNOOZE_OPTIONS.map((o) => (
            <button
              key={o.id}
              type="button"
              role="menuitem"
              className="menu-item"
              data-testid={`snooze-${o.id}`}
              onClick={() => {
                close(true);
                onPick(o.id);
              }}
            >
              {o.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** Due time (relative when near), in red when overdue. */
export function DueTime({ reminder, now }: { reminder: Reminder; now: Date }) {
  const due = parseTime(reminder.dueAt);
  const overdue = !isClosed(reminder) && due !== null && due.getTime() <= now.getTime();
  return (
    <time
      className={`reminder-due tabular${overdue ? " overdue" : ""}`}
      data-testid="reminder-due"
      dateTime={reminder.dueAt}
      title={`Due ${formatDateTime(reminder.dueAt)}`}
    >
      <IconClock size={12} />
      {formatDue(reminder.dueAt, now)}
    </time>
  );
}

/** Repeat and snoozed markers. */
export function ReminderTags({ reminder, now }: { reminder: Reminder; now: Date }) {
  const repeat = repeatLabel(reminder.recurrence);
  return (
    <>
      {repeat && (
        <span className="tag" data-testid="reminder-repeat-label" title={reminder.recurrence ?? undefined}>
          <IconRepeat size={12} />
          {repeat}
        </span>
      )}
      {reminder.status === "snoozed" && (
        <span className="tag tag-snoozed" data-testid="reminder-snoozed" title={reminder.fireAt ? `Pops up again ${formatDateTime(reminder.fireAt)}` : undefined}>
          <IconSnooze size={12} />
          Snoozed until {untilLabel(reminder.fireAt, now)}
        </span>
      )}
    </>
  );
}
