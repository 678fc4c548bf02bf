/**
 * "Latest request wins": wraps async calls so that only the response of the
 * most recent call is delivered. Older (stale) responses resolve to
 * `{ stale: true }` and must be ignored by the caller; a stale failure is
 * swallowed the same way, only the newest call's failure rejects.
 */
export type Latest<T> = { stale: false; value: T } | { stale: true };

export function createLatest() {
  let seq = 0;
  return {
    async run<T>(fn: () => Promise<T>): Promise<Latest<T>> {
      const mine = ++seq;
      try {
        const value = await fn();
        return mine === seq ? { stale: false, value } : { stale: true };
      } catch (e) {
        if (mine !== seq) return { stale: true };
        throw e;
      }
    },
    /** Invalidate everything in flight (e.g. when the query is cleared). */
    cancel() {
      seq++;
    },
  };
}
