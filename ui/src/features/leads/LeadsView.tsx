import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { commands, type AppError, type LeadRow } from "../../bindings";
import { useOnInvalidate } from "../../core/data";
import { useNavigation } from "../../shell/navigation";
import { showLeadForm } from "./dialogs";
import { useLoadSampleData, useStoreInfo } from "./queries";
import { createLatest } from "../../core/latest";
import { toAppError } from "../../core/errors";
import { formatNumber } from "../../core/format";
import { reportFirstPaintOnce } from "../../core/firstPaint";
import { LeadsGrid, PagedLeadsTable, nextSort, type SortState } from "./LeadsTable";
import { ErrorState, Kbd, SearchBox, Spinner } from "../../core/ui";
import { IconDatabase, IconDownload, IconEmptyLeads, IconPlus } from "../../core/icons";
import { useToast } from "../../core/Toasts";

export const SEARCH_DEBOUNCE_MS = 100;
export const SEARCH_LIMIT = 200;

type SearchState =
  | { status: "idle" }
  | { status: "done"; text: string; rows: LeadRow[] }
  | { status: "error"; text: string; error: AppError };

export function LeadsView() {
  const nav = useNavigation();
  const selectedId = nav.leadId;
  const store = useStoreInfo();
  const storeError = store.error ? toAppError(store.error) : null;
  const onRetryStore = () => void store.refetch();
  // Re-run the search after writes so results stay fresh.
  const [searchRun, rerunSearch] = useReducer((n: number) => n + 1, 0);
  useOnInvalidate(["leads"], rerunSearch);
  const [sort, setSort] = useState<SortState>({ sort: "createdAt", dir: "desc" });
  const [query, setQuery] = useState("");
  const [search, setSearch] = useState<SearchState>({ status: "idle" });
  const [searching, setSearching] = useState(false);
  const latest = useRef(createLatest());

  const text = query.trim();
  useEffect(() => {
    if (!text) {
      latest.current.cancel();
      setSearch({ status: "idle" });
      setSearching(false);
      return;
    }
    setSearching(true);
    const timer = setTimeout(() => {
      latest.current
        .run(() => commands.leadSearch({ text, limit: SEARCH_LIMIT }))
        .then(
          (res) => {
            if (res.stale) return;
            setSearch({ status: "done", text, rows: res.value });
            setSearching(false);
          },
          (e: unknown) => {
            // Only the newest request's failure reaches here (see createLatest).
            setSearch({ status: "error", text, error: toAppError(e) });
            setSearching(false);
          },
        );
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, searchRun]);

  const searchActive = text !== "" && search.status !== "idle";
  const info = store.data ?? null;
  const onSort = useCallback((s: SortState["sort"]) => setSort((cur) => nextSort(cur, s)), []);

  const toast = useToast();
  // What the table shows (search and sort) goes to a CSV file chosen in the native dialog.
  const exportView = async () => {
    try {
      const path = await commands.filePickSave({ fileName: `leads-${new Date().toISOString().slice(0, 10)}.csv` });
      if (!path) return;
      const n = await commands.leadExport({ path, request: { sort: sort.sort, dir: sort.dir, companyId: null, segmentId: null, search: text || null, bom: false, delimiter: "," } });
      toast.push("success", `Exported ${formatNumber(n)} leads to ${path.split(/[\\/]/).pop()}`);
    } catch (e) {
      toast.push("error", toAppError(e).message);
    }
  };

  let countLabel: string;
  if (searchActive && search.status === "done") {
    countLabel = `${formatNumber(search.rows.length)} ${search.rows.length === 1 ? "match" : "matches"}`;
  } else if (searchActive) {
    countLabel = "Search failed";
  } else if (info) {
    countLabel = `${formatNumber(info.leadCount)} ${info.leadCount === 1 ? "lead" : "leads"}`;
  } else {
    countLabel = "";
  }

  let body;
  if (storeError && !info) {
    body = (
      <div className="center-pad">
        <ErrorState title="Couldn't open the lead store" message={storeError.message} onRetry={onRetryStore} />
      </div>
    );
  } else if (searchActive) {
    if (search.status === "error") {
      body = (
        <div className="center-pad">
          <ErrorState testId="search-error" title="Search failed" message={search.error.message} />
        </div>
      );
    } else {
      const rows = search.status === "done" ? search.rows : [];
      body = (
        <LeadsGrid
          count={rows.length}
          getRow={(i) => rows[i]}
          selectedId={selectedId}
          onOpen={nav.openLead}
          sort={sort}
          onSort={onSort}
          sortDisabledReason="Search results are ranked by relevance"
          label="Search results"
          overlay={
            rows.length === 0 ? (
              <div className="no-results" data-testid="no-results">
                <strong>No leads match “{search.status === "done" ? search.text : text}”</strong>
                Try a name, email, phone number or company.
              </div>
            ) : null
          }
        />
      );
    }
  } else if (!info) {
    body = <LeadsGrid count={18} getRow={() => undefined} selectedId={null} onOpen={() => {}} label="Loading leads" />;
  } else if (info.leadCount === 0) {
    body = <EmptyState />;
  } else {
    body = (
      <PagedLeadsTable
        sort={sort}
        onSort={onSort}
        total={info.leadCount}
        selectedId={selectedId}
        onOpen={nav.openLead}
        onRowsPainted={reportFirstPaintOnce}
        emptyMessage={<div className="no-results">No leads yet.</div>}
      />
    );
  }

  return (
    <section className="view" aria-label="Leads" data-testid="leads-view">
      <header className="view-header">
        <h1 className="view-title">
          Leads
          <span className="count tabular" data-testid="lead-count" aria-live="polite">
            {countLabel}
          </span>
        </h1>
        <div className="spacer" />
        <SearchBox
          value={query}
          onChange={setQuery}
          placeholder="Search leads…  /"
          label="Search leads"
          testId="search-input"
          clearTestId="clear-search"
          busy={searching}
        />
        <button
          type="button"
          className="btn"
          data-testid="export-leads"
          title={text ? "Export the leads matching the search as CSV" : "Export all leads as CSV, in this order"}
          onClick={exportView}
        >
          <IconDownload size={14} />
          Export
        </button>
        <button type="button" className="btn btn-primary" data-testid="new-lead-button" onClick={() => showLeadForm(null, nav.openLead)}>
          <IconPlus size={14} />
          New lead
          <Kbd>N</Kbd>
        </button>
      </header>
      {body}
    </section>
  );
}

function EmptyState() {
  const nav = useNavigation();
  const sample = useLoadSampleData();
  return (
    <div className="empty-state" data-testid="empty-state">
      <span className="empty-illustration">
        <IconEmptyLeads />
      </span>
      <h2>No leads yet</h2>
      <p>
        Add your first lead to start tracking conversations, or load a realistic sample set to explore
        Leadbook.
      </p>
      <div className="actions">
        <button type="button" className="btn btn-primary" data-testid="empty-new-lead" onClick={() => showLeadForm(null, nav.openLead)}>
          <IconPlus size={14} />
          New lead
        </button>
        <button
          type="button"
          className="btn"
          data-testid="load-sample-data"
          disabled={sample.busy}
          aria-busy={sample.busy}
          onClick={sample.run}
        >
          {sample.busy ? <Spinner label="Loading sample data" /> : <IconDatabase size={14} />}
          {sample.busy ? "Loading sample data…" : "Load sample data"}
        </button>
      </div>
    </div>
  );
}
