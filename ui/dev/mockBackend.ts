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
 *   ?fail=list      make list_leads fail
 *   ?scenario=detail | form-error | palette   drive the UI for screenshots
 */
import { mockIPC } from "@tauri-apps/api/mocks";
import type {
  Activity,
  AppError,
  Company,
  CompanyInput,
  FieldChange,
  Lead,
  LeadInput,
  LeadRow,
  ListCompaniesRequest,
  ListLeadsRequest,
  SearchRequest,
  Source,
  Stage,
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
  if (params.get("fail") === "list") throw err("db_error", "database is locked (SQLITE_BUSY)", null);
  const fast = !req.companyId && req.sort === "createdAt" && req.dir === "desc" && created.length === 0 && deleted.size === 0 && edited.size === 0;
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

function searchLeads(req: SearchRequest): LeadRow[] {
  const q = req.text.toLowerCase();
  const out: LeadRow[] = [];
  for (const l of allLeads()) {
    const hay = `${l.firstName} ${l.lastName} ${l.email ?? ""} ${l.companyName ?? ""} ${l.phone ?? ""}`.toLowerCase();
    if (hay.includes(q)) out.push(toRow(l));
    if (out.length >= req.limit) break;
  }
  return out;
}

function err(code: string, message: string, field: string | null): AppError {
  return { code, message, field };
}

function validate(input: LeadInput) {
  if (!input.firstName.trim() && !input.lastName.trim()) throw err("validation", "A lead needs a first or last name.", "firstName");
  if (input.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email))
    throw err("invalid_email", "That doesn't look like an email address (expected name@company.com).", "email");
  if (input.phone && /[a-z]/i.test(input.phone)) throw err("invalid_phone", "Phone numbers can only contain digits, spaces and + ( ) -.", "phone");
  if (input.score !== null && (input.score < 0 || input.score > 100)) throw err("validation", "Score must be between 0 and 100.", "score");
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
  if (!input.name.trim()) throw err("validation", "A company needs a name.", "name");
  if (input.website && !/^[\w.-]+\.[a-z]{2,}(\/.*)?$/i.test(input.website.replace(/^https?:\/\//, "")))
    throw err("invalid_url", "Enter a website like example.com.", "website");
}

const handlers: Record<string, (a: any) => unknown> = {
  store_info: () => ({ dbPath: "/home/dana/.local/share/leadbook/leadbook.db", leadCount: count(), companyCount: companies.length, defaultRegion: "US", userName: "Dana Whitfield", spaceName: "Acme Sales" }),
  list_leads: ({ req }) => listLeads(req),
  search_leads: ({ req }) => searchLeads(req),
  get_lead: ({ id }) => leadById(id) ?? (() => { throw err("not_found", "Lead not found.", null); })(),
  create_lead: ({ input }) => {
    validate(input);
    const now = new Date().toISOString();
    const base = genLead(0);
    const lead = applyInput({ ...base, id: `new-${created.length}`, createdAt: now, updatedAt: now, score: 0 }, input);
    created.unshift(lead);
    activities.set(lead.id, [{ id: `${lead.id}-c`, leadId: lead.id, activityType: "created", description: "Lead created", changes: [], userName: "Dana Whitfield", createdAt: now }]);
    recountCompanies();
    return lead;
  },
  update_lead: ({ id, input }) => {
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
  delete_lead: ({ id }) => {
    const ci = created.findIndex((l) => l.id === id);
    if (ci >= 0) created.splice(ci, 1);
    else deleted.add(id);
    recountCompanies();
    return null;
  },
  lead_activities: ({ leadId, before, limit }) => leadActivities(leadId, before, limit),
  list_companies: ({ req }) => listCompanies(req),
  get_company: ({ id }) => companies.find((c) => c.id === id) ?? (() => { throw err("not_found", "Company not found.", null); })(),
  create_company: ({ input }) => {
    validateCompany(input);
    const now = new Date().toISOString();
    const c: Company = { id: `co-new-${companies.length}`, ...input, leadCount: 0, createdAt: now, updatedAt: now };
    companies.push(c);
    return c;
  },
  update_company: ({ id, input }) => {
    validateCompany(input);
    const c = companies.find((x) => x.id === id);
    if (!c) throw err("not_found", "Company not found.", null);
    Object.assign(c, input, { updatedAt: new Date().toISOString() });
    return c;
  },
  list_stages: () => STAGES,
  list_sources: () => SOURCES,
  load_sample_data: ({ leads }) => {
    leadTotal = leads;
    recountCompanies();
    return { leads, companies: companies.length };
  },
  report_first_paint: () => {
    console.info(`[mock] report_first_paint at ${performance.now().toFixed(0)} ms`);
    return null;
  },
};

mockIPC(async (cmd, args) => {
  await new Promise((r) => setTimeout(r, cmd === "load_sample_data" ? 900 : latency));
  const h = handlers[cmd];
  if (!h) throw err("unknown_command", `Mock has no handler for ${cmd}`, null);
  return h(args ?? {});
});

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
    } else if (scenario === "search") {
      const input = await waitFor(() => $<HTMLInputElement>('[data-testid="search-input"]'));
      await waitFor(() => $('[data-testid="lead-row"]'));
      setValue(input, "nakamura");
    }
  })();
}
