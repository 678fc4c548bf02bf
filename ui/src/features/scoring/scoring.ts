// The rule editor's model: what each criteria kind can test, and the form ⇄ RuleInput mapping.
// The Rust side validates every rule again (and is the authority); these checks only keep the
// editor from offering combinations that cannot work and from sending what cannot deserialize.
import type {
  CriteriaKind,
  FieldInfo,
  Op,
  RecomputeSummary,
  RuleCondition,
  RuleInput,
  ScoringRule,
} from "../../bindings";
import { formatNumber } from "../../core/format";

export const KINDS: { kind: CriteriaKind; label: string }[] = [
  { kind: "field", label: "Lead field" },
  { kind: "email_domain", label: "Email domain" },
  { kind: "inquiry_count", label: "Number of inquiries" },
  { kind: "event_count", label: "Number of events" },
  { kind: "days_since_activity", label: "Days since last activity" },
  { kind: "inquiry", label: "Each inquiry" },
  { kind: "event", label: "Each event" },
];

/** The inquiry channels of `InquiryInput`. */
export const CHANNELS: { value: string; label: string }[] = [
  { value: "web_form", label: "Web form" },
  { value: "email", label: "Email" },
  { value: "phone", label: "Phone" },
  { value: "chat", label: "Chat" },
  { value: "in_person", label: "In person" },
];

/** Suggestions for event types (free text on the Rust side). */
export const EVENT_TYPES = ["page_view", "tool_interaction", "email_open", "email_click", "download", "form_submit", "demo_request"];

/** Kinds whose value is a number (a count or a number of days). */
export function isNumberKind(kind: CriteriaKind): boolean {
  return kind === "inquiry_count" || kind === "event_count" || kind === "days_since_activity";
}

/** Kinds that test each inquiry / event, and may give points per match. */
export function isRowKind(kind: CriteriaKind): boolean {
  return kind === "inquiry" || kind === "event";
}

/** Kinds that look at inquiries or events, and so take "of type" and "in the last N days". */
export function hasRowFilters(kind: CriteriaKind): boolean {
  return kind === "inquiry_count" || kind === "event_count" || kind === "inquiry" || kind === "event";
}

export function isInquiryKind(kind: CriteriaKind): boolean {
  return kind === "inquiry" || kind === "inquiry_count";
}

export function needsField(kind: CriteriaKind): boolean {
  return kind === "field" || isRowKind(kind);
}

/** Fields a rule on each inquiry / event can test. */
export function rowFields(kind: CriteriaKind): { value: string; label: string }[] {
  if (kind === "inquiry") {
    return [
      { value: "channel", label: "Channel" },
      { value: "message", label: "Message" },
    ];
  }
  return [
    { value: "type", label: "Type" },
    { value: "value", label: "Value" },
  ];
}

/** Lead fields a rule can test: the segment catalog without the counts (those have their own kinds). */
/** Every field a segment can test, counts too (logged calls in a window: `calls(30d)`). */
export function ruleFields(fields: FieldInfo[]): FieldInfo[] {
  return fields;
}

/** Whether the rule counts rows in a time window: row rules, and a field rule on a count. */
export function takesWindow(form: RuleForm, fields: FieldInfo[]): boolean {
  return hasRowFilters(form.kind) || (form.kind === "field" && fields.find((f) => f.name === form.field)?.kind === "count");
}

const ALL: RuleCondition[] = ["equals", "not_equals", "contains", "not_contains", "greater_than", "less_than", "in", "exists", "not_exists"];
const NUMBER: RuleCondition[] = ["equals", "not_equals", "greater_than", "less_than", "exists", "not_exists"];
const TEXT: RuleCondition[] = ["equals", "not_equals", "contains", "not_contains", "in", "exists", "not_exists"];

/** The segment operator a condition on a lead field becomes. */
const OP: Record<RuleCondition, Op> = {
  equals: "eq",
  not_equals: "ne",
  contains: "contains",
  not_contains: "contains",
  greater_than: "gt",
  less_than: "lt",
  in: "in",
  exists: "is_not_empty",
  not_exists: "is_empty",
};

