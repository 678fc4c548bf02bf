import "./backups.css";
import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { commands, type Backup, type BackupCheck, type BackupKind } from "../../bindings";
import { toAppError } from "../../core/errors";
import { formatDateTime, formatNumber } from "../../core/format";
import { Modal } from "../../core/Modal";
import { useToast } from "../../core/Toasts";
import { ErrorState, Spinner } from "../../core/ui";
import { IconAlert } from "../../core/icons";

export const BACKUP_KIND_LABELS: Record<BackupKind, string> = {
  daily: "Daily",
  manual: "By hand",
  "pre-migration": "Before an upgrade",
  "pre-undo": "Before an import undo",
  "pre-restore": "Before a restore",
};

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  return `${formatNumber(Math.max(1, Math.ceil(n / 1024)))} KB`;
}

/** Settings → Backups: the snapshots Leadbook keeps, one taken by hand, and restoring one. */
export function BackupsCard({ syncing }: { syncing: boolean }) {
  const toast = useToast();
  const list = useQuery({ queryKey: ["backups", "list"], queryFn: () => commands.backupList() });
  const backups = list.data ?? null;
  const error = list.error ? toAppError(list.error).message : null;
  const [creating, setCreating] = useState(false);
  const [restoring, setRestoring] = useState<Backup | null>(null);

  const load = async () => {
    await list.refetch();
  };

  const backUpNow = async () => {
    setCreating(true);
    try {
      const made = await commands.backupCreate();
      toast.push("success", `Backed up (${formatBytes(made.sizeBytes)})`);
      await load();
    } catch (e) {
      toast.push("error", `Couldn't back up: ${toAppError(e).message}`);
    } finally {
      setCreating(false);
    }
  };

  const reveal = async (file: string | null) => {
    try {
      await commands.backupReveal({ file });
    } catch (e) {
      toast.push("error", toAppError(e).message);
    }
  };

  return (
    <div className="settings-card" data-testid="backups-card">
      <h2 className="settings-h2">Backups</h2>
      <p className="settings-text">
        Leadbook snapshots your store once a day (the last 7 days and 4 weeks are kept) and before every upgrade, import undo and
        restore. Each snapshot is checked after it is written.
      </p>
      <div className="backup-actions">
        <button type="button" className="btn btn-primary" data-testid="backup-now" disabled={creating} onClick={() => void backUpNow()}>
          {creating && <Spinner label="Backing up" />}
          {creating ? "Backing up…" : "Back up now"}
        </button>
        <button type="button" className="btn" data-testid="backup-reveal" onClick={() => void reveal(null)}>
          Show in folder
        </button>
      </div>
      {error ? (
        <ErrorState testId="backups-error" title="Couldn't list the backups" message={error} onRetry={() => void load()} />
      ) : backups === null ? (
        <div className="center-pad">
          <Spinner label="Loading backups" />
        </div>
      ) : backups.length === 0 ? (
        <p className="settings-text faint" data-testid="backups-empty">
          No backups yet. The first daily one is taken a minute after Leadbook starts.
        </p>
      ) : (
        <table className="backup-table" data-testid="backup-list">
          <thead>
            <tr>
              <th scope="col">Taken</th>
              <th scope="col">Why</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => (
              <tr key={b.fileName} data-testid="backup-row" data-file={b.fileName}>
                <td title={b.fileName}>{formatDateTime(b.createdAt)}</td>
                <td>{BACKUP_KIND_LABELS[b.kind]}</td>
                <td className="num tabular">{formatBytes(b.sizeBytes)}</td>
                <td className="backup-row-actions">
                  <button type="button" className="btn btn-sm" data-testid="backup-restore" onClick={() => setRestoring(b)}>
                    Restore…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {restoring && <RestoreDialog backup={restoring} syncing={syncing} onClose={() => setRestoring(null)} />}
    </div>
  );
}

/** Says exactly what a restore replaces before doing it; the app reloads once it is done. */
function RestoreDialog({ backup, syncing, onClose }: { backup: Backup; syncing: boolean; onClose: () => void }) {
  const toast = useToast();
  const [check, setCheck] = useState<BackupCheck | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    commands.backupCheck({ file: backup.fileName }).then(
      (c) => live && setCheck(c),
      (e: unknown) => live && setProblem(toAppError(e).message),
    );
    return () => {
      live = false;
    };
  }, [backup.fileName]);

  const restore = async () => {
    setBusy(true);
    try {
      const done = await commands.backupRestore({ file: backup.fileName });
      toast.push("success", `Restored the backup of ${formatDateTime(done.restored.backup.createdAt)}`);
      // The app reloads on "store-restored"; close in case the event is late.
      onClose();
    } catch (e) {
      setProblem(toAppError(e).message);
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Restore this backup?"
      onClose={busy ? () => {} : onClose}
      size="sm"
      testId="backup-restore-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-danger-solid"
            data-testid="backup-restore-confirm"
            disabled={busy || check === null}
            onClick={() => void restore()}
          >
            {busy && <Spinner label="Restoring" />}
            {busy ? "Restoring…" : "Replace and restore"}
          </button>
        </>
      }
    >
      {problem ? (
        <div className="form-alert" role="alert" data-testid="backup-restore-problem">
          <IconAlert />
          <span>{problem}</span>
        </div>
      ) : check === null ? (
        <div className="center-pad">
          <Spinner label="Checking the backup" />
        </div>
      ) : (
        <div className="restore-summary" data-testid="backup-restore-summary">
          <p>
            Everything in this store — leads, companies, reminders, segments, scoring rules and settings — is replaced by the backup of{" "}
            <b>{formatDateTime(check.backup.createdAt)}</b>: <b data-testid="backup-restore-leads">{formatNumber(check.leads)}</b>{" "}
            {check.leads === 1 ? "lead" : "leads"} and {formatNumber(check.companies)} {check.companies === 1 ? "company" : "companies"}.
          </p>
          <p>Changes made since then are lost. The store as it is now is backed up first, so you can go back.</p>
          {syncing && (
            <p data-testid="backup-restore-sync-note">
              With team sync on, the next sync brings back everything the server has that is newer than the backup, and leads deleted
              since stay deleted; changes not yet sent are lost.
            </p>
          )}
        </div>
      )}
    </Modal>
  );
}
