import "./LeadDetail.css";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { commands, type Activity, type AppError, type Lead, type LoggedKind } from "../../bindings";
import { useOnInvalidate } from "../../core/data";
import { useNavigation } from "../../shell/navigation";
import { showLeadForm } from "./dialogs";
import { toAppError } from "../../core/errors";
import { fieldLabel, formatDateTime, fullName, initials, relativeTime, statusLabel } from "../../core/format";
import { useLayer } from "../../core/layers";
import { reminderActivityText } from "../reminders/reminders";
import { eventActivity, humanize, scoreActivity } from "../scoring/scoring";
import { ErrorState, Kbd, ScoreBadge, Spinner, StageChip } from "../../core/ui";
import { IconBell, IconFlame, IconMail, IconMessage, IconNote, IconPencil, IconPhone, IconUsers, IconPointer, IconTrash, IconTrendDown, IconTrendUp, IconX } from "../../core/icons";
import { useToast } from "../../core/Toasts";
import { LeadReminders } from "../reminders/LeadReminders";
import { LeadSegments } from "../segments/LeadSegments";
import { LeadScore } from "../scoring/LeadScore";
import { showLogActivity } from "../activities/dialogs";
import { loggedKind } from "../activities/LogActivityForm";

export const ACTIVITY_PAGE = 50;

type LeadState = { status: "loading" } | { status: "ready"; lead: Lead } | { status: "error"; error: AppError };
type TimelineState = {
  rows: Activity[];
  next: string | null;
  loading: boolean;
  error: AppError | null;
};

