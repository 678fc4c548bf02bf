// Generated from the Rust command, event and type definitions by `cargo test -p leadbook-app bindings`.
// Do not edit by hand: change the Rust side and run `make bindings`.
import { invoke, Channel } from "@tauri-apps/api/core";

export type Activity = { id: string, leadId: string, activityType: string, description: string, changes: Array<FieldChange>, 
/**
 * A logged call's or meeting's outcome ("Left a voicemail"); absent on other entries.
 */
outcome?: string | null, durationMinutes?: number | null, userName: string | null, createdAt: string, };

export type ActivityLog = { input: LogActivityInput, };

export type ActivityPage = { rows: Array<Activity>, 
/**
 * Pass as `before` to get the next (older) page; None at the end.
 */
next: string | null, };

export type AnalyticsEvent = { id: string, leadId: string, eventType: string, eventValue: string | null, occurredAt: string, };

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

export type BackupCheckRequest = { file: string, };

export type BackupKind = "daily" | "manual" | "pre-migration" | "pre-undo" | "pre-restore";

export type BackupRestore = { file: string, };

export type BackupReveal = { file: string | null, };

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

export type ColumnMapping = { 
/**
 * The column's (repaired) header.
 */
header: string, target: FieldTarget, };

export type Company = { id: string, name: string, website: string | null, industry: string | null, companySize: number | null, leadCount: number, createdAt: string, updatedAt: string, };

export type CompanyCreate = { input: CompanyInput, };

export type CompanyGet = { id: string, };

export type CompanyInput = { name: string, website: string | null, industry: string | null, companySize: number | null, };

export type CompanyPage = { rows: Array<Company>, next: LeadCursor | null, };

export type CompanyUpdate = { id: string, input: CompanyInput, };

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

export type ContentKind = "email" | "phone" | "url" | "date";

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

export type CriteriaKind = "field" | "email_domain" | "inquiry_count" | "event_count" | "days_since_activity" | "inquiry" | "event";

export type Damage = "formula" | "rounded" | "mojibake";

export type DataChanged = { tags: Array<DataTag>, };

export type DataTag = "store" | "leads" | "companies" | "stages" | "segments" | "scores" | "rules" | "reminders" | "imports" | "sync" | "backups" | "settings";

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

export type ErrorCode = "ambiguous_dates" | "duplicate_company" | "duplicate_name" | "empty_file" | "invalid_channel" | "invalid_company_size" | "invalid_count" | "invalid_cursor" | "invalid_custom_fields" | "invalid_date" | "invalid_delimiter" | "invalid_duration" | "invalid_email" | "invalid_encoding" | "invalid_field" | "invalid_half_life" | "invalid_header_line" | "invalid_json" | "invalid_kind" | "invalid_mapping" | "invalid_mode" | "invalid_phone" | "invalid_query" | "invalid_recurrence" | "invalid_region" | "invalid_rule" | "invalid_schedule" | "invalid_score" | "invalid_source" | "invalid_space" | "invalid_stage" | "invalid_status" | "invalid_threshold" | "invalid_time" | "invalid_time_zone" | "invalid_url" | "invalid_user" | "invalid_website" | "missing_column" | "missing_password" | "no_match_keys" | "required" | "segment_cycle" | "segment_in_use" | "too_long" | "too_many" | "weak_password" | "already_undone" | "file_changed" | "missing_file" | "not_damaged" | "not_found" | "not_resumable" | "unknown_command" | "unknown_space" | "dialog" | "export" | "file_not_chosen" | "io" | "reveal_failed" | "unreadable_file" | "unwritable_file" | "backup_damaged" | "backup_elsewhere" | "backup_missing" | "backup_unreadable" | "busy" | "closed" | "constraint" | "corrupt_store" | "disk_full" | "migration" | "newer_store" | "storage" | "store_unavailable" | "keychain" | "keychain_no_entry" | "not_a_sync_user" | "plaintext_refused" | "server_auth" | "server_database" | "server_error" | "server_migration" | "server_replaced" | "server_schema" | "server_tls" | "server_unreachable" | "sync_configured" | "sync_off" | "autostart" | "notifications" | "internal";

export type EventAdd = { input: EventInput, };

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

export type Expr = { "kind": "and", items: Array<Expr>, } | { "kind": "or", items: Array<Expr>, } | { "kind": "not", item: Expr, } | { "kind": "cond" } & Condition | { "kind": "inSegment", name: string, };

export type FieldChange = { field: string, old: string | null, new: string | null, };

