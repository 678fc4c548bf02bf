import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
// Every stylesheet, in cascade order: the shared ones, then each feature's. Each component also
// imports its own co-located .css; this list only pins the order, so which rule wins never depends
// on which module happens to load first. A new feature's stylesheet gets a line here.
import "./core/tokens.css";
import "./core/base.css";
import "./core/layout.css";
import "./core/ui.css";
import "./core/Modal.css";
import "./core/Palette.css";
import "./core/Toasts.css";
import "./features/leads/LeadsTable.css";
import "./features/leads/LeadDetail.css";
import "./features/companies/companies.css";
import "./features/reminders/reminders.css";
import "./features/import/import.css";
import "./features/segments/segments.css";
import "./features/scoring/scoring.css";
import "./features/settings/settings.css";
import "./features/sync/sync.css";
import "./features/backups/backups.css";
import "./features/backups/RecoveryScreen.css";
import "./features/activities/activities.css";
import App from "./App";
import { bootTheme } from "./core/theme";

async function start() {
  bootTheme();
  // Dev-only fake backend (ui/dev/). The condition is a compile-time constant,
  // so production builds drop the import entirely.
  if (import.meta.env.MODE === "preview-mock") {
    await import("../dev/mockBackend");
  }
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

void start();
