import { describe, expect, it } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import App from "../../App";
import type { Activity, FieldInfo, RecomputeSummary, RuleInput, ScoreExplanation, ScoringRule } from "../../bindings";
import { installBackend } from "../../test/backend";

const FIELDS: FieldInfo[] = [
  { name: "job_title", label: "Job title", kind: "text", operators: ["eq", "ne", "contains", "in", "is_empty", "is_not_empty"], group: "Lead" },
  { name: "score", label: "Score", kind: "number", operators: ["eq", "ne", "gt", "ge", "lt", "le", "in"], group: "Lead" },
  { name: "inquiries", label: "Inquiries", kind: "count", operators: ["eq", "gt", "lt"], group: "Activity" },
  { name: "company.industry", label: "Company industry", kind: "text", operators: ["eq", "ne", "contains", "in", "is_empty", "is_not_empty"], group: "Company" },
];

const SUMMARY: RecomputeSummary = { scored: 20, raised: 12345, lowered: 210, crossings: 3, durationMs: 850 };

function makeRule(id: string, input: RuleInput, summary = "job title contains “ceo”: +15"): ScoringRule {
  return { id, ...input, summary, broken: null, createdAt: "2026-11-01T00:00:00Z", updatedAt: "2026-11-01T00:00:00Z" };
}

const CEO: RuleInput = {
  name: "Decision makers",
  criteria: { kind: "field", field: "job_title", condition: "contains", values: ["ceo"], ofType: null, windowDays: null },
  points: 15,
  perMatch: false,
  active: true,
  validFrom: null,
  validUntil: null,
};

/** A promise the test settles by hand, to hold a command "in flight". */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function openScoring(rules: ScoringRule[], overrides: Record<string, (args: any) => unknown> = {}) {
  const backend = installBackend(20, {
    rule_list: () => rules,
    segment_fields: () => FIELDS,
    segment_field_values: () => [],
    rule_preview_change: () => SUMMARY,
    rule_create: ({ input }) => {
      const rule = makeRule(`rule-${rules.length + 1}`, input);
      rules.push(rule);
      return rule;
    },
    rule_update: ({ id, input }) => {
      const rule = makeRule(id, input);
      rules.splice(rules.findIndex((r) => r.id === id), 1, rule);
      return rule;
    },
    rule_delete: ({ id }) => {
      rules.splice(rules.findIndex((r) => r.id === id), 1);
      return null;
    },
    score_recompute: () => SUMMARY,
    ...overrides,
  });
  render(<App />);
  fireEvent.click(await screen.findByTestId("nav-scoring"));
  await screen.findByTestId("scoring-view");
  return backend;
}

const change = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });

