import { describe, expect, it } from "vitest";
import { act, render, screen, waitFor } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import App from "../App";
import { installBackend } from "../test/backend";

async function renderApp() {
  const backend = installBackend(1000);
  render(<App />);
  await waitFor(() => expect(screen.getAllByTestId("lead-row").length).toBeGreaterThan(5));
  // Settled: the start-up reads and the one-off first-paint report are done.
  await waitFor(() => expect(backend.callsTo("reminder_counts").length).toBeGreaterThan(0));
  await waitFor(() => expect(backend.callsTo("app_first_paint")).toHaveLength(1));
  return backend;
}

describe("data-changed events", () => {
  it("refetch exactly the reads under the tags named", async () => {
    const backend = await renderApp();
    const counts = backend.callsTo("reminder_counts").length;
    const pages = backend.callsTo("lead_list").length;
    const info = backend.callsTo("store_info").length;

    await act(() => emit("data-changed", { tags: ["reminders"] }));
    await waitFor(() => expect(backend.callsTo("reminder_counts").length).toBe(counts + 1));
    expect(backend.callsTo("lead_list")).toHaveLength(pages);
    expect(backend.callsTo("store_info")).toHaveLength(info);

    await act(() => emit("data-changed", { tags: ["leads", "store"] }));
    await waitFor(() => expect(backend.callsTo("lead_list").length).toBeGreaterThan(pages));
    await waitFor(() => expect(backend.callsTo("store_info").length).toBe(info + 1));
    expect(backend.callsTo("reminder_counts")).toHaveLength(counts + 1);
  });

  it("ignore tags the UI does not know", async () => {
    const backend = await renderApp();
    // The app's own commands (the event plumbing goes through the mocked IPC too).
    const commands = () => backend.calls.filter((c) => !c.cmd.startsWith("plugin:"));
    const before = commands().length;
    await act(() => emit("data-changed", { tags: ["pipelines"] }));
    await new Promise((r) => setTimeout(r, 30));
    expect(commands().slice(before).map((c) => c.cmd)).toEqual([]);
  });
});
