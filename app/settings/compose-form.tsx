"use client";

import { useActionState } from "react";
import { saveComposeSettings, type ComposeSettingsState } from "@/lib/actions/deploy";
import { IDLE } from "@/lib/actions/result";
import { BUTTON } from "@/components/ui/button";
import { describedBy, FieldMessage, INPUT } from "@/components/ui/field";

export function ComposeForm({ files, envFile }: { files: string[]; envFile: string | null }) {
  const initial: ComposeSettingsState = { ...IDLE, values: { files: files.join("\n"), envFile: envFile ?? "" } };
  const [state, action, pending] = useActionState(saveComposeSettings, initial);
  const { fieldErrors: errors, values } = state;
  return (
    <form key={JSON.stringify(state)} action={action} className="space-y-4" data-testid="compose-form">
      <div>
        <label htmlFor="compose-files" className="block text-sm font-medium">Compose files</label>
        <textarea
          id="compose-files"
          name="files"
          rows={3}
          defaultValue={values.files}
          placeholder={"build/docker-compose.session-images.yml\nRDP/docker-compose.server-images.yml"}
          spellCheck={false}
          aria-invalid={errors.files ? true : undefined}
          aria-describedby={describedBy("compose-files", errors.files)}
          className={`${INPUT} font-mono`}
        />
        <FieldMessage
          id="compose-files"
          error={errors.files}
          hint={
            <>
              One path per line, relative to the Lucid checkout, merged in this order as <code className="font-mono">docker compose -f … -f …</code> does.
              Leave it empty to use <code className="font-mono">LUCID_COMPOSE_FILES</code>.
            </>
          }
        />
      </div>
      <div>
        <label htmlFor="compose-env" className="block text-sm font-medium">Env file (optional)</label>
        <input
          id="compose-env"
          name="envFile"
          defaultValue={values.envFile}
          placeholder=".env beside the first file"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={errors.envFile ? true : undefined}
          aria-describedby={describedBy("compose-env", errors.envFile)}
          className={`${INPUT} font-mono`}
        />
        <FieldMessage
          id="compose-env"
          error={errors.envFile}
          hint={<>Where <code className="font-mono">${"{VAR}"}</code> values come from; the dashboard&apos;s own environment is never used.</>}
        />
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" disabled={pending} className={BUTTON.primary}>
          {pending ? "Saving…" : "Save Compose files"}
        </button>
        {state.message ? <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">{state.message}</p> : null}
      </div>
    </form>
  );
}
