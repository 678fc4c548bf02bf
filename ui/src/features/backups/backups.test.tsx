import { describe, expect, it } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import App from "../../App";
import type { Backup, BackupCheck, StartupState } from "../../bindings";
import { installBackend } from "../../test/backend";

const daily: Backup = {
  fileName: "leadbook-20261204-030000-daily.db",
  path: "/data/backups/leadbook-20261204-030000-daily.db",
  kind: "daily",
  createdAt: "2026-12-04T03:00:00.000Z",
  sizeBytes: 3 * 1024 * 1024,
};
const manual: Backup = { ...daily, fileName: "leadbook-20261205-090000-manual.db", kind: "manual", createdAt: "2026-12-05T09:00:00.000Z", sizeBytes: 2048 };
const check = (b: Backup, leads = 1234): BackupCheck => ({ backup: b, leads, companies: 56, schemaVersion: 11 });

async function openSettings(overrides: Record<string, (args: any) => unknown>) {
  const backend = installBackend(10, overrides);
  render(<App />);
  fireEvent.click(await screen.findByTestId("nav-settings"));
  await screen.findByTestId("backups-card");
  return backend;
}

describe("Settings → Backups", () => {
  it("lists backups newest first with when, why and size", async () => {
    await openSettings({ backup_list: () => [manual, daily] });
    const rows = await screen.findAllByTestId("backup-row");
    expect(rows.map((r) => r.getAttribute("data-file"))).toEqual([manual.fileName, daily.fileName]);
    expect(rows[0].textContent).toContain("By hand");
    expect(rows[1].textContent).toContain("Daily");
    expect(rows[1].textContent).toContain("3.0 MB");
  });

  it("backs up now and lists the new one", async () => {
    let list: Backup[] = [daily];
    const backend = await openSettings({
      backup_list: () => list,
      backup_create: () => {
        list = [manual, daily];
        return manual;
      },
    });
    await screen.findAllByTestId("backup-row");
    fireEvent.click(screen.getByTestId("backup-now"));
    await waitFor(() => expect(screen.getAllByTestId("backup-row")).toHaveLength(2));
    expect(backend.callsTo("backup_create")).toHaveLength(1);
    expect(screen.getAllByTestId("toast").some((t) => t.textContent?.startsWith("Backed up"))).toBe(true);
  });

  it("says what a restore replaces before doing it, then restores the chosen file", async () => {
    const backend = await openSettings({
      backup_list: () => [daily],
      backup_check: ({ file }) => check({ ...daily, fileName: file }),
      backup_restore: ({ file }) => ({ restored: check({ ...daily, fileName: file }), previous: manual }),
    });
    fireEvent.click(await screen.findByTestId("backup-restore"));
    const dialog = await screen.findByTestId("backup-restore-dialog");
    const summary = await within(dialog).findByTestId("backup-restore-summary");
    expect(summary.textContent).toContain("1,234");
    expect(summary.textContent).toContain("replaced by the backup of");
    expect(summary.textContent).toContain("backed up first");
    expect(within(dialog).queryByTestId("backup-restore-sync-note")).toBeNull();
    expect(backend.callsTo("backup_restore")).toHaveLength(0);
    fireEvent.click(within(dialog).getByTestId("backup-restore-confirm"));
    await waitFor(() => expect(backend.callsTo("backup_restore")).toHaveLength(1));
    expect(backend.callsTo("backup_restore")[0].args).toEqual({ file: daily.fileName });
  });

  it("refuses a damaged backup with the reason and no restore button that works", async () => {
    const backend = await openSettings({
      backup_list: () => [daily],
      backup_check: () => {
        throw { code: "backup_damaged", field: "file", message: "leadbook-20261204-030000-daily.db cannot be restored: it is damaged" };
      },
    });
    fireEvent.click(await screen.findByTestId("backup-restore"));
    expect((await screen.findByTestId("backup-restore-problem")).textContent).toContain("it is damaged");
    expect((screen.getByTestId("backup-restore-confirm") as HTMLButtonElement).disabled).toBe(true);
    expect(backend.callsTo("backup_restore")).toHaveLength(0);
  });

  it("shows a bug or a full disk reported by the app as an error with a way on", async () => {
    await openSettings({});
    await act(async () => {
      await emit("app-error", { code: "disk_full", field: null, message: "The disk holding /data is full. Free some space and try again; nothing was changed" });
    });
    const toast = (await screen.findAllByTestId("toast")).find((t) => t.textContent?.includes("/data is full"));
    expect(toast).toBeDefined();
    expect(within(toast!).getByTestId("toast-open-settings")).toBeTruthy();
  });
});

describe("the recovery screen", () => {
  const damaged: StartupState = {
    dbPath: "/data/leadbook.db",
    damaged: { code: "storage", field: null, message: "Cannot open the database /data/leadbook.db: file is not a database" },
    backups: [manual, daily],
    newestGood: check(daily, 900),
  };

  it("shows the reason and the newest good backup instead of the app, and restores it", async () => {
    let state = damaged;
    const backend = installBackend(10, {
      recovery_state: () => state,
      recovery_restore: () => {
        state = { ...damaged, damaged: null };
        return check(daily, 900);
      },
    });
    render(<App />);
    const screenEl = await screen.findByTestId("recovery-screen");
    expect(screen.queryByTestId("nav-settings")).toBeNull();
    expect(screen.getByTestId("recovery-reason").textContent).toContain("file is not a database");
    expect(screenEl.textContent).toContain("/data/leadbook.db");
    expect(screen.getByTestId("recovery-newest-good").textContent).toContain("900 leads");
    // The newest good one is chosen, not the newest (damaged) one.
    const radios = screen.getAllByRole("radio") as HTMLInputElement[];
    expect(radios.map((r) => r.checked)).toEqual([false, true]);
    fireEvent.click(screen.getByTestId("recovery-restore"));
    expect(screen.getByTestId("recovery-confirm").textContent).toContain("kept beside it");
    fireEvent.click(screen.getByTestId("recovery-restore-confirm"));
    await waitFor(() => expect(backend.callsTo("recovery_restore")).toHaveLength(1));
    expect(backend.callsTo("recovery_restore")[0].args).toEqual({ file: daily.fileName });
    // Then the app itself.
    expect(await screen.findByTestId("nav-settings")).toBeTruthy();
  });

  it("says so when there is no backup to restore", async () => {
    installBackend(10, { recovery_state: () => ({ ...damaged, backups: [], newestGood: null }) });
    render(<App />);
    expect((await screen.findByTestId("recovery-no-backup")).textContent).toContain("no backup");
    expect(screen.queryByTestId("recovery-restore")).toBeNull();
  });
});
