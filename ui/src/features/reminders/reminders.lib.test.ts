import { describe, expect, it } from "vitest";
import type { Reminder } from "../../bindings";
import {
  formatClock,
  formatDue,
  formatWhen,
  groupReminders,
  parseLocalText,
  quickPickTime,
  reminderActivityText,
  remindOffsetMinutes,
  repeatFormValue,
  repeatLabel,
  snoozeMinutes,
  toLocalText,
} from "./reminders";

// All times are built with the local-time Date constructor, so these tests hold in any time zone
// (run them with e.g. TZ=Pacific/Auckland or TZ=America/Los_Angeles to check).
const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => new Date(y, mo - 1, d, h, mi, s);

function rem(id: string, due: Date, extra: Partial<Reminder> = {}): Reminder {
  return {
    id,
    leadId: "lead-1",
    leadName: "Ada Lovelace",
    message: `Reminder ${id}`,
    dueAt: due.toISOString(),
    remindAt: due.toISOString(),
    status: "pending",
    recurrence: null,
    timeZone: "Europe/Berlin",
    fireAt: due.toISOString(),
    notifiedAt: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    ...extra,
  };
}

const ids = (rs: Reminder[]) => rs.map((r) => r.id);

describe("groupReminders", () => {
  it("splits open reminders into overdue, later today and upcoming by local day", () => {
    const now = at(2026, 11, 23, 15, 0); // Monday 15:00 local
    const open = [
      rem("next-week", at(2026, 11, 30, 9, 0)),
      rem("just-after-midnight", at(2026, 11, 24, 0, 1)),
      rem("late-today", at(2026, 11, 23, 23, 59)),
      rem("a-minute-ago", at(2026, 11, 23, 14, 59)),
      rem("due-now", now),
      rem("last-month", at(2026, 10, 2, 9, 0)),
      rem("in-ten-min", at(2026, 11, 23, 15, 10)),
      rem("snoozed-overdue", at(2026, 11, 23, 9, 0), { status: "snoozed" }),
    ];
    const g = groupReminders(open, [], now);
    expect(ids(g.overdue)).toEqual(["last-month", "snoozed-overdue", "a-minute-ago", "due-now"]);
    expect(ids(g.today)).toEqual(["in-ten-min", "late-today"]);
    expect(ids(g.upcoming)).toEqual(["just-after-midnight", "next-week"]);
    expect(g.done).toEqual([]);
  });

  it("uses the local midnight, not UTC, as the end of today", () => {
    const lateEvening = at(2026, 11, 23, 23, 50);
    const g = groupReminders(
      [rem("23:55", at(2026, 11, 23, 23, 55)), rem("00:05", at(2026, 11, 24, 0, 5)), rem("00:00", at(2026, 11, 24, 0, 0))],
      [],
      lateEvening,
    );
    expect(ids(g.today)).toEqual(["23:55"]);
    expect(ids(g.upcoming)).toEqual(["00:00", "00:05"]);

    const justAfterMidnight = at(2026, 11, 24, 0, 5);
    const h = groupReminders(
      [rem("yesterday-late", at(2026, 11, 23, 23, 58)), rem("this-morning", at(2026, 11, 24, 8, 0)), rem("tonight", at(2026, 11, 24, 23, 59))],
      [],
      justAfterMidnight,
    );
    expect(ids(h.overdue)).toEqual(["yesterday-late"]);
    expect(ids(h.today)).toEqual(["this-morning", "tonight"]);
    expect(h.upcoming).toEqual([]);
  });

  it("puts done and dismissed ones under Done, latest first, whatever their due time", () => {
    const now = at(2026, 11, 23, 15, 0);
    const closed = [
      rem("old-done", at(2026, 11, 1), { status: "done", updatedAt: "2026-11-01T10:00:00.000Z" }),
      rem("dismissed", at(2026, 11, 30), { status: "dismissed", updatedAt: "2026-11-22T10:00:00.000Z" }),
      rem("new-done", at(2026, 11, 20), { status: "done", updatedAt: "2026-11-23T10:00:00.000Z" }),
    ];
    // A closed one that is also in the open list (a stale response) is listed once, under Done.
    const g = groupReminders([rem("dismissed", at(2026, 11, 30), { status: "dismissed" })], closed, now);
    expect(ids(g.done)).toEqual(["new-done", "dismissed", "old-done"]);
    expect(g.overdue.length + g.today.length + g.upcoming.length).toBe(0);
  });
});

