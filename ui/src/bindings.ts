// Generated from the Rust command and type definitions by `cargo test -p leadbook-app bindings`.
// Do not edit by hand: change the Rust side and run `make bindings`.
import { invoke, Channel } from "@tauri-apps/api/core";

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

export type ErrorCode = "ambiguous_dates" | "duplicate_company" | "duplicate_name" | "empty_file" | "invalid_channel" | "invalid_company_size" | "invalid_count" | "invalid_cursor" | "invalid_custom_fields" | "invalid_date" | "invalid_delimiter" | "invalid_duration" | "invalid_email" | "invalid_encoding" | "invalid_field" | "invalid_half_life" | "invalid_header_line" | "invalid_json" | "invalid_kind" | "invalid_mapping" | "invalid_mode" | "invalid_phone" | "invalid_query" | "invalid_recurrence" | "invalid_region" | "invalid_rule" | "invalid_schedule" | "invalid_score" | "invalid_source" | "invalid_space" | "invalid_stage" | "invalid_status" | "invalid_threshold" | "invalid_time" | "invalid_time_zone" | "invalid_url" | "invalid_user" | "invalid_website" | "missing_column" | "missing_password" | "no_match_keys" | "required" | "segment_cycle" | "segment_in_use" | "too_long" | "too_many" | "weak_password" | "already_undone" | "file_changed" | "missing_file" | "not_damaged" | "not_found" | "not_resumable" | "unknown_command" | "unknown_space" | "dialog" | "export" | "file_not_chosen" | "io" | "reveal_failed" | "unreadable_file" | "unwritable_file" | "backup_damaged" | "backup_elsewhere" | "backup_missing" | "backup_unreadable" | "busy" | "closed" | "constraint" | "corrupt_store" | "disk_full" | "migration" | "newer_store" | "storage" | "store_unavailable" | "keychain" | "keychain_no_entry" | "not_a_sync_user" | "plaintext_refused" | "server_auth" | "server_database" | "server_error" | "server_migration" | "server_replaced" | "server_schema" | "server_tls" | "server_unreachable" | "sync_configured" | "sync_off" | "autostart" | "internal";

export type AppError = { 
/**
 * Stable machine-readable code, e.g. `invalid_email`, `not_found`, `storage`.
 */
code: ErrorCode, 
/**
 * A sentence for people, naming the problem and the value at fault.
 */
message: string, 
/**
 * The camelCase input field the error belongs to, when there is one.
 */
field: string | null, };

export type SyncStatus = { 
/**
 * off | synced | pending | offline | error
 */
state: string, 
/**
 * The server address (never with a password).
 */
url: string | null, spaceName: string | null, 
/**
 * Rows written here and not yet on the server.
 */
pending: number, rejected: number, 
/**
 * Pulled rows waiting for a row they reference.
 */
waiting: number, lastSyncAt: string | null, offlineSince: string | null, lastError: AppError | null, 
/**
 * The most recent set-aside rows: table, id, reason.
 */
recentRejections: Array<Rejection>, };

export type Rejection = { table: string, rowId: string, direction: string, reason: string, at: string, };

export type SyncReport = { 
/**
 * Rows sent to the server.
 */
pushed: number, 
/**
 * Rows received from the server.
 */
pulled: number, 
/**
 * Rows set aside (refused by the server or by this desktop), with reasons in `sync status`.
 */
rejected: number, 
/**
 * Columns where a write made here lost to a newer write made elsewhere.
 */
conflicts: number, };

export type SyncSetup = { url: string, userName: string, spaceName: string, 
/**
 * Rows already here that the first push will send.
 */
rowsToPush: number, };

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
companyId: string | null, 
/**
 * Only the current members of this segment.
 */
segmentId: string | null, };

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
encoding: string | null, delimiter: string | null, hasHeader: boolean | null, 
/**
 * The line the table starts on (its header row, or its first row without a header); the
 * lines before it are skipped. None: detected.
 */
headerLine: number | null, };

export type Dialect = { 
/**
 * Canonical encoding name, e.g. "UTF-8", "windows-1252", "UTF-16LE".
 */
encoding: string, bom: boolean, delimiter: string, hasHeader: boolean, 
/**
 * The line the table starts on: its header row, or without a header its first row. The
 * lines before it (a preamble) are skipped. 0 in batches saved before preambles were
 * detected: the first non-blank record.
 */
headerLine: number, };

