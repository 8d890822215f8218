"use client";

import { useActionState, useState } from "react";
import { createTokenAction, revokeTokenAction, type CreateTokenState } from "@/lib/actions/admin";
import { IDLE, type ActionResult } from "@/lib/actions/result";
import { BUTTON } from "@/components/ui/button";
import { INPUT } from "@/components/ui/field";
import { MESSAGE } from "@/components/ui/tone";

const idleCreate: CreateTokenState = { ...IDLE, created: null };

function NewToken({ created }: { created: NonNullable<CreateTokenState["created"]> }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="mt-4 space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-400/40 dark:bg-amber-500/10 dark:text-amber-100" data-testid="new-token">
      <p className="font-semibold">Token &ldquo;{created.name}&rdquo; ({created.scopes.join(", ")}): copy it now, it will not be shown again.</p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 dark:bg-slate-950 dark:text-slate-100" data-testid="new-token-value">{created.token}</code>
        <button
          type="button"
          className={BUTTON.quiet}
          onClick={() => {
            void navigator.clipboard?.writeText(created.token).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}

export function CreateTokenForm({ scopes }: { scopes: { scope: string; description: string }[] }) {
  const [state, action, pending] = useActionState(createTokenAction, idleCreate);
  return (
    <>
      <form key={state.created?.name ?? "form"} action={action} className="mt-4 space-y-4" data-testid="create-token-form">
        <div className="max-w-sm">
          <label htmlFor="token-name" className="block text-sm font-medium">Name</label>
          <input id="token-name" name="name" required maxLength={64} placeholder="ci-builder" autoComplete="off" className={`${INPUT} font-mono`} />
          <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">1 to 64 characters of A–Z a–z 0–9 . _ -</p>
        </div>
        <fieldset>
          <legend className="text-sm font-medium">Scopes</legend>
          <div className="mt-1 space-y-1.5">
            {scopes.map(({ scope, description }) => (
              <label key={scope} className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="scope" value={scope} defaultChecked={scope === "builds:write"} className="mt-0.5" />
                <span><span className="font-mono">{scope}</span> <span className="text-slate-600 dark:text-slate-300">{description}</span></span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" disabled={pending} className={BUTTON.primary}>{pending ? "Creating…" : "Create token"}</button>
          {state.error ? <p role="alert" className={MESSAGE.error}>{state.error}</p> : null}
        </div>
      </form>
      {state.created ? <NewToken created={state.created} /> : null}
    </>
  );
}

export function RevokeTokenForm({ name }: { name: string }) {
  const [state, action, pending] = useActionState(revokeTokenAction, IDLE);
  return (
    <form action={action} className="space-y-1">
      <input type="hidden" name="name" value={name} />
      <span className="mr-2 text-xs font-semibold text-emerald-700 dark:text-emerald-400">active</span>
      <button type="submit" disabled={pending} className={BUTTON.danger} aria-label={`Revoke ${name}`}>{pending ? "Revoking…" : "Revoke"}</button>
      {state.error ? <p role="alert" className={MESSAGE.error}>{state.error}</p> : state.message ? <p role="status" className={MESSAGE.ok}>{state.message}</p> : null}
    </form>
  );
}
