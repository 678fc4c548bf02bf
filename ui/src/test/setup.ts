import { afterEach } from "vitest";
import { cleanup } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { resetFirstPaintForTests } from "../core/firstPaint";
import { resetScoringJobForTests } from "../features/scoring/scoringJob";

// jsdom has no layout. Give scroll containers a size so the virtualizer
// renders rows (the rest of the DOM keeps jsdom's zeros).
const sized = (el: Element) => el.classList.contains("table-scroll");
Object.defineProperty(HTMLElement.prototype, "clientHeight", {
  configurable: true,
  get(this: HTMLElement) {
    return sized(this) ? 720 : 0;
  },
});
Object.defineProperty(HTMLElement.prototype, "clientWidth", {
  configurable: true,
  get(this: HTMLElement) {
    return sized(this) ? 1000 : 0;
  },
});

afterEach(() => {
  cleanup();
  clearMocks();
  resetFirstPaintForTests();
  resetScoringJobForTests();
});