export type FieldTarget = "firstName" | "lastName" | "fullName" | "fullNameFamilyFirst" | "email" | "email2" | "phone" | "phone2" | "company" | "jobTitle" | "website" | "source" | "stage" | "status" | "score" | "budget" | "authority" | "need" | "timeline" | "notes" | "createdAt" | "externalId" | "customFields" | "custom" | "skip";

export type ColumnMapping = { 
/**
 * The column's (repaired) header.
 */
header: string, target: FieldTarget, };

export type Mapping = { columns: Array<ColumnMapping>, 
/**
 * The date order of the file: "ymd", "mdy" or "dmy"; None = detect from the values (and
 * ask when they read both ways).
 */
dateOrder: string | null, };

export type ContentKind = "email" | "phone" | "url" | "date";

export type Damage = "formula" | "rounded" | "mojibake";

export type PreambleLine = { line: number, 
/**
 * Its non-empty part as CSV ("" for a blank or padding row).
 */
text: string, };

export type ColumnInfo = { 
/**
 * "by name", "by content: 97% emails", "your choice", …
 */
reason: string, 
/**
 * What most of its first values are, if most agree.
 */
content: ContentKind | null, 
/**
 * The header holds U+FFFD: characters lost to a wrong encoding.
 */
damagedHeader: boolean, 
/**
 * Values in the first rows holding U+FFFD.
 */
damagedValues: number, };

export type DateInfo = { column: string, 
/**
 * "dmy", "mdy" or "ymd"; None: the dates read both ways and nothing decides — the user
 * must choose before importing.
 */
order: string | null, reason: string, 
/**
 * Values of the first rows that read both ways.
 */
examples: Array<string>, };

export type PreviewCell = { target: FieldTarget, raw: string, stored: string | null, error: string | null, warning: string | null, 
/**
 * Damage the value came with: a phone a spreadsheet evaluated as a formula, U+FFFD.
 */
damage: Damage | null, };

export type PreviewRow = { line: number, cells: Array<PreviewCell>, 
/**
 * Why the row will not be imported, if it will not.
 */
problem: string | null, repairs: Array<string>, };

export type ImportPreview = { fileName: string, fileSize: number, dialect: Dialect, headers: Array<string>, headerRepairs: Array<string>, mapping: Mapping, 
/**
 * True when the mapping is one saved from an earlier import of a file with these headers.
 */
savedMapping: boolean, rows: Array<PreviewRow>, 
/**
 * The lines before the header, skipped (a title, an export note, blank or padding rows).
 */
preamble: Array<PreambleLine>, 
/**
 * One per column: why it is mapped so and what its first values are.
 */
columns: Array<ColumnInfo>, 
/**
 * The created-date column's date order and why; with no order, a question for the user.
 */
dates: DateInfo | null, 
/**
 * The language of the headers ("French"), if any header is known.
 */
language: string | null, };

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
 * Only the current members of this segment.
 */
segmentId: string | null, 
/**
 * A byte-order mark so Excel reads UTF-8.
 */
bom: boolean, 
/**
 * "," (default) or ";" (Excel in locales with a decimal comma).
 */
delimiter: string, };

export type FieldKind = "text" | "choice" | "number" | "date" | "bool" | "count" | "custom";

export type FieldInfo = { name: string, label: string, kind: FieldKind, operators: Array<Op>, group: string, };

export type Op = "eq" | "ne" | "gt" | "ge" | "lt" | "le" | "contains" | "starts_with" | "ends_with" | "in" | "is_empty" | "is_not_empty";

export type Unit = "d" | "w" | "m" | "y";

export type Window = { amount: number, unit: Unit, };

export type Period = "today" | "yesterday" | "this_week" | "last_week" | "this_month" | "last_month" | "this_year" | "last_year";

export type Value = { "type": "text", "value": string } | { "type": "number", "value": number } | { "type": "bool", "value": boolean } | { "type": "date", "value": string } | { "type": "relative", "value": { amount: number, unit: Unit, } } | { "type": "period", "value": Period };

export type Condition = { 
/**
 * `score`, `company.size`, `custom.region`, `inquiries` …
 */
field: string, 
/**
 * Only for counts of related rows: `inquiries(30d)`; None = all time.
 */
window: Window | null, op: Op, 
/**
 * One value, several for `in`, none for `is empty` / `is not empty`.
 */
values: Array<Value>, };

