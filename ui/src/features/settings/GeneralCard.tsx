import { useEffect, useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { commands, type GeneralSettings, type PhoneRegion, type Theme } from "../../bindings";
import { toAppError } from "../../core/errors";
import { applyTheme } from "../../core/theme";
import { useToast } from "../../core/Toasts";
import { ErrorState, Spinner } from "../../core/ui";

export const GENERAL_SETTINGS_KEY = ["settings", "general"] as const;

const THEMES: { id: Theme; label: string }[] = [
  { id: "system", label: "System" },
  { id: "light", label: "Light" },
  { id: "dark", label: "Dark" },
];

/** The stored settings; the shell keeps the window's theme in step with them. */
export function useGeneralSettings() {
  return useQuery({ queryKey: GENERAL_SETTINGS_KEY, queryFn: () => commands.settingsGeneral() });
}

/** Applies the stored theme whenever it loads or changes (another window, the CLI, a restore). */
export function useAppliedTheme(): void {
  const theme = useGeneralSettings().data?.theme;
  useEffect(() => {
    if (theme) applyTheme(theme);
  }, [theme]);
}

/** "Germany (+49)" in the user's language, sorted by that name. */
function regionOptions(regions: PhoneRegion[]): { code: string; label: string }[] {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames(undefined, { type: "region" });
  } catch {
    names = null;
  }
  return regions
    .map((r) => ({ code: r.code, label: `${names?.of(r.code) ?? r.code} (+${r.callingCode})` }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** Settings → General: phone region, theme, start at login and desktop notifications. */
export function GeneralCard() {
  const settings = useGeneralSettings();
  return (
    <div className="settings-card general-card" data-testid="general-card">
      <h2 className="settings-h2">General</h2>
      {settings.error ? (
        <ErrorState
          testId="general-error"
          title="Couldn't read the settings"
          message={toAppError(settings.error).message}
          onRetry={() => void settings.refetch()}
        />
      ) : !settings.data ? (
        <div className="center-pad">
          <Spinner label="Loading settings" />
        </div>
      ) : (
        <GeneralForm settings={settings.data} />
      )}
    </div>
  );
}

function GeneralForm({ settings }: { settings: GeneralSettings }) {
  const toast = useToast();
  const regions = useQuery({ queryKey: ["settings", "phone-regions"], queryFn: () => commands.settingsPhoneRegions(), staleTime: Infinity });
  const options = useMemo(() => regionOptions(regions.data ?? []), [regions.data]);
  const [saving, setSaving] = useState<string | null>(null);

  /** One setting written at a time; the stale "settings" tag refetches the card afterwards. */
  const save = async (what: string, write: () => Promise<unknown>, done?: string) => {
    setSaving(what);
    try {
      await write();
      if (done) toast.push("success", done);
    } catch (e) {
      toast.push("error", toAppError(e).message);
    } finally {
      setSaving(null);
    }
  };

  const chooseTheme = (theme: Theme) => {
    applyTheme(theme); // at once; the store follows
    void save("theme", () => commands.settingsSetTheme({ theme }));
  };

  return (
    <div className="settings-rows">
      <div className="settings-row">
        <div className="settings-row-text">
          <label className="settings-label" htmlFor="settings-region">
            Phone region
          </label>
          <p className="settings-hint">Numbers written without a + country code are read as numbers from this region.</p>
        </div>
        <select
          id="settings-region"
          className="input settings-control"
          data-testid="settings-region"
          value={settings.defaultRegion}
          disabled={saving === "region" || options.length === 0}
          onChange={(e) => {
            const region = e.target.value;
            void save("region", () => commands.settingsSetDefaultRegion({ region }), "Phone region changed");
          }}
        >
          {options.length === 0 && <option value={settings.defaultRegion}>{settings.defaultRegion}</option>}
          {options.map((o) => (
            <option key={o.code} value={o.code}>
              {o.label}
            </option>
          ))}
        </select>
      </div>

      <div className="settings-row">
        <div className="settings-row-text">
          <span className="settings-label" id="settings-theme-label">
            Theme
          </span>
          <p className="settings-hint">System follows your computer's light or dark mode.</p>
        </div>
        <div className="segmented settings-control" role="radiogroup" aria-labelledby="settings-theme-label">
          {THEMES.map((t) => (
            <button
              key={t.id}
              type="button"
              role="radio"
              aria-checked={settings.theme === t.id}
              className="segment"
              data-testid={`settings-theme-${t.id}`}
              onClick={() => chooseTheme(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
      </div>

      <div className="settings-row">
        <div className="settings-row-text">
          <label className="settings-label" htmlFor="settings-notifications">
            Desktop notifications
          </label>
          <p className="settings-hint">
            Due reminders pop up even when the window is closed. Turned off, they still show here and in Reminders.
          </p>
        </div>
        <div className="settings-control settings-control-row">
          <button
            type="button"
            className="btn btn-sm"
            data-testid="settings-test-notification"
            disabled={saving === "test"}
            onClick={() =>
              void save(
                "test",
                () => commands.settingsTestNotification(),
                "Test notification sent. If nothing popped up, check your system's notification settings.",
              )
            }
          >
            Send a test
          </button>
          <input
            id="settings-notifications"
            type="checkbox"
            role="switch"
            className="switch"
            data-testid="settings-notifications"
            checked={settings.desktopNotifications}
            disabled={saving === "notifications"}
            onChange={(e) => {
              const enabled = e.target.checked;
              void save("notifications", () => commands.settingsSetDesktopNotifications({ enabled }));
            }}
          />
        </div>
      </div>

      <StartAtLogin />
    </div>
  );
}

/** Start at login lives with the OS (an autostart entry), not in the store. */
function StartAtLogin() {
  const toast = useToast();
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    commands.settingsStartAtLogin().then(
      (v) => live && setEnabled(v),
      (e: unknown) => {
        if (!live) return;
        setEnabled(false);
        toast.push("error", `Couldn't read “Start Leadbook at login”: ${toAppError(e).message}`);
      },
    );
    return () => {
      live = false;
    };
  }, [toast]);

  const change = async (want: boolean) => {
    setBusy(true);
    setEnabled(want);
    try {
      setEnabled(await commands.settingsSetStartAtLogin({ enabled: want }));
    } catch (e) {
      setEnabled(!want);
      toast.push("error", toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="settings-row">
      <div className="settings-row-text">
        <label className="settings-label" htmlFor="settings-start-at-login">
          Start Leadbook at login
        </label>
        <p className="settings-hint">Reminders pop up without opening Leadbook first.</p>
      </div>
      <div className="settings-control settings-control-row">
        <input
          id="settings-start-at-login"
          type="checkbox"
          role="switch"
          className="switch"
          data-testid="start-at-login"
          checked={enabled ?? false}
          disabled={enabled === null || busy}
          onChange={(e) => void change(e.target.checked)}
        />
      </div>
    </div>
  );
}
