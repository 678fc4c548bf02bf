import "./companies.css";
import { useEffect, useRef, useState } from "react";
import { commands, type Company, type CompanyInput } from "../../bindings";
import { routeFormError } from "../../core/errors";
import { Modal } from "../../core/Modal";
import { FormAlert, FormButtons } from "../../core/ui";
import { useToast } from "../../core/Toasts";

const FIELDS = ["name", "website", "industry", "companySize"] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string>;
type Errors = Partial<Record<Field, string>>;

const isField = (f: string | null): f is Field => f !== null && (FIELDS as readonly string[]).includes(f);
const opt = (s: string) => (s.trim() === "" ? null : s.trim());

export function validateCompany(v: Values): Errors {
  const e: Errors = {};
  if (!v.name.trim()) e.name = "Enter a company name.";
  const size = v.companySize.trim();
  if (size !== "" && !/^\d+$/.test(size)) e.companySize = "Size must be a whole number of employees.";
  return e;
}

export function CompanyForm({
  company,
  onClose,
  onSaved,
}: {
  company: Company | null;
  onClose: () => void;
  onSaved: (c: Company, created: boolean) => void;
}) {
  const toast = useToast();
  const [values, setValues] = useState<Values>({
    name: company?.name ?? "",
    website: company?.website ?? "",
    industry: company?.industry ?? "",
    companySize: company?.companySize != null ? String(company.companySize) : "",
  });
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [focusField, setFocusField] = useState<{ field: Field } | null>(null);
  const inputs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});

  useEffect(() => {
    if (focusField) inputs.current[focusField.field]?.focus();
  }, [focusField]);

  const submit = async () => {
    if (busy) return;
    const local = validateCompany(values);
    const firstBad = FIELDS.find((f) => local[f]);
    if (firstBad) {
      setErrors(local);
      setFocusField({ field: firstBad });
      return;
    }
    setBusy(true);
    setErrors({});
    setFormError(null);
    const input: CompanyInput = {
      name: values.name.trim(),
      website: opt(values.website),
      industry: opt(values.industry),
      companySize: values.companySize.trim() === "" ? null : Number(values.companySize),
    };
    try {
      const saved = company ? await commands.companyUpdate({ id: company.id, input }) : await commands.companyCreate({ input });
      toast.push("success", company ? "Company updated" : `Company “${saved.name}” created`);
      onSaved(saved, !company);
    } catch (e) {
      routeFormError(e, isField, {
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

  const input = (key: Field, label: string, type = "text", optional = false) => (
    <div className={`field${key === "name" ? " full" : ""}`}>
      <label htmlFor={`company-${key}`}>
        {label}
        {optional && <span className="opt"> · optional</span>}
      </label>
      <input
        id={`company-${key}`}
        ref={(el) => {
          inputs.current[key] = el;
        }}
        className="input"
        type={type}
        data-testid={`field-${key}`}
        data-autofocus={key === "name" ? true : undefined}
        value={values[key]}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={errors[key] ? `company-${key}-error` : undefined}
        min={type === "number" ? 0 : undefined}
        onChange={(e) => {
          const v = e.target.value;
          setValues((s) => ({ ...s, [key]: v }));
          if (errors[key]) setErrors((er) => ({ ...er, [key]: undefined }));
        }}
      />
      {errors[key] && (
        <div className="field-error" id={`company-${key}-error`} data-testid={`error-${key}`} role="alert">
          {errors[key]}
        </div>
      )}
    </div>
  );

  return (
    <Modal
      title={company ? "Edit company" : "New company"}
      size="sm"
      onClose={onClose}
      testId="company-form"
      onSubmit={() => void submit()}
      footer={
        <FormButtons
          testPrefix="company"
          busy={busy}
          submitLabel={company ? "Save changes" : "Create company"}
          onCancel={onClose}
        />
      }
    >
      <FormAlert message={formError} />
      <div className="form-grid">
        {input("name", "Name")}
        {input("website", "Website", "text", true)}
        {input("industry", "Industry", "text", true)}
        {input("companySize", "Employees", "number", true)}
      </div>
    </Modal>
  );
}
