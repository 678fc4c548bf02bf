/**
 * Pure helpers for follow-up reminders: quick-pick times, grouping by local day, labels.
 * Times come from the backend as UTC RFC 3339 strings; everything shown is local time.
 * Functions take `now` so they are testable from any moment.
 */
import type { Reminder } from "../../bindings";

const MINUTE = 60_000;

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const weekdayFmt = new Intl.DateTimeFormat(undefined, { weekday: "short" });
const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: "short", month: "short", day: "numeric" });
const dayYearFmt = new Intl.DateTimeFormat(undefined, { weekday: "short", month: "short", day: "numeric", year: "numeric" });
const monthDayFmt = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const monthDayYearFmt = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", year: "numeric" });

export function parseTime(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Local midnight at the start of `d`'s day. */
export function startOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

/** Local calendar days from `from` to `to` (DST-safe). */
export function dayDiff(from: Date, to: Date): number {
  return Math.round((startOfDay(to).getTime() - startOfDay(from).getTime()) / 86_400_000);
}

// ---------- quick picks ----------

export type QuickPick = "hour" | "tomorrow" | "monday";

export const QUICK_PICKS: { id: QuickPick; label: string }[] = [
  { id: "hour", label: "In 1 hour" },
  { id: "tomorrow", label: "Tomorrow 9:00" },
  { id: "monday", label: "Next Monday 9:00" },
];

/**
 * The local time a quick pick stands for:
 * - `hour`: an hour from now (seconds dropped);
 * - `tomorrow`: 09:00 on the next calendar day;
 * - `monday`: 09:00 on the next Monday after today (a week ahead when today is Monday),
 *   the same rule as the backend's "monday 9:00".
 */
export function quickPickTime(pick: QuickPick, now: Date): Date {
  switch (pick) {
    case "hour": {
      const d = new Date(now.getTime() + 60 * MINUTE);
      d.setSeconds(0, 0);
      return d;
    }
    case "tomorrow":
      return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 9, 0);
    case "monday": {
      const ahead = (1 - now.getDay() + 7) % 7 || 7;
      return new Date(now.getFullYear(), now.getMonth(), now.getDate() + ahead, 9, 0);
    }
  }
}

// ---------- snooze ----------

export type SnoozeOption = "10m" | "1h" | "tomorrow";

export const SNOOZE_OPTIONS: { id: SnoozeOption; label: string }[] = [
  { id: "10m", label: "10 minutes" },
  { id: "1h", label: "1 hour" },
  { id: "tomorrow", label: "Tomorrow 9:00" },
];

/** Minutes to pass to `snoozeReminder` (at least 1). */
export function snoozeMinutes(option: SnoozeOption, now: Date): number {
  if (option === "10m") return 10;
  if (option === "1h") return 60;
  return Math.max(1, Math.ceil((quickPickTime("tomorrow", now).getTime() - now.getTime()) / MINUTE));
}

// ---------- grouping ----------

export type ReminderGroupId = "overdue" | "today" | "upcoming" | "done";
export type ReminderGroups = Record<ReminderGroupId, Reminder[]>;

export const GROUP_LABELS: Record<ReminderGroupId, string> = {
  overdue: "Overdue",
  today: "Today",
  upcoming: "Upcoming",
  done: "Done",
};

export function isClosed(r: Reminder): boolean {
  return r.status === "done" || r.status === "dismissed";
}

/**
 * Overdue: open and due at or before `now` (as the badge counts). Today: due later on today's
 * local date. Upcoming: due from the next local midnight on. Done: closed ones, latest first.
 */
