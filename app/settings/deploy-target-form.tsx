"use client";

import clsx from "clsx";
import { useActionState } from "react";
import { saveDeployTarget, type DeployTargetState } from "@/lib/actions/health";
import { IDLE } from "@/lib/actions/result";
import type { DeployTarget } from "@/lib/health/settings";
import { BUTTON } from "@/components/ui/button";
import { describedBy, FieldMessage, INPUT } from "@/components/ui/field";


export function DeployTargetForm({ stored }: { stored: DeployTarget | null }) {
  const initial: DeployTargetState = { ...IDLE, values: { host: stored?.host ?? "", scheme: stored?.scheme ?? "http" } };
  const [state, action, pending] = useActionState(saveDeployTarget, initial);
  const { fieldErrors: errors, values } = state;
  return (
    // Remounted per answer so the fields show what was stored (normalised) or what was refused.
    <form key={JSON.stringify(state)} action={action} className="space-y-4" data-testid="deploy-target-form">
      <div className="grid gap-4 sm:grid-cols-[8rem_1fr]">
        <div>
          <label htmlFor="deploy-scheme" className="block text-sm font-medium">Scheme</label>
          <select id="deploy-scheme" name="scheme" defaultValue={values.scheme} aria-invalid={errors.scheme ? true : undefined} aria-describedby={errors.scheme ? "deploy-scheme-error" : undefined} className={`${INPUT} font-mono`}>
            <option value="http">http</option>
            <option value="https">https</option>
          </select>
          {errors.scheme ? <p id="deploy-scheme-error" className="mt-1 text-xs text-rose-700 dark:text-rose-400">{errors.scheme}</p> : null}
        </div>
        <div>
          <label htmlFor="deploy-host" className="block text-sm font-medium">Deployment host</label>
          <input
            id="deploy-host"
            name="host"
            defaultValue={values.host}
            placeholder="pi.local"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errors.host ? true : undefined}
            aria-describedby={describedBy("deploy-host", errors.host)}
            className={`${INPUT} font-mono`}
          />
          <FieldMessage
            id="deploy-host"
            error={errors.host}
            hint={
              <>
                A host name (<code className="font-mono">pi.local</code>), an IPv4 address or an IPv6 address in brackets; no port, path or
                credentials. Leave it empty to turn polling off.
              </>
            }
          />
        </div>
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" disabled={pending} className={BUTTON.primary}>
          {pending ? "Saving…" : "Save"}
        </button>
        {state.message ? <p role="status" className={clsx("text-sm", "text-emerald-700 dark:text-emerald-400")}>{state.message}</p> : null}
      </div>
    </form>
  );
}
