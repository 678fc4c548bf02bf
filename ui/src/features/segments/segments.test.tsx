import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import App from "../../App";
import type { Expr, FieldInfo, QueryCheck, RefreshRecord, Segment } from "../../bindings";
import { installBackend } from "../../test/backend";


const FIELDS: FieldInfo[] = [
  { name: "score", label: "Score", kind: "number", operators: ["eq", "ne", "gt", "ge", "lt", "le", "in"], group: "Lead" },
  { name: "stage", label: "Stage", kind: "choice", operators: ["eq", "ne", "in", "is_empty", "is_not_empty"], group: "Lead" },
  { name: "created", label: "Created", kind: "date", operators: ["eq", "ne", "gt", "ge", "lt", "le"], group: "Lead" },
];

function segment(extra: Partial<Segment> = {}): Segment {
  return {
    id: "seg-1",
    name: "Hot",
    description: null,
    kind: "dynamic",
    query: "score >= 50",
    refreshMode: "manual",
    refreshEveryMinutes: null,
    refreshCounter: 3,
    memberCount: 12,
    lastRefreshedAt: new Date().toISOString(),
    broken: null,
    createdAt: "2026-11-01T00:00:00.000Z",
    updatedAt: "2026-11-01T00:00:00.000Z",
    ...extra,
  };
}

const SCORE_50: Expr = { kind: "cond", field: "score", window: null, op: "ge", values: [{ type: "number", value: 50 }] };

function check(text: string): QueryCheck {
  if (text.includes(">= and")) {
    return { ast: null, normalized: null, error: { line: 1, column: 10, offset: 9, message: "expected a value after '>=', found 'and'" }, count: null, durationMs: null };
  }
  const ast: Expr = text.includes(" or ")
    ? { kind: "or", items: [SCORE_50, { kind: "cond", field: "stage", window: null, op: "eq", values: [{ type: "text", value: "New" }] }] }
    : SCORE_50;
  return { ast, normalized: text, error: null, count: 1234, durationMs: 7 };
}

async function openSegments(segments: Segment[], overrides: Record<string, (args: any) => unknown> = {}) {
  const backend = installBackend(20, {
    segment_list: () => segments,
    segment_fields: () => FIELDS,
    segment_field_values: () => ["New", "Qualified"],
    segment_check_query: ({ text }) => check(text),
    segment_preview_query: () => [],
    segment_format_query: ({ ast }) => (ast.kind === "or" ? "score >= 50 or stage = New" : "score >= 50"),
    segment_create: ({ input }) => {
      const created = segment({ id: "seg-2", name: input.name, query: input.query });
      segments.push(created);
      return { segment: created, refresh: null };
    },
    segment_history: () => [],
    ...overrides,
  });
  render(<App />);
  fireEvent.click(await screen.findByTestId("nav-segments"));
  return backend;
}

describe("segments", () => {
  it("lists segments and shows a segment's members through the leads table", async () => {
    const backend = await openSegments([segment()]);
    const row = await screen.findByTestId("segment-row");
    expect(row.textContent).toContain("Hot");
    expect(within(row).getByTestId("segment-size").textContent).toBe("12");
    fireEvent.click(row);
    await screen.findByTestId("segment-detail");
    await waitFor(() => expect(backend.callsTo("lead_list").some((c) => c.args.segmentId === "seg-1")).toBe(true));
    expect(screen.getByTestId("segment-query-text").textContent).toBe("score >= 50");
  });

  it("counts as the user types, points at errors, and builds the same query both ways", async () => {
    const backend = await openSegments([]);
    fireEvent.click(await screen.findByTestId("new-segment"));
    await screen.findByTestId("segment-editor");
    fireEvent.change(screen.getByTestId("segment-name"), { target: { value: "Hot" } });
    const box = screen.getByTestId("segment-query");
    fireEvent.change(box, { target: { value: "score >= 50" } });
    await waitFor(() => expect(screen.getByTestId("segment-live-count").textContent).toContain("1,234"));
    expect(backend.callsTo("segment_check_query").at(-1)?.args).toEqual({ text: "score >= 50", count: true });
    // The typed query appears in the builder.
    expect(screen.getAllByTestId("qb-condition")).toHaveLength(1);
    expect((screen.getByTestId("qb-field") as HTMLSelectElement).value).toBe("score");

    // A mistake: the message with line and column, and saving is blocked.
    fireEvent.change(box, { target: { value: "score >= and" } });
    const err = await screen.findByTestId("segment-query-error");
    expect(err.textContent).toContain("expected a value after '>=', found 'and'");
    expect(err.textContent).toContain("line 1, col 10");
    expect((screen.getByTestId("segment-save") as HTMLButtonElement).disabled).toBe(true);

    // Builder → text: switching the group to "any of" with a second condition.
    fireEvent.change(box, { target: { value: "score >= 50" } });
    await waitFor(() => expect(screen.queryByTestId("segment-query-error")).toBeNull());
    fireEvent.click(screen.getByTestId("qb-add-condition-0"));
    fireEvent.click(screen.getByTestId("qb-any"));
    await waitFor(() => expect((box as HTMLTextAreaElement).value).toBe("score >= 50 or stage = New"));
    const sent = backend.callsTo("segment_format_query").at(-1)?.args.ast as Expr;
    expect(sent.kind).toBe("or");

    fireEvent.click(screen.getByTestId("segment-save"));
    await screen.findByTestId("segment-detail");
    expect(backend.callsTo("segment_create")[0].args.input).toMatchObject({
      name: "Hot",
      kind: "dynamic",
      query: "score >= 50 or stage = New",
      refreshMode: "manual",
    });
  });

  it("shows the size over refreshes and who entered and left", async () => {
    const history: RefreshRecord[] = [3, 2, 1].map((n) => ({
      refreshCounter: n,
      trigger: n === 1 ? "manual" : "automatic",
      query: "score >= 50",
      members: 10 + n,
      entered: n,
      left: n - 1,
      durationMs: 4,
      refreshedAt: new Date(Date.now() - n * 3600_000).toISOString(),
    }));
    const backend = await openSegments([segment()], {
      segment_history: () => history,
      segment_changes: ({ refreshCounter }) => ({
        refreshCounter,
        entered: [{ id: "lead-1", firstName: "Ada", lastName: "Alpha", email: null, phone: null, phoneDisplay: null, companyId: null, companyName: "Acme", jobTitle: null, stageId: null, stageName: null, stageColor: null, score: 80, status: "open", createdAt: "", updatedAt: "" }],
        left: [],
      }),
    });
    fireEvent.click(await screen.findByTestId("segment-row"));
    fireEvent.click(await screen.findByTestId("tab-history"));
    const chart = await screen.findByTestId("segment-size-chart");
    expect(chart.querySelectorAll("rect")).toHaveLength(3);
    expect(screen.getAllByTestId("segment-refresh")).toHaveLength(3);
    await waitFor(() => expect(screen.getByTestId("segment-changes").textContent).toContain("Ada Alpha"));
    fireEvent.click(screen.getAllByTestId("segment-refresh")[2]);
    await waitFor(() => expect(backend.callsTo("segment_changes").at(-1)?.args.refreshCounter).toBe(1));
  });
});
