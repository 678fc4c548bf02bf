import { DATA_TAGS } from "../../core/data";
import { describe, expect, it } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import App from "../../App";
import type { SyncReport, SyncSetup, SyncStatus } from "../../bindings";
import { shortSyncLabel, syncHeadline, syncReportMessage } from "./sync";
import { installBackend, makeSyncStatus } from "../../test/backend";

const URL = "postgres://dana@db.example.com:5432/leadbook";
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

const SYNCED = makeSyncStatus({ state: "synced", url: URL, spaceName: "Acme Sales", lastSyncAt: ago(3) });
const PENDING = makeSyncStatus({
  state: "pending",
  url: URL,
  spaceName: "Acme Sales",
  pending: 3,
  rejected: 2,
  waiting: 1,
  lastSyncAt: ago(5),
  recentRejections: [
    {
      table: "leads",
      rowId: "0190f8a2-6b1c-7c3e-9a51-2f4d8e7b1c90",
      direction: "push",
      reason: "new row violates row-level security policy",
      at: ago(60),
    },
    { table: "reminders", rowId: "r-7", direction: "pull", reason: "status “archived” is unknown", at: ago(120) },
  ],
});

/** A promise the test settles by hand, to hold a command "in flight". */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

type Overrides = Record<string, (args: any) => unknown>;

async function openSettings(status: SyncStatus | (() => SyncStatus), overrides: Overrides = {}) {
  const read = typeof status === "function" ? status : () => status;
  const backend = installBackend(20, { sync_status: read, ...overrides });
  render(<App />);
  fireEvent.click(await screen.findByTestId("nav-settings"));
  await screen.findByTestId("settings-view");
  await waitFor(() => expect(screen.getByTestId("sync-card").getAttribute("data-state")).toBe(read().state));
  return backend;
}

const change = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });
const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;

