/**
 * DEV ONLY — fake Tauri backend for previewing the UI in a plain browser.
 *
 * Loaded by src/main.tsx only when Vite runs with `--mode preview-mock`
 * (`npm run dev:mock`); production builds never include this file.
 *
 * Query flags:
 *   ?leads=N        number of leads (default 12480; up to 1,000,000 — only the
 *                   default sort is exact past 50k rows)
 *   ?empty=1        empty store (shows the empty state)
 *   (dark theme: run chromium with --force-dark-mode)
 *   ?latency=MS     delay every command
 *   ?fail=list      make lead_list fail
 *   ?scenario=detail | form-error | palette   drive the UI for screenshots
 *   ?reminders=0    no reminders (the seeded ones are due around now)
 *   ?notifier=off   the notification service is unavailable (banner)
 *   ?fail=autostart setting "Start Leadbook at login" fails
 *   ?scenario=reminders | reminder-form | reminder-edit | reminder-fired | reminders-missed
 *   ?scenario=scoring | scoring-editor | scoring-progress | lead-score
 *   ?rules=0        no scoring rules (the Scoring view's empty state)
 *   ?sync=synced | pending | offline | error   team sync already set up (default: off)
 *   ?scenario=settings | sync-setup-error      the Settings view (with a failed connect)
 */
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type {
  LogActivityInput,
  LeadCount,
  LeadFilter,
  Activity,
  AppError,
  ErrorCode,
  Company,
  CompanyInput,
  FieldChange,
  Lead,
  LeadInput,
  LeadRow,
  ListCompaniesRequest,
  ListLeadsRequest,
  ListRemindersRequest,
  NotifierStatus,
  RecomputeSummary,
  Reminder,
  ReminderInput,
  RuleInput,
  ScoreChange,
  ScoreExplanation,
  ScorePart,
  ScoringRule,
  ScoringSettings,
  SearchRequest,
  Source,
  Stage,
  SyncStatus,
} from "../src/bindings";

const params = new URLSearchParams(location.search);
// Dark preview: run chromium with --force-dark-mode (the app only follows the OS theme).
const latency = Number(params.get("latency") ?? 60);
let leadTotal = params.get("empty") ? 0 : Number(params.get("leads") ?? 12480);

// ---------- deterministic data ----------
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T,>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)];

const FIRST = ["Ava", "Liam", "Maya", "Noah", "Sofia", "Ethan", "Zoe", "Lucas", "Chloe", "Mateo", "Priya", "Jonas", "Amara", "Kenji", "Elena", "Omar", "Hannah", "Diego", "Freya", "Tariq", "Isabel", "Marcus", "Nora", "Samuel", "Leila", "Viktor", "Grace", "Hugo", "Aisha", "Felix"];
const LAST = ["Johnson", "Martinez", "Chen", "Okafor", "Schneider", "Rossi", "Nakamura", "Dubois", "Patel", "Andersson", "García", "Kowalski", "Silva", "Müller", "O'Brien", "Haddad", "Novak", "Fischer", "Lindqvist", "Moreau", "Brennan", "Ivanova", "Costa", "Yamamoto", "Khan", "Walsh", "Bauer", "Santos", "Hughes", "Nguyen"];
const COMPANY_A = ["Northwind", "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent", "Cyberdyne", "Tyrell", "Aperture", "Massive", "Pied Piper", "Oscorp", "Gringotts", "Monarch", "Blue Sun", "Wonka", "Duff", "Prestige", "Sterling", "Bluth", "Dunder"];
const COMPANY_B = ["Labs", "Systems", "Analytics", "Logistics", "Health", "Capital", "Robotics", "Foods", "Energy", "Media"];
const INDUSTRIES = ["Software", "Logistics", "Healthcare", "Finance", "Manufacturing", "Retail", "Energy", "Media", "Education"];
const TITLES = ["Head of Sales", "VP Marketing", "CTO", "Operations Manager", "Procurement Lead", "CEO", "Product Manager", "IT Director", "Founder", "Finance Director", null];

const STAGES: Stage[] = [
  { id: "st-new", name: "New", color: "#6366f1", stageOrder: 1, isDefault: true },
  { id: "st-contacted", name: "Contacted", color: "#0ea5e9", stageOrder: 2, isDefault: false },
  { id: "st-qualified", name: "Qualified", color: "#10b981", stageOrder: 3, isDefault: false },
  { id: "st-proposal", name: "Proposal", color: "#f59e0b", stageOrder: 4, isDefault: false },
  { id: "st-negotiation", name: "Negotiation", color: "#ec4899", stageOrder: 5, isDefault: false },
  { id: "st-won", name: "Won", color: "#22c55e", stageOrder: 6, isDefault: false },
  { id: "st-lost", name: "Lost", color: "#94a3b8", stageOrder: 7, isDefault: false },
];
const SOURCES: Source[] = [
  { id: "src-web", name: "Website", sourceType: "inbound", utmSource: null, utmMedium: null, utmCampaign: null },
  { id: "src-ref", name: "Referral", sourceType: "referral", utmSource: null, utmMedium: null, utmCampaign: null },
  { id: "src-li", name: "LinkedIn", sourceType: "social", utmSource: "linkedin", utmMedium: "social", utmCampaign: "q3" },
  { id: "src-event", name: "Trade show", sourceType: "event", utmSource: null, utmMedium: null, utmCampaign: null },
];
const STATUSES = ["open", "working", "qualified", "unqualified", "converted", "lost"];

let companies: Company[] = [];
function makeCompanies() {
  const r = rng(7);
  companies = [];
  for (let i = 0; i < 140; i++) {
    const name = `${COMPANY_A[i % COMPANY_A.length]} ${COMPANY_B[Math.floor(i / COMPANY_A.length) % COMPANY_B.length]}`;
    companies.push({
      id: `co-${i}`,
      name,
      website: `${name.toLowerCase().replace(/[^a-z]+/g, "")}.com`,
      industry: pick(r, INDUSTRIES),
      companySize: Math.floor(10 + r() * 5000),
      leadCount: 0,
      createdAt: new Date(Date.UTC(2023, 0, 1) + i * 86400000).toISOString(),
      updatedAt: new Date(Date.UTC(2024, 5, 1) + i * 3600000).toISOString(),
    });
  }
}
makeCompanies();

const NOW = Date.now();
/** Lead at position i in default order (createdAt desc). */
function genLead(i: number): Lead {
  const r = rng(i * 2654435761);
  const first = pick(r, FIRST);
  const last = pick(r, LAST);
  const co = companies[Math.floor(r() * companies.length)];
  const stage = pick(r, STAGES);
  const created = NOW - (i * 37 + Math.floor(r() * 30)) * 60000;
  const updated = created + Math.floor(r() * Math.min(NOW - created, 86400000 * 20));
  const hasPhone = r() > 0.2;
  const digits = String(2000000 + Math.floor(r() * 7999999));
  return {
    id: `ld-${i}`,
    spaceId: "sp-1",
    firstName: first,
    lastName: last,
    email: r() > 0.08 ? `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, "") + `@${co.website}` : null,
    phone: hasPhone ? `+1415${digits}` : null,
    phoneRaw: hasPhone ? `(415) ${digits.slice(0, 3)}-${digits.slice(3)}` : null,
    phoneDisplay: hasPhone ? `+1 415-${digits.slice(0, 3)}-${digits.slice(3)}` : null,
    email2: null,
    phone2: null,
    phone2Raw: null,
    website: r() > 0.5 ? `https://www.${co.website}` : null,
    externalId: null,
    companyId: co.id,
    companyName: co.name,
    jobTitle: pick(r, TITLES),
    stageId: stage.id,
    stageName: stage.name,
    stageColor: stage.color,
    sourceId: SOURCES[i % SOURCES.length].id,
    sourceName: SOURCES[i % SOURCES.length].name,
    status: pick(r, STATUSES),
    score: Math.floor(r() * 101),
    assignedTo: null,
    budget: r() > 0.4 ? pick(r, ["$10–25k", "$50k", "$120k / yr", "Not confirmed"]) : null,
    authority: r() > 0.4 ? pick(r, ["Decision maker", "Influencer", "Needs CFO sign-off"]) : null,
    need: r() > 0.4 ? pick(r, ["Replace spreadsheets", "Faster onboarding", "Consolidate vendors"]) : null,
    timeline: r() > 0.4 ? pick(r, ["This quarter", "Q3", "Next year"]) : null,
    notes: r() > 0.6 ? "Met at the regional summit. Interested in a pilot for the ops team; follow up after their budget review." : null,
    customFields: {},
    enrichedData: null,
    convertedToCustomer: false,
    customerId: null,
    createdAt: new Date(created).toISOString(),
    updatedAt: new Date(updated).toISOString(),
  };
}

