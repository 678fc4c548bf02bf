// Generated from the Rust command and type definitions by `cargo test -p leadbook-app bindings`.
// Do not edit by hand: change the Rust side and run `make bindings`.
import { invoke, Channel } from "@tauri-apps/api/core";

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

export type Lead = { id: string, spaceId: string, firstName: string, lastName: string, email: string | null, phone: string | null, phoneRaw: string | null, phoneDisplay: string | null, email2: string | null, phone2: string | null, phone2Raw: string | null, website: string | null, externalId: string | null, companyId: string | null, companyName: string | null, jobTitle: string | null, stageId: string | null, stageName: string | null, stageColor: string | null, sourceId: string | null, sourceName: string | null, status: string, score: number, assignedTo: string | null, budget: string | null, authority: string | null, need: string | null, timeline: string | null, notes: string | null, customFields: JsonValue, enrichedData: JsonValue, convertedToCustomer: boolean, customerId: string | null, createdAt: string, updatedAt: string, };

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

export type DialectOverrides = { 
/**
 * A WHATWG encoding label: "utf-8", "utf-16le", "windows-1252", "iso-8859-1", …
 */
encoding: string | null, delimiter: string | null, hasHeader: boolean | null, };

export type Dialect = { 
/**
 * Canonical encoding name, e.g. "UTF-8", "windows-1252", "UTF-16LE".
 */
encoding: string, bom: boolean, delimiter: string, hasHeader: boolean, };

export type FieldTarget = "firstName" | "lastName" | "fullName" | "email" | "email2" | "phone" | "phone2" | "company" | "jobTitle" | "website" | "source" | "stage" | "status" | "score" | "budget" | "authority" | "need" | "timeline" | "notes" | "createdAt" | "externalId" | "customFields" | "custom" | "skip";

export type ColumnMapping = { 
/**
 * The column's (repaired) header.
 */
header: string, target: FieldTarget, };

export type Mapping = { columns: Array<ColumnMapping>, 
/**
 * The date order of the file: "ymd", "mdy" or "dmy"; None = detect from the values.
 */
dateOrder: string | null, };

export type PreviewCell = { target: FieldTarget, raw: string, stored: string | null, error: string | null, warning: string | null, };

export type PreviewRow = { line: number, cells: Array<PreviewCell>, 
/**
 * Why the row will not be imported, if it will not.
 */
problem: string | null, repairs: Array<string>, };

export type ImportPreview = { fileName: string, fileSize: number, dialect: Dialect, headers: Array<string>, headerRepairs: Array<string>, mapping: Mapping, 
/**
 * True when the mapping is one saved from an earlier import of a file with these headers.
 */
savedMapping: boolean, rows: Array<PreviewRow>, };

export type ImportMode = "create" | "update" | "upsert";

export type MatchKey = "email" | "phone" | "externalId" | "companyName";

export type ImportOptions = { dialect: DialectOverrides, 
/**
 * None: the mapping saved for these headers, else the automatic one.
 */
mapping: Mapping | null, mode: ImportMode, matchKeys: Array<MatchKey>, };

export type ImportSummary = { batchId: string, fileName: string, 
/**
 * running, interrupted, completed, cancelled, failed, undone
 */
status: string, rows: number, inserted: number, updated: number, skipped: number, failed: number, 
/**
 * Imported rows with a value kept as written (e.g. a phone number that does not parse).
 */
warnings: number, message: string | null, startedAt: string, finishedAt: string | null, };

export type ImportProgress = { batchId: string, rows: number, inserted: number, updated: number, skipped: number, failed: number, 
/**
 * 0..1 of the file read.
 */
fraction: number, rowsPerSecond: number, etaSeconds: number | null, };

export type UndoSummary = { batchId: string, removed: number, restored: number, 
/**
 * Fields changed by someone after the import, left as they are.
 */
keptLaterEdits: number, };

export type ExportRequest = { sort: LeadSort, dir: SortDir, 
/**
 * Only the leads of this company.
 */
companyId: string | null, 
/**
 * Only leads matching this search (as the search box).
 */
search: string | null, 
/**
 * A byte-order mark so Excel reads UTF-8.
 */
bom: boolean, 
/**
 * "," (default) or ";" (Excel in locales with a decimal comma).
 */
delimiter: string, };

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
  previewImport: (path: string, dialect: DialectOverrides, mapping: Mapping | null) => invoke<ImportPreview>("preview_import", { path, dialect, mapping }),
  listImports: () => invoke<Array<ImportSummary>>("list_imports", {}),
  undoImport: (batchId: string) => invoke<UndoSummary>("undo_import", { batchId }),
  saveImportErrors: (batchId: string, path: string) => invoke<number>("save_import_errors", { batchId, path }),
  exportLeads: (path: string, req: ExportRequest) => invoke<number>("export_leads", { path, req }),
  reportFirstPaint: () => invoke<null>("report_first_paint", {}),
  startImport: (jobId: string, path: string, options: ImportOptions, onProgress: Channel<ImportProgress>) => invoke<ImportSummary>("start_import", { jobId, path, options, onProgress }),
  resumeImport: (jobId: string, batchId: string, onProgress: Channel<ImportProgress>) => invoke<ImportSummary>("resume_import", { jobId, batchId, onProgress }),
  cancelImport: (jobId: string) => invoke<boolean>("cancel_import", { jobId }),
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
