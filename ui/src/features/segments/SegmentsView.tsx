import "./segments.css";
import { useEffect, useState } from "react";
import { commands, type RefreshRecord, type Segment, type SegmentChanges } from "../../bindings";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { invalidate } from "../../core/data";
import { useNavigation } from "../../shell/navigation";
import { toAppError } from "../../core/errors";
import { formatDateTime, formatNumber, fullName, relativeTime } from "../../core/format";
import { PagedLeadsTable, nextSort, type SortState } from "../leads/LeadsTable";
import { SegmentEditor } from "./SegmentEditor";
import { ErrorState, Spinner } from "../../core/ui";
import { useToast } from "../../core/Toasts";
import { IconAlert, IconDownload, IconPencil, IconPlus, IconRepeat, IconTrash } from "../../core/icons";

type Mode = { kind: "list" } | { kind: "detail"; id: string; tab: "members" | "history" } | { kind: "edit"; segment: Segment | null };

export function modeLabel(s: Segment): string {
  if (s.kind === "static") return "Hand-picked";
  if (s.refreshMode === "automatic") return "Automatic";
  if (s.refreshMode === "schedule") return `Every ${s.refreshEveryMinutes ?? 60} min`;
  return "By hand";
}

const SEGMENT_LIST = ["segments", "list"] as const;

export function SegmentsView() {
  const selectedLeadId = useNavigation().leadId;
  const [mode, setMode] = useState<Mode>({ kind: "list" });
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: SEGMENT_LIST, queryFn: () => commands.segmentList() });
  const segments = list.data ?? null;
  const error = list.error ? toAppError(list.error) : null;
  const load = () => void list.refetch();
  const setSegments = (update: (prev: Segment[] | undefined) => Segment[]) => queryClient.setQueryData(SEGMENT_LIST, update);

  if (mode.kind === "edit") {
    return (
      <section className="view" aria-label="Segment editor">
        <header className="view-header">
          <h1 className="view-title">
            <button type="button" className="crumb" onClick={() => setMode({ kind: "list" })}>
              Segments
            </button>
            <span className="crumb-sep">/</span>
            <span className="truncate">{mode.segment ? mode.segment.name : "New segment"}</span>
          </h1>
        </header>
        <SegmentEditor
          segment={mode.segment}
          segments={segments ?? []}
          onCancel={() => setMode(mode.segment ? { kind: "detail", id: mode.segment.id, tab: "members" } : { kind: "list" })}
          onSaved={(saved) => {
            // Show the saved segment at once; the reload brings the rest up to date.
            setSegments((prev) => [...(prev ?? []).filter((s) => s.id !== saved.segment.id), saved.segment]);
            load();
            setMode({ kind: "detail", id: saved.segment.id, tab: "members" });
          }}
        />
      </section>
    );
  }
  if (mode.kind === "detail") {
    const segment = segments?.find((s) => s.id === mode.id);
    if (segments && !segment) {
      setMode({ kind: "list" });
      return null;
    }
    return segment ? (
      <SegmentDetail
        key={segment.id}
        segment={segment}
        tab={mode.tab}
        selectedLeadId={selectedLeadId}
        onTab={(tab) => setMode({ kind: "detail", id: segment.id, tab })}
        onBack={() => setMode({ kind: "list" })}
        onEdit={() => setMode({ kind: "edit", segment })}
        onChanged={load}
      />
    ) : (
      <div className="center-pad">
        <Spinner label="Loading segment" />
      </div>
    );
  }

  return (
    <section className="view" aria-label="Segments" data-testid="segments-view">
      <header className="view-header">
        <h1 className="view-title">Segments</h1>
        <span className="muted tabular">{segments ? formatNumber(segments.length) : ""}</span>
        <div className="spacer" />
        <button type="button" className="btn btn-primary" data-testid="new-segment" onClick={() => setMode({ kind: "edit", segment: null })}>
          <IconPlus size={13} />
          New segment
        </button>
      </header>
      {error && (
        <div className="center-pad">
          <ErrorState title="Couldn't load segments" message={error.message} onRetry={load} />
        </div>
      )}
      {segments && segments.length === 0 && (
        <div className="empty-state" data-testid="segments-empty">
          <h2>No segments yet</h2>
          <p className="muted">
            A segment is a saved query — “score ≥ 50 and stage is Qualified” — whose members are kept with a history of who joined and who left.
          </p>
          <button type="button" className="btn btn-primary" onClick={() => setMode({ kind: "edit", segment: null })}>
            <IconPlus size={13} /> New segment
          </button>
        </div>
      )}
      {segments && segments.length > 0 && (
        <div className="seg-list" role="table" aria-label="Segments" data-testid="segments-table">
          <div className="seg-list-head" role="row">
            <span role="columnheader">Name</span>
            <span role="columnheader" className="num">
              Members
            </span>
            <span role="columnheader">Last refresh</span>
            <span role="columnheader">Refresh</span>
          </div>
          {segments.map((s) => (
            <div
              role="row"
              tabIndex={0}
              key={s.id}
              className="seg-list-row"
              data-testid="segment-row"
              onClick={() => setMode({ kind: "detail", id: s.id, tab: "members" })}
              onKeyDown={(e) => {
                if (e.key === "Enter" || e.key === " ") {
                  e.preventDefault();
                  setMode({ kind: "detail", id: s.id, tab: "members" });
                }
              }}
            >
              <span role="cell" className="seg-list-name">
                <span className="truncate">{s.name}</span>
                <span className="truncate muted mono seg-list-query">{s.query ?? "hand-picked members"}</span>
                {s.broken && (
                  <span className="follower-broken" data-testid="segment-broken-tag" title={s.broken}>
                    <IconAlert size={12} /> not following changes
                  </span>
                )}
              </span>
              <span role="cell" className="num tabular" data-testid="segment-size">
                {formatNumber(s.memberCount)}
              </span>
              <span role="cell" className="muted" title={s.lastRefreshedAt ? formatDateTime(s.lastRefreshedAt) : undefined}>
                {s.lastRefreshedAt ? relativeTime(s.lastRefreshedAt) : "never"}
              </span>
              <span role="cell">
                <span className={`seg-mode-chip seg-mode-${s.kind === "static" ? "static" : s.refreshMode}`}>{modeLabel(s)}</span>
              </span>
            </div>
          ))}
        </div>
      )}
      {!segments && !error && (
        <div className="center-pad">
          <Spinner label="Loading segments" />
        </div>
      )}
    </section>
  );
}