export function groupReminders(open: Reminder[], closed: Reminder[], now: Date): ReminderGroups {
  const groups: ReminderGroups = { overdue: [], today: [], upcoming: [], done: [] };
  const nowMs = now.getTime();
  const endOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
  // Listed twice (the two lists were read at different moments): the later update wins.
  const byId = new Map<string, Reminder>();
  for (const r of [...open, ...closed]) {
    const seen = byId.get(r.id);
    if (!seen || r.updatedAt >= seen.updatedAt) byId.set(r.id, r);
  }
  for (const r of byId.values()) {
    if (isClosed(r)) {
      groups.done.push(r);
      continue;
    }
    const due = parseTime(r.dueAt)?.getTime() ?? Infinity;
    if (due <= nowMs) groups.overdue.push(r);
    else if (due < endOfToday) groups.today.push(r);
    else groups.upcoming.push(r);
  }
  const byDue = (a: Reminder, b: Reminder) =>
    (parseTime(a.dueAt)?.getTime() ?? Infinity) - (parseTime(b.dueAt)?.getTime() ?? Infinity) || a.id.localeCompare(b.id);
  groups.overdue.sort(byDue);
  groups.today.sort(byDue);
  groups.upcoming.sort(byDue);
  groups.done.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return groups;
}

// ---------- labels ----------

export function formatClock(d: Date): string {
  return timeFmt.format(d);
}

/** "Tue, Nov 24, 9:00 AM" (with the year when it is not this year's). */
export function formatWhen(d: Date, now: Date = new Date()): string {
  const day = d.getFullYear() === now.getFullYear() ? dayFmt.format(d) : dayYearFmt.format(d);
  return `${day}, ${timeFmt.format(d)}`;
}

/**
 * A due time as people say it: "now", "in 20 min", "12 min ago", "today 2:00 PM",
 * "yesterday 9:00 AM", "tomorrow 9:00 AM", "Mon 9:00 AM" (this coming week), else "Nov 24, 9:00 AM".
 */
export function formatDue(iso: string, now: Date = new Date()): string {
  const d = parseTime(iso);
  if (!d) return "—";
  const diff = d.getTime() - now.getTime();
  if (Math.abs(diff) < MINUTE) return "now";
  if (diff > 0 && diff < 60 * MINUTE) return `in ${Math.max(1, Math.round(diff / MINUTE))} min`;
  if (diff < 0 && diff > -60 * MINUTE) return `${Math.max(1, Math.round(-diff / MINUTE))} min ago`;
  const days = dayDiff(now, d);
  const time = timeFmt.format(d);
  if (days === 0) return `today ${time}`;
  if (days === -1) return `yesterday ${time}`;
  if (days === 1) return `tomorrow ${time}`;
  if (days > 1 && days < 7) return `${weekdayFmt.format(d)} ${time}`;
  const date = d.getFullYear() === now.getFullYear() ? monthDayFmt.format(d) : monthDayYearFmt.format(d);
  return `${date}, ${time}`;
}

export const REPEATS = [
  { value: "", label: "Doesn't repeat" },
  { value: "daily", label: "Daily" },
  { value: "weekdays", label: "Weekdays (Mon–Fri)" },
  { value: "weekly", label: "Weekly" },
  { value: "monthly", label: "Monthly" },
  { value: "custom", label: "Custom rule (RRULE)…" },
] as const;

