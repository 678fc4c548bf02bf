import { describe, expect, it } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import App from "../../App";
import { installBackend, makeRow } from "../../test/backend";
import { COUNT_CAP } from "./LeadsView";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function renderWithRows(total = 1000, overrides = {}) {
  const backend = installBackend(total, overrides);
  render(<App />);
  await waitFor(() => expect(screen.getAllByTestId("lead-row").length).toBeGreaterThan(5));
  return backend;
}

function scrollTable(top: number) {
  const scroller = screen.getByTestId("leads-table");
  act(() => {
    scroller.scrollTop = top;
    fireEvent.scroll(scroller);
  });
}

describe("leads table", () => {
  it("renders rows of the first page, the total count, and reports first paint once", async () => {
    const backend = await renderWithRows(1000);
    const rows = screen.getAllByTestId("lead-row");
    expect(rows[0]).toHaveProperty("dataset.leadId", "lead-0");
    expect(rows[0].textContent).toContain("First0 Last0");
    expect(rows[0].textContent).toContain("+1 415-555-0100");
    expect(screen.getByTestId("lead-count").textContent).toBe("1,000 leads");
    // Fetches one page, keyset-style, with the default sort.
    expect(backend.callsTo("lead_list")[0].args).toEqual({
      sort: "createdAt",
      dir: "desc",
      after: null,
      offset: null,
      limit: 100,
      companyId: null,
      segmentId: null,
      text: null,
    });
    // Only the visible rows are in the DOM.
    expect(rows.length).toBeLessThan(60);
    await waitFor(() => expect(backend.callsTo("app_first_paint")).toHaveLength(1));
    scrollTable(36 * 30);
    await sleep(30);
    expect(backend.callsTo("app_first_paint")).toHaveLength(1);
  });

  it("requests the next page with the `after` cursor when scrolled sequentially", async () => {
    const backend = await renderWithRows(1000);
    scrollTable(36 * 90);
    await waitFor(() => expect(backend.callsTo("lead_list")).toHaveLength(2));
    expect(backend.callsTo("lead_list")[1].args).toMatchObject({
      after: { key: "2025-03-04T10:00:00Z", id: "lead-99" },
      offset: null,
      limit: 100,
    });
    await waitFor(() =>
      expect(screen.getAllByTestId("lead-row").some((r) => r.dataset.leadId === "lead-110")).toBe(true),
    );
  });

  it("jumps with an offset when the scrollbar is dragged far away", async () => {
    const backend = await renderWithRows(100_000);
    scrollTable(36 * 50_000);
    // Skeletons while the page loads, then the rows.
    expect(screen.getAllByTestId("lead-row-skeleton").length).toBeGreaterThan(0);
    await waitFor(() => expect(backend.callsTo("lead_list").length).toBeGreaterThanOrEqual(2));
    expect(backend.callsTo("lead_list")[1].args).toMatchObject({ after: null, offset: 49_900 });
    await waitFor(() =>
      expect(screen.getAllByTestId("lead-row").some((r) => r.dataset.leadId === "lead-50005")).toBe(true),
    );
  });

  it("sorts by a clicked column, toggling direction", async () => {
    const backend = await renderWithRows(1000);
    fireEvent.click(screen.getByTestId("sort-name"));
    await waitFor(() => expect(backend.callsTo("lead_list").at(-1)!.args).toMatchObject({ sort: "name", dir: "asc", after: null }));
    expect(screen.getByTestId("sort-name").getAttribute("aria-sort")).toBe("ascending");
    fireEvent.click(screen.getByTestId("sort-name"));
    await waitFor(() => expect(backend.callsTo("lead_list").at(-1)!.args).toMatchObject({ sort: "name", dir: "desc" }));
    fireEvent.click(screen.getByTestId("sort-score"));
    await waitFor(() => expect(backend.callsTo("lead_list").at(-1)!.args).toMatchObject({ sort: "score", dir: "desc" }));
    fireEvent.click(screen.getByTestId("sort-updatedAt"));
    await waitFor(() => expect(backend.callsTo("lead_list").at(-1)!.args).toMatchObject({ sort: "updatedAt" }));
  });

  it("shows an inline error when listing fails", async () => {
    installBackend(1000, {
      lead_list: () => {
        throw { code: "db_error", message: "database is locked", field: null };
      },
    });
    render(<App />);
    const err = await screen.findByTestId("table-error");
    expect(err.textContent).toContain("database is locked");
  });

  it("shows the empty state and loads sample data", async () => {
    let sampleResolve: () => void = () => {};
    const backend = installBackend(0, {
      sample_data_load: () =>
        new Promise((r) => {
          sampleResolve = () => {
            backend.setTotal(2000);
            r({ leads: 2000, companies: 40 });
          };
        }),
    });
    render(<App />);
    const empty = await screen.findByTestId("empty-state");
    const button = within(empty).getByTestId("load-sample-data");
    fireEvent.click(button);
    await waitFor(() => expect(backend.callsTo("sample_data_load")).toHaveLength(1));
    expect(backend.callsTo("sample_data_load")[0].args).toEqual({ leads: 2000 });
    expect((screen.getByTestId("load-sample-data") as HTMLButtonElement).disabled).toBe(true);
    act(() => sampleResolve());
    await waitFor(() => expect(screen.getAllByTestId("lead-row").length).toBeGreaterThan(5));
    expect(screen.queryByTestId("empty-state")).toBeNull();
    expect(screen.getByTestId("lead-count").textContent).toBe("2,000 leads");
  });
});

