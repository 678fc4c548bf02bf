import type { Lead } from "../../bindings";
import { showDialog } from "../../core/dialogs";
import { LEAD_DATA, invalidate } from "../../core/data";
import { LeadForm } from "./LeadForm";

/** The new / edit lead form; a saved lead opens in the side panel. */
export function showLeadForm(lead: Lead | null, openLead: (id: string) => void): void {
  showDialog("lead-form", (close) => (
    <LeadForm
      lead={lead}
      onClose={close}
      onSaved={(saved) => {
        close();
        invalidate(LEAD_DATA);
        openLead(saved.id);
      }}
    />
  ));
}