describe("scoring rules", () => {
  it("tests a count field (logged calls, inquiries) in a window of days", async () => {
    const backend = await openScoring([]);
    fireEvent.click(await screen.findByTestId("new-rule"));
    const editor = await screen.findByTestId("rule-editor");
    await waitFor(() => expect(within(editor).getByTestId("rule-field").querySelectorAll("option").length).toBe(4));
    expect(within(editor).queryByTestId("rule-window")).toBeNull();
    change(within(editor).getByTestId("rule-name"), "Asked twice this month");
    change(within(editor).getByTestId("rule-field"), "inquiries");
    change(within(editor).getByTestId("rule-condition"), "greater_than");
    change(within(editor).getByTestId("rule-value"), "1");
    change(within(editor).getByTestId("rule-window"), "30");
    change(within(editor).getByTestId("rule-points"), "20");
    fireEvent.click(within(editor).getByTestId("rule-save"));
    await waitFor(() => expect(backend.callsTo("rule_create")).toHaveLength(1));
    const sent = backend.callsTo("rule_create")[0].args.input as RuleInput;
    expect(sent.criteria).toMatchObject({ kind: "field", field: "inquiries", condition: "greater_than", values: ["1"], windowDays: 30 });
  });

  it("explains rules when there are none, and sends the rule as edited with a live preview", async () => {
    const backend = await openScoring([]);
    expect((await screen.findByTestId("rules-empty")).textContent).toContain("A rule gives a lead points");
    fireEvent.click(screen.getByTestId("new-rule"));
    const editor = await screen.findByTestId("rule-editor");

    // The lead-field list is the segment catalog, counts too (grouped).
    await waitFor(() => expect(within(editor).getByTestId("rule-field").querySelectorAll("option").length).toBe(4));
    const fieldSelect = within(editor).getByTestId("rule-field") as HTMLSelectElement;
    expect([...fieldSelect.options].map((o) => o.value).sort()).toEqual(["company.industry", "inquiries", "job_title", "score"]);
    expect(fieldSelect.value).toBe("job_title");

    // Before a value is entered, nothing is counted.
    expect(within(editor).getByTestId("rule-preview").textContent).toContain("Enter a value");
    change(within(editor).getByTestId("rule-name"), "Decision makers");
    change(within(editor).getByTestId("rule-condition"), "contains");
    change(within(editor).getByTestId("rule-value"), "ceo");
    change(within(editor).getByTestId("rule-points"), "15");
    expect(within(editor).getByTestId("rule-preview").textContent).toContain("Counting…");
    await waitFor(() => expect(within(editor).getByTestId("rule-preview").textContent).toContain("This change would raise 12,345 leads and lower 210"));
    // Debounced: one preview for the burst of edits, with the rule as it now stands.
    expect(backend.callsTo("rule_preview_change")).toHaveLength(1);
    expect(backend.callsTo("rule_preview_change")[0].args).toEqual({ change: { id: null, input: CEO } });

    fireEvent.click(within(editor).getByTestId("rule-save"));
    await waitFor(() => expect(screen.queryByTestId("rule-editor")).toBeNull());
    expect(backend.callsTo("rule_create")[0].args).toEqual({ input: CEO });
    // Saving re-scores in the background and says what changed.
    await waitFor(() => expect(backend.callsTo("score_recompute")[0]?.args).toEqual({ detail: "Rule “Decision makers” saved" }));
    await waitFor(() => expect(screen.getAllByTestId("toast").some((t) => t.textContent === "Re-scored: 12,345 raised, 210 lowered")).toBe(true));
    const row = await screen.findByTestId("rule-row");
    expect(row.textContent).toContain("Decision makers");
    expect(within(row).getByTestId("rule-points-badge").textContent).toBe("+15");
    expect(within(row).getByTestId("rule-points-badge").className).toContain("points-pos");
  });

  it("builds a per-match event rule with several values, a type and a window", async () => {
    const backend = await openScoring([]);
    fireEvent.click(screen.getByTestId("new-rule"));
    const editor = await screen.findByTestId("rule-editor");
    change(within(editor).getByTestId("rule-name"), "Pricing interest");
    change(within(editor).getByTestId("rule-kind"), "event");
    // Events test their type or value; counts offer number conditions only.
    const field = within(editor).getByTestId("rule-field") as HTMLSelectElement;
    expect([...field.options].map((o) => o.value)).toEqual(["type", "value"]);
    change(field, "value");
    change(within(editor).getByTestId("rule-condition"), "in");
    change(within(editor).getByTestId("rule-value"), "/pricing, /demo ,");
    change(within(editor).getByTestId("rule-of-type"), "page_view");
    change(within(editor).getByTestId("rule-window"), "30");
    change(within(editor).getByTestId("rule-points"), "5");
    fireEvent.click(within(editor).getByTestId("rule-per-match"));
    fireEvent.click(within(editor).getByTestId("rule-save"));
    await waitFor(() => expect(backend.callsTo("rule_create")).toHaveLength(1));
    expect(backend.callsTo("rule_create")[0].args.input).toEqual({
      name: "Pricing interest",
      criteria: { kind: "event", field: "value", condition: "in", values: ["/pricing", "/demo"], ofType: "page_view", windowDays: 30 },
      points: 5,
      perMatch: true,
      active: true,
      validFrom: null,
      validUntil: null,
    });
  });

  it("offers number conditions for counts and drops per-match outside inquiry / event rules", async () => {
    await openScoring([]);
    fireEvent.click(screen.getByTestId("new-rule"));
    const editor = await screen.findByTestId("rule-editor");
    change(within(editor).getByTestId("rule-kind"), "inquiry_count");
    expect(within(editor).queryByTestId("rule-field")).toBeNull();
    const conditions = [...(within(editor).getByTestId("rule-condition") as HTMLSelectElement).options].map((o) => o.value);
    expect(conditions).toEqual(["equals", "not_equals", "greater_than", "less_than", "exists", "not_exists"]);
    expect((within(editor).getByTestId("rule-per-match") as HTMLInputElement).disabled).toBe(true);
    // No value box for "is 0".
    change(within(editor).getByTestId("rule-condition"), "not_exists");
    expect(within(editor).queryByTestId("rule-value")).toBeNull();
  });

  it("shows a backend error under the field it names, and the preview's error in the preview line", async () => {
    const backend = await openScoring([], {
      rule_create: () => {
        throw { code: "required", message: "A rule needs a name", field: "name" };
      },
      rule_preview_change: ({ change: c }) => {
        if (c.input.criteria.values[0] === "12x") throw { code: "invalid_rule", message: "“12x” is not a number", field: "values" };
        return SUMMARY;
      },
    });
    fireEvent.click(screen.getByTestId("new-rule"));
    const editor = await screen.findByTestId("rule-editor");
    change(within(editor).getByTestId("rule-kind"), "email_domain");
    change(within(editor).getByTestId("rule-condition"), "equals");
    change(within(editor).getByTestId("rule-value"), "12x");
    await waitFor(() => expect(within(editor).getByTestId("rule-preview").textContent).toBe("“12x” is not a number"));
    expect(within(editor).getByTestId("rule-value").getAttribute("aria-invalid")).toBe("true");

    // Saving without a name: the message sits under the name, which gets the focus.
    fireEvent.click(within(editor).getByTestId("rule-save"));
    await waitFor(() => expect(within(editor).getAllByTestId("rule-field-error")).toHaveLength(1));
    const name = within(editor).getByTestId("rule-name");
    expect(name.closest(".field")!.textContent).toContain("A rule needs a name");
    expect(name.getAttribute("aria-invalid")).toBe("true");
    await waitFor(() => expect(document.activeElement).toBe(name));
    expect(backend.callsTo("rule_create")[0].args.input.criteria).toEqual({
      kind: "email_domain",
      field: null,
      condition: "equals",
      values: ["12x"],
      ofType: null,
      windowDays: null,
    });
    // Typing in the field clears its error.
    change(name, "Gmail");
    expect(within(editor).queryByTestId("rule-field-error")).toBeNull();
  });

  it("checks points before calling the backend", async () => {
    const backend = await openScoring([]);
    fireEvent.click(screen.getByTestId("new-rule"));
    const editor = await screen.findByTestId("rule-editor");
    change(within(editor).getByTestId("rule-name"), "Too much");
    change(within(editor).getByTestId("rule-value"), "ceo");
    change(within(editor).getByTestId("rule-points"), "150");
    fireEvent.click(within(editor).getByTestId("rule-save"));
    const points = within(editor).getByTestId("rule-points");
    await waitFor(() => expect(points.closest(".field")!.textContent).toContain("from −100 to 100"));
    expect(backend.callsTo("rule_create")).toHaveLength(0);
    expect(backend.callsTo("rule_preview_change")).toHaveLength(0);
  });

  it("edits, turns off and deletes a rule, re-scoring after each, with live progress", async () => {
    const rules = [makeRule("rule-1", CEO)];
    const run = deferred<RecomputeSummary>();
    const backend = await openScoring(rules, { score_recompute: () => run.promise });
    const row = await screen.findByTestId("rule-row");
    expect(within(row).getByTestId("rule-summary").textContent).toBe("job title contains “ceo”: +15");

    fireEvent.click(within(row).getByTestId("edit-rule"));
    const editor = await screen.findByTestId("rule-editor");
    expect((within(editor).getByTestId("rule-name") as HTMLInputElement).value).toBe("Decision makers");
    expect((within(editor).getByTestId("rule-value") as HTMLInputElement).value).toBe("ceo");
    change(within(editor).getByTestId("rule-points"), "20");
    await waitFor(() => expect(backend.callsTo("rule_preview_change").at(-1)?.args.change.id).toBe("rule-1"));
    fireEvent.click(within(editor).getByTestId("rule-save"));
    await waitFor(() => expect(backend.callsTo("rule_update")).toHaveLength(1));
    expect(backend.callsTo("rule_update")[0].args).toEqual({ id: "rule-1", input: { ...CEO, points: 20 } });

    // Progress while the re-score runs; the UI stays usable.
    await waitFor(() => expect(backend.callsTo("score_recompute")).toHaveLength(1));
    expect(await screen.findByTestId("score-progress")).toBeTruthy();
    await act(() => emit("score-progress", { done: 250_000, total: 1_000_000 }));
    await waitFor(() => expect(screen.getByTestId("score-progress-text").textContent).toBe("Re-scoring 250,000 of 1,000,000 leads"));
    expect(screen.getByTestId("scoring-badge").textContent).toBe("25%");

    // Turning it off while that runs queues one more pass.
    fireEvent.click(within(screen.getByTestId("rule-row")).getByTestId("rule-toggle"));
    await waitFor(() => expect(backend.callsTo("rule_update")).toHaveLength(2));
    expect(backend.callsTo("rule_update")[1].args.input.active).toBe(false);
    expect(within(screen.getByTestId("rule-row")).getByTestId("rule-toggle").getAttribute("aria-checked")).toBe("false");
    expect(backend.callsTo("score_recompute")).toHaveLength(1);
    await act(async () => run.resolve(SUMMARY));
    await waitFor(() => expect(backend.callsTo("score_recompute")).toHaveLength(2));
    expect(backend.callsTo("score_recompute")[1].args.detail).toBe("Rule “Decision makers” turned off");

    // Delete after a confirm step that says what removing it does (nothing, now that it is off).
    const previews = backend.callsTo("rule_preview_change").length;
    fireEvent.click(within(screen.getByTestId("rule-row")).getByTestId("delete-rule"));
    expect(screen.getByTestId("delete-rule-impact").textContent).toBe("It is off, so no score changes.");
    expect(backend.callsTo("rule_preview_change")).toHaveLength(previews);
    fireEvent.click(screen.getByTestId("confirm-delete-rule"));
    await waitFor(() => expect(backend.callsTo("rule_delete")[0]?.args).toEqual({ id: "rule-1" }));
    await waitFor(() => expect(screen.queryByTestId("rule-row")).toBeNull());
  });

  it("counts what deleting an active rule would do before it is confirmed", async () => {
    const backend = await openScoring([makeRule("rule-1", CEO)], {
      rule_preview_change: () => ({ ...SUMMARY, raised: 0, lowered: 1234 }),
    });
    fireEvent.click(within(await screen.findByTestId("rule-row")).getByTestId("delete-rule"));
    await waitFor(() => expect(screen.getByTestId("delete-rule-impact").textContent).toBe("1,234 leads would go down, 0 up."));
    expect(backend.callsTo("rule_preview_change")[0].args).toEqual({ change: { id: "rule-1", input: null } });
    fireEvent.click(screen.getByTestId("confirm-delete-rule"));
    await waitFor(() => expect(backend.callsTo("score_recompute")[0]?.args).toEqual({ detail: "Rule “Decision makers” removed" }));
  });

  it("draws the score distribution as 10 bars and redraws when scores change", async () => {
    const counts = [120, 300, 250, 180, 90, 60, 40, 25, 10, 5];
    let calls = 0;
    await openScoring([], { score_distribution: () => (calls++ === 0 ? counts : counts.map((n) => n + 1)) });
    const hist = await screen.findByTestId("score-histogram");
    const bars = within(hist).getAllByTestId("histogram-bar");
    expect(bars).toHaveLength(10);
    expect(bars[7].querySelector("title")!.textContent).toBe("Score 70–79: 25 leads (2%)");
    expect(bars[9].querySelector("title")!.textContent).toContain("Score 90–100: 5 leads");
    expect(hist.textContent).toContain("1,080 leads");
    expect(hist.textContent).toContain("40 hot (≥ 70)");
    expect(hist.textContent).toContain("0–9");
    await act(() => emit("scores-changed", SUMMARY));
    await act(() => emit("data-changed", { tags: ["scores", "leads", "segments"] }));
    await waitFor(() => expect(within(screen.getByTestId("score-histogram")).getAllByTestId("histogram-bar")[0].getAttribute("data-count")).toBe("121"));
  });

  it("saves decay and thresholds, then re-scores", async () => {
    const backend = await openScoring([], {
      score_set_settings: ({ input }) => input,
    });
    const settings = await screen.findByTestId("scoring-settings");
    await waitFor(() => expect(within(settings).getAllByTestId("threshold-row")).toHaveLength(1));
    const save = within(settings).getByTestId("save-scoring-settings") as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.click(within(settings).getByTestId("decay-toggle"));
    change(within(settings).getByTestId("decay-half-life"), "14");
    fireEvent.click(within(settings).getByTestId("add-threshold"));
    const scores = within(settings).getAllByTestId("threshold-score");
    change(scores[1], "40");
    change(within(settings).getAllByTestId("threshold-label")[1], "warm");
    fireEvent.click(save);
    await waitFor(() => expect(backend.callsTo("score_set_settings")).toHaveLength(1));
    expect(backend.callsTo("score_set_settings")[0].args).toEqual({
      input: { decayHalfLifeDays: 14, thresholds: [{ score: 70, label: "hot" }, { score: 40, label: "warm" }] },
    });
    await waitFor(() => expect(backend.callsTo("score_recompute")[0]?.args).toEqual({ detail: "Scoring settings changed" }));
  });

  it("is in the command palette", async () => {
    installBackend(20);
    render(<App />);
    fireEvent.click(await screen.findByTestId("open-palette"));
    fireEvent.change(await screen.findByTestId("palette-input"), { target: { value: "scoring" } });
    fireEvent.keyDown(screen.getByTestId("palette-input"), { key: "Enter" });
    expect(await screen.findByTestId("scoring-view")).toBeTruthy();
    expect(screen.getByTestId("nav-scoring").getAttribute("aria-current")).toBe("page");
  });
});