export type Expr = { "kind": "and", items: Array<Expr>, } | { "kind": "or", items: Array<Expr>, } | { "kind": "not", item: Expr, } | { "kind": "cond" } & Condition | { "kind": "inSegment", name: string, };

export type QueryError = { line: number, column: number, 
/**
 * Character offset, for underlining in the editor.
 */
offset: number, message: string, };

export type QueryCheck = { 
/**
 * The query as the builder edits it (when it parses).
 */
ast: Expr | null, 
/**
 * The query printed back in canonical form.
 */
normalized: string | null, error: QueryError | null, count: number | null, durationMs: number | null, };

export type SegmentKind = "dynamic" | "static";

export type RefreshMode = "manual" | "schedule" | "automatic";

export type Segment = { id: string, name: string, description: string | null, kind: SegmentKind, query: string | null, refreshMode: RefreshMode, refreshEveryMinutes: number | null, refreshCounter: number, memberCount: number, lastRefreshedAt: string | null, 
/**
 * Why an automatic segment was skipped when leads last changed (its query cannot be
 * evaluated: a segment it reads was deleted, say). None when it works.
 */
broken: string | null, createdAt: string, updatedAt: string, };

export type SegmentInput = { name: string, description: string | null, kind: SegmentKind, 
/**
 * Required for dynamic segments, absent for static ones.
 */
query: string | null, refreshMode: RefreshMode, refreshEveryMinutes: number | null, };

export type SegmentSaved = { segment: Segment, refresh: RefreshResult | null, };

export type RefreshResult = { segmentId: string, segment: string, refreshCounter: number, members: number, entered: number, left: number, durationMs: number, };

export type RefreshRecord = { refreshCounter: number, trigger: string, query: string | null, members: number, entered: number, left: number, durationMs: number, refreshedAt: string, };

export type SegmentChanges = { refreshCounter: number, entered: Array<LeadRow>, left: Array<LeadRow>, };

export type MembershipSpan = { segmentId: string, segmentName: string, enteredRefresh: number, enteredAt: string, leftRefresh: number | null, leftAt: string | null, };

export type InquiryInput = { leadId: string, message: string, 
/**
 * web_form (default), email, phone, chat or in_person.
 */
channel: string | null, };

export type Inquiry = { id: string, leadId: string, message: string, channel: string, createdAt: string, };

export type CriteriaKind = "field" | "email_domain" | "inquiry_count" | "event_count" | "days_since_activity" | "inquiry" | "event";

export type RuleCondition = "equals" | "not_equals" | "contains" | "not_contains" | "greater_than" | "less_than" | "in" | "exists" | "not_exists";

export type Criteria = { kind: CriteriaKind, 
/**
 * `field`: the field's name (`job_title`, `company.industry`, `custom.Region`).
 * `inquiry`: `channel` or `message`; `event`: `type` or `value`. Unused otherwise.
 */
field: string | null, condition: RuleCondition, 
/**
 * One value; several for `in`; none for `exists`/`not_exists`. Numbers are written as text.
 */
values: Array<string>, 
/**
 * Counts and per-row rules: only inquiries of this channel / events of this type.
 */
ofType: string | null, 
/**
 * Counts and per-row rules: only rows of the last N days.
 */
windowDays: number | null, };

export type ScoringRule = { id: string, name: string, criteria: Criteria, points: number, 
/**
 * Points for every matching inquiry or event instead of once per lead.
 */
perMatch: boolean, active: boolean, 
/**
 * Local days (YYYY-MM-DD), inclusive. A per-match rule counts rows of those days; any other
 * rule applies while today is inside them.
 */
validFrom: string | null, validUntil: string | null, 
/**
 * One line saying what the rule does: "job title contains “ceo”: +15".
 */
summary: string, 
/**
 * Why the rule is skipped when scores are computed (it cannot be read or compiled: it came
 * from an older version or was written on the server by hand). None when it works.
 */
broken: string | null, createdAt: string, updatedAt: string, };

export type RuleInput = { name: string, criteria: Criteria, points: number, perMatch: boolean, active: boolean, validFrom: string | null, validUntil: string | null, };

export type RuleChange = { id: string | null, input: RuleInput | null, };

export type RecomputeSummary = { scored: number, raised: number, lowered: number, crossings: number, durationMs: number, };

