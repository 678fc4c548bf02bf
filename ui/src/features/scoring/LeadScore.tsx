import "./scoring.css";
import { useState } from "react";
import { commands, type ScoreChange, type ScoreExplanation } from "../../bindings";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { LEAD_DATA, invalidate } from "../../core/data";
import { useNavigation } from "../../shell/navigation";
import { toAppError } from "../../core/errors";
import { formatDateTime, formatNumber, relativeTime } from "../../core/format";
import { CHANNELS, EVENT_TYPES, humanize, signed } from "./scoring";
import { ErrorState, ScoreBadge, Spinner } from "../../core/ui";
import { useToast } from "../../core/Toasts";
import { IconAlert, IconTrendDown, IconTrendUp } from "../../core/icons";

export const SCORE_HISTORY_LIMIT = 10;

/**
 * The "Why is this lead 72?" section of the lead panel: the breakdown that adds up to the score,
 * its recent changes, and forms to log an inquiry or an analytics event (which re-score the lead
 * at once on the Rust side).
 */
export function LeadScore({ leadId, score }: { leadId: string; score: number }) {
  const queryClient = useQueryClient();
  const explainKey = ["scores", "explain", leadId] as const;
  const explain = useQuery({ queryKey: explainKey, queryFn: () => commands.scoreExplain({ leadId }) });
  // The history is extra: a failed read shows none rather than an error.
  const historyQuery = useQuery({
    queryKey: ["scores", "history", leadId],
    queryFn: () => commands.scoreHistory({ leadId, limit: SCORE_HISTORY_LIMIT }).catch((): ScoreChange[] => []),
  });
  const explanation = explain.data ?? null;
  const history = historyQuery.data ?? null;
  const error = explain.error ? toAppError(explain.error) : null;
  const retry = () => {
    void explain.refetch();
    void historyQuery.refetch();
  };
  const setExplanation = (next: ScoreExplanation) => queryClient.setQueryData(explainKey, next);

  const shown = explanation?.score ?? score;
  return (
    <div className="section lead-score" data-testid="lead-score">
      <div className="lead-score-head">
        <ScoreBadge score={shown} large testId="score-badge" />
        <h3 className="lead-score-title">Why is this lead {formatNumber(shown)}?</h3>
        {explanation?.computedAt && (
          <time className="faint lead-score-when" dateTime={explanation.computedAt} title={`Computed ${formatDateTime(explanation.computedAt)}`}>
            {relativeTime(explanation.computedAt)}
          </time>
        )}
      </div>
      {error && !explanation && (
        <ErrorState testId="score-error" title="Couldn't explain the score" message={error.message} onRetry={retry} />
      )}
      {!explanation && !error && (
        <div className="center-pad">
          <Spinner label="Loading the score" />
        </div>
      )}
      {explanation && <Breakdown explanation={explanation} />}
      {history && history.length > 0 && <ScoreHistory history={history} />}
      <LogEngagement leadId={leadId} before={shown} onAdded={(next) => next && setExplanation(next)} />
    </div>
  );
}

