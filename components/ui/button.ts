// Button looks: one primary action per view, quiet ones beside it, red only for what cannot be undone.
const base = "inline-flex items-center justify-center rounded-md shadow-sm disabled:cursor-wait disabled:opacity-60";

export const BUTTON = {
  primary: `${base} bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800`,
  quiet: `${base} border border-slate-300 bg-white px-2.5 py-1 text-xs font-semibold text-slate-700 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200 dark:hover:bg-slate-700`,
  danger: `${base} bg-rose-600 px-2.5 py-1 text-xs font-semibold text-white hover:bg-rose-700`,
} as const;
