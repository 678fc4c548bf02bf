import "./companies.css";
import { useCallback, useEffect, useRef, useState } from "react";
import { commands, type AppError, type Company, type LeadCursor } from "../../bindings";
import { useQuery } from "@tanstack/react-query";
import { invalidate, useOnInvalidate } from "../../core/data";
import { useNavigation } from "../../shell/navigation";
import { useStoreInfo } from "../leads/queries";
import { createLatest } from "../../core/latest";
import { toAppError } from "../../core/errors";
import { formatNumber } from "../../core/format";
import { PagedLeadsTable, nextSort, type SortState } from "../leads/LeadsTable";
import { CompanyForm } from "./CompanyForm";
import { ErrorState, SearchBox, Spinner } from "../../core/ui";
import { IconPencil, IconPlus } from "../../core/icons";

export const COMPANY_PAGE = 100;

/** The company list, or one company (`nav.param`) with its leads. */
export function CompaniesView() {
  const nav = useNavigation();
  const companyId = nav.param;
  const selectedLeadId = nav.leadId;
  const onOpenCompany = (id: string) => nav.show("companies", id);
  const onBack = () => nav.show("companies");
  const [form, setForm] = useState<{ company: Company | null } | null>(null);

  return (
    <>
      {companyId ? (
        <CompanyDetail
          key={companyId}
          companyId={companyId}
          selectedLeadId={selectedLeadId}
          onBack={onBack}
          onEdit={(c) => setForm({ company: c })}
        />
      ) : (
        <CompanyList onOpen={onOpenCompany} onNew={() => setForm({ company: null })} />
      )}
      {form && (
        <CompanyForm
          company={form.company}
          onClose={() => setForm(null)}
          onSaved={(c, created) => {
            setForm(null);
            // Its name shows on its leads; the store counts companies.
            invalidate(["companies", "leads", "store"]);
            if (created) onOpenCompany(c.id);
          }}
        />
      )}
    </>
  );
}

// ---------------------------------------------------------------------------

type ListState = { rows: Company[]; next: LeadCursor | null; loading: boolean; error: AppError | null; done: boolean };

function CompanyList({ onOpen, onNew }: { onOpen: (id: string) => void; onNew: () => void }) {
  const storeInfo = useStoreInfo().data;
  const [filter, setFilter] = useState("");
  const [state, setState] = useState<ListState>({ rows: [], next: null, loading: true, error: null, done: false });
  const latest = useRef(createLatest());
  const text = filter.trim();

  const fetchPage = useCallback((after: LeadCursor | null, append: boolean) => {
    setState((s) => ({ ...s, loading: true, error: null }));
    latest.current
      .run(() => commands.companyList({ text: text || null, after, limit: COMPANY_PAGE }))
      .then(
        (res) => {
          if (res.stale) return;
          setState((s) => ({
            rows: append ? [...s.rows, ...res.value.rows] : res.value.rows,
            next: res.value.next,
            loading: false,
            error: null,
            done: true,
          }));
        },
        (e: unknown) => setState((s) => ({ ...s, loading: false, error: toAppError(e), done: true })),
      );
  }, [text]);

  useEffect(() => {
    const t = setTimeout(() => fetchPage(null, false), text ? 150 : 0);
    return () => clearTimeout(t);
  }, [fetchPage, text]);
  useOnInvalidate(["companies"], () => fetchPage(null, false));

  const loadMore = () => {
    if (state.next && !state.loading && !state.error) fetchPage(state.next, true);
  };

  const count = storeInfo?.companyCount;
  return (
    <section className="view" aria-label="Companies" data-testid="companies-view">
      <header className="view-header">
        <h1 className="view-title">
          Companies
          <span className="count tabular" data-testid="company-count">
            {text
              ? state.done
                ? `${formatNumber(state.rows.length)}${state.next ? "+" : ""} ${state.rows.length === 1 ? "match" : "matches"}`
                : ""
              : count !== undefined
                ? `${formatNumber(count)} ${count === 1 ? "company" : "companies"}`
                : ""}
          </span>
        </h1>
        <div className="spacer" />
        <SearchBox
          value={filter}
          onChange={setFilter}
          placeholder="Filter companies…  /"
          label="Filter companies"
          testId="company-filter"
        />
        <button type="button" className="btn btn-primary" data-testid="new-company-button" onClick={onNew}>
          <IconPlus size={14} />
          New company
        </button>
      </header>
      <div
        className="table-scroll"
        data-testid="companies-list"
        role="grid"
        aria-label="Companies"
        onScroll={(e) => {
          const el = e.currentTarget;
          if (el.scrollTop + el.clientHeight > el.scrollHeight - 240) loadMore();
        }}
      >
        <div className="thead companies-cols" role="row">
          <div className="th" role="columnheader">Name</div>
          <div className="th" role="columnheader">Industry</div>
          <div className="th num" role="columnheader">Size</div>
          <div className="th num" role="columnheader">Leads</div>
        </div>
        {state.rows.map((c) => (
          <div
            key={c.id}
            className="list-row companies-cols"
            role="row"
            tabIndex={0}
            data-testid="company-row"
            data-company-id={c.id}
            onClick={() => onOpen(c.id)}
            onKeyDown={(e) => {
              if (e.key === "Enter") onOpen(c.id);
            }}
          >
            <div className="td company-name" role="gridcell" title={c.name}>
              <span className="company-mark">{c.name.trim()[0]?.toUpperCase() ?? "?"}</span>
              <span className="td" style={{ padding: 0 }}>
                {c.name}
              </span>
            </div>
            <div className="td" role="gridcell">
              {c.industry ?? <span className="empty">—</span>}
            </div>
            <div className="td num tabular" role="gridcell">
              {c.companySize != null ? formatNumber(c.companySize) : <span className="empty">—</span>}
            </div>
            <div className="td num tabular" role="gridcell">
              {formatNumber(c.leadCount)}
            </div>
          </div>
        ))}
        {state.error && (
          <div className="center-pad">
            <ErrorState
              title="Couldn't load companies"
              message={state.error.message}
              onRetry={() => fetchPage(state.rows.length ? state.next : null, state.rows.length > 0)}
            />
          </div>
        )}
        {!state.error && state.done && state.rows.length === 0 && !state.loading && (
          <div className="center-pad no-results" data-testid="companies-empty">
            {text ? (
              <div>
                <strong>No companies match “{text}”</strong>
              </div>
            ) : (
              <div>
                <strong>No companies yet</strong>
                Companies are created with leads, or with “New company”.
              </div>
            )}
          </div>
        )}
        {/* A row of its own: a grid holds only rows. */}
        <div className="list-footer" role="row">
          <div role="gridcell">
            {state.loading ? (
              <Spinner label="Loading companies" />
            ) : (
              state.next &&
              !state.error && (
                <button type="button" className="btn btn-sm" data-testid="load-more-companies" onClick={loadMore}>
                  Load more
                </button>
              )
            )}
          </div>
        </div>
      </div>
    </section>
  );
}