// Overrides (created/edited/deleted leads) on top of the generated ones.
const edited = new Map<string, Lead>();
const created: Lead[] = [];
const deleted = new Set<string>();
const activities = new Map<string, Activity[]>();

const MATERIALIZE_LIMIT = 50000;
function allLeads(): Lead[] {
  const out: Lead[] = [...created];
  const n = Math.min(leadTotal, MATERIALIZE_LIMIT);
  for (let i = 0; i < n; i++) {
    const id = `ld-${i}`;
    if (deleted.has(id)) continue;
    out.push(edited.get(id) ?? genLead(i));
  }
  return out;
}
function leadById(id: string): Lead | undefined {
  if (deleted.has(id)) return undefined;
  if (edited.has(id)) return edited.get(id);
  const c = created.find((l) => l.id === id);
  if (c) return c;
  const m = /^ld-(\d+)$/.exec(id);
  if (m && Number(m[1]) < leadTotal) return genLead(Number(m[1]));
  return undefined;
}
function count(): number {
  return leadTotal + created.length - deleted.size;
}
function toRow(l: Lead): LeadRow {
  const { id, firstName, lastName, email, phone, phoneDisplay, companyId, companyName, jobTitle, stageId, stageName, stageColor, score, status, createdAt, updatedAt } = l;
  return { id, firstName, lastName, email, phone, phoneDisplay, companyId, companyName, jobTitle, stageId, stageName, stageColor, score, status, createdAt, updatedAt };
}

function sortKey(l: Lead, sort: ListLeadsRequest["sort"]): string {
  switch (sort) {
    case "name":
      return `${l.lastName} ${l.firstName}`.toLowerCase();
    case "email":
      return l.email ?? "";
    case "company":
      return (l.companyName ?? "").toLowerCase();
    case "score":
      return String(l.score).padStart(3, "0");
    case "createdAt":
      return l.createdAt;
    case "updatedAt":
      return l.updatedAt;
  }
}

function listLeads(req: ListLeadsRequest) {
  if (params.get("fail") === "list") throw err("storage", "database is locked (SQLITE_BUSY)", null);
  const fast = !req.companyId && !req.text && req.sort === "createdAt" && req.dir === "desc" && created.length === 0 && deleted.size === 0 && edited.size === 0;
  if (fast) {
    // Lazy path: works for a million rows.
    let start = req.offset ?? 0;
    if (req.after) start = Number(req.after.id.slice(3)) + 1;
    const rows: LeadRow[] = [];
    for (let i = start; i < Math.min(leadTotal, start + req.limit); i++) rows.push(toRow(genLead(i)));
    const last = rows[rows.length - 1];
    return { rows, next: rows.length === req.limit && last ? { key: last.createdAt, id: last.id } : null };
  }
  let all = allLeads();
  if (req.companyId) all = all.filter((l) => l.companyId === req.companyId);
  if (req.text) all = all.filter((l) => matchesText(l, req.text!));
  const mul = req.dir === "asc" ? 1 : -1;
  all.sort((a, b) => {
    const ka = sortKey(a, req.sort);
    const kb = sortKey(b, req.sort);
    return ka < kb ? -mul : ka > kb ? mul : a.id < b.id ? -mul : mul;
  });
  let start = req.offset ?? 0;
  if (req.after) {
    const idx = all.findIndex((l) => l.id === req.after!.id);
    start = idx + 1;
  }
  const page = all.slice(start, start + req.limit);
  const last = page[page.length - 1];
  return {
    rows: page.map(toRow),
    next: page.length === req.limit && last ? { key: sortKey(last, req.sort), id: last.id } : null,
  };
}

function matchesText(l: Lead, text: string): boolean {
  const hay = `${l.firstName} ${l.lastName} ${l.email ?? ""} ${l.companyName ?? ""} ${l.phone ?? ""}`.toLowerCase();
  return hay.includes(text.trim().toLowerCase());
}

function searchLeads(req: SearchRequest): LeadRow[] {
  const out: LeadRow[] = [];
  for (const l of allLeads()) {
    if (matchesText(l, req.text)) out.push(toRow(l));
    if (out.length >= req.limit) break;
  }
  return out;
}

function countLeads({ filter, cap }: { filter: LeadFilter; cap: number | null }): LeadCount {
  let n = 0;
  for (const l of allLeads()) {
    if (filter.companyId && l.companyId !== filter.companyId) continue;
    if (filter.text && !matchesText(l, filter.text)) continue;
    n++;
    if (cap !== null && n > cap) return { count: cap, exact: false };
  }
  return { count: n, exact: true };
}

function err(code: ErrorCode, message: string, field: string | null): AppError {
  return { code, message, field };
}

function validate(input: LeadInput) {
  if (!input.firstName.trim() && !input.lastName.trim()) throw err("required", "A lead needs a first or last name.", "firstName");
  if (input.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email))
    throw err("invalid_email", "That doesn't look like an email address (expected name@company.com).", "email");
  if (input.phone && /[a-z]/i.test(input.phone)) throw err("invalid_phone", "Phone numbers can only contain digits, spaces and + ( ) -.", "phone");
  if (input.score !== null && (input.score < 0 || input.score > 100)) throw err("invalid_score", "Score must be between 0 and 100.", "score");
}

function applyInput(base: Lead, input: LeadInput): Lead {
  const stage = STAGES.find((s) => s.id === input.stageId) ?? null;
  const source = SOURCES.find((s) => s.id === input.sourceId) ?? null;
  const co = input.companyName ? companies.find((c) => c.name.toLowerCase() === input.companyName!.toLowerCase()) : null;
  return {
    ...base,
    firstName: input.firstName,
    lastName: input.lastName,
    email: input.email,
    phone: input.phone,
    phoneRaw: input.phone,
    phoneDisplay: input.phone,
    companyName: input.companyName,
    companyId: co?.id ?? null,
    jobTitle: input.jobTitle,
    stageId: stage?.id ?? null,
    stageName: stage?.name ?? null,
    stageColor: stage?.color ?? null,
    sourceId: source?.id ?? null,
    sourceName: source?.name ?? null,
    status: input.status ?? "open",
    score: input.score ?? base.score,
    budget: input.budget,
    authority: input.authority,
    need: input.need,
    timeline: input.timeline,
    notes: input.notes,
    updatedAt: new Date().toISOString(),
  };
}

function leadActivities(leadId: string, before: string | null, limit: number) {
  let list = activities.get(leadId);
  if (!list) {
    const l = leadById(leadId);
    if (!l) throw err("not_found", "Lead not found.", null);
    const r = rng(leadId.length * 97 + Number(leadId.replace(/\D/g, "") || 0));
    const t0 = new Date(l.createdAt).getTime();
    list = [
      { id: `${leadId}-a2`, leadId, activityType: "updated", description: "Stage changed", changes: [{ field: "stageId", old: "New", new: l.stageName }, { field: "score", old: String(Math.max(0, l.score - 15)), new: String(l.score) }], userName: "Dana Whitfield", createdAt: new Date(Math.max(t0 + 3600000, new Date(l.updatedAt).getTime())).toISOString() },
      { id: `${leadId}-a1`, leadId, activityType: "updated", description: "Contact details updated", changes: [{ field: "jobTitle", old: null, new: l.jobTitle ?? "Manager" }, { field: "phone", old: null, new: l.phoneDisplay }], userName: "Dana Whitfield", createdAt: new Date(t0 + 1800000 * (1 + r())).toISOString() },
      { id: `${leadId}-a0`, leadId, activityType: "created", description: "Lead created", changes: [], userName: "Dana Whitfield", createdAt: l.createdAt },
    ];
    activities.set(leadId, list);
  }
  const start = before ? list.findIndex((a) => a.id === before) + 1 : 0;
  const rows = list.slice(start, start + limit);
  return { rows, next: start + limit < list.length ? rows[rows.length - 1].id : null };
}

