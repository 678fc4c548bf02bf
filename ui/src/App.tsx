import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { commands, type AppError, type Lead, type Source, type Stage, type StoreInfo } from "./bindings";
import { AppContext, type AppActions } from "./appContext";
import { toAppError } from "./lib/errors";
import { formatNumber } from "./lib/format";
import { closeTopLayer, isTypingTarget } from "./lib/layers";
import { LeadsView } from "./components/LeadsView";
import { CompaniesView } from "./components/CompaniesView";
import { LeadDetail } from "./components/LeadDetail";
import { LeadForm } from "./components/LeadForm";
import { Palette, paletteIcons, type PaletteAction } from "./components/Palette";
import { ToastProvider, useToast } from "./components/Toasts";
import { IconBuilding, IconSearch, IconUsers, LogoMark } from "./components/icons";
import { Kbd } from "./components/ui";

type View = { kind: "leads" } | { kind: "companies"; companyId: string | null };

export default function App() {
  return (
    <ToastProvider>
      <Shell />
    </ToastProvider>
  );
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
    }),
    [stages, sources, storeInfo, dataVersion, openLead, openCompany, newLead, editLead, afterWrite, loadSampleData, sampleBusy],
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
  }, [newLead, storeInfo, loadSampleData]);

  return (
    <AppContext.Provider value={ctx}>
      <div className="app">
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
          </div>
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
              }}
            />
          )}
        </main>
      </div>
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
      {paletteOpen && (
        <Palette actions={paletteActions} onClose={() => setPaletteOpen(false)} onOpenLead={openLead} />
      )}
    </AppContext.Provider>
  );
}

function isMac(): boolean {
  return typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}