export function LeadDetail({ leadId, onClose, onDeleted }: { leadId: string; onClose: () => void; onDeleted: () => void }) {
  const nav = useNavigation();
  const toast = useToast();
  const [state, setState] = useState<LeadState>({ status: "loading" });
  const [timeline, setTimeline] = useState<TimelineState>({ rows: [], next: null, loading: true, error: null });
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const reqId = useRef(0);

  useLayer(true, onClose);
  useLayer(confirming, () => setConfirming(false));

  const load = useCallback(
    (soft: boolean) => {
      const id = ++reqId.current;
      if (!soft) setState({ status: "loading" });
      setTimeline((t) => ({ rows: soft ? t.rows : [], next: soft ? t.next : null, loading: true, error: null }));
      commands.leadGet({ id: leadId }).then(
        (lead) => id === reqId.current && setState({ status: "ready", lead }),
        (e: unknown) => id === reqId.current && setState({ status: "error", error: toAppError(e) }),
      );
      commands.leadActivities({ leadId, before: null, limit: ACTIVITY_PAGE }).then(
        (page) => id === reqId.current && setTimeline({ rows: page.rows, next: page.next, loading: false, error: null }),
        (e: unknown) =>
          id === reqId.current && setTimeline((t) => ({ ...t, loading: false, error: toAppError(e) })),
      );
    },
    [leadId],
  );

  // Load on open; after a write to the lead data reload, keeping content on screen meanwhile.
  useEffect(() => {
    setConfirming(false);
    load(false);
  }, [leadId, load]);
  useOnInvalidate(["leads"], () => load(true));

  // Reminder writes and reminder events add timeline entries ("Reminder set for …", "Reminder
  // notified: …"): refresh the first page of activity, keeping what is on screen meanwhile.
  useOnInvalidate(["reminders"], () => {
    const id = reqId.current;
    commands.leadActivities({ leadId, before: null, limit: ACTIVITY_PAGE }).then(
      (page) =>
        id === reqId.current &&
        setTimeline((t) => (t.loading ? t : { rows: page.rows, next: page.next, loading: false, error: null })),
      () => {},
    );
  });

  const loadMore = () => {
    if (!timeline.next || timeline.loading) return;
    const id = reqId.current;
    setTimeline((t) => ({ ...t, loading: true, error: null }));
    commands.leadActivities({ leadId, before: timeline.next, limit: ACTIVITY_PAGE }).then(
      (page) =>
        id === reqId.current &&
        setTimeline((t) => ({ rows: [...t.rows, ...page.rows], next: page.next, loading: false, error: null })),
      (e: unknown) => id === reqId.current && setTimeline((t) => ({ ...t, loading: false, error: toAppError(e) })),
    );
  };

  const doDelete = async () => {
    if (state.status !== "ready") return;
    setDeleting(true);
    try {
      await commands.leadDelete({ id: state.lead.id });
      toast.push("success", `Deleted ${fullName(state.lead)}`);
      setConfirming(false);
      onDeleted();
    } catch (e) {
      toast.push("error", `Couldn't delete lead: ${toAppError(e).message}`);
    } finally {
      setDeleting(false);
    }
  };

  const lead = state.status === "ready" ? state.lead : null;

  return (
    <aside className="detail" data-testid="lead-detail" aria-label="Lead details">
      <div className="detail-top">
        <span className="muted">Lead</span>
        <div className="spacer" />
        {lead && (
          <>
            <button
              type="button"
              className="btn btn-sm"
              data-testid="log-activity"
              title="Log a call, email, meeting or note (L)"
              onClick={() => showLogActivity({ id: lead.id, name: fullName(lead) }, "call", toast)}
            >
              <IconPhone size={13} />
              Log
              <Kbd>L</Kbd>
            </button>
            <button type="button" className="btn btn-sm" data-testid="edit-lead" onClick={() => showLeadForm(lead, nav.openLead)}>
              <IconPencil size={13} />
              Edit
            </button>
            <button
              type="button"
              className="btn btn-sm btn-ghost btn-danger"
              data-testid="delete-lead"
              onClick={() => setConfirming(true)}
              disabled={confirming}
            >
              <IconTrash size={13} />
              Delete
            </button>
          </>
        )}
        <button type="button" className="icon-btn" aria-label="Close details" data-testid="close-detail" onClick={onClose}>
          <IconX />
        </button>
      </div>
      <div className="detail-body">
        {state.status === "loading" && (
          <div className="center-pad">
            <Spinner label="Loading lead" />
          </div>
        )}
        {state.status === "error" && (
          <ErrorState title="Couldn't load this lead" message={state.error.message} onRetry={() => load(false)} />
        )}
        {lead && (
          <>
            {confirming && (
              <div className="confirm" role="alertdialog" aria-label="Confirm delete">
                <span>Delete this lead and its history? This can't be undone.</span>
                <button type="button" className="btn btn-sm" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
                <button
                  type="button"
                  className="btn btn-sm btn-danger-solid"
                  data-testid="confirm-delete"
                  disabled={deleting}
                  onClick={() => void doDelete()}
                  autoFocus
                >
                  {deleting && <Spinner label="Deleting" />}
                  Delete
                </button>
              </div>
            )}
            <div className="detail-head">
              <span className="avatar avatar-lg">{initials(lead)}</span>
              <div>
                <h2 data-testid="detail-name">{fullName(lead)}</h2>
                <div className="sub">
                  {lead.jobTitle}
                  {lead.jobTitle && lead.companyName && " · "}
                  {lead.companyName &&
                    (lead.companyId ? (
                      <a
                        href="#"
                        data-testid="detail-company-link"
                        onClick={(e) => {
                          e.preventDefault();
                          nav.show("companies", lead.companyId!);
                        }}
                      >
                        {lead.companyName}
                      </a>
                    ) : (
                      lead.companyName
                    ))}
                </div>
              </div>
            </div>
            <div className="detail-chips">
              <StageChip name={lead.stageName} color={lead.stageColor} />
              <span className="status" data-testid="detail-status">
                {statusLabel(lead.status)}
              </span>
              <ScoreBadge score={lead.score} />
            </div>
            <dl className="props">
              <Prop label="Email">
                {lead.email && <a href={`mailto:${lead.email}`}>{lead.email}</a>}
              </Prop>
              <Prop label="Phone">
                {(lead.phoneDisplay ?? lead.phone) ? (
                  <span className="tabular">{lead.phoneDisplay ?? lead.phone}</span>
                ) : (
                  lead.phoneRaw && (
                    <span className="tabular" title="Kept as written: not a valid number for the default region">
                      {lead.phoneRaw} <span className="hint">(as written)</span>
                    </span>
                  )
                )}
              </Prop>
              {lead.email2 && (
                <Prop label="Email 2">
                  <a href={`mailto:${lead.email2}`}>{lead.email2}</a>
                </Prop>
              )}
              {(lead.phone2 ?? lead.phone2Raw) && (
                <Prop label="Phone 2">
                  <span className="tabular">{lead.phone2 ?? lead.phone2Raw}</span>
                </Prop>
              )}
              {lead.website && <Prop label="Website">{lead.website}</Prop>}
              {lead.externalId && (
                <Prop label="External ID">
                  <span className="tabular">{lead.externalId}</span>
                </Prop>
              )}
              <Prop label="Job title">{lead.jobTitle}</Prop>
              <Prop label="Source">{lead.sourceName}</Prop>
              <Prop label="Created">
                <span className="tabular" title={lead.createdAt}>
                  {formatDateTime(lead.createdAt)}
                </span>
              </Prop>
              <Prop label="Updated">
                <span className="tabular" title={lead.updatedAt}>
                  {formatDateTime(lead.updatedAt)}
                </span>
              </Prop>
            </dl>
            <LeadScore leadId={lead.id} score={lead.score} />
            <div className="section">
              <h3 className="section-title">Qualification</h3>
              <dl className="props">
                <Prop label="Budget">{lead.budget}</Prop>
                <Prop label="Authority">{lead.authority}</Prop>
                <Prop label="Need">{lead.need}</Prop>
                <Prop label="Timeline">{lead.timeline}</Prop>
              </dl>
            </div>
            <CustomFields fields={lead.customFields} />
            <LeadReminders leadId={lead.id} leadName={fullName(lead)} />
            <LeadSegments leadId={lead.id} />
            {lead.notes && (
              <div className="section">
                <h3 className="section-title">Notes</h3>
                <div className="notes" data-testid="detail-notes">
                  {lead.notes}
                </div>
              </div>
            )}
          </>
        )}
        {state.status !== "error" && (
          <div className="section">
            <h3 className="section-title">Activity</h3>
            <Timeline
              timeline={timeline}
              onMore={loadMore}
              onRetry={() => (timeline.rows.length ? loadMore() : load(true))}
            />
          </div>
        )}
      </div>
    </aside>
  );
}

