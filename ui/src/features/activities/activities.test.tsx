import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import App from "../../App";
import { installBackend } from "../../test/backend";

async function openLead(overrides: Record<string, (args: any) => unknown> = {}) {
  const backend = installBackend(50, overrides);
  render(<App />);
  await waitFor(() => expect(screen.getAllByTestId("lead-row").length).toBeGreaterThan(5));
  fireEvent.click(screen.getAllByTestId("lead-row")[0]);
  const detail = await screen.findByTestId("lead-detail");
  await within(detail).findByTestId("log-activity");
  return { backend, detail };
}

describe("logging an activity", () => {
  it("logs a call with outcome and minutes from the panel; the timeline shows it", async () => {
    const { backend, detail } = await openLead();
    fireEvent.click(within(detail).getByTestId("log-activity"));
    const form = await screen.findByTestId("activity-form");
    expect(within(form).getByTestId("activity-kind-call").getAttribute("aria-checked")).toBe("true");
    fireEvent.change(within(form).getByTestId("activity-outcome"), { target: { value: "Left a voicemail" } });
    fireEvent.change(within(form).getByTestId("activity-duration"), { target: { value: "5" } });
    fireEvent.change(within(form).getByTestId("activity-message"), { target: { value: "Try again Thursday" } });
    fireEvent.click(within(form).getByTestId("save-activity"));
    await waitFor(() => expect(screen.queryByTestId("activity-form")).toBeNull());
    expect(backend.callsTo("activity_log")[0].args).toEqual({
      input: { leadId: "lead-0", kind: "call", message: "Try again Thursday", outcome: "Left a voicemail", durationMinutes: 5 },
    });
    // The command made "leads" stale: the panel reloads its timeline.
    const entry = await within(detail).findByText("Try again Thursday", { exact: false });
    const item = entry.closest("[data-testid=activity-item]") as HTMLElement;
    expect(item.dataset.type).toBe("call_made");
    expect(item.textContent).toContain("Left a voicemail · 5 min");
    expect(screen.getAllByTestId("toast").some((t) => t.textContent!.includes("Call logged"))).toBe(true);
  });

  it("a note has no outcome or minutes, and an empty one is refused under its field", async () => {
    const { backend } = await openLead();
    fireEvent.keyDown(window, { key: "l" });
    const form = await screen.findByTestId("activity-form");
    fireEvent.click(within(form).getByTestId("activity-kind-note"));
    expect(within(form).queryByTestId("activity-outcome")).toBeNull();
    expect(within(form).queryByTestId("activity-duration")).toBeNull();
    fireEvent.click(within(form).getByTestId("save-activity"));
    expect((await within(form).findByTestId("error-message")).textContent).toContain("Say what happened");
    expect(within(form).getByTestId("activity-message").getAttribute("aria-invalid")).toBe("true");
    fireEvent.change(within(form).getByTestId("activity-message"), { target: { value: "Prefers mornings" } });
    fireEvent.click(within(form).getByTestId("save-activity"));
    await waitFor(() => expect(backend.callsTo("activity_log").at(-1)!.args.input).toEqual({ leadId: "lead-0", kind: "note", message: "Prefers mornings", outcome: null, durationMinutes: null }));
  });

  it("checks minutes before asking the backend", async () => {
    const { backend } = await openLead();
    fireEvent.click(screen.getByTestId("log-activity"));
    const form = await screen.findByTestId("activity-form");
    fireEvent.change(within(form).getByTestId("activity-duration"), { target: { value: "2000" } });
    fireEvent.change(within(form).getByTestId("activity-message"), { target: { value: "Long one" } });
    fireEvent.click(within(form).getByTestId("save-activity"));
    expect((await within(form).findByTestId("error-durationMinutes")).textContent).toContain("1 to 1440");
    expect(backend.callsTo("activity_log")).toHaveLength(0);
  });
});
