import { useAppEvent } from "../core/events";
import { useToast } from "../core/Toasts";
import type { Navigation } from "./navigation";

/** The backend's window-wide events: what they make stale, and what they show. */
export function useShellEvents(nav: Navigation) {
  const toast = useToast();
  // Re-scores, segment refreshes, reminders fired and sync pulls come with `data-changed {tags}`,
  // which the data layer maps onto what refetches (`DataProvider`).
  // A bug somewhere in the app, or a damaged database found while running: say so, with what to do.
  useAppEvent("app-error", (e) => {
    toast.push("error", e.message, {
      duration: 60_000,
      actions:
        e.code === "corrupt_store" || e.code === "disk_full"
          ? [{ label: "Open Settings", testId: "toast-open-settings", primary: true, run: () => nav.show("settings") }]
          : [],
    });
  });
  // A backup replaced the store: every view reads everything again.
  useAppEvent("store-restored", () => window.location.reload());
  useAppEvent("open-lead", nav.openLead);
}
