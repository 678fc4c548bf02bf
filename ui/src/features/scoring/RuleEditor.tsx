import "./scoring.css";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { commands, type CriteriaKind, type FieldInfo, type RecomputeSummary, type RuleCondition, type ScoringRule } from "../../bindings";
import { routeFormError, toAppError } from "../../core/errors";
import { formatNumber } from "../../core/format";
import { createLatest } from "../../core/latest";
import {
  CHANNELS,
  EVENT_TYPES,
  KINDS,
  RULE_FIELDS,
  conditionLabel,
  conditionsFor,
  emptyRuleForm,
  formFromRule,
  hasRowFilters,
  takesWindow,
  isInquiryKind,
  isNumberKind,
  isRowKind,
  isRuleField,
  localRuleErrors,
  previewText,
  ruleFields,
  rowFields,
  takesValue,
  toRuleInput,
  withField,
  withKind,
  type RuleField,
  type RuleForm,
} from "./scoring";
import { Modal } from "../../core/Modal";
import { FormAlert, Spinner } from "../../core/ui";
import { IconAlert, IconTrendDown, IconTrendUp } from "../../core/icons";

/** How long the editor waits after the last change before counting the leads it would move. */
export const PREVIEW_DEBOUNCE_MS = 400;

type Errors = Partial<Record<RuleField, string>>;
type Preview =
  | { status: "idle" }
  | { status: "hint"; message: string }
  | { status: "counting" }
  | { status: "ok"; summary: RecomputeSummary }
  | { status: "error"; message: string; field: RuleField | null };

/** Field catalog and value suggestions, fetched once per editor. */
const valueCache = new Map<string, Promise<string[]>>();
function fieldValues(field: string): Promise<string[]> {
  let p = valueCache.get(field);
  if (!p) {
    p = commands.segmentFieldValues({ field }).catch(() => []);
    valueCache.set(field, p);
  }
  return p;
}

