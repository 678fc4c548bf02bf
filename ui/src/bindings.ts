// Generated from the Rust command and type definitions by `cargo test -p leadbook-app bindings`.
// Do not edit by hand: change the Rust side and run `make bindings`.
import { invoke } from "@tauri-apps/api/core";

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

export type AppError = { 
/**
 * Stable machine-readable code, e.g. `invalid_email`, `not_found`, `storage`.
 */
code: string, 
/**
 * A sentence for people, naming the problem and the value at fault.
 */
message: string, 
/**
 * The camelCase input field the error belongs to, when there is one.
 */
field: string | null, };

export type LeadSort = "name" | "email" | "company" | "score" | "createdAt" | "updatedAt";

export type SortDir = "asc" | "desc";

export type LeadCursor = { key: string, id: string, };

export type ListLeadsRequest = { sort: LeadSort, dir: SortDir, 
/**
 * Keyset position: continue after this row (sequential scrolling).
 */
after: LeadCursor | null, 
/**
 * Jump to a row number (scrollbar drag); ignored when `after` is given.
 */
offset: number | null, limit: number, 
/**
 * Only the leads of this company.
 */
companyId: string | null, };

export type LeadRow = { id: string, firstName: string, lastName: string, email: string | null, phone: string | null, phoneDisplay: string | null, companyId: string | null, companyName: string | null, jobTitle: string | null, stageId: string | null, stageName: string | null, stageColor: string | null, score: number, status: string, createdAt: string, updatedAt: string, };

export type LeadPage = { rows: Array<LeadRow>, next: LeadCursor | null, };

export type SearchRequest = { text: string, limit: number, };

export type Lead = { id: string, spaceId: string, firstName: string, lastName: string, email: string | null, phone: string | null, phoneRaw: string | null, phoneDisplay: string | null, companyId: string | null, companyName: string | null, jobTitle: string | null, stageId: string | null, stageName: string | null, stageColor: string | null, sourceId: string | null, sourceName: string | null, status: string, score: number, assignedTo: string | null, budget: string | null, authority: string | null, need: string | null, timeline: string | null, notes: string | null, customFields: JsonValue, enrichedData: JsonValue, convertedToCustomer: boolean, customerId: string | null, createdAt: string, updatedAt: string, };

export type LeadInput = { firstName: string, lastName: string, email: string | null, phone: string | null, companyName: string | null, jobTitle: string | null, stageId: string | null, sourceId: string | null, status: string | null, score: number | null, budget: string | null, authority: string | null, need: string | null, timeline: string | null, notes: string | null, customFields: JsonValue | null, };

export type FieldChange = { field: string, old: string | null, new: string | null, };

export type Activity = { id: string, leadId: string, activityType: string, description: string, changes: Array<FieldChange>, userName: string | null, createdAt: string, };

export type ActivityPage = { rows: Array<Activity>, 
/**
 * Pass as `before` to get the next (older) page; None at the end.
 */
next: string | null, };

export type Company = { id: string, name: string, website: string | null, industry: string | null, companySize: number | null, leadCount: number, createdAt: string, updatedAt: string, };

export type CompanyInput = { name: string, website: string | null, industry: string | null, companySize: number | null, };

export type ListCompaniesRequest = { 
/**
 * Case-insensitive part of the name.
 */
text: string | null, after: LeadCursor | null, limit: number, };

export type CompanyPage = { rows: Array<Company>, next: LeadCursor | null, };

export type Stage = { id: string, name: string, color: string, stageOrder: number, isDefault: boolean, };

export type Source = { id: string, name: string, sourceType: string, utmSource: string | null, utmMedium: string | null, utmCampaign: string | null, };

export type StoreInfo = { dbPath: string, leadCount: number, companyCount: number, defaultRegion: string, userName: string, spaceName: string, };

export type SampleDataResult = { leads: number, companies: number, };

