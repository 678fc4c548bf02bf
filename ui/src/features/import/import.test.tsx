import { beforeEach, describe, expect, it } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import App from "../../App";
import type { ImportPreview, ImportSummary, Mapping } from "../../bindings";
import { installBackend } from "../../test/backend";
import { emit } from "@tauri-apps/api/event";
import { resetImport } from "./importJob";

/** What the app's open dialog returns next (the app shows it: `file_pick_import`). */
let picked: string | null = "/home/me/kontakte.csv";

/** Picks `path` in the (app's) open dialog. */
function pick(path: string) {
  picked = path;
  fireEvent.click(screen.getByTestId("import-choose-file"));
}

function preview(mapping?: Mapping, extra: Partial<ImportPreview> = {}): ImportPreview {
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
    dialect: { encoding: "windows-1252", bom: false, delimiter: ";", hasHeader: true, headerLine: 1 },
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
          { target: m.columns[0].target, raw: "Jürgen", stored: "Jürgen", error: null, warning: null, damage: null },
          { target: m.columns[1].target, raw: "j@x.de", stored: "j@x.de", error: null, warning: null, damage: null },
          { target: m.columns[2].target, raw: "030 1234567", stored: "+49301234567", error: null, warning: null, damage: null },
          { target: m.columns[3].target, raw: "Ann", stored: "Ann", error: null, warning: null, damage: null },
        ],
      },
      {
        line: 3,
        problem: null,
        repairs: [],
        cells: [
          { target: m.columns[0].target, raw: "Zoë", stored: "Zoë", error: null, warning: null, damage: null },
          { target: m.columns[1].target, raw: "zoe@", stored: null, error: "“zoe@” is not a valid email address", warning: null, damage: null },
          { target: m.columns[2].target, raw: "12", stored: "12", error: null, warning: "kept as written", damage: null },
          { target: m.columns[3].target, raw: "Bo", stored: "Bo", error: null, warning: null, damage: null },
        ],
      },
    ],
    preamble: [],
    columns: m.columns.map((c) => ({ reason: c.target === "custom" ? "not a known name: kept as a custom field" : "by name", content: null, damagedHeader: false, damagedValues: 0 })),
    dates: null,
    language: "German",
    ...extra,
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
    import_list: () => [],
    import_preview: ({ mapping }) => preview(mapping ?? undefined),
    import_start: ({ onProgress }) => {
      onProgress.onmessage({ batchId: "batch-1", rows: 1, inserted: 1, updated: 0, skipped: 0, failed: 0, fraction: 0.5, rowsPerSecond: 10, etaSeconds: 1 });
      return summary();
    },
    import_undo: () => ({ batchId: "batch-1", removed: 1, restored: 0, keptLaterEdits: 0 }),
    import_cancel: () => true,
    lead_export: () => 50,
    file_pick_import: () => picked,
    ...overrides,
  });
  render(<App />);
  fireEvent.click(await screen.findByTestId("nav-import"));
  await screen.findByTestId("import-view");
  return backend;
}