const NAMED_REPEATS: Record<string, string> = { daily: "Daily", weekdays: "Weekdays", weekly: "Weekly", monthly: "Monthly" };
const FREQ_UNITS: Record<string, string> = { MINUTELY: "minute", HOURLY: "hour", DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year" };
const FREQ_NAMES: Record<string, string> = { MINUTELY: "Every minute", HOURLY: "Hourly", DAILY: "Daily", WEEKLY: "Weekly", MONTHLY: "Monthly", YEARLY: "Yearly" };
const DAY_NAMES: Record<string, string> = { MO: "Mon", TU: "Tue", WE: "Wed", TH: "Thu", FR: "Fri", SA: "Sat", SU: "Sun" };

/** Short label for a recurrence: null for none, "Weekly", "Every 2 weeks on Mon, Thu", … */
export function repeatLabel(recurrence: string | null | undefined): string | null {
  const text = recurrence?.trim();
  if (!text || text.toLowerCase() === "none") return null;
  const named = NAMED_REPEATS[text.toLowerCase()];
  if (named) return named;
  const body = text.replace(/^RRULE:/i, "");
  const parts = new Map(
    body
      .split(";")
      .map((p) => p.split("="))
      .filter((kv) => kv.length === 2)
      .map(([k, v]) => [k.trim().toUpperCase(), v.trim().toUpperCase()] as const),
  );
  const freq = parts.get("FREQ");
  if (!freq || !FREQ_UNITS[freq]) return "Custom repeat";
  const interval = Number(parts.get("INTERVAL") ?? "1");
  let label = interval > 1 ? `Every ${interval} ${FREQ_UNITS[freq]}s` : FREQ_NAMES[freq];
  const byDay = parts.get("BYDAY");
  if (byDay) {
    const days = byDay.split(",").map((d) => DAY_NAMES[d.replace(/^[+-]?\d+/, "")] ?? d);
    label += ` on ${days.join(", ")}`;
  }
  return label;
}

/** The form's repeat select value and custom rule text for a stored recurrence. */
export function repeatFormValue(recurrence: string | null): { repeat: string; rule: string } {
  const text = recurrence?.trim() ?? "";
  if (!text) return { repeat: "", rule: "" };
  if (NAMED_REPEATS[text.toLowerCase()]) return { repeat: text.toLowerCase(), rule: "" };
  return { repeat: "custom", rule: text };
}

export const REMIND_OFFSETS = [
  { minutes: 0, label: "At due time" },
  { minutes: 10, label: "10 min before" },
  { minutes: 60, label: "1 hour before" },
  { minutes: 1440, label: "1 day before" },
] as const;

/** Minutes between a reminder's notification and its due time. */
export function remindOffsetMinutes(r: Pick<Reminder, "dueAt" | "remindAt">): number {
  const due = parseTime(r.dueAt);
  const remind = parseTime(r.remindAt);
  if (!due || !remind) return 0;
  return Math.max(0, Math.round((due.getTime() - remind.getTime()) / MINUTE));
}

export function offsetLabel(minutes: number): string {
  const known = REMIND_OFFSETS.find((o) => o.minutes === minutes);
  if (known) return known.label;
  if (minutes % 1440 === 0) return `${minutes / 1440} days before`;
  if (minutes % 60 === 0) return `${minutes / 60} hours before`;
  return `${minutes} min before`;
}

// ---------- local date-time text ----------

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-12-01 09:00" in local time (what the custom field shows when editing). */
export function toLocalText(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Value for `<input type="datetime-local">`. */
export function toLocalInputValue(d: Date): string {
  return toLocalText(d).replace(" ", "T");
}

/** Reads "2026-12-01 09:00" / "2026-12-01T09:00" as local time; null for anything else. */
export function parseLocalText(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  const date = new Date(y, mo - 1, d, h, mi);
  // Reject overflow such as 2026-02-31 or 25:00.
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d || h > 23 || mi > 59) return null;
  return date;
}

// ---------- timeline ----------

const ISO_IN_TEXT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/g;

/** Replaces RFC 3339 times inside a sentence with local "Tue, Nov 24, 9:00 AM". */
export function localizeTimes(text: string, now: Date = new Date()): string {
  return text.replace(ISO_IN_TEXT, (m) => {
    const d = parseTime(m);
    return d ? formatWhen(d, now) : m;
  });
}

/**
 * Splits a reminder activity ("Reminder set for 2026-11-24T08:00:00.000Z: Call back") into its
 * headline, with local times, and the reminder's message.
 */
export function reminderActivityText(description: string, now: Date = new Date()): { title: string; message: string | null } {
  const i = description.indexOf(": ");
  if (i < 0) return { title: localizeTimes(description, now), message: null };
  return { title: localizeTimes(description.slice(0, i), now), message: description.slice(i + 2) };
}
