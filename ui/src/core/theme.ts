// Light or dark. The choice lives in the store (Settings → General); a copy in localStorage lets
// the first paint use it before the backend answers, so a dark choice never flashes white.
// The resolved theme is `data-theme` on <html>, which tokens.css keys the dark palette on.
import type { Theme } from "../bindings";

const CACHE_KEY = "leadbook.theme";
const SYSTEM_DARK = "(prefers-color-scheme: dark)";

let choice: Theme = "system";
let following: MediaQueryList | null = null;

function resolve(): "light" | "dark" {
  if (choice !== "system") return choice;
  return window.matchMedia?.(SYSTEM_DARK).matches ? "dark" : "light";
}

function paint() {
  document.documentElement.dataset.theme = resolve();
}

/** Applies `theme` now and for the next start; "system" keeps following the OS while it changes. */
export function applyTheme(theme: Theme): void {
  choice = theme;
  try {
    localStorage.setItem(CACHE_KEY, theme);
  } catch {
    // Storage refused (private mode): the store still has the choice.
  }
  if (!following && window.matchMedia) {
    following = window.matchMedia(SYSTEM_DARK);
    following.addEventListener?.("change", () => choice === "system" && paint());
  }
  paint();
}

/** Before the first render: the theme chosen last time. */
export function bootTheme(): void {
  let cached: string | null = null;
  try {
    cached = localStorage.getItem(CACHE_KEY);
  } catch {
    cached = null;
  }
  applyTheme(cached === "light" || cached === "dark" ? cached : "system");
}
