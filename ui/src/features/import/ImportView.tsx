import "./import.css";
import { useCallback, useEffect, useMemo, useState } from "react";
import {
  commands,
  type AppError,
  type DialectOverrides,
  type FieldTarget,
  type ImportMode,
  type ImportPreview,
  type ImportSummary,
  type Mapping,
  type MatchKey,
} from "../../bindings";
import { useQuery } from "@tanstack/react-query";
import { LEAD_DATA, invalidate } from "../../core/data";
import { toAppError } from "../../core/errors";
import { formatNumber, relativeTime } from "../../core/format";
import { cancelImport, resetImport, resumeImport, startImport, useImportJob } from "./importJob";
import { baseName } from "./fileDrop";
import { ErrorState, Spinner } from "../../core/ui";
import { IconAlert, IconCheck, IconUpload } from "../../core/icons";
import { useToast } from "../../core/Toasts";

export const TARGET_LABELS: Record<FieldTarget, string> = {
  firstName: "First name",
  lastName: "Last name",
  fullName: "Full name (split)",
  fullNameFamilyFirst: "Full name, family name first (split)",
  email: "Email",
  email2: "Email 2",
  phone: "Phone",
  phone2: "Phone 2",
  company: "Company",
  jobTitle: "Job title",
  website: "Website",
  source: "Source",
  stage: "Stage",
  status: "Status",
  score: "Score",
  budget: "Budget",
  authority: "Authority",
  need: "Need",
  timeline: "Timeline",
  notes: "Notes",
  createdAt: "Created date",
  externalId: "External ID",
  customFields: "Custom fields (JSON)",
  custom: "Keep as custom field",
  skip: "Skip",
};
const TARGETS = Object.keys(TARGET_LABELS) as FieldTarget[];
/** Targets several columns may share. */
const SHARED: FieldTarget[] = ["custom", "skip", "customFields"];

const ENCODINGS = ["UTF-8", "UTF-16LE", "UTF-16BE", "windows-1252", "ISO-8859-1"];
const DELIMITERS: [string, string][] = [
  [",", "Comma"],
  [";", "Semicolon"],
  ["\t", "Tab"],
  ["|", "Pipe"],
];
const MATCH_LABELS: Record<MatchKey, string> = { email: "Email", phone: "Phone", externalId: "External ID", companyName: "Company + name" };
const MODE_LABELS: [ImportMode, string][] = [
  ["upsert", "Create and update"],
  ["create", "Create only"],
  ["update", "Update only"],
];

function delimiterName(d: string): string {
  return DELIMITERS.find(([c]) => c === d)?.[1].toLowerCase() ?? JSON.stringify(d);
}

function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

type PreviewState = { path: string; overrides: DialectOverrides; preview: ImportPreview };

