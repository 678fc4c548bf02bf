// Accessibility check of the UI in a plain browser, against the fake backend (no Rust build).
//
//   npm run dev:mock            # in another shell: serves the UI on 127.0.0.1:5173
//   node scripts/a11y.mjs       # opens every view and the lead panel in light and dark, runs axe-core
//
// Options (env): A11Y_URL (default http://127.0.0.1:5173/?leads=2000), CHROMIUM (default
// /usr/bin/chromium), A11Y_RULES (comma list, default all rules), A11Y_STRICT=1 to exit 1 on any
// violation. Also reports page errors (an uncaught exception fails the run).
import { chromium } from "playwright-core";
import axe from "axe-core";

const url = process.env.A11Y_URL ?? "http://127.0.0.1:5173/?leads=2000";
const rules = process.env.A11Y_RULES?.split(",").filter(Boolean);
const VIEWS = ["leads", "companies", "segments", "scoring", "reminders", "import", "settings"];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
let total = 0;
let pageErrors = 0;
for (const colorScheme of ["light", "dark"]) {
  const page = await browser.newPage({ colorScheme, viewport: { width: 1440, height: 900 } });
  page.on("pageerror", (e) => {
    pageErrors++;
    console.log(`[${colorScheme}] page error: ${e.message}`);
  });
  page.on("console", (m) => m.type() === "error" && console.log(`[${colorScheme}] console error: ${m.text()}`));
  await page.goto(url);
  await page.waitForSelector('[data-testid="lead-row"]');
  await page.addScriptTag({ content: axe.source });

  const check = async (where) => {
    // Let fetches settle and transitions end before measuring colours.
    await page.waitForTimeout(600);
    const result = await page.evaluate(
      (only) => window.axe.run(document, only ? { runOnly: { type: "rule", values: only } } : {}),
      rules ?? null,
    );
    for (const v of result.violations) {
      total += v.nodes.length;
      console.log(`[${colorScheme}] ${where}: ${v.id} (${v.impact}) on ${v.nodes.length} element(s)`);
      for (const n of v.nodes.slice(0, 20)) console.log(`    ${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1).join(" ").trim()}`);
    }
    if (result.violations.length === 0) console.log(`[${colorScheme}] ${where}: no violations`);
  };

  for (const view of VIEWS) {
    await page.click(`[data-testid="nav-${view}"]`);
    await check(view);
  }
  await page.click('[data-testid="nav-leads"]');
  await page.click('[data-testid="lead-row"]');
  await page.waitForSelector('[data-testid="lead-detail"] [data-testid="lead-score"]');
  await check("lead panel");
  await page.close();
}
await browser.close();
console.log(`${total} violating element(s), ${pageErrors} page error(s)`);
if (pageErrors > 0 || (process.env.A11Y_STRICT === "1" && total > 0)) process.exit(1);
