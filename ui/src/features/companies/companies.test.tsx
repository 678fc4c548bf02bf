import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import App from "../../App";
import { installBackend } from "../../test/backend";

async function renderWithRows(total = 1000, overrides = {}) {
  const backend = installBackend(total, overrides);
  render(<App />);
  await waitFor(() => expect(screen.getAllByTestId("lead-row").length).toBeGreaterThan(5));
  return backend;
}

describe("companies", () => {
  it("lists companies, opens one and shows its leads", async () => {
    const backend = await renderWithRows(1000);
    fireEvent.click(screen.getByTestId("nav-companies"));
    const row = await screen.findByTestId("company-row");
    expect(row.textContent).toContain("Acme");
    expect(backend.callsTo("company_list")[0].args).toEqual({ text: null, after: null, limit: 100 });
    fireEvent.click(row);
    expect(await screen.findByTestId("company-detail")).toBeTruthy();
    await waitFor(() => expect(backend.callsTo("lead_list").some((c) => c.args.companyId === "co-1")).toBe(true));
    const leadRows = await within(screen.getByTestId("company-leads-table")).findAllByTestId("lead-row");
    expect(leadRows).toHaveLength(2);
    fireEvent.click(leadRows[1]);
    expect(await screen.findByTestId("lead-detail")).toBeTruthy();
  });

  it("shows inline field errors in the company form", async () => {
    await renderWithRows(1000, {
      company_create: () => {
        throw { code: "invalid_url", message: "Enter a website like example.com.", field: "website" };
      },
    });
    fireEvent.click(screen.getByTestId("nav-companies"));
    fireEvent.click(await screen.findByTestId("new-company-button"));
    const form = await screen.findByTestId("company-form");
    fireEvent.change(within(form).getByTestId("field-name"), { target: { value: "Initech" } });
    fireEvent.change(within(form).getByTestId("field-website"), { target: { value: "nope" } });
    fireEvent.click(within(form).getByTestId("save-company"));
    expect((await within(form).findByTestId("error-website")).textContent).toContain("example.com");
    expect(form.querySelectorAll('[data-testid^="error-"]')).toHaveLength(1);
  });
});
