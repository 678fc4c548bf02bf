import "./scoring.css";
import { useCallback, useEffect, useState } from "react";
import { commands, type RecomputeSummary, type RuleInput, type ScoringRule, type ScoringSettings, type Threshold } from "../../bindings";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { routeFormError, toAppError } from "../../core/errors";
import { formatNumber } from "../../core/format";
import { bucketLabel, signed } from "./scoring";
import { dismissScoringJob, recomputeScores, useScoringJob, type ScoringJob } from "./scoringJob";
import { RuleEditor } from "./RuleEditor";
import { ErrorState, FormAlert, Spinner } from "../../core/ui";
import { useToast } from "../../core/Toasts";
import { IconAlert, IconCheck, IconEmptyScoring, IconPencil, IconPlus, IconTrash, IconX } from "../../core/icons";

type Editor = { rule: ScoringRule | null };

export function inputOf(rule: ScoringRule): RuleInput {
  return {
    name: rule.name,
    criteria: rule.criteria,
    points: rule.points,
    perMatch: rule.perMatch,
    active: rule.active,
    validFrom: rule.validFrom,
    validUntil: rule.validUntil,
  };
}

const RULE_LIST = ["rules", "list"] as const;

export function ScoringView() {
  const toast = useToast();
  const job = useScoringJob();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: RULE_LIST, queryFn: () => commands.ruleList() });
  const rules = list.data ?? null;
  const error = list.error ? toAppError(list.error) : null;
  const load = () => void list.refetch();
  // Edits show at once; the refetch that follows brings the rest up to date.
  const setRules = (update: (prev: ScoringRule[] | undefined) => ScoringRule[] | undefined) =>
    queryClient.setQueryData(RULE_LIST, update);
  const [editor, setEditor] = useState<Editor | null>(null);

  const saved = (rule: ScoringRule) => {
    setEditor(null);
    setRules((prev) => {
      const list = prev ?? [];
      return list.some((r) => r.id === rule.id) ? list.map((r) => (r.id === rule.id ? rule : r)) : [...list, rule];
    });
    load();
    void recomputeScores(`Rule “${rule.name}” saved`);
  };

  const toggle = async (rule: ScoringRule) => {
    const active = !rule.active;
    setRules((prev) => prev?.map((r) => (r.id === rule.id ? { ...r, active } : r)) ?? prev);
    try {
      const next = await commands.ruleUpdate({ id: rule.id, input: { ...inputOf(rule), active } });
      setRules((prev) => prev?.map((r) => (r.id === rule.id ? next : r)) ?? prev);
      void recomputeScores(`Rule “${rule.name}” turned ${active ? "on" : "off"}`);
    } catch (e) {
      setRules((prev) => prev?.map((r) => (r.id === rule.id ? { ...r, active: rule.active } : r)) ?? prev);
      toast.push("error", `Couldn't turn the rule ${active ? "on" : "off"}: ${toAppError(e).message}`);
    }
  };

  const remove = async (rule: ScoringRule) => {
    try {
      await commands.ruleDelete({ id: rule.id });
      setRules((prev) => prev?.filter((r) => r.id !== rule.id) ?? prev);
      void recomputeScores(`Rule “${rule.name}” removed`);
    } catch (e) {
      toast.push("error", `Couldn't delete the rule: ${toAppError(e).message}`);
    }
  };

  const newRule = () => setEditor({ rule: null });

  return (
    <section className="view" aria-label="Scoring" data-testid="scoring-view">
      <header className="view-header">
        <h1 className="view-title">Scoring</h1>
        <span className="muted tabular" data-testid="rule-count">
          {rules ? `${formatNumber(rules.length)} ${rules.length === 1 ? "rule" : "rules"}` : ""}
        </span>
        <div className="spacer" />
        <button type="button" className="btn btn-primary" data-testid="new-rule" onClick={newRule}>
          <IconPlus size={13} />
          New rule
        </button>
      </header>
      <div className="scoring-scroll">
        <RecomputeCard job={job} />
        <div className="scoring-grid">
          <div className="scoring-card scoring-rules" data-testid="rules-card">
            <h2 className="scoring-h2">
              Rules
              <span className="count">Points add up to a score from 0 to 100.</span>
            </h2>
            {error && <ErrorState title="Couldn't load the rules" message={error.message} onRetry={load} />}
            {!rules && !error && (
              <div className="center-pad">
                <Spinner label="Loading rules" />
              </div>
            )}
            {rules && rules.length === 0 && (
              <div className="empty-state scoring-empty" data-testid="rules-empty">
                <span className="empty-illustration">
                  <IconEmptyScoring />
                </span>
                <h2>No scoring rules yet</h2>
                <p>
                  A rule gives a lead points when it matches — “job title contains CEO: +15”, “each visit to the pricing page: +5”,
                  “no activity for 90 days: −20”. Every lead’s score is the sum, kept between 0 and 100 and updated as leads change.
                </p>
                <button type="button" className="btn btn-primary" data-testid="new-rule-empty" onClick={newRule}>
                  <IconPlus size={13} /> New rule
                </button>
              </div>
            )}
            {rules && rules.length > 0 && (
              <ul className="rule-list" data-testid="rule-list">
                {rules.map((r) => (
                  <RuleRow key={r.id} rule={r} onToggle={() => void toggle(r)} onEdit={() => setEditor({ rule: r })} onDelete={() => remove(r)} />
                ))}
              </ul>
            )}
          </div>
          <div className="scoring-side">
            <DistributionCard />
            <SettingsCard />
          </div>
        </div>
      </div>
      {editor && <RuleEditor key={editor.rule?.id ?? "new"} rule={editor.rule} onClose={() => setEditor(null)} onSaved={saved} />}
    </section>
  );
}