function logActivity(input: LogActivityInput): Activity {
  if (!input.message.trim() && !input.outcome) throw err("required", "Say what happened (a line is enough)", "message");
  leadActivities(input.leadId, null, 1); // the lead's list exists from here on
  const types: Record<string, string> = { call: "call_made", email: "email_sent", meeting: "meeting_held", note: "note_added" };
  const logged: Activity = {
    id: `${input.leadId}-logged-${Date.now()}`,
    leadId: input.leadId,
    activityType: types[input.kind],
    description: input.message.trim() || input.outcome || "",
    changes: [],
    outcome: input.outcome,
    durationMinutes: input.durationMinutes,
    userName: "Dana Whitfield",
    createdAt: new Date().toISOString(),
  };
  activities.get(input.leadId)!.unshift(logged);
  return logged;
}

function recountCompanies() {
  for (const c of companies) c.leadCount = 0;
  const counts = new Map<string, number>();
  for (const l of allLeads()) if (l.companyId) counts.set(l.companyId, (counts.get(l.companyId) ?? 0) + 1);
  for (const c of companies) c.leadCount = counts.get(c.id) ?? 0;
}
recountCompanies();

function listCompanies(req: ListCompaniesRequest) {
  const q = (req.text ?? "").toLowerCase();
  const all = companies.filter((c) => !q || c.name.toLowerCase().includes(q)).sort((a, b) => a.name.localeCompare(b.name));
  const start = req.after ? all.findIndex((c) => c.id === req.after!.id) + 1 : 0;
  const rows = all.slice(start, start + req.limit);
  const last = rows[rows.length - 1];
  return { rows, next: start + req.limit < all.length && last ? { key: last.name, id: last.id } : null };
}

function validateCompany(input: CompanyInput) {
  if (!input.name.trim()) throw err("required", "A company needs a name.", "name");
  if (input.website && !/^[\w.-]+\.[a-z]{2,}(\/.*)?$/i.test(input.website.replace(/^https?:\/\//, "")))
    throw err("invalid_url", "Enter a website like example.com.", "website");
}

// ---------- reminders (in memory) ----------
const reminders: Reminder[] = [];
let startAtLogin = false;
const general = { defaultRegion: "US", theme: "system" as "system" | "light" | "dark", desktopNotifications: true };
const notifier: NotifierStatus =
  params.get("notifier") === "off"
    ? { available: false, error: "org.freedesktop.Notifications was not provided by any .service files", lastNotifiedAt: null }
    : { available: true, error: null, lastNotifiedAt: null };
const MIN = 60000;
const WEEKDAYS: Record<string, number> = { sun: 0, sunday: 0, mon: 1, monday: 1, tue: 2, tuesday: 2, wed: 3, wednesday: 3, thu: 4, thursday: 4, fri: 5, friday: 5, sat: 6, saturday: 6 };

function leadName(id: string): string {
  const l = leadById(id);
  return l ? `${l.firstName} ${l.lastName}`.trim() : "Deleted lead";
}

function addReminderActivity(leadId: string, description: string) {
  leadActivities(leadId, null, 1);
  const list = activities.get(leadId);
  if (list) list.unshift({ id: `${leadId}-r${Date.now()}-${list.length}`, leadId, activityType: "reminder", description, changes: [], userName: "Dana Whitfield", createdAt: new Date().toISOString() });
}

/** A JS port of the backend's `parse_when` (local time of the browser). */
function parseWhen(text: string, now = new Date()): Date {
  const t = text.trim();
  const bad = () => err("invalid_time", `“${t}” is not a time: use RFC 3339 (2026-12-01T09:00:00Z), +10m, +2h, +1d, tomorrow 09:00 or monday 09:00`, "dueAt");
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(t)) {
    const d = new Date(t);
    if (Number.isNaN(d.getTime())) throw bad();
    return d;
  }
  if (t.startsWith("+")) {
    const m = /^\+(\d+)(s|m|min|h|d|w)$/.exec(t);
    if (!m) throw bad();
    const unit = { s: 1000, m: MIN, min: MIN, h: 60 * MIN, d: 1440 * MIN, w: 7 * 1440 * MIN }[m[2] as "s"];
    return new Date(now.getTime() + Number(m[1]) * unit);
  }
  const lower = t.toLowerCase();
  const sp = lower.lastIndexOf(" ");
  const day = sp >= 0 ? lower.slice(0, sp).trim() : null;
  const tm = /^(\d{1,2}):(\d{2})$/.exec(sp >= 0 ? lower.slice(sp + 1) : lower);
  if (!tm || Number(tm[1]) > 23 || Number(tm[2]) > 59) throw bad();
  let ahead = 0;
  if (day === "tomorrow") ahead = 1;
  else if (day !== null && day !== "today") {
    const wd = WEEKDAYS[day.replace(/^next /, "")];
    if (wd === undefined) throw bad();
    ahead = (wd - now.getDay() + 7) % 7 || 7;
  }
  let at = new Date(now.getFullYear(), now.getMonth(), now.getDate() + ahead, Number(tm[1]), Number(tm[2]));
  if (day === null && at <= now) at = new Date(at.getFullYear(), at.getMonth(), at.getDate() + 1, at.getHours(), at.getMinutes());
  return at;
}

function normalizeRecurrence(text: string | null): string | null {
  const t = text?.trim();
  if (!t || t.toLowerCase() === "none") return null;
  if (["daily", "weekdays", "weekly", "monthly"].includes(t.toLowerCase())) return t.toLowerCase();
  const rule = /^rrule:/i.test(t) ? t : `RRULE:${t}`;
  const parts = rule.slice(6).split(";");
  const ok = parts.every((p) => /^[A-Z-]+=[A-Z0-9,+-]+$/i.test(p)) && /(^|;)FREQ=(MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)(;|$)/i.test(rule.slice(6));
  if (!ok) throw err("invalid_recurrence", `Cannot repeat by “${rule}”: expected FREQ=DAILY|WEEKLY|MONTHLY|YEARLY and KEY=VALUE parts`, "recurrence");
  return rule;
}

/** Next occurrence after `after` (roughly what the rrule crate does, enough for a preview). */
function nextOccurrence(rule: string, due: Date, after: Date): Date {
  const body = rule.replace(/^RRULE:/i, "").toUpperCase();
  const freq = rule === "weekdays" ? "WEEKDAYS" : rule === "daily" ? "DAILY" : rule === "weekly" ? "WEEKLY" : rule === "monthly" ? "MONTHLY" : /FREQ=(\w+)/.exec(body)?.[1] ?? "DAILY";
  const n = Number(/INTERVAL=(\d+)/.exec(body)?.[1] ?? 1);
  let d = new Date(due);
  for (let i = 0; i < 10000 && d <= after; i++) {
    if (freq === "WEEKDAYS") {
      do d = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, d.getHours(), d.getMinutes());
      while (d.getDay() === 0 || d.getDay() === 6);
    } else if (freq === "MONTHLY") d = new Date(d.getFullYear(), d.getMonth() + n, d.getDate(), d.getHours(), d.getMinutes());
    else if (freq === "YEARLY") d = new Date(d.getFullYear() + n, d.getMonth(), d.getDate(), d.getHours(), d.getMinutes());
    else if (freq === "HOURLY") d = new Date(d.getTime() + n * 60 * MIN);
    else if (freq === "MINUTELY") d = new Date(d.getTime() + n * MIN);
    else d = new Date(d.getFullYear(), d.getMonth(), d.getDate() + (freq === "WEEKLY" ? 7 : 1) * n, d.getHours(), d.getMinutes());
  }
  return d;
}

function checkReminder(input: ReminderInput) {
  const message = input.message.trim();
  if (!message) throw err("required", "A reminder needs a message", "message");
  const due = new Date(input.dueAt);
  if (Number.isNaN(due.getTime())) throw err("invalid_time", `“${input.dueAt}” is not a date and time (RFC 3339, e.g. 2026-12-01T09:00:00Z)`, "dueAt");
  const remind = input.remindAt ? new Date(input.remindAt) : due;
  if (remind > due) throw err("invalid_time", "The reminder cannot pop up after the time it is due", "remindAt");
  return { message, due: due.toISOString(), remind: remind.toISOString(), recurrence: normalizeRecurrence(input.recurrence) };
}

function reminderById(id: string): Reminder {
  const r = reminders.find((x) => x.id === id);
  if (!r) throw err("not_found", `No reminder with id ${id}`, null);
  return r;
}

const isOpenReminder = (r: Reminder) => r.status === "pending" || r.status === "snoozed";

function listReminders(req: ListRemindersRequest): Reminder[] {
  const now = new Date().toISOString();
  let rows = reminders.filter((r) => !req.leadId || r.leadId === req.leadId);
  if (req.scope === "open") rows = rows.filter(isOpenReminder);
  if (req.scope === "due") rows = rows.filter((r) => isOpenReminder(r) && r.dueAt <= now);
  if (req.scope === "closed") rows = rows.filter((r) => !isOpenReminder(r)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  else rows = [...rows].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return rows.slice(0, req.limit || 500).map((r) => ({ ...r, leadName: leadName(r.leadId) }));
}

function reminderCounts() {
  const now = new Date();
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).toISOString();
  const iso = now.toISOString();
  const open = reminders.filter(isOpenReminder);
  return {
    overdue: open.filter((r) => r.dueAt <= iso).length,
    today: open.filter((r) => r.dueAt > iso && r.dueAt < end).length,
    upcoming: open.filter((r) => r.dueAt >= end).length,
  };
}

function createReminder(input: ReminderInput, createdAt = new Date()): Reminder {
  if (!leadById(input.leadId)) throw err("not_found", `No lead with id ${input.leadId}`, "leadId");
  const c = checkReminder(input);
  const ts = createdAt.toISOString();
  const r: Reminder = {
    id: `rem-${reminders.length + 1}-${Math.floor(Math.random() * 1e6)}`,
    leadId: input.leadId,
    leadName: leadName(input.leadId),
    message: c.message,
    dueAt: c.due,
    remindAt: c.remind,
    status: "pending",
    recurrence: c.recurrence,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    fireAt: c.remind,
    notifiedAt: null,
    createdAt: ts,
    updatedAt: ts,
  };
  reminders.push(r);
  addReminderActivity(r.leadId, `Reminder set for ${c.due}: ${c.message}`);
  return r;
}

function seedReminders() {
  if (params.get("reminders") === "0" || leadTotal === 0) return;
  const now = new Date();
  const local = (days: number, h: number, m = 0) => new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, h, m);
  const seed = (leadId: string, message: string, due: Date, extra: Partial<Reminder> = {}, remindBefore = 0) => {
    if (!leadById(leadId)) return {} as Reminder;
    const r = createReminder({ leadId, message, dueAt: due.toISOString(), remindAt: new Date(due.getTime() - remindBefore * MIN).toISOString(), recurrence: extra.recurrence ?? null }, new Date(now.getTime() - 3 * 86400000));
    Object.assign(r, extra);
    if (!isOpenReminder(r) || r.remindAt <= now.toISOString()) r.fireAt = r.status === "snoozed" ? r.fireAt : null;
    if (r.remindAt <= now.toISOString() && isOpenReminder(r)) r.notifiedAt = r.remindAt;
    return r;
  };
  seed("ld-2", "Send the pilot proposal and pricing sheet", local(-1, 9, 0));
  seed("ld-5", "Call back about the security questionnaire", new Date(now.getTime() - 40 * MIN), {
    status: "snoozed",
    fireAt: new Date(now.getTime() + 8 * MIN).toISOString(),
  });
  seed("ld-1", "Confirm the demo attendees", new Date(now.getTime() + 25 * MIN));
  seed("ld-3", "Share the onboarding plan with the ops team", new Date(now.getTime() + 3 * 60 * MIN), {}, 10);
  seed("ld-7", "Check in after their budget review", local(1, 9, 0), {}, 60);
  seed("ld-2", "Weekly pipeline check-in", local(((1 - now.getDay() + 7) % 7 || 7), 9, 0), { recurrence: "weekly" });
  seed("ld-9", "Quarterly business review prep", local(10, 14, 30), { recurrence: "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU" }, 1440);
  const done = seed("ld-4", "Send the intro deck", local(-1, 16, 0));
  Object.assign(done, { status: "done", fireAt: null, updatedAt: new Date(now.getTime() - 2 * 60 * MIN).toISOString() });
  const dismissed = seed("ld-6", "Follow up on the conference intro", local(-3, 11, 0));
  Object.assign(dismissed, { status: "dismissed", fireAt: null, updatedAt: new Date(now.getTime() - 26 * 60 * MIN).toISOString() });
}
seedReminders();

