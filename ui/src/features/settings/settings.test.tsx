import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import App from "../../App";
import { installBackend } from "../../test/backend";

async function openSettings(overrides: Record<string, (args: any) => unknown> = {}) {
  const backend = installBackend(50, overrides);
  render(<App />);
  await waitFor(() => expect(screen.getAllByTestId("lead-row").length).toBeGreaterThan(5));
  fireEvent.click(screen.getByTestId("nav-settings"));
  const card = await screen.findByTestId("general-card");
  await within(card).findByTestId("settings-region");
  return { backend, card };
}

function toasts(): string[] {
  return screen.queryAllByTestId("toast").map((t) => t.textContent ?? "");
}

afterEach(() => {
  localStorage.clear();
  delete document.documentElement.dataset.theme;
});

describe("Settings → General", () => {
  it("changes the phone region and reads the stored value back", async () => {
    const { backend, card } = await openSettings();
    const select = within(card).getByTestId("settings-region") as HTMLSelectElement;
    await waitFor(() => expect(select.options.length).toBe(3));
    expect(select.value).toBe("US");
    fireEvent.change(select, { target: { value: "DE" } });
    await waitFor(() => expect(backend.callsTo("settings_set_default_region")[0]?.args).toEqual({ region: "DE" }));
    // The command made "settings" stale: the card reads the stored value back.
    await waitFor(() => expect(backend.callsTo("settings_general").length).toBeGreaterThan(1));
    await waitFor(() => expect(select.value).toBe("DE"));
    expect(toasts().some((t) => t.includes("Phone region changed"))).toBe(true);
  });

  it("applies the theme at once, stores it, and remembers it for the next start", async () => {
    const { backend, card } = await openSettings();
    const dark = within(card).getByTestId("settings-theme-dark");
    expect(within(card).getByTestId("settings-theme-system").getAttribute("aria-checked")).toBe("true");
    fireEvent.click(dark);
    expect(document.documentElement.dataset.theme).toBe("dark");
    await waitFor(() => expect(backend.callsTo("settings_set_theme")[0]?.args).toEqual({ theme: "dark" }));
    await waitFor(() => expect(dark.getAttribute("aria-checked")).toBe("true"));
    expect(localStorage.getItem("leadbook.theme")).toBe("dark");
    fireEvent.click(within(card).getByTestId("settings-theme-light"));
    expect(document.documentElement.dataset.theme).toBe("light");
  });

  it("turns desktop notifications off and reports a refused test notification with its reason", async () => {
    const { backend, card } = await openSettings({
      settings_test_notification: () => {
        throw { code: "notifications", message: "The notification service refused the notification: no D-Bus", field: null };
      },
    });
    const toggle = within(card).getByTestId("settings-notifications") as HTMLInputElement;
    expect(toggle.checked).toBe(true);
    fireEvent.click(toggle);
    await waitFor(() => expect(backend.callsTo("settings_set_desktop_notifications")[0]?.args).toEqual({ enabled: false }));
    await waitFor(() => expect(toggle.checked).toBe(false));
    fireEvent.click(within(card).getByTestId("settings-test-notification"));
    await waitFor(() => expect(toasts().some((t) => t.includes("no D-Bus"))).toBe(true));
  });

  it("toggles start at login and reports a failure as a toast", async () => {
    let fail = false;
    const { backend, card } = await openSettings({
      settings_set_start_at_login: ({ enabled }: any) => {
        if (fail) throw { code: "autostart", message: "Cannot change start at login: read-only", field: null };
        return enabled;
      },
    });
    const box = within(card).getByTestId("start-at-login") as HTMLInputElement;
    await waitFor(() => expect(box.disabled).toBe(false));
    expect(box.checked).toBe(false);
    fireEvent.click(box);
    await waitFor(() => expect(backend.callsTo("settings_set_start_at_login")[0]?.args).toEqual({ enabled: true }));
    await waitFor(() => expect(box.checked).toBe(true));
    fail = true;
    fireEvent.click(box);
    await waitFor(() => expect(toasts().some((t) => t.includes("read-only"))).toBe(true));
    expect(box.checked).toBe(true);
  });
});
