import type { LoggedKind } from "../../bindings";
import { showDialog } from "../../core/dialogs";
import { useToast } from "../../core/Toasts";
import { LogActivityForm, loggedKind } from "./LogActivityForm";

/** The log-activity form for a lead; the timeline, score and segments follow the command's stale tags. */
export function showLogActivity(lead: { id: string; name: string }, kind: LoggedKind, toast: ReturnType<typeof useToast>): void {
  showDialog("activity-form", (close) => (
    <LogActivityForm
      lead={lead}
      kind={kind}
      onClose={close}
      onSaved={(a) => {
        close();
        toast.push("success", loggedKind(a.activityType)?.done ?? "Logged");
      }}
    />
  ));
}