describe("CSV import wizard", () => {
  it("reads the file picked in the app's dialog, shows the mapping and the preview with invalid cells marked", async () => {
    const backend = await openImport();
    pick("/home/me/kontakte.csv");
    const table = await screen.findByTestId("mapping-table");
    expect(within(table).getAllByTestId("mapping-row")).toHaveLength(4);
    expect(backend.callsTo("import_preview")[0].args).toMatchObject({ path: "/home/me/kontakte.csv", mapping: null });
    const grid = screen.getByTestId("import-preview");
    expect(grid.textContent).toContain("+49301234567");
    const bad = within(grid).getByTestId("cell-error");
    expect(bad.getAttribute("title")).toContain("not a valid email");
    expect(screen.getByTestId("preview-problems").textContent).toContain("1 of the first 2 rows");
  });

  it("re-previews with the edited mapping and blocks two columns for one field", async () => {
    const backend = await openImport();
    pick("/x.csv");
    await screen.findByTestId("mapping-table");
    fireEvent.change(screen.getAllByTestId("mapping-select")[3], { target: { value: "skip" } });
    await waitFor(() => expect(backend.callsTo("import_preview")).toHaveLength(2));
    const sent = backend.callsTo("import_preview")[1].args.mapping as Mapping;
    expect(sent.columns[3]).toEqual({ header: "Lead Owner", target: "skip" });
    expect(sent.dateOrder).toBe("dmy");
    await waitFor(() => expect((screen.getAllByTestId("mapping-select")[3] as HTMLSelectElement).value).toBe("skip"));
    fireEvent.change(screen.getAllByTestId("mapping-select")[2], { target: { value: "email" } });
    await waitFor(() => expect((screen.getByTestId("import-start") as HTMLButtonElement).disabled).toBe(true));
  });

  it("imports with the chosen mode and keys, shows progress then the summary, and undoes", async () => {
    const backend = await openImport();
    pick("/x.csv");
    await screen.findByTestId("mapping-table");
    fireEvent.click(screen.getByTestId("import-mode-create"));
    fireEvent.click(screen.getByTestId("match-phone"));
    fireEvent.click(screen.getByTestId("import-start"));
    const card = await screen.findByTestId("import-summary");
    const args = backend.callsTo("import_start")[0].args;
    expect(args.path).toBe("/x.csv");
    expect(args.options).toMatchObject({ mode: "create", matchKeys: ["email", "phone"] });
    expect(typeof args.jobId).toBe("string");
    expect(within(card).getByTestId("import-inserted").textContent).toBe("1");
    expect(within(card).getByTestId("import-failed").textContent).toBe("1");
    expect(within(card).getByTestId("import-save-errors")).toBeTruthy();
    fireEvent.click(within(card).getByTestId("import-undo"));
    fireEvent.click(within(card).getByTestId("confirm-yes"));
    await waitFor(() => expect(backend.callsTo("import_undo")).toHaveLength(1));
    expect(backend.callsTo("import_undo")[0].args.batchId).toBe("batch-1");
  });

  it("says when an import was interrupted and resumes it", async () => {
    let resolveResume: (s: ImportSummary) => void = () => {};
    const backend = await openImport({
      import_list: () => [summary({ status: "interrupted", rows: 15000, inserted: 15000, failed: 0, warnings: 0 })],
      import_resume: () => new Promise<ImportSummary>((r) => (resolveResume = r)),
    });
    const banner = await screen.findByTestId("import-interrupted");
    expect(banner.textContent).toContain("interrupted after 15,000 rows");
    fireEvent.click(within(banner).getByText("Resume"));
    await screen.findByTestId("import-progress");
    expect(screen.getByTestId("import-badge")).toBeTruthy();
    expect(backend.callsTo("import_resume")[0].args.batchId).toBe("batch-1");
    fireEvent.click(screen.getByTestId("import-cancel"));
    await waitFor(() => expect(backend.callsTo("import_cancel")).toHaveLength(1));
    expect(backend.callsTo("import_cancel")[0].args.jobId).toBe(backend.callsTo("import_resume")[0].args.jobId);
    await act(async () => resolveResume(summary({ status: "cancelled", rows: 20000 })));
    await screen.findByTestId("import-summary");
  });
});

