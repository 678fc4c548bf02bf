import { describe, expect, it, vi } from "vitest";
import { Pager, pagesForRange, planFetch, type PageRequest, type PageResult } from "./pager";

type Row = { i: number };
type Cursor = { key: string; id: string };

function page(start: number, n: number, size = 100, last = false): PageResult<Row, Cursor> {
  const rows = Array.from({ length: n }, (_, k) => ({ i: start + k }));
  return { rows, next: last || n < size ? null : { key: `k${start + n - 1}`, id: `id${start + n - 1}` } };
}

/** A fake lead_list: records requests, resolves on demand. */
function fakeBackend(total: number) {
  const calls: PageRequest<Cursor>[] = [];
  const resolvers: Array<() => void> = [];
  const fetchPage = vi.fn((req: PageRequest<Cursor>) => {
    calls.push(req);
    return new Promise<PageResult<Row, Cursor>>((resolve) => {
      resolvers.push(() => {
        const start = req.after ? Number(req.after.id.slice(2)) + 1 : (req.offset ?? 0);
        const n = Math.max(0, Math.min(req.limit, total - start));
        resolve(page(start, n, req.limit, start + n >= total));
      });
    });
  });
  const flush = async () => {
    while (resolvers.length) {
      resolvers.shift()!();
      await Promise.resolve();
      await Promise.resolve();
    }
  };
  return { calls, fetchPage, flush };
}

describe("planFetch", () => {
  const pages = new Map<number, PageResult<Row, Cursor>>([[4, page(400, 100)]]);
  it("fetches the first page from the start", () => {
    expect(planFetch(0, 100, pages, new Set())).toEqual({ kind: "fetch", after: null, offset: null });
  });
  it("uses the previous page's cursor when it is loaded (keyset)", () => {
    expect(planFetch(5, 100, pages, new Set())).toEqual({ kind: "fetch", after: { key: "k499", id: "id499" }, offset: null });
  });
  it("waits while the previous page is in flight", () => {
    expect(planFetch(8, 100, pages, new Set([7]))).toEqual({ kind: "wait" });
  });
  it("jumps with an offset when nothing nearby is loaded", () => {
    expect(planFetch(5000, 100, pages, new Set())).toEqual({ kind: "fetch", after: null, offset: 500000 });
  });
  it("stops after the last page", () => {
    const end = new Map([[0, page(0, 40)]]);
    expect(planFetch(1, 100, end, new Set())).toEqual({ kind: "end" });
  });
  it("maps a row range to pages", () => {
    expect(pagesForRange(95, 205, 100)).toEqual([0, 1, 2]);
    expect(pagesForRange(0, -1, 100)).toEqual([]);
  });
});