export function RuleEditor({
  rule,
  onClose,
  onSaved,
}: {
  rule: ScoringRule | null;
  onClose: () => void;
  onSaved: (rule: ScoringRule) => void;
}) {
  const [fields, setFields] = useState<FieldInfo[]>([]);
  const [form, setForm] = useState<RuleForm>(() => (rule ? formFromRule(rule) : emptyRuleForm([])));
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [preview, setPreview] = useState<Preview>({ status: "idle" });
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [focusField, setFocusField] = useState<{ field: RuleField } | null>(null);
  const inputs = useRef<Partial<Record<RuleField, HTMLElement | null>>>({});
  const latest = useRef(createLatest());
  const touchedField = useRef(rule !== null);

  useEffect(() => {
    valueCache.clear();
    commands.segmentFields().then(
      (f) => {
        setFields(f);
        // A new rule starts on "Job title" once the catalog is known (unless already changed).
        if (!touchedField.current) setForm((cur) => (cur.kind === "field" ? withField(cur, emptyRuleForm(f).field, f) : cur));
      },
      () => setFields([]),
    );
  }, []);

  useEffect(() => {
    if (focusField) inputs.current[focusField.field]?.focus();
  }, [focusField]);

  // Suggestions for the value: the values a choice field has, the channels, common event types.
  useEffect(() => {
    let live = true;
    const info = fields.find((f) => f.name === form.field);
    if (form.kind === "field" && info?.kind === "choice") {
      void fieldValues(info.name).then((v) => live && setSuggestions(v));
    } else if (form.kind === "inquiry" && form.field === "channel") {
      setSuggestions(CHANNELS.map((c) => c.value));
    } else if (form.kind === "event" && form.field === "type") {
      setSuggestions(EVENT_TYPES);
    } else {
      setSuggestions([]);
    }
    return () => {
      live = false;
    };
  }, [form.kind, form.field, fields]);

  // Count the leads the change would move, a moment after the last edit.
  useEffect(() => {
    const local = localRuleErrors(form);
    const bad = RULE_FIELDS.find((f) => local[f]);
    if (bad) {
      latest.current.cancel();
      setPreview({ status: "error", message: local[bad]!, field: bad });
      return;
    }
    const input = toRuleInput(form);
    if (takesValue(form.condition) && input.criteria.values.length === 0) {
      // Nothing to count yet: say what is missing instead of a validation error.
      latest.current.cancel();
      setPreview({ status: "hint", message: form.condition === "in" ? "Enter the values to see which leads move" : "Enter a value to see which leads move" });
      return;
    }
    setPreview({ status: "counting" });
    // The name does not move scores: an unnamed draft is previewed all the same.
    if (!input.name) input.name = "Draft rule";
    const timer = setTimeout(() => {
      latest.current.run(() => commands.rulePreviewChange({ change: { id: rule?.id ?? null, input } })).then(
        (res) => !res.stale && setPreview({ status: "ok", summary: res.value }),
        (e: unknown) => {
          const err = toAppError(e);
          setPreview({ status: "error", message: err.message, field: isRuleField(err.field) ? err.field : null });
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [form, rule]);

  const update = (next: RuleForm, cleared: RuleField[]) => {
    setForm(next);
    if (cleared.some((f) => errors[f])) {
      setErrors((e) => {
        const next = { ...e };
        for (const f of cleared) delete next[f];
        return next;
      });
    }
    setFormError(null);
  };
  const set =
    <K extends keyof RuleForm>(key: K, errorKey: RuleField = key === "value" ? "values" : (key as RuleField)) =>
    (value: RuleForm[K]) =>
      update({ ...form, [key]: value }, [errorKey]);

  const submit = async () => {
    if (saving) return;
    const local = localRuleErrors(form);
    const firstBad = RULE_FIELDS.find((f) => local[f]);
    if (firstBad) {
      setErrors(local);
      setFocusField({ field: firstBad });
      return;
    }
    setSaving(true);
    setErrors({});
    setFormError(null);
    try {
      const input = toRuleInput(form);
      const saved = rule ? await commands.ruleUpdate({ id: rule.id, input }) : await commands.ruleCreate({ input });
      onSaved(saved);
    } catch (e) {
      routeFormError(e, isRuleField, {
        fieldError: (field, message) => {
          setErrors({ [field]: message });
          setFocusField({ field });
        },
        formError: setFormError,
      });
    } finally {
      setSaving(false);
    }
  };

  const usable = useMemo(() => ruleFields(fields), [fields]);
  const groups = useMemo(() => {
    const by = new Map<string, FieldInfo[]>();
    for (const f of usable) by.set(f.group, [...(by.get(f.group) ?? []), f]);
    return [...by.entries()];
  }, [usable]);
  const conditions = conditionsFor(form.kind, form.field || null, fields);
  const fieldInfo = fields.find((f) => f.name === form.field);
  const inquiry = isInquiryKind(form.kind);
  const invalid = (f: RuleField) => (errors[f] || (preview.status === "error" && preview.field === f) ? true : undefined);
  const ref = (f: RuleField) => (el: HTMLElement | null) => {
    inputs.current[f] = el;
  };
  // "In the last N days": for rules on inquiries or events, and on a count field (logged calls…).
  const windowField = (
    <Field label="In the last" error={errors.windowDays} span={3}>
      <span className="rule-inline">
        <input
          ref={ref("windowDays")}
          className="input tabular rule-days"
          data-testid="rule-window"
          type="number"
          min={1}
          step={1}
          inputMode="numeric"
          value={form.windowDays}
          placeholder="all time"
          aria-label="In the last N days"
          aria-invalid={invalid("windowDays")}
          onChange={(e) => set("windowDays")(e.target.value)}
        />
        <span className="muted">days</span>
      </span>
    </Field>
  );

  return (
    <Modal
      title={rule ? "Edit rule" : "New rule"}
      testId="rule-editor"
      onClose={onClose}
      onSubmit={() => void submit()}
      footer={
        <>
          <RulePreview preview={preview} />
          <button type="button" className="btn" data-testid="rule-cancel" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" data-testid="rule-save" disabled={saving}>
            {saving && <Spinner label="Saving" />}
            {rule ? "Save and re-score" : "Add rule"}
          </button>
        </>
      }
    >
      <FormAlert message={formError} />
      <div className="form-grid">
        <Field label="Name" error={errors.name} full>
          <input
            ref={ref("name")}
            className="input"
            data-testid="rule-name"
            data-autofocus
            value={form.name}
            placeholder="e.g. Decision makers"
            aria-invalid={invalid("name")}
            onChange={(e) => set("name")(e.target.value)}
          />
        </Field>

        <div className="form-section">When</div>
        <div className="rule-criteria full">
          <Field label="Looks at" span={needsFieldSpan(form.kind)}>
            <select
              className="input"
              data-testid="rule-kind"
              value={form.kind}
              onChange={(e) => {
                touchedField.current = true;
                update(withKind(form, e.target.value as CriteriaKind, fields), ["field", "condition", "values", "perMatch", "ofType", "windowDays"]);
              }}
            >
              {KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </select>
          </Field>
          {(form.kind === "field" || isRowKind(form.kind)) && (
            <Field label={form.kind === "field" ? "Field" : inquiry ? "Inquiry’s" : "Event’s"} error={errors.field} span={2}>
              <select
                ref={ref("field")}
                className="input"
                data-testid="rule-field"
                value={form.field}
                aria-invalid={invalid("field")}
                onChange={(e) => {
                  touchedField.current = true;
                  update(withField(form, e.target.value, fields), ["field", "condition"]);
                }}
              >
                {form.kind === "field" ? (
                  <>
                    {/* The field being edited stays selectable even if the catalog no longer lists it. */}
                    {form.field && !usable.some((f) => f.name === form.field) && <option value={form.field}>{form.field}</option>}
                    {groups.map(([group, list]) => (
                      <optgroup key={group} label={group}>
                        {list.map((f) => (
                          <option key={f.name} value={f.name}>
                            {f.label}
                          </option>
                        ))}
                      </optgroup>
                    ))}
                  </>
                ) : (
                  rowFields(form.kind).map((f) => (
                    <option key={f.value} value={f.value}>
                      {f.label}
                    </option>
                  ))
                )}
              </select>
            </Field>
          )}
          <Field label="Condition" error={errors.condition} span={needsFieldSpan(form.kind)}>
            <select
              ref={ref("condition")}
              className="input"
              data-testid="rule-condition"
              value={form.condition}
              aria-invalid={invalid("condition")}
              onChange={(e) => set("condition")(e.target.value as RuleCondition)}
            >
              {!conditions.includes(form.condition) && <option value={form.condition}>{conditionLabel(form.condition, form.kind)}</option>}
              {conditions.map((c) => (
                <option key={c} value={c}>
                  {conditionLabel(c, form.kind)}
                </option>
              ))}
            </select>
          </Field>
          {takesValue(form.condition) && (
            <Field
              label={form.condition === "in" ? "Values" : isNumberKind(form.kind) ? (form.kind === "days_since_activity" ? "Days" : "Number") : "Value"}
              hint={form.condition === "in" ? "Separate values with commas." : undefined}
              error={errors.values}
              span={6}
            >
              <ValueInput
                form={form}
                fieldInfo={fieldInfo}
                suggestions={suggestions}
                invalid={invalid("values")}
                inputRef={ref("values")}
                onChange={set("value")}
              />
            </Field>
          )}
          {hasRowFilters(form.kind) && (
            <>
              <Field label={inquiry ? "Channel" : "Of type"} error={errors.ofType} span={3}>
                {inquiry ? (
                  <select
                    ref={ref("ofType")}
                    className="input"
                    data-testid="rule-of-type"
                    value={form.ofType}
                    aria-invalid={invalid("ofType")}
                    onChange={(e) => set("ofType")(e.target.value)}
                  >
                    <option value="">Any channel</option>
                    {CHANNELS.map((c) => (
                      <option key={c.value} value={c.value}>
                        {c.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <>
                    <input
                      ref={ref("ofType")}
                      className="input"
                      data-testid="rule-of-type"
                      list="rule-event-types"
                      value={form.ofType}
                      placeholder="Any type"
                      spellCheck={false}
                      aria-invalid={invalid("ofType")}
                      onChange={(e) => set("ofType")(e.target.value)}
                    />
                    <datalist id="rule-event-types">
                      {EVENT_TYPES.map((t) => (
                        <option key={t} value={t} />
                      ))}
                    </datalist>
                  </>
                )}
              </Field>
              {windowField}
            </>
          )}
          {!hasRowFilters(form.kind) && takesWindow(form, fields) && windowField}
        </div>

        <div className="form-section">Then</div>
        <Field label="Points" error={errors.points} hint="From −100 to 100; negative points lower the score.">
          <input
            ref={ref("points")}
            className={`input tabular rule-points${pointsTone(form.points)}`}
            data-testid="rule-points"
            type="number"
            min={-100}
            max={100}
            step={1}
            value={form.points}
            aria-invalid={invalid("points")}
            onChange={(e) => set("points")(e.target.value)}
          />
        </Field>
        <div className="field rule-checks">
          <span className="label">Counting</span>
          <label className={`check${isRowKind(form.kind) ? "" : " is-disabled"}`} title={isRowKind(form.kind) ? undefined : "Only rules on each inquiry or event can count every match"}>
            <input
              ref={ref("perMatch")}
              type="checkbox"
              data-testid="rule-per-match"
              checked={form.perMatch}
              disabled={!isRowKind(form.kind)}
              onChange={(e) => set("perMatch")(e.target.checked)}
            />
            {isRowKind(form.kind) ? `Points for every matching ${inquiry ? "inquiry" : "event"}` : "Once per lead"}
          </label>
          {errors.perMatch && <span className="field-error">{errors.perMatch}</span>}
        </div>

        <div className="form-section">Applies</div>
        <div className="field full">
          <label className="check">
            <input
              ref={ref("active")}
              type="checkbox"
              data-testid="rule-active"
              checked={form.active}
              onChange={(e) => set("active")(e.target.checked)}
            />
            Active
            <span className="faint">— inactive rules are kept but give no points</span>
          </label>
        </div>
        <Field label="Valid from" optional error={errors.validFrom}>
          <input
            ref={ref("validFrom")}
            className="input tabular picker"
            data-testid="rule-valid-from"
            type="date"
            value={form.validFrom}
            aria-invalid={invalid("validFrom")}
            onChange={(e) => set("validFrom")(e.target.value)}
          />
        </Field>
        <Field label="Valid until" optional error={errors.validUntil}>
          <input
            ref={ref("validUntil")}
            className="input tabular picker"
            data-testid="rule-valid-until"
            type="date"
            value={form.validUntil}
            aria-invalid={invalid("validUntil")}
            onChange={(e) => set("validUntil")(e.target.value)}
          />
        </Field>
      </div>
    </Modal>
  );
}

/** Criteria cells share a 6-column grid: with a field, three in a row; without, two. */
function needsFieldSpan(kind: CriteriaKind): number {
  return kind === "field" || isRowKind(kind) ? 2 : 3;
}

function pointsTone(points: string): string {
  const n = Number(points);
  if (!Number.isFinite(n) || n === 0 || points.trim() === "") return "";
  return n > 0 ? " is-positive" : " is-negative";
}

function Field({
  label,
  error,
  hint,
  optional,
  full,
  span,
  children,
}: {
  label: string;
  error?: string;
  hint?: string;
  optional?: boolean;
  full?: boolean;
  span?: number;
  children: ReactNode;
}) {
  const cls = `field${full ? " full" : ""}${span ? ` span-${span}` : ""}`;
  return (
    <label className={cls}>
      <span className="label">
        {label}
        {optional && <span className="opt"> (optional)</span>}
      </span>
      {children}
      {error ? (
        <span className="field-error" data-testid="rule-field-error">
          <IconAlert size={13} />
          {error}
        </span>
      ) : (
        hint && <span className="rule-hint">{hint}</span>
      )}
    </label>
  );
}

/** The value box, shaped by what is tested: a number, a date, yes / no, or text. */
function ValueInput({
  form,
  fieldInfo,
  suggestions,
  invalid,
  inputRef,
  onChange,
}: {
  form: RuleForm;
  fieldInfo: FieldInfo | undefined;
  suggestions: string[];
  invalid: true | undefined;
  inputRef: (el: HTMLElement | null) => void;
  onChange: (v: string) => void;
}) {
  const many = form.condition === "in";
  const kind = form.kind === "field" ? fieldInfo?.kind : undefined;
  if (!many && kind === "bool") {
    return (
      <select ref={inputRef} className="input" data-testid="rule-value" value={form.value} aria-invalid={invalid} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose…</option>
        <option value="yes">Yes</option>
        <option value="no">No</option>
      </select>
    );
  }
  const number = !many && (isNumberKind(form.kind) || kind === "number");
  const date = !many && kind === "date";
  const placeholder = many
    ? "e.g. ceo, founder, owner"
    : form.kind === "email_domain"
      ? "e.g. example.com"
      : form.kind === "inquiry" && form.field === "message"
        ? "e.g. pricing"
        : form.kind === "event" && form.field === "value"
          ? "e.g. /pricing"
          : number
            ? "0"
            : "";
  return (
    <>
      <input
        ref={inputRef}
        className={`input${number ? " tabular" : ""}${date ? " picker" : ""}`}
        data-testid="rule-value"
        type={number ? "number" : date ? "date" : "text"}
        min={isNumberKind(form.kind) ? 0 : undefined}
        value={form.value}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        list={suggestions.length && !number && !date ? "rule-value-suggestions" : undefined}
        aria-invalid={invalid}
        onChange={(e) => onChange(e.target.value)}
      />
      {suggestions.length > 0 && (
        <datalist id="rule-value-suggestions">
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
    </>
  );
}

/** "This change would raise 12,345 leads and lower 210", "Counting…", or what is wrong. */
function RulePreview({ preview }: { preview: Preview }) {
  return (
    <div className={`rule-preview rule-preview-${preview.status}`} data-testid="rule-preview" aria-live="polite">
      {preview.status === "counting" && (
        <>
          <Spinner label="Counting" />
          <span>Counting…</span>
        </>
      )}
      {preview.status === "ok" && (
        <>
          {preview.summary.lowered > preview.summary.raised ? <IconTrendDown size={14} /> : <IconTrendUp size={14} />}
          <span>
            {previewText(preview.summary)}
            {preview.summary.crossings > 0 && (
              <span className="faint tabular">
                {" "}
                · {formatNumber(preview.summary.crossings)} {preview.summary.crossings === 1 ? "crosses" : "cross"} a threshold
              </span>
            )}
          </span>
        </>
      )}
      {preview.status === "hint" && <span>{preview.message}</span>}
      {preview.status === "error" && (
        <>
          <IconAlert size={14} />
          <span>{preview.message}</span>
        </>
      )}
    </div>
  );
}
