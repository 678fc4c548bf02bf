import "./segments.css";
import { useEffect, useState } from "react";
import { commands, type Condition, type Expr, type FieldInfo, type Period, type Unit, type Value } from "../../bindings";
import {
  DATE_OP_LABELS,
  OP_LABELS,
  PERIOD_LABELS,
  UNIT_LABELS,
  asGroup,
  groupExpr,
  listText,
  newCondition,
  parseList,
  updateAt,
  valueText,
  withField,
  withOp,
  type Group,
} from "./segmentQuery";
import { IconPlus, IconX } from "../../core/icons";

/** Values to pick from per field, fetched once per field while the editor is open. */
const valueCache = new Map<string, Promise<string[]>>();
function fieldValues(field: string): Promise<string[]> {
  let p = valueCache.get(field);
  if (!p) {
    p = commands.segmentFieldValues({ field }).catch(() => []);
    valueCache.set(field, p);
  }
  return p;
}
export function clearFieldValueCache() {
  valueCache.clear();
}

/**
 * Nested AND/OR groups of conditions. Edits the tree and hands every change to `onChange`; the
 * editor turns it into text through the Rust printer.
 */
export function QueryBuilder({
  expr,
  fields,
  segmentNames,
  onChange,
}: {
  expr: Expr;
  fields: FieldInfo[];
  segmentNames: string[];
  onChange: (next: Expr) => void;
}) {
  const root = asGroup(expr);
  return (
    <div className="qb" data-testid="query-builder">
      <GroupEditor
        group={root}
        negated={false}
        depth={0}
        fields={fields}
        segmentNames={segmentNames}
        onChange={(g) => onChange(groupExpr(g))}
        onNegate={null}
        onRemove={null}
      />
    </div>
  );
}

function GroupEditor({
  group,
  negated,
  depth,
  fields,
  segmentNames,
  onChange,
  onNegate,
  onRemove,
}: {
  group: Group;
  negated: boolean;
  depth: number;
  fields: FieldInfo[];
  segmentNames: string[];
  onChange: (g: Group) => void;
  onNegate: ((negated: boolean) => void) | null;
  onRemove: (() => void) | null;
}) {
  const set = (i: number, next: Expr | null) => onChange(updateAt(group, [i], next));
  return (
    <div className={`qb-group${depth > 0 ? " qb-nested" : ""}`} data-testid={`qb-group-${depth}`}>
      <div className="qb-group-head">
        {onNegate && (
          <label className="qb-not" title="Leads that do NOT match this group">
            <input type="checkbox" checked={negated} onChange={(e) => onNegate(e.target.checked)} /> not
          </label>
        )}
        <div className="qb-joiner" role="radiogroup" aria-label="Match">
          <button
            type="button"
            role="radio"
            aria-checked={group.kind === "and"}
            className={group.kind === "and" ? "on" : ""}
            onClick={() => onChange({ ...group, kind: "and" })}
            data-testid="qb-all"
          >
            All of
          </button>
          <button
            type="button"
            role="radio"
            aria-checked={group.kind === "or"}
            className={group.kind === "or" ? "on" : ""}
            onClick={() => onChange({ ...group, kind: "or" })}
            data-testid="qb-any"
          >
            Any of
          </button>
        </div>
        <div className="spacer" />
        {onRemove && (
          <button type="button" className="icon-btn" aria-label="Remove group" onClick={onRemove}>
            <IconX size={13} />
          </button>
        )}
      </div>
      <div className="qb-items">
        {group.items.map((item, i) => {
          const isNot = item.kind === "not";
          const inner = isNot ? item.item : item;
          const wrap = (e: Expr, not: boolean): Expr => (not ? { kind: "not", item: e } : e);
          if (inner.kind === "and" || inner.kind === "or") {
            return (
              <GroupEditor
                key={i}
                group={asGroup(inner)}
                negated={isNot}
                depth={depth + 1}
                fields={fields}
                segmentNames={segmentNames}
                onChange={(g) => set(i, wrap(groupExpr(g), isNot))}
                onNegate={(n) => set(i, wrap(inner, n))}
                onRemove={() => set(i, null)}
              />
            );
          }
          return (
            <ConditionRow
              key={i}
              expr={inner}
              negated={isNot}
              fields={fields}
              segmentNames={segmentNames}
              onChange={(e) => set(i, wrap(e, isNot))}
              onNegate={(n) => set(i, wrap(inner, n))}
              onRemove={() => set(i, null)}
            />
          );
        })}
        {group.items.length === 0 && <div className="qb-empty muted">No conditions yet: add one.</div>}
      </div>
      <div className="qb-add">
        <button
          type="button"
          className="btn btn-sm btn-ghost"
          data-testid={`qb-add-condition-${depth}`}
          onClick={() => onChange({ ...group, items: [...group.items, newCondition(fields[0])] })}
        >
          <IconPlus size={12} /> Condition
        </button>
        {depth < 4 && (
          <button
            type="button"
            className="btn btn-sm btn-ghost"
            data-testid={`qb-add-group-${depth}`}
            onClick={() =>
              onChange({ ...group, items: [...group.items, { kind: group.kind === "and" ? "or" : "and", items: [newCondition(fields[0])] }] })
            }
          >
            <IconPlus size={12} /> Group
          </button>
        )}
      </div>
    </div>
  );
}

