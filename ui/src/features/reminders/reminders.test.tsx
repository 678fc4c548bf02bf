import { afterEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import App from "../../App";
import type { AppEvents, Reminder } from "../../bindings";
import { formatWhen, toLocalText } from "./reminders";
import { installBackend, makeReminder } from "../../test/backend";

// Local-time constructor: the tests hold in any time zone.
const at = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi);

/** Freeze `Date` (only) at a local time; timers stay real so waitFor and debounces work. */
function freezeNow(d: Date) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(d);
}

afterEach(() => {
  vi.useRealTimers();
});

async function renderApp(overrides: Record<string, (args: any) => unknown> = {}, reminders: Reminder[] = []) {
  const backend = installBackend(1000, overrides, { reminders });
  render(<App />);
  await waitFor(() => expect(screen.getAllByTestId("lead-row").length).toBeGreaterThan(5));
  return backend;
}

async function fire<K extends keyof AppEvents>(name: K, payload: AppEvents[K]) {
  await act(async () => {
    await emit(name, payload);
  });
}

async function openLeadPanel() {
  fireEvent.click(screen.getAllByTestId("lead-row")[0]);
  const detail = await screen.findByTestId("lead-detail");
  await within(detail).findByTestId("lead-reminders");
  return detail;
}

async function openReminderForm() {
  const detail = await openLeadPanel();
  fireEvent.click(within(detail).getByTestId("add-reminder"));
  return screen.findByTestId("reminder-form");
}

describe("reminders badge", () => {
  it("shows the overdue count and follows writes and events", async () => {
    const now = Date.now();
    const reminders = [
      makeReminder("r1", { dueAt: new Date(now - 3600_000).toISOString() }),
      makeReminder("r2", { dueAt: new Date(now - 60_000).toISOString(), status: "snoozed" }),
      makeReminder("r3", { dueAt: new Date(now + 3600_000).toISOString() }),
      makeReminder("r4", { dueAt: new Date(now - 7200_000).toISOString(), status: "done" }),
    ];
    const backend = await renderApp({}, reminders);
    const badge = await screen.findByTestId("reminder-badge");
    expect(badge.textContent).toBe("2");
    expect(within(screen.getByTestId("nav-reminders")).getByTestId("reminder-badge")).toBe(badge);

    // A notification's "Done" action changed one: the app says so with reminders-changed and
    // data-changed (what went stale, as events.rs sends it).
    reminders[0].status = "done";
    const before = backend.callsTo("reminder_counts").length;
    await fire("reminders-changed", null);
    await fire("data-changed", { tags: ["reminders", "leads", "scores", "segments"] });
    await waitFor(() => expect(screen.getByTestId("reminder-badge").textContent).toBe("1"));
    expect(backend.callsTo("reminder_counts").length).toBeGreaterThan(before);

    // Done from the Reminders view: hidden at zero.
    fireEvent.click(screen.getByTestId("nav-reminders"));
    const overdue = await screen.findByTestId("reminder-group-overdue");
    fireEvent.click(within(overdue).getByTestId("reminder-done"));
    await waitFor(() => expect(backend.callsTo("reminder_complete")[0]?.args).toEqual({ id: "r2" }));
    await waitFor(() => expect(screen.queryByTestId("reminder-badge")).toBeNull());
  });

  it("is hidden when nothing is overdue", async () => {
    await renderApp({}, [makeReminder("r1", { dueAt: new Date(Date.now() + 3600_000).toISOString() })]);
    await waitFor(() => expect(screen.getByTestId("nav-reminders")).toBeTruthy());
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId("reminder-badge")).toBeNull();
  });
});