describe("team sync: setting up", () => {
  it("explains sync and shows the form while it is off, with no sidebar indicator", async () => {
    await openSettings(makeSyncStatus());
    const card = screen.getByTestId("sync-card");
    expect(screen.getByTestId("nav-settings").getAttribute("aria-current")).toBe("page");
    expect(within(card).getByTestId("sync-state").getAttribute("data-state")).toBe("off");
    expect(card.textContent).toContain("Leadbook works offline");
    expect(card.textContent).toContain("PostgreSQL");
    expect(card.textContent).toContain("keychain");
    expect(input("sync-url").placeholder).toBe("postgres://you@db.example.com:5432/leadbook");
    expect(input("sync-password").type).toBe("password");
    expect(input("sync-space").closest(".field")!.textContent).toContain("Leave empty for your team space");
    expect(screen.getByTestId("sync-connect").textContent).toBe("Connect");
    expect(screen.queryByTestId("sync-indicator")).toBeNull();
  });

  it("sends address, password and space (null when empty), clears the password and shows progress", async () => {
    let status = makeSyncStatus();
    const setup = deferred<SyncSetup>();
    const backend = await openSettings(() => status, { sync_setup: () => setup.promise });
    change(input("sync-url"), `  ${URL} `);
    change(input("sync-password"), "s3cret-pass");
    fireEvent.click(screen.getByTestId("sync-connect"));

    await waitFor(() => expect(backend.callsTo("sync_setup")).toHaveLength(1));
    expect(backend.callsTo("sync_setup")[0].args).toEqual({ url: URL, password: "s3cret-pass", space: null, allowPlaintext: false });
    // The password is gone from the form at once; the button says what is happening.
    expect(input("sync-password").value).toBe("");
    const connect = screen.getByTestId("sync-connect") as HTMLButtonElement;
    expect(connect.disabled).toBe(true);
    expect(connect.textContent).toContain("Connecting…");

    status = { ...PENDING, rejected: 0, recentRejections: [] };
    await act(async () => setup.resolve({ url: URL, userName: "dana", spaceName: "Acme Sales", rowsToPush: 1200 }));
    await waitFor(() => expect(screen.getByTestId("sync-card").getAttribute("data-state")).toBe("pending"));
    await waitFor(() =>
      expect(screen.getAllByTestId("toast").some((t) => t.textContent === "Connected to “Acme Sales” as dana — sending 1,200 rows")).toBe(true),
    );
    expect(screen.getByTestId("sync-indicator").textContent).toBe("Syncing 3");
    // The store took the server's names: the sidebar's user and space are read again.
    expect(backend.callsTo("store_info").length).toBeGreaterThanOrEqual(2);
  });

  it("sends a named space trimmed", async () => {
    const backend = await openSettings(makeSyncStatus(), {
      sync_setup: () => ({ url: URL, userName: "dana", spaceName: "Sales", rowsToPush: 0 }),
    });
    change(input("sync-url"), URL);
    change(input("sync-password"), "pw-123456");
    change(input("sync-space"), " Sales ");
    fireEvent.submit(screen.getByTestId("sync-form"));
    await waitFor(() => expect(backend.callsTo("sync_setup")).toHaveLength(1));
    expect(backend.callsTo("sync_setup")[0].args).toEqual({ url: URL, password: "pw-123456", space: "Sales", allowPlaintext: false });
  });

  it("sends an unencrypted connection only when asked, and says what that means", async () => {
    const backend = await openSettings(makeSyncStatus(), {
      sync_setup: ({ allowPlaintext }) => {
        if (!allowPlaintext) throw { code: "plaintext_refused", field: "url", message: "sslmode=disable would send your leads and password unencrypted" };
        return { url: URL, userName: "dana", spaceName: "Sales", rowsToPush: 0 };
      },
    });
    expect(input("sync-url").closest(".field")!.textContent).toContain("Encrypted (TLS) for any server that is not this computer");
    change(input("sync-url"), `${URL}?sslmode=disable`);
    change(input("sync-password"), "pw-123456");
    fireEvent.submit(screen.getByTestId("sync-form"));
    await waitFor(() => expect(screen.getByTestId("sync-url-error").textContent).toContain("unencrypted"));
    expect(screen.queryByRole("note")).toBeNull();
    fireEvent.click(screen.getByTestId("sync-allow-plaintext"));
    expect(screen.getByTestId("sync-allow-plaintext-row").textContent).toContain("readable by anyone on the network");
    change(input("sync-password"), "pw-123456");
    fireEvent.submit(screen.getByTestId("sync-form"));
    await waitFor(() => expect(backend.callsTo("sync_setup")).toHaveLength(2));
    expect(backend.callsTo("sync_setup")[1].args.allowPlaintext).toBe(true);
  });

  it("shows an error naming the address next to the address, and focuses it", async () => {
    await openSettings(makeSyncStatus(), {
      sync_setup: () => {
        throw { code: "invalid_url", message: "The server address is not usable: invalid port number", field: "url" };
      },
    });
    change(input("sync-url"), "postgres://db:99999/x");
    change(input("sync-password"), "pw");
    fireEvent.click(screen.getByTestId("sync-connect"));
    const error = await screen.findByTestId("sync-url-error");
    expect(error.textContent).toBe("The server address is not usable: invalid port number");
    expect(input("sync-url").closest(".field")!.contains(error)).toBe(true);
    expect(input("sync-url").getAttribute("aria-invalid")).toBe("true");
    await waitFor(() => expect(document.activeElement).toBe(input("sync-url")));
    expect(screen.queryByTestId("sync-error")).toBeNull();
    expect(input("sync-password").value).toBe("");
    // Editing the address clears its error.
    change(input("sync-url"), "postgres://db:5432/x");
    expect(screen.queryByTestId("sync-url-error")).toBeNull();
  });

  it("shows an error of no field under the form, and an unknown space next to the space", async () => {
    let attempt = 0;
    await openSettings(makeSyncStatus(), {
      sync_setup: () => {
        attempt++;
        if (attempt === 1) throw { code: "server_auth", message: "The sync server db.example.com:5432 refused user “dana”", field: null };
        throw { code: "unknown_space", message: "“Ops” is not a space of dana on this server (spaces: Sales, dana)", field: "space" };
      },
    });
    change(input("sync-url"), URL);
    change(input("sync-password"), "wrong");
    fireEvent.click(screen.getByTestId("sync-connect"));
    expect((await screen.findByTestId("sync-error")).textContent).toBe("The sync server db.example.com:5432 refused user “dana”");
    expect(screen.queryByTestId("sync-url-error")).toBeNull();

    change(input("sync-password"), "right");
    change(input("sync-space"), "Ops");
    fireEvent.click(screen.getByTestId("sync-connect"));
    expect((await screen.findByTestId("sync-space-error")).textContent).toContain("“Ops” is not a space");
    expect(screen.queryByTestId("sync-error")).toBeNull();
  });

  it("asks for the address and the password before calling the backend", async () => {
    const backend = await openSettings(makeSyncStatus());
    fireEvent.click(screen.getByTestId("sync-connect"));
    expect((await screen.findByTestId("sync-url-error")).textContent).toContain("Enter the server address");
    expect(screen.getByTestId("sync-password-error").textContent).toBe("Enter your password.");
    // A password written into the address is enough.
    change(input("sync-url"), "postgres://dana:pw@db.example.com/leadbook");
    fireEvent.click(screen.getByTestId("sync-connect"));
    await waitFor(() => expect(backend.callsTo("sync_setup")).toHaveLength(1));
    expect(backend.callsTo("sync_setup")[0].args.password).toBe("");
  });
});

