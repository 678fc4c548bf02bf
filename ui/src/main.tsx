import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import App from "./App";
import "./styles.css";

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
