import { createContext, useContext } from "react";
import type { Lead, Source, Stage, StoreInfo } from "./bindings";

export type AppActions = {
  stages: Stage[];
  sources: Source[];
  storeInfo: StoreInfo | null;
  /** Bumped after every write; views refetch when it changes. */
  dataVersion: number;
  openLead: (id: string) => void;
  openCompany: (id: string) => void;
  newLead: () => void;
  editLead: (lead: Lead) => void;
  /** Call after a successful write: refreshes store info and every table. */
  afterWrite: () => void;
  loadSampleData: () => Promise<void>;
  sampleBusy: boolean;
};

export const AppContext = createContext<AppActions | null>(null);

export function useApp(): AppActions {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error("useApp outside AppContext");
  return ctx;
}