function Breakdown({ explanation }: { explanation: ScoreExplanation }) {
  const nav = useNavigation();
  const parts = explanation.parts;
  return (
    <table className="score-table" data-testid="score-breakdown">
      <tbody>
        {parts.length === 0 && (
          <tr className="score-part-empty">
            <td colSpan={3} className="muted">
              {explanation.computedAt ? "No rule gives this lead points." : "Not scored by rules yet."}{" "}
              <button type="button" className="link-btn" onClick={() => nav.show("scoring")}>
                Scoring rules
              </button>
            </td>
          </tr>
        )}
        {parts.map((p, i) => (
          <tr key={`${p.kind}-${p.ruleId ?? ""}-${i}`} className={`score-part part-${p.kind}`} data-testid="score-part" data-kind={p.kind}>
            <td className="score-part-label">{p.label}</td>
            <td className="score-part-matches tabular" title={p.matches > 1 ? `${formatNumber(p.matches)} matching` : undefined}>
              {p.matches > 1 ? `×${formatNumber(p.matches)}` : ""}
            </td>
            <td className={`score-part-points tabular${p.points > 0 ? " is-pos" : p.points < 0 ? " is-neg" : ""}`} data-testid="score-part-points">
              {signed(p.points)}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr className="score-total">
          <td>Score</td>
          <td />
          <td className="tabular" data-testid="score-total">
            {formatNumber(explanation.score)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

function ScoreHistory({ history }: { history: ScoreChange[] }) {
  return (
    <details className="score-history" data-testid="score-history">
      <summary className="muted">
        Recent changes <span className="faint tabular">({formatNumber(history.length)})</span>
      </summary>
      <ol>
        {history.map((h, i) => {
          const up = h.newScore >= h.oldScore;
          return (
            <li key={`${h.createdAt}-${i}`} className="score-change" data-testid="score-change">
              <span className={`score-change-delta tabular ${up ? "is-pos" : "is-neg"}`}>
                {up ? <IconTrendUp size={12} /> : <IconTrendDown size={12} />}
                {h.oldScore} → {h.newScore}
              </span>
              <span className="score-change-cause">{humanize(h.cause)}</span>
              <span className="score-change-detail truncate muted" title={h.detail}>
                {h.detail}
              </span>
              <time className="faint tabular" dateTime={h.createdAt} title={formatDateTime(h.createdAt)}>
                {relativeTime(h.createdAt)}
              </time>
            </li>
          );
        })}
      </ol>
    </details>
  );
}

/** Log an inquiry (message + channel) or an analytics event (type + value) for this lead. */
function LogEngagement({
  leadId,
  before,
  onAdded,
}: {
  leadId: string;
  before: number;
  onAdded: (next: ScoreExplanation | null) => void;
}) {
  const toast = useToast();
  const [message, setMessage] = useState("");
  const [channel, setChannel] = useState("web_form");
  const [eventType, setEventType] = useState("");
  const [eventValue, setEventValue] = useState("");
  const [busy, setBusy] = useState<"inquiry" | "event" | null>(null);
  const [error, setError] = useState<{ form: "inquiry" | "event"; message: string } | null>(null);

  const after = async (what: string) => {
    // The Rust side re-scored the lead with the write; show the new breakdown now, then let
    // every view (timeline, tables, this section) catch up.
    const next = await commands.scoreExplain({ leadId }).catch(() => null);
    onAdded(next);
    const moved = next && next.score !== before ? ` — score ${before} → ${next.score}` : "";
    toast.push("success", `${what} added${moved}`);
    invalidate(LEAD_DATA);
  };

  const addInquiry = async () => {
    if (busy) return;
    if (!message.trim()) {
      setError({ form: "inquiry", message: "Write what the lead asked." });
      return;
    }
    setBusy("inquiry");
    setError(null);
    try {
      await commands.inquiryAdd({ input: { leadId, message: message.trim(), channel } });
      setMessage("");
      await after("Inquiry");
    } catch (e) {
      setError({ form: "inquiry", message: toAppError(e).message });
    } finally {
      setBusy(null);
    }
  };

  const addEvent = async () => {
    if (busy) return;
    if (!eventType.trim()) {
      setError({ form: "event", message: "Enter the event type, e.g. page_view." });
      return;
    }
    setBusy("event");
    setError(null);
    try {
      await commands.eventAdd({ input: { leadId, eventType: eventType.trim(), eventValue: eventValue.trim() || null, occurredAt: null } });
      setEventValue("");
      await after("Event");
    } catch (e) {
      setError({ form: "event", message: toAppError(e).message });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="log-engagement">
      <div className="log-engagement-title">Log engagement</div>
      <form
        className="log-row"
        data-testid="inquiry-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void addInquiry();
        }}
      >
        <input
          className="input log-grow"
          data-testid="inquiry-message"
          aria-label="Inquiry message"
          placeholder="What did they ask?"
          value={message}
          aria-invalid={error?.form === "inquiry" ? true : undefined}
          onChange={(e) => {
            setMessage(e.target.value);
            if (error?.form === "inquiry") setError(null);
          }}
        />
        <select className="input log-select" data-testid="inquiry-channel" aria-label="Channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
          {CHANNELS.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
        <button type="submit" className="btn btn-sm" data-testid="add-inquiry" disabled={busy !== null}>
          {busy === "inquiry" && <Spinner label="Adding" />}
          Add inquiry
        </button>
      </form>
      {error?.form === "inquiry" && <LogError message={error.message} />}
      <form
        className="log-row"
        data-testid="event-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void addEvent();
        }}
      >
        <input
          className="input log-type"
          data-testid="event-type"
          aria-label="Event type"
          placeholder="Event type"
          list="lead-event-types"
          spellCheck={false}
          value={eventType}
          aria-invalid={error?.form === "event" ? true : undefined}
          onChange={(e) => {
            setEventType(e.target.value);
            if (error?.form === "event") setError(null);
          }}
        />
        <datalist id="lead-event-types">
          {EVENT_TYPES.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <input
          className="input log-grow"
          data-testid="event-value"
          aria-label="Event value (optional)"
          placeholder="Value, e.g. /pricing"
          spellCheck={false}
          value={eventValue}
          onChange={(e) => setEventValue(e.target.value)}
        />
        <button type="submit" className="btn btn-sm" data-testid="add-event" disabled={busy !== null}>
          {busy === "event" && <Spinner label="Adding" />}
          Add event
        </button>
      </form>
      {error?.form === "event" && <LogError message={error.message} />}
    </div>
  );
}

function LogError({ message }: { message: string }) {
  return (
    <span className="field-error" role="alert" data-testid="log-error">
      <IconAlert size={13} />
      {message}
    </span>
  );
}