describe("after a reminder is done", () => {
  it("offers to log what happened and to set the next reminder", async () => {
    const past = new Date(Date.now() - 3600_000).toISOString();
    const backend = await renderApp({}, [
      makeReminder("r1", { dueAt: past, message: "Call about the pilot" }),
      makeReminder("r2", { dueAt: past, message: "Send the deck" }),
    ]);
    fireEvent.click(screen.getByTestId("nav-reminders"));
    const overdue = await screen.findByTestId("reminder-group-overdue");
    fireEvent.click(within(overdue).getAllByTestId("reminder-done")[0]);
    fireEvent.click(await screen.findByTestId("toast-log-activity"));
    const form = await screen.findByTestId("activity-form");
    expect(within(form).getByTestId("activity-lead-name").textContent).toContain("First0 Last0");
    fireEvent.change(within(form).getByTestId("activity-outcome"), { target: { value: "Talked" } });
    fireEvent.click(within(form).getByTestId("save-activity"));
    await waitFor(() => expect(backend.callsTo("activity_log")[0]?.args.input).toMatchObject({ leadId: "lead-0", kind: "call", outcome: "Talked" }));

    // Done with the other one: "Next reminder" opens a new reminder for the lead.
    await waitFor(() => expect(screen.queryByTestId("activity-form")).toBeNull());
    fireEvent.click(within(await screen.findByTestId("reminder-group-overdue")).getByTestId("reminder-done"));
    const toast = await waitFor(() => {
      const t = screen.getAllByTestId("toast").find((x) => x.textContent!.includes("Done: Send the deck"));
      expect(t).toBeTruthy();
      return t!;
    });
    fireEvent.click(within(toast).getByTestId("toast-next-reminder"));
    const reminderForm = await screen.findByTestId("reminder-form");
    expect(within(reminderForm).getByTestId("reminder-lead-name").textContent).toContain("First0 Last0");
  });
});

describe("notifier banner", () => {
  it("appears when notifications can't be shown and hides when they can again", async () => {
    await renderApp({
      notifier_status: () => ({ available: false, error: "The D-Bus notification service is not running", lastNotifiedAt: null }),
    });
    const banner = await screen.findByTestId("notifier-banner");
    expect(banner.textContent).toContain(
      "Reminder notifications can't be shown: The D-Bus notification service is not running. Reminders stay pending and are listed under Reminders.",
    );
    await fire("notifier-status", { available: true, error: null, lastNotifiedAt: "2026-11-23T10:00:00.000Z" });
    await waitFor(() => expect(screen.queryByTestId("notifier-banner")).toBeNull());
  });

  it("appears on a notifier-status event", async () => {
    await renderApp();
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId("notifier-banner")).toBeNull();
    await fire("notifier-status", { available: false, error: "No notification daemon", lastNotifiedAt: null });
    expect((await screen.findByTestId("notifier-banner")).textContent).toContain("can't be shown: No notification daemon.");
  });
});

