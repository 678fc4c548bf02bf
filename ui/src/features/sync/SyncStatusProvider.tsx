import { createContext, useContext, type ReactNode } from "react";
import { useSyncStatus, type SyncStatusApi } from "./sync";

const SyncStatusContext = createContext<SyncStatusApi | null>(null);

/** One sync status for the window (the sidebar shows it in short, Settings in full). */
export function SyncStatusProvider({ children }: { children: ReactNode }) {
  const sync = useSyncStatus();
  // A background run that pulled rows says so with `data-changed` (every tag); the data layer refetches.
  return <SyncStatusContext.Provider value={sync}>{children}</SyncStatusContext.Provider>;
}

export function useSync(): SyncStatusApi {
  const sync = useContext(SyncStatusContext);
  if (!sync) throw new Error("useSync outside SyncStatusProvider");
  return sync;
}
