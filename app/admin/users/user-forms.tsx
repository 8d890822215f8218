"use client";

import { useActionState } from "react";
import { createUserAction, deleteUserAction, setRoleAction, temporaryPasswordAction, type TemporaryPasswordState } from "@/lib/actions/admin";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { IDLE, type ActionResult } from "@/lib/actions/result";
import { BUTTON } from "@/components/ui/button";
import { INPUT } from "@/components/ui/field";
import { MESSAGE } from "@/components/ui/tone";
import { ROLES, type Role } from "@/lib/auth/roles";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/constants";


function Feedback({ state }: { state: ActionResult }) {
  if (state.error) return <p role="alert" className={MESSAGE.error}>{state.error}</p>;
  if (state.message) return <p role="status" className={MESSAGE.ok}>{state.message}</p>;
  return null;
}

export function CreateUserForm() {
  const [state, action, pending] = useActionState(createUserAction, IDLE);
  return (
    // Remounted after a success so the fields (the password above all) are cleared.
    <form key={state.message ?? "form"} action={action} className="mt-4 grid gap-4 sm:grid-cols-2" data-testid="create-user-form">
      <div>
        <label htmlFor="new-user-email" className="block text-sm font-medium">Email</label>
        <input id="new-user-email" name="email" type="email" required autoComplete="off" className={INPUT} />
      </div>
      <div>
        <label htmlFor="new-user-name" className="block text-sm font-medium">Name <span className="font-normal text-slate-500 dark:text-slate-400">(optional)</span></label>
        <input id="new-user-name" name="name" autoComplete="off" className={INPUT} />
      </div>
      <div>
        <label htmlFor="new-user-password" className="block text-sm font-medium">Password</label>
        <input id="new-user-password" name="password" type="password" required minLength={MIN_PASSWORD_LENGTH} autoComplete="new-password" aria-describedby="new-user-password-hint" className={INPUT} />
        <p id="new-user-password-hint" className="mt-1 text-xs text-slate-500 dark:text-slate-400">At least {MIN_PASSWORD_LENGTH} characters. Give it to the user through a safe channel.</p>
      </div>
      <div>
        <label htmlFor="new-user-role" className="block text-sm font-medium">Role</label>
        <select id="new-user-role" name="role" defaultValue="viewer" className={INPUT}>
          {ROLES.map((role) => <option key={role} value={role}>{role}</option>)}
        </select>
      </div>
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
        <button type="submit" disabled={pending} className={BUTTON.primary}>{pending ? "Creating…" : "Create user"}</button>
        <Feedback state={state} />
      </div>
    </form>
  );
}

export function RoleForm({ email, role }: { email: string; role: Role }) {
  const [state, action, pending] = useActionState(setRoleAction, IDLE);
  const id = `role-${email}`;
  return (
    <form key={role} action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="email" value={email} />
      <label htmlFor={id} className="sr-only">Role of {email}</label>
      <select id={id} name="role" defaultValue={role} className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950">
        {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
      </select>
      <button type="submit" disabled={pending} className={BUTTON.quiet} aria-label={`Change the role of ${email}`}>{pending ? "Saving…" : "Change"}</button>
      <div className="basis-full"><Feedback state={state} /></div>
    </form>
  );
}

export function DeleteUserForm({ email }: { email: string }) {
  const [state, action, pending] = useActionState(deleteUserAction, IDLE);
  return (
    <details className="inline-block text-left">
      <summary className="cursor-pointer list-none text-xs font-semibold text-rose-700 hover:underline dark:text-rose-400" aria-label={`Delete ${email}…`}>Delete…</summary>
      <form action={action} className="mt-2 space-y-1">
        <input type="hidden" name="email" value={email} />
        <button type="submit" disabled={pending} className={BUTTON.danger}>{pending ? "Deleting…" : `Delete ${email}`}</button>
        <Feedback state={state} />
      </form>
    </details>
  );
}

const NO_TEMPORARY: TemporaryPasswordState = { ...IDLE, temporary: null };

/** Sets a temporary password (after asking), shown here once, that the user must change at their next sign-in. */
export function TemporaryPasswordForm({ email }: { email: string }) {
  const [state, action, pending] = useActionState(temporaryPasswordAction, NO_TEMPORARY);
  return (
    <form action={action} className="space-y-1 text-left">
      <input type="hidden" name="email" value={email} />
      <ConfirmSubmit
        label={pending ? "Setting…" : "Temporary password…"}
        disabled={pending}
        className="text-xs font-semibold text-sky-700 hover:underline dark:text-sky-400"
        action={`Set a temporary password for ${email}`}
      >
        <p>Their current password stops working and every session of theirs ends now. They must choose a new password at their next sign-in. You see the temporary one once.</p>
      </ConfirmSubmit>
      {state.temporary ? (
        <p role="status" className="max-w-xs rounded-md bg-amber-50 p-2 text-xs text-amber-900 dark:bg-amber-500/10 dark:text-amber-200" data-testid="temporary-password">
          Temporary password for {state.temporary.email}: <code className="select-all break-all font-mono font-semibold">{state.temporary.password}</code>
          <br />Pass it on through a safe channel; it is not shown again.
        </p>
      ) : state.error ? (
        <p role="alert" className={MESSAGE.error}>{state.error}</p>
      ) : null}
    </form>
  );
}