describe("search", () => {
  const listTexts = (backend: ReturnType<typeof installBackend>) =>
    backend.callsTo("lead_list").map((c) => c.args.text ?? null).filter((t) => t !== null);

  it("filters the table after the debounce, counts every match and pages through them", async () => {
    const backend = await renderWithRows(1000);
    fireEvent.change(screen.getByTestId("search-input"), { target: { value: " ann " } });
    expect(backend.callsTo("lead_count")).toHaveLength(0);
    await waitFor(() => expect(backend.callsTo("lead_count")).toHaveLength(1));
    expect(backend.callsTo("lead_count")[0].args).toEqual({ filter: { text: "ann", companyId: null, segmentId: null }, cap: COUNT_CAP });
    await waitFor(() => expect(screen.getByTestId("lead-count").textContent).toBe("2 matches"));
    await waitFor(() => expect(screen.getAllByTestId("lead-row")[0].textContent).toContain("Hit-ann"));
    expect(listTexts(backend)).toContain("ann");
    // Clearing returns to the full list.
    fireEvent.change(screen.getByTestId("search-input"), { target: { value: "" } });
    await waitFor(() => expect(screen.getByTestId("lead-count").textContent).toBe("1,000 leads"));
    await waitFor(() => expect(screen.getAllByTestId("lead-row")[0].dataset.leadId).toBe("lead-0"));
  });

  it("says “more than” until the exact count arrives, never a wrong number", async () => {
    let release!: () => void;
    const exactAsked = new Promise<void>((r) => (release = r));
    const backend = await renderWithRows(1000, {
      lead_count: async ({ cap }: any) => {
        if (cap !== null) return { count: cap, exact: false };
        await exactAsked;
        return { count: 123_456, exact: true };
      },
    });
    fireEvent.change(screen.getByTestId("search-input"), { target: { value: "m" } });
    await waitFor(() => expect(screen.getByTestId("lead-count").textContent).toBe("more than 10,000 matches"));
    await waitFor(() => expect(backend.callsTo("lead_count").some((c) => c.args.cap === null)).toBe(true));
    release();
    await waitFor(() => expect(screen.getByTestId("lead-count").textContent).toBe("123,456 matches"));
  });

  it("debounces typing into a single search", async () => {
    const backend = await renderWithRows(1000);
    const input = screen.getByTestId("search-input");
    for (const v of ["a", "an", "ann", "anna"]) {
      fireEvent.change(input, { target: { value: v } });
      await sleep(20);
    }
    await sleep(250);
    expect(backend.callsTo("lead_count").map((c) => c.args.filter.text)).toEqual(["anna"]);
    expect([...new Set(listTexts(backend))]).toEqual(["anna"]);
  });

  it("sorts the matches by any column", async () => {
    const backend = await renderWithRows(1000);
    fireEvent.change(screen.getByTestId("search-input"), { target: { value: "ann" } });
    await waitFor(() => expect(screen.getByTestId("lead-count").textContent).toBe("2 matches"));
    fireEvent.click(screen.getByTestId("sort-name"));
    await waitFor(() => expect(backend.callsTo("lead_list").some((c) => c.args.text === "ann" && c.args.sort === "name")).toBe(true));
  });

  it("ignores a slow stale page", async () => {
    await renderWithRows(1000, {
      lead_list: async ({ req }: any) => {
        await sleep(req.text === "al" ? 400 : 10);
        const rows = req.text ? [makeRow(3, { firstName: `Result-${req.text}` })] : Array.from({ length: 10 }, (_, k) => makeRow(k));
        return { rows, next: null };
      },
    });
    const input = screen.getByTestId("search-input");
    fireEvent.change(input, { target: { value: "al" } });
    await sleep(150); // "al" is now in flight
    fireEvent.change(input, { target: { value: "alice" } });
    await waitFor(() => expect(screen.getAllByTestId("lead-row")[0].textContent).toContain("Result-alice"));
    await sleep(400); // the slow "al" page arrives and must be dropped
    expect(screen.getAllByTestId("lead-row")[0].textContent).toContain("Result-alice");
    expect(screen.queryByText(/Result-al\b/)).toBeNull();
  });
});