function ConditionRow({
  expr,
  negated,
  fields,
  segmentNames,
  onChange,
  onNegate,
  onRemove,
}: {
  expr: Expr;
  negated: boolean;
  fields: FieldInfo[];
  segmentNames: string[];
  onChange: (e: Expr) => void;
  onNegate: (n: boolean) => void;
  onRemove: () => void;
}) {
  const groups = Array.from(new Set(fields.map((f) => f.group)));
  const isSegment = expr.kind === "inSegment";
  const cond = expr.kind === "cond" ? (expr as Condition) : null;
  const field = cond ? fields.find((f) => f.name === cond.field) : undefined;
  const setCond = (c: Condition) => onChange({ kind: "cond", ...c });

  return (
    <div className="qb-row" data-testid="qb-condition">
      <label className="qb-not" title="Leads that do NOT match this condition">
        <input type="checkbox" checked={negated} onChange={(e) => onNegate(e.target.checked)} /> not
      </label>
      <select
        className="input qb-field"
        aria-label="Field"
        data-testid="qb-field"
        value={isSegment ? "__segment" : (cond?.field ?? "")}
        onChange={(e) => {
          if (e.target.value === "__segment") {
            onChange({ kind: "inSegment", name: segmentNames[0] ?? "" });
            return;
          }
          const f = fields.find((x) => x.name === e.target.value);
          if (f) setCond(withField(f));
        }}
      >
        {groups.map((g) => (
          <optgroup key={g} label={g}>
            {fields
              .filter((f) => f.group === g)
              .map((f) => (
                <option key={f.name} value={f.name}>
                  {f.label}
                </option>
              ))}
          </optgroup>
        ))}
        {cond && !field && <option value={cond.field}>{cond.field}</option>}
        {segmentNames.length > 0 && (
          <optgroup label="Segments">
            <option value="__segment">In segment…</option>
          </optgroup>
        )}
      </select>
      {isSegment && expr.kind === "inSegment" && (
        <select
          className="input"
          aria-label="Segment"
          value={expr.name}
          onChange={(e) => onChange({ kind: "inSegment", name: e.target.value })}
        >
          {!segmentNames.includes(expr.name) && <option value={expr.name}>{expr.name}</option>}
          {segmentNames.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      )}
      {cond && field?.kind === "count" && (
        <WindowEditor cond={cond} onChange={setCond} />
      )}
      {cond && (
        <select
          className="input qb-op"
          aria-label="Operator"
          data-testid="qb-op"
          value={cond.op}
          onChange={(e) => setCond(withOp(cond, e.target.value as Condition["op"], field?.kind ?? "text"))}
        >
          {(field?.operators ?? [cond.op]).map((op) => (
            <option key={op} value={op}>
              {(field?.kind === "date" ? DATE_OP_LABELS[op] : undefined) ?? OP_LABELS[op]}
            </option>
          ))}
        </select>
      )}
      {cond && field && <ValueEditor cond={cond} field={field} onChange={setCond} />}
      <div className="spacer" />
      <button type="button" className="icon-btn" aria-label="Remove condition" data-testid="qb-remove" onClick={onRemove}>
        <IconX size={13} />
      </button>
    </div>
  );
}

function WindowEditor({ cond, onChange }: { cond: Condition; onChange: (c: Condition) => void }) {
  const w = cond.window;
  return (
    <span className="qb-window">
      <select
        className="input"
        aria-label="Time window"
        value={w ? `${w.amount}${w.unit}` : "all"}
        onChange={(e) => {
          const v = e.target.value;
          onChange({ ...cond, window: v === "all" ? null : { amount: Number(v.slice(0, -1)), unit: v.slice(-1) as Unit } });
        }}
      >
        <option value="7d">in the last 7 days</option>
        <option value="30d">in the last 30 days</option>
        <option value="90d">in the last 90 days</option>
        <option value="1y">in the last year</option>
        <option value="all">ever</option>
        {w && !["7d", "30d", "90d", "1y"].includes(`${w.amount}${w.unit}`) && (
          <option value={`${w.amount}${w.unit}`}>
            in the last {w.amount} {UNIT_LABELS[w.unit]}
          </option>
        )}
      </select>
    </span>
  );
}

function ValueEditor({ cond, field, onChange }: { cond: Condition; field: FieldInfo; onChange: (c: Condition) => void }) {
  const [choices, setChoices] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    if (field.kind === "choice" || field.kind === "custom" || field.name === "company.industry") {
      void fieldValues(field.name).then((v) => live && setChoices(v));
    } else {
      setChoices([]);
    }
    return () => {
      live = false;
    };
  }, [field.name, field.kind]);

  if (cond.op === "is_empty" || cond.op === "is_not_empty") return null;
  const set = (v: Value) => onChange({ ...cond, values: [v] });
  const listId = choices.length ? `qb-values-${field.name}` : undefined;
  const datalist = listId && (
    <datalist id={listId}>
      {choices.map((c) => (
        <option key={c} value={c} />
      ))}
    </datalist>
  );

  if (cond.op === "in") {
    return (
      <>
        <ListInput
          values={cond.values}
          kind={field.kind}
          listId={listId}
          onChange={(values) => onChange({ ...cond, values })}
        />
        {datalist}
      </>
    );
  }
  const v = cond.values[0];
  switch (field.kind) {
    case "bool":
      return (
        <select className="input qb-value" aria-label="Value" value={valueText(v)} onChange={(e) => set({ type: "bool", value: e.target.value === "true" })}>
          <option value="true">yes</option>
          <option value="false">no</option>
        </select>
      );
    case "number":
    case "count":
      return (
        <input
          className="input qb-value qb-number tabular"
          type="number"
          aria-label="Value"
          data-testid="qb-value"
          value={v?.type === "number" ? v.value : 0}
          onChange={(e) => set({ type: "number", value: e.target.value === "" ? 0 : Number(e.target.value) })}
        />
      );
    case "date":
      return <DateValue value={v} onChange={set} />;
    case "choice":
      return (
        <select className="input qb-value" aria-label="Value" data-testid="qb-value" value={valueText(v)} onChange={(e) => set({ type: "text", value: e.target.value })}>
          {!choices.includes(valueText(v)) && <option value={valueText(v)}>{valueText(v) || "—"}</option>}
          {choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      );
    default:
      return (
        <>
          <input
            className="input qb-value"
            aria-label="Value"
            data-testid="qb-value"
            list={listId}
            value={valueText(v)}
            onChange={(e) => {
              const text = e.target.value;
              // A custom field compared with a number compares as a number.
              const n = Number(text);
              set(field.kind === "custom" && text.trim() !== "" && Number.isFinite(n) && /^-?\d/.test(text.trim()) ? { type: "number", value: n } : { type: "text", value: text });
            }}
          />
          {datalist}
        </>
      );
  }
}