describe("Pager", () => {
  it("loads page 0, then the next page with the `after` cursor when scrolled sequentially", async () => {
    const b = fakeBackend(1000);
    const pager = new Pager<Row, Cursor>({ fetchPage: b.fetchPage });
    pager.setRange(0, 30);
    expect(b.calls).toEqual([{ page: 0, after: null, offset: null, limit: 100 }]);
    await b.flush();
    expect(pager.getRow(5)).toEqual({ i: 5 });
    pager.setRange(90, 120);
    expect(b.calls[1]).toEqual({ page: 1, after: { key: "k99", id: "id99" }, offset: null, limit: 100 });
    await b.flush();
    expect(pager.getRow(150)).toEqual({ i: 150 });
    // Never re-requests loaded pages.
    pager.setRange(0, 199);
    expect(b.calls).toHaveLength(2);
  });

  it("jumps far with `offset` and no cursor", async () => {
    const b = fakeBackend(1_000_000);
    const pager = new Pager<Row, Cursor>({ fetchPage: b.fetchPage });
    pager.setRange(0, 20);
    await b.flush();
    pager.setRange(500_010, 500_030);
    expect(b.calls[1]).toEqual({ page: 5000, after: null, offset: 500_000, limit: 100 });
    await b.flush();
    expect(pager.getRow(500_010)).toEqual({ i: 500_010 });
    expect(pager.getRow(300)).toBeUndefined();
  });

  it("chains a range spanning several pages on cursors instead of offsets", async () => {
    const b = fakeBackend(1000);
    const pager = new Pager<Row, Cursor>({ fetchPage: b.fetchPage });
    pager.setRange(0, 250);
    expect(b.calls.map((c) => c.page)).toEqual([0]);
    await b.flush();
    expect(b.calls.map((c) => [c.page, c.after?.id ?? null, c.offset])).toEqual([
      [0, null, null],
      [1, "id99", null],
      [2, "id199", null],
    ]);
  });

  it("debounces offset jumps while the scrollbar is dragged", async () => {
    vi.useFakeTimers();
    try {
      const b = fakeBackend(1_000_000);
      const pager = new Pager<Row, Cursor>({ fetchPage: b.fetchPage, jumpDelayMs: 100 });
      for (const start of [100_000, 200_000, 300_000, 400_000]) {
        pager.setRange(start, start + 20);
        vi.advanceTimersByTime(30);
      }
      expect(b.calls).toHaveLength(0);
      vi.advanceTimersByTime(100);
      expect(b.calls).toEqual([{ page: 4000, after: null, offset: 400_000, limit: 100 }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("discards responses requested before a reset (e.g. a sort change)", async () => {
    const b = fakeBackend(1000);
    const onChange = vi.fn();
    const pager = new Pager<Row, Cursor>({ fetchPage: b.fetchPage, onChange });
    pager.setRange(0, 20);
    pager.reset();
    await b.flush();
    expect(pager.getRow(0)).toBeUndefined();
    expect(pager.loadedPages()).toEqual([]);
    pager.setRange(0, 20);
    await b.flush();
    expect(pager.getRow(0)).toEqual({ i: 0 });
  });

  it("refresh keeps rows on screen until fresh pages arrive", async () => {
    const b = fakeBackend(1000);
    const pager = new Pager<Row, Cursor>({ fetchPage: b.fetchPage });
    pager.setRange(0, 20);
    await b.flush();
    pager.refresh();
    expect(b.calls).toHaveLength(2);
    expect(pager.getRow(3)).toEqual({ i: 3 });
    await b.flush();
    expect(pager.getRow(3)).toEqual({ i: 3 });
  });

  it("learns the end of the list and never requests past it", async () => {
    const b = fakeBackend(150);
    const pager = new Pager<Row, Cursor>({ fetchPage: b.fetchPage });
    pager.setRange(0, 250);
    await b.flush();
    expect(pager.end).toBe(150);
    expect(b.calls.map((c) => c.page)).toEqual([0, 1]);
  });

  it("exposes errors and retries", async () => {
    let fail = true;
    const fetchPage = vi.fn(async () => {
      if (fail) throw { code: "db_error", message: "disk I/O error", field: null };
      return page(0, 100);
    });
    const pager = new Pager<Row, Cursor>({ fetchPage });
    pager.setRange(0, 20);
    await vi.waitFor(() => expect(pager.error).toEqual({ code: "db_error", message: "disk I/O error", field: null }));
    fail = false;
    pager.retry();
    await vi.waitFor(() => expect(pager.getRow(0)).toEqual({ i: 0 }));
    expect(pager.error).toBeNull();
  });

  it("evicts the pages farthest from the visible range", async () => {
    const b = fakeBackend(1_000_000);
    const pager = new Pager<Row, Cursor>({ fetchPage: b.fetchPage, maxPages: 3 });
    for (const p of [0, 10, 20, 30]) {
      pager.setRange(p * 100, p * 100 + 10);
      await b.flush();
    }
    expect(pager.loadedPages()).toEqual([10, 20, 30]);
  });
});