describe("reminders view", () => {
  it("groups by local day: overdue, today, upcoming (after local midnight) and done", async () => {
    freezeNow(at(2026, 11, 23, 23, 30)); // Monday, late evening
    const backend = await renderApp({}, [
      makeReminder("late-today", { message: "Late today", dueAt: at(2026, 11, 23, 23, 50).toISOString() }),
      makeReminder("after-midnight", { message: "Just after midnight", dueAt: at(2026, 11, 24, 0, 10).toISOString(), recurrence: "weekly" }),
      makeReminder("earlier", { message: "Earlier tonight", dueAt: at(2026, 11, 23, 23, 0).toISOString() }),
      makeReminder("snoozed", {
        message: "Snoozed one",
        dueAt: at(2026, 11, 22, 9, 0).toISOString(),
        status: "snoozed",
        fireAt: at(2026, 11, 23, 23, 40).toISOString(),
      }),
      makeReminder("closed", { message: "Closed one", dueAt: at(2026, 11, 20, 9, 0).toISOString(), status: "done" }),
    ]);
    fireEvent.click(screen.getByTestId("nav-reminders"));
    const view = await screen.findByTestId("reminders-view");
    const texts = (id: string) => within(within(view).getByTestId(`reminder-group-${id}`)).getAllByTestId("reminder-text").map((e) => e.textContent);
    await waitFor(() => expect(texts("overdue")).toEqual(["Snoozed one", "Earlier tonight"]));
    expect(texts("today")).toEqual(["Late today"]);
    expect(texts("upcoming")).toEqual(["Just after midnight"]);
    expect(texts("done")).toEqual(["Closed one"]);
    expect(backend.callsTo("reminder_list").map((c) => c.args)).toEqual(
      expect.arrayContaining([
        { scope: "open", leadId: null, limit: 1000 },
        { scope: "closed", leadId: null, limit: 50 },
      ]),
    );

    const rows = within(view).getAllByTestId("reminder-row");
    const row = (msg: string) => rows.find((r) => r.textContent!.includes(msg))!;
    expect(within(row("Late today")).getByTestId("reminder-due").textContent).toBe("in 20 min");
    expect(within(row("Snoozed one")).getByTestId("reminder-due").textContent).toMatch(/^yesterday /);
    expect(within(row("Snoozed one")).getByTestId("reminder-snoozed").textContent).toContain("Snoozed until");
    expect(within(row("Just after midnight")).getByTestId("reminder-repeat-label").textContent).toBe("Weekly");
    expect(within(row("Just after midnight")).queryByTestId("reminder-snoozed")).toBeNull();
    expect(within(row("Closed one")).queryByTestId("reminder-done")).toBeNull();

    // Clicking the lead name opens that lead's panel.
    fireEvent.click(within(row("Late today")).getByTestId("reminder-lead"));
    expect(await screen.findByTestId("lead-detail")).toBeTruthy();
    await waitFor(() => expect(backend.callsTo("lead_get").at(-1)!.args).toEqual({ id: "lead-0" }));
  });

  it("hides empty groups and shows an empty state without reminders", async () => {
    await renderApp({}, [makeReminder("r1", { dueAt: new Date(Date.now() - 60_000).toISOString() })]);
    fireEvent.click(screen.getByTestId("nav-reminders"));
    expect(await screen.findByTestId("reminder-group-overdue")).toBeTruthy();
    expect(screen.queryByTestId("reminder-group-today")).toBeNull();
    expect(screen.queryByTestId("reminder-group-upcoming")).toBeNull();
    expect(screen.queryByTestId("reminder-group-done")).toBeNull();
  });

  it("shows the empty state", async () => {
    await renderApp();
    fireEvent.click(screen.getByTestId("nav-reminders"));
    expect((await screen.findByTestId("reminders-empty")).textContent).toContain("No reminders yet");
  });

  it("snoozes from the menu, dismisses, deletes after a confirm step", async () => {
    freezeNow(at(2026, 11, 23, 22, 30));
    const backend = await renderApp({}, [
      makeReminder("a", { message: "First", dueAt: at(2026, 11, 23, 9, 0).toISOString() }),
      makeReminder("b", { message: "Second", dueAt: at(2026, 11, 24, 9, 0).toISOString() }),
    ]);
    fireEvent.click(screen.getByTestId("nav-reminders"));
    const rows = await screen.findAllByTestId("reminder-row");
    expect(rows).toHaveLength(2);

    fireEvent.click(within(rows[0]).getByTestId("reminder-snooze"));
    fireEvent.click(await screen.findByTestId("snooze-tomorrow"));
    await waitFor(() => expect(backend.callsTo("reminder_snooze")[0]?.args).toEqual({ id: "a", minutes: 630 }));
    expect(screen.queryByTestId("snooze-tomorrow")).toBeNull();
    await waitFor(() => expect(screen.getAllByTestId("toast").some((t) => t.textContent!.includes("Snoozed until"))).toBe(true));

    fireEvent.click(within(screen.getAllByTestId("reminder-row")[1]).getByTestId("reminder-dismiss"));
    await waitFor(() => expect(backend.callsTo("reminder_dismiss")[0]?.args).toEqual({ id: "b" }));
    await waitFor(() => expect(within(screen.getByTestId("reminder-group-done")).getAllByTestId("reminder-row")).toHaveLength(1));

    const first = within(screen.getByTestId("reminder-group-overdue")).getByTestId("reminder-row");
    fireEvent.click(within(first).getByTestId("reminder-delete"));
    expect(backend.callsTo("reminder_delete")).toHaveLength(0);
    fireEvent.click(within(first).getByTestId("reminder-delete-confirm"));
    await waitFor(() => expect(backend.callsTo("reminder_delete")[0]?.args).toEqual({ id: "a" }));
    await waitFor(() => expect(screen.queryByTestId("reminder-group-overdue")).toBeNull());
  });
});

