// Form inputs: one look for every text field and select, and a labelled field with its error or hint below.
import type { ReactNode } from "react";

export const INPUT = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950";

type FieldProps = { id: string; label: string; name: string; defaultValue: string; error?: string; hint?: string; placeholder?: string };

export function Field({ id, label, name, defaultValue, error, hint, placeholder }: FieldProps) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600 dark:text-slate-300">{label}</label>
      <input id={id} name={name} defaultValue={defaultValue} placeholder={placeholder} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} className={INPUT} />
      {error ? <p id={`${id}-error`} className="mt-1 text-xs text-rose-700 dark:text-rose-400">{error}</p> : hint ? <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{hint}</p> : null}
    </div>
  );
}

/** What an input's aria-describedby names: its error when there is one, else its hint. */
export function describedBy(id: string, error: string | undefined): string {
  return error ? `${id}-error` : `${id}-hint`;
}

/** The line under an input: its error (refused input) or else its hint, with the ids describedBy names. */
export function FieldMessage({ id, error, hint }: { id: string; error?: string; hint: ReactNode }) {
  return error ? (
    <p id={`${id}-error`} className="mt-1 text-xs text-rose-700 dark:text-rose-400">{error}</p>
  ) : (
    <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">{hint}</p>
  );
}