describe("lead detail", () => {
  it("opens on row click with fields and the activity timeline", async () => {
    const backend = await renderWithRows(1000);
    fireEvent.click(screen.getAllByTestId("lead-row")[0]);
    const detail = await screen.findByTestId("lead-detail");
    await waitFor(() => expect(within(detail).getByTestId("detail-name").textContent).toBe("First0 Last0"));
    expect(detail.querySelector('a[href^="mailto:"]')!.getAttribute("href")).toBe("mailto:lead0@example.com");
    expect(detail.textContent).toContain("Met at the summit");
    const items = await within(detail).findAllByTestId("activity-item");
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain("Lead updated");
    const changes = within(items[0]).getAllByTestId("activity-change").map((c) => c.textContent);
    expect(changes[0]).toBe("email: old@example.com → lead0@example.com");
    expect(changes[1]).toBe("job title: empty → CTO");
    expect(backend.callsTo("lead_activities")[0].args).toEqual({ leadId: "lead-0", before: null, limit: 50 });
    fireEvent.click(screen.getByTestId("close-detail"));
    expect(screen.queryByTestId("lead-detail")).toBeNull();
  });

  it("loads more activities with the `next` cursor", async () => {
    let page = 0;
    const backend = await renderWithRows(1000, {
      lead_activities: ({ before }: any) => {
        page++;
        const row = (id: string) => ({ id, leadId: "lead-0", activityType: "note", description: `Note ${id}`, changes: [], userName: null, createdAt: "2025-03-04T10:00:00Z" });
        return before ? { rows: [row("b1")], next: null } : { rows: [row("a1"), row("a2")], next: "a2" };
      },
    });
    fireEvent.click(screen.getAllByTestId("lead-row")[0]);
    fireEvent.click(await screen.findByTestId("load-more-activities"));
    await waitFor(() => expect(screen.getAllByTestId("activity-item")).toHaveLength(3));
    expect(backend.callsTo("lead_activities")[1].args).toEqual({ leadId: "lead-0", before: "a2", limit: 50 });
    expect(screen.queryByTestId("load-more-activities")).toBeNull();
    expect(page).toBe(2);
  });

  it("deletes after a confirm step and refreshes the count", async () => {
    const backend = await renderWithRows(1000, {
      lead_delete: () => {
        backend.setTotal(999);
        return null;
      },
    });
    fireEvent.click(screen.getAllByTestId("lead-row")[0]);
    fireEvent.click(await screen.findByTestId("delete-lead"));
    expect(backend.callsTo("lead_delete")).toHaveLength(0);
    fireEvent.click(screen.getByTestId("confirm-delete"));
    await waitFor(() => expect(backend.callsTo("lead_delete")[0]?.args).toEqual({ id: "lead-0" }));
    await waitFor(() => expect(screen.getByTestId("lead-count").textContent).toBe("999 leads"));
    expect(screen.queryByTestId("lead-detail")).toBeNull();
  });
});