export type RecomputeProgress = { done: number, total: number, };

export type Threshold = { score: number, label: string, };

export type ScoringSettings = { 
/**
 * Engagement points (per-match rules) lose half their value every this many days; None = never.
 */
decayHalfLifeDays: number | null, thresholds: Array<Threshold>, };

export type ScorePart = { 
/**
 * rule, decay, manual or clamp.
 */
kind: string, ruleId: string | null, label: string, 
/**
 * Matching inquiries/events of a per-match rule; 1 for a once-per-lead rule.
 */
matches: number, points: number, };

export type ScoreExplanation = { leadId: string, score: number, 
/**
 * Adds up to `score`.
 */
parts: Array<ScorePart>, 
/**
 * When the breakdown last changed; None if the lead was never scored by rules.
 */
computedAt: string | null, };

export type ScoreChange = { oldScore: number, newScore: number, cause: string, causeId: string | null, detail: string, createdAt: string, };

export type EventInput = { leadId: string, 
/**
 * page_view, tool_interaction, email_open, download … (free text).
 */
eventType: string, 
/**
 * A URL, a tool name.
 */
eventValue: string | null, 
/**
 * When it happened (RFC 3339 or YYYY-MM-DD[ HH:MM[:SS]] local time); default now.
 */
occurredAt: string | null, };

export type AnalyticsEvent = { id: string, leadId: string, eventType: string, eventValue: string | null, occurredAt: string, };

export type BackupKind = "daily" | "manual" | "pre-migration" | "pre-undo" | "pre-restore";

export type Backup = { fileName: string, path: string, kind: BackupKind, 
/**
 * When it was taken (UTC, RFC 3339).
 */
createdAt: string, sizeBytes: number, };

export type BackupCheck = { backup: Backup, leads: number, companies: number, 
/**
 * The newest migration it has (older ones are migrated forward after a restore).
 */
schemaVersion: number, };

export type RestoreSummary = { restored: BackupCheck, 
/**
 * The snapshot of the store as it was just before (to undo the restore).
 */
previous: Backup, };

