import { useEffect, useRef } from "react";
import { closeTopLayer, isTypingTarget } from "../core/layers";
import { showLeadForm } from "../features/leads/dialogs";
import type { Navigation } from "./navigation";

/**
 * The window's keyboard map: Ctrl/⌘K the palette, Esc the top layer, "/" the search, "n" a new
 * lead, "l" log an activity on the open lead. Installed once; it reads the latest state through a ref.
 */
export function useGlobalKeys(nav: Navigation, paletteOpen: boolean, setPaletteOpen: (update: (open: boolean) => boolean) => void) {
  const state = useRef({ nav, paletteOpen, setPaletteOpen });
  state.current = { nav, paletteOpen, setPaletteOpen };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const { nav, paletteOpen, setPaletteOpen } = state.current;
      const modalOpen = document.querySelector(".overlay") !== null;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k") {
        if (modalOpen && !paletteOpen) return;
        e.preventDefault();
        setPaletteOpen((open) => !open);
        return;
      }
      if (e.key === "Escape") {
        if (closeTopLayer()) e.preventDefault();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || modalOpen || isTypingTarget(e.target)) return;
      if (e.key === "/") {
        e.preventDefault();
        const input = document.querySelector<HTMLInputElement>('[data-hotkey="search"]');
        if (input) {
          input.focus();
          input.select();
        } else {
          nav.show("leads");
          setTimeout(() => document.querySelector<HTMLInputElement>('[data-hotkey="search"]')?.focus(), 0);
        }
      } else if (e.key === "n") {
        e.preventDefault();
        showLeadForm(null, nav.openLead);
      } else if (e.key === "l" && nav.leadId) {
        // The panel's Log button knows the lead; the key presses it.
        const log = document.querySelector<HTMLButtonElement>('[data-testid="log-activity"]');
        if (log) {
          e.preventDefault();
          log.click();
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
