// Team sync with a PostgreSQL server. The Rust side syncs in the background once set up and reports
// every run as a `sync-status` event; the window keeps the latest status here (the sidebar shows it
// in short, Settings in full). Nothing in the UI waits on the network except the button pressed.
import { useCallback, useEffect, useRef, useState } from "react";
import { commands, type AppError, type SyncReport, type SyncStatus } from "../../bindings";
import { toAppError } from "../../core/errors";
import { useOnInvalidate } from "../../core/data";
import { useAppEvent } from "../../core/events";
import { formatDateTime, formatNumber, relativeTime } from "../../core/format";
import { createLatest } from "../../core/latest";

export type SyncState = "off" | "synced" | "pending" | "offline" | "error";

export type SyncStatusApi = {
  /** null until the first answer. */
  status: SyncStatus | null;
  /** The last `sync_status` call failed (and no event has arrived since). */
  error: AppError | null;
  /** Re-reads the status (after setup, sync now, forget; or a retry). */
  refresh: () => Promise<void>;
};

/** The sync status: read once on mount, then kept current by `sync-status` events. */
export function useSyncStatus(): SyncStatusApi {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const latest = useRef(createLatest());

  const refresh = useCallback(async () => {
    try {
      const res = await latest.current.run(() => commands.syncStatus());
      if (res.stale) return;
      setStatus(res.value);
      setError(null);
    } catch (e) {
      setError(toAppError(e));
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  // The backend says the sync status is stale (a `data-changed` event naming `sync`).
  useOnInvalidate(["sync"], () => void refresh());
  useAppEvent("sync-status", (s) => {
    // Newer than any read still in flight.
    latest.current.cancel();
    setStatus(s);
    setError(null);
  });
  return { status, error, refresh };
}

/** A tick every `ms` so "2 minutes ago" stays true while a view is open. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export function syncState(status: SyncStatus): SyncState {
  const s = status.state;
  return s === "synced" || s === "pending" || s === "offline" || s === "error" ? s : "off";
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** The sidebar's word or two: "Synced", "Syncing 3", "Offline", "Sync error". */
export function shortSyncLabel(status: SyncStatus): string {
  switch (syncState(status)) {
    case "synced":
      return "Synced";
    case "pending":
      return status.pending > 0 ? `Syncing ${formatNumber(status.pending)}` : "Syncing…";
    case "offline":
      return "Offline";
    case "error":
      return "Sync error";
    default:
      return "Sync off";
  }
}

/** Settings' headline: "Synced", "Syncing 3 changes", "Offline since 14:05", "Sync error". */
export function syncHeadline(status: SyncStatus, now: number = Date.now()): string {
  switch (syncState(status)) {
    case "synced":
      return "Synced";
    case "pending":
      return status.pending > 0 ? `Syncing ${plural(status.pending, "change")}` : "Syncing…";
    case "offline":
      return status.offlineSince ? `Offline since ${sinceLabel(status.offlineSince, now)}` : "Offline";
    case "error":
      return "Sync error";
    default:
      return "Sync is off";
  }
}

/** The sidebar indicator's tooltip: the headline, the error, the last run, anything set aside. */
export function syncTooltip(status: SyncStatus, now: number = Date.now()): string {
  const state = syncState(status);
  const parts = [syncHeadline(status, now)];
  if (status.lastError && (state === "error" || state === "offline")) parts.push(status.lastError.message);
  if (status.lastSyncAt) parts.push(`Last synced ${relativeTime(status.lastSyncAt, now)}`);
  if (status.rejected > 0) parts.push(`${formatNumber(status.rejected)} set aside`);
  return `${parts.join(" · ")}. Click for Settings.`;
}

/** A time today as "2:05 PM", an older one with its date. */
export function sinceLabel(iso: string, now: number = Date.now()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  const today = new Date(now);
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? d.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" }) : formatDateTime(iso);
}

/** "Pushed 3, pulled 12" (with what was set aside or lost a conflict, if anything). */
export function syncReportMessage(r: SyncReport): string {
  if (r.pushed === 0 && r.pulled === 0 && r.rejected === 0 && r.conflicts === 0) return "Already up to date";
  let msg = `Pushed ${formatNumber(r.pushed)}, pulled ${formatNumber(r.pulled)}`;
  if (r.rejected > 0) msg += `, ${formatNumber(r.rejected)} set aside`;
  if (r.conflicts > 0) msg += `, ${plural(r.conflicts, "edit")} here replaced by newer ones`;
  return msg;
}

/** A row id short enough for a list: the first 8 characters of a UUID. */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

/** A password written into the address itself (`postgres://ann:secret@host/db`). */
export function hasInlinePassword(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/@:]+:[^/@]+@/i.test(url.trim());
}
