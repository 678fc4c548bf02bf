import { useEffect, useRef, useState, type ReactNode } from "react";
import { commands, type Lead, type LeadInput } from "../../bindings";
import { useSources, useStages } from "./queries";
import { routeFormError } from "../../core/errors";
import { STATUSES, statusLabel } from "../../core/format";
import { Modal } from "../../core/Modal";
import { FormAlert, FormButtons } from "../../core/ui";
import { useToast } from "../../core/Toasts";

export const LEAD_FIELDS = [
  "firstName",
  "lastName",
  "email",
  "phone",
  "companyName",
  "jobTitle",
  "stageId",
  "sourceId",
  "status",
  "score",
  "budget",
  "authority",
  "need",
  "timeline",
  "notes",
] as const;
export type LeadField = (typeof LEAD_FIELDS)[number];
type Values = Record<LeadField, string>;
type Errors = Partial<Record<LeadField, string>>;

function isLeadField(f: string | null): f is LeadField {
  return f !== null && (LEAD_FIELDS as readonly string[]).includes(f);
}

function initialValues(lead: Lead | null, defaultStageId: string): Values {
  if (!lead) {
    return {
      firstName: "",
      lastName: "",
      email: "",
      phone: "",
      companyName: "",
      jobTitle: "",
      stageId: defaultStageId,
      sourceId: "",
      status: "open",
      score: "",
      budget: "",
      authority: "",
      need: "",
      timeline: "",
      notes: "",
    };
  }
  return {
    firstName: lead.firstName,
    lastName: lead.lastName,
    email: lead.email ?? "",
    phone: lead.phoneDisplay ?? lead.phone ?? lead.phoneRaw ?? "",
    companyName: lead.companyName ?? "",
    jobTitle: lead.jobTitle ?? "",
    stageId: lead.stageId ?? "",
    sourceId: lead.sourceId ?? "",
    status: lead.status || "open",
    score: String(lead.score),
    budget: lead.budget ?? "",
    authority: lead.authority ?? "",
    need: lead.need ?? "",
    timeline: lead.timeline ?? "",
    notes: lead.notes ?? "",
  };
}

const opt = (s: string): string | null => (s.trim() === "" ? null : s.trim());
/** Before stages and sources have loaded (one shared empty list keeps renders stable). */
const NONE: never[] = [];

export function toLeadInput(v: Values, lead: Lead | null): LeadInput {
  return {
    firstName: v.firstName.trim(),
    lastName: v.lastName.trim(),
    email: opt(v.email),
    phone: opt(v.phone),
    companyName: opt(v.companyName),
    jobTitle: opt(v.jobTitle),
    stageId: opt(v.stageId),
    sourceId: opt(v.sourceId),
    status: opt(v.status),
    score: v.score.trim() === "" ? null : Number(v.score),
    budget: opt(v.budget),
    authority: opt(v.authority),
    need: opt(v.need),
    timeline: opt(v.timeline),
    notes: v.notes.trim() === "" ? null : v.notes,
    customFields: lead ? lead.customFields : null,
  };
}

/** Light client-side checks; the Rust side is the authority. */
export function validateLead(v: Values): Errors {
  const errors: Errors = {};
  if (!v.firstName.trim() && !v.lastName.trim()) errors.firstName = "Enter a first or last name.";
  const s = v.score.trim();
  if (s !== "" && (!/^\d+$/.test(s) || Number(s) > 100)) errors.score = "Score must be a whole number from 0 to 100.";
  return errors;
}

