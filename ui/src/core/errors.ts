import type { AppError } from "../bindings";

export function isAppError(e: unknown): e is AppError {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as AppError).code === "string" &&
    typeof (e as AppError).message === "string"
  );
}

/** Normalise anything a command can reject with into an AppError. */
export function toAppError(e: unknown): AppError {
  if (isAppError(e)) return { code: e.code, message: e.message, field: e.field ?? null };
  if (e instanceof Error) return { code: "internal", message: e.message, field: null };
  if (typeof e === "string") return { code: "internal", message: e, field: null };
  return { code: "internal", message: "Something went wrong.", field: null };
}

export function errorMessage(e: unknown): string {
  return toAppError(e).message;
}

/**
 * Where a form shows a failed save: under the field the error names (and focus it) when the form
 * has that field, otherwise in the form's alert.
 */
export function routeFormError<F extends string>(
  e: unknown,
  isField: (field: string | null) => field is F,
  show: { fieldError: (field: F, message: string) => void; formError: (message: string) => void },
): void {
  const err = toAppError(e);
  if (isField(err.field)) show.fieldError(err.field, err.message);
  else show.formError(err.message);
}