/** Comma-separated values; keeps what is typed until it is complete. */
function ListInput({
  values,
  kind,
  listId,
  onChange,
}: {
  values: Value[];
  kind: FieldInfo["kind"];
  listId: string | undefined;
  onChange: (v: Value[]) => void;
}) {
  const [text, setText] = useState(listText(values));
  useEffect(() => {
    if (listText(parseList(text, kind)) !== listText(values)) setText(listText(values));
    // Only outside changes (text edits) resync the box.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [values]);
  return (
    <input
      className="input qb-value qb-list"
      aria-label="Values, separated by commas"
      placeholder="a, b, c"
      data-testid="qb-value"
      list={listId}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const parsed = parseList(e.target.value, kind);
        if (parsed.length) onChange(parsed);
      }}
    />
  );
}

type DateMode = "relative" | "date" | "period";

function DateValue({ value, onChange }: { value: Value | undefined; onChange: (v: Value) => void }) {
  const mode: DateMode = value?.type === "date" ? "date" : value?.type === "period" ? "period" : "relative";
  return (
    <span className="qb-date">
      <select
        className="input"
        aria-label="Kind of date"
        value={mode}
        onChange={(e) => {
          const m = e.target.value as DateMode;
          if (m === "relative") onChange({ type: "relative", value: { amount: -30, unit: "d" } });
          else if (m === "date") onChange({ type: "date", value: new Date().toISOString().slice(0, 10) });
          else onChange({ type: "period", value: "this_month" });
        }}
      >
        <option value="relative">time ago</option>
        <option value="date">a date</option>
        <option value="period">a period</option>
      </select>
      {value?.type === "relative" && (
        <>
          <input
            className="input qb-number tabular"
            type="number"
            min={0}
            aria-label="How long ago"
            value={-value.value.amount}
            onChange={(e) => onChange({ type: "relative", value: { ...value.value, amount: -Math.abs(Number(e.target.value) || 0) } })}
          />
          <select
            className="input"
            aria-label="Unit"
            value={value.value.unit}
            onChange={(e) => onChange({ type: "relative", value: { ...value.value, unit: e.target.value as Unit } })}
          >
            {(Object.keys(UNIT_LABELS) as Unit[]).map((u) => (
              <option key={u} value={u}>
                {UNIT_LABELS[u]} ago
              </option>
            ))}
          </select>
        </>
      )}
      {value?.type === "date" && (
        <input className="input" type="date" aria-label="Date" value={value.value} onChange={(e) => e.target.value && onChange({ type: "date", value: e.target.value })} />
      )}
      {value?.type === "period" && (
        <select className="input" aria-label="Period" value={value.value} onChange={(e) => onChange({ type: "period", value: e.target.value as Period })}>
          {(Object.keys(PERIOD_LABELS) as Period[]).map((p) => (
            <option key={p} value={p}>
              {PERIOD_LABELS[p]}
            </option>
          ))}
        </select>
      )}
    </span>
  );
}