describe("lead score", () => {
  const EXPLAINED: ScoreExplanation = {
    leadId: "lead-0",
    score: 28,
    parts: [
      { kind: "rule", ruleId: "rule-1", label: "Decision makers", matches: 1, points: 15 },
      { kind: "rule", ruleId: "rule-2", label: "Pricing interest", matches: 3, points: 15 },
      { kind: "rule", ruleId: "rule-3", label: "Free mail domain", matches: 1, points: -10 },
      { kind: "decay", ruleId: null, label: "Older engagement faded", matches: 1, points: -4 },
      { kind: "manual", ruleId: null, label: "Set by hand", matches: 1, points: 12 },
    ],
    computedAt: new Date(Date.now() - 60_000).toISOString(),
  };

  async function openLead(overrides: Record<string, (args: any) => unknown> = {}) {
    const backend = installBackend(20, overrides);
    render(<App />);
    await waitFor(() => expect(screen.getAllByTestId("lead-row").length).toBeGreaterThan(0));
    fireEvent.click(screen.getAllByTestId("lead-row")[0]);
    const detail = await screen.findByTestId("lead-detail");
    return { backend, detail };
  }

  it("shows why the lead has its score: the parts add up to the total", async () => {
    const { detail } = await openLead({ score_explain: () => EXPLAINED });
    const table = await within(detail).findByTestId("score-breakdown");
    const parts = within(table).getAllByTestId("score-part");
    expect(parts).toHaveLength(5);
    expect(parts[1].textContent).toBe("Pricing interest×3+15");
    expect(parts[2].textContent).toContain("−10");
    const sum = within(table)
      .getAllByTestId("score-part-points")
      .reduce((acc, el) => acc + Number(el.textContent!.replace("−", "-").replace("+", "")), 0);
    expect(sum).toBe(28);
    expect(within(table).getByTestId("score-total").textContent).toBe("28");
    expect(within(detail).getByTestId("score-badge").textContent).toBe("28");
    expect(within(detail).getByText("Why is this lead 28?")).toBeTruthy();
  });

  it("adds an inquiry from the panel and reloads the explanation, the timeline and the score", async () => {
    let score = 28;
    const { backend, detail } = await openLead({
      score_explain: () => ({ ...EXPLAINED, score, parts: [...EXPLAINED.parts, ...(score > 28 ? [{ kind: "rule", ruleId: "rule-4", label: "Asked something", matches: 1, points: score - 28 }] : [])] }),
      inquiry_add: ({ input }) => {
        score = 43;
        return { id: "inq-1", leadId: input.leadId, message: input.message, channel: input.channel, createdAt: new Date().toISOString() };
      },
      event_add: ({ input }) => ({ id: "ev-1", leadId: input.leadId, eventType: input.eventType, eventValue: input.eventValue, occurredAt: new Date().toISOString() }),
    });
    await within(detail).findByTestId("score-breakdown");
    const explains = backend.callsTo("score_explain").length;
    const timelines = backend.callsTo("lead_activities").length;
    const leads = backend.callsTo("lead_get").length;

    change(within(detail).getByTestId("inquiry-message"), "Asked for pricing");
    change(within(detail).getByTestId("inquiry-channel"), "email");
    fireEvent.click(within(detail).getByTestId("add-inquiry"));
    await waitFor(() => expect(backend.callsTo("inquiry_add")).toHaveLength(1));
    expect(backend.callsTo("inquiry_add")[0].args).toEqual({ input: { leadId: "lead-0", message: "Asked for pricing", channel: "email" } });
    await waitFor(() => expect(within(detail).getByTestId("score-total").textContent).toBe("43"));
    expect(backend.callsTo("score_explain").length).toBeGreaterThan(explains);
    await waitFor(() => expect(backend.callsTo("lead_activities").length).toBeGreaterThan(timelines));
    await waitFor(() => expect(backend.callsTo("lead_get").length).toBeGreaterThan(leads));
    expect(within(detail).getByTestId("score-badge").textContent).toBe("43");
    expect((within(detail).getByTestId("inquiry-message") as HTMLInputElement).value).toBe("");
    expect(screen.getAllByTestId("toast").some((t) => t.textContent === "Inquiry added — score 28 → 43")).toBe(true);

    // An event, type and optional value.
    change(within(detail).getByTestId("event-type"), "page_view");
    change(within(detail).getByTestId("event-value"), "/pricing");
    fireEvent.click(within(detail).getByTestId("add-event"));
    await waitFor(() => expect(backend.callsTo("event_add")).toHaveLength(1));
    expect(backend.callsTo("event_add")[0].args).toEqual({ input: { leadId: "lead-0", eventType: "page_view", eventValue: "/pricing", occurredAt: null } });
  });

  it("says what is missing instead of sending an empty inquiry", async () => {
    const { backend, detail } = await openLead();
    fireEvent.click(await within(detail).findByTestId("add-inquiry"));
    expect((await within(detail).findByTestId("log-error")).textContent).toContain("Write what the lead asked");
    expect(backend.callsTo("inquiry_add")).toHaveLength(0);
  });

  it("gives events, score changes and threshold crossings their own timeline rows", async () => {
    const at = new Date(Date.now() - 120_000).toISOString();
    const row = (id: string, activityType: string, description: string, changes: Activity["changes"] = []): Activity => ({
      id,
      leadId: "lead-0",
      activityType,
      description,
      changes,
      userName: null,
      createdAt: at,
    });
    const { detail } = await openLead({
      lead_activities: () => ({
        rows: [
          row("crossing-1", "threshold", "Became hot: score 72 reached 70"),
          row("score-2", "score", "Score 55 → 72 (event): page_view: /pricing", [{ field: "score", old: "55", new: "72" }]),
          row("ev-1", "event", "page_view: /pricing"),
          row("score-1", "score", "Score 60 → 55 (decay): Older engagement faded", [{ field: "score", old: "60", new: "55" }]),
          row("a1", "inquiry", "Inquiry (email): Asked for pricing"),
        ],
        next: "2026-11-01T10:00:00Z|score-0",
      }),
    });
    const items = await within(detail).findAllByTestId("activity-item");
    expect(items.map((i) => i.dataset.type)).toEqual(["threshold", "score", "event", "score", "inquiry"]);
    expect(items[0].textContent).toContain("Became hot: score 72 reached 70");
    expect(items[1].textContent).toContain("Score 55 → 72 +17 event");
    expect(items[1].textContent).toContain("page_view: /pricing");
    // The 55 → 72 is in the title; no separate change list repeats it.
    expect(within(items[1]).queryByTestId("activity-change")).toBeNull();
    expect(items[2].textContent).toContain("Page view");
    expect(items[2].querySelector(".activity-quote")!.textContent).toBe("/pricing");
    expect(items[3].textContent).toContain("−5");
    expect(items[4].textContent).toContain("Inquiry by email");
    expect(items[4].textContent).toContain("Asked for pricing");
    expect(items.every((i) => i.querySelector("svg.activity-icon"))).toBe(true);
  });
});