const reminderHandlers: Record<string, (a: any) => unknown> = {
  reminder_list: ({ req }) => listReminders(req),
  reminder_counts: () => reminderCounts(),
  reminder_create: ({ input }) => createReminder(input),
  reminder_update: ({ id, input }) => {
    const r = reminderById(id);
    const c = checkReminder(input);
    if (r.dueAt !== c.due) addReminderActivity(r.leadId, `Reminder moved to ${c.due}: ${c.message}`);
    Object.assign(r, { message: c.message, dueAt: c.due, remindAt: c.remind, recurrence: c.recurrence, status: "pending", fireAt: c.remind, updatedAt: new Date().toISOString() });
    return { ...r };
  },
  reminder_complete: ({ id }) => {
    const r = reminderById(id);
    const now = new Date();
    if (r.recurrence) {
      const lead = new Date(r.dueAt).getTime() - new Date(r.remindAt).getTime();
      const next = nextOccurrence(r.recurrence, new Date(r.dueAt), new Date(Math.max(new Date(r.dueAt).getTime(), now.getTime() + lead)));
      Object.assign(r, { status: "pending", dueAt: next.toISOString(), remindAt: new Date(next.getTime() - lead).toISOString(), fireAt: new Date(next.getTime() - lead).toISOString() });
    } else {
      Object.assign(r, { status: "done", fireAt: null });
    }
    r.updatedAt = now.toISOString();
    addReminderActivity(r.leadId, `Reminder done: ${r.message}`);
    return { ...r };
  },
  reminder_snooze: ({ id, minutes }) => {
    if (!(minutes >= 1 && minutes <= 525600)) throw err("invalid_duration", "Snooze for between 1 minute and a year", "minutes");
    const r = reminderById(id);
    if (!isOpenReminder(r)) throw err("closed", `The reminder “${r.message}” is ${r.status} and cannot be snoozed`, null);
    Object.assign(r, { status: "snoozed", fireAt: new Date(Date.now() + minutes * MIN).toISOString(), updatedAt: new Date().toISOString() });
    return { ...r };
  },
  reminder_dismiss: ({ id }) => {
    const r = reminderById(id);
    Object.assign(r, { status: "dismissed", fireAt: null, updatedAt: new Date().toISOString() });
    return { ...r };
  },
  reminder_delete: ({ id }) => {
    reminderById(id);
    reminders.splice(reminders.findIndex((x) => x.id === id), 1);
    return null;
  },
  reminder_parse_time: ({ text }) => parseWhen(text).toISOString(),
  notifier_status: () => notifier,
  settings_general: () => ({ ...general }),
  settings_phone_regions: () =>
    [["AT", 43], ["AU", 61], ["BR", 55], ["CA", 1], ["CH", 41], ["DE", 49], ["ES", 34], ["FR", 33], ["GB", 44], ["IN", 91], ["IT", 39], ["JP", 81], ["NL", 31], ["US", 1]].map(
      ([code, callingCode]) => ({ code, callingCode }),
    ),
  settings_set_default_region: ({ region }) => (general.defaultRegion = String(region).toUpperCase()),
  settings_set_theme: ({ theme }) => (general.theme = theme),
  settings_set_desktop_notifications: ({ enabled }) => (general.desktopNotifications = enabled),
  settings_test_notification: () => {
    if (notifier.available) return null;
    throw err("notifications", notifier.error ?? "No notification service", null);
  },
  settings_start_at_login: () => startAtLogin,
  settings_set_start_at_login: ({ enabled }) => {
    if (params.get("fail") === "autostart") throw err("autostart", "Cannot change start at login: ~/.config/autostart is read-only", null);
    startAtLogin = enabled;
    return startAtLogin;
  },
};

/** The scheduler: notify what is due (as a toast; there is no OS here) every couple of seconds. */
function fireDue() {
  if (!notifier.available) return;
  const now = new Date();
  for (const r of reminders) {
    if (!r.fireAt || r.fireAt > now.toISOString()) continue;
    const fired = { ...r, leadName: leadName(r.leadId) };
    r.notifiedAt = now.toISOString();
    if (r.status === "snoozed") r.status = "pending";
    if (r.recurrence) {
      const lead = new Date(r.dueAt).getTime() - new Date(r.remindAt).getTime();
      const next = nextOccurrence(r.recurrence, new Date(r.dueAt), new Date(Math.max(new Date(r.dueAt).getTime(), now.getTime() + lead)));
      Object.assign(r, { dueAt: next.toISOString(), remindAt: new Date(next.getTime() - lead).toISOString(), fireAt: new Date(next.getTime() - lead).toISOString() });
    } else {
      r.fireAt = null;
    }
    addReminderActivity(r.leadId, `Reminder notified: ${r.message}`);
    void emit("reminder-fired", fired);
  }
}
setInterval(fireDue, 2000);


