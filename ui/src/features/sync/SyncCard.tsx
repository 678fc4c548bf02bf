import "./sync.css";
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { commands, type Rejection, type SyncReport, type SyncStatus } from "../../bindings";
import { invalidate } from "../../core/data";
import { routeFormError, toAppError } from "../../core/errors";
import { formatDateTime, formatNumber, relativeTime } from "../../core/format";
import {
  hasInlinePassword,
  shortId,
  syncHeadline,
  syncReportMessage,
  syncState,
  useNow,
  type SyncState,
  type SyncStatusApi,
} from "./sync";
import { ErrorState, Spinner } from "../../core/ui";
import { useToast } from "../../core/Toasts";
import { IconAlert, IconCheck } from "../../core/icons";

/** How long the result of "Sync now" stays on screen. */
export const SYNC_REPORT_MS = 8000;

export function SyncCard({ sync }: { sync: SyncStatusApi }) {
  const { status, error } = sync;
  if (!status) {
    return (
      <div className="settings-card" data-testid="sync-card">
        <h2 className="settings-h2">Team sync</h2>
        {error ? (
          <ErrorState testId="sync-load-error" title="Couldn't read the sync status" message={error.message} onRetry={() => void sync.refresh()} />
        ) : (
          <div className="center-pad">
            <Spinner label="Loading sync status" />
          </div>
        )}
      </div>
    );
  }
  const state = syncState(status);
  return (
    <div className="settings-card sync-card" data-testid="sync-card" data-state={state}>
      {state === "off" ? <SyncSetupForm onConnected={sync.refresh} /> : <SyncDetails status={status} state={state} refresh={sync.refresh} />}
    </div>
  );
}

const FIELDS = ["url", "password", "space"] as const;
type Field = (typeof FIELDS)[number];
type Errors = Partial<Record<Field, string>>;
const isField = (f: string | null): f is Field => f !== null && (FIELDS as readonly string[]).includes(f);