export type StartupState = { dbPath: string, 
/**
 * Why the database cannot be used; None when the app runs normally.
 */
damaged: AppError | null, 
/**
 * Snapshots of this database, newest first (only listed when it is damaged).
 */
backups: Array<Backup>, 
/**
 * The newest snapshot that passes its check: the one to restore.
 */
newestGood: BackupCheck | null, };

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
  filePickImport: () => invoke<string | null>("file_pick_import", {}),
  filePickSave: (fileName: string) => invoke<string | null>("file_pick_save", { fileName }),
  previewImport: (path: string, dialect: DialectOverrides, mapping: Mapping | null) => invoke<ImportPreview>("preview_import", { path, dialect, mapping }),
  listImports: () => invoke<Array<ImportSummary>>("list_imports", {}),
  undoImport: (batchId: string) => invoke<UndoSummary>("undo_import", { batchId }),
  saveImportErrors: (batchId: string, path: string) => invoke<number>("save_import_errors", { batchId, path }),
  exportLeads: (path: string, req: ExportRequest) => invoke<number>("export_leads", { path, req }),
  segmentFields: () => invoke<Array<FieldInfo>>("segment_fields", {}),
  segmentFieldValues: (field: string) => invoke<Array<string>>("segment_field_values", { field }),
  checkSegmentQuery: (text: string, count: boolean) => invoke<QueryCheck>("check_segment_query", { text, count }),
  formatSegmentQuery: (ast: Expr) => invoke<string>("format_segment_query", { ast }),
  previewSegmentQuery: (text: string, limit: number) => invoke<Array<LeadRow>>("preview_segment_query", { text, limit }),
  listSegments: () => invoke<Array<Segment>>("list_segments", {}),
  getSegment: (id: string) => invoke<Segment>("get_segment", { id }),
  createSegment: (input: SegmentInput) => invoke<SegmentSaved>("create_segment", { input }),
  updateSegment: (id: string, input: SegmentInput) => invoke<SegmentSaved>("update_segment", { id, input }),
  deleteSegment: (id: string) => invoke<null>("delete_segment", { id }),
  refreshSegment: (id: string) => invoke<RefreshResult>("refresh_segment", { id }),
  segmentHistory: (id: string, limit: number) => invoke<Array<RefreshRecord>>("segment_history", { id, limit }),
  segmentChanges: (id: string, refreshCounter: number, limit: number) => invoke<SegmentChanges>("segment_changes", { id, refreshCounter, limit }),
  leadSegments: (leadId: string) => invoke<Array<MembershipSpan>>("lead_segments", { leadId }),
  includeInSegment: (id: string, leadIds: Array<string>) => invoke<RefreshResult>("include_in_segment", { id, leadIds }),
  excludeFromSegment: (id: string, leadIds: Array<string>) => invoke<RefreshResult>("exclude_from_segment", { id, leadIds }),
  clearSegmentOverrides: (id: string, leadIds: Array<string>) => invoke<RefreshResult>("clear_segment_overrides", { id, leadIds }),
  addInquiry: (input: InquiryInput) => invoke<Inquiry>("add_inquiry", { input }),
  leadInquiries: (leadId: string) => invoke<Array<Inquiry>>("lead_inquiries", { leadId }),
  listRules: () => invoke<Array<ScoringRule>>("list_rules", {}),
  addRule: (input: RuleInput) => invoke<ScoringRule>("add_rule", { input }),
  updateRule: (id: string, input: RuleInput) => invoke<ScoringRule>("update_rule", { id, input }),
  removeRule: (id: string) => invoke<null>("remove_rule", { id }),
  previewRuleChange: (change: RuleChange) => invoke<RecomputeSummary>("preview_rule_change", { change }),
  recomputeScores: (detail: string) => invoke<RecomputeSummary>("recompute_scores", { detail }),
  syncStatus: () => invoke<SyncStatus>("sync_status", {}),
  syncSetup: (url: string, password: string, space: string | null, allowPlaintext: boolean) => invoke<SyncSetup>("sync_setup", { url, password, space, allowPlaintext }),
  syncNow: () => invoke<SyncReport>("sync_now", {}),
  syncForget: () => invoke<boolean>("sync_forget", {}),
  scoringSettings: () => invoke<ScoringSettings>("scoring_settings", {}),
  setScoringSettings: (input: ScoringSettings) => invoke<ScoringSettings>("set_scoring_settings", { input }),
  explainScore: (leadId: string) => invoke<ScoreExplanation>("explain_score", { leadId }),
  scoreHistory: (leadId: string, limit: number) => invoke<Array<ScoreChange>>("score_history", { leadId, limit }),
  scoreDistribution: () => invoke<Array<number>>("score_distribution", {}),
  addEvent: (input: EventInput) => invoke<AnalyticsEvent>("add_event", { input }),
  leadEvents: (leadId: string, limit: number) => invoke<Array<AnalyticsEvent>>("lead_events", { leadId, limit }),
  backupList: () => invoke<Array<Backup>>("backup_list", {}),
  backupCreate: () => invoke<Backup>("backup_create", {}),
  backupCheck: (file: string) => invoke<BackupCheck>("backup_check", { file }),
  backupRestore: (file: string) => invoke<RestoreSummary>("backup_restore", { file }),
  backupReveal: (file: string | null) => invoke<null>("backup_reveal", { file }),
  reportFirstPaint: () => invoke<null>("report_first_paint", {}),
  startImport: (jobId: string, path: string, options: ImportOptions, onProgress: Channel<ImportProgress>) => invoke<ImportSummary>("start_import", { jobId, path, options, onProgress }),
  resumeImport: (jobId: string, batchId: string, onProgress: Channel<ImportProgress>) => invoke<ImportSummary>("resume_import", { jobId, batchId, onProgress }),
  cancelImport: (jobId: string) => invoke<boolean>("cancel_import", { jobId }),
  startupState: () => invoke<StartupState>("startup_state", {}),
  recoveryRestore: (file: string) => invoke<BackupCheck>("recovery_restore", { file }),
};

/** Events the app emits to the window: name → payload type. */
export type AppEvents = {
  "reminder-fired": Reminder;
  "reminders-missed": Array<Reminder>;
  "reminders-changed": null;
  "notifier-status": NotifierStatus;
  "open-lead": string;
  "show-reminders": null;
  "segments-refreshed": Array<RefreshResult>;
  "score-progress": RecomputeProgress;
  "scores-changed": RecomputeSummary;
  "sync-status": SyncStatus;
  "app-error": AppError;
  "store-restored": RestoreSummary;
};
