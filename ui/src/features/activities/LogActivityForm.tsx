import "./activities.css";
import { useState, type ReactNode } from "react";
import { commands, type Activity, type LoggedKind } from "../../bindings";
import { routeFormError } from "../../core/errors";
import { Modal } from "../../core/Modal";
import { FormAlert, FormButtons } from "../../core/ui";
import { IconUser } from "../../core/icons";

/** Each kind the user logs, the `activityType` it is stored as, and what the toast says. */
export const LOGGED_KINDS: { id: LoggedKind; label: string; activityType: string; done: string }[] = [
  { id: "call", label: "Call", activityType: "call_made", done: "Call logged" },
  { id: "email", label: "Email", activityType: "email_sent", done: "Email logged" },
  { id: "meeting", label: "Meeting", activityType: "meeting_held", done: "Meeting logged" },
  { id: "note", label: "Note", activityType: "note_added", done: "Note added" },
];

/** The logged kind an activity type is, if it is one. */
export function loggedKind(activityType: string) {
  return LOGGED_KINDS.find((k) => k.activityType === activityType);
}

/** Quick picks for a call's or meeting's outcome; anything else can be typed. */
export const OUTCOMES: Partial<Record<LoggedKind, string[]>> = {
  call: ["Talked", "Left a voicemail", "No answer", "Wrong number"],
  meeting: ["Held", "Booked a demo", "Sent a proposal", "No-show"],
};

const FIELDS = ["message", "outcome", "durationMinutes"] as const;
type Field = (typeof FIELDS)[number];
const isField = (f: string | null): f is Field => f !== null && (FIELDS as readonly string[]).includes(f);

/** Log a call, an email, a meeting or a note on a lead. */
export function LogActivityForm({
  lead,
  kind: initialKind,
  onClose,
  onSaved,
}: {
  lead: { id: string; name: string };
  kind: LoggedKind;
  onClose: () => void;
  onSaved: (a: Activity) => void;
}) {
  const [kind, setKind] = useState<LoggedKind>(initialKind);
  const [message, setMessage] = useState("");
  const [outcome, setOutcome] = useState("");
  const [duration, setDuration] = useState("");
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const timed = kind === "call" || kind === "meeting";

  const submit = async () => {
    const minutes = duration.trim() === "" ? null : Number(duration);
    if (timed && minutes !== null && (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)) {
      setErrors({ durationMinutes: "A duration is 1 to 1440 whole minutes" });
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      const saved = await commands.activityLog({
        input: { leadId: lead.id, kind, message, outcome: timed && outcome.trim() ? outcome.trim() : null, durationMinutes: timed ? minutes : null },
      });
      onSaved(saved);
    } catch (e) {
      routeFormError(e, isField, { fieldError: (field, msg) => setErrors({ [field]: msg }), formError: setFormError });
    } finally {
      setBusy(false);
    }
  };

  const field = (key: Field, label: string, control: ReactNode, full = false) => (
    <div className={`field${full ? " full" : ""}`}>
      <label htmlFor={`activity-${key}`}>{label}</label>
      {control}
      {errors[key] && (
        <div className="field-error" id={`activity-${key}-error`} data-testid={`error-${key}`} role="alert">
          {errors[key]}
        </div>
      )}
    </div>
  );
  const a11y = (key: Field) => ({
    id: `activity-${key}`,
    "aria-invalid": errors[key] ? true : undefined,
    "aria-describedby": errors[key] ? `activity-${key}-error` : undefined,
  });

  return (
    <Modal
      title="Log activity"
      onClose={onClose}
      testId="activity-form"
      onSubmit={() => void submit()}
      footer={<FormButtons testPrefix="activity" busy={busy} submitLabel="Log it" onCancel={onClose} hint="Ctrl+Enter to save · Esc to cancel" />}
    >
      <div className="form-context" data-testid="activity-lead-name">
        <IconUser size={14} />
        With <strong>{lead.name}</strong>
      </div>
      <FormAlert message={formError} />
      <div className="form-grid">
        <div className="field full">
          <span className="label" id="activity-kind-label">
            What
          </span>
          <div className="segmented" role="radiogroup" aria-labelledby="activity-kind-label">
            {LOGGED_KINDS.map((k) => (
              <button
                key={k.id}
                type="button"
                role="radio"
                aria-checked={kind === k.id}
                className="segment"
                data-testid={`activity-kind-${k.id}`}
                onClick={() => {
                  setKind(k.id);
                  setErrors({});
                }}
              >
                {k.label}
              </button>
            ))}
          </div>
        </div>
        {timed &&
          field(
            "outcome",
            "Outcome",
            <>
              <input
                {...a11y("outcome")}
                className="input"
                data-testid="activity-outcome"
                list="activity-outcomes"
                autoComplete="off"
                maxLength={200}
                placeholder={OUTCOMES[kind]?.[0]}
                value={outcome}
                onChange={(e) => {
                  setOutcome(e.target.value);
                  setErrors((x) => ({ ...x, outcome: undefined, message: undefined }));
                }}
              />
              <datalist id="activity-outcomes">
                {(OUTCOMES[kind] ?? []).map((o) => (
                  <option key={o} value={o} />
                ))}
              </datalist>
            </>,
          )}
        {timed &&
          field(
            "durationMinutes",
            "Minutes",
            <input
              {...a11y("durationMinutes")}
              className="input tabular"
              data-testid="activity-duration"
              inputMode="numeric"
              autoComplete="off"
              placeholder="15"
              value={duration}
              onChange={(e) => {
                setDuration(e.target.value);
                setErrors((x) => ({ ...x, durationMinutes: undefined }));
              }}
            />,
          )}
        {field(
          "message",
          kind === "note" ? "Note" : "What happened",
          <textarea
            {...a11y("message")}
            className="input"
            data-testid="activity-message"
            data-autofocus
            rows={4}
            maxLength={5000}
            placeholder={kind === "email" ? "e.g. Sent the pricing sheet" : kind === "note" ? "Anything worth remembering" : "e.g. Wants a demo next week"}
            value={message}
            onChange={(e) => {
              setMessage(e.target.value);
              setErrors((x) => ({ ...x, message: undefined }));
            }}
            onKeyDown={(e) => {
              // Enter makes a new line in a textarea; Ctrl/⌘+Enter saves.
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void submit();
              }
            }}
          />,
          true,
        )}
      </div>
    </Modal>
  );
}