// ---------- scoring (in memory) ----------
const CONDITION_LABEL: Record<string, string> = {
  equals: "is", not_equals: "is not", contains: "contains", not_contains: "does not contain", greater_than: "is more than",
  less_than: "is less than", in: "is one of", exists: "is set", not_exists: "is not set",
};
/** A JS port of the backend's `describe` (the rule's one-line summary). */
function describeRule(input: RuleInput): string {
  const c = input.criteria;
  const values = c.values.length === 0 ? "" : " " + c.values.map((v) => `“${v}”`).join(", ");
  const window = c.windowDays ? ` in the last ${c.windowDays} days` : "";
  const ofType = c.ofType ? ` ${c.ofType}` : "";
  const test = `${CONDITION_LABEL[c.condition]}${values}`;
  const noun = c.kind === "inquiry" || c.kind === "inquiry_count" ? "inquiry" : "event";
  const what =
    c.kind === "field" ? `${(c.field ?? "?").replace(/_/g, " ")} ${test}`
    : c.kind === "email_domain" ? `email domain ${test}`
    : c.kind === "inquiry_count" ? `number of${ofType} inquiries${window} ${test}`
    : c.kind === "event_count" ? `number of${ofType} events${window} ${test}`
    : c.kind === "days_since_activity" ? `days since last activity ${test}`
    : `${input.perMatch ? "each" : "any"}${ofType} ${noun}${window} whose ${c.field ?? "?"} ${test}`;
  return `${what}: ${input.points >= 0 ? "+" : ""}${input.points}${input.perMatch ? " each" : ""}`;
}
function validateRule(input: RuleInput) {
  const c = input.criteria;
  if (!input.name.trim()) throw err("required", "A rule needs a name", "name");
  if (!Number.isInteger(input.points) || input.points < -100 || input.points > 100) throw err("invalid_rule", `Points must be between -100 and 100, not ${input.points}`, "points");
  const want = c.condition === "exists" || c.condition === "not_exists" ? [0, 0] : c.condition === "in" ? [1, 1000] : [1, 1];
  if (c.values.length < want[0] || c.values.length > want[1]) throw err("invalid_rule", `“${CONDITION_LABEL[c.condition]}” takes ${want[1] === 0 ? "no value" : want[1] === 1 ? "exactly one value" : "at least one value"}, not ${c.values.length}`, "values");
  if (c.windowDays === 0) throw err("invalid_rule", "A time window must be at least 1 day", "windowDays");
  if (input.perMatch && c.kind !== "inquiry" && c.kind !== "event") throw err("invalid_rule", "Only inquiry and event rules can give points per match", "perMatch");
  if (["inquiry_count", "event_count", "days_since_activity"].includes(c.kind) && c.values[0] !== undefined && Number.isNaN(Number(c.values[0])))
    throw err("invalid_rule", `“${c.values[0]}” is not a number`, "values");
  if (input.validFrom && input.validUntil && input.validFrom > input.validUntil) throw err("invalid_rule", `The rule would end (${input.validUntil}) before it starts (${input.validFrom})`, "validUntil");
}
function makeRule(id: string, input: RuleInput, createdAt = new Date(NOW - 20 * 86400000).toISOString()): ScoringRule {
  return { id, ...input, name: input.name.trim(), summary: describeRule(input), broken: null, createdAt, updatedAt: new Date().toISOString() };
}
const crit = (kind: RuleInput["criteria"]["kind"], field: string | null, condition: RuleInput["criteria"]["condition"], values: string[], extra: Partial<RuleInput["criteria"]> = {}) =>
  ({ kind, field, condition, values, ofType: null, windowDays: null, ...extra });
const rules: ScoringRule[] = params.get("rules") === "0" ? [] : [
  makeRule("rule-1", { name: "Decision makers", criteria: crit("field", "job_title", "in", ["ceo", "founder", "cto"]), points: 15, perMatch: false, active: true, validFrom: null, validUntil: null }),
  makeRule("rule-2", { name: "Pricing interest", criteria: crit("event", "value", "contains", ["/pricing"], { ofType: "page_view", windowDays: 30 }), points: 5, perMatch: true, active: true, validFrom: null, validUntil: null }),
  makeRule("rule-3", { name: "Asked us directly", criteria: crit("inquiry", "channel", "in", ["web_form", "email", "chat"]), points: 10, perMatch: true, active: true, validFrom: null, validUntil: null }),
  makeRule("rule-4", { name: "Big companies", criteria: crit("field", "company.size", "greater_than", ["500"]), points: 10, perMatch: false, active: true, validFrom: null, validUntil: null }),
  makeRule("rule-5", { name: "Gone quiet", criteria: crit("days_since_activity", null, "greater_than", ["90"]), points: -20, perMatch: false, active: true, validFrom: null, validUntil: null }),
  makeRule("rule-6", { name: "Trade show follow-up", criteria: crit("field", "source", "equals", ["Trade show"]), points: 8, perMatch: false, active: false, validFrom: "2026-03-01", validUntil: "2026-03-31" }),
];
let nextRule = rules.length + 1;
let scoringSettings: ScoringSettings = { decayHalfLifeDays: 30, thresholds: [{ score: 70, label: "hot" }] };
/** Points a lead earned in this preview session (inquiries and events logged from its panel). */
const extraParts = new Map<string, ScorePart[]>();
const baseScores = new Map<string, number>();
const scoreChanges = new Map<string, ScoreChange[]>();
const ruleOn = (id: string) => rules.find((r) => r.id === id && r.active);

/** A believable breakdown that adds up to the lead's generated score, plus what was logged here. */
function explain(leadId: string): ScoreExplanation {
  const l = leadById(leadId);
  if (!l) throw err("not_found", "Lead not found.", null);
  const base = baseScores.get(leadId) ?? l.score;
  const r = rng(Number(leadId.replace(/\D/g, "") || 7) * 7919 + 3);
  const parts: ScorePart[] = [];
  const add = (ruleId: string | null, kind: string, label: string, matches: number, points: number) => parts.push({ kind, ruleId, label, matches, points });
  if (ruleOn("rule-1") && /ceo|founder|cto/i.test(l.jobTitle ?? "") && base >= 15) add("rule-1", "rule", "Decision makers", 1, 15);
  const views = Math.min(Math.floor(r() * 5), Math.floor((base - sum(parts)) / 5));
  if (ruleOn("rule-2") && views > 0) add("rule-2", "rule", "Pricing interest", views, views * 5);
  if (ruleOn("rule-3") && base - sum(parts) >= 10 && r() > 0.4) add("rule-3", "rule", "Asked us directly", 1, 10);
  if (scoringSettings.decayHalfLifeDays && views > 1) add(null, "decay", "Older engagement faded", 1, -Math.round(views * 1.5));
  const rest = base - sum(parts);
  if (rest > 0) add(null, "manual", "Set by hand", 1, rest);
  else if (rest < 0) add("rule-5", "rule", "Gone quiet", 1, rest);
  for (const p of extraParts.get(leadId) ?? []) {
    const same = parts.find((x) => x.ruleId !== null && x.ruleId === p.ruleId);
    if (same) {
      same.matches += p.matches;
      same.points += p.points;
    } else parts.push({ ...p });
  }
  const total = sum(parts);
  if (total > 100) add(null, "clamp", "Capped at 100", 1, 100 - total);
  return { leadId, score: Math.max(0, Math.min(100, total)), parts, computedAt: new Date(NOW - 3600000 * (1 + Math.floor(r() * 30))).toISOString() };
}
function sum(parts: ScorePart[]): number {
  return parts.reduce((a, p) => a + p.points, 0);
}

function addActivity(leadId: string, activityType: string, description: string, changes: FieldChange[] = []) {
  leadActivities(leadId, null, 1);
  const list = activities.get(leadId)!;
  list.unshift({ id: `${leadId}-${activityType}${Date.now()}-${list.length}`, leadId, activityType, description, changes, userName: activityType === "inquiry" ? "Dana Whitfield" : null, createdAt: new Date().toISOString() });
}