describe("reminder form", () => {
  it("creates a reminder from the lead panel with local quick-pick times as UTC ISO", async () => {
    freezeNow(at(2026, 11, 23, 22, 30)); // Monday 22:30 local
    const backend = await renderApp();
    const form = await openReminderForm();
    expect(within(form).getByTestId("reminder-lead-name").textContent).toContain("First0 Last0");
    // "Tomorrow 9:00" is the default.
    expect(within(form).getByTestId("reminder-quick-tomorrow").getAttribute("aria-checked")).toBe("true");
    expect(within(form).getByTestId("reminder-when-preview").textContent).toContain(formatWhen(at(2026, 11, 24, 9, 0)));
    fireEvent.change(within(form).getByTestId("reminder-message"), { target: { value: "  Send the proposal " } });
    fireEvent.change(within(form).getByTestId("reminder-remind-offset"), { target: { value: "60" } });
    const activityCalls = backend.callsTo("lead_activities").length;
    fireEvent.click(within(form).getByTestId("save-reminder"));
    await waitFor(() => expect(screen.queryByTestId("reminder-form")).toBeNull());
    expect(backend.callsTo("reminder_create")[0].args.input).toEqual({
      leadId: "lead-0",
      message: "Send the proposal",
      dueAt: at(2026, 11, 24, 9, 0).toISOString(),
      remindAt: at(2026, 11, 24, 8, 0).toISOString(),
      recurrence: null,
    });
    // The panel lists it and the timeline is reloaded.
    const item = await screen.findByTestId("lead-reminder");
    expect(item.textContent).toContain("Send the proposal");
    await waitFor(() => expect(backend.callsTo("lead_activities").length).toBeGreaterThan(activityCalls));
  });

  it("uses next Monday 9:00 (a week ahead on a Monday) and in 1 hour, with a repeat", async () => {
    freezeNow(at(2026, 11, 23, 8, 15)); // Monday morning
    const backend = await renderApp();
    let form = await openReminderForm();
    fireEvent.change(within(form).getByTestId("reminder-message"), { target: { value: "Weekly check-in" } });
    fireEvent.click(within(form).getByTestId("reminder-quick-monday"));
    fireEvent.change(within(form).getByTestId("reminder-repeat"), { target: { value: "weekdays" } });
    fireEvent.click(within(form).getByTestId("save-reminder"));
    await waitFor(() => expect(backend.callsTo("reminder_create")).toHaveLength(1));
    expect(backend.callsTo("reminder_create")[0].args.input).toMatchObject({
      dueAt: at(2026, 11, 30, 9, 0).toISOString(),
      remindAt: null,
      recurrence: "weekdays",
    });
    await waitFor(() => expect(screen.queryByTestId("reminder-form")).toBeNull());

    fireEvent.click(screen.getByTestId("add-reminder"));
    form = await screen.findByTestId("reminder-form");
    fireEvent.change(within(form).getByTestId("reminder-message"), { target: { value: "Call back" } });
    fireEvent.click(within(form).getByTestId("reminder-quick-hour"));
    fireEvent.click(within(form).getByTestId("save-reminder"));
    await waitFor(() => expect(backend.callsTo("reminder_create")).toHaveLength(2));
    expect(backend.callsTo("reminder_create")[1].args.input.dueAt).toBe(at(2026, 11, 23, 9, 15).toISOString());
  });

  it("shows a server field error next to its field only", async () => {
    const backend = await renderApp({
      reminder_create: () => {
        throw { code: "invalid_recurrence", message: "Cannot repeat by “RRULE:FREQ=SOMETIMES”", field: "recurrence" };
      },
    });
    const form = await openReminderForm();
    fireEvent.change(within(form).getByTestId("reminder-message"), { target: { value: "Ping" } });
    fireEvent.change(within(form).getByTestId("reminder-repeat"), { target: { value: "custom" } });
    const rule = within(form).getByTestId("reminder-rrule");
    fireEvent.change(rule, { target: { value: "FREQ=SOMETIMES" } });
    fireEvent.click(within(form).getByTestId("save-reminder"));
    const err = await within(form).findByTestId("error-recurrence");
    expect(err.textContent).toBe("Cannot repeat by “RRULE:FREQ=SOMETIMES”");
    expect(backend.callsTo("reminder_create")[0].args.input.recurrence).toBe("FREQ=SOMETIMES");
    expect(form.querySelectorAll('[data-testid^="error-"]')).toHaveLength(1);
    expect(within(form).queryByTestId("form-error")).toBeNull();
    // The error sits in the Repeat field, next to the rule input, which is marked and focused.
    expect(err.closest(".field")!.contains(rule)).toBe(true);
    expect(rule.getAttribute("aria-invalid")).toBe("true");
    // Focus moves in an effect after the error renders: the error can be found a tick before.
    await waitFor(() => expect(document.activeElement).toBe(rule));
    fireEvent.change(rule, { target: { value: "FREQ=WEEKLY" } });
    expect(within(form).queryByTestId("error-recurrence")).toBeNull();
  });

  it("shows an error without a field as a form alert, and checks the message first", async () => {
    const backend = await renderApp({
      reminder_create: () => {
        throw { code: "storage", message: "disk is full", field: null };
      },
    });
    const form = await openReminderForm();
    fireEvent.click(within(form).getByTestId("save-reminder"));
    expect((await within(form).findByTestId("error-message")).textContent).toContain("Enter what to follow up on");
    expect(backend.callsTo("reminder_create")).toHaveLength(0);
    fireEvent.change(within(form).getByTestId("reminder-message"), { target: { value: "Ping" } });
    fireEvent.click(within(form).getByTestId("save-reminder"));
    expect((await within(form).findByTestId("form-error")).textContent).toContain("disk is full");
  });

  it("resolves custom text through parseReminderTime with a live preview", async () => {
    freezeNow(at(2026, 11, 23, 15, 0));
    const resolved = at(2026, 11, 24, 14, 0);
    const backend = await renderApp({
      reminder_parse_time: ({ text }: any) => {
        if (text === "tomorrow 14:00") return resolved.toISOString();
        throw { code: "invalid_time", message: `“${text}” is not a time: use +2h or tomorrow 09:00`, field: "dueAt" };
      },
    });
    const form = await openReminderForm();
    fireEvent.change(within(form).getByTestId("reminder-message"), { target: { value: "Demo" } });
    fireEvent.click(within(form).getByTestId("reminder-quick-custom"));
    const input = within(form).getByTestId("reminder-custom-at") as HTMLInputElement;
    expect(input.placeholder).toContain("tomorrow 14:00");
    const preview = within(form).getByTestId("reminder-when-preview");

    fireEvent.change(input, { target: { value: "tomorrow" } });
    fireEvent.change(input, { target: { value: "tomorrow 14:00" } });
    await waitFor(() => expect(preview.getAttribute("data-state")).toBe("ok"));
    expect(preview.textContent).toContain(formatWhen(resolved));
    expect(preview.textContent).toContain("tomorrow");
    // Debounced: only the text the user stopped at was sent.
    expect(backend.callsTo("reminder_parse_time").map((c) => c.args)).toEqual([{ text: "tomorrow 14:00" }]);
    expect((within(form).getByTestId("reminder-custom-picker") as HTMLInputElement).value).toBe("2026-11-24T14:00");

    fireEvent.change(input, { target: { value: "soonish" } });
    await waitFor(() => expect(preview.getAttribute("data-state")).toBe("error"));
    expect(preview.textContent).toContain("“soonish” is not a time");

    // Saving with unreadable text: the error goes to the field, nothing is created.
    fireEvent.click(within(form).getByTestId("save-reminder"));
    expect((await within(form).findByTestId("error-dueAt")).textContent).toContain("is not a time");
    expect(backend.callsTo("reminder_create")).toHaveLength(0);

    // The date picker fills the text field (local time).
    fireEvent.change(within(form).getByTestId("reminder-custom-picker"), { target: { value: "2026-12-01T09:30" } });
    expect(input.value).toBe("2026-12-01 09:30");
    await waitFor(() => expect(preview.textContent).toContain(formatWhen(at(2026, 12, 1, 9, 30))));

    fireEvent.change(input, { target: { value: "tomorrow 14:00" } });
    await waitFor(() => expect(preview.getAttribute("data-state")).toBe("ok"));
    fireEvent.click(within(form).getByTestId("save-reminder"));
    await waitFor(() => expect(backend.callsTo("reminder_create")).toHaveLength(1));
    expect(backend.callsTo("reminder_create")[0].args.input.dueAt).toBe(resolved.toISOString());
  });

  it("edits a reminder pre-filled in custom mode with its local time", async () => {
    freezeNow(at(2026, 11, 23, 15, 0));
    const due = at(2026, 11, 25, 16, 45);
    const backend = await renderApp({}, [
      makeReminder("r1", {
        message: "Send the contract",
        dueAt: due.toISOString(),
        remindAt: new Date(due.getTime() - 10 * 60_000).toISOString(),
        recurrence: "RRULE:FREQ=WEEKLY;INTERVAL=2",
      }),
    ]);
    fireEvent.click(screen.getByTestId("nav-reminders"));
    fireEvent.click(within(await screen.findByTestId("reminder-row")).getByTestId("reminder-edit"));
    const form = await screen.findByTestId("reminder-form");
    expect((within(form).getByTestId("reminder-message") as HTMLInputElement).value).toBe("Send the contract");
    expect(within(form).getByTestId("reminder-quick-custom").getAttribute("aria-checked")).toBe("true");
    expect((within(form).getByTestId("reminder-custom-at") as HTMLInputElement).value).toBe(toLocalText(due));
    expect((within(form).getByTestId("reminder-repeat") as HTMLSelectElement).value).toBe("custom");
    expect((within(form).getByTestId("reminder-rrule") as HTMLInputElement).value).toBe("RRULE:FREQ=WEEKLY;INTERVAL=2");
    expect((within(form).getByTestId("reminder-remind-offset") as HTMLSelectElement).value).toBe("10");
    fireEvent.click(within(form).getByTestId("reminder-quick-tomorrow"));
    fireEvent.click(within(form).getByTestId("save-reminder"));
    await waitFor(() => expect(backend.callsTo("reminder_update")).toHaveLength(1));
    expect(backend.callsTo("reminder_update")[0].args).toEqual({
      id: "r1",
      input: {
        leadId: "lead-0",
        message: "Send the contract",
        dueAt: at(2026, 11, 24, 9, 0).toISOString(),
        remindAt: at(2026, 11, 24, 8, 50).toISOString(),
        recurrence: "RRULE:FREQ=WEEKLY;INTERVAL=2",
      },
    });
  });
});