describe("what the preview says about files other software wrote", () => {
  // A finished import of an earlier test would show its summary instead of the chooser.
  beforeEach(() => act(() => resetImport()));

  async function read(extra: Partial<ImportPreview>, mapping?: Mapping) {
    const backend = await openImport({ import_preview: (args) => preview(args.mapping ?? mapping, extra) });
    pick("/home/me/export.csv");
    await screen.findByTestId("mapping-table");
    return backend;
  }

  it("shows the lines skipped before the header and reads again from another header line", async () => {
    const backend = await read({
      dialect: { encoding: "UTF-8", bom: false, delimiter: ",", hasHeader: true, headerLine: 4 },
      preamble: [
        { line: 1, text: "Notes:" },
        { line: 2, text: "\"When exporting your connection data, some emails are missing\"" },
        { line: 3, text: "" },
      ],
    });
    const block = screen.getByTestId("import-preamble");
    expect(block.textContent).toContain("Skipped 3 lines before the header");
    const lines = within(block).getAllByTestId("preamble-line");
    expect(lines.map((l) => l.textContent)).toEqual([
      expect.stringContaining("Notes:"),
      expect.stringContaining("When exporting"),
      expect.stringContaining("blank"),
    ]);
    expect(screen.getByTestId("import-view").textContent).toContain("header on line 4");
    // The header line can be moved: by a skipped line's button or the line selector.
    fireEvent.click(within(lines[0]).getByTestId("use-as-header"));
    await waitFor(() => expect(backend.callsTo("import_preview")).toHaveLength(2));
    expect(backend.callsTo("import_preview")[1].args).toMatchObject({ dialect: { headerLine: 1 }, mapping: null });
    const select = screen.getByTestId("import-header-line") as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(["1", "2", "3", "4"]);
  });

  it("says why each column is mapped: by name or by content", async () => {
    await read({
      columns: [
        { reason: "by name", content: null, damagedHeader: false, damagedValues: 0 },
        { reason: "by content: 97% emails", content: "email", damagedHeader: false, damagedValues: 0 },
        { reason: "by name (100% phone numbers)", content: "phone", damagedHeader: false, damagedValues: 0 },
        { reason: "not a known name: kept as a custom field", content: null, damagedHeader: false, damagedValues: 0 },
      ],
    }, {
      columns: [
        { header: "Vorname", target: "firstName" },
        { header: "EmailID", target: "email" },
        { header: "Telefon", target: "phone" },
        { header: "Lead Owner", target: "custom" },
      ],
      dateOrder: null,
    });
    const reasons = screen.getAllByTestId("mapping-reason").map((r) => r.textContent);
    expect(reasons).toEqual(["by name", "by content: 97% emails", "by name (100% phone numbers)", "not a known name: kept as a custom field"]);
  });

  it("marks headers and values damaged by a wrong encoding", async () => {
    const p = preview();
    p.rows[0].cells[0] = { ...p.rows[0].cells[0], raw: "J\ufffdrgen", stored: "J\ufffdrgen", warning: "lost characters", damage: "mojibake" };
    await read({
      columns: p.columns.map((c, i) => (i === 0 ? { ...c, damagedHeader: true, damagedValues: 1 } : c)),
      rows: p.rows,
    });
    expect(screen.getAllByTestId("damaged-header")).toHaveLength(1);
    const alert = screen.getByTestId("import-mojibake");
    expect(alert.textContent).toContain("1 column name and 1 value in the first rows");
    expect(alert.textContent).toContain("wrong encoding");
    expect(within(screen.getByTestId("import-preview")).getByTestId("cell-mojibake").textContent).toBe("J\ufffdrgen");
  });

  it("flags phone numbers a spreadsheet evaluated as formulas", async () => {
    const p = preview();
    p.rows[0].cells[2] = { ...p.rows[0].cells[2], raw: "-2237", stored: null, warning: "Telefon: “-2237” is what a spreadsheet computed", damage: "formula" };
    await read({ rows: p.rows });
    const alert = screen.getByTestId("import-formula-damage");
    expect(alert.textContent).toContain("1 phone number in the first rows was turned into a number by a spreadsheet");
    expect(alert.textContent).toContain("“-2237”");
    const cell = within(screen.getByTestId("import-preview")).getByTestId("cell-damaged");
    expect(cell.textContent).toBe("-2237");
    expect(cell.getAttribute("title")).toContain("spreadsheet");
  });

  it("asks which order ambiguous dates use and blocks the import until answered", async () => {
    const ambiguous = { column: "Created", order: null, reason: "“03/04/2021” reads as day first or month first", examples: ["03/04/2021", "01/02/2021"] };
    const backend = await openImport({
      import_preview: ({ mapping }) =>
        preview(mapping ?? undefined, {
          dates: mapping?.dateOrder ? { column: "Created", order: mapping.dateOrder, reason: "your choice", examples: [] } : ambiguous,
        }),
    });
    pick("/x.csv");
    const question = await screen.findByTestId("date-question");
    expect(question.textContent).toContain("“Created” read both ways (03/04/2021, 01/02/2021)");
    expect(within(question).getByTestId("date-dmy").textContent).toContain("3 April 2021");
    expect(within(question).getByTestId("date-mdy").textContent).toContain("March 4, 2021");
    expect((screen.getByTestId("import-start") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(question).getByTestId("date-dmy"));
    await waitFor(() => expect(backend.callsTo("import_preview")).toHaveLength(2));
    expect((backend.callsTo("import_preview")[1].args.mapping as Mapping).dateOrder).toBe("dmy");
    await waitFor(() => expect(screen.queryByTestId("date-question")).toBeNull());
    expect(screen.getByTestId("import-dates").textContent).toContain("your choice");
    expect((screen.getByTestId("import-start") as HTMLButtonElement).disabled).toBe(false);
  });
});

describe("CSV export", () => {
  it("exports the leads view with its sort and search", async () => {
    const backend = installBackend(50, { lead_export: () => 50 });
    render(<App />);
    await waitFor(() => expect(screen.getAllByTestId("lead-row").length).toBeGreaterThan(5));
    fireEvent.click(screen.getByTestId("export-leads"));
    await waitFor(() => expect(backend.callsTo("lead_export")).toHaveLength(1));
    expect(backend.callsTo("lead_export")[0].args).toMatchObject({
      path: "/home/me/leads.csv",
      request: { sort: "createdAt", dir: "desc", search: null, bom: false, delimiter: "," },
    });
    await screen.findByText(/Exported 50 leads/);
  });
});

describe("dropping a file on the window", () => {
  // What Tauri's native drag-and-drop emits to the webview (real paths and a physical position).
  const drag = (event: "enter" | "drop" | "leave", paths: string[] = []) =>
    act(() => emit(`tauri://drag-${event}`, event === "leave" ? null : { paths, position: { x: 40, y: 40 } }));

  async function start() {
    const backend = installBackend(50, { import_list: () => [], import_preview: ({ mapping }) => preview(mapping ?? undefined) });
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
    expect(backend.callsTo("import_preview").map((c) => c.args.path)).toEqual(["/home/me/Downloads/kontakte.csv"]);
    // A second file dropped on the preview replaces it.
    await drag("drop", ["/tmp/other.tsv"]);
    await waitFor(() => expect(backend.callsTo("import_preview").map((c) => c.args.path)).toEqual(["/home/me/Downloads/kontakte.csv", "/tmp/other.tsv"]));
    // Taken once: leaving the view and coming back does not read the dropped file again.
    fireEvent.click(screen.getByTestId("nav-leads"));
    fireEvent.click(screen.getByTestId("nav-import"));
    await screen.findByTestId("import-view");
    await new Promise((r) => setTimeout(r, 50));
    expect(backend.callsTo("import_preview")).toHaveLength(2);
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
    expect(backend.callsTo("import_preview")).toHaveLength(0);
  });
});