export type FieldInfo = { name: string, label: string, kind: FieldKind, operators: Array<Op>, group: string, };

export type FieldKind = "text" | "choice" | "number" | "date" | "bool" | "count" | "custom";

export type FieldTarget = "firstName" | "lastName" | "fullName" | "fullNameFamilyFirst" | "email" | "email2" | "phone" | "phone2" | "company" | "jobTitle" | "website" | "source" | "stage" | "status" | "score" | "budget" | "authority" | "need" | "timeline" | "notes" | "createdAt" | "externalId" | "customFields" | "custom" | "skip";

export type FilePickSave = { fileName: string, };

export type GeneralSettings = { 
/**
 * ISO 3166 code used to read phone numbers written without a country code.
 */
defaultRegion: string, theme: Theme, 
/**
 * Reminders pop up as OS notifications (off: they still show in the window and the list).
 */
desktopNotifications: boolean, };

export type ImportCancel = { jobId: string, };

export type ImportMode = "create" | "update" | "upsert";

export type ImportOptions = { dialect: DialectOverrides, 
/**
 * None: the mapping saved for these headers, else the automatic one.
 */
mapping: Mapping | null, mode: ImportMode, matchKeys: Array<MatchKey>, };

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

export type ImportPreviewRequest = { path: string, dialect: DialectOverrides, mapping: Mapping | null, };

export type ImportProgress = { batchId: string, rows: number, inserted: number, updated: number, skipped: number, failed: number, 
/**
 * 0..1 of the file read.
 */
fraction: number, rowsPerSecond: number, etaSeconds: number | null, };

export type ImportResume = { jobId: string, batchId: string, };

export type ImportSaveErrors = { batchId: string, path: string, };

export type ImportStart = { jobId: string, path: string, options: ImportOptions, };

export type ImportSummary = { batchId: string, fileName: string, 
/**
 * running, interrupted, completed, cancelled, failed, undone
 */
status: string, rows: number, inserted: number, updated: number, skipped: number, failed: number, 
/**
 * Imported rows with a value kept as written (e.g. a phone number that does not parse).
 */
warnings: number, message: string | null, startedAt: string, finishedAt: string | null, };

export type ImportUndo = { batchId: string, };

export type Inquiry = { id: string, leadId: string, message: string, channel: string, createdAt: string, };

export type InquiryAdd = { input: InquiryInput, };

export type InquiryInput = { leadId: string, message: string, 
/**
 * web_form (default), email, phone, chat or in_person.
 */
channel: string | null, };

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

export type Lead = { id: string, spaceId: string, firstName: string, lastName: string, email: string | null, phone: string | null, phoneRaw: string | null, phoneDisplay: string | null, email2: string | null, phone2: string | null, phone2Raw: string | null, website: string | null, externalId: string | null, companyId: string | null, companyName: string | null, jobTitle: string | null, stageId: string | null, stageName: string | null, stageColor: string | null, sourceId: string | null, sourceName: string | null, status: string, score: number, assignedTo: string | null, budget: string | null, authority: string | null, need: string | null, timeline: string | null, notes: string | null, customFields: JsonValue, enrichedData: JsonValue, convertedToCustomer: boolean, customerId: string | null, createdAt: string, updatedAt: string, };

export type LeadActivities = { leadId: string, before: string | null, limit: number, };

export type LeadCount = { count: number, exact: boolean, };

export type LeadCountRequest = { filter: LeadFilter, cap: number | null, };

export type LeadCreate = { input: LeadInput, };

export type LeadCursor = { key: string, id: string, };

export type LeadDelete = { id: string, };

export type LeadEvents = { leadId: string, limit: number, };

export type LeadExport = { path: string, request: ExportRequest, };

export type LeadFilter = { companyId: string | null, segmentId: string | null, text: string | null, };

export type LeadGet = { id: string, };

export type LeadInput = { firstName: string, lastName: string, email: string | null, phone: string | null, companyName: string | null, jobTitle: string | null, stageId: string | null, sourceId: string | null, status: string | null, score: number | null, budget: string | null, authority: string | null, need: string | null, timeline: string | null, notes: string | null, customFields: JsonValue | null, };

export type LeadInquiries = { leadId: string, };

export type LeadPage = { rows: Array<LeadRow>, next: LeadCursor | null, };

export type LeadRow = { id: string, firstName: string, lastName: string, email: string | null, phone: string | null, phoneDisplay: string | null, companyId: string | null, companyName: string | null, jobTitle: string | null, stageId: string | null, stageName: string | null, stageColor: string | null, score: number, status: string, createdAt: string, updatedAt: string, };

