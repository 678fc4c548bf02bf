import { useCallback, useEffect, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { commands, type LeadCount } from "../../bindings";
import { useNavigation } from "../../shell/navigation";
import { showLeadForm } from "./dialogs";
import { useLoadSampleData, useStoreInfo } from "./queries";
import { toAppError } from "../../core/errors";
import { formatNumber } from "../../core/format";
import { reportFirstPaintOnce } from "../../core/firstPaint";
import { LeadsGrid, PagedLeadsTable, nextSort, type SortState } from "./LeadsTable";
import { ErrorState, Kbd, SearchBox, Spinner } from "../../core/ui";
import { IconDatabase, IconDownload, IconEmptyLeads, IconPlus } from "../../core/icons";
import { useToast } from "../../core/Toasts";

export const SEARCH_DEBOUNCE_MS = 100;
/**
 * A search's first count stops here, so a one-letter search over a million leads answers at once
 * ("more than 10,000 matches"); the exact count follows from a second, uncapped call.
 */
export const COUNT_CAP = 10_000;

/** The typed text once typing pauses, trimmed; "" for no search. */
function useDebouncedSearch(query: string): string {
  const [text, setText] = useState("");
  useEffect(() => {
    const next = query.trim();
    if (next === "") {
      setText("");
      return;
    }
    const timer = setTimeout(() => setText(next), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query]);
  return text;
}

/** How many leads match `text`: capped first, then exact when the cap was reached. */
function useMatchCount(text: string) {
  const filter = { text, companyId: null, segmentId: null };
  const capped = useQuery({
    queryKey: ["leads", "count", text, "capped"],
    queryFn: () => commands.leadCount({ filter, cap: COUNT_CAP }),
    enabled: text !== "",
    placeholderData: keepPreviousData,
  });
  const needExact = text !== "" && capped.data !== undefined && !capped.data.exact && !capped.isPlaceholderData;
  const exact = useQuery({
    queryKey: ["leads", "count", text, "exact"],
    queryFn: () => commands.leadCount({ filter, cap: null }),
    enabled: needExact,
  });
  const count: LeadCount | undefined = needExact && exact.data ? exact.data : capped.data;
  return { count, error: capped.error ?? exact.error, fetching: capped.isFetching };
}

export function LeadsView() {
  const nav = useNavigation();
  const selectedId = nav.leadId;
  const store = useStoreInfo();
  const storeError = store.error ? toAppError(store.error) : null;
  const onRetryStore = () => void store.refetch();
  const [sort, setSort] = useState<SortState>({ sort: "createdAt", dir: "desc" });
  const [query, setQuery] = useState("");
  // The search is a filter of the table like a company or a segment: every match, paged, sortable.
  const text = useDebouncedSearch(query);
  const matches = useMatchCount(text);
  const searching = query.trim() !== text || (text !== "" && matches.fetching);

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
  if (text !== "" && matches.error) {
    countLabel = "Search failed";
  } else if (text !== "" && matches.count) {
    const { count, exact } = matches.count;
    countLabel = exact ? `${formatNumber(count)} ${count === 1 ? "match" : "matches"}` : `more than ${formatNumber(count)} matches`;
  } else if (text !== "") {
    countLabel = "Searching…";
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
  } else if (text !== "") {
    if (matches.error) {
      body = (
        <div className="center-pad">
          <ErrorState testId="search-error" title="Search failed" message={toAppError(matches.error).message} />
        </div>
      );
    } else if (!matches.count) {
      body = <LeadsGrid count={18} getRow={() => undefined} selectedId={null} onOpen={() => {}} label="Searching" />;
    } else {
      body = (
        <PagedLeadsTable
          sort={sort}
          onSort={onSort}
          text={text}
          total={matches.count.count}
          selectedId={selectedId}
          onOpen={nav.openLead}
          label="Search results"
          emptyMessage={
            <div className="no-results" data-testid="no-results">
              <strong>No leads match “{text}”</strong>
              Try a name, email, phone number or company.
            </div>
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