describe("reminder events", () => {
  it("reminder-fired shows a toast whose buttons open the lead, snooze and complete", async () => {
    const r = makeReminder("r9", { leadId: "lead-3", leadName: "Grace Hopper", message: "Call about the pilot" });
    const backend = await renderApp({}, [r]);
    await fire("reminder-fired", r);
    const toast = await screen.findByText("Follow up: Grace Hopper — Call about the pilot");
    const box = toast.closest<HTMLElement>('[data-testid="toast"]')!;
    fireEvent.click(within(box).getByTestId("toast-snooze"));
    await waitFor(() => expect(backend.callsTo("reminder_snooze")[0]?.args).toEqual({ id: "r9", minutes: 10 }));

    await fire("reminder-fired", r);
    fireEvent.click(await screen.findByTestId("toast-done"));
    await waitFor(() => expect(backend.callsTo("reminder_complete")[0]?.args).toEqual({ id: "r9" }));

    await fire("reminder-fired", r);
    fireEvent.click(await screen.findByTestId("toast-open-lead"));
    expect(await screen.findByTestId("lead-detail")).toBeTruthy();
    await waitFor(() => expect(backend.callsTo("lead_get").at(-1)!.args).toEqual({ id: "lead-3" }));
  });

  it("reminders-missed offers the Reminders view; open-lead and show-reminders navigate", async () => {
    const backend = await renderApp();
    await fire("reminders-missed", [makeReminder("m1"), makeReminder("m2")]);
    const toast = (await screen.findByText("2 missed reminders")).closest<HTMLElement>('[data-testid="toast"]')!;
    fireEvent.click(within(toast).getByTestId("toast-show-reminders"));
    expect(await screen.findByTestId("reminders-view")).toBeTruthy();
    expect(screen.getByTestId("nav-reminders").getAttribute("aria-current")).toBe("page");

    await fire("open-lead", "lead-7");
    expect(await screen.findByTestId("lead-detail")).toBeTruthy();
    await waitFor(() => expect(backend.callsTo("lead_get").at(-1)!.args).toEqual({ id: "lead-7" }));

    fireEvent.click(screen.getByTestId("nav-leads"));
    await fire("show-reminders", null);
    expect(await screen.findByTestId("reminders-view")).toBeTruthy();
  });

  it("refreshes the open lead's reminders and timeline when a reminder fires", async () => {
    const r = makeReminder("r1", { message: "Quick call" });
    const backend = await renderApp({}, [r]);
    const detail = await openLeadPanel();
    expect((await within(detail).findByTestId("lead-reminder")).textContent).toContain("Quick call");
    const listCalls = backend.callsTo("reminder_list").length;
    const activityCalls = backend.callsTo("lead_activities").length;
    await fire("reminder-fired", r);
    await fire("data-changed", { tags: ["reminders", "leads"] });
    await waitFor(() => expect(backend.callsTo("lead_activities").length).toBeGreaterThan(activityCalls));
    expect(backend.callsTo("reminder_list").length).toBeGreaterThan(listCalls);
  });
});

describe("timeline", () => {
  it("shows reminder activities with a bell and local times", async () => {
    const due = at(2026, 11, 24, 9, 0);
    await renderApp({
      lead_activities: () => ({
        rows: [
          { id: "x1", leadId: "lead-0", activityType: "reminder", description: `Reminder set for ${due.toISOString()}: Call back`, changes: [], userName: "Dana", createdAt: "2026-11-23T10:00:00Z" },
          { id: "x0", leadId: "lead-0", activityType: "created", description: "Lead created", changes: [], userName: "Dana", createdAt: "2026-11-20T10:00:00Z" },
        ],
        next: null,
      }),
    });
    const detail = await openLeadPanel();
    const items = await within(detail).findAllByTestId("activity-item");
    expect(items[0].querySelector(".activity-icon")).not.toBeNull();
    expect(items[1].querySelector(".activity-icon")).toBeNull();
    expect(items[0].querySelector(".activity-desc")!.textContent).toBe(`Reminder set for ${formatWhen(due)}`);
    expect(within(items[0]).getByTestId("activity-reminder-message").textContent).toBe("Call back");
  });
});