export type LeadSegments = { leadId: string, };

export type LeadSort = "name" | "email" | "company" | "score" | "createdAt" | "updatedAt";

export type LeadUpdate = { id: string, input: LeadInput, };

export type ListCompaniesRequest = { 
/**
 * Case-insensitive part of the name.
 */
text: string | null, after: LeadCursor | null, limit: number, };

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
segmentId: string | null, 
/**
 * Only leads matching this search (as the search box: every typed word, any written phone form).
 */
text: string | null, };

export type ListRemindersRequest = { scope: ReminderScope, leadId: string | null, limit: number, };

export type LogActivityInput = { leadId: string, kind: LoggedKind, 
/**
 * What happened, in the user's words (required for an email or a note).
 */
message: string, outcome: string | null, 
/**
 * Minutes, 1 to 1440 (a day); calls and meetings only.
 */
durationMinutes: number | null, };

export type LoggedKind = "call" | "email" | "meeting" | "note";

export type Mapping = { columns: Array<ColumnMapping>, 
/**
 * The date order of the file: "ymd", "mdy" or "dmy"; None = detect from the values (and
 * ask when they read both ways).
 */
dateOrder: string | null, };

export type MatchKey = "email" | "phone" | "externalId" | "companyName";

export type MembershipSpan = { segmentId: string, segmentName: string, enteredRefresh: number, enteredAt: string, leftRefresh: number | null, leftAt: string | null, };

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

export type Op = "eq" | "ne" | "gt" | "ge" | "lt" | "le" | "contains" | "starts_with" | "ends_with" | "in" | "is_empty" | "is_not_empty";

export type Period = "today" | "yesterday" | "this_week" | "last_week" | "this_month" | "last_month" | "this_year" | "last_year";

export type PhoneRegion = { code: string, callingCode: number, };

export type PreambleLine = { line: number, 
/**
 * Its non-empty part as CSV ("" for a blank or padding row).
 */
text: string, };

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

export type QueryCheck = { 
/**
 * The query as the builder edits it (when it parses).
 */
ast: Expr | null, 
/**
 * The query printed back in canonical form.
 */
normalized: string | null, error: QueryError | null, count: number | null, durationMs: number | null, };

export type QueryError = { line: number, column: number, 
/**
 * Character offset, for underlining in the editor.
 */
offset: number, message: string, };

export type RecomputeProgress = { done: number, total: number, };

export type RecomputeSummary = { scored: number, raised: number, lowered: number, crossings: number, durationMs: number, };

export type RecoveryRestore = { file: string, };

export type RefreshMode = "manual" | "schedule" | "automatic";

export type RefreshRecord = { refreshCounter: number, trigger: string, query: string | null, members: number, entered: number, left: number, durationMs: number, refreshedAt: string, };

export type RefreshResult = { segmentId: string, segment: string, refreshCounter: number, members: number, entered: number, left: number, durationMs: number, };

export type Rejection = { table: string, rowId: string, direction: string, reason: string, at: string, };

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

export type ReminderComplete = { id: string, };

export type ReminderCounts = { 
/**
 * Open and due before now.
 */
overdue: number, 
/**
 * Open, due later today (local time).
 */
today: number, upcoming: number, };

export type ReminderCreate = { input: ReminderInput, };

export type ReminderDelete = { id: string, };

export type ReminderDismiss = { id: string, };

export type ReminderInput = { leadId: string, message: string, 
/**
 * RFC 3339 (any offset; stored as UTC).
 */
dueAt: string, 
/**
 * RFC 3339; defaults to `due_at`. Must not be after it.
 */
remindAt: string | null, recurrence: string | null, };

export type ReminderParseTime = { text: string, };

export type ReminderScope = "open" | "due" | "closed" | "all";

export type ReminderSnooze = { id: string, minutes: number, };

export type ReminderUpdate = { id: string, input: ReminderInput, };

export type RestoreSummary = { restored: BackupCheck, 
/**
 * The snapshot of the store as it was just before (to undo the restore).
 */
previous: Backup, };

export type RuleChange = { id: string | null, input: RuleInput | null, };

export type RuleCondition = "equals" | "not_equals" | "contains" | "not_contains" | "greater_than" | "less_than" | "in" | "exists" | "not_exists";

export type RuleCreate = { input: RuleInput, };

export type RuleDelete = { id: string, };

export type RuleInput = { name: string, criteria: Criteria, points: number, perMatch: boolean, active: boolean, validFrom: string | null, validUntil: string | null, };