/** Sync is off: what it does, and the server to connect to. */
function SyncSetupForm({ onConnected }: { onConnected: () => Promise<void> }) {
  const toast = useToast();
  const [url, setUrl] = useState("");
  const [space, setSpace] = useState("");
  const [allowPlaintext, setAllowPlaintext] = useState(false);
  // The password stays in the input (never in React state) and is cleared once sent.
  const inputs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [focusField, setFocusField] = useState<{ field: Field } | null>(null);

  useEffect(() => {
    if (focusField) inputs.current[focusField.field]?.focus();
  }, [focusField]);

  const clearError = (f: Field) => {
    if (errors[f]) setErrors((e) => ({ ...e, [f]: undefined }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const passwordInput = inputs.current.password;
    const password = passwordInput?.value ?? "";
    const local: Errors = {};
    if (!url.trim()) local.url = "Enter the server address, e.g. postgres://you@db.example.com:5432/leadbook.";
    if (!password && !hasInlinePassword(url)) local.password = "Enter your password.";
    const firstBad = FIELDS.find((f) => local[f]);
    if (firstBad) {
      setErrors(local);
      setFormError(null);
      setFocusField({ field: firstBad });
      return;
    }
    if (passwordInput) passwordInput.value = "";
    setBusy(true);
    setErrors({});
    setFormError(null);
    try {
      const setup = await commands.syncSetup({ url: url.trim(), password, space: space.trim() === "" ? null : space.trim(), allowPlaintext });
      toast.push(
        "success",
        `Connected to “${setup.spaceName}” as ${setup.userName}` +
          (setup.rowsToPush > 0 ? ` — sending ${formatNumber(setup.rowsToPush)} ${setup.rowsToPush === 1 ? "row" : "rows"}` : ""),
      );
      // The store took the server's names for user and space.
      invalidate(["store"]);
      await onConnected();
    } catch (err) {
      routeFormError(err, isField, {
        fieldError: (field, message) => {
          setErrors({ [field]: message });
          setFocusField({ field });
        },
        formError: setFormError,
      });
    } finally {
      setBusy(false);
    }
  };

  const field = (key: Field, label: string, input: ReactNode, hint?: string) => (
    <div className="field">
      <label htmlFor={`sync-${key}`}>
        {label}
        {key === "space" && <span className="opt"> · optional</span>}
      </label>
      {input}
      {errors[key] ? (
        <div className="field-error" id={`sync-${key}-error`} data-testid={`sync-${key}-error`} role="alert">
          {errors[key]}
        </div>
      ) : (
        hint && <span className="rule-hint">{hint}</span>
      )}
    </div>
  );
  const common = (key: Field) => ({
    id: `sync-${key}`,
    ref: (el: HTMLInputElement | null) => {
      inputs.current[key] = el;
    },
    className: "input",
    "data-testid": `sync-${key}`,
    autoComplete: "off",
    spellCheck: false,
    "aria-invalid": errors[key] ? true : undefined,
    "aria-describedby": errors[key] ? `sync-${key}-error` : undefined,
  });

  return (
    <>
      <h2 className="settings-h2">
        Team sync
        <span className="sync-pill" data-testid="sync-state" data-state="off">
          Off
        </span>
      </h2>
      <p className="settings-text">
        Leadbook works offline. Sync shares your leads with your team’s PostgreSQL server and keeps everyone’s copy up to date; the
        password is kept in your system’s keychain, never in files.
      </p>
      <form className="sync-form" data-testid="sync-form" noValidate onSubmit={(e) => void submit(e)}>
        <fieldset disabled={busy}>
          {field(
            "url",
            "Server address",
            <input
              {...common("url")}
              className="input mono"
              type="text"
              placeholder="postgres://you@db.example.com:5432/leadbook"
              value={url}
              onChange={(e) => {
                setUrl(e.target.value);
                clearError("url");
              }}
            />,
            "Encrypted (TLS) for any server that is not this computer",
          )}
          {field(
            "password",
            "Password",
            <input {...common("password")} type="password" autoComplete="current-password" onChange={() => clearError("password")} />,
          )}
          {field(
            "space",
            "Space",
            <input
              {...common("space")}
              type="text"
              value={space}
              onChange={(e) => {
                setSpace(e.target.value);
                clearError("space");
              }}
            />,
            "Leave empty for your team space",
          )}
          <label className="check sync-plaintext" data-testid="sync-allow-plaintext-row">
            <input
              type="checkbox"
              data-testid="sync-allow-plaintext"
              checked={allowPlaintext}
              onChange={(e) => {
                setAllowPlaintext(e.target.checked);
                clearError("url");
              }}
            />
            <span>
              Allow an unencrypted connection
              {allowPlaintext && (
                <span className="sync-plaintext-warning" role="note">
                  {" "}
                  — your leads and password travel readable by anyone on the network. Use only on a network you trust.
                </span>
              )}
            </span>
          </label>
        </fieldset>
        {formError && (
          <div className="form-alert" role="alert" data-testid="sync-error">
            <IconAlert />
            <span>{formError}</span>
          </div>
        )}
        <div className="settings-actions">
          {busy && <span className="hint" role="status">Checking the server and your account…</span>}
          <button type="submit" className="btn btn-primary" data-testid="sync-connect" disabled={busy}>
            {busy && <Spinner label="Connecting" />}
            {busy ? "Connecting…" : "Connect"}
          </button>
        </div>
      </form>
    </>
  );
}

type NowResult = { ok: true; report: SyncReport } | { ok: false; message: string };

/** Sync is on: how it stands, what is waiting, and the two buttons. */
function SyncDetails({ status, state, refresh }: { status: SyncStatus; state: Exclude<SyncState, "off">; refresh: () => Promise<void> }) {
  const toast = useToast();
  const now = useNow();
  const [syncing, setSyncing] = useState(false);
  const [result, setResult] = useState<NowResult | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [forgetting, setForgetting] = useState(false);

  useEffect(() => {
    if (!result) return;
    const t = setTimeout(() => setResult(null), SYNC_REPORT_MS);
    return () => clearTimeout(t);
  }, [result]);

  const syncNow = async () => {
    if (syncing) return;
    setSyncing(true);
    setResult(null);
    try {
      setResult({ ok: true, report: await commands.syncNow() });
    } catch (e) {
      setResult({ ok: false, message: toAppError(e).message });
    } finally {
      setSyncing(false);
      void refresh();
    }
  };

  const forget = async () => {
    setForgetting(true);
    try {
      await commands.syncForget();
      toast.push("success", "Sync turned off — your leads stay on this computer");
      setConfirming(false);
      // Sync is off now: this card gives way to the setup form.
      await refresh();
    } catch (e) {
      toast.push("error", `Couldn't turn sync off: ${toAppError(e).message}`);
    } finally {
      setForgetting(false);
    }
  };

  const detail =
    state === "synced"
      ? "Up to date with the server."
      : state === "pending"
        ? "Sending the changes made here."
        : state === "offline"
          ? "The server can't be reached. Changes are kept here and sent when it is back."
          : null;

  return (
    <>
      <h2 className="settings-h2">Team sync</h2>
      <div className="sync-state" data-testid="sync-state" data-state={state} role="status">
        <span className={`sync-dot state-${state}`} aria-hidden="true" />
        <span className="sync-headline">{syncHeadline(status, now)}</span>
        {detail && <span className="muted">{detail}</span>}
      </div>
      {status.lastError && (state === "error" || state === "offline") && (
        <div className={`sync-message${state === "error" ? " is-error" : ""}`} data-testid="sync-last-error">
          <IconAlert size={14} />
          <span>{status.lastError.message}</span>
        </div>
      )}
      <dl className="sync-props">
        <dt>Server</dt>
        <dd className="mono truncate selectable" title={status.url ?? undefined} data-testid="sync-url-value">
          {status.url ?? "—"}
        </dd>
        <dt>Space</dt>
        <dd data-testid="sync-space-value">{status.spaceName ?? "—"}</dd>
        <dt>Last sync</dt>
        <dd data-testid="sync-last" title={status.lastSyncAt ? formatDateTime(status.lastSyncAt) : undefined}>
          {status.lastSyncAt ? relativeTime(status.lastSyncAt, now) : "Not yet"}
        </dd>
      </dl>
      <div className="sync-counts">
        <Count testId="sync-pending" value={status.pending} label="Not yet sent" title="Changes made here that the server doesn't have yet" />
        <Count
          testId="sync-rejected"
          value={status.rejected}
          label="Set aside"
          title="Rows the server or this computer refused; everything else keeps syncing"
          tone={status.rejected > 0 ? "warn" : undefined}
        />
        <Count testId="sync-waiting" value={status.waiting} label="Waiting" title="Received rows waiting for a row they refer to (a lead before its company)" />
      </div>
      <div className="sync-actions">
        <button type="button" className="btn" data-testid="sync-now" disabled={syncing} onClick={() => void syncNow()}>
          {syncing && <Spinner label="Syncing" />}
          {syncing ? "Syncing…" : "Sync now"}
        </button>
        {result &&
          (result.ok ? (
            <span className="sync-result" data-testid="sync-report" role="status">
              <IconCheck size={14} />
              {syncReportMessage(result.report)}
            </span>
          ) : (
            <span className="sync-result is-error" data-testid="sync-report" role="alert">
              <IconAlert size={14} />
              {result.message}
            </span>
          ))}
        <div className="spacer" />
        {!confirming && (
          <button type="button" className="btn btn-ghost btn-danger" data-testid="sync-forget" onClick={() => setConfirming(true)}>
            Stop syncing
          </button>
        )}
      </div>
      {confirming && (
        <div className="sync-confirm" role="alertdialog" aria-label="Stop syncing" data-testid="sync-forget-confirm">
          <span>
            Stop syncing with this server? Your leads stay on this computer and the password is removed from the keychain.
            {status.pending > 0 && (
              <b>
                {" "}
                {formatNumber(status.pending)} {status.pending === 1 ? "change" : "changes"} not yet sent will not be sent.
              </b>
            )}
          </span>
          <div className="sync-confirm-actions">
            <button type="button" className="btn btn-sm" onClick={() => setConfirming(false)} disabled={forgetting}>
              Keep syncing
            </button>
            <button
              type="button"
              className="btn btn-sm btn-danger-solid"
              data-testid="sync-forget-confirm-button"
              autoFocus
              disabled={forgetting}
              onClick={() => void forget()}
            >
              {forgetting && <Spinner label="Turning sync off" />}
              Stop syncing
            </button>
          </div>
        </div>
      )}
      {status.recentRejections.length > 0 && <Rejections rows={status.recentRejections} now={now} />}
    </>
  );
}

function Count({ testId, value, label, title, tone }: { testId: string; value: number; label: string; title: string; tone?: "warn" }) {
  return (
    <div className={`sync-count${tone ? ` tone-${tone}` : ""}`} title={title}>
      <span className="value tabular" data-testid={testId}>
        {formatNumber(value)}
      </span>
      <span className="label">{label}</span>
    </div>
  );
}

const DIRECTION: Record<string, { label: string; title: string }> = {
  push: { label: "Push", title: "Sent from here; the server refused it" },
  pull: { label: "Pull", title: "Received from the server; this computer refused it" },
};

function Rejections({ rows, now }: { rows: Rejection[]; now: number }) {
  return (
    <div className="sync-rejections" data-testid="sync-rejections">
      <h3 className="settings-h3">
        Set aside
        <span className="count">Rows that were refused, with the reason. Everything else keeps syncing.</span>
      </h3>
      <ul className="sync-rejection-list">
        {rows.map((r, i) => {
          const dir = DIRECTION[r.direction] ?? { label: r.direction, title: r.direction };
          return (
            <li key={`${r.table}-${r.rowId}-${r.direction}-${i}`} className="sync-rejection" data-testid="sync-rejection" data-direction={r.direction}>
              <div className="sync-rejection-head">
                <span className="mono">{r.table}</span>
                <span className="mono faint selectable" title={r.rowId}>
                  {shortId(r.rowId)}
                </span>
                <span className="rule-tag" title={dir.title}>
                  {dir.label}
                </span>
                <span className="faint sync-rejection-at" title={formatDateTime(r.at)}>
                  {relativeTime(r.at, now)}
                </span>
              </div>
              <div className="sync-rejection-reason selectable">{r.reason}</div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