/** `dropped`: a file dropped on the window, read once and handed back with `onDropTaken`. */
export function ImportView({ dropped = null, onDropTaken }: { dropped?: string | null; onDropTaken?: () => void }) {
  const toast = useToast();
  const job = useImportJob();
  const [state, setState] = useState<PreviewState | null>(null);
  const [reading, setReading] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  // The job itself marks the history (and, when done, the leads) stale.
  const history =
    useQuery({ queryKey: ["imports", "history"], queryFn: () => commands.importList().catch((): ImportSummary[] => []) }).data ?? null;

  const read = useCallback(async (file: string, overrides: DialectOverrides, mapping: Mapping | null) => {
    if (!file.trim()) return;
    setReading(true);
    setError(null);
    try {
      const preview = await commands.importPreview({ path: file.trim(), dialect: overrides, mapping });
      setState({ path: file.trim(), overrides, preview });
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setReading(false);
    }
  }, []);

  // A file dropped on the window (App switches here first) is read like a chosen one; a finished
  // or failed import's result makes way for it.
  // Taken at once, so coming back to this view later does not read it again.
  useEffect(() => {
    if (!dropped) return;
    onDropTaken?.();
    resetImport();
    void read(dropped, emptyOverrides(), null);
  }, [dropped, onDropTaken, read]);

  const choose = async () => {
    try {
      // The app shows the dialog and then lets Leadbook read only the file picked.
      const picked = await commands.filePickImport();
      if (picked !== null) await read(picked, emptyOverrides(), null);
    } catch (e) {
      setError(toAppError(e));
    }
  };

  const undo = async (s: ImportSummary) => {
    try {
      const u = await commands.importUndo({ batchId: s.batchId });
      toast.push(
        "success",
        `Removed ${formatNumber(u.removed)} leads · restored ${formatNumber(u.restored)}${u.keptLaterEdits ? ` · kept ${formatNumber(u.keptLaterEdits)} later edits` : ""}`,
      );
      invalidate([...LEAD_DATA, "imports"]);
      if (job.phase === "done" && job.summary.batchId === s.batchId) resetImport();
    } catch (e) {
      toast.push("error", toAppError(e).message);
    }
  };

  const resume = (s: ImportSummary) => void resumeImport(s.batchId, s.fileName);

  const interrupted = (history ?? []).filter((h) => h.status === "interrupted");

  let body;
  if (job.phase === "running") {
    body = <ProgressCard job={job} />;
  } else if (job.phase === "done") {
    body = <SummaryCard summary={job.summary} onUndo={() => undo(job.summary)} onAnother={() => { resetImport(); setState(null); }} />;
  } else if (job.phase === "failed") {
    body = (
      <div className="import-card">
        <ErrorState title={`The import of ${job.fileName} stopped`} message={job.error.message} onRetry={() => resetImport()} testId="import-error" />
      </div>
    );
  } else if (state) {
    body = (
      <MappingStep
        state={state}
        busy={reading}
        error={error}
        onReread={(overrides, mapping) => read(state.path, overrides, mapping)}
        onBack={() => setState(null)}
        onStart={(mapping, mode, matchKeys) =>
          void startImport(state.path, state.preview.fileName, { dialect: state.overrides, mapping, mode, matchKeys })
        }
      />
    );
  } else {
    body = (
      <>
        <div className="import-card import-drop" data-testid="import-choose">
          <IconUpload size={28} />
          <div className="import-drop-title">Import leads from a CSV file</div>
          <p className="import-drop-text">
            Exports of HubSpot, Salesforce, Pipedrive, Zoho, Google Contacts, Outlook or any spreadsheet. Encoding, delimiter and columns are
            detected; you check the mapping before anything is written.
          </p>
          <button type="button" className="btn btn-primary" data-testid="import-choose-file" onClick={choose} disabled={reading}>
            {reading && <Spinner label="Reading" />}
            Choose file…
          </button>
          <p className="import-drop-hint">or drop the file anywhere on this window</p>
          {error && (
            <div className="form-alert" role="alert" data-testid="import-error">
              <IconAlert />
              <span>{error.message}</span>
            </div>
          )}
        </div>
        <ExportCard />
      </>
    );
  }

  return (
    <section className="view" aria-label="Import" data-testid="import-view">
      <header className="view-header">
        <h1 className="view-title">
          Import
          {state && job.phase === "idle" && <span className="count">{state.preview.fileName}</span>}
        </h1>
        <div className="spacer" />
      </header>
      <div className="import-scroll">
        {interrupted.map((s) => (
          <div key={s.batchId} className="banner banner-warning import-banner" role="alert" data-testid="import-interrupted">
            <IconAlert />
            <span className="banner-text">
              The import of <strong>{s.fileName}</strong> was interrupted after {formatNumber(s.rows)} rows. Every row up to there is complete —
              resume it or undo it.
            </span>
            <button type="button" className="btn btn-sm" onClick={() => resume(s)} disabled={job.phase === "running"}>
              Resume
            </button>
            <UndoButton small testId="banner-undo" onUndo={() => undo(s)} />
          </div>
        ))}
        {body}
        <History history={history} busy={job.phase === "running"} onUndo={undo} onResume={resume} />
      </div>
    </section>
  );
}