describe("team sync: when on", () => {
  it("shows the state, server, space, counts and the rows set aside", async () => {
    await openSettings(PENDING);
    const card = screen.getByTestId("sync-card");
    const state = within(card).getByTestId("sync-state");
    expect(state.getAttribute("data-state")).toBe("pending");
    expect(state.textContent).toContain("Syncing 3 changes");
    expect(state.querySelector(".sync-dot.state-pending")).toBeTruthy();
    expect(within(card).getByTestId("sync-url-value").textContent).toBe(URL);
    expect(within(card).getByTestId("sync-space-value").textContent).toBe("Acme Sales");
    expect(within(card).getByTestId("sync-last").textContent).toBe("5 minutes ago");
    expect(within(card).getByTestId("sync-pending").textContent).toBe("3");
    expect(within(card).getByTestId("sync-rejected").textContent).toBe("2");
    expect(within(card).getByTestId("sync-waiting").textContent).toBe("1");

    const rows = within(screen.getByTestId("sync-rejections")).getAllByTestId("sync-rejection");
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain("leads");
    expect(rows[0].textContent).toContain("0190f8a2…");
    expect(rows[0].textContent).not.toContain("2f4d8e7b1c90");
    expect(rows[0].textContent).toContain("Push");
    expect(rows[0].textContent).toContain("new row violates row-level security policy");
    expect(rows[1].getAttribute("data-direction")).toBe("pull");
    expect(rows[1].textContent).toContain("r-7");
    expect(rows[1].textContent).toContain("status “archived” is unknown");
  });

  it("says since when it is offline, and what went wrong", async () => {
    const since = new Date();
    since.setHours(0, 1, 0, 0);
    await openSettings(
      makeSyncStatus({
        state: "offline",
        url: URL,
        spaceName: "Acme Sales",
        pending: 14,
        offlineSince: since.toISOString(),
        lastError: { code: "server_unreachable", message: "Cannot reach the sync server db.example.com:5432", field: null },
      }),
    );
    const state = screen.getByTestId("sync-state");
    expect(state.getAttribute("data-state")).toBe("offline");
    expect(state.textContent).toContain(`Offline since ${since.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" })}`);
    expect(screen.getByTestId("sync-last-error").textContent).toBe("Cannot reach the sync server db.example.com:5432");
    expect(screen.getByTestId("sync-last").textContent).toBe("Not yet");
    expect(screen.queryByTestId("sync-rejections")).toBeNull();
    expect(screen.getByTestId("sync-indicator").textContent).toBe("Offline");
  });

  it("shows the error of a failed run in red", async () => {
    await openSettings(
      makeSyncStatus({
        state: "error",
        url: URL,
        spaceName: "Acme Sales",
        lastError: { code: "server_error", message: "The sync server refused: permission denied", field: null },
      }),
    );
    expect(screen.getByTestId("sync-state").textContent).toContain("Sync error");
    expect(screen.getByTestId("sync-last-error").className).toContain("is-error");
    expect(screen.getByTestId("sync-last-error").textContent).toBe("The sync server refused: permission denied");
    expect(screen.getByTestId("sync-indicator").textContent).toBe("Sync error");
  });

  it("syncs now and shows what it did", async () => {
    const run = deferred<SyncReport>();
    const backend = await openSettings(SYNCED, { sync_now: () => run.promise });
    const button = screen.getByTestId("sync-now") as HTMLButtonElement;
    fireEvent.click(button);
    await waitFor(() => expect(backend.callsTo("sync_now")).toHaveLength(1));
    expect(button.disabled).toBe(true);
    expect(button.textContent).toContain("Syncing…");
    const reads = backend.callsTo("sync_status").length;
    await act(async () => run.resolve({ pushed: 3, pulled: 12, rejected: 0, conflicts: 0 }));
    expect((await screen.findByTestId("sync-report")).textContent).toBe("Pushed 3, pulled 12");
    expect(button.disabled).toBe(false);
    // And reads the status again.
    await waitFor(() => expect(backend.callsTo("sync_status").length).toBeGreaterThan(reads));
  });

  it("shows why Sync now failed", async () => {
    await openSettings(SYNCED, {
      sync_now: () => {
        throw { code: "server_unreachable", message: "Cannot reach the sync server db.example.com:5432", field: null };
      },
    });
    fireEvent.click(screen.getByTestId("sync-now"));
    const report = await screen.findByTestId("sync-report");
    expect(report.textContent).toBe("Cannot reach the sync server db.example.com:5432");
    expect(report.className).toContain("is-error");
  });

  it("stops syncing only after a confirm step that says what happens", async () => {
    let status: SyncStatus = PENDING;
    const backend = await openSettings(() => status, {
      sync_forget: () => {
        status = makeSyncStatus();
        return true;
      },
    });
    fireEvent.click(screen.getByTestId("sync-forget"));
    const confirm = screen.getByTestId("sync-forget-confirm");
    expect(confirm.textContent).toContain("Your leads stay on this computer");
    expect(confirm.textContent).toContain("removed from the keychain");
    expect(confirm.textContent).toContain("3 changes not yet sent will not be sent");
    expect(backend.callsTo("sync_forget")).toHaveLength(0);
    // "Keep syncing" backs out.
    fireEvent.click(within(confirm).getByText("Keep syncing"));
    expect(screen.queryByTestId("sync-forget-confirm")).toBeNull();

    fireEvent.click(screen.getByTestId("sync-forget"));
    fireEvent.click(screen.getByTestId("sync-forget-confirm-button"));
    await waitFor(() => expect(backend.callsTo("sync_forget")).toHaveLength(1));
    await waitFor(() => expect(screen.getByTestId("sync-card").getAttribute("data-state")).toBe("off"));
    expect(screen.getByTestId("sync-form")).toBeTruthy();
    expect(screen.queryByTestId("sync-indicator")).toBeNull();
  });
});

