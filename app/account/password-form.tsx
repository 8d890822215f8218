"use client";

import { useActionState } from "react";
import { changePasswordAction } from "@/lib/actions/account";
import { IDLE } from "@/lib/actions/result";
import { BUTTON } from "@/components/ui/button";
import { FieldMessage, INPUT, describedBy } from "@/components/ui/field";
import { MESSAGE } from "@/components/ui/tone";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/constants";

const FIELDS = [
  { name: "current", label: "Current password", autoComplete: "current-password", hint: "The one you signed in with." },
  { name: "next", label: "New password", autoComplete: "new-password", hint: `At least ${MIN_PASSWORD_LENGTH} characters.` },
  { name: "repeat", label: "New password again", autoComplete: "new-password", hint: "The same, to catch a typo." },
] as const;

export function PasswordForm() {
  const [state, action, pending] = useActionState(changePasswordAction, IDLE);
  return (
    // Remounted after a success so no password stays in the fields.
    <form key={state.message ?? "form"} action={action} className="mt-4 max-w-sm space-y-4" data-testid="password-form">
      {FIELDS.map((field) => {
        const id = `password-${field.name}`;
        const error = state.fieldErrors[field.name];
        return (
          <div key={field.name}>
            <label htmlFor={id} className="block text-sm font-medium">{field.label}</label>
            <input
              id={id}
              name={field.name}
              type="password"
              required
              minLength={field.name === "current" ? undefined : MIN_PASSWORD_LENGTH}
              autoComplete={field.autoComplete}
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy(id, error)}
              className={INPUT}
            />
            <FieldMessage id={id} error={error} hint={field.hint} />
          </div>
        );
      })}
      <p className="text-xs text-slate-600 dark:text-slate-300">Your other sessions are signed out; this one stays.</p>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className={BUTTON.primary}>{pending ? "Changing…" : "Change password"}</button>
        {state.message ? <p role="status" className={MESSAGE.ok}>{state.message}</p> : null}
        {state.error && Object.keys(state.fieldErrors).length === 0 ? <p role="alert" className={MESSAGE.error}>{state.error}</p> : null}
      </div>
    </form>
  );
}