/** The conditions that make sense for a kind (and, for a lead field, that field's operators). */
export function conditionsFor(kind: CriteriaKind, field: string | null, fields: FieldInfo[]): RuleCondition[] {
  if (isNumberKind(kind)) return NUMBER;
  if (kind === "field") {
    const info = fields.find((f) => f.name === field);
    return info ? ALL.filter((c) => info.operators.includes(OP[c])) : ALL;
  }
  // An event's value may be a number (seconds on a page, a scroll depth).
  if (kind === "event" && field === "value") return ALL;
  return TEXT;
}

export function conditionLabel(condition: RuleCondition, kind: CriteriaKind): string {
  if (isNumberKind(kind)) {
    if (condition === "exists") return "is more than 0";
    if (condition === "not_exists") return "is 0";
  }
  switch (condition) {
    case "equals":
      return "is";
    case "not_equals":
      return "is not";
    case "contains":
      return "contains";
    case "not_contains":
      return "does not contain";
    case "greater_than":
      return "is more than";
    case "less_than":
      return "is less than";
    case "in":
      return "is one of";
    case "exists":
      return "is set";
    case "not_exists":
      return "is not set";
  }
}

export function takesValue(condition: RuleCondition): boolean {
  return condition !== "exists" && condition !== "not_exists";
}

/** What the editor edits: every input as typed. */
export type RuleForm = {
  name: string;
  kind: CriteriaKind;
  field: string;
  condition: RuleCondition;
  value: string;
  ofType: string;
  windowDays: string;
  points: string;
  perMatch: boolean;
  active: boolean;
  validFrom: string;
  validUntil: string;
};

