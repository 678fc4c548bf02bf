import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
// The shared styles first, in cascade order: every feature's co-located styles come after them
// and may refine them (each feature imports its own .css as the first line of its component).
import "./core/tokens.css";
import "./core/base.css";
import "./core/layout.css";
import "./core/ui.css";
import "./core/Modal.css";
import "./core/Palette.css";
import "./core/Toasts.css";
import App from "./App";

async function start() {
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