export type Reminder = { id: string, leadId: string, leadName: string, message: string, 
/**
 * UTC, RFC 3339. For a recurring reminder: the current occurrence.
 */
dueAt: string, 
/**
 * When the notification pops up (UTC); defaults to `due_at`.
 */
remindAt: string, 
/**
 * pending, snoozed, done or dismissed.
 */
status: string, 
/**
 * None, daily, weekdays, weekly, monthly or `RRULE:…`.
 */
recurrence: string | null, timeZone: string, 
/**
 * Next notification (UTC); None once notified and not recurring, or when closed.
 */
fireAt: string | null, notifiedAt: string | null, createdAt: string, updatedAt: string, };

export type ReminderInput = { leadId: string, message: string, 
/**
 * RFC 3339 (any offset; stored as UTC).
 */
dueAt: string, 
/**
 * RFC 3339; defaults to `due_at`. Must not be after it.
 */
remindAt: string | null, recurrence: string | null, };

export type ReminderScope = "open" | "due" | "closed" | "all";

export type ListRemindersRequest = { scope: ReminderScope, leadId: string | null, limit: number, };

export type ReminderCounts = { 
/**
 * Open and due before now.
 */
overdue: number, 
/**
 * Open, due later today (local time).
 */
today: number, upcoming: number, };

export type NotifierStatus = { 
/**
 * False after the last attempt failed.
 */
available: boolean, 
/**
 * Why notifications cannot be shown, for the in-app banner.
 */
error: string | null, 
/**
 * Time of the last successful notification.
 */
lastNotifiedAt: string | null, };

export const commands = {
  storeInfo: () => invoke<StoreInfo>("store_info", {}),
  listLeads: (req: ListLeadsRequest) => invoke<LeadPage>("list_leads", { req }),
  searchLeads: (req: SearchRequest) => invoke<Array<LeadRow>>("search_leads", { req }),
  getLead: (id: string) => invoke<Lead>("get_lead", { id }),
  createLead: (input: LeadInput) => invoke<Lead>("create_lead", { input }),
  updateLead: (id: string, input: LeadInput) => invoke<Lead>("update_lead", { id, input }),
  deleteLead: (id: string) => invoke<null>("delete_lead", { id }),
  leadActivities: (leadId: string, before: string | null, limit: number) => invoke<ActivityPage>("lead_activities", { leadId, before, limit }),
  listCompanies: (req: ListCompaniesRequest) => invoke<CompanyPage>("list_companies", { req }),
  getCompany: (id: string) => invoke<Company>("get_company", { id }),
  createCompany: (input: CompanyInput) => invoke<Company>("create_company", { input }),
  updateCompany: (id: string, input: CompanyInput) => invoke<Company>("update_company", { id, input }),
  listStages: () => invoke<Array<Stage>>("list_stages", {}),
  listSources: () => invoke<Array<Source>>("list_sources", {}),
  loadSampleData: (leads: number) => invoke<SampleDataResult>("load_sample_data", { leads }),
  listReminders: (req: ListRemindersRequest) => invoke<Array<Reminder>>("list_reminders", { req }),
  reminderCounts: () => invoke<ReminderCounts>("reminder_counts", {}),
  createReminder: (input: ReminderInput) => invoke<Reminder>("create_reminder", { input }),
  updateReminder: (id: string, input: ReminderInput) => invoke<Reminder>("update_reminder", { id, input }),
  completeReminder: (id: string) => invoke<Reminder>("complete_reminder", { id }),
  snoozeReminder: (id: string, minutes: number) => invoke<Reminder>("snooze_reminder", { id, minutes }),
  dismissReminder: (id: string) => invoke<Reminder>("dismiss_reminder", { id }),
  deleteReminder: (id: string) => invoke<null>("delete_reminder", { id }),
  parseReminderTime: (text: string) => invoke<string>("parse_reminder_time", { text }),
  notifierStatus: () => invoke<NotifierStatus>("notifier_status", {}),
  startAtLogin: () => invoke<boolean>("start_at_login", {}),
  setStartAtLogin: (enabled: boolean) => invoke<boolean>("set_start_at_login", { enabled }),
  reportFirstPaint: () => invoke<null>("report_first_paint", {}),
};

/** Events the app emits to the window: name → payload type. */
export type AppEvents = {
  "reminder-fired": Reminder;
  "reminders-missed": Array<Reminder>;
  "reminders-changed": null;
  "notifier-status": NotifierStatus;
  "open-lead": string;
  "show-reminders": null;
};
