import "./segments.css";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { commands, type MembershipSpan, type Segment } from "../../bindings";
import { invalidate } from "../../core/data";
import { toAppError } from "../../core/errors";
import { formatDateTime, relativeTime } from "../../core/format";

/**
 * The "Segments" section of the lead panel: which segments the lead is in, since which refresh
 * and when, and which it left — "why and when did this lead join". Hand-picked segments can be
 * joined from here; leaving a query segment by hand keeps the lead out until cleared.
 */
export function LeadSegments({ leadId }: { leadId: string }) {
  const membership = useQuery({
    queryKey: ["segments", "lead", leadId],
    queryFn: () => Promise.all([commands.leadSegments({ leadId }), commands.segmentList()]),
  });
  const [error, setError] = useState<string | null>(null);
  const spans: MembershipSpan[] | null = membership.data?.[0] ?? null;
  const segments: Segment[] = membership.data?.[1] ?? [];
  const loadError = membership.error ? toAppError(membership.error).message : null;

  const act = async (run: () => Promise<unknown>) => {
    setError(null);
    try {
      await run();
      invalidate(["segments"]);
    } catch (e) {
      setError(toAppError(e).message);
    }
  };

  if (!spans) return null;
  const current = spans.filter((s) => s.leftRefresh == null);
  const past = spans.filter((s) => s.leftRefresh != null);
  const joinable = segments.filter((s) => s.kind === "static" && !current.some((c) => c.segmentId === s.id));
  return (
    <div className="section" data-testid="lead-segments">
      <h3 className="section-title">Segments</h3>
      {current.length === 0 && <div className="faint">In no segment</div>}
      {current.map((s) => (
        <div key={`${s.segmentId}-${s.enteredRefresh}`} className="lead-seg" data-testid="lead-segment">
          <span className="lead-seg-name">{s.segmentName}</span>
          <span className="muted" title={formatDateTime(s.enteredAt)}>
            since refresh #{s.enteredRefresh}, {relativeTime(s.enteredAt)}
          </span>
          <button
            type="button"
            className="link-btn"
            title="Take this lead out of the segment (it stays out through refreshes)"
            onClick={() => void act(() => commands.segmentExclude({ id: s.segmentId, leadIds: [leadId] }))}
          >
            Remove
          </button>
        </div>
      ))}
      {past.length > 0 && (
        <details className="lead-seg-past">
          <summary className="muted">Left {past.length === 1 ? "1 segment" : `${past.length} segments`}</summary>
          {past.map((s) => (
            <div key={`${s.segmentId}-${s.enteredRefresh}`} className="lead-seg faint">
              <span className="lead-seg-name">{s.segmentName}</span>
              <span>
                refresh #{s.enteredRefresh} → #{s.leftRefresh} ({s.leftAt ? formatDateTime(s.leftAt) : ""})
              </span>
            </div>
          ))}
        </details>
      )}
      {joinable.length > 0 && (
        <select
          className="input lead-seg-add"
          aria-label="Add to a hand-picked segment"
          data-testid="lead-segment-add"
          value=""
          onChange={(e) => e.target.value && void act(() => commands.segmentInclude({ id: e.target.value, leadIds: [leadId] }))}
        >
          <option value="">Add to segment…</option>
          {joinable.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      )}
      {(error ?? loadError) && <div className="field-error">{error ?? loadError}</div>}
    </div>
  );
}
