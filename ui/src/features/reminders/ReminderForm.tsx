import "./reminders.css";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { commands, type Reminder, type ReminderInput } from "../../bindings";
import { createLatest } from "../../core/latest";
import { routeFormError, toAppError } from "../../core/errors";
import { relativeTime } from "../../core/format";
import {
  QUICK_PICKS,
  REMIND_OFFSETS,
  REPEATS,
  formatWhen,
  offsetLabel,
  parseLocalText,
  parseTime,
  quickPickTime,
  remindOffsetMinutes,
  repeatFormValue,
  toLocalInputValue,
  toLocalText,
  type QuickPick,
} from "./reminders";
import { Modal } from "../../core/Modal";
import { useNow } from "./ReminderBits";
import { FormAlert, FormButtons, Spinner } from "../../core/ui";
import { IconAlert, IconUser } from "../../core/icons";
import { useToast } from "../../core/Toasts";

export const REMINDER_FIELDS = ["message", "dueAt", "remindAt", "recurrence"] as const;
export type ReminderField = (typeof REMINDER_FIELDS)[number];
type Errors = Partial<Record<ReminderField, string>>;

/** How long typing in the custom time pauses before it is resolved. */
export const CUSTOM_TIME_DEBOUNCE_MS = 250;

type WhenMode = QuickPick | "custom";
type Resolution =
  | { status: "empty" }
  | { status: "pending"; text: string }
  | { status: "ok"; text: string; at: Date }
  | { status: "error"; text: string; message: string };

function isReminderField(f: string | null): f is ReminderField {
  return f !== null && (REMINDER_FIELDS as readonly string[]).includes(f);
}

/**
 * Custom time text → a moment. "2026-12-01 09:00" (what the date picker and editing produce) is
 * read here as local time; everything else ("+2h", "tomorrow 14:00", "monday 9:00", RFC 3339)
 * goes through the backend, the same reader as the CLI's --at.
 */
export async function resolveReminderTime(text: string): Promise<Date> {
  const local = parseLocalText(text);
  if (local) return local;
  const iso = await commands.reminderParseTime({ text: text.trim() });
  const at = parseTime(iso);
  if (!at) throw { code: "invalid_time", message: `The app answered “${iso}”, which is not a time.`, field: "dueAt" };
  return at;
}