/** "Nov 1, 2026" for a local day "2026-11-01" (not shifted by the time zone). */
function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

function validity(rule: ScoringRule): { text: string; over: boolean } | null {
  const { validFrom: from, validUntil: until } = rule;
  if (!from && !until) return null;
  const now = today();
  const over = (until !== null && until < now) || (from !== null && from > now);
  if (from && until) return { text: `${formatDay(from)} – ${formatDay(until)}`, over };
  if (from) return { text: `from ${formatDay(from)}`, over };
  return { text: `until ${formatDay(until!)}`, over };
}

export function PointsBadge({ points, perMatch }: { points: number; perMatch?: boolean }) {
  const tone = points > 0 ? "pos" : points < 0 ? "neg" : "zero";
  return (
    <span className={`points points-${tone}`} data-testid="rule-points-badge">
      {signed(points)}
      {perMatch && <span className="points-each">each</span>}
    </span>
  );
}

function RuleRow({
  rule,
  onToggle,
  onEdit,
  onDelete,
}: {
  rule: ScoringRule;
  onToggle: () => void;
  onEdit: () => void;
  onDelete: () => Promise<void>;
}) {
  const [confirming, setConfirming] = useState(false);
  const [impact, setImpact] = useState<RecomputeSummary | "counting" | null>(null);
  const [deleting, setDeleting] = useState(false);
  const valid = validity(rule);

  // What removing it would do, counted while the user decides.
  useEffect(() => {
    if (!confirming || !rule.active) return;
    let live = true;
    setImpact("counting");
    commands.rulePreviewChange({ change: { id: rule.id, input: null } }).then(
      (s) => live && setImpact(s),
      () => live && setImpact(null),
    );
    return () => {
      live = false;
    };
  }, [confirming, rule.id, rule.active]);

  return (
    <li className={`rule-row${rule.active ? "" : " is-off"}`} data-testid="rule-row" data-rule-id={rule.id}>
      <button
        type="button"
        role="switch"
        className="switch"
        aria-checked={rule.active}
        aria-label={`${rule.active ? "Turn off" : "Turn on"} “${rule.name}”`}
        title={rule.active ? "Active — click to turn off" : "Off — click to turn on"}
        data-testid="rule-toggle"
        onClick={onToggle}
      >
        <span className="switch-knob" />
      </button>
      <div className="rule-main">
        <div className="rule-name truncate" title={rule.name}>
          {rule.name}
          {!rule.active && <span className="rule-tag">Off</span>}
          {valid && (
            <span className={`rule-tag${valid.over ? " is-over" : ""}`} title={valid.over ? "Outside its dates: gives no points today" : "Applies only between these dates"}>
              {valid.text}
            </span>
          )}
        </div>
        <div className="rule-summary muted" data-testid="rule-summary">
          {rule.summary}
        </div>
        {rule.broken && (
          <div className="follower-broken" role="note" data-testid="rule-broken">
            <IconAlert size={13} />
            <span>
              Skipped when scoring: {rule.broken} Edit the rule to fix it, or delete it.
            </span>
          </div>
        )}
        {confirming && (
          <div className="rule-confirm" role="alertdialog" aria-label="Confirm delete">
            <span>
              Delete “{rule.name}”?{" "}
              <span className="muted tabular" data-testid="delete-rule-impact">
                {!rule.active
                  ? "It is off, so no score changes."
                  : impact === "counting"
                  ? "Counting the leads it moves…"
                  : impact
                    ? impact.raised + impact.lowered === 0
                      ? "No score would change."
                      : `${formatNumber(impact.lowered)} ${impact.lowered === 1 ? "lead" : "leads"} would go down, ${formatNumber(impact.raised)} up.`
                    : ""}
              </span>
            </span>
            <button type="button" className="btn btn-sm" onClick={() => setConfirming(false)}>
              Keep
            </button>
            <button
              type="button"
              className="btn btn-sm btn-danger-solid"
              data-testid="confirm-delete-rule"
              disabled={deleting}
              autoFocus
              onClick={() => {
                setDeleting(true);
                void onDelete().finally(() => setDeleting(false));
              }}
            >
              {deleting && <Spinner label="Deleting" />}
              Delete
            </button>
          </div>
        )}
      </div>
      <PointsBadge points={rule.points} perMatch={rule.perMatch} />
      <div className="rule-actions">
        <button type="button" className="icon-btn" aria-label={`Edit “${rule.name}”`} title="Edit" data-testid="edit-rule" onClick={onEdit}>
          <IconPencil size={14} />
        </button>
        <button
          type="button"
          className="icon-btn icon-btn-danger"
          aria-label={`Delete “${rule.name}”`}
          title="Delete"
          data-testid="delete-rule"
          disabled={confirming}
          onClick={() => setConfirming(true)}
        >
          <IconTrash size={14} />
        </button>
      </div>
    </li>
  );
}