export type RulePreviewChange = { change: RuleChange, };

export type RuleUpdate = { id: string, input: RuleInput, };

export type SampleDataLoad = { leads: number, };

export type SampleDataResult = { leads: number, companies: number, };

export type ScoreChange = { oldScore: number, newScore: number, cause: string, causeId: string | null, detail: string, createdAt: string, };

export type ScoreExplain = { leadId: string, };

export type ScoreExplanation = { leadId: string, score: number, 
/**
 * Adds up to `score`.
 */
parts: Array<ScorePart>, 
/**
 * When the breakdown last changed; None if the lead was never scored by rules.
 */
computedAt: string | null, };

export type ScoreHistory = { leadId: string, limit: number, };

export type ScorePart = { 
/**
 * rule, decay, manual or clamp.
 */
kind: string, ruleId: string | null, label: string, 
/**
 * Matching inquiries/events of a per-match rule; 1 for a once-per-lead rule.
 */
matches: number, points: number, };

export type ScoreRecompute = { detail: string, };

export type ScoreSetSettings = { input: ScoringSettings, };

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

export type ScoringSettings = { 
/**
 * Engagement points (per-match rules) lose half their value every this many days; None = never.
 */
decayHalfLifeDays: number | null, thresholds: Array<Threshold>, };

export type SearchRequest = { text: string, limit: number, };

export type Segment = { id: string, name: string, description: string | null, kind: SegmentKind, query: string | null, refreshMode: RefreshMode, refreshEveryMinutes: number | null, refreshCounter: number, memberCount: number, lastRefreshedAt: string | null, 
/**
 * Why an automatic segment was skipped when leads last changed (its query cannot be
 * evaluated: a segment it reads was deleted, say). None when it works.
 */
broken: string | null, createdAt: string, updatedAt: string, };

export type SegmentChanges = { refreshCounter: number, entered: Array<LeadRow>, left: Array<LeadRow>, };

export type SegmentChangesRequest = { id: string, refreshCounter: number, limit: number, };

export type SegmentCheckQuery = { text: string, count: boolean, };

export type SegmentClearOverrides = { id: string, leadIds: Array<string>, };

export type SegmentCreate = { input: SegmentInput, };

export type SegmentDelete = { id: string, };

export type SegmentExclude = { id: string, leadIds: Array<string>, };

export type SegmentFieldValues = { field: string, };

export type SegmentFormatQuery = { ast: Expr, };

export type SegmentGet = { id: string, };

export type SegmentHistory = { id: string, limit: number, };

export type SegmentInclude = { id: string, leadIds: Array<string>, };

export type SegmentInput = { name: string, description: string | null, kind: SegmentKind, 
/**
 * Required for dynamic segments, absent for static ones.
 */
query: string | null, refreshMode: RefreshMode, refreshEveryMinutes: number | null, };

export type SegmentKind = "dynamic" | "static";

export type SegmentPreviewQuery = { text: string, limit: number, };

export type SegmentRefresh = { id: string, };

export type SegmentSaved = { segment: Segment, refresh: RefreshResult | null, };

export type SegmentUpdate = { id: string, input: SegmentInput, };

export type SettingsSetDefaultRegion = { region: string, };

export type SettingsSetDesktopNotifications = { enabled: boolean, };

export type SettingsSetStartAtLogin = { enabled: boolean, };

export type SettingsSetTheme = { theme: Theme, };

export type SortDir = "asc" | "desc";

export type Source = { id: string, name: string, sourceType: string, utmSource: string | null, utmMedium: string | null, utmCampaign: string | null, };

export type Stage = { id: string, name: string, color: string, stageOrder: number, isDefault: boolean, };

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

export type StoreInfo = { dbPath: string, leadCount: number, companyCount: number, defaultRegion: string, userName: string, spaceName: string, };

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

export type SyncSetupRequest = { url: string, password: string, space: string | null, allowPlaintext: boolean, };

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

export type Theme = "system" | "light" | "dark";

export type Threshold = { score: number, label: string, };

export type UndoSummary = { batchId: string, removed: number, restored: number, 
/**
 * Fields changed by someone after the import, left as they are.
 */
keptLaterEdits: number, };

export type Unit = "d" | "w" | "m" | "y";

export type Value = { "type": "text", "value": string } | { "type": "number", "value": number } | { "type": "bool", "value": boolean } | { "type": "date", "value": string } | { "type": "relative", "value": { amount: number, unit: Unit, } } | { "type": "period", "value": Period };