describe("lead form", () => {
  it("shows a backend field error inline under that field only, and focuses it", async () => {
    const backend = await renderWithRows(1000, {
      lead_create: () => {
        throw { code: "invalid_email", message: "Enter a valid email address.", field: "email" };
      },
    });
    fireEvent.click(screen.getByTestId("new-lead-button"));
    const form = await screen.findByTestId("lead-form");
    fireEvent.change(within(form).getByTestId("field-firstName"), { target: { value: "Ada" } });
    fireEvent.change(within(form).getByTestId("field-email"), { target: { value: "ada@" } });
    fireEvent.click(within(form).getByTestId("save-lead"));
    const err = await within(form).findByTestId("error-email");
    expect(err.textContent).toBe("Enter a valid email address.");
    expect(form.querySelectorAll('[data-testid^="error-"]')).toHaveLength(1);
    expect(within(form).queryByTestId("form-error")).toBeNull();
    const email = within(form).getByTestId("field-email");
    expect(email.getAttribute("aria-invalid")).toBe("true");
    // The focus moves in an effect that may run just after the error is in the DOM.
    await waitFor(() => expect(document.activeElement).toBe(email));
    expect(within(form).getByTestId("field-firstName").getAttribute("aria-invalid")).toBeNull();
    expect(backend.callsTo("lead_create")[0].args.input).toMatchObject({ firstName: "Ada", lastName: "", email: "ada@", stageId: "st-1", status: "open" });
    // Editing the field clears its error.
    fireEvent.change(email, { target: { value: "ada@example.com" } });
    expect(within(form).queryByTestId("error-email")).toBeNull();
  });

  it("shows errors without a field as a form-level alert", async () => {
    await renderWithRows(1000, {
      lead_create: () => {
        throw { code: "db_error", message: "disk is full", field: null };
      },
    });
    fireEvent.click(screen.getByTestId("new-lead-button"));
    const form = await screen.findByTestId("lead-form");
    fireEvent.change(within(form).getByTestId("field-lastName"), { target: { value: "Lovelace" } });
    fireEvent.click(within(form).getByTestId("save-lead"));
    expect((await within(form).findByTestId("form-error")).textContent).toContain("disk is full");
    expect(form.querySelectorAll('[data-testid^="error-"]')).toHaveLength(0);
  });

  it("requires a first or last name before calling the backend", async () => {
    const backend = await renderWithRows(1000);
    fireEvent.click(screen.getByTestId("new-lead-button"));
    const form = await screen.findByTestId("lead-form");
    fireEvent.click(within(form).getByTestId("save-lead"));
    expect(await within(form).findByTestId("error-firstName")).toBeTruthy();
    expect(backend.callsTo("lead_create")).toHaveLength(0);
  });

  it("creates a lead, closes the form, refreshes and opens the detail", async () => {
    let created = false;
    const backend = await renderWithRows(1000, {
      lead_create: ({ input }: any) => {
        created = true;
        backend.setTotal(1001);
        return { ...input, id: "lead-5" };
      },
    });
    const listCallsBefore = backend.callsTo("lead_list").length;
    fireEvent.click(screen.getByTestId("new-lead-button"));
    const form = await screen.findByTestId("lead-form");
    fireEvent.change(within(form).getByTestId("field-firstName"), { target: { value: "Grace" } });
    fireEvent.change(within(form).getByTestId("field-score"), { target: { value: "80" } });
    fireEvent.click(within(form).getByTestId("save-lead"));
    await waitFor(() => expect(screen.queryByTestId("lead-form")).toBeNull());
    expect(created).toBe(true);
    expect(backend.callsTo("lead_create")[0].args.input).toMatchObject({ firstName: "Grace", score: 80, email: null });
    await waitFor(() => expect(screen.getByTestId("lead-count").textContent).toBe("1,001 leads"));
    await waitFor(() => expect(backend.callsTo("lead_list").length).toBeGreaterThan(listCallsBefore));
    expect(await screen.findByTestId("lead-detail")).toBeTruthy();
    await waitFor(() => expect(backend.callsTo("lead_get").at(-1)!.args).toEqual({ id: "lead-5" }));
    expect(screen.getAllByTestId("toast").some((t) => t.textContent!.includes("created"))).toBe(true);
  });

  it("edits a lead prefilled and reloads the timeline", async () => {
    const backend = await renderWithRows(1000, {
      lead_update: ({ id, input }: any) => ({ ...input, id }),
    });
    fireEvent.click(screen.getAllByTestId("lead-row")[0]);
    fireEvent.click(await screen.findByTestId("edit-lead"));
    const form = await screen.findByTestId("lead-form");
    const first = within(form).getByTestId("field-firstName") as HTMLInputElement;
    expect(first.value).toBe("First0");
    expect((within(form).getByTestId("field-budget") as HTMLInputElement).value).toBe("$50k");
    fireEvent.change(first, { target: { value: "Renamed" } });
    const activityCalls = backend.callsTo("lead_activities").length;
    fireEvent.click(within(form).getByTestId("save-lead"));
    await waitFor(() => expect(screen.queryByTestId("lead-form")).toBeNull());
    expect(backend.callsTo("lead_update")[0].args).toMatchObject({ id: "lead-0", input: { firstName: "Renamed", lastName: "Last0" } });
    await waitFor(() => expect(backend.callsTo("lead_activities").length).toBeGreaterThan(activityCalls));
  });
});