/** Custom fields (imported columns kept by name), when the lead has any. */
function CustomFields({ fields }: { fields: unknown }) {
  if (!fields || typeof fields !== "object" || Array.isArray(fields)) return null;
  const entries = Object.entries(fields as Record<string, unknown>);
  if (entries.length === 0) return null;
  return (
    <div className="section" data-testid="detail-custom-fields">
      <h3 className="section-title">Custom fields</h3>
      <dl className="props">
        {entries.map(([k, v]) => (
          <Prop key={k} label={k}>
            {typeof v === "string" ? v : JSON.stringify(v)}
          </Prop>
        ))}
      </dl>
    </div>
  );
}

function Prop({ label, children }: { label: string; children: ReactNode }) {
  const empty = children === null || children === undefined || children === "" || children === false;
  return (
    <>
      <dt>{label}</dt>
      <dd>{empty ? <span className="empty">—</span> : children}</dd>
    </>
  );
}

function Timeline({
  timeline,
  onMore,
  onRetry,
}: {
  timeline: TimelineState;
  onMore: () => void;
  onRetry: () => void;
}) {
  const { rows, next, loading, error } = timeline;
  return (
    <>
      <ol className="timeline" data-testid="timeline">
        {rows.map((a) => (
          <ActivityItem key={a.id} a={a} />
        ))}
      </ol>
      {!loading && !error && rows.length === 0 && <div className="muted">No activity yet.</div>}
      {error && <ErrorState testId="timeline-error" title="Couldn't load activity" message={error.message} onRetry={onRetry} />}
      {loading && (
        <div className="center-pad">
          <Spinner label="Loading activity" />
        </div>
      )}
      {!loading && next && (
        <button type="button" className="btn btn-sm" data-testid="load-more-activities" onClick={onMore}>
          Load more
        </button>
      )}
    </>
  );
}

const LOGGED_ICON: Record<LoggedKind, ReactNode> = {
  call: <IconPhone size={13} className="activity-icon icon-logged" />,
  email: <IconMail size={13} className="activity-icon icon-logged" />,
  meeting: <IconUsers size={13} className="activity-icon icon-logged" />,
  note: <IconNote size={13} className="activity-icon icon-logged" />,
};

/** How a timeline row reads: its icon, title, a quoted detail, and whether its changes list adds anything. */
type ActivityView = { icon: ReactNode; title: ReactNode; quote: string | null; quoteMono?: boolean; showChanges: boolean; tone?: string };