export type Window = { amount: number, unit: Unit, };

let onStale: (tags: DataTag[]) => void = () => {};
/** The data layer registers here: every command that succeeds reports the data it made stale. */
export function setStaleListener(listener: (tags: DataTag[]) => void) {
  onStale = listener;
}

async function call<T>(name: string, args: Record<string, unknown>, stales: DataTag[]): Promise<T> {
  const result = await invoke<T>(name, args);
  if (stales.length > 0) onStale(stales);
  return result;
}

export const commands = {
  /** The database path, counts, region and who this desktop acts as. */
  storeInfo: () => call<StoreInfo>("store_info", {}, []),
  /** Whether reminders can pop up as notifications here. */
  notifierStatus: () => call<NotifierStatus>("notifier_status", {}, []),
  /** The window painted its first table page (the cold-start benchmark reads this). */
  appFirstPaint: () => call<null>("app_first_paint", {}, []),
  /** One page of the leads table (keyset or row-number paging). */
  leadList: (req: ListLeadsRequest) => call<LeadPage>("lead_list", { req }, []),
  /** How many leads the table's filters match (capped: `exact` says whether it stopped early). */
  leadCount: (req: LeadCountRequest) => call<LeadCount>("lead_count", { req }, []),
  /** Leads matching typed text (names, email, phone, company…), newest first: the palette's lookup. */
  leadSearch: (req: SearchRequest) => call<Array<LeadRow>>("lead_search", { req }, []),
  leadGet: (req: LeadGet) => call<Lead>("lead_get", { req }, []),
  leadCreate: (req: LeadCreate) => call<Lead>("lead_create", { req }, ["store", "leads", "companies", "scores", "segments"]),
  leadUpdate: (req: LeadUpdate) => call<Lead>("lead_update", { req }, ["store", "leads", "companies", "scores", "segments"]),
  leadDelete: (req: LeadDelete) => call<null>("lead_delete", { req }, ["store", "leads", "companies", "scores", "segments", "reminders"]),
  /**
   * A lead's timeline, newest first; `before` is the previous page's `next`.
   * Logs a call, an email, a meeting or a note on a lead (its timeline, segments and score follow).
   */
  activityLog: (req: ActivityLog) => call<Activity>("activity_log", { req }, ["leads", "scores", "segments"]),
  leadActivities: (req: LeadActivities) => call<ActivityPage>("lead_activities", { req }, []),
  inquiryAdd: (req: InquiryAdd) => call<Inquiry>("inquiry_add", { req }, ["store", "leads", "scores", "segments"]),
  leadInquiries: (req: LeadInquiries) => call<Array<Inquiry>>("lead_inquiries", { req }, []),
  eventAdd: (req: EventAdd) => call<AnalyticsEvent>("event_add", { req }, ["store", "leads", "scores", "segments"]),
  leadEvents: (req: LeadEvents) => call<Array<AnalyticsEvent>>("lead_events", { req }, []),
  stageList: () => call<Array<Stage>>("stage_list", {}, []),
  sourceList: () => call<Array<Source>>("source_list", {}, []),
  /** Realistic sample leads for trying the app (at most 100,000 here). */
  sampleDataLoad: (req: SampleDataLoad) => call<SampleDataResult>("sample_data_load", { req }, ["store", "leads", "companies", "scores", "segments"]),
  companyList: (req: ListCompaniesRequest) => call<CompanyPage>("company_list", { req }, []),
  companyGet: (req: CompanyGet) => call<Company>("company_get", { req }, []),
  companyCreate: (req: CompanyCreate) => call<Company>("company_create", { req }, ["companies"]),
  /** A rename shows on every lead of the company. */
  companyUpdate: (req: CompanyUpdate) => call<Company>("company_update", { req }, ["store", "companies", "leads"]),
  reminderList: (req: ListRemindersRequest) => call<Array<Reminder>>("reminder_list", { req }, []),
  reminderCounts: () => call<ReminderCounts>("reminder_counts", {}, []),
  reminderCreate: (req: ReminderCreate) => call<Reminder>("reminder_create", { req }, ["store", "reminders", "leads", "scores", "segments"]),
  reminderUpdate: (req: ReminderUpdate) => call<Reminder>("reminder_update", { req }, ["store", "reminders", "leads", "scores", "segments"]),
  reminderComplete: (req: ReminderComplete) => call<Reminder>("reminder_complete", { req }, ["store", "reminders", "leads", "scores", "segments"]),
  reminderSnooze: (req: ReminderSnooze) => call<Reminder>("reminder_snooze", { req }, ["reminders"]),
  reminderDismiss: (req: ReminderDismiss) => call<Reminder>("reminder_dismiss", { req }, ["reminders"]),
  reminderDelete: (req: ReminderDelete) => call<null>("reminder_delete", { req }, ["reminders"]),
  /** Reads a time as the CLI's `--at` does: "+2h", "tomorrow 09:00", "monday 9:00", RFC 3339. */
  reminderParseTime: (req: ReminderParseTime) => call<string>("reminder_parse_time", { req }, []),
  /** What the file looks like and how its columns would map, before anything is written. */
  importPreview: (req: ImportPreviewRequest) => call<ImportPreview>("import_preview", { req }, []),
  /** Imports the file; `jobId` (chosen by the window) is what `import_cancel` names. */
  importStart: (req: ImportStart, onProgress: Channel<ImportProgress>) => call<ImportSummary>("import_start", { req, onProgress }, ["store", "leads", "companies", "scores", "segments", "reminders", "imports"]),
  /** Carries on with an import that was cancelled or interrupted. */
  importResume: (req: ImportResume, onProgress: Channel<ImportProgress>) => call<ImportSummary>("import_resume", { req, onProgress }, ["store", "leads", "companies", "scores", "segments", "reminders", "imports"]),
  /** Asks a running import to stop after its current batch; false when none runs under that id. */
  importCancel: (req: ImportCancel) => call<boolean>("import_cancel", { req }, []),
  importList: () => call<Array<ImportSummary>>("import_list", {}, []),
  importUndo: (req: ImportUndo) => call<UndoSummary>("import_undo", { req }, ["store", "leads", "companies", "scores", "segments", "reminders", "imports", "backups"]),
  /** Writes an import's refused rows, with their reasons, to a file the user chose. */
  importSaveErrors: (req: ImportSaveErrors) => call<number>("import_save_errors", { req }, []),
  /** Writes leads to a CSV file the user chose. */
  leadExport: (req: LeadExport) => call<number>("lead_export", { req }, []),
  /** Shows the open dialog for a CSV to import; None when cancelled. */
  filePickImport: () => call<string | null>("file_pick_import", {}, []),
  /** Shows the save dialog with a suggested file name; None when cancelled. */
  filePickSave: (req: FilePickSave) => call<string | null>("file_pick_save", { req }, []),
  segmentFields: () => call<Array<FieldInfo>>("segment_fields", {}, []),
  segmentFieldValues: (req: SegmentFieldValues) => call<Array<string>>("segment_field_values", { req }, []),
  /** Parses a query (with positioned errors) and, if asked, counts its matches. */
  segmentCheckQuery: (req: SegmentCheckQuery) => call<QueryCheck>("segment_check_query", { req }, []),
  /** The query builder's tree as query text. */
  segmentFormatQuery: (req: SegmentFormatQuery) => call<string>("segment_format_query", { req }, []),
  segmentPreviewQuery: (req: SegmentPreviewQuery) => call<Array<LeadRow>>("segment_preview_query", { req }, []),
  segmentList: () => call<Array<Segment>>("segment_list", {}, []),
  segmentGet: (req: SegmentGet) => call<Segment>("segment_get", { req }, []),
  segmentCreate: (req: SegmentCreate) => call<SegmentSaved>("segment_create", { req }, ["store", "segments", "leads"]),
  segmentUpdate: (req: SegmentUpdate) => call<SegmentSaved>("segment_update", { req }, ["store", "segments", "leads"]),
  segmentDelete: (req: SegmentDelete) => call<null>("segment_delete", { req }, ["store", "segments", "leads"]),
  segmentRefresh: (req: SegmentRefresh) => call<RefreshResult>("segment_refresh", { req }, ["store", "segments", "leads"]),
  segmentHistory: (req: SegmentHistory) => call<Array<RefreshRecord>>("segment_history", { req }, []),
  /** Who entered and left at one refresh. */
  segmentChanges: (req: SegmentChangesRequest) => call<SegmentChanges>("segment_changes", { req }, []),
  leadSegments: (req: LeadSegments) => call<Array<MembershipSpan>>("lead_segments", { req }, []),
  segmentInclude: (req: SegmentInclude) => call<RefreshResult>("segment_include", { req }, ["store", "segments", "leads"]),
  segmentExclude: (req: SegmentExclude) => call<RefreshResult>("segment_exclude", { req }, ["store", "segments", "leads"]),
  segmentClearOverrides: (req: SegmentClearOverrides) => call<RefreshResult>("segment_clear_overrides", { req }, ["store", "segments", "leads"]),
  ruleList: () => call<Array<ScoringRule>>("rule_list", {}, []),
  ruleCreate: (req: RuleCreate) => call<ScoringRule>("rule_create", { req }, ["rules"]),
  ruleUpdate: (req: RuleUpdate) => call<ScoringRule>("rule_update", { req }, ["rules"]),
  ruleDelete: (req: RuleDelete) => call<null>("rule_delete", { req }, ["rules"]),
  /** How many leads a rule change would move, and how, without saving it. */
  rulePreviewChange: (req: RulePreviewChange) => call<RecomputeSummary>("rule_preview_change", { req }, []),
  /** Re-scores every lead after rules changed; progress goes out as `score-progress`. */
  scoreRecompute: (req: ScoreRecompute) => call<RecomputeSummary>("score_recompute", { req }, ["store", "scores", "leads", "segments"]),
  scoreSettings: () => call<ScoringSettings>("score_settings", {}, []),
  scoreSetSettings: (req: ScoreSetSettings) => call<ScoringSettings>("score_set_settings", { req }, ["rules", "scores"]),
  /** Each rule's part in a lead's score. */
  scoreExplain: (req: ScoreExplain) => call<ScoreExplanation>("score_explain", { req }, []),
  scoreHistory: (req: ScoreHistory) => call<Array<ScoreChange>>("score_history", { req }, []),
  scoreDistribution: () => call<Array<number>>("score_distribution", {}, []),
  syncStatus: () => call<SyncStatus>("sync_status", {}, []),
  /** Connects this desktop to a team server; plaintext only when `allowPlaintext` says so. */
  syncSetup: (req: SyncSetupRequest) => call<SyncSetup>("sync_setup", { req }, ["store", "sync", "leads", "companies", "stages", "segments", "scores", "rules", "reminders"]),
  syncNow: () => call<SyncReport>("sync_now", {}, ["store", "sync", "leads", "companies", "stages", "segments", "scores", "rules", "reminders"]),
  syncForget: () => call<boolean>("sync_forget", {}, ["sync"]),
  backupList: () => call<Array<Backup>>("backup_list", {}, []),
  backupCreate: () => call<Backup>("backup_create", {}, ["backups"]),
  backupCheck: (req: BackupCheckRequest) => call<BackupCheck>("backup_check", { req }, []),
  /** Replaces the store's contents with a backup (a snapshot of the current state is taken first). */
  backupRestore: (req: BackupRestore) => call<RestoreSummary>("backup_restore", { req }, ["store", "leads", "companies", "stages", "segments", "scores", "rules", "reminders", "imports", "sync", "backups", "settings"]),
  /** Shows a backup (or the folder) in the file manager. */
  backupReveal: (req: BackupReveal) => call<null>("backup_reveal", { req }, []),
  settingsGeneral: () => call<GeneralSettings>("settings_general", {}, []),
  /** Regions the phone library knows, for the region picker. */
  settingsPhoneRegions: () => call<Array<PhoneRegion>>("settings_phone_regions", {}, []),
  /** Region for phone numbers written without a country code (ISO 3166 code, e.g. DE). */
  settingsSetDefaultRegion: (req: SettingsSetDefaultRegion) => call<string>("settings_set_default_region", { req }, ["settings"]),
  settingsSetTheme: (req: SettingsSetTheme) => call<Theme>("settings_set_theme", { req }, ["settings"]),
  settingsSetDesktopNotifications: (req: SettingsSetDesktopNotifications) => call<boolean>("settings_set_desktop_notifications", { req }, ["settings"]),
  /** Shows a sample notification the way reminders pop up; the error says why it could not. */
  settingsTestNotification: () => call<null>("settings_test_notification", {}, []),
  settingsStartAtLogin: () => call<boolean>("settings_start_at_login", {}, []),
  settingsSetStartAtLogin: (req: SettingsSetStartAtLogin) => call<boolean>("settings_set_start_at_login", { req }, ["settings"]),
  /** What the window needs before it shows anything: the app, or the recovery screen. */
  recoveryState: () => call<StartupState>("recovery_state", {}, []),
  /** Restores a backup over the database that could not be opened, and opens it. */
  recoveryRestore: (req: RecoveryRestore) => call<BackupCheck>("recovery_restore", { req }, ["store", "leads", "companies", "stages", "segments", "scores", "rules", "reminders", "imports", "sync", "backups", "settings"]),
};