/** Inputs of the editor, by the camelCase names Rust puts in `AppError.field`. */
export const RULE_FIELDS = [
  "name",
  "kind",
  "field",
  "condition",
  "values",
  "ofType",
  "windowDays",
  "points",
  "perMatch",
  "active",
  "validFrom",
  "validUntil",
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

export function isRuleField(f: string | null): f is RuleField {
  return f !== null && (RULE_FIELDS as readonly string[]).includes(f);
}

export function defaultField(kind: CriteriaKind, fields: FieldInfo[]): string {
  if (kind === "field") {
    const usable = ruleFields(fields);
    return (usable.find((f) => f.name === "job_title") ?? usable[0])?.name ?? "job_title";
  }
  if (isRowKind(kind)) return rowFields(kind)[0].value;
  return "";
}

export function emptyRuleForm(fields: FieldInfo[]): RuleForm {
  return {
    name: "",
    kind: "field",
    field: defaultField("field", fields),
    condition: "contains",
    value: "",
    ofType: "",
    windowDays: "",
    points: "10",
    perMatch: false,
    active: true,
    validFrom: "",
    validUntil: "",
  };
}

export function formFromRule(rule: ScoringRule): RuleForm {
  const c = rule.criteria;
  return {
    name: rule.name,
    kind: c.kind,
    field: c.field ?? "",
    condition: c.condition,
    value: c.condition === "in" ? c.values.join(", ") : (c.values[0] ?? ""),
    ofType: c.ofType ?? "",
    windowDays: c.windowDays == null ? "" : String(c.windowDays),
    points: String(rule.points),
    perMatch: rule.perMatch,
    active: rule.active,
    validFrom: rule.validFrom ?? "",
    validUntil: rule.validUntil ?? "",
  };
}

/**
 * The form after the kind changed: a field and a condition that fit the new kind (the value is
 * kept when it still makes sense), no per-match outside inquiry / event rules.
 */
export function withKind(form: RuleForm, kind: CriteriaKind, fields: FieldInfo[]): RuleForm {
  const field = needsField(kind) ? (kind === form.kind ? form.field : defaultField(kind, fields)) : "";
  const allowed = conditionsFor(kind, field, fields);
  const condition = allowed.includes(form.condition) ? form.condition : isNumberKind(kind) ? "greater_than" : allowed[0];
  return {
    ...form,
    kind,
    field,
    condition,
    value: isNumberKind(kind) !== isNumberKind(form.kind) ? "" : form.value,
    perMatch: isRowKind(kind) ? form.perMatch : false,
    ofType: hasRowFilters(kind) && isInquiryKind(kind) === isInquiryKind(form.kind) ? form.ofType : "",
    windowDays: hasRowFilters(kind) ? form.windowDays : "",
  };
}

/** The form after the tested field changed: a condition that field takes. */
export function withField(form: RuleForm, field: string, fields: FieldInfo[]): RuleForm {
  const allowed = conditionsFor(form.kind, field, fields);
  const counted = fields.find((f) => f.name === field)?.kind === "count";
  return {
    ...form,
    field,
    condition: allowed.includes(form.condition) ? form.condition : allowed[0],
    windowDays: counted || hasRowFilters(form.kind) ? form.windowDays : "",
  };
}

export function splitValues(text: string): string[] {
  return text
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

const opt = (s: string): string | null => (s.trim() === "" ? null : s.trim());

/**
 * Checks that only the editor can make (what would not even reach the Rust validation: points
 * and days that are not whole numbers). Everything else is left to the backend.
 */
export function localRuleErrors(form: RuleForm): Partial<Record<RuleField, string>> {
  const errors: Partial<Record<RuleField, string>> = {};
  const p = form.points.trim();
  if (!/^[-−]?\d+$/.test(p) || Math.abs(Number(p.replace("−", "-"))) > 100) {
    errors.points = "Points must be a whole number from −100 to 100.";
  }
  const w = form.windowDays.trim();
  if ((hasRowFilters(form.kind) || form.kind === "field") && w !== "" && (!/^\d+$/.test(w) || Number(w) < 1)) {
    errors.windowDays = "Enter a number of days (1 or more), or leave it empty for all time.";
  }
  return errors;
}

export function toRuleInput(form: RuleForm): RuleInput {
  const values = !takesValue(form.condition)
    ? []
    : form.condition === "in"
      ? splitValues(form.value)
      : form.value.trim() === ""
        ? []
        : [form.value.trim()];
  const rowFilters = hasRowFilters(form.kind);
  return {
    name: form.name.trim(),
    criteria: {
      kind: form.kind,
      field: needsField(form.kind) ? form.field : null,
      condition: form.condition,
      values,
      ofType: rowFilters ? opt(form.ofType) : null,
      // Only a row rule or a count field keeps a window (withField clears it for other fields).
      windowDays: (rowFilters || form.kind === "field") && form.windowDays.trim() !== "" ? Number(form.windowDays) : null,
    },
    points: Number(form.points.trim().replace("−", "-")),
    perMatch: isRowKind(form.kind) && form.perMatch,
    active: form.active,
    validFrom: opt(form.validFrom),
    validUntil: opt(form.validUntil),
  };
}

/** "+15", "−10", "0". */
export function signed(points: number): string {
  if (points > 0) return `+${formatNumber(points)}`;
  if (points < 0) return `−${formatNumber(-points)}`;
  return "0";
}

function leads(n: number): string {
  return `${formatNumber(n)} ${n === 1 ? "lead" : "leads"}`;
}

/** "This change would raise 12,345 leads and lower 210". */
export function previewText(s: RecomputeSummary): string {
  if (s.raised === 0 && s.lowered === 0) return "This change would not change any lead’s score";
  return `This change would raise ${leads(s.raised)} and lower ${formatNumber(s.lowered)}`;
}

/** The histogram's buckets: 0–9, 10–19, … 90–100. */
export function bucketLabel(i: number): string {
  return i === 9 ? "90–100" : `${i * 10}–${i * 10 + 9}`;
}

/** Parsed timeline rows of the scoring feature. */
export function scoreActivity(description: string): { from: number; to: number; cause: string; detail: string } | null {
  const m = /^Score (-?\d+) → (-?\d+) \(([^)]*)\)(?::\s*([\s\S]*))?$/.exec(description);
  if (!m) return null;
  return { from: Number(m[1]), to: Number(m[2]), cause: m[3], detail: (m[4] ?? "").trim() };
}

/** "page_view: /pricing" → { type: "page_view", value: "/pricing" }. */
export function eventActivity(description: string): { type: string; value: string | null } {
  const i = description.indexOf(": ");
  return i < 0 ? { type: description, value: null } : { type: description.slice(0, i), value: description.slice(i + 2) };
}

/** "page_view" → "Page view". */
export function humanize(code: string): string {
  const s = code.replace(/[_-]+/g, " ").trim();
  return s ? s[0].toUpperCase() + s.slice(1) : code;
}
