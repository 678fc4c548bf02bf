import "./LeadsTable.css";
import { memo, useEffect, useLayoutEffect, useMemo, useReducer, useRef, type ReactNode } from "react";
import { elementScroll, observeElementOffset, observeElementRect, useVirtualizer } from "@tanstack/react-virtual";
import { commands, type LeadCursor, type LeadRow, type LeadSort, type SortDir } from "../../bindings";
import { useOnInvalidate } from "../../core/data";
import { Pager } from "../../core/pager";
import { errorMessage } from "../../core/errors";
import { formatDate, formatDateTime, fullName } from "../../core/format";
import { ErrorState, ScoreBadge, StageChip } from "../../core/ui";

export const ROW_HEIGHT = 36;
const HEADER_HEIGHT = 36;
export const PAGE_SIZE = 100;
/**
 * Browsers cap element heights (WebKit/Blink around 33.5M px, Gecko ~17.8M).
 * 1M rows x 36px = 36M px, so past this height the scroll space is scaled:
 * the spacer is capped and scroll positions map linearly onto the row space.
 */
export const MAX_SCROLL_HEIGHT = 15_000_000;

export type SortState = { sort: LeadSort; dir: SortDir };

type Column = { key: string; label: string; sort?: LeadSort; num?: boolean };
const COLUMNS: Column[] = [
  { key: "name", label: "Name", sort: "name" },
  { key: "company", label: "Company", sort: "company" },
  { key: "email", label: "Email", sort: "email" },
  { key: "phone", label: "Phone" },
  { key: "stage", label: "Stage" },
  { key: "score", label: "Score", sort: "score", num: true },
  { key: "createdAt", label: "Created", sort: "createdAt" },
  { key: "updatedAt", label: "Updated", sort: "updatedAt" },
];

/** Direction a column starts with when first clicked. */
export function defaultDir(sort: LeadSort): SortDir {
  return sort === "name" || sort === "company" || sort === "email" ? "asc" : "desc";
}

export function nextSort(current: SortState, clicked: LeadSort): SortState {
  if (current.sort === clicked) return { sort: clicked, dir: current.dir === "asc" ? "desc" : "asc" };
  return { sort: clicked, dir: defaultDir(clicked) };
}

/**
 * Map between the real scrollTop and the virtual offset in row space.
 * `viewport` is the scroller's client height (header included); both maximum
 * scroll positions (real and virtual) map onto each other exactly.
 */
export function scrollScale(count: number, viewport: number): { realHeight: number; ratio: number } {
  const content = count * ROW_HEIGHT;
  const realHeight = Math.min(content, MAX_SCROLL_HEIGHT);
  const realMax = realHeight + HEADER_HEIGHT - viewport;
  if (content <= realHeight || realMax <= 0) return { realHeight, ratio: 1 };
  return { realHeight, ratio: (content + HEADER_HEIGHT - viewport) / realMax };
}

// ---------------------------------------------------------------------------
// Presentational virtualized grid
// ---------------------------------------------------------------------------

export interface LeadsGridProps {
  count: number;
  getRow: (index: number) => LeadRow | undefined;
  /** Visible (overscanned) index range, after each render. */
  onRange?: (start: number, end: number) => void;
  sort?: SortState;
  onSort?: (sort: LeadSort) => void;
  selectedId: string | null;
  onOpen: (id: string) => void;
  /** Centered message/overlay (errors, no results). */
  overlay?: ReactNode;
  /** Called after a render in which at least one real (non-skeleton) row is on screen. */
  onRowsPainted?: () => void;
  /** Changing this scrolls back to the top. */
  scrollResetKey?: unknown;
  label: string;
  testId?: string;
}

