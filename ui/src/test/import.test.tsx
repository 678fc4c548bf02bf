import { describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import App from "../App";
import type { ImportPreview, ImportSummary, Mapping } from "../bindings";
import { installBackend } from "./backend";
import { emit } from "@tauri-apps/api/event";

vi.mock("@tauri-apps/plugin-dialog", () => ({
  open: vi.fn(async () => "/home/me/kontakte.csv"),
  save: vi.fn(async () => "/home/me/leads.csv"),
}));

function preview(mapping?: Mapping): ImportPreview {
  const m: Mapping = mapping ?? {
    columns: [
      { header: "Vorname", target: "firstName" },
      { header: "E-Mail", target: "email" },
      { header: "Telefon", target: "phone" },
      { header: "Lead Owner", target: "custom" },
    ],
    dateOrder: "dmy",
  };
  return {
    fileName: "kontakte.csv",
    fileSize: 2048,
    dialect: { encoding: "windows-1252", bom: false, delimiter: ";", hasHeader: true },
    headers: m.columns.map((c) => c.header),
    headerRepairs: [],
    mapping: m,
    savedMapping: false,
    rows: [
      {
        line: 2,
        problem: null,
        repairs: [],
        cells: [
          { target: m.columns[0].target, raw: "Jürgen", stored: "Jürgen", error: null, warning: null },
          { target: m.columns[1].target, raw: "j@x.de", stored: "j@x.de", error: null, warning: null },
          { target: m.columns[2].target, raw: "030 1234567", stored: "+49301234567", error: null, warning: null },
          { target: m.columns[3].target, raw: "Ann", stored: "Ann", error: null, warning: null },
        ],
      },
      {
        line: 3,
        problem: null,
        repairs: [],
        cells: [
          { target: m.columns[0].target, raw: "Zoë", stored: "Zoë", error: null, warning: null },
          { target: m.columns[1].target, raw: "zoe@", stored: null, error: "“zoe@” is not a valid email address", warning: null },
          { target: m.columns[2].target, raw: "12", stored: "12", error: null, warning: "kept as written" },
          { target: m.columns[3].target, raw: "Bo", stored: "Bo", error: null, warning: null },
        ],
      },
    ],
  };
}

function summary(extra: Partial<ImportSummary> = {}): ImportSummary {
  return {
    batchId: "batch-1",
    fileName: "kontakte.csv",
    status: "completed",
    rows: 2,
    inserted: 1,
    updated: 0,
    skipped: 0,
    failed: 1,
    warnings: 1,
    message: null,
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    ...extra,
  };
}

async function openImport(overrides: Record<string, (args: any) => unknown> = {}) {
  const backend = installBackend(50, {
    list_imports: () => [],
    preview_import: ({ mapping }) => preview(mapping ?? undefined),
    start_import: ({ onProgress }) => {
      onProgress.onmessage({ batchId: "batch-1", rows: 1, inserted: 1, updated: 0, skipped: 0, failed: 0, fraction: 0.5, rowsPerSecond: 10, etaSeconds: 1 });
      return summary();
    },
    undo_import: () => ({ batchId: "batch-1", removed: 1, restored: 0, keptLaterEdits: 0 }),
    cancel_import: () => true,
    export_leads: () => 50,
    ...overrides,
  });
  render(<App />);
  fireEvent.click(await screen.findByTestId("nav-import"));
  await screen.findByTestId("import-view");
  return backend;
}

describe("CSV import wizard", () => {
  it("reads a pasted path, shows the mapping and the preview with invalid cells marked", async () => {
    const backend = await openImport();
    fireEvent.change(screen.getByTestId("import-path"), { target: { value: "/home/me/kontakte.csv" } });
    fireEvent.click(screen.getByTestId("import-read"));
    const table = await screen.findByTestId("mapping-table");
    expect(within(table).getAllByTestId("mapping-row")).toHaveLength(4);
    expect(backend.callsTo("preview_import")[0].args).toMatchObject({ path: "/home/me/kontakte.csv", mapping: null });
    const grid = screen.getByTestId("import-preview");
    expect(grid.textContent).toContain("+49301234567");
    const bad = within(grid).getByTestId("cell-error");
    expect(bad.getAttribute("title")).toContain("not a valid email");
    expect(screen.getByTestId("preview-problems").textContent).toContain("1 of the first 2 rows");
  });

  it("re-previews with the edited mapping and blocks two columns for one field", async () => {
    const backend = await openImport();
    fireEvent.change(screen.getByTestId("import-path"), { target: { value: "/x.csv" } });
    fireEvent.click(screen.getByTestId("import-read"));
    await screen.findByTestId("mapping-table");
    fireEvent.change(screen.getAllByTestId("mapping-select")[3], { target: { value: "skip" } });
    await waitFor(() => expect(backend.callsTo("preview_import")).toHaveLength(2));
    const sent = backend.callsTo("preview_import")[1].args.mapping as Mapping;
    expect(sent.columns[3]).toEqual({ header: "Lead Owner", target: "skip" });
    expect(sent.dateOrder).toBe("dmy");
    await waitFor(() => expect((screen.getAllByTestId("mapping-select")[3] as HTMLSelectElement).value).toBe("skip"));
    fireEvent.change(screen.getAllByTestId("mapping-select")[2], { target: { value: "email" } });
    await waitFor(() => expect((screen.getByTestId("import-start") as HTMLButtonElement).disabled).toBe(true));
  });

  it("imports with the chosen mode and keys, shows progress then the summary, and undoes", async () => {
    const backend = await openImport();
    fireEvent.change(screen.getByTestId("import-path"), { target: { value: "/x.csv" } });
    fireEvent.click(screen.getByTestId("import-read"));
    await screen.findByTestId("mapping-table");
    fireEvent.click(screen.getByTestId("import-mode-create"));
    fireEvent.click(screen.getByTestId("match-phone"));
    fireEvent.click(screen.getByTestId("import-start"));
    const card = await screen.findByTestId("import-summary");
    const args = backend.callsTo("start_import")[0].args;
    expect(args.path).toBe("/x.csv");
    expect(args.options).toMatchObject({ mode: "create", matchKeys: ["email", "phone"] });
    expect(typeof args.jobId).toBe("string");
    expect(within(card).getByTestId("import-inserted").textContent).toBe("1");
    expect(within(card).getByTestId("import-failed").textContent).toBe("1");
    expect(within(card).getByTestId("import-save-errors")).toBeTruthy();
    fireEvent.click(within(card).getByTestId("import-undo"));
    fireEvent.click(within(card).getByTestId("confirm-yes"));
    await waitFor(() => expect(backend.callsTo("undo_import")).toHaveLength(1));
    expect(backend.callsTo("undo_import")[0].args.batchId).toBe("batch-1");
  });

  it("says when an import was interrupted and resumes it", async () => {
    let resolveResume: (s: ImportSummary) => void = () => {};
    const backend = await openImport({
      list_imports: () => [summary({ status: "interrupted", rows: 15000, inserted: 15000, failed: 0, warnings: 0 })],
      resume_import: () => new Promise<ImportSummary>((r) => (resolveResume = r)),
    });
    const banner = await screen.findByTestId("import-interrupted");
    expect(banner.textContent).toContain("interrupted after 15,000 rows");
    fireEvent.click(within(banner).getByText("Resume"));
    await screen.findByTestId("import-progress");
    expect(screen.getByTestId("import-badge")).toBeTruthy();
    expect(backend.callsTo("resume_import")[0].args.batchId).toBe("batch-1");
    fireEvent.click(screen.getByTestId("import-cancel"));
    await waitFor(() => expect(backend.callsTo("cancel_import")).toHaveLength(1));
    expect(backend.callsTo("cancel_import")[0].args.jobId).toBe(backend.callsTo("resume_import")[0].args.jobId);
    await act(async () => resolveResume(summary({ status: "cancelled", rows: 20000 })));
    await screen.findByTestId("import-summary");
  });
});

describe("CSV export", () => {
  it("exports the leads view with its sort and search", async () => {
    const backend = installBackend(50, { export_leads: () => 50 });
    render(<App />);
    await waitFor(() => expect(screen.getAllByTestId("lead-row").length).toBeGreaterThan(5));
    fireEvent.click(screen.getByTestId("export-leads"));
    await waitFor(() => expect(backend.callsTo("export_leads")).toHaveLength(1));
    expect(backend.callsTo("export_leads")[0].args).toMatchObject({
      path: "/home/me/leads.csv",
      req: { sort: "createdAt", dir: "desc", search: null, bom: false, delimiter: "," },
    });
    await screen.findByText(/Exported 50 leads/);
  });
});

describe("dropping a file on the window", () => {
  // What Tauri's native drag-and-drop emits to the webview (real paths and a physical position).
  const drag = (event: "enter" | "drop" | "leave", paths: string[] = []) =>
    act(() => emit(`tauri://drag-${event}`, event === "leave" ? null : { paths, position: { x: 40, y: 40 } }));

  async function start() {
    const backend = installBackend(50, { list_imports: () => [], preview_import: ({ mapping }) => preview(mapping ?? undefined) });
    render(<App />);
    await screen.findByTestId("nav-import");
    return backend;
  }

  it("says what a drop will do, then opens the import with the dropped file read", async () => {
    const backend = await start();
    await drag("enter", ["/home/me/Downloads/kontakte.csv"]);
    expect((await screen.findByTestId("drop-overlay")).textContent).toContain("Drop to import kontakte.csv");
    await drag("drop", ["/home/me/Downloads/kontakte.csv"]);
    await screen.findByTestId("mapping-table");
    expect(screen.queryByTestId("drop-overlay")).toBeNull();
    expect(screen.getByTestId("nav-import").getAttribute("aria-current")).toBe("page");
    expect(backend.callsTo("preview_import").map((c) => c.args.path)).toEqual(["/home/me/Downloads/kontakte.csv"]);
    // A second file dropped on the preview replaces it.
    await drag("drop", ["/tmp/other.tsv"]);
    await waitFor(() => expect(backend.callsTo("preview_import").map((c) => c.args.path)).toEqual(["/home/me/Downloads/kontakte.csv", "/tmp/other.tsv"]));
    // Taken once: leaving the view and coming back does not read the dropped file again.
    fireEvent.click(screen.getByTestId("nav-leads"));
    fireEvent.click(screen.getByTestId("nav-import"));
    await screen.findByTestId("import-view");
    await new Promise((r) => setTimeout(r, 50));
    expect(backend.callsTo("preview_import")).toHaveLength(2);
  });

  it("refuses a file it cannot import and leaves the view alone", async () => {
    const backend = await start();
    await drag("enter", ["/home/me/offer.pdf"]);
    expect((await screen.findByTestId("drop-overlay")).textContent).toContain("Only CSV files");
    await drag("leave");
    expect(screen.queryByTestId("drop-overlay")).toBeNull();
    await drag("drop", ["/home/me/offer.pdf"]);
    expect((await screen.findByRole("alert")).textContent).toContain("offer.pdf is not one");
    expect(screen.getByTestId("nav-leads").getAttribute("aria-current")).toBe("page");
    expect(backend.callsTo("preview_import")).toHaveLength(0);
  });
});
