// The running import lives outside any view: the user can leave the Import view (or open a lead)
// while rows go in, and come back to the live progress or the summary.
import { useSyncExternalStore } from "react";
import { Channel } from "@tauri-apps/api/core";
import { commands, type AppError, type ImportOptions, type ImportProgress, type ImportSummary } from "../../bindings";
import { LEAD_DATA, invalidate } from "../../core/data";
import { toAppError } from "../../core/errors";

export type ImportJob =
  | { phase: "idle" }
  | { phase: "running"; jobId: string; fileName: string; progress: ImportProgress | null; cancelling: boolean }
  | { phase: "done"; summary: ImportSummary }
  | { phase: "failed"; fileName: string; error: AppError };

let job: ImportJob = { phase: "idle" };
const listeners = new Set<() => void>();

function set(next: ImportJob) {
  const phaseChanged = next.phase !== job.phase;
  job = next;
  listeners.forEach((l) => l());
  // The history lists the running import and each result; a finished import wrote leads.
  if (next.phase === "done") invalidate([...LEAD_DATA, "imports"]);
  else if (phaseChanged) invalidate(["imports"]);
}

export function useImportJob(): ImportJob {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => job,
  );
}

function newJobId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `job-${Date.now()}-${Math.random()}`;
}

async function run(fileName: string, start: (jobId: string, channel: Channel<ImportProgress>) => Promise<ImportSummary>): Promise<ImportSummary | null> {
  if (job.phase === "running") return null;
  const jobId = newJobId();
  const channel = new Channel<ImportProgress>();
  channel.onmessage = (progress) => {
    if (job.phase === "running" && job.jobId === jobId) set({ ...job, progress });
  };
  set({ phase: "running", jobId, fileName, progress: null, cancelling: false });
  try {
    const summary = await start(jobId, channel);
    set({ phase: "done", summary });
    return summary;
  } catch (e) {
    set({ phase: "failed", fileName, error: toAppError(e) });
    return null;
  }
}

export function startImport(path: string, fileName: string, options: ImportOptions) {
  return run(fileName, (jobId, channel) => commands.importStart({ jobId, path, options }, channel));
}

export function resumeImport(batchId: string, fileName: string) {
  return run(fileName, (jobId, channel) => commands.importResume({ jobId, batchId }, channel));
}

export async function cancelImport() {
  if (job.phase !== "running") return;
  set({ ...job, cancelling: true });
  await commands.importCancel({ jobId: job.jobId });
}

/** Back to choosing a file (after the summary was read). */
export function resetImport() {
  if (job.phase !== "running") set({ phase: "idle" });
}