export type CommandName = keyof typeof commands;

/** The data each command reads: a cached result goes stale when one of these changes. */
export const commandReads: Record<CommandName, DataTag[]> = {
  storeInfo: ["store", "settings"],
  notifierStatus: ["settings"],
  appFirstPaint: [],
  leadList: ["leads", "scores", "segments"],
  leadCount: ["leads", "segments"],
  leadSearch: ["leads", "scores"],
  leadGet: ["leads", "scores"],
  leadCreate: [],
  leadUpdate: [],
  leadDelete: [],
  activityLog: [],
  leadActivities: ["leads", "scores", "reminders"],
  inquiryAdd: [],
  leadInquiries: ["leads"],
  eventAdd: [],
  leadEvents: ["leads"],
  stageList: ["stages"],
  sourceList: ["stages"],
  sampleDataLoad: [],
  companyList: ["companies"],
  companyGet: ["companies"],
  companyCreate: [],
  companyUpdate: [],
  reminderList: ["reminders"],
  reminderCounts: ["reminders"],
  reminderCreate: [],
  reminderUpdate: [],
  reminderComplete: [],
  reminderSnooze: [],
  reminderDismiss: [],
  reminderDelete: [],
  reminderParseTime: [],
  importPreview: [],
  importStart: [],
  importResume: [],
  importCancel: [],
  importList: ["imports"],
  importUndo: [],
  importSaveErrors: [],
  leadExport: [],
  filePickImport: [],
  filePickSave: [],
  segmentFields: ["segments"],
  segmentFieldValues: ["leads", "stages"],
  segmentCheckQuery: ["leads", "segments"],
  segmentFormatQuery: [],
  segmentPreviewQuery: ["leads", "scores", "segments"],
  segmentList: ["segments"],
  segmentGet: ["segments"],
  segmentCreate: [],
  segmentUpdate: [],
  segmentDelete: [],
  segmentRefresh: [],
  segmentHistory: ["segments"],
  segmentChanges: ["segments", "leads"],
  leadSegments: ["segments"],
  segmentInclude: [],
  segmentExclude: [],
  segmentClearOverrides: [],
  ruleList: ["rules"],
  ruleCreate: [],
  ruleUpdate: [],
  ruleDelete: [],
  rulePreviewChange: ["rules", "scores"],
  scoreRecompute: [],
  scoreSettings: ["rules"],
  scoreSetSettings: [],
  scoreExplain: ["scores", "rules"],
  scoreHistory: ["scores"],
  scoreDistribution: ["scores"],
  syncStatus: ["sync"],
  syncSetup: [],
  syncNow: [],
  syncForget: [],
  backupList: ["backups"],
  backupCreate: [],
  backupCheck: ["backups"],
  backupRestore: [],
  backupReveal: [],
  settingsGeneral: ["settings"],
  settingsPhoneRegions: [],
  settingsSetDefaultRegion: [],
  settingsSetTheme: [],
  settingsSetDesktopNotifications: [],
  settingsTestNotification: [],
  settingsStartAtLogin: ["settings"],
  settingsSetStartAtLogin: [],
  recoveryState: [],
  recoveryRestore: [],
};

