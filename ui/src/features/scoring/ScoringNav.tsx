import { useEffect, useRef } from "react";
import { formatNumber } from "../../core/format";
import { useToast } from "../../core/Toasts";
import { recomputeMessage, useScoringJob } from "./scoringJob";

/** The sidebar's progress beside "Scoring" while the leads are re-scored. */
export function ScoringBadge() {
  const job = useScoringJob();
  if (job.phase !== "running") return null;
  return (
    <span className="nav-badge nav-badge-progress tabular" data-testid="scoring-badge" title="Re-scoring leads">
      {job.progress && job.progress.total > 0 ? `${Math.min(100, Math.round((job.progress.done / job.progress.total) * 100))}%` : "…"}
    </span>
  );
}

/** A background re-score reports here when it ends, whichever view is open. */
export function ScoringJobToasts() {
  const toast = useToast();
  const job = useScoringJob();
  const phase = useRef(job.phase);
  useEffect(() => {
    const was = phase.current;
    phase.current = job.phase;
    if (was !== "running") return;
    if (job.phase === "done") toast.push("success", recomputeMessage(job.summary, formatNumber));
    else if (job.phase === "failed") toast.push("error", `Couldn't re-score the leads: ${job.error.message}`);
  }, [job, toast]);
  return null;
}
