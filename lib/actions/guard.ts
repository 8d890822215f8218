// What every server action does first: the role check (403 or the way to /login), then its form parsed with zod.
import type { z } from "zod";
import type { Role } from "@/lib/auth/roles";
import { requireRole, type SessionUser } from "@/lib/auth/session";
import { invalid, type ActionResult, type FieldErrors } from "@/lib/actions/result";

/** A form field as text ("" when absent or a file). */
export function formText(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

/** The first message per field, for showing beside each field. */
function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return errors;
}

export type Guarded<T> = { ok: true; user: SessionUser; input: T } | { ok: false; result: ActionResult };

/** The signed-in user with at least `role` and `raw` parsed by `schema`, or the refusal to answer with. */
export async function guardAction<S extends z.ZodType>(role: Role, schema: S, raw: unknown): Promise<Guarded<z.output<S>>> {
  const user = await requireRole(role);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return { ok: false, result: invalid(parsed.error.issues[0]?.message ?? "The form is not valid.", fieldErrors) };
  }
  return { ok: true, user, input: parsed.data };
}