export function LeadsGrid({
  count,
  getRow,
  onRange,
  sort,
  onSort,
  selectedId,
  onOpen,
  overlay,
  onRowsPainted,
  scrollResetKey,
  label,
  testId = "leads-table",
}: LeadsGridProps) {
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const viewportRef = useRef(0);
  const ratioRef = useRef(1);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    paddingStart: HEADER_HEIGHT,
    overscan: 6,
    observeElementRect: (instance, cb) =>
      observeElementRect(instance, (rect) => {
        viewportRef.current = rect.height;
        cb(rect);
      }),
    observeElementOffset: (instance, cb) =>
      observeElementOffset(instance, (offset, isScrolling) => cb(offset * ratioRef.current, isScrolling)),
    scrollToFn: (offset, options, instance) =>
      elementScroll(offset / ratioRef.current, { ...options, adjustments: 0 }, instance),
  });

  const { realHeight, ratio } = scrollScale(count, viewportRef.current);
  ratioRef.current = ratio;

  useLayoutEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [scrollResetKey]);

  const items = virtualizer.getVirtualItems();
  const virtualOffset = virtualizer.scrollOffset ?? 0;
  // With ratio 1 this is 0; when scaled, rows sit around the real scrollTop.
  const base = virtualOffset / ratio - virtualOffset - HEADER_HEIGHT;

  const first = items.length ? items[0].index : 0;
  const last = items.length ? items[items.length - 1].index : -1;
  let anyLoaded = false;
  for (const item of items) {
    if (getRow(item.index)) {
      anyLoaded = true;
      break;
    }
  }

  const onRangeRef = useRef(onRange);
  onRangeRef.current = onRange;
  useEffect(() => {
    onRangeRef.current?.(first, last);
  }, [first, last, count, scrollResetKey]);

  const paintedRef = useRef(onRowsPainted);
  paintedRef.current = onRowsPainted;
  useEffect(() => {
    if (anyLoaded) paintedRef.current?.();
  }, [anyLoaded]);

  return (
    <div className="table-wrap">
      <div
        ref={scrollRef}
        className="table-scroll"
        role="grid"
        aria-label={label}
        aria-rowcount={count + 1}
        data-testid={testId}
      >
        <div className="thead grid-cols" role="row" aria-rowindex={1}>
          {COLUMNS.map((col) => {
            const active = sort && col.sort && sort.sort === col.sort;
            const ariaSort = active ? (sort.dir === "asc" ? "ascending" : "descending") : undefined;
            if (!col.sort || !onSort) {
              return (
                <div key={col.key} className={`th${col.num ? " num" : ""}`} role="columnheader" aria-sort={ariaSort}>
                  {col.label}
                </div>
              );
            }
            // The cell is the column header (a button may not be one); the button inside sorts,
            // and a click anywhere in the cell reaches the cell's handler.
            return (
              <div
                key={col.key}
                className={`th${col.num ? " num" : ""}`}
                role="columnheader"
                aria-sort={ariaSort}
                data-testid={`sort-${col.sort}`}
                onClick={() => onSort(col.sort!)}
              >
                <button type="button" className="th-sort" title={`Sort by ${col.label.toLowerCase()}`}>
                  {col.label}
                  {active && <span className="arrow" aria-hidden="true">{sort.dir === "asc" ? "▲" : "▼"}</span>}
                </button>
              </div>
            );
          })}
        </div>
        <div className="tbody" role="rowgroup" style={{ height: realHeight }}>
          {items.map((item) => {
            const row = getRow(item.index);
            const top = base + item.start;
            return row ? (
              <LeadRowView
                key={row.id}
                row={row}
                index={item.index}
                top={top}
                selected={row.id === selectedId}
                onOpen={onOpen}
              />
            ) : (
              <SkeletonRow key={`s${item.index}`} index={item.index} top={top} />
            );
          })}
        </div>
        {overlay && <div className="table-message">{overlay}</div>}
      </div>
    </div>
  );
}