export function ReminderForm({
  lead,
  reminder,
  onClose,
  onSaved,
}: {
  lead: { id: string; name: string };
  reminder: Reminder | null;
  onClose: () => void;
  onSaved: (reminder: Reminder) => void;
}) {
  const toast = useToast();
  const now = useNow(15_000);
  const initialDue = reminder ? parseTime(reminder.dueAt) : null;
  const initialRepeat = repeatFormValue(reminder?.recurrence ?? null);
  const [message, setMessage] = useState(reminder?.message ?? "");
  const [mode, setMode] = useState<WhenMode>(reminder ? "custom" : "tomorrow");
  const [customText, setCustomText] = useState(initialDue ? toLocalText(initialDue) : "");
  const [resolution, setResolution] = useState<Resolution>(
    initialDue ? { status: "ok", text: toLocalText(initialDue), at: initialDue } : { status: "empty" },
  );
  const [repeat, setRepeat] = useState<string>(initialRepeat.repeat);
  const [rule, setRule] = useState(initialRepeat.rule);
  const [offset, setOffset] = useState(reminder ? remindOffsetMinutes(reminder) : 0);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [focusField, setFocusField] = useState<{ field: ReminderField } | null>(null);
  const inputs = useRef<Partial<Record<ReminderField, HTMLElement | null>>>({});
  const latest = useRef(createLatest());
  const customRef = useRef<HTMLInputElement | null>(null);

  useEffect(() => {
    if (focusField) inputs.current[focusField.field]?.focus();
  }, [focusField]);

  // Resolve the custom text as the user types (debounced; the newest answer wins).
  const text = customText.trim();
  useEffect(() => {
    if (mode !== "custom") return;
    if (!text) {
      latest.current.cancel();
      setResolution({ status: "empty" });
      return;
    }
    setResolution((r) => (r.status !== "empty" && r.text === text ? r : { status: "pending", text }));
    const t = setTimeout(() => {
      latest.current.run(() => resolveReminderTime(text)).then(
        (res) => !res.stale && setResolution({ status: "ok", text, at: res.value }),
        (e: unknown) => setResolution({ status: "error", text, message: toAppError(e).message }),
      );
    }, CUSTOM_TIME_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [mode, text]);

  const clearError = (key: ReminderField) => {
    if (errors[key]) setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const chooseMode = (m: WhenMode) => {
    setMode(m);
    clearError("dueAt");
    clearError("remindAt");
    if (m === "custom") setTimeout(() => customRef.current?.focus(), 0);
  };

  // What the "when" currently stands for (quick picks are recomputed at save time).
  const due: Date | null = mode === "custom" ? (resolution.status === "ok" ? resolution.at : null) : quickPickTime(mode, now);
  const remindAt = due && offset ? new Date(due.getTime() - offset * 60_000) : due;

  const submit = async () => {
    if (busy) return;
    const local: Errors = {};
    if (!message.trim()) local.message = "Enter what to follow up on.";
    if (mode === "custom" && !text) local.dueAt = "Enter when, e.g. tomorrow 14:00 or +2h.";
    if (repeat === "custom" && !rule.trim()) local.recurrence = "Enter a rule, e.g. FREQ=WEEKLY;BYDAY=MO,TH.";
    const firstBad = REMINDER_FIELDS.find((f) => local[f]);
    if (firstBad) {
      setErrors(local);
      setFormError(null);
      setFocusField({ field: firstBad });
      return;
    }
    setBusy(true);
    setErrors({});
    setFormError(null);
    try {
      let at: Date;
      if (mode === "custom") {
        try {
          at = await resolveReminderTime(text);
        } catch (e) {
          setErrors({ dueAt: toAppError(e).message });
          setFocusField({ field: "dueAt" });
          return;
        }
      } else {
        at = quickPickTime(mode, new Date());
      }
      const input: ReminderInput = {
        leadId: lead.id,
        message: message.trim(),
        dueAt: at.toISOString(),
        remindAt: offset ? new Date(at.getTime() - offset * 60_000).toISOString() : null,
        recurrence: repeat === "custom" ? rule.trim() : repeat || null,
      };
      const saved = reminder ? await commands.reminderUpdate({ id: reminder.id, input }) : await commands.reminderCreate({ input });
      const when = parseTime(saved.dueAt);
      const label = when ? formatWhen(when) : saved.dueAt;
      toast.push("success", reminder ? `Reminder saved for ${label}` : `Reminder set for ${label}`);
      onSaved(saved);
    } catch (e) {
      routeFormError(e, isReminderField, {
        fieldError: (field, message) => {
          setErrors({ [field]: message });
          setFocusField({ field });
        },
        formError: setFormError,
      });
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (key: ReminderField) =>
    errors[key] && (
      <div className="field-error" id={`reminder-${key}-error`} data-testid={`error-${key}`} role="alert">
        {errors[key]}
      </div>
    );

  const a11y = (key: ReminderField) => ({
    "aria-invalid": errors[key] ? true : undefined,
    "aria-describedby": errors[key] ? `reminder-${key}-error` : undefined,
  });

  const field = (key: ReminderField, label: string, htmlFor: string, control: ReactNode, opts: { full?: boolean } = {}) => (
    <div className={`field${opts.full ? " full" : ""}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {control}
      {fieldError(key)}
    </div>
  );

  const offsets: { minutes: number; label: string }[] = [...REMIND_OFFSETS];
  if (!offsets.some((o) => o.minutes === offset)) offsets.push({ minutes: offset, label: offsetLabel(offset) });

  let preview: ReactNode;
  if (mode !== "custom" || resolution.status === "ok") {
    preview = due && (
      <>
        <span className="when-value">{formatWhen(due, now)}</span>
        <span className="faint"> · {relativeTime(due.toISOString(), now.getTime())}</span>
      </>
    );
  } else if (resolution.status === "pending") {
    preview = (
      <>
        <Spinner label="Reading the time" /> <span className="faint">Reading…</span>
      </>
    );
  } else if (resolution.status === "error") {
    preview = (
      <span className="when-error">
        <IconAlert size={13} />
        {resolution.message}
      </span>
    );
  } else {
    preview = <span className="faint">Type a time or pick one from the calendar.</span>;
  }

  const nowMs = now.getTime();
  let timing: string | null = null;
  if (due && due.getTime() <= nowMs) timing = "That time has passed: the reminder will be listed as overdue right away.";
  else if (remindAt && remindAt.getTime() <= nowMs) timing = "The reminder time has passed: it pops up as soon as you save.";

  return (
    <Modal
      title={reminder ? "Edit reminder" : "New reminder"}
      onClose={onClose}
      testId="reminder-form"
      onSubmit={() => void submit()}
      footer={
        <FormButtons
          testPrefix="reminder"
          busy={busy}
          submitLabel={reminder ? "Save reminder" : "Add reminder"}
          onCancel={onClose}
          hint="Enter to save · Esc to cancel"
        />
      }
    >
      <div className="form-context" data-testid="reminder-lead-name">
        <IconUser size={14} />
        Follow up with <strong>{lead.name}</strong>
      </div>
      <FormAlert message={formError} />
      <div className="form-grid">
        {field(
          "message",
          "Message",
          "reminder-message",
          <input
            id="reminder-message"
            className="input"
            data-testid="reminder-message"
            data-autofocus
            placeholder="e.g. Send the pilot proposal"
            autoComplete="off"
            value={message}
            maxLength={2000}
            ref={(el) => {
              inputs.current.message = el;
            }}
            onChange={(e) => {
              setMessage(e.target.value);
              clearError("message");
            }}
            {...a11y("message")}
          />,
          { full: true },
        )}
        <div className="field full">
          <span className="label" id="reminder-when-label">
            When
          </span>
          <div className="segmented" role="radiogroup" aria-labelledby="reminder-when-label">
            {[...QUICK_PICKS, { id: "custom" as const, label: "Custom…" }].map((p) => (
              <button
                key={p.id}
                type="button"
                role="radio"
                aria-checked={mode === p.id}
                className="segment"
                data-testid={`reminder-quick-${p.id}`}
                ref={
                  p.id === "custom"
                    ? undefined
                    : (el) => {
                        if (mode !== "custom" && mode === p.id) inputs.current.dueAt = el;
                      }
                }
                onClick={() => chooseMode(p.id)}
              >
                {p.label}
              </button>
            ))}
          </div>
          {mode === "custom" && (
            <div className="custom-when">
              <input
                id="reminder-custom-at"
                className="input"
                data-testid="reminder-custom-at"
                aria-label="Custom time"
                placeholder="tomorrow 14:00, +2h, 2026-12-01 09:00"
                autoComplete="off"
                spellCheck={false}
                value={customText}
                ref={(el) => {
                  customRef.current = el;
                  inputs.current.dueAt = el;
                }}
                onChange={(e) => {
                  setCustomText(e.target.value);
                  clearError("dueAt");
                }}
                {...a11y("dueAt")}
              />
              <input
                type="datetime-local"
                className="input picker"
                data-testid="reminder-custom-picker"
                aria-label="Pick a date and time"
                title="Pick a date and time"
                value={resolution.status === "ok" ? toLocalInputValue(resolution.at) : ""}
                onChange={(e) => {
                  const picked = parseLocalText(e.target.value);
                  if (!picked) return;
                  setCustomText(toLocalText(picked));
                  clearError("dueAt");
                }}
              />
            </div>
          )}
          <div className="when-preview" data-testid="reminder-when-preview" data-state={mode === "custom" ? resolution.status : "ok"} aria-live="polite">
            {preview}
          </div>
          {fieldError("dueAt")}
        </div>
        {field(
          "recurrence",
          "Repeat",
          "reminder-repeat",
          <>
            <select
              id="reminder-repeat"
              className="input"
              data-testid="reminder-repeat"
              value={repeat}
              ref={(el) => {
                if (repeat !== "custom") inputs.current.recurrence = el;
              }}
              onChange={(e) => {
                setRepeat(e.target.value);
                clearError("recurrence");
              }}
              {...(repeat === "custom" ? {} : a11y("recurrence"))}
            >
              {REPEATS.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
            {repeat === "custom" && (
              <input
                className="input mono"
                data-testid="reminder-rrule"
                aria-label="Repeat rule (RRULE)"
                placeholder="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
                autoComplete="off"
                spellCheck={false}
                value={rule}
                ref={(el) => {
                  inputs.current.recurrence = el;
                }}
                onChange={(e) => {
                  setRule(e.target.value);
                  clearError("recurrence");
                }}
                {...a11y("recurrence")}
              />
            )}
          </>,
        )}
        {field(
          "remindAt",
          "Remind me",
          "reminder-remind-offset",
          <select
            id="reminder-remind-offset"
            className="input"
            data-testid="reminder-remind-offset"
            value={offset}
            ref={(el) => {
              inputs.current.remindAt = el;
            }}
            onChange={(e) => {
              setOffset(Number(e.target.value));
              clearError("remindAt");
            }}
            {...a11y("remindAt")}
          >
            {offsets.map((o) => (
              <option key={o.minutes} value={o.minutes}>
                {o.label}
              </option>
            ))}
          </select>,
        )}
        {timing && (
          <div className="field-hint full" data-testid="reminder-timing-hint">
            {timing}
          </div>
        )}
      </div>
    </Modal>
  );
}
