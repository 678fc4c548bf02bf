import { useCallback, useEffect, useMemo, useState } from "react";
import { commands, type StartupState } from "./bindings";
import { DataProvider, LEAD_DATA, invalidate } from "./core/data";
import { DialogHost } from "./core/dialogs";
import { ToastProvider } from "./core/Toasts";
import { RecoveryScreen } from "./features/backups/RecoveryScreen";
import { LeadDetail } from "./features/leads/LeadDetail";
import { usePreloadStagesAndSources } from "./features/leads/queries";
import { NotifierBanner } from "./features/reminders/NotifierBanner";
import { useAppliedTheme } from "./features/settings/GeneralCard";
import { SyncStatusProvider } from "./features/sync/SyncStatusProvider";
import { CommandPalette } from "./shell/CommandPalette";
import { NavigationContext, type Navigation, type ViewId } from "./shell/navigation";
import { Sidebar } from "./shell/Sidebar";
import { useGlobalKeys } from "./shell/useGlobalKeys";
import { useShellEvents } from "./shell/useShellEvents";
import { VIEWS, viewById } from "./shell/views";

export default function App() {
  return (
    <ToastProvider>
      <DataProvider>
        <Boot />
      </DataProvider>
    </ToastProvider>
  );
}

/**
 * Asks the app whether its database opened. If not, the recovery screen shows the reason and
 * the newest good backup instead of the app; once a backup is restored the app starts as usual.
 */
function Boot() {
  const [state, setState] = useState<StartupState | "loading" | "ready">("loading");
  useEffect(() => {
    commands.recoveryState().then(
      (s) => setState(s.damaged ? s : "ready"),
      // An app without the recovery commands (or a test backend): start as usual.
      () => setState("ready"),
    );
  }, []);
  if (state === "loading") return null;
  if (state === "ready") return <Shell />;
  return <RecoveryScreen state={state} onRestored={() => setState("ready")} />;
}

/** The window: sidebar, the open view, the lead panel over it, and the layers above. */
function Shell() {
  const [route, setRoute] = useState<{ view: ViewId; param: string | null }>({ view: "leads", param: null });
  const [leadId, setLeadId] = useState<string | null>(null);
  const [paletteOpen, setPaletteOpen] = useState(false);

  const show = useCallback((view: ViewId, param: string | null = null) => setRoute({ view, param }), []);
  const closeLead = useCallback(() => setLeadId(null), []);
  const nav: Navigation = useMemo(
    () => ({ view: route.view, param: route.param, show, leadId, openLead: setLeadId, closeLead }),
    [route, show, leadId, closeLead],
  );
  useShellEvents(nav);
  usePreloadStagesAndSources();
  useAppliedTheme();
  useGlobalKeys(nav, paletteOpen, setPaletteOpen);

  const { View } = viewById(route.view);
  return (
    <NavigationContext.Provider value={nav}>
      <SyncStatusProvider>
        <div className="app">
          <NotifierBanner />
          <Sidebar onOpenPalette={() => setPaletteOpen(true)} />
          <main className="main">
            <View />
            {leadId && (
              <LeadDetail
                key={leadId}
                leadId={leadId}
                onClose={closeLead}
                onDeleted={() => {
                  closeLead();
                  invalidate([...LEAD_DATA, "reminders"]);
                }}
              />
            )}
          </main>
        </div>
        {VIEWS.map(({ id, Background }) => Background && <Background key={id} />)}
        <DialogHost />
        {paletteOpen && <CommandPalette onClose={() => setPaletteOpen(false)} />}
      </SyncStatusProvider>
    </NavigationContext.Provider>
  );
}