const LeadRowView = memo(function LeadRowView({
  row,
  index,
  top,
  selected,
  onOpen,
}: {
  row: LeadRow;
  index: number;
  top: number;
  selected: boolean;
  onOpen: (id: string) => void;
}) {
  const name = fullName(row);
  return (
    <div
      className="tr grid-cols"
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={0}
      data-testid="lead-row"
      data-lead-id={row.id}
      data-index={index}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onOpen(row.id)}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          onOpen(row.id);
        }
      }}
    >
      <div className="td name" role="gridcell" title={name}>
        {name}
      </div>
      <div className="td" role="gridcell" title={row.companyName ?? undefined}>
        {row.companyName ?? <span className="empty">—</span>}
      </div>
      <div className="td" role="gridcell" title={row.email ?? undefined}>
        {row.email ?? <span className="empty">—</span>}
      </div>
      <div className="td tabular" role="gridcell">
        {row.phoneDisplay ?? row.phone ?? <span className="empty">—</span>}
      </div>
      <div className="td" role="gridcell">
        <StageChip name={row.stageName} color={row.stageColor} />
      </div>
      <div className="td num" role="gridcell">
        <ScoreBadge score={row.score} />
      </div>
      <div className="td date" role="gridcell" title={formatDateTime(row.createdAt)}>
        {formatDate(row.createdAt)}
      </div>
      <div className="td date" role="gridcell" title={formatDateTime(row.updatedAt)}>
        {formatDate(row.updatedAt)}
      </div>
    </div>
  );
});

const BONE_WIDTHS = [62, 48, 70, 44, 40, 26, 56, 56];

const SkeletonRow = memo(function SkeletonRow({ index, top }: { index: number; top: number }) {
  const jitter = (index * 37) % 23;
  return (
    <div
      className="tr skeleton grid-cols"
      role="row"
      aria-rowindex={index + 2}
      aria-busy="true"
      data-testid="lead-row-skeleton"
      style={{ transform: `translateY(${top}px)` }}
    >
      {BONE_WIDTHS.map((w, i) => (
        <div key={i} className={`td${i === 5 ? " num" : ""}`} role="gridcell">
          <span className="bone" style={{ width: `${Math.max(20, w - (i < 4 ? jitter : 0))}%` }} />
        </div>
      ))}
    </div>
  );
});

// ---------------------------------------------------------------------------
// Paged table backed by lead_list
// ---------------------------------------------------------------------------

export interface PagedLeadsTableProps {
  sort: SortState;
  onSort?: (sort: LeadSort) => void;
  companyId?: string | null;
  /** Only the current members of this segment. */
  segmentId?: string | null;
  /** Only the leads matching this search text. */
  text?: string | null;
  /** Total rows (storeInfo.leadCount, company.leadCount or the search's count). */
  total: number;
  selectedId: string | null;
  onOpen: (id: string) => void;
  onRowsPainted?: () => void;
  emptyMessage?: ReactNode;
  label?: string;
  testId?: string;
}

export function PagedLeadsTable({
  sort,
  onSort,
  companyId = null,
  segmentId = null,
  text = null,
  total,
  selectedId,
  onOpen,
  onRowsPainted,
  emptyMessage,
  label = "Leads",
  testId,
}: PagedLeadsTableProps) {
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const pager = useMemo(
    () =>
      new Pager<LeadRow, LeadCursor>({
        pageSize: PAGE_SIZE,
        jumpDelayMs: 120,
        maxPages: 200,
        onChange: rerender,
        fetchPage: ({ after, offset, limit }) =>
          commands.leadList({ sort: sort.sort, dir: sort.dir, after, offset, limit, companyId, segmentId, text }),
      }),
    [sort.sort, sort.dir, companyId, segmentId, text],
  );
  useEffect(() => () => pager.dispose(), [pager]);

  // Rows show lead data and scores (a lead write stales both); a segment's members change with it.
  useOnInvalidate(segmentId ? ["leads", "scores", "segments"] : ["leads", "scores"], () => pager.refresh());

  const count = pager.end !== null ? Math.min(total, pager.end) : total;
  const error = pager.error;

  let overlay: ReactNode = null;
  if (error !== null) {
    overlay = (
      <ErrorState
        testId="table-error"
        title="Couldn't load leads"
        message={errorMessage(error)}
        onRetry={() => pager.retry()}
      />
    );
  } else if (count === 0 && (pager.end !== null || total === 0) && emptyMessage) {
    overlay = emptyMessage;
  }

  return (
    <LeadsGrid
      count={count}
      getRow={(i) => pager.getRow(i)}
      onRange={(start, end) => pager.setRange(start, end)}
      sort={sort}
      onSort={onSort}
      selectedId={selectedId}
      onOpen={onOpen}
      overlay={overlay}
      onRowsPainted={onRowsPainted}
      scrollResetKey={pager}
      label={label}
      testId={testId}
    />
  );
}