/** The background re-score: live progress, then what it changed (or why it failed). */
function RecomputeCard({ job }: { job: ScoringJob }) {
  if (job.phase === "idle") return null;
  if (job.phase === "failed") {
    return (
      <ErrorState
        testId="score-progress-error"
        title="Re-scoring failed"
        message={`${job.error.message} Scores stay as they were; run it again to apply the change.`}
        onRetry={() => void recomputeScores(job.detail)}
      />
    );
  }
  if (job.phase === "done") {
    const s = job.summary;
    return (
      <div className="scoring-card recompute-done" data-testid="score-progress-done" role="status">
        <IconCheck size={16} className="recompute-icon" />
        <span>
          Re-scored {formatNumber(s.scored)} {s.scored === 1 ? "lead" : "leads"}: <b className="tabular">{formatNumber(s.raised)}</b> raised,{" "}
          <b className="tabular">{formatNumber(s.lowered)}</b> lowered
          {s.crossings > 0 && (
            <>
              , <b className="tabular">{formatNumber(s.crossings)}</b> crossed a threshold
            </>
          )}
          <span className="faint tabular"> · {formatDuration(s.durationMs)}</span>
        </span>
        <button type="button" className="icon-btn" aria-label="Dismiss" onClick={dismissScoringJob}>
          <IconX size={14} />
        </button>
      </div>
    );
  }
  const p = job.progress;
  const pct = p && p.total > 0 ? Math.min(100, Math.round((p.done / p.total) * 100)) : 0;
  return (
    <div className="scoring-card recompute" data-testid="score-progress" role="status">
      <div className="recompute-head">
        <Spinner label="Re-scoring" />
        <span className="recompute-text tabular" data-testid="score-progress-text">
          {p ? `Re-scoring ${formatNumber(p.done)} of ${formatNumber(p.total)} leads` : "Re-scoring leads…"}
        </span>
        <span className="faint recompute-detail truncate">{job.detail}</span>
      </div>
      <div
        className={`progress${p ? "" : " progress-indeterminate"}`}
        role="progressbar"
        aria-label="Re-scoring progress"
        aria-valuenow={p ? pct : undefined}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div className="progress-bar" style={{ width: p ? `${pct}%` : undefined }} />
      </div>
      <div className="hint">
        You can keep working meanwhile.
        {job.queued && " Another pass follows for your latest change."}
      </div>
    </div>
  );
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${formatNumber(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** How many leads score in each tenth of the range, refreshed when scores change. */
const NO_THRESHOLDS: Threshold[] = [];

function DistributionCard() {
  const query = useQuery({
    queryKey: ["scores", "distribution"],
    // The thresholds only mark the chart: without them it still shows.
    queryFn: () => Promise.all([commands.scoreDistribution(), commands.scoreSettings().catch(() => null)]),
  });
  const buckets = query.data?.[0] ?? null;
  const thresholds: Threshold[] = query.data?.[1]?.thresholds ?? NO_THRESHOLDS;
  const error = query.error ? toAppError(query.error).message : null;
  const load = () => void query.refetch();

  return (
    <div className="scoring-card" data-testid="distribution-card">
      <h2 className="scoring-h2">Score distribution</h2>
      {error && <ErrorState title="Couldn't load the distribution" message={error} onRetry={load} />}
      {!buckets && !error && (
        <div className="center-pad">
          <Spinner label="Loading distribution" />
        </div>
      )}
      {buckets && <ScoreHistogram buckets={buckets} thresholds={thresholds} />}
    </div>
  );
}

/** Ten bars, 0–9 … 90–100, coloured like the score badges; thresholds marked. Plain SVG. */
export function ScoreHistogram({ buckets, thresholds }: { buckets: number[]; thresholds: Threshold[] }) {
  const counts = Array.from({ length: 10 }, (_, i) => buckets[i] ?? 0);
  const total = counts.reduce((a, b) => a + b, 0);
  const max = Math.max(1, ...counts);
  const width = 400;
  const height = 120;
  const gap = 6;
  const bar = (width - gap * 9) / 10;
  const level = (i: number) => (i >= 7 ? "high" : i >= 3 ? "mid" : "low");
  // "2,345 hot": leads at or above a threshold that falls on a bucket boundary.
  const above = thresholds
    .filter((t) => t.score > 0 && t.score <= 100 && t.score % 10 === 0)
    .map((t) => ({ t, n: counts.slice(t.score / 10).reduce((a, b) => a + b, 0) }));
  return (
    <figure className="score-hist" data-testid="score-histogram">
      <figcaption className="muted tabular">
        {formatNumber(total)} {total === 1 ? "lead" : "leads"}
        {above.map(({ t, n }) => (
          <span key={`${t.score}-${t.label}`}>
            {" "}
            · <b>{formatNumber(n)}</b> {t.label} (≥ {t.score})
          </span>
        ))}
      </figcaption>
      <div className="score-hist-plot">
        <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label="Leads by score">
          {counts.map((n, i) => {
            const h = n === 0 ? 1 : Math.max(2, (n / max) * (height - 4));
            return (
              <rect
                key={i}
                x={i * (bar + gap)}
                y={height - h}
                width={bar}
                height={h}
                rx={2}
                className={`hist-bar level-${level(i)}${n === 0 ? " is-empty" : ""}`}
                data-testid="histogram-bar"
                data-count={n}
              >
                <title>
                  Score {bucketLabel(i)}: {formatNumber(n)} {n === 1 ? "lead" : "leads"}
                  {total > 0 ? ` (${Math.round((n / total) * 100)}%)` : ""}
                </title>
              </rect>
            );
          })}
        </svg>
        {thresholds
          .filter((t) => t.score > 0 && t.score < 100)
          .map((t) => (
            <span
              key={`${t.score}-${t.label}`}
              className="score-hist-mark"
              style={{ left: `${markPosition(t.score, bar, gap, width)}%` }}
              title={`${t.label}: score ${t.score} and up`}
            >
              <span className="score-hist-mark-label">{t.label}</span>
            </span>
          ))}
      </div>
      <div className="score-hist-axis tabular" aria-hidden="true">
        {/* The lower bound of each bucket fits under a narrow bar; the full range is its title. */}
        {counts.map((_, i) => (
          <span key={i} title={bucketLabel(i)}>
            {i * 10}
          </span>
        ))}
      </div>
    </figure>
  );
}

/** Where a threshold sits over the bars, in % of the plot width (in the gap before its bucket). */
function markPosition(score: number, bar: number, gap: number, width: number): number {
  const i = Math.floor(score / 10);
  const within = (score % 10) / 10;
  const x = i === 0 ? within * bar : i * (bar + gap) - gap / 2 + within * (bar + gap);
  return (x / width) * 100;
}

type SettingsForm = { decay: boolean; halfLife: string; thresholds: { score: string; label: string }[] };
type SettingsField = "decayHalfLifeDays" | "thresholds";
const isSettingsField = (f: string | null): f is SettingsField => f === "decayHalfLifeDays" || f === "thresholds";

function toForm(s: ScoringSettings): SettingsForm {
  return {
    decay: s.decayHalfLifeDays !== null,
    halfLife: s.decayHalfLifeDays !== null ? String(s.decayHalfLifeDays) : "30",
    thresholds: s.thresholds.map((t) => ({ score: String(t.score), label: t.label })),
  };
}

function sameForm(a: SettingsForm, b: SettingsForm): boolean {
  return JSON.stringify(a.decay ? a : { ...a, halfLife: "" }) === JSON.stringify(b.decay ? b : { ...b, halfLife: "" });
}

/** Decay and thresholds; saving re-scores every lead. */
function SettingsCard() {
  const toast = useToast();
  const [saved, setSaved] = useState<SettingsForm | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [errors, setErrors] = useState<Partial<Record<SettingsField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    commands.scoreSettings().then(
      (s) => {
        const f = toForm(s);
        setSaved(f);
        setForm(f);
        setLoadError(null);
      },
      (e: unknown) => setLoadError(toAppError(e).message),
    );
  }, []);
  useEffect(load, [load]);

  const change = (next: SettingsForm, field: SettingsField) => {
    setForm(next);
    setErrors((e) => ({ ...e, [field]: undefined }));
    setFormError(null);
  };

  const save = async () => {
    if (!form || busy) return;
    const local: Partial<Record<SettingsField, string>> = {};
    const days = Number(form.halfLife);
    if (form.decay && (form.halfLife.trim() === "" || !Number.isFinite(days) || days <= 0)) local.decayHalfLifeDays = "Enter a number of days, e.g. 30.";
    if (form.thresholds.some((t) => !/^\d+$/.test(t.score.trim()))) local.thresholds = "A threshold is a whole score from 1 to 100.";
    if (local.decayHalfLifeDays || local.thresholds) {
      setErrors(local);
      return;
    }
    setBusy(true);
    try {
      const next = await commands.scoreSetSettings({ input: {
        decayHalfLifeDays: form.decay ? days : null,
        thresholds: form.thresholds.map((t) => ({ score: Number(t.score), label: t.label.trim() })),
      } });
      const f = toForm(next);
      setSaved(f);
      setForm(f);
      toast.push("success", "Scoring settings saved — re-scoring all leads");
      void recomputeScores("Scoring settings changed");
    } catch (e) {
      routeFormError(e, isSettingsField, { fieldError: (f, m) => setErrors({ [f]: m }), formError: setFormError });
    } finally {
      setBusy(false);
    }
  };

  if (loadError) {
    return (
      <div className="scoring-card">
        <h2 className="scoring-h2">Settings</h2>
        <ErrorState title="Couldn't load the settings" message={loadError} onRetry={load} />
      </div>
    );
  }
  if (!form || !saved) {
    return (
      <div className="scoring-card">
        <h2 className="scoring-h2">Settings</h2>
        <div className="center-pad">
          <Spinner label="Loading settings" />
        </div>
      </div>
    );
  }
  const dirty = !sameForm(form, saved);
  const setThreshold = (i: number, patch: Partial<{ score: string; label: string }>) =>
    change({ ...form, thresholds: form.thresholds.map((t, j) => (j === i ? { ...t, ...patch } : t)) }, "thresholds");

  return (
    <form
      className="scoring-card scoring-settings"
      data-testid="scoring-settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 className="scoring-h2">Settings</h2>
      <FormAlert message={formError} />
      <div className="settings-block">
        <label className="check">
          <input type="checkbox" data-testid="decay-toggle" checked={form.decay} onChange={(e) => change({ ...form, decay: e.target.checked }, "decayHalfLifeDays")} />
          Engagement fades over time
        </label>
        <div className="settings-row">
          <span className={form.decay ? "muted" : "faint"}>Half-life</span>
          <input
            className="input tabular settings-num"
            type="number"
            min={0.5}
            step={0.5}
            data-testid="decay-half-life"
            aria-label="Half-life in days"
            disabled={!form.decay}
            value={form.halfLife}
            aria-invalid={errors.decayHalfLifeDays ? true : undefined}
            onChange={(e) => change({ ...form, halfLife: e.target.value }, "decayHalfLifeDays")}
          />
          <span className={form.decay ? "muted" : "faint"}>days</span>
        </div>
        {errors.decayHalfLifeDays ? (
          <span className="field-error">{errors.decayHalfLifeDays}</span>
        ) : (
          <span className="rule-hint">Points from inquiries and events lose half their value every {form.decay && form.halfLife ? form.halfLife : "N"} days.</span>
        )}
      </div>
      <div className="settings-block">
        <span className="settings-label">Thresholds</span>
        {form.thresholds.length === 0 && <span className="faint">None: crossings are not recorded.</span>}
        {form.thresholds.map((t, i) => (
          <div key={i} className="settings-row" data-testid="threshold-row">
            <span className="muted">Score</span>
            <input
              className="input tabular settings-num"
              type="number"
              min={1}
              max={100}
              step={1}
              aria-label="Threshold score"
              data-testid="threshold-score"
              value={t.score}
              aria-invalid={errors.thresholds ? true : undefined}
              onChange={(e) => setThreshold(i, { score: e.target.value })}
            />
            <span className="muted">is</span>
            <input
              className="input settings-label-input"
              aria-label="Threshold label"
              data-testid="threshold-label"
              placeholder="hot"
              value={t.label}
              aria-invalid={errors.thresholds ? true : undefined}
              onChange={(e) => setThreshold(i, { label: e.target.value })}
            />
            <button
              type="button"
              className="icon-btn icon-btn-danger"
              aria-label={`Remove threshold ${t.score}`}
              onClick={() => change({ ...form, thresholds: form.thresholds.filter((_, j) => j !== i) }, "thresholds")}
            >
              <IconX size={14} />
            </button>
          </div>
        ))}
        {errors.thresholds ? (
          <span className="field-error">{errors.thresholds}</span>
        ) : (
          <span className="rule-hint">Crossing one is recorded on the lead’s timeline (“Became hot”).</span>
        )}
        <button
          type="button"
          className="btn btn-sm btn-ghost settings-add"
          data-testid="add-threshold"
          onClick={() => change({ ...form, thresholds: [...form.thresholds, { score: "", label: "" }] }, "thresholds")}
        >
          <IconPlus size={13} />
          Add threshold
        </button>
      </div>
      <div className="settings-actions">
        {dirty && (
          <button type="button" className="btn btn-sm" onClick={() => setForm(saved)}>
            Discard
          </button>
        )}
        <button type="submit" className="btn btn-sm btn-primary" data-testid="save-scoring-settings" disabled={!dirty || busy}>
          {busy && <Spinner label="Saving" />}
          Save and re-score
        </button>
      </div>
    </form>
  );
}