/** Events the app emits to the window: name → payload type. */
export type AppEvents = {
  /** A reminder is due: the window shows it (the OS notification pops up anyway). */
  "reminder-fired": Reminder;
  /** Reminders that came due while Leadbook was not running. */
  "reminders-missed": Array<Reminder>;
  /** A reminder was acted on from its notification (snoozed, done). */
  "reminders-changed": null;
  /** Whether notifications can pop up (a notification server came or went). */
  "notifier-status": NotifierStatus;
  /** Open this lead (a notification was clicked). */
  "open-lead": string;
  /** Show the reminders view (from the tray menu or a notification). */
  "show-reminders": null;
  /** Scheduled or automatic segments were refreshed in the background. */
  "segments-refreshed": Array<RefreshResult>;
  /** A full re-score's progress. */
  "score-progress": RecomputeProgress;
  /** A full re-score finished. */
  "scores-changed": RecomputeSummary;
  /** The sync status after each background run or sync command. */
  "sync-status": SyncStatus;
  /** A bug or a background failure the user should know about, with what to do. */
  "app-error": AppError;
  /** A backup replaced the store's contents: every view reads again. */
  "store-restored": RestoreSummary;
  /** Background work changed these kinds of data: the window refetches what it shows of them. */
  "data-changed": DataChanged;
};
