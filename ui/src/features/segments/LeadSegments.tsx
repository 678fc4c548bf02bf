import "./segments.css";
import { useEffect, useState } from "react";
import { commands, type MembershipSpan, type Segment } from "../../bindings";
import { useApp } from "../../appContext";
import { toAppError } from "../../core/errors";
import { formatDateTime, relativeTime } from "../../core/format";

/**
 * The "Segments" section of the lead panel: which segments the lead is in, since which refresh
 * and when, and which it left — "why and when did this lead join". Hand-picked segments can be
 * joined from here; leaving a query segment by hand keeps the lead out until cleared.
 */
export function LeadSegments({ leadId }: { leadId: string }) {
  const app = useApp();
  const [spans, setSpans] = useState<MembershipSpan[] | null>(null);
  const [segments, setSegments] = useState<Segment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    Promise.all([commands.leadSegments(leadId), commands.listSegments()]).then(
      ([s, all]) => {
        if (!live) return;
        setSpans(s);
        setSegments(all);
      },
      (e: unknown) => live && setError(toAppError(e).message),
    );
    return () => {
      live = false;
    };
  }, [leadId, app.dataVersion, version]);

  const act = async (run: () => Promise<unknown>) => {
    setError(null);
    try {
      await run();
      setVersion((v) => v + 1);
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
            onClick={() => void act(() => commands.excludeFromSegment(s.segmentId, [leadId]))}
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
          onChange={(e) => e.target.value && void act(() => commands.includeInSegment(e.target.value, [leadId]))}
        >
          <option value="">Add to segment…</option>
          {joinable.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      )}
      {error && <div className="field-error">{error}</div>}
    </div>
  );
}