describe("quick picks", () => {
  it("'tomorrow 9:00' is 09:00 on the next calendar day, from any time of day", () => {
    expect(quickPickTime("tomorrow", at(2026, 11, 23, 15, 0))).toEqual(at(2026, 11, 24, 9, 0));
    expect(quickPickTime("tomorrow", at(2026, 11, 23, 8, 0))).toEqual(at(2026, 11, 24, 9, 0));
    expect(quickPickTime("tomorrow", at(2026, 11, 23, 23, 45))).toEqual(at(2026, 11, 24, 9, 0));
    expect(quickPickTime("tomorrow", at(2026, 11, 24, 0, 30))).toEqual(at(2026, 11, 25, 9, 0));
    expect(quickPickTime("tomorrow", at(2026, 11, 30, 22, 0))).toEqual(at(2026, 12, 1, 9, 0));
    expect(quickPickTime("tomorrow", at(2026, 12, 31, 23, 59))).toEqual(at(2027, 1, 1, 9, 0));
    // Across a DST change (in zones that have one on these dates) it stays 09:00 on the wall clock.
    // (EU: Mar 29 / Oct 25 2026; US: Mar 8 / Nov 1 2026.)
    const dst: [Date, Date][] = [
      [at(2026, 3, 28, 22, 0), at(2026, 3, 29, 9, 0)],
      [at(2026, 10, 24, 22, 0), at(2026, 10, 25, 9, 0)],
      [at(2026, 3, 7, 22, 0), at(2026, 3, 8, 9, 0)],
      [at(2026, 10, 31, 22, 0), at(2026, 11, 1, 9, 0)],
    ];
    for (const [from, want] of dst) {
      const got = quickPickTime("tomorrow", from);
      expect(got).toEqual(want);
      expect([got.getHours(), got.getMinutes()]).toEqual([9, 0]);
    }
  });

  it("'next Monday 9:00' is the first Monday after today, a week ahead on a Monday", () => {
    // 2026-11-23 is a Monday.
    expect(quickPickTime("monday", at(2026, 11, 23, 7, 0))).toEqual(at(2026, 11, 30, 9, 0));
    expect(quickPickTime("monday", at(2026, 11, 23, 23, 30))).toEqual(at(2026, 11, 30, 9, 0));
    expect(quickPickTime("monday", at(2026, 11, 24, 10, 0))).toEqual(at(2026, 11, 30, 9, 0)); // Tuesday
    expect(quickPickTime("monday", at(2026, 11, 28, 23, 50))).toEqual(at(2026, 11, 30, 9, 0)); // Saturday night
    expect(quickPickTime("monday", at(2026, 11, 29, 22, 0))).toEqual(at(2026, 11, 30, 9, 0)); // Sunday evening
    expect(quickPickTime("monday", at(2026, 12, 30, 12, 0))).toEqual(at(2027, 1, 4, 9, 0)); // across the year
    for (let d = 0; d < 14; d++) {
      const got = quickPickTime("monday", at(2026, 11, 16 + d, 18, 0));
      expect(got.getDay()).toBe(1);
      expect([got.getHours(), got.getMinutes()]).toEqual([9, 0]);
      const days = (got.getTime() - at(2026, 11, 16 + d).getTime()) / 86_400_000;
      expect(days).toBeGreaterThan(1);
      expect(days).toBeLessThanOrEqual(7.5);
    }
  });

  it("'in 1 hour' is an hour from now with the seconds dropped", () => {
    expect(quickPickTime("hour", at(2026, 11, 23, 10, 17, 42))).toEqual(at(2026, 11, 23, 11, 17));
    expect(quickPickTime("hour", at(2026, 11, 23, 23, 30))).toEqual(at(2026, 11, 24, 0, 30));
    const now = new Date(2026, 10, 23, 14, 5, 0, 0);
    expect(quickPickTime("hour", now).getTime() - now.getTime()).toBe(3_600_000);
  });

  it("snooze until tomorrow 9:00 is counted in minutes from now", () => {
    expect(snoozeMinutes("10m", at(2026, 11, 23, 22, 30))).toBe(10);
    expect(snoozeMinutes("1h", at(2026, 11, 23, 22, 30))).toBe(60);
    const now = at(2026, 11, 23, 22, 30);
    expect(snoozeMinutes("tomorrow", now)).toBe(Math.round((at(2026, 11, 24, 9, 0).getTime() - now.getTime()) / 60_000));
    expect(snoozeMinutes("tomorrow", at(2026, 11, 23, 22, 30, 30))).toBe(630); // rounds up to reach 9:00
  });
});

