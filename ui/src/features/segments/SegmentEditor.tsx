import "./segments.css";
import { useEffect, useMemo, useRef, useState } from "react";
import {
  commands,
  type AppError,
  type Expr,
  type FieldInfo,
  type LeadRow,
  type QueryError,
  type RefreshMode,
  type Segment,
  type SegmentKind,
  type SegmentSaved,
} from "../../bindings";
import { invalidate } from "../../core/data";
import { createLatest } from "../../core/latest";
import { toAppError } from "../../core/errors";
import { formatNumber, fullName } from "../../core/format";
import { prune } from "./segmentQuery";
import { QueryBuilder, clearFieldValueCache } from "./QueryBuilder";
import { ScoreBadge, Spinner, StageChip } from "../../core/ui";
import { IconAlert } from "../../core/icons";

/** How long typing pauses before the query is checked and counted. */
export const CHECK_DEBOUNCE_MS = 250;

const EMPTY: Expr = { kind: "and", items: [] };

export function SegmentEditor({
  segment,
  segments,
  onCancel,
  onSaved,
}: {
  segment: Segment | null;
  segments: Segment[];
  onCancel: () => void;
  onSaved: (saved: SegmentSaved) => void;
}) {
  const [name, setName] = useState(segment?.name ?? "");
  const [kind, setKind] = useState<SegmentKind>(segment?.kind ?? "dynamic");
  const [mode, setMode] = useState<RefreshMode>(segment?.refreshMode ?? "manual");
  const [every, setEvery] = useState<number>(segment?.refreshEveryMinutes ?? 60);
  const [text, setText] = useState(segment?.query ?? "");
  const [ast, setAst] = useState<Expr>(EMPTY);
  const [queryError, setQueryError] = useState<QueryError | null>(null);
  const [count, setCount] = useState<{ n: number; ms: number } | null>(null);
  const [checking, setChecking] = useState(false);
  const [preview, setPreview] = useState<LeadRow[]>([]);
  const [fields, setFields] = useState<FieldInfo[]>([]);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<AppError | null>(null);
  const fromBuilder = useRef(false);
  const latest = useRef(createLatest());
  const textRef = useRef<HTMLTextAreaElement | null>(null);

  useEffect(() => {
    clearFieldValueCache();
    commands.segmentFields().then(setFields, () => setFields([]));
  }, []);

  // Check, count and preview the query a moment after it stops changing.
  useEffect(() => {
    if (kind !== "dynamic") return;
    const query = text.trim();
    if (!query) {
      latest.current.cancel();
      setQueryError(null);
      setCount(null);
      setPreview([]);
      setChecking(false);
      if (!fromBuilder.current) setAst(EMPTY);
      fromBuilder.current = false;
      return;
    }
    setChecking(true);
    const timer = setTimeout(() => {
      latest.current
        .run(async () => {
          const check = await commands.segmentCheckQuery({ text: query, count: true });
          const rows = check.error ? [] : await commands.segmentPreviewQuery({ text: query, limit: 8 });
          return { check, rows };
        })
        .then(
          (res) => {
            if (res.stale) return;
            const { check, rows } = res.value;
            setChecking(false);
            setQueryError(check.error);
            if (check.count != null) setCount({ n: check.count, ms: check.durationMs ?? 0 });
            setPreview(rows);
            // Typed text drives the builder; the builder's own edits are already in it.
            if (check.ast && !fromBuilder.current) setAst(check.ast);
            fromBuilder.current = false;
          },
          (e: unknown) => {
            setChecking(false);
            setQueryError({ line: 1, column: 1, offset: 0, message: toAppError(e).message });
          },
        );
    }, CHECK_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, kind]);

  const builderChanged = (next: Expr) => {
    setAst(next);
    const pruned = prune(next);
    fromBuilder.current = true;
    if (!pruned) {
      setText("");
      return;
    }
    commands.segmentFormatQuery({ ast: pruned }).then(
      (t) => setText(t),
      (e: unknown) => setQueryError({ line: 1, column: 1, offset: 0, message: toAppError(e).message }),
    );
  };

  const otherSegments = useMemo(() => segments.filter((s) => s.id !== segment?.id).map((s) => s.name), [segments, segment]);

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    const input = {
      name,
      description: segment?.description ?? null,
      kind,
      query: kind === "dynamic" ? text : null,
      refreshMode: kind === "static" ? ("manual" as const) : mode,
      refreshEveryMinutes: mode === "schedule" ? every : null,
    };
    try {
      const saved = segment ? await commands.segmentUpdate({ id: segment.id, input }) : await commands.segmentCreate({ input });
      // Memberships were re-evaluated: segment reads and the members' timelines are stale.
      invalidate(["segments", "leads"]);
      onSaved(saved);
    } catch (e) {
      setSaveError(toAppError(e));
    } finally {
      setSaving(false);
    }
  };

  const errorAt = queryError ? Math.min(queryError.offset, text.length) : null;

  return (
    <div className="seg-editor" data-testid="segment-editor">
      <div className="seg-editor-main">
        <div className="seg-form-row">
          <label className="field seg-name">
            <span className="label">Name</span>
            <input
              className="input"
              data-testid="segment-name"
              data-autofocus
              value={name}
              placeholder="e.g. Hot leads in EMEA"
              onChange={(e) => setName(e.target.value)}
            />
            {saveError?.field === "name" && <span className="field-error">{saveError.message}</span>}
          </label>
          {!segment && (
            <div className="field">
              <span className="label">Members</span>
              <div className="qb-joiner" role="radiogroup" aria-label="Kind">
                <button type="button" role="radio" aria-checked={kind === "dynamic"} className={kind === "dynamic" ? "on" : ""} onClick={() => setKind("dynamic")} data-testid="kind-dynamic">
                  By query
                </button>
                <button type="button" role="radio" aria-checked={kind === "static"} className={kind === "static" ? "on" : ""} onClick={() => setKind("static")} data-testid="kind-static">
                  Hand-picked
                </button>
              </div>
            </div>
          )}
          {kind === "dynamic" && (
            <label className="field">
              <span className="label">Refresh</span>
              <span className="seg-mode">
                <select className="input" data-testid="segment-mode" value={mode} onChange={(e) => setMode(e.target.value as RefreshMode)}>
                  <option value="manual">by hand</option>
                  <option value="schedule">on a schedule</option>
                  <option value="automatic">automatically, as leads change</option>
                </select>
                {mode === "schedule" && (
                  <>
                    <span className="muted">every</span>
                    <input className="input qb-number tabular" type="number" min={1} aria-label="Minutes" value={every} onChange={(e) => setEvery(Number(e.target.value) || 1)} />
                    <span className="muted">min</span>
                  </>
                )}
              </span>
              {saveError?.field === "refreshEveryMinutes" && <span className="field-error">{saveError.message}</span>}
            </label>
          )}
        </div>

        {kind === "static" ? (
          <p className="muted seg-static-note">
            A hand-picked segment has no query: add leads from a lead’s panel (Segments → Add to…). Its history records every change.
          </p>
        ) : (
          <>
            <div className="section-title">Conditions</div>
            <QueryBuilder expr={ast} fields={fields} segmentNames={otherSegments} onChange={builderChanged} />
            <div className="section-title" id="segment-query-label">
              Query
            </div>
            <div className={`seg-query${queryError ? " has-error" : ""}`}>
              <textarea
                ref={textRef}
                className="input mono"
                data-testid="segment-query"
                spellCheck={false}
                rows={3}
                value={text}
                placeholder='score >= 50 and stage in (Qualified, Proposal) and created > -30d'
                onChange={(e) => {
                  fromBuilder.current = false;
                  setText(e.target.value);
                }}
                aria-invalid={queryError ? true : undefined}
                aria-labelledby="segment-query-label"
                aria-describedby="segment-query-help"
              />
              {queryError && errorAt != null && (
                <div className="seg-query-error" role="alert" data-testid="segment-query-error">
                  <IconAlert size={14} />
                  <span>
                    {queryError.message} <span className="muted">(line {queryError.line}, col {queryError.column})</span>
                  </span>
                  <button
                    type="button"
                    className="link-btn"
                    onClick={() => {
                      textRef.current?.focus();
                      textRef.current?.setSelectionRange(errorAt, Math.min(errorAt + 1, text.length));
                    }}
                  >
                    Show
                  </button>
                </div>
              )}
              <div id="segment-query-help" className="seg-help muted">
                Fields like <code>score</code>, <code>stage</code>, <code>company.size</code>, <code>custom.region</code>,{" "}
                <code>inquiries(30d)</code>; <code>= != &gt; &gt;= &lt; &lt;= contains starts_with ends_with in</code>,{" "}
                <code>is empty</code>; <code>and or not ( )</code>; dates like <code>-30d</code>, <code>2026-11-01</code>,{" "}
                <code>this_month</code>; <code>in_segment("Name")</code>.
              </div>
            </div>
          </>
        )}
        {saveError && saveError.field !== "name" && saveError.field !== "refreshEveryMinutes" && (
          <div className="form-alert" role="alert" data-testid="segment-save-error">
            {saveError.message}
          </div>
        )}
        <div className="seg-editor-actions">
          <button type="button" className="btn" onClick={onCancel} data-testid="segment-cancel">
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="segment-save"
            disabled={saving || !name.trim() || (kind === "dynamic" && (!text.trim() || queryError != null))}
            onClick={() => void save()}
          >
            {saving ? "Saving…" : segment ? "Save and refresh" : "Create segment"}
          </button>
        </div>
      </div>
      {kind === "dynamic" && (
        <aside className="seg-preview" aria-label="Matching leads">
          <div className="seg-count" data-testid="segment-live-count" aria-live="polite">
            {checking && <Spinner label="Counting" />}
            <span className="seg-count-n tabular">{count ? formatNumber(count.n) : "—"}</span>
            <span className="muted">{count ? `matching ${count.n === 1 ? "lead" : "leads"}` : "Type or build a query"}</span>
            {count && <span className="faint tabular seg-count-ms">{count.ms} ms</span>}
          </div>
          <div className="seg-preview-list" data-testid="segment-preview">
            {preview.map((r) => (
              <div key={r.id} className="seg-preview-row">
                <div className="truncate">
                  <div className="truncate seg-preview-name">{fullName(r)}</div>
                  <div className="truncate muted">{r.companyName ?? r.email ?? ""}</div>
                </div>
                <StageChip name={r.stageName} color={r.stageColor} />
                <ScoreBadge score={r.score} />
              </div>
            ))}
            {count && count.n > preview.length && (
              <div className="muted seg-preview-more tabular">and {formatNumber(count.n - preview.length)} more</div>
            )}
          </div>
        </aside>
      )}
    </div>
  );
}