export function LeadForm({
  lead,
  onClose,
  onSaved,
}: {
  lead: Lead | null;
  onClose: () => void;
  onSaved: (lead: Lead, created: boolean) => void;
}) {
  const toast = useToast();
  const stages = useStages().data ?? NONE;
  const sources = useSources().data ?? NONE;
  const defaultStage = stages.find((s) => s.isDefault) ?? stages[0];
  const [values, setValues] = useState<Values>(() => initialValues(lead, defaultStage?.id ?? ""));
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [focusField, setFocusField] = useState<{ field: LeadField } | null>(null);
  const inputs = useRef<Partial<Record<LeadField, HTMLElement | null>>>({});

  useEffect(() => {
    if (focusField) inputs.current[focusField.field]?.focus();
  }, [focusField]);

  const set = (key: LeadField) => (value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (errors[key]) setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const submit = async () => {
    if (busy) return;
    const local = validateLead(values);
    const firstBad = LEAD_FIELDS.find((f) => local[f]);
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
      const input = toLeadInput(values, lead);
      const saved = lead ? await commands.leadUpdate({ id: lead.id, input }) : await commands.leadCreate({ input });
      toast.push("success", lead ? "Lead updated" : `Lead “${`${saved.firstName} ${saved.lastName}`.trim()}” created`);
      onSaved(saved, !lead);
    } catch (e) {
      routeFormError(e, isLeadField, {
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

  const field = (key: LeadField, label: string, control: ReactNode, opts: { full?: boolean; optional?: boolean } = {}) => (
    <div className={`field${opts.full ? " full" : ""}`}>
      <label htmlFor={`lead-${key}`}>
        {label}
        {opts.optional && <span className="opt"> · optional</span>}
      </label>
      {control}
      {errors[key] && (
        <div className="field-error" id={`lead-${key}-error`} data-testid={`error-${key}`} role="alert">
          {errors[key]}
        </div>
      )}
    </div>
  );

  const common = (key: LeadField) => ({
    id: `lead-${key}`,
    name: key,
    "data-testid": `field-${key}`,
    className: "input",
    value: values[key],
    "aria-invalid": errors[key] ? true : undefined,
    "aria-describedby": errors[key] ? `lead-${key}-error` : undefined,
    ref: (el: HTMLElement | null) => {
      inputs.current[key] = el;
    },
  });

  const text = (key: LeadField, type = "text", extra: Record<string, unknown> = {}) => (
    <input {...common(key)} type={type} autoComplete="off" spellCheck={false} onChange={(e) => set(key)(e.target.value)} {...extra} />
  );

  return (
    <Modal
      title={lead ? "Edit lead" : "New lead"}
      onClose={onClose}
      testId="lead-form"
      onSubmit={() => void submit()}
      footer={
        <FormButtons
          testPrefix="lead"
          busy={busy}
          submitLabel={lead ? "Save changes" : "Create lead"}
          onCancel={onClose}
            hint="Enter to save · Esc to cancel"
        />
      }
    >
      <FormAlert message={formError} />
      <div className="form-grid">
        {field("firstName", "First name", text("firstName", "text", { "data-autofocus": true }))}
        {field("lastName", "Last name", text("lastName"))}
        {field("email", "Email", text("email", "email"), { optional: true })}
        {field("phone", "Phone", text("phone", "tel"), { optional: true })}
        {field("companyName", "Company", text("companyName"), { optional: true })}
        {field("jobTitle", "Job title", text("jobTitle"), { optional: true })}
        {field(
          "stageId",
          "Stage",
          <select {...common("stageId")} onChange={(e) => set("stageId")(e.target.value)}>
            {!values.stageId && <option value="">No stage</option>}
            {stages.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>,
        )}
        {field(
          "status",
          "Status",
          <select {...common("status")} onChange={(e) => set("status")(e.target.value)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
            {values.status && !(STATUSES as readonly string[]).includes(values.status) && (
              <option value={values.status}>{statusLabel(values.status)}</option>
            )}
          </select>,
        )}
        {field(
          "sourceId",
          "Source",
          <select {...common("sourceId")} onChange={(e) => set("sourceId")(e.target.value)}>
            <option value="">None</option>
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>,
          { optional: true },
        )}
        {field("score", "Score (0–100)", text("score", "number", { min: 0, max: 100, step: 1, inputMode: "numeric" }), {
          optional: true,
        })}
        <div className="form-section">Qualification (BANT)</div>
        {field("budget", "Budget", text("budget"), { optional: true })}
        {field("authority", "Authority", text("authority"), { optional: true })}
        {field("need", "Need", text("need"), { optional: true })}
        {field("timeline", "Timeline", text("timeline"), { optional: true })}
        {field(
          "notes",
          "Notes",
          <textarea
            {...common("notes")}
            rows={4}
            onChange={(e) => set("notes")(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
                e.preventDefault();
                void submit();
              }
            }}
          />,
          { full: true, optional: true },
        )}
      </div>
    </Modal>
  );
}