describe("labels", () => {
  const now = at(2026, 11, 23, 15, 0);

  it("shows due times relative when near, else by day in local time", () => {
    expect(formatDue(at(2026, 11, 23, 15, 20).toISOString(), now)).toBe("in 20 min");
    expect(formatDue(at(2026, 11, 23, 14, 48).toISOString(), now)).toBe("12 min ago");
    expect(formatDue(now.toISOString(), now)).toBe("now");
    expect(formatDue(at(2026, 11, 23, 18, 30).toISOString(), now)).toBe(`today ${formatClock(at(2026, 11, 23, 18, 30))}`);
    expect(formatDue(at(2026, 11, 22, 9, 0).toISOString(), now)).toBe(`yesterday ${formatClock(at(2026, 11, 22, 9, 0))}`);
    expect(formatDue(at(2026, 11, 24, 9, 0).toISOString(), now)).toBe(`tomorrow ${formatClock(at(2026, 11, 24, 9, 0))}`);
    expect(formatDue(at(2026, 11, 27, 9, 0).toISOString(), now)).toMatch(/^Fri /);
    expect(formatDue(at(2027, 3, 1, 9, 0).toISOString(), now)).toContain("2027");
    // Just after midnight, 23:58 is yesterday, not "today".
    expect(formatDue(at(2026, 11, 23, 23, 58).toISOString(), at(2026, 11, 24, 1, 30))).toMatch(/^yesterday /);
  });

  it("names repeats", () => {
    expect(repeatLabel(null)).toBeNull();
    expect(repeatLabel("weekly")).toBe("Weekly");
    expect(repeatLabel("weekdays")).toBe("Weekdays");
    expect(repeatLabel("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH")).toBe("Every 2 weeks on Mon, Thu");
    expect(repeatLabel("RRULE:FREQ=MONTHLY")).toBe("Monthly");
    expect(repeatLabel("RRULE:X-NONSENSE=1")).toBe("Custom repeat");
    expect(repeatFormValue("monthly")).toEqual({ repeat: "monthly", rule: "" });
    expect(repeatFormValue("RRULE:FREQ=DAILY;COUNT=3")).toEqual({ repeat: "custom", rule: "RRULE:FREQ=DAILY;COUNT=3" });
  });

  it("reads the remind offset back from a reminder", () => {
    const due = at(2026, 11, 24, 9, 0);
    expect(remindOffsetMinutes({ dueAt: due.toISOString(), remindAt: at(2026, 11, 24, 8, 0).toISOString() })).toBe(60);
    expect(remindOffsetMinutes({ dueAt: due.toISOString(), remindAt: due.toISOString() })).toBe(0);
  });

  it("reads and writes local date-time text", () => {
    expect(toLocalText(at(2026, 12, 1, 9, 5))).toBe("2026-12-01 09:05");
    expect(parseLocalText("2026-12-01 09:05")).toEqual(at(2026, 12, 1, 9, 5));
    expect(parseLocalText("2026-12-01T17:30")).toEqual(at(2026, 12, 1, 17, 30));
    expect(parseLocalText("2026-02-31 09:00")).toBeNull();
    expect(parseLocalText("tomorrow 09:00")).toBeNull();
  });

  it("turns the ISO time of a reminder activity into local time", () => {
    const due = at(2026, 11, 24, 9, 0);
    const a = reminderActivityText(`Reminder set for ${due.toISOString()}: Call about the pilot: pricing`, now);
    expect(a.title).toBe(`Reminder set for ${formatWhen(due, now)}`);
    expect(a.title).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(a.message).toBe("Call about the pilot: pricing");
    expect(reminderActivityText("Reminder done: Send deck", now)).toEqual({ title: "Reminder done", message: "Send deck" });
  });
});