function activityView(a: Activity): ActivityView {
  switch (a.activityType) {
    case "reminder": {
      const r = reminderActivityText(a.description);
      return { icon: <IconBell size={13} className="activity-icon" />, title: r.title, quote: r.message, showChanges: true };
    }
    case "event": {
      // "page_view: /pricing"
      const e = eventActivity(a.description);
      return {
        icon: <IconPointer size={13} className="activity-icon icon-event" />,
        title: (
          <>
            {humanize(e.type)} <span className="activity-kind">event</span>
          </>
        ),
        quote: e.value,
        quoteMono: true,
        showChanges: true,
      };
    }
    case "inquiry": {
      // "Inquiry (email): Asked for pricing"
      const m = /^Inquiry \(([^)]*)\):\s*([\s\S]*)$/.exec(a.description);
      return {
        icon: <IconMessage size={13} className="activity-icon icon-inquiry" />,
        title: m ? `Inquiry by ${humanize(m[1]).toLowerCase()}` : a.description,
        quote: m ? m[2] || null : null,
        showChanges: true,
      };
    }
    case "score": {
      // "Score 40 → 55 (inquiry): Inquiry (email): …"; the changes list says 40 → 55 again.
      const sc = scoreActivity(a.description);
      if (!sc) return { icon: null, title: a.description, quote: null, showChanges: true };
      const up = sc.to >= sc.from;
      return {
        icon: up ? <IconTrendUp size={13} className="activity-icon icon-score-up" /> : <IconTrendDown size={13} className="activity-icon icon-score-down" />,
        title: (
          <>
            Score <span className="tabular">{sc.from}</span> → <b className="tabular">{sc.to}</b>{" "}
            <span className={`activity-delta tabular ${up ? "is-pos" : "is-neg"}`}>
              {up ? "+" : "−"}
              {Math.abs(sc.to - sc.from)}
            </span>{" "}
            <span className="activity-kind">{humanize(sc.cause).toLowerCase()}</span>
          </>
        ),
        quote: sc.detail || null,
        showChanges: false,
      };
    }
    case "call_made":
    case "email_sent":
    case "meeting_held":
    case "note_added": {
      // Logged by hand: "Call · Left a voicemail · 15 min", the message quoted.
      const logged = loggedKind(a.activityType)!;
      const details = [a.outcome, a.durationMinutes ? `${a.durationMinutes} min` : null].filter(Boolean);
      const quote = a.description && a.description !== a.outcome ? a.description : null;
      return {
        icon: LOGGED_ICON[logged.id],
        title: (
          <>
            {logged.label}
            {details.length > 0 && <span className="activity-kind"> · {details.join(" · ")}</span>}
          </>
        ),
        quote,
        showChanges: false,
      };
    }
    case "threshold": {
      // "Became hot: score 72 reached 70" / "No longer hot: score 64 fell below 70"
      const down = a.description.startsWith("No longer");
      return {
        icon: <IconFlame size={13} className={`activity-icon ${down ? "icon-threshold-down" : "icon-threshold"}`} />,
        title: a.description,
        quote: null,
        showChanges: true,
        tone: down ? "down" : "up",
      };
    }
    default:
      return { icon: null, title: a.description, quote: null, showChanges: true };
  }
}

function ActivityItem({ a }: { a: Activity }) {
  const v = activityView(a);
  return (
    <li className={`activity type-${a.activityType}${v.icon ? " has-icon" : ""}${v.tone ? ` tone-${v.tone}` : ""}`} data-testid="activity-item" data-type={a.activityType}>
      {v.icon}
      <div className="activity-head">
        <span className="activity-desc">{v.title}</span>
        <time className="activity-time" dateTime={a.createdAt} title={formatDateTime(a.createdAt)}>
          {relativeTime(a.createdAt)}
        </time>
      </div>
      {v.quote && (
        <div className={`activity-quote${v.quoteMono ? " mono" : ""}`} data-testid={a.activityType === "reminder" ? "activity-reminder-message" : undefined}>
          {v.quote}
        </div>
      )}
      {a.userName && <div className="activity-by">by {a.userName}</div>}
      {v.showChanges && a.changes.length > 0 && (
        <ul className="changes">
          {a.changes.map((c, i) => (
            <li key={`${c.field}-${i}`} data-testid="activity-change">
              <span className="chg-field">{fieldLabel(c.field)}: </span>
              <Value v={c.old} className="old" />
              <span className="arrow"> → </span>
              <Value v={c.new} className="new" />
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function Value({ v, className }: { v: string | null; className: string }) {
  if (v === null || v === "") return <span className={`${className} none`}>empty</span>;
  return <span className={className}>{v}</span>;
}