/** Logging an inquiry or event re-scores the lead at once, as the backend does. */
function engage(leadId: string, part: ScorePart | null, cause: string, detail: string) {
  const l = leadById(leadId);
  if (!l) throw err("not_found", "Lead not found.", null);
  if (!baseScores.has(leadId)) baseScores.set(leadId, l.score);
  const before = explain(leadId).score;
  if (part) {
    const list = extraParts.get(leadId) ?? [];
    const same = list.find((p) => p.ruleId === part.ruleId && p.label === part.label);
    if (same && part.ruleId) {
      same.matches += 1;
      same.points += part.points;
    } else list.push(part);
    extraParts.set(leadId, list);
  }
  const after = explain(leadId).score;
  if (after === before) return;
  const now = new Date().toISOString();
  edited.set(leadId, { ...l, score: after, updatedAt: now });
  scoreChanges.set(leadId, [{ oldScore: before, newScore: after, cause, causeId: part?.ruleId ?? null, detail, createdAt: now }, ...(scoreChanges.get(leadId) ?? [])]);
  addActivity(leadId, "score", `Score ${before} → ${after} (${cause}): ${detail}`, [{ field: "score", old: String(before), new: String(after) }]);
  for (const t of scoringSettings.thresholds) {
    if (before < t.score && after >= t.score) addActivity(leadId, "threshold", `Became ${t.label}: score ${after} reached ${t.score}`);
    if (before >= t.score && after < t.score) addActivity(leadId, "threshold", `No longer ${t.label}: score ${after} fell below ${t.score}`);
  }
}

function distribution(): number[] {
  const buckets = Array.from({ length: 10 }, () => 0);
  for (const l of allLeads()) buckets[Math.min(9, Math.floor(l.score / 10))]++;
  return buckets;
}

/** How many leads a change would move: stable for the same rule, in proportion to its points. */
function previewChange(id: string | null, input: RuleInput | null): RecomputeSummary {
  if (input) validateRule(input);
  const old = id ? rules.find((r) => r.id === id) : null;
  const delta = (input && input.active ? input.points : 0) - (old && old.active ? old.points : 0);
  const text = JSON.stringify(input?.criteria ?? old?.criteria ?? "");
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) >>> 0;
  const reach = Math.round(count() * (0.05 + (h % 1000) / 2500));
  const moved = delta === 0 ? 0 : Math.round(reach * Math.min(1, Math.abs(delta) / 20));
  return {
    scored: count(),
    raised: delta > 0 ? moved : Math.round(moved * 0.02),
    lowered: delta < 0 ? moved : Math.round(moved * 0.02),
    crossings: Math.round(moved * 0.08),
    durationMs: 180 + (h % 400),
  };
}

let lastSummary: RecomputeSummary = { scored: 0, raised: 0, lowered: 0, crossings: 0, durationMs: 0 };
let pendingPreview: RecomputeSummary | null = null;
async function recompute(): Promise<RecomputeSummary> {
  const total = count();
  const steps = 24;
  const t0 = performance.now();
  for (let i = 1; i <= steps; i++) {
    await new Promise((r) => setTimeout(r, Number(params.get("rescore") ?? 150)));
    void emit("score-progress", { done: Math.round((total * i) / steps), total });
  }
  const summary = { ...(pendingPreview ?? lastSummary), scored: total, durationMs: Math.round(performance.now() - t0) };
  pendingPreview = null;
  lastSummary = summary;
  void emit("scores-changed", summary);
  return summary;
}

const scoringHandlers: Record<string, (a: any) => unknown> = {
  rule_list: () => rules,
  rule_create: ({ input }) => {
    validateRule(input);
    pendingPreview = previewChange(null, input);
    const rule = makeRule(`rule-${nextRule++}`, input, new Date().toISOString());
    rules.push(rule);
    return rule;
  },
  rule_update: ({ id, input }) => {
    validateRule(input);
    const i = rules.findIndex((r) => r.id === id);
    if (i < 0) throw err("not_found", "Rule not found.", null);
    pendingPreview = previewChange(id, input);
    rules[i] = makeRule(id, input, rules[i].createdAt);
    return rules[i];
  },
  rule_delete: ({ id }) => {
    const i = rules.findIndex((r) => r.id === id);
    if (i < 0) throw err("not_found", "Rule not found.", null);
    pendingPreview = previewChange(id, null);
    rules.splice(i, 1);
    return null;
  },
  rule_preview_change: ({ change }) => previewChange(change.id, change.input),
  score_recompute: () => recompute(),
  score_settings: () => scoringSettings,
  score_set_settings: ({ input }) => {
    const d = input.decayHalfLifeDays;
    if (d !== null && (d < 0.5 || d > 3650)) throw err("invalid_half_life", `A half-life must be between 0.5 and 3650 days, not ${d}`, "decayHalfLifeDays");
    for (const t of input.thresholds) {
      if (t.score < 1 || t.score > 100) throw err("invalid_threshold", `A threshold must be 1 to 100, not ${t.score}`, "thresholds");
      if (!t.label.trim()) throw err("required", `The threshold at ${t.score} needs a label`, "thresholds");
    }
    scoringSettings = { decayHalfLifeDays: d, thresholds: [...input.thresholds].sort((a: { score: number }, b: { score: number }) => a.score - b.score) };
    pendingPreview = { scored: 0, raised: Math.round(count() * 0.04), lowered: Math.round(count() * 0.11), crossings: Math.round(count() * 0.01), durationMs: 0 };
    return scoringSettings;
  },
  score_explain: ({ leadId }) => explain(leadId),
  score_history: ({ leadId, limit }) => {
    if (!scoreChanges.has(leadId)) {
      const x = explain(leadId);
      const t = new Date(x.computedAt ?? NOW).getTime();
      scoreChanges.set(leadId, [
        { oldScore: Math.max(0, x.score - 5), newScore: x.score, cause: "event", causeId: "rule-2", detail: "page_view: /pricing", createdAt: new Date(t).toISOString() },
        { oldScore: Math.max(0, x.score - 15), newScore: Math.max(0, x.score - 5), cause: "rule", causeId: "rule-1", detail: "Rule “Decision makers” saved", createdAt: new Date(t - 5 * 86400000).toISOString() },
      ]);
    }
    return scoreChanges.get(leadId)!.slice(0, limit);
  },
  score_distribution: () => distribution(),
  inquiry_add: ({ input }) => {
    if (!String(input.message ?? "").trim()) throw err("required", "An inquiry needs a message", "message");
    const channel = input.channel ?? "web_form";
    addActivity(input.leadId, "inquiry", `Inquiry (${channel}): ${input.message}`);
    const on = ruleOn("rule-3") && ["web_form", "email", "chat"].includes(channel);
    engage(input.leadId, on ? { kind: "rule", ruleId: "rule-3", label: "Asked us directly", matches: 1, points: 10 } : null, "inquiry", `Inquiry (${channel}): ${input.message}`);
    return { id: `inq-${Date.now()}`, leadId: input.leadId, message: input.message, channel, createdAt: new Date().toISOString() };
  },
  event_add: ({ input }) => {
    if (!String(input.eventType ?? "").trim()) throw err("required", "An event needs a type", "eventType");
    const text = `${input.eventType}${input.eventValue ? `: ${input.eventValue}` : ""}`;
    addActivity(input.leadId, "event", text);
    const on = ruleOn("rule-2") && input.eventType === "page_view" && String(input.eventValue ?? "").includes("/pricing");
    engage(input.leadId, on ? { kind: "rule", ruleId: "rule-2", label: "Pricing interest", matches: 1, points: 5 } : null, "event", text);
    return { id: `ev-${Date.now()}`, leadId: input.leadId, eventType: input.eventType, eventValue: input.eventValue, occurredAt: new Date().toISOString() };
  },
  lead_events: () => [],
  lead_inquiries: () => [],
  // The rule editor lists lead fields from the segment catalog.
  segment_fields: () => SEGMENT_FIELDS,
  segment_field_values: ({ field }) =>
    field === "stage" ? STAGES.map((s) => s.name) : field === "source" ? SOURCES.map((s) => s.name) : field === "status" ? [...STATUSES] : [],
  segment_list: () => [],
  lead_segments: () => [],
};
const TEXT_OPS = ["eq", "ne", "contains", "starts_with", "ends_with", "in", "is_empty", "is_not_empty"];
const NUM_OPS = ["eq", "ne", "gt", "ge", "lt", "le", "in", "is_empty", "is_not_empty"];
const SEGMENT_FIELDS = [
  ["name", "Name", "text", "Lead"], ["first_name", "First name", "text", "Lead"], ["last_name", "Last name", "text", "Lead"],
  ["email", "Email", "text", "Lead"], ["phone", "Phone", "text", "Lead"], ["job_title", "Job title", "text", "Lead"],
  ["website", "Website", "text", "Lead"], ["stage", "Stage", "choice", "Lead"], ["status", "Status", "choice", "Lead"],
  ["source", "Source", "choice", "Lead"], ["score", "Score", "number", "Lead"], ["budget", "Budget", "text", "Lead"],
  ["converted", "Converted", "bool", "Lead"], ["created", "Created", "date", "Lead"],
  ["company.name", "Company name", "text", "Company"], ["company.industry", "Company industry", "text", "Company"],
  ["company.size", "Company size", "number", "Company"], ["inquiries", "Inquiries", "count", "Activity"],
].map(([name, label, kind, group]) => ({
  name, label, kind, group,
  operators: kind === "number" || kind === "date" ? NUM_OPS : kind === "bool" ? ["eq", "ne", "is_empty", "is_not_empty"] : kind === "count" ? ["eq", "gt", "lt"] : kind === "choice" ? ["eq", "ne", "in", "is_empty", "is_not_empty"] : TEXT_OPS,
}));

