import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  commands,
  type AppError,
  type Lead,
  type NotifierStatus,
  type Reminder,
  type Source,
  type Stage,
  type StartupState,
  type StoreInfo,
} from "./bindings";
import { AppContext, type AppActions } from "./appContext";
import { toAppError } from "./core/errors";
import { useAppEvent } from "./core/events";
import { formatNumber } from "./core/format";
import { closeTopLayer, isTypingTarget } from "./core/layers";
import { createLatest } from "./core/latest";
import { isClosed } from "./features/reminders/reminders";
import { LeadsView } from "./features/leads/LeadsView";
import { ImportView } from "./features/import/ImportView";
import { LeadDetail } from "./features/leads/LeadDetail";
import { CompaniesView } from "./features/companies/CompaniesView";
import { RemindersView } from "./features/reminders/RemindersView";
import { baseName, isImportable, onFileDrop } from "./features/import/fileDrop";
import { DropOverlay } from "./features/import/DropOverlay";
import { SegmentsView } from "./features/segments/SegmentsView";
import { ScoringView } from "./features/scoring/ScoringView";
import { SettingsView } from "./features/settings/SettingsView";
import { RecoveryScreen } from "./features/backups/RecoveryScreen";
import { useImportJob } from "./features/import/importJob";
import { recomputeMessage, useScoringJob } from "./features/scoring/scoringJob";
import { shortSyncLabel, syncState, syncTooltip, useSyncStatus } from "./features/sync/sync";
import { LeadForm } from "./features/leads/LeadForm";
import { ReminderForm } from "./features/reminders/ReminderForm";
import { untilLabel } from "./features/reminders/ReminderBits";
import { Palette, paletteIcons, type PaletteAction } from "./core/Palette";
import { ToastProvider, useToast } from "./core/Toasts";
import { IconBell, IconBellOff, IconBuilding, IconFilter, IconGauge, IconSearch, IconSettings, IconUpload, IconUsers, LogoMark } from "./core/icons";
import { Kbd } from "./core/ui";
import "./features/sync/sync.css";

type View =
  | { kind: "leads" }
  | { kind: "companies"; companyId: string | null }
  | { kind: "segments" }
  | { kind: "scoring" }
  | { kind: "reminders" }
  | { kind: "import" }
  | { kind: "settings" };
type ReminderFormState = { lead: { id: string; name: string }; reminder: Reminder | null };

/** How often the overdue badge is recounted while nothing else happens. */
export const BADGE_REFRESH_MS = 60_000;

export default function App() {
  return (
    <ToastProvider>
      <Boot />
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
    commands.startupState().then(
      (s) => setState(s.damaged ? s : "ready"),
      // An app without the recovery commands (or a test backend): start as usual.
      () => setState("ready"),
    );
  }, []);
  if (state === "loading") return null;
  if (state === "ready") return <Shell />;
  return <RecoveryScreen state={state} onRestored={() => setState("ready")} />;
}