function emptyOverrides(): DialectOverrides {
  return { encoding: null, delimiter: null, hasHeader: null, headerLine: null };
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** "03/04/2021" read day first and month first: ["3 April 2021", "March 4, 2021"]. */
export function readBothWays(example: string): [string, string] | null {
  const parts = example.trim().split(/[^0-9]+/).filter(Boolean).map(Number);
  if (parts.length < 3) return null;
  const [a, b, year] = parts;
  if (a < 1 || b < 1 || a > 12 || b > 12) return null;
  return [`${a} ${MONTHS[b - 1]} ${year}`, `${MONTHS[a - 1]} ${b}, ${year}`];
}

function MappingStep(props: {
  state: PreviewState;
  busy: boolean;
  error: AppError | null;
  onReread: (overrides: DialectOverrides, mapping: Mapping | null) => void;
  onBack: () => void;
  onStart: (mapping: Mapping, mode: ImportMode, matchKeys: MatchKey[]) => void;
}) {
  const { preview, overrides } = props.state;
  const [mode, setMode] = useState<ImportMode>("upsert");
  const [keys, setKeys] = useState<MatchKey[]>(["email"]);
  const mapping = preview.mapping;

  const duplicates = useMemo(() => {
    const seen = new Map<FieldTarget, number>();
    mapping.columns.forEach((c) => seen.set(c.target, (seen.get(c.target) ?? 0) + 1));
    return new Set([...seen].filter(([t, n]) => n > 1 && !SHARED.includes(t)).map(([t]) => t));
  }, [mapping]);
  const shown = mapping.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.target !== "skip");
  const problems = preview.rows.filter((r) => r.problem || r.cells.some((c) => c.error)).length;
  const needKeys = mode !== "create" && keys.length === 0;

  const setTarget = (index: number, target: FieldTarget) => {
    const columns = mapping.columns.map((c, i) => (i === index ? { ...c, target } : c));
    props.onReread(overrides, { ...mapping, columns });
  };
  const setDialect = (next: Partial<DialectOverrides>) => props.onReread({ ...overrides, ...next }, null);
  const setDateOrder = (dateOrder: string) => props.onReread(overrides, { ...mapping, dateOrder });

  // Lines the table may start on: the skipped ones, the header and the first rows after it.
  const headerChoices = useMemo(() => {
    const lines = [...preview.preamble.map((p) => p.line), preview.dialect.headerLine, ...preview.rows.slice(0, 10).map((r) => r.line)];
    return [...new Set(lines)].filter((l) => l > 0).sort((a, b) => a - b);
  }, [preview]);
  const damagedHeaders = preview.columns.filter((c) => c.damagedHeader).length;
  const damagedValues = preview.columns.reduce((n, c) => n + c.damagedValues, 0);
  const spreadsheetDamage = preview.rows.flatMap((r) => r.cells.filter((c) => c.damage === "formula" || c.damage === "rounded"));
  const dateQuestion = preview.dates && preview.dates.order === null ? preview.dates : null;
  const bothWays = dateQuestion ? readBothWays(dateQuestion.examples[0] ?? "") : null;

  return (
    <div className="import-step">
      <div className="import-card">
        <div className="import-file">
          <div>
            <div className="import-file-name">{preview.fileName}</div>
            <div className="import-file-meta tabular">
              {fileSize(preview.fileSize)} · {preview.headers.length} columns · detected {preview.dialect.encoding}, {delimiterName(preview.dialect.delimiter)}
              {preview.dialect.hasHeader ? `, header on line ${preview.dialect.headerLine}` : ", no header row"}
              {preview.language ? ` · headers in ${preview.language}` : ""}
            </div>
          </div>
          <div className="spacer" />
          {props.busy && <Spinner label="Reading" />}
          <button type="button" className="btn btn-sm" onClick={props.onBack}>
            Choose another file
          </button>
        </div>
        <div className="import-dialect">
          <label>
            Encoding
            <select className="input" value={overrides.encoding ?? ""} onChange={(e) => setDialect({ encoding: e.target.value || null })} data-testid="import-encoding">
              <option value="">Detected: {preview.dialect.encoding}</option>
              {ENCODINGS.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </select>
          </label>
          <label>
            Delimiter
            <select className="input" value={overrides.delimiter ?? ""} onChange={(e) => setDialect({ delimiter: e.target.value || null })} data-testid="import-delimiter">
              <option value="">Detected: {delimiterName(preview.dialect.delimiter)}</option>
              {DELIMITERS.map(([c, name]) => (
                <option key={name} value={c}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={overrides.hasHeader ?? preview.dialect.hasHeader}
              onChange={(e) => setDialect({ hasHeader: e.target.checked })}
              data-testid="import-has-header"
            />
            The table has a header row
          </label>
          <label>
            {(overrides.hasHeader ?? preview.dialect.hasHeader) ? "Header on line" : "Table starts on line"}
            <select
              className="input import-line-select"
              value={overrides.headerLine ?? preview.dialect.headerLine}
              onChange={(e) => setDialect({ headerLine: Number(e.target.value) })}
              data-testid="import-header-line"
            >
              {headerChoices.map((l) => (
                <option key={l} value={l}>
                  {l}
                  {l === preview.dialect.headerLine && overrides.headerLine == null ? " (detected)" : ""}
                </option>
              ))}
            </select>
          </label>
          {preview.savedMapping && (
            <span className="pill pill-accent" data-testid="saved-mapping">
              <IconCheck size={12} /> Saved mapping from your last import of this layout
            </span>
          )}
        </div>
        {preview.preamble.length > 0 && (
          <div className="import-preamble" data-testid="import-preamble">
            <div className="import-label">
              Skipped {preview.preamble.length === 1 ? "1 line" : `${preview.preamble.length} lines`} before the header
            </div>
            <ol>
              {preview.preamble.map((p) => (
                <li key={p.line} data-testid="preamble-line">
                  <span className="line tabular">{p.line}</span>
                  <span className={p.text ? "text" : "text empty"}>{p.text || "blank"}</span>
                  <button type="button" className="btn btn-sm btn-ghost" data-testid="use-as-header" onClick={() => setDialect({ headerLine: p.line })} disabled={props.busy}>
                    Use as header
                  </button>
                </li>
              ))}
            </ol>
          </div>
        )}
        {preview.headerRepairs.length > 0 && (
          <ul className="import-notes">
            {preview.headerRepairs.map((r) => (
              <li key={r}>Header {r}</li>
            ))}
          </ul>
        )}
        {(damagedHeaders > 0 || damagedValues > 0) && (
          <div className="form-alert import-alert" role="alert" data-testid="import-mojibake">
            <IconAlert />
            <span>
              {[damagedHeaders > 0 && `${damagedHeaders} column ${damagedHeaders === 1 ? "name" : "names"}`, damagedValues > 0 && `${damagedValues} ${damagedValues === 1 ? "value" : "values"} in the first rows`]
                .filter(Boolean)
                .join(" and ")}{" "}
              hold “�”: characters lost to a wrong encoding, before or while reading this file. If the file looks right in another program, choose its
              encoding above; otherwise these characters are gone and are imported as they are.
            </span>
          </div>
        )}
        {spreadsheetDamage.length > 0 && (
          <div className="form-alert import-alert" role="alert" data-testid="import-formula-damage">
            <IconAlert />
            <span>
              {spreadsheetDamage.length === 1 ? "1 phone number" : `${spreadsheetDamage.length} phone numbers`} in the first rows{" "}
              {spreadsheetDamage.length === 1 ? "was" : "were"} turned into a number by a spreadsheet (
              {spreadsheetDamage
                .slice(0, 3)
                .map((c) => `“${c.raw}”`)
                .join(", ")}
              ): a spreadsheet that takes +1-532-344-1362 for a formula saves -2237. They are not stored as phone numbers and are listed in the error report.
            </span>
          </div>
        )}
        {dateQuestion && (
          <div className="date-question" role="group" aria-label="Date order" data-testid="date-question">
            <div>
              <strong>Which dates does this file mean?</strong> The dates in “{dateQuestion.column}” read both ways
              {dateQuestion.examples.length > 0 ? ` (${dateQuestion.examples.join(", ")})` : ""} and nothing in the first rows decides.
            </div>
            <div className="date-question-actions">
              <button type="button" className="btn btn-sm" data-testid="date-dmy" onClick={() => setDateOrder("dmy")} disabled={props.busy}>
                Day first{bothWays ? ` — ${bothWays[0]}` : ""}
              </button>
              <button type="button" className="btn btn-sm" data-testid="date-mdy" onClick={() => setDateOrder("mdy")} disabled={props.busy}>
                Month first{bothWays ? ` — ${bothWays[1]}` : ""}
              </button>
            </div>
          </div>
        )}
        {preview.dates && preview.dates.order !== null && (
          <div className="hint import-dates" data-testid="import-dates">
            Dates in “{preview.dates.column}”:{" "}
            <select className="input import-line-select" value={preview.dates.order} onChange={(e) => setDateOrder(e.target.value)} data-testid="import-date-order">
              <option value="dmy">day first</option>
              <option value="mdy">month first</option>
              <option value="ymd">year first</option>
            </select>{" "}
            — {preview.dates.reason}
          </div>
        )}
        {props.error && (
          <div className="form-alert" role="alert" data-testid="import-error">
            <IconAlert />
            <span>{props.error.message}</span>
          </div>
        )}
      </div>

      <div className="import-card">
        <h2 className="import-h2">Columns</h2>
        <table className="mapping-table" data-testid="mapping-table">
          <thead>
            <tr>
              <th>Column in the file</th>
              <th>Goes into</th>
              <th>Why</th>
              <th>First values</th>
            </tr>
          </thead>
          <tbody>
            {mapping.columns.map((c, i) => (
              <tr key={`${i}-${c.header}`} data-testid="mapping-row" className={c.target === "skip" ? "is-skipped" : undefined}>
                <td className="mapping-header">
                  {c.header}
                  {preview.columns[i]?.damagedHeader && (
                    <span className="pill pill-warning" data-testid="damaged-header" title="This name holds “�”: characters lost to a wrong encoding">
                      damaged
                    </span>
                  )}
                </td>
                <td>
                  <select className="input" value={c.target} onChange={(e) => setTarget(i, e.target.value as FieldTarget)} data-testid="mapping-select" disabled={props.busy}>
                    {TARGETS.map((t) => (
                      <option key={t} value={t}>
                        {TARGET_LABELS[t]}
                      </option>
                    ))}
                  </select>
                  {duplicates.has(c.target) && <div className="field-error">Another column goes into {TARGET_LABELS[c.target]} too</div>}
                </td>
                <td className="mapping-reason" data-testid="mapping-reason">
                  {preview.columns[i]?.reason ?? ""}
                </td>
                <td className="mapping-samples">
                  {preview.rows
                    .map((r) => r.cells[i]?.raw ?? "")
                    .filter(Boolean)
                    .slice(0, 3)
                    .join(" · ") || <span className="empty">empty</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="import-card">
        <h2 className="import-h2">
          Preview <span className="count">first {preview.rows.length} rows as they will be stored</span>
          {problems > 0 && (
            <span className="pill pill-danger" data-testid="preview-problems">
              {problems} of the first {preview.rows.length} rows have problems
            </span>
          )}
        </h2>
        <div className="preview-scroll">
          <table className="preview-grid" data-testid="import-preview">
            <thead>
              <tr>
                <th className="line">Line</th>
                {shown.map(({ c, i }) => (
                  <th key={i}>{c.target === "custom" ? c.header : TARGET_LABELS[c.target]}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r) => (
                <tr key={r.line} className={r.problem ? "has-problem" : undefined}>
                  <td className="line tabular" title={[r.problem, ...r.repairs].filter(Boolean).join("\n") || undefined}>
                    {r.line}
                    {r.problem && <IconAlert size={12} />}
                  </td>
                  {r.cells.length === 0 ? (
                    <td colSpan={shown.length} className="cell-error">
                      {r.problem}
                    </td>
                  ) : (
                    shown.map(({ i }) => {
                      const cell = r.cells[i];
                      const damaged = cell?.damage === "formula" || cell?.damage === "rounded";
                      const cls = cell?.error ? "cell-error" : damaged ? "cell-warning cell-damaged" : cell?.warning ? "cell-warning" : undefined;
                      const testId = cell?.error ? "cell-error" : damaged ? "cell-damaged" : cell?.damage === "mojibake" ? "cell-mojibake" : undefined;
                      return (
                        <td key={i} className={cls} title={cell?.error ?? cell?.warning ?? undefined} data-testid={testId}>
                          {cell && (cell.error || damaged) ? cell.raw : (cell?.stored ?? "")}
                        </td>
                      );
                    })
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>

      <div className="import-card import-options">
        <div>
          <div className="import-label">When a row matches a lead</div>
          <div className="segmented" role="radiogroup" aria-label="Import mode">
            {MODE_LABELS.map(([m, label]) => (
              <button key={m} type="button" role="radio" aria-checked={mode === m} className="segment" data-testid={`import-mode-${m}`} onClick={() => setMode(m)}>
                {label}
              </button>
            ))}
          </div>
        </div>
        <div>
          <div className="import-label">Match by</div>
          <div className="import-keys">
            {(Object.keys(MATCH_LABELS) as MatchKey[]).map((k) => (
              <label key={k} className="check">
                <input
                  type="checkbox"
                  data-testid={`match-${k}`}
                  checked={keys.includes(k)}
                  onChange={(e) => setKeys((ks) => (e.target.checked ? [...ks, k] : ks.filter((x) => x !== k)))}
                />
                {MATCH_LABELS[k]}
              </label>
            ))}
          </div>
          <div className="hint">Rows whose keys all match an existing lead {mode === "create" ? "are skipped" : "update it"}; duplicates inside the file are caught too.</div>
        </div>
        <div className="spacer" />
        <button
          type="button"
          className="btn btn-primary"
          data-testid="import-start"
          disabled={props.busy || duplicates.size > 0 || needKeys || dateQuestion !== null}
          title={needKeys ? "Choose at least one key to match rows to leads" : dateQuestion ? "Say which order the dates use first" : undefined}
          onClick={() => props.onStart(mapping, mode, keys)}
        >
          Import
        </button>
      </div>
    </div>
  );
}

function ProgressCard({ job }: { job: Extract<ReturnType<typeof useImportJob>, { phase: "running" }> }) {
  const p = job.progress;
  const pct = Math.round((p?.fraction ?? 0) * 100);
  const eta = p?.etaSeconds != null ? ` · about ${p.etaSeconds < 60 ? `${Math.ceil(p.etaSeconds)} s` : `${Math.ceil(p.etaSeconds / 60)} min`} left` : "";
  return (
    <div className="import-card" data-testid="import-progress">
      <div className="import-file">
        <div>
          <div className="import-file-name">Importing {job.fileName}</div>
          <div className="import-file-meta tabular">
            {p ? `${formatNumber(p.rows)} rows · ${formatNumber(Math.round(p.rowsPerSecond))} rows/s${eta}` : "Starting…"}
          </div>
        </div>
        <div className="spacer" />
        <button type="button" className="btn" data-testid="import-cancel" onClick={() => void cancelImport()} disabled={job.cancelling}>
          {job.cancelling ? "Cancelling…" : "Cancel"}
        </button>
      </div>
      <div className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
        <div className="progress-bar" style={{ width: `${pct}%` }} />
      </div>
      {p && (
        <div className="import-counts tabular">
          <Count label="Created" value={p.inserted} />
          <Count label="Updated" value={p.updated} />
          <Count label="Skipped" value={p.skipped} />
          <Count label="Failed" value={p.failed} />
        </div>
      )}
      <div className="hint">You can keep working meanwhile; rows are saved every 5,000, so even a crash loses nothing that was confirmed.</div>
    </div>
  );
}

function Count({ label, value, testId, tone }: { label: string; value: number; testId?: string; tone?: string }) {
  return (
    <div className={`import-count${tone ? ` tone-${tone}` : ""}`}>
      <div className="value" data-testid={testId}>
        {formatNumber(value)}
      </div>
      <div className="label">{label}</div>
    </div>
  );
}

function SummaryCard({ summary: s, onUndo, onAnother }: { summary: ImportSummary; onUndo: () => void; onAnother: () => void }) {
  const toast = useToast();
  const noted = s.skipped + s.failed + s.warnings;
  const saveErrors = async () => {
    try {
      const path = await commands.filePickSave({ fileName: `${s.fileName.replace(/\.[^.]+$/, "")}-errors.csv` });
      if (!path) return;
      const n = await commands.importSaveErrors({ batchId: s.batchId, path });
      toast.push("success", `Saved ${formatNumber(n)} rows to ${baseName(path)}`);
    } catch (e) {
      toast.push("error", toAppError(e).message);
    }
  };
  return (
    <div className="import-card" data-testid="import-summary">
      <div className="import-file">
        <div>
          <div className="import-file-name">
            {s.status === "completed" ? "Imported" : s.status === "cancelled" ? "Cancelled" : s.status} {s.fileName}
          </div>
          <div className="import-file-meta tabular">{formatNumber(s.rows)} rows read{s.message ? ` — ${s.message}` : ""}</div>
        </div>
      </div>
      <div className="import-counts tabular">
        <Count label="Created" value={s.inserted} testId="import-inserted" tone="good" />
        <Count label="Updated" value={s.updated} testId="import-updated" />
        <Count label="Skipped" value={s.skipped} testId="import-skipped" />
        <Count label="Failed" value={s.failed} testId="import-failed" tone={s.failed ? "bad" : undefined} />
        <Count label="Kept as written" value={s.warnings} testId="import-warnings" tone={s.warnings ? "warn" : undefined} />
      </div>
      <div className="import-actions">
        {noted > 0 && (
          <button type="button" className="btn" onClick={saveErrors} data-testid="import-save-errors">
            Save error report…
          </button>
        )}
        <UndoButton onUndo={onUndo} testId="import-undo" />
        <div className="spacer" />
        <button type="button" className="btn btn-primary" onClick={onAnother}>
          Import another file
        </button>
      </div>
    </div>
  );
}

function History(props: { history: ImportSummary[] | null; busy: boolean; onUndo: (s: ImportSummary) => void; onResume: (s: ImportSummary) => void }) {
  if (!props.history || props.history.length === 0) return null;
  return (
    <div className="import-card" data-testid="import-history">
      <h2 className="import-h2">Earlier imports</h2>
      <ul className="history">
        {props.history.map((s) => (
          <li key={s.batchId} className="history-row" data-testid="history-row" data-status={s.status}>
            <div className="history-main">
              <div className="history-file">{s.fileName}</div>
              <div className="history-meta tabular">
                {relativeTime(s.startedAt)} · {formatNumber(s.rows)} rows · {formatNumber(s.inserted)} created · {formatNumber(s.updated)} updated
                {s.failed ? ` · ${formatNumber(s.failed)} failed` : ""}
              </div>
            </div>
            <span className={`pill status-${s.status}`}>{s.status}</span>
            {(s.status === "interrupted" || s.status === "cancelled" || s.status === "failed") && (
              <button type="button" className="btn btn-sm" data-testid="history-resume" onClick={() => props.onResume(s)} disabled={props.busy}>
                Resume
              </button>
            )}
            {s.status !== "undone" && s.status !== "running" && (
              <UndoButton small testId="history-undo" onUndo={() => props.onUndo(s)} disabled={props.busy} />
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Undo asks once more, in place: "Undo import?" → Yes. */
function UndoButton({ onUndo, disabled, testId, small }: { onUndo: () => void; disabled?: boolean; testId: string; small?: boolean }) {
  const [asking, setAsking] = useState(false);
  const size = small ? " btn-sm" : "";
  if (asking) {
    return (
      <span className="confirm-inline">
        <span className="hint">Remove the leads it created and restore what it changed?</span>
        <button type="button" className={`btn btn-danger-solid${size}`} data-testid="confirm-yes" onClick={() => { setAsking(false); onUndo(); }}>
          Undo import
        </button>
        <button type="button" className={`btn${size}`} onClick={() => setAsking(false)}>
          Keep
        </button>
      </span>
    );
  }
  return (
    <button type="button" className={`btn${size}${small ? " btn-ghost" : ""}`} data-testid={testId} onClick={() => setAsking(true)} disabled={disabled}>
      Undo{small ? "" : " import"}
    </button>
  );
}

function ExportCard() {
  const toast = useToast();
  const [bom, setBom] = useState(true);
  const [delimiter, setDelimiter] = useState(",");
  const [busy, setBusy] = useState(false);
  const exportAll = async () => {
    try {
      const path = await commands.filePickSave({ fileName: `leads-${new Date().toISOString().slice(0, 10)}.csv` });
      if (!path) return;
      setBusy(true);
      const n = await commands.leadExport({ path, request: { sort: "createdAt", dir: "asc", companyId: null, segmentId: null, search: null, bom, delimiter } });
      toast.push("success", `Exported ${formatNumber(n)} leads to ${baseName(path)}`);
    } catch (e) {
      toast.push("error", toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="import-card import-export">
      <div>
        <h2 className="import-h2">Export leads</h2>
        <div className="hint">Every lead as CSV, with headers Leadbook (and any spreadsheet) reads back without help.</div>
      </div>
      <div className="spacer" />
      <label className="check">
        <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} /> Excel-friendly (BOM)
      </label>
      <select className="input" value={delimiter} onChange={(e) => setDelimiter(e.target.value)} aria-label="Delimiter">
        <option value=",">Comma</option>
        <option value=";">Semicolon</option>
      </select>
      <button type="button" className="btn" data-testid="export-all" onClick={exportAll} disabled={busy}>
        {busy && <Spinner label="Exporting" />}
        Export…
      </button>
    </div>
  );
}