describe("keyboard", () => {
  it("`n` opens the new-lead form and Esc closes it", async () => {
    await renderWithRows(1000);
    fireEvent.keyDown(document.body, { key: "n" });
    expect(await screen.findByTestId("lead-form")).toBeTruthy();
    fireEvent.keyDown(document.activeElement ?? document.body, { key: "Escape" });
    expect(screen.queryByTestId("lead-form")).toBeNull();
  });

  it("`n` does nothing while typing in an input", async () => {
    await renderWithRows(1000);
    const input = screen.getByTestId("search-input");
    input.focus();
    fireEvent.keyDown(input, { key: "n" });
    expect(screen.queryByTestId("lead-form")).toBeNull();
  });

  it("`/` focuses the search box", async () => {
    await renderWithRows(1000);
    fireEvent.keyDown(document.body, { key: "/" });
    expect(document.activeElement).toBe(screen.getByTestId("search-input"));
  });

  it("Esc closes the topmost layer first", async () => {
    await renderWithRows(1000);
    fireEvent.click(screen.getAllByTestId("lead-row")[0]);
    await screen.findByTestId("lead-detail");
    fireEvent.keyDown(document.body, { key: "k", ctrlKey: true });
    await screen.findByTestId("palette");
    fireEvent.keyDown(document.body, { key: "Escape" });
    expect(screen.queryByTestId("palette")).toBeNull();
    expect(screen.getByTestId("lead-detail")).toBeTruthy();
    fireEvent.keyDown(document.body, { key: "Escape" });
    expect(screen.queryByTestId("lead-detail")).toBeNull();
  });

  it("Ctrl-K opens the palette; arrows + Enter run an action", async () => {
    await renderWithRows(1000);
    fireEvent.keyDown(document.body, { key: "k", ctrlKey: true });
    const palette = await screen.findByTestId("palette");
    const input = within(palette).getByTestId("palette-input");
    expect(document.activeElement).toBe(input);
    const labels = within(palette).getAllByTestId("palette-item").map((i) => i.textContent);
    expect(labels.join("|")).toMatch(/New lead.*Go to Leads.*Go to Companies/);
    fireEvent.keyDown(input, { key: "ArrowDown" });
    fireEvent.keyDown(input, { key: "ArrowDown" });
    expect(within(palette).getAllByTestId("palette-item")[2].getAttribute("aria-selected")).toBe("true");
    fireEvent.keyDown(input, { key: "Enter" });
    expect(screen.queryByTestId("palette")).toBeNull();
    expect(screen.getByTestId("nav-companies").getAttribute("aria-current")).toBe("page");
  });

  it("⌘-K palette searches leads (limit 8) and Enter opens one", async () => {
    const backend = await renderWithRows(1000, {
      lead_search: ({ req }: any) => [makeRow(42, { firstName: "Zed", lastName: req.text })],
    });
    fireEvent.keyDown(document.body, { key: "k", metaKey: true });
    const palette = await screen.findByTestId("palette");
    const input = within(palette).getByTestId("palette-input");
    fireEvent.change(input, { target: { value: "zed" } });
    await waitFor(() => expect(within(palette).getAllByTestId("palette-item").some((i) => i.textContent!.includes("Zed zed"))).toBe(true));
    expect(backend.callsTo("lead_search").at(-1)!.args).toEqual({ text: "zed", limit: 8 });
    // No action label contains "zed", so the lead is the first item.
    fireEvent.keyDown(input, { key: "Enter" });
    const detail = await screen.findByTestId("lead-detail");
    await waitFor(() => expect(backend.callsTo("lead_get").at(-1)!.args).toEqual({ id: "lead-42" }));
    expect(detail).toBeTruthy();
  });
});
