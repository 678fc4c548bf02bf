/**
 * Page cache for the virtualized leads table.
 *
 * Pure TypeScript (no React, no Tauri): the table tells the pager which row
 * indices are visible, the pager decides which pages of `pageSize` rows to
 * fetch and how:
 *
 *  - sequential scrolling: page p is fetched with `after` = page p-1's `next`
 *    cursor (keyset paging, cheap for SQLite at any depth);
 *  - a far jump (scrollbar drag) to a page whose predecessor is not loaded:
 *    fetched with `offset` = p * pageSize and `after: null`. Offset fetches are
 *    debounced by `jumpDelayMs` so dragging the thumb across a million rows
 *    only loads where the user stops;
 *  - if page p-1 is still in flight, page p waits for its cursor.
 *
 * Loaded pages live in a Map keyed by page number. The cache keeps at most
 * `maxPages` pages, evicting the ones farthest from the visible range.
 * `reset()` drops everything and bumps a generation counter so responses of
 * requests made before the reset are discarded.
 */

export interface PageResult<Row, Cursor> {
  rows: Row[];
  next: Cursor | null;
}

export interface PageRequest<Cursor> {
  page: number;
  after: Cursor | null;
  offset: number | null;
  limit: number;
}

export type FetchPlan<Cursor> =
  | { kind: "fetch"; after: Cursor | null; offset: number | null }
  | { kind: "wait" }
  | { kind: "end" };

/**
 * Decide how to fetch `page`, given the loaded pages and the pages in flight.
 * Pure function, exported for tests.
 */
export function planFetch<Row, Cursor>(
  page: number,
  pageSize: number,
  pages: ReadonlyMap<number, PageResult<Row, Cursor>>,
  inFlight: ReadonlySet<number>,
): FetchPlan<Cursor> {
  if (page <= 0) return { kind: "fetch", after: null, offset: null };
  const prev = pages.get(page - 1);
  if (prev) {
    if (prev.next === null || prev.rows.length < pageSize) return { kind: "end" };
    return { kind: "fetch", after: prev.next, offset: null };
  }
  if (inFlight.has(page - 1)) return { kind: "wait" };
  return { kind: "fetch", after: null, offset: page * pageSize };
}

/** Pages (inclusive range) covering row indices [start, end]. */
export function pagesForRange(start: number, end: number, pageSize: number): number[] {
  if (end < start || end < 0) return [];
  const first = Math.floor(Math.max(0, start) / pageSize);
  const last = Math.floor(end / pageSize);
  const out: number[] = [];
  for (let p = first; p <= last; p++) out.push(p);
  return out;
}

export interface PagerOptions<Row, Cursor> {
  fetchPage: (req: PageRequest<Cursor>) => Promise<PageResult<Row, Cursor>>;
  onChange?: () => void;
  pageSize?: number;
  /** Debounce for offset (jump) fetches, in ms. 0 = fetch immediately. */
  jumpDelayMs?: number;
  /** Upper bound of cached pages. */
  maxPages?: number;
}

export class Pager<Row, Cursor> {
  readonly pageSize: number;
  private readonly pages = new Map<number, PageResult<Row, Cursor>>();
  /** Pages from before a `refresh()`, shown until their fresh copy arrives. */
  private stale = new Map<number, PageResult<Row, Cursor>>();
  private readonly inFlight = new Set<number>();
  private readonly opts: PagerOptions<Row, Cursor>;
  private generation = 0;
  private range: [number, number] = [0, -1];
  private jumpTimer: ReturnType<typeof setTimeout> | null = null;
  private knownEnd: number | null = null;
  private lastError: unknown = null;
  private disposed = false;

  constructor(opts: PagerOptions<Row, Cursor>) {
    this.opts = opts;
    this.pageSize = opts.pageSize ?? 100;
  }

  /** Row at a global index, or undefined when its page is not loaded. */
  getRow(index: number): Row | undefined {
    const p = Math.floor(index / this.pageSize);
    const page = this.pages.get(p) ?? this.stale.get(p);
    return page?.rows[index % this.pageSize];
  }

  hasPage(page: number): boolean {
    return this.pages.has(page);
  }

  loadedPages(): number[] {
    return [...this.pages.keys()].sort((a, b) => a - b);
  }

  isLoading(): boolean {
    return this.inFlight.size > 0 || this.jumpTimer !== null;
  }

  /** Number of rows, once the last page has been seen; otherwise null. */
  get end(): number | null {
    return this.knownEnd;
  }

  get error(): unknown {
    return this.lastError;
  }

  /** Tell the pager which rows are visible (inclusive); fetches what is missing. */
  setRange(start: number, end: number): void {
    this.disposed = false;
    this.range = [start, end];
    this.pump();
  }

