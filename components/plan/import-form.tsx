"use client";

import { useActionState, useState } from "react";
import Link from "next/link";
import { submitPlanImport, type ImportState } from "@/lib/actions/plan-import";
import { CARD } from "@/components/ui/card";

const button =
  "inline-flex items-center justify-center rounded-md px-4 py-2 text-sm font-medium shadow-sm disabled:cursor-not-allowed disabled:opacity-50";

export function ImportForm() {
  const [state, action, pending] = useActionState<ImportState, FormData>(submitPlanImport, { kind: "idle" });
  const [document, setDocument] = useState("");
  const [source, setSource] = useState("");
  const [previewed, setPreviewed] = useState<string | null>(null);

  const showPreview = state.kind === "preview" && previewed === document;
  const removalsWithHistory = state.kind === "preview" ? state.result.images.removed.filter((r) => r.builds > 0) : [];

  async function onFile(event: React.ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setDocument(await file.text());
    setSource(file.name);
  }

  return (
    <form
      action={(formData) => {
        if (formData.get("confirm") === "preview") setPreviewed(String(formData.get("document")));
        return action(formData);
      }}
      className="space-y-5"
    >
      <div className={CARD.roomy}>
        <div className="flex flex-wrap items-center gap-3">
          <label className={`${button} cursor-pointer border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200`}>
            Choose a file…
            <input type="file" accept=".md,.markdown,.txt,text/markdown,text/plain" className="sr-only" onChange={onFile} />
          </label>
          <span className="text-sm text-slate-500 dark:text-slate-400">{source ? `Loaded ${source}` : "or paste the document below"}</span>
        </div>
        <input type="hidden" name="source" value={source || "pasted document"} />
        <label htmlFor="document" className="mt-4 block text-sm font-medium">Build-commands document</label>
        <textarea
          id="document"
          name="document"
          value={document}
          onChange={(e) => setDocument(e.target.value)}
          rows={14}
          spellCheck={false}
          placeholder={"## PHASE 1: BASE INFRASTRUCTURE (3 images)\n\n### 1. Python Distroless Base\n```bash\ndocker buildx build --platform linux/arm64,linux/amd64 \\\n  -t pickme/lucid-base:python-distroless-arm64 \\\n  -f infrastructure/containers/base/Dockerfile.python-base \\\n  --push infrastructure/containers/base/\n```"}
          className="mt-1 block w-full rounded-md border border-slate-300 bg-slate-50 p-3 font-mono text-xs leading-relaxed dark:border-slate-700 dark:bg-slate-950"
        />
        <div className="mt-4 flex gap-3">
          <button type="submit" name="confirm" value="preview" disabled={pending} className={`${button} bg-sky-700 text-white hover:bg-sky-800`}>
            {pending ? "Checking…" : "Preview import"}
          </button>
        </div>
      </div>

      <div aria-live="polite" className="space-y-4">
        {state.kind === "invalid" ? (
          <div role="alert" className="rounded-xl border border-rose-300 bg-rose-50 p-4 text-sm text-rose-900 dark:border-rose-500/40 dark:bg-rose-500/10 dark:text-rose-200">
            <p className="font-medium">{state.message}</p>
            {state.issues.length > 0 ? (
              <ul className="mt-2 list-disc space-y-0.5 pl-5 font-mono text-xs" data-testid="import-issues">
                {state.issues.map((issue, i) => (
                  <li key={i}>line {issue.line}: {issue.message}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}

        {state.kind === "imported" ? (
          <div role="status" className="rounded-xl border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-900 dark:border-emerald-500/40 dark:bg-emerald-500/10 dark:text-emerald-200">
            <p className="font-medium">
              {state.result.unchanged
                ? "Nothing changed: the dashboard already holds this plan."
                : `Imported: ${state.result.images.created.length} image(s) added, ${state.result.images.updated.length} updated, ${state.result.images.removed.length} removed.`}
            </p>
            <Link href="/" className="mt-2 inline-block underline">Back to the overview</Link>
          </div>
        ) : null}

        {showPreview && state.kind === "preview" ? (
          <div className={CARD.roomy} data-testid="import-preview">
            <h2 className="text-base font-semibold">Preview</h2>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
              {state.result.unchanged
                ? "The dashboard already holds exactly this plan; importing changes nothing."
                : `${state.result.images.created.length} image(s) to add, ${state.result.images.updated.length} to update, ${state.result.images.removed.length} to remove, ${state.result.images.unchanged} unchanged.`}
            </p>
            {!state.result.unchanged ? (
              <ul className="mt-3 space-y-0.5 font-mono text-xs" data-testid="import-changes">
                {state.result.images.created.map((c) => (
                  <li key={c.name} className="text-emerald-700 dark:text-emerald-400">+ {c.name} (phase {c.phase})</li>
                ))}
                {state.result.images.updated.map((c) => (
                  <li key={c.name} className="text-sky-700 dark:text-sky-400">~ {c.name}: {c.fields.join(", ")}</li>
                ))}
                {state.result.images.removed.map((r) => (
                  <li key={r.name} className="text-rose-700 dark:text-rose-400">− {r.name}{r.builds ? ` (${r.builds} build records)` : ""}</li>
                ))}
              </ul>
            ) : null}
            {state.warnings.length > 0 ? (
              <ul className="mt-2 list-disc pl-5 text-xs text-amber-800 dark:text-amber-300">
                {state.warnings.map((w, i) => <li key={i}>line {w.line}: {w.message}</li>)}
              </ul>
            ) : null}
            <div className="mt-3 max-h-80 overflow-auto">
              <table className="w-full text-left text-xs">
                <caption className="sr-only">Phases and images in the document</caption>
                <thead className="text-slate-500 dark:text-slate-400">
                  <tr><th scope="col" className="py-1 pr-3">Phase</th><th scope="col" className="py-1 pr-3">Images</th></tr>
                </thead>
                <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                  {state.phases.map((p) => (
                    <tr key={p.number}>
                      <th scope="row" className="py-1.5 pr-3 align-top font-medium">{p.number}. {p.category} ({p.images.length}/{p.required})</th>
                      <td className="py-1.5 font-mono">{p.images.map((i) => i.name).join(", ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {state.result.images.removed.length > 0 ? (
              <div className="mt-3 text-sm text-rose-800 dark:text-rose-300">
                <p>Removes: {state.result.images.removed.map((r) => `${r.name}${r.builds ? ` (${r.builds} build records)` : ""}`).join(", ")}</p>
                {removalsWithHistory.length > 0 ? (
                  <label className="mt-2 flex items-center gap-2">
                    <input type="checkbox" name="allowRemovals" />
                    Delete the build history of removed images
                  </label>
                ) : null}
              </div>
            ) : null}
            {!state.result.unchanged ? (
              <button type="submit" name="confirm" value="import" disabled={pending} className={`${button} mt-4 bg-emerald-600 text-white hover:bg-emerald-700`}>
                Import plan
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    </form>
  );
}
