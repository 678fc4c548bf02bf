import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import type { Activity, Lead, LeadRow, ListLeadsRequest, ListRemindersRequest, Reminder, Stage, StoreInfo, SyncStatus } from "../bindings";

export type Call = { cmd: string; args: Record<string, any> };

export function makeRow(i: number, extra: Partial<LeadRow> = {}): LeadRow {
  return {
    id: `lead-${i}`,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    email: `lead${i}@example.com`,
    phone: "+14155550100",
    phoneDisplay: "+1 415-555-0100",
    companyId: "co-1",
    companyName: "Acme",
    jobTitle: "CTO",
    stageId: "st-1",
    stageName: "New",
    stageColor: "#6366f1",
    score: i % 100,
    status: "open",
    createdAt: "2025-03-04T10:00:00Z",
    updatedAt: "2025-03-05T10:00:00Z",
    ...extra,
  };
}

export function makeLead(row: LeadRow, extra: Partial<Lead> = {}): Lead {
  return {
    ...row,
    spaceId: "sp",
    phoneRaw: row.phone,
    email2: null,
    phone2: null,
    phone2Raw: null,
    website: null,
    externalId: null,
    sourceId: null,
    sourceName: null,
    assignedTo: null,
    budget: "$50k",
    authority: "Decision maker",
    need: "CRM",
    timeline: "Q3",
    notes: "Met at the summit",
    customFields: {},
    enrichedData: null,
    convertedToCustomer: false,
    customerId: null,
    ...extra,
  };
}

export const STAGES: Stage[] = [
  { id: "st-1", name: "New", color: "#6366f1", stageOrder: 1, isDefault: true },
  { id: "st-2", name: "Qualified", color: "#10b981", stageOrder: 2, isDefault: false },
];

type Handler = (args: Record<string, any>) => unknown;

/**
 * A command's arguments as tests read them: its request's fields (`{ req: { id } }` is read as
 * `args.id`) beside a progress channel if it has one. Handlers also get the request as `req`.
 */
export function flatten(raw: unknown): Record<string, any> {
  const { req, ...rest } = (raw ?? {}) as Record<string, any>;
  return req && typeof req === "object" && !Array.isArray(req) ? { ...rest, ...req } : { ...rest };
}

/** A sync status; sync is off unless `extra` says otherwise. */
export function makeSyncStatus(extra: Partial<SyncStatus> = {}): SyncStatus {
  return {
    state: "off",
    url: null,
    spaceName: null,
    pending: 0,
    rejected: 0,
    waiting: 0,
    lastSyncAt: null,
    offlineSince: null,
    lastError: null,
    recentRejections: [],
    ...extra,
  };
}

export function makeReminder(id: string, extra: Partial<Reminder> = {}): Reminder {
  const due = extra.dueAt ?? new Date(Date.now() + 3 * 3600_000).toISOString();
  return {
    id,
    leadId: "lead-0",
    leadName: "First0 Last0",
    message: `Follow up ${id}`,
    dueAt: due,
    remindAt: due,
    status: "pending",
    recurrence: null,
    timeZone: "Europe/Berlin",
    fireAt: due,
    notifiedAt: null,
    createdAt: "2025-03-04T10:00:00Z",
    updatedAt: "2025-03-04T10:00:00Z",
    ...extra,
  };
}

const isOpen = (r: Reminder) => r.status === "pending" || r.status === "snoozed";