function SegmentDetail({
  segment,
  tab,
  selectedLeadId,
  onTab,
  onBack,
  onEdit,
  onChanged,
}: {
  segment: Segment;
  tab: "members" | "history";
  selectedLeadId: string | null;
  onTab: (t: "members" | "history") => void;
  onBack: () => void;
  onEdit: () => void;
  onChanged: () => void;
}) {
  const nav = useNavigation();
  const toast = useToast();
  const [sort, setSort] = useState<SortState>({ sort: "createdAt", dir: "desc" });
  const [busy, setBusy] = useState<"refresh" | "export" | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const refresh = async () => {
    setBusy("refresh");
    setError(null);
    try {
      const r = await commands.segmentRefresh({ id: segment.id });
      toast.push("success", `Refreshed: ${formatNumber(r.members)} members (+${formatNumber(r.entered)}, −${formatNumber(r.left)}) in ${r.durationMs} ms`);
      // Its members, history and size changed: every read of segments refetches.
      invalidate(["segments"]);
      onChanged();
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setBusy(null);
    }
  };

  const exportMembers = async () => {
    const path = await commands.filePickSave({ fileName: `${segment.name}.csv` });
    if (!path) return;
    setBusy("export");
    try {
      const n = await commands.leadExport({ path, request: { sort: sort.sort, dir: sort.dir, companyId: null, segmentId: segment.id, search: null, bom: false, delimiter: "," } });
      toast.push("success", `Exported ${formatNumber(n)} members to ${path}`);
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    try {
      await commands.segmentDelete({ id: segment.id });
      onChanged();
      onBack();
    } catch (e) {
      setConfirmDelete(false);
      setError(toAppError(e).message);
    }
  };

  return (
    <section className="view" aria-label="Segment" data-testid="segment-detail">
      <header className="view-header">
        <h1 className="view-title">
          <button type="button" className="crumb" onClick={onBack} data-testid="back-to-segments">
            Segments
          </button>
          <span className="crumb-sep">/</span>
          <span className="truncate" data-testid="segment-title">
            {segment.name}
          </span>
        </h1>
        <div className="spacer" />
        {segment.kind === "dynamic" && (
          <button type="button" className="btn" data-testid="refresh-segment" disabled={busy !== null} onClick={() => void refresh()}>
            <IconRepeat size={13} />
            {busy === "refresh" ? "Refreshing…" : "Refresh now"}
          </button>
        )}
        <button type="button" className="btn" data-testid="export-segment" disabled={busy !== null} onClick={() => void exportMembers()}>
          <IconDownload size={13} />
          Export CSV
        </button>
        <button type="button" className="btn" data-testid="edit-segment" onClick={onEdit}>
          <IconPencil size={13} />
          Edit
        </button>
        {confirmDelete ? (
          <span className="seg-confirm">
            Delete “{segment.name}”?
            <button type="button" className="btn btn-sm btn-danger-solid" data-testid="confirm-delete-segment" onClick={() => void remove()}>
              Delete
            </button>
            <button type="button" className="btn btn-sm" onClick={() => setConfirmDelete(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" className="icon-btn" aria-label="Delete segment" data-testid="delete-segment" onClick={() => setConfirmDelete(true)}>
            <IconTrash size={14} />
          </button>
        )}
      </header>
      <div className="seg-summary">
        <div className="seg-summary-query mono selectable" data-testid="segment-query-text">
          {segment.query ?? "Hand-picked members"}
        </div>
        {segment.broken && (
          <div className="follower-broken" role="note" data-testid="segment-broken">
            <IconAlert size={13} />
            <span>Leads that change are not added or removed: {segment.broken} Edit the query to fix it.</span>
          </div>
        )}
        <div className="company-facts">
          <span>
            Members <b className="tabular" data-testid="segment-member-count">{formatNumber(segment.memberCount)}</b>
          </span>
          <span>
            Refreshes <b className="tabular">{formatNumber(segment.refreshCounter)}</b>
          </span>
          <span>
            Last <b>{segment.lastRefreshedAt ? relativeTime(segment.lastRefreshedAt) : "never"}</b>
          </span>
          <span>
            Refresh <b>{modeLabel(segment)}</b>
          </span>
        </div>
      </div>
      {error && (
        <div className="form-alert seg-alert" role="alert" data-testid="segment-error">
          {error}
        </div>
      )}
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === "members"} className={tab === "members" ? "on" : ""} onClick={() => onTab("members")} data-testid="tab-members">
          Members
        </button>
        <button type="button" role="tab" aria-selected={tab === "history"} className={tab === "history" ? "on" : ""} onClick={() => onTab("history")} data-testid="tab-history">
          History
        </button>
      </div>
      {tab === "members" ? (
        <PagedLeadsTable
          sort={sort}
          onSort={(s) => setSort((cur) => nextSort(cur, s))}
          segmentId={segment.id}
          total={segment.memberCount}
          selectedId={selectedLeadId}
          onOpen={nav.openLead}
          label={`Members of ${segment.name}`}
          testId="segment-members-table"
          emptyMessage={<div className="no-results">No members {segment.kind === "static" ? "yet: add leads from their panel." : "match this query right now."}</div>}
        />
      ) : (
        <SegmentHistory segment={segment} />
      )}
    </section>
  );
}

function SegmentHistory({ segment }: { segment: Segment }) {
  const nav = useNavigation();
  const { data: history } = useQuery({
    queryKey: ["segments", "history", segment.id, segment.refreshCounter],
    queryFn: () => commands.segmentHistory({ id: segment.id, limit: 500 }),
  });
  const [selected, setSelected] = useState<number | null>(null);
  const changes: SegmentChanges | null =
    useQuery({
      queryKey: ["segments", "changes", segment.id, selected],
      queryFn: () => commands.segmentChanges({ id: segment.id, refreshCounter: selected!, limit: 100 }),
      enabled: selected != null,
    }).data ?? null;

  // The newest refresh is picked first; a later reload keeps what was picked.
  useEffect(() => {
    if (history) setSelected((cur) => cur ?? history[0]?.refreshCounter ?? null);
  }, [history]);

  if (!history) {
    return (
      <div className="center-pad">
        <Spinner label="Loading history" />
      </div>
    );
  }
  const chosen = history.find((h) => h.refreshCounter === selected);
  return (
    <div className="seg-history" data-testid="segment-history">
      <SizeChart history={[...history].reverse()} selected={selected} onSelect={setSelected} />
      <div className="seg-history-body">
        <div className="seg-refreshes" role="list">
          {history.map((h) => (
            <button
              type="button"
              role="listitem"
              key={h.refreshCounter}
              className={`seg-refresh${h.refreshCounter === selected ? " on" : ""}`}
              onClick={() => setSelected(h.refreshCounter)}
              data-testid="segment-refresh"
            >
              <span className="tabular seg-refresh-n">#{h.refreshCounter}</span>
              <span className="seg-refresh-when" title={formatDateTime(h.refreshedAt)}>
                {relativeTime(h.refreshedAt)} <span className="faint">· {h.trigger}</span>
              </span>
              <span className="tabular">{formatNumber(h.members)}</span>
              <span className="tabular seg-in">+{formatNumber(h.entered)}</span>
              <span className="tabular seg-out">−{formatNumber(h.left)}</span>
            </button>
          ))}
        </div>
        <div className="seg-changes" data-testid="segment-changes">
          {chosen && (
            <div className="muted seg-changes-head">
              Refresh #{chosen.refreshCounter}, {formatDateTime(chosen.refreshedAt)} ({chosen.trigger}, {chosen.durationMs} ms)
              {chosen.query && chosen.query !== segment.query && <div className="mono faint">query then: {chosen.query}</div>}
            </div>
          )}
          {changes && (
            <div className="seg-changes-cols">
              {(["entered", "left"] as const).map((side) => (
                <div key={side}>
                  <div className="section-title">
                    {side === "entered" ? "Entered" : "Left"}{" "}
                    <span className="muted tabular">{formatNumber(side === "entered" ? (chosen?.entered ?? 0) : (chosen?.left ?? 0))}</span>
                  </div>
                  {changes[side].length === 0 && <div className="faint">Nobody</div>}
                  {changes[side].map((r) => (
                    <button type="button" key={r.id} className="link-btn seg-change-lead" onClick={() => nav.openLead(r.id)}>
                      {fullName(r)}
                      {r.companyName && <span className="muted"> · {r.companyName}</span>}
                    </button>
                  ))}
                </div>
              ))}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

/**
 * Size over refreshes: one bar per refresh (the last 60), tallest = largest size. Plain SVG: a
 * bar chart of at most 60 values does not need a charting library.
 */
export function SizeChart({
  history,
  selected,
  onSelect,
}: {
  history: RefreshRecord[];
  selected: number | null;
  onSelect: (n: number) => void;
}) {
  const shown = history.slice(-60);
  const max = Math.max(1, ...shown.map((h) => h.members));
  const width = 600;
  const height = 96;
  const gap = 2;
  // Thin bars side by side, never wider than 28 units: two refreshes should not fill the chart.
  const bar = shown.length ? Math.min(28, Math.max(2, (width - gap * shown.length) / shown.length)) : 0;
  return (
    <figure className="seg-chart" data-testid="segment-size-chart">
      <figcaption className="muted">
        Size over the last {shown.length} {shown.length === 1 ? "refresh" : "refreshes"} · max {formatNumber(max)}
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label="Segment size over refreshes">
        {shown.map((h, i) => {
          const hgt = Math.max(1, (h.members / max) * (height - 4));
          return (
            <rect
              key={h.refreshCounter}
              x={i * (bar + gap)}
              y={height - hgt}
              width={bar}
              height={hgt}
              rx={1.5}
              className={h.refreshCounter === selected ? "on" : ""}
              onClick={() => onSelect(h.refreshCounter)}
            >
              <title>
                #{h.refreshCounter}: {formatNumber(h.members)} members (+{h.entered}, −{h.left})
              </title>
            </rect>
          );
        })}
      </svg>
    </figure>
  );
}