// ---------------------------------------------------------------------------

function CompanyDetail({
  companyId,
  selectedLeadId,
  onBack,
  onEdit,
}: {
  companyId: string;
  selectedLeadId: string | null;
  onBack: () => void;
  onEdit: (c: Company) => void;
}) {
  const nav = useNavigation();
  const query = useQuery({ queryKey: ["companies", "company", companyId], queryFn: () => commands.companyGet({ id: companyId }) });
  const company = query.data ?? null;
  const error = query.error ? toAppError(query.error) : null;
  const load = () => void query.refetch();
  const [sort, setSort] = useState<SortState>({ sort: "createdAt", dir: "desc" });

  return (
    <section className="view" aria-label="Company" data-testid="company-detail">
      <header className="view-header">
        <h1 className="view-title">
          <button type="button" className="crumb" onClick={onBack} data-testid="back-to-companies">
            Companies
          </button>
          <span className="crumb-sep">/</span>
          <span className="truncate">{company?.name ?? ""}</span>
        </h1>
        <div className="spacer" />
        {company && (
          <button type="button" className="btn" data-testid="edit-company" onClick={() => onEdit(company)}>
            <IconPencil size={13} />
            Edit
          </button>
        )}
      </header>
      {error && !company && (
        <div className="center-pad">
          <ErrorState title="Couldn't load this company" message={error.message} onRetry={load} />
        </div>
      )}
      {!company && !error && (
        <div className="center-pad">
          <Spinner label="Loading company" />
        </div>
      )}
      {company && (
        <>
          <div className="company-summary">
            <span className="company-mark company-mark-lg">{company.name.trim()[0]?.toUpperCase() ?? "?"}</span>
            <div>
              <h2 data-testid="company-name">{company.name}</h2>
              <div className="company-facts">
                <span>
                  Website{" "}
                  <b className="selectable" data-testid="company-website">
                    {company.website ?? "—"}
                  </b>
                </span>
                <span>
                  Industry <b>{company.industry ?? "—"}</b>
                </span>
                <span>
                  Size <b className="tabular">{company.companySize != null ? `${formatNumber(company.companySize)} employees` : "—"}</b>
                </span>
                <span>
                  Leads <b className="tabular">{formatNumber(company.leadCount)}</b>
                </span>
              </div>
            </div>
          </div>
          <div className="subheader">
            Leads <span className="muted tabular">{formatNumber(company.leadCount)}</span>
          </div>
          <PagedLeadsTable
            sort={sort}
            onSort={(s) => setSort((cur) => nextSort(cur, s))}
            companyId={company.id}
            total={company.leadCount}
            selectedId={selectedLeadId}
            onOpen={nav.openLead}
            label={`Leads at ${company.name}`}
            testId="company-leads-table"
            emptyMessage={<div className="no-results">No leads at this company yet.</div>}
          />
        </>
      )}
    </section>
  );
}
