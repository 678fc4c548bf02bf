import { createContext, useContext } from "react";
import type { Lead, Reminder, Source, Stage, StoreInfo } from "./bindings";

export type AppActions = {
  stages: Stage[];
  sources: Source[];
  storeInfo: StoreInfo | null;
  /** Bumped after every write; views refetch when it changes. */
  dataVersion: number;
  /** Bumped after reminder writes and reminder events; reminder lists and timelines refetch. */
  reminderVersion: number;
  openLead: (id: string) => void;
  openCompany: (id: string) => void;
  newLead: () => void;
  editLead: (lead: Lead) => void;
  /** Call after a successful write: refreshes store info and every table. */
  afterWrite: () => void;
  loadSampleData: () => Promise<void>;
  sampleBusy: boolean;
  /** Opens the reminder form for a new reminder on this lead. */
  newReminder: (lead: { id: string; name: string }) => void;
  /** Opens the reminder form to edit / reschedule. */
  editReminder: (reminder: Reminder) => void;
  /** Call after a reminder write: refreshes reminder lists, the badge and the open timeline. */
  afterReminderWrite: () => void;
  showReminders: () => void;
  /** Opens the Scoring view (rules, settings, distribution). */
  showScoring: () => void;
};

export const AppContext = createContext<AppActions | null>(null);

export function useApp(): AppActions {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error("useApp outside AppContext");
  return ctx;
}
