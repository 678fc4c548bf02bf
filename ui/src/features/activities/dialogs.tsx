import type { LoggedKind } from "../../bindings";
import { showDialog } from "../../core/dialogs";
import { useToast } from "../../core/Toasts";
import { LogActivityForm } from "./LogActivityForm";

/** The toast for each logged `activityType`. */
const DONE: Record<string, string> = { call_made: "Call logged", email_sent: "Email logged", meeting_held: "Meeting logged", note_added: "Note added" };

/** The log-activity form for a lead; the timeline, score and segments follow the command's stale tags. */
export function showLogActivity(lead: { id: string; name: string }, kind: LoggedKind, toast: ReturnType<typeof useToast>): void {
  showDialog("activity-form", (close) => (
    <LogActivityForm
      lead={lead}
      kind={kind}
      onClose={close}
      onSaved={(a) => {
        close();
        toast.push("success", DONE[a.activityType] ?? "Logged");
      }}
    />
  ));
}