// ---------- team sync ----------
const SYNC_URL = "postgres://dana@db.acme.example:5432/leadbook?sslmode=require";
function syncStatusFor(state: string): SyncStatus {
  const min = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  const on = state !== "off";
  return {
    state,
    url: on ? SYNC_URL : null,
    spaceName: on ? "Acme Sales" : null,
    pending: state === "pending" ? 3 : state === "offline" ? 14 : 0,
    rejected: on ? 2 : 0,
    waiting: state === "pending" ? 1 : 0,
    lastSyncAt: on ? min(state === "offline" ? 42 : 2) : null,
    offlineSince: state === "offline" ? min(40) : null,
    lastError:
      state === "offline"
        ? { code: "server_unreachable", message: "Cannot reach the sync server db.acme.example:5432: Connection refused (os error 111)", field: null }
        : state === "error"
          ? { code: "server_error", message: "The sync server refused: permission denied for table leads", field: null }
          : null,
    recentRejections: on
      ? [
          { table: "leads", rowId: "0190f8a2-6b1c-7c3e-9a51-2f4d8e7b1c90", direction: "push", reason: "new row violates row-level security policy for table \"leads\"", at: min(95) },
          { table: "reminders", rowId: "0190f8a3-11aa-7d20-8b77-5e3c2a9f0d14", direction: "pull", reason: "status “archived” is not one this version knows", at: min(60 * 26) },
        ]
      : [],
  };
}
let syncStatus = syncStatusFor(params.get("sync") ?? "off");
const syncHandlers: Record<string, (a: any) => unknown> = {
  sync_status: () => syncStatus,
  sync_setup: async ({ url, password, space }) => {
    await new Promise((r) => setTimeout(r, 900));
    if (!/^postgres(ql)?:\/\//.test(url)) throw err("invalid_url", "The server address must start with postgres:// or postgresql://", "url");
    if (password === "wrong") throw err("server_auth", `The sync server ${url.replace(/^\w+:\/\//, "").split("/")[0]} refused user “dana”: password authentication failed`, null);
    if (space && space.toLowerCase() !== "acme sales") throw err("unknown_space", `“${space}” is not a space of dana on this server (spaces: Acme Sales, dana)`, "space");
    syncStatus = { ...syncStatusFor("pending"), url, pending: count(), rejected: 0, recentRejections: [], lastSyncAt: null };
    setTimeout(() => {
      syncStatus = { ...syncStatusFor("synced"), url, rejected: 0, recentRejections: [] };
      void emit("sync-status", syncStatus);
    }, 2500);
    return { url, userName: "dana", spaceName: "Acme Sales", rowsToPush: count() };
  },
  sync_now: async () => {
    await new Promise((r) => setTimeout(r, 700));
    if (syncStatus.state === "offline") throw err("server_unreachable", syncStatus.lastError!.message, null);
    const pushed = syncStatus.pending;
    syncStatus = { ...syncStatus, state: syncStatus.state === "error" ? "error" : "synced", pending: 0, waiting: 0, lastSyncAt: new Date().toISOString() };
    void emit("sync-status", syncStatus);
    return { pushed, pulled: 12, rejected: 0, conflicts: 0 };
  },
  sync_forget: () => {
    syncStatus = syncStatusFor("off");
    void emit("sync-status", syncStatus);
    return true;
  },
};

const handlers: Record<string, (a: any) => unknown> = {
  store_info: () => ({ dbPath: "/home/dana/.local/share/leadbook/leadbook.db", leadCount: count(), companyCount: companies.length, defaultRegion: "US", userName: "Dana Whitfield", spaceName: "Acme Sales" }),
  lead_list: ({ req }) => listLeads(req),
  lead_search: ({ req }) => searchLeads(req),
  lead_count: ({ req }) => countLeads(req),
  lead_get: ({ id }) => leadById(id) ?? (() => { throw err("not_found", "Lead not found.", null); })(),
  lead_create: ({ input }) => {
    validate(input);
    const now = new Date().toISOString();
    const base = genLead(0);
    const lead = applyInput({ ...base, id: `new-${created.length}`, createdAt: now, updatedAt: now, score: 0 }, input);
    created.unshift(lead);
    activities.set(lead.id, [{ id: `${lead.id}-c`, leadId: lead.id, activityType: "created", description: "Lead created", changes: [], userName: "Dana Whitfield", createdAt: now }]);
    recountCompanies();
    return lead;
  },
  lead_update: ({ id, input }) => {
    validate(input);
    const old = leadById(id);
    if (!old) throw err("not_found", "Lead not found.", null);
    const next = applyInput(old, input);
    const changes: FieldChange[] = (["firstName", "lastName", "email", "phone", "companyName", "jobTitle", "status", "budget", "need", "notes"] as const)
      .filter((k) => (old[k] ?? null) !== (next[k] ?? null))
      .map((k) => ({ field: k, old: old[k] as string | null, new: next[k] as string | null }));
    if (old.stageId !== next.stageId) changes.push({ field: "stageId", old: old.stageName, new: next.stageName });
    if (old.score !== next.score) changes.push({ field: "score", old: String(old.score), new: String(next.score) });
    const ci = created.findIndex((l) => l.id === id);
    if (ci >= 0) created[ci] = next;
    else edited.set(id, next);
    leadActivities(id, null, 1);
    activities.get(id)!.unshift({ id: `${id}-u${Date.now()}`, leadId: id, activityType: "updated", description: "Lead updated", changes, userName: "Dana Whitfield", createdAt: next.updatedAt });
    return next;
  },
  lead_delete: ({ id }) => {
    const ci = created.findIndex((l) => l.id === id);
    if (ci >= 0) created.splice(ci, 1);
    else deleted.add(id);
    recountCompanies();
    return null;
  },
  lead_activities: ({ leadId, before, limit }) => leadActivities(leadId, before, limit),
  activity_log: ({ input }) => logActivity(input),
  company_list: ({ req }) => listCompanies(req),
  company_get: ({ id }) => companies.find((c) => c.id === id) ?? (() => { throw err("not_found", "Company not found.", null); })(),
  company_create: ({ input }) => {
    validateCompany(input);
    const now = new Date().toISOString();
    const c: Company = { id: `co-new-${companies.length}`, ...input, leadCount: 0, createdAt: now, updatedAt: now };
    companies.push(c);
    return c;
  },
  company_update: ({ id, input }) => {
    validateCompany(input);
    const c = companies.find((x) => x.id === id);
    if (!c) throw err("not_found", "Company not found.", null);
    Object.assign(c, input, { updatedAt: new Date().toISOString() });
    return c;
  },
  stage_list: () => STAGES,
  source_list: () => SOURCES,
  sample_data_load: ({ leads }) => {
    leadTotal = leads;
    recountCompanies();
    return { leads, companies: companies.length };
  },
  app_first_paint: () => {
    console.info(`[mock] app_first_paint at ${performance.now().toFixed(0)} ms`);
    return null;
  },
  ...reminderHandlers,
  ...scoringHandlers,
  ...syncHandlers,
};

// shouldMockEvents: the app's `listen` calls work, and `emit` above reaches them.
mockIPC(
  async (cmd, args) => {
    await new Promise((r) => setTimeout(r, cmd === "sample_data_load" ? 900 : latency));
    const h = handlers[cmd];
    if (!h) throw err("unknown_command", `Mock has no handler for ${cmd}`, null);
    // Handlers read a request's fields directly (`{ req: { id } }` as `args.id`), as in the unit tests.
    const raw = (args ?? {}) as Record<string, any>;
    const req = raw.req;
    return h(req && typeof req === "object" && !Array.isArray(req) ? { ...raw, ...req } : raw);
  },
  { shouldMockEvents: true },
);

// ---------- scripted scenarios for headless screenshots ----------
function waitFor<T>(fn: () => T | null | undefined, timeout = 5000): Promise<T> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = fn();
      if (v) return resolve(v);
      if (performance.now() - t0 > timeout) return reject(new Error("timeout"));
      setTimeout(tick, 30);
    };
    tick();
  });
}
const $ = <E extends Element = HTMLElement>(sel: string) => document.querySelector<E>(sel);
function setValue(el: HTMLInputElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
  setter.call(el, value);
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

const scenario = params.get("scenario");
if (scenario) {
  void (async () => {
    if (scenario === "detail") {
      const row = await waitFor(() => document.querySelectorAll<HTMLElement>('[data-testid="lead-row"]')[2]);
      row.click();
    } else if (scenario === "form-error") {
      await waitFor(() => $('[data-testid="lead-row"]') ?? $('[data-testid="empty-state"]'));
      window.dispatchEvent(new KeyboardEvent("keydown", { key: "n", bubbles: true }));
      const first = await waitFor(() => $<HTMLInputElement>('[data-testid="field-firstName"]'));
      setValue(first, "Jordan");
      setValue($<HTMLInputElement>('[data-testid="field-lastName"]')!, "Reyes");
      setValue($<HTMLInputElement>('[data-testid="field-email"]')!, "jordan.reyes@");
      setValue($<HTMLInputElement>('[data-testid="field-companyName"]')!, "Northwind Labs");
      $<HTMLButtonElement>('[data-testid="save-lead"]')!.click();
    } else if (scenario === "palette") {
      await waitFor(() => $('[data-testid="lead-row"]'));
      window.dispatchEvent(new KeyboardEvent("keydown", { key: "k", ctrlKey: true, bubbles: true }));
      const input = await waitFor(() => $<HTMLInputElement>('[data-testid="palette-input"]'));
      setValue(input, "chen");
    } else if (scenario === "company") {
      await waitFor(() => $('[data-testid="lead-row"]'));
      $<HTMLButtonElement>('[data-testid="nav-companies"]')!.click();
      const row = await waitFor(() => document.querySelectorAll<HTMLElement>('[data-testid="company-row"]')[1]);
      row.click();
    } else if (scenario === "jump") {
      await waitFor(() => $('[data-testid="lead-row"]'));
      const scroller = $('[data-testid="leads-table"]')!;
      scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * Number(params.get("at") ?? 0.5);
      scroller.dispatchEvent(new Event("scroll"));
      setTimeout(() => {
        const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="lead-row"]')];
        const last = rows[rows.length - 1];
        console.info(
          `[mock] scrollTop=${scroller.scrollTop} scrollHeight=${scroller.scrollHeight} client=${scroller.clientHeight} ` +
            `last=${last?.dataset.index} transform=${last?.style.transform} rectBottom=${last?.getBoundingClientRect().bottom}`,
        );
      }, 1000);
    } else if (scenario === "reminders") {
      await waitFor(() => $('[data-testid="lead-row"]'));
      $<HTMLButtonElement>('[data-testid="nav-reminders"]')!.click();
    } else if (scenario === "reminder-form" || scenario === "reminder-edit") {
      const row = await waitFor(() => document.querySelectorAll<HTMLElement>('[data-testid="lead-row"]')[2]);
      row.click();
      if (scenario === "reminder-edit") {
        (await waitFor(() => $<HTMLButtonElement>('[data-testid="lead-reminder"] [data-testid="reminder-edit"]'))).click();
      } else {
        (await waitFor(() => $<HTMLButtonElement>('[data-testid="add-reminder"]'))).click();
        setValue(await waitFor(() => $<HTMLInputElement>('[data-testid="reminder-message"]')), "Send the revised quote");
        $<HTMLButtonElement>('[data-testid="reminder-quick-custom"]')!.click();
        setValue(await waitFor(() => $<HTMLInputElement>('[data-testid="reminder-custom-at"]')), params.get("at") ?? "friday 14:30");
        const repeat = $<HTMLSelectElement>('[data-testid="reminder-repeat"]')!;
        Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value")!.set!.call(repeat, "weekly");
        repeat.dispatchEvent(new Event("change", { bubbles: true }));
      }
    } else if (scenario === "reminder-fired") {
      await waitFor(() => $('[data-testid="lead-row"]'));
      createReminder({ leadId: "ld-3", message: "Call about the renewal terms", dueAt: new Date().toISOString(), remindAt: null, recurrence: null });
    } else if (scenario === "reminders-missed") {
      await waitFor(() => $('[data-testid="lead-row"]'));
      void emit("reminders-missed", listReminders({ scope: "due", leadId: null, limit: 50 }));
    } else if (scenario === "scoring" || scenario === "scoring-editor" || scenario === "scoring-progress") {
      await waitFor(() => $('[data-testid="lead-row"]'));
      $<HTMLButtonElement>('[data-testid="nav-scoring"]')!.click();
      if (scenario === "scoring-progress") {
        (await waitFor(() => $<HTMLButtonElement>('[data-testid="rule-toggle"]'))).click();
      } else if (scenario === "scoring-editor") {
        (await waitFor(() => $<HTMLButtonElement>('[data-testid="new-rule"]'))).click();
        setValue(await waitFor(() => $<HTMLInputElement>('[data-testid="rule-name"]')), "Enterprise email domains");
        const kind = $<HTMLSelectElement>('[data-testid="rule-kind"]')!;
        Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value")!.set!.call(kind, params.get("kind") ?? "event");
        kind.dispatchEvent(new Event("change", { bubbles: true }));
        await new Promise((r) => setTimeout(r, 50));
        setValue($<HTMLInputElement>('[data-testid="rule-value"]')!, params.get("value") ?? "/pricing");
        const points = $<HTMLInputElement>('[data-testid="rule-points"]')!;
        setValue(points, params.get("points") ?? "12");
      }
    } else if (scenario === "lead-score") {
      const row = await waitFor(() => document.querySelectorAll<HTMLElement>('[data-testid="lead-row"]')[Number(params.get("row") ?? 2)]);
      row.click();
      await waitFor(() => $('[data-testid="score-breakdown"]'));
      if (params.get("log")) {
        setValue($<HTMLInputElement>('[data-testid="inquiry-message"]')!, "Asked for pricing for 40 seats");
        $<HTMLButtonElement>('[data-testid="add-inquiry"]')!.click();
        await new Promise((r) => setTimeout(r, 600));
        setValue($<HTMLInputElement>('[data-testid="event-type"]')!, "page_view");
        setValue($<HTMLInputElement>('[data-testid="event-value"]')!, "/pricing");
        $<HTMLButtonElement>('[data-testid="add-event"]')!.click();
        await new Promise((r) => setTimeout(r, 600));
      }
      $(`[data-testid="${params.get("at") ?? "lead-score"}"]`)!.scrollIntoView({ block: "start" });
    } else if (scenario === "settings" || scenario === "sync-setup-error") {
      await waitFor(() => $('[data-testid="lead-row"]'));
      $<HTMLButtonElement>('[data-testid="nav-settings"]')!.click();
      if (scenario === "sync-setup-error") {
        setValue(await waitFor(() => $<HTMLInputElement>('[data-testid="sync-url"]')), "postgres://dana@db.acme.example:5432/leadbook");
        setValue($<HTMLInputElement>('[data-testid="sync-password"]')!, "wrong");
        $<HTMLButtonElement>('[data-testid="sync-connect"]')!.click();
      }
    } else if (scenario === "search") {
      const input = await waitFor(() => $<HTMLInputElement>('[data-testid="search-input"]'));
      await waitFor(() => $('[data-testid="lead-row"]'));
      setValue(input, "nakamura");
    }
  })();
}
