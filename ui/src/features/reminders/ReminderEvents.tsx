import { useCallback } from "react";
import { commands } from "../../bindings";
import { invalidate } from "../../core/data";
import { toAppError } from "../../core/errors";
import { useAppEvent } from "../../core/events";
import { formatNumber } from "../../core/format";
import { useToast } from "../../core/Toasts";
import { useNavigation } from "../../shell/navigation";
import { untilLabel } from "./ReminderBits";
import { isClosed } from "./reminders";

/**
 * What reminders do while the app runs, whichever view is open: a fired reminder becomes a toast
 * with Open / Snooze / Done, missed ones are summed up, and every reminder event refreshes reminders.
 */
export function ReminderEvents() {
  const toast = useToast();
  const nav = useNavigation();
  const showReminders = () => nav.show("reminders");

  const reminderCommand = useCallback(
    async (what: string, fn: () => Promise<string>) => {
      try {
        toast.push("success", await fn());
      } catch (e) {
        toast.push("error", `Couldn't ${what}: ${toAppError(e).message}`);
      } finally {
        invalidate(["reminders"]);
      }
    },
    [toast],
  );

  // Reminders the backend fired or changed arrive as `data-changed` too (the data layer refetches).
  useAppEvent("reminder-fired", (r) => {
    toast.push("reminder", `Follow up: ${r.leadName.trim() || "Unnamed lead"} — ${r.message}`, {
      actions: [
        { label: "Open", testId: "toast-open-lead", primary: true, run: () => nav.openLead(r.leadId) },
        {
          label: "Snooze 10 min",
          testId: "toast-snooze",
          run: () =>
            void reminderCommand("snooze the reminder", async () => {
              const next = await commands.reminderSnooze({ id: r.id, minutes: 10 });
              return `Snoozed until ${untilLabel(next.fireAt)}`;
            }),
        },
        {
          label: "Done",
          testId: "toast-done",
          run: () =>
            void reminderCommand("mark the reminder done", async () => {
              const next = await commands.reminderComplete({ id: r.id });
              return isClosed(next) ? `Done: ${r.message}` : "Done — moved on to the next occurrence";
            }),
        },
      ],
    });
  });
  useAppEvent("reminders-missed", (rs) => {
    invalidate(["reminders"]);
    if (rs.length === 0) return;
    const one = rs.length === 1 ? `: ${rs[0].leadName.trim() || "Unnamed lead"} — ${rs[0].message}` : "";
    toast.push("reminder", `${formatNumber(rs.length)} missed reminder${rs.length === 1 ? "" : "s"}${one}`, {
      actions: [{ label: "Show reminders", testId: "toast-show-reminders", primary: true, run: showReminders }],
    });
  });
  useAppEvent("show-reminders", showReminders);
  return null;
}
