// The running re-score lives outside any view: saving a rule closes the editor at once and the
// leads are re-scored in the background (the Rust side works in chunks, so the app stays usable);
// the Scoring view and the sidebar show the progress wherever the user goes meanwhile.
import { useSyncExternalStore } from "react";
import { commands, type AppError, type RecomputeProgress, type RecomputeSummary } from "../../bindings";
import { toAppError } from "../../core/errors";
import { onAppEvent } from "../../core/events";

export type ScoringJob =
  | { phase: "idle" }
  | { phase: "running"; detail: string; progress: RecomputeProgress | null; queued: boolean }
  | { phase: "done"; summary: RecomputeSummary }
  | { phase: "failed"; detail: string; error: AppError };

let job: ScoringJob = { phase: "idle" };
const listeners = new Set<() => void>();

function set(next: ScoringJob) {
  job = next;
  listeners.forEach((l) => l());
}

export function useScoringJob(): ScoringJob {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => job,
  );
}

type Waiting = { detail: string; promise: Promise<RecomputeSummary | null>; resolve: (s: RecomputeSummary | null) => void };
let current: Promise<RecomputeSummary | null> | null = null;
let waiting: Waiting | null = null;

async function run(detail: string): Promise<RecomputeSummary | null> {
  set({ phase: "running", detail, progress: null, queued: false });
  const stop = onAppEvent("score-progress", (progress) => {
    if (job.phase === "running") set({ ...job, progress });
  });
  try {
    const summary = await commands.scoreRecompute({ detail });
    set({ phase: "done", summary });
    return summary;
  } catch (e) {
    set({ phase: "failed", detail, error: toAppError(e) });
    return null;
  } finally {
    stop();
  }
}

function startNext() {
  const next = waiting;
  waiting = null;
  if (!next) {
    current = null;
    return;
  }
  current = run(next.detail).then((s) => {
    next.resolve(s);
    startNext();
    return s;
  });
}

/**
 * Re-scores every lead (after a rule or the settings changed). While one runs, further calls
 * are merged into a single follow-up run (the latest `detail` names it), so three quick edits
 * cost at most two passes. Resolves with the summary of the run that covered this change, or
 * null if it failed (the error is in the job state).
 */
export function recomputeScores(detail: string): Promise<RecomputeSummary | null> {
  if (!current) {
    current = run(detail).then((s) => {
      startNext();
      return s;
    });
    return current;
  }
  if (waiting) {
    waiting.detail = detail;
    return waiting.promise;
  }
  let resolve!: (s: RecomputeSummary | null) => void;
  const promise = new Promise<RecomputeSummary | null>((r) => (resolve = r));
  waiting = { detail, promise, resolve };
  if (job.phase === "running") set({ ...job, queued: true });
  return promise;
}

/** Forget the last result (the Scoring view's "done" / "failed" card was dismissed). */
export function dismissScoringJob() {
  if (job.phase === "done" || job.phase === "failed") set({ phase: "idle" });
}

/** "Re-scored: 12,345 raised, 210 lowered". */
export function recomputeMessage(s: RecomputeSummary, format: (n: number) => string): string {
  if (s.raised === 0 && s.lowered === 0) return `Re-scored ${format(s.scored)} leads: no score changed`;
  return `Re-scored: ${format(s.raised)} raised, ${format(s.lowered)} lowered`;
}

/** For tests: back to a clean slate. */
export function resetScoringJobForTests() {
  job = { phase: "idle" };
  current = null;
  waiting = null;
}
