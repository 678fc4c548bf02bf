import "./RecoveryScreen.css";
import { useState } from "react";
import { commands, type Backup, type StartupState } from "../../bindings";
import { toAppError } from "../../core/errors";
import { formatDateTime, formatNumber } from "../../core/format";
import { BACKUP_KIND_LABELS, formatBytes } from "./BackupsCard";
import { IconAlert, LogoMark } from "../../core/icons";
import { Spinner } from "../../core/ui";

/**
 * The database could not be opened (not a database, damaged, a failed upgrade, a newer
 * version's file): say why, and offer the newest backup that passes its check. Nothing else of
 * the app is shown, so nothing can write to a damaged file.
 */
export function RecoveryScreen({ state, onRestored }: { state: StartupState; onRestored: () => void }) {
  const [chosen, setChosen] = useState<Backup | null>(state.newestGood?.backup ?? null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const damaged = state.damaged;
  const good = state.newestGood;

  const restore = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      await commands.recoveryRestore({ file: chosen.fileName });
      onRestored();
    } catch (e) {
      setError(toAppError(e).message);
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <main className="recovery" data-testid="recovery-screen">
      <div className="recovery-card">
        <div className="recovery-brand">
          <LogoMark size={28} />
          <span>Leadbook</span>
        </div>
        <h1 className="recovery-title">
          <IconAlert size={20} /> Leadbook can’t open its database
        </h1>
        <p className="recovery-reason selectable" data-testid="recovery-reason">
          {damaged?.message}
        </p>
        <p className="recovery-path">
          Database: <span className="mono selectable">{state.dbPath}</span>
        </p>
        {good ? (
          <>
            <h2 className="recovery-h2">Restore a backup</h2>
            <ul className="recovery-backups" role="radiogroup" aria-label="Backups">
              {state.backups.map((b) => {
                const isGood = b.fileName === good.backup.fileName;
                return (
                  <li key={b.fileName}>
                    <label className={`recovery-backup${chosen?.fileName === b.fileName ? " is-chosen" : ""}`} data-testid="recovery-backup">
                      <input
                        type="radio"
                        name="backup"
                        checked={chosen?.fileName === b.fileName}
                        onChange={() => {
                          setChosen(b);
                          setConfirming(false);
                        }}
                        disabled={busy}
                      />
                      <span className="recovery-backup-when">{formatDateTime(b.createdAt)}</span>
                      <span className="faint">{BACKUP_KIND_LABELS[b.kind]}</span>
                      <span className="faint tabular">{formatBytes(b.sizeBytes)}</span>
                      {isGood && (
                        <span className="rule-tag" data-testid="recovery-newest-good">
                          newest good · {formatNumber(good.leads)} {good.leads === 1 ? "lead" : "leads"}
                        </span>
                      )}
                    </label>
                  </li>
                );
              })}
            </ul>
            {confirming ? (
              <div className="sync-confirm" role="alertdialog" aria-label="Restore" data-testid="recovery-confirm">
                <span>
                  The damaged file is kept beside it (renamed) and replaced by the backup of{" "}
                  <b>{chosen ? formatDateTime(chosen.createdAt) : ""}</b>. Changes made after that are not in the backup.
                </span>
                <div className="sync-confirm-actions">
                  <button type="button" className="btn btn-sm" onClick={() => setConfirming(false)} disabled={busy}>
                    Cancel
                  </button>
                  <button type="button" className="btn btn-sm btn-primary" data-testid="recovery-restore-confirm" autoFocus disabled={busy} onClick={() => void restore()}>
                    {busy && <Spinner label="Restoring" />}
                    Restore
                  </button>
                </div>
              </div>
            ) : (
              <button type="button" className="btn btn-primary" data-testid="recovery-restore" disabled={!chosen} onClick={() => setConfirming(true)}>
                Restore this backup
              </button>
            )}
          </>
        ) : (
          <p className="recovery-none" data-testid="recovery-no-backup">
            There is no backup of this database to restore. Move the file above out of the way to start Leadbook with an empty store,
            or copy it somewhere safe before anything else.
          </p>
        )}
        {error && (
          <div className="form-alert" role="alert" data-testid="recovery-error">
            <IconAlert />
            <span>{error}</span>
          </div>
        )}
      </div>
    </main>
  );
}