  /** Drop every cached page and forget in-flight requests. */
  reset(): void {
    this.generation++;
    this.pages.clear();
    this.stale.clear();
    this.inFlight.clear();
    this.knownEnd = null;
    this.lastError = null;
    this.clearJumpTimer();
    this.opts.onChange?.();
  }

  /**
   * Refetch after the data changed (a write). Unlike `reset()`, the rows
   * already on screen stay visible until their fresh page arrives.
   */
  refresh(): void {
    this.generation++;
    for (const [p, page] of this.pages) this.stale.set(p, page);
    this.pages.clear();
    this.inFlight.clear();
    this.knownEnd = null;
    this.lastError = null;
    this.clearJumpTimer();
    this.opts.onChange?.();
    this.pump();
  }

  /** After an error: clear it and try the visible range again. */
  retry(): void {
    this.lastError = null;
    this.opts.onChange?.();
    this.pump();
  }

  /** Stop timers and ignore in-flight responses; `setRange` revives it. */
  dispose(): void {
    this.disposed = true;
    this.generation++;
    this.inFlight.clear();
    this.clearJumpTimer();
  }

  private clearJumpTimer() {
    if (this.jumpTimer !== null) {
      clearTimeout(this.jumpTimer);
      this.jumpTimer = null;
    }
  }

  private pump(): void {
    if (this.disposed || this.lastError !== null) return;
    const [start, end] = this.range;
    let wantsJump = false;
    // Pages waiting for (or about to be fetched right after) their predecessor:
    // a run of consecutive missing pages chains on one cursor after another.
    const pending = new Set(this.inFlight);
    for (const page of pagesForRange(start, end, this.pageSize)) {
      if (this.pages.has(page) || this.inFlight.has(page)) continue;
      if (this.knownEnd !== null && page * this.pageSize >= this.knownEnd) continue;
      const plan = planFetch(page, this.pageSize, this.pages, pending);
      if (plan.kind === "wait") {
        pending.add(page);
        continue;
      }
      if (plan.kind === "end") continue;
      pending.add(page);
      if (plan.offset !== null && (this.opts.jumpDelayMs ?? 0) > 0) {
        wantsJump = true;
        continue;
      }
      this.fetch(page, plan.after, plan.offset);
    }
    this.clearJumpTimer();
    if (wantsJump) {
      this.jumpTimer = setTimeout(() => {
        this.jumpTimer = null;
        this.pumpJumps();
      }, this.opts.jumpDelayMs);
    }
  }

  /** Fire the (debounced) offset fetches for the range visible now. */
  private pumpJumps(): void {
    if (this.disposed || this.lastError !== null) return;
    const [start, end] = this.range;
    for (const page of pagesForRange(start, end, this.pageSize)) {
      if (this.pages.has(page) || this.inFlight.has(page)) continue;
      if (this.knownEnd !== null && page * this.pageSize >= this.knownEnd) continue;
      const plan = planFetch(page, this.pageSize, this.pages, this.inFlight);
      if (plan.kind !== "fetch") continue;
      this.fetch(page, plan.after, plan.offset);
    }
    this.opts.onChange?.();
  }

  private fetch(page: number, after: Cursor | null, offset: number | null): void {
    const gen = this.generation;
    this.inFlight.add(page);
    const req: PageRequest<Cursor> = { page, after, offset, limit: this.pageSize };
    let promise: Promise<PageResult<Row, Cursor>>;
    try {
      promise = this.opts.fetchPage(req);
    } catch (e) {
      promise = Promise.reject(e);
    }
    promise.then(
      (result) => {
        if (gen !== this.generation) return;
        this.inFlight.delete(page);
        this.pages.set(page, result);
        this.stale.delete(page);
        if (result.next === null || result.rows.length < this.pageSize) {
          this.knownEnd = page * this.pageSize + result.rows.length;
        }
        this.evict();
        this.opts.onChange?.();
        // A page waiting for this cursor can go now.
        this.pump();
      },
      (err: unknown) => {
        if (gen !== this.generation) return;
        this.inFlight.delete(page);
        this.stale.clear();
        this.lastError = err;
        this.opts.onChange?.();
      },
    );
  }

  private evict(): void {
    const max = this.opts.maxPages ?? 200;
    if (this.pages.size <= max) return;
    const [start, end] = this.range;
    const lo = Math.floor(Math.max(0, start) / this.pageSize);
    const hi = Math.floor(Math.max(0, end) / this.pageSize);
    const distance = (p: number) => (p < lo ? lo - p : p > hi ? p - hi : 0);
    const victims = [...this.pages.keys()].sort((a, b) => distance(b) - distance(a));
    for (const p of victims) {
      if (this.pages.size <= max) break;
      if (distance(p) === 0) break;
      this.pages.delete(p);
    }
  }
}