/** Reminder commands over an in-memory list (tests override single commands as needed). */
function reminderHandlers(reminders: Reminder[]): Record<string, Handler> {
  return {
    reminder_list: (args) => {
      const req = args.req as ListRemindersRequest;
      const mine = reminders.filter((r) => req.leadId === null || r.leadId === req.leadId);
      const rows =
        req.scope === "closed"
          ? mine.filter((r) => !isOpen(r)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
          : mine.filter((r) => req.scope === "all" || isOpen(r)).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
      return rows.slice(0, req.limit);
    },
    reminder_counts: () => {
      const now = Date.now();
      const end = new Date();
      end.setHours(24, 0, 0, 0);
      const open = reminders.filter(isOpen).map((r) => new Date(r.dueAt).getTime());
      return {
        overdue: open.filter((t) => t <= now).length,
        today: open.filter((t) => t > now && t < end.getTime()).length,
        upcoming: open.filter((t) => t >= end.getTime()).length,
      };
    },
    reminder_create: ({ input }) => {
      const r = makeReminder(`rem-${reminders.length + 1}`, { ...input, remindAt: input.remindAt ?? input.dueAt });
      reminders.push(r);
      return r;
    },
    reminder_update: ({ id, input }) => {
      const r = reminders.find((x) => x.id === id)!;
      Object.assign(r, input, { remindAt: input.remindAt ?? input.dueAt, status: "pending" });
      return r;
    },
    reminder_complete: ({ id }) => {
      const r = reminders.find((x) => x.id === id)!;
      r.status = "done";
      return r;
    },
    reminder_snooze: ({ id, minutes }) => {
      const r = reminders.find((x) => x.id === id)!;
      r.status = "snoozed";
      r.fireAt = new Date(Date.now() + minutes * 60_000).toISOString();
      return r;
    },
    reminder_dismiss: ({ id }) => {
      const r = reminders.find((x) => x.id === id)!;
      r.status = "dismissed";
      return r;
    },
    reminder_delete: ({ id }) => {
      reminders.splice(reminders.findIndex((x) => x.id === id), 1);
      return null;
    },
    reminder_parse_time: ({ text }) => {
      const m = /^\+(\d+)([mh])$/.exec(String(text).trim());
      if (!m) throw { code: "invalid_time", message: `“${text}” is not a time`, field: "dueAt" };
      return new Date(Date.now() + Number(m[1]) * (m[2] === "h" ? 3600_000 : 60_000)).toISOString();
    },
    notifier_status: () => ({ available: true, error: null, lastNotifiedAt: null }),
    settings_start_at_login: () => false,
    settings_set_start_at_login: ({ enabled }) => enabled,
  };
}

/** Settings → General kept in memory, so a write is read back as the real store would. */
function settingsHandlers(): Record<string, Handler> {
  const general = { defaultRegion: "US", theme: "system", desktopNotifications: true };
  return {
    settings_general: () => ({ ...general }),
    settings_phone_regions: () => [
      { code: "DE", callingCode: 49 },
      { code: "GB", callingCode: 44 },
      { code: "US", callingCode: 1 },
    ],
    settings_set_default_region: ({ region }) => {
      if (!["DE", "GB", "US"].includes(String(region))) {
        throw { code: "invalid_region", message: `“${region}” is not a known ISO 3166 region code`, field: "defaultRegion" };
      }
      return (general.defaultRegion = String(region));
    },
    settings_set_theme: ({ theme }) => (general.theme = String(theme)),
    settings_set_desktop_notifications: ({ enabled }) => (general.desktopNotifications = Boolean(enabled)),
    settings_test_notification: () => null,
  };
}

/** Scoring commands with neutral answers: no rules, the lead's score set by hand. */
function scoringHandlers(): Record<string, Handler> {
  return {
    rule_list: () => [],
    score_settings: () => ({ decayHalfLifeDays: null, thresholds: [{ score: 70, label: "hot" }] }),
    score_distribution: () => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    score_explain: ({ leadId }) => {
      const score = Number(String(leadId).split("-")[1]) % 100;
      return {
        leadId,
        score,
        parts: score ? [{ kind: "manual", ruleId: null, label: "Set by hand", matches: 1, points: score }] : [],
        computedAt: null,
      };
    },
    score_history: () => [],
    lead_events: () => [],
    lead_inquiries: () => [],
  };
}

/**
 * Install a fake backend with `total` leads. Every call is recorded in `calls`;
 * `overrides` replace individual command handlers.
 */
export function installBackend(
  total: number,
  overrides: Record<string, Handler> = {},
  { reminders = [] }: { reminders?: Reminder[] } = {},
) {
  const calls: Call[] = [];
  const info = (): StoreInfo => ({
    dbPath: "/tmp/leadbook.db",
    leadCount: total,
    companyCount: 3,
    defaultRegion: "US",
    userName: "Dana",
    spaceName: "Acme Sales",
  });
  // A search matches `searchMatches` leads, shown with the text in their first name.
  const searchMatches = 2;
  const listLeads = ({ req }: { req: ListLeadsRequest }) => {
    const start = req.after ? Number(req.after.id.split("-")[1]) + 1 : (req.offset ?? 0);
    const of = req.text ? searchMatches : total;
    const n = Math.max(0, Math.min(req.limit, of - start));
    const rows = Array.from({ length: n }, (_, k) => makeRow(start + k, req.text ? { firstName: `Hit-${req.text}` } : {}));
    const last = rows[rows.length - 1];
    return { rows, next: n === req.limit && last ? { key: last.createdAt, id: last.id } : null };
  };
  const activities: Activity[] = [
    {
      id: "a2",
      leadId: "lead-0",
      activityType: "updated",
      description: "Lead updated",
      changes: [
        { field: "email", old: "old@example.com", new: "lead0@example.com" },
        { field: "jobTitle", old: null, new: "CTO" },
      ],
      userName: "Dana",
      createdAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    },
    {
      id: "a1",
      leadId: "lead-0",
      activityType: "created",
      description: "Lead created",
      changes: [],
      userName: "Dana",
      createdAt: "2025-03-04T10:00:00Z",
    },
  ];
  const handlers: Record<string, Handler> = {
    store_info: info,
    lead_list: listLeads as Handler,
    lead_search: ({ req }) => [makeRow(7, { firstName: req.text })],
    lead_count: ({ filter, cap }) => {
      const n = filter.text ? searchMatches : total;
      return cap !== null && n > cap ? { count: cap, exact: false } : { count: n, exact: true };
    },
    lead_get: ({ id }) => makeLead(makeRow(Number(String(id).split("-")[1]))),
    lead_activities: () => ({ rows: activities, next: null }),
    activity_log: ({ input }) => {
      const types: Record<string, string> = { call: "call_made", email: "email_sent", meeting: "meeting_held", note: "note_added" };
      if (!String(input.message).trim() && !input.outcome) throw { code: "required", message: "Say what happened (a line is enough)", field: "message" };
      const logged: Activity = {
        id: `logged-${activities.length}`,
        leadId: input.leadId,
        activityType: types[input.kind],
        description: String(input.message).trim() || input.outcome,
        changes: [],
        outcome: input.outcome,
        durationMinutes: input.durationMinutes,
        userName: "Dana",
        createdAt: new Date().toISOString(),
      };
      activities.unshift(logged);
      return logged;
    },
    stage_list: () => STAGES,
    source_list: () => [],
    company_list: () => ({
      rows: [
        { id: "co-1", name: "Acme", website: "acme.com", industry: "Software", companySize: 120, leadCount: 2, createdAt: "2025-01-01T00:00:00Z", updatedAt: "2025-01-01T00:00:00Z" },
      ],
      next: null,
    }),
    company_get: () => ({ id: "co-1", name: "Acme", website: "acme.com", industry: "Software", companySize: 120, leadCount: 2, createdAt: "2025-01-01T00:00:00Z", updatedAt: "2025-01-01T00:00:00Z" }),
    app_first_paint: () => null,
    segment_list: () => [],
    lead_segments: () => [],
    sync_status: () => makeSyncStatus(),
    recovery_state: () => ({ dbPath: "/tmp/leadbook.db", damaged: null, backups: [], newestGood: null }),
    backup_list: () => [],
    // The app's save dialog (file_pick_save): the user picks this file.
    file_pick_save: () => "/home/me/leads.csv",
    ...scoringHandlers(),
    ...reminderHandlers(reminders),
    ...settingsHandlers(),
    ...overrides,
  };
  // shouldMockEvents: `listen` / `emit` from @tauri-apps/api/event work in tests.
  mockIPC(
    (cmd, raw) => {
      const args = flatten(raw);
      calls.push({ cmd, args });
      const h = handlers[cmd];
      if (!h) throw { code: "unknown", message: `no handler for ${cmd}`, field: null };
      return h({ ...args, req: (raw as Record<string, any> | undefined)?.req });
    },
    { shouldMockEvents: true },
  );
  // The app's one window, so `getCurrentWebview()` (file drops) works as in the real app.
  mockWindows("main");
  return {
    calls,
    reminders,
    callsTo: (cmd: string) => calls.filter((c) => c.cmd === cmd),
    setTotal: (n: number) => {
      total = n;
    },
  };
}
