import { createContext, useContext, useEffect, useRef, type ReactNode } from "react";
import { LEAD_DATA, invalidate } from "../../core/data";
import { useSyncStatus, type SyncStatusApi } from "./sync";

const SyncStatusContext = createContext<SyncStatusApi | null>(null);

/** One sync status for the window (the sidebar shows it in short, Settings in full). */
export function SyncStatusProvider({ children }: { children: ReactNode }) {
  const sync = useSyncStatus();
  // Each finished background run may have pulled rows: the lead data and reminders refetch.
  const lastSyncRun = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (!sync.status) return;
    const at = sync.status.lastSyncAt;
    const before = lastSyncRun.current;
    lastSyncRun.current = at;
    if (before !== undefined && at !== null && at !== before) invalidate([...LEAD_DATA, "reminders"]);
  }, [sync.status]);
  return <SyncStatusContext.Provider value={sync}>{children}</SyncStatusContext.Provider>;
}

export function useSync(): SyncStatusApi {
  const sync = useContext(SyncStatusContext);
  if (!sync) throw new Error("useSync outside SyncStatusProvider");
  return sync;
}
