// The visual builder edits the query's tree (the `Expr` the Rust parser produces). These are the
// tree edits; turning a tree into text and text into a tree is the Rust side's job
// (segment_format_query / segment_check_query), so there is one grammar, not two.
import type { Condition, Expr, FieldInfo, FieldKind, Op, Period, Unit, Value } from "../../bindings";

/** A group as the builder shows it: AND/OR of items, optionally negated. */
export type Group = { kind: "and" | "or"; items: Expr[] };

export const OP_LABELS: Record<Op, string> = {
  eq: "is",
  ne: "is not",
  gt: "greater than",
  ge: "at least",
  lt: "less than",
  le: "at most",
  contains: "contains",
  starts_with: "starts with",
  ends_with: "ends with",
  in: "is one of",
  is_empty: "is empty",
  is_not_empty: "is not empty",
};

/** Date operators read better as before/after. */
export const DATE_OP_LABELS: Partial<Record<Op, string>> = {
  eq: "on / in",
  ne: "not on / in",
  gt: "after",
  ge: "on or after",
  lt: "before",
  le: "on or before",
};

export const PERIOD_LABELS: Record<Period, string> = {
  today: "today",
  yesterday: "yesterday",
  this_week: "this week",
  last_week: "last week",
  this_month: "this month",
  last_month: "last month",
  this_year: "this year",
  last_year: "last year",
};

export const UNIT_LABELS: Record<Unit, string> = { d: "days", w: "weeks", m: "months", y: "years" };

/** The builder always shows a group at the top, even for a single condition. */
export function asGroup(expr: Expr): Group {
  if (expr.kind === "and" || expr.kind === "or") return { kind: expr.kind, items: expr.items };
  return { kind: "and", items: [expr] };
}

export function groupExpr(group: Group): Expr {
  return { kind: group.kind, items: group.items };
}

export function defaultValue(kind: FieldKind): Value {
  switch (kind) {
    case "number":
    case "count":
      return { type: "number", value: 0 };
    case "date":
      return { type: "relative", value: { amount: -30, unit: "d" } };
    case "bool":
      return { type: "bool", value: true };
    default:
      return { type: "text", value: "" };
  }
}

export function defaultOp(kind: FieldKind): Op {
  switch (kind) {
    case "number":
    case "count":
      return "ge";
    case "date":
      return "gt";
    case "text":
      return "contains";
    default:
      return "eq";
  }
}

export function newCondition(field: FieldInfo): Expr {
  const cond: Condition = {
    field: field.name,
    window: field.kind === "count" ? { amount: 30, unit: "d" } : null,
    op: defaultOp(field.kind),
    values: [defaultValue(field.kind)],
  };
  return { kind: "cond", ...cond };
}

/** Keeps the values when the operator changes arity (one, many, none). */
export function withOp(cond: Condition, op: Op, kind: FieldKind): Condition {
  let values = cond.values;
  if (op === "is_empty" || op === "is_not_empty") values = [];
  else if (op === "in") values = values.length ? values : [defaultValue(kind)];
  else values = [values[0] ?? defaultValue(kind)];
  return { ...cond, op, values };
}

export function withField(field: FieldInfo): Condition {
  const { kind: _kind, ...cond } = newCondition(field) as { kind: "cond" } & Condition;
  return cond;
}

/** Text of a value for an input box. */
export function valueText(v: Value | undefined): string {
  if (!v) return "";
  switch (v.type) {
    case "text":
    case "date":
      return v.value;
    case "number":
      return String(v.value);
    case "bool":
      return v.value ? "true" : "false";
    case "relative":
      return `${v.value.amount}${v.value.unit}`;
    case "period":
      return v.value;
  }
}

/** Comma-separated values of an `in` list, as typed. */
export function listText(values: Value[]): string {
  return values.map(valueText).join(", ");
}

export function parseList(text: string, kind: FieldKind): Value[] {
  const parts = text.split(",").map((p) => p.trim()).filter((p) => p.length > 0);
  if (kind === "number" || kind === "count") {
    return parts.map((p) => Number(p)).filter((n) => Number.isFinite(n)).map((n) => ({ type: "number", value: n }));
  }
  return parts.map((p) => ({ type: "text", value: p }));
}

/** A condition's one-line summary for lists ("score at least 50"). */
export function describeCondition(cond: Condition, field: FieldInfo | undefined): string {
  const label = field?.label ?? cond.field;
  const opLabel = (field?.kind === "date" ? DATE_OP_LABELS[cond.op] : undefined) ?? OP_LABELS[cond.op];
  const values = cond.op === "in" ? listText(cond.values) : valueText(cond.values[0]);
  return `${label} ${opLabel} ${values}`.trim();
}

/** Replace the item at `path` (indexes from the root group) with `next` (or remove it when null). */
export function updateAt(group: Group, path: number[], next: Expr | null): Group {
  const [head, ...rest] = path;
  const items = [...group.items];
  if (rest.length === 0) {
    if (next === null) items.splice(head, 1);
    else items[head] = next;
    return { ...group, items };
  }
  const child = items[head];
  const inner = child.kind === "not" ? child.item : child;
  if (inner.kind !== "and" && inner.kind !== "or") return group;
  const updated = groupExpr(updateAt(asGroup(inner), rest, next));
  items[head] = child.kind === "not" ? { kind: "not", item: updated } : updated;
  return { ...group, items };
}

/** Drops empty groups (the printer cannot write them) so every tree the builder sends is valid. */
export function prune(expr: Expr): Expr | null {
  switch (expr.kind) {
    case "and":
    case "or": {
      const items = expr.items.map(prune).filter((e): e is Expr => e !== null);
      return items.length === 0 ? null : { kind: expr.kind, items };
    }
    case "not": {
      const item = prune(expr.item);
      return item === null ? null : { kind: "not", item };
    }
    default:
      return expr;
  }
}