function Shell() {
  const toast = useToast();
  const [view, setView] = useState<View>({ kind: "leads" });
  const [detailId, setDetailId] = useState<string | null>(null);
  const [leadForm, setLeadForm] = useState<{ lead: Lead | null } | null>(null);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [storeInfo, setStoreInfo] = useState<StoreInfo | null>(null);
  const [storeError, setStoreError] = useState<AppError | null>(null);
  const [stages, setStages] = useState<Stage[]>([]);
  const [sources, setSources] = useState<Source[]>([]);
  const [dataVersion, setDataVersion] = useState(0);
  const [sampleBusy, setSampleBusy] = useState(false);
  const [reminderVersion, setReminderVersion] = useState(0);
  const [reminderForm, setReminderForm] = useState<ReminderFormState | null>(null);
  const [overdue, setOverdue] = useState(0);
  const [notifier, setNotifier] = useState<NotifierStatus | null>(null);

  const refreshStore = useCallback(() => {
    commands.storeInfo().then(
      (info) => {
        setStoreInfo(info);
        setStoreError(null);
      },
      (e: unknown) => setStoreError(toAppError(e)),
    );
  }, []);

  useEffect(() => {
    refreshStore();
    commands.listStages().then(
      (s) => setStages([...s].sort((a, b) => a.stageOrder - b.stageOrder)),
      (e: unknown) => toast.push("error", `Couldn't load stages: ${toAppError(e).message}`),
    );
    commands.listSources().then(setSources, (e: unknown) =>
      toast.push("error", `Couldn't load sources: ${toAppError(e).message}`),
    );
  }, [refreshStore, toast]);

  const afterWrite = useCallback(() => {
    refreshStore();
    setDataVersion((v) => v + 1);
  }, [refreshStore]);

  const loadSampleData = useCallback(async () => {
    setSampleBusy(true);
    try {
      const res = await commands.loadSampleData(2000);
      toast.push(
        "success",
        `Loaded ${formatNumber(res.leads)} sample leads and ${formatNumber(res.companies)} companies`,
      );
      afterWrite();
    } catch (e) {
      toast.push("error", `Couldn't load sample data: ${toAppError(e).message}`);
    } finally {
      setSampleBusy(false);
    }
  }, [afterWrite, toast]);

  const openLead = useCallback((id: string) => setDetailId(id), []);
  const openCompany = useCallback((id: string) => setView({ kind: "companies", companyId: id }), []);
  const newLead = useCallback(() => setLeadForm({ lead: null }), []);
  const editLead = useCallback((lead: Lead) => setLeadForm({ lead }), []);

  // ---- reminders: badge, notifier status, events ----
  const afterReminderWrite = useCallback(() => setReminderVersion((v) => v + 1), []);
  const newReminder = useCallback((lead: { id: string; name: string }) => setReminderForm({ lead, reminder: null }), []);
  const editReminder = useCallback(
    (reminder: Reminder) => setReminderForm({ lead: { id: reminder.leadId, name: reminder.leadName }, reminder }),
    [],
  );
  const showReminders = useCallback(() => setView({ kind: "reminders" }), []);
  const showScoring = useCallback(() => setView({ kind: "scoring" }), []);
  const showSettings = useCallback(() => setView({ kind: "settings" }), []);
  const importJob = useImportJob();

  // ---- a CSV file dropped anywhere on the window opens the import with it ----
  const [dragging, setDragging] = useState<string[] | null>(null);
  const [dropped, setDropped] = useState<string | null>(null);
  const dropTaken = useCallback(() => setDropped(null), []);
  const importRunning = useRef(false);
  importRunning.current = importJob.phase === "running";
  useEffect(
    () =>
      onFileDrop((drop) => {
        if (drop.kind === "enter") return setDragging(drop.paths);
        setDragging(null);
        if (drop.kind !== "drop") return;
        const file = drop.paths.find(isImportable);
        if (!file) {
          const names = drop.paths.map(baseName).join(", ");
          return toast.push("error", `Leadbook imports CSV files (.csv, .tsv, .txt); ${names || "that"} is not one`);
        }
        if (importRunning.current) return toast.push("error", "An import is running: drop the file again when it has finished");
        setDetailId(null);
        setView({ kind: "import" });
        setDropped(file);
      }),
    [toast],
  );

  // ---- scoring: a background re-score reports here, whichever view is open ----
  const scoringJob = useScoringJob();
  const scoringPhase = useRef(scoringJob.phase);
  useEffect(() => {
    const was = scoringPhase.current;
    scoringPhase.current = scoringJob.phase;
    if (was !== "running") return;
    if (scoringJob.phase === "done") toast.push("success", recomputeMessage(scoringJob.summary, formatNumber));
    else if (scoringJob.phase === "failed") toast.push("error", `Couldn't re-score the leads: ${scoringJob.error.message}`);
  }, [scoringJob, toast]);
  // Scores moved (a re-score here, the daily one, an events import): tables and the open lead refetch.
  useAppEvent("scores-changed", afterWrite);

  const countsLatest = useRef(createLatest());
  const refreshCounts = useCallback(() => {
    countsLatest.current.run(() => commands.reminderCounts()).then(
      (res) => !res.stale && setOverdue(res.value.overdue),
      () => {}, // keep the last count; the next refresh tries again
    );
  }, []);
  useEffect(refreshCounts, [refreshCounts, reminderVersion]);
  useEffect(() => {
    const t = setInterval(refreshCounts, BADGE_REFRESH_MS);
    return () => clearInterval(t);
  }, [refreshCounts]);

  useEffect(() => {
    commands.notifierStatus().then(setNotifier, () => {});
  }, []);

  const reminderCommand = useCallback(
    async (what: string, fn: () => Promise<string>) => {
      try {
        toast.push("success", await fn());
      } catch (e) {
        toast.push("error", `Couldn't ${what}: ${toAppError(e).message}`);
      } finally {
        afterReminderWrite();
      }
    },
    [toast, afterReminderWrite],
  );

  useAppEvent("reminder-fired", (r) => {
    afterReminderWrite();
    toast.push("reminder", `Follow up: ${r.leadName.trim() || "Unnamed lead"} — ${r.message}`, {
      actions: [
        { label: "Open", testId: "toast-open-lead", primary: true, run: () => openLead(r.leadId) },
        {
          label: "Snooze 10 min",
          testId: "toast-snooze",
          run: () =>
            void reminderCommand("snooze the reminder", async () => {
              const next = await commands.snoozeReminder(r.id, 10);
              return `Snoozed until ${untilLabel(next.fireAt)}`;
            }),
        },
        {
          label: "Done",
          testId: "toast-done",
          run: () =>
            void reminderCommand("mark the reminder done", async () => {
              const next = await commands.completeReminder(r.id);
              return isClosed(next) ? `Done: ${r.message}` : "Done — moved on to the next occurrence";
            }),
        },
      ],
    });
  });
  useAppEvent("reminders-missed", (rs) => {
    afterReminderWrite();
    if (rs.length === 0) return;
    const one = rs.length === 1 ? `: ${rs[0].leadName.trim() || "Unnamed lead"} — ${rs[0].message}` : "";
    toast.push("reminder", `${formatNumber(rs.length)} missed reminder${rs.length === 1 ? "" : "s"}${one}`, {
      actions: [{ label: "Show reminders", testId: "toast-show-reminders", primary: true, run: showReminders }],
    });
  });
  useAppEvent("reminders-changed", afterReminderWrite);
  // A bug somewhere in the app, or a damaged database found while running: say so, with what to do.
  useAppEvent("app-error", (e) => {
    toast.push("error", e.message, {
      duration: 60_000,
      actions:
        e.code === "corrupt_store" || e.code === "disk_full"
          ? [{ label: "Open Settings", testId: "toast-open-settings", primary: true, run: showSettings }]
          : [],
    });
  });
  // A backup replaced the store: every view reads everything again.
  useAppEvent("store-restored", () => window.location.reload());
  useAppEvent("notifier-status", setNotifier);
  useAppEvent("open-lead", openLead);
  useAppEvent("show-reminders", showReminders);

  // ---- team sync: the status lives here for the sidebar and Settings ----
  const sync = useSyncStatus();
  // Each finished background run may have pulled rows: tables, the open lead and the badge refetch.
  const lastSyncRun = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (!sync.status) return;
    const at = sync.status.lastSyncAt;
    const before = lastSyncRun.current;
    lastSyncRun.current = at;
    if (before !== undefined && at !== null && at !== before) {
      afterWrite();
      afterReminderWrite();
    }
  }, [sync.status, afterWrite, afterReminderWrite]);

  const ctx: AppActions = useMemo(
    () => ({
      stages,
      sources,
      storeInfo,
      dataVersion,
      openLead,
      openCompany,
      newLead,
      editLead,
      afterWrite,
      loadSampleData,
      sampleBusy,
      reminderVersion,
      newReminder,
      editReminder,
      afterReminderWrite,
      showReminders,
      showScoring,
    }),
    [
      stages,
      sources,
      storeInfo,
      dataVersion,
      openLead,
      openCompany,
      newLead,
      editLead,
      afterWrite,
      loadSampleData,
      sampleBusy,
      reminderVersion,
      newReminder,
      editReminder,
      afterReminderWrite,
      showReminders,
      showScoring,
    ],
  );

  // Global keyboard map. Kept in a ref so the listener is installed once.
  const keyState = useRef({ paletteOpen });
  keyState.current = { paletteOpen };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const modalOpen = document.querySelector(".overlay") !== null;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k") {
        if (modalOpen && !keyState.current.paletteOpen) return;
        e.preventDefault();
        setPaletteOpen((open) => !open);
        return;
      }
      if (e.key === "Escape") {
        if (closeTopLayer()) e.preventDefault();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || modalOpen || isTypingTarget(e.target)) return;
      if (e.key === "/") {
        e.preventDefault();
        const input = document.querySelector<HTMLInputElement>('[data-hotkey="search"]');
        if (input) {
          input.focus();
          input.select();
        } else {
          setView({ kind: "leads" });
          setTimeout(() => document.querySelector<HTMLInputElement>('[data-hotkey="search"]')?.focus(), 0);
        }
      } else if (e.key === "n") {
        e.preventDefault();
        setLeadForm({ lead: null });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const paletteActions: PaletteAction[] = useMemo(() => {
    const a: PaletteAction[] = [
      { id: "new-lead", label: "New lead", hint: "N", icon: <paletteIcons.IconPlus />, run: newLead },
      { id: "go-leads", label: "Go to Leads", icon: <paletteIcons.IconUsers />, run: () => setView({ kind: "leads" }) },
      {
        id: "go-companies",
        label: "Go to Companies",
        icon: <paletteIcons.IconBuilding />,
        run: () => setView({ kind: "companies", companyId: null }),
      },
      { id: "go-segments", label: "Go to Segments", icon: <IconFilter />, run: () => setView({ kind: "segments" }) },
      { id: "go-scoring", label: "Go to Scoring", icon: <IconGauge />, run: showScoring },
      {
        id: "go-reminders",
        label: "Go to Reminders",
        hint: overdue > 0 ? `${formatNumber(overdue)} overdue` : undefined,
        icon: <IconBell />,
        run: showReminders,
      },
      { id: "go-settings", label: "Go to Settings", icon: <IconSettings />, run: showSettings },
    ];
    if (storeInfo && storeInfo.leadCount === 0) {
      a.push({
        id: "sample-data",
        label: "Load sample data",
        hint: "2,000 leads",
        icon: <paletteIcons.IconDatabase />,
        run: () => void loadSampleData(),
      });
    }
    return a;
  }, [newLead, storeInfo, loadSampleData, overdue, showReminders, showScoring, showSettings]);

  return (
    <AppContext.Provider value={ctx}>
      <div className="app">
        {notifier && !notifier.available && (
          <div className="banner banner-warning" role="status" data-testid="notifier-banner">
            <IconBellOff size={15} />
            <span className="banner-text">
              Reminder notifications can't be shown
              {notifier.error ? `: ${notifier.error.trim().replace(/[.\s]+$/, "")}` : ""}. Reminders stay pending and are listed under Reminders.
            </span>
            {view.kind !== "reminders" && (
              <button type="button" className="btn btn-sm" onClick={showReminders}>
                Show reminders
              </button>
            )}
          </div>
        )}
        <nav className="sidebar" aria-label="Main">
          <div className="brand">
            <LogoMark />
            Leadbook
          </div>
          <button
            type="button"
            className="quick"
            data-testid="open-palette"
            onClick={() => setPaletteOpen(true)}
            title="Command palette"
          >
            <IconSearch size={14} />
            <span>Jump to…</span>
            <Kbd>{isMac() ? "⌘K" : "Ctrl K"}</Kbd>
          </button>
          <div className="nav">
            <button
              type="button"
              className="nav-item"
              data-testid="nav-leads"
              aria-current={view.kind === "leads" ? "page" : undefined}
              onClick={() => setView({ kind: "leads" })}
            >
              <IconUsers />
              Leads
            </button>
            <button
              type="button"
              className="nav-item"
              data-testid="nav-companies"
              aria-current={view.kind === "companies" ? "page" : undefined}
              onClick={() => setView({ kind: "companies", companyId: null })}
            >
              <IconBuilding />
              Companies
            </button>
            <button
              type="button"
              className="nav-item"
              data-testid="nav-segments"
              aria-current={view.kind === "segments" ? "page" : undefined}
              onClick={() => setView({ kind: "segments" })}
            >
              <IconFilter />
              Segments
            </button>
            <button
              type="button"
              className="nav-item"
              data-testid="nav-scoring"
              aria-current={view.kind === "scoring" ? "page" : undefined}
              onClick={showScoring}
            >
              <IconGauge />
              Scoring
              {scoringJob.phase === "running" && (
                <span className="nav-badge nav-badge-progress tabular" data-testid="scoring-badge" title="Re-scoring leads">
                  {scoringJob.progress && scoringJob.progress.total > 0
                    ? `${Math.min(100, Math.round((scoringJob.progress.done / scoringJob.progress.total) * 100))}%`
                    : "…"}
                </span>
              )}
            </button>
            <button
              type="button"
              className="nav-item"
              data-testid="nav-reminders"
              aria-current={view.kind === "reminders" ? "page" : undefined}
              onClick={showReminders}
            >
              <IconBell />
              Reminders
              {overdue > 0 && (
                <span
                  className="nav-badge tabular"
                  data-testid="reminder-badge"
                  title={`${formatNumber(overdue)} overdue`}
                  aria-label={`${formatNumber(overdue)} overdue`}
                >
                  {overdue > 99 ? "99+" : overdue}
                </span>
              )}
            </button>
            <button
              type="button"
              className="nav-item"
              data-testid="nav-import"
              aria-current={view.kind === "import" ? "page" : undefined}
              onClick={() => setView({ kind: "import" })}
            >
              <IconUpload />
              Import
              {importJob.phase === "running" && (
                <span className="nav-badge nav-badge-progress tabular" data-testid="import-badge">
                  {Math.round((importJob.progress?.fraction ?? 0) * 100)}%
                </span>
              )}
            </button>
            <button
              type="button"
              className="nav-item"
              data-testid="nav-settings"
              aria-current={view.kind === "settings" ? "page" : undefined}
              onClick={showSettings}
            >
              <IconSettings />
              Settings
            </button>
          </div>
          {sync.status && syncState(sync.status) !== "off" && (
            <button
              type="button"
              className="sync-indicator"
              data-testid="sync-indicator"
              data-state={syncState(sync.status)}
              title={syncTooltip(sync.status)}
              aria-label={`Team sync: ${shortSyncLabel(sync.status)}`}
              onClick={showSettings}
            >
              <span className={`sync-dot state-${syncState(sync.status)}`} aria-hidden="true" />
              <span className="truncate">{shortSyncLabel(sync.status)}</span>
            </button>
          )}
          <div className="sidebar-footer" data-testid="store-info">
            <span className="avatar">{(storeInfo?.userName ?? "?").trim().slice(0, 1).toUpperCase() || "?"}</span>
            <div className="who">
              <div className="name" data-testid="store-user" title={storeInfo?.userName}>
                {storeInfo?.userName ?? (storeError ? "Store unavailable" : "…")}
              </div>
              <div className="meta" title={storeInfo?.dbPath}>
                {storeInfo ? (
                  <span data-testid="store-space">{storeInfo.spaceName}</span>
                ) : (
                  "\u00a0"
                )}
              </div>
              {storeInfo && (
                <div className="meta tabular" data-testid="store-lead-count">
                  {formatNumber(storeInfo.leadCount)} {storeInfo.leadCount === 1 ? "lead" : "leads"}
                </div>
              )}
            </div>
          </div>
        </nav>
        <main className="main">
          {view.kind === "leads" ? (
            <LeadsView selectedId={detailId} storeError={storeError} onRetryStore={refreshStore} />
          ) : view.kind === "reminders" ? (
            <RemindersView />
          ) : view.kind === "import" ? (
            <ImportView dropped={dropped} onDropTaken={dropTaken} />
          ) : view.kind === "segments" ? (
            <SegmentsView selectedLeadId={detailId} />
          ) : view.kind === "scoring" ? (
            <ScoringView />
          ) : view.kind === "settings" ? (
            <SettingsView sync={sync} />
          ) : (
            <CompaniesView
              companyId={view.companyId}
              selectedLeadId={detailId}
              onOpenCompany={openCompany}
              onBack={() => setView({ kind: "companies", companyId: null })}
            />
          )}
          {detailId && (
            <LeadDetail
              key={detailId}
              leadId={detailId}
              onClose={() => setDetailId(null)}
              onDeleted={() => {
                setDetailId(null);
                afterWrite();
                afterReminderWrite();
              }}
            />
          )}
        </main>
      </div>
      {dragging && <DropOverlay paths={dragging} />}
      {leadForm && (
        <LeadForm
          lead={leadForm.lead}
          onClose={() => setLeadForm(null)}
          onSaved={(lead) => {
            setLeadForm(null);
            afterWrite();
            setDetailId(lead.id);
          }}
        />
      )}
      {reminderForm && (
        <ReminderForm
          key={reminderForm.reminder?.id ?? `new-${reminderForm.lead.id}`}
          lead={reminderForm.lead}
          reminder={reminderForm.reminder}
          onClose={() => setReminderForm(null)}
          onSaved={() => {
            setReminderForm(null);
            afterReminderWrite();
          }}
        />
      )}
      {paletteOpen && (
        <Palette actions={paletteActions} onClose={() => setPaletteOpen(false)} onOpenLead={openLead} />
      )}
    </AppContext.Provider>
  );
}

function isMac(): boolean {
  return typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}
