// Class names shared by the admin pages.
const surface = "rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900";
export const card = `${surface} p-5`;
/** A card whose table runs to its edges. */
export const tableCard = `${surface} overflow-x-auto`;
export const input =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950";
export const primaryButton =
  "inline-flex items-center justify-center rounded-md bg-sky-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-sky-700 disabled:cursor-wait disabled:opacity-60";
export const quietButton =
  "inline-flex items-center rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-semibold text-slate-700 shadow-sm hover:bg-slate-50 disabled:cursor-wait disabled:opacity-60 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200 dark:hover:bg-slate-700";
export const dangerButton =
  "inline-flex items-center rounded-md bg-rose-600 px-2.5 py-1 text-xs font-semibold text-white shadow-sm hover:bg-rose-700 disabled:cursor-wait disabled:opacity-60";
export const th = "px-4 py-2 font-medium";
export const td = "px-4 py-2 align-top";
export const tableHead = "border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400";
export const rowDivider = "divide-y divide-slate-100 dark:divide-slate-800";
export const alertError = "text-sm text-rose-700 dark:text-rose-400";
export const alertOk = "text-sm text-emerald-700 dark:text-emerald-400";