describe("team sync: live status", () => {
  it("updates the sidebar indicator and Settings from sync-status events; the indicator opens Settings", async () => {
    const backend = installBackend(20);
    render(<App />);
    await waitFor(() => expect(backend.callsTo("sync_status")).toHaveLength(1));
    await screen.findByTestId("store-user");
    expect(screen.queryByTestId("sync-indicator")).toBeNull();

    await act(() => emit("sync-status", PENDING));
    const indicator = await screen.findByTestId("sync-indicator");
    expect(indicator.textContent).toBe("Syncing 3");
    expect(indicator.getAttribute("data-state")).toBe("pending");
    expect(indicator.querySelector(".sync-dot.state-pending")).toBeTruthy();

    // A finished run that pulled rows says so with data-changed (every tag): the views read again.
    const lists = backend.callsTo("lead_list").length;
    await act(() => emit("sync-status", { ...SYNCED, lastSyncAt: ago(0) }));
    // (All but `sync`: this fake's sync_status answers "off", the events above drive the status.)
    await act(() => emit("data-changed", { tags: DATA_TAGS.filter((t) => t !== "sync") }));
    await waitFor(() => expect(screen.getByTestId("sync-indicator").textContent).toBe("Synced"));
    await waitFor(() => expect(backend.callsTo("lead_list").length).toBeGreaterThan(lists));

    fireEvent.click(screen.getByTestId("sync-indicator"));
    expect(await screen.findByTestId("settings-view")).toBeTruthy();
    expect(screen.getByTestId("sync-state").getAttribute("data-state")).toBe("synced");

    await act(() =>
      emit("sync-status", {
        ...SYNCED,
        state: "offline",
        offlineSince: ago(1),
        lastError: { code: "server_unreachable", message: "Connection refused", field: null },
      }),
    );
    await waitFor(() => expect(screen.getByTestId("sync-state").getAttribute("data-state")).toBe("offline"));
    expect(screen.getByTestId("sync-indicator").textContent).toBe("Offline");
    expect(screen.getByTestId("sync-last-error").textContent).toBe("Connection refused");

    await act(() => emit("sync-status", makeSyncStatus()));
    await waitFor(() => expect(screen.queryByTestId("sync-indicator")).toBeNull());
    expect(screen.getByTestId("sync-card").getAttribute("data-state")).toBe("off");
  });

  it("keeps the app usable when the status can't be read, and retries from Settings", async () => {
    let fail = true;
    const backend = installBackend(20, {
      sync_status: () => {
        if (fail) throw { code: "storage", message: "database is locked", field: null };
        return SYNCED;
      },
    });
    render(<App />);
    await waitFor(() => expect(screen.getAllByTestId("lead-row").length).toBeGreaterThan(0));
    expect(screen.queryByTestId("sync-indicator")).toBeNull();
    fireEvent.click(screen.getByTestId("nav-settings"));
    const error = await screen.findByTestId("sync-load-error");
    expect(error.textContent).toContain("database is locked");
    fail = false;
    fireEvent.click(within(error).getByText("Retry"));
    await waitFor(() => expect(screen.getByTestId("sync-card").getAttribute("data-state")).toBe("synced"));
    expect(backend.callsTo("sync_status")).toHaveLength(2);
    expect(screen.getByTestId("sync-indicator").textContent).toBe("Synced");
  });

  it("is in the command palette", async () => {
    installBackend(20);
    render(<App />);
    fireEvent.click(await screen.findByTestId("open-palette"));
    fireEvent.change(await screen.findByTestId("palette-input"), { target: { value: "settings" } });
    fireEvent.keyDown(screen.getByTestId("palette-input"), { key: "Enter" });
    expect(await screen.findByTestId("settings-view")).toBeTruthy();
  });
});

describe("sync labels", () => {
  it("words the states and the report", () => {
    expect(shortSyncLabel(SYNCED)).toBe("Synced");
    expect(shortSyncLabel(PENDING)).toBe("Syncing 3");
    expect(shortSyncLabel({ ...PENDING, pending: 0 })).toBe("Syncing…");
    expect(shortSyncLabel({ ...SYNCED, state: "offline" })).toBe("Offline");
    expect(shortSyncLabel({ ...SYNCED, state: "error" })).toBe("Sync error");
    expect(syncHeadline({ ...PENDING, pending: 1 })).toBe("Syncing 1 change");
    expect(syncHeadline({ ...PENDING, pending: 2500 })).toBe("Syncing 2,500 changes");
    expect(syncReportMessage({ pushed: 3, pulled: 12, rejected: 0, conflicts: 0 })).toBe("Pushed 3, pulled 12");
    expect(syncReportMessage({ pushed: 0, pulled: 0, rejected: 0, conflicts: 0 })).toBe("Already up to date");
    expect(syncReportMessage({ pushed: 1, pulled: 2, rejected: 1, conflicts: 2 })).toBe("Pushed 1, pulled 2, 1 set aside, 2 edits here replaced by newer ones");
  });
});
